//! Credentials from the selected profile: static keys, `credential_process`, web identity,
//! SSO, `credential_source`, and chains of `role_arn` + `source_profile` assumed through STS.
//!
//! [`resolve_chain`] turns the profiles into a base provider and the roles to assume from it,
//! checked against the official `test-data/assume-role-tests.json`;
//! [`ProfileFileCredentialsProvider`] runs that chain.

use super::{Profile, ProfileSet};
use crate::provider_config::ProviderConfig;
use aws_lite_runtime::config::{Credentials, CredentialsError, ProvideCredentials};
use aws_lite_runtime::credentials::future;
use std::fmt;

/// Where the chain starts.
#[derive(Clone, PartialEq, Eq)]
pub enum BaseProvider {
    /// `credential_source`: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
    NamedSource(String),
    /// Static keys from a profile.
    AccessKey(Credentials),
    /// `role_arn` + `web_identity_token_file`.
    WebIdentityTokenRole {
        /// The role.
        role_arn: String,
        /// The token file.
        web_identity_token_file: String,
        /// `role_session_name`.
        session_name: Option<String>,
    },
    /// SSO (`sso_session` or the legacy `sso_start_url`/`sso_region` keys).
    Sso {
        /// `sso_session`, if used.
        sso_session_name: Option<String>,
        /// The SSO region.
        sso_region: String,
        /// The start URL.
        sso_start_url: String,
        /// The account.
        sso_account_id: Option<String>,
        /// The role.
        sso_role_name: Option<String>,
    },
    /// `credential_process`.
    CredentialProcess {
        /// The command (never printed).
        command: String,
        /// `aws_account_id`.
        account_id: Option<String>,
    },
}

impl fmt::Debug for BaseProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NamedSource(name) => f.debug_tuple("NamedSource").field(name).finish(),
            Self::AccessKey(c) => f.debug_tuple("AccessKey").field(c).finish(),
            Self::WebIdentityTokenRole { role_arn, .. } => f
                .debug_struct("WebIdentityTokenRole")
                .field("role_arn", role_arn)
                .finish_non_exhaustive(),
            Self::Sso {
                sso_region,
                sso_start_url,
                ..
            } => f
                .debug_struct("Sso")
                .field("sso_region", sso_region)
                .field("sso_start_url", sso_start_url)
                .finish_non_exhaustive(),
            Self::CredentialProcess { .. } => f.write_str("CredentialProcess(** redacted **)"),
        }
    }
}

/// A role to assume with the credentials of the step before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleArn {
    /// `role_arn`.
    pub role_arn: String,
    /// `external_id`.
    pub external_id: Option<String>,
    /// `role_session_name`.
    pub session_name: Option<String>,
}

/// The base provider and the roles assumed from it, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileChain {
    /// Where the chain starts.
    pub base: BaseProvider,
    /// The roles assumed, first to last.
    pub chain: Vec<RoleArn>,
}

/// Why the profile gives no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileChainError {
    /// The files define no profile (or not `default` when it is selected).
    NoProfilesDefined,
    /// A profile the chain names does not exist.
    MissingProfile {
        /// The profile.
        profile: String,
        /// Which profile named it.
        message: String,
    },
    /// `source_profile`s form a loop.
    CredentialLoop {
        /// The profiles visited.
        profiles: Vec<String>,
        /// The one visited again.
        next: String,
    },
    /// A profile has no credential keys.
    ProfileDidNotContainCredentials {
        /// The profile.
        profile: String,
    },
    /// A profile's credential settings are wrong.
    InvalidCredentialSource {
        /// The profile.
        profile: String,
        /// What is wrong.
        message: String,
    },
    /// A profile's SSO settings are wrong.
    InvalidSsoConfig {
        /// The profile.
        profile: String,
        /// What is wrong.
        message: String,
    },
    /// A profile's `sso_session` names no `[sso-session]` section.
    MissingSsoSession {
        /// The profile.
        profile: String,
        /// The missing session.
        sso_session: String,
    },
}

impl fmt::Display for ProfileChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoProfilesDefined => f.write_str("No profiles were defined"),
            Self::MissingProfile { profile, message } => {
                write!(f, "profile `{profile}` was not defined: {message}")
            }
            Self::CredentialLoop { profiles, next } => write!(
                f,
                "profile formed an infinite loop. first we loaded {profiles:?}, then attempted to reload {next}"
            ),
            Self::ProfileDidNotContainCredentials { profile } => {
                write!(
                    f,
                    "profile `{profile}` did not contain credential information"
                )
            }
            Self::InvalidCredentialSource { profile, message } => {
                write!(
                    f,
                    "profile `{profile}` did not contain valid credentials: {message}"
                )
            }
            Self::InvalidSsoConfig { profile, message } => {
                write!(f, "profile `{profile}` has invalid SSO config: {message}")
            }
            Self::MissingSsoSession {
                profile,
                sso_session,
            } => write!(
                f,
                "sso-session named `{sso_session}` (referenced by profile `{profile}`) was not found"
            ),
        }
    }
}

impl std::error::Error for ProfileChainError {}

/// The chain the selected profile describes.
pub fn resolve_chain(set: &ProfileSet) -> Result<ProfileChain, ProfileChainError> {
    if set.is_empty()
        || (set.selected_profile() == "default" && set.get_profile("default").is_none())
    {
        return Err(ProfileChainError::NoProfilesDefined);
    }
    let mut name = set.selected_profile();
    let mut visited: Vec<&str> = Vec::new();
    let mut chain = Vec::new();
    let base = loop {
        let profile = set
            .get_profile(name)
            .ok_or_else(|| ProfileChainError::MissingProfile {
                profile: name.to_owned(),
                message: format!(
                    "could not find source profile {name} referenced from {}",
                    visited.last().unwrap_or(&"the root profile")
                ),
            })?;
        if visited.contains(&name) {
            return Err(ProfileChainError::CredentialLoop {
                profiles: visited.iter().map(|s| (*s).to_owned()).collect(),
                next: name.to_owned(),
            });
        }
        visited.push(name);
        // A source profile with static keys ends the chain, whatever else it says.
        if visited.len() > 1
            && let Ok(credentials) = static_credentials(profile)
        {
            break BaseProvider::AccessKey(credentials);
        }
        let Some(role) = role_arn(profile) else {
            break base_provider(set, profile).map_err(|err| {
                if visited.len() == 1 {
                    err
                } else {
                    ProfileChainError::InvalidCredentialSource {
                        profile: profile.name().to_owned(),
                        message: format!("could not load source profile: {err}"),
                    }
                }
            })?;
        };
        let source = profile.get("source_profile");
        let next = match (source, profile.get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(ProfileChainError::InvalidCredentialSource {
                    profile: profile.name().to_owned(),
                    message: "profile contained both source_profile and credential_source. Only one or the other can be defined".to_owned(),
                });
            }
            (None, None) => {
                return Err(ProfileChainError::InvalidCredentialSource {
                    profile: profile.name().to_owned(),
                    message: "profile must contain `source_profile` or `credential_source` but neither were defined".to_owned(),
                });
            }
            (Some(source), None) if source != profile.name() => Some(source),
            _ => None,
        };
        chain.push(role);
        match next {
            Some(source) => name = source,
            None => break base_provider(set, profile)?,
        }
    };
    chain.reverse();
    Ok(ProfileChain { base, chain })
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

fn role_arn(profile: &Profile) -> Option<RoleArn> {
    if profile.get("web_identity_token_file").is_some() {
        return None;
    }
    Some(RoleArn {
        role_arn: profile.get("role_arn")?.to_owned(),
        external_id: owned(profile.get("external_id")),
        session_name: owned(profile.get("role_session_name")),
    })
}

fn base_provider(set: &ProfileSet, profile: &Profile) -> Result<BaseProvider, ProfileChainError> {
    if let Some(source) = profile.get("credential_source") {
        return Ok(BaseProvider::NamedSource(source.to_owned()));
    }
    match (
        profile.get("role_arn"),
        profile.get("web_identity_token_file"),
    ) {
        (Some(role_arn), Some(file)) => {
            return Ok(BaseProvider::WebIdentityTokenRole {
                role_arn: role_arn.to_owned(),
                web_identity_token_file: file.to_owned(),
                session_name: owned(profile.get("role_session_name")),
            });
        }
        (None, Some(_)) => {
            return Err(ProfileChainError::InvalidCredentialSource {
                profile: profile.name().to_owned(),
                message: "`web_identity_token_file` was specified but `role_arn` was missing"
                    .to_owned(),
            });
        }
        _ => {}
    }
    if let Some(sso) = sso(set, profile)? {
        return Ok(sso);
    }
    if let Some(command) = profile.get("credential_process") {
        return Ok(BaseProvider::CredentialProcess {
            command: command.to_owned(),
            account_id: owned(profile.get("aws_account_id")),
        });
    }
    static_credentials(profile).map(BaseProvider::AccessKey)
}

fn sso(set: &ProfileSet, profile: &Profile) -> Result<Option<BaseProvider>, ProfileChainError> {
    let account_id = profile.get("sso_account_id");
    let mut region = profile.get("sso_region");
    let role_name = profile.get("sso_role_name");
    let mut start_url = profile.get("sso_start_url");
    let session = profile.get("sso_session");
    if [account_id, region, role_name, start_url, session]
        .iter()
        .all(Option::is_none)
    {
        return Ok(None);
    }
    let invalid = |message: String| ProfileChainError::InvalidSsoConfig {
        profile: profile.name().to_owned(),
        message,
    };
    if let Some(session) = session {
        for (key, value) in [("sso_start_url", start_url), ("sso_region", region)] {
            if value.is_some() {
                return Err(invalid(format!(
                    "`{key}` can only be specified in the [sso-session] config when a session name is given"
                )));
            }
        }
        let section =
            set.sso_session(session)
                .ok_or_else(|| ProfileChainError::MissingSsoSession {
                    profile: profile.name().to_owned(),
                    sso_session: session.to_owned(),
                })?;
        start_url = section.get("sso_start_url");
        region = section.get("sso_region");
    }
    match (account_id, role_name) {
        (Some(_), None) => {
            return Err(invalid(
                "if `sso_account_id` is set, then `sso_role_name` must also be set".to_owned(),
            ));
        }
        (None, Some(_)) => {
            return Err(invalid(
                "if `sso_role_name` is set, then `sso_account_id` must also be set".to_owned(),
            ));
        }
        _ => {}
    }
    let missing = |key: &str| ProfileChainError::InvalidCredentialSource {
        profile: profile.name().to_owned(),
        message: format!("profile missing field `{key}`"),
    };
    Ok(Some(BaseProvider::Sso {
        sso_session_name: owned(session),
        sso_region: region.ok_or_else(|| missing("sso_region"))?.to_owned(),
        sso_start_url: start_url
            .ok_or_else(|| missing("sso_start_url"))?
            .to_owned(),
        sso_account_id: owned(account_id),
        sso_role_name: owned(role_name),
    }))
}

fn static_credentials(profile: &Profile) -> Result<Credentials, ProfileChainError> {
    let key = profile.get("aws_access_key_id");
    let secret = profile.get("aws_secret_access_key");
    let token = profile.get("aws_session_token");
    if key.is_none() && secret.is_none() && token.is_none() {
        return Err(ProfileChainError::ProfileDidNotContainCredentials {
            profile: profile.name().to_owned(),
        });
    }
    let missing = |key: &str| ProfileChainError::InvalidCredentialSource {
        profile: profile.name().to_owned(),
        message: format!("profile missing {key}"),
    };
    Ok(Credentials::new(
        key.ok_or_else(|| missing("aws_access_key_id"))?,
        secret.ok_or_else(|| missing("aws_secret_access_key"))?,
        owned(token),
        None,
        "ProfileFile",
    ))
}

/// Credentials from the selected profile of the shared files.
#[derive(Debug, Clone, Default)]
pub struct ProfileFileCredentialsProvider {
    config: ProviderConfig,
}

impl ProfileFileCredentialsProvider {
    /// The process's files and `AWS_PROFILE`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The files and profile of `config`.
    pub fn from_config(config: &ProviderConfig) -> Self {
        Self {
            config: config.clone(),
        }
    }

    /// The chain the selected profile describes (`CredentialsNotLoaded` when no profile
    /// applies, `InvalidConfiguration` when it is wrong).
    pub fn chain(&self) -> Result<ProfileChain, CredentialsError> {
        let set = self
            .config
            .profiles()
            .map_err(|e| CredentialsError::invalid_configuration(e.to_string()))?;
        match resolve_chain(set) {
            Ok(chain) => Ok(chain),
            Err(ProfileChainError::NoProfilesDefined) => Err(CredentialsError::not_loaded(
                ProfileChainError::NoProfilesDefined,
            )),
            // A profile with settings but no credentials (only a region, say): the next
            // provider of the chain may apply, as in the official chain.
            Err(e @ ProfileChainError::ProfileDidNotContainCredentials { .. }) => {
                Err(CredentialsError::not_loaded(e))
            }
            Err(e) => Err(CredentialsError::invalid_configuration(e)),
        }
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let chain = self.chain()?;
        // The profile applies: from here on, a provider that does not apply is a failure of
        // this one (the chain stops, as the official chain does).
        self.run(chain).await.map_err(|e| match e {
            CredentialsError::CredentialsNotLoaded(source) => {
                CredentialsError::provider_error(format!(
                    "profile `{}`: {}",
                    self.config.file_locations().profile,
                    crate::default_provider::error_chain(&CredentialsError::CredentialsNotLoaded(
                        source
                    ))
                ))
            }
            other => other,
        })
    }

    async fn run(&self, chain: ProfileChain) -> Result<Credentials, CredentialsError> {
        let set = self
            .config
            .profiles()
            .map_err(|e| CredentialsError::invalid_configuration(e.to_string()))?;
        let region = set
            .get("region")
            .map(|r| aws_lite_runtime::config::Region::new(r.to_owned()))
            .or_else(|| self.config.region().cloned());
        let config = self.config.clone().with_region(region);
        let mut credentials = match &chain.base {
            BaseProvider::AccessKey(credentials) => credentials.clone(),
            BaseProvider::CredentialProcess { command, .. } => {
                crate::credential_process::CredentialProcessProvider::new(command.clone())
                    .provide_credentials()
                    .await?
            }
            BaseProvider::WebIdentityTokenRole {
                role_arn,
                web_identity_token_file,
                session_name,
            } => {
                crate::web_identity::WebIdentityTokenCredentialsProvider::from_settings(
                    &config,
                    crate::web_identity::Settings {
                        role_arn: role_arn.clone(),
                        token_file: config.expand(web_identity_token_file),
                        session_name: session_name.clone(),
                    },
                )
                .provide_credentials()
                .await?
            }
            BaseProvider::NamedSource(name) => match name.as_str() {
                "Environment" => {
                    crate::environment::EnvironmentVariableCredentialsProvider::from_config(&config)
                        .provide_credentials()
                        .await?
                }
                "Ec2InstanceMetadata" => {
                    crate::imds::ImdsCredentialsProvider::from_config(&config)
                        .provide_credentials()
                        .await?
                }
                "EcsContainer" => {
                    crate::ecs::EcsCredentialsProvider::from_config(&config)
                        .provide_credentials()
                        .await?
                }
                other => {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "profile `{}`: credential_source `{other}` is not one of Environment, Ec2InstanceMetadata, EcsContainer",
                        set.selected_profile()
                    )));
                }
            },
            BaseProvider::Sso {
                sso_session_name,
                sso_region,
                sso_start_url,
                sso_account_id,
                sso_role_name,
            } => {
                let (Some(account_id), Some(role_name)) = (sso_account_id, sso_role_name) else {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "profile `{}`: SSO credentials need `sso_account_id` and `sso_role_name` (a profile with only a session gives tokens, not credentials)",
                        set.selected_profile()
                    )));
                };
                crate::sso::credentials(
                    &config,
                    &crate::sso::SsoSettings {
                        session_name: sso_session_name.clone(),
                        region: sso_region.clone(),
                        start_url: sso_start_url.clone(),
                        account_id: account_id.clone(),
                        role_name: role_name.clone(),
                    },
                )
                .await?
            }
        };
        for role in &chain.chain {
            credentials = crate::sts::assume_role(&config, credentials, role).await?;
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for ProfileFileCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}
