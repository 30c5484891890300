//! One module per operation: input, output, error, builders and the fluent builder.

use super::Ctx;
use super::errors::op_error_def;
use super::std_paths::Prelude;
use super::syntax_docs::operation_docs;
use super::types::{Role, StructSpec, builder_def, setters, struct_def};
use crate::ir::{Member, Operation, Primitive, Service, Shape, ShapeKind, StaticParam, Structure};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::quote;

/// `src/operation/mod.rs`.
pub(crate) fn mod_rs(cx: &Ctx<'_>) -> TokenStream {
    let svc = cx.svc;
    let mods = svc.operations.iter().map(|op| {
        let m = ident(&cx.op_names(op).module);
        let doc = super::doc_values([format!(" Types for the `{}` operation.", op.wire_name)]);
        quote! { #doc pub mod #m; }
    });
    quote! {
        //! Operations: one module per operation with its input, output, error and builders.
        pub use ::aws_lite_runtime::error::RequestId;
        #(#mods)*
    }
}

fn structure(shape: &Shape) -> &Structure {
    match &shape.kind {
        ShapeKind::Structure(s) => s,
        // The IR checks that operation inputs and outputs are structures.
        _ => unreachable!("operation input/output is a structure"),
    }
}

/// `src/operation/<op>.rs`.
pub(crate) fn operation_rs(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let root = cx.root();
    let svc = cx.svc;
    let Prelude {
        option,
        some,
        none,
        result,
        err,
        string,
        default,
        ..
    } = cx.prelude();
    let names = cx.op_names(op);
    let input_name = ident(&names.input);
    let output_name = ident(&names.output);
    let error_name = ident(&names.error);
    let fluent_name = ident(&names.fluent_builder);
    let input_builder = ident(&names.input_builder);
    let output_builder = ident(&names.output_builder);
    let wire = &op.wire_name;

    let in_shape = svc.shape(&op.input_shape);
    let out_shape = svc.shape(&op.output_shape);
    let in_spec = StructSpec {
        name: input_name.clone(),
        builder: input_builder.clone(),
        builder_path: quote!(builders),
        role: Role::Input,
        shape: in_shape,
        structure: structure(in_shape),
        docs: if in_shape.docs.is_empty() {
            format!("Input of the `{wire}` operation.")
        } else {
            in_shape.docs.clone()
        },
    };
    let out_spec = StructSpec {
        name: output_name.clone(),
        builder: output_builder.clone(),
        builder_path: quote!(builders),
        role: Role::Output,
        shape: out_shape,
        structure: structure(out_shape),
        docs: if out_shape.docs.is_empty() {
            format!("Output of the `{wire}` operation.")
        } else {
            out_shape.docs.clone()
        },
    };
    let input_def = struct_def(cx, &in_spec);
    let input_checks = super::validate::validate_impl(
        cx,
        &quote!(#input_name),
        &op.input_shape,
        in_spec.structure,
        false,
        |_| false,
    );
    // The model's minimums, checked after the required members (nothing is sent on failure).
    let validate_call = (op.input.is_some() && !input_checks.is_empty()).then(|| {
        quote! {
            input
                .validate_constraints(&::aws_lite_runtime::validate::Path::operation(#wire))
                .map_err(::aws_lite_runtime::error::SdkError::construction_failure)?;
        }
    });
    let output_def = struct_def(cx, &out_spec);
    let input_builder_def = builder_def(cx, &in_spec, quote!(super::#input_name));
    let output_builder_def = builder_def(cx, &out_spec, quote!(super::#output_name));
    let error_def = op_error_def(cx, op);
    let delegates = in_spec
        .structure
        .members
        .iter()
        .map(|m| setters(cx, &op.input_shape, m, true));
    let checks = in_spec
        .structure
        .members
        .iter()
        // A stream is never unset (empty by default).
        .filter(|m| m.required && !super::http::is_stream(svc, &op.input_shape, m))
        .map(|m| {
            let field_name = &cx.member_names(&op.input_shape, m).field;
            let field = ident(field_name);
            let bare = naming::unraw(field_name);
            let detail = format!(
                "{wire} requires `{}`; set it with `.{bare}(..)`. No request was sent",
                m.wire_name
            );
            quote! {
                if input.#field.is_none() {
                    return #err(::aws_lite_runtime::error::SdkError::construction_failure(
                        ::aws_lite_runtime::error::BuildError::missing_field(#bare, #detail),
                    ));
                }
            }
        })
        .collect::<Vec<_>>();
    let summary = op.docs.split("\n\n").next().unwrap_or("").to_string();
    let fluent_doc = format!(
        "Fluent builder for the `{wire}` operation: set the parameters, then call [`send`](Self::send).\n\n{summary}\n\nSee [`Client::{0}`]({root}::Client::{0}) for the request syntax, every parameter, the response and the errors.",
        naming::unraw(&names.client_method),
        root = cx.doc_root(),
    );
    let fluent_docs = super::doc_attrs(&fluent_doc, "");
    let module_doc = super::inner_doc_values([format!(" The `{wire}` operation.")]);
    let (into_paginator, paginator_mod) = paginator(cx, op);
    let from_input = (op.paginator.is_some() || super::waiters::has_waiter(cx, wire)).then(|| {
        quote! {
            #[inline]
            pub(crate) fn from_input(handle: ::std::sync::Arc<#root::client::Handle>, inner: #input_builder) -> Self {
                Self { handle, inner, mode: ::aws_lite_runtime::blocking::Async }
            }
        }
    });
    // Operations the model gives no input send no body in CBOR.
    // rest protocols always pass the input: its HTTP bindings carry the method and URI.
    let has_input = op.input.is_some() || super::http::is_rest(cx.svc);
    let build_input = if has_input {
        quote!(let input = self.inner.build().map_err(::aws_lite_runtime::error::SdkError::construction_failure)?;)
    } else {
        quote!(self.inner.build().map_err(::aws_lite_runtime::error::SdkError::construction_failure)?;)
    };
    let input_arg = if has_input {
        quote!(#some(&input))
    } else {
        quote!(#none::<&super::#input_name>)
    };
    // A streaming payload member is moved out of the input into the request (no copy).
    let input_stream = svc
        .stream_member(&op.input_shape)
        .map(|m| ident(&cx.member_names(&op.input_shape, m).field));
    let build_input = match &input_stream {
        Some(field) => quote! {
            let mut input = self.inner.build().map_err(::aws_lite_runtime::error::SdkError::construction_failure)?;
            let body = ::std::mem::take(&mut input.#field);
        },
        None => build_input,
    };
    // `.presigned(config)` for the operations the official SDK presigns.
    let presign = super::presigning::presignable(cx, op).map(|presignable| {
        let payload = super::presigning::payload_tokens(presignable.payload);
        // Polly's `SynthesizeSpeech`: a `GET` with the body's members in the query string.
        let (presigned_input, input_ref) = if presignable.body_in_query {
            (super::presigning::presigned_input(cx, op), quote!(&super::PresignedInput(&input)))
        } else {
            (quote!(), quote!(&input))
        };
        let docs = super::doc_attrs(&super::presigning::presigned_doc(cx), "");
        let prefix = match &op.host_prefix {
            Some(p) => quote!(#some(#p)),
            None => quote!(#none),
        };
        let presigned_result = quote!(#result<::aws_lite_runtime::presigning::PresignedRequest, ::aws_lite_runtime::error::SdkError<super::#error_name>>);
        let method = quote! {
            #docs
            pub async fn presigned(self, presigning_config: ::aws_lite_runtime::presigning::PresigningConfig) -> #presigned_result {
                let input = self.inner.build().map_err(::aws_lite_runtime::error::SdkError::construction_failure)?;
                #(#checks)*
                #validate_call
                ::aws_lite_runtime::operation::presign(&self.handle.conf, &super::OPERATION, #prefix, #input_ref, presigning_config, #payload).await
            }
        };
        let customizable = quote! {
            impl ::aws_lite_runtime::customize::CustomizablePresigned for #fluent_name {
                #[inline]
                fn customized_presigned(self, presigning_config: ::aws_lite_runtime::presigning::PresigningConfig) -> impl ::std::future::Future<Output = #presigned_result> + ::std::marker::Send {
                    self.presigned(presigning_config)
                }
            }
        };
        (method, (customizable, presigned_input))
    });
    let (presigned_method, presigned_items) = presign.unzip();
    let (presigned_customizable, presigned_input) = presigned_items.unzip();
    let http_input = super::http::input_items(cx, op);
    let http_output = super::http::output_items(cx, op);
    // The endpoint trait's host prefix (labels filled from the input by the runtime).
    let invoke = match (&op.host_prefix, &input_stream) {
        (prefix, Some(_)) => {
            let prefix = match prefix {
                Some(p) => quote!(#some(#p)),
                None => quote!(#none),
            };
            quote! {
                ::aws_lite_runtime::operation::invoke_with_stream(&self.handle.conf, &super::OPERATION, #prefix, &input, body, super::#error_name::from_response)
            }
        }
        (Some(prefix), None) => quote! {
            ::aws_lite_runtime::operation::invoke_with_host_prefix(&self.handle.conf, &super::OPERATION, #prefix, #input_arg, super::#error_name::from_response)
        },
        (None, None) => quote! {
            ::aws_lite_runtime::operation::invoke(&self.handle.conf, &super::OPERATION, #input_arg, super::#error_name::from_response)
        },
    };
    // What the query/ec2 and XML protocols need from the input and output, in crates whose
    // model lists them.
    let write_query = super::query::speaks_query(svc).then(|| {
        quote! {
            #[inline]
            fn write_query(&self, writer: &mut ::aws_lite_runtime::query_form::QueryWriter) -> ::std::result::Result<(), ::aws_lite_runtime::http::BoxError> {
                ::aws_lite_runtime::query_form::QueryWrite::write_query(self, writer, "");
                ::std::result::Result::Ok(())
            }
        }
    });
    let output_xml = super::xml::speaks_xml(svc).then(|| {
        let wrapper = match &op.output_bindings.result_wrapper {
            Some(w) => quote!(::std::option::Option::Some(#w)),
            None => quote!(::std::option::Option::None),
        };
        // rest-xml: a structure payload member is the whole body.
        let read = super::xml::payload_output_read(cx, op).unwrap_or_else(|| quote! {
            #[inline]
            fn read_xml(reader: &mut ::aws_lite_runtime::xml::XmlReader<'_>, element: &::aws_lite_runtime::xml::XmlTag<'_>) -> ::std::result::Result<Self, ::aws_lite_runtime::xml::XmlError> {
                <Self as ::aws_lite_runtime::xml::XmlRead>::read_xml(reader, element)
            }
        });
        quote! {
            const XML_RESULT_WRAPPER: ::std::option::Option<&'static str> = #wrapper;
            #read
        }
    });
    let streaming_output = svc.stream_member(&op.output_shape).is_some();
    let event_stream_output = svc.event_stream_member(&op.output_shape).is_some();
    // A blocking `send()` reads a streaming output whole: its connection is driven only
    // while `send()` runs.
    let blocking_send = match svc.stream_member(&op.output_shape) {
        Some(m) => {
            let field = ident(&cx.member_names(&op.output_shape, m).field);
            // An event stream's events are then read from memory.
            let body = if svc.event_stream(&m.target).is_some() {
                quote!(out.#field.body_mut())
            } else {
                quote!(&mut out.#field)
            };
            quote! {
                mode.block_on(async move {
                    let mut out = #fluent_name { handle, inner, mode: ::aws_lite_runtime::blocking::Async }.send().await?;
                    ::aws_lite_runtime::blocking::read_whole(#body).await?;
                    ::std::result::Result::Ok(out)
                })
            }
        }
        None => quote! {
            mode.block_on(#fluent_name { handle, inner, mode: ::aws_lite_runtime::blocking::Async }.send())
        },
    };
    let output_stream = super::http::output_stream_items(cx, op);
    // A `ByteStream` in the input builder is not `Clone` (as in the official crates).
    let fluent_derives = if input_stream.is_some() {
        quote!(Debug)
    } else {
        quote!(Clone, Debug)
    };
    let no_auth = op.no_auth;
    let xml_body = super::xml::xml_body_fn(cx, op);
    let post_read = super::xml::post_read_fn(cx, op);
    let static_params = op.static_endpoint_params.iter().map(|(name, value)| {
        let value = match value {
            StaticParam::Bool(b) => quote!(::aws_lite_runtime::endpoint::StaticParam::Bool(#b)),
            StaticParam::Str(s) => quote!(::aws_lite_runtime::endpoint::StaticParam::Str(#s)),
        };
        quote!((#name, #value))
    });
    let endpoint_params = endpoint_params(cx, svc, &op.input_shape, &in_spec.structure.members);
    let request_checksum = match &op.request_checksum {
        Some(checksum) => {
            let required = checksum.required;
            let header = match &checksum.algorithm_header {
                Some(header) => quote!(#some(#header)),
                None => quote!(#none),
            };
            quote!(#some(::aws_lite_runtime::checksum::RequestChecksum { required: #required, algorithm_header: #header }))
        }
        None => quote!(#none),
    };
    quote! {
        #module_doc
        #input_def
        #input_checks
        impl ::aws_lite_runtime::operation::OperationInput for #input_name {
            #endpoint_params
            #http_input
            #write_query
            #xml_body
        }
        #output_def
        impl ::aws_lite_runtime::error::RequestId for #output_name {
            #[inline]
            fn request_id(&self) -> #option<&str> {
                self._request_id.as_deref()
            }
        }
        impl ::aws_lite_runtime::operation::OperationOutput for #output_name {
            #[inline]
            fn set_request_id(&mut self, request_id: #option<#string>) {
                self._request_id = request_id;
            }
            #http_output
            #output_stream
            #output_xml
            #post_read
        }
        #error_def
        #presigned_input
        pub(crate) static OPERATION: ::aws_lite_runtime::service::OperationMeta = ::aws_lite_runtime::service::OperationMeta {
            service: &#root::config::SERVICE,
            name: #wire,
            streaming_output: #streaming_output,
            event_stream_output: #event_stream_output,
            request_checksum: #request_checksum,
            static_endpoint_params: &[#(#static_params),*],
            no_auth: #no_auth,
        };
        /// Builders for this operation's input and output, and its fluent builder.
        pub mod builders {
            #input_builder_def
            #output_builder_def
            #fluent_docs
            ///
            /// The mode parameter `M` decides whether [`send`](Self::send) is async (the
            /// default) or blocking (with the crate's `blocking` feature).
            #[derive(#fluent_derives)]
            pub struct #fluent_name<M = ::aws_lite_runtime::blocking::Async> {
                handle: ::std::sync::Arc<#root::client::Handle>,
                inner: #input_builder,
                // Read only by the blocking `send()`.
                #[cfg_attr(not(feature = "blocking"), allow(dead_code))]
                mode: M,
            }
            impl #fluent_name {
                #[inline]
                pub(crate) fn new(handle: ::std::sync::Arc<#root::client::Handle>) -> Self {
                    Self::with_mode(handle, ::aws_lite_runtime::blocking::Async)
                }
                #from_input
                /// Sends the request and returns the response.
                ///
                /// Required parameters and the model's minimum lengths and values are checked
                /// first: when one fails, this returns a construction failure naming the member
                /// and the constraint, and nothing is sent.
                pub async fn send(self) -> #result<super::#output_name, ::aws_lite_runtime::error::SdkError<super::#error_name>> {
                    #build_input
                    #(#checks)*
                    #validate_call
                    #invoke.await
                }
                #presigned_method
                /// Customizes this call before sending, as in the official crate:
                /// `.customize().mutate_request(|req| ..).config_override(..).send().await`
                /// (see [`CustomizableOperation`](::aws_lite_runtime::customize::CustomizableOperation)).
                #[inline]
                pub fn customize(self) -> ::aws_lite_runtime::customize::CustomizableOperation<Self> {
                    ::aws_lite_runtime::customize::CustomizableOperation::new(self)
                }
            }
            impl ::aws_lite_runtime::customize::CustomizableSend for #fluent_name {
                type Output = super::#output_name;
                type Error = super::#error_name;
                #[inline]
                fn customizable_config(&self) -> &::aws_lite_runtime::config::Config {
                    &self.handle.conf
                }
                #[inline]
                fn with_customized_config(self, conf: ::aws_lite_runtime::config::Config) -> Self {
                    Self { handle: ::std::sync::Arc::new(#root::client::Handle { conf }), ..self }
                }
                #[inline]
                fn customized_send(self) -> impl ::std::future::Future<Output = #result<super::#output_name, ::aws_lite_runtime::error::SdkError<super::#error_name>>> + ::std::marker::Send {
                    self.send()
                }
            }
            #presigned_customizable
            #[cfg(feature = "blocking")]
            impl #fluent_name<::aws_lite_runtime::blocking::Blocking> {
                /// Sends the request, blocking until the response is read.
                ///
                /// Required parameters and the model's minimum lengths and values are checked
                /// first: when one fails, this returns a construction failure naming the member
                /// and the constraint, and nothing is sent.
                // The error type is the async `send()`'s, as in the official SDK.
                #[allow(clippy::result_large_err)]
                #[inline]
                pub fn send(self) -> #result<super::#output_name, ::aws_lite_runtime::error::SdkError<super::#error_name>> {
                    let #fluent_name { handle, inner, mode } = self;
                    #blocking_send
                }
            }
            impl<M> #fluent_name<M> {
                #[inline]
                pub(crate) fn with_mode(handle: ::std::sync::Arc<#root::client::Handle>, mode: M) -> Self {
                    Self { handle, inner: #default::default(), mode }
                }
                /// The input builder this fluent builder fills in.
                #[inline]
                pub fn as_input(&self) -> &#input_builder {
                    &self.inner
                }
                #into_paginator
                #(#delegates)*
            }
        }
        #paginator_mod
    }
}

/// The client method for one operation.
pub(crate) fn client_method(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let root = cx.root();
    let names = cx.op_names(op);
    let method = ident(&names.client_method);
    let module = ident(&names.module);
    let fluent = ident(&names.fluent_builder);
    let docs = super::doc_attrs(&operation_docs(cx, op), "");
    quote! {
        #docs
        #[inline]
        pub fn #method(&self) -> #root::operation::#module::builders::#fluent {
            #root::operation::#module::builders::#fluent::new(::std::sync::Arc::clone(&self.handle))
        }
    }
}

/// `into_paginator()` on the fluent builder, and the `paginator` module.
fn paginator(cx: &Ctx<'_>, op: &Operation) -> (TokenStream, TokenStream) {
    let root = cx.root();
    let svc = cx.svc;
    let Prelude {
        option,
        some,
        result,
        boxed,
        ..
    } = cx.prelude();
    let Some(p) = &op.paginator else {
        return (quote!(), quote!());
    };
    let names = cx.op_names(op);
    let paginator_name = ident(
        names
            .paginator
            .as_deref()
            .expect("the name table names every paginator"),
    );
    let fluent_name = ident(&names.fluent_builder);
    let input_builder = ident(&names.input_builder);
    let output_name = ident(&names.output);
    let error_name = ident(&names.error);
    let field = |shape: &str, member: &str| {
        let names = svc
            .names
            .member(shape, member)
            .expect("paginator members are members of the operation's input and output");
        ident(&names.field)
    };
    let input_token = field(&op.input_shape, &p.input_token);
    let token_ty = {
        let m = structure(svc.shape(&op.input_shape))
            .members
            .iter()
            .find(|m| m.wire_name == p.input_token)
            .expect("the input token is a member of the input");
        super::rust_type(cx, &m.target)
    };
    let next_token = path_ref(cx, op, &p.output_token);
    let page_size = p.limit_key.as_ref().map(|k| {
        let m = structure(svc.shape(&op.input_shape))
            .members
            .iter()
            .find(|m| &m.wire_name == k)
            .expect("the limit key is a member of the input");
        // As the official crates: an `i32` page size (an `i64` for a long), sent as text
        // where the model's member is a string.
        let (ty, value) = match &svc.shape(&m.target).kind {
            ShapeKind::Primitive(Primitive::Long) => (quote!(i64), quote!(limit)),
            ShapeKind::Primitive(Primitive::String) => (quote!(i32), quote!(limit.to_string())),
            _ => (quote!(i32), quote!(limit)),
        };
        let k = field(&op.input_shape, k);
        quote! {
            /// Sets how many results each page holds at most.
            #[inline]
            pub fn page_size(mut self, limit: #ty) -> Self {
                self.builder.#k = #some(#value);
                self
            }
        }
    });
    let items = p.items.as_ref().map(|(path, item)| {
        let items_name = ident(
            names
                .paginator_items
                .as_deref()
                .expect("the name table names every paginator's items"),
        );
        let item_ty = super::rust_type(cx, item);
        let take = path_take(cx, op, path);
        quote! {
            impl<M> #paginator_name<M> {
                /// Pages through the items of every page instead of the pages.
                #[inline]
                pub fn items(self) -> #items_name<M> {
                    #items_name(self)
                }
            }
            /// Pages through the items of every page.
            #[derive(Clone, Debug)]
            pub struct #items_name<M = ::aws_lite_runtime::blocking::Async>(#paginator_name<M>);
            impl #items_name {
                /// Starts paging: each item is fetched as needed, a page at a time.
                #[inline]
                pub fn send(self) -> ::aws_lite_runtime::paginate::PaginationStream<#result<#item_ty, ::aws_lite_runtime::error::SdkError<super::#error_name>>> {
                    self.0.send().items(|page: super::#output_name| #take)
                }
            }
            #[cfg(feature = "blocking")]
            impl #items_name<::aws_lite_runtime::blocking::Blocking> {
                /// Starts paging: an iterator that fetches each page when its first item is
                /// asked for, blocking until the page is read.
                #[inline]
                pub fn send(self) -> ::aws_lite_runtime::paginate::PaginationIter<#result<#item_ty, ::aws_lite_runtime::error::SdkError<super::#error_name>>> {
                    let (pages, mode) = self.0.into_async();
                    #items_name(pages).send().blocking(mode)
                }
            }
        }
    });
    // botocore's `more_results`: the last page is also the one that says there are no more.
    let (pages, more_results) = match &p.more_results {
        Some(path) => {
            // A plain `bool` all the way is read as it is; otherwise absent means false.
            let flag = if path.iter().all(|step| step_is_plain(cx, op, step)) {
                path_take(cx, op, path)
            } else {
                let flag = path_ref(cx, op, path);
                quote!(#flag == #some(&true))
            };
            (
                quote!(pages_while),
                quote!(|page: &super::#output_name| #flag,),
            )
        }
        None => (quote!(pages), quote!()),
    };
    let doc = super::doc_values([format!(
        " Pages through the results of `{}`, one request per page.",
        op.wire_name
    )]);
    let into = quote! {
        /// Creates a paginator that sends this request once per page, following the page tokens.
        #[inline]
        pub fn into_paginator(self) -> super::paginator::#paginator_name<M> {
            super::paginator::#paginator_name { handle: self.handle, builder: self.inner, mode: self.mode }
        }
    };
    let module = quote! {
        /// Paginators for this operation.
        pub mod paginator {
            #doc
            ///
            /// The mode parameter `M` decides whether `send()` gives an async stream (the
            /// default) or, from a blocking client, an iterator.
            #[derive(Clone, Debug)]
            pub struct #paginator_name<M = ::aws_lite_runtime::blocking::Async> {
                pub(crate) handle: ::std::sync::Arc<#root::client::Handle>,
                pub(crate) builder: super::builders::#input_builder,
                // Read only by the blocking `send()`.
                #[cfg_attr(not(feature = "blocking"), allow(dead_code))]
                pub(crate) mode: M,
            }
            impl<M> #paginator_name<M> {
                #page_size
            }
            #[cfg(feature = "blocking")]
            impl #paginator_name<::aws_lite_runtime::blocking::Blocking> {
                /// Starts paging: an iterator that fetches each page when asked for, blocking
                /// until it is read.
                #[inline]
                pub fn send(self) -> ::aws_lite_runtime::paginate::PaginationIter<#result<super::#output_name, ::aws_lite_runtime::error::SdkError<super::#error_name>>> {
                    let (pages, mode) = self.into_async();
                    pages.send().blocking(mode)
                }
                #[inline]
                fn into_async(self) -> (#paginator_name, ::aws_lite_runtime::blocking::Blocking) {
                    let #paginator_name { handle, builder, mode } = self;
                    (#paginator_name { handle, builder, mode: ::aws_lite_runtime::blocking::Async }, mode)
                }
            }
            impl #paginator_name {
                /// Starts paging: each page is fetched when asked for.
                #[inline]
                pub fn send(self) -> ::aws_lite_runtime::paginate::PaginationStream<#result<super::#output_name, ::aws_lite_runtime::error::SdkError<super::#error_name>>> {
                    let handle = self.handle;
                    let builder = self.builder;
                    ::aws_lite_runtime::paginate::PaginationStream::#pages(
                        move |token: #option<#token_ty>| {
                            let mut input = builder.clone();
                            input.#input_token = token;
                            let fluent = super::builders::#fluent_name::from_input(::std::sync::Arc::clone(&handle), input);
                            #boxed::pin(fluent.send())
                        },
                        |page: &super::#output_name| #next_token,
                        #more_results
                    )
                }
            }
            #items
        }
    };
    (into, module)
}

/// Whether the member at a step of a paginator's path is a plain field (not an `Option`): the
/// first step is a member of the operation's output, the others of types.
fn step_is_plain(cx: &Ctx<'_>, op: &Operation, (shape, member): &(String, String)) -> bool {
    let role = if *shape == op.output_shape {
        Role::Output
    } else {
        Role::Type
    };
    structure(cx.svc.shape(shape))
        .members
        .iter()
        .find(|m| &m.wire_name == member)
        .is_some_and(|m| role.is_plain(cx.svc, m))
}

fn step_field(cx: &Ctx<'_>, (shape, member): &(String, String)) -> proc_macro2::Ident {
    let names = cx
        .svc
        .names
        .member(shape, member)
        .expect("paginator paths are made of structure members");
    ident(&names.field)
}

/// The member at a paginator's `path`, borrowed from `page` (a reference to the output): an
/// `Option<&T>` expression.
fn path_ref(cx: &Ctx<'_>, op: &Operation, path: &[(String, String)]) -> TokenStream {
    let Prelude { some, .. } = cx.prelude();
    let mut expr = quote!(page);
    let mut optional = false;
    for step in path {
        let f = step_field(cx, step);
        let plain = step_is_plain(cx, op, step);
        expr = match (optional, plain) {
            (false, true) => quote!(#expr.#f),
            (false, false) => quote!(#expr.#f.as_ref()),
            (true, true) => quote!(#expr.map(|v| &v.#f)),
            (true, false) => quote!(#expr.and_then(|v| v.#f.as_ref())),
        };
        optional |= !plain;
    }
    if optional {
        expr
    } else {
        quote!(#some(&#expr))
    }
}

/// The member at a paginator's `path`, moved out of `page` (the output): its value, or its
/// type's default when a step is absent.
fn path_take(cx: &Ctx<'_>, op: &Operation, path: &[(String, String)]) -> TokenStream {
    let mut expr = quote!(page);
    let mut optional = false;
    for step in path {
        let f = step_field(cx, step);
        let plain = step_is_plain(cx, op, step);
        expr = match (optional, plain) {
            (false, _) => quote!(#expr.#f),
            (true, true) => quote!(#expr.map(|v| v.#f)),
            (true, false) => quote!(#expr.and_then(|v| v.#f)),
        };
        optional |= !plain;
    }
    if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}

/// The `endpoint_params` method of an operation input: one call per member marked
/// `contextParam`, by its type (strings, enums and booleans; the only kinds botocore's models
/// bind). Nothing when no member is marked.
fn endpoint_params(cx: &Ctx<'_>, svc: &Service, shape: &str, members: &[Member]) -> TokenStream {
    let calls: Vec<TokenStream> = members
        .iter()
        .filter_map(|m| {
            let param = m.bindings.context_param.as_deref()?;
            let field = ident(&cx.member_names(shape, m).field);
            match &svc.shape(&m.target).kind {
                ShapeKind::Primitive(Primitive::String) => {
                    Some(quote!(params.string(#param, self.#field.as_deref());))
                }
                ShapeKind::Enum(_) => {
                    Some(quote!(params.string(#param, self.#field.as_ref().map(|v| v.as_str()));))
                }
                ShapeKind::Primitive(Primitive::Boolean) => {
                    Some(quote!(params.boolean(#param, self.#field);))
                }
                _ => None,
            }
        })
        .collect();
    if calls.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[inline]
        fn endpoint_params(&self, params: &mut ::aws_lite_runtime::endpoint::ContextParams) {
            #(#calls)*
        }
    }
}
