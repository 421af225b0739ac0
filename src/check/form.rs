//! The form checks `bitext qa` runs on what a person wrote: `source-copied`,
//! `bracket-mismatch`, `end-punctuation`, `repeated-word`, `double-space`
//! and `leading-trailing-space`.
//!
//! Each is written for Chinese → English and for the reference text's
//! normalised punctuation, where ASCII `.` stands for both 。 and ，: a
//! source ending in `.` may be a clause, so only 。？！ (and ASCII `?`, `!`)
//! end a sentence for `end-punctuation`, and quotes may be ASCII `'`.

use crate::text::is_han;

/// Whether `target` is `source` copied, Han characters and all.
pub fn is_source_copy(source: &str, target: &str) -> bool {
    target.trim() == source.trim() && source.chars().any(is_han)
}

/// Bracket pairs, with the full-width forms that map to them.
const BRACKETS: &[(&str, &str, char, char)] = &[
    ("（(", "）)", '(', ')'),
    ("[［【〔", "]］】〕", '[', ']'),
    ("{｛", "}｝", '{', '}'),
];

/// `(opens, closes)` of one bracket pair in `text`.
fn count(text: &str, opens: &str, closes: &str) -> (usize, usize) {
    text.chars().fold((0, 0), |(o, c), ch| {
        (
            o + usize::from(opens.contains(ch)),
            c + usize::from(closes.contains(ch)),
        )
    })
}

/// Whether the double quotes of `text` are paired: as many `“` as `”`, and
/// an even number of `"`. With `single`, the same for `‘’` and `'` (a
/// Chinese source has no apostrophes), and `「」`, `『』`.
fn quotes_paired(text: &str, single: bool) -> bool {
    let n = |c: char| text.chars().filter(|&x| x == c).count();
    let double = n('“') == n('”') && n('"').is_multiple_of(2);
    if !single {
        return double;
    }
    double
        && n('‘') == n('’')
        && n('\'').is_multiple_of(2)
        && n('「') == n('」')
        && n('『') == n('』')
}

/// Unpaired brackets or double quotes in `target` whose `source` has them
/// paired (a segment may cut a bracket of its paragraph in two, and then
/// its target may too). Full-width brackets count as their ASCII forms.
pub fn bracket_mismatch(source: &str, target: &str) -> Option<String> {
    for &(opens, closes, open, close) in BRACKETS {
        let (so, sc) = count(source, opens, closes);
        let (to, tc) = count(target, opens, closes);
        if so == sc && to != tc {
            return Some(format!(
                "{to} '{open}' and {tc} '{close}' in the target, {so} pairs in the source"
            ));
        }
    }
    if quotes_paired(source, true) && !quotes_paired(target, false) {
        return Some("unpaired double quotes in the target".to_string());
    }
    None
}

/// Closing quotes and brackets that may follow end punctuation.
const CLOSERS: &[char] = &[
    '”', '’', '"', '\'', '」', '』', '）', ')', ']', '】', '》', '»',
];

/// A source sentence ending in 。？！ (or ASCII `?`, `!`) whose target ends
/// in none of `.`, `?`, `!`, `…` (or their full-width forms, which are
/// another check's business) or a closing quote.
pub fn end_punctuation(source: &str, target: &str) -> Option<String> {
    let end = source
        .trim_end()
        .trim_end_matches(CLOSERS)
        .chars()
        .next_back()?;
    if !matches!(end, '。' | '？' | '！' | '?' | '!') {
        return None;
    }
    let target = target.trim_end();
    if target.ends_with(['”', '’', '"', '\'', '»']) {
        return None;
    }
    let last = target.trim_end_matches(CLOSERS).chars().next_back()?;
    if matches!(last, '.' | '?' | '!' | '…' | '。' | '？' | '！') {
        return None;
    }
    Some(format!(
        "the source ends in '{end}', the target in '{last}'"
    ))
}

/// Words that English may say twice ("that that", "had had").
const MAY_REPEAT: &[&str] = &["that", "had", "is"];

/// The words `target` says twice in a row ("the the"), separated by white
/// space alone.
pub fn repeated_words(target: &str) -> Vec<String> {
    let mut found = Vec::new();
    let words: Vec<&str> = target.split_whitespace().collect();
    for pair in words.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let a_word = a.trim_start_matches(|c: char| !c.is_alphanumeric());
        let b_word = b.trim_end_matches(|c: char| !c.is_alphanumeric());
        let is_word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_alphabetic() || c == '\'');
        if is_word(a_word)
            && is_word(b_word)
            && a_word.eq_ignore_ascii_case(b_word)
            && !MAY_REPEAT.contains(&a_word.to_lowercase().as_str())
        {
            found.push(format!("{a_word} {b_word}"));
        }
    }
    found
}

/// Two or more spaces in a row inside `target` (its ends are
/// `leading-trailing-space`'s business) where `source` has none.
pub fn double_space(source: &str, target: &str) -> Option<String> {
    if source.contains("  ") {
        return None;
    }
    let inner = target.trim_matches(|c: char| c.is_whitespace());
    let at = inner.find("  ")?;
    let before = &inner[..at];
    let word = before.split_whitespace().next_back().unwrap_or("");
    Some(format!("after '{word}'"))
}

/// White space at the start or end of `target` where `source` has none, or
/// the other way round.
pub fn edge_space(source: &str, target: &str) -> Option<String> {
    if target.is_empty() {
        return None;
    }
    let lead = |t: &str| t.starts_with(char::is_whitespace);
    let trail = |t: &str| t.ends_with(char::is_whitespace);
    let side = |s: bool, t: bool, name: &str| {
        (s != t).then(|| {
            if t {
                format!("{name} white space in the target, none in the source")
            } else {
                format!("{name} white space in the source, none in the target")
            }
        })
    };
    side(lead(source), lead(target), "leading")
        .or_else(|| side(trail(source), trail(target), "trailing"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_punctuation_is_aware_of_normalised_clauses() {
        assert!(end_punctuation("他说。", "He said").is_some());
        assert!(end_punctuation("他说？", "Did he say?").is_none());
        assert!(end_punctuation("他说。”", "He said.”").is_none());
        assert!(end_punctuation("他说：“好。”", "He said “yes”").is_none());
        // ASCII '.' may be a comma in normalised text: a clause.
        assert!(end_punctuation("他说.", "he said,").is_none());
    }

    #[test]
    fn brackets_and_quotes() {
        assert!(bracket_mismatch("（甲）乙", "(A B").is_some());
        assert!(bracket_mismatch("（甲）乙", "(A) B").is_none());
        assert!(bracket_mismatch("“甲”", "“A").is_some());
        assert!(bracket_mismatch("甲”", "A”").is_none());
        assert!(bracket_mismatch("'甲.'", "\"A.\"").is_none());
    }

    #[test]
    fn repeated_words_and_spaces() {
        assert_eq!(
            repeated_words("see the the river. The end, end"),
            ["the the"]
        );
        assert!(repeated_words("that that is").is_empty());
        assert!(double_space("甲", "a  b").is_some());
        assert!(double_space("甲", "a b ").is_none());
        assert!(edge_space("甲", " a").is_some());
        assert!(edge_space("甲 ", "a ").is_none());
    }
}
