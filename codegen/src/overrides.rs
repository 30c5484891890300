//! Where botocore's JSON model says less than the official SDK's Smithy model, the few
//! additions that make the generated types match the official crate's. Applied once, after
//! parsing, by service id; each one is listed here with its reason.
//!
//! - S3: `HeadObject` and `HeadBucket` also fail with `NotFound` (a 404 without a body,
//!   since HEAD responses have none), as in the Smithy model the official `aws-sdk-s3` is
//!   generated from; botocore lists only `NoSuchKey`/`NoSuchBucket` and users of botocore
//!   see the code `404`.

use crate::model::{Model, Shape, ShapeRef};

/// Applies the overrides of the model's service, if any.
pub fn apply(model: &mut Model) {
    if model.metadata.service_id.as_deref() == Some("S3") {
        s3_not_found(model);
    }
}

fn s3_not_found(model: &mut Model) {
    let shape: Shape = serde_json::from_value(serde_json::json!({
        "type": "structure",
        "members": {},
        "documentation": "<p>The specified content does not exist.</p>",
        "error": {"httpStatusCode": 404},
        "exception": true
    }))
    .expect("a valid shape");
    model.shapes.entry("NotFound".to_string()).or_insert(shape);
    for op in ["HeadObject", "HeadBucket"] {
        if let Some(operation) = model.operations.get_mut(op)
            && !operation.errors.iter().any(|e| e.shape == "NotFound")
        {
            let not_found: ShapeRef =
                serde_json::from_value(serde_json::json!({"shape": "NotFound"}))
                    .expect("a valid shape reference");
            operation.errors.push(not_found);
        }
    }
}
