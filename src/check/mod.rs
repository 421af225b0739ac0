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

pub mod chatter;
pub mod length;
pub mod numbers;

use crate::document::{Flag, FlagKind, TermMatch, Unit};
use crate::glossary::Glossary;
use crate::text::is_han;

/// Whether `target` is no translation at all: empty, or with Han characters
/// left in it (the source passed through, or part of it). The check flags
/// such a target `untranslated` or `empty`, and the memory never keeps it.
pub fn is_untranslated(target: &str) -> bool {
    target.trim().is_empty() || target.chars().any(is_han)
}

/// Flag `unit` (whose `terms` were found by `glossary`), and clean its texts.
/// `translated` is false when the backend gave no translation for it.
pub fn check(unit: &mut Unit, glossary: &Glossary, translated: bool) {
    let mut flags = Vec::new();
    shift_spans(&unit.source, &mut unit.terms);
    for (text, side) in [(&mut unit.source, "source"), (&mut unit.target, "target")] {
        let removed = remove_forbidden(text);
        if !removed.is_empty() {
            flags.push(Flag {
                kind: FlagKind::ControlCharRemoved,
                detail: format!("{side}: {removed}"),
            });
        }
    }
    if !translated {
        flags.push(Flag {
            kind: FlagKind::Untranslated,
            detail: format!("no translation from {}", unit.backend),
        });
    } else if unit.target.trim().is_empty() {
        if !unit.source.trim().is_empty() {
            flags.push(Flag {
                kind: FlagKind::Empty,
                detail: String::new(),
            });
        }
    } else {
        let han: String = unit.target.chars().filter(|&c| is_han(c)).collect();
        if !han.is_empty() {
            flags.push(Flag {
                kind: FlagKind::Untranslated,
                detail: format!("Han characters left: {han}"),
            });
        }
        let renderings: Vec<&str> = unit
            .terms
            .iter()
            .filter_map(|t| glossary.entries().get(t.term_id))
            .flat_map(|e| std::iter::once(&e.target).chain(&e.variants))
            .map(String::as_str)
            .collect();
        for number in numbers::missing_numbers(&unit.source, &unit.target, &unit.terms, &renderings)
        {
            flags.push(Flag {
                kind: FlagKind::NumberMismatch,
                detail: number,
            });
        }
        let ratio = length::LengthRatio::measure(&unit.source, &unit.target, &unit.terms);
        if ratio.is_outlier() {
            flags.push(Flag {
                kind: FlagKind::LengthRatio,
                detail: ratio.detail(),
            });
        }
        if let Some(chatter) = chatter::find_chatter(&unit.source, &unit.target) {
            flags.push(Flag {
                kind: FlagKind::LlmChatter,
                detail: chatter,
            });
        }
    }
    if translated {
        for term in missing_terms(glossary, &unit.terms, &unit.target) {
            flags.push(Flag {
                kind: FlagKind::GlossaryMiss,
                detail: format!("{} → {}", term.source, term.target),
            });
        }
    }
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
