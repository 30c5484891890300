//! Running one operation, whatever its protocol: the entry point generated code calls.
//!
//! [`invoke`] resolves the protocol ([`crate::protocol`]), serializes the input, has the
//! orchestrator ([`crate::orchestrator`]) send it with endpoint, signature, retries and
//! timeouts, and reads the response: the output on success, the operation's error otherwise.
//! [`send`] and [`build_request`] do the same with an already serialized body.

use crate::config::Config;
use crate::env::{EnvLookup, process_env};
use crate::error::{ConstructionError, ErrorMetadata, RequestId, SdkError, SendError};
use crate::http::{Body, BoxError, HttpRequest, HttpResponse};
use crate::orchestrator::CallEndpoint;
use crate::protocol::{ErrorBody, ProtocolRequest, Wire, WireProtocol};
use crate::service::OperationMeta;
use std::error::Error;
use std::fmt;

/// An operation's input type, as generated code implements it.
///
/// The serde encoding serves the protocols whose body carries every member (awsJson, Smithy
/// RPC v2 CBOR). What other protocols need from generated code (HTTP member bindings, query
/// or XML encodings) is added here as a provided method with a default, which the generated
/// types override only in crates whose model lists such a protocol.
pub trait OperationInput: serde::Serialize {
    /// Sets the endpoint rule parameters bound to input members (`contextParam`: S3's
    /// `Bucket`, `Key`, …). Default: none.
    fn endpoint_params(&self, _params: &mut crate::endpoint::ContextParams) {}

    /// The input's HTTP bindings (rest protocols): method, URI template and the members bound
    /// to its labels, the query string and headers, and where the body comes from. The
    /// default, for types generated without them, is [`BindingError::Unbound`].
    ///
    /// [`BindingError::Unbound`]: crate::protocol::http_binding::BindingError::Unbound
    #[cfg(feature = "http-binding")]
    fn bind_http(
        &self,
    ) -> Result<
        crate::protocol::http_binding::HttpBindings,
        crate::protocol::http_binding::BindingError,
    > {
        Err(crate::protocol::http_binding::BindingError::Unbound)
    }

    /// rest-xml: the XML body (`None`: no body), when the input's HTTP bindings put its
    /// members or a structure payload member in the body. Generated inputs of crates whose
    /// model lists rest-xml override it; the default is an error naming the missing encoding.
    #[cfg(feature = "rest-xml")]
    fn xml_body(&self) -> Result<Option<String>, BoxError> {
        Err(
            "this input type has no XML encoding (its crate was generated from a model that \
             does not list rest-xml)"
                .into(),
        )
    }

    /// query and ec2: writes the members as form pairs (`Name.member.1=..`) after `Action`
    /// and `Version`. Generated inputs of crates whose model lists query or ec2 override it;
    /// the default is an error naming the missing encoding.
    #[cfg(any(feature = "query", feature = "ec2"))]
    fn write_query(&self, writer: &mut crate::query_form::QueryWriter) -> Result<(), BoxError> {
        let _ = writer;
        Err(
            "this input type has no query encoding (its crate was generated from a model that \
             does not list query or ec2)"
                .into(),
        )
    }
}

/// Any JSON value as an input, for the runtime's own tests.
#[cfg(test)]
impl OperationInput for serde_json::Value {}

/// An operation's output type, as generated code implements it: read from the response body
/// through serde (see [`OperationInput`] for how other protocols extend it), and told the
/// response's request id by [`invoke`].
pub trait OperationOutput: serde::de::DeserializeOwned {
    /// Stores the request id of the response the output was read from.
    fn set_request_id(&mut self, request_id: Option<String>);

    /// Takes the body of a success response as the output's streaming payload member (rest
    /// protocols: S3 `GetObject`'s `Body`), unread: the caller reads it chunk by chunk. Called
    /// by [`invoke`] for operations with a streaming output (`OperationMeta::streaming_output`),
    /// after the output's other members were read; `protocol` is the response's (an event
    /// stream's payloads are in it). The default drops it.
    fn set_streaming_payload(
        &mut self,
        body: crate::primitives::ByteStream,
        protocol: crate::protocol::Protocol,
    ) {
        let _ = (body, protocol);
    }

    /// Whether the body is a blob or string payload member (rest protocols), read by
    /// [`read_http`](Self::read_http) rather than decoded.
    #[cfg(feature = "http-binding")]
    const RAW_PAYLOAD: bool = false;

    /// Reads the members bound to the response's headers and status, and a raw payload
    /// (rest protocols), after the body's members were decoded. The default reads nothing.
    #[cfg(feature = "http-binding")]
    fn read_http(
        &mut self,
        response: &HttpResponse,
    ) -> Result<(), crate::protocol::http_binding::BindingError> {
        let _ = response;
        Ok(())
    }

    /// rest-xml: service-specific fix-ups after the output was read (S3's `ListObjects`,
    /// `ListObjectsV2` and `ListObjectVersions` decode the values S3 URL-encodes when the
    /// response says `EncodingType=url`). The default does nothing.
    #[cfg(feature = "rest-xml")]
    fn post_read(&mut self) {}

    /// query: the element of the response root that holds the output's members (the model's
    /// `resultWrapper`, `<Op>Result`); `None` reads them from the root (ec2).
    #[cfg(feature = "xml")]
    const XML_RESULT_WRAPPER: Option<&'static str> = None;

    /// XML protocols: reads the output's members from the children of `element`. Generated
    /// outputs of crates whose model lists an XML protocol override it; the default is an
    /// error naming the missing decoding.
    #[cfg(feature = "xml")]
    fn read_xml(
        reader: &mut crate::xml::XmlReader<'_>,
        element: &crate::xml::XmlTag<'_>,
    ) -> Result<Self, crate::xml::XmlError> {
        let _ = reader;
        Err(crate::xml::XmlError::new(
            format!(
                "this output type has no XML decoding (its crate was generated from a model \
                 without an XML protocol), reading <{}>",
                element.name()
            ),
            0,
        ))
    }
}

/// Runs one operation end to end in the protocol [`protocol::resolve`](crate::protocol::resolve)
/// picks: serializes `input`, sends it (see [`crate::orchestrator`]), and reads the response.
///
/// - 2xx: the body (empty reads as an empty structure) is deserialized into `O`, which gets
///   the request id; a body that does not parse gives [`SdkError::ResponseError`] (see
///   [`response_error`]).
/// - otherwise: the protocol's error metadata and the body go to `from_response`, which
///   builds the operation's error; the result is [`SdkError::ServiceError`] with the raw
///   response.
///
/// `input` is `None` for operations the model gives no input: awsJson still sends `{}`, CBOR
/// sends no body (and no content type).
pub async fn invoke<I, O, E, F>(
    config: &Config,
    op: &OperationMeta,
    input: Option<&I>,
    from_response: F,
) -> Result<O, SdkError<E>>
where
    I: OperationInput + ?Sized,
    O: OperationOutput,
    F: FnOnce(ErrorMetadata, &ErrorBody<'_>) -> E,
{
    invoke_prefixed(config, op, None, input, None, from_response).await
}

/// [`invoke`] for an operation whose input has a streaming payload member (rest protocols: S3
/// `PutObject`'s `Body`): `body` is that member, moved out of the input, and becomes the
/// request body as it is (no copy). The input's HTTP bindings send no body for the member
/// (the protocol builds the request as for an unset payload), and `body` takes its place:
/// with `content-type: application/octet-stream` when it is not empty and no header member
/// sets `Content-Type`, and with its `content-length` when its length is known (bytes in
/// memory, a file). A body in memory or read from a path is sent again whole when the request
/// is retried; another stream is sent once (see [`Body::replayable`]). `host_prefix` is the
/// endpoint trait's, as for [`invoke_with_host_prefix`].
pub async fn invoke_with_stream<I, O, E, F>(
    config: &Config,
    op: &OperationMeta,
    host_prefix: Option<&str>,
    input: &I,
    body: crate::primitives::ByteStream,
    from_response: F,
) -> Result<O, SdkError<E>>
where
    I: OperationInput + ?Sized,
    O: OperationOutput,
    F: FnOnce(ErrorMetadata, &ErrorBody<'_>) -> E,
{
    let body = Some(body.into_inner());
    match host_prefix {
        None => invoke_prefixed(config, op, None, Some(input), body, from_response).await,
        Some(template) => {
            let prefix =
                expand_prefix(template, Some(input)).map_err(SdkError::construction_failure)?;
            invoke_prefixed(config, op, Some(&prefix), Some(input), body, from_response).await
        }
    }
}

/// [`invoke`] for an operation with an endpoint trait: the request goes to the endpoint's host
/// prefixed by `host_prefix` (e.g. `data.` or `{AccountId}.`), whose `{Member}` labels are
/// replaced by the input's (top-level, string) members of that wire name. A label that is
/// missing, empty or not a valid host label is a construction failure: nothing is sent.
pub async fn invoke_with_host_prefix<I, O, E, F>(
    config: &Config,
    op: &OperationMeta,
    host_prefix: &str,
    input: Option<&I>,
    from_response: F,
) -> Result<O, SdkError<E>>
where
    I: OperationInput + ?Sized,
    O: OperationOutput,
    F: FnOnce(ErrorMetadata, &ErrorBody<'_>) -> E,
{
    let prefix = expand_prefix(host_prefix, input).map_err(SdkError::construction_failure)?;
    invoke_prefixed(config, op, Some(&prefix), input, None, from_response).await
}

/// Builds the request [`invoke`] would send for `input` and presigns it instead of sending it
/// (the generated `.presigned(config)` of the operations that support it; see
/// [`crate::presigning`]). The endpoint, the addressing style, the input's headers and query
/// string and the call's request mutators are as for a sent request; a streaming payload
/// member of the input is left out (the presigned request's sender supplies the body), and
/// no request checksum is computed. `host_prefix` is the endpoint trait's, as for
/// [`invoke_with_host_prefix`]. Every failure is a construction failure: nothing is sent.
pub async fn presign<I, E>(
    config: &Config,
    op: &OperationMeta,
    host_prefix: Option<&str>,
    input: &I,
    presigning: crate::presigning::PresigningConfig,
    payload: crate::presigning::PresignedPayload,
) -> Result<crate::presigning::PresignedRequest, SdkError<E>>
where
    I: OperationInput + ?Sized,
{
    presign_with_env(
        config,
        op,
        host_prefix,
        input,
        &presigning,
        payload,
        &process_env,
    )
    .await
    .map_err(SdkError::construction_failure)
}

/// [`presign`] with the environment read through `env`.
pub async fn presign_with_env<I>(
    config: &Config,
    op: &OperationMeta,
    host_prefix: Option<&str>,
    input: &I,
    presigning: &crate::presigning::PresigningConfig,
    payload: crate::presigning::PresignedPayload,
    env: EnvLookup<'_>,
) -> Result<crate::presigning::PresignedRequest, BoxError>
where
    I: OperationInput + ?Sized,
{
    let wire = Wire::resolve(config, op.service)?;
    let prefix = match host_prefix {
        Some(template) => Some(expand_prefix(template, Some(input))?),
        None => None,
    };
    let mut call = CallEndpoint {
        host_prefix: prefix,
        ..CallEndpoint::default()
    };
    input.endpoint_params(&mut call.params);
    call.params.statics(op.static_endpoint_params);
    // The protocol's request without a request checksum (as the official SDK presigns).
    let request = wire.request(op, Some(input))?;
    Ok(
        crate::orchestrator::presign_request(config, op, request, env, &call, presigning, payload)
            .await?,
    )
}

/// The host prefix `template` with the input's labels (see [`invoke_with_host_prefix`]).
fn expand_prefix<I: OperationInput + ?Sized>(
    template: &str,
    input: Option<&I>,
) -> Result<String, ConstructionError> {
    // rest inputs name their host labels in their HTTP bindings (a label member may be bound
    // to the URI or a header, which the serde body leaves out).
    #[cfg(feature = "http-binding")]
    let bound = input.and_then(|i| i.bind_http().ok());
    #[cfg(feature = "http-binding")]
    let bound_label = |label: &str| {
        bound
            .as_ref()
            .and_then(|b| b.host_label_value(label))
            .map(str::to_owned)
    };
    #[cfg(not(feature = "http-binding"))]
    let bound_label = |_: &str| None;
    expand_host_prefix(template, input, &bound_label)
}

/// [`invoke_prefixed_inner`] inside the operation's `invoke` span (feature `tracing`), with an
/// event when it fails.
async fn invoke_prefixed<I, O, E, F>(
    config: &Config,
    op: &OperationMeta,
    host_prefix: Option<&str>,
    input: Option<&I>,
    stream: Option<Body>,
    from_response: F,
) -> Result<O, SdkError<E>>
where
    I: OperationInput + ?Sized,
    O: OperationOutput,
    F: FnOnce(ErrorMetadata, &ErrorBody<'_>) -> E,
{
    let span = crate::telemetry::invoke_span(op);
    crate::telemetry::instrument(span, async move {
        let result =
            invoke_prefixed_inner(config, op, host_prefix, input, stream, from_response).await;
        if let Err(err) = &result {
            crate::telemetry::report_error(err);
        }
        result
    })
    .await
}

async fn invoke_prefixed_inner<I, O, E, F>(
    config: &Config,
    op: &OperationMeta,
    host_prefix: Option<&str>,
    input: Option<&I>,
    stream: Option<Body>,
    from_response: F,
) -> Result<O, SdkError<E>>
where
    I: OperationInput + ?Sized,
    O: OperationOutput,
    F: FnOnce(ErrorMetadata, &ErrorBody<'_>) -> E,
{
    let wire = Wire::resolve(config, op.service).map_err(SdkError::construction_failure)?;
    let mut call = CallEndpoint {
        host_prefix: host_prefix.map(str::to_owned),
        ..CallEndpoint::default()
    };
    if let Some(input) = input {
        input.endpoint_params(&mut call.params);
    }
    call.params.statics(op.static_endpoint_params);
    #[cfg(feature = "rest-xml")]
    let stream_copy: Option<Option<Body>> = stream.as_ref().map(Body::try_clone);
    let request = wire_request(wire, op, input, stream).map_err(SdkError::construction_failure)?;
    // A streaming body can be sent again (to the region S3 names) only if it is replayable:
    // `None` when it cannot, `Some(None)` when there is no stream.
    #[cfg(feature = "rest-xml")]
    let resend_body: Option<Option<Body>> = match stream_copy {
        None => Some(None),
        Some(copy) => copy.map(Some),
    };
    let sent = send_wire(wire, config, op, request, &process_env, &call).await;
    // S3 answered for a bucket in another region: once more, in that region.
    #[cfg(feature = "rest-xml")]
    let sent = match (
        crate::protocol::rest_xml::redirect_region(op, config, &sent),
        resend_body,
    ) {
        (Some(region), Some(stream)) => {
            let config = config
                .to_builder()
                .region(crate::config::Region::new(region))
                .build();
            let request =
                wire_request(wire, op, input, stream).map_err(SdkError::construction_failure)?;
            send_wire(wire, &config, op, request, &process_env, &call).await
        }
        _ => sent,
    };
    read_response(wire, op, sent?, from_response)
}

/// The protocol's request for `input`, with the streaming payload member `stream` in place
/// of its body and the operation's request checksum.
fn wire_request<I: OperationInput + ?Sized>(
    wire: Wire,
    op: &OperationMeta,
    input: Option<&I>,
    stream: Option<Body>,
) -> Result<ProtocolRequest, BoxError> {
    let mut request = wire.request(op, input)?;
    if let Some(stream) = stream {
        attach_stream(&mut request, stream);
    }
    crate::checksum::apply(&mut request, op.request_checksum.as_ref())?;
    Ok(request)
}

/// Puts a streaming payload member in the place of the body the protocol built for it (none:
/// the bindings send the member as an unset payload), with the content type of a raw blob
/// payload unless a header member set one or the body is empty (as for a blob payload in
/// memory, `http_binding::Payload::Raw`).
fn attach_stream(request: &mut ProtocolRequest, stream: Body) {
    let has_content_type = request
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    if !has_content_type && stream.content_length() != Some(0) {
        request.headers.push((
            "content-type".to_owned(),
            "application/octet-stream".to_owned(),
        ));
    }
    request.body = stream;
}

/// Whether a success response is an error: S3's copies and multipart completions can fail
/// after a 200 (see `rest_xml`).
fn success_is_error(wire: Wire, op: &OperationMeta, response: &HttpResponse) -> bool {
    #[cfg(feature = "rest-xml")]
    return wire.protocol() == crate::protocol::Protocol::RestXml
        && crate::protocol::rest_xml::success_is_error(op, response);
    #[cfg(not(feature = "rest-xml"))]
    {
        let _ = (wire, op, response);
        false
    }
}

/// The response half of [`invoke`].
fn read_response<O, E, F>(
    wire: Wire,
    op: &OperationMeta,
    mut response: HttpResponse,
    from_response: F,
) -> Result<O, SdkError<E>>
where
    O: OperationOutput,
    F: FnOnce(ErrorMetadata, &ErrorBody<'_>) -> E,
{
    crate::telemetry::record_request_id(&crate::telemetry::current(), response.request_id());
    if response.is_success() && !success_is_error(wire, op, &response) {
        match wire.read_output::<O>(&response) {
            Ok(mut output) => {
                // The header's request id; a protocol may have read one from the body.
                if let Some(request_id) = response.request_id() {
                    output.set_request_id(Some(request_id.to_owned()));
                }
                // A streaming output gets the body unread (the orchestrator left it so).
                if op.streaming_output {
                    let body = std::mem::take(&mut response.body);
                    output.set_streaming_payload(
                        crate::primitives::ByteStream::new(body),
                        wire.protocol(),
                    );
                }
                Ok(output)
            }
            Err(err) => Err(response_error(err, response)),
        }
    } else {
        let meta = wire.error_metadata(&response);
        let err = from_response(meta, &ErrorBody::from_wire(wire, &response));
        Err(SdkError::service_error(err, response))
    }
}

/// Builds, signs and sends one request with the serialized input `body`, in the protocol the
/// call uses, returning the response whatever its status.
///
/// The request is the protocol's (e.g. awsJson: `POST /` with `content-type` and
/// `x-amz-target`), sent to the endpoint (from the service's endpoint rule set when it has
/// one, which handles the config's `endpoint_url`, FIPS and dual-stack; else the config's
/// `endpoint_url`, else `https://{endpoint_prefix}.{region}.amazonaws.com`) and signed with
/// SigV4. Region and credentials fall back to the standard environment variables when the
/// config has none. Retries and timeouts apply (see [`crate::orchestrator`]): each attempt is
/// signed anew, and the response returned is the last attempt's.
pub async fn send(
    config: &Config,
    op: &OperationMeta,
    body: impl Into<Body>,
) -> Result<HttpResponse, SendError> {
    send_with_env(config, op, body, &process_env).await
}

/// [`send`] with the environment read through `env` instead of the process environment.
pub async fn send_with_env(
    config: &Config,
    op: &OperationMeta,
    body: impl Into<Body>,
    env: EnvLookup<'_>,
) -> Result<HttpResponse, SendError> {
    let wire = Wire::resolve(config, op.service).map_err(ConstructionError::from)?;
    let request = wire.envelope(op, body.into());
    send_wire(wire, config, op, request, env, &CallEndpoint::default()).await
}

async fn send_wire(
    wire: Wire,
    config: &Config,
    op: &OperationMeta,
    request: ProtocolRequest,
    env: EnvLookup<'_>,
    call: &CallEndpoint,
) -> Result<HttpResponse, SendError> {
    let error_code = move |response: &HttpResponse| {
        if response.is_success() && !success_is_error(wire, op, response) {
            return None;
        }
        wire.error_metadata(response).code().map(str::to_owned)
    };
    crate::orchestrator::send(config, op, request, &error_code, env, call).await
}

/// Builds and signs the request [`send`] would send, without sending it.
pub async fn build_request(
    config: &Config,
    op: &OperationMeta,
    body: impl Into<Body>,
) -> Result<HttpRequest, ConstructionError> {
    build_request_with_env(config, op, body, &process_env).await
}

/// [`build_request`] with the environment read through `env`.
pub async fn build_request_with_env(
    config: &Config,
    op: &OperationMeta,
    body: impl Into<Body>,
    env: EnvLookup<'_>,
) -> Result<HttpRequest, ConstructionError> {
    let wire = Wire::resolve(config, op.service)?;
    let request = wire.envelope(op, body.into());
    crate::orchestrator::build_request(config, op, request, env, &CallEndpoint::default()).await
}

/// Replaces the `{Member}` labels of an endpoint-trait host prefix with the input's values:
/// those `bound` gives, else the input's serde members of that name.
fn expand_host_prefix<I: serde::Serialize + ?Sized>(
    template: &str,
    input: Option<&I>,
    bound: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ConstructionError> {
    let mut members: Option<serde_json::Value> = None;
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let label = &rest[open + 1..close];
        if let Some(v) = bound(label) {
            if !is_host_label(&v) {
                return Err(ConstructionError::InvalidHostLabel {
                    label: label.to_owned(),
                    value: Some(v),
                });
            }
            out.push_str(&v);
            rest = &rest[close + 1..];
            continue;
        }
        if members.is_none() {
            members = Some(
                input
                    .map(serde_json::to_value)
                    .transpose()
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
        let value = members
            .as_ref()
            .and_then(|m| m.get(label))
            .and_then(serde_json::Value::as_str);
        match value {
            Some(v) if is_host_label(v) => out.push_str(v),
            _ => {
                return Err(ConstructionError::InvalidHostLabel {
                    label: label.to_owned(),
                    value: value.map(str::to_owned),
                });
            }
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One DNS label: 1 to 63 letters, digits and dashes, not starting or ending with a dash.
fn is_host_label(value: &str) -> bool {
    (1..=63).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

/// Turns a success response whose body could not be parsed into
/// [`SdkError::ResponseError`]; the error's message carries the status and a body excerpt.
pub fn response_error<E>(source: impl Into<BoxError>, response: HttpResponse) -> SdkError<E> {
    let err = UnparseableResponse {
        status: response.status,
        excerpt: excerpt(response.body.bytes().unwrap_or_default()),
        source: source.into(),
    };
    SdkError::response_error(err, response)
}

const EXCERPT_BYTES: usize = 256;

fn excerpt(body: &[u8]) -> String {
    let cut = body.len().min(EXCERPT_BYTES);
    let mut text = String::from_utf8_lossy(body.get(..cut).unwrap_or(body)).into_owned();
    if body.len() > cut {
        text.push_str("...");
    }
    text
}

/// The source of [`response_error`]'s `ResponseError`.
#[derive(Debug)]
struct UnparseableResponse {
    status: u16,
    excerpt: String,
    source: BoxError,
}

impl fmt::Display for UnparseableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to parse the response (HTTP status {}, body: {:?})",
            self.status, self.excerpt
        )
    }
}

impl Error for UnparseableResponse {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DisplayErrorContext;
    use crate::protocol::Protocol;

    use crate::service::fixtures::response;

    static DIRECT_CONNECT: crate::service::ServiceMeta = crate::service::fixtures::DIRECT_CONNECT;

    static DELETE_VIRTUAL_INTERFACE: OperationMeta = OperationMeta {
        service: &DIRECT_CONNECT,
        name: "DeleteVirtualInterface",
        streaming_output: false,
        event_stream_output: false,
        request_checksum: None,
        static_endpoint_params: &[],
        no_auth: false,
    };

    #[test]
    fn response_error_carries_status_and_excerpt() {
        let body = format!("<html>{}</html>", "x".repeat(1000));
        let err: SdkError<std::io::Error> = response_error(
            "expected value at line 1",
            response(200, &[], body.as_bytes()),
        );
        assert!(matches!(err, SdkError::ResponseError(_)));
        let text = DisplayErrorContext(&err).to_string();
        assert!(
            text.starts_with("response error: failed to parse the response (HTTP status 200"),
            "{text}"
        );
        assert!(text.contains("<html>xxx"), "{text}");
        assert!(text.contains("expected value at line 1"), "{text}");
        let message = err.source().map(ToString::to_string).unwrap_or_default();
        assert!(message.contains(&"x".repeat(200)), "{message}");
        assert!(
            !message.contains(&"x".repeat(300)),
            "the excerpt is bounded"
        );
        assert_eq!(
            err.raw_response().and_then(|r| r.body.content_length()),
            Some(body.len() as u64)
        );
    }

    #[cfg(feature = "test-util")]
    mod dispatch {
        use super::*;
        use crate::config::{Credentials, ProvideCredentials, Region};
        use crate::credentials::CredentialsError;
        use crate::protocol::aws_json::parse_error_metadata;
        use crate::testing::{CannedResponse, CaptureClient, TestServer, verify_sigv4};

        fn creds() -> Credentials {
            Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE", None, None, "test")
        }

        fn no_env(_: &str) -> Option<String> {
            None
        }

        const BODY: &[u8] = br#"{"virtualInterfaceId":"dxvif-ffhhk74f"}"#;

        #[tokio::test]
        async fn captured_request_is_a_signed_awsjson_post() {
            let capture = CaptureClient::new(vec![CannedResponse::json(
                200,
                r#"{"virtualInterfaceState":"deleting"}"#,
            )]);
            let config = Config::builder()
                .region(Region::from_static("us-east-1"))
                .credentials_provider(creds())
                .http_client(capture.clone())
                .build();
            let response =
                send_with_env(&config, &DELETE_VIRTUAL_INTERFACE, BODY.to_vec(), &no_env)
                    .await
                    .expect("sends");
            assert_eq!(response.status, 200);
            assert_eq!(response.body, br#"{"virtualInterfaceState":"deleting"}"#);

            let requests = capture.requests();
            assert_eq!(requests.len(), 1);
            let request = &requests[0];
            assert_eq!(request.method, "POST");
            let uri: ::http::Uri = request.uri.parse().expect("absolute URI");
            assert_eq!(uri.path(), "/");
            assert_eq!(uri.host(), Some("directconnect.us-east-1.amazonaws.com"));
            assert_eq!(uri.scheme_str(), Some("https"));
            assert_eq!(
                request.header("x-amz-target"),
                Some("OvertureService.DeleteVirtualInterface")
            );
            assert_eq!(
                request.header("content-type"),
                Some("application/x-amz-json-1.1")
            );
            assert_eq!(
                request.header("host"),
                Some("directconnect.us-east-1.amazonaws.com")
            );
            assert_eq!(request.header("content-length"), Some("39"));
            assert_eq!(request.body, BODY);
            assert!(request.header("x-amz-date").is_some());
            assert!(request.header("x-amz-security-token").is_none());
            assert!(
                request
                    .header("user-agent")
                    .is_some_and(|ua| ua.contains("api/direct-connect/2012-10-25"))
            );
            let authorization = request.header("authorization").expect("signed");
            assert!(
                authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
                "{authorization}"
            );
            assert!(authorization.contains("/us-east-1/directconnect/aws4_request"));
            assert!(authorization.contains("x-amz-target"), "{authorization}");

            verify_sigv4(request, &creds(), "us-east-1", "directconnect").expect("valid signature");

            let mut tampered = request.clone();
            tampered.body = br#"{"virtualInterfaceId":"dxvif-attacker"}"#.to_vec();
            assert!(verify_sigv4(&tampered, &creds(), "us-east-1", "directconnect").is_err());

            let mut retargeted = request.clone();
            for (name, value) in &mut retargeted.headers {
                if name == "x-amz-target" {
                    *value = "OvertureService.DeleteConnection".to_owned();
                }
            }
            assert!(verify_sigv4(&retargeted, &creds(), "us-east-1", "directconnect").is_err());

            let wrong_secret = Credentials::new("AKIDEXAMPLE", "OTHER", None, None, "test");
            assert!(verify_sigv4(request, &wrong_secret, "us-east-1", "directconnect").is_err());
            assert!(verify_sigv4(request, &creds(), "us-west-2", "directconnect").is_err());
        }

        #[tokio::test]
        async fn explicit_endpoint_session_token_and_env_fallback() {
            let capture = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
            let config = Config::builder()
                .endpoint_url("http://localhost:4566/base")
                .http_client(capture.clone())
                .build();
            let env = |name: &str| {
                match name {
                    "AWS_REGION" => Some("ap-southeast-2"),
                    "AWS_ACCESS_KEY_ID" => Some("ENVKEY"),
                    "AWS_SECRET_ACCESS_KEY" => Some("ENVSECRET"),
                    "AWS_SESSION_TOKEN" => Some("ENVTOKEN"),
                    _ => None,
                }
                .map(str::to_owned)
            };
            send_with_env(&config, &DELETE_VIRTUAL_INTERFACE, BODY.to_vec(), &env)
                .await
                .expect("sends");
            let request = &capture.requests()[0];
            assert_eq!(request.uri, "http://localhost:4566/base/");
            assert_eq!(request.header("host"), Some("localhost:4566"));
            assert_eq!(request.header("x-amz-security-token"), Some("ENVTOKEN"));
            let env_creds = Credentials::new(
                "ENVKEY",
                "ENVSECRET",
                Some("ENVTOKEN".to_owned()),
                None,
                "test",
            );
            verify_sigv4(request, &env_creds, "ap-southeast-2", "directconnect")
                .expect("signed with the environment's credentials and region");
            let other_token =
                Credentials::new("ENVKEY", "ENVSECRET", Some("X".to_owned()), None, "test");
            assert!(
                verify_sigv4(request, &other_token, "ap-southeast-2", "directconnect").is_err()
            );
        }

        async fn construction_error(config: Config) -> (ConstructionError, String) {
            let err = send_with_env(&config, &DELETE_VIRTUAL_INTERFACE, BODY.to_vec(), &no_env)
                .await
                .expect_err("must fail");
            let sdk: SdkError<std::io::Error> = SdkError::from(err);
            let text = DisplayErrorContext(&sdk).to_string();
            let SdkError::ConstructionFailure(_) = &sdk else {
                panic!("expected a construction failure, got {text}");
            };
            let Ok(source) = sdk.into_source() else {
                panic!("construction failures have a source");
            };
            let Ok(err) = source.downcast::<ConstructionError>() else {
                panic!("source is a ConstructionError");
            };
            (*err, text)
        }

        #[tokio::test]
        async fn missing_region_and_credentials_are_named() {
            let capture = CaptureClient::new(vec![]);
            let (err, text) = construction_error(
                Config::builder()
                    .credentials_provider(creds())
                    .http_client(capture.clone())
                    .build(),
            )
            .await;
            assert!(matches!(err, ConstructionError::MissingRegion), "{err:?}");
            assert!(text.contains("no region configured"), "{text}");
            assert!(text.contains("AWS_REGION"), "{text}");

            let (err, text) = construction_error(
                Config::builder()
                    .region(Region::from_static("us-east-1"))
                    .http_client(capture.clone())
                    .build(),
            )
            .await;
            assert!(
                matches!(err, ConstructionError::MissingCredentials),
                "{err:?}"
            );
            assert!(text.contains("no credentials configured"), "{text}");
            assert!(text.contains("AWS_ACCESS_KEY_ID"), "{text}");

            let (err, text) = construction_error(
                Config::builder()
                    .region(Region::from_static("us-east-1"))
                    .credentials_provider(creds())
                    .endpoint_url("localhost:4566")
                    .http_client(capture.clone())
                    .build(),
            )
            .await;
            assert!(
                matches!(err, ConstructionError::InvalidEndpoint { .. }),
                "{err:?}"
            );
            assert!(text.contains("localhost:4566"), "{text}");
            assert!(capture.requests().is_empty(), "nothing was sent");
        }

        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct DeleteInput {
            virtual_interface_id: Option<String>,
        }

        impl OperationInput for DeleteInput {}

        #[derive(serde::Deserialize, Debug, Default, PartialEq)]
        #[serde(rename_all = "camelCase")]
        struct DeleteOutput {
            virtual_interface_state: Option<String>,
            #[serde(skip)]
            request_id: Option<String>,
        }

        impl OperationOutput for DeleteOutput {
            fn set_request_id(&mut self, request_id: Option<String>) {
                self.request_id = request_id;
            }
        }

        #[derive(Debug)]
        enum DeleteError {
            Client(ErrorMetadata, Option<String>),
            Unhandled(crate::error::Unhandled),
        }

        impl DeleteError {
            fn from_response(meta: ErrorMetadata, body: &ErrorBody<'_>) -> Self {
                #[derive(serde::Deserialize, Default)]
                struct Body {
                    message: Option<String>,
                }
                match meta.code() {
                    Some("DirectConnectClientException") => {
                        let body: Body = body.deserialize().unwrap_or_default();
                        Self::Client(meta, body.message)
                    }
                    _ => Self::Unhandled(crate::error::Unhandled::from_meta(meta)),
                }
            }
        }

        #[tokio::test]
        async fn invoke_reads_outputs_and_errors() {
            let capture = CaptureClient::new(vec![
                CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting","extra":1}"#)
                    .header("x-amzn-requestid", "req-ok"),
                CannedResponse::json(200, ""),
                CannedResponse::json(
                    400,
                    r#"{"__type":"DirectConnectClientException","message":"no such vif"}"#,
                )
                .header("x-amzn-requestid", "req-err"),
                CannedResponse::new(503, "<html>busy</html>")
                    .header("x-amzn-errortype", "ServiceUnavailable"),
                CannedResponse::json(200, "<html>proxy</html>"),
            ]);
            // One canned response per call: no retries (the 503 would be retried).
            let config = Config::builder()
                .region(Region::from_static("us-east-1"))
                .credentials_provider(creds())
                .http_client(capture.clone())
                .retry_config(crate::config::retry::RetryConfig::disabled())
                .build();
            let input = DeleteInput {
                virtual_interface_id: Some("dxvif-1".to_owned()),
            };
            let call = || {
                invoke::<_, DeleteOutput, _, _>(
                    &config,
                    &DELETE_VIRTUAL_INTERFACE,
                    Some(&input),
                    DeleteError::from_response,
                )
            };

            // Spawned, as users do: the future of `invoke` is `Send`.
            let (spawned_config, spawned_input) = (
                config.clone(),
                DeleteInput {
                    virtual_interface_id: input.virtual_interface_id.clone(),
                },
            );
            let ok = tokio::spawn(async move {
                invoke::<_, DeleteOutput, _, _>(
                    &spawned_config,
                    &DELETE_VIRTUAL_INTERFACE,
                    Some(&spawned_input),
                    DeleteError::from_response,
                )
                .await
            })
            .await
            .expect("task completes")
            .expect("2xx parses");
            assert_eq!(ok.virtual_interface_state.as_deref(), Some("deleting"));
            assert_eq!(ok.request_id.as_deref(), Some("req-ok"));

            let empty = call().await.expect("an empty body reads as {}");
            assert_eq!(empty, DeleteOutput::default());

            let err = call().await.expect_err("400");
            assert_eq!(err.raw_response().map(|r| r.status), Some(400));
            match err.into_service_error() {
                DeleteError::Client(meta, message) => {
                    assert_eq!(meta.code(), Some("DirectConnectClientException"));
                    assert_eq!(meta.request_id(), Some("req-err"));
                    assert_eq!(message.as_deref(), Some("no such vif"));
                }
                other => panic!("expected the modeled error, got {other:?}"),
            }

            let err = call().await.expect_err("503");
            match err.as_service_error() {
                Some(DeleteError::Unhandled(unhandled)) => {
                    assert_eq!(unhandled.meta().code(), Some("ServiceUnavailable"));
                }
                other => panic!("expected an unhandled service error, got {other:?}"),
            }

            let err = call().await.expect_err("unparseable 2xx");
            assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");

            let sent = capture.requests();
            assert_eq!(sent.len(), 5);
            assert_eq!(sent[0].body, br#"{"virtualInterfaceId":"dxvif-1"}"#);
        }

        impl crate::error::CreateUnhandledError for DeleteError {
            fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
                Self::Unhandled(crate::error::Unhandled::new(
                    source,
                    meta.unwrap_or_default(),
                ))
            }
        }

        #[derive(Debug)]
        struct FailingProvider;

        impl ProvideCredentials for FailingProvider {
            fn provide_credentials<'a>(
                &'a self,
            ) -> crate::credentials::future::ProvideCredentials<'a>
            where
                Self: 'a,
            {
                crate::credentials::future::ProvideCredentials::ready(Err(
                    CredentialsError::not_loaded("sso session expired"),
                ))
            }
        }

        #[tokio::test]
        async fn failing_provider_is_a_construction_error() {
            let (err, text) = construction_error(
                Config::builder()
                    .region(Region::from_static("us-east-1"))
                    .credentials_provider(FailingProvider)
                    .http_client(CaptureClient::new(vec![]))
                    .build(),
            )
            .await;
            assert!(matches!(err, ConstructionError::CredentialsProvider(_)));
            assert!(text.contains("credentials provider"), "{text}");
            assert!(text.contains("sso session expired"), "{text}");
        }

        #[cfg(any(feature = "native-tls", feature = "rustls"))]
        #[tokio::test]
        async fn round_trip_over_loopback_with_the_default_client() {
            let server = TestServer::start(vec![
                CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#)
                    .header("x-amzn-RequestId", "ok-req-1"),
                CannedResponse::json(
                    400,
                    r#"{"__type":"DirectConnectClientException","message":"no such vif"}"#,
                )
                .header("x-amzn-RequestId", "err-req-2"),
            ]);
            let config = Config::builder()
                .region(Region::from_static("us-east-1"))
                .endpoint_url(server.url())
                .credentials_provider(creds())
                .build();
            assert!(config.http_client().is_none(), "uses the default client");

            // Spawned: the future of `send` is `Send + 'static` when its inputs are.
            let spawned = config.clone();
            let ok = tokio::spawn(async move {
                send_with_env(&spawned, &DELETE_VIRTUAL_INTERFACE, BODY.to_vec(), &no_env).await
            })
            .await
            .expect("task completes")
            .expect("round trip");
            assert_eq!(ok.status, 200);
            assert!(ok.is_success());
            assert_eq!(ok.body, br#"{"virtualInterfaceState":"deleting"}"#);
            assert_eq!(ok.request_id(), Some("ok-req-1"));
            assert_eq!(
                ok.header("content-type"),
                Some("application/x-amz-json-1.1")
            );

            let cloned = config.clone();
            let err = send_with_env(&cloned, &DELETE_VIRTUAL_INTERFACE, b"{}".to_vec(), &no_env)
                .await
                .expect("an error status is still a response");
            assert_eq!(err.status, 400);
            assert!(!err.is_success());
            let meta = parse_error_metadata(&err);
            assert_eq!(meta.code(), Some("DirectConnectClientException"));
            assert_eq!(meta.message(), Some("no such vif"));
            assert_eq!(meta.request_id(), Some("err-req-2"));

            let received = server.requests();
            assert_eq!(received.len(), 2);
            let first = &received[0];
            assert_eq!(first.method, "POST");
            assert_eq!(first.uri, "/");
            assert_eq!(first.body, BODY);
            assert_eq!(
                first.header("x-amz-target"),
                Some("OvertureService.DeleteVirtualInterface")
            );
            let count = |name: &str| {
                first
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .count()
            };
            assert_eq!(count("host"), 1, "{:?}", first.headers);
            assert_eq!(count("content-length"), 1, "{:?}", first.headers);
            assert_eq!(first.header("host"), server.url().strip_prefix("http://"));
            verify_sigv4(first, &creds(), "us-east-1", "directconnect")
                .expect("the server sees a valid signature");
            assert_eq!(received[1].body, b"{}");
        }

        /// CBOR asked for in the config: sent with the `rpc-v2-cbor` feature; without it, a
        /// construction failure naming the feature, and nothing reaches the HTTP client.
        #[tokio::test]
        async fn cbor_call_needs_the_feature() {
            let capture = CaptureClient::new(vec![
                CannedResponse::new(200, vec![0xa0]).header("smithy-protocol", "rpc-v2-cbor"),
            ]);
            let config = Config::builder()
                .region(Region::from_static("us-east-1"))
                .credentials_provider(creds())
                .http_client(capture.clone())
                .protocol(Protocol::RpcV2Cbor)
                .build();
            let input = DeleteInput {
                virtual_interface_id: Some("dxvif-1".to_owned()),
            };
            let call = |config: Config| {
                let input = &input;
                async move {
                    invoke::<_, DeleteOutput, std::io::Error, _>(
                        &config,
                        &DELETE_VIRTUAL_INTERFACE,
                        Some(input),
                        |meta, _| std::io::Error::other(format!("{meta:?}")),
                    )
                    .await
                }
            };
            let result = call(config.clone()).await;
            if cfg!(feature = "rpc-v2-cbor") {
                assert_eq!(result.expect("CBOR call").virtual_interface_state, None);
                let requests = capture.requests();
                assert_eq!(requests.len(), 1);
                assert_eq!(requests[0].header("smithy-protocol"), Some("rpc-v2-cbor"));
            } else {
                let err = result.expect_err("CBOR is off");
                assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
                let text = DisplayErrorContext(&err).to_string();
                assert!(
                    text.contains("protocol rpcv2Cbor needs the `rpc-v2-cbor` Cargo feature"),
                    "{text}"
                );
                assert!(capture.requests().is_empty());
                // awsJson, the default when the config names no protocol, still works.
                let capture_json = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
                let mut builder = config.to_builder();
                builder.set_protocol(None);
                call(builder.http_client(capture_json.clone()).build())
                    .await
                    .expect("awsJson call");
                assert_eq!(capture_json.requests().len(), 1);
            }
        }

        #[cfg(any(feature = "native-tls", feature = "rustls"))]
        #[tokio::test]
        async fn connection_refused_is_a_dispatch_failure() {
            let port = {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
                listener.local_addr().expect("has address").port()
            };
            // Without retries: connect failures are retried with backoff otherwise.
            let config = Config::builder()
                .region(Region::from_static("us-east-1"))
                .endpoint_url(format!("http://127.0.0.1:{port}"))
                .credentials_provider(creds())
                .retry_config(crate::config::retry::RetryConfig::disabled())
                .build();
            let err = send_with_env(&config, &DELETE_VIRTUAL_INTERFACE, BODY.to_vec(), &no_env)
                .await
                .expect_err("nothing listens");
            let SendError::DispatchFailure(connector) = &err else {
                panic!("expected a dispatch failure, got {err:?}");
            };
            assert!(connector.is_io(), "{connector:?}");
            let sdk: SdkError<std::io::Error> = err.into();
            assert!(
                matches!(&sdk, SdkError::DispatchFailure(f) if f.is_io()),
                "{sdk:?}"
            );
            assert_eq!(sdk.to_string(), "dispatch failure");
        }
    }
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> ProtocolRequest {
        ProtocolRequest {
            method: "PUT",
            path_and_query: "/b/k".to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: Body::empty(),
        }
    }

    #[test]
    fn a_stream_takes_the_payload_place_with_a_raw_content_type() {
        let mut r = request(&[("x-foo", "1")]);
        attach_stream(&mut r, Body::from(b"abc".to_vec()));
        assert_eq!(r.body.bytes(), Some(&b"abc"[..]));
        assert_eq!(
            r.headers,
            [("x-foo", "1"), ("content-type", "application/octet-stream")]
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
        // A header member's content type is kept.
        let mut r = request(&[("Content-Type", "text/plain")]);
        attach_stream(&mut r, Body::from(b"abc".to_vec()));
        assert_eq!(
            r.headers,
            [("Content-Type".to_owned(), "text/plain".to_owned())]
        );
        // No body, no content type.
        let mut r = request(&[]);
        attach_stream(&mut r, Body::empty());
        assert!(r.headers.is_empty());
        assert_eq!(r.body.bytes(), Some(&b""[..]));
    }
}

#[cfg(test)]
mod host_prefix_tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Input {
        #[serde(rename = "label")]
        label: Option<String>,
    }

    #[test]
    fn labels_are_replaced_and_checked() {
        let input = |v: Option<&str>| Input {
            label: v.map(str::to_owned),
        };
        assert_eq!(
            expand_host_prefix::<Input>("foo.", None, &|_| None).expect("static"),
            "foo."
        );
        assert_eq!(
            expand_host_prefix("foo.{label}.", Some(&input(Some("bar"))), &|_| None)
                .expect("label"),
            "foo.bar."
        );
        for bad in [None, Some(""), Some("a.b"), Some("-x"), Some("x/y")] {
            let err = expand_host_prefix("foo.{label}.", Some(&input(bad)), &|_| None).unwrap_err();
            assert!(
                matches!(&err, ConstructionError::InvalidHostLabel { label, .. } if label == "label"),
                "{err:?}"
            );
        }
        // A value from the bindings comes first, and is checked the same way.
        let bound = |l: &str| (l == "label").then(|| "bound".to_owned());
        assert_eq!(
            expand_host_prefix("foo.{label}.", Some(&input(Some("serde"))), &bound)
                .expect("bound label"),
            "foo.bound."
        );
        let bad = |_: &str| Some("a.b".to_owned());
        assert!(expand_host_prefix::<Input>("{label}.", None, &bad).is_err());
    }
}
