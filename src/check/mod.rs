//! The check stage: QA flags on each aligned unit.
//!
//! Runs after translation and before writing, so that every writer renders
//! the same flags (Markdown Notes, TMX `<prop type="x-flag">`, XLIFF notes,
//! JSONL `flags`) and the summary counts them. It also removes the
//! characters XML 1.0 forbids (C0 controls other than tab, U+FFFE, U+FFFF)
//! from source and target, and flags the unit when it does, so that no
//! output can be made invalid by its text.
//!
//! | flag | when |
//! |---|---|
//! | `untranslated` | the backend gave no translation, or Han characters are left in it |
//! | `empty` | the translation is empty and the source is not |
//! | `number-mismatch` | a number of the source is missing from the target ([`numbers`]) |
//! | `length-ratio` | the target is far longer or shorter than the source predicts ([`length`]) |
//! | `llm-chatter` | the target carries a model's remarks ([`chatter`]) |
//! | `glossary-miss` | a matched term's glossary target is missing |
//! | `control-char-removed` | characters XML cannot carry were removed |
//!
//! The pipeline adds `long-segment` to a segment the segmenter could not
//! bring under its length limit ([`crate::segment::Segmenter::is_long`]).
//!
//! Flags must be precise, since each one costs a reviewer's attention: on a
//! human translation of the reference article the stage raises none, and on
//! one of a held-out text one glossary-miss in 43 segments (see
//! `tests/testsuite/qa.rs`, which also measures recall on deliberately
//! broken translations).

//! The check stage: QA flags on each aligned unit.
//!
//! One module serves both `bitext translate` (which runs the checks after
//! translation and before writing, so that every writer renders the same
//! flags: Markdown Notes, TMX `<prop type="x-flag">`, XLIFF notes, JSONL
//! `flags`) and `bitext qa` (which runs them on units read from any
//! bilingual file, see [`crate::qa`]). Every check has a stable name, a
//! default [`Severity`] and a one-line explanation ([`CHECKS`]); the
//! per-unit ones run from [`flags`], the ones across units from
//! [`consistency`]. The stage also removes the characters XML 1.0 forbids
//! (C0 controls other than tab, U+FFFE, U+FFFF) from source and target, and
//! flags the unit when it does ([`clean`]), so that no output can be made
//! invalid by its text.
//!
//! | flag | when | in translate |
//! |---|---|---|
//! | `untranslated` | no translation, or Han characters are left in it | yes |
//! | `empty` | the translation is empty and the source is not | yes |
//! | `number-mismatch` | a number of the source is missing from the target ([`numbers`]) | yes |
//! | `length-ratio` | the target is far longer or shorter than the source predicts ([`length`]) | yes |
//! | `llm-chatter` | the target carries a model's remarks ([`chatter`]) | yes |
//! | `glossary-miss` | a matched term's glossary target is missing | yes |
//! | `control-char-removed` | characters XML cannot carry were removed | yes |
//! | `forbidden-term` | a rendering the glossary forbids is used, or a `do_not_translate` term translated ([`terms`]) | yes |
//! | `url-mismatch` | a URL or e-mail address of the source is missing or altered ([`urls`]) | yes |
//! | `tag-mismatch` | the target's inline codes differ from the source's ([`tags`]) | qa only (translate has no inline codes) |
//! | `bracket-mismatch` | brackets or quotes unpaired in the target ([`form`]) | qa only |
//! | `repeated-word` | a word twice in a row ([`form`]) | qa only |
//! | `double-space` | two spaces in a row ([`form`]) | qa only |
//! | `leading-trailing-space` | leading or trailing white space differs ([`form`]) | qa only |
//! | `end-punctuation` | a sentence's 。？！ has no end punctuation in the target ([`form`]) | qa only |
//! | `source-copied` | the target is the source, Han and all ([`form`]) | qa only (`untranslated` says it in translate) |
//! | `inconsistent-target`, `inconsistent-source` | across units ([`consistency`]) | qa only |
//!
//! The form checks stay out of `translate` because they judge what a
//! person wrote, not what a backend returned: the offline dictionary gloss
//! writes no end punctuation a reviewer would miss, and its flags would
//! drown the ones that matter. `bitext qa` runs them on the same output.
//!
//! The pipeline adds `long-segment` to a segment the segmenter could not
//! bring under its length limit ([`crate::segment::Segmenter::is_long`]).
//!
//! Flags must be precise, since each one costs a reviewer's attention: on a
//! human translation of the reference article the stage raises none, and on
//! one of a held-out text one glossary-miss in 43 segments (see
//! `tests/testsuite/qa.rs`, which also measures recall on deliberately
//! broken translations).

pub mod chatter;
pub mod consistency;
pub mod form;
pub mod length;
pub mod numbers;
pub mod tags;
pub mod terms;
pub mod urls;

use std::collections::BTreeMap;

use crate::document::{Flag, FlagKind, TermMatch, Unit};
use crate::glossary::Glossary;
use crate::text::is_han;

/// How much a finding matters; `bitext qa --fail-on` compares with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth a look; may be right.
    Warning,
    /// Wrong, or very likely so.
    Error,
}

impl Severity {
    /// The name, as written in reports and in `bitext.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a check is: its flag, default severity, explanation, and whether
/// `translate` runs it.
#[derive(Debug, Clone, Copy)]
pub struct CheckInfo {
    /// The flag the check raises; its name is [`FlagKind::as_str`].
    pub kind: FlagKind,
    /// The severity unless configured otherwise.
    pub severity: Severity,
    /// One line saying what the check finds.
    pub explanation: &'static str,
    /// Whether the translate pipeline runs it on every unit.
    pub in_translate: bool,
}

impl CheckInfo {
    /// The check's stable name.
    pub fn name(&self) -> &'static str {
        self.kind.as_str()
    }
}

const fn info(
    kind: FlagKind,
    severity: Severity,
    explanation: &'static str,
    in_translate: bool,
) -> CheckInfo {
    CheckInfo {
        kind,
        severity,
        explanation,
        in_translate,
    }
}

/// Every check, in report order.
pub const CHECKS: &[CheckInfo] = &[
    info(
        FlagKind::Untranslated,
        Severity::Error,
        "the unit has no translation, or Han characters are left in it",
        true,
    ),
    info(
        FlagKind::Empty,
        Severity::Error,
        "the translation is empty although the source is not",
        true,
    ),
    info(
        FlagKind::SourceCopied,
        Severity::Error,
        "the target is a copy of a source that contains Han characters",
        false,
    ),
    info(
        FlagKind::NumberMismatch,
        Severity::Error,
        "a number of the source is missing from the target or has another value",
        true,
    ),
    info(
        FlagKind::UrlMismatch,
        Severity::Error,
        "a URL or e-mail address of the source is missing or altered in the target",
        true,
    ),
    info(
        FlagKind::TagMismatch,
        Severity::Error,
        "the target's inline codes (tags) differ from the source's",
        false,
    ),
    info(
        FlagKind::ForbiddenTerm,
        Severity::Error,
        "a rendering the glossary forbids is used, or a do_not_translate term was translated",
        true,
    ),
    info(
        FlagKind::LlmChatter,
        Severity::Error,
        "the target carries a language model's remarks (\"Here is the translation\", \"Note:\")",
        true,
    ),
    info(
        FlagKind::GlossaryMiss,
        Severity::Warning,
        "a glossary term of the source lacks its prescribed target",
        true,
    ),
    info(
        FlagKind::LengthRatio,
        Severity::Warning,
        "the target is far longer or shorter than its source predicts",
        true,
    ),
    info(
        FlagKind::BracketMismatch,
        Severity::Warning,
        "brackets or quotes are unpaired in the target where the source's are paired",
        false,
    ),
    info(
        FlagKind::EndPunctuation,
        Severity::Warning,
        "a source sentence ends in 。？！ and its target in no end punctuation",
        false,
    ),
    info(
        FlagKind::RepeatedWord,
        Severity::Warning,
        "a word repeated (\"the the\")",
        false,
    ),
    info(
        FlagKind::DoubleSpace,
        Severity::Warning,
        "two or more spaces in a row inside the target",
        false,
    ),
    info(
        FlagKind::LeadingTrailingSpace,
        Severity::Warning,
        "leading or trailing white space differs from the source's",
        false,
    ),
    info(
        FlagKind::ControlCharRemoved,
        Severity::Warning,
        "characters XML 1.0 cannot carry were removed from the text",
        true,
    ),
    info(
        FlagKind::InconsistentTarget,
        Severity::Warning,
        "one source translated in different ways (across all files)",
        false,
    ),
    info(
        FlagKind::InconsistentSource,
        Severity::Warning,
        "one translation given to different sources (across all files)",
        false,
    ),
];

/// The check named `name`.
pub fn check_info(name: &str) -> Option<&'static CheckInfo> {
    CHECKS.iter().find(|c| c.name() == name)
}

/// The names of every check, comma-separated (for messages).
pub fn check_names() -> String {
    CHECKS
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which checks run, and their thresholds.
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: BTreeMap<FlagKind, bool>,
    /// The limits of the `length-ratio` check.
    pub length: length::Limits,
}

impl Selection {
    /// The checks `translate` runs, with the default thresholds.
    pub fn translate() -> Self {
        Selection {
            enabled: CHECKS.iter().map(|c| (c.kind, c.in_translate)).collect(),
            length: length::Limits::default(),
        }
    }

    /// Every check, with the default thresholds.
    pub fn all() -> Self {
        Selection {
            enabled: CHECKS.iter().map(|c| (c.kind, true)).collect(),
            length: length::Limits::default(),
        }
    }

    /// Only the checks of `kinds`.
    pub fn only(kinds: &[FlagKind]) -> Self {
        Selection {
            enabled: CHECKS
                .iter()
                .map(|c| (c.kind, kinds.contains(&c.kind)))
                .collect(),
            length: length::Limits::default(),
        }
    }

    /// Turn a check on or off.
    pub fn set(&mut self, kind: FlagKind, on: bool) {
        self.enabled.insert(kind, on);
    }

    /// Whether the check of `kind` runs.
    pub fn runs(&self, kind: FlagKind) -> bool {
        self.enabled.get(&kind).copied().unwrap_or(false)
    }
}

/// One unit as the per-unit checks see it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Input<'a> {
    /// The source text.
    pub source: &'a str,
    /// The translation (empty when there is none).
    pub target: &'a str,
    /// `None` when there is a translation; else why there is none
    /// ("no translation from deepl").
    pub missing: Option<&'a str>,
    /// The glossary terms matched in `source` (byte spans in it).
    pub terms: &'a [TermMatch],
    /// The glossary they were matched with.
    pub glossary: &'a Glossary,
    /// The inline codes of source and target, when the file has any.
    pub codes: Option<(&'a [String], &'a [String])>,
}

impl<'a> Input<'a> {
    /// A unit with a translation and no inline codes.
    pub fn new(
        source: &'a str,
        target: &'a str,
        terms: &'a [TermMatch],
        glossary: &'a Glossary,
    ) -> Self {
        Input {
            source,
            target,
            missing: None,
            terms,
            glossary,
            codes: None,
        }
    }

    /// The same unit without a translation, for the reason given.
    pub fn missing(mut self, why: &'a str) -> Self {
        self.missing = Some(why);
        self
    }

    /// The same unit with inline codes on both sides.
    pub fn with_codes(mut self, source: &'a [String], target: &'a [String]) -> Self {
        self.codes = Some((source, target));
        self
    }
}

/// Run the selected per-unit checks on `input`.
pub fn flags(input: &Input<'_>, selection: &Selection) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut push = |kind: FlagKind, detail: String| {
        if selection.runs(kind) {
            flags.push(Flag { kind, detail });
        }
    };
    let (source, target, glossary) = (input.source, input.target, input.glossary);
    let translated = input.missing.is_none();
    if let Some(why) = input.missing {
        push(FlagKind::Untranslated, why.to_string());
    } else if target.trim().is_empty() {
        if !source.trim().is_empty() {
            push(FlagKind::Empty, String::new());
        }
    } else {
        let han: String = target.chars().filter(|&c| is_han(c)).collect();
        if !han.is_empty() {
            push(
                FlagKind::Untranslated,
                format!("Han characters left: {han}"),
            );
        }
        if form::is_source_copy(source, target) {
            push(FlagKind::SourceCopied, String::new());
        }
        let renderings: Vec<&str> = input
            .terms
            .iter()
            .filter_map(|t| glossary.entries().get(t.term_id))
            .flat_map(|e| std::iter::once(&e.target).chain(&e.variants))
            .map(String::as_str)
            .collect();
        if selection.runs(FlagKind::NumberMismatch) {
            for number in numbers::missing_numbers(source, target, input.terms, &renderings) {
                push(FlagKind::NumberMismatch, number);
            }
        }
        let ratio = length::LengthRatio::measure(source, target, input.terms);
        if ratio.is_outlier_with(&selection.length) {
            push(FlagKind::LengthRatio, ratio.detail());
        }
        if let Some(chatter) = chatter::find_chatter(source, target) {
            push(FlagKind::LlmChatter, chatter);
        }
        for detail in urls::missing(source, target) {
            push(FlagKind::UrlMismatch, detail);
        }
        if let Some((s, t)) = input.codes
            && let Some(detail) = tags::mismatch(s, t)
        {
            push(FlagKind::TagMismatch, detail);
        }
        if let Some(detail) = form::bracket_mismatch(source, target) {
            push(FlagKind::BracketMismatch, detail);
        }
        if let Some(detail) = form::end_punctuation(source, target) {
            push(FlagKind::EndPunctuation, detail);
        }
        for word in form::repeated_words(target) {
            push(FlagKind::RepeatedWord, word);
        }
        if let Some(detail) = form::double_space(source, target) {
            push(FlagKind::DoubleSpace, detail);
        }
    }
    if translated {
        if let Some(detail) = form::edge_space(source, target) {
            push(FlagKind::LeadingTrailingSpace, detail);
        }
        let forbidden_on = selection.runs(FlagKind::ForbiddenTerm);
        for term in missing_terms(glossary, input.terms, target) {
            let dnt = glossary
                .entries()
                .get(term.term_id)
                .is_some_and(|e| e.do_not_translate);
            if dnt && forbidden_on {
                push(
                    FlagKind::ForbiddenTerm,
                    format!(
                        "{} is do_not_translate, but the target lacks it",
                        term.source
                    ),
                );
            } else {
                push(
                    FlagKind::GlossaryMiss,
                    format!("{} → {}", term.source, term.target),
                );
            }
        }
        for detail in terms::forbidden_used(glossary, input.terms, target) {
            push(FlagKind::ForbiddenTerm, detail);
        }
    }
    flags
}

/// Remove what XML 1.0 cannot carry from `source` and `target`, moving the
/// terms' spans in `source` along; the `control-char-removed` flags for
/// what was removed.
pub fn clean(source: &mut String, target: &mut String, terms: &mut [TermMatch]) -> Vec<Flag> {
    shift_spans(source, terms);
    let mut flags = Vec::new();
    for (text, side) in [(source, "source"), (target, "target")] {
        let removed = remove_forbidden(text);
        if !removed.is_empty() {
            flags.push(Flag {
                kind: FlagKind::ControlCharRemoved,
                detail: format!("{side}: {removed}"),
            });
        }
    }
    flags
}

/// Whether `target` is no translation at all: empty, or with Han characters
/// left in it (the source passed through, or part of it). The check flags
/// such a target `untranslated` or `empty`, and the memory never keeps it.
pub fn is_untranslated(target: &str) -> bool {
    target.trim().is_empty() || target.chars().any(is_han)
}

/// Flag `unit` (whose `terms` were found by `glossary`) with the checks
/// `translate` runs ([`Selection::translate`]), and clean its texts.
/// `translated` is false when the backend gave no translation for it.
pub fn check(unit: &mut Unit, glossary: &Glossary, translated: bool) {
    let mut flags = clean(&mut unit.source, &mut unit.target, &mut unit.terms);
    let why = format!("no translation from {}", unit.backend);
    let mut input = Input::new(&unit.source, &unit.target, &unit.terms, glossary);
    if !translated {
        input = input.missing(&why);
    }
    flags.extend(self::flags(&input, &Selection::translate()));
    unit.flags = flags;
}

/// The matched terms whose glossary target the translation lacks.
pub fn missing_terms<'a>(
    glossary: &Glossary,
    terms: &'a [TermMatch],
    target: &str,
) -> Vec<&'a TermMatch> {
    let mut missing: Vec<&TermMatch> = Vec::new();
    for term in terms {
        let already = missing.iter().any(|m| m.term_id == term.term_id);
        if !already && !glossary.is_rendered(term, target) {
            missing.push(term);
        }
    }
    missing
}

/// Move the terms' byte spans in `source` to where they will be once
/// [`remove_forbidden`] has taken its characters out.
fn shift_spans(source: &str, terms: &mut [TermMatch]) {
    let removed: Vec<(usize, usize)> = source
        .char_indices()
        .filter(|&(_, c)| crate::text::is_xml_forbidden(c))
        .map(|(i, c)| (i, c.len_utf8()))
        .collect();
    if removed.is_empty() {
        return;
    }
    let before = |at: usize| -> usize {
        removed
            .iter()
            .take_while(|&&(i, _)| i < at)
            .map(|&(_, len)| len)
            .sum()
    };
    for term in terms {
        term.span =
            term.span.start - before(term.span.start)..term.span.end - before(term.span.end);
    }
}

pub use crate::text::remove_xml_forbidden as remove_forbidden;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_control_characters() {
        let mut text = "a\u{0}b\u{1b}c\td\u{ffff}".to_string();
        assert_eq!(remove_forbidden(&mut text), "U+0000 U+001B U+FFFF");
        assert_eq!(text, "abc\td");
    }
}
