//! The HTML-to-rustdoc converter: never panics, and its output can only ever become doc
//! lines (no control characters but `\n`, so every line is one `#[doc = ".."]` literal).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let md = codegen::docs::html_to_markdown(&html);
    for c in md.chars() {
        assert!(
            c == '\n' || !c.is_control(),
            "control character {c:?} in {md:?}"
        );
    }
    // Each line as a doc attribute on an item: exactly one item, one attribute per line.
    let attrs: String = md
        .lines()
        .map(|l| format!("#[doc = {:?}]\n", format!(" {l}")))
        .collect();
    let file: syn::File =
        syn::parse_str(&format!("{attrs}pub struct Documented;")).expect("doc lines parse");
    assert_eq!(file.items.len(), 1);
    let syn::Item::Struct(item) = &file.items[0] else {
        panic!("not a struct")
    };
    assert_eq!(item.attrs.len(), md.lines().count());
    let _ = codegen::docs::plain_text(&html);
    let _ = codegen::docs::value_descriptions(&html);
});
