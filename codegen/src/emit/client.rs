//! The crate root, `Client` and `config`.

use super::Ctx;
use super::operations::client_method;
use super::std_paths::Prelude;
use crate::ir::{Protocol, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// `src/lib.rs`.
pub(crate) fn lib_rs(cx: &Ctx<'_>) -> TokenStream {
    let opts = cx.opts;
    let root = cx.root();
    let svc = cx.svc;
    let crate_ident = opts.crate_name.replace('-', "_");
    let first_op = svc
        .operations
        .first()
        .map(|o| crate::naming::unraw(&cx.op_names(o).client_method));
    let mut doc = format!(
        "Rust client for **{}** (`{}`).\n\n",
        svc.meta.full_name, svc.meta.uid
    );
    if !svc.docs.is_empty() {
        doc.push_str(&svc.docs);
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "# Using the client\n\n\
The API follows the official AWS SDK for Rust: build a [`Config`], create a [`Client`], and call \
one method per operation, each returning a fluent builder whose `send()` performs the call.\n\n\
```rust,ignore\n\
use {crate_ident}::{{Client, Config, config::{{BehaviorVersion, Credentials, Region}}}};\n\n\
let config = Config::builder()\n    .region(Region::new(\"us-east-1\"))\n    .credentials_provider(Credentials::new(\"AKID\", \"SECRET\", None, None, \"example\"))\n    .behavior_version(BehaviorVersion::latest())\n    .build();\n\
let client = Client::from_conf(config);\n"
    ));
    if let Some(op) = first_op {
        doc.push_str(&format!("let response = client.{op}().send().await?;\n"));
    }
    doc.push_str(&format!(
        "```\n\nThis crate has {} operations; see [`Client`] for each one's parameters, response and errors.",
        svc.operations.len()
    ));
    let inner_attrs = super::inner_doc_attrs(&doc);
    let waiters_mod = super::waiters::lib_module(cx);
    let presigning_mod = super::presigning::lib_module(cx);
    quote! {
        #inner_attrs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        // As in the official crates: model names decide method and module names (`add`,
        // `is_default`, an operation called `Operation`), which these lints would reject.
        #![allow(clippy::module_inception, clippy::should_implement_trait, clippy::wrong_self_convention, clippy::upper_case_acronyms, clippy::large_enum_variant, clippy::type_complexity)]
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod config;
        #[rustfmt::skip]
        pub mod error;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod primitives;
        #[rustfmt::skip]
        pub mod types;
        #waiters_mod
        #presigning_mod
        pub use client::Client;
        /// The blocking flavour of the client (feature `blocking`).
        #[cfg(feature = "blocking")]
        pub mod blocking {
            pub use #root::client::BlockingClient as Client;
        }
        pub use config::Config;
        pub use error::Error;
        /// Information about this crate.
        pub mod meta {
            /// Crate version number.
            pub static PKG_VERSION: &str = env!("CARGO_PKG_VERSION");
        }
    }
}

/// `src/client.rs`.
pub(crate) fn client_rs(cx: &Ctx<'_>) -> TokenStream {
    let svc = cx.svc;
    let root = cx.root();
    let from_conf_doc = format!(
        " Creates a client from a [`Config`]({}::Config).\n\n When the config came from shared configuration (`config::Builder::from(&sdk_config)`)\n and has no endpoint URL set in code, the service's own endpoint settings apply, as in\n the official crate: `AWS_ENDPOINT_URL_<SERVICE>`, the profile's `services` section\n (see `Config::for_service`).",
        cx.doc_root()
    );
    let from_conf_doc = super::doc_values(from_conf_doc.lines());
    let Prelude { ok, .. } = cx.prelude();
    let methods = svc.operations.iter().map(|op| client_method(cx, op));
    let blocking_methods = svc.operations.iter().map(|op| {
        let names = cx.op_names(op);
        let method = crate::naming::ident(&names.client_method);
        let module = crate::naming::ident(&names.module);
        let fluent = crate::naming::ident(&names.fluent_builder);
        let bare = crate::naming::unraw(&names.client_method);
        let doc = super::doc_values([format!(" The `{}` operation, with a blocking `send()`; see [`Client::{bare}`]({}::Client::{bare}).", op.wire_name, cx.doc_root())]);
        quote! {
            #doc
            #[inline]
            pub fn #method(&self) -> #root::operation::#module::builders::#fluent<::aws_lite_runtime::blocking::Blocking> {
                #root::operation::#module::builders::#fluent::with_mode(::std::sync::Arc::clone(&self.handle), self.mode.clone())
            }
        }
    });
    let blocking = quote! {
        /// A client whose fluent builders' `send()` blocks instead of returning a future
        /// (feature `blocking`). It runs requests on a private single-threaded tokio runtime;
        /// do not call it from inside an async runtime.
        #[cfg(feature = "blocking")]
        #[derive(Clone, Debug)]
        pub struct BlockingClient {
            handle: ::std::sync::Arc<Handle>,
            mode: ::aws_lite_runtime::blocking::Blocking,
        }
        #[cfg(feature = "blocking")]
        impl BlockingClient {
            /// Creates a blocking client; fails only when its runtime cannot be created.
            #[inline]
            pub fn from_conf(conf: #root::Config) -> ::std::io::Result<Self> {
                let conf = conf.for_service(&#root::config::SERVICE_NAMES);
                #ok(Self {
                    handle: ::std::sync::Arc::new(Handle { conf }),
                    mode: ::aws_lite_runtime::blocking::Blocking::new()?,
                })
            }
            /// The client's configuration.
            #[inline]
            pub fn config(&self) -> &#root::Config {
                &self.handle.conf
            }
            #(#blocking_methods)*
        }
    };
    let doc = format!(
        " Client for {}: one method per operation, each returning a fluent builder.\n\n Cloning is cheap: clones share the configuration and the HTTP client.",
        svc.meta.full_name
    );
    let doc_lines = super::doc_values(doc.lines());
    let waiters_trait = super::waiters::client_trait(cx);
    quote! {
        //! The service client.
        #[derive(Debug)]
        pub(crate) struct Handle {
            pub(crate) conf: #root::Config,
        }
        #doc_lines
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: ::std::sync::Arc<Handle>,
        }
        impl Client {
            #from_conf_doc
            #[inline]
            pub fn from_conf(conf: #root::Config) -> Self {
                let conf = conf.for_service(&#root::config::SERVICE_NAMES);
                Self { handle: ::std::sync::Arc::new(Handle { conf }) }
            }
            /// The client's configuration.
            #[inline]
            pub fn config(&self) -> &#root::Config {
                &self.handle.conf
            }
            #(#methods)*
        }
        impl Client {
            /// Creates a client from shared configuration, as in the official crate:
            /// `aws_config::load_defaults(BehaviorVersion::latest()).await` from the
            /// `aws-lite-config` crate (its `SdkConfig` is this crate's `Config`), or with
            /// the feature `aws-config` the official crate's `SdkConfig`.
            ///
            /// The service's own endpoint settings apply here, as in the official crate:
            /// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services`
            /// section and `endpoint_url` (see `Config::for_service`); an endpoint URL set in
            /// code wins over them.
            #[inline]
            pub fn new<S>(sdk_config: &S) -> Self
            where
                for<'a> &'a S: ::std::convert::Into<#root::Config>,
            {
                let conf: #root::Config = sdk_config.into();
                Self::from_conf(conf)
            }
        }
        #blocking
        #waiters_trait
    }
}

/// `src/config.rs`.
pub(crate) fn config_rs(cx: &Ctx<'_>) -> TokenStream {
    let svc = cx.svc;
    let Prelude { some, none, .. } = cx.prelude();
    let m = &svc.meta;
    let service_id = &m.service_id;
    let signing_name = &m.signing_name;
    let endpoint_prefix = &m.endpoint_prefix;
    let target_prefix = &m.target_prefix;
    let json_version = &m.json_version;
    let api_version = &m.api_version;
    let protocols = supported_protocols(svc);
    let model_protocols = m.model_protocols.iter().map(|p| p.wire_name());
    let rule_set = match &m.endpoint_rule_set {
        Some(text) => quote!(#some(#text)),
        None => quote!(#none),
    };
    let query_compatible = m.query_compatible;
    let signing = if m.s3_signing {
        quote!(::aws_lite_runtime::sigv4::SigningSettings::S3)
    } else {
        quote!(::aws_lite_runtime::sigv4::SigningSettings::STANDARD)
    };
    let env_suffix = service_id.to_uppercase().replace(' ', "_");
    let profile_key = service_id.to_lowercase().replace(' ', "_");
    let names_doc = super::doc_values([format!(
        " This service's names for per-service settings: `AWS_ENDPOINT_URL_{env_suffix}` in the environment, `{profile_key}` in a profile's `services` section."
    )]);
    quote! {
        //! Configuration: region, endpoint, credentials and HTTP client.
        pub use ::aws_lite_runtime::config::{BehaviorVersion, Builder, Config, Credentials, IdentityCache, Protocol, ProvideCredentials, Region, SharedCredentialsProvider, SharedIdentityCache, StalledStreamProtectionConfig};
        pub use ::aws_lite_runtime::http::{HttpClient, SharedHttpClient};
        pub use ::aws_lite_runtime::config::{retry, timeout};
        /// Wire facts of this service, from the model.
        pub(crate) static SERVICE: ::aws_lite_runtime::service::ServiceMeta = ::aws_lite_runtime::service::ServiceMeta {
            service_id: #service_id,
            signing_name: #signing_name,
            endpoint_prefix: #endpoint_prefix,
            target_prefix: #target_prefix,
            json_version: #json_version,
            api_version: #api_version,
            protocols: &[#(#protocols),*],
            model_protocols: &[#(#model_protocols),*],
            endpoint_rule_set: #rule_set,
            signing: #signing,
            query_compatible: #query_compatible,
        };
        #names_doc
        pub(crate) static SERVICE_NAMES: ::aws_lite_runtime::config::service_config::ServiceNames = ::aws_lite_runtime::config::service_config::ServiceNames {
            service_id: #service_id,
            env_suffix: #env_suffix,
            profile_key: #profile_key,
        };
    }
}

/// The runtime protocols for the model's `protocols` list, in the model's order; protocols the
/// runtime does not speak are left out.
pub(crate) fn supported_protocols(svc: &Service) -> Vec<TokenStream> {
    svc.meta
        .model_protocols
        .iter()
        .filter_map(|p| match p {
            Protocol::AwsJson1_0 => {
                Some(quote!(::aws_lite_runtime::protocol::Protocol::AwsJson1_0))
            }
            Protocol::AwsJson1_1 => {
                Some(quote!(::aws_lite_runtime::protocol::Protocol::AwsJson1_1))
            }
            Protocol::RpcV2Cbor => Some(quote!(::aws_lite_runtime::protocol::Protocol::RpcV2Cbor)),
            Protocol::RestJson => Some(quote!(::aws_lite_runtime::protocol::Protocol::RestJson)),
            Protocol::RestXml => Some(quote!(::aws_lite_runtime::protocol::Protocol::RestXml)),
            Protocol::Query => Some(quote!(::aws_lite_runtime::protocol::Protocol::Query)),
            Protocol::Ec2 => Some(quote!(::aws_lite_runtime::protocol::Protocol::Ec2)),
            _ => None,
        })
        .collect()
}
