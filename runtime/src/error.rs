//! Errors returned by generated operations, shaped like the official SDK's.

use crate::http::{BoxError, ConnectorError, HttpResponse};
use std::error::Error;
use std::fmt;

#[cfg(not(feature = "official-types"))]
mod build_error;
mod construction;
mod metadata;
/// With the feature `official-types`, `aws-smithy-types`' own (the same API), so code that
/// names `aws_smithy_types::error::operation::BuildError` compiles against generated builders.
#[cfg(feature = "official-types")]
pub use aws_smithy_types::error::operation::BuildError;
#[cfg(not(feature = "official-types"))]
pub use build_error::BuildError;
pub use construction::{ConstructionError, SendError};
pub use metadata::{
    Builder as ErrorMetadataBuilder, DisplayErrorContext, EMPTY_ERROR_METADATA, ErrorMetadata,
    ProvideErrorMetadata, UnknownVariantError,
};

/// The key under which the request id is stored in [`ErrorMetadata`] extras.
pub const AWS_REQUEST_ID: &str = "aws_request_id";

/// Access to the AWS request id of a response or error.
pub trait RequestId {
    /// The request id, if the service sent one.
    fn request_id(&self) -> Option<&str>;
}

impl RequestId for ErrorMetadata {
    fn request_id(&self) -> Option<&str> {
        self.extra(AWS_REQUEST_ID)
    }
}

impl RequestId for HttpResponse {
    fn request_id(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
    }
}

impl RequestId for Unhandled {
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl<E: RequestId, R: RequestId> RequestId for SdkError<E, R> {
    fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::ServiceError(context) => context.err().request_id(),
            _ => self.raw_response().and_then(RequestId::request_id),
        }
    }
}

impl<O: RequestId, E: RequestId> RequestId for Result<O, E> {
    fn request_id(&self) -> Option<&str> {
        match self {
            Ok(output) => output.request_id(),
            Err(err) => err.request_id(),
        }
    }
}

/// Constructs the unhandled variant of a generated error enum, so that
/// [`SdkError::into_service_error`] can be infallible.
pub trait CreateUnhandledError {
    /// Creates the unhandled variant from a source error and optional metadata.
    fn create_unhandled_error(
        source: Box<dyn Error + Send + Sync + 'static>,
        meta: Option<ErrorMetadata>,
    ) -> Self;
}

/// An error response the generated code has no variant for (or a non-service failure
/// converted by [`SdkError::into_service_error`]).
#[derive(Debug)]
pub struct Unhandled {
    /// The underlying error.
    pub source: BoxError,
    /// Code, message and request id of the error response, when there was one.
    pub meta: ErrorMetadata,
}

impl Unhandled {
    /// Creates an unhandled error.
    ///
    /// The parameters are concrete types (not `impl Into`) so that generated code can pass
    /// `err.into()` and `Default::default()` without type annotations.
    pub fn new(source: BoxError, meta: ErrorMetadata) -> Self {
        Self { source, meta }
    }

    /// An unhandled error for an error response with an unmodeled code: the metadata is
    /// both the source and the metadata.
    pub fn from_meta(meta: ErrorMetadata) -> Self {
        Self {
            source: Box::new(meta.clone()),
            meta,
        }
    }

    /// The error metadata (code, message, request id).
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meta.code() {
            Some(code) => write!(f, "unhandled error ({code})"),
            None => f.write_str("unhandled error"),
        }
    }
}

impl Error for Unhandled {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// The request could not be built or signed; it was never sent.
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

impl ConstructionFailure {
    /// Why the request could not be built.
    pub(crate) fn source_error(&self) -> &(dyn Error + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

/// The request timed out. It may have been sent and received.
#[derive(Debug)]
pub struct TimeoutError {
    source: BoxError,
}

/// The request could not be dispatched or no response came back. It may have been sent.
#[derive(Debug)]
pub struct DispatchFailure {
    source: ConnectorError,
}

impl DispatchFailure {
    /// True if the transport failure was an I/O error.
    pub fn is_io(&self) -> bool {
        self.source.is_io()
    }

    /// True if the transport failure was a timeout.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// True if the request could not be sent as given.
    pub fn is_user(&self) -> bool {
        self.source.is_user()
    }

    /// True if the transport failure has no more specific kind.
    pub fn is_other(&self) -> bool {
        self.source.is_other()
    }

    /// The underlying connector error.
    pub fn as_connector_error(&self) -> Option<&ConnectorError> {
        Some(&self.source)
    }
}

/// A response came back but could not be understood per the protocol.
#[derive(Debug)]
pub struct ResponseError<R> {
    source: BoxError,
    raw: R,
}

impl<R> ResponseError<R> {
    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// Takes the raw response.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

/// The service answered with an error.
#[derive(Debug)]
pub struct ServiceError<E, R> {
    source: E,
    raw: R,
}

impl<E, R> ServiceError<E, R> {
    /// The modeled (or unhandled) service error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// Takes the service error.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// Takes the raw response.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

/// The error of every generated operation: either the service answered with an error
/// (`ServiceError`, holding the operation's error enum `E`), or something failed on the way.
///
/// Print it with [`DisplayErrorContext`] to see the whole cause chain.
#[non_exhaustive]
#[derive(Debug)]
pub enum SdkError<E, R = HttpResponse> {
    /// The request failed during construction. It was not dispatched over the network.
    ConstructionFailure(ConstructionFailure),
    /// The request timed out. The request MAY have been sent and received.
    TimeoutError(TimeoutError),
    /// The request failed during dispatch. No HTTP response was received.
    DispatchFailure(DispatchFailure),
    /// A response was received but could not be parsed.
    ResponseError(ResponseError<R>),
    /// An error response was received from the service.
    ServiceError(ServiceError<E, R>),
}

impl<E> SdkError<E> {
    /// What [`crate::telemetry`] reports: the kind, the response if any, and the cause (not
    /// for a service error, whose modelled error may hold anything the service sent).
    pub(crate) fn telemetry_parts(
        &self,
    ) -> (
        &'static str,
        Option<&HttpResponse>,
        Option<&(dyn Error + Send + Sync + 'static)>,
    ) {
        match self {
            Self::ConstructionFailure(e) => ("construction failure", None, Some(e.source.as_ref())),
            Self::TimeoutError(e) => ("timeout", None, Some(e.source.as_ref())),
            Self::DispatchFailure(e) => ("dispatch failure", None, Some(&e.source)),
            Self::ResponseError(e) => ("response error", Some(&e.raw), Some(e.source.as_ref())),
            Self::ServiceError(e) => ("service error", Some(&e.raw), None),
        }
    }
}

impl<E, R> SdkError<E, R> {
    /// A construction failure.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        Self::ConstructionFailure(ConstructionFailure {
            source: source.into(),
        })
    }

    /// A timeout.
    pub fn timeout_error(source: impl Into<BoxError>) -> Self {
        Self::TimeoutError(TimeoutError {
            source: source.into(),
        })
    }

    /// A dispatch failure.
    pub fn dispatch_failure(source: ConnectorError) -> Self {
        Self::DispatchFailure(DispatchFailure { source })
    }

    /// An unparseable response.
    pub fn response_error(source: impl Into<BoxError>, raw: R) -> Self {
        Self::ResponseError(ResponseError {
            source: source.into(),
            raw,
        })
    }

    /// A service error.
    pub fn service_error(err: E, raw: R) -> Self {
        Self::ServiceError(ServiceError { source: err, raw })
    }

    /// The service error, if this is one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::ServiceError(context) => Some(&context.source),
            _ => None,
        }
    }

    /// Splits a service error from the other kinds of failure. Those come back as an
    /// `SdkError` without the operation's error type, so boxing one as `dyn Error` (the
    /// service-wide `Error`'s unhandled case) needs one implementation for all operations, not
    /// one per operation.
    pub fn split_service_error(
        self,
    ) -> Result<ServiceError<E, R>, SdkError<std::convert::Infallible, R>> {
        match self {
            Self::ServiceError(context) => Ok(context),
            Self::ConstructionFailure(context) => Err(SdkError::ConstructionFailure(context)),
            Self::TimeoutError(context) => Err(SdkError::TimeoutError(context)),
            Self::DispatchFailure(context) => Err(SdkError::DispatchFailure(context)),
            Self::ResponseError(context) => Err(SdkError::ResponseError(context)),
        }
    }

    /// Returns the service error; any other failure becomes `E`'s unhandled variant, with
    /// this error (without its raw response) as the source.
    pub fn into_service_error(self) -> E
    where
        E: CreateUnhandledError,
    {
        let (kind, source): (&'static str, BoxError) = match self {
            Self::ServiceError(context) => return context.source,
            Self::ConstructionFailure(context) => ("failed to construct request", context.source),
            Self::TimeoutError(context) => ("request has timed out", context.source),
            Self::DispatchFailure(context) => ("dispatch failure", Box::new(context.source)),
            Self::ResponseError(context) => ("response error", context.source),
        };
        E::create_unhandled_error(Box::new(NonServiceError { kind, source }), None)
    }

    /// The raw response, for service and response errors.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            Self::ServiceError(context) => Some(&context.raw),
            Self::ResponseError(context) => Some(&context.raw),
            _ => None,
        }
    }

    /// Converts this error into its source.
    pub fn into_source(self) -> Result<BoxError, Self>
    where
        E: Error + Send + Sync + 'static,
    {
        match self {
            Self::ConstructionFailure(context) => Ok(context.source),
            Self::TimeoutError(context) => Ok(context.source),
            Self::ResponseError(context) => Ok(context.source),
            Self::DispatchFailure(context) => Ok(Box::new(context.source)),
            Self::ServiceError(context) => Ok(Box::new(context.source)),
        }
    }

    /// Maps the service error type.
    pub fn map_service_error<E2>(self, map: impl FnOnce(E) -> E2) -> SdkError<E2, R> {
        match self {
            Self::ServiceError(context) => SdkError::ServiceError(ServiceError {
                source: map(context.source),
                raw: context.raw,
            }),
            Self::ConstructionFailure(context) => SdkError::ConstructionFailure(context),
            Self::TimeoutError(context) => SdkError::TimeoutError(context),
            Self::DispatchFailure(context) => SdkError::DispatchFailure(context),
            Self::ResponseError(context) => SdkError::ResponseError(context),
        }
    }

    /// The error code, for service errors.
    pub fn code(&self) -> Option<&str>
    where
        E: ProvideErrorMetadata,
    {
        ProvideErrorMetadata::code(self)
    }

    /// The error message, for service errors.
    pub fn message(&self) -> Option<&str>
    where
        E: ProvideErrorMetadata,
    {
        ProvideErrorMetadata::message(self)
    }
}

impl<E, R> fmt::Display for SdkError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ConstructionFailure(_) => "failed to construct request",
            Self::TimeoutError(_) => "request has timed out",
            Self::DispatchFailure(_) => "dispatch failure",
            Self::ResponseError(_) => "response error",
            Self::ServiceError(_) => "service error",
        })
    }
}

impl<E, R> Error for SdkError<E, R>
where
    E: Error + 'static,
    R: fmt::Debug,
{
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::ConstructionFailure(context) => Some(context.source.as_ref()),
            Self::TimeoutError(context) => Some(context.source.as_ref()),
            Self::ResponseError(context) => Some(context.source.as_ref()),
            Self::DispatchFailure(context) => Some(&context.source),
            Self::ServiceError(context) => Some(&context.source),
        }
    }
}

impl<E, R> ProvideErrorMetadata for SdkError<E, R>
where
    E: ProvideErrorMetadata,
{
    fn meta(&self) -> &ErrorMetadata {
        match self {
            Self::ServiceError(context) => context.source.meta(),
            _ => &EMPTY_ERROR_METADATA,
        }
    }
}

impl<E, R> From<BuildError> for SdkError<E, R> {
    fn from(err: BuildError) -> Self {
        Self::construction_failure(err)
    }
}

/// The source of an unhandled error made from a non-service [`SdkError`].
#[derive(Debug)]
struct NonServiceError {
    kind: &'static str,
    source: BoxError,
}

impl fmt::Display for NonServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind)
    }
}

impl Error for NonServiceError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated-style operation error.
    #[derive(Debug)]
    enum OpError {
        NotFound(ErrorMetadata),
        Unhandled(Unhandled),
    }

    impl fmt::Display for OpError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::NotFound(_) => f.write_str("NotFound"),
                Self::Unhandled(inner) => inner.fmt(f),
            }
        }
    }

    impl Error for OpError {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            match self {
                Self::NotFound(_) => None,
                Self::Unhandled(inner) => inner.source(),
            }
        }
    }

    impl ProvideErrorMetadata for OpError {
        fn meta(&self) -> &ErrorMetadata {
            match self {
                Self::NotFound(meta) => meta,
                Self::Unhandled(inner) => inner.meta(),
            }
        }
    }

    impl RequestId for OpError {
        fn request_id(&self) -> Option<&str> {
            self.meta().request_id()
        }
    }

    impl CreateUnhandledError for OpError {
        fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
            Self::Unhandled(Unhandled::new(source, meta.unwrap_or_default()))
        }
    }

    fn not_found() -> OpError {
        OpError::NotFound(
            ErrorMetadata::builder()
                .code("NotFound")
                .message("no such thing")
                .custom(AWS_REQUEST_ID, "req-1")
                .build(),
        )
    }

    fn raw(status: u16) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("x-amzn-RequestId".into(), "raw-req".into())],
            body: b"{}".to_vec().into(),
        }
    }

    #[test]
    fn into_service_error_returns_the_service_error() {
        let err: SdkError<OpError> = SdkError::service_error(not_found(), raw(400));
        assert_eq!(err.to_string(), "service error");
        assert_eq!(err.code(), Some("NotFound"));
        assert_eq!(err.message(), Some("no such thing"));
        assert_eq!(err.request_id(), Some("req-1"));
        assert!(matches!(err.as_service_error(), Some(OpError::NotFound(_))));
        assert_eq!(err.raw_response().map(|r| r.status), Some(400));
        assert!(matches!(err.into_service_error(), OpError::NotFound(_)));
    }

    #[test]
    fn into_service_error_wraps_other_failures_as_unhandled() {
        let err: SdkError<OpError> =
            SdkError::dispatch_failure(ConnectorError::io(std::io::Error::other("refused")));
        assert!(err.as_service_error().is_none());
        assert_eq!(err.code(), None);
        assert_eq!(err.request_id(), None);
        let OpError::Unhandled(unhandled) = err.into_service_error() else {
            panic!("expected the unhandled variant");
        };
        assert_eq!(unhandled.meta(), &ErrorMetadata::default());
        assert_eq!(
            DisplayErrorContext(&unhandled)
                .to_string()
                .split(" (")
                .next(),
            Some("unhandled error: dispatch failure: io error: refused")
        );

        let err: SdkError<OpError> = SdkError::construction_failure("no region");
        let OpError::Unhandled(unhandled) = err.into_service_error() else {
            panic!("expected the unhandled variant");
        };
        let chain = DisplayErrorContext(unhandled).to_string();
        assert!(
            chain.starts_with("unhandled error: failed to construct request: no region"),
            "{chain}"
        );
    }

    #[test]
    fn response_error_keeps_raw_and_request_id() {
        let err: SdkError<OpError> = SdkError::response_error("bad json", raw(200));
        assert_eq!(err.to_string(), "response error");
        assert_eq!(err.raw_response().map(|r| r.status), Some(200));
        assert_eq!(err.request_id(), Some("raw-req"));
        assert_eq!(
            err.source().map(ToString::to_string),
            Some("bad json".to_owned())
        );
    }

    #[test]
    fn display_and_source_per_variant() {
        let cases: Vec<(SdkError<OpError>, &str, &str)> = vec![
            (
                SdkError::construction_failure("c"),
                "failed to construct request",
                "c",
            ),
            (SdkError::timeout_error("t"), "request has timed out", "t"),
            (
                SdkError::dispatch_failure(ConnectorError::timeout("slow")),
                "dispatch failure",
                "timeout",
            ),
            (
                SdkError::service_error(not_found(), raw(404)),
                "service error",
                "NotFound",
            ),
        ];
        for (err, display, source) in cases {
            assert_eq!(err.to_string(), display);
            assert_eq!(
                err.source().map(ToString::to_string).as_deref(),
                Some(source)
            );
        }
        let timeout: SdkError<OpError> =
            SdkError::dispatch_failure(ConnectorError::timeout("slow"));
        let SdkError::DispatchFailure(failure) = &timeout else {
            panic!("expected dispatch failure");
        };
        assert!(failure.is_timeout() && !failure.is_io());
    }

    #[test]
    fn into_source_and_map_service_error() {
        let err: SdkError<OpError> = SdkError::service_error(not_found(), raw(404));
        let mapped: SdkError<String> = err.map_service_error(|e| e.to_string());
        assert_eq!(
            mapped.as_service_error().map(String::as_str),
            Some("NotFound")
        );

        let err: SdkError<OpError> = SdkError::timeout_error("deadline");
        assert_eq!(
            err.into_source().map(|s| s.to_string()).ok().as_deref(),
            Some("deadline")
        );
    }

    #[test]
    fn build_error_converts_to_construction_failure() {
        let err: SdkError<OpError> = BuildError::missing_field("id", "id is required").into();
        assert!(matches!(err, SdkError::ConstructionFailure(_)));
        let text = DisplayErrorContext(&err).to_string();
        assert!(text.contains("id"), "{text}");
    }

    #[test]
    fn request_id_from_headers() {
        let mut response = raw(200);
        assert_eq!(response.request_id(), Some("raw-req"));
        response.headers = vec![("X-Amz-Request-Id".into(), "s3-style".into())];
        assert_eq!(response.request_id(), Some("s3-style"));
        response.headers.clear();
        assert_eq!(response.request_id(), None);
    }

    #[test]
    fn unhandled_display_and_meta() {
        let meta = ErrorMetadata::builder()
            .code("Throttling")
            .custom(AWS_REQUEST_ID, "r-9")
            .build();
        let unhandled = Unhandled::new("boom".into(), meta.clone());
        assert_eq!(unhandled.to_string(), "unhandled error (Throttling)");
        assert_eq!(unhandled.request_id(), Some("r-9"));
        assert_eq!(ProvideErrorMetadata::code(&unhandled), Some("Throttling"));
        assert_eq!(
            Unhandled::new("boom".into(), Default::default()).to_string(),
            "unhandled error"
        );
        let from_meta = Unhandled::from_meta(meta.clone());
        assert_eq!(from_meta.meta(), &meta);
        assert_eq!(from_meta.to_string(), "unhandled error (Throttling)");
        assert!(
            from_meta
                .source()
                .is_some_and(|s| s.to_string().contains("Throttling"))
        );
    }
}
