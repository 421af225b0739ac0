//! The built-in rules: where a paragraph's segments end.

use super::SHORT_QUOTE_CHARS;
use super::attribution::is_attribution;
use super::marks::{Kind, Marks, Pair, link_mask};
use crate::text::is_han;

/// The char indices where the segments of the paragraph `chars` start (the
/// first, 0, excluded), in order.
pub(super) fn cuts(chars: &[char], normalized: bool) -> Vec<usize> {
    Scan::new(chars, normalized).cuts()
}

/// Whether a paragraph follows the normalised convention: it has an ASCII `.`
/// after a Han character and none of the full-width marks 。，、 that
/// normalisation replaced.
pub(super) fn looks_normalized(chars: &[char]) -> bool {
    if chars
        .iter()
        .any(|&c| matches!(c, '。' | '，' | '、' | '“' | '”' | '「' | '」'))
    {
        return false;
    }
    chars
        .windows(2)
        .any(|w| is_han(w[0]) && w[1] == '.' || w[0] == '.' && is_han(w[1]))
}

/// Closing marks that stay with the segment they close.
pub(super) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '】' | ']' | '》' | '〉' | '〕' | '］' | '}'
    )
}

/// Terminators other than the ASCII and full-width full stop.
pub(super) fn is_hard_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '⋯' | '｡')
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_latin_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('０'..='９').contains(&c)
}

fn is_chinese_numeral(c: char) -> bool {
    "〇零一二三四五六七八九十百".contains(c)
}

/// Closing quotation marks (a `'` or `"` only when it closes a pair).
fn is_quote_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』')
}

/// How many quotations may follow the one a speech attribution is looked for
/// after (`“好！”“好！”大家齐声喊道。`).
const MORE_QUOTATIONS: usize = 8;

/// The ellipses (runs of `…`, `⋯` and dots, as char ranges, in order) that
/// run into 等 "and so on" (`苹果、香蕉……等多种水果`, `……等等`), which
/// continues the sentence; not 等 "wait, until" (`……等她下楼时`, `……等一下`).
fn ellipses_that_continue(chars: &[char]) -> Vec<std::ops::Range<usize>> {
    let is_dot = |c: char| matches!(c, '…' | '⋯' | '.');
    let mut runs = Vec::new();
    for (i, _) in chars.iter().enumerate().filter(|&(_, &c)| c == '等') {
        let next = chars.get(i + 1).copied();
        let wait = next.is_some_and(|c| "我你您他她它咱到待着了候会".contains(c))
            || (next == Some('一') && chars.get(i + 2).is_some_and(|&c| "下会".contains(c)));
        let start = (0..i).rev().take_while(|&j| is_dot(chars[j])).last();
        if let Some(start) = start
            && !wait
        {
            runs.push(start..i);
        }
    }
    runs
}

/// Common abbreviations that end in a full stop in English text.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vol", "vs", "etc", "e.g", "i.e", "inc",
    "ltd", "co", "corp", "jr", "sr", "fig", "p", "pp", "art", "sec", "dept", "gov", "approx",
];

/// A paragraph being scanned for segment ends.
struct Scan<'a> {
    chars: &'a [char],
    normalized: bool,
    /// Whether each char is part of a URL or an e-mail address (empty: none
    /// is).
    in_link: Vec<bool>,
    marks: Marks,
    /// Short quotations that do not end in a terminator (slogans, titles):
    /// (open, close), sorted.
    units: Vec<(usize, usize)>,
    /// How many titles and brackets enclose each char (empty: none).
    enclosed: Vec<u8>,
    /// The ellipses that run into 等 "and so on" ([`ellipses_that_continue`]).
    continues: Vec<std::ops::Range<usize>>,
    /// The bracket that opened the current segment and where its final run
    /// of punctuation starts ([`Scan::enclosure_holds`]), once computed.
    bracket_tail: std::cell::Cell<Option<(usize, usize)>>,
}

impl<'a> Scan<'a> {
    fn new(chars: &'a [char], normalized: bool) -> Self {
        let in_link = link_mask(chars);
        let marks = Marks::find(chars, &in_link);
        let enclosed = marks.enclosure_depths(chars.len());
        let mut scan = Scan {
            chars,
            normalized,
            in_link,
            marks,
            units: Vec::new(),
            enclosed,
            continues: ellipses_that_continue(chars),
            bracket_tail: std::cell::Cell::new(None),
        };
        scan.units = scan
            .marks
            .pairs
            .iter()
            .filter(|p| {
                p.close - p.open - 1 <= SHORT_QUOTE_CHARS && !scan.ends_in_terminator(p.close)
            })
            .map(|p| (p.open, p.close))
            .collect();
        scan
    }

    fn cuts(&self) -> Vec<usize> {
        let n = self.chars.len();
        let mut cuts = Vec::new();
        // Where the current segment starts.
        let mut start = 0;
        let mut k = 0;
        while k < n {
            if !self.is_terminator(k, start) || self.enclosure_holds(k, start) {
                k += 1;
                continue;
            }
            let end = self.run_end(k, start);
            if end < n && !self.in_unit(k, end) && !self.attribution_follows(end) {
                cuts.push(end);
                start = end;
            }
            k = end.max(k + 1);
        }
        cuts
    }

    /// Whether the mark at `close` comes right after a terminator (so that the
    /// quotation or bracket it closes is a sentence).
    fn ends_in_terminator(&self, close: usize) -> bool {
        close > 0 && {
            let c = self.chars[close - 1];
            is_hard_terminator(c) || (self.normalized && (c == '.' || c == '．'))
        }
    }

    /// Whether the character at `k` ends a sentence or clause (before looking
    /// at quotes and brackets), in a segment that starts at `start`.
    fn is_terminator(&self, k: usize, start: usize) -> bool {
        let chars = self.chars;
        let c = chars[k];
        if self.in_link.get(k) == Some(&true) {
            return false;
        }
        let dot = c == '.' || c == '．';
        let dots = |i: usize| chars.get(i).is_some_and(|&c| c == '.');
        // Part of an ASCII ellipsis "..." (three or more dots).
        let ascii_ellipsis = c == '.'
            && ((dots(k + 1) && dots(k + 2))
                || (k >= 1 && dots(k - 1) && dots(k + 1))
                || (k >= 2 && dots(k - 1) && dots(k - 2)));
        if matches!(c, '…' | '⋯') || ascii_ellipsis {
            let n = self.continues.partition_point(|r| r.end <= k);
            return !self.continues.get(n).is_some_and(|r| r.contains(&k));
        }
        if is_hard_terminator(c) {
            return true;
        }
        if !dot {
            return false;
        }
        let prev = k.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(k + 1).copied();
        // A decimal point, or a dot inside a Latin token: 1.05, v2.3.1, No.1.
        if let (Some(p), Some(n)) = (prev, next)
            && (is_digit(p) && is_digit(n) || is_latin_alnum(p) && is_latin_alnum(n))
        {
            return false;
        }
        if prev.is_some_and(|p| p.is_ascii_alphabetic()) && is_abbreviation(chars, k) {
            return false;
        }
        if self.normalized {
            // An enumerator at the start of the segment: 一. 1. (一).
            let before = &chars[start..k];
            let lead = before.iter().take_while(|c| c.is_whitespace()).count();
            return !is_enumerator(&before[lead..]);
        }
        // In standard text the ASCII full stop belongs to numbers, tokens and
        // the odd English phrase; only 。！？ and ellipses end a segment.
        false
    }

    /// Whether a title or bracket holds the terminator at `k`, so that it
    /// cannot end the sentence: always, unless the bracket is a whole
    /// sentence of its own (`（数据来源：信息中心。）`), which opens at the
    /// segment's start and closes right after its final terminators.
    fn enclosure_holds(&self, k: usize, start: usize) -> bool {
        match self.enclosed.get(k).copied().unwrap_or(0) {
            0 => false,
            1 => !self
                .marks
                .opening_at(start)
                .is_some_and(|p| p.kind == Kind::Bracket && k < p.close && k >= self.tail(p)),
            _ => true,
        }
    }

    /// Where the punctuation that ends the bracket `p` starts: after its last
    /// letter or digit.
    fn tail(&self, p: Pair) -> usize {
        if let Some((open, tail)) = self.bracket_tail.get()
            && open == p.open
        {
            return tail;
        }
        let tail = (p.open + 1..p.close)
            .rev()
            .find(|&i| self.chars[i].is_alphanumeric())
            .map_or(p.open + 1, |i| i + 1);
        self.bracket_tail.set(Some((p.open, tail)));
        tail
    }

    /// The end (exclusive char index) of the terminator run starting at `k`:
    /// the terminators, the closing marks after them, more terminators, and
    /// trailing white space.
    fn run_end(&self, k: usize, start: usize) -> usize {
        let chars = self.chars;
        let mut j = k;
        loop {
            let before = j;
            while j < chars.len() && self.is_terminator(j, start) {
                j += 1;
            }
            while j < chars.len() && (is_closer(chars[j]) || self.marks.is_ascii_closing(j)) {
                j += 1;
            }
            if j == before {
                break;
            }
        }
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        j
    }

    /// Whether a cut after the run `k..end` falls inside a unit quotation
    /// that is still open at `end`.
    fn in_unit(&self, k: usize, end: usize) -> bool {
        // Units are short: only those opening shortly before `k` can hold it.
        let from = self
            .units
            .partition_point(|&(o, _)| o + SHORT_QUOTE_CHARS + 2 < k);
        self.units[from..]
            .iter()
            .take_while(|&&(o, _)| o < k)
            .any(|&(_, close)| k < close && close >= end)
    }

    /// Whether the run that ends at `end` closes a quotation that an
    /// attribution follows (`“…！”李强说。`), perhaps after more quotations
    /// that end in a terminator (`“好！”“好！”大家齐声喊道。`).
    fn attribution_follows(&self, end: usize) -> bool {
        let chars = self.chars;
        let Some(last) = (0..end).rev().find(|&i| !chars[i].is_whitespace()) else {
            return false;
        };
        if !(is_quote_closer(chars[last]) || self.marks.is_ascii_closing(last)) {
            return false;
        }
        let mut pos = end;
        // A few more quotations at most: `“好！”“好！”…`.
        let mut more = 0;
        while let Some(p) = self.marks.opening_at(pos)
            && p.kind == Kind::Quote
            && self.ends_in_terminator(p.close)
            && more < MORE_QUOTATIONS
        {
            more += 1;
            pos = p.close + 1;
            while pos < chars.len() && chars[pos].is_whitespace() {
                pos += 1;
            }
        }
        is_attribution(&chars[pos..])
    }
}

/// Whether the Latin word before the dot at `k` is an abbreviation (`Dr.`)
/// or a single capital initial (`U.S.`, `J. Smith`) not followed by Han text.
fn is_abbreviation(chars: &[char], k: usize) -> bool {
    let start = chars[..k]
        .iter()
        .rposition(|&c| !(c.is_ascii_alphabetic() || c == '.'))
        .map_or(0, |i| i + 1);
    let word: String = chars[start..k]
        .iter()
        .map(|&c| c.to_ascii_lowercase())
        .collect();
    let next = chars.get(k + 1).copied();
    if next.is_some_and(is_han) {
        return false;
    }
    let initial = word.len() == 1 && chars[k - 1].is_ascii_uppercase();
    let dotted = word.contains('.') && word.split('.').all(|part| part.len() <= 1);
    initial || dotted || ABBREVIATIONS.contains(&word.as_str())
}

/// Whether `before` (a segment up to a dot) is an enumerator: up to three
/// digits or Chinese numerals, possibly in brackets or after 第.
fn is_enumerator(before: &[char]) -> bool {
    if before.is_empty() || before.len() > 5 {
        return false;
    }
    let inner: Vec<char> = before
        .iter()
        .copied()
        .filter(|&c| !matches!(c, '(' | ')' | '（' | '）' | '第'))
        .collect();
    !inner.is_empty()
        && inner.len() <= 3
        && inner.iter().all(|&c| is_digit(c) || is_chinese_numeral(c))
}
