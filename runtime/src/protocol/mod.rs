//! The wire protocols: which one a call uses, and the one interface they all implement.
//!
//! Each protocol is a module and a Cargo feature of the runtime: `aws_json` (awsJson 1.0
//! and 1.1, feature `aws-json`), `rpc_v2_cbor` (Smithy RPC v2 CBOR, feature
//! `rpc-v2-cbor`), `rest_json` and `rest_xml` (features `rest-json` and `rest-xml`, over the
//! HTTP binding layer `http_binding`), `query` and `ec2`. A protocol implements
//! [`WireProtocol`]:
//!
//! - request: [`request`](WireProtocol::request) turns the operation's input (a generated
//!   [`OperationInput`]) into a [`ProtocolRequest`] (method, path and query, headers, body)
//!   that the orchestrator completes with the endpoint, `host`, `user-agent`,
//!   `content-length` and signature; [`envelope`](WireProtocol::envelope) wraps an already
//!   encoded body the same way (for [`operation::send`](crate::operation::send));
//! - success: [`read_output`](WireProtocol::read_output) reads the output (a generated
//!   [`OperationOutput`]) from the response;
//! - error: [`error_metadata`](WireProtocol::error_metadata) reads code, message and request
//!   id, and [`ErrorBody`] gives the generated error types the response and the modelled
//!   members through [`deserialize`](WireProtocol::deserialize).
//!
//! # Why a trait with generic methods and one enum
//!
//! Input, output and error members are generated types, so encoding and decoding are
//! generic over them (`request<I: OperationInput>`, `read_output<O: OperationOutput>`):
//! this keeps the codecs monomorphic and fast, but makes the trait unusable as `dyn`. The
//! protocol a call uses is known only at run time (the config may choose it), so the step
//! from the [`Protocol`] value to an implementation is an enum, `Wire`, with one variant per
//! enabled protocol; its `WireProtocol` impl is the one place that matches on the protocol.
//! A variant exists only with its feature, so a disabled protocol cannot be reached:
//! [`resolve`] refuses it with [`UnsupportedProtocol::FeatureDisabled`] before anything is
//! built. Function pointers would not do either (a generic method has no single pointer).
//!
//! # Adding a protocol
//!
//! A module implementing [`WireProtocol`], a feature, a [`Protocol`] variant, a `Wire`
//! variant and its arms. What a protocol needs from generated code beyond serde (HTTP member
//! bindings, query or XML encodings) is a provided method of [`OperationInput`] or
//! [`OperationOutput`] with a default, overridden by the generated types of crates whose model
//! lists the protocol. S3's streaming payloads go through [`Body`], which is bytes in memory
//! or a stream.

use crate::config::Config;
use crate::error::ErrorMetadata;
use crate::http::{Body, BoxError, HttpResponse};
use crate::operation::{OperationInput, OperationOutput};
use crate::service::{OperationMeta, ServiceMeta};

#[cfg(feature = "aws-json")]
pub mod aws_json;
#[cfg(feature = "ec2")]
pub mod ec2;
#[cfg(feature = "http-binding")]
pub mod http_binding;
#[cfg(any(feature = "query", feature = "ec2"))]
pub mod query;
#[cfg(feature = "rest-json")]
pub mod rest_json;
#[cfg(feature = "rest-xml")]
pub mod rest_xml;
#[cfg(feature = "rpc-v2-cbor")]
pub mod rpc_v2_cbor;

/// A wire protocol of a service, as listed in its model's `metadata.protocols`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// awsJson 1.0 (`application/x-amz-json-1.0`). Needs the runtime's `aws-json` Cargo
    /// feature (forwarded by generated crates whose model lists it).
    AwsJson1_0,
    /// awsJson 1.1 (`application/x-amz-json-1.1`). Needs the `aws-json` feature.
    AwsJson1_1,
    /// Smithy RPC v2 CBOR (`application/cbor`). Needs the runtime's `rpc-v2-cbor` Cargo
    /// feature (forwarded by generated crates whose model lists it); without it a call that
    /// would use CBOR fails before sending with [`UnsupportedProtocol::FeatureDisabled`].
    RpcV2Cbor,
    /// rest-json (`application/json` bodies, members bound to the URI, query string and
    /// headers). Needs the runtime's `rest-json` Cargo feature (forwarded by generated crates
    /// whose model lists it).
    RestJson,
    /// rest-xml (XML bodies, members bound to the URI, query string and headers: S3, Route
    /// 53, CloudFront, ...). Needs the runtime's `rest-xml` Cargo feature (forwarded by
    /// generated crates whose model lists it).
    RestXml,
    /// The query protocol (`awsQuery`: form-encoded requests, XML responses). Needs the
    /// runtime's `query` Cargo feature (forwarded by generated crates whose model lists it).
    Query,
    /// The ec2 protocol (`ec2Query`). Needs the runtime's `ec2` Cargo feature.
    Ec2,
}

impl Protocol {
    /// The name botocore models use for this protocol.
    pub fn model_name(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => "json",
            Protocol::RpcV2Cbor => "smithy-rpc-v2-cbor",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
        }
    }

    /// Rank in botocore's `PRIORITY_ORDERED_SUPPORTED_PROTOCOLS` (`botocore/utils.py`,
    /// 1.44.8: json, rest-json, rest-xml, smithy-rpc-v2-cbor, query, ec2), by which botocore
    /// picks the protocol of a model that lists several: lower is preferred.
    pub fn botocore_priority(self) -> u8 {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => 0,
            Protocol::RestJson => 1,
            Protocol::RestXml => 2,
            Protocol::RpcV2Cbor => 3,
            Protocol::Query => 4,
            Protocol::Ec2 => 5,
        }
    }

    /// Whether this protocol's responses are XML (query, ec2, rest-xml).
    pub fn is_xml(self) -> bool {
        matches!(self, Protocol::Query | Protocol::Ec2 | Protocol::RestXml)
    }

    /// Whether this is one of the awsJson protocols.
    pub fn is_json(self) -> bool {
        matches!(self, Protocol::AwsJson1_0 | Protocol::AwsJson1_1)
    }

    /// The runtime's Cargo feature that implements this protocol.
    pub fn feature(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => "aws-json",
            Protocol::RpcV2Cbor => "rpc-v2-cbor",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
        }
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Protocol::AwsJson1_0 => "awsJson1.0",
            Protocol::AwsJson1_1 => "awsJson1.1",
            Protocol::RpcV2Cbor => "rpcv2Cbor",
            Protocol::RestJson => "restJson1",
            Protocol::RestXml => "restXml",
            Protocol::Query => "awsQuery",
            Protocol::Ec2 => "ec2Query",
        })
    }
}

/// No protocol the runtime speaks fits the call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnsupportedProtocol {
    /// The configured protocol is not one the service speaks.
    #[error("protocol {requested} is not supported by {service}, which speaks {supported}")]
    NotSpoken {
        /// What the config asked for.
        requested: Protocol,
        /// The service id.
        service: &'static str,
        /// What the service lists.
        supported: String,
    },
    /// The protocol the call would use is implemented behind a Cargo feature that is off.
    #[error(
        "protocol {protocol} needs the `{feature}` Cargo feature, which is off: enable the \
         `{feature}` feature of the service crate (or of aws-lite-runtime), {}; no request \
         was sent",
        if protocol.is_json() { "or set `Config::protocol` to one whose feature is on" }
        else if matches!(protocol, Protocol::RestJson | Protocol::RestXml) { "the protocol this service's model lists" }
        else { "or leave the protocol unset to use awsJson" }
    )]
    FeatureDisabled {
        /// The protocol the call would use.
        protocol: Protocol,
        /// The Cargo feature that implements it.
        feature: &'static str,
    },
    /// The model lists only protocols this runtime does not implement: the crate's types are
    /// usable, its calls are not.
    #[error(
        "protocol {} not supported yet: the {service} model lists {}, and this runtime speaks \
         awsJson 1.0, awsJson 1.1, Smithy RPC v2 CBOR, rest-json, rest-xml, query and ec2; no \
         request was sent",
        model_protocols.first().map_or("(none)", |p| p.as_str()),
        if model_protocols.is_empty() { "no protocol".to_string() } else { model_protocols.join(", ") }
    )]
    NotSupportedYet {
        /// The service id.
        service: &'static str,
        /// The protocols the model lists (botocore names).
        model_protocols: Vec<String>,
    },
}

/// The protocol a call uses: the config's choice when the service speaks it; otherwise the
/// one botocore picks, the first of the service's protocols in botocore's order of preference
/// ([`Protocol::botocore_priority`]: awsJson first, which is also what the official Rust
/// crate, moto and LocalStack speak; CBOR before query). A service whose
/// model lists no protocol the runtime speaks is an error naming the model's protocols, and
/// a protocol whose Cargo feature is off (`aws-json`, `rpc-v2-cbor`) an error naming the
/// feature. Features never change the choice, only whether it can be used.
pub fn resolve(config: &Config, service: &ServiceMeta) -> Result<Protocol, UnsupportedProtocol> {
    Wire::resolve(config, service).map(|wire| wire.protocol())
}

/// [`resolve`] whatever the enabled features.
fn resolve_any(config: &Config, service: &ServiceMeta) -> Result<Protocol, UnsupportedProtocol> {
    if service.protocols.is_empty() {
        return Err(UnsupportedProtocol::NotSupportedYet {
            service: service.service_id,
            model_protocols: service
                .model_protocols
                .iter()
                .map(|p| p.to_string())
                .collect(),
        });
    }
    if let Some(requested) = config.protocol() {
        if service.protocols.contains(&requested) {
            return Ok(requested);
        }
        return Err(UnsupportedProtocol::NotSpoken {
            requested,
            service: service.service_id,
            supported: service
                .protocols
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(service
        .protocols
        .iter()
        .copied()
        .min_by_key(|p| p.botocore_priority())
        .unwrap_or(Protocol::AwsJson1_1))
}

/// An error response, in the protocol it was sent in: generated error types read their
/// modelled members from it.
#[derive(Debug, Clone, Copy)]
pub struct ErrorBody<'a> {
    wire: Wire,
    response: &'a HttpResponse,
}

impl<'a> ErrorBody<'a> {
    /// The error response `response` in `protocol`; an error when the protocol's feature is
    /// off.
    pub fn new(
        protocol: Protocol,
        response: &'a HttpResponse,
    ) -> Result<Self, UnsupportedProtocol> {
        Ok(Self {
            wire: Wire::new(protocol)?,
            response,
        })
    }

    /// The error response `response` in the protocol `wire` implements.
    pub(crate) fn from_wire(wire: Wire, response: &'a HttpResponse) -> Self {
        Self { wire, response }
    }

    /// The protocol of the response.
    pub fn protocol(&self) -> Protocol {
        self.wire.protocol()
    }

    /// The whole response: status, headers and body (read into memory).
    pub fn response(&self) -> &'a HttpResponse {
        self.response
    }

    /// The raw body (empty when it was not read into memory).
    pub fn bytes(&self) -> &'a [u8] {
        self.response.body.bytes().unwrap_or_default()
    }

    /// Deserializes the modelled members (an empty body reads as an empty object); `None`
    /// when the body does not match.
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.wire.deserialize(self.bytes()).ok()
    }

    /// Reads the modelled members of an XML error response from the element holding them
    /// (`<ErrorResponse><Error>`, `<Response><Errors><Error>`, or a bare `<Error>`); `None`
    /// when the body is not such a document.
    #[cfg(feature = "xml")]
    pub fn read_xml<T: crate::xml::XmlRead>(&self) -> Option<T> {
        crate::xml::XmlReader::new(self.bytes())
            .and_then(|mut r| r.read_error(T::read_xml))
            .ok()
    }

    /// The modelled members in the response's protocol: XML for query and ec2, serde for the
    /// others.
    #[cfg(feature = "xml")]
    pub fn read_members<T: crate::xml::XmlRead + serde::de::DeserializeOwned>(&self) -> Option<T> {
        if self.protocol().is_xml() {
            self.read_xml()
        } else {
            self.deserialize()
        }
    }
}

/// What a protocol makes of an operation's input, before the orchestrator adds the endpoint,
/// `host`, `user-agent`, `content-length` and the signature.
#[derive(Debug)]
pub struct ProtocolRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: &'static str,
    /// The path and query, starting with `/`, appended to the endpoint's path.
    pub path_and_query: String,
    /// The protocol's headers (content type, target, ...).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
}

/// The interface of a wire protocol (see the module docs).
pub trait WireProtocol {
    /// Which protocol this is.
    fn protocol(&self) -> Protocol;

    /// The request for operation `op` with `input` (`None` for an operation the model gives
    /// no input). An error when the input cannot be encoded.
    fn request<I: OperationInput + ?Sized>(
        &self,
        op: &OperationMeta,
        input: Option<&I>,
    ) -> Result<ProtocolRequest, BoxError>;

    /// The request for operation `op` around an already encoded `body`, with no member
    /// bound elsewhere (what [`operation::send`](crate::operation::send) sends).
    fn envelope(&self, op: &OperationMeta, body: Body) -> ProtocolRequest;

    /// Reads the output of a success response (the orchestrator has read its body into
    /// memory; an empty body reads as an empty structure).
    fn read_output<O: OperationOutput>(&self, response: &HttpResponse) -> Result<O, BoxError>;

    /// Decodes the modelled members of an error (or any serde type) from a response body
    /// (an empty body reads as an empty structure).
    fn deserialize<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, BoxError>;

    /// Reads code, message and request id from an error response. Never fails: what cannot
    /// be read is left out.
    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata;
}

/// The implementation of a protocol whose feature is on: the one place that dispatches on
/// the protocol (see the module docs).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Wire {
    /// awsJson 1.0 or 1.1.
    #[cfg(feature = "aws-json")]
    AwsJson(aws_json::AwsJson),
    /// Smithy RPC v2 CBOR.
    #[cfg(feature = "rpc-v2-cbor")]
    RpcV2Cbor(rpc_v2_cbor::RpcV2Cbor),
    /// rest-json.
    #[cfg(feature = "rest-json")]
    RestJson(rest_json::RestJson),
    /// rest-xml.
    #[cfg(feature = "rest-xml")]
    RestXml(rest_xml::RestXml),
    /// query.
    #[cfg(feature = "query")]
    Query(query::AwsQuery),
    /// ec2.
    #[cfg(feature = "ec2")]
    Ec2(ec2::Ec2Query),
}

impl Wire {
    /// The implementation of `protocol`, or [`UnsupportedProtocol::FeatureDisabled`].
    pub(crate) fn new(protocol: Protocol) -> Result<Self, UnsupportedProtocol> {
        match protocol {
            #[cfg(feature = "aws-json")]
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
                Ok(Self::AwsJson(aws_json::AwsJson::new(protocol)))
            }
            #[cfg(feature = "rpc-v2-cbor")]
            Protocol::RpcV2Cbor => Ok(Self::RpcV2Cbor(rpc_v2_cbor::RpcV2Cbor)),
            #[cfg(feature = "rest-json")]
            Protocol::RestJson => Ok(Self::RestJson(rest_json::RestJson)),
            #[cfg(feature = "rest-xml")]
            Protocol::RestXml => Ok(Self::RestXml(rest_xml::RestXml)),
            #[cfg(feature = "query")]
            Protocol::Query => Ok(Self::Query(query::AwsQuery)),
            #[cfg(feature = "ec2")]
            Protocol::Ec2 => Ok(Self::Ec2(ec2::Ec2Query)),
            #[allow(unreachable_patterns)]
            _ => Err(UnsupportedProtocol::FeatureDisabled {
                protocol,
                feature: protocol.feature(),
            }),
        }
    }

    /// The implementation of the protocol a call uses (see [`resolve`]).
    pub(crate) fn resolve(
        config: &Config,
        service: &ServiceMeta,
    ) -> Result<Self, UnsupportedProtocol> {
        Self::new(resolve_any(config, service)?)
    }
}

/// Calls the same method on whichever protocol `$wire` holds.
macro_rules! dispatch {
    ($wire:expr, $p:ident => $call:expr) => {
        match *$wire {
            #[cfg(feature = "aws-json")]
            Wire::AwsJson($p) => $call,
            #[cfg(feature = "rpc-v2-cbor")]
            Wire::RpcV2Cbor($p) => $call,
            #[cfg(feature = "rest-json")]
            Wire::RestJson($p) => $call,
            #[cfg(feature = "rest-xml")]
            Wire::RestXml($p) => $call,
            #[cfg(feature = "query")]
            Wire::Query($p) => $call,
            #[cfg(feature = "ec2")]
            Wire::Ec2($p) => $call,
        }
    };
}

// With no protocol feature on, `Wire` has no variant and its arguments go unused.
#[cfg_attr(
    not(any(
        feature = "aws-json",
        feature = "rpc-v2-cbor",
        feature = "rest-json",
        feature = "rest-xml",
        feature = "query",
        feature = "ec2"
    )),
    allow(unused_variables)
)]
impl WireProtocol for Wire {
    fn protocol(&self) -> Protocol {
        dispatch!(self, p => p.protocol())
    }

    fn request<I: OperationInput + ?Sized>(
        &self,
        op: &OperationMeta,
        input: Option<&I>,
    ) -> Result<ProtocolRequest, BoxError> {
        dispatch!(self, p => p.request(op, input))
    }

    fn envelope(&self, op: &OperationMeta, body: Body) -> ProtocolRequest {
        dispatch!(self, p => p.envelope(op, body))
    }

    fn read_output<O: OperationOutput>(&self, response: &HttpResponse) -> Result<O, BoxError> {
        dispatch!(self, p => p.read_output(response))
    }

    fn deserialize<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, BoxError> {
        dispatch!(self, p => p.deserialize(body))
    }

    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata {
        dispatch!(self, p => p.error_metadata(response))
    }
}

/// The code part of an error type name: anything from the first `:` on is cut, and only what
/// follows a `#` is kept (`aws.example#NotFound:http://...` gives `NotFound`).
#[cfg_attr(
    not(any(feature = "aws-json", feature = "rpc-v2-cbor", feature = "rest-json")),
    allow(dead_code)
)]
pub(crate) fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// The header a query-compatible service's awsJson and CBOR requests carry.
#[cfg_attr(
    not(any(feature = "aws-json", feature = "rpc-v2-cbor")),
    allow(dead_code)
)]
pub(crate) fn query_mode_header() -> (String, String) {
    ("x-amzn-query-mode".to_owned(), "true".to_owned())
}

/// Where error metadata keeps the code the body named, when a query-compatible service's
/// `x-amzn-query-error` header gave the code users see: generated error types are matched by
/// it (the exception's shape name), as botocore keeps it as `QueryErrorCode`.
pub const TYPE_CODE: &str = "aws_type_code";

/// Error metadata from what a protocol read from the body: `code` and `message`, and the
/// response's request id (stored under `aws_request_id`).
///
/// A query-compatible service's `x-amzn-query-error: <code>;<Sender|Receiver>` header
/// replaces the code (as botocore and the official SDK read it); the body's code is kept
/// under [`TYPE_CODE`].
#[cfg_attr(
    not(any(feature = "aws-json", feature = "rpc-v2-cbor", feature = "rest-json")),
    allow(dead_code)
)]
pub(crate) fn error_metadata(
    code: Option<&str>,
    message: Option<&str>,
    response: &HttpResponse,
) -> ErrorMetadata {
    use crate::error::{AWS_REQUEST_ID, RequestId};
    let mut builder = ErrorMetadata::builder();
    // Exactly `<code>;<fault>` with a code, as botocore reads it; anything else is ignored.
    let query_code = response
        .header("x-amzn-query-error")
        .and_then(|value| value.split_once(';'))
        .filter(|(code, fault)| !code.is_empty() && !fault.contains(';'))
        .map(|(code, _fault)| code);
    match (query_code, code) {
        (Some(query_code), Some(code)) => {
            builder = builder.code(query_code).custom(TYPE_CODE, code);
        }
        (Some(query_code), None) => builder = builder.code(query_code),
        (None, Some(code)) => builder = builder.code(code),
        (None, None) => {}
    }
    if let Some(message) = message {
        builder = builder.message(message);
    }
    if let Some(request_id) = response.request_id() {
        builder = builder.custom(AWS_REQUEST_ID, request_id);
    }
    builder.build()
}

/// Reads `message`, `Message` or `errorMessage` (the first present) through `text`.
#[cfg_attr(
    not(any(feature = "aws-json", feature = "rpc-v2-cbor", feature = "rest-json")),
    allow(dead_code)
)]
pub(crate) fn error_message<'a>(text: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
    ["message", "Message", "errorMessage"]
        .into_iter()
        .find_map(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    static REST_ONLY: ServiceMeta = ServiceMeta {
        service_id: "Lambda",
        signing_name: "lambda",
        endpoint_prefix: "lambda",
        target_prefix: "",
        json_version: "1.0",
        api_version: "2015-03-31",
        protocols: &[],
        model_protocols: &["rest-json"],
        endpoint_rule_set: None,
        signing: crate::sigv4::SigningSettings::STANDARD,
        query_compatible: false,
    };

    #[test]
    fn unsupported_model_protocols_are_named() {
        let err = resolve(&Config::builder().build(), &REST_ONLY).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("protocol rest-json not supported yet"),
            "{msg}"
        );
        assert!(msg.contains("the Lambda model lists rest-json"), "{msg}");
        let err = resolve(
            &Config::builder().protocol(Protocol::RpcV2Cbor).build(),
            &REST_ONLY,
        )
        .unwrap_err();
        assert!(matches!(err, UnsupportedProtocol::NotSupportedYet { .. }));
    }

    #[test]
    fn cbor_needs_its_feature() {
        static BOTH: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::RpcV2Cbor, Protocol::AwsJson1_1],
            model_protocols: &["smithy-rpc-v2-cbor", "json"],
            ..REST_ONLY
        };
        static CBOR_ONLY: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::RpcV2Cbor],
            model_protocols: &["smithy-rpc-v2-cbor"],
            ..REST_ONLY
        };
        let cbor = Config::builder().protocol(Protocol::RpcV2Cbor).build();
        // Unset: awsJson when the service lists it, with or without the feature.
        assert_eq!(
            resolve(&Config::builder().build(), &BOTH),
            Ok(Protocol::AwsJson1_1)
        );
        let asked = resolve(&cbor, &BOTH);
        let only = resolve(&Config::builder().build(), &CBOR_ONLY);
        if cfg!(feature = "rpc-v2-cbor") {
            assert_eq!(asked, Ok(Protocol::RpcV2Cbor));
            assert_eq!(only, Ok(Protocol::RpcV2Cbor));
        } else {
            for result in [asked, only] {
                let err = result.unwrap_err();
                assert_eq!(
                    err,
                    UnsupportedProtocol::FeatureDisabled {
                        protocol: Protocol::RpcV2Cbor,
                        feature: "rpc-v2-cbor"
                    }
                );
                let msg = err.to_string();
                assert!(
                    msg.starts_with("protocol rpcv2Cbor needs the `rpc-v2-cbor` Cargo feature"),
                    "{msg}"
                );
                assert!(msg.ends_with("no request was sent"), "{msg}");
            }
        }
    }

    #[test]
    fn each_protocol_names_its_feature() {
        assert_eq!(Protocol::AwsJson1_0.feature(), "aws-json");
        assert_eq!(Protocol::AwsJson1_1.feature(), "aws-json");
        assert_eq!(Protocol::RpcV2Cbor.feature(), "rpc-v2-cbor");
        assert_eq!(Protocol::RestJson.feature(), "rest-json");
        assert_eq!(Protocol::RestJson.model_name(), "rest-json");
        assert_eq!(
            UnsupportedProtocol::FeatureDisabled {
                protocol: Protocol::RestJson,
                feature: "rest-json",
            }
            .to_string(),
            "protocol restJson1 needs the `rest-json` Cargo feature, which is off: enable the \
             `rest-json` feature of the service crate (or of aws-lite-runtime), the protocol \
             this service's model lists; no request was sent"
        );
        // Without `aws-json`, awsJson is refused like CBOR without its feature, with advice
        // that fits (the config can pick a protocol whose feature is on).
        let err = UnsupportedProtocol::FeatureDisabled {
            protocol: Protocol::AwsJson1_1,
            feature: "aws-json",
        };
        assert_eq!(
            err.to_string(),
            "protocol awsJson1.1 needs the `aws-json` Cargo feature, which is off: enable the \
             `aws-json` feature of the service crate (or of aws-lite-runtime), or set \
             `Config::protocol` to one whose feature is on; no request was sent"
        );
        for protocol in [Protocol::AwsJson1_1, Protocol::RpcV2Cbor] {
            let enabled = cfg!(feature = "aws-json") && protocol.is_json()
                || cfg!(feature = "rpc-v2-cbor") && protocol == Protocol::RpcV2Cbor;
            let response = crate::service::fixtures::response(400, &[], b"{}");
            match ErrorBody::new(protocol, &response) {
                Ok(body) => {
                    assert!(enabled, "{protocol}");
                    assert_eq!(body.protocol(), protocol);
                    assert_eq!(body.bytes(), b"{}");
                }
                Err(err) => {
                    assert!(!enabled, "{protocol}");
                    assert_eq!(
                        err,
                        UnsupportedProtocol::FeatureDisabled {
                            protocol,
                            feature: protocol.feature()
                        }
                    );
                }
            }
        }
    }

    #[test]
    fn a_query_error_header_gives_the_code_users_see() {
        use crate::service::fixtures::response;
        let meta = |header: Option<&str>| {
            let headers: Vec<(&str, &str)> = header
                .map(|h| ("x-amzn-query-error", h))
                .into_iter()
                .collect();
            error_metadata(
                Some("QueueDoesNotExist"),
                None,
                &response(400, &headers, b""),
            )
        };
        let read = meta(Some("AWS.SimpleQueueService.NonExistentQueue;Sender"));
        assert_eq!(read.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(read.extra(TYPE_CODE), Some("QueueDoesNotExist"));
        // Only `<code>;<fault>` with a code counts, as in botocore.
        for ignored in [None, Some("NoFault"), Some(";Sender"), Some("a;b;c")] {
            let read = meta(ignored);
            assert_eq!(read.code(), Some("QueueDoesNotExist"), "{ignored:?}");
            assert_eq!(read.extra(TYPE_CODE), None, "{ignored:?}");
        }
    }

    /// Unset, the protocol is botocore 1.44.8's choice (`ServiceModel.resolved_protocol`: the
    /// first of `PRIORITY_ORDERED_SUPPORTED_PROTOCOLS` the model lists), whatever the model's
    /// order; CloudWatch lists CBOR, json, query and gets json.
    #[test]
    fn unset_protocol_follows_botocore_priority() {
        let all = [
            Protocol::Ec2,
            Protocol::Query,
            Protocol::RpcV2Cbor,
            Protocol::RestXml,
            Protocol::RestJson,
            Protocol::AwsJson1_0,
        ];
        let mut by_rank = all;
        by_rank.sort_by_key(|p| p.botocore_priority());
        let names: Vec<&str> = by_rank.iter().map(|p| p.model_name()).collect();
        assert_eq!(
            names,
            [
                "json",
                "rest-json",
                "rest-xml",
                "smithy-rpc-v2-cbor",
                "query",
                "ec2"
            ]
        );
        static CLOUDWATCH: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::RpcV2Cbor, Protocol::AwsJson1_0, Protocol::Query],
            model_protocols: &["smithy-rpc-v2-cbor", "json", "query"],
            ..REST_ONLY
        };
        static QUERY_THEN_CBOR: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::Query, Protocol::RpcV2Cbor],
            model_protocols: &["query", "smithy-rpc-v2-cbor"],
            ..REST_ONLY
        };
        static EC2_THEN_QUERY: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::Ec2, Protocol::Query],
            model_protocols: &["ec2", "query"],
            ..REST_ONLY
        };
        let unset = Config::builder().build();
        assert_eq!(resolve_any(&unset, &CLOUDWATCH), Ok(Protocol::AwsJson1_0));
        assert_eq!(
            resolve_any(&unset, &QUERY_THEN_CBOR),
            Ok(Protocol::RpcV2Cbor)
        );
        assert_eq!(resolve_any(&unset, &EC2_THEN_QUERY), Ok(Protocol::Query));
        for chosen in [Protocol::RpcV2Cbor, Protocol::AwsJson1_0, Protocol::Query] {
            let config = Config::builder().protocol(chosen).build();
            assert_eq!(resolve_any(&config, &CLOUDWATCH), Ok(chosen));
        }
    }

    #[test]
    fn configured_protocol_must_be_spoken() {
        static JSON: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::AwsJson1_1],
            model_protocols: &["json"],
            ..REST_ONLY
        };
        assert_eq!(
            resolve(&Config::builder().build(), &JSON),
            Ok(Protocol::AwsJson1_1)
        );
        let err = resolve(
            &Config::builder().protocol(Protocol::RpcV2Cbor).build(),
            &JSON,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "protocol rpcv2Cbor is not supported by Lambda, which speaks awsJson1.1"
        );
    }
}
