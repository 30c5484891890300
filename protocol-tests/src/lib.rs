//! botocore's protocol test vectors (`data/`), each suite run through the real generator into
//! a client module under [`suites`], and each case a real call through that client against a
//! capturing HTTP client ([`aws_lite_runtime::testing::CaptureClient`], no sockets).
//!
//! `cargo xtask codegen` regenerates [`suites`] (never edit it by hand; a test fails when it
//! is stale); `cargo test -p aws-lite-protocol-tests` runs the cases and prints, per vector
//! file, how many passed, failed and were skipped by botocore's ignore list.

pub mod support;
#[rustfmt::skip]
pub mod suites;
