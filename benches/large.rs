//! The README's figure for a large input: the release `bitext` binary
//! translates the reference article repeated to 20 MB (one paragraph per
//! article line, as it is) with the offline `dictionary` backend and the
//! outputs that were the default before the review page (TMX, Markdown,
//! JSONL), and the bench reports the wall
//! time, the CPU time (user + system, which a machine busy with other work
//! inflates less than the wall time) and the peak resident memory of the
//! process.
//!
//! CPU time and peak memory (the maximum resident set size) are what GNU
//! time (`/usr/bin/time -f "%U %S %M"`) reports from the kernel's
//! accounting when the process ends. Without GNU time, the bench samples
//! `VmHWM` (the resident high-water mark) in `/proc/PID/status` every 10 ms
//! until the process ends, which can miss the last few milliseconds of its
//! life, and reports no CPU time.
//!
//! It runs twice: on one core (`RAYON_NUM_THREADS=1`) and on all of them,
//! reports the throughput of each and their ratio, and checks that the
//! outputs are the same, byte for byte.
//!
//! Run with `cargo bench --bench large`. `BITEXT_BENCH_MB` sets the size of
//! the input (default 20), `BITEXT_BENCH_RUNS` the runs (default 1; the
//! fastest and the largest peak are reported), `BITEXT_BENCH_BIN` another
//! `bitext` binary to measure. Nothing reaches the network, and the
//! translation memory is off (`--no-cache`), so the user's is not read.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{binary, env_number, status_kb};

/// GNU time, which reports a child's peak resident memory.
const GNU_TIME: &str = "/usr/bin/time";

fn main() {
    let mb = env_number::<usize>("BITEXT_BENCH_MB", 20);
    let runs = env_number::<usize>("BITEXT_BENCH_RUNS", 1).max(1);
    let article =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/article.txt"))
            .expect("examples/article.txt");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("large.txt");
    let mut text = String::with_capacity((mb << 20) + article.len());
    let mut copies = 0;
    while text.len() < mb << 20 {
        text.push_str(&article);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        copies += 1;
    }
    std::fs::write(&input, &text).expect("write the input");
    let size = text.len() as f64 / f64::from(1 << 20);
    drop(text);

    // Once on one core (RAYON_NUM_THREADS=1), once on all of them: the
    // dictionary glosses each batch's segments on every core, and its
    // output must not change.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut walls = Vec::new();
    let mut outputs_of = Vec::new();
    for threads in [Some(1), None] {
        let mut best: Option<Duration> = None;
        let mut cpu: Option<f64> = None;
        let mut peak_kb = 0;
        let mut how = "";
        let mut segments = 0;
        for _ in 0..runs {
            let run = translate(&input, dir.path(), threads);
            best = Some(best.map_or(run.wall, |b| b.min(run.wall)));
            cpu = run.cpu.map(|c| cpu.map_or(c, |b: f64| b.min(c)));
            peak_kb = peak_kb.max(run.peak_kb);
            how = run.how;
            segments = std::fs::read_to_string(dir.path().join("out/large.jsonl"))
                .expect("the JSONL output")
                .lines()
                .count();
        }
        // Every segment of every copy is written: 438 per copy of the article.
        assert_eq!(segments, 438 * copies, "segments written");
        let wall = best.expect("at least one run").as_secs_f64();
        let outputs: u64 = ["tmx", "md", "jsonl"]
            .iter()
            .map(|ext| {
                std::fs::metadata(dir.path().join(format!("out/large.{ext}")))
                    .map_or(0, |m| m.len())
            })
            .sum();
        outputs_of.push(std::fs::read(dir.path().join("out/large.jsonl")).expect("the JSONL"));
        let used = threads.unwrap_or(cores);
        println!(
            "translate {size:.1} MB ({copies} copies of the reference article, {segments} segments) \
             with the dictionary backend on {used} of {cores} cores, outputs TMX, Markdown and JSONL ({:.0} MB):",
            outputs as f64 / f64::from(1 << 20)
        );
        let cpu = cpu.map_or_else(|| "unknown".to_string(), |c| format!("{c:.1} s"));
        println!(
            "  wall {wall:.1} s ({:.2} MB/s), CPU (user + system) {cpu}, fastest of {runs}; \
             peak resident memory {:.0} MB ({how})",
            size / wall,
            peak_kb as f64 / 1024.0
        );
        walls.push(wall);
    }
    assert!(
        outputs_of[0] == outputs_of[1],
        "the output on all cores differs from the output on one"
    );
    println!(
        "all {cores} cores: {:.2}x the throughput of one (same output, byte for byte)",
        walls[0] / walls[1]
    );
}

/// One run: wall time, CPU seconds, peak resident memory in KiB, and how
/// it was measured.
struct Measure {
    wall: Duration,
    cpu: Option<f64>,
    peak_kb: u64,
    how: &'static str,
}

/// Translate `input` into `dir/out`, overwriting earlier outputs, on
/// `threads` cores (all when `None`).
fn translate(input: &Path, dir: &Path, threads: Option<usize>) -> Measure {
    // BSD's time (macOS) has no `-f` and no `--version`.
    let gnu_time = Command::new(GNU_TIME)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let report = dir.join("time.txt");
    let mut command = if gnu_time {
        let mut command = Command::new(GNU_TIME);
        command
            .args(["-f", "%U %S %M", "-o"])
            .arg(&report)
            .arg(binary());
        command
    } else {
        Command::new(binary())
    };
    command
        .arg("translate")
        .arg(input)
        .arg("--output")
        .arg(dir.join("out"))
        .args([
            "--backend",
            "dictionary",
            "--no-cache",
            "--force",
            "--quiet",
            "--formats",
            "tmx,md,jsonl",
        ])
        .current_dir(dir)
        .stdout(Stdio::null());
    match threads {
        Some(n) => command.env("RAYON_NUM_THREADS", n.to_string()),
        None => command.env_remove("RAYON_NUM_THREADS"),
    };
    let start = Instant::now();
    let mut child = command.spawn().expect("run bitext");
    let mut sampled = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for bitext") {
            break status;
        }
        if !gnu_time {
            sampled = sampled.max(status_kb(&child.id().to_string(), "VmHWM").unwrap_or(0));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let wall = start.elapsed();
    assert!(status.success(), "bitext failed: {status}");
    if gnu_time {
        let text = std::fs::read_to_string(&report).expect("GNU time's report");
        let fields: Vec<f64> = text
            .lines()
            .last()
            .map(|l| {
                l.split_whitespace()
                    .filter_map(|f| f.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let [user, system, peak_kb] = fields[..] else {
            panic!("GNU time reported {text:?}")
        };
        Measure {
            wall,
            cpu: Some(user + system),
            peak_kb: peak_kb as u64,
            how: "maximum resident set size, GNU time",
        }
    } else {
        Measure {
            wall,
            cpu: None,
            peak_kb: sampled,
            how: "VmHWM sampled every 10 ms from /proc",
        }
    }
}
