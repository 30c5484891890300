//! Shared driver for the response targets: one Direct Connect call answered with fuzzed bytes.
//!
//! Input layout: byte 0 picks the operation (even: DescribeVirtualInterfaces, odd:
//! DeleteVirtualInterface) and bits 1-2 the status (200, 400, 500, 200); byte 1 picks
//! whether an `x-amzn-errortype` header is sent; the rest is the response body. Every call
//! must end in a value or an `SdkError`, never a panic.

use aws_lite_directconnect::config::{BehaviorVersion, Credentials, Protocol, Region};
use aws_lite_directconnect::{Client, Config};
use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use std::sync::OnceLock;

pub fn run(protocol: Protocol, data: &[u8]) {
    let (op, header, body) = match data {
        [a, b, rest @ ..] => (*a, *b, rest),
        _ => return,
    };
    let status = [200, 400, 500, 200][usize::from((op >> 1) & 3)];
    let content_type = if protocol == Protocol::RpcV2Cbor {
        "application/cbor"
    } else {
        "application/x-amz-json-1.1"
    };
    let mut response = CannedResponse::new(status, body.to_vec())
        .header("content-type", content_type)
        .header("x-amzn-requestid", "fuzz-request");
    if protocol == Protocol::RpcV2Cbor {
        response = response.header("smithy-protocol", "rpc-v2-cbor");
    }
    if header & 1 == 1 {
        response = response.header("x-amzn-errortype", "DirectConnectClientException");
    }
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "fuzz"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url("http://127.0.0.1:1")
        .protocol(protocol)
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .http_client(CaptureClient::new(vec![response]))
        .build();
    let client = Client::from_conf(config);
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let rt = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("tokio runtime")
    });
    rt.block_on(async {
        if op & 1 == 0 {
            match client.describe_virtual_interfaces().send().await {
                Ok(out) => {
                    let _ = format!("{out:?}");
                }
                Err(e) => {
                    let _ = format!("{e} {e:?} {:?} {:?}", e.code(), e.message());
                }
            }
        } else {
            match client
                .delete_virtual_interface()
                .virtual_interface_id("dxvif-fuzz")
                .send()
                .await
            {
                Ok(out) => {
                    let _ = format!("{out:?}");
                }
                Err(e) => {
                    let _ = format!("{e} {e:?} {:?} {:?}", e.code(), e.message());
                }
            }
        }
    });
}
