//! IAM Identity Center (SSO) credentials: the access token the AWS CLI cached
//! (`aws sso login`) in `~/.aws/sso/cache/<SHA-1 of the session name or start URL>.json`,
//! exchanged for role credentials by SSO's `GetRoleCredentials` (generated client, unsigned).
//!
//! With an `sso_session`, a token within 5 minutes of expiry is refreshed through SSO OIDC's
//! `CreateToken` (refresh-token grant) when the cache holds a refresh token and client
//! registration; the refreshed token is used in memory (not written back to the cache file).
//! Legacy profiles (`sso_start_url` in the profile) cannot refresh: an expired token is an
//! error telling to run `aws sso login`.

use crate::provider_config::ProviderConfig;
use aws_lite_runtime::checksum::ChecksumAlgorithm;
use aws_lite_runtime::config::{BehaviorVersion, Credentials, CredentialsError, Region};
use aws_lite_runtime::error::DisplayErrorContext;
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// What the profile says about SSO.
#[derive(Clone, Debug)]
pub struct SsoSettings {
    /// `sso_session`, if used (else legacy).
    pub session_name: Option<String>,
    /// The SSO region.
    pub region: String,
    /// The start URL.
    pub start_url: String,
    /// The account.
    pub account_id: String,
    /// The role.
    pub role_name: String,
}

/// The cached token (the cache file), never printed.
struct CachedToken {
    access_token: String,
    expires_at: SystemTime,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The cache file of `key` (session name, or start URL for legacy profiles).
pub fn cache_file(config: &ProviderConfig, key: &str) -> String {
    let hash: String = ChecksumAlgorithm::Sha1
        .digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    config.expand(&format!("~/.aws/sso/cache/{hash}.json"))
}

fn read_token(config: &ProviderConfig, path: &str) -> Result<CachedToken, CredentialsError> {
    let bytes = config.fs().read(&PathBuf::from(path)).map_err(|e| {
        CredentialsError::provider_error(format!(
            "failed to read `{path}`: {e} (run `aws sso login`)"
        ))
    })?;
    let invalid = |why: &str| {
        CredentialsError::provider_error(format!("the SSO token cache `{path}` is invalid: {why}"))
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| invalid("not JSON"))?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let access_token = field("accessToken").ok_or_else(|| invalid("no accessToken"))?;
    let expires_at = field("expiresAt").ok_or_else(|| invalid("no expiresAt"))?;
    let expires_at = crate::time::parse_rfc3339(&expires_at).map_err(|why| invalid(&why))?;
    Ok(CachedToken {
        access_token,
        expires_at,
        refresh_token: field("refreshToken"),
        client_id: field("clientId"),
        client_secret: field("clientSecret"),
    })
}

/// FIPS and dual-stack settings for the SSO/STS clients, from the provider config.
pub(crate) fn endpoint_flags(config: &ProviderConfig) -> (Option<bool>, Option<bool>) {
    (
        config.flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
        config.flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
    )
}

async fn refresh(
    config: &ProviderConfig,
    settings: &SsoSettings,
    token: &CachedToken,
) -> Result<String, String> {
    let (Some(refresh_token), Some(client_id), Some(client_secret)) =
        (&token.refresh_token, &token.client_id, &token.client_secret)
    else {
        return Err("the cached token has no refresh token or client registration".to_owned());
    };
    let mut builder = aws_lite_sso_oidc::Config::builder()
        .region(Region::new(settings.region.clone()))
        .behavior_version(BehaviorVersion::latest());
    if let Some(client) = config.http_client() {
        builder.set_http_client(Some(client.clone()));
    }
    if let Some(url) = config.endpoint_url("SSO OIDC") {
        builder = builder.endpoint_url(url);
    }
    let output = aws_lite_sso_oidc::Client::from_conf(builder.build())
        .create_token()
        .client_id(client_id.clone())
        .client_secret(client_secret.clone())
        .grant_type("refresh_token")
        .refresh_token(refresh_token.clone())
        .send()
        .await
        .map_err(|e| format!("CreateToken failed: {}", DisplayErrorContext(&e)))?;
    output
        .access_token()
        .map(str::to_owned)
        .ok_or_else(|| "CreateToken answered without an access token".to_owned())
}

/// Role credentials for `settings`.
pub(crate) async fn credentials(
    config: &ProviderConfig,
    settings: &SsoSettings,
) -> Result<Credentials, CredentialsError> {
    let key = settings
        .session_name
        .as_deref()
        .unwrap_or(&settings.start_url);
    let path = cache_file(config, key);
    let token = read_token(config, &path)?;
    let now = config.now();
    let access_token = if token.expires_at <= now + Duration::from_secs(300) {
        if settings.session_name.is_none() {
            if token.expires_at <= now {
                return Err(CredentialsError::provider_error(format!(
                    "the SSO token in `{path}` has expired: run `aws sso login`"
                )));
            }
            token.access_token.clone()
        } else {
            match refresh(config, settings, &token).await {
                Ok(fresh) => fresh,
                Err(_) if token.expires_at > now => token.access_token.clone(),
                Err(why) => {
                    return Err(CredentialsError::provider_error(format!(
                        "the SSO token in `{path}` has expired and could not be refreshed ({why}): run `aws sso login`"
                    )));
                }
            }
        }
    } else {
        token.access_token.clone()
    };
    let (fips, dual_stack) = endpoint_flags(config);
    let mut builder = aws_lite_sso::Config::builder()
        .region(Region::new(settings.region.clone()))
        .behavior_version(BehaviorVersion::latest());
    builder.set_use_fips(fips);
    builder.set_use_dual_stack(dual_stack);
    if let Some(client) = config.http_client() {
        builder.set_http_client(Some(client.clone()));
    }
    if let Some(url) = config.endpoint_url("SSO") {
        builder = builder.endpoint_url(url);
    }
    let output = aws_lite_sso::Client::from_conf(builder.build())
        .get_role_credentials()
        .role_name(settings.role_name.clone())
        .account_id(settings.account_id.clone())
        .access_token(access_token)
        .send()
        .await
        .map_err(|e| {
            CredentialsError::provider_error(format!(
                "GetRoleCredentials ({} in {}) failed: {}",
                settings.role_name,
                settings.account_id,
                DisplayErrorContext(&e)
            ))
        })?;
    let role = output.role_credentials().ok_or_else(|| {
        CredentialsError::provider_error("GetRoleCredentials answered without credentials")
    })?;
    let missing = |name: &str| {
        CredentialsError::provider_error(format!("GetRoleCredentials answered without {name}"))
    };
    let expiry = role
        .expiration()
        .map(|ms| SystemTime::UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64));
    Ok(Credentials::new(
        role.access_key_id().ok_or_else(|| missing("accessKeyId"))?,
        role.secret_access_key()
            .ok_or_else(|| missing("secretAccessKey"))?,
        role.session_token().map(str::to_owned),
        expiry,
        "SSO",
    ))
}
