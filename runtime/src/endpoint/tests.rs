//! Tests of the rules engine on small hand-written rule sets.

use super::*;
use serde_json::json;

fn rule_set(doc: Value) -> RuleSet {
    RuleSet::parse(&doc.to_string()).unwrap_or_else(|e| panic!("rule set parses: {e}"))
}

fn params_region(region: &str) -> Params {
    Params {
        region: Some(region.to_owned()),
        ..Params::default()
    }
}

/// The shape of a typical AWS rule set, with headers, properties and an auth scheme.
fn regional() -> RuleSet {
    rule_set(json!({
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
            "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
        },
        "rules": [
            {
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                "endpoint": {"url": {"ref": "Endpoint"}},
                "type": "endpoint"
            },
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Region"}]},
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
                ],
                "rules": [
                    {
                        "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                        "error": "FIPS is not available in {Region} ({PartitionResult#name})",
                        "type": "error"
                    },
                    {
                        "conditions": [],
                        "endpoint": {
                            "url": "https://svc.{Region}.{PartitionResult#dnsSuffix}",
                            "headers": {"x-partition": ["{PartitionResult#name}", "static"]},
                            "properties": {
                                "authSchemes": [{
                                    "name": "sigv4",
                                    "signingName": "svc",
                                    "signingRegion": "{PartitionResult#implicitGlobalRegion}",
                                    "disableDoubleEncoding": true
                                }],
                                "count": 3
                            }
                        },
                        "type": "endpoint"
                    }
                ],
                "type": "tree"
            },
            {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
        ]
    }))
}

#[test]
fn resolves_urls_headers_and_properties() {
    let rules = regional();
    assert_eq!(rules.version(), Some("1.0"));
    assert_eq!(
        rules.parameter_names().collect::<Vec<_>>().len(),
        3,
        "three parameters"
    );
    let endpoint = rules
        .resolve(&params_region("cn-north-1"))
        .expect("resolves");
    assert_eq!(endpoint.url, "https://svc.cn-north-1.amazonaws.com.cn");
    assert_eq!(
        endpoint.headers.get("x-partition"),
        Some(&vec!["aws-cn".to_owned(), "static".to_owned()])
    );
    assert_eq!(endpoint.properties.get("count"), Some(&json!(3)));
    let scheme = endpoint.sigv4_auth_scheme().expect("sigv4 scheme");
    assert_eq!(scheme.get("signingRegion"), Some(&json!("cn-northwest-1")));
    assert_eq!(scheme.get("disableDoubleEncoding"), Some(&json!(true)));

    let custom = rules
        .resolve(&Params {
            endpoint: Some("http://localhost:4566".to_owned()),
            ..Params::default()
        })
        .expect("custom endpoint");
    assert_eq!(custom.url, "http://localhost:4566");
    assert!(custom.headers.is_empty() && custom.properties.is_empty());
    assert!(custom.sigv4_auth_scheme().is_none());
}

#[test]
fn error_rules_carry_their_message_exactly() {
    let rules = regional();
    let err = rules
        .resolve(&Params {
            use_fips: true,
            ..params_region("us-east-1")
        })
        .expect_err("FIPS rule");
    assert_eq!(err.kind(), EndpointErrorKind::Rule);
    assert_eq!(err.message(), "FIPS is not available in us-east-1 (aws)");
    assert_eq!(err.to_string(), "FIPS is not available in us-east-1 (aws)");
    let err = rules.resolve(&Params::default()).expect_err("no region");
    assert_eq!(err.message(), "Invalid Configuration: Missing Region");
}

#[test]
fn named_params_override_built_ins_and_are_type_checked() {
    let rules = regional();
    let endpoint = rules
        .resolve(&params_region("us-east-1").with("Region", "eu-west-1"))
        .expect("resolves");
    assert_eq!(endpoint.url, "https://svc.eu-west-1.amazonaws.com");
    let err = rules
        .resolve(&Params::default().with("Region", true))
        .expect_err("wrong type");
    assert_eq!(err.kind(), EndpointErrorKind::InvalidParams);
    assert!(err.message().contains("`Region` must be a string"), "{err}");
    // Unknown names are ignored.
    assert!(
        rules
            .resolve(&params_region("us-east-1").with("Bucket", "b"))
            .is_ok()
    );
}

#[test]
fn required_params_without_value_are_reported() {
    let rules = rule_set(json!({
        "parameters": {"Bucket": {"type": "string", "required": true}},
        "rules": [{"conditions": [], "endpoint": {"url": "https://{Bucket}.example.com"}, "type": "endpoint"}]
    }));
    let err = rules.resolve(&Params::default()).expect_err("missing");
    assert_eq!(err.kind(), EndpointErrorKind::InvalidParams);
    assert!(err.message().contains("`Bucket`"), "{err}");
    assert_eq!(
        rules
            .resolve(&Params::default().with("Bucket", "b1"))
            .expect("set")
            .url,
        "https://b1.example.com"
    );
}

#[test]
fn assignments_are_scoped_to_their_rule() {
    // The first rule assigns `x` and then fails; the second must not see that binding.
    let rules = rule_set(json!({
        "parameters": {"Input": {"type": "string", "required": true}},
        "rules": [
            {
                "conditions": [
                    {"fn": "substring", "argv": [{"ref": "Input"}, 0, 2, false], "assign": "x"},
                    {"fn": "stringEquals", "argv": [{"ref": "x"}, "zz"]}
                ],
                "endpoint": {"url": "https://first-{x}"},
                "type": "endpoint"
            },
            {
                "conditions": [
                    {"fn": "substring", "argv": [{"ref": "Input"}, 0, 2, true], "assign": "x"}
                ],
                "endpoint": {"url": "https://second-{x}"},
                "type": "endpoint"
            }
        ]
    }));
    assert_eq!(
        rules
            .resolve(&Params::default().with("Input", "abcd"))
            .expect("ok")
            .url,
        "https://second-cd"
    );
    assert_eq!(
        rules
            .resolve(&Params::default().with("Input", "zzcd"))
            .expect("ok")
            .url,
        "https://first-zz"
    );
    let err = rules
        .resolve(&Params::default().with("Input", "a"))
        .expect_err("nothing matches");
    assert_eq!(err.kind(), EndpointErrorKind::NoMatch);
}

#[test]
fn tree_rules_are_terminal() {
    let rules = rule_set(json!({
        "parameters": {"Flag": {"type": "boolean", "default": true, "required": true}},
        "rules": [
            {
                "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
                "rules": [
                    {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, false]}],
                     "endpoint": {"url": "https://never"}, "type": "endpoint"}
                ],
                "type": "tree"
            },
            {"conditions": [], "endpoint": {"url": "https://fallback"}, "type": "endpoint"}
        ]
    }));
    let err = rules
        .resolve(&Params::default())
        .expect_err("tree exhausted");
    assert_eq!(err.kind(), EndpointErrorKind::NoMatch);
    assert_eq!(
        rules
            .resolve(&Params::default().with("Flag", false))
            .expect("tree skipped")
            .url,
        "https://fallback"
    );
}

#[test]
fn functions_through_rules() {
    let rules = rule_set(json!({
        "parameters": {
            "Arn": {"type": "string"},
            "Bucket": {"type": "string"},
            "Url": {"type": "string"},
            "List": {"type": "stringArray", "default": ["a", "b"], "required": true}
        },
        "rules": [
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Arn"}]},
                    {"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "arn"},
                    {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "second"}
                ],
                "endpoint": {"url": "https://{second}.{arn#service}.{arn#resourceId[0]}"},
                "type": "endpoint"
            },
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Url"}]},
                    {"fn": "parseURL", "argv": ["{Url}"], "assign": "url"},
                    {"fn": "not", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}]}
                ],
                "endpoint": {"url": "{url#scheme}://x.{url#authority}{url#normalizedPath}"},
                "type": "endpoint"
            },
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                    {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]}
                ],
                "endpoint": {"url": "https://{Bucket}.s3.amazonaws.com/{List#[1]}"},
                "type": "endpoint"
            },
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                    {"fn": "uriEncode", "argv": [{"ref": "Bucket"}], "assign": "encoded"}
                ],
                "error": "bad bucket {{{Bucket}}} -> {encoded}",
                "type": "error"
            },
            {"conditions": [], "error": "nothing", "type": "error"}
        ]
    }));
    let url = |params: Params| {
        rules
            .resolve(&params)
            .map(|e| e.url)
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        url(Params::default().with("Arn", "arn:aws:s3:us-east-1:123:accesspoint/myap")),
        Ok("https://myap.s3.accesspoint".to_owned())
    );
    assert_eq!(
        url(Params::default().with("Arn", "arn:aws:s3:us-east-1:123:onlyone")),
        Err("nothing".to_owned()),
        "resourceId[1] unset: the condition fails"
    );
    assert_eq!(
        url(Params::default().with("Url", "https://example.com:8443/base")),
        Ok("https://x.example.com:8443/base/".to_owned())
    );
    assert_eq!(
        url(Params::default().with("Url", "https://10.0.0.1/")),
        Err("nothing".to_owned()),
        "an IP host"
    );
    assert_eq!(
        url(Params::default().with("Bucket", "my-bucket")),
        Ok("https://my-bucket.s3.amazonaws.com/b".to_owned())
    );
    assert_eq!(
        url(Params::default().with("Bucket", "My Bucket/1")),
        Err("bad bucket {My Bucket/1} -> My%20Bucket%2F1".to_owned())
    );
}

#[test]
fn coalesce_ite_and_split() {
    let rules = rule_set(json!({
        "parameters": {"A": {"type": "string"}, "B": {"type": "string", "default": "b", "required": true}},
        "rules": [{
            "conditions": [
                {"fn": "coalesce", "argv": [{"ref": "A"}, {"ref": "B"}], "assign": "first"},
                {"fn": "ite", "argv": [{"fn": "isSet", "argv": [{"ref": "A"}]}, "has-a", "no-a"], "assign": "which"},
                {"fn": "split", "argv": ["x.y.z", ".", 2], "assign": "parts"}
            ],
            "endpoint": {"url": "https://{first}.{which}.{parts#[1]}"},
            "type": "endpoint"
        }]
    }));
    assert_eq!(
        rules.resolve(&Params::default()).expect("ok").url,
        "https://b.no-a.y.z"
    );
    assert_eq!(
        rules
            .resolve(&Params::default().with("A", "a"))
            .expect("ok")
            .url,
        "https://a.has-a.y.z"
    );
}

#[test]
fn invalid_rule_sets_are_rejected_with_a_location() {
    let cases: Vec<(&str, Value)> = vec![
        ("not JSON", Value::Null),
        ("root", json!([])),
        ("missing `rules`", json!({"parameters": {}})),
        (
            "unknown function",
            json!({"parameters": {}, "rules": [
            {"conditions": [{"fn": "nope", "argv": []}], "error": "x", "type": "error"}]}),
        ),
        (
            "arguments",
            json!({"parameters": {}, "rules": [
            {"conditions": [{"fn": "isSet", "argv": []}], "error": "x", "type": "error"}]}),
        ),
        (
            "undefined name",
            json!({"parameters": {}, "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "X"}]}], "error": "x", "type": "error"}]}),
        ),
        (
            "undefined name",
            json!({"parameters": {}, "rules": [
            {"conditions": [], "error": "in template {X}", "type": "error"}]}),
        ),
        (
            "unknown rule type",
            json!({"parameters": {}, "rules": [{"conditions": [], "type": "other"}]}),
        ),
        (
            "missing `type`",
            json!({"parameters": {}, "rules": [{"conditions": []}]}),
        ),
        (
            "unknown type",
            json!({"parameters": {"P": {"type": "int"}}, "rules": []}),
        ),
        (
            "default",
            json!({"parameters": {"P": {"type": "boolean", "default": "yes"}}, "rules": []}),
        ),
        (
            "path",
            json!({"parameters": {"P": {"type": "string"}}, "rules": [
            {"conditions": [{"fn": "getAttr", "argv": [{"ref": "P"}, "a["]}], "error": "x", "type": "error"}]}),
        ),
        (
            "unclosed",
            json!({"parameters": {}, "rules": [{"conditions": [], "error": "oops {", "type": "error"}]}),
        ),
        (
            "expected a function call",
            json!({"parameters": {}, "rules": [
            {"conditions": [true], "error": "x", "type": "error"}]}),
        ),
        (
            "not an integer",
            json!({"parameters": {"P": {"type": "string"}}, "rules": [
            {"conditions": [{"fn": "substring", "argv": [{"ref": "P"}, 0.5, 1, false]}], "error": "x", "type": "error"}]}),
        ),
    ];
    for (needle, doc) in cases {
        let text = if doc.is_null() {
            "{oops".to_owned()
        } else {
            doc.to_string()
        };
        let err = RuleSet::parse(&text).expect_err(needle);
        assert_eq!(err.kind(), EndpointErrorKind::InvalidRuleSet, "{err}");
        assert!(err.message().contains(needle), "{needle:?} not in {err}");
    }
    // An assignment is visible in the rule's body and nested rules, not in siblings.
    let sibling = json!({"parameters": {"P": {"type": "string"}}, "rules": [
        {"conditions": [{"fn": "uriEncode", "argv": [{"ref": "P"}], "assign": "e"}],
         "rules": [{"conditions": [], "error": "{e}", "type": "error"}], "type": "tree"},
        {"conditions": [], "error": "{e}", "type": "error"}]});
    let err = RuleSet::parse(&sibling.to_string()).expect_err("e out of scope");
    assert!(err.message().contains("rules[1]"), "{err}");
}

#[test]
fn type_errors_at_run_time_are_errors_not_panics() {
    let rules = rule_set(json!({
        "parameters": {"Flag": {"type": "boolean", "default": true, "required": true},
                       "S": {"type": "string"}},
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "S"}]}], "error": "{S}", "type": "error"},
            {"conditions": [], "endpoint": {"url": {"ref": "Flag"}}, "type": "endpoint"}
        ]
    }));
    let err = rules
        .resolve(&Params::default())
        .expect_err("a boolean URL");
    assert_eq!(err.kind(), EndpointErrorKind::Evaluation);
    assert_eq!(
        rules
            .resolve(&Params::default().with("S", ""))
            .expect_err("empty")
            .message(),
        ""
    );
}

#[test]
fn garbage_never_panics() {
    // Every prefix of a real rule set, and a few mangled documents, parse or fail cleanly.
    let text =
        include_str!("../../tests/data/endpoint-rules/directconnect/endpoint-rule-set-1.json");
    for cut in (0..text.len()).step_by(97) {
        let _ = RuleSet::parse(text.get(..cut).unwrap_or_default());
    }
    for mangled in [
        text.replace("\"ref\"", "\"fn\""),
        text.replace("\"argv\"", "\"args\""),
        text.replace("true", "1"),
        text.replace("\"tree\"", "\"endpoint\""),
        text.replace('{', "[").replace('}', "]"),
        "[".repeat(10_000),
    ] {
        let _ = RuleSet::parse(&mangled);
    }
    let rules = RuleSet::parse(text).expect("the real rule set parses");
    for region in [
        "",
        " ",
        "\u{0}",
        "us-east-1\n",
        "💥",
        &"a".repeat(100_000),
        "us-east-1.evil.com/x?",
    ] {
        for (fips, dual) in [(false, false), (true, true)] {
            let _ = rules.resolve(&Params {
                region: Some(region.to_owned()),
                use_fips: fips,
                use_dual_stack: dual,
                endpoint: Some(region.to_owned()),
                ..Params::default()
            });
        }
    }
}

#[test]
fn cached_parses_once_per_text() {
    static TEXT: &str =
        include_str!("../../tests/data/endpoint-rules/directconnect/endpoint-rule-set-1.json");
    let first = RuleSet::cached(TEXT).expect("parses");
    let second = RuleSet::cached(TEXT).expect("parses");
    assert!(Arc::ptr_eq(&first, &second));
    static BAD: &str = "{not json";
    assert!(RuleSet::cached(BAD).is_err());
    assert_eq!(
        RuleSet::cached(BAD).err().map(|e| e.kind()),
        Some(EndpointErrorKind::InvalidRuleSet)
    );
}
