//! CC-CEDICT lookups: short English glosses and tone-less pinyin.
//!
//! The dictionary is the unmodified MDBG CC-CEDICT release (CC BY-SA 4.0),
//! embedded gzip-compressed. Loading decompresses it and builds a hash index
//! from simplified headword to dictionary lines; senses are only parsed and
//! cleaned when a word is looked up (and the cleaned gloss is then cached),
//! so [`Cedict::load`] takes roughly the time of the decompression itself.
//!
//! CC-CEDICT line format: `TRAD SIMP [pin1 yin1] /sense 1/sense 2/`.

use crate::text::is_han;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read};
use std::sync::OnceLock;

/// The embedded CC-CEDICT release (gzip), CC BY-SA 4.0, © MDBG and the
/// CC-CEDICT contributors.
pub static CEDICT_GZ: &[u8] = include_bytes!("../../../../data/cedict_1_0_ts_utf-8_mdbg.txt.gz");

/// Longest headword (in characters) considered by [`Cedict::longest_prefix`].
pub const MAX_WORD_CHARS: usize = 8;

/// One dictionary line, as byte offsets into [`Cedict::text`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Start of the simplified headword.
    simp_start: u32,
    /// End of the simplified headword.
    simp_end: u32,
    /// End of the line (without the line break).
    line_end: u32,
    /// Next entry with the same simplified headword, or `u32::MAX`.
    next: u32,
}

const NONE: u32 = u32::MAX;

/// A parsed dictionary line.
#[derive(Debug, Clone, Copy)]
struct Parsed<'a> {
    pinyin: &'a str,
    senses: &'a str,
}

impl Parsed<'_> {
    /// Proper-name entries have capitalised pinyin (`[Xu2]`).
    fn is_proper(&self) -> bool {
        self.pinyin.starts_with(|c: char| c.is_ascii_uppercase())
    }

    fn senses(&self) -> impl Iterator<Item = &str> {
        self.senses
            .split('/')
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// Hash of a headword (FxHash-style: fast, not DoS-resistant, which is fine
/// for a fixed embedded dictionary). The index is keyed by this hash; keys
/// are compared on lookup, and colliding headwords probe the next value.
fn key_hash(word: &str) -> u64 {
    let mut h: u64 = 0;
    for &b in word.as_bytes() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    h
}

/// Passes the precomputed [`key_hash`] through (and any other key that is
/// already a well-mixed `u64`, such as the term extractor's n-gram
/// fingerprints).
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; keep something sensible anyway.
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Index = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

/// The CC-CEDICT dictionary, indexed by simplified headword.
///
/// Thread-safe (`Sync`): lookups cache their cleaned gloss in per-headword
/// [`OnceLock`]s.
pub struct Cedict {
    text: String,
    entries: Vec<Entry>,
    /// Hash of the simplified headword → index of the first entry of its
    /// chain.
    index: Index,
    /// Cleaned gloss per chain head (indexed like `entries`).
    glosses: Vec<OnceLock<Option<Box<str>>>>,
    /// Traditional → simplified tables, built on first use.
    simplifier: OnceLock<Simplifier>,
}

/// Traditional → simplified conversion, built from the dictionary's own two
/// headword columns (`TRAD SIMP`).
#[derive(Debug, Default)]
struct Simplifier {
    /// Every traditional character whose simplified form differs (`說` →
    /// `说`, `於` → `于`), to the form most single-character entries give.
    chars: HashMap<char, char>,
    /// The characters of `chars` that are never a simplified headword
    /// themselves (`說`, `臺`, not `於` or `著`): one of them marks a text
    /// as traditional.
    only_traditional: std::collections::HashSet<char>,
    /// Multi-character traditional headwords written differently in
    /// simplified, or holding a character that is also simplified
    /// (`著作` stays `著作`, `穿著` becomes `穿着`): the simplified form of
    /// the first such entry. Built on the first traditional text, so that
    /// simplified text costs only the character tables.
    words: OnceLock<HashMap<String, String>>,
}

impl std::fmt::Debug for Cedict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cedict")
            .field("entries", &self.entries.len())
            .field("headwords", &self.index.len())
            .finish()
    }
}

impl Cedict {
    /// Loads the embedded CC-CEDICT ([`CEDICT_GZ`]).
    pub fn load() -> io::Result<Cedict> {
        Cedict::from_gzip(CEDICT_GZ)
    }

    /// A dictionary with no entries (every lookup misses).
    pub fn empty() -> Cedict {
        Cedict {
            text: String::new(),
            entries: Vec::new(),
            index: Index::default(),
            glosses: Vec::new(),
            simplifier: OnceLock::new(),
        }
    }

    /// Loads a gzip-compressed CC-CEDICT file.
    ///
    /// Fails if the data is not gzip or not UTF-8. Malformed lines are
    /// skipped.
    pub fn from_gzip(bytes: &[u8]) -> io::Result<Cedict> {
        // The gzip trailer holds the uncompressed size (mod 2^32).
        let hint = bytes
            .len()
            .checked_sub(4)
            .and_then(|at| bytes.get(at..))
            .and_then(|tail| <[u8; 4]>::try_from(tail).ok())
            .map_or(0, |t| u32::from_le_bytes(t) as usize);
        let mut raw = Vec::with_capacity(hint.min(64 << 20) + 1);
        flate2::bufread::GzDecoder::new(bytes).read_to_end(&mut raw)?;
        let text =
            String::from_utf8(raw).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Cedict::from_text(text)
    }

    /// Builds the index over an uncompressed CC-CEDICT text.
    ///
    /// Fails only if the text is larger than 4 GiB.
    pub fn from_text(text: String) -> io::Result<Cedict> {
        if u32::try_from(text.len()).is_err() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "dictionary too large",
            ));
        }
        let estimate = text.len() / 70;
        let mut entries: Vec<Entry> = Vec::with_capacity(estimate);
        let mut tails: Vec<u32> = Vec::with_capacity(estimate);
        let mut index: Index =
            HashMap::with_capacity_and_hasher(estimate, BuildHasherDefault::default());
        let bytes = text.as_bytes();
        let mut pos = 0usize;
        while pos < bytes.len() {
            let line_end_nl = text[pos..].find('\n').map_or(bytes.len(), |p| pos + p);
            let mut line_end = line_end_nl;
            if line_end > pos && bytes[line_end - 1] == b'\r' {
                line_end -= 1;
            }
            let line = &bytes[pos..line_end];
            if !line.is_empty()
                && line[0] != b'#'
                && let Some(sp1) = line.iter().position(|&b| b == b' ')
                && let Some(sp2) = line[sp1 + 1..].iter().position(|&b| b == b' ')
            {
                let simp_start = pos + sp1 + 1;
                let simp_end = simp_start + sp2;
                // Offsets fit in u32: checked above.
                let id = entries.len() as u32;
                entries.push(Entry {
                    simp_start: simp_start as u32,
                    simp_end: simp_end as u32,
                    line_end: line_end as u32,
                    next: NONE,
                });
                tails.push(NONE);
                let key = &text[simp_start..simp_end];
                let mut h = key_hash(key);
                loop {
                    match index.get(&h) {
                        Some(&head) => {
                            let e = entries[head as usize];
                            if &text[e.simp_start as usize..e.simp_end as usize] != key {
                                h = h.wrapping_add(1);
                                continue;
                            }
                            let tail = tails[head as usize];
                            let last = if tail == NONE { head } else { tail };
                            entries[last as usize].next = id;
                            tails[head as usize] = id;
                        }
                        None => {
                            index.insert(h, id);
                        }
                    }
                    break;
                }
            }
            pos = line_end_nl + 1;
        }
        let glosses = std::iter::repeat_with(OnceLock::new)
            .take(entries.len())
            .collect();
        Ok(Cedict {
            text,
            entries,
            index,
            glosses,
            simplifier: OnceLock::new(),
        })
    }

    /// Number of dictionary entries (lines).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the dictionary has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether `word` (simplified) is a headword.
    pub fn contains(&self, word: &str) -> bool {
        self.head(word).is_some()
    }

    /// Index of the first entry whose simplified headword is `word`.
    fn head(&self, word: &str) -> Option<u32> {
        let mut h = key_hash(word);
        loop {
            let &head = self.index.get(&h)?;
            let e = self.entries.get(head as usize)?;
            if self.text.get(e.simp_start as usize..e.simp_end as usize) == Some(word) {
                return Some(head);
            }
            h = h.wrapping_add(1);
        }
    }

    /// Whether `word` has at least one common-word (lowercase pinyin) entry.
    pub fn has_common_entry(&self, word: &str) -> bool {
        self.parsed(word).any(|p| !p.is_proper())
    }

    /// Whether `word` has a proper-name (capitalised pinyin) entry.
    pub fn has_proper_entry(&self, word: &str) -> bool {
        self.parsed(word).any(|p| p.is_proper())
    }

    /// Whether `c` is a common Chinese surname (it has a proper-name entry
    /// whose sense is "surname …").
    pub fn is_surname(&self, word: &str) -> bool {
        self.parsed(word)
            .filter(|p| p.is_proper())
            .any(|p| p.senses().any(|s| s.starts_with("surname ")))
    }

    /// Length in bytes of the longest headword that is a prefix of `text`
    /// (at most [`MAX_WORD_CHARS`] characters), if any.
    pub fn longest_prefix(&self, text: &str) -> Option<usize> {
        let ends: Vec<usize> = text
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .take(MAX_WORD_CHARS)
            .collect();
        ends.into_iter()
            .rev()
            .find(|&end| self.contains(&text[..end]))
    }

    /// A cleaned, short English gloss for a simplified-Chinese word: the
    /// first usable sense of its best entry.
    ///
    /// * Common-word entries (lowercase pinyin) win over proper-name entries
    ///   (capitalised pinyin) unless only the latter exist; among several,
    ///   the one with the most usable senses (the most common reading) wins.
    /// * Senses such as "surname X", "variant of …", "used in …", "see …",
    ///   "CL:…", "(Tw) …", "also pr. …" are skipped; dialect, archaic and
    ///   slang senses are used only as a last resort; for idioms a "fig."
    ///   sense wins over a "lit." one.
    /// * Parenthetical notes ("(literary)", "(coll.)", "(such as water or
    ///   minerals)"), pinyin in brackets and "abbr. for" are stripped, as is a
    ///   leading infinitive "to "; "sb"/"sth" are spelled out; only the part
    ///   before a "; " is kept.
    /// * An entry with no usable sense that only points elsewhere ("variant
    ///   of X", "abbr. for X", "see X", "used in X") is glossed as X.
    /// * Senses that describe the word instead of translating it ("classical
    ///   final particle", "classifier for …", "used before a verb …") are
    ///   never used; a word that has only such senses glosses as `""`
    ///   (write nothing).
    pub fn gloss(&self, word: &str) -> Option<&str> {
        let head = self.head(word)?;
        self.glosses
            .get(head as usize)?
            .get_or_init(|| self.compute_gloss(word, 0).map(String::into_boxed_str))
            .as_deref()
    }

    /// All cleaned senses of a word's best entry, in dictionary order (for
    /// callers that want alternatives).
    pub fn senses(&self, word: &str) -> Vec<String> {
        let Some(best) = self.best_entry(word) else {
            return Vec::new();
        };
        best.senses()
            .filter_map(|s| clean_sense(s).ok())
            .map(|c| c.text)
            .collect()
    }

    /// Every raw sense of every entry of `word` (simplified), uncleaned, in
    /// dictionary order, common-word entries first (for callers that want
    /// all the English a word may stand for, such as the aligner).
    pub fn all_senses(&self, word: &str) -> Vec<&str> {
        let mut common = Vec::new();
        let mut proper = Vec::new();
        for p in self.parsed(word) {
            let out = if p.is_proper() {
                &mut proper
            } else {
                &mut common
            };
            let senses: &str = p.senses;
            out.extend(senses.split('/').map(str::trim).filter(|s| !s.is_empty()));
        }
        common.extend(proper);
        common
    }

    /// Tone-less pinyin of a word, lowercase syllables separated by spaces
    /// (`徐绍史` → "xu shao shi"; `中国` → "zhong guo"; `绿` → "lü").
    ///
    /// Uses the word's own entry when there is one (the common reading
    /// first), else the most common reading of each character. Returns
    /// `None` if some character has no reading.
    pub fn pinyin(&self, word: &str) -> Option<String> {
        if let Some(p) = self.best_entry(word) {
            let syllables = pinyin_syllables(p.pinyin);
            if !syllables.is_empty() {
                return Some(syllables.join(" "));
            }
        }
        let mut out = Vec::new();
        for (i, c) in word.char_indices() {
            let ch = &word[i..i + c.len_utf8()];
            let p = self.best_entry(ch)?;
            out.extend(pinyin_syllables(p.pinyin));
        }
        (!out.is_empty()).then(|| out.join(" "))
    }

    /// A Chinese person name in English order and spelling: surname, then
    /// given name written as one word (`徐绍史` → "Xu Shaoshi", `欧阳修` →
    /// "Ouyang Xiu"). The surname uses its surname reading (`曾` → "Zeng").
    /// Apostrophes separate ambiguous syllables ("Xi'an").
    pub fn name_pinyin(&self, name: &str) -> Option<String> {
        let chars: Vec<&str> = split_chars(name);
        if chars.is_empty() {
            return None;
        }
        // Two-character (compound) surname?
        let two = chars.get(..2).map(|c| c.concat());
        let surname_len = match &two {
            Some(t) if chars.len() > 2 && self.is_surname(t) => 2,
            _ => 1,
        };
        let surname: String = chars[..surname_len].concat();
        let sur_syllables = self
            .parsed(&surname)
            .find(|p| p.is_proper() && p.senses().any(|s| s.starts_with("surname ")))
            .map(|p| pinyin_syllables(p.pinyin))
            .filter(|s| !s.is_empty())
            .or_else(|| {
                self.pinyin(&surname)
                    .map(|s| s.split(' ').map(str::to_string).collect())
            })?;
        let mut out = join_syllables(&sur_syllables);
        let given: String = chars[surname_len..].concat();
        if !given.is_empty() {
            let g = self.pinyin(&given)?;
            let g: Vec<String> = g.split(' ').map(str::to_string).collect();
            out.push(' ');
            out.push_str(&join_syllables(&g));
        }
        Some(out)
    }

    /// A place or other proper name written as one capitalised word
    /// (`新疆` → "Xinjiang", `西安` → "Xi'an").
    pub fn place_pinyin(&self, name: &str) -> Option<String> {
        let p = self.pinyin(name)?;
        let syllables: Vec<String> = p.split(' ').map(str::to_string).collect();
        Some(join_syllables(&syllables))
    }

    /// The simplified form of a traditional-Chinese text, character for
    /// character (the result has exactly as many characters as `text`), or
    /// `None` when `text` holds no character that only traditional writing
    /// uses (simplified text, or text with no Chinese).
    ///
    /// The tables come from CC-CEDICT's own traditional and simplified
    /// headwords and are built on the first call. Longest traditional
    /// headword first (`乾淨` → `干净`, `著作` → `著作`), then character by
    /// character (`臺灣` → `台湾`); characters CC-CEDICT does not map are
    /// kept.
    pub fn simplify(&self, text: &str) -> Option<String> {
        let tables = self.simplifier.get_or_init(|| self.build_simplifier());
        if !text.chars().any(|c| tables.only_traditional.contains(&c)) {
            return None;
        }
        let words = tables.words.get_or_init(|| self.build_words(tables));
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        'chars: while i < chars.len() {
            if is_han(chars[i]) {
                let longest = (chars.len() - i).min(MAX_WORD_CHARS);
                for n in (2..=longest).rev() {
                    let word: String = chars[i..i + n].iter().collect();
                    if let Some(simplified) = words.get(&word) {
                        out.push_str(simplified);
                        i += n;
                        continue 'chars;
                    }
                }
            }
            out.push(tables.chars.get(&chars[i]).copied().unwrap_or(chars[i]));
            i += 1;
        }
        Some(out)
    }

    /// Every entry's traditional and simplified headword (when they have
    /// as many characters, as they all do).
    fn headword_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().filter_map(|e| {
            let simp = self.text.get(e.simp_start as usize..e.simp_end as usize)?;
            let before = self.text.get(..(e.simp_start as usize).checked_sub(1)?)?;
            let trad = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
            (trad.chars().count() == simp.chars().count()).then_some((trad, simp))
        })
    }

    /// Reads the traditional → simplified character tables out of the
    /// dictionary.
    fn build_simplifier(&self) -> Simplifier {
        let mut votes: HashMap<char, Vec<(char, usize)>> = HashMap::new();
        for (trad, simp) in self.headword_pairs() {
            let (mut t, mut s) = (trad.chars(), simp.chars());
            if let (Some(tc), Some(sc), None) = (t.next(), s.next(), t.next())
                && tc != sc
            {
                let counts = votes.entry(tc).or_default();
                match counts.iter_mut().find(|(c, _)| *c == sc) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((sc, 1)),
                }
            }
        }
        let mut tables = Simplifier::default();
        for (trad, counts) in votes {
            // Most entries first; the earliest on a tie.
            let best = counts
                .iter()
                .enumerate()
                .max_by_key(|&(i, &(_, n))| (n, std::cmp::Reverse(i)))
                .map(|(_, &(c, _))| c);
            if let Some(simp) = best {
                tables.chars.insert(trad, simp);
                if !self.contains(trad.encode_utf8(&mut [0; 4])) {
                    tables.only_traditional.insert(trad);
                }
            }
        }
        tables
    }

    /// Reads the traditional → simplified word table out of the dictionary.
    fn build_words(&self, tables: &Simplifier) -> HashMap<String, String> {
        let mut words = HashMap::new();
        for (trad, simp) in self.headword_pairs() {
            let ambiguous = || {
                trad.chars()
                    .any(|c| tables.chars.contains_key(&c) && !tables.only_traditional.contains(&c))
            };
            if trad.chars().nth(1).is_some() && (trad != simp || ambiguous()) {
                words
                    .entry(trad.to_string())
                    .or_insert_with(|| simp.to_string());
            }
        }
        words
    }

    // -- internals ---------------------------------------------------------

    fn chain(&self, word: &str) -> impl Iterator<Item = &Entry> {
        let mut next = self.head(word).unwrap_or(NONE);
        std::iter::from_fn(move || {
            let e = self.entries.get(next as usize)?;
            next = e.next;
            Some(e)
        })
    }

    fn parsed(&self, word: &str) -> impl Iterator<Item = Parsed<'_>> {
        self.chain(word).filter_map(|e| {
            let rest = self.text.get(e.simp_end as usize..e.line_end as usize)?;
            parse_rest(rest)
        })
    }

    /// The entry to use for glossing: common entries first, the one with the
    /// most usable senses; proper-name entries only if no common one exists.
    fn best_entry(&self, word: &str) -> Option<Parsed<'_>> {
        let mut best: Option<(Parsed<'_>, (bool, usize))> = None;
        for p in self.parsed(word) {
            let usable = p.senses().filter(|s| clean_sense(s).is_ok()).count();
            let score = (!p.is_proper(), usable);
            if best.as_ref().is_none_or(|(_, b)| score > *b) {
                best = Some((p, score));
            }
        }
        best.map(|(p, _)| p)
    }

    fn compute_gloss(&self, word: &str, depth: u8) -> Option<String> {
        let mut fallback: Option<String> = None;
        let mut reference: Option<String> = None;
        let mut descriptive = false;
        // Common entries ordered by usable-sense count, then proper ones.
        let mut candidates: Vec<(Parsed<'_>, usize, usize)> = self
            .parsed(word)
            .enumerate()
            .map(|(i, p)| {
                let usable = p.senses().filter(|s| clean_sense(s).is_ok()).count();
                (p, usable, i)
            })
            .collect();
        candidates.sort_by_key(|&(p, usable, i)| (p.is_proper(), std::cmp::Reverse(usable), i));
        for (p, _, _) in &candidates {
            let mut cleaned: Vec<Cleaned> = Vec::new();
            for s in p.senses() {
                match clean_sense(s) {
                    Ok(c) => cleaned.push(c),
                    Err(Skip::Reference(r)) => {
                        if reference.is_none() && r != word {
                            reference = Some(r);
                        }
                    }
                    Err(Skip::LastResort(t)) => {
                        if fallback.is_none() {
                            fallback = Some(t);
                        }
                    }
                    Err(Skip::Descriptive) => descriptive = true,
                    Err(Skip::Useless) => {}
                }
            }
            // Proper names: "Ministry of Land and Resources, formed in
            // 1998" → keep the name only.
            if p.is_proper() {
                for c in &mut cleaned {
                    c.text = trim_proper(&c.text);
                }
            }
            if let Some(choice) = choose_sense(&cleaned) {
                return Some(choice);
            }
        }
        if depth < 2
            && let Some(r) = reference
            && let Some(g) = self.compute_gloss(&r, depth + 1)
        {
            return Some(g);
        }
        // A word whose only senses describe it (`矣` "classical final
        // particle"): nothing to write.
        fallback.or_else(|| descriptive.then(String::new))
    }
}

/// Shortens a proper-name gloss to the name itself: "Ministry of Land and
/// Resources, formed in 1998" → "Ministry of Land and Resources", "Hubei
/// Province in central China" → "Hubei Province".
fn trim_proper(gloss: &str) -> String {
    let mut end = gloss.len();
    for cut in [", ", " in ", " on the ", " near ", " or "] {
        if let Some(i) = gloss.find(cut)
            && i > 0
        {
            end = end.min(i);
        }
    }
    gloss[..end].trim().to_string()
}

/// Splits the part of a line after the simplified headword:
/// ` [pin1 yin1] /sense/sense/`.
fn parse_rest(rest: &str) -> Option<Parsed<'_>> {
    let open = rest.find('[')?;
    let close = open + rest[open..].find(']')?;
    let pinyin = &rest[open + 1..close];
    let after = &rest[close + 1..];
    let slash = after.find('/')?;
    let senses = after[slash..].trim_end();
    Some(Parsed { pinyin, senses })
}

/// Why a sense was not used.
#[derive(Debug, PartialEq)]
enum Skip {
    /// Only a pointer to another word ("variant of X", "abbr. for X").
    Reference(String),
    /// Usable only if nothing better exists (dialect, archaic, slang).
    LastResort(String),
    /// Never usable ("surname X", "CL:…", "(Tw)", "Kangxi radical …").
    Useless,
    /// Describes the word instead of translating it ("classical final
    /// particle", "classifier for …", "used before a verb …").
    Descriptive,
}

/// Whether a cleaned sense says what a word does ("classical final
/// particle, similar to modern …", "classifier for books", "used before a
/// verb", "indicating emphasis") instead of giving English for it. Such a
/// sense is never written: a translating sense of the word is used instead,
/// or nothing.
fn is_descriptive(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    const OPENINGS: [&str; 16] = [
        "used ",
        "indicates ",
        "indicating ",
        "expresses ",
        "expressing ",
        "classifier",
        "measure word",
        "interjection",
        "exclamation ",
        "marker ",
        "suffix ",
        "prefix ",
        "equivalent to ",
        "similar to ",
        "grammatical ",
        "sentence-final",
    ];
    if OPENINGS.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    // "modal particle …", "particle indicating …", but not "elementary
    // particle" or "particle physics".
    const BEFORE: [&str; 14] = [
        "modal",
        "final",
        "structural",
        "possessive",
        "interrogative",
        "question",
        "auxiliary",
        "exclamatory",
        "aspect",
        "classical",
        "grammatical",
        "emphatic",
        "verbal",
        "literary",
    ];
    const AFTER: [&str; 12] = [
        "indicating",
        "expressing",
        "signaling",
        "signalling",
        "placed",
        "introducing",
        "for",
        "similar",
        "used",
        "conveying",
        "that",
        "of",
    ];
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        *w == "particle"
            && (i.checked_sub(1).is_some_and(|b| BEFORE.contains(&words[b]))
                || words.get(i + 1).is_some_and(|a| AFTER.contains(a))
                || lower.contains("particle:")
                || lower.contains("particle,"))
    }) || [" used before ", " used after "]
        .iter()
        .any(|p| lower.contains(p))
}

#[derive(Debug, Clone)]
struct Cleaned {
    text: String,
    literal: bool,
    figurative: bool,
}

/// Picks the sense to show: the first one, except that a "fig." sense beats
/// a "lit." one and a very long sense gives way to a short one close after.
fn choose_sense(cleaned: &[Cleaned]) -> Option<String> {
    if cleaned.is_empty() {
        return None;
    }
    if cleaned[0].literal
        && let Some(f) = cleaned.iter().find(|c| c.figurative)
    {
        return Some(f.text.clone());
    }
    let words = |s: &str| s.split(' ').count();
    let first = &cleaned[0];
    if words(&first.text) > 5
        && let Some(short) = cleaned.iter().skip(1).take(2).find(|c| words(&c.text) <= 5)
    {
        return Some(short.text.clone());
    }
    Some(first.text.clone())
}

/// Cleans one CC-CEDICT sense into a short gloss.
fn clean_sense(raw: &str) -> Result<Cleaned, Skip> {
    let s = raw.trim();
    let lower = s.to_ascii_lowercase();
    const USELESS_PREFIXES: [&str; 12] = [
        "surname ",
        "cl:",
        "also pr.",
        "pr. ",
        "also written",
        "kangxi radical",
        "radical ",
        "also called",
        "also known as",
        "abbr. to",
        "taiwan pr.",
        "(tw)",
    ];
    if USELESS_PREFIXES.iter().any(|p| lower.starts_with(p))
        || lower.contains("(tw)")
        || lower.contains("taiwan pr.")
        || lower.starts_with("japanese ")
    {
        return Err(Skip::Useless);
    }
    const REFERENCE_PREFIXES: [&str; 12] = [
        "old variant of ",
        "variant of ",
        "archaic variant of ",
        "unofficial variant of ",
        "erhua variant of ",
        "japanese variant of ",
        "used in ",
        "see also ",
        "see ",
        "abbr. for ",
        "(abbr. for ",
        "same as ",
    ];
    for p in REFERENCE_PREFIXES {
        if lower.starts_with(p) {
            let rest = &s[p.len()..];
            // "abbr. for 中國共產黨|中国共产党[...], Chinese Communist Party"
            if p.contains("abbr.")
                && let Some((_, english)) = rest.split_once(", ")
            {
                let english = tidy(english);
                if !english.is_empty() && !english.chars().any(is_han) {
                    return Ok(Cleaned {
                        text: english,
                        literal: false,
                        figurative: false,
                    });
                }
            }
            return Err(match referenced_word(rest) {
                Some(w) => Skip::Reference(w),
                None => Skip::Useless,
            });
        }
    }
    if lower.contains("variant of ") && s.chars().any(is_han) {
        return Err(
            match referenced_word(&s[lower.find("variant of ").unwrap_or(0) + 11..]) {
                Some(w) => Skip::Reference(w),
                None => Skip::Useless,
            },
        );
    }
    const LAST_RESORT: [&str; 14] = [
        "(dialect)",
        "(cantonese)",
        "(archaic)",
        "(old)",
        "(slang)",
        "(internet slang)",
        "(vulgar)",
        "(euphemism)",
        "(onom.)",
        "(classical)",
        "(old usage)",
        "(obsolete)",
        "(derog.)",
        "(offensive)",
    ];
    // A "(literary)" sense is a sense like any other ("(literary) to
    // rain"); one that describes ("(literary) particle …") is caught below.
    let last_resort = LAST_RESORT.iter().any(|m| lower.contains(m));
    let literal = lower.starts_with("lit.");
    let figurative = lower.starts_with("fig.");
    let text = tidy(s);
    if text.is_empty() || text.chars().any(is_han) {
        return Err(Skip::Useless);
    }
    if is_descriptive(&text) {
        return Err(Skip::Descriptive);
    }
    if last_resort {
        return Err(Skip::LastResort(text));
    }
    Ok(Cleaned {
        text,
        literal,
        figurative,
    })
}

/// The simplified form of the first word referenced in `s`
/// (`"個|个[ge4]"` → "个", `"蝴蝶[hu2 die2]"` → "蝴蝶").
fn referenced_word(s: &str) -> Option<String> {
    let start = s.find(is_han)?;
    let rest = &s[start..];
    let end = rest
        .find(|c: char| !(is_han(c) || c == '|'))
        .unwrap_or(rest.len());
    let token = &rest[..end];
    let simp = token.rsplit('|').next().unwrap_or(token);
    (!simp.is_empty()).then(|| simp.to_string())
}

/// Removes parentheticals, bracketed pinyin, Chinese references, "lit."/
/// "fig."/"abbr. for" markers and a leading "to "; keeps the part before
/// "; "; spells out sb/sth; collapses spaces.
fn tidy(s: &str) -> String {
    // Remove (...) and [...] groups, nested or not, and Han text with its
    // `|` separators.
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' | '（' => depth += 1,
            ')' | ']' | '）' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '|' => {}
            c if is_han(c) => {}
            c => out.push(c),
        }
    }
    let first = out.split("; ").find(|p| !p.trim().is_empty()).unwrap_or("");
    let mut t = first.trim().to_string();
    for cut in [
        ", esp. ",
        ", e.g. ",
        ", i.e. ",
        " (esp.",
        ", usually ",
        ", aka ",
        " aka ",
    ] {
        if let Some(i) = t.find(cut) {
            t.truncate(i);
        }
    }
    for prefix in ["lit. ", "fig. ", "abbr. for ", "i.e. ", "esp. "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim_start().to_string();
        }
    }
    // Collapse whitespace, fix spaces before punctuation.
    let mut collapsed = String::with_capacity(t.len());
    for w in t.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(w);
    }
    let mut t = collapsed
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" ;", ";");
    t = t
        .trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c == ' ' || c == '"')
        .to_string();
    t = t
        .trim_end_matches("...")
        .trim_end_matches('…')
        .trim()
        .to_string();
    for tail in [" etc.", " etc", ","] {
        if let Some(rest) = t.strip_suffix(tail) {
            t = rest.trim_end().to_string();
        }
    }
    if let Some(rest) = t.strip_prefix("to ")
        && !rest.is_empty()
    {
        t = rest.to_string();
    }
    for article in ["a ", "an "] {
        if let Some(rest) = t.strip_prefix(article)
            && !rest.is_empty()
        {
            t = rest.to_string();
        }
    }
    let t = drop_placeholders(&t);
    shorten_alternatives(&t)
}

/// "adopt or carry out" → "adopt", "vast or extensive" → "vast": keeps the
/// first of two short alternatives.
fn shorten_alternatives(s: &str) -> String {
    if let Some((left, right)) = s.split_once(" or ") {
        let lw = left.split(' ').count();
        let rw = right.split(' ').count();
        let keep_whole = [
            "more", "less", "sooner", "either", "whether", "one", "two", "and",
        ]
        .iter()
        .any(|w| left.ends_with(w))
            || left.contains(',');
        if !keep_whole && lw <= 3 && rw <= 4 && !left.is_empty() {
            return left.to_string();
        }
    }
    s.to_string()
}

/// Drops CC-CEDICT's object placeholders: "to help sb" → "help", "to
/// apply for sth" → "apply for"; "sb's" → "one's".
fn drop_placeholders(s: &str) -> String {
    if !s.contains("sb") && !s.contains("sth") {
        return s.to_string();
    }
    let words: Vec<&str> = s
        .split(' ')
        .filter_map(|w| {
            let core = w.trim_end_matches([',', ';', '.']);
            match core {
                "sb" | "sth" | "sb/sth" | "sth/sb" => None,
                "sb's" | "sth's" => Some("one's"),
                _ => Some(w),
            }
        })
        .collect();
    let joined = words.join(" ");
    let trimmed = joined.trim_end_matches([' ', ',']).to_string();
    if trimmed.is_empty() {
        s.to_string()
    } else {
        trimmed
    }
}

/// Tone-less syllables of a CC-CEDICT pinyin field, lowercase
/// (`"Xu2 shao4"` → `["xu", "shao"]`, `"lu:4"` → `["lü"]`). Separators like
/// "·" and "," are dropped; "r5" (erhua) becomes "r".
fn pinyin_syllables(pinyin: &str) -> Vec<String> {
    pinyin
        .split(' ')
        .filter_map(|syl| {
            let s: String = syl
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect::<String>()
                .to_lowercase()
                .replace("u:", "ü")
                .replace('v', "ü");
            let letters = s.chars().all(|c| c.is_alphabetic());
            (letters && !s.is_empty()).then_some(s)
        })
        .collect()
}

/// Joins syllables into one capitalised word with apostrophes before a
/// syllable starting with a, e or o ("xi", "an" → "Xi'an"). An erhua "r"
/// is appended without a break.
fn join_syllables(syllables: &[String]) -> String {
    let mut out = String::new();
    for (i, s) in syllables.iter().enumerate() {
        if i > 0 && s.starts_with(['a', 'e', 'o']) {
            out.push('\'');
        }
        out.push_str(s);
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

fn split_chars(s: &str) -> Vec<&str> {
    s.char_indices()
        .map(|(i, c)| &s[i..i + c.len_utf8()])
        .collect()
}

/// The embedded CC-CEDICT and jieba's default dictionary, loaded in
/// parallel (jieba on a second thread). Never fails: an unreadable embedded
/// dictionary (only a corrupted binary) gives an empty one. The one loader
/// behind the gloss and the aligner's lexicon.
pub fn load_with_jieba() -> (Cedict, jieba_rs::Jieba) {
    let jieba = std::thread::Builder::new()
        .name("jieba-load".into())
        .spawn(jieba_rs::Jieba::new);
    let cedict = Cedict::load().unwrap_or_else(|_| Cedict::empty());
    let jieba = match jieba {
        Ok(handle) => handle.join().unwrap_or_else(|_| jieba_rs::Jieba::empty()),
        Err(_) => jieba_rs::Jieba::new(),
    };
    (cedict, jieba)
}

#[cfg(test)]
mod tests;
