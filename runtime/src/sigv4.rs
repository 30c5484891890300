//! SigV4 header signing through `aws-sigv4`.

use crate::config::Credentials;
use crate::http::{BoxError, HttpRequest};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use std::time::SystemTime;

/// Signs a request and returns the headers to add (`x-amz-date`, `authorization`, and
/// `x-amz-security-token` when the credentials carry a session token).
///
/// All of `request.headers` are signed except those aws-sigv4 excludes (`user-agent`,
/// `authorization`, ...). They must contain `host`, or the URI must have an authority.
pub(crate) fn signing_headers(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<Vec<(String, String)>, BoxError> {
    let identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()?
        .into();
    let signable = SignableRequest::new(
        &request.method,
        request.uri.as_str(),
        request
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
        SignableBody::Bytes(&request.body),
    )?;
    let (instructions, _signature) = sign(signable, &params)?.into_parts();
    Ok(instructions
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect())
}
