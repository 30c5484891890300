//! Feature `tracing`: the spans and events of a call, captured by a `tracing-subscriber` layer
//! (the recording subscriber the ecosystem uses; dev-dependency only). One `invoke` span per
//! operation (`rpc.service`, `rpc.method`, `request_id`), one `try_attempt` span per attempt
//! inside it (`attempt`, `max_attempts`, `request_id`), a `retrying` event before each retry
//! and an `operation failed` event when the call ends in an error; no field or message holds
//! the access key id, the secret key, the session token or the signature.
#![cfg(feature = "tracing")]

use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::config::{Config, Credentials, Region};
use aws_lite_runtime::error::SdkError;
use aws_lite_runtime::operation::{OperationInput, OperationOutput, invoke};
use aws_lite_runtime::protocol::{ErrorBody, Protocol};
use aws_lite_runtime::service::{OperationMeta, ServiceMeta};
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

const ACCESS_KEY: &str = "AKIDTRACINGACCESSKEY";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTRACINGKEY";
const TOKEN: &str = "FwoGZXIvYXdzTRACINGSESSIONTOKENVALUE";

static SERVICE: ServiceMeta = ServiceMeta {
    service_id: "Direct Connect",
    signing_name: "directconnect",
    endpoint_prefix: "directconnect",
    target_prefix: "OvertureService",
    json_version: "1.1",
    api_version: "2012-10-25",
    protocols: &[Protocol::AwsJson1_1],
    model_protocols: &["json"],
    endpoint_rule_set: None,
    signing: aws_lite_runtime::sigv4::SigningSettings::STANDARD,
    query_compatible: false,
};

static OP: OperationMeta = OperationMeta {
    service: &SERVICE,
    name: "DeleteVirtualInterface",
    streaming_output: false,
    event_stream_output: false,
    request_checksum: None,
    static_endpoint_params: &[],
    no_auth: false,
};

#[derive(serde::Serialize)]
struct Input {
    #[serde(rename = "virtualInterfaceId")]
    virtual_interface_id: &'static str,
}

impl OperationInput for Input {}

#[derive(serde::Deserialize, Debug, Default)]
struct Output {}

impl OperationOutput for Output {
    fn set_request_id(&mut self, _: Option<String>) {}
}

#[derive(Debug)]
struct OpError;

/// A span as the layer saw it: name, parent span's name, fields (recorded later included).
#[derive(Clone, Debug)]
struct SpanRecord {
    name: String,
    parent: Option<String>,
    fields: BTreeMap<String, String>,
}

/// An event: its message, its span's name and fields.
#[derive(Clone, Debug)]
struct EventRecord {
    span: Option<String>,
    span_fields: BTreeMap<String, String>,
    fields: BTreeMap<String, String>,
}

#[derive(Clone, Default)]
struct Captured {
    spans: Arc<Mutex<Vec<(u64, SpanRecord)>>>,
    events: Arc<Mutex<Vec<EventRecord>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Captured {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let parent = ctx
            .span(id)
            .and_then(|s| s.parent())
            .map(|p| p.name().to_owned());
        self.spans.lock().unwrap().push((
            id.into_u64(),
            SpanRecord {
                name: attrs.metadata().name().to_owned(),
                parent,
                fields,
            },
        ));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some((_, span)) = spans.iter_mut().rev().find(|(i, _)| *i == id.into_u64()) {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let current = ctx.event_span(event);
        let (span, span_fields) = match current {
            Some(s) => {
                let id = s.id().into_u64();
                let spans = self.spans.lock().unwrap();
                let found = spans.iter().rev().find(|(i, _)| *i == id);
                (
                    Some(s.name().to_owned()),
                    found.map(|(_, r)| r.fields.clone()).unwrap_or_default(),
                )
            }
            None => (None, BTreeMap::new()),
        };
        self.events.lock().unwrap().push(EventRecord {
            span,
            span_fields,
            fields,
        });
    }
}

fn config(capture: &CaptureClient) -> Config {
    Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials_provider(Credentials::new(
            ACCESS_KEY,
            SECRET,
            Some(TOKEN.to_owned()),
            None,
            "test",
        ))
        .endpoint_url("http://localhost:1")
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .http_client(capture.clone())
        .build()
}

async fn call(config: &Config) -> Result<Output, SdkError<OpError>> {
    invoke::<_, Output, _, _>(
        config,
        &OP,
        Some(&Input {
            virtual_interface_id: "dxvif-1",
        }),
        |_, _: &ErrorBody<'_>| OpError,
    )
    .await
}

/// Everything captured, as one text, must not hold a secret (or the signature, which is
/// derived from the secret).
fn assert_no_secret(captured: &Captured, signatures: &[String]) {
    let text = format!(
        "{:?}{:?}",
        captured.spans.lock().unwrap(),
        captured.events.lock().unwrap()
    );
    for secret in [ACCESS_KEY, SECRET, TOKEN, "Signature=", "authorization"] {
        assert!(!text.contains(secret), "`{secret}` in {text}");
    }
    for signature in signatures {
        assert!(!text.contains(signature.as_str()), "signature in {text}");
    }
}

fn signatures(capture: &CaptureClient) -> Vec<String> {
    capture
        .requests()
        .iter()
        .filter_map(|r| r.header("authorization"))
        .filter_map(|a| a.split("Signature=").nth(1))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_retried_call_has_one_invoke_span_and_a_try_attempt_span_per_attempt() {
    let captured = Captured::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(captured.clone()));
    let capture = CaptureClient::new(vec![
        CannedResponse::json(500, r#"{"__type":"InternalFailure"}"#)
            .header("x-amzn-requestid", "req-first"),
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#)
            .header("x-amzn-requestid", "req-second"),
    ]);
    call(&config(&capture))
        .await
        .expect("second attempt succeeds");

    let spans: Vec<SpanRecord> = captured
        .spans
        .lock()
        .unwrap()
        .iter()
        .map(|(_, s)| s.clone())
        .collect();
    let invokes: Vec<_> = spans.iter().filter(|s| s.name == "invoke").collect();
    assert_eq!(invokes.len(), 1, "{spans:#?}");
    let invoke = invokes[0];
    assert_eq!(invoke.fields["rpc.service"], "Direct Connect");
    assert_eq!(invoke.fields["rpc.method"], "DeleteVirtualInterface");
    assert_eq!(invoke.fields["request_id"], "req-second");
    assert_eq!(invoke.parent, None);

    let attempts: Vec<_> = spans.iter().filter(|s| s.name == "try_attempt").collect();
    assert_eq!(attempts.len(), 2, "{spans:#?}");
    for (n, (attempt, request_id)) in attempts.iter().zip(["req-first", "req-second"]).enumerate() {
        assert_eq!(attempt.parent.as_deref(), Some("invoke"));
        assert_eq!(attempt.fields["attempt"], (n + 1).to_string());
        assert_eq!(attempt.fields["max_attempts"], "3");
        assert_eq!(attempt.fields["request_id"], request_id);
    }

    let events = captured.events.lock().unwrap().clone();
    let retrying: Vec<_> = events
        .iter()
        .filter(|e| e.fields.get("message").map(String::as_str) == Some("retrying"))
        .collect();
    assert_eq!(retrying.len(), 1, "{events:#?}");
    assert_eq!(retrying[0].fields["attempt"], "1");
    assert_eq!(retrying[0].fields["reason"], "HTTP 500");
    assert!(retrying[0].fields.contains_key("delay"));
    assert_eq!(retrying[0].span.as_deref(), Some("invoke"));
    assert!(
        !events
            .iter()
            .any(|e| e.fields.get("message").map(String::as_str) == Some("operation failed")),
        "{events:#?}"
    );
    assert_no_secret(&captured, &signatures(&capture));
}

#[tokio::test]
async fn errors_end_with_an_operation_failed_event() {
    let captured = Captured::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(captured.clone()));
    // A modelled error (not retried), then three resets (every attempt fails).
    let capture = CaptureClient::new(vec![
        CannedResponse::json(
            400,
            r#"{"__type":"DirectConnectClientException","message":"no"}"#,
        )
        .header("x-amzn-requestid", "req-400"),
        CannedResponse::reset(),
        CannedResponse::reset(),
        CannedResponse::reset(),
    ]);
    let config = config(&capture);
    assert!(matches!(
        call(&config).await,
        Err(SdkError::ServiceError(_))
    ));
    assert!(matches!(
        call(&config).await,
        Err(SdkError::DispatchFailure(_))
    ));

    let events = captured.events.lock().unwrap().clone();
    let failed: Vec<_> = events
        .iter()
        .filter(|e| e.fields.get("message").map(String::as_str) == Some("operation failed"))
        .collect();
    assert_eq!(failed.len(), 2, "{events:#?}");
    assert_eq!(failed[0].fields["error.kind"], "service error");
    assert_eq!(failed[0].fields["status"], "400");
    assert_eq!(failed[0].fields["request_id"], "req-400");
    assert_eq!(failed[0].span.as_deref(), Some("invoke"));
    assert_eq!(
        failed[0].span_fields["rpc.method"],
        "DeleteVirtualInterface"
    );
    assert_eq!(failed[1].fields["error.kind"], "dispatch failure");
    assert!(!failed[1].fields.contains_key("status"), "{:?}", failed[1]);
    assert!(
        failed[1].fields["error"].contains("connection reset"),
        "{:?}",
        failed[1]
    );
    // Two retries of the resets, each announced.
    let retrying = events
        .iter()
        .filter(|e| e.fields.get("message").map(String::as_str) == Some("retrying"))
        .count();
    assert_eq!(retrying, 2, "{events:#?}");
    let attempts = captured
        .spans
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, s)| s.name == "try_attempt")
        .count();
    assert_eq!(attempts, 1 + 3);
    assert_no_secret(&captured, &signatures(&capture));
}
