//! Word-by-word Chinese → English gloss built on CC-CEDICT and jieba.
//!
//! [`Glosser::gloss`] turns one segment of Chinese text into a readable
//! English gloss:
//!
//! 0. Traditional text is first put into simplified characters, one for
//!    one, with tables built from CC-CEDICT's own traditional and simplified
//!    headwords ([`Cedict::simplify`]); the rest works on that form. Only
//!    the gloss comes from it: callers keep the source as written.
//! 1. Glossary terms already matched by the caller ([`FixedTerm`]) are
//!    emitted verbatim and never re-glossed.
//! 2. Numbers, dates and percentages are found with [`crate::numbers`] and
//!    written the English way (`1.05亿元` → "105 million yuan",
//!    `2011年4月26日` → "April 26, 2011"); a classifier after a number is
//!    dropped (`348个` → "348") or turned into its unit (`两年` → "two
//!    years"), and the noun it counts is pluralised ("5,943 party
//!    members").
//! 3. The remaining Chinese is segmented with jieba (HMM on, so unknown
//!    names hold together). Each word is glossed by, in order: the function
//!    word table below, a small table of frequent news words whose first
//!    CC-CEDICT sense misleads, a person-name transliteration ("Xu
//!    Shaoshi"), the CC-CEDICT gloss of the word, or else the longest
//!    CC-CEDICT words inside it, then single characters, then pinyin.
//!    Han characters survive only if none of that exists.
//! 4. Chinese punctuation is mapped to English. In the normalised corpus
//!    form, where ASCII `.` stands for `。，、` and ASCII `'` for Chinese
//!    quotes, a `.` at the very end of the segment becomes "." and any other
//!    `.` becomes ","; `'` becomes a double quote.
//! 5. A few safe reorderings: a person name before a title ("徐绍史部长" →
//!    "Minister Xu Shaoshi"); `在 … 中/上/下` → "in/on/under …";
//!    temporal postpositions closing a clause (`…时`, `…之后`, `…以来`,
//!    `两年多来`) move to the front ("when …", "after …", "since …",
//!    "for …"); `把/将 X 作为 Y` → "take X as Y"; `X之一` → "one of X".
//!    `X的Y` stays in Chinese order, with `的` written as a possessive
//!    ("Ministry's") after a noun and dropped after verbs and adjectives.
//! 6. The first letter of the segment (and of each sentence after an inner
//!    `。！？`) is capitalised; spaces are single.
//!
//! # Function words
//!
//! | Chinese | English | Chinese | English |
//! |---|---|---|---|
//! | 的 | 's / dropped | 了 着 过 地 得 (particles) | dropped |
//! | 和 与 及 以及 并 而 且 | and | 或 或者 | or |
//! | 在 | in (or on/under/… from a closing 上/下) | 于 | in |
//! | 是 就是 | is | 有 | have |
//! | 对 | to | 对于 | for |
//! | 将 | will (before a verb) / dropped (before a noun) | 把 | dropped (or "take" with 作为) |
//! | 被 由 | by | 以 | with |
//! | 为 | as (after 以) / for | 从 自 | from |
//! | 向 到 给 | to | 等 等等 | etc. |
//! | 中 上 下 里 内 (after a noun) | in on under in within | 之 | of |
//! | 时 后 之后 前 之前 以来 (closing a clause) | when after after before before since | 们 | plural -s |
//! | 不 没 未 | not | 也 都 还 又 再 已 已经 | also all also again again already already |
//! | 这 那 这些 那些 这种 | this that these those this kind of | 其 | its |
//! | 每 各 各位 | every each everyone | 一些 多种 多位 | some, many kinds of, many |
//!
//! The complete tables are `function_word` and `content_override` in the
//! source.

use std::io;
use std::ops::Range;

use jieba_rs::Jieba;

use crate::backend::dictionary::cedict::{Cedict, is_han};
use crate::numbers::{self, NumberKind, NumberMatch, Script};

/// A glossary term already matched in the text: the bytes `span` of the
/// glossed text are emitted as `target`, verbatim, and never re-glossed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedTerm<'a> {
    /// Byte range of the term in the text passed to [`Glosser::gloss`].
    pub span: Range<usize>,
    /// The English rendering to emit.
    pub target: &'a str,
}

/// The offline dictionary glosser: CC-CEDICT plus a jieba segmenter.
pub struct Glosser {
    cedict: Cedict,
    jieba: Jieba,
}

impl std::fmt::Debug for Glosser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Glosser")
            .field("cedict", &self.cedict)
            .finish_non_exhaustive()
    }
}

impl Glosser {
    /// Builds a glosser from a loaded dictionary and segmenter.
    ///
    /// The segmenter should be `Jieba::new()` (default dictionary); building
    /// it is the slowest part of start-up, so callers typically build it on
    /// another thread while [`Cedict::load`] runs, as [`Glosser::load`]
    /// does.
    pub fn new(cedict: Cedict, jieba: Jieba) -> Self {
        Glosser { cedict, jieba }
    }

    /// Loads the embedded CC-CEDICT and jieba's default dictionary, in
    /// parallel (jieba on a second thread); about 100–120 ms in a release
    /// build on an idle 2-core machine, bounded by jieba.
    ///
    /// Never fails: should the embedded dictionary be unreadable (it is
    /// checked by the tests, so only a corrupted binary could do this), the
    /// glosser falls back to an empty dictionary and writes pinyin. Use
    /// [`Glosser::try_load`] to see such an error.
    pub fn load() -> Self {
        let jieba = std::thread::Builder::new()
            .name("jieba-load".into())
            .spawn(Jieba::new);
        let cedict = Cedict::load().unwrap_or_else(|_| Cedict::empty());
        let jieba = match jieba {
            Ok(handle) => handle.join().unwrap_or_else(|_| Jieba::empty()),
            Err(_) => Jieba::new(),
        };
        Glosser::new(cedict, jieba)
    }

    /// Like [`Glosser::load`], but reports a failure to read the embedded
    /// dictionary or to start the loading thread.
    pub fn try_load() -> io::Result<Self> {
        let jieba = std::thread::Builder::new()
            .name("jieba-load".into())
            .spawn(Jieba::new)?;
        let cedict = Cedict::load()?;
        let jieba = jieba
            .join()
            .map_err(|_| io::Error::other("loading the jieba dictionary panicked"))?;
        Ok(Glosser::new(cedict, jieba))
    }

    /// The dictionary.
    pub fn cedict(&self) -> &Cedict {
        &self.cedict
    }

    /// The segmenter.
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    /// Glosses one segment (typically a sentence or clause) of Chinese text.
    ///
    /// `fixed` are glossary terms already matched in `text`: byte spans,
    /// sorted and non-overlapping; each is emitted as its `target`
    /// verbatim. Spans that are out of range, not on character boundaries,
    /// unsorted or overlapping are ignored.
    ///
    /// See the module documentation for what the output looks like.
    pub fn gloss(&self, text: &str, fixed: &[FixedTerm<'_>]) -> String {
        // Traditional text is glossed through its simplified form, which
        // has the same characters one for one: the spans move over.
        if let Some(simplified) = self.cedict.simplify(text) {
            let from = char_starts(text);
            let to = char_starts(&simplified);
            let at = |byte: usize| from.binary_search(&byte).ok().map(|i| to[i]);
            let moved: Vec<FixedTerm<'_>> = fixed
                .iter()
                .filter_map(|t| {
                    Some(FixedTerm {
                        span: at(t.span.start)?..at(t.span.end)?,
                        target: t.target,
                    })
                })
                .collect();
            return self.gloss_simplified(&simplified, &moved);
        }
        self.gloss_simplified(text, fixed)
    }

    fn gloss_simplified(&self, text: &str, fixed: &[FixedTerm<'_>]) -> String {
        let items = self.lex(text, fixed);
        let pieces = Renderer::new(self, &items).run();
        join_pieces(&pieces)
    }

    /// The English for a single word as the glosser would write it out of
    /// context (function words, overrides, dictionary, names, pinyin).
    pub fn gloss_word(&self, word: &str) -> String {
        self.gloss(word, &[])
    }

    // -- lexing --------------------------------------------------------------

    fn lex<'t>(&'t self, text: &'t str, fixed: &[FixedTerm<'t>]) -> Vec<Item<'t>> {
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

    // -- word glosses --------------------------------------------------------

    /// Gloss pieces for a content word (no function-word handling).
    fn content_pieces(&self, word: &str, tag: &str) -> Vec<(String, Class)> {
        let class = Class::from_tag(tag);
        if let Some(text) = content_override(word, tag) {
            return vec![(text.to_string(), class)];
        }
        if self.looks_like_person_name(word, tag)
            && let Some(name) = self.cedict.name_pinyin(word)
        {
            return vec![(name, Class::Name)];
        }
        if let Some(g) = self.cedict.gloss(word) {
            return vec![(g.to_string(), class)];
        }
        // Not in the dictionary: the longest dictionary words inside it.
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < word.len() {
            let rest = &word[pos..];
            let first_len = rest.chars().next().map_or(rest.len(), char::len_utf8);
            let len =
                (pos == 0 && rest.len() > first_len && prefix_word(&rest[..first_len]).is_some())
                    .then_some(first_len)
                    .or_else(|| self.longest_known_prefix(rest))
                    .unwrap_or(first_len);
            let part = &rest[..len];
            let prev_part = word[..pos].chars().last();
            if matches!(part, "的" | "地" | "得" | "了" | "着")
                || (part.chars().count() == 1 && prev_part.is_some_and(|p| part.starts_with(p)))
            {
                // Particles and AA reduplication (红红的 → "red").
                pos += len;
                continue;
            }
            let last = pos + len == word.len() && pos > 0;
            let text = if last && let Some(sfx) = suffix_word(part) {
                Some(sfx.to_string())
            } else if pos == 0
                && len < rest.len()
                && let Some(pre) = prefix_word(part)
            {
                Some(pre.to_string())
            } else {
                None
            };
            let text = text
                .or_else(|| content_override(part, tag).map(str::to_string))
                .or_else(|| function_word_text(part).map(str::to_string))
                .or_else(|| self.cedict.gloss(part).map(str::to_string))
                .or_else(|| self.cedict.place_pinyin(part))
                .unwrap_or_else(|| part.to_string());
            if !text.is_empty() {
                out.push((text, class));
            }
            pos += len;
        }
        out
    }

    /// `word` cut into CC-CEDICT words, longest first, if it is made of
    /// two or more of them.
    fn dictionary_words<'w>(&self, word: &'w str) -> Option<Vec<&'w str>> {
        let mut parts = Vec::new();
        let mut rest = word;
        while !rest.is_empty() {
            let len = self.cedict.longest_prefix(rest)?;
            parts.push(&rest[..len]);
            rest = &rest[len..];
        }
        (parts.len() >= 2).then_some(parts)
    }

    /// Longest prefix of `text` that is a dictionary word or has an
    /// override.
    fn longest_known_prefix(&self, text: &str) -> Option<usize> {
        let cedict = self.cedict.longest_prefix(text);
        let ends: Vec<usize> = text
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .take(8)
            .collect();
        let overridden = ends
            .into_iter()
            .rev()
            .find(|&e| content_override(&text[..e], "").is_some());
        match (cedict, overridden) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether a jieba word is an unknown person name to transliterate.
    fn looks_like_person_name(&self, word: &str, tag: &str) -> bool {
        if !tag.starts_with("nr") || self.cedict.contains(word) {
            return false;
        }
        let chars: Vec<char> = word.chars().collect();
        if !(2..=4).contains(&chars.len()) || !chars.iter().all(|&c| is_han(c)) {
            return false;
        }
        if NOT_SURNAMES.contains(chars[0]) {
            return false;
        }
        let compound = chars.len() >= 3 && {
            let two: String = chars[..2].iter().collect();
            self.cedict.is_surname(&two)
        };
        let single = self.cedict.is_surname(&chars[0].to_string());
        if !compound && (!single || chars.len() == 4) {
            return false;
        }
        // The given name must not be an ordinary multi-character word
        // (党风廉政 = 党风 + 廉政, not a Mr Dang).
        let given: String = chars[if compound { 2 } else { 1 }..].iter().collect();
        !(given.chars().count() >= 2 && self.cedict.has_common_entry(&given))
    }
}

/// Characters that are surnames in CC-CEDICT but far more often function
/// words or word starts; jieba's HMM sometimes glues them to the next
/// character and tags the result as a name (由虚 "You Xu").
const NOT_SURNAMES: &str = "由在和与对将把被为以从向于及并是有不也都就还这那其之所让使给到等又再才已更最很各每本该此如若因但而或且即乃凡党国全新大小上下中前后高多少长老";

/// Last characters of unknown compounds that name an institution or a
/// kind of thing (`地质环境司` → "… department", `汇报会` → "… meeting").
fn suffix_word(c: &str) -> Option<&'static str> {
    Some(match c {
        "会" => "meeting",
        "司" | "厅" => "department",
        "局" => "bureau",
        "部" => "ministry",
        "院" | "所" => "institute",
        "办" | "处" => "office",
        "委" => "committee",
        "组" => "group",
        "队" => "team",
        "员" => "member",
        "型" => "type",
        "化" | "性" => "",
        "省" => "province",
        "市" => "city",
        "县" => "county",
        "区" => "district",
        "乡" => "township",
        "镇" => "town",
        "村" => "village",
        "站" => "station",
        "室" => "room",
        "费" => "fee",
        "率" => "rate",
        "量" => "amount",
        _ => return None,
    })
}

/// First characters of unknown compounds that act as determiners
/// (`该市` → "the city").
fn prefix_word(c: &str) -> Option<&'static str> {
    Some(match c {
        "该" => "the",
        "本" => "this",
        "此" | "这" => "this",
        "各" => "each",
        "每" => "every",
        "全" => "whole",
        "原" | "前" => "former",
        "副" => "deputy",
        "总" => "general",
        "我" => "my",
        "你" => "your",
        "他" => "his",
        "她" => "her",
        "它" | "其" => "its",
        _ => return None,
    })
}

/// Byte spans of the tokens to copy as written: a run of ASCII characters
/// with no space (edge punctuation and unbalanced brackets trimmed) that
/// mixes letters and digits or holds inner punctuation, and is not a plain
/// number (`3.5`, `5,943`, `30%` are left to [`crate::numbers`]). This
/// covers URLs, e-mail addresses, times (`10:30`), ISO dates, versions
/// (`v2.3.1`), phone numbers, paths, `key=value` and identifiers.
fn verbatim_spans(chunk: &str) -> Vec<Range<usize>> {
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
fn plain_number(token: &str) -> bool {
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

// ---------------------------------------------------------------------------
// Lexical items
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Item<'t> {
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

/// A classifier or measure unit that can follow a number.
#[derive(Debug)]
struct ClassifierInfo {
    word: &'static str,
    /// English singular; empty = dropped.
    one: &'static str,
    /// English plural.
    many: &'static str,
    /// "batch of": the following noun is plural.
    of: bool,
}

const fn cl(word: &'static str, one: &'static str, many: &'static str) -> ClassifierInfo {
    ClassifierInfo {
        word,
        one,
        many,
        of: false,
    }
}

const fn cl_of(word: &'static str, one: &'static str, many: &'static str) -> ClassifierInfo {
    ClassifierInfo {
        word,
        one,
        many,
        of: true,
    }
}

/// Classifiers and units after numbers, longest first where they share a
/// prefix.
static CLASSIFIERS: &[ClassifierInfo] = &[
    cl("个百分点", "percentage point", "percentage points"),
    cl("百分点", "percentage point", "percentage points"),
    cl("平方公里", "square kilometer", "square kilometers"),
    cl("平方米", "square meter", "square meters"),
    cl("个月", "month", "months"),
    cl("周年", "anniversary", "anniversary"),
    cl("个", "", ""),
    cl("名", "", ""),
    cl("位", "", ""),
    cl("家", "", ""),
    cl("项", "", ""),
    cl("条", "", ""),
    cl("件", "", ""),
    cl("张", "", ""),
    cl("本", "", ""),
    cl("座", "", ""),
    cl("辆", "", ""),
    cl("台", "", ""),
    cl("架", "", ""),
    cl("所", "", ""),
    cl("支", "", ""),
    cl("只", "", ""),
    cl("头", "", ""),
    cl("匹", "", ""),
    cl("艘", "", ""),
    cl("枚", "", ""),
    cl("棵", "", ""),
    cl("颗", "", ""),
    cl("栋", "", ""),
    cl("幅", "", ""),
    cl("首", "", ""),
    cl("封", "", ""),
    cl("篇", "", ""),
    cl("份", "", ""),
    cl("场", "", ""),
    cl("段", "", ""),
    cl("句", "", ""),
    cl("门", "", ""),
    cl("股", "", ""),
    cl("块", "", ""),
    cl("笔", "", ""),
    cl("席", "", ""),
    cl("口", "", ""),
    cl("眼", "", ""),
    cl("间", "", ""),
    cl("届", "", ""),
    cl("期", "", ""),
    cl_of("批", "batch of", "batches of"),
    cl_of("种", "kind of", "kinds of"),
    cl_of("类", "type of", "types of"),
    cl_of("组", "group of", "groups of"),
    cl_of("套", "set of", "sets of"),
    cl_of("双", "pair of", "pairs of"),
    cl("例", "case", "cases"),
    cl("级", "level", "levels"),
    cl("层", "layer", "layers"),
    cl("轮", "round", "rounds"),
    cl("次", "time", "times"),
    cl("倍", "times", "times"),
    cl("年", "year", "years"),
    cl("天", "day", "days"),
    cl("周", "week", "weeks"),
    cl("小时", "hour", "hours"),
    cl("分钟", "minute", "minutes"),
    cl("岁", "year old", "years old"),
    cl("人", "person", "people"),
    cl("户", "household", "households"),
    cl("美元", "US dollar", "US dollars"),
    cl("元", "yuan", "yuan"),
    cl("亩", "mu", "mu"),
    cl("公顷", "hectare", "hectares"),
    cl("公里", "kilometer", "kilometers"),
    cl("米", "meter", "meters"),
    cl("公斤", "kilogram", "kilograms"),
    cl("吨", "ton", "tons"),
];

// ---------------------------------------------------------------------------
// Output pieces
// ---------------------------------------------------------------------------

/// Coarse word class, from jieba's tag, used by the reordering rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Noun,
    Name,
    Verb,
    Adj,
    Adv,
    Pronoun,
    Number,
    Article,
    Func,
    Punct,
}

impl Class {
    fn from_tag(tag: &str) -> Class {
        match tag {
            "vn" | "an" | "j" | "s" | "t" | "nz" | "ng" | "x" | "eng" => Class::Noun,
            "l" | "i" => Class::Adj,
            t if t.starts_with("nr") => Class::Name,
            t if t.starts_with('n') => Class::Noun,
            t if t.starts_with('v') => Class::Verb,
            t if t.starts_with('a') || t == "b" || t == "z" => Class::Adj,
            "d" | "ad" | "vd" => Class::Adv,
            t if t.starts_with('r') => Class::Pronoun,
            "m" | "q" | "mq" => Class::Number,
            _ => Class::Func,
        }
    }

    /// Part of a noun phrase (for possessives, locatives, plurals).
    fn nominal(self) -> bool {
        matches!(
            self,
            Class::Noun | Class::Name | Class::Number | Class::Pronoun
        )
    }
}

#[derive(Debug, Clone)]
struct Piece {
    text: String,
    class: Class,
    /// No space before (",", closing quote, "'s").
    glue_left: bool,
    /// No space after (opening quote).
    glue_right: bool,
    /// Capitalise the first letter (sentence start).
    capitalise: bool,
    /// Copied from the source: never capitalised.
    keep_case: bool,
}

impl Piece {
    fn word(text: impl Into<String>, class: Class) -> Piece {
        Piece {
            text: text.into(),
            class,
            glue_left: false,
            glue_right: false,
            capitalise: false,
            keep_case: false,
        }
    }

    fn punct(text: &str, glue_left: bool, glue_right: bool) -> Piece {
        Piece {
            text: text.to_string(),
            class: Class::Punct,
            glue_left,
            glue_right,
            capitalise: false,
            keep_case: false,
        }
    }
}

// ---------------------------------------------------------------------------
// Function words and overrides
// ---------------------------------------------------------------------------

/// What a function word does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fw {
    /// Emit this text.
    Text(&'static str),
    /// Emit nothing.
    Drop,
    /// 的: possessive after a noun, else dropped.
    De,
    /// 在: "in", possibly refined by a later locative.
    Zai,
    /// Locative postposition (中 上 下 …) with its preposition.
    Locative(&'static str),
    /// Temporal postposition (时 后 以来 …) with its conjunction.
    Temporal(&'static str),
    /// 把: dropped, or "take" with a later 作为.
    Ba,
    /// 将: "will" before a verb, 把-like before a noun.
    Jiang,
    /// 以: "with"; makes a later 为 "as".
    Yi,
    /// 为: "as" after 以, else "for".
    Wei,
    /// 作为/当作: "as".
    ZuoWei,
    /// 之一: "one of" before the preceding noun phrase.
    ZhiYi,
    /// 们: pluralise the preceding noun.
    Men,
    /// Makes the next noun plural (多种, 这些 …).
    Plural(&'static str),
    /// 就: "on" (regarding) at the start of a clause, else dropped.
    Jiu,
    /// 来 after a duration: "for", moved to the clause start.
    Lai,
}

/// The function-word table: frequent grammatical words whose first
/// CC-CEDICT sense would mislead. `tag` is jieba's part of speech.
fn function_word(word: &str, tag: &str) -> Option<Fw> {
    use Fw::*;
    let particle = tag.starts_with('u');
    Some(match word {
        "的" => De,
        "了" | "啊" | "吗" | "呢" | "吧" | "嘛" | "呀" | "哦" | "之所以" => Drop,
        "着" | "过" if particle => Drop,
        "地" | "得" if particle || tag == "ud" || tag == "uv" => Drop,
        "所" if tag != "q" && tag != "n" => Drop,
        "之" => Text("of"),
        "之一" => ZhiYi,
        "们" => Men,
        "和" | "与" | "及" | "以及" | "并" | "并且" | "而" | "而且" | "且" | "同时并" => {
            Text("and")
        }
        "或" | "或者" | "或是" => Text("or"),
        "跟" | "同" if tag == "p" || tag == "c" => Text("with"),
        "是" | "就是" | "即" | "乃" => Text("is"),
        "也是" => Text("is also"),
        "都是" => Text("are all"),
        "不是" => Text("is not"),
        "有" => Text("have"),
        "没有" if tag == "d" => Text("not"),
        "没有" => Text("have no"),
        "不" | "没" | "未" | "不要" if word != "不要" || tag == "d" => Text("not"),
        "无" => Text("without"),
        "也" => Text("also"),
        "都" | "均" => Text("all"),
        "还" => Text("also"),
        "又" | "再" => Text("again"),
        "才" => Text("only then"),
        "已" | "已经" => Text("already"),
        "曾" | "曾经" => Text("once"),
        "正在" | "正" if tag == "d" || word == "正在" => Text("is"),
        "将要" => Text("will"),
        "会" if tag == "v" => Text("will"),
        "能" | "能够" | "可" | "可以" => Text("can"),
        "应" | "应该" | "应当" => Text("should"),
        "要" if tag == "v" => Text("must"),
        "必须" => Text("must"),
        "很" | "非常" | "十分" => Text("very"),
        "更" | "更加" => Text("more"),
        "最" => Text("most"),
        "太" => Text("too"),
        "越来越" => Text("increasingly"),
        "较" | "比较" => Text("relatively"),
        "共" if tag == "d" => Text("in total"),
        "仅" | "只" if tag == "d" => Text("only"),
        "就" => Jiu,
        "便" => Text("then"),
        "却" | "但" | "但是" | "可是" => Text("but"),
        "然而" => Text("however"),
        "因为" => Text("because"),
        "因此" => Text("therefore"),
        "所以" => Text("so"),
        "如果" => Text("if"),
        "虽然" | "虽" => Text("although"),
        "即使" => Text("even if"),
        "不仅" => Text("not only"),
        "此外" => Text("in addition"),
        "在" => Zai,
        "于" => Text("in"),
        "从" | "自" => Text("from"),
        "向" | "到" | "往" if tag == "p" => Text("to"),
        "对" if tag == "p" => Text("to"),
        "对于" => Text("for"),
        "关于" => Text("about"),
        "按照" | "根据" | "依照" | "依据" => Text("according to"),
        "通过" if tag == "p" => Text("through"),
        "为了" => Text("in order to"),
        "为" => Wei,
        "以" => Yi,
        "由" | "被" => Text("by"),
        "把" => Ba,
        "将" => Jiang,
        "作为" | "当作" | "当成" | "视为" | "看作" => ZuoWei,
        "给" if tag == "p" => Text("to"),
        "让" => Text("let"),
        "使" | "令" => Text("make"),
        "比" if tag == "p" => Text("than"),
        "随着" => Text("along with"),
        "除了" => Text("apart from"),
        "针对" => Text("aimed at"),
        "我" => Text("I"),
        "我们" | "咱们" => Text("we"),
        "你" | "您" | "你们" => Text("you"),
        "他" => Text("he"),
        "她" => Text("she"),
        "它" => Text("it"),
        "他们" | "她们" | "它们" => Text("they"),
        "大家" => Text("everyone"),
        "自己" => Text("oneself"),
        "其" => Text("its"),
        "其他" | "其它" => Text("other"),
        "其中" => Text("among them"),
        "这" | "此" | "这个" | "这一" => Text("this"),
        "那" | "那个" => Text("that"),
        "这样" | "那样" => Text("such"),
        "该" if tag == "r" => Text("the"),
        "各" => Text("each"),
        "每" | "每个" | "每一" => Text("every"),
        "这些" => Plural("these"),
        "那些" => Plural("those"),
        "一些" | "些" => Plural("some"),
        "这种" => Text("this kind of"),
        "那种" => Text("that kind of"),
        "各种" => Plural("all kinds of"),
        "各级" => Plural("all levels of"),
        "各位" => Plural("all"),
        "多种" => Plural("many kinds of"),
        "多位" | "多名" | "多个" | "多家" | "多项" | "诸多" | "许多" | "很多" => {
            Plural("many")
        }
        "多次" => Text("many times"),
        "个个" | "人人" => Text("everyone"),
        "等" | "等等" if tag != "v" => Text("etc."),
        "中" | "当中" if tag == "f" || word != "中" => Locative("in"),
        "上" | "之上" if tag == "f" => Locative("on"),
        "下" | "之下" if tag == "f" => Locative("under"),
        "里" | "之中" if tag == "f" => Locative("in"),
        "内" | "之内" if tag == "f" || tag == "n" => Locative("within"),
        "间" | "之间" if tag == "f" => Locative("between"),
        "外" | "之外" if tag == "f" => Locative("outside"),
        "时" | "之时" | "时候" | "的时候" => Temporal("when"),
        "后" | "之后" | "以后" => Temporal("after"),
        "前" | "之前" | "以前" => Temporal("before"),
        "以来" => Temporal("since"),
        "期间" => Temporal("during"),
        "之初" => Temporal("at the start of"),
        "之际" => Temporal("on the occasion of"),
        "来" if tag == "f" || tag == "v" => Lai,
        _ => return None,
    })
}

/// Plain text of a function word used inside an unknown word (no context).
fn function_word_text(word: &str) -> Option<&'static str> {
    match function_word(word, "")? {
        Fw::Text(t) | Fw::Plural(t) => Some(t),
        _ => None,
    }
}

/// Sense choices for frequent words whose first CC-CEDICT sense misleads
/// in running text (`活动` "exercise" → "activity", `机关` "mechanism" →
/// "agency", `进行` "advance" → "carry out").
///
/// Only general choices belong here: words frequent in a general corpus
/// (each key has a frequency of at least about 1,000 in jieba's dictionary,
/// which is counted on general Chinese text, except a few fixed time
/// phrases it does not list, such as 多年来), with a sense that holds in any
/// text of the news and report register. Phrases of one domain are data
/// ([`domain_phrase`]); nothing here serves a single sentence.
fn content_override(word: &str, tag: &str) -> Option<&'static str> {
    let verb = tag.starts_with('v') && tag != "vn";
    Some(match word {
        // Verbs and verbal nouns: the verb when jieba tags a verb.
        "建设" if verb => "build",
        "建设" => "building",
        "领导" if verb => "lead",
        "领导" => "leader",
        "创新" if verb => "innovate",
        "创新" => "innovation",
        "肯定" if verb => "affirm",
        "肯定" => "affirmation",
        "组织" if verb => "organize",
        "组织" => "organization",
        "带领" if verb => "lead",
        "带领" => "leadership",
        "公开" if tag == "ad" || tag == "d" => "publicly",
        "公开" if verb => "make public",
        "公开" => "public",
        "发展" if verb => "develop",
        "发展" => "development",
        "管理" if verb => "manage",
        "管理" => "management",
        "服务" if verb => "serve",
        "服务" => "service",
        "要求" if verb => "require",
        "要求" => "requirement",
        "承诺" if verb => "pledge",
        "承诺" => "commitment",
        "监管" if verb => "supervise",
        "监管" => "supervision",
        "带" if verb => "bring",
        "探索" if verb => "explore",
        "探索" => "exploration",
        "特别" if tag == "d" => "especially",
        "活动" => "activity",
        "工作" => "work",
        "问题" => "problem",
        "机关" => "agency",
        "基层" => "grassroots",
        "群众" => "the masses",
        "过程" => "process",
        "有关" => "relevant",
        "作为" => "as",
        "情况" | "局面" => "situation",
        "高度" => "high",
        "部长" => "minister",
        "所长" => "director",
        "进行" => "carry out",
        "加强" => "strengthen",
        "提出" => "put forward",
        "作出" | "做出" => "make",
        "推进" => "advance",
        "相应" => "corresponding",
        "集中" => "concentrated",
        "实施" | "落实" => "implement",
        "实际" => "reality",
        "地方" => "local",
        "干部" => "cadre",
        "岗位" => "post",
        "大力" => "vigorously",
        "力度" => "intensity",
        "座谈" => "hold a discussion",
        "回答" => "answer",
        "做到" => "achieve",
        "行动" => "action",
        "破解" => "solve",
        "攻关" => "tackle key problems",
        "坚实" | "扎实" => "solid",
        "中央" => "central",
        "国家" => "state",
        "全国" => "nationwide",
        "推广" => "promote",
        "增强" => "strengthen",
        "研究" => "research",
        "调查" => "investigation",
        "部署" => "arrangements",
        "统一" => "unified",
        "元" => "yuan",
        "万元" => "10,000 yuan",
        "亿元" => "100 million yuan",
        "同志" => "comrade",
        "人员" => "personnel",
        "单位" => "unit",
        "措施" => "measure",
        "制度" => "system",
        "机制" => "mechanism",
        "意识" => "awareness",
        "能力" => "ability",
        "作用" => "role",
        "形式" => "form",
        "方式" => "way",
        "方面" => "aspect",
        "领域" => "field",
        "基础" => "foundation",
        "水平" => "level",
        "显示" => "show",
        "结果" => "result",
        "分别" => "separately",
        "评议" => "appraisal",
        "点评" => "comment",
        "成效" => "effect",
        "成绩" => "achievement",
        "不足" => "shortcoming",
        "首先" => "first",
        "目前" => "currently",
        "今年" => "this year",
        "去年" => "last year",
        "明年" => "next year",
        "近年来" => "in recent years",
        "多年来" => "for many years",
        "长期以来" => "for a long time",
        "一方面" => "on the one hand",
        "另一方面" => "on the other hand",
        "进一步" => "further",
        "一定" => "certain",
        "一直" => "always",
        "一起" => "together",
        "一样" => "the same",
        "一般" => "general",
        "一切" => "all",
        "怎样" => "how",
        "特点" | "特色" => "feature",
        "资源" => "resources",
        "省" => "province",
        "市" => "city",
        "乡" => "township",
        "告诉" => "tell",
        "帮助" => "help",
        "投入" => "invest",
        "整合" => "integrate",
        "合力" => "joint force",
        "所属" => "affiliated",
        "重点" => "key",
        "还有" => "also",
        "来自于" => "come from",
        "追踪" => "tracking",
        "切实" => "earnestly",
        "型" => "type",
        "说" => "say",
        "广大" => "broad",
        "先后" => "successively",
        "提升" => "improve",
        "效能" => "efficiency",
        "交通" => "transport",
        "表现" => "performance",
        "总体" => "overall",
        "依据" => "basis",
        "以上" => "or above",
        "以下" => "or below",
        "占" => "account for",
        "奉献" => "dedication",
        "心灵" => "heart",
        "创造性" => "creative",
        "竞相" => "compete to",
        "像" => "like",
        _ => return domain_phrase(word),
    })
}

/// The domain phrase list, `data/gloss-domain-phrases.tsv`: phrases of Party
/// and government writing with the English that register uses. Domain data,
/// consulted for every text; see the file's header for its source.
fn domain_phrase(word: &str) -> Option<&'static str> {
    static PHRASES: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    PHRASES
        .get_or_init(|| {
            include_str!("../../../data/gloss-domain-phrases.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .collect()
        })
        .get(word)
        .copied()
}

/// Words that make the number after them approximate or a bound
/// (`约四万` "about 40,000", `超过三亿` "more than 300 million").
fn approximator(word: &str) -> Option<&'static str> {
    Some(match word {
        "约" | "大约" | "大概" | "左右" => "about",
        "近" | "将近" | "接近" | "近乎" => "nearly",
        "超过" | "逾" | "多于" | "高于" => "more than",
        "不到" | "不足" | "少于" | "低于" => "less than",
        "至少" => "at least",
        "最多" | "至多" => "at most",
        _ => return None,
    })
}

/// English time units a duration ends with ("two years", "half a month").
const DURATION_UNITS: [&str; 12] = [
    "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute",
    "minutes",
];

/// Titles that follow a name in Chinese and precede it in English
/// (`徐绍史部长` → "Minister Xu Shaoshi").
fn title_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "部长" => "Minister",
        "副部长" => "Vice Minister",
        "书记" => "Secretary",
        "副书记" => "Deputy Secretary",
        "总书记" => "General Secretary",
        "主任" | "局长" | "司长" | "厅长" | "处长" => "Director",
        "副主任" | "副局长" => "Deputy Director",
        "省长" => "Governor",
        "副省长" => "Vice Governor",
        "市长" => "Mayor",
        "副市长" => "Vice Mayor",
        "县长" => "County Head",
        "总理" => "Premier",
        "副总理" => "Vice Premier",
        "主席" | "董事长" | "委员长" => "Chairman",
        "副主席" => "Vice Chairman",
        "总统" => "President",
        "同志" => "Comrade",
        "先生" => "Mr.",
        "女士" => "Ms.",
        "教授" => "Professor",
        "博士" => "Dr.",
        "院士" => "Academician",
        "院长" | "校长" => "President",
        "总经理" => "General Manager",
        "大使" => "Ambassador",
        "发言人" => "Spokesperson",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/// Whether a punctuation item closes a clause.
fn is_clause_punct(p: &str) -> bool {
    matches!(
        p,
        "." | "。"
            | "，"
            | ","
            | "、"
            | "；"
            | ";"
            | "："
            | ":"
            | "！"
            | "!"
            | "？"
            | "?"
            | "｡"
            | "､"
    ) || p.starts_with('…')
}

struct Renderer<'g, 'i, 't> {
    g: &'g Glosser,
    items: &'i [Item<'t>],
    out: Vec<Piece>,
    /// Index in `out` where the current clause starts.
    clause_start: usize,
    /// Index in `out` where the current noun phrase starts.
    run_start: Option<usize>,
    /// Index in `out` of the "in" written for 在.
    zai: Option<usize>,
    /// The next noun phrase is plural; its last noun is pluralised.
    plural_pending: bool,
    plural_target: Option<usize>,
    /// Index in `out` of the last number piece.
    last_number: Option<usize>,
    /// Index in `out` where the last quantity ("a", "three", …) starts.
    quantity_start: Option<usize>,
    /// The next number was written already ("dozens of" for 几十).
    skip_number: bool,
    last_number_value: f64,
    /// 以 seen in this clause.
    yi_seen: bool,
    /// Open state of ambiguous (ASCII) quotes.
    quote_open: bool,
    /// Sentence start pending (capitalise next word).
    sentence_start: bool,
    /// The next word is a title already written before a name.
    skip_title: bool,
    /// The last item closed a 在 … 上/中 phrase (a following 的 is dropped).
    after_locative: bool,
}

impl<'g, 'i, 't> Renderer<'g, 'i, 't> {
    fn new(g: &'g Glosser, items: &'i [Item<'t>]) -> Self {
        Renderer {
            g,
            items,
            out: Vec::new(),
            clause_start: 0,
            run_start: None,
            zai: None,
            plural_pending: false,
            plural_target: None,
            last_number: None,
            quantity_start: None,
            skip_number: false,
            last_number_value: 0.0,
            yi_seen: false,
            quote_open: false,
            sentence_start: true,
            skip_title: false,
            after_locative: false,
        }
    }

    fn run(mut self) -> Vec<Piece> {
        for i in 0..self.items.len() {
            self.item(i);
        }
        self.end_run();
        self.out
    }

    /// The next item that is not a quote mark.
    fn next_item(&self, i: usize) -> Option<&Item<'t>> {
        self.items[i + 1..]
            .iter()
            .find(|it| !matches!(it, Item::Punct(p) if is_quote(p)))
    }

    /// Whether item `i` is the last of its clause (ignoring quotes).
    fn closes_clause(&self, i: usize) -> bool {
        match self.next_item(i) {
            None => true,
            Some(Item::Punct(p)) => is_clause_punct(p),
            Some(_) => false,
        }
    }

    fn next_class(&self, i: usize) -> Option<Class> {
        match self.next_item(i)? {
            Item::Word(w, t) => Some(match function_word(w, t) {
                Some(Fw::Text(_)) | Some(Fw::Plural(_)) => Class::Func,
                Some(_) => Class::Func,
                None => Class::from_tag(t),
            }),
            Item::Fixed(_) | Item::Latin(_) | Item::Verbatim(_) => Some(Class::Noun),
            Item::Stop => Some(Class::Punct),
            Item::Number(..) | Item::Classifier(_) | Item::MoreThan | Item::Half(_) => {
                Some(Class::Number)
            }
            Item::Punct(_) => Some(Class::Punct),
        }
    }

    /// Whether a word in `words` occurs later in this clause.
    fn later_in_clause(&self, i: usize, words: &[&str]) -> bool {
        for it in &self.items[i + 1..] {
            match it {
                Item::Punct(p) if is_clause_punct(p) => return false,
                Item::Word(w, _) if words.contains(w) => return true,
                _ => {}
            }
        }
        false
    }

    fn push(&mut self, piece: Piece) {
        let nominal =
            piece.class.nominal() || piece.class == Class::Adj || piece.class == Class::Article;
        let adj_after_noun = piece.class == Class::Adj
            && self
                .out
                .last()
                .is_some_and(|p| matches!(p.class, Class::Noun | Class::Name));
        if !nominal || adj_after_noun {
            self.end_run();
        }
        let mut piece = piece;
        // "my the mind" → "my mind"; "Ministry's the masses" → "… masses".
        if self.out.last().is_some_and(|p| {
            matches!(
                p.text.as_str(),
                "my" | "our" | "your" | "his" | "her" | "their" | "its" | "a"
            ) || p.text.ends_with("'s")
                || p.text.ends_with("s'")
        }) && let Some(rest) = piece.text.strip_prefix("the ")
        {
            piece.text = rest.to_string();
        }
        if self.sentence_start && piece.class != Class::Punct {
            piece.capitalise = !piece.keep_case;
            self.sentence_start = false;
        }
        let idx = self.out.len();
        if nominal && self.run_start.is_none() {
            self.run_start = Some(idx);
        }
        if self.plural_pending && matches!(piece.class, Class::Noun) {
            self.plural_target = Some(idx);
        }
        self.out.push(piece);
    }

    /// Ends the current noun phrase: applies a pending plural.
    fn end_run(&mut self) {
        if let Some(t) = self.plural_target.take()
            && let Some(p) = self.out.get_mut(t)
        {
            p.text = pluralise(&p.text);
        }
        self.plural_pending = false;
        self.run_start = None;
    }

    fn end_clause(&mut self) {
        self.end_run();
        self.zai = None;
        self.yi_seen = false;
        self.last_number = None;
        self.quantity_start = None;
    }

    /// Inserts a piece at `at`, shifting the recorded indices.
    fn insert(&mut self, at: usize, mut piece: Piece) {
        let at = at.min(self.out.len());
        if let Some(first) = self.out.get_mut(at)
            && (first.capitalise || (first.keep_case && at == 0))
        {
            first.capitalise = false;
            piece.capitalise = true;
        }
        self.out.insert(at, piece);
        for idx in [
            &mut self.run_start,
            &mut self.zai,
            &mut self.plural_target,
            &mut self.last_number,
            &mut self.quantity_start,
        ]
        .into_iter()
        .flatten()
        {
            if *idx >= at {
                *idx += 1;
            }
        }
    }

    fn item(&mut self, i: usize) {
        let was_locative = std::mem::take(&mut self.after_locative);
        if was_locative && matches!(self.items[i], Item::Word("的", _)) {
            return;
        }
        match &self.items[i] {
            Item::Fixed(target) => {
                let target = (*target).to_string();
                self.push(Piece::word(target, Class::Name));
            }
            Item::Latin(s) | Item::Verbatim(s) => {
                let mut piece = Piece::word(*s, Class::Noun);
                piece.keep_case = true;
                self.push(piece);
            }
            Item::Stop => {
                self.end_clause();
                self.out.push(Piece::punct(".", true, false));
            }
            Item::Number(m, source) => self.number(i, m, source),
            Item::Half(c) => {
                let text = if c.one.is_empty() {
                    "half".to_string()
                } else {
                    format!("half a {}", c.one)
                };
                self.push(Piece::word(text, Class::Adj));
            }
            Item::Classifier(c) => self.classifier(c),
            Item::MoreThan => {
                if let Some(n) = self.last_number {
                    self.insert(n, Piece::word("more than", Class::Number));
                    self.plural_pending = true;
                }
            }
            Item::Punct(p) => self.punct(i, p),
            Item::Word(w, t) => self.word(i, w, t),
        }
    }

    fn number(&mut self, i: usize, m: &NumberMatch, source: &str) {
        if std::mem::take(&mut self.skip_number) {
            self.last_number_value = m.value;
            return;
        }
        self.quantity_start = Some(self.out.len());
        let next_classifier = match self.items.get(i + 1) {
            Some(Item::Classifier(c)) => Some(*c),
            _ => None,
        };
        let one = m.value == 1.0 && m.kind == NumberKind::Cardinal;
        if one && m.script == Script::Chinese && next_classifier.is_some() {
            let prev = self.out.last().map(|p| p.text.as_str());
            if matches!(
                prev,
                Some("every" | "each" | "this" | "that" | "the same" | "another")
            ) {
                return;
            }
            if next_classifier.is_some_and(|c| c.one.is_empty() || c.of) {
                self.push(Piece::word("a", Class::Article));
                self.last_number = None;
                self.last_number_value = 1.0;
                return;
            }
        }
        let class = match m.kind {
            NumberKind::Date { .. } => Class::Noun,
            _ => Class::Number,
        };
        // A long bare digit string with no classifier is a code or hotline
        // number ("12336"), not a quantity: keep it as written.
        let code = m.kind == NumberKind::Cardinal
            && next_classifier.is_none()
            && source.len() >= 4
            && source.bytes().all(|b| b.is_ascii_digit());
        let anniversary = next_classifier.is_some_and(|c| c.word == "周年");
        let text = if code {
            source.to_string()
        } else if anniversary && let Some(n) = m.number.as_integer() {
            numbers::ordinal_english(n)
        } else {
            numbers::to_english(m)
        };
        self.push(Piece::word(text, class));
        if matches!(m.kind, NumberKind::Cardinal | NumberKind::MoreThan) {
            self.last_number = Some(self.out.len() - 1);
            self.last_number_value = m.value;
            if m.value != 1.0 {
                self.plural_pending = true;
            }
        }
    }

    fn classifier(&mut self, c: &ClassifierInfo) {
        if c.one.is_empty() {
            return;
        }
        let many = self.last_number_value != 1.0 || self.plural_pending;
        let text = if many { c.many } else { c.one };
        // The unit is the counted noun itself unless it is "batch of".
        // "a batch of guests" but "a kind of mode".
        let pending = c.of && (many || !matches!(c.word, "种" | "类"));
        self.plural_pending = false;
        let class = if c.of { Class::Article } else { Class::Noun };
        self.push(Piece::word(text, class));
        if pending {
            self.plural_pending = true;
        }
    }

    fn punct(&mut self, i: usize, p: &str) {
        let last = i + 1 == self.items.len();
        let piece = match p {
            "." | "。" | "｡" => {
                self.end_clause();
                if last || p != "." {
                    self.sentence_start = !last;
                    Piece::punct(".", true, false)
                } else {
                    Piece::punct(",", true, false)
                }
            }
            "，" | "," | "、" | "､" => {
                self.end_clause();
                Piece::punct(",", true, false)
            }
            "；" | ";" => {
                self.end_clause();
                Piece::punct(";", true, false)
            }
            "：" | ":" => {
                self.end_clause();
                Piece::punct(":", true, false)
            }
            "！" | "!" => {
                self.end_clause();
                self.sentence_start = !last;
                Piece::punct("!", true, false)
            }
            "？" | "?" => {
                self.end_clause();
                self.sentence_start = !last;
                Piece::punct("?", true, false)
            }
            p if p.starts_with('…') => {
                self.end_clause();
                Piece::punct("...", true, false)
            }
            p if p.starts_with('—') || p.starts_with('─') => {
                self.end_clause();
                Piece::punct("—", true, true)
            }
            "“" | "「" | "『" | "《" | "〈" => {
                self.end_run();
                Piece::punct("\"", false, true)
            }
            "”" | "」" | "』" | "》" | "〉" => {
                self.end_run();
                Piece::punct("\"", true, false)
            }
            "‘" => {
                self.end_run();
                Piece::punct("'", false, true)
            }
            "’" => {
                self.end_run();
                Piece::punct("'", true, false)
            }
            "'" | "\"" | "＂" | "＇" => {
                self.quote_open = !self.quote_open;
                self.end_run();
                if self.quote_open {
                    Piece::punct("\"", false, true)
                } else {
                    Piece::punct("\"", true, false)
                }
            }
            "（" | "(" | "【" | "[" | "〔" => {
                self.end_run();
                let open = if p == "【" || p == "[" || p == "〔" {
                    "["
                } else {
                    "("
                };
                Piece::punct(open, false, true)
            }
            "）" | ")" | "】" | "]" | "〕" => {
                let close = if p == "】" || p == "]" || p == "〕" {
                    "]"
                } else {
                    ")"
                };
                Piece::punct(close, true, false)
            }
            "·" | "•" | "・" => return,
            "～" | "~" => Piece::punct("~", true, true),
            "／" | "/" => Piece::punct("/", true, true),
            "％" | "%" => Piece::punct("%", true, false),
            other => {
                let mapped: String = other
                    .chars()
                    .map(|c| {
                        // Full-width ASCII → ASCII.
                        let u = u32::from(c);
                        if (0xFF01..=0xFF5E).contains(&u) {
                            char::from_u32(u - 0xFEE0).unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect();
                Piece::punct(&mapped, false, false)
            }
        };
        self.out.push(piece);
    }

    fn word(&mut self, i: usize, w: &str, tag: &str) {
        // Person name followed by a title: "Minister Xu Shaoshi".
        if let Some(Item::Word(next, _)) = self.items.get(i + 1)
            && let Some(title) = title_word(next)
        {
            let known_name = tag.starts_with("nr")
                && self.g.cedict.has_proper_entry(w)
                && !self.g.cedict.has_common_entry(w);
            let name = if known_name {
                self.g.cedict.gloss(w).map(str::to_string)
            } else if self.g.looks_like_person_name(w, tag)
                || (w.chars().count() == 1
                    && self.g.cedict.is_surname(w)
                    && !NOT_SURNAMES.contains(w))
            {
                self.g.cedict.name_pinyin(w)
            } else {
                None
            };
            if let Some(name) = name {
                self.push(Piece::word(title, Class::Name));
                self.push(Piece::word(name, Class::Name));
                self.skip_title = true;
                return;
            }
        }
        if std::mem::take(&mut self.skip_title) && title_word(w).is_some() {
            return;
        }
        // 约四万 "about 40,000", 超过三亿 "more than 300 million".
        if matches!(self.items.get(i + 1), Some(Item::Number(..)))
            && let Some(text) = approximator(w)
        {
            self.push(Piece::word(text, Class::Number));
            return;
        }
        // 几十个国家 "dozens of countries", 几百人 "hundreds of people".
        if w == "几"
            && let Some(Item::Number(m, _)) = self.items.get(i + 1)
            && m.script == Script::Chinese
            && let Some(text) = match m.value {
                10.0 => Some("dozens of"),
                100.0 => Some("hundreds of"),
                1000.0 => Some("thousands of"),
                10000.0 => Some("tens of thousands of"),
                _ => None,
            }
        {
            self.push(Piece::word(text, Class::Number));
            self.skip_number = true;
            self.plural_pending = true;
            return;
        }
        // The same as one jieba word, with what it counts: 几百人, 几百名.
        let vague = ["几", "数"].iter().find_map(|p| {
            let rest = w.strip_prefix(p)?;
            let (text, rest) = [
                ("十", "dozens of"),
                ("百", "hundreds of"),
                ("千", "thousands of"),
                ("万", "tens of thousands of"),
            ]
            .iter()
            .find_map(|(m, text)| Some((*text, rest.strip_prefix(m)?)))?;
            Some((text, rest))
        });
        if let Some((text, rest)) = vague {
            self.push(Piece::word(text, Class::Number));
            self.plural_pending = true;
            let counted = CLASSIFIERS
                .iter()
                .any(|c| c.word == rest && c.one.is_empty());
            if !rest.is_empty() && !counted {
                for (text, class) in self.g.content_pieces(rest, "n") {
                    self.push(Piece::word(text, class));
                }
            }
            return;
        }
        // 一个小时左右 "about an hour".
        if w == "左右"
            && let Some(at) = self.quantity_start
            && self.out.len() - at <= 3
        {
            self.end_run();
            self.insert(at, Piece::word("about", Class::Number));
            return;
        }
        // 整座城市 "the whole city": 整 before a classifier (one jieba
        // word or two).
        let counter = |c: &str| {
            CLASSIFIERS
                .iter()
                .any(|cl| cl.word == c && cl.one.is_empty())
        };
        let whole = match (w.strip_prefix('整'), self.items.get(i + 1)) {
            (Some(""), Some(Item::Word(next, _))) => counter(next),
            (Some(rest), _) => counter(rest),
            _ => false,
        };
        if whole {
            self.push(Piece::word("the whole", Class::Adj));
            return;
        }
        let prev_class = self.out.last().map(|p| p.class);
        let next_class = self.next_class(i);
        // A classifier after a demonstrative: 这股力量 → "this force".
        if self.out.last().is_some_and(|p| {
            matches!(
                p.text.as_str(),
                "this" | "that" | "every" | "each" | "these" | "those" | "the whole"
            )
        }) && CLASSIFIERS.iter().any(|c| c.word == w && c.one.is_empty())
        {
            return;
        }
        match w {
            // Adverbial 地 ("happily 地 said"), whatever jieba tagged it.
            "地" if matches!(prev_class, Some(Class::Adj | Class::Adv))
                || matches!(next_class, Some(Class::Verb | Class::Adv | Class::Func)) =>
            {
                return;
            }
            // 于 after a verb (着力于, 来自于) adds nothing.
            "于" if prev_class == Some(Class::Verb)
                || self.out.last().is_some_and(|p| {
                    ["on", "in", "to", "into", "at", "from", "with", "for"]
                        .iter()
                        .any(|e| p.text.ends_with(&format!(" {e}")))
                }) =>
            {
                return;
            }
            // 会 after a noun is a meeting (工作会), not "will"; before a
            // verb, an adverb or an adjective it is the modal.
            "会" if matches!(prev_class, Some(Class::Noun | Class::Name))
                && !matches!(next_class, Some(Class::Verb | Class::Adv | Class::Adj)) =>
            {
                self.push(Piece::word("meeting", Class::Noun));
                return;
            }
            _ => {}
        }
        // Adverbial 地 glued by jieba: 创造性地 → "creative(ly)", 地说 → "say".
        if w.ends_with('地') && w.chars().count() >= 3 {
            let stem = &w[..w.len() - '地'.len_utf8()];
            if self.g.cedict.contains(stem) || content_override(stem, "a").is_some() {
                for (text, _) in self.g.content_pieces(stem, "a") {
                    self.push(Piece::word(text, Class::Adv));
                }
                return;
            }
        }
        if w.starts_with('地')
            && w.chars().count() == 2
            && matches!(prev_class, Some(Class::Adj | Class::Adv))
        {
            let rest = &w['地'.len_utf8()..];
            for (text, _) in self.g.content_pieces(rest, "v") {
                self.push(Piece::word(text, Class::Verb));
            }
            return;
        }
        // An institution suffix after a noun: 地质环境/司 → "department".
        let institution = matches!(w, "司" | "局" | "厅" | "院" | "办" | "委");
        if (matches!(prev_class, Some(Class::Noun | Class::Name))
            || (institution && prev_class == Some(Class::Verb)))
            && w.chars().count() == 1
            && let Some(sfx) = suffix_word(w)
            && !matches!(w, "会" | "员" | "量" | "费" | "率")
        {
            if !sfx.is_empty() {
                self.push(Piece::word(sfx, Class::Noun));
            }
            return;
        }
        // 在 … 墙上 / 路上 / 过程中: the locative is glued to the noun.
        if self.zai.is_some()
            && w.chars().count() >= 2
            && function_word(w, tag).is_none()
            && (tag.starts_with('n') || tag == "s")
            && let Some(loc) = w.chars().last()
            && matches!(loc, '上' | '中' | '里' | '下' | '内')
            && let Some(Fw::Locative(prep)) = function_word(&loc.to_string(), "f")
        {
            let stem = &w[..w.len() - loc.len_utf8()];
            if self.g.cedict.contains(stem) || content_override(stem, tag).is_some() {
                for (text, class) in self.g.content_pieces(stem, "n") {
                    self.push(Piece::word(text, class));
                }
                if let Some(z) = self.zai.take()
                    && let Some(p) = self.out.get_mut(z)
                {
                    p.text = prep.to_string();
                }
                self.end_run();
                self.after_locative = true;
                return;
            }
        }
        // A verbal noun with an object is a verb: 服务民生 "serve".
        let tag = if tag == "vn" && matches!(next_class, Some(Class::Noun | Class::Name)) {
            "v"
        } else {
            tag
        };
        if let Some(fw) = function_word(w, tag) {
            self.function(i, w, tag, fw);
            return;
        }
        let pieces = self.g.content_pieces(w, tag);
        for (text, class) in pieces {
            self.push(Piece::word(text, class));
        }
    }

    fn function(&mut self, i: usize, w: &str, tag: &str, fw: Fw) {
        match fw {
            Fw::Text(t) if is_subject_pronoun(t) => {
                // 我脑海 → "my mind"; 告诉他 → "tell him".
                let next_noun = matches!(self.next_class(i), Some(Class::Noun))
                    && !matches!(
                        self.items.get(i + 2),
                        Some(Item::Word(_, t)) if t.starts_with('p') || t.starts_with('v')
                    );
                let after_verb = self.out.last().is_some_and(|p| {
                    p.class == Class::Verb
                        || (p.class == Class::Func && PREPOSITIONS.contains(&p.text.as_str()))
                });
                let text = if next_noun {
                    possessive_pronoun(t)
                } else if after_verb {
                    object_pronoun(t)
                } else {
                    t
                };
                let class = if next_noun {
                    Class::Adj
                } else {
                    Class::Pronoun
                };
                self.push(Piece::word(text, class));
            }
            Fw::Text("is") if self.out.last().is_some_and(|p| p.text == "especially") => {}
            Fw::Text(t) => self.push(Piece::word(t, Class::Func)),
            Fw::Drop => {}
            Fw::Plural(t) => {
                self.push(Piece::word(t, Class::Adj));
                self.plural_pending = true;
            }
            Fw::De => self.de(i),
            Fw::Zai => {
                self.push(Piece::word("in", Class::Func));
                self.zai = Some(self.out.len() - 1);
            }
            Fw::Locative(prep) => {
                self.after_locative = true;
                let after_nominal = self
                    .out
                    .last()
                    .is_some_and(|p| p.class.nominal() || p.class == Class::Adj);
                if let Some(z) = self.zai.take() {
                    if let Some(p) = self.out.get_mut(z) {
                        p.text = prep.to_string();
                    }
                    self.end_run();
                } else if after_nominal {
                    let at = self.run_start.unwrap_or(self.out.len());
                    let after_verb =
                        at > 0 && self.out.get(at - 1).is_some_and(|p| p.class == Class::Verb);
                    self.end_run();
                    if !after_verb {
                        self.insert(at, Piece::word(prep, Class::Func));
                    }
                } else {
                    self.push(Piece::word(prep, Class::Func));
                }
            }
            Fw::Temporal(conj) => {
                // After a duration: 三年前 "three years ago", 两年后 "two
                // years later".
                let after_duration = self.out.last().is_some_and(|p| {
                    DURATION_UNITS
                        .iter()
                        .any(|u| p.text == *u || p.text.ends_with(&format!(" {u}")))
                });
                let relative = match conj {
                    "before" => Some("ago"),
                    "after" => Some("later"),
                    _ => None,
                };
                if after_duration && let Some(word) = relative {
                    self.end_run();
                    self.push(Piece::word(word, Class::Adv));
                } else if self.closes_clause(i) && self.out.len() > self.clause_start {
                    self.end_run();
                    let at = self.clause_start_index();
                    self.insert(at, Piece::word(conj, Class::Func));
                } else {
                    self.push(Piece::word(conj, Class::Func));
                }
            }
            Fw::Lai => {
                // 两年多来 / 多年来: "for (more than) two years".
                let after_duration = self.out.last().is_some_and(|p| {
                    ["years", "year", "months", "month", "days", "day", "weeks"]
                        .iter()
                        .any(|u| p.text.ends_with(u))
                });
                if after_duration {
                    let at = if self.closes_clause(i) {
                        self.clause_start_index()
                    } else {
                        self.run_start.unwrap_or(self.out.len().saturating_sub(1))
                    };
                    self.end_run();
                    self.insert(at, Piece::word("for", Class::Func));
                } else {
                    let pieces = self.g.content_pieces(w, tag);
                    for (text, class) in pieces {
                        self.push(Piece::word(text, class));
                    }
                }
            }
            Fw::Ba => {
                if self.later_in_clause(i, &["作为", "当作", "当成", "视为", "看作"]) {
                    self.push(Piece::word("take", Class::Verb));
                }
            }
            Fw::Jiang => {
                let next = self.next_class(i);
                let object_follows = matches!(
                    next,
                    Some(Class::Noun | Class::Name | Class::Pronoun | Class::Number)
                );
                if object_follows {
                    if self.later_in_clause(i, &["作为", "当作", "当成", "视为", "看作"])
                    {
                        self.push(Piece::word("take", Class::Verb));
                    }
                } else {
                    self.push(Piece::word("will", Class::Func));
                }
            }
            Fw::Yi => {
                self.yi_seen = true;
                self.push(Piece::word("with", Class::Func));
            }
            Fw::Wei => {
                let t = if self.yi_seen { "as" } else { "for" };
                self.push(Piece::word(t, Class::Func));
            }
            Fw::ZuoWei => self.push(Piece::word("as", Class::Func)),
            Fw::ZhiYi => {
                if let Some(at) = self.run_start {
                    self.end_run();
                    self.insert(at, Piece::word("one of", Class::Func));
                } else {
                    self.push(Piece::word("one of them", Class::Noun));
                }
            }
            Fw::Men => {
                if let Some(p) = self.out.last_mut()
                    && matches!(p.class, Class::Noun)
                {
                    p.text = pluralise(&p.text);
                }
            }
            Fw::Jiu => {
                if self.out.len() == self.clause_start_index() {
                    self.push(Piece::word("on", Class::Func));
                }
            }
        }
    }

    /// Start of the current clause, after any opening quote.
    fn clause_start_index(&self) -> usize {
        let mut at = self.clause_start_fixed();
        while self
            .out
            .get(at)
            .is_some_and(|p| p.class == Class::Punct && p.glue_right)
        {
            at += 1;
        }
        at
    }

    /// Index after the last clause punctuation in `out`.
    fn clause_start_fixed(&self) -> usize {
        self.out
            .iter()
            .rposition(|p| p.class == Class::Punct && p.glue_left && is_clause_mark(&p.text))
            .map_or(0, |k| k + 1)
    }

    /// 的: possessive after a noun, dropped otherwise.
    fn de(&mut self, i: usize) {
        let next_nominal = matches!(
            self.next_class(i),
            Some(Class::Noun | Class::Name | Class::Adj | Class::Pronoun | Class::Verb)
        );
        let Some(prev) = self.out.last() else { return };
        let prev_class = prev.class;
        let possessive_pronoun = match prev.text.as_str() {
            "I" => Some("my"),
            "we" => Some("our"),
            "you" => Some("your"),
            "he" => Some("his"),
            "she" => Some("her"),
            "it" => Some("its"),
            "they" => Some("their"),
            "everyone" => Some("everyone's"),
            "oneself" => Some("own"),
            _ => None,
        };
        if let Some(pp) = possessive_pronoun {
            if let Some(p) = self.out.last_mut() {
                p.text = pp.to_string();
                p.class = Class::Adj;
            }
            return;
        }
        if !next_nominal || !matches!(prev_class, Class::Noun | Class::Name) {
            return;
        }
        // Apply a pending plural before the apostrophe.
        self.end_run();
        if let Some(p) = self.out.last_mut() {
            let suffix = if p.text.ends_with('s') && !p.text.ends_with("ss") {
                "'"
            } else {
                "'s"
            };
            p.text.push_str(suffix);
            p.class = Class::Adj;
        }
    }
}

/// Prepositions after which a pronoun takes its object form.
const PREPOSITIONS: [&str; 16] = [
    "to", "with", "by", "for", "from", "in", "on", "than", "let", "make", "about", "like", "under",
    "after", "before", "towards",
];

fn is_subject_pronoun(t: &str) -> bool {
    matches!(t, "I" | "we" | "he" | "she" | "they")
}

fn object_pronoun(t: &'static str) -> &'static str {
    match t {
        "I" => "me",
        "we" => "us",
        "he" => "him",
        "she" => "her",
        "they" => "them",
        other => other,
    }
}

fn possessive_pronoun(t: &'static str) -> &'static str {
    match t {
        "I" => "my",
        "we" => "our",
        "he" => "his",
        "she" => "her",
        "they" => "their",
        other => other,
    }
}

fn is_clause_mark(t: &str) -> bool {
    matches!(t, "," | "." | ";" | ":" | "!" | "?" | "..." | "—")
}

fn is_quote(p: &str) -> bool {
    matches!(
        p,
        "'" | "\""
            | "“"
            | "”"
            | "‘"
            | "’"
            | "「"
            | "」"
            | "『"
            | "』"
            | "《"
            | "》"
            | "＂"
            | "＇"
    )
}

/// Naive English plural of the last word of a short noun gloss.
fn pluralise(text: &str) -> String {
    const UNCOUNTABLE: [&str; 24] = [
        "work",
        "information",
        "equipment",
        "research",
        "progress",
        "knowledge",
        "news",
        "evidence",
        "construction",
        "management",
        "supervision",
        "development",
        "education",
        "media",
        "people",
        "staff",
        "personnel",
        "police",
        "public",
        "money",
        "land",
        "yuan",
        "mu",
        "livestock",
    ];
    let words = text.split(' ').count();
    let Some(last) = text.rsplit(' ').next() else {
        return text.to_string();
    };
    if words > 4
        || !last.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        || last.is_empty()
        || last.ends_with('s')
        || UNCOUNTABLE.contains(&last.to_ascii_lowercase().as_str())
        || last.ends_with("ing")
    {
        return text.to_string();
    }
    let head = &text[..text.len() - last.len()];
    let plural = match last {
        "person" => "people".to_string(),
        "man" => "men".to_string(),
        "woman" => "women".to_string(),
        "child" => "children".to_string(),
        l if l.ends_with("ch") || l.ends_with("sh") || l.ends_with('x') || l.ends_with('z') => {
            format!("{l}es")
        }
        l if l.ends_with('y')
            && !l.ends_with("ay")
            && !l.ends_with("ey")
            && !l.ends_with("oy")
            && !l.ends_with("uy") =>
        {
            format!("{}ies", &l[..l.len() - 1])
        }
        l => format!("{l}s"),
    };
    format!("{head}{plural}")
}

/// Byte offsets of the character starts of `text`, and its length.
fn char_starts(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// Whether English writes "an" before `word` (a vowel sound: "an hour",
/// "an apple", but "a university", "a one-off").
fn takes_an(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u']);
    let consonant_sound = ["uni", "use", "usu", "uti", "eu", "one", "once", "ur"]
        .iter()
        .any(|p| lower.starts_with(p));
    let silent_h = ["hour", "honest", "honour", "honor", "heir"]
        .iter()
        .any(|p| lower.starts_with(p));
    (vowel && !consonant_sound) || silent_h
}

/// Joins pieces with single spaces, honouring glue and capitalisation.
fn join_pieces(pieces: &[Piece]) -> String {
    let mut out = String::new();
    let mut glue_next = true;
    for (k, p) in pieces.iter().enumerate() {
        if p.text.is_empty() {
            continue;
        }
        let next = pieces[k + 1..].iter().find(|n| !n.text.is_empty());
        let an =
            p.text == "a" && next.is_some_and(|n| n.class != Class::Punct && takes_an(&n.text));
        let text = if an { "an" } else { p.text.as_str() };
        if !out.is_empty() && !glue_next && !p.glue_left {
            out.push(' ');
        }
        if p.capitalise {
            out.push_str(&capitalise(text));
        } else {
            out.push_str(text);
        }
        glue_next = p.glue_right;
    }
    // Defensive: collapse any doubled spaces from verbatim targets' edges.
    while out.contains("  ") {
        out = out.replace("  ", " ");
    }
    out.trim().to_string()
}

/// Upper-cases the first letter unless the word is mixed-case ("iPhone").
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let rest = chars.as_str();
    let first_word = rest.split(' ').next().unwrap_or("");
    if !first.is_lowercase() || first_word.chars().any(char::is_uppercase) {
        return s.to_string();
    }
    first.to_uppercase().chain(rest.chars()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn glosser() -> &'static Glosser {
        static GLOSSER: OnceLock<Glosser> = OnceLock::new();
        GLOSSER.get_or_init(|| Glosser::try_load().expect("embedded dictionaries load"))
    }

    fn gloss(text: &str) -> String {
        glosser().gloss(text, &[])
    }

    fn has_han(s: &str) -> bool {
        s.chars().any(is_han)
    }

    // What the gloss must do. Each test asserts the rule it is named after,
    // not the rest of the sentence: the gloss around it is word-by-word
    // English, and sentences the gloss gets wrong are documented in
    // `tests/fixtures/gloss/known-bad.tsv`, not asserted here.

    fn assert_contains(text: &str, part: &str) {
        let out = gloss(text);
        assert!(out.contains(part), "{text} → {out:?}, expected {part:?}");
    }

    #[test]
    fn dates() {
        assert_eq!(gloss("2011年4月26日."), "April 26, 2011.");
        assert_eq!(gloss("2010年4月."), "April 2010.");
        assert_contains("2012年9月19日下午.", "September 19, 2012");
    }

    #[test]
    fn magnitudes_and_money() {
        assert_contains("提供1.05亿元资金.", "105 million yuan");
        assert_contains("投入资金1960万元.", "19.6 million yuan");
        assert!(gloss("20余万人饮水问题因此得以解决.").starts_with("More than 200,000 people "));
    }

    #[test]
    fn counted_nouns_are_plural_and_classifiers_dropped() {
        assert_contains("5943名党员结合岗位实际作出公开承诺.", "5,943 party members");
        assert_contains(
            "国土资源部机关迎来了一批特殊的客人.",
            "a batch of special visitors",
        );
        assert_eq!(gloss("两年多来."), "For more than two years.");
    }

    #[test]
    fn percentages_and_codes() {
        let out = gloss("全国有3.5万名干部参加，占百分之三十。");
        assert!(
            out.contains("35,000 cadres") && out.ends_with("30%."),
            "{out}"
        );
        // A hotline number is a code, not a quantity.
        assert_contains("国土资源部12336违法线索处理中心.", " 12336 ");
        assert_contains("成立90周年.", "90th anniversary");
    }

    #[test]
    fn names_and_titles() {
        assert_contains(
            "徐绍史部长与各位记者亲切座谈.",
            "Minister Xu Shaoshi and all reporters",
        );
        assert!(gloss("校长谢国剑喜悦地说.").starts_with("President Xie Guojian "));
    }

    #[test]
    fn fixed_terms_win_and_are_verbatim() {
        let text = "国土资源部创先争优活动";
        let end = "国土资源部".len();
        let fixed = [FixedTerm {
            span: 0..end,
            target: "the MLR",
        }];
        assert_eq!(
            glosser().gloss(text, &fixed),
            "The MLR strive for excellence activity"
        );
        let fixed = [FixedTerm {
            span: end..end + "创先争优".len(),
            target: "iExcel campaign",
        }];
        assert_eq!(
            glosser().gloss(text, &fixed),
            "Ministry of Land and Resources iExcel campaign activity"
        );
        // Mixed-case targets are not capitalised.
        let fixed = [FixedTerm {
            span: 0..end,
            target: "iMLR",
        }];
        assert!(glosser().gloss(text, &fixed).starts_with("iMLR "));
    }

    #[test]
    fn bad_fixed_spans_are_ignored() {
        let text = "国土资源部";
        let fixed = [
            FixedTerm {
                span: 1..4,
                target: "X",
            },
            FixedTerm {
                span: 0..100,
                target: "Y",
            },
        ];
        assert_eq!(
            glosser().gloss(text, &fixed),
            "Ministry of Land and Resources"
        );
    }

    #[test]
    fn chinese_punctuation_is_mapped() {
        let out = gloss("他说：“我们来了！”");
        assert!(
            out.starts_with("He ") && out.contains(": \"") && out.ends_with("!\""),
            "{out}"
        );
        assert_eq!(
            gloss("中石化、中海油……"),
            "China Petroleum and Chemical Corporation, China National Offshore Oil Corporation..."
        );
        let out = gloss("《人民日报》报道（记者张三）");
        assert!(
            out.starts_with("\"People's Daily\" ") && out.ends_with("(reporter John Doe)"),
            "{out}"
        );
    }

    #[test]
    fn normalised_dots_and_quotes() {
        // Mid-segment "." is a comma; final "." a full stop; "'" a quote.
        let out = gloss("'特点'就是在破解'两难'局面过程中创先争优.");
        assert!(
            out.starts_with("\"Feature\" is ") && out.ends_with('.'),
            "{out}"
        );
        assert_eq!(out.matches('"').count(), 4, "{out}");
        assert_eq!(gloss("省.市.县."), "Province, city, county.");
    }

    #[test]
    fn locatives_and_temporal_clauses() {
        assert!(gloss("在部党组的带领下.").starts_with("Under "));
        assert_contains("走在务实创新的大路上.", " on ");
        assert!(gloss("会议之后.").starts_with("After "));
        assert!(gloss("开展领导点评活动时.").starts_with("When "));
    }

    #[test]
    fn function_words() {
        let out = gloss("把业务工作的薄弱环节作为党建工作的重要抓手.");
        assert!(
            out.starts_with("Take business work's weak link as "),
            "{out}"
        );
        assert!(gloss("使我感慨万千.").starts_with("Make me "));
        assert!(gloss("告诉他.").starts_with("Tell him"));
    }

    #[test]
    fn approximate_numbers() {
        assert!(gloss("约四万名成年人.").starts_with("About 40,000 "));
        assert!(gloss("超过三亿人.").starts_with("More than 300 million people"));
        assert!(gloss("不到十天.").starts_with("Less than ten days"));
        assert!(gloss("将近一千人.").starts_with("Nearly "));
    }

    #[test]
    fn durations_before_ago_and_after_later() {
        assert_eq!(gloss("半个月前."), "Half a month ago.");
        assert!(gloss("三年前，他来了。").starts_with("Three years ago, "));
        assert_eq!(gloss("两年后."), "Two years later.");
        // Not after a duration: a clause-closing 前/后 is still moved.
        assert!(gloss("会议之后.").starts_with("After "));
    }

    #[test]
    fn hui_before_a_verb_or_adverb_is_will() {
        assert_contains("睡眠不足会明显增加风险。", " will ");
        assert_contains("价格会上涨。", " will ");
        assert_contains("工作会.", "meeting");
    }

    #[test]
    fn vague_numbers_and_whole() {
        assert_contains("吸引来自几十个国家的摄影师。", "dozens of ");
        assert_contains("来了几百人.", "hundreds of people");
        assert!(gloss("只需要一个小时左右。").ends_with("about an hour."));
        assert_contains("周长约六公里.", "about six kilometers");
        assert_contains("整座城市.", "whole city");
    }

    #[test]
    fn a_becomes_an_before_a_vowel() {
        assert_eq!(join_words(&["a", "hour"]), "an hour");
        assert_eq!(join_words(&["a", "apple"]), "an apple");
        assert_eq!(join_words(&["a", "university"]), "a university");
        assert_eq!(join_words(&["a", "batch of"]), "a batch of");
    }

    fn join_words(words: &[&str]) -> String {
        let pieces: Vec<Piece> = words.iter().map(|w| Piece::word(*w, Class::Noun)).collect();
        join_pieces(&pieces)
    }

    #[test]
    fn latin_text_is_kept() {
        let out = gloss("使用GPS定位3次。");
        assert!(out.contains(" GPS ") && out.ends_with(" 3 times."), "{out}");
        assert_eq!(gloss("5G网络"), "5G network");
    }

    #[test]
    fn empty_and_odd_input() {
        assert_eq!(gloss(""), "");
        assert_eq!(gloss("..."), ",,.");
        assert_eq!(gloss("  "), "");
        // Latin words are copied as written, even at the start.
        assert_eq!(gloss("abc"), "abc");
    }

    #[test]
    fn pluralise_rules() {
        assert_eq!(pluralise("party member"), "party members");
        assert_eq!(pluralise("city"), "cities");
        assert_eq!(pluralise("batch"), "batches");
        assert_eq!(pluralise("person"), "people");
        assert_eq!(pluralise("media"), "media");
        assert_eq!(pluralise("reporters"), "reporters");
        assert_eq!(pluralise("day"), "days");
    }

    #[test]
    fn whole_article_glosses_without_panics_or_han() {
        let text = include_str!("../../../examples/article.txt");
        let g = glosser();
        let mut clauses = 0;
        let doc = crate::segment::Segmenter::default().document("article.txt", "UTF-8", text);
        for segment in doc.segments() {
            {
                let clause = segment.content();
                clauses += 1;
                let out = g.gloss(clause, &[]);
                assert!(!has_han(&out), "Han left in gloss of {clause:?}: {out:?}");
                assert!(!out.contains("  "), "double space in {out:?}");
                assert!(!out.is_empty(), "empty gloss for {clause:?}");
            }
        }
        assert!(clauses >= 20, "only {clauses} clauses");
    }
}
