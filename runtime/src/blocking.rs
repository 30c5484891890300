//! Whether a fluent builder's `send()` is async or blocking.
//!
//! Generated fluent builders take a mode parameter that defaults to [`Async`]; with the
//! generated crate's `blocking` feature, `blocking::Client` hands out builders in the
//! `Blocking` mode, whose `send()` runs the same request on a private single-threaded tokio
//! runtime and returns the result directly.

/// `send()` returns a future (the default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Async;

/// `send()` blocks the calling thread until the response is read.
///
/// Do not use it from inside an async runtime: blocking there stalls the runtime (and tokio
/// refuses to nest runtimes).
#[cfg(feature = "blocking")]
#[derive(Clone, Debug)]
pub struct Blocking {
    runtime: std::sync::Arc<tokio::runtime::Runtime>,
}

#[cfg(feature = "blocking")]
impl Blocking {
    /// Creates the mode with its own current-thread runtime (I/O and timers enabled).
    pub fn new() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Blocking {
            runtime: std::sync::Arc::new(runtime),
        })
    }

    /// Runs a future to completion on the mode's runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}
