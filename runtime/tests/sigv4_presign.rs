//! The runtime's presigning signer (`sigv4::presign_with`, signature in the query string)
//! against `aws-sigv4` (a dev-dependency) signing with `SignatureLocation::QueryParams` and
//! `expires_in`, the way the official SDK presigns: for the same request, credentials, region,
//! service, time, expiry and payload hash, both must give the same presigned URL, byte for
//! byte, or both must refuse the request.
//!
//! Fixed requests cover what presigned S3 requests look like (virtual-hosted and path-style
//! hosts, keys needing encoding, existing query strings, signed content headers, the headers
//! left unsigned); generated ones (proptest) vary method, scheme, host, port, path, query,
//! headers, keys, session token, region, service, time, expiry and the signing rules.

use aws_lite_runtime::config::Credentials;
use aws_lite_runtime::http::HttpRequest;
use aws_lite_runtime::sigv4;
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use proptest::prelude::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Our settings and aws-sigv4's for the same rules (standard, or S3's), presigning for
/// `expires_in`.
fn settings(s3: bool, expires_in: Duration) -> (sigv4::SigningSettings, SigningSettings) {
    let mut theirs = SigningSettings::default();
    theirs.signature_location = SignatureLocation::QueryParams;
    theirs.expires_in = Some(expires_in);
    if !s3 {
        return (sigv4::SigningSettings::STANDARD, theirs);
    }
    theirs.percent_encoding_mode = PercentEncodingMode::Single;
    theirs.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    theirs.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    (sigv4::SigningSettings::S3, theirs)
}

/// The presigned URL aws-sigv4 gives (its signing instructions applied to the request), or why
/// it refuses. `unsigned`: the payload is `UNSIGNED-PAYLOAD`, else the empty body's hash.
#[allow(clippy::too_many_arguments)]
fn reference(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    settings: SigningSettings,
    unsigned: bool,
) -> Result<String, String> {
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
        if unsigned {
            SignableBody::UnsignedPayload
        } else {
            SignableBody::Bytes(b"")
        },
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let mut http_request = http::Request::builder()
        .method(request.method.as_str())
        .uri(request.uri.as_str())
        .body(())
        .map_err(|e| e.to_string())?;
    instructions.apply_to_request_http1x(&mut http_request);
    Ok(http_request.uri().to_string())
}

/// Ours and aws-sigv4's presigned URLs are the same, or both refuse.
#[allow(clippy::too_many_arguments)]
fn check(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    expires_in: Duration,
    s3: bool,
    unsigned: bool,
) -> Result<bool, String> {
    let (ours_settings, theirs_settings) = settings(s3, expires_in);
    let payload = if unsigned {
        sigv4::UNSIGNED_PAYLOAD.to_owned()
    } else {
        sigv4::empty_payload_hash()
    };
    let ours = sigv4::presign_with(
        request,
        credentials,
        region,
        service,
        time,
        expires_in,
        &payload,
        &ours_settings,
    );
    let theirs = reference(
        request,
        credentials,
        region,
        service,
        time,
        theirs_settings,
        unsigned,
    );
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) if ours.uri() == theirs => Ok(true),
        (Err(_), Err(_)) => Ok(false),
        (ours, theirs) => Err(format!(
            "request {request:?}\nregion {region:?} service {service:?} time {time:?} expires {expires_in:?} s3 {s3} token {:?}\nours:   {:?}\ntheirs: {theirs:?}",
            credentials.session_token(),
            ours.map(|o| (o.uri().to_owned(), o.canonical_request().to_owned()))
        )),
    }
}

fn request(method: &str, uri: &str, headers: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        method: method.to_owned(),
        uri: uri.to_owned(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: Vec::new().into(),
    }
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn fixed_requests_presign_identically() -> Result<(), String> {
    let requests = [
        request(
            "GET",
            "https://test-bucket.s3.us-east-1.amazonaws.com/test-key",
            &[("host", "test-bucket.s3.us-east-1.amazonaws.com")],
        ),
        request(
            "GET",
            "https://bucket.s3.eu-west-3.amazonaws.com/a%20b/%C3%BC%2B%25.txt?x-id=GetObject",
            &[],
        ),
        request(
            "PUT",
            "http://127.0.0.1:5000/bucket/k%7E%21ey?partNumber=1&uploadId=a%2Bb",
            &[
                ("Content-Length", "12345"),
                ("Content-Type", "application/x-test"),
                ("x-amz-meta-colour", "  blue   green "),
                ("x-amz-checksum-crc64nvme", "NotARealChecksum"),
            ],
        ),
        request(
            "HEAD",
            "https://bucket.s3.us-east-1.amazonaws.com/key?",
            &[
                ("User-Agent", "aws-lite"),
                ("x-amz-user-agent", "aws-lite"),
                ("x-amz-checksum-mode", "ENABLED"),
                ("X-Amzn-Trace-Id", "Root=1"),
                ("Transfer-Encoding", "chunked"),
                ("Authorization", "stale"),
            ],
        ),
        request(
            "DELETE",
            "https://s3.amazonaws.com:443/b/./a/../c//d?versionId=x%2By&b=2&a=1&a=0&flag",
            &[("My-Header", "a"), ("my-header", "second")],
        ),
        request(
            "GET",
            "https://polly.us-east-1.amazonaws.com/v1/speech?OutputFormat=mp3&Text=hello%2C%20world&VoiceId=Joanna",
            &[],
        ),
    ];
    let times = [at(0), at(1_234_567_891), at(253_402_300_799)];
    let expiries = [0, 30, 900, 604_800].map(Duration::from_secs);
    let mut presigned = 0;
    for request in &requests {
        for token in [None, Some("FwoGZXIvYXdzEXAMPLE/+=")] {
            let credentials = Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG",
                token.map(str::to_owned),
                None,
                "t",
            );
            for time in times {
                for expires_in in expiries {
                    for (s3, unsigned, region, service) in [
                        (true, true, "us-east-1", "s3"),
                        (true, true, "us-west-2", "s3-object-lambda"),
                        (false, false, "us-east-1", "polly"),
                        (false, true, "eu-west-3", "svc"),
                    ] {
                        if check(
                            request,
                            &credentials,
                            region,
                            service,
                            time,
                            expires_in,
                            s3,
                            unsigned,
                        )? {
                            presigned += 1;
                        }
                    }
                }
            }
        }
    }
    // Every fixed request can be presigned.
    assert_eq!(
        presigned,
        requests.len() * 2 * times.len() * expiries.len() * 4
    );
    Ok(())
}

/// The official SDK's own expectation (smithy-rs `aws/sdk/integration-tests/s3/tests/
/// presigning.rs`, `test_presigned_head_object`): the same URL from the request the official
/// SDK builds for `head_object().bucket("bucket").key("key")`, signed with its test
/// credentials (`Credentials::for_tests_with_session_token()`).
#[test]
fn official_head_object_vector() {
    let credentials = Credentials::new(
        "ANOTREAL",
        "notrealrnrELgWzOk3IfjzDKtFBhDby",
        Some("notarealsessiontoken".to_owned()),
        None,
        "t",
    );
    let presigned = sigv4::presign_with(
        &request("HEAD", "https://bucket.s3.us-east-1.amazonaws.com/key", &[]),
        &credentials,
        "us-east-1",
        "s3",
        at(1_234_567_891),
        Duration::from_secs(30),
        sigv4::UNSIGNED_PAYLOAD,
        &sigv4::SigningSettings::S3,
    )
    .expect("presigns");
    assert_eq!(
        presigned.uri(),
        "https://bucket.s3.us-east-1.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ANOTREAL%2F20090213%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20090213T233131Z&X-Amz-Expires=30&X-Amz-SignedHeaders=host&X-Amz-Signature=6b97012e70d5ee3528b5591e0e90c0f45e0fa303506f854eff50ff922751a193&X-Amz-Security-Token=notarealsessiontoken"
    );
}

#[test]
fn refused_requests_are_refused_by_both() -> Result<(), String> {
    let credentials = Credentials::new("AKID", "SECRET", None, None, "t");
    let refused = [
        request("GET", "https://exa mple.com/", &[]),
        request("GET", "https://example.com/", &[("bad name", "v")]),
        request("GET", "https://example.com/", &[("x-a", "line\nbreak")]),
    ];
    for request in &refused {
        assert!(
            !check(
                request,
                &credentials,
                "us-east-1",
                "s3",
                at(0),
                Duration::from_secs(60),
                true,
                true
            )?,
            "{request:?} should be refused"
        );
    }
    Ok(())
}

/// More than 7 days, and times SigV4 cannot write, are errors (aws-sigv4 signs any expiry:
/// the limit is the service's, which the official SDK checks in its `PresigningConfig`).
#[test]
fn over_a_week_or_out_of_range_is_an_error() {
    let credentials = Credentials::new("AKID", "SECRET", None, None, "t");
    let plain = request("GET", "https://example.com/", &[]);
    let presign = |time, expires| {
        sigv4::presign_with(
            &plain,
            &credentials,
            "us-east-1",
            "s3",
            time,
            expires,
            sigv4::UNSIGNED_PAYLOAD,
            &sigv4::SigningSettings::S3,
        )
    };
    assert!(presign(at(0), sigv4::MAX_PRESIGNED_EXPIRY).is_ok());
    let err =
        presign(at(0), sigv4::MAX_PRESIGNED_EXPIRY + Duration::from_secs(1)).expect_err("8 days");
    assert!(err.to_string().contains("at most 7 days"), "{err}");
    let err = presign(at(253_402_300_800), Duration::from_secs(1)).expect_err("year 10000");
    assert!(err.to_string().contains("1970 to 9999"), "{err}");
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => "[a-zA-Z0-9_~-]{1,8}",
            1 => prop::sample::select(vec![".", "..", "", "%2F", "%3A", "%25", "%E1%88%B4", "a.b", "%20", "+"])
                .prop_map(str::to_owned),
        ],
        0..5,
    )
    .prop_map(|segments| {
        let mut path = String::new();
        for segment in segments {
            path.push('/');
            path.push_str(&segment);
        }
        if path.is_empty() {
            path.push('/');
        }
        path
    })
}

fn query() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        3 => "[a-zA-Z0-9=&+%._~*-]{0,24}",
        1 => Just("x-id=GetObject&response-content-type=text%2Fplain%3B%20charset%3Dutf-8".to_owned()),
        1 => Just("%E1%88%B4=Value1&Param=Value2&b=%e1%88%b4&bad=%FF%zz".to_owned()),
    ])
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "Content-Type", "content-length", "Host", "x-amz-date", "X-Amz-Security-Token",
            "User-Agent", "authorization", "x-amz-user-agent", "x-amz-checksum-mode",
            "x-amz-meta-a", "Range", "x-amz-checksum-crc32", "x-amz-sdk-checksum-algorithm",
        ])
        .prop_map(str::to_owned),
        3 => "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}",
        1 => "[A-Za-z ():é-]{0,6}",
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[ -~]{0,24}",
        1 => "[a-z é\u{1234}\r\n-]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_requests_presign_identically(
        scheme in prop::sample::select(vec!["https", "http"]),
        host in "[a-z0-9-]{1,12}(\\.[a-z0-9-]{1,8}){0,2}",
        port in prop::option::of(prop::sample::select(vec![80u16, 443, 8080])),
        path in path(),
        query in query(),
        headers in prop::collection::vec((header_name(), header_value()), 0..6),
        method in prop::sample::select(vec!["GET", "PUT", "HEAD", "DELETE"]),
        access_key in "[A-Z0-9]{1,20}",
        secret in "[A-Za-z0-9+/]{0,40}",
        token in prop::option::of("[A-Za-z0-9+/=]{0,40}"),
        region in "[a-z0-9-]{1,14}",
        service in "[a-z0-9-]{1,14}",
        time in 0u64..=253_402_300_799,
        expires in 0u64..=604_800,
        s3 in any::<bool>(),
        unsigned in any::<bool>(),
    ) {
        let mut uri = format!("{scheme}://{host}");
        if let Some(port) = port {
            uri.push_str(&format!(":{port}"));
        }
        uri.push_str(&path);
        if let Some(query) = query {
            uri.push('?');
            uri.push_str(&query);
        }
        let request = HttpRequest {
            method: method.to_owned(),
            uri,
            headers,
            body: Vec::new().into(),
        };
        let credentials = Credentials::new(access_key, secret, token, None, "t");
        let result = check(
            &request,
            &credentials,
            &region,
            &service,
            at(time),
            Duration::from_secs(expires),
            s3,
            unsigned,
        );
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
