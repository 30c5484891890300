//! The seed test against the compiled crate: the boto3 page for DeleteVirtualInterface
//! (`codegen/tests/fixtures/seed/`) says what the operation takes, returns and raises; this
//! checks the generated crate behaves so, through its public API and a loopback server.

#[path = "../../codegen/tests/support/seed_page.rs"]
mod seed_page;

use aws_lite_runtime::testing::{CannedResponse, TestServer};
use aws_sdk_directconnect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_directconnect::error::SdkError;
use aws_sdk_directconnect::types::VirtualInterfaceState;
use aws_sdk_directconnect::{Client, Config};

fn client(url: String) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(url)
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "seed"))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    )
}

#[tokio::test]
async fn compiled_crate_matches_the_boto3_page() {
    let page = seed_page::load(&e2e::repo_root());

    // Request: exactly the page's parameters go on the wire under their wire names, and the
    // required one is enforced before sending.
    assert_eq!(page.params, vec![("virtualInterfaceId".to_string(), true)]);
    let server = TestServer::start(vec![CannedResponse::json(200, "{}")]);
    let c = client(server.url());
    let err = c
        .delete_virtual_interface()
        .send()
        .await
        .expect_err("required");
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    assert!(server.requests().is_empty());
    c.delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    let sent: Vec<&String> = body.as_object().unwrap().keys().collect();
    let documented: Vec<&String> = page.params.iter().map(|(p, _)| p).collect();
    assert_eq!(sent, documented);

    // Response: every documented state, in documented order, is a known variant that parses
    // from the page's response key and prints back unchanged.
    let (key, states) = &page.response[0];
    assert_eq!(
        VirtualInterfaceState::values(),
        states
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
    );
    let responses = states
        .iter()
        .map(|s| CannedResponse::json(200, serde_json::json!({ key.as_str(): s }).to_string()))
        .collect();
    let server = TestServer::start(responses);
    let c = client(server.url());
    for state in states {
        let out = c
            .delete_virtual_interface()
            .virtual_interface_id("dxvif-1")
            .send()
            .await
            .unwrap();
        let parsed = out.virtual_interface_state().expect("state parsed");
        assert!(
            !matches!(parsed, VirtualInterfaceState::Unknown(_)),
            "{state} fell into the catch-all"
        );
        assert_eq!(parsed.as_str(), state);
    }

    // Exceptions: each documented exception code becomes its own variant.
    let responses = page
        .exceptions
        .iter()
        .map(|e| {
            CannedResponse::json(
                400,
                serde_json::json!({"__type": e, "message": "m"}).to_string(),
            )
        })
        .collect();
    let server = TestServer::start(responses);
    let c = client(server.url());
    for exception in &page.exceptions {
        let err = c
            .delete_virtual_interface()
            .virtual_interface_id("dxvif-1")
            .send()
            .await
            .expect_err("error status")
            .into_service_error();
        let matched = match exception.as_str() {
            "DirectConnectServerException" => err.is_direct_connect_server_exception(),
            "DirectConnectClientException" => err.is_direct_connect_client_exception(),
            other => panic!("the page documents {other}, which the crate does not model"),
        };
        assert!(matched, "{exception} parsed as {err:?}");
    }
}
