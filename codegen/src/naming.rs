//! The one place where model names become Rust identifiers.
//!
//! Every identifier in generated code comes from here: heck casing, then the keyword table
//! (`r#type`; `self`, `Self`, `crate`, `super` and friends get a `_value` suffix, since they
//! cannot be raw identifiers), and a prefix when the name would start with a digit.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024 that can be used as raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a suffix instead.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "crate", "super", "_"];

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
/// (`type` becomes `r#type`, `self` becomes `self_value`).
pub fn escape_keyword(name: String) -> String {
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_value")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// `snake_case` name for a member, field, method or module.
pub fn snake(name: &str) -> String {
    let cased = sanitize(name).to_snake_case();
    let cased = if cased.is_empty() {
        "value".to_string()
    } else {
        cased
    };
    escape_keyword(fix_start(cased, "n"))
}

/// `UpperCamelCase` name for a type or enum variant.
pub fn camel(name: &str) -> String {
    let cased = sanitize(name).to_upper_camel_case();
    let cased = match cased.as_str() {
        "" => "Value".to_string(),
        "Self" => "SelfValue".to_string(),
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
            ("self", "self_value"),
            ("Self", "self_value"),
            ("crate", "crate_value"),
            ("super", "super_value"),
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
            ("1Gbps", "N1gbps"),
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
        for kw in RAW_KEYWORDS.iter().chain(NON_RAW_KEYWORDS) {
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
