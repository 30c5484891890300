//! The override table (`models/overrides.json`): facts the official SDK's Smithy models state
//! and botocore's JSON leaves out, applied while the IR is resolved.
//!
//! It holds two kinds of entry, both keyed by the model's `metadata.serviceId` (so they apply
//! to every version of a service's model); `models/overrides.md` says why each entry exists
//! and which official type it matches:
//! - `unions`: shapes that are unions in the official Smithy model (and so enums in the
//!   official Rust crates) but carry no `"union": true` in botocore's JSON, such as
//!   DynamoDB's `AttributeValue`; read while the IR is resolved ([`union_shapes`]).
//! - `errors`: modelled errors the official model declares and botocore's JSON does not, such
//!   as S3's `NotFound` of `HeadObject` (a 404 without a body); added to the parsed model
//!   before anything else reads it ([`add_errors`]).
//!
//! The table is compiled into the generator (`include_str!`), so a generated crate depends
//! only on the model file and the generator. An entry naming a shape that is not a structure
//! is an error naming the table and the entry; a shape the model does not have is skipped
//! (older versions of a model, excerpts), and the tests check every entry against the
//! models checked in under `models/`.

use crate::error::{CodegenError, Result};
use crate::model;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The table's text, as checked in.
pub const TABLE: &str = include_str!("../../../models/overrides.json");

/// Where the table lives, for error messages.
pub const TABLE_PATH: &str = "models/overrides.json";

/// The parsed table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// A note for readers of the JSON file (ignored).
    #[serde(rename = "//", default)]
    pub note: Option<String>,
    /// Shapes to treat as unions, by `serviceId`, then shape name.
    pub unions: BTreeMap<String, BTreeMap<String, UnionEntry>>,
    /// Error shapes to add, by `serviceId`, then shape name.
    #[serde(default)]
    pub errors: BTreeMap<String, BTreeMap<String, ErrorEntry>>,
}

/// One error shape added to some operations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorEntry {
    /// The official crate's type this matches (`aws_sdk_s3::types::error::NotFound`).
    pub official: String,
    /// The HTTP status the service answers with it.
    pub status: u16,
    /// Its documentation (HTML, as botocore's), copied from the official model.
    pub documentation: String,
    /// The operations that can fail with it.
    pub operations: Vec<String>,
}

/// One shape made a union.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnionEntry {
    /// The official crate's type this matches (`aws_sdk_dynamodb::types::AttributeValue`).
    pub official: String,
}

/// Parses a table (`text` is the JSON, `path` names it in errors).
pub fn parse(text: &str, path: &Path) -> Result<Table> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| CodegenError::InvalidModel {
        path: path.to_path_buf(),
        json_path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// The service key of the table for `model`: its `serviceId`, else its endpoint prefix.
fn service_key(model: &model::Model) -> &str {
    model
        .metadata
        .service_id
        .as_deref()
        .unwrap_or(&model.metadata.endpoint_prefix)
}

/// Adds the checked-in table's error shapes for the model's service to the model, and each
/// to the errors of its operations. Operations the model does not have are skipped (older
/// versions of a model, excerpts); a shape of the same name that is not an exception is an
/// error naming the table and the entry.
pub fn add_errors(model: &mut model::Model) -> Result<()> {
    let table = parse(TABLE, Path::new(TABLE_PATH))?;
    add_errors_with(model, &table)
}

/// [`add_errors`] with a given table.
pub fn add_errors_with(model: &mut model::Model, table: &Table) -> Result<()> {
    let service = service_key(model).to_string();
    let Some(entries) = table.errors.get(&service) else {
        return Ok(());
    };
    for (name, entry) in entries {
        let invalid = |message: String| CodegenError::InvalidModel {
            path: TABLE_PATH.into(),
            json_path: format!("errors.{service}.{name}"),
            message,
        };
        match model.shapes.get(name) {
            Some(shape) if shape.kind == "structure" && shape.exception => {}
            Some(shape) => {
                return Err(invalid(format!(
                    "`{name}` is a {} in the {service} model that is not an exception",
                    shape.kind
                )));
            }
            None => {
                let shape = serde_json::json!({
                    "type": "structure",
                    "members": {},
                    "documentation": entry.documentation,
                    "error": {"httpStatusCode": entry.status},
                    "exception": true
                });
                let shape = serde_json::from_value(shape).map_err(|e| invalid(e.to_string()))?;
                model.shapes.insert(name.clone(), shape);
            }
        }
        for op in &entry.operations {
            let Some(operation) = model.operations.get_mut(op) else {
                continue;
            };
            if !operation.errors.iter().any(|e| &e.shape == name) {
                let error_ref = serde_json::from_value(serde_json::json!({ "shape": name }))
                    .map_err(|e| invalid(e.to_string()))?;
                operation.errors.push(error_ref);
            }
        }
    }
    Ok(())
}

/// The shapes of `model` that are unions: those the model marks (`"union": true`, event
/// streams aside: they stay structures) and those the checked-in table lists for the model's
/// service.
pub fn union_shapes(model: &model::Model) -> Result<BTreeSet<String>> {
    let table = parse(TABLE, Path::new(TABLE_PATH))?;
    union_shapes_with(model, &table)
}

/// [`union_shapes`] with a given table.
pub fn union_shapes_with(model: &model::Model, table: &Table) -> Result<BTreeSet<String>> {
    let mut unions: BTreeSet<String> = model
        .shapes
        .iter()
        .filter(|(_, s)| s.union && !s.eventstream)
        .map(|(name, _)| name.clone())
        .collect();
    let service = service_key(model);
    if let Some(entries) = table.unions.get(service) {
        for name in entries.keys() {
            let at = format!("unions.{service}.{name}");
            match model.shapes.get(name) {
                Some(shape)
                    if shape.kind == "structure" && !shape.document && !shape.eventstream =>
                {
                    unions.insert(name.clone());
                }
                Some(shape) => {
                    return Err(CodegenError::InvalidModel {
                        path: TABLE_PATH.into(),
                        json_path: at,
                        message: format!(
                            "`{name}` is a {} in the {service} model, not a structure: only a structure can be made a union",
                            shape.kind
                        ),
                    });
                }
                // Another version of the model, or an excerpt of it: nothing to mark.
                None => {}
            }
        }
    }
    Ok(unions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: serde_json::Value) -> model::Model {
        serde_json::from_value(json).expect("a model")
    }

    fn sample() -> model::Model {
        model(serde_json::json!({
            "metadata": {"apiVersion": "1", "endpointPrefix": "svc", "protocol": "json",
                         "serviceId": "Svc"},
            "operations": {},
            "shapes": {
                "Marked": {"type": "structure", "union": true, "members": {}},
                "Plain": {"type": "structure", "members": {}},
                "Stream": {"type": "structure", "union": true, "eventstream": true, "members": {}},
                "Text": {"type": "string"}
            }
        }))
    }

    #[test]
    fn the_checked_in_table_parses() {
        let table = parse(TABLE, Path::new(TABLE_PATH)).expect("models/overrides.json parses");
        assert!(
            table.unions["DynamoDB"].contains_key("AttributeValue"),
            "DynamoDB's AttributeValue is a union in aws-sdk-dynamodb"
        );
        for (service, entries) in &table.unions {
            for (name, entry) in entries {
                assert!(
                    entry.official.starts_with("aws_sdk_")
                        && entry.official.ends_with(name.as_str()),
                    "{service}.{name}: {}",
                    entry.official
                );
            }
        }
    }

    /// Every entry for a service whose model is checked in names a structure of that model
    /// (the others were checked against botocore 1.44.8 when written: see `overrides.md`).
    #[test]
    fn entries_name_structures_of_the_checked_in_models() {
        let table = parse(TABLE, Path::new(TABLE_PATH)).unwrap();
        let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
        let mut checked = 0;
        for dir in std::fs::read_dir(&models).unwrap() {
            let file = dir.unwrap().path().join("service-2.json");
            if !file.exists() {
                continue;
            }
            let model = crate::load_model(&file).unwrap();
            let Some(service) = model.metadata.service_id.clone() else {
                continue;
            };
            let Some(entries) = table.unions.get(&service) else {
                continue;
            };
            let unions = union_shapes_with(&model, &table).unwrap();
            for name in entries.keys() {
                assert!(
                    unions.contains(name),
                    "{service}: {name} is not in the model"
                );
                checked += 1;
            }
        }
        assert!(checked >= 1, "DynamoDB's model is checked in");
    }

    #[test]
    fn marked_shapes_and_table_entries_are_unions() {
        let table = parse(
            r#"{"unions": {"Svc": {"Plain": {"official": "aws_sdk_svc::types::Plain"}}}}"#,
            Path::new("t.json"),
        )
        .unwrap();
        let unions = union_shapes_with(&sample(), &table).unwrap();
        assert_eq!(unions.into_iter().collect::<Vec<_>>(), ["Marked", "Plain"]);
        // Another service's entries do not apply.
        let other = parse(
            r#"{"unions": {"Other": {"Plain": {"official": "aws_sdk_other::types::Plain"}}}}"#,
            Path::new("t.json"),
        )
        .unwrap();
        let unions = union_shapes_with(&sample(), &other).unwrap();
        assert_eq!(unions.into_iter().collect::<Vec<_>>(), ["Marked"]);
    }

    #[test]
    fn bad_entries_name_the_table_and_the_entry() {
        let missing = parse(
            r#"{"unions": {"Svc": {"Nope": {"official": "aws_sdk_svc::types::Nope"}}}}"#,
            Path::new("t.json"),
        )
        .unwrap();
        // A shape this version of the model does not have is skipped.
        let unions = union_shapes_with(&sample(), &missing).unwrap();
        assert_eq!(unions.into_iter().collect::<Vec<_>>(), ["Marked"]);
        let not_structure = parse(
            r#"{"unions": {"Svc": {"Text": {"official": "aws_sdk_svc::types::Text"}}}}"#,
            Path::new("t.json"),
        )
        .unwrap();
        let err = union_shapes_with(&sample(), &not_structure)
            .unwrap_err()
            .to_string();
        assert!(err.contains("models/overrides.json"), "{err}");
        assert!(err.contains("unions.Svc.Text"), "{err}");
        assert!(err.contains("is a string"), "{err}");
        let unknown_field = parse(r#"{"unions": {}, "extra": 1}"#, Path::new("t.json"))
            .unwrap_err()
            .to_string();
        assert!(unknown_field.contains("extra"), "{unknown_field}");
    }

    #[test]
    fn error_entries_add_the_shape_and_the_operation_errors() {
        let mut model = model(serde_json::json!({
            "metadata": {"apiVersion": "1", "endpointPrefix": "svc", "protocol": "rest-xml",
                         "serviceId": "Svc"},
            "operations": {
                "Head": {"name": "Head", "http": {"method": "HEAD", "requestUri": "/"},
                         "errors": [{"shape": "Other"}]}
            },
            "shapes": {
                "Other": {"type": "structure", "members": {}, "exception": true},
                "Text": {"type": "string"}
            }
        }));
        let table = parse(
            r#"{"unions": {}, "errors": {"Svc": {"Gone": {"official": "aws_sdk_svc::types::error::Gone",
                "status": 404, "documentation": "<p>Gone.</p>", "operations": ["Head", "Absent"]}}}}"#,
            Path::new("t.json"),
        )
        .unwrap();
        add_errors_with(&mut model, &table).unwrap();
        let gone = &model.shapes["Gone"];
        assert!(gone.exception && gone.kind == "structure");
        assert_eq!(gone.documentation.as_deref(), Some("<p>Gone.</p>"));
        let errors: Vec<_> = model.operations["Head"]
            .errors
            .iter()
            .map(|e| e.shape.as_str())
            .collect();
        assert_eq!(errors, ["Other", "Gone"]);
        // Applying it twice adds nothing more.
        add_errors_with(&mut model, &table).unwrap();
        assert_eq!(model.operations["Head"].errors.len(), 2);

        let clash = parse(
            r#"{"unions": {}, "errors": {"Svc": {"Text": {"official": "aws_sdk_svc::types::error::Text",
                "status": 404, "documentation": "", "operations": []}}}}"#,
            Path::new("t.json"),
        )
        .unwrap();
        let err = add_errors_with(&mut model, &clash).unwrap_err().to_string();
        assert!(
            err.contains("models/overrides.json") && err.contains("errors.Svc.Text"),
            "{err}"
        );
        assert!(err.contains("not an exception"), "{err}");
    }

    #[test]
    fn s3_head_operations_fail_with_not_found() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/s3/service-2.json");
        let model = crate::load_model(&path).unwrap();
        for op in ["HeadObject", "HeadBucket"] {
            assert!(
                model.operations[op]
                    .errors
                    .iter()
                    .any(|e| e.shape == "NotFound"),
                "{op}"
            );
        }
        assert_eq!(
            model.shapes["NotFound"]
                .error
                .as_ref()
                .and_then(|e| e.http_status_code),
            Some(404)
        );
    }
}
