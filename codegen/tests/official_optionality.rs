//! Which fields are `Option`s, against the official crates, without network access.
//!
//! `data/official-names/optionality.tsv` holds, for the structures of ten official
//! `aws-sdk-*` crates that are not operation inputs or errors, every field the official crate
//! makes plain (`T`) and every `Option` field of a member botocore marks required (written by
//! `cargo xtask official-names`, which parses the official crates with syn). For the services
//! whose botocore model is checked in under `models/`, each listed member of our IR must be a
//! plain field exactly when the official one is: the rule of `Service::is_non_null` (required
//! members that target structures or unions stay `Option`s, as smithy-rs's `CLIENT_CAREFUL`
//! mode has it) with the defaults and client-optional members of
//! `models/official-nullability.tsv`.

use codegen::emit::Role;
use codegen::ir::ShapeKind;
use std::collections::BTreeMap;
use std::path::Path;

/// Service id, folder under `models/`.
const SERVICES: &[(&str, &str)] = &[
    ("Direct Connect", "directconnect"),
    ("S3", "s3"),
    ("EC2", "ec2"),
    ("IAM", "iam"),
    ("DynamoDB", "dynamodb"),
    ("CloudWatch", "cloudwatch"),
    ("Lambda", "lambda"),
];

#[test]
fn field_optionality_matches_the_official_crates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let table = include_str!("data/official-names/optionality.tsv");
    let mut by_service: BTreeMap<&str, Vec<(&str, &str, bool)>> = BTreeMap::new();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [service, structure, member, official] = fields[..] else {
            panic!("malformed line {line:?}");
        };
        let plain = match official {
            "plain" => true,
            "option" => false,
            other => panic!("unknown value {other:?} in {line:?}"),
        };
        by_service
            .entry(service)
            .or_default()
            .push((structure, member, plain));
    }
    let mut checked = BTreeMap::<(&str, bool), usize>::new();
    let mut struct_targets = 0;
    let mut wrong = Vec::new();
    for (id, folder) in SERVICES {
        let path = root.join(format!("models/{folder}/service-2.json"));
        let model = codegen::load_model(&path).unwrap();
        let svc = codegen::ir::resolve(&model, &path, None).unwrap();
        assert_eq!(&svc.meta.service_id, id);
        for (structure, member, official_plain) in by_service.get(id).into_iter().flatten() {
            let ShapeKind::Structure(s) = &svc.shape(structure).kind else {
                panic!("{id}: `{structure}` is not a structure");
            };
            let m = s
                .members
                .iter()
                .find(|m| m.wire_name == *member)
                .unwrap_or_else(|| panic!("{id}: `{structure}` has no member `{member}`"));
            // Types and outputs follow the same rule; a streaming payload (a `ByteStream` or
            // an `EventReceiver`) is never an `Option`.
            let stream = svc
                .streaming_payload(structure)
                .is_some_and(|p| p.wire_name == m.wire_name)
                || matches!(&svc.shape(&m.target).kind, ShapeKind::Structure(t) if t.event_stream);
            assert_eq!(Role::Type.is_plain(&svc, m), Role::Output.is_plain(&svc, m));
            let ours = stream || Role::Type.is_plain(&svc, m);
            *checked.entry((id, *official_plain)).or_default() += 1;
            if m.required
                && !official_plain
                && matches!(svc.shape(&m.target).kind, ShapeKind::Structure(_))
            {
                struct_targets += 1;
            }
            if ours != *official_plain {
                wrong.push(format!(
                    "{id} {structure}.{member}: official {}, ours {}",
                    if *official_plain { "T" } else { "Option<T>" },
                    if ours { "T" } else { "Option<T>" }
                ));
            }
        }
    }
    let total: usize = checked.values().sum();
    assert!(total >= 650, "the table is loaded: {checked:?}");
    // Required members targeting structures, the rule that botocore's JSON decides alone.
    assert!(struct_targets > 80, "{struct_targets} structure members");
    assert!(
        wrong.is_empty(),
        "{} of {total} fields differ from the official crates':\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
