//! The English side of an alignment: paragraphs and sentences.
//!
//! Sentences are found with the Unicode sentence boundaries of UAX #29
//! (`unicode-segmentation`), then repaired where those rules are known to
//! cut too often in English prose:
//!
//! - after a title or reference abbreviation (`Dr. Li`, `Mr.`, `No. 5`,
//!   `Art. 3`, `Jan. 1`, `e.g.`), and after a single initial (`J. K.`);
//! - after an initialism (`U.S.`, `U.K.`, `a.m.`) unless the next word is
//!   one that usually starts a sentence (`in the U.S. The …` is cut, `the
//!   U.S. Congress` is not);
//! - before a word in lower case or a digit (`"Why?" he asked`, `… and so
//!   on`), and before a fragment with no letter or digit (a stray quote).
//!
//! Decimals (`3.5`), closing quotes and ellipses are already handled by the
//! UAX #29 rules. Splitting is lossless, like the Chinese segmenter: the
//! sentences of a paragraph concatenate back to it (white space after a
//! sentence stays with it), and each carries its byte span.
//!
//! A paragraph is a non-blank line, unless the text is hard-wrapped: then
//! paragraphs are the blocks between blank lines (or the whole text, when it
//! has no blank line), and a sentence may run over a line break.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::document::{Document, Paragraph, Segment, SegmentId};
use crate::segment::lines;

/// An English text split into paragraphs and sentences: the same data model
/// as the Chinese side, with one [`Segment`] per sentence.
pub type EnglishDocument = Document;

/// Abbreviations after which a `.` does not end a sentence when a word in
/// capitals or a number follows (lower case, without the final dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "sr", "st", "mt", "ft", "gen", "gov", "sen", "rep",
    "lt", "col", "capt", "cmdr", "sgt", "maj", "adm", "rev", "hon", "pres", "amb", "supt", "no",
    "nos", "vol", "vols", "pp", "p", "fig", "figs", "art", "arts", "sec", "secs", "ch", "chap",
    "para", "vs", "v", "cf", "approx", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "viz", "ca", "est", "op", "ed", "eds",
];

/// Words that usually start a sentence: after an initialism (`U.S.`) they
/// confirm the break.
const SENTENCE_STARTERS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "there",
    "here",
    "in",
    "on",
    "at",
    "for",
    "from",
    "by",
    "with",
    "as",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "however",
    "meanwhile",
    "moreover",
    "also",
    "after",
    "before",
    "when",
    "while",
    "since",
    "although",
    "though",
    "if",
    "what",
    "who",
    "how",
    "why",
    "where",
    "some",
    "many",
    "most",
    "all",
    "both",
    "each",
    "one",
    "such",
    "according",
    "last",
    "next",
    "during",
    "under",
    "over",
    "to",
    "other",
    "more",
    "no",
    "not",
];

/// Splits English text into paragraphs and sentences.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnglishSplitter;

impl EnglishSplitter {
    /// Split a decoded text into an [`EnglishDocument`]. `source` names the
    /// input and `encoding` what it was decoded from; both are only recorded.
    ///
    /// ```
    /// use bitext::align::EnglishSplitter;
    ///
    /// let doc = EnglishSplitter.document("-", "UTF-8", "Dr. Li met U.S. officials on Jan. 5. They agreed.");
    /// let texts: Vec<&str> = doc.segments().map(|s| s.content()).collect();
    /// assert_eq!(texts, ["Dr. Li met U.S. officials on Jan. 5.", "They agreed."]);
    /// ```
    pub fn document(&self, source: &str, encoding: &str, text: &str) -> EnglishDocument {
        let mut paragraphs = Vec::new();
        let mut next_id = 0u32;
        for (number, span) in paragraph_spans(text) {
            let index = paragraphs.len() + 1;
            let para = &text[span.clone()];
            let mut paragraph = self.paragraph(para, span.start, index, number, &mut next_id);
            paragraph.span = span;
            paragraphs.push(paragraph);
        }
        Document {
            source: source.to_string(),
            encoding: encoding.to_string(),
            paragraphs,
        }
    }

    /// The `index`th paragraph, `text`, on line `line`, split into
    /// sentences numbered on from `next_id`; their spans are offset by
    /// `offset` (where `text` starts in its input), as is the paragraph's.
    pub fn paragraph(
        &self,
        text: &str,
        offset: usize,
        index: usize,
        line: usize,
        next_id: &mut u32,
    ) -> Paragraph {
        let segments = self
            .split(text)
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                *next_id += 1;
                Segment {
                    id: SegmentId(*next_id),
                    paragraph: index,
                    index: i + 1,
                    line,
                    text: text[r.clone()].to_string(),
                    span: offset + r.start..offset + r.end,
                }
            })
            .collect();
        Paragraph {
            index,
            line,
            span: offset..offset + text.len(),
            segments,
            codes: Vec::new(),
        }
    }

    /// Split one paragraph into sentences, as byte ranges of `text` that
    /// cover it exactly, in order. Line breaks inside the paragraph count as
    /// spaces.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        if text.is_empty() {
            return Vec::new();
        }
        // UAX #29 always breaks after a line break; a wrapped paragraph's
        // line breaks are spaces. Same length, so the offsets hold.
        let flat: String = text
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for (start, piece) in flat.split_sentence_bound_indices() {
            let range = start..start + piece.len();
            match ranges.last_mut() {
                Some(last) if !breaks_between(&flat[last.clone()], piece) => last.end = range.end,
                _ => ranges.push(range),
            }
        }
        ranges
    }
}

/// Whether a sentence boundary that UAX #29 found between `before` and
/// `after` is a real one.
fn breaks_between(before: &str, after: &str) -> bool {
    let next = after.trim_start();
    let Some(first) = next.chars().next() else {
        return false;
    };
    if !next.chars().any(char::is_alphanumeric) {
        return false; // a stray quote or bracket
    }
    let first_alnum = next.chars().find(|c| c.is_alphanumeric()).unwrap_or(first);
    if first_alnum.is_lowercase() || (first.is_ascii_digit() && !ends_in_terminator(before)) {
        return false;
    }
    let prev = before.trim_end();
    if !prev.ends_with('.') {
        return true;
    }
    let last_word = prev
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or(prev)
        .trim_start_matches(['"', '\'', '(', '[', '“', '‘']);
    let bare = last_word.trim_end_matches('.');
    let lower = bare.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // A single initial: "J. K. Rowling".
    let mut chars = bare.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return false;
    }
    // An initialism with inner dots: "U.S.", "a.m.", "Ph.D.".
    if bare.contains('.') && bare.split('.').all(|p| p.chars().count() <= 2) {
        let next_word: String = next
            .chars()
            .skip_while(|c| !c.is_alphanumeric())
            .take_while(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        return SENTENCE_STARTERS.contains(&next_word.as_str());
    }
    true
}

/// Whether `text` ends in `.`, `!`, `?` or an ellipsis, before closing
/// quotes, brackets and white space.
fn ends_in_terminator(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['"', '\'', ')', ']', '”', '’'])
        .ends_with(['.', '!', '?', '…'])
}

/// The paragraphs of a text: each with the 1-based line it starts on and its
/// byte span (trimmed). Non-blank lines, unless the text looks hard-wrapped
/// (a third of its lines run on into the next without ending a sentence):
/// then blocks between blank lines.
fn paragraph_spans(text: &str) -> Vec<(usize, Range<usize>)> {
    let all: Vec<_> = lines(text).collect();
    if all.len() < 2 {
        return all.into_iter().map(|l| (l.number, l.span)).collect();
    }
    // A line that does not end a sentence and runs on into the next line.
    let open = all
        .windows(2)
        .filter(|w| w[1].number == w[0].number + 1 && !ends_in_terminator(&text[w[0].span.clone()]))
        .count();
    let wrapped = open >= 2 && open * 3 >= all.len();
    if !wrapped {
        return all.into_iter().map(|l| (l.number, l.span)).collect();
    }
    let mut blocks: Vec<(usize, Range<usize>)> = Vec::new();
    let mut last_line = 0;
    for line in all {
        match blocks.last_mut() {
            Some((_, span)) if line.number == last_line + 1 => span.end = line.span.end,
            _ => blocks.push((line.number, line.span.clone())),
        }
        last_line = line.number;
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        let r = EnglishSplitter.split(text);
        let joined: String = r.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(joined, text, "lossless");
        r.into_iter().map(|r| text[r].trim().to_string()).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences("Dr. Smith arrived at 5 p.m. on Friday. Mr. Li left."),
            ["Dr. Smith arrived at 5 p.m. on Friday.", "Mr. Li left."]
        );
        assert_eq!(
            sentences("See No. 5 and Art. 12 of the law. It was passed in Jan. 2011."),
            [
                "See No. 5 and Art. 12 of the law.",
                "It was passed in Jan. 2011."
            ]
        );
        assert_eq!(
            sentences("The U.S. Congress met. Growth in the U.S. The rest stayed."),
            [
                "The U.S. Congress met.",
                "Growth in the U.S.",
                "The rest stayed."
            ]
        );
        assert_eq!(
            sentences("J. K. Rowling wrote it, e.g. The Book."),
            ["J. K. Rowling wrote it, e.g. The Book."]
        );
    }

    #[test]
    fn decimals_quotes_and_ellipses() {
        assert_eq!(
            sentences("Output rose 3.5 percent. \"It works,\" he said. \"Why?\" she asked."),
            [
                "Output rose 3.5 percent.",
                "\"It works,\" he said.",
                "\"Why?\" she asked."
            ]
        );
        assert_eq!(
            sentences("He waited... and waited. Then... Nothing happened."),
            ["He waited... and waited.", "Then...", "Nothing happened."]
        );
        assert_eq!(
            sentences("“We will not stop.” The minister left."),
            ["“We will not stop.”", "The minister left."]
        );
    }

    #[test]
    fn wrapped_text_joins_lines_into_paragraphs() {
        let text = "The ministry said on\nTuesday that it would act.\nIt gave no date.\n\nA second\nparagraph here.\n";
        let doc = EnglishSplitter.document("-", "UTF-8", text);
        assert_eq!(doc.paragraphs.len(), 2);
        let s: Vec<&str> = doc.segments().map(|s| s.content()).collect();
        assert_eq!(
            s,
            [
                "The ministry said on\nTuesday that it would act.",
                "It gave no date.",
                "A second\nparagraph here."
            ]
        );
        let lines = "One line. Two.\nAnother paragraph.\n";
        assert_eq!(
            EnglishSplitter
                .document("-", "UTF-8", lines)
                .paragraphs
                .len(),
            2
        );
    }
}
