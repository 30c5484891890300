//! Container credentials: ECS task roles (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`) and EKS Pod
//! Identity or any local endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI`), with the
//! authorization token from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every call) or
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
//!
//! A full URI must be HTTPS, or HTTP to a loopback address or to the ECS/EKS link-local
//! addresses (`169.254.170.2`, `169.254.170.23`, `fd00:ec2::23`), as the SDKs require.

use crate::provider_config::ProviderConfig;
use aws_lite_runtime::config::{Credentials, CredentialsError, ProvideCredentials};
use aws_lite_runtime::credentials::future;
use aws_lite_runtime::http::HttpRequest;
use std::path::PathBuf;
use std::time::Duration;

const BASE_HOST: &str = "http://169.254.170.2";
/// Per-attempt limit of a container-credentials request (connect and answer).
const TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPTS: u32 = 3;

/// Credentials from the container's credentials endpoint.
#[derive(Clone, Debug, Default)]
pub struct EcsCredentialsProvider {
    config: ProviderConfig,
}

/// The endpoint the environment names: `Ok(None)` when neither variable is set.
pub fn endpoint(config: &ProviderConfig) -> Result<Option<String>, String> {
    let env = config.env();
    if let Some(relative) = env.get_non_empty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        return Ok(Some(format!("{BASE_HOST}{relative}")));
    }
    let Some(full) = env.get_non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
        return Ok(None);
    };
    let uri: http::Uri = full
        .parse()
        .map_err(|e| format!("AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` is not a URI: {e}"))?;
    let host = uri.host().ok_or_else(|| {
        format!("AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}`: URI did not specify a host")
    })?;
    let allowed = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            match host.parse::<std::net::IpAddr>() {
                Ok(ip) => {
                    ip.is_loopback()
                        || ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
                            .iter()
                            .any(|a| a.parse::<std::net::IpAddr>().ok() == Some(ip))
                }
                Err(_) => host.eq_ignore_ascii_case("localhost"),
            }
        }
        _ => false,
    };
    if !allowed {
        return Err(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}`: only HTTPS, or HTTP to a loopback or the ECS/EKS container address, is allowed"
        ));
    }
    Ok(Some(full))
}

impl EcsCredentialsProvider {
    /// The process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// The environment and HTTP client of `config`.
    pub fn from_config(config: &ProviderConfig) -> Self {
        Self {
            config: config.clone(),
        }
    }

    fn token(&self) -> Result<Option<String>, CredentialsError> {
        let env = self.config.env();
        let token = match env.get_non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => {
                let bytes = self.config.fs().read(&PathBuf::from(&path)).map_err(|e| {
                    CredentialsError::invalid_configuration(format!(
                        "could not read the container authorization token file {path}: {e}"
                    ))
                })?;
                Some(String::from_utf8_lossy(&bytes).trim().to_owned())
            }
            None => env.get_non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        if token.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
            return Err(CredentialsError::invalid_configuration(
                "the container authorization token contains a line break",
            ));
        }
        Ok(token)
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let uri = endpoint(&self.config)
            .map_err(CredentialsError::invalid_configuration)?
            .ok_or_else(|| {
                CredentialsError::not_loaded(
                    "No environment variables were set to configure ECS provider (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI)",
                )
            })?;
        let token = self.token()?;
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
            }
            let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
            if let Some(token) = &token {
                headers.push(("authorization".to_owned(), token.clone()));
            }
            let request = HttpRequest {
                method: "GET".to_owned(),
                uri: uri.clone(),
                headers,
                body: Default::default(),
            };
            match self.config.send(request, TIMEOUT).await {
                Ok(response) if response.is_success() => {
                    let body = response.body.bytes().unwrap_or_default();
                    return parse_credentials(body, "EcsContainer");
                }
                Ok(response) if response.status >= 500 => {
                    last = format!("{uri} answered HTTP {}", response.status);
                }
                Ok(response) => {
                    return Err(CredentialsError::provider_error(format!(
                        "{uri} answered HTTP {}: {}",
                        response.status,
                        excerpt(response.body.bytes().unwrap_or_default())
                    )));
                }
                Err(e) => last = e,
            }
        }
        Err(CredentialsError::provider_error(format!(
            "container credentials: {last} ({ATTEMPTS} attempts)"
        )))
    }
}

/// At most 200 characters of a body that is not credentials (error messages).
pub(crate) fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(200).collect()
}

/// The JSON the ECS, EKS and IMDS credential endpoints return.
pub(crate) fn parse_credentials(
    body: &[u8],
    provider_name: &'static str,
) -> Result<Credentials, CredentialsError> {
    let invalid = |why: &str| {
        CredentialsError::provider_error(format!(
            "{provider_name}: invalid credentials response: {why}"
        ))
    };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| invalid("not JSON"))?;
    let field = |name: &str| value.get(name).and_then(serde_json::Value::as_str);
    if let Some(code) = field("Code")
        && code != "Success"
    {
        return Err(CredentialsError::provider_error(format!(
            "{provider_name}: the credentials endpoint answered Code {code}: {}",
            field("Message").unwrap_or("")
        )));
    }
    let key = field("AccessKeyId").ok_or_else(|| invalid("no AccessKeyId"))?;
    let secret = field("SecretAccessKey").ok_or_else(|| invalid("no SecretAccessKey"))?;
    let expiry = field("Expiration")
        .map(|e| crate::time::parse_rfc3339(e).map_err(|why| invalid(&why)))
        .transpose()?;
    Ok(Credentials::new(
        key,
        secret,
        field("Token").map(str::to_owned),
        expiry,
        provider_name,
    ))
}

impl ProvideCredentials for EcsCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}
