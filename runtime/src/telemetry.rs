//! Spans and events of a call (feature `tracing`), with the official SDK's names:
//!
//! - `invoke{rpc.service=.. rpc.method=.. request_id=..}`: one span per operation, around
//!   everything the call does (request id of the final response once known);
//! - `try_attempt{attempt=.. max_attempts=.. request_id=..}`: one span per attempt, inside it;
//! - events (level `DEBUG`): `retrying` before each retry (attempt, reason, delay),
//!   `operation failed` when the call ends in an error (its kind, status, request id and
//!   description).
//!
//! Nothing secret goes into any field: no header, body, credential or signature is recorded;
//! error descriptions are the runtime's own, which never include credentials. Without the
//! feature, every function here is a no-op and no tracing crate is built.

use crate::service::OperationMeta;

#[cfg(feature = "tracing")]
mod imp {
    use super::OperationMeta;
    use std::future::Future;
    use tracing::Instrument;

    /// A span handle.
    pub(crate) type Span = tracing::Span;

    /// The operation's span.
    pub(crate) fn invoke_span(op: &OperationMeta) -> Span {
        tracing::debug_span!(
            "invoke",
            "rpc.service" = op.service.service_id,
            "rpc.method" = op.name,
            request_id = tracing::field::Empty,
        )
    }

    /// One attempt's span.
    pub(crate) fn attempt_span(attempt: u32, max_attempts: u32) -> Span {
        tracing::debug_span!(
            "try_attempt",
            attempt,
            max_attempts,
            request_id = tracing::field::Empty,
        )
    }

    /// Runs `future` inside `span`.
    pub(crate) async fn instrument<F: Future>(span: Span, future: F) -> F::Output {
        future.instrument(span).await
    }

    /// Records the response's request id on `span`.
    pub(crate) fn record_request_id(span: &Span, request_id: Option<&str>) {
        if let Some(request_id) = request_id {
            span.record("request_id", request_id);
        }
    }

    /// The current span (the operation's, outside an attempt).
    pub(crate) fn current() -> Span {
        Span::current()
    }

    /// Before retry `attempt + 1`.
    pub(crate) fn retrying(
        attempt: u32,
        reason: &dyn std::fmt::Display,
        delay: std::time::Duration,
    ) {
        tracing::debug!(attempt, %reason, ?delay, "retrying");
    }

    /// The call ended in an error.
    pub(crate) fn failed(
        kind: &str,
        status: Option<u16>,
        request_id: Option<&str>,
        description: &dyn std::fmt::Display,
    ) {
        tracing::debug!(
            error.kind = kind,
            status,
            request_id,
            error = %description,
            "operation failed"
        );
    }
}

#[cfg(not(feature = "tracing"))]
mod imp {
    use super::OperationMeta;
    use std::future::Future;

    /// No span.
    #[derive(Clone, Copy)]
    pub(crate) struct Span;

    #[inline]
    pub(crate) fn invoke_span(_: &OperationMeta) -> Span {
        Span
    }

    #[inline]
    pub(crate) fn attempt_span(_: u32, _: u32) -> Span {
        Span
    }

    #[inline]
    pub(crate) async fn instrument<F: Future>(_: Span, future: F) -> F::Output {
        future.await
    }

    #[inline]
    pub(crate) fn record_request_id(_: &Span, _: Option<&str>) {}

    #[inline]
    pub(crate) fn current() -> Span {
        Span
    }

    #[inline]
    pub(crate) fn retrying(_: u32, _: &dyn std::fmt::Display, _: std::time::Duration) {}

    #[inline]
    pub(crate) fn failed(_: &str, _: Option<u16>, _: Option<&str>, _: &dyn std::fmt::Display) {}
}

pub(crate) use imp::*;

/// Reports how a call ended in an error (see [`failed`]): its kind, status and request id,
/// and for failures other than a service's error answer, the cause chain.
pub(crate) fn report_error<E>(err: &crate::error::SdkError<E>) {
    use crate::error::RequestId as _;
    let (kind, response, cause) = err.telemetry_parts();
    let status = response.map(|r| r.status);
    let request_id = response.and_then(|r| r.request_id());
    match cause {
        Some(cause) => failed(
            kind,
            status,
            request_id,
            &crate::error::DisplayErrorContext(cause),
        ),
        None => failed(kind, status, request_id, &kind),
    }
}
