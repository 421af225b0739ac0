//! English renderings mined from aligned bitext, by association.
//!
//! The aligned pairs come from bitext's own outputs: JSONL (one object per
//! unit with `source` and `target`) or TMX 1.4 (`<tu>`s with a source and a
//! target `<tuv>`), as `translate` and `align` write them. For each
//! candidate, every English n-gram of 1 to [`MAX_WORDS`] words in the
//! targets of the pairs whose source holds the candidate is scored by the
//! Dice coefficient, 2·|both| / (|candidate| + |n-gram|), counted in pairs
//! (as hunalign builds its dictionary). N-grams do not cross punctuation,
//! do not begin or end with an English stop word, and are compared by the
//! light stems of their words (so "Party branch" and "Party branches" are
//! one), written in their most frequent form.
//!
//! The best n-gram seen in at least [`MIN_SUPPORT`] pairs with the candidate
//! is the target; when a longer n-gram holding it comes with it nearly as
//! often ([`EXTEND`]), the longer one is (so "Strive for Excellence" wins
//! over "Strive"). The next best that neither hold nor are held by one
//! already chosen, down to half the target's score, are its variants.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use quick_xml::events::Event;

use super::rank::round;
use super::{Candidate, Proposal, TargetOrigin};
use crate::align::lexicon::stem;
use crate::error::{Error, FileKind, Result};
use crate::text::{line_at, primary_subtag, resolve_xml_reference as resolve_reference, xml_event};

/// The longest English n-gram considered, in words.
pub const MAX_WORDS: usize = 5;

/// The fewest aligned pairs a rendering must share with its candidate.
pub const MIN_SUPPORT: u32 = 2;

/// A longer n-gram holding the best one replaces it when it is seen with the
/// candidate in at least this share of the best one's pairs, and scores at
/// least this share of its Dice.
pub const EXTEND: f64 = 0.8;

/// The most variants given.
pub const MAX_VARIANTS: usize = 3;

/// One aligned pair: a source text and its translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlignedPair {
    /// The Chinese.
    pub source: String,
    /// The English.
    pub target: String,
}

/// Read the aligned pairs of a JSONL or TMX file (by extension, else by its
/// first character). In TMX, the source is the `<tuv>` in `source_lang`'s
/// language and the target the one in `target_lang`'s (primary subtags
/// compared). Pairs with an empty side are skipped.
pub fn read_aligned(path: &Path, source_lang: &str, target_lang: &str) -> Result<Vec<AlignedPair>> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = line_at(e.as_bytes(), e.utf8_error().valid_up_to());
        aligned_error(
            path,
            line,
            "not valid UTF-8; bitext writes its JSONL and TMX as UTF-8",
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let pairs = if ext == "tmx" || (ext != "jsonl" && text.trim_start().starts_with('<')) {
        read_tmx(path, text, source_lang, target_lang)?
    } else {
        read_jsonl(path, text)?
    };
    Ok(pairs
        .into_iter()
        .filter(|p| !p.source.trim().is_empty() && !p.target.trim().is_empty())
        .collect())
}

fn aligned_error(path: &Path, line: usize, message: &str) -> Error {
    Error::in_file(FileKind::Aligned, path, line, message)
}

fn read_jsonl(path: &Path, text: &str) -> Result<Vec<AlignedPair>> {
    #[derive(serde::Deserialize)]
    struct Line {
        source: String,
        #[serde(default)]
        target: Option<String>,
    }
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let unit: Line = serde_json::from_str(line).map_err(|e| {
            aligned_error(
                path,
                n + 1,
                &format!(
                    "not an aligned unit ({e}); pass a JSONL file written by bitext translate or align (objects with source and target), or a TMX file"
                ),
            )
        })?;
        pairs.push(AlignedPair {
            source: unit.source,
            target: unit.target.unwrap_or_default(),
        });
    }
    Ok(pairs)
}

fn read_tmx(
    path: &Path,
    text: &str,
    source_lang: &str,
    target_lang: &str,
) -> Result<Vec<AlignedPair>> {
    let (source_lang, target_lang) = (primary_subtag(source_lang), primary_subtag(target_lang));
    let line_at = |pos: u64| line_at(text.as_bytes(), pos as usize);
    let mut reader = quick_xml::Reader::from_str(text);
    let mut pairs = Vec::new();
    let mut root = false;
    let (mut source, mut target) = (None::<String>, None::<String>);
    let mut lang = String::new();
    let mut seg: Option<String> = None;
    loop {
        let (pos, event) = xml_event(&mut reader, text, "TMX", |line, message| {
            aligned_error(path, line, &message)
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if !root => {
                if e.local_name().as_ref() != b"tmx" {
                    return Err(aligned_error(
                        path,
                        line_at(pos),
                        "not a TMX file (the root element must be <tmx>); pass bitext's JSONL or TMX",
                    ));
                }
                root = true;
            }
            Event::Start(e) => match e.local_name().as_ref() {
                b"tu" => (source, target) = (None, None),
                b"tuv" => {
                    lang = e
                        .attributes()
                        .flatten()
                        .find(|a| matches!(a.key.as_ref(), b"xml:lang" | b"lang"))
                        .map(|a| primary_subtag(&String::from_utf8_lossy(&a.value)))
                        .unwrap_or_default();
                }
                b"seg" => seg = Some(String::new()),
                _ => {}
            },
            Event::Text(t) => {
                if let Some(s) = seg.as_mut() {
                    let t = t
                        .decode()
                        .map_err(|e| aligned_error(path, line_at(pos), &e.to_string()))?;
                    s.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let (Some(s), Some(t)) = (seg.as_mut(), resolve_reference(&r)) {
                    s.push_str(&t);
                }
            }
            Event::CData(t) => {
                if let Some(s) = seg.as_mut() {
                    s.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"seg" => {
                    let text = seg.take().unwrap_or_default();
                    if lang == source_lang && source.is_none() {
                        source = Some(text);
                    } else if lang == target_lang && target.is_none() {
                        target = Some(text);
                    }
                }
                b"tu" => {
                    if let (Some(s), Some(t)) = (source.take(), target.take()) {
                        pairs.push(AlignedPair {
                            source: s,
                            target: t,
                        });
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !root {
        return Err(aligned_error(
            path,
            1,
            "not a TMX file (no <tmx> root element); pass bitext's JSONL or TMX",
        ));
    }
    Ok(pairs)
}

/// An English word of a target text.
struct Word {
    /// Its byte range in the text.
    span: std::ops::Range<usize>,
    /// Its light stem, or the word in lower case for a stop word or number.
    key: String,
    /// Whether it is a stop word.
    stop: bool,
}

/// The runs of words of `text` between punctuation. Hyphenated words are
/// words of their own that keep the run going (`Party-building` is `Party
/// building`). An apostrophe inside a word (`Party's`) or after a plural
/// (`Members'`) belongs to it; elsewhere it is a quotation mark and ends the
/// run, like any other punctuation.
fn phrases(text: &str) -> Vec<Vec<Word>> {
    const QUOTES: [char; 2] = ['\'', '’'];
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || QUOTES.contains(&c);
    let mut out: Vec<Vec<Word>> = vec![Vec::new()];
    let new_phrase = |out: &mut Vec<Vec<Word>>| {
        if out.last().is_some_and(|p| !p.is_empty()) {
            out.push(Vec::new());
        }
    };
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if !is_word(c) {
            if !c.is_whitespace() {
                new_phrase(&mut out);
            }
            i += c.len_utf8();
            continue;
        }
        let end = text[i..]
            .find(|c: char| !is_word(c))
            .map_or(text.len(), |e| i + e);
        let token = &text[i..end];
        let core = token.trim_start_matches(|c: char| c == '-' || QUOTES.contains(&c));
        let lead = token.len() - core.len();
        let word = core.trim_end_matches(|c: char| c == '-' || QUOTES.contains(&c));
        let trail = &core[word.len()..];
        let possessive = trail.starts_with(QUOTES) && word.ends_with(['s', 'S']);
        if token[..lead].contains(QUOTES) {
            new_phrase(&mut out);
        }
        let mut at = i + lead;
        let parts: Vec<&str> = word.split('-').collect();
        for (k, part) in parts.iter().enumerate() {
            if part.chars().any(char::is_alphanumeric) {
                let (key, stop) = match stem(part) {
                    Some(s) => (s, false),
                    None => {
                        let lower = part.to_lowercase();
                        let stop = lower.chars().any(char::is_alphabetic);
                        (lower, stop)
                    }
                };
                let mut span = at..at + part.len();
                if possessive && k + 1 == parts.len() {
                    // Keep the apostrophe of "Members'" in the written form.
                    span.end += trail.chars().next().map_or(0, char::len_utf8);
                }
                out.last_mut()
                    .expect("one phrase")
                    .push(Word { span, key, stop });
            }
            at += part.len() + 1;
        }
        if trail.contains(QUOTES) && !possessive {
            new_phrase(&mut out);
        }
        i = end;
    }
    out.retain(|p| !p.is_empty());
    out
}

/// An English n-gram of a target text.
struct Gram {
    /// The stems of its words.
    key: String,
    /// As written (white space runs made one space).
    surface: String,
}

/// The English n-grams of `text` (1 to [`MAX_WORDS`] words, not crossing
/// punctuation, without a stop word at either end).
fn ngrams(text: &str) -> Vec<Gram> {
    let mut out = Vec::new();
    for phrase in phrases(text) {
        for i in 0..phrase.len() {
            if phrase[i].stop {
                continue;
            }
            for j in i + 1..=(i + MAX_WORDS).min(phrase.len()) {
                if phrase[j - 1].stop {
                    continue;
                }
                let words = &phrase[i..j];
                let key: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
                let written = &text[words[0].span.start..words[j - i - 1].span.end];
                out.push(Gram {
                    key: key.join(" "),
                    surface: written.split_whitespace().collect::<Vec<_>>().join(" "),
                });
            }
        }
    }
    out
}

/// The comparison key of an English term: its words' light stems (stop
/// words and numbers in lower case), without a leading article.
fn key_of(text: &str) -> String {
    let words: Vec<String> = phrases(text).into_iter().flatten().map(|w| w.key).collect();
    let start = usize::from(words.len() > 1 && matches!(words[0].as_str(), "the" | "a" | "an"));
    words[start..].join(" ")
}

/// Whether two English renderings are the same term: the same words up to
/// case, number and inflection (light stems), punctuation and a leading
/// article ("the Party branches" is "Party branch").
pub fn same_rendering(a: &str, b: &str) -> bool {
    let (a, b) = (key_of(a), key_of(b));
    !a.is_empty() && a == b
}

/// Whether the words of key `inner` appear in order, together, in `outer`.
fn holds(outer: &str, inner: &str) -> bool {
    format!(" {outer} ").contains(&format!(" {inner} "))
}

/// One scored rendering of a candidate.
#[derive(Debug, Clone)]
struct Scored {
    key: String,
    words: usize,
    support: u32,
    dice: f64,
}

/// Give each candidate without a target the rendering mined from `pairs`
/// (see the [module documentation](self)); candidates seen in fewer than
/// [`MIN_SUPPORT`] pairs, or without a rendering that often, keep none.
/// Returns how many got one.
pub fn render_from_aligned(candidates: &mut [Candidate], pairs: &[AlignedPair]) -> usize {
    let open: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].target.is_none())
        .collect();
    if open.is_empty() || pairs.is_empty() {
        return 0;
    }
    let Ok(matcher) = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(open.iter().map(|&i| candidates[i].source.as_str()))
    else {
        return 0;
    };
    // Pass 1: the pairs of each candidate, and the n-grams seen with it.
    let mut segments = vec![0u32; open.len()];
    let mut together: Vec<HashMap<String, u32>> = vec![HashMap::new(); open.len()];
    let mut surfaces: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let mut found: Vec<usize> = Vec::new();
    for pair in pairs {
        found.clear();
        found.extend(
            matcher
                .find_overlapping_iter(&pair.source)
                .map(|m| m.pattern().as_usize()),
        );
        if found.is_empty() {
            continue;
        }
        found.sort_unstable();
        found.dedup();
        let grams = ngrams(&pair.target);
        for g in &grams {
            *surfaces
                .entry(g.key.clone())
                .or_default()
                .entry(g.surface.clone())
                .or_default() += 1;
        }
        // Each n-gram once per pair.
        let keys: HashSet<&str> = grams.iter().map(|g| g.key.as_str()).collect();
        for &c in &found {
            segments[c] += 1;
            for &key in &keys {
                *together[c].entry(key.to_string()).or_default() += 1;
            }
        }
    }
    // Pass 2: in how many pairs each of those n-grams is.
    let wanted: HashSet<&str> = together
        .iter()
        .flat_map(|t| {
            t.iter()
                .filter(|&(_, &support)| support >= MIN_SUPPORT)
                .map(|(k, _)| k.as_str())
        })
        .collect();
    let mut pairs_with: HashMap<&str, u32> = HashMap::new();
    for pair in pairs {
        let keys: HashSet<String> = ngrams(&pair.target).into_iter().map(|g| g.key).collect();
        for key in keys {
            if let Some(&k) = wanted.get(key.as_str()) {
                *pairs_with.entry(k).or_default() += 1;
            }
        }
    }
    let mut rendered = 0;
    for (c, &i) in open.iter().enumerate() {
        let n = segments[c];
        let mut scored: Vec<Scored> = together[c]
            .iter()
            .filter(|&(_, &support)| support >= MIN_SUPPORT)
            .map(|(key, &support)| {
                let df = pairs_with.get(key.as_str()).copied().unwrap_or(support);
                Scored {
                    key: key.clone(),
                    words: key.split(' ').count(),
                    support,
                    dice: 2.0 * f64::from(support) / f64::from(n + df),
                }
            })
            .collect();
        // Best first: Dice, then the longer, the better supported, the key.
        scored.sort_by(|a, b| {
            b.dice
                .total_cmp(&a.dice)
                .then(b.words.cmp(&a.words))
                .then(b.support.cmp(&a.support))
                .then(a.key.cmp(&b.key))
        });
        let Some(best) = scored.first() else {
            continue;
        };
        let target = scored
            .iter()
            .filter(|s| {
                s.words > best.words
                    && holds(&s.key, &best.key)
                    && f64::from(s.support) >= EXTEND * f64::from(best.support)
                    && s.dice >= EXTEND * best.dice
            })
            .max_by(|a, b| a.words.cmp(&b.words).then(a.dice.total_cmp(&b.dice)))
            .unwrap_or(best)
            .clone();
        let mut chosen = vec![target.key.clone()];
        let mut variants = Vec::new();
        for s in &scored {
            if variants.len() == MAX_VARIANTS || s.dice < 0.5 * target.dice {
                break;
            }
            if chosen.iter().any(|k| holds(k, &s.key) || holds(&s.key, k)) {
                continue;
            }
            chosen.push(s.key.clone());
            variants.push(surface(&surfaces, &s.key));
        }
        candidates[i].target = Some(Proposal {
            text: surface(&surfaces, &target.key),
            variants,
            origin: TargetOrigin::Aligned {
                dice: round(target.dice),
                support: target.support,
                segments: n,
            },
        });
        rendered += 1;
    }
    rendered
}

/// The most frequent way `key` is written (the first in order of text on a tie).
fn surface(surfaces: &HashMap<String, HashMap<String, u32>>, key: &str) -> String {
    surfaces
        .get(key)
        .and_then(|forms| {
            forms
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(s, _)| s.clone())
        })
        .unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_end_at_punctuation_and_quotes() {
        let words = |text: &str| -> Vec<Vec<String>> {
            phrases(text)
                .into_iter()
                .map(|p| p.into_iter().map(|w| text[w.span].to_string()).collect())
                .collect()
        };
        assert_eq!(
            words(
                "the Leading Party Members' Group, 'Two Deliveries and One Improvement' Party-building"
            ),
            [
                vec!["the", "Leading", "Party", "Members'", "Group"],
                vec!["Two", "Deliveries", "and", "One", "Improvement"],
                vec!["Party", "building"],
            ]
        );
    }

    #[test]
    fn ngrams_have_no_stop_word_at_their_ends() {
        let grams: Vec<String> = ngrams("the Ministry of Land, Party-building")
            .into_iter()
            .map(|g| g.surface)
            .collect();
        assert_eq!(
            grams,
            [
                "Ministry",
                "Ministry of Land",
                "Land",
                "Party",
                "Party-building",
                "building"
            ]
        );
    }

    #[test]
    fn renderings_compare_by_stems() {
        assert!(same_rendering("the Party branches", "Party branch"));
        assert!(same_rendering(
            "Ministry of Land and Resources",
            "ministry of land and resources"
        ));
        assert!(!same_rendering("Party branch", "Party committee"));
        assert!(!same_rendering("", ""));
    }

    fn candidate(source: &str) -> Candidate {
        Candidate {
            rank: 1,
            source: source.into(),
            frequency: 3,
            score: 1.0,
            stats: super::super::Stats {
                pmi: 0.0,
                left_entropy: 0.0,
                right_entropy: 0.0,
                c_value: 0.0,
                nested_in: 0,
                word_boundaries: 1.0,
                general_frequency: 0,
                in_cedict: false,
            },
            target: None,
            known: None,
        }
    }

    #[test]
    fn the_rendering_is_the_most_associated_ngram() {
        let pair = |s: &str, t: &str| AlignedPair {
            source: s.into(),
            target: t.into(),
        };
        let pairs = [
            pair("党支部开会", "The Party branch met."),
            pair("党支部书记", "The secretary of the Party branch."),
            pair("党支部活动", "Party branches held activities."),
            pair("开会", "They met."),
            pair("书记", "The secretary spoke for the Party."),
        ];
        let mut candidates = vec![candidate("党支部"), candidate("书记")];
        assert_eq!(render_from_aligned(&mut candidates, &pairs), 2);
        let target = candidates[0].target.as_ref().unwrap();
        assert_eq!(target.text, "Party branch");
        assert_eq!(
            target.origin,
            TargetOrigin::Aligned {
                dice: 1.0,
                support: 3,
                segments: 3
            }
        );
        assert_eq!(candidates[1].target.as_ref().unwrap().text, "secretary");
    }
}
