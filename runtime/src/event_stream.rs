//! Event streams (feature `event-stream`): the events of an operation's output read one by one
//! from the response body, as `aws-sdk-*` crates read them (S3 `SelectObjectContent`, Bedrock
//! `ConverseStream`, CloudWatch Logs `StartLiveTail`, Lambda `InvokeWithResponseStream`).
//!
//! The body is a sequence of messages in the binary [event stream encoding]: a prelude (total
//! length, headers length, CRC32 of the two), headers (name, type, value), the payload, and a
//! CRC32 of the whole message. [`EventReceiver::recv`] reads the next message, checks both
//! checksums and the lengths, and hands it to the generated code of the stream's union
//! ([`EventStreamUnion`]), which reads the event from the message's headers and payload in the
//! operation's protocol. Messages of type `exception` (a modelled error of the stream) and
//! `error` (an unmodelled one) end the stream with [`SdkError::ServiceError`].
//!
//! The framing is written here rather than taken from `aws-smithy-eventstream`, which would
//! bring `aws-smithy-types` and its dependencies into every crate with an event stream; it is
//! checked against that crate, both ways, in `runtime/tests/event_stream.rs`.
//!
//! An RPC protocol's `initial-response` event (the output's other members, which no botocore
//! model with an event stream has) is skipped. Input event streams (a request body of events,
//! over HTTP/2) are not supported.
//!
//! [event stream encoding]: https://smithy.io/2.0/aws/amazon-eventstream.html

use crate::error::{ErrorMetadata, SdkError};
use crate::http::BoxError;
use crate::http::HttpResponse;
use crate::primitives::{ByteStream, DateTime};
use crate::protocol::{ErrorBody, Protocol, Wire, WireProtocol};
use bytes::{Buf, Bytes, BytesMut};
use std::fmt;
use std::marker::PhantomData;

/// The longest message read: 16 MiB (the official decoder sets no bound; a stream is read one
/// message at a time, so this bounds the memory one message can take).
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;
/// The longest headers section read: 128 KiB.
pub const MAX_HEADERS_LEN: usize = 128 * 1024;
/// Prelude (12 bytes) and message CRC (4 bytes).
const FRAME_OVERHEAD: usize = 16;

static CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// One message of an event stream: its headers and payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    headers: Vec<Header>,
    payload: Bytes,
}

impl Message {
    /// A message with `payload` and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Self {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// The message with `header` added.
    pub fn add_header(mut self, header: Header) -> Self {
        self.headers.push(header);
        self
    }

    /// The headers, in the order they were read.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    }

    /// The value of the string header `name` (`:message-type`, `:event-type`, ...).
    pub fn string_header(&self, name: &str) -> Option<&str> {
        match self.header(name)? {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A message header: a name and a typed value.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    name: String,
    value: HeaderValue,
}

impl Header {
    /// The header `name` with `value`.
    pub fn new(name: impl Into<String>, value: HeaderValue) -> Self {
        Self {
            name: name.into(),
            value,
        }
    }

    /// The header's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The header's value.
    pub fn value(&self) -> &HeaderValue {
        &self.value
    }
}

/// The value of a message header, in one of the encoding's nine types.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum HeaderValue {
    /// A boolean (types 0 and 1).
    Bool(bool),
    /// A signed byte (type 2).
    Byte(i8),
    /// A 16-bit integer (type 3).
    Int16(i16),
    /// A 32-bit integer (type 4).
    Int32(i32),
    /// A 64-bit integer (type 5).
    Int64(i64),
    /// Bytes (type 6).
    ByteArray(Bytes),
    /// A UTF-8 string (type 7).
    String(String),
    /// Milliseconds since the epoch (type 8).
    Timestamp(DateTime),
    /// A UUID (type 9).
    Uuid(u128),
}

/// What [`EventReceiver::recv`] read when it failed: the decoded message, or the bytes that
/// are not a message (as much of them as was read).
#[derive(Clone, Debug)]
pub enum RawMessage {
    /// A message that was decoded but could not be read as an event, or that is an error.
    Decoded(Message),
    /// Bytes that are not a valid message (`None`: nothing was read).
    Invalid(Option<Bytes>),
}

impl RawMessage {
    /// Bytes that are not a valid message.
    pub fn invalid(bytes: Option<Bytes>) -> Self {
        Self::Invalid(bytes)
    }
}

/// Why bytes are not an event stream message, naming the field and its offset in the stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid event stream message at byte {offset}: {reason}")]
pub struct FrameError {
    offset: u64,
    reason: String,
}

impl FrameError {
    fn new(offset: u64, reason: impl Into<String>) -> Self {
        Self {
            offset,
            reason: reason.into(),
        }
    }
}

/// Splits a byte stream into messages: bytes go in as they arrive, whole messages come out.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: BytesMut,
    /// Offset in the stream of the buffer's first byte (for error messages).
    offset: u64,
}

impl MessageDecoder {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes read from the stream.
    pub fn extend(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Whether bytes of an incomplete message are buffered.
    pub fn has_partial(&self) -> bool {
        !self.buffer.is_empty()
    }

    /// The bytes buffered (for [`RawMessage::Invalid`]).
    pub fn buffered(&self) -> Bytes {
        Bytes::copy_from_slice(&self.buffer)
    }

    /// The next whole message, `Ok(None)` when more bytes are needed. An error is final: the
    /// stream cannot be resynchronised.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        let at = self.offset;
        let buf = &self.buffer[..];
        if buf.len() < 12 {
            return Ok(None);
        }
        let total = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
        let headers_len = u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]) as usize;
        let prelude_crc = u32::from_be_bytes([buf[8], buf[9], buf[10], buf[11]]);
        let computed = CRC32.checksum(&buf[..8]);
        if computed != prelude_crc {
            return Err(FrameError::new(
                at,
                format!("prelude CRC32 is {prelude_crc:#010x}, computed {computed:#010x}"),
            ));
        }
        if total > MAX_MESSAGE_LEN {
            return Err(FrameError::new(
                at,
                format!("total length {total} is over the limit of {MAX_MESSAGE_LEN}"),
            ));
        }
        if headers_len > MAX_HEADERS_LEN {
            return Err(FrameError::new(
                at,
                format!("headers length {headers_len} is over the limit of {MAX_HEADERS_LEN}"),
            ));
        }
        if total < FRAME_OVERHEAD + headers_len {
            return Err(FrameError::new(
                at,
                format!("total length {total} is too small for {headers_len} bytes of headers"),
            ));
        }
        if buf.len() < total {
            return Ok(None);
        }
        let message_crc = u32::from_be_bytes([
            buf[total - 4],
            buf[total - 3],
            buf[total - 2],
            buf[total - 1],
        ]);
        let computed = CRC32.checksum(&buf[..total - 4]);
        if computed != message_crc {
            return Err(FrameError::new(
                at,
                format!("message CRC32 is {message_crc:#010x}, computed {computed:#010x}"),
            ));
        }
        let mut frame = self.buffer.split_to(total).freeze();
        self.offset += total as u64;
        frame.advance(12);
        let headers = read_headers(&frame[..headers_len], at + 12)?;
        let payload = frame.slice(headers_len..total - FRAME_OVERHEAD);
        Ok(Some(Message { headers, payload }))
    }
}

/// Reads a headers section; `at` is its offset in the stream.
fn read_headers(mut buf: &[u8], at: u64) -> Result<Vec<Header>, FrameError> {
    let start = buf.len();
    let mut headers = Vec::new();
    while !buf.is_empty() {
        let here = at + (start - buf.len()) as u64;
        let short = |what: &str| FrameError::new(here, format!("header {what} is cut short"));
        let name_len = *buf.first().ok_or_else(|| short("name length"))? as usize;
        buf = &buf[1..];
        if name_len == 0 {
            return Err(FrameError::new(here, "a header has an empty name"));
        }
        let name = take(&mut buf, name_len).ok_or_else(|| short("name"))?;
        let name = std::str::from_utf8(name)
            .map_err(|_| FrameError::new(here, "a header name is not UTF-8"))?
            .to_owned();
        let value_type = *buf.first().ok_or_else(|| short("type"))?;
        buf = &buf[1..];
        let short =
            |what: &str| FrameError::new(here, format!("header {name:?}: its {what} is cut short"));
        let mut fixed = |n: usize| take(&mut buf, n).ok_or_else(|| short("value"));
        let value = match value_type {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(fixed(1)?[0] as i8),
            3 => HeaderValue::Int16(i16::from_be_bytes(fixed(2)?.try_into().unwrap_or_default())),
            4 => HeaderValue::Int32(i32::from_be_bytes(fixed(4)?.try_into().unwrap_or_default())),
            5 => HeaderValue::Int64(i64::from_be_bytes(fixed(8)?.try_into().unwrap_or_default())),
            8 => HeaderValue::Timestamp(DateTime::from_millis(i64::from_be_bytes(
                fixed(8)?.try_into().unwrap_or_default(),
            ))),
            9 => HeaderValue::Uuid(u128::from_be_bytes(
                fixed(16)?.try_into().unwrap_or_default(),
            )),
            6 | 7 => {
                let len = fixed(2)?;
                let len = u16::from_be_bytes([len[0], len[1]]) as usize;
                let bytes = take(&mut buf, len).ok_or_else(|| short("value"))?;
                if value_type == 6 {
                    HeaderValue::ByteArray(Bytes::copy_from_slice(bytes))
                } else {
                    HeaderValue::String(
                        std::str::from_utf8(bytes)
                            .map_err(|_| {
                                FrameError::new(here, format!("header {name:?} is not UTF-8"))
                            })?
                            .to_owned(),
                    )
                }
            }
            other => {
                return Err(FrameError::new(
                    here,
                    format!("header {name:?} has the unknown type {other}"),
                ));
            }
        };
        headers.push(Header { name, value });
    }
    Ok(headers)
}

/// The first `n` bytes of `buf`, which then starts after them; `None` when it is shorter.
fn take<'a>(buf: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if buf.len() < n {
        return None;
    }
    let (head, rest) = buf.split_at(n);
    *buf = rest;
    Some(head)
}

/// Writes `message` in the event stream encoding (for tests and servers written against this
/// crate; clients only read).
pub fn write_message(message: &Message) -> Result<Vec<u8>, FrameError> {
    let mut headers = Vec::new();
    for header in &message.headers {
        let name = header.name.as_bytes();
        let name_len = u8::try_from(name.len())
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                FrameError::new(0, format!("header name {:?}: 1 to 255 bytes", header.name))
            })?;
        headers.push(name_len);
        headers.extend_from_slice(name);
        let variable = |headers: &mut Vec<u8>, kind: u8, bytes: &[u8]| {
            // The encoding limits string and byte array values to i16::MAX bytes, though the
            // length field is a u16 (as the CRT, Java, Go and aws-smithy-eventstream).
            let len = u16::try_from(bytes.len())
                .ok()
                .filter(|n| *n <= i16::MAX as u16)
                .ok_or_else(|| {
                    FrameError::new(
                        0,
                        format!("header {:?}: value over 32,767 bytes", header.name),
                    )
                })?;
            headers.push(kind);
            headers.extend_from_slice(&len.to_be_bytes());
            headers.extend_from_slice(bytes);
            Ok::<(), FrameError>(())
        };
        match &header.value {
            HeaderValue::Bool(true) => headers.push(0),
            HeaderValue::Bool(false) => headers.push(1),
            HeaderValue::Byte(v) => headers.extend([2, *v as u8]),
            HeaderValue::Int16(v) => {
                headers.push(3);
                headers.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Int32(v) => {
                headers.push(4);
                headers.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::Int64(v) => {
                headers.push(5);
                headers.extend_from_slice(&v.to_be_bytes());
            }
            HeaderValue::ByteArray(v) => variable(&mut headers, 6, v)?,
            HeaderValue::String(v) => variable(&mut headers, 7, v.as_bytes())?,
            HeaderValue::Timestamp(v) => {
                let millis = v.to_millis().map_err(|err| {
                    FrameError::new(0, format!("header {:?}: {err}", header.name))
                })?;
                headers.push(8);
                headers.extend_from_slice(&millis.to_be_bytes());
            }
            HeaderValue::Uuid(v) => {
                headers.push(9);
                headers.extend_from_slice(&v.to_be_bytes());
            }
        }
    }
    let total = FRAME_OVERHEAD + headers.len() + message.payload.len();
    if total > MAX_MESSAGE_LEN || headers.len() > MAX_HEADERS_LEN {
        return Err(FrameError::new(
            0,
            format!("message of {total} bytes is too long"),
        ));
    }
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let prelude_crc = CRC32.checksum(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&headers);
    out.extend_from_slice(&message.payload);
    let message_crc = CRC32.checksum(&out);
    out.extend_from_slice(&message_crc.to_be_bytes());
    Ok(out)
}

/// An event stream union as generated code implements it: its events read from messages, and
/// its errors (the modelled exceptions among its members, else unhandled).
pub trait EventStreamUnion: Sized {
    /// The stream's error: an enum of its modelled exceptions and `Unhandled`.
    type Error;

    /// Reads the event `event_type` names (`:event-type`) from `message`, whose payload is in
    /// `protocol`. A type the model does not name gives the union's `Unknown` variant.
    fn read_event(
        event_type: &str,
        message: &Message,
        protocol: Protocol,
    ) -> Result<Self, BoxError>;

    /// The error a `:message-type` of `exception` (code: `:exception-type`) or `error` (code:
    /// `:error-code`) stands for; `body` holds the message's payload.
    fn read_error(meta: ErrorMetadata, body: &ErrorBody<'_>) -> Self::Error;
}

/// The events of an operation's output, read one by one from the response body (the official
/// crates' `EventReceiver`).
pub struct EventReceiver<T, E> {
    body: ByteStream,
    decoder: MessageDecoder,
    /// The protocol of the payloads; `None` for a receiver not read from a response.
    wire: Option<Wire>,
    done: bool,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("protocol", &self.wire.map(|w| w.protocol()))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T, E> Default for EventReceiver<T, E> {
    /// A receiver of no events (the output was built, not read from a response).
    fn default() -> Self {
        Self {
            body: ByteStream::default(),
            decoder: MessageDecoder::new(),
            wire: None,
            done: true,
            _types: PhantomData,
        }
    }
}

impl<T: EventStreamUnion<Error = E>, E> EventReceiver<T, E> {
    /// The events of `body`, whose payloads are in `protocol` (whose feature is on: the
    /// response was read in it; otherwise there are no events).
    pub fn new(body: ByteStream, protocol: Protocol) -> Self {
        let wire = Wire::new(protocol).ok();
        Self {
            body,
            decoder: MessageDecoder::new(),
            done: wire.is_none(),
            wire,
            _types: PhantomData,
        }
    }

    /// The response body the events are read from. The blocking client reads it whole before
    /// `send()` returns (its connection is driven only inside `send()`); `recv()` then reads
    /// the events from memory.
    #[doc(hidden)]
    pub fn body_mut(&mut self) -> &mut ByteStream {
        &mut self.body
    }

    /// The next event; `Ok(None)` when the stream ended cleanly. An invalid message, a body
    /// that ends inside a message or fails to read, or an error message ends the stream:
    /// later calls return `Ok(None)`.
    pub async fn recv(&mut self) -> Result<Option<T>, SdkError<E, RawMessage>> {
        if self.done {
            return Ok(None);
        }
        let result = self.next_event().await;
        if !matches!(result, Ok(Some(_))) {
            self.done = true;
        }
        result
    }

    async fn next_event(&mut self) -> Result<Option<T>, SdkError<E, RawMessage>> {
        let Some(wire) = self.wire else {
            return Ok(None);
        };
        loop {
            let message = match self.decoder.next_message() {
                Ok(Some(message)) => message,
                Ok(None) => {
                    match self.body.try_next().await {
                        Ok(Some(chunk)) => self.decoder.extend(&chunk),
                        Ok(None) if self.decoder.has_partial() => {
                            let raw = RawMessage::Invalid(Some(self.decoder.buffered()));
                            return Err(SdkError::response_error(
                                "the event stream ended inside a message",
                                raw,
                            ));
                        }
                        Ok(None) => return Ok(None),
                        Err(err) => {
                            let raw = RawMessage::Invalid(
                                Some(self.decoder.buffered()).filter(|b| !b.is_empty()),
                            );
                            return Err(SdkError::response_error(err, raw));
                        }
                    }
                    continue;
                }
                Err(err) => {
                    let raw = RawMessage::Invalid(Some(self.decoder.buffered()));
                    return Err(SdkError::response_error(err, raw));
                }
            };
            match message.string_header(":message-type") {
                Some("event") => {
                    let Some(event_type) = message.string_header(":event-type") else {
                        return Err(SdkError::response_error(
                            "an event message has no :event-type header",
                            RawMessage::Decoded(message),
                        ));
                    };
                    if event_type == "initial-response" {
                        continue;
                    }
                    return match T::read_event(event_type, &message, wire.protocol()) {
                        Ok(event) => Ok(Some(event)),
                        Err(err) => Err(SdkError::response_error(
                            format!("reading the {event_type:?} event: {err}"),
                            RawMessage::Decoded(message),
                        )),
                    };
                }
                Some(kind @ ("exception" | "error")) => {
                    let err = Self::read_error(wire, kind, &message);
                    return Err(SdkError::service_error(err, RawMessage::Decoded(message)));
                }
                other => {
                    let text = match other {
                        Some(other) => format!("unknown :message-type {other:?}"),
                        None => "a message has no :message-type header".to_owned(),
                    };
                    return Err(SdkError::response_error(text, RawMessage::Decoded(message)));
                }
            }
        }
    }

    /// The stream's error for an `exception` or `error` message.
    fn read_error(wire: Wire, kind: &str, message: &Message) -> E {
        // The payload as the body of an error response, so the exception's generated reader
        // (the one an operation's error response goes through) reads its members.
        let response = HttpResponse {
            status: 400,
            headers: Vec::new(),
            body: message.payload().clone().into(),
        };
        let (code, text) = if kind == "exception" {
            let from_body = wire.error_metadata(&response);
            (
                message.string_header(":exception-type"),
                from_body.message().map(str::to_owned),
            )
        } else {
            (
                message.string_header(":error-code"),
                message.string_header(":error-message").map(str::to_owned),
            )
        };
        let mut meta = ErrorMetadata::builder();
        if let Some(code) = code {
            meta = meta.code(code);
        }
        if let Some(text) = text {
            meta = meta.message(text);
        }
        T::read_error(meta.build(), &ErrorBody::from_wire(wire, &response))
    }
}

/// Reads a structure from an event's payload in a serde protocol (JSON, CBOR); an empty
/// payload reads as an empty structure. For generated code.
pub fn deserialize_payload<T: serde::de::DeserializeOwned>(
    protocol: Protocol,
    payload: &[u8],
) -> Result<T, BoxError> {
    Wire::new(protocol)?.deserialize(payload)
}

/// Reads a structure from an event's XML payload (the structure's element); an empty payload
/// reads as an empty structure. For generated code.
#[cfg(feature = "xml")]
pub fn read_xml_payload<T: crate::xml::XmlRead>(payload: &[u8]) -> Result<T, BoxError> {
    let payload = if payload.iter().all(u8::is_ascii_whitespace) {
        &b"<Event/>"[..]
    } else {
        payload
    };
    let mut reader = crate::xml::XmlReader::new(payload)?;
    let root = reader.root()?;
    Ok(T::read_xml(&mut reader, &root)?)
}

/// An event's payload as a string member (`eventpayload` on a string). For generated code.
pub fn payload_string(message: &Message) -> Result<String, BoxError> {
    Ok(std::str::from_utf8(message.payload())
        .map_err(|err| format!("the event payload is not UTF-8: {err}"))?
        .to_owned())
}

/// A type an event member bound to a message header (`eventheader`) has.
pub trait FromHeader: Sized {
    /// The member's value from the header's; `None` when the header has another type.
    fn from_header(value: &HeaderValue) -> Option<Self>;
}

impl FromHeader for String {
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::String(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl FromHeader for bool {
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl FromHeader for i32 {
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Byte(v) => Some(i32::from(*v)),
            HeaderValue::Int16(v) => Some(i32::from(*v)),
            HeaderValue::Int32(v) => Some(*v),
            _ => None,
        }
    }
}

impl FromHeader for i64 {
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Byte(v) => Some(i64::from(*v)),
            HeaderValue::Int16(v) => Some(i64::from(*v)),
            HeaderValue::Int32(v) => Some(i64::from(*v)),
            HeaderValue::Int64(v) => Some(*v),
            _ => None,
        }
    }
}

impl FromHeader for crate::primitives::Blob {
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::ByteArray(b) => Some(crate::primitives::Blob::new(b.to_vec())),
            _ => None,
        }
    }
}

impl FromHeader for DateTime {
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Timestamp(t) => Some(*t),
            _ => None,
        }
    }
}

/// The event member bound to the header `name`: `None` when the message has no such header,
/// an error naming it when its value has another type. For generated code.
pub fn header<T: FromHeader>(message: &Message, name: &str) -> Result<Option<T>, BoxError> {
    match message.header(name) {
        None => Ok(None),
        Some(value) => T::from_header(value).map(Some).ok_or_else(|| {
            format!(
                "the event header {name:?} holds {value:?}, not a {}",
                std::any::type_name::<T>()
            )
            .into()
        }),
    }
}
