//! Per-service settings from the environment and the shared config file, as the SDKs define
//! them ("Service-specific endpoints" in the AWS SDKs and Tools Reference Guide): a loader
//! (`aws_config::load_defaults`) puts a [`LoadServiceConfig`] into the shared config, and a
//! generated `Client::new(&sdk_config)` asks it for its own service's values with a
//! [`ServiceConfigKey`], e.g. `AWS_ENDPOINT_URL_DIRECT_CONNECT`, then `AWS_ENDPOINT_URL`, then
//! the profile's `services` section (`direct_connect =\n  endpoint_url = ...`), then the
//! profile's `endpoint_url`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// The environment-variable suffix of a service id, as the SDKs form it: upper case, spaces
/// as `_` (`Direct Connect` → `DIRECT_CONNECT`, for `AWS_ENDPOINT_URL_DIRECT_CONNECT`).
pub fn env_suffix(service_id: &str) -> String {
    service_id.to_uppercase().replace(' ', "_")
}

/// The key of a service in a profile's `services` section, as the SDKs form it: lower case,
/// spaces as `_` (`Direct Connect` → `direct_connect`).
pub fn profile_key(service_id: &str) -> String {
    service_id.to_lowercase().replace(' ', "_")
}

/// What a [`LoadServiceConfig`] is asked: one setting (its environment variable and profile
/// key, e.g. `AWS_ENDPOINT_URL` and `endpoint_url`) for one service (its id, the suffix of
/// its service-specific variable and its key in a `services` section).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceConfigKey<'a> {
    service_id: Cow<'a, str>,
    env_suffix: Cow<'a, str>,
    profile_key: Cow<'a, str>,
    env: Cow<'a, str>,
    profile: Cow<'a, str>,
}

impl<'a> ServiceConfigKey<'a> {
    /// The setting `env` / `profile` for the service `service_id`; the service's variable
    /// suffix and `services` key are formed from the id ([`env_suffix`], [`profile_key`]).
    pub fn new(service_id: &'a str, env: &'a str, profile: &'a str) -> Self {
        ServiceConfigKey {
            service_id: Cow::Borrowed(service_id),
            env_suffix: Cow::Owned(env_suffix(service_id)),
            profile_key: Cow::Owned(profile_key(service_id)),
            env: Cow::Borrowed(env),
            profile: Cow::Borrowed(profile),
        }
    }

    /// The same with the service's variable suffix and `services` key given (generated
    /// clients know theirs from the model's `serviceId`).
    pub fn with_service_names(
        service_id: &'a str,
        env_suffix: &'a str,
        profile_key: &'a str,
        env: &'a str,
        profile: &'a str,
    ) -> Self {
        ServiceConfigKey {
            service_id: Cow::Borrowed(service_id),
            env_suffix: Cow::Borrowed(env_suffix),
            profile_key: Cow::Borrowed(profile_key),
            env: Cow::Borrowed(env),
            profile: Cow::Borrowed(profile),
        }
    }

    /// The service id, e.g. `Direct Connect`.
    pub fn service_id(&self) -> &str {
        &self.service_id
    }

    /// The setting's environment variable, e.g. `AWS_ENDPOINT_URL`.
    pub fn env(&self) -> &str {
        &self.env
    }

    /// The setting's profile key, e.g. `endpoint_url`.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The service-specific environment variable, e.g. `AWS_ENDPOINT_URL_DIRECT_CONNECT`.
    pub fn service_env(&self) -> String {
        format!("{}_{}", self.env, self.env_suffix)
    }

    /// The service's key in a profile's `services` section, e.g. `direct_connect`.
    pub fn service_profile_key(&self) -> &str {
        &self.profile_key
    }
}

/// A source of per-service settings (the official `aws_types::service_config` trait's
/// shape): the value of `key`'s setting for `key`'s service, if configured.
pub trait LoadServiceConfig: fmt::Debug + Send + Sync {
    /// The value, if any source sets it.
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String>;
}

/// A [`LoadServiceConfig`] shared by configs and their clones.
#[derive(Clone, Debug)]
pub struct SharedServiceConfig(Arc<dyn LoadServiceConfig>);

impl SharedServiceConfig {
    /// Wraps `config`.
    pub fn new(config: impl LoadServiceConfig + 'static) -> Self {
        SharedServiceConfig(Arc::new(config))
    }
}

impl LoadServiceConfig for SharedServiceConfig {
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
        self.0.load_config(key)
    }
}

/// The names a generated client gives its service for per-service settings, from the
/// model's `serviceId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceNames {
    /// The service id, e.g. `Direct Connect`.
    pub service_id: &'static str,
    /// The suffix of service-specific environment variables, e.g. `DIRECT_CONNECT`.
    pub env_suffix: &'static str,
    /// The key in a profile's `services` section, e.g. `direct_connect`.
    pub profile_key: &'static str,
}

impl ServiceNames {
    /// The key asking for `env` / `profile` of this service.
    pub fn key<'a>(&'a self, env: &'a str, profile: &'a str) -> ServiceConfigKey<'a> {
        ServiceConfigKey::with_service_names(
            self.service_id,
            self.env_suffix,
            self.profile_key,
            env,
            profile,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of the SDKs and Tools Reference Guide's table "Identifiers for service-specific
    /// endpoints" (docs.aws.amazon.com/sdkref/latest/guide/ss-endpoints-table.html):
    /// `serviceId`, key in the shared `config` file, environment variable.
    const GUIDE_ROWS: &[(&str, &str, &str)] = &[
        (
            "AccessAnalyzer",
            "accessanalyzer",
            "AWS_ENDPOINT_URL_ACCESSANALYZER",
        ),
        ("ACM PCA", "acm_pca", "AWS_ENDPOINT_URL_ACM_PCA"),
        (
            "Alexa For Business",
            "alexa_for_business",
            "AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS",
        ),
        ("amp", "amp", "AWS_ENDPOINT_URL_AMP"),
        (
            "AmplifyUIBuilder",
            "amplifyuibuilder",
            "AWS_ENDPOINT_URL_AMPLIFYUIBUILDER",
        ),
        ("API Gateway", "api_gateway", "AWS_ENDPOINT_URL_API_GATEWAY"),
        (
            "Application Auto Scaling",
            "application_auto_scaling",
            "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING",
        ),
        ("App Mesh", "app_mesh", "AWS_ENDPOINT_URL_APP_MESH"),
    ];

    #[test]
    fn names_follow_the_reference_guide_table() {
        for (service_id, profile, env) in GUIDE_ROWS {
            assert_eq!(profile_key(service_id), *profile, "{service_id}");
            let key = ServiceConfigKey::new(service_id, "AWS_ENDPOINT_URL", "endpoint_url");
            assert_eq!(key.service_env(), *env, "{service_id}");
            assert_eq!(key.service_profile_key(), *profile, "{service_id}");
        }
    }
}
