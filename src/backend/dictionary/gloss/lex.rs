//! Lexing: a segment becomes a list of items (glossary terms, numbers,
//! verbatim tokens, jieba words, punctuation).

use std::ops::Range;

use super::*;
use crate::numbers::{self, NumberKind, NumberMatch};

impl Glosser {
    pub(super) fn lex<'t>(&'t self, text: &'t str, fixed: &[FixedTerm<'t>]) -> Vec<Item<'t>> {
        let mut items = Vec::new();
        let mut pos = 0;
        for term in fixed {
            let Range { start, end } = term.span;
            if start < pos
                || end < start
                || end > text.len()
                || !text.is_char_boundary(start)
                || !text.is_char_boundary(end)
            {
                continue;
            }
            self.lex_chunk(&text[pos..start], &mut items);
            items.push(Item::Fixed(term.target));
            pos = end;
        }
        self.lex_chunk(&text[pos..], &mut items);
        items
    }

    fn lex_chunk<'t>(&'t self, chunk: &'t str, items: &mut Vec<Item<'t>>) {
        let verbatim = verbatim_spans(chunk);
        let numbers: Vec<NumberMatch> = numbers::find_numbers(chunk)
            .into_iter()
            .filter(|m| {
                // "5G", "3D": a number glued to Latin letters stays Latin.
                !chunk[m.span.end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    && !verbatim
                        .iter()
                        .any(|v| v.start < m.span.end && m.span.start < v.end)
            })
            .collect();
        let mut next_verbatim = verbatim.into_iter().peekable();
        let mut next_number = numbers.into_iter().peekable();
        let mut pos = 0;
        while pos < chunk.len() {
            // Codes, addresses, times … as written.
            if let Some(v) = next_verbatim.next_if(|v| v.start <= pos) {
                if v.start == pos {
                    items.push(Item::Verbatim(&chunk[v.clone()]));
                    pos = v.end;
                }
                continue;
            }
            let verbatim_at = next_verbatim.peek().map_or(chunk.len(), |v| v.start);
            // Numbers first.
            if let Some(m) = next_number.next_if(|m| m.span.start <= pos) {
                if m.span.start < pos {
                    continue; // overlapped by something already consumed
                }
                let source = &chunk[m.span.clone()];
                pos = m.span.end;
                let counts = matches!(m.kind, NumberKind::Cardinal | NumberKind::MoreThan);
                let ordinal = m.kind == NumberKind::Ordinal;
                items.push(Item::Number(m, source));
                if counts || ordinal {
                    let rest = &chunk[pos..];
                    if let Some(cl) = CLASSIFIERS.iter().find(|c| rest.starts_with(c.word)) {
                        pos += cl.word.len();
                        items.push(Item::Classifier(cl));
                        let rest = &chunk[pos..];
                        if counts && (rest.starts_with('多') || rest.starts_with('余')) {
                            pos += '多'.len_utf8();
                            items.push(Item::MoreThan);
                        }
                    }
                }
                continue;
            }
            let rest = &chunk[pos..];
            let Some(c) = rest.chars().next() else { break };
            let number_at = next_number
                .peek()
                .map_or(chunk.len(), |m| m.span.start)
                .min(verbatim_at);
            if c == '半'
                && let Some(cl) = CLASSIFIERS
                    .iter()
                    .find(|cl| rest['半'.len_utf8()..].starts_with(cl.word))
            {
                items.push(Item::Half(cl));
                pos += '半'.len_utf8() + cl.word.len();
                continue;
            }
            if is_han(c) {
                let run_end = rest
                    .char_indices()
                    .find(|&(_, c)| !is_han(c))
                    .map_or(chunk.len(), |(i, _)| pos + i)
                    .min(number_at);
                let run = &chunk[pos..run_end];
                let tags = self.jieba.tag(run, true);
                let mut k = 0;
                while k < tags.len() {
                    // A longer dictionary word spanning several jieba tokens
                    // (中/石油 → 中石油 "PetroChina").
                    let start = tags[k].byte_start;
                    let mut merged = None;
                    for last in (k + 1..tags.len().min(k + 4)).rev() {
                        let cand = &run[start..tags[last].byte_end];
                        if cand.chars().count() >= 3
                            && self.cedict.contains(cand)
                            && (!self.cedict.has_common_entry(cand)
                                || tags[k..=last]
                                    .iter()
                                    .all(|t| function_word(t.word, t.tag).is_none()))
                        {
                            merged = Some((last, cand));
                            break;
                        }
                    }
                    match merged {
                        Some((last, cand)) => {
                            items.push(Item::Word(cand, tags[last].tag));
                            k = last + 1;
                        }
                        None => {
                            let t = &tags[k];
                            // jieba's HMM (and a few entries of its
                            // dictionary, such as 明显增加) make "names" of
                            // phrases: a name that is no name is read again
                            // as CC-CEDICT words, each with its own tag.
                            if t.tag.starts_with("nr")
                                && !self.cedict.contains(t.word)
                                && !self.looks_like_person_name(t.word, t.tag)
                                && let Some(parts) = self.dictionary_words(t.word)
                            {
                                for part in parts {
                                    let tag = match self.jieba.tag(part, false).as_slice() {
                                        [one] if one.word == part => one.tag,
                                        _ => "x",
                                    };
                                    items.push(Item::Word(part, tag));
                                }
                            } else {
                                items.push(Item::Word(t.word, t.tag));
                            }
                            k += 1;
                        }
                    }
                }
                pos = run_end;
            } else if c.is_alphanumeric() {
                let mut end = pos;
                let mut chars = rest.char_indices().peekable();
                while let Some((i, c)) = chars.next() {
                    let joiner = matches!(c, '.' | '\'' | '’' | '-' | '&' | '_');
                    let next_alnum = chars
                        .peek()
                        .is_some_and(|&(_, n)| n.is_alphanumeric() && !is_han(n));
                    if (c.is_alphanumeric() && !is_han(c)) || (joiner && next_alnum && i > 0) {
                        end = pos + i + c.len_utf8();
                    } else {
                        break;
                    }
                }
                let end = end.min(number_at.max(pos + c.len_utf8()));
                items.push(Item::Latin(&chunk[pos..end]));
                pos = end;
            } else if c.is_whitespace() {
                pos += c.len_utf8();
            } else if c == '.'
                && rest[1..].starts_with(char::is_whitespace)
                && chunk[..pos].ends_with(|p: char| p.is_ascii_alphanumeric())
            {
                // "Dr. Smith", "1. 第一步": an English full stop, not the
                // normalised corpus's Chinese comma.
                items.push(Item::Stop);
                pos += 1;
            } else {
                // Runs of …… and —— count as one mark.
                let mut end = pos + c.len_utf8();
                if matches!(c, '…' | '—' | '─' | '-') {
                    while chunk[end..].starts_with(c) {
                        end += c.len_utf8();
                    }
                }
                items.push(Item::Punct(&chunk[pos..end]));
                pos = end;
            }
        }
    }
}

/// Byte offsets of the character starts of `text`, and its length.
pub(super) fn char_starts(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// Byte spans of the tokens to copy as written: a run of ASCII characters
/// with no space (edge punctuation and unbalanced brackets trimmed) that
/// mixes letters and digits or holds inner punctuation, and is not a plain
/// number (`3.5`, `5,943`, `30%` are left to [`crate::numbers`]). This
/// covers URLs, e-mail addresses, times (`10:30`), ISO dates, versions
/// (`v2.3.1`), phone numbers, paths, `key=value` and identifiers.
pub(super) fn verbatim_spans(chunk: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let bytes = chunk.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        if !bytes[pos].is_ascii_graphic() {
            pos += 1;
            continue;
        }
        let mut end = pos;
        while end < bytes.len() && bytes[end].is_ascii_graphic() {
            end += 1;
        }
        let (mut start, mut stop) = (pos, end);
        pos = end;
        while start < stop && b"\"'([{<,.;:!?".contains(&bytes[start]) {
            start += 1;
        }
        loop {
            let token = &bytes[start..stop];
            let Some(&last) = token.last() else { break };
            let unbalanced = |open: u8, close: u8| {
                last == close
                    && token.iter().filter(|&&b| b == open).count()
                        < token.iter().filter(|&&b| b == close).count()
            };
            if b"\"'.,;:!?".contains(&last)
                || unbalanced(b'(', b')')
                || unbalanced(b'[', b']')
                || unbalanced(b'{', b'}')
            {
                stop -= 1;
            } else {
                break;
            }
        }
        let token = &chunk[start..stop];
        let letters = token.bytes().any(|b| b.is_ascii_alphabetic());
        let digits = token.bytes().any(|b| b.is_ascii_digit());
        let inner = token.bytes().any(|b| !b.is_ascii_alphanumeric());
        if !token.is_empty() && ((letters && digits) || (inner && !plain_number(token))) {
            // Latin words joined by a hyphen or an apostrophe stay words
            // ("A-share", "don't"): they are copied anyway.
            spans.push(start..stop);
        }
    }
    spans
}

/// `3.5`, `-2`, `5,943`, `30%`, `1.05`: a number [`crate::numbers`] reads.
pub(super) fn plain_number(token: &str) -> bool {
    let t = token.strip_prefix(['+', '-']).unwrap_or(token);
    let t = t.strip_suffix('%').unwrap_or(t);
    let (int, frac) = t.split_once('.').unwrap_or((t, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let grouped = int
        .split(',')
        .enumerate()
        .all(|(i, g)| digits(g) && (i == 0 && g.len() <= 3 || g.len() == 3 || !int.contains(',')));
    grouped && digits(frac)
}

#[derive(Debug)]
pub(super) enum Item<'t> {
    /// A glossary term's target.
    Fixed(&'t str),
    /// A number, date, percentage … and its source text.
    Number(NumberMatch, &'t str),
    /// `半` before a classifier: "half a month".
    Half(&'static ClassifierInfo),
    /// A classifier right after a number.
    Classifier(&'static ClassifierInfo),
    /// `多`/`余` after a number and its classifier (`两年多`).
    MoreThan,
    /// A jieba word and its part-of-speech tag.
    Word(&'t str, &'t str),
    /// Latin letters/digits.
    Latin(&'t str),
    /// A URL, e-mail address, time, date, version, phone number, path or
    /// other code-like token: copied as written.
    Verbatim(&'t str),
    /// An ASCII `.` followed by a space after a Latin word or a number: an
    /// English full stop ("Dr. Smith", "1. …").
    Stop,
    /// Punctuation.
    Punct(&'t str),
}
