//! Output event streams: how a union of events is read from event stream messages.
//!
//! An output event stream (S3's `SelectObjectContentEventStream`) is emitted as a union
//! (`unions.rs`) of its events, with `impl EventStreamUnion`: a message's `:event-type` names
//! the member, and the event structure is read from the message. Members marked `eventheader`
//! come from the message's headers; a member marked `eventpayload` is the whole payload (raw
//! bytes for a blob, text for a string, a document in the protocol for a structure); without
//! one, the payload is the event structure itself in the protocol (JSON or XML). The stream's
//! exceptions are the variants of its error enum (`errors.rs`), read as an operation's errors
//! are.

use super::Ctx;
use super::types::Role;
use crate::ir::{Member, Primitive, Protocol, Shape, ShapeKind, Structure};
use proc_macro2::TokenStream;
use quote::quote;

const ES: &str = "::aws_lite_runtime::event_stream";

fn es() -> TokenStream {
    ES.parse().expect("a path")
}

/// `impl EventStreamUnion` for the output event stream `shape`; `variants` are the union's
/// members with their variant identifiers.
pub(crate) fn union_impl(
    cx: &Ctx<'_>,
    shape: &Shape,
    s: &Structure,
    variants: &[(&Member, proc_macro2::Ident)],
) -> TokenStream {
    let root = cx.root();
    let es = es();
    let name = cx.type_ident(&shape.wire_name);
    let error = super::http::event_stream_error_ident(cx, &shape.wire_name);
    let arms = variants.iter().map(|(m, variant)| {
        let wire = &m.wire_name;
        match &cx.svc.shape(&m.target).kind {
            ShapeKind::Structure(event) => {
                let read = read_event(cx, &m.target, event);
                quote!(#wire => { #read ::std::result::Result::Ok(Self::#variant(event)) })
            }
            // An event that is not a structure is not in the encoding's model: kept unknown.
            _ => quote!(#wire => ::std::result::Result::Ok(Self::Unknown),),
        }
    });
    let error_arms = s.event_errors.iter().map(|m| {
        let wire = &m.wire_name;
        let ty = cx.type_ident(&m.target);
        quote! {
            ::std::option::Option::Some(#wire) => #root::types::error::#error::#ty(
                #root::types::error::#ty::from_response(meta, body),
            ),
        }
    });
    // Every structure event is read from the message.
    let uses_message = variants
        .iter()
        .any(|(m, _)| matches!(&cx.svc.shape(&m.target).kind, ShapeKind::Structure(_)));
    let message = if uses_message {
        quote!(message)
    } else {
        quote!(_message)
    };
    let unhandled = quote! {
        #root::types::error::#error::Unhandled(
            ::aws_lite_runtime::error::Unhandled::from_meta(meta),
        )
    };
    let read_error = if s.event_errors.is_empty() {
        quote! {
            let _ = body;
            #unhandled
        }
    } else {
        quote! {
            match meta.code() {
                #(#error_arms)*
                _ => #unhandled,
            }
        }
    };
    quote! {
        impl #es::EventStreamUnion for #name {
            type Error = #root::types::error::#error;
            #[inline]
            fn read_event(
                event_type: &str,
                #message: &#es::Message,
                protocol: ::aws_lite_runtime::protocol::Protocol,
            ) -> ::std::result::Result<Self, ::aws_lite_runtime::http::BoxError> {
                let _ = protocol;
                match event_type {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(Self::Unknown),
                }
            }
            #[inline]
            fn read_error(
                meta: ::aws_lite_runtime::error::ErrorMetadata,
                body: &::aws_lite_runtime::protocol::ErrorBody<'_>,
            ) -> Self::Error {
                #read_error
            }
        }
    }
}

/// Statements that read the event structure `target` from `message` into `event`.
fn read_event(cx: &Ctx<'_>, target: &str, event: &Structure) -> TokenStream {
    let es = es();
    let ty = super::rust_type(cx, target);
    let payload_member = event.members.iter().find(|m| m.bindings.event_payload);
    // With a payload member, the structure's other members are all headers.
    let bytes = if payload_member.is_some() {
        quote!(&[])
    } else {
        quote!(message.payload())
    };
    let read = read_document(cx, &ty, bytes);
    let payload = payload_member.map(|m| {
        let field = field(cx, target, m);
        let value = match &cx.svc.shape(&m.target).kind {
            ShapeKind::Primitive(Primitive::Blob) => {
                quote!(::aws_lite_runtime::primitives::Blob::new(
                    message.payload().to_vec()
                ))
            }
            ShapeKind::Primitive(Primitive::String) => {
                quote!(#es::payload_string(message)?)
            }
            _ => {
                let inner = super::rust_type(cx, &m.target);
                let read = read_document(cx, &inner, quote!(message.payload()));
                if m.boxed {
                    quote!(::std::boxed::Box::new(#read))
                } else {
                    read
                }
            }
        };
        assign(cx.svc, m, field, value)
    });
    let headers = event
        .members
        .iter()
        .filter(|m| m.bindings.event_header)
        .map(|m| {
            let field = field(cx, target, m);
            // The header is named after the member, as botocore reads it.
            let name = &m.wire_name;
            let value = match &cx.svc.shape(&m.target).kind {
                ShapeKind::Enum(_) => {
                    let enum_ty = super::rust_type(cx, &m.target);
                    quote!(#es::header::<::std::string::String>(message, #name)?.map(|v| #enum_ty::from(v.as_str())))
                }
                _ => {
                    let member_ty = super::rust_type(cx, &m.target);
                    quote!(#es::header::<#member_ty>(message, #name)?)
                }
            };
            if Role::Type.is_plain(cx.svc, m) {
                quote! {
                    if let ::std::option::Option::Some(value) = #value {
                        event.#field = value;
                    }
                }
            } else {
                quote!(event.#field = #value;)
            }
        });
    let binding = if payload.is_some() || event.members.iter().any(|m| m.bindings.event_header) {
        quote!(let mut event: #ty = #read;)
    } else {
        quote!(let event: #ty = #read;)
    };
    quote! {
        #binding
        #payload
        #(#headers)*
    }
}

/// The field of member `m` of the structure `target`.
fn field(cx: &Ctx<'_>, target: &str, m: &Member) -> proc_macro2::Ident {
    crate::naming::ident(&cx.member_names(target, m).field)
}

/// `event.field = value` for a payload member (wrapped in `Some` unless the field is plain).
fn assign(
    svc: &crate::ir::Service,
    m: &Member,
    field: proc_macro2::Ident,
    value: TokenStream,
) -> TokenStream {
    if Role::Type.is_plain(svc, m) {
        quote!(event.#field = #value;)
    } else {
        quote!(event.#field = ::std::option::Option::Some(#value);)
    }
}

/// An expression reading the structure type `ty` from `bytes` in the call's protocol: XML in
/// crates whose model lists an XML protocol, serde in the others, both where it lists both.
fn read_document(cx: &Ctx<'_>, ty: &TokenStream, bytes: TokenStream) -> TokenStream {
    let es = es();
    let xml = super::xml::speaks_xml(cx.svc);
    let serde = cx.svc.meta.protocols.iter().any(|p| {
        matches!(
            p,
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson | Protocol::RpcV2Cbor
        )
    });
    let read_xml = quote!(#es::read_xml_payload::<#ty>(#bytes)?);
    let read_serde = quote!(#es::deserialize_payload::<#ty>(protocol, #bytes)?);
    match (xml, serde) {
        (true, false) => read_xml,
        (false, _) => read_serde,
        (true, true) => quote! {
            if protocol.is_xml() { #read_xml } else { #read_serde }
        },
    }
}
