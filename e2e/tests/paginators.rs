//! Paginators whose tokens are not plain top-level strings (the `paginators` fixture, modelled
//! on DynamoDB's `Scan`, S3's `ListParts` and CloudFront's `ListDistributions`) against a
//! loopback server: the token each request carries, where paging stops, and the items.
//! DynamoDB's own `Scan` and `Query` paginators run against moto in `dynamodb_items.rs`.

use aws_lite_fixture_paginators::config::{BehaviorVersion, Credentials, Region};
use aws_lite_fixture_paginators::{Client, Config};
use aws_lite_runtime::testing::{CannedResponse, TestServer};
use serde_json::{Value, json};

fn client(server: &TestServer) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(server.url())
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "pages"))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    )
}

fn page(body: Value) -> CannedResponse {
    CannedResponse::json(200, body.to_string())
}

/// The JSON bodies the server received, in order.
fn sent(server: &TestServer) -> Vec<Value> {
    server
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn map_tokens_go_back_as_the_next_start_key() {
    let key = |k: &str| json!({"pk": {"S": k}});
    let server = TestServer::start(vec![
        page(
            json!({"Rows": [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}], "Count": 2, "LastEvaluatedKey": key("b")}),
        ),
        page(json!({"Rows": [{"pk": {"S": "c"}}], "Count": 1, "LastEvaluatedKey": key("c")})),
        page(json!({"Rows": [{"pk": {"S": "d"}}], "Count": 1})),
    ]);
    // As rustv1/examples/dynamodb/src/scenario/list.rs writes it.
    let rows: Result<Vec<_>, _> = client(&server)
        .scan_rows()
        .limit(2)
        .into_paginator()
        .items()
        .send()
        .collect()
        .await;
    let keys: Vec<String> = rows
        .unwrap()
        .iter()
        .map(|row| row["pk"].s().unwrap().to_string())
        .collect();
    assert_eq!(keys, ["a", "b", "c", "d"]);
    let bodies = sent(&server);
    assert_eq!(bodies.len(), 3);
    assert_eq!(bodies[0], json!({"Limit": 2}));
    assert_eq!(
        bodies[1],
        json!({"Limit": 2, "ExclusiveStartKey": key("b")})
    );
    assert_eq!(
        bodies[2],
        json!({"Limit": 2, "ExclusiveStartKey": key("c")})
    );
}

#[tokio::test]
async fn an_empty_map_token_is_the_last_page() {
    let server = TestServer::start(vec![
        page(json!({"Rows": [{"pk": {"S": "a"}}], "LastEvaluatedKey": {"pk": {"S": "a"}}})),
        page(json!({"Rows": [], "LastEvaluatedKey": {}})),
    ]);
    let pages = client(&server)
        .scan_rows()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn number_tokens_are_followed_while_the_listing_is_truncated() {
    let parts =
        |numbers: &[i32]| -> Value { numbers.iter().map(|n| json!({"PartNumber": n})).collect() };
    // S3's `ListParts` names a next marker on every page, the last one too; `IsTruncated`
    // says whether to follow it.
    let server = TestServer::start(vec![
        page(json!({"Parts": parts(&[1, 2]), "NextPartNumberMarker": 2, "IsTruncated": true})),
        page(json!({"Parts": parts(&[3, 4]), "NextPartNumberMarker": 4, "IsTruncated": true})),
        page(json!({"Parts": parts(&[5]), "NextPartNumberMarker": 5, "IsTruncated": false})),
    ]);
    let numbers: Vec<i32> = client(&server)
        .list_parts()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
        .iter()
        .map(|p| p.part_number().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    let markers: Vec<Value> = sent(&server)
        .iter()
        .map(|b| b["PartNumberMarker"].clone())
        .collect();
    assert_eq!(markers, [Value::Null, json!(2), json!(4)]);
    assert!(sent(&server).iter().all(|b| b["MaxParts"] == json!(2)));
}

#[tokio::test]
async fn nested_tokens_flags_and_items_are_read_through_their_structure() {
    let list = |ids: &[&str], next: Option<&str>, truncated: bool| {
        let mut list = json!({
            "Items": ids.iter().map(|id| json!({"Id": id})).collect::<Vec<_>>(),
            "IsTruncated": truncated,
        });
        if let Some(next) = next {
            list["NextMarker"] = json!(next);
        }
        page(json!({ "DistributionList": list }))
    };
    let server = TestServer::start(vec![
        list(&["d1", "d2"], Some("m1"), true),
        list(&["d3"], Some("m2"), true),
        // Truncated no more: the marker it still names is not followed.
        list(&["d4"], Some("m3"), false),
    ]);
    let ids: Vec<String> = client(&server)
        .list_distributions()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id.unwrap())
        .collect();
    assert_eq!(ids, ["d1", "d2", "d3", "d4"]);
    let bodies = sent(&server);
    let markers: Vec<&Value> = bodies.iter().map(|b| &b["Marker"]).collect();
    assert_eq!(markers, [&Value::Null, &json!("m1"), &json!("m2")]);
    // The model's page size is a string: the official `page_size(i32)` sends it as text.
    assert!(bodies.iter().all(|b| b["MaxItems"] == json!("2")));
}

#[tokio::test]
async fn a_page_without_its_nested_structure_is_the_last() {
    let server = TestServer::start(vec![page(json!({}))]);
    let items = client(&server)
        .list_distributions()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn two_result_lists_page_without_items() {
    let server = TestServer::start(vec![
        page(json!({"Things": ["a"], "Others": ["x"], "NextToken": "t"})),
        page(json!({"Things": ["b"], "Others": []})),
    ]);
    let pages = client(&server)
        .list_both()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let things: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.things())
        .map(String::as_str)
        .collect();
    assert_eq!(things, ["a", "b"]);
    let tokens: Vec<Value> = sent(&server)
        .iter()
        .map(|b| b["NextToken"].clone())
        .collect();
    assert_eq!(tokens, [Value::Null, json!("t")]);
}
