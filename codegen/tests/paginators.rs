//! Paginators: which botocore paginators the generator keeps, and in what form.
//!
//! - Against the real thing: the paginators of the official `aws-sdk-*` crates
//!   (`tests/data/official_paginators.json`, extracted from their published source by
//!   `tests/data/official_paginators.py`) compared with those the generator resolves from the
//!   botocore models checked in under `models/`: every official paginator whose operation
//!   botocore also paginates is there, reading the same output token, with the same items
//!   (none where the official crate has none) and the same page size type. Offline.
//! - The `paginators` fixture: every form botocore's `paginators-1.json` takes, kept or left
//!   out as Smithy's `@paginated` can or cannot express it.

#[path = "support/common.rs"]
mod common;

use codegen::ir::{Paginator, Primitive, Service, ShapeKind};
use codegen::naming::unraw;
use std::collections::BTreeMap;

/// A paginator as the official data describes one.
#[derive(Debug, PartialEq, Eq)]
struct Summary {
    output_token: String,
    items: Option<String>,
    page_size: Option<String>,
    stops_on_more_results: bool,
}

/// A member path as the official lens names it: the Rust field names joined by `_`.
fn path_name(svc: &Service, path: &[(String, String)]) -> String {
    path.iter()
        .map(|(shape, member)| {
            let names = svc.names.member(shape, member).unwrap();
            unraw(&names.field).to_string()
        })
        .collect::<Vec<_>>()
        .join("_")
}

fn summary(svc: &Service, input_shape: &str, p: &Paginator) -> Summary {
    let page_size = p.limit_key.as_ref().map(|k| {
        let ShapeKind::Structure(input) = &svc.shape(input_shape).kind else {
            panic!("{input_shape} is a structure");
        };
        let m = input.members.iter().find(|m| &m.wire_name == k).unwrap();
        match svc.shape(&m.target).kind {
            ShapeKind::Primitive(Primitive::Long) => "i64".to_string(),
            _ => "i32".to_string(),
        }
    });
    Summary {
        output_token: path_name(svc, &p.output_token),
        items: p.items.as_ref().map(|(path, _)| path_name(svc, path)),
        page_size,
        stops_on_more_results: p.more_results.is_some(),
    }
}

#[test]
fn paginators_match_the_official_crates() {
    let root = common::root();
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("codegen/tests/data/official_paginators.json")).unwrap(),
    )
    .unwrap();
    let mut failures = Vec::new();
    let mut matched = 0;
    for krate in data["crates"].as_array().unwrap() {
        let name = krate["crate"].as_str().unwrap();
        let service = name.strip_prefix("aws-sdk-").unwrap();
        let model_path = root.join(format!("models/{service}/service-2.json"));
        let model = codegen::load_model(&model_path).unwrap();
        let svc = codegen::ir::resolve(&model, &model_path, None).unwrap();
        let ops: BTreeMap<String, _> = svc
            .operations
            .iter()
            .map(|op| (unraw(&svc.names.operation(op).module).to_string(), op))
            .collect();
        for (module, official) in krate["paginators"].as_object().unwrap() {
            let Some(op) = ops.get(module) else {
                // An operation newer or older than botocore's model.
                continue;
            };
            if !model.paginators.contains_key(&op.wire_name) {
                // The official Smithy model paginates an operation botocore does not.
                continue;
            }
            let Some(p) = &op.paginator else {
                failures.push(format!("{name} {module}: no paginator"));
                continue;
            };
            let ours = summary(&svc, &op.input_shape, p);
            let official = Summary {
                output_token: official["output_token"].as_str().unwrap().to_string(),
                items: official["items"].as_str().map(str::to_string),
                page_size: official["page_size"].as_str().map(str::to_string),
                // The official crates stop on `is_truncated` only where smithy-rs's S3
                // customisation says so; botocore gives `more_results` to more paginators,
                // so only the official side is required.
                stops_on_more_results: official["stops_on_is_truncated"].as_bool().unwrap()
                    || ours.stops_on_more_results,
            };
            if ours == official {
                matched += 1;
            } else {
                failures.push(format!(
                    "{name} {module}: ours {ours:?}, official {official:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // EC2, IAM, Lambda, CloudWatch, DynamoDB and S3 (its `ListParts` with a number token and
    // `IsTruncated`, DynamoDB's `Scan` and `Query` with map tokens).
    assert!(matched >= 230, "{matched}");
}

#[test]
fn the_fixture_keeps_what_smithy_paginated_can_express() {
    let path = codegen::fixture_model_path(&common::root(), "paginators");
    let model = codegen::load_model(&path).unwrap();
    let svc = codegen::ir::resolve(&model, &path, None).unwrap();
    let resolved: BTreeMap<&str, Option<Summary>> = svc
        .operations
        .iter()
        .map(|op| {
            let summary = op
                .paginator
                .as_ref()
                .map(|p| summary(&svc, &op.input_shape, p));
            (op.wire_name.as_str(), summary)
        })
        .collect();
    let kept = |token: &str, items: Option<&str>, page_size: Option<&str>, more: bool| {
        Some(Summary {
            output_token: token.to_string(),
            items: items.map(str::to_string),
            page_size: page_size.map(str::to_string),
            stops_on_more_results: more,
        })
    };
    let expected = BTreeMap::from([
        (
            "ListThings",
            kept("next_token", Some("things"), Some("i32"), false),
        ),
        // Map tokens; of the result keys `Rows` and `Count`, the one list.
        (
            "ScanRows",
            kept("last_evaluated_key", Some("rows"), Some("i32"), false),
        ),
        (
            "ListParts",
            kept("next_part_number_marker", Some("parts"), Some("i32"), true),
        ),
        // Nested token, flag and items; a string page size.
        (
            "ListDistributions",
            kept(
                "distribution_list_next_marker",
                Some("distribution_list_items"),
                Some("i32"),
                true,
            ),
        ),
        // Two result lists: which one is the items is not said.
        ("ListBoth", kept("next_token", None, None, false)),
        // Keyed `ListDated` in `paginators-1.json`, as CloudFront's are.
        (
            "ListDated2024_01_01",
            kept("next_token", Some("things"), None, false),
        ),
        // Two tokens, a JMESPath expression, a string in and a number out.
        ("ListVersions", None),
        ("ListObjects", None),
        ("ListMismatched", None),
    ]);
    assert_eq!(resolved, expected);
}
