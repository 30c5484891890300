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

/// The default chain's types (`aws-lite-config`) and the generated STS, SSO and SSO OIDC
/// members the model marks sensitive: environment, profiles, providers, the loaded config and
/// the chain's errors never show a key, secret or token.
#[tokio::test]
async fn credentials_chain_types_and_errors_hide_secrets() {
    use aws_config::ProviderConfig;
    use aws_config::os::{Env, Fs};
    use aws_lite_runtime::config::ProvideCredentials;

    let config_file = format!(
        "[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\naws_session_token = {TOKEN}\n\
         [profile proc]\ncredential_process = /bin/echo {SECRET_KEY}\n\
         [profile broken]\nrole_arn = arn:aws:iam::123456789012:role/r\naws_secret_access_key = {SECRET_KEY}\n"
    );
    let env = Env::from_slice(&[
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", TOKEN),
        ("AWS_CONFIG_FILE", "/cfg"),
    ]);
    let fs = Fs::from_slice(&[("/cfg", config_file.as_str())]);
    let provider_config = ProviderConfig::default()
        .with_env(env.clone())
        .with_fs(fs.clone());
    assert_clean("Env", &format!("{env:?}"));
    assert_clean("ProviderConfig", &format!("{provider_config:?}"));
    let profiles = provider_config.profiles().expect("parses");
    assert_clean("ProfileSet", &format!("{profiles:?}"));
    assert_clean("Profile", &format!("{:?}", profiles.selected().unwrap()));
    let chain = aws_config::profile::credentials::resolve_chain(profiles).unwrap();
    assert_clean("ProfileChain", &format!("{chain:?}"));
    let process =
        aws_config::profile::credentials::resolve_chain(&profiles.clone().select("proc")).unwrap();
    assert_clean("credential_process chain", &format!("{process:?}"));
    assert_clean(
        "CredentialProcessProvider",
        &format!(
            "{:?}",
            aws_config::credential_process::CredentialProcessProvider::new(format!(
                "/bin/echo {SECRET_KEY}"
            ))
        ),
    );
    let default_chain =
        aws_config::default_provider::DefaultCredentialsChain::from_config(&provider_config);
    assert_clean("DefaultCredentialsChain", &format!("{default_chain:?}"));
    let credentials = default_chain.provide_credentials().await.expect("from env");
    assert_eq!(
        credentials.secret_access_key(),
        SECRET_KEY,
        "the values are there"
    );
    assert_clean("chain credentials", &format!("{credentials:?}"));

    // The loaded config, and a failing profile's error.
    let sdk = aws_config::from_env()
        .configure(provider_config.clone())
        .region(Region::new("us-east-1"))
        .load()
        .await;
    assert_clean("SdkConfig", &format!("{sdk:?}"));
    let broken = aws_config::profile::credentials::ProfileFileCredentialsProvider::from_config(
        &ProviderConfig::default()
            .with_env(Env::from_slice(&[
                ("AWS_CONFIG_FILE", "/cfg"),
                ("AWS_PROFILE", "broken"),
            ]))
            .with_fs(fs.clone()),
    );
    assert_clean("profile provider", &format!("{broken:?}"));
    let err = broken.provide_credentials().await.expect_err("no source");
    assert_clean("profile error", &format!("{err:?}"));
    assert_clean("profile error", &DisplayErrorContext(&err).to_string());
    // A credential_process output that is not credentials: the error never echoes it.
    let garbled = aws_config::credential_process::parse_output(&format!(
        "{{\"Version\": 1, \"AccessKeyId\": \"{ACCESS_KEY}\", \"SecretAccessKey\": 5, \"x\": \"{TOKEN}\"}}"
    ))
    .expect_err("not a string");
    assert_clean(
        "credential_process error",
        &DisplayErrorContext(&garbled).to_string(),
    );

    // Generated members the models mark sensitive.
    let sts_creds = aws_sdk_sts::types::Credentials::builder()
        .access_key_id("AKIDPUBLIC")
        .secret_access_key(SECRET_KEY)
        .session_token("public-token")
        .expiration(aws_lite_runtime::primitives::DateTime::from_secs(0))
        .build()
        .unwrap();
    assert_clean("STS Credentials", &format!("{sts_creds:?}"));
    let web_identity = aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityInput::builder()
        .role_arn("arn:aws:iam::123456789012:role/r")
        .role_session_name("s")
        .web_identity_token(TOKEN);
    assert_clean(
        "AssumeRoleWithWebIdentity input builder",
        &format!("{web_identity:?}"),
    );
    assert_clean(
        "AssumeRoleWithWebIdentity input",
        &format!("{:?}", web_identity.build().unwrap()),
    );
    let sso_input =
        aws_sdk_sso::operation::get_role_credentials::GetRoleCredentialsInput::builder()
            .role_name("r")
            .account_id("1")
            .access_token(TOKEN);
    assert_clean("GetRoleCredentials input", &format!("{sso_input:?}"));
    let role_credentials = aws_sdk_sso::types::RoleCredentials::builder()
        .access_key_id("AKIDPUBLIC")
        .secret_access_key(SECRET_KEY)
        .session_token(TOKEN)
        .build();
    assert_clean("SSO RoleCredentials", &format!("{role_credentials:?}"));
    let create_token = aws_sdk_ssooidc::operation::create_token::CreateTokenInput::builder()
        .client_id("c")
        .client_secret(SECRET_KEY)
        .grant_type("refresh_token")
        .refresh_token(TOKEN);
    assert_clean("CreateToken input", &format!("{create_token:?}"));
    let token_output = aws_sdk_ssooidc::operation::create_token::CreateTokenOutput::builder()
        .access_token(TOKEN)
        .refresh_token(SECRET_KEY)
        .build();
    assert_clean("CreateToken output", &format!("{token_output:?}"));
}
