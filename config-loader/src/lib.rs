//! The AWS default configuration chain without the official `aws-config` crate's dependency
//! tree, with its API where users touch it:
//!
//! ```no_run
//! # async fn f() {
//! let sdk_config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
//! // let client = aws_sdk_sts::Client::new(&sdk_config);
//! # }
//! ```
//!
//! - [`profile`]: the shared config and credentials files, and credentials from a profile;
//! - [`environment`], [`web_identity`], [`ecs`], [`imds`], [`credential_process`]: the
//!   providers; `role_arn` and web identity go through the generated STS client;
//! - [`default_provider`]: the chains; [`os`] and [`provider_config`]: what providers read
//!   (replaceable in tests).
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod credential_process;
pub mod default_provider;
pub mod ecs;
pub mod environment;
pub mod imds;
pub mod os;
pub mod profile;
pub mod provider_config;
pub mod service_config;
pub mod sso;
mod sts;
mod time;
pub mod web_identity;

pub use aws_lite_runtime::config::{BehaviorVersion, Region};
pub use provider_config::ProviderConfig;

use aws_lite_runtime::config::service_config::SharedServiceConfig;
use aws_lite_runtime::config::{ProvideCredentials, SharedCredentialsProvider};
use aws_lite_runtime::http::{HttpClient, SharedHttpClient};

/// Shared configuration: a runtime [`Config`](aws_lite_runtime::config::Config), which every
/// generated `Client::new(&sdk_config)` takes. Clients made from one `SdkConfig` share its
/// identity cache (one credentials load serves them all) and HTTP client.
pub type SdkConfig = aws_lite_runtime::config::Config;

/// Loads the default configuration: region and credentials chains (see
/// [`default_provider`]), endpoint URLs from the environment and profile, per service (see
/// [`service_config`]).
pub async fn load_defaults(behavior_version: BehaviorVersion) -> SdkConfig {
    from_env().behavior_version(behavior_version).load().await
}

/// A loader with the default chains, to adjust before [`ConfigLoader::load`].
pub fn from_env() -> ConfigLoader {
    ConfigLoader::default()
}

/// Loads shared configuration; anything set here wins over the chains.
#[derive(Debug, Default)]
pub struct ConfigLoader {
    region: Option<Region>,
    credentials_provider: Option<SharedCredentialsProvider>,
    profile_name: Option<String>,
    endpoint_url: Option<String>,
    http_client: Option<SharedHttpClient>,
    behavior_version: Option<BehaviorVersion>,
    provider_config: Option<ProviderConfig>,
}

impl ConfigLoader {
    /// Uses `region` instead of the region chain.
    pub fn region(mut self, region: impl Into<Option<Region>>) -> Self {
        self.region = region.into();
        self
    }

    /// Uses `provider` instead of the default credentials chain.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials_provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Selects the profile `name` instead of `AWS_PROFILE`/`default`.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// Sends every request of clients built from the config to `url`.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses `client` for the providers' requests and the clients'.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(SharedHttpClient::new(client));
        self
    }

    /// Sets the behavior version.
    pub fn behavior_version(mut self, version: BehaviorVersion) -> Self {
        self.behavior_version = Some(version);
        self
    }

    /// Reads environment and files through `config` (tests).
    pub fn configure(mut self, config: ProviderConfig) -> Self {
        self.provider_config = Some(config);
        self
    }

    /// Resolves region and endpoint now; credentials are loaded on first use and cached by
    /// the config's identity cache.
    pub async fn load(self) -> SdkConfig {
        let mut provider_config = self.provider_config.unwrap_or_default();
        if let Some(name) = &self.profile_name {
            provider_config = provider_config.with_profile_name(name.clone());
        }
        if let Some(client) = &self.http_client {
            provider_config = provider_config.with_http_client(client.clone());
        }
        let region = match self.region {
            Some(region) => Some(region),
            None => default_provider::region(&provider_config).await,
        };
        let provider_config = provider_config.with_region(region.clone());
        let credentials = self.credentials_provider.unwrap_or_else(|| {
            SharedCredentialsProvider::new(default_provider::DefaultCredentialsChain::from_config(
                &provider_config,
            ))
        });
        let mut builder = SdkConfig::builder().behavior_version(
            self.behavior_version
                .unwrap_or_else(BehaviorVersion::latest),
        );
        builder.set_region(region);
        builder.set_credentials_provider(Some(credentials));
        // Endpoint URLs, as the official loader: one set here wins everywhere (and
        // `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` does not apply to it); otherwise each client
        // asks the service config for its own (`AWS_ENDPOINT_URL_<SERVICE>`, ...; see
        // `service_config`), falling back to the global one.
        let service_config = service_config::EnvServiceConfig::from_config(&provider_config);
        match self.endpoint_url {
            Some(url) => {
                builder.set_endpoint_url(Some(url));
            }
            None => {
                builder.set_configured_endpoint_url(service_config.global(
                    service_config::ENV_ENDPOINT_URL,
                    service_config::PROFILE_ENDPOINT_URL,
                ));
            }
        }
        builder.set_service_config(Some(SharedServiceConfig::new(service_config)));
        builder.set_http_client(self.http_client);
        let (fips, dual_stack) = sso::endpoint_flags(&provider_config);
        builder.set_use_fips(fips);
        builder.set_use_dual_stack(dual_stack);
        builder.set_disable_host_prefix_injection(provider_config.flag(
            "AWS_DISABLE_HOST_PREFIX_INJECTION",
            "disable_host_prefix_injection",
        ));
        builder.set_retry_config(retry_config(&provider_config));
        builder.build()
    }
}

/// `AWS_RETRY_MODE` / `retry_mode` (`standard`, `adaptive`; `legacy` counts as standard) and
/// `AWS_MAX_ATTEMPTS` / `max_attempts`, environment first; `None` when neither is set or a
/// value is not understood (the runtime's default, standard with 3 attempts, applies).
fn retry_config(config: &ProviderConfig) -> Option<aws_lite_runtime::config::retry::RetryConfig> {
    use aws_lite_runtime::config::retry::RetryConfig;
    let setting = |env: &str, key: &str| {
        config.env().get_non_empty(env).or_else(|| {
            config
                .profiles()
                .ok()
                .and_then(|p| p.get(key))
                .map(str::to_owned)
        })
    };
    let mode = setting("AWS_RETRY_MODE", "retry_mode");
    let attempts = setting("AWS_MAX_ATTEMPTS", "max_attempts")
        .and_then(|n| n.trim().parse::<u32>().ok())
        .filter(|n| *n > 0);
    if mode.is_none() && attempts.is_none() {
        return None;
    }
    let base = match mode.as_deref().map(|m| m.trim().to_ascii_lowercase()) {
        Some(m) if m == "adaptive" => RetryConfig::adaptive(),
        _ => RetryConfig::standard(),
    };
    Some(match attempts {
        Some(n) => base.with_max_attempts(n),
        None => base,
    })
}
