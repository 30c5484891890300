//! Property-based differential tests: the runtime's `primitives` against `aws-smithy-types` 1.9.3.
//!
//! Inputs excluded from comparison (the reference panics or overflows there, ours does not):
//! * `from_secs_and_nanos` / `set_subsec_nanos` with nanos >= 1e9 (reference panics / stores an
//!   out-of-range value); ours carries whole seconds, saturating. Only nanos < 1e9 are compared.
//! * `from_fractional_secs(secs, f)` where `(f * 1e9) as u32 > 1e9` (reference panics,
//!   roughly `f >= 1.000000001`, including `+inf`), and `secs == i64::MAX` with a fraction
//!   rounding to exactly 1e9 nanos (reference overflows `i64::MAX + 1`: panics in debug, wraps
//!   to `i64::MIN` in release). Ours carries/saturates; only normalization is checked there.
//! * `read` with a non-ASCII delimiter (reference slices `&next[1..]` and panics on a char
//!   boundary); only ASCII delimiters are compared.
//! * `base64::encoded_length(n)` for `n > usize::MAX / 2` (reference asserts); ours saturates.

#[path = "primitives/mod.rs"]
mod common;

use common::*;
use proptest::prelude::*;
use proptest::sample::Index;

const CASES: u32 = 2_000;
const PARSE_CASES: u32 = 5_000;

fn secs_strategy() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        // All of years 0001..=9999, with margins on both sides.
        (MIN_FMT - 10_000_000)..=(MAX_FMT + 10_000_000),
        (MIN_FMT - 2_000)..=(MIN_FMT + 2_000),
        (MAX_FMT - 2_000)..=(MAX_FMT + 2_000),
        // Bounds of the `time` crate range used internally by the reference.
        (MIN_TIME_CRATE - 2_000)..=(MIN_TIME_CRATE + 2_000),
        // Around the epoch (negative and positive).
        -200_000i64..=200_000,
        // Beyond year 9999 / before year 0001 (years up to about +-300000).
        -10_000_000_000_000i64..=10_000_000_000_000,
        (i64::MIN..=i64::MIN + 2_000),
        (i64::MAX - 2_000..=i64::MAX),
    ]
}

fn nanos_strategy() -> impl Strategy<Value = u32> {
    prop_oneof![
        0u32..1_000_000_000,
        Just(0u32),
        Just(1u32),
        Just(999_999_999u32),
        (0u32..1_000_000).prop_map(|x| x * 1000),
        (0u32..1000).prop_map(|x| x * 1_000_000),
        (0u32..10).prop_map(|x| x * 100_000_000),
    ]
}

/// Characters used to mutate date strings.
const MUTATION_CHARS: &[char] = &[
    '0', '1', '2', '5', '9', ':', '-', '+', '.', 'T', 't', 'Z', 'z', ' ', ',', 'G', 'M', 'T', 'a',
    'n', 'J', 'D', '\t', '\n', 'é', '\u{a0}', 'x',
];

#[derive(Debug, Clone)]
enum Mutation {
    Replace(Index, char),
    Insert(Index, char),
    Delete(Index),
    ToggleCase(Index),
    /// Replace a trailing `Z` (or the whole ` GMT` suffix) by this text.
    ReplaceZone(String),
    /// Append digits after the first `.` (more fraction digits).
    ExtraFraction(String),
    Prefix(String),
    Suffix(String),
    Lowercase,
    Uppercase,
}

fn offset_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        (prop::sample::select(vec!['+', '-']), 0u32..=25, 0u32..=61)
            .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        prop::sample::select(vec![
            "+01:30", "-00:00", "+00:00", "+23:59", "-23:59", "+24:00", "z", "Z", "", "+0130",
            "+1:30", "+01:3", "+01", "-01:00Z", "ZZ", " Z", "Z ", "UTC", " GMT", " UTC", "GMT",
        ])
        .prop_map(str::to_owned),
    ]
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    let ch = prop::sample::select(MUTATION_CHARS);
    let small = "[ 0-9a-zA-Z:.,+\\-]{0,4}";
    prop_oneof![
        (any::<Index>(), ch.clone()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        (any::<Index>(), ch).prop_map(|(i, c)| Mutation::Insert(i, c)),
        any::<Index>().prop_map(Mutation::Delete),
        any::<Index>().prop_map(Mutation::ToggleCase),
        offset_strategy().prop_map(Mutation::ReplaceZone),
        "[0-9]{1,12}".prop_map(Mutation::ExtraFraction),
        prop_oneof![
            Just(" ".to_owned()),
            Just("\t".to_owned()),
            small.prop_map(|s| s)
        ]
        .prop_map(Mutation::Prefix),
        prop_oneof![
            Just(" ".to_owned()),
            Just("\n".to_owned()),
            small.prop_map(|s| s)
        ]
        .prop_map(Mutation::Suffix),
        Just(Mutation::Lowercase),
        Just(Mutation::Uppercase),
    ]
}

fn apply(s: &str, m: &Mutation) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    match m {
        Mutation::Replace(i, c) if !chars.is_empty() => {
            let i = i.index(chars.len());
            chars[i] = *c;
        }
        Mutation::Insert(i, c) => {
            let i = i.index(chars.len() + 1);
            chars.insert(i, *c);
        }
        Mutation::Delete(i) if !chars.is_empty() => {
            let i = i.index(chars.len());
            chars.remove(i);
        }
        Mutation::ToggleCase(i) if !chars.is_empty() => {
            let i = i.index(chars.len());
            let c = chars[i];
            chars[i] = if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            };
        }
        Mutation::ReplaceZone(z) => {
            if let Some(stripped) = s.strip_suffix(" GMT") {
                return format!("{stripped}{z}");
            }
            if let Some(stripped) = s.strip_suffix('Z') {
                return format!("{stripped}{z}");
            }
            return format!("{s}{z}");
        }
        Mutation::ExtraFraction(d) => {
            return match s.find('.') {
                Some(idx) => {
                    let end = s[idx + 1..]
                        .find(|c: char| !c.is_ascii_digit())
                        .map_or(s.len(), |e| idx + 1 + e);
                    format!("{}{d}{}", &s[..end], &s[end..])
                }
                None => s.to_owned(),
            };
        }
        Mutation::Prefix(p) => return format!("{p}{s}"),
        Mutation::Suffix(p) => return format!("{s}{p}"),
        Mutation::Lowercase => return s.to_lowercase(),
        Mutation::Uppercase => return s.to_uppercase(),
        _ => {}
    }
    chars.into_iter().collect()
}

/// A formatted date in any of the formats (falling back to epoch seconds when out of range).
fn formatted_strategy() -> impl Strategy<Value = String> {
    (secs_strategy(), nanos_strategy(), 0usize..4).prop_map(|(secs, nanos, f)| {
        let dt = ours(secs, nanos);
        dt.fmt(FORMATS[f].0).unwrap_or_else(|_| {
            dt.fmt(aws_lite_runtime::primitives::date_time::Format::EpochSeconds)
                .unwrap()
        })
    })
}

/// RFC-3339-like strings built from (possibly out-of-range) components.
fn rfc3339_components() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            0u32..=9999,
            Just(0u32),
            Just(1u32),
            Just(2000u32),
            Just(1900u32),
            Just(9999u32)
        ],
        0u32..=13,
        0u32..=32,
        prop::sample::select(vec!['T', 't', ' ', 'x', '_']),
        0u32..=25,
        0u32..=61,
        prop_oneof![0u32..=59, Just(60u32), Just(61u32)],
        prop_oneof![Just(String::new()), "\\.[0-9]{0,14}"],
        offset_strategy(),
    )
        .prop_map(|(y, mo, d, sep, h, mi, s, frac, zone)| {
            format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{zone}")
        })
}

/// Leap-second candidates: last (or nearly last) day of a month at hh:mm:60 with an offset.
fn leap_second_strategy() -> impl Strategy<Value = String> {
    (
        prop_oneof![0u32..=9999, Just(0u32), Just(9999u32), Just(1972u32)],
        1u32..=12,
        26u32..=31,
        prop_oneof![Just(23u32), 0u32..=23],
        prop_oneof![Just(59u32), 0u32..=59],
        prop_oneof![Just(String::new()), "\\.[0-9]{1,10}"],
        prop_oneof![
            Just("Z".to_owned()),
            Just("z".to_owned()),
            (
                prop::sample::select(vec!['+', '-']),
                0u32..=23,
                prop_oneof![Just(0u32), 0u32..=59]
            )
                .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        ],
    )
        .prop_map(|(y, mo, d, h, mi, frac, zone)| {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:60{frac}{zone}")
        })
}

const WEEKDAYS: &[&str] = &[
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "mon", "MON", "Xyz", "Monday", "Mo", "",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "jan",
    "DEC", "Foo", "Sept", "Ja",
];

/// HTTP-date-like strings (IMF-fixdate plus RFC 850 and asctime shapes) from components.
fn http_components() -> impl Strategy<Value = String> {
    let imf = (
        prop::sample::select(WEEKDAYS),
        prop::sample::select(vec![", ", ",", " ", ",  "]),
        prop_oneof![
            (0u32..=32).prop_map(|d| format!("{d:02}")),
            (0u32..=9).prop_map(|d| d.to_string()),
            prop::sample::select(vec!["+1", "-1", " 1", "1 ", "+0", "00", "31", "29"])
                .prop_map(str::to_owned),
        ],
        prop::sample::select(MONTHS),
        prop_oneof![
            (0u32..=9999).prop_map(|y| format!("{y:04}")),
            prop::sample::select(vec![
                "-019", "+201", "-000", "-999", "+999", "2000", "1900", "1600", "0000", "99",
                "20199", " 201", "201 ",
            ])
            .prop_map(str::to_owned),
        ],
        prop_oneof![
            (0u32..=25, 0u32..=61, 0u32..=61).prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}")),
            prop::sample::select(vec![
                "+1:00:00", "00:+1:00", "00:00:+1", "1:00:00", "24:00:00"
            ])
            .prop_map(str::to_owned),
        ],
        prop_oneof![
            Just(String::new()),
            "\\.[0-9]{0,5}",
            prop::sample::select(vec![".+1", ".+12", ".-1", ". ", "x1", " ab", " 1"])
                .prop_map(str::to_owned),
        ],
        prop::sample::select(vec![
            " GMT", " GMT", " UTC", "", " gmt", "GMT", "  GMT", " GMT ",
        ]),
    )
        .prop_map(|(wd, sep, d, mo, y, hms, frac, zone)| {
            format!("{wd}{sep}{d} {mo} {y} {hms}{frac}{zone}")
        });
    let rfc850 = (
        0u32..=32,
        prop::sample::select(MONTHS),
        0u32..=99,
        0u32..=24,
    )
        .prop_map(|(d, mo, y, h)| format!("Sunday, {d:02}-{mo}-{y:02} {h:02}:49:37 GMT"));
    let asctime = (prop::sample::select(MONTHS), 1u32..=31, 1900u32..=2100)
        .prop_map(|(mo, d, y)| format!("Sun {mo} {d:>2} 08:49:37 {y}"));
    prop_oneof![6 => imf, 1 => rfc850, 1 => asctime]
}

/// Epoch-seconds-like strings.
fn epoch_components() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["", "-", "+", "--", "+-", " "]),
        prop_oneof![
            "[0-9]{0,20}",
            any::<i64>().prop_map(|x| x.unsigned_abs().to_string())
        ],
        prop_oneof![
            Just(String::new()),
            "\\.[0-9+\\- .]{0,11}",
            "\\.[0-9]{0,10}"
        ],
        prop_oneof![Just(String::new()), "[ ,.eE0-9]{0,3}"],
    )
        .prop_map(|(sign, whole, frac, tail)| format!("{sign}{whole}{frac}{tail}"))
}

fn special_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        -1e20f64..1e20,
        -10f64..10.0,
        prop::sample::select(vec![
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            -1.95877825437922e-309,
            -1e-17,
            1e-17,
            f64::MAX,
            f64::MIN,
            9.223372036854775e18,
            -9.223372036854775e18,
            9.3e18,
            -9.3e18,
            0.999_999_999_5,
            1.0 - f64::EPSILON,
            -(1.0 - f64::EPSILON),
        ]),
    ]
}

fn fraction_strategy() -> impl Strategy<Value = f64> {
    prop_oneof![
        0f64..1.0,
        0.999_999_998f64..1.000_000_002,
        -2f64..5.0,
        special_f64(),
        Just(1.0),
        Just(1.000_000_000_5),
        Just(0.52),
        Just(0.123),
    ]
}

fn nanos_i128_strategy() -> impl Strategy<Value = i128> {
    let max = i128::from(i64::MAX) * 1_000_000_000 + 999_999_999;
    let min = i128::from(i64::MIN) * 1_000_000_000;
    prop_oneof![
        any::<i128>(),
        any::<i64>().prop_map(i128::from),
        (max - 10_000)..=(max + 10_000),
        (min - 10_000)..=(min + 10_000),
        -10_000_000_000i128..=10_000_000_000,
        (min - 1_000_000_000_000_000i128)..=(max + 1_000_000_000_000_000),
    ]
}

fn base64_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9+/=\\-_ \n]{0,64}",
        // Built from 4-character groups (correct length more often), SIMD-length inputs too.
        prop::collection::vec(
            "[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/=\\-_ \n]{4}",
            0..24
        )
        .prop_map(|v| v.concat()),
        // Valid encodings with a single mutation.
        (
            prop::collection::vec(any::<u8>(), 0..120),
            any::<Index>(),
            prop::sample::select(vec!['=', '-', '_', ' ', '\n', 'A', '/', '+', 'z', 'é']),
            0u8..4,
        )
            .prop_map(|(bytes, idx, c, op)| {
                let mut s: Vec<char> = aws_lite_runtime::primitives::base64::encode(&bytes)
                    .chars()
                    .collect();
                match op {
                    0 if !s.is_empty() => {
                        let i = idx.index(s.len());
                        s[i] = c;
                    }
                    1 => {
                        let i = idx.index(s.len() + 1);
                        s.insert(i, c);
                    }
                    2 if !s.is_empty() => {
                        // Drop or add padding / last char.
                        s.pop();
                    }
                    _ => s.push('='),
                }
                s.into_iter().collect()
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn fmt_display_debug_and_reparse(secs in secs_strategy(), nanos in nanos_strategy()) {
        check_fmt(secs, nanos);
    }

    #[test]
    fn numeric_conversions(secs in secs_strategy(), nanos in nanos_strategy()) {
        check_numeric(secs, nanos);
    }

    #[test]
    fn ordering(a in (secs_strategy(), nanos_strategy()), b in (secs_strategy(), nanos_strategy()), near in any::<bool>()) {
        // Also compare close pairs (same or adjacent seconds).
        let b = if near { (a.0.saturating_add(b.0 % 2), b.1) } else { b };
        let (oa, ob) = (ours(a.0, a.1), ours(b.0, b.1));
        let (ra, rb) = (theirs(a.0, a.1), theirs(b.0, b.1));
        prop_assert_eq!(oa.cmp(&ob), ra.cmp(&rb));
        prop_assert_eq!(oa.partial_cmp(&ob), ra.partial_cmp(&rb));
        prop_assert_eq!(oa == ob, ra == rb);
    }

    #[test]
    fn from_millis_matches(millis in prop_oneof![any::<i64>(), -100_000i64..100_000, Just(i64::MIN), Just(i64::MAX)]) {
        let a = aws_lite_runtime::primitives::date_time::DateTime::from_millis(millis);
        let b = aws_smithy_types::DateTime::from_millis(millis);
        assert_same_dt(&a, &b, &millis);
        prop_assert_eq!(a.to_millis().ok(), b.to_millis().ok());
    }

    #[test]
    fn from_nanos_matches(n in nanos_i128_strategy()) {
        check_from_nanos(n);
    }

    #[test]
    fn from_fractional_secs_matches(secs in secs_strategy(), fraction in fraction_strategy()) {
        check_fractional(secs, fraction);
    }

    #[test]
    fn from_secs_f64_matches(x in special_f64()) {
        check_secs_f64(x);
    }

    #[test]
    fn from_secs_f64_of_exact_values(secs in secs_strategy(), nanos in nanos_strategy()) {
        check_secs_f64(ours(secs, nanos).as_secs_f64());
        check_secs_f64(secs as f64 + f64::from(nanos) / 1e9);
    }

    #[test]
    fn system_time_from_arbitrary(secs in secs_strategy(), nanos in nanos_strategy(), neg in any::<bool>()) {
        use std::time::{Duration, UNIX_EPOCH};
        let d = Duration::new(secs.unsigned_abs(), nanos);
        let st = if neg { UNIX_EPOCH.checked_sub(d) } else { UNIX_EPOCH.checked_add(d) };
        if let Some(st) = st {
            assert_same_dt(
                &aws_lite_runtime::primitives::date_time::DateTime::from(st),
                &aws_smithy_types::DateTime::from(st),
                &st,
            );
        }
    }

    #[test]
    fn base64_encode_matches(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check_b64_encode(&bytes);
    }

    #[test]
    fn base64_decode_matches(s in base64_strategy()) {
        check_b64_decode(&s);
    }

    #[test]
    fn base64_encoded_length_matches(n in prop_oneof![0usize..10_000, 0usize..=usize::MAX / 2]) {
        prop_assert_eq!(
            aws_lite_runtime::primitives::base64::encoded_length(n),
            aws_smithy_types::base64::encoded_length(n)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(PARSE_CASES))]

    #[test]
    fn parse_mutated_formatted(base in formatted_strategy(), muts in prop::collection::vec(mutation_strategy(), 1..4)) {
        let mut s = base;
        for m in &muts {
            s = apply(&s, m);
            check_parse(&s);
        }
    }

    #[test]
    fn parse_rfc3339_components(s in rfc3339_components(), m in prop::option::of(mutation_strategy())) {
        check_parse(&s);
        if let Some(m) = m {
            check_parse(&apply(&s, &m));
        }
    }

    #[test]
    fn parse_leap_seconds(s in leap_second_strategy()) {
        check_parse(&s);
    }

    #[test]
    fn parse_http_components(s in http_components(), m in prop::option::of(mutation_strategy())) {
        check_parse(&s);
        if let Some(m) = m {
            check_parse(&apply(&s, &m));
        }
    }

    #[test]
    fn parse_epoch_components(s in epoch_components()) {
        check_parse(&s);
    }

    #[test]
    fn parse_arbitrary_ascii(s in "[ -~\t\n]{0,40}") {
        check_parse(&s);
    }

    #[test]
    fn parse_date_alphabet(s in "[0-9TZtz:.+\\- ,GMTa-zA-Z]{0,35}") {
        check_parse(&s);
    }

    #[test]
    fn parse_arbitrary_unicode(s in "\\PC{0,40}") {
        check_parse(&s);
    }
}
