//! Client configuration: region, endpoint, credentials and HTTP client.

use crate::http::{HttpClient, SharedHttpClient};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

pub use crate::protocol::Protocol;

mod identity_cache;
pub mod retry;
pub mod service_config;
pub mod stalled_stream_protection;
pub mod timeout;

pub use identity_cache::{IdentityCache, LazyCacheBuilder, SharedIdentityCache};
pub use stalled_stream_protection::StalledStreamProtectionConfig;

pub use crate::credentials::{
    Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
};
use retry::RetryConfig;
use service_config::{LoadServiceConfig, ServiceNames, SharedServiceConfig};
use timeout::TimeoutConfig;

/// Environment variable holding the access key id.
pub const ENV_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// Environment variable holding the secret access key.
pub const ENV_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
/// Environment variable holding the session token (optional).
pub const ENV_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
/// Environment variable holding the region (checked first).
pub const ENV_REGION: &str = "AWS_REGION";
/// Environment variable holding the region (checked second).
pub const ENV_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";

/// An AWS region, e.g. `us-east-1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// Creates a region from any string.
    pub fn new(region: impl Into<Cow<'static, str>>) -> Self {
        Self(region.into())
    }

    /// Creates a region from a static string (usable in `const` context).
    pub const fn from_static(region: &'static str) -> Self {
        Self(Cow::Borrowed(region))
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Pins the behavior of the SDK. Only [`BehaviorVersion::latest`] exists for now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BehaviorVersion {
    _private: (),
}

impl BehaviorVersion {
    /// The latest behavior version.
    pub fn latest() -> Self {
        Self { _private: () }
    }
}

/// Configuration of a service client.
///
/// `Debug` output never contains the credentials: not the access key id, the secret access
/// key or the session token.
#[derive(Clone)]
pub struct Config {
    region: Option<Region>,
    endpoint_url: Option<String>,
    /// An endpoint URL from the environment or a profile (`AWS_ENDPOINT_URL`, `endpoint_url`):
    /// used when `endpoint_url` is unset and the service config has none for the service.
    configured_endpoint_url: Option<String>,
    /// Per-service settings (`AWS_ENDPOINT_URL_<SERVICE>`, `services` sections), from a loader.
    service_config: Option<SharedServiceConfig>,
    credentials_provider: Option<SharedCredentialsProvider>,
    behavior_version: Option<BehaviorVersion>,
    http_client: Option<SharedHttpClient>,
    protocol: Option<crate::protocol::Protocol>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    disable_host_prefix_injection: Option<bool>,
    retry_config: Option<RetryConfig>,
    timeout_config: Option<TimeoutConfig>,
    stalled_stream_protection: Option<StalledStreamProtectionConfig>,
    identity_cache: SharedIdentityCache,
    max_response_body_size: Option<u64>,
    /// S3's and S3 Control's client settings (endpoint rule parameters) by parameter name.
    client_context_params: BTreeMap<&'static str, bool>,
    /// The server's clock minus ours, learnt from responses, shared by clones of this config.
    clock_skew: Arc<crate::orchestrator::ClockSkew>,
    /// The default client, built on first use and shared by clones of this config.
    default_http_client: Arc<OnceLock<SharedHttpClient>>,
    /// The retry quota (token bucket), shared by clones of this config.
    retry_quota: Arc<crate::orchestrator::RetryQuota>,
    /// `.customize().mutate_request(..)`: run on each attempt's request before signing.
    request_mutators: Vec<crate::customize::MutateRequestFn>,
}

/// Shows whether a credentials provider is set, never what it holds: `Credentials` would
/// print its access key id, and a custom provider might print more.
struct RedactedProvider<'a>(&'a Option<SharedCredentialsProvider>);

impl fmt::Debug for RedactedProvider<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Some(** redacted **)"),
            None => f.write_str("None"),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("configured_endpoint_url", &self.configured_endpoint_url)
            .field("service_config", &self.service_config.is_some())
            .field(
                "credentials_provider",
                &RedactedProvider(&self.credentials_provider),
            )
            .field("behavior_version", &self.behavior_version)
            .field("http_client", &self.http_client)
            .field("protocol", &self.protocol)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field(
                "disable_host_prefix_injection",
                &self.disable_host_prefix_injection,
            )
            .field("retry_config", &self.retry_config)
            .field("timeout_config", &self.timeout_config)
            .field("stalled_stream_protection", &self.stalled_stream_protection)
            .field("identity_cache", &self.identity_cache)
            .field("max_response_body_size", &self.max_response_body_size)
            .field("client_context_params", &self.client_context_params)
            .field("request_mutators", &self.request_mutators.len())
            .finish()
    }
}

impl Config {
    /// Returns a builder with nothing set.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The configured region, if any.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The endpoint URL, if any: the one set with [`Builder::endpoint_url`], else the one
    /// from the environment or a profile ([`Builder::set_configured_endpoint_url`]).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url
            .as_deref()
            .or(self.configured_endpoint_url.as_deref())
    }

    /// The per-service settings source, if a loader set one.
    pub fn service_config(&self) -> Option<&SharedServiceConfig> {
        self.service_config.as_ref()
    }

    /// The config a client of `service` uses (generated `Client::new(&sdk_config)` calls
    /// this): the endpoint URL set with [`Builder::endpoint_url`] wins; else the service
    /// config's value for the service (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
    /// profile's `services` section, then its `endpoint_url`, unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls`); else the
    /// configured one. Everything else, the identity cache included, is shared.
    pub fn for_service(&self, service: &ServiceNames) -> Config {
        let mut config = self.clone();
        if config.endpoint_url.is_none()
            && let Some(url) = config
                .service_config
                .as_ref()
                .and_then(|sc| sc.load_config(service.key("AWS_ENDPOINT_URL", "endpoint_url")))
        {
            config.configured_endpoint_url = Some(url);
        }
        config
    }

    /// The configured credentials provider, if any.
    pub fn credentials_provider(&self) -> Option<SharedCredentialsProvider> {
        self.credentials_provider.clone()
    }

    /// The configured behavior version, if any.
    pub fn behavior_version(&self) -> Option<BehaviorVersion> {
        self.behavior_version
    }

    /// The HTTP client set on the builder, if any (not the lazily built default one).
    pub fn http_client(&self) -> Option<SharedHttpClient> {
        self.http_client.clone()
    }

    /// The protocol chosen with [`Builder::protocol`], if any. Without one, calls use the
    /// protocol botocore picks: the first of the service's in botocore's order of preference
    /// (awsJson, rest-json, rest-xml, RPC v2 CBOR, query, ec2).
    pub fn protocol(&self) -> Option<crate::protocol::Protocol> {
        self.protocol
    }

    /// Whether FIPS endpoints were asked for (`None`: not set here; the `AWS_USE_FIPS_ENDPOINT`
    /// environment variable decides, else `false`).
    pub fn use_fips(&self) -> Option<bool> {
        self.use_fips
    }

    /// Whether dual-stack endpoints were asked for (`None`: not set here; the
    /// `AWS_USE_DUALSTACK_ENDPOINT` environment variable decides, else `false`).
    pub fn use_dual_stack(&self) -> Option<bool> {
        self.use_dual_stack
    }

    /// Whether the host prefixes operations are modelled with (`streaming-`, `data.`) are
    /// left out of the endpoint (`None`: not set here; the `AWS_DISABLE_HOST_PREFIX_INJECTION`
    /// environment variable decides, else `false`).
    pub fn disable_host_prefix_injection(&self) -> Option<bool> {
        self.disable_host_prefix_injection
    }

    /// The S3 and S3 Control client settings that are set (`ForcePathStyle`, `Accelerate`,
    /// `UseArnRegion`, `DisableMultiRegionAccessPoints`, `DisableS3ExpressSessionAuth`), by
    /// endpoint rule parameter name: given to the endpoint rules of services that declare
    /// them, ignored by the others.
    pub fn client_context_params(&self) -> &BTreeMap<&'static str, bool> {
        &self.client_context_params
    }

    /// The retry configuration, if set (calls use [`RetryConfig::standard`] otherwise).
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        self.retry_config.as_ref()
    }

    /// The timeout configuration, if set (otherwise the defaults apply: 3.1 s connect timeout,
    /// [`DEFAULT_READ_TIMEOUT`] read timeout, no attempt or operation timeout).
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        self.timeout_config.as_ref()
    }

    /// The stalled-stream protection set on the builder, if any (calls use
    /// [`StalledStreamProtectionConfig::default`], enabled, otherwise).
    pub fn stalled_stream_protection(&self) -> Option<StalledStreamProtectionConfig> {
        self.stalled_stream_protection.clone()
    }

    /// The identity (credentials) cache: the one set on the builder, else a lazy cache built
    /// with the config and shared by its clones.
    pub fn identity_cache(&self) -> SharedIdentityCache {
        self.identity_cache.clone()
    }

    /// The largest buffered response body accepted, in bytes (set on the builder, else
    /// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`]).
    pub fn max_response_body_size(&self) -> u64 {
        self.max_response_body_size
            .unwrap_or(DEFAULT_MAX_RESPONSE_BODY_SIZE)
    }

    /// The clock skew learnt from responses, shared by this config's clones.
    pub(crate) fn clock_skew(&self) -> &crate::orchestrator::ClockSkew {
        &self.clock_skew
    }

    /// The retry quota shared by this config's clones.
    pub(crate) fn retry_quota(&self) -> &crate::orchestrator::RetryQuota {
        &self.retry_quota
    }

    /// This config with the settings set on `over` (`.customize().config_override(..)`):
    /// what `over` leaves unset stays; the identity cache (unless `over` sets credentials or
    /// a cache), retry quota, clock skew, default HTTP client (unless `over` sets a client or
    /// timeouts) and request mutators stay shared with this config.
    pub(crate) fn with_override(&self, over: Builder) -> Config {
        let new_credentials = over.credentials_provider.is_some() && over.identity_cache.is_none();
        let new_client = over.http_client.is_some() || over.timeout_config.is_some();
        let mut builder = self.to_builder().merged_with(over);
        if new_credentials {
            builder.identity_cache = None;
        }
        let mut config = builder.build();
        config.clock_skew = Arc::clone(&self.clock_skew);
        config.retry_quota = Arc::clone(&self.retry_quota);
        if !new_client {
            config.default_http_client = Arc::clone(&self.default_http_client);
        }
        config.request_mutators = self.request_mutators.clone();
        config
    }

    /// Adds `.customize().mutate_request(..)` functions.
    pub(crate) fn add_request_mutators(
        &mut self,
        mutators: Vec<crate::customize::MutateRequestFn>,
    ) {
        self.request_mutators.extend(mutators);
    }

    /// The request mutators, run on each attempt's request before signing.
    pub(crate) fn request_mutators(&self) -> &[crate::customize::MutateRequestFn] {
        &self.request_mutators
    }

    /// Returns a builder holding this config's settings.
    pub fn to_builder(&self) -> Builder {
        Builder {
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            configured_endpoint_url: self.configured_endpoint_url.clone(),
            service_config: self.service_config.clone(),
            credentials_provider: self.credentials_provider.clone(),
            behavior_version: self.behavior_version,
            http_client: self.http_client.clone(),
            protocol: self.protocol,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            disable_host_prefix_injection: self.disable_host_prefix_injection,
            retry_config: self.retry_config.clone(),
            timeout_config: self.timeout_config.clone(),
            stalled_stream_protection: self.stalled_stream_protection.clone(),
            identity_cache: Some(self.identity_cache.clone()),
            max_response_body_size: self.max_response_body_size,
            client_context_params: self.client_context_params.clone(),
        }
    }

    /// The HTTP client to send with: the configured one, else the default client, built once
    /// per config (and shared by its clones) on first use.
    pub(crate) fn resolve_http_client(&self) -> Result<SharedHttpClient, DefaultClientError> {
        if let Some(client) = &self.http_client {
            return Ok(client.clone());
        }
        if let Some(client) = self.default_http_client.get() {
            return Ok(client.clone());
        }
        let built = default_http_client(self.timeout_config.as_ref())?;
        // Another task may have won the race; either client is fine, keep the stored one.
        Ok(self.default_http_client.get_or_init(|| built).clone())
    }
}

/// Why no default HTTP client could be had.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DefaultClientError {
    #[cfg_attr(
        any(feature = "native-tls", feature = "rustls"),
        allow(dead_code, reason = "only without TLS features")
    )]
    #[error(
        "no HTTP client configured: set `Config::http_client` or enable the `native-tls` or `rustls` feature"
    )]
    NoTlsFeature,
    #[cfg_attr(
        not(any(feature = "native-tls", feature = "rustls")),
        allow(dead_code, reason = "only with TLS features")
    )]
    #[error("failed to create the default HTTP client")]
    Init(#[source] crate::http::ConnectorError),
}

/// The default client's connect timeout when the config sets none, as in the official SDK.
pub const DEFAULT_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(3100);

/// The read timeout when the config sets none (botocore's): the longest wait for the response
/// head once the request is sent, and for each next part of the response body. The official
/// Rust SDK has none; set a longer one for calls that legitimately wait longer (Lambda
/// `Invoke` may take 15 minutes), or disable it.
pub const DEFAULT_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The largest buffered (non-streaming) response body accepted when the config sets none:
/// 256 MiB, far above any AWS API response.
pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: u64 = 256 * 1024 * 1024;

#[cfg(any(feature = "native-tls", feature = "rustls"))]
fn default_http_client(
    timeouts: Option<&TimeoutConfig>,
) -> Result<SharedHttpClient, DefaultClientError> {
    // An unset connect timeout gets the default; an explicitly disabled one stays disabled.
    let mut timeouts = timeouts
        .cloned()
        .unwrap_or_else(|| TimeoutConfig::builder().build());
    timeouts.take_defaults_from(
        &TimeoutConfig::builder()
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            .build(),
    );
    // The read timeout is applied by the orchestrator, whatever the client.
    crate::http::HyperClient::with_connect_timeout(timeouts.connect_timeout())
        .map(SharedHttpClient::new)
        .map_err(DefaultClientError::Init)
}

#[cfg(not(any(feature = "native-tls", feature = "rustls")))]
fn default_http_client(
    _timeouts: Option<&TimeoutConfig>,
) -> Result<SharedHttpClient, DefaultClientError> {
    Err(DefaultClientError::NoTlsFeature)
}

/// Builder for [`Config`].
///
/// `Debug` output shows whether credentials are set, never the credentials.
#[derive(Clone, Default)]
pub struct Builder {
    region: Option<Region>,
    endpoint_url: Option<String>,
    /// An endpoint URL from the environment or a profile (`AWS_ENDPOINT_URL`, `endpoint_url`):
    /// used when `endpoint_url` is unset and the service config has none for the service.
    configured_endpoint_url: Option<String>,
    /// Per-service settings (`AWS_ENDPOINT_URL_<SERVICE>`, `services` sections), from a loader.
    service_config: Option<SharedServiceConfig>,
    credentials_provider: Option<SharedCredentialsProvider>,
    behavior_version: Option<BehaviorVersion>,
    http_client: Option<SharedHttpClient>,
    protocol: Option<crate::protocol::Protocol>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    disable_host_prefix_injection: Option<bool>,
    retry_config: Option<RetryConfig>,
    timeout_config: Option<TimeoutConfig>,
    stalled_stream_protection: Option<StalledStreamProtectionConfig>,
    identity_cache: Option<SharedIdentityCache>,
    max_response_body_size: Option<u64>,
    client_context_params: BTreeMap<&'static str, bool>,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("configured_endpoint_url", &self.configured_endpoint_url)
            .field("service_config", &self.service_config.is_some())
            .field(
                "credentials_provider",
                &RedactedProvider(&self.credentials_provider),
            )
            .field("behavior_version", &self.behavior_version)
            .field("http_client", &self.http_client)
            .field("protocol", &self.protocol)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field(
                "disable_host_prefix_injection",
                &self.disable_host_prefix_injection,
            )
            .field("retry_config", &self.retry_config)
            .field("timeout_config", &self.timeout_config)
            .field("stalled_stream_protection", &self.stalled_stream_protection)
            .field("identity_cache", &self.identity_cache)
            .field("max_response_body_size", &self.max_response_body_size)
            .field("client_context_params", &self.client_context_params)
            .finish()
    }
}

impl Builder {
    /// Sets the region (`None` clears it).
    pub fn region(mut self, region: impl Into<Option<Region>>) -> Self {
        self.set_region(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.region = region;
        self
    }

    /// Sets the endpoint URL, overriding the default `https://{prefix}.{region}.amazonaws.com`.
    pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.set_endpoint_url(Some(endpoint_url.into()));
        self
    }

    /// Sets or clears the endpoint URL.
    pub fn set_endpoint_url(&mut self, endpoint_url: Option<String>) -> &mut Self {
        self.endpoint_url = endpoint_url;
        self
    }

    /// Sets or clears an endpoint URL that comes from the environment or a profile
    /// (`AWS_ENDPOINT_URL`, `endpoint_url`; loaders set it): unlike
    /// [`endpoint_url`](Self::endpoint_url), a service-specific setting from the
    /// [`service_config`](Self::service_config) wins over it.
    pub fn set_configured_endpoint_url(&mut self, endpoint_url: Option<String>) -> &mut Self {
        self.configured_endpoint_url = endpoint_url;
        self
    }

    /// Sets the source of per-service settings (loaders set it; see
    /// [`Config::for_service`]).
    pub fn service_config(mut self, service_config: impl LoadServiceConfig + 'static) -> Self {
        self.set_service_config(Some(SharedServiceConfig::new(service_config)));
        self
    }

    /// Sets or clears the source of per-service settings.
    pub fn set_service_config(&mut self, service_config: Option<SharedServiceConfig>) -> &mut Self {
        self.service_config = service_config;
        self
    }

    /// Sets the credentials provider; [`Credentials`] itself is one.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.set_credentials_provider(Some(SharedCredentialsProvider::new(provider)));
        self
    }

    /// Sets or clears the credentials provider.
    pub fn set_credentials_provider(
        &mut self,
        provider: Option<SharedCredentialsProvider>,
    ) -> &mut Self {
        self.credentials_provider = provider;
        self
    }

    /// Sets the behavior version.
    pub fn behavior_version(mut self, behavior_version: BehaviorVersion) -> Self {
        self.set_behavior_version(Some(behavior_version));
        self
    }

    /// Sets or clears the behavior version.
    pub fn set_behavior_version(&mut self, behavior_version: Option<BehaviorVersion>) -> &mut Self {
        self.behavior_version = behavior_version;
        self
    }

    /// Sets the HTTP client used to send requests.
    pub fn http_client(mut self, http_client: impl HttpClient + 'static) -> Self {
        self.set_http_client(Some(SharedHttpClient::new(http_client)));
        self
    }

    /// Sets or clears the HTTP client.
    pub fn set_http_client(&mut self, http_client: Option<SharedHttpClient>) -> &mut Self {
        self.http_client = http_client;
        self
    }

    /// Chooses the wire protocol (it must be one the service's model lists); the default is
    /// botocore's choice (awsJson when the service speaks it; see [`Config::protocol`]).
    pub fn protocol(mut self, protocol: crate::protocol::Protocol) -> Self {
        self.set_protocol(Some(protocol));
        self
    }

    /// Sets or clears the wire protocol.
    pub fn set_protocol(&mut self, protocol: Option<crate::protocol::Protocol>) -> &mut Self {
        self.protocol = protocol;
        self
    }

    /// Sends requests to FIPS endpoints (the endpoint rules say where, or that the region
    /// has none).
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.set_use_fips(Some(use_fips));
        self
    }

    /// Sets or clears the FIPS setting (`None`: the `AWS_USE_FIPS_ENDPOINT` environment
    /// variable decides, else `false`).
    pub fn set_use_fips(&mut self, use_fips: Option<bool>) -> &mut Self {
        self.use_fips = use_fips;
        self
    }

    /// Sends requests to dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.set_use_dual_stack(Some(use_dual_stack));
        self
    }

    /// Sets or clears the dual-stack setting (`None`: the `AWS_USE_DUALSTACK_ENDPOINT`
    /// environment variable decides, else `false`).
    pub fn set_use_dual_stack(&mut self, use_dual_stack: Option<bool>) -> &mut Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// Leaves the host prefixes some operations are modelled with (Logs `StartLiveTail`'s
    /// `streaming-`, DynamoDB's account endpoints) out of the endpoint, as botocore's
    /// `inject_host_prefix=False` and `disable_host_prefix_injection` do: for a local
    /// endpoint such as `http://127.0.0.1:5000`, where `streaming-127.0.0.1` would not resolve.
    pub fn disable_host_prefix_injection(mut self, disable: bool) -> Self {
        self.set_disable_host_prefix_injection(Some(disable));
        self
    }

    /// Sets or clears [`disable_host_prefix_injection`](Self::disable_host_prefix_injection)
    /// (`None`: the `AWS_DISABLE_HOST_PREFIX_INJECTION` environment variable decides, else
    /// `false`).
    pub fn set_disable_host_prefix_injection(&mut self, disable: Option<bool>) -> &mut Self {
        self.disable_host_prefix_injection = disable;
        self
    }

    /// S3: addresses buckets in the path (`https://s3.region.amazonaws.com/bucket/key`) instead of the host name (`https://bucket.s3.region.amazonaws.com/key`), as needed by most S3-compatible servers (endpoint rule parameter `ForcePathStyle`; other services ignore it).
    pub fn force_path_style(mut self, force_path_style: bool) -> Self {
        self.set_force_path_style(Some(force_path_style));
        self
    }

    /// Sets or clears [`force_path_style`](Self::force_path_style) (unset: the endpoint rules' default, `false`).
    pub fn set_force_path_style(&mut self, force_path_style: Option<bool>) -> &mut Self {
        self.set_client_context_param("ForcePathStyle", force_path_style)
    }

    /// S3: uses S3 Transfer Acceleration endpoints (endpoint rule parameter `Accelerate`; other services ignore it).
    pub fn accelerate(mut self, accelerate: bool) -> Self {
        self.set_accelerate(Some(accelerate));
        self
    }

    /// Sets or clears [`accelerate`](Self::accelerate) (unset: the endpoint rules' default, `false`).
    pub fn set_accelerate(&mut self, accelerate: Option<bool>) -> &mut Self {
        self.set_client_context_param("Accelerate", accelerate)
    }

    /// S3 and S3 Control: uses the region of an ARN given as a bucket or access point instead of the client's region (endpoint rule parameter `UseArnRegion`; other services ignore it).
    pub fn use_arn_region(mut self, use_arn_region: bool) -> Self {
        self.set_use_arn_region(Some(use_arn_region));
        self
    }

    /// Sets or clears [`use_arn_region`](Self::use_arn_region) (unset: the endpoint rules' default, `false`).
    pub fn set_use_arn_region(&mut self, use_arn_region: Option<bool>) -> &mut Self {
        self.set_client_context_param("UseArnRegion", use_arn_region)
    }

    /// S3: refuses Multi-Region Access Point ARNs (endpoint rule parameter `DisableMultiRegionAccessPoints`; other services ignore it).
    pub fn disable_multi_region_access_points(
        mut self,
        disable_multi_region_access_points: bool,
    ) -> Self {
        self.set_disable_multi_region_access_points(Some(disable_multi_region_access_points));
        self
    }

    /// Sets or clears [`disable_multi_region_access_points`](Self::disable_multi_region_access_points) (unset: the endpoint rules' default, `false`).
    pub fn set_disable_multi_region_access_points(
        &mut self,
        disable_multi_region_access_points: Option<bool>,
    ) -> &mut Self {
        self.set_client_context_param(
            "DisableMultiRegionAccessPoints",
            disable_multi_region_access_points,
        )
    }

    /// S3: signs requests to S3 Express One Zone buckets with plain SigV4 instead of session auth (endpoint rule parameter `DisableS3ExpressSessionAuth`; other services ignore it).
    pub fn disable_s3_express_session_auth(
        mut self,
        disable_s3_express_session_auth: bool,
    ) -> Self {
        self.set_disable_s3_express_session_auth(Some(disable_s3_express_session_auth));
        self
    }

    /// Sets or clears [`disable_s3_express_session_auth`](Self::disable_s3_express_session_auth) (unset: the endpoint rules' default, `false`).
    pub fn set_disable_s3_express_session_auth(
        &mut self,
        disable_s3_express_session_auth: Option<bool>,
    ) -> &mut Self {
        self.set_client_context_param(
            "DisableS3ExpressSessionAuth",
            disable_s3_express_session_auth,
        )
    }

    fn set_client_context_param(&mut self, name: &'static str, value: Option<bool>) -> &mut Self {
        match value {
            Some(value) => self.client_context_params.insert(name, value),
            None => self.client_context_params.remove(name),
        };
        self
    }

    /// Sets the retry configuration (default: [`RetryConfig::standard`], 3 attempts).
    pub fn retry_config(mut self, retry_config: RetryConfig) -> Self {
        self.set_retry_config(Some(retry_config));
        self
    }

    /// Sets or clears the retry configuration.
    pub fn set_retry_config(&mut self, retry_config: Option<RetryConfig>) -> &mut Self {
        self.retry_config = retry_config;
        self
    }

    /// Sets the timeouts: connect (default HTTP client only; 3.1 s unless set), read (the
    /// response head and each next part of the body, any client; [`DEFAULT_READ_TIMEOUT`]
    /// unless set or disabled), operation attempt and operation (none unless set).
    pub fn timeout_config(mut self, timeout_config: TimeoutConfig) -> Self {
        self.set_timeout_config(Some(timeout_config));
        self
    }

    /// Sets or clears the timeout configuration.
    pub fn set_timeout_config(&mut self, timeout_config: Option<TimeoutConfig>) -> &mut Self {
        self.timeout_config = timeout_config;
        self
    }

    /// Sets stalled-stream protection (default: enabled, see
    /// [`StalledStreamProtectionConfig`]).
    pub fn stalled_stream_protection(mut self, config: StalledStreamProtectionConfig) -> Self {
        self.set_stalled_stream_protection(Some(config));
        self
    }

    /// Sets or clears stalled-stream protection (`None`: the default, enabled).
    pub fn set_stalled_stream_protection(
        &mut self,
        config: Option<StalledStreamProtectionConfig>,
    ) -> &mut Self {
        self.stalled_stream_protection = config;
        self
    }

    /// Sets the identity (credentials) cache, e.g. `IdentityCache::lazy().build()` or
    /// `IdentityCache::no_cache()` (default: a lazy cache with default settings).
    pub fn identity_cache(mut self, cache: SharedIdentityCache) -> Self {
        self.set_identity_cache(Some(cache));
        self
    }

    /// Sets or clears the identity cache (`None`: a new default lazy cache).
    pub fn set_identity_cache(&mut self, cache: Option<SharedIdentityCache>) -> &mut Self {
        self.identity_cache = cache;
        self
    }

    /// Sets the largest buffered response body accepted, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`], 256 MiB). A larger `content-length`, or a chunked
    /// body growing past it, ends the call with an error before more is read; it is not
    /// retried.
    pub fn max_response_body_size(mut self, bytes: u64) -> Self {
        self.set_max_response_body_size(Some(bytes));
        self
    }

    /// Sets or clears the largest buffered response body accepted.
    pub fn set_max_response_body_size(&mut self, bytes: Option<u64>) -> &mut Self {
        self.max_response_body_size = bytes;
        self
    }

    /// Builds the config. Never fails: missing settings are reported when a request is sent.
    pub fn build(self) -> Config {
        Config {
            region: self.region,
            endpoint_url: self.endpoint_url,
            configured_endpoint_url: self.configured_endpoint_url,
            service_config: self.service_config,
            credentials_provider: self.credentials_provider,
            behavior_version: self.behavior_version,
            http_client: self.http_client,
            protocol: self.protocol,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            disable_host_prefix_injection: self.disable_host_prefix_injection,
            retry_config: self.retry_config,
            timeout_config: self.timeout_config,
            stalled_stream_protection: self.stalled_stream_protection,
            identity_cache: self.identity_cache.unwrap_or_default(),
            max_response_body_size: self.max_response_body_size,
            client_context_params: self.client_context_params,
            clock_skew: Arc::default(),
            default_http_client: Arc::new(OnceLock::new()),
            retry_quota: Arc::default(),
            request_mutators: Vec::new(),
        }
    }

    /// This builder with the settings set on `later` over its own.
    pub(crate) fn merged_with(mut self, later: Builder) -> Builder {
        macro_rules! take {
            ($($field:ident),*) => {
                $(if later.$field.is_some() { self.$field = later.$field; })*
            };
        }
        take!(
            region,
            endpoint_url,
            configured_endpoint_url,
            service_config,
            credentials_provider,
            behavior_version,
            http_client,
            protocol,
            use_fips,
            use_dual_stack,
            disable_host_prefix_injection,
            retry_config,
            timeout_config,
            stalled_stream_protection,
            identity_cache,
            max_response_body_size
        );
        self.client_context_params
            .extend(later.client_context_params);
        self
    }
}

/// Shared configuration is a config: `Client::new(&config)` takes the settings of any config,
/// as clients take them from `aws_config::load_defaults(..)`'s `SdkConfig` (the identity cache,
/// HTTP client and clock-skew state are shared with it, as clones share them).
impl From<&Config> for Config {
    fn from(config: &Config) -> Self {
        config.clone()
    }
}

/// A builder holding the settings of shared configuration, to adjust for one client:
/// `aws_sdk_dynamodb::config::Builder::from(&sdk_config).endpoint_url(..).build()` with
/// `aws_config`'s `SdkConfig` (a [`Config`]), as with the official crates. The same as
/// [`Config::to_builder`]: the built config shares the identity cache (credentials loaded once
/// serve both) and keeps the region, credentials, endpoint URL (set in code, or the global one
/// from the environment or a profile), per-service settings source, HTTP client and every other
/// setting.
///
/// A service's own endpoint URL (`AWS_ENDPOINT_URL_<SERVICE>`, the profile's `services`
/// section) is applied by the generated `Client::new(&sdk_config)` and `Client::from_conf`
/// through [`Config::for_service`], unless an endpoint URL was set in code.
impl From<&Config> for Builder {
    fn from(config: &Config) -> Self {
        config.to_builder()
    }
}

/// Reads credentials from the standard environment variables through `lookup`
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN`).
///
/// Empty values count as unset. Returns `None` unless both the key id and secret are set.
/// Pass `|name| std::env::var(name).ok()` to read the process environment.
pub fn credentials_from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Option<Credentials> {
    let get = |name: &str| lookup(name).filter(|value| !value.is_empty());
    let access_key_id = get(ENV_ACCESS_KEY_ID)?;
    let secret_access_key = get(ENV_SECRET_ACCESS_KEY)?;
    Some(Credentials::new(
        access_key_id,
        secret_access_key,
        get(ENV_SESSION_TOKEN),
        None,
        "Environment",
    ))
}

/// Reads the region from `AWS_REGION`, else `AWS_DEFAULT_REGION`, through `lookup`.
/// Empty values count as unset.
pub fn region_from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Option<Region> {
    [ENV_REGION, ENV_DEFAULT_REGION]
        .into_iter()
        .find_map(|name| lookup(name).filter(|value| !value.is_empty()))
        .map(Region::new)
}

/// The shared configuration type of the AWS SDK (`aws_config::SdkConfig` is this type).
#[cfg(feature = "aws-config")]
pub use aws_types::SdkConfig;

#[cfg(feature = "aws-config")]
impl From<&SdkConfig> for Builder {
    /// Takes region, credentials provider, endpoint URL, FIPS and dual-stack settings, retry,
    /// timeout and stalled-stream protection configuration from an `SdkConfig` (as `aws_config::load_defaults` builds it).
    fn from(sdk: &SdkConfig) -> Self {
        let mut builder = Builder::default();
        builder.set_region(sdk.region().map(|r| Region::new(r.to_string())));
        builder.set_credentials_provider(
            sdk.credentials_provider()
                .map(SharedCredentialsProvider::new),
        );
        // As the official clients: an endpoint URL set in code on the loader wins over every
        // per-service setting; one from the environment or a profile does not.
        if sdk.get_origin("endpoint_url").is_client_config() {
            builder.set_endpoint_url(sdk.endpoint_url().map(str::to_owned));
        } else {
            builder.set_configured_endpoint_url(sdk.endpoint_url().map(str::to_owned));
        }
        if sdk.service_config().is_some() {
            builder.set_service_config(Some(SharedServiceConfig::new(OfficialServiceConfig(
                sdk.clone(),
            ))));
        }
        builder.set_use_fips(sdk.use_fips());
        builder.set_use_dual_stack(sdk.use_dual_stack());
        builder.set_retry_config(sdk.retry_config().map(RetryConfig::from));
        builder.set_timeout_config(sdk.timeout_config().map(TimeoutConfig::from));
        // Stalled-stream protection as set there (the minimum throughput stays ours).
        builder.set_stalled_stream_protection(sdk.stalled_stream_protection().map(|ssp| {
            StalledStreamProtectionConfig::enabled()
                .upload_enabled(ssp.upload_enabled())
                .download_enabled(ssp.download_enabled())
                .grace_period(ssp.grace_period())
                .build()
        }));
        builder.set_behavior_version(Some(BehaviorVersion::latest()));
        builder
    }
}

/// The per-service settings of an official `SdkConfig` (`aws_config::load_defaults` puts the
/// environment and profile there).
#[cfg(feature = "aws-config")]
#[derive(Debug)]
struct OfficialServiceConfig(SdkConfig);

#[cfg(feature = "aws-config")]
impl LoadServiceConfig for OfficialServiceConfig {
    fn load_config(&self, key: service_config::ServiceConfigKey<'_>) -> Option<String> {
        let official = aws_types::service_config::ServiceConfigKey::builder()
            .service_id(key.service_id())
            .env(key.env())
            .profile(key.profile())
            .build()
            .ok()?;
        self.0.service_config()?.load_config(official)
    }
}

#[cfg(feature = "aws-config")]
impl From<&SdkConfig> for Config {
    fn from(sdk: &SdkConfig) -> Self {
        Builder::from(sdk).build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn region_accessors() {
        let region = Region::new(String::from("eu-west-1"));
        assert_eq!(region.as_ref(), "eu-west-1");
        assert_eq!(region.to_string(), "eu-west-1");
        assert_eq!(region, Region::from_static("eu-west-1"));
        assert_ne!(region, Region::from_static("eu-west-2"));
    }

    #[test]
    fn builder_round_trip() {
        let config = Config::builder()
            .region(Region::from_static("us-west-2"))
            .endpoint_url("http://localhost:1234")
            .behavior_version(BehaviorVersion::latest())
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .build();
        assert_eq!(config.region().map(Region::as_ref), Some("us-west-2"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:1234"));
        assert_eq!(config.behavior_version(), Some(BehaviorVersion::latest()));
        assert!(config.credentials_provider().is_some());
        assert!(config.http_client().is_none());

        let mut builder = config.to_builder();
        builder.set_region(None).set_endpoint_url(None);
        let changed = builder.build();
        assert_eq!(changed.region(), None);
        assert_eq!(changed.endpoint_url(), None);
        assert!(changed.credentials_provider().is_some());
        assert_eq!(
            Config::builder().region(None).build().region(),
            None,
            "region(None) clears"
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let config = Config::builder()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                Some("SESSIONTOKENVALUE123".to_owned()),
                None,
                "test",
            ))
            .build();
        for text in [format!("{config:?}"), format!("{:?}", config.to_builder())] {
            // The provider is redacted whole: not even the access key id shows.
            assert!(!text.contains("AKIDEXAMPLE"), "{text}");
            assert!(
                text.contains("credentials_provider: Some(** redacted **)"),
                "{text}"
            );
            assert!(text.contains("us-east-1"), "{text}");
            assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
            assert!(!text.contains("SESSIONTOKENVALUE123"), "{text}");
        }
    }

    #[test]
    fn credentials_from_env_lookup() {
        let creds = credentials_from_env_with(env(&[
            (ENV_ACCESS_KEY_ID, "AKID"),
            (ENV_SECRET_ACCESS_KEY, "SECRET"),
            (ENV_SESSION_TOKEN, "TOKEN"),
        ]))
        .expect("both keys set");
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN"));

        let no_token = credentials_from_env_with(env(&[
            (ENV_ACCESS_KEY_ID, "AKID"),
            (ENV_SECRET_ACCESS_KEY, "SECRET"),
            (ENV_SESSION_TOKEN, ""),
        ]))
        .expect("both keys set");
        assert_eq!(no_token.session_token(), None);

        assert!(credentials_from_env_with(env(&[(ENV_ACCESS_KEY_ID, "AKID")])).is_none());
        assert!(credentials_from_env_with(env(&[(ENV_SECRET_ACCESS_KEY, "S")])).is_none());
        assert!(
            credentials_from_env_with(env(&[
                (ENV_ACCESS_KEY_ID, ""),
                (ENV_SECRET_ACCESS_KEY, "S")
            ]))
            .is_none()
        );
        assert!(credentials_from_env_with(env(&[])).is_none());
    }

    #[test]
    fn region_from_env_lookup_order() {
        let both = env(&[
            (ENV_REGION, "eu-central-1"),
            (ENV_DEFAULT_REGION, "us-east-2"),
        ]);
        assert_eq!(
            region_from_env_with(both),
            Some(Region::from_static("eu-central-1"))
        );
        let default_only = env(&[(ENV_REGION, ""), (ENV_DEFAULT_REGION, "us-east-2")]);
        assert_eq!(
            region_from_env_with(default_only),
            Some(Region::from_static("us-east-2"))
        );
        assert_eq!(region_from_env_with(env(&[])), None);
    }
}
