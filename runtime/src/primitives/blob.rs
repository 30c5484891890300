//! Binary blob type (replacement for `aws_smithy_types::Blob`).

use std::any::Any;
use std::fmt;

/// Binary Blob Type
///
/// Blobs represent protocol-agnostic binary content.
///
/// The [`fmt::Debug`] and [`fmt::Display`] implementations render the contents
/// as a lowercase hex-encoded string.
#[derive(Default, PartialEq, Eq, Hash, Clone)]
pub struct Blob {
    inner: Vec<u8>,
}

/// Renders a byte slice as lowercase hex.
struct Hex<'b>(&'b [u8]);

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blob")
            .field("inner", &Hex(&self.inner))
            .finish()
    }
}

impl fmt::Display for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&Hex(&self.inner), f)
    }
}

impl Blob {
    /// Creates a new blob from the given `input`.
    pub fn new<T: Into<Vec<u8>>>(input: T) -> Self {
        Blob {
            inner: input.into(),
        }
    }

    /// Creates a new blob, reusing the allocation of `input` when it is a `Vec<u8>`
    /// (otherwise its bytes are copied).
    pub fn from_maybe_shared<T: AsRef<[u8]> + 'static>(input: T) -> Self {
        let mut input = Some(input);
        if let Some(vec) = (&mut input as &mut dyn Any).downcast_mut::<Option<Vec<u8>>>()
            && let Some(vec) = vec.take()
        {
            return Blob { inner: vec };
        }
        Blob {
            inner: input
                .as_ref()
                .map(|i| i.as_ref().to_vec())
                .unwrap_or_default(),
        }
    }

    /// Consumes the `Blob` and returns a `Vec<u8>` with its contents.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(value: Vec<u8>) -> Self {
        Blob::new(value)
    }
}

impl From<Blob> for Vec<u8> {
    fn from(value: Blob) -> Self {
        value.into_inner()
    }
}

impl From<&[u8]> for Blob {
    fn from(value: &[u8]) -> Self {
        Blob::new(value)
    }
}

#[cfg(test)]
mod test {
    use super::Blob;

    #[test]
    fn conversions_and_formatting() {
        let blob: Blob = (&[1u8, 2, 3][..]).into();
        assert_eq!(Vec::from(blob.clone()), vec![1, 2, 3]);
        assert_eq!(blob.as_ref(), &[1, 2, 3]);
        assert_eq!(format!("{blob}"), "010203");
        assert_eq!(format!("{blob:?}"), "Blob { inner: 010203 }");
        assert_eq!(format!("{:?}", Blob::default()), "Blob { inner:  }");
        let v = vec![9u8; 4];
        let ptr = v.as_ptr();
        let blob = Blob::from_maybe_shared(v);
        let inner = blob.into_inner();
        assert_eq!(inner.as_ptr(), ptr);
        assert_eq!(Blob::from_maybe_shared("ab").as_ref(), b"ab");
    }
}
