//! SSO with an `sso_session` whose cached token is about to expire: the token is refreshed
//! through SSO OIDC's `CreateToken` (refresh-token grant), and the fresh token is what
//! `GetRoleCredentials` receives; both calls unsigned. A legacy profile with an expired token
//! fails with an error telling to log in again, sending nothing.

use aws_config::ProviderConfig;
use aws_config::os::{Env, Fs, Os};
use aws_lite_runtime::config::ProvideCredentials;
use aws_lite_runtime::http::SharedHttpClient;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use std::time::{Duration, SystemTime};

const NOW: u64 = 1_700_000_000;

fn rfc3339(secs: u64) -> String {
    aws_lite_runtime::primitives::DateTime::from_secs(secs as i64)
        .fmt(aws_lite_runtime::primitives::DateTimeFormat::DateTime)
        .unwrap()
}

fn config(files: &[(&str, &str)], http: &CaptureClient) -> ProviderConfig {
    ProviderConfig::default()
        .with_env(Env::from_slice(&[
            ("HOME", "/home/u"),
            ("AWS_PROFILE", "dev"),
        ]))
        .with_fs(Fs::from_slice(files))
        .with_os(Os::Unix)
        .with_http_client(SharedHttpClient::new(http.clone()))
        .with_time_source(|| SystemTime::UNIX_EPOCH + Duration::from_secs(NOW))
}

#[tokio::test]
async fn an_expiring_session_token_is_refreshed_through_create_token() {
    let config_file = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n";
    let token = format!(
        r#"{{"accessToken":"old-token","expiresAt":"{}","refreshToken":"refresh-1","clientId":"cid","clientSecret":"csecret","region":"eu-west-1","startUrl":"https://corp.awsapps.com/start"}}"#,
        rfc3339(NOW + 60)
    );
    // The cache file is named by the SHA-1 of the session name (the naming is proven on the
    // official recordings: `sso_assume_role` reads the start URL's).
    let digest = aws_lite_runtime::checksum::ChecksumAlgorithm::Sha1.digest(b"corp");
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let cache = format!("/home/u/.aws/sso/cache/{hex}.json");
    let http = CaptureClient::new(vec![
        CannedResponse::json(
            200,
            r#"{"accessToken":"fresh-token","expiresIn":28800,"refreshToken":"refresh-2","tokenType":"Bearer"}"#,
        ),
        CannedResponse::json(
            200,
            r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-session","expiration":1700003600000}}"#,
        ),
    ]);
    let files = [
        ("/home/u/.aws/config", config_file),
        (cache.as_str(), token.as_str()),
    ];
    let provider = aws_config::profile::credentials::ProfileFileCredentialsProvider::from_config(
        &config(&files, &http),
    );
    let credentials = provider.provide_credentials().await.expect("credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    assert_eq!(credentials.session_token(), Some("sso-session"));
    assert_eq!(
        credentials.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_003_600))
    );
    let requests = http.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(
        requests[0].uri,
        "https://oidc.eu-west-1.amazonaws.com/token"
    );
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(body["grantType"], "refresh_token");
    assert_eq!(body["refreshToken"], "refresh-1");
    assert_eq!(body["clientId"], "cid");
    assert_eq!(requests[1].method, "GET");
    assert!(
        requests[1]
            .uri
            .starts_with("https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?"),
        "{}",
        requests[1].uri
    );
    assert_eq!(
        requests[1].header("x-amz-sso_bearer_token"),
        Some("fresh-token")
    );
    for request in &requests {
        assert_eq!(request.header("authorization"), None, "unsigned");
    }
}

#[tokio::test]
async fn a_legacy_profile_with_an_expired_token_asks_to_log_in() {
    let config_file = "[profile dev]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Dev\n";
    let digest = aws_lite_runtime::checksum::ChecksumAlgorithm::Sha1
        .digest(b"https://corp.awsapps.com/start");
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let cache = format!("/home/u/.aws/sso/cache/{hex}.json");
    let token = format!(
        r#"{{"accessToken":"old","expiresAt":"{}"}}"#,
        rfc3339(NOW - 1)
    );
    let http = CaptureClient::new(vec![]);
    let files = [
        ("/home/u/.aws/config", config_file),
        (cache.as_str(), token.as_str()),
    ];
    let err = aws_config::profile::credentials::ProfileFileCredentialsProvider::from_config(
        &config(&files, &http),
    )
    .provide_credentials()
    .await
    .expect_err("expired");
    let text = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(text.contains("has expired: run `aws sso login`"), "{text}");
    assert!(http.requests().is_empty());
}
