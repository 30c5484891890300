//! insta snapshots of generated code: one per fixture model, and the `--ops
//! DeleteVirtualInterface` crate. The same crates are checked in under `generated/` and built
//! by the workspace, so every snapshot is also compiled (and linted with clippy -D warnings).

#[path = "support/common.rs"]
mod common;

#[test]
fn fixture_snapshots() {
    for name in codegen::FIXTURES {
        let path = codegen::fixture_model_path(&common::root(), name);
        let (_, files) = common::generate(&path, None);
        insta::assert_snapshot!(format!("fixture_{name}"), common::joined(&files));
    }
}

#[test]
fn delete_virtual_interface_snapshot() {
    let ops = vec!["DeleteVirtualInterface".to_string()];
    let (svc, files) = common::generate(&common::dx_model_path(), Some(&ops));
    // Exactly the shapes the operation reaches.
    let shapes: Vec<&str> = svc.shapes.keys().map(String::as_str).collect();
    assert_eq!(
        shapes,
        [
            "DeleteVirtualInterfaceRequest",
            "DeleteVirtualInterfaceResponse",
            "DirectConnectClientException",
            "DirectConnectServerException",
            "ErrorMessage",
            "VirtualInterfaceId",
            "VirtualInterfaceState",
        ]
    );
    insta::assert_snapshot!("ops_delete_virtual_interface", common::joined(&files));
}
