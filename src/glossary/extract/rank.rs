//! From counted n-grams to ranked term candidates: edge filtering,
//! unithood (PMI and branching entropy) and termhood (C-value).

use jieba_rs::Jieba;

use super::corpus::Corpus;
use super::count::{Counts, FpMap, fingerprint};
use super::{Candidate, ExtractOptions, Stats};
use crate::backend::dictionary::cedict::Cedict;

/// A candidate is a unit only if every way of cutting it in two has at
/// least this pointwise mutual information (natural log): its parts occur
/// together e¹ ≈ 2.7 times more often than chance would have them.
pub const MIN_PMI: f64 = 1.0;

/// A candidate is a unit only if its neighbours on each side vary at least
/// this much (branching entropy, in nats; two different neighbours in two
/// occurrences give ln 2 ≈ 0.69). A fragment of a longer word has always
/// the same neighbour on one side, and an entropy of 0 there.
pub const MIN_ENTROPY: f64 = 0.5;

/// The score of a string CC-CEDICT does not know is multiplied by this:
/// new coinages and proper names are what a glossary needs most.
pub const UNKNOWN_BOOST: f64 = 1.5;

/// The general-language frequency (jieba's dictionary count) at which the
/// score is divided by √2; everyday words (工作, 问题: tens of thousands)
/// sink, rare and unknown ones keep their score.
pub const GENERAL_SCALE: f64 = 1000.0;

/// The jieba tags of single characters that are function words: particles
/// (`u*`), prepositions, conjunctions, pronouns, adverbs, modal particles,
/// interjections, onomatopoeia, suffixes (们) and locatives (上, 中).
const EDGE_TAGS: &[&str] = &[
    "u", "uj", "ul", "uz", "ug", "uv", "ud", "p", "c", "r", "d", "y", "e", "o", "k", "f",
];

/// The tags of the function words that also end a candidate when they stand
/// alone inside it (的, 和, 于 …): particles, prepositions and conjunctions.
const INNER_TAGS: &[&str] = &[
    "u", "uj", "ul", "uz", "ug", "uv", "ud", "p", "c", "y", "e", "o",
];

/// A single-character verb at least this frequent in jieba's dictionary (是,
/// 有, 说, 到, 来, 要) is a stop character too.
const FREQUENT_VERB: usize = 150_000;

const EDGE: u8 = 1;
const INNER: u8 = 2;

/// What the dictionaries say about each character of the corpus: whether it
/// is a stop character at an edge ([`EDGE`]) or inside ([`INNER`]).
fn char_classes(corpus: &Corpus, jieba: &Jieba) -> Vec<u8> {
    (0..corpus.alphabet_len() as u32)
        .map(|id| {
            let c = corpus.char_of(id).to_string();
            let tags = jieba.tag(&c, false);
            let tag = tags.first().map_or("x", |t| t.tag);
            let frequent_verb = tag == "v"
                && jieba.has_word(&c)
                && jieba.suggest_freq(&c).saturating_sub(1) >= FREQUENT_VERB;
            let mut class = 0;
            if EDGE_TAGS.contains(&tag) || frequent_verb {
                class |= EDGE;
            }
            if INNER_TAGS.contains(&tag) || frequent_verb {
                class |= INNER;
            }
            class
        })
        .collect()
}

/// Whether a candidate has no stop character at its edges and no lone
/// particle, preposition or conjunction inside, as jieba cuts it: 的薄弱环节
/// and 形成了 fail, 地质队 (地 begins the word 地质) and 对外开放 pass.
fn clean_edges(text: &str, ids: &[u32], corpus: &Corpus, classes: &[u8], jieba: &Jieba) -> bool {
    let class = |id: u32| classes[id as usize];
    let n = ids.len();
    let suspect = class(ids[0]) & EDGE != 0
        || class(ids[n - 1]) & EDGE != 0
        || ids[1..n - 1].iter().any(|&id| class(id) & INNER != 0);
    if !suspect {
        return true;
    }
    // A token of one character that is a stop character.
    let lone = |word: &str, mask: u8| {
        let mut chars = word.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => corpus.id_of(c).is_some_and(|id| class(id) & mask != 0),
            _ => false,
        }
    };
    let tokens = jieba.cut(text, false);
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return true;
    };
    if lone(first.word, EDGE) || lone(last.word, EDGE) {
        return false;
    }
    tokens.len() < 3
        || !tokens[1..tokens.len() - 1]
            .iter()
            .any(|t| lone(t.word, INNER))
}

/// Whether jieba tags the first or last word of `text` (of any length) with
/// a function-word tag: 分别 in 党员分别, 通过 in 通过召开.
fn function_word_at_edge(text: &str, jieba: &Jieba) -> bool {
    let tags = jieba.tag(text, false);
    let function = |t: Option<&jieba_rs::Tag<'_>>| t.is_some_and(|t| EDGE_TAGS.contains(&t.tag));
    function(tags.first()) || function(tags.last())
}

/// An n-gram that passed the edge filter.
struct Entry {
    pos: usize,
    len: usize,
    count: u32,
    agree: u32,
    s_left: f32,
    s_right: f32,
    /// Σ f(b) over the longer candidates b that contain it, and how many.
    nested_sum: u64,
    nested_in: u32,
}

/// Score the counted n-grams and return the best `options.top` candidates,
/// ranked.
pub(super) fn rank(
    corpus: &Corpus,
    counts: &Counts,
    cedict: &Cedict,
    jieba: &Jieba,
    options: &ExtractOptions,
) -> Vec<Candidate> {
    let text = corpus.ids();
    let classes = char_classes(corpus, jieba);
    let mut entries: Vec<Entry> = Vec::new();
    // Per length: fingerprint → index in `entries`.
    let mut index: Vec<FpMap<u32>> = (0..=options.max_len).map(|_| FpMap::default()).collect();
    for len in 2..=options.max_len.min(counts.levels.len() - 1) {
        let mut level: Vec<(&u64, _)> = counts.levels[len].iter().collect();
        // A stable order, whatever the hash table's.
        level.sort_unstable_by_key(|(_, g)| g.pos);
        for (&h, g) in level {
            let pos = g.pos as usize;
            let ids = &text[pos..pos + len];
            if !clean_edges(&corpus.string(pos, len), ids, corpus, &classes, jieba) {
                continue;
            }
            index[len].insert(h, entries.len() as u32);
            entries.push(Entry {
                pos,
                len,
                count: g.count,
                agree: g.agree,
                s_left: g.s_left,
                s_right: g.s_right,
                nested_sum: 0,
                nested_in: 0,
            });
        }
    }
    // C-value: each candidate is discounted by the candidates that contain it.
    let mut inside: Vec<u32> = Vec::new();
    for b in 0..entries.len() {
        let (pos, len, count) = (entries[b].pos, entries[b].len, entries[b].count);
        inside.clear();
        for sub in 2..len {
            for start in pos..=pos + len - sub {
                if let Some(&a) = index[sub].get(&fingerprint(&text[start..start + sub])) {
                    inside.push(a);
                }
            }
        }
        inside.sort_unstable();
        inside.dedup();
        for &a in &inside {
            entries[a as usize].nested_sum += u64::from(count);
            entries[a as usize].nested_in += 1;
        }
    }
    let total = corpus.han_chars() as f64;
    let mut ranked: Vec<Candidate> = Vec::new();
    for e in &entries {
        let ids = &text[e.pos..e.pos + e.len];
        let f = f64::from(e.count);
        let pmi = (1..e.len)
            .map(|k| {
                let left = f64::from(counts.count_of(&ids[..k]));
                let right = f64::from(counts.count_of(&ids[k..]));
                (f * total / (left * right)).ln()
            })
            .fold(f64::INFINITY, f64::min);
        let left_entropy = f.ln() - f64::from(e.s_left) / f;
        let right_entropy = f.ln() - f64::from(e.s_right) / f;
        if pmi < MIN_PMI || left_entropy.min(right_entropy) < MIN_ENTROPY {
            continue;
        }
        let nested = if e.nested_in > 0 {
            e.nested_sum as f64 / f64::from(e.nested_in)
        } else {
            0.0
        };
        let c_value = (e.len as f64).log2() * (f - nested);
        if c_value <= 0.0 {
            continue;
        }
        let source = corpus.string(e.pos, e.len);
        if function_word_at_edge(&source, jieba) {
            continue;
        }
        let in_cedict = cedict.contains(&source);
        let general_frequency = if jieba.has_word(&source) {
            jieba.suggest_freq(&source).saturating_sub(1) as u64
        } else {
            0
        };
        let word_boundaries = f64::from(e.agree) / f;
        let score = c_value
            * word_boundaries
            * (1.0 + general_frequency as f64 / GENERAL_SCALE)
                .sqrt()
                .recip()
            * if in_cedict { 1.0 } else { UNKNOWN_BOOST };
        if score <= 0.0 {
            continue;
        }
        ranked.push(Candidate {
            rank: 0,
            source,
            frequency: e.count,
            score: round(score),
            stats: Stats {
                pmi: round(pmi),
                left_entropy: round(left_entropy.max(0.0)),
                right_entropy: round(right_entropy.max(0.0)),
                c_value: round(c_value),
                nested_in: e.nested_in,
                word_boundaries: round(word_boundaries),
                general_frequency,
                in_cedict,
            },
            target: None,
            known: None,
        });
    }
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.source.cmp(&b.source))
    });
    ranked.truncate(options.top);
    for (i, c) in ranked.iter_mut().enumerate() {
        c.rank = i + 1;
    }
    ranked
}

/// `x` to three decimals, so that the statistics print and snapshot stably.
pub(super) fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
