//! The one table of Rust names (the symbol provider): every name the generated crate gives a
//! shape, member, enum variant, operation or error helper, decided once, here.
//!
//! Every name is made by [`crate::naming`] (heck casing, then the keyword table) and then
//! made unique by the rules below, in a fixed order, so the same model always gives the
//! same names. [`resolve`](super::resolve) builds the table once ([`Names::build`]); the IR
//! keeps only wire names, and emitters and the protocol-test generator read every Rust name
//! here (`Service::names`).
//!
//! # Collision rules
//!
//! - **Shape types** ([`shape_type_names`]): `camel(wire name)`, shapes taken in wire-name
//!   order. An error shape whose name would be `Unhandled` becomes `UnhandledException` (error
//!   enums have an `Unhandled` variant of their own). A name already taken gets the first free
//!   suffix `2`, `3`, ...: `FooBar`, `Foo_bar` and `foo_bar` become `FooBar`, `FooBar2`,
//!   `FooBar3` (wire names sort upper case first). Names of the prelude (`Option`, `Result`,
//!   ...) are kept: the crate then spells prelude items by their full paths
//!   ([`Names::prelude_is_free`]).
//! - **Members** ([`member_names`]): `snake(wire name)` in model order. A name that is one of
//!   the methods every structure or builder has (`build`, `builder`, `meta`, `send`, `new`,
//!   ... [`RESERVED_MEMBER_NAMES`]) gets `_value`. A member also has a setter `set_<name>`
//!   and a getter `get_<name>`; when its name or either method clashes with an earlier
//!   member's name or methods (`ARN` beside `Arn`, `foo` beside `setFoo`), it takes the first
//!   free `<name>_2`, `<name>_3`, ...
//! - **Enum variants** ([`enum_variant_names`]): the official crate's name where the table of
//!   [`official_enum_variants`] has one, else `camel(value)`, in model order; `Unknown` is the
//!   catch-all variant for values the model does not know, so a modelled `unknown` becomes
//!   `UnknownValue`; a name already taken gets the suffix `2`, `3`, ...
//! - **Union variants** ([`union_variant_names`]): variant `camel(member name)` and methods
//!   `as_<snake(member name)>`, `is_<snake(member name)>`, members in model order. `Unknown` is
//!   the variant for members the model does not know, so a member named `Unknown` becomes
//!   `UnknownValue` (methods `as_unknown_value`, `is_unknown_value`: `is_unknown` is taken); a
//!   variant or method already taken gets the suffix `2`/`_2`, `3`/`_3`, ...
//! - **Operations** ([`operation_names`]): method and module `snake(wire name)`, type
//!   stem `camel(wire name)`, operations taken in wire-name order. A method that would replace
//!   a `Client` method (`config`, `from_conf`, `new`, `with_mode`) gets `_operation`; a method
//!   already taken gets `_2`, `_3`, ... (`GetThing`, `Get_Thing`: `get_thing`, `get_thing_2`);
//!   a type stem already taken gets `2`, `3`, ... (`GetThing`, `GetThing2`). Every other name
//!   of the operation derives from these two, with fixed suffixes (`<Stem>Input`,
//!   `<Stem>FluentBuilder`, ...), and so is unique too: each operation has its own module.
//! - **Error helpers** (`is_*`, in [`Names::build`]): `is_<snake(wire name)>` for every
//!   exception and every shape an operation lists as an error, taken in wire-name order; a
//!   name already taken (`FooFault` and `FOOFault`) gets `_2`, `_3`, ... Unique across the
//!   crate, so unique in every error enum.

use super::{Operation, Shape, ShapeKind};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// Member names that would collide with methods generated on every structure or builder.
pub const RESERVED_MEMBER_NAMES: &[&str] = &[
    "builder",
    "build",
    "meta",
    "send",
    "customize",
    "config",
    "as_input",
    // `Builder::default()` is how `builder()` makes a builder.
    "default",
    // Fluent builders also have these.
    "new",
    "with_mode",
    "into_paginator",
    "from_input",
];

/// Client methods that an operation's method must not replace.
pub const RESERVED_OPERATION_NAMES: &[&str] = &["config", "from_conf", "new", "with_mode"];

/// Prelude names that generated code uses, and that a type of the crate would shadow.
pub const PRELUDE_NAMES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Into", "Default",
];

/// The Rust type name of every shape in `wire_names`; `is_error` tells which are errors.
pub fn shape_type_names<'a>(
    wire_names: impl IntoIterator<Item = &'a String>,
    is_error: impl Fn(&str) -> bool,
) -> BTreeMap<String, String> {
    let mut sorted: Vec<&String> = wire_names.into_iter().collect();
    sorted.sort();
    let mut names = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for wire in sorted {
        let mut rust = naming::camel(wire);
        if rust == "Unhandled" && is_error(wire) {
            rust = "UnhandledException".to_string();
        }
        let base = rust.clone();
        let mut n = 2;
        while taken.contains(&rust) {
            rust = format!("{base}{n}");
            n += 1;
        }
        taken.insert(rust.clone());
        names.insert(wire.clone(), rust);
    }
    names
}

/// The names of a structure's members (field, setter, getter), given in model order.
pub fn member_names<'a>(wire_names: impl IntoIterator<Item = &'a str>) -> Vec<MemberNames> {
    let mut out = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    // None of a member's three names may clash with another member's (`foo` beside `setFoo`).
    let clashes = |m: &MemberNames, used: &BTreeSet<String>| {
        [naming::unraw(&m.field), &m.setter, &m.getter]
            .iter()
            .any(|name| used.contains(*name))
    };
    for wire in wire_names {
        let mut field = naming::snake(wire);
        if RESERVED_MEMBER_NAMES.contains(&naming::unraw(&field)) {
            field = format!("{}_value", naming::unraw(&field));
        }
        let base = naming::unraw(&field).to_string();
        let mut names = MemberNames::new(wire, field);
        let mut n = 2;
        while clashes(&names, &used) {
            names = MemberNames::new(wire, naming::escape_keyword(format!("{base}_{n}")));
            n += 1;
        }
        used.insert(naming::unraw(&names.field).to_string());
        used.insert(names.setter.clone());
        used.insert(names.getter.clone());
        out.push(names);
    }
    out
}

/// The official crates' variant names where they are not `camel(value)`: botocore's JSON has
/// only the values, the official Smithy models also name each one (`nodejs20.x` is
/// `Nodejs20x`, `ml.g5.12xlarge` is `MlG512Xlarge`). One line per value: service id, enum
/// shape, value, variant; written by `cargo xtask official-names` from the official crates it
/// compares (see `models/README.md`).
const OFFICIAL_ENUM_VARIANTS: &str = include_str!("../../../models/official-enum-variants.tsv");

/// The official variant names of one service's enums, by (enum shape, value).
pub fn official_enum_variants(service_id: &str) -> BTreeMap<(String, String), String> {
    OFFICIAL_ENUM_VARIANTS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (service, shape, value, variant) = (
                fields.next()?,
                fields.next()?,
                fields.next()?,
                fields.next()?,
            );
            (service == service_id)
                .then(|| ((shape.to_string(), value.to_string()), variant.to_string()))
        })
        .collect()
}

/// The variant names of an enum's values, given in model order; `official` gives the official
/// crate's name of a value where the table above has one.
pub fn enum_variant_names(
    values: &[String],
    official: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut used = BTreeSet::new();
    for value in values {
        let mut rust = official(value).unwrap_or_else(|| naming::camel(value));
        // `Unknown` is the catch-all variant for values the model does not know.
        if rust == "Unknown" {
            rust = "UnknownValue".to_string();
        }
        let base = rust.clone();
        let mut n = 2;
        while used.contains(&rust) || rust == "Unknown" {
            rust = format!("{base}{n}");
            n += 1;
        }
        used.insert(rust.clone());
        out.push(rust);
    }
    out
}

/// The variant and accessor names of a union's members, given in model order.
pub fn union_variant_names<'a>(
    wire_names: impl IntoIterator<Item = &'a str>,
) -> Vec<UnionVariantNames> {
    let mut out = Vec::new();
    let mut variants = BTreeSet::from(["Unknown".to_string()]);
    let mut methods = BTreeSet::from(["is_unknown".to_string()]);
    for wire in wire_names {
        let mut variant = naming::unraw(&naming::camel(wire)).to_string();
        let mut stem = naming::unraw(&naming::snake(wire)).to_string();
        if variant == "Unknown" {
            variant = "UnknownValue".to_string();
            stem = "unknown_value".to_string();
        }
        let base = variant.clone();
        let mut n = 2;
        while variants.contains(&variant) {
            variant = format!("{base}{n}");
            n += 1;
        }
        let base = stem.clone();
        let mut n = 2;
        while methods.contains(&format!("as_{stem}")) || methods.contains(&format!("is_{stem}")) {
            stem = format!("{base}_{n}");
            n += 1;
        }
        variants.insert(variant.clone());
        let names = UnionVariantNames {
            wire_name: wire.to_string(),
            as_method: format!("as_{stem}"),
            is_method: format!("is_{stem}"),
            variant,
        };
        methods.insert(names.as_method.clone());
        methods.insert(names.is_method.clone());
        out.push(names);
    }
    out
}

/// The client method (also the module) and the type stem of every operation, by wire name:
/// `snake(wire name)` and `camel(wire name)`, made unique after case conversion (`GetFoo` and
/// `Get_Foo`), so that no operation method replaces a `Client` method (`config`). Operations
/// are taken in wire-name order.
pub fn operation_names<'a>(
    wire_names: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, (String, String)> {
    let mut sorted: Vec<&str> = wire_names.into_iter().collect();
    sorted.sort_unstable();
    let mut methods: BTreeSet<String> = RESERVED_OPERATION_NAMES
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut types: BTreeSet<String> = BTreeSet::new();
    let mut names = BTreeMap::new();
    for wire in sorted {
        let mut method = naming::snake(wire);
        let base = naming::unraw(&method).to_string();
        if RESERVED_OPERATION_NAMES.contains(&base.as_str()) {
            method = format!("{base}_operation");
        }
        let mut n = 2;
        while methods.contains(naming::unraw(&method)) {
            method = naming::escape_keyword(format!("{base}_{n}"));
            n += 1;
        }
        methods.insert(naming::unraw(&method).to_string());
        let mut stem = naming::camel(wire);
        let base = naming::unraw(&stem).to_string();
        let mut n = 2;
        while types.contains(naming::unraw(&stem)) {
            stem = format!("{base}{n}");
            n += 1;
        }
        types.insert(naming::unraw(&stem).to_string());
        names.insert(wire.to_string(), (method, stem));
    }
    names
}

/// Every Rust name of a resolved service. Names are in source form (`r#type`): turn one into
/// an identifier with [`naming::ident`], strip `r#` with [`naming::unraw`] for text.
#[derive(Debug, Clone, Default)]
pub struct Names {
    shapes: BTreeMap<String, ShapeNames>,
    operations: BTreeMap<String, OperationNames>,
    waiters: BTreeMap<String, WaiterNames>,
    prelude_is_free: bool,
}

/// The names of one waiter: its module `crate::waiters::<module>` holds every type named here.
///
/// Rules: module `snake(name)`, method `wait_until_<module>`, type stem `camel(name)`,
/// waiters taken in name order; a module or stem already taken gets `_2`/`2`, `_3`/`3`, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterNames {
    /// Name in `waiters-2.json`.
    pub wire_name: String,
    /// The module (`table_exists`).
    pub module: String,
    /// The method of the `Waiters` trait (`wait_until_table_exists`).
    pub method: String,
    /// `<Stem>FluentBuilder`.
    pub fluent_builder: String,
    /// `<Stem>FinalPoll`, the success type.
    pub final_poll: String,
    /// `WaitUntil<Stem>Error`, the error type.
    pub error: String,
}

/// The names of one shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeNames {
    /// The type (`VirtualInterface`); for lists, maps and scalars, which become standard
    /// types, the name the type would have.
    pub type_name: String,
    /// The builder type of a structure (`VirtualInterfaceBuilder`), in `types::builders` or
    /// `types::error::builders`; `None` for other shapes and for unions (built by their
    /// variants).
    pub builder: Option<String>,
    /// The members of a structure, in model order.
    pub members: Vec<MemberNames>,
    /// The variants of an enum, in model order.
    pub variants: Vec<VariantNames>,
    /// The variants of a union, in model order (its members also have [`MemberNames`]).
    pub union_variants: Vec<UnionVariantNames>,
    /// `is_<name>` on every error enum that has this error; `None` for shapes that are not
    /// errors.
    pub is_helper: Option<String>,
    /// The error enum of an output event stream (`<Type>Error`, in `types::error`); `None`
    /// for other shapes.
    pub event_stream_error: Option<String>,
}

/// The names of one structure member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberNames {
    /// Name on the wire.
    pub wire_name: String,
    /// The field, the getter on the structure and the setter on builders
    /// (`virtual_interface_id`, possibly `r#type`).
    pub field: String,
    /// `set_<field>`, taking an `Option`, on builders and fluent builders.
    pub setter: String,
    /// `get_<field>` on builders and fluent builders.
    pub getter: String,
}

impl MemberNames {
    /// A member named `field`, with its setter and getter.
    fn new(wire_name: &str, field: String) -> Self {
        let bare = naming::unraw(&field);
        MemberNames {
            wire_name: wire_name.to_string(),
            setter: format!("set_{bare}"),
            getter: format!("get_{bare}"),
            field,
        }
    }
}

/// The names of one member of a union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariantNames {
    /// The member's name on the wire.
    pub wire_name: String,
    /// The variant (`PromQlCriteria`).
    pub variant: String,
    /// `as_<member>`, returning `Result<&T, &Self>`.
    pub as_method: String,
    /// `is_<member>`.
    pub is_method: String,
}

/// The name of one enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantNames {
    /// The value on the wire.
    pub wire_value: String,
    /// The variant (`UnknownValue` for a modelled `unknown`).
    pub variant: String,
}

/// The names of one operation: its module `crate::operation::<module>` holds every type named
/// here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNames {
    /// Name on the wire.
    pub wire_name: String,
    /// The module (`delete_virtual_interface`).
    pub module: String,
    /// The `Client` method (the module's name).
    pub client_method: String,
    /// The file, relative to the crate (`src/operation/delete_virtual_interface.rs`).
    pub file: String,
    /// The stem of the type names (`DeleteVirtualInterface`).
    pub type_stem: String,
    /// `<Stem>Input`.
    pub input: String,
    /// `<Stem>Output`.
    pub output: String,
    /// `<Stem>Error`.
    pub error: String,
    /// `<Stem>InputBuilder` (in the module's `builders`).
    pub input_builder: String,
    /// `<Stem>OutputBuilder` (in the module's `builders`).
    pub output_builder: String,
    /// `<Stem>FluentBuilder` (in the module's `builders`), what the client method returns.
    pub fluent_builder: String,
    /// `<Stem>Paginator` (in the module's `paginator`), when the operation has one.
    pub paginator: Option<String>,
    /// `<Stem>PaginatorItems`, when the operation has a paginator with items.
    pub paginator_items: Option<String>,
}

impl Names {
    /// Names the model shapes and operations of a service, by the rules above. The
    /// synthetic input and output structures are named after their operations
    /// (`Names::add_synthetic`, when `resolve` makes them).
    /// `official_variants` holds the official enum variant names of the service
    /// ([`official_enum_variants`]).
    pub fn build(
        shapes: &BTreeMap<String, Shape>,
        operations: &[Operation],
        official_variants: &BTreeMap<(String, String), String>,
    ) -> Names {
        let error_shapes: BTreeSet<&str> = shapes
            .values()
            .filter(|s| matches!(&s.kind, ShapeKind::Structure(st) if st.exception))
            .map(|s| s.wire_name.as_str())
            .chain(
                operations
                    .iter()
                    .flat_map(|op| op.errors.iter().map(String::as_str)),
            )
            .collect();
        let type_names = shape_type_names(shapes.keys(), |wire| error_shapes.contains(wire));
        // Structures and enums become types of that name; the other types of the crate have
        // fixed names or a suffix (`..Input`, `..Builder`), and scalars, lists and maps become
        // standard types.
        let prelude_is_free = shapes.iter().all(|(wire, shape)| {
            !matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Enum(_))
                || !PRELUDE_NAMES.contains(&naming::unraw(&type_names[wire]))
        });
        let mut helpers = BTreeMap::new();
        let mut taken = BTreeSet::new();
        for wire in &error_shapes {
            let base = format!("is_{}", naming::unraw(&naming::snake(wire)));
            let mut helper = base.clone();
            let mut n = 2;
            while taken.contains(&helper) {
                helper = format!("{base}_{n}");
                n += 1;
            }
            taken.insert(helper.clone());
            helpers.insert(*wire, helper);
        }
        let shapes: BTreeMap<String, ShapeNames> = shapes
            .iter()
            .map(|(wire, shape)| {
                let type_name = type_names[wire].clone();
                let mut union_variants = Vec::new();
                let (builder, members, variants) = match &shape.kind {
                    ShapeKind::Structure(s) if s.union => {
                        union_variants =
                            union_variant_names(s.members.iter().map(|m| m.wire_name.as_str()));
                        let members = member_names(s.members.iter().map(|m| m.wire_name.as_str()));
                        (None, members, Vec::new())
                    }
                    ShapeKind::Structure(s) => {
                        let members = member_names(s.members.iter().map(|m| m.wire_name.as_str()));
                        (
                            Some(format!("{}Builder", naming::unraw(&type_name))),
                            members,
                            Vec::new(),
                        )
                    }
                    ShapeKind::Enum(vs) => {
                        let values: Vec<String> = vs.iter().map(|v| v.wire_value.clone()).collect();
                        let variants = values
                            .iter()
                            .zip(enum_variant_names(&values, |value| {
                                official_variants
                                    .get(&(wire.clone(), value.to_string()))
                                    .cloned()
                            }))
                            .map(|(value, variant)| VariantNames {
                                wire_value: value.clone(),
                                variant,
                            })
                            .collect();
                        (None, Vec::new(), variants)
                    }
                    _ => (None, Vec::new(), Vec::new()),
                };
                let event_stream_error =
                    matches!(&shape.kind, ShapeKind::Structure(s) if s.event_stream)
                        .then(|| format!("{}Error", naming::unraw(&type_name)));
                let names = ShapeNames {
                    type_name,
                    builder,
                    members,
                    variants,
                    union_variants,
                    is_helper: helpers.get(wire.as_str()).cloned(),
                    event_stream_error,
                };
                (wire.clone(), names)
            })
            .collect();
        let mut symbols = operation_names(operations.iter().map(|op| op.wire_name.as_str()));
        let operations = operations
            .iter()
            .filter_map(|op| {
                let (method, stem) = symbols.remove(&op.wire_name)?;
                let module = naming::unraw(&method).to_string();
                let stem = naming::unraw(&stem).to_string();
                let items = op
                    .paginator
                    .as_ref()
                    .and_then(|p| p.items.as_ref())
                    .map(|_| format!("{stem}PaginatorItems"));
                let names = OperationNames {
                    wire_name: op.wire_name.clone(),
                    file: format!("src/operation/{module}.rs"),
                    module: method.clone(),
                    client_method: method,
                    input: format!("{stem}Input"),
                    output: format!("{stem}Output"),
                    error: format!("{stem}Error"),
                    input_builder: format!("{stem}InputBuilder"),
                    output_builder: format!("{stem}OutputBuilder"),
                    fluent_builder: format!("{stem}FluentBuilder"),
                    paginator: op.paginator.as_ref().map(|_| format!("{stem}Paginator")),
                    paginator_items: items,
                    type_stem: stem,
                };
                Some((op.wire_name.clone(), names))
            })
            .collect();
        Names {
            shapes,
            operations,
            waiters: BTreeMap::new(),
            prelude_is_free,
        }
    }

    /// Names the waiters of the crate (by the rules of [`WaiterNames`]).
    pub(super) fn add_waiters<'a>(&mut self, wire_names: impl IntoIterator<Item = &'a str>) {
        let mut sorted: Vec<&str> = wire_names.into_iter().collect();
        sorted.sort_unstable();
        let mut modules = BTreeSet::new();
        let mut stems = BTreeSet::new();
        for wire in sorted {
            let base = naming::unraw(&naming::snake(wire)).to_string();
            let mut module = base.clone();
            let mut n = 2;
            while modules.contains(&module) {
                module = format!("{base}_{n}");
                n += 1;
            }
            modules.insert(module.clone());
            let base = naming::unraw(&naming::camel(wire)).to_string();
            let mut stem = base.clone();
            let mut n = 2;
            while stems.contains(&stem) {
                stem = format!("{base}{n}");
                n += 1;
            }
            stems.insert(stem.clone());
            let names = WaiterNames {
                wire_name: wire.to_string(),
                method: format!("wait_until_{module}"),
                module: naming::escape_keyword(module),
                fluent_builder: format!("{stem}FluentBuilder"),
                final_poll: format!("{stem}FinalPoll"),
                error: format!("WaitUntil{stem}Error"),
            };
            self.waiters.insert(wire.to_string(), names);
        }
    }

    /// The names of a waiter, by its name in the model.
    pub fn waiter(&self, wire_name: &str) -> Option<&WaiterNames> {
        self.waiters.get(wire_name)
    }

    /// Names a synthetic (empty) input or output structure: `type_name` is the operation's
    /// input or output type.
    pub(super) fn add_synthetic(&mut self, wire_name: String, type_name: String) {
        let names = ShapeNames {
            builder: Some(format!("{}Builder", naming::unraw(&type_name))),
            type_name,
            members: Vec::new(),
            variants: Vec::new(),
            union_variants: Vec::new(),
            is_helper: None,
            event_stream_error: None,
        };
        self.shapes.insert(wire_name, names);
    }

    /// The names of a shape (model or synthetic), by wire name.
    pub fn shape(&self, wire_name: &str) -> Option<&ShapeNames> {
        self.shapes.get(wire_name)
    }

    /// The names of an operation of the service.
    pub fn operation(&self, op: &Operation) -> &OperationNames {
        &self.operations[&op.wire_name]
    }

    /// The names of an operation, by wire name.
    pub fn operation_by_name(&self, wire_name: &str) -> Option<&OperationNames> {
        self.operations.get(wire_name)
    }

    /// The names of a member of a structure, by wire names.
    pub fn member(&self, shape: &str, member: &str) -> Option<&MemberNames> {
        self.shapes
            .get(shape)?
            .members
            .iter()
            .find(|m| m.wire_name == member)
    }

    /// Every shape's names, by wire name.
    pub fn shapes(&self) -> impl Iterator<Item = (&str, &ShapeNames)> {
        self.shapes.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Every operation's names, by wire name.
    pub fn operations(&self) -> impl Iterator<Item = &OperationNames> {
        self.operations.values()
    }

    /// Whether no structure or enum of the crate has the name of a prelude item generated code
    /// uses ([`PRELUDE_NAMES`]): then generated code may spell `Option`, `String`, ... short.
    pub fn prelude_is_free(&self) -> bool {
        self.prelude_is_free
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn shape_types_take_suffixes_in_wire_name_order() {
        let wire = strings(&["foo_bar", "FooBar", "Foo_bar", "Unhandled", "Option"]);
        let names = shape_type_names(&wire, |w| w == "Unhandled");
        assert_eq!(names["FooBar"], "FooBar");
        assert_eq!(names["Foo_bar"], "FooBar2");
        assert_eq!(names["foo_bar"], "FooBar3");
        assert_eq!(names["Unhandled"], "UnhandledException");
        assert_eq!(names["Option"], "Option");
        // Not an error: `Unhandled` is free.
        let names = shape_type_names(&wire, |_| false);
        assert_eq!(names["Unhandled"], "Unhandled");
    }

    #[test]
    fn members_avoid_each_other_and_their_methods() {
        let fields = |wire: &[&str]| -> Vec<String> {
            member_names(wire.iter().copied())
                .into_iter()
                .map(|m| m.field)
                .collect()
        };
        assert_eq!(
            fields(&["ARN", "Arn", "setArn", "getArn_2", "build", "type", "Type"]),
            [
                "arn",
                "arn_2",
                "set_arn_3",
                "get_arn_2_2",
                "build_value",
                "r#type",
                "type_2"
            ]
        );
        assert_eq!(fields(&["foo", "setFoo"]), ["foo", "set_foo_2"]);
        // Order decides: the later member yields, whichever it is.
        assert_eq!(fields(&["setFoo", "foo"]), ["set_foo", "foo_2"]);
        let arn = &member_names(["Arn", "ARN"])[1];
        assert_eq!(
            (arn.setter.as_str(), arn.getter.as_str()),
            ("set_arn_2", "get_arn_2")
        );
    }

    #[test]
    fn union_variants_keep_unknown_for_the_catch_all() {
        let names = union_variant_names([
            "PromQLCriteria",
            "SSEKMS",
            "Unknown",
            "unknown",
            "NULL",
            "type",
        ]);
        let got: Vec<(&str, &str, &str)> = names
            .iter()
            .map(|n| {
                (
                    n.variant.as_str(),
                    n.as_method.as_str(),
                    n.is_method.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "PromQlCriteria",
                    "as_prom_ql_criteria",
                    "is_prom_ql_criteria"
                ),
                ("Ssekms", "as_ssekms", "is_ssekms"),
                ("UnknownValue", "as_unknown_value", "is_unknown_value"),
                ("UnknownValue2", "as_unknown_value_2", "is_unknown_value_2"),
                ("Null", "as_null", "is_null"),
                ("Type", "as_type", "is_type"),
            ]
        );
    }

    #[test]
    fn enum_variants_keep_unknown_for_the_catch_all() {
        assert_eq!(
            enum_variant_names(&strings(&["unknown", "UNKNOWN", "ok", "OK", "Ok2"]), |_| {
                None
            }),
            ["UnknownValue", "UnknownValue2", "Ok", "Ok2", "Ok22"]
        );
    }
}
