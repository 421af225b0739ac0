//! Inline codes: the markup inside a block (emphasis, links, inline code,
//! line breaks) that travels through translation as markers in the text and
//! comes back in place.
//!
//! A segment's text carries its codes as compact markers: `⟨1⟩…⟨/1⟩` for a
//! pair (an opening and a closing code with one id) and `⟨2/⟩` for a
//! standalone code. The original markup of each code is kept apart, in its
//! block's table of [`InlineCode`]s, so that the text a translator (or a
//! backend) sees holds no markup of the input format. A pair is never split
//! by a segment boundary ([`keep_pairs_whole`]).
//!
//! Backends that take XML get the markers as tags ([`to_xml`]: `<g
//! id="c1">…</g>`, `<x id="c2"/>`), the same mechanism as the glossary's
//! placeholders (`<x id="1"/>`, see [`crate::glossary::placeholder`]);
//! [`from_xml`] turns them back. [`repair`] makes a translation's codes match
//! its source's: each exactly once, pairs nested.
//!
//! ```
//! use bitext::markup::codes::repair;
//!
//! let fixed = repair("⟨1⟩重要⟨/1⟩的事⟨2/⟩", "the ⟨/1⟩important⟨1⟩ thing ⟨2/⟩⟨2/⟩");
//! assert!(fixed.changed);
//! assert_eq!(fixed.text, "the important⟨1⟩ thing ⟨2/⟩⟨/1⟩");
//! ```

use std::ops::Range;

pub use crate::document::{CodeKind, InlineCode};

/// A piece of a text with markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Plain text.
    Text(&'a str),
    /// A marker.
    Code(CodeKind, u32),
}

/// The marker for a code.
pub fn marker(kind: CodeKind, id: u32) -> String {
    match kind {
        CodeKind::Open => format!("⟨{id}⟩"),
        CodeKind::Close => format!("⟨/{id}⟩"),
        CodeKind::Standalone => format!("⟨{id}/⟩"),
    }
}

/// Split a text into text and markers. Only well-formed markers count;
/// anything else is text.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut search = 0;
    while let Some(i) = text[search..].find('⟨').map(|i| i + search) {
        match parse_marker(&text[i..]) {
            Some((kind, id, len)) => {
                if i > start {
                    out.push(Piece::Text(&text[start..i]));
                }
                out.push(Piece::Code(kind, id));
                start = i + len;
                search = start;
            }
            None => search = i + '⟨'.len_utf8(),
        }
    }
    if start < text.len() {
        out.push(Piece::Text(&text[start..]));
    }
    out
}

/// The byte spans of the markers of a text.
pub fn marker_spans(text: &str) -> Vec<Range<usize>> {
    placed(text)
        .filter_map(|(span, piece)| matches!(piece, Piece::Code(..)).then_some(span))
        .collect()
}

/// The pieces of a text with their byte spans.
fn placed(text: &str) -> impl Iterator<Item = (Range<usize>, Piece<'_>)> {
    let mut pos = 0;
    pieces(text).into_iter().map(move |piece| {
        let len = match piece {
            Piece::Text(t) => t.len(),
            Piece::Code(kind, id) => marker(kind, id).len(),
        };
        pos += len;
        (pos - len..pos, piece)
    })
}

/// Move white space just inside a pair outside it (`⟨1⟩ a ⟨/1⟩` → ` ⟨1⟩a⟨/1⟩ `,
/// which Markdown reads as emphasis), and make runs of spaces single.
pub fn tidy(text: &str) -> String {
    let mut items = items(text);
    let mut moved = true;
    while moved {
        moved = false;
        for i in 0..items.len().saturating_sub(1) {
            let swap = matches!(
                (items[i], items[i + 1]),
                (Item::Code(CodeKind::Open, _), Item::Char(' '))
                    | (Item::Char(' '), Item::Code(CodeKind::Close, _))
            );
            if swap {
                items.swap(i, i + 1);
                moved = true;
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    for item in items {
        match item {
            Item::Char(' ') if out.is_empty() || out.ends_with(' ') => {}
            Item::Char(c @ ('.' | ',' | ';' | ':' | '!' | '?' | ')')) if out.ends_with("⟩ ") => {
                // "**5%** ." → "**5%**."
                out.pop();
                out.push(c);
            }
            Item::Char(c) => out.push(c),
            Item::Code(kind, id) => out.push_str(&marker(kind, id)),
        }
    }
    out.trim_end().to_string()
}

/// Whether a text holds a marker.
pub fn has_markers(text: &str) -> bool {
    pieces(text).iter().any(|p| matches!(p, Piece::Code(..)))
}

/// The text without its markers.
pub fn strip(text: &str) -> String {
    pieces(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Text(t) => Some(t),
            Piece::Code(..) => None,
        })
        .collect()
}

/// `⟨N⟩`, `⟨/N⟩` or `⟨N/⟩` at the start of `s`: kind, id, byte length.
fn parse_marker(s: &str) -> Option<(CodeKind, u32, usize)> {
    let body = s.strip_prefix('⟨')?;
    let end = body.find('⟩')?;
    let inner = &body[..end];
    let len = '⟨'.len_utf8() + end + '⟩'.len_utf8();
    let (kind, digits) = if let Some(d) = inner.strip_prefix('/') {
        (CodeKind::Close, d)
    } else if let Some(d) = inner.strip_suffix('/') {
        (CodeKind::Standalone, d)
    } else {
        (CodeKind::Open, inner)
    };
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((kind, digits.parse().ok()?, len))
}

/// Render a text with markers: text through `escape`, each marker as the
/// markup of its code in `codes` (a marker without a code is dropped).
pub fn render(text: &str, codes: &[InlineCode], mut escape: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(&escape(t)),
            Piece::Code(kind, id) => {
                if let Some(code) = codes.iter().find(|c| c.id == id && c.kind == kind) {
                    out.push_str(&code.markup);
                }
            }
        }
    }
    out
}

/// The codes of `codes` whose markers appear in `text`, in the order of
/// `codes`.
pub fn codes_in(text: &str, codes: &[InlineCode]) -> Vec<InlineCode> {
    let found: Vec<(CodeKind, u32)> = pieces(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Code(k, id) => Some((k, id)),
            Piece::Text(_) => None,
        })
        .collect();
    codes
        .iter()
        .filter(|c| found.contains(&(c.kind, c.id)))
        .cloned()
        .collect()
}

/// Drop the segment boundaries of `ranges` (byte ranges that cover `text`,
/// in order) that fall inside a marker or inside a pair: the segments on
/// either side become one.
pub fn keep_pairs_whole(text: &str, ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    // The bytes a boundary may not fall on: inside a marker, or inside a
    // pair (after its opening marker's first byte, up to its closing one's end).
    let mut inside: Vec<Range<usize>> = Vec::new();
    let mut open: Vec<(u32, usize)> = Vec::new();
    for (span, piece) in placed(text) {
        let Piece::Code(kind, id) = piece else {
            continue;
        };
        inside.push(span.start + 1..span.end);
        match kind {
            CodeKind::Open => open.push((id, span.start)),
            CodeKind::Close => {
                if let Some(at) = open.iter().rposition(|(o, _)| *o == id) {
                    let (_, start) = open.remove(at);
                    inside.push(start + 1..span.end);
                }
            }
            CodeKind::Standalone => {}
        }
    }
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last) if inside.iter().any(|r| r.contains(&range.start)) => last.end = range.end,
            _ => out.push(range),
        }
    }
    out
}

/// Markers as XML tags for backends that keep tags: `<g id="cN">…</g>` for a
/// pair, `<x id="cN"/>` for a standalone code. `text` must already be XML
/// (escaped); markers need no escaping.
pub fn to_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Code(CodeKind::Open, id) => out.push_str(&format!("<g id=\"c{id}\">")),
            Piece::Code(CodeKind::Close, _) => out.push_str("</g>"),
            Piece::Code(CodeKind::Standalone, id) => out.push_str(&format!("<x id=\"c{id}\"/>")),
        }
    }
    out
}

/// The tags of [`to_xml`] in a backend's reply back to markers (leniently:
/// any quoting and spacing, `<x …></x>`); a `</g>` closes the innermost
/// open `g`. Other tags (the glossary's placeholders) are left alone.
pub fn from_xml(reply: &str) -> String {
    let mut out = String::with_capacity(reply.len());
    let mut open: Vec<u32> = Vec::new();
    let mut rest = reply;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            out.push_str(after);
            return out;
        };
        let inner = after[1..gt].trim();
        let mut len = gt + 1;
        if inner.eq_ignore_ascii_case("/g") {
            if let Some(id) = open.pop() {
                out.push_str(&marker(CodeKind::Close, id));
            }
        } else if let Some(id) = code_tag(inner, 'g') {
            open.push(id);
            out.push_str(&marker(CodeKind::Open, id));
        } else if let Some(id) = code_tag(inner.trim_end_matches('/'), 'x') {
            out.push_str(&marker(CodeKind::Standalone, id));
            if after[len..].starts_with("</x>") {
                len += "</x>".len();
            }
        } else {
            out.push('<');
            len = 1;
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// The id of a tag body `NAME id="cN"`.
fn code_tag(inner: &str, name: char) -> Option<u32> {
    let body = inner.strip_prefix([name, name.to_ascii_uppercase()])?;
    if !body.starts_with(char::is_whitespace) {
        return None;
    }
    let value = body
        .trim()
        .strip_prefix("id")?
        .trim_start()
        .strip_prefix('=')?;
    let value = value.trim().trim_matches(['"', '\'']);
    value.strip_prefix('c')?.parse().ok()
}

/// The outcome of [`repair`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// The translation with every code of the source exactly once, pairs
    /// nested.
    pub text: String,
    /// Whether anything had to change (the unit is flagged `tag-mismatch`).
    pub changed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    Char(char),
    Code(CodeKind, u32),
}

/// Make the codes of `target` match those of `source`: unknown and
/// duplicated codes are dropped, a pair closed out of order is closed where
/// its nesting allows, and a missing code is put back at the word boundary
/// nearest to where it stands in the source (a missing pair around the word
/// there, outside any other pair).
pub fn repair(source: &str, target: &str) -> Repaired {
    // The source's codes with their relative positions (0–1).
    let src_items = items(source);
    let src_chars = src_items
        .iter()
        .filter(|i| matches!(i, Item::Char(_)))
        .count()
        .max(1);
    let mut wanted: Vec<(CodeKind, u32, f64)> = Vec::new();
    let mut seen_chars = 0;
    for item in &src_items {
        match *item {
            Item::Char(_) => seen_chars += 1,
            Item::Code(kind, id) => {
                wanted.push((kind, id, seen_chars as f64 / src_chars as f64));
            }
        }
    }
    let wants = |kind: CodeKind, id: u32| wanted.iter().any(|w| w.0 == kind && w.1 == id);
    let mut changed = false;
    let mut out: Vec<Item> = Vec::new();
    let mut stack: Vec<u32> = Vec::new();
    let mut done: Vec<(CodeKind, u32)> = Vec::new();
    for item in items(target) {
        match item {
            Item::Char(_) => out.push(item),
            Item::Code(kind, id) => {
                if !wants(kind, id) || done.contains(&(kind, id)) {
                    changed = true;
                    continue;
                }
                match kind {
                    CodeKind::Open => {
                        stack.push(id);
                        done.push((kind, id));
                        out.push(item);
                    }
                    CodeKind::Standalone => {
                        done.push((kind, id));
                        out.push(item);
                    }
                    CodeKind::Close => {
                        let Some(at) = stack.iter().rposition(|&o| o == id) else {
                            changed = true;
                            continue;
                        };
                        // Close the pairs opened inside this one first.
                        while stack.len() > at + 1 {
                            let inner = stack.pop().unwrap_or(id);
                            out.push(Item::Code(CodeKind::Close, inner));
                            done.push((CodeKind::Close, inner));
                            changed = true;
                        }
                        stack.pop();
                        done.push((kind, id));
                        out.push(item);
                    }
                }
            }
        }
    }
    while let Some(id) = stack.pop() {
        out.push(Item::Code(CodeKind::Close, id));
        done.push((CodeKind::Close, id));
        changed = true;
    }
    // Put back what is missing.
    for &(kind, id, at) in &wanted {
        if done.contains(&(kind, id)) {
            continue;
        }
        changed = true;
        match kind {
            CodeKind::Standalone => {
                let pos = nearest_boundary(&out, at, false);
                out.insert(pos, Item::Code(kind, id));
                done.push((kind, id));
            }
            CodeKind::Open | CodeKind::Close => {
                // Both halves are missing here (a kept open got its close).
                let pos = nearest_boundary(&out, at, true);
                let mut start = pos;
                while matches!(out.get(start), Some(Item::Char(c)) if c.is_whitespace()) {
                    start += 1;
                }
                let mut end = start;
                while matches!(out.get(end), Some(&Item::Char(c)) if is_word(c)) {
                    end += 1;
                }
                if end == start {
                    start = pos;
                    end = pos;
                }
                out.insert(end, Item::Code(CodeKind::Close, id));
                out.insert(start, Item::Code(CodeKind::Open, id));
                done.push((CodeKind::Open, id));
                done.push((CodeKind::Close, id));
            }
        }
    }
    let mut text = String::with_capacity(target.len() + 8);
    for item in out {
        match item {
            Item::Char(c) => text.push(c),
            Item::Code(kind, id) => text.push_str(&marker(kind, id)),
        }
    }
    Repaired { text, changed }
}

fn items(text: &str) -> Vec<Item> {
    let mut out = Vec::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.extend(t.chars().map(Item::Char)),
            Piece::Code(kind, id) => out.push(Item::Code(kind, id)),
        }
    }
    out
}

/// A letter or digit of a word that spaces delimit (Han characters are
/// words of their own).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !crate::text::is_han(c)
}

/// The insertion point in `items` nearest to the relative position `at`
/// that does not cut a word, and, with `outside`, is inside no pair.
fn nearest_boundary(items: &[Item], at: f64, outside: bool) -> usize {
    let chars = items.iter().filter(|i| matches!(i, Item::Char(_))).count();
    let goal = (at * chars as f64).round() as usize;
    let mut best = (usize::MAX, items.len());
    let mut depth = 0usize;
    let mut seen = 0usize;
    for pos in 0..=items.len() {
        let cuts_word = pos > 0
            && pos < items.len()
            && matches!((items[pos - 1], items[pos]), (Item::Char(a), Item::Char(b)) if is_word(a) && is_word(b));
        if !cuts_word && (!outside || depth == 0) {
            let distance = seen.abs_diff(goal);
            if distance < best.0 {
                best = (distance, pos);
            }
        }
        match items.get(pos) {
            Some(Item::Char(_)) => seen += 1,
            Some(Item::Code(CodeKind::Open, _)) => depth += 1,
            Some(Item::Code(CodeKind::Close, _)) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_split_and_strip() {
        let text = "a⟨1⟩b⟨/1⟩⟨2/⟩ ⟨x⟩";
        assert_eq!(
            pieces(text),
            [
                Piece::Text("a"),
                Piece::Code(CodeKind::Open, 1),
                Piece::Text("b"),
                Piece::Code(CodeKind::Close, 1),
                Piece::Code(CodeKind::Standalone, 2),
                Piece::Text(" ⟨x⟩"),
            ]
        );
        assert_eq!(strip(text), "ab ⟨x⟩");
    }

    #[test]
    fn tidy_moves_spaces_out_of_pairs() {
        assert_eq!(tidy("a ⟨1⟩ b  c ⟨/1⟩ d ⟨2/⟩"), "a ⟨1⟩b c⟨/1⟩ d ⟨2/⟩");
        assert_eq!(tidy("a ⟨1⟩b⟨/1⟩ , c"), "a ⟨1⟩b⟨/1⟩, c");
    }

    #[test]
    fn xml_round_trip() {
        let xml = to_xml("a ⟨1⟩b ⟨2⟩c⟨/2⟩⟨/1⟩ &amp; ⟨3/⟩");
        assert_eq!(
            xml,
            r#"a <g id="c1">b <g id="c2">c</g></g> &amp; <x id="c3"/>"#
        );
        assert_eq!(from_xml(&xml), "a ⟨1⟩b ⟨2⟩c⟨/2⟩⟨/1⟩ &amp; ⟨3/⟩");
        assert_eq!(
            from_xml(r#"<G id='c4' >x</g><x id=c5></x><x id="1"/>"#),
            r#"⟨4⟩x⟨/4⟩⟨5/⟩<x id="1"/>"#
        );
    }

    #[test]
    fn a_correct_translation_is_kept() {
        let r = repair("⟨1⟩重要⟨/1⟩的⟨2/⟩事", "the ⟨1⟩important⟨/1⟩ ⟨2/⟩thing");
        assert!(!r.changed);
        assert_eq!(r.text, "the ⟨1⟩important⟨/1⟩ ⟨2/⟩thing");
    }

    #[test]
    fn missing_codes_come_back_at_word_boundaries() {
        let r = repair("看⟨1⟩这里⟨/1⟩和那里⟨2/⟩", "see here and there");
        assert!(r.changed);
        assert_eq!(strip(&r.text), "see here and there");
        let p: Vec<_> = pieces(&r.text)
            .into_iter()
            .filter(|p| matches!(p, Piece::Code(..)))
            .collect();
        assert_eq!(p.len(), 3);
        assert!(r.text.contains("⟨1⟩"), "{}", r.text);
        assert!(r.text.ends_with("⟨2/⟩"), "{}", r.text);
    }

    #[test]
    fn misnested_pairs_are_nested() {
        let r = repair("⟨1⟩a⟨2⟩b⟨/2⟩⟨/1⟩", "⟨1⟩a⟨2⟩b⟨/1⟩c⟨/2⟩");
        assert!(r.changed);
        assert_eq!(r.text, "⟨1⟩a⟨2⟩b⟨/2⟩⟨/1⟩c");
    }

    #[test]
    fn boundaries_inside_pairs_are_dropped() {
        let text = "⟨1⟩一。二。⟨/1⟩三。";
        let a = "⟨1⟩一。".len();
        let b = a + "二。⟨/1⟩".len();
        let ranges = keep_pairs_whole(text, vec![0..a, a..b, b..text.len()]);
        assert_eq!(ranges, [0..b, b..text.len()]);
    }
}
