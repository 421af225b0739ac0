//! Bring HTML that a service returns for `format=html` back to the XML form
//! of [`super::SegmentRequest::text`]: text escaped with `&amp;`, `&lt;`,
//! `&gt;` only, and placeholder tags written `<x id="N"/>`.

/// Normalise a service's HTML reply to our markup: decode every character
/// reference (`&#39;`, `&quot;`, `&nbsp;`, …) except the three XML escapes,
/// which stay escaped, and write placeholder tags in their canonical form.
pub(crate) fn html_to_xml(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['&', '<']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match placeholder(rest) {
                Some((tag, len)) => {
                    out.push_str(&tag);
                    rest = &rest[len..];
                }
                None => {
                    out.push('<');
                    rest = &rest[1..];
                }
            }
            continue;
        }
        match crate::text::character_reference(rest) {
            Some((c, len)) => {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    c => out.push(c),
                }
                rest = &rest[len..];
            }
            None => {
                out.push_str("&amp;");
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A placeholder tag at the start of `s` in any of the forms a service may
/// write it (`<x id="1"/>`, `<x id=1>`, `<x id='1'></x>`): the canonical
/// tag and the length consumed. Other tags are left alone.
fn placeholder(s: &str) -> Option<(String, usize)> {
    let close = s.find('>')?;
    let inner = s[1..close].trim_end_matches('/').trim();
    let attrs = inner.strip_prefix('x')?.trim_start();
    let value = attrs.strip_prefix("id")?.trim_start().strip_prefix('=')?;
    let id: String = value
        .trim()
        .trim_matches(['"', '\''])
        .chars()
        .collect::<String>();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut len = close + 1;
    if s[len..].starts_with("</x>") {
        len += "</x>".len();
    }
    Some((format!("<x id=\"{id}\"/>"), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_decode_but_xml_escapes_stay() {
        assert_eq!(
            html_to_xml("Xi&#39;s &quot;plan&quot; &amp; more &lt;b&gt; &#x4e2d;&nbsp;"),
            "Xi's \"plan\" &amp; more &lt;b&gt; 中\u{a0}"
        );
        assert_eq!(html_to_xml("a & b"), "a &amp; b");
        assert_eq!(html_to_xml("&中文字"), "&amp;中文字");
        assert_eq!(html_to_xml("&#60;"), "&lt;");
    }

    #[test]
    fn placeholder_tags_become_canonical() {
        assert_eq!(
            html_to_xml(r#"A <x id="1"></x> and <x id=2> then <x id='3'/>."#),
            r#"A <x id="1"/> and <x id="2"/> then <x id="3"/>."#
        );
        assert_eq!(html_to_xml("<b>bold</b>"), "<b>bold</b>");
    }
}
