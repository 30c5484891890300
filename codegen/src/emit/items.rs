//! Each distinct `impl` item, struct field and enum variant is parsed and printed once per
//! crate.
//!
//! The generated crate repeats many of them word for word: the same getter, setter or error
//! helper, the same field with its serde attribute, the same error variant, for a member or
//! exception that appears in several structures, builders and operations (about half of the
//! non-doc lines of Direct Connect are such repeats). Before a file is parsed,
//! [`Extractor::extract`] replaces each of them (in the bodies of `impl` blocks, structs with
//! named fields and enums, at the top level and in inline modules) by a one-line placeholder:
//! `fn __codegen_item_<n>() {}`, `__codegen_field_<n>: ()` or `__CodegenVariant<n>`. Leading
//! doc attributes are not part of the piece (their placeholders are numbered per file): when
//! they are nothing but doc placeholders, their lines are put back with the piece's text, and
//! consecutive such pieces share one placeholder line (a run, numbered `<n>`); otherwise they
//! stay in place. Other attributes (`#[inline]`, `#[serde(..)]`) from the first one on are
//! part of the piece. Pieces are keyed by their tokens before the sanitizer runs (its result
//! is a function of them). The pieces not yet in the crate-wide [`ItemCache`] are sanitized
//! and printed together in one synthetic file with the same kind of body at the same depth,
//! between marker pieces, and [`Extractor::substitute`] puts their text in place of the
//! placeholder lines.
//!
//! Why the text is the same as if the piece had been printed in place: prettyplease prints the
//! items of an `impl`, the fields of a struct and the variants of an enum in the body's broken
//! consistent box, each ending with a hard break (after a `,` for fields and variants), and
//! each attribute ends with a break of that box (a hard one for docs). So a piece always
//! starts a line at the indentation of the box, and its layout depends only on its own tokens
//! and that indentation; after its closing hard break nothing of its length is left.
//! [`Extractor::substitute`] checks that each placeholder and each printed piece makes whole
//! lines at the expected indentation, and that no marker name is left anywhere (a model could
//! spell one); otherwise the caller formats the file the ordinary way.

use proc_macro2::{Delimiter, Group, Ident, Spacing, Span, TokenStream, TokenTree};
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// Marker names: no output may contain them.
const MARKER_PREFIXES: &[&str] = &["__codegen_", "__Codegen"];

/// Where a piece sits, which decides how it is split off, replaced and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Context {
    /// An item of an `impl` block.
    ImplItem,
    /// A named field of a struct.
    Field,
    /// A variant of an enum.
    Variant,
}

impl Context {
    /// The tokens of the placeholder for run `n` (without the `,` that follows a field or
    /// variant).
    fn placeholder(self, n: usize) -> Vec<TokenTree> {
        let span = Span::call_site();
        match self {
            Context::ImplItem => vec![
                TokenTree::Ident(Ident::new("fn", span)),
                TokenTree::Ident(Ident::new(&format!("__codegen_item_{n}"), span)),
                TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())),
                TokenTree::Group(Group::new(Delimiter::Brace, TokenStream::new())),
            ],
            Context::Field => vec![
                TokenTree::Ident(Ident::new(&format!("__codegen_field_{n}"), span)),
                TokenTree::Punct(proc_macro2::Punct::new(':', Spacing::Alone)),
                TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())),
            ],
            Context::Variant => vec![TokenTree::Ident(Ident::new(
                &format!("__CodegenVariant{n}"),
                span,
            ))],
        }
    }

    /// The run number in a placeholder's printed line (without indentation).
    fn parse_placeholder(self, line: &str) -> Option<usize> {
        let n = match self {
            Context::ImplItem => line
                .strip_prefix("fn __codegen_item_")?
                .strip_suffix("() {}")?,
            Context::Field => line
                .strip_prefix("__codegen_field_")?
                .strip_suffix(": (),")?,
            Context::Variant => line.strip_prefix("__CodegenVariant")?.strip_suffix(',')?,
        };
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n.parse().ok()
    }

    /// The marker piece put between pieces in the synthetic file, and its printed line.
    fn marker(self) -> (Vec<TokenTree>, &'static str) {
        let span = Span::call_site();
        match self {
            Context::ImplItem => (
                vec![
                    TokenTree::Ident(Ident::new("fn", span)),
                    TokenTree::Ident(Ident::new("__codegen_split", span)),
                    TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())),
                    TokenTree::Group(Group::new(Delimiter::Brace, TokenStream::new())),
                ],
                "fn __codegen_split() {}",
            ),
            Context::Field => (
                vec![
                    TokenTree::Ident(Ident::new("__codegen_split", span)),
                    TokenTree::Punct(proc_macro2::Punct::new(':', Spacing::Alone)),
                    TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())),
                    TokenTree::Punct(proc_macro2::Punct::new(',', Spacing::Alone)),
                ],
                "__codegen_split: (),",
            ),
            Context::Variant => (
                vec![
                    TokenTree::Ident(Ident::new("__CodegenSplit", span)),
                    TokenTree::Punct(proc_macro2::Punct::new(',', Spacing::Alone)),
                ],
                "__CodegenSplit,",
            ),
        }
    }

    /// The synthetic item holding `body`: `impl __Codegen {..}`, `struct __Codegen {..}` or
    /// `enum __Codegen {..}`.
    fn wrapper(self, body: TokenStream) -> TokenStream {
        let span = Span::call_site();
        let keyword = match self {
            Context::ImplItem => "impl",
            Context::Field => "struct",
            Context::Variant => "enum",
        };
        [
            TokenTree::Ident(Ident::new(keyword, span)),
            TokenTree::Ident(Ident::new("__Codegen", span)),
            TokenTree::Group(Group::new(Delimiter::Brace, body)),
        ]
        .into_iter()
        .collect()
    }
}

/// Where a piece prints: its context and indentation.
type At = (Context, usize);

/// A piece to print: placeholder number, cache key, tokens.
type Pending = (usize, String, TokenStream);

/// Printed pieces by context, indentation and tokens, shared by the files of a crate.
#[derive(Debug, Default)]
pub(super) struct ItemCache {
    map: Mutex<HashMap<At, HashMap<String, Arc<str>>>>,
}

impl ItemCache {
    fn get(&self, at: At, key: &str) -> Option<Arc<str>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&at)?.get(key).cloned()
    }
}

/// One file's extracted pieces.
pub(super) struct Extractor<'a> {
    cache: &'a ItemCache,
    /// Per placeholder: context, indentation and the text once known.
    slots: Vec<(At, Option<Arc<str>>)>,
    /// Pieces to print: placeholder, cache key and tokens.
    pending: Vec<Pending>,
    /// Placeholder of each piece to print from this file, by context, indentation and key.
    seen: HashMap<At, HashMap<String, usize>>,
    /// Consecutive pieces of a body that one placeholder line stands for: each piece's
    /// number and the doc placeholders in front of it.
    runs: Vec<Vec<(usize, Vec<usize>)>>,
}

impl<'a> Extractor<'a> {
    pub(super) fn new(cache: &'a ItemCache) -> Self {
        Extractor {
            cache,
            slots: Vec::new(),
            pending: Vec::new(),
            seen: HashMap::default(),
            runs: Vec::new(),
        }
    }

    /// The file's tokens with pieces replaced by placeholders.
    pub(super) fn extract(&mut self, tokens: TokenStream) -> TokenStream {
        self.items(tokens, 0)
    }

    /// The placeholder for a piece, registered as cached or to print.
    fn placeholder(&mut self, at: At, key: String, tokens: TokenStream) -> usize {
        if let Some(&n) = self.seen.get(&at).and_then(|m| m.get(key.as_str())) {
            return n;
        }
        let n = self.slots.len();
        let cached = self.cache.get(at, &key);
        if cached.is_none() {
            self.seen.entry(at).or_default().insert(key.clone(), n);
            self.pending.push((n, key, tokens));
        }
        self.slots.push((at, cached));
        n
    }

    /// A sequence of items (a file or an inline module's body) at `depth` modules deep.
    fn items(&mut self, tokens: TokenStream, depth: usize) -> TokenStream {
        #[derive(PartialEq)]
        enum Kind {
            Other,
            Mod,
            Body(Context),
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
                        Kind::Body(context) => self.body(stream, context, depth + 1),
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
                    let context = if id == "impl" {
                        Some(Kind::Body(Context::ImplItem))
                    } else if id == "struct" {
                        Some(Kind::Body(Context::Field))
                    } else if id == "enum" {
                        Some(Kind::Body(Context::Variant))
                    } else if id == "mod" {
                        Some(Kind::Mod)
                    } else {
                        None
                    };
                    if let Some(k) = context {
                        kind = k;
                        prefix = false;
                    } else if !(id == "pub" || id == "unsafe" || id == "default") {
                        prefix = false;
                    }
                    out.push(TokenTree::Ident(id));
                }
                TokenTree::Group(g) if kind == Kind::Body(Context::Field) => {
                    // A tuple struct: its fields are not split off.
                    kind = Kind::Other;
                    out.push(TokenTree::Group(g));
                }
                other => {
                    prefix = false;
                    out.push(other);
                }
            }
        }
        out.into_iter().collect()
    }

    /// The body of an `impl` block, struct or enum whose pieces print at `depth * 4` columns;
    /// unchanged when it has anything unusual.
    fn body(&mut self, tokens: TokenStream, context: Context, depth: usize) -> TokenStream {
        let toks: Vec<TokenTree> = tokens.into_iter().collect();
        let Some(chunks) = split(&toks, context) else {
            return toks.into_iter().collect();
        };
        let at = (context, depth * 4);
        let mut toks: Vec<Option<TokenTree>> = toks.into_iter().map(Some).collect();
        let mut out: Vec<TokenTree> = Vec::new();
        // The current run of placeholdered pieces and the separator after its last one.
        let mut run: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut run_after: Vec<TokenTree> = Vec::new();
        for (kept, piece, after) in chunks {
            let kept: Vec<TokenTree> = toks[kept].iter_mut().filter_map(Option::take).collect();
            let after: Vec<TokenTree> = toks[after].iter_mut().filter_map(Option::take).collect();
            let short = piece.len() == 1;
            let piece: TokenStream = toks[piece].iter_mut().filter_map(Option::take).collect();
            let key = (!short).then(|| piece.to_string());
            match key {
                // A unit variant (nothing to gain), or doc placeholders inside the piece
                // (numbered per file: not shareable).
                None => {
                    self.flush_run(context, &mut out, &mut run, &mut run_after);
                    out.extend(kept);
                    out.extend(piece);
                    out.extend(after);
                }
                Some(key) if key.contains(super::placeholder::SUFFIX) => {
                    self.flush_run(context, &mut out, &mut run, &mut run_after);
                    out.extend(kept);
                    out.extend(piece);
                    out.extend(after);
                }
                Some(key) => {
                    let n = self.placeholder(at, key, piece);
                    // Doc placeholders alone in front: their lines are put back with the
                    // piece's text, and the piece joins the run. Other attributes stay in
                    // place, in front of a new run.
                    match doc_numbers(&kept) {
                        Some(docs) => run.push((n, docs)),
                        None => {
                            self.flush_run(context, &mut out, &mut run, &mut run_after);
                            out.extend(kept);
                            run.push((n, Vec::new()));
                        }
                    }
                    run_after = after;
                }
            }
        }
        self.flush_run(context, &mut out, &mut run, &mut run_after);
        out.into_iter().collect()
    }

    /// Ends a run: one placeholder for its pieces, then the separator after the last one.
    fn flush_run(
        &mut self,
        context: Context,
        out: &mut Vec<TokenTree>,
        run: &mut Vec<(usize, Vec<usize>)>,
        after: &mut Vec<TokenTree>,
    ) {
        if run.is_empty() {
            return;
        }
        out.extend(context.placeholder(self.runs.len()));
        self.runs.push(std::mem::take(run));
        out.append(after);
    }

    /// Prints the pieces not in the cache (after `prepare`, the sanitizing the file had), adds
    /// them to it, and replaces the placeholder lines of `text`; `None` when anything is not
    /// as expected.
    pub(super) fn substitute(
        mut self,
        text: &str,
        docs_table: &super::placeholder::DocTable,
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
            let Some((context, r)) = [Context::ImplItem, Context::Field, Context::Variant]
                .into_iter()
                .find_map(|c| Some((c, c.parse_placeholder(trimmed)?)))
            else {
                out.push_str(line);
                continue;
            };
            let indentation = &body[..body.len() - trimmed.len()];
            let run = self.runs.get(r)?;
            for (i, (n, docs)) in run.iter().enumerate() {
                let ((slot_context, indent), piece) = self.slots.get(*n)?;
                if *slot_context != context || indentation.len() != *indent {
                    return None;
                }
                used[*n] = true;
                if i > 0 {
                    out.push('\n');
                }
                for &d in docs {
                    for doc in docs_table.outer_lines(d)? {
                        out.push_str(indentation);
                        out.push_str("///");
                        out.push_str(doc);
                        out.push('\n');
                    }
                }
                out.push_str(piece.as_deref()?);
            }
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
        if used.iter().any(|u| !u) || MARKER_PREFIXES.iter().any(|m| out.contains(m)) {
            return None;
        }
        Some(out)
    }

    /// Prints `pending` pieces in one synthetic file per context and indentation, and records
    /// their text.
    fn print_pending(
        &mut self,
        pending: Vec<Pending>,
        prepare: impl Fn(TokenStream) -> TokenStream,
    ) -> Option<()> {
        let mut groups: HashMap<At, Vec<Pending>> = HashMap::default();
        for piece in pending {
            groups.entry(self.slots[piece.0].0).or_default().push(piece);
        }
        let mut fresh: Vec<(At, String, Arc<str>)> = Vec::new();
        for ((context, indent), pieces) in groups {
            let depth = indent / 4;
            if depth == 0 || indent % 4 != 0 {
                return None;
            }
            let (marker, marker_line) = context.marker();
            let mut keys = Vec::with_capacity(pieces.len());
            let mut body: Vec<TokenTree> = Vec::new();
            for (n, key, tokens) in pieces {
                body.extend(marker.iter().cloned());
                // `prepare` only rewrites doc strings and `crate` paths: without those words
                // in the key (the tokens' text) it has nothing to do.
                if key.contains("doc") || key.contains("crate") {
                    body.extend(prepare(tokens));
                } else {
                    body.extend(tokens);
                }
                keys.push((n, key));
                if context != Context::ImplItem {
                    body.push(TokenTree::Punct(proc_macro2::Punct::new(
                        ',',
                        Spacing::Alone,
                    )));
                }
            }
            body.extend(marker);
            let mut stream = context.wrapper(body.into_iter().collect());
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
            let marker = format!("{}{marker_line}\n", " ".repeat(indent));
            let mut parts = printed.split(marker.as_str());
            parts.next()?; // the synthetic `mod` and wrapper lines
            for (n, key) in keys {
                let piece = parts.next()?.strip_suffix('\n')?;
                let first_indent = piece.len() - piece.trim_start_matches(' ').len();
                if first_indent != indent
                    || (context != Context::ImplItem && !piece.ends_with(','))
                    || MARKER_PREFIXES.iter().any(|m| piece.contains(m))
                {
                    return None;
                }
                let piece: Arc<str> = Arc::from(piece);
                self.slots[n].1 = Some(piece.clone());
                fresh.push(((context, indent), key, piece));
            }
            // The rest: the closing braces only.
            let tail = parts.next()?;
            if parts.next().is_some() || !tail.lines().all(|l| l.trim() == "}") {
                return None;
            }
        }
        let mut known = self.cache.map.lock().unwrap_or_else(|e| e.into_inner());
        for (at, key, piece) in fresh {
            known.entry(at).or_default().insert(key, piece);
        }
        Some(())
    }
}

/// The doc placeholder numbers of `attrs` when it is nothing but (at most four) outer doc
/// attributes with placeholders.
fn doc_numbers(attrs: &[TokenTree]) -> Option<Vec<usize>> {
    if attrs.len() > 8 || !attrs.len().is_multiple_of(2) {
        return None;
    }
    attrs
        .chunks(2)
        .map(|attr| match attr {
            [TokenTree::Punct(hash), TokenTree::Group(g)]
                if hash.as_char() == '#' && g.delimiter() == Delimiter::Bracket =>
            {
                let mut inner = g.stream().into_iter();
                match (inner.next(), inner.next(), inner.next(), inner.next()) {
                    (
                        Some(TokenTree::Ident(doc)),
                        Some(TokenTree::Punct(eq)),
                        Some(TokenTree::Literal(lit)),
                        None,
                    ) if doc == "doc" && eq.as_char() == '=' => {
                        super::placeholder::placeholder_number(&lit)
                    }
                    _ => None,
                }
            }
            _ => None,
        })
        .collect()
}

/// Splits a body into (kept attributes, piece, separator) ranges; `None` when anything is
/// unusual. Pieces keep their leading doc attributes in place; other attributes (such as
/// `#[inline]`) and any doc attribute after them belong to the piece. `impl` items end with
/// `;` or a `fn` body; fields and variants end before a `,` at the top level (outside `<..>`
/// for field types).
type Chunk = (Range<usize>, Range<usize>, Range<usize>);
fn split(toks: &[TokenTree], context: Context) -> Option<Vec<Chunk>> {
    let is_punct =
        |i: usize, c: char| matches!(toks.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    let attr_at = |i: usize| -> Option<&Group> {
        match (toks.get(i), toks.get(i + 1)) {
            (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g)))
                if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket =>
            {
                Some(g)
            }
            _ => None,
        }
    };
    let is_doc = |g: &Group| {
        let mut inner = g.stream().into_iter();
        matches!(
            (inner.next(), inner.next()),
            (Some(TokenTree::Ident(id)), Some(TokenTree::Punct(eq))) if id == "doc" && eq.as_char() == '='
        )
    };
    let mut chunks = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let start = i;
        while let Some(g) = attr_at(i) {
            if !is_doc(g) {
                break;
            }
            i += 2;
        }
        let piece_start = i;
        if is_punct(i, '#') && is_punct(i + 1, '!') {
            // An inner attribute of the block.
            return None;
        }
        let mut saw_fn = false;
        let mut angles = 0usize;
        let (piece_end, end) = loop {
            let Some(tt) = toks.get(i) else {
                if context == Context::ImplItem {
                    return None;
                }
                break (i, i);
            };
            i += 1;
            match (context, tt) {
                (Context::ImplItem, TokenTree::Punct(p)) if p.as_char() == ';' => break (i, i),
                (Context::ImplItem, TokenTree::Group(g))
                    if g.delimiter() == Delimiter::Brace && saw_fn =>
                {
                    break (i, i);
                }
                (Context::ImplItem, TokenTree::Ident(id)) if id == "fn" => saw_fn = true,
                (Context::Field | Context::Variant, TokenTree::Punct(p))
                    if p.as_char() == ',' && angles == 0 =>
                {
                    break (i - 1, i);
                }
                (Context::Field, TokenTree::Punct(p)) if p.as_char() == '<' => angles += 1,
                (Context::Field, TokenTree::Punct(p)) if p.as_char() == '>' => {
                    let arrow = matches!(
                        toks.get(i.wrapping_sub(2)),
                        Some(TokenTree::Punct(q)) if q.as_char() == '-' && q.spacing() == Spacing::Joint
                    );
                    if !arrow {
                        angles = angles.checked_sub(1)?;
                    }
                }
                _ => {}
            }
        };
        if piece_end == piece_start
            || (context == Context::ImplItem && piece_end == piece_start + 1)
        {
            // Attributes alone, a lone `;` or `,`.
            return None;
        }
        chunks.push((start..piece_start, piece_start..piece_end, piece_end..end));
    }
    Some(chunks)
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
        extractor.substitute(
            &text,
            &super::super::placeholder::DocTable::default(),
            |t| t,
        )
    }

    fn file(name: &str) -> TokenStream {
        let ty = quote::format_ident!("{name}");
        quote! {
            //! Module docs.
            pub struct #ty {
                /// Docs stay in place.
                #[serde(rename = "a", skip_serializing_if = "::std::option::Option::is_none", default)]
                pub a: ::std::option::Option<::std::collections::HashMap<::std::string::String, ::std::vec::Vec<u8>>>,
                f: fn(u8) -> u8,
                b: u8
            }
            #[derive(Debug)]
            pub enum E {
                /// A variant.
                A(crate::types::error::AVeryLongExceptionNameForTheSakeOfIt),
                #[serde(rename = "b")]
                B,
                C,
            }
            impl #ty {
                /// Returns `a`.
                #[must_use]
                pub fn a(&self) -> u8 { self.a }
                #[inline]
                /// A doc attribute after another attribute belongs to the piece.
                pub fn b(&self) -> u8 { 2 }
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
        // `a` (with `#[must_use]`), `b`, the long method, `C`, `T` and `fmt` at 4 columns; `a`
        // and the long one at 8.
        assert_eq!(map[&(Context::ImplItem, 4)].len(), 6);
        assert_eq!(map[&(Context::ImplItem, 8)].len(), 2);
        // The three fields; two variants (`C` stays in place).
        assert_eq!(map[&(Context::Field, 4)].len(), 3);
        assert_eq!(map[&(Context::Variant, 4)].len(), 2);
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
