//! Static descriptions of a service and its operations, emitted by the code generator.

/// What the runtime needs to know about a service (from the botocore model's `metadata`).
///
/// All fields are `&'static str` so generated code can declare it in a `static`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceMeta {
    /// The service id, e.g. `Direct Connect`.
    pub service_id: &'static str,
    /// The SigV4 signing name, e.g. `directconnect`.
    pub signing_name: &'static str,
    /// The endpoint prefix: the default endpoint is `https://{endpoint_prefix}.{region}.amazonaws.com`.
    pub endpoint_prefix: &'static str,
    /// The `X-Amz-Target` prefix, e.g. `OvertureService`.
    pub target_prefix: &'static str,
    /// The awsJson version, `1.0` or `1.1`.
    pub json_version: &'static str,
    /// The API version, e.g. `2012-10-25`.
    pub api_version: &'static str,
    /// The protocols the service speaks, in the model's order.
    pub protocols: &'static [crate::protocol::Protocol],
    /// Every protocol the model lists (botocore names such as `rest-json`), including those
    /// this runtime does not speak: named in the error when `protocols` is empty.
    pub model_protocols: &'static [&'static str],
    /// The service's endpoint rule set (the text of botocore's `endpoint-rule-set-1.json`),
    /// interpreted by [`crate::endpoint`]; parsed once per process on first use. Without
    /// one, requests go to the configured endpoint URL, else
    /// `https://{endpoint_prefix}.{region}.amazonaws.com`.
    pub endpoint_rule_set: Option<&'static str>,
    /// How requests are signed: [`SigningSettings::STANDARD`](crate::sigv4::SigningSettings::STANDARD),
    /// or S3's rules for models with the `s3v4` signature version.
    pub signing: crate::sigv4::SigningSettings,
    /// The model's `awsQueryCompatible`: a service that moved from the query protocol to
    /// awsJson or CBOR. Its requests carry `x-amzn-query-mode: true`, and its errors' query
    /// codes (`x-amzn-query-error`) are the codes users see.
    pub query_compatible: bool,
}

/// One operation of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OperationMeta {
    /// The service the operation belongs to.
    pub service: &'static ServiceMeta,
    /// The operation name as in the model, e.g. `DeleteVirtualInterface`.
    pub name: &'static str,
    /// The output has a streaming payload (S3's `GetObject`): the body of a success response
    /// is handed to the output as a stream, not read into memory first.
    pub streaming_output: bool,
    /// The streaming output is an event stream (S3's `SelectObjectContent`, Logs'
    /// `StartLiveTail`): its body is read without stalled-stream protection or a read timeout
    /// between parts, as the official SDK reads event streams (a quiet stream is not a
    /// stalled one).
    pub event_stream_output: bool,
    /// The checksum the operation sends with its body (`httpChecksum`), if any.
    pub request_checksum: Option<crate::checksum::RequestChecksum>,
    /// The operation's `staticContextParams`: endpoint rule parameters it always sets.
    pub static_endpoint_params: &'static [(&'static str, crate::endpoint::StaticParam)],
    /// Called without credentials and sent unsigned (the model's `authtype: none` or
    /// `smithy.api#noAuth`, as STS's `AssumeRoleWithWebIdentity` and SSO's
    /// `GetRoleCredentials`).
    pub no_auth: bool,
}

/// What the crate's unit tests share.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::ServiceMeta;
    use crate::http::HttpResponse;
    use crate::protocol::Protocol;

    /// Direct Connect as its model describes it (CBOR and awsJson 1.1), without endpoint
    /// rules.
    pub(crate) const DIRECT_CONNECT: ServiceMeta = ServiceMeta {
        service_id: "Direct Connect",
        signing_name: "directconnect",
        endpoint_prefix: "directconnect",
        target_prefix: "OvertureService",
        json_version: "1.1",
        api_version: "2012-10-25",
        protocols: &[Protocol::RpcV2Cbor, Protocol::AwsJson1_1],
        model_protocols: &["smithy-rpc-v2-cbor", "json"],
        endpoint_rule_set: None,
        signing: crate::sigv4::SigningSettings::STANDARD,
        query_compatible: false,
    };

    /// A response with a buffered body.
    pub(crate) fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_vec().into(),
        }
    }
}
