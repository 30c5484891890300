//! Endpoint URLs per service, as the SDKs define them ("Service-specific endpoints" in the AWS
//! SDKs and Tools Reference Guide; the precedence of the official `aws-config`'s
//! `EnvServiceConfig` and its tests): `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
//! profile's `services` section, the profile's `endpoint_url`; `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
//! / `ignore_configured_endpoint_urls` turn them off; one set in code always wins. Each case
//! loads a config, builds the generated STS, SSO or SSO OIDC client with
//! `Client::new(&sdk_config)` as a ported program does, and checks where its request went
//! (a capturing HTTP client; nothing leaves the process).

use aws_config::ProviderConfig;
use aws_config::os::{Env, Fs};
use aws_config::service_config::EnvServiceConfig;
use aws_lite_runtime::config::service_config::{LoadServiceConfig, ServiceConfigKey};
use aws_lite_runtime::config::{Credentials, Region};
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};

const CALLER: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>X</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;

fn provider_config(env: &[(&str, &str)], config_file: &str) -> ProviderConfig {
    let mut vars = vec![
        ("HOME", "/home"),
        ("AWS_CONFIG_FILE", "/home/.aws/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/home/.aws/credentials"),
    ];
    vars.extend_from_slice(env);
    ProviderConfig::default()
        .with_env(Env::from_slice(&vars))
        .with_fs(Fs::from_slice(&[("/home/.aws/config", config_file)]))
        .with_os(aws_config::os::Os::Unix)
}

async fn load(
    env: &[(&str, &str)],
    config_file: &str,
    capture: &CaptureClient,
) -> aws_config::SdkConfig {
    aws_config::from_env()
        .configure(provider_config(env, config_file))
        .region(Region::from_static("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(capture.clone())
        .load()
        .await
}

/// The URI the STS client built with `Client::new(&sdk_config)` sends GetCallerIdentity to.
async fn sts_uri(sdk_config: &aws_config::SdkConfig, capture: &CaptureClient) -> String {
    aws_lite_sts::Client::new(sdk_config)
        .get_caller_identity()
        .send()
        .await
        .expect("answered");
    capture.requests().last().expect("a request").uri.clone()
}

fn answers(n: usize) -> CaptureClient {
    CaptureClient::new(
        (0..n)
            .map(|_| CannedResponse::new(200, CALLER).header("content-type", "text/xml"))
            .collect(),
    )
}

const SERVICES_PROFILE: &str = "[default]\n\
endpoint_url = http://profile-global\n\
services = local\n\
\n\
[services local]\n\
sts =\n  endpoint_url = http://profile-sts\n\
sso_oidc =\n  endpoint_url = http://profile-sso-oidc\n\
\n\
[services other]\n\
sts =\n  endpoint_url = http://wrong-section\n";

#[tokio::test]
async fn precedence_service_env_then_global_env_then_services_section_then_profile() {
    let capture = answers(5);
    // 1. AWS_ENDPOINT_URL_STS wins over all the others.
    let both = [
        ("AWS_ENDPOINT_URL_STS", "http://env-sts"),
        ("AWS_ENDPOINT_URL", "http://env-global"),
    ];
    let sdk = load(&both, SERVICES_PROFILE, &capture).await;
    assert_eq!(sts_uri(&sdk, &capture).await, "http://env-sts/");
    // The shared config's own endpoint URL is the global one, as the official `SdkConfig`'s.
    assert_eq!(sdk.endpoint_url(), Some("http://env-global"));
    // 2. AWS_ENDPOINT_URL next.
    let sdk = load(&both[1..], SERVICES_PROFILE, &capture).await;
    assert_eq!(sts_uri(&sdk, &capture).await, "http://env-global/");
    // 3. The profile's services section (the one the profile names) next.
    let sdk = load(&[], SERVICES_PROFILE, &capture).await;
    assert_eq!(sts_uri(&sdk, &capture).await, "http://profile-sts/");
    // 4. The profile's endpoint_url last.
    let sdk = load(
        &[],
        "[default]\nendpoint_url = http://profile-global\n",
        &capture,
    )
    .await;
    assert_eq!(sts_uri(&sdk, &capture).await, "http://profile-global/");
    assert_eq!(sdk.endpoint_url(), Some("http://profile-global"));
    // Nothing configured: the endpoint rules' URL.
    let sdk = load(&[], "", &capture).await;
    assert_eq!(
        sts_uri(&sdk, &capture).await,
        "https://sts.us-east-1.amazonaws.com/"
    );
    assert_eq!(sdk.endpoint_url(), None);
}

#[tokio::test]
async fn each_service_reads_its_own_key_with_spaces_as_underscores() {
    // `SSO OIDC` is `AWS_ENDPOINT_URL_SSO_OIDC` and `sso_oidc`; STS's settings do not apply.
    let config = provider_config(
        &[("AWS_ENDPOINT_URL_STS", "http://env-sts")],
        SERVICES_PROFILE,
    );
    let services = EnvServiceConfig::from_config(&config);
    let key = |id| ServiceConfigKey::new(id, "AWS_ENDPOINT_URL", "endpoint_url");
    assert_eq!(
        services.load_config(key("SSO OIDC")).as_deref(),
        Some("http://profile-sso-oidc")
    );
    assert_eq!(
        services.load_config(key("STS")).as_deref(),
        Some("http://env-sts")
    );
    // No entry for SSO in the section: the profile's global value.
    assert_eq!(
        services.load_config(key("SSO")).as_deref(),
        Some("http://profile-global")
    );
    let config = provider_config(
        &[("AWS_ENDPOINT_URL_SSO_OIDC", "http://env-sso-oidc")],
        SERVICES_PROFILE,
    );
    assert_eq!(
        EnvServiceConfig::from_config(&config)
            .load_config(key("SSO OIDC"))
            .as_deref(),
        Some("http://env-sso-oidc")
    );
    // Another setting of the services section (the mechanism is per key, as the official).
    let config = provider_config(
        &[],
        "[default]\nservices = s\n[services s]\nsts =\n  some_key = 4\n  endpoint_url = http://x\n",
    );
    assert_eq!(
        EnvServiceConfig::from_config(&config)
            .load_config(ServiceConfigKey::new("STS", "AWS_SOME_KEY", "some_key"))
            .as_deref(),
        Some("4")
    );
}

#[tokio::test]
async fn a_selected_profile_uses_its_own_services_section() {
    let file = "[default]\nservices = a\n[profile dev]\nservices = b\n\
                [services a]\nsts =\n  endpoint_url = http://a\n\
                [services b]\nsts =\n  endpoint_url = http://b\n";
    let capture = answers(2);
    let sdk = load(&[("AWS_PROFILE", "dev")], file, &capture).await;
    assert_eq!(sts_uri(&sdk, &capture).await, "http://b/");
    let sdk = load(&[], file, &capture).await;
    assert_eq!(sts_uri(&sdk, &capture).await, "http://a/");
}

#[tokio::test]
async fn ignore_configured_endpoint_urls_from_environment_or_profile() {
    let capture = answers(3);
    let env = [
        ("AWS_ENDPOINT_URL_STS", "http://env-sts"),
        ("AWS_ENDPOINT_URL", "http://env-global"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ];
    let sdk = load(&env, SERVICES_PROFILE, &capture).await;
    assert_eq!(sdk.endpoint_url(), None);
    assert_eq!(
        sts_uri(&sdk, &capture).await,
        "https://sts.us-east-1.amazonaws.com/"
    );
    let file = SERVICES_PROFILE.replace(
        "[default]\n",
        "[default]\nignore_configured_endpoint_urls = TRUE\n",
    );
    let sdk = load(&env[..2], &file, &capture).await;
    assert_eq!(
        sts_uri(&sdk, &capture).await,
        "https://sts.us-east-1.amazonaws.com/"
    );
    // The environment's `false` wins over the profile's `true`.
    let sdk = load(
        &[env[0], ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")],
        &file,
        &capture,
    )
    .await;
    assert_eq!(sts_uri(&sdk, &capture).await, "http://env-sts/");
}

#[tokio::test]
async fn an_endpoint_url_set_in_code_wins() {
    let capture = answers(3);
    let env = [
        ("AWS_ENDPOINT_URL_STS", "http://env-sts"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ];
    // On the loader: wins over the service's variable, and the ignore flag does not apply.
    let sdk = aws_config::from_env()
        .configure(provider_config(&env, SERVICES_PROFILE))
        .region(Region::from_static("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(capture.clone())
        .endpoint_url("http://in-code")
        .load()
        .await;
    assert_eq!(sts_uri(&sdk, &capture).await, "http://in-code/");
    // On a builder made from the loaded config.
    let sdk = load(&env[..1], SERVICES_PROFILE, &capture).await;
    let changed = sdk.to_builder().endpoint_url("http://builder").build();
    assert_eq!(sts_uri(&changed, &capture).await, "http://builder/");
    // `Client::from_conf` with a service config made from the shared one reads the
    // service's own settings too, as the official `config::Builder::from(&sdk_config)` does:
    // the service's variable, not the profile's global endpoint URL.
    let conf = aws_lite_sts::config::Builder::from(&sdk).build();
    aws_lite_sts::Client::from_conf(conf)
        .get_caller_identity()
        .send()
        .await
        .expect("answered");
    assert_eq!(capture.requests().last().unwrap().uri, "http://env-sts/");
}

#[test]
fn empty_values_count_as_unset() {
    let config = provider_config(
        &[("AWS_ENDPOINT_URL_STS", ""), ("AWS_ENDPOINT_URL", " ")],
        "[default]\nendpoint_url = http://profile-global\n",
    );
    assert_eq!(
        EnvServiceConfig::from_config(&config)
            .load_config(ServiceConfigKey::new(
                "STS",
                "AWS_ENDPOINT_URL",
                "endpoint_url"
            ))
            .as_deref(),
        Some("http://profile-global")
    );
}

#[tokio::test]
async fn debug_output_shows_no_secret() {
    let secret_env = [
        ("AWS_ACCESS_KEY_ID", "AKIDSHOULDNOTSHOW"),
        ("AWS_SECRET_ACCESS_KEY", "secret-should-not-show"),
        ("AWS_SESSION_TOKEN", "token-should-not-show"),
        ("AWS_ENDPOINT_URL_STS", "http://env-sts"),
    ];
    let file = "[default]\naws_secret_access_key = profile-secret-should-not-show\n";
    let services = EnvServiceConfig::from_config(&provider_config(&secret_env, file));
    let sdk = aws_config::from_env()
        .configure(provider_config(&secret_env, file))
        .region(Region::from_static("us-east-1"))
        .load()
        .await;
    for text in [format!("{services:?}"), format!("{sdk:?}")] {
        for secret in [
            "AKIDSHOULDNOTSHOW",
            "secret-should-not-show",
            "token-should-not-show",
            "profile-secret-should-not-show",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
