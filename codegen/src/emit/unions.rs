//! Unions: one Rust enum per union shape, with the official crates' shape and API.
//!
//! A union `X` with members `a`, `b` becomes
//! `#[non_exhaustive] enum X { A(TA), B(TB), #[non_exhaustive] Unknown }` (variants sorted by
//! name, as the official crates list them), with `as_a() -> Result<&TA, &Self>`, `is_a()` and
//! `is_unknown()`. `Unknown` stands for a member this version of the model does not know: a
//! response may carry one, a request never does (sending it fails before anything is sent,
//! naming the union).
//!
//! On the wire a union is exactly one member:
//! - JSON and CBOR (serde): an object with one key. Reading, `__type` is ignored, members
//!   whose value is `null` count as absent, and an object holding only keys the model does
//!   not know (or none) is `Unknown`; two known members are an error.
//! - query and ec2 (form): the set member's parameters under the union's prefix.
//! - XML: the first child element the model knows gives the variant; others are skipped.

use super::Ctx;
use super::std_paths::Prelude;
use super::types::{field_inner_type, member_docs};
use super::{doc_attrs, doc_values, rust_type, serde_codec};
use crate::ir::{Member, Shape, Structure};
use crate::naming::{self, ident};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// One member with its variant's names, in the order variants are emitted.
struct Variant<'a> {
    member: &'a Member,
    variant: Ident,
    variant_name: String,
    as_method: Ident,
    is_method: Ident,
}

fn variants<'a>(cx: &Ctx<'_>, shape: &Shape, s: &'a Structure) -> Vec<Variant<'a>> {
    let names = cx.shape_names(&shape.wire_name);
    let mut out: Vec<Variant<'a>> = s
        .members
        .iter()
        .map(|m| {
            let n = names
                .union_variants
                .iter()
                .find(|v| v.wire_name == m.wire_name)
                .expect("the name table names every member of every union");
            Variant {
                member: m,
                variant: ident(&n.variant),
                variant_name: naming::unraw(&n.variant).to_string(),
                as_method: ident(&n.as_method),
                is_method: ident(&n.is_method),
            }
        })
        .collect();
    // The official crates list a union's variants by name.
    out.sort_by(|a, b| a.variant_name.cmp(&b.variant_name));
    out
}

/// The enum of a union shape, its accessors, and its wire impls (serde, query form, XML)
/// and checks as the crate needs them.
pub(crate) fn union_def(cx: &Ctx<'_>, shape: &Shape, s: &Structure) -> TokenStream {
    let svc = cx.svc;
    let Prelude {
        result, ok, err, ..
    } = cx.prelude();
    let doc_root = cx.doc_root();
    let name = cx.type_ident(&shape.wire_name);
    let name_text = naming::unraw(&name.to_string()).to_string();
    let vs = variants(cx, shape, s);
    let mut docs = if shape.docs.is_empty() {
        format!("The `{}` union.", shape.wire_name)
    } else {
        shape.docs.clone()
    };
    if s.event_stream {
        docs.push_str(
            "\n\nThis is an event stream: the operation's output receives its events one by one \
(`recv()` on the output's `EventReceiver`), each exactly one of the variants. It is \
`#[non_exhaustive]`: an event this version of the model does not know is read as \
[`Unknown`](Self::Unknown).",
        );
    } else {
        docs.push_str(
            "\n\nThis is a union: a value is exactly one of the variants. It is \
`#[non_exhaustive]`: a member this version of the model does not know is read as \
[`Unknown`](Self::Unknown), which cannot be sent.",
        );
    }
    let docs = doc_attrs(&docs, "");
    let defs = vs.iter().map(|v| {
        let ty = field_inner_type(cx, &shape.wire_name, v.member);
        let vdocs = doc_attrs(
            &member_docs(v.member),
            &format!("The `{}` member.", v.member.wire_name),
        );
        let variant = &v.variant;
        quote!(#vdocs #variant(#ty),)
    });
    let accessors = vs.iter().map(|v| {
        // A boxed (recursive) variant still gives `&T`.
        let ty = rust_type(cx, &v.member.target);
        let variant = &v.variant;
        let as_method = &v.as_method;
        let is_method = &v.is_method;
        let variant_link = format!("[`{0}`]({doc_root}::types::{name_text}::{0})", v.variant_name);
        let as_doc = doc_values([
            format!(" Tries to convert the enum instance into {variant_link}, extracting the inner value."),
            " Returns `Err(&Self)` if it can't be converted.".to_string(),
        ]);
        let is_doc = doc_values([format!(" Returns true if this is a {variant_link}.")]);
        quote! {
            #as_doc
            #[inline]
            pub fn #as_method(&self) -> #result<&#ty, &Self> {
                if let #name::#variant(val) = &self { #ok(val) } else { #err(self) }
            }
            #is_doc
            #[inline]
            pub fn #is_method(&self) -> bool {
                self.#as_method().is_ok()
            }
        }
    });
    // An event stream is read from messages, not from a document.
    let codecs = !s.event_stream;
    let events = s.event_stream.then(|| {
        let variants: Vec<(&Member, Ident)> =
            vs.iter().map(|v| (v.member, v.variant.clone())).collect();
        super::event_streams::union_impl(cx, shape, s, &variants)
    });
    let serialize = (codecs && shape.serialize).then(|| serialize_impl(cx, shape, &name, &vs));
    let deserialize =
        (codecs && shape.deserialize).then(|| deserialize_impl(cx, shape, &name, &vs));
    let query = (codecs && shape.serialize && super::query::speaks_query(svc))
        .then(|| query_write_impl(cx, &name, &vs));
    let xml = (codecs && shape.deserialize && super::xml::speaks_xml(svc))
        .then(|| xml_read_impl(cx, &name, &vs));
    let xml_write = (codecs && shape.serialize && super::xml::speaks_rest_xml(svc))
        .then(|| xml_write_impl(cx, &name, &vs));
    let checks =
        (codecs && shape.serialize && shape.validate).then(|| validate_impl(cx, shape, &name, &vs));
    let unknown_docs = if s.event_stream {
        doc_values([
            " An event this version of the model does not know, received from the service.",
            "",
            " Consider regenerating the crate from a newer model.",
        ])
    } else {
        doc_values([
            " A member this version of the model does not know, received from the service.",
            "",
            " It cannot be sent: a request holding it fails before sending. Consider",
            " regenerating the crate from a newer model.",
        ])
    };
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, PartialEq, Debug)]
        pub enum #name {
            #(#defs)*
            #unknown_docs
            #[non_exhaustive]
            Unknown,
        }
        impl #name {
            #(#accessors)*
            /// Returns true if the enum instance is the `Unknown` variant.
            #[inline]
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, Self::Unknown)
            }
        }
        #serialize
        #deserialize
        #query
        #xml
        #xml_write
        #checks
        #events
    }
}

/// `impl Serialize`: an object (a struct, for CBOR's definite-length map) of the one member
/// set; `Unknown` is an error (validation refuses it before a request is built).
fn serialize_impl(cx: &Ctx<'_>, shape: &Shape, name: &Ident, vs: &[Variant<'_>]) -> TokenStream {
    let svc = cx.svc;
    let Prelude { result, err, .. } = cx.prelude();
    let wire_struct = shape.wire_name.as_str();
    let arms = vs.iter().map(|v| {
        let variant = &v.variant;
        let key = super::http::body_key(svc, v.member);
        let value = match serde_codec(svc, &v.member.target) {
            Some(codec) => {
                let codec: TokenStream = codec.parse().expect("codec paths are valid Rust");
                quote!(&::aws_lite_runtime::serde_helpers::Ser::<#codec, _>::new(__value))
            }
            None => quote!(__value),
        };
        quote! {
            #name::#variant(__value) => {
                let mut __state = __serializer.serialize_struct(#wire_struct, 1)?;
                __state.serialize_field(#key, #value)?;
                __state.end()
            }
        }
    });
    let message = format!(
        "the union `{wire_struct}` holds its `Unknown` variant, which cannot be sent: set one of its members"
    );
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> #result<__S::Ok, __S::Error> {
                use ::serde::ser::SerializeStruct as _;
                match self {
                    #(#arms)*
                    #name::Unknown => #err(<__S::Error as ::serde::ser::Error>::custom(#message)),
                }
            }
        }
    }
}

/// `impl Deserialize` through the runtime's `deserialize_structure`: the keys are matched by
/// `FieldIndex` against the members' keys, then `__type` (ignored).
fn deserialize_impl(cx: &Ctx<'_>, shape: &Shape, name: &Ident, vs: &[Variant<'_>]) -> TokenStream {
    let svc = cx.svc;
    let Prelude {
        result,
        some,
        none,
        ok,
        err,
        boxed,
        ..
    } = cx.prelude();
    let expecting = format!("union {}", shape.wire_name);
    let mut keys: Vec<&str> = vs
        .iter()
        .map(|v| super::http::body_key(svc, v.member))
        .collect();
    let type_index = proc_macro2::Literal::usize_unsuffixed(keys.len());
    keys.push("__type");
    let two = format!(
        "the union `{}` has more than one member set",
        shape.wire_name
    );
    let arms = vs.iter().enumerate().map(|(i, v)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let variant = &v.variant;
        let ty = rust_type(cx, &v.member.target);
        let read = match serde_codec(svc, &v.member.target) {
            Some(codec) => {
                let codec: TokenStream = codec.parse().expect("codec paths are valid Rust");
                quote!(__map.next_value_seed(::aws_lite_runtime::serde_helpers::Seed::<::aws_lite_runtime::serde_helpers::OptionOf<#codec>, ::std::option::Option<#ty>>::new())?)
            }
            None => quote!(__map.next_value::<::std::option::Option<#ty>>()?),
        };
        let wrap = if v.member.boxed {
            quote!(|__v| #name::#variant(#boxed::new(__v)))
        } else {
            quote!(#name::#variant)
        };
        quote!(#i => #read.map(#wrap),)
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__deserializer: __D) -> #result<Self, __D::Error> {
                ::aws_lite_runtime::serde_helpers::deserialize_structure(__deserializer)
            }
        }
        impl<'de> ::aws_lite_runtime::serde_helpers::Structure<'de> for #name {
            const EXPECTING: &'static str = #expecting;
            fn visit_map<__A: ::serde::de::MapAccess<'de>>(mut __map: __A) -> #result<Self, __A::Error> {
                let mut __value: ::std::option::Option<Self> = #none;
                while let #some(__index) = __map.next_key_seed(::aws_lite_runtime::serde_helpers::FieldIndex(&[#(#keys),*]))? {
                    let __read = match __index {
                        #(#arms)*
                        #type_index => {
                            __map.next_value::<::serde::de::IgnoredAny>()?;
                            #none
                        }
                        _ => {
                            __map.next_value::<::serde::de::IgnoredAny>()?;
                            #some(#name::Unknown)
                        }
                    };
                    match (__read, &__value) {
                        (#none, _) => {}
                        (#some(#name::Unknown), _) => {
                            if __value.is_none() {
                                __value = #some(#name::Unknown);
                            }
                        }
                        (#some(__v), #none | #some(#name::Unknown)) => __value = #some(__v),
                        (#some(_), #some(_)) => {
                            return #err(<__A::Error as ::serde::de::Error>::custom(#two));
                        }
                    }
                }
                #ok(__value.unwrap_or(#name::Unknown))
            }
        }
    }
}

/// `impl QueryWrite`: the set member under the union's prefix, as a structure's member.
fn query_write_impl(cx: &Ctx<'_>, name: &Ident, vs: &[Variant<'_>]) -> TokenStream {
    let svc = cx.svc;
    let arms = vs.iter().map(|v| {
        let m = v.member;
        let variant = &v.variant;
        let key_name = super::query::serialized_name(svc, &m.bindings, &m.target, &m.wire_name);
        let write =
            super::query::write_value(svc, &m.target, &m.bindings, quote!(&__key), quote!(__v), 0);
        quote! {
            #name::#variant(__v) => {
                let __key = ::aws_lite_runtime::query_form::QueryWriter::key(__prefix, #key_name);
                #write
            }
        }
    });
    quote! {
        impl ::aws_lite_runtime::query_form::QueryWrite for #name {
            #[inline]
            fn write_query(&self, __w: &mut ::aws_lite_runtime::query_form::QueryWriter, __prefix: &str) {
                match self {
                    #(#arms)*
                    // Refused before a request is built (`validate_constraints`).
                    #name::Unknown => {}
                }
            }
        }
    }
}

/// `impl XmlWrite` (rest-xml requests): the set member as the one child element, written as a
/// structure's member is.
fn xml_write_impl(cx: &Ctx<'_>, name: &Ident, vs: &[Variant<'_>]) -> TokenStream {
    let svc = cx.svc;
    let arms = vs.iter().map(|v| {
        let m = v.member;
        let variant = &v.variant;
        let element = super::xml::write_name(svc, &m.bindings, &m.target, &m.wire_name);
        let write = super::xml::write_value(
            cx,
            &m.target,
            &m.bindings,
            &element,
            quote!(__v),
            m.boxed,
            0,
        );
        quote! {
            #name::#variant(__v) => { #write }
        }
    });
    quote! {
        impl ::aws_lite_runtime::xml::XmlWrite for #name {
            #[inline]
            fn write_xml(&self, __w: &mut ::aws_lite_runtime::xml::XmlWriter) {
                match self {
                    #(#arms)*
                    // Refused before a request is built (`validate_constraints`).
                    #name::Unknown => {}
                }
            }
        }
    }
}

/// `impl XmlRead`: the first child element naming a member the model knows; the others are
/// skipped. No such child: `Unknown`.
fn xml_read_impl(cx: &Ctx<'_>, name: &Ident, vs: &[Variant<'_>]) -> TokenStream {
    let svc = cx.svc;
    let Prelude {
        result,
        some,
        none,
        ok,
        boxed,
        ..
    } = cx.prelude();
    let mut seen = std::collections::BTreeSet::new();
    let arms = vs.iter().filter_map(|v| {
        let m = v.member;
        let target = svc.shape(&m.target);
        let element = m
            .bindings
            .location_name
            .clone()
            .or_else(|| target.bindings.location_name.clone())
            .unwrap_or_else(|| m.wire_name.clone());
        if !seen.insert(element.clone()) {
            return None;
        }
        let read = super::xml::read_value(cx, &m.target, &m.bindings, quote!(&__c), 1)?;
        let variant = &v.variant;
        let value = if m.boxed {
            quote!(#boxed::new(#read?))
        } else {
            quote!(#read?)
        };
        Some(quote! {
            #element if __value.is_none() => __value = #some(#name::#variant(#value)),
        })
    });
    quote! {
        impl ::aws_lite_runtime::xml::XmlRead for #name {
            #[inline]
            fn read_xml(__r: &mut ::aws_lite_runtime::xml::XmlReader<'_>, __tag: &::aws_lite_runtime::xml::XmlTag<'_>) -> #result<Self, ::aws_lite_runtime::xml::XmlError> {
                let _ = __tag;
                let mut __value: ::std::option::Option<Self> = #none;
                while let #some(__c) = __r.next_child()? {
                    match __c.local_name() {
                        #(#arms)*
                        _ => __r.skip()?,
                    }
                }
                #ok(__value.unwrap_or(#name::Unknown))
            }
        }
    }
}

/// `validate_constraints`: `Unknown` cannot be sent; the set member's own checks run.
fn validate_impl(cx: &Ctx<'_>, shape: &Shape, name: &Ident, vs: &[Variant<'_>]) -> TokenStream {
    let svc = cx.svc;
    let Prelude {
        result, ok, err, ..
    } = cx.prelude();
    let wire_struct = shape.wire_name.as_str();
    let arms = vs.iter().map(|v| {
        let variant = &v.variant;
        let wire = &v.member.wire_name;
        if svc.shape(&v.member.target).validate {
            let checks = super::validate::value_checks(cx, &v.member.target, 0);
            let v0 = format_ident!("v0");
            quote! {
                #name::#variant(#v0) => {
                    let at = at.member(#wire);
                    #checks
                }
            }
        } else {
            quote!(#name::#variant(_) => {})
        }
    });
    quote! {
        impl #name {
            /// Checks the model's minimums on this value and everything in it, and that it is
            /// not `Unknown`.
            #[inline]
            pub(crate) fn validate_constraints(
                &self,
                at: &::aws_lite_runtime::validate::Path<'_>,
            ) -> #result<(), ::aws_lite_runtime::error::BuildError> {
                match self {
                    #(#arms)*
                    #name::Unknown => return #err(::aws_lite_runtime::validate::unknown_union_member(at, #wire_struct)),
                }
                #ok(())
            }
        }
    }
}
