//! Counting character n-grams level by level, in bounded memory.
//!
//! Level `n` counts the n-grams of the corpus whose two (n−1)-grams
//! (prefix and suffix) were kept at level `n − 1`: an n-gram cannot be more
//! frequent than its parts, so nothing frequent is missed (the Apriori
//! property). The n-grams counted give the kept (n−1)-grams their left and
//! right neighbours for the branching entropy, Σ c·ln c over the neighbours'
//! counts c; a neighbour seen once adds nothing to it, so the sum is exact
//! while the threshold is 2 (the default), and with a higher one a
//! neighbour seen fewer times than the threshold is taken as seen once.
//! Those seen at least the level's threshold times are kept.
//!
//! N-grams are keyed by a 64-bit fingerprint of their characters and hold
//! one position where they occur, so a table entry is small whatever the
//! n-gram's length. A pass whose table reaches [`PASS_CAP`] entries is
//! redone as two passes, each over half of the fingerprints; a level that
//! would keep more than [`LEVEL_CAP`] n-grams keeps only the most frequent
//! ones (its threshold rises, and no longer level's threshold is lower).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::corpus::Corpus;
use crate::backend::dictionary::cedict::IdentityHasher;

/// A map keyed by n-gram fingerprints.
pub(super) type FpMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// The most entries one counting pass holds before its share of the
/// fingerprints is split in two: a table of 2²⁰ slots, about 33 MB.
pub(super) const PASS_CAP: usize = (1 << 20) / 8 * 7;

/// The most n-grams kept for one length: a table of 2¹⁷ slots, about
/// 4 MB.
pub(super) const LEVEL_CAP: usize = (1 << 17) / 8 * 7;

const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// MurmurHash3's 64-bit finaliser: a bijection that mixes every bit.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The fingerprint of `ids` followed by `id`, from the fingerprint of `ids`.
pub(super) fn step(h: u64, id: u32) -> u64 {
    mix(h ^ u64::from(id).wrapping_add(1).wrapping_mul(SEED))
}

/// The fingerprint of a character sequence (two distinct sequences share
/// one with a chance of about 2⁻⁶⁴).
pub(super) fn fingerprint(ids: &[u32]) -> u64 {
    ids.iter().fold(SEED, |h, &id| step(h, id))
}

/// What is known of one kept n-gram.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Gram {
    /// Occurrences.
    pub count: u32,
    /// The position of one occurrence in [`Corpus`].
    pub pos: u32,
    /// Occurrences that jieba cuts at both edges.
    pub agree: u32,
    /// Σ c·ln c over the counts c of its distinct left neighbours.
    pub s_left: f32,
    /// Σ c·ln c over the counts c of its distinct right neighbours.
    pub s_right: f32,
}

/// The n-gram counts of a corpus.
#[derive(Debug)]
pub(super) struct Counts {
    /// Occurrences of each character id.
    pub unigrams: Vec<u32>,
    /// The kept n-grams of each length `n` (index `n`; 0 and 1 are empty).
    pub levels: Vec<FpMap<Gram>>,
    /// The threshold each length was kept at.
    pub thresholds: Vec<u32>,
    /// Passes made over the corpus.
    pub passes: usize,
    pass_cap: usize,
    level_cap: usize,
}

impl Counts {
    /// Count the n-grams of 2 to `max_len` characters seen at least
    /// `min_freq` times, with their neighbours.
    pub fn count(corpus: &Corpus, min_freq: u32, max_len: usize) -> Counts {
        Counts::count_with(corpus, min_freq, max_len, PASS_CAP, LEVEL_CAP)
    }

    /// [`Counts::count`] with other caps on a pass's table and a level.
    fn count_with(
        corpus: &Corpus,
        min_freq: u32,
        max_len: usize,
        pass_cap: usize,
        level_cap: usize,
    ) -> Counts {
        let min_freq = min_freq.max(1);
        let mut unigrams = vec![0u32; corpus.alphabet_len()];
        for &id in corpus.ids() {
            if let Some(n) = unigrams.get_mut(id as usize) {
                *n += 1;
            }
        }
        let mut counts = Counts {
            unigrams,
            levels: vec![FpMap::default(), FpMap::default()],
            thresholds: vec![min_freq, min_freq],
            passes: 1,
            pass_cap,
            level_cap,
        };
        for n in 2..=max_len + 1 {
            let kept = counts.level(corpus, n, n <= max_len);
            if n <= max_len {
                counts.levels.push(kept);
            }
        }
        counts
    }

    /// Whether the n-gram `ids` (of fingerprint `h`) is kept.
    fn kept(&self, ids: &[u32], h: u64) -> bool {
        match ids.len() {
            1 => self.unigrams[ids[0] as usize] >= self.thresholds[1],
            n => self.levels[n].contains_key(&h),
        }
    }

    /// The occurrences of a kept n-gram (of a character, for one id); 0 when
    /// it was not kept.
    pub fn count_of(&self, ids: &[u32]) -> u32 {
        match ids.len() {
            0 => 0,
            1 => self.unigrams[ids[0] as usize],
            n => self
                .levels
                .get(n)
                .and_then(|level| level.get(&fingerprint(ids)))
                .map_or(0, |g| g.count),
        }
    }

    /// Count level `n`: give level `n − 1` its neighbour statistics and, if
    /// `keep`, return the n-grams to keep.
    fn level(&mut self, corpus: &Corpus, n: usize, keep: bool) -> FpMap<Gram> {
        let text = corpus.ids();
        let mut threshold = self.thresholds[n - 1];
        let mut kept = FpMap::default();
        // Shares of the fingerprints still to count: (modulus, residue).
        let mut work = vec![(1u64, 0u64)];
        while let Some((modulus, residue)) = work.pop() {
            self.passes += 1;
            let Some(table) = self.scan(corpus, n, modulus, residue) else {
                work.push((modulus * 2, residue + modulus));
                work.push((modulus * 2, residue));
                continue;
            };
            for (h, gram) in table {
                if n >= 3 {
                    let pos = gram.pos as usize;
                    let w = &text[pos..pos + n];
                    let c = f64::from(gram.count);
                    let term = (c * c.ln()) as f32;
                    if let Some(p) = self.levels[n - 1].get_mut(&fingerprint(&w[..n - 1])) {
                        p.s_right += term;
                    }
                    if let Some(s) = self.levels[n - 1].get_mut(&fingerprint(&w[1..])) {
                        s.s_left += term;
                    }
                }
                if keep && gram.count >= threshold {
                    kept.insert(h, gram);
                    if kept.len() >= 2 * self.level_cap {
                        threshold = prune(&mut kept, self.level_cap, threshold);
                    }
                }
            }
        }
        threshold = prune(&mut kept, self.level_cap, threshold);
        kept.shrink_to_fit();
        self.thresholds.push(threshold);
        kept
    }

    /// One pass over the corpus counting the n-grams of level `n` whose
    /// fingerprint falls in the share (`modulus`, `residue`); `None` when
    /// the table outgrows the pass cap.
    fn scan(&self, corpus: &Corpus, n: usize, modulus: u64, residue: u64) -> Option<FpMap<Gram>> {
        let text = corpus.ids();
        let mut table: FpMap<Gram> = FpMap::default();
        for clause in corpus.clause_ranges() {
            if clause.len() < n {
                continue;
            }
            for i in clause.start..=clause.end - n {
                let w = &text[i..i + n];
                let hp = fingerprint(&w[..n - 1]);
                if !self.kept(&w[..n - 1], hp) || !self.kept(&w[1..], fingerprint(&w[1..])) {
                    continue;
                }
                let h = step(hp, w[n - 1]);
                if modulus > 1 && (h >> 32) % modulus != residue {
                    continue;
                }
                let gram = table.entry(h).or_insert(Gram {
                    pos: i as u32,
                    ..Gram::default()
                });
                gram.count += 1;
                if corpus.boundary(i) && corpus.boundary(i + n) {
                    gram.agree += 1;
                }
                // Shares are split on bits 32 to 56 of the fingerprint
                // (the table's slots use the low bits); past 2²⁴ shares a
                // table may grow.
                if table.len() >= self.pass_cap && modulus < 1 << 24 {
                    return None;
                }
            }
        }
        Some(table)
    }
}

/// Keep at most `cap` of the n-grams, the most frequent: raise the
/// threshold above the count of the first one left out. Returns the
/// threshold now in force.
fn prune(kept: &mut FpMap<Gram>, cap: usize, threshold: u32) -> u32 {
    if kept.len() <= cap {
        return threshold;
    }
    let mut all: Vec<u32> = kept.values().map(|g| g.count).collect();
    let (_, &mut nth, _) = all.select_nth_unstable_by(cap, |a, b| b.cmp(a));
    let threshold = threshold.max(nth + 1);
    kept.retain(|_, g| g.count >= threshold);
    threshold
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(text: &str) -> Corpus {
        let mut corpus = Corpus::new();
        corpus.push(text, &jieba_rs::Jieba::empty()).unwrap();
        corpus
    }

    fn ids(corpus: &Corpus, s: &str) -> Vec<u32> {
        let all = corpus.ids();
        let n = s.chars().count();
        (0..all.len() - n)
            .map(|i| &all[i..i + n])
            .find(|w| {
                w.iter().all(|&id| id != super::super::corpus::SEP)
                    && w.iter().map(|&id| corpus.char_of(id)).collect::<String>() == s
            })
            .unwrap()
            .to_vec()
    }

    #[test]
    fn counts_and_neighbours_are_exact() {
        let c = corpus("甲乙丙.甲乙丁.甲乙丙.乙丙");
        let counts = Counts::count(&c, 2, 3);
        assert_eq!(counts.count_of(&ids(&c, "甲乙")), 3);
        assert_eq!(counts.count_of(&ids(&c, "乙丙")), 3);
        assert_eq!(counts.count_of(&ids(&c, "甲乙丙")), 2);
        // 乙丁 is seen once: not kept.
        assert_eq!(counts.count_of(&ids(&c, "乙丁")), 0);
        // 甲乙 is followed by 丙 twice and 丁 once: Σ c ln c = 2 ln 2.
        let g = counts.levels[2][&fingerprint(&ids(&c, "甲乙"))];
        assert!((f64::from(g.s_right) - 2.0 * 2f64.ln()).abs() < 1e-6);
        // It starts every clause it is in: no left neighbour at all.
        assert_eq!(g.s_left, 0.0);
    }

    #[test]
    fn passes_split_by_fingerprint_count_the_same() {
        let text = "国土资源部创先争优活动.国土资源部党组.部党组书记.创先争优.国土资源系统创先争优";
        let c = corpus(text);
        let whole = Counts::count_with(&c, 2, 6, PASS_CAP, LEVEL_CAP);
        let split = Counts::count_with(&c, 2, 6, 3, LEVEL_CAP);
        assert!(split.passes > whole.passes + 4, "{} passes", split.passes);
        for n in 2..=6 {
            let row = |(h, g): (&u64, &Gram)| {
                let milli = |x: f32| (x * 1000.0).round() as i64;
                (*h, g.count, g.agree, milli(g.s_left), milli(g.s_right))
            };
            let mut a: Vec<_> = whole.levels[n].iter().map(row).collect();
            let mut b: Vec<_> = split.levels[n].iter().map(row).collect();
            a.sort_by_key(|x| x.0);
            b.sort_by_key(|x| x.0);
            assert_eq!(a, b, "level {n}");
        }
    }

    #[test]
    fn a_full_level_keeps_its_most_frequent_ngrams() {
        let c = corpus("甲乙.甲乙.甲乙.丙丁.丙丁.戊己.戊己");
        let counts = Counts::count_with(&c, 2, 2, PASS_CAP, 1);
        let kept: Vec<u32> = counts.levels[2].values().map(|g| g.count).collect();
        assert_eq!(kept, [3]);
        assert_eq!(counts.thresholds[2], 3);
    }
}
