//! The default credentials chain and region chain, in the SDKs' order.
//!
//! Credentials: environment variables; the shared files' selected profile (static keys,
//! `credential_process`, `role_arn` with `source_profile`/`credential_source`, web identity);
//! web identity from the environment; container credentials (ECS, EKS Pod Identity); EC2
//! instance metadata (IMDSv2). A provider that does not apply (`CredentialsNotLoaded`) passes
//! to the next; any other error ends the chain, as in the official chain. When none applies the
//! error names each provider tried and why it was skipped.
//!
//! Region: `AWS_REGION`/`AWS_DEFAULT_REGION`, the profile's `region`, then IMDS ([`region()`],
//! and as a [`ProvideRegion`](crate::meta::region::ProvideRegion) in the [`region`](mod@region) module).

use crate::provider_config::ProviderConfig;
use aws_lite_runtime::config::{
    Credentials, CredentialsError, ProvideCredentials, Region, SharedCredentialsProvider,
};
use aws_lite_runtime::credentials::future;
use std::fmt;

/// Why no provider of the chain applied: each provider and its reason.
#[derive(Debug)]
pub struct NoProviderApplied {
    /// (provider, why it was skipped), in chain order.
    pub tried: Vec<(&'static str, String)>,
}

impl fmt::Display for NoProviderApplied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no credentials found by the default chain; tried ")?;
        for (i, (name, why)) in self.tried.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{name}: {why}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NoProviderApplied {}

/// The text of an error and its sources, on one line.
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// The default credentials chain.
#[derive(Clone, Debug)]
pub struct DefaultCredentialsChain {
    providers: Vec<(&'static str, SharedCredentialsProvider)>,
}

impl DefaultCredentialsChain {
    /// The chain over `config`'s environment, files and HTTP client.
    pub fn from_config(config: &ProviderConfig) -> Self {
        Self {
            providers: vec![
                (
                    "Environment",
                    SharedCredentialsProvider::new(
                        crate::environment::EnvironmentVariableCredentialsProvider::from_config(
                            config,
                        ),
                    ),
                ),
                (
                    "Profile",
                    SharedCredentialsProvider::new(
                        crate::profile::credentials::ProfileFileCredentialsProvider::from_config(
                            config,
                        ),
                    ),
                ),
                (
                    "WebIdentityToken",
                    SharedCredentialsProvider::new(
                        crate::web_identity::WebIdentityTokenCredentialsProvider::from_env(config),
                    ),
                ),
                (
                    "EcsContainer",
                    SharedCredentialsProvider::new(
                        crate::ecs::EcsCredentialsProvider::from_config(config),
                    ),
                ),
                (
                    "Ec2InstanceMetadata",
                    SharedCredentialsProvider::new(
                        crate::imds::ImdsCredentialsProvider::from_config(config),
                    ),
                ),
            ],
        }
    }

    /// The process's chain.
    pub fn new() -> Self {
        Self::from_config(&ProviderConfig::default())
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(CredentialsError::CredentialsNotLoaded(why)) => {
                    tried.push((*name, error_chain(why.as_ref())));
                }
                Err(other) => {
                    return Err(CredentialsError::provider_error(ProviderFailed {
                        provider: name,
                        error: other,
                    }));
                }
            }
        }
        Err(CredentialsError::not_loaded(NoProviderApplied { tried }))
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

/// A provider of the chain failed (not merely did not apply): the chain stops there.
#[derive(Debug)]
pub struct ProviderFailed {
    /// The provider.
    pub provider: &'static str,
    /// Its error.
    pub error: CredentialsError,
}

impl fmt::Display for ProviderFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} provider failed", self.provider)
    }
}

impl std::error::Error for ProviderFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}

/// The region: environment, then the selected profile's `region`, then IMDS.
pub async fn region(config: &ProviderConfig) -> Option<Region> {
    if let Some(region) = crate::environment::region(config) {
        return Some(region);
    }
    if let Some(region) = config.profiles().ok().and_then(|p| p.get("region")) {
        return Some(Region::new(region.trim().to_owned()));
    }
    crate::imds::ImdsCredentialsProvider::from_config(config)
        .region()
        .await
}

/// The default region chain as a provider, with the official
/// `aws_config::default_provider::region` API.
pub mod region {
    use crate::meta::region::{ProvideRegion, future};
    use crate::provider_config::ProviderConfig;
    use aws_lite_runtime::config::Region;

    /// The default region chain of the process: `AWS_REGION`, `AWS_DEFAULT_REGION`, the
    /// selected profile's `region` (`AWS_PROFILE`, else `default`), then IMDS.
    pub fn default_provider() -> impl ProvideRegion {
        Builder::default().build()
    }

    /// The default region chain (see [`default_provider`]).
    #[derive(Debug)]
    pub struct DefaultRegionChain {
        config: ProviderConfig,
    }

    impl DefaultRegionChain {
        /// The first region the chain finds, looked up on each call.
        pub async fn region(&self) -> Option<Region> {
            super::region(&self.config).await
        }

        /// A builder to choose the profile (and, in tests, the environment and files).
        pub fn builder() -> Builder {
            Builder::default()
        }
    }

    impl ProvideRegion for DefaultRegionChain {
        fn region(&self) -> future::ProvideRegion<'_> {
            future::ProvideRegion::new(DefaultRegionChain::region(self))
        }
    }

    /// Builds a [`DefaultRegionChain`].
    #[derive(Debug, Default)]
    pub struct Builder {
        config: Option<ProviderConfig>,
        profile_name: Option<String>,
    }

    impl Builder {
        /// Reads environment, files and IMDS through `config` instead of the process's.
        pub fn configure(mut self, config: &ProviderConfig) -> Self {
            self.config = Some(config.clone());
            self
        }

        /// Reads the `region` of profile `name` instead of `AWS_PROFILE`'s or `default`'s.
        pub fn profile_name(mut self, name: &str) -> Self {
            self.profile_name = Some(name.to_owned());
            self
        }

        /// The chain.
        pub fn build(self) -> DefaultRegionChain {
            let mut config = self.config.unwrap_or_default();
            if let Some(name) = self.profile_name {
                config = config.with_profile_name(name);
            }
            DefaultRegionChain { config }
        }
    }
}
