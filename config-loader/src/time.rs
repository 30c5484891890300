//! Timestamps in credentials responses.

use aws_lite_runtime::primitives::{DateTime, DateTimeFormat};
use std::time::SystemTime;

/// An RFC 3339 / ISO 8601 timestamp (`2021-09-21T04:16:53Z`) as a `SystemTime`.
pub(crate) fn parse_rfc3339(text: &str) -> Result<SystemTime, String> {
    let parsed = DateTime::from_str(text.trim(), DateTimeFormat::DateTime)
        .map_err(|e| format!("`{text}` is not an RFC 3339 timestamp: {e}"))?;
    SystemTime::try_from(parsed).map_err(|e| format!("`{text}` is out of range: {e}"))
}
