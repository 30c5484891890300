//! Generates Rust crates from botocore JSON service models.
//!
//! The pipeline has three stages with three types: [`model`] (serde structures mirroring the
//! botocore JSON), [`ir`] (resolved shapes by wire name, a typed protocol list, every member's
//! HTTP and XML bindings, and beside them the one table of Rust names, [`ir::names`], which
//! emitters read and never derive), and [`emit`] (`quote!` into `syn::File`, formatted with
//! prettyplease), followed by the one [`writer`].

pub mod docs;
pub mod emit;
pub mod error;
pub mod ir;
pub mod model;
pub mod naming;
pub mod waiters;
pub mod writer;

pub use error::{CodegenError, Result};

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The botocore `service-2.json` (or `.json.gz`).
    pub model: PathBuf,
    /// The output crate folder.
    pub out: PathBuf,
    /// Only these operations (and the shapes they reach); all when `None`.
    pub ops: Option<Vec<String>>,
    /// Compare only; fail when the output differs.
    pub check: bool,
    /// Package name; defaults to `aws-lite-<service>`.
    pub crate_name: Option<String>,
    /// Path from the output crate to the runtime crate.
    pub runtime_path: String,
}

/// What a run did, for the summary line.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Operations emitted.
    pub operations: usize,
    /// Shapes emitted.
    pub shapes: usize,
    /// Lines of generated Rust.
    pub rust_lines: usize,
    /// Writer report.
    pub report: writer::WriteReport,
    /// Time per stage: parse, resolve, emit (with formatting), write.
    pub stages: [(&'static str, Duration); 4],
    /// Whole run.
    pub total: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} operations, {} shapes, {} lines of Rust; {} files written, {} unchanged, {} removed; {} ms (",
            self.operations,
            self.shapes,
            self.rust_lines,
            self.report.written,
            self.report.unchanged,
            self.report.removed,
            self.total.as_millis()
        )?;
        for (i, (name, d)) in self.stages.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name} {:.1}", d.as_secs_f64() * 1000.0)?;
        }
        f.write_str(")")
    }
}

/// Reads a file, decompressing it when its name ends in `.gz`.
fn read_maybe_gz(path: &Path) -> Result<Vec<u8>> {
    let read_err = |source| CodegenError::ReadModel {
        path: path.to_path_buf(),
        source,
    };
    let raw = std::fs::read(path).map_err(read_err)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(read_err)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Reads `<stem>` or `<stem>.gz` beside a model file, if either exists.
fn read_sibling(model_path: &Path, stem: &str) -> Result<Option<(PathBuf, Vec<u8>)>> {
    let Some(dir) = model_path.parent() else {
        return Ok(None);
    };
    for name in [stem.to_string(), format!("{stem}.gz")] {
        let path = dir.join(name);
        if path.exists() {
            let bytes = read_maybe_gz(&path)?;
            return Ok(Some((path, bytes)));
        }
    }
    Ok(None)
}

/// Reads and parses a model file (`.gz` files are decompressed), with the paginators,
/// waiters and endpoint rule set beside it.
pub fn load_model(path: &Path) -> Result<model::Model> {
    let bytes = read_maybe_gz(path)?;
    let mut model = parse_model(path, &bytes)?;
    ir::overrides::add_errors(&mut model)?;
    model.paginators = load_paginators(path)?;
    model.waiters = load_waiters(path)?;
    model.endpoint_rule_set = load_endpoint_rule_set(path)?;
    Ok(model)
}

/// Reads `endpoint-rule-set-1.json` beside a model file, if there is one, and checks that it
/// is JSON; the runtime interprets it.
fn load_endpoint_rule_set(model_path: &Path) -> Result<Option<String>> {
    let Some((path, bytes)) = read_sibling(model_path, "endpoint-rule-set-1.json")? else {
        return Ok(None);
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| CodegenError::ParseModel {
            path,
            json_path: String::new(),
            message: e.to_string(),
        })?;
    // Re-serialized compactly: smaller in the generated source, same rules.
    Ok(Some(value.to_string()))
}

/// Reads `paginators-1.json` beside a model file, if there is one.
fn load_paginators(model_path: &Path) -> Result<BTreeMap<String, model::Paginator>> {
    let Some((path, bytes)) = read_sibling(model_path, "paginators-1.json")? else {
        return Ok(BTreeMap::new());
    };
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    let file: model::PaginatorsFile =
        serde_path_to_error::deserialize(de).map_err(|e| CodegenError::ParseModel {
            path,
            json_path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })?;
    Ok(file.pagination)
}

/// Reads `waiters-2.json` beside a model file, if there is one.
fn load_waiters(model_path: &Path) -> Result<BTreeMap<String, model::Waiter>> {
    let Some((path, bytes)) = read_sibling(model_path, "waiters-2.json")? else {
        return Ok(BTreeMap::new());
    };
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    let file: model::WaitersFile =
        serde_path_to_error::deserialize(de).map_err(|e| CodegenError::ParseModel {
            path,
            json_path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })?;
    Ok(file.waiters)
}

/// Parses model bytes; errors name the JSON path.
pub fn parse_model(path: &Path, bytes: &[u8]) -> Result<model::Model> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let json_path = e.path().to_string();
        CodegenError::ParseModel {
            path: path.to_path_buf(),
            json_path,
            message: e.into_inner().to_string(),
        }
    })
}

/// Default package name for a model: `aws-lite-<service id, lowercase, no spaces>`.
pub fn default_crate_name(model: &model::Model) -> String {
    let id = model
        .metadata
        .service_id
        .clone()
        .unwrap_or_else(|| model.metadata.endpoint_prefix.clone());
    let slug: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    format!("aws-lite-{slug}")
}

/// Generates the files of a crate in memory (relative path to content).
pub fn generate_files(
    model: &model::Model,
    model_path: &Path,
    ops: Option<&[String]>,
    crate_opts: &emit::CrateOptions,
) -> Result<(ir::Service, BTreeMap<String, String>)> {
    let svc = ir::resolve(model, model_path, ops)?;
    let files = emit::emit_crate(&svc, crate_opts)?;
    Ok((svc, files))
}

/// Runs the whole pipeline and writes (or checks) the output folder.
pub fn generate(opts: &Options) -> Result<Summary> {
    let start = Instant::now();
    let model = load_model(&opts.model)?;
    let t_parse = start.elapsed();
    let svc = ir::resolve(&model, &opts.model, opts.ops.as_deref())?;
    let t_resolve = start.elapsed();
    let crate_opts = emit::CrateOptions {
        crate_name: opts
            .crate_name
            .clone()
            .unwrap_or_else(|| default_crate_name(&model)),
        runtime_path: opts.runtime_path.clone(),
        module_root: None,
    };
    let files = emit::emit_crate(&svc, &crate_opts)?;
    let t_emit = start.elapsed();
    let mode = if opts.check {
        writer::Mode::Check
    } else {
        writer::Mode::Write
    };
    let report = writer::write_tree(&opts.out, &files, mode)?;
    let total = start.elapsed();
    let rust_lines = files
        .iter()
        .filter(|(p, _)| p.ends_with(".rs"))
        .map(|(_, c)| c.lines().count())
        .sum();
    Ok(Summary {
        operations: svc.operations.len(),
        shapes: svc.shapes.len(),
        rust_lines,
        report,
        stages: [
            ("parse", t_parse),
            ("resolve", t_resolve - t_parse),
            ("emit", t_emit - t_resolve),
            ("write", total - t_emit),
        ],
        total,
    })
}

/// Fixture models (one per generator feature) whose crates are checked in and compiled.
pub const FIXTURES: &[&str] = &[
    "blob_timestamp",
    "collections",
    "constraints",
    "documents_unions",
    "endpoint_params",
    "enums",
    "errors",
    "event_stream",
    "idempotency",
    "keywords",
    "name_collisions",
    "name_table",
    "nested_blob_timestamp",
    "paginators",
    "query_xml",
    "recursion",
    "streaming",
    "unsupported_protocol",
    "waiters",
];

/// The model of a fixture: `codegen/tests/fixtures/<name>.json`, or
/// `codegen/tests/fixtures/<name>/service-2.json` for a fixture with files beside its model
/// (`waiters-2.json`, ...).
pub fn fixture_model_path(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(format!("codegen/tests/fixtures/{name}"));
    if dir.is_dir() {
        dir.join("service-2.json")
    } else {
        root.join(format!("codegen/tests/fixtures/{name}.json"))
    }
}

/// Every crate checked in under `generated/`, with the model it comes from: the Direct
/// Connect crate, its `--ops DeleteVirtualInterface` subset, the DynamoDB table and item
/// operations (`--ops CreateTable,DeleteTable,DescribeTable,ListTables` with the table
/// waiters, and `BatchGetItem,BatchWriteItem,DeleteItem,GetItem,PutItem,Query,Scan,UpdateItem`
/// with `AttributeValue` a union from the override table), the `--ops` subsets of Lambda, IAM,
/// STS, SQS, S3, Route 53, SNS, EC2 and CloudWatch that the end-to-end tests call, the SSO (`GetRoleCredentials`) and
/// SSO OIDC (`CreateToken`) subsets the credentials chain calls, and one crate per fixture
/// model.
/// `cargo xtask codegen` regenerates them and the freshness test checks them.
pub fn workspace_targets(root: &Path, check: bool) -> Vec<Options> {
    let runtime = root.join("runtime");
    let target = |model: PathBuf,
                  out: PathBuf,
                  ops: Option<Vec<String>>,
                  crate_name: Option<String>| Options {
        runtime_path: relative_path(&out, &runtime),
        model,
        out,
        ops,
        check,
        crate_name,
    };
    let dx = root.join("models/directconnect/service-2.json");
    let mut targets = vec![
        target(dx.clone(), root.join("generated/directconnect"), None, None),
        target(
            dx,
            root.join("generated/directconnect-delete-virtual-interface"),
            Some(vec!["DeleteVirtualInterface".to_string()]),
            Some("aws-lite-directconnect-delete-virtual-interface".to_string()),
        ),
        // IAM and STS (query protocol): the operations the end-to-end tests call against moto.
        target(
            root.join("models/iam/service-2.json"),
            root.join("generated/iam"),
            Some(vec![
                "CreateAccessKey".to_string(),
                "CreateUser".to_string(),
                "DeleteUser".to_string(),
                "ListUsers".to_string(),
            ]),
            Some("aws-lite-iam".to_string()),
        ),
        target(
            root.join("models/sts/service-2.json"),
            root.join("generated/sts"),
            Some(vec![
                "AssumeRole".to_string(),
                "AssumeRoleWithWebIdentity".to_string(),
                "GetCallerIdentity".to_string(),
            ]),
            Some("aws-lite-sts".to_string()),
        ),
        target(
            root.join("models/dynamodb/service-2.json"),
            root.join("generated/dynamodb-tables"),
            Some(
                [
                    "BatchGetItem",
                    "BatchWriteItem",
                    "CreateTable",
                    "DeleteItem",
                    "DeleteTable",
                    "DescribeTable",
                    "GetItem",
                    "ListTables",
                    "PutItem",
                    "Query",
                    "Scan",
                    "UpdateItem",
                ]
                .map(String::from)
                .to_vec(),
            ),
            Some("aws-lite-dynamodb-tables".to_string()),
        ),
        // SQS (awsJson 1.0, query-compatible): the operations its end-to-end test calls.
        target(
            root.join("models/sqs/service-2.json"),
            root.join("generated/sqs"),
            Some(
                [
                    "CreateQueue",
                    "DeleteQueue",
                    "GetQueueUrl",
                    "ListQueues",
                    "ReceiveMessage",
                    "SendMessage",
                ]
                .map(String::from)
                .to_vec(),
            ),
            Some("aws-lite-sqs".to_string()),
        ),
        // SSO and SSO OIDC (rest-json, unsigned operations): what the default credentials
        // chain's SSO provider calls (config-loader).
        target(
            root.join("models/sso/service-2.json"),
            root.join("generated/sso"),
            Some(vec!["GetRoleCredentials".to_string()]),
            Some("aws-lite-sso".to_string()),
        ),
        target(
            root.join("models/sso-oidc/service-2.json"),
            root.join("generated/sso-oidc"),
            Some(vec!["CreateToken".to_string()]),
            Some("aws-lite-sso-oidc".to_string()),
        ),
    ];
    // Lambda (rest-json), the operations its end-to-end tests call (`InvokeWithResponseStream`:
    // an output event stream, tests/event_streams.rs).
    targets.push(target(
        root.join("models/lambda/service-2.json"),
        root.join("generated/lambda"),
        Some(
            [
                "CreateFunction",
                "DeleteFunction",
                "GetFunction",
                "InvokeWithResponseStream",
                "ListFunctions",
                "ListTags",
                "TagResource",
            ]
            .map(str::to_string)
            .to_vec(),
        ),
        Some("aws-lite-lambda".to_string()),
    ));
    // S3 and Route 53 (rest-xml), the operations their end-to-end tests call (S3's
    // `SelectObjectContent`: an output event stream; `UploadPart`: presigned in
    // e2e/tests/presigning.rs).
    targets.push(target(
        root.join("models/s3/service-2.json"),
        root.join("generated/s3"),
        Some(
            [
                "CopyObject",
                "CreateBucket",
                "DeleteBucket",
                "DeleteObject",
                "DeleteObjects",
                "GetBucketLocation",
                "GetObject",
                "HeadObject",
                "ListBuckets",
                "ListObjects",
                "ListObjectsV2",
                "PutObject",
                "SelectObjectContent",
                "UploadPart",
            ]
            .map(str::to_string)
            .to_vec(),
        ),
        Some("aws-lite-s3".to_string()),
    ));
    targets.push(target(
        root.join("models/route53/service-2.json"),
        root.join("generated/route53"),
        Some(
            [
                "ChangeResourceRecordSets",
                "CreateHostedZone",
                "DeleteHostedZone",
                "GetHostedZone",
                "ListHostedZones",
                "ListResourceRecordSets",
            ]
            .map(str::to_string)
            .to_vec(),
        ),
        Some("aws-lite-route53".to_string()),
    ));
    // SNS (query), EC2 (ec2, with the `InstanceTerminated` waiter and the other
    // DescribeInstances waiters) and CloudWatch (CBOR, json and query): the operations their
    // end-to-end tests call.
    targets.push(target(
        root.join("models/sns/service-2.json"),
        root.join("generated/sns"),
        Some(
            ["CreateTopic", "DeleteTopic", "ListTopics", "Publish"]
                .map(str::to_string)
                .to_vec(),
        ),
        Some("aws-lite-sns".to_string()),
    ));
    targets.push(target(
        root.join("models/ec2/service-2.json"),
        root.join("generated/ec2"),
        Some(
            [
                "CreateTags",
                "DescribeInstances",
                "RunInstances",
                "TerminateInstances",
            ]
            .map(str::to_string)
            .to_vec(),
        ),
        Some("aws-lite-ec2".to_string()),
    ));
    targets.push(target(
        root.join("models/cloudwatch/service-2.json"),
        root.join("generated/cloudwatch"),
        Some(
            ["GetMetricStatistics", "PutMetricData"]
                .map(str::to_string)
                .to_vec(),
        ),
        Some("aws-lite-cloudwatch".to_string()),
    ));
    // CloudWatch Logs (awsJson 1.1): the `StartLiveTail` event stream and the calls that
    // give it events, for its end-to-end test.
    targets.push(target(
        root.join("models/logs/service-2.json"),
        root.join("generated/logs"),
        Some(
            [
                "CreateLogGroup",
                "CreateLogStream",
                "DeleteLogGroup",
                "PutLogEvents",
                "StartLiveTail",
            ]
            .map(str::to_string)
            .to_vec(),
        ),
        Some("aws-lite-logs".to_string()),
    ));
    // Polly (rest-json): `SynthesizeSpeech`, which the official SDK presigns as a `GET`
    // (e2e/tests/presigning.rs).
    targets.push(target(
        root.join("models/polly/service-2.json"),
        root.join("generated/polly"),
        Some(vec!["SynthesizeSpeech".to_string()]),
        Some("aws-lite-polly".to_string()),
    ));
    for name in FIXTURES {
        targets.push(target(
            fixture_model_path(root, name),
            root.join(format!("generated/fixtures/{name}")),
            None,
            Some(format!("aws-lite-fixture-{}", name.replace('_', "-"))),
        ));
    }
    targets
}

/// Relative path from folder `from` to folder `to` (both absolute), with `/` separators.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> =
        std::iter::repeat_n("..".to_string(), from.len() - common).collect();
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}
