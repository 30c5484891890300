//! Footprint benchmark consumer: calls DeleteVirtualInterface and DescribeConnections against
//! the endpoint named on the command line and prints what came back.
//!
//! This one file is the source of every consumer package beside it (official crate, generated
//! crate, `--ops DeleteVirtualInterface` crate): only the dependency line in each Cargo.toml
//! differs. The `--ops DeleteVirtualInterface` crate has no DescribeConnections, so that call
//! sits behind the `describe-connections` feature, which the other two packages turn on.
//!
//! ```text
//! consumer http://127.0.0.1:PORT
//! ```

use aws_sdk_directconnect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_directconnect::{Client, Config};

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
        .build();
    let client = Client::from_conf(config);

    let deleted = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-fg5678gh")
        .send()
        .await?;
    println!(
        "DeleteVirtualInterface: {}",
        deleted
            .virtual_interface_state()
            .map(|s| s.as_str())
            .unwrap_or("-")
    );

    #[cfg(feature = "describe-connections")]
    {
        let described = client.describe_connections().send().await?;
        println!(
            "DescribeConnections: {} connections",
            described.connections().len()
        );
    }
    Ok(())
}
