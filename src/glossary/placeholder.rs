//! Placeholders: protect glossary terms from a backend that cannot be told
//! about them, and restore the glossary targets afterwards.
//!
//! [`protect`] turns a segment into XML: its text escaped, each matched term
//! replaced by an empty tag `<x id="N"/>` (N counts the segment's terms from
//! 1). Backends that handle markup (DeepL `tag_handling=xml`, Google and
//! LibreTranslate `format=html`) keep such tags in place. [`restore`] puts
//! each term's target where its tag came back, unescapes the text, and says
//! which tags went missing.
//!
//! ```
//! use bitext::document::TermMatch;
//! use bitext::glossary::placeholder::{protect, restore};
//!
//! let terms = vec![TermMatch { term_id: 0, source: "两难".into(), target: "the two dilemmas".into(), span: 6..12 }];
//! assert_eq!(protect("破解两难<局面>", &terms), r#"破解<x id="1"/>&lt;局面&gt;"#);
//! let restored = restore(r#"resolve<x id="1"/> &lt;situation&gt;"#, &terms);
//! assert_eq!(restored.text, "resolve the two dilemmas <situation>");
//! assert!(restored.missing.is_empty());
//! ```

use crate::document::TermMatch;

/// The source text as XML with a `<x id="N"/>` tag in place of each term.
/// `terms` must be sorted by span and not overlap, as
/// [`crate::glossary::Glossary::annotate`] returns them.
pub fn protect(text: &str, terms: &[TermMatch]) -> String {
    let mut out = String::with_capacity(text.len() + terms.len() * 12);
    let mut pos = 0;
    for (n, term) in terms.iter().enumerate() {
        if term.span.start < pos || term.span.end > text.len() {
            continue;
        }
        escape_into(&mut out, &text[pos..term.span.start]);
        out.push_str(&format!("<x id=\"{}\"/>", n + 1));
        pos = term.span.end;
    }
    escape_into(&mut out, &text[pos..]);
    out
}

/// The outcome of [`restore`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The translation with glossary targets in place of the tags, unescaped.
    pub text: String,
    /// Indices into `terms` of the terms whose tag did not come back.
    pub missing: Vec<usize>,
}

/// Replace the `<x id="N"/>` tags of a backend's XML reply with the targets
/// of `terms`, and unescape the rest. Tags are found leniently (`<x id=1>`,
/// `<x id = "1" />`, a stray `</x>`); spaces are added where a target would
/// otherwise run into a neighbouring word.
pub fn restore(reply: &str, terms: &[TermMatch]) -> Restored {
    let mut seen = vec![false; terms.len()];
    let mut text = String::with_capacity(reply.len());
    let mut rest = reply;
    // Set after a target was put in, until the next text: a word that follows
    // (even after a closing `</x>`) must not run into it.
    let mut after_target = false;
    while let Some(lt) = rest.find('<') {
        let before = &rest[..lt];
        if after_target && needs_space(text.chars().last(), before.chars().next()) {
            text.push(' ');
        }
        if !before.is_empty() {
            after_target = false;
        }
        unescape_into(&mut text, before);
        let after = &rest[lt..];
        match parse_tag(after) {
            Some((len, id)) => {
                let term = id
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| terms.get(i).map(|t| (i, t)));
                if let Some((i, term)) = term {
                    seen[i] = true;
                    let target = term.target.as_str();
                    if needs_space(text.chars().last(), target.chars().next()) {
                        text.push(' ');
                    }
                    text.push_str(target);
                    after_target = true;
                }
                rest = &after[len..];
            }
            None => {
                text.push('<');
                after_target = false;
                rest = &after[1..];
            }
        }
    }
    if after_target && needs_space(text.chars().last(), rest.chars().next()) {
        text.push(' ');
    }
    unescape_into(&mut text, rest);
    let missing = (0..terms.len()).filter(|&i| !seen[i]).collect();
    Restored {
        text: collapse_spaces(&text),
        missing,
    }
}

/// Parse an `x` tag at the start of `s`: its length and its id (`None` for a
/// closing `</x>` or an id that is not a number).
fn parse_tag(s: &str) -> Option<(usize, Option<usize>)> {
    let end = s.find('>')?;
    let inner = s[1..end].trim();
    if inner.eq_ignore_ascii_case("/x") {
        return Some((end + 1, None));
    }
    let body = inner.strip_prefix(['x', 'X'])?;
    if !body.starts_with(char::is_whitespace) {
        return None;
    }
    let body = body.trim().trim_end_matches('/').trim();
    let value = body
        .strip_prefix("id")?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    Some((end + 1, value.parse().ok()))
}

/// Whether a space must separate `before` and `after` (two Latin letters or
/// digits would otherwise run together).
fn needs_space(before: Option<char>, after: Option<char>) -> bool {
    matches!((before, after), (Some(b), Some(a)) if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric())
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Unescape the XML entities a backend may return: the five named ones and
/// numeric references. Anything else is left as it is.
fn unescape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &after[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(source: &str, target: &str, text: &str) -> TermMatch {
        let start = text.find(source).unwrap();
        TermMatch {
            term_id: 0,
            source: source.into(),
            target: target.into(),
            span: start..start + source.len(),
        }
    }

    #[test]
    fn round_trip_with_lenient_tags() {
        let text = "国土资源部开展创先争优活动";
        let terms = vec![
            term("国土资源部", "Ministry of Land and Resources", text),
            term("创先争优", "Strive for Excellence", text),
        ];
        let xml = protect(text, &terms);
        assert_eq!(xml, r#"<x id="1"/>开展<x id="2"/>活动"#);
        let back = restore(
            r#"The<X id = '1' /> launched the <x id=2></x>campaign"#,
            &terms,
        );
        assert_eq!(
            back.text,
            "The Ministry of Land and Resources launched the Strive for Excellence campaign"
        );
        assert!(back.missing.is_empty());
    }

    #[test]
    fn missing_tags_are_reported() {
        let text = "破解两难";
        let terms = vec![term("两难", "the two dilemmas", text)];
        let back = restore(
            "solve the dilemma &amp; more &#x41;&#66; &bogus; & <b>",
            &terms,
        );
        assert_eq!(back.text, "solve the dilemma & more AB &bogus; & <b>");
        assert_eq!(back.missing, [0]);
    }
}
