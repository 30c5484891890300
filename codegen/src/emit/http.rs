//! HTTP member bindings of the rest protocols: the `bind_http` of an operation input (its
//! URI labels, query parameters, headers and payload, through the runtime's
//! `protocol::http_binding`), the `read_http` of an output or exception (bound headers,
//! prefix headers, status code, raw payload), and which members the serde impls leave to
//! them. Emitted only for models that list a rest protocol.

use super::Ctx;
use super::std_paths::Prelude;
use crate::ir::{Location, WireTimestampFormat};
use crate::ir::{Member, Primitive, Protocol, Service, Shape, ShapeKind, Structure};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

const HB: &str = "::aws_lite_runtime::protocol::http_binding";

fn hb() -> TokenStream {
    HB.parse().expect("a valid path")
}

/// Whether the model lists a protocol with HTTP bindings that the generator emits.
pub(crate) fn is_rest(svc: &Service) -> bool {
    svc.meta
        .protocols
        .iter()
        .any(|p| matches!(p, Protocol::RestJson | Protocol::RestXml))
}

/// The payload member of a structure (`payload`), if any.
pub(crate) fn payload_member<'s>(shape: &Shape, s: &'s Structure) -> Option<&'s Member> {
    let name = shape.bindings.payload.as_deref()?;
    s.members.iter().find(|m| m.wire_name == name)
}

/// Whether `m` is the streaming blob payload member of the structure `structure` (a wire
/// name): a `ByteStream` field, moved into the request or taken from the response unread,
/// never in a serde or XML body.
pub(crate) fn is_stream(svc: &Service, structure: &str, m: &Member) -> bool {
    svc.stream_member(structure)
        .is_some_and(|p| p.wire_name == m.wire_name)
}

/// Whether an operation of the service has a streaming blob payload (its crate re-exports
/// `ByteStream` and has the `rt-tokio` feature).
pub(crate) fn has_streams(svc: &Service) -> bool {
    svc.operations.iter().any(|op| {
        svc.stream_member(&op.input_shape).is_some()
            || svc.stream_member(&op.output_shape).is_some()
    })
}

/// The `ByteStream` type of stream members.
pub(crate) fn byte_stream() -> TokenStream {
    quote!(::aws_lite_runtime::primitives::ByteStream)
}

/// The type of a stream member `m`: a `ByteStream`, or for an output event stream an
/// `EventReceiver` of its union and the union's error.
pub(crate) fn stream_type(cx: &Ctx<'_>, m: &Member) -> TokenStream {
    if cx.svc.event_stream(&m.target).is_none() {
        return byte_stream();
    }
    let root = cx.root();
    let union = cx.type_ident(&m.target);
    let error = event_stream_error_ident(cx, &m.target);
    quote!(::aws_lite_runtime::event_stream::EventReceiver<#root::types::#union, #root::types::error::#error>)
}

/// The error enum of the output event stream `union` (a wire name), from the name table.
pub(crate) fn event_stream_error_ident(cx: &Ctx<'_>, union: &str) -> proc_macro2::Ident {
    ident(
        cx.shape_names(union)
            .event_stream_error
            .as_deref()
            .expect("the name table names the error of every output event stream"),
    )
}

/// Whether an operation output of the service has an event stream (its crate turns on the
/// runtime's `event-stream` feature and re-exports `primitives::event_stream`).
pub(crate) fn has_event_streams(svc: &Service) -> bool {
    svc.operations
        .iter()
        .any(|op| svc.event_stream_member(&op.output_shape).is_some())
}

/// Whether a payload member is sent as raw bytes (a blob or string, or an enum string)
/// rather than as a document.
fn is_raw(svc: &Service, m: &Member) -> bool {
    matches!(
        svc.shape(&m.target).kind,
        ShapeKind::Primitive(Primitive::Blob | Primitive::String) | ShapeKind::Enum(_)
    )
}

/// The payload member of a rest structure when it is a structure, union or document that
/// is the whole body: the serde impls write and read that member alone.
pub(crate) fn document_payload<'s>(
    svc: &Service,
    shape: &Shape,
    s: &'s Structure,
) -> Option<&'s Member> {
    if !is_rest(svc) {
        return None;
    }
    payload_member(shape, s).filter(|m| !is_raw(svc, m) && !is_stream(svc, &shape.wire_name, m))
}

/// Whether the serde impls of a structure in an operation's input, output or error carry
/// member `m`: not when a rest protocol binds it to the URI, query string, headers or status,
/// or sends it as a raw payload.
pub(crate) fn in_body(svc: &Service, shape: &Shape, m: &Member) -> bool {
    if is_stream(svc, &shape.wire_name, m) {
        return false;
    }
    if !is_rest(svc) {
        return true;
    }
    if m.bindings.location.is_some() {
        return false;
    }
    match &shape.kind {
        ShapeKind::Structure(s) => {
            !matches!(payload_member(shape, s), Some(p) if p.wire_name == m.wire_name && is_raw(svc, p))
        }
        _ => true,
    }
}

/// The key of a body member in a JSON or CBOR document: its `locationName` when it has one
/// (as botocore's JSON and CBOR serializers and parsers read it, e.g. Smithy's `jsonName`),
/// else its name. Models of the XML and query protocols keep the name: `locationName` is an
/// element or parameter name there, which their own encoders handle.
pub(crate) fn body_key<'m>(svc: &Service, m: &'m Member) -> &'m str {
    let xml_or_query = svc
        .meta
        .protocols
        .iter()
        .any(|p| matches!(p, Protocol::RestXml | Protocol::Query | Protocol::Ec2));
    match &m.bindings.location_name {
        Some(name) if m.bindings.location.is_none() && !xml_or_query => name,
        _ => &m.wire_name,
    }
}

/// The `timestampFormat` of a bound member (on the member, else on its shape) as the
/// runtime's `DateTimeFormat`, `None` for the location's default.
fn timestamp_format(
    svc: &Service,
    m: Option<&crate::ir::MemberBindings>,
    target: &str,
) -> TokenStream {
    let format = m
        .and_then(|b| b.timestamp_format)
        .or(svc.shape(target).bindings.timestamp_format);
    match format {
        None => quote!(::std::option::Option::None),
        Some(f) => {
            let v = match f {
                WireTimestampFormat::EpochSeconds => quote!(EpochSeconds),
                WireTimestampFormat::Iso8601 => quote!(DateTime),
                WireTimestampFormat::HttpDate => quote!(HttpDate),
            };
            quote!(::std::option::Option::Some(::aws_lite_runtime::primitives::DateTimeFormat::#v))
        }
    }
}

/// What follows `self.field.iter().flatten()` (an iterator of `&T`) to give what
/// `HttpValue` takes, for list elements of shape `target`.
fn list_map(
    svc: &Service,
    target: &str,
    bindings: Option<&crate::ir::MemberBindings>,
) -> TokenStream {
    let hb = hb();
    match &svc.shape(target).kind {
        ShapeKind::Primitive(Primitive::String) | ShapeKind::Enum(_) => {
            quote!(.map(|v| v.as_str()))
        }
        ShapeKind::Primitive(Primitive::Timestamp) => {
            let format = timestamp_format(svc, bindings, target);
            quote!(.map(|v| #hb::Timestamp::new(v, #format)))
        }
        ShapeKind::Primitive(Primitive::Blob) => quote!(),
        _ => quote!(.copied()),
    }
}

/// `Option<X>` of what `HttpValue` takes for the scalar member `field` of shape `target`.
fn scalar_value(
    svc: &Service,
    field: &proc_macro2::Ident,
    target: &str,
    bindings: Option<&crate::ir::MemberBindings>,
) -> TokenStream {
    let hb = hb();
    match &svc.shape(target).kind {
        ShapeKind::Primitive(Primitive::String) => quote!(self.#field.as_deref()),
        ShapeKind::Enum(_) => quote!(self.#field.as_ref().map(|v| v.as_str())),
        ShapeKind::Primitive(Primitive::Timestamp) => {
            let format = timestamp_format(svc, bindings, target);
            quote!(self.#field.as_ref().map(|v| #hb::Timestamp::new(v, #format)))
        }
        ShapeKind::Primitive(Primitive::Blob) => quote!(self.#field.as_ref()),
        _ => quote!(self.#field),
    }
}

/// The list element shape of `target`, when it is a list.
fn list_element<'s>(svc: &'s Service, target: &str) -> Option<&'s str> {
    match &svc.shape(target).kind {
        ShapeKind::List(elem) => Some(elem.as_str()),
        _ => None,
    }
}

/// The wire name a member is bound under (`locationName`, else its name).
fn bound_name(m: &Member) -> &str {
    m.bindings.location_name.as_deref().unwrap_or(&m.wire_name)
}

/// Route 53's resource ids (botocore's `fix_route53_ids`, the official SDK's id trimming):
/// members of shape `ResourceId`, `DelegationSetId` or `ChangeId` lose their
/// `/hostedzone/`, `/change/` or `/delegationset/` prefix, so the `Id` a response gives can be
/// passed back as it is.
fn is_route53_id(svc: &Service, m: &Member) -> bool {
    svc.meta.service_id == "Route 53"
        && matches!(
            m.target.as_str(),
            "ResourceId" | "DelegationSetId" | "ChangeId"
        )
}

/// `fn bind_http(&self)` of an operation input `shape` sent with `method` to `uri`.
pub(crate) fn bind_http_fn(
    cx: &Ctx<'_>,
    shape: &Shape,
    s: &Structure,
    method: &str,
    uri: &str,
) -> TokenStream {
    let svc = cx.svc;
    let hb = hb();
    let Prelude { result, .. } = cx.prelude();
    let mut calls = Vec::new();
    for m in &s.members {
        if m.bindings.host_label
            && matches!(
                svc.shape(&m.target).kind,
                ShapeKind::Primitive(Primitive::String)
            )
        {
            let field = ident(&cx.member_names(&shape.wire_name, m).field);
            let label = m.wire_name.as_str();
            calls.push(quote!(b.host_label(#label, self.#field.as_deref());));
        }
        let Some(location) = m.bindings.location else {
            continue;
        };
        let field = ident(&cx.member_names(&shape.wire_name, m).field);
        let name = bound_name(m);
        let list_elem = list_element(svc, &m.target);
        let scalar = |m: &Member| {
            let v = scalar_value(svc, &field, &m.target, Some(&m.bindings));
            if is_route53_id(svc, m) {
                quote!(#v.map(#hb::trim_route53_id))
            } else {
                v
            }
        };
        match location {
            Location::Uri => {
                let member = m.wire_name.as_str();
                let v = scalar(m);
                calls.push(quote!(b.label(#name, #member, #v);));
            }
            Location::QueryString => match (&svc.shape(&m.target).kind, list_elem) {
                (ShapeKind::Map(..), _) => {
                    calls.push(quote!(b.query_map(self.#field.iter().flatten());));
                }
                (_, Some(elem)) => {
                    let member_bindings = svc.shape(&m.target).bindings.list_member.as_ref();
                    let map = list_map(svc, elem, member_bindings);
                    calls.push(quote!(b.query_list(#name, self.#field.iter().flatten() #map);));
                }
                _ => {
                    let v = scalar(m);
                    calls.push(quote!(b.query(#name, #v);));
                }
            },
            Location::Header => {
                if m.bindings.jsonvalue {
                    calls.push(quote!(b.header_json(#name, self.#field.as_deref());));
                } else if let Some(elem) = list_elem {
                    let member_bindings = svc.shape(&m.target).bindings.list_member.as_ref();
                    let map = list_map(svc, elem, member_bindings);
                    calls.push(quote!(b.header_list(#name, self.#field.iter().flatten() #map);));
                } else {
                    let v = scalar(m);
                    calls.push(quote!(b.header(#name, #v);));
                }
            }
            Location::Headers => {
                calls.push(quote!(b.prefix_headers(#name, self.#field.iter().flatten());));
            }
            Location::StatusCode => {}
        }
    }
    let payload = match payload_member(shape, s) {
        // The stream is moved into the request by `invoke_with_stream`, after the bindings.
        Some(p) if is_stream(svc, &shape.wire_name, p) => quote! {
            #hb::Payload::Raw { body: ::std::option::Option::None, content_type: "application/octet-stream" }
        },
        Some(p) if is_raw(svc, p) => {
            let field = ident(&cx.member_names(&shape.wire_name, p).field);
            let (bytes, content_type) = match &svc.shape(&p.target).kind {
                ShapeKind::Primitive(Primitive::Blob) => {
                    (quote!(v.as_ref().to_vec()), "application/octet-stream")
                }
                ShapeKind::Enum(_) => (quote!(v.as_str().as_bytes().to_vec()), "text/plain"),
                _ => (quote!(v.as_bytes().to_vec()), "text/plain"),
            };
            quote!(#hb::Payload::Raw {
                body: self.#field.as_ref().map(|v| ::aws_lite_runtime::http::Body::from(#bytes)),
                content_type: #content_type,
            })
        }
        Some(p) => {
            let field = ident(&cx.member_names(&shape.wire_name, p).field);
            quote!(#hb::Payload::Structure { set: self.#field.is_some() })
        }
        None if s.members.iter().any(|m| m.bindings.location.is_none()) => {
            quote!(#hb::Payload::Members)
        }
        None => quote!(#hb::Payload::None),
    };
    quote! {
        #[inline]
        fn bind_http(&self) -> #result<#hb::HttpBindings, #hb::BindingError> {
            let mut b = #hb::HttpBindings::new(#method, #uri);
            #(#calls)*
            b.payload(#payload);
            ::std::result::Result::Ok(b)
        }
    }
}

/// Whether a structure read from a response has members `read_http` fills.
pub(crate) fn has_response_bindings(svc: &Service, shape: &Shape, s: &Structure) -> bool {
    is_rest(svc)
        && s.members.iter().any(|m| {
            matches!(
                m.bindings.location,
                Some(Location::Header | Location::Headers | Location::StatusCode)
            ) || matches!(payload_member(shape, s), Some(p) if p.wire_name == m.wire_name && is_raw(svc, p) && !is_stream(svc, &shape.wire_name, p))
        })
}

/// The statements of `read_http` for structure `shape` read from `response` (a
/// `&HttpResponse`), each `?`-propagating a `BindingError`; `plain` says which fields are
/// not `Option`s.
pub(crate) fn read_http_body(
    cx: &Ctx<'_>,
    shape: &Shape,
    s: &Structure,
    plain: impl Fn(&Member) -> bool,
) -> TokenStream {
    let svc = cx.svc;
    let hb = hb();
    let root = cx.root();
    let mut reads = Vec::new();
    for m in &s.members {
        let field = ident(&cx.member_names(&shape.wire_name, m).field);
        let name = bound_name(m);
        if is_stream(svc, &shape.wire_name, m) {
            continue;
        }
        let raw_payload = matches!(payload_member(shape, s), Some(p) if p.wire_name == m.wire_name && is_raw(svc, p));
        let value: TokenStream = if raw_payload {
            match &svc.shape(&m.target).kind {
                ShapeKind::Primitive(Primitive::Blob) => quote! {
                    response.body.bytes().filter(|b| !b.is_empty()).map(|b| #root::primitives::Blob::new(b.to_vec()))
                },
                ShapeKind::Enum(_) => {
                    let ty = cx.type_ident(&m.target);
                    quote! {
                        response.body.bytes().filter(|b| !b.is_empty()).map(|b| #root::types::#ty::from(::std::string::String::from_utf8_lossy(b).as_ref()))
                    }
                }
                _ => quote! {
                    response.body.bytes().filter(|b| !b.is_empty()).map(|b| ::std::string::String::from_utf8_lossy(b).into_owned())
                },
            }
        } else {
            match m.bindings.location {
                None | Some(Location::Uri | Location::QueryString) => continue,
                Some(Location::StatusCode) => {
                    quote!(::std::option::Option::Some(::std::primitive::i32::from(
                        response.status
                    )))
                }
                Some(Location::Headers) => {
                    quote!(::std::option::Option::Some(#hb::prefix_headers(response, #name)))
                }
                Some(Location::Header) if m.bindings.jsonvalue => {
                    quote!(#hb::header_json(response, #name)?)
                }
                Some(Location::Header) => match list_element(svc, &m.target) {
                    Some(elem) => {
                        let bindings = svc.shape(&m.target).bindings.list_member.as_ref();
                        read_header(cx, elem, bindings, name, true)
                    }
                    None => read_header(cx, &m.target, Some(&m.bindings), name, false),
                },
            }
        };
        if plain(m) && m.bindings.location == Some(Location::StatusCode) && !raw_payload {
            // The status is always there.
            reads.push(quote!(self.#field = ::std::primitive::i32::from(response.status);));
        } else if plain(m) {
            reads.push(quote! {
                if let ::std::option::Option::Some(v) = #value {
                    self.#field = v;
                }
            });
        } else {
            reads.push(quote!(self.#field = #value;));
        }
    }
    quote!(#(#reads)*)
}

/// An expression reading the header `name` as `target` (or a list of it), of type
/// `Option<T>` (`Option<Vec<T>>`), `?`-propagating a `BindingError`.
fn read_header(
    cx: &Ctx<'_>,
    target: &str,
    bindings: Option<&crate::ir::MemberBindings>,
    name: &str,
    list: bool,
) -> TokenStream {
    let svc = cx.svc;
    let hb = hb();
    let root = cx.root();
    match &svc.shape(target).kind {
        ShapeKind::Primitive(Primitive::Timestamp) => {
            let format = timestamp_format(svc, bindings, target);
            if list {
                quote!(#hb::header_timestamp_list(response, #name, #format)?)
            } else {
                quote!(#hb::header_timestamp(response, #name, #format)?)
            }
        }
        ShapeKind::Enum(_) => {
            let ty = cx.type_ident(target);
            if list {
                quote!(#hb::header_list::<::std::string::String>(response, #name)?.map(|l| l.iter().map(|s| #root::types::#ty::from(s.as_str())).collect()))
            } else {
                quote!(#hb::header::<::std::string::String>(response, #name)?.map(|s| #root::types::#ty::from(s.as_str())))
            }
        }
        _ => {
            let ty = super::rust_type(cx, target);
            if list {
                quote!(#hb::header_list::<#ty>(response, #name)?)
            } else {
                quote!(#hb::header::<#ty>(response, #name)?)
            }
        }
    }
}

/// The structure of a shape (operation inputs and outputs always are).
fn structure(shape: &Shape) -> Option<&Structure> {
    match &shape.kind {
        ShapeKind::Structure(s) => Some(s),
        _ => None,
    }
}

/// Items of the operation input's `impl OperationInput`: `bind_http` in rest crates.
pub(crate) fn input_items(cx: &Ctx<'_>, op: &crate::ir::Operation) -> TokenStream {
    let svc = cx.svc;
    if !is_rest(svc) {
        return quote!();
    }
    let shape = svc.shape(&op.input_shape);
    let Some(s) = structure(shape) else {
        return quote!();
    };
    bind_http_fn(cx, shape, s, &op.http.method, &op.http.request_uri.template)
}

/// Items of the operation output's `impl OperationOutput` in rest crates: `RAW_PAYLOAD` for a
/// blob or string payload, `read_http` for members bound to headers and the status.
pub(crate) fn output_items(cx: &Ctx<'_>, op: &crate::ir::Operation) -> TokenStream {
    let svc = cx.svc;
    if !is_rest(svc) {
        return quote!();
    }
    let shape = svc.shape(&op.output_shape);
    let Some(s) = structure(shape) else {
        return quote!();
    };
    let hb = hb();
    let Prelude { result, .. } = cx.prelude();
    let raw = matches!(payload_member(shape, s), Some(p) if is_raw(svc, p));
    let raw_const = raw.then(|| {
        quote!(
            const RAW_PAYLOAD: bool = true;
        )
    });
    let read = has_response_bindings(svc, shape, s).then(|| {
        let body = read_http_body(cx, shape, s, |m| super::Role::Output.is_plain(cx.svc, m));
        quote! {
            #[inline]
            fn read_http(&mut self, response: &::aws_lite_runtime::http::HttpResponse) -> #result<(), #hb::BindingError> {
                #body
                ::std::result::Result::Ok(())
            }
        }
    });
    quote!(#raw_const #read)
}

/// `set_streaming_payload` of an operation output with a streaming blob payload or an event
/// stream (whatever the protocol): the response body, unread, becomes that member.
pub(crate) fn output_stream_items(cx: &Ctx<'_>, op: &crate::ir::Operation) -> TokenStream {
    let Some(m) = cx.svc.stream_member(&op.output_shape) else {
        return quote!();
    };
    let field = ident(&cx.member_names(&op.output_shape, m).field);
    let ty = byte_stream();
    let protocol = quote!(::aws_lite_runtime::protocol::Protocol);
    if cx.svc.event_stream(&m.target).is_some() {
        let receiver = quote!(::aws_lite_runtime::event_stream::EventReceiver);
        return quote! {
            #[inline]
            fn set_streaming_payload(&mut self, body: #ty, protocol: #protocol) {
                self.#field = #receiver::new(body, protocol);
            }
        };
    }
    quote! {
        #[inline]
        fn set_streaming_payload(&mut self, body: #ty, _protocol: #protocol) {
            self.#field = body;
        }
    }
}

/// For an exception of a rest crate with members bound to headers or the status: its
/// inherent `read_http` and the statement `from_response` runs after decoding the body
/// (a header that does not parse leaves its member unset, as a body that does not decode
/// leaves the others).
pub(crate) fn exception_items(cx: &Ctx<'_>, shape: &Shape) -> (TokenStream, TokenStream) {
    let svc = cx.svc;
    let Some(s) = structure(shape) else {
        return (quote!(), quote!());
    };
    if !has_response_bindings(svc, shape, s) {
        return (quote!(), quote!());
    }
    let hb = hb();
    let Prelude { result, .. } = cx.prelude();
    let body = read_http_body(cx, shape, s, |m| super::Role::Exception.is_plain(cx.svc, m));
    (
        quote! {
            /// Reads the members bound to the response's headers and status.
            #[inline]
            fn read_http(&mut self, response: &::aws_lite_runtime::http::HttpResponse) -> #result<(), #hb::BindingError> {
                #body
                ::std::result::Result::Ok(())
            }
        },
        quote!(let _ = value.read_http(body.response());),
    )
}
