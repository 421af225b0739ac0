//! The segmentation stage: split decoded text into paragraphs and segments.
//!
//! A paragraph is a non-blank line. Within it, a segment ends after a
//! terminator run (`。！？!?`, an ellipsis `…`/`……`/`...`, and in
//! [normalised](Punctuation::Normalized) text the ASCII `.` that stands for
//! 。，、), together with the closing quotes or brackets that follow it and any
//! white space. The rules a translator expects:
//!
//! - a `.` between digits is a decimal point (`1.05亿元`, `占83.3.`), and a
//!   `.` between Latin letters or digits is part of a token (`www.mnr.gov.cn`,
//!   `v2.3.1`, `No.1`); an enumerator at the start of a paragraph (`一.`,
//!   `1.`) stays with its heading, and an abbreviation (`Dr.`, `U.S.`) does
//!   not end a segment;
//! - a closing quotation mark after the terminator belongs to the segment it
//!   closes, an opening one to the next; ASCII quotes, which do not say whether
//!   they open or close, are paired within the paragraph by a small dynamic
//!   programme that leaves the fewest quotes unpaired, so that one stray quote
//!   cannot flip every later decision;
//! - a quotation that does not end in a terminator (a slogan or a title such
//!   as `'夯实基层.建强队伍.勇破两难.服务民生'`) is one unit and never cut
//!   inside, unless it is longer than [`SHORT_QUOTE_CHARS`]; quoted speech,
//!   which ends in a terminator before its closing mark (`.'`, `。”`), is split
//!   into sentences like the text around it.
//!
//! Segmentation is lossless: the segments of a paragraph concatenate back to
//! the paragraph, and each carries its byte span in the decoded text.
//!
//! [`Segmenter::with_srx`] replaces these rules with those of an SRX file
//! (see [`crate::srx`]); paragraphs are found the same way.

use std::ops::Range;

use crate::document::{Document, Paragraph, Segment, SegmentId};
use crate::srx::SrxRules;

/// Quotations that do not end in a terminator and have at most this many
/// characters between their marks are kept in one segment whatever
/// punctuation they hold (slogans such as `'夯实基层.建强队伍.勇破两难.服务民生'`).
pub const SHORT_QUOTE_CHARS: usize = 64;

/// Which punctuation convention a paragraph follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Punctuation {
    /// Decide for each paragraph: standard if it has full-width Chinese
    /// punctuation, normalised otherwise.
    #[default]
    Auto,
    /// An ASCII `.` stands for 。，、 alike and ends a clause.
    Normalized,
    /// Standard Chinese punctuation: 。！？ end a sentence, ，、；： do not.
    Standard,
}

/// Splits text into segments. Cheap to create and to share between threads.
#[derive(Debug, Clone, Default)]
pub struct Segmenter {
    punctuation: Punctuation,
    /// SRX rules that replace the built-in ones, if any.
    srx: Option<SrxRules>,
}

impl Segmenter {
    /// A segmenter for the given punctuation convention.
    pub fn new(punctuation: Punctuation) -> Self {
        Segmenter {
            punctuation,
            srx: None,
        }
    }

    /// Split paragraphs with these SRX rules instead of the built-in rules
    /// (the punctuation convention is then not used).
    pub fn with_srx(mut self, rules: SrxRules) -> Self {
        self.srx = Some(rules);
        self
    }

    /// The SRX rules in use, if any.
    pub fn srx(&self) -> Option<&SrxRules> {
        self.srx.as_ref()
    }

    /// Split a decoded text into a [`Document`] of paragraphs and segments.
    ///
    /// `source` names the input (a path, or `-`) and `encoding` what it was
    /// decoded from; both are only recorded.
    pub fn document(&self, source: &str, encoding: &str, text: &str) -> Document {
        let mut position = Position::default();
        Document {
            source: source.to_string(),
            encoding: encoding.to_string(),
            paragraphs: self.paragraphs(text, &mut position),
        }
    }

    /// Split the next stretch of a text (which must end at a line break or
    /// the end of the text) into paragraphs. `position` says where the
    /// stretch starts and is moved past it, so that a text read in chunks
    /// gets the same paragraphs, ids, lines and spans as read whole.
    pub fn paragraphs(&self, text: &str, position: &mut Position) -> Vec<Paragraph> {
        let mut paragraphs = Vec::new();
        for line in lines(text) {
            let para_text = &text[line.span.clone()];
            position.paragraphs += 1;
            let index = position.paragraphs;
            let number = position.line + line.number - 1;
            let base = position.offset + line.span.start;
            let segments = self
                .split(para_text)
                .into_iter()
                .enumerate()
                .map(|(i, range)| {
                    position.segments += 1;
                    Segment {
                        id: SegmentId(position.segments),
                        paragraph: index,
                        index: i + 1,
                        line: number,
                        text: para_text[range.clone()].to_string(),
                        span: base + range.start..base + range.end,
                    }
                })
                .collect();
            paragraphs.push(Paragraph {
                index,
                line: number,
                span: base..base + line.span.len(),
                segments,
            });
        }
        position.offset += text.len();
        position.line += line_breaks(text);
        paragraphs
    }

    /// Split one paragraph into segments, returned as byte ranges of `text`
    /// that cover it exactly, in order. An empty text gives no segment.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        if let Some(srx) = &self.srx {
            return srx.split(text);
        }
        if text.is_empty() {
            return Vec::new();
        }
        let chars: Vec<char> = text.chars().collect();
        let normalized = match self.punctuation {
            Punctuation::Normalized => true,
            Punctuation::Standard => false,
            Punctuation::Auto => looks_normalized(&chars),
        };
        let mut quotes = Quotes::find(&chars);
        quotes.pairs.retain(|&(o, c)| {
            c - o - 1 <= SHORT_QUOTE_CHARS && !is_terminator(&chars, c - 1, normalized)
        });
        quotes.pairs.sort_unstable();
        let mut cuts = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !is_terminator(&chars, k, normalized) {
                k += 1;
                continue;
            }
            let end = run_end(&chars, k, normalized, &quotes);
            if !quotes.suppresses(k, end) && end < chars.len() {
                cuts.push(end);
            }
            k = end.max(k + 1);
        }
        let mut ranges = Vec::with_capacity(cuts.len() + 1);
        let (mut start, mut byte, mut at) = (0, 0, 0);
        for cut in cuts {
            byte += chars[at..cut].iter().map(|c| c.len_utf8()).sum::<usize>();
            at = cut;
            push_segment(&mut ranges, text, start..byte);
            start = byte;
        }
        push_segment(&mut ranges, text, start..text.len());
        ranges
    }
}

/// Where the next stretch of a text starts: its byte offset and line, and how
/// many paragraphs and segments came before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Byte offset in the whole text.
    pub offset: usize,
    /// 1-based line number.
    pub line: usize,
    /// Paragraphs so far.
    pub paragraphs: usize,
    /// Segments so far (the last segment id given out).
    pub segments: u32,
}

impl Default for Position {
    fn default() -> Self {
        Position {
            offset: 0,
            line: 1,
            paragraphs: 0,
            segments: 0,
        }
    }
}

/// Line breaks in `text` (`\r\n` counts once).
pub fn line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// A non-blank line: its 1-based number and the byte span of its text without
/// surrounding white space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// Byte span of the trimmed line.
    pub span: Range<usize>,
}

/// The non-blank lines of `text`; `\n`, `\r\n` and `\r` all end a line.
pub fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut number = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() {
            number += 1;
            let start = pos;
            let end = memchr_line_end(&bytes[start..]).map_or(bytes.len(), |i| start + i);
            pos = end;
            if pos < bytes.len() {
                pos += if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            let line = &text[start..end];
            let trimmed = line.trim_start_matches(is_blank);
            let lead = line.len() - trimmed.len();
            let trimmed = trimmed.trim_end_matches(is_blank);
            if !trimmed.is_empty() {
                let s = start + lead;
                return Some(Line {
                    number,
                    span: s..s + trimmed.len(),
                });
            }
        }
        None
    })
}

fn memchr_line_end(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n' || b == b'\r')
}

/// White space that does not belong to a paragraph: Unicode white space
/// (including the ideographic space U+3000) and the byte-order mark.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Push `range` as a segment, or glue it to the previous segment when it holds
/// nothing but punctuation and space (a stray `.` or closing mark).
fn push_segment(ranges: &mut Vec<Range<usize>>, text: &str, range: Range<usize>) {
    if range.is_empty() {
        return;
    }
    let has_content = text[range.clone()].chars().any(|c| c.is_alphanumeric());
    match ranges.last_mut() {
        Some(last) if !has_content => last.end = range.end,
        _ => ranges.push(range),
    }
}

/// Whether a paragraph follows the normalised convention: it has an ASCII `.`
/// after a Han character and none of the full-width marks 。，、 that
/// normalisation replaced.
fn looks_normalized(chars: &[char]) -> bool {
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

/// Whether `c` is a Han (CJK ideograph) character.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{20000}'..='\u{2ebef}'
        | '\u{30000}'..='\u{3134f}'
        | '\u{f900}'..='\u{faff}'
        | '〇')
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

/// Closing marks that stay with the segment they close.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '】' | ']' | '》' | '〉' | '〕' | '}'
    )
}

/// Terminators other than the ASCII and full-width full stop.
fn is_hard_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '⋯' | '｡')
}

/// Common abbreviations that end in a full stop in English text.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vol", "vs", "etc", "e.g", "i.e", "inc",
    "ltd", "co", "corp", "jr", "sr", "fig", "p", "pp", "art", "sec", "dept", "gov", "approx",
];

/// Whether the character at `k` ends a sentence or clause (before looking at
/// quotes).
fn is_terminator(chars: &[char], k: usize, normalized: bool) -> bool {
    let c = chars[k];
    if is_hard_terminator(c) {
        return true;
    }
    if c != '.' && c != '．' {
        return false;
    }
    let prev = k.checked_sub(1).map(|i| chars[i]);
    let next = chars.get(k + 1).copied();
    // Part of an ASCII ellipsis "..." (three or more dots).
    let dots = |i: usize| chars.get(i).is_some_and(|&c| c == '.');
    let in_ellipsis = (dots(k + 1) && dots(k + 2))
        || (k >= 1 && dots(k - 1) && dots(k + 1))
        || (k >= 2 && dots(k - 1) && dots(k - 2));
    if in_ellipsis {
        return true;
    }
    // A decimal point, or a dot inside a Latin token: 1.05, v2.3.1, www.mnr.gov.cn.
    if let (Some(p), Some(n)) = (prev, next)
        && (is_digit(p) && is_digit(n) || is_latin_alnum(p) && is_latin_alnum(n))
    {
        return false;
    }
    if prev.is_some_and(|p| p.is_ascii_alphabetic()) && is_abbreviation(chars, k) {
        return false;
    }
    if normalized {
        // An enumerator at the start of the paragraph: 一. 1. (一).
        return !is_enumerator(&chars[..k]);
    }
    // In standard text the ASCII full stop belongs to numbers, tokens and
    // the odd English phrase; only 。！？ and ellipses end a segment.
    false
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

/// Whether `before` (the paragraph up to a dot) is an enumerator: up to three
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

/// The end (exclusive char index) of the terminator run starting at `k`: the
/// terminators, the closing marks after them, more terminators, and trailing
/// white space.
fn run_end(chars: &[char], k: usize, normalized: bool, quotes: &Quotes) -> usize {
    let mut j = k;
    loop {
        let before = j;
        while j < chars.len() && is_terminator(chars, j, normalized) {
            j += 1;
        }
        while j < chars.len() && (is_closer(chars[j]) || quotes.is_closing(j)) {
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

/// The quotations of a paragraph, as pairs of char indices of their marks.
#[derive(Debug, Default)]
struct Quotes {
    /// (open, close) char indices of each paired quotation (after
    /// [`Segmenter::split`] has filtered them: of each unit quotation).
    pairs: Vec<(usize, usize)>,
    /// Char indices of ASCII quotes that close a quotation.
    closing: Vec<usize>,
}

impl Quotes {
    fn find(chars: &[char]) -> Quotes {
        let mut quotes = Quotes::default();
        // Directional marks pair with a stack per kind, in one pass that also
        // collects the ASCII quotes.
        const PAIRS: [(char, char); 7] = [
            ('“', '”'),
            ('‘', '’'),
            ('「', '」'),
            ('『', '』'),
            ('《', '》'),
            ('（', '）'),
            ('(', ')'),
        ];
        let mut stacks: [Vec<usize>; 7] = Default::default();
        let (mut single, mut double) = (Vec::new(), Vec::new());
        for (i, &c) in chars.iter().enumerate() {
            if c.is_alphanumeric() {
                continue;
            }
            match c {
                '\'' if !is_apostrophe(chars, i) => single.push(i),
                '"' => double.push(i),
                _ => {
                    for (kind, &(open, close)) in PAIRS.iter().enumerate() {
                        if c == open {
                            stacks[kind].push(i);
                        } else if c == close
                            && let Some(o) = stacks[kind].pop()
                        {
                            quotes.pairs.push((o, i));
                        }
                    }
                }
            }
        }
        quotes.pair_ascii(chars, &single);
        quotes.pair_ascii(chars, &double);
        quotes.closing.sort_unstable();
        quotes
    }

    /// Pair the ASCII quotes at `marks` (all `'` or all `"`), which look the same whether they open or
    /// close. Each mark opens, closes, or is left stray; the dynamic programme
    /// leaves the fewest strays and, among those, the shortest quotations.
    fn pair_ascii(&mut self, chars: &[char], marks: &[usize]) {
        if marks.is_empty() {
            return;
        }
        #[derive(Clone, Copy, PartialEq)]
        enum Role {
            Open,
            Close,
            Stray,
        }
        type Cost = (usize, i64);
        const NONE: Cost = (usize::MAX, i64::MAX);
        let add = |a: Cost, b: Cost| (a.0.saturating_add(b.0), a.1.saturating_add(b.1));
        // cost[s] for state s (0 outside a quotation, 1 inside) and, per mark
        // and state, the role taken and the state it came from.
        let mut cost: [Cost; 2] = [(0, 0), NONE];
        let mut back: Vec<[(Role, usize); 2]> = Vec::with_capacity(marks.len());
        for &i in marks {
            let pos = i as i64;
            let prev = chars[..i].last().copied();
            let next = chars.get(i + 1).copied();
            let can_open = next.is_some_and(|n| {
                !(n.is_whitespace() || is_closer(n) || is_hard_terminator(n) || n == '.')
            });
            let can_close = prev.is_some_and(|p| !p.is_whitespace());
            let mut next_cost = [NONE, NONE];
            let mut step = [(Role::Stray, 0), (Role::Stray, 1)];
            let mut offer = |to: usize, c: Cost, role: Role, from: usize| {
                if c < next_cost[to] {
                    next_cost[to] = c;
                    step[to] = (role, from);
                }
            };
            if cost[0] != NONE {
                if can_open {
                    offer(1, add(cost[0], (0, -pos)), Role::Open, 0);
                }
                offer(0, add(cost[0], (1, 0)), Role::Stray, 0);
            }
            if cost[1] != NONE {
                if can_close {
                    offer(0, add(cost[1], (0, pos)), Role::Close, 1);
                }
                offer(1, add(cost[1], (1, 0)), Role::Stray, 1);
            }
            cost = next_cost;
            back.push(step);
        }
        // Walk back from the end, outside any quotation.
        let mut state = 0;
        let mut roles = vec![Role::Stray; marks.len()];
        for (n, step) in back.iter().enumerate().rev() {
            let (role, from) = step[state];
            roles[n] = role;
            state = from;
        }
        let mut open = None;
        for (n, role) in roles.into_iter().enumerate() {
            match role {
                Role::Open => open = Some(marks[n]),
                Role::Close => {
                    if let Some(o) = open.take() {
                        self.pairs.push((o, marks[n]));
                        self.closing.push(marks[n]);
                    }
                }
                Role::Stray => {}
            }
        }
    }

    fn is_closing(&self, i: usize) -> bool {
        self.closing.binary_search(&i).is_ok()
    }

    /// Whether a cut after the run `k..end` falls inside a unit quotation
    /// that is still open at `end`.
    fn suppresses(&self, k: usize, end: usize) -> bool {
        // Unit quotations are short: only those opening shortly before `k`
        // can hold it. `pairs` is sorted by opening position.
        let from = self
            .pairs
            .partition_point(|&(o, _)| o + SHORT_QUOTE_CHARS + 2 < k);
        self.pairs[from..]
            .iter()
            .take_while(|&&(o, _)| o < k)
            .any(|&(_, close)| k < close && close >= end)
    }
}

/// An ASCII `'` between two Latin letters is an apostrophe (`don't`).
fn is_apostrophe(chars: &[char], i: usize) -> bool {
    chars[i] == '\''
        && i > 0
        && chars[i - 1].is_ascii_alphabetic()
        && chars.get(i + 1).is_some_and(|&c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Vec<&str> {
        Segmenter::default()
            .split(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn decimals_are_not_boundaries() {
        assert_eq!(
            seg("投资1.05亿元.新增597.42公顷."),
            ["投资1.05亿元.", "新增597.42公顷."]
        );
        assert_eq!(seg("比例占83.3.其余"), ["比例占83.3.", "其余"]);
    }

    #[test]
    fn dots_inside_latin_tokens() {
        assert_eq!(
            seg("访问www.mnr.gov.cn.下载v2.3.1版本.No.1文件."),
            ["访问www.mnr.gov.cn.", "下载v2.3.1版本.", "No.1文件."]
        );
    }

    #[test]
    fn times_end_after_the_dot() {
        assert_eq!(seg("上午9:30.会议开始."), ["上午9:30.", "会议开始."]);
    }

    #[test]
    fn closing_quote_stays_with_its_clause() {
        assert_eq!(
            seg("记者们说.'徐绍史部长不避讳敏感问题.'这种务实作风贯穿全过程."),
            [
                "记者们说.",
                "'徐绍史部长不避讳敏感问题.'",
                "这种务实作风贯穿全过程."
            ]
        );
    }

    #[test]
    fn opening_quote_goes_to_the_next_clause() {
        assert_eq!(
            seg("趟出了一条路径.'特点'就是在破解'两难'局面."),
            ["趟出了一条路径.", "'特点'就是在破解'两难'局面."]
        );
    }

    #[test]
    fn short_quotation_is_one_unit() {
        assert_eq!(
            seg("国土资源部以'夯实基层.建强队伍.勇破两难.服务民生'为主题迈出步伐.动员大会之后."),
            [
                "国土资源部以'夯实基层.建强队伍.勇破两难.服务民生'为主题迈出步伐.",
                "动员大会之后."
            ]
        );
        assert_eq!(
            seg("开展'9.1'联创齐争活动.前"),
            ["开展'9.1'联创齐争活动.", "前"]
        );
    }

    #[test]
    fn long_quoted_speech_is_split() {
        let text = "他说.'这是第一句很长很长很长的话.这是第二句也很长很长很长的话.这是第三句同样很长很长很长的话.'然后走了.";
        assert_eq!(
            seg(text),
            [
                "他说.",
                "'这是第一句很长很长很长的话.",
                "这是第二句也很长很长很长的话.",
                "这是第三句同样很长很长很长的话.'",
                "然后走了."
            ]
        );
    }

    #[test]
    fn unpaired_quote_does_not_flip_later_quotes() {
        assert_eq!(
            seg("打造百家'12336'为民服务示范窗口'.他们着力于创建'五个好'.再以'两难.两张皮'为题."),
            [
                "打造百家'12336'为民服务示范窗口'.",
                "他们着力于创建'五个好'.",
                "再以'两难.两张皮'为题."
            ]
        );
    }

    #[test]
    fn ellipsis_ends_a_segment() {
        assert_eq!(seg("地质遗迹保护…这是"), ["地质遗迹保护…", "这是"]);
        assert_eq!(seg("等等……然后。"), ["等等……", "然后。"]);
    }

    #[test]
    fn standard_punctuation() {
        assert_eq!(
            seg("他说：“我们一定完成任务。”大家鼓掌，气氛热烈；真好！？还有吗？"),
            [
                "他说：“我们一定完成任务。”",
                "大家鼓掌，气氛热烈；真好！？",
                "还有吗？"
            ]
        );
        assert_eq!(seg("增长3.5%。下一句"), ["增长3.5%。", "下一句"]);
    }

    #[test]
    fn enumerator_stays_with_heading() {
        assert_eq!(seg("一.加强领导.落实责任."), ["一.加强领导.", "落实责任."]);
        assert_eq!(seg("2.强化监管."), ["2.强化监管."]);
    }

    #[test]
    fn abbreviations_do_not_end_segments() {
        assert_eq!(seg("据U.S. News报道.中国"), ["据U.S. News报道.", "中国"]);
    }

    #[test]
    fn lines_are_trimmed_and_numbered() {
        let text = "\u{feff}标题\r\n\r\n\u{3000}\u{3000}正文.第二句.\r末行\n";
        let lines: Vec<_> = lines(text).map(|l| (l.number, &text[l.span])).collect();
        assert_eq!(lines, [(1, "标题"), (3, "正文.第二句."), (4, "末行")]);
    }

    #[test]
    fn document_spans_point_into_the_text() {
        let text = "标题\n正文.第二句.\n";
        let doc = Segmenter::default().document("x.txt", "UTF-8", text);
        let segs: Vec<_> = doc.segments().collect();
        assert_eq!(segs.len(), 3);
        for s in segs {
            assert_eq!(&text[s.span.clone()], s.text);
        }
        assert_eq!(doc.paragraphs[1].segments[1].id, SegmentId(3));
    }
}
