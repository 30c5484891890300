//! rest-json (`Protocol::RestJson`, feature `rest-json`).
//!
//! The request is what the input's HTTP bindings say ([`http_binding`](super::http_binding):
//! method, URI with labels and query, headers), with a body as botocore sends it:
//!
//! - members not bound elsewhere: a JSON object (`{}` when none is set), when the input has
//!   any such member; no body otherwise;
//! - a structure, union or document payload member: that member as the JSON body, `{}`
//!   when it is unset;
//! - a blob or string payload member: its bytes as they are (nothing when unset).
//!
//! `content-type: application/json` goes with a JSON body that is not empty; a raw payload
//! gets `application/octet-stream` (blob) or `text/plain` (string) when non-empty, unless a
//! header member sets `Content-Type`. Responses: the body (empty reads as `{}`) gives the
//! members not bound to headers or the status, which the output's `read_http` reads.
//!
//! Error code: the `x-amzn-errortype` header, else the body's `code` or `Code`, else its
//! `__type`, sanitised as for awsJson (`aws.example#NotFound:http://...` gives `NotFound`).

use super::http_binding::{BindingError, HttpBindings, Payload};
use super::{
    Protocol, ProtocolRequest, WireProtocol, error_message, error_metadata, sanitize_error_code,
};
use crate::error::ErrorMetadata;
use crate::http::{Body, BoxError, HttpResponse};
use crate::operation::{OperationInput, OperationOutput};
use crate::service::OperationMeta;

/// rest-json.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RestJson;

impl WireProtocol for RestJson {
    fn protocol(&self) -> Protocol {
        Protocol::RestJson
    }

    /// The input's HTTP bindings and JSON body; generated rest-json crates always pass the
    /// input (an operation without one has an empty synthetic input carrying its bindings).
    fn request<I: OperationInput + ?Sized>(
        &self,
        _op: &OperationMeta,
        input: Option<&I>,
    ) -> Result<ProtocolRequest, BoxError> {
        match input {
            Some(input) => build_request(input.bind_http()?, Some(input)),
            None => Err(unbound()),
        }
    }

    /// `POST /` with the body as JSON (no member bound elsewhere).
    fn envelope(&self, _op: &OperationMeta, body: Body) -> ProtocolRequest {
        let empty = body.content_length() == Some(0);
        ProtocolRequest {
            method: "POST",
            path_and_query: "/".to_owned(),
            headers: if empty {
                Vec::new()
            } else {
                vec![("content-type".to_owned(), JSON.to_owned())]
            },
            body,
        }
    }

    fn read_output<O: OperationOutput>(&self, response: &HttpResponse) -> Result<O, BoxError> {
        let body = if O::RAW_PAYLOAD {
            &[][..]
        } else {
            response.body.bytes().unwrap_or_default()
        };
        let mut output: O = from_body(body)?;
        output.read_http(response)?;
        Ok(output)
    }

    fn deserialize<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, BoxError> {
        Ok(from_body(body)?)
    }

    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata {
        parse_error_metadata(response)
    }
}

const JSON: &str = "application/json";

/// The request for an input whose bindings are `bindings`; `input` writes the JSON body (its
/// `Serialize` impl leaves bound members out, and writes a structure payload alone).
pub(crate) fn build_request<I: serde::Serialize + ?Sized>(
    bindings: HttpBindings,
    input: Option<&I>,
) -> Result<ProtocolRequest, BoxError> {
    bindings.into_request(|payload| {
        Ok(match payload {
            Payload::None => (Body::empty(), None),
            Payload::Structure { set: false } => (Body::from(b"{}".to_vec()), Some(JSON)),
            // The members, or a structure payload that is set (a raw one never comes here).
            _ => match input {
                Some(input) => (Body::from(serde_json::to_vec(input)?), Some(JSON)),
                None => (Body::from(b"{}".to_vec()), Some(JSON)),
            },
        })
    })
}

/// The request of an operation whose input has no HTTP bindings (a crate generated without
/// them): refused before sending.
pub(crate) fn unbound() -> BoxError {
    Box::new(BindingError::Unbound)
}

/// Reads code, message and request id from a rest-json error response. Never fails: a body
/// that is empty, not JSON or not an object just yields fewer fields (see the module docs).
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
        .or_else(|| body_str("Code"))
        .or_else(|| body_str("__type"))
        .map(sanitize_error_code);
    error_metadata(code, error_message(body_str), response)
}

/// Deserializes a response body, reading an empty body as `{}`.
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
    use crate::service::fixtures::response;

    #[derive(serde::Serialize)]
    struct Body2 {
        a: i32,
    }

    fn build(b: HttpBindings, input: Option<&Body2>) -> ProtocolRequest {
        build_request(b, input).expect("builds")
    }

    fn body(r: &ProtocolRequest) -> &[u8] {
        r.body.bytes().expect("in memory")
    }

    #[test]
    fn bodies_and_content_types() {
        let mut b = HttpBindings::new("PUT", "/{id}?x");
        b.label("id", "Id", Some("a b"))
            .header("X-Foo", Some("Foo"));
        let r = build(b, Some(&Body2 { a: 1 }));
        assert_eq!(r.method, "PUT");
        assert_eq!(r.path_and_query, "/a%20b?x");
        assert_eq!(body(&r), br#"{"a":1}"#);
        assert_eq!(
            r.headers,
            [("X-Foo", "Foo"), ("content-type", JSON)].map(|(n, v)| (n.to_owned(), v.to_owned()))
        );

        let mut b = HttpBindings::new("GET", "/");
        b.payload(Payload::None);
        let r = build(b, Some(&Body2 { a: 1 }));
        assert_eq!(body(&r), b"");
        assert!(r.headers.is_empty());

        let mut b = HttpBindings::new("POST", "/");
        b.payload(Payload::Structure { set: false });
        assert_eq!(body(&build(b, None)), b"{}");

        let mut b = HttpBindings::new("POST", "/");
        b.header("Content-Type", Some("image/jpg"))
            .payload(Payload::Raw {
                body: Some(Body::from(b"1234".to_vec())),
                content_type: "application/octet-stream",
            });
        let r = build(b, None);
        assert_eq!(body(&r), b"1234");
        assert_eq!(
            r.headers,
            [("Content-Type".to_owned(), "image/jpg".to_owned())]
        );

        let mut b = HttpBindings::new("POST", "/");
        b.payload(Payload::Raw {
            body: Some(Body::from(b"raw".to_vec())),
            content_type: "text/plain",
        });
        let r = build(b, None);
        assert_eq!(
            r.headers,
            [("content-type".to_owned(), "text/plain".to_owned())]
        );

        let mut b = HttpBindings::new("POST", "/");
        b.payload(Payload::Raw {
            body: None,
            content_type: "text/plain",
        });
        let r = build(b, None);
        assert!(r.headers.is_empty());
        assert_eq!(body(&r), b"");
    }

    #[test]
    fn a_missing_label_is_an_error() {
        let mut b = HttpBindings::new("GET", "/{Name}");
        b.label::<&str>("Name", "FunctionName", None);
        let err = build_request(b, None::<&Body2>).unwrap_err();
        assert!(err.to_string().contains("`FunctionName`"), "{err}");
    }

    #[test]
    fn error_code_sources() {
        let meta = |headers: &[(&str, &str)], body: &str| {
            parse_error_metadata(&response(400, headers, body.as_bytes()))
        };
        let m = meta(
            &[
                ("x-amzn-errortype", "FooError:http://internal.amazon.com/"),
                ("x-amzn-requestid", "r-1"),
            ],
            r#"{"code":"Other","message":"hi"}"#,
        );
        assert_eq!(m.code(), Some("FooError"));
        assert_eq!(m.message(), Some("hi"));
        assert_eq!(m.request_id(), Some("r-1"));
        assert_eq!(
            meta(
                &[],
                r#"{"code":"aws.protocoltests.restjson#FooError:http://x"}"#
            )
            .code(),
            Some("FooError")
        );
        assert_eq!(
            meta(&[], r#"{"Code":"Bar","Message":"m"}"#).code(),
            Some("Bar")
        );
        assert_eq!(meta(&[], r#"{"__type":"ns#Baz"}"#).code(), Some("Baz"));
        let m = meta(&[], "<html>");
        assert_eq!(m.code(), None);
        assert_eq!(m.message(), None);
    }

    #[derive(serde::Deserialize, Debug, Default)]
    struct Out {
        #[serde(default)]
        a: Option<i32>,
        #[serde(skip)]
        n: Option<i32>,
        #[serde(skip)]
        status: Option<i32>,
    }

    impl OperationOutput for Out {
        fn set_request_id(&mut self, _: Option<String>) {}
        fn read_http(&mut self, response: &HttpResponse) -> Result<(), BindingError> {
            self.n = super::super::http_binding::header(response, "X-N")?;
            self.status = Some(i32::from(response.status));
            Ok(())
        }
    }

    #[derive(serde::Deserialize, Debug, Default)]
    struct RawOut {
        #[serde(skip)]
        body: Option<Vec<u8>>,
    }

    impl OperationOutput for RawOut {
        const RAW_PAYLOAD: bool = true;
        fn set_request_id(&mut self, _: Option<String>) {}
        fn read_http(&mut self, response: &HttpResponse) -> Result<(), BindingError> {
            self.body = response.body.bytes().map(<[u8]>::to_vec);
            Ok(())
        }
    }

    #[test]
    fn outputs_read_body_then_bindings() {
        let out: Out = RestJson
            .read_output(&response(201, &[("x-n", "12")], br#"{"a":1}"#))
            .expect("reads");
        assert_eq!((out.a, out.n, out.status), (Some(1), Some(12), Some(201)));
        // A bound header that does not parse is an error naming it.
        let err = RestJson
            .read_output::<Out>(&response(200, &[("X-N", "twelve")], b""))
            .unwrap_err();
        assert!(err.to_string().contains("`X-N`"), "{err}");
        // A raw payload is not JSON.
        let raw: RawOut = RestJson
            .read_output(&response(200, &[], b"\x00 not json"))
            .expect("raw");
        assert_eq!(raw.body.as_deref(), Some(&b"\x00 not json"[..]));
        assert!(
            RestJson
                .read_output::<Out>(&response(200, &[], b"<html>"))
                .is_err()
        );
    }

    #[test]
    fn empty_body_reads_as_empty_object() {
        let v: serde_json::Value = from_body(b" ").expect("empty");
        assert_eq!(v, serde_json::json!({}));
        assert!(from_body::<serde_json::Value>(b"{").is_err());
    }
}
