//! Property tests of the HTML-to-rustdoc converter: any input, HTML-shaped or not, gives
//! Markdown whose every line stays one doc line (no control character but `\n`, so no
//! newline injection and no bare CR), and never panics.

use proptest::prelude::*;

/// HTML-ish text: tags the converter knows (and some it does not), entities, and text that
/// tries to leave a comment or an attribute.
fn html() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<code>".to_string()),
        Just("</code>".to_string()),
        Just("<pre>".to_string()),
        Just("</pre>".to_string()),
        Just("<ul>".to_string()),
        Just("</ul>".to_string()),
        Just("<li>".to_string()),
        Just("</li>".to_string()),
        Just("<a href=\"https://example.com/a b\n\t(x)\">".to_string()),
        Just("<a>".to_string()),
        Just("</a>".to_string()),
        Just("<b>".to_string()),
        Just("<note>".to_string()),
        Just("<br/>".to_string()),
        Just("<!-- c -->".to_string()),
        Just("&amp;".to_string()),
        Just("&#10;".to_string()),
        Just("&#13;".to_string()),
        Just("&#x0;".to_string()),
        Just("&#x202e;".to_string()),
        Just("*/".to_string()),
        Just("\"]".to_string()),
        Just("#[".to_string()),
        Just("`".to_string()),
        Just("\r\n".to_string()),
        "[ -~]{0,8}",
        ".{0,4}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn check(input: &str) -> Result<(), TestCaseError> {
    let md = codegen::docs::html_to_markdown(input);
    for c in md.chars() {
        prop_assert!(c == '\n' || !c.is_control(), "control {:?} in {:?}", c, md);
    }
    // Each line as a `#[doc]` attribute of one item: exactly one item, one attribute a line.
    let attrs: String = md
        .lines()
        .map(|l| format!("#[doc = {:?}]\n", format!(" {l}")))
        .collect();
    let file: syn::File = syn::parse_str(&format!("{attrs}pub struct Documented;")).unwrap();
    prop_assert_eq!(file.items.len(), 1);
    let syn::Item::Struct(item) = &file.items[0] else {
        return Err(TestCaseError::fail("not a struct"));
    };
    prop_assert_eq!(item.attrs.len(), md.lines().count());
    let plain = codegen::docs::plain_text(input);
    prop_assert!(
        !plain.chars().any(char::is_control),
        "plain_text: {:?}",
        plain
    );
    let _ = codegen::docs::value_descriptions(input);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(input in ".{0,200}") {
        check(&input)?;
    }

    #[test]
    fn html_shaped_strings(input in html()) {
        check(&input)?;
    }
}
