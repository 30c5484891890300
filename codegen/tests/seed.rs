//! The seed test: the boto3 page for DeleteVirtualInterface (copied into
//! `fixtures/seed/`) is the reference for the generated shapes. It is parsed here and compared
//! with the generator's IR and the generated source. `e2e/tests/seed.rs` checks the compiled
//! crate's behaviour against the same page.

#[path = "support/common.rs"]
mod common;
#[path = "support/seed_page.rs"]
mod seed_page;

use seed_page::{Page, normalize, parse_page};

use codegen::ir::ShapeKind;

fn page() -> Page {
    let text = std::fs::read_to_string(
        common::root().join("codegen/tests/fixtures/seed/delete_virtual_interface.rst"),
    )
    .unwrap();
    let page = parse_page(&text);
    // The page parses into what it visibly holds.
    assert_eq!(page.params, vec![("virtualInterfaceId".to_string(), true)]);
    assert_eq!(page.response.len(), 1);
    assert_eq!(page.response[0].1.len(), 10);
    assert_eq!(page.meanings.len(), 10);
    assert_eq!(page.exceptions.len(), 2);
    page
}

#[test]
fn generated_shapes_match_the_boto3_page() {
    let page = page();
    let ops = ["DeleteVirtualInterface".to_string()];
    for selection in [Some(&ops[..]), None] {
        let (svc, files) = common::generate(&common::dx_model_path(), selection);
        let op = svc.operation("DeleteVirtualInterface").unwrap();

        // Request members and which are required.
        let ShapeKind::Structure(input) = &svc.shape(op.input.as_deref().unwrap()).kind else {
            panic!()
        };
        let params: Vec<(String, bool)> = input
            .members
            .iter()
            .map(|m| (m.wire_name.clone(), m.required))
            .collect();
        assert_eq!(params, page.params);

        // Response members, and the enum's values in documented order.
        let ShapeKind::Structure(output) = &svc.shape(op.output.as_deref().unwrap()).kind else {
            panic!()
        };
        let keys: Vec<&str> = output
            .members
            .iter()
            .map(|m| m.wire_name.as_str())
            .collect();
        let page_keys: Vec<&str> = page.response.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, page_keys);
        let state = &output.members[0];
        let ShapeKind::Enum(variants) = &svc.shape(&state.target).kind else {
            panic!("not an enum")
        };
        let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
        assert_eq!(values, page.response[0].1);

        // Every value carries the meaning the page gives it.
        for (variant, (value, meaning)) in variants.iter().zip(&page.meanings) {
            assert_eq!(&variant.wire_value, value);
            assert_eq!(
                normalize(&variant.docs),
                normalize(meaning),
                "meaning of {value}"
            );
        }
        // `unknown` has its own variant, apart from the catch-all.
        let names = svc.names.shape(&state.target).expect("the enum is named");
        assert_eq!(
            names.variants.last().map(|v| v.variant.as_str()),
            Some("UnknownValue")
        );

        // The exceptions, in the page's order.
        assert_eq!(op.errors, page.exceptions);

        // And the generated source says the same.
        let types = &files["src/types/mod.rs"];
        let start = types
            .find("pub enum VirtualInterfaceState {")
            .expect("enum emitted");
        let body = &types[start..start + types[start..].find("\n}").unwrap()];
        for (value, meaning) in &page.meanings {
            let first_words: String = normalize(meaning)
                .split(' ')
                .take(5)
                .collect::<Vec<_>>()
                .join(" ");
            let doc_line = body
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("/// `{value}`:")))
                .unwrap_or_else(|| panic!("no doc line for {value}"));
            assert!(normalize(doc_line).contains(&first_words), "{doc_line}");
        }
        assert!(types.contains("UnknownValue,"));
        assert!(
            types.contains("Unknown(crate::primitives::sealed_enum_unknown::UnknownVariantValue)")
        );
        let op_src: String = files["src/operation/delete_virtual_interface.rs"]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(op_src.contains("pubfnvirtual_interface_id(mutself,input:implInto<String>)->Self"));
        assert!(op_src.contains(
            "DirectConnectServerException(crate::types::error::DirectConnectServerException),"
        ));
        assert!(op_src.contains(
            "DirectConnectClientException(crate::types::error::DirectConnectClientException),"
        ));
        // The client method documents request, response and errors like the page.
        let client = &files["src/client.rs"];
        for needle in [
            "# Request syntax",
            "[REQUIRED",
            "# Response syntax",
            "# Errors",
            "\"confirming\" | \"verifying\"",
        ] {
            assert!(client.contains(needle), "client docs lack {needle}");
        }
    }
}
