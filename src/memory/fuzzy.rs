//! Fuzzy matches: the memory's translations of texts like a segment's.
//!
//! Similarity suits Chinese: it is the character-level edit distance
//! (Levenshtein) between the two sources over the length of the longer,
//! after both are normalised — white space and inline-code markers dropped,
//! every run of digits made one `#` (so `2019年` and `2020年` are the same
//! text), Latin letters lower-cased, and each glossary term made one symbol
//! of its own (a term counts as one edit, not as many as it has
//! characters). Two different sources never score 100: a match that
//! differs only in its numbers scores 99.
//!
//! The index is built once per run from the memory's entries of the run's
//! language pair: an inverted index of character bigrams. A lookup takes
//! the candidates that can reach the threshold by the count filter (an
//! entry within `k` edits of an `n`-character text shares at least
//! `n - 1 - 2k` of its bigrams), reads only the rarest lists the prefix
//! filter needs, checks the length bound first, and verifies the survivors
//! with an edit distance cut off at `k`. Nothing scans the memory.

use std::collections::HashMap;

use crate::document::{FuzzyMatch, Origin};
use crate::glossary::Glossary;

/// The most matches kept for a segment.
pub const MAX_MATCHES: usize = 3;

/// The default threshold of `--fuzzy`, in percent.
pub const DEFAULT_THRESHOLD: u8 = 75;

/// One entry of the index.
#[derive(Debug)]
struct Entry {
    source: Box<str>,
    target: Box<str>,
    reviewed: bool,
    /// Where its normalised characters start in [`FuzzyIndex::chars`].
    start: u32,
    len: u32,
}

/// A hasher for the index's integer keys (bigrams, pair hashes): one
/// multiplication, where the default hasher's resistance to chosen keys
/// buys nothing.
#[derive(Debug, Default, Clone, Copy)]
struct IntHasher(u64);

impl std::hash::Hasher for IntHasher {
    fn finish(&self) -> u64 {
        // The product's high bits depend on every bit of the key, its low
        // bits (which pick the bucket) only on the key's low bits: fold
        // the high half in.
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
}

type IntMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<IntHasher>>;

/// A fuzzy-match index over a memory's translations of one language pair.
/// Add entries, then [`FuzzyIndex::finish`] before looking anything up.
#[derive(Debug, Default)]
pub struct FuzzyIndex {
    entries: Vec<Entry>,
    /// Every entry's normalised characters, one after the other.
    chars: Vec<u32>,
    /// For each bigram of normalised characters, the entries that have it,
    /// in increasing order. After [`FuzzyIndex::finish`], entries are
    /// numbered by the length of their normalised text, so the entries of
    /// a range of lengths are a range of ids.
    postings: IntMap<u64, Vec<u32>>,
    /// `by_length[l]`: the first entry whose normalised text has `l`
    /// characters or more.
    by_length: Vec<u32>,
    /// The entries of each `(source, target)` hash, so each pair is kept
    /// once (emptied by [`FuzzyIndex::finish`]).
    seen: IntMap<u64, Vec<u32>>,
}

/// The normalised characters of `text`: see the [module](self) docs.
/// `terms` finds the glossary terms of a text (byte spans and ids).
fn normalise(text: &str, terms: &[(std::ops::Range<usize>, usize)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut term = terms.iter().peekable();
    let mut chars = text.char_indices().peekable();
    let mut in_marker = false;
    while let Some((at, c)) = chars.next() {
        if let Some((span, id)) = term.peek()
            && at >= span.start
        {
            if at < span.end {
                // One symbol per term, from a private-use plane.
                out.push(0xF_0000 + (*id as u32 & 0xFFFF));
                while chars.peek().is_some_and(|&(i, _)| i < span.end) {
                    chars.next();
                }
            }
            term.next();
            if at < span.end {
                continue;
            }
        }
        match c {
            '⟨' => in_marker = true,
            '⟩' => in_marker = false,
            _ if in_marker || c.is_whitespace() => {}
            _ if c.is_ascii_digit() || ('０'..='９').contains(&c) => {
                // One `#` for the whole number, separators included.
                while chars.peek().is_some_and(|&(_, d)| {
                    d.is_ascii_digit() || ('０'..='９').contains(&d) || matches!(d, '.' | ',')
                }) {
                    chars.next();
                }
                out.push(u32::from('#'));
            }
            _ => out.extend(c.to_lowercase().map(u32::from)),
        }
    }
    out
}

fn bigram(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// A 64-bit hash of a source and its translation.
fn pair_hash(source: &str, target: &str) -> u64 {
    let mut hash = crate::text::Fnv1a::default();
    hash.write(source.as_bytes());
    hash.write(&[0]);
    hash.write(target.as_bytes());
    hash.finish()
}

thread_local! {
    /// Shared-bigram counts by entry, all zero between lookups.
    static COUNTS: std::cell::RefCell<Vec<u16>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl FuzzyIndex {
    /// An empty index.
    pub fn new() -> Self {
        FuzzyIndex::default()
    }

    /// The number of entries indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Index `source` translated as `target` (a reviewed translation if
    /// `reviewed`), with `glossary`'s terms normalised. The same pair added
    /// again is kept once (as reviewed if either was).
    pub fn add(&mut self, source: &str, target: &str, reviewed: bool, glossary: &Glossary) {
        let hash = pair_hash(source, target);
        if let Some(ids) = self.seen.get(&hash)
            && let Some(&i) = ids.iter().find(|&&i| {
                let e = &self.entries[i as usize];
                &*e.source == source && &*e.target == target
            })
        {
            self.entries[i as usize].reviewed |= reviewed;
            return;
        }
        let terms: Vec<_> = glossary
            .annotate(source)
            .into_iter()
            .map(|t| (t.span, t.term_id))
            .collect();
        let norm = normalise(source, &terms);
        if norm.len() < 2 || u32::try_from(self.entries.len()).is_err() {
            return;
        }
        let id = self.entries.len() as u32;
        self.chars.extend_from_slice(&norm);
        self.entries.push(Entry {
            source: source.into(),
            target: target.into(),
            reviewed,
            start: (self.chars.len() - norm.len()) as u32,
            len: norm.len() as u32,
        });
        self.seen.entry(hash).or_default().push(id);
    }

    /// Done adding: number the entries by length and build the bigram
    /// lists.
    pub fn finish(&mut self) {
        self.seen = IntMap::default();
        self.entries.sort_by_key(|e| e.len);
        let longest = self.entries.last().map_or(0, |e| e.len as usize);
        self.by_length = (0..=longest + 1)
            .map(|l| self.entries.partition_point(|e| (e.len as usize) < l) as u32)
            .collect();
        let mut postings: IntMap<u64, Vec<u32>> = IntMap::default();
        for (id, entry) in self.entries.iter().enumerate() {
            let id = id as u32;
            let norm = &self.chars[entry.start as usize..(entry.start + entry.len) as usize];
            for pair in norm.windows(2) {
                let list = postings.entry(bigram(pair[0], pair[1])).or_default();
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
        for list in postings.values_mut() {
            list.shrink_to_fit();
        }
        self.postings = postings;
    }

    fn norm(&self, entry: &Entry) -> &[u32] {
        &self.chars[entry.start as usize..(entry.start + entry.len) as usize]
    }

    /// The ids of the entries whose normalised text has from `min` to
    /// `max` characters.
    fn ids_of_lengths(&self, min: usize, max: usize) -> std::ops::Range<u32> {
        let at = |l: usize| {
            self.by_length
                .get(l)
                .copied()
                .unwrap_or(self.entries.len() as u32)
        };
        at(min)..at(max + 1)
    }

    /// The best matches (at most [`MAX_MATCHES`]) for `source`, whose
    /// glossary terms are `terms` (byte spans and term ids), scoring at
    /// least `threshold` percent (1–100), best first; at equal score a
    /// reviewed translation comes first.
    pub fn lookup(
        &self,
        source: &str,
        terms: &[(std::ops::Range<usize>, usize)],
        threshold: u8,
    ) -> Vec<FuzzyMatch> {
        let threshold = threshold.clamp(1, 100);
        let query = normalise(source, terms);
        let n = query.len();
        if n < 2 || self.entries.is_empty() {
            return Vec::new();
        }
        let t = f64::from(threshold) / 100.0;
        // Lengths that can reach the threshold, and the edits allowed.
        let min_len = (n as f64 * t).ceil() as usize;
        let max_len = (n as f64 / t).floor() as usize;
        let max_edits = ((1.0 - t) * max_len as f64).floor() as usize;
        let range = self.ids_of_lengths(min_len, max_len);
        // The query's distinct bigrams' lists, cut to the lengths that can
        // match, shortest first.
        let mut grams: Vec<u64> = query.windows(2).map(|w| bigram(w[0], w[1])).collect();
        grams.sort_unstable();
        grams.dedup();
        let mut lists: Vec<&[u32]> = grams
            .iter()
            .map(|g| {
                let list = self.postings.get(g).map_or(&[][..], Vec::as_slice);
                let from = list.partition_point(|&id| id < range.start);
                let to = list.partition_point(|&id| id < range.end);
                &list[from..to]
            })
            .collect();
        lists.sort_by_key(|l| l.len());
        let m = lists.len();
        // Each edit takes at most two of the query's bigrams away, so a
        // match shares `needed` of them, and so one of the `prefix` rarest.
        let needed = m.saturating_sub(2 * max_edits).max(1);
        let prefix = m - needed + 1;
        COUNTS.with_borrow_mut(|counts| {
            if counts.len() < self.entries.len() {
                counts.resize(self.entries.len(), 0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for list in &lists[..prefix] {
                for &id in *list {
                    let count = &mut counts[id as usize];
                    if *count == 0 {
                        touched.push(id);
                    }
                    *count = count.saturating_add(1);
                }
            }
            // The other lists only count for the candidates found so far.
            for list in &lists[prefix..] {
                let probe = touched.len() * (usize::BITS - list.len().leading_zeros()) as usize;
                if probe < list.len() {
                    for &id in &touched {
                        if list.binary_search(&id).is_ok() {
                            let count = &mut counts[id as usize];
                            *count = count.saturating_add(1);
                        }
                    }
                } else {
                    for &id in *list {
                        let count = &mut counts[id as usize];
                        if *count > 0 {
                            *count = count.saturating_add(1);
                        }
                    }
                }
            }
            let mut candidates: Vec<(u16, u32)> = touched
                .iter()
                .map(|&id| (std::mem::take(&mut counts[id as usize]), id))
                .filter(|&(count, _)| usize::from(count) >= needed)
                .collect();
            // Most shared first, so that the best are found early and the
            // rest can be passed over by their bound.
            candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.verify(source, &query, m, threshold, &candidates)
        })
    }

    /// The best matches among `candidates` (shared-bigram count and id) for
    /// a query with normalised characters `query` and `m` distinct bigrams.
    fn verify(
        &self,
        source: &str,
        query: &[u32],
        m: usize,
        threshold: u8,
        candidates: &[(u16, u32)],
    ) -> Vec<FuzzyMatch> {
        let n = query.len();
        let t = f64::from(threshold) / 100.0;
        let mut found: Vec<(u8, bool, u32)> = Vec::new();
        // The score a match must beat to enter the best so far.
        let floor = |found: &[(u8, bool, u32)]| {
            if found.len() < MAX_MATCHES {
                threshold
            } else {
                found[MAX_MATCHES - 1].0
            }
        };
        for &(count, id) in candidates {
            let entry = &self.entries[id as usize];
            let norm = self.norm(entry);
            let longer = n.max(norm.len());
            // At least one edit for every two bigrams not shared.
            let fewest = (m - usize::from(count).min(m)).div_ceil(2);
            let best_possible = (100 * (longer - fewest.min(longer)) / longer) as u8;
            if best_possible < floor(&found) {
                continue;
            }
            let allowed = ((1.0 - t) * longer as f64).floor() as usize;
            let Some(distance) = edit_distance_within(query, norm, allowed) else {
                continue;
            };
            let mut score = (100 * (longer - distance) / longer) as u8;
            if score == 100 && *entry.source != *source {
                score = 99;
            }
            if score >= floor(&found) {
                found.push((score, entry.reviewed, id));
                found.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
                found.truncate(MAX_MATCHES);
            }
        }
        found
            .into_iter()
            .map(|(score, reviewed, id)| {
                let entry = &self.entries[id as usize];
                FuzzyMatch {
                    score,
                    source: entry.source.to_string(),
                    target: entry.target.to_string(),
                    origin: if reviewed {
                        Origin::Reviewed
                    } else {
                        Origin::Machine
                    },
                }
            })
            .collect()
    }
}

/// A run's fuzzy matching: its threshold and the memory's index, built the
/// first time a segment the memory has no exact translation of needs it
/// (a rerun that the memory answers whole never builds it), and once for
/// all the inputs of the run.
#[derive(Debug)]
pub struct FuzzyLookup {
    threshold: u8,
    index: std::sync::Mutex<Option<Option<std::sync::Arc<FuzzyIndex>>>>,
}

impl FuzzyLookup {
    /// Matches scoring at least `threshold` percent; 0 looks none up.
    pub fn new(threshold: u8) -> Self {
        FuzzyLookup {
            threshold,
            index: std::sync::Mutex::new(None),
        }
    }

    /// The best matches of each of `requests` (in order) in `memory`'s
    /// translations from `source_lang` to `target_lang`, with `glossary`'s
    /// terms normalised; each request's reviewed matches become its
    /// examples. Lookups run on all cores.
    pub fn find(
        &self,
        memory: &super::Memory,
        source_lang: &str,
        target_lang: &str,
        glossary: &Glossary,
        requests: &mut [crate::backend::SegmentRequest],
    ) -> crate::Result<Vec<Vec<FuzzyMatch>>> {
        use rayon::prelude::*;
        if self.threshold == 0 || requests.is_empty() {
            return Ok(vec![Vec::new(); requests.len()]);
        }
        let index = {
            // Held while building, so that inputs running side by side
            // build it once.
            let mut built = self.index.lock().unwrap_or_else(|e| e.into_inner());
            match built.as_ref() {
                Some(index) => index.clone(),
                None => {
                    let index = memory.fuzzy_index(source_lang, target_lang, glossary)?;
                    let index = (!index.is_empty()).then(|| std::sync::Arc::new(index));
                    *built = Some(index.clone());
                    index
                }
            }
        };
        let Some(index) = index else {
            return Ok(vec![Vec::new(); requests.len()]);
        };
        Ok(requests
            .par_iter_mut()
            .map(|request| {
                let terms: Vec<_> = request
                    .terms
                    .iter()
                    .map(|t| (t.span.clone(), t.term_id))
                    .collect();
                let found = index.lookup(&request.text, &terms, self.threshold);
                request.examples = found
                    .iter()
                    .filter(|m| m.origin == Origin::Reviewed)
                    .map(|m| crate::backend::Example {
                        source: m.source.clone(),
                        target: m.target.clone(),
                        score: m.score,
                    })
                    .collect();
                found
            })
            .collect())
    }
}

/// The Levenshtein distance of `a` and `b` if it is at most `k`, computed
/// in the band of width `2k + 1` around the diagonal.
fn edit_distance_within(a: &[u32], b: &[u32], k: usize) -> Option<usize> {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if b.len() - a.len() > k {
        return None;
    }
    let big = k + 1;
    // prev[j]: distance of a[..i] and b[..j], for j in the band.
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(big)).collect();
    let mut cur = vec![big; b.len() + 1];
    for i in 1..=a.len() {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(b.len());
        cur[lo - 1] = if lo == 1 { i.min(big) } else { big };
        let mut best = cur[lo - 1];
        for j in lo..=hi {
            let substitute = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let value = substitute.min(prev[j] + 1).min(cur[j - 1] + 1).min(big);
            cur[j] = value;
            best = best.min(value);
        }
        if hi < b.len() {
            cur[hi + 1] = big;
        }
        if best > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let distance = prev[b.len()];
    (distance <= k).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(pairs: &[(&str, &str, bool)]) -> FuzzyIndex {
        let glossary = Glossary::empty();
        let mut index = FuzzyIndex::new();
        for (s, t, r) in pairs {
            index.add(s, t, *r, &glossary);
        }
        index.finish();
        index
    }

    /// The plain Levenshtein distance, for checking the banded one.
    fn levenshtein(a: &[u32], b: &[u32]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                cur[j] = (prev[j - 1] + usize::from(a[i - 1] != b[j - 1]))
                    .min(prev[j] + 1)
                    .min(cur[j - 1] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    proptest::proptest! {
        #[test]
        fn the_banded_distance_is_the_distance_when_within_the_band(
            a in "[abc中文]{0,12}", b in "[abc中文]{0,12}", k in 0usize..8,
        ) {
            let a: Vec<u32> = a.chars().map(u32::from).collect();
            let b: Vec<u32> = b.chars().map(u32::from).collect();
            let d = levenshtein(&a, &b);
            let expected = (d <= k).then_some(d);
            proptest::prop_assert_eq!(edit_distance_within(&a, &b, k), expected);
        }

        /// The index finds what a scan of every entry finds.
        #[test]
        fn the_index_finds_what_a_scan_finds(
            entries in proptest::collection::vec("[天地人和中国大小上下]{1,12}", 1..40),
            query in "[天地人和中国大小上下]{2,12}",
            threshold in 50u8..100,
        ) {
            let pairs: Vec<(&str, &str, bool)> = entries.iter().map(|e| (e.as_str(), "t", false)).collect();
            let index = index(&pairs);
            let got: Vec<String> = index.lookup(&query, &[], threshold).into_iter().map(|m| m.source).collect();
            let q: Vec<u32> = query.chars().map(u32::from).collect();
            let mut scan: Vec<(u8, &str)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for e in &entries {
                let norm: Vec<u32> = e.chars().map(u32::from).collect();
                if norm.len() < 2 || !seen.insert(e.as_str()) {
                    continue;
                }
                let longer = q.len().max(norm.len());
                let mut score = (100 * (longer - levenshtein(&q, &norm)) / longer) as u8;
                if score == 100 && e != &query { score = 99; }
                if score >= threshold { scan.push((score, e)); }
            }
            // Every match found is one the scan finds, with its score.
            for m in index.lookup(&query, &[], threshold) {
                proptest::prop_assert!(scan.contains(&(m.score, m.source.as_str())), "{m:?} not in {scan:?}");
            }
            // The best of those sharing a bigram with the query is found
            // (the count filter asks for one at least).
            let grams = |s: &str| -> std::collections::HashSet<(char, char)> {
                let c: Vec<char> = s.chars().collect();
                c.windows(2).map(|w| (w[0], w[1])).collect()
            };
            let q_grams = grams(&query);
            let mut best: Vec<u8> = scan
                .iter()
                .filter(|s| !grams(s.1).is_disjoint(&q_grams))
                .map(|s| s.0)
                .collect();
            best.sort_unstable_by(|a, b| b.cmp(a));
            best.truncate(MAX_MATCHES);
            let found: Vec<u8> = index.lookup(&query, &[], threshold).iter().map(|m| m.score).collect();
            proptest::prop_assert_eq!(found, best, "{:?} vs {:?}", got, scan);
        }
    }

    #[test]
    fn numbers_and_white_space_are_normalised_and_reviewed_wins_ties() {
        let index = index(&[
            (
                "2019年经济增长了百分之五",
                "In 2019 the economy grew 5%",
                false,
            ),
            (
                "2019年经济增长了百分之五",
                "In 2019, the economy grew by 5%",
                true,
            ),
            ("今天天气很好", "The weather is fine today", true),
        ]);
        let found = index.lookup("2020年 经济增长了百分之五", &[], 75);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].score, 99, "only the numbers differ");
        assert_eq!(found[0].origin, Origin::Reviewed);
        assert_eq!(found[1].origin, Origin::Machine);
        let same = index.lookup("今天天气很好", &[], 75);
        assert_eq!(same[0].score, 100);
        let near = index.lookup("今天天气很不好", &[], 75);
        assert_eq!(near[0].score, 85, "one insertion in seven characters");
        assert!(index.lookup("明天会下雨吗", &[], 75).is_empty());
    }

    #[test]
    fn a_glossary_term_is_one_symbol() {
        let glossary = Glossary::from_tsv_str(
            "t.tsv",
            "source\ttarget\n自然资源部\tMinistry of Natural Resources\n",
        )
        .unwrap();
        let mut index = FuzzyIndex::new();
        index.add(
            "自然资源部发布了新规定",
            "The Ministry issued new rules",
            true,
            &glossary,
        );
        index.finish();
        let source = "自然资源部发布了规定";
        let terms: Vec<_> = glossary
            .annotate(source)
            .into_iter()
            .map(|t| (t.span, t.term_id))
            .collect();
        let found = index.lookup(source, &terms, 75);
        // 6 symbols against 7: one deletion.
        assert_eq!(found[0].score, 85, "{found:?}");
    }
}
