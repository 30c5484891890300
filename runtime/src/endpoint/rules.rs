//! Parsing of `endpoint-rule-set-1.json` into a checked tree, and its evaluation.

use super::functions;
use super::partition::Partitions;
use super::{Endpoint, EndpointError, EndpointErrorKind, Params};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------
// The parsed form
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ParamType {
    String,
    Boolean,
    StringArray,
}

impl ParamType {
    fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::StringArray => "stringArray",
        }
    }

    fn accepts(self, value: &Value) -> bool {
        match self {
            Self::String => value.is_string(),
            Self::Boolean => value.is_boolean(),
            Self::StringArray => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct ParamDef {
    pub(super) name: String,
    pub(super) ty: ParamType,
    pub(super) built_in: Option<String>,
    pub(super) default: Option<Value>,
    pub(super) required: bool,
}

/// One step of a `getAttr` path: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
enum PathPart {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum TemplatePart {
    Literal(String),
    Var { name: String, path: Vec<PathPart> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
    Coalesce,
    Ite,
    Split,
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "isSet" => Self::IsSet,
            "not" => Self::Not,
            "booleanEquals" => Self::BooleanEquals,
            "stringEquals" => Self::StringEquals,
            "getAttr" => Self::GetAttr,
            "substring" => Self::Substring,
            "uriEncode" => Self::UriEncode,
            "parseURL" => Self::ParseUrl,
            "isValidHostLabel" => Self::IsValidHostLabel,
            "aws.partition" => Self::Partition,
            "aws.parseArn" => Self::ParseArn,
            "aws.isVirtualHostableS3Bucket" => Self::IsVirtualHostableS3Bucket,
            "coalesce" => Self::Coalesce,
            "ite" => Self::Ite,
            "split" => Self::Split,
            _ => return None,
        })
    }

    /// Allowed argument counts (min, max).
    fn arity(self) -> (usize, usize) {
        match self {
            Self::IsSet | Self::Not | Self::UriEncode | Self::ParseUrl => (1, 1),
            Self::Partition | Self::ParseArn => (1, 1),
            Self::BooleanEquals | Self::StringEquals | Self::GetAttr => (2, 2),
            Self::IsValidHostLabel | Self::IsVirtualHostableS3Bucket => (2, 2),
            Self::Substring => (4, 4),
            Self::Ite | Self::Split => (3, 3),
            Self::Coalesce => (2, usize::MAX),
        }
    }
}

#[derive(Clone, Debug)]
enum Expr {
    Template(Vec<TemplatePart>),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Ref(String),
    Call(Call),
}

#[derive(Clone, Debug)]
struct Call {
    func: Func,
    args: Vec<Expr>,
    /// The parsed path of a `getAttr` call (its second argument).
    path: Vec<PathPart>,
}

#[derive(Clone, Debug)]
struct Condition {
    call: Call,
    assign: Option<String>,
}

#[derive(Clone, Debug)]
enum Body {
    Endpoint {
        url: Expr,
        headers: Vec<(String, Vec<Expr>)>,
        properties: Vec<(String, Expr)>,
    },
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Clone, Debug)]
pub(super) struct Rule {
    conditions: Vec<Condition>,
    body: Body,
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

fn invalid(at: &str, what: impl std::fmt::Display) -> EndpointError {
    EndpointError::new(
        EndpointErrorKind::InvalidRuleSet,
        format!("invalid endpoint rule set at {at}: {what}"),
    )
}

/// Parses the parameters and rules of a rule set document.
pub(super) fn parse_document(doc: &Value) -> Result<(Vec<ParamDef>, Vec<Rule>), EndpointError> {
    let root = doc
        .as_object()
        .ok_or_else(|| invalid("the root", "expected an object"))?;
    let params = match root.get("parameters") {
        Some(Value::Object(map)) => parse_params(map)?,
        Some(_) => return Err(invalid("parameters", "expected an object")),
        None => Vec::new(),
    };
    let rules = root
        .get("rules")
        .ok_or_else(|| invalid("the root", "missing `rules`"))?;
    let mut scope: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
    let rules = parse_rules(rules, "rules", &mut scope)?;
    Ok((params, rules))
}

fn parse_params(map: &Map<String, Value>) -> Result<Vec<ParamDef>, EndpointError> {
    let mut params = Vec::with_capacity(map.len());
    for (name, def) in map {
        let at = format!("parameters.{name}");
        let def = def
            .as_object()
            .ok_or_else(|| invalid(&at, "expected an object"))?;
        let ty = match def.get("type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
            Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Boolean,
            Some(t) if t.eq_ignore_ascii_case("stringArray") => ParamType::StringArray,
            Some(other) => return Err(invalid(&at, format!("unknown type {other:?}"))),
            None => return Err(invalid(&at, "missing `type`")),
        };
        let default = def.get("default").cloned();
        if let Some(default) = &default
            && !ty.accepts(default)
        {
            return Err(invalid(&at, format!("the default is not a {}", ty.name())));
        }
        let built_in = match def.get("builtIn") {
            None => None,
            Some(Value::String(b)) => Some(b.clone()),
            Some(_) => return Err(invalid(&at, "`builtIn` must be a string")),
        };
        let required = match def.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(invalid(&at, "`required` must be a boolean")),
        };
        params.push(ParamDef {
            name: name.clone(),
            ty,
            built_in,
            default,
            required,
        });
    }
    Ok(params)
}

fn parse_rules(
    value: &Value,
    at: &str,
    scope: &mut Vec<String>,
) -> Result<Vec<Rule>, EndpointError> {
    let list = value
        .as_array()
        .ok_or_else(|| invalid(at, "expected an array of rules"))?;
    list.iter()
        .enumerate()
        .map(|(i, rule)| parse_rule(rule, &format!("{at}[{i}]"), scope))
        .collect()
}

fn parse_rule(value: &Value, at: &str, scope: &mut Vec<String>) -> Result<Rule, EndpointError> {
    let rule = value
        .as_object()
        .ok_or_else(|| invalid(at, "expected a rule object"))?;
    let outer = scope.len();
    let result = parse_rule_in_scope(rule, at, scope);
    // Names assigned by this rule's conditions are visible only inside the rule.
    scope.truncate(outer);
    result
}

fn parse_rule_in_scope(
    rule: &Map<String, Value>,
    at: &str,
    scope: &mut Vec<String>,
) -> Result<Rule, EndpointError> {
    let mut conditions = Vec::new();
    match rule.get("conditions") {
        None => {}
        Some(Value::Array(list)) => {
            for (i, condition) in list.iter().enumerate() {
                let at = format!("{at}.conditions[{i}]");
                let object = condition
                    .as_object()
                    .ok_or_else(|| invalid(&at, "expected a function call"))?;
                if !object.contains_key("fn") {
                    return Err(invalid(&at, "a condition must be a function call"));
                }
                let call = parse_call(object, &at, scope)?;
                let assign = match object.get("assign") {
                    None => None,
                    Some(Value::String(name)) if is_identifier(name) => {
                        scope.push(name.clone());
                        Some(name.clone())
                    }
                    Some(_) => return Err(invalid(&at, "`assign` must be an identifier")),
                };
                conditions.push(Condition { call, assign });
            }
        }
        Some(_) => return Err(invalid(at, "`conditions` must be an array")),
    }
    let body = match rule.get("type").and_then(Value::as_str) {
        Some("endpoint") => {
            let at = format!("{at}.endpoint");
            let endpoint = rule
                .get("endpoint")
                .and_then(Value::as_object)
                .ok_or_else(|| invalid(&at, "missing the endpoint object"))?;
            let url = parse_expr(
                endpoint
                    .get("url")
                    .ok_or_else(|| invalid(&at, "missing `url`"))?,
                &format!("{at}.url"),
                scope,
            )?;
            let mut headers = Vec::new();
            match endpoint.get("headers") {
                None => {}
                Some(Value::Object(map)) => {
                    for (name, values) in map {
                        let at = format!("{at}.headers.{name}");
                        let values = values
                            .as_array()
                            .ok_or_else(|| invalid(&at, "expected an array"))?
                            .iter()
                            .map(|v| parse_expr(v, &at, scope))
                            .collect::<Result<Vec<_>, _>>()?;
                        headers.push((name.clone(), values));
                    }
                }
                Some(_) => return Err(invalid(&at, "`headers` must be an object")),
            }
            let mut properties = Vec::new();
            match endpoint.get("properties") {
                None => {}
                Some(Value::Object(map)) => {
                    for (name, value) in map {
                        let at = format!("{at}.properties.{name}");
                        properties.push((name.clone(), parse_literal(value, &at, scope)?));
                    }
                }
                Some(_) => return Err(invalid(&at, "`properties` must be an object")),
            }
            Body::Endpoint {
                url,
                headers,
                properties,
            }
        }
        Some("error") => Body::Error(parse_expr(
            rule.get("error")
                .ok_or_else(|| invalid(at, "missing `error`"))?,
            &format!("{at}.error"),
            scope,
        )?),
        Some("tree") => Body::Tree(parse_rules(
            rule.get("rules")
                .ok_or_else(|| invalid(at, "missing `rules`"))?,
            &format!("{at}.rules"),
            scope,
        )?),
        Some(other) => return Err(invalid(at, format!("unknown rule type {other:?}"))),
        None => return Err(invalid(at, "missing `type`")),
    };
    Ok(Rule { conditions, body })
}

/// An expression: `{"ref": ..}`, `{"fn": ..}`, or a literal.
fn parse_expr(value: &Value, at: &str, scope: &[String]) -> Result<Expr, EndpointError> {
    if let Value::Object(object) = value {
        if let Some(name) = object.get("ref") {
            let name = name
                .as_str()
                .ok_or_else(|| invalid(at, "`ref` must be a string"))?;
            check_in_scope(name, at, scope)?;
            return Ok(Expr::Ref(name.to_owned()));
        }
        if object.contains_key("fn") {
            return Ok(Expr::Call(parse_call(object, at, scope)?));
        }
    }
    parse_literal(value, at, scope)
}

/// A literal: strings are templates, arrays and objects hold expressions (records).
fn parse_literal(value: &Value, at: &str, scope: &[String]) -> Result<Expr, EndpointError> {
    Ok(match value {
        Value::String(text) => Expr::Template(parse_template(text, at, scope)?),
        Value::Bool(b) => Expr::Bool(*b),
        Value::Number(n) => Expr::Int(
            n.as_i64()
                .ok_or_else(|| invalid(at, format!("{n} is not an integer")))?,
        ),
        Value::Array(items) => Expr::Array(
            items
                .iter()
                .map(|item| parse_expr(item, at, scope))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Expr::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), parse_literal(v, &format!("{at}.{k}"), scope)?)))
                .collect::<Result<_, EndpointError>>()?,
        ),
        Value::Null => return Err(invalid(at, "null is not a valid value")),
    })
}

fn parse_call(
    object: &Map<String, Value>,
    at: &str,
    scope: &[String],
) -> Result<Call, EndpointError> {
    let name = object
        .get("fn")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(at, "`fn` must be a string"))?;
    let func =
        Func::from_name(name).ok_or_else(|| invalid(at, format!("unknown function {name:?}")))?;
    let argv = object
        .get("argv")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid(at, format!("{name}: missing `argv` array")))?;
    let (min, max) = func.arity();
    if argv.len() < min || argv.len() > max {
        return Err(invalid(
            at,
            format!("{name} takes {min} arguments, got {}", argv.len()),
        ));
    }
    if func == Func::GetAttr {
        let target = parse_expr(argv.first().unwrap_or(&Value::Null), at, scope)?;
        let path = argv
            .get(1)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(at, "getAttr: the path must be a string literal"))?;
        let path =
            parse_path(path).ok_or_else(|| invalid(at, format!("getAttr: bad path {path:?}")))?;
        return Ok(Call {
            func,
            args: vec![target],
            path,
        });
    }
    let args = argv
        .iter()
        .map(|arg| parse_expr(arg, at, scope))
        .collect::<Result<_, _>>()?;
    Ok(Call {
        func,
        args,
        path: Vec::new(),
    })
}

fn check_in_scope(name: &str, at: &str, scope: &[String]) -> Result<(), EndpointError> {
    if scope.iter().any(|s| s == name) {
        Ok(())
    } else {
        Err(invalid(at, format!("reference to undefined name {name:?}")))
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses `key`, `key[1]`, `a.b[0].c`, `[2]`.
fn parse_path(path: &str) -> Option<Vec<PathPart>> {
    let mut parts = Vec::new();
    for segment in path.split('.') {
        let (name, mut rest) = match segment.find('[') {
            Some(at) => (segment.get(..at)?, segment.get(at..)?),
            None => (segment, ""),
        };
        if !name.is_empty() {
            if name.contains(']') {
                return None;
            }
            parts.push(PathPart::Key(name.to_owned()));
        } else if rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let inner = rest.strip_prefix('[')?;
            let close = inner.find(']')?;
            let digits = inner.get(..close)?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            parts.push(PathPart::Index(digits.parse().ok()?));
            rest = inner.get(close + 1..)?;
        }
    }
    Some(parts)
}

/// Parses a template string: `{Name}` and `{Name#path}` insert values, `{{` and `}}` are
/// literal braces, and a lone `}` is kept as is.
fn parse_template(
    text: &str,
    at: &str,
    scope: &[String],
) -> Result<Vec<TemplatePart>, EndpointError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{{") {
            literal.push('{');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("}}") {
            literal.push('}');
            rest = after;
        } else if c == '{' {
            let inner = rest.get(1..).unwrap_or_default();
            let close = inner
                .find('}')
                .ok_or_else(|| invalid(at, format!("unclosed `{{` in template {text:?}")))?;
            let content = inner.get(..close).unwrap_or_default();
            let (name, path) = match content.split_once('#') {
                Some((name, path)) => (
                    name,
                    parse_path(path).ok_or_else(|| {
                        invalid(at, format!("bad path {path:?} in template {text:?}"))
                    })?,
                ),
                None => (content, Vec::new()),
            };
            if !is_identifier(name) {
                return Err(invalid(
                    at,
                    format!("bad name {name:?} in template {text:?}"),
                ));
            }
            check_in_scope(name, at, scope)?;
            if !literal.is_empty() {
                parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(TemplatePart::Var {
                name: name.to_owned(),
                path,
            });
            rest = inner.get(close + 1..).unwrap_or_default();
        } else {
            literal.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Ok(parts)
}

// ---------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------

/// Bound names: parameters, then the values assigned by conditions, innermost last.
struct Scope {
    bindings: Vec<(String, Value)>,
}

impl Scope {
    fn get(&self, name: &str) -> Option<&Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

fn eval_error(message: impl Into<String>) -> EndpointError {
    EndpointError::new(EndpointErrorKind::Evaluation, message)
}

/// Binds the parameters: an explicit value by name, else the built-in's value, else the
/// default; checks types and required parameters.
fn bind_params(defs: &[ParamDef], params: &Params) -> Result<Scope, EndpointError> {
    let mut bindings = Vec::with_capacity(defs.len());
    for def in defs {
        let value = match params.named.get(&def.name) {
            Some(value) => Some(value.clone()),
            None => match def.built_in.as_deref() {
                Some("AWS::Region") => params.region.clone().map(Value::String),
                Some("AWS::UseFIPS") => Some(Value::Bool(params.use_fips)),
                Some("AWS::UseDualStack") => Some(Value::Bool(params.use_dual_stack)),
                Some("SDK::Endpoint") => params.endpoint.clone().map(Value::String),
                _ => None,
            },
        };
        let value = value.or_else(|| def.default.clone());
        match value {
            Some(value) if def.ty.accepts(&value) => bindings.push((def.name.clone(), value)),
            Some(_) => {
                return Err(EndpointError::new(
                    EndpointErrorKind::InvalidParams,
                    format!(
                        "endpoint parameter `{}` must be a {}",
                        def.name,
                        def.ty.name()
                    ),
                ));
            }
            None if def.required => {
                return Err(EndpointError::new(
                    EndpointErrorKind::InvalidParams,
                    format!("missing required endpoint parameter `{}`", def.name),
                ));
            }
            None => {}
        }
    }
    Ok(Scope { bindings })
}

const NO_TREE_MATCH: &str =
    "no rule of a tree rule matched these parameters: the endpoint rule set is invalid";
const NO_MATCH: &str = "no endpoint rule matched these parameters";

pub(super) fn resolve(
    defs: &[ParamDef],
    rules: &[Rule],
    params: &Params,
) -> Result<Endpoint, EndpointError> {
    let mut scope = bind_params(defs, params)?;
    match eval_rules(rules, &mut scope)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(EndpointError::new(EndpointErrorKind::NoMatch, NO_MATCH)),
    }
}

/// Evaluates rules in order; the first whose conditions hold decides. `Ok(None)` if none
/// matched.
fn eval_rules(rules: &[Rule], scope: &mut Scope) -> Result<Option<Endpoint>, EndpointError> {
    for rule in rules {
        let outer = scope.bindings.len();
        let result = eval_rule(rule, scope);
        scope.bindings.truncate(outer);
        if let Some(result) = result.transpose() {
            return result.map(Some);
        }
    }
    Ok(None)
}

fn eval_rule(rule: &Rule, scope: &mut Scope) -> Result<Option<Endpoint>, EndpointError> {
    for condition in &rule.conditions {
        let value = eval_call(&condition.call, scope)?;
        let holds = match &value {
            None | Some(Value::Bool(false)) => false,
            Some(_) => true,
        };
        if !holds {
            return Ok(None);
        }
        if let (Some(name), Some(value)) = (&condition.assign, value) {
            scope.bindings.push((name.clone(), value));
        }
    }
    match &rule.body {
        Body::Error(message) => Err(EndpointError::new(
            EndpointErrorKind::Rule,
            eval_string(message, scope, "error message")?,
        )),
        Body::Endpoint {
            url,
            headers,
            properties,
        } => {
            let url = eval_string(url, scope, "endpoint URL")?;
            let mut out_headers = BTreeMap::new();
            for (name, values) in headers {
                let values = values
                    .iter()
                    .map(|v| eval_string(v, scope, "header value"))
                    .collect::<Result<Vec<_>, _>>()?;
                out_headers.insert(name.clone(), values);
            }
            let mut out_properties = Map::new();
            for (name, value) in properties {
                let value = eval(value, scope)?
                    .ok_or_else(|| eval_error(format!("endpoint property `{name}` is unset")))?;
                out_properties.insert(name.clone(), value);
            }
            Ok(Some(Endpoint {
                url,
                headers: out_headers,
                properties: out_properties,
            }))
        }
        // Tree rules are terminal: once their conditions hold, one of their rules must decide.
        Body::Tree(rules) => match eval_rules(rules, scope)? {
            Some(endpoint) => Ok(Some(endpoint)),
            None => Err(EndpointError::new(
                EndpointErrorKind::NoMatch,
                NO_TREE_MATCH,
            )),
        },
    }
}

fn eval_string(expr: &Expr, scope: &Scope, what: &str) -> Result<String, EndpointError> {
    match eval(expr, scope)? {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(eval_error(format!("the {what} is not a string"))),
        None => Err(eval_error(format!("the {what} is unset"))),
    }
}

fn eval(expr: &Expr, scope: &Scope) -> Result<Option<Value>, EndpointError> {
    Ok(match expr {
        Expr::Template(parts) => Some(Value::String(eval_template(parts, scope)?)),
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Int(n) => Some(Value::from(*n)),
        Expr::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(
                    eval(item, scope)?.ok_or_else(|| eval_error("an array element is unset"))?,
                );
            }
            Some(Value::Array(out))
        }
        Expr::Object(fields) => {
            let mut out = Map::new();
            for (key, value) in fields {
                let value = eval(value, scope)?
                    .ok_or_else(|| eval_error(format!("the record field `{key}` is unset")))?;
                out.insert(key.clone(), value);
            }
            Some(Value::Object(out))
        }
        Expr::Ref(name) => scope.get(name).cloned(),
        Expr::Call(call) => eval_call(call, scope)?,
    })
}

fn eval_template(parts: &[TemplatePart], scope: &Scope) -> Result<String, EndpointError> {
    let mut out = String::new();
    for part in parts {
        match part {
            TemplatePart::Literal(text) => out.push_str(text),
            TemplatePart::Var { name, path } => {
                let value = scope.get(name).and_then(|v| get_attr(v, path));
                match value {
                    Some(Value::String(s)) => out.push_str(s),
                    Some(_) => {
                        return Err(eval_error(format!(
                            "template value `{name}` is not a string"
                        )));
                    }
                    None => return Err(eval_error(format!("template value `{name}` is unset"))),
                }
            }
        }
    }
    Ok(out)
}

fn get_attr<'v>(value: &'v Value, path: &[PathPart]) -> Option<&'v Value> {
    path.iter().try_fold(value, |current, part| match part {
        PathPart::Key(key) => current.as_object()?.get(key),
        PathPart::Index(index) => current.as_array()?.get(*index),
    })
}

fn eval_call(call: &Call, scope: &Scope) -> Result<Option<Value>, EndpointError> {
    let mut args = Vec::with_capacity(call.args.len());
    for arg in &call.args {
        args.push(eval(arg, scope)?);
    }
    let arg = |i: usize| args.get(i).and_then(Option::as_ref);
    let string = |i: usize| arg(i).and_then(Value::as_str);
    let boolean = |i: usize| arg(i).and_then(Value::as_bool);
    let int = |i: usize| arg(i).and_then(Value::as_i64);
    Ok(match call.func {
        Func::IsSet => Some(Value::Bool(arg(0).is_some())),
        Func::Not => Some(Value::Bool(!boolean(0).unwrap_or(false))),
        Func::BooleanEquals => Some(Value::Bool(matches!(
            (boolean(0), boolean(1)),
            (Some(a), Some(b)) if a == b
        ))),
        Func::StringEquals => Some(Value::Bool(matches!(
            (string(0), string(1)),
            (Some(a), Some(b)) if a == b
        ))),
        Func::GetAttr => arg(0).and_then(|v| get_attr(v, &call.path)).cloned(),
        Func::Substring => match (string(0), int(1), int(2), boolean(3)) {
            (Some(input), Some(start), Some(stop), Some(reverse)) => {
                functions::substring(input, start, stop, reverse).map(Value::String)
            }
            _ => None,
        },
        Func::UriEncode => string(0).map(|s| Value::String(functions::uri_encode(s))),
        Func::ParseUrl => string(0).and_then(functions::parse_url),
        Func::IsValidHostLabel => Some(Value::Bool(match (string(0), boolean(1)) {
            (Some(value), Some(subdomains)) => functions::is_valid_host_label(value, subdomains),
            _ => false,
        })),
        Func::IsVirtualHostableS3Bucket => Some(Value::Bool(match (string(0), boolean(1)) {
            (Some(value), Some(subdomains)) => {
                functions::is_virtual_hostable_s3_bucket(value, subdomains)
            }
            _ => false,
        })),
        Func::ParseArn => string(0).and_then(functions::parse_arn),
        Func::Partition => match string(0) {
            Some(region) => {
                let partitions = Partitions::embedded().map_err(eval_error)?;
                partitions.resolve(region).map(Value::Object)
            }
            None => None,
        },
        Func::Coalesce => args.iter().flatten().next().cloned(),
        Func::Ite => {
            if boolean(0).unwrap_or(false) {
                arg(1).cloned()
            } else {
                arg(2).cloned()
            }
        }
        Func::Split => match (string(0), string(1), int(2)) {
            (Some(value), Some(delimiter), Some(limit)) if !delimiter.is_empty() && limit >= 0 => {
                let parts: Vec<Value> = if limit == 0 {
                    value.split(delimiter).map(Value::from).collect()
                } else {
                    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
                    value.splitn(limit, delimiter).map(Value::from).collect()
                };
                Some(Value::Array(parts))
            }
            _ => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        use PathPart::{Index, Key};
        assert_eq!(parse_path("name"), Some(vec![Key("name".into())]));
        assert_eq!(
            parse_path("resourceId[0]"),
            Some(vec![Key("resourceId".into()), Index(0)])
        );
        assert_eq!(
            parse_path("a.b[2][10].c"),
            Some(vec![
                Key("a".into()),
                Key("b".into()),
                Index(2),
                Index(10),
                Key("c".into())
            ])
        );
        assert_eq!(parse_path("[3]"), Some(vec![Index(3)]));
        for bad in [
            "",
            "a.",
            ".a",
            "a[",
            "a[]",
            "a[-1]",
            "a[x]",
            "a]b",
            "a[1]b",
            "a[99999999999999999999999]",
        ] {
            assert_eq!(parse_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn templates() {
        let scope = vec!["Region".to_owned(), "url".to_owned()];
        let parsed =
            parse_template("https://{Region}.{url#a.b[1]}/{{x}}}", "t", &scope).expect("parses");
        assert_eq!(
            parsed,
            vec![
                TemplatePart::Literal("https://".into()),
                TemplatePart::Var {
                    name: "Region".into(),
                    path: vec![]
                },
                TemplatePart::Literal(".".into()),
                TemplatePart::Var {
                    name: "url".into(),
                    path: vec![
                        PathPart::Key("a".into()),
                        PathPart::Key("b".into()),
                        PathPart::Index(1)
                    ]
                },
                TemplatePart::Literal("/{x}}".into()),
            ]
        );
        assert_eq!(
            parse_template("", "t", &scope).expect("parses"),
            vec![TemplatePart::Literal(String::new())]
        );
        assert_eq!(
            parse_template("é{Region}ü", "t", &scope)
                .expect("parses")
                .len(),
            3
        );
        for bad in [
            "{Region",
            "{}",
            "{Other}",
            "{Region#}",
            "{Region#a[}",
            "{1abc}",
            "{ Region}",
        ] {
            assert!(parse_template(bad, "t", &scope).is_err(), "{bad:?}");
        }
    }
}
