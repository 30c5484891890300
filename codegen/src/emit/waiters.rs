//! Waiters: the `waiters` module (one module per waiter with its fluent builder) and the
//! client's `Waiters` trait, from the compiled waiters of the IR ([`crate::waiters`]).
//!
//! Every acceptor becomes a function over one poll; path acceptors are the typed JMESPath
//! expressions emitted as Rust over the output structures (`Option<&T>` for a value,
//! `Option<Vec<&T>>` for a projection, `Option<bool>`/`Option<f64>`/`Option<&str>` for
//! computed values; see [`crate::waiters`] for the semantics).

use super::Ctx;
use super::std_paths::Prelude;
use super::types::{Role, setters};
use crate::ir::{Primitive, ShapeKind};
use crate::naming::{self, ident};
use crate::waiters::{CmpKind, CmpOp, Expr, Matcher, PathMatch, State, Ty, Waiter, ty_of};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Whether the operation is polled by a waiter (its fluent builder then has `from_input`).
pub(crate) fn has_waiter(cx: &Ctx<'_>, op_wire_name: &str) -> bool {
    cx.svc.waiters.iter().any(|w| w.operation == op_wire_name)
}

/// `pub mod waiters;` in `lib.rs`, when the crate has waiters.
pub(crate) fn lib_module(cx: &Ctx<'_>) -> TokenStream {
    if cx.svc.waiters.is_empty() {
        return quote!();
    }
    quote! {
        #[rustfmt::skip]
        pub mod waiters;
    }
}

/// The `Waiters` trait and its impl for `Client`, in `client.rs`, when the crate has waiters.
pub(crate) fn client_trait(cx: &Ctx<'_>) -> TokenStream {
    let svc = cx.svc;
    if svc.waiters.is_empty() {
        return quote!();
    }
    let root = cx.root();
    let mut decls = Vec::new();
    let mut impls = Vec::new();
    for w in &svc.waiters {
        let names = svc
            .names
            .waiter(&w.name)
            .expect("the name table names every waiter");
        let method = ident(&names.method);
        let module = ident(&names.module);
        let fluent = ident(&names.fluent_builder);
        let doc = super::doc_values([format!(" {}", waiter_summary(w))]);
        decls.push(quote! {
            #doc
            fn #method(&self) -> #root::waiters::#module::#fluent;
        });
        impls.push(quote! {
            #[inline]
            fn #method(&self) -> #root::waiters::#module::#fluent {
                #root::waiters::#module::#fluent::new(::std::sync::Arc::clone(&self.handle))
            }
        });
    }
    quote! {
        /// Waiter functions for the client.
        ///
        /// Import this trait to get `wait_until` methods on the client.
        pub trait Waiters {
            #(#decls)*
        }
        impl Waiters for Client {
            #(#impls)*
        }
    }
}

fn waiter_summary(w: &Waiter) -> String {
    match &w.description {
        Some(d) if !d.trim().is_empty() => {
            let d = d.trim();
            if d.ends_with('.') {
                d.to_string()
            } else {
                format!("{d}.")
            }
        }
        _ => format!("Wait for `{}`.", naming::unraw(&naming::snake(&w.name))),
    }
}

/// `src/waiters/mod.rs`.
pub(crate) fn mod_rs(cx: &Ctx<'_>) -> TokenStream {
    let svc = cx.svc;
    let mut doc = String::from(
        "Waiters: poll an operation until a resource reaches a state, from the model's `waiters-2.json`.\n\n\
Call them through the [`Waiters`](crate::client::Waiters) trait: \
`client.wait_until_<name>().<parameters>().wait(max_wait).await`.",
    );
    if !svc.skipped_waiters.is_empty() {
        doc.push_str("\n\nWaiters of the model left out, because an acceptor uses JMESPath this generator does not compile:\n");
        for e in &svc.skipped_waiters {
            doc.push_str(&format!("\n- {e}"));
        }
    }
    let doc = doc.replace("crate::", &format!("{}::", cx.doc_root()));
    let inner = super::inner_doc_attrs(&doc);
    let mods = svc.waiters.iter().map(|w| {
        let names = svc
            .names
            .waiter(&w.name)
            .expect("the name table names every waiter");
        let module = ident(&names.module);
        let doc = super::doc_values([format!(
            " Supporting types for the `{}` waiter.",
            naming::unraw(&names.module)
        )]);
        quote! { #doc pub mod #module; }
    });
    let root = cx.root();
    quote! {
        #inner
        #(#mods)*
        // As in the official crates: `?` turns a waiter's error into the crate's `Error`.
        impl<O, E> ::std::convert::From<::aws_lite_runtime::waiter::error::WaiterError<O, E>> for #root::Error
        where
            O: ::std::fmt::Debug + ::std::marker::Send + ::std::marker::Sync + 'static,
            E: ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static,
        {
            fn from(err: ::aws_lite_runtime::waiter::error::WaiterError<O, E>) -> Self {
                Self::unhandled(err)
            }
        }
    }
}

/// The file of one waiter's module.
pub(crate) fn file(cx: &Ctx<'_>, w: &Waiter) -> String {
    let names = cx
        .svc
        .names
        .waiter(&w.name)
        .expect("the name table names every waiter");
    format!("src/waiters/{}.rs", naming::unraw(&names.module))
}

/// `src/waiters/<waiter>.rs`.
pub(crate) fn waiter_rs(cx: &Ctx<'_>, w: &Waiter) -> TokenStream {
    let svc = cx.svc;
    let root = cx.root();
    let Prelude { result, .. } = cx.prelude();
    let names = svc
        .names
        .waiter(&w.name)
        .expect("the name table names every waiter");
    let op = svc
        .operation(&w.operation)
        .expect("waiters are compiled only for operations of the crate");
    let op_names = cx.op_names(op);
    let op_module = ident(&op_names.module);
    let input_builder = ident(&op_names.input_builder);
    let output = ident(&op_names.output);
    let error = ident(&op_names.error);
    let op_fluent = ident(&op_names.fluent_builder);
    let fluent = ident(&names.fluent_builder);
    let final_poll = ident(&names.final_poll);
    let error_alias = ident(&names.error);
    let snake = naming::unraw(&names.module);
    let delegates = match &svc.shape(&op.input_shape).kind {
        ShapeKind::Structure(s) => s
            .members
            .iter()
            .map(|m| setters(cx, &op.input_shape, m, true))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let op_path = quote!(#root::operation::#op_module);
    let matchers = w.acceptors.iter().enumerate().map(|(i, a)| {
        let name = quote::format_ident!("matches_{}", i);
        let body = matcher_body(cx, &a.matcher);
        let doc = super::doc_values([format!(" Acceptor {i} of the model.")]);
        quote! {
            #doc
            fn #name(poll: &::aws_lite_runtime::waiter::Poll<'_, #op_path::#output, #op_path::#error>) -> bool {
                #body
            }
        }
    });
    let checks = w.acceptors.iter().enumerate().map(|(i, a)| {
        let name = quote::format_ident!("matches_{}", i);
        let state = match a.state {
            State::Success => quote!(Success),
            State::Failure => quote!(Failure),
            State::Retry => quote!(Retry),
        };
        quote! {
            if #name(&poll) {
                return ::aws_lite_runtime::waiter::AcceptorState::#state;
            }
        }
    });
    let min_delay = w.min_delay;
    let max_delay = w.max_delay;
    let status = op.http.response_code.unwrap_or(200);
    let module_doc = super::inner_doc_values([format!(" The `{snake}` waiter.")]);
    let builder_doc = format!(
        "Fluent builder for the `{snake}` waiter.\n\nThis builder is intended to be used similar to the other fluent builders for normal operations on the client. However, instead of a `send` method, it has a `wait` method that takes a maximum amount of time to wait.\n\nConstruct this fluent builder using the client by importing the [`Waiters`]({0}::client::Waiters) trait and calling the methods prefixed with `wait_until`.",
        cx.doc_root()
    );
    let builder_docs = super::doc_attrs(&builder_doc, "");
    let wait_doc = super::doc_attrs(
        &format!(
            "{}\n\nPolls `{}` (the first poll at once, then at least {min_delay} s apart, at most {max_delay} s, with jitter) until the resource reaches the state, an acceptor says it never will, or `max_wait` has passed.",
            waiter_summary(w),
            w.operation
        ),
        "",
    );
    let final_poll_doc =
        super::doc_values([format!(" Successful return type for the `{snake}` waiter.")]);
    let error_doc = super::doc_values([format!(" Error type for the `{snake}` waiter.")]);
    quote! {
        #module_doc
        #final_poll_doc
        pub type #final_poll = ::aws_lite_runtime::waiter::FinalPoll<#op_path::#output, ::aws_lite_runtime::error::SdkError<#op_path::#error, ::aws_lite_runtime::http::HttpResponse>>;
        #error_doc
        pub type #error_alias = ::aws_lite_runtime::waiter::error::WaiterError<#op_path::#output, #op_path::#error>;
        #builder_docs
        #[derive(Clone, Debug)]
        pub struct #fluent {
            handle: ::std::sync::Arc<#root::client::Handle>,
            inner: #op_path::builders::#input_builder,
        }
        impl #fluent {
            #[inline]
            pub(crate) fn new(handle: ::std::sync::Arc<#root::client::Handle>) -> Self {
                Self { handle, inner: ::std::default::Default::default() }
            }
            /// The input builder this fluent builder fills in.
            #[inline]
            pub fn as_input(&self) -> &#op_path::builders::#input_builder {
                &self.inner
            }
            #wait_doc
            pub async fn wait(self, max_wait: ::std::time::Duration) -> #result<#final_poll, #error_alias> {
                let Self { handle, inner } = self;
                let delays = ::aws_lite_runtime::waiter::Delays {
                    min_delay: ::std::time::Duration::from_secs(#min_delay),
                    max_delay: ::std::time::Duration::from_secs(#max_delay),
                    max_wait,
                };
                ::aws_lite_runtime::waiter::orchestrate(delays, #status, acceptor, || {
                    #op_path::builders::#op_fluent::from_input(::std::sync::Arc::clone(&handle), inner.clone()).send()
                })
                .await
            }
            #(#delegates)*
        }
        /// The model's acceptors in order: the first that matches decides.
        #[inline]
        fn acceptor(poll: ::aws_lite_runtime::waiter::Poll<'_, #op_path::#output, #op_path::#error>) -> ::aws_lite_runtime::waiter::AcceptorState {
            #(#checks)*
            ::aws_lite_runtime::waiter::AcceptorState::NoAcceptorsMatched
        }
        #(#matchers)*
    }
}

/// The body of one acceptor's function (a `bool` over `poll`).
fn matcher_body(cx: &Ctx<'_>, m: &Matcher) -> TokenStream {
    match m {
        Matcher::Status(code) => quote!(poll.status == #code),
        Matcher::AnyError(true) => quote!(poll.result.is_err()),
        Matcher::AnyError(false) => quote!(poll.result.is_ok()),
        Matcher::ErrorCode(code) => quote! {
            poll.result.err().is_some_and(|e| ::aws_lite_runtime::error::ProvideErrorMetadata::code(e) == ::std::option::Option::Some(#code))
        },
        Matcher::Path(PathMatch::Value(e)) => {
            let value = expr(cx, e);
            quote! {
                poll.result.ok().is_some_and(|output| #value == ::std::option::Option::Some(true))
            }
        }
        Matcher::Path(PathMatch::Elements { all, list, test }) => {
            let list = expr(cx, list);
            let test = expr(cx, test);
            let check = if *all {
                quote!(!list.is_empty() && list.into_iter().all(|current| #test == ::std::option::Option::Some(true)))
            } else {
                quote!(list.into_iter().any(|current| #test == ::std::option::Option::Some(true)))
            };
            quote! {
                poll.result.ok().is_some_and(|output| (#list).is_some_and(|list| #check))
            }
        }
    }
}

/// A typed expression as Rust (see the module docs for the Rust type of each [`Ty`]).
fn expr(cx: &Ctx<'_>, e: &Expr) -> TokenStream {
    let svc = cx.svc;
    let some = quote!(::std::option::Option::Some);
    let none = quote!(::std::option::Option::None);
    match e {
        Expr::Output(_) => quote!(#some(output)),
        Expr::Current(_) => quote!(#some(current)),
        Expr::Field {
            base,
            structure,
            member,
            many,
        } => {
            let base = expr(cx, base);
            let m = match &svc.shape(structure).kind {
                ShapeKind::Structure(s) => s
                    .members
                    .iter()
                    .find(|m| &m.wire_name == member)
                    .expect("checked: the member exists"),
                _ => unreachable!("checked: a structure"),
            };
            let field = ident(&cx.member_names(structure, m).field);
            let plain = Role::Type.is_plain(svc, m);
            // `v` is `&Structure`: a plain field is `&Member`, an optional one
            // `Option<&Member>` (nulls left out of projections).
            let (get, step) = match (plain, m.boxed) {
                (true, false) => (quote!(&v.#field), quote!(map)),
                (true, true) => (quote!(&*v.#field), quote!(map)),
                (false, false) => (quote!(v.#field.as_ref()), quote!(and_then)),
                (false, true) => (quote!(v.#field.as_deref()), quote!(and_then)),
            };
            if *many {
                let step = if plain {
                    quote!(map)
                } else {
                    quote!(filter_map)
                };
                quote!((#base).map(|vs| vs.into_iter().#step(|v| #get).collect::<::std::vec::Vec<_>>()))
            } else {
                quote!((#base).#step(|v| #get))
            }
        }
        Expr::Flatten { base, many, inner } => {
            let b = expr(cx, base);
            match (many, inner) {
                (false, false) => quote!((#b).map(|l| l.iter().collect::<::std::vec::Vec<_>>())),
                (false, true) => {
                    quote!((#b).map(|l| l.iter().flat_map(|l| l.iter()).collect::<::std::vec::Vec<_>>()))
                }
                (true, false) => b,
                (true, true) => {
                    quote!((#b).map(|vs| vs.into_iter().flat_map(|l| l.iter()).collect::<::std::vec::Vec<_>>()))
                }
            }
        }
        Expr::Elements(base) => {
            let b = expr(cx, base);
            quote!((#b).map(|l| l.iter().collect::<::std::vec::Vec<_>>()))
        }
        Expr::MapValues(base) => {
            let b = expr(cx, base);
            quote!((#b).map(|m| m.values().collect::<::std::vec::Vec<_>>()))
        }
        Expr::Filter { base, cond } => {
            let b = expr(cx, base);
            let t = truthy(cx, cond);
            quote!((#b).map(|l| l.iter().filter(|&current| #t).collect::<::std::vec::Vec<_>>()))
        }
        Expr::Length(arg) => {
            let a = expr(cx, arg);
            let len = match ty_of(svc, arg) {
                Ty::Str => quote!(|s| s.chars().count() as f64),
                Ty::One(s) => match &svc.shape(&s).kind {
                    ShapeKind::Enum(_) => quote!(|s| s.as_str().chars().count() as f64),
                    ShapeKind::Primitive(Primitive::String) => {
                        quote!(|s| s.chars().count() as f64)
                    }
                    _ => quote!(|l| l.len() as f64),
                },
                _ => quote!(|l| l.len() as f64),
            };
            quote!((#a).map(#len))
        }
        Expr::Compare {
            op,
            kind,
            left,
            right,
        } => {
            if *kind == CmpKind::Null {
                // `x == null`: whether x is null (null == null too).
                let (l_null, r_null) = (**left == Expr::Null, **right == Expr::Null);
                let is_null = match (l_null, r_null) {
                    (true, true) => quote!(true),
                    (true, false) => {
                        let r = expr(cx, right);
                        quote!((#r).is_none())
                    }
                    _ => {
                        let l = expr(cx, left);
                        quote!((#l).is_none())
                    }
                };
                return match op {
                    CmpOp::Ne => quote!(#some(!#is_null)),
                    _ => quote!(#some(#is_null)),
                };
            }
            let l = as_kind(cx, left, *kind);
            let r = as_kind(cx, right, *kind);
            match op {
                CmpOp::Eq => quote!(#some(#l == #r)),
                CmpOp::Ne => quote!(#some(#l != #r)),
                ordering => {
                    let cmp = match ordering {
                        CmpOp::Lt => quote!(<),
                        CmpOp::Le => quote!(<=),
                        CmpOp::Gt => quote!(>),
                        _ => quote!(>=),
                    };
                    quote! {
                        match (#l, #r) {
                            (#some(l), #some(r)) => #some(l #cmp r),
                            _ => #none,
                        }
                    }
                }
            }
        }
        Expr::And(a, b) => {
            let a = as_kind(cx, a, CmpKind::Bool);
            let b = as_kind(cx, b, CmpKind::Bool);
            quote!({
                let a: ::std::option::Option<bool> = #a;
                if a == #some(true) { #b } else { a }
            })
        }
        Expr::Or(a, b) => {
            if ty_of(svc, e) == Ty::Bool {
                let a = as_kind(cx, a, CmpKind::Bool);
                let b = as_kind(cx, b, CmpKind::Bool);
                quote!({
                    let a: ::std::option::Option<bool> = #a;
                    if a == #some(true) { a } else { #b }
                })
            } else {
                let a = as_kind(cx, a, CmpKind::Str);
                let b = as_kind(cx, b, CmpKind::Str);
                quote!({
                    let a: ::std::option::Option<&str> = #a;
                    if a.is_some_and(|s| !s.is_empty()) { a } else { #b }
                })
            }
        }
        Expr::Not(a) => {
            if ty_of(svc, a) == Ty::Bool {
                let a = expr(cx, a);
                quote!(#some((#a) != #some(true)))
            } else {
                let t = truthy(cx, a);
                quote!(#some(!(#t)))
            }
        }
        Expr::Str(s) => quote!(#some(#s)),
        Expr::Num(n) => {
            let n = Literal::f64_suffixed(*n);
            quote!(#some(#n))
        }
        Expr::Bool(b) => quote!(#some(#b)),
        Expr::Null => quote!(#none::<bool>),
    }
}

/// An expression brought to a comparison kind: `Option<&str>`, `Option<f64>` or
/// `Option<bool>`.
fn as_kind(cx: &Ctx<'_>, e: &Expr, kind: CmpKind) -> TokenStream {
    let svc = cx.svc;
    let code = expr(cx, e);
    match ty_of(svc, e) {
        Ty::One(s) => match (&svc.shape(&s).kind, kind) {
            (ShapeKind::Enum(_), _) => quote!((#code).map(|v| v.as_str())),
            (ShapeKind::Primitive(Primitive::String), _) => quote!((#code).map(|v| v.as_str())),
            (ShapeKind::Primitive(Primitive::Boolean), _) => quote!((#code).copied()),
            (ShapeKind::Primitive(Primitive::Integer | Primitive::Long), _) => {
                quote!((#code).map(|v| *v as f64))
            }
            (ShapeKind::Primitive(Primitive::Float), _) => quote!((#code).map(|v| f64::from(*v))),
            _ => quote!((#code).copied()),
        },
        _ => code,
    }
}

/// Whether an expression is truthy, as a `bool` (false, null, `""`, `[]` and `{}` are not).
fn truthy(cx: &Ctx<'_>, e: &Expr) -> TokenStream {
    let svc = cx.svc;
    let code = expr(cx, e);
    match ty_of(svc, e) {
        Ty::Bool => quote!((#code) == ::std::option::Option::Some(true)),
        Ty::Num => quote!((#code).is_some()),
        Ty::Str => quote!((#code).is_some_and(|s| !s.is_empty())),
        Ty::Null => quote!(false),
        Ty::Many(_) => quote!((#code).is_some_and(|l| !l.is_empty())),
        Ty::One(s) => match &svc.shape(&s).kind {
            ShapeKind::Enum(_) => quote!((#code).is_some_and(|v| !v.as_str().is_empty())),
            ShapeKind::Primitive(Primitive::String) => {
                quote!((#code).is_some_and(|v| !v.is_empty()))
            }
            ShapeKind::Primitive(Primitive::Boolean) => quote!((#code).is_some_and(|v| *v)),
            ShapeKind::List(_) | ShapeKind::Map(..) => {
                quote!((#code).is_some_and(|v| !v.is_empty()))
            }
            // Numbers and timestamps are truthy; structures are refused by the checker.
            _ => quote!((#code).is_some()),
        },
    }
}
