//! Paths to the standard library's prelude items in generated code.
//!
//! The generated crate spells `Option`, `String`, `Result` and the other prelude items it
//! uses by their short names, unless one of its own types has such a name (a model may define
//! a shape `Option` or `Result`, as RDS does): then every use is a full path
//! (`::std::option::Option`), in the whole crate. Short names make the output about a tenth
//! shorter and quicker to generate, and read like hand-written code.
//!
//! The choice is made per crate ([`prelude_is_free`]) and holds for the files built inside
//! [`with_short_names`] on the current thread (token-building helpers deep in the emitters read
//! it, as they read the doc table of [`super::placeholder`]).
//!
//! Derive macros (`#[derive(Clone, Debug)]`) are always spelled short: a type of the crate
//! cannot shadow them, because macros live in their own namespace.

use crate::ir::{Service, ShapeKind};
use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;
use std::cell::Cell;

thread_local! {
    /// Whether the file being built uses short names.
    static SHORT: Cell<bool> = const { Cell::new(false) };
}

/// Prelude names that generated code uses, and that a type of the crate would shadow.
const PRELUDE_NAMES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Into", "Default",
];

/// Whether no type of the crate has the name of a prelude item that generated code uses.
///
/// Structures (exceptions and unions among them) and enums become types named after their
/// shape; the other types of the crate have fixed names or a suffix (`..Input`, `..Builder`,
/// `..Error`), and scalars, lists and maps become standard types.
pub(super) fn prelude_is_free(svc: &Service) -> bool {
    svc.shapes.values().all(|shape| {
        !matches!(shape.kind, ShapeKind::Structure(_) | ShapeKind::Enum(_))
            || !PRELUDE_NAMES.contains(&crate::naming::unraw(&shape.rust_name))
    })
}

/// Runs `build` with short names on or off on this thread (restored afterwards).
pub(super) fn with_short_names<R>(short: bool, build: impl FnOnce() -> R) -> R {
    let before = SHORT.with(|s| s.replace(short));
    let out = build();
    SHORT.with(|s| s.set(before));
    out
}

/// Whether the file being built uses short names.
pub(super) fn short_names() -> bool {
    SHORT.with(Cell::get)
}

/// A prelude item, printed short or as a full path (see the module docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Std(&'static str, &'static str);

impl ToTokens for Std {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let span = Span::call_site();
        if short_names() {
            tokens.extend([TokenTree::Ident(Ident::new(self.0, span))]);
            return;
        }
        // `::a::b`: the empty segment before the leading `::` is skipped.
        for segment in self.1.split("::").skip(1) {
            tokens.extend([
                TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                TokenTree::Punct(Punct::new(':', Spacing::Alone)),
                TokenTree::Ident(Ident::new(segment, span)),
            ]);
        }
    }
}

/// `Option`.
pub(crate) const OPTION: Std = Std("Option", "::std::option::Option");
/// `Some`.
pub(crate) const SOME: Std = Std("Some", "::std::option::Option::Some");
/// `None`.
pub(crate) const NONE: Std = Std("None", "::std::option::Option::None");
/// `Result`.
pub(crate) const RESULT: Std = Std("Result", "::std::result::Result");
/// `Ok`.
pub(crate) const OK: Std = Std("Ok", "::std::result::Result::Ok");
/// `Err`.
pub(crate) const ERR: Std = Std("Err", "::std::result::Result::Err");
/// `String`.
pub(crate) const STRING: Std = Std("String", "::std::string::String");
/// `Vec`.
pub(crate) const VEC: Std = Std("Vec", "::std::vec::Vec");
/// `Box`.
pub(crate) const BOX: Std = Std("Box", "::std::boxed::Box");
/// `Into`.
pub(crate) const INTO: Std = Std("Into", "::std::convert::Into");
/// `Default`.
pub(crate) const DEFAULT: Std = Std("Default", "::std::default::Default");

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn prints_short_or_full_as_chosen_and_restores_the_choice() {
        // Token for token what `quote!` makes of the full paths.
        assert_eq!(
            quote!(#OPTION<#STRING>).to_string(),
            quote!(::std::option::Option<::std::string::String>).to_string()
        );
        let short = with_short_names(true, || quote!(#OPTION<#STRING>).to_string());
        assert_eq!(short, "Option < String >");
        assert!(!short_names());
    }
}
