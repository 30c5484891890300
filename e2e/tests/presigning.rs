//! Presigned requests from the generated S3 and Polly `--ops` crates, written as for the
//! official `aws-sdk-s3` and `aws-sdk-polly` crates (`.presigned(PresigningConfig::expires_in(..)?)`),
//! checked three ways:
//!
//! - against the official SDK's own expectations (smithy-rs
//!   `aws/sdk/integration-tests/s3/tests/presigning.rs`: the URLs and signatures the official
//!   crate produces for fixed credentials and time). The official crate's S3 model adds
//!   `x-id=<Operation>` to the query string of some operations, which the botocore model (and
//!   so this crate, like botocore) does not: those tests add it with
//!   `.customize().mutate_request(..)`, which runs before signing, so the signature covers it.
//!   Polly's `SynthesizeSpeech` (`aws/sdk/integration-tests/polly/tests/presigning.rs`) is
//!   presigned as a `GET` with its body's members in the query string, plain and customized;
//! - against botocore's `generate_presigned_url` (the pinned botocore in `.venv`, its clock
//!   fixed), byte for byte: the same URL for the same bucket, key, parameters, credentials
//!   and time;
//! - against moto: an object put with the client is read back through a presigned GET URL
//!   with a plain HTTP client (the runtime's default hyper client, given only the URL and the
//!   presigned headers), and an object uploaded through a presigned PUT URL is read back
//!   with `get_object`. moto 5.2.5 does not check the signatures of presigned URLs (only
//!   `Authorization` headers; see `moto/s3/responses.py`, `_key_response`), so expiry and
//!   tampering cannot be checked against it: the signature is what the two checks above
//!   prove.

use std::error::Error;
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

use aws_lite_runtime::http::{HttpClient, HttpRequest, HyperClient};
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::presigning::{PresignedRequest, PresigningConfig};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::{Client, Config};
use e2e::{MotoServer, default_venv};

type TestResult = Result<(), Box<dyn Error>>;

/// The official tests' time: 2009-02-13T23:31:31Z.
const START: u64 = 1_234_567_891;

fn at_start(expires_in: u64) -> PresigningConfig {
    PresigningConfig::builder()
        .start_time(UNIX_EPOCH + Duration::from_secs(START))
        .expires_in(Duration::from_secs(expires_in))
        .build()
        .expect("valid presigning config")
}

/// The official tests' client: `Credentials::for_tests_with_session_token()` in us-east-1.
fn official_client() -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "ANOTREAL",
                "notrealrnrELgWzOk3IfjzDKtFBhDby",
                Some("notarealsessiontoken".to_owned()),
                None,
                "test",
            ))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    )
}

/// Puts `x-id=<op>` first in the query string, as the official crate's S3 model does.
fn add_x_id(op: &'static str) -> impl Fn(&mut HttpRequest) + Send + Sync + 'static {
    move |request: &mut HttpRequest| {
        let (base, query) = match request.uri.split_once('?') {
            Some((base, query)) => (base.to_owned(), format!("&{query}")),
            None => (request.uri.clone(), String::new()),
        };
        request.uri = format!("{base}?x-id={op}{query}");
    }
}

fn sorted_query(uri: &str) -> Vec<String> {
    let mut params: Vec<String> = uri
        .split_once('?')
        .map(|(_, q)| q.split('&').map(str::to_owned).collect())
        .unwrap_or_default();
    params.sort();
    params
}

fn headers(presigned: &PresignedRequest) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = presigned
        .headers()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    headers.sort();
    headers
}

/// `test_presigning`: GetObject, no headers to send (no checksum mode header).
#[tokio::test]
async fn official_get_object() -> TestResult {
    let presigned = official_client()
        .get_object()
        .bucket("test-bucket")
        .key("test-key")
        .customize()
        .mutate_request(add_x_id("GetObject"))
        .presigned(at_start(30))
        .await?;
    assert_eq!(presigned.method(), "GET");
    assert!(
        presigned
            .uri()
            .starts_with("https://test-bucket.s3.us-east-1.amazonaws.com/test-key?"),
        "{}",
        presigned.uri()
    );
    assert_eq!(
        sorted_query(presigned.uri()),
        [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=ANOTREAL%2F20090213%2Fus-east-1%2Fs3%2Faws4_request",
            "X-Amz-Date=20090213T233131Z",
            "X-Amz-Expires=30",
            "X-Amz-Security-Token=notarealsessiontoken",
            "X-Amz-Signature=758353318739033a850182c7b3435076eebbbd095f8dcf311383a6a1e124c4cb",
            "X-Amz-SignedHeaders=host",
            "x-id=GetObject",
        ]
    );
    assert_eq!(presigned.headers().count(), 0);
    Ok(())
}

/// `test_presigning_with_payload_headers`: PutObject's content headers are signed and
/// returned; no checksum headers, no content type or length of its own.
#[tokio::test]
async fn official_put_object_with_payload_headers() -> TestResult {
    let presigned = official_client()
        .put_object()
        .bucket("test-bucket")
        .key("test-key")
        .content_length(12345)
        .content_type("application/x-test")
        .customize()
        .mutate_request(add_x_id("PutObject"))
        .presigned(at_start(30))
        .await?;
    assert_eq!(presigned.method(), "PUT");
    assert!(
        presigned
            .uri()
            .starts_with("https://test-bucket.s3.us-east-1.amazonaws.com/test-key?"),
        "{}",
        presigned.uri()
    );
    assert_eq!(
        sorted_query(presigned.uri()),
        [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=ANOTREAL%2F20090213%2Fus-east-1%2Fs3%2Faws4_request",
            "X-Amz-Date=20090213T233131Z",
            "X-Amz-Expires=30",
            "X-Amz-Security-Token=notarealsessiontoken",
            "X-Amz-Signature=be1d41dc392f7019750e4f5e577234fb9059dd20d15f6a99734196becce55e52",
            "X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost",
            "x-id=PutObject",
        ]
    );
    assert_eq!(
        headers(&presigned),
        [
            ("content-length".to_owned(), "12345".to_owned()),
            ("content-type".to_owned(), "application/x-test".to_owned()),
        ]
    );
    Ok(())
}

/// `test_presigned_upload_part`: the whole URL, parameter order included.
#[tokio::test]
async fn official_upload_part() -> TestResult {
    let presigned = official_client()
        .upload_part()
        .content_length(12345)
        .bucket("bucket")
        .key("key")
        .part_number(0)
        .upload_id("upload-id")
        .customize()
        .mutate_request(add_x_id("UploadPart"))
        .presigned(at_start(30))
        .await?;
    assert_eq!(
        presigned.uri(),
        "https://bucket.s3.us-east-1.amazonaws.com/key?x-id=UploadPart&partNumber=0&uploadId=upload-id&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ANOTREAL%2F20090213%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20090213T233131Z&X-Amz-Expires=30&X-Amz-SignedHeaders=content-length%3Bhost&X-Amz-Signature=a702867244f0bd1fb4d161e2a062520dcbefae3b9992d2e5366bcd61a60c6ddd&X-Amz-Security-Token=notarealsessiontoken"
    );
    Ok(())
}

/// `test_presigning_object_lambda`: an Object Lambda access point ARN resolves, through the
/// endpoint rules, to its host, signing region and signing name.
#[tokio::test]
async fn official_object_lambda_access_point() -> TestResult {
    let presigned = official_client()
        .get_object()
        .bucket("arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint:my-banner-ap-name")
        .key("test2.txt")
        .customize()
        .mutate_request(add_x_id("GetObject"))
        .presigned(at_start(30))
        .await?;
    assert_eq!(
        presigned.uri(),
        "https://my-banner-ap-name-123456789012.s3-object-lambda.us-west-2.amazonaws.com/test2.txt?x-id=GetObject&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ANOTREAL%2F20090213%2Fus-west-2%2Fs3-object-lambda%2Faws4_request&X-Amz-Date=20090213T233131Z&X-Amz-Expires=30&X-Amz-SignedHeaders=host&X-Amz-Signature=027976453050b6f9cca7af80a59c05ee572b462e0fc1ef564c59412b903fcdf2&X-Amz-Security-Token=notarealsessiontoken"
    );
    Ok(())
}

/// `test_presigned_head_object`: no `x-id` in the official model either, so no change.
#[tokio::test]
async fn official_head_object() -> TestResult {
    let presigned = official_client()
        .head_object()
        .bucket("bucket")
        .key("key")
        .presigned(at_start(30))
        .await?;
    assert_eq!(presigned.method(), "HEAD");
    assert_eq!(
        presigned.uri(),
        "https://bucket.s3.us-east-1.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ANOTREAL%2F20090213%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20090213T233131Z&X-Amz-Expires=30&X-Amz-SignedHeaders=host&X-Amz-Signature=6b97012e70d5ee3528b5591e0e90c0f45e0fa303506f854eff50ff922751a193&X-Amz-Security-Token=notarealsessiontoken"
    );
    Ok(())
}

/// `test_presigned_user_provided_checksum`: a checksum value set on the builder is signed and
/// sent; no algorithm header is added.
#[tokio::test]
async fn official_user_provided_checksum() -> TestResult {
    let presigned = official_client()
        .put_object()
        .checksum_crc64_nvme("NotARealChecksum")
        .bucket("test-bucket")
        .key("test-key")
        .customize()
        .mutate_request(add_x_id("PutObject"))
        .presigned(at_start(30))
        .await?;
    assert_eq!(
        presigned.uri(),
        "https://test-bucket.s3.us-east-1.amazonaws.com/test-key?x-id=PutObject&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ANOTREAL%2F20090213%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20090213T233131Z&X-Amz-Expires=30&X-Amz-SignedHeaders=host%3Bx-amz-checksum-crc64nvme&X-Amz-Signature=40e6ea102769a53f440db587be0b6898893d9a0f8268d2f8d2315ca0abc42fee&X-Amz-Security-Token=notarealsessiontoken"
    );
    assert_eq!(
        headers(&presigned),
        [(
            "x-amz-checksum-crc64nvme".to_owned(),
            "NotARealChecksum".to_owned()
        )]
    );
    Ok(())
}

/// Bad input gives an error, never a panic or a request: a missing required member, an
/// expiry over a week, no credentials.
#[tokio::test]
async fn bad_input_is_an_error() -> TestResult {
    let err = official_client()
        .get_object()
        .bucket("b")
        .presigned(at_start(30))
        .await
        .expect_err("no key");
    let text = format!("{:?}", aws_lite_runtime::error::DisplayErrorContext(&err));
    assert!(text.contains("GetObject requires `Key`"), "{text}");

    let err = PresigningConfig::expires_in(Duration::from_secs(604_801)).expect_err("8 days");
    assert_eq!(
        err.to_string(),
        "`expires_in` must be no longer than one week"
    );

    let anonymous = Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    );
    // Credentials may come from the environment: only check that there is no panic and that
    // a failure is a construction failure.
    if let Err(err) = anonymous
        .get_object()
        .bucket("b")
        .key("k")
        .presigned(at_start(30))
        .await
    {
        assert!(
            matches!(
                err,
                aws_lite_runtime::error::SdkError::ConstructionFailure(_)
            ),
            "{err:?}"
        );
    }
    Ok(())
}

/// Runs `script` with the pinned botocore in `.venv`, its clock fixed at [`START`], and returns
/// what it prints (one line per URL).
fn botocore_urls(script: &str) -> Result<Vec<String>, Box<dyn Error>> {
    let out = Command::new(default_venv().join("bin/python"))
        .arg("-c")
        .arg(format!(
            "import datetime, boto3, botocore, botocore.auth\n\
             from botocore.config import Config\n\
             assert botocore.__version__ == '1.44.8', botocore.__version__\n\
             botocore.auth.get_current_datetime = lambda remove_tzinfo=True: \
             datetime.datetime(2009, 2, 13, 23, 31, 31)\n\
             {script}"
        ))
        .output()?;
    if !out.status.success() {
        return Err(format!("botocore failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout)?
        .lines()
        .map(str::to_owned)
        .collect())
}

/// A key that needs encoding in the URI (space, `/`, non-ASCII, `+`, `%`).
const ODD_KEY: &str = "a b/ü+%.txt";

/// The same presigned URLs as botocore's `generate_presigned_url`, byte for byte, for the
/// same endpoint, addressing style, bucket, key, parameters, credentials and time: virtual
/// hosted (eu-west-3) and path-style, GetObject with a key needing encoding, a `Range`
/// header and `response-*` query parameters, PutObject with a content type and metadata.
/// botocore's presigned URLs name the global `s3.amazonaws.com` host unless given an
/// endpoint (the official SDK names the regional one), so both are given the endpoint.
/// botocore writes query parameters in the order of its `Params`, this crate in the model's
/// member order: the script lists them in that order.
#[tokio::test]
async fn same_urls_as_botocore() -> TestResult {
    let urls = botocore_urls(&format!(
        "for region, endpoint, style in [('eu-west-3', 'https://s3.eu-west-3.amazonaws.com', 'virtual'), ('us-east-1', 'http://127.0.0.1:5000', 'path')]:\n\
         \x20   s3 = boto3.client('s3', region_name=region, endpoint_url=endpoint, aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='wJalrXUtnFEMI/K7MDENG', config=Config(signature_version='s3v4', s3={{'addressing_style': style}}))\n\
         \x20   print(s3.generate_presigned_url('get_object', Params={{'Bucket': 'presign-bucket', 'Key': {ODD_KEY:?}}}, ExpiresIn=900))\n\
         \x20   print(s3.generate_presigned_url('get_object', Params={{'Bucket': 'presign-bucket', 'Key': 'k', 'Range': 'bytes=0-9', 'ResponseContentDisposition': 'attachment; filename=\"a b.txt\"', 'ResponseContentType': 'text/plain; charset=utf-8'}}, ExpiresIn=3600))\n\
         \x20   print(s3.generate_presigned_url('put_object', Params={{'Bucket': 'presign-bucket', 'Key': {ODD_KEY:?}, 'ContentType': 'text/plain', 'Metadata': {{'colour': 'blue'}}}}, ExpiresIn=604800))\n\
         \x20   print(s3.generate_presigned_url('delete_object', Params={{'Bucket': 'presign-bucket', 'Key': 'k', 'VersionId': 'v+1/2'}}, ExpiresIn=60))\n\
         \x20   print(s3.generate_presigned_url('head_object', Params={{'Bucket': 'presign-bucket', 'Key': 'k'}}, ExpiresIn=60))\n"
    ))?;
    let mut ours = Vec::new();
    for (region, endpoint, path_style) in [
        ("eu-west-3", "https://s3.eu-west-3.amazonaws.com", false),
        ("us-east-1", "http://127.0.0.1:5000", true),
    ] {
        let client = Client::from_conf(
            Config::builder()
                .region(Region::new(region))
                .endpoint_url(endpoint)
                .force_path_style(path_style)
                .credentials_provider(Credentials::new(
                    "AKIDEXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG",
                    None,
                    None,
                    "e2e",
                ))
                .behavior_version(BehaviorVersion::latest())
                .build(),
        );
        let bucket = "presign-bucket";
        ours.push(
            client
                .get_object()
                .bucket(bucket)
                .key(ODD_KEY)
                .presigned(at_start(900))
                .await?,
        );
        ours.push(
            client
                .get_object()
                .bucket(bucket)
                .key("k")
                .range("bytes=0-9")
                .response_content_type("text/plain; charset=utf-8")
                .response_content_disposition("attachment; filename=\"a b.txt\"")
                .presigned(at_start(3600))
                .await?,
        );
        ours.push(
            client
                .put_object()
                .bucket(bucket)
                .key(ODD_KEY)
                .content_type("text/plain")
                .metadata("colour", "blue")
                .presigned(at_start(604_800))
                .await?,
        );
        ours.push(
            client
                .delete_object()
                .bucket(bucket)
                .key("k")
                .version_id("v+1/2")
                .presigned(at_start(60))
                .await?,
        );
        ours.push(
            client
                .head_object()
                .bucket(bucket)
                .key("k")
                .presigned(at_start(60))
                .await?,
        );
    }
    let ours: Vec<&str> = ours.iter().map(PresignedRequest::uri).collect();
    assert_eq!(ours, urls);
    // The headers to send are the ones signed (besides host).
    let signed = |uri: &str| {
        uri.split('&')
            .find_map(|p| p.strip_prefix("X-Amz-SignedHeaders="))
            .map(|v| v.replace("%3B", ";"))
    };
    assert_eq!(signed(ours[1]).as_deref(), Some("host;range"));
    assert_eq!(
        signed(ours[2]).as_deref(),
        Some("content-type;host;x-amz-meta-colour")
    );
    Ok(())
}

/// With a session token botocore appends `X-Amz-Security-Token` before the signature and
/// the official SDK (and this crate) after it: the same parameters, in another order.
#[tokio::test]
async fn same_signature_as_botocore_with_a_session_token() -> TestResult {
    let urls = botocore_urls(&format!(
        "s3 = boto3.client('s3', region_name='eu-west-3', endpoint_url='https://s3.eu-west-3.amazonaws.com', aws_access_key_id='ASIAEXAMPLE', aws_secret_access_key='secret', aws_session_token='Fwo/token+=', config=Config(signature_version='s3v4', s3={{'addressing_style': 'virtual'}}))\n\
         print(s3.generate_presigned_url('get_object', Params={{'Bucket': 'presign-bucket', 'Key': {ODD_KEY:?}}}, ExpiresIn=900))\n"
    ))?;
    let client = Client::from_conf(
        Config::builder()
            .region(Region::new("eu-west-3"))
            .endpoint_url("https://s3.eu-west-3.amazonaws.com")
            .credentials_provider(Credentials::new(
                "ASIAEXAMPLE",
                "secret",
                Some("Fwo/token+=".to_owned()),
                None,
                "e2e",
            ))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    );
    let presigned = client
        .get_object()
        .bucket("presign-bucket")
        .key(ODD_KEY)
        .presigned(at_start(900))
        .await?;
    let [theirs] = urls.as_slice() else {
        return Err(format!("expected one URL, got {urls:?}").into());
    };
    let base = |uri: &str| uri.split_once('?').map(|(b, _)| b.to_owned());
    assert_eq!(base(presigned.uri()), base(theirs));
    assert_eq!(sorted_query(presigned.uri()), sorted_query(theirs));
    assert!(
        presigned
            .uri()
            .ends_with("&X-Amz-Security-Token=Fwo%2Ftoken%2B%3D"),
        "{}",
        presigned.uri()
    );
    Ok(())
}

fn moto_client(server: &MotoServer) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(server.url())
            .force_path_style(true)
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "e2e"))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    )
}

/// Sends a presigned request with `body` through a plain HTTP client: the URL, the
/// presigned headers, nothing else from the SDK.
async fn send_presigned(
    presigned: &PresignedRequest,
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), Box<dyn Error>> {
    let mut headers: Vec<(String, String)> = presigned
        .headers()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    if presigned.method() == "PUT" {
        headers.push(("content-length".to_owned(), body.len().to_string()));
    }
    let response = HyperClient::new()?
        .call(HttpRequest {
            method: presigned.method().to_owned(),
            uri: presigned.uri().to_owned(),
            headers,
            body: body.into(),
        })
        .await?;
    let status = response.status;
    let bytes = response.body.collect().await.map_err(|e| e.to_string())?;
    Ok((status, bytes.to_vec()))
}

/// moto serves an object through a presigned GET URL and stores one uploaded through a
/// presigned PUT URL, as the official examples (`get-object-presigned.rs`,
/// `put-object-presigned.rs`) use them; HEAD and DELETE through presigned URLs too.
#[tokio::test]
async fn presigned_urls_work_against_moto() -> TestResult {
    let server = MotoServer::start()?;
    let client = moto_client(&server);
    let bucket = "e2e-presign";
    client.create_bucket().bucket(bucket).send().await?;
    let content: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    client
        .put_object()
        .bucket(bucket)
        .key(ODD_KEY)
        .body(ByteStream::from(content.clone()))
        .send()
        .await?;

    // GET, as the official `get-object-presigned.rs` example makes it.
    let expires_in = Duration::from_secs(900);
    let presigned_request = client
        .get_object()
        .bucket(bucket)
        .key(ODD_KEY)
        .presigned(PresigningConfig::expires_in(expires_in)?)
        .await?;
    assert!(
        presigned_request.uri().starts_with(&format!(
            "{}/{bucket}/a%20b/%C3%BC%2B%25.txt?X-Amz-Algorithm=",
            server.url()
        )),
        "{}",
        presigned_request.uri()
    );
    let (status, got) = send_presigned(&presigned_request, Vec::new()).await?;
    assert_eq!(status, 200);
    assert_eq!(got, content);

    // PUT, as the official `put-object-presigned.rs` example makes it, with a content type
    // that the uploader must send.
    let presigned_put = client
        .put_object()
        .bucket(bucket)
        .key("uploaded.bin")
        .content_type("application/x-test")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60))?)
        .await?;
    assert_eq!(
        headers(&presigned_put),
        [("content-type".to_owned(), "application/x-test".to_owned())]
    );
    let uploaded: Vec<u8> = b"uploaded through a presigned URL".repeat(1000);
    let (status, _) = send_presigned(&presigned_put, uploaded.clone()).await?;
    assert_eq!(status, 200);
    let read_back = client
        .get_object()
        .bucket(bucket)
        .key("uploaded.bin")
        .send()
        .await?;
    assert_eq!(read_back.content_type(), Some("application/x-test"));
    assert_eq!(
        read_back.body.collect().await?.into_bytes().as_ref(),
        &uploaded[..]
    );

    // HEAD, then DELETE, through presigned URLs.
    let presigned_head = client
        .head_object()
        .bucket(bucket)
        .key("uploaded.bin")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60))?)
        .await?;
    let (status, _) = send_presigned(&presigned_head, Vec::new()).await?;
    assert_eq!(status, 200);
    let presigned_delete = client
        .delete_object()
        .bucket(bucket)
        .key("uploaded.bin")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60))?)
        .await?;
    assert_eq!(presigned_delete.method(), "DELETE");
    let (status, _) = send_presigned(&presigned_delete, Vec::new()).await?;
    assert_eq!(status, 204);
    let gone = client
        .head_object()
        .bucket(bucket)
        .key("uploaded.bin")
        .send()
        .await;
    assert!(gone.is_err(), "{gone:?}");

    // The presigned request converts to an `http` request with the body of one's choice.
    let http_request = presigned_put.make_http_1x_request(());
    assert_eq!(http_request.method(), "PUT");
    assert_eq!(http_request.uri().to_string(), presigned_put.uri());
    assert_eq!(
        http_request
            .headers()
            .get("content-type")
            .map(|v| v.as_bytes()),
        Some(&b"application/x-test"[..])
    );
    Ok(())
}

/// The official tests' Polly client (`aws/sdk/integration-tests/polly/tests/presigning.rs`).
fn official_polly_client() -> aws_sdk_polly::Client {
    aws_sdk_polly::Client::from_conf(
        aws_sdk_polly::Config::builder()
            .region(aws_sdk_polly::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_polly::config::Credentials::new(
                "ANOTREAL",
                "notrealrnrELgWzOk3IfjzDKtFBhDby",
                Some("notarealsessiontoken".to_owned()),
                None,
                "test",
            ))
            .behavior_version(aws_sdk_polly::config::BehaviorVersion::latest())
            .build(),
    )
}

/// Polly's `SynthesizeSpeech` (`test_presigning`): presigned as a `GET` with the body's
/// members in the query string and the empty body's hash, as the official SDK does.
#[tokio::test]
async fn official_polly_synthesize_speech() -> TestResult {
    use aws_sdk_polly::presigning::PresigningConfig;
    use aws_sdk_polly::types::{OutputFormat, VoiceId};
    let presigned = official_polly_client()
        .synthesize_speech()
        .output_format(OutputFormat::Mp3)
        .text("hello, world")
        .voice_id(VoiceId::Joanna)
        .presigned(
            PresigningConfig::builder()
                .start_time(UNIX_EPOCH + Duration::from_secs(START))
                .expires_in(Duration::from_secs(30))
                .build()?,
        )
        .await?;
    assert_eq!(presigned.method(), "GET");
    let (base, _) = presigned.uri().split_once('?').ok_or("no query")?;
    assert_eq!(base, "https://polly.us-east-1.amazonaws.com/v1/speech");
    assert_eq!(
        sorted_query(presigned.uri()),
        [
            "OutputFormat=mp3",
            "Text=hello%2C%20world",
            "VoiceId=Joanna",
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=ANOTREAL%2F20090213%2Fus-east-1%2Fpolly%2Faws4_request",
            "X-Amz-Date=20090213T233131Z",
            "X-Amz-Expires=30",
            "X-Amz-Security-Token=notarealsessiontoken",
            "X-Amz-Signature=79fcf765b063aa29d852fa9d7c2a9ccff94d727d743adbff84a0be6afe9a92e8",
            "X-Amz-SignedHeaders=host",
        ]
    );
    assert_eq!(presigned.headers().count(), 0);
    Ok(())
}

/// `test_presigning_customized`: `.customize()` with a config override (another region) and
/// a request mutation (a query parameter without a value), both before signing.
#[tokio::test]
async fn official_polly_synthesize_speech_customized() -> TestResult {
    use aws_sdk_polly::presigning::PresigningConfig;
    use aws_sdk_polly::types::{OutputFormat, VoiceId};
    let presigned = official_polly_client()
        .synthesize_speech()
        .output_format(OutputFormat::Mp3)
        .text("hello, world")
        .voice_id(VoiceId::Joanna)
        .customize()
        .config_override(
            aws_sdk_polly::Config::builder()
                .region(aws_sdk_polly::config::Region::new("us-west-1")),
        )
        .mutate_request(|request: &mut HttpRequest| request.uri.push_str("&test"))
        .presigned(
            PresigningConfig::builder()
                .start_time(UNIX_EPOCH + Duration::from_secs(START))
                .expires_in(Duration::from_secs(30))
                .build()?,
        )
        .await?;
    assert_eq!(presigned.method(), "GET");
    let (base, _) = presigned.uri().split_once('?').ok_or("no query")?;
    assert_eq!(base, "https://polly.us-west-1.amazonaws.com/v1/speech");
    assert_eq!(
        sorted_query(presigned.uri()),
        [
            "OutputFormat=mp3",
            "Text=hello%2C%20world",
            "VoiceId=Joanna",
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=ANOTREAL%2F20090213%2Fus-west-1%2Fpolly%2Faws4_request",
            "X-Amz-Date=20090213T233131Z",
            "X-Amz-Expires=30",
            "X-Amz-Security-Token=notarealsessiontoken",
            "X-Amz-Signature=7cc39d2dfa3b8057f901b2827522790b48c6162571ed7e09c9725178c1cdd1fb",
            "X-Amz-SignedHeaders=host",
            "test",
        ]
    );
    assert_eq!(presigned.headers().count(), 0);
    Ok(())
}
