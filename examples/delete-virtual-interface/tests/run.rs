//! Runs the example binary as a user would, against a loopback endpoint.

use aws_lite_runtime::testing::{CannedResponse, TestServer};
use std::process::Command;

fn example() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_delete-virtual-interface"));
    cmd.env_clear()
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "example-secret")
        .env("AWS_REGION", "us-west-2");
    cmd
}

#[test]
fn deletes_and_prints_the_new_state() {
    let server = TestServer::start(vec![CannedResponse::json(
        200,
        r#"{"virtualInterfaceState":"deleting"}"#,
    )]);
    let out = example()
        .args(["--endpoint-url", &server.url(), "dxvif-fg5678gh"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "dxvif-fg5678gh: deleting\n"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("OvertureService.DeleteVirtualInterface")
    );
    let auth = requests[0].header("authorization").unwrap();
    assert!(
        auth.contains("AKIDEXAMPLE/") && auth.contains("/us-west-2/directconnect/"),
        "{auth}"
    );
}

#[test]
fn service_errors_are_printed_with_their_code() {
    let server = TestServer::start(vec![CannedResponse::json(
        400,
        r#"{"__type":"DirectConnectClientException","message":"no such interface"}"#,
    )]);
    let out = example()
        .args(["--endpoint-url", &server.url(), "dxvif-nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("DirectConnectClientException") && stderr.contains("no such interface"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = example().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage:"));
}
