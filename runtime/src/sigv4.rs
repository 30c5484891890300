//! AWS Signature Version 4 (SigV4): signature in headers, or in the query string.
//!
//! The runtime's own signer: it produces exactly what `aws-sigv4` 1.x produces with its
//! default `SigningSettings` (signature in the `Authorization` header, path normalised and
//! percent-encoded a second time, no `x-amz-content-sha256` header, the session token signed
//! as `x-amz-security-token`, `authorization`, `user-agent`, `x-amzn-trace-id` and
//! `transfer-encoding` left unsigned). `tests/sigv4_suite.rs` runs it against the AWS signing
//! test suite and `tests/sigv4_differential.rs` against `aws-sigv4` itself (a
//! dev-dependency), over fixed and generated requests.
//!
//! [`sign`] also returns the canonical request and the string to sign, for debugging a
//! signature a service rejects. [`sign_with`] takes [`SigningSettings`]: S3's rules (path
//! neither normalised nor encoded again, `x-amz-content-sha256` on every request) are
//! [`SigningSettings::S3`], checked against `aws-sigv4` with the same settings.
//!
//! [`presign_with`] puts the signature in the query string instead (presigned URLs, as
//! `aws-sigv4`'s `SignatureLocation::QueryParams`), checked against `aws-sigv4` in
//! `tests/sigv4_presign.rs`.

pub(crate) mod sha256;

use crate::config::Credentials;
use crate::http::{BoxError, HttpRequest};
use sha256::{hex, hmac_sha256, sha256};
use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Headers never signed: computed by signing itself, or changed by proxies on the way
/// (the set `aws-sigv4`'s default settings exclude).
const UNSIGNED_HEADERS: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// Why a request cannot be signed: an unparsable URI, a header name or value HTTP does not
/// allow, no host, or a signing time outside 1970–9999. Never shows header values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningError {
    reason: String,
}

impl SigningError {
    fn new(reason: impl Into<String>) -> Self {
        SigningError {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for SigningError {}

/// The result of [`sign`]: the headers to add to the request, and how they were computed.
///
/// `Debug` shows the signed header names and the signature only: the canonical request
/// holds the session token.
#[derive(Clone)]
pub struct SigningOutput {
    headers: Vec<(String, String)>,
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    signature: String,
}

impl SigningOutput {
    /// The headers to add: `x-amz-date`, `authorization` and, when the credentials carry a
    /// session token, `x-amz-security-token` (replacing any the request has).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The headers to add, by value.
    pub fn into_headers(self) -> Vec<(String, String)> {
        self.headers
    }

    /// The canonical request (SigV4 step 1). Holds the session token, if any.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign (SigV4 step 2).
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signed header names, `;`-separated, as in the `Authorization` header.
    pub fn signed_headers(&self) -> &str {
        &self.signed_headers
    }

    /// The signature, 64 lower-case hex digits.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// The payload hash of a request whose body is not hashed (a streaming body).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The payload hash of a streaming body whose checksum travels in an `aws-chunked` trailer.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// The payload hash of a streaming body, which is not read to sign it:
/// [`STREAMING_UNSIGNED_PAYLOAD_TRAILER`] when the request names a trailer (`x-amz-trailer`),
/// else [`UNSIGNED_PAYLOAD`].
pub fn streaming_payload_hash(headers: &[(String, String)]) -> &'static str {
    if headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("x-amz-trailer"))
    {
        STREAMING_UNSIGNED_PAYLOAD_TRAILER
    } else {
        UNSIGNED_PAYLOAD
    }
}

/// How a service wants its requests signed, where SigV4 lets services differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigningSettings {
    /// Remove `.`/`..` segments and merge empty ones in the canonical path (every service but
    /// S3).
    pub normalize_path: bool,
    /// Percent-encode the (already encoded) path a second time in the canonical request
    /// (every service but S3; an endpoint's auth scheme can turn it off with
    /// `disableDoubleEncoding`).
    pub double_encode_path: bool,
    /// Send the payload hash as a signed `x-amz-content-sha256` header (S3, Glacier).
    pub content_sha256_header: bool,
}

impl SigningSettings {
    /// What SigV4 does for most services (and `aws-sigv4`'s default settings).
    pub const STANDARD: SigningSettings = SigningSettings {
        normalize_path: true,
        double_encode_path: true,
        content_sha256_header: false,
    };

    /// S3's rules (botocore's `s3v4` signature version): the path as sent, no
    /// normalisation, and `x-amz-content-sha256` on every request.
    pub const S3: SigningSettings = SigningSettings {
        normalize_path: false,
        double_encode_path: false,
        content_sha256_header: true,
    };
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// Signs `request` with SigV4 for `region` and `service` at `time` (whole seconds; the
/// fraction is dropped) and returns the headers to add.
///
/// Every header of the request is signed except `authorization`, `user-agent`,
/// `x-amzn-trace-id` and `transfer-encoding`; names are compared case-insensitively and
/// repeated names signed as one comma-separated value. The request must have a `host`
/// header or an absolute URI (`https://host/path`), whose host is then signed. A buffered
/// body is hashed whole; a streaming one is not read: its payload hash is
/// [`UNSIGNED_PAYLOAD`] (send it with `x-amz-content-sha256: UNSIGNED-PAYLOAD`, as the
/// orchestrator does), or [`STREAMING_UNSIGNED_PAYLOAD_TRAILER`] when its checksum is sent in a
/// trailer ([`streaming_payload_hash`]).
pub fn sign(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<SigningOutput, SigningError> {
    sign_with(
        request,
        credentials,
        region,
        service,
        time,
        &SigningSettings::STANDARD,
    )
}

/// [`sign`] with the service's [`SigningSettings`]. With `content_sha256_header`, the payload
/// hash is added (and signed) as `x-amz-content-sha256`, replacing any the request has.
pub fn sign_with(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    settings: &SigningSettings,
) -> Result<SigningOutput, SigningError> {
    let uri: http::Uri = request
        .uri
        .parse()
        .map_err(|e| SigningError::new(format!("invalid request URI {:?}: {e}", request.uri)))?;
    let (date, date_time) = format_time(time)?;

    let mut headers = canonical_header_list(request, &uri)?;
    headers.retain(|(name, _)| name != "x-amz-date");
    headers.push(("x-amz-date".to_owned(), date_time.clone()));
    let payload_hash = match request.body.bytes() {
        Some(body) => hex(&sha256(body)),
        None => streaming_payload_hash(&request.headers).to_owned(),
    };
    if settings.content_sha256_header {
        headers.retain(|(name, _)| name != "x-amz-content-sha256");
        headers.push(("x-amz-content-sha256".to_owned(), payload_hash.clone()));
    }
    let token = credentials.session_token();
    if let Some(token) = token {
        check_header_value("x-amz-security-token", token)?;
        headers.retain(|(name, _)| name != "x-amz-security-token");
        headers.push(("x-amz-security-token".to_owned(), token.to_owned()));
    }

    let mut names: Vec<&str> = headers
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| !UNSIGNED_HEADERS.contains(name))
        .collect();
    names.sort_unstable();
    names.dedup();
    let signed_headers = names.join(";");

    let mut canonical_request = String::with_capacity(256 + request.uri.len());
    canonical_request.push_str(&request.method);
    canonical_request.push('\n');
    push_canonical_path(&mut canonical_request, uri.path(), settings);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_query(uri.query().unwrap_or_default()));
    canonical_request.push('\n');
    push_canonical_headers(&mut canonical_request, &names, &headers);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);

    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "{ALGORITHM}\n{date_time}\n{scope}\n{}",
        hex(&sha256(canonical_request.as_bytes()))
    );
    let signature = signature(credentials, &date, region, service, &string_to_sign);

    let mut added = vec![
        ("x-amz-date".to_owned(), date_time),
        (
            "authorization".to_owned(),
            format!(
                "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
                credentials.access_key_id()
            ),
        ),
    ];
    if settings.content_sha256_header {
        added.push(("x-amz-content-sha256".to_owned(), payload_hash));
    }
    if let Some(token) = token {
        added.push(("x-amz-security-token".to_owned(), token.to_owned()));
    }
    Ok(SigningOutput {
        headers: added,
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
    })
}

/// The most a presigned request can be valid for: 7 days (SigV4's limit for `X-Amz-Expires`).
pub const MAX_PRESIGNED_EXPIRY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Headers a presigned request never signs, beyond those [`sign`] leaves out: the SDK's
/// user-agent header and S3's `x-amz-checksum-mode` (the set `aws-sigv4` leaves out when it
/// signs into the query string).
const UNSIGNED_PRESIGNED_HEADERS: [&str; 2] = ["x-amz-user-agent", "x-amz-checksum-mode"];

/// The result of [`presign_with`]: the request's URI with the signature in its query string,
/// and how it was computed.
///
/// `Debug` shows the signed header names and the signature only: the URI and the canonical
/// request hold the session token.
#[derive(Clone)]
pub struct PresigningOutput {
    uri: String,
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    signature: String,
}

impl PresigningOutput {
    /// The request's URI followed by `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature` and, when the credentials carry
    /// a session token, `X-Amz-Security-Token`, in that order (as `aws-sigv4` appends them).
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The presigned URI, by value.
    pub fn into_uri(self) -> String {
        self.uri
    }

    /// The canonical request (SigV4 step 1). Holds the session token, if any.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign (SigV4 step 2).
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signed header names, `;`-separated, as in `X-Amz-SignedHeaders`.
    pub fn signed_headers(&self) -> &str {
        &self.signed_headers
    }

    /// The signature, 64 lower-case hex digits.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl fmt::Debug for PresigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresigningOutput")
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Presigns `request`: SigV4 with the signature in the query string, valid for `expires_in`
/// from `time` (whole seconds; at most [`MAX_PRESIGNED_EXPIRY`]). The request is not changed;
/// the presigned URI is in the output, and whoever sends it sends the request's signed
/// headers with it.
///
/// What is signed, as `aws-sigv4` signs with `SignatureLocation::QueryParams`: the request's
/// query string plus `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders` and, when the credentials carry a session token,
/// `X-Amz-Security-Token`; the request's headers and `host`, except those [`sign`] leaves out
/// and `x-amz-user-agent` and `x-amz-checksum-mode`; no `x-amz-date`, `x-amz-content-sha256` or
/// session token header is added. `payload_hash` is the canonical request's payload hash:
/// [`UNSIGNED_PAYLOAD`] for S3 (whose presigned requests leave the body unsigned), or the
/// SHA-256 of the body the request will carry ([`empty_payload_hash`] for none).
/// `settings.content_sha256_header` is ignored: a presigned request carries no
/// `x-amz-content-sha256`.
#[allow(clippy::too_many_arguments)]
pub fn presign_with(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    expires_in: Duration,
    payload_hash: &str,
    settings: &SigningSettings,
) -> Result<PresigningOutput, SigningError> {
    if expires_in > MAX_PRESIGNED_EXPIRY {
        return Err(SigningError::new(format!(
            "a presigned request can be valid for at most 7 days ({} seconds), not {} seconds",
            MAX_PRESIGNED_EXPIRY.as_secs(),
            expires_in.as_secs()
        )));
    }
    let uri: http::Uri = request
        .uri
        .parse()
        .map_err(|e| SigningError::new(format!("invalid request URI {:?}: {e}", request.uri)))?;
    let (date, date_time) = format_time(time)?;
    let headers = canonical_header_list(request, &uri)?;
    let mut names: Vec<&str> = headers
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| {
            !UNSIGNED_HEADERS.contains(name) && !UNSIGNED_PRESIGNED_HEADERS.contains(name)
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let signed_headers = names.join(";");

    let scope = format!("{date}/{region}/{service}/aws4_request");
    let credential = format!("{}/{scope}", credentials.access_key_id());
    let expires = expires_in.as_secs().to_string();
    let token = credentials.session_token();
    // The signing parameters, in the order they are appended to the URI.
    let mut params: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &date_time),
        ("X-Amz-Expires", &expires),
        ("X-Amz-SignedHeaders", &signed_headers),
    ];
    if let Some(token) = token {
        params.push(("X-Amz-Security-Token", token));
    }
    let mut signed_query = uri.query().unwrap_or_default().to_owned();
    for (name, value) in &params {
        if !signed_query.is_empty() {
            signed_query.push('&');
        }
        push_encoded(&mut signed_query, name, false);
        signed_query.push('=');
        push_encoded(&mut signed_query, value, false);
    }

    let mut canonical_request = String::with_capacity(512 + request.uri.len());
    canonical_request.push_str(&request.method);
    canonical_request.push('\n');
    push_canonical_path(&mut canonical_request, uri.path(), settings);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_query(&signed_query));
    canonical_request.push('\n');
    push_canonical_headers(&mut canonical_request, &names, &headers);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(payload_hash);

    let string_to_sign = format!(
        "{ALGORITHM}\n{date_time}\n{scope}\n{}",
        hex(&sha256(canonical_request.as_bytes()))
    );
    let signature = signature(credentials, &date, region, service, &string_to_sign);

    // The URI as it was, then the parameters in `aws-sigv4`'s order, the signature before the
    // session token.
    let mut out = String::with_capacity(request.uri.len() + 512);
    out.push_str(&request.uri);
    match uri.query() {
        None => out.push('?'),
        Some("") => {}
        Some(_) => out.push('&'),
    }
    params.insert(5, ("X-Amz-Signature", &signature));
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_encoded(&mut out, name, false);
        out.push('=');
        push_encoded(&mut out, value, false);
    }
    Ok(PresigningOutput {
        uri: out,
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
    })
}

/// The SHA-256 of an empty payload, hex: the payload hash of a presigned request without a
/// body outside S3.
pub fn empty_payload_hash() -> String {
    hex(&sha256(b""))
}

/// Signs a request and returns the headers to add (`x-amz-date`, `authorization`, and
/// `x-amz-security-token` when the credentials carry a session token); see [`sign`].
pub(crate) fn signing_headers(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    settings: &SigningSettings,
) -> Result<Vec<(String, String)>, BoxError> {
    Ok(sign_with(request, credentials, region, service, time, settings)?.into_headers())
}

/// The request's headers as (lower-case name, value with spaces trimmed) in request order,
/// with `host` (from the URI's authority, without a default port) when the request has none.
fn canonical_header_list(
    request: &HttpRequest,
    uri: &http::Uri,
) -> Result<Vec<(String, String)>, SigningError> {
    let mut headers: Vec<(String, String)> = Vec::with_capacity(request.headers.len() + 4);
    for (name, value) in &request.headers {
        let name = name.to_lowercase();
        let name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| SigningError::new(format!("invalid header name {name:?}")))?;
        let value = trim_spaces(value);
        check_header_value(name.as_str(), &value)?;
        headers.push((name.as_str().to_owned(), value.into_owned()));
    }
    if !headers.iter().any(|(name, _)| name == "host") {
        let authority = uri.authority().ok_or_else(|| {
            SigningError::new("the request has no host header and its URI no host")
        })?;
        let default_port = matches!(
            (
                uri.scheme_str(),
                authority.port().as_ref().map(|p| p.as_str())
            ),
            (Some("http"), Some("80")) | (Some("https"), Some("443"))
        );
        let host = if default_port {
            authority.host()
        } else {
            authority.as_str()
        };
        check_header_value("host", host)?;
        headers.push(("host".to_owned(), host.to_owned()));
    }
    Ok(headers)
}

/// Appends the canonical path: normalised and encoded again as `settings` say.
fn push_canonical_path(out: &mut String, path: &str, settings: &SigningSettings) {
    let path = if settings.normalize_path {
        normalize_path(path)
    } else if path.is_empty() {
        Cow::Borrowed("/")
    } else {
        Cow::Borrowed(path)
    };
    if settings.double_encode_path {
        push_encoded(out, &path, true);
    } else {
        out.push_str(&path);
    }
}

/// Appends one `name:value` line per signed header name (sorted), repeated names joined
/// with `,` in request order.
fn push_canonical_headers(out: &mut String, names: &[&str], headers: &[(String, String)]) {
    for name in names {
        out.push_str(name);
        out.push(':');
        let mut first = true;
        for (_, value) in headers.iter().filter(|(n, _)| n == name) {
            if !first {
                out.push(',');
            }
            out.push_str(value);
            first = false;
        }
        out.push('\n');
    }
}

/// The signature of `string_to_sign` with the key derived for `date`, `region` and `service`.
fn signature(
    credentials: &Credentials,
    date: &str,
    region: &str,
    service: &str,
    string_to_sign: &str,
) -> String {
    let mut key = hmac_sha256(
        format!("AWS4{}", credentials.secret_access_key()).as_bytes(),
        date.as_bytes(),
    );
    for part in [region, service, "aws4_request"] {
        key = hmac_sha256(&key, part.as_bytes());
    }
    hex(&hmac_sha256(&key, string_to_sign.as_bytes()))
}

/// A header value HTTP allows (`http::HeaderValue`'s rule: no control characters but tab).
fn check_header_value(name: &str, value: &str) -> Result<(), SigningError> {
    http::HeaderValue::from_str(value)
        .map(drop)
        .map_err(|_| SigningError::new(format!("invalid value for header {name:?}")))
}

/// Drops leading and trailing spaces and collapses runs of spaces (spaces only: tabs and
/// other whitespace are kept, as the SigV4 reference implementations do).
fn trim_spaces(value: &str) -> Cow<'_, str> {
    let value = value.trim_matches(' ');
    if !value.contains("  ") {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut previous_space = false;
    for c in value.chars() {
        if c == ' ' && previous_space {
            continue;
        }
        previous_space = c == ' ';
        out.push(c);
    }
    Cow::Owned(out)
}

/// RFC 3986 dot-segment removal plus merging of empty segments, as SigV4 requires for
/// every service but S3: `""` → `/`, `/a/./b/../c//d` → `/a/c/d`; a trailing slash stays.
fn normalize_path(path: &str) -> Cow<'_, str> {
    if path.is_empty() {
        return Cow::Borrowed("/");
    }
    let path = if path.starts_with('/') {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("/{path}"))
    };
    if !path.contains('.') && !path.contains("//") {
        return path;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let mut out = String::with_capacity(path.len());
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    let trailing_slash = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|end| path.ends_with(end));
    if out.is_empty() || (trailing_slash && !out.ends_with('/')) {
        out.push('/');
    }
    Cow::Owned(out)
}

/// Appends `text` percent-encoded: every byte but the RFC 3986 unreserved characters (and
/// `/` when `keep_slash`) becomes `%XX` with upper-case hex. A path that already holds
/// `%XX` escapes is thereby encoded a second time, as SigV4 requires outside S3.
fn push_encoded(out: &mut String, text: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// The canonical query string: `application/x-www-form-urlencoded` pairs decoded (`+` is a
/// space, `%XX` a byte, invalid UTF-8 replaced), re-encoded with [`push_encoded`], sorted by
/// name then value, joined with `&`; a name without `=` gets an empty value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let mut encoded_name = String::with_capacity(name.len());
            push_encoded(&mut encoded_name, &form_decode(name), false);
            let mut encoded_value = String::with_capacity(value.len());
            push_encoded(&mut encoded_value, &form_decode(value), false);
            (encoded_name, encoded_value)
        })
        .collect();
    pairs.sort_unstable();
    let mut out = String::with_capacity(query.len() + 8);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Decodes one form-urlencoded name or value: `+` → space, `%XX` → byte (a `%` not
/// followed by two hex digits stays), then UTF-8 with invalid sequences replaced.
fn form_decode(text: &str) -> String {
    fn hex_value(byte: u8) -> Option<u8> {
        match byte {
            b'0'..=b'9' => Some(byte - b'0'),
            b'a'..=b'f' => Some(byte - b'a' + 10),
            b'A'..=b'F' => Some(byte - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = match (byte, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&high), Some(&low)) => hex_value(high).zip(hex_value(low)),
            _ => None,
        };
        match (byte, escaped) {
            (_, Some((high, low))) => {
                out.push(high << 4 | low);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (byte, None) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `(YYYYMMDD, YYYYMMDDTHHMMSSZ)` in UTC.
pub(crate) fn format_time(time: SystemTime) -> Result<(String, String), SigningError> {
    let out_of_range = || SigningError::new("signing time outside the years 1970 to 9999");
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| out_of_range())?
        .as_secs();
    let days = i64::try_from(seconds / 86_400).map_err(|_| out_of_range())?;
    let (year, month, day) = civil_from_days(days);
    if year > 9999 {
        return Err(out_of_range());
    }
    let second_of_day = seconds % 86_400;
    let date = format!("{year:04}{month:02}{day:02}");
    let date_time = format!(
        "{date}T{:02}{:02}{:02}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    );
    Ok((date, date_time))
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // In range by construction: month 1..=12, day 1..=31.
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn time_formatting() {
        let formatted = |s| format_time(at(s)).expect("in range");
        assert_eq!(
            formatted(0),
            ("19700101".to_owned(), "19700101T000000Z".to_owned())
        );
        assert_eq!(formatted(1_440_938_160).1, "20150830T123600Z");
        assert_eq!(formatted(1_709_251_199).1, "20240229T235959Z");
        assert_eq!(formatted(253_402_300_799).1, "99991231T235959Z");
        assert!(format_time(at(253_402_300_800)).is_err());
        assert!(format_time(at(u64::MAX / 4)).is_err());
        assert!(format_time(UNIX_EPOCH - Duration::from_secs(1)).is_err());
        // The fraction of a second is dropped.
        assert_eq!(
            format_time(at(59) + Duration::from_millis(999))
                .expect("in range")
                .1,
            "19700101T000059Z"
        );
    }

    #[test]
    fn path_normalization() {
        for (path, expected) in [
            ("", "/"),
            ("/", "/"),
            ("foo", "/foo"),
            ("/foo/bar/", "/foo/bar/"),
            ("./", "/"),
            ("../", "/"),
            ("/a/./b/../c//d", "/a/c/d"),
            ("/a/b/..", "/a/"),
            ("/a/b/.", "/a/b/"),
            ("/..", "/"),
            ("//", "/"),
            ("/a.b/c", "/a.b/c"),
        ] {
            assert_eq!(normalize_path(path), expected, "{path:?}");
        }
    }

    #[test]
    fn query_canonicalisation() {
        for (query, expected) in [
            ("", ""),
            ("&&", ""),
            ("b=2&a=1", "a=1&b=2"),
            ("a=2&a=1", "a=1&a=2"),
            ("Param1", "Param1="),
            ("a+b=c%20d", "a%20b=c%20d"),
            ("x=%2B%zz%4", "x=%2B%25zz%254"),
            ("k=~-_.!*", "k=~-_.%21%2A"),
            ("u=%E1%88%B4&bad=%FF", "bad=%EF%BF%BD&u=%E1%88%B4"),
        ] {
            assert_eq!(canonical_query(query), expected, "{query:?}");
        }
    }

    #[test]
    fn space_trimming_keeps_other_whitespace() {
        assert_eq!(trim_spaces("  a   b  "), "a b");
        assert_eq!(trim_spaces("\ta  b\t"), "\ta b\t");
        assert_eq!(trim_spaces("plain"), "plain");
    }
}
