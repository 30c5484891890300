//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`): where they
//! are, how they parse, which profile is selected.
//!
//! Locations, as the SDKs define them (`test-data/file-location-tests.json`): the config file is
//! `AWS_CONFIG_FILE`, else `~/.aws/config`; the credentials file `AWS_SHARED_CREDENTIALS_FILE`,
//! else `~/.aws/credentials`; `~` is the home folder (`HOME`; on Windows then `USERPROFILE`,
//! then `HOMEDRIVE` + `HOMEPATH`). The profile is `AWS_PROFILE`, else `default`. A missing file
//! counts as empty; a file that cannot be parsed is an error naming the file and line.

pub mod credentials;
pub mod parser;

pub use parser::{FileKind, Profile, ProfileParseError, ProfileSet, Properties};

use crate::os::{Env, Fs, Os, expand_home, home_dir};
use std::fmt;
use std::path::PathBuf;

/// Environment variable naming the config file.
pub const ENV_CONFIG_FILE: &str = "AWS_CONFIG_FILE";
/// Environment variable naming the credentials file.
pub const ENV_SHARED_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";
/// Environment variable naming the profile.
pub const ENV_PROFILE: &str = "AWS_PROFILE";

/// Where the two files are and which profile is selected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLocations {
    /// The config file's path.
    pub config: String,
    /// The credentials file's path.
    pub credentials: String,
    /// The selected profile.
    pub profile: String,
}

impl FileLocations {
    /// The locations `env` gives on `os` (`profile_override`, when set, wins over
    /// `AWS_PROFILE`).
    pub fn resolve(env: &Env, os: Os, profile_override: Option<&str>) -> Self {
        let home = home_dir(env, os);
        let path = |var: &str, default: &str| {
            let path = env.get_non_empty(var).unwrap_or_else(|| default.to_owned());
            expand_home(&path, home.as_deref(), os)
        };
        FileLocations {
            config: path(ENV_CONFIG_FILE, "~/.aws/config"),
            credentials: path(ENV_SHARED_CREDENTIALS_FILE, "~/.aws/credentials"),
            profile: profile_override
                .map(str::to_owned)
                .or_else(|| env.get_non_empty(ENV_PROFILE))
                .unwrap_or_else(|| "default".to_owned()),
        }
    }
}

/// Why the profile files could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum ProfileFileError {
    /// A file exists but could not be read.
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not valid UTF-8.
    NotUtf8 {
        /// The file.
        path: String,
    },
    /// A file could not be parsed.
    Parse(ProfileParseError),
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { path, source } => write!(f, "could not read {path}: {source}"),
            Self::NotUtf8 { path } => write!(f, "{path} is not valid UTF-8"),
            Self::Parse(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ProfileFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Reads and parses the files at `locations` (a missing file is empty).
pub fn load(fs: &Fs, locations: &FileLocations) -> Result<ProfileSet, ProfileFileError> {
    let read = |path: &str| -> Result<Option<String>, ProfileFileError> {
        match fs.read(&PathBuf::from(path)) {
            Ok(bytes) => {
                String::from_utf8(bytes)
                    .map(Some)
                    .map_err(|_| ProfileFileError::NotUtf8 {
                        path: path.to_owned(),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            // A folder where a file is expected, or no permission: as the SDKs, report it.
            Err(source) => Err(ProfileFileError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    };
    let config = read(&locations.config)?;
    let credentials = read(&locations.credentials)?;
    ProfileSet::parse(
        config.as_deref().map(|t| (locations.config.as_str(), t)),
        credentials
            .as_deref()
            .map(|t| (locations.credentials.as_str(), t)),
        locations.profile.clone(),
    )
    .map_err(ProfileFileError::Parse)
}
