//! End-to-end tests of the generated Direct Connect crate.
