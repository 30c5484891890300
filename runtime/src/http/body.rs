//! [`Body`]: the body of an [`HttpRequest`](super::HttpRequest) or
//! [`HttpResponse`](super::HttpResponse), either bytes in memory or a stream of chunks.

use super::BoxError;
use bytes::Bytes;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A boxed `http_body::Body` of [`Bytes`] chunks, as a streaming [`Body`] holds it.
type BoxBody = Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send + Sync>>;

/// The body of a request or response: bytes in memory, or a stream of chunks that is read
/// (or sent) as it comes and never held whole.
///
/// - Buffered bodies come from `Vec<u8>`, [`Bytes`], `String` and static slices
///   (`Body::from(..)`); [`bytes`](Body::bytes) reads them without copying, and
///   [`try_clone`](Body::try_clone) clones them, so a request with one can be retried.
/// - Streaming bodies come from [`Body::from_stream`] (a `Stream` of `Result<Bytes, _>`) or
///   [`Body::from_http_body`] (any `http_body::Body`, e.g. a `hyper::body::Incoming`). They cannot be
///   cloned, so a request with one is sent once and never retried, unless it was made with
///   [`Body::replayable`] (a file, made again from its start for each attempt); the default HTTP client
///   sends them with `transfer-encoding: chunked` unless their length is known, and gives
///   response bodies back as a stream.
///
/// Read a body chunk by chunk with [`next_chunk`](Body::next_chunk) (or as a
/// `futures_core::Stream`), or whole with [`collect`](Body::collect). `Body` is also an
/// `http_body::Body`, so any HTTP stack can send it.
pub struct Body {
    inner: Inner,
    /// Makes the same streaming body again from its start (a file, say): such a body can be
    /// cloned, so a request with it can be retried.
    replay: Option<Replay>,
}

/// See [`Body::replayable`].
type Replay = std::sync::Arc<dyn Fn() -> Body + Send + Sync>;

enum Inner {
    Buffered(Bytes),
    Streaming(BoxBody),
}

impl Body {
    /// An empty (buffered) body.
    pub fn empty() -> Self {
        Self::from(Bytes::new())
    }

    /// A streaming body from a stream of chunks; an `Err` item ends the body with that error
    /// (the request fails, or the reader of a response gets the error).
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send + Sync + 'static,
        E: Into<BoxError>,
    {
        Self {
            inner: Inner::Streaming(Box::pin(StreamAdapter(Box::pin(stream)))),
            replay: None,
        }
    }

    /// A streaming body from any `http_body::Body` (its trailers are ignored).
    pub fn from_http_body<B>(body: B) -> Self
    where
        B: http_body::Body + Send + Sync + 'static,
        B::Data: Into<Bytes>,
        B::Error: Into<BoxError>,
    {
        Self {
            inner: Inner::Streaming(Box::pin(HttpBodyAdapter(Box::pin(body)))),
            replay: None,
        }
    }

    /// A streaming body that `make` can make again from its start (reopening a file, say):
    /// unlike other streaming bodies it can be cloned ([`try_clone`](Body::try_clone) calls
    /// `make`), so a request with it can be retried. `make` is called once here.
    pub fn replayable(make: impl Fn() -> Body + Send + Sync + 'static) -> Self {
        let mut body = make();
        body.replay = Some(std::sync::Arc::new(make));
        body
    }

    /// This body made into another by `wrap` (an encoding, say); a replayable body stays
    /// replayable, each replay wrapped the same way.
    pub(crate) fn wrapped(mut self, wrap: impl Fn(Body) -> Body + Send + Sync + 'static) -> Body {
        let replay = self.replay.take();
        let mut body = wrap(self);
        if let Some(replay) = replay {
            let wrap = std::sync::Arc::new(wrap);
            body.replay = Some(std::sync::Arc::new(move || wrap(replay())));
        }
        body
    }

    /// The bytes of a buffered body; `None` for a streaming one (read it with
    /// [`next_chunk`](Body::next_chunk) or [`collect`](Body::collect)).
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Buffered(bytes) => Some(bytes),
            Inner::Streaming(_) => None,
        }
    }

    /// The bytes of a buffered body, or the streaming body itself back.
    pub fn into_bytes(self) -> Result<Bytes, Body> {
        match self.inner {
            Inner::Buffered(bytes) => Ok(bytes),
            inner @ Inner::Streaming(_) => Err(Body {
                inner,
                replay: self.replay,
            }),
        }
    }

    /// True for a streaming body.
    pub fn is_streaming(&self) -> bool {
        matches!(self.inner, Inner::Streaming(_))
    }

    /// The length in bytes when it is known: always for a buffered body, for a streaming one
    /// when its source says (`http_body::Body::size_hint` is exact).
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Buffered(bytes) => u64::try_from(bytes.len()).ok(),
            Inner::Streaming(body) => body.size_hint().exact(),
        }
    }

    /// A copy of a buffered body (cheap: the bytes are shared), or a replayable streaming
    /// body made again from its start; `None` for another streaming body, which can be read
    /// only once. The orchestrator retries a request only when its body can be cloned.
    pub fn try_clone(&self) -> Option<Body> {
        match (&self.inner, &self.replay) {
            (Inner::Buffered(bytes), _) => Some(Self::from(bytes.clone())),
            (Inner::Streaming(_), Some(replay)) => {
                let mut body = replay();
                body.replay = Some(std::sync::Arc::clone(replay));
                Some(body)
            }
            (Inner::Streaming(_), None) => None,
        }
    }

    /// Whether [`try_clone`](Body::try_clone) gives a copy: a buffered body, or a streaming
    /// one made with [`Body::replayable`].
    pub fn is_replayable(&self) -> bool {
        matches!(self.inner, Inner::Buffered(_)) || self.replay.is_some()
    }

    /// The next chunk of the body, `None` at its end. A buffered body is one chunk (none when
    /// empty).
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, BoxError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_chunk(cx)).await
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes, BoxError> {
        if let Inner::Buffered(bytes) = self.inner {
            return Ok(bytes);
        }
        let mut out = Vec::new();
        while let Some(chunk) = self.next_chunk().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(out))
    }

    /// This body with a streaming body read into memory (a buffered one is returned as is).
    pub async fn buffered(self) -> Result<Body, BoxError> {
        self.collect().await.map(Body::from)
    }

    fn poll_chunk(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, BoxError>>> {
        match &mut self.inner {
            Inner::Buffered(bytes) if bytes.is_empty() => Poll::Ready(None),
            Inner::Buffered(bytes) => Poll::Ready(Some(Ok(std::mem::take(bytes)))),
            Inner::Streaming(body) => loop {
                match body.as_mut().poll_frame(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                    // Trailers are skipped.
                    Poll::Ready(Some(Ok(frame))) => {
                        if let Ok(data) = frame.into_data() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
            },
        }
    }
}

impl Default for Body {
    fn default() -> Self {
        Self::empty()
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self {
            inner: Inner::Buffered(bytes),
            replay: None,
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self::from(Bytes::from(text))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Self::from(Bytes::from_static(text.as_bytes()))
    }
}

/// A buffered body equals the same bytes; a streaming body equals none (its bytes are not
/// known without reading it).
impl<T: AsRef<[u8]> + ?Sized> PartialEq<T> for Body {
    fn eq(&self, other: &T) -> bool {
        self.bytes() == Some(other.as_ref())
    }
}

/// A buffered body shows as text (lossy UTF-8), a streaming one as `<stream>`.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Buffered(bytes) => fmt::Debug::fmt(&String::from_utf8_lossy(bytes), f),
            Inner::Streaming(_) => f.write_str("<stream>"),
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        self.poll_chunk(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Buffered(bytes) => bytes.is_empty(),
            Inner::Streaming(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.inner {
            Inner::Buffered(bytes) => http_body::SizeHint::with_exact(bytes.len() as u64),
            Inner::Streaming(body) => body.size_hint(),
        }
    }
}

impl futures_core::Stream for Body {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_chunk(cx)
    }
}

/// A `Stream` of chunks as an `http_body::Body` (boxed, so the adapter is `Unpin`).
struct StreamAdapter<S>(Pin<Box<S>>);

impl<S, E> http_body::Body for StreamAdapter<S>
where
    S: futures_core::Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        self.get_mut()
            .0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map(http_body::Frame::data).map_err(Into::into)))
    }
}

/// An `http_body::Body` with its data turned into [`Bytes`] and its error boxed (boxed, so
/// the adapter is `Unpin`).
struct HttpBodyAdapter<B>(Pin<Box<B>>);

impl<B> http_body::Body for HttpBodyAdapter<B>
where
    B: http_body::Body,
    B::Data: Into<Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        self.get_mut().0.as_mut().poll_frame(cx).map(|frame| {
            frame.map(|frame| {
                frame
                    .map(|frame| frame.map_data(Into::into))
                    .map_err(Into::into)
            })
        })
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.0.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// A stream of canned chunks.
    struct Chunks(VecDeque<Result<Bytes, std::io::Error>>);

    impl futures_core::Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;

        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.get_mut().0.pop_front())
        }
    }

    fn stream(chunks: &[&'static str]) -> Body {
        Body::from_stream(Chunks(
            chunks
                .iter()
                .map(|c| Ok(Bytes::from_static(c.as_bytes())))
                .collect(),
        ))
    }

    #[tokio::test]
    async fn buffered_bodies_are_bytes_clonable_and_one_chunk() {
        let body = Body::from(b"hello".to_vec());
        assert_eq!(body.bytes(), Some(&b"hello"[..]));
        assert_eq!(body.content_length(), Some(5));
        assert!(!body.is_streaming());
        assert!(body == b"hello" && body != b"other");
        assert_eq!(format!("{body:?}"), r#""hello""#);
        let copy = body.try_clone().expect("a buffered body clones");
        assert_eq!(copy.bytes(), Some(&b"hello"[..]));
        let mut body = body;
        assert_eq!(
            body.next_chunk().await.map(Result::ok),
            Some(Some(Bytes::from_static(b"hello")))
        );
        assert!(body.next_chunk().await.is_none());
        assert!(Body::empty().next_chunk().await.is_none());
        assert_eq!(
            copy.collect().await.ok(),
            Some(Bytes::from_static(b"hello"))
        );
        assert_eq!(Body::from("text").content_length(), Some(4));
    }

    #[tokio::test]
    async fn streaming_bodies_are_read_chunk_by_chunk_once() {
        let mut body = stream(&["ab", "", "cd"]);
        assert!(body.is_streaming());
        assert_eq!(body.bytes(), None);
        assert_eq!(
            body.content_length(),
            None,
            "a stream's length is not known"
        );
        assert!(body.try_clone().is_none(), "a stream cannot be read twice");
        assert!(body != b"abcd", "a stream equals no bytes");
        assert_eq!(format!("{body:?}"), "<stream>");
        let mut chunks = Vec::new();
        while let Some(chunk) = body.next_chunk().await {
            chunks.push(chunk.expect("no error"));
        }
        assert_eq!(chunks, ["ab", "", "cd"]);
        assert_eq!(
            stream(&["ab", "cd"]).collect().await.ok(),
            Some(Bytes::from_static(b"abcd"))
        );
        let buffered = stream(&["x", "y"]).buffered().await.expect("reads");
        assert_eq!(buffered.bytes(), Some(&b"xy"[..]));
        let body = stream(&["x"]);
        assert!(body.into_bytes().is_err_and(|back| back.is_streaming()));
    }

    #[tokio::test]
    async fn a_failing_stream_ends_with_its_error() {
        let body = Body::from_stream(Chunks(VecDeque::from([
            Ok(Bytes::from_static(b"part")),
            Err(std::io::Error::other("disk gone")),
        ])));
        let err = body.collect().await.expect_err("the error comes through");
        assert_eq!(err.to_string(), "disk gone");
    }

    #[tokio::test]
    async fn http_bodies_keep_their_length_and_are_http_bodies() {
        // A buffered `Body` is itself an `http_body::Body` of known length.
        let wrapped = Body::from_http_body(Body::from("four"));
        assert!(wrapped.is_streaming());
        assert_eq!(wrapped.content_length(), Some(4));
        assert!(!http_body::Body::is_end_stream(&wrapped));
        assert_eq!(
            wrapped.collect().await.ok(),
            Some(Bytes::from_static(b"four"))
        );
        assert!(http_body::Body::is_end_stream(&Body::empty()));
    }
}
