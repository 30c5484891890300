//! AWS credentials and credentials providers, with the API of the `aws-credential-types` crate
//! (`Credentials::new`, `ProvideCredentials`, `SharedCredentialsProvider`, `CredentialsError`)
//! at the same paths under [`crate::config`].
//!
//! These are the runtime's own types rather than `aws-credential-types`' because that crate
//! pulls `aws-smithy-runtime-api`, `aws-smithy-async` and 15 more crates into every build
//! (10 to 13 s of CPU in a release build) for what is, here, a struct of four strings and a
//! one-method trait. With the `aws-config` feature, `aws-credential-types` is a dependency
//! again, and its credentials and providers work wherever a provider is taken (see
//! [`ProvideCredentials`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

/// AWS credentials: an access key id, a secret access key, and for temporary credentials a
/// session token and an expiry.
///
/// `Debug` shows only the provider name and the expiry: never the key id, the secret or the
/// token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(Arc<Inner>);

#[derive(PartialEq, Eq)]
struct Inner {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_after: Option<SystemTime>,
    provider_name: &'static str,
}

/// The key id, secret and token are overwritten with zeros when the last clone of the
/// credentials is dropped (copies the caller made before `Credentials::new` are theirs to
/// wipe).
impl Drop for Inner {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.access_key_id.zeroize();
        self.secret_access_key.zeroize();
        if let Some(token) = &mut self.session_token {
            token.zeroize();
        }
    }
}

impl Credentials {
    /// Credentials from their parts; `provider_name` says where they came from (for example
    /// `"Environment"` or `"static"`).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expires_after: Option<SystemTime>,
        provider_name: &'static str,
    ) -> Self {
        Credentials(Arc::new(Inner {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expires_after,
            provider_name,
        }))
    }

    /// Long-term or temporary credentials that never expire (provider name `"CredentialsFromKeys"`).
    pub fn from_keys(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self::new(
            access_key_id,
            secret_access_key,
            session_token,
            None,
            "CredentialsFromKeys",
        )
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref()
    }

    /// When the credentials stop being valid, if they expire.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.0.expires_after
    }

    /// Where the credentials came from.
    pub fn provider_name(&self) -> &'static str {
        self.0.provider_name
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("provider_name", &self.0.provider_name)
            .field("access_key_id", &"** redacted **")
            .field("secret_access_key", &"** redacted **")
            .field("expiry", &self.0.expires_after)
            .finish()
    }
}

/// Boxed error inside a [`CredentialsError`].
type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a credentials provider gave no credentials.
#[derive(Debug)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The provider does not apply here (for example, its environment variables are unset).
    CredentialsNotLoaded(BoxError),
    /// The provider took too long.
    ProviderTimedOut(Duration),
    /// The provider is configured wrongly.
    InvalidConfiguration(BoxError),
    /// The provider failed (a service call, a file it could not read, ...).
    ProviderError(BoxError),
    /// Anything else.
    Unhandled(BoxError),
}

impl CredentialsError {
    /// The provider does not apply here.
    pub fn not_loaded(source: impl Into<BoxError>) -> Self {
        Self::CredentialsNotLoaded(source.into())
    }

    /// The provider took longer than `timeout`.
    pub fn provider_timed_out(timeout: Duration) -> Self {
        Self::ProviderTimedOut(timeout)
    }

    /// The provider is configured wrongly.
    pub fn invalid_configuration(source: impl Into<BoxError>) -> Self {
        Self::InvalidConfiguration(source.into())
    }

    /// The provider failed.
    pub fn provider_error(source: impl Into<BoxError>) -> Self {
        Self::ProviderError(source.into())
    }

    /// Anything else.
    pub fn unhandled(source: impl Into<BoxError>) -> Self {
        Self::Unhandled(source.into())
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CredentialsNotLoaded(_) => f.write_str("the credential provider was not enabled"),
            Self::ProviderTimedOut(d) => {
                write!(f, "credentials provider timed out after {d:?}")
            }
            Self::InvalidConfiguration(_) => {
                f.write_str("the credentials provider was not properly configured")
            }
            Self::ProviderError(_) => f.write_str("an error occurred while loading credentials"),
            Self::Unhandled(_) => f.write_str("unexpected credentials error"),
        }
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::CredentialsNotLoaded(e)
            | Self::InvalidConfiguration(e)
            | Self::ProviderError(e)
            | Self::Unhandled(e) => Some(e.as_ref()),
            Self::ProviderTimedOut(_) => None,
        }
    }
}

/// The future a [`ProvideCredentials`] implementation returns.
pub mod future {
    use super::*;

    type Output = Result<Credentials, CredentialsError>;

    /// Credentials now ([`ready`](Self::ready)) or later ([`new`](Self::new)).
    pub struct ProvideCredentials<'a>(State<'a>);

    enum State<'a> {
        Ready(Option<Output>),
        Later(Pin<Box<dyn Future<Output = Output> + Send + 'a>>),
    }

    impl<'a> ProvideCredentials<'a> {
        /// A result that is already known.
        pub fn ready(result: Output) -> Self {
            ProvideCredentials(State::Ready(Some(result)))
        }

        /// A result that `future` computes.
        pub fn new(future: impl Future<Output = Output> + Send + 'a) -> Self {
            ProvideCredentials(State::Later(Box::pin(future)))
        }
    }

    impl fmt::Debug for ProvideCredentials<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("ProvideCredentials")
        }
    }

    impl Future for ProvideCredentials<'_> {
        type Output = Output;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Output> {
            match &mut self.get_mut().0 {
                State::Ready(result) => Poll::Ready(result.take().unwrap_or_else(|| {
                    Err(CredentialsError::unhandled(
                        "credentials future polled after it completed",
                    ))
                })),
                State::Later(future) => future.as_mut().poll(cx),
            }
        }
    }
}

/// Something that gives credentials, once per request: [`Credentials`] themselves, a
/// [`SharedCredentialsProvider`], or your own type.
///
/// With the `aws-config` feature, `aws-credential-types`' `Credentials` and
/// `SharedCredentialsProvider` (what `aws_config` builds) implement it too.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Loads credentials.
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Ok(self.clone()))
    }
}

/// A credentials provider behind an `Arc`, cheap to clone and share between clients.
#[derive(Clone)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        SharedCredentialsProvider(Arc::new(provider))
    }

    /// Tells providers apart (the address of the shared provider): the identity cache's key.
    pub(crate) fn identity(&self) -> usize {
        Arc::as_ptr(&self.0).cast::<()>() as usize
    }
}

/// Never prints what the provider holds.
impl fmt::Debug for SharedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedCredentialsProvider(** redacted **)")
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.provide_credentials()
    }
}

/// `aws-credential-types`' values, for `Config::from(&SdkConfig)` and for users who build
/// them themselves.
#[cfg(feature = "aws-config")]
mod aws_credential_types_bridge {
    use super::*;

    impl From<aws_credential_types::Credentials> for Credentials {
        fn from(c: aws_credential_types::Credentials) -> Self {
            Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                c.session_token().map(str::to_owned),
                c.expiry(),
                "aws-credential-types",
            )
        }
    }

    impl ProvideCredentials for aws_credential_types::Credentials {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(Ok(self.clone().into()))
        }
    }

    impl ProvideCredentials for aws_credential_types::provider::SharedCredentialsProvider {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(async move {
                match aws_credential_types::provider::ProvideCredentials::provide_credentials(self)
                    .await
                {
                    Ok(c) => Ok(c.into()),
                    Err(e) => Err(CredentialsError::provider_error(e)),
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn credentials_provide_themselves_and_keep_their_parts() {
        let expiry = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), Some(expiry), "test");
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN"));
        assert_eq!(creds.expiry(), Some(expiry));
        assert_eq!(creds.provider_name(), "test");
        let shared = SharedCredentialsProvider::new(creds.clone());
        assert_eq!(block_on(shared.provide_credentials()).unwrap(), creds);
        let keys = Credentials::from_keys("A", "S", None);
        assert_eq!((keys.session_token(), keys.expiry()), (None, None));
    }

    #[test]
    fn debug_output_never_shows_keys_or_token() {
        let creds = Credentials::new(
            "AKIDSHOWN",
            "SECRETSHOWN",
            Some("TOKENSHOWN".into()),
            None,
            "test",
        );
        let shared = SharedCredentialsProvider::new(creds.clone());
        for text in [
            format!("{creds:?}"),
            format!("{creds:#?}"),
            format!("{shared:?}"),
        ] {
            for secret in ["AKIDSHOWN", "SECRETSHOWN", "TOKENSHOWN"] {
                assert!(!text.contains(secret), "{text}");
            }
        }
        assert!(format!("{creds:?}").contains("provider_name: \"test\""));
    }

    #[test]
    fn later_results_and_errors_come_through() {
        #[derive(Debug)]
        struct Failing;
        impl ProvideCredentials for Failing {
            fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
            where
                Self: 'a,
            {
                future::ProvideCredentials::new(async {
                    Err(CredentialsError::not_loaded("no profile named `dev`"))
                })
            }
        }
        let err =
            block_on(SharedCredentialsProvider::new(Failing).provide_credentials()).unwrap_err();
        assert!(matches!(err, CredentialsError::CredentialsNotLoaded(_)));
        assert_eq!(err.to_string(), "the credential provider was not enabled");
        let source = std::error::Error::source(&err).unwrap().to_string();
        assert_eq!(source, "no profile named `dev`");
    }
}
