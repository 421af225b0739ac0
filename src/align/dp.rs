//! The dynamic programme: the cheapest sequence of beads through a band of
//! the (Chinese × English) grid.
//!
//! Small inputs use the whole grid. Larger ones use a band around a rough
//! path: pairs of units that share rare evidence (a number, a Latin token, a
//! word whose translations are rare in the English text) are anchors; the
//! heaviest chain of anchors that runs forward on both sides, joined by
//! straight lines, is the path, and the band is [`MIN_BAND`] units either
//! side of it, or a tenth of the distance between the anchors around it if
//! that is more (with no anchor, that is a tenth of the text either side of
//! the length-proportional diagonal). When the best path touches the edge
//! of the band, the band is doubled and the programme run again.

use std::collections::HashMap;
use std::ops::Range;

use super::score::{EnSide, Eval, Model, Scorer, Shape, ZhSide};

/// The least half-width of the band, in units.
pub const MIN_BAND: usize = 30;

/// Grids up to this many cells are searched whole.
const FULL_GRID: usize = 300_000;

/// A bead found by the programme: units of each side, and its score.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub zh: Range<usize>,
    pub en: Range<usize>,
    pub eval: Eval,
    /// How much more the cheapest other way through the bead's
    /// neighbourhood costs (from the start of the bead before it to the end
    /// of the bead after it, without this bead): a close call is small.
    pub margin: f32,
}

/// For each row `i` (Chinese units consumed, `0..=n`), the columns `lo..=hi`
/// (English units consumed) the programme may visit.
#[derive(Debug, Clone)]
pub(crate) struct Band {
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
}

impl Band {
    fn full(n: usize, m: usize) -> Self {
        Band {
            lo: vec![0; n + 1],
            hi: vec![m; n + 1],
        }
    }

    /// A band around a path given as a centre column and half-width per
    /// row; made monotone so that it is connected.
    fn around(centre: &[f32], width: &[f32], m: usize) -> Self {
        let n = centre.len() - 1;
        let mut lo: Vec<usize> = centre
            .iter()
            .zip(width)
            .map(|(&c, &w)| (c - w).floor().max(0.0) as usize)
            .collect();
        let mut hi: Vec<usize> = centre
            .iter()
            .zip(width)
            .map(|(&c, &w)| ((c + w).ceil().max(0.0) as usize).min(m))
            .collect();
        lo[0] = 0;
        hi[n] = m;
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 1..=n {
            hi[i] = hi[i].max(hi[i - 1]);
        }
        for i in 0..=n {
            lo[i] = lo[i].min(hi[i]);
        }
        Band { lo, hi }
    }

    /// A band that covers blocks of the grid (aligned groups of
    /// paragraphs, as Chinese and English unit ranges) and `margin` units
    /// around each, so that a bead may cross the blocks' corners.
    pub(crate) fn around_blocks(
        blocks: &[(Range<usize>, Range<usize>)],
        margin: usize,
        n: usize,
        m: usize,
    ) -> Self {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0; n + 1];
        for (z, e) in blocks {
            let rows = z.start.saturating_sub(margin)..=(z.end + margin).min(n);
            let (l, h) = (e.start.saturating_sub(margin), (e.end + margin).min(m));
            for i in rows {
                lo[i] = lo[i].min(l);
                hi[i] = hi[i].max(h);
            }
        }
        let centre: Vec<f32> = lo
            .iter()
            .zip(&hi)
            .map(|(&l, &h)| if l > h { 0.0 } else { (l + h) as f32 / 2.0 })
            .collect();
        let width: Vec<f32> = lo
            .iter()
            .zip(&hi)
            .map(|(&l, &h)| if l > h { 0.0 } else { (h - l) as f32 / 2.0 })
            .collect();
        Band::around(&centre, &width, m)
    }

    fn cells(&self) -> usize {
        self.lo.iter().zip(&self.hi).map(|(l, h)| h - l + 1).sum()
    }
}

/// Align `zh` and `en` with the given bead types; returns the beads in
/// order, covering both sides exactly.
///
/// Within `band` when the caller gives one (around aligned paragraphs); if
/// the best path there runs along the band's edge, the band was wrong and
/// the whole text is aligned as without one.
pub(crate) fn align(
    zh: &ZhSide,
    en: &EnSide,
    types: &[(usize, usize)],
    model: Model,
    shape: &Shape,
    band: Option<&Band>,
) -> Vec<Step> {
    let (n, m) = (zh.units.count(), en.units.count());
    if let Some(band) = band
        && n > 0
        && m > 0
        && band.lo.len() == n + 1
    {
        let steps = run(zh, en, types, model, shape, band);
        if !touches_edge(&steps, band, m) {
            return steps;
        }
    }
    if n == 0 || m == 0 {
        let skip = Eval {
            cost: model.params.skip_cost,
            share: 0.0,
            length_fit: 0.0,
            excess: 0.0,
        };
        let zh_only = (0..n).map(|i| (i..i + 1, 0..0));
        let en_only = (0..m).map(|j| (0..0, j..j + 1));
        return zh_only
            .chain(en_only)
            .map(|(zh, en)| Step {
                zh,
                en,
                eval: skip,
                margin: f32::INFINITY,
            })
            .collect();
    }
    let full = (n + 1) * (m + 1) <= FULL_GRID;
    let (centre, mut width) = if full {
        (Vec::new(), Vec::new())
    } else {
        rough_path(zh, en)
    };
    loop {
        let band = if full || width.iter().all(|&w| w >= m as f32) {
            Band::full(n, m)
        } else {
            Band::around(&centre, &width, m)
        };
        let steps = run(zh, en, types, model, shape, &band);
        let whole = band.cells() == (n + 1) * (m + 1);
        if whole || !touches_edge(&steps, &band, m) {
            return steps;
        }
        for w in &mut width {
            *w *= 2.0;
        }
    }
}

/// Whether a path runs along the edge of the band (not of the grid).
fn touches_edge(steps: &[Step], band: &Band, m: usize) -> bool {
    steps.iter().any(|s| {
        let (i, j) = (s.zh.end, s.en.end);
        (j == band.lo[i] && j > 0) || (j == band.hi[i] && j < m)
    })
}

/// The programme over one band.
fn run(
    zh: &ZhSide,
    en: &EnSide,
    types: &[(usize, usize)],
    model: Model,
    shape: &Shape,
    band: &Band,
) -> Vec<Step> {
    let (n, m) = (zh.units.count(), en.units.count());
    let max_a = types.iter().map(|t| t.0).max().unwrap_or(1);
    let max_b = types.iter().map(|t| t.1).max().unwrap_or(1);
    // The English units each Chinese unit can meet in a bead.
    let windows: Vec<Range<usize>> = (0..n)
        .map(|i| {
            let lo = band.lo[i + 1].saturating_sub(max_b);
            let hi = band.hi[(i + max_a).min(n)].min(m);
            lo..hi.max(lo)
        })
        .collect();
    let mut scorer = Scorer::new(zh, en, &windows, model, shape);
    let mut offset = Vec::with_capacity(n + 2);
    offset.push(0);
    for i in 0..=n {
        offset.push(offset[i] + band.hi[i] - band.lo[i] + 1);
    }
    let cells = offset[n + 1];
    let mut cost = vec![f32::INFINITY; cells];
    let mut back = vec![u8::MAX; cells];
    let at = |i: usize, j: usize| -> Option<usize> {
        (j >= band.lo[i] && j <= band.hi[i]).then(|| offset[i] + j - band.lo[i])
    };
    cost[0] = 0.0;
    for (i, (&lo, &hi)) in band.lo.iter().zip(&band.hi).enumerate() {
        for j in lo..=hi {
            let here = offset[i] + j - lo;
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = f32::INFINITY;
            let mut best_t = u8::MAX;
            for (t, &(a, b)) in types.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                let Some(prev) = at(i - a, j - b) else {
                    continue;
                };
                let before = cost[prev];
                if !before.is_finite() {
                    continue;
                }
                let c = before + scorer.eval(i - a..i, j - b..j).cost;
                if c < best {
                    best = c;
                    best_t = t as u8;
                }
            }
            cost[here] = best;
            back[here] = best_t;
        }
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(here) = at(i, j) else { break };
        let Some(&(a, b)) = types.get(back[here] as usize) else {
            break;
        };
        let eval = scorer.eval(i - a..i, j - b..j);
        steps.push(Step {
            zh: i - a..i,
            en: j - b..j,
            eval,
            margin: f32::INFINITY,
        });
        i -= a;
        j -= b;
    }
    steps.reverse();
    margins(&mut steps, types, &mut scorer);
    steps
}

/// Fill in each step's [`Step::margin`]: the cheapest path from the start
/// of the step before it to the end of the step after it that does not use
/// it, less the cost of the path found, by a small programme over that box
/// of the grid.
fn margins(steps: &mut [Step], types: &[(usize, usize)], scorer: &mut Scorer) {
    for k in 0..steps.len() {
        let from = &steps[k.saturating_sub(1)];
        let to = &steps[(k + 1).min(steps.len() - 1)];
        let (i0, j0) = (from.zh.start, from.en.start);
        let (i1, j1) = (to.zh.end, to.en.end);
        let found: f32 = steps[k.saturating_sub(1)..=(k + 1).min(steps.len() - 1)]
            .iter()
            .map(|s| s.eval.cost)
            .sum();
        let (h, w) = (i1 - i0, j1 - j0);
        let mut cost = vec![f32::INFINITY; (h + 1) * (w + 1)];
        cost[0] = 0.0;
        for i in 0..=h {
            for j in 0..=w {
                if i == 0 && j == 0 {
                    continue;
                }
                let mut best = f32::INFINITY;
                for &(a, b) in types {
                    if a > i || b > j {
                        continue;
                    }
                    let (zi, ej) = (i0 + i - a..i0 + i, j0 + j - b..j0 + j);
                    if zi == steps[k].zh && ej == steps[k].en {
                        continue;
                    }
                    let before = cost[(i - a) * (w + 1) + j - b];
                    if before.is_finite() {
                        best = best.min(before + scorer.eval(zi, ej).cost);
                    }
                }
                cost[i * (w + 1) + j] = best;
            }
        }
        steps[k].margin = (cost[(h + 1) * (w + 1) - 1] - found).max(0.0);
    }
}

/// A rough path through the grid from anchors: returns, per row, the
/// centre column and the band half-width.
fn rough_path(zh: &ZhSide, en: &EnSide) -> (Vec<f32>, Vec<f32>) {
    let (n, m) = (zh.units.count(), en.units.count());
    let slope = m as f32 / n as f32;
    let reach = (0.15 * n.max(m) as f32).max(2.0 * MIN_BAND as f32);
    // Rare English ids: where they occur.
    let mut postings: HashMap<u32, Vec<u32>> = HashMap::new();
    for j in 0..m {
        for k in en.units.tokens(j) {
            postings.entry(en.id[k]).or_default().push(j as u32);
        }
    }
    postings.retain(|_, js| js.len() <= 3);
    let mut votes: HashMap<(u32, u32), f32> = HashMap::new();
    for i in 0..n {
        let expected = i as f32 * slope;
        let mut seen: Vec<(u32, u32)> = Vec::new();
        for k in zh.units.tokens(i) {
            for t in &zh.translations[k] {
                let Some(js) = postings.get(t) else { continue };
                for &j in js {
                    if (j as f32 - expected).abs() > reach || seen.contains(&(j, *t)) {
                        continue;
                    }
                    seen.push((j, *t));
                    *votes.entry((i as u32, j)).or_default() += zh.weight[k] / js.len() as f32;
                }
            }
        }
    }
    let mut anchors: Vec<(u32, u32, f32)> = votes
        .into_iter()
        .filter(|&(_, v)| v >= 3.0)
        .map(|((i, j), v)| (i, j, v))
        .collect();
    anchors.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let chain = heaviest_chain(&anchors, m);
    // Straight lines between (0, 0), the anchors and (n, m).
    let mut points: Vec<(f32, f32)> = vec![(0.0, 0.0)];
    points.extend(chain.iter().map(|&(i, j)| (i as f32 + 0.5, j as f32 + 0.5)));
    points.push((n as f32, m as f32));
    let mut centre = vec![0.0; n + 1];
    let mut width = vec![0.0; n + 1];
    let mut seg = 0;
    for (i, (c, w)) in centre.iter_mut().zip(width.iter_mut()).enumerate() {
        let x = i as f32;
        while seg + 2 < points.len() && points[seg + 1].0 < x {
            seg += 1;
        }
        let (a, b) = (points[seg], points[seg + 1]);
        let t = if b.0 > a.0 {
            (x - a.0) / (b.0 - a.0)
        } else {
            1.0
        };
        *c = a.1 + t.clamp(0.0, 1.0) * (b.1 - a.1);
        let gap = (b.0 - a.0).max(b.1 - a.1);
        *w = (MIN_BAND as f32).max(0.1 * gap);
    }
    (centre, width)
}

/// The heaviest chain of anchors increasing in both coordinates (anchors
/// sorted by row, then column descending), by a Fenwick tree of prefix
/// maxima over columns.
fn heaviest_chain(anchors: &[(u32, u32, f32)], m: usize) -> Vec<(u32, u32)> {
    let mut tree: Vec<(f32, usize)> = vec![(0.0, usize::MAX); m + 2];
    let mut best: Vec<(f32, usize)> = Vec::with_capacity(anchors.len());
    for (k, &(_, j, w)) in anchors.iter().enumerate() {
        // Best chain ending in a column < j.
        let mut q = j as usize;
        let mut prev = (0.0, usize::MAX);
        while q > 0 {
            if tree[q].0 > prev.0 {
                prev = tree[q];
            }
            q &= q - 1;
        }
        let total = prev.0 + w;
        best.push((total, prev.1));
        let mut q = j as usize + 1;
        while q < tree.len() {
            if total > tree[q].0 {
                tree[q] = (total, k);
            }
            q += q & q.wrapping_neg();
        }
    }
    let Some(mut k) = (0..best.len()).max_by(|&a, &b| best[a].0.total_cmp(&best[b].0)) else {
        return Vec::new();
    };
    let mut chain = Vec::new();
    loop {
        chain.push((anchors[k].0, anchors[k].1));
        match best[k].1 {
            usize::MAX => break,
            p => k = p,
        }
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_runs_forward_on_both_sides() {
        let anchors = [
            (0, 5, 1.0),
            (1, 1, 1.0),
            (2, 2, 1.0),
            (3, 0, 5.0),
            (4, 3, 1.0),
        ];
        let chain = heaviest_chain(&anchors, 6);
        assert_eq!(chain, [(3, 0), (4, 3)]);
        let anchors = [(0, 0, 1.0), (1, 1, 1.0), (2, 2, 1.0), (3, 0, 1.5)];
        assert_eq!(heaviest_chain(&anchors, 3), [(0, 0), (1, 1), (2, 2)]);
    }

    #[test]
    fn band_is_monotone_and_reaches_the_corners() {
        let band = Band::around(&[0.0, 3.0, 1.0, 9.0], &[1.0, 1.0, 1.0, 1.0], 9);
        assert_eq!(band.lo, [0, 0, 0, 8]);
        assert_eq!(band.hi, [1, 4, 4, 9]);
    }
}
