//! The loader against loopback IMDS and container-credential servers (real HTTP through the
//! default client): IMDSv2's token flow, credentials cached by the identity cache and
//! refreshed when they near expiry, container credentials with an authorization token file,
//! and an unreachable IMDS ending the chain with an error naming every provider, in bounded
//! time. The credentials are checked where they matter: in the SigV4 `authorization` header of
//! a generated STS call.

use aws_config::ProviderConfig;
use aws_config::os::{Env, Fs};
use aws_lite_runtime::config::Region;
use aws_lite_runtime::error::DisplayErrorContext;
use aws_lite_runtime::testing::{CannedResponse, RecordedRequest, TestServer};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

const CALLER: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>X</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;

/// An STS stand-in that records who signed each call.
fn sts_server() -> (TestServer, Arc<Mutex<Vec<RecordedRequest>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let server = TestServer::start_with(move |request| {
        record.lock().unwrap().push(request.clone());
        CannedResponse::new(200, CALLER).header("content-type", "text/xml")
    });
    (server, seen)
}

fn access_key_of(request: &RecordedRequest) -> String {
    let auth = request.header("authorization").expect("signed");
    let credential = auth
        .split("Credential=")
        .nth(1)
        .expect("a credential scope");
    credential.split('/').next().unwrap().to_owned()
}

fn rfc3339(t: SystemTime) -> String {
    aws_lite_runtime::primitives::DateTime::from(t)
        .fmt(aws_lite_runtime::primitives::DateTimeFormat::DateTime)
        .unwrap()
}

fn env(vars: &[(&str, &str)]) -> Env {
    Env::from_slice(vars)
}

async fn caller(sdk_config: &aws_config::SdkConfig) -> Result<(), String> {
    aws_lite_sts::Client::new(sdk_config)
        .get_caller_identity()
        .send()
        .await
        .map(|_| ())
        .map_err(|e| DisplayErrorContext(&e).to_string())
}

#[tokio::test]
async fn imds_token_flow_cached_credentials_and_refresh_before_expiry() {
    // Credentials valid 11 s: the identity cache (10 s buffer) reuses them for about 1 s.
    let fetched = Arc::new(Mutex::new(0u32));
    let imds_seen = Arc::new(Mutex::new(Vec::<RecordedRequest>::new()));
    let (count, seen) = (Arc::clone(&fetched), Arc::clone(&imds_seen));
    let imds = TestServer::start_with(move |request| {
        seen.lock().unwrap().push(request.clone());
        match (request.method.as_str(), request.uri.as_str()) {
            ("PUT", "/latest/api/token") => CannedResponse::new(200, "TOKEN-1")
                .header("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
            (_, _) if request.header("x-aws-ec2-metadata-token") != Some("TOKEN-1") => {
                CannedResponse::new(401, "")
            }
            ("GET", "/latest/meta-data/iam/security-credentials/") => {
                CannedResponse::new(200, "my-role")
            }
            ("GET", "/latest/meta-data/iam/security-credentials/my-role") => {
                let mut n = count.lock().unwrap();
                *n += 1;
                let expiry = rfc3339(SystemTime::now() + Duration::from_secs(11));
                CannedResponse::new(
                    200,
                    format!(
                        r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS{n}","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"{expiry}"}}"#
                    ),
                )
            }
            _ => CannedResponse::new(404, ""),
        }
    });
    let (sts, signed) = sts_server();
    let config = ProviderConfig::default()
        .with_env(env(&[
            ("HOME", "/nonexistent"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url()),
        ]))
        .with_fs(Fs::from_slice(&[]));
    let sdk = aws_config::from_env()
        .configure(config)
        .region(Region::new("us-east-1"))
        .endpoint_url(sts.url())
        .load()
        .await;
    caller(&sdk).await.unwrap();
    caller(&sdk).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    caller(&sdk).await.unwrap();
    let keys: Vec<String> = signed.lock().unwrap().iter().map(access_key_of).collect();
    assert_eq!(
        keys,
        ["ASIAIMDS1", "ASIAIMDS1", "ASIAIMDS2"],
        "cached, then refreshed"
    );
    let seen = imds_seen.lock().unwrap();
    let tokens = seen.iter().filter(|r| r.method == "PUT").count();
    assert_eq!(tokens, 1, "the session token is reused: {seen:?}");
    assert_eq!(
        seen[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert!(
        seen[1..]
            .iter()
            .all(|r| r.header("x-aws-ec2-metadata-token") == Some("TOKEN-1"))
    );
    assert_eq!(*fetched.lock().unwrap(), 2);
    // The session token from IMDS is sent with the signed call.
    assert_eq!(
        signed.lock().unwrap()[0].header("x-amz-security-token"),
        Some("imds-token")
    );
}

#[tokio::test]
async fn imds_expired_token_is_replaced_once() {
    // The server accepts only the second token it hands out (the first "expired").
    let issued = Arc::new(Mutex::new(0u32));
    let n = Arc::clone(&issued);
    let imds = TestServer::start_with(move |request| {
        if request.method == "PUT" {
            let mut n = n.lock().unwrap();
            *n += 1;
            return CannedResponse::new(200, format!("TOKEN-{n}"));
        }
        if request.header("x-aws-ec2-metadata-token") != Some("TOKEN-2") {
            return CannedResponse::new(401, "");
        }
        match request.uri.as_str() {
            "/latest/meta-data/iam/security-credentials/" => CannedResponse::new(200, "r"),
            _ => CannedResponse::new(
                200,
                r#"{"Code":"Success","AccessKeyId":"ASIAREFRESHED","SecretAccessKey":"s","Token":"t","Expiration":"2100-01-01T00:00:00Z"}"#,
            ),
        }
    });
    let (sts, signed) = sts_server();
    let sdk = aws_config::from_env()
        .configure(
            ProviderConfig::default()
                .with_env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url())]))
                .with_fs(Fs::from_slice(&[])),
        )
        .region(Region::new("us-east-1"))
        .endpoint_url(sts.url())
        .load()
        .await;
    caller(&sdk).await.unwrap();
    assert_eq!(access_key_of(&signed.lock().unwrap()[0]), "ASIAREFRESHED");
    assert_eq!(*issued.lock().unwrap(), 2);
}

#[tokio::test]
async fn container_credentials_with_an_authorization_token_file() {
    let dir = std::env::temp_dir().join(format!("aws-lite-config-ecs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "pod-identity-token\n").unwrap();
    let seen = Arc::new(Mutex::new(Vec::<RecordedRequest>::new()));
    let record = Arc::clone(&seen);
    let container = TestServer::start_with(move |request| {
        record.lock().unwrap().push(request.clone());
        CannedResponse::new(
            200,
            r#"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"c-secret","Token":"c-token","Expiration":"2100-01-01T00:00:00Z","AccountId":"123456789012"}"#,
        )
    });
    let (sts, signed) = sts_server();
    let full_uri = format!("{}/v1/credentials", container.url());
    let sdk = aws_config::from_env()
        .configure(
            ProviderConfig::default()
                .with_env(env(&[
                    ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full_uri),
                    (
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                        token_file.to_str().unwrap(),
                    ),
                    ("AWS_EC2_METADATA_DISABLED", "true"),
                ]))
                .with_fs(Fs::real()),
        )
        .region(Region::new("eu-west-1"))
        .endpoint_url(sts.url())
        .load()
        .await;
    caller(&sdk).await.unwrap();
    let request = &seen.lock().unwrap()[0];
    assert_eq!(request.uri, "/v1/credentials");
    assert_eq!(request.header("authorization"), Some("pod-identity-token"));
    let call = &signed.lock().unwrap()[0];
    assert_eq!(access_key_of(call), "ASIACONTAINER");
    assert_eq!(call.header("x-amz-security-token"), Some("c-token"));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn unreachable_imds_ends_the_chain_naming_each_provider_in_bounded_time() {
    // Accepts connections and never answers: every IMDS attempt runs into its 1 s limit.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent = format!("http://{}", listener.local_addr().unwrap());
    let (sts, signed) = sts_server();
    let started = Instant::now();
    let sdk = aws_config::from_env()
        .configure(
            ProviderConfig::default()
                .with_env(env(&[
                    ("HOME", "/nonexistent"),
                    ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &silent),
                ]))
                .with_fs(Fs::from_slice(&[])),
        )
        .region(Region::new("us-east-1"))
        .endpoint_url(sts.url())
        .load()
        .await;
    let err = caller(&sdk).await.expect_err("no credentials anywhere");
    println!("{err}");
    let elapsed = started.elapsed();
    for provider in [
        "Environment: environment variable not set: AWS_ACCESS_KEY_ID",
        "Profile: No profiles were defined",
        "WebIdentityToken: AWS_WEB_IDENTITY_TOKEN_FILE was not set",
        "EcsContainer: No environment variables were set",
        "Ec2InstanceMetadata: IMDS unreachable",
    ] {
        assert!(err.contains(provider), "`{provider}` missing from: {err}");
    }
    assert!(err.contains("no response within 1s"), "{err}");
    assert!(elapsed < Duration::from_secs(6), "took {elapsed:?}");
    assert!(
        signed.lock().unwrap().is_empty(),
        "nothing was sent to the service"
    );
    drop(listener);
}

/// A loopback IMDS serving `AccessKeyId` `ASIAIMDS<n>` (n counts credential fetches) with the
/// expiry `expiry()` gives, until `failing` is set: then every request gets a 500.
fn flaky_imds(
    failing: Arc<std::sync::atomic::AtomicBool>,
    expiry: impl Fn() -> SystemTime + Send + Sync + 'static,
) -> (TestServer, Arc<Mutex<u32>>) {
    let fetched = Arc::new(Mutex::new(0u32));
    let count = Arc::clone(&fetched);
    let server = TestServer::start_with(move |request| {
        if failing.load(std::sync::atomic::Ordering::SeqCst) {
            return CannedResponse::new(500, "");
        }
        match (request.method.as_str(), request.uri.as_str()) {
            ("PUT", "/latest/api/token") => CannedResponse::new(200, "TOKEN"),
            ("GET", "/latest/meta-data/iam/security-credentials/") => {
                CannedResponse::new(200, "my-role")
            }
            ("GET", "/latest/meta-data/iam/security-credentials/my-role") => {
                let mut n = count.lock().unwrap();
                *n += 1;
                let expiry = rfc3339(expiry());
                CannedResponse::new(
                    200,
                    format!(
                        r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS{n}","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"{expiry}"}}"#
                    ),
                )
            }
            _ => CannedResponse::new(404, ""),
        }
    });
    (server, fetched)
}

#[tokio::test]
async fn imds_static_stability_keeps_serving_credentials_when_refresh_fails() {
    // Through the loader and the identity cache: credentials valid 11 s (inside the cache's
    // 10 s refresh buffer after 1 s), then IMDS starts failing. Calls keep being signed with
    // the credentials obtained before.
    let failing = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (imds, fetched) = flaky_imds(Arc::clone(&failing), || {
        SystemTime::now() + Duration::from_secs(11)
    });
    let (sts, signed) = sts_server();
    let sdk = aws_config::from_env()
        .configure(
            ProviderConfig::default()
                .with_env(env(&[
                    ("HOME", "/nonexistent"),
                    ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url()),
                ]))
                .with_fs(Fs::from_slice(&[])),
        )
        .region(Region::new("us-east-1"))
        .endpoint_url(sts.url())
        .load()
        .await;
    caller(&sdk).await.unwrap();
    failing.store(true, std::sync::atomic::Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // The cache asks the chain again (near expiry); IMDS answers 500s; the call still goes out.
    caller(&sdk).await.expect("served the earlier credentials");
    let keys: Vec<String> = signed.lock().unwrap().iter().map(access_key_of).collect();
    assert_eq!(keys, ["ASIAIMDS1", "ASIAIMDS1"]);
    assert_eq!(*fetched.lock().unwrap(), 1);
    // IMDS recovers: the next refresh gets new credentials.
    failing.store(false, std::sync::atomic::Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
    caller(&sdk).await.unwrap();
    assert_eq!(
        access_key_of(signed.lock().unwrap().last().unwrap()),
        "ASIAIMDS2"
    );
}

#[tokio::test]
async fn imds_static_stability_extends_expired_credentials_by_10_to_15_minutes() {
    use aws_config::imds::ImdsCredentialsProvider;
    use aws_lite_runtime::config::ProvideCredentials;
    // The provider's clock, moved by the test; IMDS hands out credentials that expire 20
    // minutes after the start.
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let clock = Arc::new(Mutex::new(start));
    let failing = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (imds, _) = flaky_imds(Arc::clone(&failing), move || {
        start + Duration::from_secs(20 * 60)
    });
    let now = Arc::clone(&clock);
    let config = ProviderConfig::default()
        .with_env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url())]))
        .with_fs(Fs::from_slice(&[]))
        .with_time_source(move || *now.lock().unwrap());
    let provider = ImdsCredentialsProvider::from_config(&config);

    // Without credentials obtained before, a failure is an error.
    failing.store(true, std::sync::atomic::Ordering::SeqCst);
    let err = provider
        .provide_credentials()
        .await
        .expect_err("nothing to serve");
    assert!(
        DisplayErrorContext(&err).to_string().contains("500"),
        "{}",
        DisplayErrorContext(&err)
    );

    failing.store(false, std::sync::atomic::Ordering::SeqCst);
    let first = provider.provide_credentials().await.expect("fresh");
    assert_eq!(first.access_key_id(), "ASIAIMDS1");
    assert_eq!(
        first.expiry(),
        Some(start + Duration::from_secs(20 * 60)),
        "not expired: unchanged"
    );

    // Five minutes later IMDS fails: the same credentials, expiry unchanged (not yet passed).
    failing.store(true, std::sync::atomic::Ordering::SeqCst);
    *clock.lock().unwrap() = start + Duration::from_secs(5 * 60);
    let again = provider.provide_credentials().await.expect("served again");
    assert_eq!(again.access_key_id(), "ASIAIMDS1");
    assert_eq!(again.expiry(), first.expiry());

    // An hour later, still failing: served again with the expiry now + 10 to 15 minutes.
    for minutes in [60u64, 61, 75] {
        let now = start
            + Duration::from_secs(minutes * 60)
            + Duration::from_nanos(u64::from(minutes as u32) * 7_919);
        *clock.lock().unwrap() = now;
        let extended = provider.provide_credentials().await.expect("served again");
        assert_eq!(extended.access_key_id(), "ASIAIMDS1");
        assert_eq!(extended.session_token(), Some("imds-token"));
        let left = extended.expiry().unwrap().duration_since(now).unwrap();
        assert!(
            (Duration::from_secs(600)..=Duration::from_secs(900)).contains(&left),
            "{left:?}"
        );
    }

    // IMDS itself sends credentials already expired (its own outage): extended as well.
    failing.store(false, std::sync::atomic::Ordering::SeqCst);
    let now = start + Duration::from_secs(2 * 3600);
    *clock.lock().unwrap() = now;
    let stale = provider.provide_credentials().await.expect("fetched");
    assert_eq!(stale.access_key_id(), "ASIAIMDS2");
    let left = stale.expiry().unwrap().duration_since(now).unwrap();
    assert!(
        (Duration::from_secs(600)..=Duration::from_secs(900)).contains(&left),
        "{left:?}"
    );
}
