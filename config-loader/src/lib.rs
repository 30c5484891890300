//! The AWS default configuration chain without the official `aws-config` crate's dependency
//! tree: the shared config and credentials files ([`profile`]), and the environment and file
//! system the providers read ([`os`]).
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod os;
pub mod profile;
