//! `.customize()` on the generated Direct Connect fluent builders, as a user of
//! `aws-sdk-directconnect` writes it (`mutate_request`, `config_override`), over loopback
//! servers (`aws_lite_runtime::testing::TestServer`): what the servers receive.

use aws_lite_runtime::testing::{CannedResponse, TestServer, verify_sigv4};
use aws_sdk_directconnect::Client;
use aws_sdk_directconnect::config::retry::RetryConfig;
use aws_sdk_directconnect::config::{BehaviorVersion, Config, Credentials, Region};
use std::time::Duration;

const DELETED: &str = r#"{"virtualInterfaceState":"deleted"}"#;

fn credentials() -> Credentials {
    Credentials::new("AKIDCUSTOMIZE", "customize-secret", None, None, "test")
}

fn client(url: &str) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(url)
            .credentials_provider(credentials())
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(3)
                    .with_initial_backoff(Duration::from_millis(1)),
            )
            .behavior_version(BehaviorVersion::latest())
            .build(),
    )
}

fn signed_headers(authorization: &str) -> Vec<String> {
    authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or_default()
        .split(';')
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn mutate_request_changes_every_attempt_before_signing() {
    let server = TestServer::start(vec![
        CannedResponse::json(500, r#"{"__type":"InternalFailure"}"#),
        CannedResponse::json(200, DELETED),
        CannedResponse::json(200, DELETED),
    ]);
    let client = client(&server.url());
    let out = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .customize()
        .mutate_request(|req| {
            req.headers_mut().insert("x-custom-trace", "abc");
        })
        .mutate_request(|req| {
            // Runs after the first: sees its header.
            let seen = req.headers_mut().get("x-custom-trace").map(str::to_owned);
            req.headers_mut()
                .insert("x-custom-second", seen.unwrap_or_default() + "-2");
        })
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(
        out.virtual_interface_state().map(|s| s.as_str()),
        Some("deleted")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one retry");
    for request in &requests {
        assert_eq!(request.header("x-custom-trace"), Some("abc"));
        assert_eq!(request.header("x-custom-second"), Some("abc-2"));
        let signed = signed_headers(request.header("authorization").unwrap());
        assert!(
            signed.contains(&"x-custom-trace".to_owned()),
            "the added header is signed: {signed:?}"
        );
        verify_sigv4(request, &credentials(), "us-east-1", "directconnect")
            .expect("signature covers the mutated request");
    }
    // The client itself is unchanged: the next plain call has no such header.
    client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-2")
        .send()
        .await
        .expect("plain call");
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("x-custom-trace"), None);
}

#[tokio::test]
async fn config_override_applies_to_this_call_only() {
    let first = TestServer::start(vec![CannedResponse::json(200, DELETED)]);
    let second = TestServer::start(vec![CannedResponse::json(200, DELETED)]);
    let client = client(&first.url());
    client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .customize()
        .config_override(
            Config::builder()
                .endpoint_url(second.url())
                .region(Region::new("eu-west-1")),
        )
        .send()
        .await
        .expect("sent to the override's endpoint");
    assert_eq!(first.requests().len(), 0);
    let request = &second.requests()[0];
    // The override's region signs; the client's credentials (not overridden) are used.
    verify_sigv4(request, &credentials(), "eu-west-1", "directconnect")
        .expect("signed for the override's region");
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("AKIDCUSTOMIZE/")
    );

    // Overridden credentials sign this call; the client's come back afterwards.
    let other = Credentials::new("AKIDOVERRIDE", "override-secret", None, None, "override");
    let third = TestServer::start(vec![
        CannedResponse::json(200, DELETED),
        CannedResponse::json(200, DELETED),
    ]);
    let client = self::client(&third.url());
    client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-2")
        .customize()
        .config_override(Config::builder().credentials_provider(other.clone()))
        .send()
        .await
        .expect("sent");
    client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-3")
        .send()
        .await
        .expect("sent");
    let requests = third.requests();
    verify_sigv4(&requests[0], &other, "us-east-1", "directconnect").expect("override's keys");
    verify_sigv4(&requests[1], &credentials(), "us-east-1", "directconnect")
        .expect("client's keys again");
    assert_eq!(
        client.config().region().map(|r| r.as_ref()),
        Some("us-east-1")
    );
}

#[tokio::test]
async fn config_override_retry_config_takes_effect() {
    let server = TestServer::start(vec![
        CannedResponse::json(500, r#"{"__type":"InternalFailure"}"#),
        CannedResponse::json(200, DELETED),
    ]);
    let client = client(&server.url());
    let err = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .customize()
        .config_override(
            Config::builder().retry_config(RetryConfig::standard().with_max_attempts(1)),
        )
        .send()
        .await
        .expect_err("one attempt only: the 500 is the answer");
    assert!(matches!(
        err,
        aws_sdk_directconnect::error::SdkError::ServiceError(_)
    ));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn customizable_operation_debug_shows_no_secret() {
    let client = client("http://127.0.0.1:9");
    let customized = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .customize()
        .config_override(Config::builder().credentials_provider(Credentials::new(
            "AKIDOVERRIDESECRETCHECK",
            "override-secret-value",
            Some("override-token-value".to_owned()),
            None,
            "override",
        )))
        .mutate_request(|_| {});
    let text = format!("{customized:?}");
    for secret in [
        "AKIDCUSTOMIZE",
        "customize-secret",
        "AKIDOVERRIDESECRETCHECK",
        "override-secret-value",
        "override-token-value",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(text.contains("dxvif-1"), "{text}");
}
