//! Hand-picked tricky cases, each compared against `aws-smithy-types` 1.9.3 (and, where the
//! expected outcome is obvious, also asserted directly).

#[path = "primitives/mod.rs"]
mod common;

use aws_lite_runtime::primitives::date_time::{DateTime, Format};
use common::*;

/// (input, expected Ok for Format::DateTime, expected Ok for Format::HttpDate)
const PARSE_CASES: &[(&str, Option<bool>, Option<bool>)] = &[
    // Leap days.
    ("2000-02-29T00:00:00Z", Some(true), None),
    ("1900-02-29T00:00:00Z", Some(false), None),
    ("2004-02-29T12:00:00Z", Some(true), None),
    ("2001-02-29T12:00:00Z", Some(false), None),
    ("1600-02-29T12:00:00Z", Some(true), None),
    ("0000-02-29T00:00:00Z", Some(true), None),
    ("Tue, 29 Feb 2000 00:00:00 GMT", None, Some(true)),
    ("Thu, 29 Feb 1900 00:00:00 GMT", None, Some(false)),
    // 1970 boundaries.
    ("1970-01-01T00:00:00Z", Some(true), None),
    ("1969-12-31T23:59:59.999999999Z", Some(true), None),
    ("1970-01-01T00:00:00.000000001Z", Some(true), None),
    ("Thu, 01 Jan 1970 00:00:00 GMT", None, Some(true)),
    ("Wed, 31 Dec 1969 23:59:59.999 GMT", None, Some(true)),
    // Range ends.
    ("9999-12-31T23:59:59.999999999Z", Some(true), None),
    ("0001-01-01T00:00:00Z", Some(true), None),
    ("0000-01-01T00:00:00Z", Some(true), None),
    ("10000-01-01T00:00:00Z", Some(false), None),
    ("-0001-01-01T00:00:00Z", Some(false), None),
    ("Fri, 31 Dec 9999 23:59:59 GMT", None, Some(true)),
    ("Mon, 01 Jan 0001 00:00:00 GMT", None, Some(true)),
    ("Mon, 16 Dec -019 23:48:18 GMT", None, Some(true)),
    ("Mon, 16 Dec +201 23:48:18 GMT", None, Some(true)),
    // RFC 3339 details.
    ("1985-04-12T23:20:50.52Z", Some(true), None),
    ("1985-04-12t23:20:50.52Z", Some(true), None),
    ("1985-04-12T23:20:50.52z", Some(false), None),
    ("1985-04-12 23:20:50Z", Some(false), None),
    ("1985-04-12T23:20:50.Z", Some(false), None),
    ("1985-04-12T23:20:50.1234567891234Z", Some(true), None),
    ("1985-04-12T23:20:50+01:30", Some(false), None),
    ("1985-04-12T23:20:50-00:00", Some(false), None),
    ("1985-04-12T23:20:50+24:00", Some(false), None),
    ("1985-04-12T23:20:50+23:60", Some(false), None),
    ("1985-04-12T23:20:50+0130", Some(false), None),
    ("1985-04-12T24:00:00Z", Some(false), None),
    ("1985-04-12T23:60:00Z", Some(false), None),
    ("1985-13-12T23:20:50Z", Some(false), None),
    ("1985-00-12T23:20:50Z", Some(false), None),
    ("1985-04-00T23:20:50Z", Some(false), None),
    ("1985-04-31T23:20:50Z", Some(false), None),
    ("1985-4-12T23:20:50Z", Some(false), None),
    (" 1985-04-12T23:20:50Z", Some(false), None),
    ("1985-04-12T23:20:50Z ", Some(false), None),
    ("1985-04-12T23:20:50ZZ", Some(false), None),
    ("+1985-04-12T23:20:50Z", Some(false), None),
    // Leap seconds.
    ("1990-12-31T23:59:60Z", Some(true), None),
    ("1990-12-31T23:59:60.5Z", Some(true), None),
    ("1990-12-30T23:59:60Z", Some(false), None),
    ("1990-06-30T23:59:60Z", Some(true), None),
    ("1990-12-31T15:59:60-08:00", None, None),
    ("1990-12-31T23:59:61Z", Some(false), None),
    ("9999-12-31T23:59:60Z", Some(true), None),
    ("0000-01-01T00:59:60+01:00", None, None),
    ("2000-02-29T23:59:60Z", Some(true), None),
    ("1900-02-28T23:59:60Z", Some(true), None),
    // HTTP dates: every weekday and month.
    ("Mon, 16 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Tue, 17 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Wed, 18 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Thu, 19 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Fri, 20 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Sat, 21 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Sun, 22 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Wed, 01 Jan 2020 00:00:00 GMT", None, Some(true)),
    ("Sat, 01 Feb 2020 00:00:00 GMT", None, Some(true)),
    ("Sun, 01 Mar 2020 00:00:00 GMT", None, Some(true)),
    ("Wed, 01 Apr 2020 00:00:00 GMT", None, Some(true)),
    ("Fri, 01 May 2020 00:00:00 GMT", None, Some(true)),
    ("Mon, 01 Jun 2020 00:00:00 GMT", None, Some(true)),
    ("Wed, 01 Jul 2020 00:00:00 GMT", None, Some(true)),
    ("Sat, 01 Aug 2020 00:00:00 GMT", None, Some(true)),
    ("Tue, 01 Sep 2020 00:00:00 GMT", None, Some(true)),
    ("Thu, 01 Oct 2020 00:00:00 GMT", None, Some(true)),
    ("Sun, 01 Nov 2020 00:00:00 GMT", None, Some(true)),
    ("Tue, 01 Dec 2020 00:00:00 GMT", None, Some(true)),
    // HTTP dates: oddities.
    ("Fri, 16 Dec 2019 23:48:18 GMT", None, Some(true)), // wrong weekday: not validated
    ("XXXXX16 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Mon, 16 dec 2019 23:48:18 GMT", None, Some(false)),
    ("Mon, 16 Sept 2019 23:48:18 GMT", None, Some(false)),
    ("Mon, 6 Dec 2019 23:48:18 GMT", None, Some(false)), // single-digit day
    ("Mon,  6 Dec 2019 23:48:18 GMT", None, Some(false)),
    ("Mon, +6 Dec 2019 23:48:18 GMT", None, Some(true)),
    ("Mon, 00 Dec 2019 23:48:18 GMT", None, Some(false)),
    ("Mon, 32 Dec 2019 23:48:18 GMT", None, Some(false)),
    ("Mon, 16 Dec 2019 23:48:18", None, Some(false)), // GMT missing
    ("Mon, 16 Dec 2019 23:48:18 UTC", None, Some(false)),
    ("Mon, 16 Dec 2019 23:48:18 gmt", None, Some(false)),
    ("Mon, 16 Dec 2019 23:48:18GMT", None, Some(false)),
    ("  Mon, 16 Dec 2019 23:48:18 GMT  ", None, Some(true)),
    ("\tMon, 16 Dec 2019 23:48:18 GMT\n", None, Some(true)),
    ("Monday, 16-Dec-19 23:48:18 GMT", None, Some(false)), // RFC 850
    ("Sunday, 06-Nov-94 08:49:37 GMT", None, Some(false)),
    ("Sun Nov  6 08:49:37 1994", None, Some(false)), // asctime
    ("Mon Dec 16 23:48:18 2019", None, Some(false)),
    ("Mon, 16 Dec 2019 23:48:18.1 GMT", None, Some(true)), // fractional seconds
    ("Mon, 16 Dec 2019 23:48:18.12 GMT", None, Some(true)),
    ("Mon, 16 Dec 2019 23:48:18.123 GMT", None, Some(true)),
    ("Mon, 16 Dec 2019 23:48:18.1234 GMT", None, Some(false)),
    ("Mon, 16 Dec 2019 23:48:18. GMT", None, Some(false)),
    ("Mon, 16 Dec 2019 23:48:18.+1 GMT", None, Some(true)),
    ("Mon, 16 Dec 2019 23:48:18.-1 GMT", None, Some(false)),
    ("Mon, 16 Dec 2019 23:48:18 abc GMT", None, Some(true)),
    ("Mon, 16 Dec 2019 24:00:00 GMT", None, Some(false)),
    ("Mon, 16 Dec 2019 23:60:00 GMT", None, Some(false)),
    ("Mon, 16 Dec 2019 23:59:60 GMT", None, Some(false)),
    ("Mon, 16 Dec 2019 +1:00:00 GMT", None, Some(true)),
    (
        "Mon, 16 Dec 2019 23:48:18 GMT,Tue, 17 Dec 2019 23:48:18 GMT",
        None,
        Some(false),
    ),
    ("Mön, 16 Dec 2019 23:48:18 GMT", None, Some(false)),
    // Epoch seconds.
    ("1576540098.52", None, None),
    ("-0.5", None, None),
    ("-0.0", None, None),
    ("-9223372036854775808", None, None),
    ("-9223372036854775808.5", None, None),
    ("-9223372036854775807.5", None, None),
    ("9223372036854775807.999999999", None, None),
    ("9223372036854775808", None, None),
    ("1.0000000001", None, None),
    ("+1.5", None, None),
    ("1.+5", None, None),
    ("1.", None, None),
    (".5", None, None),
    ("1e3", None, None),
    (" 1", None, None),
    ("", None, None),
    ("Z", None, None),
    ("1985-04-12T23:20:50Z,1985-04-12T23:20:51Z", None, None),
];

#[test]
fn parse_table() {
    for &(input, rfc, http) in PARSE_CASES {
        check_parse(input);
        if let Some(ok) = rfc {
            assert_eq!(
                DateTime::from_str(input, Format::DateTime).is_ok(),
                ok,
                "{input:?}"
            );
        }
        if let Some(ok) = http {
            assert_eq!(
                DateTime::from_str(input, Format::HttpDate).is_ok(),
                ok,
                "{input:?}"
            );
        }
    }
}

#[test]
fn format_table() {
    let cases: &[(i64, u32)] = &[
        (0, 0),
        (-1, 0),
        (-1, 999_999_999),
        (-1, 1),
        (0, 1),
        (0, 999),
        (0, 1000),
        (1576540098, 520_000_000),
        (951_782_400, 0),       // 2000-02-29
        (-2_203_891_200, 0),    // 1900-03-01
        (MAX_FMT, 999_999_999), // 9999-12-31T23:59:59.999999999Z
        (MAX_FMT + 1, 0),
        (MIN_FMT, 0),
        (MIN_FMT - 1, 999_999_999),
        (MIN_TIME_CRATE, 0),
        (MIN_TIME_CRATE - 1, 0),
        (i64::MIN, 0),
        (i64::MIN, 500_000_000),
        (i64::MAX, 999_999_999),
    ];
    for &(secs, nanos) in cases {
        check_fmt(secs, nanos);
        check_numeric(secs, nanos);
    }
    assert_eq!(
        ours(MAX_FMT, 999_999_999).fmt(Format::DateTime).unwrap(),
        "9999-12-31T23:59:59.999999Z"
    );
    assert_eq!(
        ours(MAX_FMT, 999_999_999).fmt(Format::HttpDate).unwrap(),
        "Fri, 31 Dec 9999 23:59:59 GMT"
    );
    assert_eq!(
        ours(-1, 1).fmt(Format::EpochSeconds).unwrap(),
        "-0.999999999"
    );
    assert!(ours(MAX_FMT + 1, 0).fmt(Format::DateTime).is_err());
    assert_eq!(format!("{:?}", ours(MAX_FMT + 1, 0)), "253402300800");
    // Every weekday and month in HTTP dates (2020-01-01 .. 2020-12-31 at noon).
    for day in 0..366 {
        check_fmt(1_577_880_000 + day * 86_400, 0);
    }
}

#[test]
fn numeric_table() {
    for x in [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -1.95877825437922e-309,
        -1.0,
        1.5,
        -1.5,
        1e300,
        -1e300,
        0.1 + 0.2,
    ] {
        check_secs_f64(x);
    }
    for (secs, fraction) in [
        (1, 0.5),
        (1576540098, 0.52),
        (0, 0.999_999_999_9),
        (0, 1.0),
        (-1, 1.0),
        (i64::MIN, 1.0),
        (0, f64::NAN),
        (0, -0.5),
        (0, f64::NEG_INFINITY),
        // Reference panics / overflows for these; ours must not:
        (0, 1.5),
        (0, f64::INFINITY),
        (i64::MAX, 1.0),
        (i64::MAX, 5.0),
    ] {
        check_fractional(secs, fraction);
    }
    assert_eq!(DateTime::from_fractional_secs(0, 1.5), ours(1, 500_000_000));
    assert_eq!(
        DateTime::from_fractional_secs(i64::MAX, 1.0),
        ours(i64::MAX, 999_999_999)
    );
    for n in [
        0i128,
        -1,
        -10_876_543_211,
        i128::from(i64::MAX) * 1_000_000_000 + 999_999_999,
        i128::from(i64::MAX) * 1_000_000_000 + 1_000_000_000,
        i128::from(i64::MIN) * 1_000_000_000,
        i128::from(i64::MIN) * 1_000_000_000 - 1,
        i128::MIN,
        i128::MAX,
    ] {
        check_from_nanos(n);
    }
    for millis in [0, 1, -1, 1627680004123, -1627680004123, i64::MAX, i64::MIN] {
        let a = DateTime::from_millis(millis);
        let b = aws_smithy_types::DateTime::from_millis(millis);
        assert_same_dt(&a, &b, &millis);
        assert_eq!(a.to_millis().unwrap(), millis);
    }
}

#[test]
fn read_table() {
    let s = "1985-04-12T23:20:50Z,1985-04-12T23:20:51Z";
    let (a, rest) = DateTime::read(s, Format::DateTime, ',').unwrap();
    assert_eq!((a.secs(), rest), (482196050, "1985-04-12T23:20:51Z"));
    // Non-ASCII delimiter: the reference panics here, ours skips the whole delimiter.
    let (a, rest) = DateTime::read("12.5é13", Format::EpochSeconds, 'é').unwrap();
    assert_eq!((a.secs(), a.subsec_nanos(), rest), (12, 500_000_000, "13"));
    let (_, rest) = DateTime::read("1985-04-12T23:20:50Zé1", Format::DateTime, 'é').unwrap();
    assert_eq!(rest, "1");
}

#[test]
fn base64_table() {
    for s in [
        "",
        "Zg==",
        "Zm8=",
        "Zm9v",
        "Zg",
        "Zg=",
        "Zg===",
        "Zh==",
        "Zm9=",
        "Zm9v\n",
        " Zm9v",
        "Zm 9v",
        "-_-_",
        "+/+/",
        "====",
        "A===",
        "AA==",
        "AAA=",
        "AAAA",
        "Zg==Zg==",
        "=Zg=",
        "Zm9vYmFyYmF6cXV4cXV1eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4",
        "Zm9vYmFyYmF6cXV4cXV1eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eQ==",
        "Zm9vYmFyYmF6cXV4cXV1eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eR==",
        "Zm9vYmFyYmF6cXV4cXV1eHh4eHh4eHh4eHh4eHh4eH-4eHh4eHh4eHh4eHh4",
    ] {
        check_b64_decode(s);
    }
    for bytes in [&b""[..], b"f", b"fo", b"foo", b"\0", b"\xff\xff\xff\xff"] {
        check_b64_encode(bytes);
    }
    assert_eq!(
        aws_lite_runtime::primitives::base64::DecodeError::to_string(
            &aws_lite_runtime::primitives::base64::decode("x").unwrap_err()
        ),
        "failed to decode base64"
    );
}

#[test]
fn blob_matches_reference() {
    use aws_lite_runtime::primitives::Blob;
    use aws_smithy_types::Blob as RBlob;
    for bytes in [vec![], vec![0u8, 1, 2, 0xff], b"hello".to_vec()] {
        let a = Blob::new(bytes.clone());
        let b = RBlob::new(bytes.clone());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(format!("{a:#?}"), format!("{b:#?}"));
        assert_eq!(format!("{a}"), format!("{b}"));
        assert_eq!(a.as_ref(), b.as_ref());
        assert_eq!(Blob::from(&bytes[..]), a);
        assert_eq!(Vec::from(a.clone()), b.clone().into_inner());
        assert_eq!(Blob::from_maybe_shared(bytes.clone()), a);
    }
    assert_eq!(Blob::default(), Blob::new(Vec::<u8>::new()));
}
