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
    runtime: std::sync::Arc<OwnedRuntime>,
}

/// The private runtime; dropping it inside an async context (a blocking client created and
/// dropped in async code) shuts it down in the background instead of panicking as tokio would.
#[cfg(feature = "blocking")]
#[derive(Debug)]
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

#[cfg(feature = "blocking")]
impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        // Outside async code the runtime is simply dropped (waiting for its tasks).
        if let Some(runtime) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}

#[cfg(feature = "blocking")]
impl Blocking {
    /// Creates the mode with its own current-thread runtime (I/O and timers enabled).
    pub fn new() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Blocking {
            runtime: std::sync::Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// Runs a future to completion on the mode's runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        match &self.runtime.0 {
            Some(runtime) => runtime.block_on(future),
            // Only `drop` takes the runtime out, and it runs once no clone is left.
            None => unreachable!("the runtime is present until the last clone is dropped"),
        }
    }
}

/// Reads a streaming output member (S3 `GetObject`'s `Body`) whole into memory, for a
/// blocking `send()`: the response's connection is driven by the blocking client's private
/// runtime, which runs only inside `send()`, so the body could not be read after it returns.
/// A failure while reading is a dispatch failure (I/O), with the cause as its source.
#[cfg(feature = "blocking")]
pub async fn read_whole<E>(
    body: &mut crate::primitives::ByteStream,
) -> Result<(), crate::error::SdkError<E>> {
    match std::mem::take(body).collect().await {
        Ok(bytes) => {
            *body = crate::primitives::ByteStream::from(bytes.into_bytes());
            Ok(())
        }
        Err(err) => Err(crate::error::SdkError::dispatch_failure(
            crate::http::ConnectorError::io(err),
        )),
    }
}

#[cfg(all(test, feature = "blocking"))]
mod tests {
    use super::Blocking;

    #[test]
    fn runs_futures_and_can_be_dropped_inside_an_async_context() {
        let mode = Blocking::new().unwrap();
        assert_eq!(mode.block_on(async { 40 + 2 }), 42);
        let outer = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        // Dropping a runtime in async code panics in tokio unless shut down in the background.
        outer.block_on(async move { drop(mode) });
    }
}
