//! Helpers shared by the differential test binaries: every check runs the same input through
//! the runtime's `primitives` ("ours") and `aws-smithy-types` 1.9.3 ("reference") and panics on any difference.
#![allow(dead_code)]

use aws_lite_runtime::primitives::date_time as o;
use aws_smithy_types::date_time as r;
use std::fmt::Debug;
use std::time::SystemTime;

/// Every format, paired.
pub const FORMATS: [(o::Format, r::Format); 4] = [
    (o::Format::DateTime, r::Format::DateTime),
    (o::Format::DateTimeWithOffset, r::Format::DateTimeWithOffset),
    (o::Format::HttpDate, r::Format::HttpDate),
    (o::Format::EpochSeconds, r::Format::EpochSeconds),
];

/// ASCII delimiters used for `read` (non-ASCII delimiters make the reference panic).
pub const DELIMS: [char; 10] = [',', ' ', 'Z', 'T', '.', ':', '-', 'G', ';', '\n'];

/// Epoch seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
pub const MIN_FMT: i64 = -62_135_596_800;
pub const MAX_FMT: i64 = 253_402_300_799;
/// Lowest timestamp the `time` crate (without `large-dates`) supports: -9999-01-01T00:00:00Z.
pub const MIN_TIME_CRATE: i64 = -377_705_116_800;

pub fn ours(secs: i64, nanos: u32) -> o::DateTime {
    o::DateTime::from_secs_and_nanos(secs, nanos)
}

/// `nanos` must be below 1e9 (the reference panics otherwise).
pub fn theirs(secs: i64, nanos: u32) -> r::DateTime {
    r::DateTime::from_secs_and_nanos(secs, nanos)
}

pub fn same_dt(a: &o::DateTime, b: &r::DateTime) -> bool {
    a.secs() == b.secs() && a.subsec_nanos() == b.subsec_nanos()
}

#[track_caller]
pub fn assert_same_dt(a: &o::DateTime, b: &r::DateTime, context: &dyn Debug) {
    assert!(
        same_dt(a, b),
        "value mismatch for {context:?}: ours=({}, {}) reference=({}, {})",
        a.secs(),
        a.subsec_nanos(),
        b.secs(),
        b.subsec_nanos()
    );
}

#[track_caller]
fn compare_results<A: Debug, B: Debug, E1: Debug, E2: Debug>(
    a: &Result<A, E1>,
    b: &Result<B, E2>,
    eq: impl Fn(&A, &B) -> bool,
    context: &dyn Debug,
) {
    match (a, b) {
        (Ok(x), Ok(y)) => assert!(
            eq(x, y),
            "value mismatch for {context:?}: ours={x:?} reference={y:?}"
        ),
        (Err(_), Err(_)) => {}
        _ => panic!("Ok/Err mismatch for {context:?}: ours={a:?} reference={b:?}"),
    }
}

/// Compares `from_str` in every format and `read` in every format with every delimiter.
#[track_caller]
pub fn check_parse(input: &str) {
    for (of, rf) in FORMATS {
        let a = o::DateTime::from_str(input, of);
        let b = r::DateTime::from_str(input, rf);
        compare_results(&a, &b, same_dt, &("from_str", input, of));
        for delim in DELIMS {
            let a = o::DateTime::read(input, of, delim);
            let b = r::DateTime::read(input, rf, delim);
            compare_results(
                &a,
                &b,
                |x, y| same_dt(&x.0, &y.0) && x.1 == y.1,
                &("read", input, of, delim),
            );
        }
    }
}

/// Compares formatting in every format, `Display` and `Debug`, and re-parses every output
/// (alone, and followed by a delimiter and a second date for `read`).
#[track_caller]
pub fn check_fmt(secs: i64, nanos: u32) {
    let a = ours(secs, nanos);
    let b = theirs(secs, nanos);
    assert_eq!(a.to_string(), b.to_string(), "Display of ({secs}, {nanos})");
    assert_eq!(
        format!("{a:?}"),
        format!("{b:?}"),
        "Debug of ({secs}, {nanos})"
    );
    for (of, rf) in FORMATS {
        let x = a.fmt(of);
        let y = b.fmt(rf);
        compare_results(&x, &y, |p, q| p == q, &("fmt", secs, nanos, of));
        if let Ok(s) = x {
            check_parse(&s);
            check_parse(&format!("{s},{s}"));
            check_parse(&format!(" {s} "));
        }
    }
}

/// Compares the numeric conversions of one (valid) DateTime.
#[track_caller]
pub fn check_numeric(secs: i64, nanos: u32) {
    let a = ours(secs, nanos);
    let b = theirs(secs, nanos);
    assert_same_dt(&a, &b, &("from_secs_and_nanos", secs, nanos));
    assert_eq!(a.as_nanos(), b.as_nanos());
    assert_eq!(a.as_secs_f64().to_bits(), b.as_secs_f64().to_bits());
    assert_eq!(a.has_subsec_nanos(), b.has_subsec_nanos());
    compare_results(
        &a.to_millis(),
        &b.to_millis(),
        |x, y| x == y,
        &("to_millis", secs, nanos),
    );
    let sa = SystemTime::try_from(a);
    let sb = SystemTime::try_from(b);
    compare_results(
        &sa,
        &sb,
        |x, y| x == y,
        &("SystemTime::try_from", secs, nanos),
    );
    if let Ok(st) = sa {
        assert_same_dt(
            &o::DateTime::from(st),
            &r::DateTime::from(st),
            &("From<SystemTime>", st),
        );
    }
    let back = o::DateTime::from_nanos(a.as_nanos());
    assert!(back.is_ok_and(|d| d == a));
    // Setters with in-range values.
    let mut a2 = o::DateTime::from_secs(0);
    a2.set_seconds(secs).set_subsec_nanos(nanos);
    let mut b2 = r::DateTime::from_secs(0);
    b2.set_seconds(secs).set_subsec_nanos(nanos);
    assert_same_dt(&a2, &b2, &("setters", secs, nanos));
}

/// Compares `from_nanos`.
#[track_caller]
pub fn check_from_nanos(n: i128) {
    compare_results(
        &o::DateTime::from_nanos(n),
        &r::DateTime::from_nanos(n),
        same_dt,
        &("from_nanos", n),
    );
}

/// Whether the reference's `from_fractional_secs` panics (nanos > 1e9) or overflows
/// `i64::MAX + 1` (rollover of a fraction that rounds to exactly 1e9 nanos).
pub fn reference_fractional_unsupported(secs: i64, fraction: f64) -> bool {
    let nanos = (fraction * 1_000_000_000_f64) as u32;
    nanos > 1_000_000_000 || (nanos == 1_000_000_000 && secs == i64::MAX)
}

/// Compares `from_fractional_secs` where the reference is defined; elsewhere only checks
/// that ours returns a normalized value.
#[track_caller]
pub fn check_fractional(secs: i64, fraction: f64) {
    let a = o::DateTime::from_fractional_secs(secs, fraction);
    assert!(a.subsec_nanos() < 1_000_000_000);
    if !reference_fractional_unsupported(secs, fraction) {
        let b = r::DateTime::from_fractional_secs(secs, fraction);
        assert_same_dt(&a, &b, &("from_fractional_secs", secs, fraction));
    }
}

#[track_caller]
pub fn check_secs_f64(x: f64) {
    let a = o::DateTime::from_secs_f64(x);
    let b = r::DateTime::from_secs_f64(x);
    assert_same_dt(&a, &b, &("from_secs_f64", x));
}

#[track_caller]
pub fn check_b64_decode(input: &str) {
    let a = aws_lite_runtime::primitives::base64::decode(input);
    let b = aws_smithy_types::base64::decode(input);
    compare_results(&a, &b, |x, y| x == y, &("base64::decode", input));
}

#[track_caller]
pub fn check_b64_encode(bytes: &[u8]) {
    assert_eq!(
        aws_lite_runtime::primitives::base64::encode(bytes),
        aws_smithy_types::base64::encode(bytes),
        "base64::encode({bytes:?})"
    );
    assert_eq!(
        aws_lite_runtime::primitives::base64::encoded_length(bytes.len()),
        aws_smithy_types::base64::encoded_length(bytes.len())
    );
    check_b64_decode(&aws_lite_runtime::primitives::base64::encode(bytes));
}
