//! The region chain: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the selected profile's
//! `region`, then IMDS (`/latest/meta-data/placement/region` with a session token); nothing
//! when IMDS is disabled or unreachable.

use aws_config::ProviderConfig;
use aws_config::default_provider::region;
use aws_config::default_provider::region::DefaultRegionChain;
use aws_config::meta::region::{ProvideRegion, RegionProviderChain};
use aws_config::os::{Env, Fs};
use aws_lite_runtime::config::{Credentials, ProvideCredentials, Region};
use aws_lite_runtime::http::SharedHttpClient;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient, verify_sigv4};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// The default chain over `config`, as `RegionProviderChain::or_default_provider` adds it for
/// the process.
fn default_chain(config: &ProviderConfig) -> DefaultRegionChain {
    DefaultRegionChain::builder().configure(config).build()
}

/// `RegionProviderChain::first_try(x).or_else(<default chain>).or_else("us-west-2")`, the
/// examples' chain: `x` when it has a region, else environment, profile, IMDS, else the
/// fallback; each later provider asked only when the ones before have nothing.
#[tokio::test(start_paused = true)]
async fn region_provider_chain_order() {
    let chain = |first: Option<Region>, config: &ProviderConfig| {
        RegionProviderChain::first_try(first)
            .or_else(default_chain(config))
            .or_else("us-west-2")
    };
    let http = CaptureClient::new(vec![]);
    let env_and_profile = config(
        &[("AWS_REGION", "us-west-1"), ("AWS_CONFIG_FILE", "/cfg")],
        &http,
    );
    // first_try wins over the environment.
    assert_eq!(
        chain(Some(Region::new("ap-northeast-1")), &env_and_profile)
            .region()
            .await,
        Some(Region::new("ap-northeast-1"))
    );
    // Nothing first: the environment, then the profile.
    assert_eq!(
        chain(None, &env_and_profile).region().await,
        Some(Region::new("us-west-1"))
    );
    let profile_only = config(&[("AWS_CONFIG_FILE", "/cfg")], &http);
    assert_eq!(
        chain(None, &profile_only).region().await,
        Some(Region::new("eu-central-1"))
    );
    let other_profile = config(
        &[("AWS_CONFIG_FILE", "/cfg"), ("AWS_PROFILE", "other")],
        &http,
    );
    assert_eq!(
        chain(None, &other_profile).region().await,
        Some(Region::new("ap-south-1"))
    );
    // The builder's profile_name wins over AWS_PROFILE, as the official builder's.
    let named = DefaultRegionChain::builder()
        .configure(&profile_only)
        .profile_name("other")
        .build();
    assert_eq!(named.region().await, Some(Region::new("ap-south-1")));
    assert!(http.requests().is_empty(), "IMDS is not asked");

    // Nothing in environment or files: IMDS answers before the fallback.
    let imds = CaptureClient::new(vec![
        CannedResponse::new(200, "TOKEN"),
        CannedResponse::new(200, "sa-east-1"),
    ]);
    let nothing = config(&[("AWS_CONFIG_FILE", "/none")], &imds);
    assert_eq!(
        chain(None, &nothing).region().await,
        Some(Region::new("sa-east-1"))
    );
    assert_eq!(imds.requests().len(), 2);

    // IMDS disabled too: the fallback.
    let off = CaptureClient::new(vec![]);
    let disabled = config(
        &[
            ("AWS_CONFIG_FILE", "/none"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
        &off,
    );
    assert_eq!(
        chain(None, &disabled).region().await,
        Some(Region::new("us-west-2"))
    );
    // A chain of `None`s has no region.
    assert_eq!(
        RegionProviderChain::first_try(None)
            .or_else(None)
            .region()
            .await,
        None
    );
    assert!(off.requests().is_empty());
}

/// Every kind of provider the official trait is implemented for, alone and nested, and the
/// provider future polled through the trait.
#[tokio::test]
async fn provide_region_implementations() {
    async fn via_trait(provider: &dyn ProvideRegion) -> Option<Region> {
        provider.region().await
    }
    let region = Region::new("eu-west-3");
    assert_eq!(via_trait(&region).await, Some(region.clone()));
    assert_eq!(via_trait(&&region).await, Some(region.clone()));
    assert_eq!(via_trait(&Some(region.clone())).await, Some(region.clone()));
    assert_eq!(via_trait(&None::<Region>).await, None);
    assert_eq!(
        via_trait(&"me-south-1").await,
        Some(Region::new("me-south-1"))
    );
    let boxed: Box<dyn ProvideRegion> = Box::new("il-central-1");
    assert_eq!(via_trait(&boxed).await, Some(Region::new("il-central-1")));
    let inner = RegionProviderChain::first_try(None).or_else("af-south-1");
    let outer = RegionProviderChain::first_try(None::<Region>).or_else(inner);
    assert_eq!(via_trait(&outer).await, Some(Region::new("af-south-1")));
    // `region()` borrows: the chain is asked again, then handed to the loader.
    assert_eq!(outer.region().await, Some(Region::new("af-south-1")));
    assert!(format!("{outer:?}").contains("af-south-1"), "{outer:?}");
}

/// `ConfigLoader::region` takes any provider and asks it instead of the default chain; a
/// provider without a region leaves the config without one, as in the official loader.
#[tokio::test]
async fn loader_takes_a_region_provider() {
    let http = CaptureClient::new(vec![]);
    let env = [("AWS_REGION", "us-west-1"), ("AWS_CONFIG_FILE", "/cfg")];
    let load = |loader: aws_config::ConfigLoader| loader.configure(config(&env, &http)).load();
    let region_of = |c: &aws_config::SdkConfig| c.region().map(|r| r.to_string());

    let unset = load(aws_config::from_env()).await;
    assert_eq!(region_of(&unset).as_deref(), Some("us-west-1"));
    let fixed = load(aws_config::from_env().region(Region::new("eu-west-1"))).await;
    assert_eq!(region_of(&fixed).as_deref(), Some("eu-west-1"));
    let text =
        load(aws_config::defaults(aws_config::BehaviorVersion::latest()).region("eu-west-2")).await;
    assert_eq!(region_of(&text).as_deref(), Some("eu-west-2"));
    let chain = load(
        aws_config::from_env().region(RegionProviderChain::first_try(None).or_else("ca-west-1")),
    )
    .await;
    assert_eq!(region_of(&chain).as_deref(), Some("ca-west-1"));
    let none = load(aws_config::from_env().region(None::<Region>)).await;
    assert_eq!(region_of(&none), None);
    assert!(http.requests().is_empty());
}

/// A credentials provider that counts its calls.
#[derive(Debug, Default)]
struct Counting(Arc<AtomicUsize>);

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_lite_runtime::credentials::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.fetch_add(1, Ordering::SeqCst);
        aws_lite_runtime::credentials::future::ProvideCredentials::ready(Ok(Credentials::new(
            "AKIDSHARED",
            "shared-secret",
            None,
            None,
            "counting",
        )))
    }
}

const CALLER: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>X</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;

fn caller() -> CannedResponse {
    CannedResponse::new(200, CALLER).header("content-type", "text/xml")
}

/// `test_credentials()` signs with the official test keys (`Credentials::for_tests()` of
/// aws-credential-types: `ANOTREAL` / `notrealrnrELgWzOk3IfjzDKtFBhDby`), not with the keys
/// the environment holds, and leaves the region to the chain.
#[tokio::test]
async fn test_credentials_sign_with_the_official_test_keys() {
    let http = CaptureClient::new(vec![caller()]);
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .test_credentials()
        .endpoint_url("http://localhost:8000")
        .configure(config(
            &[
                ("AWS_REGION", "eu-south-1"),
                ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
                ("AWS_SECRET_ACCESS_KEY", "env-secret"),
                ("AWS_CONFIG_FILE", "/none"),
            ],
            &http,
        ))
        .http_client(http.clone())
        .load()
        .await;
    assert_eq!(sdk.region().map(|r| r.as_ref()), Some("eu-south-1"));
    aws_lite_sts::Client::new(&sdk)
        .get_caller_identity()
        .send()
        .await
        .expect("answered");
    let sent = http.requests();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].uri.starts_with("http://localhost:8000"),
        "{}",
        sent[0].uri
    );
    let official = Credentials::new(
        "ANOTREAL",
        "notrealrnrELgWzOk3IfjzDKtFBhDby",
        None,
        None,
        "test",
    );
    verify_sigv4(&sent[0], &official, "eu-south-1", "sts").expect("signed with the test keys");
}

/// `config::Builder::from(&sdk_config)` (the DynamoDB Local example's line) keeps the shared
/// region, credentials and HTTP client, takes the endpoint URL set on it, and shares the
/// identity cache with clients made by `Client::new(&sdk_config)`: one credentials load
/// serves both.
#[tokio::test]
async fn service_config_builder_from_shared_config() {
    let http = CaptureClient::new(vec![caller(), caller()]);
    let calls = Arc::new(AtomicUsize::new(0));
    let shared_config = aws_config::from_env()
        .configure(config(&[("AWS_CONFIG_FILE", "/none")], &http))
        .region(Region::new("eu-north-1"))
        .credentials_provider(Counting(calls.clone()))
        .http_client(http.clone())
        .load()
        .await;
    use aws_lite_sts as aws_sdk_sts;
    let config = aws_sdk_sts::config::Builder::from(&shared_config)
        .endpoint_url("http://localhost:8000")
        .build();
    assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-north-1"));
    assert_eq!(config.endpoint_url(), Some("http://localhost:8000"));
    assert_eq!(
        shared_config.endpoint_url(),
        None,
        "the shared config is unchanged"
    );
    let local = aws_sdk_sts::Client::from_conf(config);
    local.get_caller_identity().send().await.expect("answered");
    aws_sdk_sts::Client::new(&shared_config)
        .get_caller_identity()
        .send()
        .await
        .expect("answered");
    let sent = http.requests();
    assert!(
        sent[0].uri.starts_with("http://localhost:8000/"),
        "{}",
        sent[0].uri
    );
    assert!(
        sent[1]
            .uri
            .starts_with("https://sts.eu-north-1.amazonaws.com/"),
        "{}",
        sent[1].uri
    );
    let shared = Credentials::new("AKIDSHARED", "shared-secret", None, None, "x");
    for request in &sent {
        verify_sigv4(request, &shared, "eu-north-1", "sts").expect("signed");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one load for both clients");
}
