//! HTTP and XML bindings of members, shapes and operations, typed from the model.
//!
//! The IR carries every binding the rest and query protocols need (`location`,
//! `locationName`, `queryName`, `payload`, `streaming`, `timestampFormat`, `jsonvalue`,
//! `xmlNamespace`, `xmlAttribute`, `flattened`, the operation's `http`, the `error` trait),
//! checked once here, even where no emitter reads them yet.

use super::{invalid, model};
use crate::error::Result;
use std::path::Path;

pub use crate::model::XmlNamespace;

/// Where a member is bound in an HTTP message (`location`). Members without one are in the
/// body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// `uri`: a `{label}` of the request URI.
    Uri,
    /// `querystring`: a query parameter (a list repeats the key; a map gives the pairs).
    QueryString,
    /// `header`: one header.
    Header,
    /// `headers`: a map of every header with the `locationName` prefix.
    Headers,
    /// `statusCode`: the response's HTTP status.
    StatusCode,
}

impl Location {
    /// The location a model names, if botocore knows it.
    pub fn from_model(name: &str) -> Option<Location> {
        Some(match name {
            "uri" => Location::Uri,
            "querystring" => Location::QueryString,
            "header" => Location::Header,
            "headers" => Location::Headers,
            "statusCode" => Location::StatusCode,
            _ => return None,
        })
    }

    /// The name in the model.
    pub fn wire_name(self) -> &'static str {
        match self {
            Location::Uri => "uri",
            Location::QueryString => "querystring",
            Location::Header => "header",
            Location::Headers => "headers",
            Location::StatusCode => "statusCode",
        }
    }
}

/// A `timestampFormat` as the model writes it (on a timestamp shape or on a member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireTimestampFormat {
    /// `unixTimestamp`: epoch seconds.
    EpochSeconds,
    /// `iso8601`.
    Iso8601,
    /// `rfc822`: an HTTP date.
    HttpDate,
}

impl WireTimestampFormat {
    /// The format a model names, if botocore knows it.
    pub fn from_model(name: &str) -> Option<WireTimestampFormat> {
        Some(match name {
            "unixTimestamp" => WireTimestampFormat::EpochSeconds,
            "iso8601" => WireTimestampFormat::Iso8601,
            "rfc822" => WireTimestampFormat::HttpDate,
            _ => return None,
        })
    }
}

/// The bindings of a member, or of the `member`/`key`/`value` of a list or map, or of an
/// operation's `input`/`output` reference.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberBindings {
    /// `location`: where in the HTTP message; `None` is the body.
    pub location: Option<Location>,
    /// `locationName`: the header, query key, label, element or JSON key on the wire.
    pub location_name: Option<String>,
    /// `queryName` (ec2).
    pub query_name: Option<String>,
    /// `streaming` on the member.
    pub streaming: bool,
    /// `hostLabel`: filled into the operation's host prefix.
    pub host_label: bool,
    /// `contextParam`: the endpoint rule parameter the member's value sets.
    pub context_param: Option<String>,
    /// `timestampFormat` on the member.
    pub timestamp_format: Option<WireTimestampFormat>,
    /// `jsonvalue`: a string carrying JSON.
    pub jsonvalue: bool,
    /// `xmlNamespace` of the element.
    pub xml_namespace: Option<XmlNamespace>,
    /// `xmlAttribute`: an attribute rather than an element.
    pub xml_attribute: bool,
    /// `flattened`: no wrapping element.
    pub flattened: bool,
    /// `resultWrapper` of an operation's output (query protocols).
    pub result_wrapper: Option<String>,
    /// `eventheader`: a member of an event, read from its message's headers.
    pub event_header: bool,
    /// `eventpayload`: the member of an event that is its message's whole payload.
    pub event_payload: bool,
}

/// The bindings of a shape.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShapeBindings {
    /// `locationName` of the shape (its XML element).
    pub location_name: Option<String>,
    /// `payload` of a structure: the member (wire name) that is the whole body.
    pub payload: Option<String>,
    /// `streaming` on the shape (a blob or string).
    pub streaming: bool,
    /// `flattened` on a list or map shape.
    pub flattened: bool,
    /// `timestampFormat` of a timestamp shape as written, `unixTimestamp` included (a
    /// header's default is an HTTP date, so an explicit epoch-seconds format matters there).
    pub timestamp_format: Option<WireTimestampFormat>,
    /// `xmlNamespace` of the shape.
    pub xml_namespace: Option<XmlNamespace>,
    /// The `error` trait of an exception.
    pub error: Option<ErrorTrait>,
    /// Bindings of a list's `member`.
    pub list_member: Option<MemberBindings>,
    /// Bindings of a map's `key`.
    pub map_key: Option<MemberBindings>,
    /// Bindings of a map's `value`.
    pub map_value: Option<MemberBindings>,
}

/// The `error` trait of an exception shape.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorTrait {
    /// `code`: the wire code when it differs from the shape name (query protocols).
    pub code: Option<String>,
    /// `httpStatusCode`.
    pub http_status_code: Option<u16>,
    /// `senderFault`: the caller is at fault.
    pub sender_fault: bool,
}

/// An operation's `http` trait.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpBinding {
    /// `method` (`POST` when the model has no `http`).
    pub method: String,
    /// `requestUri`, parsed (`/` when the model has no `http`).
    pub request_uri: RequestUri,
    /// `responseCode` of a success.
    pub response_code: Option<u16>,
}

/// A parsed `requestUri`: `/{Bucket}/{Key+}?uploads` is the path `/`, label `Bucket`, `/`,
/// greedy label `Key`, and the fixed query `uploads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUri {
    /// The template as the model writes it.
    pub template: String,
    /// The path, as literal text and labels in order.
    pub path: Vec<UriSegment>,
    /// The fixed query part, as `(key, value)` pairs in order (`?uploads`: `("uploads", None)`).
    pub query: Vec<(String, Option<String>)>,
}

/// A piece of a request URI's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriSegment {
    /// Text sent as written.
    Literal(String),
    /// `{Name}`, or `{Name+}` (greedy: the value keeps its `/`).
    Label {
        /// The label, matched against the `locationName` (else the name) of `uri` members.
        name: String,
        /// Whether it ends in `+`.
        greedy: bool,
    },
}

impl RequestUri {
    /// Parses a template; `json_path` names it in errors.
    pub fn parse(template: &str, path: &Path, json_path: &str) -> Result<RequestUri> {
        let bad = |what: String| invalid(path, json_path.to_string(), what);
        let (path_part, query_part) = match template.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (template, None),
        };
        let mut segments = Vec::new();
        let mut rest = path_part;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                None => {
                    segments.push(UriSegment::Literal(rest.to_string()));
                    break;
                }
                Some(i) if rest.as_bytes()[i] == b'}' => {
                    return Err(bad(format!(
                        "request URI `{template}` has `}}` without `{{`"
                    )));
                }
                Some(open) => {
                    if open > 0 {
                        segments.push(UriSegment::Literal(rest[..open].to_string()));
                    }
                    let after = &rest[open + 1..];
                    let close = after.find('}').ok_or_else(|| {
                        bad(format!("request URI `{template}` has an unclosed `{{`"))
                    })?;
                    let inner = &after[..close];
                    let (name, greedy) = match inner.strip_suffix('+') {
                        Some(name) => (name, true),
                        None => (inner, false),
                    };
                    if name.is_empty() || name.contains(['{', '/']) {
                        return Err(bad(format!(
                            "request URI `{template}` has an invalid label `{{{inner}}}`"
                        )));
                    }
                    if segments.iter().any(
                        |s| matches!(s, UriSegment::Label { name: other, .. } if other == name),
                    ) {
                        return Err(bad(format!(
                            "request URI `{template}` has the label `{name}` twice"
                        )));
                    }
                    segments.push(UriSegment::Label {
                        name: name.to_string(),
                        greedy,
                    });
                    rest = &after[close + 1..];
                }
            }
        }
        let mut query = Vec::new();
        if let Some(q) = query_part {
            if q.contains(['{', '}']) {
                return Err(bad(format!(
                    "request URI `{template}` has a label in its query part"
                )));
            }
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                query.push(match pair.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (pair.to_string(), None),
                });
            }
        }
        Ok(RequestUri {
            template: template.to_string(),
            path: segments,
            query,
        })
    }

    /// The labels, in order.
    pub fn labels(&self) -> impl Iterator<Item = (&str, bool)> {
        self.path.iter().filter_map(|s| match s {
            UriSegment::Label { name, greedy } => Some((name.as_str(), *greedy)),
            UriSegment::Literal(_) => None,
        })
    }
}

/// The bindings of a member reference; `json_path` is the reference's path.
pub(super) fn member_bindings(
    r: &model::ShapeRef,
    path: &Path,
    json_path: &str,
) -> Result<MemberBindings> {
    let location = match &r.location {
        None => None,
        Some(name) => Some(Location::from_model(name).ok_or_else(|| {
            invalid(
                path,
                format!("{json_path}.location"),
                format!(
                    "unknown location `{name}` (expected uri, querystring, header, headers or statusCode)"
                ),
            )
        })?),
    };
    let timestamp_format = match &r.timestamp_format {
        None => None,
        Some(name) => Some(WireTimestampFormat::from_model(name).ok_or_else(|| {
            invalid(
                path,
                format!("{json_path}.timestampFormat"),
                format!(
                    "unknown timestamp format `{name}` (expected iso8601, rfc822 or unixTimestamp)"
                ),
            )
        })?),
    };
    Ok(MemberBindings {
        location,
        location_name: r.location_name.clone(),
        query_name: r.query_name.clone(),
        streaming: r.streaming,
        host_label: r.host_label,
        context_param: r.context_param.as_ref().map(|p| p.name.clone()),
        timestamp_format,
        jsonvalue: r.jsonvalue,
        xml_namespace: r.xml_namespace.clone(),
        xml_attribute: r.xml_attribute,
        flattened: r.flattened,
        result_wrapper: r.result_wrapper.clone(),
        event_header: r.eventheader,
        event_payload: r.eventpayload,
    })
}

/// The bindings of a shape; `json_path` is `shapes.<Name>`. A `payload` must name a member.
pub(super) fn shape_bindings(
    name: &str,
    shape: &model::Shape,
    path: &Path,
    json_path: &str,
) -> Result<ShapeBindings> {
    if let Some(payload) = &shape.payload
        && !shape.members.contains_key(payload)
    {
        return Err(invalid(
            path,
            format!("{json_path}.payload"),
            format!("structure `{name}` names payload member `{payload}`, which it does not have"),
        ));
    }
    let timestamp_format = match &shape.timestamp_format {
        Some(format) if shape.kind == "timestamp" => {
            Some(WireTimestampFormat::from_model(format).ok_or_else(|| {
                invalid(
                    path,
                    format!("{json_path}.timestampFormat"),
                    format!(
                        "timestamp shape `{name}` has unknown format `{format}` (expected iso8601, rfc822 or unixTimestamp)"
                    ),
                )
            })?)
        }
        _ => None,
    };
    let sub = |field: &str, r: &Option<model::ShapeRef>| -> Result<Option<MemberBindings>> {
        r.as_ref()
            .map(|r| member_bindings(r, path, &format!("{json_path}.{field}")))
            .transpose()
    };
    Ok(ShapeBindings {
        location_name: shape.location_name.clone(),
        payload: shape.payload.clone(),
        streaming: shape.streaming,
        flattened: shape.flattened,
        timestamp_format,
        xml_namespace: shape.xml_namespace.clone(),
        error: shape.error.as_ref().map(|e| ErrorTrait {
            code: e.code.clone(),
            http_status_code: e.http_status_code,
            sender_fault: e.sender_fault,
        }),
        list_member: sub("member", &shape.member)?,
        map_key: sub("key", &shape.key)?,
        map_value: sub("value", &shape.value)?,
    })
}

/// An operation's `http` trait (`POST /` when absent), checked against its input: every
/// label has a `uri` member of the input, and every `uri` member of the input has a label.
///
/// With `strip_bucket` (S3), a leading `/{Bucket}` is then removed from the request URI, as
/// botocore does (`remove_bucket_from_url_paths_from_model`): S3's endpoint rules put the
/// bucket in the host name or the endpoint's path, so the `Bucket` member reaches the request
/// through the endpoint parameters, not through the URI.
pub(super) fn http_binding(
    op_name: &str,
    http: Option<&model::Http>,
    input: Option<(&str, &super::Structure)>,
    path: &Path,
    strip_bucket: bool,
) -> Result<HttpBinding> {
    let json_path = format!("operations.{op_name}.http.requestUri");
    let (method, template, response_code) = match http {
        Some(h) => (h.method.clone(), h.request_uri.as_str(), h.response_code),
        None => ("POST".to_string(), "/", None),
    };
    let request_uri = RequestUri::parse(template, path, &json_path)?;
    let uri_members: Vec<(&str, &super::Member)> = input
        .map(|(_, s)| {
            s.members
                .iter()
                .filter(|m| m.bindings.location == Some(Location::Uri))
                .map(|m| {
                    (
                        m.bindings.location_name.as_deref().unwrap_or(&m.wire_name),
                        m,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for (label, _) in request_uri.labels() {
        if !uri_members.iter().any(|(l, _)| *l == label) {
            return Err(invalid(
                path,
                json_path,
                format!(
                    "request URI `{template}` has the label `{{{label}}}`, but the input of `{op_name}` has no `uri` member named `{label}`"
                ),
            ));
        }
    }
    if let Some((input_name, _)) = input {
        for (label, member) in &uri_members {
            if !request_uri.labels().any(|(l, _)| l == *label) {
                return Err(invalid(
                    path,
                    format!("shapes.{input_name}.members.{}.location", member.wire_name),
                    format!(
                        "member `{}` of `{input_name}` is bound to the URI label `{{{label}}}`, which the request URI `{template}` of `{op_name}` does not have",
                        member.wire_name
                    ),
                ));
            }
        }
    }
    let request_uri = match template.strip_prefix("/{Bucket}") {
        Some(rest) if strip_bucket => {
            let rest = if rest.starts_with('/') {
                rest.to_owned()
            } else {
                format!("/{rest}")
            };
            RequestUri::parse(&rest, path, &json_path)?
        }
        _ => request_uri,
    };
    Ok(HttpBinding {
        method,
        request_uri,
        response_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(template: &str) -> Result<RequestUri> {
        RequestUri::parse(
            template,
            Path::new("m.json"),
            "operations.Op.http.requestUri",
        )
    }

    fn label(name: &str, greedy: bool) -> UriSegment {
        UriSegment::Label {
            name: name.into(),
            greedy,
        }
    }

    fn lit(text: &str) -> UriSegment {
        UriSegment::Literal(text.into())
    }

    #[test]
    fn request_uris_of_real_models() {
        // S3 CreateMultipartUpload.
        let uri = parse("/{Bucket}/{Key+}?uploads").unwrap();
        assert_eq!(
            uri.path,
            [
                lit("/"),
                label("Bucket", false),
                lit("/"),
                label("Key", true)
            ]
        );
        assert_eq!(uri.query, [("uploads".to_string(), None)]);
        // S3 ListObjectsV2.
        let uri = parse("/{Bucket}?list-type=2").unwrap();
        assert_eq!(uri.path, [lit("/"), label("Bucket", false)]);
        assert_eq!(
            uri.query,
            [("list-type".to_string(), Some("2".to_string()))]
        );
        // Lambda Invoke.
        let uri = parse("/2015-03-31/functions/{FunctionName}/invocations").unwrap();
        assert_eq!(
            uri.path,
            [
                lit("/2015-03-31/functions/"),
                label("FunctionName", false),
                lit("/invocations")
            ]
        );
        assert!(uri.query.is_empty());
        assert_eq!(uri.labels().collect::<Vec<_>>(), [("FunctionName", false)]);
        // awsJson.
        assert_eq!(parse("/").unwrap().path, [lit("/")]);
    }

    #[test]
    fn malformed_request_uris_are_errors_naming_the_path() {
        for (template, what) in [
            ("/{Bucket", "unclosed"),
            ("/Bucket}", "without"),
            ("/{}", "invalid label"),
            ("/{+}", "invalid label"),
            ("/{A}/{A}", "twice"),
            ("/x?a={A}", "query part"),
        ] {
            let err = parse(template).unwrap_err().to_string();
            assert!(err.contains("`operations.Op.http.requestUri`"), "{err}");
            assert!(err.contains(what), "{template}: {err}");
        }
    }

    #[test]
    fn locations_and_formats_round_trip() {
        for name in ["uri", "querystring", "header", "headers", "statusCode"] {
            assert_eq!(
                Location::from_model(name).map(Location::wire_name),
                Some(name)
            );
        }
        assert_eq!(Location::from_model("body"), None);
        assert_eq!(
            WireTimestampFormat::from_model("rfc822"),
            Some(WireTimestampFormat::HttpDate)
        );
        assert_eq!(WireTimestampFormat::from_model("stardate"), None);
    }
}
