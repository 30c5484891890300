//! Paginators (async, pages and items) and the blocking client, against a loopback server.

use aws_lite_runtime::testing::{CannedResponse, TestServer};
use aws_sdk_directconnect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_directconnect::{Client, Config};

fn config(server: &TestServer) -> Config {
    Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "paginate"))
        .behavior_version(BehaviorVersion::latest())
        .build()
}

fn gateways_page(ids: &[&str], next: Option<&str>) -> CannedResponse {
    let gateways: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"directConnectGatewayId": id, "directConnectGatewayName": format!("gw-{id}")}))
        .collect();
    let mut body = serde_json::json!({ "directConnectGateways": gateways });
    if let Some(next) = next {
        body["nextToken"] = serde_json::json!(next);
    }
    CannedResponse::json(200, body.to_string())
}

fn sent_tokens(server: &TestServer) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            body.get("nextToken")
                .and_then(|t| t.as_str())
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test]
async fn pages_follow_next_token() {
    let server = TestServer::start(vec![
        gateways_page(&["a", "b"], Some("t1")),
        gateways_page(&["c"], Some("t2")),
        gateways_page(&["d"], None),
    ]);
    let client = Client::from_conf(config(&server));
    let mut pages = client
        .describe_direct_connect_gateways()
        .into_paginator()
        .page_size(2)
        .send();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.expect("page").direct_connect_gateways().len());
    }
    assert_eq!(sizes, vec![2, 1, 1]);
    assert_eq!(
        sent_tokens(&server),
        vec![None, Some("t1".into()), Some("t2".into())]
    );
    for r in server.requests() {
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["maxResults"], 2);
    }
}

#[tokio::test]
async fn items_flatten_every_page_and_errors_end_the_stream() {
    let server = TestServer::start(vec![
        gateways_page(&["a", "b"], Some("t1")),
        gateways_page(&["c"], None),
    ]);
    let client = Client::from_conf(config(&server));
    let ids: Vec<String> = client
        .describe_direct_connect_gateways()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|gw| gw.direct_connect_gateway_id().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);

    let server = TestServer::start(vec![
        gateways_page(&["a"], Some("t1")),
        CannedResponse::json(
            400,
            r#"{"__type":"DirectConnectClientException","message":"bad token"}"#,
        ),
    ]);
    let client = Client::from_conf(config(&server));
    let mut items = client
        .describe_direct_connect_gateways()
        .into_paginator()
        .items()
        .send();
    assert!(items.next().await.unwrap().is_ok());
    let err = items.next().await.unwrap().expect_err("second page fails");
    assert!(
        err.into_service_error()
            .is_direct_connect_client_exception()
    );
    assert!(items.next().await.is_none());
}

#[test]
fn blocking_client_has_the_same_fluent_api() {
    let server = TestServer::start(vec![
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
        CannedResponse::json(
            400,
            r#"{"__type":"DirectConnectServerException","message":"later"}"#,
        ),
    ]);
    let client = aws_sdk_directconnect::blocking::Client::from_conf(config(&server)).unwrap();
    let out = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .unwrap();
    assert_eq!(
        out.virtual_interface_state().map(|s| s.as_str()),
        Some("deleting")
    );
    let err = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .unwrap_err();
    assert!(
        err.into_service_error()
            .is_direct_connect_server_exception()
    );
    let missing = client.delete_virtual_interface().send().unwrap_err();
    assert!(
        format!(
            "{}",
            aws_sdk_directconnect::error::DisplayErrorContext(&missing)
        )
        .contains("virtualInterfaceId")
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn blocking_paginators_iterate_pages_and_items() {
    let server = TestServer::start(vec![
        gateways_page(&["a", "b"], Some("t1")),
        gateways_page(&["c"], Some("t2")),
        gateways_page(&["d"], None),
    ]);
    let client = aws_sdk_directconnect::blocking::Client::from_conf(config(&server)).unwrap();
    let mut pages = client
        .describe_direct_connect_gateways()
        .into_paginator()
        .page_size(2)
        .send();
    let first = pages.next().unwrap().expect("first page");
    assert_eq!(first.direct_connect_gateways().len(), 2);
    // Pages are fetched when asked for, not ahead.
    assert_eq!(server.requests().len(), 1);
    let sizes: Vec<usize> = pages
        .map(|page| page.expect("page").direct_connect_gateways().len())
        .collect();
    assert_eq!(sizes, vec![1, 1]);
    assert_eq!(
        sent_tokens(&server),
        vec![None, Some("t1".into()), Some("t2".into())]
    );

    let server = TestServer::start(vec![
        gateways_page(&["a", "b"], Some("t1")),
        gateways_page(&["c"], Some("t2")),
        CannedResponse::json(
            400,
            r#"{"__type":"DirectConnectClientException","message":"bad token"}"#,
        ),
    ]);
    let client = aws_sdk_directconnect::blocking::Client::from_conf(config(&server)).unwrap();
    let mut items = client
        .describe_direct_connect_gateways()
        .into_paginator()
        .items()
        .send();
    let ids: Vec<String> = items
        .by_ref()
        .take(3)
        .map(|gw| gw.unwrap().direct_connect_gateway_id().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let err = items.next().unwrap().expect_err("third page fails");
    assert!(
        err.into_service_error()
            .is_direct_connect_client_exception()
    );
    assert!(items.next().is_none());
    assert_eq!(server.requests().len(), 3);
}
