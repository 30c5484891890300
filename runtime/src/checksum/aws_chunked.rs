//! The `aws-chunked` content encoding with a trailing checksum, as botocore's
//! `AwsChunkedWrapper` and the official SDK send a streaming body whose checksum cannot be known
//! before it is read:
//!
//! ```text
//! 10000\r\n<65,536 bytes>\r\n ... <hex length of the rest>\r\n<rest>\r\n0\r\n
//! x-amz-checksum-crc32:<base64 of the digest>\r\n\r\n
//! ```
//!
//! The body is cut into chunks of [`CHUNK_SIZE`] bytes (the last one shorter), so the encoded
//! length follows from the decoded length and is sent as `content-length` (S3 takes no
//! `transfer-encoding: chunked` upload). The request carries `content-encoding: aws-chunked`,
//! `x-amz-decoded-content-length`, `x-amz-trailer` and the payload hash
//! `STREAMING-UNSIGNED-PAYLOAD-TRAILER`. A body that ends before or runs past its stated length
//! fails the request with an error saying so.

use super::{ChecksumAlgorithm, Hasher};
use crate::http::{Body, BoxError};
use bytes::{Bytes, BytesMut};
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// The size of every chunk but the last (64 KiB: the memory a streamed upload holds stays
/// small).
pub(crate) const CHUNK_SIZE: usize = 64 * 1024;

/// A streaming body encoded as `aws-chunked` with its checksum in the trailer.
pub(crate) struct AwsChunked {
    inner: Body,
    algorithm: ChecksumAlgorithm,
    hasher: Option<Hasher>,
    /// Bytes read from `inner` that do not fill a chunk yet.
    pending: BytesMut,
    /// Encoded pieces ready to send.
    ready: VecDeque<Bytes>,
    /// The length `inner` must have, and what was read of it.
    decoded_length: u64,
    read: u64,
    done: bool,
}

impl AwsChunked {
    /// `inner` (of `decoded_length` bytes) encoded with the checksum `algorithm`.
    pub(crate) fn new(inner: Body, algorithm: ChecksumAlgorithm, decoded_length: u64) -> Self {
        Self {
            inner,
            algorithm,
            hasher: Some(Hasher::new(algorithm)),
            pending: BytesMut::new(),
            ready: VecDeque::new(),
            decoded_length,
            read: 0,
            done: false,
        }
    }

    /// The length of the encoding of `decoded_length` bytes with `algorithm`'s trailer.
    pub(crate) fn encoded_length(decoded_length: u64, algorithm: ChecksumAlgorithm) -> u64 {
        let chunk = |len: u64| format!("{len:x}").len() as u64 + 2 + len + 2;
        let size = CHUNK_SIZE as u64;
        let full = decoded_length / size * chunk(size);
        let rest = match decoded_length % size {
            0 => 0,
            rest => chunk(rest),
        };
        let digest = algorithm.digest(b"").len() as u64;
        let base64 = digest.div_ceil(3) * 4;
        // "0\r\n", "<name>:<base64>\r\n", "\r\n".
        full + rest + 3 + algorithm.header_name().len() as u64 + 1 + base64 + 2 + 2
    }

    fn push_chunk(&mut self, chunk: Bytes) {
        self.ready
            .push_back(Bytes::from(format!("{:x}\r\n", chunk.len())));
        self.ready.push_back(chunk);
        self.ready.push_back(Bytes::from_static(b"\r\n"));
    }

    /// Takes in one piece of the body: whole chunks are cut without copying when nothing is
    /// pending, the rest waits in `pending`.
    fn take(&mut self, mut data: Bytes) -> Result<(), BoxError> {
        self.read += data.len() as u64;
        if self.read > self.decoded_length {
            return Err(format!(
                "the request body is longer than its stated length of {} bytes",
                self.decoded_length
            )
            .into());
        }
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&data);
        }
        if !self.pending.is_empty() {
            let take = (CHUNK_SIZE - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data.split_to(take));
            if self.pending.len() < CHUNK_SIZE {
                return Ok(());
            }
            let chunk = self.pending.split().freeze();
            self.push_chunk(chunk);
        }
        while data.len() >= CHUNK_SIZE {
            let chunk = data.split_to(CHUNK_SIZE);
            self.push_chunk(chunk);
        }
        self.pending.extend_from_slice(&data);
        Ok(())
    }

    /// The end of the body: the last chunk, the empty chunk and the trailer.
    fn finish(&mut self) -> Result<(), BoxError> {
        if self.read != self.decoded_length {
            return Err(format!(
                "the request body ended after {} of its stated {} bytes",
                self.read, self.decoded_length
            )
            .into());
        }
        if !self.pending.is_empty() {
            let chunk = self.pending.split().freeze();
            self.push_chunk(chunk);
        }
        let digest = self.hasher.take().map(Hasher::finish).unwrap_or_default();
        let trailer = format!(
            "0\r\n{}:{}\r\n\r\n",
            self.algorithm.header_name(),
            crate::primitives::base64::encode(digest)
        );
        self.ready.push_back(Bytes::from(trailer));
        self.done = true;
        Ok(())
    }
}

impl http_body::Body for AwsChunked {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        loop {
            if let Some(piece) = this.ready.pop_front() {
                return Poll::Ready(Some(Ok(http_body::Frame::data(piece))));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let step = match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => this.take(data),
                    // Trailers of the inner body are not sent.
                    Err(_) => Ok(()),
                },
                Some(Err(err)) => Err(err),
                None => this.finish(),
            };
            if let Err(err) = step {
                this.done = true;
                this.ready.clear();
                return Poll::Ready(Some(Err(err)));
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done && self.ready.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(Self::encoded_length(self.decoded_length, self.algorithm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn encode(pieces: Vec<Vec<u8>>, length: u64, algorithm: ChecksumAlgorithm) -> Vec<u8> {
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            pieces.into_iter().map(|p| Ok(Bytes::from(p))).collect();
        let inner = Body::from_stream(futures_util_stream(chunks));
        let body = Body::from_http_body(AwsChunked::new(inner, algorithm, length));
        body.collect().await.expect("encodes").to_vec()
    }

    fn futures_util_stream(
        items: Vec<Result<Bytes, std::io::Error>>,
    ) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + Sync {
        struct Items(std::collections::VecDeque<Result<Bytes, std::io::Error>>);
        impl futures_core::Stream for Items {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                Poll::Ready(self.get_mut().0.pop_front())
            }
        }
        Items(items.into())
    }

    #[tokio::test]
    async fn small_body_one_chunk_and_the_trailer() {
        let out = encode(
            vec![b"hello ".to_vec(), b"world".to_vec()],
            11,
            ChecksumAlgorithm::Crc32,
        )
        .await;
        let checksum = ChecksumAlgorithm::Crc32.header_value(b"hello world");
        let expected = format!("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:{checksum}\r\n\r\n");
        assert_eq!(String::from_utf8(out.clone()).unwrap(), expected);
        assert_eq!(
            AwsChunked::encoded_length(11, ChecksumAlgorithm::Crc32),
            out.len() as u64
        );
    }

    #[tokio::test]
    async fn lengths_match_for_every_algorithm_and_chunk_boundary() {
        for algorithm in [
            ChecksumAlgorithm::Crc32,
            ChecksumAlgorithm::Crc32c,
            ChecksumAlgorithm::Crc64Nvme,
            ChecksumAlgorithm::Sha1,
            ChecksumAlgorithm::Sha256,
        ] {
            for length in [
                0,
                1,
                CHUNK_SIZE - 1,
                CHUNK_SIZE,
                CHUNK_SIZE + 1,
                3 * CHUNK_SIZE,
            ] {
                let data: Vec<u8> = (0..length).map(|i| (i % 251) as u8).collect();
                // Pieces of odd sizes, so chunks are cut across them.
                let pieces: Vec<Vec<u8>> = data.chunks(7_001).map(<[u8]>::to_vec).collect();
                let out = encode(pieces, length as u64, algorithm).await;
                assert_eq!(
                    out.len() as u64,
                    AwsChunked::encoded_length(length as u64, algorithm),
                    "{algorithm:?} {length}"
                );
                let trailer = format!(
                    "0\r\n{}:{}\r\n\r\n",
                    algorithm.header_name(),
                    algorithm.header_value(&data)
                );
                assert!(out.ends_with(trailer.as_bytes()), "{algorithm:?} {length}");
            }
        }
    }

    #[tokio::test]
    async fn a_body_of_the_wrong_length_is_an_error() {
        let short = Body::from_http_body(AwsChunked::new(
            Body::from_stream(futures_util_stream(vec![Ok(Bytes::from_static(b"abc"))])),
            ChecksumAlgorithm::Crc32,
            5,
        ));
        let err = short.collect().await.unwrap_err().to_string();
        assert!(err.contains("ended after 3 of its stated 5 bytes"), "{err}");
        let long = Body::from_http_body(AwsChunked::new(
            Body::from_stream(futures_util_stream(vec![Ok(Bytes::from_static(b"abcdef"))])),
            ChecksumAlgorithm::Crc32,
            5,
        ));
        let err = long.collect().await.unwrap_err().to_string();
        assert!(
            err.contains("longer than its stated length of 5 bytes"),
            "{err}"
        );
    }
}
