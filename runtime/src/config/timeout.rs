//! Timeout settings, with the API of `aws-smithy-types`' `timeout` module at the path the
//! official SDK crates use (`config::timeout`). The runtime's own types, so that crate stays
//! out of the default build; with the `aws-config` feature, `aws-smithy-types`'
//! `TimeoutConfig` converts into this one.

use std::time::Duration;

/// A timeout that is set, explicitly disabled, or left to a default.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum CanDisable {
    Disabled,
    #[default]
    Unset,
    Set(Duration),
}

impl CanDisable {
    fn from_option(value: Option<Duration>) -> Self {
        value.map_or(CanDisable::Disabled, CanDisable::Set)
    }

    fn value(self) -> Option<Duration> {
        match self {
            CanDisable::Set(value) => Some(value),
            _ => None,
        }
    }

    fn or(self, lower_priority: Self) -> Self {
        match self {
            CanDisable::Unset => lower_priority,
            set_or_disabled => set_or_disabled,
        }
    }
}

/// Timeouts: connecting, reading, each attempt, and the whole operation (retries included).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub struct TimeoutConfig {
    connect_timeout: CanDisable,
    read_timeout: CanDisable,
    operation_timeout: CanDisable,
    operation_attempt_timeout: CanDisable,
}

impl TimeoutConfig {
    /// A builder.
    pub fn builder() -> TimeoutConfigBuilder {
        TimeoutConfigBuilder::new()
    }

    /// A builder holding these settings.
    pub fn to_builder(&self) -> TimeoutConfigBuilder {
        self.clone().into_builder()
    }

    /// A builder holding these settings.
    pub fn into_builder(self) -> TimeoutConfigBuilder {
        TimeoutConfigBuilder { inner: self }
    }

    /// Fills the timeouts this config leaves unset (neither set nor disabled) from `other`.
    pub fn take_defaults_from(&mut self, other: &TimeoutConfig) -> &mut Self {
        self.connect_timeout = self.connect_timeout.or(other.connect_timeout);
        self.read_timeout = self.read_timeout.or(other.read_timeout);
        self.operation_timeout = self.operation_timeout.or(other.operation_timeout);
        self.operation_attempt_timeout = self
            .operation_attempt_timeout
            .or(other.operation_attempt_timeout);
        self
    }

    /// Every timeout disabled.
    pub fn disabled() -> TimeoutConfig {
        TimeoutConfig {
            connect_timeout: CanDisable::Disabled,
            read_timeout: CanDisable::Disabled,
            operation_timeout: CanDisable::Disabled,
            operation_attempt_timeout: CanDisable::Disabled,
        }
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout.value()
    }

    /// The read timeout.
    pub fn read_timeout(&self) -> Option<Duration> {
        self.read_timeout.value()
    }

    /// The timeout of the whole operation, retries included.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout.value()
    }

    /// The timeout of each attempt.
    pub fn operation_attempt_timeout(&self) -> Option<Duration> {
        self.operation_attempt_timeout.value()
    }

    /// Whether any timeout is set.
    pub fn has_timeouts(&self) -> bool {
        [
            self.connect_timeout,
            self.read_timeout,
            self.operation_timeout,
            self.operation_attempt_timeout,
        ]
        .iter()
        .any(|t| t.value().is_some())
    }
}

/// Builder for [`TimeoutConfig`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub struct TimeoutConfigBuilder {
    inner: TimeoutConfig,
}

impl Default for TimeoutConfigBuilder {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! timeout_setters {
    ($($field:ident, $set:ident, $disable:ident, $what:literal;)*) => {
        $(
            #[doc = concat!("Sets the ", $what, ".")]
            pub fn $field(mut self, timeout: Duration) -> Self {
                self.inner.$field = CanDisable::Set(timeout);
                self
            }

            #[doc = concat!("Sets the ", $what, "; `None` disables it.")]
            pub fn $set(&mut self, timeout: Option<Duration>) -> &mut Self {
                self.inner.$field = CanDisable::from_option(timeout);
                self
            }

            #[doc = concat!("Disables the ", $what, ".")]
            pub fn $disable(mut self) -> Self {
                self.inner.$field = CanDisable::Disabled;
                self
            }
        )*
    };
}

impl TimeoutConfigBuilder {
    /// Every timeout unset.
    pub fn new() -> Self {
        TimeoutConfigBuilder {
            inner: TimeoutConfig {
                connect_timeout: CanDisable::Unset,
                read_timeout: CanDisable::Unset,
                operation_timeout: CanDisable::Unset,
                operation_attempt_timeout: CanDisable::Unset,
            },
        }
    }

    timeout_setters! {
        connect_timeout, set_connect_timeout, disable_connect_timeout, "connect timeout";
        read_timeout, set_read_timeout, disable_read_timeout, "read timeout";
        operation_timeout, set_operation_timeout, disable_operation_timeout, "timeout of the whole operation, retries included";
        operation_attempt_timeout, set_operation_attempt_timeout, disable_operation_attempt_timeout, "timeout of each attempt";
    }

    /// Fills the timeouts this builder leaves unset from `other`.
    pub fn take_unset_from(mut self, other: Self) -> Self {
        self.inner.take_defaults_from(&other.inner);
        self
    }

    /// The config.
    pub fn build(self) -> TimeoutConfig {
        self.inner
    }
}

impl From<TimeoutConfig> for TimeoutConfigBuilder {
    fn from(config: TimeoutConfig) -> Self {
        config.into_builder()
    }
}

#[cfg(feature = "aws-config")]
impl From<&aws_smithy_types::timeout::TimeoutConfig> for TimeoutConfig {
    /// The same timeouts (`SdkConfig`'s timeout config). An unset timeout there stays unset
    /// here, so defaults still apply; `aws-smithy-types` does not tell unset from disabled
    /// through its getters, so a disabled one also comes through as unset.
    fn from(other: &aws_smithy_types::timeout::TimeoutConfig) -> Self {
        let mut builder = TimeoutConfigBuilder::new();
        let pick = |value: Option<Duration>| value.map_or(CanDisable::Unset, CanDisable::Set);
        builder.inner.connect_timeout = pick(other.connect_timeout());
        builder.inner.read_timeout = pick(other.read_timeout());
        builder.inner.operation_timeout = pick(other.operation_timeout());
        builder.inner.operation_attempt_timeout = pick(other.operation_attempt_timeout());
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_unset_and_disabled_timeouts_merge_as_documented() {
        let s = Duration::from_secs;
        let mut config = TimeoutConfig::builder()
            .operation_timeout(s(5))
            .disable_read_timeout()
            .build();
        config.take_defaults_from(
            &TimeoutConfig::builder()
                .connect_timeout(s(3))
                .read_timeout(s(9))
                .operation_timeout(s(60))
                .build(),
        );
        assert_eq!(config.connect_timeout(), Some(s(3)));
        assert_eq!(config.read_timeout(), None);
        assert_eq!(config.operation_timeout(), Some(s(5)));
        assert_eq!(config.operation_attempt_timeout(), None);
        assert!(config.has_timeouts());
        assert!(!TimeoutConfig::disabled().has_timeouts());
        let mut builder = TimeoutConfig::builder();
        builder.set_operation_attempt_timeout(None);
        let mut disabled_attempt = builder.build();
        disabled_attempt.take_defaults_from(
            &TimeoutConfig::builder()
                .operation_attempt_timeout(s(1))
                .build(),
        );
        assert_eq!(disabled_attempt.operation_attempt_timeout(), None);
        assert_eq!(config.to_builder().build(), config);
    }
}
