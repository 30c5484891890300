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
        // A streaming payload is the response body itself (`set_streaming_payload`), never an
        // element of it.
        if super::http::is_stream(svc, &spec.shape.wire_name, m) {
            inits.push(quote!(#field: ::std::default::Default::default(),));
            continue;
        }
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
        let init = if spec.is_plain(svc, m) && m.default.is_some() {
            let v = super::types::default_value(m);
            quote!(#local.unwrap_or(#v))
        } else if spec.is_plain(svc, m) {
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

/// Whether the crate writes XML request bodies (rest-xml).
pub(crate) fn speaks_rest_xml(svc: &Service) -> bool {
    svc.meta.protocols.contains(&Protocol::RestXml)
}

/// The namespace of an element: on the member (or list member, key, value) reference, else
/// on its shape, as botocore merges them.
fn namespace_of<'s>(
    svc: &'s Service,
    b: &'s MemberBindings,
    target: &str,
) -> Option<&'s crate::ir::XmlNamespace> {
    b.xml_namespace
        .as_ref()
        .or(svc.shape(target).bindings.xml_namespace.as_ref())
}

/// The serialized name of a member, list member, key or value: its `locationName`, else its
/// shape's, else `default` (botocore's `serialization.get('name', default)`).
pub(crate) fn write_name(svc: &Service, b: &MemberBindings, target: &str, default: &str) -> String {
    b.location_name
        .clone()
        .or_else(|| svc.shape(target).bindings.location_name.clone())
        .unwrap_or_else(|| default.to_string())
}

/// `__w.namespace(..)` for the element just started, when it has one.
fn namespace_call(ns: Option<&crate::ir::XmlNamespace>) -> TokenStream {
    match ns {
        Some(ns) => {
            let uri = &ns.uri;
            let prefix = match &ns.prefix {
                Some(p) => quote!(::std::option::Option::Some(#p)),
                None => quote!(::std::option::Option::None),
            };
            quote!(__w.namespace(#prefix, #uri);)
        }
        None => quote!(),
    }
}

/// Statements writing the value `v` (a reference to the member type, or a `Box` of it when
/// `boxed`) of shape `target` as the element `name`, as botocore's `RestXMLSerializer` does.
pub(crate) fn write_value(
    cx: &Ctx<'_>,
    target: &str,
    b: &MemberBindings,
    name: &str,
    v: TokenStream,
    boxed: bool,
    depth: usize,
) -> TokenStream {
    let svc = cx.svc;
    let shape = svc.shape(target);
    let ns = namespace_call(namespace_of(svc, b, target));
    let item = format_ident!("__v{}", depth);
    let scalar = |text: TokenStream| {
        if ns.is_empty() {
            quote!(__w.scalar(#name, #text);)
        } else {
            quote! {
                __w.start(#name);
                #ns
                __w.value(#text);
                __w.end();
            }
        }
    };
    match &shape.kind {
        ShapeKind::Primitive(Primitive::Document) => quote!(let _ = #v;),
        ShapeKind::Primitive(Primitive::Timestamp) => {
            let format = timestamp_format(svc, b, target);
            scalar(quote!(&::aws_lite_runtime::xml::XmlTimestamp(#v, #format)))
        }
        ShapeKind::Primitive(_) => scalar(v),
        ShapeKind::Enum(_) => scalar(quote!(&#v.as_str())),
        ShapeKind::Structure(_) => {
            let value = if boxed { quote!(&**#v) } else { v };
            quote! {
                __w.start(#name);
                #ns
                ::aws_lite_runtime::xml::XmlWrite::write_xml(#value, __w);
                __w.end();
            }
        }
        ShapeKind::List(elem) => {
            let member = shape.bindings.list_member.clone().unwrap_or_default();
            let flattened = shape.bindings.flattened || b.flattened;
            if flattened {
                let inner = write_value(cx, elem, &member, name, quote!(#item), false, depth + 1);
                quote! {
                    for #item in #v.iter() { #inner }
                }
            } else {
                let item_name = write_name(svc, &member, elem, "member");
                let inner = write_value(
                    cx,
                    elem,
                    &member,
                    &item_name,
                    quote!(#item),
                    false,
                    depth + 1,
                );
                quote! {
                    __w.start(#name);
                    #ns
                    for #item in #v.iter() { #inner }
                    __w.end();
                }
            }
        }
        ShapeKind::Map(k, val) => {
            let flattened = shape.bindings.flattened || b.flattened;
            let key_b = shape.bindings.map_key.clone().unwrap_or_default();
            let value_b = shape.bindings.map_value.clone().unwrap_or_default();
            let key_name = write_name(svc, &key_b, k, "key");
            let value_name = write_name(svc, &value_b, val, "value");
            let (key, value) = (format_ident!("__k{}", depth), format_ident!("__e{}", depth));
            let write_key = write_value(cx, k, &key_b, &key_name, quote!(#key), false, depth + 1);
            let write_val = write_value(
                cx,
                val,
                &value_b,
                &value_name,
                quote!(#value),
                false,
                depth + 1,
            );
            // Entries in key order: the same input always gives the same bytes.
            let entries = quote! {
                let mut __entries: ::std::vec::Vec<_> = #v.iter().collect();
                __entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
            };
            if flattened {
                quote! {
                    #entries
                    for (#key, #value) in __entries {
                        __w.start(#name);
                        #write_key
                        #write_val
                        __w.end();
                    }
                }
            } else {
                quote! {
                    #entries
                    __w.start(#name);
                    #ns
                    for (#key, #value) in __entries {
                        __w.start("entry");
                        #write_key
                        #write_val
                        __w.end();
                    }
                    __w.end();
                }
            }
        }
    }
}

/// Whether a member of a structure of `role` goes into the XML body: not when a rest
/// binding puts it elsewhere (inputs: URI, query string, headers, payload).
fn in_xml_body(cx: &Ctx<'_>, spec: &StructSpec<'_>, m: &crate::ir::Member) -> bool {
    if spec.role != Role::Input {
        return true;
    }
    m.bindings.location.is_none()
        && spec.shape.bindings.payload.as_deref() != Some(m.wire_name.as_str())
        && !matches!(
            cx.svc.shape(&m.target).kind,
            ShapeKind::Primitive(Primitive::Document)
        )
}

/// `impl XmlWrite` for a structure sent in rest-xml requests.
pub(crate) fn xml_write_impl(cx: &Ctx<'_>, spec: &StructSpec<'_>) -> TokenStream {
    let svc = cx.svc;
    let name = &spec.name;
    let mut attrs = Vec::new();
    let mut children = Vec::new();
    for m in &spec.structure.members {
        if !in_xml_body(cx, spec, m) {
            continue;
        }
        let field = ident(&cx.member_names(&spec.shape.wire_name, m).field);
        let element = write_name(svc, &m.bindings, &m.target, &m.wire_name);
        let (list, stmt) = if m.bindings.xml_attribute {
            let text = match &svc.shape(&m.target).kind {
                ShapeKind::Enum(_) => quote!(&__v.as_str()),
                ShapeKind::Primitive(Primitive::Timestamp) => {
                    let format = timestamp_format(svc, &m.bindings, &m.target);
                    quote!(&::aws_lite_runtime::xml::XmlTimestamp(__v, #format))
                }
                ShapeKind::Primitive(p) if *p != Primitive::Document => quote!(__v),
                _ => continue,
            };
            (&mut attrs, quote!(__w.attribute_value(#element, #text);))
        } else {
            let stmt = write_value(
                cx,
                &m.target,
                &m.bindings,
                &element,
                quote!(__v),
                m.boxed,
                0,
            );
            (&mut children, stmt)
        };
        if spec.is_plain(svc, m) {
            list.push(quote! { { let __v = &self.#field; #stmt } });
        } else {
            list.push(quote! {
                if let ::std::option::Option::Some(__v) = &self.#field { #stmt }
            });
        }
    }
    let w = if attrs.is_empty() && children.is_empty() {
        quote!(_)
    } else {
        quote!(__w)
    };
    quote! {
        impl ::aws_lite_runtime::xml::XmlWrite for #name {
            #[inline]
            fn write_xml(&self, #w: &mut ::aws_lite_runtime::xml::XmlWriter) {
                #(#attrs)*
                #(#children)*
            }
        }
    }
}

/// `fn xml_body` of an operation input in a rest-xml crate: the input's body members in the
/// element its reference names, or the structure payload member as the document.
pub(crate) fn xml_body_fn(cx: &Ctx<'_>, op: &crate::ir::Operation) -> TokenStream {
    let svc = cx.svc;
    if !speaks_rest_xml(svc) {
        return quote!();
    }
    let shape = svc.shape(&op.input_shape);
    let ShapeKind::Structure(s) = &shape.kind else {
        return quote!();
    };
    let payload = shape
        .bindings
        .payload
        .as_deref()
        .and_then(|p| s.members.iter().find(|m| m.wire_name == p));
    let body = match payload {
        Some(p) => {
            if !matches!(svc.shape(&p.target).kind, ShapeKind::Structure(_)) {
                // Raw payloads are the HTTP binding's; documents are not XML.
                return quote!();
            }
            let field = ident(&cx.member_names(&shape.wire_name, p).field);
            let element = write_name(svc, &p.bindings, &p.target, &p.wire_name);
            let write = write_value(
                cx,
                &p.target,
                &p.bindings,
                &element,
                quote!(__v),
                p.boxed,
                0,
            );
            quote! {
                let ::std::option::Option::Some(__v) = &self.#field else {
                    return ::std::result::Result::Ok(::std::option::Option::None);
                };
                let mut __writer = ::aws_lite_runtime::xml::XmlWriter::new();
                let __w = &mut __writer;
                #write
            }
        }
        None => {
            let body_members: Vec<_> = s
                .members
                .iter()
                .filter(|m| {
                    m.bindings.location.is_none()
                        && !matches!(
                            svc.shape(&m.target).kind,
                            ShapeKind::Primitive(Primitive::Document)
                        )
                })
                .map(|m| ident(&cx.member_names(&shape.wire_name, m).field))
                .collect();
            if body_members.is_empty() {
                return quote! {
                    #[inline]
                    fn xml_body(&self) -> ::std::result::Result<::std::option::Option<::std::string::String>, ::aws_lite_runtime::http::BoxError> {
                        ::std::result::Result::Ok(::std::option::Option::None)
                    }
                };
            }
            let root = write_name(svc, &op.input_bindings, &op.input_shape, &shape.wire_name);
            let ns = namespace_call(namespace_of(svc, &op.input_bindings, &op.input_shape));
            quote! {
                if #(self.#body_members.is_none())&&* {
                    return ::std::result::Result::Ok(::std::option::Option::None);
                }
                let mut __writer = ::aws_lite_runtime::xml::XmlWriter::new();
                let __w = &mut __writer;
                __w.start(#root);
                #ns
                ::aws_lite_runtime::xml::XmlWrite::write_xml(self, __w);
                __w.end();
            }
        }
    };
    quote! {
        #[inline]
        fn xml_body(&self) -> ::std::result::Result<::std::option::Option<::std::string::String>, ::aws_lite_runtime::http::BoxError> {
            #body
            __writer.try_finish().map(::std::option::Option::Some).map_err(::std::convert::Into::into)
        }
    }
}

/// `fn read_xml` of an operation output in a rest-xml crate whose structure payload member is
/// the whole body: that member is read from the root element, the others are left to
/// `read_http`. `None` when the output has no such payload.
pub(crate) fn payload_output_read(cx: &Ctx<'_>, op: &crate::ir::Operation) -> Option<TokenStream> {
    let svc = cx.svc;
    if !speaks_rest_xml(svc) {
        return None;
    }
    let shape = svc.shape(&op.output_shape);
    let ShapeKind::Structure(s) = &shape.kind else {
        return None;
    };
    let p = shape
        .bindings
        .payload
        .as_deref()
        .and_then(|p| s.members.iter().find(|m| m.wire_name == p))?;
    // An event stream is read from messages (`set_streaming_payload`), not from a document.
    if !matches!(svc.shape(&p.target).kind, ShapeKind::Structure(_))
        || super::http::is_stream(svc, &shape.wire_name, p)
    {
        return None;
    }
    let ty = rust_type(cx, &p.target);
    let mut inits = Vec::new();
    for m in &s.members {
        let field = ident(&cx.member_names(&shape.wire_name, m).field);
        let plain = Role::Output.is_plain(svc, m);
        let init = if m.wire_name == p.wire_name {
            let read =
                quote!(<#ty as ::aws_lite_runtime::xml::XmlRead>::read_xml(reader, element)?);
            let read = if m.boxed {
                quote!(::std::boxed::Box::new(#read))
            } else {
                read
            };
            if plain {
                read
            } else {
                quote!(::std::option::Option::Some(#read))
            }
        } else if plain {
            super::types::default_value(m)
        } else {
            quote!(::std::option::Option::None)
        };
        inits.push(quote!(#field: #init,));
    }
    Some(quote! {
        #[inline]
        fn read_xml(reader: &mut ::aws_lite_runtime::xml::XmlReader<'_>, element: &::aws_lite_runtime::xml::XmlTag<'_>) -> ::std::result::Result<Self, ::aws_lite_runtime::xml::XmlError> {
            ::std::result::Result::Ok(Self { #(#inits)* _request_id: ::std::option::Option::None })
        }
    })
}

/// An S3 list operation, its top-level URL-encoded members, and its `(list, item member)`
/// pairs.
type UrlEncoded = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// botocore's `decode_list_object*` handlers (`handlers.py`): the members of S3's list
/// outputs that S3 URL-encodes with `EncodingType=url`, at the top level and inside list
/// items (`(list member, item member)`).
const S3_URL_ENCODED: &[UrlEncoded] = &[
    (
        "ListObjects",
        &["Delimiter", "Marker", "NextMarker"],
        &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
    ),
    (
        "ListObjectsV2",
        &["Delimiter", "Prefix", "StartAfter"],
        &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
    ),
    (
        "ListObjectVersions",
        &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
        &[
            ("Versions", "Key"),
            ("DeleteMarkers", "Key"),
            ("CommonPrefixes", "Prefix"),
        ],
    ),
];

/// `fn post_read` of S3's list outputs: the values S3 URL-encoded decoded when the response
/// says `EncodingType=url` (see [`S3_URL_ENCODED`]).
pub(crate) fn post_read_fn(cx: &Ctx<'_>, op: &crate::ir::Operation) -> TokenStream {
    let svc = cx.svc;
    if !speaks_rest_xml(svc) || svc.meta.service_id != "S3" {
        return quote!();
    }
    let Some((_, top, nested)) = S3_URL_ENCODED
        .iter()
        .find(|(name, ..)| *name == op.wire_name)
    else {
        return quote!();
    };
    let shape = svc.shape(&op.output_shape);
    let ShapeKind::Structure(s) = &shape.kind else {
        return quote!();
    };
    fn member<'s>(s: &'s crate::ir::Structure, name: &str) -> Option<&'s crate::ir::Member> {
        s.members.iter().find(|m| m.wire_name == name)
    }
    let Some(encoding) = member(s, "EncodingType") else {
        return quote!();
    };
    let encoding = ident(&cx.member_names(&shape.wire_name, encoding).field);
    let decode = quote!(::aws_lite_runtime::protocol::rest_xml::url_decode_in_place);
    let mut stmts = Vec::new();
    for name in *top {
        if let Some(m) = member(s, name)
            && matches!(
                svc.shape(&m.target).kind,
                ShapeKind::Primitive(Primitive::String)
            )
        {
            let field = ident(&cx.member_names(&shape.wire_name, m).field);
            stmts.push(quote!(#decode(&mut self.#field);));
        }
    }
    for (list, item) in *nested {
        let Some(m) = member(s, list) else { continue };
        let ShapeKind::List(elem) = &svc.shape(&m.target).kind else {
            continue;
        };
        let elem_shape = svc.shape(elem);
        let ShapeKind::Structure(es) = &elem_shape.kind else {
            continue;
        };
        let Some(im) = member(es, item) else { continue };
        let list_field = ident(&cx.member_names(&shape.wire_name, m).field);
        let item_field = ident(&cx.member_names(&elem_shape.wire_name, im).field);
        stmts.push(quote! {
            for __item in self.#list_field.iter_mut().flatten() {
                #decode(&mut __item.#item_field);
            }
        });
    }
    quote! {
        #[inline]
        fn post_read(&mut self) {
            if self.#encoding.as_ref().map(|e| e.as_str()) == ::std::option::Option::Some("url") {
                #(#stmts)*
            }
        }
    }
}
