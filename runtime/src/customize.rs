//! `.customize()` on fluent builders, with the official crate's shape:
//!
//! ```ignore
//! client.delete_virtual_interface().virtual_interface_id("dxvif-1")
//!     .customize()
//!     .mutate_request(|req| { req.headers_mut().insert("x-trace", "1"); })
//!     .config_override(Config::builder().region(Region::new("eu-west-1")))
//!     .send()
//!     .await?;
//! ```
//!
//! - [`CustomizableOperation::mutate_request`] changes the HTTP request of every attempt
//!   after it is built and before it is signed (as the official `modify_before_signing`
//!   interceptor does): headers, URI and body changes are signed.
//! - [`CustomizableOperation::config_override`] applies the settings set on a config builder
//!   over the client's for this call only (region, endpoint URL, credentials, retries,
//!   timeouts, ...); what the override leaves unset stays the client's, and the client's
//!   identity cache, retry quota and clock-skew state are shared.

use crate::config::{Builder, Config};
use crate::error::SdkError;
use crate::http::HttpRequest;
use std::future::Future;
use std::sync::Arc;

/// A function changing each attempt's request before it is signed.
pub type MutateRequestFn = Arc<dyn Fn(&mut HttpRequest) + Send + Sync>;

/// What a fluent builder gives `.customize()` (implemented by every generated async fluent
/// builder).
pub trait CustomizableSend: Sized {
    /// The operation's output.
    type Output;
    /// The operation's error.
    type Error;
    /// The config the builder's client has.
    fn customizable_config(&self) -> &Config;
    /// The same builder sending with `config`.
    fn with_customized_config(self, config: Config) -> Self;
    /// Sends (the builder's `send()`).
    fn customized_send(
        self,
    ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error>>> + Send;
}

/// What a fluent builder of an operation that can be presigned gives `.customize()` (see
/// [`crate::presigning`]).
pub trait CustomizablePresigned: CustomizableSend {
    /// Presigns (the builder's `presigned(config)`).
    fn customized_presigned(
        self,
        presigning_config: crate::presigning::PresigningConfig,
    ) -> impl Future<Output = Result<crate::presigning::PresignedRequest, SdkError<Self::Error>>> + Send;
}

/// A fluent builder with per-call customizations; [`send`](Self::send) sends it.
pub struct CustomizableOperation<B> {
    builder: B,
    config_override: Option<Builder>,
    mutators: Vec<MutateRequestFn>,
}

impl<B: std::fmt::Debug> std::fmt::Debug for CustomizableOperation<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomizableOperation")
            .field("builder", &self.builder)
            .field("config_override", &self.config_override)
            .field("mutate_request", &self.mutators.len())
            .finish()
    }
}

impl<B: CustomizableSend> CustomizableOperation<B> {
    /// Wraps `builder` (fluent builders' `customize()` calls this).
    pub fn new(builder: B) -> Self {
        CustomizableOperation {
            builder,
            config_override: None,
            mutators: Vec::new(),
        }
    }

    /// Changes the request of every attempt before it is signed; several run in the order
    /// given.
    pub fn mutate_request<F>(mut self, f: F) -> Self
    where
        F: Fn(&mut HttpRequest) + Send + Sync + 'static,
    {
        self.mutators.push(Arc::new(f));
        self
    }

    /// Uses the settings set on `config_override` over the client's, for this call. Called
    /// twice, the later override's settings win.
    pub fn config_override(mut self, config_override: impl Into<Builder>) -> Self {
        let config_override = config_override.into();
        self.config_override = Some(match self.config_override.take() {
            None => config_override,
            Some(earlier) => earlier.merged_with(config_override),
        });
        self
    }

    /// Sends the request with the customizations.
    pub async fn send(self) -> Result<B::Output, SdkError<B::Error>> {
        self.customized_builder().customized_send().await
    }

    /// The builder with the customized config.
    fn customized_builder(self) -> B {
        let mut config = match self.config_override {
            Some(over) => self.builder.customizable_config().with_override(over),
            None => self.builder.customizable_config().clone(),
        };
        config.add_request_mutators(self.mutators);
        self.builder.with_customized_config(config)
    }
}

impl<B: CustomizablePresigned> CustomizableOperation<B> {
    /// Creates a presigned request with the customizations: the config override's region,
    /// endpoint and credentials, and the request mutators (which run before presigning, so
    /// their changes are signed). See [`crate::presigning`].
    pub async fn presigned(
        self,
        presigning_config: crate::presigning::PresigningConfig,
    ) -> Result<crate::presigning::PresignedRequest, SdkError<B::Error>> {
        self.customized_builder()
            .customized_presigned(presigning_config)
            .await
    }
}
