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
    /// Smithy RPC v2 CBOR (`application/cbor`). Needs the runtime's `rpc-v2-cbor` Cargo
    /// feature (forwarded by generated crates whose model lists it); without it a call that
    /// would use CBOR fails before sending with [`UnsupportedProtocol::FeatureDisabled`].
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

/// No protocol the runtime speaks fits the call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnsupportedProtocol {
    /// The configured protocol is not one the service speaks.
    #[error("protocol {requested} is not supported by {service}, which speaks {supported}")]
    NotSpoken {
        /// What the config asked for.
        requested: Protocol,
        /// The service id.
        service: &'static str,
        /// What the service lists.
        supported: String,
    },
    /// The protocol the call would use is implemented behind a Cargo feature that is off.
    #[error(
        "protocol {protocol} needs the `{feature}` Cargo feature, which is off: enable the \
         `{feature}` feature of the service crate (or of aws-lite-runtime), or leave the \
         protocol unset to use awsJson; no request was sent"
    )]
    FeatureDisabled {
        /// The protocol the call would use.
        protocol: Protocol,
        /// The Cargo feature that implements it.
        feature: &'static str,
    },
    /// The model lists only protocols this runtime does not implement (rest-json, rest-xml,
    /// query, ec2): the crate's types are usable, its calls are not.
    #[error(
        "protocol {} not supported yet: the {service} model lists {}, and this runtime speaks \
         awsJson 1.0, awsJson 1.1 and Smithy RPC v2 CBOR; no request was sent",
        model_protocols.first().map_or("(none)", |p| p.as_str()),
        if model_protocols.is_empty() { "no protocol".to_string() } else { model_protocols.join(", ") }
    )]
    NotSupportedYet {
        /// The service id.
        service: &'static str,
        /// The protocols the model lists (botocore names).
        model_protocols: Vec<String>,
    },
}

/// The protocol a call uses: the config's choice when the service speaks it; otherwise
/// awsJson when the service lists it (botocore's preference, and what the official Rust
/// crate, moto and LocalStack speak), else the service's first protocol. A service whose
/// model lists no protocol the runtime speaks is an error naming the model's protocols, and
/// CBOR without the `rpc-v2-cbor` feature an error naming the feature.
pub fn resolve(config: &Config, service: &ServiceMeta) -> Result<Protocol, UnsupportedProtocol> {
    let protocol = resolve_any(config, service)?;
    if protocol == Protocol::RpcV2Cbor && !cfg!(feature = "rpc-v2-cbor") {
        return Err(UnsupportedProtocol::FeatureDisabled {
            protocol,
            feature: "rpc-v2-cbor",
        });
    }
    Ok(protocol)
}

/// [`resolve`] whatever the enabled features.
fn resolve_any(config: &Config, service: &ServiceMeta) -> Result<Protocol, UnsupportedProtocol> {
    if service.protocols.is_empty() {
        return Err(UnsupportedProtocol::NotSupportedYet {
            service: service.service_id,
            model_protocols: service
                .model_protocols
                .iter()
                .map(|p| p.to_string())
                .collect(),
        });
    }
    if let Some(requested) = config.protocol() {
        if service.protocols.contains(&requested) {
            return Ok(requested);
        }
        return Err(UnsupportedProtocol::NotSpoken {
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

#[cfg(test)]
mod tests {
    use super::*;

    static REST_ONLY: ServiceMeta = ServiceMeta {
        service_id: "Lambda",
        signing_name: "lambda",
        endpoint_prefix: "lambda",
        target_prefix: "",
        json_version: "1.0",
        api_version: "2015-03-31",
        protocols: &[],
        model_protocols: &["rest-json"],
        endpoint_rule_set: None,
    };

    #[test]
    fn unsupported_model_protocols_are_named() {
        let err = resolve(&Config::builder().build(), &REST_ONLY).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("protocol rest-json not supported yet"),
            "{msg}"
        );
        assert!(msg.contains("the Lambda model lists rest-json"), "{msg}");
        let err = resolve(
            &Config::builder().protocol(Protocol::RpcV2Cbor).build(),
            &REST_ONLY,
        )
        .unwrap_err();
        assert!(matches!(err, UnsupportedProtocol::NotSupportedYet { .. }));
    }

    #[test]
    fn cbor_needs_its_feature() {
        static BOTH: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::RpcV2Cbor, Protocol::AwsJson1_1],
            model_protocols: &["smithy-rpc-v2-cbor", "json"],
            ..REST_ONLY
        };
        static CBOR_ONLY: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::RpcV2Cbor],
            model_protocols: &["smithy-rpc-v2-cbor"],
            ..REST_ONLY
        };
        let cbor = Config::builder().protocol(Protocol::RpcV2Cbor).build();
        // Unset: awsJson when the service lists it, with or without the feature.
        assert_eq!(
            resolve(&Config::builder().build(), &BOTH),
            Ok(Protocol::AwsJson1_1)
        );
        let asked = resolve(&cbor, &BOTH);
        let only = resolve(&Config::builder().build(), &CBOR_ONLY);
        if cfg!(feature = "rpc-v2-cbor") {
            assert_eq!(asked, Ok(Protocol::RpcV2Cbor));
            assert_eq!(only, Ok(Protocol::RpcV2Cbor));
        } else {
            for result in [asked, only] {
                let err = result.unwrap_err();
                assert_eq!(
                    err,
                    UnsupportedProtocol::FeatureDisabled {
                        protocol: Protocol::RpcV2Cbor,
                        feature: "rpc-v2-cbor"
                    }
                );
                let msg = err.to_string();
                assert!(
                    msg.starts_with("protocol rpcv2Cbor needs the `rpc-v2-cbor` Cargo feature"),
                    "{msg}"
                );
                assert!(msg.ends_with("no request was sent"), "{msg}");
            }
        }
    }

    #[test]
    fn configured_protocol_must_be_spoken() {
        static JSON: ServiceMeta = ServiceMeta {
            protocols: &[Protocol::AwsJson1_1],
            model_protocols: &["json"],
            ..REST_ONLY
        };
        assert_eq!(
            resolve(&Config::builder().build(), &JSON),
            Ok(Protocol::AwsJson1_1)
        );
        let err = resolve(
            &Config::builder().protocol(Protocol::RpcV2Cbor).build(),
            &JSON,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "protocol rpcv2Cbor is not supported by Lambda, which speaks awsJson1.1"
        );
    }
}
