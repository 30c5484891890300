//! HTTP member bindings of the rest protocols (rest-json and rest-xml): what
//! generated code calls to put an input's members into the URI, the query string and the
//! headers, and to read an output's or an error's members back from the headers and status.
//!
//! Request side: a generated `OperationInput::bind_http` builds an [`HttpBindings`] from the
//! operation's `http` trait ([`HttpBindings::new`]) and its bound members
//! ([`label`](HttpBindings::label), [`query`](HttpBindings::query),
//! [`header`](HttpBindings::header), ...), and says where the body comes from
//! ([`Payload`]). The protocol then expands it ([`HttpBindings::path_and_query`]) and adds
//! the body. Encoding follows botocore (`serialize.py`) and the Smithy HTTP binding traits:
//!
//! - URI labels are percent-encoded except for the RFC 3986 unreserved characters; a greedy
//!   label (`{Key+}`) keeps its `/`. A label without a value, or with an empty one, is an
//!   error naming the member: nothing is sent.
//! - Query values likewise; a list repeats its key, a map bound to the query string gives
//!   one pair per entry (its list values repeat the key), after the named parameters, and
//!   never overrides one. The fixed query of the URI template (`?tagging`) comes first.
//! - Headers: lists are joined with `, `, strings that hold a comma or a double quote quoted
//!   (`"a,b"`, inner quotes escaped), as the official SDKs do; `jsonvalue` strings as base64.
//! - Timestamps: an HTTP date in a header, ISO 8601 in the URI and query string, unless the
//!   member's `timestampFormat` says otherwise.
//! - Booleans `true`/`false`; floats as botocore writes them (`1.1`, `2.0`, `NaN`,
//!   `Infinity`, `-Infinity`).
//!
//! Response side: [`header`], [`header_list`], [`header_timestamp`],
//! [`header_timestamp_list`], [`header_json`] and [`prefix_headers`] read bound members
//! (lists split on commas outside double quotes, quoted strings unescaped).

use super::ProtocolRequest;
use crate::http::{Body, BoxError, HttpResponse};
use crate::primitives::{Blob, DateTime, DateTimeFormat};
use std::borrow::Cow;
use std::fmt::Write as _;

/// A bound member that cannot be written to, or read from, the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BindingError {
    /// A URI label has no value, or an empty one.
    #[error(
        "the URI label `{{{label}}}` of `{template}` needs a non-empty value: the input member \
         `{member}` is {}; no request was sent",
        if *.missing { "not set" } else { "empty" }
    )]
    MissingLabel {
        /// The label in the URI template.
        label: String,
        /// The input member bound to it.
        member: String,
        /// The URI template.
        template: String,
        /// Unset (`true`) or empty (`false`).
        missing: bool,
    },
    /// A header value the HTTP message cannot carry (a control character).
    #[error(
        "the value of the header `{header}` has a control character, which HTTP headers cannot carry: {value:?}"
    )]
    InvalidHeaderValue {
        /// The header.
        header: String,
        /// The value.
        value: String,
    },
    /// A timestamp that the wire format cannot represent.
    #[error("the timestamp of `{name}` cannot be written: {reason}")]
    Timestamp {
        /// The label, query key or header.
        name: String,
        /// Why.
        reason: String,
    },
    /// A response header that does not parse as the member's type.
    #[error("the response header `{header}` does not parse as {expected}: {value:?}")]
    InvalidResponseHeader {
        /// The header.
        header: String,
        /// What the model says it holds.
        expected: &'static str,
        /// The value received.
        value: String,
    },
    /// The input type has no HTTP bindings (its crate was generated without a rest
    /// protocol).
    #[error(
        "the input of this operation has no HTTP bindings: its crate was generated for another protocol"
    )]
    Unbound,
}

/// Where a bound value goes: decides the default timestamp format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A `{label}` of the request URI.
    Label,
    /// A query-string parameter.
    Query,
    /// A header.
    Header,
}

/// A value that can be bound to a label, a query parameter or a header.
pub trait HttpValue {
    /// Appends the value as text (not yet percent-encoded) for `location`.
    fn write_http(&self, location: Location, out: &mut String) -> Result<(), String>;

    /// Whether, in a header list, the value is text that is quoted when it holds a comma or
    /// a double quote.
    fn is_text(&self) -> bool {
        false
    }
}

impl<T: HttpValue + ?Sized> HttpValue for &T {
    #[inline]
    fn write_http(&self, location: Location, out: &mut String) -> Result<(), String> {
        (**self).write_http(location, out)
    }
    #[inline]
    fn is_text(&self) -> bool {
        (**self).is_text()
    }
}

impl HttpValue for str {
    #[inline]
    fn write_http(&self, _: Location, out: &mut String) -> Result<(), String> {
        out.push_str(self);
        Ok(())
    }
    #[inline]
    fn is_text(&self) -> bool {
        true
    }
}

impl HttpValue for String {
    #[inline]
    fn write_http(&self, location: Location, out: &mut String) -> Result<(), String> {
        self.as_str().write_http(location, out)
    }
    #[inline]
    fn is_text(&self) -> bool {
        true
    }
}

impl HttpValue for bool {
    #[inline]
    fn write_http(&self, _: Location, out: &mut String) -> Result<(), String> {
        out.push_str(if *self { "true" } else { "false" });
        Ok(())
    }
}

macro_rules! integer_value {
    ($($t:ty),*) => {$(
        impl HttpValue for $t {
            #[inline]
            fn write_http(&self, _: Location, out: &mut String) -> Result<(), String> {
                let _ = write!(out, "{self}");
                Ok(())
            }
        }
    )*};
}
integer_value!(i8, i16, i32, i64, u8, u16, u32, u64);

use crate::serde_helpers::write_float;

impl HttpValue for f32 {
    #[inline]
    fn write_http(&self, _: Location, out: &mut String) -> Result<(), String> {
        write_float(f64::from(*self), self, out);
        Ok(())
    }
}

impl HttpValue for f64 {
    #[inline]
    fn write_http(&self, _: Location, out: &mut String) -> Result<(), String> {
        write_float(*self, self, out);
        Ok(())
    }
}

impl HttpValue for Blob {
    /// Base64 (standard alphabet, padded).
    #[inline]
    fn write_http(&self, _: Location, out: &mut String) -> Result<(), String> {
        out.push_str(&crate::primitives::base64::encode(self.as_ref()));
        Ok(())
    }
}

/// Route 53's resource ids as botocore's `fix_route53_ids` sends them: `/hostedzone/`,
/// `/change/` and `/delegationset/` removed (`/hostedzone/Z1` gives `Z1`).
pub fn trim_route53_id(id: &str) -> String {
    id.replace("/hostedzone/", "")
        .replace("/change/", "")
        .replace("/delegationset/", "")
}

/// A timestamp with the member's `timestampFormat` (`None`: the location's default, an HTTP
/// date in a header, ISO 8601 elsewhere).
#[derive(Debug, Clone, Copy)]
pub struct Timestamp<'a> {
    value: &'a DateTime,
    format: Option<DateTimeFormat>,
}

impl<'a> Timestamp<'a> {
    /// `value` in `format`, or in the location's default format.
    #[inline]
    pub fn new(value: &'a DateTime, format: Option<DateTimeFormat>) -> Self {
        Self { value, format }
    }
}

impl HttpValue for Timestamp<'_> {
    #[inline]
    fn write_http(&self, location: Location, out: &mut String) -> Result<(), String> {
        let format = self.format.unwrap_or(match location {
            Location::Header => DateTimeFormat::HttpDate,
            Location::Label | Location::Query => DateTimeFormat::DateTime,
        });
        let text = self.value.fmt(format).map_err(|e| e.to_string())?;
        out.push_str(&text);
        Ok(())
    }
}

/// The value of a map bound to the query string: a string, or a list of strings (one pair
/// each).
pub trait QueryMapValue {
    /// Calls `f` with each value.
    fn each_value(&self, f: &mut dyn FnMut(&str));
}

impl QueryMapValue for String {
    #[inline]
    fn each_value(&self, f: &mut dyn FnMut(&str)) {
        f(self)
    }
}

impl QueryMapValue for str {
    #[inline]
    fn each_value(&self, f: &mut dyn FnMut(&str)) {
        f(self)
    }
}

impl<T: QueryMapValue + ?Sized> QueryMapValue for &T {
    #[inline]
    fn each_value(&self, f: &mut dyn FnMut(&str)) {
        (**self).each_value(f)
    }
}

impl<T: AsRef<str>> QueryMapValue for Vec<T> {
    #[inline]
    fn each_value(&self, f: &mut dyn FnMut(&str)) {
        for v in self {
            f(v.as_ref())
        }
    }
}

/// Where the body of a rest request comes from.
#[derive(Debug, Default)]
pub enum Payload {
    /// The input's members that are not bound elsewhere, serialized by the protocol from the
    /// input's `Serialize` impl (rest-json: a JSON object, `{}` when none is set).
    #[default]
    Members,
    /// No body: the input has no member in the body.
    None,
    /// A structure or union member is the whole body: the input's `Serialize` impl writes
    /// that member alone. `set` is false when it is unset (the protocol's empty body).
    Structure {
        /// Whether the member is set.
        set: bool,
    },
    /// A blob or string member sent as it is (`None` when unset: no body). Without a
    /// `Content-Type` header member, a non-empty body is sent as `content_type`
    /// (`application/octet-stream` for a blob, `text/plain` for a string).
    Raw {
        /// The bytes (in memory or a stream).
        body: Option<Body>,
        /// The content type of the body.
        content_type: &'static str,
    },
}

/// An input's HTTP bindings: method, URI template with its labels, query parameters,
/// headers and payload (see the module docs).
#[derive(Debug)]
pub struct HttpBindings {
    method: &'static str,
    template: &'static str,
    labels: Vec<(&'static str, &'static str, Option<String>)>,
    query: Vec<(Cow<'static, str>, String)>,
    query_map: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    host_labels: Vec<(&'static str, String)>,
    payload: Payload,
    error: Option<BindingError>,
}

impl HttpBindings {
    /// The bindings of an operation with the `http` trait `method` and `request_uri` (e.g.
    /// `GET`, `/{Bucket}/{Key+}?tagging`).
    #[inline]
    pub fn new(method: &'static str, request_uri: &'static str) -> Self {
        Self {
            method,
            template: request_uri,
            labels: Vec::new(),
            query: Vec::new(),
            query_map: Vec::new(),
            headers: Vec::new(),
            host_labels: Vec::new(),
            payload: Payload::Members,
            error: None,
        }
    }

    fn fail(&mut self, error: BindingError) {
        self.error.get_or_insert(error);
    }

    fn text(&mut self, name: &str, location: Location, value: &dyn HttpValue) -> Option<String> {
        let mut out = String::new();
        match value.write_http(location, &mut out) {
            Ok(()) => Some(out),
            Err(reason) => {
                self.fail(BindingError::Timestamp {
                    name: name.to_owned(),
                    reason,
                });
                None
            }
        }
    }

    /// Binds the label `{label}` (or `{label+}`) to the input member `member`; `None` when
    /// the member is unset, an error when the request is built.
    pub fn label<V: HttpValue>(
        &mut self,
        label: &'static str,
        member: &'static str,
        value: Option<V>,
    ) -> &mut Self {
        let text = value.and_then(|v| self.text(label, Location::Label, &v));
        self.labels.push((label, member, text));
        self
    }

    /// Adds the query parameter `key` when `value` is set.
    pub fn query<V: HttpValue>(&mut self, key: &'static str, value: Option<V>) -> &mut Self {
        if let Some(v) = value
            && let Some(text) = self.text(key, Location::Query, &v)
        {
            self.query.push((Cow::Borrowed(key), text));
        }
        self
    }

    /// Adds `key` once per value of a list (nothing for an empty or unset list).
    pub fn query_list<V: HttpValue>(
        &mut self,
        key: &'static str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Self {
        for v in values {
            if let Some(text) = self.text(key, Location::Query, &v) {
                self.query.push((Cow::Borrowed(key), text));
            }
        }
        self
    }

    /// Adds a map bound to the query string: one pair per entry and value, after the named
    /// parameters, in key order; a key that a named parameter already has is left out.
    pub fn query_map<K: AsRef<str>, V: QueryMapValue>(
        &mut self,
        map: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        let mut entries: Vec<(String, Vec<String>)> = map
            .into_iter()
            .map(|(k, v)| {
                let mut values = Vec::new();
                v.each_value(&mut |s| values.push(s.to_owned()));
                (k.as_ref().to_owned(), values)
            })
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, values) in entries {
            for value in values {
                self.query_map.push((key.clone(), value));
            }
        }
        self
    }

    fn push_header(&mut self, name: &str, value: String) {
        if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            self.fail(BindingError::InvalidHeaderValue {
                header: name.to_owned(),
                value,
            });
            return;
        }
        self.headers.push((name.to_owned(), value));
    }

    /// Sets the header `name` when `value` is set.
    pub fn header<V: HttpValue>(&mut self, name: &'static str, value: Option<V>) -> &mut Self {
        if let Some(v) = value
            && let Some(text) = self.text(name, Location::Header, &v)
        {
            self.push_header(name, text);
        }
        self
    }

    /// Sets the header `name` to a list, joined with `, ` (text with a comma or a double
    /// quote quoted); nothing for an empty or unset list.
    pub fn header_list<V: HttpValue>(
        &mut self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Self {
        let mut joined = String::new();
        let mut any = false;
        for v in values {
            let Some(text) = self.text(name, Location::Header, &v) else {
                return self;
            };
            if any {
                joined.push_str(", ");
            }
            any = true;
            if v.is_text() && text.contains([',', '"']) {
                joined.push('"');
                joined.push_str(&text.replace('\\', "\\\\").replace('"', "\\\""));
                joined.push('"');
            } else {
                joined.push_str(&text);
            }
        }
        if any {
            self.push_header(name, joined);
        }
        self
    }

    /// Sets the header `name` to a `jsonvalue` string (JSON text), base64-encoded.
    pub fn header_json(&mut self, name: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(json) = value {
            self.push_header(name, crate::primitives::base64::encode(json));
        }
        self
    }

    /// Sets one header per entry of a map bound with `location: headers`: the name is
    /// `prefix` followed by the key.
    pub fn prefix_headers<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        prefix: &'static str,
        map: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        let mut entries: Vec<(String, String)> = map
            .into_iter()
            .map(|(k, v)| (format!("{prefix}{}", k.as_ref()), v.as_ref().to_owned()))
            .collect();
        entries.sort();
        for (name, value) in entries {
            self.push_header(&name, value);
        }
        self
    }

    /// Gives the value of the `{label}` of the operation's host prefix (endpoint trait),
    /// when the member is set.
    pub fn host_label(&mut self, label: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.host_labels.push((label, v.to_owned()));
        }
        self
    }

    /// The value bound to the host-prefix label `label`, if any.
    pub fn host_label_value(&self, label: &str) -> Option<&str> {
        self.host_labels
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| v.as_str())
    }

    /// Says where the body comes from (the default is [`Payload::Members`]).
    #[inline]
    pub fn payload(&mut self, payload: Payload) -> &mut Self {
        self.payload = payload;
        self
    }

    /// The HTTP method.
    #[inline]
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The URI template, as the model writes it.
    #[inline]
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The headers bound so far, in order.
    #[inline]
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The path and query: the URI template with its labels filled in and percent-encoded,
    /// its fixed query, then the bound query parameters. An error when a label is missing or
    /// empty, or when a value could not be written.
    pub fn path_and_query(&self) -> Result<String, BindingError> {
        if let Some(err) = &self.error {
            return Err(err.clone());
        }
        let (path, fixed_query) = match self.template.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (self.template, None),
        };
        let mut out = String::with_capacity(self.template.len() + 32);
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            let inner = &rest[open + 1..close];
            let (name, greedy) = match inner.strip_suffix('+') {
                Some(name) => (name, true),
                None => (inner, false),
            };
            let bound = self.labels.iter().find(|(label, ..)| *label == name);
            match bound {
                Some((_, _, Some(value))) if !value.is_empty() => {
                    push_encoded(&mut out, value, greedy)
                }
                _ => {
                    return Err(BindingError::MissingLabel {
                        label: name.to_owned(),
                        member: bound.map_or(name, |(_, member, _)| member).to_owned(),
                        template: self.template.to_owned(),
                        missing: !matches!(bound, Some((_, _, Some(_)))),
                    });
                }
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        let mut separator = '?';
        if let Some(fixed) = fixed_query.filter(|q| !q.is_empty()) {
            out.push('?');
            out.push_str(fixed);
            separator = '&';
        }
        let named = |key: &str| self.query.iter().any(|(k, _)| k == key);
        let map_pairs = self
            .query_map
            .iter()
            .filter(|(k, _)| !named(k))
            .map(|(k, v)| (k.as_str(), v));
        for (key, value) in self
            .query
            .iter()
            .map(|(k, v)| (k.as_ref(), v))
            .chain(map_pairs)
        {
            out.push(separator);
            separator = '&';
            push_encoded(&mut out, key, false);
            out.push('=');
            push_encoded(&mut out, value, false);
        }
        Ok(out)
    }

    /// Takes the headers and the payload, once [`path_and_query`](Self::path_and_query) has
    /// been read.
    #[inline]
    pub fn into_parts(self) -> (Vec<(String, String)>, Payload) {
        (self.headers, self.payload)
    }

    /// The request these bindings make. `document` writes the body of every payload but a
    /// raw one: the protocol's document and its content type, or an empty body and `None`. A
    /// raw payload is sent as it is, typed by its content type unless it is empty; a bound
    /// `Content-Type` header member always wins.
    pub(crate) fn into_request(
        self,
        document: impl FnOnce(&Payload) -> Result<(Body, Option<&'static str>), BoxError>,
    ) -> Result<ProtocolRequest, BoxError> {
        let path_and_query = self.path_and_query()?;
        let method = self.method();
        let (mut headers, payload) = self.into_parts();
        let (body, content_type) = match payload {
            Payload::Raw {
                body: Some(body),
                content_type,
            } => {
                let empty = body.content_length() == Some(0);
                (body, (!empty).then_some(content_type))
            }
            Payload::Raw { body: None, .. } => (Body::empty(), None),
            payload => document(&payload)?,
        };
        if let Some(content_type) = content_type
            && !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("content-type".to_owned(), content_type.to_owned()));
        }
        Ok(ProtocolRequest {
            method,
            path_and_query,
            headers,
            body,
        })
    }
}

/// Appends `text` percent-encoded: every byte but the RFC 3986 unreserved characters (and
/// `/` when `keep_slash`) becomes `%XX`, upper-case.
fn push_encoded(out: &mut String, text: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Response side.

/// A type a response header can be read as.
pub trait FromHttpHeader: Sized {
    /// What the type is, for errors (e.g. `an integer`).
    const EXPECTED: &'static str;
    /// Parses one (trimmed, unquoted) value.
    fn from_header(value: &str) -> Option<Self>;
}

impl FromHttpHeader for String {
    const EXPECTED: &'static str = "a string";
    #[inline]
    fn from_header(value: &str) -> Option<Self> {
        Some(value.to_owned())
    }
}

impl FromHttpHeader for bool {
    const EXPECTED: &'static str = "a boolean";
    #[inline]
    fn from_header(value: &str) -> Option<Self> {
        match value {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

macro_rules! integer_header {
    ($($t:ty),*) => {$(
        impl FromHttpHeader for $t {
            const EXPECTED: &'static str = "an integer";
            #[inline]
            fn from_header(value: &str) -> Option<Self> {
                value.parse().ok()
            }
        }
    )*};
}
integer_header!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! float_header {
    ($($t:ty),*) => {$(
        impl FromHttpHeader for $t {
            const EXPECTED: &'static str = "a number";
            #[inline]
            fn from_header(value: &str) -> Option<Self> {
                match value {
                    "NaN" => Some(<$t>::NAN),
                    "Infinity" => Some(<$t>::INFINITY),
                    "-Infinity" => Some(<$t>::NEG_INFINITY),
                    _ if value.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') => None,
                    _ => value.parse().ok(),
                }
            }
        }
    )*};
}
float_header!(f32, f64);

impl FromHttpHeader for Blob {
    const EXPECTED: &'static str = "base64";
    #[inline]
    fn from_header(value: &str) -> Option<Self> {
        crate::primitives::base64::decode(value).ok().map(Blob::new)
    }
}

/// Every value of the header `name`, joined with `, ` when it was sent several times;
/// `None` when absent.
fn combined<'a>(response: &'a HttpResponse, name: &str) -> Option<Cow<'a, str>> {
    let mut values = response
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str());
    let first = values.next()?;
    match values.next() {
        None => Some(Cow::Borrowed(first)),
        Some(second) => {
            let mut all = format!("{first}, {second}");
            for v in values {
                all.push_str(", ");
                all.push_str(v);
            }
            Some(Cow::Owned(all))
        }
    }
}

fn invalid(name: &str, expected: &'static str, value: &str) -> BindingError {
    BindingError::InvalidResponseHeader {
        header: name.to_owned(),
        expected,
        value: value.to_owned(),
    }
}

/// The header `name` read as `T` (surrounding whitespace trimmed); `None` when absent.
pub fn header<T: FromHttpHeader>(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<T>, BindingError> {
    let Some(value) = response.header(name) else {
        return Ok(None);
    };
    T::from_header(value.trim())
        .map(Some)
        .ok_or_else(|| invalid(name, T::EXPECTED, value))
}

/// Splits a header list on the commas outside double quotes; quoted items lose their quotes
/// and `\` escapes, the others their surrounding whitespace.
pub fn split_header_list(value: &str) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err("unterminated quoted string".to_owned()),
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(c) => item.push(c),
                        None => return Err("unterminated escape".to_owned()),
                    },
                    Some(c) => item.push(c),
                }
            }
            while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                chars.next();
            }
            match chars.next() {
                None => {
                    items.push(item);
                    return Ok(items);
                }
                Some(',') => items.push(item),
                Some(c) => return Err(format!("unexpected {c:?} after a quoted string")),
            }
        } else {
            let mut ended = true;
            for c in chars.by_ref() {
                if c == ',' {
                    ended = false;
                    break;
                }
                item.push(c);
            }
            items.push(item.trim().to_owned());
            if ended {
                return Ok(items);
            }
        }
    }
}

/// The header `name` read as a list of `T` (see [`split_header_list`]); `None` when absent.
pub fn header_list<T: FromHttpHeader>(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<Vec<T>>, BindingError> {
    let Some(value) = combined(response, name) else {
        return Ok(None);
    };
    let items = split_header_list(&value).map_err(|_| invalid(name, "a list", &value))?;
    items
        .iter()
        .map(|item| T::from_header(item).ok_or_else(|| invalid(name, T::EXPECTED, item)))
        .collect::<Result<Vec<T>, _>>()
        .map(Some)
}

/// The header `name` read as a timestamp in `format` (`None`: an HTTP date); `None` when
/// absent.
pub fn header_timestamp(
    response: &HttpResponse,
    name: &str,
    format: Option<DateTimeFormat>,
) -> Result<Option<DateTime>, BindingError> {
    let Some(value) = response.header(name) else {
        return Ok(None);
    };
    let format = format.unwrap_or(DateTimeFormat::HttpDate);
    DateTime::from_str(value.trim(), format)
        .map(Some)
        .map_err(|_| invalid(name, expected_timestamp(format), value))
}

fn expected_timestamp(format: DateTimeFormat) -> &'static str {
    match format {
        DateTimeFormat::HttpDate => "an HTTP date",
        DateTimeFormat::EpochSeconds => "epoch seconds",
        _ => "an ISO 8601 date-time",
    }
}

/// The header `name` read as a list of timestamps in `format` (`None`: HTTP dates, whose own
/// commas do not split the list); `None` when absent.
pub fn header_timestamp_list(
    response: &HttpResponse,
    name: &str,
    format: Option<DateTimeFormat>,
) -> Result<Option<Vec<DateTime>>, BindingError> {
    let Some(value) = combined(response, name) else {
        return Ok(None);
    };
    let format = format.unwrap_or(DateTimeFormat::HttpDate);
    let bad = || invalid(name, expected_timestamp(format), &value);
    if format != DateTimeFormat::HttpDate {
        let items = split_header_list(&value).map_err(|_| bad())?;
        return items
            .iter()
            .map(|item| DateTime::from_str(item, format).map_err(|_| bad()))
            .collect::<Result<Vec<_>, _>>()
            .map(Some);
    }
    let mut out = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        let (date, next) = DateTime::read(rest, format, ',').map_err(|_| bad())?;
        out.push(date);
        rest = next.trim_start();
    }
    Ok(Some(out))
}

/// The header `name` holding a `jsonvalue` (base64 of JSON text), decoded to the JSON text;
/// `None` when absent.
pub fn header_json(response: &HttpResponse, name: &str) -> Result<Option<String>, BindingError> {
    let Some(value) = response.header(name) else {
        return Ok(None);
    };
    let bytes = crate::primitives::base64::decode(value.trim())
        .map_err(|_| invalid(name, "base64 of JSON", value))?;
    let text = String::from_utf8(bytes).map_err(|_| invalid(name, "base64 of JSON", value))?;
    serde_json::from_str::<serde::de::IgnoredAny>(&text)
        .map_err(|_| invalid(name, "base64 of JSON", value))?;
    Ok(Some(text))
}

/// The headers whose name starts with `prefix` (case-insensitively), keyed by the rest of
/// their name, as botocore reads a `location: headers` map (empty when none matches).
pub fn prefix_headers<M: FromIterator<(String, String)>>(
    response: &HttpResponse,
    prefix: &str,
) -> M {
    response
        .headers
        .iter()
        .filter(|(n, _)| {
            n.len() >= prefix.len()
                && n.is_char_boundary(prefix.len())
                && n[..prefix.len()].eq_ignore_ascii_case(prefix)
        })
        .map(|(n, v)| (n[prefix.len()..].to_owned(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::fixtures::response;

    fn path(b: &HttpBindings) -> String {
        b.path_and_query().expect("expands")
    }

    #[test]
    fn labels_are_encoded_and_greedy_keeps_slashes() {
        let mut b = HttpBindings::new("GET", "/{Bucket}/{Key+}?tagging");
        b.label("Bucket", "Bucket", Some("my bucket"))
            .label("Key", "Key", Some("a b/ü+%.txt"));
        assert_eq!(path(&b), "/my%20bucket/a%20b/%C3%BC%2B%25.txt?tagging");
        let mut b = HttpBindings::new("GET", "/x/{foo}/{baz+}");
        b.label("foo", "foo", Some("hello/escape"))
            .label("baz", "baz", Some("there/guy"));
        assert_eq!(path(&b), "/x/hello%2Fescape/there/guy");
        // Smithy's escaping vector.
        let mut b = HttpBindings::new("GET", "/L/{s}");
        b.label("s", "s", Some(" %:/?#[]@!$&'()*+,;=😹"));
        assert_eq!(
            path(&b),
            "/L/%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
        );
    }

    #[test]
    fn missing_or_empty_labels_name_the_member() {
        let mut b = HttpBindings::new("GET", "/{Bucket}/{Key+}");
        b.label("Bucket", "Bucket", Some("b"))
            .label::<&str>("Key", "ObjectKey", None);
        let err = b.path_and_query().unwrap_err();
        assert!(
            matches!(&err, BindingError::MissingLabel { member, missing: true, .. } if member == "ObjectKey"),
            "{err:?}"
        );
        assert!(err.to_string().contains("`ObjectKey` is not set"), "{err}");
        let mut b = HttpBindings::new("GET", "/{Bucket}");
        b.label("Bucket", "Bucket", Some(""));
        let err = b.path_and_query().unwrap_err();
        assert!(err.to_string().contains("`Bucket` is empty"), "{err}");
        assert!(err.to_string().contains("no request was sent"), "{err}");
    }

    #[test]
    fn scalar_labels_and_timestamps() {
        let t = DateTime::from_secs(1576540098);
        let mut b = HttpBindings::new("GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}");
        b.label("a", "a", Some(1i32))
            .label("b", "b", Some(4.1f32))
            .label("c", "c", Some(true))
            .label("d", "d", Some(Timestamp::new(&t, None)))
            .label(
                "e",
                "e",
                Some(Timestamp::new(&t, Some(DateTimeFormat::EpochSeconds))),
            )
            .label(
                "f",
                "f",
                Some(Timestamp::new(&t, Some(DateTimeFormat::HttpDate))),
            )
            .label("g", "g", Some(f64::NEG_INFINITY));
        assert_eq!(
            path(&b),
            "/1/4.1/true/2019-12-16T23%3A48%3A18Z/1576540098/Mon%2C%2016%20Dec%202019%2023%3A48%3A18%20GMT/-Infinity"
        );
    }

    #[test]
    fn query_lists_maps_and_fixed_query() {
        let mut b = HttpBindings::new("GET", "/C?foo=bar&hello");
        b.query("String", Some("Hello there"))
            .query::<&str>("Unset", None)
            .query_list("L", ["a", "b"])
            .query_list("F", [1.0f64, 2.5])
            .query("Empty", Some(""))
            .query_map([("b", vec!["x", "y"]), ("L", vec!["no"]), ("a", vec!["z"])]);
        assert_eq!(
            path(&b),
            "/C?foo=bar&hello&String=Hello%20there&L=a&L=b&F=1.0&F=2.5&Empty=&a=z&b=x&b=y"
        );
        let mut b = HttpBindings::new("GET", "/T");
        let t = DateTime::from_secs(1);
        b.query("T", Some(Timestamp::new(&t, None)))
            .query("N", Some(f32::NAN));
        assert_eq!(path(&b), "/T?T=1970-01-01T00%3A00%3A01Z&N=NaN");
    }

    #[test]
    fn headers_lists_json_and_prefix() {
        let t = DateTime::from_secs(1576540098);
        let mut b = HttpBindings::new("POST", "/");
        b.header("X-String", Some("Hello"))
            .header_list("X-StringList", ["b,c", "\"def\"", "a"])
            .header_list("X-IntegerList", [1, 2, 3])
            .header_list::<&str>("X-Empty", [])
            .header_list(
                "X-TimestampList",
                [Timestamp::new(&t, None), Timestamp::new(&t, None)],
            )
            .header("X-Date", Some(Timestamp::new(&t, None)))
            .header("X-Bool", Some(false))
            .header_json("X-Json", Some("true"))
            .prefix_headers("x-foo-", [("def", "Def value"), ("abc", "Abc value")]);
        assert_eq!(
            b.headers(),
            [
                ("X-String", "Hello"),
                ("X-StringList", r#""b,c", "\"def\"", a"#),
                ("X-IntegerList", "1, 2, 3"),
                (
                    "X-TimestampList",
                    "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"
                ),
                ("X-Date", "Mon, 16 Dec 2019 23:48:18 GMT"),
                ("X-Bool", "false"),
                ("X-Json", "dHJ1ZQ=="),
                ("x-foo-abc", "Abc value"),
                ("x-foo-def", "Def value"),
            ]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
        let mut b = HttpBindings::new("POST", "/");
        b.header("X-Bad", Some("a\r\nb"));
        let err = b.path_and_query().unwrap_err();
        assert!(err.to_string().contains("`X-Bad`"), "{err}");
    }

    #[test]
    fn response_headers_are_read() {
        let r = response(
            200,
            &[
                ("X-Int", " 123 "),
                ("x-bool", "false"),
                ("X-StringList", r#""b,c", "\"def\"", a"#),
                ("X-IntList", "1, 2"),
                ("X-IntList", "3"),
                (
                    "X-TimestampList",
                    "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT",
                ),
                ("X-Json", "dHJ1ZQ=="),
                ("X-Foo-Abc", "Abc value"),
                ("x-foo-def", ""),
                ("X-Float", "-Infinity"),
            ],
            b"",
        );
        assert_eq!(header::<i32>(&r, "x-int"), Ok(Some(123)));
        assert_eq!(header::<bool>(&r, "X-Bool"), Ok(Some(false)));
        assert_eq!(header::<String>(&r, "X-None"), Ok(None));
        assert_eq!(header::<f64>(&r, "X-Float"), Ok(Some(f64::NEG_INFINITY)));
        assert!(header::<i32>(&r, "X-Bool").is_err());
        assert_eq!(
            header_list::<String>(&r, "X-StringList"),
            Ok(Some(vec![
                "b,c".to_owned(),
                "\"def\"".to_owned(),
                "a".to_owned()
            ]))
        );
        assert_eq!(header_list::<i64>(&r, "X-IntList"), Ok(Some(vec![1, 2, 3])));
        let t = DateTime::from_secs(1576540098);
        assert_eq!(
            header_timestamp_list(&r, "X-TimestampList", None),
            Ok(Some(vec![t, t]))
        );
        assert_eq!(header_json(&r, "X-Json"), Ok(Some("true".to_owned())));
        let map: std::collections::BTreeMap<String, String> = prefix_headers(&r, "x-foo-");
        assert_eq!(
            map.into_iter().collect::<Vec<_>>(),
            [
                ("Abc".to_owned(), "Abc value".to_owned()),
                ("def".to_owned(), String::new())
            ]
        );
        let err = header::<i32>(&r, "X-StringList").unwrap_err();
        assert!(err.to_string().contains("`X-StringList`"), "{err}");
    }

    #[test]
    fn header_list_splitting() {
        assert_eq!(split_header_list("a"), Ok(vec!["a".to_owned()]));
        assert_eq!(
            split_header_list(" a , b,c "),
            Ok(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
        );
        assert_eq!(
            split_header_list(r#""a\\b", "" "#),
            Ok(vec!["a\\b".to_owned(), String::new()])
        );
        assert!(split_header_list(r#""open"#).is_err());
        assert!(split_header_list(r#""a" b"#).is_err());
    }
}
