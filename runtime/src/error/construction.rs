//! Why a request was not built or got no response: [`ConstructionError`] and
//! [`SendError`].

use crate::credentials::CredentialsError;
use crate::error::SdkError;
use crate::http::{BoxError, ConnectorError};
use std::error::Error;
use std::fmt;

/// Why a request could not be built or signed. Each message names what is missing or wrong.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ConstructionError {
    /// No region in the config nor in `AWS_REGION` / `AWS_DEFAULT_REGION`.
    #[error(
        "no region configured: set `Config::region` or the AWS_REGION or AWS_DEFAULT_REGION environment variable"
    )]
    MissingRegion,
    /// The region cannot be part of a host name.
    #[error("invalid region {0:?}: expected letters, digits and dashes, e.g. `us-east-1`")]
    InvalidRegion(String),
    /// No credentials provider in the config nor credentials in the environment.
    #[error(
        "no credentials configured: set `Config::credentials_provider` or the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables"
    )]
    MissingCredentials,
    /// The configured credentials provider failed.
    #[error("failed to load credentials from the configured credentials provider")]
    CredentialsProvider(#[source] CredentialsError),
    /// The configured endpoint URL is unusable.
    #[error("invalid endpoint URL {url:?}: {reason}")]
    InvalidEndpoint {
        /// The configured URL.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// SigV4 signing failed.
    #[error("failed to sign the request")]
    Signing(#[source] BoxError),
    /// No HTTP client is configured and none could be built.
    #[error("no usable HTTP client")]
    HttpClient(#[source] BoxError),
    /// A `{label}` of the operation's host prefix has no usable value in the input.
    #[error(
        "invalid host label `{label}`: {value:?} is not a valid host label (letters, digits and inner dashes, at most 63)"
    )]
    InvalidHostLabel {
        /// The input member named by the label.
        label: String,
        /// Its value, when the input has one.
        value: Option<String>,
    },
    /// The service's endpoint rules gave an error (the message is the rule's), or its rule
    /// set is invalid.
    #[error("failed to resolve the endpoint")]
    Endpoint(#[source] crate::endpoint::EndpointError),
    /// An environment variable the runtime reads has a value it does not understand.
    #[error(
        "invalid value {value:?} in the environment variable {name}: expected `true` or `false`"
    )]
    InvalidEnvironment {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
    },
    /// FIPS or dual-stack was asked for, but the service has no endpoint rule set to say
    /// where such an endpoint is.
    #[error("`{setting}` is set, but the service has no endpoint rules to find such an endpoint")]
    EndpointSettingUnsupported {
        /// `use_fips` or `use_dual_stack`.
        setting: &'static str,
    },
    /// The configured protocol is not one the service speaks.
    #[error(transparent)]
    UnsupportedProtocol(#[from] crate::protocol::UnsupportedProtocol),
}

/// The failure of a send (see [`crate::orchestrator`]); converts into any [`SdkError`] with
/// `?`.
#[non_exhaustive]
#[derive(Debug)]
pub enum SendError {
    /// The request could not be built; it was not sent.
    ConstructionFailure(ConstructionError),
    /// The transport failed; the request may have been sent.
    DispatchFailure(ConnectorError),
    /// The operation attempt timeout or the operation timeout elapsed; the request may have
    /// been sent.
    Timeout(crate::orchestrator::TimeoutElapsed),
}

impl From<ConstructionError> for SendError {
    fn from(err: ConstructionError) -> Self {
        Self::ConstructionFailure(err)
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ConstructionFailure(_) => "failed to construct request",
            Self::DispatchFailure(_) => "dispatch failure",
            Self::Timeout(_) => "request has timed out",
        })
    }
}

impl Error for SendError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::ConstructionFailure(err) => Some(err),
            Self::DispatchFailure(err) => Some(err),
            Self::Timeout(err) => Some(err),
        }
    }
}

/// Construction problems become `ConstructionFailure`; transport failures become
/// `DispatchFailure` (the transport's own timeouts included, as in the official SDK: check
/// `DispatchFailure::is_timeout`); the operation (attempt) timeouts become `TimeoutError`.
impl<E, R> From<SendError> for SdkError<E, R> {
    fn from(err: SendError) -> Self {
        match err {
            SendError::ConstructionFailure(err) => SdkError::construction_failure(err),
            SendError::DispatchFailure(err) => SdkError::dispatch_failure(err),
            SendError::Timeout(err) => SdkError::timeout_error(err),
        }
    }
}
