//! Credentials and region from environment variables.

use crate::provider_config::ProviderConfig;
use aws_lite_runtime::config::{Credentials, CredentialsError, ProvideCredentials, Region};
use aws_lite_runtime::credentials::future;

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional `AWS_SESSION_TOKEN` (blank
/// counts as unset).
#[derive(Debug, Clone, Default)]
pub struct EnvironmentVariableCredentialsProvider {
    config: ProviderConfig,
}

impl EnvironmentVariableCredentialsProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the environment of `config`.
    pub fn from_config(config: &ProviderConfig) -> Self {
        Self {
            config: config.clone(),
        }
    }

    /// The credentials, or why there are none.
    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let env = self.config.env();
        let key = env.get_non_empty("AWS_ACCESS_KEY_ID").ok_or_else(|| {
            CredentialsError::not_loaded("environment variable not set: AWS_ACCESS_KEY_ID")
        })?;
        let secret = env.get_non_empty("AWS_SECRET_ACCESS_KEY").ok_or_else(|| {
            CredentialsError::not_loaded("environment variable not set: AWS_SECRET_ACCESS_KEY")
        })?;
        Ok(Credentials::new(
            key.trim(),
            secret.trim(),
            env.get_non_empty("AWS_SESSION_TOKEN")
                .map(|t| t.trim().to_owned()),
            None,
            "EnvironmentVariable",
        ))
    }
}

impl ProvideCredentials for EnvironmentVariableCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.credentials())
    }
}

/// The region from `AWS_REGION`, else `AWS_DEFAULT_REGION`.
pub fn region(config: &ProviderConfig) -> Option<Region> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .into_iter()
        .find_map(|name| config.env().get_non_empty(name))
        .map(|r| Region::new(r.trim().to_owned()))
}
