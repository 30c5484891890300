//! No secret access key or session token ever shows in `Debug` or `Display` output: of the
//! config and its builder, of signed requests, and of every kind of error a call can end
//! with (construction, signing, dispatch, timeout, response and service errors).

use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::config::timeout::TimeoutConfig;
use aws_lite_runtime::config::{Config, Credentials, Region};
use aws_lite_runtime::error::SendError;
use aws_lite_runtime::error::{DisplayErrorContext, SdkError};
use aws_lite_runtime::http::HttpResponse;
use aws_lite_runtime::operation::{
    OperationInput, OperationOutput, build_request_with_env, invoke, send_with_env,
};
use aws_lite_runtime::protocol::{ErrorBody, Protocol};
use aws_lite_runtime::service::{OperationMeta, ServiceMeta};
use aws_lite_runtime::testing::{CannedResponse, CaptureClient, TestServer};
use std::fmt::Debug;
use std::time::Duration;

const ACCESS_KEY: &str = "AKIDVISIBLEACCESSKEY";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLESESSIONTOKENVALUE";

static SERVICE: ServiceMeta = ServiceMeta {
    service_id: "Direct Connect",
    signing_name: "directconnect",
    endpoint_prefix: "directconnect",
    target_prefix: "OvertureService",
    json_version: "1.1",
    api_version: "2012-10-25",
    protocols: &[Protocol::AwsJson1_1],
    model_protocols: &["json"],
    endpoint_rule_set: Some(include_str!(
        "data/endpoint-rules/directconnect/endpoint-rule-set-1.json"
    )),
    signing: aws_lite_runtime::sigv4::SigningSettings::STANDARD,
    query_compatible: false,
};

static OP: OperationMeta = OperationMeta {
    service: &SERVICE,
    name: "DeleteVirtualInterface",
    streaming_output: false,
    event_stream_output: false,
    request_checksum: None,
    static_endpoint_params: &[],
    no_auth: false,
};

fn no_env(_: &str) -> Option<String> {
    None
}

fn credentials(token: &str) -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET, Some(token.to_owned()), None, "test")
}

/// Fails if `text` holds the access key id, the secret, the token, or a long piece of one.
fn assert_clean(what: &str, text: &str) {
    for secret in [ACCESS_KEY, SECRET, TOKEN] {
        assert!(!text.contains(secret), "{what} leaks a secret: {text}");
        for piece in secret.as_bytes().windows(12) {
            let piece = std::str::from_utf8(piece).unwrap_or_default();
            assert!(!text.contains(piece), "{what} leaks {piece:?}: {text}");
        }
    }
}

fn assert_clean_error<E: Debug + std::error::Error + 'static>(what: &str, err: &SdkError<E>) {
    assert_clean(&format!("{what} (Debug)"), &format!("{err:?}"));
    assert_clean(&format!("{what} (Display)"), &err.to_string());
    assert_clean(
        &format!("{what} (DisplayErrorContext)"),
        &DisplayErrorContext(err).to_string(),
    );
}

fn assert_clean_send_error(what: &str, err: SendError) {
    assert_clean(&format!("{what} (SendError Debug)"), &format!("{err:?}"));
    assert_clean(&format!("{what} (SendError Display)"), &err.to_string());
    let sdk: SdkError<std::io::Error> = err.into();
    assert_clean_error(what, &sdk);
}

fn base() -> aws_lite_runtime::config::Builder {
    Config::builder()
        .region(Region::from_static("us-east-1"))
        .credentials_provider(credentials(TOKEN))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
}

#[test]
fn config_and_builder_debug_hide_secrets() {
    let config = base()
        .endpoint_url("http://localhost:4566")
        .use_fips(false)
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(5))
                .build(),
        )
        .build();
    for (what, text) in [
        ("Config", format!("{config:?}")),
        ("Builder", format!("{:?}", config.to_builder())),
        ("Config (pretty)", format!("{config:#?}")),
    ] {
        // Whether credentials are set is shown; what they are is not, not even the key id
        // (which aws-credential-types' own `Credentials` Debug prints).
        assert!(text.contains("redacted"), "{what}: {text}");
        assert_clean(what, &text);
    }
}

#[tokio::test]
async fn signed_requests_hide_authorization_and_token() {
    let capture = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
    let config = base().http_client(capture.clone()).build();
    send_with_env(&config, &OP, b"{}".to_vec(), &no_env)
        .await
        .expect("sends");
    let request = capture.requests().remove(0);
    let authorization = request.header("authorization").expect("signed").to_owned();
    let signature = authorization
        .rsplit("Signature=")
        .next()
        .expect("has a signature")
        .to_owned();
    assert_eq!(request.header("x-amz-security-token"), Some(TOKEN));
    for text in [format!("{request:?}"), format!("{request:#?}")] {
        assert_clean("HttpRequest", &text);
        assert!(!text.contains(&signature), "the signature shows: {text}");
        assert!(text.contains("** redacted **"), "{text}");
        assert!(text.contains("x-amz-target"), "other headers show: {text}");
    }
    let built = build_request_with_env(&config, &OP, b"{}".to_vec(), &no_env)
        .await
        .expect("builds");
    assert_clean("built HttpRequest", &format!("{built:?}"));
}

#[derive(serde::Serialize)]
struct Input {
    #[serde(rename = "virtualInterfaceId")]
    virtual_interface_id: &'static str,
}

impl OperationInput for Input {}

#[derive(serde::Deserialize, Debug, Default)]
struct Output {}

impl OperationOutput for Output {
    fn set_request_id(&mut self, _: Option<String>) {}
}

#[derive(Debug)]
struct OpError(String);

impl std::fmt::Display for OpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpError {}

async fn call(config: &Config) -> Result<Output, SdkError<OpError>> {
    invoke::<_, Output, _, _>(
        config,
        &OP,
        Some(&Input {
            virtual_interface_id: "dxvif-1",
        }),
        |meta, _body: &ErrorBody<'_>| OpError(format!("{:?}", meta.code())),
    )
    .await
}

#[tokio::test]
async fn every_error_kind_hides_secrets() {
    tokio::time::timeout(Duration::from_secs(30), async {
        // Service error (the raw response is kept) and response error.
        let capture = CaptureClient::new(vec![
            CannedResponse::json(
                400,
                r#"{"__type":"DirectConnectClientException","message":"no"}"#,
            ),
            CannedResponse::json(200, "not json"),
            CannedResponse::reset(),
            CannedResponse::reset(),
        ]);
        let config = base().http_client(capture.clone()).build();
        let service = call(&config).await.expect_err("400");
        assert!(matches!(service, SdkError::ServiceError(_)));
        assert_clean_error("ServiceError", &service);
        let response = call(&config).await.expect_err("bad body");
        assert!(matches!(response, SdkError::ResponseError(_)));
        assert_clean_error("ResponseError", &response);
        // Dispatch failure after retries.
        let dispatch = call(&config).await.expect_err("reset twice");
        assert!(
            matches!(dispatch, SdkError::DispatchFailure(_)),
            "{dispatch:?}"
        );
        assert_clean_error("DispatchFailure (reset)", &dispatch);
        let exhausted = call(&config).await.expect_err("no canned response");
        assert_clean_error("DispatchFailure (exhausted)", &exhausted);

        // Construction failures: endpoint rules, invalid endpoint, missing region.
        let rules = call(
            &base()
                .endpoint_url("https://x.example")
                .use_fips(true)
                .build(),
        )
        .await
        .expect_err("rule error");
        assert!(matches!(rules, SdkError::ConstructionFailure(_)));
        assert_clean_error("ConstructionFailure (rules)", &rules);
        let invalid = call(&base().endpoint_url("not a url").build())
            .await
            .expect_err("invalid endpoint");
        assert_clean_error("ConstructionFailure (endpoint)", &invalid);
        let mut no_region = base();
        no_region.set_region(None);
        let err = send_with_env(&no_region.build(), &OP, b"{}".to_vec(), &no_env)
            .await
            .expect_err("no region");
        assert_clean_send_error("ConstructionFailure (region)", err);

        // A session token that cannot be a header value: signing or sending fails, and the
        // error must not quote it.
        let bad_token = format!("{TOKEN}\nX-Injected: 1");
        let capture = CaptureClient::new(vec![CannedResponse::json(200, "{}")]);
        let config = base()
            .credentials_provider(credentials(&bad_token))
            .http_client(capture.clone())
            .build();
        if let Err(err) = send_with_env(&config, &OP, b"{}".to_vec(), &no_env).await {
            assert_clean_send_error("signing with a bad token", err);
        } else {
            let request = capture.requests().remove(0);
            assert_clean("request with a bad token", &format!("{request:?}"));
        }
        let config = base().credentials_provider(credentials(&bad_token)).build();
        let server = TestServer::start(vec![CannedResponse::json(200, "{}")]);
        let config = config.to_builder().endpoint_url(server.url()).build();
        match send_with_env(&config, &OP, b"{}".to_vec(), &no_env).await {
            Err(err) => assert_clean_send_error("sending a bad token", err),
            Ok(response) => assert_clean("response", &format!("{response:?}")),
        }

        // Timeout error.
        let server = TestServer::start(vec![
            CannedResponse::json(200, "{}").delay(Duration::from_secs(60)),
            CannedResponse::json(200, "{}").delay(Duration::from_secs(60)),
        ]);
        let config = base()
            .endpoint_url(server.url())
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(Duration::from_millis(100))
                    .build(),
            )
            .build();
        let timeout = call(&config).await.expect_err("stalled");
        assert!(matches!(timeout, SdkError::TimeoutError(_)), "{timeout:?}");
        assert_clean_error("TimeoutError", &timeout);

        // Dispatch failure of the default client (connection refused).
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
            listener.local_addr().expect("address").port()
        };
        let refused = call(
            &base()
                .endpoint_url(format!("http://127.0.0.1:{port}"))
                .build(),
        )
        .await
        .expect_err("refused");
        assert_clean_error("DispatchFailure (refused)", &refused);

        // Redirect (a 307 naming another host) and an oversized body: refused responses.
        let capture = CaptureClient::new(vec![
            CannedResponse::new(307, "").header("location", "http://elsewhere.example/"),
            CannedResponse::json(200, "{\"padding\": \"0123456789\"}"),
        ]);
        let config = base()
            .http_client(capture.clone())
            .max_response_body_size(8)
            .build();
        let redirect = call(&config).await.expect_err("redirect");
        assert!(
            matches!(redirect, SdkError::ResponseError(_)),
            "{redirect:?}"
        );
        assert_clean_error("ResponseError (redirect)", &redirect);
        let too_large = call(&config).await.expect_err("too large");
        assert!(
            matches!(too_large, SdkError::ResponseError(_)),
            "{too_large:?}"
        );
        assert_clean_error("ResponseError (body too large)", &too_large);
        // The config, its cache now holding the credentials, still shows none of them.
        assert_clean("Config after calls", &format!("{config:?}"));
        assert_clean("identity cache", &format!("{:?}", config.identity_cache()));

        // Read timeout and stalled stream.
        let server = TestServer::start(vec![
            CannedResponse::json(200, "{}").delay(Duration::from_secs(60)),
            CannedResponse::json(200, "{}").delay(Duration::from_secs(60)),
        ]);
        let config = base()
            .endpoint_url(server.url())
            .timeout_config(
                TimeoutConfig::builder()
                    .read_timeout(Duration::from_millis(100))
                    .build(),
            )
            .build();
        let read = call(&config).await.expect_err("no answer");
        assert!(matches!(read, SdkError::TimeoutError(_)), "{read:?}");
        assert_clean_error("TimeoutError (read)", &read);

        // The raw response of a service error prints the response, never the request.
        let raw: &HttpResponse = service.raw_response().expect("raw response");
        assert_clean("raw response", &format!("{raw:?}"));
    })
    .await
    .expect("the test finished in time");
}
