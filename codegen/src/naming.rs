//! The one place where model names become Rust identifiers.
//!
//! Every identifier in generated code comes from here: the casing rules of the official SDK's
//! generator (smithy-rs), then the keyword table (`r#type`; `self`, `crate`, `super` get a `_`
//! suffix and `Self` becomes `SelfValue`, since they cannot be raw identifiers, as smithy-rs
//! does), and a prefix when the name would start with a digit.
//!
//! - [`snake`] is smithy-rs's `toSnakeCase` (`codegen-core/.../util/Strings.kt`): its own split
//!   into words, which keeps `IPv6`, `SigV4`, `MiB`, `TtL` whole, ends an acronym before a
//!   capitalised word (`DB|Proxy`, `IAM|User`) but not before a plural `s` (`ARNs`, `ACLs`) or a
//!   version (`DynamoDBv2`), and splits digits from lower-case letters only in all-lower-case
//!   names (`s3|key`). Checked against smithy-rs's own table of 62,988 AWS names
//!   (`codegen/tests/data/smithy-rs-snake-case.txt`).
//! - [`camel`] is smithy-rs's `toPascalCase`: Smithy's `CaseUtils.toSnakeCase` (two regular
//!   expressions: `([A-Z]+)([A-Z][a-z])` and `([a-z\d])([A-Z])` get a `_` between their
//!   groups) followed by `CaseUtils.toPascalCase` (lower-case everything, capitalise the first
//!   letter and every letter after `_`, `-` or a space, drop those).

/// Strict and reserved keywords of Rust 2024 that can be used as raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers, and what they become (smithy-rs's
/// `keywordEscapingMap`, plus `_`).
const NON_RAW_KEYWORDS: &[(&str, &str)] = &[
    ("self", "self_"),
    ("Self", "SelfValue"),
    ("crate", "crate_"),
    ("super", "super_"),
    ("_", "value"),
];

/// Words smithy-rs keeps whole although they are cased oddly (`IPv4`, `MiB`, `TtL`).
const COMPLETE_WORDS: &[&str] = &["ipv4", "ipv6", "sigv4", "mib", "gib", "kib", "ttl"];

/// Replaces every character that cannot appear in an identifier by `_`.
fn sanitize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.chars().all(|c| c == '_') {
        out = "value".to_string();
    }
    out
}

fn fix_start(name: String, prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else {
        name
    }
}

/// Escapes a cased name so it is a valid Rust identifier in source form
/// (`type` becomes `r#type`, `self` becomes `self_`).
pub fn escape_keyword(name: String) -> String {
    if let Some((_, escaped)) = NON_RAW_KEYWORDS.iter().find(|(kw, _)| *kw == name) {
        (*escaped).to_string()
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// smithy-rs's split of a name into lower-case words (see the module docs).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let all_lower_case = name.to_lowercase() == name;
    let mut out = Vec::new();
    let mut current = String::new();
    // Whether `current` may still grow into one of the complete words.
    let mut complete_word_in_progress = true;
    for (index, &next) in chars.iter().enumerate() {
        if !next.is_alphanumeric() {
            complete_word_in_progress = true;
            if !current.is_empty() {
                out.push(std::mem::take(&mut current).to_lowercase());
            }
            continue;
        }
        if current.is_empty() {
            current.push(next);
            continue;
        }
        let rest: String = chars[index..].iter().collect();
        let candidate = format!("{current}{rest}").to_lowercase();
        let lower_current = current.to_lowercase();
        let in_complete_word = complete_word_in_progress
            && COMPLETE_WORDS.iter().any(|word| {
                word.starts_with(&lower_current)
                    && candidate.starts_with(word)
                    && *word != lower_current
            });
        complete_word_in_progress = in_complete_word;
        let last = current.chars().last().unwrap_or(' ');
        let lowered_followed_by_upper =
            next.is_uppercase() && (last.is_lowercase() || last.is_numeric());
        let digit_followed_by_lower = last.is_numeric() && next.is_lowercase();
        let boundary = (!in_complete_word && lowered_followed_by_upper)
            || (!in_complete_word && all_lower_case && digit_followed_by_lower)
            || end_of_acronym(last, next, chars.get(index + 1), chars.get(index + 2));
        if boundary {
            complete_word_in_progress = true;
            out.push(std::mem::take(&mut current).to_lowercase());
        }
        current.push(next);
    }
    if !current.is_empty() {
        out.push(current.to_lowercase());
    }
    out
}

/// An acronym ends before a capitalised word: `DB|Proxy`, `IAM|User`, but not `ARNs`, `ACLs`
/// (a plural) or `DynamoDBv2` (a version).
fn end_of_acronym(last: char, next: char, peek: Option<&char>, double_peek: Option<&char>) -> bool {
    if !last.is_uppercase() || !next.is_uppercase() {
        return false;
    }
    let Some(&peek) = peek.filter(|c| c.is_lowercase()) else {
        return false;
    };
    if peek == 's' && !double_peek.is_some_and(|c| c.is_lowercase()) {
        return false;
    }
    !(peek == 'v' && double_peek.is_some_and(|c| c.is_ascii_digit()))
}

/// Smithy's `CaseUtils.toSnakeCase` (the first step of smithy-rs's `toPascalCase`): `_` between
/// the groups of `([A-Z]+)([A-Z][a-z])`, then of `([a-z\d])([A-Z])`, spaces and `-` become `_`,
/// all lower case.
fn smithy_snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    // ([A-Z]+)([A-Z][a-z]): a run of two or more capitals followed by a lower-case letter.
    let mut first = Vec::with_capacity(chars.len() + 4);
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_uppercase() {
            first.push(chars[i]);
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&j| !chars[j].is_ascii_uppercase())
            .unwrap_or(chars.len());
        first.extend_from_slice(&chars[i..end]);
        if end - i >= 2 && chars.get(end).is_some_and(|c| c.is_ascii_lowercase()) {
            let last_capital = first.pop().unwrap_or_default();
            first.extend(['_', last_capital, chars[end]]);
            i = end + 1;
        } else {
            i = end;
        }
    }
    // ([a-z\d])([A-Z]), matches not overlapping.
    let mut second = String::with_capacity(first.len() + 4);
    let mut i = 0;
    while i < first.len() {
        let c = first[i];
        second.push(if c.is_whitespace() || c == '-' {
            '_'
        } else {
            c
        });
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && first.get(i + 1).is_some_and(|n| n.is_ascii_uppercase())
        {
            second.push('_');
            second.push(first[i + 1]);
            i += 2;
        } else {
            i += 1;
        }
    }
    second.to_lowercase()
}

/// Smithy's `CaseUtils.toPascalCase`: lower case, the first letter and every letter after a
/// `_`, `-` or space upper case, those delimiters dropped.
fn smithy_pascal(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut capitalize_next = true;
    for c in snake.to_lowercase().chars() {
        if matches!(c, '_' | '-' | ' ') {
            capitalize_next = !out.is_empty();
        } else if capitalize_next || out.is_empty() {
            out.extend(c.to_uppercase());
            capitalize_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `snake_case` name for a member, field, method or module.
pub fn snake(name: &str) -> String {
    let cased = words(&sanitize(name)).join("_");
    let cased = if cased.is_empty() {
        "value".to_string()
    } else {
        cased
    };
    escape_keyword(fix_start(cased, "n"))
}

/// `UpperCamelCase` name for a type or enum variant.
pub fn camel(name: &str) -> String {
    let cased = smithy_pascal(&smithy_snake(&sanitize(name)));
    let cased = match cased.as_str() {
        "" => "Value".to_string(),
        _ => cased,
    };
    escape_keyword(fix_start(cased, "N"))
}

/// The name without a `r#` prefix, for building derived names (`set_type`, `get_type`).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Turns a source-form identifier (possibly `r#type`) into a `proc_macro2::Ident`.
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_table() {
        let table = [
            ("virtualInterfaceId", "virtual_interface_id"),
            ("type", "r#type"),
            ("Type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("async", "r#async"),
            ("await", "r#await"),
            ("gen", "r#gen"),
            ("1stValue", "n1st_value"),
            ("a-b.c", "a_b_c"),
            ("", "value"),
            ("--", "value"),
            ("ASN", "asn"),
            ("awsDeviceV2", "aws_device_v2"),
        ];
        for (input, expected) in table {
            assert_eq!(snake(input), expected, "snake({input:?})");
        }
    }

    #[test]
    fn camel_case_table() {
        let table = [
            ("confirming", "Confirming"),
            ("VirtualInterface", "VirtualInterface"),
            ("VLAN", "Vlan"),
            ("1Gbps", "N1Gbps"),
            ("us-east-1", "UsEast1"),
            ("Self", "SelfValue"),
            ("self", "SelfValue"),
            ("", "Value"),
            ("ipv4", "Ipv4"),
        ];
        for (input, expected) in table {
            assert_eq!(camel(input), expected, "camel({input:?})");
        }
    }

    #[test]
    fn every_keyword_becomes_a_valid_identifier() {
        for kw in RAW_KEYWORDS
            .iter()
            .chain(NON_RAW_KEYWORDS.iter().map(|(kw, _)| kw))
        {
            let name = snake(kw);
            let ident = ident(&name);
            let parsed: Result<syn::Ident, _> = syn::parse2(quote::quote!(#ident));
            assert!(parsed.is_ok(), "{kw} -> {name} does not parse");
        }
    }

    #[test]
    fn unraw_strips_prefix() {
        assert_eq!(unraw("r#type"), "type");
        assert_eq!(unraw("name"), "name");
    }
}
