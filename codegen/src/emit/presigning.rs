//! Presigned requests: which operations get `.presigned(config)` on their fluent builder, and
//! the crate's `presigning` module (the runtime's, re-exported).
//!
//! The list is the official SDK's (smithy-rs `AwsPresigningDecorator`, `PRESIGNABLE_OPERATIONS`),
//! keyed here by the botocore `serviceId` and the operation's wire name, with how each signs
//! its payload. Polly's `SynthesizeSpeech`, which the official SDK also presigns, needs its
//! request rewritten for that (a `GET` with every body member in the query string); it is not
//! in the list until the generator does that rewrite.

use super::Ctx;
use crate::ir::Operation;
use proc_macro2::TokenStream;
use quote::quote;

/// How a presigned request's payload is signed (the runtime's `PresignedPayload`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Payload {
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
}

/// Operations with `.presigned()`: (`serviceId`, operation, payload signing).
const PRESIGNABLE: &[(&str, &str, Payload)] = &[
    ("S3", "DeleteObject", Payload::Unsigned),
    ("S3", "GetObject", Payload::Unsigned),
    ("S3", "HeadObject", Payload::Unsigned),
    ("S3", "PutObject", Payload::Unsigned),
    ("S3", "UploadPart", Payload::Unsigned),
];

/// How `op` is presigned, when it can be.
pub(crate) fn presignable(cx: &Ctx<'_>, op: &Operation) -> Option<Payload> {
    PRESIGNABLE
        .iter()
        .find(|(service, name, _)| *service == cx.svc.meta.service_id && *name == op.wire_name)
        .map(|(_, _, payload)| *payload)
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
        quote! {
            /// Presigned request types and configuration.
            ///
            /// Presigned requests are made by calling `.presigned(config)` instead of `.send()`
            /// on an operation's fluent builder; they require a [`PresigningConfig`] to
            /// provide an expiration time. Only operations that support presigning have the
            /// `presigned()` method.
            pub mod presigning {
                pub use ::aws_lite_runtime::presigning::{PresignedRequest, PresigningConfig, PresigningConfigBuilder, PresigningConfigError};
            }
        }
    })
}

/// The payload signing as the runtime's value.
pub(crate) fn payload_tokens(payload: Payload) -> TokenStream {
    match payload {
        Payload::Unsigned => quote!(::aws_lite_runtime::presigning::PresignedPayload::Unsigned),
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
