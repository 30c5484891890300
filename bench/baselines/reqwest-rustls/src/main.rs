//! Footprint baseline: one POST with tokio + reqwest (rustls on aws-lc-rs), the HTTP stack under our
//! generated crate with its `rustls` feature, and nothing else.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .ok_or("usage: bare-reqwest-rustls http://127.0.0.1:PORT")?;
    let response = reqwest::Client::new()
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "OvertureService.DeleteVirtualInterface")
        .body(r#"{"virtualInterfaceId":"dxvif-fg5678gh"}"#)
        .send()
        .await?;
    let status = response.status();
    let body = response.bytes().await?;
    println!("POST: {status}, {} bytes", body.len());
    Ok(())
}
