use super::*;
use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::config::{Credentials, IdentityCache, ProvideCredentials, Region};
use crate::env::{ENV_USE_DUALSTACK_ENDPOINT, ENV_USE_FIPS_ENDPOINT};
use crate::error::{ConstructionError, SendError};
use crate::error::{DisplayErrorContext, SdkError};
use crate::operation::send_with_env;
use crate::protocol::Protocol;
use crate::service::OperationMeta;
use crate::service::ServiceMeta;
use crate::testing::{CannedResponse, CaptureClient, TestServer, verify_sigv4};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const DX_RULES: &str =
    include_str!("../../tests/data/endpoint-rules/directconnect/endpoint-rule-set-1.json");

static DX: ServiceMeta = ServiceMeta {
    service_id: "Direct Connect",
    signing_name: "directconnect",
    endpoint_prefix: "directconnect",
    target_prefix: "OvertureService",
    json_version: "1.1",
    api_version: "2012-10-25",
    protocols: &[Protocol::AwsJson1_1],
    model_protocols: &["json"],
    endpoint_rule_set: Some(DX_RULES),
    signing: crate::sigv4::SigningSettings::STANDARD,
    query_compatible: false,
};

static DX_OP: OperationMeta = OperationMeta {
    service: &DX,
    name: "DeleteVirtualInterface",
    streaming_output: false,
    event_stream_output: false,
    request_checksum: None,
    static_endpoint_params: &[],
    no_auth: false,
};

static NO_RULES: ServiceMeta = ServiceMeta {
    endpoint_rule_set: None,
    ..DX
};

static NO_RULES_OP: OperationMeta = OperationMeta {
    service: &NO_RULES,
    name: "DeleteVirtualInterface",
    streaming_output: false,
    event_stream_output: false,
    request_checksum: None,
    static_endpoint_params: &[],
    no_auth: false,
};

/// A rule set whose endpoint carries headers and a sigv4 auth scheme.
static AUTH_SCHEME: ServiceMeta = ServiceMeta {
    endpoint_rule_set: Some(
        r#"{"version": "1.0",
            "parameters": {
                "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
                "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
            },
            "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                 "endpoint": {"url": "{Endpoint}/prefix",
                    "headers": {"x-rule-header": ["{Region}"]},
                    "properties": {"authSchemes": [
                        {"name": "sigv4a", "signingName": "wrong", "signingRegionSet": ["*"]},
                        {"name": "sigv4", "signingName": "custom-name", "signingRegion": "us-west-2"}]}},
                 "type": "endpoint"},
                {"conditions": [], "error": "this test needs an endpoint", "type": "error"}
            ]}"#,
    ),
    ..DX
};

static AUTH_SCHEME_OP: OperationMeta = OperationMeta {
    service: &AUTH_SCHEME,
    name: "DeleteVirtualInterface",
    streaming_output: false,
    event_stream_output: false,
    request_checksum: None,
    static_endpoint_params: &[],
    no_auth: false,
};

const BODY: &[u8] = br#"{"virtualInterfaceId":"dxvif-1"}"#;

fn creds() -> Credentials {
    Credentials::new("AKIDTEST", "SECRETTEST", None, None, "test")
}

fn no_env(_: &str) -> Option<String> {
    None
}

/// Fails a test that takes longer than `secs`, instead of hanging.
async fn bounded<F: Future>(secs: u64, test: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(secs), test)
        .await
        .expect("the test finished in time")
}

/// Retries with millisecond backoff, so tests stay fast.
fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// A credentials provider that counts how often it is asked (once per attempt).
#[derive(Clone, Debug, Default)]
struct CountingProvider(Arc<AtomicUsize>);

impl CountingProvider {
    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for CountingProvider {
    fn provide_credentials<'a>(&'a self) -> crate::credentials::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.fetch_add(1, Ordering::SeqCst);
        crate::credentials::future::ProvideCredentials::ready(Ok(creds()))
    }
}

fn server_config(server: &TestServer, retry: RetryConfig) -> crate::config::Builder {
    Config::builder()
        .region(Region::from_static("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(creds())
        .retry_config(retry)
}

fn throttled() -> CannedResponse {
    CannedResponse::json(
        400,
        r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
    )
}

async fn send(config: &Config, op: &OperationMeta) -> Result<HttpResponse, SendError> {
    send_with_env(config, op, BODY.to_vec(), &no_env).await
}

// ----- classification, backoff, quota ---------------------------------------------------

#[test]
fn responses_are_classified_by_code_then_status() {
    assert_eq!(classify_response(200, None), None);
    assert_eq!(classify_response(200, Some("Throttling")), None);
    for code in THROTTLING_ERROR_CODES {
        assert_eq!(
            classify_response(400, Some(code)),
            Some(ErrorKind::ThrottlingError),
            "{code}"
        );
    }
    for code in TRANSIENT_ERROR_CODES {
        assert_eq!(
            classify_response(400, Some(code)),
            Some(ErrorKind::TransientError),
            "{code}"
        );
    }
    for status in [500, 502, 503, 504] {
        assert_eq!(
            classify_response(status, Some("DirectConnectServerException")),
            Some(ErrorKind::TransientError)
        );
        assert_eq!(
            classify_response(status, None),
            Some(ErrorKind::TransientError)
        );
    }
    for (status, code) in [
        (400, Some("DirectConnectClientException")),
        (400, None),
        (403, Some("AccessDeniedException")),
        (404, None),
        (429, None),
        (501, None),
        (505, None),
        (400, Some("throttling")),
    ] {
        assert_eq!(classify_response(status, code), None, "{status} {code:?}");
    }
}

#[test]
fn transport_failures_are_classified() {
    let io = ConnectorError::io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
    assert_eq!(
        classify_connector_error(&io),
        Some(ErrorKind::TransientError)
    );
    assert_eq!(
        classify_connector_error(&ConnectorError::timeout("slow")),
        Some(ErrorKind::TransientError)
    );
    assert_eq!(
        classify_connector_error(&ConnectorError::user("bad header")),
        None
    );
    assert_eq!(classify_connector_error(&ConnectorError::other("?")), None);
}

#[test]
fn backoff_is_exponential_capped_and_jittered() {
    let standard = RetryConfig::standard();
    let at = |config: &RetryConfig, n, factor| backoff_with_factor(config, n, factor);
    let secs: Vec<f64> = (1..=7)
        .map(|n| at(&standard, n, 1.0).as_secs_f64())
        .collect();
    assert_eq!(secs, vec![1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0]);
    assert_eq!(at(&standard, u32::MAX, 1.0), Duration::from_secs(20));
    assert_eq!(at(&standard, 3, 0.5), Duration::from_secs(2));
    assert_eq!(at(&standard, 3, 0.0), Duration::ZERO);
    let small = RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(25));
    assert_eq!(at(&small, 2, 1.0), Duration::from_millis(20));
    assert_eq!(at(&small, 3, 1.0), Duration::from_millis(25));

    let jittered = RetryConfig::standard();
    let samples: Vec<Duration> = (0..200).map(|_| backoff(&jittered, 2)).collect();
    assert!(samples.iter().all(|d| *d < Duration::from_secs(2)));
    assert!(
        samples.iter().any(|d| *d < Duration::from_secs(1))
            && samples.iter().any(|d| *d > Duration::from_secs(1)),
        "full jitter spreads over [0, 2 s)"
    );
    let huge = RetryConfig::standard()
        .with_initial_backoff(Duration::MAX)
        .with_max_backoff(Duration::MAX);
    assert!(backoff(&huge, 40) <= Duration::MAX);
}

#[test]
fn retry_quota_is_a_token_bucket() {
    let quota = RetryQuota::default();
    assert_eq!(quota.available(), 500);
    assert!(quota.acquire(RETRY_COST));
    assert!(quota.acquire(RETRY_TIMEOUT_COST));
    assert_eq!(quota.available(), 485);
    quota.release(RETRY_COST);
    assert_eq!(quota.available(), 490);
    quota.release(1000);
    assert_eq!(quota.available(), 500, "capped at the capacity");
    assert!(quota.acquire(500));
    assert!(!quota.acquire(1));
}

// ----- the retry loop over a real socket ------------------------------------------------

#[tokio::test]
async fn throttled_twice_then_success_takes_three_signed_attempts() {
    bounded(20, async {
        let server = TestServer::start(vec![
            throttled(),
            throttled(),
            CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
        ]);
        let provider = CountingProvider::default();
        // Without a cache the provider is asked once per attempt: it counts the attempts.
        let config = server_config(&server, fast_retries(3))
            .credentials_provider(provider.clone())
            .identity_cache(IdentityCache::no_cache())
            .build();
        let response = send(&config, &DX_OP).await.expect("third attempt succeeds");
        assert_eq!(response.status, 200);
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        assert_eq!(provider.count(), 3, "each attempt is built and signed anew");
        // One invocation id for the call, the attempt number on each attempt.
        let id = requests[0]
            .header("amz-sdk-invocation-id")
            .expect("invocation id");
        assert_eq!(id.len(), 36, "{id}");
        assert_eq!(
            id.split('-').map(str::len).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{id}"
        );
        assert_eq!(id.as_bytes()[14], b'4', "a version 4 UUID: {id}");
        for (n, request) in requests.iter().enumerate() {
            assert_eq!(request.header("amz-sdk-invocation-id"), Some(id));
            assert_eq!(
                request.header("amz-sdk-request"),
                Some(format!("attempt={}; max=3", n + 1).as_str())
            );
        }
        for request in &requests {
            assert_eq!(request.body, BODY);
            verify_sigv4(request, &creds(), "us-east-1", "directconnect").expect("signed");
        }
        // The two retries cost 10 tokens; the success gave back the last retry's 5.
        assert_eq!(config.retry_quota().available(), 495);
        // The server has no canned answer left (500s): the call is still made.
        let _ = send(&config, &DX_OP).await;
        let last = server.requests();
        assert_ne!(
            last.last().and_then(|r| r.header("amz-sdk-invocation-id")),
            Some(id),
            "a new call has a new invocation id"
        );
    })
    .await;
}

#[tokio::test]
async fn server_errors_give_up_after_max_attempts_with_the_last_error() {
    bounded(20, async {
        let server = TestServer::start(vec![
            CannedResponse::json(500, r#"{"__type":"InternalFailure","message":"one"}"#),
            CannedResponse::json(503, r#"{"__type":"ServiceUnavailable","message":"two"}"#),
            CannedResponse::json(502, r#"{"__type":"BadGateway","message":"three"}"#),
            CannedResponse::json(200, "{}"),
        ]);
        let config = server_config(&server, fast_retries(3)).build();
        let response = send(&config, &DX_OP).await.expect("a response");
        assert_eq!(response.status, 502, "the last attempt's response");
        assert!(
            String::from_utf8_lossy(response.body.bytes().unwrap_or_default()).contains("three")
        );
        assert_eq!(server.requests().len(), 3);
    })
    .await;
}

#[tokio::test]
async fn default_retry_config_is_standard_with_three_attempts() {
    bounded(30, async {
        // The default backoff is real (up to 1 s, then 2 s): a slow-ish but honest check.
        let server = TestServer::start(vec![
            CannedResponse::json(500, "{}"),
            CannedResponse::json(500, "{}"),
            CannedResponse::json(500, "{}"),
            CannedResponse::json(200, "{}"),
        ]);
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .endpoint_url(server.url())
            .credentials_provider(creds())
            .build();
        assert!(config.retry_config().is_none());
        let started = Instant::now();
        let response = send(&config, &DX_OP).await.expect("a response");
        assert_eq!(response.status, 500);
        assert_eq!(server.requests().len(), 3);
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    })
    .await;
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    bounded(20, async {
        let server = TestServer::start(vec![
            CannedResponse::json(
                400,
                r#"{"__type":"DirectConnectClientException","message":"no such vif"}"#,
            ),
            CannedResponse::json(200, "{}"),
        ]);
        let config = server_config(&server, fast_retries(5)).build();
        let response = send(&config, &DX_OP).await.expect("a response");
        assert_eq!(response.status, 400);
        assert_eq!(server.requests().len(), 1);

        let capture = CaptureClient::new(vec![
            CannedResponse::new(403, "").header("x-amzn-errortype", "AccessDeniedException"),
            CannedResponse::new(404, ""),
            CannedResponse::json(200, "{}"),
        ]);
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(creds())
            .retry_config(fast_retries(5))
            .http_client(capture.clone())
            .build();
        assert_eq!(
            send(&config, &DX_OP).await.map(|r| r.status).ok(),
            Some(403)
        );
        assert_eq!(
            send(&config, &DX_OP).await.map(|r| r.status).ok(),
            Some(404)
        );
        assert_eq!(capture.requests().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn reset_and_closed_connections_are_retried() {
    bounded(20, async {
        let server = TestServer::start(vec![
            CannedResponse::reset(),
            CannedResponse::json(200, r#"{"n":1}"#),
            CannedResponse::close(),
            CannedResponse::json(200, r#"{"n":2}"#),
        ]);
        let config = server_config(&server, fast_retries(3)).build();
        let first = send(&config, &DX_OP)
            .await
            .expect("retried after the reset");
        assert_eq!(first.body, br#"{"n":1}"#);
        let second = send(&config, &DX_OP)
            .await
            .expect("retried after the close");
        assert_eq!(second.body, br#"{"n":2}"#);
        assert_eq!(server.requests().len(), 4);
    })
    .await;
}

#[tokio::test]
async fn transport_failures_give_up_with_a_dispatch_failure() {
    bounded(20, async {
        let server = TestServer::start(vec![
            CannedResponse::reset(),
            CannedResponse::close(),
            CannedResponse::json(200, "{}"),
        ]);
        let config = server_config(&server, fast_retries(2)).build();
        let err = send(&config, &DX_OP).await.expect_err("two failures");
        let SendError::DispatchFailure(connector) = &err else {
            panic!("expected a dispatch failure, got {err:?}");
        };
        assert!(connector.is_io(), "{connector:?}");
        assert_eq!(server.requests().len(), 2);

        // Nothing listens: connect failures are retried, then reported.
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
            listener.local_addr().expect("address").port()
        };
        let provider = CountingProvider::default();
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .credentials_provider(provider.clone())
            .identity_cache(IdentityCache::no_cache())
            .retry_config(fast_retries(3))
            .build();
        let err = send(&config, &DX_OP).await.expect_err("refused");
        assert!(
            matches!(&err, SendError::DispatchFailure(c) if c.is_io()),
            "{err:?}"
        );
        assert_eq!(provider.count(), 3, "three connect attempts");
    })
    .await;
}

#[tokio::test]
async fn stalled_server_hits_the_attempt_timeout_on_every_attempt() {
    bounded(20, async {
        let stall = || CannedResponse::json(200, "{}").delay(Duration::from_secs(60));
        let server = TestServer::start(vec![stall(), stall(), stall()]);
        let config = server_config(&server, fast_retries(2))
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(Duration::from_millis(200))
                    .build(),
            )
            .build();
        let started = Instant::now();
        let err = send(&config, &DX_OP).await.expect_err("times out");
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
        let SendError::Timeout(timeout) = &err else {
            panic!("expected a timeout, got {err:?}");
        };
        assert_eq!(timeout.kind(), TimeoutKind::OperationAttempt);
        assert_eq!(timeout.duration(), Duration::from_millis(200));
        assert_eq!(server.requests().len(), 2);

        let sdk: SdkError<std::io::Error> = err.into();
        assert!(matches!(sdk, SdkError::TimeoutError(_)), "{sdk:?}");
        let text = DisplayErrorContext(&sdk).to_string();
        assert!(
            text.starts_with(
                "request has timed out: operation attempt timeout elapsed after 200ms"
            ),
            "{text}"
        );
        // A timed-out retry costs 10 tokens.
        assert_eq!(config.retry_quota().available(), 490);
    })
    .await;
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_retry_loop() {
    bounded(20, async {
        let server = TestServer::start((0..20).map(|_| throttled()).collect());
        let retry = RetryConfig::standard()
            .with_max_attempts(20)
            .with_initial_backoff(Duration::from_millis(200))
            .with_max_backoff(Duration::from_millis(200));
        let config = server_config(&server, retry)
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(Duration::from_millis(500))
                    .build(),
            )
            .build();
        let started = Instant::now();
        let err = send(&config, &DX_OP).await.expect_err("times out");
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
        let sdk: SdkError<std::io::Error> = err.into();
        let text = DisplayErrorContext(&sdk).to_string();
        assert!(
            text.starts_with("request has timed out: operation timeout elapsed after 500ms"),
            "{text}"
        );
        // Backoffs are jittered in [0, 200 ms): at least two attempts fit in 500 ms.
        let attempts = server.requests().len();
        assert!((2..20).contains(&attempts), "{attempts} attempts");
    })
    .await;
}

#[tokio::test]
async fn retries_stop_when_the_quota_is_spent() {
    bounded(20, async {
        let capture = CaptureClient::new(vec![
            CannedResponse::json(500, "{}"),
            CannedResponse::json(500, "{}"),
        ]);
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(creds())
            .retry_config(fast_retries(3))
            .http_client(capture.clone())
            .build();
        assert!(config.retry_quota().acquire(497), "leave 3 tokens");
        let clone = config.clone();
        assert_eq!(clone.retry_quota().available(), 3, "clones share the quota");
        let response = send(&clone, &DX_OP).await.expect("a response");
        assert_eq!(response.status, 500);
        assert_eq!(capture.requests().len(), 1, "no tokens for a retry");
    })
    .await;
}

#[tokio::test]
async fn disabled_retries_send_once() {
    bounded(20, async {
        let capture = CaptureClient::new(vec![throttled(), CannedResponse::json(200, "{}")]);
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(creds())
            .retry_config(RetryConfig::disabled())
            .http_client(capture.clone())
            .build();
        assert_eq!(
            send(&config, &DX_OP).await.map(|r| r.status).ok(),
            Some(400)
        );
        assert_eq!(capture.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn construction_failures_are_not_retried() {
    bounded(20, async {
        let capture = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
        let config = Config::builder()
            .credentials_provider(creds())
            .retry_config(fast_retries(3))
            .http_client(capture.clone())
            .build();
        let err = send(&config, &DX_OP).await.expect_err("no region");
        assert!(
            matches!(
                err,
                SendError::ConstructionFailure(ConstructionError::MissingRegion)
            ),
            "{err:?}"
        );
        assert!(capture.requests().is_empty());
    })
    .await;
}

#[tokio::test]
async fn no_auth_operations_need_no_credentials_and_are_sent_unsigned() {
    bounded(20, async {
        static UNSIGNED_OP: OperationMeta = OperationMeta {
            no_auth: true,
            ..DX_OP
        };
        let capture = CaptureClient::new(vec![
            CannedResponse::json(200, "{}"),
            CannedResponse::json(200, "{}"),
        ]);
        // No provider and no credentials in the environment: a signed operation fails...
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .http_client(capture.clone())
            .build();
        let err = send(&config, &DX_OP).await.expect_err("no credentials");
        assert!(
            matches!(
                err,
                SendError::ConstructionFailure(ConstructionError::MissingCredentials)
            ),
            "{err:?}"
        );
        assert!(capture.requests().is_empty());
        // ...an operation modelled without auth is sent, unsigned.
        send(&config, &UNSIGNED_OP).await.expect("sent");
        // With credentials configured, it is still sent unsigned.
        let with_creds = config.to_builder().credentials_provider(creds()).build();
        send(&with_creds, &UNSIGNED_OP).await.expect("sent");
        let requests = capture.requests();
        assert_eq!(requests.len(), 2);
        for request in requests {
            assert_eq!(request.header("authorization"), None);
            assert_eq!(request.header("x-amz-date"), None);
            assert_eq!(request.header("x-amz-security-token"), None);
        }
    })
    .await;
}

// ----- endpoints from the rule set ------------------------------------------------------

async fn sent_uri(
    config: Config,
    op: &OperationMeta,
    env: EnvLookup<'_>,
) -> Result<String, String> {
    let capture = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let mut builder = config.to_builder();
    builder.set_http_client(Some(crate::http::SharedHttpClient::new(capture.clone())));
    let config = builder.build();
    match send_with_env(&config, op, BODY.to_vec(), env).await {
        Ok(_) => Ok(capture.requests()[0].uri.clone()),
        Err(err) => {
            assert!(capture.requests().is_empty(), "nothing sent on {err:?}");
            let sdk: SdkError<std::io::Error> = err.into();
            Err(DisplayErrorContext(&sdk).to_string())
        }
    }
}

fn dx_config(region: &'static str) -> crate::config::Builder {
    Config::builder()
        .region(Region::from_static(region))
        .credentials_provider(creds())
}

#[tokio::test]
async fn endpoints_come_from_the_rule_set() {
    bounded(20, async {
        let uri = |config: crate::config::Builder| sent_uri(config.build(), &DX_OP, &no_env);
        assert_eq!(
            uri(dx_config("us-east-1")).await.as_deref(),
            Ok("https://directconnect.us-east-1.amazonaws.com/")
        );
        assert_eq!(
            uri(dx_config("cn-north-1")).await.as_deref(),
            Ok("https://directconnect.cn-north-1.amazonaws.com.cn/")
        );
        assert_eq!(
            uri(dx_config("us-gov-west-1").use_fips(true))
                .await
                .as_deref(),
            Ok("https://directconnect-fips.us-gov-west-1.amazonaws.com/")
        );
        assert_eq!(
            uri(dx_config("eu-west-1").use_dual_stack(true))
                .await
                .as_deref(),
            Ok("https://directconnect.eu-west-1.api.aws/")
        );
        assert_eq!(
            uri(dx_config("eu-west-1").use_fips(true).use_dual_stack(true))
                .await
                .as_deref(),
            Ok("https://directconnect-fips.eu-west-1.api.aws/")
        );
        assert_eq!(
            uri(dx_config("us-east-1").endpoint_url("http://localhost:4566/base"))
                .await
                .as_deref(),
            Ok("http://localhost:4566/base/")
        );
        // The rule's message, exactly, at the end of the error chain.
        let err = uri(dx_config("us-east-1")
            .endpoint_url("http://localhost:4566")
            .use_fips(true))
        .await
        .expect_err("rule error");
        assert!(
            err.starts_with(
                "failed to construct request: failed to resolve the endpoint: \
                 Invalid Configuration: FIPS and custom endpoint are not supported ("
            ),
            "{err}"
        );
        let err = uri(dx_config("us-east-1/../evil"))
            .await
            .expect_err("invalid");
        assert!(err.contains("invalid region"), "{err}");
        // Explicit `false` wins over the environment.
        let fips_env = |name: &str| (name == ENV_USE_FIPS_ENDPOINT).then(|| "TRUE".to_owned());
        assert_eq!(
            sent_uri(dx_config("us-east-2").build(), &DX_OP, &fips_env)
                .await
                .as_deref(),
            Ok("https://directconnect-fips.us-east-2.amazonaws.com/")
        );
        assert_eq!(
            sent_uri(
                dx_config("us-east-2").use_fips(false).build(),
                &DX_OP,
                &fips_env
            )
            .await
            .as_deref(),
            Ok("https://directconnect.us-east-2.amazonaws.com/")
        );
        let bad_env = |name: &str| (name == ENV_USE_DUALSTACK_ENDPOINT).then(|| "yes".to_owned());
        let err = sent_uri(dx_config("us-east-2").build(), &DX_OP, &bad_env)
            .await
            .expect_err("bad value");
        assert!(
            err.contains("AWS_USE_DUALSTACK_ENDPOINT") && err.contains("\"yes\""),
            "{err}"
        );
    })
    .await;
}

#[tokio::test]
async fn without_a_rule_set_the_fallback_applies() {
    bounded(20, async {
        let uri = |config: crate::config::Builder| sent_uri(config.build(), &NO_RULES_OP, &no_env);
        assert_eq!(
            uri(dx_config("cn-north-1")).await.as_deref(),
            Ok("https://directconnect.cn-north-1.amazonaws.com/"),
            "no partition knowledge without rules"
        );
        let err = uri(dx_config("us-east-1").use_fips(true))
            .await
            .expect_err("no rules");
        assert!(err.contains("`use_fips`"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn endpoint_headers_and_auth_scheme_apply_to_the_request() {
    bounded(20, async {
        let capture = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
        let config = dx_config("eu-central-1")
            .endpoint_url("https://example.com")
            .http_client(capture.clone())
            .build();
        send(&config, &AUTH_SCHEME_OP).await.expect("sends");
        let request = &capture.requests()[0];
        assert_eq!(request.uri, "https://example.com/prefix/");
        assert_eq!(request.header("host"), Some("example.com"));
        assert_eq!(request.header("x-rule-header"), Some("eu-central-1"));
        verify_sigv4(request, &creds(), "us-west-2", "custom-name")
            .expect("signed for the auth scheme's region and name");
        let err = send(
            &dx_config("eu-central-1")
                .http_client(capture.clone())
                .build(),
            &AUTH_SCHEME_OP,
        )
        .await
        .expect_err("rule error");
        let SendError::ConstructionFailure(ConstructionError::Endpoint(endpoint)) = &err else {
            panic!("expected an endpoint error, got {err:?}");
        };
        assert_eq!(endpoint.message(), "this test needs an endpoint");
    })
    .await;
}

#[cfg(any(feature = "native-tls", feature = "rustls"))]
#[tokio::test]
async fn default_client_round_trip_through_the_rules_with_timeouts_configured() {
    bounded(20, async {
        let server = TestServer::start(vec![CannedResponse::json(200, r#"{"ok":true}"#)]);
        let config = server_config(&server, RetryConfig::standard())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(1))
                    .read_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(5))
                    .operation_timeout(Duration::from_secs(10))
                    .build(),
            )
            .build();
        let response = send(&config, &DX_OP).await.expect("round trip");
        assert_eq!(response.body, br#"{"ok":true}"#);
        let request = &server.requests()[0];
        verify_sigv4(request, &creds(), "us-east-1", "directconnect").expect("signed");
    })
    .await;
}

#[cfg(any(feature = "native-tls", feature = "rustls"))]
#[tokio::test]
async fn read_timeout_is_a_retried_timeout_naming_the_limit() {
    bounded(20, async {
        let stall = || CannedResponse::json(200, "{}").delay(Duration::from_secs(60));
        let server = TestServer::start(vec![stall(), stall()]);
        let config = server_config(&server, fast_retries(2))
            .timeout_config(
                TimeoutConfig::builder()
                    .read_timeout(Duration::from_millis(200))
                    .build(),
            )
            .build();
        let started = Instant::now();
        let err = send(&config, &DX_OP).await.expect_err("read timeout");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        let SendError::Timeout(timeout) = &err else {
            panic!("expected a timeout, got {err:?}");
        };
        assert_eq!(timeout.kind(), TimeoutKind::Read);
        assert_eq!(
            timeout.to_string(),
            "read timeout elapsed after 200ms waiting for the response head"
        );
        assert_eq!(server.requests().len(), 2);
    })
    .await;
}

// ----- streaming bodies -----------------------------------------------------------------

/// Chunks of a streaming request body.
struct Chunks(std::collections::VecDeque<Result<bytes::Bytes, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<bytes::Bytes, std::io::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.get_mut().0.pop_front())
    }
}

fn streaming(chunks: &[&'static [u8]]) -> crate::http::Body {
    crate::http::Body::from_stream(Chunks(
        chunks
            .iter()
            .map(|c| Ok(bytes::Bytes::from_static(c)))
            .collect(),
    ))
}

#[tokio::test]
async fn a_streaming_body_is_sent_once_unsigned_and_never_retried() {
    bounded(20, async {
        let server = TestServer::start(vec![
            CannedResponse::new(503, "busy"),
            CannedResponse::json(200, "{}"),
        ]);
        let config = server_config(&server, fast_retries(3)).build();
        let response = send_with_env(&config, &DX_OP, streaming(&[b"{\"a\":", b"1}"]), &no_env)
            .await
            .expect("a response");
        assert_eq!(response.status, 503, "the stream was read once: no retry");
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        let request = &requests[0];
        assert_eq!(request.body, br#"{"a":1}"#);
        assert_eq!(request.header("content-length"), None);
        assert_eq!(request.header("transfer-encoding"), Some("chunked"));
        assert_eq!(
            request.header("x-amz-content-sha256"),
            Some("UNSIGNED-PAYLOAD")
        );
        verify_sigv4(request, &creds(), "us-east-1", "directconnect")
            .expect("signed with an unsigned payload");

        // The same body in memory is retried, and signed over its bytes.
        let server = TestServer::start(vec![
            CannedResponse::new(503, "busy"),
            CannedResponse::json(200, "{}"),
        ]);
        let config = server_config(&server, fast_retries(3)).build();
        let response = send_with_env(&config, &DX_OP, br#"{"a":1}"#.to_vec(), &no_env)
            .await
            .expect("a response");
        assert_eq!(response.status, 200);
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[1].header("content-length"), Some("7"));
        assert_eq!(requests[1].header("x-amz-content-sha256"), None);
    })
    .await;
}

static S3_RULES: ServiceMeta = ServiceMeta {
    signing: crate::sigv4::SigningSettings::S3,
    query_compatible: false,
    endpoint_rule_set: None,
    ..DX
};

static S3_OP: OperationMeta = OperationMeta {
    service: &S3_RULES,
    name: "PutObject",
    streaming_output: false,
    event_stream_output: false,
    request_checksum: None,
    static_endpoint_params: &[],
    no_auth: false,
};

#[tokio::test]
async fn s3_signing_sends_the_payload_hash_once_and_signs_the_path_as_sent() {
    bounded(20, async {
        let server = TestServer::start(vec![
            CannedResponse::new(200, ""),
            CannedResponse::new(200, ""),
        ]);
        let config = server_config(&server, fast_retries(1)).build();
        let wire = crate::protocol::Wire::resolve(&config, &S3_RULES).expect("a protocol");
        let mut request = crate::protocol::WireProtocol::envelope(&wire, &S3_OP, Body::from("abc"));
        request.path_and_query = "/bucket/a%20b/./c%2Bd".to_owned();
        crate::orchestrator::send(
            &config,
            &S3_OP,
            request,
            &|_| None,
            &no_env,
            &CallEndpoint::default(),
        )
        .await
        .expect("sent");
        let request =
            crate::protocol::WireProtocol::envelope(&wire, &S3_OP, streaming(&[b"ab", b"c"]));
        crate::orchestrator::send(
            &config,
            &S3_OP,
            request,
            &|_| None,
            &no_env,
            &CallEndpoint::default(),
        )
        .await
        .expect("sent");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        let hashes = |r: &crate::testing::RecordedRequest| {
            r.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("x-amz-content-sha256"))
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            hashes(&requests[0]),
            ["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
            "the SHA-256 of the body, once"
        );
        assert_eq!(hashes(&requests[1]), ["UNSIGNED-PAYLOAD"], "a stream: once");
        assert_eq!(
            requests[0].uri, "/bucket/a%20b/./c%2Bd",
            "the path is sent as is"
        );
        for request in &requests {
            crate::testing::verify_sigv4_with(
                request,
                &creds(),
                "us-east-1",
                "directconnect",
                &crate::sigv4::SigningSettings::S3,
            )
            .expect("signed with S3's rules");
        }
        assert!(
            verify_sigv4(&requests[0], &creds(), "us-east-1", "directconnect").is_err(),
            "the standard rules (normalised, double-encoded path) give another signature"
        );
    })
    .await;
}

#[tokio::test]
async fn a_file_stream_is_sent_with_its_length_and_retried_from_the_file() {
    bounded(20, async {
        let path = std::env::temp_dir().join(format!(
            "aws-lite-orchestrator-file-{}.bin",
            std::process::id()
        ));
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("writes the temp file");
        let body = crate::primitives::ByteStream::read_from()
            .path(&path)
            .buffer_size(10_000)
            .build()
            .await
            .expect("opens");
        let server = TestServer::start(vec![
            CannedResponse::new(503, "busy"),
            CannedResponse::json(200, "{}"),
        ]);
        let config = server_config(&server, fast_retries(3)).build();
        let response = send_with_env(&config, &DX_OP, Body::from(body), &no_env)
            .await
            .expect("a response");
        let _ = std::fs::remove_file(&path);
        assert_eq!(response.status, 200, "retried: the file was read again");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        for request in &requests {
            assert_eq!(request.body, bytes, "the whole file, each attempt");
            assert_eq!(request.header("content-length"), Some("300000"));
            assert_eq!(request.header("transfer-encoding"), None);
            assert_eq!(
                request.header("x-amz-content-sha256"),
                Some("UNSIGNED-PAYLOAD")
            );
            verify_sigv4(request, &creds(), "us-east-1", "directconnect")
                .expect("signed with an unsigned payload");
        }
    })
    .await;
}

/// Answers with a response whose body fails after its first chunk.
#[derive(Debug)]
struct BrokenBody;

impl crate::http::HttpClient for BrokenBody {
    fn call(&self, _request: crate::http::HttpRequest) -> crate::http::HttpFuture<'_> {
        Box::pin(async {
            let body = crate::http::Body::from_stream(Chunks(
                [
                    Ok(bytes::Bytes::from_static(b"{\"virtualInterface")),
                    Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset)),
                ]
                .into(),
            ));
            Ok(HttpResponse {
                status: 200,
                headers: Vec::new(),
                body,
            })
        })
    }
}

#[tokio::test]
async fn a_response_body_that_fails_midway_is_a_dispatch_failure() {
    let config = Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials_provider(creds())
        .http_client(BrokenBody)
        .retry_config(RetryConfig::disabled())
        .build();
    let err = send(&config, &DX_OP)
        .await
        .expect_err("the body never completes");
    let SendError::DispatchFailure(connector) = &err else {
        panic!("expected a dispatch failure, got {err:?}");
    };
    assert!(connector.is_io(), "an I/O failure, retried: {connector:?}");
    assert_eq!(
        classify_connector_error(connector),
        Some(ErrorKind::TransientError)
    );
}

// ----- defaults that bound every wait -------------------------------------------------------

#[test]
fn the_default_config_bounds_every_wait() {
    let limits = read_limits(&Config::builder().build());
    assert_eq!(limits.read_timeout, Some(Duration::from_secs(60)));
    assert!(limits.stalled.download_enabled());
    assert_eq!(limits.stalled.grace_period(), Duration::from_secs(5));
    assert_eq!(limits.stalled.minimum_throughput(), 1024);
    assert_eq!(limits.max_body, 256 * 1024 * 1024);
    // A disabled read timeout stays disabled; a set one is kept.
    let off = Config::builder()
        .timeout_config(TimeoutConfig::builder().disable_read_timeout().build())
        .build();
    assert_eq!(read_limits(&off).read_timeout, None);
    let long = Config::builder()
        .timeout_config(
            TimeoutConfig::builder()
                .read_timeout(Duration::from_secs(900))
                .build(),
        )
        .build();
    assert_eq!(
        read_limits(&long).read_timeout,
        Some(Duration::from_secs(900))
    );
}

// ----- identity cache -----------------------------------------------------------------------

/// A provider that counts its calls, takes `delay` to answer and gives credentials expiring
/// after `lifetime` (never, for `None`), or fails when `fail` is set.
#[derive(Clone, Debug, Default)]
struct SlowProvider {
    calls: Arc<AtomicUsize>,
    delay: Duration,
    lifetime: Option<Duration>,
    fail: bool,
}

impl ProvideCredentials for SlowProvider {
    fn provide_credentials<'a>(&'a self) -> crate::credentials::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let this = self.clone();
        crate::credentials::future::ProvideCredentials::new(async move {
            this.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(this.delay).await;
            if this.fail {
                return Err(crate::credentials::CredentialsError::provider_error(
                    "the metadata service answered 500",
                ));
            }
            let expiry = this.lifetime.map(|l| SystemTime::now() + l);
            Ok(Credentials::new(
                "AKIDCACHED",
                "SECRETCACHED",
                Some("TOKENCACHED".to_owned()),
                expiry,
                "slow",
            ))
        })
    }
}

fn ok_responses(n: usize) -> Vec<CannedResponse> {
    (0..n).map(|_| CannedResponse::json(200, "{}")).collect()
}

#[tokio::test]
async fn five_hundred_concurrent_calls_make_one_provider_call() {
    bounded(30, async {
        let provider = SlowProvider {
            delay: Duration::from_millis(50),
            ..SlowProvider::default()
        };
        let client = CaptureClient::new(ok_responses(500));
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(provider.clone())
            .http_client(client.clone())
            .build();
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..500 {
            let config = config.clone();
            calls.spawn(async move { send(&config, &DX_OP).await.map(|r| r.status) });
        }
        let mut ok = 0;
        while let Some(result) = calls.join_next().await {
            assert_eq!(result.expect("joins").expect("succeeds"), 200);
            ok += 1;
        }
        assert_eq!(ok, 500);
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
        let requests = client.requests();
        assert_eq!(requests.len(), 500);
        assert!(requests.iter().all(|r| {
            r.header("x-amz-security-token") == Some("TOKENCACHED")
                && r.header("authorization")
                    .is_some_and(|a| a.contains("Credential=AKIDCACHED/"))
        }));
    })
    .await;
}

#[tokio::test]
async fn expiring_credentials_are_refreshed_once() {
    bounded(30, async {
        let provider = SlowProvider {
            delay: Duration::from_millis(20),
            lifetime: Some(Duration::from_secs(3)),
            ..SlowProvider::default()
        };
        let client = CaptureClient::new(ok_responses(40));
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(provider.clone())
            .identity_cache(
                IdentityCache::lazy()
                    .buffer_time(Duration::from_secs(1))
                    .build(),
            )
            .http_client(client)
            .build();
        let burst = |config: &Config| {
            let mut calls = tokio::task::JoinSet::new();
            for _ in 0..20 {
                let config = config.clone();
                calls.spawn(async move { send(&config, &DX_OP).await.is_ok() });
            }
            calls
        };
        let mut first = burst(&config);
        while let Some(done) = first.join_next().await {
            assert!(done.expect("joins"));
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1, "one load");
        // Past expiry minus the buffer time (2 s after the load, margin enough for a loaded
        // machine to finish the first burst before): one refresh serves the second burst.
        tokio::time::sleep(Duration::from_millis(2200)).await;
        let mut second = burst(&config);
        while let Some(done) = second.join_next().await {
            assert!(done.expect("joins"));
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2, "one refresh");
    })
    .await;
}

#[tokio::test]
async fn a_failing_provider_is_reported_on_each_call_without_a_loop() {
    bounded(30, async {
        let provider = SlowProvider {
            fail: true,
            ..SlowProvider::default()
        };
        let client = CaptureClient::new(ok_responses(5));
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(provider.clone())
            .retry_config(fast_retries(3))
            .http_client(client.clone())
            .build();
        for call in 1..=5 {
            let err = send(&config, &DX_OP).await.expect_err("no credentials");
            let sdk: SdkError<std::io::Error> = err.into();
            let text = DisplayErrorContext(&sdk).to_string();
            assert!(text.starts_with("failed to construct request"), "{text}");
            assert!(text.contains("the metadata service answered 500"), "{text}");
            assert_eq!(
                provider.calls.load(Ordering::SeqCst),
                call,
                "one provider call per call, none per retry"
            );
        }
        assert!(client.requests().is_empty(), "nothing was sent");

        // A provider that never answers fails after the cache's load timeout.
        let stuck = SlowProvider {
            delay: Duration::from_secs(60),
            ..SlowProvider::default()
        };
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(stuck)
            .identity_cache(
                IdentityCache::lazy()
                    .load_timeout(Duration::from_millis(100))
                    .build(),
            )
            .http_client(client)
            .build();
        let err = send(&config, &DX_OP).await.expect_err("times out");
        let sdk: SdkError<std::io::Error> = err.into();
        let text = DisplayErrorContext(&sdk).to_string();
        assert!(
            text.contains("credentials provider timed out after 100ms"),
            "{text}"
        );
    })
    .await;
}

// ----- clock skew ---------------------------------------------------------------------------

/// A service whose clock is `offset` ahead of (or, negative, behind) ours: it rejects
/// requests signed more than 5 minutes from its clock as AWS does (400
/// `InvalidSignatureException`, "Signature expired"), and sends its time in `Date`.
#[derive(Clone, Debug)]
struct SkewedService {
    ahead: bool,
    offset: Duration,
    requests: Arc<std::sync::Mutex<Vec<HttpRequest>>>,
}

impl SkewedService {
    fn now(&self) -> SystemTime {
        if self.ahead {
            SystemTime::now() + self.offset
        } else {
            SystemTime::now() - self.offset
        }
    }
}

impl HttpClient for SkewedService {
    fn call(&self, request: HttpRequest) -> crate::http::HttpFuture<'_> {
        Box::pin(async move {
            use crate::primitives::{DateTime, DateTimeFormat};
            let server = self.now();
            let date = DateTime::from(server)
                .fmt(DateTimeFormat::HttpDate)
                .unwrap_or_default();
            let signed = request
                .header("x-amz-date")
                .and_then(|d| crate::testing::parse_amz_date(d).ok())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            let off = server
                .duration_since(signed)
                .unwrap_or_else(|e| e.duration());
            self.requests
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(request);
            let response = if off > Duration::from_secs(300) {
                HttpResponse {
                    status: 400,
                    headers: vec![("date".to_owned(), date)],
                    body: r#"{"__type":"InvalidSignatureException","message":"Signature expired: the request time is more than 5 minutes from the server time"}"#.into(),
                }
            } else {
                HttpResponse {
                    status: 200,
                    headers: vec![("date".to_owned(), date)],
                    body: "{}".into(),
                }
            };
            Ok(response)
        })
    }
}

#[tokio::test]
async fn a_client_twenty_minutes_off_succeeds_on_its_second_attempt() {
    bounded(20, async {
        for ahead in [true, false] {
            let service = SkewedService {
                ahead,
                offset: Duration::from_secs(20 * 60),
                requests: Arc::default(),
            };
            let config = Config::builder()
                .region(Region::from_static("us-east-1"))
                .credentials_provider(creds())
                .retry_config(fast_retries(3))
                .http_client(service.clone())
                .build();
            let response = send(&config, &DX_OP).await.expect("the retry succeeds");
            assert_eq!(response.status, 200);
            assert_eq!(service.requests.lock().map(|r| r.len()).ok(), Some(2));
            // The skew is kept: the next call succeeds at once.
            send(&config, &DX_OP)
                .await
                .expect("signed with the server's time");
            assert_eq!(service.requests.lock().map(|r| r.len()).ok(), Some(3));
        }

        // A small skew is no reason to retry an authentication error.
        let service = SkewedService {
            ahead: true,
            offset: Duration::from_secs(60),
            requests: Arc::default(),
        };
        let rejecting = CaptureClient::new(vec![
            CannedResponse::json(400, r#"{"__type":"InvalidSignatureException"}"#).header(
                "date",
                crate::primitives::DateTime::from(service.now())
                    .fmt(crate::primitives::DateTimeFormat::HttpDate)
                    .unwrap_or_default(),
            ),
        ]);
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(creds())
            .retry_config(fast_retries(3))
            .http_client(rejecting.clone())
            .build();
        let response = send(&config, &DX_OP).await.expect("the error response");
        assert_eq!(response.status, 400);
        assert_eq!(rejecting.requests().len(), 1, "not retried");
    })
    .await;
}

// ----- amz-sdk-request ----------------------------------------------------------------------

#[test]
fn amz_sdk_request_has_a_ttl_once_read_timeout_and_server_time_are_known() {
    // 2023-11-14T22:13:20Z.
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let read = Some(Duration::from_secs(60));
    assert_eq!(request_info(1, 3, read, None, now), "attempt=1; max=3");
    assert_eq!(
        request_info(2, 3, None, Some(Duration::from_secs(5)), now),
        "attempt=2; max=3"
    );
    // now + 60 s read timeout + 5.9 s ahead, fractions of a second dropped.
    assert_eq!(
        request_info(2, 3, read, Some(Duration::from_millis(5_900)), now),
        "ttl=20231114T221425Z; attempt=2; max=3"
    );
    assert_eq!(
        request_info(
            3,
            5,
            read,
            Some(Duration::ZERO),
            now + Duration::from_millis(999)
        ),
        "ttl=20231114T221420Z; attempt=3; max=5"
    );
    // Out of range: no ttl rather than a wrong one.
    assert_eq!(
        request_info(2, 3, Some(Duration::MAX), Some(Duration::from_secs(1)), now),
        "attempt=2; max=3"
    );
}

/// `ttl=` values for `at + whole seconds in range`, to compare a header with.
fn ttls(at: SystemTime, range: std::ops::RangeInclusive<u64>) -> Vec<String> {
    range
        .map(|s| {
            let (_, stamp) =
                crate::sigv4::format_time(at + Duration::from_secs(s)).expect("in range");
            stamp
        })
        .collect()
}

#[tokio::test]
async fn retries_after_a_dated_response_carry_a_ttl() {
    use crate::primitives::{DateTime, DateTimeFormat};
    bounded(20, async {
        for (ahead, offset) in [(true, 30), (false, 30)] {
            let now = SystemTime::now();
            let server = if ahead {
                now + Duration::from_secs(offset)
            } else {
                now - Duration::from_secs(offset)
            };
            let date = DateTime::from(server)
                .fmt(DateTimeFormat::HttpDate)
                .expect("an HTTP date");
            let client = CaptureClient::new(vec![
                CannedResponse::json(500, "{}").header("date", date),
                CannedResponse::json(200, "{}"),
            ]);
            let config = Config::builder()
                .region(Region::from_static("us-east-1"))
                .credentials_provider(creds())
                .retry_config(fast_retries(3))
                .http_client(client.clone())
                .build();
            let response = send(&config, &DX_OP).await.expect("the retry succeeds");
            assert_eq!(response.status, 200);
            let requests = client.requests();
            assert_eq!(requests.len(), 2);
            assert_eq!(
                requests[0].header("amz-sdk-request"),
                Some("attempt=1; max=3"),
                "no server time known on the first attempt"
            );
            // The default 60 s read timeout, plus the server's lead (none when it is behind).
            let expected = 60 + if ahead { offset } else { 0 };
            let second = requests[1].header("amz-sdk-request").expect("header");
            let (ttl, rest) = second
                .strip_prefix("ttl=")
                .and_then(|s| s.split_once("; "))
                .expect("a ttl first");
            assert_eq!(rest, "attempt=2; max=3");
            assert!(
                ttls(now, expected - 2..=expected + 2)
                    .iter()
                    .any(|t| t == ttl),
                "ttl {ttl} is not about {expected} s from now"
            );
        }
    })
    .await;
}

// ----- the default limits, in virtual time ---------------------------------------------------

/// A client that never answers, or answers 200 with a body trickling one byte a second.
#[derive(Clone, Debug, Default)]
struct Unresponsive {
    trickle: bool,
    calls: Arc<AtomicUsize>,
}

/// One byte a second, for ever.
struct Trickle(std::pin::Pin<Box<tokio::time::Sleep>>);

impl futures_core::Stream for Trickle {
    type Item = Result<bytes::Bytes, std::convert::Infallible>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        match self.0.as_mut().poll(cx) {
            std::task::Poll::Pending => std::task::Poll::Pending,
            std::task::Poll::Ready(()) => {
                let next = tokio::time::Instant::now() + Duration::from_secs(1);
                self.0.as_mut().reset(next);
                std::task::Poll::Ready(Some(Ok(bytes::Bytes::from_static(b"x"))))
            }
        }
    }
}

impl HttpClient for Unresponsive {
    fn call(&self, _request: HttpRequest) -> crate::http::HttpFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let trickle = self.trickle;
        Box::pin(async move {
            if !trickle {
                std::future::pending::<()>().await;
            }
            Ok(HttpResponse {
                status: 200,
                headers: Vec::new(),
                body: Body::from_stream(Trickle(Box::pin(tokio::time::sleep(
                    Duration::from_secs(1),
                )))),
            })
        })
    }
}

#[tokio::test(start_paused = true)]
async fn with_the_default_config_no_call_hangs() {
    for (trickle, bound, limit) in [
        (
            false,
            Duration::from_secs(200),
            "read timeout elapsed after 60s waiting for the response head",
        ),
        (true, Duration::from_secs(30), "stalled-stream protection: "),
    ] {
        let client = Unresponsive {
            trickle,
            ..Unresponsive::default()
        };
        // Nothing set but what a call needs: the default limits, retries and backoff.
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(creds())
            .http_client(client.clone())
            .build();
        let started = tokio::time::Instant::now();
        let err = send(&config, &DX_OP).await.expect_err("ends with an error");
        let took = started.elapsed();
        let SendError::Timeout(timeout) = &err else {
            panic!("expected a timeout, got {err:?}");
        };
        assert!(timeout.to_string().starts_with(limit), "{timeout}");
        assert_eq!(client.calls.load(Ordering::SeqCst), 3, "three attempts");
        // Never answering: 3 × 60 s plus at most 1 + 2 s of backoff. Trickling at 1 B/s:
        // each attempt fails after its first 5 s grace period.
        assert!(took < bound, "{took:?}");
        if trickle {
            assert!(took >= Duration::from_secs(15), "{took:?}");
            assert!(
                timeout.to_string().ends_with(
                    "bytes of the response body in the 5s grace period, below the minimum throughput of 1024 B/s"
                ),
                "{timeout}"
            );
        } else {
            assert!(took >= Duration::from_secs(180), "{took:?}");
        }
    }
}

#[tokio::test]
async fn not_modified_is_a_response_not_a_redirect() {
    let client = CaptureClient::new(vec![CannedResponse::new(304, "")]);
    let config = Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials_provider(creds())
        .http_client(client)
        .build();
    let response = send(&config, &DX_OP).await.expect("a 304 comes back as is");
    assert_eq!(response.status, 304);
}

/// A modelled host prefix goes in front of the endpoint's host unless the config, else
/// `AWS_DISABLE_HOST_PREFIX_INJECTION`, turns it off (botocore's `inject_host_prefix`).
#[tokio::test]
async fn host_prefixes_are_injected_unless_disabled() {
    use crate::env::ENV_DISABLE_HOST_PREFIX_INJECTION;
    bounded(20, async {
        let call = CallEndpoint {
            host_prefix: Some("streaming-".to_owned()),
            ..CallEndpoint::default()
        };
        let uri = |config: crate::config::Builder, env: &'static [(&'static str, &'static str)]| {
            let config = config
                .credentials_provider(Credentials::new("AKID", "secret", None, None, "test"))
                .build();
            let call = &call;
            async move {
                let lookup = move |name: &str| {
                    env.iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, v)| (*v).to_owned())
                };
                let wire =
                    crate::protocol::Wire::resolve(&config, DX_OP.service).expect("a protocol");
                let request =
                    crate::protocol::WireProtocol::envelope(&wire, &DX_OP, Body::from("{}"));
                build_request(&config, &DX_OP, request, &lookup, call)
                    .await
                    .map(|r| r.uri)
                    .map_err(|e| e.to_string())
            }
        };
        assert_eq!(
            uri(dx_config("us-east-1"), &[]).await.as_deref(),
            Ok("https://streaming-directconnect.us-east-1.amazonaws.com/")
        );
        let local = || dx_config("us-east-1").endpoint_url("http://127.0.0.1:5000");
        assert_eq!(
            uri(local(), &[]).await.as_deref(),
            Ok("http://streaming-127.0.0.1:5000/")
        );
        assert_eq!(
            uri(local().disable_host_prefix_injection(true), &[])
                .await
                .as_deref(),
            Ok("http://127.0.0.1:5000/")
        );
        assert_eq!(
            uri(local(), &[(ENV_DISABLE_HOST_PREFIX_INJECTION, "TRUE")])
                .await
                .as_deref(),
            Ok("http://127.0.0.1:5000/")
        );
        // The config wins over the environment.
        assert_eq!(
            uri(
                local().disable_host_prefix_injection(false),
                &[(ENV_DISABLE_HOST_PREFIX_INJECTION, "true")]
            )
            .await
            .as_deref(),
            Ok("http://streaming-127.0.0.1:5000/")
        );
        let err = uri(local(), &[(ENV_DISABLE_HOST_PREFIX_INJECTION, "yes")])
            .await
            .expect_err("not a boolean");
        assert!(err.contains(ENV_DISABLE_HOST_PREFIX_INJECTION), "{err}");
    })
    .await;
}
