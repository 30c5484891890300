//! `cargo xtask bench footprint|codegen|runtime`: the measured footprint and speed comparison
//! against the official `aws-sdk-directconnect` crate (BENCHMARKS.md).
//!
//! - `footprint` builds each consumer program of the `bench/` workspace from a clean target
//!   folder (debug and release, one build at a time, alternating ours/official), and records
//!   wall time, CPU time and peak memory of the build (`wait4` rusage: the largest single
//!   process of the build tree), crates compiled, release binary size (stripped and not),
//!   lines of Rust, and the machine's load before each build. It then runs each release binary
//!   against a loopback stub endpoint. Results: `target/bench/footprint.{csv,json,svg}`, with
//!   copies in `bench/results/` (committed, linked from BENCHMARKS.md and README.md).
//!   The S3 and EC2 consumers (`bench/services`, keys `s3-*` and `ec2-*`) build against our
//!   crates generated first into `target/bench/services-gen/` (`services-gen`), the official
//!   `aws-sdk-s3` and `aws-sdk-ec2`; `--results footprint-services` keeps their files apart.
//! - `codegen` times full Direct Connect generation and `--ops DeleteVirtualInterface` with the
//!   release generator (this command re-runs itself in release mode), per stage.
//! - `runtime` runs the criterion benches of `bench/speed` and tabulates them (Direct
//!   Connect's DescribeVirtualInterfaces and CreateConnection, S3's 1,000-key ListObjectsV2).
//! - `load` runs `bench/load` (release): 20,000 DescribeConnections calls at concurrency 200
//!   through one client against a loopback server, once clean and once with 10 % of the
//!   requests answered by a connection reset, each after waiting for a quiet machine
//!   (`--official`: the same two runs through the official crate as well).
//! - `stream` runs `bench/stream` (release): peak RSS above the client's baseline while a
//!   PutObject streams a file up and a GetObject is consumed chunk by chunk (200 MiB each by
//!   default), through the generated `streaming` fixture crate against a loopback server in a
//!   child process, then the same with the bodies held whole in memory (the control).
//!
//! The `bench/` workspace is not a member of the main workspace: the official crate and
//! criterion never enter the main build.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Subcommand)]
pub enum BenchCmd {
    /// Clean debug and release builds of each consumer, binary sizes, lines of Rust.
    Footprint {
        /// Repeat the whole set this many times (the order alternates between runs).
        #[arg(long, default_value_t = 1)]
        runs: usize,
        /// Only these consumers (keys: bare-ours, lite, lite-dvi, bare-official, official, bare-ours-rustls, lite-rustls, lite-full, official-full, official-min, bare-tokio-full, bare-ours-full, bare-hyper-full, bare-hyper-conn-full, bare-hyper-ring-full; S3 and EC2: s3-lite, s3-official, s3-lite-ops, ec2-lite, ec2-official, ec2-lite-ops).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Profiles to build (debug, release).
        #[arg(long, value_delimiter = ',', default_value = "debug,release")]
        profiles: Vec<String>,
        /// Wait before each build until the 1-minute load average is below this.
        #[arg(long, default_value_t = 1.0)]
        max_load: f64,
        /// ... but at most this many seconds (then build anyway; the load is recorded).
        #[arg(long, default_value_t = 180)]
        max_wait: u64,
        /// Build nothing: redo the table, JSON and SVG from target/bench/footprint.csv (or
        /// bench/results/footprint.csv) and the kept build logs.
        #[arg(long)]
        replot: bool,
        /// Add these runs to the builds already in target/bench/footprint.csv.
        #[arg(long)]
        append: bool,
        /// Base name of the result files (`target/bench/NAME.{csv,json,md,svg}` and their copies
        /// in `bench/results/`): e.g. `footprint-services` for the S3 and EC2 consumers, so the
        /// Direct Connect results stay as they are.
        #[arg(long, default_value = "footprint")]
        results: String,
    },
    /// Time the full Direct Connect generation and `--ops DeleteVirtualInterface` (release generator).
    Codegen {
        /// Timed runs per crate (after one warm-up run).
        #[arg(long, default_value_t = 11)]
        runs: usize,
    },
    /// Criterion benches in bench/speed: response parsing and request preparation, ours vs official.
    Runtime {
        /// Extra arguments for criterion (e.g. `--quick`, a filter).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        criterion_args: Vec<String>,
    },
    /// bench/load: calls at a fixed concurrency through one client against a loopback server,
    /// without and then with injected connection resets.
    Load {
        /// Calls per run.
        #[arg(long, default_value_t = 20_000)]
        calls: usize,
        /// Calls in flight at once.
        #[arg(long, default_value_t = 200)]
        concurrency: usize,
        /// Requests answered by a connection reset in the second run, per thousand.
        #[arg(long, default_value_t = 100)]
        reset_permille: u64,
        /// Wait before each run until the 1-minute load average is below this.
        #[arg(long, default_value_t = 1.0)]
        max_load: f64,
        /// ... but at most this many seconds in all, from the start (then run anyway; the load
        /// is recorded), so the runs stay close together.
        #[arg(long, default_value_t = 600)]
        max_wait: u64,
        /// Also run both through the official crate (bench/load's `official` feature).
        #[arg(long)]
        official: bool,
    },
    /// Generate our S3 and EC2 crates for the bench/services consumers into
    /// target/bench/services-gen/ (full crates and `--ops` subsets; footprint does this itself).
    ServicesGen,
    /// bench/stream: peak memory of a streamed PutObject from a file and GetObject read chunk
    /// by chunk, and the same with the bodies in memory.
    Stream {
        /// The size of each body, in MiB.
        #[arg(long, default_value_t = 200)]
        size_mib: u64,
        /// Runs of each mode (the table shows each run).
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

pub fn run(root: &Path, cmd: BenchCmd) -> Result<()> {
    match cmd {
        BenchCmd::Footprint {
            replot: true,
            results,
            ..
        } => footprint_replot(root, &results),
        BenchCmd::Footprint {
            runs,
            only,
            profiles,
            max_load,
            max_wait,
            replot: false,
            append,
            results,
        } => footprint(
            root,
            &FootprintPlan {
                name: &results,
                append,
                runs: runs.max(1),
                only: &only,
                profiles: &profiles,
                max_load,
                max_wait: Duration::from_secs(max_wait),
            },
        ),
        BenchCmd::Codegen { runs } => codegen(root, runs.max(1)),
        BenchCmd::ServicesGen => services_gen(root),
        BenchCmd::Stream { size_mib, runs } => stream(root, size_mib, runs.max(1)),
        BenchCmd::Runtime { criterion_args } => runtime(root, &criterion_args),
        BenchCmd::Load {
            calls,
            concurrency,
            reset_permille,
            max_load,
            max_wait,
            official,
        } => load(
            root,
            &LoadPlan {
                calls,
                concurrency,
                reset_permille,
                official,
            },
            max_load,
            Duration::from_secs(max_wait),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn results_dirs(root: &Path) -> Result<(PathBuf, PathBuf)> {
    let target = root.join("target/bench");
    let committed = root.join("bench/results");
    std::fs::create_dir_all(&target)?;
    std::fs::create_dir_all(&committed)?;
    Ok((target, committed))
}

/// Writes `name` under target/bench/ and its copy under bench/results/.
fn write_result(root: &Path, name: &str, contents: &str) -> Result<()> {
    let (target, committed) = results_dirs(root)?;
    for dir in [target, committed] {
        let path = dir.join(name);
        std::fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The 1-minute load average.
fn load1() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Waits (at most `max_wait`) until the 1-minute load is below `max_load`; returns the load
/// when the wait ended and the seconds waited.
fn wait_for_quiet(max_load: f64, max_wait: Duration) -> (Option<f64>, u64) {
    let start = Instant::now();
    let mut announced = false;
    loop {
        let load = load1();
        match load {
            None => return (None, 0),
            Some(l) if l < max_load => return (load, start.elapsed().as_secs()),
            Some(l) if start.elapsed() >= max_wait => {
                eprintln!(
                    "  load {l:.2} still >= {max_load} after {} s: going ahead (recorded)",
                    start.elapsed().as_secs()
                );
                return (load, start.elapsed().as_secs());
            }
            Some(l) => {
                if !announced {
                    eprintln!(
                        "  load {l:.2} >= {max_load}: waiting (at most {} s)",
                        max_wait.as_secs()
                    );
                    announced = true;
                }
                std::thread::sleep(Duration::from_secs(5));
            }
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("?".into(), |kb| format!("{:.0}", kb / 1024.0 / 1024.0));
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem_gib} GiB, {rustc}")
}

/// Resource use of a finished child and its reaped descendants, from `wait4`.
#[derive(Clone, Copy, Debug, Default)]
struct Usage {
    success: bool,
    wall: f64,
    /// user + system CPU seconds, `None` where `wait4` is not available.
    cpu: Option<f64>,
    /// Largest resident set of any single process of the tree, KiB.
    max_rss_kib: Option<u64>,
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod rusage {
    //! `wait4(2)` through the C library std already links: no libc crate needed.

    #[repr(C)]
    #[derive(Default)]
    struct Timeval {
        sec: i64,
        usec: i64,
    }

    #[repr(C)]
    #[derive(Default)]
    struct Rusage {
        utime: Timeval,
        stime: Timeval,
        maxrss: i64,
        _rest: [i64; 13],
    }

    unsafe extern "C" {
        fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
        fn getrusage(who: i32, rusage: *mut Rusage) -> i32;
    }

    /// CPU seconds (user + system) used by this process so far.
    pub fn self_cpu() -> Option<f64> {
        let mut usage = Rusage::default();
        // SAFETY: pointer to a live local of the declared layout; RUSAGE_SELF = 0.
        let r = unsafe { getrusage(0, &mut usage) };
        let secs = |t: &Timeval| t.sec as f64 + t.usec as f64 / 1e6;
        (r == 0).then(|| secs(&usage.utime) + secs(&usage.stime))
    }

    /// Reaps `pid`; returns (exited successfully, CPU seconds, max RSS KiB).
    pub fn wait(pid: u32) -> std::io::Result<(bool, f64, u64)> {
        let mut status = 0i32;
        let mut usage = Rusage::default();
        loop {
            // SAFETY: pointers to live locals of the declared layout (Linux, 64-bit).
            let r = unsafe { wait4(pid as i32, &mut status, 0, &mut usage) };
            if r == pid as i32 {
                break;
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
        let exited_ok = status & 0x7f == 0 && (status >> 8) & 0xff == 0;
        let secs = |t: &Timeval| t.sec as f64 + t.usec as f64 / 1e6;
        Ok((
            exited_ok,
            secs(&usage.utime) + secs(&usage.stime),
            usage.maxrss as u64,
        ))
    }
}

/// CPU seconds used by this process so far (`None` where `getrusage` is not wired up).
fn self_cpu() -> Option<f64> {
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    return rusage::self_cpu();
    #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
    return None;
}

/// Runs `cmd` with stdout and stderr captured; returns the usage and both outputs.
fn measure(cmd: &mut Command) -> Result<(Usage, String, String)> {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null());
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    let usage = {
        let (success, cpu, rss) = rusage::wait(child.id())?;
        Usage {
            success,
            wall: start.elapsed().as_secs_f64(),
            cpu: Some(cpu),
            max_rss_kib: Some(rss),
        }
    };
    #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
    let usage = {
        let status = child.wait()?;
        Usage {
            success: status.success(),
            wall: start.elapsed().as_secs_f64(),
            cpu: None,
            max_rss_kib: None,
        }
    };
    let out = out_thread.join().unwrap_or_default();
    let err = err_thread.join().unwrap_or_default();
    Ok((usage, out, err))
}

/// Lines in the `.rs` files under `dir` (recursively), skipping tests, benches, examples.
fn rust_lines(dir: &Path) -> usize {
    fn walk(dir: &Path, total: &mut usize) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if !matches!(name.as_ref(), "tests" | "benches" | "examples" | "target") {
                    walk(&path, total);
                }
            } else if name.ends_with(".rs")
                && let Ok(text) = std::fs::read(&path)
            {
                *total += text.iter().filter(|&&b| b == b'\n').count();
            }
        }
    }
    let mut total = 0;
    walk(dir, &mut total);
    total
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

/// The unpacked source folder of a crates.io package.
fn registry_dir(name: &str, version: &str) -> Option<PathBuf> {
    let src = cargo_home().join("registry/src");
    for index in std::fs::read_dir(src).ok()?.flatten() {
        let dir = index.path().join(format!("{name}-{version}"));
        if dir.is_dir() {
            return Some(dir);
        }
    }
    None
}

/// The version of `name` in a Cargo.lock.
fn locked_version(lock: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(lock).ok()?;
    let needle = format!("name = \"{name}\"\n");
    let at = text.find(&needle)? + needle.len();
    let line = text[at..].lines().next()?;
    Some(
        line.trim()
            .strip_prefix("version = \"")?
            .trim_end_matches('"')
            .to_string(),
    )
}

// ---------------------------------------------------------------------------------------------
// footprint

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Ours,
    Official,
}

struct Consumer {
    key: &'static str,
    package: &'static str,
    side: Side,
    label: &'static str,
    /// Folder of the service crate whose lines of Rust are reported, relative to the root
    /// (ours) or a crates.io package name (official).
    service_crate: Option<&'static str>,
    /// The cargo workspace of the package, relative to the root.
    workspace: &'static str,
    /// Text the release binary must print when run against the stub endpoint.
    expect: &'static str,
}

/// The workspace of the Direct Connect consumers and baselines.
const BENCH: &str = "bench";
/// The workspace of the S3 and EC2 consumers, whose crates are generated at bench time.
const SERVICES: &str = "bench/services";
/// What the Direct Connect consumers print (the `--ops` one makes only this call).
const DX_EXPECT: &str = "DeleteVirtualInterface: deleted";
/// What the bare HTTP programs print.
const BARE_EXPECT: &str = "POST: 200 OK";

const CONSUMERS: &[Consumer] = &[
    Consumer {
        key: "bare-ours",
        package: "bare-reqwest-native-tls",
        side: Side::Ours,
        label: "bare tokio + reqwest (native-tls)",
        service_crate: None,
        workspace: BENCH,
        expect: BARE_EXPECT,
    },
    Consumer {
        key: "bare-official",
        package: "bare-hyper-rustls-aws-lc",
        side: Side::Official,
        label: "bare tokio + hyper + rustls (aws-lc)",
        service_crate: None,
        workspace: BENCH,
        expect: BARE_EXPECT,
    },
    Consumer {
        key: "lite",
        package: "consumer-lite",
        side: Side::Ours,
        label: "ours: aws-lite-directconnect",
        service_crate: Some("generated/directconnect/src"),
        workspace: BENCH,
        expect: DX_EXPECT,
    },
    Consumer {
        key: "official",
        package: "consumer-official",
        side: Side::Official,
        label: "official: aws-sdk-directconnect (default features)",
        service_crate: Some("aws-sdk-directconnect"),
        workspace: BENCH,
        expect: DX_EXPECT,
    },
    Consumer {
        key: "lite-dvi",
        package: "consumer-lite-dvi",
        side: Side::Ours,
        label: "ours: --ops DeleteVirtualInterface",
        service_crate: Some("generated/directconnect-delete-virtual-interface/src"),
        workspace: BENCH,
        expect: DX_EXPECT,
    },
    Consumer {
        key: "bare-ours-rustls",
        package: "bare-reqwest-rustls",
        side: Side::Ours,
        label: "bare tokio + reqwest (rustls, aws-lc)",
        service_crate: None,
        workspace: BENCH,
        expect: BARE_EXPECT,
    },
    Consumer {
        key: "lite-rustls",
        package: "consumer-lite-rustls",
        side: Side::Ours,
        label: "ours with its rustls feature (aws-lc)",
        service_crate: Some("generated/directconnect/src"),
        workspace: BENCH,
        expect: DX_EXPECT,
    },
    Consumer {
        key: "official-min",
        package: "consumer-official-min",
        side: Side::Official,
        label: "official, default-https-client only",
        service_crate: Some("aws-sdk-directconnect"),
        workspace: BENCH,
        expect: DX_EXPECT,
    },
    Consumer {
        key: "lite-full",
        package: "consumer-lite-full",
        side: Side::Ours,
        label: "ours, in an application with tokio's full features",
        service_crate: Some("generated/directconnect/src"),
        workspace: BENCH,
        expect: DX_EXPECT,
    },
    Consumer {
        key: "official-full",
        package: "consumer-official-full",
        side: Side::Official,
        label: "official, in an application with tokio's full features",
        service_crate: Some("aws-sdk-directconnect"),
        workspace: BENCH,
        expect: DX_EXPECT,
    },
    // Baselines with tokio's full features (BENCHMARKS.md, "Footprint with tokio's full
    // features: where our build goes"): the floor, our HTTP stack, and prototypes of cuts.
    Consumer {
        key: "bare-tokio-full",
        package: "bare-tokio-full",
        side: Side::Ours,
        label: "bare tokio full, no HTTP (builds only; sends nothing)",
        service_crate: None,
        workspace: BENCH,
        expect: BARE_EXPECT,
    },
    Consumer {
        key: "bare-ours-full",
        package: "bare-reqwest-native-tls-full",
        side: Side::Ours,
        label: "bare tokio full + reqwest (native-tls)",
        service_crate: None,
        workspace: BENCH,
        expect: BARE_EXPECT,
    },
    Consumer {
        key: "bare-hyper-full",
        package: "bare-hyper-native-tls-full",
        side: Side::Ours,
        label: "prototype: tokio full + hyper-util client + hyper-tls (no reqwest)",
        service_crate: None,
        workspace: BENCH,
        expect: BARE_EXPECT,
    },
    Consumer {
        key: "bare-hyper-conn-full",
        package: "bare-hyper-conn-native-tls-full",
        side: Side::Ours,
        label: "prototype: tokio full + hyper conn API + tokio-native-tls (no pool)",
        service_crate: None,
        workspace: BENCH,
        expect: BARE_EXPECT,
    },
    Consumer {
        key: "bare-hyper-ring-full",
        package: "bare-hyper-rustls-ring-full",
        side: Side::Ours,
        label: "prototype: tokio full + hyper-util client + rustls on ring",
        service_crate: None,
        workspace: BENCH,
        expect: BARE_EXPECT,
    },
    // S3 and EC2 (bench/services): one consumer source per service, our full generated crate,
    // our `--ops` crate of the three operations called, and the official crate.
    Consumer {
        key: "s3-lite",
        package: "consumer-s3-lite",
        side: Side::Ours,
        label: "S3 ours: aws-lite-s3, full (116 operations)",
        service_crate: Some("target/bench/services-gen/s3/src"),
        workspace: SERVICES,
        expect: "ListObjectsV2: 1 keys: hello.txt",
    },
    Consumer {
        key: "s3-official",
        package: "consumer-s3-official",
        side: Side::Official,
        label: "S3 official: aws-sdk-s3 (default features)",
        service_crate: Some("aws-sdk-s3"),
        workspace: SERVICES,
        expect: "ListObjectsV2: 1 keys: hello.txt",
    },
    Consumer {
        key: "s3-lite-ops",
        package: "consumer-s3-lite-ops",
        side: Side::Ours,
        label: "S3 ours: --ops PutObject,GetObject,ListObjectsV2",
        service_crate: Some("target/bench/services-gen/s3-ops/src"),
        workspace: SERVICES,
        expect: "ListObjectsV2: 1 keys: hello.txt",
    },
    Consumer {
        key: "ec2-lite",
        package: "consumer-ec2-lite",
        side: Side::Ours,
        label: "EC2 ours: aws-lite-ec2, full",
        service_crate: Some("target/bench/services-gen/ec2/src"),
        workspace: SERVICES,
        expect: "TerminateInstances: i-0123456789abcdef0 shutting-down",
    },
    Consumer {
        key: "ec2-official",
        package: "consumer-ec2-official",
        side: Side::Official,
        label: "EC2 official: aws-sdk-ec2 (default features)",
        service_crate: Some("aws-sdk-ec2"),
        workspace: SERVICES,
        expect: "TerminateInstances: i-0123456789abcdef0 shutting-down",
    },
    Consumer {
        key: "ec2-lite-ops",
        package: "consumer-ec2-lite-ops",
        side: Side::Ours,
        label: "EC2 ours: --ops RunInstances,DescribeInstances,TerminateInstances",
        service_crate: Some("target/bench/services-gen/ec2-ops/src"),
        workspace: SERVICES,
        expect: "TerminateInstances: i-0123456789abcdef0 shutting-down",
    },
];

#[derive(Clone, Debug, Default)]
struct Build {
    run: usize,
    key: String,
    profile: String,
    load_before: Option<f64>,
    waited_s: u64,
    usage: Usage,
    crates: usize,
    binary: Option<u64>,
    stripped: Option<u64>,
    /// Running the release binary against the stub endpoint.
    run_ok: Option<bool>,
    run_ms: Option<f64>,
    run_rss_kib: Option<u64>,
}

/// What one `cargo xtask bench footprint` run builds, and where its results go.
struct FootprintPlan<'a> {
    /// Base name of the result files.
    name: &'a str,
    /// Add to the builds of the existing `NAME.csv`.
    append: bool,
    runs: usize,
    only: &'a [String],
    profiles: &'a [String],
    max_load: f64,
    max_wait: Duration,
}

fn footprint(root: &Path, plan: &FootprintPlan<'_>) -> Result<()> {
    let &FootprintPlan {
        name,
        append,
        runs,
        only,
        profiles,
        max_load,
        max_wait,
    } = plan;
    let bench = root.join("bench");
    for p in profiles {
        if p != "debug" && p != "release" {
            bail!("unknown profile {p} (debug, release)");
        }
    }
    let selected: Vec<&Consumer> = CONSUMERS
        .iter()
        .filter(|c| only.is_empty() || only.iter().any(|o| o == c.key))
        .collect();
    if selected.is_empty() {
        let keys: Vec<&str> = CONSUMERS.iter().map(|c| c.key).collect();
        bail!("no consumer selected; keys: {}", keys.join(", "));
    }
    // The S3 and EC2 crates of our side, generated first (untimed).
    if selected.iter().any(|c| c.workspace == SERVICES) {
        services_gen(root)?;
    }
    // Sources first, untimed, so no build downloads anything.
    let mut workspaces: Vec<&str> = selected.iter().map(|c| c.workspace).collect();
    workspaces.sort_unstable();
    workspaces.dedup();
    for ws in &workspaces {
        crate::run(
            Command::new(cargo())
                .current_dir(root.join(ws))
                .args(["fetch", "--locked"]),
        )?;
    }
    // The S3 and EC2 consumers: one source per service, likewise checked.
    for c in selected.iter().filter(|c| c.workspace == SERVICES) {
        let dir = c.package.trim_start_matches("consumer-");
        let service = dir.split('-').next().unwrap_or(dir);
        let manifest = std::fs::read_to_string(
            root.join(SERVICES)
                .join(format!("consumers/{dir}/Cargo.toml")),
        )?;
        if !manifest.contains(&format!("path = \"../{service}.rs\"")) {
            bail!("{SERVICES}/consumers/{dir} does not build {SERVICES}/consumers/{service}.rs");
        }
    }
    // Identical consumer source (one file), checked rather than assumed.
    for c in [
        "official",
        "official-min",
        "lite",
        "lite-dvi",
        "lite-rustls",
        "lite-full",
        "official-full",
    ] {
        let manifest = std::fs::read_to_string(bench.join(format!("consumers/{c}/Cargo.toml")))?;
        if !manifest.contains("path = \"../consumer.rs\"") {
            bail!("bench/consumers/{c} does not build bench/consumers/consumer.rs");
        }
    }

    let stub = StubServer::start()?;
    let tgt_root = root.join("target/bench/footprint-target");
    let bin_dir = root.join("target/bench/footprint-bin");
    let log_dir = root.join("target/bench/footprint-logs");
    std::fs::create_dir_all(&bin_dir)?;
    std::fs::create_dir_all(&log_dir)?;
    let machine = machine();
    eprintln!("machine: {machine}");

    let (mut builds, mut all_lines, first) = if append {
        let (_, builds) = read_builds(root, name)?;
        let all_lines = lines_from_logs(root, &builds);
        let first = builds.iter().map(|b| b.run).max().unwrap_or(0);
        (builds, all_lines, first)
    } else {
        (Vec::new(), BTreeMap::new(), 0)
    };
    // The JSON (whose machine line `--replot` reads) is written once, with the first build.
    let mut machine_written = append;
    for run in first..first + runs {
        // Pairs alternate: ours first in even runs, official first in odd runs.
        let mut order: Vec<&Consumer> = Vec::new();
        for pair in selected.chunks(2) {
            let mut pair = pair.to_vec();
            if run % 2 == 1 {
                pair.reverse();
            }
            order.extend(pair);
        }
        for profile in profiles {
            for c in &order {
                eprintln!("[run {}/{}] {} {profile}", run + 1, first + runs, c.key);
                let (load_before, waited_s) = wait_for_quiet(max_load, max_wait);
                let target = tgt_root.join(format!("{}-{profile}", c.key));
                if target.exists() {
                    std::fs::remove_dir_all(&target)?;
                }
                let mut cmd = Command::new(cargo());
                cmd.current_dir(root.join(c.workspace))
                    .env("CARGO_TARGET_DIR", &target)
                    .env("CARGO_TERM_COLOR", "never")
                    .args([
                        "build",
                        "--locked",
                        "--offline",
                        "--timings",
                        "-p",
                        c.package,
                    ]);
                if profile == "release" {
                    cmd.arg("--release");
                }
                let (usage, _out, err) = measure(&mut cmd)?;
                std::fs::write(
                    log_dir.join(format!("{}-{profile}-run{}.log", c.key, run + 1)),
                    &err,
                )?;
                if !usage.success {
                    bail!("building {} ({profile}) failed:\n{err}", c.package);
                }
                // cargo's --timings report (per-unit compile times), kept for the analysis.
                let _ = std::fs::copy(
                    target.join("cargo-timings/cargo-timing.html"),
                    log_dir.join(format!("{}-{profile}-run{}.html", c.key, run + 1)),
                );
                let compiled: Vec<&str> = err
                    .lines()
                    .filter_map(|l| l.trim_start().strip_prefix("Compiling "))
                    .collect();
                all_lines
                    .entry(format!("{}-{profile}", c.key))
                    .or_insert_with(|| compiled_rust_lines(&compiled));
                let mut build = Build {
                    run: run + 1,
                    key: c.key.to_string(),
                    profile: profile.clone(),
                    load_before,
                    waited_s,
                    usage,
                    crates: compiled.len(),
                    ..Build::default()
                };
                let binary = target.join(profile).join(c.package);
                build.binary = std::fs::metadata(&binary).ok().map(|m| m.len());
                if profile == "release" {
                    let kept = bin_dir.join(c.key);
                    std::fs::copy(&binary, &kept)?;
                    let stripped = bin_dir.join(format!("{}.stripped", c.key));
                    let ok = Command::new("strip")
                        .arg("-o")
                        .arg(&stripped)
                        .arg(&kept)
                        .status()
                        .map(|s| s.success())
                        .unwrap_or(false);
                    if ok {
                        build.stripped = std::fs::metadata(&stripped).ok().map(|m| m.len());
                    }
                    // The program works: its calls against the stub answer as expected.
                    let (run_usage, out, run_err) = measure(Command::new(&kept).arg(stub.url()))?;
                    let ok = run_usage.success && out.contains(c.expect);
                    if !ok {
                        eprintln!("  {} did not answer as expected: {out}{run_err}", c.key);
                    }
                    build.run_ok = Some(ok);
                    build.run_ms = Some(run_usage.wall * 1000.0);
                    build.run_rss_kib = run_usage.max_rss_kib;
                }
                eprintln!(
                    "  {:.1} s wall, {} s CPU, peak RSS {}, {} crates, binary {}, stripped {}, load before {}",
                    build.usage.wall,
                    opt_f(build.usage.cpu, 1),
                    opt_mib(build.usage.max_rss_kib.map(|k| k * 1024)),
                    build.crates,
                    opt_mib(build.binary),
                    opt_mib(build.stripped),
                    opt_f(build.load_before, 2),
                );
                builds.push(build);
                std::fs::remove_dir_all(&target)?;
                // Every finished build is kept at once (target/bench/NAME.csv), so an
                // interrupted run can be completed with `--append` or shown with `--replot`.
                let partial = FootprintReport {
                    machine: machine.clone(),
                    runs: run + 1,
                    consumers: Vec::new(),
                    builds: builds.clone(),
                    service_lines: BTreeMap::new(),
                    all_lines: BTreeMap::new(),
                    official_version: String::new(),
                };
                std::fs::write(root.join(format!("target/bench/{name}.csv")), partial.csv())?;
                if !machine_written {
                    std::fs::write(
                        root.join(format!("target/bench/{name}.json")),
                        partial.json(),
                    )?;
                    machine_written = true;
                }
            }
        }
    }

    let runs = builds.iter().map(|b| b.run).max().unwrap_or(runs);
    let selected: Vec<&Consumer> = CONSUMERS
        .iter()
        .filter(|c| builds.iter().any(|b| b.key == c.key))
        .collect();
    finish_footprint(root, name, machine, runs, selected, builds, all_lines)
}

/// Generates our side of the S3 and EC2 consumers (bench/services) into
/// `target/bench/services-gen/`: the full crates and `--ops` subsets of the three operations each
/// consumer calls. S3 from `models/s3`; EC2 from botocore 1.44.8's `ec2/2016-11-15` model (with
/// its paginators and waiters) out of the wheel the corpus command downloads and checks.
fn services_gen(root: &Path) -> Result<()> {
    let out = root.join("target/bench/services-gen");
    let entries = crate::corpus::corpus_models(&root.join("target/corpus"))?;
    let ec2 = entries
        .iter()
        .find(|e| e.name == "ec2")
        .map(|e| e.path.clone())
        .context("no ec2 model in the botocore wheel")?;
    if !ec2.ends_with("ec2/2016-11-15/service-2.json.gz") {
        bail!("unexpected latest EC2 model {}", ec2.display());
    }
    let s3 = root.join("models/s3/service-2.json");
    let crates: [(&PathBuf, &str, &[&str]); 4] = [
        (&s3, "s3", &[]),
        (&s3, "s3-ops", &["PutObject", "GetObject", "ListObjectsV2"]),
        (&ec2, "ec2", &[]),
        (
            &ec2,
            "ec2-ops",
            &["RunInstances", "DescribeInstances", "TerminateInstances"],
        ),
    ];
    for (model, dir, ops) in crates {
        let crate_out = out.join(dir);
        let summary = codegen::generate(&codegen::Options {
            model: model.clone(),
            out: crate_out.clone(),
            ops: (!ops.is_empty()).then(|| ops.iter().map(|o| o.to_string()).collect()),
            check: false,
            crate_name: Some(format!("aws-lite-{dir}")),
            runtime_path: codegen::relative_path(&crate_out, &root.join("runtime")),
        })?;
        eprintln!("services-gen {dir}: {summary}");
    }
    Ok(())
}

/// Rebuilds the report from a footprint CSV and the build logs of the first run.
fn footprint_replot(root: &Path, name: &str) -> Result<()> {
    let (machine, builds) = read_builds(root, name)?;
    let runs = builds.iter().map(|b| b.run).max().unwrap_or(1);
    let selected: Vec<&Consumer> = CONSUMERS
        .iter()
        .filter(|c| builds.iter().any(|b| b.key == c.key))
        .collect();
    let all_lines = lines_from_logs(root, &builds);
    finish_footprint(root, name, machine, runs, selected, builds, all_lines)
}

/// The machine line and the builds of the last footprint CSV.
fn read_builds(root: &Path, name: &str) -> Result<(String, Vec<Build>)> {
    let csv_path = [
        root.join(format!("target/bench/{name}.csv")),
        root.join(format!("bench/results/{name}.csv")),
    ]
    .into_iter()
    .find(|p| p.exists())
    .with_context(|| format!("no {name}.csv: run cargo xtask bench footprint first"))?;
    let text = std::fs::read_to_string(&csv_path)?;
    let json_path = csv_path.with_extension("json");
    let machine = std::fs::read_to_string(&json_path)
        .ok()
        .and_then(|j| {
            let line = j
                .lines()
                .find(|l| l.trim_start().starts_with("\"machine\""))?;
            let v = line.split_once(':')?.1.trim().trim_end_matches(',');
            Some(v.trim_matches('"').to_string())
        })
        .unwrap_or_else(machine);
    let num = |v: &str| v.parse::<f64>().ok();
    let int = |v: &str| v.parse::<u64>().ok();
    let mut builds = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 15 {
            continue;
        }
        builds.push(Build {
            run: f[0].parse().unwrap_or(1),
            key: f[1].to_string(),
            profile: f[3].to_string(),
            load_before: num(f[4]),
            waited_s: f[5].parse().unwrap_or(0),
            usage: Usage {
                success: true,
                wall: num(f[6]).unwrap_or(f64::NAN),
                cpu: num(f[7]),
                max_rss_kib: int(f[8]),
            },
            crates: f[9].parse().unwrap_or(0),
            binary: int(f[10]),
            stripped: int(f[11]),
            run_ok: f[12].parse().ok(),
            run_ms: num(f[13]),
            run_rss_kib: int(f[14]),
        });
    }
    Ok((machine, builds))
}

/// Lines of Rust in all compiled crates, per consumer and profile, from the kept build logs
/// (of each consumer's first run).
fn lines_from_logs(root: &Path, builds: &[Build]) -> BTreeMap<String, usize> {
    let mut all_lines = BTreeMap::new();
    for b in builds {
        if builds
            .iter()
            .any(|o| o.key == b.key && o.profile == b.profile && o.run < b.run)
        {
            continue;
        }
        let log = root.join(format!(
            "target/bench/footprint-logs/{}-{}-run{}.log",
            b.key, b.profile, b.run
        ));
        if let Ok(err) = std::fs::read_to_string(log) {
            let compiled: Vec<&str> = err
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("Compiling "))
                .collect();
            all_lines.insert(
                format!("{}-{}", b.key, b.profile),
                compiled_rust_lines(&compiled),
            );
        }
    }
    all_lines
}

fn finish_footprint(
    root: &Path,
    name: &str,
    machine: String,
    runs: usize,
    selected: Vec<&Consumer>,
    builds: Vec<Build>,
    all_lines: BTreeMap<String, usize>,
) -> Result<()> {
    // Lines of Rust in the service crate (ours: generated; official: the crates.io package).
    let mut service_lines: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    let mut official = Vec::new();
    for c in &selected {
        let lock = root.join(c.workspace).join("Cargo.lock");
        let lines = match c.service_crate {
            None => None,
            Some(p) if c.side == Side::Ours => Some(rust_lines(&root.join(p))),
            Some(krate) => {
                let version = locked_version(&lock, krate);
                if let Some(v) = &version {
                    let entry = format!("{krate} {v}");
                    if !official.contains(&entry) {
                        official.push(entry);
                    }
                }
                version
                    .and_then(|v| registry_dir(krate, &v))
                    .map(|d| rust_lines(&d.join("src")))
            }
        };
        service_lines.insert(c.key, lines);
    }

    let report = FootprintReport {
        machine,
        runs,
        consumers: selected,
        builds,
        service_lines,
        all_lines,
        official_version: official.join(", "),
    };
    let table = report.table();
    println!("{table}");
    write_result(root, &format!("{name}.csv"), &report.csv())?;
    write_result(root, &format!("{name}.json"), &report.json())?;
    write_result(root, &format!("{name}.md"), &table)?;
    write_result(root, &format!("{name}.svg"), &report.svg())?;
    Ok(())
}

/// Lines of Rust in every compiled crate (`Compiling name vX.Y.Z [(path)]` lines): crates.io
/// packages from the registry source, path packages from their folder. Conditionally compiled
/// files are counted too, so this is an upper bound of what the compiler reads.
fn compiled_rust_lines(compiled: &[&str]) -> usize {
    let mut total = 0;
    for line in compiled {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(version)) = (parts.next(), parts.next()) else {
            continue;
        };
        let version = version.trim_start_matches('v');
        let rest: String = parts.collect::<Vec<_>>().join(" ");
        let dir = if let Some(path) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            Some(PathBuf::from(path))
        } else {
            registry_dir(name, version)
        };
        if let Some(dir) = dir {
            total += rust_lines(&dir);
        }
    }
    total
}

fn opt_f(v: Option<f64>, digits: usize) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.digits$}"))
}

fn opt_mib(bytes: Option<u64>) -> String {
    bytes.map_or("n/a".into(), |b| {
        format!("{:.1} MiB", b as f64 / 1024.0 / 1024.0)
    })
}

struct FootprintReport<'a> {
    machine: String,
    runs: usize,
    consumers: Vec<&'a Consumer>,
    builds: Vec<Build>,
    service_lines: BTreeMap<&'a str, Option<usize>>,
    all_lines: BTreeMap<String, usize>,
    official_version: String,
}

/// Medians over the runs of one consumer and profile.
#[derive(Clone, Copy, Default)]
struct Med {
    wall: Option<f64>,
    cpu: Option<f64>,
    rss_mib: Option<f64>,
    crates: Option<f64>,
    binary: Option<f64>,
    stripped: Option<f64>,
    run_ms: Option<f64>,
    run_rss_mib: Option<f64>,
    min_wall: Option<f64>,
    max_wall: Option<f64>,
    /// No build of this consumer and profile started below [`QUIET_LOAD`].
    loaded_only: bool,
    /// Builds the medians are over.
    n: usize,
}

/// A build started below this 1-minute load counts as taken on a quiet machine.
const QUIET_LOAD: f64 = 1.0;

impl FootprintReport<'_> {
    /// Medians over the builds of one consumer and profile. Builds started on a quiet machine
    /// (1-minute load below [`QUIET_LOAD`]) are preferred: when there are any, the loaded ones
    /// are left out, and `loaded_only` says when there were none.
    fn med(&self, key: &str, profile: &str) -> Med {
        let all: Vec<&Build> = self
            .builds
            .iter()
            .filter(|b| b.key == key && b.profile == profile)
            .collect();
        let quiet: Vec<&Build> = all
            .iter()
            .copied()
            .filter(|b| b.load_before.is_some_and(|l| l < QUIET_LOAD))
            .collect();
        let loaded_only = quiet.is_empty();
        let rows = if loaded_only { all } else { quiet };
        if rows.is_empty() {
            return Med::default();
        }
        let m = |f: &dyn Fn(&Build) -> Option<f64>| {
            let mut v: Vec<f64> = rows.iter().filter_map(|b| f(b)).collect();
            (!v.is_empty()).then(|| median(&mut v))
        };
        let walls: Vec<f64> = rows.iter().map(|b| b.usage.wall).collect();
        Med {
            wall: m(&|b| Some(b.usage.wall)),
            cpu: m(&|b| b.usage.cpu),
            rss_mib: m(&|b| b.usage.max_rss_kib.map(|k| k as f64 / 1024.0)),
            crates: m(&|b| Some(b.crates as f64)),
            binary: m(&|b| b.binary.map(|x| x as f64)),
            stripped: m(&|b| b.stripped.map(|x| x as f64)),
            run_ms: m(&|b| b.run_ms),
            run_rss_mib: m(&|b| b.run_rss_kib.map(|k| k as f64 / 1024.0)),
            loaded_only,
            n: rows.len(),
            min_wall: walls.iter().copied().reduce(f64::min),
            max_wall: walls.iter().copied().reduce(f64::max),
        }
    }

    fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Machine: {}. Official crate(s): {}. Medians over up to {} run(s), of the builds started at a 1-minute load below {QUIET_LOAD} where there are any; ⚠ = only builds under load (every build and its load: footprint.csv). Every build from an empty target folder, one at a time.\n",
            self.machine, self.official_version, self.runs
        );
        let _ = writeln!(
            s,
            "| consumer | debug build | release build | release CPU (user+sys) | peak RSS of one build process | crates compiled (release) | release binary | stripped | Rust lines: service crate | Rust lines: all compiled crates | run: its calls (wall, peak RSS) |"
        );
        let _ = writeln!(
            s,
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        );
        for c in &self.consumers {
            let d = self.med(c.key, "debug");
            let r = self.med(c.key, "release");
            let secs = |m: &Med| {
                let mark = if m.loaded_only { " ⚠" } else { "" };
                match (m.wall, m.min_wall, m.max_wall) {
                    (Some(w), Some(lo), Some(hi)) if m.n > 1 => {
                        format!("{w:.1} s ({lo:.1}–{hi:.1}){mark}")
                    }
                    (Some(w), _, _) => format!("{w:.1} s{mark}"),
                    _ => "–".into(),
                }
            };
            let mib =
                |v: Option<f64>| v.map_or("–".into(), |b| format!("{:.2} MiB", b / 1048576.0));
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                c.label,
                secs(&d),
                secs(&r),
                r.cpu.map_or("–".into(), |v| format!("{v:.0} s")),
                r.rss_mib
                    .or(d.rss_mib)
                    .map_or("–".into(), |v| format!("{v:.0} MiB")),
                r.crates
                    .or(d.crates)
                    .map_or("–".into(), |v| format!("{v:.0}")),
                mib(r.binary),
                mib(r.stripped),
                self.service_lines
                    .get(c.key)
                    .copied()
                    .flatten()
                    .map_or("–".into(), thousands),
                self.all_lines
                    .get(&format!("{}-release", c.key))
                    .or_else(|| self.all_lines.get(&format!("{}-debug", c.key)))
                    .map_or("–".into(), |v| thousands(*v)),
                match (r.run_ms, r.run_rss_mib) {
                    (Some(ms), Some(rss)) => format!("{ms:.0} ms, {rss:.1} MiB"),
                    (Some(ms), None) => format!("{ms:.0} ms"),
                    _ => "–".into(),
                },
            );
        }
        // Ratios: official / ours, and what each adds over its bare HTTP program.
        let pairs = [
            ("lite", "official"),
            ("lite-dvi", "official"),
            ("lite", "official-min"),
            ("lite-rustls", "official"),
            ("lite-full", "official-full"),
            ("s3-lite", "s3-official"),
            ("s3-lite-ops", "s3-official"),
            ("ec2-lite", "ec2-official"),
            ("ec2-lite-ops", "ec2-official"),
        ];
        let _ = writeln!(
            s,
            "\n| ratio (official ÷ ours) | debug build | release build | release CPU | stripped binary | crates |"
        );
        let _ = writeln!(s, "| --- | --- | --- | --- | --- | --- |");
        for (ours, theirs) in pairs {
            let (od, tr) = (self.med(ours, "debug"), self.med(theirs, "debug"));
            let (or, trr) = (self.med(ours, "release"), self.med(theirs, "release"));
            if or.wall.is_none() && od.wall.is_none() {
                continue;
            }
            let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) if a > 0.0 => format!("{:.2}×", b / a),
                _ => "–".into(),
            };
            // Times of a quiet build and a loaded one are not compared.
            let timed = |a: Option<f64>, b: Option<f64>, x: &Med, y: &Med| {
                if x.loaded_only == y.loaded_only {
                    ratio(a, b)
                } else {
                    "(load differs)".into()
                }
            };
            let _ = writeln!(
                s,
                "| {theirs} ÷ {ours} | {} | {} | {} | {} | {} |",
                timed(od.wall, tr.wall, &od, &tr),
                timed(or.wall, trr.wall, &or, &trr),
                timed(or.cpu, trr.cpu, &or, &trr),
                ratio(or.stripped, trr.stripped),
                ratio(or.crates, trr.crates),
            );
        }
        let _ = writeln!(
            s,
            "\n| added over the bare HTTP program | release build (wall) | release CPU | stripped binary | crates |"
        );
        let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
        let mut added = Vec::new();
        for (key, bare) in [
            ("lite", "bare-ours"),
            ("lite-dvi", "bare-ours"),
            ("lite-rustls", "bare-ours-rustls"),
            ("official", "bare-official"),
            ("official-min", "bare-official"),
            ("lite-full", "bare-ours-full"),
        ] {
            let (k, b) = (self.med(key, "release"), self.med(bare, "release"));
            let diff = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
            // Times of a quiet build and a loaded one are not subtracted.
            let same_load = k.loaded_only == b.loaded_only;
            let timed = |a: Option<f64>, b: Option<f64>| diff(a, b).filter(|_| same_load);
            let row = (
                key,
                timed(k.wall, b.wall),
                timed(k.cpu, b.cpu),
                diff(k.stripped, b.stripped),
                diff(k.crates, b.crates),
            );
            if k.wall.is_some() && b.wall.is_some() {
                let _ = writeln!(
                    s,
                    "| {key} − {bare} | {} | {} | {} | {} |",
                    row.1
                        .map_or("(load differs)".into(), |v| format!("{v:.1} s")),
                    row.2
                        .map_or("(load differs)".into(), |v| format!("{v:.1} s")),
                    row.3
                        .map_or("–".into(), |v| format!("{:.2} MiB", v / 1048576.0)),
                    opt_f(row.4, 0),
                );
            }
            added.push(row);
        }
        let get = |k: &str| added.iter().find(|r| r.0 == k).copied();
        let frac = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
            _ => "–".into(),
        };
        for ours in ["lite", "lite-rustls"] {
            if let (Some(o), Some(t)) = (get(ours), get("official")) {
                let _ = writeln!(
                    s,
                    "| {ours}'s added ÷ official's added (target ≤ 0.20) | {} | {} | {} | {} |",
                    frac(o.1, t.1),
                    frac(o.2, t.2),
                    frac(o.3, t.3),
                    frac(o.4, t.4)
                );
            }
        }
        s
    }

    fn csv(&self) -> String {
        let mut s = String::from(
            "run,consumer,package,profile,load1_before,waited_s,wall_s,cpu_s,max_rss_kib,crates_compiled,binary_bytes,stripped_bytes,run_ok,run_ms,run_max_rss_kib\n",
        );
        for b in &self.builds {
            let package = CONSUMERS
                .iter()
                .find(|c| c.key == b.key)
                .map_or("", |c| c.package);
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{:.3},{},{},{},{},{},{},{},{}",
                b.run,
                b.key,
                package,
                b.profile,
                opt_f(b.load_before, 2),
                b.waited_s,
                b.usage.wall,
                opt_f(b.usage.cpu, 3),
                b.usage.max_rss_kib.map_or("n/a".into(), |v| v.to_string()),
                b.crates,
                b.binary.map_or("n/a".into(), |v| v.to_string()),
                b.stripped.map_or("n/a".into(), |v| v.to_string()),
                b.run_ok.map_or("n/a".into(), |v| v.to_string()),
                opt_f(b.run_ms, 1),
                b.run_rss_kib.map_or("n/a".into(), |v| v.to_string()),
            );
        }
        s
    }

    fn json(&self) -> String {
        let num = |v: Option<f64>| v.map_or("null".into(), |v| format!("{v}"));
        let int = |v: Option<u64>| v.map_or("null".into(), |v| v.to_string());
        let mut s = String::new();
        let _ = writeln!(s, "{{");
        let _ = writeln!(s, "  \"machine\": {:?},", self.machine);
        let _ = writeln!(s, "  \"official_version\": {:?},", self.official_version);
        let _ = writeln!(s, "  \"runs\": {},", self.runs);
        let _ = writeln!(s, "  \"service_crate_rust_lines\": {{");
        let n = self.service_lines.len();
        for (i, (k, v)) in self.service_lines.iter().enumerate() {
            let _ = writeln!(
                s,
                "    {k:?}: {}{}",
                int(v.map(|v| v as u64)),
                if i + 1 < n { "," } else { "" }
            );
        }
        let _ = writeln!(s, "  }},");
        let _ = writeln!(s, "  \"compiled_crates_rust_lines\": {{");
        let n = self.all_lines.len();
        for (i, (k, v)) in self.all_lines.iter().enumerate() {
            let _ = writeln!(s, "    {k:?}: {v}{}", if i + 1 < n { "," } else { "" });
        }
        let _ = writeln!(s, "  }},");
        let _ = writeln!(s, "  \"builds\": [");
        let n = self.builds.len();
        for (i, b) in self.builds.iter().enumerate() {
            let _ = writeln!(
                s,
                "    {{\"run\": {}, \"consumer\": {:?}, \"profile\": {:?}, \"load1_before\": {}, \"waited_s\": {}, \"wall_s\": {:.3}, \"cpu_s\": {}, \"max_rss_kib\": {}, \"crates_compiled\": {}, \"binary_bytes\": {}, \"stripped_bytes\": {}, \"run_ok\": {}, \"run_ms\": {}, \"run_max_rss_kib\": {}}}{}",
                b.run,
                b.key,
                b.profile,
                num(b.load_before),
                b.waited_s,
                b.usage.wall,
                num(b.usage.cpu),
                int(b.usage.max_rss_kib),
                b.crates,
                int(b.binary),
                int(b.stripped),
                b.run_ok.map_or("null".into(), |v| v.to_string()),
                num(b.run_ms),
                int(b.run_rss_kib),
                if i + 1 < n { "," } else { "" }
            );
        }
        let _ = writeln!(s, "  ]");
        let _ = writeln!(s, "}}");
        s
    }

    /// Two horizontal bar panels (clean release build time, stripped release binary size), one
    /// bar per consumer, ours in blue and the official crate in orange, bare programs lighter.
    fn svg(&self) -> String {
        let rows: Vec<(&Consumer, Med)> = self
            .consumers
            .iter()
            .map(|c| (*c, self.med(c.key, "release")))
            .collect();
        let debug_rows: Vec<Med> = self
            .consumers
            .iter()
            .map(|c| self.med(c.key, "debug"))
            .collect();
        let label_w = 300.0;
        let panel_w = 230.0;
        let bar_h = 18.0;
        let gap = 6.0;
        let top = 72.0;
        let n = rows.len() as f64;
        let panel_h = n * (bar_h + gap);
        // Per panel: title, values, unit, and which builds were all under load (by row).
        let release_loaded: Vec<bool> = rows.iter().map(|(_, m)| m.loaded_only).collect();
        let debug_loaded: Vec<bool> = debug_rows.iter().map(|m| m.loaded_only).collect();
        let panels: [(&str, Vec<Option<f64>>, &str); 4] = [
            (
                "clean debug build (s)",
                debug_rows.iter().map(|m| m.wall).collect(),
                "s",
            ),
            (
                "clean release build (s)",
                rows.iter().map(|(_, m)| m.wall).collect(),
                "s",
            ),
            (
                "release build CPU, user+sys (s)",
                rows.iter().map(|(_, m)| m.cpu).collect(),
                "s",
            ),
            (
                "release binary, stripped (MiB)",
                rows.iter()
                    .map(|(_, m)| m.stripped.map(|b| b / 1048576.0))
                    .collect(),
                "MiB",
            ),
        ];
        let width = label_w + panels.len() as f64 * (panel_w + 20.0) + 10.0;
        let height = top + panel_h + 46.0;
        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="10" y="20" font-size="15" font-weight="bold">Consumers: ours (blue) vs official {} (orange)</text>"#,
            self.official_version
        );
        let _ = writeln!(
            s,
            r##"<text x="10" y="38" fill="#555">medians of up to {} run(s) per build, quiet runs (load &lt; 1) preferred; * = only runs under load; lighter bars: the bare HTTP program under each side</text>"##,
            self.runs
        );
        for (i, (c, _)) in rows.iter().enumerate() {
            let y = top + i as f64 * (bar_h + gap) + bar_h * 0.75;
            let _ = writeln!(
                s,
                r#"<text x="{:.0}" y="{y:.1}" text-anchor="end">{}</text>"#,
                label_w - 8.0,
                xml_escape(c.label)
            );
        }
        for (p, (title, values, unit)) in panels.iter().enumerate() {
            let x0 = label_w + p as f64 * (panel_w + 20.0);
            let max = values
                .iter()
                .flatten()
                .copied()
                .fold(0.0_f64, f64::max)
                .max(1e-9);
            let _ = writeln!(
                s,
                r#"<text x="{x0:.0}" y="{:.0}" font-weight="bold">{}</text>"#,
                top - 8.0,
                xml_escape(title)
            );
            let _ = writeln!(
                s,
                r##"<line x1="{x0:.0}" y1="{:.0}" x2="{x0:.0}" y2="{:.0}" stroke="#333"/>"##,
                top - 2.0,
                top + panel_h
            );
            for (i, (c, _)) in rows.iter().enumerate() {
                let Some(v) = values[i] else { continue };
                let loaded = if p == 0 {
                    debug_loaded[i]
                } else {
                    release_loaded[i]
                };
                // Sizes do not depend on the load; times do.
                let mark = if loaded && *unit == "s" { " *" } else { "" };
                let y = top + i as f64 * (bar_h + gap);
                // Bars use 70 % of the panel, leaving room for the value label.
                let w = v / max * panel_w * 0.7;
                let bare = c.key.starts_with("bare");
                let color = match (c.side, bare) {
                    (Side::Ours, false) => "#1f77b4",
                    (Side::Ours, true) => "#9ecae9",
                    (Side::Official, false) => "#ff7f0e",
                    (Side::Official, true) => "#ffbf86",
                };
                let _ = writeln!(
                    s,
                    r#"<rect x="{x0:.1}" y="{y:.1}" width="{w:.1}" height="{bar_h}" fill="{color}"/>"#
                );
                let _ = writeln!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}">{v:.1} {unit}{mark}</text>"#,
                    x0 + w + 4.0,
                    y + bar_h * 0.75
                );
            }
        }
        let _ = writeln!(
            s,
            r##"<text x="10" y="{:.0}" fill="#555">cargo xtask bench footprint — {}</text>"##,
            height - 12.0,
            xml_escape(&self.machine)
        );
        let _ = writeln!(s, "</svg>");
        s
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn thousands(v: usize) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A loopback HTTP/1.1 endpoint for the consumer programs. It answers, with canned bodies:
/// S3's PutObject (`PUT`), ListObjectsV2 (`GET` with `list-type=2`) and GetObject (any other
/// `GET`) in rest-xml; EC2's RunInstances, DescribeInstances and TerminateInstances (a `POST`
/// whose form body starts with `Action=`) in the ec2 protocol; and any other `POST` (Direct
/// Connect's DeleteVirtualInterface and DescribeConnections) in awsJson 1.1. One thread per
/// connection; lives until the process exits; only ever bound to 127.0.0.1.
struct StubServer {
    addr: std::net::SocketAddr,
}

/// The object of the S3 consumer.
const STUB_OBJECT: &str = "hello, footprint";

const STUB_LIST_OBJECTS_V2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bench-bucket</Name><Prefix>hel</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>hello.txt</Key><LastModified>2026-12-03T12:00:00.000Z</LastModified><ETag>&quot;6b1c8e4ba5e5b9d3e0b8d6c2b3e0f0a1&quot;</ETag><Size>16</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>"#;

const STUB_EC2_INSTANCE: &str = "<instanceId>i-0123456789abcdef0</instanceId><imageId>ami-0123456789abcdef0</imageId><instanceType>t3.micro</instanceType>";

impl StubServer {
    fn start() -> Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let _ = Self::serve(stream);
                });
            }
        });
        Ok(Self { addr })
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The body of a request: `content-length` bytes, or a chunked body.
    fn read_body(
        reader: &mut BufReader<std::net::TcpStream>,
        length: usize,
        chunked: bool,
    ) -> std::io::Result<Vec<u8>> {
        if !chunked {
            let mut body = vec![0; length];
            reader.read_exact(&mut body)?;
            return Ok(body);
        }
        let mut body = Vec::new();
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = size.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size, 16)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                        return Ok(body);
                    }
                }
            }
            let at = body.len();
            body.resize(at + size + 2, 0);
            reader.read_exact(&mut body[at..])?;
            body.truncate(at + size);
        }
    }

    /// The EC2 answer to a form body `Action=...&...`.
    fn ec2_answer(form: &str) -> String {
        let action = form
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .unwrap_or("");
        let ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
        let state = |tag: &str, code: u32, name: &str| {
            format!("<{tag}><code>{code}</code><name>{name}</name></{tag}>")
        };
        match action {
            "RunInstances" => format!(
                "<RunInstancesResponse xmlns=\"{ns}\"><requestId>bench</requestId><reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet><item>{STUB_EC2_INSTANCE}{}</item></instancesSet></RunInstancesResponse>",
                state("instanceState", 0, "pending")
            ),
            "DescribeInstances" => format!(
                "<DescribeInstancesResponse xmlns=\"{ns}\"><requestId>bench</requestId><reservationSet><item><reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet><item>{STUB_EC2_INSTANCE}{}</item></instancesSet></item></reservationSet></DescribeInstancesResponse>",
                state("instanceState", 16, "running")
            ),
            "TerminateInstances" => format!(
                "<TerminateInstancesResponse xmlns=\"{ns}\"><requestId>bench</requestId><instancesSet><item><instanceId>i-0123456789abcdef0</instanceId>{}{}</item></instancesSet></TerminateInstancesResponse>",
                state("currentState", 32, "shutting-down"),
                state("previousState", 16, "running")
            ),
            other => format!(
                "<Response><Errors><Error><Code>InvalidAction</Code><Message>stub: {other}</Message></Error></Errors><RequestID>bench</RequestID></Response>"
            ),
        }
    }

    fn serve(stream: std::net::TcpStream) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut writer = stream;
        loop {
            let mut target = String::new();
            let mut length = 0usize;
            let mut chunked = false;
            let mut first = String::new();
            if reader.read_line(&mut first)? == 0 {
                return Ok(());
            }
            let mut parts = first.split_whitespace();
            let method = parts.next().unwrap_or("").to_string();
            let uri = parts.next().unwrap_or("").to_string();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    let name = name.trim().to_ascii_lowercase();
                    if name == "content-length" {
                        length = value.trim().parse().unwrap_or(0);
                    } else if name == "x-amz-target" {
                        target = value.trim().to_string();
                    } else if name == "transfer-encoding" {
                        chunked = value.trim().eq_ignore_ascii_case("chunked");
                    }
                }
            }
            let body = Self::read_body(&mut reader, length, chunked)?;
            let (content_type, extra, answer): (&str, &str, String) = if method == "PUT" {
                (
                    "application/xml",
                    "etag: \"6b1c8e4ba5e5b9d3e0b8d6c2b3e0f0a1\"\r\n",
                    String::new(),
                )
            } else if method == "GET" && uri.contains("list-type=2") {
                ("application/xml", "", STUB_LIST_OBJECTS_V2.to_string())
            } else if method == "GET" {
                (
                    "text/plain",
                    "etag: \"6b1c8e4ba5e5b9d3e0b8d6c2b3e0f0a1\"\r\n",
                    STUB_OBJECT.to_string(),
                )
            } else if body.starts_with(b"Action=") {
                (
                    "text/xml;charset=UTF-8",
                    "",
                    Self::ec2_answer(&String::from_utf8_lossy(&body)),
                )
            } else if target.ends_with(".DescribeConnections") {
                (
                    "application/x-amz-json-1.1",
                    "",
                    r#"{"connections":[{"connectionId":"dxcon-fg5678gh","connectionName":"bench","connectionState":"available","location":"EqDC2","bandwidth":"1Gbps","region":"us-east-1"}]}"#.to_string(),
                )
            } else {
                (
                    "application/x-amz-json-1.1",
                    "",
                    r#"{"virtualInterfaceState":"deleted"}"#.to_string(),
                )
            };
            write!(
                writer,
                "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nx-amzn-requestid: bench\r\nx-amz-request-id: bench\r\n{extra}content-length: {}\r\n\r\n{answer}",
                answer.len()
            )?;
            writer.flush()?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// codegen

fn codegen(root: &Path, runs: usize) -> Result<()> {
    if cfg!(debug_assertions) {
        // Time the release generator: run this same command from a release build of xtask.
        return crate::run(Command::new(cargo()).current_dir(root).args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "xtask",
            "--",
            "bench",
            "codegen",
            "--runs",
            &runs.to_string(),
        ]));
    }
    let model = root.join("models/directconnect/service-2.json");
    let out_root = root.join("target/bench/codegen-out");
    let cases: [(&str, Option<Vec<String>>); 2] = [
        ("full", None),
        (
            "ops-DeleteVirtualInterface",
            Some(vec!["DeleteVirtualInterface".to_string()]),
        ),
    ];
    let machine = machine();
    let (load, _) = wait_for_quiet(1.0, Duration::from_secs(180));
    let mut csv = String::from(
        "case,run,load1,operations,shapes,rust_lines,total_ms,cpu_ms,parse_ms,resolve_ms,emit_ms,write_ms\n",
    );
    let mut table = format!(
        "Machine: {machine}. Release generator; {runs} timed runs per crate after one warm-up, output folder emptied before each run; 1-minute load before the first run: {}.\n\n| crate | operations | shapes | lines of Rust | total wall: median (min–max) | total CPU (user+sys) | parse | resolve | emit | write |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
        opt_f(load, 2)
    );
    for (name, ops) in &cases {
        let out = out_root.join(name);
        let mut totals = Vec::new();
        let mut cpus = Vec::new();
        let mut stages: Vec<Vec<f64>> = vec![Vec::new(); 4];
        let mut summary = None;
        for run in 0..=runs {
            if out.exists() {
                std::fs::remove_dir_all(&out)?;
            }
            let cpu_before = self_cpu();
            let s = codegen::generate(&codegen::Options {
                model: model.clone(),
                out: out.clone(),
                ops: ops.clone(),
                check: false,
                crate_name: None,
                runtime_path: codegen::relative_path(&out, &root.join("runtime")),
            })?;
            let cpu_ms = cpu_before.zip(self_cpu()).map(|(a, b)| (b - a) * 1000.0);
            if run == 0 {
                continue; // warm-up
            }
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            let _ = writeln!(
                csv,
                "{name},{run},{},{},{},{},{:.2},{},{:.2},{:.2},{:.2},{:.2}",
                opt_f(load1(), 2),
                s.operations,
                s.shapes,
                s.rust_lines,
                ms(s.total),
                opt_f(cpu_ms, 2),
                ms(s.stages[0].1),
                ms(s.stages[1].1),
                ms(s.stages[2].1),
                ms(s.stages[3].1)
            );
            totals.push(ms(s.total));
            if let Some(c) = cpu_ms {
                cpus.push(c);
            }
            for (i, (_, d)) in s.stages.iter().enumerate() {
                stages[i].push(ms(*d));
            }
            summary = Some(s);
        }
        let s = summary.expect("at least one run");
        let spread = |v: &mut Vec<f64>| {
            let m = median(v);
            format!("{m:.1} ms ({:.1}–{:.1})", v[0], v[v.len() - 1])
        };
        let _ = writeln!(
            table,
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.operations,
            s.shapes,
            thousands(s.rust_lines),
            spread(&mut totals),
            if cpus.is_empty() {
                "n/a".to_string()
            } else {
                spread(&mut cpus)
            },
            spread(&mut stages[0]),
            spread(&mut stages[1]),
            spread(&mut stages[2]),
            spread(&mut stages[3]),
        );
        std::fs::remove_dir_all(&out)?;
    }
    println!("{table}");
    write_result(root, "codegen.csv", &csv)?;
    write_result(root, "codegen.md", &table)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// runtime

fn runtime(root: &Path, criterion_args: &[String]) -> Result<()> {
    let bench = root.join("bench");
    let target = root.join("target/bench/speed-target");
    // Build first (untimed), then wait for a quiet machine before measuring.
    crate::run(
        Command::new(cargo())
            .current_dir(&bench)
            .env("CARGO_TARGET_DIR", &target)
            .args([
                "bench", "--locked", "-p", "speed", "--bench", "speed", "--no-run",
            ]),
    )?;
    let (load, waited) = wait_for_quiet(1.0, Duration::from_secs(180));
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&bench)
        .env("CARGO_TARGET_DIR", &target)
        .args(["bench", "--locked", "-p", "speed", "--bench", "speed", "--"])
        .args(criterion_args);
    crate::run(&mut cmd)?;
    let load_after = load1();

    // Criterion's estimates (median, ns per iteration).
    let criterion = target.join("criterion");
    let read = |group: &str, func: &str| -> Option<(f64, f64, f64)> {
        let text =
            std::fs::read_to_string(criterion.join(group).join(func).join("new/estimates.json"))
                .ok()?;
        let at = text.find("\"median\"")?;
        let rest = &text[at..];
        let num = |key: &str| -> Option<f64> {
            let i = rest.find(key)? + key.len();
            let tail = rest[i..].trim_start_matches([':', ' ']);
            let end = tail.find([',', '}'])?;
            tail[..end].trim().parse().ok()
        };
        Some((
            num("\"point_estimate\"")?,
            num("\"lower_bound\"")?,
            num("\"upper_bound\"")?,
        ))
    };
    // Size of a response, for MB/s: the bench prints it; recomputing it from the fixture rule
    // is not possible here, so read it from criterion's benchmark.json throughput.
    let bytes_of = |group: &str, func: &str| {
        let text =
            std::fs::read_to_string(criterion.join(group).join(func).join("new/benchmark.json"))
                .unwrap_or_default();
        text.find("\"Bytes\":")
            .and_then(|i| {
                let tail = &text[i + 8..];
                tail[..tail.find(['}', ','])?].trim().parse::<f64>().ok()
            })
            .unwrap_or(f64::NAN)
    };
    let json_len = bytes_of("parse_describe_virtual_interfaces_1000", "ours_json");
    let mut csv =
        String::from("group,function,median_ns,ci_low_ns,ci_high_ns,load1_before,load1_after\n");
    let mut table = format!(
        "Machine: {}. criterion, medians with 95 % confidence interval; 1-minute load before {} (waited {waited} s), after {}.\n\n| bench | ours JSON | ours CBOR | official JSON | ours: serde_json into the output type only | serde_json::Value | official ÷ ours (JSON) |\n| --- | --- | --- | --- | --- | --- | --- |\n",
        machine(),
        opt_f(load, 2),
        opt_f(load_after, 2)
    );
    for (group, unit_bytes) in [
        ("parse_describe_virtual_interfaces_1000", true),
        ("prepare_create_connection", false),
    ] {
        let mut cells = BTreeMap::new();
        for func in [
            "ours_json",
            "ours_cbor",
            "official_json",
            "ours_decode_only",
            "serde_json_value_floor",
        ] {
            if let Some((m, lo, hi)) = read(group, func) {
                let _ = writeln!(
                    csv,
                    "{group},{func},{m:.1},{lo:.1},{hi:.1},{},{}",
                    opt_f(load, 2),
                    opt_f(load_after, 2)
                );
                let cell = if unit_bytes {
                    format!("{:.2} ms ({:.0} MB/s)", m / 1e6, json_len / (m / 1e9) / 1e6)
                } else {
                    format!("{:.1} µs", m / 1e3)
                };
                cells.insert(func, (m, cell));
            }
        }
        let cell = |f: &str| cells.get(f).map_or("–".to_string(), |c| c.1.clone());
        let ratio = match (cells.get("ours_json"), cells.get("official_json")) {
            (Some(o), Some(t)) => format!("{:.2}×", t.0 / o.0),
            _ => "–".into(),
        };
        let _ = writeln!(
            table,
            "| {group} | {} | {} | {} | {} | {} | {ratio} |",
            cell("ours_json"),
            cell("ours_cbor"),
            cell("official_json"),
            cell("ours_decode_only"),
            cell("serde_json_value_floor"),
        );
    }
    // S3 (rest-xml): ListObjectsV2 with 1,000 objects, ours vs the official crate.
    let group = "parse_list_objects_v2_1000";
    let xml_len = bytes_of(group, "ours_xml");
    let _ = writeln!(
        table,
        "\n| bench | ours XML | official XML | official ÷ ours |\n| --- | --- | --- | --- |"
    );
    let mut cells = BTreeMap::new();
    for func in ["ours_xml", "official_xml"] {
        if let Some((m, lo, hi)) = read(group, func) {
            let _ = writeln!(
                csv,
                "{group},{func},{m:.1},{lo:.1},{hi:.1},{},{}",
                opt_f(load, 2),
                opt_f(load_after, 2)
            );
            cells.insert(func, m);
        }
    }
    let cell = |f: &str| {
        cells.get(f).map_or("–".to_string(), |m| {
            format!("{:.2} ms ({:.0} MB/s)", m / 1e6, xml_len / (m / 1e9) / 1e6)
        })
    };
    let ratio = match (cells.get("ours_xml"), cells.get("official_xml")) {
        (Some(o), Some(t)) => format!("{:.2}×", t / o),
        _ => "–".into(),
    };
    let _ = writeln!(
        table,
        "| {group} | {} | {} | {ratio} |",
        cell("ours_xml"),
        cell("official_xml")
    );
    println!("{table}");
    write_result(root, "runtime.csv", &csv)?;
    write_result(root, "runtime.md", &table)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// load

/// The figures of one `load run`, in its order (`RESULT key=value ...`), plus the machine's load.
type LoadRun = Vec<(String, String)>;

/// A row of the load table: its label and how to fill a run's cell.
type LoadRow<'a> = (&'a str, &'a dyn Fn(&LoadRun) -> String);

/// What `bench load` runs.
struct LoadPlan {
    calls: usize,
    concurrency: usize,
    reset_permille: u64,
    official: bool,
}

fn load(root: &Path, plan: &LoadPlan, max_load: f64, max_wait: Duration) -> Result<()> {
    let LoadPlan {
        calls,
        concurrency,
        reset_permille,
        official,
    } = *plan;
    let bench = root.join("bench");
    // The speed benches' target folder: the same release dependencies, built once.
    let target = root.join("target/bench/speed-target");
    crate::run(
        Command::new(cargo())
            .current_dir(&bench)
            .env("CARGO_TARGET_DIR", &target)
            .args(["build", "--release", "--locked", "-p", "load"])
            .args(official.then_some("--features=official")),
    )?;
    let binary = target.join("release/load");
    let commit = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let mut runs: Vec<LoadRun> = Vec::new();
    let deadline = Instant::now() + max_wait;
    let mut scenarios = vec![("lite", 0), ("lite", reset_permille)];
    if official {
        scenarios.extend([("official", 0), ("official", reset_permille)]);
    }
    for (sdk, permille) in scenarios {
        eprintln!("load: {sdk}, {calls} calls at concurrency {concurrency}, resets {permille}‰");
        let (load_before, waited) =
            wait_for_quiet(max_load, deadline.saturating_duration_since(Instant::now()));
        let output = Command::new(&binary)
            .args([
                "run",
                "--calls",
                &calls.to_string(),
                "--concurrency",
                &concurrency.to_string(),
                "--reset-permille",
                &permille.to_string(),
                "--sdk",
                sdk,
            ])
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("running {}", binary.display()))?;
        if !output.status.success() {
            bail!("{} failed with {}", binary.display(), output.status);
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.strip_prefix("RESULT "))
            .context("the load run printed no RESULT line")?;
        let mut run: LoadRun = line
            .split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        run.push(("load1_before".into(), opt_f(load_before, 2)));
        run.push(("waited_s".into(), waited.to_string()));
        run.push(("load1_after".into(), opt_f(load1(), 2)));
        runs.push(run);
    }

    let keys: Vec<String> = runs[0].iter().map(|(k, _)| k.clone()).collect();
    let value = |run: &LoadRun, key: &str| -> String {
        run.iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| "-".to_owned(), |(_, v)| v.clone())
    };
    let mut csv = format!("commit,{}\n", keys.join(","));
    for run in &runs {
        let cells: Vec<String> = keys
            .iter()
            .map(|k| {
                let v = value(run, k);
                if v.contains(',') {
                    format!("\"{v}\"")
                } else {
                    v
                }
            })
            .collect();
        let _ = writeln!(csv, "{commit},{}", cells.join(","));
    }
    let mut json = format!(
        "{{\n  \"commit\": \"{commit}\",\n  \"machine\": \"{}\",\n  \"runs\": [\n",
        machine().replace('"', "'")
    );
    for (i, run) in runs.iter().enumerate() {
        let fields: Vec<String> = run
            .iter()
            .map(|(k, v)| {
                if v.parse::<f64>().is_ok_and(f64::is_finite) {
                    format!("\"{k}\": {v}")
                } else {
                    format!(
                        "\"{k}\": \"{}\"",
                        v.replace('\\', "\\\\").replace('"', "\\\"")
                    )
                }
            })
            .collect();
        let _ = writeln!(
            json,
            "    {{ {} }}{}",
            fields.join(", "),
            if i + 1 < runs.len() { "," } else { "" }
        );
    }
    json.push_str("  ]\n}\n");

    let mib = |kib: String| {
        kib.parse::<f64>()
            .map_or(kib, |k| format!("{:.1} MiB", k / 1024.0))
    };
    let mut table = format!(
        "`cargo xtask bench load --calls {calls} --concurrency {concurrency} --reset-permille {reset_permille}{}` at {commit}. Machine: {}. One client (default config: standard retries, 3 attempts; ours: 60 s read timeout), DescribeConnections, against a loopback server in a child process.\n\n|",
        if official { " --official" } else { "" },
        machine(),
    );
    for run in &runs {
        let who = if value(run, "sdk") == "official" {
            "official"
        } else {
            "ours"
        };
        let faults = match value(run, "reset_permille").as_str() {
            "0" => "no faults".to_owned(),
            p => format!("{p} ‰ of requests reset"),
        };
        let _ = write!(table, " | {who}, {faults}");
    }
    table.push_str(" |\n| ---");
    for _ in &runs {
        table.push_str(" | ---");
    }
    table.push_str(" |\n");
    let rows: [LoadRow; 17] = [
        ("1-minute load before (waited)", &|r| {
            format!("{} ({} s)", value(r, "load1_before"), value(r, "waited_s"))
        }),
        (
            "calls completed (distinct call ids / completed twice)",
            &|r| {
                format!(
                    "{} ({} / {})",
                    value(r, "completions"),
                    value(r, "distinct_completions"),
                    value(r, "completed_twice")
                )
            },
        ),
        ("succeeded", &|r| value(r, "succeeded")),
        ("... of which after a retry", &|r| {
            value(r, "succeeded_after_retry")
        }),
        ("successes by attempt", &|r| value(r, "success_by_attempt")),
        ("failed (by error kind)", &|r| {
            format!("{} ({})", value(r, "failed"), value(r, "failed_by_kind"))
        }),
        ("wrong answers / exceeded the outer bound", &|r| {
            format!(
                "{} / {} (bound {} s)",
                value(r, "wrong_answers"),
                value(r, "hung"),
                value(r, "bound_s")
            )
        }),
        ("TCP connections accepted by the server", &|r| {
            value(r, "server_accepted")
        }),
        ("requests received / reset", &|r| {
            format!(
                "{} / {}",
                value(r, "server_requests"),
                value(r, "server_resets")
            )
        }),
        ("attempts per call (server's count)", &|r| {
            value(r, "server_attempts_per_call")
        }),
        (
            "invocation id changed within a call / malformed requests",
            &|r| {
                format!(
                    "{} / {}",
                    value(r, "server_invocation_id_mismatch"),
                    value(r, "server_bad")
                )
            },
        ),
        ("wall time", &|r| format!("{} s", value(r, "wall_s"))),
        ("calls/s", &|r| value(r, "calls_per_s")),
        ("latency p50 / p90", &|r| {
            format!("{} / {} ms", value(r, "p50_ms"), value(r, "p90_ms"))
        }),
        ("latency p99 / max", &|r| {
            format!("{} / {} ms", value(r, "p99_ms"), value(r, "max_ms"))
        }),
        ("client peak RSS (VmHWM)", &|r| {
            mib(value(r, "rss_peak_kib"))
        }),
        ("client RSS before the calls", &|r| {
            mib(value(r, "rss_before_kib"))
        }),
    ];
    for (label, cell) in rows {
        let cells: Vec<String> = runs.iter().map(cell).collect();
        let _ = writeln!(table, "| {label} | {} |", cells.join(" | "));
    }
    println!("{table}");
    write_result(root, "load.csv", &csv)?;
    write_result(root, "load.json", &json)?;
    write_result(root, "load.md", &table)?;
    Ok(())
}

/// `bench stream`: builds bench/stream (release) and runs it `runs` times in each mode
/// (streamed, then in memory), tabulating peak RSS above the baseline and throughput.
fn stream(root: &Path, size_mib: u64, runs: usize) -> Result<()> {
    let bench = root.join("bench");
    let target = root.join("target/bench/speed-target");
    crate::run(
        Command::new(cargo())
            .current_dir(&bench)
            .env("CARGO_TARGET_DIR", &target)
            .args(["build", "--release", "--locked", "-p", "stream"]),
    )?;
    let binary = target.join("release/stream");
    let commit = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let mut rows: Vec<Vec<(String, String)>> = Vec::new();
    for mode in ["stream", "buffered"] {
        for _ in 0..runs {
            let load = opt_f(load1(), 2);
            let output = Command::new(&binary)
                .args(["run", "--size-mib", &size_mib.to_string(), "--mode", mode])
                .stderr(Stdio::inherit())
                .output()
                .with_context(|| format!("running {}", binary.display()))?;
            if !output.status.success() {
                bail!("{} failed with {}", binary.display(), output.status);
            }
            let stdout = String::from_utf8_lossy(&output.stdout);
            let line = stdout
                .lines()
                .find_map(|l| l.strip_prefix("RESULT "))
                .context("the stream run printed no RESULT line")?;
            let mut row: Vec<(String, String)> = line
                .split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            row.push(("load1_before".into(), load));
            rows.push(row);
        }
    }
    let keys: Vec<String> = rows[0].iter().map(|(k, _)| k.clone()).collect();
    let value = |row: &[(String, String)], key: &str| -> String {
        row.iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| "-".to_owned(), |(_, v)| v.clone())
    };
    let mut csv = format!("commit,{}\n", keys.join(","));
    for row in &rows {
        let cells: Vec<String> = keys.iter().map(|k| value(row, k)).collect();
        let _ = writeln!(csv, "{commit},{}", cells.join(","));
    }
    let mut table = format!(
        "`cargo xtask bench stream --size-mib {size_mib} --runs {runs}` at {commit}. Machine: {}. \
         The generated `streaming` fixture crate (default features), a loopback server in a child \
         process; peak RSS (`VmHWM`, reset before each call) above the client's RSS after one small \
         call of each operation.\n\n\
         | mode | 1-min load before | baseline RSS | PutObject: peak above baseline | PutObject MiB/s | GetObject: peak above baseline | GetObject MiB/s | GetObject chunks |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
        machine()
    );
    for row in &rows {
        let mode = match value(row, "mode").as_str() {
            "stream" => "streamed (`from_path`, `try_next`)".to_owned(),
            "buffered" => "in memory (`from(Vec)`, `collect`), control".to_owned(),
            other => other.to_owned(),
        };
        let _ = writeln!(
            table,
            "| {mode} | {} | {} MiB | {} MiB | {} | {} MiB | {} | {} |",
            value(row, "load1_before"),
            value(row, "baseline_rss_mib"),
            value(row, "put_peak_above_mib"),
            value(row, "put_mib_s"),
            value(row, "get_peak_above_mib"),
            value(row, "get_mib_s"),
            value(row, "get_chunks"),
        );
    }
    println!("{table}");
    write_result(root, "stream.csv", &csv)?;
    write_result(root, "stream.md", &table)?;
    Ok(())
}
