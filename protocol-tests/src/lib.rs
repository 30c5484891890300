//! What the generated protocol-test crate (`generated/protocol-tests`, from botocore's
//! protocol test vectors in `data/`) calls: client set-up, canned responses and checks
//! ([`support`]), and the runner of its `tests/protocol.rs` ([`runner`]).
//!
//! Each vector case there is a real call through a client generated from its suite, against
//! a capturing HTTP client ([`aws_lite_runtime::testing::CaptureClient`], no sockets).
//! `cargo test -p aws-lite-protocol-test-suites` runs the cases and prints, per vector file,
//! how many passed, failed and were skipped by botocore's ignore list.

pub mod runner;
pub mod support;
