//! rest-xml (`Protocol::RestXml`, feature `rest-xml`: S3, Route 53, CloudFront, ...).
//!
//! The request is what the input's HTTP bindings say ([`http_binding`](super::http_binding):
//! method, URI with labels and query, headers), with a body as botocore's
//! `RestXMLSerializer` writes it:
//!
//! - members not bound elsewhere: one element named by the operation's input reference
//!   (`locationName`, with its `xmlNamespace`) holding the members that are set; no body when
//!   none is set;
//! - a structure payload member: that member as the document's root element (no body when it
//!   is unset);
//! - a blob or string payload member: its bytes as they are (nothing when unset).
//!
//! The generated [`OperationInput::xml_body`] writes the document. An XML body goes with
//! `content-type: application/xml` (as the official SDKs send it; botocore sends none), a raw
//! payload as in rest-json.
//!
//! Responses: the root element's children give the output's members (or a structure payload
//! member is the root element itself), read by the generated [`OperationOutput::read_xml`];
//! an empty body reads as an empty output. Then `read_http` reads the members bound to
//! headers and the status.
//!
//! Errors: `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`
//! (Route 53, CloudFront) or S3's bare `<Error><Code/>...</Error>`. A response without a
//! body (HEAD) or whose body is not XML gets its code from the status, as the official SDK
//! reads S3's: 404 `NotFound`, 403 `Forbidden`, 400 `BadRequest`, 304 `NotModified`, 412
//! `PreconditionFailed`, others the status number (as botocore).
//!
//! S3 answers `CopyObject`, `UploadPartCopy` and `CompleteMultipartUpload` with status 200
//! and an `<Error>` document when the copy or completion fails after it started: such a
//! response is an error ([`success_is_error`]), as botocore and the official SDK treat it,
//! and retried as a 500 would be (botocore's `check_for_200_error`).

use super::http_binding::{BindingError, HttpBindings, Payload};
use super::{Protocol, ProtocolRequest, WireProtocol};
use crate::error::{AWS_REQUEST_ID, ErrorMetadata, RequestId};
use crate::http::{Body, BoxError, HttpResponse};
use crate::operation::{OperationInput, OperationOutput};
use crate::service::OperationMeta;
use crate::xml::{XmlError, XmlReader, parse_error_body};

/// rest-xml.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RestXml;

/// The content type of an XML request body.
pub const XML: &str = "application/xml";

impl WireProtocol for RestXml {
    fn protocol(&self) -> Protocol {
        Protocol::RestXml
    }

    /// The input's HTTP bindings and XML body; generated rest-xml crates always pass the
    /// input (an operation without one has an empty synthetic input carrying its bindings).
    fn request<I: OperationInput + ?Sized>(
        &self,
        _op: &OperationMeta,
        input: Option<&I>,
    ) -> Result<ProtocolRequest, BoxError> {
        match input {
            Some(input) => build_request(input.bind_http()?, || input.xml_body()),
            None => Err(Box::new(BindingError::Unbound)),
        }
    }

    /// `POST /` with the body as it is (an XML document when not empty).
    fn envelope(&self, _op: &OperationMeta, body: Body) -> ProtocolRequest {
        let empty = body.content_length() == Some(0);
        ProtocolRequest {
            method: "POST",
            path_and_query: "/".to_owned(),
            headers: if empty {
                Vec::new()
            } else {
                vec![("content-type".to_owned(), XML.to_owned())]
            },
            body,
        }
    }

    fn read_output<O: OperationOutput>(&self, response: &HttpResponse) -> Result<O, BoxError> {
        let mut output: O = if O::RAW_PAYLOAD {
            read_document(b"<Response/>", response)?
        } else {
            read_document(response.body.bytes().unwrap_or_default(), response)?
        };
        output.read_http(response)?;
        output.post_read();
        Ok(output)
    }

    /// Error members are read as XML ([`ErrorBody::read_xml`](super::ErrorBody::read_xml)),
    /// not through serde.
    fn deserialize<T: serde::de::DeserializeOwned>(&self, _body: &[u8]) -> Result<T, BoxError> {
        Err("rest-xml reads error members as XML, not through serde".into())
    }

    fn error_metadata(&self, response: &HttpResponse) -> ErrorMetadata {
        parse_error_metadata(response)
    }
}

/// The request for an input whose bindings are `bindings`; `xml_body` writes the XML body
/// (`None`: no body) when the bindings say the members or a structure payload make it.
pub(crate) fn build_request(
    bindings: HttpBindings,
    xml_body: impl FnOnce() -> Result<Option<String>, BoxError>,
) -> Result<ProtocolRequest, BoxError> {
    bindings.into_request(|payload| {
        Ok(match payload {
            Payload::Members | Payload::Structure { set: true } => match xml_body()? {
                Some(document) => (Body::from(document.into_bytes()), Some(XML)),
                None => (Body::empty(), None),
            },
            _ => (Body::empty(), None),
        })
    })
}

/// Reads an output from the root element of `bytes` (an empty body reads as an empty
/// element); a document that does not parse is an error with the status and an excerpt.
fn read_document<O: OperationOutput>(bytes: &[u8], response: &HttpResponse) -> Result<O, BoxError> {
    let empty = bytes.iter().all(u8::is_ascii_whitespace);
    let document = if empty { &b"<Response/>"[..] } else { bytes };
    let read = || -> Result<O, XmlError> {
        let mut reader = XmlReader::new(document)?;
        let root = reader.root()?;
        O::read_xml(&mut reader, &root)
    };
    read().map_err(|err| {
        let excerpt = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
        format!(
            "cannot read the XML response (HTTP {}): {err}; body begins {excerpt:?}",
            response.status
        )
        .into()
    })
}

/// The code of an error response without a usable body, from its status (see the module
/// docs).
pub fn status_code_name(status: u16) -> String {
    match status {
        304 => "NotModified".to_owned(),
        400 => "BadRequest".to_owned(),
        403 => "Forbidden".to_owned(),
        404 => "NotFound".to_owned(),
        412 => "PreconditionFailed".to_owned(),
        other => other.to_string(),
    }
}

/// Code, message and request id of a rest-xml error response: from the body
/// (`<ErrorResponse><Error>` or S3's `<Error>`), else the code from the status (see the module
/// docs). The request id is the body's, else `x-amzn-requestid` or `x-amz-request-id`; S3's
/// `x-amz-id-2` is kept as the extended request id (`s3_extended_request_id`). Never fails.
pub fn parse_error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let bytes = response.body.bytes().unwrap_or_default();
    let fields = parse_error_body(bytes).unwrap_or_default();
    let mut builder = ErrorMetadata::builder();
    match fields.code.as_deref().filter(|c| !c.is_empty()) {
        Some(code) => builder = builder.code(code),
        None => builder = builder.code(status_code_name(response.status)),
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
    if let Some(host_id) = response.header("x-amz-id-2") {
        builder = builder.custom(S3_EXTENDED_REQUEST_ID, host_id);
    }
    builder.build()
}

/// The region to send an S3 request to again, as botocore's `S3RegionRedirectorv2` does, when
/// S3 answered `sent` for a bucket in another region than the config's: a redirect (301, 302,
/// 307: refused unread), `PermanentRedirect`, `AuthorizationHeaderMalformed`,
/// `IllegalLocationConstraintException` (but for `CreateBucket`), or a 301/400 to
/// `HeadObject`/`HeadBucket` (no body), with the bucket's region in the `x-amz-bucket-region`
/// header or the error's `<Region>`. `None` otherwise (the call ends with what S3 said).
pub fn redirect_region(
    op: &OperationMeta,
    config: &crate::config::Config,
    sent: &Result<HttpResponse, crate::error::SendError>,
) -> Option<String> {
    if op.service.service_id != "S3" {
        return None;
    }
    let (response, refused) = match sent {
        Ok(response) if !response.is_success() => (response, false),
        Err(crate::error::SendError::ResponseRejected(_, response)) => (response, true),
        _ => return None,
    };
    let status = response.status;
    let code = parse_error_metadata(response).code().map(str::to_owned);
    let head = matches!(op.name, "HeadObject" | "HeadBucket") && matches!(status, 301 | 400);
    let redirected = (refused && matches!(status, 301 | 302 | 307))
        || matches!(
            code.as_deref(),
            Some("PermanentRedirect" | "AuthorizationHeaderMalformed")
        )
        || (code.as_deref() == Some("IllegalLocationConstraintException")
            && op.name != "CreateBucket");
    if !(head || redirected) {
        return None;
    }
    let region = response
        .header("x-amz-bucket-region")
        .map(str::to_owned)
        .or_else(|| error_region(response.body.bytes().unwrap_or_default()))?;
    let region = region.trim();
    let current = config.region().map(|r| r.as_ref().to_owned());
    (!region.is_empty() && current.as_deref() != Some(region)).then(|| region.to_owned())
}

/// The `<Region>` of an S3 `<Error>` document.
fn error_region(bytes: &[u8]) -> Option<String> {
    let mut reader = XmlReader::new(bytes).ok()?;
    let root = reader.root().ok()?;
    if root.local_name() != "Error" {
        return None;
    }
    while let Some(child) = reader.next_child().ok()? {
        if child.local_name() == "Region" {
            return reader.text().ok();
        }
        reader.skip().ok()?;
    }
    None
}

/// Decodes a value S3 URL-encoded (`EncodingType=url`) as botocore does (`unquote_plus`):
/// `%XX` escapes are bytes, `+` is a space, the result read as UTF-8 (invalid sequences
/// replaced); a `%` not followed by two hex digits is kept as it is.
pub fn url_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match value
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(byte) => {
                    out.push(byte);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes `value` in place when set (see [`url_decode`]).
#[inline]
pub fn url_decode_in_place(value: &mut Option<String>) {
    if let Some(v) = value {
        *v = url_decode(v);
    }
}

/// Where error metadata keeps S3's extended request id (`x-amz-id-2`), as the official SDK.
pub const S3_EXTENDED_REQUEST_ID: &str = "s3_extended_request_id";

/// Whether a success response of operation `op` is in fact an error: S3's `CopyObject`,
/// `UploadPartCopy` and `CompleteMultipartUpload` with an `<Error>` document (botocore's
/// `_handle_200_error`; the official SDK reads it as the operation's error too).
pub fn success_is_error(op: &OperationMeta, response: &HttpResponse) -> bool {
    if op.service.service_id != "S3"
        || !matches!(
            op.name,
            "CopyObject" | "UploadPartCopy" | "CompleteMultipartUpload"
        )
        || !response.is_success()
    {
        return false;
    }
    let Some(bytes) = response.body.bytes() else {
        return false;
    };
    XmlReader::new(bytes)
        .and_then(|mut r| r.root().map(|root| root.local_name() == "Error"))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::fixtures::response;
    use crate::xml::{XmlRead, XmlTag};

    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    struct Out {
        name: Option<String>,
        size: Option<i64>,
        #[serde(skip)]
        etag: Option<String>,
    }

    impl XmlRead for Out {
        fn read_xml(r: &mut XmlReader<'_>, _tag: &XmlTag<'_>) -> Result<Self, XmlError> {
            let mut out = Self::default();
            while let Some(c) = r.next_child()? {
                match c.local_name() {
                    "Name" => out.name = Some(r.read_string(&c)?),
                    "Size" => out.size = Some(r.read_i64(&c)?),
                    _ => r.skip()?,
                }
            }
            Ok(out)
        }
    }

    impl OperationOutput for Out {
        fn set_request_id(&mut self, _: Option<String>) {}
        fn read_http(&mut self, response: &HttpResponse) -> Result<(), BindingError> {
            self.etag = super::super::http_binding::header(response, "ETag")?;
            Ok(())
        }
        fn read_xml(r: &mut XmlReader<'_>, tag: &XmlTag<'_>) -> Result<Self, XmlError> {
            <Self as XmlRead>::read_xml(r, tag)
        }
    }

    #[test]
    fn outputs_read_root_children_then_headers() {
        let out: Out = RestXml
            .read_output(&response(
                200,
                &[("ETag", "\"e1\"")],
                b"<?xml version=\"1.0\"?>\n<Result xmlns=\"http://s3/\"><Name>a&amp;b</Name>\
                  <Skip><x/></Skip><Size>12</Size></Result>",
            ))
            .expect("reads");
        assert_eq!(out.name.as_deref(), Some("a&b"));
        assert_eq!(out.size, Some(12));
        assert_eq!(out.etag.as_deref(), Some("\"e1\""));
        let empty: Out = RestXml
            .read_output(&response(200, &[], b""))
            .expect("empty");
        assert_eq!(empty, Out::default());
        for body in [
            &b"<Result><Size>big</Size></Result>"[..],
            b"<Result><Name>",
            b"{}",
        ] {
            let err = RestXml
                .read_output::<Out>(&response(200, &[], body))
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("cannot read the XML response (HTTP 200): invalid XML at byte"),
                "{err}"
            );
        }
    }

    #[test]
    fn error_bodies_and_bodiless_errors() {
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
            404,
            &[("x-amz-request-id", "r-2"), ("x-amz-id-2", "h-2")],
            b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>\
              <Key>k</Key><RequestId>r-2</RequestId></Error>",
        ));
        assert_eq!(meta.code(), Some("NoSuchKey"));
        assert_eq!(meta.request_id(), Some("r-2"));
        assert_eq!(meta.extra(S3_EXTENDED_REQUEST_ID), Some("h-2"));
        let head = parse_error_metadata(&response(404, &[("x-amz-request-id", "r-3")], b""));
        assert_eq!(head.code(), Some("NotFound"));
        assert_eq!(head.request_id(), Some("r-3"));
        assert_eq!(
            parse_error_metadata(&response(403, &[], b"")).code(),
            Some("Forbidden")
        );
        assert_eq!(
            parse_error_metadata(&response(503, &[], b"<html>busy")).code(),
            Some("503")
        );
    }

    #[test]
    fn url_decoding_as_botocore_unquote_plus() {
        // Expected values: Python's urllib.parse.unquote_plus.
        assert_eq!(url_decode("a+b%2Fc%C3%BC%2B%25.txt"), "a b/cü+%.txt");
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("%zz%4"), "%zz%4");
        assert_eq!(url_decode("%FF"), "\u{fffd}");
        let mut v = Some("x%20y".to_owned());
        url_decode_in_place(&mut v);
        assert_eq!(v.as_deref(), Some("x y"));
    }

    #[test]
    fn bodies_and_content_types() {
        let mut b = HttpBindings::new("PUT", "/{Bucket}?tagging");
        b.label("Bucket", "Bucket", Some("b"));
        let r = build_request(b, || Ok(Some("<Tagging/>".to_owned()))).expect("builds");
        assert_eq!(r.path_and_query, "/b?tagging");
        assert_eq!(r.body.bytes(), Some(&b"<Tagging/>"[..]));
        assert_eq!(r.headers, [("content-type".to_owned(), XML.to_owned())]);
        // No member in the body: no body, no content type.
        let b = HttpBindings::new("GET", "/");
        let r = build_request(b, || Ok(None)).expect("builds");
        assert_eq!(r.body.bytes(), Some(&b""[..]));
        assert!(r.headers.is_empty());
        // An unset structure payload: no body, the writer is not called.
        let mut b = HttpBindings::new("PUT", "/");
        b.payload(Payload::Structure { set: false });
        let r = build_request(b, || Err("not called".into())).expect("builds");
        assert_eq!(r.body.bytes(), Some(&b""[..]));
    }
}
