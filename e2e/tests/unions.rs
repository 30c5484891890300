//! A union on the wire, through the generated fixture crate
//! (`codegen/tests/fixtures/documents_unions.json`: the union `Filter` with a string, a list of
//! itself, a boxed recursive member and a document), checked by independent decoders:
//! `serde_json` for JSON and `ciborium` for CBOR (the serde impls are shared by awsJson,
//! rest-json and RPC v2 CBOR).
//!
//! - A union is an object or map with exactly one key, the set member's wire name, at any depth
//!   (a list of unions, a union inside a union).
//! - CBOR writes it as a definite-length map of one entry, and reads it back unchanged.
//! - `Unknown` has no wire form: serializing it is an error naming the union; through the
//!   client, the request fails before anything is sent.

use aws_lite_fixture_documents_unions::Client;
use aws_lite_fixture_documents_unions::types::Filter;
use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::config::{BehaviorVersion, Config, Credentials, Region};
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use serde_json::json;

fn nested() -> Filter {
    Filter::And(vec![
        Filter::Equals("a".into()),
        Filter::Not(Box::new(Filter::Equals("b".into()))),
        Filter::Any(json!({"k": [1, 2]})),
    ])
}

#[test]
fn json_is_one_key_at_every_depth() {
    let value = serde_json::to_value(nested()).unwrap();
    assert_eq!(
        value,
        json!({"and": [{"equals": "a"}, {"not": {"equals": "b"}}, {"any": {"k": [1, 2]}}]})
    );
    let back: Filter = serde_json::from_value(value).unwrap();
    assert_eq!(back, nested());
}

#[test]
fn cbor_is_a_definite_map_of_one_entry() {
    let mut bytes = Vec::new();
    ciborium::into_writer(&Filter::Equals("x".into()), &mut bytes).unwrap();
    // 0xa1: a map of one pair (definite length); text "equals", text "x".
    assert_eq!(bytes, b"\xa1\x66equals\x61x");
    let mut bytes = Vec::new();
    ciborium::into_writer(&nested(), &mut bytes).unwrap();
    let decoded: ciborium::Value = ciborium::from_reader(bytes.as_slice()).unwrap();
    let ciborium::Value::Map(pairs) = &decoded else {
        panic!("a map: {decoded:?}")
    };
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].0, ciborium::Value::Text("and".into()));
    let back: Filter = ciborium::from_reader(bytes.as_slice()).unwrap();
    assert_eq!(back, nested());
}

#[test]
fn unknown_members_and_type_are_read_leniently() {
    let read = |text: &str| serde_json::from_str::<Filter>(text).unwrap();
    assert!(read(r#"{"newMember": {"x": 1}}"#).is_unknown());
    assert!(read("{}").is_unknown());
    assert_eq!(
        read(r#"{"__type": "ns#Filter", "equals": "a"}"#),
        Filter::Equals("a".into())
    );
    assert_eq!(
        read(r#"{"newMember": 1, "equals": "a"}"#),
        Filter::Equals("a".into())
    );
    assert_eq!(
        read(r#"{"equals": null, "not": {"equals": "b"}}"#)
            .as_not()
            .ok(),
        Some(&Filter::Equals("b".into()))
    );
    let two = serde_json::from_str::<Filter>(r#"{"equals": "a", "and": []}"#)
        .unwrap_err()
        .to_string();
    assert!(
        two.contains("the union `Filter` has more than one member set"),
        "{two}"
    );
}

#[tokio::test]
async fn unknown_is_never_sent() {
    let unknown: Filter = serde_json::from_str(r#"{"newMember": true}"#).unwrap();
    let err = serde_json::to_string(&unknown).unwrap_err().to_string();
    assert!(
        err.contains("`Filter` holds its `Unknown` variant"),
        "{err}"
    );

    let http = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "fixtures"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url("http://127.0.0.1:1")
        .http_client(http.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    let client = Client::from_conf(config);
    // Inside another union, inside a list.
    let err = client
        .put()
        .filter(Filter::And(vec![Filter::Equals("a".into()), unknown]))
        .send()
        .await
        .expect_err("Unknown cannot be sent");
    let text = format!("{}", aws_lite_runtime::error::DisplayErrorContext(&err));
    assert!(
        text.contains("`filter.and[1]` is the `Unknown` variant of the union `Filter`"),
        "{text}"
    );
    assert!(http.requests().is_empty(), "nothing was sent");

    client
        .put()
        .filter(nested())
        .send()
        .await
        .expect("a union with a member is sent");
    let requests = http.requests();
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        json!({"filter": {"and": [{"equals": "a"}, {"not": {"equals": "b"}}, {"any": {"k": [1, 2]}}]}})
    );
}
