//! Per-service settings from the environment and the shared config file ("Service-specific
//! endpoints" in the AWS SDKs and Tools Reference Guide; the official `aws-config`'s
//! `EnvServiceConfig`): for a setting such as `AWS_ENDPOINT_URL` / `endpoint_url` and a service
//! such as `Direct Connect`, the first of
//!
//! 1. the service's environment variable, `AWS_ENDPOINT_URL_DIRECT_CONNECT`;
//! 2. the global environment variable, `AWS_ENDPOINT_URL`;
//! 3. the service's entry in the `services` section the selected profile names:
//!    ```ini
//!    [profile dev]
//!    services = local
//!    [services local]
//!    direct_connect =
//!      endpoint_url = http://localhost:4566
//!    ```
//! 4. the selected profile's own key, `endpoint_url`.
//!
//! `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or the profile's
//! `ignore_configured_endpoint_urls = true`) turns every configured endpoint URL off; one set
//! in code (`ConfigLoader::endpoint_url`, `Config::builder().endpoint_url(..)`) still applies.
//! Empty values count as unset.

use crate::provider_config::ProviderConfig;
use aws_lite_runtime::config::service_config::{LoadServiceConfig, ServiceConfigKey};

/// The environment variable of the endpoint URL setting.
pub const ENV_ENDPOINT_URL: &str = "AWS_ENDPOINT_URL";
/// The profile key of the endpoint URL setting.
pub const PROFILE_ENDPOINT_URL: &str = "endpoint_url";
/// The environment variable turning configured endpoint URLs off.
pub const ENV_IGNORE_CONFIGURED_ENDPOINT_URLS: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
/// The profile key turning configured endpoint URLs off.
pub const PROFILE_IGNORE_CONFIGURED_ENDPOINT_URLS: &str = "ignore_configured_endpoint_urls";

/// Per-service settings read from a [`ProviderConfig`]'s environment and profiles.
///
/// `Debug` shows no value (the environment holds secrets).
#[derive(Clone, Debug)]
pub struct EnvServiceConfig {
    config: ProviderConfig,
    ignore_configured_endpoint_urls: bool,
}

impl EnvServiceConfig {
    /// Settings from `config`; whether configured endpoint URLs are ignored is read now
    /// (environment first, then the profile; `true`/`false`, any case).
    pub fn from_config(config: &ProviderConfig) -> Self {
        let ignore = config
            .flag(
                ENV_IGNORE_CONFIGURED_ENDPOINT_URLS,
                PROFILE_IGNORE_CONFIGURED_ENDPOINT_URLS,
            )
            .unwrap_or(false);
        EnvServiceConfig {
            config: config.clone(),
            ignore_configured_endpoint_urls: ignore,
        }
    }

    /// Whether `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls` is
    /// set.
    pub fn ignores_configured_endpoint_urls(&self) -> bool {
        self.ignore_configured_endpoint_urls
    }

    /// The global value of a setting: its environment variable, else the selected profile's
    /// key (the endpoint URL's is `None` when configured endpoint URLs are ignored).
    pub fn global(&self, env: &str, profile: &str) -> Option<String> {
        if self.ignore_configured_endpoint_urls && env == ENV_ENDPOINT_URL {
            return None;
        }
        self.config.env().get_non_empty(env).or_else(|| {
            self.config
                .profiles()
                .ok()
                .and_then(|p| p.get(profile))
                .filter(|v| !v.trim().is_empty())
                .map(str::to_owned)
        })
    }

    /// The value of `key` in the service's entry of the `services` section the selected
    /// profile names.
    fn services_section(&self, key: &ServiceConfigKey<'_>) -> Option<String> {
        let profiles = self.config.profiles().ok()?;
        let section = profiles.other_section("services", profiles.get("services")?.trim())?;
        let block = section.get(key.service_profile_key())?;
        crate::profile::parser::sub_properties(block)
            .find(|(name, _)| name.eq_ignore_ascii_case(key.profile()))
            .map(|(_, value)| value.to_owned())
            .filter(|v| !v.is_empty())
    }
}

impl LoadServiceConfig for EnvServiceConfig {
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
        if self.ignore_configured_endpoint_urls && key.env() == ENV_ENDPOINT_URL {
            return None;
        }
        let env = self.config.env();
        env.get_non_empty(&key.service_env())
            .or_else(|| env.get_non_empty(key.env()))
            .or_else(|| self.services_section(&key))
            .or_else(|| {
                self.config
                    .profiles()
                    .ok()
                    .and_then(|p| p.get(key.profile()))
                    .filter(|v| !v.trim().is_empty())
                    .map(str::to_owned)
            })
    }
}
