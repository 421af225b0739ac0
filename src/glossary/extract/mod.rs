//! Term extraction: propose glossary entries from a corpus
//! (`bitext glossary extract`).
//!
//! Candidates are character n-grams of 2 to [`ExtractOptions::max_len`]
//! characters inside clauses (punctuation, digits, Latin letters and white
//! space end a clause), seen at least [`ExtractOptions::min_freq`] times.
//! No glossary is consulted to find or rank them; a glossary can only mark
//! the ones it already has ([`mark_known`]).
//!
//! 1. **Edges.** A candidate may not begin or end with a function
//!    character (的 了 和 在 是 等 对 与 …), nor hold a lone particle,
//!    preposition or conjunction: these are the single-character words that
//!    jieba's dictionary tags as particles, prepositions, conjunctions,
//!    pronouns, adverbs, modal particles, suffixes or locatives, and its most
//!    frequent single-character verbs, whenever jieba cuts them off as words
//!    of their own in the candidate (地 is a particle, but 地质队 keeps it).
//! 2. **Unithood.** Every way of cutting the candidate in two must have a
//!    pointwise mutual information of at least [`rank::MIN_PMI`], and its
//!    left and right neighbours must vary (branching entropy at least
//!    [`rank::MIN_ENTROPY`] on each side; the start and end of a clause count
//!    as a new neighbour each time): the "new word discovery" method.
//! 3. **Termhood.** The C-value of Frantzi, Ananiadou and Mima (2000):
//!    log₂ of the length times the frequency, less the mean frequency of
//!    the longer candidates it is nested in, so that 资源部 inside 国土资源部
//!    scores nothing of its own.
//! 4. **Score.** The C-value times the share of occurrences that jieba cuts
//!    at both edges of the candidate, divided by √(1 + f/1000) where f is
//!    the candidate's frequency in general language (jieba's dictionary), and
//!    times [`rank::UNKNOWN_BOOST`] when CC-CEDICT does not know it.
//!
//! Targets come from aligned bitext ([`aligned`]: the English n-gram most
//! associated with the candidate over the aligned segments, by Dice), or
//! else from a translation backend ([`propose_with_backend`]), and are
//! marked as such. [`write()`] gives a TSV or TBX glossary that `--glossary`
//! loads as it is, every entry noted as proposed.
//!
//! Counting is level by level with bounded tables (see `count.rs` in the
//! source): a 20 MB corpus takes seconds and no more memory than the
//! dictionaries and the corpus itself.
//!
//! ```no_run
//! use bitext::backend::dictionary::gloss::Glosser;
//! use bitext::glossary::extract::{Corpus, ExtractOptions, extract};
//! use bitext::segment::Segmenter;
//!
//! let glosser = Glosser::load();
//! let text = std::fs::read_to_string("article.txt")?;
//! let corpus = Corpus::from_text(&text, &Segmenter::default(), glosser.jieba())?;
//! let candidates = extract(&corpus, &glosser, &ExtractOptions::default());
//! // Ranked, with their statistics; serialise them for a snapshot test.
//! println!("{}", serde_json::to_string_pretty(&candidates[..10])?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod aligned;
mod corpus;
mod count;
mod propose;
pub mod rank;

pub use aligned::{AlignedPair, read_aligned, render_from_aligned, same_rendering};
pub use corpus::Corpus;
pub use propose::propose_with_backend;

use std::io::{self, Write};

use count::Counts;

use super::{Entry, Glossary};
use crate::backend::dictionary::gloss::Glosser;

/// How many candidates to keep, how frequent and how long they may be.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExtractOptions {
    /// The most candidates returned (`--top`).
    pub top: usize,
    /// The fewest occurrences a candidate needs (`--min-freq`).
    pub min_freq: u32,
    /// The longest candidate, in characters.
    pub max_len: usize,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            top: 200,
            min_freq: 2,
            max_len: 10,
        }
    }
}

impl ExtractOptions {
    /// The defaults with `top` and `min_freq` set.
    pub fn new(top: usize, min_freq: u32) -> Self {
        ExtractOptions {
            top,
            min_freq,
            ..ExtractOptions::default()
        }
    }
}

/// A proposed glossary term, with the statistics it was ranked by.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// 1-based rank.
    pub rank: usize,
    /// The term.
    pub source: String,
    /// Its occurrences in the corpus.
    pub frequency: u32,
    /// The ranking score (see the [module documentation](self)).
    pub score: f64,
    /// What the score is made of.
    pub stats: Stats,
    /// The proposed English, once found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Proposal>,
    /// The glossary entry it already has, if marked by [`mark_known`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<Known>,
}

/// The statistics of a candidate (rounded to three decimals).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    /// The smallest pointwise mutual information over the ways of cutting it
    /// in two (natural log).
    pub pmi: f64,
    /// The entropy of its left neighbours (nats).
    pub left_entropy: f64,
    /// The entropy of its right neighbours (nats).
    pub right_entropy: f64,
    /// Its C-value.
    pub c_value: f64,
    /// How many longer candidates contain it.
    pub nested_in: u32,
    /// The share of its occurrences that jieba cuts at both edges.
    pub word_boundaries: f64,
    /// Its frequency in general language (jieba's dictionary; 0 if absent).
    pub general_frequency: u64,
    /// Whether CC-CEDICT has it as a headword.
    pub in_cedict: bool,
}

/// A proposed target and where it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Proposal {
    /// The English.
    pub text: String,
    /// Other renderings found, best first.
    pub variants: Vec<String>,
    /// Where it came from.
    pub origin: TargetOrigin,
}

/// Where a proposed target came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum TargetOrigin {
    /// Mined from aligned bitext.
    Aligned {
        /// The Dice coefficient of the candidate and the English n-gram over
        /// the aligned segments.
        dice: f64,
        /// Aligned segments that hold both.
        support: u32,
        /// Aligned segments that hold the candidate.
        segments: u32,
    },
    /// A machine proposal of a translation backend.
    Machine {
        /// The backend's name.
        backend: String,
    },
}

/// A glossary entry a candidate already has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Known {
    /// The glossary's files.
    pub glossary: String,
    /// The entry's target.
    pub target: String,
}

/// Rank the term candidates of `corpus`: the best [`ExtractOptions::top`],
/// without targets. `glosser` gives CC-CEDICT (for the unknown-word boost)
/// and jieba (for stop characters and word boundaries).
pub fn extract(corpus: &Corpus, glosser: &Glosser, options: &ExtractOptions) -> Vec<Candidate> {
    let counts = Counts::count(corpus, options.min_freq, options.max_len);
    rank::rank(corpus, &counts, glosser.cedict(), glosser.jieba(), options)
}

/// Mark the candidates `glossary` already has an entry for.
pub fn mark_known(candidates: &mut [Candidate], glossary: &Glossary) {
    let by_source: std::collections::HashMap<&str, &Entry> = glossary
        .entries()
        .iter()
        .map(|e| (e.source.as_str(), e))
        .collect();
    let name = glossary.names().join(", ");
    for c in candidates {
        c.known = by_source.get(c.source.as_str()).map(|e| Known {
            glossary: name.clone(),
            target: e.target.clone(),
        });
    }
}

/// Glossary output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TSV with the full header.
    Tsv,
    /// TBX 2008.
    Tbx,
}

/// The glossary entries of the candidates that have a target, in rank
/// order, each noted as proposed with its frequency, score and the origin of
/// its target.
pub fn entries(candidates: &[Candidate]) -> Vec<Entry> {
    candidates
        .iter()
        .filter_map(|c| {
            let target = c.target.as_ref()?;
            Some(Entry {
                source: c.source.clone(),
                target: target.text.clone(),
                variants: target.variants.clone(),
                note: note(c, target),
                case_sensitive: false,
                do_not_translate: false,
                forbidden: Vec::new(),
                origin: format!("extract:{}", c.rank),
            })
        })
        .collect()
}

/// The note of a proposed entry.
fn note(c: &Candidate, target: &Proposal) -> String {
    let origin = match &target.origin {
        TargetOrigin::Aligned {
            dice,
            support,
            segments,
        } => format!(
            "target from aligned text (Dice {dice:.2}, in {support} of the {segments} segments with the term)"
        ),
        TargetOrigin::Machine { backend } => {
            format!("target a machine proposal ({backend} backend)")
        }
    };
    let known = c
        .known
        .as_ref()
        .map(|k| format!("; already in {} as '{}'", k.glossary, k.target))
        .unwrap_or_default();
    format!(
        "proposed by bitext glossary extract, to review: rank {}, frequency {}, score {:.2}; {origin}{known}",
        c.rank, c.frequency, c.score
    )
}

/// Write the candidates that have a target as a glossary (see [`entries`]).
pub fn write(
    candidates: &[Candidate],
    format: Format,
    source_lang: &str,
    target_lang: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let glossary = Glossary::from_entries(vec!["extract".into()], entries(candidates))
        .map_err(io::Error::other)?;
    match format {
        Format::Tsv => glossary.write_tsv(out),
        Format::Tbx => glossary.write_tbx(source_lang, target_lang, out),
    }
}
