//! Presigned requests: which operations get `.presigned(config)` on their fluent builder, and
//! the crate's `presigning` module (the runtime's, re-exported).
//!
//! The list is the official SDK's (smithy-rs `AwsPresigningDecorator`, `PRESIGNABLE_OPERATIONS`),
//! keyed here by the botocore `serviceId` and the operation's wire name, with how each signs
//! its payload and whether its request is rewritten for presigning: Polly's
//! `SynthesizeSpeech` is presigned as a `GET` with every body member in the query string
//! (the official SDK's `OverrideHttpMethodTransform` and
//! `MoveDocumentMembersToQueryParamsTransform`), through a wrapper of the input whose
//! `bind_http` binds them so ([`presigned_input`]).

use super::Ctx;
use crate::ir::{Location, Operation, ShapeKind, Structure};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// How a presigned request's payload is signed (the runtime's `PresignedPayload`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Payload {
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// The SHA-256 of an empty body.
    Empty,
}

/// One operation with `.presigned()`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Presignable {
    /// botocore's `serviceId`.
    service: &'static str,
    /// The operation's wire name.
    operation: &'static str,
    /// How its payload is signed.
    pub(crate) payload: Payload,
    /// Presigned as a `GET` with its body members in the query string.
    pub(crate) body_in_query: bool,
}

const fn s3(operation: &'static str) -> Presignable {
    Presignable {
        service: "S3",
        operation,
        payload: Payload::Unsigned,
        body_in_query: false,
    }
}

/// Operations with `.presigned()`, as in the official SDK.
const PRESIGNABLE: &[Presignable] = &[
    s3("DeleteObject"),
    s3("GetObject"),
    s3("HeadObject"),
    s3("PutObject"),
    s3("UploadPart"),
    Presignable {
        service: "Polly",
        operation: "SynthesizeSpeech",
        payload: Payload::Empty,
        body_in_query: true,
    },
];

/// How `op` is presigned, when it can be.
pub(crate) fn presignable(cx: &Ctx<'_>, op: &Operation) -> Option<Presignable> {
    PRESIGNABLE
        .iter()
        .find(|p| p.service == cx.svc.meta.service_id && p.operation == op.wire_name)
        .copied()
}

/// Whether any operation of the crate can be presigned (the crate then has `presigning`).
pub(crate) fn any_presignable(cx: &Ctx<'_>) -> bool {
    cx.svc
        .operations
        .iter()
        .any(|op| presignable(cx, op).is_some())
}

/// `pub mod presigning` in `lib.rs`, for crates with a presignable operation.
pub(crate) fn lib_module(cx: &Ctx<'_>) -> Option<TokenStream> {
    any_presignable(cx).then(|| {
        let doc = super::doc_attrs(
            &format!(
                "Presigned request types and configuration.\n\n\
                 Presigned requests are made by calling `.presigned(config)` instead of \
                 `.send()` on an operation's fluent builder; they require a \
                 [`PresigningConfig`]({}::presigning::PresigningConfig) to provide an \
                 expiration time. Only operations that support presigning have the \
                 `presigned()` method.",
                cx.doc_root()
            ),
            "",
        );
        quote! {
            #doc
            pub mod presigning {
                pub use ::aws_lite_runtime::presigning::PresignedRequest;
                pub use ::aws_lite_runtime::presigning::PresigningConfig;
                pub use ::aws_lite_runtime::presigning::PresigningConfigBuilder;
                pub use ::aws_lite_runtime::presigning::PresigningConfigError;
            }
        }
    })
}

/// For an operation presigned with its body members in the query string: `PresignedInput`, a
/// wrapper of the input whose `bind_http` sends it as a `GET` to the same URI with every
/// member the body would carry bound to the query string under its member name (its other
/// bindings unchanged, no body), and whose endpoint parameters are the input's.
pub(crate) fn presigned_input(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let svc = cx.svc;
    let shape = svc.shape(&op.input_shape);
    let ShapeKind::Structure(s) = &shape.kind else {
        return quote!();
    };
    let payload = shape.bindings.payload.as_deref();
    let members = s
        .members
        .iter()
        .map(|m| {
            let mut m = m.clone();
            let in_body = m.bindings.location.is_none()
                && payload != Some(m.wire_name.as_str())
                && !super::http::is_stream(svc, &op.input_shape, &m);
            if in_body {
                m.bindings.location = Some(Location::QueryString);
                m.bindings.location_name = None;
            }
            m
        })
        .collect();
    let moved = Structure {
        members,
        exception: s.exception,
        union: s.union,
        event_stream: s.event_stream,
        event_errors: s.event_errors.clone(),
    };
    let bind_http =
        super::http::bind_http_fn(cx, shape, &moved, "GET", &op.http.request_uri.template);
    let input = ident(&cx.op_names(op).input);
    let doc = super::doc_values([format!(
        " `{}` as it is presigned: a `GET` with every member of the body in the query string.",
        op.wire_name
    )]);
    quote! {
        #doc
        struct PresignedInput<'a>(&'a #input);
        impl ::std::ops::Deref for PresignedInput<'_> {
            type Target = #input;
            #[inline]
            fn deref(&self) -> &#input {
                self.0
            }
        }
        // Nothing goes in the body.
        impl ::serde::Serialize for PresignedInput<'_> {
            #[inline]
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_unit()
            }
        }
        impl ::aws_lite_runtime::operation::OperationInput for PresignedInput<'_> {
            #[inline]
            fn endpoint_params(&self, params: &mut ::aws_lite_runtime::endpoint::ContextParams) {
                ::aws_lite_runtime::operation::OperationInput::endpoint_params(self.0, params)
            }
            #bind_http
        }
    }
}

/// The payload signing as the runtime's value.
pub(crate) fn payload_tokens(payload: Payload) -> TokenStream {
    match payload {
        Payload::Unsigned => quote!(::aws_lite_runtime::presigning::PresignedPayload::Unsigned),
        Payload::Empty => quote!(::aws_lite_runtime::presigning::PresignedPayload::Empty),
    }
}

/// The documentation of `presigned()`, as the official SDK's, with what this crate adds.
pub(crate) fn presigned_doc(cx: &Ctx<'_>) -> String {
    format!(
        "Creates a presigned request for this operation.\n\n\
The `presigning_config` provides additional presigning-specific config values, such as the \
amount of time the request should be valid for after creation.\n\n\
Presigned requests can be given to other users or applications to access a resource or perform \
an operation without having access to the AWS security credentials.\n\n\
_Important:_ If you're using credentials that can expire, such as those from STS AssumeRole or \
SSO, then the presigned request can only be valid for as long as the credentials used to create \
it are.\n\n\
The request is built as [`send`](Self::send) builds it (required parameters and the model's \
constraints are checked first), then signed in its query string instead of being sent; a \
streaming body set on the builder is not part of it. Headers set through the builder are \
signed: send them with the request \
([`PresignedRequest::headers`]({root}::presigning::PresignedRequest::headers)).",
        root = cx.doc_root()
    )
}
