//! The runtime's SigV4 signer against the AWS signing test suite (header signing), as
//! shipped inside the `aws-sigv4` 1.6.4 crate and copied to
//! `tests/data/aws-signing-test-suite/` (provenance in its README).
//!
//! For each case the request in `request.txt` is signed with the case's credentials, region,
//! service and time (`context.json`), and the canonical request, the string to sign, the
//! signature and the signed request's headers must equal the case's files exactly.
//!
//! How cases are run:
//!
//! - `context.json` with `"sign_body": true` (two `post-x-www-form-urlencoded*` cases): that
//!   option adds an `x-amz-content-sha256` header holding the body hash before signing, which
//!   the runtime never does (no service it speaks needs it); the test adds that header to the
//!   request itself, so the rest of the case (canonical headers, body hash, signature) runs
//!   unchanged.
//! - `get-header-value-multiline` has folded header lines (obsolete in RFC 7230); the test
//!   unfolds them as RFC 7230 §3.2.4 says (each fold becomes a space) before signing.
//! - Request targets are sent as an HTTP client sends them: bytes not allowed in a request
//!   target (non-ASCII, space) percent-encoded (`get-vanilla-utf8-query`).
//! - The two cases without `context.json`, added to the suite by the smithy-rs authors, take
//!   the access key, date, region and service from their signed request's `Authorization`
//!   and `X-Amz-Date` headers and the secret key of that access key: the suite's
//!   `AKIDEXAMPLE` key, or `ANOTREAL` (aws-credential-types' `Credentials::for_tests()`).
//!   `double-encode-path`'s canonical request was recorded at another time
//!   (20210511T154045Z, its `x-amz-date` line) than its signed request (20150830T123600Z):
//!   each is checked at its own time.
//!
//! Skipped (each needs an option that aws-sigv4's default settings, which the runtime
//! implements, do not use):
//!
//! - `"normalize": false` (7 `*-unnormalized` cases): path normalisation off, an S3 setting;
//! - `"omit_session_token": true` (`post-sts-header-after`): the session token added after
//!   signing instead of signed;
//! - `get-space-normalized` and `get-utf8`: they expect the path percent-encoded once, from
//!   a raw space or raw UTF-8; SigV4 outside S3 encodes the already-encoded request path a
//!   second time (what `double-url-encode` and `double-encode-path` check), as aws-sigv4's
//!   default does (its own suite run skips these two as well).

use aws_lite_runtime::config::Credentials;
use aws_lite_runtime::http::HttpRequest;
use aws_lite_runtime::sigv4::sign;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The secret key of each access key the suite uses.
const SECRETS: [(&str, &str); 2] = [
    ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
    ("ANOTREAL", "notrealrnrELgWzOk3IfjzDKtFBhDby"),
];

/// Cases skipped by name (the rest of the skips follow from `context.json`).
const SKIP_SINGLE_ENCODING: [&str; 2] = ["get-space-normalized", "get-utf8"];

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/aws-signing-test-suite/v4")
}

/// A file of the case, line endings normalised and trailing newlines dropped (as the
/// suite's own runner reads them); `None` when the case has no such file.
fn read(dir: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(name)).ok()?;
    Some(text.replace("\r\n", "\n").trim_end_matches('\n').to_owned())
}

struct Parsed {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Parses a request file: request line (the version may be missing), headers (obsolete
/// line folding undone, values trimmed of surrounding spaces and tabs, as HTTP parsers do),
/// blank line, body.
fn parse_request(text: &str) -> Result<Parsed, String> {
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) => (head, body),
        None => (text, ""),
    };
    let mut lines = head.lines();
    let request_line = lines.next().ok_or("empty request")?;
    let (method, rest) = request_line
        .split_once(' ')
        .ok_or_else(|| format!("bad request line {request_line:?}"))?;
    let target = match rest.rsplit_once(' ') {
        Some((target, version)) if version.starts_with("HTTP/") => target,
        _ => rest,
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let (_, value) = headers
                .last_mut()
                .ok_or_else(|| format!("continuation line without a header: {line:?}"))?;
            value.push(' ');
            value.push_str(line);
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line {line:?}"))?;
        headers.push((name.to_owned(), value.to_owned()));
    }
    for (_, value) in &mut headers {
        *value = value.trim_matches([' ', '\t']).to_owned();
    }
    Ok(Parsed {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
    })
}

/// Percent-encodes the bytes a request target cannot carry as they are.
fn wire_target(target: &str) -> String {
    let mut out = String::new();
    for byte in target.bytes() {
        if byte <= b' ' || byte >= 0x7f {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push(char::from(byte));
        }
    }
    out
}

/// `YYYYMMDDTHHMMSSZ`, or the same with `-` and `:` separators.
fn parse_time(text: &str) -> Result<SystemTime, String> {
    let compact: String = text.chars().filter(|c| !matches!(c, '-' | ':')).collect();
    let bad = || format!("bad time {text:?}");
    if compact.len() != 16 || !compact.is_char_boundary(8) || &compact[8..9] != "T" {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| -> Result<i64, String> {
        compact
            .get(range)
            .and_then(|digits| digits.parse().ok())
            .ok_or_else(bad)
    };
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    Ok(UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).map_err(|_| bad())?))
}

/// The signing parameters of a case.
struct Context {
    access_key: String,
    secret: String,
    token: Option<String>,
    region: String,
    service: String,
    time: SystemTime,
}

fn context(dir: &Path, signed: &Parsed) -> Result<(Context, BTreeMap<&'static str, bool>), String> {
    let mut options = BTreeMap::new();
    if let Some(text) = read(dir, "context.json") {
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("context.json: {e}"))?;
        let text_field = |path: &[&str]| -> Option<String> {
            let mut value = &json;
            for key in path {
                value = value.get(key)?;
            }
            value.as_str().map(str::to_owned)
        };
        for (option, default) in [
            ("normalize", true),
            ("sign_body", true),
            ("omit_session_token", false),
        ] {
            let value = json.get(option).and_then(serde_json::Value::as_bool);
            options.insert(option, value.unwrap_or(default));
        }
        let context = Context {
            access_key: text_field(&["credentials", "access_key_id"]).ok_or("no access key")?,
            secret: text_field(&["credentials", "secret_access_key"]).ok_or("no secret")?,
            token: text_field(&["credentials", "token"]),
            region: text_field(&["region"]).ok_or("no region")?,
            service: text_field(&["service"]).ok_or("no service")?,
            time: parse_time(&text_field(&["timestamp"]).ok_or("no timestamp")?)?,
        };
        return Ok((context, options));
    }
    // No context.json: read the parameters off the signed request.
    options.insert("normalize", true);
    options.insert("sign_body", false);
    options.insert("omit_session_token", false);
    let header = |name: &str| {
        signed
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| format!("signed request has no {name} header"))
    };
    let authorization = header("authorization")?;
    let credential = authorization
        .split(", ")
        .find_map(|part| part.split_once("Credential="))
        .map(|(_, value)| value)
        .ok_or("no Credential in Authorization")?;
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key, _date, region, service, "aws4_request"] = parts[..] else {
        return Err(format!("unexpected credential {credential:?}"));
    };
    let secret = SECRETS
        .iter()
        .find(|(key, _)| *key == access_key)
        .map(|(_, secret)| *secret)
        .ok_or_else(|| format!("no known secret for {access_key}"))?;
    let context = Context {
        access_key: access_key.to_owned(),
        secret: secret.to_owned(),
        token: None,
        region: region.to_owned(),
        service: service.to_owned(),
        time: parse_time(header("x-amz-date")?)?,
    };
    Ok((context, options))
}

/// Lower-case names, sorted, as a multiset: header order does not matter to a server.
fn header_set(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut set: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    set.sort();
    set
}

enum Outcome {
    Ran,
    Skipped(&'static str),
}

fn run_case(dir: &Path) -> Result<Outcome, String> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let request = parse_request(&read(dir, "request.txt").ok_or("no request.txt")?)?;
    let signed_text = read(dir, "header-signed-request.txt").ok_or("no header-signed-request")?;
    let signed = parse_request(&signed_text)?;
    let (context, options) = context(dir, &signed)?;
    if !options["normalize"] {
        return Ok(Outcome::Skipped(
            "path normalisation off (normalize: false)",
        ));
    }
    if options["omit_session_token"] {
        return Ok(Outcome::Skipped(
            "session token not signed (omit_session_token)",
        ));
    }
    if SKIP_SINGLE_ENCODING.contains(&name) {
        return Ok(Outcome::Skipped(
            "expects the path encoded once (single encoding)",
        ));
    }

    let host = request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.clone())
        .ok_or("request has no Host header")?;
    let mut headers = request.headers.clone();
    if options["sign_body"] {
        // The body hash, computed independently of the signer (sha2, a dev-dependency).
        use sha2::Digest;
        let hash: String = sha2::Sha256::digest(&request.body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        headers.push(("x-amz-content-sha256".to_owned(), hash));
    }
    let http_request = HttpRequest {
        method: request.method.clone(),
        uri: format!("https://{host}{}", wire_target(&request.target)),
        headers,
        body: request.body.clone().into(),
    };
    let credentials = Credentials::new(
        context.access_key.clone(),
        context.secret.clone(),
        context.token.clone(),
        None,
        "signing-suite",
    );
    let signing = |time| {
        sign(
            &http_request,
            &credentials,
            &context.region,
            &context.service,
            time,
        )
        .map_err(|e| format!("signing failed: {e}"))
    };
    let out = signing(context.time)?;

    let mut failures = Vec::new();
    let expected_creq = read(dir, "header-canonical-request.txt").ok_or("no canonical request")?;
    // The time the canonical request was recorded at (its x-amz-date line).
    let creq_time = expected_creq
        .lines()
        .find_map(|line| line.strip_prefix("x-amz-date:"))
        .map(parse_time)
        .transpose()?
        .unwrap_or(context.time);
    let creq_out = if creq_time == context.time {
        out.clone()
    } else {
        signing(creq_time)?
    };
    if creq_out.canonical_request() != expected_creq {
        failures.push(format!(
            "canonical request:\n--- expected\n{expected_creq}\n--- got\n{}",
            creq_out.canonical_request()
        ));
    }
    if let Some(expected) = read(dir, "header-string-to-sign.txt")
        && out.string_to_sign() != expected
    {
        failures.push(format!(
            "string to sign:\n--- expected\n{expected}\n--- got\n{}",
            out.string_to_sign()
        ));
    }
    if let Some(expected) = read(dir, "header-signature.txt")
        && out.signature() != expected
    {
        failures.push(format!(
            "signature: expected {expected}, got {}",
            out.signature()
        ));
    }
    // The signed request: the request's headers with ours set (replacing same-named ones).
    let mut ours = http_request.headers.clone();
    for (name, value) in out.headers() {
        ours.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        ours.push((name.clone(), value.clone()));
    }
    if header_set(&ours) != header_set(&signed.headers) {
        failures.push(format!(
            "signed request headers:\n--- expected\n{:?}\n--- got\n{:?}",
            header_set(&signed.headers),
            header_set(&ours)
        ));
    }
    if signed.body != request.body {
        failures.push("signed request body differs from the request's".to_owned());
    }
    if failures.is_empty() {
        Ok(Outcome::Ran)
    } else {
        Err(failures.join("\n"))
    }
}

#[test]
fn aws_signing_test_suite_v4() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(suite_dir())
        .expect("test suite copy present")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    let mut ran = Vec::new();
    let mut skipped = Vec::new();
    let mut failed = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        match run_case(dir) {
            Ok(Outcome::Ran) => ran.push(name),
            Ok(Outcome::Skipped(why)) => skipped.push(format!("{name} ({why})")),
            Err(error) => failed.push(format!("{name}: {error}")),
        }
    }
    println!(
        "AWS signing test suite v4: {} cases, {} run and passed, {} failed, {} skipped",
        dirs.len(),
        ran.len(),
        failed.len(),
        skipped.len()
    );
    for line in &skipped {
        println!("  skipped: {line}");
    }
    assert!(failed.is_empty(), "failed cases:\n{}", failed.join("\n\n"));
    assert_eq!(dirs.len(), 40, "the copied suite has 40 cases");
    // The skips are exactly the documented ones: 7 unnormalized, 1 omit_session_token, 2
    // single-encoding.
    assert_eq!(skipped.len(), 10, "skipped: {skipped:#?}");
    assert_eq!(ran.len(), 30);
}

/// The request-file parser used above: folding, trimming, a request line without version.
#[test]
fn request_parser() {
    let parsed =
        parse_request("GET /a b HTTP/1.1\nHost: h \nX:1\n  2\n\nbody\nmore").expect("parses");
    assert_eq!(parsed.method, "GET");
    assert_eq!(parsed.target, "/a b");
    assert_eq!(
        parsed.headers,
        vec![
            ("Host".to_owned(), "h".to_owned()),
            ("X".to_owned(), "1   2".to_owned())
        ]
    );
    assert_eq!(parsed.body, b"body\nmore");
    let parsed = parse_request("POST /p").expect("parses");
    assert_eq!(
        (parsed.method.as_str(), parsed.target.as_str()),
        ("POST", "/p")
    );
    assert!(parse_request("").is_err());
    assert_eq!(wire_target("/ሴ x"), "/%E1%88%B4%20x");
    assert_eq!(
        parse_time("2015-08-30T12:36:00Z"),
        parse_time("20150830T123600Z")
    );
    assert_eq!(
        parse_time("20150830T123600Z"),
        Ok(UNIX_EPOCH + Duration::from_secs(1_440_938_160))
    );
}
