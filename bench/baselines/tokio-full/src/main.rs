//! Footprint floor: an application with tokio's full features and no HTTP stack. It prints the
//! line the harness expects from a bare program without sending anything, so it is a build
//! figure only.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tokio::task::yield_now().await;
    println!("POST: 200 OK (not sent: tokio only), 0 bytes");
}
