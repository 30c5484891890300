//! The model parser and the whole pipeline: bytes -> `parse_model` -> `ir::resolve` ->
//! `emit_crate`. Any input ends in a crate or a `CodegenError`, never a panic; a generated
//! crate always parses (emit checks each file with syn).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/service-2.json");
    let Ok(model) = codegen::parse_model(path, data) else {
        return;
    };
    let opts = codegen::emit::CrateOptions {
        crate_name: "aws-lite-fuzz-model".to_string(),
        runtime_path: "../runtime".to_string(),
        module_root: None,
    };
    if let Ok((_, files)) = codegen::generate_files(&model, path, None, &opts) {
        assert!(files.contains_key("src/lib.rs"));
    }
});
