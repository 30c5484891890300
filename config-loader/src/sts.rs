//! `AssumeRole` and `AssumeRoleWithWebIdentity` through the generated STS client.

use crate::profile::credentials::RoleArn;
use crate::provider_config::ProviderConfig;
use aws_lite_runtime::config::{BehaviorVersion, Credentials, CredentialsError, Region};
use aws_lite_runtime::error::DisplayErrorContext;
use std::time::SystemTime;

/// The region STS is called in when neither the profile nor the config names one (as the
/// official providers do).
const DEFAULT_STS_REGION: &str = "us-east-1";

/// An STS client for `config`: its region (else us-east-1), HTTP client and endpoint
/// override (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`), signing with `credentials` if any.
pub(crate) fn client(
    config: &ProviderConfig,
    credentials: Option<Credentials>,
) -> aws_lite_sts::Client {
    let mut builder = aws_lite_sts::Config::builder()
        .region(
            config
                .region()
                .cloned()
                .unwrap_or(Region::from_static(DEFAULT_STS_REGION)),
        )
        .behavior_version(BehaviorVersion::latest())
        // The credentials are fetched once per provider call: no cache of their own.
        .identity_cache(aws_lite_runtime::config::IdentityCache::no_cache());
    if let Some(credentials) = credentials {
        builder = builder.credentials_provider(credentials);
    }
    let (fips, dual_stack) = crate::sso::endpoint_flags(config);
    builder.set_use_fips(fips);
    builder.set_use_dual_stack(dual_stack);
    if let Some(client) = config.http_client() {
        builder.set_http_client(Some(client.clone()));
    }
    if let Some(url) = config.endpoint_url("STS") {
        builder = builder.endpoint_url(url);
    }
    aws_lite_sts::Client::from_conf(builder.build())
}

/// A session name when the profile gives none, as the SDKs make one.
pub(crate) fn default_session_name(prefix: &str, now: SystemTime) -> String {
    let millis = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("{prefix}-{millis}")
}

pub(crate) fn convert(
    credentials: Option<&aws_lite_sts::types::Credentials>,
    provider_name: &'static str,
) -> Result<Credentials, CredentialsError> {
    let c = credentials
        .ok_or_else(|| CredentialsError::provider_error("STS answered without credentials"))?;
    let expiry = SystemTime::try_from(*c.expiration()).map_err(|e| {
        CredentialsError::provider_error(format!("STS credentials' expiration: {e}"))
    })?;
    Ok(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        Some(expiry),
        provider_name,
    ))
}

/// Assumes `role` with `source` credentials.
pub(crate) async fn assume_role(
    config: &ProviderConfig,
    source: Credentials,
    role: &RoleArn,
) -> Result<Credentials, CredentialsError> {
    let session_name = role
        .session_name
        .clone()
        .unwrap_or_else(|| default_session_name("aws-sdk-rust", config.now()));
    let mut request = client(config, Some(source))
        .assume_role()
        .role_arn(role.role_arn.clone())
        .role_session_name(session_name);
    if let Some(external_id) = &role.external_id {
        request = request.external_id(external_id.clone());
    }
    let output = request.send().await.map_err(|e| {
        CredentialsError::provider_error(format!(
            "AssumeRole {} failed: {}",
            role.role_arn,
            DisplayErrorContext(&e)
        ))
    })?;
    convert(output.credentials(), "AssumeRoleProvider")
}
