//! A small version of the load benchmark (`cargo xtask bench load`, BENCHMARKS.md): 500
//! DescribeConnections calls at concurrency 50 through one client, against a loopback server
//! that resets the connection without answering for about 10 % of the requests, chosen by a
//! hash of (call, attempt). Since the choice does not depend on scheduling, the outcome of
//! every call is known in advance: it succeeds on its first attempt that is not reset, and
//! fails with a dispatch error when all three are. The test checks exactly that, and that
//! every call ends (within a bound) and is reported once.

use aws_lite_runtime::testing::{CannedResponse, RecordedRequest, TestServer};
use aws_sdk_directconnect::config::retry::RetryConfig;
use aws_sdk_directconnect::config::{Credentials, Region};
use aws_sdk_directconnect::error::SdkError;
use aws_sdk_directconnect::{Client, Config};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CALLS: usize = 500;
const CONCURRENCY: usize = 50;
const MAX_ATTEMPTS: u32 = 3;

/// Whether attempt `attempt` of call `call` is answered by a reset (about one in ten).
fn reset(call: u64, attempt: u32) -> bool {
    // SplitMix64 of (call, attempt).
    let mut z = call
        .wrapping_mul(0xBF58_476D_1CE4_E5B9)
        .wrapping_add(u64::from(attempt).wrapping_mul(0x94D0_49BB_1331_11EB))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 10 == 0
}

/// The attempt a call should succeed on, or `None` if all its attempts are reset.
fn expected(call: u64) -> Option<u32> {
    (1..=MAX_ATTEMPTS).find(|attempt| !reset(call, *attempt))
}

/// (call, attempt) of a request, from its body and `amz-sdk-request` header.
fn call_and_attempt(request: &RecordedRequest) -> Option<(u64, u32)> {
    let body = String::from_utf8_lossy(&request.body);
    let call = body
        .split("\"dxcon-")
        .nth(1)?
        .split('"')
        .next()?
        .parse()
        .ok()?;
    let attempt = request
        .header("amz-sdk-request")?
        .split("; ")
        .find_map(|pair| pair.strip_prefix("attempt="))?
        .parse()
        .ok()?;
    Some((call, attempt))
}

#[tokio::test]
async fn concurrent_calls_with_resets_each_end_once_as_expected() {
    // Requests seen per call, and those the server could not read.
    let seen: Arc<Mutex<HashMap<u64, u32>>> = Arc::default();
    let malformed = Arc::new(AtomicUsize::new(0));
    let server = {
        let seen = Arc::clone(&seen);
        let malformed = Arc::clone(&malformed);
        TestServer::start_with(move |request| {
            let Some((call, attempt)) = call_and_attempt(request) else {
                malformed.fetch_add(1, Ordering::SeqCst);
                return CannedResponse::json(400, r#"{"__type":"ValidationException"}"#);
            };
            *seen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(call)
                .or_default() += 1;
            if reset(call, attempt) {
                return CannedResponse::reset();
            }
            CannedResponse::json(
                200,
                format!(
                    r#"{{"connections":[{{"connectionId":"dxcon-{call}","connectionName":"attempt-{attempt}","connectionState":"available"}}]}}"#
                ),
            )
        })
    };
    // The standard retry mode, with short backoffs so the test stays quick.
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(server.url())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .build();
    let client = Client::from_conf(config);

    let completions: Arc<Vec<AtomicUsize>> =
        Arc::new((0..CALLS).map(|_| AtomicUsize::new(0)).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, completions, next) = (client.clone(), completions.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let call = next.fetch_add(1, Ordering::SeqCst);
                if call >= CALLS {
                    return outcomes;
                }
                let sent = client
                    .describe_connections()
                    .connection_id(format!("dxcon-{call}"))
                    .send();
                let result = tokio::time::timeout(Duration::from_secs(30), sent).await;
                completions[call].fetch_add(1, Ordering::SeqCst);
                outcomes.push((call as u64, result));
            }
        }));
    }
    let mut outcomes = Vec::new();
    for worker in workers {
        outcomes.extend(worker.await.expect("worker"));
    }

    assert_eq!(malformed.load(Ordering::SeqCst), 0);
    assert_eq!(outcomes.len(), CALLS);
    assert!(
        completions.iter().all(|c| c.load(Ordering::SeqCst) == 1),
        "every call reported exactly once"
    );
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let (mut retried, mut failed) = (0, 0);
    for (call, result) in outcomes {
        let Ok(result) = result else {
            panic!("call {call} did not end within 30 s");
        };
        match (expected(call), result) {
            (Some(attempt), Ok(out)) => {
                let [connection] = out.connections() else {
                    panic!("call {call}: {out:?}");
                };
                let expected_id = format!("dxcon-{call}");
                assert_eq!(connection.connection_id(), Some(expected_id.as_str()));
                let expected_name = format!("attempt-{attempt}");
                assert_eq!(connection.connection_name(), Some(expected_name.as_str()));
                assert_eq!(seen.get(&call), Some(&attempt), "call {call}");
                retried += usize::from(attempt > 1);
            }
            (None, Err(SdkError::DispatchFailure(err))) => {
                assert!(err.is_io(), "call {call}: {err:?}");
                assert_eq!(seen.get(&call), Some(&MAX_ATTEMPTS), "call {call}");
                failed += 1;
            }
            (want, got) => panic!("call {call}: expected success on {want:?}, got {got:?}"),
        }
    }
    // The hash resets about one request in ten: some calls need a retry, a few fail.
    assert!(retried > 20, "{retried} calls succeeded after a retry");
    let expected_failures = (0..CALLS as u64).filter(|c| expected(*c).is_none()).count();
    assert_eq!(failed, expected_failures);
    eprintln!(
        "{CALLS} calls: {retried} succeeded after a retry, {failed} failed (all attempts reset); {} connections accepted",
        server.connections_accepted()
    );
}
