//! Conformance: every case of botocore's endpoint test vectors against the rule set they
//! belong to (see `tests/data/README.md` for where the files come from).

use aws_lite_runtime::endpoint::{Params, RuleSet};
use serde_json::Value;
use std::path::Path;

/// Turns a test case's `params` into [`Params`]: the four AWS built-ins through their
/// fields (as the runtime passes them), everything else by name.
fn params(case_params: Option<&Value>) -> Params {
    let mut params = Params::default();
    let Some(Value::Object(map)) = case_params else {
        return params;
    };
    for (name, value) in map {
        match (name.as_str(), value) {
            ("Region", Value::String(s)) => params.region = Some(s.clone()),
            ("Endpoint", Value::String(s)) => params.endpoint = Some(s.clone()),
            ("UseFIPS", Value::Bool(b)) => params.use_fips = *b,
            ("UseDualStack", Value::Bool(b)) => params.use_dual_stack = *b,
            _ => {
                params.named.insert(name.clone(), value.clone());
            }
        }
    }
    params
}

/// Runs every case of `dir/endpoint-tests-1.json`; returns (passed, failures).
fn run_suite(dir: &Path) -> (usize, Vec<String>) {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    let rules = RuleSet::parse(&read("endpoint-rule-set-1.json"))
        .unwrap_or_else(|e| panic!("{}: rule set does not parse: {e}", dir.display()));
    let tests: Value =
        serde_json::from_str(&read("endpoint-tests-1.json")).expect("tests are JSON");
    let cases = tests["testCases"].as_array().expect("testCases array");
    assert!(!cases.is_empty(), "no test cases in {}", dir.display());
    let mut passed = 0;
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let doc = case["documentation"].as_str().unwrap_or("");
        let result = rules.resolve(&params(case.get("params")));
        let expect = &case["expect"];
        let failure = match (expect.get("endpoint"), expect.get("error"), &result) {
            (Some(want), _, Ok(got)) => {
                let mut problems = Vec::new();
                if want["url"].as_str() != Some(got.url.as_str()) {
                    problems.push(format!("url {:?}, expected {}", got.url, want["url"]));
                }
                if let Some(headers) = want.get("headers") {
                    let got_headers = serde_json::to_value(&got.headers).unwrap_or_default();
                    if &got_headers != headers {
                        problems.push(format!("headers {got_headers}, expected {headers}"));
                    }
                }
                if let Some(properties) = want.get("properties") {
                    let got_properties = Value::Object(got.properties.clone());
                    if &got_properties != properties {
                        problems.push(format!(
                            "properties {got_properties}, expected {properties}"
                        ));
                    }
                }
                (!problems.is_empty()).then(|| problems.join("; "))
            }
            (_, Some(want), Err(err)) => (want.as_str() != Some(err.message()))
                .then(|| format!("error {:?}, expected {want}", err.message())),
            (Some(_), _, Err(err)) => Some(format!("expected an endpoint, got error {err}")),
            (_, Some(_), Ok(got)) => Some(format!("expected an error, got {}", got.url)),
            (None, None, _) => Some("test case has no expectation".to_owned()),
        };
        match failure {
            None => passed += 1,
            Some(problem) => failures.push(format!("case {i} ({doc}): {problem}")),
        }
    }
    (passed, failures)
}

fn committed_suite(service: &str, expected_cases: usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/endpoint-rules")
        .join(service);
    let (passed, failures) = run_suite(&dir);
    println!(
        "endpoint-rules {service}: {passed} passed, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    assert_eq!(passed, expected_cases, "every {service} case runs");
}

#[test]
fn directconnect_endpoint_test_vectors() {
    committed_suite("directconnect", 48);
}

/// S3's rules use every function (ARNs, bucket names, `substring`, `uriEncode`, `parseURL`)
/// and expect endpoint properties (`authSchemes`) and headers: the broadest committed check.
#[test]
fn s3_endpoint_test_vectors() {
    committed_suite("s3", 393);
}

/// Lambda (rest-json): FIPS, dual-stack and the partitions' regions.
#[test]
fn lambda_endpoint_test_vectors() {
    committed_suite("lambda", 71);
}

/// The rule set committed for the tests is the one the generator reads.
#[test]
fn test_rule_set_matches_the_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = root.join("../models/directconnect/endpoint-rule-set-1.json");
    let Ok(model) = std::fs::read_to_string(&model) else {
        // The runtime crate can be tested on its own, without the workspace's models.
        return;
    };
    let copy = std::fs::read_to_string(
        root.join("tests/data/endpoint-rules/directconnect/endpoint-rule-set-1.json"),
    )
    .expect("test copy exists");
    assert_eq!(model, copy, "tests/data is out of date with models/");
}

/// Runs every service of a botocore source distribution when `BOTOCORE_SDIST` points at an
/// unpacked one (it has `botocore/data` and `tests/functional/endpoint-rules`): a wide check
/// of the interpreter, skipped by default since that tree is not committed.
#[test]
fn all_botocore_services_when_available() {
    let Some(root) = std::env::var_os("BOTOCORE_SDIST") else {
        return;
    };
    let root = Path::new(&root);
    let tests_root = root.join("tests/functional/endpoint-rules");
    let mut services: Vec<_> = std::fs::read_dir(&tests_root)
        .expect("endpoint-rules directory")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    services.sort();
    let (mut total_passed, mut total_failed) = (0, 0);
    let mut report = Vec::new();
    for service in services {
        // Find botocore/data/<service>/<version>/endpoint-rule-set-1.json.
        let data = root.join("botocore/data").join(&service);
        let Some(version_dir) = std::fs::read_dir(&data).ok().and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("endpoint-rule-set-1.json").exists())
                .max()
        }) else {
            continue;
        };
        let scratch = std::env::temp_dir().join(format!("aws-lite-endpoint-{service}"));
        std::fs::create_dir_all(&scratch).expect("scratch dir");
        for (from, name) in [
            (
                version_dir.join("endpoint-rule-set-1.json"),
                "endpoint-rule-set-1.json",
            ),
            (
                tests_root.join(&service).join("endpoint-tests-1.json"),
                "endpoint-tests-1.json",
            ),
        ] {
            std::fs::copy(&from, scratch.join(name)).expect("copy");
        }
        let (passed, failures) = run_suite(&scratch);
        total_passed += passed;
        total_failed += failures.len();
        for failure in failures {
            report.push(format!("{service}: {failure}"));
        }
        let _ = std::fs::remove_dir_all(&scratch);
    }
    println!(
        "endpoint-rules botocore (all services): {total_passed} passed, {total_failed} failed"
    );
    assert!(report.is_empty(), "failures:\n{}", report.join("\n"));
}
