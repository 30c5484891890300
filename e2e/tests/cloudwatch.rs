//! The generated CloudWatch client against a local moto server with request authentication
//! on, written as for the official `aws-sdk-cloudwatch` crate: PutMetricData, then
//! GetMetricStatistics, once per protocol botocore 1.44.8's model lists
//! (`metadata.protocols`: `smithy-rpc-v2-cbor`, `json`, `query`), chosen with
//! `Config::builder().protocol(..)`, and once with no choice, which must be the protocol
//! botocore itself picks for the checked-in model (asked of botocore in `.venv`).
//!
//! moto 5.2.5 speaks json and query for CloudWatch, not CBOR: its CloudWatch routes are only
//! `POST /` (`moto/cloudwatch/urls.py`: `{0}/$`), so a CBOR request, which goes to
//! `POST /service/GraniteServiceVersion20100801/operation/<Operation>`, is answered 404 with
//! an HTML "Not Found" page before any CloudWatch code runs (and moto's request parsers have
//! no `smithy-rpc-v2-cbor` entry: `moto/core/parse.py` `PROTOCOL_PARSERS`).
//! `cbor_is_sent_and_moto_answers_404` checks exactly that (and turns red, to be replaced by
//! the full round trip, the day moto learns CBOR); CBOR's wire format itself is checked
//! against botocore's protocol suites (`generated/protocol-tests`).

use std::error::Error;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lite_runtime::error::RequestId;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use aws_sdk_cloudwatch::config::{BehaviorVersion, Credentials, Protocol, Region};
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit, Statistic};
use aws_sdk_cloudwatch::{Client, Config};
use e2e::{MotoServer, default_venv, repo_root};

type TestResult = Result<(), Box<dyn Error>>;

/// A client signing with the IAM user moto created (moto checks every signature), speaking
/// `protocol`, or the default when `None`.
fn client(server: &MotoServer, protocol: Option<Protocol>) -> Client {
    let (key_id, secret) = server
        .credentials()
        .expect("the authenticated moto server wrote its IAM user's keys");
    let mut builder = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(key_id, secret, None, None, "moto-iam"))
        .behavior_version(BehaviorVersion::latest());
    builder.set_protocol(protocol);
    Client::from_conf(builder.build())
}

/// Start of the minute two minutes ago, in epoch seconds: every datum of a test falls in the
/// one-minute period starting there.
fn minute() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64;
    now - now % 60 - 120
}

/// PutMetricData of the values 1, 2, 3 (plus 10 under another dimension value), then
/// GetMetricStatistics of the dimension `InstanceId=i-1` over their minute: one datapoint,
/// sum 6, average 2, min 1, max 3, 3 samples.
async fn put_then_get(client: &Client, namespace: &str) -> TestResult {
    let at = minute();
    let datum = |value: f64, instance: &str, offset: i64| -> MetricDatum {
        MetricDatum::builder()
            .metric_name("Latency")
            .dimensions(
                Dimension::builder()
                    .name("InstanceId")
                    .value(instance)
                    .build(),
            )
            .timestamp(DateTime::from_secs(at + offset))
            .value(value)
            .unit(StandardUnit::Milliseconds)
            .build()
    };
    let put = client
        .put_metric_data()
        .namespace(namespace)
        .metric_data(datum(1.0, "i-1", 5))
        .metric_data(datum(2.0, "i-1", 15))
        .metric_data(datum(3.0, "i-1", 25))
        .metric_data(datum(10.0, "i-2", 35))
        .send()
        .await?;
    assert!(put.request_id().is_some_and(|id| !id.is_empty()), "{put:?}");

    let stats = client
        .get_metric_statistics()
        .namespace(namespace)
        .metric_name("Latency")
        .dimensions(Dimension::builder().name("InstanceId").value("i-1").build())
        .start_time(DateTime::from_secs(at))
        .end_time(DateTime::from_secs(at + 60))
        .period(60)
        .statistics(Statistic::Sum)
        .statistics(Statistic::Average)
        .statistics(Statistic::Minimum)
        .statistics(Statistic::Maximum)
        .statistics(Statistic::SampleCount)
        .send()
        .await?;
    assert_eq!(stats.label(), Some("Latency"));
    let [point] = stats.datapoints() else {
        panic!("one datapoint expected: {stats:?}");
    };
    assert_eq!(point.sum(), Some(6.0), "{point:?}");
    assert_eq!(point.average(), Some(2.0), "{point:?}");
    assert_eq!(point.minimum(), Some(1.0), "{point:?}");
    assert_eq!(point.maximum(), Some(3.0), "{point:?}");
    assert_eq!(point.sample_count(), Some(3.0), "{point:?}");
    assert_eq!(point.unit(), Some(&StandardUnit::Milliseconds), "{point:?}");
    let ts = point.timestamp().ok_or("no Timestamp")?.secs();
    assert!(
        (at..at + 60).contains(&ts),
        "{ts} not in the minute from {at}"
    );

    // Another namespace holds nothing.
    let empty = client
        .get_metric_statistics()
        .namespace(format!("{namespace}/empty"))
        .metric_name("Latency")
        .start_time(DateTime::from_secs(at))
        .end_time(DateTime::from_secs(at + 60))
        .period(60)
        .statistics(Statistic::Sum)
        .send()
        .await?;
    assert!(empty.datapoints().is_empty(), "{empty:?}");

    // A modelled error in this protocol: neither Statistics nor ExtendedStatistics.
    let err = client
        .get_metric_statistics()
        .namespace(namespace)
        .metric_name("Latency")
        .start_time(DateTime::from_secs(at))
        .end_time(DateTime::from_secs(at + 60))
        .period(60)
        .send()
        .await
        .expect_err("moto requires statistics");
    let service_err = err.as_service_error().ok_or("a service error")?;
    assert!(
        service_err.is_invalid_parameter_combination_exception(),
        "{service_err:?}"
    );
    assert!(
        err.message().is_some_and(|m| m.contains("Statistics")),
        "{err:?}"
    );
    Ok(())
}

#[tokio::test]
async fn put_and_get_over_aws_json_1_0() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    put_then_get(&client(&server, Some(Protocol::AwsJson1_0)), "E2E/Json").await
}

#[tokio::test]
async fn put_and_get_over_query() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    put_then_get(&client(&server, Some(Protocol::Query)), "E2E/Query").await
}

/// See the module docs: moto 5.2.5 has no CBOR route for CloudWatch.
#[tokio::test]
async fn cbor_is_sent_and_moto_answers_404() -> TestResult {
    let server = MotoServer::start_authenticated()?;
    let client = client(&server, Some(Protocol::RpcV2Cbor));
    let err = client
        .put_metric_data()
        .namespace("E2E/Cbor")
        .metric_data(
            MetricDatum::builder()
                .metric_name("Latency")
                .value(1.0)
                .build(),
        )
        .send()
        .await
        .expect_err("moto 5.2.5 does not route CBOR");
    let raw = err.raw_response().ok_or("moto answered")?;
    assert_eq!(raw.status, 404, "{err:?}");
    assert!(
        raw.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{err:?}"
    );
    assert!(format!("{err:?}").contains("404 Not Found"), "{err:?}");
    let log = server.output();
    assert!(
        log.contains("POST /service/GraniteServiceVersion20100801/operation/PutMetricData"),
        "the CBOR request went to the RPC v2 path: {log}"
    );
    Ok(())
}

/// botocore 1.44.8's own choice for the checked-in model: `ServiceModel.resolved_protocol`.
fn botocore_resolved_protocol() -> Result<String, Box<dyn Error>> {
    let model = repo_root().join("models/cloudwatch/service-2.json");
    let out = Command::new(default_venv().join("bin/python"))
        .arg("-c")
        .arg(
            "import json, sys, botocore, botocore.model\n\
             assert botocore.__version__ == '1.44.8', botocore.__version__\n\
             model = botocore.model.ServiceModel(json.load(open(sys.argv[1])))\n\
             print(model.resolved_protocol)",
        )
        .arg(&model)
        .output()?;
    if !out.status.success() {
        return Err(format!("botocore failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_string())
}

/// With no protocol chosen, the request is in the protocol botocore picks (json: awsJson 1.0
/// with CloudWatch's target prefix), and that call works against moto.
#[tokio::test]
async fn the_default_is_botocores_choice() -> TestResult {
    let botocore = botocore_resolved_protocol()?;
    assert_eq!(
        botocore, "json",
        "botocore 1.44.8 picks json for CloudWatch"
    );

    let capture = CaptureClient::new(vec![CannedResponse::new(200, b"{}".to_vec())]);
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "test"))
        .http_client(capture.clone())
        .behavior_version(BehaviorVersion::latest())
        .build();
    assert_eq!(config.protocol(), None, "no protocol chosen");
    Client::from_conf(config)
        .put_metric_data()
        .namespace("E2E/Default")
        .metric_data(
            MetricDatum::builder()
                .metric_name("Latency")
                .value(1.0)
                .build(),
        )
        .send()
        .await?;
    let [request] = &capture.requests()[..] else {
        panic!("one request expected");
    };
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let sent = match header("content-type") {
        Some("application/x-amz-json-1.0") => "json",
        Some("application/cbor") => "smithy-rpc-v2-cbor",
        Some(t) if t.starts_with("application/x-www-form-urlencoded") => "query",
        other => return Err(format!("unexpected content-type {other:?}").into()),
    };
    assert_eq!(sent, botocore);
    assert_eq!(
        header("x-amz-target"),
        Some("GraniteServiceVersion20100801.PutMetricData")
    );

    let server = MotoServer::start_authenticated()?;
    put_then_get(&client(&server, None), "E2E/Default").await
}
