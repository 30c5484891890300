//! The name table (`codegen::ir::names`): it gives exactly the names of the checked-in Direct
//! Connect crate (parsed with syn), and resolves collisions once, deterministically.

#[path = "support/common.rs"]
mod common;

use codegen::ir::Service;
use codegen::ir::names::Names;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a generated file declares: structs with their fields, enums with their variants,
/// and the methods of each type's impls (inline modules flattened).
#[derive(Default)]
struct Items {
    structs: BTreeMap<String, BTreeSet<String>>,
    enums: BTreeMap<String, BTreeSet<String>>,
    methods: BTreeMap<String, BTreeSet<String>>,
}

impl Items {
    fn parse(path: &Path) -> Items {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let mut items = Items::default();
        items.add(&file.items);
        items
    }

    fn add(&mut self, list: &[syn::Item]) {
        for item in list {
            match item {
                syn::Item::Struct(s) => {
                    let fields = s
                        .fields
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                        .collect();
                    self.structs.insert(s.ident.to_string(), fields);
                }
                syn::Item::Enum(e) => {
                    let variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
                    self.enums.insert(e.ident.to_string(), variants);
                }
                syn::Item::Impl(i) => {
                    let syn::Type::Path(ty) = &*i.self_ty else {
                        continue;
                    };
                    let name = ty.path.segments.last().unwrap().ident.to_string();
                    let methods = self.methods.entry(name).or_default();
                    for it in &i.items {
                        if let syn::ImplItem::Fn(f) = it {
                            methods.insert(f.sig.ident.to_string());
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.add(inner);
                    }
                }
                _ => {}
            }
        }
    }

    fn has_struct(&self, name: &str) -> &BTreeSet<String> {
        self.structs
            .get(name)
            .unwrap_or_else(|| panic!("no struct {name}"))
    }

    fn has_methods(&self, ty: &str, names: &[&str]) {
        let methods = self
            .methods
            .get(ty)
            .unwrap_or_else(|| panic!("no impl of {ty}"));
        for name in names {
            assert!(methods.contains(*name), "{ty} has no method {name}");
        }
    }
}

fn resolve(path: &Path) -> Service {
    let model = codegen::load_model(path).expect("model loads");
    codegen::ir::resolve(&model, path, None).expect("model resolves")
}

#[test]
fn the_table_gives_the_names_of_the_checked_in_direct_connect_crate() {
    let svc = resolve(&common::dx_model_path());
    let names = &svc.names;
    let krate = common::root().join("generated/directconnect");
    let client = Items::parse(&krate.join("src/client.rs"));
    let types = Items::parse(&krate.join("src/types/mod.rs"));
    let builders = Items::parse(&krate.join("src/types/builders.rs"));
    let errors = Items::parse(&krate.join("src/types/error.rs"));
    let mut checked = (0, 0, 0, 0);

    for op in &svc.operations {
        let n = names.operation(op);
        let file = Items::parse(&krate.join(&n.file));
        client.has_methods("Client", &[&n.client_method]);
        assert_eq!(n.module, n.client_method);
        let input = file.has_struct(&n.input);
        file.has_struct(&n.output);
        file.has_struct(&n.input_builder);
        file.has_struct(&n.output_builder);
        file.has_struct(&n.fluent_builder);
        assert!(file.enums.contains_key(&n.error), "{}", n.error);
        if let Some(p) = &n.paginator {
            file.has_struct(p);
        }
        if let Some(items) = &n.paginator_items {
            file.has_struct(items);
        }
        // The input's members: fields, and the setters and getters of both builders.
        let members = &names.shape(&op.input_shape).unwrap().members;
        for m in members {
            assert!(
                input.contains(&m.field),
                "{} has no field {}",
                n.input,
                m.field
            );
            for builder in [&n.input_builder, &n.fluent_builder] {
                file.has_methods(builder, &[&m.field, &m.setter, &m.getter]);
            }
        }
        // Each error's `is_*` helper on the operation's error enum.
        for err in &op.errors {
            let helper = names.shape(err).unwrap().is_helper.as_deref().unwrap();
            file.has_methods(&n.error, &[helper]);
            checked.3 += 1;
        }
        checked.0 += 1;
    }

    let operation_shapes = svc.operation_shapes();
    for (wire, n) in names.shapes() {
        let shape = svc.shape(wire);
        if operation_shapes.contains(wire) || svc.synthetic_shapes.contains_key(wire) {
            continue;
        }
        match &shape.kind {
            codegen::ir::ShapeKind::Structure(s) => {
                let (file, builders) = if s.exception {
                    (&errors, &errors)
                } else {
                    (&types, &builders)
                };
                let fields = file.has_struct(&n.type_name);
                let builder = n.builder.as_deref().unwrap();
                builders.has_struct(builder);
                for m in &n.members {
                    assert!(fields.contains(&m.field), "{wire}.{}", m.wire_name);
                    file.has_methods(&n.type_name, &[&m.field]);
                    builders.has_methods(builder, &[&m.field, &m.setter, &m.getter]);
                    checked.2 += 1;
                }
            }
            codegen::ir::ShapeKind::Enum(_) => {
                let variants = &types.enums[&n.type_name];
                for v in &n.variants {
                    assert!(variants.contains(&v.variant), "{wire}: {}", v.variant);
                }
                assert!(variants.contains("Unknown"));
            }
            _ => continue,
        }
        checked.1 += 1;
    }
    // The service-wide error has every helper too.
    let error = Items::parse(&krate.join("src/error.rs"));
    for (_, n) in names.shapes() {
        if let Some(helper) = &n.is_helper {
            error.has_methods("Error", &[helper]);
        }
    }
    // 73 operations; every structure and enum that is not an operation's input or output.
    assert_eq!(checked.0, 73);
    assert!(
        checked.1 > 40 && checked.2 > 200 && checked.3 > 140,
        "{checked:?}"
    );
    assert!(names.prelude_is_free());
}

/// Every namespace of the table holds each name once.
fn assert_unique(names: &Names) {
    let mut types = BTreeSet::new();
    let mut helpers = BTreeSet::new();
    for (wire, n) in names.shapes() {
        if !n.members.is_empty() || !n.variants.is_empty() || n.builder.is_some() {
            assert!(
                types.insert(n.type_name.clone()),
                "type {} twice ({wire})",
                n.type_name
            );
        }
        let mut methods = BTreeSet::new();
        for m in &n.members {
            for name in [&m.field, &m.setter, &m.getter] {
                let bare = name.trim_start_matches("r#").to_string();
                assert!(methods.insert(bare), "{wire}: method {name} twice");
            }
        }
        let variants: BTreeSet<&str> = n.variants.iter().map(|v| v.variant.as_str()).collect();
        assert_eq!(variants.len(), n.variants.len(), "{wire}: a variant twice");
        if let Some(h) = &n.is_helper {
            assert!(helpers.insert(h.clone()), "helper {h} twice");
        }
    }
    let mut per_op: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for n in names.operations() {
        for (space, name) in [
            ("module", n.module.as_str()),
            ("file", &n.file),
            ("stem", &n.type_stem),
            ("fluent", &n.fluent_builder),
        ] {
            assert!(
                per_op.entry(space).or_default().insert(name),
                "{space} {name} twice"
            );
        }
    }
}

fn resolve_json(json: &str) -> Service {
    let path = Path::new("collisions.json");
    let model = codegen::parse_model(path, json.as_bytes()).expect("parses");
    codegen::ir::resolve(&model, path, None).expect("resolves")
}

#[test]
fn collisions_are_resolved_once_and_deterministically() {
    let path = common::root().join("codegen/tests/fixtures/name_table.json");
    let svc = resolve(&path);
    let names = &svc.names;
    assert_unique(names);

    // Two errors whose names differ only in case: distinct types and `is_*` helpers. Wire
    // names sort upper case first, so `FOOFault` comes first.
    let upper = names.shape("FOOFault").unwrap();
    let lower = names.shape("FooFault").unwrap();
    assert_eq!(upper.type_name, "FooFault");
    assert_eq!(lower.type_name, "FooFault2");
    assert_eq!(upper.is_helper.as_deref(), Some("is_foo_fault"));
    assert_eq!(lower.is_helper.as_deref(), Some("is_foo_fault_2"));

    // `ARN` and `Arn` in one structure.
    let arn = names.member("GetThingRequest", "ARN").unwrap();
    let arn2 = names.member("GetThingRequest", "Arn").unwrap();
    assert_eq!(
        (arn.field.as_str(), arn.setter.as_str(), arn.getter.as_str()),
        ("arn", "set_arn", "get_arn")
    );
    assert_eq!(
        (
            arn2.field.as_str(),
            arn2.setter.as_str(),
            arn2.getter.as_str()
        ),
        ("arn_2", "set_arn_2", "get_arn_2")
    );
    // A member named like a setter of another, and one named like a builder method.
    assert_eq!(
        names.member("GetThingRequest", "setArn").unwrap().field,
        "set_arn_3"
    );
    assert_eq!(
        names.member("GetThingRequest", "build").unwrap().field,
        "build_value"
    );
    assert_eq!(
        names.member("GetThingRequest", "type").unwrap().setter,
        "set_type"
    );
    assert_eq!(
        names.member("GetThingRequest", "type").unwrap().field,
        "r#type"
    );

    // Two operations with the same snake-case name.
    let a = names.operation_by_name("GetThing").unwrap();
    let b = names.operation_by_name("Get_Thing").unwrap();
    assert_eq!(
        (a.module.as_str(), a.type_stem.as_str()),
        ("get_thing", "GetThing")
    );
    assert_eq!(
        (b.module.as_str(), b.type_stem.as_str()),
        ("get_thing_2", "GetThing2")
    );
    assert_eq!(b.file, "src/operation/get_thing_2.rs");
    assert_eq!(b.fluent_builder, "GetThing2FluentBuilder");
    assert_eq!(b.input, "GetThing2Input");
    assert_eq!(b.error, "GetThing2Error");
    // An operation named like a `Client` method.
    let config = names.operation_by_name("Config").unwrap();
    assert_eq!(config.client_method, "config_operation");
    assert_eq!(config.input_builder, "ConfigInputBuilder");

    // A shape named like a prelude type keeps its name; the crate then spells the prelude
    // by full paths.
    assert_eq!(names.shape("Option").unwrap().type_name, "Option");
    assert!(!names.prelude_is_free());
    // An error named `Unhandled`; an enum with a modelled `unknown`.
    assert_eq!(
        names.shape("Unhandled").unwrap().type_name,
        "UnhandledException"
    );
    assert_eq!(
        names.shape("Unhandled").unwrap().is_helper.as_deref(),
        Some("is_unhandled")
    );
    let variants: Vec<&str> = names
        .shape("State")
        .unwrap()
        .variants
        .iter()
        .map(|v| v.variant.as_str())
        .collect();
    assert_eq!(variants, ["UnknownValue", "Ok", "Ok2"]);

    // The same model gives the same table.
    let again = resolve(&path);
    assert_eq!(format!("{:?}", again.names), format!("{names:?}"));
}

#[test]
fn synthetic_shapes_are_in_the_table() {
    let svc = resolve_json(
        r#"{"metadata": {"apiVersion": "1", "endpointPrefix": "b", "protocol": "json"},
            "operations": {"Ping": {"name": "Ping"}}, "shapes": {}}"#,
    );
    let op = &svc.operations[0];
    let input = svc.names.shape(&op.input_shape).unwrap();
    assert_eq!(input.type_name, "PingInput");
    assert!(input.members.is_empty());
    assert_eq!(svc.names.operation(op).input, "PingInput");
    assert!(svc.names.prelude_is_free());
}
