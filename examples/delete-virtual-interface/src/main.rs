//! Deletes the Direct Connect virtual interface named on the command line and prints its new
//! state.
//!
//! ```text
//! delete-virtual-interface [--endpoint-url URL] [--region REGION] VIRTUAL_INTERFACE_ID
//! ```
//!
//! Credentials come from the standard environment variables (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), the region from `--region`, `AWS_REGION` or
//! `AWS_DEFAULT_REGION`. `--endpoint-url` points the client at moto or another local endpoint.

use aws_sdk_directconnect::config::{BehaviorVersion, Region};
use aws_sdk_directconnect::error::DisplayErrorContext;
use aws_sdk_directconnect::{Client, Config};
use std::process::ExitCode;

const USAGE: &str =
    "usage: delete-virtual-interface [--endpoint-url URL] [--region REGION] VIRTUAL_INTERFACE_ID";

struct Args {
    endpoint_url: Option<String>,
    region: Option<String>,
    virtual_interface_id: String,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut endpoint_url = None;
    let mut region = None;
    let mut id = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--endpoint-url" => {
                endpoint_url = Some(args.next().ok_or("--endpoint-url needs a URL")?)
            }
            "--region" => region = Some(args.next().ok_or("--region needs a region name")?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other if other.starts_with('-') => {
                return Err(format!("unknown option {other}\n{USAGE}"));
            }
            other if id.is_none() => id = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other}\n{USAGE}")),
        }
    }
    Ok(Args {
        endpoint_url,
        region,
        virtual_interface_id: id.ok_or_else(|| format!("missing VIRTUAL_INTERFACE_ID\n{USAGE}"))?,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut config = Config::builder().behavior_version(BehaviorVersion::latest());
    if let Some(region) = args.region {
        config = config.region(Region::new(region));
    }
    if let Some(url) = args.endpoint_url {
        config = config.endpoint_url(url);
    }
    let client = Client::from_conf(config.build());
    match client
        .delete_virtual_interface()
        .virtual_interface_id(&args.virtual_interface_id)
        .send()
        .await
    {
        Ok(output) => {
            let state = output
                .virtual_interface_state()
                .map(|s| s.as_str())
                .unwrap_or("(not returned)");
            println!("{}: {state}", args.virtual_interface_id);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {}", DisplayErrorContext(&err));
            ExitCode::FAILURE
        }
    }
}
