//! Which members are plain fields (`T`) and which are `Option<T>`, as the official crates
//! decide it.
//!
//! smithy-rs generates the AWS SDK with Smithy's `NullableIndex` in `CLIENT_CAREFUL` mode. A
//! member of an operation input is always optional (the input trait); a member of any other
//! structure is optional when it targets a structure or a union (whatever its traits: such a
//! member can never gain a default), or is `@clientOptional`; otherwise it is a plain field
//! when it has a `@default` or is `@required`, and optional when it has neither
//! ([`Service::is_non_null`](super::Service::is_non_null)).
//!
//! botocore's JSON says `required`, but neither `@default` nor `@clientOptional`. Those come
//! from the official crates themselves: `cargo xtask official-names` reads them from the
//! pinned `aws-sdk-*` crates it compares (a non-`Option` field that `build()` fills with
//! `unwrap_or_default()` or `unwrap_or(v)` has a default; a required member that is an
//! `Option` is client-optional) and writes `models/official-nullability.tsv`, one member a
//! line: service id, structure, member, rule. The table is compiled in (`include_str!`); its
//! entries apply to the models of those ten services whatever their version, and a structure
//! or member the model does not have is skipped (excerpts, other versions). Other services
//! keep botocore's `required` alone.

use super::{Member, Primitive, Shape, ShapeKind};
use crate::error::{CodegenError, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The table's text, as checked in.
pub const TABLE: &str = include_str!("../../../models/official-nullability.tsv");

/// Where the table lives, for error messages.
pub const TABLE_PATH: &str = "models/official-nullability.tsv";

/// The value a member with a Smithy `@default` takes when it is not set (on the wire or in
/// a builder).
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// The type's zero value (`0`, `false`, `""`, empty list or map): its `Default`.
    Zero,
    /// A boolean other than the zero value.
    Bool(bool),
    /// An integer other than the zero value.
    Int(i64),
    /// A floating-point number other than the zero value.
    Float(f64),
}

/// What the table says of one member.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A `@default`: a plain field, this value when unset.
    Default(DefaultValue),
    /// `@clientOptional`: an `Option` though required.
    Optional,
}

/// The rules of one service, by (structure, member); an error names the line at fault.
pub fn rules(service_id: &str) -> Result<BTreeMap<(String, String), Rule>> {
    parse(TABLE, service_id)
}

fn parse(text: &str, service_id: &str) -> Result<BTreeMap<(String, String), Rule>> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| CodegenError::InvalidModel {
            path: PathBuf::from(TABLE_PATH),
            json_path: format!("line {}", i + 1),
            message,
        };
        let fields: Vec<&str> = line.split('\t').collect();
        let [service, structure, member, rule] = fields[..] else {
            return Err(bad(format!(
                "expected 4 tab-separated fields (service id, structure, member, rule), found {}",
                fields.len()
            )));
        };
        if service != service_id {
            continue;
        }
        let rule = match rule {
            "optional" => Rule::Optional,
            "default" => Rule::Default(DefaultValue::Zero),
            other => {
                let Some(value) = other.strip_prefix("default=") else {
                    return Err(bad(format!(
                        "unknown rule `{other}`: expected `optional`, `default` or `default=<value>`"
                    )));
                };
                Rule::Default(parse_value(value).ok_or_else(|| {
                    bad(format!(
                        "default value `{value}` is not a boolean or a number"
                    ))
                })?)
            }
        };
        out.insert((structure.to_string(), member.to_string()), rule);
    }
    Ok(out)
}

fn parse_value(value: &str) -> Option<DefaultValue> {
    match value {
        "true" => return Some(DefaultValue::Bool(true)),
        "false" => return Some(DefaultValue::Bool(false)),
        _ => {}
    }
    if let Ok(n) = value.parse::<i64>() {
        return Some(DefaultValue::Int(n));
    }
    value
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(DefaultValue::Float)
}

/// Whether a default value fits the member's target (`Zero` fits every shape with a zero
/// value the generated type can give: not enums, timestamps, structures or documents).
fn fits(value: &DefaultValue, target: &ShapeKind) -> bool {
    use Primitive as P;
    match (value, target) {
        (DefaultValue::Zero, ShapeKind::Primitive(p)) => !matches!(p, P::Timestamp | P::Document),
        (DefaultValue::Zero, ShapeKind::List(_) | ShapeKind::Map(..)) => true,
        (DefaultValue::Bool(_), ShapeKind::Primitive(P::Boolean)) => true,
        (DefaultValue::Int(_), ShapeKind::Primitive(P::Integer | P::Long)) => true,
        (DefaultValue::Float(_), ShapeKind::Primitive(P::Float | P::Double)) => true,
        _ => false,
    }
}

/// Applies the table's rules of `service_id` to the resolved shapes: a rule naming a
/// structure or member the model does not have is skipped; a default that does not fit the
/// member's type is an error naming the table and the member.
pub fn apply(shapes: &mut BTreeMap<String, Shape>, service_id: &str) -> Result<()> {
    let rules = rules(service_id)?;
    // Targets first (the members are changed below).
    let mut checks: Vec<(String, String, Rule, bool)> = Vec::new();
    for ((structure, member), rule) in &rules {
        let Some(shape) = shapes.get(structure) else {
            continue;
        };
        let ShapeKind::Structure(s) = &shape.kind else {
            continue;
        };
        let Some(m) = s.members.iter().find(|m| &m.wire_name == member) else {
            continue;
        };
        let fits = match rule {
            Rule::Default(value) => shapes.get(&m.target).is_some_and(|t| fits(value, &t.kind)),
            Rule::Optional => true,
        };
        checks.push((structure.clone(), member.clone(), rule.clone(), fits));
    }
    for (structure, member, rule, fits) in checks {
        if !fits {
            return Err(CodegenError::InvalidModel {
                path: PathBuf::from(TABLE_PATH),
                json_path: format!("{service_id}.{structure}.{member}"),
                message: format!(
                    "the default {rule:?} does not fit the type of member `{member}` of `{structure}`"
                ),
            });
        }
        let Some(ShapeKind::Structure(s)) = shapes.get_mut(&structure).map(|s| &mut s.kind) else {
            continue;
        };
        let Some(m) = s.members.iter_mut().find(|m| m.wire_name == member) else {
            continue;
        };
        apply_rule(m, rule);
    }
    Ok(())
}

fn apply_rule(m: &mut Member, rule: Rule) {
    match rule {
        Rule::Default(value) => m.default = Some(value),
        Rule::Optional => m.client_optional = true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_of_one_service() {
        let text = "# comment\nDynamoDB\tScanOutput\tCount\tdefault\nDynamoDB\tEvent\tEventId\tdefault=1\nS3\tX\tY\toptional\nDynamoDB\tT\tName\toptional\n";
        let rules = parse(text, "DynamoDB").unwrap();
        assert_eq!(rules.len(), 3);
        assert_eq!(
            rules[&("ScanOutput".into(), "Count".into())],
            Rule::Default(DefaultValue::Zero)
        );
        assert_eq!(
            rules[&("Event".into(), "EventId".into())],
            Rule::Default(DefaultValue::Int(1))
        );
        assert_eq!(rules[&("T".into(), "Name".into())], Rule::Optional);
    }

    #[test]
    fn bad_lines_are_errors_naming_the_line() {
        let err = parse("A\tB\tC\n", "A").unwrap_err().to_string();
        assert!(
            err.contains("line 1") && err.contains("4 tab-separated"),
            "{err}"
        );
        let err = parse("#\nA\tB\tC\tsometimes\n", "A")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("unknown rule"),
            "{err}"
        );
        let err = parse("A\tB\tC\tdefault=abc\n", "A")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a boolean or a number"), "{err}");
    }

    #[test]
    fn the_checked_in_table_parses_for_every_service() {
        for id in [
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
        ] {
            rules(id).unwrap();
        }
        assert!(rules("DynamoDB").unwrap().len() > 5);
    }
}
