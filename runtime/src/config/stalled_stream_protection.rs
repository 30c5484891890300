//! Stalled-stream protection, with the API of the official SDK's
//! `config::StalledStreamProtectionConfig` (`enabled()`, `disabled()`, `grace_period`,
//! `upload_enabled`, `download_enabled`), plus [`minimum_throughput`](Builder::minimum_throughput).
//!
//! On by default. While a response body is being read, the bytes received in each grace
//! period are counted (and while a streaming request body is sent, the bytes the HTTP client
//! takes); fewer than `minimum_throughput × grace_period` ends the attempt with a
//! [`TimeoutElapsed`](crate::orchestrator::TimeoutElapsed) of kind
//! [`StalledStream`](crate::orchestrator::TimeoutKind::StalledStream) (retried like other
//! timeouts). The official crate's minimum is 1 byte per second, which lets a server sending
//! one byte a second hold a call for as long as it likes; the default here is
//! [`DEFAULT_MINIMUM_THROUGHPUT`] (1 KiB/s), over a [`DEFAULT_GRACE_PERIOD`] of 5 s as in the
//! official crate. The check applies only while the client waits for body bytes: a body that
//! arrives whole is never affected.

use std::time::Duration;

/// The grace period when none is set (as in the official SDK).
pub const DEFAULT_GRACE_PERIOD: Duration = Duration::from_secs(5);

/// The minimum throughput, in bytes per second, when none is set.
pub const DEFAULT_MINIMUM_THROUGHPUT: u64 = 1024;

/// Whether and how stalled streams are detected (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StalledStreamProtectionConfig {
    upload_enabled: bool,
    download_enabled: bool,
    grace_period: Duration,
    minimum_throughput: u64,
}

impl StalledStreamProtectionConfig {
    /// A builder with protection enabled for uploads and downloads.
    pub fn enabled() -> Builder {
        Builder {
            upload_enabled: None,
            download_enabled: None,
            grace_period: None,
            minimum_throughput: None,
        }
    }

    /// Protection disabled.
    pub fn disabled() -> Self {
        Self {
            upload_enabled: false,
            download_enabled: false,
            grace_period: DEFAULT_GRACE_PERIOD,
            minimum_throughput: DEFAULT_MINIMUM_THROUGHPUT,
        }
    }

    /// True if protection is enabled for uploads or downloads.
    pub fn is_enabled(&self) -> bool {
        self.upload_enabled || self.download_enabled
    }

    /// True if protection is enabled for uploads (streaming request bodies: the HTTP client
    /// must take at least the minimum throughput's bytes in each grace period).
    pub fn upload_enabled(&self) -> bool {
        self.upload_enabled
    }

    /// True if protection is enabled for downloads (response bodies).
    pub fn download_enabled(&self) -> bool {
        self.download_enabled
    }

    /// How long throughput may stay below the minimum before the stream counts as stalled.
    pub fn grace_period(&self) -> Duration {
        self.grace_period
    }

    /// The minimum throughput, in bytes per second.
    pub fn minimum_throughput(&self) -> u64 {
        self.minimum_throughput
    }
}

impl Default for StalledStreamProtectionConfig {
    /// Enabled, with the default grace period and minimum throughput.
    fn default() -> Self {
        Self::enabled().build()
    }
}

/// Builder for [`StalledStreamProtectionConfig`], from
/// [`StalledStreamProtectionConfig::enabled`].
#[derive(Clone, Debug, Default)]
pub struct Builder {
    upload_enabled: Option<bool>,
    download_enabled: Option<bool>,
    grace_period: Option<Duration>,
    minimum_throughput: Option<u64>,
}

impl Builder {
    /// Sets the grace period (default 5 s).
    pub fn grace_period(mut self, grace_period: Duration) -> Self {
        self.grace_period = Some(grace_period);
        self
    }

    /// Enables or disables protection for uploads (default enabled).
    pub fn upload_enabled(mut self, enabled: bool) -> Self {
        self.upload_enabled = Some(enabled);
        self
    }

    /// Enables or disables protection for downloads (default enabled).
    pub fn download_enabled(mut self, enabled: bool) -> Self {
        self.download_enabled = Some(enabled);
        self
    }

    /// Sets the minimum throughput in bytes per second (default 1 KiB/s; not in the
    /// official API, whose minimum is fixed at 1 B/s).
    pub fn minimum_throughput(mut self, bytes_per_second: u64) -> Self {
        self.minimum_throughput = Some(bytes_per_second);
        self
    }

    /// The config.
    pub fn build(self) -> StalledStreamProtectionConfig {
        StalledStreamProtectionConfig {
            upload_enabled: self.upload_enabled.unwrap_or(true),
            download_enabled: self.download_enabled.unwrap_or(true),
            grace_period: self.grace_period.unwrap_or(DEFAULT_GRACE_PERIOD),
            minimum_throughput: self
                .minimum_throughput
                .unwrap_or(DEFAULT_MINIMUM_THROUGHPUT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_enabled_and_disabled() {
        let default = StalledStreamProtectionConfig::default();
        assert!(default.is_enabled() && default.download_enabled() && default.upload_enabled());
        assert_eq!(default.grace_period(), Duration::from_secs(5));
        assert_eq!(default.minimum_throughput(), 1024);
        let off = StalledStreamProtectionConfig::disabled();
        assert!(!off.is_enabled() && !off.download_enabled());
        let custom = StalledStreamProtectionConfig::enabled()
            .grace_period(Duration::from_millis(300))
            .upload_enabled(false)
            .minimum_throughput(10)
            .build();
        assert!(custom.is_enabled() && !custom.upload_enabled());
        assert_eq!(custom.grace_period(), Duration::from_millis(300));
        assert_eq!(custom.minimum_throughput(), 10);
    }
}
