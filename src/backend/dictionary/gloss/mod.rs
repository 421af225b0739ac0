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
//! The complete tables are `function_word` and `content_override` in
//! `tables.rs`. The code is split by job: `lex.rs` cuts the text into
//! items (glossary terms, numbers, verbatim tokens, jieba words,
//! punctuation), `tables.rs` holds the word tables, `render.rs` turns items
//! into English pieces with the reordering rules, and `piece.rs` joins the
//! pieces into text.

use std::io;
use std::ops::Range;

use jieba_rs::Jieba;

use crate::backend::dictionary::cedict::Cedict;
use crate::text::is_han;

mod lex;
mod piece;
mod render;
mod tables;
#[cfg(test)]
mod tests;

use lex::*;
use piece::*;
use render::*;
use tables::*;

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
        let (cedict, jieba) = crate::backend::dictionary::cedict::load_with_jieba();
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
