//! What the benchmarks share; each one that needs it says `mod common;`.

// Each bench uses a part of this module.
#![allow(dead_code)]

use std::path::PathBuf;
use std::str::FromStr;

#[path = "../../tests/testsuite/cleared_env.rs"]
mod cleared_env;
/// Running a program, shared with the test suite.
#[path = "../../tests/testsuite/tool.rs"]
pub mod tool;

/// Environment variables that would make a run depend on the machine (API
/// keys, proxies, the translation memory): the test suite's list, removed
/// from every `bitext` a bench runs. The mock servers are on 127.0.0.1.
pub const CLEARED_ENV: &[&str] = cleared_env::CLEARED_ENV;

/// The whole number in the environment variable `var`, else `default`.
/// Panics on anything else, naming the variable.
pub fn env_number<T: FromStr>(var: &str, default: T) -> T {
    match std::env::var(var) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{var} must be a whole number, not {v:?}")),
        Err(_) => default,
    }
}

/// The `bitext` binary measured: `BITEXT_BENCH_BIN`, else the one cargo built.
pub fn binary() -> PathBuf {
    std::env::var_os("BITEXT_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_bitext")))
}

/// The field `field` (`VmHWM`, `VmRSS`, …) of `/proc/PID/status`, in KiB,
/// for `pid` a process id or `self`; none where there is no such file
/// (Linux only).
pub fn status_kb(pid: &str, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// This process's peak resident memory (`VmHWM`), in MB; NaN off Linux.
pub fn peak_memory_mb() -> f64 {
    status_kb("self", "VmHWM").map_or(f64::NAN, |kb| kb as f64 / 1024.0)
}

/// A small deterministic generator (64-bit LCG).
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number, 31 bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}
