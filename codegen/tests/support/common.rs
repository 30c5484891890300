//! Helpers shared by the generator's integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn dx_model_path() -> PathBuf {
    root().join("models/directconnect/service-2.json")
}

pub fn crate_opts(name: &str) -> codegen::emit::CrateOptions {
    codegen::emit::CrateOptions {
        crate_name: name.to_string(),
        runtime_path: "../../runtime".to_string(),
        module_root: None,
    }
}

/// Generates a crate in memory from a model file.
pub fn generate(
    model_path: &Path,
    ops: Option<&[String]>,
) -> (codegen::ir::Service, BTreeMap<String, String>) {
    let model = codegen::load_model(model_path).expect("model loads");
    codegen::generate_files(&model, model_path, ops, &crate_opts("snapshot")).expect("generates")
}

/// All files of a crate as one text, each under a header line, for snapshots.
pub fn joined(files: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (path, content) in files {
        out.push_str(&format!("===== {path} =====\n{content}\n"));
    }
    out
}
