//! Generated waiters (the `waiters` fixture crate) over an in-process capturing client, on
//! tokio's paused clock so that minutes of waiting run at once: the delay sequence, the
//! bound on the whole wait, each matcher and state, and the acceptors' decisions compared
//! with botocore's own waiter code (`botocore.waiter.SingleWaiterConfig`, botocore 1.44.8
//! from `<repo>/.venv`) over the same responses.

use aws_lite_fixture_waiters::Client;
use aws_lite_fixture_waiters::client::Waiters;
use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::config::{BehaviorVersion, Config, Credentials, Region};
use aws_lite_runtime::http::{HttpClient, HttpFuture, HttpRequest};
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use aws_lite_runtime::waiter::error::WaiterError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A capturing client that also notes when (on tokio's clock) each request was sent.
#[derive(Clone, Debug)]
struct Timed {
    inner: CaptureClient,
    start: tokio::time::Instant,
    times: Arc<Mutex<Vec<Duration>>>,
}

impl Timed {
    fn new(responses: Vec<CannedResponse>) -> Self {
        Timed {
            inner: CaptureClient::new(responses),
            start: tokio::time::Instant::now(),
            times: Arc::default(),
        }
    }
    /// When each request was sent, from the client's creation.
    fn times(&self) -> Vec<Duration> {
        self.times.lock().unwrap().clone()
    }
    fn count(&self) -> usize {
        self.inner.requests().len()
    }
}

impl HttpClient for Timed {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.times.lock().unwrap().push(self.start.elapsed());
        self.inner.call(request)
    }
}

fn client(http: &Timed) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "waiters"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url("http://127.0.0.1:1")
        .retry_config(RetryConfig::disabled())
        .http_client(http.clone())
        .build();
    Client::from_conf(config)
}

fn ok(body: serde_json::Value) -> CannedResponse {
    CannedResponse::json(200, body.to_string())
}

fn not_found() -> CannedResponse {
    CannedResponse::json(
        400,
        r#"{"__type":"ThingNotFound","message":"no such thing"}"#,
    )
}

fn status(s: &str) -> CannedResponse {
    ok(serde_json::json!({"Thing": {"Status": s}}))
}

#[tokio::test(start_paused = true)]
async fn delays_grow_with_jitter_between_the_minimum_and_the_exponential_bound() {
    // 9 polls in CREATING, then ACTIVE.
    let mut responses: Vec<CannedResponse> = (0..9).map(|_| status("CREATING")).collect();
    responses.push(status("ACTIVE"));
    let http = Timed::new(responses);
    let poll = client(&http)
        .wait_until_thing_active()
        .thing_name("t")
        .wait(Duration::from_secs(3600))
        .await
        .expect("reaches ACTIVE");
    let output = poll.into_result().expect("an output");
    assert_eq!(output.thing().map(|t| t.status().as_str()), Some("ACTIVE"));
    let times = http.times();
    assert_eq!(times.len(), 10);
    assert_eq!(times[0], Duration::ZERO, "the first poll is sent at once");
    // ThingActive: delay 5 s; the greatest delay is 120 s (the official default).
    for (i, pair) in times.windows(2).enumerate() {
        let attempt = i as u32 + 1;
        let gap = pair[1] - pair[0];
        let bound = (5u64 << (attempt - 1)).min(120);
        assert_eq!(gap.subsec_nanos(), 0, "whole seconds: {gap:?}");
        assert!(
            (5..=bound).contains(&gap.as_secs()),
            "attempt {attempt}: delay {gap:?} outside 5..={bound} s"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_wait_ends_at_max_wait_with_a_last_poll() {
    let http = Timed::new((0..200).map(|_| status("CREATING")).collect());
    let err = client(&http)
        .wait_until_thing_active()
        .thing_name("t")
        .wait(Duration::from_secs(300))
        .await
        .expect_err("never ACTIVE");
    let WaiterError::ExceededMaxWait(ctx) = &err else {
        panic!("expected ExceededMaxWait, got {err:?}");
    };
    assert_eq!(ctx.max_wait(), Duration::from_secs(300));
    assert_eq!(ctx.poll_count() as usize, http.count());
    let times = http.times();
    // The last poll is sent when the time is up (the last delay is what was left), and
    // the wait ends right after it.
    assert_eq!(*times.last().unwrap(), Duration::from_secs(300));
    assert_eq!(ctx.elapsed(), Duration::from_secs(300));
    assert_eq!(err.to_string(), "exceeded max wait time (300s)");

    // A maximum wait shorter than the least delay: one poll, one when the time is up, and
    // (the delay then left being zero) a last one at once, as the official waiter loop does.
    let http = Timed::new((0..10).map(|_| status("CREATING")).collect());
    let err = client(&http)
        .wait_until_thing_active()
        .thing_name("t")
        .wait(Duration::from_secs(3))
        .await
        .expect_err("never ACTIVE");
    assert!(matches!(err, WaiterError::ExceededMaxWait(_)), "{err:?}");
    let three = Duration::from_secs(3);
    assert_eq!(http.times(), [Duration::ZERO, three, three]);
}

#[tokio::test(start_paused = true)]
async fn a_failure_acceptor_ends_the_wait_with_the_last_poll() {
    let http = Timed::new(vec![status("CREATING"), status("FAILED"), status("ACTIVE")]);
    let err = client(&http)
        .wait_until_thing_active()
        .thing_name("t")
        .wait(Duration::from_secs(600))
        .await
        .expect_err("FAILED is a failure state");
    assert_eq!(http.count(), 2);
    let WaiterError::FailureState(state) = err else {
        panic!("expected FailureState, got {err:?}");
    };
    let output = state.into_final_poll().into_result().expect("an output");
    assert_eq!(output.thing().map(|t| t.status().as_str()), Some("FAILED"));
}

#[tokio::test(start_paused = true)]
async fn error_acceptors_and_unmatched_errors() {
    // ThingActive: ThingNotFound means retry.
    let http = Timed::new(vec![not_found(), not_found(), status("ACTIVE")]);
    client(&http)
        .wait_until_thing_active()
        .thing_name("t")
        .wait(Duration::from_secs(600))
        .await
        .expect("ACTIVE after two misses");
    assert_eq!(http.count(), 3);

    // ThingGone: an output means retry (`error: false`), ThingNotFound means success and
    // the final poll is that error.
    let http = Timed::new(vec![status("DELETING"), not_found()]);
    let poll = client(&http)
        .wait_until_thing_gone()
        .thing_name("t")
        .wait(Duration::from_secs(600))
        .await
        .expect("gone");
    let err = poll.into_result().expect_err("the final poll is the error");
    assert!(err.into_service_error().is_thing_not_found());

    // ThingGone: HTTP 500 is a failure (status matcher).
    let http = Timed::new(vec![CannedResponse::json(
        500,
        r#"{"__type":"InternalFailure","message":"boom"}"#,
    )]);
    let err = client(&http)
        .wait_until_thing_gone()
        .thing_name("t")
        .wait(Duration::from_secs(600))
        .await
        .expect_err("500 is a failure");
    assert!(matches!(err, WaiterError::FailureState(_)), "{err:?}");

    // ThingActive: an error no acceptor handles ends the wait.
    let http = Timed::new(vec![CannedResponse::json(
        400,
        r#"{"__type":"ValidationException","message":"bad"}"#,
    )]);
    let err = client(&http)
        .wait_until_thing_active()
        .thing_name("t")
        .wait(Duration::from_secs(600))
        .await
        .expect_err("unhandled error");
    let WaiterError::OperationFailed(failed) = err else {
        panic!("expected OperationFailed, got {err:?}");
    };
    assert_eq!(failed.error().code(), Some("ValidationException"));

    // No connection: OperationFailed too (not a service error).
    let http = Timed::new(vec![]);
    let err = client(&http)
        .wait_until_thing_active()
        .thing_name("t")
        .wait(Duration::from_secs(600))
        .await
        .expect_err("no response");
    assert!(matches!(err, WaiterError::OperationFailed(_)), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn a_missing_required_parameter_is_a_construction_failure() {
    let http = Timed::new(vec![status("ACTIVE")]);
    let err = client(&http)
        .wait_until_thing_active()
        .wait(Duration::from_secs(600))
        .await
        .expect_err("ThingName is required");
    assert!(
        matches!(err, WaiterError::ConstructionFailure(_)),
        "{err:?}"
    );
    assert_eq!(http.count(), 0, "nothing sent");
}

/// One case: a waiter and a first response (status and JSON body).
struct Case {
    waiter: &'static str,
    status: u16,
    body: serde_json::Value,
}

/// What our waiter decides on the case's response: `success`, `failure`, `retry` (it polls
/// again) or `error` (it stops with the error: no acceptor matched an error).
async fn our_decision(case: &Case) -> String {
    // The second response ends the wait successfully whatever the waiter.
    let (second, name) = match case.waiter {
        "ThingGone" => (not_found(), "thing_gone"),
        "ThingActive" => (status("ACTIVE"), "thing_active"),
        _ => (
            ok(serde_json::json!({"Parts": [{"State": "ACTIVE"}]})),
            "parts_ready",
        ),
    };
    let first = CannedResponse::json(case.status, case.body.to_string());
    let http = Timed::new(vec![first, second]);
    let c = client(&http);
    let max = Duration::from_secs(600);
    let outcome = match name {
        "thing_gone" => c
            .wait_until_thing_gone()
            .thing_name("t")
            .wait(max)
            .await
            .map(|_| ())
            .map_err(|e| kind(&e)),
        "thing_active" => c
            .wait_until_thing_active()
            .thing_name("t")
            .wait(max)
            .await
            .map(|_| ())
            .map_err(|e| kind(&e)),
        _ => c
            .wait_until_parts_ready()
            .thing_name("t")
            .wait(max)
            .await
            .map(|_| ())
            .map_err(|e| kind(&e)),
    };
    match (http.count(), outcome) {
        (2, Ok(())) => "retry".into(),
        (1, Ok(())) => "success".into(),
        (1, Err("failure")) => "failure".into(),
        (1, Err("operation")) => "error".into(),
        other => panic!("unexpected outcome {other:?}"),
    }
}

fn kind<O, E>(e: &WaiterError<O, E>) -> &'static str {
    match e {
        WaiterError::FailureState(_) => "failure",
        WaiterError::OperationFailed(_) => "operation",
        WaiterError::ExceededMaxWait(_) => "max-wait",
        _ => "other",
    }
}

/// botocore's decision on each case: the state of the first acceptor whose matcher matches
/// the response as botocore parses it, `retry` when none matches an output, `error` when
/// none matches an error, `raises: ..` when evaluating an expression raises (jmespath's
/// `length(null)`).
fn botocore_decisions(cases: &[Case]) -> Option<Vec<String>> {
    let python = e2e::default_venv().join("bin/python");
    if !python.exists() {
        return None;
    }
    let waiters = e2e::repo_root().join("codegen/tests/fixtures/waiters/waiters-2.json");
    let input: Vec<serde_json::Value> = cases
        .iter()
        .map(|c| {
            // botocore's parsed response: the output's members, or `Error` with the code.
            let mut parsed = if c.status >= 300 {
                serde_json::json!({"Error": {"Code": c.body["__type"], "Message": c.body["message"]}})
            } else {
                c.body.clone()
            };
            parsed["ResponseMetadata"] = serde_json::json!({"HTTPStatusCode": c.status});
            serde_json::json!({"waiter": c.waiter, "response": parsed})
        })
        .collect();
    const SCRIPT: &str = r#"
import json, sys
import botocore
from botocore.waiter import SingleWaiterConfig
assert botocore.__version__ == "1.44.8", botocore.__version__
config = json.load(open(sys.argv[1]))
out = []
for case in json.load(sys.stdin):
    waiter = SingleWaiterConfig(config["waiters"][case["waiter"]])
    response = case["response"]
    state = None
    try:
        for acceptor in waiter.acceptors:
            if acceptor.matcher_func(response):
                state = acceptor.state
                break
    except Exception as e:
        # jmespath raises on `length(null)`: botocore's waiter then fails with that error.
        state = "raises: " + type(e).__name__
    if state is None:
        state = "error" if "Error" in response else "retry"
    out.append(state)
print(json.dumps(out))
"#;
    use std::io::Write;
    let mut child = std::process::Command::new(python)
        .arg("-c")
        .arg(SCRIPT)
        .arg(waiters)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::Value::Array(input).to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("python runs");
    assert!(out.status.success(), "botocore script failed");
    Some(serde_json::from_slice(&out.stdout).expect("JSON list"))
}

#[tokio::test(start_paused = true)]
async fn acceptors_decide_as_botocore_does() {
    use serde_json::json;
    let case = |waiter, status, body| Case {
        waiter,
        status,
        body,
    };
    let parts = |parts: serde_json::Value| json!({ "Parts": parts });
    let cases = vec![
        case("ThingActive", 200, json!({"Thing": {"Status": "ACTIVE"}})),
        case("ThingActive", 200, json!({"Thing": {"Status": "FAILED"}})),
        case("ThingActive", 200, json!({"Thing": {"Status": "CREATING"}})),
        case("ThingActive", 200, json!({})),
        case(
            "ThingActive",
            400,
            json!({"__type": "ThingNotFound", "message": "m"}),
        ),
        case(
            "ThingActive",
            400,
            json!({"__type": "Other", "message": "m"}),
        ),
        case("ThingGone", 200, json!({"Thing": {"Status": "DELETING"}})),
        case(
            "ThingGone",
            400,
            json!({"__type": "ThingNotFound", "message": "m"}),
        ),
        case(
            "ThingGone",
            500,
            json!({"__type": "InternalFailure", "message": "m"}),
        ),
        case("ThingGone", 400, json!({"__type": "Other", "message": "m"})),
        // pathAll: every part ACTIVE; none; one not; a part without State.
        case(
            "PartsReady",
            200,
            parts(json!([{"State": "ACTIVE"}, {"State": "ACTIVE"}])),
        ),
        case("PartsReady", 200, parts(json!([]))),
        case("PartsReady", 200, json!({})),
        case(
            "PartsReady",
            200,
            parts(json!([{"State": "ACTIVE"}, {"State": "CREATING"}])),
        ),
        case("PartsReady", 200, parts(json!([{"State": "ACTIVE"}, {}]))),
        // pathAny over a flattened nested projection.
        case(
            "PartsReady",
            200,
            parts(
                json!([{"State": "CREATING", "Children": [{"State": "ACTIVE"}, {"State": "FAILED"}]}]),
            ),
        ),
        case(
            "PartsReady",
            200,
            parts(
                json!([{"State": "CREATING", "Children": [{"State": "ACTIVE"}]}, {"State": "CREATING"}]),
            ),
        ),
        // The filter: more than two parts not (running as desired and not FAILED).
        case(
            "PartsReady",
            200,
            parts(json!([
                {"State": "CREATING", "Running": 1, "Desired": 2},
                {"State": "CREATING", "Running": 0, "Desired": 2},
                {"State": "FAILED", "Running": 2, "Desired": 2}
            ])),
        ),
        case(
            "PartsReady",
            200,
            parts(json!([
                {"State": "CREATING", "Running": 2, "Desired": 2},
                {"State": "CREATING", "Running": 0, "Desired": 2},
                {"State": "FAILED", "Running": 2, "Desired": 2}
            ])),
        ),
        case(
            "PartsReady",
            200,
            parts(json!([
                {"State": "CREATING"},
                {"State": "CREATING", "Running": 3},
                {"State": "CREATING", "Desired": 3},
                {"State": "CREATING", "Running": 3, "Desired": 3}
            ])),
        ),
        // `length(Note || '') > 0 && Thing.Ready`.
        case(
            "PartsReady",
            200,
            json!({"Parts": [], "Note": "n", "Thing": {"Status": "CREATING", "Ready": true}}),
        ),
        case(
            "PartsReady",
            200,
            json!({"Parts": [], "Note": "n", "Thing": {"Status": "CREATING", "Ready": false}}),
        ),
        case(
            "PartsReady",
            200,
            json!({"Parts": [], "Note": "", "Thing": {"Status": "CREATING", "Ready": true}}),
        ),
        case(
            "PartsReady",
            200,
            json!({"Parts": [], "Note": "n", "Thing": {"Status": "CREATING"}}),
        ),
        // pathAll over a map's values.
        case(
            "PartsReady",
            200,
            json!({"Parts": [], "Labels": {"a": {"Verified": "yes"}, "b": {"Verified": "yes"}}}),
        ),
        case(
            "PartsReady",
            200,
            json!({"Parts": [], "Labels": {"a": {"Verified": "yes"}, "b": {"Verified": "no"}}}),
        ),
        case("PartsReady", 200, json!({"Parts": [], "Labels": {}})),
    ];
    let ours = {
        let mut v = Vec::new();
        for c in &cases {
            v.push(our_decision(c).await);
        }
        v
    };
    let Some(theirs) = botocore_decisions(&cases) else {
        panic!(
            "botocore's waiter code is the oracle of this test: run scripts/setup-test-env.sh to create .venv"
        );
    };
    for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        if t.starts_with("raises") {
            // The one deliberate difference: where jmespath raises (`length()` of a missing
            // member), botocore's waiter fails; here `length(null)` is null, the acceptor
            // does not match, and the waiter polls again.
            assert_eq!(o, "retry", "case {i}: botocore {t}");
            continue;
        }
        assert_eq!(
            o, t,
            "case {i} ({} {} {}): ours {o}, botocore {t}",
            cases[i].waiter, cases[i].status, cases[i].body
        );
    }
    assert_eq!(ours.len(), theirs.len());
    // The cases reach every outcome.
    assert_eq!(
        theirs.iter().filter(|t| t.starts_with("raises")).count(),
        1,
        "only the case without Parts makes jmespath raise: {theirs:?}"
    );
    for outcome in ["success", "failure", "retry", "error"] {
        assert!(ours.iter().any(|o| o == outcome), "no case gives {outcome}");
    }
}
