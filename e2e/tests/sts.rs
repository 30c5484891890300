//! The generated STS client (query protocol) against a local moto server, written as for the
//! official `aws-sdk-sts` crate: GetCallerIdentity, then AssumeRole, and the temporary
//! credentials it returns (with their session token) sign the next call, which moto answers
//! as the assumed role.
//!
//! moto runs without request authentication here (its authenticated mode only knows the
//! Direct Connect user of `e2e/moto_dx_server.py`); moto still identifies the caller by the
//! access key of the signature, which is what the last step checks.

use std::error::Error;

use aws_lite_runtime::error::RequestId;
use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sts::{Client, Config};
use e2e::{MOTO_ACCOUNT_ID, MotoServer};

type TestResult = Result<(), Box<dyn Error>>;

fn client(server: &MotoServer, credentials: Credentials) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(credentials)
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn caller_identity_then_assumed_role_credentials_sign_a_call() -> TestResult {
    let server = MotoServer::start()?;
    let client = client(
        &server,
        Credentials::new("AKIAIOSFODNN7EXAMPLE", "secret", None, None, "e2e"),
    );

    let me = client.get_caller_identity().send().await?;
    assert_eq!(me.account(), Some(MOTO_ACCOUNT_ID));
    let arn = me.arn().ok_or("no Arn in GetCallerIdentity")?;
    assert!(arn.starts_with("arn:aws:"), "{arn}");
    assert!(me.user_id().is_some_and(|id| !id.is_empty()));
    // The request id comes from the body's ResponseMetadata.
    assert!(me.request_id().is_some_and(|id| !id.is_empty()), "{me:?}");

    let role_arn = format!("arn:aws:iam::{MOTO_ACCOUNT_ID}:role/e2e-role");
    let assumed = client
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("e2e-session")
        .duration_seconds(900)
        .send()
        .await?;
    let creds = assumed
        .credentials()
        .ok_or("no Credentials in AssumeRole")?;
    assert!(!creds.access_key_id().is_empty());
    assert!(!creds.secret_access_key().is_empty());
    assert!(!creds.session_token().is_empty());
    let user = assumed.assumed_role_user().ok_or("no AssumedRoleUser")?;
    assert_eq!(
        user.arn(),
        format!("arn:aws:sts::{MOTO_ACCOUNT_ID}:assumed-role/e2e-role/e2e-session")
    );
    assert!(user.assumed_role_id().ends_with(":e2e-session"), "{user:?}");

    let temporary = client_with(&server, creds);
    let as_role = temporary.get_caller_identity().send().await?;
    assert_eq!(as_role.arn(), Some(user.arn()));
    assert_eq!(as_role.account(), Some(MOTO_ACCOUNT_ID));
    Ok(())
}

fn client_with(server: &MotoServer, creds: &aws_sdk_sts::types::Credentials) -> Client {
    client(
        server,
        Credentials::new(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token().to_string()),
            None,
            "assumed-role",
        ),
    )
}

#[tokio::test]
async fn a_too_short_role_arn_fails_before_sending() -> TestResult {
    let server = MotoServer::start()?;
    let client = client(
        &server,
        Credentials::new("AKIAIOSFODNN7EXAMPLE", "secret", None, None, "e2e"),
    );
    // RoleArn has a minimum length of 20 in the model: checked before sending, as botocore does.
    let err = client
        .assume_role()
        .role_arn("arn:short")
        .role_session_name("s")
        .send()
        .await
        .expect_err("a too short RoleArn is refused");
    assert!(
        err.to_string().contains("RoleArn") || format!("{err:?}").contains("RoleArn"),
        "{err:?}"
    );
    assert_eq!(err.code(), None);
    Ok(())
}
