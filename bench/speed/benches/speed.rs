//! Criterion benches, ours vs the official crate, through `send()` on both sides against an
//! in-process HTTP client answering with the same canned bytes:
//!
//! - `parse_describe_virtual_interfaces_1000`: a DescribeVirtualInterfaces response with 1,000
//!   interfaces: `serde_json::Value` on the same bytes (floor), ours awsJson 1.1, ours RPC v2
//!   CBOR (same document in CBOR), official awsJson 1.1.
//! - `parse_list_objects_v2_1000`: a ListObjectsV2 response with 1,000 objects (rest-xml),
//!   ours (the generated S3 crate) and the official `aws-sdk-s3`.
//! - `prepare_create_connection`: CreateConnection with the same inputs (serialise, resolve the
//!   endpoint, sign with SigV4, dispatch, read a small response).
//!
//! `cargo bench -p speed` in bench/ (or `cargo xtask bench runtime`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use speed::{INTERFACES, KEYS, Wire, official_calls, official_s3_calls, ours_calls, ours_s3_calls};
use std::hint::black_box;

fn parse(c: &mut Criterion) {
    let rt = speed::runtime();
    let json = speed::describe_virtual_interfaces_json(INTERFACES);
    let cbor = speed::to_cbor(&json);
    let ours_json = speed::ours::client(json.clone(), Wire::Json);
    let ours_cbor = speed::ours::client(cbor.clone(), Wire::Cbor);
    let official = speed::official_side::client(json.clone());

    // Same answer from every side before timing anything.
    let expected = (INTERFACES, format!("dxvif-{:08x}", INTERFACES - 1));
    assert_eq!(
        rt.block_on(ours_calls::describe_virtual_interfaces(&ours_json)),
        expected
    );
    assert_eq!(
        rt.block_on(ours_calls::describe_virtual_interfaces(&ours_cbor)),
        expected
    );
    assert_eq!(
        rt.block_on(official_calls::describe_virtual_interfaces(&official)),
        expected
    );
    eprintln!(
        "DescribeVirtualInterfaces response: {} interfaces, {} bytes JSON, {} bytes CBOR",
        INTERFACES,
        json.len(),
        cbor.len()
    );

    let mut group = c.benchmark_group("parse_describe_virtual_interfaces_1000");
    // Throughput in JSON bytes for every line, CBOR included, so the rates compare per document.
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("serde_json_value_floor", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&json)).unwrap())
    });
    // Our output type decoded straight from the bytes (no client, no copy of the body): how
    // much of `ours_json` is serde_json + the derived Deserialize impls.
    group.bench_function("ours_decode_only", |b| {
        b.iter(|| {
            serde_json::from_slice::<
                lite::operation::describe_virtual_interfaces::DescribeVirtualInterfacesOutput,
            >(black_box(&json))
            .unwrap()
        })
    });
    group.bench_function("ours_json", |b| {
        b.iter(|| {
            rt.block_on(ours_calls::describe_virtual_interfaces(black_box(
                &ours_json,
            )))
        })
    });
    group.bench_function("ours_cbor", |b| {
        b.iter(|| {
            rt.block_on(ours_calls::describe_virtual_interfaces(black_box(
                &ours_cbor,
            )))
        })
    });
    group.bench_function("official_json", |b| {
        b.iter(|| {
            rt.block_on(official_calls::describe_virtual_interfaces(black_box(
                &official,
            )))
        })
    });
    group.finish();
}

fn parse_s3(c: &mut Criterion) {
    let rt = speed::runtime();
    let xml = speed::list_objects_v2_xml(KEYS);
    let ours = speed::ours_s3::client(xml.clone());
    let official = speed::official_s3_side::client(xml.clone());

    // Same answer from both sides before timing anything, and the one the fixture was made of.
    let got = rt.block_on(ours_s3_calls::list_objects_v2(&ours));
    assert_eq!(
        got,
        rt.block_on(official_s3_calls::list_objects_v2(&official))
    );
    assert_eq!(got.0, KEYS);
    assert_eq!(got.1, speed::list_key(KEYS - 1));
    assert_eq!(got.2, (0..KEYS).map(|i| 1024 + 37 * i as i64).sum::<i64>());
    assert!(got.4.starts_with('"') && got.4.ends_with('"'), "{}", got.4);
    eprintln!(
        "ListObjectsV2 response: {KEYS} objects, {} bytes XML",
        xml.len()
    );

    let mut group = c.benchmark_group("parse_list_objects_v2_1000");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("ours_xml", |b| {
        b.iter(|| rt.block_on(ours_s3_calls::list_objects_v2(black_box(&ours))))
    });
    group.bench_function("official_xml", |b| {
        b.iter(|| rt.block_on(official_s3_calls::list_objects_v2(black_box(&official))))
    });
    group.finish();
}

fn prepare(c: &mut Criterion) {
    let rt = speed::runtime();
    let ours = speed::ours::client(speed::create_connection_json(), Wire::Json);
    let official = speed::official_side::client(speed::create_connection_json());
    assert_eq!(
        rt.block_on(ours_calls::create_connection(&ours)),
        "dxcon-fg5678gh"
    );
    assert_eq!(
        rt.block_on(official_calls::create_connection(&official)),
        "dxcon-fg5678gh"
    );

    let mut group = c.benchmark_group("prepare_create_connection");
    group.throughput(Throughput::Elements(1));
    group.bench_function("ours_json", |b| {
        b.iter(|| rt.block_on(ours_calls::create_connection(black_box(&ours))))
    });
    group.bench_function("official_json", |b| {
        b.iter(|| rt.block_on(official_calls::create_connection(black_box(&official))))
    });
    group.finish();
}

criterion_group!(benches, parse, parse_s3, prepare);
criterion_main!(benches);
