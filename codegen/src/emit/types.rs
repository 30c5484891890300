//! Structures, enums and their builders.

use super::Ctx;
use super::std_paths::Prelude;
use super::{TypeClass, doc_attrs, doc_values, rust_type, type_class};
use crate::ir::{EnumVariant, Member, Primitive, Service, Shape, ShapeKind, Structure};
use crate::naming::{self, ident};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Where a structure is emitted, which decides optionality and serde derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `types::X`.
    Type,
    /// `operation::x::XInput`: every member optional, checked before sending.
    Input,
    /// `operation::x::XOutput`: carries the request id.
    Output,
    /// `types::error::X`: carries error metadata.
    Exception,
}

/// A structure to emit under a given name.
pub(crate) struct StructSpec<'a> {
    pub name: Ident,
    pub builder: Ident,
    /// Path of the module holding the builder, as seen from the struct's module.
    pub builder_path: TokenStream,
    pub role: Role,
    pub shape: &'a Shape,
    pub structure: &'a Structure,
    pub docs: String,
}

impl Role {
    /// Whether a member is a plain field (`T`, not `Option<T>`) of a structure in this role,
    /// as in the official crates: in types and outputs, the members smithy-rs makes non-null
    /// ([`Service::is_non_null`]: required or with a default, but never a structure or a
    /// union); inputs (checked before sending) and exceptions (read leniently from error
    /// responses) keep every member optional.
    /// Required members bound to the HTTP message (headers, status) stay optional, a
    /// response may leave them out; one with a default takes it then.
    pub fn is_plain(self, svc: &Service, m: &Member) -> bool {
        matches!(self, Role::Type | Role::Output)
            && svc.is_non_null(m)
            && (m.bindings.location.is_none() || m.default.is_some())
    }
}

impl StructSpec<'_> {
    fn serialize(&self) -> bool {
        match self.role {
            Role::Input => true,
            Role::Output | Role::Exception => false,
            Role::Type => self.shape.serialize,
        }
    }
    fn deserialize(&self) -> bool {
        match self.role {
            Role::Input => false,
            Role::Output | Role::Exception => true,
            Role::Type => self.shape.deserialize,
        }
    }
    /// Whether a member is a plain (non-`Option`) field.
    pub fn is_plain(&self, svc: &Service, m: &Member) -> bool {
        self.role.is_plain(svc, m)
    }
    /// The streaming blob payload member of an operation input or output (a `ByteStream`).
    pub fn stream_member(&self, svc: &Service) -> Option<&Member> {
        if !matches!(self.role, Role::Input | Role::Output) {
            return None;
        }
        let stream = svc.stream_member(&self.shape.wire_name)?;
        self.structure
            .members
            .iter()
            .find(|m| m.wire_name == stream.wire_name)
    }
    /// Whether `build()` can fail: always for an input (as in the official crates), else
    /// when a plain member has no default ([`Self::must_set`]).
    pub fn fallible_build(&self, svc: &Service) -> bool {
        self.role == Role::Input || self.structure.members.iter().any(|m| self.must_set(svc, m))
    }
    /// Whether `build()` fails when the member is not set: a plain field without a default,
    /// or an output's event stream (as in the official crates; a byte stream is empty by
    /// default).
    pub fn must_set(&self, svc: &Service, m: &Member) -> bool {
        (self.is_plain(svc, m) && m.default.is_none()) || self.is_event_stream(svc, m)
    }
    /// Whether the member is this output's event stream.
    fn is_event_stream(&self, svc: &Service, m: &Member) -> bool {
        // The target first: it rules out nearly every member without scanning the structure.
        matches!(&svc.shape(&m.target).kind, ShapeKind::Structure(s) if s.event_stream)
            && self.stream_member(svc).is_some_and(|s| std::ptr::eq(s, m))
    }
}

pub(crate) fn member_docs(m: &Member) -> String {
    let mut docs = m.docs.clone();
    if let Some(note) = &m.deprecated {
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str("**Deprecated:** ");
        docs.push_str(&crate::docs::plain_text(note));
    }
    docs
}

fn member_fallback(m: &Member) -> String {
    format!("The `{}` member.", m.wire_name)
}

/// The field type without `Option`: boxed when recursive, a `ByteStream` for the streaming
/// payload member of an operation's input or output (`structure`, a wire name).
pub(crate) fn field_inner_type(cx: &Ctx<'_>, structure: &str, m: &Member) -> TokenStream {
    let Prelude { boxed, .. } = cx.prelude();
    if super::http::is_stream(cx.svc, structure, m) {
        return super::http::stream_type(cx, m);
    }
    let t = rust_type(cx, &m.target);
    if m.boxed { quote!(#boxed<#t>) } else { t }
}

/// The value of a plain field whose member is absent: its model default (`@default`, see
/// `ir::nullability`), else its type's `Default`.
pub(crate) fn default_value(m: &Member) -> TokenStream {
    use crate::ir::nullability::DefaultValue;
    match &m.default {
        None | Some(DefaultValue::Zero) => quote!(::std::default::Default::default()),
        Some(DefaultValue::Bool(b)) => quote!(#b),
        Some(DefaultValue::Int(n)) => {
            let n = proc_macro2::Literal::i64_unsuffixed(*n);
            quote!(#n)
        }
        Some(DefaultValue::Float(f)) => {
            let f = proc_macro2::Literal::f64_unsuffixed(*f);
            quote!(#f)
        }
    }
}

/// `self.<field>.unwrap_or(..)` for a builder field whose member has a default.
fn unwrap_default(m: &Member, field: &Ident) -> TokenStream {
    use crate::ir::nullability::DefaultValue;
    match &m.default {
        None | Some(DefaultValue::Zero) => quote!(self.#field.unwrap_or_default()),
        Some(_) => {
            let v = default_value(m);
            quote!(self.#field.unwrap_or(#v))
        }
    }
}

/// Whether a missing required member of a plain (non-`Option`) field takes its type's default
/// (client-side error correction, as the AWS SDKs do) instead of failing.
fn defaultable(svc: &Service, m: &Member) -> bool {
    matches!(
        type_class(svc, &m.target),
        TypeClass::String | TypeClass::Copy | TypeClass::List | TypeClass::Map
    ) || matches!(
        svc.shape(&m.target).kind,
        ShapeKind::Primitive(Primitive::Blob)
    )
}

/// `impl Serialize` for a structure: a struct of the members that are set (an `Option` member
/// that is `None` is left out), each under its wire name, through its codec when its wire
/// form differs from its serde form. The length given to `serialize_struct` is exact, as a
/// definite-length CBOR map needs.
fn serialize_impl(cx: &Ctx<'_>, spec: &StructSpec<'_>) -> TokenStream {
    let svc = cx.svc;
    let Prelude { some, result, .. } = cx.prelude();
    let name = &spec.name;
    let wire_struct = spec.shape.wire_name.as_str();
    // A rest input: members bound to the URI, query string or headers are not in the body,
    // and a structure payload is the whole body.
    let input = spec.role == Role::Input;
    if input && let Some(p) = super::http::document_payload(svc, spec.shape, spec.structure) {
        let field = ident(&cx.member_names(&spec.shape.wire_name, p).field);
        return quote! {
            impl ::serde::Serialize for #name {
                fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> #result<__S::Ok, __S::Error> {
                    match &self.#field {
                        #some(__value) => ::serde::Serialize::serialize(__value, __serializer),
                        ::std::option::Option::None => ::serde::ser::SerializeStruct::end(__serializer.serialize_struct(#wire_struct, 0)?),
                    }
                }
            }
        };
    }
    let mut counts = Vec::new();
    let mut writes = Vec::new();
    for m in &spec.structure.members {
        if input && !super::http::in_body(svc, spec.shape, m) {
            continue;
        }
        let field = ident(&cx.member_names(&spec.shape.wire_name, m).field);
        let wire = super::http::body_key(svc, m);
        let codec = super::serde_codec(svc, &m.target).map(|c| {
            c.parse::<TokenStream>()
                .expect("codec paths are valid Rust")
        });
        let value = |v: TokenStream| match &codec {
            Some(codec) => quote!(&::aws_lite_runtime::serde_helpers::Ser::<#codec, _>::new(#v)),
            None => v,
        };
        if spec.is_plain(svc, m) {
            counts.push(quote!(1));
            let v = value(quote!(&self.#field));
            writes.push(quote!(__state.serialize_field(#wire, #v)?;));
        } else {
            counts.push(quote!(::std::primitive::usize::from(self.#field.is_some())));
            let v = value(quote!(__value));
            writes.push(quote! {
                if let #some(__value) = &self.#field {
                    __state.serialize_field(#wire, #v)?;
                }
            });
        }
    }
    let len = if counts.is_empty() {
        quote!(0)
    } else {
        quote!(#(#counts)+*)
    };
    let state = if writes.is_empty() {
        quote!(__state)
    } else {
        quote!(mut __state)
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> #result<__S::Ok, __S::Error> {
                use ::serde::ser::SerializeStruct as _;
                let #state = __serializer.serialize_struct(#wire_struct, #len)?;
                #(#writes)*
                __state.end()
            }
        }
    }
}

/// The codec (a full path) a member's value is read through, `None` for its plain serde form;
/// wrapped in `OptionOf` for an `Option` field.
fn deserialize_codec(svc: &Service, m: &Member, plain: bool) -> Option<String> {
    let codec = super::serde_codec(svc, &m.target)?;
    Some(if plain {
        codec
    } else {
        format!("::aws_lite_runtime::serde_helpers::OptionOf<{codec}>")
    })
}

/// `impl Deserialize` for a structure, through the runtime's `deserialize_structure` and this
/// structure's `Structure::visit_map`, keys matched by the runtime's shared `FieldIndex` (no field enum or sequence form per structure, which keeps
/// the generated crate quick to compile). Unknown keys are skipped; a missing `Option` member
/// is `None`, a missing plain member takes its default when it has one and is an error
/// otherwise.
fn deserialize_impl(cx: &Ctx<'_>, spec: &StructSpec<'_>) -> TokenStream {
    let svc = cx.svc;
    let Prelude { result, .. } = cx.prelude();
    let name = &spec.name;
    let expecting = format!("struct {name}");
    // A rest output or error: members bound to headers or the status are read by
    // `read_http`, and a structure payload is the whole body.
    let response = matches!(spec.role, Role::Output | Role::Exception);
    if response && let Some(p) = super::http::document_payload(svc, spec.shape, spec.structure) {
        return payload_deserialize_impl(cx, spec, p);
    }
    let body_members: Vec<&Member> = spec
        .structure
        .members
        .iter()
        .filter(|m| !response || super::http::in_body(svc, spec.shape, m))
        .collect();
    let wires: Vec<&str> = body_members
        .iter()
        .map(|m| super::http::body_key(svc, m))
        .collect();
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut inits = Vec::new();
    // Which short names the body uses (each is imported only then: an unused import warns).
    let mut uses_seed = false;
    let mut uses_none = spec.role == Role::Output;
    let mut uses_default = spec.role == Role::Exception;
    let mut uses_err = false;
    let mut index = 0usize;
    for m in &spec.structure.members {
        let field = ident(&cx.member_names(&spec.shape.wire_name, m).field);
        if !body_members.iter().any(|b| std::ptr::eq(*b, m)) {
            // Filled by `read_http` (a stream by `set_streaming_payload`).
            let init = if spec.is_plain(svc, m) && m.default.is_some() {
                default_value(m)
            } else if spec.is_plain(svc, m) || super::http::is_stream(svc, &spec.shape.wire_name, m)
            {
                uses_default = true;
                quote!(Default::default())
            } else {
                uses_none = true;
                quote!(None)
            };
            inits.push(quote!(#field: #init,));
            continue;
        }
        let i = index;
        index += 1;
        // Locals and generics have `__` names, which no generated field or type has.
        let local = format_ident!("__v{}", i);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let plain = spec.is_plain(svc, m);
        let required_value = plain && m.default.is_none() && !defaultable(svc, m);
        let read = match deserialize_codec(svc, m, plain) {
            Some(codec) => {
                uses_seed = true;
                let codec: TokenStream = codec.parse().expect("codec paths are valid Rust");
                quote!(__map.next_value_seed(Seed::<#codec, _>::new())?)
            }
            None => quote!(__map.next_value()?),
        };
        if required_value {
            (uses_none, uses_err) = (true, true);
            let wire = super::http::body_key(svc, m);
            locals.push(quote!(let mut #local = None;));
            arms.push(quote!(#i => #local = Some(#read),));
            inits.push(quote! {
                #field: match #local {
                    Some(v) => v,
                    None => return Err(<__A::Error as ::serde::de::Error>::missing_field(#wire)),
                },
            });
        } else {
            let init = if plain && m.default.is_some() {
                default_value(m)
            } else if plain {
                uses_default = true;
                quote!(Default::default())
            } else {
                uses_none = true;
                quote!(None)
            };
            locals.push(quote!(let mut #local = #init;));
            arms.push(quote!(#i => #local = #read,));
            inits.push(quote!(#field: #local,));
        }
    }
    let extra = match spec.role {
        Role::Output => quote!(_request_id: None,),
        Role::Exception => quote!(meta: Default::default(),),
        _ => quote!(),
    };
    // `Some` is in the read loop whenever there are members; `Ok` always ends the body.
    let uses_some = !wires.is_empty();
    let names = |pairs: &[(&str, bool)]| -> Vec<Ident> {
        pairs
            .iter()
            .filter(|(_, used)| *used)
            .map(|(name, _)| format_ident!("{}", name))
            .collect()
    };
    let runtime_names = names(&[("FieldIndex", !wires.is_empty()), ("Seed", uses_seed)]);
    let option_names = names(&[("None", uses_none), ("Some", uses_some)]);
    let result_names = names(&[("Err", uses_err), ("Ok", true)]);
    let use_names = |path: TokenStream, names: &[Ident]| match names {
        [] => quote!(),
        [one] => quote!(use #path::#one;),
        many => quote!(use #path::{#(#many),*};),
    };
    let runtime_use = use_names(quote!(::aws_lite_runtime::serde_helpers), &runtime_names);
    // With short names (see `std_paths`) the prelude already has these.
    let full = !cx.prelude().short();
    let default_use = (full && uses_default).then(|| {
        quote!(
            use ::std::default::Default;
        )
    });
    let (option_use, result_use) = if full {
        (
            use_names(quote!(::std::option::Option), &option_names),
            use_names(quote!(::std::result::Result), &result_names),
        )
    } else {
        (quote!(), quote!())
    };
    let uses = quote! {
        #runtime_use
        use ::serde::de::IgnoredAny;
        #default_use
        #option_use
        #result_use
    };
    let read_loop = if wires.is_empty() {
        quote! {
            while __map.next_key::<IgnoredAny>()?.is_some() {
                __map.next_value::<IgnoredAny>()?;
            }
        }
    } else {
        quote! {
            while let Some(__index) = __map.next_key_seed(FieldIndex(&[#(#wires),*]))? {
                match __index {
                    #(#arms)*
                    _ => {
                        __map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> #result<Self, __D::Error> {
                ::aws_lite_runtime::serde_helpers::deserialize_structure(__deserializer)
            }
        }
        impl<'de> ::aws_lite_runtime::serde_helpers::Structure<'de> for #name {
            const EXPECTING: &'static str = #expecting;
            fn visit_map<__A: ::serde::de::MapAccess<'de>>(mut __map: __A) -> #result<Self, __A::Error> {
                // Short names for the body; nothing here names a generated type but `Self`.
                #uses
                #(#locals)*
                #read_loop
                Ok(Self { #(#inits)* #extra })
            }
        }
    }
}

/// `impl Deserialize` for a rest output or error whose structure, union or document
/// payload member is the whole body: the body is that member, the others are bound to
/// headers and the status (read by `read_http`).
fn payload_deserialize_impl(cx: &Ctx<'_>, spec: &StructSpec<'_>, payload: &Member) -> TokenStream {
    let Prelude {
        result,
        some,
        none,
        default,
        boxed,
        ..
    } = cx.prelude();
    let name = &spec.name;
    let ty = rust_type(cx, &payload.target);
    let read = match super::serde_codec(cx.svc, &payload.target) {
        Some(codec) => {
            let codec: TokenStream = codec.parse().expect("codec paths are valid Rust");
            quote!(::serde::de::DeserializeSeed::deserialize(::aws_lite_runtime::serde_helpers::Seed::<#codec, #ty>::new(), __deserializer)?)
        }
        None => quote!(<#ty as ::serde::Deserialize<'de>>::deserialize(__deserializer)?),
    };
    let read = if payload.boxed {
        quote!(#boxed::new(#read))
    } else {
        read
    };
    let mut inits = Vec::new();
    for m in &spec.structure.members {
        let field = ident(&cx.member_names(&spec.shape.wire_name, m).field);
        let plain = spec.is_plain(cx.svc, m);
        let init = if m.wire_name == payload.wire_name {
            if plain {
                quote!(__payload)
            } else {
                quote!(#some(__payload))
            }
        } else if plain && m.default.is_some() {
            default_value(m)
        } else if plain {
            quote!(#default::default())
        } else {
            quote!(#none)
        };
        inits.push(quote!(#field: #init,));
    }
    let extra = match spec.role {
        Role::Output => quote!(_request_id: #none,),
        Role::Exception => quote!(meta: #default::default(),),
        _ => quote!(),
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> #result<Self, __D::Error> {
                let __payload = #read;
                ::std::result::Result::Ok(Self { #(#inits)* #extra })
            }
        }
    }
}

/// `Debug` for a struct or builder with sensitive members (the model's `sensitive` trait, or
/// a sensitive structure): those fields print as the official SDK prints them, redacted.
/// `None` when nothing is sensitive (the struct derives `Debug`).
fn redacting_debug(
    cx: &Ctx<'_>,
    spec: &StructSpec<'_>,
    type_name: &Ident,
    extra_fields: bool,
) -> Option<TokenStream> {
    let svc = cx.svc;
    let whole = spec.shape.sensitive;
    let members = &spec.structure.members;
    if !whole && !members.iter().any(|m| svc.is_sensitive(&m.target)) {
        return None;
    }
    let structure = spec.shape.wire_name.as_str();
    let name_str = type_name.to_string();
    let fields = members.iter().map(|m| {
        let field_name = &cx.member_names(structure, m).field;
        let field = ident(field_name);
        let label = naming::unraw(field_name);
        if whole || svc.is_sensitive(&m.target) {
            quote!(formatter.field(#label, &"*** Sensitive Data Redacted ***");)
        } else {
            quote!(formatter.field(#label, &self.#field);)
        }
    });
    let finish = if extra_fields {
        quote!(formatter.finish_non_exhaustive())
    } else {
        quote!(formatter.finish())
    };
    Some(quote! {
        impl ::std::fmt::Debug for #type_name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut formatter = f.debug_struct(#name_str);
                #(#fields)*
                #finish
            }
        }
    })
}

/// The struct, its accessors and `builder()`.
pub(crate) fn struct_def(cx: &Ctx<'_>, spec: &StructSpec<'_>) -> TokenStream {
    let svc = cx.svc;
    let Prelude { option, string, .. } = cx.prelude();
    let name = &spec.name;
    let builder = &spec.builder;
    let builder_path = &spec.builder_path;
    let docs = doc_attrs(
        &spec.docs,
        &format!("The `{}` structure.", spec.shape.wire_name),
    );
    // A `ByteStream` is neither `Clone` nor `PartialEq` (as in the official crates).
    let stream = spec.stream_member(svc);
    let debug_impl = redacting_debug(
        cx,
        spec,
        name,
        matches!(spec.role, Role::Output | Role::Exception),
    );
    let mut derives = if stream.is_some() {
        vec![]
    } else {
        vec![quote!(Clone), quote!(PartialEq)]
    };
    if debug_impl.is_none() {
        derives.push(quote!(Debug));
    }
    if spec.role == Role::Exception {
        derives.push(quote!(Default));
    }
    let mut fields = Vec::new();
    let mut accessors = Vec::new();
    for m in &spec.structure.members {
        let field_name = &cx.member_names(&spec.shape.wire_name, m).field;
        let field = ident(field_name);
        let inner = field_inner_type(cx, &spec.shape.wire_name, m);
        if stream.is_some_and(|s| std::ptr::eq(s, m)) {
            // Never `Option`: empty by default, as in the official crates.
            let mdocs = doc_attrs(&member_docs(m), &member_fallback(m));
            fields.push(quote! { #mdocs pub #field: #inner, });
            accessors.push(quote! {
                #mdocs
                #[inline]
                pub fn #field(&self) -> &#inner { &self.#field }
            });
            continue;
        }
        let plain = spec.is_plain(svc, m);
        let ty = if plain {
            inner.clone()
        } else {
            quote!(#option<#inner>)
        };
        let mdocs = doc_attrs(&member_docs(m), &member_fallback(m));
        fields.push(quote! { #mdocs pub #field: #ty, });
        let class = type_class(svc, &m.target);
        let (ret, body) = match (class, plain, m.boxed) {
            (TypeClass::String, true, _) => (quote!(&str), quote!(&self.#field)),
            (TypeClass::String, false, _) => {
                (quote!(#option<&str>), quote!(self.#field.as_deref()))
            }
            (TypeClass::Copy, true, _) => (quote!(#inner), quote!(self.#field)),
            (TypeClass::Copy, false, _) => (quote!(#option<#inner>), quote!(self.#field)),
            (TypeClass::List, _, _) => {
                let ShapeKind::List(elem) = &svc.shape(&m.target).kind else {
                    unreachable!()
                };
                let elem = rust_type(cx, elem);
                if plain {
                    (quote!(&[#elem]), quote!(&self.#field))
                } else {
                    (
                        quote!(&[#elem]),
                        quote!(self.#field.as_deref().unwrap_or_default()),
                    )
                }
            }
            (_, true, true) => {
                let t = rust_type(cx, &m.target);
                (quote!(&#t), quote!(&self.#field))
            }
            (_, false, true) => {
                let t = rust_type(cx, &m.target);
                (quote!(#option<&#t>), quote!(self.#field.as_deref()))
            }
            (_, true, false) => (quote!(&#inner), quote!(&self.#field)),
            (_, false, false) => (quote!(#option<&#inner>), quote!(self.#field.as_ref())),
        };
        let mdocs = doc_attrs(&member_docs(m), &member_fallback(m));
        let list_note = (class == TypeClass::List && !plain).then(|| {
            let note = format!(
                " If no value was sent for this field, a default will be set. If you want to determine if no value was sent, use `.{}.is_none()`.",
                naming::unraw(field_name)
            );
            doc_values(["".to_string(), note])
        });
        accessors.push(quote! {
            #mdocs
            #list_note
            #[inline]
            pub fn #field(&self) -> #ret { #body }
        });
    }
    let extra_field = match spec.role {
        Role::Output => quote! {
            _request_id: #option<#string>,
        },
        Role::Exception => quote! {
            pub(crate) meta: ::aws_lite_runtime::error::ErrorMetadata,
        },
        _ => quote!(),
    };
    let serialize = spec.serialize().then(|| serialize_impl(cx, spec));
    let deserialize = spec.deserialize().then(|| deserialize_impl(cx, spec));
    let query_write = (spec.serialize() && super::query::speaks_query(svc))
        .then(|| super::query::query_write_impl(cx, spec));
    let xml_read = (spec.deserialize() && super::xml::speaks_xml(svc))
        .then(|| super::xml::xml_read_impl(cx, spec));
    let xml_write = (spec.serialize() && super::xml::speaks_rest_xml(svc))
        .then(|| super::xml::xml_write_impl(cx, spec));
    let builder_doc = doc_values([format!(
        " Creates a new builder-style object to manufacture [`{name}`]."
    )]);
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(#(#derives),*)]
        pub struct #name {
            #(#fields)*
            #extra_field
        }
        #debug_impl
        impl #name {
            #(#accessors)*
        }
        impl #name {
            #builder_doc
            #[inline]
            pub fn builder() -> #builder_path::#builder {
                #builder_path::#builder::default()
            }
        }
        #serialize
        #deserialize
        #query_write
        #xml_read
        #xml_write
    }
}

/// Parameter type and conversion expression of a one-value setter for `target`.
fn setter_param(cx: &Ctx<'_>, target: &str) -> (TokenStream, TokenStream) {
    let svc = cx.svc;
    let Prelude { string, into, .. } = cx.prelude();
    match type_class(svc, target) {
        TypeClass::String => (quote!(impl #into<#string>), quote!(input.into())),
        _ => (rust_type(cx, target), quote!(input)),
    }
}

/// `member(v)`, `set_member(Option<..>)` and `get_member()` of a member of the structure
/// `structure` (a wire name); `delegate` forwards to `self.inner`.
pub(crate) fn setters(cx: &Ctx<'_>, structure: &str, m: &Member, delegate: bool) -> TokenStream {
    let svc = cx.svc;
    let Prelude {
        option,
        some,
        boxed,
        ..
    } = cx.prelude();
    let names = cx.member_names(structure, m);
    let field = ident(&names.field);
    let bare = naming::unraw(&names.field);
    let set = ident(&names.setter);
    let get = ident(&names.getter);
    let inner = field_inner_type(cx, structure, m);
    let opt = quote!(#option<#inner>);
    let docs = doc_attrs(&member_docs(m), &member_fallback(m));
    let shape = svc.shape(&m.target);
    let stream = super::http::is_stream(svc, structure, m);
    let (params, add_doc, body) = match &shape.kind {
        // A streaming payload: the `ByteStream` itself, as in the official crates.
        _ if stream => (
            quote!(input: #inner),
            String::new(),
            quote! {
                self.#field = #some(input);
                self
            },
        ),
        ShapeKind::List(elem) => {
            let (ty, conv) = setter_param(cx, elem);
            let doc = format!(
                " Appends an item to `{bare}`.\n\n To override the contents of this collection use [`{set}`](Self::{set})."
            );
            (
                quote!(input: #ty),
                doc,
                quote! {
                    let mut v = self.#field.unwrap_or_default();
                    v.push(#conv);
                    self.#field = #some(v);
                    self
                },
            )
        }
        ShapeKind::Map(k, v) => {
            let (kty, _) = setter_param(cx, k);
            let kconv = if type_class(svc, k) == TypeClass::String {
                quote!(k.into())
            } else {
                quote!(k)
            };
            let (vty, vconv) = setter_param(cx, v);
            let vconv = if type_class(svc, v) == TypeClass::String {
                quote!(v.into())
            } else {
                let _ = vconv;
                quote!(v)
            };
            let doc = format!(
                " Adds a key-value pair to `{bare}`.\n\n To override the contents of this collection use [`{set}`](Self::{set})."
            );
            (
                quote!(k: #kty, v: #vty),
                doc,
                quote! {
                    let mut hash_map = self.#field.unwrap_or_default();
                    hash_map.insert(#kconv, #vconv);
                    self.#field = #some(hash_map);
                    self
                },
            )
        }
        _ => {
            let (ty, conv) = setter_param(cx, &m.target);
            let value = if m.boxed {
                quote!(#boxed::new(#conv))
            } else {
                conv
            };
            (
                quote!(input: #ty),
                String::new(),
                quote! {
                    self.#field = #some(#value);
                    self
                },
            )
        }
    };
    let args: Vec<TokenStream> = match &shape.kind {
        ShapeKind::Map(..) => vec![quote!(k), quote!(v)],
        _ => vec![quote!(input)],
    };
    let add_doc = doc_values(add_doc.lines());
    let set_doc = doc_values([format!(
        " Sets or clears [`{bare}`](Self::{bare}) (`{}`).",
        m.wire_name
    )]);
    let get_doc = doc_values([format!(
        " Returns the value set with [`{bare}`](Self::{bare}) (`{}`).",
        m.wire_name
    )]);
    if delegate {
        quote! {
            #add_doc
            #docs
            #[inline]
            pub fn #field(mut self, #params) -> Self {
                self.inner = self.inner.#field(#(#args),*);
                self
            }
            #set_doc
            #[inline]
            pub fn #set(mut self, input: #opt) -> Self {
                self.inner = self.inner.#set(input);
                self
            }
            #get_doc
            #[inline]
            pub fn #get(&self) -> &#opt {
                self.inner.#get()
            }
        }
    } else {
        quote! {
            #add_doc
            #docs
            #[inline]
            pub fn #field(mut self, #params) -> Self {
                #body
            }
            #set_doc
            #[inline]
            pub fn #set(mut self, input: #opt) -> Self {
                self.#field = input;
                self
            }
            #get_doc
            #[inline]
            pub fn #get(&self) -> &#opt {
                &self.#field
            }
        }
    }
}

/// The builder struct with setters and `build()`.
pub(crate) fn builder_def(
    cx: &Ctx<'_>,
    spec: &StructSpec<'_>,
    target_path: TokenStream,
) -> TokenStream {
    let Prelude {
        option,
        some,
        none,
        result,
        ok,
        default,
        ..
    } = cx.prelude();
    let name = &spec.name;
    let builder = &spec.builder;
    let doc = doc_values([format!(
        " A builder for [`{name}`]({target_path_str}).",
        target_path_str = tokens_to_path(&target_path, name)
    )]);
    let structure = spec.shape.wire_name.as_str();
    let stream = spec.stream_member(cx.svc);
    let fields = spec.structure.members.iter().map(|m| {
        let field = ident(&cx.member_names(structure, m).field);
        let inner = field_inner_type(cx, structure, m);
        quote!(pub(crate) #field: #option<#inner>,)
    });
    let setters = spec
        .structure
        .members
        .iter()
        .map(|m| setters(cx, structure, m, false));
    let inits = spec.structure.members.iter().map(|m| {
        let field_name = &cx.member_names(structure, m).field;
        let field = ident(field_name);
        if stream.is_some_and(|s| std::ptr::eq(s, m)) && !spec.is_event_stream(cx.svc, m) {
            quote!(#field: self.#field.unwrap_or_default(),)
        } else if spec.is_plain(cx.svc, m) && m.default.is_some() {
            let value = unwrap_default(m, &field);
            quote!(#field: #value,)
        } else if spec.must_set(cx.svc, m) {
            let bare = naming::unraw(field_name);
            let detail = format!("{bare} was not specified but it is required when building {name}");
            quote! {
                #field: self.#field.ok_or_else(|| ::aws_lite_runtime::error::BuildError::missing_field(#bare, #detail))?,
            }
        } else if m.idempotency_token && spec.role == Role::Input {
            // As the official SDKs do: an unset idempotency token gets a fresh UUID.
            quote!(#field: self.#field.or_else(|| #some(::aws_lite_runtime::idempotency::token())),)
        } else {
            quote!(#field: self.#field,)
        }
    });
    let extra = match spec.role {
        Role::Output => quote!(_request_id: #none,),
        Role::Exception => quote!(meta: #default::default(),),
        _ => quote!(),
    };
    let build_doc = doc_values([format!(
        " Consumes the builder and constructs a [`{name}`]({}).",
        tokens_to_path(&target_path, name)
    )]);
    let build = if spec.fallible_build(cx.svc) {
        let errors_doc = spec
            .structure
            .members
            .iter()
            .filter(|m| spec.must_set(cx.svc, m))
            .map(|m| {
                let field = &cx.member_names(structure, m).field;
                format!(" - [`{0}`](Self::{0})", naming::unraw(field))
            })
            .collect::<Vec<_>>();
        let errors_doc = if errors_doc.is_empty() {
            quote!()
        } else {
            let head =
                " This method will fail if any of the following fields are not set:".to_string();
            doc_values(["".to_string(), head].into_iter().chain(errors_doc))
        };
        quote! {
            #build_doc
            #errors_doc
            #[inline]
            pub fn build(self) -> #result<#target_path, ::aws_lite_runtime::error::BuildError> {
                #ok(#target_path { #(#inits)* #extra })
            }
        }
    } else {
        quote! {
            #build_doc
            #[inline]
            pub fn build(self) -> #target_path {
                #target_path { #(#inits)* #extra }
            }
        }
    };
    let debug_impl = redacting_debug(cx, spec, builder, false);
    let mut derives = if stream.is_some() {
        vec![quote!(Default)]
    } else {
        vec![quote!(Clone), quote!(PartialEq), quote!(Default)]
    };
    if debug_impl.is_none() {
        derives.push(quote!(Debug));
    }
    quote! {
        #doc
        #[non_exhaustive]
        #[derive(#(#derives),*)]
        pub struct #builder {
            #(#fields)*
        }
        #debug_impl
        impl #builder {
            #(#setters)*
            #build
        }
    }
}

fn tokens_to_path(path: &TokenStream, name: &Ident) -> String {
    let s = path.to_string().replace(' ', "");
    if s.is_empty() { name.to_string() } else { s }
}

fn enum_def(cx: &Ctx<'_>, shape: &Shape, variants: &[EnumVariant]) -> TokenStream {
    let root = cx.root();
    let Prelude {
        result, ok, err, ..
    } = cx.prelude();
    let names = cx.shape_names(&shape.wire_name);
    let name = ident(&names.type_name);
    let mut docs = if shape.docs.is_empty() {
        format!("The `{}` values.", shape.wire_name)
    } else {
        shape.docs.clone()
    };
    docs.push_str(&format!(
        "\n\nThis enum is `#[non_exhaustive]`: a value this version of the model does not know \
is kept as [`{name}::Unknown`] and round-trips unchanged, so match with a wildcard arm and use \
[`as_str`](Self::as_str) to inspect it."
    ));
    let docs = doc_attrs(&docs, "");
    // The table lists the variants in model order, as the IR does.
    let idents: Vec<Ident> = names.variants.iter().map(|v| ident(&v.variant)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    let vdocs = variants.iter().map(|v| {
        let text = if v.docs.is_empty() {
            format!("`{}`", v.wire_value.replace('`', "'"))
        } else {
            format!("`{}`: {}", v.wire_value.replace('`', "'"), v.docs)
        };
        doc_attrs(&text, "")
    });
    let serialize = shape.serialize.then(|| {
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }
    });
    let deserialize = shape.deserialize.then(|| {
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                    #ok(Self::from(value.as_ref()))
                }
            }
        }
    });
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, Eq, Ord, PartialEq, PartialOrd, Debug, Hash)]
        pub enum #name {
            #( #vdocs #idents, )*
            /// A value the model does not know yet; it is kept unchanged. Do not match on it
            /// directly: use [`as_str`](Self::as_str).
            Unknown(#root::primitives::sealed_enum_unknown::UnknownVariantValue),
        }
        impl ::std::convert::From<&str> for #name {
            #[inline]
            fn from(s: &str) -> Self {
                match s {
                    #( #values => #name::#idents, )*
                    other => #name::Unknown(#root::primitives::sealed_enum_unknown::UnknownVariantValue(other.to_owned())),
                }
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            #[inline]
            fn from_str(s: &str) -> #result<Self, Self::Err> {
                #ok(#name::from(s))
            }
        }
        impl #name {
            /// Returns the value as it is sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#idents => #values, )*
                    #name::Unknown(value) => value.as_str(),
                }
            }
            /// Returns every value the model knows, in model order.
            #[inline]
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
            /// Parses the value, failing for a value the model does not list (where
            /// [`From<&str>`](Self::from) gives `Unknown`).
            #[inline]
            pub fn try_parse(value: &str) -> #result<Self, #root::error::UnknownVariantError> {
                match Self::from(value) {
                    Self::Unknown(_) => #err(#root::error::UnknownVariantError::new(value)),
                    known => #ok(known),
                }
            }
        }
        impl ::std::convert::AsRef<str> for #name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #serialize
        #deserialize
    }
}

/// Shapes emitted in `types`: structures that are not exceptions (and not only used as an
/// operation's input or output) and enums.
pub(crate) fn type_shapes(svc: &Service) -> Vec<(&Shape, &Structure)> {
    let op_shapes = svc.operation_shapes();
    let mut member_targets = std::collections::BTreeSet::new();
    for shape in svc.shapes.values() {
        match &shape.kind {
            ShapeKind::Structure(s) => {
                member_targets.extend(s.members.iter().map(|m| m.target.as_str()))
            }
            ShapeKind::List(e) => {
                member_targets.insert(e.as_str());
            }
            ShapeKind::Map(k, v) => {
                member_targets.insert(k.as_str());
                member_targets.insert(v.as_str());
            }
            _ => {}
        }
    }
    svc.shapes
        .values()
        .filter_map(|shape| match &shape.kind {
            ShapeKind::Structure(s) if !s.exception && !s.union => {
                let only_io = op_shapes.contains(shape.wire_name.as_str())
                    && !member_targets.contains(shape.wire_name.as_str());
                (!only_io).then_some((shape, s))
            }
            _ => None,
        })
        .collect()
}

fn type_spec<'a>(cx: &Ctx<'_>, shape: &'a Shape, s: &'a Structure) -> StructSpec<'a> {
    let root = cx.root();
    let names = cx.shape_names(&shape.wire_name);
    StructSpec {
        name: ident(&names.type_name),
        builder: ident(names.builder.as_deref().expect("a structure has a builder")),
        builder_path: quote!(#root::types::builders),
        role: Role::Type,
        shape,
        structure: s,
        docs: shape.docs.clone(),
    }
}

/// `src/types/mod.rs`.
pub(crate) fn types_rs(cx: &Ctx<'_>) -> TokenStream {
    let svc = cx.svc;
    let structs = type_shapes(svc).into_iter().map(|(shape, s)| {
        let spec = type_spec(cx, shape, s);
        let def = struct_def(cx, &spec);
        let checks = if shape.serialize && shape.validate {
            let name = &spec.name;
            super::validate::validate_impl(cx, &quote!(#name), &shape.wire_name, s, true, |m| {
                spec.is_plain(svc, m)
            })
        } else {
            quote!()
        };
        quote!(#def #checks)
    });
    let enums = svc.shapes.values().filter_map(|shape| match &shape.kind {
        ShapeKind::Enum(v) => Some(enum_def(cx, shape, v)),
        ShapeKind::Structure(s) if s.union => Some(super::unions::union_def(cx, shape, s)),
        _ => None,
    });
    quote! {
        //! Data structures and enums used by the operations.
        /// Builders for the structures in this module.
        pub mod builders;
        /// Errors (exceptions) the service models.
        pub mod error;
        #(#structs)*
        #(#enums)*
    }
}

/// `src/types/builders.rs`.
pub(crate) fn builders_rs(cx: &Ctx<'_>) -> TokenStream {
    let svc = cx.svc;
    let root = cx.root();
    let module_doc = super::inner_doc_values([format!(
        " Builders for the structures in [`{}::types`].",
        cx.doc_root()
    )]);
    let builders = type_shapes(svc).into_iter().map(|(shape, s)| {
        let spec = type_spec(cx, shape, s);
        let name = &spec.name;
        builder_def(cx, &spec, quote!(#root::types::#name))
    });
    quote! {
        #module_doc
        #(#builders)*
    }
}

/// `src/primitives.rs`.
pub(crate) fn primitives_rs(cx: &Ctx<'_>) -> TokenStream {
    let Prelude { string, .. } = cx.prelude();
    let streams = super::http::has_streams(cx.svc).then(|| {
        quote! {
            pub use ::aws_lite_runtime::primitives::{AggregatedBytes, ByteStream};
            pub use ::aws_lite_runtime::primitives::byte_stream::error::Error as ByteStreamError;
            #[cfg(feature = "rt-tokio")]
            pub use ::aws_lite_runtime::primitives::byte_stream::{FsBuilder, Length};
        }
    });
    let event_streams = super::http::has_event_streams(cx.svc).then(|| {
        quote! {
            /// Event streams: the receiver of an output's events and the messages they arrive in.
            pub mod event_stream {
                pub use ::aws_lite_runtime::event_stream::{EventReceiver, Header, HeaderValue, Message, RawMessage};
            }
        }
    });
    quote! {
        //! Primitive types used in shapes.
        pub use ::aws_lite_runtime::primitives::{Blob, DateTime, DateTimeFormat};
        #streams
        #event_streams
        /// A free-form JSON document.
        pub type Document = ::serde_json::Value;
        /// Holds the value of an enum variant the model does not know.
        pub mod sealed_enum_unknown {
            /// A value of an enum that is not one of the modelled values, kept unchanged.
            #[derive(Clone, Eq, Ord, PartialEq, PartialOrd, Debug, Hash)]
            pub struct UnknownVariantValue(pub(crate) #string);
            impl UnknownVariantValue {
                /// The value as received.
                #[inline]
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }
            impl ::std::fmt::Display for UnknownVariantValue {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&self.0)
                }
            }
        }
    }
}
