//! Paths to the standard library's prelude items in generated code.
//!
//! The generated crate spells `Option`, `String`, `Result` and the other prelude items it
//! uses by their short names, unless one of its own types has such a name (a model may define
//! a shape `Option` or `Result`, as RDS does): then every use is a full path
//! (`::std::option::Option`), in the whole crate. Short names make the output about a tenth
//! shorter and quicker to generate, and read like hand-written code.
//!
//! The choice is made per crate by the name table
//! ([`Names::prelude_is_free`](crate::ir::names::Names::prelude_is_free)) and kept in the emitters' context
//! ([`super::Ctx::prelude`] gives the [`Prelude`] tokens to write).
//!
//! Derive macros (`#[derive(Clone, Debug)]`) are always spelled short: a type of the crate
//! cannot shadow them, because macros live in their own namespace.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;

/// A prelude item as the crate writes it: its short name or its full path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Std {
    /// The short name, e.g. `Option`.
    short: &'static str,
    /// The full path, e.g. `::std::option::Option`.
    full: &'static str,
    /// Whether the short name is written.
    use_short: bool,
}

impl ToTokens for Std {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let span = Span::call_site();
        if self.use_short {
            tokens.extend([TokenTree::Ident(Ident::new(self.short, span))]);
            return;
        }
        // `::a::b`: the empty segment before the leading `::` is skipped.
        for segment in self.full.split("::").skip(1) {
            tokens.extend([
                TokenTree::Punct(Punct::new(':', Spacing::Joint)),
                TokenTree::Punct(Punct::new(':', Spacing::Alone)),
                TokenTree::Ident(Ident::new(segment, span)),
            ]);
        }
    }
}

/// The prelude items generated code uses, each written as the crate's choice says
/// (destructure it: `let Prelude { option, string, .. } = cx.prelude();`, then
/// `quote!(#option<#string>)`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prelude {
    /// `Option`.
    pub(crate) option: Std,
    /// `Some`.
    pub(crate) some: Std,
    /// `None`.
    pub(crate) none: Std,
    /// `Result`.
    pub(crate) result: Std,
    /// `Ok`.
    pub(crate) ok: Std,
    /// `Err`.
    pub(crate) err: Std,
    /// `String`.
    pub(crate) string: Std,
    /// `Vec`.
    pub(crate) vec: Std,
    /// `Box`.
    pub(crate) boxed: Std,
    /// `Into`.
    pub(crate) into: Std,
    /// `Default`.
    pub(crate) default: Std,
}

impl Prelude {
    /// Short names when `short`, full paths otherwise.
    pub(super) fn new(short: bool) -> Self {
        let std = |short_name, full| Std {
            short: short_name,
            full,
            use_short: short,
        };
        Prelude {
            option: std("Option", "::std::option::Option"),
            some: std("Some", "::std::option::Option::Some"),
            none: std("None", "::std::option::Option::None"),
            result: std("Result", "::std::result::Result"),
            ok: std("Ok", "::std::result::Result::Ok"),
            err: std("Err", "::std::result::Result::Err"),
            string: std("String", "::std::string::String"),
            vec: std("Vec", "::std::vec::Vec"),
            boxed: std("Box", "::std::boxed::Box"),
            into: std("Into", "::std::convert::Into"),
            default: std("Default", "::std::default::Default"),
        }
    }

    /// Whether the short names are written.
    pub(crate) fn short(&self) -> bool {
        self.option.use_short
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn prints_short_or_full_as_chosen() {
        // Token for token what `quote!` makes of the full paths.
        let Prelude { option, string, .. } = Prelude::new(false);
        assert_eq!(
            quote!(#option<#string>).to_string(),
            quote!(::std::option::Option<::std::string::String>).to_string()
        );
        let Prelude { option, string, .. } = Prelude::new(true);
        assert_eq!(quote!(#option<#string>).to_string(), "Option < String >");
    }
}
