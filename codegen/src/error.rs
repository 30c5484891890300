//! The generator's typed error. Every variant names the file, shape, member or JSON path at fault.

use std::path::PathBuf;

/// Everything that can go wrong while generating a crate.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The model file could not be read.
    #[error("cannot read model {path}: {source}")]
    ReadModel {
        /// The model file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The model file is not valid JSON or does not have the botocore structure.
    #[error("invalid model {path} at JSON path `{json_path}`: {message}")]
    ParseModel {
        /// The model file.
        path: PathBuf,
        /// Where in the JSON document the problem is.
        json_path: String,
        /// What is wrong.
        message: String,
    },
    /// The model is well-formed JSON but its content is inconsistent.
    #[error("invalid model {path} at JSON path `{json_path}`: {message}")]
    InvalidModel {
        /// The model file.
        path: PathBuf,
        /// Where in the JSON document the problem is.
        json_path: String,
        /// What is wrong.
        message: String,
    },
    /// `--ops` named an operation the model does not have.
    #[error("unknown operation `{name}` in --ops{}", suggestions(.close_matches))]
    UnknownOperation {
        /// The name as given.
        name: String,
        /// Operation names that look alike.
        close_matches: Vec<String>,
    },
    /// Generated code did not parse: a generator bug.
    #[error("generator bug: module {module} does not parse as Rust: {message}")]
    GeneratedCodeInvalid {
        /// The module (file) that failed.
        module: String,
        /// The parser's message.
        message: String,
    },
    /// Writing the output failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `--check` found files that differ from what the generator produces.
    #[error("generated output is stale; run `cargo xtask codegen` to update:\n{}", .files.join("\n"))]
    Stale {
        /// Files that would be added, changed or removed.
        files: Vec<String>,
    },
}

fn suggestions(close: &[String]) -> String {
    if close.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", close.join(", "))
    }
}

/// Result alias for the generator.
pub type Result<T, E = CodegenError> = std::result::Result<T, E>;
