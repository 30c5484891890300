//! Stand-in for [`cbor`](crate) when the `rpc-v2-cbor` feature is off: the call paths that
//! dispatch on the protocol compile unchanged, and CBOR is refused.
//!
//! [`protocol::resolve`](crate::protocol::resolve) already refuses a call whose protocol
//! would be CBOR (with [`UnsupportedProtocol::FeatureDisabled`]), before anything is built
//! or sent, so these functions are reached only through [`ErrorBody`] values built by hand.
//!
//! [`UnsupportedProtocol::FeatureDisabled`]: crate::protocol::UnsupportedProtocol::FeatureDisabled
//! [`ErrorBody`]: crate::protocol::ErrorBody

use crate::error::{AWS_REQUEST_ID, ErrorMetadata, RequestId};
use crate::http::{BoxError, HttpResponse};
use crate::protocol::{Protocol, UnsupportedProtocol};

fn disabled() -> BoxError {
    Box::new(UnsupportedProtocol::FeatureDisabled {
        protocol: Protocol::RpcV2Cbor,
        feature: "rpc-v2-cbor",
    })
}

/// Refuses: CBOR needs the `rpc-v2-cbor` feature.
pub(crate) fn to_vec<T: serde::Serialize + ?Sized>(_value: &T) -> Result<Vec<u8>, BoxError> {
    Err(disabled())
}

/// Refuses: CBOR needs the `rpc-v2-cbor` feature.
pub(crate) fn from_body<T: serde::de::DeserializeOwned>(_body: &[u8]) -> Result<T, BoxError> {
    Err(disabled())
}

/// What can be read without decoding CBOR: the `x-amzn-errortype` header and the request id.
pub(crate) fn parse_error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let mut builder = ErrorMetadata::builder();
    if let Some(code) = response
        .header("x-amzn-errortype")
        .map(crate::json::sanitize_error_code)
        .filter(|c| !c.is_empty())
    {
        builder = builder.code(code);
    }
    if let Some(id) = response.request_id() {
        builder = builder.custom(AWS_REQUEST_ID, id);
    }
    builder.build()
}
