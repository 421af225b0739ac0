//! The data model that flows through the pipeline: a [`Document`] of
//! [`Paragraph`]s of [`Segment`]s, and the aligned [`Unit`]s every writer renders.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// A decoded input text, split into paragraphs and segments.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Where the text came from: a path as given, or `-` for standard input.
    pub source: String,
    /// The encoding the text was decoded from (`UTF-8`, `GBK`, …).
    pub encoding: String,
    /// The non-blank paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
}

impl Document {
    /// All segments of the document, in order.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.paragraphs.iter().flat_map(|p| p.segments.iter())
    }

    /// The number of segments.
    pub fn segment_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.segments.len()).sum()
    }
}

/// A non-blank line of the input (leading and trailing white space excluded).
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    /// 1-based index among the document's non-blank paragraphs.
    pub index: usize,
    /// 1-based line number in the input file.
    pub line: usize,
    /// Byte range of the paragraph in the decoded text.
    pub span: Range<usize>,
    /// The segments; their texts concatenate back to the paragraph exactly.
    pub segments: Vec<Segment>,
    /// The inline codes whose markers the segments' texts hold (a block of
    /// a Markdown input); empty for plain text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<InlineCode>,
}

/// What an inline code is (see [`crate::markup::codes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    /// Opens a pair (`**`, `[`, `<a href="…">`).
    Open,
    /// Closes a pair (`**`, `](url)`, `</a>`).
    Close,
    /// Stands alone (`` `code` ``, a line break, an autolink).
    Standalone,
}

/// One inline code: markup inside a block that a segment's text carries as
/// a marker (`⟨1⟩…⟨/1⟩` for a pair, `⟨2/⟩` for a standalone code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineCode {
    /// The id, unique within the block (a pair's two codes share it).
    pub id: u32,
    /// Open, close or standalone.
    pub kind: CodeKind,
    /// The markup of the input, byte for byte.
    pub markup: String,
}

/// The identifier of a segment: its 1-based position in its document.
///
/// Ids, never positions in a batch, are how translations find their source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SegmentId(pub u32);

impl fmt::Display for SegmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One translation unit of the source: a sentence or clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// The segment's id, unique within its document.
    pub id: SegmentId,
    /// 1-based index of its paragraph.
    pub paragraph: usize,
    /// 1-based index within its paragraph.
    pub index: usize,
    /// 1-based line number in the input file.
    pub line: usize,
    /// The exact source text (may end in white space that separated it from the next).
    pub text: String,
    /// Byte range of `text` in the decoded input.
    pub span: Range<usize>,
}

impl Segment {
    /// The text to translate and display: `text` without surrounding white space.
    pub fn content(&self) -> &str {
        self.text.trim()
    }
}

/// A glossary term found in a segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermMatch {
    /// Index of the entry in its glossary.
    pub term_id: usize,
    /// The source term as it stands in the segment.
    pub source: String,
    /// The target the glossary prescribes.
    pub target: String,
    /// Byte range of the term in the segment's [`Segment::content`].
    pub span: Range<usize>,
}

/// The backend name a reviewed translation carries (in the memory and in
/// every output), whoever reviewed it.
pub const REVIEW_BACKEND: &str = "review";

/// Where a translation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Produced by a backend in this run.
    Machine,
    /// Taken from the translation memory (written `cache` in every output).
    Cache,
    /// A translation a person reviewed.
    Reviewed,
    /// An existing translation, aligned to its source (`bitext align`).
    Aligned,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Origin::Machine => "machine",
            Origin::Cache => "cache",
            Origin::Reviewed => "reviewed",
            Origin::Aligned => "aligned",
        })
    }
}

/// The kinds of QA [`Flag`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FlagKind {
    /// The segment has no translation, or Han characters are left in it.
    Untranslated,
    /// The target is empty although the source is not.
    Empty,
    /// A number of the source is missing from the target, or written with
    /// another value.
    NumberMismatch,
    /// The target is far longer or shorter than its source predicts.
    LengthRatio,
    /// The target carries remarks of a language model ("Here is the
    /// translation", "Note: …").
    LlmChatter,
    /// A glossary term's prescribed target is missing from the target.
    GlossaryMiss,
    /// Control characters that XML 1.0 forbids were removed.
    ControlCharRemoved,
    /// An alignment bead the aligner is not sure of: review it.
    LowConfidence,
    /// A sentence with no counterpart on the other side (a 1–0 or 0–1
    /// alignment bead): an omission or an addition.
    Unaligned,
    /// The source segment is longer than the segmenter's limit
    /// (`--max-chars`) and has no inner boundary to split it at.
    LongSegment,
    /// A term the glossary forbids is used, or a `do_not_translate` term
    /// was translated.
    ForbiddenTerm,
    /// A URL or e-mail address of the source is missing or altered.
    UrlMismatch,
    /// Brackets or quotes are unpaired in the target.
    BracketMismatch,
    /// A word is repeated ("the the").
    RepeatedWord,
    /// Two or more spaces in a row inside the target.
    DoubleSpace,
    /// Leading or trailing white space differs from the source's.
    LeadingTrailingSpace,
    /// A source sentence's end punctuation has no counterpart.
    EndPunctuation,
    /// One source translated in different ways.
    InconsistentTarget,
    /// One translation given to different sources.
    InconsistentSource,
    /// The target is a copy of a source that contains Han characters.
    SourceCopied,
    /// The translation lost, duplicated or misnested inline codes (markup
    /// of a Markdown input); they were put back in place.
    TagMismatch,
}

impl FlagKind {
    /// The flag's name as written in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::Untranslated => "untranslated",
            FlagKind::Empty => "empty",
            FlagKind::NumberMismatch => "number-mismatch",
            FlagKind::LengthRatio => "length-ratio",
            FlagKind::LlmChatter => "llm-chatter",
            FlagKind::GlossaryMiss => "glossary-miss",
            FlagKind::ControlCharRemoved => "control-char-removed",
            FlagKind::LowConfidence => "low-confidence",
            FlagKind::Unaligned => "unaligned",
            FlagKind::LongSegment => "long-segment",
            FlagKind::ForbiddenTerm => "forbidden-term",
            FlagKind::UrlMismatch => "url-mismatch",
            FlagKind::BracketMismatch => "bracket-mismatch",
            FlagKind::RepeatedWord => "repeated-word",
            FlagKind::DoubleSpace => "double-space",
            FlagKind::LeadingTrailingSpace => "leading-trailing-space",
            FlagKind::EndPunctuation => "end-punctuation",
            FlagKind::InconsistentTarget => "inconsistent-target",
            FlagKind::InconsistentSource => "inconsistent-source",
            FlagKind::SourceCopied => "source-copied",
            FlagKind::TagMismatch => "tag-mismatch",
        }
    }

    /// Whether the flag is about the source segment rather than its
    /// translation.
    pub fn is_about_source(self) -> bool {
        matches!(self, FlagKind::LongSegment)
    }
}

impl fmt::Display for FlagKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A QA finding on a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// What kind of problem.
    pub kind: FlagKind,
    /// Details: the missing term, the characters removed, …
    pub detail: String,
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.kind, self.detail)
        }
    }
}

/// One aligned row: a source segment, its translation, and what was found
/// about it. Every writer renders a slice of units and computes nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// The source segment's id.
    pub id: SegmentId,
    /// 1-based paragraph index.
    pub paragraph: usize,
    /// 1-based index within the paragraph.
    pub index: usize,
    /// 1-based line in the input file.
    pub line: usize,
    /// The source text (surrounding white space removed).
    pub source: String,
    /// The translation; empty when there is none (and then flagged).
    pub target: String,
    /// The backend that produced the translation (`review` for a
    /// translation a person reviewed).
    pub backend: String,
    /// The backend's model, where it has one.
    pub model: Option<String>,
    /// Where the translation came from.
    pub origin: Origin,
    /// Glossary terms matched in the source.
    pub terms: Vec<TermMatch>,
    /// Whether the translation needed a glossary repair (a resend with
    /// placeholders) to render every term.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub repaired: bool,
    /// QA flags.
    pub flags: Vec<Flag>,
    /// The inline codes whose markers `source` and `target` hold, with
    /// their original markup; empty for plain text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<InlineCode>,
    /// The alignment bead this unit is, for units made by `bitext align`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bead: Option<BeadInfo>,
    /// Fuzzy matches from the translation memory, best first, for a segment
    /// the memory has no exact translation of.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<FuzzyMatch>,
}

/// A translation the memory holds of a text like a segment's: a fuzzy
/// match, shown to the reviewer beside the segment's own translation (and,
/// when reviewed, given to the backend as an example).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FuzzyMatch {
    /// How similar the match's source is to the segment's, in percent:
    /// the character-level edit distance over the longer text, with numbers
    /// and glossary terms normalised; 100 only for the same source.
    pub score: u8,
    /// The memory's source text.
    pub source: String,
    /// Its translation.
    pub target: String,
    /// [`Origin::Reviewed`] for a person's translation, else
    /// [`Origin::Machine`].
    pub origin: Origin,
}

impl Unit {
    /// The glossary terms matched in the source, each term once, in the
    /// order of their first match.
    pub fn distinct_terms(&self) -> impl Iterator<Item = &TermMatch> {
        let mut seen = Vec::new();
        self.terms.iter().filter(move |t| {
            let new = !seen.contains(&t.term_id);
            seen.push(t.term_id);
            new
        })
    }
}

/// What a unit made by `bitext align` records about its alignment bead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeadInfo {
    /// The bead type, Chinese count–English count: `1-1`, `2-1`, `0-1`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The bead's confidence, 0–1.
    pub score: f32,
    /// Ids of its Chinese segments.
    pub zh: Vec<SegmentId>,
    /// Ids of its English sentences.
    pub en: Vec<SegmentId>,
    /// The bead does not respect a break between aligned paragraphs: it
    /// runs across a paragraph break on one side, or starts a paragraph on
    /// one side only (the translator moved the break). Written only when
    /// true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub paragraph_break: bool,
}
