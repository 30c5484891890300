//! rest-xml responses parsed by the generated S3 crate (`generated/s3`): ListObjectsV2,
//! GetObject (body collected), HeadObject and ListObjects with `EncodingType=url` (values
//! URL-decoded), each answered through `aws_lite_runtime::testing::CaptureClient` with a fuzzed
//! status, headers and body. Every call must end in a value or an `SdkError`, never a panic,
//! and a 4xx or 5xx status must never give a value.
//!
//! Input layout: byte 0 bits 0-1 pick the operation (ListObjectsV2, GetObject, HeadObject,
//! ListObjects), bits 2-4 the status (200, 200, 206, 400, 403, 404, 500, 503); byte 1 bit 0
//! sends the body in two chunks (split at byte 2's value), bit 1 an HTML content type instead
//! of XML, bit 2 response headers whose values are the body's first line (`last-modified`,
//! `content-length`, `x-amz-meta-*`, `x-amz-expiration`, `x-amz-mp-parts-count`, ...), bit 3
//! an empty body whatever follows (HEAD-style); the rest is the body.
#![no_main]

use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use aws_lite_s3::config::{BehaviorVersion, Credentials, Region};
use aws_lite_s3::types::EncodingType;
use aws_lite_s3::{Client, Config};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const STATUSES: [u16; 8] = [200, 200, 206, 400, 403, 404, 500, 503];

/// Headers whose values come from the body when byte 1 bit 2 is set: the ones the S3 subset's
/// outputs bind (dates, integers, booleans, enums, prefix headers).
const BOUND_HEADERS: [&str; 12] = [
    "last-modified",
    "content-length",
    "expires",
    "x-amz-meta-colour",
    "x-amz-expiration",
    "x-amz-mp-parts-count",
    "x-amz-delete-marker",
    "x-amz-server-side-encryption",
    "x-amz-object-lock-retain-until-date",
    "x-amz-missing-meta",
    "x-amz-tagging-count",
    "x-amz-restore",
];

fuzz_target!(|data: &[u8]| {
    let (op, flags, split, body) = match data {
        [a, b, c, rest @ ..] => (*a, *b, *c, rest),
        _ => return,
    };
    let status = STATUSES[usize::from((op >> 2) & 7)];
    let body: Vec<u8> = if flags & 8 == 8 {
        Vec::new()
    } else {
        body.to_vec()
    };
    let mut response = if flags & 1 == 1 {
        let at = usize::from(split).min(body.len());
        CannedResponse::chunked(status, vec![body[..at].to_vec(), body[at..].to_vec()])
    } else {
        CannedResponse::new(status, body.clone())
    };
    let content_type = if flags & 2 == 2 {
        "text/html"
    } else {
        "application/xml"
    };
    response = response
        .header("content-type", content_type)
        .header("x-amz-request-id", "FUZZREQUEST")
        .header("x-amz-id-2", "fuzz-host-id");
    if flags & 4 == 4 {
        let first = body.split(|&b| b == b'\n').next().unwrap_or_default();
        // Header values as HTTP carries them: visible ASCII and spaces.
        let value: String = first
            .iter()
            .map(|&b| {
                if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '?'
                }
            })
            .collect();
        for name in BOUND_HEADERS {
            response = response.header(name, value.clone());
        }
    }
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "fuzz"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url("http://127.0.0.1:1")
        .force_path_style(true)
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .http_client(CaptureClient::new(vec![response]))
        .build();
    let client = Client::from_conf(config);
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let rt = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("tokio runtime")
    });
    rt.block_on(async {
        let outcome = match op & 3 {
            0 => client
                .list_objects_v2()
                .bucket("fuzz-bucket")
                .send()
                .await
                .map(|out| format!("{out:?}"))
                .map_err(|e| format!("{e} {e:?} {:?} {:?}", e.code(), e.message())),
            1 => match client
                .get_object()
                .bucket("fuzz-bucket")
                .key("fuzz/key.txt")
                .send()
                .await
            {
                Ok(out) => {
                    let summary = format!("{:?} {:?}", out.last_modified(), out.metadata());
                    match out.body.collect().await {
                        Ok(bytes) => Ok(format!("{summary} {}", bytes.into_bytes().len())),
                        Err(e) => Err(format!("{e} {e:?}")),
                    }
                }
                Err(e) => Err(format!("{e} {e:?} {:?} {:?}", e.code(), e.message())),
            },
            2 => client
                .head_object()
                .bucket("fuzz-bucket")
                .key("fuzz/key.txt")
                .send()
                .await
                .map(|out| format!("{out:?}"))
                .map_err(|e| format!("{e} {e:?} {:?} {:?}", e.code(), e.message())),
            _ => client
                .list_objects()
                .bucket("fuzz-bucket")
                .encoding_type(EncodingType::Url)
                .send()
                .await
                .map(|out| format!("{out:?}"))
                .map_err(|e| format!("{e} {e:?} {:?} {:?}", e.code(), e.message())),
        };
        // A 4xx or 5xx answer is never taken for a result.
        if status >= 400 {
            assert!(outcome.is_err(), "status {status} gave {outcome:?}");
        }
    });
});
