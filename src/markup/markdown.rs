//! Markdown input (CommonMark with the GFM tables, strikethrough and task
//! lists, and YAML or TOML front matter), parsed with `pulldown-cmark` and
//! its source offsets.
//!
//! The translatable blocks are the runs of inline content of headings,
//! paragraphs, list items, table cells and block quotes. Inside a block,
//! emphasis, strong, strikethrough, links and images are pairs of inline
//! codes (so link text and image alt text are translated, link targets are
//! not; a link's or image's title is an [inner](super::Block::inner) block
//! of its own, written back into the link's code), and inline code, inline HTML, hard breaks, footnote references and
//! autolinks are standalone codes. The title of a link reference definition
//! is a block of its own, in its place. Code blocks, HTML blocks, front
//! matter and the rest of link reference definitions are no blocks at all:
//! like all the source outside blocks, they come back byte for byte.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::codes::{CodeKind, InlineCode, marker, render};
use super::{Bilingual, Block, BlockKind, Inner, InputFormat, Langs, Place};

/// The Markdown format.
pub struct Markdown;

impl InputFormat for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn extension(&self) -> &'static str {
        "md"
    }

    fn blocks(&self, text: &str) -> Vec<Block> {
        blocks(text)
    }

    fn render(&self, block: &Block, translation: &str) -> String {
        if let Some(Place::Attribute { quote }) = block.place {
            return escape_title(&super::codes::strip(translation.trim()), quote);
        }
        let cell = block.kind == BlockKind::TableCell;
        let mut first = true;
        render(translation.trim(), &block.codes, |t| {
            let escaped = escape(t, cell);
            if std::mem::take(&mut first) {
                escape_block_start(&escaped)
            } else {
                escaped
            }
        })
    }

    fn bilingual(&self, source: &str, block: &Block, rendered: &str, _langs: &Langs) -> Bilingual {
        if let Some(Place::Attribute { .. }) = block.place {
            return Bilingual::After {
                at: block.span.end,
                text: format!(" / {rendered}"),
            };
        }
        let line_start = source[..block.span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[block.span.end..]
            .find('\n')
            .map_or(source.len(), |i| block.span.end + i);
        let prefix = &source[line_start..block.span.start];
        let suffix = &source[block.span.end..line_end];
        let quote = prefix.trim_end();
        let plain_prefix = prefix.chars().all(|c| c == '>' || c == ' ');
        let one_line = !source[block.span.clone()].contains('\n');
        match block.kind {
            BlockKind::Heading(level) if plain_prefix || prefix.trim_start().starts_with('#') => {
                let hashes = "#".repeat(usize::from(level));
                let quote = prefix.split('#').next().unwrap_or("");
                // A setext heading ends with its underline.
                let next_end = source[(line_end + 1).min(source.len())..]
                    .find('\n')
                    .map_or(source.len(), |i| line_end + 1 + i);
                let next = source.get(line_end + 1..next_end).unwrap_or("").trim();
                let underlined = !next.is_empty() && next.chars().all(|c| c == '=' || c == '-');
                Bilingual::After {
                    at: if underlined { next_end } else { line_end },
                    text: format!("\n{}\n{quote}{hashes} {rendered}", quote.trim_end()),
                }
            }
            BlockKind::Paragraph if plain_prefix && (one_line || suffix.trim().is_empty()) => {
                Bilingual::After {
                    at: line_end,
                    text: format!("\n{quote}\n{prefix}{rendered}{suffix}"),
                }
            }
            _ => Bilingual::Replace(format!("{}<br>{rendered}", &source[block.span.clone()])),
        }
    }
}

/// Escape translated text so that Markdown reads it as text: ASCII
/// punctuation that could start markup is backslash-escaped, and a line
/// break becomes a space (a block is written on one line).
pub fn escape(text: &str, table_cell: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '|' => {
                if table_cell {
                    out.push('\\');
                }
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escape a link title for its delimiter (`"`, `'` or `(`): backslashes
/// before the delimiters and backslashes; a line break becomes a space.
pub fn escape_title(text: &str, quote: Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' | '\'' if quote == Some(c) => {
                out.push('\\');
                out.push(c);
            }
            '(' | ')' if quote == Some('(') => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escape what would make the start of a block something else (`- `, `+ `,
/// `1. `, `=`): for the first text of a rendered block.
pub fn escape_block_start(text: &str) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if text.starts_with(['-', '+', '=']) {
        format!("\\{text}")
    } else if digits > 0 && text[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &text[..digits], &text[digits..])
    } else {
        text.to_string()
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// A block being collected.
#[derive(Default)]
struct Run {
    span: Option<Range<usize>>,
    text: String,
    codes: Vec<InlineCode>,
    /// Open pairs: id and index of the open code in `codes`.
    open: Vec<(u32, usize)>,
    /// An open code whose markup ends where the next event starts.
    pending: Option<(usize, usize)>,
    /// End of the last event.
    pos: usize,
    next_id: u32,
    /// The titles of the open links and images (empty: none).
    titles: Vec<String>,
    /// Titles as inner blocks: the code whose markup holds one, its range
    /// there, and its block.
    inner: Vec<(CodeKind, u32, Range<usize>, Block)>,
}

impl Run {
    fn touch(&mut self, range: &Range<usize>, source: &str) {
        match &mut self.span {
            Some(span) => span.end = span.end.max(range.end),
            None => {
                self.span = Some(range.clone());
                self.pos = range.start;
            }
        }
        if let Some((index, start)) = self.pending.take() {
            self.codes[index].markup = source[start..range.start.max(start)].to_string();
        }
    }

    /// A link's or image's `title` (decoded), at the end of the code
    /// `(kind, id)` whose markup is the source at `markup`: an inner block.
    fn title(&mut self, kind: CodeKind, id: u32, title: Option<String>, markup: Range<usize>) {
        let Some(title) = title else {
            return;
        };
        let Some(code) = self
            .codes
            .iter()
            .rev()
            .find(|c| c.kind == kind && c.id == id)
        else {
            return;
        };
        let Some(raw) = title_span(&code.markup) else {
            return;
        };
        let quote = code.markup[..raw.start].chars().next_back();
        let span = markup.start + raw.start..markup.start + raw.end;
        if let Some(block) = title_block(&title, span, quote) {
            self.inner.push((kind, id, raw, block));
        }
    }

    fn standalone(&mut self, markup: &str) {
        self.next_id += 1;
        let id = self.next_id;
        self.codes.push(InlineCode {
            id,
            kind: CodeKind::Standalone,
            markup: markup.to_string(),
        });
        self.text.push_str(&marker(CodeKind::Standalone, id));
    }
}

fn blocks(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut run = Run::default();
    // The block containers we are in, innermost last.
    let mut containers: Vec<BlockKind> = Vec::new();
    // Depth inside content that is never translated (code blocks, HTML
    // blocks, front matter, autolinks).
    let mut skip = 0usize;
    let mut autolink: Option<usize> = None;
    let mut events = Parser::new_ext(source, options()).into_offset_iter();
    for (event, range) in events.by_ref() {
        if let Some(start) = autolink {
            if let Event::End(TagEnd::Link) = event {
                autolink = None;
                run.touch(&(start..range.end), source);
                run.standalone(&source[start..range.end]);
                run.pos = range.end;
            }
            continue;
        }
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => autolink = Some(range.start),
            Event::Start(
                ref tag @ (Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }),
            ) => {
                if let Tag::Link { title, .. } | Tag::Image { title, .. } = tag {
                    run.titles.push(title.to_string());
                }
                run.touch(&range, source);
                run.next_id += 1;
                let id = run.next_id;
                run.codes.push(InlineCode {
                    id,
                    kind: CodeKind::Open,
                    markup: String::new(),
                });
                let index = run.codes.len() - 1;
                run.open.push((id, index));
                run.pending = Some((index, range.start));
                run.text.push_str(&marker(CodeKind::Open, id));
                run.pos = range.start;
            }
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image,
            ) => {
                let title = match event {
                    Event::End(TagEnd::Link | TagEnd::Image) => run.titles.pop(),
                    _ => None,
                };
                let Some((id, index)) = run.open.pop() else {
                    continue;
                };
                if run.pending.take().is_some() {
                    // Nothing inside: one standalone code for all of it.
                    run.codes[index].kind = CodeKind::Standalone;
                    run.codes[index].markup = source[range.clone()].to_string();
                    let open = marker(CodeKind::Open, id);
                    if let Some(at) = run.text.rfind(&open) {
                        run.text
                            .replace_range(at..at + open.len(), &marker(CodeKind::Standalone, id));
                    }
                    run.title(CodeKind::Standalone, id, title, range.clone());
                } else {
                    let start = run.pos.min(range.end);
                    run.codes.push(InlineCode {
                        id,
                        kind: CodeKind::Close,
                        markup: source[start..range.end].to_string(),
                    });
                    run.text.push_str(&marker(CodeKind::Close, id));
                    run.title(CodeKind::Close, id, title, start..range.end);
                }
                if let Some(span) = &mut run.span {
                    span.end = span.end.max(range.end);
                }
                run.pos = range.end;
            }
            Event::Text(text) => {
                run.touch(&range, source);
                run.text.push_str(&text.replace(['\n', '\r'], " "));
                run.pos = range.end;
            }
            Event::SoftBreak => {
                run.touch(&range, source);
                run.text.push(' ');
                run.pos = range.end;
            }
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::HardBreak
            | Event::FootnoteReference(_)
            | Event::InlineMath(_) => {
                run.touch(&range, source);
                run.standalone(&source[range.clone()]);
                run.pos = range.end;
            }
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                flush(&mut run, &containers, &mut blocks);
                skip = 1;
            }
            Event::Start(tag) => {
                flush(&mut run, &containers, &mut blocks);
                containers.push(match tag {
                    Tag::Heading { level, .. } => BlockKind::Heading(level as u8),
                    Tag::Paragraph => BlockKind::Paragraph,
                    Tag::Item => BlockKind::ListItem,
                    Tag::TableCell => BlockKind::TableCell,
                    _ => BlockKind::Other,
                });
            }
            Event::End(_) => {
                flush(&mut run, &containers, &mut blocks);
                containers.pop();
            }
            Event::Html(_) | Event::DisplayMath(_) | Event::Rule | Event::TaskListMarker(_) => {
                flush(&mut run, &containers, &mut blocks);
            }
        }
    }
    flush(&mut run, &containers, &mut blocks);
    let definitions = events
        .reference_definitions()
        .iter()
        .filter_map(|(_, def)| {
            let title = def.title.as_deref()?;
            let raw = trailing_title(source[def.span.clone()].trim_end())?;
            let quote = source[def.span.start..def.span.start + raw.start]
                .chars()
                .next_back();
            let span = def.span.start + raw.start..def.span.start + raw.end;
            title_block(title, span, quote)
        });
    insert_in_order(blocks, definitions.collect())
}

/// A link's or image's title (decoded) whose source, between the delimiter
/// `quote` and its mate, is at `span`: a block of its own, if it has text.
fn title_block(title: &str, span: Range<usize>, quote: Option<char>) -> Option<Block> {
    if !title.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(Block {
        span,
        kind: BlockKind::Other,
        text: title.split_whitespace().collect::<Vec<_>>().join(" "),
        codes: Vec::new(),
        place: Some(Place::Attribute { quote }),
        inner: Vec::new(),
    })
}

/// `blocks` with each of `extra` (blocks outside all others, such as the
/// titles of link reference definitions) before the first block that is
/// not an inner one and starts after it; inner blocks' indices follow.
fn insert_in_order(blocks: Vec<Block>, mut extra: Vec<Block>) -> Vec<Block> {
    if extra.is_empty() {
        return blocks;
    }
    extra.sort_by_key(|b| b.span.start);
    let is_inner: Vec<bool> = {
        let mut flags = vec![false; blocks.len()];
        for i in blocks.iter().flat_map(|b| &b.inner) {
            flags[i.block] = true;
        }
        flags
    };
    let mut extra = extra.into_iter().peekable();
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len() + extra.len());
    let mut index = Vec::with_capacity(blocks.len());
    for (k, block) in blocks.into_iter().enumerate() {
        if !is_inner[k] {
            while let Some(e) = extra.next_if(|e| e.span.start < block.span.start) {
                out.push(e);
            }
        }
        index.push(out.len());
        out.push(block);
    }
    out.extend(extra);
    for block in &mut out {
        for inner in &mut block.inner {
            inner.block = index[inner.block];
        }
    }
    out
}

/// End the run: a block if it holds text to translate.
fn flush(run: &mut Run, containers: &[BlockKind], blocks: &mut Vec<Block>) {
    let done = std::mem::take(run);
    let stripped = super::codes::strip(&done.text);
    let Some(span) = done
        .span
        .filter(|_| stripped.chars().any(char::is_alphanumeric))
    else {
        // Titles in a block without text are blocks of their own.
        blocks.extend(done.inner.into_iter().map(|(.., b)| b));
        return;
    };
    // Markers of pairs left open (a malformed event stream) are dropped.
    let mut text = done.text;
    let mut codes = done.codes;
    for (id, _) in done.open {
        text = text.replace(&marker(CodeKind::Open, id), "");
        codes.retain(|c| c.id != id);
    }
    let text = text.trim().to_string();
    let mut inner = Vec::new();
    let mut titles = Vec::new();
    for (kind, id, range, block) in done.inner {
        if let Some(code) = codes.iter().position(|c| c.kind == kind && c.id == id) {
            inner.push(Inner {
                code,
                range,
                block: blocks.len() + 1 + titles.len(),
            });
            titles.push(block);
        }
    }
    blocks.push(Block {
        span,
        kind: containers.last().copied().unwrap_or(BlockKind::Other),
        text,
        codes,
        place: None,
        inner,
    });
    blocks.extend(titles);
}

/// The byte range of the title (without its delimiters) at the end of a
/// link's closing markup (`](url "title")`), if it has one.
fn title_span(markup: &str) -> Option<Range<usize>> {
    trailing_title(markup.trim_end().strip_suffix(')')?.trim_end())
}

/// The byte range of the title (without its delimiters) that ends `body`
/// (a link's destination and title, or a link reference definition), if
/// it has one.
fn trailing_title(body: &str) -> Option<Range<usize>> {
    let close = body.chars().next_back()?;
    let open = match close {
        '"' | '\'' => close,
        ')' => '(',
        _ => return None,
    };
    let end = body.len() - 1;
    // The opening delimiter: the last one before `end` not escaped.
    let mut at = None;
    for (i, c) in body[..end].char_indices().rev() {
        if c == open {
            let backslashes = body[..i].chars().rev().take_while(|&b| b == '\\').count();
            if backslashes % 2 == 0 {
                at = Some(i);
                break;
            }
        }
    }
    let start = at? + 1;
    // The title follows the destination after white space.
    if !body[..start - 1].ends_with(char::is_whitespace) {
        return None;
    }
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<(BlockKind, String)> {
        blocks(source)
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn blocks_and_codes() {
        let src = "---\ntitle: 标题\n---\n\n# 一个*标题*\n\n正文有**粗体**和[链接](http://a.b \"t\")，`代码`。\n\n- 项目一\n  - 子项目\n\n| 甲 | 乙 |\n|---|---|\n| 丙 | 丁 |\n\n```\n代码块\n```\n\n![图片说明](img.png) <http://x.y>\n";
        let got = texts(src);
        assert_eq!(
            got,
            [
                (BlockKind::Heading(1), "一个⟨1⟩标题⟨/1⟩".to_string()),
                (
                    BlockKind::Paragraph,
                    "正文有⟨1⟩粗体⟨/1⟩和⟨2⟩链接⟨/2⟩，⟨3/⟩。".to_string()
                ),
                (BlockKind::Other, "t".to_string()),
                (BlockKind::ListItem, "项目一".to_string()),
                (BlockKind::ListItem, "子项目".to_string()),
                (BlockKind::TableCell, "甲".to_string()),
                (BlockKind::TableCell, "乙".to_string()),
                (BlockKind::TableCell, "丙".to_string()),
                (BlockKind::TableCell, "丁".to_string()),
                (BlockKind::Paragraph, "⟨1⟩图片说明⟨/1⟩ ⟨2/⟩".to_string()),
            ]
        );
        let para = &blocks(src)[1];
        assert_eq!(
            render(&para.text, &para.codes, |t| t.to_string()),
            &src[para.span.clone()]
        );
        let image = &blocks(src)[9];
        assert_eq!(
            render(&image.text, &image.codes, |t| t.to_string()),
            &src[image.span.clone()]
        );
    }

    #[test]
    fn link_and_image_titles_are_inner_blocks() {
        use crate::markup::{FormatKind, Langs, Skeleton};
        let src = "看[链接](http://a.b \"链接 \\\"标题\\\"\")和![图](p.png '图的(标题)')。\n";
        let got = texts(src);
        assert_eq!(
            got,
            [
                (
                    BlockKind::Paragraph,
                    "看⟨1⟩链接⟨/1⟩和⟨2⟩图⟨/2⟩。".to_string()
                ),
                (BlockKind::Other, "链接 \"标题\"".to_string()),
                (BlockKind::Other, "图的(标题)".to_string()),
            ]
        );
        let skeleton = Skeleton::parse(FormatKind::Markdown, src.to_string());
        let all = [
            "see ⟨1⟩link⟨/1⟩ and ⟨2⟩picture⟨/2⟩.".to_string(),
            "link \"title\"".to_string(),
            "it's (a) title".to_string(),
        ];
        let langs = Langs::new("zh", "en");
        assert_eq!(
            skeleton.render(&all, &langs),
            "see [link](http://a.b \"link \\\"title\\\"\") and ![picture](p.png 'it\\'s (a) title').\n"
        );
        let both = skeleton.bilingual(&all, &langs);
        assert!(
            both.starts_with("看[链接](http://a.b \"链接 \\\"标题\\\" / link \\\"title\\\"\")"),
            "{both}"
        );
    }

    #[test]
    fn reference_definition_titles_are_blocks_in_their_place() {
        use crate::markup::{FormatKind, Langs, Skeleton};
        let src = "[a]: http://a.cn \"甲\\\"号\"\n\n看[链接](http://x.cn '内')和[甲][a]。\n\n> [q]: <http://q.cn> (乙)\n\n[u]: http://u.cn\n";
        let expected = [
            (BlockKind::Other, "甲\"号"),
            (BlockKind::Paragraph, "看⟨1⟩链接⟨/1⟩和⟨2⟩甲⟨/2⟩。"),
            (BlockKind::Other, "内"),
            (BlockKind::Other, "乙"),
        ];
        crate::markup::assert_blocks(&Markdown, src, &expected);
        let skeleton = Skeleton::parse(FormatKind::Markdown, src.to_string());
        assert_eq!(skeleton.blocks[1].inner[0].block, 2);
        let all = [
            "A \"one\"",
            "see ⟨1⟩link⟨/1⟩ and ⟨2⟩A⟨/2⟩.",
            "in",
            "B (two)",
        ]
        .map(String::from);
        assert_eq!(
            skeleton.render(&all, &Langs::new("zh", "en")),
            "[a]: http://a.cn \"A \\\"one\\\"\"\n\nsee [link](http://x.cn 'in') and [A][a].\n\n> [q]: <http://q.cn> (B \\(two\\))\n\n[u]: http://u.cn\n"
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a*b_c|d", true), "a\\*b\\_c\\|d");
        assert_eq!(escape_block_start("1. x"), "1\\. x");
        assert_eq!(escape_block_start("- x"), "\\- x");
    }
}
