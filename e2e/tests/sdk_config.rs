//! `Client::new(&SdkConfig)` (feature `aws-config`), and a default build without aws-config.

use aws_credential_types::Credentials as SdkCredentials;
use aws_credential_types::provider::SharedCredentialsProvider as SdkSharedProvider;
use aws_lite_runtime::testing::{CannedResponse, TestServer};
use aws_sdk_directconnect::Client;
use aws_sdk_directconnect::config::{Config, Credentials, Region};

#[tokio::test]
async fn client_from_shared_sdk_config() {
    let server = TestServer::start(vec![CannedResponse::json(
        200,
        r#"{"virtualInterfaceState":"deleting"}"#,
    )]);
    let sdk = aws_types::SdkConfig::builder()
        .region(aws_types::region::Region::new("ap-southeast-2"))
        .credentials_provider(SdkSharedProvider::new(SdkCredentials::new(
            "AKIDSDK",
            "sdk-secret",
            Some("sdk-token".to_owned()),
            None,
            "sdk",
        )))
        .endpoint_url(server.url())
        .retry_config(aws_smithy_types::retry::RetryConfig::standard().with_max_attempts(5))
        .timeout_config(
            aws_smithy_types::timeout::TimeoutConfig::builder()
                .operation_timeout(std::time::Duration::from_secs(7))
                .build(),
        )
        .stalled_stream_protection(
            aws_types::sdk_config::StalledStreamProtectionConfig::enabled()
                .grace_period(std::time::Duration::from_secs(9))
                .upload_enabled(false)
                .build(),
        )
        .build();
    let client = Client::new(&sdk);
    // Stalled-stream protection comes across too (the minimum throughput stays ours).
    let ssp = client.config().stalled_stream_protection().unwrap();
    assert_eq!(ssp.grace_period(), std::time::Duration::from_secs(9));
    assert!(ssp.download_enabled() && !ssp.upload_enabled());
    assert_eq!(ssp.minimum_throughput(), 1024);
    // Retry and timeout settings come across into the runtime's own config types.
    let retry = client.config().retry_config().unwrap();
    assert_eq!(retry.max_attempts(), 5);
    assert_eq!(retry.initial_backoff(), std::time::Duration::from_secs(1));
    let timeouts = client.config().timeout_config().unwrap();
    assert_eq!(
        timeouts.operation_timeout(),
        Some(std::time::Duration::from_secs(7))
    );
    assert_eq!(timeouts.read_timeout(), None);
    assert_eq!(
        client.config().region().map(|r| r.as_ref()),
        Some("ap-southeast-2")
    );
    client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .await
        .unwrap();
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(
        auth.contains("AKIDSDK/") && auth.contains("/ap-southeast-2/directconnect/"),
        "{auth}"
    );
    assert_eq!(
        server.requests()[0].header("x-amz-security-token"),
        Some("sdk-token")
    );
}

/// With `aws-config`, aws-credential-types' own `Credentials` (what users of the official
/// crate may already hold) is a provider for our config, as our `Credentials` is.
#[tokio::test]
async fn aws_credential_types_values_are_providers() {
    let server = TestServer::start(vec![
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
    ]);
    for provider in [
        Config::builder().credentials_provider(SdkCredentials::new(
            "AKIDTHEIRS",
            "s",
            None,
            None,
            "t",
        )),
        Config::builder().credentials_provider(Credentials::new("AKIDOURS", "s", None, None, "t")),
    ] {
        let config = provider
            .region(Region::new("eu-west-1"))
            .endpoint_url(server.url())
            .build();
        Client::from_conf(config)
            .delete_virtual_interface()
            .virtual_interface_id("dxvif-1")
            .send()
            .await
            .unwrap();
    }
    let keys: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert!(keys[0].contains("Credential=AKIDTHEIRS/"), "{}", keys[0]);
    assert!(keys[1].contains("Credential=AKIDOURS/"), "{}", keys[1]);
}

#[test]
fn default_build_does_not_pull_in_aws_config() {
    // What a user gets with a plain dependency on the generated crate.
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-e",
            "normal",
            "-p",
            "aws-lite-directconnect",
            "--prefix",
            "none",
        ])
        .current_dir(e2e::repo_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("aws-lite-runtime"), "{tree}");
    // Nor aws-credential-types, aws-smithy-types and what they pull (the runtime has its own
    // credentials, primitives, error metadata, retry and timeout types).
    for absent in [
        "aws-types",
        "aws-config",
        "aws-credential-types",
        "aws-smithy-types",
        "aws-smithy-runtime-api",
        "aws-smithy-async",
        "time",
        "base64-simd",
    ] {
        assert!(
            !tree
                .lines()
                .any(|line| line.split(' ').next() == Some(absent)),
            "{absent} in the default build:\n{tree}"
        );
    }
}

/// With `aws-config`, timestamps and blobs convert to and from the official SDK's types.
#[test]
fn primitives_convert_to_and_from_aws_smithy_types() {
    use aws_sdk_directconnect::primitives::{Blob, DateTime};
    let ours = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
    let theirs: aws_smithy_types::DateTime = ours.into();
    assert_eq!(
        (theirs.secs(), theirs.subsec_nanos()),
        (1_576_540_098, 520_000_000)
    );
    assert_eq!(DateTime::from(theirs), ours);
    let blob: aws_smithy_types::Blob = Blob::new(vec![1, 2, 3]).into();
    assert_eq!(Blob::from(blob).into_inner(), vec![1, 2, 3]);
}

/// A stand-in for the official loader's per-service settings: the Direct Connect endpoint
/// URL, as `AWS_ENDPOINT_URL_DIRECT_CONNECT` would give it.
#[derive(Debug)]
struct DirectConnectUrl(String);

impl aws_types::service_config::LoadServiceConfig for DirectConnectUrl {
    fn load_config(&self, key: aws_types::service_config::ServiceConfigKey<'_>) -> Option<String> {
        (key.service_id() == "Direct Connect"
            && key.env() == "AWS_ENDPOINT_URL"
            && key.profile() == "endpoint_url")
            .then(|| self.0.clone())
    }
}

#[tokio::test]
async fn official_sdk_config_per_service_endpoint_and_its_origin() {
    let server = TestServer::start(vec![
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
    ]);
    let builder = || {
        aws_types::SdkConfig::builder()
            .region(aws_types::region::Region::new("us-east-1"))
            .credentials_provider(SdkSharedProvider::new(SdkCredentials::new(
                "AKIDSDK",
                "sdk-secret",
                None,
                None,
                "sdk",
            )))
            .service_config(DirectConnectUrl(server.url()))
    };
    // The endpoint URL from the environment (origin unknown): the service's own wins, as in
    // the official generated clients.
    let sdk = builder().endpoint_url("http://127.0.0.1:9/global").build();
    let client = Client::new(&sdk);
    assert_eq!(client.config().endpoint_url(), Some(server.url().as_str()));
    client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .await
        .expect("sent to the service's endpoint");
    // Set in code on the loader (origin: shared config): it wins over the service's.
    let mut in_code = builder().endpoint_url(server.url());
    in_code.insert_origin("endpoint_url", aws_types::origin::Origin::shared_config());
    let sdk = in_code
        .service_config(DirectConnectUrl("http://127.0.0.1:9/svc".into()))
        .build();
    let client = Client::new(&sdk);
    assert_eq!(client.config().endpoint_url(), Some(server.url().as_str()));
    client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-2")
        .send()
        .await
        .expect("sent to the endpoint set in code");
    assert_eq!(server.requests().len(), 2);
}
