//! Each distinct `impl` item is parsed and printed once per crate.
//!
//! The generated crate repeats many `impl` items word for word: the same getter, setter or
//! error helper for a member or exception that appears in several structures, builders and
//! operations (about 60 % of the `fn` lines of Direct Connect are such repeats). Before a file
//! is parsed, [`Extractor::extract`] replaces every item in the bodies of its `impl` blocks
//! (at the top level and in inline modules), after its outer attributes, by a one-line
//! placeholder item `fn __codegen_item_<n>() {}`. The items not yet in the crate-wide
//! [`ItemCache`] are printed together in one synthetic file whose `impl` sits at the same
//! depth, between marker items, and [`Extractor::substitute`] puts their text in place of the
//! placeholder lines.
//!
//! Why the text is the same as if the item had been printed in place: prettyplease prints the
//! items of an `impl` in a broken consistent box, each ending with a hard break, and an item's
//! outer attributes each end with a break of that box. So an item always starts a line at the
//! indentation of the box, and its layout depends only on its own tokens and that indentation;
//! after its closing hard break nothing of its length is left. [`Extractor::substitute`]
//! checks that each placeholder and each printed item makes whole lines at the expected
//! indentation, and that no marker name is left anywhere (a model could spell one); otherwise
//! the caller formats the file the ordinary way.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Names of the placeholder and marker items (and of the synthetic file's `impl` and modules).
const ITEM: &str = "__codegen_item_";
const SPLIT: &str = "__codegen_split";
const MARKER_PREFIXES: &[&str] = &["__codegen_", "__Codegen"];

/// Printed items by indentation and item tokens, shared by the files of a crate.
#[derive(Debug, Default)]
pub(super) struct ItemCache {
    map: Mutex<HashMap<usize, HashMap<String, Arc<str>>>>,
}

impl ItemCache {
    fn get(&self, indent: usize, key: &str) -> Option<Arc<str>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&indent)?.get(key).cloned()
    }
}

/// One file's extracted items.
pub(super) struct Extractor<'a> {
    cache: &'a ItemCache,
    /// Per placeholder: indentation and the text once known.
    slots: Vec<(usize, Option<Arc<str>>)>,
    /// Items to print: placeholder, cache key and tokens.
    pending: Vec<(usize, String, TokenStream)>,
    /// Placeholder of each item printed in this file, by indentation and key.
    seen: HashMap<usize, HashMap<String, usize>>,
}

impl<'a> Extractor<'a> {
    pub(super) fn new(cache: &'a ItemCache) -> Self {
        Extractor {
            cache,
            slots: Vec::new(),
            pending: Vec::new(),
            seen: HashMap::new(),
        }
    }

    /// The file's tokens with `impl` items replaced by placeholders.
    pub(super) fn extract(&mut self, tokens: TokenStream) -> TokenStream {
        self.items(tokens, 0)
    }

    /// The placeholder for an item, registered as cached or to print.
    fn placeholder(&mut self, indent: usize, key: String, tokens: TokenStream) -> usize {
        if let Some(&n) = self.seen.get(&indent).and_then(|m| m.get(key.as_str())) {
            return n;
        }
        let n = self.slots.len();
        let cached = self.cache.get(indent, &key);
        if cached.is_none() {
            self.seen.entry(indent).or_default().insert(key.clone(), n);
            self.pending.push((n, key, tokens));
        }
        self.slots.push((indent, cached));
        n
    }

    /// A sequence of items (a file or an inline module's body) at `depth` modules deep.
    fn items(&mut self, tokens: TokenStream, depth: usize) -> TokenStream {
        #[derive(PartialEq)]
        enum Kind {
            Other,
            Impl,
            Mod,
        }
        let mut out: Vec<TokenTree> = Vec::new();
        // Only attributes, visibility and qualifiers since the item began.
        let mut prefix = true;
        let mut kind = Kind::Other;
        for tt in tokens {
            match tt {
                TokenTree::Punct(p) if p.as_char() == ';' => {
                    out.push(TokenTree::Punct(p));
                    prefix = true;
                    kind = Kind::Other;
                }
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                    let (span, stream) = (g.span(), g.stream());
                    drop(g);
                    let body = match kind {
                        Kind::Impl => self.impl_body(stream, depth + 1),
                        Kind::Mod => self.items(stream, depth + 1),
                        Kind::Other => stream,
                    };
                    let mut ng = Group::new(Delimiter::Brace, body);
                    ng.set_span(span);
                    out.push(TokenTree::Group(ng));
                    prefix = true;
                    kind = Kind::Other;
                }
                TokenTree::Punct(p) if prefix && matches!(p.as_char(), '#' | '!') => {
                    out.push(TokenTree::Punct(p));
                }
                TokenTree::Group(g)
                    if prefix
                        && matches!(g.delimiter(), Delimiter::Bracket | Delimiter::Parenthesis) =>
                {
                    out.push(TokenTree::Group(g));
                }
                TokenTree::Ident(id) if prefix => {
                    if id == "impl" {
                        kind = Kind::Impl;
                        prefix = false;
                    } else if id == "mod" {
                        kind = Kind::Mod;
                        prefix = false;
                    } else if !(id == "pub" || id == "unsafe" || id == "default") {
                        prefix = false;
                    }
                    out.push(TokenTree::Ident(id));
                }
                other => {
                    prefix = false;
                    out.push(other);
                }
            }
        }
        out.into_iter().collect()
    }

    /// The body of an `impl` block whose items print at `depth * 4` columns.
    fn impl_body(&mut self, tokens: TokenStream, depth: usize) -> TokenStream {
        let toks: Vec<TokenTree> = tokens.into_iter().collect();
        let is_punct = |i: usize, c: char| matches!(toks.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
        // Split into (outer attributes, rest) chunks; give up on anything unusual.
        let mut chunks: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let start = i;
            while is_punct(i, '#')
                && matches!(toks.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket)
            {
                i += 2;
            }
            let rest = i;
            if is_punct(rest, '#') {
                // An inner attribute of the block, or something else unusual.
                return toks.into_iter().collect();
            }
            let mut saw_fn = false;
            let end = loop {
                let Some(tt) = toks.get(i) else {
                    return toks.into_iter().collect();
                };
                i += 1;
                match tt {
                    TokenTree::Punct(p) if p.as_char() == ';' => break i,
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && saw_fn => break i,
                    TokenTree::Ident(id) if id == "fn" => saw_fn = true,
                    _ => {}
                }
            };
            if rest + 1 == end {
                // A lone `;` or `{}`.
                return toks.into_iter().collect();
            }
            chunks.push((start..rest, rest..end));
        }
        let indent = depth * 4;
        let mut toks: Vec<Option<TokenTree>> = toks.into_iter().map(Some).collect();
        let mut out: Vec<TokenTree> = Vec::new();
        for (attrs, rest) in chunks {
            out.extend(toks[attrs].iter_mut().filter_map(Option::take));
            let rest: TokenStream = toks[rest].iter_mut().filter_map(Option::take).collect();
            let key = rest.to_string();
            if key.contains(super::placeholder::SUFFIX) {
                // Doc placeholders are numbered per file: not shareable.
                out.extend(rest);
                continue;
            }
            let n = self.placeholder(indent, key, rest);
            out.extend(placeholder_item(n));
        }
        out.into_iter().collect()
    }

    /// Prints the items not in the cache (after `prepare`, the sanitizing the file had), adds
    /// them to it, and replaces the placeholder lines of `text`; `None` when anything is not
    /// as expected.
    pub(super) fn substitute(
        mut self,
        text: &str,
        prepare: impl Fn(TokenStream) -> TokenStream,
    ) -> Option<String> {
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            self.print_pending(pending, prepare)?;
        }
        let mut out = String::with_capacity(text.len() * 2);
        let mut used = vec![false; self.slots.len()];
        for line in text.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            let trimmed = body.trim_start_matches(' ');
            let Some(n) = trimmed
                .strip_prefix("fn ")
                .and_then(|s| s.strip_prefix(ITEM))
                .and_then(|s| s.strip_suffix("() {}"))
            else {
                out.push_str(line);
                continue;
            };
            let n: usize = n.parse().ok()?;
            let (indent, item) = self.slots.get(n)?;
            if body.len() - trimmed.len() != *indent {
                return None;
            }
            used[n] = true;
            out.push_str(item.as_deref()?);
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
        if used.iter().any(|u| !u) || MARKER_PREFIXES.iter().any(|m| out.contains(m)) {
            return None;
        }
        Some(out)
    }

    /// Prints `pending` items in one synthetic file per indentation and records their text.
    fn print_pending(
        &mut self,
        pending: Vec<(usize, String, TokenStream)>,
        prepare: impl Fn(TokenStream) -> TokenStream,
    ) -> Option<()> {
        let mut by_indent: HashMap<usize, Vec<(usize, String, TokenStream)>> = HashMap::new();
        for item in pending {
            by_indent
                .entry(self.slots[item.0].0)
                .or_default()
                .push(item);
        }
        let mut fresh: Vec<(usize, String, Arc<str>)> = Vec::new();
        for (indent, items) in by_indent {
            let depth = indent / 4;
            if depth == 0 || indent % 4 != 0 {
                return None;
            }
            let mut keys = Vec::with_capacity(items.len());
            let mut body: Vec<TokenTree> = Vec::new();
            for (n, key, tokens) in items {
                keys.push((n, key));
                body.extend(marker_item());
                body.extend(prepare(tokens));
            }
            body.extend(marker_item());
            let mut stream: TokenStream = [
                TokenTree::Ident(Ident::new("impl", Span::call_site())),
                TokenTree::Ident(Ident::new("__Codegen", Span::call_site())),
                TokenTree::Group(Group::new(Delimiter::Brace, body.into_iter().collect())),
            ]
            .into_iter()
            .collect();
            for _ in 1..depth {
                stream = [
                    TokenTree::Ident(Ident::new("mod", Span::call_site())),
                    TokenTree::Ident(Ident::new("__codegen", Span::call_site())),
                    TokenTree::Group(Group::new(Delimiter::Brace, stream)),
                ]
                .into_iter()
                .collect();
            }
            let file: syn::File = syn::parse2(stream).ok()?;
            let printed = prettyplease::unparse(&file);
            drop(file);
            let marker = format!("{}fn {SPLIT}() {{}}\n", " ".repeat(indent));
            let mut parts = printed.split(marker.as_str());
            parts.next()?; // the synthetic `mod` and `impl` lines
            for (n, key) in keys {
                let item = parts.next()?.strip_suffix('\n')?;
                let first_indent = item.len() - item.trim_start_matches(' ').len();
                if first_indent != indent || item.contains(SPLIT) {
                    return None;
                }
                let item: Arc<str> = Arc::from(item);
                self.slots[n].1 = Some(item.clone());
                fresh.push((indent, key, item));
            }
            // The rest: the closing braces only.
            let tail = parts.next()?;
            if parts.next().is_some() || !tail.lines().all(|l| l.trim() == "}") {
                return None;
            }
        }
        let mut known = self.cache.map.lock().unwrap_or_else(|e| e.into_inner());
        for (indent, key, item) in fresh {
            known.entry(indent).or_default().insert(key, item);
        }
        Some(())
    }
}

/// `fn __codegen_item_<n>() {}`.
fn placeholder_item(n: usize) -> [TokenTree; 4] {
    let span = Span::call_site();
    [
        TokenTree::Ident(Ident::new("fn", span)),
        TokenTree::Ident(Ident::new(&format!("{ITEM}{n}"), span)),
        TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())),
        TokenTree::Group(Group::new(Delimiter::Brace, TokenStream::new())),
    ]
}

/// `fn __codegen_split() {}`.
fn marker_item() -> [TokenTree; 4] {
    let span = Span::call_site();
    [
        TokenTree::Ident(Ident::new("fn", span)),
        TokenTree::Ident(Ident::new(SPLIT, span)),
        TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())),
        TokenTree::Group(Group::new(Delimiter::Brace, TokenStream::new())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn plain(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).expect("parses"))
    }

    fn fast(tokens: TokenStream, cache: &ItemCache) -> Option<String> {
        let mut extractor = Extractor::new(cache);
        let skeleton = extractor.extract(tokens);
        let text = plain(skeleton);
        extractor.substitute(&text, |t| t)
    }

    fn file(name: &str) -> TokenStream {
        let ty = quote::format_ident!("{name}");
        quote! {
            //! Module docs.
            pub struct #ty { a: u8 }
            impl #ty {
                /// Returns `a`.
                #[must_use]
                pub fn a(&self) -> u8 { self.a }
                pub fn a_very_long_method_name_that_wraps(&self, first_argument: ::std::option::Option<::std::string::String>, second: u8) -> ::std::option::Option<::std::string::String> { first_argument }
                const C: u8 = 1;
                type T = u8;
            }
            impl ::std::fmt::Display for #ty {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { ::std::write!(f, "{}", self.a) }
            }
            pub mod builders {
                pub struct B;
                impl B {
                    pub fn a(&self) -> u8 { 1 }
                    pub fn a_very_long_method_name_that_wraps(&self, first_argument: ::std::option::Option<::std::string::String>, second: u8) -> ::std::option::Option<::std::string::String> { first_argument }
                }
            }
            fn free() -> impl ::std::fmt::Debug { 1 }
        }
    }

    #[test]
    fn same_text_as_printing_in_place_and_items_are_shared() {
        let cache = ItemCache::default();
        for name in ["First", "Second"] {
            assert_eq!(
                fast(file(name), &cache).as_deref(),
                Some(&*plain(file(name)))
            );
        }
        let map = cache.map.lock().unwrap();
        // `a`, the long method, `C`, `T` and `fmt` at 4 columns; `a` and the long one at 8.
        assert_eq!(map[&4].len(), 5);
        assert_eq!(map[&8].len(), 2);
    }

    #[test]
    fn unusual_blocks_are_left_in_place() {
        let cache = ItemCache::default();
        let tokens = quote! {
            impl A { #![allow(dead_code)] fn f() {} }
            impl B { fn g() {} m! {} }
        };
        assert_eq!(
            fast(tokens.clone(), &cache).as_deref(),
            Some(&*plain(tokens))
        );
        assert!(cache.map.lock().unwrap().is_empty());
    }

    #[test]
    fn marker_names_in_the_code_give_up() {
        for tokens in [
            quote! { impl A { fn __codegen_item_0() {} } },
            quote! { impl A { fn f() { let __codegen_split = 1; } } },
            quote! { struct __Codegen; },
        ] {
            assert_eq!(fast(tokens, &ItemCache::default()), None);
        }
    }
}
