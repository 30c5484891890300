//! awsJson 1.0 and 1.1.
//!
//! Requests are `POST /` with `content-type: application/x-amz-json-{version}` and
//! `x-amz-target: {target_prefix}.{operation}`; absent members are omitted, an operation
//! without input sends `{}`. Timestamps are epoch seconds and blobs base64 strings (the
//! [`serde_helpers`](crate::serde_helpers) pick those forms for human-readable formats).
//! Error code: the `x-amzn-errortype` header, else the body's `code`, else its `__type`.

use super::{
    Protocol, ProtocolRequest, WireProtocol, error_message, error_metadata, sanitize_error_code,
};
use crate::error::ErrorMetadata;
use crate::http::{Body, BoxError, HttpResponse};
use crate::operation::{OperationInput, OperationOutput};
use crate::service::OperationMeta;

/// awsJson 1.0 or 1.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AwsJson {
    protocol: Protocol,
}

impl AwsJson {
    /// awsJson in the version of `protocol` ([`Protocol::AwsJson1_0`] or
    /// [`Protocol::AwsJson1_1`]; any other reads as 1.1, the version of the service
    /// metadata then deciding).
    pub fn new(protocol: Protocol) -> Self {
        Self { protocol }
    }
}

impl WireProtocol for AwsJson {
    fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// No input: `{}`.
    fn request<I: OperationInput + ?Sized>(
        &self,
        op: &OperationMeta,
        input: Option<&I>,
    ) -> Result<ProtocolRequest, BoxError> {
        let body = match input {
            None => b"{}".to_vec(),
            Some(input) => serde_json::to_vec(input)?,
        };
        Ok(self.envelope(op, Body::from(body)))
    }

    fn envelope(&self, op: &OperationMeta, body: Body) -> ProtocolRequest {
        let service = op.service;
        let json_version = match (self.protocol, service.json_version) {
            (Protocol::AwsJson1_0, _) | (_, "") => "1.0",
            (_, version) => version,
        };
        let mut headers = vec![
            (
                "content-type".to_owned(),
                format!("application/x-amz-json-{json_version}"),
            ),
            (
                "x-amz-target".to_owned(),
                format!("{}.{}", service.target_prefix, op.name),
            ),
        ];
        if service.query_compatible {
            headers.push(super::query_mode_header());
        }
        ProtocolRequest {
            method: "POST",
            path_and_query: "/".to_owned(),
            headers,
            body,
        }
    }

    fn read_output<O: OperationOutput>(&self, response: &HttpResponse) -> Result<O, BoxError> {
        self.deserialize(response.body.bytes().unwrap_or_default())
    }

    fn deserialize<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, BoxError> {
        Ok(from_body(body)?)
    }

    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata {
        parse_error_metadata(response)
    }
}

/// Reads code, message and request id from an awsJson error response. Never fails:
/// a body that is empty, streaming, not JSON or not an object just yields fewer fields.
///
/// The code comes from the `x-amzn-errortype` header, else the body's `code`, else its
/// `__type`; anything from the first `:` on is cut, and only what follows a `#` is kept
/// (`aws.example#NotFound:http://...` gives `NotFound`). The message comes from `message`,
/// `Message` or `errorMessage`; the request id is stored under `aws_request_id`.
pub fn parse_error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let bytes = response.body.bytes().unwrap_or_default();
    let body = match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let body_str = |key: &str| body.get(key).and_then(serde_json::Value::as_str);
    let code = response
        .header("x-amzn-errortype")
        .filter(|code| !code.trim().is_empty())
        .or_else(|| body_str("code"))
        .or_else(|| body_str("__type"))
        .map(sanitize_error_code);
    error_metadata(code, error_message(body_str), response)
}

/// Deserializes a response body, reading an empty body as `{}` (awsJson services may answer
/// an operation without output with no body at all).
pub fn from_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice(b"{}")
    } else {
        serde_json::from_slice(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RequestId;
    use crate::service::ServiceMeta;
    use crate::service::fixtures::{DIRECT_CONNECT, response};

    #[test]
    fn request_is_a_post_with_content_type_and_target() {
        static SERVICE: ServiceMeta = DIRECT_CONNECT;
        let op = OperationMeta {
            service: &SERVICE,
            name: "DeleteVirtualInterface",
            streaming_output: false,
            event_stream_output: false,
            request_checksum: None,
            static_endpoint_params: &[],
            no_auth: false,
        };
        let json = AwsJson::new(Protocol::AwsJson1_1);
        let request = json
            .request::<serde_json::Value>(&op, None)
            .expect("encodes");
        assert_eq!(request.body, b"{}");
        assert_eq!(request.method, "POST");
        assert_eq!(request.path_and_query, "/");
        assert_eq!(
            request.headers,
            [
                (
                    "content-type".to_owned(),
                    "application/x-amz-json-1.1".to_owned()
                ),
                (
                    "x-amz-target".to_owned(),
                    "OvertureService.DeleteVirtualInterface".to_owned()
                ),
            ]
        );
        // awsJson 1.0 asked for explicitly, or a service without a version: 1.0.
        let v10 = AwsJson::new(Protocol::AwsJson1_0).envelope(&op, Body::empty());
        assert_eq!(v10.headers[0].1, "application/x-amz-json-1.0");
        static UNVERSIONED: ServiceMeta = ServiceMeta {
            json_version: "",
            ..SERVICE
        };
        let op = OperationMeta {
            service: &UNVERSIONED,
            name: "X",
            streaming_output: false,
            event_stream_output: false,
            request_checksum: None,
            static_endpoint_params: &[],
            no_auth: false,
        };
        assert_eq!(
            json.envelope(&op, Body::empty()).headers[0].1,
            "application/x-amz-json-1.0"
        );
    }

    #[test]
    fn error_code_and_message_parsing() {
        /// Headers, body, expected code, expected message.
        type Case<'a> = (
            &'a [(&'a str, &'a str)],
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
        );
        let cases: &[Case<'_>] = &[
            (
                &[("x-amzn-errortype", "DirectConnectClientException")],
                r#"{"__type":"Other","message":"m"}"#,
                Some("DirectConnectClientException"),
                Some("m"),
            ),
            (
                &[(
                    "X-Amzn-ErrorType",
                    "aws.dx#DirectConnectServerException:http://internal.amazon.com/coral/",
                )],
                "",
                Some("DirectConnectServerException"),
                None,
            ),
            (
                &[],
                r#"{"code":"FromCode","__type":"FromType","Message":"upper"}"#,
                Some("FromCode"),
                Some("upper"),
            ),
            (
                &[],
                r#"{"__type":"com.amazonaws.directconnect#DuplicateTagKeysException","errorMessage":"dup"}"#,
                Some("DuplicateTagKeysException"),
                Some("dup"),
            ),
            (
                &[],
                r#"{"__type":"ns#Code:http://x/y","message":"lower","Message":"upper"}"#,
                Some("Code"),
                Some("lower"),
            ),
            (&[], r#"{"code":5,"__type":"Typed"}"#, Some("Typed"), None),
            (
                &[("x-amzn-errortype", "")],
                r#"{"__type":"Body"}"#,
                Some("Body"),
                None,
            ),
            (&[], r#"{"message":7}"#, None, None),
            (&[], "", None, None),
            (&[], "not json at all", None, None),
            (&[], "[1,2,3]", None, None),
            (&[], r#""just a string""#, None, None),
            (&[], "null", None, None),
            (&[], r#"{"__type":"#, None, None),
        ];
        for (headers, body, code, message) in cases {
            let meta = parse_error_metadata(&response(400, headers, body.as_bytes()));
            assert_eq!(meta.code(), *code, "code for {headers:?} {body:?}");
            assert_eq!(meta.message(), *message, "message for {headers:?} {body:?}");
        }
    }

    #[test]
    fn error_parsing_survives_arbitrary_bytes_and_reads_request_id() {
        let meta = parse_error_metadata(&response(
            500,
            &[("x-amzn-RequestId", "req-123")],
            &[0xff, 0xfe, 0x00, b'{', 0x80],
        ));
        assert_eq!(meta.code(), None);
        assert_eq!(meta.request_id(), Some("req-123"));
        let meta = parse_error_metadata(&response(
            500,
            &[("x-amz-request-id", "s3-like")],
            br#"{"__type":"#,
        ));
        assert_eq!(meta.request_id(), Some("s3-like"));
    }

    #[test]
    fn from_body_reads_empty_as_empty_object() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Out {
            #[serde(default)]
            state: Option<String>,
        }
        assert_eq!(from_body::<Out>(b"").ok(), Some(Out { state: None }));
        assert_eq!(from_body::<Out>(b" \n").ok(), Some(Out { state: None }));
        assert_eq!(
            from_body::<Out>(br#"{"state":"deleted"}"#).ok(),
            Some(Out {
                state: Some("deleted".into())
            })
        );
        assert!(from_body::<Out>(b"<html>").is_err());
    }
}
