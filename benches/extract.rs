//! Term extraction speed and memory (`bitext glossary extract`, issue 16).
//!
//! Three corpora, each measured in a fresh process (this benchmark runs
//! itself again with the case's name) so that its peak memory is its own:
//!
//! - `article`: the reference article (16 KB), with English mined from
//!   its human translation (`tests/fixtures/review/article.good.jsonl`);
//! - `mixed-20mb`: 20 MB of the article's clauses and of the other Chinese
//!   fixtures (`tests/fixtures/segment`, `tests/fixtures/align`), shuffled
//!   into paragraphs of 1 to 40 clauses;
//! - `random-20mb`: 20 MB of random clauses over 5,000 characters drawn
//!   with Zipf frequencies, where almost every n-gram is new: the worst case
//!   for the counting tables, which must stay bounded.
//!
//! Each prints the time to load CC-CEDICT and jieba, to read the corpus
//! (segmenting and jieba's word boundaries), to extract and rank the
//! candidates, and the process's peak resident memory (`VmHWM`). Then the
//! release binary runs on the article and on the mixed corpus end to end.
//! Run with `cargo bench --bench extract`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use bitext::backend::dictionary::gloss::Glosser;
use bitext::glossary::extract::{
    Corpus, ExtractOptions, extract, read_aligned, render_from_aligned,
};
use bitext::segment::Segmenter;
use common::tool::checked_output;
use common::{Lcg, peak_memory_mb};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MB20: usize = 20 << 20;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Clauses of the article and the other Chinese fixtures, shuffled into
/// paragraphs until the text is 20 MB.
fn mixed() -> String {
    let mut clauses: Vec<String> = Vec::new();
    for path in [
        "examples/article.txt",
        "tests/fixtures/segment/normalized.txt",
        "tests/fixtures/segment/standard.txt",
        "tests/fixtures/align/economy.zh.txt",
        "tests/fixtures/align/policy.zh.txt",
        "tests/fixtures/align/water.zh.txt",
    ] {
        let text = read(path);
        clauses.extend(
            text.split(['.', '。', '，', '\n'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
        );
    }
    let mut rng = Lcg(16);
    let mut out = String::with_capacity(MB20 + 4096);
    while out.len() < MB20 {
        let n = 1 + rng.below(40);
        for _ in 0..n {
            out.push_str(&clauses[rng.below(clauses.len())]);
            out.push('.');
        }
        out.push('\n');
    }
    out
}

/// Random clauses of 2 to 30 characters over 5,000 Han characters with
/// Zipf frequencies, until the text is 20 MB.
fn random() -> String {
    let alphabet: Vec<char> = ('\u{4e00}'..'\u{9fff}').step_by(4).take(5000).collect();
    // Cumulative Zipf weights 1/rank.
    let mut cumulative = Vec::with_capacity(alphabet.len());
    let mut sum = 0.0;
    for rank in 1..=alphabet.len() {
        sum += 1.0 / rank as f64;
        cumulative.push(sum);
    }
    let mut rng = Lcg(20);
    let mut out = String::with_capacity(MB20 + 4096);
    while out.len() < MB20 {
        for _ in 0..20 {
            let len = 2 + rng.below(29);
            for _ in 0..len {
                let x = (rng.next() as f64 / (1u64 << 31) as f64) * sum;
                let i = cumulative
                    .partition_point(|&c| c < x)
                    .min(alphabet.len() - 1);
                out.push(alphabet[i]);
            }
            out.push('.');
        }
        out.push('\n');
    }
    out
}

/// Measure one case in this process.
fn case(name: &str) {
    let text = match name {
        "article" => read("examples/article.txt"),
        "mixed-20mb" => mixed(),
        "random-20mb" => random(),
        other => panic!("unknown case {other}"),
    };
    let start = Instant::now();
    let glosser = Glosser::load();
    let load = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let corpus = Corpus::from_text(&text, &Segmenter::default(), glosser.jieba()).unwrap();
    let reading = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut candidates = extract(&corpus, &glosser, &ExtractOptions::default());
    let extracting = start.elapsed().as_secs_f64();
    let mut mining = String::new();
    if name == "article" {
        let start = Instant::now();
        let pairs = read_aligned(
            &Path::new(ROOT).join("tests/fixtures/review/article.good.jsonl"),
            "zh-CN",
            "en-US",
        )
        .unwrap();
        let n = render_from_aligned(&mut candidates, &pairs);
        mining = format!(
            ", English for {n} from {} aligned pairs {:.0} ms",
            pairs.len(),
            start.elapsed().as_secs_f64() * 1e3
        );
    }
    println!(
        "{name}: {:.1} MB, {} Han characters, {} candidates; load dictionaries {:.0} ms, read {:.2} s, extract {:.2} s{mining}; peak RSS {:.0} MB",
        text.len() as f64 / (1 << 20) as f64,
        corpus.han_chars(),
        candidates.len(),
        load * 1e3,
        reading,
        extracting,
        peak_memory_mb()
    );
}

/// Run the release binary and return its wall time.
fn cli(args: &[&str]) -> f64 {
    let start = Instant::now();
    checked_output(
        Command::new(env!("CARGO_BIN_EXE_bitext")).args(args),
        "run bitext",
        &format!("bitext {args:?}"),
    );
    start.elapsed().as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; a case name means "measure this one".
    if let Some(name) = std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        return case(&name);
    }
    let me = std::env::current_exe().expect("the benchmark's own path");
    for name in ["article", "mixed-20mb", "random-20mb"] {
        let status = Command::new(&me).arg(name).status().expect("run a case");
        assert!(status.success(), "case {name} failed");
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let corpus = dir.path().join("mixed.txt");
    std::fs::write(&corpus, mixed()).expect("write the corpus");
    let article = format!("{ROOT}/examples/article.txt");
    let aligned = format!("{ROOT}/tests/fixtures/review/article.good.jsonl");
    let out = dir.path().join("terms.tsv");
    let out = out.to_str().expect("a UTF-8 path");
    let best = |args: &[&str]| (0..3).map(|_| cli(args)).fold(f64::MAX, f64::min);
    println!(
        "cli article --aligned (best of 3): {:.2} s",
        best(&[
            "glossary",
            "extract",
            &article,
            "--aligned",
            &aligned,
            "-q",
            "-o",
            out
        ])
    );
    println!(
        "cli mixed 20 MB (best of 3): {:.2} s",
        best(&[
            "glossary",
            "extract",
            corpus.to_str().expect("a UTF-8 path"),
            "-q",
            "-o",
            out
        ])
    );
}
