//! The region chain: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the selected profile's
//! `region`, then IMDS (`/latest/meta-data/placement/region` with a session token); nothing
//! when IMDS is disabled or unreachable.

use aws_config::ProviderConfig;
use aws_config::default_provider::region;
use aws_config::os::{Env, Fs};
use aws_lite_runtime::http::SharedHttpClient;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};

fn config(env: &[(&str, &str)], http: &CaptureClient) -> ProviderConfig {
    ProviderConfig::default()
        .with_env(Env::from_slice(env))
        .with_fs(Fs::from_slice(&[(
            "/cfg",
            "[default]\nregion = eu-central-1\n[profile other]\nregion = ap-south-1\n",
        )]))
        .with_http_client(SharedHttpClient::new(http.clone()))
}

#[tokio::test(start_paused = true)]
async fn region_chain_order() {
    let http = CaptureClient::new(vec![]);
    let got = |env: Vec<(&'static str, &'static str)>| {
        let http = http.clone();
        async move { region(&config(&env, &http)).await.map(|r| r.to_string()) }
    };
    assert_eq!(
        got(vec![
            ("AWS_REGION", "us-west-1"),
            ("AWS_DEFAULT_REGION", "us-west-2"),
            ("AWS_CONFIG_FILE", "/cfg")
        ])
        .await
        .as_deref(),
        Some("us-west-1")
    );
    assert_eq!(
        got(vec![
            ("AWS_DEFAULT_REGION", "us-west-2"),
            ("AWS_CONFIG_FILE", "/cfg")
        ])
        .await
        .as_deref(),
        Some("us-west-2")
    );
    assert_eq!(
        got(vec![("AWS_CONFIG_FILE", "/cfg")]).await.as_deref(),
        Some("eu-central-1")
    );
    assert_eq!(
        got(vec![("AWS_CONFIG_FILE", "/cfg"), ("AWS_PROFILE", "other")])
            .await
            .as_deref(),
        Some("ap-south-1")
    );
    assert!(
        http.requests().is_empty(),
        "IMDS is not asked when a region is known"
    );

    // Nothing configured: IMDS.
    let imds = CaptureClient::new(vec![
        CannedResponse::new(200, "TOKEN"),
        CannedResponse::new(200, "sa-east-1"),
    ]);
    let found = region(&config(&[("AWS_CONFIG_FILE", "/none")], &imds)).await;
    assert_eq!(found.map(|r| r.to_string()).as_deref(), Some("sa-east-1"));
    let sent = imds.requests();
    assert_eq!(
        sent[1].uri,
        "http://169.254.169.254/latest/meta-data/placement/region"
    );
    assert_eq!(sent[1].header("x-aws-ec2-metadata-token"), Some("TOKEN"));

    // IMDS disabled: no region, nothing sent.
    let off = CaptureClient::new(vec![]);
    let none = region(&config(
        &[
            ("AWS_CONFIG_FILE", "/none"),
            ("AWS_EC2_METADATA_DISABLED", "TRUE"),
        ],
        &off,
    ))
    .await;
    assert_eq!(none, None);
    assert!(off.requests().is_empty());
}

/// Settings the loader reads besides region and credentials: retry mode and attempts, FIPS,
/// dual-stack and host prefix injection, from the environment first, then the profile.
#[tokio::test]
async fn retry_and_endpoint_settings_from_environment_and_profile() {
    let http = CaptureClient::new(vec![]);
    let files = [(
        "/cfg",
        "[default]\nregion = us-east-1\nmax_attempts = 7\nretry_mode = adaptive\nuse_fips_endpoint = true\ndisable_host_prefix_injection = true\n",
    )];
    let load = |env: &'static [(&'static str, &'static str)]| {
        let http = http.clone();
        async move {
            aws_config::from_env()
                .configure(
                    ProviderConfig::default()
                        .with_env(Env::from_slice(env))
                        .with_fs(Fs::from_slice(&files))
                        .with_http_client(SharedHttpClient::new(http)),
                )
                .load()
                .await
        }
    };
    let from_profile = load(&[("AWS_CONFIG_FILE", "/cfg")]).await;
    let retry = from_profile.retry_config().expect("set");
    assert_eq!(retry.max_attempts(), 7);
    assert_eq!(
        retry.mode(),
        aws_lite_runtime::config::retry::RetryMode::Adaptive
    );
    assert_eq!(from_profile.use_fips(), Some(true));
    assert_eq!(from_profile.use_dual_stack(), None);
    assert_eq!(from_profile.disable_host_prefix_injection(), Some(true));
    let from_env = load(&[
        ("AWS_CONFIG_FILE", "/cfg"),
        ("AWS_MAX_ATTEMPTS", "2"),
        ("AWS_RETRY_MODE", "standard"),
        ("AWS_USE_FIPS_ENDPOINT", "false"),
        ("AWS_DISABLE_HOST_PREFIX_INJECTION", "false"),
    ])
    .await;
    let retry = from_env.retry_config().expect("set");
    assert_eq!(retry.max_attempts(), 2);
    assert_eq!(
        retry.mode(),
        aws_lite_runtime::config::retry::RetryMode::Standard
    );
    assert_eq!(from_env.use_fips(), Some(false));
    assert_eq!(from_env.disable_host_prefix_injection(), Some(false));
    let nothing = load(&[("AWS_CONFIG_FILE", "/none"), ("AWS_REGION", "us-east-1")]).await;
    assert!(nothing.retry_config().is_none());
    assert!(http.requests().is_empty());
}
