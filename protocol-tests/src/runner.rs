//! The test runner of the generated protocol-test crate (its `tests/protocol.rs` calls
//! [`main`] with every vector file).

use crate::support::SuiteFile;
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;

/// Runs every case of `files` (a real call through a generated client) and prints, per
/// vector file, `protocol <file>: N passed, F failed, K skipped (ignore list)`; fails when a
/// case fails. Arguments that do not start with `-` filter cases by substring of
/// `<file>/<suite>/<id>`; `--list` lists the cases (as libtest does, for `cargo test` and
/// nextest).
pub fn main(files: &[SuiteFile]) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let selected = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f));
    if args.iter().any(|a| a == "--list") {
        for file in files {
            for case in file.cases.iter().filter(|c| c.run.is_some()) {
                let name = format!("{}/{}/{}", file.name, case.suite, case.id);
                if selected(&name) {
                    println!("{name}: test");
                }
            }
        }
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--ignored") {
        // No case is `#[ignore]`d: skipped cases are the ignore list's, reported below.
        return ExitCode::SUCCESS;
    }
    let mut any_failed = false;
    for file in files {
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for case in file.cases {
            let name = format!("{}/{}/{}", file.name, case.suite, case.id);
            if !selected(&name) {
                continue;
            }
            let Some(run) = case.run else {
                skipped += 1;
                continue;
            };
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .map_err(|e| format!("cannot start a runtime: {e}"))?
                    .block_on(run())
            }));
            match outcome {
                Ok(Ok(())) => passed += 1,
                Ok(Err(message)) => {
                    failed += 1;
                    eprintln!("FAILED {name}\n    {}", message.replace('\n', "\n    "));
                }
                Err(_) => {
                    failed += 1;
                    eprintln!("FAILED {name}: panicked (message above)");
                }
            }
        }
        any_failed |= failed > 0;
        println!(
            "protocol {}: {passed} passed, {failed} failed, {skipped} skipped (ignore list)",
            file.name
        );
    }
    if any_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
