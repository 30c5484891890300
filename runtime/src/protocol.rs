//! The wire protocols a service can speak, and how a call picks one.

use crate::config::Config;
use crate::service::ServiceMeta;

/// A wire protocol of a service, as listed in its model's `metadata.protocols`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// awsJson 1.0 (`application/x-amz-json-1.0`).
    AwsJson1_0,
    /// awsJson 1.1 (`application/x-amz-json-1.1`).
    AwsJson1_1,
    /// Smithy RPC v2 CBOR (`application/cbor`).
    RpcV2Cbor,
}

impl Protocol {
    /// The name botocore models use for this protocol.
    pub fn model_name(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => "json",
            Protocol::RpcV2Cbor => "smithy-rpc-v2-cbor",
        }
    }

    /// Whether this is one of the awsJson protocols.
    pub fn is_json(self) -> bool {
        matches!(self, Protocol::AwsJson1_0 | Protocol::AwsJson1_1)
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Protocol::AwsJson1_0 => "awsJson1.0",
            Protocol::AwsJson1_1 => "awsJson1.1",
            Protocol::RpcV2Cbor => "rpcv2Cbor",
        })
    }
}

/// The configured protocol is not one the service speaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("protocol {requested} is not supported by {service}, which speaks {supported}")]
pub struct UnsupportedProtocol {
    /// What the config asked for.
    pub requested: Protocol,
    /// The service id.
    pub service: &'static str,
    /// What the service lists.
    pub supported: String,
}

/// The protocol a call uses: the config's choice when the service speaks it; otherwise
/// awsJson when the service lists it (botocore's preference, and what the official Rust
/// crate, moto and LocalStack speak), else the service's first protocol.
pub fn resolve(config: &Config, service: &ServiceMeta) -> Result<Protocol, UnsupportedProtocol> {
    if let Some(requested) = config.protocol() {
        if service.protocols.contains(&requested) {
            return Ok(requested);
        }
        return Err(UnsupportedProtocol {
            requested,
            service: service.service_id,
            supported: service
                .protocols
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(service
        .protocols
        .iter()
        .copied()
        .find(|p| p.is_json())
        .or_else(|| service.protocols.first().copied())
        .unwrap_or(Protocol::AwsJson1_1))
}

/// The body of an error response, in the protocol it was sent in: generated error types read
/// their modelled members from it.
#[derive(Debug, Clone, Copy)]
pub struct ErrorBody<'a> {
    /// The protocol of the response.
    pub protocol: Protocol,
    /// The raw body.
    pub bytes: &'a [u8],
}

impl ErrorBody<'_> {
    /// Deserializes the modelled members (an empty body reads as an empty object); `None`
    /// when the body does not match.
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        match self.protocol {
            Protocol::RpcV2Cbor => crate::cbor::from_body(self.bytes).ok(),
            _ => crate::json::from_body(self.bytes).ok(),
        }
    }
}
