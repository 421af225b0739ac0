//! Text primitives every stage may use; this module uses nothing above it.

/// Whether `c` is a Han character (a Chinese character): the CJK Unified
/// Ideographs and their extensions A to H, the compatibility ideographs and
/// their supplement, and 〇 (U+3007, the ideographic zero of 二〇二四年).
/// Every stage asks this one function.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{20000}'..='\u{2FFFF}'
        | '\u{30000}'..='\u{323AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '〇')
}

/// A string of ASCII digits with a comma between each group of three
/// (`1234567` → `1,234,567`).
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether XML 1.0 forbids `c` even as a character reference.
pub fn is_xml_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}'
}

/// Remove what XML 1.0 cannot carry, even as a character reference: C0
/// controls other than tab, LF and CR, and the non-characters U+FFFE and
/// U+FFFF. Returns the removed characters as `U+XXXX` codes.
pub fn remove_xml_forbidden(text: &mut String) -> String {
    let forbidden = is_xml_forbidden;
    if !text.chars().any(forbidden) {
        return String::new();
    }
    let mut codes: Vec<String> = Vec::new();
    text.retain(|c| {
        if forbidden(c) {
            let code = format!("U+{:04X}", c as u32);
            if !codes.contains(&code) {
                codes.push(code);
            }
            false
        } else {
            true
        }
    });
    codes.join(" ")
}

/// The text an entity or character reference stands for, as quick-xml
/// reports them apart from the text around: the five predefined entities
/// and `&#N;` / `&#xN;`. `None` for anything else.
pub(crate) fn resolve_xml_reference(reference: &quick_xml::events::BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name = reference.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string)
}

/// The character an HTML character reference at the start of `text`
/// stands for, and the reference's length in bytes: `&amp;` `&lt;` `&gt;`
/// `&quot;` `&apos;` `&nbsp;` and numeric ones (`&#39;`, `&#x41;`, not
/// `&#0;`). `None` for anything else, which stays as written.
pub fn character_reference(text: &str) -> Option<(char, usize)> {
    let rest = text.strip_prefix('&')?;
    // `;` is ASCII, so its position is a char boundary.
    let semicolon = rest.bytes().take(11).position(|b| b == b';')?;
    let decoded = match &rest[..semicolon] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        name => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    };
    Some((decoded, semicolon + 2))
}

/// The 1-based line of the byte `offset` of `bytes` (clamped to its end):
/// for messages that name a line.
pub fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The next event of an XML `reader` over `text`, with the byte offset it
/// starts at; a syntax error becomes `error(line, "not well-formed {what}:
/// …")`, at the line where quick-xml found it. For the readers of TMX,
/// TBX, XLIFF and the other XML files bitext takes.
pub(crate) fn xml_event<'t>(
    reader: &mut quick_xml::Reader<&'t [u8]>,
    text: &str,
    what: &str,
    error: impl FnOnce(usize, String) -> crate::Error,
) -> Result<(u64, quick_xml::events::Event<'t>), crate::Error> {
    let offset = reader.buffer_position();
    match reader.read_event() {
        Ok(event) => Ok((offset, event)),
        Err(e) => {
            let line = line_at(text.as_bytes(), reader.error_position() as usize);
            Err(error(line, format!("not well-formed {what}: {e}")))
        }
    }
}

/// `n` and the noun that goes with it: `1 segment`, `2 segments`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The primary language subtag of a BCP 47 tag, lower-case (`zh-CN` → `zh`).
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

/// A stretch of a character-level comparison of two texts ([`diff`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    /// In both texts.
    Same(&'a str),
    /// Only in the first text.
    Removed(&'a str),
    /// Only in the second text.
    Added(&'a str),
}

/// The characters `old` and `new` share and those only one of them has,
/// in order (a longest common subsequence of their characters): how a
/// fuzzy match's source differs from a segment's. Texts whose product of
/// lengths is over four million characters are compared as wholes
/// (everything removed, then everything added).
pub fn diff<'a>(old: &'a str, new: &'a str) -> Vec<Change<'a>> {
    let a: Vec<(usize, char)> = old.char_indices().collect();
    let b: Vec<(usize, char)> = new.char_indices().collect();
    let (n, m) = (a.len(), b.len());
    let mut out: Vec<Change<'a>> = Vec::new();
    if n.saturating_mul(m) > 4_000_000 {
        if !old.is_empty() {
            out.push(Change::Removed(old));
        }
        if !new.is_empty() {
            out.push(Change::Added(new));
        }
        return out;
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let width = m + 1;
    let mut lcs = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * width + j] = if a[i].1 == b[j].1 {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let end_a = |i: usize| a.get(i).map_or(old.len(), |c| c.0);
    let end_b = |j: usize| b.get(j).map_or(new.len(), |c| c.0);
    // Walk the table, joining runs of one kind.
    let mut push = |change: Change<'a>| {
        let merged = match (out.last(), change) {
            (Some(Change::Same(x)), Change::Same(y)) => Some(Change::Same(join(old, x, y))),
            (Some(Change::Removed(x)), Change::Removed(y)) => {
                Some(Change::Removed(join(old, x, y)))
            }
            (Some(Change::Added(x)), Change::Added(y)) => Some(Change::Added(join(new, x, y))),
            _ => None,
        };
        match merged {
            Some(c) => *out.last_mut().expect("merged with the last") = c,
            None => out.push(change),
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i].1 == b[j].1 {
            push(Change::Same(&old[a[i].0..end_a(i + 1)]));
            i += 1;
            j += 1;
        } else if j == m || (i < n && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
            push(Change::Removed(&old[a[i].0..end_a(i + 1)]));
            i += 1;
        } else {
            push(Change::Added(&new[b[j].0..end_b(j + 1)]));
            j += 1;
        }
    }
    out
}

/// `x` and `y`, two adjacent slices of `whole`, as one slice.
fn join<'a>(whole: &'a str, x: &'a str, y: &'a str) -> &'a str {
    let start = x.as_ptr() as usize - whole.as_ptr() as usize;
    &whole[start..start + x.len() + y.len()]
}

/// FNV-1a, 64 bits, of `bytes`: a content hash that is the same on every
/// machine, build and run (unlike std's, which is seeded at random or may
/// change between Rust releases). Backend fingerprints, glossary ids and
/// shard assignments are made from it, so it never changes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv1a::default();
    hash.write(bytes);
    hash.finish()
}

/// [`fnv1a`] of pieces written one after another (the hash of their
/// concatenation).
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    /// Add `bytes` to the hash.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The hash of everything written so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_characters_in_every_plane() {
        for c in ['中', '㐀', '𠀀', '𰀀', '豈', '〇', '國'] {
            assert!(is_han(c), "{c}");
        }
        for c in ['a', '。', '，', '・', 'あ', 'ア', '가', '1', '１'] {
            assert!(!is_han(c), "{c}");
        }
    }

    #[test]
    fn fnv1a_is_the_published_function() {
        // Test vectors of the FNV reference (isthe.com/chongo/tech/comp/fnv).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        let mut pieces = Fnv1a::default();
        pieces.write(b"foo");
        pieces.write(b"bar");
        assert_eq!(pieces.finish(), fnv1a(b"foobar"));
    }

    #[test]
    fn character_references_decode_with_their_length() {
        assert_eq!(character_reference("&amp;b"), Some(('&', 5)));
        assert_eq!(character_reference("&#39;s"), Some(('\'', 5)));
        assert_eq!(character_reference("&#x4e2d;"), Some(('中', 8)));
        assert_eq!(character_reference("&nbsp;"), Some(('\u{a0}', 6)));
        for text in ["& b", "&copy;", "&#0;", "&#xD800;", "&amp", "amp;"] {
            assert_eq!(character_reference(text), None, "{text}");
        }
    }

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(0, "paragraph", "paragraphs"), "0 paragraphs");
        assert_eq!(count(1, "paragraph", "paragraphs"), "1 paragraph");
        assert_eq!(count(2, "gloss", "glosses"), "2 glosses");
    }

    #[test]
    fn diff_marks_what_only_one_text_has() {
        use Change::*;
        assert_eq!(
            diff("今天下雨了", "今天晴天了"),
            [Same("今天"), Removed("下雨"), Added("晴天"), Same("了")]
        );
        assert_eq!(diff("", "新"), [Added("新")]);
        assert_eq!(diff("旧", ""), [Removed("旧")]);
        assert_eq!(diff("同", "同"), [Same("同")]);
        // Every character of each text is in the diff once, in order.
        let (old, new) = ("abc第2章xyz", "ab第3章xz!");
        let changes = diff(old, new);
        let side = |old: bool| -> String {
            let text = |c| match c {
                Same(s) => Some(s),
                Removed(s) => old.then_some(s),
                Added(s) => (!old).then_some(s),
            };
            changes.iter().copied().filter_map(text).collect()
        };
        assert_eq!((side(true).as_str(), side(false).as_str()), (old, new));
    }
}
