//! `Client::new(&SdkConfig)` (feature `aws-config`), and a default build without aws-config.

use aws_lite_runtime::testing::{CannedResponse, TestServer};
use aws_sdk_directconnect::Client;
use aws_sdk_directconnect::config::{Credentials, SharedCredentialsProvider};

#[tokio::test]
async fn client_from_shared_sdk_config() {
    let server = TestServer::start(vec![CannedResponse::json(
        200,
        r#"{"virtualInterfaceState":"deleting"}"#,
    )]);
    let sdk = aws_types::SdkConfig::builder()
        .region(aws_types::region::Region::new("ap-southeast-2"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDSDK",
            "sdk-secret",
            None,
            None,
            "sdk",
        )))
        .endpoint_url(server.url())
        .build();
    let client = Client::new(&sdk);
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
    assert!(
        !tree.contains("aws-types") && !tree.contains("aws-config"),
        "{tree}"
    );
}
