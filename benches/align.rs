//! Alignment at book scale: a synthetic zh–en "book" of about 10,000
//! Chinese sentences, made of the hand-aligned beads of
//! `tests/fixtures/align` drawn at random (so 1–2 and 2–1 beads come with
//! them), with omitted translations (1–0), translator's notes (0–1), a
//! numbered item every dozen beads or so, paragraph breaks, and some
//! paragraph breaks lost on the English side. Prints the time to split
//! and align, the peak memory of the process, and the strict bead F1
//! against the known alignment. Run with `cargo bench --bench align`.

mod common;

use std::collections::HashSet;
use std::time::Instant;

use bitext::align::{AlignOptions, EnglishSplitter, Lexicon, align};
use bitext::segment::Segmenter;
use common::{Lcg, peak_memory_mb};

/// One gold bead: its Chinese and English texts and sentence counts.
struct Pair {
    zh: String,
    en: String,
    zh_count: usize,
    en_count: usize,
}

fn pairs() -> Vec<Pair> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/align");
    let mut out = Vec::new();
    for name in ["economy", "policy", "water"] {
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{name}.{f}")).unwrap();
        let zh = Segmenter::default().document("zh", "UTF-8", &read("zh.txt"));
        let en = EnglishSplitter.document("en", "UTF-8", &read("en.txt"));
        let zs: Vec<&str> = zh.segments().map(|s| s.content()).collect();
        let es: Vec<&str> = en.segments().map(|s| s.content()).collect();
        for line in read("gold.tsv").lines() {
            let (z, e) = line.split_once('\t').unwrap();
            let ids = |s: &str| -> Vec<usize> {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(|x| x.parse::<usize>().unwrap() - 1)
                    .collect()
            };
            let (z, e) = (ids(z), ids(e));
            if z.is_empty() || e.is_empty() {
                continue;
            }
            out.push(Pair {
                zh: z.iter().map(|&i| zs[i]).collect(),
                en: e.iter().map(|&j| es[j]).collect::<Vec<_>>().join(" "),
                zh_count: z.len(),
                en_count: e.len(),
            });
        }
    }
    out
}

type Link = (Vec<usize>, Vec<usize>);

/// The book being written and its known alignment.
#[derive(Default)]
struct Book {
    zh: String,
    en: String,
    gold: Vec<Link>,
    i: usize,
    j: usize,
}

impl Book {
    /// Add a bead; `None` for a side it has no sentence on. An omitted
    /// translation of several sentences is that many 1–0 beads.
    fn push(&mut self, zh: Option<(&str, usize)>, en: Option<(&str, usize)>) {
        if let Some((text, _)) = zh {
            self.zh.push_str(text);
        }
        if let Some((text, _)) = en {
            if !self.en.is_empty() && !self.en.ends_with('\n') {
                self.en.push(' ');
            }
            self.en.push_str(text);
        }
        match (zh, en) {
            (Some((_, n)), None) => {
                for _ in 0..n {
                    self.gold.push((vec![self.i], vec![]));
                    self.i += 1;
                }
            }
            (z, e) => {
                let (n, m) = (z.map_or(0, |z| z.1), e.map_or(0, |e| e.1));
                self.gold.push((
                    (self.i..self.i + n).collect(),
                    (self.j..self.j + m).collect(),
                ));
                self.i += n;
                self.j += m;
            }
        }
    }
}

fn book(target: usize, rng: &mut Lcg) -> Book {
    let pairs = pairs();
    let mut book = Book::default();
    let mut item = 0;
    let mut since_break = 0;
    while book.i < target {
        if rng.chance(8) {
            item += 1;
            let z = format!("这是第{}项工作。", 1000 + item * 7);
            let e = format!("This is work item {}.", 1000 + item * 7);
            book.push(Some((&z, 1)), Some((&e, 1)));
        }
        let p = &pairs[rng.below(pairs.len())];
        let en = (!rng.chance(3)).then_some((p.en.as_str(), p.en_count));
        book.push(Some((&p.zh, p.zh_count)), en);
        if rng.chance(2) {
            let note = "(Translator's note: the original gives no source here.)";
            book.push(None, Some((note, 1)));
        }
        since_break += 1;
        if since_break >= 4 + rng.below(5) {
            since_break = 0;
            book.zh.push('\n');
            if !rng.chance(10) {
                book.en.push('\n');
            }
        }
    }
    book
}

fn main() {
    let start = Instant::now();
    let lexicon = Lexicon::load();
    println!("load dictionary: {:.2} s", start.elapsed().as_secs_f64());
    for target in [1_000, 10_000] {
        let mut rng = Lcg(42);
        let Book {
            zh: zh_text,
            en: en_text,
            gold,
            ..
        } = book(target, &mut rng);
        let before = peak_memory_mb();
        let start = Instant::now();
        let zh = Segmenter::default().document("zh", "UTF-8", &zh_text);
        let en = EnglishSplitter.document("en", "UTF-8", &en_text);
        let split = start.elapsed().as_secs_f64();
        for paragraphs in [true, false] {
            let start = Instant::now();
            let mut options = AlignOptions::default();
            options.paragraphs = paragraphs;
            let beads = align(&zh, &en, &lexicon, &options);
            let total = split + start.elapsed().as_secs_f64();
            let test: Vec<Link> = beads
                .iter()
                .map(|b| (b.zh.clone().collect(), b.en.clone().collect()))
                .collect();
            let g: HashSet<&Link> = gold.iter().collect();
            let hits = test.iter().filter(|l| g.contains(l)).count() as f64;
            let (p, r) = (hits / test.len() as f64, hits / gold.len() as f64);
            println!(
                "align {} zh × {} en sentences ({} zh / {} en paragraphs{}): split {split:.2} s, total {total:.2} s; peak memory {:.0} MB (before {:.0} MB); strict F1 {:.3}",
                zh.segment_count(),
                en.segment_count(),
                zh.paragraphs.len(),
                en.paragraphs.len(),
                if paragraphs {
                    ", paragraphs first"
                } else {
                    ", as one run"
                },
                peak_memory_mb(),
                before,
                2.0 * p * r / (p + r)
            );
        }
    }
}
