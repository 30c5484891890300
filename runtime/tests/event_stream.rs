//! The hand-written event stream framing (`event_stream`, feature `event-stream`) against the
//! official SDK's `aws-smithy-eventstream`, both ways: messages the official writer encodes
//! decode with the runtime's `MessageDecoder` (whole, a byte at a time, and cut at random) to
//! the same headers and payload; messages the runtime's `write_message` encodes are the same
//! bytes and decode with the official decoder to the same message. Then corrupted, truncated
//! and over-long frames, frames with arbitrary header bytes (the two decoders accept the same
//! ones), the upstream test vectors (`tests/data/event_stream/`, see its PROVENANCE.md), and
//! `EventReceiver::recv` over a body of frames the official writer encoded.
//!
//! Every CRC32 the test computes itself is `crc32fast`'s, never the runtime's.

use aws_lite_runtime::error::{ErrorMetadata, SdkError};
use aws_lite_runtime::event_stream::{
    self as es, EventReceiver, EventStreamUnion, MAX_HEADERS_LEN, MAX_MESSAGE_LEN, MessageDecoder,
    RawMessage, deserialize_payload, write_message,
};
use aws_lite_runtime::http::{Body, BoxError};
use aws_lite_runtime::primitives::{ByteStream, DateTime};
use aws_lite_runtime::protocol::{ErrorBody, Protocol};
use aws_smithy_eventstream::frame::{
    DecodedFrame, MessageFrameDecoder, read_message_from, write_message_to,
};
use aws_smithy_types::event_stream as theirs;
use bytes::Bytes;
use proptest::prelude::*;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A header value in neither crate's types, so the two can be compared.
#[derive(Clone, Debug, PartialEq)]
enum V {
    Bool(bool),
    Byte(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Bytes(Vec<u8>),
    Str(String),
    /// Milliseconds since the epoch.
    Time(i64),
    Uuid(u128),
}

/// Headers and payload, in neither crate's types.
type Neutral = (Vec<(String, V)>, Vec<u8>);

fn to_ours((headers, payload): &Neutral) -> es::Message {
    let mut message = es::Message::new(payload.clone());
    for (name, value) in headers {
        let value = match value {
            V::Bool(v) => es::HeaderValue::Bool(*v),
            V::Byte(v) => es::HeaderValue::Byte(*v),
            V::Int16(v) => es::HeaderValue::Int16(*v),
            V::Int32(v) => es::HeaderValue::Int32(*v),
            V::Int64(v) => es::HeaderValue::Int64(*v),
            V::Bytes(v) => es::HeaderValue::ByteArray(Bytes::from(v.clone())),
            V::Str(v) => es::HeaderValue::String(v.clone()),
            V::Time(v) => es::HeaderValue::Timestamp(DateTime::from_millis(*v)),
            V::Uuid(v) => es::HeaderValue::Uuid(*v),
        };
        message = message.add_header(es::Header::new(name.clone(), value));
    }
    message
}

fn to_theirs((headers, payload): &Neutral) -> theirs::Message {
    let mut message = theirs::Message::new(payload.clone());
    for (name, value) in headers {
        let value = match value {
            V::Bool(v) => theirs::HeaderValue::Bool(*v),
            V::Byte(v) => theirs::HeaderValue::Byte(*v),
            V::Int16(v) => theirs::HeaderValue::Int16(*v),
            V::Int32(v) => theirs::HeaderValue::Int32(*v),
            V::Int64(v) => theirs::HeaderValue::Int64(*v),
            V::Bytes(v) => theirs::HeaderValue::ByteArray(Bytes::from(v.clone())),
            V::Str(v) => theirs::HeaderValue::String(v.clone().into()),
            V::Time(v) => {
                theirs::HeaderValue::Timestamp(aws_smithy_types::DateTime::from_millis(*v))
            }
            V::Uuid(v) => theirs::HeaderValue::Uuid(*v),
        };
        message = message.add_header(theirs::Header::new(name.clone(), value));
    }
    message
}

fn from_ours(message: &es::Message) -> Neutral {
    let headers = message
        .headers()
        .iter()
        .map(|h| {
            let value = match h.value() {
                es::HeaderValue::Bool(v) => V::Bool(*v),
                es::HeaderValue::Byte(v) => V::Byte(*v),
                es::HeaderValue::Int16(v) => V::Int16(*v),
                es::HeaderValue::Int32(v) => V::Int32(*v),
                es::HeaderValue::Int64(v) => V::Int64(*v),
                es::HeaderValue::ByteArray(v) => V::Bytes(v.to_vec()),
                es::HeaderValue::String(v) => V::Str(v.clone()),
                es::HeaderValue::Timestamp(v) => V::Time(v.to_millis().expect("read from millis")),
                es::HeaderValue::Uuid(v) => V::Uuid(*v),
                other => panic!("a header type the test does not know: {other:?}"),
            };
            (h.name().to_owned(), value)
        })
        .collect();
    (headers, message.payload().to_vec())
}

fn from_theirs(message: &theirs::Message) -> Neutral {
    let headers = message
        .headers()
        .iter()
        .map(|h| {
            let value = match h.value() {
                theirs::HeaderValue::Bool(v) => V::Bool(*v),
                theirs::HeaderValue::Byte(v) => V::Byte(*v),
                theirs::HeaderValue::Int16(v) => V::Int16(*v),
                theirs::HeaderValue::Int32(v) => V::Int32(*v),
                theirs::HeaderValue::Int64(v) => V::Int64(*v),
                theirs::HeaderValue::ByteArray(v) => V::Bytes(v.to_vec()),
                theirs::HeaderValue::String(v) => V::Str(v.as_str().to_owned()),
                theirs::HeaderValue::Timestamp(v) => {
                    V::Time(v.to_millis().expect("read from millis"))
                }
                theirs::HeaderValue::Uuid(v) => V::Uuid(*v),
                other => panic!("a header type the test does not know: {other:?}"),
            };
            (h.name().as_str().to_owned(), value)
        })
        .collect();
    (headers, message.payload().to_vec())
}

fn encode_theirs(message: &theirs::Message) -> Vec<u8> {
    let mut out = Vec::new();
    write_message_to(message, &mut out).expect("the official writer encodes it");
    out
}

/// Every message of `bytes` through the runtime's decoder, fed in pieces cut at `cuts`
/// (offsets, in any order); the error if one is met.
fn decode_ours_cut(
    bytes: &[u8],
    cuts: &[usize],
) -> Result<(Vec<es::Message>, bool), es::FrameError> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.push(bytes.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut decoder = MessageDecoder::new();
    let mut messages = Vec::new();
    let mut from = 0;
    for cut in cuts {
        decoder.extend(&bytes[from..cut]);
        from = cut;
        while let Some(message) = decoder.next_message()? {
            messages.push(message);
        }
    }
    Ok((messages, decoder.has_partial()))
}

/// The one message of `bytes` through the runtime's decoder, given all at once.
fn decode_ours(bytes: &[u8]) -> Result<Option<es::Message>, es::FrameError> {
    let mut decoder = MessageDecoder::new();
    decoder.extend(bytes);
    decoder.next_message()
}

/// The one message of `bytes` through the official streaming decoder.
fn decode_theirs(
    bytes: &[u8],
) -> Result<Option<theirs::Message>, aws_smithy_eventstream::error::Error> {
    let mut buf = bytes;
    match MessageFrameDecoder::new().decode_frame(&mut buf)? {
        DecodedFrame::Complete(message) => Ok(Some(message)),
        DecodedFrame::Incomplete => Ok(None),
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// A frame with these headers bytes and payload, both CRCs right (computed by `crc32fast`).
fn frame_with_raw_headers(headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = (16 + headers.len() + payload.len()) as u32;
    let mut out = Vec::new();
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    out.extend_from_slice(&crc32(&out).to_be_bytes());
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    out.extend_from_slice(&crc32(&out).to_be_bytes());
    out
}

/// A prelude claiming `total` and `headers_len`, its CRC right.
fn prelude(total: u32, headers_len: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&headers_len.to_be_bytes());
    out.extend_from_slice(&crc32(&out).to_be_bytes());
    out
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z:-]{1,20}",
        1 => "\\PC{1,40}",
        1 => "[a-zA-Z0-9]{255}",
    ]
    .prop_filter("1 to 255 bytes", |n| (1..=255).contains(&n.len()))
}

fn header_value() -> impl Strategy<Value = V> {
    prop_oneof![
        10 => any::<bool>().prop_map(V::Bool),
        10 => any::<i8>().prop_map(V::Byte),
        10 => any::<i16>().prop_map(V::Int16),
        10 => any::<i32>().prop_map(V::Int32),
        10 => any::<i64>().prop_map(V::Int64),
        10 => prop::collection::vec(any::<u8>(), 0..200).prop_map(V::Bytes),
        // The longest value both writers allow.
        1 => Just(V::Bytes(vec![0xab; i16::MAX as usize])),
        1 => Just(V::Str("s".repeat(i16::MAX as usize))),
        10 => "\\PC{0,40}".prop_map(V::Str),
        5 => any::<i64>().prop_map(V::Time),
        // Timestamps of this century, and around the epoch.
        5 => (-10_000_000_000_000i64..10_000_000_000_000).prop_map(V::Time),
        10 => any::<u128>().prop_map(V::Uuid),
    ]
}

/// The length of the headers section `headers` encode to.
fn headers_len(headers: &[(String, V)]) -> usize {
    headers
        .iter()
        .map(|(name, value)| {
            2 + name.len()
                + match value {
                    V::Bool(_) => 0,
                    V::Byte(_) => 1,
                    V::Int16(_) => 2,
                    V::Int32(_) => 4,
                    V::Int64(_) | V::Time(_) => 8,
                    V::Bytes(b) => 2 + b.len(),
                    V::Str(s) => 2 + s.len(),
                    V::Uuid(_) => 16,
                }
        })
        .sum()
}

fn message() -> impl Strategy<Value = Neutral> {
    (
        prop_oneof![
            2 => prop::collection::vec((header_name(), header_value()), 0..8),
            1 => prop::collection::vec((header_name(), header_value()), 0..120),
        ],
        prop_oneof![
            2 => Just(Vec::new()),
            4 => prop::collection::vec(any::<u8>(), 0..300),
            1 => prop::collection::vec(any::<u8>(), 0..70_000),
        ],
    )
        .prop_filter("headers within the 128 KiB limit", |(h, _)| {
            headers_len(h) <= MAX_HEADERS_LEN
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Official writer → runtime decoder, whole and in pieces; the runtime's writer writes the
    /// same bytes.
    #[test]
    fn official_frames_decode_the_same(
        messages in prop::collection::vec(message(), 1..4),
        cuts in prop::collection::vec(any::<usize>(), 0..12),
    ) {
        let mut stream = Vec::new();
        for m in &messages {
            let bytes = encode_theirs(&to_theirs(m));
            let ours = write_message(&to_ours(m)).expect("the runtime writes it");
            prop_assert_eq!(&ours, &bytes, "the two writers differ");
            let decoded = decode_ours(&bytes).expect("valid").expect("whole");
            prop_assert_eq!(&from_ours(&decoded), m);
            stream.extend_from_slice(&bytes);
        }
        let (decoded, partial) = decode_ours_cut(&stream, &cuts).expect("valid");
        prop_assert!(!partial);
        prop_assert_eq!(decoded.iter().map(from_ours).collect::<Vec<_>>(), messages);
    }

    /// Runtime writer → official decoder.
    #[test]
    fn runtime_frames_decode_the_same_officially(m in message()) {
        let bytes = write_message(&to_ours(&m)).expect("the runtime writes it");
        let decoded = decode_theirs(&bytes).expect("valid").expect("whole");
        prop_assert_eq!(&from_theirs(&decoded), &m);
        let decoded = read_message_from(&bytes[..]).expect("valid");
        prop_assert_eq!(from_theirs(&decoded), m);
    }

    /// Arbitrary header bytes in a frame whose CRCs are right: the two decoders accept the same
    /// frames and read the same message, except that the runtime refuses an empty header name
    /// (which the official decoder reads).
    #[test]
    fn arbitrary_headers_are_read_alike(
        pieces in prop::collection::vec(
            prop_oneof![
                // A well-formed header, for the arbitrary bytes around it to land in.
                (header_name(), header_value()).prop_map(|h| {
                    let bytes = write_message(&to_ours(&(vec![h], Vec::new()))).unwrap();
                    bytes[12..bytes.len() - 4].to_vec()
                }),
                prop::collection::vec(any::<u8>(), 0..6),
                prop::collection::vec(0u8..12, 0..4),
            ],
            0..6,
        ),
        payload in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        let headers: Vec<u8> = pieces.concat();
        let frame = frame_with_raw_headers(&headers, &payload);
        let ours = decode_ours(&frame);
        let theirs = decode_theirs(&frame);
        match (&ours, &theirs) {
            (Ok(Some(a)), Ok(Some(b))) => prop_assert_eq!(from_ours(a), from_theirs(b)),
            (Err(_), Err(_)) => {}
            (Err(_), Ok(Some(b))) => prop_assert!(
                b.headers().iter().any(|h| h.name().as_str().is_empty()),
                "the runtime refused {:?}, which the official decoder reads", b
            ),
            _ => prop_assert!(false, "ours {:?}, theirs {:?}", ours, theirs),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Changing any one byte of a valid frame (to any other value) is an error for both
    /// decoders: the CRC32s catch every single-byte change. Never a panic, never a message.
    #[test]
    fn every_single_byte_change_is_an_error(
        m in (
            prop::collection::vec((header_name(), header_value()), 0..5),
            prop::collection::vec(any::<u8>(), 0..64),
        ).prop_filter("small", |(h, _)| h.iter().all(|(_, v)| !matches!(v, V::Bytes(b) if b.len() > 200))),
        xor in 1u8..=255,
    ) {
        let bytes = encode_theirs(&to_theirs(&m));
        for at in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[at] ^= xor;
            let ours = decode_ours(&bad);
            prop_assert!(ours.is_err(), "byte {} ^ {:#04x}: ours gave {:?}", at, xor, ours);
            prop_assert!(read_message_from(&bad[..]).is_err(), "byte {}: the official decoder read it", at);
        }
    }

    /// Every proper prefix of a valid frame needs more bytes, for both decoders.
    #[test]
    fn truncated_frames_need_more_bytes(m in (
        prop::collection::vec((header_name(), header_value()), 0..5),
        prop::collection::vec(any::<u8>(), 0..64),
    ).prop_filter("small", |(h, _)| h.iter().all(|(_, v)| !matches!(v, V::Bytes(b) if b.len() > 200)))) {
        let bytes = encode_theirs(&to_theirs(&m));
        for len in 0..bytes.len() {
            let ours = decode_ours(&bytes[..len]);
            prop_assert!(matches!(ours, Ok(None)), "{} of {} bytes: {:?}", len, bytes.len(), ours);
            let theirs = decode_theirs(&bytes[..len]);
            prop_assert!(matches!(theirs, Ok(None)), "{} of {} bytes: {:?}", len, bytes.len(), theirs);
        }
    }
}

#[test]
fn lengths_over_the_limits_are_errors_naming_them() {
    assert_eq!(MAX_MESSAGE_LEN, 16 * 1024 * 1024);
    assert_eq!(MAX_HEADERS_LEN, 128 * 1024);

    let over = decode_ours(&prelude(MAX_MESSAGE_LEN as u32 + 1, 0)).unwrap_err();
    assert!(over.to_string().contains("16777216"), "{over}");
    let over = decode_ours(&prelude(u32::MAX, 0)).unwrap_err();
    assert!(over.to_string().contains("16777216"), "{over}");
    let over =
        decode_ours(&prelude(MAX_MESSAGE_LEN as u32, MAX_HEADERS_LEN as u32 + 1)).unwrap_err();
    assert!(over.to_string().contains("131072"), "{over}");

    // At the limits: not an error, more bytes needed.
    let at = decode_ours(&prelude(MAX_MESSAGE_LEN as u32, MAX_HEADERS_LEN as u32));
    assert!(matches!(at, Ok(None)), "{at:?}");
    // A total too small for the prelude, CRC and headers.
    assert!(decode_ours(&prelude(15, 0)).is_err());
    assert!(decode_ours(&prelude(20, 5)).is_err());
    assert!(decode_theirs(&[prelude(15, 0), vec![0; 3]].concat()).is_err());

    // A message of exactly 16 MiB from the official writer is read; one byte more is refused
    // by the runtime's writer and, from the official writer, by the runtime's decoder.
    let payload = vec![7u8; MAX_MESSAGE_LEN - 16 - 3];
    let m: Neutral = (vec![("a".into(), V::Bool(true))], payload);
    let bytes = encode_theirs(&to_theirs(&m));
    assert_eq!(bytes.len(), MAX_MESSAGE_LEN);
    assert_eq!(from_ours(&decode_ours(&bytes).unwrap().unwrap()), m);
    let m: Neutral = (vec![("ab".into(), V::Bool(true))], m.1);
    let bytes = encode_theirs(&to_theirs(&m));
    let err = decode_ours(&bytes).unwrap_err();
    assert!(err.to_string().contains("16777216"), "{err}");
    assert!(write_message(&to_ours(&m)).is_err());

    // Headers of 128 KiB + a few bytes from the official writer.
    let big: Vec<(String, V)> = (0..5)
        .map(|i| (format!("h{i}"), V::Bytes(vec![1; i16::MAX as usize])))
        .collect();
    let bytes = encode_theirs(&to_theirs(&(big.clone(), Vec::new())));
    let err = decode_ours(&bytes).unwrap_err();
    assert!(err.to_string().contains("131072"), "{err}");
    assert!(write_message(&to_ours(&(big, Vec::new()))).is_err());
}

#[test]
fn header_values_longer_than_i16_max_are_refused_by_both_writers() {
    for len in [i16::MAX as usize + 1, u16::MAX as usize] {
        let m: Neutral = (vec![("h".into(), V::Bytes(vec![0; len]))], Vec::new());
        assert!(write_message_to(&to_theirs(&m), &mut Vec::new()).is_err());
        assert!(write_message(&to_ours(&m)).is_err(), "{len} bytes");
        let m: Neutral = (vec![("h".into(), V::Str("a".repeat(len)))], Vec::new());
        assert!(write_message_to(&to_theirs(&m), &mut Vec::new()).is_err());
        assert!(write_message(&to_ours(&m)).is_err(), "{len} bytes");
    }
}

fn vector(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/data/event_stream/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// smithy-rs's vectors (`tests/data/event_stream/`): the expected values are those upstream's
/// unit tests assert (`read_all_headers_and_payload`), or read by hand from the bytes.
#[test]
fn upstream_valid_vectors_decode_as_expected() {
    let cases: Vec<(&str, Neutral)> = vec![
        (
            "valid_with_all_headers_and_payload",
            (
                vec![
                    ("true".into(), V::Bool(true)),
                    ("false".into(), V::Bool(false)),
                    ("byte".into(), V::Byte(50)),
                    ("short".into(), V::Int16(20_000)),
                    ("int".into(), V::Int32(500_000)),
                    ("long".into(), V::Int64(50_000_000_000)),
                    ("bytes".into(), V::Bytes(b"some bytes".to_vec())),
                    ("str".into(), V::Str("some str".into())),
                    ("time".into(), V::Time(5_000_000_000)),
                    (
                        "uuid".into(),
                        V::Uuid(0xb79bc914_de21_4e13_b8b2_bc47e85b7f0b),
                    ),
                ],
                b"some payload".to_vec(),
            ),
        ),
        (
            "valid_empty_payload",
            (vec![("some-header".into(), V::Int16(500))], Vec::new()),
        ),
        (
            "valid_no_headers",
            (Vec::new(), b"another test payload".to_vec()),
        ),
    ];
    for (name, expected) in cases {
        let bytes = vector(name);
        let ours = decode_ours(&bytes).expect(name).expect(name);
        assert_eq!(from_ours(&ours), expected, "{name}");
        let theirs = read_message_from(&bytes[..]).expect(name);
        assert_eq!(from_theirs(&theirs), expected, "{name}");
        assert_eq!(write_message(&ours).unwrap(), bytes, "{name}: written back");
        for len in 0..bytes.len() {
            assert!(
                matches!(decode_ours(&bytes[..len]), Ok(None)),
                "{name}: {len} bytes"
            );
        }
    }
}

#[test]
fn upstream_invalid_vectors_are_errors() {
    let names = [
        "invalid_header_name_length",
        "invalid_header_name_length_too_long",
        "invalid_header_string_length_cut_off",
        "invalid_header_string_value_length",
        "invalid_header_value_type",
        "invalid_headers_length",
        "invalid_message_checksum",
        "invalid_prelude_checksum",
    ];
    for name in names {
        let bytes = vector(name);
        assert!(
            read_message_from(&bytes[..]).is_err(),
            "{name}: the official decoder read it"
        );
        let ours = decode_ours(&bytes);
        assert!(ours.is_err(), "{name}: {ours:?}");
        // After a valid message too.
        let mut stream = vector("valid_no_headers");
        stream.extend_from_slice(&bytes);
        let ours = decode_ours_cut(&stream, &[]);
        assert!(ours.is_err(), "{name} after a valid message: {ours:?}");
    }
}

/// The two messages upstream's unit tests take from the AWS Common Runtime
/// (awslabs/aws-c-event-stream, `tests/message_deserializer_test.c`), as smithy-rs's
/// `src/frame.rs` quotes them.
#[test]
fn crt_vectors_decode_as_expected() {
    let no_headers: &[u8] = &[
        0x00, 0x00, 0x00, 0x1D, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x52, 0x8c, 0x5a, 0x7b, 0x27, 0x66,
        0x6f, 0x6f, 0x27, 0x3a, 0x27, 0x62, 0x61, 0x72, 0x27, 0x7d, 0xc3, 0x65, 0x39, 0x36,
    ];
    let m = decode_ours(no_headers).unwrap().unwrap();
    assert_eq!(from_ours(&m), (Vec::new(), b"{'foo':'bar'}".to_vec()));

    let mut one_header = vec![
        0x00, 0x00, 0x00, 0x3D, 0x00, 0x00, 0x00, 0x20, 0x07, 0xFD, 0x83, 0x96, 0x0C,
    ];
    one_header.extend_from_slice(b"content-type");
    one_header.extend_from_slice(&[0x07, 0x00, 0x10]);
    one_header.extend_from_slice(b"application/json");
    one_header.extend_from_slice(b"{'foo':'bar'}");
    one_header.extend_from_slice(&[0x8D, 0x9C, 0x08, 0xB1]);
    let m = decode_ours(&one_header).unwrap().unwrap();
    assert_eq!(
        from_ours(&m),
        (
            vec![("content-type".into(), V::Str("application/json".into()))],
            b"{'foo':'bar'}".to_vec()
        )
    );
}

/// aws/aws-sdk-go's vectors (`tests/data/event_stream/aws-sdk-go/`, see PROVENANCE.md): each
/// encoded message decodes, with both decoders, to its decoded JSON (lengths, CRCs, headers,
/// payload), and the runtime's writer writes it back byte for byte; each negative one is an
/// error for both.
#[test]
fn aws_sdk_go_vectors() {
    let dir = format!(
        "{}/tests/data/event_stream/aws-sdk-go",
        env!("CARGO_MANIFEST_DIR")
    );
    let b64 = |v: &serde_json::Value| {
        aws_smithy_types::base64::decode(v.as_str().expect("base64 string")).expect("base64")
    };
    let mut positive = 0;
    for entry in std::fs::read_dir(format!("{dir}/encoded/positive")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let bytes = std::fs::read(&path).unwrap();
        let json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(format!("{dir}/decoded/positive/{name}")).unwrap(),
        )
        .unwrap();
        let int = |key: &str| {
            json[key]
                .as_i64()
                .unwrap_or_else(|| panic!("{name}: {key}"))
        };
        let headers = json["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let value = &h["value"];
                let value = match h["type"].as_u64().unwrap() {
                    0 => V::Bool(true),
                    1 => V::Bool(false),
                    2 => V::Byte(value.as_i64().unwrap() as i8),
                    3 => V::Int16(value.as_i64().unwrap() as i16),
                    4 => V::Int32(value.as_i64().unwrap() as i32),
                    5 => V::Int64(value.as_i64().unwrap()),
                    6 => V::Bytes(b64(value)),
                    7 => V::Str(String::from_utf8(b64(value)).unwrap()),
                    8 => V::Time(value.as_i64().unwrap()),
                    9 => V::Uuid(u128::from_be_bytes(b64(value).try_into().unwrap())),
                    other => panic!("{name}: type {other}"),
                };
                (h["name"].as_str().unwrap().to_owned(), value)
            })
            .collect();
        let expected: Neutral = (headers, b64(&json["payload"]));

        let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        assert_eq!(i64::from(be(0)), int("total_length"), "{name}");
        assert_eq!(i64::from(be(4)), int("headers_length"), "{name}");
        // The CRCs are written as signed or unsigned 32-bit numbers.
        assert_eq!(be(8), int("prelude_crc") as u32, "{name}");
        assert_eq!(be(bytes.len() - 4), int("message_crc") as u32, "{name}");

        let ours = decode_ours(&bytes).expect(&name).expect(&name);
        assert_eq!(from_ours(&ours), expected, "{name}");
        let theirs = read_message_from(&bytes[..]).expect(&name);
        assert_eq!(from_theirs(&theirs), expected, "{name}");
        assert_eq!(
            write_message(&to_ours(&expected)).unwrap(),
            bytes,
            "{name}: written"
        );
        positive += 1;
    }
    let mut negative = 0;
    for entry in std::fs::read_dir(format!("{dir}/encoded/negative")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let bytes = std::fs::read(&path).unwrap();
        // "Prelude checksum mismatch" or "Message checksum mismatch".
        let why = std::fs::read_to_string(format!("{dir}/decoded/negative/{name}")).unwrap();
        let ours = decode_ours(&bytes).expect_err(&name).to_string();
        let which = why.split(' ').next().unwrap().to_lowercase();
        assert!(
            ours.contains(&format!("{which} CRC32")),
            "{name}: {ours} (expected {why})"
        );
        assert!(read_message_from(&bytes[..]).is_err(), "{name}");
        negative += 1;
    }
    assert_eq!((positive, negative), (5, 4));
}

// ---- EventReceiver over a body ----

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Record {
    #[serde(rename = "Value")]
    value: String,
}

#[derive(Debug, PartialEq)]
enum Event {
    Record(Record),
    Unknown(String),
}

#[derive(Debug, serde::Deserialize)]
struct BoomMembers {
    #[serde(rename = "Detail")]
    detail: Option<String>,
}

#[derive(Debug)]
enum EventError {
    Boom {
        meta: ErrorMetadata,
        detail: Option<String>,
    },
    Unhandled(ErrorMetadata),
}

impl EventStreamUnion for Event {
    type Error = EventError;

    fn read_event(
        event_type: &str,
        message: &es::Message,
        protocol: Protocol,
    ) -> Result<Self, BoxError> {
        match event_type {
            "Record" => Ok(Event::Record(deserialize_payload(
                protocol,
                message.payload(),
            )?)),
            other => Ok(Event::Unknown(other.to_owned())),
        }
    }

    fn read_error(meta: ErrorMetadata, body: &ErrorBody<'_>) -> EventError {
        match meta.code() {
            Some("BoomException") => {
                let detail = body.deserialize::<BoomMembers>().and_then(|m| m.detail);
                EventError::Boom { meta, detail }
            }
            _ => EventError::Unhandled(meta),
        }
    }
}

fn string(v: &str) -> V {
    V::Str(v.to_owned())
}

fn event(event_type: &str, payload: &str) -> Vec<u8> {
    encode_theirs(&to_theirs(&(
        vec![
            (":message-type".into(), string("event")),
            (":event-type".into(), string(event_type)),
            (":content-type".into(), string("application/json")),
        ],
        payload.as_bytes().to_vec(),
    )))
}

fn exception(exception_type: &str, payload: &str) -> Vec<u8> {
    encode_theirs(&to_theirs(&(
        vec![
            (":message-type".into(), string("exception")),
            (":exception-type".into(), string(exception_type)),
            (":content-type".into(), string("application/json")),
        ],
        payload.as_bytes().to_vec(),
    )))
}

fn error(code: &str, message: &str) -> Vec<u8> {
    encode_theirs(&to_theirs(&(
        vec![
            (":message-type".into(), string("error")),
            (":error-code".into(), string(code)),
            (":error-message".into(), string(message)),
        ],
        Vec::new(),
    )))
}

/// A streaming body of these chunks.
struct Chunks(VecDeque<Result<Bytes, BoxError>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.pop_front())
    }
}

/// `bytes` as a streaming body, in chunks of `chunk` bytes.
fn body(bytes: &[u8], chunk: usize) -> ByteStream {
    let chunks = bytes
        .chunks(chunk)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    ByteStream::new(Body::from_stream(Chunks(chunks)))
}

fn receiver(bytes: &[u8], chunk: usize) -> EventReceiver<Event, EventError> {
    EventReceiver::new(body(bytes, chunk), Protocol::AwsJson1_1)
}

fn record(value: &str) -> Event {
    Event::Record(Record {
        value: value.to_owned(),
    })
}

#[tokio::test]
async fn events_arrive_in_order_and_initial_response_is_skipped() {
    let stream = [
        event("initial-response", "{}"),
        event("Record", r#"{"Value":"one"}"#),
        event("Record", r#"{"Value":"two"}"#),
        event("Other", "{}"),
        event("Record", ""),
    ]
    .concat();
    for chunk in [1, 7, 64, stream.len()] {
        let mut rx = receiver(&stream, chunk);
        assert_eq!(
            rx.recv().await.unwrap(),
            Some(record("one")),
            "chunk {chunk}"
        );
        assert_eq!(rx.recv().await.unwrap(), Some(record("two")));
        assert_eq!(
            rx.recv().await.unwrap(),
            Some(Event::Unknown("Other".into()))
        );
        // An empty payload reads as an empty structure, which misses `Value`.
        let err = rx.recv().await.unwrap_err();
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        assert_eq!(rx.recv().await.unwrap(), None);
    }
    let mut rx = receiver(&stream[..stream.len() - event("Record", "").len()], 5);
    for _ in 0..3 {
        assert!(rx.recv().await.unwrap().is_some());
    }
    assert_eq!(rx.recv().await.unwrap(), None, "a clean end");
    assert_eq!(rx.recv().await.unwrap(), None);
    let mut rx = EventReceiver::<Event, EventError>::default();
    assert_eq!(rx.recv().await.unwrap(), None);
}

#[tokio::test]
async fn an_exception_message_is_a_service_error() {
    let stream = [
        event("Record", r#"{"Value":"one"}"#),
        exception(
            "BoomException",
            r#"{"message":"it broke","Detail":"the detail"}"#,
        ),
        event("Record", r#"{"Value":"never read"}"#),
    ]
    .concat();
    let mut rx = receiver(&stream, 3);
    assert_eq!(rx.recv().await.unwrap(), Some(record("one")));
    let err = rx.recv().await.unwrap_err();
    let SdkError::ServiceError(service) = err else {
        panic!("{err:?}")
    };
    let EventError::Boom { meta, detail } = service.err() else {
        panic!("{:?}", service.err())
    };
    assert_eq!(meta.code(), Some("BoomException"));
    assert_eq!(meta.message(), Some("it broke"));
    assert_eq!(detail.as_deref(), Some("the detail"));
    assert!(
        matches!(service.raw(), RawMessage::Decoded(m) if m.string_header(":exception-type") == Some("BoomException"))
    );
    assert_eq!(rx.recv().await.unwrap(), None, "the stream ended");

    // An exception the union does not model.
    let mut rx = receiver(&exception("OtherException", r#"{"Message":"m"}"#), 100);
    let err = rx.recv().await.unwrap_err();
    let SdkError::ServiceError(service) = err else {
        panic!("{err:?}")
    };
    let EventError::Unhandled(meta) = service.err() else {
        panic!("{:?}", service.err())
    };
    assert_eq!(meta.code(), Some("OtherException"));
    assert_eq!(meta.message(), Some("m"));
    assert_eq!(rx.recv().await.unwrap(), None);
}

#[tokio::test]
async fn an_error_message_is_a_service_error() {
    let stream = [
        event("Record", r#"{"Value":"one"}"#),
        error("InternalFailure", "something went wrong"),
    ]
    .concat();
    let mut rx = receiver(&stream, 10);
    assert_eq!(rx.recv().await.unwrap(), Some(record("one")));
    let err = rx.recv().await.unwrap_err();
    let SdkError::ServiceError(service) = err else {
        panic!("{err:?}")
    };
    let EventError::Unhandled(meta) = service.err() else {
        panic!("{:?}", service.err())
    };
    assert_eq!(meta.code(), Some("InternalFailure"));
    assert_eq!(meta.message(), Some("something went wrong"));
    assert_eq!(rx.recv().await.unwrap(), None);
}

#[tokio::test]
async fn a_body_ending_inside_a_message_is_a_response_error() {
    let first = event("Record", r#"{"Value":"one"}"#);
    let second = event("Record", r#"{"Value":"two"}"#);
    for cut in [1, 11, 12, 13, second.len() - 1] {
        let stream = [&first[..], &second[..cut]].concat();
        let mut rx = receiver(&stream, 4);
        assert_eq!(rx.recv().await.unwrap(), Some(record("one")));
        let err = rx.recv().await.unwrap_err();
        let SdkError::ResponseError(response) = err else {
            panic!("cut {cut}: {err:?}")
        };
        let RawMessage::Invalid(Some(raw)) = response.raw() else {
            panic!("cut {cut}: {:?}", response.raw())
        };
        assert_eq!(&raw[..], &second[..cut], "cut {cut}: the bytes read");
        assert_eq!(rx.recv().await.unwrap(), None, "cut {cut}");
    }
}

#[tokio::test]
async fn a_corrupt_message_or_a_failing_body_is_a_response_error() {
    let first = event("Record", r#"{"Value":"one"}"#);
    let mut second = event("Record", r#"{"Value":"two"}"#);
    let last = second.len() - 6;
    second[last] ^= 0x20;
    let mut rx = receiver(&[first.clone(), second].concat(), 9);
    assert_eq!(rx.recv().await.unwrap(), Some(record("one")));
    let err = rx.recv().await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(rx.recv().await.unwrap(), None);

    // A message with no :message-type.
    let bare = encode_theirs(&to_theirs(&(Vec::new(), b"{}".to_vec())));
    let mut rx = receiver(&bare, 100);
    let err = rx.recv().await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(rx.recv().await.unwrap(), None);

    // The body fails to read after one message and part of another.
    let chunks: VecDeque<Result<Bytes, BoxError>> = [
        Ok(Bytes::from(first.clone())),
        Ok(Bytes::copy_from_slice(&first[..5])),
        Err("connection reset".into()),
    ]
    .into_iter()
    .collect();
    let mut rx: EventReceiver<Event, EventError> = EventReceiver::new(
        ByteStream::new(Body::from_stream(Chunks(chunks))),
        Protocol::AwsJson1_1,
    );
    assert_eq!(rx.recv().await.unwrap(), Some(record("one")));
    let err = rx.recv().await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(rx.recv().await.unwrap(), None);
}
