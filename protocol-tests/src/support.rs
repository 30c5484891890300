//! What the generated cases call: client set-up, canned responses, and checks that collect
//! every mismatch (with its path) instead of stopping at the first.

use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::config::{Config, Credentials, Protocol, Region};
use aws_lite_runtime::error::DisplayErrorContext;
use aws_lite_runtime::testing::RecordedRequest;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

/// What a case returns: `Err` lists every mismatch.
pub type CaseFuture = Pin<Box<dyn Future<Output = Result<(), String>>>>;

/// One case of a vector file.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// The suite's description.
    pub suite: &'static str,
    /// The case id.
    pub id: &'static str,
    /// The generated test; `None` when botocore's ignore list skips the case.
    pub run: Option<fn() -> CaseFuture>,
}

/// One vector file and its cases.
#[derive(Clone, Copy, Debug)]
pub struct SuiteFile {
    /// `json input`, `smithy-rpc-v2-cbor output`, ...
    pub name: &'static str,
    /// Every case, in file order.
    pub cases: &'static [Case],
}

/// A config sending through `http` to `endpoint` with fixed region and credentials, and no
/// retries (a case checks one response, as botocore's runner does).
pub fn config(http: &CaptureClient, endpoint: &str, protocol: Protocol) -> Config {
    Config::builder()
        .retry_config(RetryConfig::disabled())
        .region(Region::from_static("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKID",
            "SECRET",
            None,
            None,
            "protocol-tests",
        ))
        .endpoint_url(endpoint)
        .http_client(http.clone())
        .protocol(protocol)
        .build()
}

/// An empty awsJson success response (input cases do not look at it).
pub fn json_ok() -> CannedResponse {
    CannedResponse::json(200, "{}")
}

/// An empty RPC v2 CBOR success response (`{}` as an indefinite-length map).
pub fn cbor_ok() -> CannedResponse {
    CannedResponse::new(200, vec![0xbf, 0xff])
        .header("content-type", "application/cbor")
        .header("smithy-protocol", "rpc-v2-cbor")
}

/// An empty query or ec2 success response (input cases do not look at it).
pub fn xml_ok() -> CannedResponse {
    CannedResponse::new(200, b"<Response/>".to_vec()).header("content-type", "text/xml")
}

/// The response of an output case.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> CannedResponse {
    headers
        .iter()
        .fold(CannedResponse::new(status, body.to_vec()), |r, (k, v)| {
            r.header(*k, *v)
        })
}

/// An error with its whole cause chain.
pub fn describe<E: std::error::Error>(err: &E) -> String {
    DisplayErrorContext(err).to_string()
}

/// The one request the client sent; when there is none, why (the call's error).
pub fn one_request(
    http: &CaptureClient,
    failure: Option<String>,
) -> Result<RecordedRequest, String> {
    let mut requests = http.requests();
    match (requests.len(), failure) {
        (1, _) => Ok(requests.remove(0)),
        (0, Some(failure)) => Err(format!("no request was sent: {failure}")),
        (n, _) => Err(format!("expected one request, {n} were sent")),
    }
}

/// The expected body of a request.
#[derive(Clone, Copy, Debug)]
pub enum ExpectedBody {
    /// The vector does not give one.
    Unchecked,
    /// No body at all.
    Empty,
    /// A JSON document, compared structurally.
    Json(&'static str),
    /// Bytes compared as they are: a rest-json body that is not JSON (a blob or string
    /// payload), as botocore's runner compares it.
    Raw(&'static [u8]),
    /// A CBOR data item, compared structurally (definite and indefinite lengths, integer and
    /// float widths do not matter; tags do).
    Cbor(&'static [u8]),
    /// A form body (`application/x-www-form-urlencoded`), compared as its decoded
    /// `key=value` pairs in any order.
    Form(&'static str),
    /// An XML document, compared as botocore's runner compares rest-xml bodies (canonical
    /// XML, whitespace around text stripped; bytes when the vector's body is not XML), except
    /// that elements named in `unordered` (map entries) may come in any order among their
    /// same-named siblings: maps have no order in the model.
    Xml {
        /// The vector's document.
        text: &'static str,
        /// Names of map-entry elements.
        unordered: &'static [&'static str],
    },
}

/// A canonical XML element: qualified name, attributes (namespace declarations included)
/// sorted, text with surrounding whitespace stripped, children.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct XmlNode {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<XmlNode>,
}

impl XmlNode {
    /// Sorts the children named in `unordered` among themselves (their positions as a group
    /// are kept), recursively.
    fn sort_unordered(&mut self, unordered: &[&str]) {
        for child in &mut self.children {
            child.sort_unordered(unordered);
        }
        for name in unordered {
            let positions: Vec<usize> = (0..self.children.len())
                .filter(|&i| self.children[i].name == *name)
                .collect();
            let mut group: Vec<XmlNode> = positions
                .iter()
                .map(|&i| self.children[i].clone())
                .collect();
            group.sort();
            for (i, node) in positions.into_iter().zip(group) {
                self.children[i] = node;
            }
        }
    }
}

/// Parses an XML document into its canonical tree (see [`XmlNode`]).
pub fn canonical_xml(text: &[u8]) -> Result<XmlNode, String> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(text).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<XmlNode> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(start) => {
                let name = start.name().into_inner().to_string();
                let mut attributes = Vec::new();
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| format!("bad attribute value: {e}"))?;
                    attributes.push((attr.key.into_inner().to_string(), value.into_owned()));
                }
                attributes.sort();
                stack.push(XmlNode {
                    name,
                    attributes,
                    text: String::new(),
                    children: Vec::new(),
                });
            }
            Event::End(_) => {
                let mut node = stack.pop().ok_or("unbalanced end tag")?;
                node.text = node.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) => {
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .ok_or_else(|| format!("unknown entity &{};", &*r))?
                        .to_string(),
                };
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("the document ends inside an element".into());
    }
    root.ok_or_else(|| "no root element".to_string())
}

/// The decoded `key=value` pairs of a form body (`+` is a space), sorted; an error names a
/// pair that does not decode.
pub fn form_pairs(body: &str) -> Result<Vec<(String, String)>, String> {
    fn decode(part: &str) -> Result<String, String> {
        let bytes = part.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = part
                        .get(i + 1..i + 3)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or_else(|| format!("bad percent escape in {part:?}"))?;
                    out.push(hex);
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).map_err(|_| format!("{part:?} is not UTF-8 once decoded"))
    }
    let mut pairs = Vec::new();
    for pair in body.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.push((decode(k)?, decode(v)?));
    }
    pairs.sort();
    Ok(pairs)
}

/// What an input case expects on the wire.
#[derive(Clone, Copy, Debug)]
pub struct ExpectedRequest {
    /// HTTP method.
    pub method: &'static str,
    /// Path (and query) of the URL.
    pub uri: &'static str,
    /// The URL's host (and port), when the vector checks it.
    pub host: Option<&'static str>,
    /// Headers that must be present with these values (names case-insensitive).
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers that must be absent.
    pub forbid_headers: &'static [&'static str],
    /// Headers that must be present, whatever their value.
    pub require_headers: &'static [&'static str],
    /// The body.
    pub body: ExpectedBody,
}

/// Splits an absolute URL into authority and path (with query); the path is `/` when empty.
fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}

fn header_values<'r>(request: &'r RecordedRequest, name: &str) -> Vec<&'r str> {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Checks method, URI, host, headers and body of `request`.
pub fn check_request(c: &mut Checker, request: &RecordedRequest, expected: &ExpectedRequest) {
    c.eq("method", request.method.as_str(), expected.method);
    let (authority, path) = split_url(&request.uri);
    c.eq("uri", path, expected.uri);
    if let Some(host) = expected.host {
        c.eq("host", authority, host);
    }
    if let [host] = header_values(request, "host")[..] {
        c.eq("host header", host, authority);
    }
    for (name, value) in expected.headers {
        match header_values(request, name)[..] {
            [] => c.fail(format!("header {name}: missing (expected {value:?})")),
            [actual] => c.eq(&format!("header {name}"), actual, value),
            ref several => c.fail(format!(
                "header {name}: sent {} times: {several:?}",
                several.len()
            )),
        }
    }
    for name in expected.forbid_headers {
        let found = header_values(request, name);
        if !found.is_empty() {
            c.fail(format!(
                "header {name}: must be absent, was sent as {found:?}"
            ));
        }
    }
    for name in expected.require_headers {
        if header_values(request, name).is_empty() {
            c.fail(format!("header {name}: required, but missing"));
        }
    }
    match expected.body {
        ExpectedBody::Unchecked => {}
        ExpectedBody::Empty => c.bytes("body", &request.body, b""),
        ExpectedBody::Raw(bytes) => c.bytes("body", &request.body, bytes),
        ExpectedBody::Json(text) => {
            let expected: serde_json::Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => return c.fail(format!("body: the vector's JSON does not parse: {e}")),
            };
            match serde_json::from_slice::<serde_json::Value>(&request.body) {
                Ok(actual) if json_same(&actual, &expected) => {}
                Ok(actual) => c.fail(format!("body: sent {actual}, expected {expected}")),
                Err(e) => c.fail(format!(
                    "body: not JSON ({e}): {:?}",
                    String::from_utf8_lossy(&request.body)
                )),
            }
        }
        ExpectedBody::Form(text) => {
            let expected = match form_pairs(text) {
                Ok(pairs) => pairs,
                Err(e) => return c.fail(format!("body: the vector's form does not decode: {e}")),
            };
            let sent = String::from_utf8_lossy(&request.body);
            match form_pairs(&sent) {
                Ok(actual) if actual == expected => {}
                Ok(actual) => c.fail(format!(
                    "body: sent the pairs {actual:?}, expected {expected:?} (sent {sent:?})"
                )),
                Err(e) => c.fail(format!("body: not a form ({e}): {sent:?}")),
            }
        }
        ExpectedBody::Xml { text, unordered } => match canonical_xml(text.as_bytes()) {
            // As botocore's runner: a vector body that is not XML is compared as bytes.
            Err(_) => c.bytes("body", &request.body, text.as_bytes()),
            Ok(mut expected) => match canonical_xml(&request.body) {
                Ok(mut actual) => {
                    expected.sort_unordered(unordered);
                    actual.sort_unordered(unordered);
                    if actual != expected {
                        c.fail(format!(
                            "body: sent {:?}, expected {text:?}",
                            String::from_utf8_lossy(&request.body)
                        ));
                    }
                }
                Err(e) => c.fail(format!(
                    "body: not XML ({e}): {:?}",
                    String::from_utf8_lossy(&request.body)
                )),
            },
        },
        ExpectedBody::Cbor(bytes) => {
            let expected: ciborium::Value = match ciborium::de::from_reader(bytes) {
                Ok(v) => v,
                Err(e) => return c.fail(format!("body: the vector's CBOR does not decode: {e}")),
            };
            match ciborium::de::from_reader::<ciborium::Value, _>(&request.body[..]) {
                Ok(actual) if cbor_same(&actual, &expected) => {}
                Ok(actual) => c.fail(format!("body: sent {actual:?}, expected {expected:?}")),
                Err(e) => c.fail(format!("body: not CBOR ({e}): {:02x?}", request.body)),
            }
        }
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub fn json_same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_same(v, w)))
        }
        _ => a == b,
    }
}

/// CBOR data-item equality as botocore's test runner decodes items: numbers compare by value
/// whatever their encoding (NaN equals NaN), maps whatever their order and length encoding.
pub fn cbor_same(a: &ciborium::Value, b: &ciborium::Value) -> bool {
    use ciborium::Value;
    let float = |v: &Value| match v {
        Value::Float(f) => Some(*f),
        Value::Integer(i) => Some(i128::from(*i) as f64),
        _ => None,
    };
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x == y,
        (Value::Float(_), _) | (_, Value::Float(_)) => match (float(a), float(b)) {
            (Some(x), Some(y)) => x == y || (x.is_nan() && y.is_nan()),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| cbor_same(x, y))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .any(|(k2, v2)| cbor_same(k, k2) && cbor_same(v, v2))
                })
        }
        (Value::Tag(t, x), Value::Tag(u, y)) => t == u && cbor_same(x, y),
        _ => a == b,
    }
}

/// Collects mismatches; [`finish`](Self::finish) reports them all.
#[derive(Debug, Default)]
pub struct Checker {
    failures: Vec<String>,
}

impl Checker {
    /// Records a failure.
    pub fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    /// `actual == expected`.
    pub fn eq<T: PartialEq + Debug + ?Sized>(&mut self, path: &str, actual: &T, expected: &T) {
        if actual != expected {
            self.fail(format!("{path}: got {actual:?}, expected {expected:?}"));
        }
    }

    /// Floats: equal, or both NaN.
    pub fn float(&mut self, path: &str, actual: f64, expected: f64) {
        let same = actual == expected || (actual.is_nan() && expected.is_nan());
        if !same {
            self.fail(format!("{path}: got {actual:?}, expected {expected:?}"));
        }
    }

    /// Bytes, shown as text when they are UTF-8.
    pub fn bytes(&mut self, path: &str, actual: &[u8], expected: &[u8]) {
        if actual != expected {
            self.fail(format!(
                "{path}: got {:?}, expected {:?}",
                String::from_utf8_lossy(actual),
                String::from_utf8_lossy(expected)
            ));
        }
    }

    /// A document against the vector's JSON.
    pub fn json(&mut self, path: &str, actual: &serde_json::Value, expected: &str) {
        match serde_json::from_str::<serde_json::Value>(expected) {
            Ok(expected) if json_same(actual, &expected) => {}
            Ok(expected) => self.fail(format!("{path}: got {actual}, expected {expected}")),
            Err(e) => self.fail(format!("{path}: the vector's JSON does not parse: {e}")),
        }
    }

    /// Length of a list or map.
    pub fn len(&mut self, path: &str, actual: usize, expected: usize) {
        if actual != expected {
            self.fail(format!("{path}: {actual} entries, expected {expected}"));
        }
    }

    /// A value the vector has is missing.
    pub fn missing(&mut self, path: &str) {
        self.fail(format!("{path}: missing"));
    }

    /// A member the vector does not have must be unset.
    pub fn absent<T: Debug>(&mut self, path: &str, actual: &Option<T>) {
        if let Some(value) = actual {
            self.fail(format!("{path}: expected no value, got {value:?}"));
        }
    }

    /// No error message (botocore expects an empty one).
    pub fn no_message(&mut self, message: Option<&str>) {
        if let Some(message) = message.filter(|m| !m.is_empty()) {
            self.fail(format!("error message: expected none, got {message:?}"));
        }
    }

    /// `Ok` when nothing failed, else every failure, one per line.
    pub fn finish(self) -> Result<(), String> {
        if self.failures.is_empty() {
            Ok(())
        } else {
            Err(self.failures.join("\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_split() {
        assert_eq!(split_url("https://example.com/"), ("example.com", "/"));
        assert_eq!(split_url("https://example.com"), ("example.com", "/"));
        assert_eq!(
            split_url("http://foo.example.com:81/custom/?a=b"),
            ("foo.example.com:81", "/custom/?a=b")
        );
    }

    #[test]
    fn form_pairs_decode_and_sort() {
        assert_eq!(
            form_pairs("b=x+y%3D&a=&c").unwrap(),
            [
                ("a".to_string(), String::new()),
                ("b".to_string(), "x y=".to_string()),
                ("c".to_string(), String::new())
            ]
        );
        assert!(form_pairs("a=%zz").is_err());
    }

    #[test]
    fn xml_compares_canonically_with_unordered_map_entries() {
        let a = canonical_xml(
            br#"<m xmlns="urn:x" b="2" a="1">
                <entry><key>foo</key><value> x </value></entry>
                <entry><key>baz</key><value>y</value></entry><z/></m>"#,
        )
        .unwrap();
        let b = canonical_xml(
            br#"<m a="1" b="2" xmlns="urn:x"><entry><key>baz</key><value>y</value></entry><entry><key>foo</key><value>x</value></entry><z></z></m>"#,
        )
        .unwrap();
        assert_ne!(a, b, "entries in another order differ canonically");
        let (mut a2, mut b2) = (a.clone(), b.clone());
        a2.sort_unordered(&["entry"]);
        b2.sort_unordered(&["entry"]);
        assert_eq!(a2, b2);
        // A list's order still matters, and text too.
        let list1 = canonical_xml(b"<l><member>1</member><member>2</member></l>").unwrap();
        let list2 = canonical_xml(b"<l><member>2</member><member>1</member></l>").unwrap();
        assert_ne!(list1, list2);
        assert!(canonical_xml(b"<a><b></a>").is_err());
    }

    #[test]
    fn xml_bodies_that_differ_fail_the_check() {
        let request = |body: &str| RecordedRequest {
            method: "PUT".into(),
            uri: "https://example.com/".into(),
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        };
        let expected = |text: &'static str| ExpectedRequest {
            method: "PUT",
            uri: "/",
            host: None,
            headers: &[],
            forbid_headers: &[],
            require_headers: &[],
            body: ExpectedBody::Xml {
                text,
                unordered: &["entry"],
            },
        };
        let check = |body: &str, text: &'static str| {
            let mut c = Checker::default();
            check_request(&mut c, &request(body), &expected(text));
            c.finish()
        };
        assert!(check("<a><b>1</b></a>", "<a>\n  <b>1</b>\n</a>").is_ok());
        assert!(check("<a><b>2</b></a>", "<a><b>1</b></a>").is_err());
        assert!(check("<a><c>1</c></a>", "<a><b>1</b></a>").is_err());
        assert!(
            check(
                "<a xmlns=\"urn:y\"><b>1</b></a>",
                "<a xmlns=\"urn:x\"><b>1</b></a>"
            )
            .is_err()
        );
        assert!(check("not xml", "<a/>").is_err());
        // A vector body that is not XML is compared as bytes.
        assert!(check("raw", "raw").is_ok());
    }

    #[test]
    fn json_numbers_compare_by_value() {
        let a: serde_json::Value = serde_json::from_str(r#"{"a":[1,2.5],"b":{"c":1}}"#).unwrap();
        let b: serde_json::Value =
            serde_json::from_str(r#"{"b":{"c":1.0},"a":[1.0,2.5]}"#).unwrap();
        assert!(json_same(&a, &b));
        let c: serde_json::Value = serde_json::from_str(r#"{"b":{"c":2},"a":[1,2.5]}"#).unwrap();
        assert!(!json_same(&a, &c));
    }

    #[test]
    fn cbor_lengths_and_widths_do_not_matter() {
        // {_ "a": 1.5 (half), "b": [_ 1]} against {"b": [1], "a": 1.5 (double)}.
        let indefinite = [
            0xbf, 0x61, b'a', 0xf9, 0x3e, 0x00, 0x61, b'b', 0x9f, 0x01, 0xff, 0xff,
        ];
        let definite = [
            0xa2, 0x61, b'b', 0x81, 0x01, 0x61, b'a', 0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0,
        ];
        let a: ciborium::Value = ciborium::de::from_reader(&indefinite[..]).unwrap();
        let b: ciborium::Value = ciborium::de::from_reader(&definite[..]).unwrap();
        assert!(cbor_same(&a, &b));
        let other = [0xa1, 0x61, b'a', 0x02];
        let c: ciborium::Value = ciborium::de::from_reader(&other[..]).unwrap();
        assert!(!cbor_same(&a, &c));
    }
}
