//! What every operation call goes through, whatever its protocol: endpoint → sign → send →
//! retry, with timeouts. It knows no protocol: it gets a [`ProtocolRequest`] (method, path,
//! headers, body) and a function reading an error response's code, both from the protocol
//! layer ([`crate::protocol`]); [`crate::operation`] joins the two.
//!
//! [`send`] builds each attempt anew: region and credentials (config, else environment:
//! [`crate::env`]), the endpoint (rule set, config, default; `endpoint` module) with the
//! operation's host prefix, `host`, `content-length`, `user-agent`
//! ([`crate::user_agent`]) and the rules' headers, then the SigV4 signature. [`dispatch`]
//! sends, reads the response body whole (within the attempt), classifies the outcome and
//! retries as the AWS SDKs' *standard* retry mode does:
//!
//! - retried: throttling codes ([`THROTTLING_ERROR_CODES`]), transient codes
//!   ([`TRANSIENT_ERROR_CODES`]), HTTP 500/502/503/504, transport I/O failures (connect
//!   errors, resets, a connection closed without an answer) and timeouts (the transport's, or
//!   the operation attempt timeout); never another 4xx or a modelled client error;
//! - at most [`RetryConfig::max_attempts`] attempts (default 3), each built anew so it is
//!   signed with a fresh date; a request whose body is a stream (which cannot be read twice)
//!   gets one attempt;
//! - before retry *n* (n = 1, 2, ...) it sleeps `min(initial_backoff * 2^(n-1), max_backoff)`
//!   times a random factor in `[0, 1)` (full jitter; defaults 1 s and 20 s);
//! - a retry quota shared by a config and its clones (a token bucket of 500: a retry costs 5,
//!   10 after a timeout; a success returns what its retry cost, or 1 without retry); with
//!   the quota spent, failures are returned without retrying.
//!
//! Timeouts come from [`TimeoutConfig`]: the operation attempt timeout bounds each attempt
//! (building, signing, sending and reading the response), the operation timeout bounds the
//! whole call including backoff sleeps; either gives [`SendError::Timeout`], which converts to
//! [`SdkError::TimeoutError`](crate::error::SdkError::TimeoutError). The connect and read
//! timeouts apply to the default HTTP client (connect timeout 3.1 s unless configured).
//!
//! [`RetryMode::Adaptive`] retries like standard mode (no client-side rate limiting).

use crate::config::Config;
use crate::config::retry::ErrorKind;
use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::env::EnvLookup;
use crate::error::{ConstructionError, SendError};
use crate::http::{ConnectorError, HttpClient, HttpRequest, HttpResponse};
use crate::protocol::ProtocolRequest;
use crate::service::OperationMeta;
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

mod endpoint;

#[cfg(doc)]
use crate::config::retry::RetryMode;

/// Error codes that mean the request was throttled (retried).
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures (retried).
pub const TRANSIENT_ERROR_CODES: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// HTTP statuses of transient failures (retried).
pub const TRANSIENT_ERROR_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// Reads the error code of an error response (protocol-specific), e.g.
/// `|r| aws_json::parse_error_metadata(r).code().map(str::to_owned)`.
pub type ErrorCodeFn<'a> = &'a (dyn Fn(&HttpResponse) -> Option<String> + Send + Sync);

/// Whether an error response is worth retrying: `Some(kind)` for throttling codes, transient
/// codes and transient statuses, `None` otherwise (success, other 4xx, modelled errors).
pub fn classify_response(status: u16, code: Option<&str>) -> Option<ErrorKind> {
    if (200..300).contains(&status) {
        return None;
    }
    match code {
        Some(code) if THROTTLING_ERROR_CODES.contains(&code) => Some(ErrorKind::ThrottlingError),
        Some(code) if TRANSIENT_ERROR_CODES.contains(&code) => Some(ErrorKind::TransientError),
        _ if TRANSIENT_ERROR_STATUS_CODES.contains(&status) => Some(ErrorKind::TransientError),
        _ => None,
    }
}

/// Whether a transport failure is worth retrying: I/O failures and timeouts are transient;
/// a request the client refused as invalid, or any other failure, is not.
pub fn classify_connector_error(err: &ConnectorError) -> Option<ErrorKind> {
    (err.is_io() || err.is_timeout()).then_some(ErrorKind::TransientError)
}

/// Which timeout elapsed.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutKind {
    /// [`TimeoutConfig::operation_attempt_timeout`]: one attempt took too long.
    OperationAttempt,
    /// [`TimeoutConfig::operation_timeout`]: the whole call, retries included, took too long.
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OperationAttempt => "operation attempt timeout",
            Self::Operation => "operation timeout",
        })
    }
}

/// A configured timeout elapsed; the message names it and its duration, e.g.
/// `operation attempt timeout elapsed after 200ms`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} elapsed after {duration:?}")]
pub struct TimeoutElapsed {
    kind: TimeoutKind,
    duration: Duration,
}

impl TimeoutElapsed {
    /// Which timeout elapsed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured duration of that timeout.
    pub fn duration(&self) -> Duration {
        self.duration
    }
}

/// Retry tokens of a config and its clones (the standard mode's token bucket).
#[derive(Debug)]
pub(crate) struct RetryQuota {
    tokens: Mutex<u32>,
}

/// Tokens in a fresh bucket.
const QUOTA_CAPACITY: u32 = 500;
/// Tokens a retry costs.
const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout costs.
const RETRY_TIMEOUT_COST: u32 = 10;
/// Tokens a success without retry returns.
const NO_RETRY_INCREMENT: u32 = 1;

impl Default for RetryQuota {
    fn default() -> Self {
        Self {
            tokens: Mutex::new(QUOTA_CAPACITY),
        }
    }
}

impl RetryQuota {
    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        self.tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes `cost` tokens if there are that many.
    fn acquire(&self, cost: u32) -> bool {
        let mut tokens = self.lock();
        match tokens.checked_sub(cost) {
            Some(left) => {
                *tokens = left;
                true
            }
            None => false,
        }
    }

    /// Returns `amount` tokens, up to the capacity.
    fn release(&self, amount: u32) {
        let mut tokens = self.lock();
        *tokens = tokens.saturating_add(amount).min(QUOTA_CAPACITY);
    }

    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        *self.lock()
    }
}

/// The sleep before retry number `retry` (1 for the first retry): exponential backoff with
/// full jitter, `min(initial * 2^(retry-1), max) * random[0, 1)` (the random factor is 1
/// with [`RetryConfig::use_static_exponential_base`]).
pub fn backoff(config: &RetryConfig, retry: u32) -> Duration {
    let factor = if config.use_static_exponential_base() {
        1.0
    } else {
        fastrand::f64()
    };
    backoff_with_factor(config, retry, factor)
}

fn backoff_with_factor(config: &RetryConfig, retry: u32, factor: f64) -> Duration {
    let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
    let uncapped = config.initial_backoff().as_secs_f64() * 2f64.powi(exponent);
    let capped = Duration::try_from_secs_f64(uncapped)
        .map_or(config.max_backoff(), |d| d.min(config.max_backoff()));
    Duration::try_from_secs_f64(capped.as_secs_f64() * factor).unwrap_or(capped)
}

/// How one attempt ended.
enum Attempt {
    Response(HttpResponse),
    Construction(ConstructionError),
    Dispatch(ConnectorError),
    Timeout(TimeoutElapsed),
}

impl Attempt {
    fn into_result(self) -> Result<HttpResponse, SendError> {
        match self {
            Self::Response(response) => Ok(response),
            Self::Construction(err) => Err(SendError::ConstructionFailure(err)),
            Self::Dispatch(err) => Err(SendError::DispatchFailure(err)),
            Self::Timeout(err) => Err(SendError::Timeout(err)),
        }
    }
}

/// Sends one operation with retries and timeouts (see the module docs), returning the last
/// response whatever its status, or why none came.
///
/// `build_request` is called once per attempt and must return a freshly signed request;
/// `error_code` reads the code of an error response for classification. With `can_retry`
/// false (a streaming request body) there is one attempt.
pub async fn dispatch<B, Fut>(
    config: &Config,
    error_code: ErrorCodeFn<'_>,
    can_retry: bool,
    build_request: B,
) -> Result<HttpResponse, SendError>
where
    B: FnMut() -> Fut + Send,
    Fut: Future<Output = Result<HttpRequest, ConstructionError>> + Send,
{
    let client = config
        .resolve_http_client()
        .map_err(|e| SendError::ConstructionFailure(ConstructionError::HttpClient(e.into())))?;
    let mut retry = config
        .retry_config()
        .cloned()
        .unwrap_or_else(RetryConfig::standard);
    if !can_retry {
        retry = retry.with_max_attempts(1);
    }
    let timeouts = config.timeout_config();
    let attempt_timeout = timeouts.and_then(TimeoutConfig::operation_attempt_timeout);
    let operation_timeout = timeouts.and_then(TimeoutConfig::operation_timeout);
    let attempts = run_attempts(
        config,
        &client,
        &retry,
        attempt_timeout,
        error_code,
        build_request,
    );
    match operation_timeout {
        Some(limit) => {
            tokio::time::timeout(limit, attempts)
                .await
                .unwrap_or(Err(SendError::Timeout(TimeoutElapsed {
                    kind: TimeoutKind::Operation,
                    duration: limit,
                })))
        }
        None => attempts.await,
    }
}

async fn run_attempts<B, Fut>(
    config: &Config,
    client: &dyn HttpClient,
    retry: &RetryConfig,
    attempt_timeout: Option<Duration>,
    error_code: ErrorCodeFn<'_>,
    mut build_request: B,
) -> Result<HttpResponse, SendError>
where
    B: FnMut() -> Fut + Send,
    Fut: Future<Output = Result<HttpRequest, ConstructionError>> + Send,
{
    let max_attempts = retry.max_attempts().max(1);
    let quota = config.retry_quota();
    // What the last retry cost, returned to the quota on success.
    let mut retry_cost: Option<u32> = None;
    let mut attempt: u32 = 1;
    loop {
        let one = async {
            match build_request().await {
                Ok(request) => match client.call(request).await {
                    Ok(response) => match read_body(response).await {
                        Ok(response) => Attempt::Response(response),
                        Err(err) => Attempt::Dispatch(err),
                    },
                    Err(err) => Attempt::Dispatch(err),
                },
                Err(err) => Attempt::Construction(err),
            }
        };
        let outcome = match attempt_timeout {
            Some(limit) => tokio::time::timeout(limit, one)
                .await
                .unwrap_or(Attempt::Timeout(TimeoutElapsed {
                    kind: TimeoutKind::OperationAttempt,
                    duration: limit,
                })),
            None => one.await,
        };
        let (kind, timed_out) = match &outcome {
            Attempt::Response(response) if response.is_success() => {
                quota.release(retry_cost.unwrap_or(NO_RETRY_INCREMENT));
                return outcome.into_result();
            }
            Attempt::Response(response) => (
                classify_response(response.status, error_code(response).as_deref()),
                false,
            ),
            Attempt::Construction(_) => (None, false),
            Attempt::Dispatch(err) => (classify_connector_error(err), err.is_timeout()),
            Attempt::Timeout(_) => (Some(ErrorKind::TransientError), true),
        };
        if kind.is_none() || attempt >= max_attempts {
            return outcome.into_result();
        }
        let cost = if timed_out {
            RETRY_TIMEOUT_COST
        } else {
            RETRY_COST
        };
        if !quota.acquire(cost) {
            return outcome.into_result();
        }
        retry_cost = Some(cost);
        tokio::time::sleep(backoff(retry, attempt)).await;
        attempt += 1;
    }
}

/// The response with its body read into memory; a failure reading it is a transport failure
/// (the client's own [`ConnectorError`] when it gives one, else an I/O failure).
async fn read_body(response: HttpResponse) -> Result<HttpResponse, ConnectorError> {
    let HttpResponse {
        status,
        headers,
        body,
    } = response;
    let body = body
        .buffered()
        .await
        .map_err(|err| match err.downcast::<ConnectorError>() {
            Ok(err) => *err,
            Err(err) => ConnectorError::io(err),
        })?;
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// Sends `request` for operation `op` with retries and timeouts (see the module docs),
/// returning the last response whatever its status, or why none came. `host_prefix` is the
/// operation's expanded endpoint-trait prefix; `env` stands for the process environment.
pub async fn send(
    config: &Config,
    op: &OperationMeta,
    request: ProtocolRequest,
    error_code: ErrorCodeFn<'_>,
    env: EnvLookup<'_>,
    host_prefix: Option<&str>,
) -> Result<HttpResponse, SendError> {
    let mut template = request;
    let can_retry = !template.body.is_streaming();
    dispatch(config, error_code, can_retry, || {
        // A buffered body is cloned for each attempt; a streaming one is taken by the only one.
        let body = template
            .body
            .try_clone()
            .unwrap_or_else(|| std::mem::take(&mut template.body));
        let attempt = ProtocolRequest {
            method: template.method,
            path_and_query: template.path_and_query.clone(),
            headers: template.headers.clone(),
            body,
        };
        build_request(config, op, attempt, env, host_prefix)
    })
    .await
}

/// Builds and signs the request [`send`] would send, without sending it.
pub async fn build_request(
    config: &Config,
    op: &OperationMeta,
    request: ProtocolRequest,
    env: EnvLookup<'_>,
    host_prefix: Option<&str>,
) -> Result<HttpRequest, ConstructionError> {
    let service = op.service;
    let region = crate::env::region(config, env)?;
    let mut endpoint = endpoint::resolve(config, service, &region, env)?;
    if let Some(prefix) = host_prefix {
        endpoint.prefix_host(prefix);
    }
    let credentials = crate::env::credentials(config, env).await?;

    let ProtocolRequest {
        method,
        path_and_query,
        headers: protocol_headers,
        body,
    } = request;
    let mut headers = Vec::with_capacity(protocol_headers.len() + 8);
    headers.push(("host".to_owned(), endpoint.host));
    headers.extend(protocol_headers);
    if let Some(length) = body.content_length() {
        headers.push(("content-length".to_owned(), length.to_string()));
    }
    if body.is_streaming() {
        headers.push((
            "x-amz-content-sha256".to_owned(),
            crate::sigv4::UNSIGNED_PAYLOAD.to_owned(),
        ));
    }
    headers.push((
        "user-agent".to_owned(),
        crate::user_agent::user_agent(service),
    ));
    headers.extend(endpoint.headers);
    let mut request = HttpRequest {
        method: method.to_owned(),
        uri: format!("{}{path_and_query}", endpoint.url.trim_end_matches('/')),
        headers,
        body,
    };
    let signing = crate::sigv4::signing_headers(
        &request,
        &credentials,
        endpoint
            .signing_region
            .as_deref()
            .unwrap_or(region.as_ref()),
        endpoint
            .signing_name
            .as_deref()
            .unwrap_or(service.signing_name),
        SystemTime::now(),
    )
    .map_err(ConstructionError::Signing)?;
    request.headers.extend(signing);
    Ok(request)
}

#[cfg(test)]
mod tests;
