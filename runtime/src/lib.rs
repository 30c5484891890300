//! Hand-written runtime for the generated AWS service crates (`aws-lite-*`).
//!
//! Generated crates call only this crate's API, which mirrors the surface of the official
//! AWS SDK for Rust so user code ports unchanged:
//!
//! - [`config`]: [`Config`](config::Config), [`Region`](config::Region), credentials;
//! - [`credentials`]: [`Credentials`](credentials::Credentials) and credentials providers;
//! - [`http`]: request/response values and the pluggable [`HttpClient`](http::HttpClient);
//! - [`json`]: request dispatch with SigV4 signing, awsJson bodies and error parsing;
//! - `cbor` (feature `rpc-v2-cbor`): Smithy RPC v2 CBOR bodies and error parsing;
//! - [`protocol`]: which protocol a call uses;
//! - [`endpoint`]: endpoint rule-set interpreter (`endpoint-rule-set-1.json`) and partitions;
//! - [`orchestrator`]: what every call goes through: endpoint, retries, timeouts;
//! - [`error`]: [`SdkError`](error::SdkError) and friends;
//! - [`primitives`]: [`DateTime`](primitives::DateTime) and [`Blob`](primitives::Blob);
//! - [`serde_helpers`]: codecs for timestamps, blobs and floats, and the shared key matcher of
//!   generated `Deserialize` impls;
//! - [`sigv4`]: SigV4 request signing (checked against the AWS signing test suite and
//!   `aws-sigv4`);
//! - `testing` (feature `test-util`): loopback test server, capturing client, SigV4 check.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod blocking;
#[cfg(feature = "rpc-v2-cbor")]
pub mod cbor;
/// Without the `rpc-v2-cbor` feature: the same internal entry points, refusing CBOR.
#[cfg(not(feature = "rpc-v2-cbor"))]
#[path = "cbor_disabled.rs"]
pub(crate) mod cbor;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod idempotency;
pub mod json;
pub mod orchestrator;
pub mod paginate;
pub mod protocol;
pub mod serde_helpers;
pub mod service;
pub mod sigv4;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod validate;

pub mod primitives;
