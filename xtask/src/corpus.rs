//! `cargo xtask corpus`: runs the generator over every model of a pinned botocore release.
//!
//! The wheel is fetched once with `python3 -m pip download --no-deps botocore==VERSION` into
//! `target/corpus/` and its `botocore/data/*/*/service-2.json.gz` files are extracted next to
//! it (both cached), with the paginators, waiters and endpoint rule sets the generator reads
//! beside them; the waiters generated and left out are counted. Each model is generated twice in memory (the two results must be
//! byte-identical; every Rust file already parses with syn inside the generator) and written to
//! `target/corpus/out/<model>`. A panic is caught and reported as a failure of that model.
//! `--compile a,b` then builds the chosen crates with `cargo clippy -D warnings` in a
//! workspace of their own (`target/corpus/Cargo.toml`, target dir `target/corpus/target`).

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The botocore release the corpus comes from (the one `models/` is pinned to).
pub const BOTOCORE_VERSION: &str = "1.44.8";

/// Options of `cargo xtask corpus`.
pub struct CorpusOptions {
    /// Models generated in parallel.
    pub jobs: usize,
    /// Only these models (botocore folder names); all when empty.
    pub only: Vec<String>,
    /// Generated crates to build with clippy afterwards (botocore folder names).
    pub compile: Vec<String>,
}

/// One model file of the corpus.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// `dynamodb`, or `ec2@2015-04-15` for a version older than the service's latest.
    pub(crate) name: String,
    pub(crate) path: PathBuf,
}

/// What happened to one model.
#[derive(Debug)]
struct Row {
    name: String,
    protocol: String,
    operations: usize,
    shapes: usize,
    result: std::result::Result<(), String>,
    elapsed: Duration,
    /// Waiters generated, and those left out (with the reason).
    waiters: usize,
    skipped_waiters: Vec<String>,
}

/// Downloads (once) and extracts (once) the wheel; returns the models, sorted by name.
pub(crate) fn corpus_models(corpus_dir: &Path) -> Result<Vec<Entry>> {
    let wheel = corpus_dir.join(format!("botocore-{BOTOCORE_VERSION}-py3-none-any.whl"));
    std::fs::create_dir_all(corpus_dir)?;
    if !wheel.exists() {
        eprintln!(
            "corpus: downloading botocore {BOTOCORE_VERSION} into {}",
            corpus_dir.display()
        );
        let status = Command::new("python3")
            .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:"])
            .arg("--disable-pip-version-check")
            .arg(format!("botocore=={BOTOCORE_VERSION}"))
            .arg("-d")
            .arg(corpus_dir)
            .status()
            .context("running `python3 -m pip download` (is python3 with pip installed?)")?;
        if !status.success() || !wheel.exists() {
            bail!("`python3 -m pip download botocore=={BOTOCORE_VERSION}` failed: {status}");
        }
    }
    let data = corpus_dir.join("data");
    // The generator also reads the paginators and endpoint rules beside each model.
    let marker = data.join(".extracted-v3");
    if !marker.exists() {
        // The same python3 `zipfile` approach as `cargo xtask models`: no zip crate needed.
        const EXTRACT: &str = r#"
import os, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
WANTED = {"service-2.json.gz", "paginators-1.json", "paginators-1.json.gz",
          "endpoint-rule-set-1.json", "endpoint-rule-set-1.json.gz",
          "waiters-2.json", "waiters-2.json.gz"}
n = 0
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        parts = name.split("/")
        if len(parts) == 5 and parts[:2] == ["botocore", "data"] and parts[4] in WANTED:
            dest = os.path.join(out, parts[2], parts[3], parts[4])
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(z.read(name))
            n += 1
print(n)
"#;
        if data.exists() {
            std::fs::remove_dir_all(&data)?;
        }
        let out = Command::new("python3")
            .arg("-c")
            .arg(EXTRACT)
            .arg(&wheel)
            .arg(&data)
            .output()
            .context("running python3 to extract the wheel")?;
        if !out.status.success() {
            bail!(
                "extracting {} failed: {}",
                wheel.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::fs::write(&marker, &out.stdout)?;
    }
    let mut entries = Vec::new();
    let mut services: Vec<PathBuf> = std::fs::read_dir(&data)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    services.sort();
    for service in services {
        let service_name = service
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut versions: Vec<String> = std::fs::read_dir(&service)?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("service-2.json.gz").exists())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        versions.sort();
        let latest = versions.last().cloned();
        for version in versions {
            let name = if Some(&version) == latest.as_ref() {
                service_name.clone()
            } else {
                format!("{service_name}@{version}")
            };
            entries.push(Entry {
                name,
                path: service.join(&version).join("service-2.json.gz"),
            });
        }
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-string payload".to_string())
}

/// Generates one model twice, compares, and writes it to `out`.
fn run_one(entry: &Entry, out: &Path, runtime: &Path) -> Row {
    let start = Instant::now();
    let mut row = Row {
        name: entry.name.clone(),
        protocol: String::from("?"),
        operations: 0,
        shapes: 0,
        result: Ok(()),
        elapsed: Duration::ZERO,
        waiters: 0,
        skipped_waiters: Vec::new(),
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
        || -> std::result::Result<(), String> {
            let model = codegen::load_model(&entry.path).map_err(|e| e.to_string())?;
            row.protocol = model.metadata.protocol.clone();
            let crate_opts = codegen::emit::CrateOptions {
                crate_name: codegen::default_crate_name(&model),
                runtime_path: codegen::relative_path(out, runtime),
                module_root: None,
            };
            let (svc, files) = codegen::generate_files(&model, &entry.path, None, &crate_opts)
                .map_err(|e| e.to_string())?;
            row.operations = svc.operations.len();
            row.shapes = svc.shapes.len();
            row.waiters = svc.waiters.len();
            row.skipped_waiters = svc.skipped_waiters.iter().map(|e| e.to_string()).collect();
            codegen::writer::write_tree(out, &files, codegen::writer::Mode::Write)
                .map_err(|e| e.to_string())?;
            row.elapsed = start.elapsed();
            // Determinism: a second run from a fresh parse gives the same bytes.
            let model2 = codegen::load_model(&entry.path).map_err(|e| e.to_string())?;
            let (_, files2) = codegen::generate_files(&model2, &entry.path, None, &crate_opts)
                .map_err(|e| e.to_string())?;
            if files2 != files {
                let differing: Vec<&String> = files
                    .keys()
                    .filter(|k| files2.get(*k) != files.get(*k))
                    .chain(files2.keys().filter(|k| !files.contains_key(*k)))
                    .take(5)
                    .collect();
                return Err(format!("second run differs: {differing:?}"));
            }
            Ok(())
        },
    ));
    if row.elapsed.is_zero() {
        row.elapsed = start.elapsed();
    }
    row.result = match outcome {
        Ok(r) => r,
        Err(payload) => Err(format!("PANIC: {}", panic_message(payload.as_ref()))),
    };
    row
}

fn one_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    if line.chars().count() > 160 {
        format!("{}…", line.chars().take(160).collect::<String>())
    } else {
        line.to_string()
    }
}

/// Runs the corpus; fails when any model fails or a chosen crate does not build.
pub fn run(root: &Path, opts: &CorpusOptions) -> Result<()> {
    let corpus_dir = root.join("target/corpus");
    let mut entries = corpus_models(&corpus_dir)?;
    if !opts.only.is_empty() {
        for name in &opts.only {
            if !entries.iter().any(|e| &e.name == name) {
                bail!("no model named `{name}` in the corpus");
            }
        }
        entries.retain(|e| opts.only.contains(&e.name));
    }
    let out_root = corpus_dir.join("out");
    let runtime = root.join("runtime");
    let total = entries.len();
    let jobs = opts.jobs.max(1).min(total.max(1));
    let terminal = std::io::stderr().is_terminal();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let rows: Mutex<Vec<Row>> = Mutex::new(Vec::with_capacity(total));
    let started = Instant::now();
    eprintln!("corpus: {total} models from botocore {BOTOCORE_VERSION}, {jobs} jobs");
    // Panics are reported in the table: keep their default stderr output off the progress line.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(entry) = entries.get(i) else { break };
                    let row = run_one(entry, &out_root.join(&entry.name), &runtime);
                    let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                    let status = match &row.result {
                        Ok(()) => "ok".to_string(),
                        Err(e) => format!("FAILED: {}", one_line(e)),
                    };
                    let mut err = std::io::stderr().lock();
                    if terminal {
                        let _ = write!(
                            err,
                            "\r\x1b[2K[{n}/{total}] {:<40} {} ms {}",
                            row.name,
                            row.elapsed.as_millis(),
                            if row.result.is_ok() { "" } else { "FAILED" }
                        );
                        if row.result.is_err() {
                            let _ = writeln!(err, "\r\x1b[2K{}: {status}", row.name);
                        }
                    } else {
                        let _ = writeln!(
                            err,
                            "[{n}/{total}] {} {} ms {status}",
                            row.name,
                            row.elapsed.as_millis()
                        );
                    }
                    rows.lock().unwrap_or_else(|p| p.into_inner()).push(row);
                }
            });
        }
    });
    std::panic::set_hook(default_hook);
    if terminal {
        eprintln!("\r\x1b[2K");
    }
    let wall = started.elapsed();
    let mut rows = rows.into_inner().unwrap_or_else(|p| p.into_inner());
    rows.sort_by(|a, b| a.name.cmp(&b.name));

    println!(
        "{:<44} {:<20} {:>6} {:>6} {:>8}  result",
        "model", "protocol", "ops", "shapes", "ms"
    );
    for r in &rows {
        println!(
            "{:<44} {:<20} {:>6} {:>6} {:>8}  {}",
            r.name,
            r.protocol,
            r.operations,
            r.shapes,
            r.elapsed.as_millis(),
            match &r.result {
                Ok(()) => "ok".to_string(),
                Err(e) => format!("FAILED: {}", one_line(e)),
            }
        );
    }
    let mut by_protocol: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in &rows {
        let e = by_protocol.entry(r.protocol.as_str()).or_default();
        if r.result.is_ok() {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let ok = rows.iter().filter(|r| r.result.is_ok()).count();
    let failed = rows.len() - ok;
    let cpu: Duration = rows.iter().map(|r| r.elapsed).sum();
    let mut slowest: Vec<&Row> = rows.iter().collect();
    slowest.sort_by_key(|b| std::cmp::Reverse(b.elapsed));
    println!();
    for (protocol, (ok, failed)) in &by_protocol {
        println!("  {protocol:<20} {ok:>4} ok {failed:>4} failed");
    }
    println!(
        "  slowest: {}",
        slowest
            .iter()
            .take(5)
            .map(|r| format!("{} {} ms", r.name, r.elapsed.as_millis()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "corpus: {} models, {ok} ok, {failed} failed; {:.1} s wall with {jobs} jobs ({:.1} s summed first-run generation, second runs for determinism included in wall time)",
        rows.len(),
        wall.as_secs_f64(),
        cpu.as_secs_f64()
    );

    let waiters: usize = rows.iter().map(|r| r.waiters).sum();
    let skipped: Vec<&String> = rows.iter().flat_map(|r| &r.skipped_waiters).collect();
    for s in &skipped {
        println!("  waiter left out: {s}");
    }
    println!(
        "corpus: {waiters} waiters generated, {} left out",
        skipped.len()
    );

    let mut compile_failed = Vec::new();
    if !opts.compile.is_empty() {
        compile_failed = compile(root, &corpus_dir, &out_root, &rows, &opts.compile)?;
    }
    if failed > 0 {
        bail!("{failed} models failed");
    }
    if !compile_failed.is_empty() {
        bail!(
            "generated crates failed to build: {}",
            compile_failed.join(", ")
        );
    }
    Ok(())
}

/// Builds the chosen generated crates with clippy -D warnings in their own workspace.
fn compile(
    root: &Path,
    corpus_dir: &Path,
    out_root: &Path,
    rows: &[Row],
    names: &[String],
) -> Result<Vec<String>> {
    for name in names {
        match rows.iter().find(|r| &r.name == name) {
            None => bail!("--compile {name}: no such model in this run"),
            Some(r) if r.result.is_err() => bail!("--compile {name}: its generation failed"),
            Some(_) => {}
        }
    }
    // A workspace of its own so the generated crates are not taken for members of the main one.
    let members: Vec<String> = names.iter().map(|n| format!("    \"out/{n}\",")).collect();
    std::fs::write(
        corpus_dir.join("Cargo.toml"),
        format!(
            "# written by cargo xtask corpus\n[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
            members.join("\n")
        ),
    )?;
    // Same dependency versions as the main workspace.
    let lock = corpus_dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock)?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut failed = Vec::new();
    for name in names {
        let manifest = out_root.join(name).join("Cargo.toml");
        let started = Instant::now();
        let status = Command::new(&cargo)
            .current_dir(corpus_dir)
            .env("CARGO_TARGET_DIR", corpus_dir.join("target"))
            .args(["clippy", "--manifest-path"])
            .arg(&manifest)
            .args(["--", "-D", "warnings"])
            .status()
            .with_context(|| format!("running cargo clippy for {name}"))?;
        let secs = started.elapsed().as_secs_f64();
        if status.success() {
            println!("compile {name}: cargo clippy -D warnings ok ({secs:.1} s)");
        } else {
            println!("compile {name}: FAILED ({status}, {secs:.1} s)");
            failed.push(name.clone());
        }
    }
    Ok(failed)
}
