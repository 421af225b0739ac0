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
//! `title` attribute of a block element and the `content` of a
//! `<meta name="description">` are blocks of their own.
//!
//! `pre`, `script`, `style`, `textarea`, `template` and block elements with
//! `translate="no"` are no blocks at all: like all the source outside
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

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

use super::codes::{CodeKind, InlineCode, Piece, marker, pieces};
use super::{Bilingual, Block, BlockKind, InputFormat, Langs, Place};
use crate::text::primary_subtag;

/// The HTML format.
pub struct Html;

impl InputFormat for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn extension(&self) -> &'static str {
        "html"
    }

    fn blocks(&self, text: &str) -> Vec<Block> {
        Reader::new(text).read()
    }

    fn render(&self, block: &Block, translation: &str) -> String {
        let translation = translation.trim();
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
            Some(Place::Element { name, .. }) if name == "title" => Bilingual::After {
                at: block.span.end,
                text: format!(" / {rendered}"),
            },
            Some(Place::Element { name, end }) if SIBLING.contains(&name.as_str()) => {
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
            // The document is written in UTF-8, whatever the input's was.
            if name == "meta" {
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
/// an element of their own (the others get it inside, after a line break).
const SIBLING: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
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

/// Elements with content that are pairs of codes inside a block. Any
/// element not known as a block element is taken as one of these.
const BLOCK: &[&str] = &[
    "html",
    "head",
    "body",
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dd",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "ul",
    "legend",
    "title",
    "meta",
    "link",
    "base",
    "listing",
    "xmp",
    "plaintext",
    "optgroup",
    "option",
    "frameset",
    "frame",
    "noframes",
    "param",
    "source",
    "track",
    "area",
    "search",
];

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose content is never translated: one standalone code inside a
/// block, or nothing at all outside one.
const OPAQUE: &[&str] = &[
    "pre",
    "listing",
    "xmp",
    "plaintext",
    "code",
    "kbd",
    "samp",
    "script",
    "style",
    "textarea",
    "template",
    "svg",
    "math",
    "noscript",
    "iframe",
    "noembed",
    "noframes",
    "object",
    "video",
    "audio",
    "canvas",
    "select",
    "ruby",
];

/// Elements whose start closes an open `p`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
    "listing",
    "plaintext",
    "xmp",
    "search",
];

/// The kind of the block of text directly in an element.
fn kind_of(name: &str) -> BlockKind {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => BlockKind::Heading(d - b'0'),
        b"p" => BlockKind::Paragraph,
        b"li" => BlockKind::ListItem,
        b"td" | b"th" => BlockKind::TableCell,
        _ => BlockKind::Other,
    }
}

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

/// A token of the source, with byte spans.
#[derive(Debug)]
enum Token {
    /// A start tag: its name, span (from `<` to `>`) and attributes.
    Start {
        name: String,
        span: Range<usize>,
        attrs: Vec<Attr>,
    },
    /// An end tag.
    End { name: String, span: Range<usize> },
    /// Text, decoded.
    Text { value: String, span: Range<usize> },
    /// A comment or a doctype.
    Other { span: Range<usize> },
}

/// An attribute of a start tag.
#[derive(Debug, Clone)]
struct Attr {
    name: String,
    /// The value, decoded.
    value: String,
    /// The value's span, without its quotes.
    span: Range<usize>,
    quote: Option<char>,
}

/// The tokens of `source`. Raw text elements (`script`, `style`,
/// `textarea`, `title`, …) are one text token each.
fn tokens(source: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<(String, usize)> = None;
    let mut attrs: Vec<Attr> = Vec::new();
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let callback = |event: CallbackEvent<'_>, span: Span<usize>| -> Option<()> {
        let first = boundary(source, span.start);
        let range = first..boundary(source, span.end).max(first);
        match event {
            CallbackEvent::OpenStartTag { name } => {
                start = Some((lossy(name), first));
                attrs.clear();
            }
            CallbackEvent::AttributeName { name } => {
                if start.is_some() {
                    attrs.push(Attr {
                        name: lossy(name).to_ascii_lowercase(),
                        value: String::new(),
                        span: range.end..range.end,
                        quote: None,
                    });
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let (Some(_), Some(attr)) = (&start, attrs.last_mut()) {
                    attr.value = lossy(value);
                    attr.quote = source[..range.start]
                        .chars()
                        .next_back()
                        .filter(|c| *c == '"' || *c == '\'');
                    attr.span = range;
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                if let Some((name, at)) = start.take() {
                    out.push(Token::Start {
                        name,
                        span: at..range.end.max(at),
                        attrs: std::mem::take(&mut attrs),
                    });
                }
            }
            CallbackEvent::EndTag { name } => {
                attrs.clear();
                out.push(Token::End {
                    name: lossy(name),
                    span: range,
                });
            }
            CallbackEvent::String { value } => out.push(Token::Text {
                value: lossy(value),
                span: range,
            }),
            CallbackEvent::Comment { .. } | CallbackEvent::Doctype { .. } => {
                out.push(Token::Other { span: range })
            }
            CallbackEvent::Error(_) => {}
        }
        None
    };
    let mut emitter = CallbackEmitter::new(callback);
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(source, emitter) {}
    out
}

/// `at` moved back to a character boundary of `source` (and into it).
fn boundary(source: &str, at: usize) -> usize {
    let mut at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// An open element.
#[derive(Debug)]
struct Open {
    name: String,
    /// Byte offset of its start tag.
    start: usize,
    role: Role,
}

#[derive(Debug)]
enum Role {
    /// A block element: the number of blocks before it, and of blocks of
    /// its own text.
    Container { before: usize, own: usize },
    /// A phrasing element: the run and id of its opening code.
    Inline { run: u32, id: u32 },
    /// An element whose content is left alone; `inline`: one code in a run.
    Opaque { inline: bool },
}

/// A block being collected.
#[derive(Default)]
struct Run {
    /// Span start (the first content), once there is content.
    start: Option<usize>,
    /// End of the last content.
    end: usize,
    text: String,
    codes: Vec<InlineCode>,
    next_id: u32,
}

impl Run {
    fn touch(&mut self, span: &Range<usize>) {
        if self.start.is_none() {
            self.start = Some(span.start);
        }
        self.end = self.end.max(span.end);
    }

    fn code(&mut self, kind: CodeKind, id: u32, markup: &str, span: &Range<usize>) {
        self.touch(span);
        self.codes.push(InlineCode {
            id,
            kind,
            markup: markup.to_string(),
        });
        self.text.push_str(&marker(kind, id));
    }

    fn new_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// Text (decoded) with its raw span; white space collapsed.
    fn push_text(&mut self, value: &str, raw: &str, span: &Range<usize>) {
        let lead = raw.len() - raw.trim_start_matches(is_space).len();
        let trail = raw.len() - raw.trim_end_matches(is_space).len();
        let has_content = value.chars().any(|c| !is_space(c));
        if self.start.is_none() && !has_content {
            return;
        }
        if has_content {
            let end = span.end - trail;
            let start = if self.start.is_none() {
                span.start + lead
            } else {
                span.start
            };
            self.touch(&(start..end.max(start)));
        }
        for c in value.chars() {
            if is_space(c) {
                if !self.text.is_empty() && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            } else {
                self.text.push(c);
            }
        }
    }
}

/// HTML's white space (not the no-break space).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Reads the blocks of a source.
struct Reader<'a> {
    source: &'a str,
    stack: Vec<Open>,
    blocks: Vec<Block>,
    run: Run,
    /// Which run `run` is (a code's run must be the current one to close).
    generation: u32,
    /// The index in `stack` of the outermost element left alone, if inside one.
    skip: Option<usize>,
}

impl<'a> Reader<'a> {
    fn new(source: &'a str) -> Self {
        Reader {
            source,
            stack: Vec::new(),
            blocks: Vec::new(),
            run: Run::default(),
            generation: 0,
            skip: None,
        }
    }

    fn read(mut self) -> Vec<Block> {
        for token in tokens(self.source) {
            match token {
                Token::Start { name, span, attrs } => self.start(name, span, attrs),
                Token::End { name, span } => self.end(&name, span),
                Token::Text { value, span } => {
                    if self.skip.is_none() {
                        let raw = &self.source[span.clone()];
                        self.run.push_text(&value, raw, &span);
                    }
                }
                Token::Other { span } => {
                    // A comment inside a block stays in place as a code.
                    if self.skip.is_none() && self.run.start.is_some() {
                        let id = self.run.new_id();
                        let markup = &self.source[span.clone()];
                        self.run.code(CodeKind::Standalone, id, markup, &span);
                    }
                }
            }
        }
        let end = self.source.len();
        self.close_from(0, end, None);
        self.flush();
        self.blocks
    }

    fn start(&mut self, name: String, span: Range<usize>, attrs: Vec<Attr>) {
        let no = attrs
            .iter()
            .any(|a| a.name == "translate" && a.value.trim().eq_ignore_ascii_case("no"));
        let void = VOID.contains(&name.as_str());
        let block = BLOCK.contains(&name.as_str());
        if self.skip.is_some() && !void {
            // Inside an element left alone: only keep track of nesting
            // (the start may close the element left alone).
            self.implicit_closes(&name, span.start);
        }
        if self.skip.is_some() {
            if !void {
                self.push(name, span.start, Role::Opaque { inline: false });
            }
            return;
        }
        if block {
            self.flush();
            self.implicit_closes(&name, span.start);
            if !no {
                self.attribute_blocks(&name, &attrs);
            }
        }
        if void {
            if !block {
                self.void_code(&name, &span, &attrs, no);
            }
            return;
        }
        if no || OPAQUE.contains(&name.as_str()) {
            self.push(name, span.start, Role::Opaque { inline: !block });
            self.skip = Some(self.stack.len() - 1);
            return;
        }
        if block {
            let before = self.blocks.len();
            self.push(name, span.start, Role::Container { before, own: 0 });
        } else {
            let id = self.run.new_id();
            let markup = &self.source[span.clone()];
            self.run.code(CodeKind::Open, id, markup, &span);
            let run = self.generation;
            self.push(name, span.start, Role::Inline { run, id });
        }
    }

    /// A void element in a run: `img` with an `alt` a pair around its
    /// text, the others a standalone code.
    fn void_code(&mut self, name: &str, span: &Range<usize>, attrs: &[Attr], no: bool) {
        let id = self.run.new_id();
        let alt = attrs.iter().find(|a| a.name == "alt");
        match alt {
            Some(alt) if name == "img" && !no && has_text(&alt.value) => {
                let open = &self.source[span.start..alt.span.start];
                let close = &self.source[alt.span.end..span.end];
                let (open, close) = match alt.quote {
                    Some(_) => (open.to_string(), close.to_string()),
                    None => (format!("{open}\""), format!("\"{close}")),
                };
                self.run.code(CodeKind::Open, id, &open, span);
                self.run.text.push_str(&collapse(&alt.value));
                self.run.code(CodeKind::Close, id, &close, span);
            }
            _ => {
                let markup = &self.source[span.clone()];
                self.run.code(CodeKind::Standalone, id, markup, span);
            }
        }
    }

    /// The translatable attributes of a block element as blocks of their
    /// own: `title`, and the `content` of a described `meta`.
    fn attribute_blocks(&mut self, name: &str, attrs: &[Attr]) {
        let described = name == "meta"
            && attrs.iter().any(|a| {
                (a.name == "name" || a.name == "property")
                    && matches!(
                        a.value.to_ascii_lowercase().as_str(),
                        "description"
                            | "keywords"
                            | "og:title"
                            | "og:description"
                            | "twitter:title"
                            | "twitter:description"
                    )
            });
        for attr in attrs {
            let wanted = attr.name == "title" || (described && attr.name == "content");
            if !wanted || !has_text(&attr.value) {
                continue;
            }
            self.blocks.push(Block {
                span: attr.span.clone(),
                kind: BlockKind::Other,
                text: collapse(&attr.value),
                codes: Vec::new(),
                place: Some(Place::Attribute { quote: attr.quote }),
            });
        }
    }

    fn end(&mut self, name: &str, span: Range<usize>) {
        let found = self.stack.iter().rposition(|o| o.name == name);
        if self.skip.is_some() {
            if let Some(at) = found {
                self.close_from(at, span.start, Some(span.end));
            }
            return;
        }
        if name == "br" {
            // `</br>` is a line break.
            self.standalone(&span);
            return;
        }
        let block = BLOCK.contains(&name);
        if block {
            self.flush();
        }
        let paired = match found {
            // `</body>` and `</html>` close nothing that follows.
            Some(_) if name == "body" || name == "html" => false,
            Some(at) => self.close_from(at, span.start, Some(span.end)),
            None => false,
        };
        if !paired && !block && self.run.start.is_some() {
            // An end tag inside a block that closes no pair of it stays in place.
            self.standalone(&span);
        }
    }

    /// A standalone code for the source at `span`.
    fn standalone(&mut self, span: &Range<usize>) {
        let id = self.run.new_id();
        let markup = &self.source[span.clone()];
        self.run.code(CodeKind::Standalone, id, markup, span);
    }

    fn push(&mut self, name: String, start: usize, role: Role) {
        self.stack.push(Open { name, start, role });
    }

    /// Close the elements that the start of `name` closes (as HTML's tree
    /// construction does, for the common cases).
    fn implicit_closes(&mut self, name: &str, at: usize) {
        const BUTTON_SCOPE: &[&str] = &[
            "button", "table", "td", "th", "caption", "html", "template", "object", "marquee",
            "applet",
        ];
        const LIST_SCOPE: &[&str] = &[
            "ul",
            "ol",
            "menu",
            "dir",
            "dl",
            "table",
            "td",
            "th",
            "caption",
            "body",
            "html",
            "blockquote",
            "section",
            "article",
            "nav",
            "aside",
            "template",
            "object",
        ];
        const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];
        if CLOSES_P.contains(&name) {
            self.close_in_scope(&["p"], BUTTON_SCOPE, at);
        }
        match name {
            "li" => self.close_in_scope(&["li"], LIST_SCOPE, at),
            "dt" | "dd" => self.close_in_scope(&["dt", "dd"], LIST_SCOPE, at),
            "td" | "th" | "tr" => {
                self.close_in_scope(&["td", "th"], &["tr", "table", "template"], at);
                if name == "tr" {
                    self.close_in_scope(&["tr"], &["table", "template"], at);
                }
            }
            "thead" | "tbody" | "tfoot" => {
                self.close_in_scope(&["thead", "tbody", "tfoot"], &["table", "template"], at)
            }
            "option" | "optgroup" => self.close_in_scope(&["option"], &["select", "datalist"], at),
            _ if HEADINGS.contains(&name)
                && self
                    .stack
                    .last()
                    .is_some_and(|o| HEADINGS.contains(&o.name.as_str())) =>
            {
                let top = self.stack.len() - 1;
                self.close_from(top, at, None);
            }
            _ => {}
        }
    }

    /// Close the innermost open element named in `wanted`, unless one named
    /// in `stop` is inside it.
    fn close_in_scope(&mut self, wanted: &[&str], stop: &[&str], at: usize) {
        let found = self
            .stack
            .iter()
            .rposition(|o| wanted.contains(&o.name.as_str()) || stop.contains(&o.name.as_str()));
        if let Some(i) = found.filter(|&i| wanted.contains(&self.stack[i].name.as_str())) {
            self.close_from(i, at, None);
        }
    }

    /// Pop the elements from `index` up. The one at `index` ends with its
    /// own end tag (from `at` to `own_end`) when `own_end` is given; the
    /// others end where the closing starts (`at`). Whether the own end tag
    /// closed a pair of codes.
    fn close_from(&mut self, index: usize, at: usize, own_end: Option<usize>) -> bool {
        let mut paired = false;
        while self.stack.len() > index {
            let own = self.stack.len() - 1 == index;
            let end = match own_end {
                Some(end) if own => end,
                _ => at,
            };
            let skipping = self.skip.is_some();
            let container = matches!(
                self.stack.last().map(|o| &o.role),
                Some(Role::Container { .. })
            );
            if !skipping && container {
                self.flush();
            }
            let Some(open) = self.stack.pop() else {
                break;
            };
            if self.skip == Some(self.stack.len()) {
                self.skip = None;
                if let Role::Opaque { inline: true } = open.role {
                    self.standalone(&(open.start..end));
                }
                continue;
            }
            if skipping {
                continue;
            }
            match open.role {
                Role::Inline { run, id } if own && own_end.is_some() && run == self.generation => {
                    self.run
                        .code(CodeKind::Close, id, &self.source[at..end], &(at..end));
                    paired = true;
                }
                Role::Container { before, own: 1 } if self.blocks.len() == before + 1 => {
                    if let Some(block) = self.blocks.last_mut() {
                        block.place = Some(Place::Element {
                            name: open.name,
                            end,
                        });
                    }
                }
                _ => {}
            }
        }
        paired
    }

    /// End the run: a block if it holds text to translate, of the innermost
    /// open block element.
    fn flush(&mut self) {
        let run = std::mem::take(&mut self.run);
        self.generation += 1;
        let Some(start) = run.start else {
            return;
        };
        if !has_text(&super::codes::strip(&run.text)) {
            return;
        }
        // Pairs left open (their end tag missing) are standalone codes.
        let mut text = run.text;
        let mut codes = run.codes;
        let closed: Vec<u32> = codes
            .iter()
            .filter(|c| c.kind == CodeKind::Close)
            .map(|c| c.id)
            .collect();
        for code in codes.iter_mut() {
            if code.kind == CodeKind::Open && !closed.contains(&code.id) {
                text = text.replacen(
                    &marker(CodeKind::Open, code.id),
                    &marker(CodeKind::Standalone, code.id),
                    1,
                );
                code.kind = CodeKind::Standalone;
            }
        }
        let mut kind = BlockKind::Other;
        if let Some(open) = self
            .stack
            .iter_mut()
            .rev()
            .find(|o| matches!(o.role, Role::Container { .. }))
        {
            kind = kind_of(&open.name);
            if let Role::Container { own, .. } = &mut open.role {
                *own += 1;
            }
        }
        self.blocks.push(Block {
            span: start..run.end,
            kind,
            text: text.trim_matches(is_space).to_string(),
            codes,
            place: None,
        });
    }
}

/// Whether a text has something to translate.
fn has_text(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// White space runs as one space, the ends trimmed.
fn collapse(text: &str) -> String {
    text.split(is_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::codes::strip;

    fn texts(source: &str) -> Vec<(BlockKind, String)> {
        Html.blocks(source)
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    /// The source rebuilt from its blocks' own texts: every block rendered
    /// with its source text.
    fn round_trip(source: &str) -> String {
        let blocks = Html.blocks(source);
        let mut out = String::new();
        let mut pos = 0;
        for b in &blocks {
            assert!(b.span.start >= pos, "{blocks:?}");
            out.push_str(&source[pos..b.span.start]);
            out.push_str(&Html.render(b, &b.text));
            pos = b.span.end;
        }
        out.push_str(&source[pos..]);
        out
    }

    #[test]
    fn blocks_codes_and_what_is_left_alone() {
        let src = "<!DOCTYPE html>\n<html lang=\"zh\"><head><title>标题 &amp; 副标题</title>\n<script>var a = \"<p>中文</p>\";</script></head>\n<body><h1>一个<em>标题</em></h1>\n<p>正文有<b>粗体</b>和<a href=\"a.html?x=1&amp;y=2\">链接</a>，<code>代码</code>。</p>\n<pre>代码块</pre>\n<p translate=\"no\">不译</p><p>看<span translate=no>名字</span>吧</p>\n</body></html>\n";
        assert_eq!(
            texts(src),
            [
                (BlockKind::Other, "标题 & 副标题".to_string()),
                (BlockKind::Heading(1), "一个⟨1⟩标题⟨/1⟩".to_string()),
                (
                    BlockKind::Paragraph,
                    "正文有⟨1⟩粗体⟨/1⟩和⟨2⟩链接⟨/2⟩，⟨3/⟩。".to_string()
                ),
                (BlockKind::Paragraph, "看⟨1/⟩吧".to_string()),
            ]
        );
        assert_eq!(round_trip(src), src);
        let para = &Html.blocks(src)[2];
        assert_eq!(para.codes[2].markup, "<a href=\"a.html?x=1&amp;y=2\">");
        assert_eq!(para.codes[4].markup, "<code>代码</code>");
    }

    #[test]
    fn entities_are_decoded_and_escaped_again() {
        let src = "<p>甲&nbsp;乙 &lt;丙&gt; &amp 丁&#x4e2d;&#20013;</p>";
        let blocks = Html.blocks(src);
        assert_eq!(blocks[0].text, "甲\u{a0}乙 <丙> & 丁中中");
        assert_eq!(
            Html.render(&blocks[0], "a < b & \"c\" > d"),
            "a &lt; b &amp; \"c\" &gt; d"
        );
    }

    #[test]
    fn attributes_are_blocks_or_pairs() {
        let src = "<head><meta name=\"description\" content=\"一篇&quot;文章&quot;\"></head><p title='提示'>看<img src=a.png alt=图片>这里</p><figure><img src=\"b.png\" alt=\"图二\"><figcaption>说明</figcaption></figure>";
        let blocks = Html.blocks(src);
        let got: Vec<(&str, Option<&Place>)> = blocks
            .iter()
            .map(|b| (b.text.as_str(), b.place.as_ref()))
            .collect();
        assert_eq!(
            got[0],
            ("一篇\"文章\"", Some(&Place::Attribute { quote: Some('"') }))
        );
        assert_eq!(
            got[1],
            ("提示", Some(&Place::Attribute { quote: Some('\'') }))
        );
        assert_eq!(got[2].0, "看⟨1⟩图片⟨/1⟩这里");
        assert_eq!(got[3].0, "⟨1⟩图二⟨/1⟩");
        assert_eq!(got[4].0, "说明");
        // Escaped for the attribute; an unquoted one gets quotes.
        assert_eq!(
            Html.render(&blocks[0], "an \"article\""),
            "an &quot;article&quot;"
        );
        assert_eq!(Html.render(&blocks[1], "it's"), "it&#39;s");
        assert_eq!(
            Html.render(&blocks[2], "see the ⟨1⟩\"picture\"⟨/1⟩ here"),
            "see the <img src=a.png alt=\"&quot;picture&quot;\"> here"
        );
        // In a bilingual document, an image alone gets both alt texts.
        let skeleton = crate::markup::Skeleton::parse(
            crate::markup::FormatKind::Html,
            "<p><img src=x alt=图></p>".into(),
        );
        assert_eq!(
            skeleton.bilingual(&["⟨1⟩Picture⟨/1⟩".into()], &Langs::new("zh", "en")),
            "<p><img src=x alt=\"图 / Picture\"></p>"
        );
        // A code put inside the alt text comes after the image.
        let p = Html.blocks("<p>看<img alt=\"图\" src=x>和<b>粗</b></p>");
        assert_eq!(
            Html.render(&p[0], "see ⟨1⟩pic ⟨2⟩bold⟨/2⟩⟨/1⟩ and"),
            "see <img alt=\"pic bold\" src=x><b></b> and"
        );
    }

    #[test]
    fn unclosed_elements_and_nesting() {
        let src = "<UL>\n<LI>第一项\n<li>第二项<ul><li>子项</ul>\n<li><p>段落项</p></li>\n</ul>\n<P>甲段\n<p>乙段<table><tr><td>格一<td>格二</table>";
        let blocks = Html.blocks(src);
        let got: Vec<(BlockKind, &str)> =
            blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (BlockKind::ListItem, "第一项"),
                (BlockKind::ListItem, "第二项"),
                (BlockKind::ListItem, "子项"),
                (BlockKind::Paragraph, "段落项"),
                (BlockKind::Paragraph, "甲段"),
                (BlockKind::Paragraph, "乙段"),
                (BlockKind::TableCell, "格一"),
                (BlockKind::TableCell, "格二"),
            ]
        );
        assert_eq!(round_trip(src), src);
        // The first item ends where the second starts; the second holds a
        // nested list, so its translation goes beside its text.
        assert_eq!(
            blocks[0].place,
            Some(Place::Element {
                name: "li".into(),
                end: src.find("<li>第二").unwrap()
            })
        );
        assert_eq!(blocks[1].place, None);
        assert_eq!(&src[blocks[4].span.clone()], "甲段");
    }

    #[test]
    fn misnested_and_stray_tags_stay_in_place() {
        let src = "<p>一<b>二<i>三</b>四</i>五</span>六<!-- 注 -->七</p>";
        let blocks = Html.blocks(src);
        assert_eq!(blocks.len(), 1);
        assert_eq!(strip(&blocks[0].text), "一二三四五六七");
        assert_eq!(round_trip(src), src);
    }

    #[test]
    fn documents_in_other_languages() {
        let src = "<!doctype html><html><head><meta charset=gbk></head><body><p lang=\"zh-CN\">中文</p><p lang=\"ja\">日本語</p></body></html>";
        let skeleton = crate::markup::Skeleton::parse(crate::markup::FormatKind::Html, src.into());
        let langs = Langs::new("zh", "en");
        let doc = skeleton.render(&["Chinese".into(), "Japanese".into()], &langs);
        assert_eq!(
            doc,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"></head><body><p lang=\"en\">Chinese</p><p lang=\"ja\">Japanese</p></body></html>"
        );
        let both = skeleton.bilingual(&["Chinese".into(), String::new()], &langs);
        assert_eq!(
            both,
            "<!doctype html><html><head><meta charset=\"utf-8\"></head><body><p lang=\"zh-CN\">中文</p><p lang=\"en\" class=\"bitext-translation\">Chinese</p><p lang=\"ja\">日本語</p></body></html>"
        );
    }
}
