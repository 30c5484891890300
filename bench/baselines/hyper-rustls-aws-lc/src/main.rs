//! Footprint baseline: one POST with tokio + hyper 1 (hyper-util client) + hyper-rustls on
//! rustls/aws-lc-rs, the HTTP stack under the official crate's default HTTPS client, and
//! nothing else.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .ok_or("usage: bare-hyper-rustls-aws-lc http://127.0.0.1:PORT")?;
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()?
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build();
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(https);
    let request = hyper::Request::post(endpoint)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "OvertureService.DeleteVirtualInterface")
        .body(Full::new(Bytes::from_static(
            br#"{"virtualInterfaceId":"dxvif-fg5678gh"}"#,
        )))?;
    let response = client.request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    println!("POST: {status}, {} bytes", body.len());
    Ok(())
}
