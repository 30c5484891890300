//! [`ByteStream`]: a body of binary data that is read (or sent) as it comes, with the official
//! SDK's API (`aws_smithy_types::byte_stream`) where users touch it.
//!
//! - Into a stream: `ByteStream::from(bytes)` (a `Vec<u8>`, [`Bytes`], `String`),
//!   [`ByteStream::from_static`], or a file with `ByteStream::from_path` /
//!   `ByteStream::read_from` (feature `rt-tokio`), which reads the file in chunks and never
//!   holds it whole. A stream read from a path is made again from the file when a request is
//!   retried.
//! - Out of a stream: chunk by chunk with [`next`](ByteStream::next) /
//!   [`try_next`](ByteStream::try_next), whole with [`collect`](ByteStream::collect) (then
//!   [`AggregatedBytes::into_bytes`]), or as a `tokio::io::AsyncBufRead` with
//!   `into_async_read` (feature `rt-tokio`).
//!
//! Differences from the official type: the inner body is the runtime's [`Body`] (the official
//! one is `SdkBody`), and errors name the file, offset and lengths at fault.

use crate::http::{Body, BoxError};
use bytes::{Buf, Bytes};
use std::fmt;

#[cfg(feature = "rt-tokio")]
mod fs;
#[cfg(feature = "rt-tokio")]
pub use fs::{FsBuilder, Length};

/// A stream of binary data: the body of a streaming request member (S3's `PutObject` body) or
/// of a streaming response member (`GetObject`'s). See the [module docs](self).
pub struct ByteStream {
    body: Body,
}

impl ByteStream {
    /// A stream over `body`.
    pub fn new(body: Body) -> Self {
        Self { body }
    }

    /// A stream over static bytes.
    pub fn from_static(bytes: &'static [u8]) -> Self {
        Self::new(Body::from(bytes))
    }

    /// The body this stream reads.
    pub fn into_inner(self) -> Body {
        self.body
    }

    /// The next chunk, `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<Bytes, error::Error>> {
        self.body
            .next_chunk()
            .await
            .map(|chunk| chunk.map_err(error::Error::streaming))
    }

    /// The next chunk, `Ok(None)` at the end of the stream.
    pub async fn try_next(&mut self) -> Result<Option<Bytes>, error::Error> {
        self.next().await.transpose()
    }

    /// The bytes, when the stream is held in memory (not for a file or a response being
    /// read).
    pub fn bytes(&self) -> Option<&[u8]> {
        self.body.bytes()
    }

    /// Lower and upper bound of the remaining length, as `http_body::SizeHint` gives them.
    pub fn size_hint(&self) -> (u64, Option<u64>) {
        let hint = http_body::Body::size_hint(&self.body);
        (hint.lower(), hint.upper())
    }

    /// Reads the whole stream into memory.
    pub async fn collect(mut self) -> Result<AggregatedBytes, error::Error> {
        let mut segments = Vec::new();
        while let Some(chunk) = self.try_next().await? {
            if !chunk.is_empty() {
                segments.push(chunk);
            }
        }
        Ok(AggregatedBytes::new(segments))
    }

    /// A builder reading a file: a whole file, or `length` bytes from `offset` (feature
    /// `rt-tokio`).
    #[cfg(feature = "rt-tokio")]
    pub fn read_from() -> FsBuilder {
        FsBuilder::new()
    }

    /// A stream reading the file at `path` in chunks (feature `rt-tokio`). Its length is
    /// known (a request sends it as `content-length`), and a request with it can be retried:
    /// the file is read again from its start.
    #[cfg(feature = "rt-tokio")]
    pub async fn from_path(path: impl AsRef<std::path::Path>) -> Result<ByteStream, error::Error> {
        FsBuilder::new().path(path).build().await
    }

    /// The stream as a `tokio::io::AsyncBufRead` (feature `rt-tokio`).
    #[cfg(feature = "rt-tokio")]
    pub fn into_async_read(self) -> impl tokio::io::AsyncBufRead + Send + Sync + Unpin {
        fs::AsyncReader::new(self.body)
    }

    /// The stream with its body transformed by `f`.
    pub fn map(self, f: impl Fn(Body) -> Body) -> ByteStream {
        ByteStream::new(f(self.body))
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        Self::new(Body::empty())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("body", &self.body)
            .finish()
    }
}

impl From<Body> for ByteStream {
    fn from(body: Body) -> Self {
        Self::new(body)
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        Self::new(Body::from(bytes))
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(Body::from(bytes))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::new(Body::from(text))
    }
}

impl From<ByteStream> for Body {
    fn from(stream: ByteStream) -> Self {
        stream.body
    }
}

/// A whole stream in memory, as the chunks it was read in ([`ByteStream::collect`]); a
/// `bytes::Buf`.
#[derive(Debug, Clone, Default)]
pub struct AggregatedBytes {
    /// Non-empty chunks, in order; the first is consumed from its front by `Buf::advance`.
    segments: std::collections::VecDeque<Bytes>,
}

impl AggregatedBytes {
    fn new(segments: Vec<Bytes>) -> Self {
        Self {
            segments: segments.into(),
        }
    }

    /// The bytes in one buffer (no copy when the stream came in one chunk).
    pub fn into_bytes(mut self) -> Bytes {
        match self.segments.len() {
            0 => Bytes::new(),
            1 => self.segments.pop_front().unwrap_or_default(),
            _ => Bytes::from(self.to_vec()),
        }
    }

    /// The chunks the stream was read in.
    pub fn into_segments(self) -> impl Iterator<Item = Bytes> {
        self.segments.into_iter()
    }

    /// The bytes in a `Vec`.
    pub fn to_vec(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.remaining());
        for segment in &self.segments {
            out.extend_from_slice(segment);
        }
        out
    }
}

impl Buf for AggregatedBytes {
    fn remaining(&self) -> usize {
        self.segments.iter().map(Bytes::len).sum()
    }

    fn chunk(&self) -> &[u8] {
        self.segments.front().map_or(&[], |b| b.as_ref())
    }

    fn advance(&mut self, mut cnt: usize) {
        while cnt > 0 {
            let Some(front) = self.segments.front_mut() else {
                panic!("advance past the end of AggregatedBytes");
            };
            if cnt < front.len() {
                front.advance(cnt);
                return;
            }
            cnt -= front.len();
            self.segments.pop_front();
        }
    }
}

/// Errors of reading a [`ByteStream`] or building one from a file.
pub mod error {
    use super::BoxError;

    /// Why a [`ByteStream`](super::ByteStream) could not be built or read.
    #[derive(Debug, thiserror::Error)]
    #[error("{kind}")]
    pub struct Error {
        kind: Kind,
    }

    // Without `rt-tokio` only streaming errors exist.
    #[derive(Debug, thiserror::Error)]
    #[cfg_attr(not(feature = "rt-tokio"), allow(dead_code))]
    pub(super) enum Kind {
        #[error("reading the byte stream failed: {0}")]
        Streaming(#[source] BoxError),
        #[error("{what} {path}: {source}")]
        Io {
            what: &'static str,
            path: String,
            #[source]
            source: std::io::Error,
        },
        #[error("offset {offset} is past the end of {path} ({file_length} bytes)")]
        OffsetPastEnd {
            path: String,
            offset: u64,
            file_length: u64,
        },
        #[error("a file stream was given both a path and an open file; set only one")]
        PathAndFile,
        #[error("a file stream was given neither a path nor an open file")]
        NoSource,
        #[error(
            "{path} ended after {read} of the {length} bytes to read from offset {offset}: \
             it got shorter while it was read"
        )]
        Shrunk {
            path: String,
            offset: u64,
            length: u64,
            read: u64,
        },
        #[error(
            "{path} has {available} bytes from offset {offset}, fewer than the exact length \
             {length} asked for"
        )]
        LengthPastEnd {
            path: String,
            offset: u64,
            length: u64,
            available: u64,
        },
    }

    impl Error {
        pub(super) fn streaming(err: BoxError) -> Self {
            Self {
                kind: Kind::Streaming(err),
            }
        }
    }

    impl From<Kind> for Error {
        fn from(kind: Kind) -> Self {
            Self { kind }
        }
    }

    impl From<Error> for std::io::Error {
        fn from(err: Error) -> Self {
            match err.kind {
                Kind::Io { source, .. } => source,
                kind => std::io::Error::other(Error { kind }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_come_out_in_order_and_collect_whole() {
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"ab")),
            Ok(Bytes::new()),
            Ok(Bytes::from_static(b"cde")),
        ];
        let body = Body::from_stream(Stream(chunks.into_iter()));
        let mut stream = ByteStream::new(body);
        assert_eq!(stream.bytes(), None, "a stream is not in memory");
        assert_eq!(stream.try_next().await.unwrap().as_deref(), Some(&b"ab"[..]));
        let rest = stream.collect().await.unwrap();
        assert_eq!(rest.remaining(), 3);
        assert_eq!(rest.into_bytes(), &b"cde"[..]);

        let stream = ByteStream::from(vec![1, 2, 3]);
        assert_eq!(stream.bytes(), Some(&[1, 2, 3][..]));
        assert_eq!(stream.size_hint(), (3, Some(3)));
        assert_eq!(stream.collect().await.unwrap().to_vec(), [1, 2, 3]);
        let empty = ByteStream::default().collect().await.unwrap();
        assert_eq!(empty.into_bytes(), Bytes::new());
    }

    #[tokio::test]
    async fn a_failing_chunk_is_a_streaming_error() {
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"ab")),
            Err(std::io::Error::other("connection reset")),
        ];
        let stream = ByteStream::new(Body::from_stream(Stream(chunks.into_iter())));
        let err = stream.collect().await.unwrap_err();
        assert!(
            err.to_string().contains("connection reset"),
            "the cause is named: {err}"
        );
    }

    #[test]
    fn aggregated_bytes_is_a_buf_across_segments() {
        let mut agg = AggregatedBytes::new(vec![
            Bytes::from_static(b"abc"),
            Bytes::from_static(b"de"),
        ]);
        assert_eq!(agg.chunk(), b"abc");
        agg.advance(4);
        assert_eq!(agg.chunk(), b"e");
        assert_eq!(agg.remaining(), 1);
        assert_eq!(agg.clone().into_bytes(), &b"e"[..]);
        agg.advance(1);
        assert_eq!(agg.remaining(), 0);
        assert_eq!(agg.chunk(), b"");
    }

    /// A stream over an iterator of chunks.
    struct Stream<I>(I);

    impl<I: Iterator<Item = Result<Bytes, std::io::Error>> + Unpin> futures_core::Stream for Stream<I> {
        type Item = I::Item;

        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.get_mut().0.next())
        }
    }
}
