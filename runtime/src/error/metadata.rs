//! Error metadata, construction errors and the full-context display, with the API of
//! `aws-smithy-types`' `error` module (the runtime's own types, so that crate and its
//! dependencies stay out of the default build).

use std::collections::HashMap;
use std::error::Error;
use std::fmt;

/// Access to an error's [`ErrorMetadata`]: code, message and extras such as the request id.
pub trait ProvideErrorMetadata {
    /// The error's metadata.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, if the service sent one.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message, if the service sent one.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// Metadata with nothing in it.
pub const EMPTY_ERROR_METADATA: ErrorMetadata = ErrorMetadata {
    code: None,
    message: None,
    extras: None,
};

/// What a service said about an error: its code and message, and extras (the request id,
/// for one). Modelled errors carry it, and so does the unhandled case of every error enum.
#[derive(Debug, Eq, PartialEq, Default, Clone)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    extras: Option<HashMap<&'static str, String>>,
}

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

/// Builder for [`ErrorMetadata`].
#[derive(Debug, Default)]
pub struct Builder {
    inner: ErrorMetadata,
}

impl Builder {
    /// Sets the message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    /// Sets the code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }

    /// Sets an extra field (for example the request id).
    pub fn custom(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.inner
            .extras
            .get_or_insert_with(HashMap::new)
            .insert(key, value.into());
        self
    }

    /// The metadata.
    pub fn build(self) -> ErrorMetadata {
        self.inner
    }
}

impl ErrorMetadata {
    /// The error code.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// An extra field, if present.
    pub fn extra(&self, key: &'static str) -> Option<&str> {
        self.extras.as_ref()?.get(key).map(String::as_str)
    }

    /// A builder.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A builder starting from this metadata.
    pub fn into_builder(self) -> Builder {
        Builder { inner: self }
    }
}

/// `Error { code: .., message: .., <extras sorted by key> }`.
impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Error");
        if let Some(code) = &self.code {
            out.field("code", code);
        }
        if let Some(message) = &self.message {
            out.field("message", message);
        }
        if let Some(extras) = &self.extras {
            let mut extras: Vec<_> = extras.iter().collect();
            extras.sort();
            for (key, value) in extras {
                out.field(key, value);
            }
        }
        out.finish()
    }
}

impl Error for ErrorMetadata {}

/// Displays an error with its whole chain of sources, then its `Debug` form:
/// `failed to construct request: region was missing: ... (ConstructionFailure(..))`.
pub struct DisplayErrorContext<E: Error>(
    /// The error to display.
    pub E,
);

impl<E: Error> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_chain(f, &self.0)?;
        write!(f, " ({:?})", self.0)
    }
}

impl<E: Error> fmt::Debug for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DisplayErrorContext").field(&self.0).finish()
    }
}

fn write_chain(f: &mut fmt::Formatter<'_>, err: &dyn Error) -> fmt::Result {
    write!(f, "{err}")?;
    let mut source = err.source();
    while let Some(err) = source {
        write!(f, ": {err}")?;
        source = err.source();
    }
    Ok(())
}

/// The given enum value failed to parse since it is not a known value (what a generated
/// string enum's `try_parse` returns for a value its model does not list).
#[derive(Debug)]
pub struct UnknownVariantError {
    value: String,
}

impl UnknownVariantError {
    /// An error for `value`, which is not one of the enum's values.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
        }
    }
}

impl fmt::Display for UnknownVariantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown enum variant: '{}'", self.value)
    }
}

impl Error for UnknownVariantError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_builder_and_display() {
        let meta = ErrorMetadata::builder()
            .code("Throttling")
            .message("slow down")
            .custom("z", "last")
            .custom("a", "first")
            .build();
        assert_eq!(meta.code(), Some("Throttling"));
        assert_eq!(meta.message(), Some("slow down"));
        assert_eq!(meta.extra("a"), Some("first"));
        assert_eq!(meta.extra("b"), None);
        assert_eq!(
            meta.to_string(),
            r#"Error { code: "Throttling", message: "slow down", a: "first", z: "last" }"#
        );
        assert_eq!(EMPTY_ERROR_METADATA.to_string(), "Error");
        assert_eq!(ErrorMetadata::default(), EMPTY_ERROR_METADATA);
        let again = meta.clone().into_builder().message("other").build();
        assert_eq!(
            (again.code(), again.message()),
            (Some("Throttling"), Some("other"))
        );
    }

    #[test]
    fn build_errors_and_context_display() {
        use crate::error::BuildError;
        let missing = BuildError::missing_field("region", "set `region`");
        assert_eq!(missing.to_string(), "region was missing: set `region`");
        let invalid = BuildError::invalid_field("tags", "too short");
        assert_eq!(
            invalid.to_string(),
            "invalid field in input: tags (details: too short)"
        );
        let other = BuildError::other(std::io::Error::other("disk"));
        let text = DisplayErrorContext(&other).to_string();
        assert!(
            text.starts_with("error during request construction: disk (BuildError { kind: Other("),
            "{text}"
        );
    }
}
