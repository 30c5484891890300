//! `HttpResponse::status()` and `headers()` against the official types they stand in for,
//! `aws_smithy_runtime_api::http::StatusCode` and `Headers`: the same answers for every status
//! code and for header lookups by any casing, repeated headers included.

use aws_lite_runtime::http::HttpResponse;
use aws_smithy_runtime_api::http::{Headers, StatusCode};

#[test]
fn status_codes_classify_as_the_official_ones() {
    for code in 100..1000u16 {
        let official = StatusCode::try_from(code).unwrap();
        let ours = HttpResponse {
            status: code,
            ..Default::default()
        }
        .status();
        assert_eq!(ours.as_u16(), official.as_u16(), "{code}");
        assert_eq!(ours.is_success(), official.is_success(), "{code}");
        assert_eq!(ours.is_client_error(), official.is_client_error(), "{code}");
        assert_eq!(ours.is_server_error(), official.is_server_error(), "{code}");
        assert_eq!(ours.to_string(), official.to_string(), "{code}");
        assert_eq!(u16::from(ours), u16::from(official), "{code}");
    }
}

#[test]
fn header_lookups_answer_as_the_official_headers() {
    // As received (hyper hands names over in lower case; a test server may not).
    let received = [
        ("last-modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
        ("ETag", "\"abc\""),
        ("x-amz-meta-colour", "blue"),
        ("X-Amz-Meta-Colour", "green"),
        ("content-length", "0"),
    ];
    let response = HttpResponse {
        status: 304,
        headers: received
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    let mut official = Headers::new();
    for (name, value) in received {
        official.append(name.to_ascii_lowercase(), value.to_string());
    }
    let ours = response.headers();
    assert_eq!(ours.len(), official.len());
    assert_eq!(ours.is_empty(), official.is_empty());
    for name in [
        "last-modified",
        "Last-Modified",
        "etag",
        "ETAG",
        "x-amz-meta-colour",
        "X-AMZ-META-COLOUR",
        "content-length",
        "absent",
    ] {
        assert_eq!(ours.get(name), official.get(name), "{name}");
        assert_eq!(
            ours.contains_key(name),
            official.contains_key(name),
            "{name}"
        );
        assert_eq!(
            ours.get_all(name).collect::<Vec<_>>(),
            official.get_all(name).collect::<Vec<_>>(),
            "{name}"
        );
    }
    // The same pairs (the official map groups values by name, so compare as sets, names in
    // lower case as the official map keeps them).
    let mut pairs: Vec<(String, &str)> = ours
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v))
        .collect();
    let mut expected: Vec<(String, &str)> =
        official.iter().map(|(n, v)| (n.to_string(), v)).collect();
    pairs.sort();
    expected.sort();
    assert_eq!(pairs, expected);
    assert_eq!(ours.into_iter().count(), official.iter().count());
}
