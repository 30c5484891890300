//! Smithy RPC v2 CBOR: body encoding and error parsing.
//!
//! Requests are `POST /service/{service}/operation/{operation}` with `smithy-protocol:
//! rpc-v2-cbor`, `accept: application/cbor`, and `content-type: application/cbor` when there
//! is a body. Timestamps are CBOR tag 1 (epoch seconds) and blobs byte strings: the
//! [`serde_helpers`](crate::serde_helpers) pick those forms for non-human-readable formats.
//! Encoding and decoding use the `ciborium` crate through serde.

use crate::error::{AWS_REQUEST_ID, ErrorMetadata, RequestId};
use crate::http::{BoxError, HttpResponse};
use ciborium::value::Value;

/// CBOR for an empty map, what an absent body decodes as.
const EMPTY_MAP: [u8; 1] = [0xa0];

/// Encodes a value as CBOR.
pub fn to_vec<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, BoxError> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out)?;
    Ok(out)
}

/// Decodes a CBOR body; an empty body reads as an empty map.
pub fn from_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, BoxError> {
    let bytes = if body.is_empty() {
        &EMPTY_MAP[..]
    } else {
        body
    };
    ciborium::from_reader(bytes).map_err(|e| BoxError::from(format!("invalid CBOR body: {e}")))
}

fn text<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a str> {
    map.iter().find_map(|(k, v)| match (k, v) {
        (Value::Text(k), Value::Text(v)) if k == key => Some(v.as_str()),
        _ => None,
    })
}

/// Reads code, message and request id from a CBOR error response. The code is `__type` in
/// the body (keeping what follows `#` and cutting at `:`), falling back to the
/// `x-amzn-errortype` header; the message is `message`, `Message` or `errorMessage`. Never
/// panics, whatever the bytes.
pub fn parse_error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let map = match ciborium::from_reader::<Value, _>(&response.body[..]) {
        Ok(Value::Map(map)) => map,
        _ => Vec::new(),
    };
    let code = text(&map, "__type")
        .map(str::to_owned)
        .or_else(|| response.header("x-amzn-errortype").map(str::to_owned))
        .map(|c| crate::json::sanitize_error_code(&c).to_owned())
        .filter(|c| !c.is_empty());
    let message = ["message", "Message", "errorMessage"]
        .iter()
        .find_map(|k| text(&map, k));
    let mut builder = ErrorMetadata::builder();
    if let Some(code) = code {
        builder = builder.code(code);
    }
    if let Some(message) = message {
        builder = builder.message(message);
    }
    if let Some(id) = response.request_id() {
        builder = builder.custom(AWS_REQUEST_ID, id);
    }
    builder.build()
}

/// Deserializes the modelled fields of an error body (an empty body reads as an empty map).
pub fn deserialize_error_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, BoxError> {
    from_body(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::{Blob, DateTime};

    fn response(body: Vec<u8>, headers: &[(&str, &str)]) -> HttpResponse {
        HttpResponse {
            status: 400,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body,
        }
    }

    #[test]
    fn error_code_and_message_from_body() {
        let body = to_vec(&serde_json::json!({"__type": "aws.protocoltests#FooError:http://x", "Message": "boom"})).unwrap();
        let meta = parse_error_metadata(&response(body, &[("x-amzn-requestid", "r1")]));
        assert_eq!(meta.code(), Some("FooError"));
        assert_eq!(meta.message(), Some("boom"));
        assert_eq!(meta.request_id(), Some("r1"));
    }

    #[test]
    fn error_parsing_survives_any_bytes() {
        for body in [
            vec![],
            vec![0xff],
            vec![0x9f],
            b"{\"__type\":\"X\"}".to_vec(),
            vec![0xa1, 0x61],
        ] {
            let meta = parse_error_metadata(&response(body, &[]));
            assert_eq!(meta.code(), None);
        }
        let meta =
            parse_error_metadata(&response(vec![0xff], &[("x-amzn-errortype", "Throttling")]));
        assert_eq!(meta.code(), Some("Throttling"));
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Shape {
        #[serde(with = "crate::serde_helpers::epoch_seconds")]
        at: DateTime,
        #[serde(with = "crate::serde_helpers::blob_base64")]
        data: Blob,
        #[serde(
            with = "crate::serde_helpers::epoch_seconds_opt",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        maybe: Option<DateTime>,
    }

    #[test]
    fn timestamps_are_tag_1_and_blobs_byte_strings() {
        let value = Shape {
            at: DateTime::from_secs(1_576_540_098),
            data: Blob::new(b"hi".to_vec()),
            maybe: None,
        };
        let bytes = to_vec(&value).unwrap();
        let decoded: Value = ciborium::from_reader(&bytes[..]).unwrap();
        let Value::Map(map) = decoded else {
            panic!("not a map")
        };
        let at = map
            .iter()
            .find(|(k, _)| k == &Value::Text("at".into()))
            .unwrap();
        assert!(
            matches!(&at.1, Value::Tag(1, inner) if **inner == Value::Integer(1_576_540_098.into())),
            "{:?}",
            at.1
        );
        let data = map
            .iter()
            .find(|(k, _)| k == &Value::Text("data".into()))
            .unwrap();
        assert_eq!(data.1, Value::Bytes(b"hi".to_vec()));
        let back: Shape = from_body(&bytes).unwrap();
        assert_eq!(back, value);
        // JSON keeps epoch numbers and base64 strings.
        let json = serde_json::to_value(&value).unwrap();
        assert_eq!(json, serde_json::json!({"at": 1576540098, "data": "aGk="}));
    }

    #[test]
    fn untagged_and_fractional_timestamps_decode() {
        let bytes = to_vec(&serde_json::json!({"at": 1.5, "data": "aGk="})).unwrap();
        let back: Shape = from_body(&bytes).unwrap();
        assert_eq!(back.at, DateTime::from_secs_and_nanos(1, 500_000_000));
        assert_eq!(back.data, Blob::new(b"hi".to_vec()));
    }

    #[test]
    fn empty_body_is_an_empty_map() {
        #[derive(serde::Deserialize)]
        struct Empty {}
        let _: Empty = from_body(&[]).unwrap();
        assert!(from_body::<Shape>(&[0xff, 0x00]).is_err());
    }
}
