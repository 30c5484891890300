//! The AWS default configuration chain without the official `aws-config` crate's dependency
//! tree, with its API where users touch it:
//!
//! ```no_run
//! # async fn f() {
//! use aws_config::meta::region::RegionProviderChain;
//!
//! let sdk_config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
//! // let client = aws_sdk_sts::Client::new(&sdk_config);
//!
//! // The region chain, else us-east-1.
//! let region_provider = RegionProviderChain::default_provider().or_else("us-east-1");
//! let sdk_config = aws_config::from_env().region(region_provider).load().await;
//! # }
//! ```
//!
//! - [`profile`]: the shared config and credentials files, and credentials from a profile;
//! - [`environment`], [`web_identity`], [`ecs`], [`imds`], [`credential_process`]: the
//!   providers; `role_arn` and web identity go through the generated STS client;
//! - [`default_provider`]: the chains; [`meta::region`]: region providers and the
//!   `RegionProviderChain`; [`os`] and [`provider_config`]: what providers read (replaceable
//!   in tests).
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod credential_process;
pub mod default_provider;
pub mod ecs;
pub mod environment;
pub mod imds;
pub mod meta;
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
use aws_lite_runtime::config::{Credentials, ProvideCredentials, SharedCredentialsProvider};
use aws_lite_runtime::http::{HttpClient, SharedHttpClient};
use meta::region::ProvideRegion;

/// Shared configuration: a runtime [`Config`](aws_lite_runtime::config::Config), which every
/// generated `Client::new(&sdk_config)` takes. Clients made from one `SdkConfig` share its
/// identity cache (one credentials load serves them all) and HTTP client.
pub type SdkConfig = aws_lite_runtime::config::Config;

/// Loads the default configuration: region and credentials chains (see
/// [`default_provider`]), endpoint URLs from the environment and profile, per service (see
/// [`service_config`]).
pub async fn load_defaults(behavior_version: BehaviorVersion) -> SdkConfig {
    defaults(behavior_version).load().await
}

/// A loader with the default chains and `behavior_version`, to adjust before
/// [`ConfigLoader::load`].
pub fn defaults(behavior_version: BehaviorVersion) -> ConfigLoader {
    ConfigLoader::default().behavior_version(behavior_version)
}

/// A loader with the default chains and the latest behavior version, to adjust before
/// [`ConfigLoader::load`].
///
/// The official crate offers it without a deprecation warning only with its
/// `behavior-version-latest` feature; here it is always there (only the latest behavior
/// exists), and the feature is accepted and does nothing.
pub fn from_env() -> ConfigLoader {
    defaults(BehaviorVersion::latest())
}

/// Loads the default configuration with the latest behavior version:
/// `load_defaults(BehaviorVersion::latest())` (see [`from_env`] about the official crate's
/// `behavior-version-latest` feature).
pub async fn load_from_env() -> SdkConfig {
    from_env().load().await
}

/// The access key id [`ConfigLoader::test_credentials`] sets (the official crate's
/// `Credentials::for_tests()`).
pub const TEST_ACCESS_KEY_ID: &str = "ANOTREAL";
/// The secret access key [`ConfigLoader::test_credentials`] sets.
pub const TEST_SECRET_ACCESS_KEY: &str = "notrealrnrELgWzOk3IfjzDKtFBhDby";

/// Loads shared configuration; anything set here wins over the chains.
#[derive(Debug, Default)]
pub struct ConfigLoader {
    region: Option<Box<dyn ProvideRegion>>,
    credentials_provider: Option<SharedCredentialsProvider>,
    profile_name: Option<String>,
    endpoint_url: Option<String>,
    http_client: Option<SharedHttpClient>,
    behavior_version: Option<BehaviorVersion>,
    provider_config: Option<ProviderConfig>,
}

impl ConfigLoader {
    /// Takes the region from `region` instead of the default region chain: a [`Region`], a
    /// `&'static str`, an `Option<Region>` (`None`: no region) or any
    /// [`ProvideRegion`], such as a
    /// [`RegionProviderChain`](meta::region::RegionProviderChain). Asked once, by
    /// [`load`](Self::load).
    pub fn region(mut self, region: impl ProvideRegion + 'static) -> Self {
        self.region = Some(Box::new(region));
        self
    }

    /// Uses `provider` instead of the default credentials chain.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials_provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Signs with fixed test credentials (access key id [`TEST_ACCESS_KEY_ID`], secret
    /// [`TEST_SECRET_ACCESS_KEY`]) instead of the credentials chain, as the official loader:
    /// for local stand-ins such as DynamoDB Local, which need signed requests but check no
    /// keys. The region is left to the region chain (or [`region`](Self::region)).
    pub fn test_credentials(self) -> Self {
        self.credentials_provider(Credentials::new(
            TEST_ACCESS_KEY_ID,
            TEST_SECRET_ACCESS_KEY,
            None,
            None,
            "test",
        ))
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
        let region = match &self.region {
            Some(provider) => provider.region().await,
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
