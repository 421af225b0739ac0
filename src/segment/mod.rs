//! The segmentation stage: split decoded text into paragraphs and segments.
//!
//! A paragraph is a non-blank line. Within it, a segment ends after a
//! terminator run (`。！？!?`, an ellipsis `…`/`……`/`...`, and in
//! [normalised](Punctuation::Normalized) text the ASCII `.` that stands for
//! 。，、), together with the closing quotes or brackets that follow it and any
//! white space. The rules a translator expects:
//!
//! - a `.` between digits is a decimal point (`1.05亿元`, `占83.3.`), and a
//!   `.` between Latin letters or digits is part of a token (`v2.3.1`,
//!   `No.1`); a URL or e-mail address is one token whatever it holds
//!   (`https://www.example.com/news?id=42&lang=zh`, `www.mnr.gov.cn`), and
//!   the punctuation right after it belongs to the sentence; an enumerator at
//!   the start of a segment (`一.`, `1.`, `(二).`), at the start of a
//!   paragraph or in its middle (`…三项重点.1.完善标准.`), stays with what it
//!   enumerates, and an abbreviation (`Dr.`, `U.S.`) does not end a segment;
//! - an ellipsis followed by 等 "and so on" continues the sentence
//!   (`苹果、香蕉……等多种水果。`), but not one followed by 等 "until"
//!   (`……等她下楼时`);
//! - a terminator inside a title or brackets never ends a sentence
//!   (`《你好吗？北方！》日前出版。`), unless the brackets hold a whole sentence
//!   of their own (`（数据来源：信息中心。）`);
//! - a closing quotation mark after the terminator belongs to the segment it
//!   closes, an opening one to the next; ASCII quotes, which do not say whether
//!   they open or close, are paired within the paragraph by a small dynamic
//!   programme that leaves the fewest quotes unpaired, so that one stray quote
//!   cannot flip every later decision;
//! - a quotation that does not end in a terminator (a slogan or a title such
//!   as `'夯实基层.建强队伍.勇破两难.服务民生'`) is one unit and never cut
//!   inside, unless it is longer than [`SHORT_QUOTE_CHARS`]; quoted speech,
//!   which ends in a terminator before its closing mark (`.'`, `。”`), is split
//!   into sentences like the text around it;
//! - after quoted speech, a speech attribution stays with the quotation
//!   (`“我们要迎难而上！”李强说。`, `“好！”“好！”大家齐声喊道。`; see
//!   [`attribution`] for what counts as one), and any other text starts a new
//!   segment (`他说：「今天先这样。」` | `然后离开。`);
//! - a segment longer than the limit ([`DEFAULT_MAX_CHARS`] characters,
//!   [`Segmenter::with_max_chars`]) is split at its strongest inner boundary
//!   near the middle (`；`, `：`, `，`, a space), recursively; one with no
//!   such boundary stays whole and is [long](Segmenter::is_long), which
//!   `translate` flags `long-segment`.
//!
//! Segmentation is lossless: the segments of a paragraph concatenate back to
//! the paragraph, and each carries its byte span in the decoded text.
//!
//! [`Segmenter::with_srx`] replaces these rules with those of an SRX file
//! (see [`srx`]); paragraphs are found, and long segments split, the
//! same way.

pub mod attribution;
mod long;
mod marks;
mod rules;
pub mod srx;

pub use crate::text::is_han;

use std::ops::Range;

use crate::document::{Document, Flag, FlagKind, Paragraph, Segment, SegmentId};
use srx::SrxRules;

/// Quotations that do not end in a terminator and have at most this many
/// characters between their marks are kept in one segment whatever
/// punctuation they hold (slogans such as `'夯实基层.建强队伍.勇破两难.服务民生'`).
pub const SHORT_QUOTE_CHARS: usize = 64;

/// The default length limit of a segment, in characters: longer ones are
/// split at an inner boundary, or flagged `long-segment` when they have none.
pub const DEFAULT_MAX_CHARS: usize = 300;

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
#[derive(Debug, Clone)]
pub struct Segmenter {
    punctuation: Punctuation,
    /// SRX rules that replace the built-in ones, if any.
    srx: Option<SrxRules>,
    /// The length limit in characters (0: none).
    max_chars: usize,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new(Punctuation::default())
    }
}

impl Segmenter {
    /// A segmenter for the given punctuation convention, with the default
    /// length limit.
    pub fn new(punctuation: Punctuation) -> Self {
        Segmenter {
            punctuation,
            srx: None,
            max_chars: DEFAULT_MAX_CHARS,
        }
    }

    /// Split segments longer than `max_chars` characters (not counting
    /// surrounding white space) at an inner boundary; 0 sets no limit.
    pub fn with_max_chars(mut self, max_chars: usize) -> Self {
        self.max_chars = max_chars;
        self
    }

    /// The length limit in characters (0: none).
    pub fn max_chars(&self) -> usize {
        self.max_chars
    }

    /// Whether a segment's text is over the length limit: a segment that
    /// [`split`](Segmenter::split) could not cut further, because it has no
    /// inner boundary.
    pub fn is_long(&self, text: &str) -> bool {
        self.max_chars > 0 && long::content_chars(text) > self.max_chars
    }

    /// The `long-segment` flag for a segment's text, if it [is
    /// long](Segmenter::is_long).
    pub fn long_segment_flag(&self, text: &str) -> Option<Flag> {
        self.is_long(text).then(|| Flag {
            kind: FlagKind::LongSegment,
            detail: format!(
                "{} characters (limit {}), nothing to split at",
                long::content_chars(text),
                self.max_chars
            ),
        })
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
                codes: Vec::new(),
            });
        }
        position.offset += text.len();
        position.line += line_breaks(text);
        paragraphs
    }

    /// Split one paragraph into segments, returned as byte ranges of `text`
    /// that cover it exactly, in order. An empty text gives no segment.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        let ranges = match &self.srx {
            Some(srx) => srx.split(text),
            None => self.split_builtin(text),
        };
        if self.max_chars == 0 {
            return ranges;
        }
        let mut out = Vec::with_capacity(ranges.len());
        for range in ranges {
            long::split_long(text, range, self.max_chars, &mut out);
        }
        out
    }

    /// [`Segmenter::split`], as the texts of the segments.
    ///
    /// ```
    /// let segmenter = bitext::segment::Segmenter::default();
    /// assert_eq!(segmenter.split_texts("一句。两句？"), ["一句。", "两句？"]);
    /// ```
    pub fn split_texts<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.split(text).into_iter().map(|r| &text[r]).collect()
    }

    fn split_builtin(&self, text: &str) -> Vec<Range<usize>> {
        if text.is_empty() {
            return Vec::new();
        }
        let chars: Vec<char> = text.chars().collect();
        let normalized = match self.punctuation {
            Punctuation::Normalized => true,
            Punctuation::Standard => false,
            Punctuation::Auto => rules::looks_normalized(&chars),
        };
        let cuts = rules::cuts(&chars, normalized);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Vec<&str> {
        Segmenter::default().split_texts(text)
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
