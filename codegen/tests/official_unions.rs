//! Unions against the real thing: the union enums of the official `aws-sdk-*` crates
//! (`tests/data/official_unions.json`, extracted from their published source by
//! `tests/data/official_unions.py`) compared with the unions the generator makes from the
//! botocore models checked in under `models/`, override table included: the same type names,
//! the same variants and the same methods (`as_*`, `is_*`, `is_unknown`). Offline: the data
//! file is checked in.
//!
//! Output event streams (Lambda's `InvokeWithResponseStreamResponseEvent`, S3's
//! `SelectObjectContentEventStream`) are compared too: their events are the variants, their
//! exceptions the variants of their error enums.

#[path = "support/common.rs"]
mod common;

use codegen::ir::ShapeKind;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, PartialEq, Eq)]
struct Union {
    variants: BTreeSet<String>,
    methods: BTreeSet<String>,
}

fn strings(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn unions_match_the_official_crates() {
    let root = common::root();
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("codegen/tests/data/official_unions.json")).unwrap(),
    )
    .unwrap();
    let mut compared = Vec::new();
    for krate in data["crates"].as_array().unwrap() {
        let name = krate["crate"].as_str().unwrap();
        let service = name.strip_prefix("aws-sdk-").unwrap();
        let model_path = root.join(format!("models/{service}/service-2.json"));
        if !model_path.exists() {
            continue;
        }
        let model = codegen::load_model(&model_path).unwrap();
        let svc = codegen::ir::resolve(&model, &model_path, None).unwrap();
        let mut ours = BTreeMap::new();
        for (wire, shape) in &svc.shapes {
            let names = svc.names.shape(wire).unwrap();
            let ShapeKind::Structure(s) = &shape.kind else {
                continue;
            };
            if !s.union {
                continue;
            }
            let mut methods: BTreeSet<String> = ["is_unknown".to_string()].into();
            for v in &names.union_variants {
                methods.insert(v.as_method.clone());
                methods.insert(v.is_method.clone());
            }
            let variants = names
                .union_variants
                .iter()
                .map(|v| v.variant.clone())
                .collect();
            ours.insert(names.type_name.clone(), Union { variants, methods });
        }
        let official: BTreeMap<String, Union> = krate["unions"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(ty, u)| {
                let union = Union {
                    variants: strings(&u["variants"]),
                    methods: strings(&u["methods"]),
                };
                (ty.clone(), union)
            })
            .collect();
        assert_eq!(ours, official, "{name} {}", krate["version"]);
        compared.push(format!("{name}: {} unions", official.len()));
    }
    // DynamoDB (AttributeValue, from the override table), IAM (PolicyIdentifier), Lambda, SQS
    // and STS are checked in.
    assert!(compared.len() >= 5, "{compared:?}");
    assert!(
        compared.iter().any(|c| c == "aws-sdk-dynamodb: 1 unions"),
        "{compared:?}"
    );
}
