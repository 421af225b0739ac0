//! Sentence alignment of a Chinese text and its existing English
//! translation (`bitext align`).
//!
//! The Chinese side is split by [`crate::segment`], the English side by
//! [`EnglishSplitter`]. [`align`] then finds the cheapest sequence of
//! *beads* — groups of consecutive sentences, 1–1, 2–1, 1–2, 2–2, 1–0, 0–1,
//! and longer ones such as 3–1 and 1–3 — with a dynamic programme over a
//! band of the grid (`dp`). A bead's cost (`score`) combines its type,
//! a Gale–Church length model calibrated on the texts' own ratio of English
//! to Chinese characters, and lexical evidence ([`lexicon`]): CC-CEDICT
//! translations of the Chinese words found in the English, glossary terms,
//! numbers and dates in normalised form, Latin tokens and names. A machine
//! translation of the Chinese side, when one is given, is evidence too.
//!
//! When both texts have paragraphs in similar numbers, the paragraphs are
//! aligned first (with a prior that makes paragraph merges rare); the
//! aligned groups give a band of the sentence grid and the corners where
//! aligned paragraphs meet, and the sentences are aligned as one run within
//! the band: a bead may cross a paragraph break, paying
//! [`Params::break_cost`], and is marked [`Bead::break_mismatch`]. When one
//! side lost its paragraph breaks, the texts are aligned as one run of
//! sentences. When both sides have paragraphs, a paragraph's first sentence
//! matches the other side's paragraph starts, as a word would. Dialogue
//! glues sentences (`glue`): a speech attribution between two parts of one
//! quotation, a quotation the Chinese segmenter cut at an ellipsis.
//!
//! Every sentence of both sides is in exactly one bead, in order; sentences
//! without a counterpart are 1–0 or 0–1 beads, never dropped. [`units`]
//! turns beads into the [`Unit`]s that every writer renders.
//!
//! ```
//! use bitext::align::{align, AlignOptions, EnglishSplitter, Lexicon};
//! use bitext::segment::Segmenter;
//!
//! let zh = Segmenter::default().document("zh.txt", "UTF-8", "2011年有348个单位。其中一半在北京。");
//! let en = EnglishSplitter.document("en.txt", "UTF-8", "In 2011 there were 348 units, half of them in Beijing.");
//! let beads = align(&zh, &en, &Lexicon::empty(), &AlignOptions::default());
//! assert_eq!(beads.len(), 1);
//! assert_eq!(beads[0].kind(), "2-1");
//! ```

pub(crate) mod dp;
pub mod english;
mod glue;
pub mod lexicon;
mod run;
pub(crate) mod score;

use std::ops::Range;

pub use crate::document::BeadInfo;
use crate::document::{Document, Flag, FlagKind, Origin, SegmentId, Unit};
pub use english::{EnglishDocument, EnglishSplitter};
pub use lexicon::Lexicon;
pub use run::{AlignReport, Aligner, Translator};
pub use score::Params;
use score::{EnSide, Level, Model, ZhSide};

/// How [`align`] works.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AlignOptions {
    /// The weights of the bead score.
    pub params: Params,
    /// Whether to align paragraphs first when both sides have them.
    pub paragraphs: bool,
    /// Beads whose [`Bead::score`] is below this are flagged for review.
    pub low_confidence: f32,
    /// A machine translation of each Chinese segment, in order, used as
    /// extra lexical evidence (the Bleualign idea); `None` for none.
    pub translations: Option<Vec<String>>,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            params: Params::default(),
            paragraphs: true,
            low_confidence: 0.4,
            translations: None,
        }
    }
}

/// One alignment bead: consecutive Chinese segments and the consecutive
/// English sentences that translate them (either side may be empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Bead {
    /// Positions (0-based, in document order) of the Chinese segments.
    pub zh: Range<usize>,
    /// Positions (0-based, in document order) of the English sentences.
    pub en: Range<usize>,
    /// Confidence in 0–1: how much of the bead's content found a
    /// translation (relative to the document's typical bead) and how well
    /// the lengths agree. 0 for 1–0 and 0–1 beads.
    pub score: f32,
    /// Share of the bead's content (weighted) that found a translation.
    pub lexical: f32,
    /// Probability of a length difference at least this large (1 = perfect).
    pub length: f32,
    /// How much cheaper (in the programme's cost) this bead is than the
    /// best other way to align its neighbourhood: small for a close call.
    pub margin: f32,
    /// Whether the bead does not respect a break between aligned
    /// paragraphs: it runs across a paragraph break on one side, or starts
    /// a paragraph on one side only (a moved paragraph break).
    pub break_mismatch: bool,
}

impl Bead {
    /// The bead type, `Chinese count-English count`: `1-1`, `2-1`, `0-1`, …
    pub fn kind(&self) -> String {
        format!("{}-{}", self.zh.len(), self.en.len())
    }
}

/// Align a segmented Chinese document with its segmented English
/// translation. Returns beads that cover both sides exactly, in order.
pub fn align(
    zh: &Document,
    en: &EnglishDocument,
    lexicon: &Lexicon,
    options: &AlignOptions,
) -> Vec<Bead> {
    let (zh_side, en_side) = sides(zh, en, lexicon, options.translations.as_deref());
    let (n, m) = (zh_side.units.count(), en_side.units.count());
    let char_ratio = {
        let (lz, le): (f32, f32) = (
            zh_side.units.len.iter().sum(),
            en_side.units.len.iter().sum(),
        );
        if lz > 0.0 && le > 0.0 { le / lz } else { 3.0 }
    };
    let unit_ratio = if n > 0 && m > 0 {
        n as f32 / m as f32
    } else {
        1.0
    };
    let types = bead_types(unit_ratio);
    let model = Model {
        params: options.params,
        char_ratio,
        unit_ratio,
        level: Level::Sentence,
    };
    let (pz, pe) = (zh.paragraphs.len(), en.paragraphs.len());
    let paragraphs = options.paragraphs && pz >= 2 && pe >= 2 && pz.min(pe) * 5 >= pz.max(pe) * 3;
    let mut shape = shape(zh, en);
    let band = if paragraphs {
        paragraph_band(zh, en, &zh_side, &en_side, model, &mut shape)
    } else {
        None
    };
    let steps = dp::align(&zh_side, &en_side, &types, model, &shape, band.as_ref());
    let steps: Vec<(dp::Step, bool)> = steps
        .into_iter()
        .map(|s| {
            let mismatch = shape.break_mismatches(&s.zh, &s.en) > 0;
            (s, mismatch)
        })
        .collect();
    finish(steps)
}

/// The score of one bead (0-based ranges), for debugging the weights.
#[doc(hidden)]
pub fn explain(
    zh: &Document,
    en: &EnglishDocument,
    lexicon: &Lexicon,
    options: &AlignOptions,
    beads: &[(Range<usize>, Range<usize>)],
) -> Vec<String> {
    let (zh_side, en_side) = sides(zh, en, lexicon, options.translations.as_deref());
    let (n, m) = (zh_side.units.count(), en_side.units.count());
    let windows: Vec<Range<usize>> = (0..n).map(|_| 0..m).collect();
    let lz: f32 = zh_side.units.len.iter().sum();
    let le: f32 = en_side.units.len.iter().sum();
    let model = Model {
        params: options.params,
        char_ratio: le / lz,
        unit_ratio: n as f32 / m as f32,
        level: Level::Sentence,
    };
    let shape = shape(zh, en);
    let mut scorer = score::Scorer::new(&zh_side, &en_side, &windows, model, &shape);
    beads
        .iter()
        .map(|(z, e)| format!("{z:?} {e:?} {:?}", scorer.eval(z.clone(), e.clone())))
        .collect()
}

/// Both sides as units with their lengths and lexical tokens. When both
/// texts have paragraphs, the first sentence of each paragraph also carries
/// a paragraph mark that matches the other side's (as hunalign treats
/// paragraph boundaries as evidence), so that even a single run keeps
/// paragraph starts together; a text that lost its breaks has none.
fn sides(
    zh: &Document,
    en: &EnglishDocument,
    lexicon: &Lexicon,
    translations: Option<&[String]>,
) -> (ZhSide, EnSide) {
    let mut tokenizer = lexicon::Tokenizer::new(lexicon);
    let marks = zh.paragraphs.len() >= 2 && en.paragraphs.len() >= 2;
    let mut zh_units: Vec<(f32, Vec<lexicon::ZhToken>)> = Vec::with_capacity(zh.segment_count());
    for p in &zh.paragraphs {
        for (k, s) in p.segments.iter().enumerate() {
            let mt = translations
                .and_then(|t| t.get(zh_units.len()))
                .map(String::as_str);
            let mut tokens = tokenizer.chinese(s.content(), mt);
            if marks && k == 0 {
                tokens.push(tokenizer.paragraph_mark().0);
            }
            zh_units.push((length(s.content()), tokens));
        }
    }
    let mut en_units: Vec<(f32, Vec<lexicon::EnToken>)> = Vec::with_capacity(en.segment_count());
    for p in &en.paragraphs {
        for (k, s) in p.segments.iter().enumerate() {
            let mut tokens = tokenizer.english(s.content());
            if marks && k == 0 {
                tokens.push(tokenizer.paragraph_mark().1);
                tokens.sort_by_key(|t| t.id);
            }
            en_units.push((length(s.content()), tokens));
        }
    }
    (
        ZhSide::from_tokens(zh_units, tokenizer.word_count()),
        EnSide::from_tokens(en_units, tokenizer.interner.len()),
    )
}

/// The bead types to search, given the ratio of Chinese to English units:
/// when the Chinese side is cut into clauses (three to an English sentence,
/// say), longer n–1 beads are needed.
fn bead_types(ratio: f32) -> Vec<(usize, usize)> {
    let max_a = ((3.5 * ratio).ceil() as usize).clamp(3, 12);
    let max_b = ((3.5 / ratio).ceil() as usize).clamp(3, 12);
    let max_a2 = ((2.0 * ratio).ceil() as usize + 1).clamp(2, max_a);
    let max_b2 = ((2.0 / ratio).ceil() as usize + 1).clamp(2, max_b);
    let mut types = vec![(1, 1), (1, 0), (0, 1)];
    types.extend((2..=max_a).map(|a| (a, 1)));
    types.extend((2..=max_b).map(|b| (1, b)));
    types.push((2, 2));
    types.extend((3..=max_a2).map(|a| (a, 2)));
    types.extend((3..=max_b2).map(|b| (2, b)));
    types
}

/// How far (in sentences) a bead may reach past the corner of a group of
/// aligned paragraphs.
const PARAGRAPH_MARGIN: usize = 3;

/// Align paragraphs, and return a band of the sentence grid around the
/// aligned groups of paragraphs ([`PARAGRAPH_MARGIN`] sentences wider at
/// each corner), within which the sentences are aligned as one run: where
/// the paragraphs agree, the programme searches little more than the
/// paragraphs' blocks; a bead may still cross a paragraph break when the
/// evidence says so (and pays [`Params::break_cost`]). `None` when the
/// paragraphs do not align well (most groups should be 1–1). Records in
/// `shape` the corners where aligned paragraphs meet.
fn paragraph_band(
    zh: &Document,
    en: &EnglishDocument,
    zh_side: &ZhSide,
    en_side: &EnSide,
    model: Model,
    shape: &mut score::Shape,
) -> Option<dp::Band> {
    let (zr, er) = (paragraph_ranges(zh), paragraph_ranges(en));
    let zp = zh_side.grouped(&zr);
    let ep = en_side.grouped(&er);
    let para_types = [
        (1, 1),
        (1, 0),
        (0, 1),
        (2, 1),
        (1, 2),
        (3, 1),
        (1, 3),
        (2, 2),
    ];
    let paragraphs = Model {
        unit_ratio: zr.len() as f32 / er.len() as f32,
        level: Level::Paragraph,
        ..model
    };
    let groups = dp::align(
        &zp,
        &ep,
        &para_types,
        paragraphs,
        &score::Shape::default(),
        None,
    );
    let one_to_one = groups
        .iter()
        .filter(|g| g.zh.len() == 1 && g.en.len() == 1)
        .count();
    if one_to_one * 10 < groups.len() * 6 {
        return None;
    }
    // A group's sentences; an empty side sits where the next paragraph starts.
    let span = |ranges: &[Range<usize>], g: &Range<usize>, total: usize| {
        if g.is_empty() {
            let at = ranges.get(g.start).map_or(total, |r| r.start);
            at..at
        } else {
            ranges[g.start].start..ranges[g.end - 1].end
        }
    };
    let blocks: Vec<(Range<usize>, Range<usize>)> = groups
        .iter()
        .map(|g| {
            (
                span(&zr, &g.zh, zh_side.units.count()),
                span(&er, &g.en, en_side.units.count()),
            )
        })
        .collect();
    let (n, m) = (zh_side.units.count(), en_side.units.count());
    for (z, e) in blocks.iter().skip(1) {
        shape.corner(n, m, z.start, e.start);
    }
    Some(dp::Band::around_blocks(
        &blocks,
        PARAGRAPH_MARGIN,
        zh_side.units.count(),
        en_side.units.count(),
    ))
}

/// The sentence range of each paragraph.
fn paragraph_ranges(doc: &Document) -> Vec<Range<usize>> {
    let mut start = 0;
    doc.paragraphs
        .iter()
        .map(|p| {
            let r = start..start + p.segments.len();
            start = r.end;
            r
        })
        .collect()
}

/// Which sentences of each side are glued to the next.
fn shape(zh: &Document, en: &EnglishDocument) -> score::Shape {
    let zh_texts: Vec<&str> = zh.segments().map(|s| s.content()).collect();
    let en_texts: Vec<&str> = en.segments().map(|s| s.content()).collect();
    score::Shape {
        zh_glue: glue::chinese(&zh_texts),
        en_glue: glue::english(&en_texts),
        ..score::Shape::default()
    }
}

/// Beads from the programme's steps, with their confidence.
fn finish(steps: Vec<(dp::Step, bool)>) -> Vec<Bead> {
    let mut shares: Vec<f32> = steps
        .iter()
        .map(|s| &s.0)
        .filter(|s| !s.zh.is_empty() && !s.en.is_empty())
        .map(|s| s.eval.share)
        .collect();
    shares.sort_by(f32::total_cmp);
    let typical = shares
        .get(shares.len() / 2)
        .copied()
        .unwrap_or(0.2)
        .max(0.05);
    steps
        .into_iter()
        .map(|(s, break_mismatch)| {
            let aligned = !s.zh.is_empty() && !s.en.is_empty();
            let score = if aligned {
                0.65 * (s.eval.share / typical).min(1.0) + 0.35 * s.eval.length_fit
            } else {
                0.0
            };
            Bead {
                zh: s.zh,
                en: s.en,
                score,
                lexical: s.eval.share,
                length: s.eval.length_fit,
                margin: s.margin,
                break_mismatch,
            }
        })
        .collect()
}

/// The length of a text for the length model: characters that are not
/// white space.
fn length(text: &str) -> f32 {
    text.chars().filter(|c| !c.is_whitespace()).count() as f32
}

/// Beads whose [`Bead::margin`] is below this are flagged `low-confidence`
/// however well they score: another alignment of their neighbourhood cost
/// almost as little. Set on the development pairs, where it flags 9 of the
/// 10 wrong beads and about a fifth of the right ones.
pub const CLOSE_CALL: f32 = 1.0;

/// Whether a bead is flagged for review: unaligned (1–0, 0–1), scoring
/// below `low_confidence`, or a close call (see [`CLOSE_CALL`]).
pub fn is_flagged(bead: &Bead, low_confidence: f32) -> bool {
    bead.zh.is_empty() || bead.en.is_empty() || is_low_confidence(bead, low_confidence)
}

/// Whether an aligned bead is flagged `low-confidence`.
pub fn is_low_confidence(bead: &Bead, low_confidence: f32) -> bool {
    !bead.zh.is_empty()
        && !bead.en.is_empty()
        && (bead.score < low_confidence || bead.margin < CLOSE_CALL)
}

/// Turn beads into units for the writers: one unit per bead, numbered from
/// 1, in the paragraph of its first Chinese segment; the source is the
/// Chinese segments as they stand, the target the English sentences joined
/// with a space. 1–0 and 0–1 beads are flagged `unaligned`, beads scoring
/// below `low_confidence` or with a margin below [`CLOSE_CALL`]
/// `low-confidence`.
pub fn units(
    zh: &Document,
    en: &EnglishDocument,
    beads: &[Bead],
    low_confidence: f32,
    backend: &str,
) -> Vec<Unit> {
    let zs: Vec<_> = zh.segments().collect();
    let es: Vec<_> = en.segments().collect();
    let mut units = Vec::with_capacity(beads.len());
    let mut paragraph = 1;
    let mut line = 1;
    let mut index = 0;
    for (k, bead) in beads.iter().enumerate() {
        let z = &zs[bead.zh.clone()];
        let e = &es[bead.en.clone()];
        if let Some(first) = z.first() {
            if first.paragraph != paragraph {
                index = 0;
            }
            paragraph = first.paragraph;
            line = first.line;
        }
        index += 1;
        let source: String = z
            .iter()
            .map(|s| s.text.as_str())
            .collect::<String>()
            .trim()
            .to_string();
        let target = e
            .iter()
            .map(|s| s.content().split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" ");
        let mut flags = Vec::new();
        if z.is_empty() || e.is_empty() {
            flags.push(Flag {
                kind: FlagKind::Unaligned,
                detail: if z.is_empty() {
                    "no Chinese counterpart".to_string()
                } else {
                    "no English counterpart".to_string()
                },
            });
        } else if bead.score < low_confidence {
            flags.push(Flag {
                kind: FlagKind::LowConfidence,
                detail: format!("score {:.2}", bead.score),
            });
        } else if bead.margin < CLOSE_CALL {
            flags.push(Flag {
                kind: FlagKind::LowConfidence,
                detail: format!("close call, margin {:.2}", bead.margin),
            });
        }
        units.push(Unit {
            id: SegmentId(k as u32 + 1),
            paragraph,
            index,
            line: z.first().map_or(line, |s| s.line),
            source,
            target,
            backend: backend.to_string(),
            model: None,
            origin: Origin::Aligned,
            terms: Vec::new(),
            repaired: false,
            flags,
            codes: Vec::new(),
            bead: Some(BeadInfo {
                kind: bead.kind(),
                score: (bead.score * 1000.0).round() / 1000.0,
                zh: z.iter().map(|s| s.id).collect(),
                en: e.iter().map(|s| s.id).collect(),
                paragraph_break: bead.break_mismatch,
            }),
            matches: Vec::new(),
        });
    }
    units
}
