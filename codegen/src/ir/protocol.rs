//! The wire protocols a model lists, typed.

/// One of botocore's wire protocols, as a model's `metadata.protocols` (or `protocol`) names
/// it. `json` becomes [`Protocol::AwsJson1_0`] or [`Protocol::AwsJson1_1`] by the model's
/// `jsonVersion` (1.0 when absent, as the generated `ServiceMeta` has it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// `json` with `jsonVersion` 1.0.
    AwsJson1_0,
    /// `json` with `jsonVersion` 1.1.
    AwsJson1_1,
    /// `smithy-rpc-v2-cbor`.
    RpcV2Cbor,
    /// `rest-json`.
    RestJson,
    /// `rest-xml`.
    RestXml,
    /// `query`.
    Query,
    /// `ec2`.
    Ec2,
    /// A name botocore does not know. Kept, not refused: types and a client are still
    /// generated (`codegen/tests/hostile/unknown_protocol.json`), and every call fails before
    /// sending, as for any protocol the runtime does not speak.
    Other(String),
}

impl Protocol {
    /// The protocol a model names, given the model's `jsonVersion` (`None`: 1.0).
    pub fn from_model(name: &str, json_version: Option<&str>) -> Protocol {
        match name {
            "json" if json_version.unwrap_or("1.0") == "1.0" => Protocol::AwsJson1_0,
            "json" => Protocol::AwsJson1_1,
            "smithy-rpc-v2-cbor" => Protocol::RpcV2Cbor,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            other => Protocol::Other(other.to_string()),
        }
    }

    /// The name in the model (`json` for both awsJson versions).
    pub fn wire_name(&self) -> &str {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => "json",
            Protocol::RpcV2Cbor => "smithy-rpc-v2-cbor",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
            Protocol::Other(name) => name,
        }
    }

    /// Whether this is awsJson (either version).
    pub fn is_aws_json(&self) -> bool {
        matches!(self, Protocol::AwsJson1_0 | Protocol::AwsJson1_1)
    }

    /// Rank in botocore's `PRIORITY_ORDERED_SUPPORTED_PROTOCOLS` (`botocore/utils.py`,
    /// 1.44.8): json, rest-json, rest-xml, smithy-rpc-v2-cbor, query, ec2; unknown names last.
    pub fn priority(&self) -> usize {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => 0,
            Protocol::RestJson => 1,
            Protocol::RestXml => 2,
            Protocol::RpcV2Cbor => 3,
            Protocol::Query => 4,
            Protocol::Ec2 => 5,
            Protocol::Other(_) => 6,
        }
    }
}

/// The protocols of a model: `protocols` when it lists any, else `protocol`, in the model's
/// order, without repeats.
pub fn model_protocols(
    protocol: &str,
    protocols: &[String],
    json_version: Option<&str>,
) -> Vec<Protocol> {
    let names: Vec<&str> = if protocols.is_empty() {
        vec![protocol]
    } else {
        protocols.iter().map(String::as_str).collect()
    };
    let mut out: Vec<Protocol> = Vec::new();
    for name in names {
        let p = Protocol::from_model(name, json_version);
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The same protocols in botocore's order of preference (a stable sort: unknown names keep
/// the model's order among themselves).
pub fn by_priority(model_order: &[Protocol]) -> Vec<Protocol> {
    let mut out = model_order.to_vec();
    out.sort_by_key(Protocol::priority);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_version_decides_aws_json() {
        assert_eq!(
            Protocol::from_model("json", Some("1.1")),
            Protocol::AwsJson1_1
        );
        assert_eq!(
            Protocol::from_model("json", Some("1.0")),
            Protocol::AwsJson1_0
        );
        assert_eq!(Protocol::from_model("json", None), Protocol::AwsJson1_0);
        assert_eq!(Protocol::AwsJson1_1.wire_name(), "json");
    }

    #[test]
    fn every_known_name_round_trips() {
        for name in [
            "smithy-rpc-v2-cbor",
            "rest-json",
            "rest-xml",
            "query",
            "ec2",
            "json",
        ] {
            let p = Protocol::from_model(name, Some("1.1"));
            assert!(!matches!(p, Protocol::Other(_)), "{name}");
            assert_eq!(p.wire_name(), name);
        }
        assert_eq!(
            Protocol::from_model("smoke-signals", None),
            Protocol::Other("smoke-signals".into())
        );
    }

    #[test]
    fn botocore_priority_order() {
        // Direct Connect lists CBOR first; botocore prefers json.
        let listed = model_protocols(
            "smithy-rpc-v2-cbor",
            &["smithy-rpc-v2-cbor".into(), "json".into()],
            Some("1.1"),
        );
        assert_eq!(listed, [Protocol::RpcV2Cbor, Protocol::AwsJson1_1]);
        assert_eq!(
            by_priority(&listed),
            [Protocol::AwsJson1_1, Protocol::RpcV2Cbor]
        );
        let all = model_protocols(
            "ec2",
            &[
                "smoke".into(),
                "ec2".into(),
                "query".into(),
                "smithy-rpc-v2-cbor".into(),
                "rest-xml".into(),
                "rest-json".into(),
                "json".into(),
                "query".into(),
            ],
            None,
        );
        assert_eq!(
            by_priority(&all),
            [
                Protocol::AwsJson1_0,
                Protocol::RestJson,
                Protocol::RestXml,
                Protocol::RpcV2Cbor,
                Protocol::Query,
                Protocol::Ec2,
                Protocol::Other("smoke".into()),
            ]
        );
    }

    #[test]
    fn protocol_is_used_when_protocols_is_empty() {
        assert_eq!(model_protocols("rest-xml", &[], None), [Protocol::RestXml]);
    }
}
