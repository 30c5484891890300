//! The generated Route 53 `--ops` crate (rest-xml) against a local moto server, written as for
//! the official `aws-sdk-route53` crate: CreateHostedZone (an XML body in the model's
//! namespace), ChangeResourceRecordSets, ListResourceRecordSets, GetHostedZone, and a missing
//! zone gives the typed `NoSuchHostedZone` from `<ErrorResponse><Error>`. The zone id the
//! service returns (`/hostedzone/Z..`) is passed back as it is, as botocore and the official
//! SDK allow (the `/hostedzone/` prefix is trimmed from the URI label).

use std::error::Error;

use aws_lite_runtime::error::ProvideErrorMetadata;
use aws_sdk_route53::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_route53::types::{
    Change, ChangeAction, ChangeBatch, ResourceRecord, ResourceRecordSet, RrType,
};
use aws_sdk_route53::{Client, Config};
use e2e::MotoServer;

type TestResult = Result<(), Box<dyn Error>>;

#[tokio::test]
async fn zones_record_sets_and_the_error_of_a_missing_zone() -> TestResult {
    let server = MotoServer::start()?;
    let client = Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(server.url())
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "e2e"))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    );

    let created = client
        .create_hosted_zone()
        .name("example.com.")
        .caller_reference("e2e-1")
        .send()
        .await?;
    let zone = created
        .hosted_zone()
        .ok_or("CreateHostedZone returned no HostedZone")?;
    assert_eq!(zone.name(), "example.com.");
    let id = zone.id().to_owned();
    assert!(id.starts_with("/hostedzone/"), "{id}");

    let change = client
        .change_resource_record_sets()
        .hosted_zone_id(&id)
        .change_batch(
            ChangeBatch::builder()
                .changes(
                    Change::builder()
                        .action(ChangeAction::Create)
                        .resource_record_set(
                            ResourceRecordSet::builder()
                                .name("www.example.com.")
                                .r#type(RrType::A)
                                .ttl(60)
                                .resource_records(
                                    ResourceRecord::builder().value("192.0.2.1").build()?,
                                )
                                .resource_records(
                                    ResourceRecord::builder().value("192.0.2.2").build()?,
                                )
                                .build()?,
                        )
                        .build()?,
                )
                .build()?,
        )
        .send()
        .await?;
    let info = change.change_info().ok_or("no ChangeInfo")?;
    assert!(!info.id().is_empty());

    let listed = client
        .list_resource_record_sets()
        .hosted_zone_id(&id)
        .send()
        .await?;
    let www = listed
        .resource_record_sets()
        .iter()
        .find(|r| r.name() == "www.example.com.")
        .ok_or_else(|| format!("no www record in {listed:?}"))?;
    assert_eq!(www.r#type(), &RrType::A);
    assert_eq!(www.ttl(), Some(60));
    let values: Vec<&str> = www.resource_records().iter().map(|r| r.value()).collect();
    assert_eq!(values, ["192.0.2.1", "192.0.2.2"]);

    let got = client.get_hosted_zone().id(&id).send().await?;
    assert_eq!(got.hosted_zone().map(|z| z.id()), Some(id.as_str()));
    let zones = client.list_hosted_zones().send().await?;
    assert!(zones.hosted_zones().iter().any(|z| z.id() == id));

    let err = client
        .get_hosted_zone()
        .id("/hostedzone/ZNOSUCHZONE")
        .send()
        .await
        .expect_err("no such zone");
    let service_err = err.as_service_error().ok_or("a service error")?;
    assert!(service_err.is_no_such_hosted_zone(), "{service_err:?}");
    assert_eq!(service_err.code(), Some("NoSuchHostedZone"));
    assert!(service_err.message().is_some_and(|m| !m.is_empty()));
    Ok(())
}
