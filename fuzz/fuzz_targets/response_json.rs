//! awsJson 1.1 responses (success and error) of DescribeVirtualInterfaces and
//! DeleteVirtualInterface, parsed by the generated Direct Connect crate.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "response.rs"]
mod response;

fuzz_target!(|data: &[u8]| {
    response::run(aws_lite_directconnect::config::Protocol::AwsJson1_1, data);
});
