//! `validate_constraints`: the model's `min` checks on request values, before sending, and
//! the required members of nested structures that are `Option`s (members targeting a
//! structure or union, `@clientOptional` members: `Service::is_non_null`).

use super::Ctx;
use super::std_paths::Prelude;
use crate::ir::{Min, Primitive, ShapeKind, Structure};
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `impl #name { fn validate_constraints }` for a structure (`shape`, a wire name) sent in
/// requests that has something to check, or nothing. `check_required`: a required member
/// that is not a plain field must be set (a nested structure; an operation's input checks its
/// own required members first, with the operation's message).
pub(crate) fn validate_impl(
    cx: &Ctx<'_>,
    name: &TokenStream,
    shape: &str,
    structure: &Structure,
    check_required: bool,
    plain: impl Fn(&crate::ir::Member) -> bool,
) -> TokenStream {
    let svc = cx.svc;
    let Prelude {
        some, result, ok, ..
    } = cx.prelude();
    let must_set = |m: &crate::ir::Member| check_required && m.required && !plain(m);
    let members = structure
        .members
        .iter()
        // A stream's length is not known before it is sent.
        .filter(|m| {
            (svc.shape(&m.target).validate || must_set(m))
                && !super::http::is_stream(svc, shape, m)
        })
        .map(|m| {
            let field = ident(&cx.member_names(shape, m).field);
            let wire = &m.wire_name;
            let checks = value_checks(cx, &m.target, 0);
            if must_set(m) {
                let v0 = if checks.is_empty() { quote!(_) } else { quote!(v0) };
                quote! {
                    {
                        let at = at.member(#wire);
                        match &self.#field {
                            #some(#v0) => { #checks }
                            ::std::option::Option::None => {
                                return ::std::result::Result::Err(::aws_lite_runtime::validate::missing_member(&at));
                            }
                        }
                    }
                }
            } else if plain(m) {
                quote! {
                    {
                        let at = at.member(#wire);
                        let v0 = &self.#field;
                        #checks
                    }
                }
            } else {
                quote! {
                    if let #some(v0) = &self.#field {
                        let at = at.member(#wire);
                        #checks
                    }
                }
            }
        })
        .collect::<Vec<_>>();
    if members.is_empty() {
        return quote!();
    }
    quote! {
        impl #name {
            /// Checks the model's minimums on this value and everything in it.
            #[inline]
            pub(crate) fn validate_constraints(
                &self,
                at: &::aws_lite_runtime::validate::Path<'_>,
            ) -> #result<(), ::aws_lite_runtime::error::BuildError> {
                #(#members)*
                #ok(())
            }
        }
    }
}

/// The checks of one value: `v{depth}` (a reference) at the path `at`.
pub(crate) fn value_checks(cx: &Ctx<'_>, target: &str, depth: usize) -> TokenStream {
    let svc = cx.svc;
    let shape = svc.shape(target);
    if !shape.validate {
        return quote!();
    }
    let v = format_ident!("v{depth}");
    let own = match shape.min {
        Some(Min::Length(n)) => {
            let length = match &shape.kind {
                ShapeKind::Primitive(Primitive::String) => quote!(#v.chars().count()),
                ShapeKind::Primitive(Primitive::Blob) => {
                    quote!(::std::convert::AsRef::<[u8]>::as_ref(#v).len())
                }
                _ => quote!(#v.len()),
            };
            let n = Literal::u64_unsuffixed(n);
            quote!(::aws_lite_runtime::validate::min_length(&at, #length, #n)?;)
        }
        Some(Min::Integer(n)) => {
            let n = Literal::i64_unsuffixed(n);
            // `integer` is i32 and widens; `long` is already i64.
            let value = match &shape.kind {
                ShapeKind::Primitive(Primitive::Integer) => {
                    quote!(::std::primitive::i64::from(*#v))
                }
                _ => quote!(*#v),
            };
            quote!(::aws_lite_runtime::validate::min_integer(&at, #value, #n)?;)
        }
        Some(Min::Float(n)) => {
            let n = Literal::f64_unsuffixed(n);
            // `float` is f32 and widens; `double` is already f64.
            let value = match &shape.kind {
                ShapeKind::Primitive(Primitive::Float) => quote!(::std::primitive::f64::from(*#v)),
                _ => quote!(*#v),
            };
            quote!(::aws_lite_runtime::validate::min_float(&at, #value, #n)?;)
        }
        None => quote!(),
    };
    let next = format_ident!("v{}", depth + 1);
    let nested = match &shape.kind {
        ShapeKind::Structure(_) => quote!(#v.validate_constraints(&at)?;),
        ShapeKind::List(element) if svc.shape(element).validate => {
            let inner = value_checks(cx, element, depth + 1);
            let i = format_ident!("i{depth}");
            quote! {
                for (#i, #next) in #v.iter().enumerate() {
                    let at = at.index(#i);
                    #inner
                }
            }
        }
        ShapeKind::Map(key, value) if svc.shape(key).validate || svc.shape(value).validate => {
            let k = format_ident!("k{depth}");
            let key_block = svc.shape(key).validate.then(|| {
                let checks = value_checks(cx, key, depth + 1);
                quote!({ let #next = #k; #checks })
            });
            let (value_pat, value_block) = if svc.shape(value).validate {
                let checks = value_checks(cx, value, depth + 1);
                (quote!(#next), quote!(#checks))
            } else {
                (quote!(_), quote!())
            };
            quote! {
                for (#k, #value_pat) in #v.iter() {
                    let at = at.key(#k.as_str());
                    #key_block
                    #value_block
                }
            }
        }
        _ => quote!(),
    };
    quote!(#own #nested)
}
