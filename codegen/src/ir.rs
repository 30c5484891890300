//! The resolved intermediate representation: references are checked, recursion is boxed, docs
//! are Markdown, and every Rust name is in one table ([`names`]) beside the IR's wire names.

use crate::docs;
use crate::error::{CodegenError, Result};
use crate::model;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod bindings;
pub mod names;
pub mod nullability;
pub mod overrides;
mod protocol;

pub use bindings::{
    ErrorTrait, HttpBinding, Location, MemberBindings, RequestUri, ShapeBindings, UriSegment,
    WireTimestampFormat, XmlNamespace,
};
pub use protocol::Protocol;

/// The service, ready to emit.
#[derive(Debug)]
pub struct Service {
    /// Service-level facts used on the wire.
    pub meta: ServiceMeta,
    /// Service documentation (Markdown).
    pub docs: String,
    /// Operations, sorted by wire name.
    pub operations: Vec<Operation>,
    /// Every shape reachable from the chosen operations, by wire name.
    pub shapes: BTreeMap<String, Shape>,
    /// The empty input and output structures of operations the model gives none, by their
    /// (synthetic) wire name: see [`Operation::input_shape`]. Kept apart from `shapes`, which
    /// holds only the model's shapes; [`Service::shape`] finds both.
    pub synthetic_shapes: BTreeMap<String, Shape>,
    /// Timestamp shapes with a `timestampFormat` other than epoch seconds, by wire name.
    pub timestamp_formats: BTreeMap<String, TimestampFormat>,
    /// Every Rust name of the crate, collisions resolved (see [`names`]).
    pub names: names::Names,
    /// The waiters of `waiters-2.json` whose operation the crate has, compiled
    /// ([`crate::waiters`]), by name.
    pub waiters: Vec<crate::waiters::Waiter>,
    /// Waiters left out because an acceptor cannot be compiled, with the reason.
    pub skipped_waiters: Vec<crate::waiters::WaiterError>,
}

/// How a timestamp is written in JSON when the model overrides the protocol default (epoch
/// seconds). CBOR always uses epoch seconds under tag 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `iso8601`: an RFC 3339 string.
    Iso8601,
    /// `rfc822`: an HTTP date string.
    HttpDate,
}

/// Service-level metadata.
#[derive(Debug)]
pub struct ServiceMeta {
    /// Service id (`Direct Connect`).
    pub service_id: String,
    /// Full name (`AWS Direct Connect`).
    pub full_name: String,
    /// SigV4 signing name.
    pub signing_name: String,
    /// Endpoint prefix.
    pub endpoint_prefix: String,
    /// `X-Amz-Target` prefix.
    pub target_prefix: String,
    /// JSON protocol version.
    pub json_version: String,
    /// API version.
    pub api_version: String,
    /// Protocols the model declares (`protocols`, else `protocol`), in botocore's order of
    /// preference ([`Protocol::priority`]).
    pub protocols: Vec<Protocol>,
    /// The same protocols in the model's own order (the runtime's default rule reads it:
    /// awsJson when listed, else the first).
    pub model_protocols: Vec<Protocol>,
    /// Model uid.
    pub uid: String,
    /// The endpoint rule set (JSON text), when the model ships one.
    pub endpoint_rule_set: Option<String>,
    /// Signed with S3's rules (`signatureVersion` `s3` or `s3v4`: S3 and S3 Control, which
    /// botocore signs with its `s3v4` signer): path as sent, not normalised, and
    /// `x-amz-content-sha256` on every request.
    pub s3_signing: bool,
    /// `awsQueryCompatible`: requests say `x-amzn-query-mode: true`, and errors are matched
    /// by shape name and by their query `error.code`.
    pub query_compatible: bool,
}

/// One operation.
#[derive(Debug)]
pub struct Operation {
    /// Name on the wire (`DeleteVirtualInterface`); its Rust names are in the name table
    /// ([`names::Names::operation`]).
    pub wire_name: String,
    /// Input structure shape, as the model gives it (`None`: the model has no input, and
    /// the request has no body in CBOR).
    pub input: Option<String>,
    /// Output structure shape, as the model gives it.
    pub output: Option<String>,
    /// The input structure always: the model's, or a synthetic empty one in
    /// [`Service::synthetic_shapes`] (see [`synthetic_name`] for its name).
    pub input_shape: String,
    /// The output structure always: the model's, or a synthetic empty one.
    pub output_shape: String,
    /// The `http` trait: method, parsed request URI (checked against the input's `uri`
    /// members), response code.
    pub http: HttpBinding,
    /// Bindings of the `input` reference (`locationName`, `xmlNamespace` of rest-xml bodies).
    pub input_bindings: MemberBindings,
    /// Bindings of the `output` reference (`resultWrapper` of query responses).
    pub output_bindings: MemberBindings,
    /// Modelled error shapes, in model order.
    pub errors: Vec<String>,
    /// Documentation (Markdown).
    pub docs: String,
    /// Deprecation note, if deprecated.
    pub deprecated: Option<String>,
    /// The endpoint trait's host prefix (with `{Member}` labels), if any.
    pub host_prefix: Option<String>,
    /// How to page through results, when the model has a usable paginator.
    pub paginator: Option<Paginator>,
    /// The request checksum the operation sends (`httpChecksum`), if any.
    pub request_checksum: Option<RequestChecksum>,
    /// `staticContextParams`: endpoint rule parameters the operation always sets, by name.
    pub static_endpoint_params: Vec<(String, StaticParam)>,
    /// Called without credentials, unsigned (`authtype: none`, or `auth` naming only
    /// `smithy.api#noAuth`), as STS's `AssumeRoleWithWebIdentity`.
    pub no_auth: bool,
}

/// The value of a static endpoint rule parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticParam {
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
}

/// An operation's request checksum (botocore's rule: see the runtime's `checksum` module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestChecksum {
    /// A checksum is sent by default: required, or the operation has an algorithm member.
    pub required: bool,
    /// The header the algorithm member is bound to (`x-amz-sdk-checksum-algorithm`), when it
    /// is bound to one.
    pub algorithm_header: Option<String>,
}

/// A paginator: botocore's `paginators-1.json` entry in the form Smithy's `@paginated` has
/// (members by wire name: their Rust names are in the name table).
#[derive(Debug, Clone)]
pub struct Paginator {
    /// Input member (top level) that takes the page token.
    pub input_token: String,
    /// The output member that gives the next token (of the input token's type: a string, a
    /// number or a map), top level or nested (`DistributionList.NextMarker`).
    pub output_token: MemberPath,
    /// Input member (top level) that limits the page size: an integer, a long or a string.
    pub limit_key: Option<String>,
    /// The boolean output member that says whether more pages follow (botocore's
    /// `more_results`, as S3's `IsTruncated`), when the model names one.
    pub more_results: Option<MemberPath>,
    /// The output list holding the items, and the item shape: the result key when the
    /// paginator has one, or the only list among its several result keys (DynamoDB's `Scan`
    /// lists `Items`, `Count` and `ScannedCount`).
    pub items: Option<(MemberPath, String)>,
}

/// A member reached from an operation's output through structure members: each step is the
/// structure (by wire name) and the wire name of its member. One step for a top-level member.
pub type MemberPath = Vec<(String, String)>;

/// A resolved shape.
#[derive(Debug)]
pub struct Shape {
    /// Name in the model; its Rust names are in the name table ([`names::Names::shape`]).
    pub wire_name: String,
    /// Documentation (Markdown).
    pub docs: String,
    /// What kind of shape it is.
    pub kind: ShapeKind,
    /// Needed in requests (Serialize).
    pub serialize: bool,
    /// Needed in responses (Deserialize).
    pub deserialize: bool,
    /// The model's minimum, checked before a request is sent (as botocore does).
    pub min: Option<Min>,
    /// Whether values of this shape sent in requests have a minimum to check, here or in
    /// what they contain.
    pub validate: bool,
    /// HTTP and XML bindings of the shape (payload, error trait, list/map member names, ...).
    pub bindings: ShapeBindings,
    /// The model marks values of this shape `sensitive`: `Debug` shows them redacted.
    pub sensitive: bool,
}

/// A shape's `min` trait, as the client checks it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Min {
    /// Least length: characters of a string, bytes of a blob, elements of a list or map.
    Length(u64),
    /// Least value of an `integer` or `long`.
    Integer(i64),
    /// Least value of a `float` or `double`.
    Float(f64),
}

impl std::fmt::Display for Min {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Min::Length(n) => write!(f, "length {n}"),
            Min::Integer(n) => write!(f, "value {n}"),
            Min::Float(n) => write!(f, "value {n}"),
        }
    }
}

/// Scalar shape kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    /// `string` without enum values.
    String,
    /// `integer`.
    Integer,
    /// `long`.
    Long,
    /// `boolean`.
    Boolean,
    /// `double`.
    Double,
    /// `float`.
    Float,
    /// `timestamp`.
    Timestamp,
    /// `blob`.
    Blob,
    /// A document (free-form JSON).
    Document,
}

/// The kind of a shape.
#[derive(Debug)]
pub enum ShapeKind {
    /// A scalar.
    Primitive(Primitive),
    /// A string enum.
    Enum(Vec<EnumVariant>),
    /// A structure (including exceptions and unions: see [`Structure::union`]).
    Structure(Structure),
    /// A list of the named shape.
    List(String),
    /// A map from the key shape to the value shape.
    Map(String, String),
}

/// One enum value.
#[derive(Debug)]
pub struct EnumVariant {
    /// The value on the wire (the variant's name is in the name table).
    pub wire_value: String,
    /// Its meaning (Markdown), from the documentation of a member that lists the values.
    pub docs: String,
}

/// A structure.
#[derive(Debug)]
pub struct Structure {
    /// Members in model order.
    pub members: Vec<Member>,
    /// Whether this is an exception.
    pub exception: bool,
    /// Whether this is a tagged union (`"union": true` in the model, or listed in the
    /// override table [`overrides`]): exactly one member is set, and it becomes a Rust enum
    /// with one variant per member (no member is required).
    pub union: bool,
    /// Whether this is the event stream of an operation's output (`"eventstream": true`): a
    /// union of its events (`members`), read one message at a time from the response body.
    pub event_stream: bool,
    /// The exceptions an output event stream lists among its members (a message of type
    /// `exception` names one); empty for other structures.
    pub event_errors: Vec<Member>,
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Member {
    /// Name on the wire (its field, setter and getter are in the name table).
    pub wire_name: String,
    /// Target shape (wire name).
    pub target: String,
    /// Whether the model marks it required.
    pub required: bool,
    /// Whether the field must be boxed (recursion).
    pub boxed: bool,
    /// Documentation (Markdown).
    pub docs: String,
    /// Deprecation note.
    pub deprecated: Option<String>,
    /// An idempotency token (a string member): filled with a fresh UUID when left unset.
    pub idempotency_token: bool,
    /// HTTP and XML bindings (`location`, `locationName`, ...).
    pub bindings: MemberBindings,
    /// The Smithy `@default` of the official model (botocore's JSON has none): taken from
    /// `models/official-nullability.tsv` ([`nullability`]).
    pub default: Option<nullability::DefaultValue>,
    /// `@clientOptional` in the official model (the same table): an `Option` though
    /// required.
    pub client_optional: bool,
}

impl Service {
    /// The shape with this wire name, a model shape or a synthetic one (always present once
    /// resolved: every name in the IR refers to one).
    pub fn shape(&self, name: &str) -> &Shape {
        match self.shapes.get(name) {
            Some(shape) => shape,
            None => &self.synthetic_shapes[name],
        }
    }

    /// Whether a value of shape `name` is secret and must not be printed: the shape is
    /// `sensitive`, or it is a list or map of sensitive values (structures redact their own
    /// sensitive members).
    pub fn is_sensitive(&self, name: &str) -> bool {
        let shape = self.shape(name);
        shape.sensitive
            || match &shape.kind {
                ShapeKind::List(elem) => self.shape(elem).sensitive,
                ShapeKind::Map(key, value) => {
                    self.shape(key).sensitive || self.shape(value).sensitive
                }
                _ => false,
            }
    }

    /// Whether a member of a structure that is not an operation input is a plain field (`T`)
    /// rather than an `Option<T>`, by smithy-rs's rule (Smithy's `NullableIndex` in
    /// `CLIENT_CAREFUL` mode, see [`nullability`]): never when it targets a structure or a
    /// union or is `@clientOptional`; else when it has a `@default` or is required.
    pub fn is_non_null(&self, m: &Member) -> bool {
        if m.client_optional || matches!(self.shape(&m.target).kind, ShapeKind::Structure(_)) {
            return false;
        }
        m.default.is_some() || m.required
    }

    /// Looks an operation up by wire name.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.wire_name == name)
    }

    /// The payload member of a structure shape whose target is a streaming blob (S3's
    /// `GetObjectOutput.Body`): such a payload is read and sent as a stream.
    pub fn streaming_payload(&self, shape: &str) -> Option<&Member> {
        let shape = self.shape(shape);
        let payload = shape.bindings.payload.as_deref()?;
        let ShapeKind::Structure(structure) = &shape.kind else {
            return None;
        };
        structure.members.iter().find(|m| {
            m.wire_name == payload
                && (m.bindings.streaming || self.shape(&m.target).bindings.streaming)
        })
    }

    /// The streaming member of an operation's input or output structure, read and sent as a
    /// stream whatever the protocol: a streaming blob payload (S3's `PutObjectRequest.Body`,
    /// `GetObjectOutput.Body`; a `ByteStream` in generated code) or an output's event stream
    /// ([`Service::event_stream_member`]).
    pub fn stream_member(&self, shape: &str) -> Option<&Member> {
        self.streaming_payload(shape)
            .filter(|m| {
                matches!(
                    self.shape(&m.target).kind,
                    ShapeKind::Primitive(Primitive::Blob)
                )
            })
            .or_else(|| self.event_stream_member(shape))
    }

    /// The member of an operation's output structure that is an event stream (S3's
    /// `SelectObjectContentOutput.Payload`): an `EventReceiver` in generated code.
    pub fn event_stream_member(&self, shape: &str) -> Option<&Member> {
        let ShapeKind::Structure(s) = &self.shape(shape).kind else {
            return None;
        };
        s.members
            .iter()
            .find(|m| self.event_stream(&m.target).is_some())
    }

    /// The output event stream union of this wire name, if it is one.
    pub fn event_stream(&self, shape: &str) -> Option<&Structure> {
        match &self.shape(shape).kind {
            ShapeKind::Structure(s) if s.event_stream => Some(s),
            _ => None,
        }
    }

    /// Shapes used as operation inputs or outputs.
    pub fn operation_shapes(&self) -> BTreeSet<&str> {
        self.operations
            .iter()
            .flat_map(|o| o.input.iter().chain(o.output.iter()))
            .map(String::as_str)
            .collect()
    }
}

fn invalid(path: &Path, json_path: String, message: impl Into<String>) -> CodegenError {
    CodegenError::InvalidModel {
        path: path.to_path_buf(),
        json_path,
        message: message.into(),
    }
}

/// Resolves a parsed model. `ops` restricts the operations (and so the shapes) emitted.
pub fn resolve(model: &model::Model, path: &Path, ops: Option<&[String]>) -> Result<Service> {
    let meta = &model.metadata;
    let target_prefix = meta.target_prefix.clone().unwrap_or_default();
    let model_protocols = protocol::model_protocols(
        &meta.protocol,
        &meta.protocols,
        meta.json_version.as_deref(),
    );
    let service_meta = ServiceMeta {
        service_id: meta
            .service_id
            .clone()
            .unwrap_or_else(|| meta.endpoint_prefix.clone()),
        full_name: meta
            .service_full_name
            .clone()
            .unwrap_or_else(|| meta.endpoint_prefix.clone()),
        signing_name: meta
            .signing_name
            .clone()
            .unwrap_or_else(|| meta.endpoint_prefix.clone()),
        endpoint_prefix: meta.endpoint_prefix.clone(),
        target_prefix,
        json_version: meta
            .json_version
            .clone()
            .unwrap_or_else(|| "1.0".to_string()),
        api_version: meta.api_version.clone(),
        protocols: protocol::by_priority(&model_protocols),
        model_protocols,
        uid: meta.uid.clone().unwrap_or_default(),
        endpoint_rule_set: model.endpoint_rule_set.clone(),
        s3_signing: matches!(meta.signature_version.as_deref(), Some("s3" | "s3v4")),
        query_compatible: meta.aws_query_compatible.is_some(),
    };

    // Which operations.
    let chosen: Vec<&model::Operation> = match ops {
        None => model.operations.values().collect(),
        Some(names) => {
            let mut chosen = Vec::new();
            for name in names {
                match model.operations.get(name) {
                    Some(op) => chosen.push(op),
                    None => {
                        return Err(CodegenError::UnknownOperation {
                            name: name.clone(),
                            close_matches: close_matches(name, model.operations.keys()),
                        });
                    }
                }
            }
            chosen.sort_by(|a, b| a.name.cmp(&b.name));
            chosen.dedup_by(|a, b| a.name == b.name);
            chosen
        }
    };

    // Phase 1: check references and find reachable shapes, split by direction.
    let mut to_serialize = BTreeSet::new();
    let mut to_deserialize = BTreeSet::new();
    for (key, op) in &model.operations {
        if !chosen.iter().any(|c| std::ptr::eq(*c, op)) {
            continue;
        }
        let op_path = format!("operations.{key}");
        if let Some(input) = &op.input {
            check_ref(model, path, &input.shape, &format!("{op_path}.input.shape"))?;
            reach(model, path, &input.shape, &mut to_serialize)?;
        }
        if let Some(output) = &op.output {
            check_ref(
                model,
                path,
                &output.shape,
                &format!("{op_path}.output.shape"),
            )?;
            reach(model, path, &output.shape, &mut to_deserialize)?;
        }
        for (i, err) in op.errors.iter().enumerate() {
            check_ref(
                model,
                path,
                &err.shape,
                &format!("{op_path}.errors[{i}].shape"),
            )?;
            reach(model, path, &err.shape, &mut to_deserialize)?;
        }
    }
    let reachable: BTreeSet<String> = to_serialize.union(&to_deserialize).cloned().collect();

    // Unions: the model's flags, and the override table's entries for this service.
    let unions = overrides::union_shapes(model)?;

    // Enum variant docs: from member documentation that lists the values.
    let enum_docs = collect_enum_docs(model, &reachable);

    // Phase 2: resolve shapes (their Rust names come last, in the name table).
    let mut shapes = BTreeMap::new();
    for name in &reachable {
        let shape = &model.shapes[name];
        let json_path = format!("shapes.{name}");
        let kind = resolve_kind(
            model,
            path,
            name,
            shape,
            &json_path,
            enum_docs.get(name),
            // An event stream the service sends is a union of its events; one the client
            // would send (an input event stream) is not supported and stays a structure.
            unions.contains(name)
                || (shape.eventstream
                    && to_deserialize.contains(name)
                    && !to_serialize.contains(name)),
        )?;
        let min = resolve_min(path, shape, &kind, &json_path)?;
        shapes.insert(
            name.clone(),
            Shape {
                wire_name: name.clone(),
                docs: shape
                    .documentation
                    .as_deref()
                    .map(docs::html_to_markdown)
                    .unwrap_or_default(),
                kind,
                serialize: to_serialize.contains(name),
                deserialize: to_deserialize.contains(name),
                min,
                validate: false,
                bindings: bindings::shape_bindings(name, shape, path, &json_path)?,
                sensitive: shape.sensitive,
            },
        );
    }
    check_collections(path, &shapes)?;
    // `@default` and `@clientOptional`, which botocore's JSON does not carry.
    nullability::apply(&mut shapes, &service_meta.service_id)?;
    mark_recursion(&mut shapes);
    mark_validation(&mut shapes);
    let timestamp_formats = resolve_timestamp_formats(model, path, &shapes)?;

    // S3's request URIs lose their leading `/{Bucket}` (see `bindings::http_binding`).
    let is_s3 = meta.endpoint_prefix == "s3" && meta.service_id.as_deref() == Some("S3");
    let mut operations: Vec<Operation> = chosen
        .iter()
        .map(|op| -> Result<Operation> {
            let op_path = format!("operations.{}", op.name);
            let ref_bindings = |side: &str, r: &Option<model::ShapeRef>| {
                r.as_ref()
                    .map(|r| bindings::member_bindings(r, path, &format!("{op_path}.{side}")))
                    .transpose()
                    .map(Option::unwrap_or_default)
            };
            let input = op
                .input
                .as_ref()
                .and_then(|r| match &shapes.get(&r.shape)?.kind {
                    ShapeKind::Structure(s) => Some((r.shape.as_str(), s)),
                    _ => None,
                });
            Ok(Operation {
                wire_name: op.name.clone(),
                input: op.input.as_ref().map(|r| r.shape.clone()),
                output: op.output.as_ref().map(|r| r.shape.clone()),
                // Some models list an error twice (Glue's GetCatalog): keep the first.
                errors: op.errors.iter().fold(Vec::new(), |mut errors, r| {
                    if !errors.contains(&r.shape) {
                        errors.push(r.shape.clone());
                    }
                    errors
                }),
                docs: op
                    .documentation
                    .as_deref()
                    .map(docs::html_to_markdown)
                    .unwrap_or_default(),
                deprecated: op.deprecated.then(|| {
                    op.deprecated_message
                        .clone()
                        .unwrap_or_else(|| "This operation is deprecated.".to_string())
                }),
                host_prefix: op.endpoint.as_ref().map(|e| e.host_prefix.clone()),
                request_checksum: request_checksum(op, input),
                no_auth: op.authtype.as_deref() == Some("none")
                    || op.auth.first().map(String::as_str) == Some("smithy.api#noAuth"),
                static_endpoint_params: op
                    .static_context_params
                    .iter()
                    .map(|(name, param)| match &param.value {
                        serde_json::Value::Bool(b) => Ok((name.clone(), StaticParam::Bool(*b))),
                        serde_json::Value::String(s) => {
                            Ok((name.clone(), StaticParam::Str(s.clone())))
                        }
                        other => Err(invalid(
                            path,
                            format!("{op_path}.staticContextParams.{name}.value"),
                            format!("a static endpoint parameter must be a boolean or a string, not {other}"),
                        )),
                    })
                    .collect::<Result<_>>()?,
                paginator: None,
                input_shape: String::new(),
                output_shape: String::new(),
                http: bindings::http_binding(
                    &op.name,
                    op.http.as_ref(),
                    input,
                    path,
                    is_s3,
                )?,
                input_bindings: ref_bindings("input", &op.input)?,
                output_bindings: ref_bindings("output", &op.output)?,
            })
        })
        .collect::<Result<_>>()?;
    // Paginators are keyed by the operation's key in the model, which is its name except in
    // CloudFront's (`ListDistributions` named `ListDistributions2020_05_31`).
    let keys: BTreeMap<&str, &str> = model
        .operations
        .iter()
        .map(|(key, op)| (op.name.as_str(), key.as_str()))
        .collect();
    for op in &mut operations {
        let key = keys
            .get(op.wire_name.as_str())
            .copied()
            .unwrap_or(&op.wire_name);
        op.paginator = model
            .paginators
            .get(key)
            .and_then(|p| resolve_paginator(&shapes, op, p));
    }
    operations.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
    // Phase 3: the one table of Rust names, then the synthetic shapes named after their
    // operations.
    let official_variants = names::official_enum_variants(&service_meta.service_id);
    let mut names = names::Names::build(&shapes, &operations, &official_variants);
    let synthetic_shapes = add_synthetic_shapes(model, &mut operations, &mut names);
    annotate(model, &mut shapes, &mut operations);
    for op in &operations {
        check_host_prefix(path, &shapes, op)?;
        for err in &op.errors {
            if !matches!(&shapes[err].kind, ShapeKind::Structure(s) if !s.union) {
                return Err(invalid(
                    path,
                    format!("operations.{}.errors", op.wire_name),
                    format!("error shape `{err}` is not a structure"),
                ));
            }
        }
        for io in op.input.iter().chain(op.output.iter()) {
            match &shapes[io].kind {
                ShapeKind::Structure(s) if !s.union => {}
                ShapeKind::Structure(_) => {
                    return Err(invalid(
                        path,
                        format!("operations.{}", op.wire_name),
                        format!("input/output shape `{io}` is a union, not a structure"),
                    ));
                }
                _ => {
                    return Err(invalid(
                        path,
                        format!("operations.{}", op.wire_name),
                        format!("input/output shape `{io}` is not a structure"),
                    ));
                }
            }
        }
    }

    let mut service = Service {
        meta: service_meta,
        docs: model
            .documentation
            .as_deref()
            .map(docs::html_to_markdown)
            .unwrap_or_default(),
        operations,
        shapes,
        synthetic_shapes,
        timestamp_formats,
        names,
        waiters: Vec::new(),
        skipped_waiters: Vec::new(),
    };
    // Waiters are compiled against the finished service (shapes and names).
    let (waiters, skipped) = crate::waiters::resolve(&service, model);
    service
        .names
        .add_waiters(waiters.iter().map(|w| w.name.as_str()));
    service.waiters = waiters;
    service.skipped_waiters = skipped;
    Ok(service)
}

/// The wire name of the synthetic empty structure for an operation's `side` (`Input` or
/// `Output`): `<Stem><side>`, with the operation's (deduplicated) type stem, or the first of
/// `<Stem><side>2`, `3`, ... that is neither a model shape nor already taken by another
/// synthetic shape. Operations are handled in wire-name order, so the names are
/// deterministic. (The name is never sent; serde's struct name is the only place it shows.)
pub fn synthetic_name(
    model_shapes: &BTreeMap<String, model::Shape>,
    taken: &BTreeMap<String, Shape>,
    stem: &str,
    side: &str,
) -> String {
    let base = format!("{stem}{side}");
    let mut name = base.clone();
    let mut n = 2;
    while model_shapes.contains_key(&name) || taken.contains_key(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// Gives every operation its `input_shape` and `output_shape`, making the empty structures of
/// those the model leaves out. Their Rust name (in `names`) is the operation's input or output
/// type.
fn add_synthetic_shapes(
    model: &model::Model,
    operations: &mut [Operation],
    names: &mut names::Names,
) -> BTreeMap<String, Shape> {
    let mut synthetic = BTreeMap::new();
    for op in operations.iter_mut() {
        let op_names = names.operation(op);
        let stem = op_names.type_stem.clone();
        let types = [op_names.input.clone(), op_names.output.clone()];
        for ((side, given, slot), type_name) in [
            ("Input", &op.input, &mut op.input_shape),
            ("Output", &op.output, &mut op.output_shape),
        ]
        .into_iter()
        .zip(types)
        {
            *slot = match given {
                Some(name) => name.clone(),
                None => {
                    let wire = synthetic_name(&model.shapes, &synthetic, &stem, side);
                    names.add_synthetic(wire.clone(), type_name);
                    synthetic.insert(
                        wire.clone(),
                        Shape {
                            wire_name: wire.clone(),
                            docs: String::new(),
                            kind: ShapeKind::Structure(Structure {
                                members: Vec::new(),
                                exception: false,
                                union: false,
                                event_stream: false,
                                event_errors: Vec::new(),
                            }),
                            serialize: false,
                            deserialize: false,
                            min: None,
                            validate: false,
                            bindings: ShapeBindings::default(),
                            sensitive: false,
                        },
                    );
                    wire
                }
            };
        }
    }
    synthetic
}

/// A paginator the generated code can drive, in the form Smithy's `@paginated` has: one input
/// token (a top-level member), one output token (a member, or a path through structure
/// members such as `DistributionList.NextMarker`) of the same type, a string, a number or a
/// map; an optional page size (an integer, a long or a string) and `more_results` flag; items
/// as described at [`Paginator::items`]. Others (several tokens, JMESPath expressions such as
/// `NextMarker || Contents[-1].Key`) are left out, and the operation simply has no paginator.
fn resolve_paginator(
    shapes: &BTreeMap<String, Shape>,
    op: &Operation,
    p: &model::Paginator,
) -> Option<Paginator> {
    let input_shape = op.input.as_deref()?;
    let output_shape = op.output.as_deref()?;
    let ShapeKind::Structure(input) = &shapes.get(input_shape)?.kind else {
        return None;
    };
    let [(_, input_token)] = member_path(shapes, input_shape, p.input_token.as_str()?)?
        .try_into()
        .ok()?;
    let input_token = input.members.iter().find(|m| m.wire_name == input_token)?;
    let output_path = member_path(shapes, output_shape, p.output_token.as_str()?)?;
    let output_token = path_member(shapes, &output_path)?;
    // The token goes back into the next request as it came: the same Rust type both ways.
    let same_type = match (
        &shapes.get(&input_token.target)?.kind,
        &shapes.get(&output_token.target)?.kind,
    ) {
        (ShapeKind::Primitive(a), ShapeKind::Primitive(b)) => {
            a == b && matches!(a, Primitive::String | Primitive::Integer | Primitive::Long)
        }
        (ShapeKind::Map(..), ShapeKind::Map(..)) => input_token.target == output_token.target,
        _ => false,
    };
    if !same_type {
        return None;
    }
    let limit_key = p.limit_key.as_deref().and_then(|k| {
        let m = input.members.iter().find(|m| m.wire_name == k)?;
        matches!(
            shapes.get(&m.target)?.kind,
            ShapeKind::Primitive(Primitive::Integer | Primitive::Long | Primitive::String)
        )
        .then(|| m.wire_name.clone())
    });
    let more_results = match &p.more_results {
        Some(flag) => {
            let flag = flag.as_str()?;
            let path = member_path(shapes, output_shape, flag)?;
            let m = path_member(shapes, &path)?;
            if !matches!(
                shapes.get(&m.target)?.kind,
                ShapeKind::Primitive(Primitive::Boolean)
            ) {
                return None;
            }
            Some(path)
        }
        None => None,
    };
    let result_keys: Vec<&str> = match &p.result_key {
        Some(serde_json::Value::String(key)) => vec![key.as_str()],
        Some(serde_json::Value::Array(keys)) => keys.iter().filter_map(|k| k.as_str()).collect(),
        _ => Vec::new(),
    };
    let mut lists = result_keys.iter().filter_map(|key| {
        let path = member_path(shapes, output_shape, key)?;
        match &shapes.get(&path_member(shapes, &path)?.target)?.kind {
            ShapeKind::List(item) => Some((path, item.clone())),
            _ => None,
        }
    });
    let items = match (lists.next(), lists.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    };
    Some(Paginator {
        input_token: input_token.wire_name.clone(),
        output_token: output_path,
        limit_key,
        more_results,
        items,
    })
}

/// The members a paginator's dotted name (`NextToken`, `DistributionList.NextMarker`) reaches
/// from `structure`: each but the last a structure (not a union), none boxed. `None` for
/// anything else (JMESPath beyond plain names, an unknown member).
fn member_path(
    shapes: &BTreeMap<String, Shape>,
    structure: &str,
    name: &str,
) -> Option<MemberPath> {
    let mut path = Vec::new();
    let mut current = structure.to_string();
    for segment in name.split('.') {
        if segment.is_empty()
            || !segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return None;
        }
        let ShapeKind::Structure(s) = &shapes.get(&current)?.kind else {
            return None;
        };
        if s.union {
            return None;
        }
        let m = s.members.iter().find(|m| m.wire_name == segment)?;
        if m.boxed {
            return None;
        }
        path.push((current.clone(), m.wire_name.clone()));
        current = m.target.clone();
    }
    Some(path)
}

/// The member a [`MemberPath`] ends at.
fn path_member<'a>(shapes: &'a BTreeMap<String, Shape>, path: &MemberPath) -> Option<&'a Member> {
    let (structure, member) = path.last()?;
    match &shapes.get(structure)?.kind {
        ShapeKind::Structure(s) => s.members.iter().find(|m| &m.wire_name == member),
        _ => None,
    }
}

/// Deepest nesting of lists and maps (without a structure in between) the generator accepts.
const MAX_COLLECTION_DEPTH: usize = 32;

/// Lists and maps must reach a non-collection shape: a list of itself (directly or through
/// other lists and maps) has no Rust type, and very deep nesting is refused rather than
/// risking the stack. Map keys must be strings (or string enums).
fn check_collections(path: &Path, shapes: &BTreeMap<String, Shape>) -> Result<()> {
    for (name, shape) in shapes {
        if let ShapeKind::Map(key, _) = &shape.kind
            && !matches!(
                shapes[key].kind,
                ShapeKind::Primitive(Primitive::String) | ShapeKind::Enum(_)
            )
        {
            return Err(invalid(
                path,
                format!("shapes.{name}.key.shape"),
                format!("map `{name}` has key shape `{key}`, which is not a string"),
            ));
        }
    }
    // Depth of collection nesting below each shape; cycles are errors.
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    for start in shapes.keys() {
        // Iterative walk down the chain of collections from `start`.
        let mut chain: Vec<&str> = Vec::new();
        let mut current = start.as_str();
        loop {
            if depth.contains_key(current) {
                break;
            }
            let next = match &shapes[current].kind {
                ShapeKind::List(elem) => Some((elem.as_str(), "member")),
                ShapeKind::Map(_, value) => Some((value.as_str(), "value")),
                _ => None,
            };
            let Some((next, field)) = next else {
                depth.insert(current, 0);
                break;
            };
            if chain.contains(&current) || next == current || chain.contains(&next) {
                return Err(invalid(
                    path,
                    format!("shapes.{current}.{field}.shape"),
                    format!(
                        "`{current}` contains itself through lists and maps only (no structure in between), which has no finite type"
                    ),
                ));
            }
            chain.push(current);
            current = next;
        }
        let mut d = depth[current];
        while let Some(shape) = chain.pop() {
            d += 1;
            if d > MAX_COLLECTION_DEPTH {
                return Err(invalid(
                    path,
                    format!("shapes.{shape}"),
                    format!(
                        "lists and maps are nested more than {MAX_COLLECTION_DEPTH} deep below `{shape}`"
                    ),
                ));
            }
            depth.insert(shape, d);
        }
    }
    Ok(())
}

/// Notes the model's flags in the docs: deprecated shapes and operations that stream events
/// (which this runtime does not decode). Unions say what they are in their enum's docs.
fn annotate(
    model: &model::Model,
    shapes: &mut BTreeMap<String, Shape>,
    operations: &mut [Operation],
) {
    fn note(docs: &mut String, text: &str) {
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str(text);
    }
    for (name, shape) in shapes.iter_mut() {
        let m = &model.shapes[name];
        if m.deprecated {
            note(
                &mut shape.docs,
                "**Deprecated:** the model marks this shape deprecated.",
            );
        }
        let output_stream = matches!(&shape.kind, ShapeKind::Structure(s) if s.event_stream);
        if m.eventstream && !output_stream {
            note(
                &mut shape.docs,
                "This is an input event stream: its events would be sent over a binary \
                 stream, which this runtime does not support yet.",
            );
        }
    }
    let input_stream_member = |shape: &Option<String>| -> Option<String> {
        let ShapeKind::Structure(s) = &shapes.get(shape.as_deref()?)?.kind else {
            return None;
        };
        s.members
            .iter()
            .find(|m| model.shapes.get(&m.target).is_some_and(|t| t.eventstream))
            .map(|m| m.wire_name.clone())
    };
    for op in operations.iter_mut() {
        if let Some(member) = input_stream_member(&op.input) {
            let text = format!(
                "**Event stream:** the input member `{member}` is an event stream, which \
                 this runtime cannot send yet: the service rejects the request instead of \
                 reading events."
            );
            note(&mut op.docs, &text);
        }
    }
}

/// The non-default `timestampFormat`s of the reachable timestamp shapes; an unknown format is an
/// error naming the shape.
fn resolve_timestamp_formats(
    model: &model::Model,
    path: &Path,
    shapes: &BTreeMap<String, Shape>,
) -> Result<BTreeMap<String, TimestampFormat>> {
    let mut out = BTreeMap::new();
    for (name, shape) in shapes {
        if !matches!(shape.kind, ShapeKind::Primitive(Primitive::Timestamp)) {
            continue;
        }
        let format = match model.shapes[name].timestamp_format.as_deref() {
            None | Some("unixTimestamp") => continue,
            Some("iso8601") => TimestampFormat::Iso8601,
            Some("rfc822") => TimestampFormat::HttpDate,
            Some(other) => {
                return Err(invalid(
                    path,
                    format!("shapes.{name}.timestampFormat"),
                    format!(
                        "timestamp shape `{name}` has unknown format `{other}` (expected iso8601, rfc822 or unixTimestamp)"
                    ),
                ));
            }
        };
        out.insert(name.clone(), format);
    }
    Ok(out)
}

/// Every `{label}` of an operation's host prefix must name a string member of its input.
fn check_host_prefix(path: &Path, shapes: &BTreeMap<String, Shape>, op: &Operation) -> Result<()> {
    let Some(prefix) = &op.host_prefix else {
        return Ok(());
    };
    let json_path = format!("operations.{}.endpoint.hostPrefix", op.wire_name);
    // Outside its labels, the prefix is host-name text: nothing that could end the host
    // (`/`, `@`, `:`, `#`) and send requests elsewhere.
    let mut depth = 0usize;
    for c in prefix.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 && !(c.is_ascii_alphanumeric() || c == '-' || c == '.') => {
                return Err(invalid(
                    path,
                    json_path,
                    format!("host prefix `{prefix}` has `{c}`, which cannot appear in a host name"),
                ));
            }
            _ => {}
        }
    }
    let mut rest = prefix.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(invalid(
                path,
                json_path,
                format!("unclosed `{{` in `{prefix}`"),
            ));
        };
        let label = &rest[open + 1..close];
        let member = op.input.as_ref().and_then(|i| match &shapes.get(i)?.kind {
            ShapeKind::Structure(s) => s.members.iter().find(|m| m.wire_name == label),
            _ => None,
        });
        let is_string = member.is_some_and(|m| {
            matches!(
                shapes.get(&m.target).map(|t| &t.kind),
                Some(ShapeKind::Primitive(Primitive::String))
            )
        });
        if !is_string {
            return Err(invalid(
                path,
                json_path,
                format!("host label `{label}` is not a string member of the input"),
            ));
        }
        rest = &rest[close + 1..];
    }
    Ok(())
}

fn check_ref(model: &model::Model, path: &Path, target: &str, json_path: &str) -> Result<()> {
    if model.shapes.contains_key(target) {
        Ok(())
    } else {
        Err(invalid(
            path,
            json_path.to_string(),
            format!("refers to shape `{target}`, which the model does not define"),
        ))
    }
}

/// Adds `start` and everything it references to `seen`, checking every reference.
fn reach(
    model: &model::Model,
    path: &Path,
    start: &str,
    seen: &mut BTreeSet<String>,
) -> Result<()> {
    let mut stack = vec![start.to_string()];
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let shape = &model.shapes[&name];
        let base = format!("shapes.{name}");
        let mut refs: Vec<(String, &str)> = shape
            .members
            .iter()
            .map(|(m, r)| (format!("{base}.members.{m}.shape"), r.shape.as_str()))
            .collect();
        for (field, r) in [
            ("member", &shape.member),
            ("key", &shape.key),
            ("value", &shape.value),
        ] {
            if let Some(r) = r {
                refs.push((format!("{base}.{field}.shape"), r.shape.as_str()));
            }
        }
        for (json_path, target) in refs {
            check_ref(model, path, target, &json_path)?;
            if !seen.contains(target) {
                stack.push(target.to_string());
            }
        }
    }
    Ok(())
}

/// The `min` trait of a shape, when the client checks it: lengths of strings (not enums, whose
/// values are never checked), blobs, lists and maps, and values of numbers. A minimum that
/// every value meets (a length of 0) is dropped.
fn resolve_min(
    path: &Path,
    shape: &model::Shape,
    kind: &ShapeKind,
    json_path: &str,
) -> Result<Option<Min>> {
    let Some(min) = &shape.min else {
        return Ok(None);
    };
    let bad = |what: &str| {
        invalid(
            path,
            format!("{json_path}.min"),
            format!("{what}, found {min}"),
        )
    };
    let min = match kind {
        ShapeKind::Primitive(Primitive::String | Primitive::Blob)
        | ShapeKind::List(_)
        | ShapeKind::Map(..) => {
            let n = min
                .as_u64()
                .ok_or_else(|| bad("a minimum length must be a whole number of at least 0"))?;
            (n > 0).then_some(Min::Length(n))
        }
        ShapeKind::Primitive(Primitive::Integer | Primitive::Long) => {
            Some(Min::Integer(min.as_i64().ok_or_else(|| {
                bad("the minimum of an integer must be a whole number")
            })?))
        }
        ShapeKind::Primitive(Primitive::Float | Primitive::Double) => {
            let n = min
                .as_f64()
                .filter(|n| n.is_finite())
                .ok_or_else(|| bad("the minimum of a number must be finite"))?;
            Some(Min::Float(n))
        }
        // Enums, booleans, timestamps, documents and structures: nothing to check.
        _ => None,
    };
    Ok(min)
}

fn resolve_kind(
    model: &model::Model,
    path: &Path,
    name: &str,
    shape: &model::Shape,
    json_path: &str,
    enum_docs: Option<&BTreeMap<String, String>>,
    union: bool,
) -> Result<ShapeKind> {
    let need = |field: &str, r: &Option<model::ShapeRef>| -> Result<String> {
        r.as_ref().map(|r| r.shape.clone()).ok_or_else(|| {
            invalid(
                path,
                format!("{json_path}.{field}"),
                format!("{} shape `{name}` has no `{field}`", shape.kind),
            )
        })
    };
    Ok(match shape.kind.as_str() {
        "string" if !shape.enum_values.is_empty() => ShapeKind::Enum(resolve_enum(
            path,
            name,
            &shape.enum_values,
            json_path,
            enum_docs,
        )?),
        "string" | "character" => ShapeKind::Primitive(Primitive::String),
        "integer" | "short" | "byte" => ShapeKind::Primitive(Primitive::Integer),
        "long" | "bigInteger" => ShapeKind::Primitive(Primitive::Long),
        "boolean" => ShapeKind::Primitive(Primitive::Boolean),
        "double" | "bigDecimal" => ShapeKind::Primitive(Primitive::Double),
        "float" => ShapeKind::Primitive(Primitive::Float),
        "timestamp" => ShapeKind::Primitive(Primitive::Timestamp),
        "blob" => ShapeKind::Primitive(Primitive::Blob),
        "structure" if shape.document => ShapeKind::Primitive(Primitive::Document),
        "structure" => {
            for (i, req) in shape.required.iter().enumerate() {
                if !shape.members.contains_key(req) {
                    return Err(invalid(
                        path,
                        format!("{json_path}.required[{i}]"),
                        format!(
                            "structure `{name}` requires member `{req}`, which it does not have"
                        ),
                    ));
                }
            }
            let mut members = Vec::new();
            for (wire, r) in &shape.members {
                members.push(Member {
                    wire_name: wire.clone(),
                    target: r.shape.clone(),
                    // A union's members are never required: exactly one is set.
                    required: !union && shape.required.contains(wire),
                    boxed: false,
                    docs: r
                        .documentation
                        .as_deref()
                        .map(docs::html_to_markdown)
                        .unwrap_or_default(),
                    deprecated: r.deprecated.then(|| {
                        r.deprecated_message
                            .clone()
                            .unwrap_or_else(|| "This member is deprecated.".to_string())
                    }),
                    bindings: bindings::member_bindings(
                        r,
                        path,
                        &format!("{json_path}.members.{wire}"),
                    )?,
                    default: None,
                    client_optional: false,
                    // Only a plain string can carry a generated token.
                    idempotency_token: r.idempotency_token
                        && model
                            .shapes
                            .get(&r.shape)
                            .is_some_and(|t| t.kind == "string" && t.enum_values.is_empty()),
                });
            }
            // An output event stream: its events are the union's variants, its exceptions
            // the variants of its error.
            let event_stream = union && shape.eventstream;
            let (members, event_errors) = if event_stream {
                members.into_iter().partition(|m: &Member| {
                    !model.shapes.get(&m.target).is_some_and(|t| t.exception)
                })
            } else {
                (members, Vec::new())
            };
            ShapeKind::Structure(Structure {
                members,
                exception: shape.exception,
                union,
                event_stream,
                event_errors,
            })
        }
        "list" => ShapeKind::List(need("member", &shape.member)?),
        "map" => ShapeKind::Map(need("key", &shape.key)?, need("value", &shape.value)?),
        other => {
            return Err(invalid(
                path,
                format!("{json_path}.type"),
                format!("shape `{name}` has unknown type `{other}`"),
            ));
        }
    })
}

fn resolve_enum(
    path: &Path,
    name: &str,
    values: &[String],
    json_path: &str,
    docs: Option<&BTreeMap<String, String>>,
) -> Result<Vec<EnumVariant>> {
    let mut variants: Vec<EnumVariant> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        if variants.iter().any(|v| &v.wire_value == value) {
            return Err(invalid(
                path,
                format!("{json_path}.enum[{i}]"),
                format!("enum `{name}` lists value `{value}` twice"),
            ));
        }
        let docs = docs
            .and_then(|d| d.get(value).or_else(|| d.get(&value.to_ascii_lowercase())))
            .cloned()
            .unwrap_or_default();
        variants.push(EnumVariant {
            wire_value: value.clone(),
            docs,
        });
    }
    Ok(variants)
}

/// For each enum shape, the value meanings from the member documentation that lists the most
/// of its values (ties broken by structure and member name, so the choice is deterministic).
fn collect_enum_docs(
    model: &model::Model,
    reachable: &BTreeSet<String>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut best: BTreeMap<String, (usize, BTreeMap<String, String>)> = BTreeMap::new();
    for (sname, shape) in &model.shapes {
        if !reachable.contains(sname) {
            continue;
        }
        for member in shape.members.values() {
            let Some(target) = model.shapes.get(&member.shape) else {
                continue;
            };
            if target.enum_values.is_empty() {
                continue;
            }
            let Some(doc) = &member.documentation else {
                continue;
            };
            let found: BTreeMap<String, String> = docs::value_descriptions(doc)
                .into_iter()
                .filter(|(v, _)| {
                    target
                        .enum_values
                        .iter()
                        .any(|e| e == v || e.eq_ignore_ascii_case(v))
                })
                .collect();
            let score = found.len();
            if score == 0 {
                continue;
            }
            let entry = best
                .entry(member.shape.clone())
                .or_insert((0, BTreeMap::new()));
            if score > entry.0 {
                *entry = (score, found);
            }
        }
    }
    best.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

/// Marks the shapes sent in requests that carry a minimum or are unions (whose `Unknown`
/// variant cannot be sent), or contain (through members, elements, keys or values, at any
/// depth, cycles included) a shape that does.
fn mark_validation(shapes: &mut BTreeMap<String, Shape>) {
    // A required member that is an `Option` even in a type (a structure or union, or
    // `@clientOptional`: see `Service::is_non_null`) is checked too.
    let optional_required = |st: &Structure| {
        st.members.iter().any(|m| {
            m.required
                && (m.client_optional
                    || matches!(
                        shapes.get(&m.target).map(|t| &t.kind),
                        Some(ShapeKind::Structure(_))
                    ))
        })
    };
    let mut marked: BTreeSet<String> = shapes
        .iter()
        .filter(|(_, s)| {
            s.serialize
                && (s.min.is_some()
                    || matches!(&s.kind, ShapeKind::Structure(st) if st.union || optional_required(st)))
        })
        .map(|(name, _)| name.clone())
        .collect();
    loop {
        let more: Vec<String> = shapes
            .iter()
            .filter(|(name, s)| s.serialize && !marked.contains(*name))
            .filter(|(_, s)| match &s.kind {
                ShapeKind::Structure(st) => st.members.iter().any(|m| marked.contains(&m.target)),
                ShapeKind::List(e) => marked.contains(e),
                ShapeKind::Map(k, v) => marked.contains(k) || marked.contains(v),
                _ => false,
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        marked.extend(more);
    }
    for name in marked {
        if let Some(shape) = shapes.get_mut(&name) {
            shape.validate = true;
        }
    }
}

/// Boxes every structure member whose target structure can reach back to the containing
/// structure through non-collection members.
fn mark_recursion(shapes: &mut BTreeMap<String, Shape>) {
    let edges: BTreeMap<String, Vec<String>> = shapes
        .iter()
        .filter_map(|(name, shape)| match &shape.kind {
            ShapeKind::Structure(s) => Some((
                name.clone(),
                s.members
                    .iter()
                    .filter(|m| {
                        matches!(
                            shapes.get(&m.target).map(|t| &t.kind),
                            Some(ShapeKind::Structure(_))
                        )
                    })
                    .map(|m| m.target.clone())
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(next) = edges.get(&n) {
                stack.extend(next.iter().cloned());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (name, targets) in &edges {
        if let Some(ShapeKind::Structure(s)) = shapes.get(name).map(|s| &s.kind) {
            for (i, m) in s.members.iter().enumerate() {
                if targets.contains(&m.target) && reaches(&m.target, name) {
                    to_box.push((name.clone(), i));
                }
            }
        }
    }
    for (name, i) in to_box {
        if let Some(ShapeKind::Structure(s)) = shapes.get_mut(&name).map(|s| &mut s.kind) {
            s.members[i].boxed = true;
        }
    }
}

/// Operation names close to `name` (edit distance or shared prefix), best first.
fn close_matches<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let mut scored: Vec<(usize, String)> = candidates
        .filter_map(|c| {
            let d = edit_distance(&lower, &c.to_ascii_lowercase());
            let limit = (name.len() / 3).max(2);
            let contains = c.to_ascii_lowercase().contains(&lower) && lower.len() >= 4;
            (d <= limit || contains).then(|| (d, c.clone()))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, c)| c).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The request checksum of `op` from its `httpChecksum` (or `httpChecksumRequired`) trait;
/// `input` is its input structure, where the algorithm member is looked up.
fn request_checksum(
    op: &model::Operation,
    input: Option<(&str, &Structure)>,
) -> Option<RequestChecksum> {
    let trait_ = op.http_checksum.as_ref();
    let member = trait_.and_then(|t| t.request_algorithm_member.as_deref());
    let required = op.http_checksum_required
        || trait_.is_some_and(|t| t.request_checksum_required)
        || member.is_some();
    if !required {
        return None;
    }
    let algorithm_header = member.and_then(|name| {
        let (_, structure) = input?;
        let member = structure.members.iter().find(|m| m.wire_name == name)?;
        match member.bindings.location {
            Some(bindings::Location::Header) => Some(
                member
                    .bindings
                    .location_name
                    .clone()
                    .unwrap_or_else(|| member.wire_name.clone()),
            ),
            _ => None,
        }
    });
    Some(RequestChecksum {
        required,
        algorithm_header,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves a model given as JSON (`metadata` filled in when absent).
    pub(crate) fn resolve_json(mut json: serde_json::Value) -> Result<Service> {
        if json.get("metadata").is_none() {
            json["metadata"] = serde_json::json!({
                "apiVersion": "2020-01-01", "endpointPrefix": "t", "protocol": "json",
                "jsonVersion": "1.1", "targetPrefix": "T"
            });
        }
        let model: model::Model = serde_json::from_value(json)
            .map_err(|e| invalid(Path::new("test.json"), String::new(), e.to_string()))?;
        resolve(&model, Path::new("test.json"), None)
    }

    #[test]
    fn operations_without_input_or_output_get_synthetic_shapes() {
        let svc = resolve_json(serde_json::json!({
            "operations": {
                "Ping": {"name": "Ping", "http": {"method": "POST", "requestUri": "/"}},
                "Pong": {"name": "Pong", "http": {"method": "POST", "requestUri": "/"},
                         "input": {"shape": "PingInput"}},
            },
            "shapes": {"PingInput": {"type": "structure", "members": {}}}
        }))
        .unwrap();
        let ping = svc.operation("Ping").unwrap();
        assert_eq!(ping.input, None);
        // `PingInput` is a model shape (Pong's input): the synthetic one takes the next name.
        // The operation's types keep their names.
        assert_eq!(ping.input_shape, "PingInput2");
        assert_eq!(ping.output_shape, "PingOutput");
        let type_name = |wire: &str| svc.names.shape(wire).map(|n| n.type_name.as_str());
        assert_eq!(type_name("PingInput2"), Some("PingInput"));
        assert_eq!(type_name("PingOutput"), Some("PingOutput"));
        let pong = svc.operation("Pong").unwrap();
        assert_eq!(pong.input_shape, "PingInput");
        assert_eq!(pong.output_shape, "PongOutput");
        // Synthetic shapes are not model shapes.
        assert!(!svc.shapes.contains_key("PingInput2"));
        assert_eq!(
            svc.synthetic_shapes.keys().collect::<Vec<_>>(),
            ["PingInput2", "PingOutput", "PongOutput"]
        );
    }

    #[test]
    fn unions_are_structures_marked_union_with_no_required_member() {
        let svc = resolve_json(serde_json::json!({
            "operations": {
                "Put": {"name": "Put", "http": {"method": "POST", "requestUri": "/"},
                        "input": {"shape": "PutInput"}},
            },
            "shapes": {
                "PutInput": {"type": "structure", "members": {"u": {"shape": "U"}}},
                "U": {"type": "structure", "union": true, "required": ["a"],
                      "members": {"a": {"shape": "S"}, "b": {"shape": "U"}}},
                "S": {"type": "string"}
            }
        }))
        .unwrap();
        let ShapeKind::Structure(u) = &svc.shape("U").kind else {
            panic!("a structure")
        };
        assert!(u.union);
        assert!(u.members.iter().all(|m| !m.required));
        // A union sent in requests is always checked (`Unknown` cannot be sent), and so is
        // what contains it.
        assert!(svc.shape("U").validate && svc.shape("PutInput").validate);
        // Recursion through a union member is boxed like a structure's.
        assert!(u.members[1].boxed);
        let names = svc.names.shape("U").unwrap();
        assert_eq!(names.builder, None);
        assert_eq!(names.union_variants[0].variant, "A");
    }

    #[test]
    fn a_union_cannot_be_an_operation_input() {
        let err = resolve_json(serde_json::json!({
            "operations": {
                "Put": {"name": "Put", "http": {"method": "POST", "requestUri": "/"},
                        "input": {"shape": "U"}},
            },
            "shapes": {
                "U": {"type": "structure", "union": true, "members": {"a": {"shape": "S"}}},
                "S": {"type": "string"}
            }
        }))
        .unwrap_err()
        .to_string();
        assert!(err.contains("operations.Put"), "{err}");
        assert!(err.contains("`U` is a union, not a structure"), "{err}");
    }

    #[test]
    fn close_matches_find_typos() {
        let ops = [
            "DeleteVirtualInterface".to_string(),
            "DeleteConnection".to_string(),
            "CreateLag".to_string(),
        ];
        let m = close_matches("DeleteVirtualInterfce", ops.iter());
        assert_eq!(m, vec!["DeleteVirtualInterface".to_string()]);
        assert!(close_matches("Zzz", ops.iter()).is_empty());
    }
}
