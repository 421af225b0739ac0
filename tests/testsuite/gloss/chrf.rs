//! chrF, as sacrebleu 2.x computes it by default (`CHRF(char_order=6,
//! word_order=0, beta=2, whitespace=False, eps_smoothing=False)`).
//!
//! Each text loses its white space; for every order n = 1..=6 the character
//! n-grams of hypothesis and reference are counted and the clipped matches
//! summed. A corpus score adds these counts over its segments first. Then,
//! over the orders where both sides have n-grams, precision and recall are
//! averaged, and chrF = 100 · (1 + β²)·P·R / (β²·P + R) with β = 2.

use std::collections::HashMap;

/// Highest character n-gram order.
const ORDER: usize = 6;
/// Recall weighs β² = 4 times as much as precision.
const BETA: f64 = 2.0;

/// Per-order counts: n-grams in the hypothesis, in the reference, matched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats([[usize; 3]; ORDER]);

impl Stats {
    /// The counts of one hypothesis against one reference.
    pub fn of(hypothesis: &str, reference: &str) -> Stats {
        let hyp = ngrams(hypothesis);
        let reference = ngrams(reference);
        let mut stats = Stats::default();
        for (n, (h, r)) in hyp.iter().zip(&reference).enumerate() {
            let matched = h
                .iter()
                .map(|(gram, &count)| count.min(r.get(gram).copied().unwrap_or(0)))
                .sum();
            stats.0[n] = [h.values().sum(), r.values().sum(), matched];
        }
        stats
    }

    /// Adds another segment's counts (corpus statistics).
    pub fn add(&mut self, other: &Stats) {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    /// The chrF score, 0–100.
    pub fn score(&self) -> f64 {
        let (mut precision, mut recall, mut orders) = (0.0, 0.0, 0usize);
        for &[hyp, reference, matched] in &self.0 {
            if hyp > 0 && reference > 0 {
                precision += matched as f64 / hyp as f64;
                recall += matched as f64 / reference as f64;
                orders += 1;
            }
        }
        if orders == 0 {
            return 0.0;
        }
        let (p, r) = (precision / orders as f64, recall / orders as f64);
        let factor = BETA * BETA;
        if p + r == 0.0 {
            return 0.0;
        }
        100.0 * (1.0 + factor) * p * r / (factor * p + r)
    }
}

/// Corpus chrF of aligned hypotheses and references.
pub fn corpus_chrf<H: AsRef<str>, R: AsRef<str>>(hypotheses: &[H], references: &[R]) -> f64 {
    assert_eq!(hypotheses.len(), references.len(), "unaligned corpus");
    let mut total = Stats::default();
    for (h, r) in hypotheses.iter().zip(references) {
        total.add(&Stats::of(h.as_ref(), r.as_ref()));
    }
    total.score()
}

/// Character n-gram counts of orders 1..=6, white space removed.
fn ngrams(text: &str) -> Vec<HashMap<String, usize>> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    (1..=ORDER)
        .map(|n| {
            let mut counts = HashMap::new();
            for gram in chars.windows(n) {
                *counts.entry(gram.iter().collect()).or_insert(0) += 1;
            }
            counts
        })
        .collect()
}

/// Scores computed once with sacrebleu 2.6.0 (`sacrebleu.sentence_chrf`
/// and `sacrebleu.corpus_chrf` with default settings) on these pairs.
#[test]
fn chrf_matches_sacrebleu() {
    let pairs = [
        (
            "The cat sat on the mat.",
            "The cat is sitting on the mat.",
            SACREBLEU[0],
        ),
        (
            "Ministry of Land and Resources Strive for Excellence campaign record",
            "Ministry of Land and Resources: A Record of the Strive for Excellence Campaign",
            SACREBLEU[1],
        ),
        ("naïve café – 北京", "naive cafe - 北京市", SACREBLEU[2]),
        ("ab", "abcdefgh", SACREBLEU[3]),
        ("", "something", SACREBLEU[4]),
    ];
    for (hyp, reference, expected) in pairs {
        let got = Stats::of(hyp, reference).score();
        assert!(
            (got - expected).abs() < 1e-9,
            "chrF({hyp:?}, {reference:?}) = {got}, sacrebleu says {expected}"
        );
    }
    let hyps: Vec<&str> = pairs.iter().map(|p| p.0).collect();
    let refs: Vec<&str> = pairs.iter().map(|p| p.1).collect();
    let got = corpus_chrf(&hyps, &refs);
    assert!(
        (got - SACREBLEU[5]).abs() < 1e-9,
        "corpus chrF = {got}, sacrebleu says {}",
        SACREBLEU[5]
    );
}

/// sacrebleu's figures for the pairs above (five sentence scores, then the
/// corpus score of all five).
const SACREBLEU: [f64; 6] = [
    49.6485170311433,
    75.43889553759006,
    30.118805162398697,
    23.404255319148938,
    0.0,
    59.16855060636826,
];
