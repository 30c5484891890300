//! What a call reads from the environment when the config does not say: region,
//! credentials (the standard `AWS_*` variables) and the FIPS / dual-stack endpoint flags.
//!
//! Every reader takes an [`EnvLookup`], so tests pass a fake environment; calls use the
//! process environment.

use crate::config::{self, Config, Credentials, Region};
use crate::error::ConstructionError;

/// An environment-variable lookup, e.g. `&|name: &str| std::env::var(name).ok()`.
pub type EnvLookup<'a> = &'a (dyn Fn(&str) -> Option<String> + Send + Sync);

/// Environment variable enabling FIPS endpoints when the config does not say.
pub const ENV_USE_FIPS_ENDPOINT: &str = "AWS_USE_FIPS_ENDPOINT";
/// Environment variable enabling dual-stack endpoints when the config does not say.
pub const ENV_USE_DUALSTACK_ENDPOINT: &str = "AWS_USE_DUALSTACK_ENDPOINT";

/// Environment variable leaving modelled host prefixes out of endpoints when the config does
/// not say (botocore's and the AWS SDKs' shared setting).
pub const ENV_DISABLE_HOST_PREFIX_INJECTION: &str = "AWS_DISABLE_HOST_PREFIX_INJECTION";

/// Reads the process environment: what calls use.
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The config's region, else `AWS_REGION`, else `AWS_DEFAULT_REGION`.
pub(crate) fn region(config: &Config, env: EnvLookup<'_>) -> Result<Region, ConstructionError> {
    match config.region() {
        Some(region) => Ok(region.clone()),
        None => config::region_from_env_with(env).ok_or(ConstructionError::MissingRegion),
    }
}

/// The credentials of the config's provider, else of `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
pub(crate) async fn credentials(
    config: &Config,
    env: EnvLookup<'_>,
) -> Result<Credentials, ConstructionError> {
    match config.credentials_provider() {
        Some(provider) => config
            .identity_cache()
            .resolve(&provider, std::time::SystemTime::now())
            .await
            .map_err(ConstructionError::CredentialsProvider),
        None => config::credentials_from_env_with(env).ok_or(ConstructionError::MissingCredentials),
    }
}

/// A boolean setting: the config's value, else the variable `name` (`true` or `false`, any
/// case; unset or empty is `false`).
pub(crate) fn flag(
    configured: Option<bool>,
    name: &'static str,
    env: EnvLookup<'_>,
) -> Result<bool, ConstructionError> {
    if let Some(value) = configured {
        return Ok(value);
    }
    match env(name) {
        None => Ok(false),
        Some(value) if value.is_empty() => Ok(false),
        Some(value) if value.eq_ignore_ascii_case("true") => Ok(true),
        Some(value) if value.eq_ignore_ascii_case("false") => Ok(false),
        Some(value) => Err(ConstructionError::InvalidEnvironment { name, value }),
    }
}
