//! The rules-engine standard library (`substring`, `uriEncode`, `parseURL`,
//! `isValidHostLabel`) and the AWS functions (`aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`; `aws.partition` is in [`super::partition`]).
//!
//! Every function returns `None` where the Smithy specification says the result is unset,
//! and never panics.

use serde_json::{Map, Value};
use std::net::{Ipv4Addr, Ipv6Addr};

/// `substring(input, start, stop, reverse)`: the characters `start..stop` (counted from
/// the end when `reverse`), or `None` if the input holds any non-ASCII character, if
/// `start >= stop`, or if the input is shorter than `stop`.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start < 0 || start >= stop {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = input.len();
    if stop > len {
        return None;
    }
    let (from, to) = if reverse {
        (len - stop, len - start)
    } else {
        (start, stop)
    };
    input.get(from..to).map(str::to_owned)
}

/// `uriEncode(value)`: RFC 3986 percent-encoding of everything but the unreserved
/// characters `A-Z a-z 0-9 - . _ ~`, with upper-case hex digits, over the UTF-8 bytes.
pub(crate) fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

/// `isValidHostLabel(value, allowSubDomains)`: each label (the whole value, or each
/// dot-separated part when `allow_subdomains`) matches `[a-zA-Z0-9][a-zA-Z0-9-]{0,62}`.
pub(crate) fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value
            .split('.')
            .all(|label| is_valid_host_label(label, false))
    } else {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 63
            && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    }
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: a valid host label (labels,
/// when `allow_subdomains`) of 3 to 63 lower-case letters, digits, `-` (and `.`) that
/// starts and ends with a letter or digit; with subdomains also not shaped like an IPv4
/// address and without `.-` or `-.`.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    if !is_valid_host_label(value, allow_subdomains) {
        return false;
    }
    let bytes = value.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let shaped = (3..=63).contains(&bytes.len())
        && edge(bytes.first())
        && edge(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'.');
    if !shaped {
        return false;
    }
    if !allow_subdomains {
        return true;
    }
    let ipv4_shaped = {
        let parts: Vec<&str> = value.split('.').collect();
        parts.len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    !ipv4_shaped && !value.contains(".-") && !value.contains("-.")
}

/// `aws.parseArn(value)`: `{partition, service, region, accountId, resourceId}` of an
/// `arn:partition:service:region:account:resource` string (`resourceId` is the resource
/// split on `:` and `/`), or `None` if it is not an ARN (partition, service and resource
/// must not be empty; region and account may be).
pub(crate) fn parse_arn(value: &str) -> Option<Value> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id: Vec<Value> = resource
        .split([':', '/'])
        .map(|part| Value::String(part.to_owned()))
        .collect();
    let mut out = Map::new();
    out.insert("partition".to_owned(), partition.into());
    out.insert("service".to_owned(), service.into());
    out.insert("region".to_owned(), region.into());
    out.insert("accountId".to_owned(), account_id.into());
    out.insert("resourceId".to_owned(), Value::Array(resource_id));
    Some(Value::Object(out))
}

/// `parseURL(value)`: `{scheme, authority, path, normalizedPath, isIp}` of an `http` or
/// `https` URL without query or fragment, or `None`.
///
/// `path` is empty when the URL has no path at all and otherwise kept as written;
/// `normalizedPath` always starts and ends with `/`. `isIp` is true for an IPv4 host or a
/// bracketed IPv6 host.
pub(crate) fn parse_url(value: &str) -> Option<Value> {
    // `http::Uri` accepts a few things a URL must not have here; check them first.
    if value.contains(['?', '#']) || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let uri: ::http::Uri = value.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = uri.authority()?;
    let host = authority.host();
    if host.is_empty() {
        return None;
    }
    // What follows the host must be nothing or `:port` with a numeric port.
    let after_host = authority
        .as_str()
        .rfind(host)
        .and_then(|at| authority.as_str().get(at + host.len()..))
        .unwrap_or_default();
    if !after_host.is_empty()
        && after_host.strip_prefix(':').is_none_or(|port| {
            !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err()
        })
    {
        return None;
    }
    let is_ip = if let Some(inner) = host.strip_prefix('[') {
        inner
            .strip_suffix(']')
            .is_some_and(|ip| ip.parse::<Ipv6Addr>().is_ok())
    } else {
        host.parse::<Ipv4Addr>().is_ok()
    };
    if host.starts_with('[') && !is_ip {
        return None;
    }
    let authority = authority.as_str();
    // Everything after `scheme://authority` is the path as written ("" when absent).
    let prefix_len = uri.scheme_str()?.len() + 3 + authority.len();
    let path = value.get(prefix_len..).unwrap_or_default();
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut out = Map::new();
    out.insert("scheme".to_owned(), scheme.into());
    out.insert("authority".to_owned(), authority.into());
    out.insert("path".to_owned(), path.into());
    out.insert("normalizedPath".to_owned(), normalized.into());
    out.insert("isIp".to_owned(), is_ip.into());
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_cases() {
        let s = |input, start, stop, reverse| substring(input, start, stop, reverse);
        assert_eq!(s("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(s("abcd", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(s("abc", 0, 4, false), None, "too short");
        assert_eq!(s("", 0, 4, false), None);
        assert_eq!(s("\u{fdfd}", 0, 4, false), None, "one wide char");
        assert_eq!(s("abcdef\u{1f431}", 0, 4, false), None, "any non-ASCII");
        assert_eq!(s("abcdef\u{80}", 0, 4, false), None);
        assert_eq!(s("\u{7f}abcdef", 0, 4, false).as_deref(), Some("\u{7f}abc"));
        assert_eq!(s("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(s("defg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(s("abc", 0, 4, true), None);
        assert_eq!(s("defg", 1, 3, false).as_deref(), Some("ef"));
        assert_eq!(s("def", 1, 3, false).as_deref(), Some("ef"));
        assert_eq!(s("ab", 1, 3, false), None);
        assert_eq!(s("abcdef", 1, 3, true).as_deref(), Some("de"));
        assert_eq!(s("abcdef", 3, 3, false), None, "start == stop");
        assert_eq!(s("abcdef", 4, 3, false), None, "start > stop");
        assert_eq!(s("abcdef", -1, 3, false), None, "negative");
        assert_eq!(s("abcdef", 0, i64::MAX, false), None);
        assert_eq!(s("abcdef", i64::MIN, i64::MAX, true), None);
    }

    #[test]
    fn uri_encode_cases() {
        assert_eq!(uri_encode("abcdefg"), "abcdefg");
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(
            uri_encode("0123456789.underscore_dash-Tilda~"),
            "0123456789.underscore_dash-Tilda~"
        );
        assert_eq!(uri_encode("\u{1f639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
        assert_eq!(uri_encode("\u{0}\n"), "%00%0A");
    }

    #[test]
    fn host_label_cases() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("3aws4", false));
        assert!(
            is_valid_host_label("trailing-", false),
            "a trailing dash is allowed"
        );
        assert!(!is_valid_host_label("part1.part2", false));
        assert!(is_valid_host_label("part1.part2", true));
        for bad in [
            "part1 part2",
            "",
            "part1.",
            "part1..part2",
            "part1.-part2",
            "-a",
            "é",
        ] {
            assert!(!is_valid_host_label(bad, true), "{bad:?}");
        }
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_valid_host_label(
            &["a".repeat(63), "b".repeat(63)].join("."),
            true
        ));
    }

    #[test]
    fn virtual_hostable_bucket_cases() {
        let strict = |v| is_virtual_hostable_s3_bucket(v, false);
        let dotted = |v| is_virtual_hostable_s3_bucket(v, true);
        assert!(strict("bucket-name"));
        assert!(strict("bucket-with-number-1"));
        assert!(!strict("BucketName") && !dotted("BucketName"));
        assert!(!strict("bucket_name") && !dotted("bucket_name"));
        assert!(!strict("bucket.name") && dotted("bucket.name"));
        assert!(dotted("bucket.name.multiple.dots1"));
        for bad in [
            "-bucket-name",
            "bucket-name-",
            "aa",
            ".bucket-name",
            "bucket-name.",
            "192.168.5.4",
            "bucket-.name",
            "bucket.-name",
            "",
        ] {
            assert!(!strict(bad) && !dotted(bad), "{bad:?}");
        }
        let long = "a".repeat(64);
        assert!(!strict(&long) && !dotted(&long));
        assert!(strict(&"a".repeat(63)));
        assert!(
            dotted("a.bc"),
            "short labels are fine when the whole name is long enough"
        );
        assert!(dotted("1.2.3.a"), "not all digits");
    }

    #[test]
    fn parse_arn_cases() {
        let arn =
            parse_arn("arn:aws:s3:us-east-1:012345678910:myresource/sub:x").expect("valid ARN");
        assert_eq!(arn["partition"], "aws");
        assert_eq!(arn["service"], "s3");
        assert_eq!(arn["region"], "us-east-1");
        assert_eq!(arn["accountId"], "012345678910");
        assert_eq!(
            arn["resourceId"],
            serde_json::json!(["myresource", "sub", "x"])
        );
        let minimal = parse_arn("arn:aws:s3:::bucket").expect("region and account may be empty");
        assert_eq!(minimal["region"], "");
        assert_eq!(minimal["resourceId"], serde_json::json!(["bucket"]));
        let colons = parse_arn("arn:aws:iam::123:role/a:b:c").expect("valid");
        assert_eq!(
            colons["resourceId"],
            serde_json::json!(["role", "a", "b", "c"])
        );
        for bad in [
            "",
            "arn",
            "arn:aws:s3:us-east-1:1",
            "arn:aws:s3:us-east-1:1:",
            "arn::s3:us-east-1:1:r",
            "arn:aws::us-east-1:1:r",
            "ARN:aws:s3:us-east-1:1:r",
            "urn:aws:s3:us-east-1:1:r",
            "bucket",
        ] {
            assert!(parse_arn(bad).is_none(), "{bad:?}");
        }
    }

    fn url(value: &str) -> Option<(String, String, String, String, bool)> {
        let parsed = parse_url(value)?;
        let s = |k: &str| parsed[k].as_str().unwrap_or("?").to_owned();
        Some((
            s("scheme"),
            s("authority"),
            s("path"),
            s("normalizedPath"),
            parsed["isIp"].as_bool().unwrap_or(false),
        ))
    }

    fn parts(
        scheme: &str,
        authority: &str,
        path: &str,
        normalized: &str,
        is_ip: bool,
    ) -> Option<(String, String, String, String, bool)> {
        Some((
            scheme.into(),
            authority.into(),
            path.into(),
            normalized.into(),
            is_ip,
        ))
    }

    #[test]
    fn parse_url_cases() {
        assert_eq!(
            url("https://authority.com/custom-path"),
            parts(
                "https",
                "authority.com",
                "/custom-path",
                "/custom-path/",
                false
            )
        );
        assert_eq!(
            url("https://authority.com"),
            parts("https", "authority.com", "", "/", false)
        );
        assert_eq!(
            url("https://authority.com/"),
            parts("https", "authority.com", "/", "/", false)
        );
        assert_eq!(
            url("http://authority.com:8000/port"),
            parts("http", "authority.com:8000", "/port", "/port/", false)
        );
        assert_eq!(
            url("http://99_ab-.com"),
            parts("http", "99_ab-.com", "", "/", false)
        );
        assert_eq!(
            url("http://192.168.1.1:1234/foo/"),
            parts("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(
            url("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443"),
            parts(
                "https",
                "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
                "",
                "/",
                true
            )
        );
        assert_eq!(
            url("https://999.999.abc.blah"),
            parts("https", "999.999.abc.blah", "", "/", false)
        );
        assert_eq!(
            url("HTTPS://example.com/a//b"),
            parts("https", "example.com", "/a//b", "/a//b/", false)
        );
        assert_eq!(
            url("http://999.1.1.1"),
            parts("http", "999.1.1.1", "", "/", false),
            "not a valid IPv4 address"
        );
        for bad in [
            "acbd://example.com",
            "http://abc.com:a/foo",
            "https://example.com/path?query1=foo",
            "https://example.com/?",
            "https://example.com/#frag",
            "example.com",
            "/path",
            "",
            "https://",
            "https:///path",
            "https://[not-ip]/",
            "https://exa mple.com",
            "https://example.com:99999",
        ] {
            assert!(parse_url(bad).is_none(), "{bad:?} should not parse");
        }
    }
}
