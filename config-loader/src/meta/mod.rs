//! Providers that combine other providers, as the official `aws_config::meta`:
//! [`region::RegionProviderChain`].

pub mod region;
