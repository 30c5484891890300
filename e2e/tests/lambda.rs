//! The generated Lambda client (rest-json) against a local moto server.
//!
//! Written as for the official `aws-sdk-lambda` crate: the generated `--ops` crate is imported
//! under that name (see e2e/Cargo.toml). moto's Lambda backend needs the function's role to
//! exist in its IAM backend, so the test creates one first with a raw IAM request (moto runs
//! without request authentication here). No Invoke: moto runs functions in Docker.

use aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_lambda::operation::get_function::GetFunctionError;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{FunctionCode, Runtime};
use aws_sdk_lambda::{Client, Config};
use e2e::{MOTO_ACCOUNT_ID, MotoServer};
use std::error::Error;

type TestResult = Result<(), Box<dyn Error>>;

fn client(server: &MotoServer) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new("AKIDTEST", "SECRET", None, None, "test"))
        .behavior_version(BehaviorVersion::latest())
        .build();
    Client::from_conf(config)
}

/// CRC-32 (IEEE), for the zip below.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive holding one stored (uncompressed) file.
fn zip_one(name: &str, content: &[u8]) -> Vec<u8> {
    let crc = crc32(content);
    let size = u32::try_from(content.len()).expect("small");
    let name_len = u16::try_from(name.len()).expect("short");
    let mut out = Vec::new();
    // Local file header.
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]); // version, flags, method, time, date
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(content);
    let central = out.len();
    // Central directory entry.
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
    out.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
    out.extend_from_slice(name.as_bytes());
    let central_len = u32::try_from(out.len() - central).expect("small");
    // End of central directory.
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&u32::try_from(central).expect("small").to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Creates the IAM role moto checks `CreateFunction`'s `Role` against; returns its ARN.
fn create_role(server: &MotoServer, name: &str) -> Result<String, Box<dyn Error>> {
    let policy = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
    let (status, body) = server.post_form(
        "iam",
        &format!(
            "Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={policy}"
        ),
    )?;
    assert_eq!(status, 200, "CreateRole: {body}");
    Ok(format!("arn:aws:iam::{MOTO_ACCOUNT_ID}:role/{name}"))
}

#[tokio::test]
async fn function_lifecycle_tags_and_typed_not_found() -> TestResult {
    let server = MotoServer::start_unpatched()?;
    let client = client(&server);
    let role = create_role(&server, "lambda-e2e-role")?;
    let zip = zip_one("index.py", b"def handler(event, context):\n    return 1\n");

    let created = client
        .create_function()
        .function_name("e2e-fn")
        .runtime(Runtime::Python312)
        .role(&role)
        .handler("index.handler")
        .code(
            FunctionCode::builder()
                .zip_file(Blob::new(zip.clone()))
                .build(),
        )
        .description("made by the e2e test")
        .timeout(7)
        .tags("team", "lite")
        .send()
        .await?;
    assert_eq!(created.function_name(), Some("e2e-fn"));
    assert_eq!(created.runtime(), Some(&Runtime::Python312));
    assert_eq!(created.handler(), Some("index.handler"));
    assert_eq!(created.timeout(), Some(7));
    assert_eq!(created.code_size(), zip.len() as i64);
    let arn = created
        .function_arn()
        .expect("the function has an ARN")
        .to_owned();
    assert!(
        arn.starts_with(&format!(
            "arn:aws:lambda:us-east-1:{MOTO_ACCOUNT_ID}:function:e2e-fn"
        )),
        "{arn}"
    );

    // GET /2015-03-31/functions/{FunctionName}: the name is a URI label.
    let got = client.get_function().function_name("e2e-fn").send().await?;
    let configuration = got.configuration().expect("a configuration");
    assert_eq!(configuration.function_name(), Some("e2e-fn"));
    assert_eq!(configuration.description(), Some("made by the e2e test"));
    assert_eq!(
        got.tags().and_then(|t| t.get("team")).map(String::as_str),
        Some("lite")
    );

    // GET /2015-03-31/functions?MaxItems=..: query parameters.
    let listed = client.list_functions().max_items(10).send().await?;
    let names: Vec<&str> = listed
        .functions()
        .iter()
        .filter_map(|f| f.function_name())
        .collect();
    assert_eq!(names, ["e2e-fn"]);

    // POST /2017-03-31/tags/{Resource}: the ARN (with `:`) is an encoded label.
    client
        .tag_resource()
        .resource(&arn)
        .tags("stage", "test")
        .send()
        .await?;
    let tags = client.list_tags().resource(&arn).send().await?;
    let tags = tags.tags().expect("tags");
    assert_eq!(tags.get("team").map(String::as_str), Some("lite"));
    assert_eq!(tags.get("stage").map(String::as_str), Some("test"));
    assert_eq!(tags.len(), 2);

    client
        .delete_function()
        .function_name("e2e-fn")
        .send()
        .await?;

    // A missing function: HTTP 404 with `x-amzn-errortype`, a typed error.
    let err = client
        .get_function()
        .function_name("e2e-fn")
        .send()
        .await
        .expect_err("the function is gone");
    let service_error = err.into_service_error();
    assert!(
        matches!(
            service_error,
            GetFunctionError::ResourceNotFoundException(_)
        ),
        "{service_error:?}"
    );
    assert!(service_error.is_resource_not_found_exception());
    assert_eq!(
        service_error.meta().code(),
        Some("ResourceNotFoundException")
    );
    let listed = client.list_functions().send().await?;
    assert!(listed.functions().is_empty());
    Ok(())
}
