//! With the feature `official-types`, the runtime's `error::BuildError` and
//! `primitives::Blob` are aws-smithy-types' own, so code written for the official crates that
//! names those types (`.build().map_err(Error::BuildError)` and `.payload(Blob::new(..))` in the
//! official examples) compiles and runs against generated crates; the runtime builds them
//! through the same constructors. Without the feature this file is empty (the workspace run);
//! `cargo xtask test` runs it with the feature.
#![cfg(feature = "official-types")]

use aws_lite_runtime::error::{BuildError, SdkError};
use aws_lite_runtime::primitives::{Blob, base64};
use aws_lite_runtime::validate::{self, Path};
use aws_smithy_types::error::operation::BuildError as OfficialBuildError;

/// As the official DynamoDB examples write it: an error enum holding the official type, fed
/// from a `build()` that returns the runtime's.
#[derive(Debug)]
enum ExampleError {
    BuildError(OfficialBuildError),
}

fn build(missing: bool) -> Result<u32, BuildError> {
    if missing {
        Err(BuildError::missing_field(
            "attribute_name",
            "attribute_name was not specified",
        ))
    } else {
        Ok(1)
    }
}

#[test]
fn the_runtime_build_error_is_the_official_one() {
    assert_eq!(
        std::any::TypeId::of::<BuildError>(),
        std::any::TypeId::of::<OfficialBuildError>()
    );
    assert_eq!(build(false).map_err(ExampleError::BuildError).unwrap(), 1);
    let ExampleError::BuildError(err) = build(true).map_err(ExampleError::BuildError).unwrap_err();
    // The official Display, which the runtime's own type copies.
    assert_eq!(
        err.to_string(),
        "attribute_name was missing: attribute_name was not specified"
    );
}

#[test]
fn validation_failures_are_official_build_errors_naming_the_member() {
    let op = Path::operation("CreateTable");
    let list = op.member("GlobalSecondaryIndexes");
    let index = list.index(0);
    let at = index.member("Projection");
    let err: OfficialBuildError = validate::missing_member(&at);
    let text = err.to_string();
    assert!(
        text.contains("`GlobalSecondaryIndexes[0].Projection` is required"),
        "{text}"
    );
    let sdk: SdkError<std::convert::Infallible> = err.into();
    assert!(matches!(sdk, SdkError::ConstructionFailure(_)), "{sdk:?}");
}

#[test]
fn the_runtime_blob_is_the_official_one() {
    assert_eq!(
        std::any::TypeId::of::<Blob>(),
        std::any::TypeId::of::<aws_smithy_types::Blob>()
    );
    // The runtime's base64 codec reads and writes it as before.
    let blob = aws_smithy_types::Blob::new(b"hello".to_vec());
    assert_eq!(base64::encode(blob.as_ref()), "aGVsbG8=");
}
