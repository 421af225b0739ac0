//! Running the programs the tests and benchmarks check bitext with
//! (xmllint, Python, Java, psql, bitext itself). The benchmarks include
//! this file by path (`benches/common/mod.rs`).

use std::process::{Command, Output};

/// What `command` wrote, once it has run: it must start (else the test
/// panics with `needs`, saying what to install) and succeed (else the test
/// fails with `failed` and the program's standard error).
#[track_caller]
pub fn checked_output(command: &mut Command, needs: &str, failed: &str) -> Output {
    succeeded(command.output().expect(needs), failed)
}

/// `out`, the output of a program that must have succeeded (else the test
/// fails with `failed` and the program's standard error).
#[track_caller]
pub fn succeeded(out: Output, failed: &str) -> Output {
    assert!(
        out.status.success(),
        "{failed}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
