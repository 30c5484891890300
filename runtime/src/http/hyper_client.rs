//! The default [`HttpClient`](super::HttpClient): hyper-util's pooled HTTP/1.1 client, with
//! TLS through `hyper-tls` (native-tls, feature `native-tls`) or `hyper-rustls` (rustls on
//! aws-lc-rs with the platform verifier, feature `rustls`).

use super::BoxError;
use super::connections::{InFlight, Limits, Slot, key_of};
use super::{Body, ConnectorError, HttpClient, HttpFuture, HttpRequest, HttpResponse};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::error::Error;
use std::future::Future;
use std::num::NonZeroUsize;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

#[cfg(feature = "native-tls")]
type TlsConnector = hyper_tls::HttpsConnector<ProxyConnector>;
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
type TlsConnector = hyper_rustls::HttpsConnector<ProxyConnector>;
type Connector = LimitedConnector<TlsConnector>;

/// How long an idle pooled connection is kept (as reqwest and the official SDK do).
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// The default [`HttpClient`]: hyper-util's pooled HTTP/1.1 client, TLS per the crate feature
/// (`native-tls`: the platform's library, OpenSSL on Linux; `rustls`: rustls on aws-lc-rs,
/// certificates checked by the platform verifier). It never follows redirects (a 3xx comes
/// back as the response).
///
/// Proxies come from the environment when the client is built, as curl reads them:
/// `HTTPS_PROXY` for `https://` URLs (through an HTTP `CONNECT` tunnel, TLS end to end),
/// `HTTP_PROXY` for `http://` URLs (the request sent to the proxy), `ALL_PROXY` for both,
/// each also in lower case, and `NO_PROXY` (host names, domains, IP addresses and ranges)
/// for destinations reached directly. Only `http://` proxies are supported, with
/// `user:password@` sent as basic `proxy-authorization`.
///
/// A streaming request body is sent as it is read (with `transfer-encoding: chunked` unless a
/// `content-length` header is set or its length is known), and the response body comes back
/// as a stream whose read errors are [`ConnectorError`]s classified as for the request.
/// Read timeouts, stalled-stream protection and body bounds are the orchestrator's, above
/// any client; this one only bounds connecting: the connect timeout covers the whole
/// connection set-up (TCP, a proxy's `CONNECT`, the TLS handshake), as reqwest's did.
///
/// Connections are pooled per destination (scheme, host and port) and kept idle 90 s. A new
/// one is opened only while the destination has fewer connections than requests in flight,
/// so a client never holds more connections to a host than it has had concurrent calls to it
/// (hyper-util's pool alone opens more under load: a request that finds no idle connection
/// races a new connect against one coming back, and keeps both). A connect that waits for
/// this waits at most the connect timeout (then connects within it);
/// [`HyperClient::max_connections_per_host`] adds a fixed maximum (none by default).
#[derive(Clone, Debug)]
pub struct HyperClient {
    client: Client<Connector, Sending>,
    proxies: Arc<Matcher>,
    limits: Arc<Limits>,
}

impl HyperClient {
    /// Builds a client with the default settings (3.1 s connect timeout).
    pub fn new() -> Result<Self, ConnectorError> {
        Self::with_connect_timeout(Some(crate::config::DEFAULT_CONNECT_TIMEOUT))
    }

    /// Builds a client with the given connect timeout; `None` means no limit. Fails when the
    /// TLS backend cannot be set up (e.g. no usable root certificates).
    pub fn with_connect_timeout(connect: Option<Duration>) -> Result<Self, ConnectorError> {
        Self::with_proxies(connect, Matcher::from_env())
    }

    fn with_proxies(connect: Option<Duration>, proxies: Matcher) -> Result<Self, ConnectorError> {
        let proxies = Arc::new(proxies);
        let mut http = HttpConnector::new();
        // `https://` URLs are handed to the TLS layer, which wraps this connector.
        http.enforce_http(false);
        http.set_nodelay(true);
        let limits = Limits::new();
        let connector = LimitedConnector {
            inner: tls_connector(ProxyConnector {
                http,
                proxies: Arc::clone(&proxies),
            })?,
            timeout: connect,
            limits: Arc::clone(&limits),
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);
        Ok(Self {
            client,
            proxies,
            limits,
        })
    }

    /// Caps the connections this client (and every clone of it: they share one pool) keeps
    /// open or opening to one destination (scheme, host and port). None by default: the
    /// client then opens no more connections than it has requests in flight to the host, so
    /// the application's concurrency is the bound. With a cap, calls beyond it wait for a
    /// connection to come back to the pool; one that waits longer than the connect timeout
    /// fails with a timeout naming the limit (retried as timeouts are).
    pub fn max_connections_per_host(self, max: NonZeroUsize) -> Self {
        self.limits.set_max_per_host(max.get());
        self
    }
}

#[cfg(feature = "native-tls")]
fn tls_connector(http: ProxyConnector) -> Result<TlsConnector, ConnectorError> {
    let tls = hyper_tls::native_tls::TlsConnector::new().map_err(|err| {
        ConnectorError::other(format!("cannot set up native-tls (OpenSSL): {err}"))
    })?;
    Ok(hyper_tls::HttpsConnector::from((http, tls.into())))
}

#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn tls_connector(http: ProxyConnector) -> Result<TlsConnector, ConnectorError> {
    Ok(hyper_rustls::HttpsConnectorBuilder::new()
        .try_with_platform_verifier()
        .map_err(|err| {
            ConnectorError::other(format!("cannot set up the rustls platform verifier: {err}"))
        })?
        .https_or_http()
        .enable_http1()
        .wrap_connector(http))
}

impl HttpClient for HyperClient {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        Box::pin(async move {
            let mut request = to_hyper(request)?;
            // An `http://` request through a proxy goes to the proxy, with its credentials
            // (`https://` ones are tunnelled: the credentials go in the `CONNECT`).
            if request.uri().scheme() == Some(&::http::uri::Scheme::HTTP)
                && let Some(auth) = self
                    .proxies
                    .intercept(request.uri())
                    .and_then(|proxy| proxy.basic_auth().cloned())
            {
                request
                    .headers_mut()
                    .insert(::http::header::PROXY_AUTHORIZATION, auth);
            }
            // Counted until the response body has ended and the request body is sent (hyper
            // drops it then): while it is, the connector may open a connection for it (see
            // `connections`), and its connection is not on its way back to the pool.
            let in_flight =
                key_of(request.uri()).map(|key| Arc::new(self.limits.start_request(key)));
            let request = request.map(|body| Sending {
                body,
                _in_flight: in_flight.clone(),
            });
            let response = self.client.request(request).await.map_err(classify)?;
            let (parts, body) = response.into_parts();
            let headers = parts
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect();
            Ok(HttpResponse {
                status: parts.status.as_u16(),
                headers,
                body: Body::from_http_body(Classified {
                    incoming: Mutex::new(body),
                    in_flight,
                }),
            })
        })
    }
}

/// The connector with the connect timeout around all of it (TCP, proxy tunnel, TLS), which
/// first waits until the destination may have one more connection ([`Limits`]) and gives the
/// connection the [`Slot`] it took.
#[derive(Clone, Debug)]
struct LimitedConnector<C> {
    inner: C,
    timeout: Option<Duration>,
    limits: Arc<Limits>,
}

/// Without a connect timeout, how long a connect may wait for a slot: a connect started for
/// a request that got an idle connection meanwhile runs on in the background, and must end.
const SLOT_WAIT_WITHOUT_CONNECT_TIMEOUT: Duration = POOL_IDLE_TIMEOUT;

impl<C> tower_service::Service<::http::Uri> for LimitedConnector<C>
where
    C: tower_service::Service<::http::Uri> + Clone + Send + 'static,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
    C::Response: Send,
{
    type Response = Limited<C::Response>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Limited<C::Response>, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: ::http::Uri) -> Self::Future {
        let mut inner = self.inner.clone();
        let timeout = self.timeout;
        let limits = Arc::clone(&self.limits);
        Box::pin(async move {
            let key = key_of(&dst)
                .ok_or_else(|| format!("cannot connect to {dst}: no scheme or host"))?;
            // Waiting for a place and connecting each get the connect timeout: a connect that
            // waited (often one whose request got an idle connection meanwhile, run on in the
            // background) then connects fully, for the pool, instead of being cut short
            // after the server accepted it.
            let slot_wait = timeout.unwrap_or(SLOT_WAIT_WITHOUT_CONNECT_TIMEOUT);
            let slot = tokio::time::timeout(slot_wait, limits.open_slot(&key))
                .await
                .map_err(|_| -> BoxError {
                    let counts = limits.counts(&key);
                    let max = if counts.max == usize::MAX {
                        String::new()
                    } else {
                        format!(", max_connections_per_host {}", counts.max)
                    };
                    std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!(
                            "connect timeout elapsed after {slot_wait:?} waiting for a connection \
                             to {} to free up ({} open for {} requests in flight{max})",
                            key.1, counts.open, counts.in_flight
                        ),
                    )
                    .into()
                })?;
            std::future::poll_fn(|cx| inner.poll_ready(cx))
                .await
                .map_err(Into::into)?;
            let connecting = inner.call(dst);
            let io = match timeout {
                None => connecting.await.map_err(Into::into)?,
                Some(timeout) => match tokio::time::timeout(timeout, connecting).await {
                    Ok(connected) => connected.map_err(Into::into)?,
                    // An I/O `TimedOut`, as hyper-util reports its own: classified as a timeout.
                    Err(_) => {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            format!("connect timeout elapsed after {timeout:?}"),
                        )
                        .into());
                    }
                },
            };
            Ok(Limited { io, _slot: slot })
        })
    }
}

/// hyper's `Read` and `Write` for a connection wrapper, forwarded to its `io` field.
macro_rules! forward_io {
    ([$($generics:tt)*] $wrapper:ty) => {
        impl<$($generics)*> hyper::rt::Read for $wrapper {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: hyper::rt::ReadBufCursor<'_>,
            ) -> Poll<std::io::Result<()>> {
                Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
            }
        }

        impl<$($generics)*> hyper::rt::Write for $wrapper {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<std::io::Result<usize>> {
                Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
                Pin::new(&mut self.get_mut().io).poll_flush(cx)
            }

            fn poll_shutdown(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
            ) -> Poll<std::io::Result<()>> {
                Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
            }

            fn is_write_vectored(&self) -> bool {
                self.io.is_write_vectored()
            }

            fn poll_write_vectored(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[std::io::IoSlice<'_>],
            ) -> Poll<std::io::Result<usize>> {
                Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
            }
        }
    };
}

/// A connection with its [`Slot`], released when hyper drops the connection.
struct Limited<T> {
    io: T,
    _slot: Slot,
}

impl<T: Connection> Connection for Limited<T> {
    fn connected(&self) -> Connected {
        self.io.connected()
    }
}

forward_io!([T: hyper::rt::Read + hyper::rt::Write + Unpin] Limited<T>);

/// The TCP connector under TLS: direct, or through the proxy the environment names for the
/// destination.
#[derive(Clone, Debug)]
struct ProxyConnector {
    http: HttpConnector,
    proxies: Arc<Matcher>,
}

type Connecting = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

impl tower_service::Service<::http::Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: ::http::Uri) -> Connecting {
        let mut http = self.http.clone();
        let proxy = self.proxies.intercept(&dst);
        Box::pin(async move {
            let Some(proxy) = proxy else {
                let io = http.call(dst).await?;
                return Ok(ProxyStream {
                    io,
                    to_http_proxy: false,
                });
            };
            // Named without its credentials.
            let name = format!(
                "{}://{}:{}",
                proxy.uri().scheme_str().unwrap_or("?"),
                proxy.uri().host().unwrap_or("?"),
                proxy.uri().port_u16().unwrap_or(80)
            );
            if proxy.uri().scheme() != Some(&::http::uri::Scheme::HTTP) {
                return Err(format!(
                    "proxy {name} (from the environment): only http:// proxies are supported"
                )
                .into());
            }
            if dst.scheme() == Some(&::http::uri::Scheme::HTTPS) {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let io = tunnel.call(dst).await.map_err(|err| -> BoxError {
                    format!("CONNECT tunnel through proxy {name}: {err}").into()
                })?;
                Ok(ProxyStream {
                    io,
                    to_http_proxy: false,
                })
            } else {
                let io = http.call(proxy.uri().clone()).await?;
                Ok(ProxyStream {
                    io,
                    to_http_proxy: true,
                })
            }
        })
    }
}

/// A TCP connection: to the destination, a tunnel through a proxy, or to an HTTP proxy (then
/// requests carry the absolute URL).
struct ProxyStream {
    io: TokioIo<tokio::net::TcpStream>,
    to_http_proxy: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.to_http_proxy)
    }
}

forward_io!([] ProxyStream);

/// The runtime's request as a `hyper` request; an invalid method, URI or header is a user
/// error naming it.
fn to_hyper(request: HttpRequest) -> Result<::http::Request<Body>, ConnectorError> {
    let method = ::http::Method::from_bytes(request.method.as_bytes()).map_err(|err| {
        ConnectorError::user(format!("invalid HTTP method {:?}: {err}", request.method))
    })?;
    let uri: ::http::Uri = request
        .uri
        .parse()
        .map_err(|err| ConnectorError::user(format!("invalid URI {:?}: {err}", request.uri)))?;
    let mut headers = ::http::HeaderMap::with_capacity(request.headers.len());
    for (name, value) in &request.headers {
        let header_name = ::http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|err| ConnectorError::user(format!("invalid header name {name:?}: {err}")))?;
        // The value is not shown: it may be a secret (`authorization`).
        let header_value = ::http::HeaderValue::from_str(value).map_err(|err| {
            ConnectorError::user(format!("invalid value of header {name}: {err}"))
        })?;
        headers.append(header_name, header_value);
    }
    let mut out = ::http::Request::new(request.body);
    *out.method_mut() = method;
    *out.uri_mut() = uri;
    *out.headers_mut() = headers;
    Ok(out)
}

/// A response body whose read errors are classified like the request's, and which counts
/// its request in flight until it ends, fails or is dropped. The mutex makes it `Sync` (as
/// [`Body`] requires) and is never contended: it is only reached through `&mut self`.
struct Classified {
    incoming: Mutex<hyper::body::Incoming>,
    in_flight: Option<Arc<InFlight>>,
}

/// A request body, holding its request in flight until hyper has sent it and drops it.
struct Sending {
    body: Body,
    _in_flight: Option<Arc<InFlight>>,
}

impl http_body::Body for Sending {
    type Data = bytes::Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, BoxError>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

impl http_body::Body for Classified {
    type Data = bytes::Bytes;
    type Error = ConnectorError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, ConnectorError>>> {
        let this = self.get_mut();
        let incoming = this
            .incoming
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let frame = Pin::new(incoming)
            .poll_frame(cx)
            .map(|frame| frame.map(|frame| frame.map_err(classify_body)));
        if matches!(frame, Poll::Ready(None | Some(Err(_)))) {
            this.in_flight = None;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.incoming
            .lock()
            .map(|incoming| incoming.is_end_stream())
            .unwrap_or(false)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.incoming
            .lock()
            .map(|incoming| incoming.size_hint())
            .unwrap_or_default()
    }
}

/// Classifies a failure of the request (connecting, sending, reading the head).
fn classify(err: hyper_util::client::legacy::Error) -> ConnectorError {
    if timed_out(&err) {
        ConnectorError::timeout(err)
    } else if err.is_connect() || has_io_source(&err) || closed_early(&err) {
        ConnectorError::io(err)
    } else {
        ConnectorError::other(err)
    }
}

/// Classifies a failure while reading the response body.
fn classify_body(err: hyper::Error) -> ConnectorError {
    if timed_out(&err) {
        ConnectorError::timeout(err)
    } else if has_io_source(&err) || closed_early(&err) {
        ConnectorError::io(err)
    } else {
        ConnectorError::other(err)
    }
}

/// `err` and its sources, outermost first.
fn chain<'a>(
    err: &'a (dyn Error + 'static),
) -> impl Iterator<Item = &'a (dyn Error + 'static)> + 'a {
    std::iter::successors(Some(err), |&current| current.source())
}

/// True if the connect timeout elapsed (hyper-util reports it as an I/O `TimedOut`).
fn timed_out(err: &(dyn Error + 'static)) -> bool {
    chain(err).any(|source| {
        source
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            || source
                .downcast_ref::<hyper::Error>()
                .is_some_and(hyper::Error::is_timeout)
    })
}

/// True if the connection closed before a complete response came (the server hung up,
/// e.g. an idle keep-alive connection it had already closed): a transient I/O failure.
fn closed_early(err: &(dyn Error + 'static)) -> bool {
    chain(err).any(|source| {
        source.downcast_ref::<hyper::Error>().is_some_and(|hyper| {
            hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled()
        })
    })
}

fn has_io_source(err: &(dyn Error + 'static)) -> bool {
    chain(err).any(|source| source.is::<std::io::Error>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    fn get(uri: String) -> HttpRequest {
        HttpRequest {
            method: "GET".to_owned(),
            uri,
            ..HttpRequest::default()
        }
    }

    fn sources(err: &ConnectorError) -> String {
        chain(err)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(": ")
    }

    /// An `https://` URL goes through the TLS connector: a plain-TCP listener receives a TLS
    /// record (a ClientHello), and the failed handshake is a retryable I/O error.
    #[tokio::test]
    async fn an_https_url_is_sent_through_tls_and_a_failed_handshake_is_io() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let port = listener.local_addr().expect("address").port();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("accepts");
            let mut first = [0u8; 3];
            socket.read_exact(&mut first).await.expect("reads");
            // Not TLS: hang up, so the client's handshake fails.
            first
        });
        let client = HyperClient::new().expect("builds");
        let err = tokio::time::timeout(
            Duration::from_secs(10),
            client.call(get(format!("https://127.0.0.1:{port}/"))),
        )
        .await
        .expect("fails in time")
        .expect_err("no TLS server there");
        let first = server.await.expect("joins");
        assert_eq!(
            first[..2],
            [0x16, 0x03],
            "expected a TLS handshake record (0x16, version 3.x), got {first:02x?}"
        );
        assert!(err.is_io(), "expected an I/O error, got {}", sources(&err));
    }

    #[tokio::test]
    async fn a_refused_connection_is_an_io_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let port = listener.local_addr().expect("address").port();
        drop(listener);
        let client = HyperClient::new().expect("builds");
        let err = client
            .call(get(format!("http://127.0.0.1:{port}/")))
            .await
            .expect_err("nothing listens");
        assert!(err.is_io(), "expected an I/O error, got {}", sources(&err));
        assert!(
            sources(&err).contains("refused"),
            "the cause is named: {}",
            sources(&err)
        );
    }

    #[tokio::test]
    async fn an_invalid_request_is_a_user_error_naming_what_is_wrong() {
        let client = HyperClient::new().expect("builds");
        let mut request = get("http://127.0.0.1:9/".to_owned());
        request
            .headers
            .push(("bad name".to_owned(), "v".to_owned()));
        let err = client.call(request).await.expect_err("invalid header");
        assert!(err.is_user(), "{}", sources(&err));
        assert!(sources(&err).contains("\"bad name\""), "{}", sources(&err));

        let err = client
            .call(get("http://bad host/".to_owned()))
            .await
            .expect_err("invalid URI");
        assert!(err.is_user(), "{}", sources(&err));
        assert!(sources(&err).contains("invalid URI"), "{}", sources(&err));

        let mut request = get("http://127.0.0.1:9/".to_owned());
        request
            .headers
            .push(("authorization".to_owned(), "SECRET\n".to_owned()));
        let err = client.call(request).await.expect_err("invalid value");
        assert!(err.is_user(), "{}", sources(&err));
        assert!(
            sources(&err).contains("authorization") && !sources(&err).contains("SECRET"),
            "names the header, hides the value: {}",
            sources(&err)
        );
    }

    /// hyper-util reports an elapsed connect timeout as an I/O error of kind `TimedOut` under
    /// its connect error; that is a timeout, any other I/O error is not.
    #[test]
    fn a_timed_out_io_error_anywhere_in_the_chain_is_a_timeout() {
        #[derive(Debug)]
        struct Wrapper(std::io::Error);
        impl std::fmt::Display for Wrapper {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("tcp connect error")
            }
        }
        impl Error for Wrapper {
            fn source(&self) -> Option<&(dyn Error + 'static)> {
                Some(&self.0)
            }
        }
        let elapsed = Wrapper(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "deadline",
        ));
        assert!(timed_out(&elapsed));
        assert!(has_io_source(&elapsed));
        let refused = Wrapper(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(!timed_out(&refused));
        assert!(has_io_source(&refused));
        assert!(!closed_early(&refused));
    }

    /// Reads a request head (up to the blank line) from `socket`.
    async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if socket.read(&mut byte).await.expect("reads") == 0 {
                break;
            }
            head.push(byte[0]);
        }
        String::from_utf8_lossy(&head).into_owned()
    }

    /// A one-connection proxy on loopback: hands the request head it received, and the first
    /// three bytes after a `CONNECT` (answered 200), to the test.
    async fn proxy() -> (u16, tokio::task::JoinHandle<(String, Vec<u8>)>) {
        use tokio::io::AsyncWriteExt;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let port = listener.local_addr().expect("address").port();
        let task = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("accepts");
            let head = read_head(&mut socket).await;
            let mut tunnelled = Vec::new();
            if head.starts_with("CONNECT ") {
                socket
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .expect("writes");
                let mut first = [0u8; 3];
                socket.read_exact(&mut first).await.expect("reads");
                tunnelled.extend_from_slice(&first);
            } else {
                socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nvia proxy")
                    .await
                    .expect("writes");
            }
            (head, tunnelled)
        });
        (port, task)
    }

    fn proxied(matcher: Matcher) -> HyperClient {
        HyperClient::with_proxies(Some(Duration::from_secs(5)), matcher).expect("builds")
    }

    #[tokio::test]
    async fn an_http_request_goes_to_the_http_proxy_with_the_absolute_url_and_credentials() {
        let (port, proxy) = proxy().await;
        let client = proxied(
            Matcher::builder()
                .http(format!("http://user:pw@127.0.0.1:{port}"))
                .build(),
        );
        let response = tokio::time::timeout(
            Duration::from_secs(10),
            client.call(get("http://dx.example.invalid/path?q=1".to_owned())),
        )
        .await
        .expect("answers in time")
        .expect("a response");
        assert_eq!(response.status, 200);
        assert_eq!(
            response.body.collect().await.ok().as_deref(),
            Some(&b"via proxy"[..])
        );
        let (head, _) = proxy.await.expect("joins");
        assert!(
            head.starts_with("GET http://dx.example.invalid/path?q=1 HTTP/1.1\r\n"),
            "{head}"
        );
        // base64("user:pw")
        assert!(
            head.to_ascii_lowercase()
                .contains("proxy-authorization: basic dxnlcjpwdw==\r\n"),
            "{head}"
        );
    }

    #[tokio::test]
    async fn an_https_request_is_tunnelled_with_connect_and_tls_runs_inside() {
        let (port, proxy) = proxy().await;
        let client = proxied(
            Matcher::builder()
                .https(format!("http://user:pw@127.0.0.1:{port}"))
                .build(),
        );
        let err = tokio::time::timeout(
            Duration::from_secs(10),
            client.call(get("https://dx.example.invalid/".to_owned())),
        )
        .await
        .expect("fails in time")
        .expect_err("the proxy hangs up after the ClientHello");
        let (head, tunnelled) = proxy.await.expect("joins");
        assert!(
            head.starts_with("CONNECT dx.example.invalid:443 HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(
            head.to_ascii_lowercase()
                .contains("proxy-authorization: basic dxnlcjpwdw==\r\n"),
            "{head}"
        );
        assert_eq!(
            tunnelled[..2],
            [0x16, 0x03],
            "expected a TLS ClientHello through the tunnel, got {tunnelled:02x?}"
        );
        assert!(err.is_io(), "{}", sources(&err));
    }

    #[cfg(feature = "test-util")]
    #[tokio::test]
    async fn no_proxy_hosts_are_reached_directly() {
        let server = crate::testing::TestServer::start(vec![crate::testing::CannedResponse::new(
            200, "direct",
        )]);
        // A proxy address where nothing listens: using it would fail.
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let dead = listener.local_addr().expect("address").port();
        drop(listener);
        let client = proxied(
            Matcher::builder()
                .all(format!("http://127.0.0.1:{dead}"))
                .no("127.0.0.1")
                .build(),
        );
        let response = client
            .call(get(format!("{}/direct", server.url())))
            .await
            .expect("reached directly");
        assert_eq!(response.status, 200);
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn an_https_proxy_url_is_refused_by_name_without_its_credentials() {
        let client = proxied(
            Matcher::builder()
                .https("https://user:secret@proxy.example.invalid:8443")
                .build(),
        );
        let err = client
            .call(get("https://dx.example.invalid/".to_owned()))
            .await
            .expect_err("unsupported proxy");
        let text = sources(&err);
        assert!(
            text.contains("proxy https://proxy.example.invalid:8443")
                && text.contains("only http:// proxies")
                && !text.contains("secret"),
            "{text}"
        );
    }

    /// The connect timeout bounds the TLS handshake too: a server that accepts the TCP
    /// connection and never answers the ClientHello ends the call as a timeout naming it.
    #[tokio::test]
    async fn a_stalled_tls_handshake_ends_at_the_connect_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let port = listener.local_addr().expect("address").port();
        let server = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.expect("accepts");
            // Hold the connection open, silent.
            tokio::time::sleep(Duration::from_secs(30)).await;
            drop(socket);
        });
        let client =
            HyperClient::with_connect_timeout(Some(Duration::from_millis(300))).expect("builds");
        let started = std::time::Instant::now();
        let err = tokio::time::timeout(
            Duration::from_secs(10),
            client.call(get(format!("https://127.0.0.1:{port}/"))),
        )
        .await
        .expect("ends in time")
        .expect_err("no handshake");
        server.abort();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert!(
            err.is_timeout(),
            "expected a timeout, got {}",
            sources(&err)
        );
        assert!(
            sources(&err).contains("connect timeout elapsed after 300ms"),
            "{}",
            sources(&err)
        );
    }
}
