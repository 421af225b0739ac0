//! `bitext align`: strict bead F1 on hand-aligned pairs, snapshots, the
//! coverage property, and bad input.

use std::collections::HashSet;
use std::sync::OnceLock;

use bitext::align::{AlignOptions, Bead, EnglishSplitter, Lexicon, align};
use bitext::segment::Segmenter;
use proptest::prelude::*;

use crate::bitext_snapshot;
use crate::harness::{Bitext, fixture_path};

/// The hand-aligned pairs under `tests/fixtures/align`.
const PAIRS: &[&str] = &["article", "economy", "policy", "water"];

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::load)
}

type Link = (Vec<usize>, Vec<usize>);

/// A gold file: one bead per line, `zh ids<TAB>en ids`, ids 1-based and
/// comma-separated, a side empty for 1–0 and 0–1 beads.
fn gold(name: &str) -> Vec<Link> {
    let text = std::fs::read_to_string(fixture_path(&format!("align/{name}.gold.tsv"))).unwrap();
    let ids = |s: &str| -> Vec<usize> {
        s.split(',')
            .filter(|x| !x.trim().is_empty())
            .map(|x| x.trim().parse().unwrap())
            .collect()
    };
    text.lines()
        .map(|l| {
            let (z, e) = l.split_once('\t').expect("zh<TAB>en");
            (ids(z), ids(e))
        })
        .collect()
}

fn links(beads: &[Bead]) -> Vec<Link> {
    beads
        .iter()
        .map(|b| {
            (
                b.zh.clone().map(|i| i + 1).collect(),
                b.en.clone().map(|j| j + 1).collect(),
            )
        })
        .collect()
}

fn align_pair(name: &str) -> (Vec<Bead>, usize, usize) {
    let read = |lang: &str| {
        std::fs::read_to_string(fixture_path(&format!("align/{name}.{lang}.txt"))).unwrap()
    };
    let zh = Segmenter::default().document("zh", "UTF-8", &read("zh"));
    let en = EnglishSplitter.document("en", "UTF-8", &read("en"));
    let beads = align(&zh, &en, lexicon(), &AlignOptions::default());
    (beads, zh.segment_count(), en.segment_count())
}

/// Strict bead F1: a bead counts only if both its sides are exactly right.
fn strict_f1(test: &[Link], gold: &[Link]) -> f64 {
    let g: HashSet<&Link> = gold.iter().collect();
    let hits = test.iter().filter(|l| g.contains(l)).count() as f64;
    if hits == 0.0 {
        return 0.0;
    }
    let (p, r) = (hits / test.len() as f64, hits / gold.len() as f64);
    2.0 * p * r / (p + r)
}

#[test]
fn strict_bead_f1_on_hand_aligned_pairs() {
    let mut report = String::new();
    let mut worst: f64 = 1.0;
    for name in PAIRS {
        let gold = gold(name);
        let (beads, n, m) = align_pair(name);
        let max = |f: fn(&Link) -> &Vec<usize>| gold.iter().flat_map(f).max().copied().unwrap_or(0);
        assert_eq!((n, m), (max(|l| &l.0), max(|l| &l.1)), "{name}: gold and segmentation disagree");
        let test = links(&beads);
        let f1 = strict_f1(&test, &gold);
        worst = worst.min(f1);
        report.push_str(&format!("{name}: strict F1 {f1:.3} ({} beads, gold {})\n", test.len(), gold.len()));
        let g: HashSet<&Link> = gold.iter().collect();
        for (l, b) in test.iter().zip(&beads) {
            if !g.contains(l) {
                report.push_str(&format!("  wrong {:?} ↔ {:?} score {:.2} lexical {:.2} length {:.2}\n", l.0, l.1, b.score, b.lexical, b.length));
            }
        }
    }
    println!("{report}");
    assert!(worst >= 0.95, "{report}");
}

/// Coordinate descent over the score's weights on the hand-aligned pairs,
/// with and without paragraphs: `cargo test --test testsuite tune -- --ignored --nocapture`.
#[test]
#[ignore = "a tool for tuning Params, not a test"]
fn tune() {
    use bitext::align::Params;
    let read = |name: &str, lang: &str| {
        std::fs::read_to_string(fixture_path(&format!("align/{name}.{lang}.txt"))).unwrap()
    };
    let docs: Vec<_> = PAIRS
        .iter()
        .map(|name| {
            (
                Segmenter::default().document("zh", "UTF-8", &read(name, "zh")),
                EnglishSplitter.document("en", "UTF-8", &read(name, "en")),
                gold(name),
            )
        })
        .collect();
    let eval = |p: Params| -> (f64, f64) {
        let mut sum = 0.0;
        let mut min: f64 = 1.0;
        for paragraphs in [true, false] {
            for (zh, en, g) in &docs {
                let mut o = AlignOptions::default();
                o.params = p;
                o.paragraphs = paragraphs;
                let f = strict_f1(&links(&align(zh, en, lexicon(), &o)), g);
                sum += f;
                min = min.min(f);
            }
        }
        (sum / (2 * docs.len()) as f64, min)
    };
    let mut best = Params::default();
    let mut best_score = eval(best);
    println!("start {best_score:?}");
    type Field = fn(&mut Params) -> &mut f32;
    let fields: [(&str, Field, &[f32]); 8] = [
        ("ratio_cost", |p| &mut p.ratio_cost, &[1.0, 2.0, 3.0, 4.0, 6.0]),
        ("size_cost", |p| &mut p.size_cost, &[1.0, 2.0, 3.0, 5.0, 8.0]),
        ("length_weight", |p| &mut p.length_weight, &[0.25, 0.5, 1.0, 1.5, 2.0]),
        ("length_variance", |p| &mut p.length_variance, &[2.0, 4.0, 6.0, 10.0, 16.0, 25.0]),
        ("lexical_weight", |p| &mut p.lexical_weight, &[3.0, 5.0, 8.0, 12.0, 16.0, 24.0]),
        ("neutral_share", |p| &mut p.neutral_share, &[0.0, 0.05, 0.1, 0.15, 0.2, 0.3]),
        ("orphan_cost", |p| &mut p.orphan_cost, &[0.0, 1.0, 2.0, 4.0]),
        ("skip_cost", |p| &mut p.skip_cost, &[1.0, 1.5, 2.5, 3.5, 5.0]),
    ];
    for round in 0..3 {
        for (name, field, values) in &fields {
            for &v in *values {
                let mut p = best;
                *field(&mut p) = v;
                let s = eval(p);
                if s.0 > best_score.0 + 1e-9 || (s.0 > best_score.0 - 1e-9 && s.1 > best_score.1) {
                    best = p;
                    best_score = s;
                    println!("round {round}: {name} = {v} → {s:?}");
                }
            }
        }
    }
    println!("best {best:?} {best_score:?}");
}

#[test]
#[ignore = "debugging aid"]
fn explain_article() {
    let read = |lang: &str| std::fs::read_to_string(fixture_path(&format!("align/article.{lang}.txt"))).unwrap();
    let zh = Segmenter::default().document("zh", "UTF-8", &read("zh"));
    let en = EnglishSplitter.document("en", "UTF-8", &read("en"));
    for l in bitext::align::explain(&zh, &en, lexicon(), &AlignOptions::default(), &[
        (20..27, 9..10), (20..26, 9..10), (26..27, 10..10), (30..31, 12..13), (31..32, 13..14), (30..31, 12..14), (31..32, 14..14),
    ]) {
        println!("{l}");
    }
}
