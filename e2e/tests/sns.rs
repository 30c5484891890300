//! The generated SNS client (query protocol) against a local moto server with request
//! authentication on, written as for the official `aws-sdk-sns` crate: CreateTopic (120
//! topics), Publish (with message attributes), ListTopics through the paginator (moto answers
//! 100 topics a page, so it takes two pages and a `NextToken`), DeleteTopic, and the modelled
//! error of a publish to a missing topic (`NotFoundException`, wire code `NotFound`).

use std::collections::BTreeSet;
use std::error::Error;

use aws_lite_runtime::error::RequestId;
use aws_sdk_sns::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sns::operation::publish::PublishError;
use aws_sdk_sns::types::MessageAttributeValue;
use aws_sdk_sns::{Client, Config};
use e2e::{MOTO_ACCOUNT_ID, MotoServer};

type TestResult = Result<(), Box<dyn Error>>;

/// A client signing with the IAM user moto created: moto checks every signature.
fn client(server: &MotoServer) -> Client {
    let (key_id, secret) = server
        .credentials()
        .expect("the authenticated moto server wrote its IAM user's keys");
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(key_id, secret, None, None, "moto-iam"))
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn topics_created_published_to_listed_over_two_pages() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let client = client(&server);

    let mut created = BTreeSet::new();
    for i in 0..120 {
        let name = format!("e2e-topic-{i:03}");
        let out = client.create_topic().name(&name).send().await?;
        let arn = out.topic_arn().ok_or("CreateTopic returned no TopicArn")?;
        assert_eq!(
            arn,
            format!("arn:aws:sns:us-east-1:{MOTO_ACCOUNT_ID}:{name}")
        );
        assert!(out.request_id().is_some_and(|id| !id.is_empty()), "{out:?}");
        created.insert(arn.to_string());
    }
    let first = created.iter().next().cloned().ok_or("no topic")?;

    let published = client
        .publish()
        .topic_arn(&first)
        .subject("greeting")
        .message("hello from aws-lite")
        .message_attributes(
            "kind",
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value("test")
                .build()?,
        )
        .send()
        .await?;
    let message_id = published
        .message_id()
        .ok_or("Publish returned no MessageId")?;
    assert!(!message_id.is_empty());

    // moto answers 100 topics a page with a NextToken: the paginator follows it.
    let mut pages = client.list_topics().into_paginator().send();
    let mut sizes = Vec::new();
    let mut listed = BTreeSet::new();
    while let Some(page) = pages.next().await {
        let page = page?;
        sizes.push(page.topics().len());
        for topic in page.topics() {
            let arn = topic.topic_arn().ok_or("a topic without TopicArn")?;
            assert!(listed.insert(arn.to_string()), "listed twice: {arn}");
        }
    }
    assert_eq!(sizes, [100, 20]);
    assert_eq!(listed, created);

    // The items paginator yields the same topics.
    let items: Vec<_> = client
        .list_topics()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    assert_eq!(items.len(), 120);

    client.delete_topic().topic_arn(&first).send().await?;
    let remaining: Vec<_> = client
        .list_topics()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    assert_eq!(remaining.len(), 119);
    assert!(
        remaining
            .iter()
            .all(|t| t.topic_arn() != Some(first.as_str()))
    );

    // Publishing to the deleted topic: NotFoundException (wire code `NotFound`).
    let err = client
        .publish()
        .topic_arn(&first)
        .message("nobody listens")
        .send()
        .await
        .expect_err("the topic is gone");
    assert_eq!(err.code(), Some("NotFound"), "{err:?}");
    assert!(err.message().is_some_and(|m| !m.is_empty()), "{err:?}");
    assert!(err.request_id().is_some_and(|id| !id.is_empty()), "{err:?}");
    match err.as_service_error() {
        Some(PublishError::NotFoundException(e)) => {
            assert!(e.message().is_some_and(|m| !m.is_empty()), "{e:?}");
        }
        other => return Err(format!("expected NotFoundException, got {other:?}").into()),
    }
    Ok(())
}

/// moto checks the signature: the same call signed with a wrong secret is refused.
#[tokio::test]
async fn a_wrong_signature_is_refused() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let (key_id, _) = server.credentials().ok_or("no keys")?;
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(
            key_id,
            "not-the-secret",
            None,
            None,
            "bad",
        ))
        .behavior_version(BehaviorVersion::latest())
        .build();
    let err = Client::from_conf(config)
        .create_topic()
        .name("refused")
        .send()
        .await
        .expect_err("a wrong signature is refused");
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err:?}");
    Ok(())
}
