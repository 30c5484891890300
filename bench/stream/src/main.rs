//! Streaming memory benchmark (`cargo xtask bench stream`; BENCHMARKS.md, "Streaming
//! payloads: peak memory"): a PutObject whose body streams from a file
//! (`ByteStream::from_path`) and a GetObject whose body is consumed chunk by chunk
//! (`body.try_next()`), through the generated `streaming` fixture crate (S3-like `PutObject`
//! and `GetObject`, rest-json) with its default features, against a loopback server.
//!
//! ```text
//! stream run [--size-mib 200] [--mode stream|buffered]
//! ```
//!
//! The server runs in a child process (`stream serve BYTES`, the runtime's
//! `testing::StreamServer`: it reads uploads without keeping them and makes downloads from a
//! byte pattern as it sends them), so the peak RSS measured is the client's own. The client
//! writes the file (1 MiB at a time), makes one small call of each operation (connection and
//! client set up), then reads its resident set (`VmRSS`, the baseline). Before each large call
//! it resets the kernel's peak (`/proc/self/clear_refs` ← 5) and after it reads the peak
//! (`VmHWM`): the figure is that peak above the baseline. `--mode buffered` does the same with
//! the whole body in memory (`ByteStream::from(std::fs::read(..))` and `collect()`), a
//! control that shows the measurement sees a body held whole.
//!
//! Checks: the upload's `ETag` is the server's count of the bytes it read, sent only when the
//! whole body arrived; every downloaded chunk is compared with the pattern at its offset.
//!
//! Output: a human summary on stderr and one line `RESULT key=value ...` on stdout.

use aws_lite_runtime::config::{BehaviorVersion, Config, Credentials, Region};
use aws_lite_runtime::testing::{StreamServer, StreamServerOptions, pattern_fill};
use lite::primitives::ByteStream;
use std::error::Error;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

type Res<T> = Result<T, Box<dyn Error>>;

const MIB: u64 = 1024 * 1024;
const SEED: u64 = 1;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve(args.get(1).ok_or("serve BYTES")?.parse()?),
        Some("run") => {
            let mut size_mib = 200;
            let mut mode = "stream".to_owned();
            let mut rest = args[1..].iter();
            while let Some(flag) = rest.next() {
                let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--size-mib" => size_mib = value.parse()?,
                    "--mode" if value == "stream" || value == "buffered" => mode.clone_from(value),
                    other => return Err(format!("unknown option {other} {value}").into()),
                }
            }
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?
                .block_on(run(size_mib * MIB, &mode))
        }
        _ => Err("usage: stream run [--size-mib 200] [--mode stream|buffered]".into()),
    }
}

/// The child process: a StreamServer whose downloads are `bytes` long; prints its URL, stops
/// when stdin closes.
fn serve(bytes: u64) -> Res<()> {
    let server = StreamServer::start(StreamServerOptions {
        download_len: bytes,
        download_seed: SEED,
        ..StreamServerOptions::default()
    })?;
    println!("{}", server.url());
    std::io::stdout().flush()?;
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    Ok(())
}

/// A field of /proc/self/status in KiB (`VmRSS`, `VmHWM`).
fn status_kib(field: &str) -> Res<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .ok_or_else(|| format!("no {field} in /proc/self/status"))?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or("malformed status line")?
        .parse()?)
}

/// Resets the kernel's peak RSS (`VmHWM`) to the current RSS.
fn reset_peak() -> Res<()> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    Ok(())
}

async fn put(client: &lite::Client, path: &std::path::Path, size: u64, buffered: bool) -> Res<()> {
    let body = if buffered {
        ByteStream::from(std::fs::read(path)?)
    } else {
        ByteStream::from_path(path).await?
    };
    let out = client.put_object().bucket("bench").key("object.bin").body(body).send().await?;
    let expected = format!("\"{size}\"");
    if out.e_tag() != Some(expected.as_str()) {
        return Err(format!("the server read {:?} bytes, expected {size}", out.e_tag()).into());
    }
    Ok(())
}

async fn get(client: &lite::Client, size: u64, buffered: bool) -> Res<usize> {
    let mut out = client.get_object().bucket("bench").key("object.bin").send().await?;
    let mut expected = Vec::new();
    let mut check = |offset: u64, chunk: &[u8]| -> Res<()> {
        expected.resize(chunk.len(), 0);
        pattern_fill(SEED, offset, &mut expected);
        if expected != chunk {
            return Err(format!("the bytes at offset {offset} differ from the pattern").into());
        }
        Ok(())
    };
    let mut received = 0u64;
    let mut chunks = 0;
    if buffered {
        let bytes = out.body.collect().await?.into_bytes();
        check(0, &bytes)?;
        received = bytes.len() as u64;
        chunks = 1;
    } else {
        while let Some(chunk) = out.body.try_next().await? {
            check(received, &chunk)?;
            received += chunk.len() as u64;
            chunks += 1;
        }
    }
    if received != size {
        return Err(format!("received {received} bytes, expected {size}").into());
    }
    Ok(chunks)
}

async fn run(size: u64, mode: &str) -> Res<()> {
    let buffered = mode == "buffered";
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .args(["serve", &size.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut url = String::new();
    BufReader::new(child.stdout.take().ok_or("child stdout")?).read_line(&mut url)?;
    let url = url.trim().to_owned();

    // The file to upload, written 1 MiB at a time.
    let dir = std::env::temp_dir().join(format!("aws-lite-stream-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("object.bin");
    {
        let mut file = std::fs::File::create(&path)?;
        let mut chunk = vec![0u8; MIB as usize];
        let mut written = 0;
        while written < size {
            let n = usize::try_from((size - written).min(MIB))?;
            pattern_fill(SEED, written, &mut chunk[..n]);
            file.write_all(&chunk[..n])?;
            written += n as u64;
        }
    }

    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(url.as_str())
        .build();
    let client = lite::Client::from_conf(config);
    // Set up: one small call of each (the server's downloads are `size` long, so the small
    // GetObject reads only its head and drops the body, which closes that connection).
    let small_dir = dir.join("small.bin");
    std::fs::write(&small_dir, b"warm-up")?;
    client
        .put_object()
        .bucket("bench")
        .key("warm-up")
        .body(ByteStream::from_path(&small_dir).await?)
        .send()
        .await?;
    drop(client.get_object().bucket("bench").key("warm-up").send().await?);

    let baseline = status_kib("VmRSS:")?;
    reset_peak()?;
    let started = Instant::now();
    put(&client, &path, size, buffered).await?;
    let put_secs = started.elapsed().as_secs_f64();
    let put_peak = status_kib("VmHWM:")?;

    reset_peak()?;
    let before_get = status_kib("VmRSS:")?;
    let started = Instant::now();
    let chunks = get(&client, size, buffered).await?;
    let get_secs = started.elapsed().as_secs_f64();
    let get_peak = status_kib("VmHWM:")?;

    drop(child.stdin.take());
    let _ = child.wait();
    std::fs::remove_dir_all(&dir)?;

    let mib = |kib: u64| kib as f64 / 1024.0;
    let size_mib = size as f64 / MIB as f64;
    let put_above = put_peak.saturating_sub(baseline);
    let get_above = get_peak.saturating_sub(baseline);
    eprintln!(
        "{mode}: {size_mib:.0} MiB; baseline RSS {:.1} MiB; PutObject from a file: peak {:.1} MiB above baseline, {:.2} s ({:.0} MiB/s); GetObject in {chunks} chunks: peak {:.1} MiB above baseline (RSS before it {:.1} MiB), {:.2} s ({:.0} MiB/s)",
        mib(baseline),
        mib(put_above),
        put_secs,
        size_mib / put_secs,
        mib(get_above),
        mib(before_get),
        get_secs,
        size_mib / get_secs,
    );
    println!(
        "RESULT mode={mode} size_mib={size_mib:.0} baseline_rss_mib={:.1} put_peak_above_mib={:.1} get_peak_above_mib={:.1} put_s={put_secs:.2} get_s={get_secs:.2} put_mib_s={:.0} get_mib_s={:.0} get_chunks={chunks}",
        mib(baseline),
        mib(put_above),
        mib(get_above),
        size_mib / put_secs,
        size_mib / get_secs,
    );
    Ok(())
}
