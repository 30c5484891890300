//! Smithy RPC v2 CBOR.
//!
//! Requests are `POST /service/{service}/operation/{operation}` with `smithy-protocol:
//! rpc-v2-cbor`, `accept: application/cbor`, and `content-type: application/cbor` when there
//! is a body. Timestamps are CBOR tag 1 (epoch seconds) and blobs byte strings: the
//! [`serde_helpers`](crate::serde_helpers) pick those forms for non-human-readable formats.
//! Encoding and decoding use the `ciborium` crate through serde.

use super::{
    Protocol, ProtocolRequest, WireProtocol, error_message, error_metadata, sanitize_error_code,
};
use crate::error::ErrorMetadata;
use crate::http::{Body, BoxError, HttpResponse};
use crate::operation::{OperationInput, OperationOutput};
use crate::service::OperationMeta;
use ciborium::value::Value;

/// Smithy RPC v2 CBOR.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RpcV2Cbor;

impl WireProtocol for RpcV2Cbor {
    fn protocol(&self) -> Protocol {
        Protocol::RpcV2Cbor
    }

    /// No input: no body (and no content type).
    fn request<I: OperationInput + ?Sized>(
        &self,
        op: &OperationMeta,
        input: Option<&I>,
    ) -> Result<ProtocolRequest, BoxError> {
        let body = input.map_or_else(|| Ok(Vec::new()), to_vec)?;
        Ok(self.envelope(op, Body::from(body)))
    }

    fn envelope(&self, op: &OperationMeta, body: Body) -> ProtocolRequest {
        let mut headers = Vec::with_capacity(3);
        if body.content_length() != Some(0) {
            headers.push(("content-type".to_owned(), "application/cbor".to_owned()));
        }
        headers.push(("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned()));
        headers.push(("accept".to_owned(), "application/cbor".to_owned()));
        if op.service.query_compatible {
            headers.push(super::query_mode_header());
        }
        ProtocolRequest {
            method: "POST",
            path_and_query: format!(
                "/service/{}/operation/{}",
                op.service.target_prefix, op.name
            ),
            headers,
            body,
        }
    }

    fn read_output<O: OperationOutput>(&self, response: &HttpResponse) -> Result<O, BoxError> {
        self.deserialize(response.body.bytes().unwrap_or_default())
    }

    fn deserialize<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, BoxError> {
        from_body(body)
    }

    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata {
        parse_error_metadata(response)
    }
}

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
/// panics, whatever the bytes (a streaming body reads as empty).
pub fn parse_error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let bytes = response.body.bytes().unwrap_or_default();
    let map = match ciborium::from_reader::<Value, _>(bytes) {
        Ok(Value::Map(map)) => map,
        _ => Vec::new(),
    };
    let code = text(&map, "__type")
        .map(str::to_owned)
        .or_else(|| response.header("x-amzn-errortype").map(str::to_owned))
        .map(|c| sanitize_error_code(&c).to_owned())
        .filter(|c| !c.is_empty());
    error_metadata(code.as_deref(), error_message(|k| text(&map, k)), response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RequestId;
    use crate::primitives::{Blob, DateTime};

    fn response(body: Vec<u8>, headers: &[(&str, &str)]) -> HttpResponse {
        HttpResponse {
            status: 400,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Body::from(body),
        }
    }

    #[test]
    fn request_goes_to_the_operation_path() {
        static SERVICE: crate::service::ServiceMeta = crate::service::fixtures::DIRECT_CONNECT;
        let op = OperationMeta {
            service: &SERVICE,
            name: "DescribeLocations",
            streaming_output: false,
            event_stream_output: false,
            request_checksum: None,
            static_endpoint_params: &[],
            no_auth: false,
        };
        let request = RpcV2Cbor
            .request::<serde_json::Value>(&op, None)
            .expect("encodes");
        assert_eq!(request.body.content_length(), Some(0), "no input, no body");
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.path_and_query,
            "/service/OvertureService/operation/DescribeLocations"
        );
        let names: Vec<_> = request.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["smithy-protocol", "accept"], "no content type");
        let request = RpcV2Cbor
            .request(&op, Some(&serde_json::json!({"a": 1})))
            .expect("encodes");
        assert_eq!(
            request.headers[0],
            ("content-type".to_owned(), "application/cbor".to_owned())
        );
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
