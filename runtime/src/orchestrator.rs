//! What every operation call goes through, whatever its protocol: the endpoint from the
//! service's rule set, the standard retry strategy, and timeouts.
//!
//! A protocol module builds and signs its request in a closure and hands it to
//! [`dispatch`] with a function that reads an error response's code; [`dispatch`] sends,
//! classifies the outcome and retries as the AWS SDKs' *standard* retry mode does:
//!
//! - retried: throttling codes ([`THROTTLING_ERROR_CODES`]), transient codes
//!   ([`TRANSIENT_ERROR_CODES`]), HTTP 500/502/503/504, transport I/O failures (connect
//!   errors, resets, a connection closed without an answer) and timeouts (the transport's, or
//!   the operation attempt timeout); never another 4xx or a modelled client error;
//! - at most [`RetryConfig::max_attempts`] attempts (default 3), each built anew so it is
//!   signed with a fresh date;
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

use crate::config::retry::ErrorKind;
use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::config::{Config, Region};
use crate::endpoint::{self, RuleSet};
use crate::http::{ConnectorError, HttpClient, HttpRequest, HttpResponse};
use crate::json::{ConstructionError, EnvLookup, SendError};
use crate::service::ServiceMeta;
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

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
/// `|r| json::parse_error_metadata(r).code().map(str::to_owned)`.
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
/// `error_code` reads the code of an error response for classification.
pub async fn dispatch<B, Fut>(
    config: &Config,
    error_code: ErrorCodeFn<'_>,
    build_request: B,
) -> Result<HttpResponse, SendError>
where
    B: FnMut() -> Fut + Send,
    Fut: Future<Output = Result<HttpRequest, ConstructionError>> + Send,
{
    let client = config
        .resolve_http_client()
        .map_err(|e| SendError::ConstructionFailure(ConstructionError::HttpClient(e.into())))?;
    let retry = config
        .retry_config()
        .cloned()
        .unwrap_or_else(RetryConfig::standard);
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
                    Ok(response) => Attempt::Response(response),
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

/// Where a request goes and how it is signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RequestEndpoint {
    /// The base URL, ending in `/`.
    pub(crate) url: String,
    /// The `host` header value.
    pub(crate) host: String,
    /// Headers the endpoint rules ask for.
    pub(crate) headers: Vec<(String, String)>,
    /// `signingRegion` of the endpoint's sigv4 auth scheme, if any.
    pub(crate) signing_region: Option<String>,
    /// `signingName` of the endpoint's sigv4 auth scheme, if any.
    pub(crate) signing_name: Option<String>,
}

/// Environment variable enabling FIPS endpoints when the config does not say.
pub const ENV_USE_FIPS_ENDPOINT: &str = "AWS_USE_FIPS_ENDPOINT";
/// Environment variable enabling dual-stack endpoints when the config does not say.
pub const ENV_USE_DUALSTACK_ENDPOINT: &str = "AWS_USE_DUALSTACK_ENDPOINT";

fn flag(
    configured: Option<bool>,
    name: &'static str,
    env: EnvLookup<'_>,
) -> Result<bool, ConstructionError> {
    if let Some(value) = configured {
        return Ok(value);
    }
    match env(name) {
        None => Ok(false),
        Some(value) if value.is_empty() => Ok(false),
        Some(value) if value.eq_ignore_ascii_case("true") => Ok(true),
        Some(value) if value.eq_ignore_ascii_case("false") => Ok(false),
        Some(value) => Err(ConstructionError::InvalidEnvironment { name, value }),
    }
}

/// The endpoint for one request of `service` in `region`.
///
/// With a rule set, its parameters are the region, FIPS and dual-stack (from the config,
/// else `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`) and the config's endpoint URL;
/// the rules decide, custom endpoint included. Without one, the config's endpoint URL, else
/// `https://{endpoint_prefix}.{region}.amazonaws.com/` (FIPS and dual-stack unsupported).
pub(crate) fn resolve_request_endpoint(
    config: &Config,
    service: &ServiceMeta,
    region: &Region,
    env: EnvLookup<'_>,
) -> Result<RequestEndpoint, ConstructionError> {
    let use_fips = flag(config.use_fips(), ENV_USE_FIPS_ENDPOINT, env)?;
    let use_dual_stack = flag(config.use_dual_stack(), ENV_USE_DUALSTACK_ENDPOINT, env)?;
    let Some(rule_set) = service.endpoint_rule_set else {
        if use_fips || use_dual_stack {
            return Err(ConstructionError::EndpointSettingUnsupported {
                setting: if use_fips {
                    "use_fips"
                } else {
                    "use_dual_stack"
                },
            });
        }
        let base = crate::json::resolve_endpoint(config.endpoint_url(), service, region)?;
        return Ok(RequestEndpoint {
            url: base.url,
            host: base.host,
            headers: Vec::new(),
            signing_region: None,
            signing_name: None,
        });
    };
    if config.endpoint_url().is_none() && !is_valid_region(region.as_ref()) {
        // The rules would put it in the host name as is.
        return Err(ConstructionError::InvalidRegion(region.as_ref().to_owned()));
    }
    let rules = RuleSet::cached(rule_set).map_err(ConstructionError::Endpoint)?;
    let params = endpoint::Params {
        region: Some(region.as_ref().to_owned()),
        use_fips,
        use_dual_stack,
        endpoint: config.endpoint_url().map(str::to_owned),
        ..endpoint::Params::default()
    };
    let resolved = rules
        .resolve(&params)
        .map_err(ConstructionError::Endpoint)?;
    let base = crate::json::resolve_endpoint(Some(&resolved.url), service, region)?;
    let scheme = resolved.sigv4_auth_scheme();
    let text = |key: &str| {
        scheme
            .and_then(|s| s.get(key))
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Ok(RequestEndpoint {
        url: base.url,
        host: base.host,
        headers: resolved
            .headers
            .iter()
            .flat_map(|(name, values)| values.iter().map(move |v| (name.clone(), v.clone())))
            .collect(),
        signing_region: text("signingRegion"),
        signing_name: text("signingName"),
    })
}

/// Letters, digits and inner dashes: what can go into a host name.
fn is_valid_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

#[cfg(test)]
mod tests;
