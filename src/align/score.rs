//! The score of a bead: a cost the dynamic programme minimises, made of
//!
//! - a prior on the bead type, centred on the ratio of the two sides'
//!   sentence counts (so that a Chinese side cut into clauses expects 3–1
//!   beads as readily as a sentence-cut one expects 1–1);
//! - a Gale–Church length cost: the English length is expected to be the
//!   document's own ratio of English to Chinese characters times the
//!   Chinese length, with a variance that grows with the length;
//! - a lexical cost: the share of the bead's content (weighted by inverse
//!   document frequency) that finds a translation on the other side, from
//!   CC-CEDICT, the glossary, numbers, dates, Latin tokens and names — above
//!   a neutral share it lowers the cost, below it raises it;
//! - an orphan cost for a sentence merged into a bead although nothing in it
//!   matches (a translator's note glued to its neighbour);
//! - a fixed cost for a sentence left unaligned (1–0, 0–1), which also
//!   bounds the cost of a 1–1 bead (never more than two such sentences).
//!
//! Paragraphs are scored the same way, with a prior that makes paragraph
//! merges rare ([`PARAGRAPH_MERGE_COST`]).
//!
//! Pairwise matches between one Chinese and one English unit are computed
//! once, as bit masks of the matched tokens on each side; a bead's matches
//! are the union of its pairs' masks, so multi-sentence beads cost a few
//! OR operations.

use std::ops::Range;

use super::lexicon::{EnToken, ZhToken};

/// Tunable weights of the score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Prior cost per unit of |log(bead ratio / expected ratio)|.
    pub ratio_cost: f32,
    /// Prior cost per extra sentence on the short side of a bead (2–2).
    pub size_cost: f32,
    /// Weight of the Gale–Church length cost.
    pub length_weight: f32,
    /// Variance of English length per expected English character.
    pub length_variance: f32,
    /// Weight of the lexical cost.
    pub lexical_weight: f32,
    /// The neutral matched share: beads above it gain, beads below it pay.
    pub neutral_share: f32,
    /// Cost of a merged sentence in which nothing matches, per average
    /// sentence of content.
    pub orphan_cost: f32,
    /// Cost of leaving one sentence unaligned.
    pub skip_cost: f32,
    /// Cost of a paragraph break that the other side does not mirror: a
    /// bead that starts a paragraph on one side only, or holds a paragraph
    /// break on one side (each break).
    pub break_cost: f32,
    /// Cost of a bead boundary between two sentences of one side that a
    /// speech attribution or an open quotation glues, where the other side
    /// has no such boundary.
    pub glue: f32,
    /// Prior cost of a 2–2 bead over its best split into two 1–1 beads.
    pub crossing_cost: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            ratio_cost: 1.0,
            size_cost: 5.0,
            length_weight: 1.0,
            length_variance: 6.0,
            lexical_weight: 10.0,
            neutral_share: 0.2,
            orphan_cost: 4.0,
            skip_cost: 2.5,
            break_cost: 1.0,
            glue: 3.0,
            crossing_cost: 1.2,
        }
    }
}

/// One side's units (sentences or paragraphs): their lengths, and where
/// each one's tokens are in the side's token arrays.
#[derive(Debug, Clone)]
pub(crate) struct Units {
    /// Length of each unit in characters.
    pub len: Vec<f32>,
    /// Token range of each unit: `tok[i]..tok[i + 1]`.
    tok: Vec<usize>,
}

impl Default for Units {
    fn default() -> Self {
        Units {
            len: Vec::new(),
            tok: vec![0],
        }
    }
}

impl Units {
    /// How many units there are.
    pub(crate) fn count(&self) -> usize {
        self.len.len()
    }

    /// Unit `i`'s token range.
    pub(crate) fn tokens(&self, i: usize) -> Range<usize> {
        self.tok[i]..self.tok[i + 1]
    }

    /// Add a unit of length `len` whose tokens end at `end`.
    fn push(&mut self, len: f32, end: usize) {
        self.len.push(len);
        self.tok.push(end);
    }

    /// The length and token range of a group of consecutive units.
    fn group(&self, g: &Range<usize>) -> (f32, Range<usize>) {
        let len = g.clone().map(|i| self.len[i]).sum();
        (len, self.tok[g.start]..self.tok[g.end])
    }
}

/// The weight of a token that `df` of `n` units hold: its inverse document
/// frequency, at least 0.5.
fn idf(n: f32, df: u32) -> f32 {
    (n / df.max(1) as f32).ln().max(0.0) + 0.5
}

/// One side's units (sentences or paragraphs) as flat arrays.
#[derive(Debug, Clone, Default)]
pub(crate) struct ZhSide {
    /// The units.
    pub units: Units,
    /// Weight of each token.
    pub weight: Vec<f32>,
    /// The translation ids of each token, sorted.
    pub translations: Vec<Vec<u32>>,
}

/// The English units, with their tokens sorted by id and without repeats.
#[derive(Debug, Clone, Default)]
pub(crate) struct EnSide {
    pub units: Units,
    pub id: Vec<u32>,
    pub weight: Vec<f32>,
}

impl ZhSide {
    pub(crate) fn from_tokens(units: Vec<(f32, Vec<ZhToken>)>, words: usize) -> Self {
        let n = units.len().max(1) as f32;
        let mut df = vec![0u32; words];
        for (_, tokens) in &units {
            let mut seen: Vec<u32> = tokens.iter().map(|t| t.word).collect();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                df[w as usize] += 1;
            }
        }
        let mut side = ZhSide::default();
        for (len, tokens) in units {
            for t in tokens {
                side.weight.push(t.strength * idf(n, df[t.word as usize]));
                side.translations.push(t.translations);
            }
            side.units.push(len, side.weight.len());
        }
        side
    }

    /// Units grouped: each group of consecutive units becomes one unit.
    pub(crate) fn grouped(&self, groups: &[Range<usize>]) -> Self {
        let mut side = ZhSide::default();
        for g in groups {
            let (len, toks) = self.units.group(g);
            side.weight.extend_from_slice(&self.weight[toks.clone()]);
            side.translations
                .extend(self.translations[toks].iter().cloned());
            side.units.push(len, side.weight.len());
        }
        side
    }
}

impl EnSide {
    pub(crate) fn from_tokens(units: Vec<(f32, Vec<EnToken>)>, ids: usize) -> Self {
        let n = units.len().max(1) as f32;
        let mut df = vec![0u32; ids];
        for (_, tokens) in &units {
            for t in tokens {
                df[t.id as usize] += 1;
            }
        }
        let mut side = EnSide::default();
        for (len, tokens) in units {
            for t in tokens {
                side.id.push(t.id);
                side.weight.push(t.strength * idf(n, df[t.id as usize]));
            }
            side.units.push(len, side.id.len());
        }
        side
    }

    /// Units grouped, tokens merged by id (the heavier weight kept).
    pub(crate) fn grouped(&self, groups: &[Range<usize>]) -> Self {
        let mut side = EnSide::default();
        for g in groups {
            let (len, toks) = self.units.group(g);
            let mut merged: Vec<(u32, f32)> = toks.map(|k| (self.id[k], self.weight[k])).collect();
            merged.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            merged.dedup_by_key(|t| t.0);
            for (id, w) in merged {
                side.id.push(id);
                side.weight.push(w);
            }
            side.units.push(len, side.id.len());
        }
        side
    }
}

/// What the text's layout says about sentence boundaries: where aligned
/// paragraphs meet, and which sentences of each side are glued to the
/// next (a speech attribution between two parts of one quotation, a
/// quotation left open by an ellipsis). Empty when unknown (paragraphs not
/// aligned, a paragraph-level scorer).
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    /// `zh_corner[i] = Some(j)`: the paragraphs that start at Chinese unit
    /// `i` and English unit `j` were aligned (the path should pass through
    /// `(i, j)`); `en_corner[j] = Some(i)` the same seen from English.
    pub zh_corner: Vec<Option<usize>>,
    pub en_corner: Vec<Option<usize>>,
    /// `zh_glue[i]`: Chinese unit `i` and unit `i + 1` belong together.
    pub zh_glue: Vec<bool>,
    pub en_glue: Vec<bool>,
}

impl Shape {
    /// Record that aligned paragraphs start at Chinese unit `i` and English
    /// unit `j`.
    pub(crate) fn corner(&mut self, n: usize, m: usize, i: usize, j: usize) {
        self.zh_corner.resize(n + 1, None);
        self.en_corner.resize(m + 1, None);
        self.zh_corner[i] = Some(j);
        self.en_corner[j] = Some(i);
    }

    /// The paragraph breaks that a bead does not respect: for each corner
    /// where aligned paragraphs meet, whether the bead runs across it on
    /// one side (a break inside the bead), or enters or leaves the
    /// corner's row (column) on the wrong side of its column (row). A path
    /// that passes through every corner pays nothing; a paragraph break
    /// moved by a sentence costs two (its row and its column), as does a
    /// bead that merges sentences across a break.
    pub(crate) fn break_mismatches(&self, zi: &Range<usize>, ej: &Range<usize>) -> usize {
        if self.zh_corner.is_empty() {
            return 0;
        }
        let side = |corner: &[Option<usize>], own: &Range<usize>, other: &Range<usize>| {
            let inside = (own.start + 1..own.end)
                .filter(|&k| corner[k].is_some())
                .count();
            if own.is_empty() {
                return inside;
            }
            let enters = corner[own.end].is_some_and(|c| other.end > c);
            let leaves = corner[own.start].is_some_and(|c| other.start < c);
            inside + usize::from(enters) + usize::from(leaves)
        };
        side(&self.zh_corner, zi, ej) + side(&self.en_corner, ej, zi)
    }

    /// Whether a bead ends between two glued sentences of one side while
    /// the other side's end is not glued too: a quotation cut where the
    /// other side most likely keeps it whole.
    fn cuts_glue(&self, zi: &Range<usize>, ej: &Range<usize>) -> bool {
        let cut =
            |glue: &[bool], end: usize| end > 0 && glue.get(end - 1).copied().unwrap_or(false);
        cut(&self.zh_glue, zi.end) != cut(&self.en_glue, ej.end)
    }
}

/// Which English ids each Chinese unit may stand for, restricted to the
/// pairs the dynamic programme can look at.
pub(crate) struct PairCache {
    /// First English unit of each Chinese unit's window.
    lo: Vec<usize>,
    /// One past the last English unit of the window.
    hi: Vec<usize>,
    /// Offset of the first pair of each Chinese unit's window in `offsets`.
    base: Vec<usize>,
    /// Offset of each pair's masks in `words` (Chinese mask, then English).
    offsets: Vec<usize>,
    words: Vec<u64>,
}

fn mask_words(tokens: usize) -> usize {
    tokens.div_ceil(64).max(1)
}

impl PairCache {
    /// Masks for each Chinese unit `i` against English units in
    /// `windows[i]`.
    pub(crate) fn build(zh: &ZhSide, en: &EnSide, windows: &[Range<usize>]) -> Self {
        let mut cache = PairCache {
            lo: Vec::with_capacity(windows.len()),
            hi: Vec::with_capacity(windows.len()),
            base: Vec::with_capacity(windows.len()),
            offsets: Vec::new(),
            words: Vec::new(),
        };
        for (i, w) in windows.iter().enumerate() {
            cache.lo.push(w.start);
            cache.hi.push(w.end);
            cache.base.push(cache.offsets.len());
            let zt = zh.units.tokens(i);
            let wz = mask_words(zt.len());
            for j in w.clone() {
                let et = en.units.tokens(j);
                let we = mask_words(et.len());
                let at = cache.words.len();
                cache.offsets.push(at);
                cache.words.resize(at + wz + we, 0);
                let (mz, me) = cache.words[at..at + wz + we].split_at_mut(wz);
                pair_masks(zh, en, i, j, mz, me);
            }
        }
        cache
    }

    /// The Chinese and English masks of pair `(i, j)`, if in the window.
    fn masks(&self, i: usize, j: usize, wz: usize, we: usize) -> Option<(&[u64], &[u64])> {
        if j < self.lo[i] || j >= self.hi[i] {
            return None;
        }
        let at = self.offsets[self.base[i] + j - self.lo[i]];
        Some((&self.words[at..at + wz], &self.words[at + wz..at + wz + we]))
    }
}

/// Mark in `mz` the tokens of Chinese unit `i` that have a translation in
/// English unit `j`, and in `me` the tokens of `j` that translate one of
/// `i` (masks zeroed by the caller, long enough for both units).
fn pair_masks(zh: &ZhSide, en: &EnSide, i: usize, j: usize, mz: &mut [u64], me: &mut [u64]) {
    let ids = &en.id[en.units.tokens(j)];
    if ids.is_empty() {
        return;
    }
    for (k, tk) in zh.units.tokens(i).enumerate() {
        let mut hit = false;
        for t in &zh.translations[tk] {
            if let Ok(p) = ids.binary_search(t) {
                hit = true;
                me[p / 64] |= 1 << (p % 64);
            }
        }
        if hit {
            mz[k / 64] |= 1 << (k % 64);
        }
    }
}

/// The share of a unit's content weight that finds a translation in a unit
/// of the other side that is *not* its counterpart, on each side: how much
/// lexical evidence to expect by chance. Estimated on pairs far from the
/// diagonal.
fn chance_shares(zh: &ZhSide, en: &EnSide) -> (f32, f32) {
    let (n, m) = (zh.units.count(), en.units.count());
    if n < 2 || m < 2 {
        return (0.05, 0.05);
    }
    let (mut tz, mut mz_sum, mut te, mut me_sum) = (0.0, 0.0, 0.0, 0.0);
    let mut mz = Vec::new();
    let mut me = Vec::new();
    let samples = 4000usize;
    let step = ((n * m) / samples).max(1);
    let mut k = 0;
    while k < n * m {
        let (i, j) = (k / m, k % m);
        k += step;
        let expected = (i as f32 + 0.5) * m as f32 / n as f32;
        if (j as f32 - expected).abs() < 2.5 + 0.02 * m as f32 {
            continue;
        }
        let wz = zh.units.tokens(i);
        let we = en.units.tokens(j);
        mz.clear();
        mz.resize(mask_words(wz.len()), 0);
        me.clear();
        me.resize(mask_words(we.len()), 0);
        pair_masks(zh, en, i, j, &mut mz, &mut me);
        tz += zh.weight[wz.clone()].iter().sum::<f32>();
        mz_sum += weighted(&mz, &zh.weight[wz]);
        te += en.weight[we.clone()].iter().sum::<f32>();
        me_sum += weighted(&me, &en.weight[we]);
    }
    let share = |m: f32, t: f32| {
        if t > 0.0 {
            (m / t).clamp(0.01, 0.5)
        } else {
            0.05
        }
    };
    (share(mz_sum, tz), share(me_sum, te))
}

/// What the scorer found about one bead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Eval {
    /// The cost the dynamic programme adds up.
    pub cost: f32,
    /// Share of the bead's content weight that found a translation.
    pub share: f32,
    /// Two-sided probability of the length difference (1 for a perfect fit).
    pub length_fit: f32,
    /// Matched content beyond chance, in average units.
    pub excess: f32,
}

/// Whether a scorer's units are sentences or paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Sentence,
    Paragraph,
}

/// The cost of each paragraph merged into a paragraph bead beyond the
/// first on each side: the prior odds of a 1–1 against a 2–1 or 1–2 bead in
/// Gale & Church (1993, table 5: 0.89 against 0.089 for both), ln 20. At
/// the sentence level, merges are common (a Chinese side cut into clauses)
/// and the prior is centred on the sentence-count ratio instead; translators
/// merge or split paragraphs much more rarely, and a sentence omitted or
/// added inside a paragraph must not be taken for one.
pub const PARAGRAPH_MERGE_COST: f32 = 3.0;

/// The most a 1–1 bead costs: a little less than leaving both its sentences
/// unaligned, so that between a free translation with no lexical evidence
/// and an omission next to an addition, the commoner event wins (Gale &
/// Church count 1–1 beads ninety times as often as 1–0 or 0–1 ones); the
/// bead then scores low and is flagged for review.
const ONE_TO_ONE_CAP_MARGIN: f32 = 0.01;

/// What a scorer knows besides the units: the weights, the texts' own
/// ratios and the level it scores at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Model {
    pub params: Params,
    /// English characters per Chinese character.
    pub char_ratio: f32,
    /// Chinese units per English unit.
    pub unit_ratio: f32,
    pub level: Level,
}

/// Scores beads over two sides.
pub(crate) struct Scorer<'a> {
    zh: &'a ZhSide,
    shape: &'a Shape,
    en: &'a EnSide,
    cache: PairCache,
    params: Params,
    /// English characters per Chinese character.
    char_ratio: f32,
    /// Chinese units per English unit.
    unit_ratio: f32,
    level: Level,
    /// Average content weight of a unit on each side.
    avg_zh: f32,
    avg_en: f32,
    /// Chance shares of matched content (see [`chance_shares`]).
    chance_zh: f32,
    chance_en: f32,
    scratch: Vec<u64>,
}

impl<'a> Scorer<'a> {
    pub(crate) fn new(
        zh: &'a ZhSide,
        en: &'a EnSide,
        windows: &[Range<usize>],
        model: Model,
        shape: &'a Shape,
    ) -> Self {
        let avg = |w: &[f32], n: usize| (w.iter().sum::<f32>() / n.max(1) as f32).max(1e-3);
        let (chance_zh, chance_en) = chance_shares(zh, en);
        Scorer {
            shape,
            chance_zh,
            chance_en,
            zh,
            en,
            cache: PairCache::build(zh, en, windows),
            params: model.params,
            char_ratio: model.char_ratio,
            unit_ratio: model.unit_ratio,
            level: model.level,
            avg_zh: avg(&zh.weight, zh.units.count()),
            avg_en: avg(&en.weight, en.units.count()),
            scratch: Vec::new(),
        }
    }

    /// The prior cost of an `a`–`b` bead.
    fn prior(&self, a: usize, b: usize) -> f32 {
        let p = &self.params;
        let ratio = (a as f32 / (b as f32 * self.unit_ratio)).ln().abs();
        let merged = match self.level {
            Level::Sentence => 0.0,
            Level::Paragraph => PARAGRAPH_MERGE_COST * (a + b).saturating_sub(2) as f32,
        };
        let size = if (a, b) == (2, 2) && self.level == Level::Sentence {
            p.crossing_cost
        } else {
            p.size_cost * (a.min(b) - 1) as f32
        };
        p.ratio_cost * ratio + size + merged
    }

    /// Score the bead of Chinese units `zi` and English units `ej`.
    pub(crate) fn eval(&mut self, zi: Range<usize>, ej: Range<usize>) -> Eval {
        let p = self.params;
        if zi.is_empty() || ej.is_empty() {
            let glue = if self.shape.cuts_glue(&zi, &ej) {
                p.glue
            } else {
                0.0
            };
            return Eval {
                cost: p.skip_cost * (zi.len() + ej.len()) as f32 + glue,
                share: 0.0,
                length_fit: 0.0,
                excess: 0.0,
            };
        }
        let mut eval = if (zi.len(), ej.len()) == (2, 2) && self.level == Level::Sentence {
            self.crossing(zi.clone(), ej.clone())
        } else {
            self.content(zi.clone(), ej.clone())
        };
        eval.cost += p.break_cost * self.shape.break_mismatches(&zi, &ej) as f32;
        if self.shape.cuts_glue(&zi, &ej) {
            eval.cost += p.glue;
        }
        eval
    }

    /// A 2–2 bead scored fairly against the best way to split it into 1–1
    /// beads (the two straight pairs, or one crossing pair and two
    /// unaligned sentences): the split's cost, plus
    /// [`Params::crossing_cost`], less the lexical evidence of the bead as
    /// a whole beyond what any split explains (and beyond what chance gives
    /// a bead of four sentences rather than two of two). Its share and
    /// length fit are those of the bead as a whole.
    fn crossing(&mut self, zi: Range<usize>, ej: Range<usize>) -> Eval {
        let p = self.params;
        let (z0, z1) = (zi.start..zi.start + 1, zi.start + 1..zi.end);
        let (e0, e1) = (ej.start..ej.start + 1, ej.start + 1..ej.end);
        let straight = [
            self.content(z0.clone(), e0.clone()),
            self.content(z1.clone(), e1.clone()),
        ];
        let crossed = [self.content(z0, e1), self.content(z1, e0)];
        let cost = (straight[0].cost + straight[1].cost)
            .min(crossed[0].cost + 2.0 * p.skip_cost)
            .min(crossed[1].cost + 2.0 * p.skip_cost);
        let explained = (straight[0].excess + straight[1].excess)
            .max(crossed[0].excess)
            .max(crossed[1].excess);
        let whole = self.content(zi, ej);
        let fair = cost + p.crossing_cost - p.lexical_weight * (whole.excess - explained);
        // When no split explains the sentences, the bead as a whole (at the
        // prior of a bead with two sentences on its short side).
        let own = whole.cost - p.crossing_cost + p.size_cost;
        Eval {
            cost: fair.min(own),
            ..whole
        }
    }

    /// One side of a bead, unit by unit (each pushed to `own` as its total
    /// and matched content weight), and its sums: a token of a unit of
    /// `units` (Chinese when `chinese`) is matched if any unit of `others`
    /// on the other side has it.
    fn coverage(
        &mut self,
        chinese: bool,
        units: Range<usize>,
        others: Range<usize>,
        own: &mut Vec<(f32, f32)>,
    ) -> (f32, f32) {
        let (zh, en) = (self.zh, self.en);
        let (this, weights, other) = if chinese {
            (&zh.units, &zh.weight, &en.units)
        } else {
            (&en.units, &en.weight, &zh.units)
        };
        let (mut totals, mut matches) = (0.0, 0.0);
        for u in units {
            let toks = this.tokens(u);
            let words = mask_words(toks.len());
            self.scratch.clear();
            self.scratch.resize(words, 0);
            for o in others.clone() {
                let other_words = mask_words(other.tokens(o).len());
                let masks = if chinese {
                    self.cache.masks(u, o, words, other_words).map(|(z, _)| z)
                } else {
                    self.cache.masks(o, u, other_words, words).map(|(_, e)| e)
                };
                for (s, m) in self.scratch.iter_mut().zip(masks.into_iter().flatten()) {
                    *s |= m;
                }
            }
            let weights = &weights[toks];
            let total: f32 = weights.iter().sum();
            let matched = weighted(&self.scratch, weights);
            totals += total;
            matches += matched;
            own.push((total, matched));
        }
        (totals, matches)
    }

    /// The cost of a bead from its content alone: type, lengths, lexical
    /// evidence.
    fn content(&mut self, zi: Range<usize>, ej: Range<usize>) -> Eval {
        let p = self.params;
        let (zh, en) = (self.zh, self.en);
        let merged = zi.len() + ej.len() > 2;
        let mut orphans = 0.0;
        let mut own: Vec<(f32, f32)> = Vec::new();
        // A token matches if any unit of the bead's other side has it.
        let (total_z, matched_z) = self.coverage(true, zi.clone(), ej.clone(), &mut own);
        let (total_e, matched_e) = self.coverage(false, ej.clone(), zi.clone(), &mut own);
        let share = (matched_z + matched_e) / (total_z + total_e).max(1e-3);
        if merged {
            let n_z = zi.len();
            for (k, &(total, matched)) in own.iter().enumerate() {
                let avg = if k < n_z { self.avg_zh } else { self.avg_en };
                let coverage = matched / total.max(1e-3);
                let size = (total / avg).min(2.0);
                orphans += size * (1.0 - coverage / 0.1).max(0.0);
            }
        }
        // Matches beyond what chance gives a bead of this shape.
        let chance = |rho: f32, others: usize| 1.0 - (1.0 - rho).powi(others as i32);
        let excess_z = matched_z - total_z * chance(self.chance_zh, ej.len());
        let excess_e = matched_e - total_e * chance(self.chance_en, zi.len());
        let size = (total_z / self.avg_zh + total_e / self.avg_en) / 2.0;
        let excess = (excess_z / self.avg_zh + excess_e / self.avg_en) / 2.0;
        let lexical = p.lexical_weight * (p.neutral_share * size - excess);
        // Gale–Church.
        let lz: f32 = zi.clone().map(|i| zh.units.len[i]).sum();
        let le: f32 = ej.clone().map(|j| en.units.len[j]).sum();
        let expected = self.char_ratio * lz;
        let delta = (le - expected) / (p.length_variance * (expected + le) / 2.0 + 1.0).sqrt();
        let (length_cost, length_fit) = two_sided(delta.abs());
        let cost = self.prior(zi.len(), ej.len())
            + p.length_weight * length_cost
            + lexical
            + p.orphan_cost * orphans;
        let cost = if zi.len() == 1 && ej.len() == 1 {
            cost.min(2.0 * p.skip_cost - ONE_TO_ONE_CAP_MARGIN)
        } else {
            cost
        };
        Eval {
            cost,
            share,
            length_fit,
            excess,
        }
    }
}

/// The sum of the weights of the set bits.
fn weighted(mask: &[u64], weights: &[f32]) -> f32 {
    let mut sum = 0.0;
    for (w, &m) in mask.iter().enumerate() {
        let mut m = m;
        while m != 0 {
            let k = m.trailing_zeros() as usize;
            sum += weights.get(w * 64 + k).copied().unwrap_or(0.0);
            m &= m - 1;
        }
    }
    sum
}

/// `-ln P(|Z| ≥ z)` for a standard normal Z, and the probability itself.
fn two_sided(z: f32) -> (f32, f32) {
    let z = f64::from(z);
    let p = erfc(z / std::f64::consts::SQRT_2);
    if p > 1e-12 {
        ((-p.ln()) as f32, p as f32)
    } else {
        // Asymptotic: erfc(x) ≈ exp(-x²) / (x √π).
        let x = z / std::f64::consts::SQRT_2;
        ((x * x + (x * std::f64::consts::PI.sqrt()).ln()) as f32, 0.0)
    }
}

/// The complementary error function (Numerical Recipes' erfcc, relative
/// error below 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_tails() {
        let (c, p) = two_sided(0.0);
        assert!(c.abs() < 1e-4 && (p - 1.0).abs() < 1e-4);
        let (_, p) = two_sided(1.96);
        assert!((p - 0.05).abs() < 1e-3);
        let (c, _) = two_sided(40.0);
        assert!(c > 700.0);
    }
}
