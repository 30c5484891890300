//! Generator fixtures on the wire, through the capturing HTTP client (no sockets): idempotency
//! tokens are filled in, timestamps and blobs inside lists and maps (and `timestampFormat`)
//! use their wire forms both ways, a rest-json service's members reach the URI, query string
//! and headers, names the name table set apart on collisions reach the right wire names and
//! error variants, and an operation that requires a checksum sends one.

use aws_lite_runtime::config::{BehaviorVersion, Config, Credentials, Region};
use aws_lite_runtime::primitives::{Blob, DateTime};
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};

fn config(http: &CaptureClient) -> Config {
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "fixtures"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url("http://127.0.0.1:1")
        .http_client(http.clone())
        .build()
}

fn body_json(http: &CaptureClient) -> serde_json::Value {
    let requests = http.requests();
    assert_eq!(requests.len(), 1);
    serde_json::from_slice(&requests[0].body).expect("JSON request body")
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts[2].starts_with('4')
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[tokio::test]
async fn idempotency_tokens_are_filled_when_unset() {
    use aws_lite_fixture_idempotency::Client;
    let http = CaptureClient::new(vec![CannedResponse::json(200, r#"{"id":"1"}"#)]);
    let client = Client::from_conf(config(&http));
    // `requestToken` is required and an idempotency token: it need not be set.
    client.create().name("n").send().await.expect("sent");
    let body = body_json(&http);
    let client_token = body["clientToken"].as_str().expect("clientToken sent");
    let request_token = body["requestToken"].as_str().expect("requestToken sent");
    assert!(is_uuid_v4(client_token), "{client_token}");
    assert!(is_uuid_v4(request_token), "{request_token}");
    assert_ne!(client_token, request_token);

    // A token the caller sets is kept.
    let http = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let client = Client::from_conf(config(&http));
    client
        .create()
        .name("n")
        .client_token("mine")
        .send()
        .await
        .expect("sent");
    assert_eq!(body_json(&http)["clientToken"], "mine");
}

#[tokio::test]
async fn timestamps_and_blobs_inside_collections() {
    use aws_lite_fixture_nested_blob_timestamp::Client;
    let response = serde_json::json!({
        "stamps": [1, 2.5],
        "blobsByKey": {"k": "aGk="},
        "history": {"h": [1700000000]},
        "isoAt": "2023-11-14T22:13:20Z",
        "record": {"values": ["AQI="], "seen": [3], "at": "2023-11-14T22:13:20.5Z"}
    });
    let http = CaptureClient::new(vec![CannedResponse::json(200, response.to_string())]);
    let client = Client::from_conf(config(&http));
    let out = client
        .sync()
        .stamps(DateTime::from_secs(10))
        .stamps(DateTime::from_secs_and_nanos(11, 500_000_000))
        .blobs_by_key("k", Blob::new(b"hi".to_vec()))
        .history("h", vec![DateTime::from_secs(1)])
        .chunks(vec![Blob::new(vec![0u8, 255])])
        .iso_at(DateTime::from_secs(1_700_000_000))
        .iso_list(DateTime::from_secs(0))
        .http_at(DateTime::from_secs(1_700_000_000))
        .send()
        .await
        .expect("parsed");
    assert_eq!(
        body_json(&http),
        serde_json::json!({
            "stamps": [10, 11.5],
            "blobsByKey": {"k": "aGk="},
            "history": {"h": [1]},
            "chunks": [["AP8="]],
            "isoAt": "2023-11-14T22:13:20Z",
            "isoList": ["1970-01-01T00:00:00Z"],
            "httpAt": "Tue, 14 Nov 2023 22:13:20 GMT"
        })
    );
    assert_eq!(
        out.stamps(),
        [
            DateTime::from_secs(1),
            DateTime::from_secs_and_nanos(2, 500_000_000)
        ]
    );
    assert_eq!(
        out.blobs_by_key().and_then(|m| m.get("k")),
        Some(&Blob::new(b"hi".to_vec()))
    );
    assert_eq!(
        out.history().and_then(|m| m.get("h")),
        Some(&vec![DateTime::from_secs(1_700_000_000)])
    );
    assert_eq!(out.iso_at(), Some(&DateTime::from_secs(1_700_000_000)));
    let record = out.record().expect("record");
    assert_eq!(record.values(), [Blob::new(vec![1u8, 2])]);
    assert_eq!(record.seen(), [DateTime::from_secs(3)]);
    assert_eq!(
        record.at(),
        Some(&DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000))
    );
}

/// The `unsupported_protocol` fixture is a rest-json model (named before the runtime spoke
/// rest-json): its call binds a URI label, a query parameter, a header and prefix headers,
/// sends no body, and reads a header back into the output and a typed error.
#[tokio::test]
async fn rest_json_fixture_binds_members_to_the_http_message() {
    use aws_lite_fixture_unsupported_protocol::Client;
    use aws_lite_fixture_unsupported_protocol::operation::get_thing::GetThingError;
    let http = CaptureClient::new(vec![
        CannedResponse::json(
            200,
            r#"{"thing":{"id":"x","count":2,"modified":"2020-01-01T00:00:01Z"}}"#,
        )
        .header("ETag", "\"e1\""),
        CannedResponse::json(404, r#"{"message":"no such thing"}"#)
            .header("x-amzn-errortype", "NotFoundException:http://internal/"),
    ]);
    let client = Client::from_conf(config(&http));
    let out = client
        .get_thing()
        .thing_id("a b/ü")
        .version(3)
        .trace("t-1")
        .meta_value("k", "v")
        .send()
        .await
        .expect("sent");
    assert_eq!(out.etag(), Some("\"e1\""));
    let thing = out.thing().expect("thing");
    assert_eq!(thing.count(), Some(2));
    assert_eq!(thing.modified(), Some(&DateTime::from_secs(1_577_836_801)));
    let requests = http.requests();
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.uri, "http://127.0.0.1:1/things/a%20b%2F%C3%BC?v=3",
        "label percent-encoded (its `/` too), query after it"
    );
    assert_eq!(request.header("x-trace"), Some("t-1"));
    assert_eq!(request.header("x-meta-k"), Some("v"));
    assert_eq!(
        request.header("content-type"),
        None,
        "no body, no content type"
    );
    assert_eq!(
        request.header("content-length"),
        None,
        "a GET without a body"
    );
    assert!(request.body.is_empty());

    let err = client
        .get_thing()
        .thing_id("gone")
        .send()
        .await
        .expect_err("404");
    let err = err.into_service_error();
    assert!(
        matches!(err, GetThingError::NotFoundException(_)),
        "{err:?}"
    );
    assert_eq!(err.meta().message(), Some("no such thing"));
}

#[tokio::test]
async fn colliding_names_reach_their_own_wire_names() {
    use aws_lite_fixture_name_table::Client;
    use aws_lite_fixture_name_table::types::{Option as OptionShape, State};
    let http = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let client = Client::from_conf(config(&http));
    // `Get_Thing` beside `GetThing`; `Arn` beside `ARN`; `setArn` beside `ARN`'s setter.
    client
        .get_thing_2()
        .arn("upper")
        .arn_2("camel")
        .set_arn_3("setter")
        .build_value("b")
        .r#type("t")
        .opt(OptionShape::builder().value("v").build())
        .state(State::UnknownValue)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        http.requests()[0].header("x-amz-target"),
        Some("FixtureService.Get_Thing")
    );
    assert_eq!(
        body_json(&http),
        serde_json::json!({
            "ARN": "upper", "Arn": "camel", "setArn": "setter", "build": "b", "type": "t",
            "opt": {"value": "v"}, "state": "unknown"
        })
    );
    assert_eq!(State::from("OK"), State::Ok2);
    assert_eq!(State::from("ok"), State::Ok);
}

#[tokio::test]
async fn errors_differing_in_case_are_distinct_variants() {
    use aws_lite_fixture_name_table::Client;
    use aws_lite_fixture_name_table::operation::get_thing::GetThingError;
    let error = |code: &str| {
        CannedResponse::json(
            400,
            serde_json::json!({"__type": code, "message": "m"}).to_string(),
        )
    };
    let http = CaptureClient::new(vec![
        error("FOOFault"),
        error("FooFault"),
        error("Unhandled"),
        error("Other"),
    ]);
    let client = Client::from_conf(config(&http));
    let mut errors = Vec::new();
    for _ in 0..4 {
        let err = client.get_thing().send().await.expect_err("an error");
        errors.push(err.into_service_error());
    }
    assert!(
        matches!(errors[0], GetThingError::FooFault(_)),
        "{:?}",
        errors[0]
    );
    assert!(errors[0].is_foo_fault() && !errors[0].is_foo_fault_2());
    assert!(
        matches!(errors[1], GetThingError::FooFault2(_)),
        "{:?}",
        errors[1]
    );
    assert!(errors[1].is_foo_fault_2() && !errors[1].is_foo_fault());
    // A modelled error named `Unhandled` is not the catch-all.
    assert!(
        matches!(errors[2], GetThingError::UnhandledException(_)),
        "{:?}",
        errors[2]
    );
    assert!(errors[2].is_unhandled());
    assert!(
        matches!(errors[3], GetThingError::Unhandled(_)),
        "{:?}",
        errors[3]
    );
    assert!(!errors[3].is_unhandled());
}

#[tokio::test]
async fn a_required_checksum_is_sent_as_crc32_of_the_body() {
    use aws_lite_fixture_endpoint_params::Client;
    let http = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let client = Client::from_conf(config(&http));
    client.put_thing().data("hello").send().await.expect("sent");
    let requests = http.requests();
    let request = &requests[0];
    assert_eq!(request.body, br#"{"Data":"hello"}"#);
    // CRC-32 of the body, base64 of its big-endian bytes (botocore's default algorithm).
    let expected = aws_lite_runtime::checksum::ChecksumAlgorithm::Crc32.header_value(&request.body);
    assert_eq!(
        request.header("x-amz-checksum-crc32"),
        Some(expected.as_str())
    );
    assert!(
        request
            .header("authorization")
            .is_some_and(|a| a.contains("x-amz-checksum-crc32")),
        "the checksum header is signed"
    );
    // GetThing requires none.
    let http = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let client = Client::from_conf(config(&http));
    client.get_thing().bucket("b").send().await.expect("sent");
    assert_eq!(http.requests()[0].header("x-amz-checksum-crc32"), None);
}
