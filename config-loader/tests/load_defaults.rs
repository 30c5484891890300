//! `aws_config::load_defaults(BehaviorVersion::latest()).await` exactly as a ported program
//! calls it, reading the process environment, and a generated client built with
//! `Client::new(&sdk_config)`. The only test of this binary: it sets the process environment
//! before anything reads it.

use aws_config::BehaviorVersion;
use aws_lite_runtime::testing::{CannedResponse, TestServer};

const CALLER: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>X</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;

#[tokio::test]
async fn load_defaults_reads_the_process_environment() {
    let server = TestServer::start(vec![
        CannedResponse::new(200, CALLER).header("content-type", "text/xml"),
    ]);
    let url = server.url();
    // SAFETY: this binary's only test sets the variables before any thread reads them.
    unsafe {
        for (name, value) in [
            ("AWS_ACCESS_KEY_ID", "AKIDFROMPROCESSENV"),
            ("AWS_SECRET_ACCESS_KEY", "process-secret"),
            ("AWS_REGION", "ca-central-1"),
            ("AWS_ENDPOINT_URL", url.as_str()),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ] {
            std::env::set_var(name, value);
        }
    }
    let sdk_config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    assert_eq!(
        sdk_config.region().map(|r| r.as_ref()),
        Some("ca-central-1")
    );
    assert_eq!(sdk_config.endpoint_url(), Some(url.as_str()));
    let client = aws_lite_sts::Client::new(&sdk_config);
    client.get_caller_identity().send().await.expect("answered");
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(
        auth.contains("Credential=AKIDFROMPROCESSENV/") && auth.contains("/ca-central-1/sts/"),
        "{auth}"
    );
}
