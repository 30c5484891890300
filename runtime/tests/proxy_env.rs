//! The default client takes its proxy from the environment: a config with no HTTP client
//! set sends an `http://` call through the proxy `HTTP_PROXY` names. The environment of a
//! running test process cannot be changed safely, so the test runs itself again as a child
//! process with the variables set, and the parent plays the proxy. (Tunnelling `https://`
//! calls with `CONNECT`, credentials and `NO_PROXY` are tested in the client's unit tests.)
#![cfg(any(feature = "native-tls", feature = "rustls"))]

use aws_lite_runtime::config::Config;
use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::http::{HttpRequest, HttpResponse};
use aws_lite_runtime::orchestrator::dispatch;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

/// Set in the child: the URL to call.
const CHILD_URL: &str = "AWS_LITE_PROXY_ENV_TEST_URL";
const TEST_NAME: &str = "the_default_client_sends_through_the_http_proxy_of_the_environment";

#[test]
fn the_default_client_sends_through_the_http_proxy_of_the_environment() {
    if let Ok(url) = std::env::var(CHILD_URL) {
        child(&url);
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("address").port();
    let proxy = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("accepts");
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("sets a timeout");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).expect("reads") == 1 {
            head.push(byte[0]);
        }
        socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
            .expect("writes");
        String::from_utf8_lossy(&head).into_owned()
    });
    let mut child = Command::new(std::env::current_exe().expect("the test binary"));
    child
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD_URL, "http://dx.example.invalid/from-env")
        .env("HTTP_PROXY", format!("http://127.0.0.1:{port}"));
    for other in [
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "REQUEST_METHOD",
    ] {
        child.env_remove(other);
    }
    let status = child.status().expect("the child test runs");
    assert!(status.success(), "the child call failed: {status}");
    let head = proxy.join().expect("the proxy thread ends");
    assert!(
        head.starts_with("POST http://dx.example.invalid/from-env HTTP/1.1\r\n"),
        "the proxy got the request with its absolute URL: {head}"
    );
}

/// The call in the child process: the whole default path (config without a client, retries
/// off), to a host that does not exist, so only the proxy can answer.
fn child(url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let config = Config::builder()
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .build();
        let no_code = |_: &HttpResponse| None;
        let url = url.to_owned();
        let response = tokio::time::timeout(
            Duration::from_secs(20),
            dispatch(&config, &no_code, true, || {
                let request = HttpRequest {
                    method: "POST".to_owned(),
                    uri: url.clone(),
                    headers: Vec::new(),
                    body: "{}".into(),
                };
                async move { Ok(request) }
            }),
        )
        .await
        .expect("the call ends within 20 s")
        .expect("the proxy answers");
        assert_eq!(response.status, 200);
    });
}
