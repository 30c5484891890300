//! `credential_process`: credentials printed as JSON by a command the profile names.
//!
//! The command runs through the shell (`sh -c`, `cmd.exe /C` on Windows) on its own thread,
//! so the async caller is not blocked. Its output is parsed as the SDKs define it
//! (`{"Version": 1, "AccessKeyId": .., "SecretAccessKey": .., "SessionToken": ..,
//! "Expiration": "RFC 3339"}`). The command line is never printed (it may carry secrets);
//! errors name the profile instead.

use aws_lite_runtime::config::{Credentials, CredentialsError, ProvideCredentials};
use aws_lite_runtime::credentials::future;
use std::fmt;

/// Runs a `credential_process` command.
#[derive(Clone)]
pub struct CredentialProcessProvider {
    command: String,
}

impl fmt::Debug for CredentialProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialProcessProvider")
            .field("command", &"** redacted **")
            .finish()
    }
}

impl CredentialProcessProvider {
    /// A provider running `command`.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
        }
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let command = self.command.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let output = if cfg!(windows) {
                std::process::Command::new("cmd.exe")
                    .args(["/C", &command])
                    .output()
            } else {
                std::process::Command::new("sh")
                    .args(["-c", &command])
                    .output()
            };
            let _ = tx.send(output);
        });
        let output = rx
            .await
            .map_err(|_| {
                CredentialsError::provider_error("credential_process: the command's thread ended")
            })?
            .map_err(|e| {
                CredentialsError::provider_error(format!(
                    "credential_process: could not run the command: {e}"
                ))
            })?;
        if !output.status.success() {
            // stderr may say why; stdout may hold secrets and is not shown.
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stderr: String = stderr.chars().take(500).collect();
            return Err(CredentialsError::provider_error(format!(
                "credential_process: the command exited with {}: {}",
                output.status,
                stderr.trim()
            )));
        }
        let text = std::str::from_utf8(&output.stdout).map_err(|_| {
            CredentialsError::provider_error("credential_process: the output is not UTF-8")
        })?;
        parse_output(text)
    }
}

/// Parses a `credential_process` command's output.
pub fn parse_output(text: &str) -> Result<Credentials, CredentialsError> {
    let invalid = |why: String| {
        CredentialsError::provider_error(format!("credential_process: invalid output: {why}"))
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("not JSON ({e})")))?;
    let object = value
        .as_object()
        .ok_or_else(|| invalid("not a JSON object".to_owned()))?;
    match object.get("Version") {
        Some(v) if v.as_u64() == Some(1) => {}
        Some(v) => return Err(invalid(format!("unsupported Version {v} (only 1 is)"))),
        None => return Err(invalid("no Version".to_owned())),
    }
    let field = |name: &str| -> Result<Option<&str>, CredentialsError> {
        match object.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(invalid(format!("{name} is not a string"))),
        }
    };
    let key = field("AccessKeyId")?.ok_or_else(|| invalid("no AccessKeyId".to_owned()))?;
    let secret =
        field("SecretAccessKey")?.ok_or_else(|| invalid("no SecretAccessKey".to_owned()))?;
    let expiry = field("Expiration")?
        .map(|e| crate::time::parse_rfc3339(e).map_err(|why| invalid(format!("Expiration: {why}"))))
        .transpose()?;
    Ok(Credentials::new(
        key,
        secret,
        field("SessionToken")?.map(str::to_owned),
        expiry,
        "CredentialProcess",
    ))
}

impl ProvideCredentials for CredentialProcessProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}
