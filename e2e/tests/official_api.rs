//! Small parts of the official crates' API that the AWS code examples
//! (awsdocs/aws-doc-sdk-examples, `rustv1/examples`) use, on the generated crates:
//! `meta::PKG_VERSION`, an operation error's `generic(ErrorMetadata)` (with the metadata of
//! another service's crate, as the Lambda example builds a `CreateRoleError` from
//! `aws_sdk_s3::error::ErrorMetadata`), and a string enum's `try_parse`, checked against the
//! values botocore's S3 model lists.

use std::error::Error;

use aws_sdk_iam::operation::create_user::CreateUserError;
use aws_sdk_s3::error::{ErrorMetadata, ProvideErrorMetadata, UnknownVariantError};
use aws_sdk_s3::types::BucketLocationConstraint;

/// The `version` of a generated crate's manifest, read as text.
fn manifest_version(krate: &str) -> String {
    let path = e2e::repo_root().join(format!("generated/{krate}/Cargo.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("version = "))
        .unwrap_or_else(|| panic!("no version in {}", path.display()));
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .to_string()
}

#[test]
fn pkg_version_is_the_crate_version() {
    assert_eq!(aws_sdk_s3::meta::PKG_VERSION, manifest_version("s3"));
    assert_eq!(aws_sdk_iam::meta::PKG_VERSION, manifest_version("iam"));
    println!("S3 client version: {}", aws_sdk_s3::meta::PKG_VERSION);
}

#[test]
fn generic_errors_carry_the_metadata_they_are_given() {
    // As rustv1/examples/lambda/src/actions.rs: S3's `ErrorMetadata` into an IAM error.
    let err = CreateUserError::generic(
        ErrorMetadata::builder()
            .message("CreateUser returned empty success")
            .code("EmptyResponse")
            .build(),
    );
    assert!(matches!(err, CreateUserError::Unhandled(_)));
    assert_eq!(err.code(), Some("EmptyResponse"));
    assert_eq!(err.message(), Some("CreateUser returned empty success"));
    // The official text of an unhandled error, and the metadata as its source.
    assert_eq!(err.to_string(), "unhandled error (EmptyResponse)");
    let source = err.source().expect("the metadata is the source");
    assert_eq!(source.downcast_ref::<ErrorMetadata>(), Some(err.meta()));

    let bare = CreateUserError::generic(ErrorMetadata::builder().build());
    assert_eq!(bare.to_string(), "unhandled error");
    assert_eq!(bare.code(), None);
}

#[test]
fn try_parse_accepts_exactly_the_values_botocore_lists() {
    let path = e2e::repo_root().join("models/s3/service-2.json");
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let values = model["shapes"]["BucketLocationConstraint"]["enum"]
        .as_array()
        .expect("BucketLocationConstraint lists its values");
    assert!(values.len() > 30, "{values:?}");
    for value in values {
        let value = value.as_str().unwrap();
        let parsed =
            BucketLocationConstraint::try_parse(value).unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(parsed.as_str(), value);
        assert_eq!(parsed, BucketLocationConstraint::from(value));
    }
    for unknown in ["us-west-99", "eu", "", "US-EAST-2"] {
        assert!(!values.iter().any(|v| v == unknown));
        let err: UnknownVariantError = BucketLocationConstraint::try_parse(unknown).unwrap_err();
        // The official crates' message.
        assert_eq!(
            err.to_string(),
            format!("unknown enum variant: '{unknown}'")
        );
        // `from` keeps what `try_parse` refuses.
        assert_eq!(BucketLocationConstraint::from(unknown).as_str(), unknown);
    }
}
