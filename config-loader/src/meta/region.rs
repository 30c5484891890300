//! Region providers and the chain that tries them in turn, with the official
//! `aws_config::meta::region` API:
//!
//! ```no_run
//! # async fn f() {
//! use aws_config::meta::region::RegionProviderChain;
//! use aws_config::Region;
//!
//! // `CUSTOM_REGION`, else the default chain (environment, profile, IMDS), else us-east-2.
//! let provider = RegionProviderChain::first_try(std::env::var("CUSTOM_REGION").ok().map(Region::new))
//!     .or_default_provider()
//!     .or_else(Region::new("us-east-2"));
//! let config = aws_config::from_env().region(provider).load().await;
//! # }
//! ```

use aws_lite_runtime::config::Region;
use std::fmt::Debug;

/// A source of a [`Region`]: a fixed one ([`Region`], `Option<Region>`, `&'static str`), the
/// default chain ([`crate::default_provider::region::default_provider`]) or a
/// [`RegionProviderChain`] of them. `ConfigLoader::region` takes any.
pub trait ProvideRegion: Send + Sync + Debug {
    /// The region, or `None` when this provider has none.
    fn region(&self) -> future::ProvideRegion<'_>;
}

/// The first region found by a list of providers, in order.
///
/// A provider without a region (`None`) passes to the next; when none has one the chain has
/// none.
#[derive(Debug)]
pub struct RegionProviderChain {
    providers: Vec<Box<dyn ProvideRegion>>,
}

impl RegionProviderChain {
    /// The region of the first provider that has one.
    pub async fn region(&self) -> Option<Region> {
        for provider in &self.providers {
            if let Some(region) = provider.region().await {
                return Some(region);
            }
        }
        None
    }

    /// A chain that asks `provider` first.
    pub fn first_try(provider: impl ProvideRegion + 'static) -> Self {
        RegionProviderChain {
            providers: vec![Box::new(provider)],
        }
    }

    /// Asks `fallback` when the providers before it have no region.
    pub fn or_else(mut self, fallback: impl ProvideRegion + 'static) -> Self {
        self.providers.push(Box::new(fallback));
        self
    }

    /// A chain that starts with the default region chain (`AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the selected profile's `region`, IMDS) of the process.
    pub fn default_provider() -> Self {
        Self::first_try(crate::default_provider::region::default_provider())
    }

    /// Falls back to the default region chain of the process.
    pub fn or_default_provider(self) -> Self {
        self.or_else(crate::default_provider::region::default_provider())
    }
}

impl ProvideRegion for RegionProviderChain {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::new(RegionProviderChain::region(self))
    }
}

impl ProvideRegion for Option<Region> {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::ready(self.clone())
    }
}

impl ProvideRegion for Region {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::ready(Some(self.clone()))
    }
}

impl ProvideRegion for &Region {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::ready(Some((*self).clone()))
    }
}

impl ProvideRegion for &'static str {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::ready(Some(Region::from_static(self)))
    }
}

impl ProvideRegion for Box<dyn ProvideRegion> {
    fn region(&self) -> future::ProvideRegion<'_> {
        self.as_ref().region()
    }
}

/// The future [`ProvideRegion::region`] returns (needed only to write a provider).
pub mod future {
    use aws_lite_runtime::config::Region;
    use std::fmt;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A region now ([`ready`](Self::ready)) or later ([`new`](Self::new)).
    pub struct ProvideRegion<'a>(State<'a>);

    enum State<'a> {
        Ready(Option<Option<Region>>),
        Later(Pin<Box<dyn Future<Output = Option<Region>> + Send + 'a>>),
    }

    impl<'a> ProvideRegion<'a> {
        /// A region that `future` finds.
        pub fn new(future: impl Future<Output = Option<Region>> + Send + 'a) -> Self {
            ProvideRegion(State::Later(Box::pin(future)))
        }

        /// A region already known (or known to be absent).
        pub fn ready(region: Option<Region>) -> Self {
            ProvideRegion(State::Ready(Some(region)))
        }
    }

    impl fmt::Debug for ProvideRegion<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("ProvideRegion")
        }
    }

    impl Future for ProvideRegion<'_> {
        type Output = Option<Region>;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Region>> {
            match &mut self.get_mut().0 {
                // Polled again after completing: no region rather than a panic.
                State::Ready(region) => Poll::Ready(region.take().flatten()),
                State::Later(future) => future.as_mut().poll(cx),
            }
        }
    }
}
