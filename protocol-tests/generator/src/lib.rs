//! Generates the protocol-test crate `generated/protocol-tests` from botocore's protocol test
//! vectors (`protocol-tests/data`).
//!
//! Each vector file (`input/json.json`, `output/smithy-rpc-v2-cbor.json`, ...) is a list of
//! suites `{description, metadata, shapes, cases}`. Every suite becomes a botocore model (its
//! metadata and shapes, plus the operations its cases define in `given`) that goes through
//! the real generator ([`codegen::ir::resolve`], [`codegen::emit::emit_crate`]) into one module
//! of the generated crate, with [`codegen::emit::CrateOptions::module_root`] pointing its
//! `crate::` paths at that module. Every case becomes one test function, emitted with
//! `quote!`: input cases build the operation's input through the generated builders from
//! `params` and check the request captured by `CaptureClient` (method, URI, host, headers,
//! body compared structurally); output cases answer with the canned response and check the
//! parsed output, or the error (code, message, modelled variant), field by field. What the
//! cases call (client set-up, checks, the runner) is the hand-written `aws-lite-protocol-tests`
//! crate.
//!
//! The whole crate (manifest, modules, the `tests/protocol.rs` runner) is written through
//! codegen's one writer ([`codegen::writer::write_tree`]), like every generated crate.
//!
//! Only what botocore's `protocol-tests-ignore-list.json` skips is skipped, with botocore's
//! rules (`tests/unit/test_protocols.py`): a suite `description` listed under
//! `general.<input|output>.suites`, or a case `id` under
//! `protocols.<protocol>.<input|output>.cases` (or `.suites`).

use codegen::emit::{self, CrateOptions, Role};
use codegen::ir::names::MemberNames;
use codegen::ir::{Member, Primitive, Protocol, Service, ShapeKind};
use codegen::naming::{self, ident};
use codegen::writer;
use codegen::{CodegenError, Result};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The vector files used, as `(direction, protocol)`: `data/<direction>/<protocol>.json`.
pub const SUITE_FILES: &[(&str, &str)] = &[
    ("input", "json"),
    ("output", "json"),
    ("input", "json_1_0"),
    ("output", "json_1_0"),
    ("input", "json_1_0-query-compatible"),
    ("output", "json_1_0-query-compatible"),
    ("input", "smithy-rpc-v2-cbor"),
    ("output", "smithy-rpc-v2-cbor"),
    ("input", "smithy-rpc-v2-cbor-query-compatible"),
    ("output", "smithy-rpc-v2-cbor-query-compatible"),
    ("input", "smithy-rpc-v2-cbor-non-query-compatible"),
    ("input", "rest-json"),
    ("output", "rest-json"),
    ("input", "rest-xml"),
    ("output", "rest-xml"),
    ("input", "query"),
    ("output", "query"),
    ("input", "ec2"),
    ("output", "ec2"),
];

/// The endpoint a client is configured with when a suite names none (botocore's tests use
/// `https://example.com` wherever they check the host).
const DEFAULT_ENDPOINT: &str = "https://example.com";

/// Package name of the generated crate.
pub const CRATE_NAME: &str = "aws-lite-protocol-test-suites";

/// What to generate: the vector files under `data` into the crate folder `out`.
#[derive(Debug, Clone)]
pub struct Target {
    /// The folder holding `input/`, `output/` and `protocol-tests-ignore-list.json`.
    pub data: PathBuf,
    /// The generated crate folder (`generated/protocol-tests`), entirely generated.
    pub out: PathBuf,
    /// Path from `out` to the runtime crate.
    pub runtime_path: String,
    /// Path from `out` to the hand-written `aws-lite-protocol-tests` crate.
    pub support_path: String,
    /// The vector files, as `(direction, protocol)`; [`SUITE_FILES`] in the workspace.
    pub files: &'static [(&'static str, &'static str)],
    /// Compare only; fail when the output differs.
    pub check: bool,
}

/// The checked-in protocol-test crate: `generated/protocol-tests` from
/// `protocol-tests/data`. `cargo xtask codegen` regenerates it and the freshness test
/// checks it.
pub fn workspace_target(root: &Path, check: bool) -> Target {
    let out = root.join("generated/protocol-tests");
    Target {
        data: root.join("protocol-tests/data"),
        runtime_path: codegen::relative_path(&out, &root.join("runtime")),
        support_path: codegen::relative_path(&out, &root.join("protocol-tests")),
        out,
        files: SUITE_FILES,
        check,
    }
}

/// What a run produced, for the summary line.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Suites (generated client modules).
    pub suites: usize,
    /// Cases with a generated test.
    pub cases: usize,
    /// Cases the ignore list skips.
    pub skipped: usize,
    /// Writer report.
    pub report: writer::WriteReport,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} suites, {} cases ({} skipped by the ignore list); {} files written, {} unchanged, {} removed",
            self.suites,
            self.cases + self.skipped,
            self.skipped,
            self.report.written,
            self.report.unchanged,
            self.report.removed
        )
    }
}

/// Generates (or checks) the whole crate of `target`.
pub fn generate(target: &Target) -> Result<Summary> {
    let (files, summary) = generate_files(target)?;
    let mode = if target.check {
        writer::Mode::Check
    } else {
        writer::Mode::Write
    };
    let report = writer::write_tree(&target.out, &files, mode)?;
    Ok(Summary { report, ..summary })
}

/// The `[features]` table of a generated crate's manifest (header to the next table).
fn features_table(manifest: &str) -> Option<&str> {
    let start = manifest.find("[features]\n")?;
    let end = manifest[start + 1..]
        .find("\n[")
        .map_or(manifest.len(), |e| start + 1 + e + 1);
    Some(&manifest[start..end])
}

/// Escapes a TOML basic string (the paths are the workspace's own).
fn toml_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The generated crate's manifest. Its `[features]` table is the generated client crates'
/// (the client modules inside test those features), and the runtime gets the features the
/// vectors need: the test helpers, RPC v2 CBOR and rest-json.
fn cargo_toml(target: &Target, features: &str) -> String {
    format!(
        "# @generated by cargo xtask codegen; do not edit\n\
[package]\n\
name = \"{CRATE_NAME}\"\n\
version = \"0.1.0\"\n\
edition = \"2024\"\n\
description = \"botocore's protocol test vectors run through clients generated from them.\"\n\
license = \"Apache-2.0\"\n\
publish = false\n\
\n\
[lib]\n\
doctest = false\n\
\n\
{features}\
[dependencies]\n\
aws-lite-protocol-tests = {{ path = \"{support}\" }}\n\
aws-lite-runtime = {{ path = \"{runtime}\", features = [\"test-util\", \"rpc-v2-cbor\", \"rest-json\", \"rest-xml\", \"query\", \"ec2\"] }}\n\
serde = \"1\"\n\
serde_json = \"1\"\n\
\n\
# Runs every case and prints per-file counts; fails when a case fails.\n\
[[test]]\n\
name = \"protocol\"\n\
harness = false\n",
        support = toml_string(&target.support_path),
        runtime = toml_string(&target.runtime_path),
    )
}

/// Generates the files of the crate in memory (relative path to content).
pub fn generate_files(target: &Target) -> Result<(BTreeMap<String, String>, Summary)> {
    let ignore_path = target.data.join("protocol-tests-ignore-list.json");
    let ignore = read_json(&ignore_path)?;
    let mut files = BTreeMap::new();
    let mut summary = Summary {
        suites: 0,
        cases: 0,
        skipped: 0,
        report: writer::WriteReport::default(),
    };
    let mut file_mods = Vec::new();
    let mut tables = Vec::new();
    let mut features = String::new();
    for (direction, protocol) in target.files {
        let path = target.data.join(direction).join(format!("{protocol}.json"));
        let file_mod = format_ident!("{}_{}", naming::snake(protocol), direction);
        let label = format!("{protocol} {direction}");
        let module_path = file_mod.to_string();
        let file_gen = FileGen {
            path: &path,
            direction,
            protocol,
            ignore: &ignore,
            module_path: &module_path,
        };
        let out = file_gen.generate(&read_json(&path)?)?;
        summary.suites += out.suites;
        summary.cases += out.cases;
        summary.skipped += out.skipped;
        if features.is_empty() {
            features = out.features;
        }
        for (rel, content) in out.files {
            files.insert(format!("src/{file_mod}/{rel}"), content);
        }
        file_mods.push(file_mod.clone());
        tables.push(quote! {
            ::aws_lite_protocol_tests::support::SuiteFile { name: #label, cases: #file_mod::CASES }
        });
    }
    let doc = format!(
        " botocore's protocol test vectors, generated from `protocol-tests/data` by \
`cargo xtask codegen`: one module per vector file ({}), in each one client module per suite \
and one test function per case. `cargo test -p {CRATE_NAME}` runs the cases and prints, per \
vector file, how many passed, failed and were skipped by botocore's ignore list.",
        target
            .files
            .iter()
            .map(|(d, p)| format!("`{d}/{p}.json`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let lib = quote! {
        #![doc = #doc]
        #( #[rustfmt::skip] pub mod #file_mods; )*
        /// Every vector file with its cases, in order.
        pub static FILES: &[::aws_lite_protocol_tests::support::SuiteFile] = &[#(#tables),*];
    };
    files.insert("src/lib.rs".to_string(), format_file("src/lib.rs", lib)?);
    let runner = quote! {
        //! Runs every generated protocol case (see `aws_lite_protocol_tests::runner`).
        fn main() -> ::std::process::ExitCode {
            ::aws_lite_protocol_tests::runner::main(::aws_lite_protocol_test_suites::FILES)
        }
    };
    files.insert(
        "tests/protocol.rs".to_string(),
        format_file("tests/protocol.rs", runner)?,
    );
    files.insert("Cargo.toml".to_string(), cargo_toml(target, &features));
    Ok((files, summary))
}

fn read_json(path: &Path) -> Result<Value> {
    let bytes = std::fs::read(path).map_err(|source| CodegenError::ReadModel {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| CodegenError::ParseModel {
        path: path.to_path_buf(),
        json_path: String::new(),
        message: e.to_string(),
    })
}

fn format_file(module: &str, tokens: TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::GeneratedCodeInvalid {
        module: module.to_string(),
        message: e.to_string(),
    })?;
    let mut text = String::from(emit::HEADER);
    text.push_str(&prettyplease::unparse(&file));
    Ok(text)
}

/// botocore's `_should_ignore_test`.
pub fn is_ignored(
    ignore: &Value,
    protocol: &str,
    direction: &str,
    suite: &str,
    case: &str,
) -> bool {
    let listed = |v: &Value, key: &str, name: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(name)))
    };
    let general = &ignore["general"][direction];
    let specific = &ignore["protocols"][protocol][direction];
    listed(general, "suites", suite)
        || listed(general, "cases", case)
        || listed(specific, "suites", suite)
        || listed(specific, "cases", case)
}

/// The botocore model of one suite: its metadata (with the names a service model needs and
/// the vectors leave out), its shapes, and the operations its cases define.
pub fn suite_model(suite: &Value, path: &Path, json_path: &str) -> Result<Value> {
    let invalid = |at: String, message: String| CodegenError::InvalidModel {
        path: path.to_path_buf(),
        json_path: at,
        message,
    };
    let mut metadata = suite["metadata"]
        .as_object()
        .cloned()
        .ok_or_else(|| invalid(format!("{json_path}.metadata"), "no metadata object".into()))?;
    let target = metadata
        .get("targetPrefix")
        .and_then(Value::as_str)
        .unwrap_or("ProtocolTests")
        .to_string();
    let defaults = [
        ("endpointPrefix", Value::from("protocoltests")),
        ("serviceId", Value::from(target.clone())),
        (
            "serviceFullName",
            Value::from(format!("{target} protocol tests")),
        ),
        ("signingName", Value::from("protocoltests")),
        (
            "uid",
            Value::from(format!("{}-protocol-tests", target.to_ascii_lowercase())),
        ),
    ];
    for (key, value) in defaults {
        metadata.entry(key).or_insert(value);
    }
    let mut operations = Map::new();
    for (j, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
        let given = &case["given"];
        let name = given["name"].as_str().ok_or_else(|| {
            invalid(
                format!("{json_path}.cases[{j}].given.name"),
                "no operation name".into(),
            )
        })?;
        match operations.get(name) {
            Some(existing) if existing != given => {
                return Err(invalid(
                    format!("{json_path}.cases[{j}].given"),
                    format!("operation `{name}` is defined differently by two cases of the suite"),
                ));
            }
            Some(_) => {}
            None => {
                operations.insert(name.to_string(), given.clone());
            }
        }
    }
    Ok(serde_json::json!({
        "metadata": metadata,
        "operations": operations,
        "shapes": suite["shapes"].clone(),
        "documentation": suite["description"].clone(),
    }))
}

/// What botocore's runner (`tests/unit/test_protocols.py`) does to query output suites: an
/// operation whose output shape has members gets `resultWrapper: <Op>Result` (the vectors'
/// models leave it out; their response bodies have the wrapper).
fn add_result_wrappers(model: &mut Value) {
    let with_members: BTreeSet<String> = model["shapes"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, shape)| {
            shape["members"]
                .as_object()
                .is_some_and(|members| !members.is_empty())
        })
        .map(|(name, _)| name.clone())
        .collect();
    for (name, op) in model["operations"].as_object_mut().into_iter().flatten() {
        let Some(output) = op.get_mut("output").and_then(Value::as_object_mut) else {
            continue;
        };
        let has_members = output
            .get("shape")
            .and_then(Value::as_str)
            .is_some_and(|shape| with_members.contains(shape));
        if has_members {
            output.insert("resultWrapper".into(), Value::from(format!("{name}Result")));
        }
    }
}

/// One vector file.
struct FileGen<'a> {
    path: &'a Path,
    direction: &'a str,
    protocol: &'a str,
    ignore: &'a Value,
    /// `json_input`.
    module_path: &'a str,
}

struct FileOut {
    files: Vec<(String, String)>,
    /// The `[features]` table of the generated manifests.
    features: String,
    suites: usize,
    cases: usize,
    skipped: usize,
}

impl FileGen<'_> {
    fn invalid(&self, json_path: String, message: impl Into<String>) -> CodegenError {
        CodegenError::InvalidModel {
            path: self.path.to_path_buf(),
            json_path,
            message: message.into(),
        }
    }

    fn generate(&self, doc: &Value) -> Result<FileOut> {
        let suites = doc
            .as_array()
            .ok_or_else(|| self.invalid(String::new(), "expected a list of suites"))?;
        let mut out = FileOut {
            files: Vec::new(),
            features: String::new(),
            suites: 0,
            cases: 0,
            skipped: 0,
        };
        let mut suite_mods = Vec::new();
        let mut case_fns = Vec::new();
        let mut table = Vec::new();
        for (i, suite) in suites.iter().enumerate() {
            let json_path = format!("[{i}]");
            let description = suite["description"].as_str().unwrap_or_default();
            let cases = suite["cases"].as_array().cloned().unwrap_or_default();
            let op_name = cases
                .first()
                .and_then(|c| c["given"]["name"].as_str())
                .unwrap_or("suite");
            let suite_mod = format_ident!("s{i:02}_{}", naming::unraw(&naming::snake(op_name)));
            let module_root = format!("{}::{suite_mod}", self.module_path);
            let mut model_json = suite_model(suite, self.path, &json_path)?;
            if self.protocol == "query" && self.direction == "output" {
                add_result_wrappers(&mut model_json);
            }
            let model_bytes = serde_json::to_vec(&model_json).map_err(|e| {
                self.invalid(json_path.clone(), format!("cannot serialize model: {e}"))
            })?;
            let model_path = self.path.join(&json_path);
            let model = codegen::parse_model(&model_path, &model_bytes)?;
            let svc = codegen::ir::resolve(&model, &model_path, None)?;
            let crate_opts = CrateOptions {
                crate_name: format!("{}-{}", self.protocol, self.direction),
                runtime_path: String::new(),
                module_root: Some(module_root.clone()),
            };
            for (rel, content) in emit::emit_crate(&svc, &crate_opts)? {
                let Some(rel) = rel.strip_prefix("src/") else {
                    // Cargo.toml: the module lives in the generated protocol-test crate, whose
                    // manifest declares the same features.
                    if let Some(table) = features_table(&content) {
                        out.features = table.to_string();
                    }
                    continue;
                };
                let rel = if rel == "lib.rs" { "mod.rs" } else { rel };
                out.files.push((format!("{suite_mod}/{rel}"), content));
            }
            let suite_doc = format!(" Suite {i}: {description}.");
            suite_mods.push(quote! { #[doc = #suite_doc] #[rustfmt::skip] pub mod #suite_mod; });
            out.suites += 1;

            let module_tokens: TokenStream = format!("crate::{module_root}")
                .parse()
                .map_err(|_| self.invalid(json_path.clone(), "bad module path"))?;
            let endpoint = suite["clientEndpoint"]
                .as_str()
                .unwrap_or(DEFAULT_ENDPOINT)
                .to_string();
            let sg = SuiteGen {
                file: self,
                svc: &svc,
                module: module_tokens,
                root: quote!(svc),
                endpoint,
                protocol: protocol_expr(&suite["metadata"]),
            };
            for (j, case) in cases.iter().enumerate() {
                let case_path = format!("{json_path}.cases[{j}]");
                let id = case["id"].as_str().unwrap_or_default().to_string();
                let fn_name =
                    format_ident!("s{i:02}_{j:02}_{}", naming::unraw(&naming::snake(&id)));
                let skipped =
                    is_ignored(self.ignore, self.protocol, self.direction, description, &id);
                let run = if skipped {
                    out.skipped += 1;
                    quote!(::std::option::Option::None)
                } else {
                    out.cases += 1;
                    case_fns.push(sg.case_fn(&fn_name, case, &case_path)?);
                    quote!(::std::option::Option::Some(cases::#fn_name))
                };
                table.push(quote! {
                    ::aws_lite_protocol_tests::support::Case { suite: #description, id: #id, run: #run }
                });
            }
        }
        let mod_doc = format!(
            " Suites of `{}/{}.json`: one generated client module per suite, and the cases.",
            self.direction, self.protocol
        );
        let mod_rs = quote! {
            #![doc = #mod_doc]
            #(#suite_mods)*
            /// One test function per case the ignore list does not skip.
            #[rustfmt::skip]
            pub mod cases;
            /// Every case of the file, in order; `run` is `None` for cases the ignore list skips.
            pub const CASES: &[::aws_lite_protocol_tests::support::Case] = &[#(#table),*];
        };
        out.files
            .push(("mod.rs".into(), format_file("mod.rs", mod_rs)?));
        let cases_doc = format!(
            " Test functions for `{}/{}.json`, generated from the vectors: each one is a real call \
through the generated client against a capturing HTTP client.",
            self.direction, self.protocol
        );
        let cases_rs = quote! {
            #![doc = #cases_doc]
            #(#case_fns)*
        };
        out.files
            .push(("cases.rs".into(), format_file("cases.rs", cases_rs)?));
        Ok(out)
    }
}

/// The runtime protocol a suite's metadata names.
fn protocol_expr(metadata: &Value) -> TokenStream {
    let protocol = metadata["protocol"].as_str().unwrap_or("json");
    let json_version = metadata["jsonVersion"].as_str().unwrap_or("1.0");
    match Protocol::from_model(protocol, Some(json_version)) {
        Protocol::RpcV2Cbor => quote!(::aws_lite_runtime::config::Protocol::RpcV2Cbor),
        Protocol::RestJson => quote!(::aws_lite_runtime::config::Protocol::RestJson),
        Protocol::RestXml => quote!(::aws_lite_runtime::config::Protocol::RestXml),
        Protocol::Query => quote!(::aws_lite_runtime::config::Protocol::Query),
        Protocol::Ec2 => quote!(::aws_lite_runtime::config::Protocol::Ec2),
        _ if json_version == "1.1" => quote!(::aws_lite_runtime::config::Protocol::AwsJson1_1),
        _ => quote!(::aws_lite_runtime::config::Protocol::AwsJson1_0),
    }
}

/// The request id of a query or ec2 response body, as the vector writes it: the text of its
/// `<RequestId>` (inside `ResponseMetadata`) or ec2's `<requestId>` element.
fn body_request_id(body: &str) -> Option<String> {
    ["RequestId", "requestId"].into_iter().find_map(|name| {
        let open = format!("<{name}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find(&format!("</{name}>"))? + start;
        Some(body[start..end].trim().to_string())
    })
}

/// One suite: its resolved service and generated module.
struct SuiteGen<'a> {
    file: &'a FileGen<'a>,
    svc: &'a Service,
    /// `crate::json_input::s00_empty_operation`.
    module: TokenStream,
    /// What the case code calls that module (`svc`, imported at the top of each case).
    root: TokenStream,
    endpoint: String,
    protocol: TokenStream,
}

fn is_cbor(protocol: &str) -> bool {
    protocol.starts_with("smithy-rpc-v2-cbor")
}

/// Whether the vector file is of a protocol with form requests and XML responses.
fn is_query(protocol: &str) -> bool {
    matches!(protocol, "query" | "ec2")
}

impl SuiteGen<'_> {
    fn invalid(&self, json_path: &str, message: impl Into<String>) -> CodegenError {
        self.file.invalid(json_path.to_string(), message)
    }

    fn case_fn(&self, name: &proc_macro2::Ident, case: &Value, at: &str) -> Result<TokenStream> {
        let op_name = case["given"]["name"].as_str().unwrap_or_default();
        let op = self
            .svc
            .operation(op_name)
            .ok_or_else(|| self.invalid(at, format!("no operation `{op_name}`")))?;
        let method = ident(&self.svc.names.operation(op).client_method);
        let root = &self.root;
        let protocol = &self.protocol;
        let endpoint = &self.endpoint;
        let doc = format!(
            " `{}`: {}",
            case["id"].as_str().unwrap_or_default(),
            case["description"]
                .as_str()
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or_default()
        );
        let body = if case.get("params").is_some() {
            let calls = match &op.input {
                Some(input) => {
                    self.setter_calls(input, &case["params"], &format!("{at}.params"))?
                }
                None => Vec::new(),
            };
            let expected =
                self.expected_request(op, &case["serialized"], &format!("{at}.serialized"))?;
            let canned = if is_cbor(self.file.protocol) {
                quote!(::aws_lite_protocol_tests::support::cbor_ok())
            } else if is_query(self.file.protocol) || self.file.protocol == "rest-xml" {
                quote!(::aws_lite_protocol_tests::support::xml_ok())
            } else {
                quote!(::aws_lite_protocol_tests::support::json_ok())
            };
            quote! {
                let http = ::aws_lite_runtime::testing::CaptureClient::new(::std::vec::Vec::from([#canned]));
                let client = #root::Client::from_conf(::aws_lite_protocol_tests::support::config(&http, #endpoint, #protocol));
                let result = client.#method() #(#calls)* .send().await;
                let failure = result.err().map(|e| ::aws_lite_protocol_tests::support::describe(&e));
                let request = ::aws_lite_protocol_tests::support::one_request(&http, failure)?;
                let mut c = ::aws_lite_protocol_tests::support::Checker::default();
                ::aws_lite_protocol_tests::support::check_request(&mut c, &request, &#expected);
                c.finish()
            }
        } else {
            self.output_body(op, case, at)?
        };
        let module = &self.module;
        Ok(quote! {
            #[doc = #doc]
            pub fn #name() -> ::aws_lite_protocol_tests::support::CaseFuture {
                ::std::boxed::Box::pin(async move {
                    use #module as svc;
                    #body
                })
            }
        })
    }

    fn output_body(
        &self,
        op: &codegen::ir::Operation,
        case: &Value,
        at: &str,
    ) -> Result<TokenStream> {
        let root = &self.root;
        let protocol = &self.protocol;
        let endpoint = &self.endpoint;
        let op_names = self.svc.names.operation(op);
        let method = ident(&op_names.client_method);
        let response = &case["response"];
        let status = response["status_code"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| {
                self.invalid(&format!("{at}.response.status_code"), "not a status code")
            })?;
        let mut header_names = Vec::new();
        let mut header_values = Vec::new();
        let mut request_id = quote!(::std::option::Option::None);
        for (k, v) in response["headers"].as_object().into_iter().flatten() {
            let v = v.as_str().unwrap_or_default();
            if k.eq_ignore_ascii_case("x-amzn-requestid") && !is_query(self.file.protocol) {
                request_id = quote!(::std::option::Option::Some(#v));
            }
            header_names.push(k.clone());
            header_values.push(v.to_string());
        }
        let body_text = response["body"].as_str().unwrap_or_default();
        let body_bytes = if is_cbor(self.file.protocol) {
            base64_decode(body_text)
                .ok_or_else(|| self.invalid(&format!("{at}.response.body"), "invalid base64"))?
        } else {
            body_text.as_bytes().to_vec()
        };
        if let Some(id) = body_request_id(body_text).filter(|_| is_query(self.file.protocol)) {
            request_id = quote!(::std::option::Option::Some(#id));
        }
        let body = Literal::byte_string(&body_bytes);
        let setup = quote! {
            let http = ::aws_lite_runtime::testing::CaptureClient::new(::std::vec::Vec::from([
                ::aws_lite_protocol_tests::support::response(#status, &[#((#header_names, #header_values)),*], #body)
            ]));
            let client = #root::Client::from_conf(::aws_lite_protocol_tests::support::config(&http, #endpoint, #protocol));
            let result = client.#method().send().await;
            let mut c = ::aws_lite_protocol_tests::support::Checker::default();
        };
        if let Some(code) = case.get("errorCode").and_then(Value::as_str) {
            let op_mod = ident(&op_names.module);
            let op_error = ident(&op_names.error);
            let message = match case.get("errorMessage").and_then(Value::as_str) {
                Some(m) => {
                    quote!(c.eq("error message", &err.message(), &::std::option::Option::Some(#m));)
                }
                None => quote!(c.no_message(err.message());),
            };
            let modelled = op
                .errors
                .iter()
                .find(|e| {
                    let shape = self.svc.shape(e);
                    let error_code = shape
                        .bindings
                        .error
                        .as_ref()
                        .and_then(|t| t.code.as_deref());
                    shape.wire_name == code || error_code == Some(code)
                })
                .ok_or_else(|| {
                    self.invalid(
                        &format!("{at}.errorCode"),
                        format!("`{code}` is not a modelled error of the operation"),
                    )
                })?;
            let variant = self.type_ident(modelled, at)?;
            let checks = self.struct_checks(
                modelled,
                Role::Exception,
                quote!(e),
                case.get("error").unwrap_or(&Value::Null),
                "error",
                &format!("{at}.error"),
            )?;
            let binding = if checks.is_empty() {
                quote!(_)
            } else {
                quote!(e)
            };
            Ok(quote! {
                #setup
                let err = match result {
                    ::std::result::Result::Ok(out) => return ::std::result::Result::Err(::std::format!("expected the error {}, got the output {:?}", #code, out)),
                    ::std::result::Result::Err(err) => err,
                };
                c.eq("error code", &err.code(), &::std::option::Option::Some(#code));
                #message
                match err.as_service_error() {
                    ::std::option::Option::Some(#root::operation::#op_mod::#op_error::#variant(#binding)) => { #checks }
                    other => c.fail(::std::format!("expected the modelled error {}, got {:?}", #code, other)),
                }
                c.finish()
            })
        } else {
            let checks = match &op.output {
                Some(output) => self.struct_checks(
                    output,
                    Role::Output,
                    quote!(out),
                    case.get("result").unwrap_or(&Value::Null),
                    "result",
                    &format!("{at}.result"),
                )?,
                None => quote!(),
            };
            Ok(quote! {
                #setup
                let out = match result {
                    ::std::result::Result::Ok(out) => out,
                    ::std::result::Result::Err(err) => return ::std::result::Result::Err(::std::format!("the call failed: {}", ::aws_lite_protocol_tests::support::describe(&err))),
                };
                #checks
                c.eq("request id", &::aws_lite_runtime::error::RequestId::request_id(&out), &#request_id);
                c.finish()
            })
        }
    }

    fn expected_request(
        &self,
        op: &codegen::ir::Operation,
        serialized: &Value,
        at: &str,
    ) -> Result<TokenStream> {
        let method = serialized["method"].as_str().unwrap_or("POST");
        let uri = serialized["uri"].as_str().unwrap_or_default();
        let host = match serialized["host"].as_str() {
            Some(h) => quote!(::std::option::Option::Some(#h)),
            None => quote!(::std::option::Option::None),
        };
        let mut names = Vec::new();
        let mut values = Vec::new();
        for (k, v) in serialized["headers"].as_object().into_iter().flatten() {
            // As botocore's runner: rest-xml's content type is not checked (botocore sends
            // none).
            if self.file.protocol == "rest-xml" && k.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let mut v = v.as_str().unwrap_or_default().to_string();
            // As botocore's runner: query and ec2 send the charset the vectors leave out.
            if is_query(self.file.protocol)
                && k.eq_ignore_ascii_case("content-type")
                && !v.contains("charset=utf-8")
            {
                v.push_str("; charset=utf-8");
            }
            names.push(k.clone());
            values.push(v);
        }
        let strings = |key: &str| -> Vec<String> {
            serialized[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let forbid = strings("forbidHeaders");
        let require = strings("requireHeaders");
        let body = match serialized.get("body").and_then(Value::as_str) {
            None => quote!(::aws_lite_protocol_tests::support::ExpectedBody::Unchecked),
            Some("") => quote!(::aws_lite_protocol_tests::support::ExpectedBody::Empty),
            Some(text) if is_cbor(self.file.protocol) => {
                let bytes = base64_decode(text)
                    .ok_or_else(|| self.invalid(&format!("{at}.body"), "invalid base64"))?;
                let lit = Literal::byte_string(&bytes);
                quote!(::aws_lite_protocol_tests::support::ExpectedBody::Cbor(#lit))
            }
            // botocore's runner compares a rest-json body that is not JSON byte for byte.
            Some(text)
                if self.file.protocol == "rest-json"
                    && serde_json::from_str::<Value>(text).is_err() =>
            {
                let lit = Literal::byte_string(text.as_bytes());
                quote!(::aws_lite_protocol_tests::support::ExpectedBody::Raw(#lit))
            }
            Some(text) if is_query(self.file.protocol) => {
                quote!(::aws_lite_protocol_tests::support::ExpectedBody::Form(#text))
            }
            Some(text) if self.file.protocol == "rest-xml" => {
                let mut names = BTreeSet::new();
                if let Some(input) = &op.input {
                    map_entry_names(self.svc, input, &mut names, &mut BTreeSet::new());
                }
                let names = names.iter();
                quote!(::aws_lite_protocol_tests::support::ExpectedBody::Xml { text: #text, unordered: &[#(#names),*] })
            }
            Some(text) => quote!(::aws_lite_protocol_tests::support::ExpectedBody::Json(#text)),
        };
        Ok(quote! {
            ::aws_lite_protocol_tests::support::ExpectedRequest {
                method: #method,
                uri: #uri,
                host: #host,
                headers: &[#((#names, #values)),*],
                forbid_headers: &[#(#forbid),*],
                require_headers: &[#(#require),*],
                body: #body,
            }
        })
    }

    /// The type of a shape, from the name table.
    fn type_ident(&self, shape: &str, at: &str) -> Result<proc_macro2::Ident> {
        let names = self
            .svc
            .names
            .shape(shape)
            .ok_or_else(|| self.invalid(at, format!("`{shape}` is not in the name table")))?;
        Ok(ident(&names.type_name))
    }

    /// The Rust names of a member, from the name table.
    fn member_names(&self, structure: &str, wire: &str, at: &str) -> Result<&MemberNames> {
        self.svc
            .names
            .member(structure, wire)
            .ok_or_else(|| self.invalid(at, format!("`{structure}` has no member `{wire}`")))
    }

    fn member<'s>(&'s self, structure: &str, wire: &str, at: &str) -> Result<&'s Member> {
        match &self.svc.shape(structure).kind {
            ShapeKind::Structure(s) => s
                .members
                .iter()
                .find(|m| m.wire_name == wire)
                .ok_or_else(|| self.invalid(at, format!("`{structure}` has no member `{wire}`"))),
            _ => Err(self.invalid(at, format!("`{structure}` is not a structure"))),
        }
    }

    /// `.member(value)` calls (`.set_member(Some(value))` for collections) for the non-null
    /// entries of `params`.
    fn setter_calls(&self, structure: &str, params: &Value, at: &str) -> Result<Vec<TokenStream>> {
        let Some(obj) = params.as_object() else {
            return Err(self.invalid(at, "expected an object"));
        };
        let mut calls = Vec::new();
        for (key, value) in obj {
            if value.is_null() {
                continue;
            }
            let at = format!("{at}.{key}");
            let m = self.member(structure, key, &at)?;
            let names = self.member_names(structure, key, &at)?;
            let expr = self.value(&m.target, value, &at)?;
            let call = match &self.svc.shape(&m.target).kind {
                ShapeKind::List(_) | ShapeKind::Map(..) => {
                    let set = ident(&names.setter);
                    quote!(.#set(::std::option::Option::Some(#expr)))
                }
                _ => {
                    let f = ident(&names.field);
                    quote!(.#f(#expr))
                }
            };
            calls.push(call);
        }
        Ok(calls)
    }

    /// A Rust expression of the member type for `target` holding `v`.
    fn value(&self, target: &str, v: &Value, at: &str) -> Result<TokenStream> {
        let root = &self.root;
        let shape = self.svc.shape(target);
        Ok(match &shape.kind {
            ShapeKind::Primitive(p) => match p {
                Primitive::String => {
                    let s = self.str(v, at)?;
                    quote!(::std::string::String::from(#s))
                }
                Primitive::Integer => {
                    let n = i32::try_from(self.int(v, at)?)
                        .map_err(|_| self.invalid(at, "integer out of range"))?;
                    let lit = Literal::i32_suffixed(n);
                    quote!(#lit)
                }
                Primitive::Long => {
                    let lit = Literal::i64_suffixed(self.int(v, at)?);
                    quote!(#lit)
                }
                Primitive::Boolean => {
                    let b = v
                        .as_bool()
                        .ok_or_else(|| self.invalid(at, "expected a boolean"))?;
                    quote!(#b)
                }
                Primitive::Double => self.float(v, at, false)?,
                Primitive::Float => self.float(v, at, true)?,
                Primitive::Timestamp => {
                    let (secs, nanos) = self.epoch(v, at)?;
                    quote!(#root::primitives::DateTime::from_secs_and_nanos(#secs, #nanos))
                }
                Primitive::Blob => {
                    let lit = Literal::byte_string(self.str(v, at)?.as_bytes());
                    quote!(#root::primitives::Blob::new(#lit.to_vec()))
                }
                Primitive::Document => {
                    let text = v.to_string();
                    quote!(::serde_json::from_str::<#root::primitives::Document>(#text).expect("the document is JSON"))
                }
            },
            ShapeKind::Enum(_) => {
                let name = self.type_ident(target, at)?;
                let s = self.str(v, at)?;
                quote!(#root::types::#name::from(#s))
            }
            ShapeKind::List(elem) => {
                let items = v
                    .as_array()
                    .ok_or_else(|| self.invalid(at, "expected a list"))?
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.value(elem, x, &format!("{at}[{i}]")))
                    .collect::<Result<Vec<_>>>()?;
                quote!(::std::vec::Vec::from([#(#items),*]))
            }
            ShapeKind::Map(k, val) => {
                let obj = v
                    .as_object()
                    .ok_or_else(|| self.invalid(at, "expected an object"))?;
                if obj.is_empty() {
                    quote!(::std::collections::HashMap::new())
                } else {
                    let mut pairs = Vec::new();
                    for (key, x) in obj {
                        let at = format!("{at}.{key}");
                        let key = self.value(k, &Value::String(key.clone()), &at)?;
                        let x = self.value(val, x, &at)?;
                        pairs.push(quote!((#key, #x)));
                    }
                    quote!(::std::collections::HashMap::from([#(#pairs),*]))
                }
            }
            ShapeKind::Structure(s) if s.union => {
                let name = self.type_ident(target, at)?;
                let (m, value) = self.union_member(target, v, at)?;
                let variant = self.union_variant(target, &m.wire_name, at)?;
                let inner = self.value(&m.target, value, &format!("{at}.{}", m.wire_name))?;
                let inner = if m.boxed {
                    quote!(::std::boxed::Box::new(#inner))
                } else {
                    inner
                };
                quote!(#root::types::#name::#variant(#inner))
            }
            ShapeKind::Structure(s) => {
                let name = self.type_ident(target, at)?;
                let calls = self.setter_calls(target, v, at)?;
                let fallible = s
                    .members
                    .iter()
                    .any(|m| Role::Type.is_plain(self.svc, m) && m.default.is_none());
                let build = if fallible {
                    quote!(.build().expect("every required member is set"))
                } else {
                    quote!(.build())
                };
                quote!(#root::types::#name::builder() #(#calls)* #build)
            }
        })
    }

    /// The one member a union value of the vector sets (members whose value is `null` do not
    /// count), and its value.
    fn union_member<'v>(
        &self,
        union: &str,
        v: &'v Value,
        at: &str,
    ) -> Result<(&Member, &'v Value)> {
        let obj = v
            .as_object()
            .ok_or_else(|| self.invalid(at, "expected an object"))?;
        let set: Vec<(&String, &Value)> = obj.iter().filter(|(_, x)| !x.is_null()).collect();
        match set.as_slice() {
            [(key, value)] => Ok((self.member(union, key, &format!("{at}.{key}"))?, value)),
            _ => Err(self.invalid(
                at,
                format!(
                    "a value of the union `{union}` sets exactly one member, not {}",
                    set.len()
                ),
            )),
        }
    }

    /// The enum variant of a union's member, from the name table.
    fn union_variant(&self, union: &str, wire: &str, at: &str) -> Result<proc_macro2::Ident> {
        self.svc
            .names
            .shape(union)
            .and_then(|n| n.union_variants.iter().find(|v| v.wire_name == wire))
            .map(|v| ident(&v.variant))
            .ok_or_else(|| self.invalid(at, format!("union `{union}` has no member `{wire}`")))
    }

    /// The `as_<member>` accessor of a union's member, from the name table.
    fn union_accessor(&self, union: &str, wire: &str, at: &str) -> Result<proc_macro2::Ident> {
        self.svc
            .names
            .shape(union)
            .and_then(|n| n.union_variants.iter().find(|v| v.wire_name == wire))
            .map(|v| ident(&v.as_method))
            .ok_or_else(|| self.invalid(at, format!("union `{union}` has no member `{wire}`")))
    }

    fn str<'v>(&self, v: &'v Value, at: &str) -> Result<&'v str> {
        v.as_str()
            .ok_or_else(|| self.invalid(at, "expected a string"))
    }

    fn int(&self, v: &Value, at: &str) -> Result<i64> {
        v.as_i64()
            .ok_or_else(|| self.invalid(at, "expected an integer"))
    }

    /// An `f32`/`f64` expression: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
    fn float(&self, v: &Value, at: &str, single: bool) -> Result<TokenStream> {
        let ty = if single { quote!(f32) } else { quote!(f64) };
        Ok(match v {
            Value::String(s) if s == "NaN" => quote!(#ty::NAN),
            Value::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
            Value::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
            _ => {
                let x = v
                    .as_f64()
                    .ok_or_else(|| self.invalid(at, "expected a number"))?;
                // Shortest round-trip form of the value at the member's precision.
                let lit = if single {
                    Literal::f32_suffixed(x as f32)
                } else {
                    Literal::f64_suffixed(x)
                };
                quote!(#lit)
            }
        })
    }

    /// Epoch seconds as whole seconds and nanoseconds (fractions rounded to the microsecond,
    /// as the vectors give at most milliseconds and an `f64` cannot carry more).
    fn epoch(&self, v: &Value, at: &str) -> Result<(i64, u32)> {
        if let Some(secs) = v.as_i64() {
            return Ok((secs, 0));
        }
        let x = v
            .as_f64()
            .ok_or_else(|| self.invalid(at, "expected epoch seconds"))?;
        let micros = (x * 1_000_000.0).round() as i64;
        let nanos = u32::try_from(micros.rem_euclid(1_000_000) * 1000)
            .map_err(|_| self.invalid(at, "timestamp out of range"))?;
        Ok((micros.div_euclid(1_000_000), nanos))
    }

    /// Statements checking the structure at `actual` (an expression of type `&T`, or a
    /// binding auto-dereferencing to it) against `expected`, member by member: members the
    /// vector does not list must be absent.
    fn struct_checks(
        &self,
        structure: &str,
        role: Role,
        actual: TokenStream,
        expected: &Value,
        path: &str,
        at: &str,
    ) -> Result<TokenStream> {
        let empty = Map::new();
        let obj = match expected {
            Value::Null => &empty,
            Value::Object(o) => o,
            _ => return Err(self.invalid(at, "expected an object")),
        };
        let ShapeKind::Structure(s) = &self.svc.shape(structure).kind else {
            return Err(self.invalid(at, format!("`{structure}` is not a structure")));
        };
        for key in obj.keys() {
            self.member(structure, key, &format!("{at}.{key}"))?;
        }
        let mut out = Vec::new();
        for m in &s.members {
            let member_at = format!("{at}.{}", m.wire_name);
            let field = ident(
                &self
                    .member_names(structure, &m.wire_name, &member_at)?
                    .field,
            );
            let member_path = format!("{path}.{}", m.wire_name);
            let plain = role.is_plain(self.svc, m);
            let value = obj.get(&m.wire_name).filter(|v| !v.is_null());
            match (plain, value) {
                (true, Some(v)) => {
                    // A structure's checks only read its fields (no borrow needed).
                    let place = if matches!(self.svc.shape(&m.target).kind, ShapeKind::Structure(_))
                    {
                        quote!(#actual.#field)
                    } else {
                        quote!((&#actual.#field))
                    };
                    out.push(self.checks(&m.target, place, v, &member_path, &member_at)?);
                }
                (true, None) => {}
                (false, Some(v)) => {
                    let inner = self.checks(&m.target, quote!(v), v, &member_path, &member_at)?;
                    out.push(quote! {
                        match &#actual.#field {
                            ::std::option::Option::Some(v) => { #inner }
                            ::std::option::Option::None => c.missing(#member_path),
                        }
                    });
                }
                (false, None) => out.push(quote!(c.absent(#member_path, &#actual.#field);)),
            }
        }
        Ok(quote!(#(#out)*))
    }

    /// Statements checking `actual` (a reference to the member type of `target`, or a
    /// `Box` of it) against `expected`.
    fn checks(
        &self,
        target: &str,
        actual: TokenStream,
        expected: &Value,
        path: &str,
        at: &str,
    ) -> Result<TokenStream> {
        let shape = self.svc.shape(target);
        Ok(match &shape.kind {
            ShapeKind::Primitive(p) => match p {
                Primitive::String => {
                    let s = self.str(expected, at)?;
                    quote!(c.eq(#path, #actual.as_str(), #s);)
                }
                Primitive::Integer => {
                    let n = i32::try_from(self.int(expected, at)?)
                        .map_err(|_| self.invalid(at, "integer out of range"))?;
                    quote!(c.eq(#path, #actual, &#n);)
                }
                Primitive::Long => {
                    let n = self.int(expected, at)?;
                    quote!(c.eq(#path, #actual, &#n);)
                }
                Primitive::Boolean => {
                    let b = expected
                        .as_bool()
                        .ok_or_else(|| self.invalid(at, "expected a boolean"))?;
                    quote!(c.eq(#path, #actual, &#b);)
                }
                Primitive::Double => {
                    let x = self.float(expected, at, false)?;
                    quote!(c.float(#path, *#actual, #x);)
                }
                Primitive::Float => {
                    let x = self.float(expected, at, true)?;
                    quote!(c.float(#path, f64::from(*#actual), f64::from(#x));)
                }
                Primitive::Timestamp => {
                    let (secs, nanos) = self.epoch(expected, at)?;
                    let root = &self.root;
                    quote!(c.eq(#path, #actual, &#root::primitives::DateTime::from_secs_and_nanos(#secs, #nanos));)
                }
                Primitive::Blob => {
                    let lit = Literal::byte_string(self.str(expected, at)?.as_bytes());
                    quote!(c.bytes(#path, #actual.as_ref(), #lit);)
                }
                Primitive::Document => {
                    let text = expected.to_string();
                    quote!(c.json(#path, #actual, #text);)
                }
            },
            ShapeKind::Enum(_) => {
                let s = self.str(expected, at)?;
                quote!(c.eq(#path, #actual.as_str(), #s);)
            }
            ShapeKind::List(elem) => {
                let items = expected
                    .as_array()
                    .ok_or_else(|| self.invalid(at, "expected a list"))?;
                let n = items.len();
                let mut out = vec![quote!(c.len(#path, #actual.len(), #n);)];
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{i}]");
                    let inner =
                        self.checks(elem, quote!(v), item, &item_path, &format!("{at}[{i}]"))?;
                    let get = if i == 0 {
                        quote!(first())
                    } else {
                        quote!(get(#i))
                    };
                    out.push(quote! {
                        if let ::std::option::Option::Some(v) = #actual.#get { #inner }
                    });
                }
                quote!(#(#out)*)
            }
            ShapeKind::Map(k, val) => {
                let obj = expected
                    .as_object()
                    .ok_or_else(|| self.invalid(at, "expected an object"))?;
                let n = obj.len();
                let mut out = vec![quote!(c.len(#path, #actual.len(), #n);)];
                for (key, item) in obj {
                    let item_path = format!("{path}.{key}");
                    let lookup = match &self.svc.shape(k).kind {
                        ShapeKind::Primitive(Primitive::String) => quote!(#key),
                        _ => {
                            let key_expr = self.value(k, &Value::String(key.clone()), at)?;
                            quote!(&#key_expr)
                        }
                    };
                    let inner =
                        self.checks(val, quote!(v), item, &item_path, &format!("{at}.{key}"))?;
                    out.push(quote! {
                        match #actual.get(#lookup) {
                            ::std::option::Option::Some(v) => { #inner }
                            ::std::option::Option::None => c.missing(#item_path),
                        }
                    });
                }
                quote!(#(#out)*)
            }
            ShapeKind::Structure(s) if s.union => {
                let (m, value) = self.union_member(target, expected, at)?;
                let accessor = self.union_accessor(target, &m.wire_name, at)?;
                let member_path = format!("{path}.{}", m.wire_name);
                let member_at = format!("{at}.{}", m.wire_name);
                let inner = self.checks(&m.target, quote!(v), value, &member_path, &member_at)?;
                quote! {
                    match #actual.#accessor() {
                        ::std::result::Result::Ok(v) => { #inner }
                        ::std::result::Result::Err(_) => c.missing(#member_path),
                    }
                }
            }
            ShapeKind::Structure(_) => {
                self.struct_checks(target, Role::Type, actual, expected, path, at)?
            }
        })
    }
}

/// The element names of map entries in the XML of structure `shape` and what it contains:
/// `entry` for a wrapped map, the member's element name for a flattened one (as botocore's
/// rest-xml serializer names them).
fn map_entry_names(
    svc: &Service,
    shape: &str,
    out: &mut BTreeSet<String>,
    seen: &mut BTreeSet<String>,
) {
    if !seen.insert(shape.to_string()) {
        return;
    }
    let s = svc.shape(shape);
    match &s.kind {
        ShapeKind::Structure(st) => {
            for m in &st.members {
                let target = svc.shape(&m.target);
                if let ShapeKind::Map(..) = target.kind {
                    if target.bindings.flattened || m.bindings.flattened {
                        out.insert(
                            m.bindings
                                .location_name
                                .clone()
                                .or_else(|| target.bindings.location_name.clone())
                                .unwrap_or_else(|| m.wire_name.clone()),
                        );
                    } else {
                        out.insert("entry".to_string());
                    }
                }
                map_entry_names(svc, &m.target, out, seen);
            }
        }
        ShapeKind::List(elem) => map_entry_names(svc, elem, out, seen),
        ShapeKind::Map(k, v) => {
            out.insert("entry".to_string());
            map_entry_names(svc, k, out, seen);
            map_entry_names(svc, v, out, seen);
        }
        _ => {}
    }
}

/// Decodes standard base64 (padding optional; whitespace ignored).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buf >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// Every case id of a vector file that the ignore list skips (for reports and tests).
pub fn ignored_ids(
    ignore: &Value,
    protocol: &str,
    direction: &str,
    doc: &Value,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for suite in doc.as_array().into_iter().flatten() {
        let description = suite["description"].as_str().unwrap_or_default();
        for case in suite["cases"].as_array().into_iter().flatten() {
            let id = case["id"].as_str().unwrap_or_default();
            if is_ignored(ignore, protocol, direction, description, id) {
                out.insert(id.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_known_values() {
        assert_eq!(base64_decode("Zm9v").as_deref(), Some(&b"foo"[..]));
        assert_eq!(base64_decode("v/8=").as_deref(), Some(&[0xbf, 0xff][..]));
        assert_eq!(
            base64_decode("YmluYXJ5LXZhbHVl").as_deref(),
            Some(&b"binary-value"[..])
        );
        assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
        assert!(base64_decode("**").is_none());
    }

    #[test]
    fn workspace_vectors_generate_deterministically() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .nth(2)
            .expect("workspace root");
        let target = workspace_target(root, true);
        let (a, summary) = generate_files(&target).expect("generates");
        let (b, _) = generate_files(&target).expect("generates");
        assert_eq!(a, b);
        assert_eq!(summary.suites, 323);
        // 162 awsJson 1.1 and CBOR cases, 21 + 32 awsJson 1.0, 7 query-compatible, 113
        // rest-json input and 91 rest-json output, 94 rest-xml input and 78 rest-xml output,
        // 38 query input, 38 query output, 29 ec2 input and 29 ec2 output.
        assert_eq!(summary.cases + summary.skipped, 732);
        assert_eq!(summary.skipped, 78);
        assert!(a.keys().any(|k| k.ends_with("/cases.rs")));
        let manifest = &a["Cargo.toml"];
        let features = features_table(manifest).expect("a [features] table");
        assert!(features.contains("\nblocking = "), "{features}");
    }

    #[test]
    fn ignore_list_rules_follow_botocore() {
        let ignore = serde_json::json!({
            "general": {"input": {"suites": ["Suite A"]}},
            "protocols": {"json": {"output": {"cases": ["C1"]}}}
        });
        assert!(is_ignored(&ignore, "json", "input", "Suite A", "X"));
        assert!(is_ignored(
            &ignore,
            "smithy-rpc-v2-cbor",
            "input",
            "Suite A",
            "X"
        ));
        assert!(!is_ignored(&ignore, "json", "output", "Suite A", "X"));
        assert!(is_ignored(&ignore, "json", "output", "Suite B", "C1"));
        assert!(!is_ignored(&ignore, "json", "input", "Suite B", "C1"));
        assert!(!is_ignored(
            &ignore,
            "smithy-rpc-v2-cbor",
            "output",
            "Suite B",
            "C1"
        ));
    }
}
