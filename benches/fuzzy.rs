//! Fuzzy-match lookups on a translation memory of 1 million entries (goal:
//! under 2 ms per segment). Run with `cargo bench --bench fuzzy`
//! (`BITEXT_BENCH_FUZZY_ENTRIES=N` for another size).
//!
//! The memory is made here, from a fixed seed: sentences of 6 to 60
//! characters drawn word by word. The words and their frequencies are
//! those of every Chinese text in the repository (the reference article and
//! the alignment fixtures, cut by jieba), and the long tail is every
//! simplified headword of CC-CEDICT, so common bigrams (的, 了, 发展) have
//! the long posting lists they have in real text. The queries are 1,000
//! segments: half near-duplicates of entries (one to four characters
//! changed, inserted or deleted), half fresh sentences drawn the same way.
//! Reported: the time to build the index, its size in memory (resident
//! set growth), and the mean, median, 99th percentile and worst lookup
//! time, at the default threshold of 75 %.

use std::io::Read;
use std::time::Instant;

use bitext::glossary::Glossary;
use bitext::memory::FuzzyIndex;

mod common;
use common::{Lcg as Rng, env_number, status_kb};

/// Words with cumulative weights, drawn by binary search.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<u64>,
}

impl Vocabulary {
    fn draw<'a>(&'a self, rng: &mut Rng) -> &'a str {
        let total = *self.cumulative.last().expect("words");
        let x = rng.next() % total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        &self.words[i]
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let target = 6 + rng.below(55);
        let mut s = String::new();
        while s.chars().count() < target {
            s.push_str(self.draw(rng));
        }
        s.push('。');
        s
    }
}

fn root(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn vocabulary() -> Vocabulary {
    let mut texts = std::fs::read_to_string(root("examples/article.txt")).expect("article");
    for entry in std::fs::read_dir(root("tests/fixtures/align")).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.to_string_lossy().ends_with(".zh.txt") {
            texts.push_str(&std::fs::read_to_string(&path).expect("fixture"));
        }
    }
    let jieba = jieba_rs::Jieba::new();
    let mut counts: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for token in jieba.cut(&texts, false) {
        let word = token.word;
        if word.chars().any(|c| c.is_alphanumeric()) || word == "，" || word == "。" {
            *counts.entry(word.to_string()).or_default() += 1;
        }
    }
    // The tail: every simplified headword of CC-CEDICT, weight 1 each,
    // against a head weighted by 20 per occurrence.
    let mut gz = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(root("data/cedict_1_0_ts_utf-8_mdbg.txt.gz")).expect("cedict"),
    )
    .read_to_string(&mut gz)
    .expect("cedict text");
    let mut words: Vec<(String, u64)> = counts.into_iter().map(|(w, c)| (w, c * 20)).collect();
    for line in gz.lines().filter(|l| !l.starts_with('#')) {
        if let Some(simplified) = line.split(' ').nth(1) {
            words.push((simplified.to_string(), 1));
        }
    }
    words.sort();
    let mut cumulative = Vec::with_capacity(words.len());
    let mut total = 0;
    for (_, weight) in &words {
        total += weight;
        cumulative.push(total);
    }
    Vocabulary {
        words: words.into_iter().map(|(w, _)| w).collect(),
        cumulative,
    }
}

/// `s` with one to four characters changed, inserted or deleted.
fn near(s: &str, vocabulary: &Vocabulary, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let c = vocabulary.draw(rng).chars().next().unwrap_or('的');
        let at = rng.below(chars.len().max(1));
        match rng.below(3) {
            0 if !chars.is_empty() => chars[at] = c,
            1 => chars.insert(at, c),
            _ if chars.len() > 2 => {
                chars.remove(at);
            }
            _ => chars.push(c),
        }
    }
    chars.into_iter().collect()
}

/// This process's resident memory (`VmRSS`), in KiB; 0 off Linux.
fn resident_kb() -> u64 {
    status_kb("self", "VmRSS").unwrap_or(0)
}

fn main() {
    let entries: usize = env_number("BITEXT_BENCH_FUZZY_ENTRIES", 1_000_000);
    let vocabulary = vocabulary();
    let mut rng = Rng(0x5EED_F022);
    let sources: Vec<String> = (0..entries)
        .map(|_| vocabulary.sentence(&mut rng))
        .collect();
    // The bundled glossary's terms are normalised as a run does;
    // BITEXT_BENCH_FUZZY_GLOSSARY=none leaves them out.
    let glossary = if std::env::var("BITEXT_BENCH_FUZZY_GLOSSARY").as_deref() == Ok("none") {
        Glossary::empty()
    } else {
        Glossary::bundled().expect("bundled glossary")
    };
    let before = resident_kb();
    let start = Instant::now();
    let mut index = FuzzyIndex::new();
    for (i, source) in sources.iter().enumerate() {
        index.add(source, &format!("translation {i}"), i % 10 == 0, &glossary);
    }
    let added = start.elapsed();
    index.finish();
    let built = start.elapsed();
    let grown = resident_kb().saturating_sub(before);
    let chars: usize = sources.iter().map(|s| s.chars().count()).sum();
    println!(
        "fuzzy index: {} entries ({:.1} characters on average), built in {:.2} s ({:.2} s normalising, {:.2} s indexing), {} MB resident",
        index.len(),
        chars as f64 / entries as f64,
        built.as_secs_f64(),
        added.as_secs_f64(),
        (built - added).as_secs_f64(),
        grown / 1024
    );
    let queries: Vec<(String, bool)> = (0..1000)
        .map(|i| {
            if i % 2 == 0 {
                let s = &sources[rng.below(sources.len())];
                (near(s, &vocabulary, &mut rng), true)
            } else {
                (vocabulary.sentence(&mut rng), false)
            }
        })
        .collect();
    let mut times = Vec::with_capacity(queries.len());
    let mut found_near = 0;
    let mut found_fresh = 0;
    let mut slowest: Vec<(f64, usize, bool, String)> = Vec::new();
    for (query, is_near) in &queries {
        let terms: Vec<_> = glossary
            .annotate(query)
            .into_iter()
            .map(|t| (t.span, t.term_id))
            .collect();
        let start = Instant::now();
        let found = index.lookup(query, &terms, 75);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        slowest.push((
            times[times.len() - 1],
            query.chars().count(),
            *is_near,
            query.clone(),
        ));
        if !found.is_empty() {
            if *is_near {
                found_near += 1;
            } else {
                found_fresh += 1;
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "lookup at 75 %: mean {mean:.3} ms, median {:.3} ms, p99 {:.3} ms, worst {:.3} ms (goal: under 2 ms)",
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let shown: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(ms, chars, near, query)| {
            let kind = if *near { "near-duplicate" } else { "fresh" };
            // Looked up again: a second time says whether it is the query
            // or the machine.
            let start = Instant::now();
            index.lookup(query, &[], 75);
            let again = start.elapsed().as_secs_f64() * 1000.0;
            format!("{ms:.1} ms, again {again:.1} ms ({chars} characters, {kind})")
        })
        .collect();
    println!("slowest: {}", shown.join(", "));
    println!(
        "matches found: {found_near} of 500 near-duplicates, {found_fresh} of 500 fresh sentences"
    );
}
