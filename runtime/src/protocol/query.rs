//! The query protocol (`awsQuery`: STS, IAM, SNS, CloudFormation, ...), and what ec2 shares
//! with it.
//!
//! Requests are `POST /` with `content-type: application/x-www-form-urlencoded;
//! charset=utf-8` and a form body `Action={operation}&Version={api version}&...`, the members
//! written by the generated [`OperationInput::write_query`] (see [`crate::query_form`]).
//! Responses are XML: `<{Op}Response><{Op}Result>members</{Op}Result><ResponseMetadata>
//! <RequestId>..</RequestId></ResponseMetadata></{Op}Response>`, the members read by the
//! generated [`OperationOutput::read_xml`] from the `resultWrapper` element. Errors are
//! `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`; the code is
//! the exception's `error.code` when the model gives one.

use super::{Protocol, ProtocolRequest, WireProtocol};
use crate::error::{AWS_REQUEST_ID, ErrorMetadata, RequestId};
use crate::http::{Body, BoxError, HttpResponse};
use crate::operation::{OperationInput, OperationOutput};
use crate::query_form::QueryWriter;
use crate::service::OperationMeta;
use crate::xml::{XmlError, XmlReader, parse_error_body};

/// The content type of query and ec2 requests (as botocore sends it).
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// The query protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AwsQuery;

/// The request of a query or ec2 call: the form body `body` posted to `/`.
pub(crate) fn form_request(body: Body) -> ProtocolRequest {
    ProtocolRequest {
        method: "POST",
        path_and_query: "/".to_owned(),
        headers: vec![("content-type".to_owned(), CONTENT_TYPE.to_owned())],
        body,
    }
}

/// Encodes `input` as the form body of operation `op`.
pub(crate) fn form_body<I: OperationInput + ?Sized>(
    op: &OperationMeta,
    input: Option<&I>,
    ec2: bool,
) -> Result<Vec<u8>, BoxError> {
    let mut writer = QueryWriter::new(op.name, op.service.api_version, ec2);
    if let Some(input) = input {
        input.write_query(&mut writer)?;
    }
    Ok(writer.finish().into_bytes())
}

/// Reads the output of a query or ec2 response: the members from the result wrapper (or the
/// root), the request id from the body. An empty body reads as an empty output, unless the
/// output has a result wrapper, which a service always sends (an empty 200 then comes from
/// something else, such as a proxy, and is an error naming the status).
pub(crate) fn read_xml_output<O: OperationOutput>(response: &HttpResponse) -> Result<O, BoxError> {
    let bytes = response.body.bytes().unwrap_or_default();
    let empty = bytes.iter().all(u8::is_ascii_whitespace);
    if let (true, Some(wrapper)) = (empty, O::XML_RESULT_WRAPPER) {
        return Err(format!(
            "the response (HTTP {}) has an empty body where <{wrapper}> was expected",
            response.status
        )
        .into());
    }
    let document = if empty { &b"<Response/>"[..] } else { bytes };
    let (mut output, request_id) = XmlReader::new(document)
        .and_then(|mut r| r.read_result(O::XML_RESULT_WRAPPER, O::read_xml))
        .map_err(|e| response_xml_error(e, response))?;
    let request_id = match request_id {
        Some(id) => Some(id),
        None if !empty => root_request_id(bytes),
        None => None,
    };
    output.set_request_id(request_id);
    Ok(output)
}

/// The request id a response root carries directly (`<requestId>` in ec2, `<RequestId>`).
fn root_request_id(bytes: &[u8]) -> Option<String> {
    let mut r = XmlReader::new(bytes).ok()?;
    r.root().ok()?;
    while let Some(child) = r.next_child().ok()? {
        match child.local_name() {
            "requestId" | "RequestId" => return r.text().ok().map(|t| t.trim().to_owned()),
            _ => r.skip().ok()?,
        }
    }
    None
}

/// An XML error with the response's status and an excerpt of its body.
fn response_xml_error(err: XmlError, response: &HttpResponse) -> BoxError {
    let bytes = response.body.bytes().unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    format!(
        "cannot read the XML response (HTTP {}): {err}; body begins {:?}",
        response.status, text
    )
    .into()
}

/// Code, message and request id of a query, ec2 or rest-xml error response (the body's
/// request id, else the header's). Never fails: a body that is not XML yields none.
pub fn parse_error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let bytes = response.body.bytes().unwrap_or_default();
    let fields = parse_error_body(bytes).unwrap_or_default();
    let mut builder = ErrorMetadata::builder();
    if let Some(code) = fields.code.as_deref().filter(|c| !c.is_empty()) {
        builder = builder.code(code);
    }
    if let Some(message) = fields.message.as_deref() {
        builder = builder.message(message);
    }
    if let Some(id) = fields
        .request_id
        .as_deref()
        .or_else(|| response.request_id())
    {
        builder = builder.custom(AWS_REQUEST_ID, id);
    }
    builder.build()
}

/// Error members are read as XML ([`ErrorBody::read_xml`](super::ErrorBody::read_xml)), not
/// through serde.
pub(crate) fn no_serde<T>() -> Result<T, BoxError> {
    Err("the XML protocols read error members as XML, not through serde".into())
}

impl WireProtocol for AwsQuery {
    fn protocol(&self) -> Protocol {
        Protocol::Query
    }

    fn request<I: OperationInput + ?Sized>(
        &self,
        op: &OperationMeta,
        input: Option<&I>,
    ) -> Result<ProtocolRequest, BoxError> {
        Ok(form_request(Body::from(form_body(op, input, false)?)))
    }

    fn envelope(&self, _op: &OperationMeta, body: Body) -> ProtocolRequest {
        form_request(body)
    }

    fn read_output<O: OperationOutput>(&self, response: &HttpResponse) -> Result<O, BoxError> {
        read_xml_output(response)
    }

    fn deserialize<T: serde::de::DeserializeOwned>(&self, _body: &[u8]) -> Result<T, BoxError> {
        no_serde()
    }

    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata {
        parse_error_metadata(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::fixtures::response;

    #[test]
    fn error_metadata_of_query_and_ec2_bodies() {
        let meta = parse_error_metadata(&response(
            400,
            &[],
            b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code>\
              <Message>Hi</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>",
        ));
        assert_eq!(meta.code(), Some("InvalidGreeting"));
        assert_eq!(meta.message(), Some("Hi"));
        assert_eq!(meta.request_id(), Some("foo-id"));
        let meta = parse_error_metadata(&response(
            400,
            &[("x-amzn-requestid", "hdr")],
            b"<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>\
              <Message>m</Message></Error></Errors><RequestID>ec2-id</RequestID></Response>",
        ));
        assert_eq!(meta.code(), Some("InvalidInstanceID.NotFound"));
        assert_eq!(meta.request_id(), Some("ec2-id"));
        let meta = parse_error_metadata(&response(
            502,
            &[("x-amzn-requestid", "hdr")],
            b"<html><body>Bad Gateway</body></html>",
        ));
        assert_eq!((meta.code(), meta.message()), (None, None));
        assert_eq!(meta.request_id(), Some("hdr"));
    }

    /// An output as generated code writes it, with a result wrapper (query) or without (ec2).
    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    struct Out<const WRAPPED: bool> {
        name: Option<String>,
        #[serde(skip)]
        request_id: Option<String>,
    }

    impl<const WRAPPED: bool> crate::xml::XmlRead for Out<WRAPPED> {
        fn read_xml(
            r: &mut XmlReader<'_>,
            _tag: &crate::xml::XmlTag<'_>,
        ) -> Result<Self, XmlError> {
            let mut out = Self::default();
            while let Some(c) = r.next_child()? {
                match c.local_name() {
                    "Name" => out.name = Some(r.read_string(&c)?),
                    _ => r.skip()?,
                }
            }
            Ok(out)
        }
    }

    impl<const WRAPPED: bool> OperationOutput for Out<WRAPPED> {
        fn set_request_id(&mut self, request_id: Option<String>) {
            self.request_id = request_id;
        }
        const XML_RESULT_WRAPPER: Option<&'static str> =
            if WRAPPED { Some("OpResult") } else { None };
        fn read_xml(r: &mut XmlReader<'_>, tag: &crate::xml::XmlTag<'_>) -> Result<Self, XmlError> {
            <Self as crate::xml::XmlRead>::read_xml(r, tag)
        }
    }

    #[test]
    fn outputs_read_members_and_request_ids() {
        let out: Out<true> = read_xml_output(&response(
            200,
            &[],
            b"<OpResponse xmlns=\"https://x/\"><OpResult><Name>a&amp;b</Name><Other><x/></Other>\
              </OpResult><ResponseMetadata><RequestId>q-1</RequestId></ResponseMetadata></OpResponse>",
        ))
        .unwrap();
        assert_eq!(
            (out.name.as_deref(), out.request_id.as_deref()),
            (Some("a&b"), Some("q-1"))
        );
        let out: Out<false> = read_xml_output(&response(
            200,
            &[],
            b"<OpResponse><Name>n</Name><requestId>e-1</requestId></OpResponse>",
        ))
        .unwrap();
        assert_eq!(
            (out.name.as_deref(), out.request_id.as_deref()),
            (Some("n"), Some("e-1"))
        );
        // No result element (an HTML page that happens to be well-formed, say): an error.
        let err =
            read_xml_output::<Out<true>>(&response(200, &[], b"<html><body>Hi</body></html>"))
                .unwrap_err();
        assert!(
            err.to_string().contains("<html> has no <OpResult> element"),
            "{err}"
        );
    }

    #[test]
    fn bad_success_bodies_are_errors_with_status_and_excerpt() {
        let err = read_xml_output::<Out<true>>(&response(200, &[], b"")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the response (HTTP 200) has an empty body where <OpResult> was expected"
        );
        for body in [
            &b"<html><body><h1>Bad Gateway</h1><br></body></html>"[..],
            b"<OpResponse><OpResult><Name>trunc",
            b"{\"json\": true}",
        ] {
            let err = read_xml_output::<Out<true>>(&response(200, &[], body)).unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.starts_with("cannot read the XML response (HTTP 200): invalid XML at byte"),
                "{msg}"
            );
            let excerpt = String::from_utf8_lossy(&body[..body.len().min(12)]).into_owned();
            assert!(
                msg.contains(&format!("{:?}", excerpt).trim_end_matches('"').to_string()),
                "{msg}"
            );
        }
        // Without a wrapper an empty body is an empty output (operations without members).
        assert_eq!(
            read_xml_output::<Out<false>>(&response(200, &[], b" ")).unwrap(),
            Out::default()
        );
    }

    #[test]
    fn request_is_a_form_post() {
        let request = AwsQuery.envelope(
            &OperationMeta {
                service: &crate::service::fixtures::DIRECT_CONNECT,
                name: "X",
                streaming_output: false,
                event_stream_output: false,
                request_checksum: None,
                static_endpoint_params: &[],
                no_auth: false,
            },
            Body::from("Action=X&Version=1"),
        );
        assert_eq!(request.method, "POST");
        assert_eq!(request.path_and_query, "/");
        assert_eq!(
            request.headers,
            [("content-type".to_owned(), CONTENT_TYPE.to_owned())]
        );
    }
}
