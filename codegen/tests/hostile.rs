//! Malformed and adversarial models (`codegen/tests/hostile/`). Each one either fails with an
//! error naming the file and the JSON path at fault, leaving a previously generated output
//! folder byte-for-byte untouched, or generates code that parses, has no control characters,
//! and contains exactly the items a harmless version of the same model gives: documentation
//! can never leave its doc comment. Nothing may panic (each case runs under `catch_unwind`).

#[path = "support/common.rs"]
mod common;

use codegen::{CodegenError, Options};
use proc_macro2::{TokenStream, TokenTree};
use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// What a hostile model must do.
enum Expect {
    /// Fail; the message names the file and contains each of these (JSON path, names).
    Error(&'static [&'static str]),
    /// Generate valid code.
    Generates,
}

use Expect::{Error, Generates};

const CASES: &[(&str, Expect)] = &[
    // Not a botocore model at all.
    ("invalid_json.json", Error(&["EOF while parsing"])),
    ("empty_file.json", Error(&["EOF while parsing"])),
    (
        "not_an_object.json",
        Error(&["`[0]`", "expected struct Metadata"]),
    ),
    (
        "missing_metadata.json",
        Error(&["missing field `metadata`"]),
    ),
    (
        "wrong_type_endpoint_prefix.json",
        Error(&["`metadata.endpointPrefix`"]),
    ),
    (
        "shapes_not_an_object.json",
        Error(&["`shapes`", "invalid type: sequence"]),
    ),
    (
        "member_not_an_object.json",
        Error(&["`shapes.In.members.a`"]),
    ),
    (
        "documentation_not_a_string.json",
        Error(&["`operations.Op.documentation`"]),
    ),
    // 100,000 nested arrays in an ignored field: skipped without recursion, then the real
    // problem is reported.
    (
        "deep_json_nesting.json",
        Error(&["`metadata`", "missing field `apiVersion`"]),
    ),
    (
        "non_utf8_docs.json",
        Error(&["`operations.Op.documentation`", "invalid unicode"]),
    ),
    (
        "raw_control_char.json",
        Error(&["`operations.Op.documentation`", "control character"]),
    ),
    // Well-formed JSON, inconsistent model.
    (
        "missing_member_shape.json",
        Error(&["`shapes.In.members.a.shape`", "Nope"]),
    ),
    (
        "missing_input_shape.json",
        Error(&["`operations.Op.input.shape`", "Nope"]),
    ),
    (
        "missing_error_shape.json",
        Error(&["`operations.Op.errors[0].shape`", "Nope"]),
    ),
    (
        "unknown_type.json",
        Error(&["`shapes.S.type`", "quaternion"]),
    ),
    ("list_without_member.json", Error(&["`shapes.S.member`"])),
    // Minimums the client could not check.
    (
        "min_not_a_number.json",
        Error(&["`shapes.S.min`", "invalid type: string"]),
    ),
    (
        "min_fractional_length.json",
        Error(&["`shapes.S.min`", "whole number", "1.5"]),
    ),
    (
        "min_negative_length.json",
        Error(&["`shapes.S.min`", "at least 0", "-1"]),
    ),
    (
        "min_fractional_integer.json",
        Error(&["`shapes.S.min`", "whole number", "0.5"]),
    ),
    ("map_without_value.json", Error(&["`shapes.S.value`"])),
    (
        "required_member_missing.json",
        Error(&["`shapes.In.required[0]`", "zz"]),
    ),
    (
        "duplicate_enum_value.json",
        Error(&["`shapes.S.enum[2]`", "twice"]),
    ),
    (
        "error_not_a_structure.json",
        Error(&["`operations.Op.errors`", "not a structure"]),
    ),
    (
        "input_not_a_structure.json",
        Error(&["`operations.Op`", "not a structure"]),
    ),
    (
        "list_of_itself.json",
        Error(&["`shapes.S.member.shape`", "contains itself"]),
    ),
    ("list_map_cycle.json", Error(&["contains itself"])),
    (
        "map_key_not_string.json",
        Error(&["`shapes.S.key.shape`", "not a string"]),
    ),
    (
        "unknown_timestamp_format.json",
        Error(&["`shapes.T.timestampFormat`", "stardate"]),
    ),
    (
        "deep_list_nesting.json",
        Error(&["nested more than 32 deep"]),
    ),
    (
        "host_prefix_injection.json",
        Error(&[
            "`operations.Op.endpoint.hostPrefix`",
            "cannot appear in a host name",
        ]),
    ),
    // HTTP bindings that contradict the request URI or the structure.
    (
        "uri_member_without_label.json",
        Error(&["`shapes.In.members.a.location`", "`{a}`", "`/things`"]),
    ),
    (
        "uri_label_without_member.json",
        Error(&["`operations.Op.http.requestUri`", "`{thingId}`"]),
    ),
    (
        "payload_not_a_member.json",
        Error(&["`shapes.In.payload`", "`body`"]),
    ),
    // Adversarial but valid: must generate correct code.
    ("rust_keywords.json", Generates),
    ("case_collisions.json", Generates),
    ("empty_enum.json", Generates),
    ("weird_enum_values.json", Generates),
    ("cycle_through_required.json", Generates),
    ("unicode_and_symbol_names.json", Generates),
    ("very_long_names.json", Generates),
    ("reserved_type_names.json", Generates),
    ("reserved_method_names.json", Generates),
    ("metadata_injection.json", Generates),
    ("unknown_protocol.json", Generates),
    ("docs_breakout.json", Generates),
    ("docs_control_characters.json", Generates),
    ("no_operations.json", Generates),
    ("empty_structures.json", Generates),
    ("document_with_members.json", Generates),
    ("wide_dag.json", Generates),
    ("deep_structure_chain.json", Generates),
    ("enum_keyed_map_of_timestamps.json", Generates),
    ("host_prefix_label.json", Generates),
];

fn hostile_dir() -> PathBuf {
    common::root().join("codegen/tests/hostile")
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.insert(e.path(), fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

fn options(model: &Path, out: &Path) -> Options {
    Options {
        model: model.to_path_buf(),
        out: out.to_path_buf(),
        ops: None,
        check: false,
        crate_name: Some("aws-lite-hostile".into()),
        runtime_path: "../../runtime".into(),
    }
}

/// Runs `f`, turning a panic into a test failure that names the case.
fn no_panic<T>(case: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            panic!("{case}: the generator panicked: {msg}");
        }
    }
}

/// Generates a crate in memory, under `catch_unwind`.
fn generate_bytes(
    case: &str,
    path: &Path,
    bytes: &[u8],
) -> Result<BTreeMap<String, String>, CodegenError> {
    no_panic(case, || {
        let model = codegen::parse_model(path, bytes)?;
        codegen::generate_files(&model, path, None, &common::crate_opts("aws-lite-hostile"))
            .map(|(_, files)| files)
    })
}

/// Removes `#[doc = ..]` / `#![doc = ..]` attributes from a token stream, at any depth.
fn strip_docs(tokens: TokenStream) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tts.len() {
        if let TokenTree::Punct(p) = &tts[i]
            && p.as_char() == '#'
        {
            let mut j = i + 1;
            if matches!(tts.get(j), Some(TokenTree::Punct(q)) if q.as_char() == '!') {
                j += 1;
            }
            if let Some(TokenTree::Group(g)) = tts.get(j)
                && g.delimiter() == proc_macro2::Delimiter::Bracket
                && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(id)) if id == "doc")
            {
                i = j + 1;
                continue;
            }
        }
        match &tts[i] {
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), strip_docs(g.stream()));
                ng.set_span(g.span());
                out.push(TokenTree::Group(ng));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// Every identifier in a token stream (string literals, hence docs, are not looked into).
fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for tt in tokens {
        match tt {
            TokenTree::Ident(id) => out.push(id.to_string()),
            TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

/// Checks a generated crate: every Rust file parses, no control characters but `\n`, no
/// identifier `evil` anywhere, and Cargo.toml has its fixed shape.
fn check_generated(case: &str, files: &BTreeMap<String, String>) {
    assert!(files.contains_key("src/lib.rs"), "{case}: no lib.rs");
    for (path, content) in files {
        if let Some(c) = content.chars().find(|&c| c != '\n' && c.is_control()) {
            panic!("{case}: {path} contains control character {c:?}");
        }
        if path.ends_with(".rs") {
            let file: syn::File = syn::parse_file(content)
                .unwrap_or_else(|e| panic!("{case}: {path} does not parse: {e}"));
            let mut ids = Vec::new();
            idents(quote::ToTokens::to_token_stream(&file), &mut ids);
            assert!(
                !ids.iter().any(|i| i.contains("evil")),
                "{case}: {path} has an identifier from the documentation"
            );
        }
    }
    let toml = &files["Cargo.toml"];
    let keys: Vec<&str> = toml
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(
        keys.iter().all(|l| l.starts_with('[') || l.contains(" = ")),
        "{case}: Cargo.toml has a stray line:\n{toml}"
    );
    assert!(
        !toml.contains("\nevil"),
        "{case}: Cargo.toml was injected:\n{toml}"
    );
}

/// The same crate with every documentation string replaced by a harmless one: once doc
/// attributes are stripped, both must be the same code.
fn assert_docs_are_inert(case: &str, bytes: &[u8], files: &BTreeMap<String, String>) {
    fn tame(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if k == "documentation" || k == "deprecatedMessage" {
                        *v = serde_json::Value::String("<p>Harmless.</p>".into());
                    } else {
                        tame(v);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(tame),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    tame(&mut value);
    let tame_bytes = serde_json::to_vec(&value).unwrap();
    let tame_files = generate_bytes(case, Path::new(case), &tame_bytes).unwrap();
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        tame_files.keys().collect::<Vec<_>>(),
        "{case}: docs changed the set of files"
    );
    for (path, content) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        let code = |text: &str| {
            let file = syn::parse_file(text).unwrap();
            strip_docs(quote::ToTokens::to_token_stream(&file)).to_string()
        };
        assert!(
            code(content) == code(&tame_files[path]),
            "{case}: {path} differs from the harmless model once docs are stripped"
        );
    }
}

#[test]
fn at_least_thirty_hostile_models_are_covered() {
    let on_disk = fs::read_dir(hostile_dir()).unwrap().count();
    assert_eq!(
        on_disk,
        CASES.len(),
        "every file in hostile/ has an expectation"
    );
    // Plus the ones built in memory below (10 MB docs, huge enum, deep recursion).
    assert!(CASES.len() >= 30);
}

#[test]
fn hostile_models_fail_cleanly_or_generate_inert_code() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let good = common::root().join("codegen/tests/fixtures/enums.json");
    let write_good = || codegen::generate(&options(&good, &out)).unwrap();
    write_good();
    let before = tree(&out);
    let mut failures = Vec::new();
    for (name, expect) in CASES {
        let path = hostile_dir().join(name);
        let bytes = fs::read(&path).unwrap();
        let outcome = no_panic(name, || codegen::generate(&options(&path, &out)));
        match (expect, outcome) {
            (Error(needles), Err(e)) => {
                let msg = e.to_string();
                for needle in [*name].iter().chain(needles.iter()) {
                    if !msg.contains(needle) {
                        failures.push(format!("{name}: `{msg}` lacks `{needle}`"));
                    }
                }
                if tree(&out) != before {
                    failures.push(format!(
                        "{name}: the failed run changed the previous output"
                    ));
                }
            }
            (Error(_), Ok(_)) => failures.push(format!("{name}: generated, expected an error")),
            (Generates, Err(e)) => failures.push(format!("{name}: {e}")),
            (Generates, Ok(_)) => {
                let files = generate_bytes(name, &path, &bytes).unwrap();
                check_generated(name, &files);
                // Deterministic, and what was written is what was generated.
                assert_eq!(
                    generate_bytes(name, &path, &bytes).unwrap(),
                    files,
                    "{name}"
                );
                for (rel, content) in &files {
                    assert_eq!(
                        &fs::read_to_string(out.join(rel)).unwrap(),
                        content,
                        "{name}: {rel}"
                    );
                }
                if name.starts_with("docs_") || *name == "metadata_injection.json" {
                    assert_docs_are_inert(name, &bytes, &files);
                }
                write_good();
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The items of `src/types/mod.rs`: (kind, name), in order.
fn type_items(files: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let file = syn::parse_file(&files["src/types/mod.rs"]).unwrap();
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(("struct".to_string(), s.ident.to_string())),
            syn::Item::Enum(e) => Some(("enum".to_string(), e.ident.to_string())),
            syn::Item::Fn(f) => Some(("fn".to_string(), f.sig.ident.to_string())),
            syn::Item::Mod(m) => Some(("mod".to_string(), m.ident.to_string())),
            syn::Item::Macro(_) => Some(("macro".to_string(), String::new())),
            _ => None,
        })
        .collect()
}

#[test]
fn doc_breakout_attempts_leave_exactly_the_expected_items() {
    let path = hostile_dir().join("docs_breakout.json");
    let files = generate_bytes("docs_breakout", &path, &fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        type_items(&files),
        [
            ("mod".to_string(), "builders".to_string()),
            ("mod".to_string(), "error".to_string()),
            ("enum".to_string(), "E".to_string()),
        ]
    );
    let lib = syn::parse_file(&files["src/lib.rs"]).unwrap();
    assert!(lib.items.iter().all(|i| !matches!(i, syn::Item::Fn(_))));
    // The text is still there, as documentation.
    assert!(files["src/operation/op.rs"].contains("fn evil"));
}

fn base_model(doc: &str) -> serde_json::Value {
    serde_json::json!({
        "metadata": {"apiVersion": "1", "endpointPrefix": "big", "protocol": "json",
                     "jsonVersion": "1.1", "targetPrefix": "Big", "serviceId": "Big"},
        "operations": {"Op": {"name": "Op", "input": {"shape": "In"}, "documentation": doc}},
        "shapes": {"In": {"type": "structure", "members": {"a": {"shape": "S"}}},
                   "S": {"type": "string"}}
    })
}

#[test]
fn ten_megabyte_documentation_string() {
    // 10 MB of HTML with every construct the converter knows, plus raw `&` and `<` runs.
    let unit = "<p>Text &amp; <code>co`de</code> <a href=\"https://x.com\">link</a> */ \"] #[x] <ul><li>item</li></ul> &&&& <<< </p>";
    let mut doc = String::with_capacity(10 * 1024 * 1024 + unit.len());
    while doc.len() < 10 * 1024 * 1024 {
        doc.push_str(unit);
    }
    let bytes = serde_json::to_vec(&base_model(&doc)).unwrap();
    // Debug builds take about a minute here (the converter and syn/prettyplease are
    // unoptimised); emit has parsed every file with syn already, so only the cheap checks.
    let files = generate_bytes("10mb", Path::new("ten-megabytes.json"), &bytes).unwrap();
    for (path, content) in &files {
        assert!(
            !content.chars().any(|c| c != '\n' && c.is_control()),
            "10mb: {path} has a control character"
        );
    }
    assert!(files["src/client.rs"].len() > 10 * 1024 * 1024);
    assert!(!files["src/client.rs"].contains("\nfn evil"));
}

#[test]
fn huge_enum_and_wide_structure() {
    let values: Vec<String> = (0..5000).map(|i| format!("value-{i}")).collect();
    let mut model = base_model("<p>Op.</p>");
    model["shapes"]["S"] = serde_json::json!({"type": "string", "enum": values});
    let members: serde_json::Map<String, serde_json::Value> = (0..2000)
        .map(|i| (format!("member{i}"), serde_json::json!({"shape": "S"})))
        .collect();
    model["shapes"]["In"]["members"] = serde_json::Value::Object(members);
    let bytes = serde_json::to_vec(&model).unwrap();
    let files = generate_bytes("huge", Path::new("huge.json"), &bytes).unwrap();
    check_generated("huge", &files);
    assert!(files["src/types/mod.rs"].contains("Value4999"));
}
