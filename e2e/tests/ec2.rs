//! The generated EC2 client (ec2 protocol) against a local moto server with request
//! authentication on, written as for the official `aws-sdk-ec2` crate: RunInstances (one
//! reservation of 3 instances, then two of one), DescribeInstances by id, with filters (state,
//! instance type, tags) and through the paginator (moto pages by reservation), CreateTags seen
//! in DescribeInstances, TerminateInstances, then `wait_until_instance_terminated`, and the
//! ec2 error of an instance id that does not exist (`InvalidInstanceID.NotFound`, with its
//! message and request id from `<Response><Errors><Error>` and `<RequestID>`).
//!
//! What moto 5.2.5 does, and so what is asserted: RunInstances answers the instances
//! `pending`, DescribeInstances shows them `running` at once; TerminateInstances answers the
//! move from `running` to `shutting-down` (as AWS does), and DescribeInstances shows them
//! `terminated` at once, so the waiter's first poll succeeds (no 15 s delay). Any AMI id is accepted (AMI validation is off by
//! default).

use std::collections::BTreeSet;
use std::error::Error;
use std::time::{Duration, Instant};

use aws_lite_runtime::error::{ProvideErrorMetadata, RequestId};
use aws_sdk_ec2::client::Waiters;
use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ec2::types::{Filter, InstanceStateName, InstanceType, Tag};
use aws_sdk_ec2::{Client, Config};
use e2e::MotoServer;

type TestResult = Result<(), Box<dyn Error>>;

/// An AMI id of moto's default images (`moto/ec2/resources/amis.json`).
const AMI: &str = "ami-12c6146b";

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

/// The instance ids of every page of DescribeInstances with `filters`, one set per page.
async fn ids_with(
    client: &Client,
    filters: Vec<Filter>,
) -> Result<BTreeSet<String>, Box<dyn Error>> {
    let out = client
        .describe_instances()
        .set_filters(Some(filters))
        .send()
        .await?;
    Ok(out
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect())
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

#[tokio::test]
async fn run_describe_tag_terminate_and_wait() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let client = client(&server);

    let run = client
        .run_instances()
        .image_id(AMI)
        .instance_type(InstanceType::T2Micro)
        .min_count(3)
        .max_count(3)
        .send()
        .await?;
    assert!(run.request_id().is_some_and(|id| !id.is_empty()), "{run:?}");
    assert!(
        run.reservation_id().is_some_and(|id| id.starts_with("r-")),
        "{run:?}"
    );
    assert_eq!(run.instances().len(), 3, "{run:?}");
    let three: BTreeSet<String> = run
        .instances()
        .iter()
        .map(|i| i.instance_id().map(str::to_string).ok_or("no InstanceId"))
        .collect::<Result<_, _>>()?;
    assert_eq!(three.len(), 3);
    for instance in run.instances() {
        assert!(
            instance
                .instance_id()
                .is_some_and(|id| id.starts_with("i-"))
        );
        assert_eq!(instance.image_id(), Some(AMI));
        assert_eq!(instance.instance_type(), Some(&InstanceType::T2Micro));
        let state = instance.state().ok_or("no State")?;
        assert_eq!(state.name(), Some(&InstanceStateName::Pending));
        assert_eq!(state.code(), Some(0));
        assert!(instance.launch_time().is_some(), "{instance:?}");
    }
    // Two more reservations of one instance each (another instance type), for the paginator.
    let mut singles = BTreeSet::new();
    for _ in 0..2 {
        let out = client
            .run_instances()
            .image_id(AMI)
            .instance_type(InstanceType::M5Large)
            .min_count(1)
            .max_count(1)
            .send()
            .await?;
        let [instance] = out.instances() else {
            panic!("one instance expected: {out:?}");
        };
        singles.insert(instance.instance_id().ok_or("no InstanceId")?.to_string());
    }

    // By id.
    let described = client
        .describe_instances()
        .set_instance_ids(Some(three.iter().cloned().collect()))
        .send()
        .await?;
    let [reservation] = described.reservations() else {
        panic!("one reservation expected: {described:?}");
    };
    assert_eq!(reservation.reservation_id(), run.reservation_id());
    for instance in reservation.instances() {
        assert_eq!(
            instance.state().and_then(|s| s.name()),
            Some(&InstanceStateName::Running)
        );
    }

    // Filters.
    let all: BTreeSet<String> = three.union(&singles).cloned().collect();
    assert_eq!(
        ids_with(&client, vec![filter("instance-state-name", "running")]).await?,
        all
    );
    assert_eq!(
        ids_with(&client, vec![filter("instance-type", "t2.micro")]).await?,
        three
    );
    assert_eq!(
        ids_with(&client, vec![filter("instance-type", "m5.large")]).await?,
        singles
    );
    assert!(
        ids_with(&client, vec![filter("instance-type", "c5.xlarge")])
            .await?
            .is_empty()
    );

    // The paginator: one reservation a page (moto pages by reservation).
    let mut pages = client
        .describe_instances()
        .into_paginator()
        .page_size(1)
        .send();
    let mut sizes = Vec::new();
    let mut paged = BTreeSet::new();
    while let Some(page) = pages.next().await {
        let page = page?;
        sizes.push(
            page.reservations()
                .iter()
                .map(|r| r.instances().len())
                .sum::<usize>(),
        );
        for instance in page.reservations().iter().flat_map(|r| r.instances()) {
            assert!(paged.insert(instance.instance_id().unwrap_or_default().to_string()));
        }
    }
    assert_eq!(sizes, [3, 1, 1]);
    assert_eq!(paged, all);
    let reservations: Vec<_> = client
        .describe_instances()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .try_collect()
        .await?;
    assert_eq!(reservations.len(), 3);

    // Tags, seen in DescribeInstances and usable as filters.
    let tagged: Vec<String> = three.iter().take(2).cloned().collect();
    client
        .create_tags()
        .set_resources(Some(tagged.clone()))
        .tags(Tag::builder().key("team").value("e2e").build())
        .tags(Tag::builder().key("Name").value("web & db <1>").build())
        .send()
        .await?;
    let by_tag = ids_with(&client, vec![filter("tag:team", "e2e")]).await?;
    assert_eq!(by_tag, tagged.iter().cloned().collect());
    let by_key = ids_with(&client, vec![filter("tag-key", "Name")]).await?;
    assert_eq!(by_key, by_tag);
    let both = ids_with(
        &client,
        vec![
            filter("tag:team", "e2e"),
            filter("instance-type", "m5.large"),
        ],
    )
    .await?;
    assert!(both.is_empty(), "filters are ANDed: {both:?}");
    let described = client
        .describe_instances()
        .instance_ids(&tagged[0])
        .send()
        .await?;
    let instance = &described.reservations()[0].instances()[0];
    let mut tags: Vec<(&str, &str)> = instance
        .tags()
        .iter()
        .map(|t| (t.key().unwrap_or_default(), t.value().unwrap_or_default()))
        .collect();
    tags.sort();
    assert_eq!(tags, [("Name", "web & db <1>"), ("team", "e2e")]);

    // Terminate the reservation of three, then wait.
    let terminated = client
        .terminate_instances()
        .set_instance_ids(Some(three.iter().cloned().collect()))
        .send()
        .await?;
    assert_eq!(terminated.terminating_instances().len(), 3);
    for change in terminated.terminating_instances() {
        assert!(three.contains(change.instance_id().unwrap_or_default()));
        assert_eq!(
            change.previous_state().and_then(|s| s.name()),
            Some(&InstanceStateName::Running)
        );
        assert_eq!(
            change.current_state().and_then(|s| s.name()),
            Some(&InstanceStateName::ShuttingDown)
        );
    }
    let started = Instant::now();
    let poll = client
        .wait_until_instance_terminated()
        .set_instance_ids(Some(three.iter().cloned().collect()))
        .wait(Duration::from_secs(300))
        .await?;
    let output = poll.into_result()?;
    let states: Vec<_> = output
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| i.state().and_then(|s| s.name()).cloned())
        .collect();
    assert_eq!(states, vec![Some(InstanceStateName::Terminated); 3]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the first poll matched"
    );
    assert_eq!(
        ids_with(&client, vec![filter("instance-state-name", "running")]).await?,
        singles
    );
    Ok(())
}

#[tokio::test]
async fn a_missing_instance_is_invalid_instance_id_not_found() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let client = client(&server);
    let err = client
        .describe_instances()
        .instance_ids("i-0123456789abcdef0")
        .send()
        .await
        .expect_err("no such instance");
    // The code is kept as sent, dot included.
    assert_eq!(err.code(), Some("InvalidInstanceID.NotFound"), "{err:?}");
    assert!(
        err.message()
            .is_some_and(|m| m.contains("i-0123456789abcdef0")),
        "{err:?}"
    );
    assert!(err.request_id().is_some_and(|id| !id.is_empty()), "{err:?}");
    // EC2 models no errors: it is the operation error's unhandled variant, with the same
    // metadata.
    let service_err = err.as_service_error().ok_or("a service error")?;
    assert_eq!(service_err.code(), Some("InvalidInstanceID.NotFound"));
    assert!(service_err.meta().request_id().is_some());

    let err = client
        .terminate_instances()
        .instance_ids("i-0123456789abcdef0")
        .send()
        .await
        .expect_err("no such instance");
    assert_eq!(err.code(), Some("InvalidInstanceID.NotFound"), "{err:?}");
    Ok(())
}

/// moto checks the signature: a wrong secret is refused with EC2's `AuthFailure`.
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
        .describe_instances()
        .send()
        .await
        .expect_err("a wrong signature is refused");
    assert_eq!(err.code(), Some("AuthFailure"), "{err:?}");
    Ok(())
}
