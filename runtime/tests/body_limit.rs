//! The bound on buffered response bodies, over loopback with the default client: a server
//! announcing 3 GB, and chunked bodies with no length, end the call with a clear error while
//! the process's peak memory stays far below the body's size. Its own test binary, so the
//! peak resident set (`VmHWM`) measured is this file's alone.
#![cfg(any(feature = "native-tls", feature = "rustls"))]

use aws_lite_runtime::config::Config;
use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::error::SendError;
use aws_lite_runtime::http::{HttpRequest, HttpResponse};
use aws_lite_runtime::orchestrator::{ResponseRejected, dispatch};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const THREE_GB: u64 = 3_000_000_000;
const MIB: u64 = 1024 * 1024;

/// Serves one 3 GB body per connection (announced, or chunked), counting bytes written; it
/// stops when the client hangs up.
async fn big_server(chunked: bool) -> (String, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}/", listener.local_addr().expect("address"));
    let written = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&written);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = socket.read(&mut head).await;
                let header = if chunked {
                    "transfer-encoding: chunked".to_owned()
                } else {
                    format!("content-length: {THREE_GB}")
                };
                let head = format!("HTTP/1.1 200 OK\r\n{header}\r\n\r\n");
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let block = vec![b'0'; 64 * 1024];
                let mut chunk = format!("{:x}\r\n", block.len()).into_bytes();
                chunk.extend_from_slice(&block);
                chunk.extend_from_slice(b"\r\n");
                let piece = if chunked { &chunk } else { &block };
                let mut sent = 0u64;
                while sent < THREE_GB {
                    if socket.write_all(piece).await.is_err() {
                        return;
                    }
                    sent += block.len() as u64;
                    counter.fetch_add(block.len() as u64, Ordering::Relaxed);
                }
            });
        }
    });
    (url, written)
}

async fn call(config: &Config, url: &str) -> (Result<HttpResponse, SendError>, Duration) {
    let started = Instant::now();
    let no_code = |_: &HttpResponse| None;
    let result = tokio::time::timeout(
        Duration::from_secs(60),
        dispatch(config, &no_code, true, || {
            let request = HttpRequest {
                method: "GET".to_owned(),
                uri: url.to_owned(),
                ..HttpRequest::default()
            };
            async move { Ok(request) }
        }),
    )
    .await
    .expect("the call ends within 60 s");
    (result, started.elapsed())
}

/// The peak resident set of this process, in bytes (Linux), if known.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn rejected(result: &Result<HttpResponse, SendError>) -> &ResponseRejected {
    match result {
        Err(SendError::ResponseRejected(rejected, raw)) => {
            assert_eq!(raw.status, 200);
            assert_eq!(raw.body.bytes(), Some(&b""[..]), "nothing kept");
            rejected
        }
        other => panic!("expected a rejected response, got {other:?}"),
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_memory_stays_flat() {
    let retries = RetryConfig::standard().with_max_attempts(3);

    // 3 GB announced: refused from the head, with the default 256 MiB limit, not retried.
    let (url, written) = big_server(false).await;
    let config = Config::builder().retry_config(retries.clone()).build();
    let (result, took) = call(&config, &url).await;
    assert_eq!(
        rejected(&result),
        &ResponseRejected::BodyTooLarge {
            limit: 256 * MIB,
            size: Some(THREE_GB)
        }
    );
    let text = result.as_ref().err().map(|e| {
        std::error::Error::source(e)
            .map(ToString::to_string)
            .unwrap_or_default()
    });
    assert_eq!(
        text.as_deref(),
        Some(
            "response body of 3000000000 bytes (content-length) exceeds the limit of 268435456 bytes (`Config::max_response_body_size`); nothing more was read"
        )
    );
    eprintln!(
        "3 GB content-length: refused in {took:?}; server wrote {} MiB before the hang-up",
        written.load(Ordering::Relaxed) / MIB
    );

    // 3 GB chunked, no length: read up to a small configured limit, then refused.
    let (url, _) = big_server(true).await;
    let config = Config::builder()
        .retry_config(retries.clone())
        .max_response_body_size(MIB)
        .build();
    let (result, took) = call(&config, &url).await;
    assert_eq!(
        rejected(&result),
        &ResponseRejected::BodyTooLarge {
            limit: MIB,
            size: None
        }
    );
    eprintln!("3 GB chunked, 1 MiB limit: refused in {took:?}");

    // 3 GB chunked under the default limit: 256 MiB are read, then the call fails.
    let (url, written) = big_server(true).await;
    let config = Config::builder().retry_config(retries).build();
    let (result, took) = call(&config, &url).await;
    assert_eq!(
        rejected(&result),
        &ResponseRejected::BodyTooLarge {
            limit: 256 * MIB,
            size: None
        }
    );
    let sent = written.load(Ordering::Relaxed);
    assert!(sent < THREE_GB / 2, "stopped early: {sent}");
    let peak = peak_rss();
    eprintln!(
        "3 GB chunked, default limit: refused in {took:?} after the server wrote {} MiB; peak RSS {} MiB",
        sent / MIB,
        peak.unwrap_or(0) / MIB
    );
    if let Some(peak) = peak {
        assert!(peak < 1024 * MIB, "peak RSS {} MiB", peak / MIB);
    }
}
