//! DynamoDB's table waiters (botocore 1.44.8's `waiters-2.json`) against a real moto server,
//! through the generated `--ops` crate imported under the official crate's name and used as
//! code written for `aws-sdk-dynamodb` uses it.

use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
};
use aws_sdk_dynamodb::waiters::table_exists::WaitUntilTableExistsError;
use aws_sdk_dynamodb::{Client, Config};
// Official: `aws_smithy_runtime_api::client::waiters::error::WaiterError`.
use aws_lite_runtime::waiter::error::WaiterError;
use e2e::MotoServer;
use std::error::Error;
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn Error>>;

fn client(server: &MotoServer) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "moto"))
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

async fn create_table(client: &Client, name: &str) -> TestResult {
    client
        .create_table()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn table_exists_then_not_exists() -> TestResult {
    let server = MotoServer::start_unpatched()?;
    let client = client(&server);
    create_table(&client, "waited").await?;

    let poll = client
        .wait_until_table_exists()
        .table_name("waited")
        .wait(Duration::from_secs(300))
        .await?;
    let output = poll.into_result()?;
    let table = output.table().expect("the table is described");
    assert_eq!(table.table_status(), Some(&TableStatus::Active));
    assert_eq!(table.table_name(), Some("waited"));

    let listed = client.list_tables().send().await?;
    assert!(listed.table_names().iter().any(|n| n == "waited"));

    client.delete_table().table_name("waited").send().await?;
    let started = Instant::now();
    let poll = client
        .wait_until_table_not_exists()
        .table_name("waited")
        .wait(Duration::from_secs(300))
        .await?;
    // Success is the ResourceNotFoundException (an error acceptor with state success).
    let err = poll.into_result().expect_err("the final poll is the error");
    assert!(err.into_service_error().is_resource_not_found_exception());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "no delay was needed"
    );
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_table_that_never_appears_ends_at_max_wait() -> TestResult {
    let server = MotoServer::start_unpatched()?;
    let client = client(&server);
    let started = Instant::now();
    let err: WaitUntilTableExistsError = client
        .wait_until_table_exists()
        .table_name("never")
        .wait(Duration::from_secs(3))
        .await
        .expect_err("the table never exists");
    let elapsed = started.elapsed();
    let WaiterError::ExceededMaxWait(ctx) = &err else {
        panic!("expected ExceededMaxWait, got {err:?}");
    };
    assert_eq!(ctx.max_wait(), Duration::from_secs(3));
    // The retry acceptor (ResourceNotFoundException) kept it polling: the first poll, one
    // when the time is up, and one last.
    assert!(ctx.poll_count() >= 2, "{ctx:?}");
    assert!(
        elapsed >= Duration::from_secs(3) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    Ok(())
}

/// `?` turns a waiter's error into the crate's `Error`, as with the official crate.
async fn wait_for(client: &Client, name: &str) -> Result<(), aws_sdk_dynamodb::Error> {
    client
        .wait_until_table_exists()
        .table_name(name)
        .wait(Duration::from_secs(2))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn a_waiter_error_converts_into_the_crate_error() -> TestResult {
    let server = MotoServer::start_unpatched()?;
    let client = client(&server);
    let err = wait_for(&client, "missing")
        .await
        .expect_err("never exists");
    assert!(
        matches!(err, aws_sdk_dynamodb::Error::Unhandled(_)),
        "{err:?}"
    );
    let source = std::error::Error::source(&err).expect("the waiter error is the source");
    assert_eq!(source.to_string(), "exceeded max wait time (2s)");
    Ok(())
}
