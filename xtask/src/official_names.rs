//! `cargo xtask official-names`: the names our generator gives against the official crates'.
//!
//! For each service of [`SERVICES`], the published source of the official `aws-sdk-*` crate
//! (pinned version, fetched by cargo into its registry cache through a scratch manifest under
//! `target/official-names/`) is parsed with syn: the types of `src/types` (structures with their
//! fields; string enums and unions with their variants), the operation modules of
//! `src/operation` and their `*Input`/`*Output` structures. The botocore model of the same
//! service (the pinned botocore wheel, as `cargo xtask corpus` fetches it) goes through our
//! generator's IR, which gives every name from its one name table. Names are paired by their
//! letters and digits, case and `_` ignored (`IpV6Address` with `ip_v6_address`): a pair
//! whose spellings differ is a casing difference; a name on one side only is a model
//! difference (the official Smithy model and botocore's JSON are not the same release).
//!
//! Written to `codegen/tests/data/official-names/`:
//! - `names.tsv`: every pair found on both sides, as `kind`, botocore name, official name
//!   (deduplicated over services). `codegen/tests/official_names.rs` checks our naming rules
//!   against it without network access.
//! - `unions.tsv`: the official enums that carry data (unions), with whether our IR makes the
//!   shape a union too (botocore's flag or `models/overrides.json`).
//! - `REPORT.md`: the match rates per service and every difference, names and field types
//!   (`Option` or not, getters, setters, `build()`: [`crate::official_types`]).
//! - `optionality.tsv`: the official crates' plain fields, and their `Option` fields of members
//!   botocore marks required; `codegen/tests/official_optionality.rs` checks our rule against it.
//!
//! And, read by the generator: `models/official-enum-variants.tsv` (variant names) and
//! `models/official-nullability.tsv` (member defaults and client-optional members).

use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// botocore folder, official crate, pinned version.
pub const SERVICES: &[(&str, &str, &str)] = &[
    ("directconnect", "aws-sdk-directconnect", "1.127.0"),
    ("s3", "aws-sdk-s3", "1.157.0"),
    ("ec2", "aws-sdk-ec2", "1.274.0"),
    ("iam", "aws-sdk-iam", "1.133.0"),
    ("dynamodb", "aws-sdk-dynamodb", "1.136.0"),
    ("cloudwatch", "aws-sdk-cloudwatch", "1.140.0"),
    ("lambda", "aws-sdk-lambda", "1.156.0"),
    ("rds", "aws-sdk-rds", "1.159.0"),
    ("sagemaker", "aws-sdk-sagemaker", "1.248.0"),
    ("glue", "aws-sdk-glue", "1.184.0"),
];

/// What kind of type a name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Struct,
    Enum,
    Union,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Enum => "enum",
            Kind::Union => "union",
        }
    }
}

/// A type of a crate: its kind and its field or variant names.
#[derive(Debug, Clone)]
struct TypeNames {
    name: String,
    kind: Kind,
    members: Vec<String>,
}

/// The names of one official crate.
#[derive(Debug, Default)]
struct Official {
    /// Types of `src/types` (errors included), by key.
    types: BTreeMap<String, TypeNames>,
    /// Operation modules, by key, with the fields of their input and output structures.
    operations: BTreeMap<String, (String, Vec<String>, Vec<String>)>,
}

/// One name of ours: the botocore name it comes from and the Rust name.
#[derive(Debug, Clone)]
struct Ours {
    wire: String,
    rust: String,
}

/// A pair or a one-sided name, for the report.
#[derive(Debug, Default)]
struct Tally {
    both: usize,
    exact: usize,
    only_official: usize,
    only_ours: usize,
}

impl Tally {
    fn rate(&self) -> String {
        if self.both == 0 {
            return "-".to_string();
        }
        format!("{:.2} %", 100.0 * self.exact as f64 / self.both as f64)
    }
}

/// The comparison of one service.
#[derive(Debug, Default)]
struct ServiceReport {
    types: Tally,
    fields: Tally,
    variants: Tally,
    operations: Tally,
    /// (kind, botocore, official, ours) where the spelling differs.
    differences: Vec<(String, String, String, String)>,
    /// Enum values whose official variant name is not the one our rules give (they are in
    /// `models/official-enum-variants.tsv`), of the values both sides have.
    variants_from_table: usize,
    /// Types whose kind differs: (official name, official kind, our kind, why).
    kind_differences: Vec<(String, Kind, Kind, &'static str)>,
}

/// Which count of a [`ServiceReport`] a pair goes to.
#[derive(Debug, Clone, Copy)]
enum Counter {
    Types,
    Fields,
    Variants,
    Operations,
}

impl ServiceReport {
    fn counter(&mut self, which: Counter) -> &mut Tally {
        match which {
            Counter::Types => &mut self.types,
            Counter::Fields => &mut self.fields,
            Counter::Variants => &mut self.variants,
            Counter::Operations => &mut self.operations,
        }
    }
}

/// The key names are paired by: letters and digits, lower case.
pub(crate) fn key(name: &str) -> String {
    name.trim_start_matches("r#")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Runs the comparison and writes the data files.
pub fn run(root: &Path) -> Result<()> {
    let sources = fetch_official(root)?;
    let corpus_dir = root.join("target/corpus");
    let models: BTreeMap<String, PathBuf> = crate::corpus::corpus_models(&corpus_dir)?
        .into_iter()
        .map(|e| (e.name, e.path))
        .collect();
    let mut pairs: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut unions: BTreeSet<(String, String, bool)> = BTreeSet::new();
    let mut variants: BTreeSet<(String, String, String, String)> = BTreeSet::new();
    let mut report = String::new();
    let mut summary = String::new();
    let mut types_summary = String::new();
    let mut defaults: BTreeSet<(String, String, String, String)> = BTreeSet::new();
    let mut optionality: BTreeSet<(String, String, String, &'static str)> = BTreeSet::new();
    for &(service, krate, version) in SERVICES {
        let model_path = models
            .get(service)
            .with_context(|| format!("botocore has no model `{service}`"))?;
        let official = parse_official(&sources[service])
            .with_context(|| format!("reading the source of {krate} {version}"))?;
        let result = compare(
            service,
            model_path,
            &official,
            &mut pairs,
            &mut unions,
            &mut variants,
        )?;
        let _ = writeln!(
            summary,
            "| {service} | {krate} {version} | {} ({}/{}) | {} ({}/{}) | {} ({}/{}) | {} ({}/{}) | {} |",
            result.types.rate(),
            result.types.exact,
            result.types.both,
            result.fields.rate(),
            result.fields.exact,
            result.fields.both,
            result.variants.rate(),
            result.variants.exact,
            result.variants.both,
            result.operations.rate(),
            result.operations.exact,
            result.operations.both,
            result.kind_differences.len(),
        );
        let types = compare_types(
            model_path,
            &sources[service],
            &mut defaults,
            &mut optionality,
        )
        .with_context(|| format!("comparing the field types of {krate} {version}"))?;
        let _ = writeln!(
            types_summary,
            "| {service} | {} | {} | {} | {} | {} |",
            types.optionality.rate(),
            types.field_types.rate(),
            types.getters.rate(),
            types.setters.rate(),
            types.builds.rate(),
        );
        let _ = writeln!(report, "\n## {service} ({krate} {version})\n");
        let _ = writeln!(
            report,
            "Names on one side only (model differences): types {} official / {} ours, fields {} / {}, variants {} / {}, operations {} / {}.\n",
            result.types.only_official,
            result.types.only_ours,
            result.fields.only_official,
            result.fields.only_ours,
            result.variants.only_official,
            result.variants.only_ours,
            result.operations.only_official,
            result.operations.only_ours,
        );
        let _ = writeln!(
            report,
            "Enum values whose official variant name is not `camel(value)` (botocore does not name its values; taken from the official crate into `models/official-enum-variants.tsv`): {} of {}.\n",
            result.variants_from_table, result.variants.both,
        );
        if result.differences.is_empty() && result.kind_differences.is_empty() {
            let _ = writeln!(report, "No difference.");
        }
        if !result.differences.is_empty() {
            let _ = writeln!(
                report,
                "| kind | botocore | official | ours |\n| --- | --- | --- | --- |"
            );
            for (kind, wire, official, ours) in &result.differences {
                let _ = writeln!(report, "| {kind} | `{wire}` | `{official}` | `{ours}` |");
            }
            let _ = writeln!(report);
        }
        if !result.kind_differences.is_empty() {
            let _ = writeln!(
                report,
                "| type | official | ours | why |\n| --- | --- | --- | --- |"
            );
            for (name, official, ours, why) in &result.kind_differences {
                let _ = writeln!(
                    report,
                    "| `{name}` | {} | {} | {why} |",
                    official.label(),
                    ours.label()
                );
            }
        }
        let _ = writeln!(report, "\n### Field types\n");
        report.push_str(&crate::official_types::markdown(&types));
        println!(
            "official-names {service}: types {}, fields {}, variants {}, operations {}, kinds differ {}; field optionality {}, getters {}",
            result.types.rate(),
            result.fields.rate(),
            result.variants.rate(),
            result.operations.rate(),
            result.kind_differences.len(),
            types.optionality.rate(),
            types.getters.rate(),
        );
    }
    let dir = root.join("codegen/tests/data/official-names");
    std::fs::create_dir_all(&dir)?;
    let crates: Vec<String> = SERVICES
        .iter()
        .map(|(_, krate, version)| format!("{krate} {version}"))
        .collect();
    let header = format!(
        "# Written by `cargo xtask official-names` from botocore {} and {}.\n",
        crate::corpus::BOTOCORE_VERSION,
        crates.join(", ")
    );
    let mut tsv = header.clone();
    tsv.push_str("# kind\tbotocore\tofficial\n");
    for (kind, wire, official) in &pairs {
        let _ = writeln!(tsv, "{kind}\t{wire}\t{official}");
    }
    std::fs::write(dir.join("names.tsv"), tsv)?;
    let mut tsv = header.clone();
    tsv.push_str("# service\tshape\tours a union too (botocore flag or models/overrides.json)\n");
    for (service, shape, marked) in &unions {
        let _ = writeln!(
            tsv,
            "{service}\t{shape}\t{}",
            if *marked { "yes" } else { "no" }
        );
    }
    std::fs::write(dir.join("unions.tsv"), tsv)?;
    let mut tsv = String::from(
        "# Official enum variant names where they are not the PascalCase of the value (see codegen/src/ir/names.rs).\n",
    );
    tsv.push_str(&header);
    tsv.push_str("# service id\tenum shape\tvalue\tvariant\n");
    for (service, shape, value, variant) in &variants {
        let _ = writeln!(tsv, "{service}\t{shape}\t{value}\t{variant}");
    }
    std::fs::write(root.join("models/official-enum-variants.tsv"), tsv)?;
    let mut tsv = String::from(
        "# How the official crates type members where botocore's `required` does not say it (see codegen/src/ir/nullability.rs).\n",
    );
    tsv.push_str(&header);
    tsv.push_str("# rule: `default` (a Smithy `@default`: a plain field, the type's zero value when unset), `default=<value>` (the same with that value), `optional` (required in botocore but an `Option` in the official crate: `@clientOptional`)\n");
    tsv.push_str("# service id\tstructure\tmember\trule\n");
    for (service, shape, member, value) in &defaults {
        let _ = writeln!(tsv, "{service}\t{shape}\t{member}\t{value}");
    }
    std::fs::write(root.join("models/official-nullability.tsv"), tsv)?;
    let mut tsv = header.clone();
    tsv.push_str("# The official crates' field types of structures other than inputs and errors: every plain (non-`Option`) field, and every `Option` field of a member botocore marks required. Checked by codegen/tests/official_optionality.rs.\n# service id\tstructure\tmember\tofficial field\n");
    for (service, shape, member, o) in &optionality {
        let _ = writeln!(tsv, "{service}\t{shape}\t{member}\t{o}");
    }
    std::fs::write(dir.join("optionality.tsv"), tsv)?;
    let text = format!(
        "# Our names against the official crates'\n\n{}\nRates: pairs spelled exactly as the official crate spells them, of the names both sides have \
         (paired by letters and digits). `kinds` counts types that are a union on one side and a \
         structure on the other.\n\n| service | official crate | types | fields | variants | operations | kinds |\n| --- | --- | --- | --- | --- | --- | --- |\n{summary}\n\
         Field types: for the structures and fields paired above, our whole generated crate and the official crate parsed with syn \
         (`xtask/src/official_types.rs`; paths reduced to their last segment). `optionality`: the public field is `Option<..>` on both sides or on neither; \
         `field types`: the whole type is the same; `getters`: `fn x(&self)`'s return type; `setters`: the builder's one-value setter's parameters; \
         `build()`: returns a `Result` on both sides or on neither.\n\n\
         | service | optionality | field types | getters | setters | `build()` |\n| --- | --- | --- | --- | --- | --- |\n{types_summary}{report}",
        header.trim_start_matches("# ")
    );
    std::fs::write(dir.join("REPORT.md"), text)?;
    println!(
        "official-names: wrote {} pairs to {}",
        pairs.len(),
        dir.display()
    );
    Ok(())
}

/// The field types of our crate for one botocore model against the official crate's (`src`);
/// adds the official defaults of the members both sides have to `defaults`.
fn compare_types(
    model_path: &Path,
    src: &Path,
    defaults: &mut BTreeSet<(String, String, String, String)>,
    optionality: &mut BTreeSet<(String, String, String, &'static str)>,
) -> Result<crate::official_types::TypesReport> {
    use crate::official_types::{CrateTypes, read_dir, read_source};
    let model = codegen::load_model(model_path)?;
    let ir = codegen::ir::resolve(&model, model_path, None)?;
    let files = codegen::emit::emit_crate(
        &ir,
        &codegen::emit::CrateOptions {
            crate_name: codegen::default_crate_name(&model),
            runtime_path: "../../runtime".to_string(),
            module_root: None,
        },
    )?;
    let mut ours = CrateTypes::new();
    for (path, text) in &files {
        if path.ends_with(".rs")
            && (path.starts_with("src/types") || path.starts_with("src/operation"))
        {
            read_source(text, path, &mut ours)?;
        }
    }
    let mut official = CrateTypes::new();
    read_dir(&src.join("types"), &mut official)?;
    read_dir(&src.join("operation"), &mut official)?;
    let (report, found, oracle) = crate::official_types::compare(&ir, &ours, &official);
    optionality.extend(
        oracle
            .into_iter()
            .map(|(shape, member, o)| (ir.meta.service_id.clone(), shape, member, o)),
    );
    defaults.extend(
        found
            .into_iter()
            .map(|(shape, member, value)| (ir.meta.service_id.clone(), shape, member, value)),
    );
    Ok(report)
}

/// Fetches the pinned official crates through a scratch manifest; returns each service's
/// `src` folder in cargo's registry cache.
fn fetch_official(root: &Path) -> Result<BTreeMap<&'static str, PathBuf>> {
    let scratch = root.join("target/official-names");
    std::fs::create_dir_all(scratch.join("src"))?;
    let mut manifest = String::from(
        "[package]\nname = \"official-names\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n",
    );
    for (_, krate, version) in SERVICES {
        let _ = writeln!(
            manifest,
            "{krate} = {{ version = \"={version}\", default-features = false }}"
        );
    }
    std::fs::write(scratch.join("Cargo.toml"), manifest)?;
    std::fs::write(scratch.join("src/lib.rs"), "")?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .arg("fetch")
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .status()
        .context("running cargo fetch")?;
    if !status.success() {
        bail!("cargo fetch of the official crates failed: {status}");
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let registry = cargo_home.join("registry/src");
    let mut out = BTreeMap::new();
    for &(service, krate, version) in SERVICES {
        let folder = format!("{krate}-{version}");
        let found = std::fs::read_dir(&registry)
            .with_context(|| format!("reading {}", registry.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join(&folder))
            .find(|p| p.join("src/lib.rs").exists())
            .with_context(|| format!("{folder} is not in {}", registry.display()))?;
        out.insert(service, found.join("src"));
    }
    Ok(out)
}

/// Reads the public names of an official crate's `src`.
fn parse_official(src: &Path) -> Result<Official> {
    let mut official = Official::default();
    for dir in [src.join("types"), src.join("types/error")] {
        if !dir.exists() {
            // A service without modelled errors (EC2) has no `types/error`.
            continue;
        }
        for file in rust_files(&dir)? {
            for ty in types_in(&file)? {
                official.types.insert(key(&ty.name), ty);
            }
        }
    }
    let operation_dir = src.join("operation");
    for entry in std::fs::read_dir(&operation_dir)
        .with_context(|| format!("reading {}", operation_dir.display()))?
    {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        let module = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let mut input = Vec::new();
        let mut output = Vec::new();
        for file in rust_files(&path)? {
            for ty in types_in(&file)? {
                if ty.name.ends_with("Input") && !ty.name.ends_with("InputBuilder") {
                    input = ty.members;
                } else if ty.name.ends_with("Output") && !ty.name.ends_with("OutputBuilder") {
                    output = ty.members;
                }
            }
        }
        official
            .operations
            .insert(key(&module), (module, input, output));
    }
    Ok(official)
}

/// The `.rs` files directly in a folder, sorted.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    Ok(files)
}

/// The public structures and enums of one file (builders left out).
fn types_in(file: &Path) -> Result<Vec<TypeNames>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let parsed = syn::parse_file(&text).with_context(|| format!("parsing {}", file.display()))?;
    let mut out = Vec::new();
    for item in parsed.items {
        match item {
            syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                let name = s.ident.to_string();
                if name.ends_with("Builder") {
                    continue;
                }
                let members = s
                    .fields
                    .iter()
                    .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
                    .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
                    .collect();
                out.push(TypeNames {
                    name,
                    kind: Kind::Struct,
                    members,
                });
            }
            syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
                let mut union = false;
                let mut members = Vec::new();
                for variant in &e.variants {
                    let name = variant.ident.to_string();
                    if name == "Unknown" {
                        // Unions have a unit `Unknown`, string enums `Unknown(UnknownVariantValue)`.
                        union |= matches!(variant.fields, syn::Fields::Unit);
                        continue;
                    }
                    union |= !matches!(variant.fields, syn::Fields::Unit);
                    members.push(name);
                }
                out.push(TypeNames {
                    name: e.ident.to_string(),
                    kind: if union { Kind::Union } else { Kind::Enum },
                    members,
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Our names for one botocore model, against the official ones.
fn compare(
    service: &str,
    model_path: &Path,
    official: &Official,
    pairs: &mut BTreeSet<(String, String, String)>,
    unions: &mut BTreeSet<(String, String, bool)>,
    variants: &mut BTreeSet<(String, String, String, String)>,
) -> Result<ServiceReport> {
    let model = codegen::load_model(model_path)?;
    let ir = codegen::ir::resolve(&model, model_path, None)?;
    let mut report = ServiceReport::default();
    let operation_shapes: BTreeSet<&str> = ir
        .operations
        .iter()
        .flat_map(|op| [op.input.as_deref(), op.output.as_deref()])
        .flatten()
        .collect();
    // Unions as the IR has them: botocore's flag, or the override table (`models/overrides.json`).
    let is_union = |wire: &str| {
        ir.shapes
            .get(wire)
            .is_some_and(|s| matches!(&s.kind, codegen::ir::ShapeKind::Structure(st) if st.union))
    };
    // Types.
    let mut ours_types: BTreeMap<String, (Ours, Kind, Vec<Ours>)> = BTreeMap::new();
    for (wire, names) in ir.names.shapes() {
        if operation_shapes.contains(wire) {
            continue;
        }
        let Some(shape) = ir.shapes.get(wire) else {
            continue;
        };
        let (kind, members) = match &shape.kind {
            codegen::ir::ShapeKind::Structure(_) if is_union(wire) => (
                Kind::Union,
                names
                    .union_variants
                    .iter()
                    .map(|v| Ours {
                        wire: v.wire_name.clone(),
                        rust: codegen::naming::unraw(&v.variant).to_string(),
                    })
                    .collect(),
            ),
            codegen::ir::ShapeKind::Structure(_) => (
                Kind::Struct,
                names
                    .members
                    .iter()
                    .map(|m| Ours {
                        wire: m.wire_name.clone(),
                        rust: codegen::naming::unraw(&m.field).to_string(),
                    })
                    .collect(),
            ),
            codegen::ir::ShapeKind::Enum(values) => (
                Kind::Enum,
                values
                    .iter()
                    .zip(&names.variants)
                    .map(|(v, n)| Ours {
                        wire: v.wire_value.clone(),
                        rust: n.variant.clone(),
                    })
                    .collect(),
            ),
            _ => continue,
        };
        let ours = Ours {
            wire: wire.to_string(),
            rust: names.type_name.clone(),
        };
        ours_types.insert(key(&ours.rust), (ours, kind, members));
    }
    for (k, official_type) in &official.types {
        if official_type.kind == Kind::Union {
            unions.insert((
                service.to_string(),
                ours_types
                    .get(k)
                    .map_or(official_type.name.clone(), |(o, _, _)| o.wire.clone()),
                ours_types.get(k).is_some_and(|(o, _, _)| is_union(&o.wire)),
            ));
        }
        let Some((ours, kind, members)) = ours_types.get(k) else {
            report.types.only_official += 1;
            continue;
        };
        tally(
            &mut report,
            "type",
            &ours.wire,
            &official_type.name,
            &ours.rust,
            pairs,
            Counter::Types,
        );
        if *kind != official_type.kind {
            let event_stream = model.shapes.get(&ours.wire).is_some_and(|s| s.eventstream);
            let why = if event_stream {
                "an input event stream: the runtime cannot send event streams yet (documented), so it stays a structure and its members fields"
            } else {
                "not explained: add it to models/overrides.json"
            };
            report.kind_differences.push((
                official_type.name.clone(),
                official_type.kind,
                *kind,
                why,
            ));
        }
        let member_kind = match official_type.kind {
            Kind::Struct => "field",
            Kind::Enum => "variant",
            Kind::Union => "union-variant",
        };
        compare_members(
            &mut report,
            member_kind,
            members,
            &official_type.members,
            pairs,
        );
        if official_type.kind == Kind::Enum && *kind == Kind::Enum {
            // The table of official variant names: values whose official name is not the one
            // our rules give.
            let values: Vec<String> = members.iter().map(|m| m.wire.clone()).collect();
            let by_rule = codegen::ir::names::enum_variant_names(&values, |_| None);
            let by_key: BTreeMap<String, (&String, &String)> = values
                .iter()
                .zip(&by_rule)
                .map(|(value, rule)| (key(rule), (value, rule)))
                .collect();
            for name in &official_type.members {
                if let Some((value, rule)) = by_key.get(&key(name))
                    && *rule != name
                {
                    report.variants_from_table += 1;
                    variants.insert((
                        ir.meta.service_id.clone(),
                        ours.wire.clone(),
                        (*value).clone(),
                        name.clone(),
                    ));
                }
            }
        }
    }
    report.types.only_ours += ours_types
        .keys()
        .filter(|k| !official.types.contains_key(*k))
        .count();
    // Operations, with the fields of their inputs and outputs.
    let mut ours_ops = BTreeMap::new();
    for op in &ir.operations {
        let names = ir.names.operation(op);
        ours_ops.insert(key(&names.module), (op, names));
    }
    for (k, (module, input, output)) in &official.operations {
        let Some((op, names)) = ours_ops.get(k) else {
            report.operations.only_official += 1;
            continue;
        };
        tally(
            &mut report,
            "operation",
            &op.wire_name,
            module,
            codegen::naming::unraw(&names.module),
            pairs,
            Counter::Operations,
        );
        for (shape, official_fields) in
            [(op.input.as_deref(), input), (op.output.as_deref(), output)]
        {
            let Some(shape) = shape else { continue };
            let members: Vec<Ours> = ir
                .names
                .shape(shape)
                .map(|n| {
                    n.members
                        .iter()
                        .map(|m| Ours {
                            wire: m.wire_name.clone(),
                            rust: codegen::naming::unraw(&m.field).to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            compare_members(&mut report, "field", &members, official_fields, pairs);
        }
    }
    report.operations.only_ours += ours_ops
        .keys()
        .filter(|k| !official.operations.contains_key(*k))
        .count();
    Ok(report)
}

/// Counts one pair and records it (and its difference, if any).
fn tally(
    report: &mut ServiceReport,
    kind: &str,
    wire: &str,
    official: &str,
    ours: &str,
    pairs: &mut BTreeSet<(String, String, String)>,
    which: Counter,
) {
    let counts = report.counter(which);
    counts.both += 1;
    if official == ours {
        counts.exact += 1;
    } else {
        report.differences.push((
            kind.to_string(),
            wire.to_string(),
            official.to_string(),
            ours.to_string(),
        ));
    }
    pairs.insert((kind.to_string(), wire.to_string(), official.to_string()));
}

/// Pairs the fields or variants of one type.
fn compare_members(
    report: &mut ServiceReport,
    kind: &str,
    ours: &[Ours],
    official: &[String],
    pairs: &mut BTreeSet<(String, String, String)>,
) {
    let ours_by_key: BTreeMap<String, &Ours> = ours.iter().map(|o| (key(&o.rust), o)).collect();
    let official_keys: BTreeSet<String> = official.iter().map(|o| key(o)).collect();
    let counter = if kind == "field" {
        Counter::Fields
    } else {
        Counter::Variants
    };
    for name in official {
        let name = name.trim_start_matches("r#");
        match ours_by_key.get(&key(name)) {
            Some(o) => tally(report, kind, &o.wire, name, &o.rust, pairs, counter),
            None => report.counter(counter).only_official += 1,
        }
    }
    report.counter(counter).only_ours += ours_by_key
        .keys()
        .filter(|k| !official_keys.contains(*k))
        .count();
}
