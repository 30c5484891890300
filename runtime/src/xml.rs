//! XML for the protocols that speak it (query and ec2 responses, rest-xml bodies), on
//! [quick-xml](https://docs.rs/quick-xml): a pull [`XmlReader`] that generated code walks with
//! little code, a small [`XmlWriter`], and the error bodies of the XML protocols
//! ([`parse_error_body`]).
//!
//! # Reading
//!
//! [`XmlReader::root`] gives the document's root element as an [`XmlTag`]; from an element,
//! [`next_child`](XmlReader::next_child) gives each child's start tag in turn and `None` at the
//! element's end. Each child returned must be consumed by exactly one of
//! [`text`](XmlReader::text) (its text content, entities decoded), [`skip`](XmlReader::skip)
//! (the whole subtree, read iteratively), or a nested `next_child` loop until `None`. Names are
//! compared without their namespace prefix, as botocore does. Depth is bounded
//! ([`MAX_DEPTH`]): deeply nested input is an error naming the element, never a stack
//! overflow. Anything that is not well-formed XML is an [`XmlError`] with the byte offset.
//!
//! Generated structures implement [`XmlRead`]; lists and maps are read through
//! [`XmlReader::read_list`], [`XmlReader::read_map`] and [`XmlReader::read_map_entry`], scalars
//! through the `read_*` methods, which name the element in their errors.

use crate::primitives::{Blob, DateTime, DateTimeFormat};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::fmt;

/// How deep elements may nest before reading fails (AWS responses nest a few dozen levels at
/// most; recursive shapes are read by recursion in generated code, which this bounds).
pub const MAX_DEPTH: usize = 256;

/// Malformed or unexpected XML, with the byte offset where it was noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    message: String,
    offset: u64,
}

impl XmlError {
    /// An error at `offset` of the document.
    pub fn new(message: impl Into<String>, offset: u64) -> Self {
        XmlError {
            message: message.into(),
            offset,
        }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The byte offset in the document.
    pub fn offset(&self) -> u64 {
        self.offset
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid XML at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for XmlError {}

/// The start tag of an element: its name and attributes.
#[derive(Debug, Clone)]
pub struct XmlTag<'a> {
    start: BytesStart<'a>,
}

impl<'a> XmlTag<'a> {
    /// The name without its namespace prefix (`Error` for `<aws:Error>`).
    pub fn local_name(&self) -> &str {
        let name = self.name();
        name.rsplit_once(':').map_or(name, |(_, local)| local)
    }

    /// The qualified name as written (`aws:Error`).
    pub fn name(&self) -> &str {
        // The reader was built from a `&str`: names are UTF-8.
        self.start.name().into_inner()
    }

    /// The decoded value of the attribute `name` (matched as written, prefix included, or by
    /// local name when `name` has no prefix); `None` when absent or malformed.
    pub fn attribute(&self, name: &str) -> Option<String> {
        self.start.attributes().flatten().find_map(|attr| {
            let key = attr.key.into_inner();
            let local = key.rsplit_once(':').map_or(key, |(_, l)| l);
            if key == name || (!name.contains(':') && local == name && !key.starts_with("xmlns")) {
                attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(Cow::into_owned)
            } else {
                None
            }
        })
    }
}

/// A pull reader over an XML document (see the module docs).
pub struct XmlReader<'a> {
    inner: quick_xml::Reader<&'a [u8]>,
    /// Elements currently open.
    depth: usize,
}

impl fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XmlReader")
            .field("offset", &self.inner.buffer_position())
            .field("depth", &self.depth)
            .finish()
    }
}

/// A generated structure read from the children of its element.
pub trait XmlRead: Sized {
    /// Reads the value from the element `tag` (whose start tag was just read) up to its end.
    fn read_xml(reader: &mut XmlReader<'_>, tag: &XmlTag<'_>) -> Result<Self, XmlError>;
}

impl<'a> XmlReader<'a> {
    /// A reader over `bytes`, which must be UTF-8.
    pub fn new(bytes: &'a [u8]) -> Result<Self, XmlError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| XmlError::new("the document is not UTF-8", e.valid_up_to() as u64))?;
        let mut inner = quick_xml::Reader::from_str(text);
        let config = inner.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Ok(XmlReader { inner, depth: 0 })
    }

    fn offset(&self) -> u64 {
        self.inner.buffer_position()
    }

    fn error(&self, message: impl Into<String>) -> XmlError {
        XmlError::new(message, self.offset())
    }

    fn event(&mut self) -> Result<Event<'a>, XmlError> {
        self.inner
            .read_event()
            .map_err(|e| XmlError::new(e.to_string(), self.inner.error_position()))
    }

    fn open(&mut self, start: BytesStart<'a>) -> Result<XmlTag<'a>, XmlError> {
        self.depth += 1;
        let tag = XmlTag { start };
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!(
                "element <{}> is nested more than {MAX_DEPTH} levels deep",
                tag.name()
            )));
        }
        Ok(tag)
    }

    /// The root element's start tag (declaration, comments, processing instructions, a
    /// doctype and whitespace before it are skipped). Call once, first.
    pub fn root(&mut self) -> Result<XmlTag<'a>, XmlError> {
        loop {
            match self.event()? {
                Event::Start(start) => return self.open(start),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => return Err(self.error("the document has no root element")),
                _ => return Err(self.error("text before the root element")),
            }
        }
    }

    /// The next child element of the element being read, or `None` at its end tag (which is
    /// consumed). Text between children is ignored.
    pub fn next_child(&mut self) -> Result<Option<XmlTag<'a>>, XmlError> {
        loop {
            match self.event()? {
                Event::Start(start) => return self.open(start).map(Some),
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(None);
                }
                Event::Eof => {
                    return if self.depth == 0 {
                        Ok(None)
                    } else {
                        Err(self.error("the document ends inside an element"))
                    };
                }
                _ => {}
            }
        }
    }

    /// Skips the rest of the element being read, children included.
    pub fn skip(&mut self) -> Result<(), XmlError> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            match self.event()? {
                Event::Start(start) => {
                    self.open(start)?;
                }
                Event::End(_) => self.depth -= 1,
                Event::Eof => return Err(self.error("the document ends inside an element")),
                _ => {}
            }
        }
        Ok(())
    }

    /// The text content of the element being read, up to its end tag: text and CDATA joined,
    /// entity and character references decoded; child elements are skipped.
    pub fn text(&mut self) -> Result<String, XmlError> {
        let mut out = String::new();
        loop {
            match self.event()? {
                Event::Text(t) => out.push_str(&t.xml10_content()),
                Event::CData(c) => out.push_str(&c.xml10_content()),
                Event::GeneralRef(r) => match r.resolve_char_ref() {
                    Ok(Some(c)) => out.push(c),
                    Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => out.push_str(s),
                        None => {
                            return Err(self.error(format!("unknown entity `&{};`", &*r)));
                        }
                    },
                    Err(e) => return Err(self.error(format!("bad character reference: {e}"))),
                },
                Event::Start(start) => {
                    self.open(start)?;
                    self.skip()?;
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(out);
                }
                Event::Eof => return Err(self.error("the document ends inside an element")),
                _ => {}
            }
        }
    }

    fn scalar<T>(
        &mut self,
        tag: &XmlTag<'_>,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, XmlError> {
        let text = self.text()?;
        parse(text.trim()).ok_or_else(|| {
            self.error(format!(
                "element <{}>: `{}` is not {what}",
                tag.name(),
                excerpt(&text)
            ))
        })
    }

    /// The element's text.
    pub fn read_string(&mut self, _tag: &XmlTag<'_>) -> Result<String, XmlError> {
        self.text()
    }

    /// `true` or `false`.
    pub fn read_bool(&mut self, tag: &XmlTag<'_>) -> Result<bool, XmlError> {
        self.scalar(tag, "a boolean", |s| match s {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }

    /// A 32-bit integer.
    pub fn read_i32(&mut self, tag: &XmlTag<'_>) -> Result<i32, XmlError> {
        self.scalar(tag, "a 32-bit integer", |s| s.parse().ok())
    }

    /// A 64-bit integer.
    pub fn read_i64(&mut self, tag: &XmlTag<'_>) -> Result<i64, XmlError> {
        self.scalar(tag, "a 64-bit integer", |s| s.parse().ok())
    }

    /// A double (`NaN`, `Infinity` and `-Infinity` included).
    pub fn read_f64(&mut self, tag: &XmlTag<'_>) -> Result<f64, XmlError> {
        self.scalar(tag, "a number", parse_float)
    }

    /// A float (`NaN`, `Infinity` and `-Infinity` included).
    pub fn read_f32(&mut self, tag: &XmlTag<'_>) -> Result<f32, XmlError> {
        self.scalar(tag, "a number", |s| parse_float(s).map(|f| f as f32))
    }

    /// A base64 blob (empty text is an empty blob).
    pub fn read_blob(&mut self, tag: &XmlTag<'_>) -> Result<Blob, XmlError> {
        self.scalar(tag, "base64", |s| {
            crate::primitives::base64::decode(s).ok().map(Blob::new)
        })
    }

    /// A timestamp in `format` (ISO 8601 with or without offset for
    /// [`DateTimeFormat::DateTime`], epoch seconds, or an HTTP date).
    pub fn read_timestamp(
        &mut self,
        tag: &XmlTag<'_>,
        format: DateTimeFormat,
    ) -> Result<DateTime, XmlError> {
        self.scalar(tag, "a timestamp", |s| {
            let format = match format {
                DateTimeFormat::DateTime => DateTimeFormat::DateTimeWithOffset,
                other => other,
            };
            DateTime::from_str(s, format).ok()
        })
    }

    /// The error for a required member `name` missing from the element `tag`.
    pub fn missing(&self, tag: &XmlTag<'_>, name: &str) -> XmlError {
        self.error(format!("element <{}> has no <{name}>", tag.name()))
    }

    /// The error for the attribute of member `member` of the element `tag` whose text
    /// `value` does not parse.
    pub fn invalid(&self, tag: &XmlTag<'_>, member: &str, value: &str) -> XmlError {
        self.error(format!(
            "element <{}>: attribute of `{member}` `{}` does not parse",
            tag.name(),
            excerpt(value)
        ))
    }

    /// A generated structure.
    pub fn read<T: XmlRead>(&mut self, tag: &XmlTag<'_>) -> Result<T, XmlError> {
        T::read_xml(self, tag)
    }

    /// A wrapped list: every child element of the element being read is an item, read by
    /// `item` (botocore reads every child, whatever its name).
    pub fn read_list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self, &XmlTag<'a>) -> Result<T, XmlError>,
    ) -> Result<Vec<T>, XmlError> {
        let mut out = Vec::new();
        while let Some(child) = self.next_child()? {
            out.push(item(self, &child)?);
        }
        Ok(out)
    }

    /// One map entry: the children named `key_name` and `value_name` of the element being
    /// read (others are skipped); an entry without its key or value is an error.
    pub fn read_map_entry<K, V>(
        &mut self,
        tag: &XmlTag<'_>,
        key_name: &str,
        value_name: &str,
        mut key: impl FnMut(&mut Self, &XmlTag<'a>) -> Result<K, XmlError>,
        mut value: impl FnMut(&mut Self, &XmlTag<'a>) -> Result<V, XmlError>,
    ) -> Result<(K, V), XmlError> {
        let (mut k, mut v) = (None, None);
        while let Some(child) = self.next_child()? {
            match child.local_name() {
                n if n == key_name => k = Some(key(self, &child)?),
                n if n == value_name => v = Some(value(self, &child)?),
                _ => self.skip()?,
            }
        }
        match (k, v) {
            (Some(k), Some(v)) => Ok((k, v)),
            (None, _) => Err(self.error(format!("map entry <{}> has no <{key_name}>", tag.name()))),
            (_, None) => {
                Err(self.error(format!("map entry <{}> has no <{value_name}>", tag.name())))
            }
        }
    }

    /// A wrapped map: every child of the element being read is an entry (see
    /// [`read_map_entry`](Self::read_map_entry)).
    pub fn read_map<K: std::hash::Hash + Eq, V>(
        &mut self,
        key_name: &str,
        value_name: &str,
        mut key: impl FnMut(&mut Self, &XmlTag<'a>) -> Result<K, XmlError>,
        mut value: impl FnMut(&mut Self, &XmlTag<'a>) -> Result<V, XmlError>,
    ) -> Result<std::collections::HashMap<K, V>, XmlError> {
        let mut out = std::collections::HashMap::new();
        while let Some(entry) = self.next_child()? {
            let (k, v) = self.read_map_entry(&entry, key_name, value_name, &mut key, &mut value)?;
            out.insert(k, v);
        }
        Ok(out)
    }

    /// Reads the operation result of a query or ec2 response: the root's child `wrapper`
    /// (query's `resultWrapper`) or, without one, the root itself, through `read`; the
    /// request id (`ResponseMetadata/RequestId`) read on the way. A missing wrapper is an
    /// error, as in botocore.
    pub fn read_result<T>(
        &mut self,
        wrapper: Option<&str>,
        mut read: impl FnMut(&mut XmlReader<'_>, &XmlTag<'_>) -> Result<T, XmlError>,
    ) -> Result<(T, Option<String>), XmlError> {
        let root = self.root()?;
        let Some(wrapper) = wrapper else {
            let value = read(self, &root)?;
            return Ok((value, None));
        };
        let mut value = None;
        let mut request_id = None;
        while let Some(child) = self.next_child()? {
            match child.local_name() {
                n if n == wrapper && value.is_none() => value = Some(read(self, &child)?),
                "ResponseMetadata" => request_id = self.response_metadata()?,
                _ => self.skip()?,
            }
        }
        let value = value
            .ok_or_else(|| self.error(format!("<{}> has no <{wrapper}> element", root.name())))?;
        Ok((value, request_id))
    }

    fn response_metadata(&mut self) -> Result<Option<String>, XmlError> {
        let mut id = None;
        while let Some(child) = self.next_child()? {
            if child.local_name() == "RequestId" {
                id = Some(self.text()?);
            } else {
                self.skip()?;
            }
        }
        Ok(id)
    }

    /// Reads the element that holds an error's members: `<ErrorResponse><Error>` (query),
    /// `<Response><Errors><Error>` (ec2), or a bare `<Error>` root (S3), through `read`.
    pub fn read_error<T>(
        &mut self,
        mut read: impl FnMut(&mut XmlReader<'_>, &XmlTag<'_>) -> Result<T, XmlError>,
    ) -> Result<T, XmlError> {
        let root = self.root()?;
        if root.local_name() == "Error" {
            return read(self, &root);
        }
        while let Some(child) = self.next_child()? {
            match child.local_name() {
                "Error" => return read(self, &child),
                "Errors" => {
                    while let Some(inner) = self.next_child()? {
                        if inner.local_name() == "Error" {
                            return read(self, &inner);
                        }
                        self.skip()?;
                    }
                }
                _ => self.skip()?,
            }
        }
        Err(self.error(format!("no <Error> element in <{}>", root.name())))
    }
}

/// Parses a float as the AWS XML protocols write it.
fn parse_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ if s
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
            && !s.is_empty() =>
        {
            s.parse().ok()
        }
        _ => None,
    }
}

/// At most 64 characters of `text`, for error messages.
fn excerpt(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(64) {
        Some((i, _)) => Cow::Owned(format!("{}…", &text[..i])),
        None => Cow::Borrowed(text),
    }
}

/// Code, message and request id of an XML error body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorFields {
    /// `Code`.
    pub code: Option<String>,
    /// `Message`.
    pub message: Option<String>,
    /// `RequestId` (query, S3), or `RequestID` (ec2).
    pub request_id: Option<String>,
}

/// Reads code, message and request id from the error bodies of the XML protocols:
/// `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>` (query,
/// rest-xml), `<Response><Errors><Error>..</Error></Errors><RequestID/></Response>` (ec2), and
/// S3's bare `<Error><Code/><Message/><RequestId/></Error>`.
pub fn parse_error_body(bytes: &[u8]) -> Result<ErrorFields, XmlError> {
    fn error_element(r: &mut XmlReader<'_>, out: &mut ErrorFields) -> Result<(), XmlError> {
        while let Some(child) = r.next_child()? {
            match child.local_name() {
                "Code" => out.code = Some(r.text()?.trim().to_owned()),
                "Message" => out.message = Some(r.text()?),
                "RequestId" | "RequestID" => out.request_id = Some(r.text()?.trim().to_owned()),
                _ => r.skip()?,
            }
        }
        Ok(())
    }
    let mut r = XmlReader::new(bytes)?;
    let root = r.root()?;
    let mut out = ErrorFields::default();
    if root.local_name() == "Error" {
        error_element(&mut r, &mut out)?;
        return Ok(out);
    }
    while let Some(child) = r.next_child()? {
        match child.local_name() {
            "Error" => error_element(&mut r, &mut out)?,
            "Errors" => {
                while let Some(inner) = r.next_child()? {
                    if inner.local_name() == "Error" && out.code.is_none() {
                        error_element(&mut r, &mut out)?;
                    } else {
                        r.skip()?;
                    }
                }
            }
            "RequestId" | "RequestID" => out.request_id = Some(r.text()?.trim().to_owned()),
            _ => r.skip()?,
        }
    }
    Ok(out)
}

/// A generated structure written as XML (rest-xml request bodies): its `xmlAttribute`
/// members as attributes of the element just started, then its other members as children.
/// The caller starts and ends the element, whose name and namespace depend on where the
/// structure is (member, list item, payload).
pub trait XmlWrite {
    /// Writes the attributes and children of the element just started on `writer`.
    fn write_xml(&self, writer: &mut XmlWriter);
}

/// A scalar written as element text or an attribute value, as botocore's rest-xml serializer
/// writes it: strings as they are, booleans `true`/`false`, integers in decimal, floats as
/// Python's `str` (`1.5`, `2.0`, `NaN`, `Infinity`, `-Infinity`), blobs in base64.
/// Timestamps go through [`XmlTimestamp`].
pub trait XmlText {
    /// Appends the text to `out`; an error says why the value cannot be written.
    fn write_text(&self, out: &mut String) -> Result<(), String>;
}

impl<T: XmlText + ?Sized> XmlText for &T {
    #[inline]
    fn write_text(&self, out: &mut String) -> Result<(), String> {
        (**self).write_text(out)
    }
}

impl XmlText for str {
    #[inline]
    fn write_text(&self, out: &mut String) -> Result<(), String> {
        out.push_str(self);
        Ok(())
    }
}

impl XmlText for String {
    #[inline]
    fn write_text(&self, out: &mut String) -> Result<(), String> {
        out.push_str(self);
        Ok(())
    }
}

impl XmlText for bool {
    #[inline]
    fn write_text(&self, out: &mut String) -> Result<(), String> {
        out.push_str(if *self { "true" } else { "false" });
        Ok(())
    }
}

macro_rules! xml_integer {
    ($($t:ty),*) => {$(
        impl XmlText for $t {
            #[inline]
            fn write_text(&self, out: &mut String) -> Result<(), String> {
                use std::fmt::Write as _;
                let _ = write!(out, "{self}");
                Ok(())
            }
        }
    )*};
}
xml_integer!(i8, i16, i32, i64, u8, u16, u32, u64);

impl XmlText for f64 {
    #[inline]
    fn write_text(&self, out: &mut String) -> Result<(), String> {
        crate::serde_helpers::write_float(*self, self, out);
        Ok(())
    }
}

impl XmlText for f32 {
    #[inline]
    fn write_text(&self, out: &mut String) -> Result<(), String> {
        crate::serde_helpers::write_float(f64::from(*self), self, out);
        Ok(())
    }
}

impl XmlText for Blob {
    #[inline]
    fn write_text(&self, out: &mut String) -> Result<(), String> {
        out.push_str(&crate::primitives::base64::encode(self.as_ref()));
        Ok(())
    }
}

/// A timestamp in a format (ISO 8601 by default in rest-xml bodies).
#[derive(Debug, Clone, Copy)]
pub struct XmlTimestamp<'a>(pub &'a DateTime, pub DateTimeFormat);

impl XmlText for XmlTimestamp<'_> {
    #[inline]
    fn write_text(&self, out: &mut String) -> Result<(), String> {
        let text = self.0.fmt(self.1).map_err(|e| e.to_string())?;
        out.push_str(&text);
        Ok(())
    }
}

/// Writes an XML document (for rest-xml request bodies): elements with attributes and
/// namespaces, text escaped. A value that cannot be written (a timestamp out of range) is
/// remembered, and [`try_finish`](Self::try_finish) reports the first one.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    open: Vec<String>,
    /// The last start tag is not closed with `>` yet (attributes may follow).
    in_tag: bool,
    /// The first value that could not be written.
    error: Option<String>,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    fn close_tag(&mut self) {
        if self.in_tag {
            self.out.push('>');
            self.in_tag = false;
        }
    }

    /// Opens `<name`; attributes may follow until the next content.
    pub fn start(&mut self, name: &str) -> &mut Self {
        self.close_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.open.push(name.to_owned());
        self.in_tag = true;
        self
    }

    /// An attribute of the element just started (value escaped).
    pub fn attribute(&mut self, name: &str, value: &str) -> &mut Self {
        debug_assert!(self.in_tag, "attributes follow a start tag");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(&quick_xml::escape::escape(value));
        self.out.push('"');
        self
    }

    /// A namespace declaration `xmlns="uri"`, or `xmlns:prefix="uri"`.
    pub fn namespace(&mut self, prefix: Option<&str>, uri: &str) -> &mut Self {
        match prefix {
            Some(prefix) => self.attribute(&format!("xmlns:{prefix}"), uri),
            None => self.attribute("xmlns", uri),
        }
    }

    /// Escaped text content.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.close_tag();
        self.out.push_str(&quick_xml::escape::escape(text));
        self
    }

    /// Closes the innermost open element (`<a></a>` when empty).
    pub fn end(&mut self) -> &mut Self {
        self.close_tag();
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(&name);
            self.out.push('>');
        }
        self
    }

    /// `<name>text</name>`.
    pub fn element(&mut self, name: &str, text: &str) -> &mut Self {
        self.start(name).text(text).end()
    }

    /// The document, every open element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }

    /// The document, or the first value that could not be written.
    pub fn try_finish(mut self) -> Result<String, String> {
        match self.error.take() {
            Some(error) => Err(error),
            None => Ok(self.finish()),
        }
    }

    fn text_of(&mut self, value: &dyn XmlText) -> String {
        let mut text = String::new();
        if let Err(e) = value.write_text(&mut text)
            && self.error.is_none()
        {
            let element = self.open.last().cloned().unwrap_or_default();
            self.error = Some(format!("the value of <{element}> cannot be written: {e}"));
        }
        text
    }

    /// A scalar as the text of the element just started.
    pub fn value(&mut self, value: &dyn XmlText) -> &mut Self {
        let text = self.text_of(value);
        self.text(&text)
    }

    /// `<name>value</name>` for a scalar.
    pub fn scalar(&mut self, name: &str, value: &dyn XmlText) -> &mut Self {
        self.start(name);
        self.value(value);
        self.end()
    }

    /// A scalar as the attribute `name` of the element just started.
    pub fn attribute_value(&mut self, name: &str, value: &dyn XmlText) -> &mut Self {
        let text = self.text_of(value);
        self.attribute(name, &text)
    }

    /// `<name>` holding a structure (its attributes and children, see [`XmlWrite`]).
    pub fn structure(&mut self, name: &str, value: &dyn XmlWrite) -> &mut Self {
        self.start(name);
        value.write_xml(self);
        self.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_children_text_and_skips() {
        let doc = br#"<?xml version="1.0"?>
            <!-- c --><a xmlns="urn:x" xmlns:p="urn:p"><p:b k="v &amp; w">x &lt;&#65;&#x42;<![CDATA[<c>]]></p:b>
            <skip><deep><deeper/></deep></skip><e/><n>12</n></a>"#;
        let mut r = XmlReader::new(doc).unwrap();
        let root = r.root().unwrap();
        assert_eq!(root.local_name(), "a");
        let b = r.next_child().unwrap().unwrap();
        assert_eq!((b.name(), b.local_name()), ("p:b", "b"));
        assert_eq!(b.attribute("k").as_deref(), Some("v & w"));
        assert_eq!(r.text().unwrap(), "x <AB<c>");
        let skip = r.next_child().unwrap().unwrap();
        assert_eq!(skip.local_name(), "skip");
        r.skip().unwrap();
        let e = r.next_child().unwrap().unwrap();
        assert_eq!(r.read_string(&e).unwrap(), "");
        let n = r.next_child().unwrap().unwrap();
        assert_eq!(r.read_i32(&n).unwrap(), 12);
        assert!(r.next_child().unwrap().is_none());
        assert!(r.next_child().unwrap().is_none());
    }

    #[test]
    fn bad_scalars_name_the_element() {
        let mut r = XmlReader::new(b"<a><n>twelve</n></a>").unwrap();
        r.root().unwrap();
        let n = r.next_child().unwrap().unwrap();
        let err = r.read_i32(&n).unwrap_err();
        assert!(
            err.to_string()
                .contains("element <n>: `twelve` is not a 32-bit integer"),
            "{err}"
        );
    }

    #[test]
    fn malformed_documents_are_errors() {
        for doc in [
            &b""[..],
            b"   ",
            b"text",
            b"<a>",
            b"<a></b>",
            b"<a><b></a>",
            b"<a>&bogus;</a>",
            b"<a><![CDATA[x</a>",
            b"\xff\xfe<a/>",
        ] {
            let result = (|| {
                let mut r = XmlReader::new(doc)?;
                r.root()?;
                r.text()
            })();
            assert!(
                result.is_err(),
                "{:?} gave {result:?}",
                String::from_utf8_lossy(doc)
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow() {
        let depth = 2 * 1024 * 1024 / 7;
        let mut doc = "<a>".repeat(depth);
        doc.push_str(&"</a>".repeat(depth));
        let mut r = XmlReader::new(doc.as_bytes()).unwrap();
        r.root().unwrap();
        let err = r.skip().unwrap_err();
        assert!(
            err.message().contains("nested more than 256 levels"),
            "{err}"
        );
    }

    #[test]
    fn error_bodies_of_each_protocol() {
        let query = br#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
            <Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user &apos;x&apos; cannot be found.</Message></Error>
            <RequestId>q-1</RequestId></ErrorResponse>"#;
        assert_eq!(
            parse_error_body(query).unwrap(),
            ErrorFields {
                code: Some("NoSuchEntity".into()),
                message: Some("The user 'x' cannot be found.".into()),
                request_id: Some("q-1".into()),
            }
        );
        let ec2 = br#"<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>
            <Message>The instance ID 'i-1' does not exist</Message></Error></Errors>
            <RequestID>e-1</RequestID></Response>"#;
        let fields = parse_error_body(ec2).unwrap();
        assert_eq!(fields.code.as_deref(), Some("InvalidInstanceID.NotFound"));
        assert_eq!(fields.request_id.as_deref(), Some("e-1"));
        let s3 = br#"<?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message>
            <Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>"#;
        let fields = parse_error_body(s3).unwrap();
        assert_eq!(fields.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(fields.request_id.as_deref(), Some("4442587FB7D0A2F9"));
        assert!(parse_error_body(b"<html><body>502 Bad Gateway</body>").is_err());
    }

    #[test]
    fn writer_escapes_and_declares_namespaces() {
        let mut w = XmlWriter::new();
        w.start("Root")
            .namespace(None, "https://x/")
            .namespace(Some("xsi"), "urn:i");
        w.start("A")
            .attribute("xsi:type", "a\"<&")
            .text("1 < 2 & 3")
            .end();
        w.start("Empty").end();
        w.element("B", "ü");
        assert_eq!(
            w.finish(),
            "<Root xmlns=\"https://x/\" xmlns:xsi=\"urn:i\"><A xsi:type=\"a&quot;&lt;&amp;\">\
             1 &lt; 2 &amp; 3</A><Empty></Empty><B>ü</B></Root>"
        );
    }

    #[test]
    fn writer_output_reads_back() {
        let mut w = XmlWriter::new();
        w.start("a").attribute("k", "'\"&<>").text("&<>\"'").end();
        let doc = w.finish();
        let mut r = XmlReader::new(doc.as_bytes()).unwrap();
        let root = r.root().unwrap();
        assert_eq!(root.attribute("k").as_deref(), Some("'\"&<>"));
        assert_eq!(r.text().unwrap(), "&<>\"'");
    }
}
