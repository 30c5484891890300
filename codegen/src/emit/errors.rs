//! Exceptions, per-operation error enums and the service-wide `Error`.

use super::Ctx;
use super::std_paths::Prelude;
use super::types::{Role, StructSpec, builder_def, struct_def};
use super::{doc_attrs, doc_values};
use crate::ir::{Operation, Service, ShapeKind};
use crate::naming::ident;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Every exception shape reachable from the operations, in name order.
pub(crate) fn exception_shapes(svc: &Service) -> Vec<&crate::ir::Shape> {
    svc.shapes
        .values()
        .filter(|s| matches!(&s.kind, ShapeKind::Structure(st) if st.exception))
        .collect()
}

/// Whether the exception `name` is a member of an output event stream.
fn is_event_stream_error(svc: &Service, name: &str) -> bool {
    svc.shapes.values().any(|shape| {
        matches!(&shape.kind, ShapeKind::Structure(s) if s.event_errors.iter().any(|m| m.target == name))
    })
}

/// Whether an exception has a field `message` (filled from the error response's message).
fn has_message(cx: &Ctx<'_>, name: &str) -> bool {
    cx.shape_names(name)
        .members
        .iter()
        .any(|m| m.field == "message")
}

/// `src/types/error.rs`: one type per modelled exception.
pub(crate) fn exceptions_rs(cx: &Ctx<'_>) -> TokenStream {
    let svc = cx.svc;
    let Prelude {
        option, some, ok, ..
    } = cx.prelude();
    let mut builders = Vec::new();
    let items: Vec<TokenStream> = exception_shapes(svc).into_iter().map(|shape| {
        let ShapeKind::Structure(s) = &shape.kind else { unreachable!() };
        let names = cx.shape_names(&shape.wire_name);
        let spec = StructSpec {
            name: ident(&names.type_name),
            builder: ident(names.builder.as_deref().expect("a structure has a builder")),
            builder_path: quote!(builders),
            role: Role::Exception,
            shape,
            structure: s,
            docs: shape.docs.clone(),
        };
        let name = &spec.name;
        let def = struct_def(cx, &spec);
        builders.push(builder_def(cx, &spec, quote!(super::#name)));
        let wire = &shape.wire_name;
        let message = if has_message(cx, &shape.wire_name) {
            quote! {
                if value.message.is_none() {
                    value.message = meta.message().map(::std::borrow::ToOwned::to_owned);
                }
            }
        } else {
            quote!()
        };
        let display_message = if has_message(cx, &shape.wire_name) {
            quote! {
                if let #some(message) = &self.message {
                    write!(f, ": {}", message)?;
                }
            }
        } else {
            quote!()
        };
        // Exceptions that only appear as members of input event streams are never read.
        let is_op_error = svc.operations.iter().any(|op| op.errors.contains(&shape.wire_name));
        let is_read = is_op_error || is_event_stream_error(svc, &shape.wire_name);
        let (http_fn, http_read) = if is_op_error {
            super::http::exception_items(cx, shape)
        } else {
            (quote!(), quote!())
        };
        // XML protocols read the members as XML (and serde for the crate's other protocols).
        let read_members = if super::xml::speaks_xml(svc) {
            format_ident!("read_members")
        } else {
            format_ident!("deserialize")
        };
        let from_response = is_read.then(|| {
            quote! {
                #http_fn
                #[inline]
                pub(crate) fn from_response(meta: ::aws_lite_runtime::error::ErrorMetadata, body: &::aws_lite_runtime::protocol::ErrorBody<'_>) -> Self {
                    let mut value: Self = body.#read_members().unwrap_or_default();
                    #http_read
                    #message
                    value.meta = meta;
                    value
                }
            }
        });
        let meta_fn = if has_message(cx, &shape.wire_name) {
            quote!()
        } else {
            quote! {
                /// The error message, if the service sent one.
                #[inline]
                pub fn message(&self) -> #option<&str> {
                    self.meta.message()
                }
            }
        };
        quote! {
            #def
            impl #name {
                /// Code, message and request id of the error response.
                #[inline]
                pub fn meta(&self) -> &::aws_lite_runtime::error::ErrorMetadata {
                    &self.meta
                }
                #meta_fn
                #from_response
            }
            impl ::std::fmt::Display for #name {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#wire)?;
                    #display_message
                    #ok(())
                }
            }
            impl ::std::error::Error for #name {}
            impl ::aws_lite_runtime::error::ProvideErrorMetadata for #name {
                #[inline]
                fn meta(&self) -> &::aws_lite_runtime::error::ErrorMetadata {
                    &self.meta
                }
            }
            impl ::aws_lite_runtime::error::RequestId for #name {
                #[inline]
                fn request_id(&self) -> #option<&str> {
                    ::aws_lite_runtime::error::RequestId::request_id(&self.meta)
                }
            }
        }
    }).collect();
    let event_stream_errors = svc.shapes.values().filter_map(|shape| {
        let ShapeKind::Structure(s) = &shape.kind else {
            return None;
        };
        if !s.event_stream {
            return None;
        }
        let name = super::http::event_stream_error_ident(cx, &shape.wire_name);
        let names: Vec<&str> = s.event_errors.iter().map(|m| m.target.as_str()).collect();
        let vs = variants(cx, &names);
        let union = cx.type_ident(&shape.wire_name);
        let doc = doc_values([format!(
            " Error of the [`{union}`](super::{union}) event stream: an exception the service sends in place of an event, which ends the stream."
        )]);
        Some(error_enum(cx, &name, doc, &vs))
    });
    quote! {
        //! Errors (exceptions) modelled by the service.
        #(#items)*
        #(#event_stream_errors)*
        /// Builders for the exception types.
        pub mod builders {
            #(#builders)*
        }
    }
}

struct ErrorVariant {
    variant: Ident,
    ty: TokenStream,
    wire: String,
    is_fn: Ident,
    docs: TokenStream,
}

fn variants(cx: &Ctx<'_>, names: &[&str]) -> Vec<ErrorVariant> {
    let root = cx.root();
    let svc = cx.svc;
    names
        .iter()
        .map(|name| {
            let shape = svc.shape(name);
            let names = cx.shape_names(name);
            let variant = ident(&names.type_name);
            let is_fn = ident(
                names
                    .is_helper
                    .as_deref()
                    .expect("the name table gives every error an is_* helper"),
            );
            ErrorVariant {
                ty: quote!(#root::types::error::#variant),
                variant,
                wire: shape.wire_name.clone(),
                is_fn,
                docs: doc_attrs(&shape.docs, &format!("The `{}` error.", shape.wire_name)),
            }
        })
        .collect()
}

/// The shared body of an error enum: definition, metadata and conversions.
fn error_enum(cx: &Ctx<'_>, name: &Ident, docs: TokenStream, vs: &[ErrorVariant]) -> TokenStream {
    let Prelude {
        option,
        some,
        boxed,
        into,
        default,
        ..
    } = cx.prelude();
    let variant_idents: Vec<&Ident> = vs.iter().map(|v| &v.variant).collect();
    let tys = vs.iter().map(|v| &v.ty);
    let vdocs = vs.iter().map(|v| &v.docs);
    let is_fns = vs.iter().map(|v| {
        let f = &v.is_fn;
        let var = &v.variant;
        let doc = doc_values([format!(" Returns `true` if the error is `{}`.", v.wire)]);
        quote! {
            #doc
            #[inline]
            pub fn #f(&self) -> bool {
                matches!(self, Self::#var(_))
            }
        }
    });
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #( #vdocs #variant_idents(#tys), )*
            /// An error the model does not describe (an unknown error code, or a failure before
            /// the service answered); its [`meta`](Self::meta) still carries code and message.
            Unhandled(::aws_lite_runtime::error::Unhandled),
        }
        impl #name {
            /// Code, message and request id of the error.
            #[inline]
            pub fn meta(&self) -> &::aws_lite_runtime::error::ErrorMetadata {
                match self {
                    #( Self::#variant_idents(e) => e.meta(), )*
                    Self::Unhandled(e) => e.meta(),
                }
            }
            /// Creates an `Unhandled` variant from any error.
            pub fn unhandled(err: impl #into<#boxed<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>>) -> Self {
                Self::Unhandled(::aws_lite_runtime::error::Unhandled::new(err.into(), #default::default()))
            }
            /// Creates an `Unhandled` variant from error metadata (code, message), which is also
            /// its source.
            #[inline]
            pub fn generic(err: ::aws_lite_runtime::error::ErrorMetadata) -> Self {
                Self::Unhandled(::aws_lite_runtime::error::Unhandled::from_meta(err))
            }
            #(#is_fns)*
        }
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #( Self::#variant_idents(e) => ::std::fmt::Display::fmt(e, f), )*
                    Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for #name {
            #[inline]
            fn source(&self) -> #option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #( Self::#variant_idents(e) => #some(e), )*
                    Self::Unhandled(e) => ::std::error::Error::source(e),
                }
            }
        }
        impl ::aws_lite_runtime::error::ProvideErrorMetadata for #name {
            #[inline]
            fn meta(&self) -> &::aws_lite_runtime::error::ErrorMetadata {
                #name::meta(self)
            }
        }
        impl ::aws_lite_runtime::error::RequestId for #name {
            #[inline]
            fn request_id(&self) -> #option<&str> {
                ::aws_lite_runtime::error::RequestId::request_id(self.meta())
            }
        }
        impl ::aws_lite_runtime::error::CreateUnhandledError for #name {
            #[inline]
            fn create_unhandled_error(
                source: #boxed<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>,
                meta: #option<::aws_lite_runtime::error::ErrorMetadata>,
            ) -> Self {
                Self::Unhandled(::aws_lite_runtime::error::Unhandled::new(source, meta.unwrap_or_default()))
            }
        }
    }
}

/// The codes an error response names the exception `shape` by: the shape name, unless the
/// crate speaks only query or ec2 and the exception's `error` trait gives another code; then
/// that code (and the shape name too when the crate also speaks a protocol that sends names,
/// or is query-compatible).
pub(crate) fn error_codes(svc: &Service, shape: &str) -> Vec<String> {
    use crate::ir::Protocol;
    let code = svc
        .shape(shape)
        .bindings
        .error
        .as_ref()
        .and_then(|e| e.code.clone())
        .filter(|code| code != shape);
    let query = svc
        .meta
        .protocols
        .iter()
        .any(|p| matches!(p, Protocol::Query | Protocol::Ec2));
    let others = svc
        .meta
        .protocols
        .iter()
        .any(|p| !matches!(p, Protocol::Query | Protocol::Ec2));
    match code {
        Some(code) if query && others || svc.meta.query_compatible => {
            vec![shape.to_string(), code]
        }
        Some(code) if query => vec![code],
        _ => vec![shape.to_string()],
    }
}

/// The error enum of one operation.
pub(crate) fn op_error_def(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let root = cx.root();
    let Prelude { some, .. } = cx.prelude();
    let name = ident(&cx.op_names(op).error);
    let names: Vec<&str> = op.errors.iter().map(String::as_str).collect();
    let vs = variants(cx, &names);
    let doc = doc_values([format!(" Error type for the `{}` operation.", op.wire_name)]);
    let body = error_enum(cx, &name, doc, &vs);
    let variant_idents: Vec<&Ident> = vs.iter().map(|v| &v.variant).collect();
    // The codes each error is matched by: its shape name and, in crates speaking query or
    // ec2, its `error.code` where that differs (query and ec2 send the code).
    let wires: Vec<TokenStream> = vs
        .iter()
        .map(|v| {
            let codes = error_codes(cx.svc, &v.wire);
            quote!(#(#some(#codes))|*)
        })
        .collect();
    let dispatch = if vs.is_empty() {
        quote! {
            let _ = body;
            Self::Unhandled(::aws_lite_runtime::error::Unhandled::from_meta(meta))
        }
    } else {
        // A query-compatible service's query code (`x-amzn-query-error`) is what users see;
        // the body's code, kept aside, names the exception.
        let code = if cx.svc.meta.query_compatible {
            quote!(
                meta.extra(::aws_lite_runtime::protocol::TYPE_CODE)
                    .or(meta.code())
            )
        } else {
            quote!(meta.code())
        };
        quote! {
            match #code {
                #( #wires => Self::#variant_idents(#root::types::error::#variant_idents::from_response(meta, body)), )*
                _ => Self::Unhandled(::aws_lite_runtime::error::Unhandled::from_meta(meta)),
            }
        }
    };
    quote! {
        #body
        impl #name {
            /// Builds the error from a parsed error response.
            #[inline]
            pub(crate) fn from_response(meta: ::aws_lite_runtime::error::ErrorMetadata, body: &::aws_lite_runtime::protocol::ErrorBody<'_>) -> Self {
                #dispatch
            }
        }
    }
}

/// `src/error.rs`: re-exports and the service-wide error.
pub(crate) fn error_rs(cx: &Ctx<'_>) -> TokenStream {
    let root = cx.root();
    let svc = cx.svc;
    let Prelude {
        ok,
        err,
        boxed,
        default,
        ..
    } = cx.prelude();
    let shapes = exception_shapes(svc);
    let names: Vec<&str> = shapes.iter().map(|s| s.wire_name.as_str()).collect();
    let vs = variants(cx, &names);
    let name = format_ident!("Error");
    let doc = format!(
        " Every error of the {} service: use it as one error type across operations (`?` converts).",
        svc.meta.service_id
    );
    let body = error_enum(cx, &name, doc_values([doc]), &vs);
    let conversions = svc.operations.iter().map(|op| {
        let op_names = cx.op_names(op);
        let op_mod = ident(&op_names.module);
        let op_err = ident(&op_names.error);
        let names: Vec<&str> = op.errors.iter().map(String::as_str).collect();
        let ovs = variants(cx, &names);
        let arms = ovs.iter().map(|v| {
            let var = &v.variant;
            quote!(#root::operation::#op_mod::#op_err::#var(inner) => Error::#var(inner),)
        });
        quote! {
            impl ::std::convert::From<#root::operation::#op_mod::#op_err> for Error {
                #[inline]
                fn from(err: #root::operation::#op_mod::#op_err) -> Self {
                    match err {
                        #(#arms)*
                        #root::operation::#op_mod::#op_err::Unhandled(inner) => Error::Unhandled(inner),
                    }
                }
            }
            impl ::std::convert::From<::aws_lite_runtime::error::SdkError<#root::operation::#op_mod::#op_err>> for Error {
                #[inline]
                fn from(err: ::aws_lite_runtime::error::SdkError<#root::operation::#op_mod::#op_err>) -> Self {
                    Self::from_sdk_error(err)
                }
            }
        }
    });
    quote! {
        //! Error types: [`SdkError`], the service-wide [`Error`], and helpers.
        pub use ::aws_lite_runtime::error::{BuildError, DisplayErrorContext, ErrorMetadata, ProvideErrorMetadata, SdkError, Unhandled, UnknownVariantError};
        #body
        impl Error {
            /// The service error inside `err`, or `Unhandled` for any other failure (one body
            /// for every operation's `From<SdkError<_>>`).
            #[inline]
            fn from_sdk_error<E>(err: ::aws_lite_runtime::error::SdkError<E>) -> Self
            where
                Self: ::std::convert::From<E>,
            {
                match err.split_service_error() {
                    #ok(context) => Self::from(context.into_err()),
                    #err(other) => Self::Unhandled(::aws_lite_runtime::error::Unhandled::new(#boxed::new(other), #default::default())),
                }
            }
        }
        #(#conversions)*
    }
}
