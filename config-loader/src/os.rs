//! The environment and file system the providers read, replaceable in tests: the process's
//! own ([`Env::real`], [`Fs::real`]) or fixed values ([`Env::from_slice`], [`Fs::from_map`],
//! [`Fs::from_test_dir`]).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Environment variables.
#[derive(Clone)]
pub struct Env(Arc<EnvInner>);

enum EnvInner {
    Process,
    Fixed(HashMap<String, String>),
}

impl Env {
    /// The process environment.
    pub fn real() -> Self {
        Env(Arc::new(EnvInner::Process))
    }

    /// Fixed variables (tests).
    pub fn from_slice(vars: &[(&str, &str)]) -> Self {
        Env(Arc::new(EnvInner::Fixed(
            vars.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )))
    }

    /// Fixed variables from a map (tests).
    pub fn from_map(vars: HashMap<String, String>) -> Self {
        Env(Arc::new(EnvInner::Fixed(vars)))
    }

    /// The variable's value, if set and valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        match &*self.0 {
            EnvInner::Process => std::env::var(name).ok(),
            EnvInner::Fixed(map) => map.get(name).cloned(),
        }
    }

    /// The variable's value if set and not empty (after trimming).
    pub fn get_non_empty(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }
}

/// Never shows values: the environment holds secrets.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            EnvInner::Process => f.write_str("Env::Process"),
            EnvInner::Fixed(map) => {
                let mut keys: Vec<_> = map.keys().collect();
                keys.sort();
                f.debug_tuple("Env::Fixed").field(&keys).finish()
            }
        }
    }
}

/// A read-only file system.
#[derive(Clone)]
pub struct Fs(Arc<FsInner>);

enum FsInner {
    Real,
    Fixed(HashMap<PathBuf, Vec<u8>>),
    /// Paths under `root` are read under `dir` (`/home/.aws/config` → `dir/home/.aws/config`).
    TestDir {
        dir: PathBuf,
        root: PathBuf,
    },
}

impl Fs {
    /// The real file system.
    pub fn real() -> Self {
        Fs(Arc::new(FsInner::Real))
    }

    /// Files with fixed contents (tests).
    pub fn from_map(files: HashMap<PathBuf, Vec<u8>>) -> Self {
        Fs(Arc::new(FsInner::Fixed(files)))
    }

    /// Files with fixed contents (tests).
    pub fn from_slice(files: &[(&str, &str)]) -> Self {
        Self::from_map(
            files
                .iter()
                .map(|(p, c)| (PathBuf::from(p), c.as_bytes().to_vec()))
                .collect(),
        )
    }

    /// The folder `dir` seen as `root` (tests): reading `root/a/b` reads `dir/a/b`.
    pub fn from_test_dir(dir: impl Into<PathBuf>, root: impl Into<PathBuf>) -> Self {
        Fs(Arc::new(FsInner::TestDir {
            dir: dir.into(),
            root: root.into(),
        }))
    }

    /// The whole file.
    pub fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let not_found = || std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        match &*self.0 {
            FsInner::Real => std::fs::read(path),
            FsInner::Fixed(files) => files.get(path).cloned().ok_or_else(not_found),
            FsInner::TestDir { dir, root } => {
                let relative = path.strip_prefix(root).map_err(|_| not_found())?;
                std::fs::read(dir.join(relative))
            }
        }
    }
}

impl fmt::Debug for Fs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            FsInner::Real => f.write_str("Fs::Real"),
            FsInner::Fixed(files) => f.debug_tuple("Fs::Fixed").field(&files.len()).finish(),
            FsInner::TestDir { dir, root } => f
                .debug_struct("Fs::TestDir")
                .field("dir", dir)
                .field("root", root)
                .finish(),
        }
    }
}

/// The operating system family, for home folders and path separators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    /// Windows: `\` separators, `USERPROFILE` and `HOMEDRIVE`+`HOMEPATH` as home.
    Windows,
    /// Anything else: `/` separators, `HOME`.
    Unix,
}

impl Os {
    /// The OS this program runs on.
    pub fn current() -> Self {
        if cfg!(windows) { Os::Windows } else { Os::Unix }
    }
}

/// The user's home folder: `HOME`, then on Windows `USERPROFILE`, then `HOMEDRIVE` +
/// `HOMEPATH`.
pub fn home_dir(env: &Env, os: Os) -> Option<String> {
    if let Some(home) = env.get_non_empty("HOME") {
        return Some(home);
    }
    if os == Os::Windows {
        if let Some(profile) = env.get_non_empty("USERPROFILE") {
            return Some(profile);
        }
        if let (Some(drive), Some(path)) = (
            env.get_non_empty("HOMEDRIVE"),
            env.get_non_empty("HOMEPATH"),
        ) {
            return Some(format!("{drive}{path}"));
        }
    }
    None
}

/// `path` with a leading `~` replaced by `home` and the rest joined with the OS's separator;
/// other paths unchanged (they come from the environment, in the platform's own form).
pub fn expand_home(path: &str, home: Option<&str>, os: Os) -> String {
    let rest = match path.strip_prefix('~') {
        Some("") => "",
        Some(rest) if rest.starts_with('/') || (os == Os::Windows && rest.starts_with('\\')) => {
            rest
        }
        _ => return path.to_owned(),
    };
    let Some(home) = home else {
        return path.to_owned();
    };
    let separators: &[char] = match os {
        Os::Windows => &['/', '\\'],
        Os::Unix => &['/'],
    };
    let separator = match os {
        Os::Windows => '\\',
        Os::Unix => '/',
    };
    let mut out = home.trim_end_matches(separators).to_owned();
    for part in rest.split(separators).filter(|p| !p.is_empty()) {
        out.push(separator);
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_expansion() {
        assert_eq!(
            expand_home("~/.aws/config", Some("/home/u"), Os::Unix),
            "/home/u/.aws/config"
        );
        assert_eq!(
            expand_home("~/.aws/config", Some("C:\\Users\\u"), Os::Windows),
            "C:\\Users\\u\\.aws\\config"
        );
        assert_eq!(expand_home("~/x", None, Os::Unix), "~/x");
        assert_eq!(expand_home("~user/x", Some("/h"), Os::Unix), "~user/x");
        assert_eq!(expand_home("/etc/x", Some("/h"), Os::Unix), "/etc/x");
    }

    #[test]
    fn env_debug_hides_values() {
        let env = Env::from_slice(&[("AWS_SECRET_ACCESS_KEY", "SECRETVALUE")]);
        assert!(!format!("{env:?}").contains("SECRETVALUE"));
    }
}
