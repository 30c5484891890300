//! The generated Direct Connect client against a local moto server.
//!
//! Written exactly as for the official `aws-sdk-directconnect` crate: the
//! generated crate is imported under that name (see e2e/Cargo.toml).
//!
//! What moto 5.2.5 does for Direct Connect, and so what is asserted here:
//! - CreateConnection: the connection is `available` at once; its id is an
//!   ARN, `arn:aws:directconnect:<region>:123456789012:dx-con/dx-moto-<name>-<yyyymmddHHMMSS>`
//!   (on AWS it is `dxcon-…`), so two connections with the same name created
//!   in the same second collide: every test uses its own names.
//! - UpdateConnection renames; DeleteConnection returns the connection in
//!   state `deleted`, and DescribeConnections keeps listing it so.
//! - TagResource/UntagResource/DescribeTags work on any ARN string;
//!   a connection's `tags` are those of its id.
//! - Errors are awsJson1.1: HTTP 400, `X-Amzn-ErrorType` and
//!   `{"__type": "ConnectionNotFound", "message": "..."}`.
//!
//! moto runs with request authentication on (`INITIAL_NO_AUTH_ACTION_COUNT=0`) and the client
//! signs with the keys of an IAM user created through moto's IAM backend, so moto checks
//! every signature; `a_wrong_signature_is_refused_by_moto` shows that it does.
//!
//! moto sends two `Connection` members with the wrong JSON type; the server
//! is started through e2e/moto_dx_server.py, which fixes only those (see it).

use std::error::Error;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_directconnect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_directconnect::error::ProvideErrorMetadata;
use aws_sdk_directconnect::types::{ConnectionState, HasLogicalRedundancy, Tag};
use aws_sdk_directconnect::{Client, Config};
use e2e::{MOTO_ACCOUNT_ID, MotoServer};

type TestResult = Result<(), Box<dyn Error>>;

const REGION: &str = "us-east-1";

/// A client signing with the IAM user moto created: moto runs with request authentication
/// on ([`MotoServer::start_authenticated`]), so a wrong signature fails the test.
fn client(server: &MotoServer) -> Client {
    let (key_id, secret) = server
        .credentials()
        .expect("the authenticated moto server wrote its IAM user's keys");
    let config = Config::builder()
        .region(Region::new(REGION))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(key_id, secret, None, None, "moto-iam"))
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

/// The ARN to tag a connection by. On AWS that is
/// `arn:aws:directconnect:REGION:ACCOUNT:dxcon/dxcon-…`; moto's connection
/// ids already are ARNs, and moto keys a connection's tags by its id.
fn connection_arn(connection_id: &str) -> String {
    if connection_id.starts_with("arn:") {
        connection_id.to_string()
    } else {
        format!("arn:aws:directconnect:{REGION}:{MOTO_ACCOUNT_ID}:dxcon/{connection_id}")
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

#[tokio::test]
async fn connection_lifecycle_rename_tag_delete() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let client = client(&server);

    // Create.
    let created = client
        .create_connection()
        .location("EqDC2")
        .bandwidth("1Gbps")
        .connection_name("e2e-conn")
        .send()
        .await?;
    let id = created
        .connection_id()
        .expect("CreateConnection returns the connection id")
        .to_string();
    assert!(!id.is_empty());
    assert_eq!(created.connection_name(), Some("e2e-conn"));
    assert_eq!(
        created.connection_state(),
        Some(&ConnectionState::Available)
    );
    assert_eq!(created.location(), Some("EqDC2"));
    assert_eq!(created.bandwidth(), Some("1Gbps"));
    assert_eq!(created.region(), Some(REGION));
    assert_eq!(
        created.has_logical_redundancy(),
        Some(&HasLogicalRedundancy::No)
    );
    let loa = created
        .loa_issue_time()
        .expect("moto sets the LOA issue time")
        .secs();
    assert!(
        (loa - now_secs()).abs() < 3600,
        "LOA issue time {loa} is not about now ({})",
        now_secs()
    );
    assert!(created.tags().is_empty(), "{:?}", created.tags());

    // Describe by id.
    let described = client
        .describe_connections()
        .connection_id(&id)
        .send()
        .await?;
    let [conn] = described.connections() else {
        panic!("expected exactly one connection: {described:?}");
    };
    assert_eq!(conn.connection_id(), Some(id.as_str()));
    assert_eq!(conn.connection_name(), Some("e2e-conn"));
    assert_eq!(conn.connection_state(), Some(&ConnectionState::Available));

    // Rename.
    let updated = client
        .update_connection()
        .connection_id(&id)
        .connection_name("renamed")
        .send()
        .await?;
    assert_eq!(updated.connection_id(), Some(id.as_str()));
    assert_eq!(updated.connection_name(), Some("renamed"));
    assert_eq!(
        updated.connection_state(),
        Some(&ConnectionState::Available)
    );
    let described = client
        .describe_connections()
        .connection_id(&id)
        .send()
        .await?;
    assert_eq!(described.connections().len(), 1);
    assert_eq!(
        described.connections()[0].connection_name(),
        Some("renamed")
    );

    // Tag.
    let arn = connection_arn(&id);
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags(Tag::builder().key("team").value("net").build()?)
        .tags(Tag::builder().key("env").value("e2e").build()?)
        .send()
        .await?;
    let tags = client.describe_tags().resource_arns(&arn).send().await?;
    let [resource] = tags.resource_tags() else {
        panic!("expected tags of exactly one resource: {tags:?}");
    };
    assert_eq!(resource.resource_arn(), Some(arn.as_str()));
    let mut pairs: Vec<(&str, Option<&str>)> = resource
        .tags()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    pairs.sort();
    assert_eq!(pairs, [("env", Some("e2e")), ("team", Some("net"))]);

    // The connection reports its tags too.
    let described = client
        .describe_connections()
        .connection_id(&id)
        .send()
        .await?;
    let mut on_conn: Vec<&str> = described.connections()[0]
        .tags()
        .iter()
        .map(|t| t.key())
        .collect();
    on_conn.sort();
    assert_eq!(on_conn, ["env", "team"]);

    // Untag one key.
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("env")
        .send()
        .await?;
    let tags = client.describe_tags().resource_arns(&arn).send().await?;
    assert_eq!(tags.resource_tags().len(), 1);
    let left: Vec<(&str, Option<&str>)> = tags.resource_tags()[0]
        .tags()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(left, [("team", Some("net"))]);

    // Delete: the connection comes back in state `deleted`, and stays
    // visible as deleted.
    let deleted = client.delete_connection().connection_id(&id).send().await?;
    assert_eq!(deleted.connection_id(), Some(id.as_str()));
    assert_eq!(deleted.connection_name(), Some("renamed"));
    assert_eq!(deleted.connection_state(), Some(&ConnectionState::Deleted));
    let described = client
        .describe_connections()
        .connection_id(&id)
        .send()
        .await?;
    assert_eq!(described.connections().len(), 1);
    assert_eq!(
        described.connections()[0].connection_state(),
        Some(&ConnectionState::Deleted)
    );
    Ok(())
}

#[tokio::test]
async fn describe_connections_lists_all_with_creation_tags() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let client = client(&server);

    let empty = client.describe_connections().send().await?;
    assert!(empty.connections().is_empty(), "{empty:?}");

    let first = client
        .create_connection()
        .location("EqDC2")
        .bandwidth("1Gbps")
        .connection_name("e2e-list-a")
        .tags(Tag::builder().key("owner").value("a").build()?)
        .send()
        .await?;
    let second = client
        .create_connection()
        .location("EqSe2")
        .bandwidth("10Gbps")
        .connection_name("e2e-list-b")
        .send()
        .await?;
    let (a, b) = (
        first.connection_id().expect("id"),
        second.connection_id().expect("id"),
    );
    assert_ne!(a, b);
    let owner: Vec<(&str, Option<&str>)> =
        first.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(owner, [("owner", Some("a"))]);

    let all = client.describe_connections().send().await?;
    let mut listed: Vec<(&str, &str, &str)> = all
        .connections()
        .iter()
        .map(|c| {
            (
                c.connection_name().unwrap_or_default(),
                c.location().unwrap_or_default(),
                c.bandwidth().unwrap_or_default(),
            )
        })
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            ("e2e-list-a", "EqDC2", "1Gbps"),
            ("e2e-list-b", "EqSe2", "10Gbps")
        ]
    );
    assert!(
        all.connections()
            .iter()
            .all(|c| c.connection_state() == Some(&ConnectionState::Available))
    );

    // Tags of several resources at once, in the order asked; a resource
    // without tags is listed with none.
    let tags = client
        .describe_tags()
        .resource_arns(connection_arn(a))
        .resource_arns(connection_arn(b))
        .send()
        .await?;
    let per_resource: Vec<(Option<&str>, usize)> = tags
        .resource_tags()
        .iter()
        .map(|r| (r.resource_arn(), r.tags().len()))
        .collect();
    assert_eq!(
        per_resource,
        [
            (Some(connection_arn(a).as_str()), 1),
            (Some(connection_arn(b).as_str()), 0)
        ]
    );
    Ok(())
}

#[tokio::test]
async fn unknown_connection_is_a_service_error_with_moto_code() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let client = client(&server);

    let err = client
        .describe_connections()
        .connection_id("dxcon-doesnotexist")
        .send()
        .await
        .expect_err("DescribeConnections of an unknown id fails");
    // Through the SdkError itself...
    assert_eq!(err.code(), Some("ConnectionNotFound"), "{err:?}");
    // ...and through the operation's error.
    let service_err = err
        .as_service_error()
        .expect("a service error, not a transport or parse failure");
    assert_eq!(service_err.code(), Some("ConnectionNotFound"));
    assert_eq!(
        service_err.message(),
        Some("dxcon-doesnotexist does not match any connections in region us-east-1.")
    );

    let err = client
        .update_connection()
        .connection_id("dxcon-doesnotexist")
        .connection_name("x")
        .send()
        .await
        .expect_err("UpdateConnection of an unknown id fails");
    assert_eq!(err.into_service_error().code(), Some("ConnectionNotFound"));

    // A bad call: an empty connection id.
    let err = client
        .delete_connection()
        .connection_id("")
        .send()
        .await
        .expect_err("DeleteConnection without an id fails");
    let service_err = err.into_service_error();
    assert_eq!(service_err.code(), Some("ConnectionIdMissing"));
    assert_eq!(service_err.message(), Some("The connection ID is missing."));
    Ok(())
}

#[tokio::test]
async fn a_wrong_signature_is_refused_by_moto() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let (key_id, secret) = server.credentials().expect("keys");
    // The right keys work (so the failure below is the signature's, not the set-up's).
    client(&server).describe_connections().send().await?;
    let wrong = Config::builder()
        .region(Region::new(REGION))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(
            key_id,
            format!("{secret}x"),
            None,
            None,
            "wrong",
        ))
        .behavior_version(BehaviorVersion::latest())
        .build();
    let err = Client::from_conf(wrong)
        .describe_connections()
        .send()
        .await
        .expect_err("moto refuses a signature made with the wrong secret");
    let raw = err.raw_response().expect("moto answered");
    assert_eq!(raw.status, 403, "{err:?}");
    let body = String::from_utf8_lossy(raw.body.bytes().unwrap_or_default());
    assert!(body.contains("SignatureDoesNotMatch"), "{body}");
    Ok(())
}
