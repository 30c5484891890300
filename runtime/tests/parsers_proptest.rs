//! Property tests of the response parsers: arbitrary bytes, and valid bodies with random
//! mutations, go through `json`/`cbor` error-metadata parsing and body decoding into
//! realistic output types. Every input ends in a value or an error, never a panic; valid
//! bodies round-trip. The CBOR half runs with the `rpc-v2-cbor` feature.

use aws_lite_runtime::http::HttpResponse;
use aws_lite_runtime::primitives::{Blob, DateTime};
use aws_lite_runtime::protocol::aws_json as json;
#[cfg(feature = "rpc-v2-cbor")]
use aws_lite_runtime::protocol::rpc_v2_cbor as cbor;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A Direct Connect-like output: strings, numbers, an enum-ish string, timestamps and blobs
/// (direct, in lists and in maps), a nested list of structures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DescribeOutput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    interfaces: Option<Vec<Interface>>,
    #[serde(
        with = "aws_lite_runtime::serde_helpers::epoch_seconds_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    generated_at: Option<DateTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Interface {
    #[serde(default)]
    virtual_interface_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vlan: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    asn: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    jumbo_frame_capable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(
        with = "aws_lite_runtime::serde_helpers::blob_base64_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    key: Option<Blob>,
    #[serde(
        serialize_with = "aws_lite_runtime::serde_helpers::serialize_with::<aws_lite_runtime::serde_helpers::OptionOf<aws_lite_runtime::serde_helpers::ListOf<aws_lite_runtime::serde_helpers::EpochSeconds>>, _, _>",
        deserialize_with = "aws_lite_runtime::serde_helpers::deserialize_with::<aws_lite_runtime::serde_helpers::OptionOf<aws_lite_runtime::serde_helpers::ListOf<aws_lite_runtime::serde_helpers::EpochSeconds>>, _, _>",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    history: Option<Vec<DateTime>>,
    #[serde(
        serialize_with = "aws_lite_runtime::serde_helpers::serialize_with::<aws_lite_runtime::serde_helpers::OptionOf<aws_lite_runtime::serde_helpers::MapOf<aws_lite_runtime::serde_helpers::Base64>>, _, _>",
        deserialize_with = "aws_lite_runtime::serde_helpers::deserialize_with::<aws_lite_runtime::serde_helpers::OptionOf<aws_lite_runtime::serde_helpers::MapOf<aws_lite_runtime::serde_helpers::Base64>>, _, _>",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    blobs: Option<HashMap<String, Blob>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
struct Tag {
    key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

/// A modelled error body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
struct ClientException {
    #[serde(default)]
    message: Option<String>,
}

fn date_time() -> impl Strategy<Value = DateTime> {
    // Whole seconds, or microsecond fractions (what an f64 of a current date can carry).
    prop_oneof![
        (-10_000_000_000i64..10_000_000_000).prop_map(DateTime::from_secs),
        (0i64..4_000_000_000, 0u32..1_000_000)
            .prop_map(|(s, us)| DateTime::from_secs_and_nanos(s, us * 1000)),
    ]
}

fn blob() -> impl Strategy<Value = Blob> {
    proptest::collection::vec(any::<u8>(), 0..16).prop_map(Blob::new)
}

fn interface() -> impl Strategy<Value = Interface> {
    (
        ".{0,12}",
        proptest::option::of(any::<i32>()),
        proptest::option::of(any::<i64>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(prop_oneof![Just("available".to_string()), ".{0,8}"]),
        proptest::option::of(blob()),
        proptest::option::of(proptest::collection::vec(date_time(), 0..3)),
        proptest::option::of(proptest::collection::hash_map(".{0,6}", blob(), 0..3)),
        proptest::option::of(proptest::collection::vec(
            (".{0,6}", proptest::option::of(".{0,6}")).prop_map(|(key, value)| Tag { key, value }),
            0..3,
        )),
    )
        .prop_map(
            |(id, vlan, asn, jumbo, state, key, history, blobs, tags)| Interface {
                virtual_interface_id: id,
                vlan,
                asn,
                jumbo_frame_capable: jumbo,
                state,
                key,
                history,
                blobs,
                tags,
            },
        )
}

fn output() -> impl Strategy<Value = DescribeOutput> {
    (
        proptest::option::of(".{0,10}"),
        proptest::option::of(proptest::collection::vec(interface(), 0..3)),
        proptest::option::of(date_time()),
    )
        .prop_map(|(next_token, interfaces, generated_at)| DescribeOutput {
            next_token,
            interfaces,
            generated_at,
        })
}

/// Random edits of a byte string: flips, truncation, insertions, deletions.
fn mutate(mut bytes: Vec<u8>, edits: &[(u8, usize, u8)]) -> Vec<u8> {
    for &(kind, pos, byte) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let pos = pos % bytes.len();
        match kind % 5 {
            0 => bytes[pos] ^= byte | 1,
            1 => bytes.truncate(pos),
            2 => bytes.insert(pos, byte),
            3 => {
                bytes.remove(pos);
            }
            _ => bytes[pos] = byte,
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(u8, usize, u8)>> {
    proptest::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..6)
}

fn response(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> HttpResponse {
    HttpResponse {
        status,
        headers,
        body: body.into(),
    }
}

/// Error metadata is always well-formed: a code, when present, has no namespace or suffix.
fn check_meta(meta: &aws_lite_runtime::error::ErrorMetadata) {
    if let Some(code) = meta.code() {
        assert!(!code.contains(':'), "code {code:?}");
        assert!(!code.contains('#'), "code {code:?}");
    }
    let _ = (meta.message(), format!("{meta:?}"));
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(
        (
            prop_oneof![
                Just("x-amzn-errortype".to_string()),
                Just("x-amzn-requestid".to_string()),
                Just("x-amz-request-id".to_string()),
                Just("content-type".to_string()),
            ],
            ".{0,24}",
        ),
        0..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn error_metadata_from_arbitrary_bytes(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        headers in headers(),
        status in 100u16..600,
    ) {
        let r = response(status, headers, body);
        check_meta(&json::parse_error_metadata(&r));
        #[cfg(feature = "rpc-v2-cbor")]
        check_meta(&cbor::parse_error_metadata(&r));
    }

    #[test]
    fn error_metadata_from_mutated_error_bodies(
        code in "[A-Za-z.#:/]{0,40}",
        message in ".{0,20}",
        edits in edits(),
        headers in headers(),
    ) {
        let value = serde_json::json!({"__type": code, "message": message});
        let json_body = serde_json::to_vec(&value).unwrap();
        // Unmutated: the message is read in both protocols.
        let meta = json::parse_error_metadata(&response(400, vec![], json_body.clone()));
        prop_assert_eq!(meta.message(), Some(message.as_str()));
        #[allow(unused_mut)]
        let mut bodies = vec![mutate(json_body, &edits)];
        #[cfg(feature = "rpc-v2-cbor")]
        {
            let cbor_body = cbor::to_vec(&value).unwrap();
            let meta = cbor::parse_error_metadata(&response(400, vec![], cbor_body.clone()));
            prop_assert_eq!(meta.message(), Some(message.as_str()));
            bodies.push(mutate(cbor_body, &edits));
        }
        for body in bodies {
            let r = response(400, headers.clone(), body);
            check_meta(&json::parse_error_metadata(&r));
            let _ = json::from_body::<ClientException>(r.body.bytes().unwrap_or_default());
            #[cfg(feature = "rpc-v2-cbor")]
            {
                check_meta(&cbor::parse_error_metadata(&r));
                let _ = cbor::from_body::<ClientException>(r.body.bytes().unwrap_or_default());
            }
        }
    }

    #[test]
    fn bodies_from_arbitrary_bytes(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = json::from_body::<DescribeOutput>(&body);
        let _ = json::from_body::<ClientException>(&body);
        #[cfg(feature = "rpc-v2-cbor")]
        {
            let _ = cbor::from_body::<DescribeOutput>(&body);
            let _ = cbor::from_body::<ClientException>(&body);
        }
    }

    #[test]
    fn valid_bodies_round_trip_and_mutations_never_panic(value in output(), edits in edits()) {
        let json_body = serde_json::to_vec(&value).unwrap();
        prop_assert_eq!(&json::from_body::<DescribeOutput>(&json_body).unwrap(), &value);
        #[cfg(feature = "rpc-v2-cbor")]
        {
            let cbor_body = cbor::to_vec(&value).unwrap();
            prop_assert_eq!(&cbor::from_body::<DescribeOutput>(&cbor_body).unwrap(), &value);
            let _ = cbor::from_body::<DescribeOutput>(&mutate(cbor_body, &edits));
        }
        let _ = json::from_body::<DescribeOutput>(&mutate(json_body, &edits));
    }
}
