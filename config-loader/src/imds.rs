//! EC2 instance metadata (IMDSv2): a session token (`PUT /latest/api/token`), then the
//! instance role's name and credentials (`GET /latest/meta-data/iam/security-credentials/`).
//!
//! Endpoint: `AWS_EC2_METADATA_SERVICE_ENDPOINT` or the profile's
//! `ec2_metadata_service_endpoint`, else by mode (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` /
//! `ec2_metadata_service_endpoint_mode`: `IPv4` → `http://169.254.169.254`, `IPv6` →
//! `http://[fd00:ec2::254]`). `AWS_EC2_METADATA_DISABLED=true` turns the provider off. Each
//! request has a 1 s limit and 3 attempts (5xx, transport errors and timeouts are retried); a
//! 401 gets a new token once; a 403 on the token means IMDS is disabled on the instance.

use crate::provider_config::ProviderConfig;
use aws_lite_runtime::config::{Credentials, CredentialsError, ProvideCredentials, Region};
use aws_lite_runtime::credentials::future;
use aws_lite_runtime::http::{HttpRequest, HttpResponse};
use std::time::Duration;

const TOKEN_TTL_SECONDS: &str = "21600";
const ATTEMPTS: u32 = 3;
/// The limit of one IMDS request (connect and answer), as the SDKs' 1 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// IPv4 or IPv6 IMDS address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointMode {
    /// `http://169.254.169.254`.
    IpV4,
    /// `http://[fd00:ec2::254]`.
    IpV6,
}

impl std::str::FromStr for EndpointMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "ipv4" => Ok(Self::IpV4),
            "ipv6" => Ok(Self::IpV6),
            _ => Err(format!(
                "`{s}` is not a valid endpoint mode. Valid values are [`IPv4`, `IPv6`]"
            )),
        }
    }
}

/// A small IMDSv2 client.
#[derive(Clone, Debug, Default)]
pub struct ImdsClient {
    config: ProviderConfig,
    endpoint_override: Option<String>,
    mode_override: Option<EndpointMode>,
    timeout: Option<Duration>,
    /// The session token and when to stop using it, shared by clones.
    token: std::sync::Arc<tokio::sync::Mutex<Option<(String, tokio::time::Instant)>>>,
}

/// A token is used until this long before its TTL ends.
const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(120);

impl ImdsClient {
    /// A client reading settings from `config`.
    pub fn from_config(config: &ProviderConfig) -> Self {
        Self {
            config: config.clone(),
            ..Default::default()
        }
    }

    /// Uses `endpoint`, whatever the environment and profile say.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint_override = Some(endpoint.into());
        self
    }

    /// Uses `mode` unless an endpoint is given.
    pub fn endpoint_mode(mut self, mode: EndpointMode) -> Self {
        self.mode_override = Some(mode);
        self
    }

    /// Sets the per-request limit (default 1 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Whether `AWS_EC2_METADATA_DISABLED` turns IMDS off.
    pub fn disabled(&self) -> bool {
        self.config
            .env()
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The base URL: explicit endpoint, `AWS_EC2_METADATA_SERVICE_ENDPOINT`, profile
    /// endpoint, then the mode's address (explicit, environment, profile, IPv4).
    pub fn base_url(&self) -> Result<String, String> {
        let profile = |key: &str| {
            self.config
                .profiles()
                .ok()
                .and_then(|p| p.get(key))
                .map(str::to_owned)
        };
        let endpoint = self
            .endpoint_override
            .clone()
            .or_else(|| {
                self.config
                    .env()
                    .get_non_empty("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            })
            .or_else(|| profile("ec2_metadata_service_endpoint"));
        if let Some(endpoint) = endpoint {
            let uri: http::Uri = endpoint
                .parse()
                .map_err(|e| format!("IMDS endpoint `{endpoint}`: {e}"))?;
            if uri.host().is_none() {
                return Err(format!(
                    "IMDS endpoint `{endpoint}`: URI did not specify a host"
                ));
            }
            return Ok(endpoint.trim_end_matches('/').to_owned());
        }
        let mode = match self.mode_override {
            Some(mode) => mode,
            None => match self
                .config
                .env()
                .get_non_empty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
                .or_else(|| profile("ec2_metadata_service_endpoint_mode"))
            {
                Some(mode) => mode.parse()?,
                None => EndpointMode::IpV4,
            },
        };
        Ok(match mode {
            EndpointMode::IpV4 => "http://169.254.169.254".to_owned(),
            EndpointMode::IpV6 => "http://[fd00:ec2::254]".to_owned(),
        })
    }

    /// One request with retries: `Ok` for any answer that is not a 5xx, `Err` when every
    /// attempt failed.
    async fn request(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<HttpResponse, String> {
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
            }
            let request = HttpRequest {
                method: method.to_owned(),
                uri: url.to_owned(),
                headers: headers
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                body: Default::default(),
            };
            match self.config.send(request, timeout).await {
                Ok(response) if response.status >= 500 => {
                    last = format!("{url} answered HTTP {}", response.status);
                }
                Ok(response) => return Ok(response),
                Err(e) => last = e,
            }
        }
        Err(format!("{last} ({ATTEMPTS} attempts)"))
    }

    /// The cached session token, else a new one (`refresh`: never the cached one).
    async fn token(&self, base: &str, refresh: bool) -> Result<String, ImdsError> {
        let mut cached = self.token.lock().await;
        if !refresh
            && let Some((token, until)) = cached.as_ref()
            && tokio::time::Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let token = self.new_token(base).await?;
        let ttl = Duration::from_secs(TOKEN_TTL_SECONDS.parse().unwrap_or(21600));
        *cached = Some((
            token.clone(),
            tokio::time::Instant::now() + ttl.saturating_sub(TOKEN_REFRESH_MARGIN),
        ));
        Ok(token)
    }

    async fn new_token(&self, base: &str) -> Result<String, ImdsError> {
        let url = format!("{base}/latest/api/token");
        let response = self
            .request(
                "PUT",
                &url,
                &[("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)],
            )
            .await
            .map_err(ImdsError::Unreachable)?;
        match response.status {
            200..=299 => {
                let token = String::from_utf8_lossy(response.body.bytes().unwrap_or_default())
                    .trim()
                    .to_owned();
                Ok(token)
            }
            403 => Err(ImdsError::Failed(format!(
                "request forbidden: IMDS is disabled or has been disabled on this instance ({url} answered 403)"
            ))),
            status => Err(ImdsError::Failed(format!("{url} answered HTTP {status}"))),
        }
    }

    /// `GET path` with a session token (a new token once on 401).
    pub async fn get(&self, path: &str) -> Result<String, ImdsError> {
        let base = self.base_url().map_err(ImdsError::Config)?;
        let url = format!("{base}{path}");
        for attempt in 0..2 {
            let token = self.token(&base, attempt > 0).await?;
            let response = self
                .request("GET", &url, &[("x-aws-ec2-metadata-token", &token)])
                .await
                .map_err(ImdsError::Unreachable)?;
            match response.status {
                200..=299 => {
                    return String::from_utf8(response.body.bytes().unwrap_or_default().to_vec())
                        .map_err(|_| ImdsError::Failed(format!("{url}: the answer is not UTF-8")));
                }
                401 => continue,
                404 => return Err(ImdsError::NotFound(url)),
                status => {
                    return Err(ImdsError::Failed(format!("{url} answered HTTP {status}")));
                }
            }
        }
        Err(ImdsError::Failed(format!(
            "{url}: the session token was refused twice"
        )))
    }
}

/// Why IMDS gave nothing.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImdsError {
    /// The endpoint settings are wrong.
    Config(String),
    /// No answer (not on EC2, or IMDS unreachable).
    Unreachable(String),
    /// 404: the path does not exist (no instance role).
    NotFound(String),
    /// Any other failure.
    Failed(String),
}

impl std::fmt::Display for ImdsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Config(m) => write!(f, "invalid IMDS configuration: {m}"),
            Self::Unreachable(m) => write!(f, "IMDS unreachable: {m}"),
            Self::NotFound(url) => write!(f, "{url} was not found (no instance role?)"),
            Self::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ImdsError {}

/// How long expired credentials are extended by, before a jitter of up to
/// [`EXTENSION_JITTER`] (the official provider's 10 minutes + 0 to 5 minutes: less than the
/// 15 minutes credentials from IMDS are at least valid for).
pub const EXTENSION: Duration = Duration::from_secs(10 * 60);
/// The largest jitter added to [`EXTENSION`].
pub const EXTENSION_JITTER: Duration = Duration::from_secs(5 * 60);

/// Credentials of the instance's role.
///
/// Static stability, as the official `ImdsCredentialsProvider`: when a refresh fails (IMDS
/// unreachable, answering errors, or disabled since) and credentials were obtained before,
/// those are served again; credentials whose expiry has passed (served again, or sent so by
/// IMDS during an outage of its own) get it extended by 10 to 15 minutes, so the identity
/// cache keeps using them instead of asking IMDS on every call. A warning says so (with the
/// `tracing` feature); the keys are never logged.
#[derive(Clone, Debug, Default)]
pub struct ImdsCredentialsProvider {
    client: ImdsClient,
    /// The last credentials obtained, shared by clones.
    last: std::sync::Arc<std::sync::Mutex<Option<Credentials>>>,
}

impl ImdsCredentialsProvider {
    /// Settings from `config`.
    pub fn from_config(config: &ProviderConfig) -> Self {
        Self {
            client: ImdsClient::from_config(config),
            last: Default::default(),
        }
    }

    /// Uses `client` (its endpoint, mode and timeout).
    pub fn with_client(client: ImdsClient) -> Self {
        Self {
            client,
            last: Default::default(),
        }
    }

    /// `credentials` as they are if not expired, else with the expiry moved to now + 10 to 15
    /// minutes (jitter from the clock).
    fn maybe_extend(&self, credentials: Credentials) -> Credentials {
        let now = self.client.config.now();
        match credentials.expiry() {
            Some(expiry) if expiry <= now => {
                let nanos = now
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_nanos();
                let jitter = Duration::from_secs(
                    u64::try_from(nanos % u128::from(EXTENSION_JITTER.as_secs() + 1)).unwrap_or(0),
                );
                let extension = EXTENSION + jitter;
                warn_extended(extension);
                Credentials::new(
                    credentials.access_key_id(),
                    credentials.secret_access_key(),
                    credentials.session_token().map(str::to_owned),
                    Some(now + extension),
                    credentials.provider_name(),
                )
            }
            _ => credentials,
        }
    }

    /// Fetches credentials; on failure, serves the last ones obtained (static stability).
    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        match self.fetch().await {
            Ok(credentials) => {
                let credentials = self.maybe_extend(credentials);
                *self
                    .last
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(credentials.clone());
                Ok(credentials)
            }
            Err(err) => {
                let last = self
                    .last
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .clone();
                match last {
                    Some(last) => {
                        warn_reused(&err);
                        let last = self.maybe_extend(last);
                        *self
                            .last
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) =
                            Some(last.clone());
                        Ok(last)
                    }
                    None => Err(err),
                }
            }
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.client.disabled() {
            return Err(CredentialsError::not_loaded(
                "IMDS disabled by AWS_EC2_METADATA_DISABLED",
            ));
        }
        let path = "/latest/meta-data/iam/security-credentials/";
        let classify = |e: ImdsError| match e {
            ImdsError::Config(_) => CredentialsError::invalid_configuration(e),
            ImdsError::Unreachable(_) | ImdsError::NotFound(_) => CredentialsError::not_loaded(e),
            ImdsError::Failed(_) => CredentialsError::provider_error(e),
        };
        let role = self.client.get(path).await.map_err(classify)?;
        let role = role.lines().next().unwrap_or("").trim();
        if role.is_empty() {
            return Err(CredentialsError::not_loaded("IMDS lists no instance role"));
        }
        let body = self
            .client
            .get(&format!("{path}{role}"))
            .await
            .map_err(classify)?;
        crate::ecs::parse_credentials(body.as_bytes(), "IMDSv2")
    }

    /// The instance's region (`/latest/meta-data/placement/region`).
    pub async fn region(&self) -> Option<Region> {
        if self.client.disabled() {
            return None;
        }
        self.client
            .get("/latest/meta-data/placement/region")
            .await
            .ok()
            .map(|r| Region::new(r.trim().to_owned()))
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}

#[cfg(feature = "tracing")]
fn warn_extended(extension: Duration) {
    tracing::warn!(
        "Attempting credential expiration extension due to a credential service availability issue. A refresh of these credentials will be attempted again within the next {:.2} minutes.",
        extension.as_secs_f64() / 60.0
    );
}

#[cfg(not(feature = "tracing"))]
fn warn_extended(_: Duration) {}

#[cfg(feature = "tracing")]
fn warn_reused(err: &CredentialsError) {
    tracing::warn!(
        error = %aws_lite_runtime::error::DisplayErrorContext(err),
        "IMDS credentials could not be refreshed; serving the ones obtained before"
    );
}

#[cfg(not(feature = "tracing"))]
fn warn_reused(_: &CredentialsError) {}
