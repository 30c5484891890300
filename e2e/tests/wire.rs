//! The exact request DeleteVirtualInterface puts on the wire, and how responses are parsed,
//! against a real loopback HTTP server (no moto: every byte is checked here).

use aws_lite_runtime::testing::{CannedResponse, TestServer, verify_sigv4};
use aws_sdk_directconnect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_directconnect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_directconnect::operation::RequestId;
use aws_sdk_directconnect::operation::delete_virtual_interface::DeleteVirtualInterfaceError;
use aws_sdk_directconnect::types::VirtualInterfaceState;
use aws_sdk_directconnect::{Client, Config};

/// Checks the request's `Authorization` with `aws-sigv4` (the official crates' signer), an
/// oracle independent of the runtime's own signer: it signs the same method, URL, signed
/// headers and body at the request's `X-Amz-Date`, and the header must match byte for byte.
/// Headers sent but not signed (`amz-sdk-request`, `amz-sdk-invocation-id`) are left out,
/// as the official SDK leaves them out.
fn check_with_aws_sigv4(
    req: &aws_lite_runtime::testing::RecordedRequest,
    key_id: &str,
    secret: &str,
    region: &str,
) -> Result<(), String> {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
    let auth = req.header("authorization").ok_or("no Authorization")?;
    let signed: Vec<&str> = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .ok_or("no SignedHeaders")?
        .split(';')
        .collect();
    let date = req.header("x-amz-date").ok_or("no X-Amz-Date")?;
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &date[0..4],
        &date[4..6],
        &date[6..8],
        &date[9..11],
        &date[11..13],
        &date[13..15]
    );
    let time =
        aws_smithy_types::DateTime::from_str(&iso, aws_smithy_types::date_time::Format::DateTime)
            .map_err(|e| e.to_string())?;
    let time = std::time::SystemTime::try_from(time).map_err(|e| e.to_string())?;
    let identity =
        aws_credential_types::Credentials::new(key_id, secret, None, None, "oracle").into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("directconnect")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let host = req.header("host").ok_or("no Host")?;
    let url = format!("http://{host}{}", req.uri);
    let headers = req.headers.iter().filter(|(name, _)| {
        let name = name.to_ascii_lowercase();
        signed.contains(&name.as_str()) && name != "x-amz-date"
    });
    let signable = SignableRequest::new(
        &req.method,
        url.as_str(),
        headers.map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(&req.body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let expected = instructions
        .headers()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.to_owned())
        .ok_or("aws-sigv4 gave no Authorization")?;
    if expected == auth {
        Ok(())
    } else {
        Err(format!(
            "Authorization differs:\n ours:      {auth}\n aws-sigv4: {expected}"
        ))
    }
}

fn credentials() -> Credentials {
    Credentials::new("AKIDWIRETEST", "wire-secret-key", None, None, "wire-test")
}

fn client(server: &TestServer) -> Client {
    let config = Config::builder()
        .region(Region::new("eu-west-1"))
        .endpoint_url(server.url())
        .credentials_provider(credentials())
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn delete_virtual_interface_request_on_the_wire() {
    let server = TestServer::start(vec![
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleting"}"#)
            .header("x-amzn-RequestId", "req-123"),
    ]);
    let out = client(&server)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-fg5678gh")
        .send()
        .await
        .expect("success response parses");
    assert_eq!(
        out.virtual_interface_state(),
        Some(&VirtualInterfaceState::Deleting)
    );
    assert_eq!(out.request_id(), Some("req-123"));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.uri, "/");
    assert_eq!(
        req.header("x-amz-target"),
        Some("OvertureService.DeleteVirtualInterface")
    );
    assert_eq!(
        req.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"virtualInterfaceId": "dxvif-fg5678gh"})
    );
    assert_eq!(
        req.header("content-length"),
        Some(req.body.len().to_string().as_str())
    );
    let auth = req.header("authorization").expect("signed");
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDWIRETEST/"),
        "{auth}"
    );
    assert!(
        auth.contains("/eu-west-1/directconnect/aws4_request"),
        "{auth}"
    );
    verify_sigv4(req, &credentials(), "eu-west-1", "directconnect").expect("valid SigV4 signature");
    check_with_aws_sigv4(req, "AKIDWIRETEST", "wire-secret-key", "eu-west-1")
        .expect("aws-sigv4 computes the same Authorization");
    // The same checks reject a tampered body, a wrong secret and a wrong region, so they are
    // not vacuous.
    let mut tampered = req.clone();
    tampered.body = br#"{"virtualInterfaceId":"dxvif-other"}"#.to_vec();
    assert!(verify_sigv4(&tampered, &credentials(), "eu-west-1", "directconnect").is_err());
    assert!(
        check_with_aws_sigv4(&tampered, "AKIDWIRETEST", "wire-secret-key", "eu-west-1").is_err()
    );
    assert!(check_with_aws_sigv4(req, "AKIDWIRETEST", "other-secret", "eu-west-1").is_err());
    assert!(check_with_aws_sigv4(req, "AKIDWIRETEST", "wire-secret-key", "us-east-1").is_err());
    // The SDK's request headers are sent unsigned, as the official SDK sends them.
    assert_eq!(req.header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert!(
        req.header("amz-sdk-invocation-id")
            .is_some_and(|id| id.len() == 36)
    );
    assert!(!auth.contains("amz-sdk"), "{auth}");
}

#[tokio::test]
async fn modelled_client_exception_is_parsed() {
    let server = TestServer::start(vec![
        CannedResponse::json(
            400,
            r#"{"__type":"com.amazonaws.directconnect#DirectConnectClientException","message":"Virtual interface dxvif-nope does not exist"}"#,
        )
        .header("x-amzn-RequestId", "req-err-1"),
    ]);
    let err = client(&server)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-nope")
        .send()
        .await
        .expect_err("400 is an error");
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status), Some(400));
    let service = err.into_service_error();
    assert!(service.is_direct_connect_client_exception(), "{service:?}");
    assert_eq!(service.code(), Some("DirectConnectClientException"));
    assert_eq!(
        service.message(),
        Some("Virtual interface dxvif-nope does not exist")
    );
    assert_eq!(service.request_id(), Some("req-err-1"));
    match service {
        DeleteVirtualInterfaceError::DirectConnectClientException(e) => {
            assert_eq!(
                e.message(),
                Some("Virtual interface dxvif-nope does not exist")
            );
            assert_eq!(
                e.to_string(),
                "DirectConnectClientException: Virtual interface dxvif-nope does not exist"
            );
        }
        other => panic!("wrong variant {other:?}"),
    }
}

#[tokio::test]
async fn unmodelled_error_keeps_code_and_message() {
    let server = TestServer::start(vec![
        CannedResponse::json(
            400,
            r#"{"Message":"The security token included in the request is invalid"}"#,
        )
        .header(
            "x-amzn-ErrorType",
            "UnrecognizedClientException:http://internal.amazon.com/",
        ),
    ]);
    let err = client(&server)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .await
        .expect_err("400 is an error")
        .into_service_error();
    assert!(
        matches!(err, DeleteVirtualInterfaceError::Unhandled(_)),
        "{err:?}"
    );
    assert_eq!(err.meta().code(), Some("UnrecognizedClientException"));
    assert_eq!(
        err.meta().message(),
        Some("The security token included in the request is invalid")
    );
}

#[tokio::test]
async fn unknown_state_round_trips_and_modelled_unknown_has_its_own_variant() {
    let server = TestServer::start(vec![
        CannedResponse::json(200, r#"{"virtualInterfaceState":"unknown"}"#),
        CannedResponse::json(200, r#"{"virtualInterfaceState":"hibernating"}"#),
    ]);
    let client = client(&server);
    let first = client
        .delete_virtual_interface()
        .virtual_interface_id("a")
        .send()
        .await
        .unwrap();
    assert_eq!(
        first.virtual_interface_state(),
        Some(&VirtualInterfaceState::UnknownValue)
    );
    let second = client
        .delete_virtual_interface()
        .virtual_interface_id("b")
        .send()
        .await
        .unwrap();
    let state = second.virtual_interface_state().unwrap();
    assert!(matches!(state, VirtualInterfaceState::Unknown(_)));
    assert_eq!(state.as_str(), "hibernating");
}

#[tokio::test]
async fn missing_required_member_is_reported_and_nothing_is_sent() {
    let server = TestServer::start(vec![CannedResponse::json(200, "{}")]);
    let err = client(&server)
        .delete_virtual_interface()
        .send()
        .await
        .expect_err("required member missing");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = format!(
        "{}",
        aws_sdk_directconnect::error::DisplayErrorContext(&err)
    );
    assert!(text.contains("DeleteVirtualInterface"), "{text}");
    assert!(text.contains("virtualInterfaceId"), "{text}");
    assert!(server.requests().is_empty(), "a request left the process");
}

#[tokio::test]
async fn success_body_that_is_not_json_is_a_response_error() {
    let server = TestServer::start(vec![CannedResponse::new(200, "<html>gateway</html>")]);
    let err = client(&server)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .await
        .expect_err("not JSON");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
}

fn cbor(value: serde_json::Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(&value, &mut out).unwrap();
    out
}

fn cbor_client(server: &TestServer) -> Client {
    let config = Config::builder()
        .region(Region::new("eu-west-1"))
        .endpoint_url(server.url())
        .credentials_provider(credentials())
        .protocol(aws_sdk_directconnect::config::Protocol::RpcV2Cbor)
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn cbor_request_on_the_wire_and_responses() {
    let server = TestServer::start(vec![
        CannedResponse::new(200, cbor(serde_json::json!({"virtualInterfaceState": "deleted"})))
            .header("content-type", "application/cbor")
            .header("smithy-protocol", "rpc-v2-cbor"),
        CannedResponse::new(
            400,
            cbor(serde_json::json!({"__type": "com.amazonaws.directconnect#DirectConnectServerException", "message": "try later"})),
        )
        .header("content-type", "application/cbor")
        .header("smithy-protocol", "rpc-v2-cbor"),
    ]);
    let client = cbor_client(&server);
    let out = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-cbor")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.virtual_interface_state(),
        Some(&VirtualInterfaceState::Deleted)
    );

    let req = &server.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.uri,
        "/service/OvertureService/operation/DeleteVirtualInterface"
    );
    assert_eq!(req.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(req.header("accept"), Some("application/cbor"));
    assert_eq!(req.header("content-type"), Some("application/cbor"));
    assert_eq!(req.header("x-amz-target"), None);
    let body: serde_json::Value = ciborium::from_reader(&req.body[..]).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"virtualInterfaceId": "dxvif-cbor"})
    );
    verify_sigv4(req, &credentials(), "eu-west-1", "directconnect").expect("valid SigV4 signature");
    check_with_aws_sigv4(req, "AKIDWIRETEST", "wire-secret-key", "eu-west-1")
        .expect("aws-sigv4 computes the same Authorization");

    let err = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-cbor")
        .send()
        .await
        .expect_err("400")
        .into_service_error();
    assert!(err.is_direct_connect_server_exception(), "{err:?}");
    assert_eq!(err.message(), Some("try later"));
}

#[tokio::test]
async fn cbor_operation_without_input_sends_no_body() {
    let server = TestServer::start(vec![CannedResponse::new(
        200,
        cbor(serde_json::json!({"locations": []})),
    )]);
    let out = cbor_client(&server)
        .describe_locations()
        .send()
        .await
        .unwrap();
    assert!(out.locations().is_empty());
    let req = &server.requests()[0];
    assert_eq!(
        req.uri,
        "/service/OvertureService/operation/DescribeLocations"
    );
    assert!(req.body.is_empty());
    assert_eq!(req.header("content-type"), None);
}

#[tokio::test]
async fn throttling_is_retried_with_the_official_retry_config_path() {
    use aws_sdk_directconnect::config::retry::RetryConfig;
    use std::time::Duration;
    let throttled = || {
        CannedResponse::json(
            400,
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        )
    };
    let server = TestServer::start(vec![
        throttled(),
        throttled(),
        CannedResponse::json(200, r#"{"virtualInterfaceState":"deleted"}"#),
    ]);
    let config = Config::builder()
        .region(Region::new("eu-west-1"))
        .endpoint_url(server.url())
        .credentials_provider(credentials())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .behavior_version(BehaviorVersion::latest())
        .build();
    let out = Client::from_conf(config)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .await
        .expect("third attempt succeeds");
    assert_eq!(
        out.virtual_interface_state(),
        Some(&VirtualInterfaceState::Deleted)
    );
    assert_eq!(server.requests().len(), 3);
}

/// `?` into the service-wide `Error`: a modelled exception keeps its variant, message and
/// request id; a failure before any response (missing required member) becomes `Unhandled`
/// with the construction failure as its source.
#[tokio::test]
async fn sdk_errors_convert_into_the_service_wide_error() {
    use aws_sdk_directconnect::Error;
    let server = TestServer::start(vec![
        CannedResponse::json(
            400,
            r#"{"__type":"DirectConnectClientException","message":"no such interface"}"#,
        )
        .header("x-amzn-RequestId", "req-conv-1"),
    ]);
    let client = client(&server);
    let service: Error = client
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-nope")
        .send()
        .await
        .expect_err("400 is an error")
        .into();
    match &service {
        Error::DirectConnectClientException(e) => {
            assert_eq!(e.message(), Some("no such interface"));
        }
        other => panic!("wrong variant {other:?}"),
    }
    assert_eq!(service.request_id(), Some("req-conv-1"));

    let construction: Error = client
        .delete_virtual_interface()
        .send()
        .await
        .expect_err("the interface id is required")
        .into();
    assert!(
        matches!(construction, Error::Unhandled(_)),
        "{construction:?}"
    );
    // The chain: the construction failure, then the missing member.
    let mut chain = Vec::new();
    let mut next = std::error::Error::source(&construction);
    while let Some(err) = next {
        chain.push(err.to_string());
        next = err.source();
    }
    assert_eq!(
        chain.first().map(String::as_str),
        Some("failed to construct request")
    );
    assert!(
        chain.iter().any(|m| m.contains("virtualInterfaceId")),
        "{chain:?}"
    );
    // Only the first request reached the server.
    assert_eq!(server.requests().len(), 1);
}

/// Through the generated client as users call it: a redirect is a `ResponseError` naming the
/// status and `Location`, and the host it names receives nothing (no token, no body).
#[tokio::test]
async fn a_redirect_is_a_response_error_and_nothing_reaches_the_other_host() {
    let elsewhere = TestServer::start(vec![CannedResponse::json(200, "{}")]);
    let location = format!("{}/collect", elsewhere.url());
    let server = TestServer::start(vec![
        CannedResponse::new(307, "").header("location", location.clone()),
    ]);
    let config = Config::builder()
        .region(Region::new("eu-west-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(
            "AKIDWIRETEST",
            "wire-secret-key",
            Some("wire-session-token".to_owned()),
            None,
            "wire-test",
        ))
        .behavior_version(BehaviorVersion::latest())
        .build();
    let err = Client::from_conf(config)
        .delete_virtual_interface()
        .virtual_interface_id("dxvif-1")
        .send()
        .await
        .expect_err("redirects are not followed");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status), Some(307));
    let text = aws_sdk_directconnect::error::DisplayErrorContext(&err).to_string();
    assert!(
        text.contains(&format!("HTTP 307 redirecting to {location}")),
        "{text}"
    );
    assert_eq!(server.requests().len(), 1, "not retried");
    assert!(
        elsewhere.requests().is_empty(),
        "the other host saw nothing"
    );
}
