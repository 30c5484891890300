//! The official SDK's loader test data (provenance in `test-data/PROVENANCE.md`):
//! `assume-role-tests.json` (how profiles become a provider chain), `ecs-tests.json`
//! (container-credential endpoints) and `imds-config/imds-endpoint-tests.json` (IMDS endpoint
//! resolution, checked on the URI of the first request actually sent).

use aws_config::ProviderConfig;
use aws_config::ecs;
use aws_config::imds::{EndpointMode, ImdsClient};
use aws_config::os::{Env, Fs};
use aws_config::profile::ProfileSet;
use aws_config::profile::credentials::{BaseProvider, ProfileChain, resolve_chain};
use aws_lite_runtime::config::ProvideCredentials;
use aws_lite_runtime::http::SharedHttpClient;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn load(name: &str) -> Value {
    let path = format!("{}/test-data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

fn maps(value: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    value
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let props = v
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                        .collect();
                    (k.clone(), props)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn env_of(value: &Value) -> Env {
    Env::from_map(
        value
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect()
            })
            .unwrap_or_default(),
    )
}

/// The chain in the test data's notation (keys absent when unset).
fn to_output(chain: &ProfileChain) -> Value {
    fn put(map: &mut serde_json::Map<String, Value>, key: &str, value: &Option<String>) {
        if let Some(v) = value {
            map.insert(key.to_owned(), json!(v));
        }
    }
    let mut out = Vec::new();
    let base = match &chain.base {
        BaseProvider::NamedSource(name) => json!({ "NamedSource": name }),
        BaseProvider::AccessKey(c) => {
            let mut m = serde_json::Map::new();
            m.insert("access_key_id".into(), json!(c.access_key_id()));
            m.insert("secret_access_key".into(), json!(c.secret_access_key()));
            put(
                &mut m,
                "session_token",
                &c.session_token().map(str::to_owned),
            );
            json!({ "AccessKey": m })
        }
        BaseProvider::WebIdentityTokenRole {
            role_arn,
            web_identity_token_file,
            session_name,
        } => {
            let mut m = serde_json::Map::new();
            m.insert("role_arn".into(), json!(role_arn));
            m.insert(
                "web_identity_token_file".into(),
                json!(web_identity_token_file),
            );
            put(&mut m, "role_session_name", session_name);
            json!({ "WebIdentityToken": m })
        }
        BaseProvider::Sso {
            sso_session_name,
            sso_region,
            sso_start_url,
            sso_account_id,
            sso_role_name,
        } => {
            let mut m = serde_json::Map::new();
            m.insert("sso_region".into(), json!(sso_region));
            m.insert("sso_start_url".into(), json!(sso_start_url));
            put(&mut m, "sso_session", sso_session_name);
            put(&mut m, "sso_account_id", sso_account_id);
            put(&mut m, "sso_role_name", sso_role_name);
            json!({ "Sso": m })
        }
        BaseProvider::CredentialProcess { command, .. } => {
            json!({ "CredentialProcess": { "command": command } })
        }
    };
    out.push(base);
    for role in &chain.chain {
        let mut m = serde_json::Map::new();
        m.insert("role_arn".into(), json!(role.role_arn));
        put(&mut m, "external_id", &role.external_id);
        put(&mut m, "role_session_name", &role.session_name);
        out.push(json!({ "AssumeRole": m }));
    }
    Value::Array(out)
}

/// The expected chain, without `account_id` (our `Credentials` carry no account id; the
/// one case that sets it is compared on everything else, noted in the count).
fn without_account_ids(mut expected: Value) -> (Value, bool) {
    let mut had = false;
    for step in expected.as_array_mut().unwrap() {
        for (_, fields) in step.as_object_mut().unwrap() {
            if let Some(m) = fields.as_object_mut() {
                had |= m.remove("account_id").is_some();
            }
        }
    }
    (expected, had)
}

#[test]
fn assume_role_tests() {
    let data = load("assume-role-tests.json");
    let (mut passed, mut without_account) = (0, 0);
    for case in data.as_array().unwrap() {
        let docs = case["docs"].as_str().unwrap();
        let input = &case["input"];
        let set = ProfileSet::from_maps(
            maps(&input["profiles"]),
            maps(&input["sso_sessions"]),
            input["selected_profile"].as_str().unwrap(),
        );
        let actual = resolve_chain(&set);
        match (&case["output"], actual) {
            (out, Err(e)) if out.get("Error").is_some() => {
                let expected = out["Error"].as_str().unwrap();
                assert!(
                    e.to_string().contains(expected),
                    "{docs}: `{e}` lacks `{expected}`"
                );
            }
            (out, Ok(chain)) if out.get("ProfileChain").is_some() => {
                let (expected, had) = without_account_ids(out["ProfileChain"].clone());
                assert_eq!(to_output(&chain), expected, "{docs}");
                without_account += usize::from(had);
            }
            (out, actual) => panic!("{docs}: expected {out}, got {actual:?}"),
        }
        passed += 1;
    }
    println!(
        "assume-role-tests.json: {passed} passed ({without_account} compared without `account_id`, which our credentials do not carry), 0 failed, 0 skipped"
    );
    assert_eq!(passed, 28);
}

#[tokio::test(start_paused = true)]
async fn ecs_tests() {
    let data = load("ecs-tests.json");
    let mut passed = 0;
    for case in data["tests"].as_array().unwrap() {
        let docs = case["docs"].as_str().unwrap();
        // The credentials response is never read: only the URI asked for matters here.
        let http = CaptureClient::new(vec![CannedResponse::new(500, "")]);
        let config = ProviderConfig::default()
            .with_env(env_of(&case["env"]))
            .with_fs(Fs::from_slice(&[]))
            .with_http_client(SharedHttpClient::new(http.clone()));
        let result = ecs::EcsCredentialsProvider::from_config(&config)
            .provide_credentials()
            .await;
        match &case["result"] {
            r if r.get("Ok").is_some() => {
                let uri = ecs::endpoint(&config).unwrap().unwrap();
                assert_eq!(uri, r["Ok"].as_str().unwrap(), "{docs}");
                let sent = http.requests();
                assert_eq!(sent[0].uri, uri, "{docs}: the request went to the endpoint");
            }
            r => {
                let expected = r["ErrorContains"].as_str().unwrap();
                let err = result.expect_err(docs);
                let full = format!("{err}: {}", std::error::Error::source(&err).unwrap());
                assert!(
                    full.contains(expected),
                    "{docs}: `{full}` lacks `{expected}`"
                );
                assert!(http.requests().is_empty(), "{docs}: nothing sent");
            }
        }
        passed += 1;
    }
    println!("ecs-tests.json: {passed} passed, 0 failed, 0 skipped");
    assert_eq!(passed, 11);
}

#[tokio::test]
async fn imds_endpoint_tests() {
    let data = load("imds-config/imds-endpoint-tests.json");
    let mut passed = 0;
    for case in data["tests"].as_array().unwrap() {
        let docs = case["docs"].as_str().unwrap();
        let files: Vec<(String, String)> = case["fs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let http = CaptureClient::new(vec![
            CannedResponse::new(200, "token"),
            CannedResponse::new(200, "x"),
        ]);
        let config = ProviderConfig::default()
            .with_env(env_of(&case["env"]))
            .with_fs(Fs::from_slice(&files))
            .with_http_client(SharedHttpClient::new(http.clone()));
        let mut client = ImdsClient::from_config(&config);
        if let Some(endpoint) = case.get("endpoint_override").and_then(Value::as_str) {
            client = client.endpoint(endpoint);
        }
        if let Some(mode) = case.get("mode_override").and_then(Value::as_str) {
            client = client.endpoint_mode(mode.parse::<EndpointMode>().unwrap());
        }
        let result = client.get("/latest/meta-data/x").await;
        match &case["result"] {
            r if r.get("Ok").is_some() => {
                result.unwrap_or_else(|e| panic!("{docs}: {e}"));
                assert_eq!(http.requests()[0].uri, r["Ok"].as_str().unwrap(), "{docs}");
            }
            r => {
                let expected = r["Err"].as_str().unwrap();
                let err = result.expect_err(docs).to_string();
                assert!(err.contains(expected), "{docs}: `{err}` lacks `{expected}`");
                assert!(http.requests().is_empty(), "{docs}: nothing sent");
            }
        }
        passed += 1;
    }
    println!("imds-endpoint-tests.json: {passed} passed, 0 failed, 0 skipped");
    assert_eq!(passed, 14);
}
