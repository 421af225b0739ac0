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
}
