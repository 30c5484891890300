//! No access key, secret key or session token appears in the `Debug` or `Display` output of
//! the generated crate's client, blocking client, config, fluent builders, inputs, or in the
//! errors a call returns (construction failures, service errors, dispatch failures).

use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use aws_sdk_directconnect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_directconnect::error::DisplayErrorContext;
use aws_sdk_directconnect::types::Tag;
use aws_sdk_directconnect::{Client, Config};

const ACCESS_KEY: &str = "AKIDSECRETMARKER0001";
const SECRET_KEY: &str = "wJalrSECRETMARKERsecretkey";
const TOKEN: &str = "SESSIONTOKENSECRETMARKER";

fn assert_clean(what: &str, text: &str) {
    for secret in [ACCESS_KEY, SECRET_KEY, TOKEN] {
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
    assert!(!text.is_empty(), "{what} printed nothing");
}

fn config(http: &CaptureClient) -> Config {
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            ACCESS_KEY,
            SECRET_KEY,
            Some(TOKEN.to_string()),
            None,
            "secrets-test",
        ))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url("http://127.0.0.1:1")
        .http_client(http.clone())
        .build()
}

#[tokio::test]
async fn client_builders_inputs_and_errors_hide_credentials() {
    let http = CaptureClient::new(vec![
        CannedResponse::json(
            400,
            r#"{"__type":"DirectConnectClientException","message":"no such interface"}"#,
        ),
        CannedResponse::json(500, "not json at all"),
    ]);
    let config = config(&http);
    assert_clean("Config", &format!("{config:?}"));
    let client = Client::from_conf(config.clone());
    assert_clean("Client", &format!("{client:?}"));
    assert_clean("Client config", &format!("{:?}", client.config()));
    let blocking = aws_sdk_directconnect::blocking::Client::from_conf(config.clone()).unwrap();
    assert_clean("blocking Client", &format!("{blocking:?}"));
    assert_clean(
        "blocking fluent builder",
        &format!("{:?}", blocking.delete_virtual_interface()),
    );

    let builder = client
        .tag_resource()
        .resource_arn("arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-1")
        .tags(Tag::builder().key("k").value("v").build().unwrap());
    assert_clean("fluent builder", &format!("{builder:?}"));
    assert_clean("input builder", &format!("{:?}", builder.as_input()));
    let input = builder.as_input().clone().build().unwrap();
    assert_clean("input", &format!("{input:?}"));

    fn check_error<E: std::fmt::Debug + std::error::Error + 'static>(
        what: &str,
        err: &aws_lite_runtime::error::SdkError<E>,
    ) {
        assert_clean(what, &format!("{err:?}"));
        assert_clean(what, &format!("{err}"));
        assert_clean(what, &DisplayErrorContext(err).to_string());
    }
    // Construction failures: a missing member, then a minimum.
    let missing = client.delete_virtual_interface().send().await.unwrap_err();
    check_error("missing member", &missing);
    let short = client
        .tag_resource()
        .resource_arn("arn")
        .tags(Tag::builder().key("").build().unwrap())
        .send()
        .await
        .unwrap_err();
    check_error("minimum", &short);
    assert!(http.requests().is_empty());

    // A modelled service error, then a 500 whose body is not JSON.
    let call = || {
        client
            .delete_virtual_interface()
            .virtual_interface_id("dxvif-1")
            .send()
    };
    let service = call().await.unwrap_err();
    check_error("service error", &service);
    let converted: aws_sdk_directconnect::Error = service.into();
    assert_clean("service-wide error", &format!("{converted:?} {converted}"));
    let garbled = call().await.unwrap_err();
    check_error("unparseable response", &garbled);

    // The requests did carry the credentials (so the checks above could have failed).
    let sent = http.requests();
    assert!(!sent.is_empty());
    let raw: String = sent[0]
        .headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\n"))
        .collect();
    assert!(raw.contains(ACCESS_KEY) && raw.contains(TOKEN), "{raw}");
}
