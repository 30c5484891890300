//! Primitive types used in generated shapes, as in the official SDK's `primitives` modules:
//! [`DateTime`], [`Blob`] and [`ByteStream`] (streaming payloads), and the base64 codec for
//! blobs in JSON.
//!
//! These are the runtime's own, with the API and behaviour of `aws-smithy-types` 1.9.3 (which
//! would bring `time`, `base64-simd` and ten more crates into every build): differential tests
//! (`runtime/tests/primitives_*.rs`) run formatting, parsing and conversions of both over
//! property-generated and hand-picked inputs. The few inputs where `aws-smithy-types` panics
//! give a value or an error here instead; each is documented on its function.

pub mod base64;
#[cfg(not(feature = "official-types"))]
pub mod blob;
pub mod byte_stream;
pub mod date_time;

/// With the feature `official-types`, aws-smithy-types' own `Blob` (the same API).
#[cfg(feature = "official-types")]
pub use aws_smithy_types::Blob;
#[cfg(not(feature = "official-types"))]
pub use blob::Blob;
#[cfg(feature = "rt-tokio")]
pub use byte_stream::Length;
pub use byte_stream::{AggregatedBytes, ByteStream};
pub use date_time::{DateTime, Format as DateTimeFormat};

/// Conversions from and to `aws-smithy-types`' values (the official SDK's), for programs that
/// use both.
#[cfg(feature = "aws-config")]
mod aws_smithy_types_bridge {
    use super::{Blob, DateTime};

    impl From<aws_smithy_types::DateTime> for DateTime {
        fn from(value: aws_smithy_types::DateTime) -> Self {
            DateTime::from_secs_and_nanos(value.secs(), value.subsec_nanos())
        }
    }

    impl From<DateTime> for aws_smithy_types::DateTime {
        fn from(value: DateTime) -> Self {
            // Our subsecond nanos are always below one second.
            aws_smithy_types::DateTime::from_secs_and_nanos(value.secs(), value.subsec_nanos())
        }
    }

    #[cfg(not(feature = "official-types"))]
    impl From<aws_smithy_types::Blob> for Blob {
        fn from(value: aws_smithy_types::Blob) -> Self {
            Blob::new(value.into_inner())
        }
    }

    #[cfg(not(feature = "official-types"))]
    impl From<Blob> for aws_smithy_types::Blob {
        fn from(value: Blob) -> Self {
            aws_smithy_types::Blob::new(value.into_inner())
        }
    }
}
