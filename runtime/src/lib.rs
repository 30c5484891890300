//! Hand-written runtime for the generated AWS service crates (`aws-lite-*`).
//!
//! Generated crates call only this crate's API, which mirrors the surface of the official
//! AWS SDK for Rust so user code ports unchanged:
//!
//! - [`config`]: [`Config`](config::Config), [`Region`](config::Region), credentials;
//! - [`credentials`]: [`Credentials`](credentials::Credentials) and credentials providers;
//! - [`http`]: request/response values, their [`Body`](http::Body) (bytes or a stream), and
//!   the pluggable [`HttpClient`](http::HttpClient);
//! - [`operation`]: the entry point of generated code: [`invoke`](operation::invoke) runs one
//!   operation in whichever protocol the call uses;
//! - [`protocol`]: which protocol a call uses, and the one interface of every protocol,
//!   each a module and a Cargo feature: `protocol::aws_json` (feature `aws-json`),
//!   `protocol::rpc_v2_cbor` (feature `rpc-v2-cbor`);
//! - [`orchestrator`]: what every call goes through, knowing no protocol: endpoint, signing,
//!   sending, retries, timeouts;
//! - [`env`](mod@env): region, credentials and endpoint flags from the environment;
//! - [`user_agent`]: the `user-agent` header;
//! - [`endpoint`]: endpoint rule-set interpreter (`endpoint-rule-set-1.json`) and partitions;
//! - [`error`]: [`SdkError`](error::SdkError) and friends, and why a request was not built or
//!   sent ([`ConstructionError`](error::ConstructionError), [`SendError`](error::SendError));
//! - [`primitives`]: [`DateTime`](primitives::DateTime) and [`Blob`](primitives::Blob);
//! - [`serde_helpers`]: codecs for timestamps, blobs and floats, and the shared key matcher of
//!   generated `Deserialize` impls;
//! - [`presigning`]: presigned requests (`PresigningConfig`, `PresignedRequest`), with the
//!   official SDK's API;
//! - [`sigv4`]: SigV4 request signing (checked against the AWS signing test suite and
//!   `aws-sigv4`);
//! - [`waiter`]: the poll loop of generated waiters, [`FinalPoll`](waiter::FinalPoll) and
//!   [`WaiterError`](waiter::error::WaiterError), with the official SDK's shape;
//! - `testing` (feature `test-util`): loopback test server, capturing client, SigV4 check.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod blocking;
pub mod checksum;
pub mod config;
pub mod credentials;
pub mod customize;
pub mod endpoint;
pub mod env;
pub mod error;
#[cfg(feature = "event-stream")]
pub mod event_stream;
pub mod http;
pub mod idempotency;
pub mod operation;
pub mod orchestrator;
pub mod paginate;
pub mod presigning;
pub mod protocol;
#[cfg(any(feature = "query", feature = "ec2"))]
pub mod query_form;
pub mod serde_helpers;
pub mod service;
pub mod sigv4;
pub(crate) mod telemetry;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod user_agent;
pub mod validate;
pub mod waiter;
#[cfg(feature = "xml")]
pub mod xml;

pub mod primitives;
