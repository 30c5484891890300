//! Retry settings, with the API of `aws-smithy-types`' `retry` module at the path the official
//! SDK crates use (`config::retry`). The runtime's own types, so that crate stays out of the
//! default build; with the `aws-config` feature, `aws-smithy-types`' `RetryConfig` converts
//! into this one.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Why a failed attempt may be retried.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A connection or server hiccup: retry.
    TransientError,
    /// The service asks the client to slow down: retry, with backoff.
    ThrottlingError,
    /// The service failed (5xx).
    ServerError,
    /// The request was wrong (4xx): not retried.
    ClientError,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TransientError => "transient error",
            Self::ThrottlingError => "throttling error",
            Self::ServerError => "server error",
            Self::ClientError => "client error",
        })
    }
}

/// The retry strategy.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryMode {
    /// Exponential backoff with jitter and a retry quota.
    Standard,
    /// As `Standard`, plus client-side rate limiting in the official SDK; this runtime treats
    /// it as `Standard`.
    Adaptive,
}

const VALID_RETRY_MODES: &[&str] = &["standard", "adaptive"];

impl FromStr for RetryMode {
    type Err = RetryModeParseError;

    /// `standard` or `adaptive`, in any case, surrounding whitespace ignored.
    fn from_str(string: &str) -> Result<Self, Self::Err> {
        let string = string.trim();
        if string.eq_ignore_ascii_case("standard") {
            Ok(RetryMode::Standard)
        } else if string.eq_ignore_ascii_case("adaptive") {
            Ok(RetryMode::Adaptive)
        } else {
            Err(RetryModeParseError {
                message: string.to_owned(),
            })
        }
    }
}

/// A string that is not a [`RetryMode`].
#[derive(Debug)]
pub struct RetryModeParseError {
    message: String,
}

impl fmt::Display for RetryModeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error parsing string '{}' as RetryMode, valid options are: {:#?}",
            self.message, VALID_RETRY_MODES
        )
    }
}

impl std::error::Error for RetryModeParseError {}

/// Whether a connection is dropped after a transient error.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReconnectMode {
    /// Drop the connection after a transient error (the default).
    ReconnectOnTransientError,
    /// Keep every connection.
    ReuseAllConnections,
}

/// Retry settings: how many attempts, and the backoff between them.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    reconnect_mode: ReconnectMode,
    use_static_exponential_base: bool,
}

impl RetryConfig {
    /// Standard mode: 3 attempts, backoff from 1 s up to 20 s.
    pub fn standard() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            reconnect_mode: ReconnectMode::ReconnectOnTransientError,
            use_static_exponential_base: false,
        }
    }

    /// Adaptive mode, otherwise as [`standard`](Self::standard).
    pub fn adaptive() -> Self {
        Self::standard().with_retry_mode(RetryMode::Adaptive)
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Sets the mode.
    pub fn with_retry_mode(mut self, retry_mode: RetryMode) -> Self {
        self.mode = retry_mode;
        self
    }

    /// Sets the number of attempts, the first included (1 disables retries).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the reconnect mode.
    pub fn with_reconnect_mode(mut self, reconnect_mode: ReconnectMode) -> Self {
        self.reconnect_mode = reconnect_mode;
        self
    }

    /// Sets the backoff before the first retry (doubling for each further one).
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the longest backoff.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Backoff without jitter: exactly `initial_backoff * 2^(retry - 1)`, capped (for tests).
    pub fn with_use_static_exponential_base(mut self, use_static_exponential_base: bool) -> Self {
        self.use_static_exponential_base = use_static_exponential_base;
        self
    }

    /// The mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    /// The reconnect mode.
    pub fn reconnect_mode(&self) -> ReconnectMode {
        self.reconnect_mode
    }

    /// The number of attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Whether a failed attempt may be retried at all.
    pub fn has_retry(&self) -> bool {
        self.max_attempts > 1
    }

    /// Whether backoff has no jitter.
    pub fn use_static_exponential_base(&self) -> bool {
        self.use_static_exponential_base
    }
}

/// Builder for [`RetryConfig`]; unset values take [`RetryConfig::standard`]'s.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RetryConfigBuilder {
    mode: Option<RetryMode>,
    max_attempts: Option<u32>,
    initial_backoff: Option<Duration>,
    max_backoff: Option<Duration>,
    reconnect_mode: Option<ReconnectMode>,
}

impl RetryConfigBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets or clears the mode.
    pub fn set_mode(&mut self, retry_mode: Option<RetryMode>) -> &mut Self {
        self.mode = retry_mode;
        self
    }

    /// Sets the mode.
    pub fn mode(mut self, mode: RetryMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Sets the reconnect mode.
    pub fn reconnect_mode(mut self, reconnect_mode: ReconnectMode) -> Self {
        self.reconnect_mode = Some(reconnect_mode);
        self
    }

    /// Sets or clears the reconnect mode.
    pub fn set_reconnect_mode(&mut self, reconnect_mode: Option<ReconnectMode>) -> &mut Self {
        self.reconnect_mode = reconnect_mode;
        self
    }

    /// Sets or clears the number of attempts.
    pub fn set_max_attempts(&mut self, max_attempts: Option<u32>) -> &mut Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the number of attempts, the first included.
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = Some(max_attempts);
        self
    }

    /// Sets or clears the initial backoff.
    pub fn set_initial_backoff(&mut self, initial_backoff: Option<Duration>) -> &mut Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the initial backoff.
    pub fn initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = Some(initial_backoff);
        self
    }

    /// Sets or clears the longest backoff.
    pub fn set_max_backoff(&mut self, max_backoff: Option<Duration>) -> &mut Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Sets the longest backoff.
    pub fn max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = Some(max_backoff);
        self
    }

    /// Fills the values this builder leaves unset from `other`.
    pub fn take_unset_from(self, other: Self) -> Self {
        Self {
            mode: self.mode.or(other.mode),
            max_attempts: self.max_attempts.or(other.max_attempts),
            initial_backoff: self.initial_backoff.or(other.initial_backoff),
            max_backoff: self.max_backoff.or(other.max_backoff),
            reconnect_mode: self.reconnect_mode.or(other.reconnect_mode),
        }
    }

    /// The config.
    pub fn build(self) -> RetryConfig {
        let standard = RetryConfig::standard();
        RetryConfig {
            mode: self.mode.unwrap_or(standard.mode),
            max_attempts: self.max_attempts.unwrap_or(standard.max_attempts),
            initial_backoff: self.initial_backoff.unwrap_or(standard.initial_backoff),
            max_backoff: self.max_backoff.unwrap_or(standard.max_backoff),
            reconnect_mode: self.reconnect_mode.unwrap_or(standard.reconnect_mode),
            use_static_exponential_base: false,
        }
    }
}

#[cfg(feature = "aws-config")]
impl From<&aws_smithy_types::retry::RetryConfig> for RetryConfig {
    /// The same settings (`SdkConfig`'s retry config).
    fn from(other: &aws_smithy_types::retry::RetryConfig) -> Self {
        use aws_smithy_types::retry as theirs;
        RetryConfig::standard()
            .with_retry_mode(match other.mode() {
                theirs::RetryMode::Adaptive => RetryMode::Adaptive,
                _ => RetryMode::Standard,
            })
            .with_max_attempts(other.max_attempts())
            .with_initial_backoff(other.initial_backoff())
            .with_max_backoff(other.max_backoff())
            .with_reconnect_mode(match other.reconnect_mode() {
                theirs::ReconnectMode::ReuseAllConnections => ReconnectMode::ReuseAllConnections,
                _ => ReconnectMode::ReconnectOnTransientError,
            })
            .with_use_static_exponential_base(other.use_static_exponential_base())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_builder_and_modes() {
        let standard = RetryConfig::standard();
        assert_eq!(standard.max_attempts(), 3);
        assert_eq!(standard.initial_backoff(), Duration::from_secs(1));
        assert_eq!(standard.max_backoff(), Duration::from_secs(20));
        assert!(standard.has_retry() && !RetryConfig::disabled().has_retry());
        assert_eq!(RetryConfigBuilder::new().build(), standard);
        let built = RetryConfigBuilder::new()
            .max_attempts(5)
            .take_unset_from(
                RetryConfigBuilder::new()
                    .max_attempts(9)
                    .max_backoff(Duration::from_secs(2)),
            )
            .build();
        assert_eq!(
            (built.max_attempts(), built.max_backoff()),
            (5, Duration::from_secs(2))
        );
        assert_eq!(
            " Adaptive ".parse::<RetryMode>().unwrap(),
            RetryMode::Adaptive
        );
        let err = "fast".parse::<RetryMode>().unwrap_err().to_string();
        assert!(
            err.starts_with("error parsing string 'fast' as RetryMode"),
            "{err}"
        );
        assert_eq!(ErrorKind::ThrottlingError.to_string(), "throttling error");
    }
}
