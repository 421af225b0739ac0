//! The `llm-chatter` check: what a language model adds around a translation
//! ("Here is the translation:", "Note: …", "(Translator's note …)", "I hope
//! this helps"), and quotes wrapping the whole reply when the source has
//! none.
//!
//! Only phrases that a translation of Chinese prose does not produce on its
//! own are matched, and only where a model puts them: an opening such as
//! "Here is the translation" or "Translation:" at the start, a note marker
//! at the start or after a bracket or line break, a sign-off anywhere.
//! "Editor's note" (编者按) or "please note" are translations, not chatter.

/// Openings that introduce a translation rather than being one
/// (lowercase; matched at the start of the target).
const OPENINGS: &[&str] = &[
    "here is the translation",
    "here's the translation",
    "here is a translation",
    "here's a translation",
    "here is the english",
    "here's the english",
    "here is my translation",
    "here's my translation",
    "here is the translated",
    "here's the translated",
    "translation:",
    "english translation:",
    "english:",
    "translated text:",
    "sure, here",
    "sure! here",
    "certainly! here",
    "certainly, here",
    "of course! here",
];

/// Note markers (lowercase; matched at the start, or after an opening
/// bracket, a line break, an asterisk, a dash or the end of a sentence),
/// unless the source has a note of its own (`注`, `按`).
const NOTES: &[&str] = &[
    "note:",
    "notes:",
    "translator's note",
    "translator’s note",
    "translation note",
    "tn:",
    "t/n:",
    "lit.",
    "literally:",
];

/// Phrases that are chatter wherever they stand (lowercase).
const ANYWHERE: &[&str] = &[
    "i hope this helps",
    "hope this helps",
    "let me know if you",
    "as an ai",
    "as a language model",
    "the original text says",
    "the chinese text",
    "the source text",
    "translator's note",
    "translator’s note",
];

/// Quote pairs a model wraps its reply in.
const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('“', '”'),
    ('\'', '\''),
    ('‘', '’'),
    ('「', '」'),
    ('『', '』'),
];

/// The chatter in `target`, if any, as a flag detail: the phrase found, or
/// "quotes around the whole translation".
pub fn find_chatter(source: &str, target: &str) -> Option<String> {
    let lower = target.trim().to_lowercase();
    if let Some(opening) = OPENINGS.iter().find(|o| lower.starts_with(*o)) {
        let phrase = target.trim().get(..opening.len()).unwrap_or(opening);
        return Some(format!("'{phrase}'"));
    }
    // A source with a note of its own (注, 按) may be translated "Note:".
    let notes = if source.contains(['注', '按']) {
        &[][..]
    } else {
        NOTES
    };
    for note in notes {
        for (at, _) in lower.match_indices(note) {
            let before = lower[..at].trim_end_matches(' ').chars().next_back();
            if before.is_none_or(|c| "([\n*—-.!?".contains(c)) {
                return Some(format!("'{}'", &lower[at..at + note.len()]));
            }
        }
    }
    if let Some(phrase) = ANYWHERE.iter().find(|p| lower.contains(*p)) {
        return Some(format!("'{phrase}'"));
    }
    let trimmed = target.trim();
    let source = source.trim();
    let wrapped = |text: &str| {
        let mut chars = text.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
            return false;
        };
        QUOTES
            .iter()
            .any(|&(open, close)| first == open && last == close)
    };
    let source_quoted = source
        .chars()
        .next()
        .is_some_and(|c| QUOTES.iter().any(|&(open, _)| c == open));
    if trimmed.chars().count() > 2 && wrapped(trimmed) && !source_quoted {
        return Some("quotes around the whole translation".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_models_add() {
        for (target, found) in [
            (
                "Here is the translation: The Ministry",
                "'Here is the translation'",
            ),
            ("Translation: The Ministry", "'Translation:'"),
            ("The Ministry. Note: 部 means ministry", "'note:'"),
            (
                "The Ministry (Translator's note: a body)",
                "'translator's note'",
            ),
            ("The Ministry (lit. the department)", "'lit.'"),
            ("The Ministry.\nNote: formal register", "'note:'"),
            ("The Ministry. I hope this helps!", "'i hope this helps'"),
            (
                "\"The Ministry acted.\"",
                "quotes around the whole translation",
            ),
        ] {
            assert_eq!(
                find_chatter("部里行动了.", target).as_deref(),
                Some(found),
                "{target}"
            );
        }
    }

    #[test]
    fn translations_are_not_chatter() {
        for (source, target) in [
            (
                "国土资源部创先争优活动记略编者按.",
                "Editor's note to a record of the campaign.",
            ),
            ("请注意安全.", "Please note: safety first."),
            ("'这是回执单.'", "'Here is the receipt.'"),
            ("他说'好'.", "He said 'good'."),
            ("记者们说.", "The journalists said: 'fine'"),
            ("共有注释.", "There are notes: three of them."),
            ("注.数据为估计.", "Note: the figures are estimates."),
        ] {
            assert_eq!(find_chatter(source, target), None, "{target}");
        }
    }
}
