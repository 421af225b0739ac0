//! Reading an HTML source into blocks: html5gum's tokens with their byte
//! spans, the open elements (closed as HTML's tree construction closes
//! them, for the common cases), and the runs of text that become blocks.

use std::ops::Range;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

use crate::markup::codes::{CodeKind, InlineCode, marker};
use crate::markup::{Block, BlockKind, Inner, Place};

/// The heading elements (blocks too, not listed in [`BLOCK`]).
pub(super) const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Whether `name` is a block element: in [`BLOCK`] or a heading.
fn is_block(name: &str) -> bool {
    BLOCK.contains(&name) || HEADINGS.contains(&name)
}

/// Block elements: they hold blocks, or are structure around them. Any
/// other element with content is a pair of codes inside a block.
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

/// The attributes translated, wherever they are (an `img`'s `alt` is
/// text of its block instead).
const TRANSLATED: &[&str] = &["title", "placeholder", "aria-label"];

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
    "iframe",
    "noembed",
    "noframes",
    "object",
    "video",
    "audio",
    "canvas",
    "ruby",
];

/// Block elements whose start does not close an open `p` (every other
/// block element's does).
const KEEPS_P: &[&str] = &[
    "html", "head", "body", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td",
    "th", "legend", "title", "meta", "link", "base", "optgroup", "option", "frameset", "frame",
    "noframes", "param", "source", "track", "area",
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

/// A token of the source, with byte spans.
#[derive(Debug)]
pub(super) enum Token {
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
pub(super) struct Attr {
    pub(super) name: String,
    /// The value, decoded.
    pub(super) value: String,
    /// The value's span, without its quotes.
    pub(super) span: Range<usize>,
    pub(super) quote: Option<char>,
}

/// The tokens of `source`. Raw text elements (`script`, `style`,
/// `textarea`, `title`, …) are one text token each, but for `noscript`,
/// whose content is read as markup, as a browser without scripts reads it
/// (its text is shown to those readers, and translated). A `noscript` may
/// not hold another: the content of one inside one is left alone, like a
/// comment, so that no nesting makes the reading slow.
pub(super) fn tokens(source: &str) -> Vec<Token> {
    let mut out = Vec::new();
    expand_noscript(
        raw_tokens(source),
        |span, out| {
            let inner = raw_tokens(&source[span.clone()]).into_iter();
            expand_noscript(
                inner.map(|t| t.shifted(span.start)),
                |span, out| {
                    out.push(Token::Other { span });
                },
                out,
            );
        },
        &mut out,
    );
    out
}

/// `tokens` into `out`, with the text of each `noscript` replaced by what
/// `content` makes of its span.
fn expand_noscript(
    tokens: impl IntoIterator<Item = Token>,
    mut content: impl FnMut(Range<usize>, &mut Vec<Token>),
    out: &mut Vec<Token>,
) {
    let mut in_noscript = false;
    for token in tokens {
        match token {
            Token::Text { span, .. } if in_noscript => {
                content(span, out);
                in_noscript = false;
            }
            token => {
                in_noscript = matches!(&token, Token::Start { name, .. } if name == "noscript");
                out.push(token);
            }
        }
    }
}

impl Token {
    /// The token of a source that starts `by` bytes into another, with its
    /// spans in that other.
    fn shifted(self, by: usize) -> Token {
        let shift = |r: Range<usize>| r.start + by..r.end + by;
        match self {
            Token::Start { name, span, attrs } => Token::Start {
                name,
                span: shift(span),
                attrs: attrs
                    .into_iter()
                    .map(|a| Attr {
                        span: shift(a.span),
                        ..a
                    })
                    .collect(),
            },
            Token::End { name, span } => Token::End {
                name,
                span: shift(span),
            },
            Token::Text { value, span } => Token::Text {
                value,
                span: shift(span),
            },
            Token::Other { span } => Token::Other { span: shift(span) },
        }
    }
}

/// The tokens of `source` as the tokenizer gives them: every raw text
/// element one text token.
fn raw_tokens(source: &str) -> Vec<Token> {
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
    /// Whether it has `translate="no"`.
    no: bool,
}

#[derive(Debug)]
enum Role {
    /// A block element: the number of blocks before it, and of blocks of
    /// its own text.
    Container {
        before: usize,
        own: usize,
        first: bool,
    },
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
    /// `title` attributes of the run's tags: the code, the byte range in
    /// its markup, and the attribute's block.
    inner: Vec<(usize, Range<usize>, Block)>,
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
pub(super) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Reads the blocks of a source.
pub(super) struct Reader<'a> {
    source: &'a str,
    stack: Vec<Open>,
    blocks: Vec<Block>,
    run: Run,
    /// Which run `run` is (a code's run must be the current one to close).
    generation: u32,
    /// The index in `stack` of the outermost element left alone, if inside one.
    skip: Option<usize>,
    /// Elements with `translate="yes"` inside one with `translate="no"`:
    /// their index in `stack`, and that of the element left alone.
    resumed: Vec<(usize, usize)>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(source: &'a str) -> Self {
        Reader {
            source,
            stack: Vec::new(),
            blocks: Vec::new(),
            run: Run::default(),
            generation: 0,
            skip: None,
            resumed: Vec::new(),
        }
    }

    pub(super) fn read(mut self) -> Vec<Block> {
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
        let block = is_block(&name);
        // The elements this start closes (which may end an element left
        // alone, or one translated again inside it).
        if block || (self.skip.is_some() && !void) {
            if self.skip.is_none() {
                self.flush();
            }
            self.implicit_closes(&name, span.start);
        }
        if let Some(root) = self.skip {
            // Inside an element left alone: only keep track of nesting.
            let yes = attrs
                .iter()
                .any(|a| a.name == "translate" && a.value.trim().eq_ignore_ascii_case("yes"));
            let open = &self.stack[root];
            if !(yes && !void && open.no && matches!(open.role, Role::Opaque { inline: false })) {
                if !void {
                    self.push(name, span.start, Role::Opaque { inline: false });
                }
                return;
            }
            // Translated again inside an element with `translate="no"`.
            self.skip = None;
            self.resumed.push((self.stack.len(), root));
        }
        if block {
            self.flush();
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
            let index = self.stack.len() - 1;
            self.stack[index].no = no;
            self.skip = Some(index);
            return;
        }
        if block {
            let before = self.blocks.len();
            self.push(
                name,
                span.start,
                Role::Container {
                    before,
                    own: 0,
                    first: false,
                },
            );
        } else {
            let id = self.run.new_id();
            let markup = &self.source[span.clone()];
            self.run.code(CodeKind::Open, id, markup, &span);
            self.inner_attributes(&attrs, span.clone(), 0);
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
                self.inner_attributes(attrs, span.start..alt.span.start, 0);
                self.run.text.push_str(&collapse(&alt.value));
                self.run.code(CodeKind::Close, id, &close, span);
                let shift = usize::from(alt.quote.is_none());
                self.inner_attributes(attrs, alt.span.end..span.end, shift);
            }
            _ => {
                let markup = &self.source[span.clone()];
                self.run.code(CodeKind::Standalone, id, markup, span);
                if !no {
                    self.inner_attributes(attrs, span.clone(), 0);
                }
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
            let wanted =
                TRANSLATED.contains(&attr.name.as_str()) || (described && attr.name == "content");
            if !wanted || !has_text(&attr.value) {
                continue;
            }
            self.blocks.push(attribute_block(attr));
        }
    }

    /// The translated attributes of a tag in the run, whose code is the
    /// last one, as inner blocks of the run's block: `within` is the
    /// stretch of the source in the code's markup, `shift` the bytes added
    /// before it.
    fn inner_attributes(&mut self, attrs: &[Attr], within: Range<usize>, shift: usize) {
        let code = self.run.codes.len() - 1;
        for attr in attrs {
            let wanted = TRANSLATED.contains(&attr.name.as_str()) && has_text(&attr.value);
            if !wanted || attr.span.start < within.start || attr.span.end > within.end {
                continue;
            }
            let range =
                attr.span.start - within.start + shift..attr.span.end - within.start + shift;
            self.run.inner.push((code, range, attribute_block(attr)));
        }
    }

    fn end(&mut self, name: &str, span: Range<usize>) {
        let found = self.stack.iter().rposition(|o| o.name == name);
        if let Some(skip) = self.skip {
            let Some(at) = found else {
                return;
            };
            let paired = self.close_from(at, span.start, Some(span.end));
            // An end tag that closes the element left alone from outside it
            // is not part of its code.
            if at < skip && !paired && !is_block(name) && self.run.start.is_some() {
                self.standalone(&span);
            }
            return;
        }
        if name == "br" {
            // `</br>` is a line break.
            self.standalone(&span);
            return;
        }
        let block = is_block(name);
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
        self.stack.push(Open {
            name,
            start,
            role,
            no: false,
        });
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
        if is_block(name) && !KEEPS_P.contains(&name) {
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
            let resumed = self
                .resumed
                .last()
                .is_some_and(|&(i, _)| i == self.stack.len());
            match open.role {
                Role::Inline { run, id } if own && own_end.is_some() && run == self.generation => {
                    self.run
                        .code(CodeKind::Close, id, &self.source[at..end], &(at..end));
                    paired = true;
                }
                // Its own text is its only block (with the titles inside it).
                Role::Container {
                    before,
                    own: 1,
                    first: true,
                } if self
                    .blocks
                    .get(before)
                    .is_some_and(|b| self.blocks.len() == before + 1 + b.inner.len()) =>
                {
                    self.blocks[before].place = Some(Place::Element {
                        name: open.name,
                        end,
                    });
                }
                _ => {}
            }
            if resumed {
                // Left alone again after the element translated again.
                self.flush();
                self.skip = self.resumed.pop().map(|(_, root)| root);
            }
        }
        paired
    }

    /// End the run: a block if it holds text to translate, of the innermost
    /// open block element.
    fn flush(&mut self) {
        let run = std::mem::take(&mut self.run);
        self.generation += 1;
        let inner = run.inner;
        let text_of_its_own = has_text(&crate::markup::codes::strip(&run.text));
        let Some(start) = run.start.filter(|_| text_of_its_own) else {
            // Titles in a run without text are blocks of their own.
            self.blocks.extend(inner.into_iter().map(|(_, _, b)| b));
            return;
        };
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
        let index = self.blocks.len();
        if let Some(open) = self
            .stack
            .iter_mut()
            .rev()
            .find(|o| matches!(o.role, Role::Container { .. }))
        {
            kind = kind_of(&open.name);
            if let Role::Container { before, own, first } = &mut open.role {
                *first |= *own == 0 && index == *before;
                *own += 1;
            }
        }
        self.blocks.push(Block {
            span: start..run.end,
            kind,
            text: text.trim_matches(is_space).to_string(),
            codes,
            place: None,
            inner: inner
                .iter()
                .enumerate()
                .map(|(k, (code, range, _))| Inner {
                    code: *code,
                    range: range.clone(),
                    block: self.blocks.len() + 1 + k,
                })
                .collect(),
        });
        self.blocks.extend(inner.into_iter().map(|(_, _, b)| b));
    }
}

/// The block of an attribute's value.
fn attribute_block(attr: &Attr) -> Block {
    Block {
        span: attr.span.clone(),
        kind: BlockKind::Other,
        text: collapse(&attr.value),
        codes: Vec::new(),
        place: Some(Place::Attribute { quote: attr.quote }),
        inner: Vec::new(),
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
