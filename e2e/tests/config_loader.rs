//! The default chain of `aws-lite-config` (imported as `aws_config`, as a ported program does)
//! against moto's STS: a profile with `role_arn` + `source_profile` assumes the role through
//! the generated STS client, and the temporary credentials sign the next call, which moto
//! answers as the assumed role (moto identifies the caller by the signature's access key); a
//! web identity token file (environment and profile) the same way. The environment is given to
//! the loader (`ProviderConfig::with_env`), files are real temporary files.

use aws_config::ProviderConfig;
use aws_config::os::{Env, Fs};
use aws_sdk_sts::Client;
use e2e::{MOTO_ACCOUNT_ID, MotoServer};
use std::error::Error;
use std::path::PathBuf;

type TestResult = Result<(), Box<dyn Error>>;

/// A temporary folder removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("aws-lite-e2e-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write");
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn load(vars: &[(&str, &str)]) -> aws_config::SdkConfig {
    aws_config::from_env()
        .configure(
            ProviderConfig::default()
                .with_env(Env::from_slice(vars))
                .with_fs(Fs::real()),
        )
        .load()
        .await
}

async fn caller_arn(sdk_config: &aws_config::SdkConfig) -> Result<String, Box<dyn Error>> {
    let me = Client::new(sdk_config).get_caller_identity().send().await?;
    Ok(me.arn().ok_or("no Arn")?.to_owned())
}

#[tokio::test]
async fn profile_role_arn_with_source_profile_assumes_the_role_through_moto() -> TestResult {
    let server = MotoServer::start()?;
    let dir = TempDir::new("assume-role");
    let config = dir.write(
        "config",
        &format!(
            "[profile base]\n\
             aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
             aws_secret_access_key = base-secret\n\
             \n\
             [profile app]\n\
             region = eu-west-1\n\
             role_arn = arn:aws:iam::{MOTO_ACCOUNT_ID}:role/loader-role\n\
             source_profile = base\n\
             role_session_name = loader-session\n"
        ),
    );
    let url = server.url();
    let sdk = load(&[
        ("AWS_CONFIG_FILE", &config),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_PROFILE", "app"),
        ("AWS_ENDPOINT_URL", &url),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ])
    .await;
    assert_eq!(
        sdk.region().map(|r| r.as_ref()),
        Some("eu-west-1"),
        "region from the profile"
    );
    // The base profile's keys are not what signs: the assumed role's credentials are.
    assert_eq!(
        caller_arn(&sdk).await?,
        format!("arn:aws:sts::{MOTO_ACCOUNT_ID}:assumed-role/loader-role/loader-session")
    );
    Ok(())
}

#[tokio::test]
async fn web_identity_token_file_from_the_environment_and_from_a_profile() -> TestResult {
    let server = MotoServer::start()?;
    let dir = TempDir::new("web-identity");
    let token = dir.write(
        "token.jwt",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlMmUifQ.c2ln\n",
    );
    let url = server.url();
    let from_env = load(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
        (
            "AWS_ROLE_ARN",
            &format!("arn:aws:iam::{MOTO_ACCOUNT_ID}:role/wi-role"),
        ),
        ("AWS_ROLE_SESSION_NAME", "wi-env"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", &url),
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ])
    .await;
    assert_eq!(
        caller_arn(&from_env).await?,
        format!("arn:aws:sts::{MOTO_ACCOUNT_ID}:assumed-role/wi-role/wi-env")
    );

    let config = dir.write(
        "config",
        &format!(
            "[default]\n\
             region = us-west-2\n\
             role_arn = arn:aws:iam::{MOTO_ACCOUNT_ID}:role/wi-profile-role\n\
             web_identity_token_file = {token}\n\
             role_session_name = wi-profile\n"
        ),
    );
    let from_profile = load(&[
        ("AWS_CONFIG_FILE", &config),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_ENDPOINT_URL", &url),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ])
    .await;
    assert_eq!(
        caller_arn(&from_profile).await?,
        format!("arn:aws:sts::{MOTO_ACCOUNT_ID}:assumed-role/wi-profile-role/wi-profile")
    );
    Ok(())
}

/// A service id with a space: `Direct Connect` reads `AWS_ENDPOINT_URL_DIRECT_CONNECT` and
/// `direct_connect` in a profile's `services` section (the SDKs' names), through the loader
/// and `Client::new(&sdk_config)` or `Client::from_conf(Builder::from(&sdk_config).build())`.
/// No moto: a loopback server answers.
#[tokio::test]
async fn direct_connect_reads_its_own_endpoint_settings() -> TestResult {
    use aws_lite_runtime::testing::{CannedResponse, TestServer};
    let server = TestServer::start(vec![
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#),
    ]);
    let url = server.url();
    let dir = TempDir::new("service-endpoints");
    let config = dir.write(
        "config",
        &format!(
            "[default]\nservices = local\n[services local]\ndirect_connect =\n  endpoint_url = {url}\n"
        ),
    );
    let base = [
        ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        // Another service's variable and the global one at a closed port: not used.
        ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9"),
    ];
    let sdk = load(&base).await;
    let out = aws_sdk_directconnect::Client::new(&sdk)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .await?;
    assert!(out.virtual_interface_state().is_some());
    let mut with_env = base.to_vec();
    with_env.push(("AWS_ENDPOINT_URL_DIRECT_CONNECT", url.as_str()));
    with_env[3] = ("AWS_CONFIG_FILE", "/nonexistent");
    let sdk = load(&with_env).await;
    aws_sdk_directconnect::Client::new(&sdk)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-2")
        .send()
        .await?;
    // The official crates' other way: a service config built from the shared one, then
    // `Client::from_conf`, reads the same settings.
    let conf = aws_sdk_directconnect::config::Builder::from(&sdk).build();
    aws_sdk_directconnect::Client::from_conf(conf)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-3")
        .send()
        .await?;
    assert_eq!(server.requests().len(), 3);
    Ok(())
}
