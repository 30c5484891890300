//! One module per operation: input, output, error, builders and the fluent builder.

use super::errors::op_error_def;
use super::syntax_docs::operation_docs;
use super::types::{Role, StructSpec, builder_def, setters, struct_def};
use crate::ir::{Operation, Service, Shape, ShapeKind, Structure};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `src/operation/mod.rs`.
pub(crate) fn mod_rs(svc: &Service) -> TokenStream {
    let mods = svc.operations.iter().map(|op| {
        let m = ident(&op.rust_name);
        let doc = format!(" Types for the `{}` operation.", op.wire_name);
        quote! { #[doc = #doc] pub mod #m; }
    });
    quote! {
        //! Operations: one module per operation with its input, output, error and builders.
        pub use ::aws_lite_runtime::error::RequestId;
        #(#mods)*
    }
}

fn empty_shape(name: &str) -> Shape {
    Shape {
        wire_name: name.to_string(),
        rust_name: name.to_string(),
        docs: String::new(),
        kind: ShapeKind::Structure(Structure {
            members: Vec::new(),
            exception: false,
        }),
        serialize: false,
        deserialize: false,
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
pub(crate) fn operation_rs(svc: &Service, op: &Operation) -> TokenStream {
    let stem = naming::unraw(&op.type_name).to_string();
    let input_name = format_ident!("{stem}Input");
    let output_name = format_ident!("{stem}Output");
    let error_name = format_ident!("{stem}Error");
    let fluent_name = format_ident!("{stem}FluentBuilder");
    let input_builder = format_ident!("{stem}InputBuilder");
    let output_builder = format_ident!("{stem}OutputBuilder");
    let wire = &op.wire_name;

    let empty_in = empty_shape(&format!("{stem}Input"));
    let empty_out = empty_shape(&format!("{stem}Output"));
    let in_shape = op
        .input
        .as_deref()
        .map(|i| svc.shape(i))
        .unwrap_or(&empty_in);
    let out_shape = op
        .output
        .as_deref()
        .map(|o| svc.shape(o))
        .unwrap_or(&empty_out);
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
    let input_def = struct_def(svc, &in_spec);
    let output_def = struct_def(svc, &out_spec);
    let input_builder_def = builder_def(svc, &in_spec, quote!(super::#input_name));
    let output_builder_def = builder_def(svc, &out_spec, quote!(super::#output_name));
    let error_def = op_error_def(svc, op);
    let delegates = in_spec
        .structure
        .members
        .iter()
        .map(|m| setters(svc, m, true));
    let checks = in_spec.structure.members.iter().filter(|m| m.required).map(|m| {
        let field = ident(&m.rust_name);
        let bare = naming::unraw(&m.rust_name).to_string();
        let detail = format!(
            "{wire} requires `{}`; set it with `.{bare}(..)`. No request was sent",
            m.wire_name
        );
        quote! {
            if input.#field.is_none() {
                return ::std::result::Result::Err(::aws_lite_runtime::error::SdkError::construction_failure(
                    ::aws_lite_runtime::error::BuildError::missing_field(#bare, #detail),
                ));
            }
        }
    });
    let summary = op.docs.split("\n\n").next().unwrap_or("").to_string();
    let fluent_doc = format!(
        "Fluent builder for the `{wire}` operation: set the parameters, then call [`send`](Self::send).\n\n{summary}\n\nSee [`Client::{0}`](crate::Client::{0}) for the request syntax, every parameter, the response and the errors.",
        naming::unraw(&op.rust_name)
    );
    let fluent_docs = super::doc_attrs(&fluent_doc, "");
    let module_doc = format!(" The `{wire}` operation.");
    // Operations the model gives no input send no body in CBOR.
    let build_input = if op.input.is_some() {
        quote!(let input = self.inner.build().map_err(::aws_lite_runtime::error::SdkError::construction_failure)?;)
    } else {
        quote!(self.inner.build().map_err(::aws_lite_runtime::error::SdkError::construction_failure)?;)
    };
    let input_arg = if op.input.is_some() {
        quote!(::std::option::Option::Some(&input))
    } else {
        quote!(::std::option::Option::None::<&super::#input_name>)
    };
    quote! {
        #![doc = #module_doc]
        #input_def
        #output_def
        impl ::aws_lite_runtime::error::RequestId for #output_name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                self._request_id.as_deref()
            }
        }
        impl ::aws_lite_runtime::json::OperationOutput for #output_name {
            fn set_request_id(&mut self, request_id: ::std::option::Option<::std::string::String>) {
                self._request_id = request_id;
            }
        }
        #error_def
        pub(crate) static OPERATION: ::aws_lite_runtime::service::OperationMeta = ::aws_lite_runtime::service::OperationMeta {
            service: &crate::config::SERVICE,
            name: #wire,
        };
        /// Builders for this operation's input and output, and its fluent builder.
        pub mod builders {
            #input_builder_def
            #output_builder_def
            #fluent_docs
            #[derive(::std::clone::Clone, ::std::fmt::Debug)]
            pub struct #fluent_name {
                handle: ::std::sync::Arc<crate::client::Handle>,
                inner: #input_builder,
            }
            impl #fluent_name {
                pub(crate) fn new(handle: ::std::sync::Arc<crate::client::Handle>) -> Self {
                    Self { handle, inner: ::std::default::Default::default() }
                }
                /// The input builder this fluent builder fills in.
                pub fn as_input(&self) -> &#input_builder {
                    &self.inner
                }
                /// Sends the request and returns the response.
                ///
                /// Required parameters are checked first: when one is missing, this returns a
                /// construction failure naming it, and nothing is sent.
                pub async fn send(self) -> ::std::result::Result<super::#output_name, ::aws_lite_runtime::error::SdkError<super::#error_name>> {
                    #build_input
                    #(#checks)*
                    ::aws_lite_runtime::json::invoke(&self.handle.conf, &super::OPERATION, #input_arg, super::#error_name::from_response).await
                }
                #(#delegates)*
            }
        }
    }
}

/// The client method for one operation.
pub(crate) fn client_method(svc: &Service, op: &Operation) -> TokenStream {
    let m = ident(&op.rust_name);
    let fluent = format_ident!("{}FluentBuilder", naming::unraw(&op.type_name));
    let docs = super::doc_attrs(&operation_docs(svc, op), "");
    quote! {
        #docs
        pub fn #m(&self) -> crate::operation::#m::builders::#fluent {
            crate::operation::#m::builders::#fluent::new(::std::sync::Arc::clone(&self.handle))
        }
    }
}
