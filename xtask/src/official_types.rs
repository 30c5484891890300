//! The second half of `cargo xtask official-names`: the *types* of the fields both sides have.
//!
//! Ported code reads fields (`out.role`, `resp.count > 0`) and getters (`out.role()`), and calls
//! builders (`Role::builder().role_name(..).build()?`), so a field that is `Option<T>` on one
//! side and `T` on the other breaks it as surely as a misspelt name. For each service the whole
//! crate is generated in memory and parsed with syn, as the official crate's `src/types` and
//! `src/operation` are; structures are paired by type name and fields by name (the same keys
//! as the name comparison), and compared on:
//! - the public field's type (`Option<..>` or not, then the whole type, paths reduced to their
//!   last segment: `::std::option::Option<crate::types::Role>` is `Option<Role>`);
//! - the getter's return type (`fn role(&self) -> Option<&Role>`);
//! - the builder's one-value setter's parameters, and whether `build()` returns a `Result`.
//!
//! Every pair whose optionality differs is counted by kind (the member's botocore target and
//! whether botocore marks it required), so the report shows where the rules differ.
//!
//! The official crates also say what botocore's JSON does not carry: which members have a
//! Smithy `@default` (`build()` fills such a field with `self.x.unwrap_or_default()` or
//! `self.x.unwrap_or(value)`), and which required members are `@clientOptional` (an `Option`
//! though required). Those are written to `models/official-nullability.tsv`, which the
//! generator reads (`codegen/src/ir/nullability.rs`).

use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use syn::visit::Visit;

/// A structure of one crate, with what its impls and builder say about each field.
#[derive(Debug, Default, Clone)]
pub struct StructTypes {
    /// Public fields: name and normalised type.
    pub fields: Vec<(String, String)>,
    /// `pub fn x(&self) -> T`: name and normalised return type.
    pub getters: BTreeMap<String, String>,
    /// The builder's `pub fn x(mut self, ..) -> Self`: name and normalised parameter types.
    pub setters: BTreeMap<String, String>,
    /// The builder's `build()` return type, normalised (`Result<..>` when it can fail).
    pub build: Option<String>,
    /// Fields `build()` fills with a default when unset: name and `default` (the type's
    /// `Default`) or the value given to `unwrap_or`.
    pub defaults: BTreeMap<String, String>,
}

/// The structures of a crate, by type name.
pub type CrateTypes = BTreeMap<String, StructTypes>;

/// A type with every path reduced to its last segment, spaces removed.
pub fn normalise(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return String::new();
            };
            let mut out = last.ident.to_string();
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                let args: Vec<String> = args
                    .args
                    .iter()
                    .map(|a| match a {
                        syn::GenericArgument::Type(t) => normalise(t),
                        other => compact(other),
                    })
                    .collect();
                out.push('<');
                out.push_str(&args.join(","));
                out.push('>');
            }
            out
        }
        syn::Type::Reference(r) => {
            let m = if r.mutability.is_some() { "mut " } else { "" };
            format!("&{m}{}", normalise(&r.elem))
        }
        syn::Type::Slice(s) => format!("[{}]", normalise(&s.elem)),
        syn::Type::Paren(p) => normalise(&p.elem),
        syn::Type::ImplTrait(i) => {
            let bounds: Vec<String> = i
                .bounds
                .iter()
                .map(|b| match b {
                    syn::TypeParamBound::Trait(t) => {
                        let path = syn::Type::Path(syn::TypePath {
                            qself: None,
                            path: t.path.clone(),
                        });
                        normalise(&path)
                    }
                    other => compact(other),
                })
                .collect();
            format!("impl {}", bounds.join("+"))
        }
        other => compact(other),
    }
}

fn compact(t: &impl quote::ToTokens) -> String {
    t.to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether a normalised type is `Option<..>`.
pub fn is_option(ty: &str) -> bool {
    ty.starts_with("Option<")
}

/// Reads the structures, getters and builders of Rust source files into `out`.
pub fn read_source(text: &str, origin: &str, out: &mut CrateTypes) -> Result<()> {
    let file = syn::parse_file(text).with_context(|| format!("parsing {origin}"))?;
    let mut builders = CrateTypes::new();
    read_items(&file.items, out, &mut builders);
    // A builder `XBuilder` belongs to `X`.
    for (name, b) in builders {
        let Some(owner) = name.strip_suffix("Builder") else {
            continue;
        };
        let entry = out.entry(owner.to_string()).or_default();
        entry.setters.extend(b.setters);
        entry.defaults.extend(b.defaults);
        if b.build.is_some() {
            entry.build = b.build;
        }
    }
    Ok(())
}

fn read_items(items: &[syn::Item], out: &mut CrateTypes, builders: &mut CrateTypes) {
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    read_items(inner, out, builders);
                }
            }
            syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                let name = s.ident.to_string();
                if name.ends_with("Builder") {
                    builders.entry(name).or_default();
                    continue;
                }
                let fields = s
                    .fields
                    .iter()
                    .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
                    .filter_map(|f| {
                        let id = f.ident.as_ref()?.to_string();
                        Some((id.trim_start_matches("r#").to_string(), normalise(&f.ty)))
                    })
                    .collect();
                out.entry(name).or_default().fields = fields;
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let syn::Type::Path(p) = &*i.self_ty else {
                    continue;
                };
                let Some(last) = p.path.segments.last() else {
                    continue;
                };
                let name = last.ident.to_string();
                if name.ends_with("FluentBuilder") {
                    continue;
                }
                let builder = name.ends_with("Builder");
                for it in &i.items {
                    let syn::ImplItem::Fn(f) = it else { continue };
                    if !matches!(f.vis, syn::Visibility::Public(_)) {
                        continue;
                    }
                    let fname = f.sig.ident.to_string().trim_start_matches("r#").to_string();
                    let Some(syn::FnArg::Receiver(recv)) = f.sig.inputs.first() else {
                        continue;
                    };
                    let ret = match &f.sig.output {
                        syn::ReturnType::Default => "()".to_string(),
                        syn::ReturnType::Type(_, t) => normalise(t),
                    };
                    let params: Vec<String> = f
                        .sig
                        .inputs
                        .iter()
                        .skip(1)
                        .filter_map(|a| match a {
                            syn::FnArg::Typed(t) => Some(normalise(&t.ty)),
                            syn::FnArg::Receiver(_) => None,
                        })
                        .collect();
                    if builder {
                        let entry = builders.entry(name.clone()).or_default();
                        if fname == "build" {
                            entry.build = Some(ret);
                            let mut finder = DefaultFinder::default();
                            finder.visit_block(&f.block);
                            entry.defaults.extend(finder.found);
                        } else if recv.reference.is_none()
                            && ret == "Self"
                            && !fname.starts_with("set_")
                            && !params.is_empty()
                        {
                            entry.setters.insert(fname, params.join(","));
                        }
                    } else if recv.reference.is_some() && params.is_empty() {
                        out.entry(name.clone())
                            .or_default()
                            .getters
                            .insert(fname, ret);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Finds `self.x.unwrap_or_default()` and `self.x.unwrap_or(v)` in a `build()` body.
#[derive(Default)]
struct DefaultFinder {
    found: BTreeMap<String, String>,
}

impl<'ast> Visit<'ast> for DefaultFinder {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        if let syn::Expr::Field(field) = &*call.receiver
            && let syn::Expr::Path(base) = &*field.base
            && base.path.is_ident("self")
            && let syn::Member::Named(member) = &field.member
        {
            let name = member.to_string().trim_start_matches("r#").to_string();
            match method.as_str() {
                "unwrap_or_default" => {
                    self.found.insert(name, "default".to_string());
                }
                "unwrap_or" if call.args.len() == 1 => {
                    self.found.insert(name, compact(&call.args[0]));
                }
                _ => {}
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// Reads every `.rs` file under `dir` (recursively).
pub fn read_dir(dir: &Path, out: &mut CrateTypes) -> Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .with_context(|| format!("reading {}", d.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                read_source(&text, &path.display().to_string(), out)?;
            }
        }
    }
    Ok(())
}

/// Where a structure is used in our crate (its role decides optionality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Input,
    Output,
    Type,
    Exception,
}

impl Role {
    fn label(self) -> &'static str {
        match self {
            Role::Input => "input",
            Role::Output => "output",
            Role::Type => "type",
            Role::Exception => "error",
        }
    }
}

/// What a member targets, for the kinds of difference.
fn target_class(ir: &codegen::ir::Service, target: &str) -> &'static str {
    use codegen::ir::{Primitive, ShapeKind};
    match &ir.shape(target).kind {
        ShapeKind::Structure(s) if s.union => "union",
        ShapeKind::Structure(_) => "structure",
        ShapeKind::List(_) => "list",
        ShapeKind::Map(..) => "map",
        ShapeKind::Enum(_) => "enum",
        ShapeKind::Primitive(p) => match p {
            Primitive::String => "string",
            Primitive::Boolean => "boolean",
            Primitive::Integer | Primitive::Long => "integer",
            Primitive::Float | Primitive::Double => "float",
            Primitive::Timestamp => "timestamp",
            Primitive::Blob => "blob",
            Primitive::Document => "document",
        },
    }
}

/// Differences of one kind: how many, and up to three examples.
type Examples = (usize, Vec<String>);

/// Counts of one comparison (field types, getters, setters, builds).
#[derive(Debug, Default, Clone, Copy)]
pub struct Count {
    pub both: usize,
    pub same: usize,
}

impl Count {
    fn add(&mut self, same: bool) {
        self.both += 1;
        self.same += usize::from(same);
    }
    pub fn rate(&self) -> String {
        if self.both == 0 {
            return "-".to_string();
        }
        format!(
            "{:.2} % ({}/{})",
            100.0 * self.same as f64 / self.both as f64,
            self.same,
            self.both
        )
    }
}

/// The type comparison of one service.
#[derive(Debug, Default)]
pub struct TypesReport {
    /// Fields whose optionality (`Option` or not) is the same.
    pub optionality: Count,
    /// Fields whose whole type is the same.
    pub field_types: Count,
    pub getters: Count,
    pub setters: Count,
    /// `build()` fallible on both sides or on neither.
    pub builds: Count,
    /// Optionality differences by kind: (official Option?, role, target class, botocore
    /// required?) to count and up to three examples.
    pub kinds: BTreeMap<(bool, Role, &'static str, bool), Examples>,
    /// Other type differences (same optionality): (official, ours) to count and examples.
    pub other_types: BTreeMap<(String, String), Examples>,
    /// Getter and setter differences, as (what, official, ours) to count and examples.
    pub method_types: BTreeMap<(String, String, String), Examples>,
    /// Build fallibility differences: (official fallible, ours fallible, role) to count and
    /// examples.
    pub build_kinds: BTreeMap<(bool, bool, Role), Examples>,
}

fn note<K: Ord>(map: &mut BTreeMap<K, Examples>, key: K, example: String) {
    let e = map.entry(key).or_default();
    e.0 += 1;
    if e.1.len() < 3 {
        e.1.push(example);
    }
}

/// A member the official crate types otherwise than botocore's `required` says: (structure,
/// member, rule), the rule `default`, `default=<value>` or `optional`.
pub type Default3 = (String, String, String);

/// An official field's optionality: (structure, member, `plain` or `option`).
pub type Optionality = (String, String, &'static str);

/// Compares the structures of our crate (`ours`, generated from `ir`) with the official
/// crate's; returns the report, the official rules botocore does not carry (defaults,
/// client-optional members) and the optionality oracle, of the members both sides have.
pub fn compare(
    ir: &codegen::ir::Service,
    ours: &CrateTypes,
    official: &CrateTypes,
) -> (TypesReport, BTreeSet<Default3>, BTreeSet<Optionality>) {
    let key = crate::official_names::key;
    let mut report = TypesReport::default();
    let mut defaults = BTreeSet::new();
    let mut optionality = BTreeSet::new();
    // Our structures: type name to (wire shape, role).
    let mut roles: BTreeMap<String, (String, Role)> = BTreeMap::new();
    for op in &ir.operations {
        let names = ir.names.operation(op);
        roles.insert(names.input.clone(), (op.input_shape.clone(), Role::Input));
        roles.insert(
            names.output.clone(),
            (op.output_shape.clone(), Role::Output),
        );
    }
    for (wire, names) in ir.names.shapes() {
        let Some(shape) = ir.shapes.get(wire) else {
            continue;
        };
        let codegen::ir::ShapeKind::Structure(s) = &shape.kind else {
            continue;
        };
        if s.union {
            continue;
        }
        let role = if s.exception {
            Role::Exception
        } else {
            Role::Type
        };
        roles
            .entry(names.type_name.clone())
            .or_insert((wire.to_string(), role));
    }
    let official_by_key: BTreeMap<String, (&String, &StructTypes)> =
        official.iter().map(|(n, s)| (key(n), (n, s))).collect();
    for (name, (wire, role)) in &roles {
        let Some(ours_struct) = ours.get(name) else {
            continue;
        };
        let Some((official_name, official_struct)) = official_by_key.get(&key(name)) else {
            continue;
        };
        let codegen::ir::ShapeKind::Structure(structure) = &ir.shape(wire).kind else {
            continue;
        };
        let member_of = |field: &str| {
            let names = ir.names.shape(wire)?;
            let i = names
                .members
                .iter()
                .position(|m| key(&m.field) == key(field))?;
            structure.members.get(i)
        };
        let official_fields: BTreeMap<String, &(String, String)> = official_struct
            .fields
            .iter()
            .map(|f| (key(&f.0), f))
            .collect();
        let mut any_field = false;
        for (field, ours_ty) in &ours_struct.fields {
            let Some((official_field, official_ty)) = official_fields.get(&key(field)) else {
                continue;
            };
            let Some(member) = member_of(field) else {
                continue;
            };
            any_field = true;
            let class = target_class(ir, &member.target);
            let example = format!("`{official_name}.{official_field}`");
            let same_option = is_option(official_ty) == is_option(ours_ty);
            report.optionality.add(same_option);
            report.field_types.add(official_ty == ours_ty);
            if !same_option {
                note(
                    &mut report.kinds,
                    (is_option(official_ty), *role, class, member.required),
                    example.clone(),
                );
            } else if official_ty != ours_ty {
                note(
                    &mut report.other_types,
                    (official_ty.clone(), ours_ty.clone()),
                    example.clone(),
                );
            }
            if let (Some(o), Some(u)) = (
                official_struct.getters.get(official_field.as_str()),
                ours_struct.getters.get(field.as_str()),
            ) {
                report.getters.add(o == u);
                if o != u {
                    note(
                        &mut report.method_types,
                        ("getter".to_string(), o.clone(), u.clone()),
                        example.clone(),
                    );
                }
            }
            if let (Some(o), Some(u)) = (
                official_struct.setters.get(official_field.as_str()),
                ours_struct.setters.get(field.as_str()),
            ) {
                report.setters.add(o == u);
                if o != u {
                    note(
                        &mut report.method_types,
                        ("setter".to_string(), o.clone(), u.clone()),
                        example,
                    );
                }
            }
            // The oracle of `codegen/tests/official_optionality.rs`: every plain official
            // field, and every optional one botocore marks required.
            if matches!(role, Role::Type | Role::Output)
                && (!is_option(official_ty) || member.required)
            {
                optionality.insert((
                    wire.clone(),
                    member.wire_name.clone(),
                    if is_option(official_ty) {
                        "option"
                    } else {
                        "plain"
                    },
                ));
            }
            // What the official crate says that botocore's JSON does not, for the structures
            // whose members may be plain fields (inputs are all `Option`, as are errors here
            // and there).
            if matches!(role, Role::Type | Role::Output) {
                if let Some(value) = official_struct.defaults.get(official_field.as_str())
                    && !is_option(official_ty)
                {
                    let rule = if value == "default" {
                        "default".to_string()
                    } else {
                        format!("default={value}")
                    };
                    defaults.insert((wire.clone(), member.wire_name.clone(), rule));
                } else if member.required
                    && !matches!(class, "structure" | "union")
                    && is_option(official_ty)
                {
                    // `@clientOptional` (or not required in the official model).
                    defaults.insert((wire.clone(), member.wire_name.clone(), "optional".into()));
                }
            }
        }
        if any_field && let (Some(o), Some(u)) = (&official_struct.build, &ours_struct.build) {
            let (of, uf) = (o.starts_with("Result<"), u.starts_with("Result<"));
            report.builds.add(of == uf);
            if of != uf {
                note(
                    &mut report.build_kinds,
                    (of, uf, *role),
                    format!("`{official_name}`"),
                );
            }
        }
    }
    (report, defaults, optionality)
}

/// The Markdown of one service's type comparison.
pub fn markdown(report: &TypesReport) -> String {
    let mut out = String::new();
    if report.kinds.is_empty() {
        let _ = writeln!(out, "Field optionality: no difference.\n");
    } else {
        let _ = writeln!(
            out,
            "Field optionality differences:\n\n| official | ours | in | target | botocore required | count | examples |\n| --- | --- | --- | --- | --- | --- | --- |"
        );
        for ((official_option, role, class, required), (n, examples)) in &report.kinds {
            let (o, u) = if *official_option {
                ("`Option<T>`", "`T`")
            } else {
                ("`T`", "`Option<T>`")
            };
            let _ = writeln!(
                out,
                "| {o} | {u} | {} | {class} | {} | {n} | {} |",
                role.label(),
                if *required { "yes" } else { "no" },
                examples.join(", ")
            );
        }
        let _ = writeln!(out);
    }
    if !report.other_types.is_empty() {
        let _ = writeln!(
            out,
            "Other field type differences (same optionality):\n\n| official | ours | count | examples |\n| --- | --- | --- | --- |"
        );
        for ((o, u), (n, examples)) in &report.other_types {
            let _ = writeln!(out, "| `{o}` | `{u}` | {n} | {} |", examples.join(", "));
        }
        let _ = writeln!(out);
    }
    if !report.method_types.is_empty() {
        let _ = writeln!(
            out,
            "Getter and setter differences:\n\n| method | official | ours | count | examples |\n| --- | --- | --- | --- | --- |"
        );
        for ((what, o, u), (n, examples)) in &report.method_types {
            let _ = writeln!(
                out,
                "| {what} | `{o}` | `{u}` | {n} | {} |",
                examples.join(", ")
            );
        }
        let _ = writeln!(out);
    }
    if !report.build_kinds.is_empty() {
        let _ = writeln!(
            out,
            "`build()` differences:\n\n| official | ours | in | count | examples |\n| --- | --- | --- | --- | --- |"
        );
        for ((o, u, role), (n, examples)) in &report.build_kinds {
            let label = |f: bool| if f { "`Result<T, BuildError>`" } else { "`T`" };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {n} | {} |",
                label(*o),
                label(*u),
                role.label(),
                examples.join(", ")
            );
        }
        let _ = writeln!(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_getters_setters_and_defaults() {
        let src = r#"
            pub struct ScanOutput {
                pub items: ::std::option::Option<::std::vec::Vec<crate::types::Item>>,
                pub count: i32,
                _request_id: Option<String>,
            }
            impl ScanOutput {
                pub fn items(&self) -> &[crate::types::Item] { todo!() }
                pub fn count(&self) -> i32 { self.count }
            }
            pub mod builders {
                pub struct ScanOutputBuilder { pub(crate) count: Option<i32> }
                impl ScanOutputBuilder {
                    pub fn count(mut self, input: i32) -> Self { self }
                    pub fn set_count(mut self, input: Option<i32>) -> Self { self }
                    pub fn name(mut self, input: impl ::std::convert::Into<::std::string::String>) -> Self { self }
                    pub fn build(self) -> crate::operation::scan::ScanOutput {
                        crate::operation::scan::ScanOutput {
                            count: self.count.unwrap_or_default(),
                            other: self.other.unwrap_or(1),
                        }
                    }
                }
            }
        "#;
        let mut out = CrateTypes::new();
        read_source(src, "test", &mut out).unwrap();
        let s = &out["ScanOutput"];
        assert_eq!(
            s.fields,
            vec![
                ("items".to_string(), "Option<Vec<Item>>".to_string()),
                ("count".to_string(), "i32".to_string())
            ]
        );
        assert_eq!(s.getters["items"], "&[Item]");
        assert_eq!(s.getters["count"], "i32");
        assert_eq!(s.setters["count"], "i32");
        assert_eq!(s.setters["name"], "impl Into<String>");
        assert!(!s.setters.contains_key("set_count"));
        assert_eq!(s.build.as_deref(), Some("ScanOutput"));
        assert_eq!(s.defaults["count"], "default");
        assert_eq!(s.defaults["other"], "1");
    }
}
