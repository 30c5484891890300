//! `cargo xtask models --botocore VERSION`: refresh `models/` from a botocore
//! wheel on PyPI.
//!
//! The wheel is fetched with `python3 -m pip download` into a scratch folder
//! under `target/`, the model files are extracted (and decompressed where
//! botocore ships them gzipped) by a small inline python3 script using only
//! `zipfile`/`gzip`/`json`, everything is written to a staging folder, and
//! only then moved into `models/`, together with a regenerated
//! `models/README.md` carrying the new SHA-256 sums.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use sha2::{Digest, Sha256};

/// The botocore service folder and API version of the modelled service.
pub const SERVICE: &str = "directconnect";
pub const API_VERSION: &str = "2012-10-25";

/// One file copied from the wheel into `models/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelFile {
    /// Path relative to `models/`, with `/` separators.
    pub dest: &'static str,
    /// Path inside the wheel, without a possible `.gz` suffix: the
    /// extractor accepts either the plain file or `<path>.gz` (decompressed).
    pub source: &'static str,
    /// Whether the file must parse as JSON.
    pub json: bool,
}

/// The model files, in the order they are listed in the README.
pub const MODEL_FILES: &[ModelFile] = &[
    ModelFile {
        dest: "directconnect/service-2.json",
        source: "botocore/data/directconnect/2012-10-25/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "directconnect/paginators-1.json",
        source: "botocore/data/directconnect/2012-10-25/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "directconnect/endpoint-rule-set-1.json",
        source: "botocore/data/directconnect/2012-10-25/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "lambda/service-2.json",
        source: "botocore/data/lambda/2015-03-31/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "lambda/paginators-1.json",
        source: "botocore/data/lambda/2015-03-31/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "lambda/endpoint-rule-set-1.json",
        source: "botocore/data/lambda/2015-03-31/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "iam/service-2.json",
        source: "botocore/data/iam/2010-05-08/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "iam/paginators-1.json",
        source: "botocore/data/iam/2010-05-08/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "iam/endpoint-rule-set-1.json",
        source: "botocore/data/iam/2010-05-08/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "sts/service-2.json",
        source: "botocore/data/sts/2011-06-15/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "sts/endpoint-rule-set-1.json",
        source: "botocore/data/sts/2011-06-15/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "dynamodb/service-2.json",
        source: "botocore/data/dynamodb/2012-08-10/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "dynamodb/paginators-1.json",
        source: "botocore/data/dynamodb/2012-08-10/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "dynamodb/waiters-2.json",
        source: "botocore/data/dynamodb/2012-08-10/waiters-2.json",
        json: true,
    },
    ModelFile {
        dest: "dynamodb/endpoint-rule-set-1.json",
        source: "botocore/data/dynamodb/2012-08-10/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "sqs/service-2.json",
        source: "botocore/data/sqs/2012-11-05/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "sqs/paginators-1.json",
        source: "botocore/data/sqs/2012-11-05/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "sqs/endpoint-rule-set-1.json",
        source: "botocore/data/sqs/2012-11-05/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "sso/service-2.json",
        source: "botocore/data/sso/2019-06-10/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "sso/endpoint-rule-set-1.json",
        source: "botocore/data/sso/2019-06-10/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "sso-oidc/service-2.json",
        source: "botocore/data/sso-oidc/2019-06-10/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "sso-oidc/endpoint-rule-set-1.json",
        source: "botocore/data/sso-oidc/2019-06-10/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "s3/service-2.json",
        source: "botocore/data/s3/2006-03-01/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "s3/paginators-1.json",
        source: "botocore/data/s3/2006-03-01/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "s3/endpoint-rule-set-1.json",
        source: "botocore/data/s3/2006-03-01/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "route53/service-2.json",
        source: "botocore/data/route53/2013-04-01/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "route53/paginators-1.json",
        source: "botocore/data/route53/2013-04-01/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "route53/endpoint-rule-set-1.json",
        source: "botocore/data/route53/2013-04-01/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "sns/service-2.json",
        source: "botocore/data/sns/2010-03-31/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "sns/paginators-1.json",
        source: "botocore/data/sns/2010-03-31/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "sns/endpoint-rule-set-1.json",
        source: "botocore/data/sns/2010-03-31/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "ec2/service-2.json",
        source: "botocore/data/ec2/2016-11-15/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "ec2/paginators-1.json",
        source: "botocore/data/ec2/2016-11-15/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "ec2/waiters-2.json",
        source: "botocore/data/ec2/2016-11-15/waiters-2.json",
        json: true,
    },
    ModelFile {
        dest: "ec2/endpoint-rule-set-1.json",
        source: "botocore/data/ec2/2016-11-15/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "cloudwatch/service-2.json",
        source: "botocore/data/cloudwatch/2010-08-01/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "cloudwatch/paginators-1.json",
        source: "botocore/data/cloudwatch/2010-08-01/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "cloudwatch/waiters-2.json",
        source: "botocore/data/cloudwatch/2010-08-01/waiters-2.json",
        json: true,
    },
    ModelFile {
        dest: "cloudwatch/endpoint-rule-set-1.json",
        source: "botocore/data/cloudwatch/2010-08-01/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "logs/service-2.json",
        source: "botocore/data/logs/2014-03-28/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "logs/paginators-1.json",
        source: "botocore/data/logs/2014-03-28/paginators-1.json",
        json: true,
    },
    ModelFile {
        dest: "logs/endpoint-rule-set-1.json",
        source: "botocore/data/logs/2014-03-28/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "polly/service-2.json",
        source: "botocore/data/polly/2016-06-10/service-2.json",
        json: true,
    },
    ModelFile {
        dest: "polly/endpoint-rule-set-1.json",
        source: "botocore/data/polly/2016-06-10/endpoint-rule-set-1.json",
        json: true,
    },
    ModelFile {
        dest: "partitions.json",
        source: "botocore/data/partitions.json",
        json: true,
    },
];

/// botocore's licence files, copied next to the models (Apache-2.0 §4 asks
/// for both to travel with redistributed parts). `{dist_info}` is replaced
/// by `botocore-VERSION.dist-info`.
pub const LICENCE_FILES: &[ModelFile] = &[
    ModelFile {
        dest: "botocore-LICENSE.txt",
        source: "{dist_info}/LICENSE.txt",
        json: false,
    },
    ModelFile {
        dest: "botocore-NOTICE",
        source: "{dist_info}/NOTICE",
        json: false,
    },
];

/// Extract files from a wheel. argv: wheel, staging dir, then triples of
/// (source path in wheel, destination relative to staging, "json"|"raw").
/// A source may be stored as `<source>` or `<source>.gz`; the latter is
/// decompressed. Bytes are written unchanged otherwise. Prints one line per
/// file: `<dest>\t<actual path in wheel>`.
const EXTRACT_PY: &str = r#"
import gzip, json, os, sys, zipfile
wheel, staging, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    for i in range(0, len(rest), 3):
        src, dest, kind = rest[i], rest[i + 1], rest[i + 2]
        if src in names:
            used, data = src, z.read(src)
        elif src + ".gz" in names:
            used, data = src + ".gz", gzip.decompress(z.read(src + ".gz"))
        else:
            sys.exit("not in %s: %s (nor %s.gz)" % (wheel, src, src))
        if kind == "json":
            json.loads(data.decode("utf-8"))
        out = os.path.join(staging, dest)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "wb") as f:
            f.write(data)
        print("%s\t%s" % (dest, used))
"#;

/// What the README says about one committed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// Path relative to `models/`.
    pub dest: String,
    /// Path inside the wheel as actually read (with `.gz` if it was gzipped).
    pub in_wheel: String,
    /// Lower-case hex SHA-256 of the committed (decompressed) bytes.
    pub sha256: String,
}

/// Everything `models/README.md` is rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadmeInput {
    pub botocore_version: String,
    pub wheel_name: String,
    pub wheel_sha256: String,
    pub models: Vec<FileRecord>,
    pub licences: Vec<FileRecord>,
    /// botocore's own copyright lines, from the top of its NOTICE.
    pub notice_head: String,
}

/// Refresh `models_dir` from botocore `botocore_version` on PyPI.
pub fn refresh(botocore_version: &str, models_dir: &Path) -> Result<()> {
    validate_version(botocore_version)?;
    fs::create_dir_all(models_dir).with_context(|| format!("creating {}", models_dir.display()))?;
    let models_dir = fs::canonicalize(models_dir)
        .with_context(|| format!("resolving {}", models_dir.display()))?;

    let scratch = scratch_dir(&models_dir)?.join(format!(
        "botocore-{botocore_version}-{}",
        std::process::id()
    ));
    if scratch.exists() {
        fs::remove_dir_all(&scratch).with_context(|| format!("clearing {}", scratch.display()))?;
    }
    let result = refresh_in(botocore_version, &models_dir, &scratch);
    // Best effort: leave nothing behind, whether or not it worked.
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn refresh_in(version: &str, models_dir: &Path, scratch: &Path) -> Result<()> {
    let download = scratch.join("download");
    let staging = scratch.join("staging");
    fs::create_dir_all(&download)?;
    fs::create_dir_all(&staging)?;

    // 1. Download the wheel (never an sdist: the data files are only
    //    guaranteed at these paths in the wheel).
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:"])
        .arg("--disable-pip-version-check")
        .arg(format!("botocore=={version}"))
        .arg("-d")
        .arg(&download)
        .status()
        .context("running `python3 -m pip download` (is python3 with pip installed?)")?;
    ensure!(
        status.success(),
        "`python3 -m pip download botocore=={version}` failed: {status}"
    );

    let wheel_name = expected_wheel_name(version);
    let wheel = download.join(&wheel_name);
    ensure!(
        wheel.is_file(),
        "pip did not produce {} (found: {:?})",
        wheel.display(),
        list_dir(&download)
    );
    let wheel_sha256 = sha256_file(&wheel)?;

    // 2. Extract into the staging folder.
    let dist_info = format!("botocore-{version}.dist-info");
    let all: Vec<ModelFile> = MODEL_FILES.iter().chain(LICENCE_FILES).copied().collect();
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg(EXTRACT_PY).arg(&wheel).arg(&staging);
    for f in &all {
        cmd.arg(f.source.replace("{dist_info}", &dist_info))
            .arg(f.dest)
            .arg(if f.json { "json" } else { "raw" });
    }
    let out = cmd
        .output()
        .context("running python3 to extract the wheel")?;
    ensure!(
        out.status.success(),
        "extracting from {wheel_name} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    let used = parse_extract_output(&String::from_utf8_lossy(&out.stdout))?;

    let record = |f: &ModelFile| -> Result<FileRecord> {
        let in_wheel = used
            .iter()
            .find(|(d, _)| d == f.dest)
            .map(|(_, u)| u.clone())
            .with_context(|| format!("extractor did not report {}", f.dest))?;
        Ok(FileRecord {
            dest: f.dest.to_string(),
            in_wheel,
            sha256: sha256_file(&staging.join(f.dest))?,
        })
    };
    let models = MODEL_FILES.iter().map(record).collect::<Result<Vec<_>>>()?;
    let licences = LICENCE_FILES
        .iter()
        .map(record)
        .collect::<Result<Vec<_>>>()?;
    let notice =
        fs::read_to_string(staging.join("botocore-NOTICE")).context("reading botocore's NOTICE")?;

    // 3. Render the README into the staging folder too.
    let readme = render_readme(&ReadmeInput {
        botocore_version: version.to_string(),
        wheel_name,
        wheel_sha256,
        models,
        licences,
        notice_head: notice_head(&notice).to_string(),
    });
    fs::write(staging.join("README.md"), readme)?;

    // 4. Only now touch models/: move every staged file into place.
    let dests = all
        .iter()
        .map(|f| f.dest)
        .chain(std::iter::once("README.md"));
    for dest in dests {
        let from = staging.join(dest);
        let to = models_dir.join(dest);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        move_file(&from, &to)?;
    }
    eprintln!(
        "models: refreshed {} from botocore {version}",
        models_dir.display()
    );
    Ok(())
}

/// `target/` (or `$CARGO_TARGET_DIR`) next to `models/`, for scratch files.
fn scratch_dir(models_dir: &Path) -> Result<PathBuf> {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => models_dir
            .parent()
            .context("models dir has no parent")?
            .join("target"),
    };
    Ok(target.join("xtask-models"))
}

/// Rename, falling back to copy + remove across file systems.
fn move_file(from: &Path, to: &Path) -> Result<()> {
    if fs::rename(from, to).is_ok() {
        return Ok(());
    }
    let tmp = to.with_extension("xtask-tmp");
    fs::copy(from, &tmp)
        .with_context(|| format!("copying {} to {}", from.display(), tmp.display()))?;
    fs::rename(&tmp, to).with_context(|| format!("moving into {}", to.display()))?;
    let _ = fs::remove_file(from);
    Ok(())
}

fn list_dir(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Accept PEP 440 release versions made of digits and dots (`1.44.8`), so
/// that the value can be pasted into a requirement and a file name safely.
pub fn validate_version(version: &str) -> Result<()> {
    let ok = !version.is_empty()
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        bail!(
            "not a botocore release version (expected digits and dots, like 1.44.8): {version:?}"
        );
    }
    Ok(())
}

/// botocore publishes one pure-python wheel per release.
pub fn expected_wheel_name(version: &str) -> String {
    format!("botocore-{version}-py3-none-any.whl")
}

/// Parse the extractor's `<dest>\t<path in wheel>` lines.
pub fn parse_extract_output(stdout: &str) -> Result<Vec<(String, String)>> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (dest, used) = l
                .split_once('\t')
                .with_context(|| format!("unexpected extractor output line: {l:?}"))?;
            Ok((dest.to_string(), used.to_string()))
        })
        .collect()
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

fn sha256_file(path: &Path) -> Result<String> {
    let data = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(sha256_hex(&data))
}

/// botocore's own part of its NOTICE: everything before the first `----`
/// separator (the rest is about vendored libraries not in the models).
pub fn notice_head(notice: &str) -> &str {
    let head = match notice.find("\n----") {
        Some(i) => &notice[..i],
        None => notice,
    };
    head.trim()
}

/// Render `models/README.md`. Deterministic: the same input gives the same
/// bytes, so a refresh to the same version leaves the README unchanged.
pub fn render_readme(input: &ReadmeInput) -> String {
    let v = &input.botocore_version;
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(w, "# Service models");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "The code generator's inputs: the AWS Direct Connect model \
         (`{SERVICE}-{API_VERSION}`), the AWS Lambda model (`lambda-2015-03-31`, \
         rest-json), the IAM and STS models (`iam-2010-05-08`, `sts-2011-06-15`, query \
         protocol), the Amazon DynamoDB model with its waiters (`dynamodb-2012-08-10`), the \
         Amazon SQS model (`sqs-2012-11-05`, awsJson 1.0, query-compatible), the IAM Identity \
         Center models SSO and SSO OIDC (`sso-2019-06-10`, `sso-oidc-2019-06-10`, rest-json; the \
         default credentials chain's SSO provider), the Amazon S3 and Route 53 models \
         (`s3-2006-03-01`, `route53-2013-04-01`, rest-xml), the Amazon SNS model \
         (`sns-2010-03-31`, query), the Amazon EC2 model with its waiters (`ec2-2016-11-15`, \
         ec2), the Amazon CloudWatch model with its waiters (`cloudwatch-2010-08-01`, endpoint \
         prefix `monitoring`; smithy-rpc-v2-cbor, json and query), the Amazon CloudWatch Logs \
         model (`logs-2014-03-28`, awsJson 1.1, with the `StartLiveTail` event stream), the \
         Amazon Polly model (`polly-2016-06-10`, rest-json; `SynthesizeSpeech` is presigned) \
         and the endpoint partitions, copied \
         unchanged from **botocore {v}**."
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Do not edit these files by hand. This README is generated by \
         `cargo xtask models` along with them."
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Not from botocore: `official-enum-variants.tsv`, the official crates' enum variant \
         names where they are not the PascalCase of the value (botocore's JSON has only the \
         values; the official Smithy models name them), written by `cargo xtask \
         official-names` from the pinned `aws-sdk-*` crates it compares (Apache-2.0) and read \
         by the generator's name table; `official-nullability.tsv`, how those crates type \
         structure members where botocore's `required` does not say it (a Smithy `@default`: \
         a plain field with that default when unset, DynamoDB's `ScanOutput.Count`; \
         `@clientOptional`: an `Option` though required), written by the same command from \
         the official builders (`build()` filling a field with `unwrap_or_default()` or \
         `unwrap_or(v)`; a required member typed `Option`) and read while the IR is resolved \
         (`codegen/src/ir/nullability.rs`; only the ten compared services have entries); and \
         `overrides.json`, the generator's hand-written \
         override table (shapes that are unions in the official SDK's Smithy models but not \
         marked in botocore's JSON), documented in `overrides.md`. `cargo xtask models` leaves \
         these files alone."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "## Source");
    let _ = writeln!(w);
    let _ = writeln!(w, "- Package: `botocore=={v}` from PyPI");
    let _ = writeln!(w, "- Wheel: `{}`", input.wheel_name);
    let _ = writeln!(w, "- Wheel SHA-256: `{}`", input.wheel_sha256);
    let _ = writeln!(
        w,
        "- Files ending in `.gz` inside the wheel are committed decompressed \
         (gzip removed, content otherwise unchanged); the others are \
         committed byte for byte."
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "| File (under `models/`) | Path inside the wheel | SHA-256 of the committed file |"
    );
    let _ = writeln!(w, "| --- | --- | --- |");
    for f in input.models.iter().chain(&input.licences) {
        let _ = writeln!(w, "| `{}` | `{}` | `{}` |", f.dest, f.in_wheel, f.sha256);
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Check them with `cd models && sha256sum -c` fed the lines below:"
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "```");
    for f in input.models.iter().chain(&input.licences) {
        let _ = writeln!(w, "{}  {}", f.sha256, f.dest);
    }
    let _ = writeln!(w, "```");
    let _ = writeln!(w);
    let _ = writeln!(w, "## Licence");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "These files are part of botocore and are licensed under the Apache \
         License, Version 2.0 (Apache-2.0). botocore's licence and NOTICE \
         are kept beside them, unchanged, as `botocore-LICENSE.txt` and \
         `botocore-NOTICE` (from `botocore-{v}.dist-info/` in the wheel). \
         botocore's NOTICE begins:"
    );
    let _ = writeln!(w);
    for line in input.notice_head.lines() {
        if line.trim().is_empty() {
            let _ = writeln!(w, ">");
        } else {
            let _ = writeln!(w, "> {}", line.trim_end());
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "## Refreshing");
    let _ = writeln!(w);
    let _ = writeln!(w, "```sh");
    let _ = writeln!(w, "cargo xtask models --botocore VERSION");
    let _ = writeln!(w, "```");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "This runs `python3 -m pip download --no-deps botocore==VERSION` into \
         a scratch folder under `target/`, extracts the files above with \
         python3's `zipfile`/`gzip`, checks that the JSON files parse, stages \
         them, and only then moves them and a regenerated README (with the \
         new SHA-256 sums) into `models/`. Then regenerate the crate and \
         review the diff."
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ReadmeInput {
        ReadmeInput {
            botocore_version: "1.2.3".into(),
            wheel_name: expected_wheel_name("1.2.3"),
            wheel_sha256: "ff".repeat(32),
            models: vec![
                FileRecord {
                    dest: "directconnect/service-2.json".into(),
                    in_wheel: "botocore/data/directconnect/2012-10-25/service-2.json.gz".into(),
                    sha256: "aa".repeat(32),
                },
                FileRecord {
                    dest: "partitions.json".into(),
                    in_wheel: "botocore/data/partitions.json".into(),
                    sha256: "bb".repeat(32),
                },
            ],
            licences: vec![FileRecord {
                dest: "botocore-NOTICE".into(),
                in_wheel: "botocore-1.2.3.dist-info/NOTICE".into(),
                sha256: "cc".repeat(32),
            }],
            notice_head: "Botocore\nCopyright 2012-2022 Amazon.com, Inc.".into(),
        }
    }

    #[test]
    fn sha256_known_vectors() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn readme_lists_every_file_with_its_hash_and_wheel_path() {
        let readme = render_readme(&sample());
        assert!(readme.contains("**botocore 1.2.3**"));
        assert!(readme.contains("`botocore==1.2.3`"));
        assert!(readme.contains("`botocore-1.2.3-py3-none-any.whl`"));
        assert!(readme.contains(&format!("Wheel SHA-256: `{}`", "ff".repeat(32))));
        assert!(readme.contains(&format!(
            "| `directconnect/service-2.json` | `botocore/data/directconnect/2012-10-25/service-2.json.gz` | `{}` |",
            "aa".repeat(32)
        )));
        assert!(readme.contains(&format!("{}  partitions.json\n", "bb".repeat(32))));
        assert!(readme.contains(&format!("{}  botocore-NOTICE\n", "cc".repeat(32))));
        assert!(readme.contains("Apache-2.0"));
        assert!(readme.contains("> Botocore\n> Copyright 2012-2022 Amazon.com, Inc.\n"));
        assert!(readme.contains("cargo xtask models --botocore VERSION"));
    }

    #[test]
    fn readme_is_deterministic_and_tracks_hashes() {
        let a = render_readme(&sample());
        assert_eq!(a, render_readme(&sample()));
        let mut changed = sample();
        changed.models[1].sha256 = "dd".repeat(32);
        let b = render_readme(&changed);
        assert_ne!(a, b);
        assert!(!b.contains(&"bb".repeat(32)));
    }

    #[test]
    fn notice_head_stops_at_separator() {
        let notice = "Botocore\nCopyright X\n\n----\n\nvendored stuff\n";
        assert_eq!(notice_head(notice), "Botocore\nCopyright X");
        assert_eq!(notice_head("  only\n"), "only");
    }

    #[test]
    fn versions_are_validated() {
        for ok in ["1.44.8", "2", "10.0.0"] {
            validate_version(ok).unwrap();
        }
        for bad in [
            "",
            "1..2",
            "1.2.",
            "1.2.3rc1",
            "1.2; rm -rf /",
            " 1.2",
            "latest",
        ] {
            assert!(validate_version(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn extractor_output_is_parsed() {
        let out = "a/b.json\tbotocore/data/a/b.json.gz\nc.json\tbotocore/data/c.json\n\n";
        assert_eq!(
            parse_extract_output(out).unwrap(),
            vec![
                (
                    "a/b.json".to_string(),
                    "botocore/data/a/b.json.gz".to_string()
                ),
                ("c.json".to_string(), "botocore/data/c.json".to_string()),
            ]
        );
        assert!(parse_extract_output("no tab here").is_err());
    }

    #[test]
    fn model_files_cover_the_generator_inputs() {
        let dests: Vec<_> = MODEL_FILES.iter().map(|f| f.dest).collect();
        assert_eq!(
            dests,
            [
                "directconnect/service-2.json",
                "directconnect/paginators-1.json",
                "directconnect/endpoint-rule-set-1.json",
                "lambda/service-2.json",
                "lambda/paginators-1.json",
                "lambda/endpoint-rule-set-1.json",
                "iam/service-2.json",
                "iam/paginators-1.json",
                "iam/endpoint-rule-set-1.json",
                "sts/service-2.json",
                "sts/endpoint-rule-set-1.json",
                "dynamodb/service-2.json",
                "dynamodb/paginators-1.json",
                "dynamodb/waiters-2.json",
                "dynamodb/endpoint-rule-set-1.json",
                "sqs/service-2.json",
                "sqs/paginators-1.json",
                "sqs/endpoint-rule-set-1.json",
                "sso/service-2.json",
                "sso/endpoint-rule-set-1.json",
                "sso-oidc/service-2.json",
                "sso-oidc/endpoint-rule-set-1.json",
                "s3/service-2.json",
                "s3/paginators-1.json",
                "s3/endpoint-rule-set-1.json",
                "route53/service-2.json",
                "route53/paginators-1.json",
                "route53/endpoint-rule-set-1.json",
                "sns/service-2.json",
                "sns/paginators-1.json",
                "sns/endpoint-rule-set-1.json",
                "ec2/service-2.json",
                "ec2/paginators-1.json",
                "ec2/waiters-2.json",
                "ec2/endpoint-rule-set-1.json",
                "cloudwatch/service-2.json",
                "cloudwatch/paginators-1.json",
                "cloudwatch/waiters-2.json",
                "cloudwatch/endpoint-rule-set-1.json",
                "logs/service-2.json",
                "logs/paginators-1.json",
                "logs/endpoint-rule-set-1.json",
                "polly/service-2.json",
                "polly/endpoint-rule-set-1.json",
                "partitions.json",
            ]
        );
        for f in MODEL_FILES {
            if f.dest.starts_with("directconnect/") {
                assert!(f.source.contains(&format!("/{SERVICE}/{API_VERSION}/")));
            }
        }
    }
}
