//! Endpoint resolution: an interpreter for Smithy endpoint rule sets
//! (`endpoint-rule-set-1.json` in botocore's service data).
//!
//! # Why interpret the rule set at run time
//!
//! The official SDKs compile each service's rule set into code. This runtime instead parses
//! the JSON the model ships (once per service, cached) and evaluates it for each request:
//!
//! - **Exact semantics of the published rules.** The rule set is used as published, so the
//!   endpoint chosen is the one the service team specified, FIPS, dual-stack, custom
//!   endpoints and partition quirks included. There is no translation step that could drift
//!   from the source, and a model refresh changes endpoints without touching any code.
//! - **The official test vectors apply directly.** botocore ships `endpoint-tests-1.json`
//!   for every service; this crate's tests run every case against this interpreter and
//!   the rule set it is given (see `tests/endpoint_rules.rs`).
//! - **One code path for every service.** A new service is just its JSON: the generator
//!   passes the text in [`ServiceMeta::endpoint_rule_set`](crate::service::ServiceMeta),
//!   and no code is generated per rule, which keeps generated crates small and their
//!   compile times short.
//!
//! The cost is a parse the first time a service is used (microseconds to a few
//! milliseconds for the largest rule sets) and a tree walk per request, negligible next to
//! a network round trip.
//!
//! # What is supported
//!
//! Parameters of type `string`, `boolean` and `stringArray` with `builtIn`, `default` and
//! `required`; rules of type `endpoint`, `error` and `tree` (tree rules are terminal, as in
//! the Smithy specification); conditions with `assign`; templates `{Name}`, `{Name#path}`
//! with `{{`/`}}` escapes in every string literal; the functions `isSet`, `not`,
//! `booleanEquals`, `stringEquals`, `getAttr` (paths like `a.b[0]`), `substring`,
//! `uriEncode`, `parseURL`, `isValidHostLabel`, `coalesce`, `ite`, `split`, `aws.partition`,
//! `aws.parseArn` and `aws.isVirtualHostableS3Bucket`. Endpoint `headers` and `properties`
//! (e.g. `authSchemes`) are returned with the URL.
//!
//! `aws.partition` uses botocore's `partitions.json`, embedded in this crate: an explicitly
//! listed region wins (with its overrides), else the first partition whose `regionRegex`
//! matches, else `aws`. The outputs include `implicitGlobalRegion`.
//!
//! A rule set is checked when parsed (known functions, argument counts, every reference
//! bound, well-formed templates and paths), and nothing here panics, whatever the rule set
//! or parameters.

mod functions;
mod partition;
mod regex;
mod rules;

use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

/// A parsed endpoint rule set, ready to [`resolve`](RuleSet::resolve) endpoints.
#[derive(Clone, Debug)]
pub struct RuleSet {
    version: Option<String>,
    params: Vec<rules::ParamDef>,
    rules: Vec<rules::Rule>,
}

impl RuleSet {
    /// Parses and checks an `endpoint-rule-set-1.json` document.
    pub fn parse(json: &str) -> Result<RuleSet, EndpointError> {
        let doc: Value = serde_json::from_str(json).map_err(|e| {
            EndpointError::new(
                EndpointErrorKind::InvalidRuleSet,
                format!("invalid endpoint rule set: not JSON: {e}"),
            )
        })?;
        let (params, rules) = rules::parse_document(&doc)?;
        let version = doc
            .get("version")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(RuleSet {
            version,
            params,
            rules,
        })
    }

    /// The rule set's `version` field, if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The names of the rule set's parameters, in document order.
    pub fn parameter_names(&self) -> impl Iterator<Item = &str> {
        self.params.iter().map(|p| p.name.as_str())
    }

    /// The endpoint for `params`, or the error the rules give for them.
    ///
    /// A rule of type `error` yields [`EndpointErrorKind::Rule`] with the rule's message,
    /// exactly (templates filled in).
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        rules::resolve(&self.params, &self.rules, params)
    }

    /// The parsed rule set for a `'static` JSON text, parsed on first use and cached for the
    /// life of the process (errors too), keyed by the text's address.
    pub(crate) fn cached(json: &'static str) -> Result<Arc<RuleSet>, EndpointError> {
        type Cache = Mutex<HashMap<(usize, usize), Result<Arc<RuleSet>, EndpointError>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let key = (json.as_ptr() as usize, json.len());
        let cache = CACHE.get_or_init(Cache::default);
        if let Some(found) = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
        {
            return found.clone();
        }
        // Parse outside the lock; if two threads race, both results are equal.
        let parsed = RuleSet::parse(json).map(Arc::new);
        cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(key)
            .or_insert(parsed)
            .clone()
    }
}

/// Endpoint rule parameters that come from one call: the operation's `staticContextParams`
/// and the input members marked `contextParam` (S3's `Bucket`, `Key`, …). Generated code fills
/// it ([`OperationInput::endpoint_params`](crate::operation::OperationInput::endpoint_params));
/// they win over the config's settings, static ones over those from members.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContextParams {
    named: Vec<(&'static str, Value)>,
}

impl ContextParams {
    /// Sets the string parameter `name` when `value` is set.
    pub fn string(&mut self, name: &'static str, value: Option<&str>) {
        if let Some(value) = value {
            self.named.push((name, Value::String(value.to_owned())));
        }
    }

    /// Sets the boolean parameter `name` when `value` is set.
    pub fn boolean(&mut self, name: &'static str, value: Option<bool>) {
        if let Some(value) = value {
            self.named.push((name, Value::Bool(value)));
        }
    }

    /// Sets the string-array parameter `name` when `value` is set.
    pub fn strings(&mut self, name: &'static str, value: Option<&[String]>) {
        if let Some(value) = value {
            let items = value.iter().cloned().map(Value::String).collect();
            self.named.push((name, Value::Array(items)));
        }
    }

    /// Sets the parameters of `statics` (an operation's `staticContextParams`).
    pub fn statics(&mut self, statics: &[(&'static str, StaticParam)]) {
        for (name, value) in statics {
            let value = match value {
                StaticParam::Bool(b) => Value::Bool(*b),
                StaticParam::Str(s) => Value::String((*s).to_owned()),
            };
            self.named.push((name, value));
        }
    }

    /// The parameters in the order they were set (a later one wins).
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.named.iter().map(|(name, value)| (*name, value))
    }
}

/// The value of an operation's static endpoint parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaticParam {
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(&'static str),
}

/// The inputs of endpoint resolution.
///
/// The fields feed the parameters with the matching `builtIn` (`AWS::Region`,
/// `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`), whatever their names; `named`
/// sets any parameter by its name (and wins over the built-in fields), for service-specific
/// parameters such as S3's `Bucket`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    /// The region (`AWS::Region`).
    pub region: Option<String>,
    /// Use a FIPS endpoint (`AWS::UseFIPS`).
    pub use_fips: bool,
    /// Use a dual-stack endpoint (`AWS::UseDualStack`).
    pub use_dual_stack: bool,
    /// A custom endpoint URL (`SDK::Endpoint`).
    pub endpoint: Option<String>,
    /// Parameter values by parameter name: strings, booleans, or arrays of strings.
    pub named: BTreeMap<String, Value>,
}

impl Params {
    /// Sets the parameter called `name` (overriding any built-in field that would feed it).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.named.insert(name.into(), value.into());
        self
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Endpoint {
    /// The URL, as the rules give it (e.g. `https://directconnect.us-east-1.amazonaws.com`).
    pub url: String,
    /// Headers to add to the request.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Endpoint properties, e.g. `authSchemes`.
    pub properties: Map<String, Value>,
}

impl Endpoint {
    /// The first `sigv4` entry of the `authSchemes` property, if any: its `signingName` and
    /// `signingRegion` override the service's signing name and the configured region.
    pub fn sigv4_auth_scheme(&self) -> Option<&Map<String, Value>> {
        self.properties
            .get("authSchemes")?
            .as_array()?
            .iter()
            .filter_map(Value::as_object)
            .find(|scheme| scheme.get("name").and_then(Value::as_str) == Some("sigv4"))
    }
}

/// What went wrong in endpoint resolution.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointErrorKind {
    /// The rule set is not valid JSON or not a valid rule set.
    InvalidRuleSet,
    /// A parameter has the wrong type, or a required one is missing.
    InvalidParams,
    /// An `error` rule matched: the message is the rule's.
    Rule,
    /// No rule matched.
    NoMatch,
    /// A value had the wrong type or was unset where a string was needed.
    Evaluation,
}

/// Why no endpoint could be resolved. `Display` prints the message alone, so for
/// [`EndpointErrorKind::Rule`] it is exactly the rule's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    kind: EndpointErrorKind,
    message: String,
}

impl EndpointError {
    pub(crate) fn new(kind: EndpointErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> EndpointErrorKind {
        self.kind
    }

    /// The message (for a rule error, exactly the rule's).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

#[cfg(test)]
mod tests;
