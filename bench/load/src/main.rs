//! Load benchmark (`cargo xtask bench load`; BENCHMARKS.md, "Load: 20,000 calls at
//! concurrency 200"): DescribeConnections calls through ONE client of the generated Direct
//! Connect crate, with its default configuration (standard retries, 3 attempts, default
//! timeouts), against a loopback HTTP/1.1 server that answers awsJson 1.1.
//!
//! ```text
//! load run [--calls 20000] [--concurrency 200] [--reset-permille 0] [--seed 1] [--bound-secs 240] [--sdk lite|official]
//! ```
//!
//! The server runs in a child process (`load serve PERMILLE SEED`, the runtime's
//! `testing::TestServer` with a handler), so the client's peak RSS is its own. For each
//! request it checks the awsJson framing (method, `x-amz-target`, `content-type`, a SigV4
//! `authorization`, `amz-sdk-request`, `amz-sdk-invocation-id`, the JSON body), then either
//! resets the connection without answering (SO_LINGER 0: a TCP RST), for `PERMILLE` of the
//! requests chosen by a hash of (seed, call, attempt) so the same calls are hit whatever the
//! scheduling, or answers 200 with the call's own connection id and the attempt number. It
//! counts the TCP connections it accepted and, per call, the attempts it saw.
//!
//! The client runs `--concurrency` tasks that take call numbers from a shared counter until
//! `--calls` are done; each call is bounded by `--bound-secs` from outside (longer than the
//! default config's own worst case, 3 attempts × 60 s read timeout plus backoff), and counted
//! per call number when it completes. A success must carry the call's own connection id.
//!
//! With the `official` feature (off by default), `--sdk official` runs the same calls through
//! the official `aws-sdk-directconnect` crate (default features, `BehaviorVersion::latest()`).
//!
//! Output: a human summary on stderr and one line `RESULT key=value ...` on stdout (read by
//! `cargo xtask bench load`).

use aws_lite_runtime::primitives::{DateTime, DateTimeFormat};
use aws_lite_runtime::testing::{CannedResponse, RecordedRequest, TestServer};
use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

type Res<T> = Result<T, Box<dyn Error>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => {
            let permille = args.get(1).ok_or("serve PERMILLE SEED")?.parse()?;
            let seed = args.get(2).ok_or("serve PERMILLE SEED")?.parse()?;
            serve(permille, seed)
        }
        Some("run") => run(&Options::parse(&args[1..])?),
        _ => Err("usage: load run [--calls N] [--concurrency C] [--reset-permille P] [--seed S] [--bound-secs B] [--sdk lite|official]".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The server (child process)

#[derive(Default)]
struct ServerStats {
    requests: AtomicU64,
    resets: AtomicU64,
    bad: AtomicU64,
    /// Per call number: its invocation id and the attempts seen.
    calls: Mutex<HashMap<u64, (String, u32)>>,
    invocation_id_mismatch: AtomicU64,
    /// The first malformed request's reason, for the report.
    first_bad: Mutex<Option<String>>,
}

/// SplitMix64: a well-mixed hash of the seed, call and attempt (deterministic resets).
fn mix(seed: u64, call: u64, attempt: u32) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(call.wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(u64::from(attempt).wrapping_mul(0x94D0_49BB_1331_11EB));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What a well-formed DescribeConnections request of this benchmark carries: (call, attempt,
/// invocation id).
fn check(request: &RecordedRequest) -> Result<(u64, u32, String), String> {
    if request.method != "POST" || request.uri != "/" {
        return Err(format!("{} {} (want POST /)", request.method, request.uri));
    }
    let want = |name: &str, value: &str| match request.header(name) {
        Some(v) if v == value => Ok(()),
        other => Err(format!("{name}: {other:?}, want {value:?}")),
    };
    want("x-amz-target", "OvertureService.DescribeConnections")?;
    want("content-type", "application/x-amz-json-1.1")?;
    let auth = request.header("authorization").unwrap_or_default();
    if !auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDLOAD/")
        || !auth.contains("/us-east-1/directconnect/aws4_request")
    {
        return Err(format!("authorization {auth:?}"));
    }
    let info = request
        .header("amz-sdk-request")
        .ok_or("no amz-sdk-request")?;
    let field = |key: &str| {
        info.split("; ")
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.parse::<u32>().ok())
            .ok_or_else(|| format!("amz-sdk-request {info:?} has no {key}"))
    };
    let attempt = field("attempt")?;
    let max = field("max")?;
    if attempt == 0 || attempt > max {
        return Err(format!("amz-sdk-request {info:?}"));
    }
    let invocation = request
        .header("amz-sdk-invocation-id")
        .filter(|id| id.len() == 36)
        .ok_or("no amz-sdk-invocation-id")?
        .to_owned();
    let body: serde_json::Value =
        serde_json::from_slice(&request.body).map_err(|e| format!("body: {e}"))?;
    let call = body
        .get("connectionId")
        .and_then(serde_json::Value::as_str)
        .and_then(|id| id.strip_prefix("dxcon-"))
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or_else(|| format!("body {body} has no connectionId dxcon-N"))?;
    Ok((call, attempt, invocation))
}

fn handle(
    stats: &ServerStats,
    permille: u64,
    seed: u64,
    request: &RecordedRequest,
) -> CannedResponse {
    let n = stats.requests.fetch_add(1, Ordering::Relaxed);
    let (call, attempt, invocation) = match check(request) {
        Ok(parts) => parts,
        Err(why) => {
            stats.bad.fetch_add(1, Ordering::Relaxed);
            let body = serde_json::json!({"__type": "ValidationException", "message": why});
            stats
                .first_bad
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(why);
            return CannedResponse::json(400, body.to_string());
        }
    };
    {
        let mut calls = stats.calls.lock().unwrap_or_else(|e| e.into_inner());
        let entry = calls.entry(call).or_insert_with(|| (invocation.clone(), 0));
        if entry.0 != invocation {
            stats.invocation_id_mismatch.fetch_add(1, Ordering::Relaxed);
        }
        entry.1 += 1;
    }
    if permille > 0 && mix(seed, call, attempt) % 1000 < permille {
        stats.resets.fetch_add(1, Ordering::Relaxed);
        return CannedResponse::reset();
    }
    let body = serde_json::json!({
        "connections": [{
            "ownerAccount": "123456789012",
            "connectionId": format!("dxcon-{call:08}"),
            "connectionName": format!("attempt-{attempt}"),
            "connectionState": "available",
            "region": "us-east-1",
            "location": "EqDC2",
            "bandwidth": "1Gbps",
            "vlan": 101,
            "jumboFrameCapable": false,
            "hasLogicalRedundancy": "no",
            "macSecCapable": false,
            "encryptionMode": "no_encrypt",
        }]
    });
    let date = DateTime::from(SystemTime::now())
        .fmt(DateTimeFormat::HttpDate)
        .unwrap_or_default();
    CannedResponse::json(200, body.to_string())
        .header(
            "x-amzn-requestid",
            format!("00000000-0000-4000-8000-{n:012}"),
        )
        .header("date", date)
}

fn serve(permille: u64, seed: u64) -> Res<()> {
    let stats = Arc::new(ServerStats::default());
    let served = Arc::clone(&stats);
    let server = TestServer::try_start_with(move |r| handle(&served, permille, seed, r))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", server.url())?;
    out.flush()?;
    // Runs until the parent writes a line (or closes stdin).
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let calls = stats.calls.lock().unwrap_or_else(|e| e.into_inner());
    let mut per_call: BTreeMap<u32, u64> = BTreeMap::new();
    for (_, attempts) in calls.values() {
        *per_call.entry(*attempts).or_default() += 1;
    }
    let per_call = per_call
        .iter()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect::<Vec<_>>()
        .join(",");
    let first_bad = stats
        .first_bad
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_default()
        .replace(char::is_whitespace, "_");
    writeln!(
        out,
        "accepted={} requests={} resets={} bad={} calls_seen={} attempts_per_call={} invocation_id_mismatch={} first_bad={first_bad}",
        server.connections_accepted(),
        stats.requests.load(Ordering::Relaxed),
        stats.resets.load(Ordering::Relaxed),
        stats.bad.load(Ordering::Relaxed),
        calls.len(),
        if per_call.is_empty() { "-" } else { &per_call },
        stats.invocation_id_mismatch.load(Ordering::Relaxed),
    )?;
    out.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The client

struct Options {
    calls: usize,
    concurrency: usize,
    reset_permille: u64,
    seed: u64,
    bound: Duration,
    sdk: String,
}

impl Options {
    fn parse(args: &[String]) -> Res<Self> {
        let mut options = Self {
            calls: 20_000,
            concurrency: 200,
            reset_permille: 0,
            seed: 1,
            bound: Duration::from_secs(240),
            sdk: "lite".to_owned(),
        };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--calls" => options.calls = value.parse()?,
                "--concurrency" => options.concurrency = value.parse()?,
                "--reset-permille" => options.reset_permille = value.parse()?,
                "--seed" => options.seed = value.parse()?,
                "--bound-secs" => options.bound = Duration::from_secs(value.parse()?),
                "--sdk" => options.sdk = value.clone(),
                other => return Err(format!("unknown option {other}").into()),
            }
        }
        if options.calls == 0 || options.concurrency == 0 || options.reset_permille > 1000 {
            return Err("--calls and --concurrency must be > 0, --reset-permille <= 1000".into());
        }
        Ok(options)
    }
}

/// A `VmHWM`/`VmRSS` line of /proc/self/status, in KiB.
fn proc_status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

enum Outcome {
    /// Succeeded on this attempt (from the server's answer).
    Success(u32),
    /// Ended with an error: its kind and text.
    Failed(&'static str, String),
    /// Answered, but not with this call's connection.
    Wrong(String),
    /// Did not end within the outer bound.
    Hung,
}

/// The client under test: ours (the generated crate) or, with the `official` feature, the
/// official `aws-sdk-directconnect`. Each is one client, shared by all tasks.
#[derive(Clone)]
enum Sdk {
    Lite(lite::Client),
    #[cfg(feature = "official")]
    Official(official::Client),
}

/// One DescribeConnections call of call number `id` on `$client` (the same tokens for both
/// crates, whose APIs agree).
macro_rules! describe {
    ($client:expr, $krate:ident, $id:expr) => {{
        let expected = format!("dxcon-{:08}", $id);
        match $client
            .describe_connections()
            .connection_id(expected.clone())
            .send()
            .await
        {
            Ok(out) => match out.connections() {
                [c] if c.connection_id() == Some(expected.as_str()) => match c
                    .connection_name()
                    .and_then(|n| n.strip_prefix("attempt-"))
                    .and_then(|n| n.parse().ok())
                {
                    Some(attempt) => Outcome::Success(attempt),
                    None => Outcome::Wrong(format!("{c:?}")),
                },
                other => Outcome::Wrong(format!("{other:?}")),
            },
            Err(err) => {
                use $krate::error::SdkError;
                let kind = match &err {
                    SdkError::ConstructionFailure(_) => "construction",
                    SdkError::TimeoutError(_) => "timeout",
                    SdkError::DispatchFailure(_) => "dispatch",
                    SdkError::ResponseError(_) => "response",
                    SdkError::ServiceError(_) => "service",
                    _ => "other",
                };
                Outcome::Failed(kind, $krate::error::DisplayErrorContext(&err).to_string())
            }
        }
    }};
}

impl Sdk {
    async fn call(&self, id: usize) -> Outcome {
        match self {
            Sdk::Lite(client) => describe!(client, lite, id),
            #[cfg(feature = "official")]
            Sdk::Official(client) => describe!(client, official, id),
        }
    }
}

fn run(options: &Options) -> Res<()> {
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .args([
            "serve",
            &options.reset_permille.to_string(),
            &options.seed.to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut child_out = BufReader::new(child.stdout.take().ok_or("no child stdout")?);
    let mut url = String::new();
    child_out.read_line(&mut url)?;
    let url = url.trim().to_owned();
    if !url.starts_with("http://") {
        return Err(format!("server did not start: {url:?}").into());
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let config = lite::Config::builder()
        .region(lite::config::Region::new("us-east-1"))
        .credentials_provider(lite::config::Credentials::new(
            "AKIDLOAD",
            "SECRETLOAD",
            None,
            None,
            "load",
        ))
        .endpoint_url(url.clone())
        .build();
    let client = match options.sdk.as_str() {
        "lite" => Sdk::Lite(lite::Client::from_conf(config)),
        #[cfg(feature = "official")]
        "official" => {
            use official::config::{BehaviorVersion, Credentials, Region};
            let config = official::Config::builder()
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new(
                    "AKIDLOAD",
                    "SECRETLOAD",
                    None,
                    None,
                    "load",
                ))
                .behavior_version(BehaviorVersion::latest())
                .endpoint_url(url.clone())
                .build();
            Sdk::Official(official::Client::from_conf(config))
        }
        other => {
            return Err(format!("--sdk {other}: lite, or official (feature `official`)").into());
        }
    };
    let rss_before = proc_status_kib("VmHWM:").unwrap_or(0);

    let calls = options.calls;
    let completions: Arc<Vec<AtomicU32>> =
        Arc::new((0..calls).map(|_| AtomicU32::new(0)).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let per_worker: Vec<Vec<(usize, Duration, Outcome)>> = runtime.block_on(async {
        let mut tasks = Vec::with_capacity(options.concurrency);
        for _ in 0..options.concurrency {
            let client = client.clone();
            let completions = Arc::clone(&completions);
            let next = Arc::clone(&next);
            let bound = options.bound;
            tasks.push(tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let id = next.fetch_add(1, Ordering::Relaxed);
                    if id >= calls {
                        return done;
                    }
                    let start = Instant::now();
                    let result = tokio::time::timeout(bound, client.call(id)).await;
                    let elapsed = start.elapsed();
                    completions[id].fetch_add(1, Ordering::Relaxed);
                    let outcome = result.unwrap_or(Outcome::Hung);
                    done.push((id, elapsed, outcome));
                }
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.push(task.await.unwrap_or_default());
        }
        all
    });
    let wall = started.elapsed();
    let rss_peak = proc_status_kib("VmHWM:").unwrap_or(0);

    // The server's counts.
    let mut stdin = child.stdin.take().ok_or("no child stdin")?;
    writeln!(stdin, "stats")?;
    let mut server_line = String::new();
    child_out.read_line(&mut server_line)?;
    drop(stdin);
    let _ = child.wait();
    let server: BTreeMap<String, String> = server_line
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();

    // Tally.
    let mut latencies: Vec<Duration> = Vec::with_capacity(calls);
    let mut by_attempt: BTreeMap<u32, usize> = BTreeMap::new();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_failure: Option<String> = None;
    let (mut wrong, mut hung) = (0usize, 0usize);
    let mut recorded = 0usize;
    for (_, elapsed, outcome) in per_worker.iter().flatten() {
        recorded += 1;
        latencies.push(*elapsed);
        match outcome {
            Outcome::Success(attempt) => *by_attempt.entry(*attempt).or_default() += 1,
            Outcome::Failed(kind, text) => {
                *failures.entry((*kind).to_owned()).or_default() += 1;
                first_failure.get_or_insert_with(|| text.clone());
            }
            Outcome::Wrong(what) => {
                wrong += 1;
                first_failure.get_or_insert_with(|| format!("wrong answer: {what}"));
            }
            Outcome::Hung => hung += 1,
        }
    }
    let distinct = completions
        .iter()
        .filter(|c| c.load(Ordering::Relaxed) >= 1)
        .count();
    let twice = completions
        .iter()
        .filter(|c| c.load(Ordering::Relaxed) > 1)
        .count();
    latencies.sort();
    let pct = |p: f64| -> f64 {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies
            .get(i)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    let succeeded: usize = by_attempt.values().sum();
    let failed: usize = failures.values().sum();
    let after_retry: usize = by_attempt
        .iter()
        .filter(|(a, _)| **a > 1)
        .map(|(_, n)| n)
        .sum();
    let by_attempt_s = by_attempt
        .iter()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect::<Vec<_>>()
        .join(",");
    let failures_s = failures
        .iter()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect::<Vec<_>>()
        .join(",");
    let get = |k: &str| server.get(k).cloned().unwrap_or_else(|| "?".into());

    let mut result: Vec<(&str, String)> = vec![
        ("sdk", options.sdk.clone()),
        ("calls", calls.to_string()),
        ("concurrency", options.concurrency.to_string()),
        ("reset_permille", options.reset_permille.to_string()),
        ("seed", options.seed.to_string()),
        ("bound_s", options.bound.as_secs().to_string()),
        ("completions", recorded.to_string()),
        ("distinct_completions", distinct.to_string()),
        ("completed_twice", twice.to_string()),
        ("succeeded", succeeded.to_string()),
        ("succeeded_after_retry", after_retry.to_string()),
        (
            "success_by_attempt",
            if by_attempt_s.is_empty() {
                "-".into()
            } else {
                by_attempt_s
            },
        ),
        ("failed", failed.to_string()),
        (
            "failed_by_kind",
            if failures_s.is_empty() {
                "-".into()
            } else {
                failures_s
            },
        ),
        ("wrong_answers", wrong.to_string()),
        ("hung", hung.to_string()),
        ("wall_s", format!("{:.3}", wall.as_secs_f64())),
        (
            "calls_per_s",
            format!("{:.0}", calls as f64 / wall.as_secs_f64()),
        ),
        ("p50_ms", format!("{:.2}", pct(0.50))),
        ("p90_ms", format!("{:.2}", pct(0.90))),
        ("p99_ms", format!("{:.2}", pct(0.99))),
        ("max_ms", format!("{:.2}", pct(1.0))),
        ("rss_before_kib", rss_before.to_string()),
        ("rss_peak_kib", rss_peak.to_string()),
        ("server_accepted", get("accepted")),
        ("server_requests", get("requests")),
        ("server_resets", get("resets")),
        ("server_bad", get("bad")),
        ("server_calls_seen", get("calls_seen")),
        ("server_attempts_per_call", get("attempts_per_call")),
        (
            "server_invocation_id_mismatch",
            get("invocation_id_mismatch"),
        ),
    ];
    if let Some(bad) = server.get("first_bad").filter(|b| !b.is_empty()) {
        result.push(("server_first_bad", bad.clone()));
    }
    if let Some(text) = &first_failure {
        eprintln!("first failure: {text}");
    }
    for (k, v) in &result {
        eprintln!("  {k:32} {v}");
    }
    println!(
        "RESULT {}",
        result
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(())
}
