//! Prototype of the leanest client without reqwest: a TCP connection (tokio), TLS through
//! tokio-native-tls when the URL is https, and hyper 1's HTTP/1.1 connection API; no
//! hyper-util, hence no connection pool (a real client would keep idle connections itself).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Plain or TLS stream, adapted to hyper's IO traits.
enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_native_tls::TlsStream<TcpStream>>),
}

struct Io(Stream);

impl hyper::rt::Read for Io {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        // SAFETY: the bytes tokio fills are initialised and advanced exactly.
        let n = unsafe {
            let mut tbuf = ReadBuf::uninit(buf.as_mut());
            let r = match &mut self.0 {
                Stream::Plain(s) => Pin::new(s).poll_read(cx, &mut tbuf),
                Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, &mut tbuf),
            };
            match r {
                Poll::Ready(Ok(())) => tbuf.filled().len(),
                other => return other,
            }
        };
        unsafe { buf.advance(n) };
        Poll::Ready(Ok(()))
    }
}

impl hyper::rt::Write for Io {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match &mut self.0 {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match &mut self.0 {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match &mut self.0 {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .ok_or("usage: bare-hyper-conn-native-tls-full http://127.0.0.1:PORT")?;
    let uri: hyper::Uri = endpoint.parse()?;
    let https = uri.scheme_str() == Some("https");
    let host = uri.host().ok_or("no host")?.to_owned();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let tcp = tokio::time::timeout(
        Duration::from_millis(3100),
        TcpStream::connect((host.as_str(), port)),
    )
    .await??;
    let stream = if https {
        let tls = tokio_native_tls::TlsConnector::from(
            tokio_native_tls::native_tls::TlsConnector::new()?,
        );
        Stream::Tls(Box::new(tls.connect(&host, tcp).await?))
    } else {
        Stream::Plain(tcp)
    };
    let (mut sender, conn) = hyper::client::conn::http1::handshake(Io(stream)).await?;
    tokio::spawn(conn);
    let authority = uri.authority().ok_or("no authority")?.to_string();
    let request = hyper::Request::post(uri.path_and_query().map_or("/", |p| p.as_str()))
        .header("host", authority)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "OvertureService.DeleteVirtualInterface")
        .body(Full::new(Bytes::from_static(
            br#"{"virtualInterfaceId":"dxvif-fg5678gh"}"#,
        )))?;
    let read = Duration::from_secs(30);
    let response = tokio::time::timeout(read, sender.send_request(request)).await??;
    let status = response.status();
    let body = tokio::time::timeout(read, response.into_body().collect())
        .await??
        .to_bytes();
    println!("POST: {status}, {} bytes", body.len());
    Ok(())
}
