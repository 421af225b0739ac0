//! Output pieces: English words and marks with their word class, and how
//! they are joined into text.

/// Coarse word class, from jieba's tag, used by the reordering rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
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
    pub(super) fn from_tag(tag: &str) -> Class {
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
    pub(super) fn nominal(self) -> bool {
        matches!(
            self,
            Class::Noun | Class::Name | Class::Number | Class::Pronoun
        )
    }
}

#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub(super) text: String,
    pub(super) class: Class,
    /// No space before (",", closing quote, "'s").
    pub(super) glue_left: bool,
    /// No space after (opening quote).
    pub(super) glue_right: bool,
    /// Capitalise the first letter (sentence start).
    pub(super) capitalise: bool,
    /// Copied from the source: never capitalised.
    pub(super) keep_case: bool,
}

impl Piece {
    pub(super) fn word(text: impl Into<String>, class: Class) -> Piece {
        Piece {
            text: text.into(),
            class,
            glue_left: false,
            glue_right: false,
            capitalise: false,
            keep_case: false,
        }
    }

    pub(super) fn punct(text: &str, glue_left: bool, glue_right: bool) -> Piece {
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

/// Whether English writes "an" before `word` (a vowel sound: "an hour",
/// "an apple", but "a university", "a one-off").
pub(super) fn takes_an(word: &str) -> bool {
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
pub(super) fn join_pieces(pieces: &[Piece]) -> String {
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
pub(super) fn capitalise(s: &str) -> String {
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
