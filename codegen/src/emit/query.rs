//! The form serialization of the query and ec2 protocols: `impl QueryWrite` for every
//! structure sent in requests, in crates whose model lists `query` or `ec2`.
//!
//! The keys follow botocore's `QuerySerializer` and `EC2Serializer`: a member is written under
//! its `locationName` (query) or its `queryName`, else its `locationName` capitalised (ec2),
//! else its name; lists as `Name.member.N` (the list member's `locationName` instead of
//! `member`) or, flattened, `Name.N` (ec2: always flattened); maps as
//! `Name.entry.N.key`/`.value` (their `locationName`s instead of `key`/`value`), without
//! `.entry` when flattened.

use super::Ctx;
use super::types::StructSpec;
use crate::ir::{MemberBindings, Primitive, Protocol, Service, ShapeKind, WireTimestampFormat};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// Whether the crate speaks a protocol with form-encoded requests.
pub(crate) fn speaks_query(svc: &Service) -> bool {
    svc.meta
        .protocols
        .iter()
        .any(|p| matches!(p, Protocol::Query | Protocol::Ec2))
}

/// Whether the model's form protocol is ec2 (its naming rules).
fn is_ec2(svc: &Service) -> bool {
    svc.meta.protocols.contains(&Protocol::Ec2)
}

/// ec2's name of a member, key or value: `queryName`, else `locationName` capitalised, else
/// `default`.
fn ec2_name(b: &MemberBindings, default: &str) -> String {
    if let Some(q) = &b.query_name {
        return q.clone();
    }
    match &b.location_name {
        Some(n) => {
            let mut chars = n.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
        None => default.to_string(),
    }
}

/// The serialized name of a member, key or value with bindings `b` whose shape is `target`.
pub(crate) fn serialized_name(
    svc: &Service,
    b: &MemberBindings,
    target: &str,
    default: &str,
) -> String {
    if is_ec2(svc) {
        return ec2_name(b, default);
    }
    b.location_name
        .clone()
        .or_else(|| svc.shape(target).bindings.location_name.clone())
        .unwrap_or_else(|| default.to_string())
}

/// The timestamp format of a value (member binding, else its shape's), ISO 8601 by default.
fn timestamp_format(svc: &Service, b: &MemberBindings, target: &str) -> TokenStream {
    let format = b
        .timestamp_format
        .or(svc.shape(target).bindings.timestamp_format);
    match format {
        Some(WireTimestampFormat::EpochSeconds) => {
            quote!(::aws_lite_runtime::primitives::DateTimeFormat::EpochSeconds)
        }
        Some(WireTimestampFormat::HttpDate) => {
            quote!(::aws_lite_runtime::primitives::DateTimeFormat::HttpDate)
        }
        Some(WireTimestampFormat::Iso8601) | None => {
            quote!(::aws_lite_runtime::primitives::DateTimeFormat::DateTime)
        }
    }
}

/// Statements writing the value `v` (a reference) of shape `target` under the key `key` (a
/// `&str` expression), through the writer `__w`.
pub(crate) fn write_value(
    svc: &Service,
    target: &str,
    b: &MemberBindings,
    key: TokenStream,
    v: TokenStream,
    depth: usize,
) -> TokenStream {
    let shape = svc.shape(target);
    let (k, item) = (
        quote::format_ident!("__k{}", depth),
        quote::format_ident!("__v{}", depth),
    );
    match &shape.kind {
        ShapeKind::Primitive(Primitive::Timestamp) => {
            let format = timestamp_format(svc, b, target);
            quote!(__w.timestamp(#key, #v, #format);)
        }
        ShapeKind::Primitive(Primitive::Document) => quote!(let _ = #v;),
        ShapeKind::Primitive(_) | ShapeKind::Structure(_) => quote!(__w.value(#key, #v);),
        ShapeKind::Enum(_) => quote!(__w.pair(#key, #v.as_str());),
        ShapeKind::List(elem) => {
            let member = shape.bindings.list_member.clone().unwrap_or_default();
            let flattened = shape.bindings.flattened || b.flattened;
            let (member_name, flat_name) = if is_ec2(svc) || flattened {
                let name = (!is_ec2(svc))
                    .then(|| member.location_name.clone())
                    .flatten();
                let name = match name {
                    Some(n) => quote!(::std::option::Option::Some(#n)),
                    None => quote!(::std::option::Option::None),
                };
                (quote!(::std::option::Option::None), name)
            } else {
                let name = serialized_name(svc, &member, elem, "member");
                (
                    quote!(::std::option::Option::Some(#name)),
                    quote!(::std::option::Option::None),
                )
            };
            let inner = write_value(svc, elem, &member, quote!(#k), quote!(#item), depth + 1);
            quote! {
                __w.list(#key, #member_name, #flat_name, #v, |__w, #k, #item| { #inner });
            }
        }
        ShapeKind::Map(key_shape, value_shape) => {
            let flattened = shape.bindings.flattened || b.flattened;
            let key_b = shape.bindings.map_key.clone().unwrap_or_default();
            let value_b = shape.bindings.map_value.clone().unwrap_or_default();
            let key_name = serialized_name(svc, &key_b, key_shape, "key");
            let value_name = serialized_name(svc, &value_b, value_shape, "value");
            let inner = write_value(
                svc,
                value_shape,
                &value_b,
                quote!(#k),
                quote!(#item),
                depth + 1,
            );
            quote! {
                __w.map(#key, #flattened, #key_name, #value_name, #v, |__w, #k, #item| { #inner });
            }
        }
    }
}

/// `impl QueryWrite` for a structure sent in requests.
pub(crate) fn query_write_impl(cx: &Ctx<'_>, spec: &StructSpec<'_>) -> TokenStream {
    let svc = cx.svc;
    let name = &spec.name;
    let mut writes = Vec::new();
    for m in &spec.structure.members {
        // A streaming payload is the request body itself (`invoke_with_stream`).
        if super::http::is_stream(svc, &spec.shape.wire_name, m) {
            continue;
        }
        let field = ident(&cx.member_names(&spec.shape.wire_name, m).field);
        let key_name = serialized_name(svc, &m.bindings, &m.target, &m.wire_name);
        let write = write_value(svc, &m.target, &m.bindings, quote!(&__key), quote!(__v), 0);
        let body = quote! {
            let __key = ::aws_lite_runtime::query_form::QueryWriter::key(__prefix, #key_name);
            #write
        };
        if spec.is_plain(svc, m) {
            writes.push(quote! { { let __v = &self.#field; #body } });
        } else {
            writes.push(quote! {
                if let ::std::option::Option::Some(__v) = &self.#field { #body }
            });
        }
    }
    let (w, prefix) = if writes.is_empty() {
        (quote!(_), quote!(_))
    } else {
        (quote!(__w), quote!(__prefix))
    };
    quote! {
        impl ::aws_lite_runtime::query_form::QueryWrite for #name {
            #[inline]
            fn write_query(&self, #w: &mut ::aws_lite_runtime::query_form::QueryWriter, #prefix: &str) {
                #(#writes)*
            }
        }
    }
}
