//! How many TCP connections the default (hyper-util) client opens: never more to a host than
//! calls in flight to it, never more than `max_connections_per_host`, with idle connections
//! reused and a closed connection's place given back. Against the runtime's loopback
//! `TestServer`, which runs on its own thread and counts the connections it accepts; the
//! client runs on a two-thread runtime, so calls race as in an application. Every call is
//! bounded by an outer timeout, so a deadlock fails the test instead of hanging it.
#![cfg(any(feature = "native-tls", feature = "rustls"))]

use aws_lite_runtime::http::{HttpClient, HttpRequest, HyperClient};
use aws_lite_runtime::testing::{CannedResponse, TestServer};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const OUTER_BOUND: Duration = Duration::from_secs(30);

fn get(url: String) -> HttpRequest {
    HttpRequest {
        method: "GET".to_owned(),
        uri: url,
        ..HttpRequest::default()
    }
}

/// Answers `/slow/...` after `slow`, anything else at once, with the request's path.
fn server(slow: Duration) -> TestServer {
    TestServer::start_with(move |request| {
        let response = CannedResponse::new(200, request.uri.clone());
        if request.uri.starts_with("/slow") {
            response.delay(slow)
        } else {
            response
        }
    })
}

/// One call, its body read whole; the body must be the request's path.
async fn call(client: &HyperClient, base: &str, path: &str) -> Result<(), String> {
    let response = tokio::time::timeout(OUTER_BOUND, async {
        let response = client
            .call(get(format!("{base}{path}")))
            .await
            .map_err(|err| format!("{err}: {:?}", std::error::Error::source(&err)))?;
        let status = response.status;
        let body = response
            .body
            .collect()
            .await
            .map_err(|err| format!("body: {err}"))?;
        Ok::<_, String>((status, body))
    })
    .await
    .map_err(|_| format!("{path}: no answer within {OUTER_BOUND:?} (deadlock?)"))??;
    if response.0 != 200 || response.1 != path.as_bytes() {
        return Err(format!(
            "{path}: got {} {:?}",
            response.0,
            String::from_utf8_lossy(&response.1)
        ));
    }
    Ok(())
}

/// `tasks` tasks make `calls` calls in all through `client`, each taking the next number.
async fn run(
    client: &HyperClient,
    base: &str,
    tasks: usize,
    calls: usize,
    path: &str,
) -> Vec<String> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let client = client.clone();
        let base = base.to_owned();
        let next = Arc::clone(&next);
        let path = path.to_owned();
        handles.push(tokio::spawn(async move {
            let mut errors = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= calls {
                    return errors;
                }
                if let Err(err) = call(&client, &base, &format!("{path}/{n}")).await {
                    errors.push(err);
                }
            }
        }));
    }
    let mut errors = Vec::new();
    for handle in handles {
        errors.extend(handle.await.expect("task joins"));
    }
    errors
}

/// hyper-util's pool alone opens more connections than calls in flight (a call that finds no
/// idle connection races a new connect against one coming back, and keeps both: 20,000
/// calls at concurrency 200 opened 207 to 408; this test without the bound: 62 to 119).
/// Here 3,000 calls by 60 tasks, in three waves with pauses between, open at most 60. (The
/// first wave's answers come after 20 ms, so that the first connects end before the first
/// connection comes back: hyper-util loses a connection when one is handed to a request's
/// pool checkout at the instant that request's own connect wins, and a replacement would
/// make 61 in all, never more than 60 at once.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_never_open_more_connections_than_calls_in_flight() {
    let server = server(Duration::from_millis(20));
    let client = HyperClient::new().expect("builds");
    for wave in 0..3 {
        let path = if wave == 0 {
            "/slow".to_owned()
        } else {
            format!("/w{wave}")
        };
        let errors = run(&client, &server.url(), 60, 1000, &path).await;
        assert!(
            errors.is_empty(),
            "{} failed: {:?}",
            errors.len(),
            &errors[..errors.len().min(5)]
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let accepted = server.connections_accepted();
    eprintln!("{accepted} connections accepted for 3,000 calls at concurrency 60");
    assert!(
        (1..=60).contains(&accepted),
        "{accepted} connections accepted for 3,000 calls at concurrency 60"
    );
}

/// With a maximum of 8, 300 concurrent calls (each answered after 20 ms, see above) all
/// succeed over at most 8 connections: the calls beyond 8 wait for a connection to come back
/// to the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_maximum_bounds_connections_and_the_calls_beyond_it_wait_for_one() {
    let server = server(Duration::from_millis(20));
    let client = HyperClient::new()
        .expect("builds")
        .max_connections_per_host(NonZeroUsize::new(8).expect("non-zero"));
    let errors = run(&client, &server.url(), 300, 300, "/slow").await;
    assert!(
        errors.is_empty(),
        "{} failed: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    let accepted = server.connections_accepted();
    assert!(
        (1..=8).contains(&accepted),
        "{accepted} connections accepted with a maximum of 8"
    );
}

/// A call that waits for a connection longer than the connect timeout fails with a timeout
/// naming the limit; the call holding the connection is not disturbed, and the next call
/// reuses its connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_a_connection_ends_at_the_connect_timeout_naming_the_limit() {
    let server = server(Duration::from_millis(1500));
    let client = HyperClient::with_connect_timeout(Some(Duration::from_millis(300)))
        .expect("builds")
        .max_connections_per_host(NonZeroUsize::new(1).expect("non-zero"));
    let slow = {
        let client = client.clone();
        let base = server.url();
        tokio::spawn(async move { call(&client, &base, "/slow/1").await })
    };
    // Let the slow call take the one connection.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let err = tokio::time::timeout(OUTER_BOUND, client.call(get(format!("{}/2", server.url()))))
        .await
        .expect("ends")
        .expect_err("no connection free within the connect timeout");
    let waited = started.elapsed();
    let text = std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
    assert!(err.is_timeout(), "expected a timeout, got {text}");
    assert!(
        text.contains("connect timeout elapsed after 300ms waiting for a connection to 127.0.0.1:")
            && text.contains("(1 open for 2 requests in flight, max_connections_per_host 1)"),
        "{text}"
    );
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_millis(1200),
        "waited {waited:?}"
    );
    slow.await.expect("joins").expect("the slow call succeeds");
    call(&client, &server.url(), "/3")
        .await
        .expect("reuses the connection");
    assert_eq!(server.connections_accepted(), 1);
}

/// A connection the server closes gives its place back: with a maximum of 1, a reset call
/// fails, and the next calls succeed over a new connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_connection_gives_its_place_back() {
    let server = TestServer::start_with(|request| {
        if request.uri == "/reset" {
            CannedResponse::reset()
        } else {
            CannedResponse::new(200, request.uri.clone())
        }
    });
    let client = HyperClient::with_connect_timeout(Some(Duration::from_millis(500)))
        .expect("builds")
        .max_connections_per_host(NonZeroUsize::new(1).expect("non-zero"));
    call(&client, &server.url(), "/1")
        .await
        .expect("first call");
    let err = call(&client, &server.url(), "/reset")
        .await
        .expect_err("reset");
    assert!(!err.contains("waiting for a connection"), "{err}");
    for n in 2..5 {
        call(&client, &server.url(), &format!("/{n}"))
            .await
            .expect("after the reset");
    }
    assert_eq!(server.connections_accepted(), 2);
}

/// Each destination has its own count: calls to two servers at once each get a connection,
/// whatever the other's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destinations_are_counted_apart() {
    let first = server(Duration::from_millis(300));
    let second = server(Duration::ZERO);
    let client = HyperClient::with_connect_timeout(Some(Duration::from_millis(200)))
        .expect("builds")
        .max_connections_per_host(NonZeroUsize::new(1).expect("non-zero"));
    let slow = {
        let client = client.clone();
        let base = first.url();
        tokio::spawn(async move { call(&client, &base, "/slow/1").await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    call(&client, &second.url(), "/2")
        .await
        .expect("the other host");
    slow.await.expect("joins").expect("slow call");
    assert_eq!(
        (first.connections_accepted(), second.connections_accepted()),
        (1, 1)
    );
}

/// A request body of `chunks` chunks of 1 KiB, one every `every`.
struct SlowUpload {
    left: usize,
    every: Duration,
    sleep: std::sync::Mutex<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl futures_core::Stream for SlowUpload {
    type Item = Result<bytes::Bytes, std::io::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.left == 0 {
            return std::task::Poll::Ready(None);
        }
        let sleep = this
            .sleep
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::task::ready!(std::future::Future::poll(sleep.as_mut(), cx));
        let next = tokio::time::Instant::now() + this.every;
        sleep.as_mut().reset(next);
        this.left -= 1;
        std::task::Poll::Ready(Some(Ok(bytes::Bytes::from(vec![b'x'; 1024]))))
    }
}

/// A server that answers before it has read the whole request body (as a server may refuse
/// an upload at once) leaves the connection busy sending that body after the call has its
/// answer: the upload still counts, so the next call opens a connection of its own instead of
/// waiting for that one until the connect timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_still_sending_after_its_answer_keeps_its_connection_counted() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let accepted = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&accepted);
    let server = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                // Answer each request as soon as its head is in, then read whatever comes
                // (the rest of an upload, the next request) and answer every further head.
                let mut seen = Vec::new();
                let mut heads_answered = 0;
                let mut buf = [0u8; 8192];
                loop {
                    let heads = seen.windows(4).filter(|w| w == b"\r\n\r\n").count();
                    while heads_answered < heads {
                        heads_answered += 1;
                        let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                        if socket.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(buf.get(..n).unwrap_or_default()),
                    }
                }
            });
        }
    });
    let client =
        HyperClient::with_connect_timeout(Some(Duration::from_millis(300))).expect("builds");
    // 12 KiB over about 1.2 s, with its length declared.
    let upload = aws_lite_runtime::http::Body::from_stream(SlowUpload {
        left: 12,
        every: Duration::from_millis(100),
        sleep: std::sync::Mutex::new(Box::pin(tokio::time::sleep(Duration::ZERO))),
    });
    let request = HttpRequest {
        method: "PUT".to_owned(),
        uri: format!("{base}/upload"),
        headers: vec![("content-length".to_owned(), (12 * 1024).to_string())],
        body: upload,
    };
    let response = tokio::time::timeout(OUTER_BOUND, client.call(request))
        .await
        .expect("answers")
        .expect("the early answer");
    assert_eq!(response.status, 200);
    assert_eq!(response.body.collect().await.expect("body").as_ref(), b"ok");
    // The upload is still being sent on the first connection.
    let started = Instant::now();
    let next = tokio::time::timeout(OUTER_BOUND, client.call(get(format!("{base}/next"))))
        .await
        .expect("ends");
    let next = next.map_err(|err| {
        std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(": ")
    });
    assert_eq!(next.expect("the next call succeeds").status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        2,
        "a second connection for the second call"
    );
    server.abort();
}
