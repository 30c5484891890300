//! The request path under faults, over real loopback sockets and the default (hyper-util)
//! client: servers that never answer, stall after the head, trickle, reset mid-body or
//! redirect elsewhere. Each test uses short configured limits, so each call ends in under a
//! second (upper bounds in the asserts leave room for a loaded machine), and every call is
//! bounded by an outer 20 s timeout so a regression fails instead of hanging.
#![cfg(any(feature = "native-tls", feature = "rustls"))]

use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::config::timeout::TimeoutConfig;
use aws_lite_runtime::config::{Config, StalledStreamProtectionConfig};
use aws_lite_runtime::error::{DisplayErrorContext, SdkError, SendError};
use aws_lite_runtime::http::{HttpRequest, HttpResponse};
use aws_lite_runtime::orchestrator::{ResponseRejected, TimeoutKind, dispatch};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A loopback server that plays `behaviour` on every connection and counts connections.
struct FaultServer {
    url: String,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn fault_server<F, Fut>(behaviour: F) -> FaultServer
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    let behaviour = Arc::new(behaviour);
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let behaviour = Arc::clone(&behaviour);
            tokio::spawn(async move {
                read_head(&mut socket).await;
                behaviour(socket).await;
            });
        }
    });
    FaultServer {
        url,
        connections,
        task,
    }
}

/// Reads the request head (the test requests have no body).
async fn read_head(socket: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

/// Keeps the connection open, silent, for longer than any test.
async fn hold(socket: TcpStream) {
    tokio::time::sleep(Duration::from_secs(120)).await;
    drop(socket);
}

fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn request(url: &str) -> HttpRequest {
    HttpRequest {
        method: "POST".to_owned(),
        uri: format!("{url}/"),
        headers: vec![
            ("x-amz-security-token".to_owned(), "TOKEN-SECRET".to_owned()),
            (
                "authorization".to_owned(),
                "AWS4-HMAC-SHA256 SIG-SECRET".to_owned(),
            ),
        ],
        body: "{}".into(),
    }
}

/// Sends one call to `url` under `config`, bounded by 20 s, and returns the result with how
/// long it took.
async fn call(config: &Config, url: &str) -> (Result<HttpResponse, SendError>, Duration) {
    let started = Instant::now();
    let no_code = |_: &HttpResponse| None;
    let url = url.to_owned();
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        dispatch(config, &no_code, true, || {
            let request = request(&url);
            async move { Ok(request) }
        }),
    )
    .await
    .expect("the call ends within 20 s");
    let took = started.elapsed();
    eprintln!(
        "call ended after {took:?}: {:?}",
        result.as_ref().map(|r| r.status)
    );
    (result, took)
}

fn timeout_of(result: &Result<HttpResponse, SendError>) -> (TimeoutKind, String) {
    match result {
        Err(SendError::Timeout(timeout)) => (timeout.kind(), timeout.to_string()),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

/// The message an application would print (the `SdkError` with its sources).
fn sdk_text(result: Result<HttpResponse, SendError>) -> String {
    let err: SdkError<std::io::Error> = result.expect_err("fails").into();
    DisplayErrorContext(&err).to_string()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_read_timeout_on_each_attempt() {
    let server = fault_server(hold).await;
    let config = Config::builder()
        .retry_config(fast_retries(2))
        .timeout_config(TimeoutConfig::builder().read_timeout(ms(300)).build())
        .build();
    let (result, took) = call(&config, &server.url).await;
    let (kind, text) = timeout_of(&result);
    assert_eq!(kind, TimeoutKind::Read);
    assert_eq!(
        text,
        "read timeout elapsed after 300ms waiting for the response head"
    );
    assert!(took >= ms(600) && took < ms(6000), "{took:?}");
    assert_eq!(server.connections.load(Ordering::SeqCst), 2, "retried once");
    let text = sdk_text(result);
    assert!(
        text.starts_with("request has timed out: read timeout"),
        "{text}"
    );
    assert!(!text.contains("SECRET"), "{text}");
}

#[tokio::test]
async fn headers_then_a_stall_trip_stalled_stream_protection() {
    let server = fault_server(|mut socket| async move {
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789";
        let _ = socket.write_all(head).await;
        hold(socket).await;
    })
    .await;
    let config = Config::builder()
        .retry_config(fast_retries(1))
        .stalled_stream_protection(
            StalledStreamProtectionConfig::enabled()
                .grace_period(ms(300))
                .build(),
        )
        .build();
    let (result, took) = call(&config, &server.url).await;
    let (kind, text) = timeout_of(&result);
    assert_eq!(kind, TimeoutKind::StalledStream);
    assert_eq!(
        text,
        "stalled-stream protection: 10 bytes of the response body in the 300ms grace period, below the minimum throughput of 1024 B/s"
    );
    assert!(took >= ms(300) && took < ms(5000), "{took:?}");

    // Without stalled-stream protection the read timeout still ends the call.
    let config = Config::builder()
        .retry_config(fast_retries(1))
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        .timeout_config(TimeoutConfig::builder().read_timeout(ms(300)).build())
        .build();
    let (result, took) = call(&config, &server.url).await;
    let (kind, text) = timeout_of(&result);
    assert_eq!(kind, TimeoutKind::Read);
    assert_eq!(
        text,
        "read timeout elapsed after 300ms waiting for more of the response body"
    );
    assert!(took >= ms(300) && took < ms(5000), "{took:?}");
}

#[tokio::test]
async fn a_trickle_below_the_minimum_throughput_is_a_stall_though_bytes_keep_coming() {
    // 1 byte every 20 ms (50 B/s): never idle long enough for a read timeout.
    let server = fault_server(|mut socket| async move {
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n")
            .await;
        for _ in 0..100_000 {
            if socket.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(ms(20)).await;
        }
    })
    .await;
    let config = Config::builder()
        .retry_config(fast_retries(2))
        .timeout_config(TimeoutConfig::builder().read_timeout(ms(200)).build())
        .stalled_stream_protection(
            StalledStreamProtectionConfig::enabled()
                .grace_period(ms(400))
                .build(),
        )
        .build();
    let (result, took) = call(&config, &server.url).await;
    let (kind, text) = timeout_of(&result);
    assert_eq!(kind, TimeoutKind::StalledStream, "{text}");
    assert!(
        text.ends_with("grace period, below the minimum throughput of 1024 B/s"),
        "{text}"
    );
    assert!(took >= ms(800) && took < ms(6000), "{took:?}");
    assert_eq!(server.connections.load(Ordering::SeqCst), 2, "retried once");

    // A body that comes at a normal pace is read whole under the same limits.
    let fast = fault_server(|mut socket| async move {
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 3000\r\n\r\n")
            .await;
        for _ in 0..3 {
            let _ = socket.write_all(&[b'y'; 1000]).await;
            tokio::time::sleep(ms(100)).await;
        }
    })
    .await;
    let (result, _) = call(&config, &fast.url).await;
    let response = result.expect("a body at 10 KB/s passes");
    assert_eq!(response.body.bytes().map(<[u8]>::len), Some(3000));
}

#[tokio::test]
async fn a_reset_after_some_body_bytes_is_a_retried_io_failure() {
    let server = fault_server(|mut socket| async move {
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")
            .await;
        let _ = socket.write_all(&[b'z'; 100]).await;
        let _ = socket.flush().await;
        tokio::time::sleep(ms(50)).await;
        let _ = socket.set_zero_linger();
        drop(socket);
    })
    .await;
    let config = Config::builder().retry_config(fast_retries(3)).build();
    let (result, took) = call(&config, &server.url).await;
    let Err(SendError::DispatchFailure(err)) = &result else {
        panic!("expected a dispatch failure, got {result:?}");
    };
    assert!(err.is_io(), "{err:?}");
    assert!(took < ms(5000), "{took:?}");
    assert_eq!(server.connections.load(Ordering::SeqCst), 3, "all attempts");
    let text = sdk_text(result);
    assert!(text.starts_with("dispatch failure: io error"), "{text}");
}

#[tokio::test]
async fn redirects_are_errors_and_the_other_host_receives_nothing() {
    let elsewhere = fault_server(hold).await;
    for status in [301u16, 302, 307, 308] {
        let location = format!("{}/stolen", elsewhere.url);
        let answer =
            format!("HTTP/1.1 {status} Moved\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n");
        let server = fault_server(move |mut socket| {
            let answer = answer.clone();
            async move {
                let _ = socket.write_all(answer.as_bytes()).await;
                hold(socket).await;
            }
        })
        .await;
        let config = Config::builder().retry_config(fast_retries(3)).build();
        let (result, _) = call(&config, &server.url).await;
        let Err(SendError::ResponseRejected(rejected, raw)) = &result else {
            panic!("expected a rejected response, got {result:?}");
        };
        assert_eq!(
            rejected,
            &ResponseRejected::Redirect {
                status,
                location: location.clone()
            }
        );
        assert_eq!(raw.status, status);
        assert_eq!(server.connections.load(Ordering::SeqCst), 1, "not retried");
        let text = sdk_text(result);
        assert!(
            text.contains(&format!("HTTP {status} redirecting to {location}")),
            "{text}"
        );
    }
    assert_eq!(
        elsewhere.connections.load(Ordering::SeqCst),
        0,
        "the redirect target never saw a connection, let alone the token"
    );
}

/// Chunks a test sends through a channel, as a streaming body.
struct Channel(std::sync::Mutex<tokio::sync::mpsc::Receiver<bytes::Bytes>>);

impl futures_core::Stream for Channel {
    type Item = Result<bytes::Bytes, std::convert::Infallible>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let mut rx = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        rx.poll_recv(cx).map(|chunk| chunk.map(Ok))
    }
}

/// Sends one call with a streaming body fed by `feed` (one attempt: a stream is not retried).
async fn upload(
    config: &Config,
    url: &str,
    feed: impl FnOnce(tokio::sync::mpsc::Sender<bytes::Bytes>) + Send,
) -> (Result<HttpResponse, SendError>, Duration) {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    feed(tx);
    let mut body = Some(aws_lite_runtime::http::Body::from_stream(Channel(
        std::sync::Mutex::new(rx),
    )));
    let started = Instant::now();
    let no_code = |_: &HttpResponse| None;
    let url = url.to_owned();
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        dispatch(config, &no_code, false, || {
            let request = HttpRequest {
                method: "PUT".to_owned(),
                uri: format!("{url}/"),
                body: body.take().unwrap_or_default(),
                ..HttpRequest::default()
            };
            async move { Ok(request) }
        }),
    )
    .await
    .expect("the call ends within 20 s");
    let took = started.elapsed();
    eprintln!(
        "call ended after {took:?}: {:?}",
        result.as_ref().map(|r| r.status)
    );
    (result, took)
}

/// Reads a chunked request body to its end, then answers 200.
async fn read_upload_then_answer(mut socket: TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.ends_with(b"0\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    let _ = socket
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
        .await;
}

#[tokio::test]
async fn a_stalled_upload_trips_stalled_stream_protection() {
    let server = fault_server(read_upload_then_answer).await;
    let config = Config::builder()
        .stalled_stream_protection(
            StalledStreamProtectionConfig::enabled()
                .grace_period(ms(300))
                .build(),
        )
        .build();
    // Ten bytes, then the body never goes on (the sender is kept, silent).
    let (result, took) = upload(&config, &server.url, |tx| {
        tokio::spawn(async move {
            let _ = tx.send(bytes::Bytes::from_static(b"0123456789")).await;
            tokio::time::sleep(Duration::from_secs(60)).await;
            drop(tx);
        });
    })
    .await;
    let (kind, text) = timeout_of(&result);
    assert_eq!(kind, TimeoutKind::StalledStream);
    assert_eq!(
        text,
        "stalled-stream protection: 10 bytes of the request body in the 300ms grace period, below the minimum throughput of 1024 B/s"
    );
    assert!(took >= ms(300) && took < ms(5000), "{took:?}");
}

#[tokio::test]
async fn an_upload_longer_than_the_read_timeout_is_not_cut_short() {
    let server = fault_server(read_upload_then_answer).await;
    let config = Config::builder()
        .timeout_config(TimeoutConfig::builder().read_timeout(ms(300)).build())
        .stalled_stream_protection(
            StalledStreamProtectionConfig::enabled()
                .grace_period(ms(300))
                .build(),
        )
        .build();
    // 8 × 2 KiB, one every 100 ms (20 KiB/s): 800 ms of upload, above the minimum.
    let (result, took) = upload(&config, &server.url, |tx| {
        tokio::spawn(async move {
            for _ in 0..8 {
                if tx.send(bytes::Bytes::from(vec![b'u'; 2048])).await.is_err() {
                    return;
                }
                tokio::time::sleep(ms(100)).await;
            }
        });
    })
    .await;
    let response = result.expect("the upload completes");
    assert_eq!(response.body.bytes(), Some(&b"ok"[..]));
    assert!(took >= ms(700), "{took:?}");
}

// ----- streaming responses (an operation with a streaming output) -------------------------

static STREAMING_SERVICE: aws_lite_runtime::service::ServiceMeta =
    aws_lite_runtime::service::ServiceMeta {
        service_id: "Streaming",
        signing_name: "streaming",
        endpoint_prefix: "streaming",
        target_prefix: "Streaming",
        json_version: "1.1",
        api_version: "2006-03-01",
        protocols: &[aws_lite_runtime::protocol::Protocol::AwsJson1_1],
        model_protocols: &["json"],
        endpoint_rule_set: None,
        signing: aws_lite_runtime::sigv4::SigningSettings::S3,
        query_compatible: false,
    };

static STREAMING_OP: aws_lite_runtime::service::OperationMeta =
    aws_lite_runtime::service::OperationMeta {
        service: &STREAMING_SERVICE,
        name: "GetObject",
        streaming_output: true,
        event_stream_output: false,
        request_checksum: None,
        static_endpoint_params: &[],
        no_auth: false,
    };

/// Sends one call of the streaming operation to `url`; returns as soon as the head came.
async fn call_streaming(config: &Config, url: &str) -> (Result<HttpResponse, SendError>, Duration) {
    let config = config
        .to_builder()
        .endpoint_url(url)
        .region(aws_lite_runtime::config::Region::from_static("us-east-1"))
        .credentials_provider(aws_lite_runtime::config::Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))
        .build();
    let started = Instant::now();
    let no_code = |_: &HttpResponse| None;
    let request = aws_lite_runtime::protocol::ProtocolRequest {
        method: "GET",
        path_and_query: "/bucket/key".to_owned(),
        headers: Vec::new(),
        body: aws_lite_runtime::http::Body::empty(),
    };
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        aws_lite_runtime::orchestrator::send(
            &config,
            &STREAMING_OP,
            request,
            &no_code,
            &|_| None,
            &aws_lite_runtime::orchestrator::CallEndpoint::default(),
        ),
    )
    .await
    .expect("the call ends within 20 s");
    (result, started.elapsed())
}

/// Reads a response body to its end or first error, bounded by 20 s.
async fn read_all(mut body: aws_lite_runtime::http::Body) -> (usize, Option<String>, Duration) {
    let started = Instant::now();
    let mut read = 0;
    let error = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(chunk) = body.next_chunk().await {
            match chunk {
                Ok(chunk) => read += chunk.len(),
                Err(err) => return Some(err.to_string()),
            }
        }
        None
    })
    .await
    .expect("the body ends within 20 s");
    (read, error, started.elapsed())
}

#[tokio::test]
async fn a_streaming_response_comes_back_at_once_and_a_stall_ends_it_as_it_is_read() {
    let server = fault_server(|mut socket| async move {
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789";
        let _ = socket.write_all(head).await;
        hold(socket).await;
    })
    .await;
    let config = Config::builder()
        .retry_config(fast_retries(1))
        .stalled_stream_protection(
            StalledStreamProtectionConfig::enabled()
                .grace_period(ms(300))
                .build(),
        )
        .build();
    let (result, _) = call_streaming(&config, &server.url).await;
    let response = result.expect("the head came, before any limit could fire");
    assert_eq!(response.status, 200);
    assert!(response.body.is_streaming(), "handed back unread");
    let (read, error, took) = read_all(response.body).await;
    assert_eq!(read, 10);
    assert_eq!(
        error.as_deref(),
        Some(
            "stalled-stream protection: 10 bytes of the response body in the 300ms grace period, below the minimum throughput of 1024 B/s"
        )
    );
    assert!(took >= ms(250) && took < ms(5000), "{took:?}");

    // Without stalled-stream protection, the read timeout ends it.
    let config = Config::builder()
        .retry_config(fast_retries(1))
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        .timeout_config(TimeoutConfig::builder().read_timeout(ms(300)).build())
        .build();
    let (result, _) = call_streaming(&config, &server.url).await;
    let (read, error, took) = read_all(result.expect("the head came").body).await;
    assert_eq!(read, 10);
    assert_eq!(
        error.as_deref(),
        Some("read timeout elapsed after 300ms waiting for more of the response body")
    );
    assert!(took >= ms(250) && took < ms(5000), "{took:?}");
}

#[tokio::test]
async fn a_streaming_response_is_not_bounded_in_size_but_an_error_response_is_read_whole() {
    // 3 GB announced; 4 MiB sent, then the connection is held: the reader takes what it wants.
    let server = fault_server(|mut socket| async move {
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 3000000000\r\n\r\n";
        let _ = socket.write_all(head).await;
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..64 {
            if socket.write_all(&chunk).await.is_err() {
                return;
            }
        }
        hold(socket).await;
    })
    .await;
    let config = Config::builder()
        .retry_config(fast_retries(1))
        .max_response_body_size(1024 * 1024)
        .build();
    let (result, _) = call_streaming(&config, &server.url).await;
    let mut body = result.expect("not refused for its size").body;
    let mut read = 0usize;
    while read < 4 * 1024 * 1024 {
        let chunk = tokio::time::timeout(Duration::from_secs(20), body.next_chunk())
            .await
            .expect("chunks keep coming")
            .expect("not at the end")
            .expect("a chunk");
        read += chunk.len();
    }
    drop(body);

    let server = fault_server(|mut socket| async move {
        let head = b"HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\n\r\nNoSuchKey";
        let _ = socket.write_all(head).await;
        hold(socket).await;
    })
    .await;
    let (result, _) = call_streaming(&config, &server.url).await;
    let response = result.expect("a response");
    assert_eq!(response.status, 404);
    assert_eq!(response.body.bytes(), Some(&b"NoSuchKey"[..]), "read whole");
}
