//! Generator library.
