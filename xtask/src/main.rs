//! `cargo xtask`: thin command-line front end to the generator and project chores.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks: code generation, model refresh, tests"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate a Rust crate from a botocore model (default: Direct Connect into generated/directconnect).
    Codegen {
        /// Model file (`service-2.json` or `.json.gz`).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Output crate folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only these operations (comma-separated) and the shapes they reach.
        #[arg(long, value_delimiter = ',')]
        ops: Option<Vec<String>>,
        /// Write nothing; fail listing the files that differ.
        #[arg(long)]
        check: bool,
        /// Package name of the generated crate (default: aws-lite-<service>).
        #[arg(long)]
        crate_name: Option<String>,
    },
    /// Refresh models/ from a botocore release on PyPI.
    Models {
        /// botocore version, e.g. 1.44.8.
        #[arg(long)]
        botocore: String,
    },
    /// Run every test: unit, snapshot, freshness, wire, moto; clippy -D warnings; rustdoc -D warnings.
    Test,
    /// Footprint and speed vs the official crate (bench/ workspace; results in BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        what: bench::BenchCmd,
    },
    /// Compare our names with the official crates' (writes codegen/tests/data/official-names/).
    OfficialNames,
    /// Generate every model of the pinned botocore wheel into target/corpus/out (robustness run).
    Corpus {
        /// Models generated in parallel (default: available cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Only these models (botocore folder names, comma-separated).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Afterwards build these generated crates with cargo clippy -D warnings (comma-separated).
        #[arg(long, value_delimiter = ',')]
        compile: Vec<String>,
    },
}

mod bench;
mod corpus;
mod models;
mod official_names;
mod official_types;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {cmd:?}");
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Code generation is allocation-bound (token streams and syntax trees): see BENCHMARKS.md.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<()> {
    let cli = Cli::parse();
    let root = workspace_root();
    match cli.command {
        Cmd::Codegen {
            model: None,
            out: None,
            ops: None,
            check,
            crate_name: None,
        } => {
            // Every checked-in crate under generated/.
            for target in codegen::workspace_targets(&root, check) {
                let summary = codegen::generate(&target)?;
                println!("codegen {}: {summary}", target.out.display());
            }
            // botocore's protocol test vectors: one client module and test per suite and case.
            let target = aws_lite_protocol_tests_generator::workspace_target(&root, check);
            let summary = aws_lite_protocol_tests_generator::generate(&target)?;
            println!("codegen {}: {summary}", target.out.display());
        }
        Cmd::Codegen {
            model,
            out,
            ops,
            check,
            crate_name,
        } => {
            let model = match model {
                Some(m) => absolute(&m)?,
                None => root.join("models/directconnect/service-2.json"),
            };
            let out = match out {
                Some(o) => absolute(&o)?,
                None => root.join("generated/directconnect"),
            };
            let runtime_path = codegen::relative_path(&out, &root.join("runtime"));
            let summary = codegen::generate(&codegen::Options {
                model,
                out: out.clone(),
                ops,
                check,
                crate_name,
                runtime_path,
            })?;
            println!("codegen {}: {summary}", out.display());
        }
        Cmd::Models { botocore } => models::refresh(&botocore, &root.join("models"))?,
        Cmd::Bench { what } => bench::run(&root, what)?,
        Cmd::OfficialNames => official_names::run(&root)?,
        Cmd::Corpus {
            jobs,
            only,
            compile,
        } => corpus::run(
            &root,
            &corpus::CorpusOptions {
                jobs: jobs
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
                only,
                compile,
            },
        )?,
        Cmd::Test => {
            // The moto server for the e2e tests lives in .venv (fast when already set up).
            run(Command::new("bash").arg(root.join("scripts/setup-test-env.sh")))?;
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
            run(Command::new(&cargo).current_dir(&root).args([
                "test",
                "--workspace",
                "--all-targets",
            ]))?;
            // The runtime alone, with its default features plus `fast-sha256` and
            // `official-types`: in the workspace run above, protocol-tests and e2e turn on
            // `rpc-v2-cbor`, so the CBOR-off paths run only here, the signer hashes with the sha2
            // crate only here, and `BuildError` and `Blob` are aws-smithy-types' only here.
            run(Command::new(&cargo).current_dir(&root).args([
                "test",
                "-p",
                "aws-lite-runtime",
                "--all-targets",
                "--features",
                "fast-sha256,official-types",
            ]))?;
            run(Command::new(&cargo).current_dir(&root).args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))?;
            run(Command::new(&cargo).current_dir(&root).args([
                "clippy",
                "-p",
                "aws-lite-runtime",
                "--all-targets",
                "--features",
                "fast-sha256,official-types",
                "--",
                "-D",
                "warnings",
            ]))?;
            // Generated crates with aws-smithy-types' `BuildError` and `Blob`: they compile with them.
            run(Command::new(&cargo).current_dir(&root).args([
                "clippy",
                "-p",
                "aws-lite-dynamodb-tables",
                "-p",
                "aws-lite-lambda",
                "-p",
                "aws-lite-s3",
                "--features",
                "official-types",
                "--",
                "-D",
                "warnings",
            ]))?;
            // The runtime with no protocol and no HTTP client: every feature-gated path off.
            run(Command::new(&cargo).current_dir(&root).args([
                "clippy",
                "-p",
                "aws-lite-runtime",
                "--no-default-features",
                "--",
                "-D",
                "warnings",
            ]))?;
            // The runtime with the other TLS backend: its default client on hyper-rustls.
            run(Command::new(&cargo).current_dir(&root).args([
                "clippy",
                "-p",
                "aws-lite-runtime",
                "--all-targets",
                "--no-default-features",
                "--features",
                "rustls,aws-json",
                "--",
                "-D",
                "warnings",
            ]))?;
            run(Command::new(&cargo)
                .current_dir(&root)
                .env("RUSTDOCFLAGS", "-D warnings")
                .args([
                    "doc",
                    "--no-deps",
                    "-p",
                    "aws-lite-directconnect",
                    "-p",
                    "aws-lite-runtime",
                ]))?;
        }
    }
    Ok(())
}
