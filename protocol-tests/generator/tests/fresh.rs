//! Plain `cargo test` fails when `generated/protocol-tests` is stale: regenerate it with
//! `cargo xtask codegen`.

#[test]
fn checked_in_protocol_test_crate_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("workspace root");
    let target = aws_lite_protocol_tests_generator::workspace_target(root, true);
    if let Err(e) = aws_lite_protocol_tests_generator::generate(&target) {
        panic!("{}: {e}", target.out.display());
    }
}
