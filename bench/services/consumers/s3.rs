//! Footprint benchmark consumer for S3: PutObject, GetObject and ListObjectsV2 against the
//! endpoint named on the command line (path-style addressing), printing what came back.
//!
//! This one file is the source of every S3 consumer package beside it (official
//! `aws-sdk-s3`, our full generated crate, our `--ops PutObject,GetObject,ListObjectsV2`
//! crate): only the `package =` line of the dependency in each Cargo.toml differs.
//!
//! ```text
//! consumer-s3-... http://127.0.0.1:PORT
//! ```

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .ok_or("usage: consumer http://127.0.0.1:PORT")?;
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .force_path_style(true)
        .build();
    let client = Client::from_conf(config);

    let put = client
        .put_object()
        .bucket("bench-bucket")
        .key("hello.txt")
        .content_type("text/plain")
        .body(ByteStream::from(b"hello, footprint".to_vec()))
        .send()
        .await?;
    println!("PutObject: {}", put.e_tag().unwrap_or("-"));

    let got = client
        .get_object()
        .bucket("bench-bucket")
        .key("hello.txt")
        .send()
        .await?;
    let bytes = got.body.collect().await?.into_bytes();
    println!(
        "GetObject: {} bytes: {}",
        bytes.len(),
        String::from_utf8_lossy(&bytes)
    );

    let listed = client
        .list_objects_v2()
        .bucket("bench-bucket")
        .prefix("hel")
        .send()
        .await?;
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    println!("ListObjectsV2: {} keys: {}", keys.len(), keys.join(","));
    Ok(())
}
