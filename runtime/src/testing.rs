//! Test helpers (feature `test-util`): a capturing [`HttpClient`], a real loopback HTTP/1.1
//! server, and SigV4 signature verification.
//!
//! Both record what they receive as [`RecordedRequest`]s, a streaming request body read
//! whole; both can answer with a body in chunks ([`CannedResponse::chunked`]), the server
//! with `transfer-encoding: chunked`, sending each chunk after the first only when the test
//! calls [`TestServer::release_chunk`], so a test can prove a response is read as it comes.
//! [`TestServer::body_bytes_received`] shows how much of a chunked request body has arrived,
//! so a test can prove a request body is sent as it is produced. [`StreamServer`] serves
//! large streaming bodies (uploads digested as they arrive, downloads made as they are sent)
//! without holding them.

use crate::config::Credentials;
use crate::http::{Body, ConnectorError, HttpClient, HttpFuture, HttpRequest, HttpResponse};
use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod stream_server;
pub use stream_server::{
    DigestFactory, StreamServer, StreamServerOptions, Upload, UploadDigest, pattern_fill,
};

/// A request as a [`CaptureClient`] or [`TestServer`] received it, its body read whole.
///
/// `Debug` shows the body as text and hides the `authorization` and `x-amz-security-token`
/// header values, as [`HttpRequest`]'s does.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The URI: absolute for [`CaptureClient`], the request target (the path) for
    /// [`TestServer`].
    pub uri: String,
    /// Header names and values in the order received.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// Returns the value of the first header named `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Reads `request`, its body whole.
    pub async fn read(request: HttpRequest) -> Result<Self, ConnectorError> {
        let body = request.body.collect().await.map_err(ConnectorError::io)?;
        Ok(Self {
            method: request.method,
            uri: request.uri,
            headers: request.headers,
            body: body.to_vec(),
        })
    }

    /// The same request as an [`HttpRequest`] with a buffered body.
    pub fn to_http_request(&self) -> HttpRequest {
        HttpRequest {
            method: self.method.clone(),
            uri: self.uri.clone(),
            headers: self.headers.clone(),
            body: Body::from(self.body.clone()),
        }
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &crate::http::DebugHeaders(&self.headers))
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// A response for [`CaptureClient`] or [`TestServer`] to answer with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CannedResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers (the test server computes `content-length` itself).
    pub headers: Vec<(String, String)>,
    /// The response body.
    pub body: Vec<u8>,
    /// How long to wait after reading the request before answering (or failing).
    pub delay: Option<Duration>,
    /// Fail the exchange this way instead of answering.
    pub fault: Option<Fault>,
    /// When not empty, the body is sent in these chunks instead of `body` (see
    /// [`CannedResponse::chunked`]).
    pub chunks: Vec<Vec<u8>>,
}

/// A transport failure a canned exchange can play instead of answering.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection after reading the request, without answering. [`CaptureClient`]
    /// returns an I/O [`ConnectorError`].
    Close,
    /// Reset the connection (TCP RST) after reading the request. [`CaptureClient`] returns an
    /// I/O [`ConnectorError`] of kind `ConnectionReset`.
    Reset,
}

impl CannedResponse {
    /// A response with `status` and `body` and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: None,
            fault: None,
            chunks: Vec::new(),
        }
    }

    /// A response whose body comes in `chunks`: a streaming body from [`CaptureClient`], and
    /// `transfer-encoding: chunked` from [`TestServer`], which sends the first chunk with the
    /// head and each next one once [`TestServer::release_chunk`] allows it.
    pub fn chunked(status: u16, chunks: Vec<Vec<u8>>) -> Self {
        Self {
            chunks,
            ..Self::new(status, Vec::new())
        }
    }

    /// No answer: the connection is closed once the request is read.
    pub fn close() -> Self {
        Self {
            fault: Some(Fault::Close),
            ..Self::default()
        }
    }

    /// No answer: the connection is reset once the request is read.
    pub fn reset() -> Self {
        Self {
            fault: Some(Fault::Reset),
            ..Self::default()
        }
    }

    /// Waits `delay` after reading the request before answering (or failing). A delay
    /// longer than the test stands for a server that never answers: dropping the
    /// [`TestServer`] ends it.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// An awsJson 1.1 response: `status`, `body`, and `content-type: application/x-amz-json-1.1`.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self::new(status, body.into().into_bytes())
            .header("content-type", "application/x-amz-json-1.1")
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A chunked canned response becomes a streaming body.
impl From<CannedResponse> for HttpResponse {
    fn from(canned: CannedResponse) -> Self {
        let body = if canned.chunks.is_empty() {
            Body::from(canned.body)
        } else {
            Body::from_stream(Chunks(canned.chunks.into()))
        };
        HttpResponse {
            status: canned.status,
            headers: canned.headers,
            body,
        }
    }
}

/// Canned chunks as a `Stream`.
struct Chunks(VecDeque<Vec<u8>>);

impl futures_core::Stream for Chunks {
    type Item = Result<bytes::Bytes, std::convert::Infallible>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.get_mut().0.pop_front().map(|c| Ok(c.into())))
    }
}

impl CannedResponse {
    /// The transport error [`CaptureClient`] plays for this response's fault.
    fn fault_error(&self) -> Option<ConnectorError> {
        self.fault.map(|fault| match fault {
            Fault::Close => ConnectorError::io(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed before a response",
            )),
            Fault::Reset => {
                ConnectorError::io(std::io::Error::from(std::io::ErrorKind::ConnectionReset))
            }
        })
    }
}

/// Locks a mutex, ignoring poisoning (a panicking test thread must not hide what was recorded).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Answers each request a [`TestServer::start_with`] server reads.
pub type Handler = dyn Fn(&RecordedRequest) -> CannedResponse + Send + Sync;

struct Exchange {
    /// When set, answers every request (which is then not recorded).
    handler: Option<Box<Handler>>,
    /// TCP connections the test server accepted.
    accepted: AtomicUsize,
    responses: Mutex<VecDeque<CannedResponse>>,
    requests: Mutex<Vec<RecordedRequest>>,
    /// Body bytes of the chunked request being read (the test server's).
    body_bytes: AtomicUsize,
    /// Permits to send the next chunk of a chunked response (the test server's).
    chunk_gate: tokio::sync::Semaphore,
}

impl fmt::Debug for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exchange")
            .field("handler", &self.handler.as_ref().map(|_| "Fn"))
            .field("accepted", &self.accepted)
            .field("responses", &self.responses)
            .field("requests", &self.requests)
            .finish_non_exhaustive()
    }
}

impl Exchange {
    fn new(responses: Vec<CannedResponse>) -> Self {
        Self {
            handler: None,
            accepted: AtomicUsize::new(0),
            responses: Mutex::new(responses.into()),
            requests: Mutex::new(Vec::new()),
            body_bytes: AtomicUsize::new(0),
            chunk_gate: tokio::sync::Semaphore::new(0),
        }
    }

    /// Records `request` and returns the next canned response, if any is left; or, with a
    /// handler, returns its answer without recording.
    fn answer(&self, request: RecordedRequest) -> Option<CannedResponse> {
        if let Some(handler) = &self.handler {
            return Some(handler(&request));
        }
        lock(&self.requests).push(request);
        lock(&self.responses).pop_front()
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }
}

/// An [`HttpClient`] that records every request and answers with canned responses in order,
/// without any socket. Clones share the same record, so keep one to inspect after handing
/// a clone to the config. Once the responses run out, calls fail with a dispatch error
/// (kind "other", not retried). Delays and faults are played too (a fault as an I/O error).
/// A streaming request body is read whole before the request is recorded.
#[derive(Clone, Debug)]
pub struct CaptureClient {
    exchange: Arc<Exchange>,
}

impl CaptureClient {
    /// A client answering with `responses`, in order.
    pub fn new(responses: Vec<CannedResponse>) -> Self {
        Self {
            exchange: Arc::new(Exchange::new(responses)),
        }
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.exchange.requests()
    }
}

impl Default for CaptureClient {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl HttpClient for CaptureClient {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        // A buffered request is recorded at once (even if the call is then dropped).
        let recorded = match request.body.bytes() {
            Some(body) => Ok(RecordedRequest {
                body: body.to_vec(),
                method: request.method,
                uri: request.uri,
                headers: request.headers,
            }),
            None => Err(request),
        };
        let canned = recorded
            .as_ref()
            .ok()
            .map(|r| self.exchange.answer(r.clone()));
        Box::pin(async move {
            let canned = match (recorded, canned) {
                (Ok(_), Some(canned)) => canned,
                (Err(streaming), _) => self
                    .exchange
                    .answer(RecordedRequest::read(streaming).await?),
                (Ok(_), None) => None,
            };
            let canned = canned.ok_or_else(|| {
                ConnectorError::other("CaptureClient has no canned response left")
            })?;
            if let Some(delay) = canned.delay {
                tokio::time::sleep(delay).await;
            }
            match canned.fault_error() {
                Some(err) => Err(err),
                None => Ok(HttpResponse::from(canned)),
            }
        })
    }
}

/// A real HTTP/1.1 server on `127.0.0.1` (random port) that records requests and answers
/// with canned responses in order (500 once they run out), or answers each request through a
/// function ([`TestServer::start_with`]); it counts the connections it accepts. It runs on its own thread and
/// tokio runtime, so it works from sync and async tests alike, and stops when dropped.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    exchange: Arc<Exchange>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server answering with `responses`.
    ///
    /// # Panics
    /// If no loopback socket can be bound (use [`TestServer::try_start`] to handle that).
    pub fn start(responses: Vec<CannedResponse>) -> TestServer {
        match Self::try_start(responses) {
            Ok(server) => server,
            Err(err) => panic!("TestServer: cannot listen on 127.0.0.1: {err}"),
        }
    }

    /// Starts a server answering with `responses`, or returns why it could not.
    pub fn try_start(responses: Vec<CannedResponse>) -> std::io::Result<TestServer> {
        Self::serve(Exchange::new(responses))
    }

    /// Starts a server that answers every request with `handler`'s response (faults and
    /// delays included), for load and concurrency tests: requests are not recorded
    /// ([`TestServer::requests`] stays empty), so memory stays flat however many come.
    ///
    /// # Panics
    /// If no loopback socket can be bound (use [`TestServer::try_start_with`]).
    pub fn start_with(
        handler: impl Fn(&RecordedRequest) -> CannedResponse + Send + Sync + 'static,
    ) -> TestServer {
        match Self::try_start_with(handler) {
            Ok(server) => server,
            Err(err) => panic!("TestServer: cannot listen on 127.0.0.1: {err}"),
        }
    }

    /// [`TestServer::start_with`], returning why the server could not start.
    pub fn try_start_with(
        handler: impl Fn(&RecordedRequest) -> CannedResponse + Send + Sync + 'static,
    ) -> std::io::Result<TestServer> {
        Self::serve(Exchange {
            handler: Some(Box::new(handler)),
            ..Exchange::new(Vec::new())
        })
    }

    fn serve(exchange: Exchange) -> std::io::Result<TestServer> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        let exchange = Arc::new(exchange);
        let (shutdown, shutdown_rx) = tokio::sync::oneshot::channel();
        let served = Arc::clone(&exchange);
        let thread = std::thread::Builder::new()
            .name(format!("test-server-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    tokio::spawn(server::accept_loop(listener, served));
                    // Returns on shutdown or when the TestServer is dropped.
                    let _ = shutdown_rx.await;
                });
                // Dropping the runtime here closes the listener and all connections.
            })?;
        Ok(TestServer {
            addr,
            exchange,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`, to use as a config's `endpoint_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received so far, in order; `uri` holds the request target (the path).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.exchange.requests()
    }

    /// How many TCP connections the server has accepted so far.
    pub fn connections_accepted(&self) -> usize {
        self.exchange.accepted.load(Ordering::SeqCst)
    }

    /// How many body bytes of the chunked request being read have arrived so far (reset
    /// when a chunked request starts).
    pub fn body_bytes_received(&self) -> usize {
        self.exchange.body_bytes.load(Ordering::SeqCst)
    }

    /// Lets the server send the next chunk of a [`CannedResponse::chunked`] response.
    pub fn release_chunk(&self) {
        self.exchange.chunk_gate.add_permits(1);
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

mod server {
    use super::{CannedResponse, Exchange, Fault, RecordedRequest};
    use std::sync::Arc;
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    const MAX_HEAD: usize = 64 * 1024;
    const MAX_BODY: usize = 16 * 1024 * 1024;

    pub(super) async fn accept_loop(listener: TcpListener, exchange: Arc<Exchange>) {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    exchange.accepted.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(stream, Arc::clone(&exchange)));
                }
                Err(_) => tokio::task::yield_now().await,
            }
        }
    }

    async fn serve(mut stream: TcpStream, exchange: Arc<Exchange>) {
        let mut buf = Vec::new();
        loop {
            let request = match read_request(&mut stream, &mut buf, &exchange).await {
                Ok(Some(request)) => request,
                Ok(None) => return,
                Err(reason) => {
                    let response = CannedResponse::new(400, reason);
                    let _ = write_response(&mut stream, &response, true, &exchange).await;
                    return;
                }
            };
            let close = request
                .header("connection")
                .is_some_and(|v| v.eq_ignore_ascii_case("close"));
            let response = exchange.answer(request).unwrap_or_else(|| {
                CannedResponse::json(
                    500,
                    r#"{"__type":"TestServerExhausted","message":"no canned response left"}"#,
                )
            });
            if let Some(delay) = response.delay {
                tokio::time::sleep(delay).await;
            }
            match response.fault {
                Some(Fault::Close) => return,
                Some(Fault::Reset) => {
                    // SO_LINGER 0: closing sends RST instead of FIN.
                    let _ = stream.set_zero_linger();
                    return;
                }
                None => {}
            }
            if write_response(&mut stream, &response, close, &exchange)
                .await
                .is_err()
                || close
            {
                return;
            }
        }
    }

    /// Reads more bytes into `buf`; `Ok(false)` on end of stream.
    async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<bool, String> {
        let mut chunk = [0u8; 8192];
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("read error: {e}"))?;
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        Ok(n > 0)
    }

    /// Reads until `buf` holds at least `len` bytes.
    async fn fill_to(stream: &mut TcpStream, buf: &mut Vec<u8>, len: usize) -> Result<(), String> {
        while buf.len() < len {
            if !fill(stream, buf).await? {
                return Err("connection closed mid-request".to_owned());
            }
        }
        Ok(())
    }

    fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        haystack
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    }

    /// Reads one request; `Ok(None)` if the peer closed the connection between requests.
    async fn read_request(
        stream: &mut TcpStream,
        buf: &mut Vec<u8>,
        exchange: &Exchange,
    ) -> Result<Option<RecordedRequest>, String> {
        let head_end = loop {
            if let Some(end) = find(buf, b"\r\n\r\n", 0) {
                break end;
            }
            if buf.len() > MAX_HEAD {
                return Err("request head too large".to_owned());
            }
            if !fill(stream, buf).await? {
                return if buf.is_empty() {
                    Ok(None)
                } else {
                    Err("connection closed mid-request".to_owned())
                };
            }
        };
        let head = std::str::from_utf8(buf.get(..head_end).unwrap_or_default())
            .map_err(|_| "request head is not UTF-8".to_owned())?;
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split_whitespace();
        let (Some(method), Some(target), Some(_version), None) = (
            request_line.next(),
            request_line.next(),
            request_line.next(),
            request_line.next(),
        ) else {
            return Err("malformed request line".to_owned());
        };
        let mut headers = Vec::new();
        for line in lines {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("malformed header line {line:?}"))?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let mut request = RecordedRequest {
            method: method.to_owned(),
            uri: target.to_owned(),
            headers,
            body: Vec::new(),
        };
        let body_start = head_end + 4;
        let chunked = request
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let consumed = if chunked {
            let (body, end) = read_chunked(stream, buf, body_start, exchange).await?;
            request.body = body;
            end
        } else {
            let len = match request.header("content-length") {
                Some(value) => value
                    .parse::<usize>()
                    .map_err(|_| format!("invalid content-length {value:?}"))?,
                None => 0,
            };
            if len > MAX_BODY {
                return Err("request body too large".to_owned());
            }
            fill_to(stream, buf, body_start + len).await?;
            request.body = buf
                .get(body_start..body_start + len)
                .unwrap_or_default()
                .to_vec();
            body_start + len
        };
        buf.drain(..consumed.min(buf.len()));
        Ok(Some(request))
    }

    /// Decodes a chunked body starting at `pos`; returns the body and the end offset. The
    /// exchange's `body_bytes` follows the body as it arrives.
    async fn read_chunked(
        stream: &mut TcpStream,
        buf: &mut Vec<u8>,
        mut pos: usize,
        exchange: &Exchange,
    ) -> Result<(Vec<u8>, usize), String> {
        let mut body = Vec::new();
        exchange.body_bytes.store(0, Ordering::SeqCst);
        loop {
            let line_end = loop {
                if let Some(end) = find(buf, b"\r\n", pos) {
                    break end;
                }
                if buf.len().saturating_sub(pos) > MAX_HEAD {
                    return Err("chunk header too large".to_owned());
                }
                fill_to(stream, buf, buf.len() + 1).await?;
            };
            let size_line = std::str::from_utf8(buf.get(pos..line_end).unwrap_or_default())
                .map_err(|_| "chunk size is not UTF-8".to_owned())?;
            let size_hex = size_line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_hex, 16)
                .map_err(|_| format!("invalid chunk size {size_hex:?}"))?;
            pos = line_end + 2;
            if size == 0 {
                // Skip trailers up to the empty line.
                loop {
                    let end = loop {
                        if let Some(end) = find(buf, b"\r\n", pos) {
                            break end;
                        }
                        fill_to(stream, buf, buf.len() + 1).await?;
                    };
                    let empty = end == pos;
                    pos = end + 2;
                    if empty {
                        return Ok((body, pos));
                    }
                }
            }
            if body.len() + size > MAX_BODY {
                return Err("request body too large".to_owned());
            }
            fill_to(stream, buf, pos + size + 2).await?;
            body.extend_from_slice(buf.get(pos..pos + size).unwrap_or_default());
            exchange.body_bytes.store(body.len(), Ordering::SeqCst);
            if buf.get(pos + size..pos + size + 2) != Some(&b"\r\n"[..]) {
                return Err("chunk data is not followed by CRLF".to_owned());
            }
            pos += size + 2;
        }
    }

    async fn write_response(
        stream: &mut TcpStream,
        response: &CannedResponse,
        close: bool,
        exchange: &Exchange,
    ) -> std::io::Result<()> {
        let reason = ::http::StatusCode::from_u16(response.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unknown");
        let mut out = format!("HTTP/1.1 {} {reason}\r\n", response.status);
        for (name, value) in &response.headers {
            if name.eq_ignore_ascii_case("content-length")
                || name.eq_ignore_ascii_case("transfer-encoding")
                || name.eq_ignore_ascii_case("connection")
            {
                continue;
            }
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        if response.chunks.is_empty() {
            out.push_str(&format!("content-length: {}\r\n", response.body.len()));
        } else {
            out.push_str("transfer-encoding: chunked\r\n");
        }
        if close {
            out.push_str("connection: close\r\n");
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        if response.chunks.is_empty() {
            bytes.extend_from_slice(&response.body);
            stream.write_all(&bytes).await?;
            return stream.flush().await;
        }
        for (i, chunk) in response.chunks.iter().enumerate() {
            if i > 0 {
                // Each chunk after the first waits for the test's go.
                match exchange.chunk_gate.acquire().await {
                    Ok(permit) => permit.forget(),
                    Err(_) => return Ok(()),
                }
            }
            bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            bytes.extend_from_slice(chunk);
            bytes.extend_from_slice(b"\r\n");
            stream.write_all(&bytes).await?;
            stream.flush().await?;
            bytes.clear();
        }
        stream.write_all(b"0\r\n\r\n").await?;
        stream.flush().await
    }
}

/// Checks a request's SigV4 `Authorization` header: recomputes the signature with
/// [`sigv4::sign`](crate::sigv4::sign) for the request's own `X-Amz-Date`, over the headers it names as signed and its body, and
/// compares. Also checks the credential scope (access key, date, region, service) and, for
/// credentials with a session token, the `X-Amz-Security-Token` header.
///
/// A request sent with `x-amz-content-sha256: UNSIGNED-PAYLOAD` (a streaming body) or
/// `STREAMING-UNSIGNED-PAYLOAD-TRAILER` (one with its checksum in a trailer) is checked with
/// that payload hash instead of its body's.
pub fn verify_sigv4(
    request: &RecordedRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
) -> Result<(), String> {
    verify_sigv4_with(
        request,
        credentials,
        region,
        service,
        &crate::sigv4::SigningSettings::STANDARD,
    )
}

/// [`verify_sigv4`] for a service signed with other [`SigningSettings`](crate::sigv4::SigningSettings)
/// (S3's, say).
pub fn verify_sigv4_with(
    request: &RecordedRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    settings: &crate::sigv4::SigningSettings,
) -> Result<(), String> {
    let authorization = request
        .header("authorization")
        .ok_or("missing Authorization header")?;
    let (algorithm, fields) = authorization
        .split_once(' ')
        .ok_or("malformed Authorization header")?;
    if algorithm != "AWS4-HMAC-SHA256" {
        return Err(format!("unexpected algorithm {algorithm:?}"));
    }
    let field = |key: &str| {
        fields
            .split(',')
            .filter_map(|part| part.trim().split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
            .ok_or_else(|| format!("Authorization header has no {key}"))
    };
    let scope = field("Credential")?;
    let signed_headers = field("SignedHeaders")?;
    field("Signature")?;

    let amz_date = request
        .header("x-amz-date")
        .ok_or("missing X-Amz-Date header")?;
    let time = parse_amz_date(amz_date)?;
    let expected_scope = format!(
        "{}/{}/{region}/{service}/aws4_request",
        credentials.access_key_id(),
        amz_date.get(..8).unwrap_or_default()
    );
    if scope != expected_scope {
        return Err(format!(
            "credential scope {scope:?} does not match {expected_scope:?}"
        ));
    }
    if let Some(token) = credentials.session_token()
        && request.header("x-amz-security-token") != Some(token)
    {
        return Err("missing or wrong X-Amz-Security-Token header".to_owned());
    }

    let mut headers = Vec::new();
    for name in signed_headers.split(';') {
        let before = headers.len();
        headers.extend(
            request
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .cloned(),
        );
        if headers.len() == before {
            return Err(format!(
                "signed header {name:?} is missing from the request"
            ));
        }
    }
    if !signed_headers.split(';').any(|name| name == "host") {
        return Err("the host header is not signed".to_owned());
    }
    let unsigned = matches!(
        request.header("x-amz-content-sha256"),
        Some(crate::sigv4::UNSIGNED_PAYLOAD | crate::sigv4::STREAMING_UNSIGNED_PAYLOAD_TRAILER)
    );
    let signed = HttpRequest {
        method: request.method.clone(),
        uri: request.uri.clone(),
        headers,
        // A streaming body is what the signer hashes as UNSIGNED-PAYLOAD.
        body: if unsigned {
            Body::from_http_body(Body::from(request.body.clone()))
        } else {
            Body::from(request.body.clone())
        },
    };
    let added =
        crate::sigv4::signing_headers(&signed, credentials, region, service, time, settings)
            .map_err(|e| format!("cannot recompute the signature: {e}"))?;
    let expected = added
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.as_str())
        .ok_or("the signer produced no Authorization header")?;
    if expected == authorization {
        Ok(())
    } else {
        Err(format!(
            "signature mismatch: expected {expected:?}, got {authorization:?}"
        ))
    }
}

/// Parses an `X-Amz-Date` value (`YYYYMMDDTHHMMSSZ`).
pub(crate) fn parse_amz_date(value: &str) -> Result<SystemTime, String> {
    let invalid = || format!("invalid X-Amz-Date {value:?}");
    let bytes = value.as_bytes();
    if bytes.len() != 16 || bytes.get(8) != Some(&b'T') || bytes.get(15) != Some(&b'Z') {
        return Err(invalid());
    }
    let number = |range: std::ops::Range<usize>| -> Result<u32, String> {
        let digits = value.get(range).ok_or_else(invalid)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        digits.parse().map_err(|_| invalid())
    };
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(invalid()),
    };
    if year < 1970 || day == 0 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return Err(invalid());
    }
    let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day));
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    let secs = u64::try_from(secs).map_err(|_| invalid())?;
    Ok(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_date_parsing() {
        let at = |s| {
            parse_amz_date(s)
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs())
        };
        assert_eq!(at("19700101T000000Z"), Some(0));
        assert_eq!(at("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(at("20240229T235959Z"), Some(1_709_251_199));
        for bad in [
            "",
            "20150830T123600",
            "20150830 123600Z",
            "2015083OT123600Z",
            "20230229T000000Z",
            "20151330T000000Z",
            "20150830T246000Z",
            "19691231T235959Z",
            "+0150830T123600Z",
            "２０１５0830T1236Z",
        ] {
            assert!(parse_amz_date(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn verify_rejects_malformed_authorization_without_panicking() {
        let creds = Credentials::new("AKID", "SECRET", None, None, "test");
        let base = RecordedRequest {
            method: "POST".into(),
            uri: "/".into(),
            headers: vec![
                ("host".into(), "example.com".into()),
                ("x-amz-date".into(), "20150830T123600Z".into()),
            ],
            body: b"{}".to_vec(),
        };
        for auth in [
            None,
            Some(""),
            Some("AWS4-HMAC-SHA256"),
            Some("Bearer abc"),
            Some("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/svc/aws4_request"),
            Some(
                "AWS4-HMAC-SHA256 Credential=OTHER/20150830/us-east-1/svc/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
            ),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/svc/aws4_request, SignedHeaders=host;x-amz-date;missing, Signature=00",
            ),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/svc/aws4_request, SignedHeaders=x-amz-date, Signature=00",
            ),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/svc/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
            ),
        ] {
            let mut request = base.clone();
            if let Some(auth) = auth {
                request.headers.push(("authorization".into(), auth.into()));
            }
            assert!(
                verify_sigv4(&request, &creds, "us-east-1", "svc").is_err(),
                "{auth:?} should not verify"
            );
        }
    }

    #[tokio::test]
    async fn capture_client_records_and_answers_in_order() {
        let client = CaptureClient::new(vec![
            CannedResponse::json(200, "{}"),
            CannedResponse::new(500, "oops").header("x-a", "b"),
        ]);
        let request = |n: u8| HttpRequest {
            method: "POST".into(),
            uri: "http://x/".into(),
            headers: vec![],
            body: vec![n].into(),
        };
        let first = client.call(request(1)).await.map(|r| r.status);
        let second = client.call(request(2)).await.map(|r| (r.status, r.headers));
        let third = client.call(request(3)).await;
        assert_eq!(first.ok(), Some(200));
        assert_eq!(
            second.ok(),
            Some((500, vec![("x-a".to_owned(), "b".to_owned())]))
        );
        assert!(third.is_err_and(|e| e.is_other()));
        let bodies: Vec<Vec<u8>> = client.requests().into_iter().map(|r| r.body).collect();
        assert_eq!(bodies, vec![vec![1], vec![2], vec![3]]);
    }

    #[tokio::test]
    async fn capture_client_reads_streaming_requests_and_streams_chunked_responses() {
        let client = CaptureClient::new(vec![CannedResponse::chunked(
            200,
            vec![b"a".to_vec(), b"b".to_vec()],
        )]);
        let request = HttpRequest {
            method: "PUT".into(),
            uri: "http://x/".into(),
            headers: vec![],
            body: Body::from_stream(Chunks(VecDeque::from([b"up".to_vec(), b"load".to_vec()]))),
        };
        let response = client.call(request).await.expect("answers");
        let mut body = response.body;
        assert!(body.is_streaming());
        let mut chunks = Vec::new();
        while let Some(chunk) = body.next_chunk().await {
            chunks.push(chunk.expect("no error"));
        }
        assert_eq!(chunks, ["a", "b"]);
        assert_eq!(client.requests()[0].body, b"upload");
    }

    /// Sends raw bytes to the server and returns everything it answers until it closes.
    async fn raw_exchange(server: &TestServer, request: &[u8]) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(server.addr())
            .await
            .expect("connects");
        stream.write_all(request).await.expect("writes");
        let mut out = Vec::new();
        stream.read_to_end(&mut out).await.expect("reads");
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test]
    async fn test_server_handles_keep_alive_chunked_and_exhaustion() {
        let server = TestServer::start(vec![
            CannedResponse::json(200, r#"{"a":1}"#),
            CannedResponse::new(404, "nope").header("x-amzn-errortype", "NotFound"),
        ]);
        let answer = raw_exchange(
            &server,
            b"POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc\
              PUT /two HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nde\r\n\r\n2;ext=1\r\nf!\r\n0\r\n\r\n\
              GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(
            answer.contains("content-length: 7\r\n\r\n{\"a\":1}"),
            "{answer}"
        );
        assert!(
            answer.contains("HTTP/1.1 404 Not Found\r\nx-amzn-errortype: NotFound\r\n"),
            "{answer}"
        );
        assert!(
            answer.contains("HTTP/1.1 500 Internal Server Error"),
            "{answer}"
        );
        assert!(answer.contains("TestServerExhausted"), "{answer}");

        let requests = server.requests();
        let summary: Vec<(&str, &str, &[u8])> = requests
            .iter()
            .map(|r| (r.method.as_str(), r.uri.as_str(), r.body.as_slice()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("POST", "/one", &b"abc"[..]),
                ("PUT", "/two", &b"de\r\nf!"[..]),
                ("GET", "/three", &b""[..]),
            ]
        );
        assert_eq!(requests[0].header("content-length"), Some("3"));
    }

    #[tokio::test]
    async fn test_server_rejects_garbage_with_400() {
        let server = TestServer::start(vec![]);
        let answer = raw_exchange(&server, b"NOT-HTTP\r\n\r\n").await;
        assert!(answer.starts_with("HTTP/1.1 400 Bad Request"), "{answer}");
        let answer =
            raw_exchange(&server, b"POST / HTTP/1.1\r\nContent-Length: lots\r\n\r\n").await;
        assert!(answer.starts_with("HTTP/1.1 400 Bad Request"), "{answer}");
        assert!(server.requests().is_empty());
    }

    #[test]
    fn test_server_stops_on_drop() {
        let server = TestServer::start(vec![]);
        let addr = server.addr();
        assert!(std::net::TcpStream::connect(addr).is_ok());
        drop(server);
        assert!(std::net::TcpStream::connect(addr).is_err());
    }
}
