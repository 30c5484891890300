//! Footprint benchmark consumer for EC2: RunInstances, DescribeInstances and
//! TerminateInstances against the endpoint named on the command line, printing what came back.
//!
//! This one file is the source of every EC2 consumer package beside it (official
//! `aws-sdk-ec2`, our full generated crate, our
//! `--ops RunInstances,DescribeInstances,TerminateInstances` crate): only the `package =` line
//! of the dependency in each Cargo.toml differs.
//!
//! ```text
//! consumer-ec2-... http://127.0.0.1:PORT
//! ```

use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ec2::types::InstanceType;
use aws_sdk_ec2::{Client, Config};

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

    let ran = client
        .run_instances()
        .image_id("ami-0123456789abcdef0")
        .instance_type(InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .send()
        .await?;
    let ids: Vec<String> = ran
        .instances()
        .iter()
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
    println!("RunInstances: {}", ids.join(","));

    let described = client
        .describe_instances()
        .set_instance_ids(Some(ids.clone()))
        .send()
        .await?;
    for instance in described.reservations().iter().flat_map(|r| r.instances()) {
        println!(
            "DescribeInstances: {} {}",
            instance.instance_id().unwrap_or("-"),
            instance
                .state()
                .and_then(|s| s.name())
                .map(|n| n.as_str())
                .unwrap_or("-")
        );
    }

    let terminated = client
        .terminate_instances()
        .set_instance_ids(Some(ids))
        .send()
        .await?;
    for change in terminated.terminating_instances() {
        println!(
            "TerminateInstances: {} {}",
            change.instance_id().unwrap_or("-"),
            change
                .current_state()
                .and_then(|s| s.name())
                .map(|n| n.as_str())
                .unwrap_or("-")
        );
    }
    Ok(())
}
