//! The runtime's SigV4 signer against `aws-sigv4` (a dev-dependency) with its default
//! `SigningSettings`, the signer the runtime used before: for the same request, credentials,
//! region, service and time both must add the same headers, or both must refuse the request.
//!
//! Fixed requests cover what the runtime sends (awsJson and RPC v2 CBOR POSTs, endpoints with
//! ports, the test server's relative URIs with a `host` header); generated ones (proptest)
//! vary method, scheme, host, port, path (dot segments, escapes, reserved characters), query,
//! header names and values (case, duplicates, spaces, the headers the signer excludes or
//! sets itself, characters HTTP forbids), body, keys, session token, region, service and time.

use aws_lite_runtime::config::Credentials;
use aws_lite_runtime::http::HttpRequest;
use aws_lite_runtime::sigv4;
use aws_lite_runtime::testing::RecordedRequest;
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
    UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use proptest::prelude::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

type Headers = Vec<(String, String)>;

/// Our settings and aws-sigv4's for the same signing rules: the standard ones, or S3's
/// (path as sent, not normalised, `x-amz-content-sha256` added).
fn settings(s3: bool) -> (sigv4::SigningSettings, SigningSettings) {
    if !s3 {
        return (sigv4::SigningSettings::STANDARD, SigningSettings::default());
    }
    let mut theirs = SigningSettings::default();
    theirs.percent_encoding_mode = PercentEncodingMode::Single;
    theirs.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    theirs.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    (sigv4::SigningSettings::S3, theirs)
}

/// What aws-sigv4 adds, or why it refuses.
fn reference(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    settings: SigningSettings,
) -> Result<Headers, String> {
    // The same credentials as aws-credential-types' type, which aws-sigv4 signs with.
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        None,
        "reference",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        &request.method,
        request.uri.as_str(),
        request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str())),
        match request.body.bytes() {
            Some(bytes) => SignableBody::Bytes(bytes),
            // A stream whose checksum goes in an aws-chunked trailer.
            None if request
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("x-amz-trailer")) =>
            {
                SignableBody::StreamingUnsignedPayloadTrailer
            }
            None => SignableBody::UnsignedPayload,
        },
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect())
}

/// Ours and aws-sigv4's results agree: the same headers, or both an error.
fn check(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<bool, String> {
    check_with(request, credentials, region, service, time, false)
}

/// [`check`] with S3's signing rules when `s3`.
fn check_with(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    s3: bool,
) -> Result<bool, String> {
    let (ours, theirs) = settings(s3);
    let ours = sigv4::sign_with(request, credentials, region, service, time, &ours);
    let theirs = reference(request, credentials, region, service, time, theirs);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) if ours.headers() == theirs.as_slice() => Ok(true),
        (Err(_), Err(_)) => Ok(false),
        (ours, theirs) => Err(format!(
            "request {request:?}\nregion {region:?} service {service:?} time {time:?} s3 {s3} token {:?}\nours:   {:?}\ntheirs: {theirs:?}",
            credentials.session_token(),
            ours.map(|o| (o.headers().to_vec(), o.canonical_request().to_owned()))
        )),
    }
}

fn request(method: &str, uri: &str, headers: &[(&str, &str)], body: &[u8]) -> HttpRequest {
    HttpRequest {
        method: method.to_owned(),
        uri: uri.to_owned(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_vec().into(),
    }
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn fixed_requests_sign_identically() -> Result<(), String> {
    let json = br#"{"virtualInterfaceId":"dxvif-fg5678gh"}"#;
    let requests = [
        request(
            "POST",
            "https://directconnect.us-east-1.amazonaws.com/",
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", "OvertureService.DeleteVirtualInterface"),
                ("content-length", "39"),
                (
                    "user-agent",
                    "aws-lite-directconnect/0.1.0 aws-lite-runtime/0.1.0",
                ),
            ],
            json,
        ),
        request(
            "POST",
            "https://directconnect.us-east-1.amazonaws.com/service/OvertureService/operation/DescribeConnections",
            &[
                ("smithy-protocol", "rpc-v2-cbor"),
                ("accept", "application/cbor"),
                ("content-type", "application/cbor"),
                ("content-length", "1"),
            ],
            &[0xa0],
        ),
        request("POST", "https://example.com:443/", &[], b""),
        request("POST", "http://example.com:80/", &[], b""),
        request("POST", "https://example.com:80/", &[], b""),
        request("POST", "http://127.0.0.1:5000/", &[("x-a", "1")], b"{}"),
        request("POST", "https://[::1]:8443/x", &[], b""),
        request("POST", "https://user@example.com:443/", &[], b""),
        request("GET", "/", &[("Host", "127.0.0.1:41234")], b""),
        request(
            "POST",
            "https://h.example/a/./b/../c//d/%2F%3A/~x?b=2&a=1&a=0&c&d=&e=%zz+%2B",
            &[
                ("X-Amz-Date", "19990101T000000Z"),
                ("x-amz-security-token", "old"),
                ("My-Header", "  a   b  "),
                ("my-header", "second"),
                ("Authorization", "stale"),
                ("Transfer-Encoding", "chunked"),
                ("X-Amzn-Trace-Id", "Root=1"),
                ("x-tab", "\ta\t"),
                ("x-utf8", "ሴ é"),
            ],
            "ሴ".as_bytes(),
        ),
    ];
    let times = [
        at(0),
        at(1_440_938_160),
        at(1_709_251_199),
        at(253_402_300_799),
    ];
    let mut signed = 0;
    for request in &requests {
        for token in [None, Some("FwoGZXIvYXdzEXAMPLE/+="), Some("")] {
            let credentials = Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG",
                token.map(str::to_owned),
                None,
                "t",
            );
            for time in times {
                for (region, service) in [("us-east-1", "directconnect"), ("eu-west-3", "dx")] {
                    if check(request, &credentials, region, service, time)? {
                        signed += 1;
                    }
                }
            }
        }
    }
    // Every fixed request is signable.
    assert_eq!(signed, requests.len() * 3 * times.len() * 2);
    Ok(())
}

#[test]
fn refused_requests_are_refused_by_both() -> Result<(), String> {
    let credentials = Credentials::new("AKID", "SECRET", None, None, "t");
    let refused = [
        request("POST", "https://exa mple.com/", &[], b""),
        request("POST", "https://example.com/", &[("bad name", "v")], b""),
        request("POST", "https://example.com/", &[("", "v")], b""),
        request(
            "POST",
            "https://example.com/",
            &[("x-a", "line\nbreak")],
            b"",
        ),
        request("POST", "https://example.com/", &[("x-a", "nul\0")], b""),
        request("POST", "https://example.com/", &[("é", "v")], b""),
    ];
    for request in &refused {
        assert!(
            !check(request, &credentials, "us-east-1", "svc", at(0))?,
            "{request:?} should be refused"
        );
    }
    let bad_token = Credentials::new("AKID", "SECRET", Some("a\nb".to_owned()), None, "t");
    let plain = request("POST", "https://example.com/", &[], b"");
    assert!(!check(&plain, &bad_token, "us-east-1", "svc", at(0))?);
    Ok(())
}

/// Requests aws-sigv4 cannot sign without panicking (no host anywhere), or at times it
/// cannot represent, are errors for ours.
#[test]
fn ours_refuses_without_panicking() {
    let credentials = Credentials::new("AKID", "SECRET", None, None, "t");
    let no_host = request("POST", "/path", &[("x-a", "1")], b"");
    let error = sigv4::sign(&no_host, &credentials, "r", "s", at(0)).expect_err("no host");
    assert!(error.to_string().contains("no host"), "{error}");
    let plain = request("POST", "https://example.com/", &[], b"");
    for time in [at(253_402_300_800), UNIX_EPOCH - Duration::from_secs(1)] {
        let error = sigv4::sign(&plain, &credentials, "r", "s", time).expect_err("out of range");
        assert!(error.to_string().contains("1970 to 9999"), "{error}");
    }
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "Content-Type", "content-length", "X-Amz-Target", "Host", "x-amz-date",
            "X-Amz-Security-Token", "User-Agent", "authorization", "Transfer-Encoding",
            "X-Amzn-Trace-Id", "x-amz-content-sha256", "Accept", "smithy-protocol",
        ])
        .prop_map(str::to_owned),
        4 => "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}",
        1 => "[A-Za-z ():é\u{212a}-]{0,6}",
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[ -~]{0,24}",
        2 => "[ a\t]{0,8}",
        1 => "[a-z é\u{1234}\u{7f}\r\n\0-]{0,8}",
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => "[a-zA-Z0-9_~-]{1,8}",
            1 => prop::sample::select(vec![".", "..", "", "%2F", "%3A", "%25", "%E1%88%B4", "a.b"])
                .prop_map(str::to_owned),
            1 => "[!$&'()*+,;=:@%.\"{}|^`\\[\\] ]{1,3}",
        ],
        0..6,
    )
    .prop_map(|segments| {
        let mut path = String::new();
        for segment in segments {
            path.push('/');
            path.push_str(&segment);
        }
        path
    })
}

fn query() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        3 => "[a-zA-Z0-9=&+%._~*-]{0,24}",
        1 => prop::collection::vec(
            ("[a-zA-Z0-9%+-]{0,5}", prop::option::of("[a-zA-Z0-9%+=/:-]{0,6}")),
            0..5,
        )
        .prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k}={v}"),
                    None => k,
                })
                .collect::<Vec<_>>()
                .join("&")
        }),
        1 => Just("%E1%88%B4=Value1&Param=Value2&b=%e1%88%b4&bad=%FF%zz".to_owned()),
    ])
}

#[derive(Debug, Clone)]
struct Case {
    /// Clonable, as proptest wants: the request with its body in memory.
    request: RecordedRequest,
    access_key: String,
    secret: String,
    token: Option<String>,
    region: String,
    service: String,
    time: u64,
    /// Signed with S3's rules.
    s3: bool,
    /// The body is a stream (signed as `UNSIGNED-PAYLOAD`, or
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER` when the request names an `x-amz-trailer`).
    streaming: bool,
}

impl Case {
    fn http_request(&self) -> HttpRequest {
        let mut request = self.request.to_http_request();
        if self.streaming {
            let body = std::mem::take(&mut request.body);
            request.body = aws_lite_runtime::http::Body::from_http_body(body);
        }
        request
    }
}

fn case() -> impl Strategy<Value = Case> {
    let target = (
        prop::sample::select(vec!["https", "http"]),
        "[a-z0-9-]{1,12}(\\.[a-z0-9-]{1,8}){0,2}",
        prop::option::of(prop::sample::select(vec![80u16, 443, 8080, 5000])),
        path(),
        query(),
        any::<bool>(),
    );
    let headers = prop::collection::vec((header_name(), header_value()), 0..8);
    let keys = (
        "[A-Z0-9]{1,20}",
        "[A-Za-z0-9+/]{0,40}",
        prop::option::of(prop_oneof![
            8 => "[A-Za-z0-9+/=]{0,40}",
            1 => "[a \n]{0,4}",
        ]),
    );
    let scope = (
        "[a-z0-9-]{1,14}",
        "[a-z0-9-]{1,14}",
        0u64..=253_402_300_799,
        prop::sample::select(vec!["POST", "GET", "PUT", "DELETE", "post"]),
        prop::collection::vec(any::<u8>(), 0..200),
    );
    let rules = (any::<bool>(), prop::bool::weighted(0.2), any::<bool>());
    (target, headers, keys, scope, rules).prop_map(
        |(
            (scheme, host, port, path, query, relative),
            mut headers,
            (access_key, secret, token),
            (region, service, time, method, body),
            (s3, streaming, trailer),
        )| {
            if streaming && trailer {
                headers.push((
                    "x-amz-trailer".to_owned(),
                    "x-amz-checksum-crc32".to_owned(),
                ));
            }
            let authority = match port {
                Some(port) => format!("{host}:{port}"),
                None => host.clone(),
            };
            let path_and_query = match query {
                Some(query) => format!("{path}?{query}"),
                None => path,
            };
            let uri = if relative {
                // As the test server records requests: the target only, with a host header
                // (aws-sigv4 panics when neither gives a host, so both are always present).
                headers.push(("Host".to_owned(), authority));
                if path_and_query.starts_with('/') {
                    path_and_query
                } else {
                    format!("/{path_and_query}")
                }
            } else {
                format!("{scheme}://{authority}{path_and_query}")
            };
            Case {
                request: RecordedRequest {
                    method: method.to_owned(),
                    uri,
                    headers,
                    body,
                },
                access_key,
                secret,
                token,
                region,
                service,
                time,
                s3,
                streaming,
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn generated_requests_sign_identically(case in case()) {
        let credentials = Credentials::new(
            case.access_key.clone(),
            case.secret.clone(),
            case.token.clone(),
            None,
            "proptest",
        );
        check_with(&case.http_request(), &credentials, &case.region, &case.service, at(case.time), case.s3)
            .map_err(TestCaseError::fail)?;
    }
}

/// The generator reaches both outcomes often: mostly signable requests, some refused.
#[test]
fn generator_covers_signed_and_refused() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let (mut signed, mut refused) = (0, 0);
    for _ in 0..500 {
        let case = strategy.new_tree(&mut runner).expect("generates").current();
        let credentials = Credentials::new(
            case.access_key.clone(),
            case.secret.clone(),
            case.token.clone(),
            None,
            "proptest",
        );
        match check_with(
            &case.http_request(),
            &credentials,
            &case.region,
            &case.service,
            at(case.time),
            case.s3,
        ) {
            Ok(true) => signed += 1,
            Ok(false) => refused += 1,
            Err(mismatch) => panic!("{mismatch}"),
        }
    }
    assert!(signed > 250, "signed {signed} of 500");
    assert!(refused > 10, "refused {refused} of 500");
}
