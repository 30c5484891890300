//! What every provider reads: environment, file system, HTTP client, region, profile choice.

use crate::os::{Env, Fs, Os};
use crate::profile::{self, FileLocations, ProfileFileError, ProfileSet};
use aws_lite_runtime::config::Region;
use aws_lite_runtime::http::{HttpRequest, HttpResponse, SharedHttpClient};
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

/// The environment, file system and HTTP client the providers use, and the profile and
/// region they start from. [`ProviderConfig::default`] is the process's own.
#[derive(Clone)]
pub struct ProviderConfig {
    env: Env,
    fs: Fs,
    os: Os,
    http_client: Option<SharedHttpClient>,
    region: Option<Region>,
    profile_name: Option<String>,
    now: Arc<dyn Fn() -> SystemTime + Send + Sync>,
    /// The profile files, parsed once and shared by every provider built from this config.
    profiles: Arc<OnceLock<Result<ProfileSet, Arc<ProfileFileError>>>>,
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("env", &self.env)
            .field("fs", &self.fs)
            .field("os", &self.os)
            .field("http_client", &self.http_client)
            .field("region", &self.region)
            .field("profile_name", &self.profile_name)
            .finish_non_exhaustive()
    }
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            env: Env::real(),
            fs: Fs::real(),
            os: Os::current(),
            http_client: None,
            region: None,
            profile_name: None,
            now: Arc::new(SystemTime::now),
            profiles: Arc::default(),
        }
    }
}

impl ProviderConfig {
    /// The process's environment and file system, the default HTTP client.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy with a fresh profile cache (a setting that changes the profiles changed).
    fn changed(mut self) -> Self {
        self.profiles = Arc::default();
        self
    }

    /// Uses `env` instead of the process environment.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self.changed()
    }

    /// Uses `fs` instead of the real file system.
    pub fn with_fs(mut self, fs: Fs) -> Self {
        self.fs = fs;
        self.changed()
    }

    /// Resolves home folders and paths as on `os`.
    pub fn with_os(mut self, os: Os) -> Self {
        self.os = os;
        self.changed()
    }

    /// Sends IMDS, container-credential and STS requests through `client`.
    pub fn with_http_client(mut self, client: SharedHttpClient) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The region providers use for their own calls (STS) when the profile names none.
    pub fn with_region(mut self, region: Option<Region>) -> Self {
        self.region = region;
        self
    }

    /// Selects `name` instead of `AWS_PROFILE`/`default`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self.changed()
    }

    /// Uses `now` as the clock (tests).
    pub fn with_time_source(
        mut self,
        now: impl Fn() -> SystemTime + Send + Sync + 'static,
    ) -> Self {
        self.now = Arc::new(now);
        self
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The file system.
    pub fn fs(&self) -> &Fs {
        &self.fs
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The HTTP client set, if any.
    pub fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http_client.as_ref()
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        (self.now)()
    }

    /// Where the profile files are and which profile is selected.
    pub fn file_locations(&self) -> FileLocations {
        FileLocations::resolve(&self.env, self.os, self.profile_name.as_deref())
    }

    /// The profile files, read and parsed on first use.
    pub fn profiles(&self) -> Result<&ProfileSet, Arc<ProfileFileError>> {
        self.profiles
            .get_or_init(|| profile::load(&self.fs, &self.file_locations()).map_err(Arc::new))
            .as_ref()
            .map_err(Arc::clone)
    }

    /// Expands a leading `~` in a path from a profile or the environment.
    pub(crate) fn expand(&self, path: &str) -> String {
        crate::os::expand_home(
            path,
            crate::os::home_dir(&self.env, self.os).as_deref(),
            self.os,
        )
    }

    /// Sends `request` through the configured client, else the default one, within `timeout`.
    pub(crate) async fn send(
        &self,
        request: HttpRequest,
        timeout: Duration,
    ) -> Result<HttpResponse, String> {
        let client = match &self.http_client {
            Some(client) => client.clone(),
            None => default_client()?,
        };
        let uri = request.uri.clone();
        let call = async {
            let mut response = client.0.call(request).await.map_err(|e| {
                format!(
                    "{uri}: {}",
                    aws_lite_runtime::error::DisplayErrorContext(&e)
                )
            })?;
            let body = std::mem::take(&mut response.body)
                .collect()
                .await
                .map_err(|e| format!("{uri}: reading the body: {e}"))?;
            response.body = body.into();
            Ok(response)
        };
        tokio::time::timeout(timeout, call)
            .await
            .unwrap_or_else(|_| Err(format!("{uri}: no response within {timeout:?}")))
    }

    /// A boolean setting: the environment variable `env_name`, else the profile's
    /// `profile_key` (`true`/`false`, any case; anything else counts as unset).
    pub(crate) fn flag(&self, env_name: &str, profile_key: &str) -> Option<bool> {
        let parse = |v: &str| match v.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        };
        self.env
            .get_non_empty(env_name)
            .and_then(|v| parse(&v))
            .or_else(|| {
                self.profiles()
                    .ok()
                    .and_then(|p| p.get(profile_key))
                    .and_then(parse)
            })
    }

    /// The endpoint URL configured for the service `service_id` (`STS`, `SSO`, `SSO OIDC`)
    /// in the environment or the profile, as for clients (see [`crate::service_config`]).
    pub(crate) fn endpoint_url(&self, service_id: &str) -> Option<String> {
        use aws_lite_runtime::config::service_config::{LoadServiceConfig, ServiceConfigKey};
        crate::service_config::EnvServiceConfig::from_config(self).load_config(
            ServiceConfigKey::new(
                service_id,
                crate::service_config::ENV_ENDPOINT_URL,
                crate::service_config::PROFILE_ENDPOINT_URL,
            ),
        )
    }
}

/// The default client (1 s connect timeout, as the SDKs' IMDS and container clients), built
/// once per process.
fn default_client() -> Result<SharedHttpClient, String> {
    #[cfg(any(feature = "native-tls", feature = "rustls"))]
    {
        static CLIENT: OnceLock<Result<SharedHttpClient, String>> = OnceLock::new();
        CLIENT
            .get_or_init(|| {
                aws_lite_runtime::http::HyperClient::with_connect_timeout(Some(
                    Duration::from_secs(1),
                ))
                .map(SharedHttpClient::new)
                .map_err(|e| format!("could not create the HTTP client: {e}"))
            })
            .clone()
    }
    #[cfg(not(any(feature = "native-tls", feature = "rustls")))]
    {
        Err("no HTTP client: enable the `native-tls` or `rustls` feature or set one with `ProviderConfig::with_http_client`".to_owned())
    }
}
