//! The one writer: every generated file goes through here.
//!
//! It compares the whole tree with what is on disk, fails in check mode with the list of
//! differing files, and otherwise builds the complete new tree in a sibling staging folder and
//! swaps it into place, so a failed run leaves the previous output untouched.

use crate::error::{CodegenError, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What the writer did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files added or changed.
    pub written: usize,
    /// Files whose content was already right.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// Whether to write or only compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changes.
    Write,
    /// Change nothing; fail listing the files that differ.
    Check,
}

fn io_err(path: &Path, source: std::io::Error) -> CodegenError {
    CodegenError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Every file under `dir`, as `/`-separated relative paths.
fn existing_files(dir: &Path) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).map_err(|e| io_err(&d, e))? {
            let entry = entry.map_err(|e| io_err(&d, e))?;
            let path = entry.path();
            let ft = entry.file_type().map_err(|e| io_err(&path, e))?;
            if ft.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .map_err(|_| io_err(&path, std::io::Error::other("outside output folder")))?;
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"));
            }
        }
    }
    Ok(out)
}

/// Writes `files` (relative path to content) as the complete content of `out_dir`.
pub fn write_tree(
    out_dir: &Path,
    files: &BTreeMap<String, String>,
    mode: Mode,
) -> Result<WriteReport> {
    let existing = existing_files(out_dir)?;
    let mut report = WriteReport::default();
    let mut differing = Vec::new();
    for (rel, content) in files {
        let path = out_dir.join(rel);
        let same = existing.contains(rel)
            && fs::read(&path)
                .map(|old| old == content.as_bytes())
                .unwrap_or(false);
        if same {
            report.unchanged += 1;
        } else {
            report.written += 1;
            differing.push(if existing.contains(rel) {
                format!("changed: {}", path.display())
            } else {
                format!("missing: {}", path.display())
            });
        }
    }
    for rel in existing.iter().filter(|r| !files.contains_key(*r)) {
        report.removed += 1;
        differing.push(format!("stale:   {}", out_dir.join(rel).display()));
    }
    if differing.is_empty() {
        return Ok(report);
    }
    if mode == Mode::Check {
        return Err(CodegenError::Stale { files: differing });
    }

    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let parent = out_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent).map_err(|e| io_err(&parent, e))?;
    let staging = parent.join(format!(".{name}.codegen-staging"));
    let backup = parent.join(format!(".{name}.codegen-previous"));
    for leftover in [&staging, &backup] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| io_err(leftover, e))?;
        }
    }
    let staged = (|| -> Result<()> {
        for (rel, content) in files {
            let path = staging.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
            }
            fs::write(&path, content).map_err(|e| io_err(&path, e))?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out_dir.exists() {
        fs::rename(out_dir, &backup).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            io_err(out_dir, e)
        })?;
    }
    if let Err(e) = fs::rename(&staging, out_dir) {
        // Put the previous output back.
        if backup.exists() {
            let _ = fs::rename(&backup, out_dir);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(io_err(out_dir, e));
    }
    if backup.exists() {
        fs::remove_dir_all(&backup).map_err(|e| io_err(&backup, e))?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn writes_then_reports_unchanged_then_removes_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("crate");
        let r = write_tree(
            &out,
            &files(&[("a.rs", "1"), ("src/b.rs", "2")]),
            Mode::Write,
        )
        .unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        let r = write_tree(
            &out,
            &files(&[("a.rs", "1"), ("src/b.rs", "2")]),
            Mode::Write,
        )
        .unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 0,
                unchanged: 2,
                removed: 0
            }
        );
        let r = write_tree(&out, &files(&[("a.rs", "1")]), Mode::Write).unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 0,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!out.join("src/b.rs").exists());
        assert_eq!(fs::read_to_string(out.join("a.rs")).unwrap(), "1");
        assert!(!tmp.path().join(".crate.codegen-staging").exists());
        assert!(!tmp.path().join(".crate.codegen-previous").exists());
    }

    #[test]
    fn check_mode_changes_nothing_and_lists_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("crate");
        write_tree(&out, &files(&[("a.rs", "1"), ("old.rs", "x")]), Mode::Write).unwrap();
        let err =
            write_tree(&out, &files(&[("a.rs", "2"), ("new.rs", "3")]), Mode::Check).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("changed:") && msg.contains("a.rs"), "{msg}");
        assert!(msg.contains("missing:") && msg.contains("new.rs"), "{msg}");
        assert!(msg.contains("stale:") && msg.contains("old.rs"), "{msg}");
        assert_eq!(fs::read_to_string(out.join("a.rs")).unwrap(), "1");
        assert!(!out.join("new.rs").exists());
        assert!(write_tree(&out, &files(&[("a.rs", "1"), ("old.rs", "x")]), Mode::Check).is_ok());
    }
}
