//! Prototype of the runtime's default client without reqwest and without OpenSSL: one POST
//! through hyper-util's pooled client and hyper-rustls on rustls with the ring provider (no
//! AWS-LC C build), the system's root certificates, HTTP/1.1 only, no redirects, the runtime's
//! connect timeout (3.1 s) and a read timeout on the response (head and body).

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .ok_or("usage: bare-hyper-rustls-ring-full http://127.0.0.1:PORT")?;
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(Duration::from_millis(3100)));
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::ring::default_provider())?
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(https);
    let request = hyper::Request::post(endpoint)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "OvertureService.DeleteVirtualInterface")
        .body(Full::new(Bytes::from_static(
            br#"{"virtualInterfaceId":"dxvif-fg5678gh"}"#,
        )))?;
    let read = Duration::from_secs(30);
    let response = tokio::time::timeout(read, client.request(request)).await??;
    let status = response.status();
    let body = tokio::time::timeout(read, response.into_body().collect())
        .await??
        .to_bytes();
    println!("POST: {status}, {} bytes", body.len());
    Ok(())
}
