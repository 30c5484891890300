//! Serde structures that mirror the botocore JSON service model. No logic lives here.

use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole `service-2.json` file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// Service-level metadata.
    pub metadata: Metadata,
    /// Operations by name.
    #[serde(default)]
    pub operations: BTreeMap<String, Operation>,
    /// Shapes by name.
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
    /// Service documentation (HTML).
    #[serde(default)]
    pub documentation: Option<String>,
    /// Paginators by operation, from the `paginators-1.json` beside the model (filled in by
    /// [`load_model`](crate::load_model), not part of `service-2.json`).
    #[serde(skip)]
    pub paginators: BTreeMap<String, Paginator>,
    /// Waiters by name, from the `waiters-2.json` beside the model (filled in by
    /// [`load_model`](crate::load_model), not part of `service-2.json`).
    #[serde(skip)]
    pub waiters: BTreeMap<String, Waiter>,
    /// The `endpoint-rule-set-1.json` beside the model, as text (filled in by
    /// [`load_model`](crate::load_model)).
    #[serde(skip)]
    pub endpoint_rule_set: Option<String>,
}

/// The `paginators-1.json` file.
#[derive(Debug, Deserialize)]
pub struct PaginatorsFile {
    /// Paginators by operation name.
    #[serde(default)]
    pub pagination: BTreeMap<String, Paginator>,
}

/// One operation's paginator. Tokens and result keys may be one name or several; only the
/// single-name form is used for generated paginators.
#[derive(Debug, Deserialize, Clone)]
pub struct Paginator {
    /// Input member carrying the page token.
    pub input_token: serde_json::Value,
    /// Output member carrying the next page's token.
    pub output_token: serde_json::Value,
    /// Input member limiting the page size.
    #[serde(default)]
    pub limit_key: Option<String>,
    /// Output member(s) holding the items.
    #[serde(default)]
    pub result_key: Option<serde_json::Value>,
    /// Output boolean member saying whether more pages follow.
    #[serde(default)]
    pub more_results: Option<serde_json::Value>,
}

/// The `waiters-2.json` file.
#[derive(Debug, Deserialize)]
pub struct WaitersFile {
    /// Format version (2).
    #[serde(default)]
    pub version: Option<u32>,
    /// Waiters by name.
    #[serde(default)]
    pub waiters: BTreeMap<String, Waiter>,
}

/// One waiter: poll an operation until an acceptor matches.
#[derive(Debug, Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Waiter {
    /// The operation polled.
    pub operation: String,
    /// Seconds between polls (the least delay).
    pub delay: u64,
    /// botocore's bound on polls; the official SDK bounds the total wait instead.
    #[serde(default)]
    pub max_attempts: Option<u64>,
    /// Description, when the model gives one.
    #[serde(default)]
    pub description: Option<String>,
    /// Acceptors, first match wins.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor of a waiter.
#[derive(Debug, Deserialize, Clone)]
pub struct Acceptor {
    /// `success`, `failure` or `retry`.
    pub state: String,
    /// `path`, `pathAll`, `pathAny`, `status` or `error`.
    pub matcher: String,
    /// The JMESPath expression of path matchers.
    #[serde(default)]
    pub argument: Option<String>,
    /// The value compared with.
    pub expected: serde_json::Value,
}

/// The `metadata` object.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// API version, e.g. `2012-10-25`.
    pub api_version: String,
    /// Host prefix of the default endpoint.
    pub endpoint_prefix: String,
    /// JSON protocol version (`1.0` or `1.1`).
    #[serde(default)]
    pub json_version: Option<String>,
    /// The preferred protocol.
    pub protocol: String,
    /// Every protocol the service speaks, in the service's order of preference.
    #[serde(default)]
    pub protocols: Vec<String>,
    /// Full service name.
    #[serde(default)]
    pub service_full_name: Option<String>,
    /// Short service id, e.g. `Direct Connect`.
    #[serde(default)]
    pub service_id: Option<String>,
    /// SigV4 signing name when it differs from the endpoint prefix.
    #[serde(default)]
    pub signing_name: Option<String>,
    /// `awsQueryCompatible` (an empty object when present): a service that moved from the
    /// query protocol, whose errors keep their query codes.
    #[serde(default)]
    pub aws_query_compatible: Option<serde_json::Value>,
    /// `v4`; `s3` (S3) and `s3v4` (S3 Control) for S3's signing rules (botocore's
    /// `signatureVersion`).
    #[serde(default)]
    pub signature_version: Option<String>,
    /// Prefix of `X-Amz-Target` for JSON protocols.
    #[serde(default)]
    pub target_prefix: Option<String>,
    /// Unique id, e.g. `directconnect-2012-10-25`.
    #[serde(default)]
    pub uid: Option<String>,
}

/// One operation.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Operation name.
    pub name: String,
    /// HTTP binding.
    #[serde(default)]
    pub http: Option<Http>,
    /// Input shape.
    #[serde(default)]
    pub input: Option<ShapeRef>,
    /// Output shape.
    #[serde(default)]
    pub output: Option<ShapeRef>,
    /// Modelled errors.
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    /// Documentation (HTML).
    #[serde(default)]
    pub documentation: Option<String>,
    /// Whether the operation is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Deprecation message.
    #[serde(default)]
    pub deprecated_message: Option<String>,
    /// The endpoint trait: a host prefix for the operation's requests.
    #[serde(default)]
    pub endpoint: Option<OperationEndpoint>,
    /// The `httpChecksum` trait: request and response checksums.
    #[serde(default)]
    pub http_checksum: Option<HttpChecksum>,
    /// The older form of `httpChecksum.requestChecksumRequired`.
    #[serde(default)]
    pub http_checksum_required: bool,
    /// Endpoint rule parameters the operation always sets.
    #[serde(default)]
    pub static_context_params: BTreeMap<String, StaticContextParam>,
    /// The older form of `auth`: `none` for operations called without credentials.
    #[serde(default)]
    pub authtype: Option<String>,
    /// The auth schemes the operation accepts, in order (`smithy.api#noAuth`: none).
    #[serde(default)]
    pub auth: Vec<String>,
}

/// A member's `contextParam`.
#[derive(Debug, Deserialize)]
pub struct ContextParam {
    /// The endpoint rule parameter.
    pub name: String,
}

/// One of an operation's `staticContextParams`.
#[derive(Debug, Deserialize)]
pub struct StaticContextParam {
    /// Its value: a boolean or a string.
    pub value: serde_json::Value,
}

/// The `httpChecksum` trait of an operation.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    /// A checksum must be sent with the request.
    #[serde(default)]
    pub request_checksum_required: bool,
    /// The input member that chooses the algorithm.
    #[serde(default)]
    pub request_algorithm_member: Option<String>,
}

/// The endpoint trait of an operation.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationEndpoint {
    /// Prepended to the endpoint's host, e.g. `data.` or `{AccountId}.`: each `{Member}` is
    /// an input member (marked `hostLabel`) whose value is put there.
    pub host_prefix: String,
}

/// HTTP binding of an operation.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    /// HTTP method.
    pub method: String,
    /// Request URI template.
    pub request_uri: String,
    /// Status code of a successful response.
    #[serde(default)]
    pub response_code: Option<u16>,
}

/// An XML namespace (`xmlNamespace`) of a shape, member or operation input: an object with
/// `uri` and an optional `prefix`, or (as some of botocore's protocol test models write it)
/// the URI alone.
#[derive(Debug, Deserialize, Clone, PartialEq, Eq)]
#[serde(from = "XmlNamespaceForm")]
pub struct XmlNamespace {
    /// The namespace URI.
    pub uri: String,
    /// Its prefix (`xmlns:prefix`), when not the default namespace.
    pub prefix: Option<String>,
}

/// The two forms of `xmlNamespace` in models.
#[derive(Deserialize)]
#[serde(untagged)]
enum XmlNamespaceForm {
    Uri(String),
    Full {
        uri: String,
        #[serde(default)]
        prefix: Option<String>,
    },
}

impl From<XmlNamespaceForm> for XmlNamespace {
    fn from(form: XmlNamespaceForm) -> Self {
        match form {
            XmlNamespaceForm::Uri(uri) => XmlNamespace { uri, prefix: None },
            XmlNamespaceForm::Full { uri, prefix } => XmlNamespace { uri, prefix },
        }
    }
}

/// The `error` trait of an exception shape.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    /// The error code on the wire when it differs from the shape name (query protocols).
    #[serde(default)]
    pub code: Option<String>,
    /// The HTTP status of the error response.
    #[serde(default)]
    pub http_status_code: Option<u16>,
    /// Whether the caller is at fault (4xx-like) rather than the service.
    #[serde(default)]
    pub sender_fault: bool,
}

/// A reference to a shape, as used by members and operations.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    /// Target shape name.
    pub shape: String,
    /// Documentation (HTML) of the member.
    #[serde(default)]
    pub documentation: Option<String>,
    /// Wire name override.
    #[serde(default)]
    pub location_name: Option<String>,
    /// Whether the member is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Deprecation message.
    #[serde(default)]
    pub deprecated_message: Option<String>,
    /// Whether the member is an idempotency token.
    #[serde(default)]
    pub idempotency_token: bool,
    /// HTTP binding: `uri`, `querystring`, `header`, `headers` or `statusCode`; the body when
    /// absent.
    #[serde(default)]
    pub location: Option<String>,
    /// ec2 query key override.
    #[serde(default)]
    pub query_name: Option<String>,
    /// A streaming body (blob or string payload).
    #[serde(default)]
    pub streaming: bool,
    /// Filled into a `{Label}` of the operation's host prefix.
    #[serde(default)]
    pub host_label: bool,
    /// `contextParam`: the endpoint rule parameter this member sets.
    #[serde(default)]
    pub context_param: Option<ContextParam>,
    /// Timestamp format override for this member.
    #[serde(default)]
    pub timestamp_format: Option<String>,
    /// A string carrying JSON (base64-encoded in headers).
    #[serde(default)]
    pub jsonvalue: bool,
    /// XML namespace of the member's element.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    /// Serialised as an XML attribute instead of an element.
    #[serde(default)]
    pub xml_attribute: bool,
    /// A list or map without a wrapping element.
    #[serde(default)]
    pub flattened: bool,
    /// The element wrapping an operation's output (query protocols), on `output` refs.
    #[serde(default)]
    pub result_wrapper: Option<String>,
    /// A member of an event read from an event stream message's headers.
    #[serde(default)]
    pub eventheader: bool,
    /// The member of an event that is the event stream message's whole payload.
    #[serde(default)]
    pub eventpayload: bool,
}

/// One shape.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    /// The shape type (`structure`, `string`, `list`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Members of a structure, in model order.
    #[serde(default)]
    pub members: IndexMap<String, ShapeRef>,
    /// Required member names of a structure.
    #[serde(default)]
    pub required: Vec<String>,
    /// Element of a list.
    #[serde(default)]
    pub member: Option<ShapeRef>,
    /// Key of a map.
    #[serde(default)]
    pub key: Option<ShapeRef>,
    /// Value of a map.
    #[serde(default)]
    pub value: Option<ShapeRef>,
    /// Enum values of a string.
    #[serde(default, rename = "enum")]
    pub enum_values: Vec<String>,
    /// Whether the structure is an exception.
    #[serde(default)]
    pub exception: bool,
    /// Values of this shape are secret (keys, tokens, passwords): never printed.
    #[serde(default)]
    pub sensitive: bool,
    /// Whether the structure is a tagged union.
    #[serde(default)]
    pub union: bool,
    /// Whether the structure is an event stream (a union of events sent over a binary stream).
    #[serde(default)]
    pub eventstream: bool,
    /// Whether the structure is a document type.
    #[serde(default)]
    pub document: bool,
    /// Documentation (HTML).
    #[serde(default)]
    pub documentation: Option<String>,
    /// Whether the shape is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Timestamp format override.
    #[serde(default)]
    pub timestamp_format: Option<String>,
    /// Minimum length (strings, blobs, lists, maps) or value (numbers).
    #[serde(default)]
    pub min: Option<serde_json::Number>,
    /// The member that is the whole HTTP body (rest protocols), by wire name.
    #[serde(default)]
    pub payload: Option<String>,
    /// A streaming blob or string.
    #[serde(default)]
    pub streaming: bool,
    /// A list or map without a wrapping element.
    #[serde(default)]
    pub flattened: bool,
    /// XML element name of the shape.
    #[serde(default)]
    pub location_name: Option<String>,
    /// XML namespace of the shape.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    /// The error trait of an exception.
    #[serde(default)]
    pub error: Option<ErrorTrait>,
}
