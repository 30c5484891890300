//! The generated IAM client (query protocol) against a local moto server, written as for the
//! official `aws-sdk-iam` crate: 250 users created, listed back through the `ListUsers`
//! paginator, an access key created, and the modelled error of a missing user
//! (`NoSuchEntityException`, whose wire code is `NoSuchEntity`) with its message and request
//! id.
//!
//! moto 5's `ListUsers` ignores `MaxItems` and `Marker` (it answers every user with
//! `IsTruncated` false), so the paginator gets one page of 250 here; following `Marker` over
//! several pages is what `tests/paginate_blocking.rs` checks against a scripted server.

use std::collections::BTreeSet;
use std::error::Error;

use aws_lite_runtime::error::RequestId;
use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_iam::operation::delete_user::DeleteUserError;
use aws_sdk_iam::types::StatusType;
use aws_sdk_iam::{Client, Config};
use e2e::MotoServer;

type TestResult = Result<(), Box<dyn Error>>;

fn client(server: &MotoServer) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "secret",
            None,
            None,
            "e2e",
        ))
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn users_paginated_access_key_and_missing_user() -> TestResult {
    let server = MotoServer::start()?;
    let client = client(&server);

    let mut created = BTreeSet::new();
    for i in 0..250 {
        let name = format!("e2e-user-{i:03}");
        let out = client
            .create_user()
            .user_name(&name)
            .path("/e2e/")
            .send()
            .await?;
        let user = out.user().ok_or("CreateUser returned no user")?;
        assert_eq!(user.user_name(), name);
        assert_eq!(user.path(), "/e2e/");
        assert!(
            user.arn().ends_with(&format!(":user/e2e/{name}")),
            "{user:?}"
        );
        created.insert(name);
    }

    // moto answers every user in one page whatever MaxItems says (see the module docs).
    let mut pages = client
        .list_users()
        .path_prefix("/e2e/")
        .into_paginator()
        .page_size(100)
        .send();
    let mut sizes = Vec::new();
    let mut listed = BTreeSet::new();
    while let Some(page) = pages.next().await {
        let page = page?;
        sizes.push(page.users().len());
        for user in page.users() {
            assert!(
                listed.insert(user.user_name().to_string()),
                "listed twice: {user:?}"
            );
        }
    }
    assert_eq!(sizes, [250]);
    assert_eq!(listed, created);

    let key = client
        .create_access_key()
        .user_name("e2e-user-007")
        .send()
        .await?;
    let key = key
        .access_key()
        .ok_or("CreateAccessKey returned no AccessKey")?;
    assert_eq!(key.user_name(), "e2e-user-007");
    assert!(!key.access_key_id().is_empty() && !key.secret_access_key().is_empty());
    assert_eq!(key.status(), &StatusType::Active);

    let err = client
        .delete_user()
        .user_name("nobody-here")
        .send()
        .await
        .expect_err("deleting a missing user fails");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    assert!(
        err.message().is_some_and(|m| m.contains("nobody-here")),
        "{:?}",
        err.message()
    );
    assert!(err.request_id().is_some_and(|id| !id.is_empty()), "{err:?}");
    match err.as_service_error() {
        Some(DeleteUserError::NoSuchEntityException(e)) => {
            assert!(
                e.message().is_some_and(|m| m.contains("nobody-here")),
                "{e:?}"
            );
        }
        other => return Err(format!("expected NoSuchEntityException, got {other:?}").into()),
    }
    assert!(
        err.as_service_error()
            .is_some_and(DeleteUserError::is_no_such_entity_exception)
    );
    Ok(())
}
