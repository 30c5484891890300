//! The generated S3 `--ops` crate (rest-xml) against a local moto server, written as for the
//! official `aws-sdk-s3` crate: buckets, objects with keys that need encoding and user
//! metadata, ListObjectsV2 over 2,500 keys through the paginator, CopyObject, DeleteObjects,
//! the typed `NoSuchKey` of GetObject and `NotFound` of HeadObject (a 404 without a body), a
//! conditional HeadObject's `304` read through `raw().status()` and `raw().headers()`, and
//! both addressing styles: path-style (`force_path_style`) and virtual-hosted
//! (`<bucket>.localhost:<port>`, moto routing on the `Host` header, which the test client
//! records).
//!
//! moto runs without request authentication here (its authenticated mode only knows the
//! Direct Connect user of `e2e/moto_dx_server.py`), so the signature is not checked by moto;
//! S3's signing rules are checked in the runtime's SigV4 tests.
//!
//! Object bodies are `ByteStream`s, as in the official crate; a 20 MB object streamed from a
//! file and read back chunk by chunk is `streamed_put_and_chunked_get_of_20_mb`.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use aws_lite_runtime::error::{ProvideErrorMetadata, RequestId};
use aws_lite_runtime::http::{ConnectorError, HttpClient, HttpRequest, HttpResponse, HyperClient};
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, EncodingType, ObjectIdentifier};
use aws_sdk_s3::{Client, Config};
use e2e::MotoServer;

type TestResult = Result<(), Box<dyn Error>>;

fn config(endpoint: &str) -> aws_sdk_s3::config::Builder {
    Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "e2e"))
        .behavior_version(BehaviorVersion::latest())
}

fn path_style_client(server: &MotoServer) -> Client {
    Client::from_conf(config(&server.url()).force_path_style(true).build())
}

/// A key that needs encoding in the URI (space, `/`, non-ASCII, `+`, `%`).
const ODD_KEY: &str = "a b/ü+%.txt";

#[tokio::test]
async fn objects_metadata_copies_deletes_and_typed_errors() -> TestResult {
    let server = MotoServer::start()?;
    let client = path_style_client(&server);
    let bucket = "e2e-objects";
    client.create_bucket().bucket(bucket).send().await?;

    let put = client
        .put_object()
        .bucket(bucket)
        .key(ODD_KEY)
        .body(ByteStream::from(b"hello from aws-lite".to_vec()))
        .content_type("text/plain")
        .metadata("colour", "blue")
        .metadata("shape", "round square")
        .send()
        .await?;
    assert!(put.e_tag().is_some_and(|e| e.starts_with('"')), "{put:?}");
    assert!(put.request_id().is_some());

    let got = client
        .get_object()
        .bucket(bucket)
        .key(ODD_KEY)
        .send()
        .await?;
    assert_eq!(got.content_type(), Some("text/plain"));
    assert_eq!(got.content_length(), Some(19));
    let meta = got.metadata().ok_or("no metadata")?;
    assert_eq!(meta.get("colour").map(String::as_str), Some("blue"));
    assert_eq!(meta.get("shape").map(String::as_str), Some("round square"));
    assert_eq!(
        got.body.collect().await?.into_bytes().as_ref(),
        b"hello from aws-lite"
    );

    let head = client
        .head_object()
        .bucket(bucket)
        .key(ODD_KEY)
        .send()
        .await?;
    assert_eq!(head.content_length(), Some(19));
    assert_eq!(head.e_tag(), put.e_tag());

    // The key comes back as it was sent, plain and with EncodingType=url (decoded).
    let listed = client.list_objects_v2().bucket(bucket).send().await?;
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, [ODD_KEY]);
    let listed = client
        .list_objects_v2()
        .bucket(bucket)
        .encoding_type(EncodingType::Url)
        .send()
        .await?;
    assert_eq!(listed.encoding_type(), Some(&EncodingType::Url));
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, [ODD_KEY]);
    let listed = client
        .list_objects()
        .bucket(bucket)
        .encoding_type(EncodingType::Url)
        .send()
        .await?;
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, [ODD_KEY]);

    // CopyObject: the source is `bucket/key`, URL-encoded by the caller as for the official
    // crate.
    let source = format!("{bucket}/a%20b/%C3%BC%2B%25.txt");
    let copied = client
        .copy_object()
        .bucket(bucket)
        .key("copy.txt")
        .copy_source(&source)
        .send()
        .await?;
    let result = copied.copy_object_result().ok_or("no CopyObjectResult")?;
    assert_eq!(result.e_tag(), put.e_tag());
    let got = client
        .get_object()
        .bucket(bucket)
        .key("copy.txt")
        .send()
        .await?;
    assert_eq!(
        got.body.collect().await?.into_bytes().as_ref(),
        b"hello from aws-lite"
    );

    // DeleteObjects (a request checksum is required: sent as x-amz-checksum-crc32).
    let deleted = client
        .delete_objects()
        .bucket(bucket)
        .delete(
            Delete::builder()
                .objects(ObjectIdentifier::builder().key(ODD_KEY).build()?)
                .objects(ObjectIdentifier::builder().key("copy.txt").build()?)
                .build()?,
        )
        .send()
        .await?;
    let mut gone: Vec<&str> = deleted.deleted().iter().filter_map(|d| d.key()).collect();
    gone.sort_unstable();
    assert_eq!(gone, ["a b/ü+%.txt", "copy.txt"]);
    assert!(deleted.errors().is_empty(), "{deleted:?}");

    // GetObject of a missing key: NoSuchKey, typed, from S3's <Error> body.
    let err = client
        .get_object()
        .bucket(bucket)
        .key(ODD_KEY)
        .send()
        .await
        .expect_err("the key is gone");
    let service_err = err.as_service_error().ok_or("a service error")?;
    assert!(service_err.is_no_such_key(), "{service_err:?}");
    assert_eq!(service_err.code(), Some("NoSuchKey"));

    // HeadObject of a missing key: a 404 without a body gives NotFound, typed.
    let err = client
        .head_object()
        .bucket(bucket)
        .key(ODD_KEY)
        .send()
        .await
        .expect_err("the key is gone");
    let service_err = err.as_service_error().ok_or("a service error")?;
    assert!(service_err.is_not_found(), "{service_err:?}");
    assert_eq!(service_err.code(), Some("NotFound"));

    client
        .delete_object()
        .bucket(bucket)
        .key("never-there")
        .send()
        .await?;
    client.delete_bucket().bucket(bucket).send().await?;
    let buckets = client.list_buckets().send().await?;
    assert!(!buckets.buckets().iter().any(|b| b.name() == Some(bucket)));
    Ok(())
}

/// A 20 MB object put from a file (a replayable stream sent with its length, never read whole
/// into memory) and read back chunk by chunk, byte for byte, against moto.
#[tokio::test]
async fn streamed_put_and_chunked_get_of_20_mb() -> TestResult {
    use sha2::{Digest, Sha256};
    const SIZE: usize = 20 * 1024 * 1024;
    let server = MotoServer::start()?;
    let client = path_style_client(&server);
    let bucket = "e2e-streams";
    client.create_bucket().bucket(bucket).send().await?;

    // Bytes that differ at every offset of a chunk, so a chunk out of place is caught.
    let data: Vec<u8> = (0..SIZE)
        .map(|i| (i % 251) as u8 ^ (i >> 16) as u8)
        .collect();
    let dir = std::env::temp_dir().join(format!("aws-lite-s3-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("object.bin");
    std::fs::write(&path, &data)?;
    let body = ByteStream::from_path(&path).await?;
    let put = client
        .put_object()
        .bucket(bucket)
        .key("big/object.bin")
        .body(body)
        .send()
        .await?;
    std::fs::remove_dir_all(&dir)?;
    // The default CRC32 went in the aws-chunked trailer; moto decoded the body (checked
    // below, byte for byte) and answers with the checksum it read.
    let crc32 = aws_lite_runtime::primitives::base64::encode(crc32fast::hash(&data).to_be_bytes());
    assert_eq!(put.checksum_crc32(), Some(crc32.as_str()));

    let mut got = client
        .get_object()
        .bucket(bucket)
        .key("big/object.bin")
        .send()
        .await?;
    assert_eq!(got.content_length(), Some(SIZE as i64));
    let mut hasher = Sha256::new();
    let (mut received, mut chunks) = (0usize, 0usize);
    while let Some(chunk) = got.body.try_next().await? {
        assert_eq!(
            chunk.as_ref(),
            &data[received..received + chunk.len()],
            "chunk {chunks} at offset {received}"
        );
        hasher.update(&chunk);
        received += chunk.len();
        chunks += 1;
    }
    assert_eq!(received, SIZE);
    assert!(chunks > 1, "read in one piece: {chunks} chunk");
    assert_eq!(
        hasher.finalize().as_slice(),
        Sha256::digest(&data).as_slice()
    );
    Ok(())
}

#[tokio::test]
async fn list_objects_v2_over_2500_keys_through_the_paginator() -> TestResult {
    let server = MotoServer::start()?;
    let client = path_style_client(&server);
    let bucket = "e2e-many";
    client.create_bucket().bucket(bucket).send().await?;
    let mut expected: Vec<String> = (0..2500).map(|i| format!("k/{i:05}")).collect();
    // 2,500 puts, 50 at a time.
    for chunk in expected.chunks(50) {
        let mut set = tokio::task::JoinSet::new();
        for key in chunk {
            let request = client
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(ByteStream::from(key.as_bytes().to_vec()));
            set.spawn(async move { request.send().await.map(|_| ()) });
        }
        while let Some(done) = set.join_next().await {
            done??;
        }
    }
    let pages = client
        .list_objects_v2()
        .bucket(bucket)
        .into_paginator()
        .send()
        .try_collect()
        .await?;
    // S3 (and moto) answer 1,000 keys a page.
    assert_eq!(pages.len(), 3, "{} pages", pages.len());
    let mut keys: Vec<String> = pages
        .iter()
        .flat_map(|page| {
            page.contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_owned))
        })
        .collect();
    assert_eq!(keys.len(), 2500);
    keys.sort();
    expected.sort();
    assert_eq!(keys, expected);
    // A smaller page size gives more pages, the same keys.
    let pages = client
        .list_objects_v2()
        .bucket(bucket)
        .prefix("k/000")
        .into_paginator()
        .page_size(30)
        .send()
        .try_collect()
        .await?;
    assert_eq!(pages.len(), 4);
    let count: usize = pages.iter().map(|p| p.contents().len()).sum();
    assert_eq!(count, 100);
    Ok(())
}

/// The default HTTP client sending every request to `127.0.0.1:<port>` whatever the URL's
/// host, with the `Host` header left as signed (`<bucket>.localhost:<port>`), and recording
/// each `Host`: what a DNS resolving `*.localhost` would do.
#[derive(Debug)]
struct LoopbackResolver {
    inner: HyperClient,
    port: u16,
    hosts: Arc<Mutex<Vec<String>>>,
}

impl HttpClient for LoopbackResolver {
    fn call(
        &self,
        mut request: HttpRequest,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, ConnectorError>> + Send + '_>> {
        let host = request.header("host").unwrap_or_default().to_owned();
        self.hosts.lock().expect("not poisoned").push(host.clone());
        let rest = request
            .uri
            .strip_prefix("http://")
            .and_then(|r| r.split_once('/'))
            .map_or(String::new(), |(_, path)| path.to_owned());
        request.uri = format!("http://127.0.0.1:{}/{rest}", self.port);
        self.inner.call(request)
    }
}

#[tokio::test]
async fn virtual_hosted_addressing_sends_the_bucket_in_the_host() -> TestResult {
    let server = MotoServer::start()?;
    let hosts = Arc::new(Mutex::new(Vec::new()));
    let http = LoopbackResolver {
        inner: HyperClient::new()?,
        port: server.port(),
        hosts: Arc::clone(&hosts),
    };
    // The endpoint is a host name, not an IP address: S3's rules put the bucket in the host.
    let endpoint = format!("http://localhost:{}", server.port());
    let client = Client::from_conf(config(&endpoint).http_client(http).build());
    let bucket = "e2e-virtual";
    client.create_bucket().bucket(bucket).send().await?;
    client
        .put_object()
        .bucket(bucket)
        .key("dir/file.txt")
        .body(ByteStream::from(b"virtual".to_vec()))
        .send()
        .await?;
    let got = client
        .get_object()
        .bucket(bucket)
        .key("dir/file.txt")
        .send()
        .await?;
    assert_eq!(got.body.collect().await?.into_bytes().as_ref(), b"virtual");
    let listed = client.list_objects_v2().bucket(bucket).send().await?;
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["dir/file.txt"]);
    let virtual_host = format!("{bucket}.localhost:{}", server.port());
    let seen = hosts.lock().expect("not poisoned").clone();
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(seen.iter().all(|h| *h == virtual_host), "{seen:?}");

    // The same bucket through path-style addressing: moto routed the virtual-hosted calls to
    // it.
    let path_client = path_style_client(&server);
    let got = path_client
        .get_object()
        .bucket(bucket)
        .key("dir/file.txt")
        .send()
        .await?;
    assert_eq!(got.body.collect().await?.into_bytes().as_ref(), b"virtual");
    Ok(())
}

/// A client whose requests are captured and answered with `responses` in turn (no retries).
fn captured(
    responses: Vec<aws_lite_runtime::testing::CannedResponse>,
) -> (Client, aws_lite_runtime::testing::CaptureClient) {
    let http = aws_lite_runtime::testing::CaptureClient::new(responses);
    let client = Client::from_conf(
        config("https://s3.us-east-1.amazonaws.com")
            .http_client(http.clone())
            .retry_config(aws_lite_runtime::config::retry::RetryConfig::disabled())
            .build(),
    );
    (client, http)
}

#[tokio::test]
async fn s3_requests_carry_the_payload_hash_and_required_checksums() -> TestResult {
    use aws_lite_runtime::testing::CannedResponse;
    let (client, http) = captured(vec![
        CannedResponse::new(200, b"<DeleteResult/>".to_vec()),
        CannedResponse::new(200, Vec::new()),
    ]);
    client
        .delete_objects()
        .bucket("bucket")
        .delete(
            Delete::builder()
                .objects(ObjectIdentifier::builder().key("k").build()?)
                .build()?,
        )
        .send()
        .await?;
    client.get_object().bucket("bucket").key("k").send().await?;
    let requests = http.requests();
    assert_eq!(requests.len(), 2);
    let delete = &requests[0];
    assert_eq!(delete.method, "POST");
    assert_eq!(
        delete.uri,
        "https://bucket.s3.us-east-1.amazonaws.com/?delete"
    );
    let body = String::from_utf8(delete.body.clone())?;
    assert_eq!(
        body,
        "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>k</Key></Object></Delete>"
    );
    // requestChecksumRequired: a CRC32 of the body (botocore's default), and S3's payload hash.
    assert!(
        delete.header("x-amz-checksum-crc32").is_some(),
        "{delete:?}"
    );
    for request in &requests {
        let hash = request
            .header("x-amz-content-sha256")
            .ok_or("no payload hash")?;
        assert_eq!(hash.len(), 64, "{hash}");
    }
    assert_eq!(
        requests[1].uri,
        "https://bucket.s3.us-east-1.amazonaws.com/k"
    );
    Ok(())
}

#[tokio::test]
async fn a_copy_that_fails_after_a_200_is_an_error() -> TestResult {
    use aws_lite_runtime::testing::CannedResponse;
    let body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>\
        <Message>We encountered an internal error. Please try again.</Message>\
        <RequestId>r-200</RequestId></Error>";
    let (client, _http) = captured(vec![CannedResponse::new(200, body.to_vec())]);
    let err = client
        .copy_object()
        .bucket("bucket")
        .key("k")
        .copy_source("b/src")
        .send()
        .await
        .expect_err("a 200 with an <Error> document");
    let service_err = err.as_service_error().ok_or("a service error")?;
    assert_eq!(service_err.code(), Some("InternalError"));
    assert_eq!(service_err.request_id(), Some("r-200"));
    // Any other operation's 200 is read as its output.
    let (client, _http) = captured(vec![CannedResponse::new(
        200,
        b"<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>".to_vec(),
    )]);
    let out = client.list_objects_v2().bucket("bucket").send().await?;
    assert_eq!(out.name(), Some("b"));
    Ok(())
}

/// A streamed upload with each checksum algorithm botocore computes without awscrt (CRC32, SHA-1,
/// SHA-256) is, byte for byte, what botocore 1.44.8's
/// `AwsChunkedWrapper` makes of the same file (the pinned `.venv`), with botocore's headers:
/// `content-encoding: aws-chunked`, the decoded length, the trailer's name and the payload
/// hash `STREAMING-UNSIGNED-PAYLOAD-TRAILER`; `content-length` is the encoded length.
#[tokio::test]
async fn streamed_upload_checksums_are_botocores_aws_chunked_body() -> TestResult {
    use aws_lite_runtime::testing::CannedResponse;
    use aws_sdk_s3::types::ChecksumAlgorithm;
    // 200,001 bytes: three whole 64 KiB chunks and a short one.
    let data: Vec<u8> = (0..200_001u32)
        .map(|i| (i % 253) as u8 ^ (i >> 9) as u8)
        .collect();
    let dir = std::env::temp_dir().join(format!("aws-lite-chunked-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("upload.bin");
    std::fs::write(&path, &data)?;
    let algorithms = [
        (None, "crc32", "Crc32Checksum"),
        (Some(ChecksumAlgorithm::Sha1), "sha1", "Sha1Checksum"),
        (Some(ChecksumAlgorithm::Sha256), "sha256", "Sha256Checksum"),
    ];
    for (chosen, name, botocore_class) in algorithms {
        let (client, http) = captured(vec![CannedResponse::new(200, Vec::new())]);
        client
            .put_object()
            .bucket("bucket")
            .key("k")
            .set_checksum_algorithm(chosen)
            .body(ByteStream::from_path(&path).await?)
            .send()
            .await?;
        let requests = http.requests();
        let sent = &requests[0];
        let trailer = format!("x-amz-checksum-{name}");
        assert_eq!(sent.header("content-encoding"), Some("aws-chunked"));
        assert_eq!(sent.header("x-amz-trailer"), Some(trailer.as_str()));
        assert_eq!(sent.header("x-amz-decoded-content-length"), Some("200001"));
        assert_eq!(
            sent.header("x-amz-content-sha256"),
            Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        );
        assert_eq!(
            sent.header("content-length"),
            Some(sent.body.len().to_string().as_str())
        );
        assert!(
            sent.header(&trailer).is_none(),
            "the checksum is in the trailer only"
        );
        let script = format!(
            "import sys, botocore.httpchecksum as h\n\
             w = h.AwsChunkedWrapper(open(sys.argv[1], 'rb'), checksum_cls=h.{botocore_class}, \
             checksum_name='{trailer}', chunk_size=65536)\n\
             sys.stdout.buffer.write(w.read())\n"
        );
        let out = std::process::Command::new(e2e::default_venv().join("bin/python"))
            .args(["-c", &script])
            .arg(&path)
            .output()?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            sent.body == out.stdout,
            "{name}: the body differs from botocore's"
        );
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// botocore handles a copy that failed after a 200 "exactly like a 500" (its
/// `check_for_200_error`): retried with the same request, the last error returned.
#[tokio::test]
async fn a_copy_that_fails_after_a_200_is_retried() -> TestResult {
    use aws_lite_runtime::config::retry::RetryConfig;
    use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
    let failed = b"<Error><Code>InternalError</Code><Message>Please try again.</Message>\
        <RequestId>r-1</RequestId></Error>";
    let copied = b"<CopyObjectResult><ETag>\"e2\"</ETag></CopyObjectResult>";
    let retrying = |responses| {
        let http = CaptureClient::new(responses);
        let retry = RetryConfig::standard()
            .with_max_attempts(3)
            .with_initial_backoff(std::time::Duration::from_millis(1));
        let client = Client::from_conf(
            config("https://s3.us-east-1.amazonaws.com")
                .http_client(http.clone())
                .retry_config(retry)
                .build(),
        );
        (client, http)
    };
    let copy = |client: &Client| {
        client
            .copy_object()
            .bucket("bucket")
            .key("k")
            .copy_source("b/src")
            .send()
    };
    let (client, http) = retrying(vec![
        CannedResponse::new(200, failed.to_vec()),
        CannedResponse::new(200, copied.to_vec()),
    ]);
    let out = copy(&client).await?;
    let etag = out.copy_object_result().and_then(|r| r.e_tag());
    assert_eq!(etag, Some("\"e2\""));
    let requests = http.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].uri, requests[1].uri);
    assert_eq!(requests[1].header("x-amz-copy-source"), Some("b/src"));
    // Every attempt failing: the last one's error, after the configured attempts.
    let (client, http) = retrying(vec![CannedResponse::new(200, failed.to_vec()); 3]);
    let err = copy(&client).await.expect_err("three failed copies");
    let service_err = err.as_service_error().ok_or("a service error")?;
    assert_eq!(service_err.code(), Some("InternalError"));
    assert_eq!(http.requests().len(), 3);
    Ok(())
}

#[tokio::test]
async fn bad_response_bodies_are_clear_errors() -> TestResult {
    use aws_lite_runtime::testing::CannedResponse;
    let nested = format!("{}{}", "<a>".repeat(300_000), "</a>".repeat(300_000));
    let bodies: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "malformed",
            b"<ListBucketResult><Name>b</Nme></ListBucketResult>".to_vec(),
            "text/xml",
        ),
        (
            "truncated",
            b"<ListBucketResult><Name>b</Name><Contents><Key>k".to_vec(),
            "application/xml",
        ),
        ("json", b"{\"Name\": \"b\"}".to_vec(), "application/json"),
        (
            "html",
            b"<html><body><h1>502 Bad Gateway</h1><br></body></html>".to_vec(),
            "text/html",
        ),
        (
            "not a number",
            b"<ListBucketResult><KeyCount>many</KeyCount></ListBucketResult>".to_vec(),
            "application/xml",
        ),
        ("2 MB of nesting", nested.into_bytes(), "application/xml"),
        (
            "not UTF-8",
            b"<ListBucketResult><Name>\xff\xfe</Name></ListBucketResult>".to_vec(),
            "application/xml",
        ),
    ];
    for (what, body, content_type) in bodies {
        let (client, _http) = captured(vec![
            CannedResponse::new(200, body.clone()).header("content-type", content_type),
        ]);
        let err = client
            .list_objects_v2()
            .bucket("bucket")
            .send()
            .await
            .expect_err(what);
        // The error and its causes (Display only: the Debug form carries the raw response).
        let mut message = err.to_string();
        let mut source = Error::source(&err);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        assert!(
            message.contains("cannot read the XML response (HTTP 200)"),
            "{what}: {message}"
        );
        assert!(message.contains("body begins"), "{what}: {message}");
        assert!(
            message.len() < 2_000,
            "{what}: the excerpt is bounded: {message}"
        );
    }
    // Error responses whose body is not an error document: the code comes from the status.
    for (status, body, code) in [
        (404, &b""[..], "NotFound"),
        (403, b"<html>Forbidden</html>", "Forbidden"),
        (500, b"<Error><Code>Inter", "500"),
    ] {
        let (client, _http) = captured(vec![CannedResponse::new(status, body.to_vec())]);
        let err = client
            .list_objects_v2()
            .bucket("bucket")
            .send()
            .await
            .expect_err("an error status");
        let service_err = err.as_service_error().ok_or("a service error")?;
        assert_eq!(service_err.code(), Some(code), "HTTP {status}");
    }
    Ok(())
}

/// A ListObjectsV2 response with every kind of member the reader meets.
const LISTING: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult \
    xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket</Name><Prefix>a%20b/</Prefix>\
    <KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType>\
    <IsTruncated>false</IsTruncated><Contents><Key>a%20b/%C3%BC</Key>\
    <LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;e&quot;</ETag>\
    <Size>12</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>x</Key>\
    <Size>0</Size></Contents><CommonPrefixes><Prefix>a%20b/c/</Prefix></CommonPrefixes>\
    </ListBucketResult>";

fn list_with(
    status: u16,
    body: Vec<u8>,
) -> Result<aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Output, String> {
    let (client, _http) = captured(vec![aws_lite_runtime::testing::CannedResponse::new(
        status, body,
    )]);
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
        .block_on(client.list_objects_v2().bucket("bucket").send())
        .map_err(|e| e.to_string())
}

#[test]
fn the_listing_reads_and_decodes() {
    let out = list_with(200, LISTING.as_bytes().to_vec()).expect("reads");
    let keys: Vec<&str> = out.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["a b/ü", "x"]);
    assert_eq!(out.prefix(), Some("a b/"));
    assert_eq!(out.common_prefixes()[0].prefix(), Some("a b/c/"));
    assert_eq!(out.contents()[0].e_tag(), Some("\"e\""));
    assert_eq!(out.contents()[0].size(), Some(12));
    assert_eq!(out.key_count(), Some(2));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Arbitrary bytes, and the listing truncated or with bytes changed, answered with a
    /// success or an error status: the call ends in an output or an error, never a panic.
    #[test]
    fn arbitrary_and_damaged_responses_never_panic(
        status in proptest::sample::select(vec![200u16, 301, 404, 500]),
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256),
        cut in 0..LISTING.len(),
        changes in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>()), 0..6),
    ) {
        let _ = list_with(status, bytes);
        let mut damaged = LISTING.as_bytes().to_vec();
        for (at, b) in changes {
            let i = at.index(damaged.len());
            damaged[i] = b;
        }
        let result = list_with(status, damaged);
        proptest::prop_assert!(status == 200 || result.is_err());
        let truncated = list_with(200, LISTING.as_bytes()[..cut].to_vec());
        proptest::prop_assert!(truncated.is_err() || cut == 0, "a truncated listing read");
    }
}

/// A client with no endpoint override (S3's own endpoints, from the rules) in us-east-1,
/// whose requests are captured.
fn regional(
    responses: Vec<aws_lite_runtime::testing::CannedResponse>,
) -> (Client, aws_lite_runtime::testing::CaptureClient) {
    let http = aws_lite_runtime::testing::CaptureClient::new(responses);
    let client = Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "e2e"))
            .behavior_version(BehaviorVersion::latest())
            .http_client(http.clone())
            .retry_config(aws_lite_runtime::config::retry::RetryConfig::disabled())
            .build(),
    );
    (client, http)
}

#[tokio::test]
async fn region_redirects_are_followed_once_in_the_bucket_region() -> TestResult {
    use aws_lite_runtime::testing::CannedResponse;
    let listing = b"<ListBucketResult><Name>bucket</Name><KeyCount>0</KeyCount></ListBucketResult>";
    let permanent = b"<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting \
        to access must be addressed using the specified endpoint.</Message>\
        <Endpoint>bucket.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>bucket</Bucket></Error>";
    let malformed = b"<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region \
        'us-east-1' is wrong; expecting 'eu-central-1'</Message><Region>eu-central-1</Region>\
        </Error>";
    let cases: Vec<(CannedResponse, &str)> = vec![
        (
            CannedResponse::new(301, permanent.to_vec()).header("x-amz-bucket-region", "eu-west-1"),
            "eu-west-1",
        ),
        (CannedResponse::new(400, malformed.to_vec()), "eu-central-1"),
    ];
    for (first, region) in cases {
        let (client, http) = regional(vec![first, CannedResponse::new(200, listing.to_vec())]);
        let out = client.list_objects_v2().bucket("bucket").send().await?;
        assert_eq!(out.name(), Some("bucket"));
        let requests = http.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(
            requests[0].uri,
            "https://bucket.s3.us-east-1.amazonaws.com/?list-type=2"
        );
        assert_eq!(
            requests[1].uri,
            format!("https://bucket.s3.{region}.amazonaws.com/?list-type=2")
        );
        let auth = requests[1].header("authorization").ok_or("not signed")?;
        assert!(
            auth.contains(&format!("/{region}/s3/aws4_request")),
            "{auth}"
        );
    }

    // HeadObject: a 400 without a body, the region in the header.
    let (client, http) = regional(vec![
        CannedResponse::new(400, Vec::new()).header("x-amz-bucket-region", "ap-south-1"),
        CannedResponse::new(200, Vec::new()).header("content-length", "0"),
    ]);
    client
        .head_object()
        .bucket("bucket")
        .key("k")
        .send()
        .await?;
    assert_eq!(
        http.requests()[1].uri,
        "https://bucket.s3.ap-south-1.amazonaws.com/k"
    );

    // Only once: a second redirect ends the call; another error is not a redirect.
    let (client, http) = regional(vec![
        CannedResponse::new(301, permanent.to_vec()).header("x-amz-bucket-region", "eu-west-1"),
        CannedResponse::new(301, permanent.to_vec()).header("x-amz-bucket-region", "eu-west-2"),
    ]);
    let err = client
        .list_objects_v2()
        .bucket("bucket")
        .send()
        .await
        .expect_err("redirected twice");
    assert_eq!(http.requests().len(), 2);
    assert!(
        err.to_string().contains("301") || format!("{err:?}").contains("301"),
        "{err:?}"
    );
    let (client, http) = regional(vec![
        CannedResponse::new(
            403,
            b"<Error><Code>AccessDenied</Code><Message>no</Message></Error>".to_vec(),
        )
        .header("x-amz-bucket-region", "eu-west-1"),
    ]);
    let err = client
        .list_objects_v2()
        .bucket("bucket")
        .send()
        .await
        .expect_err("denied");
    assert_eq!(http.requests().len(), 1);
    assert_eq!(err.code(), Some("AccessDenied"));
    Ok(())
}

/// rustv1/examples/s3/src/bin/if-modified-since.rs: a conditional `HeadObject` answered
/// `304 Not Modified` is a service error whose raw response gives the status and the headers
/// through the official accessors (`raw().status().as_u16()`, `raw().headers().get(..)`).
#[tokio::test]
async fn a_not_modified_head_object_exposes_its_raw_status_and_headers() -> TestResult {
    use aws_sdk_s3::error::SdkError;
    use aws_sdk_s3::primitives::{DateTime, DateTimeFormat};

    let server = MotoServer::start()?;
    let client = path_style_client(&server);
    let bucket = "e2e-conditional";
    client.create_bucket().bucket(bucket).send().await?;
    let put = client
        .put_object()
        .bucket(bucket)
        .key("k")
        .body(ByteStream::from_static(b"unchanged"))
        .send()
        .await?;
    let head = client.head_object().bucket(bucket).key("k").send().await?;
    let last_modified = *head.last_modified().expect("a last-modified date");

    let err = client
        .head_object()
        .bucket(bucket)
        .key("k")
        .if_modified_since(last_modified)
        .send()
        .await
        .expect_err("not modified since");
    let SdkError::ServiceError(err) = err else {
        panic!("expected a service error, got {err:?}");
    };
    let http = err.raw();
    assert_eq!(http.status().as_u16(), 304);
    assert!(!http.status().is_success());
    assert!(!http.status().is_client_error());
    assert_eq!(http.status().to_string(), "304");
    let headers = http.headers();
    // S3 sends `last-modified` with a 304 too, which the example reads; moto's server
    // (Werkzeug) leaves it out of a 304, so its `date` is read the same way here.
    let date = DateTime::from_str(headers.get("date").expect("date"), DateTimeFormat::HttpDate)?;
    assert!(date.secs() >= last_modified.secs());
    let etag: String = headers.get("etag").map(|t| t.into()).expect("etag");
    assert_eq!(Some(etag.as_str()), put.e_tag());
    // Names are compared case-insensitively, as in the official `Headers`.
    assert_eq!(headers.get("ETag"), headers.get("etag"));
    assert!(headers.contains_key("Accept-Ranges"));
    assert!(
        headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("etag"))
    );
    Ok(())
}
