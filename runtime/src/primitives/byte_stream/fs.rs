//! Streams read from files, and a stream as a `tokio::io::AsyncBufRead` (feature `rt-tokio`).

use super::ByteStream;
use super::error::{Error, Kind};
use crate::http::{Body, BoxError};
use bytes::{Buf, Bytes};
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The default size of one read from a file, and so of one chunk: 64 KiB.
const DEFAULT_BUFFER_SIZE: usize = 64 * 1024;

/// How much of a file [`FsBuilder`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Length {
    /// Exactly this many bytes: building fails when the file has fewer from the offset.
    Exact(u64),
    /// At most this many bytes: fewer when the file ends first.
    UpTo(u64),
}

/// Builds a [`ByteStream`] that reads a file, or part of one ([`ByteStream::read_from`]).
#[derive(Debug)]
pub struct FsBuilder {
    path: Option<PathBuf>,
    file: Option<tokio::fs::File>,
    offset: u64,
    length: Option<Length>,
    buffer_size: usize,
}

impl Default for FsBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl FsBuilder {
    /// A builder with nothing to read yet: set [`path`](Self::path) or [`file`](Self::file).
    pub fn new() -> Self {
        Self {
            path: None,
            file: None,
            offset: 0,
            length: None,
            buffer_size: DEFAULT_BUFFER_SIZE,
        }
    }

    /// Reads the file at `path`. The stream can be made again (a request with it can be
    /// retried): the file is opened anew at the offset.
    pub fn path(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Reads from an open file; such a stream cannot be made again, so a request with it is
    /// sent once.
    pub fn file(mut self, file: tokio::fs::File) -> Self {
        self.file = Some(file);
        self
    }

    /// Reads from byte `offset` of the file (default 0).
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = offset;
        self
    }

    /// Reads this much of the file (default: to its end).
    pub fn length(mut self, length: Length) -> Self {
        self.length = Some(length);
        self
    }

    /// The size of one read, and so of one chunk (default 64 KiB; at least 1).
    pub fn buffer_size(mut self, buffer_size: usize) -> Self {
        self.buffer_size = buffer_size.max(1);
        self
    }

    /// Checks the file's length against offset and length, and makes the stream. Its length
    /// is known, so a request sends it with `content-length`.
    pub async fn build(self) -> Result<ByteStream, Error> {
        let source = match (self.path, self.file) {
            (Some(_), Some(_)) => return Err(Kind::PathAndFile.into()),
            (None, None) => return Err(Kind::NoSource.into()),
            (Some(path), None) => Source::Path(path),
            (None, Some(file)) => Source::File(file),
        };
        let name = source.name();
        let file_length = match &source {
            Source::Path(path) => tokio::fs::metadata(path).await,
            Source::File(file) => file.metadata().await,
        }
        .map_err(|source| Kind::Io {
            what: "cannot read the length of",
            path: name.clone(),
            source,
        })?
        .len();
        let offset = self.offset;
        let Some(available) = file_length.checked_sub(offset) else {
            return Err(Kind::OffsetPastEnd {
                path: name,
                offset,
                file_length,
            }
            .into());
        };
        let length = match self.length {
            None => available,
            Some(Length::UpTo(length)) => length.min(available),
            Some(Length::Exact(length)) if length <= available => length,
            Some(Length::Exact(length)) => {
                return Err(Kind::LengthPastEnd {
                    path: name,
                    offset,
                    length,
                    available,
                }
                .into());
            }
        };
        let part = Part {
            name: Arc::from(name),
            offset,
            length,
            buffer_size: self.buffer_size,
        };
        let body = match source {
            Source::Path(path) => {
                let path: Arc<Path> = Arc::from(path);
                Body::replayable(move || part.open(&path))
            }
            Source::File(file) => {
                let file = file.into_std().await;
                part.body(seek(file, offset).map(tokio::fs::File::from_std))
            }
        };
        Ok(ByteStream::new(body))
    }
}

enum Source {
    Path(PathBuf),
    File(tokio::fs::File),
}

impl Source {
    /// The file's name in errors.
    fn name(&self) -> String {
        match self {
            Source::Path(path) => path.display().to_string(),
            Source::File(_) => "the file".to_owned(),
        }
    }
}

fn seek(mut file: std::fs::File, offset: u64) -> std::io::Result<std::fs::File> {
    file.seek(SeekFrom::Start(offset))?;
    Ok(file)
}

/// What to read of a file.
#[derive(Clone)]
struct Part {
    name: Arc<str>,
    offset: u64,
    length: u64,
    buffer_size: usize,
}

impl Part {
    /// The body reading this part of the file at `path`, opened now (an error opening it is
    /// the body's first and only item).
    fn open(&self, path: &Path) -> Body {
        let file = std::fs::File::open(path).and_then(|file| seek(file, self.offset));
        self.body(file.map(tokio::fs::File::from_std))
    }

    fn body(&self, file: std::io::Result<tokio::fs::File>) -> Body {
        let (file, error) = match file {
            Ok(file) => (Some(file), None),
            Err(err) => (None, Some(err)),
        };
        Body::from_http_body(FileBody {
            file,
            error,
            part: self.clone(),
            remaining: self.length,
            buf: Vec::new(),
        })
    }
}

/// `length` bytes of a file, read `buffer_size` at a time.
struct FileBody {
    file: Option<tokio::fs::File>,
    /// Why the file could not be opened: the first item.
    error: Option<std::io::Error>,
    part: Part,
    remaining: u64,
    /// The buffer of the read in progress (kept across `Pending`).
    buf: Vec<u8>,
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if let Some(source) = this.error.take() {
            this.remaining = 0;
            let err = Error::from(Kind::Io {
                what: "cannot open",
                path: this.part.name.to_string(),
                source,
            });
            return Poll::Ready(Some(Err(err.into())));
        }
        let Some(file) = this.file.as_mut() else {
            return Poll::Ready(None);
        };
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let want = usize::try_from(this.remaining)
            .unwrap_or(usize::MAX)
            .min(this.part.buffer_size);
        this.buf.resize(want, 0);
        let mut read_buf = tokio::io::ReadBuf::new(&mut this.buf);
        match tokio::io::AsyncRead::poll_read(Pin::new(file), cx, &mut read_buf) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(source)) => {
                this.remaining = 0;
                let err = Error::from(Kind::Io {
                    what: "cannot read",
                    path: this.part.name.to_string(),
                    source,
                });
                Poll::Ready(Some(Err(err.into())))
            }
            Poll::Ready(Ok(())) => {
                let n = read_buf.filled().len();
                if n == 0 {
                    // The file got shorter since its length was checked.
                    let read = this.part.length - this.remaining;
                    this.remaining = 0;
                    let err = Error::from(Kind::Shrunk {
                        path: this.part.name.to_string(),
                        offset: this.part.offset,
                        length: this.part.length,
                        read,
                    });
                    return Poll::Ready(Some(Err(err.into())));
                }
                this.remaining -= n as u64;
                let chunk = Bytes::copy_from_slice(&this.buf[..n]);
                Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0 && self.error.is_none()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

/// A [`Body`] as a `tokio::io::AsyncBufRead` ([`ByteStream::into_async_read`]).
pub(super) struct AsyncReader {
    body: Body,
    chunk: Bytes,
}

impl AsyncReader {
    pub(super) fn new(body: Body) -> Self {
        Self {
            body,
            chunk: Bytes::new(),
        }
    }
}

impl tokio::io::AsyncBufRead for AsyncReader {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<&[u8]>> {
        let this = self.get_mut();
        while this.chunk.is_empty() {
            match futures_core::Stream::poll_next(Pin::new(&mut this.body), cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => break,
                Poll::Ready(Some(Ok(chunk))) => this.chunk = chunk,
                Poll::Ready(Some(Err(err))) => {
                    return Poll::Ready(Err(std::io::Error::other(err)));
                }
            }
        }
        Poll::Ready(Ok(&this.chunk))
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        let this = self.get_mut();
        this.chunk.advance(amt.min(this.chunk.len()));
    }
}

impl tokio::io::AsyncRead for AsyncReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let available = match tokio::io::AsyncBufRead::poll_fill_buf(self.as_mut(), cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
            Poll::Ready(Ok(available)) => available,
        };
        let n = available.len().min(buf.remaining());
        buf.put_slice(&available[..n]);
        tokio::io::AsyncBufRead::consume(self, n);
        Poll::Ready(Ok(()))
    }
}
