//! The HTTP layer: plain request/response values whose [`Body`] is bytes in memory or a
//! stream, the [`HttpClient`] trait that sends them, and the default client,
//! `HyperClient` (hyper-util's pooled HTTP/1.1 client; with a TLS feature only).

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

mod body;
pub use body::Body;

/// A boxed error that can cross threads.
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// The future returned by [`HttpClient::call`].
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, ConnectorError>> + Send + 'a>>;

/// An HTTP request, fully built and signed, ready to be sent.
///
/// `Debug` shows a buffered body as text and hides the `authorization` and
/// `x-amz-security-token` header values. Not `Clone`: a streaming body can be read once
/// (see [`HttpRequest::try_clone`]).
#[derive(Default)]
pub struct HttpRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The request URI. Requests built by the runtime carry an absolute URL
    /// (`https://host/path`); requests recorded by the test server carry the request target
    /// (the path) as received.
    pub uri: String,
    /// Header names and values in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The request body: bytes in memory or a stream.
    pub body: Body,
}

/// The headers of a request, to change them (as the official `HttpRequest::headers_mut()`);
/// names are compared case-insensitively.
#[derive(Debug)]
pub struct HeadersMut<'a>(&'a mut Vec<(String, String)>);

impl HeadersMut<'_> {
    /// Sets `name` to `value`, replacing every earlier value of that name.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        let name = name.into();
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.0.push((name, value.into()));
        self
    }

    /// Adds a value of `name`, keeping the others.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.0.push((name.into(), value.into()));
        self
    }

    /// Removes every value of `name`; returns the first one removed.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let first = find_header(self.0, name).map(str::to_owned);
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        first
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        find_header(self.0, name)
    }
}

impl HttpRequest {
    /// The request's headers, to change them.
    pub fn headers_mut(&mut self) -> HeadersMut<'_> {
        HeadersMut(&mut self.headers)
    }

    /// The request URI.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// Replaces the request URI.
    pub fn set_uri(&mut self, uri: impl Into<String>) {
        self.uri = uri.into();
    }

    /// Returns the value of the first header named `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// A copy of the request, when its body can be copied (see [`Body::try_clone`]).
    pub fn try_clone(&self) -> Option<HttpRequest> {
        Some(HttpRequest {
            method: self.method.clone(),
            uri: self.uri.clone(),
            headers: self.headers.clone(),
            body: self.body.try_clone()?,
        })
    }
}

/// An HTTP response as received from the wire. `Debug` shows a buffered body as text.
///
/// The default client returns the body as a stream; the orchestrator reads it whole (within
/// the attempt's timeout) before classifying and parsing, so every response an operation
/// gives back, in its output or in an `SdkError`, has a buffered body.
#[derive(Default)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Header names and values in the order they were received.
    pub headers: Vec<(String, String)>,
    /// The response body: bytes in memory or a stream.
    pub body: Body,
}

impl HttpResponse {
    /// Returns the value of the first header named `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// True for a 2xx status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The HTTP status code (as the official `Response::status()`; the same value as the
    /// `status` field).
    pub fn status(&self) -> StatusCode {
        StatusCode(self.status)
    }

    /// The headers, to read them by name (as the official `Response::headers()`).
    pub fn headers(&self) -> Headers<'_> {
        Headers(&self.headers)
    }
}

/// An HTTP status code, as the official `aws_smithy_runtime_api::http::StatusCode`.
#[derive(Copy, Clone, Debug, Eq, PartialEq, Hash)]
pub struct StatusCode(u16);

impl StatusCode {
    /// True for a successful status (2xx).
    pub fn is_success(self) -> bool {
        (200..300).contains(&self.0)
    }

    /// True for a client error (4xx).
    pub fn is_client_error(self) -> bool {
        (400..500).contains(&self.0)
    }

    /// True for a server error (5xx).
    pub fn is_server_error(self) -> bool {
        (500..600).contains(&self.0)
    }

    /// The status code as a number.
    pub fn as_u16(self) -> u16 {
        self.0
    }
}

impl From<StatusCode> for u16 {
    fn from(value: StatusCode) -> Self {
        value.0
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The headers of a response, read by name (compared case-insensitively), with the read
/// methods of the official `aws_smithy_runtime_api::http::Headers`.
#[derive(Clone, Copy)]
pub struct Headers<'a>(&'a [(String, String)]);

impl<'a> Headers<'a> {
    /// The first value of `key`.
    pub fn get(&self, key: impl AsRef<str>) -> Option<&'a str> {
        find_header(self.0, key.as_ref())
    }

    /// Every value of `key`, in the order received.
    pub fn get_all<K: AsRef<str>>(&self, key: K) -> impl Iterator<Item = &'a str> + use<'a, K> {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(key.as_ref()))
            .map(|(_, v)| v.as_str())
    }

    /// Every header as (name, value), in the order received.
    pub fn iter(&self) -> HeadersIter<'a> {
        HeadersIter(self.0.iter())
    }

    /// How many values there are (a header sent twice counts twice).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no headers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `key` has a value.
    pub fn contains_key(&self, key: impl AsRef<str>) -> bool {
        self.get(key).is_some()
    }
}

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        DebugHeaders(self.0).fmt(f)
    }
}

impl<'a> IntoIterator for Headers<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = HeadersIter<'a>;

    fn into_iter(self) -> HeadersIter<'a> {
        self.iter()
    }
}

/// An iterator over [`Headers`] as (name, value).
#[derive(Debug, Clone)]
pub struct HeadersIter<'a>(std::slice::Iter<'a, (String, String)>);

impl<'a> Iterator for HeadersIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

/// Headers whose values `Debug` output hides.
const SENSITIVE_HEADERS: [&str; 2] = ["authorization", "x-amz-security-token"];

pub(crate) struct DebugHeaders<'a>(pub(crate) &'a [(String, String)]);

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let sensitive = SENSITIVE_HEADERS
                    .iter()
                    .any(|s| name.eq_ignore_ascii_case(s));
                (name, if sensitive { "** redacted **" } else { value })
            }))
            .finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Sends HTTP requests. Implement this to plug in another HTTP stack or a test double.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the response, whatever its status, once its head has
    /// come; its body may be a stream still arriving (a failure reading it is an error of
    /// the body, best a boxed [`ConnectorError`]). A streaming request body is sent as it is
    /// read, never held whole.
    ///
    /// Only transport failures (connect, I/O, timeout, invalid request) are errors;
    /// a 4xx or 5xx answer is an `Ok` response.
    fn call(
        &self,
        request: HttpRequest,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, ConnectorError>> + Send + '_>>;
}

/// A cheaply clonable, shared [`HttpClient`].
#[derive(Clone, Debug)]
pub struct SharedHttpClient(pub Arc<dyn HttpClient>);

impl SharedHttpClient {
    /// Wraps `client` so it can be shared between configs and clients.
    pub fn new(client: impl HttpClient + 'static) -> Self {
        Self(Arc::new(client))
    }
}

impl HttpClient for SharedHttpClient {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.0.call(request)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConnectorErrorKind {
    Timeout,
    Io,
    User,
    Other,
}

/// A transport failure: the request could not be sent or no complete response came back.
#[derive(Debug)]
pub struct ConnectorError {
    kind: ConnectorErrorKind,
    source: BoxError,
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ConnectorErrorKind::Timeout => "timeout",
            ConnectorErrorKind::Io => "io error",
            ConnectorErrorKind::User => "user error",
            ConnectorErrorKind::Other => "other",
        })
    }
}

impl Error for ConnectorError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

impl ConnectorError {
    /// A timeout (connect or read).
    pub fn timeout(source: impl Into<BoxError>) -> Self {
        Self::new(ConnectorErrorKind::Timeout, source)
    }

    /// A socket or I/O failure (connection refused, reset, DNS, TLS handshake).
    pub fn io(source: impl Into<BoxError>) -> Self {
        Self::new(ConnectorErrorKind::Io, source)
    }

    /// The request itself could not be sent as given (invalid URL, header or method).
    pub fn user(source: impl Into<BoxError>) -> Self {
        Self::new(ConnectorErrorKind::User, source)
    }

    /// Any other transport failure.
    pub fn other(source: impl Into<BoxError>) -> Self {
        Self::new(ConnectorErrorKind::Other, source)
    }

    fn new(kind: ConnectorErrorKind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// True if this was a timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == ConnectorErrorKind::Timeout
    }

    /// True if this was a socket or I/O failure.
    pub fn is_io(&self) -> bool {
        self.kind == ConnectorErrorKind::Io
    }

    /// True if the request could not be sent as given.
    pub fn is_user(&self) -> bool {
        self.kind == ConnectorErrorKind::User
    }

    /// True if this failure has no more specific kind.
    pub fn is_other(&self) -> bool {
        self.kind == ConnectorErrorKind::Other
    }

    /// Returns the underlying transport error.
    pub fn into_source(self) -> BoxError {
        self.source
    }
}

#[cfg(any(feature = "native-tls", feature = "rustls"))]
mod connections;
#[cfg(any(feature = "native-tls", feature = "rustls"))]
mod hyper_client;
#[cfg(any(feature = "native-tls", feature = "rustls"))]
pub use hyper_client::HyperClient;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_header_lookup_is_case_insensitive() {
        let response = HttpResponse {
            status: 200,
            headers: vec![
                ("X-Amzn-RequestId".into(), "abc".into()),
                ("x-amzn-requestid".into(), "second".into()),
            ],
            body: Body::empty(),
        };
        assert_eq!(response.header("x-amzn-requestid"), Some("abc"));
        assert_eq!(response.header("X-AMZN-REQUESTID"), Some("abc"));
        assert_eq!(response.header("x-amz-request-id"), None);
    }

    #[test]
    fn debug_shows_body_text_and_hides_secrets() {
        let request = HttpRequest {
            method: "POST".into(),
            uri: "https://example.com/".into(),
            headers: vec![
                (
                    "Authorization".into(),
                    "AWS4-HMAC-SHA256 Signature=abc123".into(),
                ),
                ("x-amz-security-token".into(), "TOKEN-SECRET".into()),
                ("x-amz-target".into(), "Svc.Op".into()),
            ],
            body: br#"{"a":1}"#.to_vec().into(),
        };
        let text = format!("{request:?}");
        assert!(!text.contains("abc123"), "{text}");
        assert!(!text.contains("TOKEN-SECRET"), "{text}");
        assert!(text.contains("Svc.Op"), "{text}");
        assert!(text.contains(r#"body: "{\"a\":1}""#), "{text}");
        let response = HttpResponse {
            status: 500,
            headers: vec![],
            body: b"oops".to_vec().into(),
        };
        assert!(format!("{response:?}").contains(r#"body: "oops""#));
    }

    #[test]
    fn success_is_2xx_only() {
        let with = |status| HttpResponse {
            status,
            ..Default::default()
        };
        assert!(with(200).is_success());
        assert!(with(204).is_success());
        assert!(with(299).is_success());
        assert!(!with(199).is_success());
        assert!(!with(300).is_success());
        assert!(!with(400).is_success());
        assert!(!with(500).is_success());
    }

    #[test]
    fn connector_error_kinds_and_display() {
        let timeout = ConnectorError::timeout("slow");
        assert!(timeout.is_timeout() && !timeout.is_io());
        assert_eq!(timeout.to_string(), "timeout");
        let io = ConnectorError::io(std::io::Error::other("refused"));
        assert!(io.is_io() && !io.is_timeout());
        assert_eq!(io.to_string(), "io error");
        assert_eq!(
            std::error::Error::source(&io).map(|s| s.to_string()),
            Some("refused".to_owned())
        );
        assert!(ConnectorError::user("bad").is_user());
        assert!(ConnectorError::other("x").is_other());
    }
}

/// Streaming bodies through the default client, on loopback: sent and received chunk by
/// chunk, never held whole.
#[cfg(all(
    test,
    feature = "test-util",
    any(feature = "native-tls", feature = "rustls")
))]
mod streaming_tests {
    use super::*;
    use crate::testing::{CannedResponse, TestServer};
    use bytes::Bytes;
    use std::task::{Context, Poll};
    use std::time::Duration;

    /// The chunks the test sends through a channel, as a `Stream`.
    struct Channel(std::sync::Mutex<tokio::sync::mpsc::Receiver<Bytes>>);

    impl futures_core::Stream for Channel {
        type Item = Result<Bytes, std::convert::Infallible>;

        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let mut rx = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            rx.poll_recv(cx).map(|chunk| chunk.map(Ok))
        }
    }

    /// Waits (at most 10 s) until `done` holds.
    async fn until(what: &str, done: impl Fn() -> bool) {
        let waited = tokio::time::timeout(Duration::from_secs(10), async {
            while !done() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await;
        assert!(waited.is_ok(), "timed out waiting until {what}");
    }

    #[tokio::test]
    async fn a_streaming_request_body_reaches_the_server_chunk_by_chunk() {
        let server = TestServer::start(vec![CannedResponse::new(200, "stored")]);
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        let request = HttpRequest {
            method: "PUT".to_owned(),
            uri: format!("{}/upload", server.url()),
            headers: Vec::new(),
            body: Body::from_stream(Channel(std::sync::Mutex::new(rx))),
        };
        let client = HyperClient::new().expect("builds");
        let call = tokio::spawn(async move { client.call(request).await });

        tx.send(Bytes::from_static(b"first ")).await.expect("sends");
        // The server has the first chunk while the second does not exist yet: the body is
        // sent as it is produced, not collected first.
        until("the first chunk arrives", || {
            server.body_bytes_received() == 6
        })
        .await;
        tx.send(Bytes::from_static(b"second")).await.expect("sends");
        until("the second chunk arrives", || {
            server.body_bytes_received() == 12
        })
        .await;
        drop(tx);

        let response = call.await.expect("joins").expect("a response");
        assert_eq!(response.status, 200);
        assert_eq!(
            response.body.collect().await.ok(),
            Some(Bytes::from_static(b"stored"))
        );
        let received = server.requests();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].body, b"first second");
        assert_eq!(received[0].header("transfer-encoding"), Some("chunked"));
        assert_eq!(received[0].header("content-length"), None);
    }

    #[tokio::test]
    async fn a_streaming_response_is_read_chunk_by_chunk() {
        let server = TestServer::start(vec![CannedResponse::chunked(
            200,
            vec![b"one".to_vec(), b"two".to_vec(), b"three".to_vec()],
        )]);
        let client = HyperClient::new().expect("builds");
        let request = HttpRequest {
            method: "GET".to_owned(),
            uri: format!("{}/download", server.url()),
            ..HttpRequest::default()
        };
        // The server holds back every chunk after the first until released, so the call
        // returns and each chunk is read before the rest of the body exists.
        let wait = Duration::from_secs(10);
        let response = tokio::time::timeout(wait, client.call(request))
            .await
            .expect("the head comes before the whole body")
            .expect("a response");
        assert_eq!(response.status, 200);
        let mut body = response.body;
        assert!(body.is_streaming());
        for (expected, release) in [("one", true), ("two", true), ("three", false)] {
            let chunk = tokio::time::timeout(wait, body.next_chunk())
                .await
                .expect("the chunk comes")
                .expect("not the end")
                .expect("no error");
            assert_eq!(chunk, expected);
            if release {
                server.release_chunk();
            }
        }
        let end = tokio::time::timeout(wait, body.next_chunk()).await;
        assert!(
            matches!(end, Ok(None)),
            "the body ends after the last chunk"
        );
    }
}
