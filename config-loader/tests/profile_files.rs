//! The official SDK's shared-file tests, from the `aws-runtime` crate 1.10.2
//! (`test-data/profile-parser-tests.json`, `test-data/file-location-tests.json`; provenance in
//! `test-data/PROVENANCE.md`): every case runs against this crate's parser and locations.

use aws_config::os::{Env, Os};
use aws_config::profile::{FileLocations, ProfileSet};
use serde_json::Value;
use std::collections::BTreeMap;

fn load(name: &str) -> Value {
    let path = format!("{}/test-data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

fn to_map(section: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    section
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(name, props)| {
                    let props = props
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                        .collect();
                    (name.clone(), props)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn profile_parser_tests() {
    let data = load("profile-parser-tests.json");
    let tests = data["tests"].as_array().unwrap();
    let mut passed = 0;
    let mut failures = Vec::new();
    for test in tests {
        let name = test["name"].as_str().unwrap();
        let config = test["input"]["configFile"].as_str();
        let credentials = test["input"]["credentialsFile"].as_str();
        let result = ProfileSet::parse(
            config.map(|t| ("~/.aws/config", t)),
            credentials.map(|t| ("~/.aws/credentials", t)),
            "default",
        );
        let output = &test["output"];
        let ok = match (output.get("errorContaining"), result) {
            (Some(expected), Err(e)) => {
                let expected = expected.as_str().unwrap();
                e.to_string().contains(expected)
                    || (
                        failures.push(format!("{name}: error `{e}` lacks `{expected}`")),
                        false,
                    )
                        .1
            }
            (Some(expected), Ok(set)) => {
                failures.push(format!(
                    "{name}: expected error `{expected}`, parsed {set:?}"
                ));
                false
            }
            (None, Err(e)) => {
                failures.push(format!("{name}: unexpected error {e}"));
                false
            }
            (None, Ok(set)) => {
                let want_profiles = to_map(&output["config"]["profiles"]);
                let got_profiles: BTreeMap<_, _> = set
                    .profiles()
                    .map(|p| (p.name().to_owned(), p.properties().clone()))
                    .collect();
                let want_sessions = to_map(&output["config"]["sso_sessions"]);
                let got_sessions: BTreeMap<_, _> = set
                    .sso_sessions()
                    .map(|p| (p.name().to_owned(), p.properties().clone()))
                    .collect();
                let ok = want_profiles == got_profiles
                    && (output["config"].get("sso_sessions").is_none()
                        || want_sessions == got_sessions);
                if !ok {
                    failures.push(format!(
                        "{name}: want {want_profiles:?} / {want_sessions:?}, got {got_profiles:?} / {got_sessions:?}"
                    ));
                }
                ok
            }
        };
        passed += usize::from(ok);
    }
    println!(
        "profile-parser-tests.json: {passed} passed, {} failed, 0 skipped",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(passed, 65, "every case of the file ran");
}

#[test]
fn file_location_tests() {
    let data = load("file-location-tests.json");
    let tests = data["tests"].as_array().unwrap();
    let mut passed = 0;
    for test in tests {
        let name = test["name"].as_str().unwrap();
        let vars: Vec<(String, String)> = test["environment"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let os = match test["platform"].as_str().unwrap() {
            "windows" => Os::Windows,
            "linux" | "macos" => Os::Unix,
            other => panic!("{name}: unknown platform {other}"),
        };
        let got = FileLocations::resolve(&Env::from_slice(&vars), os, None);
        assert_eq!(
            got.config,
            test["configLocation"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            got.credentials,
            test["credentialsLocation"].as_str().unwrap(),
            "{name}"
        );
        // One case names no profile: nothing to compare.
        if let Some(profile) = test["profile"].as_str() {
            assert_eq!(got.profile, profile, "{name}");
        }
        passed += 1;
    }
    println!("file-location-tests.json: {passed} passed, 0 failed, 0 skipped");
    assert_eq!(passed, 9);
}
