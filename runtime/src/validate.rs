//! Client-side checks of the model's `min` constraints, run before a request is sent.
//!
//! Like botocore's parameter validation, the generated code checks the least length of
//! strings, blobs, lists and maps and the least value of numbers, at any depth of an
//! operation's input. Maximum lengths, ranges' upper bounds and patterns are left to the
//! service, as in the official SDKs: services relax them without a model change, and a client
//! must not refuse what its service accepts. Enum values are never checked, so values newer
//! than the model pass.
//!
//! A failed check is a [`BuildError`] naming the operation, the member's path in the input
//! (`tags[1].key`) and the constraint. It shows the value's length, never the value itself.

use crate::error::BuildError;
use std::fmt;

/// Where a value sits in an operation's input. Paths are built on the stack as the checks
/// descend and rendered only when a check fails.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Segment<'a> {
    Operation(&'static str),
    Member(&'static str),
    Index(usize),
    Key(&'a str),
}

/// Map keys longer than this are shortened in messages.
const KEY_CHARS: usize = 64;

impl Path<'static> {
    /// The input of the named operation.
    pub const fn operation(name: &'static str) -> Self {
        Path {
            parent: None,
            segment: Segment::Operation(name),
        }
    }
}

impl<'a> Path<'a> {
    fn child(&'a self, segment: Segment<'a>) -> Path<'a> {
        Path {
            parent: Some(self),
            segment,
        }
    }

    /// A member of the structure here, by its name on the wire.
    pub fn member(&'a self, name: &'static str) -> Path<'a> {
        self.child(Segment::Member(name))
    }

    /// An element of the list here.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        self.child(Segment::Index(index))
    }

    /// The value under a key of the map here (also where the key itself is checked).
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        self.child(Segment::Key(key))
    }

    fn segments(&self) -> Vec<Segment<'a>> {
        let mut out = vec![self.segment];
        let mut next = self.parent;
        while let Some(path) = next {
            out.push(path.segment);
            next = path.parent;
        }
        out.reverse();
        out
    }

    fn operation_name(&self) -> &'static str {
        match self.segments().first() {
            Some(Segment::Operation(name)) => name,
            _ => "the operation",
        }
    }

    /// The top-level input member the path goes through (`BuildError` wants a static name).
    fn top_member(&self) -> &'static str {
        self.segments()
            .into_iter()
            .find_map(|s| match s {
                Segment::Member(name) => Some(name),
                _ => None,
            })
            .unwrap_or("input")
    }
}

impl fmt::Display for Path<'_> {
    /// `tags[1].key`, `attributes["name"]`: the members and positions below the operation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for segment in self.segments() {
            match segment {
                Segment::Operation(_) => continue,
                Segment::Member(name) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(key) => {
                    let short: String = key.chars().take(KEY_CHARS).collect();
                    let more = if short.len() < key.len() { "…" } else { "" };
                    write!(f, "[{short:?}{more}]")?;
                }
            }
            first = false;
        }
        if first {
            f.write_str("input")?;
        }
        Ok(())
    }
}

fn violation(at: &Path<'_>, what: fmt::Arguments<'_>) -> BuildError {
    BuildError::invalid_field(
        at.top_member(),
        format!(
            "{}: `{at}` {what}. No request was sent",
            at.operation_name()
        ),
    )
}

/// Checks a length (characters of a string, bytes of a blob, elements of a list or map).
pub fn min_length(at: &Path<'_>, length: usize, min: u64) -> Result<(), BuildError> {
    if length as u64 >= min {
        Ok(())
    } else {
        Err(violation(
            at,
            format_args!("has length {length}, below the model's minimum length {min}"),
        ))
    }
}

/// Checks the value of an `integer` or `long`.
pub fn min_integer(at: &Path<'_>, value: i64, min: i64) -> Result<(), BuildError> {
    if value >= min {
        Ok(())
    } else {
        Err(violation(
            at,
            format_args!("is {value}, below the model's minimum {min}"),
        ))
    }
}

/// Checks the value of a `float` or `double` (NaN passes, as in botocore).
pub fn min_float(at: &Path<'_>, value: f64, min: f64) -> Result<(), BuildError> {
    if value < min {
        Err(violation(
            at,
            format_args!("is {value}, below the model's minimum {min}"),
        ))
    } else {
        Ok(())
    }
}

/// Refuses an unset required member of a nested structure, which the official crates type as
/// an `Option` (a member targeting a structure or union, or `@clientOptional`): botocore
/// refuses it before sending too.
pub fn missing_member(at: &Path<'_>) -> BuildError {
    violation(at, format_args!("is required by the model but not set"))
}

/// Refuses a union holding its `Unknown` variant (a member newer than the model, as read from
/// a response): it has no wire form, so it cannot be sent. `union` is the union's shape name.
pub fn unknown_union_member(at: &Path<'_>, union: &str) -> BuildError {
    violation(
        at,
        format_args!(
            "is the `Unknown` variant of the union `{union}`, which cannot be sent: set one of its members"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_nested_member_names_operation_and_path() {
        let root = Path::operation("CreateTable");
        let indexes = root.member("GlobalSecondaryIndexes");
        let first = indexes.index(0);
        let projection = first.member("Projection");
        let err = missing_member(&projection).to_string();
        assert!(
            err.contains("CreateTable: `GlobalSecondaryIndexes[0].Projection` is required by the model but not set. No request was sent"),
            "{err}"
        );
    }

    #[test]
    fn paths_render_members_indexes_and_keys() {
        let root = Path::operation("CreateConnection");
        let tags = root.member("tags");
        let second = tags.index(1);
        let key = second.member("key");
        assert_eq!(key.to_string(), "tags[1].key");
        let attrs = root.member("attributes");
        let value = attrs.key("na\"me");
        assert_eq!(value.to_string(), r#"attributes["na\"me"]"#);
        assert_eq!(root.to_string(), "input");
        let long = "k".repeat(100);
        let shortened = attrs.key(&long).to_string();
        assert!(shortened.ends_with("…]"), "{shortened}");
        assert_eq!(shortened.matches('k').count(), KEY_CHARS);
    }

    #[test]
    fn unknown_union_members_name_the_union_and_the_path() {
        let root = Path::operation("PutItem");
        let item = root.member("Item");
        let at = item.key("pk");
        let err = unknown_union_member(&at, "AttributeValue").to_string();
        assert!(err.contains("PutItem"), "{err}");
        assert!(err.contains(r#"`Item["pk"]`"#), "{err}");
        assert!(
            err.contains("`Unknown` variant of the union `AttributeValue`"),
            "{err}"
        );
        assert!(err.contains("No request was sent"), "{err}");
    }

    #[test]
    fn checks_pass_at_the_minimum_and_fail_below_it() {
        let root = Path::operation("TagResource");
        let tags = root.member("tags");
        let first = tags.index(0);
        let at = first.member("key");
        assert!(min_length(&at, 1, 1).is_ok());
        let err = min_length(&at, 0, 1).unwrap_err().to_string();
        assert!(err.contains("TagResource"), "{err}");
        assert!(err.contains("`tags[0].key` has length 0"), "{err}");
        assert!(err.contains("minimum length 1"), "{err}");
        assert!(err.contains("tags"), "{err}");

        let size = root.member("size");
        assert!(min_integer(&size, 0, 0).is_ok());
        assert!(
            min_integer(&size, -1, 0)
                .unwrap_err()
                .to_string()
                .contains("`size` is -1, below the model's minimum 0")
        );
        assert!(min_float(&size, 0.5, 0.5).is_ok());
        assert!(min_float(&size, 0.25, 0.5).is_err());
        assert!(min_float(&size, f64::NAN, 0.5).is_ok());
    }
}
