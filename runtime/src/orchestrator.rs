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
//!   errors, resets, a connection closed without an answer), timeouts (the transport's, the
//!   read timeout, stalled streams, the operation attempt timeout), and clock-skew errors
//!   ([`CLOCK_SKEW_ERROR_CODES`]) once a `Date` header showed the skew; never another 4xx, a
//!   modelled client error, a redirect or an oversized body;
//! - at most [`RetryConfig::max_attempts`] attempts (default 3), each built anew so it is
//!   signed with a fresh date; a request whose body is a stream (which cannot be read twice)
//!   gets one attempt;
//! - before retry *n* (n = 1, 2, ...) it sleeps `min(initial_backoff * 2^(n-1), max_backoff)`
//!   times a random factor in `[0, 1)` (full jitter; defaults 1 s and 20 s);
//! - a retry quota shared by a config and its clones (a token bucket of 500: a retry costs 5,
//!   10 after a timeout; a success returns what its retry cost, or 1 without retry); with
//!   the quota spent, failures are returned without retrying.
//!
//! No call can hang with the default config. Timeouts come from [`TimeoutConfig`]: the
//! operation attempt timeout bounds each attempt (building, signing, sending and reading the
//! response), the operation timeout bounds the whole call including backoff sleeps, the read
//! timeout (default [`DEFAULT_READ_TIMEOUT`], 60 s, as botocore) bounds the wait for the
//! response head once the request body is sent and for each next part of the response body;
//! stalled-stream protection ([`StalledStreamProtectionConfig`], on by default) ends a body
//! moving slower than its minimum throughput over a grace period, up or down. Each gives
//! [`SendError::Timeout`] naming the limit, which converts to
//! [`SdkError::TimeoutError`](crate::error::SdkError::TimeoutError). The connect timeout
//! applies to the default HTTP client (3.1 s unless configured). With the defaults, a server
//! that never answers ends a call after 3 attempts × 60 s plus backoff.
//!
//! Each request carries `amz-sdk-invocation-id` (one per call) and `amz-sdk-request:
//! attempt=N; max=M`, added after signing as the official SDK does; once a response of the
//! same call brought a `Date` header, later attempts also carry `ttl=YYYYMMDDTHHMMSSZ`, the
//! local time plus the read timeout plus how far the server's clock is ahead (as the
//! official `RequestInfoInterceptor`). A 3xx is never followed
//! (the default client does not follow redirects either): it ends the call with
//! [`ResponseRejected::Redirect`] carrying its status and `Location`. A buffered response
//! body larger than [`Config::max_response_body_size`] (default 256 MiB) is refused from its
//! `content-length`, or once a chunked body grows past it ([`ResponseRejected::BodyTooLarge`]).
//! The server's clock, read from each response's `Date`, corrects the signing time when it is
//! more than 4 minutes from ours (`ClockSkew`). Credentials come through the config's identity
//! cache ([`crate::config::IdentityCache`]).
//!
//! [`RetryMode::Adaptive`] retries like standard mode (no client-side rate limiting).

use crate::config::StalledStreamProtectionConfig;
use crate::config::retry::ErrorKind;
use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::config::{Config, DEFAULT_READ_TIMEOUT};
use crate::env::EnvLookup;
use crate::error::{ConstructionError, SendError};
use crate::http::{Body, ConnectorError, HttpClient, HttpRequest, HttpResponse};
use crate::protocol::ProtocolRequest;
use crate::service::OperationMeta;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

mod endpoint;

pub use endpoint::CallEndpoint;

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
/// `|r| aws_json::parse_error_metadata(r).code().map(str::to_owned)`. It is called for success
/// statuses too: a code there marks a success status whose body is an error (S3's copies,
/// see `rest_xml::success_is_error`), retried as botocore does, as if the status were 500.
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
    /// [`TimeoutConfig::read_timeout`] (default [`DEFAULT_READ_TIMEOUT`]): no response head,
    /// or no next part of the response body, came in time.
    Read,
    /// Stalled-stream protection ([`StalledStreamProtectionConfig`]): the response body came
    /// slower than the minimum throughput for a whole grace period.
    StalledStream,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OperationAttempt => "operation attempt timeout",
            Self::Operation => "operation timeout",
            Self::Read => "read timeout",
            Self::StalledStream => "stalled-stream protection",
        })
    }
}

/// A configured timeout elapsed; the message names it, its duration and what the call was
/// waiting for, e.g. `operation attempt timeout elapsed after 200ms`, `read timeout elapsed
/// after 60s waiting for the response head`, or `stalled-stream protection: 3 bytes of the
/// response body in the 5s grace period, below the minimum throughput of 1024 B/s`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct TimeoutElapsed {
    kind: TimeoutKind,
    duration: Duration,
    waiting_for: Option<&'static str>,
    /// Bytes moved in the grace period, the minimum throughput and which body (`request`
    /// or `response`), for stalled streams.
    stalled: Option<(u64, u64, &'static str)>,
}

impl fmt::Display for TimeoutElapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((bytes, minimum, body)) = self.stalled {
            return write!(
                f,
                "{}: {bytes} bytes of the {body} body in the {:?} grace period, below the minimum throughput of {minimum} B/s",
                self.kind, self.duration
            );
        }
        write!(f, "{} elapsed after {:?}", self.kind, self.duration)?;
        if let Some(what) = self.waiting_for {
            write!(f, " waiting for {what}")?;
        }
        Ok(())
    }
}

impl TimeoutElapsed {
    fn new(kind: TimeoutKind, duration: Duration) -> Self {
        Self {
            kind,
            duration,
            waiting_for: None,
            stalled: None,
        }
    }

    fn read(duration: Duration, waiting_for: &'static str) -> Self {
        Self {
            waiting_for: Some(waiting_for),
            ..Self::new(TimeoutKind::Read, duration)
        }
    }

    /// Which timeout elapsed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured duration of that timeout (the grace period for a stalled stream).
    pub fn duration(&self) -> Duration {
        self.duration
    }
}

/// Why a response was refused without being read: a redirect (never followed) or a body
/// larger than [`Config::max_response_body_size`]. Not retried.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResponseRejected {
    /// A 3xx answer (but 304). Redirects are never followed, so credentials and request bodies go to
    /// the resolved endpoint only.
    #[error(
        "the service answered HTTP {status} redirecting to {location}: redirects are not followed (requests go to the resolved endpoint only; check the region and endpoint)"
    )]
    Redirect {
        /// The HTTP status.
        status: u16,
        /// The `location` header, or `(no location header)`.
        location: String,
    },
    /// A buffered response body larger than the limit.
    #[error(
        "response body of {} exceeds the limit of {limit} bytes (`Config::max_response_body_size`); nothing more was read", .size.map_or_else(|| "more bytes".to_owned(), |s| format!("{s} bytes (content-length)"))
    )]
    BodyTooLarge {
        /// The limit in bytes.
        limit: u64,
        /// The announced `content-length`, when that is what exceeded the limit.
        size: Option<u64>,
    },
}

/// The server's clock minus the local clock, learnt from responses' `Date` headers and shared
/// by a config's clones; requests are signed with the local clock plus this skew.
#[derive(Debug, Default)]
pub(crate) struct ClockSkew {
    millis: AtomicI64,
}

/// A `Date` header this far from the local clock counts as skew (the server accepts 5
/// minutes).
const SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// Error codes meaning the signature's time was too far from the server's clock (retried once
/// the skew is known).
pub const CLOCK_SKEW_ERROR_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestInTheFuture",
];

/// The time of a `Date` header (an HTTP date), if there is one and it parses.
fn http_date(date: Option<&str>) -> Option<SystemTime> {
    let date =
        crate::primitives::DateTime::from_str(date?, crate::primitives::DateTimeFormat::HttpDate)
            .ok()?;
    SystemTime::try_from(date).ok()
}

impl ClockSkew {
    /// Records the skew from a response's `Date` header (its time, [`http_date`]), if it has one:
    /// beyond [`SKEW_THRESHOLD`] it is kept, below it is forgotten. Returns whether a skew is
    /// now known.
    fn record(&self, server: Option<SystemTime>, local: SystemTime) -> bool {
        let Some(server) = server else {
            return self.get() != 0;
        };
        let skew = match server.duration_since(local) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
            Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX),
        };
        let kept = if skew.unsigned_abs() > SKEW_THRESHOLD.as_millis() as u64 {
            skew
        } else {
            0
        };
        self.millis.store(kept, Ordering::Relaxed);
        kept != 0
    }

    fn get(&self) -> i64 {
        self.millis.load(Ordering::Relaxed)
    }

    /// The local time corrected by the known skew.
    pub(crate) fn now(&self) -> SystemTime {
        let now = SystemTime::now();
        let skew = self.get();
        let by = Duration::from_millis(skew.unsigned_abs());
        if skew >= 0 {
            now.checked_add(by).unwrap_or(now)
        } else {
            now.checked_sub(by).unwrap_or(now)
        }
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
    Rejected(ResponseRejected, HttpResponse),
}

impl Attempt {
    fn into_result(self) -> Result<HttpResponse, SendError> {
        match self {
            Self::Response(response) => Ok(response),
            Self::Construction(err) => Err(SendError::ConstructionFailure(err)),
            Self::Dispatch(err) => Err(SendError::DispatchFailure(err)),
            Self::Timeout(err) => Err(SendError::Timeout(err)),
            Self::Rejected(err, response) => Err(SendError::ResponseRejected(err, response)),
        }
    }
}

/// Why an attempt is retried, for the `retrying` event: the status, or the failure.
struct Reason<'a>(&'a Attempt);

impl std::fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Attempt::Response(response) | Attempt::Rejected(_, response) => {
                write!(f, "HTTP {}", response.status)
            }
            Attempt::Construction(err) => {
                write!(f, "{}", crate::error::DisplayErrorContext(err))
            }
            Attempt::Dispatch(err) => write!(f, "{}", crate::error::DisplayErrorContext(err)),
            Attempt::Timeout(err) => write!(f, "{}", crate::error::DisplayErrorContext(err)),
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
    dispatch_with(
        config,
        error_code,
        can_retry,
        ResponseBody::Buffered,
        build_request,
    )
    .await
}

/// How the body of a success response is handed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResponseBody {
    /// Read whole here.
    Buffered,
    /// As a stream, bounded by the read timeout and stalled-stream protection as its reader
    /// reads it (an operation with a streaming output, S3's `GetObject`).
    Stream,
    /// As a stream of event stream messages, which may pause for as long as the service
    /// has nothing to say: unbounded once the response has begun, as the official SDK reads
    /// event streams.
    Events,
}

/// [`dispatch`]; with a `response_body` other than [`ResponseBody::Buffered`], the body of a
/// success response is not read here but handed back as a stream. Error responses are read
/// whole as always.
async fn dispatch_with<B, Fut>(
    config: &Config,
    error_code: ErrorCodeFn<'_>,
    can_retry: bool,
    response_body: ResponseBody,
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
    let limits = ReadLimits {
        streaming_response: response_body != ResponseBody::Buffered,
        events: response_body == ResponseBody::Events,
        ..read_limits(config)
    };
    let attempts = run_attempts(
        config,
        &client,
        &retry,
        attempt_timeout,
        &limits,
        error_code,
        build_request,
    );
    match operation_timeout {
        Some(limit) => {
            tokio::time::timeout(limit, attempts)
                .await
                .unwrap_or(Err(SendError::Timeout(TimeoutElapsed::new(
                    TimeoutKind::Operation,
                    limit,
                ))))
        }
        None => attempts.await,
    }
}

async fn run_attempts<B, Fut>(
    config: &Config,
    client: &dyn HttpClient,
    retry: &RetryConfig,
    attempt_timeout: Option<Duration>,
    limits: &ReadLimits,
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
    let invocation_id = invocation_id();
    // How far the server's clock is ahead, from the last `Date` header of this call.
    let mut service_skew: Option<Duration> = None;
    loop {
        let one = async {
            match build_request().await {
                Ok(mut request) => {
                    request
                        .headers
                        .push(("amz-sdk-invocation-id".to_owned(), invocation_id.clone()));
                    request.headers.push((
                        "amz-sdk-request".to_owned(),
                        request_info(
                            attempt,
                            max_attempts,
                            limits.read_timeout,
                            service_skew,
                            SystemTime::now(),
                        ),
                    ));
                    let outcome = exchange(
                        client,
                        request,
                        limits,
                        config.clock_skew(),
                        &mut service_skew,
                    )
                    .await;
                    if let Attempt::Response(response) | Attempt::Rejected(_, response) = &outcome {
                        use crate::error::RequestId as _;
                        crate::telemetry::record_request_id(
                            &crate::telemetry::current(),
                            response.request_id(),
                        );
                    }
                    outcome
                }
                Err(err) => Attempt::Construction(err),
            }
        };
        let one = crate::telemetry::instrument(
            crate::telemetry::attempt_span(attempt, max_attempts),
            one,
        );
        let outcome = match attempt_timeout {
            Some(limit) => tokio::time::timeout(limit, one).await.unwrap_or_else(|_| {
                Attempt::Timeout(TimeoutElapsed::new(TimeoutKind::OperationAttempt, limit))
            }),
            None => one.await,
        };
        let (kind, timed_out) = match &outcome {
            Attempt::Response(response) => {
                let code = error_code(response);
                if response.is_success() && code.is_none() {
                    quota.release(retry_cost.unwrap_or(NO_RETRY_INCREMENT));
                    return outcome.into_result();
                }
                // A success status with an error body counts as a 500 (botocore).
                let status = if response.is_success() {
                    500
                } else {
                    response.status
                };
                let skewed = code
                    .as_deref()
                    .is_some_and(|code| CLOCK_SKEW_ERROR_CODES.contains(&code))
                    && config.clock_skew().get() != 0;
                if skewed {
                    // The next attempt signs with the server's time.
                    (Some(ErrorKind::TransientError), false)
                } else {
                    (classify_response(status, code.as_deref()), false)
                }
            }
            Attempt::Construction(_) | Attempt::Rejected(..) => (None, false),
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
        let delay = backoff(retry, attempt);
        crate::telemetry::retrying(attempt, &Reason(&outcome), delay);
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

/// What bounds reading a response: the read timeout, stalled-stream protection and the
/// largest buffered body.
struct ReadLimits {
    read_timeout: Option<Duration>,
    stalled: StalledStreamProtectionConfig,
    max_body: u64,
    /// Hand the body of a success response back as a stream instead of reading it.
    streaming_response: bool,
    /// That stream is an event stream: neither the read timeout nor stalled-stream
    /// protection bounds it.
    events: bool,
}

/// The read limits of `config`, defaults filled in: the read timeout (default
/// [`DEFAULT_READ_TIMEOUT`]), stalled-stream protection (default on) and the body bound.
fn read_limits(config: &Config) -> ReadLimits {
    let mut timeouts = config
        .timeout_config()
        .cloned()
        .unwrap_or_else(|| TimeoutConfig::builder().build());
    timeouts.take_defaults_from(
        &TimeoutConfig::builder()
            .read_timeout(DEFAULT_READ_TIMEOUT)
            .build(),
    );
    ReadLimits {
        read_timeout: timeouts.read_timeout(),
        stalled: config.stalled_stream_protection().unwrap_or_default(),
        max_body: config.max_response_body_size(),
        streaming_response: false,
        events: false,
    }
}

/// The `amz-sdk-request` value, as the official SDK's `RequestInfoInterceptor` builds it:
/// `attempt=N; max=M`, preceded by `ttl=YYYYMMDDTHHMMSSZ` (UTC, whole seconds) when both the
/// read timeout and the server's clock are known: `now + read_timeout + service_skew`, where
/// `service_skew` is how far ahead of the local clock the last `Date` header of this call was
/// (zero when behind).
pub(crate) fn request_info(
    attempt: u32,
    max_attempts: u32,
    read_timeout: Option<Duration>,
    service_skew: Option<Duration>,
    now: SystemTime,
) -> String {
    let ttl = read_timeout
        .zip(service_skew)
        .and_then(|(read, skew)| read.checked_add(skew))
        .and_then(|ahead| now.checked_add(ahead))
        .and_then(|ttl| crate::sigv4::format_time(ttl).ok());
    match ttl {
        Some((_, ttl)) => format!("ttl={ttl}; attempt={attempt}; max={max_attempts}"),
        None => format!("attempt={attempt}; max={max_attempts}"),
    }
}

/// A fresh `amz-sdk-invocation-id`: a random (version 4) UUID, the same for every attempt of
/// one call (the generator of idempotency tokens).
fn invocation_id() -> String {
    crate::idempotency::token()
}

/// One exchange: sends `request`, waits for the head within the read timeout, records the
/// clock skew, refuses redirects and oversized bodies, and reads the body within the limits.
async fn exchange(
    client: &dyn HttpClient,
    mut request: HttpRequest,
    limits: &ReadLimits,
    skew: &ClockSkew,
    service_skew: &mut Option<Duration>,
) -> Attempt {
    // The read timeout counts from the end of the request body: a streaming upload that is
    // still being sent is not waiting for an answer; while it is sent, stalled-stream
    // protection (uploads) checks how fast the HTTP client takes its bytes.
    let progress = Arc::new(Progress::default());
    let started = Instant::now();
    if request.body.is_streaming() {
        let body = std::mem::take(&mut request.body);
        request.body = Body::from_http_body(Sent {
            body,
            progress: Arc::clone(&progress),
        });
    } else {
        let _ = progress.done.set(started);
    }
    let upload_grace = limits
        .stalled
        .upload_enabled()
        .then(|| limits.stalled.grace_period())
        .filter(|grace| !grace.is_zero());
    let call = client.call(request);
    tokio::pin!(call);
    let mut window_start = started;
    let mut window_from: u64 = 0;
    let response = loop {
        let done_at = progress.done.get().copied();
        let deadline = match done_at {
            Some(done) => limits.read_timeout.map(|limit| done + limit),
            // Still sending: wake at the end of the grace period, or every second to notice
            // the end of the upload (its time is recorded, so the read timeout stays exact).
            None => Some(
                upload_grace.map_or(Instant::now() + UPLOAD_TICK, |grace| window_start + grace),
            ),
        };
        let Some(deadline) = deadline else {
            break call.await;
        };
        if let Ok(result) = tokio::time::timeout_at(deadline, &mut call).await {
            break result;
        }
        let now = Instant::now();
        match progress.done.get().copied() {
            Some(done) => {
                if let Some(limit) = limits.read_timeout
                    && now >= done + limit
                {
                    return Attempt::Timeout(TimeoutElapsed::read(limit, "the response head"));
                }
            }
            None => {
                if let Some(grace) = upload_grace
                    && now >= window_start + grace
                {
                    let sent = progress.bytes.load(Ordering::Acquire);
                    let in_window = sent.saturating_sub(window_from);
                    let minimum = limits.stalled.minimum_throughput();
                    if u128::from(in_window) < u128::from(minimum) * grace.as_millis() / 1000 {
                        return Attempt::Timeout(TimeoutElapsed {
                            stalled: Some((in_window, minimum, "request")),
                            ..TimeoutElapsed::new(TimeoutKind::StalledStream, grace)
                        });
                    }
                    window_start = now;
                    window_from = sent;
                }
            }
        }
    };
    let response = match response {
        Ok(response) => response,
        Err(err) => return Attempt::Dispatch(err),
    };
    let local = SystemTime::now();
    let server = http_date(response.header("date"));
    skew.record(server, local);
    if let Some(server) = server {
        *service_skew = Some(server.duration_since(local).unwrap_or(Duration::ZERO));
    }
    // 304 Not Modified answers a conditional request; it redirects nowhere.
    if (300..400).contains(&response.status) && response.status != 304 {
        let location = response
            .header("location")
            .unwrap_or("(no location header)")
            .to_owned();
        let status = response.status;
        return Attempt::Rejected(
            ResponseRejected::Redirect { status, location },
            head_only(response),
        );
    }
    if limits.streaming_response && response.is_success() {
        let HttpResponse {
            status,
            headers,
            body,
        } = response;
        let body = if body.is_streaming() {
            Body::from_http_body(Received::new(body, limits))
        } else {
            body
        };
        return Attempt::Response(HttpResponse {
            status,
            headers,
            body,
        });
    }
    let announced = response
        .header("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(size) = announced.filter(|size| *size > limits.max_body) {
        return Attempt::Rejected(
            ResponseRejected::BodyTooLarge {
                limit: limits.max_body,
                size: Some(size),
            },
            head_only(response),
        );
    }
    let HttpResponse {
        status,
        headers,
        body,
    } = response;
    match read_body(body, announced, limits).await {
        Ok(body) => Attempt::Response(HttpResponse {
            status,
            headers,
            body,
        }),
        Err(ReadFailure::Transport(err)) => Attempt::Dispatch(err),
        Err(ReadFailure::Timeout(err)) => Attempt::Timeout(err),
        Err(ReadFailure::TooLarge) => Attempt::Rejected(
            ResponseRejected::BodyTooLarge {
                limit: limits.max_body,
                size: None,
            },
            HttpResponse {
                status,
                headers,
                body: Body::empty(),
            },
        ),
    }
}

/// The response's status and headers, without its body (which is dropped unread).
fn head_only(response: HttpResponse) -> HttpResponse {
    HttpResponse {
        status: response.status,
        headers: response.headers,
        body: Body::empty(),
    }
}

/// How often the wait for a response checks whether a streaming upload has ended, when
/// stalled-stream protection does not wake it sooner.
const UPLOAD_TICK: Duration = Duration::from_secs(1);

/// How far a streaming request body has been sent: bytes taken by the HTTP client, and when
/// the body ended.
#[derive(Debug, Default)]
struct Progress {
    bytes: AtomicU64,
    done: OnceLock<Instant>,
}

/// A streaming request body that reports its [`Progress`].
struct Sent {
    body: Body,
    progress: Arc<Progress>,
}

impl http_body::Body for Sent {
    type Data = bytes::Bytes;
    type Error = crate::http::BoxError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        let polled = std::pin::Pin::new(&mut self.body).poll_frame(cx);
        match &polled {
            std::task::Poll::Ready(None | Some(Err(_))) => {
                let _ = self.progress.done.set(Instant::now());
            }
            std::task::Poll::Ready(Some(Ok(frame))) => {
                let len = frame.data_ref().map_or(0, |data| data.len() as u64);
                self.progress.bytes.fetch_add(len, Ordering::Release);
            }
            std::task::Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// The streaming body of a success response as its reader reads it, bounded as [`read_body`]
/// bounds a buffered one: the read timeout between parts and stalled-stream protection (the
/// body bound does not apply). A limit that fires ends the body with a [`TimeoutElapsed`].
struct Received {
    body: Body,
    read_timeout: Option<Duration>,
    /// Stalled-stream protection: the grace period and the minimum throughput in B/s.
    stall: Option<(Duration, u64)>,
    last_data: Instant,
    window_start: Instant,
    window_bytes: u64,
    /// Wakes the reader at the next deadline while the body has nothing to give.
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
    /// Set once a limit fired: the body gives nothing more.
    done: bool,
}

impl Received {
    fn new(body: Body, limits: &ReadLimits) -> Self {
        let now = Instant::now();
        let stall = (limits.stalled.download_enabled() && !limits.events)
            .then(|| {
                (
                    limits.stalled.grace_period(),
                    limits.stalled.minimum_throughput(),
                )
            })
            .filter(|(grace, _)| !grace.is_zero());
        Self {
            body,
            read_timeout: limits.read_timeout.filter(|_| !limits.events),
            stall,
            last_data: now,
            window_start: now,
            window_bytes: 0,
            timer: Box::pin(tokio::time::sleep_until(now)),
            done: false,
        }
    }

    /// The limit that has fired by `now`, if any; a finished stall window starts the next.
    fn check(&mut self, now: Instant) -> Option<TimeoutElapsed> {
        if let Some(limit) = self.read_timeout
            && now >= self.last_data + limit
        {
            return Some(TimeoutElapsed::read(limit, "more of the response body"));
        }
        if let Some((grace, minimum)) = self.stall
            && now >= self.window_start + grace
        {
            let required = u128::from(minimum) * grace.as_millis() / 1000;
            if u128::from(self.window_bytes) < required {
                return Some(TimeoutElapsed {
                    stalled: Some((self.window_bytes, minimum, "response")),
                    ..TimeoutElapsed::new(TimeoutKind::StalledStream, grace)
                });
            }
            self.window_start = now;
            self.window_bytes = 0;
        }
        None
    }

    fn next_deadline(&self) -> Option<Instant> {
        [
            self.read_timeout.map(|t| self.last_data + t),
            self.stall.map(|(grace, _)| self.window_start + grace),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

impl http_body::Body for Received {
    type Data = bytes::Bytes;
    type Error = crate::http::BoxError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        use std::task::Poll;
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        let polled = std::pin::Pin::new(&mut this.body).poll_frame(cx);
        let now = Instant::now();
        match polled {
            Poll::Ready(Some(Ok(frame))) => {
                let len = frame.data_ref().map_or(0, |data| data.len() as u64);
                if len > 0 {
                    this.last_data = now;
                    this.window_bytes = this.window_bytes.saturating_add(len);
                }
                if let Some(err) = this.check(now) {
                    this.done = true;
                    return Poll::Ready(Some(Err(err.into())));
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => {
                if let Some(err) = this.check(now) {
                    this.done = true;
                    return Poll::Ready(Some(Err(err.into())));
                }
                let Some(deadline) = this.next_deadline() else {
                    return Poll::Pending;
                };
                this.timer.as_mut().reset(deadline);
                match this.timer.as_mut().poll(cx) {
                    // The deadline passed between the check and now: poll again at once.
                    Poll::Ready(()) => {
                        cx.waker().wake_by_ref();
                        Poll::Pending
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done || self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

enum ReadFailure {
    Transport(ConnectorError),
    Timeout(TimeoutElapsed),
    TooLarge,
}

/// Reads a response body into memory within the limits: at most `max_body` bytes, the read
/// timeout between parts, and (stalled-stream protection) at least `minimum_throughput ×
/// grace_period` bytes in each grace period spent waiting. A failure reading it is a transport
/// failure (the client's own [`ConnectorError`] when it gives one, else an I/O failure).
async fn read_body(
    body: Body,
    announced: Option<u64>,
    limits: &ReadLimits,
) -> Result<Body, ReadFailure> {
    if !body.is_streaming() {
        return match body.bytes() {
            Some(bytes) if bytes.len() as u64 > limits.max_body => Err(ReadFailure::TooLarge),
            _ => Ok(body),
        };
    }
    // Room for the announced length, but not more than 1 MiB before the bytes come: a server
    // announcing a large body and sending nothing costs no memory.
    let capacity = announced.map_or(0, |n| usize::try_from(n.min(1 << 20)).unwrap_or(0));
    let mut out = Vec::with_capacity(capacity);
    // The same limits as a streaming response's reader gets.
    let mut body = Body::from_http_body(Received::new(body, limits));
    while let Some(chunk) = body.next_chunk().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(err) => {
                let err = match err.downcast::<TimeoutElapsed>() {
                    Ok(timeout) => return Err(ReadFailure::Timeout(*timeout)),
                    Err(err) => err,
                };
                return Err(ReadFailure::Transport(
                    match err.downcast::<ConnectorError>() {
                        Ok(err) => *err,
                        Err(err) => ConnectorError::io(err),
                    },
                ));
            }
        };
        if (out.len() as u64).saturating_add(chunk.len() as u64) > limits.max_body {
            return Err(ReadFailure::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(Body::from(out))
}

/// Sends `request` for operation `op` with retries and timeouts (see the module docs),
/// returning the last response whatever its status, or why none came. `call` is what the
/// call's input adds to the endpoint (host prefix, rule parameters); `env` stands for the
/// process environment.
pub async fn send(
    config: &Config,
    op: &OperationMeta,
    request: ProtocolRequest,
    error_code: ErrorCodeFn<'_>,
    env: EnvLookup<'_>,
    call: &CallEndpoint,
) -> Result<HttpResponse, SendError> {
    let mut template = request;
    let can_retry = template.body.is_replayable();
    let response_body = match (op.streaming_output, op.event_stream_output) {
        (_, true) => ResponseBody::Events,
        (true, false) => ResponseBody::Stream,
        (false, false) => ResponseBody::Buffered,
    };
    dispatch_with(config, error_code, can_retry, response_body, || {
        // A buffered body is cloned for each attempt, a replayable stream made again; another
        // streaming body is taken by the only attempt.
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
        build_request(config, op, attempt, env, call)
    })
    .await
}

/// Builds and signs the request [`send`] would send, without sending it.
pub async fn build_request(
    config: &Config,
    op: &OperationMeta,
    request: ProtocolRequest,
    env: EnvLookup<'_>,
    call: &CallEndpoint,
) -> Result<HttpRequest, ConstructionError> {
    let Prepared {
        mut request,
        credentials,
        signing_region,
        signing_name,
        settings,
    } = prepare(config, op, request, env, call, Purpose::Send).await?;
    let Some(credentials) = credentials else {
        return Ok(request);
    };
    let signing = crate::sigv4::signing_headers(
        &request,
        &credentials,
        &signing_region,
        &signing_name,
        config.clock_skew().now(),
        &settings,
    )
    .map_err(ConstructionError::Signing)?;
    request.headers.extend(signing);
    Ok(request)
}

/// Builds the request [`send`] would send up to signing, and presigns it (signature in the
/// query string, [`crate::sigv4::presign_with`]) at the presigning config's start time
/// instead of sending it; see [`crate::presigning`] for what differs from a sent request.
pub async fn presign_request(
    config: &Config,
    op: &OperationMeta,
    request: ProtocolRequest,
    env: EnvLookup<'_>,
    call: &CallEndpoint,
    presigning: &crate::presigning::PresigningConfig,
    payload: crate::presigning::PresignedPayload,
) -> Result<crate::presigning::PresignedRequest, ConstructionError> {
    let Prepared {
        request,
        credentials,
        signing_region,
        signing_name,
        settings,
    } = prepare(config, op, request, env, call, Purpose::Presign).await?;
    let Some(credentials) = credentials else {
        return Err(ConstructionError::Signing(
            format!(
                "{} is modelled without authentication: there is no signature to presign",
                op.name
            )
            .into(),
        ));
    };
    let payload_hash = match payload {
        crate::presigning::PresignedPayload::Unsigned => crate::sigv4::UNSIGNED_PAYLOAD.to_owned(),
        crate::presigning::PresignedPayload::Empty => crate::sigv4::empty_payload_hash(),
    };
    let presigned = crate::sigv4::presign_with(
        &request,
        &credentials,
        &signing_region,
        &signing_name,
        presigning.start_time(),
        presigning.expires(),
        &payload_hash,
        &settings,
    )
    .map_err(|e| ConstructionError::Signing(e.into()))?;
    crate::presigning::PresignedRequest::new(request.method, presigned.into_uri(), request.headers)
        .map_err(ConstructionError::Signing)
}

/// What a request is built for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Signed in its headers and sent.
    Send,
    /// Presigned: no `user-agent`, no `content-length` of the (absent) body, no
    /// `x-amz-content-sha256` header.
    Presign,
}

/// A request built up to signing, and how to sign it.
struct Prepared {
    request: HttpRequest,
    /// `None` for an operation modelled without auth (sent unsigned).
    credentials: Option<crate::config::Credentials>,
    signing_region: String,
    signing_name: String,
    settings: crate::sigv4::SigningSettings,
}

/// The request for `purpose` up to signing: endpoint (with the host prefix), `host`, the
/// protocol's headers, `content-length`, `user-agent`, the rules' headers, then the config's
/// request mutators; and the credentials, region, name and settings to sign it with.
async fn prepare(
    config: &Config,
    op: &OperationMeta,
    request: ProtocolRequest,
    env: EnvLookup<'_>,
    call: &CallEndpoint,
    purpose: Purpose,
) -> Result<Prepared, ConstructionError> {
    let service = op.service;
    let region = crate::env::region(config, env)?;
    let mut endpoint = endpoint::resolve(config, service, &region, env, call)?;
    if let Some(prefix) = &call.host_prefix
        && !crate::env::flag(
            config.disable_host_prefix_injection(),
            crate::env::ENV_DISABLE_HOST_PREFIX_INJECTION,
            env,
        )?
    {
        endpoint.prefix_host(prefix);
    }
    // An operation modelled without auth needs no credentials and is sent unsigned.
    let credentials = if op.no_auth {
        None
    } else {
        Some(crate::env::credentials(config, env).await?)
    };

    let ProtocolRequest {
        method,
        path_and_query,
        headers: protocol_headers,
        body,
    } = request;
    let mut headers = Vec::with_capacity(protocol_headers.len() + 8);
    headers.push(("host".to_owned(), endpoint.host));
    headers.extend(protocol_headers);
    if purpose == Purpose::Send {
        // A GET or HEAD without a body carries no `content-length` (as the SDKs send them).
        if let Some(length) = body.content_length()
            && !(length == 0 && matches!(method, "GET" | "HEAD"))
        {
            headers.push(("content-length".to_owned(), length.to_string()));
        }
        // With S3's signing settings the signer adds the payload hash itself.
        if body.is_streaming() && !endpoint.signing.content_sha256_header {
            let hash = crate::sigv4::streaming_payload_hash(&headers);
            headers.push(("x-amz-content-sha256".to_owned(), hash.to_owned()));
        }
        headers.push((
            "user-agent".to_owned(),
            crate::user_agent::user_agent(service),
        ));
    }
    headers.extend(endpoint.headers);
    let mut request = HttpRequest {
        method: method.to_owned(),
        uri: format!("{}{path_and_query}", endpoint.url.trim_end_matches('/')),
        headers,
        body,
    };
    // `.customize().mutate_request(..)`: before signing, so the changes are signed.
    for mutate in config.request_mutators() {
        mutate(&mut request);
    }
    Ok(Prepared {
        request,
        credentials,
        signing_region: endpoint
            .signing_region
            .unwrap_or_else(|| region.as_ref().to_owned()),
        signing_name: endpoint
            .signing_name
            .unwrap_or_else(|| service.signing_name.to_owned()),
        settings: endpoint.signing,
    })
}

#[cfg(test)]
mod tests;
