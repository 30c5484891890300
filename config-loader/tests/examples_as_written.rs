//! Lines of the official AWS SDK for Rust code examples (awsdocs/aws-doc-sdk-examples,
//! `rustv1/examples/s3` and `dynamodb`), copied as written, in the process environment a
//! ported program runs in. The generated STS client stands in for `aws_sdk_s3` and
//! `aws_sdk_dynamodb`: every generated crate's `config` is the same runtime config.
//!
//! The only test of this binary: it sets the process environment between steps, and nothing
//! else in the process reads it meanwhile.

#![allow(clippy::result_large_err)]

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_lite_sts as aws_sdk_dynamodb;
use aws_lite_sts as aws_sdk_s3;
use aws_sdk_s3::config::ProvideCredentials;
use aws_sdk_s3::{Client, config::Region};

/// s3/src/bin/get-object-presigned.rs (the same lines in copy-object, create-bucket,
/// delete-bucket, delete-object(s), list-buckets, list-objects, list-object-versions,
/// put-object-presigned, s3-helloworld; select-object-content falls back to us-east-2).
async fn get_object_presigned(region: Option<String>) -> Client {
    let region_provider = RegionProviderChain::first_try(region.map(Region::new))
        .or_default_provider()
        .or_else(Region::new("us-west-2"));
    let shared_config = aws_config::from_env().region(region_provider).load().await;
    Client::new(&shared_config)
}

/// s3/src/bin/list-buckets.rs: the chain asked twice, then handed to the loader.
async fn list_buckets(region: Option<String>) -> (String, Client) {
    let region_provider = RegionProviderChain::first_try(region.map(Region::new))
        .or_default_provider()
        .or_else(Region::new("us-west-2"));

    println!();
    let region_str: String = String::from(region_provider.region().await.unwrap().as_ref());
    println!(
        "Region:            {}",
        region_provider.region().await.unwrap().as_ref()
    );
    let shared_config = aws_config::from_env().region(region_provider).load().await;
    let client = Client::new(&shared_config);
    (region_str, client)
}

/// s3/src/bin/get-object.rs and put-object-progress.rs.
async fn get_object() -> Client {
    let region_provider = RegionProviderChain::default_provider().or_else("us-east-1");
    let config = aws_config::from_env().region(region_provider).load().await;
    Client::new(&config)
}

/// s3/src/bin/s3-getting-started.rs (and s3-multipart-upload.rs's first two lines).
async fn s3_getting_started() -> (Region, Client) {
    let region_provider = RegionProviderChain::first_try(Region::new("us-west-2"));
    let region = region_provider.region().await.unwrap();
    let shared_config = aws_config::from_env().region(region_provider).load().await;
    let client = Client::new(&shared_config);
    (region, client)
}

/// s3/src/bin/if-modified-since.rs.
async fn if_modified_since() -> Client {
    Client::new(&aws_config::load_from_env().await)
}

/// dynamodb/src/bin/list-tables-main.rs.
async fn list_tables_main() -> Client {
    let region_provider = RegionProviderChain::default_provider().or_else("us-east-1");
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(region_provider)
        .load()
        .await;
    Client::new(&config)
}

/// dynamodb/src/bin/list-tables-local.rs.
async fn list_tables_local() -> aws_sdk_dynamodb::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .test_credentials()
        // DynamoDB run locally uses port 8000 by default.
        .endpoint_url("http://localhost:8000")
        .load()
        .await;
    let dynamodb_local_config = aws_sdk_dynamodb::config::Builder::from(&config).build();

    aws_sdk_dynamodb::Client::from_conf(dynamodb_local_config)
}

/// dynamodb/src/bin/movies.rs.
async fn movies() -> Client {
    let config = aws_config::from_env().load().await;
    Client::new(&config)
}

fn region(client: &Client) -> Option<&str> {
    client.config().region().map(|r| r.as_ref())
}

/// Sets (`Some`) or removes (`None`) process environment variables.
fn set_env(vars: &[(&str, Option<&str>)]) {
    for (name, value) in vars {
        // SAFETY: this binary's only test changes the environment between awaited steps on
        // a current-thread runtime; no other thread reads it.
        unsafe {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

#[tokio::test]
async fn official_examples_pick_their_regions() {
    let dir = std::env::temp_dir().join(format!("aws-lite-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile_file = dir.join("config");
    std::fs::write(&profile_file, "[default]\nregion = eu-central-2\n").unwrap();
    let none = dir.join("none");
    let none = none.to_str().unwrap();
    // No AWS setting of the machine leaks in; IMDS is never asked.
    let names: Vec<String> = std::env::vars()
        .map(|(name, _)| name)
        .filter(|name| name.starts_with("AWS_"))
        .collect();
    for name in &names {
        set_env(&[(name, None)]);
    }
    set_env(&[
        ("AWS_CONFIG_FILE", Some(none)),
        ("AWS_SHARED_CREDENTIALS_FILE", Some(none)),
        ("AWS_EC2_METADATA_DISABLED", Some("true")),
        ("AWS_REGION", Some("eu-north-1")),
    ]);

    // The region given on the command line, else AWS_REGION.
    let c = get_object_presigned(Some("ap-northeast-1".into())).await;
    assert_eq!(region(&c), Some("ap-northeast-1"));
    assert_eq!(
        region(&get_object_presigned(None).await),
        Some("eu-north-1")
    );
    let (region_str, c) = list_buckets(None).await;
    assert_eq!(region_str, "eu-north-1");
    assert_eq!(region(&c), Some("eu-north-1"));
    assert_eq!(region(&get_object().await), Some("eu-north-1"));
    assert_eq!(region(&list_tables_main().await), Some("eu-north-1"));
    assert_eq!(region(&if_modified_since().await), Some("eu-north-1"));
    assert_eq!(region(&movies().await), Some("eu-north-1"));
    let (first, c) = s3_getting_started().await;
    assert_eq!(first, Region::new("us-west-2"));
    assert_eq!(
        region(&c),
        Some("us-west-2"),
        "first_try wins over AWS_REGION"
    );

    let local = list_tables_local().await;
    assert_eq!(local.config().endpoint_url(), Some("http://localhost:8000"));
    assert_eq!(region(&local), Some("eu-north-1"));
    let credentials = local
        .config()
        .credentials_provider()
        .expect("test credentials")
        .provide_credentials()
        .await
        .expect("static");
    assert_eq!(credentials.access_key_id(), "ANOTREAL");
    assert_eq!(
        credentials.secret_access_key(),
        "notrealrnrELgWzOk3IfjzDKtFBhDby"
    );

    // The profile's region when the environment has none.
    set_env(&[
        ("AWS_REGION", None),
        ("AWS_CONFIG_FILE", Some(profile_file.to_str().unwrap())),
    ]);
    assert_eq!(
        region(&get_object_presigned(None).await),
        Some("eu-central-2")
    );
    assert_eq!(region(&get_object().await), Some("eu-central-2"));

    // Neither: each example's fallback.
    set_env(&[("AWS_CONFIG_FILE", Some(none))]);
    assert_eq!(region(&get_object_presigned(None).await), Some("us-west-2"));
    assert_eq!(list_buckets(None).await.0, "us-west-2");
    assert_eq!(region(&get_object().await), Some("us-east-1"));
    assert_eq!(region(&list_tables_main().await), Some("us-east-1"));
    assert_eq!(region(&movies().await), None, "no chain, no region");

    let _ = std::fs::remove_dir_all(&dir);
}
