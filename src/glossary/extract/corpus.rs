//! The text as the extractor sees it: clauses of Han characters, as small
//! integer ids, with the word boundaries jieba puts in them.

use std::collections::HashMap;
use std::ops::Range;

use jieba_rs::Jieba;

use crate::error::{ErrorKind, Result};
use crate::input::Input;
use crate::markup::FormatKind;
use crate::segment::{Position, Segmenter};
use crate::text::is_han;

/// Ends every clause in [`Corpus::text`].
pub(super) const SEP: u32 = u32::MAX;

/// Chinese text cut into clauses: runs of Han characters between
/// punctuation, digits, Latin letters and white space, which no term
/// candidate crosses.
///
/// A corpus keeps 4 bytes per Han character plus a bit for jieba's word
/// boundaries (a 20 MB UTF-8 text of Chinese holds about 7 million), so that
/// n-grams can be counted in several passes without reading the inputs again.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Character ids, clause after clause, each followed by [`SEP`].
    text: Vec<u32>,
    /// The character of each id.
    alphabet: Vec<char>,
    ids: HashMap<char, u32>,
    /// Bit `i`: jieba puts a word boundary just before position `i`.
    boundaries: Vec<u64>,
    /// Han characters.
    han: usize,
    /// Clauses.
    clauses: usize,
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Self {
        Corpus::default()
    }

    /// A corpus of one text held in memory, cut into segments by
    /// `segmenter`; `jieba` finds the word boundaries.
    pub fn from_text(text: &str, segmenter: &Segmenter, jieba: &Jieba) -> Result<Self> {
        let mut corpus = Corpus::new();
        let mut position = Position::default();
        for paragraph in segmenter.paragraphs(text, &mut position) {
            for segment in &paragraph.segments {
                corpus.push(&segment.text, jieba)?;
            }
        }
        Ok(corpus)
    }

    /// Add one input, read (and decoded) in `format` (a text chunk by chunk,
    /// a document with structure by its translatable blocks) and cut into
    /// segments by `segmenter`. An input without text is an error.
    pub fn read(
        &mut self,
        input: &Input,
        encoding: Option<&'static encoding_rs::Encoding>,
        format: FormatKind,
        segmenter: &Segmenter,
        jieba: &Jieba,
    ) -> Result<()> {
        let count = crate::input::paragraphs(input, encoding, format, segmenter, |paragraph| {
            paragraph
                .segments
                .iter()
                .try_for_each(|segment| self.push(&segment.text, jieba))
        })?;
        if count == 0 {
            return Err(ErrorKind::EmptyInput {
                path: input.path().to_path_buf(),
            }
            .into());
        }
        Ok(())
    }

    /// Add the clauses of one segment (or any text).
    pub fn push(&mut self, text: &str, jieba: &Jieba) -> Result<()> {
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (is_han(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    self.push_clause(&text[s..i], jieba)?;
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            self.push_clause(&text[s..], jieba)?;
        }
        Ok(())
    }

    fn push_clause(&mut self, clause: &str, jieba: &Jieba) -> Result<()> {
        let start = self.text.len();
        let chars = clause.chars().count();
        if start + chars + 1 >= u32::MAX as usize {
            return Err(ErrorKind::Usage(
                "the inputs hold more than 4 billion Han characters; extract terms from a part of them"
                    .into(),
            )
            .into());
        }
        for c in clause.chars() {
            let next = self.alphabet.len() as u32;
            let id = *self.ids.entry(c).or_insert(next);
            if id == next {
                self.alphabet.push(c);
            }
            self.text.push(id);
        }
        self.text.push(SEP);
        self.boundaries.resize(self.text.len().div_ceil(64), 0);
        self.mark(start);
        let mut at = start;
        for token in jieba.cut(clause, false) {
            at += token.word.chars().count();
            self.mark(at);
        }
        self.han += chars;
        self.clauses += 1;
        Ok(())
    }

    fn mark(&mut self, i: usize) {
        self.boundaries[i / 64] |= 1 << (i % 64);
    }

    /// Whether jieba puts a word boundary just before position `i` (always
    /// at the start and the end of a clause).
    pub(super) fn boundary(&self, i: usize) -> bool {
        self.boundaries[i / 64] & (1 << (i % 64)) != 0
    }

    /// The Han characters in the corpus.
    pub fn han_chars(&self) -> usize {
        self.han
    }

    /// The clauses in the corpus.
    pub fn clauses(&self) -> usize {
        self.clauses
    }

    /// Character ids, clause after clause, each followed by [`SEP`].
    pub(super) fn ids(&self) -> &[u32] {
        &self.text
    }

    /// How many distinct characters there are (ids are below this).
    pub(super) fn alphabet_len(&self) -> usize {
        self.alphabet.len()
    }

    /// The character of an id.
    pub(super) fn char_of(&self, id: u32) -> char {
        self.alphabet[id as usize]
    }

    /// The id of a character, if the corpus has it.
    pub(super) fn id_of(&self, c: char) -> Option<u32> {
        self.ids.get(&c).copied()
    }

    /// The text of `len` characters from position `pos`.
    pub(super) fn string(&self, pos: usize, len: usize) -> String {
        self.text[pos..pos + len]
            .iter()
            .map(|&id| self.alphabet[id as usize])
            .collect()
    }

    /// The position ranges of the clauses, in order.
    pub(super) fn clause_ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let mut start = 0;
        self.text
            .iter()
            .enumerate()
            .filter(|&(_, &id)| id == SEP)
            .map(move |(i, _)| {
                let range = start..i;
                start = i + 1;
                range
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_break_at_everything_but_han() {
        let jieba = Jieba::empty();
        let mut corpus = Corpus::new();
        corpus
            .push("国土资源部2011年召开GDP会议.党建工作", &jieba)
            .unwrap();
        let clauses: Vec<String> = corpus
            .clause_ranges()
            .map(|r| corpus.string(r.start, r.len()))
            .collect();
        assert_eq!(clauses, ["国土资源部", "年召开", "会议", "党建工作"]);
        assert_eq!(corpus.han_chars(), 14);
        assert!(corpus.boundary(0) && corpus.boundary(5));
    }
}
