//! Web identity (OIDC token file, as EKS IRSA and CI systems provide): `AssumeRoleWithWebIdentity`
//! through the generated STS client, sent unsigned.
//!
//! From the environment (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, optional
//! `AWS_ROLE_SESSION_NAME`) or a profile (`web_identity_token_file`, `role_arn`,
//! `role_session_name`). The token file is read again on every call (it is rotated).

use crate::provider_config::ProviderConfig;
use aws_lite_runtime::config::{Credentials, CredentialsError, ProvideCredentials};
use aws_lite_runtime::credentials::future;
use aws_lite_runtime::error::DisplayErrorContext;
use std::path::PathBuf;

/// What a web identity call needs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The role to assume.
    pub role_arn: String,
    /// The token file's path.
    pub token_file: String,
    /// The session name (generated when `None`).
    pub session_name: Option<String>,
}

/// Credentials for a role assumed with a web identity token.
#[derive(Clone, Debug)]
pub struct WebIdentityTokenCredentialsProvider {
    config: ProviderConfig,
    settings: Option<Settings>,
}

impl WebIdentityTokenCredentialsProvider {
    /// From `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`.
    pub fn from_env(config: &ProviderConfig) -> Self {
        Self {
            config: config.clone(),
            settings: None,
        }
    }

    /// From explicit settings (a profile's).
    pub fn from_settings(config: &ProviderConfig, settings: Settings) -> Self {
        Self {
            config: config.clone(),
            settings: Some(settings),
        }
    }

    fn settings(&self) -> Result<Settings, CredentialsError> {
        if let Some(settings) = &self.settings {
            return Ok(settings.clone());
        }
        let env = self.config.env();
        let token_file = env
            .get_non_empty("AWS_WEB_IDENTITY_TOKEN_FILE")
            .ok_or_else(|| {
                CredentialsError::not_loaded("AWS_WEB_IDENTITY_TOKEN_FILE was not set")
            })?;
        let role_arn = env.get_non_empty("AWS_ROLE_ARN").ok_or_else(|| {
            CredentialsError::invalid_configuration(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN was not set",
            )
        })?;
        Ok(Settings {
            role_arn,
            token_file,
            session_name: env.get_non_empty("AWS_ROLE_SESSION_NAME"),
        })
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let settings = self.settings()?;
        let token = self
            .config
            .fs()
            .read(&PathBuf::from(&settings.token_file))
            .map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "could not read the web identity token file {}: {e}",
                    settings.token_file
                ))
            })?;
        let token = String::from_utf8(token).map_err(|_| {
            CredentialsError::invalid_configuration(format!(
                "the web identity token file {} is not UTF-8",
                settings.token_file
            ))
        })?;
        let session_name = settings.session_name.clone().unwrap_or_else(|| {
            crate::sts::default_session_name("web-identity-token", self.config.now())
        });
        let output = crate::sts::client(&self.config, None)
            .assume_role_with_web_identity()
            .role_arn(settings.role_arn.clone())
            .role_session_name(session_name)
            .web_identity_token(token.trim().to_owned())
            .send()
            .await
            .map_err(|e| {
                CredentialsError::provider_error(format!(
                    "AssumeRoleWithWebIdentity {} failed: {}",
                    settings.role_arn,
                    DisplayErrorContext(&e)
                ))
            })?;
        crate::sts::convert(output.credentials(), "WebIdentityToken")
    }
}

impl ProvideCredentials for WebIdentityTokenCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}
