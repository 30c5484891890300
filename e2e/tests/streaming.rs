//! Streaming payloads (`primitives::ByteStream`) of a generated rest-json crate (the
//! `streaming` fixture: S3-like `PutObject` and `GetObject` with a streaming blob `Body`), over
//! a real loopback server that never holds a body (`testing::StreamServer`) and the capturing
//! client:
//!
//! - 200 MiB uploaded from a file with `ByteStream::from_path` (sent with its
//!   `content-length`, unsigned payload) and 200 MiB downloaded and consumed chunk by chunk;
//!   the SHA-256 of the bytes on each side (the `sha2` crate) match;
//! - an upload from a file whose connection is reset midway is sent again whole;
//! - bodies in memory, content types, an empty body, `collect()`, and a typed error;
//! - Smithy's restJson1 streaming protocol tests (six cases, module `smithy_streaming_vectors`).

use aws_lite_fixture_streaming::Client;
use aws_lite_fixture_streaming::operation::get_object::GetObjectError;
use aws_lite_fixture_streaming::primitives::ByteStream;
use aws_lite_runtime::config::{BehaviorVersion, Config, Credentials, Region};
use aws_lite_runtime::testing::{
    CannedResponse, CaptureClient, StreamServer, StreamServerOptions, UploadDigest, pattern_fill,
};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::Arc;

const MIB: u64 = 1024 * 1024;

fn config(endpoint: &str) -> aws_lite_runtime::config::Builder {
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "streaming"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 through the `sha2` crate, as the server's upload digest.
struct Sha(Sha256);

impl UploadDigest for Sha {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
    fn finish(self: Box<Self>) -> String {
        hex(&self.0.finalize())
    }
}

fn sha_digest() -> aws_lite_runtime::testing::DigestFactory {
    Arc::new(|| Box::new(Sha(Sha256::new())) as Box<dyn UploadDigest>)
}

/// Writes `len` bytes of the pattern of `seed` to a new file in a fresh temporary folder;
/// returns the folder (removed by the caller), the path and the SHA-256 of the bytes.
fn pattern_file(
    name: &str,
    seed: u64,
    len: u64,
) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let dir =
        std::env::temp_dir().join(format!("aws-lite-streaming-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let path = dir.join("object.bin");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("creates the file"));
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; MIB as usize];
    let mut written = 0;
    while written < len {
        let n = (len - written).min(MIB) as usize;
        pattern_fill(seed, written, &mut chunk[..n]);
        hasher.update(&chunk[..n]);
        file.write_all(&chunk[..n]).expect("writes");
        written += n as u64;
    }
    file.flush().expect("flushes");
    (dir, path, hex(&hasher.finalize()))
}

#[tokio::test]
async fn two_hundred_mib_up_from_a_file_and_down_chunk_by_chunk() {
    let size = 200 * MIB;
    let server = StreamServer::start(StreamServerOptions {
        download_len: size,
        // The file's pattern: the download's expected digest is the file's.
        download_seed: 1,
        digest: Some(sha_digest()),
        ..StreamServerOptions::default()
    })
    .expect("server starts");
    let client = Client::from_conf(config(&server.url()).build());

    // Up: from a file, never read whole.
    let (dir, path, file_sha) = pattern_file("up", 1, size);
    let body = ByteStream::from_path(&path).await.expect("opens the file");
    assert_eq!(body.size_hint(), (size, Some(size)));
    let put = client
        .put_object()
        .bucket("bucket")
        .key("dir/object.bin")
        .body(body)
        .send()
        .await
        .expect("PutObject");
    assert_eq!(
        put.e_tag(),
        Some(format!("\"{size}\"").as_str()),
        "the header member is read"
    );
    let uploads = server.uploads();
    assert_eq!(uploads.len(), 1, "{uploads:?}");
    let up = &uploads[0];
    assert_eq!(up.path, "/bucket/dir/object.bin");
    assert_eq!(
        up.content_length,
        Some(size),
        "sent with its length, not chunked"
    );
    assert_eq!(up.content_type.as_deref(), Some("application/octet-stream"));
    assert_eq!(up.content_sha256.as_deref(), Some("UNSIGNED-PAYLOAD"));
    assert!(up.complete);
    assert_eq!(up.received, size);
    assert_eq!(
        up.digest.as_deref(),
        Some(file_sha.as_str()),
        "the bytes are identical"
    );
    std::fs::remove_dir_all(&dir).expect("removes the file");

    // Down: the unread response body, consumed chunk by chunk.
    let mut out = client
        .get_object()
        .bucket("bucket")
        .key("dir/object.bin")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(out.content_length(), Some(size as i64));
    assert_eq!(out.content_type(), Some("application/octet-stream"));
    assert_eq!(
        out.metadata()
            .and_then(|m| m.get("seed"))
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(
        out.body().bytes(),
        None,
        "the body is a stream, not in memory"
    );
    let mut hasher = Sha256::new();
    let (mut received, mut chunks, mut largest) = (0u64, 0usize, 0usize);
    while let Some(chunk) = out.body.try_next().await.expect("reads a chunk") {
        hasher.update(&chunk);
        received += chunk.len() as u64;
        chunks += 1;
        largest = largest.max(chunk.len());
    }
    assert_eq!(received, size);
    assert!(chunks > 100, "{chunks} chunks");
    assert!(
        largest <= 4 * MIB as usize,
        "no chunk holds the body: largest {largest}"
    );
    assert_eq!(hex(&hasher.finalize()), file_sha, "the bytes are identical");
    assert_eq!(server.downloads(), 1);
}

#[tokio::test]
async fn an_upload_from_a_file_reset_midway_is_sent_again_whole() {
    let size = 8 * MIB;
    let server = StreamServer::start(StreamServerOptions {
        reset_first_upload_after: Some(MIB),
        digest: Some(sha_digest()),
        ..StreamServerOptions::default()
    })
    .expect("server starts");
    let client = Client::from_conf(config(&server.url()).build());
    let (dir, path, file_sha) = pattern_file("retry", 3, size);
    client
        .put_object()
        .bucket("b")
        .key("k")
        .body(ByteStream::from_path(&path).await.expect("opens"))
        .send()
        .await
        .expect("the second attempt succeeds");
    std::fs::remove_dir_all(&dir).expect("removes the file");
    let uploads = server.uploads();
    assert_eq!(
        uploads.len(),
        2,
        "one reset attempt, one retry: {uploads:?}"
    );
    assert!(!uploads[0].complete);
    assert!(
        uploads[0].received >= MIB && uploads[0].received < size,
        "{:?}",
        uploads[0]
    );
    let retry = &uploads[1];
    assert!(retry.complete);
    assert_eq!(retry.content_length, Some(size));
    assert_eq!(retry.received, size, "the whole body again, from its start");
    assert_eq!(retry.digest.as_deref(), Some(file_sha.as_str()));
}

#[tokio::test]
async fn bodies_in_memory_content_types_and_errors() {
    let http = CaptureClient::new(vec![
        CannedResponse::new(200, "").header("ETag", "\"1\""),
        CannedResponse::new(200, ""),
        CannedResponse::new(200, ""),
        CannedResponse::chunked(200, vec![b"hello ".to_vec(), b"world".to_vec()])
            .header("Content-Type", "text/plain")
            .header("x-amz-meta-a", "b"),
        CannedResponse::json(404, r#"{"code":"NoSuchKey","message":"no such key"}"#),
    ]);
    let client = Client::from_conf(
        config("http://127.0.0.1:1")
            .http_client(http.clone())
            .build(),
    );

    let put = client
        .put_object()
        .bucket("b")
        .key("a b/ü.txt")
        .body(ByteStream::from(b"raw \x00 bytes".to_vec()))
        .send()
        .await
        .expect("in memory");
    assert_eq!(put.e_tag(), Some("\"1\""));
    client
        .put_object()
        .bucket("b")
        .key("k")
        .content_type("text/plain")
        .metadata("m", "v")
        .body(ByteStream::from_static(b"text"))
        .send()
        .await
        .expect("with a content type");
    // No body set: an empty body, no content type.
    client
        .put_object()
        .bucket("b")
        .key("k")
        .send()
        .await
        .expect("empty");

    let requests = http.requests();
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(requests[0].uri, "http://127.0.0.1:1/b/a%20b/%C3%BC.txt");
    assert_eq!(requests[0].body, b"raw \x00 bytes");
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(requests[0].header("content-length"), Some("11"));
    // A body in memory is hashed into the signature, like any other.
    assert_eq!(
        requests[0].header("x-amz-content-sha256"),
        None,
        "only S3's signing sends the payload hash header"
    );
    assert_eq!(requests[1].body, b"text");
    assert_eq!(requests[1].header("content-type"), Some("text/plain"));
    assert_eq!(requests[1].header("x-amz-meta-m"), Some("v"));
    assert_eq!(requests[2].body, b"");
    assert_eq!(requests[2].header("content-type"), None);

    let out = client
        .get_object()
        .bucket("b")
        .key("k")
        .send()
        .await
        .expect("GetObject");
    assert_eq!(out.content_type(), Some("text/plain"));
    assert_eq!(
        out.metadata().and_then(|m| m.get("a")).map(String::as_str),
        Some("b")
    );
    let bytes = out.body.collect().await.expect("collects").into_bytes();
    assert_eq!(&bytes[..], b"hello world");

    let err = client
        .get_object()
        .bucket("b")
        .key("missing")
        .send()
        .await
        .expect_err("404");
    assert!(
        matches!(err.as_service_error(), Some(GetObjectError::NoSuchKey(_))),
        "{err:?}"
    );
}

/// The blocking client reads a streaming output whole before `send()` returns (its
/// connection is driven only inside `send()`), and uploads from a file as the async one does.
#[test]
fn the_blocking_client_reads_a_streaming_output_whole() {
    let size = 3 * MIB + 5;
    let server = StreamServer::start(StreamServerOptions {
        download_len: size,
        download_seed: 4,
        digest: Some(sha_digest()),
        ..StreamServerOptions::default()
    })
    .expect("server starts");
    let client =
        aws_lite_fixture_streaming::blocking::Client::from_conf(config(&server.url()).build())
            .expect("blocking client");
    let (dir, path, file_sha) = pattern_file("blocking", 4, size);
    let body = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(ByteStream::from_path(&path))
        .expect("opens");
    client
        .put_object()
        .bucket("b")
        .key("k")
        .body(body)
        .send()
        .expect("PutObject");
    let out = client
        .get_object()
        .bucket("b")
        .key("k")
        .send()
        .expect("GetObject");
    std::fs::remove_dir_all(&dir).expect("removes the file");
    assert_eq!(
        server.uploads()[0].digest.as_deref(),
        Some(file_sha.as_str())
    );
    let bytes = out.body.bytes().expect("in memory once send() returns");
    assert_eq!(bytes.len() as u64, size);
    assert_eq!(
        hex(&Sha256::digest(bytes)),
        file_sha,
        "the same pattern, identical bytes"
    );
}

/// Smithy's restJson1 streaming protocol tests (`smithy-aws-protocol-tests`,
/// `model/restJson1/streaming.smithy` at commit 02759635fcb2ea709e45ff6cf0b9204221eec142,
/// Apache-2.0), whose operations and shapes the fixture carries in botocore's form: each
/// case's params, expected headers, `requireHeaders` and body, transcribed. botocore 1.44.8's
/// own rest-json vectors have no streaming case; the two `...WithMediaType...` cases are left
/// out (they test Smithy's `@mediaType`, which botocore's models cannot carry).
mod smithy_streaming_vectors {
    use super::*;
    use aws_lite_runtime::testing::RecordedRequest;

    fn capture(responses: Vec<CannedResponse>) -> (CaptureClient, Client) {
        let http = CaptureClient::new(responses);
        let client = Client::from_conf(
            config("http://127.0.0.1:1")
                .http_client(http.clone())
                .build(),
        );
        (http, client)
    }

    fn one(http: &CaptureClient) -> RecordedRequest {
        let mut requests = http.requests();
        assert_eq!(requests.len(), 1);
        requests.remove(0)
    }

    fn check(
        request: &RecordedRequest,
        uri: &str,
        headers: &[(&str, &str)],
        require: &[&str],
        body: &[u8],
    ) {
        assert_eq!(request.method, "POST");
        assert_eq!(request.uri, format!("http://127.0.0.1:1{uri}"));
        for (name, value) in headers {
            assert_eq!(
                request.header(name),
                Some(*value),
                "header {name}: {request:?}"
            );
        }
        for name in require {
            assert!(
                request.header(name).is_some(),
                "header {name} required: {request:?}"
            );
        }
        assert_eq!(request.body, body);
    }

    #[tokio::test]
    async fn rest_json_streaming_traits_with_blob() {
        let (http, client) = capture(vec![CannedResponse::new(200, "")]);
        client
            .streaming_traits()
            .foo("Foo")
            .blob(ByteStream::from_static(b"blobby blob blob"))
            .send()
            .await
            .expect("sent");
        check(
            &one(&http),
            "/StreamingTraits",
            &[
                ("X-Foo", "Foo"),
                ("Content-Type", "application/octet-stream"),
            ],
            &[],
            b"blobby blob blob",
        );
    }

    #[tokio::test]
    async fn rest_json_streaming_traits_with_no_blob_body() {
        let (http, client) = capture(vec![CannedResponse::new(200, "")]);
        client
            .streaming_traits()
            .foo("Foo")
            .send()
            .await
            .expect("sent");
        let request = one(&http);
        check(&request, "/StreamingTraits", &[("X-Foo", "Foo")], &[], b"");
        // Not in the vector; as botocore and the raw blob payload vectors: no content type
        // for no body.
        assert_eq!(request.header("Content-Type"), None);
    }

    #[tokio::test]
    async fn rest_json_streaming_traits_require_length_with_blob() {
        let (http, client) = capture(vec![CannedResponse::new(200, "")]);
        client
            .streaming_traits_require_length()
            .foo("Foo")
            .blob(ByteStream::from(b"blobby blob blob".to_vec()))
            .send()
            .await
            .expect("sent");
        check(
            &one(&http),
            "/StreamingTraitsRequireLength",
            &[
                ("X-Foo", "Foo"),
                ("Content-Type", "application/octet-stream"),
            ],
            &["Content-Length"],
            b"blobby blob blob",
        );
    }

    #[tokio::test]
    async fn rest_json_streaming_traits_require_length_with_no_blob_body() {
        let (http, client) = capture(vec![CannedResponse::new(200, "")]);
        client
            .streaming_traits_require_length()
            .foo("Foo")
            .send()
            .await
            .expect("sent");
        check(
            &one(&http),
            "/StreamingTraitsRequireLength",
            &[("X-Foo", "Foo")],
            &[],
            b"",
        );
    }

    #[tokio::test]
    async fn rest_json_streaming_traits_with_blob_response() {
        let (_, client) = capture(vec![
            CannedResponse::new(200, "blobby blob blob")
                .header("X-Foo", "Foo")
                .header("Content-Type", "application/octet-stream"),
        ]);
        let out = client.streaming_traits().send().await.expect("parsed");
        assert_eq!(out.foo(), Some("Foo"));
        let blob = out.blob.collect().await.expect("read").into_bytes();
        assert_eq!(&blob[..], b"blobby blob blob");
    }

    #[tokio::test]
    async fn rest_json_streaming_traits_with_no_blob_body_response() {
        let (_, client) = capture(vec![CannedResponse::new(200, "").header("X-Foo", "Foo")]);
        let out = client.streaming_traits().send().await.expect("parsed");
        assert_eq!(out.foo(), Some("Foo"));
        let blob = out.blob.collect().await.expect("read").into_bytes();
        assert!(blob.is_empty());
    }
}
