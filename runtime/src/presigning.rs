//! Presigned requests, with the official SDK's API (`aws_sdk_s3::presigning`).
//!
//! A presigned request is made by calling `.presigned(config)` instead of `.send()` on the
//! fluent builder of an operation that supports it (S3 `GetObject`, `PutObject`,
//! `UploadPart`, `HeadObject`, `DeleteObject` and Polly `SynthesizeSpeech`, as in the official
//! SDK); generated crates re-export this module as `presigning`:
//!
//! ```ignore
//! use aws_sdk_s3::presigning::PresigningConfig;
//! let presigned = client
//!     .get_object()
//!     .bucket("bucket")
//!     .key("key")
//!     .presigned(PresigningConfig::expires_in(Duration::from_secs(900))?)
//!     .await?;
//! println!("{}", presigned.uri());
//! ```
//!
//! The request is built as `send()` builds it (endpoint, addressing style, the input's
//! headers and query string, `.customize().mutate_request(..)`), then signed with SigV4 in
//! its query string ([`crate::sigv4::presign_with`]) at the config's
//! [`start_time`](PresigningConfig::start_time) instead of being sent. As in the official
//! SDK, it carries no `user-agent`, `amz-sdk-*`, `content-length` of its (absent) body,
//! default `content-type`, `x-amz-content-sha256` or computed checksum headers (no
//! `x-amz-sdk-checksum-algorithm` default): whoever sends it chooses the body. Headers the
//! input sets (`content_type(..)`, `content_length(..)`, a checksum value, metadata) are
//! signed and returned by [`PresignedRequest::headers`]: they must be sent with the request.
//! S3's payload is signed as `UNSIGNED-PAYLOAD`; Polly's `SynthesizeSpeech` is presigned as a
//! `GET` with the body's members in the query string and the empty body's hash.
//!
//! Credentials that expire before `start_time + expires_in` make the request invalid from
//! their expiry on.

use crate::http::BoxError;
use std::fmt;
use std::time::{Duration, SystemTime};

/// The longest a presigned request can be valid for: one week.
const ONE_WEEK: Duration = Duration::from_secs(604_800);

/// Presigning config values required for creating a presigned request.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct PresigningConfig {
    start_time: SystemTime,
    expires_in: Duration,
}

impl PresigningConfig {
    /// Creates a `PresigningConfig` with the given `expires_in` duration.
    ///
    /// The `expires_in` duration is the total amount of time the presigned request should
    /// be valid for. Other config values are defaulted.
    ///
    /// Credential expiration time takes priority over the `expires_in` value.
    /// If the credentials used to sign the request expire before the presigned request is
    /// set to expire, then the presigned request will become invalid.
    pub fn expires_in(expires_in: Duration) -> Result<PresigningConfig, PresigningConfigError> {
        Self::builder().expires_in(expires_in).build()
    }

    /// Creates a new builder for creating a `PresigningConfig`.
    pub fn builder() -> PresigningConfigBuilder {
        PresigningConfigBuilder::default()
    }

    /// Returns the amount of time the presigned request should be valid for.
    pub fn expires(&self) -> Duration {
        self.expires_in
    }

    /// Returns the start time. The presigned request will be valid between this and the end
    /// time produced by adding the `expires()` value to it.
    pub fn start_time(&self) -> SystemTime {
        self.start_time
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorKind {
    /// Presigned requests cannot be valid for longer than one week.
    ExpiresInDurationTooLong,
    /// The `PresigningConfig` builder requires a value for `expires_in`.
    ExpiresInRequired,
}

/// `PresigningConfig` build errors.
#[derive(Debug)]
pub struct PresigningConfigError {
    kind: ErrorKind,
}

impl std::error::Error for PresigningConfigError {}

impl fmt::Display for PresigningConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::ExpiresInDurationTooLong => {
                write!(f, "`expires_in` must be no longer than one week")
            }
            ErrorKind::ExpiresInRequired => write!(f, "`expires_in` is required"),
        }
    }
}

impl From<ErrorKind> for PresigningConfigError {
    fn from(kind: ErrorKind) -> Self {
        Self { kind }
    }
}

/// Builder used to create `PresigningConfig`.
#[non_exhaustive]
#[derive(Default, Debug)]
pub struct PresigningConfigBuilder {
    start_time: Option<SystemTime>,
    expires_in: Option<Duration>,
}

impl PresigningConfigBuilder {
    /// Sets the start time for the presigned request.
    ///
    /// The request will start to be valid at this time, and will cease to be valid after
    /// the end time, which can be determined by adding the `expires_in` duration to this
    /// start time. If not specified, this will default to the current time.
    ///
    /// Optional.
    pub fn start_time(mut self, start_time: SystemTime) -> Self {
        self.set_start_time(Some(start_time));
        self
    }

    /// Sets the start time for the presigned request (see
    /// [`start_time`](Self::start_time)).
    ///
    /// Optional.
    pub fn set_start_time(&mut self, start_time: Option<SystemTime>) {
        self.start_time = start_time;
    }

    /// Sets how long the request should be valid after the `start_time` (which defaults
    /// to the current time).
    ///
    /// Credential expiration time takes priority over the `expires_in` value.
    /// If the credentials used to sign the request expire before the presigned request is
    /// set to expire, then the presigned request will become invalid.
    ///
    /// Required.
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.set_expires_in(Some(expires_in));
        self
    }

    /// Sets how long the request should be valid after the `start_time` (see
    /// [`expires_in`](Self::expires_in)).
    ///
    /// Required.
    pub fn set_expires_in(&mut self, expires_in: Option<Duration>) {
        self.expires_in = expires_in;
    }

    /// Builds the `PresigningConfig`. This will error if `expires_in` is not
    /// given, or if it's longer than one week.
    pub fn build(self) -> Result<PresigningConfig, PresigningConfigError> {
        let expires_in = self.expires_in.ok_or(ErrorKind::ExpiresInRequired)?;
        if expires_in > ONE_WEEK {
            return Err(ErrorKind::ExpiresInDurationTooLong.into());
        }
        Ok(PresigningConfig {
            start_time: self.start_time.unwrap_or_else(SystemTime::now),
            expires_in,
        })
    }
}

/// How a presigned request's payload is signed (chosen per operation by the generator, as
/// the official SDK does).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresignedPayload {
    /// `UNSIGNED-PAYLOAD`: the body is not part of the signature (S3).
    Unsigned,
    /// The SHA-256 of an empty body (Polly's `SynthesizeSpeech`, sent as a `GET`).
    Empty,
}

/// Represents a presigned request. This only includes the HTTP request method, URI, and
/// headers.
///
/// [`into_http_1x_request`](Self::into_http_1x_request) and
/// [`make_http_1x_request`](Self::make_http_1x_request) give an `http::Request` (http 1.x)
/// with a body of your choice.
#[non_exhaustive]
#[derive(Clone)]
pub struct PresignedRequest {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    /// The same method, URI and headers, checked when the request was made.
    parts: (http::Method, http::Uri, http::HeaderMap),
}

impl PresignedRequest {
    /// A presigned request from its method, presigned URI and the headers to send with it
    /// (names are lower-cased; `host` is left out). Fails on a method, URI or header `http`
    /// does not accept.
    pub fn new(
        method: impl Into<String>,
        uri: impl Into<String>,
        headers: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, BoxError> {
        let method = method.into();
        let uri = uri.into();
        let http_method = http::Method::from_bytes(method.as_bytes())
            .map_err(|e| format!("invalid HTTP method {method:?}: {e}"))?;
        let http_uri: http::Uri = uri
            .parse()
            .map_err(|e| format!("invalid presigned URI: {e}"))?;
        let mut map = http::HeaderMap::new();
        let mut kept = Vec::new();
        for (name, value) in headers {
            let name = name.to_ascii_lowercase();
            if name == "host" {
                continue;
            }
            let header_name = http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("invalid header name {name:?}"))?;
            let header_value = http::HeaderValue::from_str(&value)
                .map_err(|_| format!("invalid value for header {name:?}"))?;
            map.append(header_name, header_value);
            kept.push((name, value));
        }
        Ok(Self {
            method,
            uri,
            headers: kept,
            parts: (http_method, http_uri, map),
        })
    }

    /// Returns the HTTP request method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Returns the HTTP request URI.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// Returns any HTTP headers that need to go along with the request, except for `Host`,
    /// which should be sent based on the endpoint in the URI by the HTTP client rather than
    /// added directly.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Given a body, produce an `http::Request` (http 1.x) from this `PresignedRequest`.
    pub fn make_http_1x_request<B>(&self, body: B) -> http::Request<B> {
        self.clone().into_http_1x_request(body)
    }

    /// Converts this `PresignedRequest` directly into an `http::Request` (http 1.x).
    pub fn into_http_1x_request<B>(self, body: B) -> http::Request<B> {
        let (method, uri, headers) = self.parts;
        let mut request = http::Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        request
    }
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("method", &self.method())
            .field("uri", &self.uri())
            .field("headers", &self.headers)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_limits_are_the_official_ones() {
        let week = Duration::from_secs(604_800);
        assert_eq!(
            PresigningConfig::expires_in(week)
                .expect("a week")
                .expires(),
            week
        );
        let err = PresigningConfig::expires_in(week + Duration::from_secs(1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`expires_in` must be no longer than one week"
        );
        let err = PresigningConfig::builder().build().unwrap_err();
        assert_eq!(err.to_string(), "`expires_in` is required");
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_234_567_891);
        let config = PresigningConfig::builder()
            .start_time(start)
            .expires_in(Duration::from_secs(30))
            .build()
            .expect("valid");
        assert_eq!(config.start_time(), start);
    }

    #[test]
    fn request_converts_to_http_and_drops_host() {
        let presigned = PresignedRequest::new(
            "PUT",
            "https://b.s3.us-east-1.amazonaws.com/k?X-Amz-Signature=00",
            [
                ("Host".to_owned(), "b.s3.us-east-1.amazonaws.com".to_owned()),
                ("Content-Type".to_owned(), "text/plain".to_owned()),
            ],
        )
        .expect("valid");
        assert_eq!(
            presigned.headers().collect::<Vec<_>>(),
            [("content-type", "text/plain")]
        );
        let request = presigned.make_http_1x_request("body");
        assert_eq!(request.method(), http::Method::PUT);
        assert_eq!(request.uri().to_string(), presigned.uri());
        assert_eq!(request.headers().len(), 1);
        assert_eq!(*request.body(), "body");
        assert!(PresignedRequest::new("GET", "not a uri", []).is_err());
        assert!(PresignedRequest::new("GET", "https://h/", [("a b".into(), "v".into())]).is_err());
        assert!(PresignedRequest::new("GET", "https://h/", [("a".into(), "\n".into())]).is_err());
    }
}
