//! The identity cache, with the official SDK's API (`config::IdentityCache::lazy()`,
//! `IdentityCache::no_cache()`, `LazyCacheBuilder::{load_timeout, buffer_time,
//! default_expiration, build}`, `Config::builder().identity_cache(..)`).
//!
//! The default, as in the official SDK, is a lazy cache: the first call loads credentials from
//! the configured provider and every other call waiting meanwhile gets the same credentials
//! (one provider call however many requests are in flight); they are reused until
//! `buffer_time` before they expire (credentials without an expiry are reused for
//! `default_expiration`). A provider that fails is reported to the call that asked; the next
//! call asks again (one provider call per call, never a loop). Credentials from the
//! environment variables are read directly and not cached.

use crate::credentials::{
    Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How long a provider may take by default.
pub const DEFAULT_LOAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long before their expiry credentials are refreshed by default.
pub const DEFAULT_BUFFER_TIME: Duration = Duration::from_secs(10);
/// How long credentials without an expiry are kept by default.
pub const DEFAULT_EXPIRATION: Duration = Duration::from_secs(15 * 60);

/// Entry point of the identity cache API: [`IdentityCache::lazy`] or
/// [`IdentityCache::no_cache`].
#[derive(Debug)]
#[non_exhaustive]
pub struct IdentityCache;

impl IdentityCache {
    /// A cache that loads on first use and refreshes shortly before expiry (the default).
    pub fn lazy() -> LazyCacheBuilder {
        LazyCacheBuilder::default()
    }

    /// No cache: the provider is asked on every attempt.
    pub fn no_cache() -> SharedIdentityCache {
        SharedIdentityCache(Arc::new(Kind::NoCache))
    }
}

/// Builder of a lazy cache, from [`IdentityCache::lazy`].
#[derive(Clone, Debug, Default)]
pub struct LazyCacheBuilder {
    load_timeout: Option<Duration>,
    buffer_time: Option<Duration>,
    default_expiration: Option<Duration>,
}

impl LazyCacheBuilder {
    /// How long a provider may take before the load fails with
    /// [`CredentialsError::ProviderTimedOut`] (default 5 s).
    pub fn load_timeout(mut self, timeout: Duration) -> Self {
        self.load_timeout = Some(timeout);
        self
    }

    /// How long before their expiry credentials are refreshed (default 10 s).
    pub fn buffer_time(mut self, buffer_time: Duration) -> Self {
        self.buffer_time = Some(buffer_time);
        self
    }

    /// How long credentials without an expiry are kept (default 15 minutes).
    pub fn default_expiration(mut self, expiration: Duration) -> Self {
        self.default_expiration = Some(expiration);
        self
    }

    /// The cache.
    pub fn build(self) -> SharedIdentityCache {
        SharedIdentityCache(Arc::new(Kind::Lazy(Lazy {
            load_timeout: self.load_timeout.unwrap_or(DEFAULT_LOAD_TIMEOUT),
            buffer_time: self.buffer_time.unwrap_or(DEFAULT_BUFFER_TIME),
            default_expiration: self.default_expiration.unwrap_or(DEFAULT_EXPIRATION),
            slot: std::sync::RwLock::new(None),
            loading: tokio::sync::Mutex::new(()),
        })))
    }
}

/// A cache shared by a config and its clones (cheap to clone). `Debug` shows its settings,
/// never the cached credentials.
#[derive(Clone)]
pub struct SharedIdentityCache(Arc<Kind>);

enum Kind {
    NoCache,
    Lazy(Lazy),
}

struct Lazy {
    load_timeout: Duration,
    buffer_time: Duration,
    default_expiration: Duration,
    /// The cached credentials, the provider they came from and when to refresh them; read
    /// without waiting when fresh.
    slot: std::sync::RwLock<Option<Cached>>,
    /// Held while loading: callers that find no fresh entry queue here, and the first loads.
    loading: tokio::sync::Mutex<()>,
}

struct Cached {
    /// The provider the credentials came from, kept alive so that its address (the key)
    /// cannot be reused by another provider.
    provider: SharedCredentialsProvider,
    credentials: Credentials,
    refresh_at: SystemTime,
}

impl fmt::Debug for SharedIdentityCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            Kind::NoCache => f.write_str("IdentityCache::NoCache"),
            Kind::Lazy(lazy) => f
                .debug_struct("IdentityCache::Lazy")
                .field("load_timeout", &lazy.load_timeout)
                .field("buffer_time", &lazy.buffer_time)
                .field("default_expiration", &lazy.default_expiration)
                .finish_non_exhaustive(),
        }
    }
}

impl Default for SharedIdentityCache {
    /// A lazy cache with the default settings.
    fn default() -> Self {
        IdentityCache::lazy().build()
    }
}

impl SharedIdentityCache {
    /// Credentials from `provider`, cached as configured. `now` is the current time.
    pub(crate) async fn resolve(
        &self,
        provider: &SharedCredentialsProvider,
        now: SystemTime,
    ) -> Result<Credentials, CredentialsError> {
        let lazy = match &*self.0 {
            Kind::NoCache => return provider.provide_credentials().await,
            Kind::Lazy(lazy) => lazy,
        };
        // Which provider the cached entry came from: a cache shared by configs with different
        // providers never hands one's credentials to the other.
        let key = provider.identity();
        let fresh = || {
            let slot = lazy
                .slot
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            slot.as_ref()
                .filter(|cached| cached.provider.identity() == key && now < cached.refresh_at)
                .map(|cached| cached.credentials.clone())
        };
        if let Some(credentials) = fresh() {
            return Ok(credentials);
        }
        // Callers queue here while one loads, then find the fresh entry.
        let _loading = lazy.loading.lock().await;
        if let Some(credentials) = fresh() {
            return Ok(credentials);
        }
        let credentials =
            match tokio::time::timeout(lazy.load_timeout, provider.provide_credentials()).await {
                Ok(result) => result?,
                Err(_) => return Err(CredentialsError::provider_timed_out(lazy.load_timeout)),
            };
        let expires = credentials
            .expiry()
            .unwrap_or_else(|| now + lazy.default_expiration);
        let refresh_at = expires
            .checked_sub(lazy.buffer_time)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        *lazy
            .slot
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Cached {
            provider: provider.clone(),
            credentials: credentials.clone(),
            refresh_at,
        });
        Ok(credentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(id: &str) -> SharedCredentialsProvider {
        SharedCredentialsProvider::new(Credentials::new(id, "secret", None, None, "test"))
    }

    #[tokio::test]
    async fn a_shared_cache_keeps_providers_apart_and_no_cache_asks_each_time() {
        let cache = IdentityCache::lazy().build();
        let (a, b) = (keys("AKIDA"), keys("AKIDB"));
        let now = SystemTime::now();
        for (provider, id) in [(&a, "AKIDA"), (&b, "AKIDB"), (&a, "AKIDA")] {
            let got = cache.resolve(provider, now).await.expect("credentials");
            assert_eq!(got.access_key_id(), id);
        }
        // Credentials without an expiry are kept for the default expiration, then reloaded.
        let later = now + DEFAULT_EXPIRATION;
        let reloaded = cache.resolve(&a, later).await.expect("credentials");
        assert_eq!(reloaded.access_key_id(), "AKIDA");
        let none = IdentityCache::no_cache();
        assert_eq!(format!("{none:?}"), "IdentityCache::NoCache");
        assert!(format!("{cache:?}").starts_with("IdentityCache::Lazy { load_timeout: 5s"));
        assert!(!format!("{cache:?}").contains("AKID"));
    }
}
