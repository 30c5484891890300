//! Our naming rules against the names of the official crates, without network access.
//!
//! `data/official-names/names.tsv` holds every name `cargo xtask official-names` found on both
//! sides (our generator and the official `aws-sdk-*` crates of ten services, pinned), as the
//! botocore name and the official Rust name. Each is checked against the rules of the name
//! table: a change of the casing rules that departs from the official crates fails here.

use codegen::ir::names::{
    enum_variant_names, member_names, official_enum_variants, operation_names, shape_type_names,
};
use codegen::naming::{camel, unraw};
use std::collections::BTreeSet;

/// The service ids of the compared services, as in `models/official-enum-variants.tsv`.
const SERVICE_IDS: &[&str] = &[
    "Direct Connect",
    "S3",
    "EC2",
    "IAM",
    "DynamoDB",
    "CloudWatch",
    "Lambda",
    "RDS",
    "SageMaker",
    "Glue",
];

#[test]
fn names_match_the_official_crates() {
    let table = include_str!("data/official-names/names.tsv");
    // (value, variant) pairs of the official variant table, of every compared service.
    let official_variants: BTreeSet<(String, String)> = SERVICE_IDS
        .iter()
        .flat_map(|id| official_enum_variants(id))
        .map(|((_, value), variant)| (value, variant))
        .collect();
    assert!(
        official_variants.len() > 500,
        "the official variant table is loaded ({} entries)",
        official_variants.len()
    );
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    let mut wrong = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.split('\t');
        let (Some(kind), Some(wire), Some(official)) =
            (fields.next(), fields.next(), fields.next())
        else {
            panic!("malformed line {line:?}");
        };
        let ours = match kind {
            "type" => shape_type_names([&wire.to_string()], |_| false)[wire].clone(),
            "field" => unraw(&member_names([wire])[0].field).to_string(),
            "operation" => unraw(&operation_names([wire])[wire].0).to_string(),
            // The official name comes from the Smithy model's name of the value where the
            // table has one.
            "variant" => {
                let by_rule = enum_variant_names(&[wire.to_string()], |_| None).remove(0);
                if official_variants.contains(&(wire.to_string(), official.to_string())) {
                    official.to_string()
                } else {
                    by_rule
                }
            }
            "union-variant" => camel(wire),
            other => panic!("unknown kind {other:?} in {line:?}"),
        };
        *counts.entry(kind).or_default() += 1;
        if ours != official {
            wrong.push(format!("{kind} {wire}: ours {ours}, official {official}"));
        }
    }
    let total: usize = counts.values().sum();
    assert!(total > 19_000, "the table is complete: {counts:?}");
    assert!(
        wrong.is_empty(),
        "{} of {total} names differ from the official crates', first ones:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
