//! Lexical evidence for the aligner: which English words a Chinese text may
//! stand for, and the words of an English text, both as light stems.
//!
//! A Chinese sentence is cut into words with jieba; each content word stands
//! for the stems of every CC-CEDICT sense of every entry of it (a surname
//! alone stands for its pinyin; a word the dictionary lacks stands for its
//! pinyin, as a name, and for the senses of the dictionary words it is made
//! of). Glossary terms stand for the words
//! of their target. Numbers and dates stand for a normalised key
//! (`2011年4月26日` and `April 26, 2011` both give `y2011` and `d4-26`;
//! `1.05亿` and `105 million` both give `n105000000`), and Latin tokens
//! (`GDP`) for themselves. An English sentence gives its content words'
//! stems and the same number keys.

use std::collections::HashMap;

use jieba_rs::Jieba;

use crate::backend::dictionary::cedict::Cedict;
use crate::glossary::Glossary;
use crate::numbers::{self, NumberKind};
use crate::text::is_han;

/// The dictionary, word segmenter and glossary the aligner uses for lexical
/// evidence. Loading takes about as long as loading the dictionary backend.
pub struct Lexicon {
    cedict: Cedict,
    jieba: Jieba,
    glossary: Option<Glossary>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("cedict", &self.cedict)
            .field("glossary", &self.glossary.as_ref().map(Glossary::len))
            .finish_non_exhaustive()
    }
}

impl Lexicon {
    /// The embedded CC-CEDICT and jieba's default dictionary (loaded in
    /// parallel).
    pub fn load() -> Self {
        let (cedict, jieba) = crate::backend::dictionary::cedict::load_with_jieba();
        Lexicon::new(cedict, jieba)
    }

    /// A lexicon from a loaded dictionary and word segmenter.
    pub fn new(cedict: Cedict, jieba: Jieba) -> Self {
        Lexicon {
            cedict,
            jieba,
            glossary: None,
        }
    }

    /// No dictionary: the aligner then uses lengths, numbers and Latin tokens
    /// only.
    pub fn empty() -> Self {
        Lexicon::new(Cedict::empty(), Jieba::empty())
    }

    /// Use the glossary's terms as translation evidence too.
    pub fn with_glossary(mut self, glossary: Glossary) -> Self {
        self.glossary = Some(glossary);
        self
    }
}

/// English stop words: never evidence.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "during",
    "each",
    "etc",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "sb",
    "sth",
    "someone",
    "something",
    "oneself",
    "lit",
    "fig",
    "esp",
    "used",
    "etc",
    "e.g",
    "kind",
    "sort",
    "make",
    "way",
    "thing",
    "things",
    "person",
    "people",
    "de",
    "le",
    "s",
];

/// Chinese function words: never evidence.
const ZH_STOP_WORDS: &[&str] = &[
    "的", "了", "在", "是", "和", "与", "及", "对", "等", "也", "都", "将", "把", "被", "从", "为",
    "以", "而", "并", "之", "其", "这", "那", "着", "过", "就", "又", "或", "还", "要", "所", "于",
    "给", "让", "由", "该", "此", "各", "已", "地", "得", "个", "们", "这个", "那个", "这些",
    "那些", "一个", "我们", "他们", "一些", "以及", "并且", "而且", "对于", "关于", "通过", "进行",
    "就是", "还是", "但是", "因为", "所以", "如果", "已经", "同时", "其中", "之一",
];

/// Irregular forms that the light stemmer cannot reach.
const IRREGULAR: &[(&str, &str)] = &[
    ("said", "say"),
    ("says", "say"),
    ("made", "make"),
    ("took", "take"),
    ("taken", "take"),
    ("held", "hold"),
    ("met", "meet"),
    ("went", "go"),
    ("going", "go"),
    ("gone", "go"),
    ("gave", "give"),
    ("given", "give"),
    ("built", "build"),
    ("began", "begin"),
    ("begun", "begin"),
    ("brought", "bring"),
    ("thought", "think"),
    ("found", "find"),
    ("told", "tell"),
    ("won", "win"),
    ("led", "lead"),
    ("left", "leave"),
    ("saw", "see"),
    ("seen", "see"),
    ("children", "child"),
    ("men", "man"),
    ("women", "woman"),
    ("better", "good"),
    ("best", "good"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("rose", "rise"),
    ("risen", "rise"),
    ("fell", "fall"),
    ("fallen", "fall"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("knew", "know"),
    ("known", "know"),
    ("wrote", "write"),
    ("written", "write"),
    ("came", "come"),
    ("became", "become"),
    ("kept", "keep"),
    ("sent", "send"),
    ("spent", "spend"),
    ("felt", "feel"),
    ("paid", "pay"),
    ("sold", "sell"),
    ("bought", "buy"),
    ("heard", "hear"),
    ("stood", "stand"),
    ("understood", "understand"),
    ("set", "set"),
];

/// Characters a stem keeps: long words are cut to this many, so that
/// "developing", "development" and "developed" meet.
const STEM_CHARS: usize = 6;

/// A light English stem: lower case, irregular forms resolved, plural and
/// verb endings removed, cut to six characters. `None` for stop
/// words and words without a letter.
pub fn stem(word: &str) -> Option<String> {
    let lower = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace('’', "'");
    let lower = lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix('\''))
        .unwrap_or(&lower)
        .to_string();
    if lower.is_empty()
        || !lower.chars().any(char::is_alphabetic)
        || STOP_WORDS.contains(&lower.as_str())
    {
        return None;
    }
    if let Some(&(_, base)) = IRREGULAR.iter().find(|(w, _)| *w == lower) {
        return Some(base.to_string());
    }
    let n = lower.chars().count();
    let mut s = lower.as_str().to_string();
    if n > 4 && s.ends_with("ies") {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if n > 4
        && (s.ends_with("sses") || s.ends_with("xes") || s.ends_with("ches") || s.ends_with("shes"))
    {
        s.truncate(s.len() - 2);
    } else if n > 3
        && s.ends_with('s')
        && !s.ends_with("ss")
        && !s.ends_with("us")
        && !s.ends_with("is")
    {
        s.truncate(s.len() - 1);
    } else if n > 5 && s.ends_with("ing") {
        s.truncate(s.len() - 3);
    } else if n > 4 && s.ends_with("ed") {
        s.truncate(s.len() - 2);
    }
    Some(s.chars().take(STEM_CHARS).collect())
}

/// Interned strings: stems and number keys, as small integers.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    ids: HashMap<String, u32>,
}

impl Interner {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(key.to_string(), id);
        id
    }
}

/// A Chinese token: the word (interned, for document frequencies), how
/// strong a match is ([`Strength`]) and the English ids it may stand for.
#[derive(Debug, Clone)]
pub(crate) struct ZhToken {
    pub(crate) word: u32,
    pub(crate) strength: f32,
    pub(crate) translations: Vec<u32>,
}

/// An English token: a stem or key id and its strength.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EnToken {
    pub(crate) id: u32,
    pub(crate) strength: f32,
}

/// Strength of a number match: large or precise numbers are near-certain
/// evidence, small ones weak.
fn number_strength(value: f64) -> f32 {
    if value.fract() != 0.0 || value >= 100.0 {
        3.0
    } else if value > 10.0 {
        2.0
    } else {
        0.5
    }
}

/// Number keys: the same on both sides for the same quantity or date.
fn number_keys(value: f64, kind: NumberKind) -> Vec<(String, f32)> {
    let v = |x: f64| format!("{x}");
    match kind {
        NumberKind::Cardinal | NumberKind::MoreThan => {
            vec![(format!("#n{}", v(value)), number_strength(value))]
        }
        NumberKind::Percent => vec![(format!("#p{}", v(value)), 3.0)],
        NumberKind::Ordinal => vec![(format!("#o{}", v(value)), 1.0)],
        NumberKind::Fraction { .. } => vec![(format!("#f{:.4}", value), 2.0)],
        NumberKind::Date { year, month, day } => {
            let mut keys = Vec::new();
            if let Some(y) = year {
                keys.push((format!("#n{y}"), 3.0));
            }
            match (month, day) {
                (Some(m), Some(d)) => keys.push((format!("#d{m}-{d}"), 3.0)),
                (Some(m), None) => keys.push((format!("#m{m}"), 1.5)),
                _ => {}
            }
            keys
        }
    }
}

/// Turns texts into tokens, caching each Chinese word's translations.
pub(crate) struct Tokenizer<'a> {
    lexicon: &'a Lexicon,
    pub(crate) interner: Interner,
    words: Interner,
    cache: HashMap<String, Vec<u32>>,
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(lexicon: &'a Lexicon) -> Self {
        Tokenizer {
            lexicon,
            interner: Interner::default(),
            words: Interner::default(),
            cache: HashMap::new(),
        }
    }

    /// The tokens of an English text.
    pub(crate) fn english(&mut self, text: &str) -> Vec<EnToken> {
        let mut out = Vec::new();
        for n in numbers::read_english(text).quantities_and_dates() {
            for (key, strength) in number_keys(n.value, n.kind) {
                out.push(EnToken {
                    id: self.interner.id(&key),
                    strength,
                });
            }
        }
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
            if word.chars().all(|c| c.is_ascii_digit() || c == '\'') {
                continue;
            }
            if let Some(s) = stem(word) {
                out.push(EnToken {
                    id: self.interner.id(&s),
                    strength: 1.0,
                });
            }
        }
        out.sort_by_key(|t| t.id);
        out.dedup_by_key(|t| t.id);
        out
    }

    /// The tokens of a Chinese text; `mt`, a machine translation of it, adds
    /// its English words as tokens that stand for themselves.
    pub(crate) fn chinese(&mut self, text: &str, mt: Option<&str>) -> Vec<ZhToken> {
        let mut out = Vec::new();
        let mut covered = vec![false; text.len()];
        for n in numbers::find_numbers(text) {
            for (key, strength) in number_keys(n.value, n.kind) {
                let mut translations = vec![self.interner.id(&key)];
                if n.kind == NumberKind::Ordinal && n.value > 10.0 {
                    // 第1007项 is "item 1007" as often as "the 1007th".
                    translations.push(self.interner.id(&format!("#n{}", n.value)));
                    translations.sort_unstable();
                }
                out.push(ZhToken {
                    word: self.words.id(&key),
                    strength,
                    translations,
                });
            }
            covered[n.span.clone()].iter_mut().for_each(|c| *c = true);
        }
        if let Some(glossary) = &self.lexicon.glossary {
            for term in glossary.annotate(text) {
                let ids = self.english_ids(&term.target);
                if !ids.is_empty() {
                    out.push(ZhToken {
                        word: self.words.id(&term.source),
                        strength: 2.0,
                        translations: ids,
                    });
                }
            }
        }
        // Latin tokens stand for themselves.
        let mut latin_start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let latin =
                c.is_ascii_alphabetic() || (latin_start.is_some() && c.is_ascii_alphanumeric());
            match (latin, latin_start) {
                (true, None) => latin_start = Some(i),
                (false, Some(s)) => {
                    let word = &text[s..i];
                    if let Some(st) = stem(word) {
                        let id = self.interner.id(&st);
                        out.push(ZhToken {
                            word: self.words.id(&st),
                            strength: 2.0,
                            translations: vec![id],
                        });
                    }
                    covered[s..i].iter_mut().for_each(|c| *c = true);
                    latin_start = None;
                }
                _ => {}
            }
        }
        let lexicon = self.lexicon;
        for token in lexicon.jieba.cut(text, true) {
            let word = token.word;
            if covered[token.byte_start..token.byte_end].iter().any(|&c| c)
                || !word.chars().any(is_han)
                || ZH_STOP_WORDS.contains(&word)
            {
                continue;
            }
            let translations = self.translations(word);
            let known = lexicon.cedict.contains(word);
            if !translations.is_empty() {
                out.push(ZhToken {
                    word: self.words.id(word),
                    strength: if known { 1.0 } else { 0.5 },
                    translations,
                });
            }
            if !known && word.chars().count() > 1 {
                // Unknown to the dictionary: its parts.
                let mut rest = word;
                while !rest.is_empty() {
                    let len = lexicon
                        .cedict
                        .longest_prefix(rest)
                        .unwrap_or_else(|| rest.chars().next().map_or(rest.len(), char::len_utf8));
                    let part = &rest[..len];
                    rest = &rest[len..];
                    if ZH_STOP_WORDS.contains(&part) {
                        continue;
                    }
                    let translations = self.translations(part);
                    if !translations.is_empty() {
                        out.push(ZhToken {
                            word: self.words.id(part),
                            strength: 0.7,
                            translations,
                        });
                    }
                }
            }
        }
        if let Some(mt) = mt {
            for t in self.english(mt) {
                out.push(ZhToken {
                    word: self.words.id(&format!("mt:{}", t.id)),
                    strength: t.strength,
                    translations: vec![t.id],
                });
            }
        }
        out
    }

    /// The token that marks the first sentence of a paragraph, on each side:
    /// the Chinese one stands for the English one.
    pub(crate) fn paragraph_mark(&mut self) -> (ZhToken, EnToken) {
        let id = self.interner.id("#paragraph");
        (
            ZhToken {
                word: self.words.id("#paragraph"),
                strength: 1.0,
                translations: vec![id],
            },
            EnToken { id, strength: 1.0 },
        )
    }

    /// The English ids a Chinese word may stand for (cached).
    fn translations(&mut self, word: &str) -> Vec<u32> {
        if let Some(ids) = self.cache.get(word) {
            return ids.clone();
        }
        let cedict = &self.lexicon.cedict;
        let mut text = String::new();
        for sense in cedict.all_senses(word) {
            // A surname alone (`王说`, a speaker's `王:`) is its pinyin.
            if let Some(name) = sense.strip_prefix("surname ") {
                text.push_str(&strip_brackets(name));
                text.push(' ');
                continue;
            }
            let skip = [
                "variant of",
                "old variant",
                "see ",
                "CL:",
                "used in",
                "also pr",
                "also written",
                "pr. ",
            ]
            .iter()
            .any(|p| sense.starts_with(p));
            if !skip {
                text.push_str(&strip_brackets(sense));
                text.push(' ');
            }
        }
        let chars = word.chars().count();
        if (2..=4).contains(&chars) && word.chars().all(is_han) && !cedict.has_common_entry(word) {
            // A possible name: its pinyin, as a person and as a place.
            if let Some(name) = cedict.name_pinyin(word) {
                text.push_str(&name.replace('\'', ""));
                text.push(' ');
            }
            if let Some(place) = cedict.place_pinyin(word) {
                text.push_str(&place.replace('\'', ""));
            }
        }
        let mut ids = self.english_ids(&text);
        ids.truncate(40);
        self.cache.insert(word.to_string(), ids.clone());
        ids
    }

    /// The stem ids of the words of `text`, sorted, without repeats.
    fn english_ids(&mut self, text: &str) -> Vec<u32> {
        let mut ids: Vec<u32> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter_map(stem)
            .map(|s| self.interner.id(&s))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The interned id of a Chinese word, for document frequencies.
    pub(crate) fn word_count(&self) -> usize {
        self.words.ids.len()
    }
}

/// A sense without its parenthetical notes and bracketed pinyin.
fn strip_brackets(sense: &str) -> String {
    let mut out = String::with_capacity(sense.len());
    let mut depth = 0usize;
    for c in sense.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[ignore = "debugging aid: prints the tokens of a text"]
    fn print_tokens() {
        let lexicon = Lexicon::load();
        let mut t = Tokenizer::new(&lexicon);
        let text = std::env::var("ZH").unwrap_or_else(|_| "创争不走过场.".to_string());
        let tokens = t.chinese(&text, None);
        let names: HashMap<u32, String> = t
            .interner
            .ids
            .iter()
            .map(|(k, v)| (*v, k.clone()))
            .collect();
        for tok in tokens {
            let tr: Vec<&str> = tok.translations.iter().map(|i| names[i].as_str()).collect();
            println!("{} {:?}", tok.strength, tr);
        }
    }

    #[test]
    fn a_surname_alone_stands_for_its_pinyin() {
        let lexicon = Lexicon::load();
        let mut t = Tokenizer::new(&lexicon);
        let tokens = t.chinese("王.说来也是偶然.", None);
        let wang = t.interner.id("wang");
        assert!(tokens.iter().any(|tok| tok.translations.contains(&wang)));
        // Not the word "surname".
        let surname = t.interner.id("surnam");
        assert!(
            tokens
                .iter()
                .all(|tok| !tok.translations.contains(&surname))
        );
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("developing"), stem("development"));
        assert_eq!(stem("Ministries"), Some("ministry"[..6].to_string()));
        assert_eq!(stem("said"), Some("say".to_string()));
        assert_eq!(stem("the"), None);
        assert_eq!(stem("land"), Some("land".to_string()));
    }
}
