//! [`StreamServer`]: a loopback HTTP/1.1 server for large streaming bodies, which it never
//! holds: an upload (`PUT`) is read as it comes and fed to a digest the test chooses, a
//! download (`GET`) is made as it is sent from a deterministic byte pattern
//! ([`pattern_fill`]). For end-to-end tests and memory benchmarks of streaming payloads.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What an upload's bytes are fed to, as they arrive (a SHA-256 hasher, say).
pub trait UploadDigest: Send {
    /// Takes the next bytes of the body.
    fn update(&mut self, data: &[u8]);
    /// The digest of every byte taken, as text (hex, say).
    fn finish(self: Box<Self>) -> String;
}

/// Makes one [`UploadDigest`] per upload.
pub type DigestFactory = Arc<dyn Fn() -> Box<dyn UploadDigest> + Send + Sync>;

/// How a [`StreamServer`] answers.
#[derive(Clone)]
pub struct StreamServerOptions {
    /// The length of every download (`GET`) body.
    pub download_len: u64,
    /// The seed of the download's byte pattern ([`pattern_fill`]).
    pub download_seed: u64,
    /// Reset the connection (TCP RST) of the first upload after this many body bytes.
    pub reset_first_upload_after: Option<u64>,
    /// Feeds each upload's body; `None` only counts the bytes.
    pub digest: Option<DigestFactory>,
    /// The size of each write of a download body.
    pub write_chunk: usize,
}

impl Default for StreamServerOptions {
    fn default() -> Self {
        Self {
            download_len: 0,
            download_seed: 0,
            reset_first_upload_after: None,
            digest: None,
            write_chunk: 64 * 1024,
        }
    }
}

impl fmt::Debug for StreamServerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamServerOptions")
            .field("download_len", &self.download_len)
            .field("download_seed", &self.download_seed)
            .field("reset_first_upload_after", &self.reset_first_upload_after)
            .field("digest", &self.digest.is_some())
            .field("write_chunk", &self.write_chunk)
            .finish()
    }
}

/// One upload the server read (or began to read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The request target.
    pub path: String,
    /// The `content-length` header, when sent.
    pub content_length: Option<u64>,
    /// The `content-type` header, when sent.
    pub content_type: Option<String>,
    /// The `x-amz-content-sha256` header, when sent.
    pub content_sha256: Option<String>,
    /// Body bytes received.
    pub received: u64,
    /// Whether the whole body (`content-length` bytes) arrived.
    pub complete: bool,
    /// The digest of the body, when complete and a digest was set.
    pub digest: Option<String>,
}

/// The shared state of a [`StreamServer`].
#[derive(Default)]
struct State {
    uploads: Mutex<Vec<Upload>>,
    downloads: Mutex<u64>,
}

/// A loopback HTTP/1.1 server for large streaming bodies, which it never holds: an upload
/// (`PUT`) is read as it comes and fed to the [`UploadDigest`] the options choose, a download
/// (`GET`) is made as it is sent from the byte pattern of [`pattern_fill`]. It runs on its own
/// thread and tokio runtime, and stops when dropped.
pub struct StreamServer {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for StreamServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl StreamServer {
    /// Starts a server on `127.0.0.1` (random port).
    pub fn start(options: StreamServerOptions) -> std::io::Result<StreamServer> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        let state = Arc::new(State::default());
        let served = Arc::clone(&state);
        let (shutdown, shutdown_rx) = tokio::sync::oneshot::channel();
        let options = Arc::new(options);
        let thread = std::thread::Builder::new()
            .name(format!("stream-server-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(listener) else {
                        return;
                    };
                    tokio::spawn(async move {
                        loop {
                            if let Ok((stream, _)) = listener.accept().await {
                                tokio::spawn(serve(
                                    stream,
                                    Arc::clone(&served),
                                    Arc::clone(&options),
                                ));
                            }
                        }
                    });
                    let _ = shutdown_rx.await;
                });
            })?;
        Ok(StreamServer {
            addr,
            state,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The uploads so far, in the order they began.
    pub fn uploads(&self) -> Vec<Upload> {
        self.state
            .uploads
            .lock()
            .map(|u| u.clone())
            .unwrap_or_default()
    }

    /// How many downloads were answered.
    pub fn downloads(&self) -> u64 {
        self.state.downloads.lock().map(|d| *d).unwrap_or_default()
    }
}

impl Drop for StreamServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Fills `buf` with the bytes at `offset..` of the pattern of `seed`: each 8-byte word `i` is
/// the little-endian SplitMix64 output of `seed + i` (so any range can be made on its own).
pub fn pattern_fill(seed: u64, offset: u64, buf: &mut [u8]) {
    let mut pos = offset;
    let mut i = 0;
    while i < buf.len() {
        let word = splitmix(seed.wrapping_add(pos / 8)).to_le_bytes();
        let start = usize::try_from(pos % 8).unwrap_or(0);
        let n = (8 - start).min(buf.len() - i);
        buf[i..i + n].copy_from_slice(&word[start..start + n]);
        i += n;
        pos += n as u64;
    }
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const MAX_HEAD: usize = 64 * 1024;

async fn serve(mut stream: TcpStream, state: Arc<State>, options: Arc<StreamServerOptions>) {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        // The head.
        let end = loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            if buf.len() > MAX_HEAD {
                return;
            }
            let mut chunk = [0u8; 8192];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end + 4);
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_owned();
        let path = request_line.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let ok = match method.as_str() {
            "PUT" | "POST" => {
                let content_length = header("content-length").and_then(|v| v.parse::<u64>().ok());
                let index = {
                    let Ok(mut uploads) = state.uploads.lock() else {
                        return;
                    };
                    uploads.push(Upload {
                        path: path.clone(),
                        content_length,
                        content_type: header("content-type"),
                        content_sha256: header("x-amz-content-sha256"),
                        received: 0,
                        complete: false,
                        digest: None,
                    });
                    uploads.len() - 1
                };
                let Some(length) = content_length else {
                    let _ = respond(&mut stream, 411, "length required", &[]).await;
                    return;
                };
                let reset_at = options
                    .reset_first_upload_after
                    .filter(|_| index == 0)
                    .map(|at| at.min(length));
                let mut digest = options.digest.as_ref().map(|make| make());
                let mut received: u64 = 0;
                let mut chunk = vec![0u8; 64 * 1024];
                let mut pending = std::mem::take(&mut buf);
                while received < length {
                    let data: &[u8] = if pending.is_empty() {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => &chunk[..n],
                        }
                    } else {
                        &pending
                    };
                    let take = usize::try_from((length - received).min(data.len() as u64))
                        .unwrap_or(data.len());
                    if let Some(d) = digest.as_mut() {
                        d.update(&data[..take]);
                    }
                    received += take as u64;
                    let rest = data[take..].to_vec();
                    pending.clear();
                    buf = rest;
                    if let Ok(mut uploads) = state.uploads.lock() {
                        uploads[index].received = received;
                    }
                    if reset_at.is_some_and(|at| received >= at) {
                        // SO_LINGER 0: closing sends RST instead of FIN.
                        let _ = stream.set_zero_linger();
                        return;
                    }
                }
                let complete = received == length;
                if let Ok(mut uploads) = state.uploads.lock() {
                    uploads[index].complete = complete;
                    uploads[index].digest = digest.filter(|_| complete).map(|d| d.finish());
                }
                if !complete {
                    return;
                }
                let etag = format!("\"{received}\"");
                respond(&mut stream, 200, "", &[("etag", &etag)]).await
            }
            "GET" => {
                if let Ok(mut d) = state.downloads.lock() {
                    *d += 1;
                }
                send_download(&mut stream, &options).await
            }
            _ => respond(&mut stream, 405, "method not allowed", &[]).await,
        };
        if ok.is_err() {
            return;
        }
    }
}

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    body: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nx-amzn-requestid: stream-server\r\n",
        body.len()
    );
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await
}

async fn send_download(
    stream: &mut TcpStream,
    options: &StreamServerOptions,
) -> std::io::Result<()> {
    let len = options.download_len;
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-length: {len}\r\ncontent-type: application/octet-stream\r\n\
         etag: \"{seed}-{len}\"\r\nx-amz-meta-seed: {seed}\r\nx-amzn-requestid: stream-server\r\n\r\n",
        seed = options.download_seed
    );
    stream.write_all(head.as_bytes()).await?;
    let mut chunk = vec![0u8; options.write_chunk.max(1)];
    let mut sent: u64 = 0;
    while sent < len {
        let n = usize::try_from((len - sent).min(chunk.len() as u64)).unwrap_or(chunk.len());
        pattern_fill(options.download_seed, sent, &mut chunk[..n]);
        stream.write_all(&chunk[..n]).await?;
        sent += n as u64;
    }
    stream.flush().await
}

#[cfg(test)]
mod tests {
    use super::pattern_fill;

    #[test]
    fn any_range_of_the_pattern_is_the_same_bytes() {
        let mut whole = vec![0u8; 100];
        pattern_fill(7, 0, &mut whole);
        for start in [0usize, 1, 7, 8, 13, 64] {
            let mut part = vec![0u8; 100 - start];
            pattern_fill(7, start as u64, &mut part);
            assert_eq!(part, whole[start..], "from {start}");
        }
        let mut other = vec![0u8; 100];
        pattern_fill(8, 0, &mut other);
        assert_ne!(other, whole);
    }
}
