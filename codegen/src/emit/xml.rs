//! XML deserialization: `impl XmlRead` for every structure read from responses (outputs,
//! exceptions and the types they contain), in crates whose model lists an XML protocol
//! (query, ec2; rest-xml reuses it).
//!
//! Element names follow botocore's `BaseXMLResponseParser`: a member is the child named by
//! its `locationName`, else its name (a flattened list whose member has a `locationName` uses
//! that); a wrapped list's items are every child of its element, a flattened list's are the
//! repeated member elements; map entries hold `key`/`value` children (or their
//! `locationName`s), inside `entry` children of the member's element or, flattened, as the
//! repeated member elements themselves; `xmlAttribute` members are attributes of the
//! structure's element. Timestamps are ISO 8601 unless the model says otherwise. Unknown
//! children are skipped.

use super::Ctx;
use super::std_paths::Prelude;
use super::types::{Role, StructSpec};
use super::{TypeClass, rust_type, type_class};
use crate::ir::{MemberBindings, Primitive, Protocol, Service, ShapeKind, WireTimestampFormat};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// Whether the crate reads XML responses.
pub(crate) fn speaks_xml(svc: &Service) -> bool {
    svc.meta
        .protocols
        .iter()
        .any(|p| matches!(p, Protocol::Query | Protocol::Ec2 | Protocol::RestXml))
}

fn timestamp_format(svc: &Service, b: &MemberBindings, target: &str) -> TokenStream {
    match b
        .timestamp_format
        .or(svc.shape(target).bindings.timestamp_format)
    {
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

/// An expression reading the element `tag` (its start tag just read by `__r`) as a value of
/// shape `target`, of type `Result<T, XmlError>`; `None` for documents, which XML does not
/// carry.
pub(crate) fn read_value(
    cx: &Ctx<'_>,
    target: &str,
    b: &MemberBindings,
    tag: TokenStream,
    depth: usize,
) -> Option<TokenStream> {
    let svc = cx.svc;
    let shape = svc.shape(target);
    let t = format_ident!("__t{}", depth);
    Some(match &shape.kind {
        ShapeKind::Primitive(p) => match p {
            Primitive::String => quote!(__r.read_string(#tag)),
            Primitive::Integer => quote!(__r.read_i32(#tag)),
            Primitive::Long => quote!(__r.read_i64(#tag)),
            Primitive::Boolean => quote!(__r.read_bool(#tag)),
            Primitive::Double => quote!(__r.read_f64(#tag)),
            Primitive::Float => quote!(__r.read_f32(#tag)),
            Primitive::Blob => quote!(__r.read_blob(#tag)),
            Primitive::Timestamp => {
                let format = timestamp_format(svc, b, target);
                quote!(__r.read_timestamp(#tag, #format))
            }
            Primitive::Document => return None,
        },
        ShapeKind::Enum(_) => {
            let ty = rust_type(cx, target);
            quote!(__r.read_string(#tag).map(|__s| <#ty>::from(__s.as_str())))
        }
        ShapeKind::Structure(_) => {
            let ty = rust_type(cx, target);
            quote!(__r.read::<#ty>(#tag))
        }
        ShapeKind::List(elem) => {
            let member = shape.bindings.list_member.clone().unwrap_or_default();
            let item = read_value(cx, elem, &member, quote!(#t), depth + 1)?;
            quote!(__r.read_list(|__r, #t| #item))
        }
        ShapeKind::Map(k, v) => {
            let (key_name, value_name, key, value) = map_parts(cx, target, k, v, depth)?;
            quote!(__r.read_map(#key_name, #value_name, |__r, #t| #key, |__r, #t| #value))
        }
    })
}

/// The key and value element names of a map, and the expressions reading each from `__t{depth}`.
fn map_parts(
    cx: &Ctx<'_>,
    target: &str,
    k: &str,
    v: &str,
    depth: usize,
) -> Option<(String, String, TokenStream, TokenStream)> {
    let shape = cx.svc.shape(target);
    let t = format_ident!("__t{}", depth);
    let key_b = shape.bindings.map_key.clone().unwrap_or_default();
    let value_b = shape.bindings.map_value.clone().unwrap_or_default();
    let key_name = key_b.location_name.clone().unwrap_or_else(|| "key".into());
    let value_name = value_b
        .location_name
        .clone()
        .unwrap_or_else(|| "value".into());
    let key = read_value(cx, k, &key_b, quote!(#t), depth + 1)?;
    let value = read_value(cx, v, &value_b, quote!(#t), depth + 1)?;
    Some((key_name, value_name, key, value))
}

/// How an attribute's text `__s` (a `String`) becomes a value of shape `target`.
enum AttributeValue {
    /// An expression that cannot fail (strings, enums).
    Direct(TokenStream),
    /// A `Result` expression (numbers, booleans).
    Parse(TokenStream),
}

/// The conversion of an attribute's text to a value of shape `target`; `None` for shapes
/// that are not scalars.
fn attribute_value(cx: &Ctx<'_>, target: &str) -> Option<AttributeValue> {
    Some(match &cx.svc.shape(target).kind {
        ShapeKind::Primitive(Primitive::String) => AttributeValue::Direct(quote!(__s)),
        ShapeKind::Primitive(
            Primitive::Integer
            | Primitive::Long
            | Primitive::Boolean
            | Primitive::Double
            | Primitive::Float,
        ) => AttributeValue::Parse(quote!(__s.trim().parse())),
        ShapeKind::Enum(_) => {
            let ty = rust_type(cx, target);
            AttributeValue::Direct(quote!(<#ty>::from(__s.as_str())))
        }
        _ => return None,
    })
}

/// `impl XmlRead` for a structure read from responses.
pub(crate) fn xml_read_impl(cx: &Ctx<'_>, spec: &StructSpec<'_>) -> TokenStream {
    let svc = cx.svc;
    let Prelude {
        some,
        none,
        ok,
        err,
        vec,
        result,
        ..
    } = cx.prelude();
    let name = &spec.name;
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut attrs = Vec::new();
    let mut inits = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, m) in spec.structure.members.iter().enumerate() {
        let field = ident(&cx.member_names(&spec.shape.wire_name, m).field);
        let local = format_ident!("__m{}", i);
        let shape = svc.shape(&m.target);
        let flattened = shape.bindings.flattened || m.bindings.flattened;
        let list_member = shape.bindings.list_member.clone().unwrap_or_default();
        let element = match (&shape.kind, flattened, &list_member.location_name) {
            (ShapeKind::List(_), true, Some(n)) => n.clone(),
            _ => m
                .bindings
                .location_name
                .clone()
                .or_else(|| shape.bindings.location_name.clone())
                .unwrap_or_else(|| m.wire_name.clone()),
        };
        locals.push(quote!(let mut #local = #none;));
        let boxed = |v: TokenStream| {
            if m.boxed {
                quote!(::std::boxed::Box::new(#v))
            } else {
                v
            }
        };
        if m.bindings.xml_attribute {
            let wire = &m.wire_name;
            match attribute_value(cx, &m.target) {
                Some(AttributeValue::Direct(value)) => attrs.push(quote! {
                    if let #some(__s) = __tag.attribute(#element) {
                        #local = #some(#value);
                    }
                }),
                Some(AttributeValue::Parse(parse)) => attrs.push(quote! {
                    if let #some(__s) = __tag.attribute(#element) {
                        match #parse {
                            #ok(__v) => #local = #some(__v),
                            #err(_) => return #err(__r.invalid(__tag, #wire, &__s)),
                        }
                    }
                }),
                None => {}
            }
        } else if seen.insert(element.clone()) {
            let arm = match (&shape.kind, flattened) {
                (ShapeKind::List(elem), true) => read_value(cx, elem, &list_member, quote!(&__c), 1)
                    .map(|item| {
                        quote! {
                            #element => #local.get_or_insert_with(#vec::new).push(#item?),
                        }
                    }),
                (ShapeKind::Map(k, v), true) => map_parts(cx, &m.target, k, v, 0).map(
                    |(key_name, value_name, key, value)| {
                        quote! {
                            #element => {
                                let (__k, __v) = __r.read_map_entry(&__c, #key_name, #value_name, |__r, __t0| #key, |__r, __t0| #value)?;
                                #local.get_or_insert_with(::std::collections::HashMap::new).insert(__k, __v);
                            }
                        }
                    },
                ),
                _ => read_value(cx, &m.target, &m.bindings, quote!(&__c), 1).map(|v| {
                    let v = boxed(quote!(#v?));
                    quote!(#element => #local = #some(#v),)
                }),
            };
            arms.extend(arm);
        }
        let init = if spec.is_plain(m) {
            let defaultable = matches!(
                type_class(svc, &m.target),
                TypeClass::String | TypeClass::Copy | TypeClass::List | TypeClass::Map
            ) || matches!(shape.kind, ShapeKind::Primitive(Primitive::Blob));
            if defaultable {
                quote!(#local.unwrap_or_default())
            } else {
                let wire = &element;
                quote!(match #local { #some(v) => v, #none => return #err(__r.missing(__tag, #wire)) })
            }
        } else {
            quote!(#local)
        };
        inits.push(quote!(#field: #init,));
    }
    let extra = match spec.role {
        Role::Output => quote!(_request_id: #none,),
        Role::Exception => quote!(meta: ::std::default::Default::default(),),
        _ => quote!(),
    };
    let read_loop = if arms.is_empty() {
        quote! {
            while __r.next_child()?.is_some() {
                __r.skip()?;
            }
        }
    } else {
        quote! {
            while let #some(__c) = __r.next_child()? {
                match __c.local_name() {
                    #(#arms)*
                    _ => __r.skip()?,
                }
            }
        }
    };
    quote! {
        impl ::aws_lite_runtime::xml::XmlRead for #name {
            #[inline]
            #[allow(unused_variables)]
            fn read_xml(__r: &mut ::aws_lite_runtime::xml::XmlReader<'_>, __tag: &::aws_lite_runtime::xml::XmlTag<'_>) -> #result<Self, ::aws_lite_runtime::xml::XmlError> {
                #(#locals)*
                #(#attrs)*
                #read_loop
                #ok(Self { #(#inits)* #extra })
            }
        }
    }
}
