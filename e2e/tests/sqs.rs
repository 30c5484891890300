//! The generated SQS client (awsJson 1.0, query-compatible) against a local moto server, written
//! as for the official `aws-sdk-sqs` crate: CreateQueue, SendMessage, ReceiveMessage, ListQueues,
//! DeleteQueue, and a missing queue gives the query-compatible error: the code users see is the
//! query code `AWS.SimpleQueueService.NonExistentQueue` (from `x-amzn-query-error`), the
//! variant is `QueueDoesNotExist`.
//!
//! moto runs without request authentication here (its authenticated mode only knows the
//! Direct Connect user of `e2e/moto_dx_server.py`).

use std::error::Error;

use aws_lite_runtime::error::{ProvideErrorMetadata, RequestId};
use aws_sdk_sqs::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sqs::{Client, Config};
use e2e::MotoServer;

type TestResult = Result<(), Box<dyn Error>>;

fn client(server: &MotoServer) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "e2e"))
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn send_receive_and_the_query_compatible_error_of_a_missing_queue() -> TestResult {
    let server = MotoServer::start()?;
    let client = client(&server);

    let created = client.create_queue().queue_name("e2e-queue").send().await?;
    let url = created.queue_url().ok_or("no QueueUrl")?.to_owned();
    assert!(url.ends_with("/e2e-queue"), "{url}");

    let sent = client
        .send_message()
        .queue_url(&url)
        .message_body("hello from aws-lite")
        .send()
        .await?;
    assert!(sent.message_id().is_some_and(|id| !id.is_empty()));
    assert!(sent.request_id().is_some_and(|id| !id.is_empty()));

    let received = client
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .send()
        .await?;
    let bodies: Vec<&str> = received
        .messages()
        .iter()
        .filter_map(|m| m.body())
        .collect();
    assert_eq!(bodies, ["hello from aws-lite"]);

    let listed = client.list_queues().send().await?;
    assert!(listed.queue_urls().iter().any(|u| u == &url), "{listed:?}");

    // A missing queue: the query-compatible error.
    let err = client
        .get_queue_url()
        .queue_name("no-such-queue")
        .send()
        .await
        .expect_err("the queue does not exist");
    let service_err = err.as_service_error().ok_or("a service error")?;
    assert!(service_err.is_queue_does_not_exist(), "{service_err:?}");
    assert_eq!(
        service_err.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
        "the query code, as botocore and the official SDK give it"
    );

    client.delete_queue().queue_url(&url).send().await?;
    let listed = client.list_queues().send().await?;
    assert!(!listed.queue_urls().iter().any(|u| u == &url));
    Ok(())
}
