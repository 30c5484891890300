//! DynamoDB's item operations through the generated crate imported under the official crate's
//! name, written as code for `aws-sdk-dynamodb` is (the official developer guide's Rust
//! examples): `AttributeValue` is a union in the official crate's Smithy model but not marked in
//! botocore's JSON, and the override table (`models/overrides.json`) makes it the same enum here,
//! so `AttributeValue::S("x".into())` compiles.
//!
//! - Against a real moto server: PutItem, GetItem, Query, UpdateItem, BatchWriteItem, Scan,
//!   DeleteItem, and a failed condition gives `ConditionalCheckFailedException`; the `Scan` and
//!   `Query` paginators over 30 items, seven (four) at a time.
//! - On the wire, through the capturing client: the PutItem body is byte for byte what botocore
//!   1.44.8's own JSON serializer writes for the same parameters
//!   (`serialize.create_serializer('json').serialize_to_request(params, PutItem)`), an
//!   attribute of a type newer than the model is read as `AttributeValue::Unknown`, and sending
//!   it back fails before anything is sent, naming the union.
//! - Field types as in the official crate: `Count`/`ScannedCount` are plain `i32`s (0 when the
//!   service leaves them out), and a required structure member of a nested type is an `Option`
//!   whose absence is refused before sending, as botocore refuses it.

use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, DeleteRequest, KeySchemaElement, KeyType,
    KeysAndAttributes, PutRequest, ReturnValue, ScalarAttributeType, WriteRequest,
};
use aws_sdk_dynamodb::{Client, Config};
use e2e::MotoServer;
use std::collections::HashMap;
use std::error::Error;
use std::time::Duration;

type TestResult = Result<(), Box<dyn Error>>;

fn client(server: &MotoServer) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "moto"))
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

/// A table keyed by `pk` (hash) and `sk` (range), both strings.
async fn create_table(client: &Client, name: &str) -> TestResult {
    use aws_sdk_dynamodb::client::Waiters;
    client
        .create_table()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("sk")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("sk")
                .key_type(KeyType::Range)
                .build()?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await?;
    client
        .wait_until_table_exists()
        .table_name(name)
        .wait(Duration::from_secs(60))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn item_operations_against_moto() -> TestResult {
    let server = MotoServer::start_unpatched()?;
    let client = client(&server);
    create_table(&client, "items").await?;

    // PutItem: every kind of attribute, nested maps and lists included.
    let address = HashMap::from([
        ("city".to_string(), AttributeValue::S("Lyon".into())),
        ("zip".to_string(), AttributeValue::N("69001".into())),
    ]);
    client
        .put_item()
        .table_name("items")
        .item("pk", AttributeValue::S("user#1".into()))
        .item("sk", AttributeValue::S("profile".into()))
        .item("name", AttributeValue::S("Ada".into()))
        .item("age", AttributeValue::N("36".into()))
        .item("address", AttributeValue::M(address.clone()))
        .item(
            "tags",
            AttributeValue::L(vec![
                AttributeValue::S("admin".into()),
                AttributeValue::N("7".into()),
                AttributeValue::Bool(true),
            ]),
        )
        .item("active", AttributeValue::Bool(true))
        .item("nothing", AttributeValue::Null(true))
        .item(
            "colors",
            AttributeValue::Ss(vec!["red".into(), "blue".into()]),
        )
        .item(
            "avatar",
            AttributeValue::B(Blob::new(b"\x89PNG\x00".to_vec())),
        )
        .send()
        .await?;

    // GetItem: the item comes back as it was written.
    let got = client
        .get_item()
        .table_name("items")
        .key("pk", AttributeValue::S("user#1".into()))
        .key("sk", AttributeValue::S("profile".into()))
        .consistent_read(true)
        .send()
        .await?;
    let item = got.item().ok_or("GetItem found no item")?;
    assert_eq!(item.get("name"), Some(&AttributeValue::S("Ada".into())));
    assert_eq!(
        item.get("age")
            .and_then(|v| v.as_n().ok())
            .map(String::as_str),
        Some("36")
    );
    assert_eq!(item.get("address"), Some(&AttributeValue::M(address)));
    let tags = item
        .get("tags")
        .ok_or("no tags")?
        .as_l()
        .map_err(|v| format!("tags: {v:?}"))?;
    assert_eq!(
        tags,
        &vec![
            AttributeValue::S("admin".into()),
            AttributeValue::N("7".into()),
            AttributeValue::Bool(true),
        ]
    );
    assert!(item.get("active").is_some_and(|v| v.is_bool()));
    assert_eq!(item.get("nothing"), Some(&AttributeValue::Null(true)));
    let mut colors = item
        .get("colors")
        .ok_or("no colors")?
        .as_ss()
        .map_err(|_| "not SS")?
        .clone();
    colors.sort();
    assert_eq!(colors, ["blue", "red"]);
    assert_eq!(
        item.get("avatar")
            .and_then(|v| v.as_b().ok())
            .map(|b| b.as_ref()),
        Some(&b"\x89PNG\x00"[..])
    );
    assert!(item.values().all(|v| !v.is_unknown()));

    // BatchWriteItem: three more items of the same user.
    let writes = ["order#1", "order#2", "order#3"]
        .iter()
        .enumerate()
        .map(|(i, sk)| -> Result<WriteRequest, Box<dyn Error>> {
            Ok(WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .item("pk", AttributeValue::S("user#1".into()))
                        .item("sk", AttributeValue::S((*sk).into()))
                        .item("total", AttributeValue::N(format!("{}", 10 * (i + 1))))
                        .build()?,
                )
                .build())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let written = client
        .batch_write_item()
        .request_items("items", writes)
        .send()
        .await?;
    assert!(
        written.unprocessed_items().is_none_or(|u| u.is_empty()),
        "{:?}",
        written.unprocessed_items()
    );

    // Query: the user's orders, by key condition with expression attribute values.
    let orders = client
        .query()
        .table_name("items")
        .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
        .expression_attribute_values(":pk", AttributeValue::S("user#1".into()))
        .expression_attribute_values(":prefix", AttributeValue::S("order#".into()))
        .send()
        .await?;
    assert_eq!(orders.items().len(), 3);
    // `Count` has a Smithy default: a plain `i32`, as ported code reads it (`resp.count > 0`).
    assert_eq!(orders.count, 3);
    assert_eq!(orders.scanned_count(), 3);
    let totals: Vec<&str> = orders
        .items()
        .iter()
        .filter_map(|item| item.get("total"))
        .filter_map(|v| v.as_n().ok())
        .map(String::as_str)
        .collect();
    assert_eq!(totals, ["10", "20", "30"]);

    // UpdateItem: an arithmetic update, returning the new item.
    let updated = client
        .update_item()
        .table_name("items")
        .key("pk", AttributeValue::S("user#1".into()))
        .key("sk", AttributeValue::S("profile".into()))
        .update_expression("SET age = age + :one, address.city = :city")
        .expression_attribute_values(":one", AttributeValue::N("1".into()))
        .expression_attribute_values(":city", AttributeValue::S("Paris".into()))
        .return_values(ReturnValue::AllNew)
        .send()
        .await?;
    let attributes = updated.attributes().ok_or("no attributes returned")?;
    assert_eq!(attributes.get("age"), Some(&AttributeValue::N("37".into())));
    let city = attributes
        .get("address")
        .and_then(|a| a.as_m().ok())
        .and_then(|m| m.get("city"));
    assert_eq!(city, Some(&AttributeValue::S("Paris".into())));

    // Scan sees all four items; DeleteItem removes one.
    let scanned = client.scan().table_name("items").send().await?;
    assert_eq!(scanned.items().len(), 4);
    assert_eq!((scanned.count, scanned.scanned_count()), (4, 4));
    client
        .delete_item()
        .table_name("items")
        .key("pk", AttributeValue::S("user#1".into()))
        .key("sk", AttributeValue::S("order#2".into()))
        .send()
        .await?;
    let scanned = client.scan().table_name("items").send().await?;
    assert_eq!(scanned.items().len(), 3);

    // A failed condition is the modelled ConditionalCheckFailedException.
    let err = client
        .put_item()
        .table_name("items")
        .item("pk", AttributeValue::S("user#1".into()))
        .item("sk", AttributeValue::S("profile".into()))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await
        .expect_err("the item exists");
    let service_error = err.into_service_error();
    assert!(
        service_error.is_conditional_check_failed_exception(),
        "{service_error:?}"
    );
    Ok(())
}

/// `Scan` and `Query` page on `LastEvaluatedKey`, a map of attribute values, which the next
/// request sends back as `ExclusiveStartKey`: 30 items read seven at a time, written as the
/// official examples' `list_items` (rustv1/examples/dynamodb/src/scenario/list.rs).
#[tokio::test(flavor = "current_thread")]
async fn scan_and_query_paginators_follow_the_last_evaluated_key() -> TestResult {
    let server = MotoServer::start_unpatched()?;
    let client = client(&server);
    create_table(&client, "paged").await?;
    for i in 0..30 {
        let pk = if i % 2 == 0 { "even" } else { "odd" };
        client
            .put_item()
            .table_name("paged")
            .item("pk", AttributeValue::S(pk.into()))
            .item("sk", AttributeValue::S(format!("{i:02}")))
            .item("n", AttributeValue::N(i.to_string()))
            .send()
            .await?;
    }
    let numbers = |items: &[HashMap<String, AttributeValue>]| -> Vec<u32> {
        let mut numbers: Vec<u32> = items
            .iter()
            .map(|item| item["n"].as_n().unwrap().parse().unwrap())
            .collect();
        numbers.sort_unstable();
        numbers
    };

    let items: Result<Vec<_>, _> = client
        .scan()
        .table_name("paged")
        .limit(7)
        .into_paginator()
        .items()
        .send()
        .collect()
        .await;
    assert_eq!(numbers(&items?), (0..30).collect::<Vec<_>>());
    // Pages of at most seven: five pages, each but the first started after the last key.
    let pages = client
        .scan()
        .table_name("paged")
        .into_paginator()
        .page_size(7)
        .send()
        .try_collect()
        .await?;
    let sizes: Vec<i32> = pages.iter().map(|p| p.count).collect();
    assert!(sizes.iter().all(|&n| n <= 7), "{sizes:?}");
    assert_eq!(sizes.iter().sum::<i32>(), 30);
    assert!(pages.len() >= 5, "{sizes:?}");

    let odd = client
        .query()
        .table_name("paged")
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S("odd".into()))
        .limit(4)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await?;
    assert_eq!(numbers(&odd), (1..30).step_by(2).collect::<Vec<_>>());
    // A range key sorts the results: in order across pages.
    let sks: Vec<&str> = odd
        .iter()
        .map(|item| item["sk"].as_s().unwrap().as_str())
        .collect();
    let mut sorted = sks.clone();
    sorted.sort_unstable();
    assert_eq!(sks, sorted);
    Ok(())
}

/// `Count` and `ScannedCount` are plain `i32`s (a Smithy `@default` of 0 in the official
/// model, which botocore's JSON does not carry): the service's values when sent, 0 when not,
/// as the official builder's `unwrap_or_default()`.
#[tokio::test(flavor = "current_thread")]
async fn scan_counts_are_plain_with_their_default() -> TestResult {
    let http = CaptureClient::new(vec![
        CannedResponse::json(200, r#"{"Items": [], "Count": 7, "ScannedCount": 9}"#),
        CannedResponse::json(200, "{}"),
    ]);
    let client = capture_client(&http);
    let sent = client.scan().table_name("items").send().await?;
    assert_eq!((sent.count, sent.scanned_count), (7, 9));
    let absent = client.scan().table_name("items").send().await?;
    assert_eq!((absent.count(), absent.scanned_count()), (0, 0));
    let built = aws_sdk_dynamodb::operation::scan::ScanOutput::builder().build();
    assert_eq!(built.count, 0);
    Ok(())
}

/// A required member that targets a structure is an `Option` even in a type (as in the
/// official crate: `GlobalSecondaryIndex::projection` is `Option<Projection>`), so building
/// the index without it succeeds; sending it does not, as botocore refuses it.
#[tokio::test(flavor = "current_thread")]
async fn a_nested_required_structure_is_checked_before_sending() -> TestResult {
    use aws_sdk_dynamodb::types::GlobalSecondaryIndex;
    let http = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let client = capture_client(&http);
    let index = GlobalSecondaryIndex::builder()
        .index_name("by-pk")
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()?,
        )
        .build()?;
    assert!(index.projection().is_none());
    let err = client
        .create_table()
        .table_name("items")
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .global_secondary_indexes(index)
        .send()
        .await
        .expect_err("Projection is required");
    let message = format!("{}", aws_lite_runtime::error::DisplayErrorContext(&err));
    assert!(
        message.contains(
            "CreateTable: `GlobalSecondaryIndexes[0].Projection` is required by the model but not set. No request was sent"
        ),
        "{message}"
    );
    assert!(http.requests().is_empty(), "nothing was sent");

    // botocore refuses the same parameters before sending.
    let out = std::process::Command::new(e2e::default_venv().join("bin/python"))
        .arg("-c")
        .arg(
            "import botocore, botocore.session\n\
             assert botocore.__version__ == '1.44.8', botocore.__version__\n\
             c = botocore.session.get_session().create_client('dynamodb', region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')\n\
             try:\n    c.create_table(TableName='items', AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}], KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}], BillingMode='PAY_PER_REQUEST', GlobalSecondaryIndexes=[{'IndexName': 'by-pk', 'KeySchema': [{'AttributeName': 'pk', 'KeyType': 'HASH'}]}])\n\
             except Exception as e:\n    print(e)",
        )
        .output()?;
    let botocore = String::from_utf8(out.stdout)?;
    assert!(
        botocore
            .contains(r#"Missing required parameter in GlobalSecondaryIndexes[0]: "Projection""#),
        "botocore: {botocore} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

fn capture_client(http: &CaptureClient) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:1")
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "capture"))
        .behavior_version(BehaviorVersion::latest())
        .http_client(http.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

/// botocore 1.44.8's JSON serializer's body for the PutItem below (the same parameters:
/// `B` is the bytes `hi\0`, `BS` the bytes `a` and `b`).
const BOTOCORE_PUT_ITEM: &str = r#"{"TableName": "items", "Item": {"pk": {"S": "x"}, "n": {"N": "42"}, "b": {"B": "aGkA"}, "t": {"BOOL": true}, "z": {"NULL": true}, "m": {"M": {"inner": {"S": "y"}, "deep": {"L": [{"N": "1"}, {"S": "two"}]}}}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["YQ==", "Yg=="]}}}"#;

#[tokio::test(flavor = "current_thread")]
async fn put_item_body_is_botocores() -> TestResult {
    let http = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let client = capture_client(&http);
    client
        .put_item()
        .table_name("items")
        .item("pk", AttributeValue::S("x".into()))
        .item("n", AttributeValue::N("42".into()))
        .item("b", AttributeValue::B(Blob::new(b"hi\0".to_vec())))
        .item("t", AttributeValue::Bool(true))
        .item("z", AttributeValue::Null(true))
        .item(
            "m",
            AttributeValue::M(HashMap::from([
                ("inner".to_string(), AttributeValue::S("y".into())),
                (
                    "deep".to_string(),
                    AttributeValue::L(vec![
                        AttributeValue::N("1".into()),
                        AttributeValue::S("two".into()),
                    ]),
                ),
            ])),
        )
        .item("ss", AttributeValue::Ss(vec!["a".into(), "b".into()]))
        .item("ns", AttributeValue::Ns(vec!["1".into(), "2.5".into()]))
        .item(
            "bs",
            AttributeValue::Bs(vec![Blob::new(b"a".to_vec()), Blob::new(b"b".to_vec())]),
        )
        .send()
        .await?;
    let requests = http.requests();
    assert_eq!(requests.len(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body)?;
    let expected: serde_json::Value = serde_json::from_str(BOTOCORE_PUT_ITEM)?;
    // Compared as JSON values: botocore's map order is its dict order, ours the HashMap's.
    assert_eq!(sent, expected);
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("DynamoDB_20120810.PutItem")
    );
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn an_unknown_attribute_type_is_read_and_cannot_be_sent_back() -> TestResult {
    // `NEWTYPE` is no member of the model's AttributeValue; `__type` is ignored.
    let body = r#"{"Item": {
        "pk": {"S": "x"},
        "future": {"NEWTYPE": {"a": 1}},
        "typed": {"__type": "com.amazonaws.dynamodb#AttributeValue", "N": "5"},
        "nulls": {"S": null, "BOOL": false}
    }}"#;
    let http = CaptureClient::new(vec![CannedResponse::json(200, body)]);
    let client = capture_client(&http);
    let got = client
        .get_item()
        .table_name("items")
        .key("pk", AttributeValue::S("x".into()))
        .send()
        .await?;
    let item = got.item().ok_or("no item")?;
    assert_eq!(item.get("pk"), Some(&AttributeValue::S("x".into())));
    let future = item.get("future").ok_or("no future")?;
    assert!(future.is_unknown(), "{future:?}");
    assert_eq!(item.get("typed"), Some(&AttributeValue::N("5".into())));
    // A member whose value is null does not count.
    assert_eq!(item.get("nulls"), Some(&AttributeValue::Bool(false)));

    // Sending the unknown value back fails before sending, naming the union and where it is.
    let err = client
        .put_item()
        .table_name("items")
        .set_item(Some(item.clone()))
        .send()
        .await
        .expect_err("Unknown cannot be sent");
    let message = format!("{}", aws_lite_runtime::error::DisplayErrorContext(&err));
    assert!(
        message.contains("`Unknown` variant of the union `AttributeValue`"),
        "{message}"
    );
    assert!(message.contains(r#"Item["future"]"#), "{message}");
    assert_eq!(http.requests().len(), 1, "only the GetItem was sent");
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn two_members_in_one_attribute_value_are_an_error() -> TestResult {
    let body = r#"{"Item": {"pk": {"S": "x", "N": "1"}}}"#;
    let http = CaptureClient::new(vec![CannedResponse::json(200, body)]);
    let client = capture_client(&http);
    let err = client
        .get_item()
        .table_name("items")
        .key("pk", AttributeValue::S("x".into()))
        .send()
        .await
        .expect_err("a union with two members is malformed");
    let message = format!("{}", aws_lite_runtime::error::DisplayErrorContext(&err));
    assert!(
        message.contains("the union `AttributeValue` has more than one member set"),
        "{message}"
    );
    Ok(())
}

/// Query, BatchWriteItem and BatchGetItem bodies against botocore 1.44.8's JSON serializer for
/// the same parameters (unions inside maps, lists and structures of the input).
#[tokio::test(flavor = "current_thread")]
async fn item_bodies_are_botocores() -> TestResult {
    let responses = (0..3).map(|_| CannedResponse::json(200, "{}")).collect();
    let http = CaptureClient::new(responses);
    let client = capture_client(&http);
    client
        .query()
        .table_name("items")
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S("user#1".into()))
        .exclusive_start_key("pk", AttributeValue::S("user#1".into()))
        .exclusive_start_key("sk", AttributeValue::S("a".into()))
        .send()
        .await?;
    client
        .batch_write_item()
        .request_items(
            "items",
            vec![
                WriteRequest::builder()
                    .put_request(
                        PutRequest::builder()
                            .item("pk", AttributeValue::S("p".into()))
                            .item("n", AttributeValue::N("1".into()))
                            .build()?,
                    )
                    .build(),
                WriteRequest::builder()
                    .delete_request(
                        DeleteRequest::builder()
                            .key("pk", AttributeValue::S("q".into()))
                            .build()?,
                    )
                    .build(),
            ],
        )
        .send()
        .await?;
    client
        .batch_get_item()
        .request_items(
            "items",
            KeysAndAttributes::builder()
                .keys(HashMap::from([(
                    "pk".to_string(),
                    AttributeValue::S("p".into()),
                )]))
                .consistent_read(true)
                .build()?,
        )
        .send()
        .await?;
    let botocore = [
        r#"{"TableName": "items", "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": {"S": "user#1"}}, "ExclusiveStartKey": {"pk": {"S": "user#1"}, "sk": {"S": "a"}}}"#,
        r#"{"RequestItems": {"items": [{"PutRequest": {"Item": {"pk": {"S": "p"}, "n": {"N": "1"}}}}, {"DeleteRequest": {"Key": {"pk": {"S": "q"}}}}]}}"#,
        r#"{"RequestItems": {"items": {"Keys": [{"pk": {"S": "p"}}], "ConsistentRead": true}}}"#,
    ];
    let requests = http.requests();
    assert_eq!(requests.len(), 3);
    for (request, expected) in requests.iter().zip(botocore) {
        let sent: serde_json::Value = serde_json::from_slice(&request.body)?;
        let expected: serde_json::Value = serde_json::from_str(expected)?;
        assert_eq!(sent, expected);
    }
    Ok(())
}
