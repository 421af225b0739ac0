//! HTML input, read with `html5gum` (a WHATWG HTML5 tokenizer) and its
//! byte spans.
//!
//! The translatable blocks are the runs of text of the innermost elements
//! that hold text: `p`, `h1`–`h6`, `li`, `dt`, `dd`, `td`, `th`,
//! `blockquote`, `figcaption`, `caption`, `title`, and text directly in any
//! other block element (`div`, `body`, the text of a list item before its
//! nested list). Inside a run, phrasing elements (`a`, `b`, `em`, `span`,
//! `sup`, …) are pairs of inline codes, `br` and `wbr` are standalone
//! codes, an `img` is a pair around its `alt` text (so the alt text is
//! translated in its sentence), and elements whose content is never
//! translated (`code`, `kbd`, `samp`, `script`, `svg`, anything with
//! `translate="no"`) are one standalone code each, content and all. The
//! `title` attributes and the `content` of a `<meta name="description">`
//! are blocks of their own; a `title` on a tag inside a block is an
//! [inner](super::Block::inner) block, written back into the tag's code.
//! A `noscript`'s content is read as markup (as a browser without scripts
//! reads it, not as the tokenizer's raw text) and translated.
//!
//! `pre`, `script`, `style`, `textarea`, `template` and block elements with
//! `translate="no"` (except what has `translate="yes"` inside them) are no
//! blocks at all: like all the source outside
//! blocks (the doctype, comments, tags, white space between blocks), they
//! come back byte for byte. Character references are decoded in a block's
//! text and written back escaped (`&amp;`, `&lt;`, `&gt;`, and `&quot;` in
//! attributes).
//!
//! The tokenizer does not build a tree: the elements an end tag leaves open
//! (`<p>` and `<li>` without theirs) are closed as HTML's tree construction
//! closes them, for the common cases (a block start closes an open `p`, a
//! `li` an open `li`, a cell an open cell, an end tag everything opened
//! inside it).

use std::ops::Range;

mod reader;
#[cfg(test)]
mod tests;

use super::codes::{CodeKind, InlineCode, Piece, marker, pieces};
use super::{Bilingual, Block, InputFormat, Langs, Place};
use crate::text::primary_subtag;
use reader::{Attr, HEADINGS, Reader, Token, is_space, tokens};

/// The HTML format.
pub struct Html;

impl InputFormat for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn blocks(&self, text: &str) -> Vec<Block> {
        Reader::new(text).read()
    }

    fn render(&self, block: &Block, translation: &str) -> String {
        // HTML's white space only: a no-break space at an end is text.
        let translation = translation.trim_matches(is_space);
        match &block.place {
            Some(Place::Attribute { quote: Some(q) }) => {
                escape(&codes_dropped(translation), Some(*q))
            }
            Some(Place::Attribute { quote: None }) => {
                format!("\"{}\"", escape(&codes_dropped(translation), Some('"')))
            }
            _ => render_text(translation, &block.codes),
        }
    }

    fn bilingual(&self, source: &str, block: &Block, rendered: &str, langs: &Langs) -> Bilingual {
        let lang = langs.target;
        if let Some(text) = image_alone(block, rendered) {
            // An image alone: its alt text in both languages, not the
            // image twice.
            return Bilingual::Replace(text);
        }
        match &block.place {
            Some(Place::Attribute { quote: None }) => {
                let inner = rendered.trim_matches('"');
                Bilingual::Replace(format!("\"{} / {inner}\"", &source[block.span.clone()]))
            }
            Some(Place::Attribute { .. }) => Bilingual::After {
                at: block.span.end,
                text: format!(" / {rendered}"),
            },
            // Elements that hold text only.
            Some(Place::Element { name, .. }) if name == "title" || name == "option" => {
                Bilingual::After {
                    at: block.span.end,
                    text: format!(" / {rendered}"),
                }
            }
            Some(Place::Element { name, end })
                if SIBLING.contains(&name.as_str()) || HEADINGS.contains(&name.as_str()) =>
            {
                Bilingual::After {
                    at: *end,
                    text: format!(
                        "<{name} lang=\"{lang}\" class=\"bitext-translation\">{rendered}</{name}>"
                    ),
                }
            }
            _ => Bilingual::After {
                at: block.span.end,
                text: format!(
                    "<br><span lang=\"{lang}\" class=\"bitext-translation\">{rendered}</span>"
                ),
            },
        }
    }

    fn relabel(&self, source: &str, langs: &Langs, bilingual: bool) -> Vec<(Range<usize>, String)> {
        let mut edits = Vec::new();
        let source_lang = primary_subtag(langs.source);
        for token in tokens(source) {
            let Token::Start { name, span, attrs } = token else {
                continue;
            };
            if !bilingual {
                let mut has_lang = false;
                for attr in attrs
                    .iter()
                    .filter(|a| a.name == "lang" || a.name == "xml:lang")
                {
                    has_lang = true;
                    if attr.value.is_empty() {
                        continue;
                    }
                    if name == "html" || primary_subtag(&attr.value) == source_lang {
                        edits.push(attr_edit(attr, langs.target));
                    }
                }
                if name == "html" && !has_lang {
                    let at = span.start + "<html".len();
                    edits.push((at..at, format!(" lang=\"{}\"", langs.target)));
                }
            }
            if name != "meta" {
                continue;
            }
            let language = attrs.iter().any(|a| {
                a.name == "http-equiv" && a.value.eq_ignore_ascii_case("content-language")
            });
            if language
                && !bilingual
                && let Some(content) = attrs.iter().find(|a| a.name == "content")
            {
                edits.push(attr_edit(content, langs.target));
            }
            // The document is written in UTF-8, whatever the input's was.
            for attr in &attrs {
                if attr.name == "charset" && !attr.value.eq_ignore_ascii_case("utf-8") {
                    edits.push(attr_edit(attr, "utf-8"));
                }
                let lower = attr.value.to_ascii_lowercase();
                if attr.name == "content"
                    && lower.contains("charset=")
                    && !lower.contains("charset=utf-8")
                {
                    edits.push(attr_edit(attr, "text/html; charset=utf-8"));
                }
            }
        }
        edits
    }
}

/// For a block that is an image alone (its alt text), the image with its
/// source and translated alt texts, from the image `rendered`.
fn image_alone(block: &Block, rendered: &str) -> Option<String> {
    let [open, close] = block.codes.as_slice() else {
        return None;
    };
    let quote = attribute_quote(&open.markup)?;
    let inner = block
        .text
        .strip_prefix(&marker(CodeKind::Open, open.id))?
        .strip_suffix(&marker(CodeKind::Close, close.id))?;
    if open.kind != CodeKind::Open || super::codes::has_markers(inner) {
        return None;
    }
    let translated = rendered
        .strip_prefix(&open.markup)?
        .strip_suffix(&close.markup)?;
    let source = escape(inner, Some(quote));
    Some(format!(
        "{}{source} / {translated}{}",
        open.markup, close.markup
    ))
}

/// An attribute's value replaced by `value` (which needs no escaping).
fn attr_edit(attr: &Attr, value: &str) -> (Range<usize>, String) {
    let text = match attr.quote {
        Some(_) => value.to_string(),
        None => format!("\"{value}\""),
    };
    (attr.span.clone(), text)
}

/// The elements whose translation follows them in a bilingual document as
/// an element of their own, with the headings (the others get it inside,
/// after a line break).
const SIBLING: &[&str] = &[
    "p",
    "li",
    "dt",
    "dd",
    "blockquote",
    "figcaption",
    "div",
    "address",
    "center",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
];

/// Escape text for HTML: `&`, `<`, `>`, and in an attribute its quote.
pub fn escape(text: &str, quote: Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quote == Some('"') => out.push_str("&quot;"),
            '\'' if quote == Some('\'') => out.push_str("&#39;"),
            '\n' | '\r' if quote.is_some() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A text without its markers (an attribute holds no codes).
fn codes_dropped(text: &str) -> String {
    super::codes::strip(text)
}

/// Render a block's translation: text escaped, codes as their markup. The
/// text of a pair that stands for an attribute (an `img`'s `alt`) is
/// escaped for the attribute, and codes put inside it are moved after it.
fn render_text(translation: &str, codes: &[InlineCode]) -> String {
    let markup = |kind: CodeKind, id: u32| {
        codes
            .iter()
            .find(|c| c.id == id && c.kind == kind)
            .map(|c| c.markup.as_str())
    };
    let mut out = String::with_capacity(translation.len() * 2);
    // Inside an attribute pair: its id, quote, and the codes put off.
    let mut attribute: Option<(u32, char, String)> = None;
    for piece in pieces(translation) {
        match piece {
            Piece::Text(t) => match &attribute {
                Some((_, quote, _)) => out.push_str(&escape(t, Some(*quote))),
                None => out.push_str(&escape(t, None)),
            },
            Piece::Code(kind, id) => {
                let Some(m) = markup(kind, id) else {
                    continue;
                };
                match &mut attribute {
                    Some((open, _, later)) if kind == CodeKind::Close && *open == id => {
                        out.push_str(m);
                        out.push_str(&std::mem::take(later));
                        attribute = None;
                    }
                    Some((_, _, later)) => later.push_str(m),
                    None => {
                        out.push_str(m);
                        if let (CodeKind::Open, Some(quote)) = (kind, attribute_quote(m)) {
                            attribute = Some((id, quote, String::new()));
                        }
                    }
                }
            }
        }
    }
    if let Some((_, _, later)) = attribute {
        out.push_str(&later);
    }
    out
}

/// The quote of an opening code that ends inside an attribute value
/// (`<img alt="`).
fn attribute_quote(markup: &str) -> Option<char> {
    if !markup.starts_with('<') || markup.ends_with('>') {
        return None;
    }
    markup.chars().last().filter(|c| *c == '"' || *c == '\'')
}
