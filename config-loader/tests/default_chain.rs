//! The official SDK's recorded default-chain cases (`test-data/default-credential-provider-chain/*`,
//! and the endpoint-URL cases of `test-data/profile-provider/*`; provenance in
//! `test-data/PROVENANCE.md`): each case's environment (`env.json`), file system
//! (`fs/`, seen as `/`) and HTTP traffic (`http-traffic.json`, replayed in order by a client that
//! checks each request's method and URI against the recording) run through this crate's
//! default chain; the result must match `test-case.json` (credentials, or an error containing
//! the given text). Cases this crate cannot run are skipped with the reason below.

use aws_config::ProviderConfig;
use aws_config::default_provider::DefaultCredentialsChain;
use aws_config::os::{Env, Fs};
use aws_lite_runtime::config::ProvideCredentials;
use aws_lite_runtime::http::{
    ConnectorError, HttpClient, HttpFuture, HttpRequest, HttpResponse, SharedHttpClient,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Cases not run, and why (none at present).
const SKIPPED: &[(&str, &str)] = &[];

/// A URI with its query parameters sorted: the recordings keep the official serializer's
/// parameter order (`account_id` before `role_name`), ours follows the model's member order;
/// the parameters and values must be the same. An empty path is `/` (RFC 3986 §6.2.3: the
/// same request target; recordings of calls to a bare endpoint URL have none).
fn normalized(uri: &str) -> String {
    let with_path;
    let uri = match uri.split_once("://") {
        Some((_, rest)) if !rest.contains('/') => {
            with_path = match uri.split_once('?') {
                Some((base, query)) => format!("{base}/?{query}"),
                None => format!("{uri}/"),
            };
            with_path.as_str()
        }
        _ => uri,
    };
    match uri.split_once('?') {
        Some((path, query)) => {
            let mut params: Vec<&str> = query.split('&').collect();
            params.sort_unstable();
            format!("{path}?{}", params.join("&"))
        }
        None => uri.to_owned(),
    }
}

/// One recorded exchange.
#[derive(Debug)]
struct Exchange {
    method: String,
    uri: String,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

#[derive(Clone, Debug, Default)]
struct Replay {
    state: Arc<Mutex<ReplayState>>,
}

#[derive(Debug, Default)]
struct ReplayState {
    queue: std::collections::VecDeque<Exchange>,
    mismatches: Vec<String>,
    sent: usize,
    /// The last recorded request played (method, URI).
    last: Option<(String, String)>,
    /// Requests past the end of the recording that repeat its last request: retries of a
    /// recorded 5xx (our clients retry it in the standard mode; the recordings stop at the
    /// first answer). They are answered as refused connections.
    retries_past_the_end: usize,
}

impl Replay {
    fn new(exchanges: Vec<Exchange>) -> Self {
        let state = ReplayState {
            queue: exchanges.into_iter().collect(),
            ..Default::default()
        };
        Replay {
            state: Arc::new(Mutex::new(state)),
        }
    }
}

impl HttpClient for Replay {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        let mut state = self.state.lock().unwrap();
        state.sent += 1;
        let next = state.queue.pop_front();
        let result = match next {
            None => {
                let repeat = state.last.as_ref().is_some_and(|(method, uri)| {
                    *method == request.method && normalized(uri) == normalized(&request.uri)
                });
                if repeat {
                    state.retries_past_the_end += 1;
                } else {
                    state.mismatches.push(format!(
                        "unrecorded request {} {}",
                        request.method, request.uri
                    ));
                }
                Err(ConnectorError::io(
                    "no recorded response (connection refused)",
                ))
            }
            Some(Exchange {
                method,
                uri,
                status,
                headers,
                body,
            }) => {
                state.last = Some((method.clone(), uri.clone()));
                if method != request.method || normalized(&uri) != normalized(&request.uri) {
                    state.mismatches.push(format!(
                        "expected {method} {uri}, got {} {}",
                        request.method, request.uri
                    ));
                }
                Ok(HttpResponse {
                    status,
                    headers,
                    body: body.into(),
                })
            }
        };
        Box::pin(async move { result })
    }
}

fn exchanges(traffic: &Value) -> Vec<Exchange> {
    let mut by_connection: BTreeMap<u64, Exchange> = BTreeMap::new();
    let mut order = Vec::new();
    for event in traffic["events"].as_array().unwrap() {
        let id = event["connection_id"].as_u64().unwrap();
        let action = &event["action"];
        if let Some(request) = action.get("Request") {
            let request = &request["request"];
            order.push(id);
            by_connection.insert(
                id,
                Exchange {
                    method: request["method"].as_str().unwrap().to_owned(),
                    uri: request["uri"].as_str().unwrap().to_owned(),
                    status: 0,
                    headers: Vec::new(),
                    body: Vec::new(),
                },
            );
        } else if let Some(response) = action.get("Response") {
            let ok = &response["response"]["Ok"];
            let exchange = by_connection.get_mut(&id).unwrap();
            exchange.status = ok["status"].as_u64().unwrap() as u16;
            if let Some(headers) = ok["headers"].as_object() {
                for (name, values) in headers {
                    for value in values.as_array().unwrap() {
                        exchange
                            .headers
                            .push((name.clone(), value.as_str().unwrap().to_owned()));
                    }
                }
            }
        } else if let Some(data) = action.get("Data")
            && data["direction"] == "Response"
        {
            let exchange = by_connection.get_mut(&id).unwrap();
            match &data["data"] {
                d if d.get("Utf8").is_some() => {
                    exchange
                        .body
                        .extend_from_slice(d["Utf8"].as_str().unwrap().as_bytes());
                }
                other => panic!("unsupported data {other}"),
            }
        }
    }
    order
        .into_iter()
        .map(|id| by_connection.remove(&id).unwrap())
        .collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("json")
}

#[tokio::test(start_paused = true)]
async fn default_credential_provider_chain_cases() {
    run_suite("default-credential-provider-chain").await;
}

/// The official profile-provider cases on endpoint URLs (`test-data/profile-provider/`): the
/// STS call of a `role_arn` profile and the SSO call of an `sso_session` profile go to the URL
/// `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_STS`, the profile's `endpoint_url` or its `services`
/// section gives. Run through the default chain, which picks the profile provider there.
#[tokio::test(start_paused = true)]
async fn profile_provider_endpoint_url_cases() {
    run_suite("profile-provider").await;
}

async fn run_suite(folder: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test-data")
        .join(folder);
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for name in &names {
        if let Some((_, why)) = SKIPPED.iter().find(|(n, _)| n == name) {
            println!("skipped {name}: {why}");
            skipped += 1;
            continue;
        }
        let dir = root.join(name);
        let case = read_json(&dir.join("test-case.json"));
        let env: std::collections::HashMap<String, String> = read_json(&dir.join("env.json"))
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let replay = Replay::new(exchanges(&read_json(&dir.join("http-traffic.json"))));
        let config = ProviderConfig::default()
            .with_env(Env::from_map(env))
            .with_fs(Fs::from_test_dir(dir.join("fs"), "/"))
            .with_os(aws_config::os::Os::Unix)
            .with_http_client(SharedHttpClient::new(replay.clone()))
            .with_time_source(|| SystemTime::UNIX_EPOCH + Duration::from_secs(1_632_000_000));
        let region = aws_config::default_provider::region(&config).await;
        // What load() does: the providers' own calls use the chain's region.
        let config = config.with_region(region);
        // Region lookups above may have used recorded IMDS traffic only if the case has it;
        // start the credentials with the full recording again.
        let replay = Replay::new(exchanges(&read_json(&dir.join("http-traffic.json"))));
        let config = config.with_http_client(SharedHttpClient::new(replay.clone()));
        let result = DefaultCredentialsChain::from_config(&config)
            .provide_credentials()
            .await;
        let expected = &case["result"];
        let outcome = match (expected.get("Ok"), result) {
            (Some(want), Ok(got)) => {
                let mut problems = Vec::new();
                if want["access_key_id"] != got.access_key_id() {
                    problems.push(format!("access key {}", got.access_key_id()));
                }
                if want["secret_access_key"] != got.secret_access_key() {
                    problems.push("secret key differs".to_owned());
                }
                if want.get("session_token").and_then(Value::as_str) != got.session_token() {
                    problems.push("session token differs".to_owned());
                }
                let expiry = got
                    .expiry()
                    .map(|e| e.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs());
                if want.get("expiry").and_then(Value::as_u64) != expiry {
                    problems.push(format!("expiry {expiry:?} vs {}", want["expiry"]));
                }
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(problems.join(", "))
                }
            }
            (Some(_), Err(e)) => Err(format!("error: {}", chain_text(&e))),
            (None, Ok(got)) => Err(format!(
                "expected an error, got credentials from {}",
                got.provider_name()
            )),
            (None, Err(e)) => {
                let want = expected["ErrorContains"].as_str().unwrap();
                let text = chain_text(&e);
                if text.contains(want) {
                    Ok(())
                } else {
                    Err(format!("`{text}` lacks `{want}`"))
                }
            }
        };
        let state = replay.state.lock().unwrap();
        let outcome = outcome.and_then(|()| {
            if state.mismatches.is_empty() {
                Ok(())
            } else {
                Err(format!("traffic: {:?}", state.mismatches))
            }
        });
        if state.retries_past_the_end > 0 {
            println!(
                "{name}: {} retries of the last recorded request past the end of the recording",
                state.retries_past_the_end
            );
        }
        // Every recorded exchange was played.
        let outcome = outcome.and_then(|()| match state.queue.len() {
            0 => Ok(()),
            n => Err(format!("{n} recorded requests were never sent")),
        });
        match outcome {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    println!(
        "{folder}: {passed} passed, {} failed, {skipped} skipped (of {})",
        failures.len(),
        names.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
