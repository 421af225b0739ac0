//! Sentence boundaries that dialogue makes weak: where one side cuts a
//! speech in two and the other side most likely does not.
//!
//! - English cuts `"Put your case down," he said. "There's congee…"` after
//!   the attribution; Chinese keeps `“先把箱子放下。”他说，“灶上有粥……”`
//!   as one sentence.
//! - Chinese cuts `“周伯，你怎么认得路？”` from a short attribution that
//!   follows it (`有一次我问他。`), and cuts a quotation at an ellipsis
//!   inside it (`眼圈红了：“走了……` | `它又走了！”`), which English keeps
//!   whole.
//!
//! A glued boundary is weak evidence: a bead that keeps the two sentences
//! together against a single sentence of the other side gains
//! [`super::Params::glue`].

/// Chinese opening and closing quotation marks.
const ZH_OPEN: &[char] = &['“', '「', '『'];
const ZH_CLOSE: &[char] = &['”', '」', '』'];

/// Speech verbs that end a short Chinese attribution.
const ZH_VERBS: &[char] = &['说', '问', '道', '喊', '叫', '答', '嚷'];

/// The most characters in a Chinese attribution sentence.
const ZH_ATTRIBUTION_CHARS: usize = 12;

/// English speech verbs of an attribution (`he said`, `said Li`).
const EN_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "asks",
    "replied",
    "answered",
    "cried",
    "shouted",
    "whispered",
    "added",
    "told",
    "murmured",
    "called",
    "exclaimed",
    "muttered",
    "went",
    "continued",
    "laughed",
    "sighed",
];

/// The most words in an English attribution.
const EN_ATTRIBUTION_WORDS: usize = 5;

/// For each Chinese sentence, whether it is glued to the next: it leaves a
/// quotation open (cut at an ellipsis inside it), or it closes a quotation
/// and the next is a short attribution (`有一次我问他。`), or it ends in
/// such an attribution after a quotation and the next opens a quotation
/// (`“…。”他说。` | `“我一直没舍得扔。”`).
pub(crate) fn chinese(sentences: &[&str]) -> Vec<bool> {
    let count = |s: &str, marks: &[char]| s.chars().filter(|c| marks.contains(c)).count();
    glued_to_next(sentences, |s, next| {
        let open = count(s, ZH_OPEN) > count(s, ZH_CLOSE);
        let attribution = s.trim_end().ends_with(ZH_CLOSE) && is_zh_attribution(next);
        let between = next.trim_start().starts_with(ZH_OPEN)
            && s.rsplit(ZH_CLOSE)
                .next()
                .is_some_and(|tail| tail.len() < s.len() && is_zh_attribution(tail));
        open || attribution || between
    })
}

/// For each sentence, whether `glued` says so of it and the next; the last
/// is glued to nothing.
fn glued_to_next(sentences: &[&str], glued: impl Fn(&str, &str) -> bool) -> Vec<bool> {
    (0..sentences.len())
        .map(|i| {
            sentences
                .get(i + 1)
                .is_some_and(|next| glued(sentences[i], next))
        })
        .collect()
}

/// A short sentence without quotation marks that ends in a speech verb
/// (perhaps followed by an object pronoun): `有一次我问他。`, `她说。`.
fn is_zh_attribution(s: &str) -> bool {
    let s = s.trim();
    let chars: Vec<char> = s.chars().collect();
    if chars.len() > ZH_ATTRIBUTION_CHARS
        || chars
            .iter()
            .any(|c| ZH_OPEN.contains(c) || ZH_CLOSE.contains(c))
    {
        return false;
    }
    let body: Vec<char> = chars
        .iter()
        .copied()
        .filter(|c| !matches!(c, '。' | '，' | '！' | '.' | ','))
        .collect();
    let tail = &body[body.len().saturating_sub(3)..];
    tail.iter().any(|c| ZH_VERBS.contains(c))
}

/// For each English sentence, whether it is glued to the next: it ends in
/// an attribution after a closing quote (`"Put your case down," he said.`)
/// and the next opens a quotation.
pub(crate) fn english(sentences: &[&str]) -> Vec<bool> {
    glued_to_next(sentences, |s, next| {
        next.trim_start().starts_with(['"', '“', '‘']) && ends_in_en_attribution(s)
    })
}

/// Whether the text after the last closing quote is a short attribution
/// with a speech verb.
fn ends_in_en_attribution(s: &str) -> bool {
    let Some(q) = s.rfind(['"', '”']) else {
        return false;
    };
    let rest = &s[q + 1..];
    let words: Vec<String> = rest
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= EN_ATTRIBUTION_WORDS
        && words.iter().any(|w| EN_VERBS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_attribution_between_two_quotations() {
        let s = [
            "\"Put your case down,\" he said.",
            "\"There's congee on the stove.\"",
            "He pointed at the water.",
            "\"The water tells me.\"",
            "\"Why?\" she asked.",
        ];
        assert_eq!(english(&s), [true, false, false, false, false]);
    }

    #[test]
    fn chinese_open_quotation_and_short_attribution() {
        let s = [
            "他愣了一下，眼圈红了：“好……",
            "好啊！”",
            "“周伯，你怎么认得路？”",
            "有一次我问他。",
            "“没有。”我说。",
            "我们几个孩子挤在船舱里，谁也不敢出声。",
            "“你妈走的那年，这收音机就坏了。”他说。",
            "“我一直没舍得扔。”",
        ];
        assert_eq!(
            chinese(&s),
            [true, false, true, false, false, false, true, false]
        );
    }
}
