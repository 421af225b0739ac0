//! Documents with structure: input formats, their translatable blocks, and
//! the inline codes inside them.
//!
//! An [`InputFormat`] reads a decoded input into [`Block`]s: the stretches
//! of the source that are translated (a heading's text, a paragraph, a list
//! item, a table cell), each with its text, in which inline markup stands as
//! markers of [inline codes](codes). Everything outside the blocks is the
//! document's skeleton and is written back byte for byte. A [`Skeleton`]
//! holds the source and its blocks, so the `doc` and `bilingual` writers
//! rebuild the document from the translations without parsing it again.
//!
//! The formats are [`FormatKind::Text`] (one paragraph per line, today's
//! behaviour), [`FormatKind::Markdown`] and [`FormatKind::Html`]. A format
//! that comes later (DOCX, EPUB) gives blocks with inline codes in the same
//! way.
//!
//! ```
//! use bitext::markup::{FormatKind, Langs, Skeleton};
//!
//! let skeleton = Skeleton::parse(FormatKind::Markdown, "# 标题\n\n说**重要**的话。\n".to_string());
//! assert_eq!(skeleton.blocks[1].text, "说⟨1⟩重要⟨/1⟩的话。");
//! let doc = skeleton.render(
//!     &["Title".into(), "say ⟨1⟩important⟨/1⟩ words.".into()],
//!     &Langs::new("zh", "en"),
//! );
//! assert_eq!(doc, "# Title\n\nsay **important** words.\n");
//! ```

pub mod codes;
mod html;
mod markdown;
mod text;

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use crate::document::{Paragraph, Segment, SegmentId};
use crate::segment::Segmenter;
pub use codes::{CodeKind, InlineCode};
pub use html::Html;
pub use markdown::Markdown;
pub use text::Text;

/// An input format: how to find the translatable blocks of a decoded input
/// and how to write a translation back into one.
pub trait InputFormat: Send + Sync {
    /// The format's name, as given to `--input-format`.
    fn name(&self) -> &'static str;

    /// The usual file extension, without the dot (for outputs of an input
    /// whose own extension is not the format's): the name unless the
    /// format says otherwise.
    fn extension(&self) -> &'static str {
        self.name()
    }

    /// The translatable blocks of `text`, in order, their spans not
    /// overlapping, except a block's [inner](Block::inner) blocks, which
    /// come right after it.
    fn blocks(&self, text: &str) -> Vec<Block>;

    /// A block's translation (text with the markers of the block's codes)
    /// as the format writes it: text escaped, codes as their markup.
    fn render(&self, block: &Block, translation: &str) -> String;

    /// Where a block's rendered translation goes in a bilingual document.
    fn bilingual(&self, source: &str, block: &Block, rendered: &str, langs: &Langs) -> Bilingual;

    /// Edits of the skeleton outside the blocks that a document in other
    /// languages needs (HTML's `lang` attributes and declared charset): byte
    /// spans of `source` and their replacements. None by default.
    fn relabel(&self, source: &str, langs: &Langs, bilingual: bool) -> Vec<(Range<usize>, String)> {
        let _ = (source, langs, bilingual);
        Vec::new()
    }
}

/// The languages of a rendered document, for the formats that name them
/// (HTML's `lang` attributes).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Langs<'a> {
    /// The source language (`zh`).
    pub source: &'a str,
    /// The target language (`en`).
    pub target: &'a str,
}

impl<'a> Langs<'a> {
    /// The languages `source` and `target` (BCP 47 tags).
    pub fn new(source: &'a str, target: &'a str) -> Self {
        Langs { source, target }
    }
}

/// The built-in input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum FormatKind {
    /// Plain text, one paragraph per line (`.txt`, and anything unknown).
    Text,
    /// Markdown, CommonMark with GFM tables (`.md`, `.markdown`).
    Markdown,
    /// HTML (`.html`, `.htm`).
    Html,
}

/// The file extensions (lower case) of the inputs a directory walk takes,
/// with the format each is read in.
const INPUT_EXTENSIONS: &[(&str, FormatKind)] = &[
    ("txt", FormatKind::Text),
    ("md", FormatKind::Markdown),
    ("markdown", FormatKind::Markdown),
    ("html", FormatKind::Html),
    ("htm", FormatKind::Html),
];

impl FormatKind {
    /// The format of a file, by its extension.
    pub fn of_path(path: &Path) -> FormatKind {
        Self::by_extension(path).unwrap_or(FormatKind::Text)
    }

    /// The format a file is read in: `forced` (`--input-format`), or its
    /// extension's.
    pub fn of_input(forced: Option<FormatKind>, path: &Path) -> FormatKind {
        forced.unwrap_or_else(|| Self::of_path(path))
    }

    /// Whether a file found in a directory is an input of some format.
    pub fn is_input(path: &Path) -> bool {
        Self::by_extension(path).is_some()
    }

    /// The format of an input extension (any case), if it is one.
    fn by_extension(path: &Path) -> Option<FormatKind> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        INPUT_EXTENSIONS
            .iter()
            .find(|(e, _)| *e == ext)
            .map(|&(_, kind)| kind)
    }

    /// The extensions a directory walk takes, as a message names them:
    /// `.txt, .md, .markdown, .html or .htm`.
    pub fn input_extensions() -> String {
        let names: Vec<String> = INPUT_EXTENSIONS
            .iter()
            .map(|(e, _)| format!(".{e}"))
            .collect();
        match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// The format itself.
    pub fn format(self) -> &'static dyn InputFormat {
        match self {
            FormatKind::Text => &Text,
            FormatKind::Markdown => &Markdown,
            FormatKind::Html => &Html,
        }
    }

    /// The extension of a translated document of an input at `path`: the
    /// input's own when it is one of the format's, else the format's usual
    /// one.
    pub fn output_extension(self, path: &Path) -> String {
        match path.extension() {
            Some(ext) if FormatKind::of_path(path) == self && self != FormatKind::Text => {
                ext.to_string_lossy().into_owned()
            }
            _ => self.format().extension().to_string(),
        }
    }
}

/// What kind of block a [`Block`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// A heading, with its level (1–6).
    Heading(u8),
    /// A paragraph (a line of a text input).
    Paragraph,
    /// The text of a list item.
    ListItem,
    /// A table cell.
    TableCell,
    /// Anything else that holds text.
    Other,
}

/// A translatable stretch of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// Byte span of the source that the translation replaces.
    pub span: Range<usize>,
    /// What the block is.
    pub kind: BlockKind,
    /// The text to translate, with markers for the inline codes, without
    /// surrounding white space.
    pub text: String,
    /// The block's inline codes.
    pub codes: Vec<InlineCode>,
    /// Where the block sits, for the blocks that need it (HTML elements,
    /// attribute values, Markdown link titles); `None` for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// Blocks inside this block's codes (the `title` of an HTML link, of a
    /// Markdown link), translated on their own and written into the code's
    /// markup.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inner: Vec<Inner>,
}

/// A block inside the markup of a code of another block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inner {
    /// The index of the code in the outer block's codes.
    pub code: usize,
    /// The byte range of the inner block's source in the code's markup.
    pub range: Range<usize>,
    /// The inner block's index in the skeleton's blocks.
    pub block: usize,
}

/// Where a block sits (in HTML, or a Markdown link title): what its
/// bilingual document and its escaping go by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// The whole text of an element: its tag name (lower case) and the byte
    /// offset just past the element (after its end tag, or where it closes
    /// without one).
    Element {
        /// The tag name.
        name: String,
        /// The offset past the element.
        end: usize,
    },
    /// The value of an attribute or a link title, with its quote (`None`:
    /// unquoted).
    Attribute {
        /// The quote: `"`, `'`, or `(` for a Markdown title.
        quote: Option<char>,
    },
}

/// Where a block's translation goes in a bilingual document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bilingual {
    /// Text inserted at a byte offset of the source (after the block).
    After {
        /// The offset.
        at: usize,
        /// The text, the translation in a block of its own.
        text: String,
    },
    /// The block's span replaced by this text (source and translation).
    Replace(String),
}

/// A decoded input with its blocks: all that the document writers need.
#[derive(Debug, Clone, Serialize)]
pub struct Skeleton {
    /// The input's format.
    pub format: FormatKind,
    /// The decoded source.
    pub source: String,
    /// The translatable blocks, in order; block `k` is paragraph `k + 1`.
    pub blocks: Vec<Block>,
}

impl Skeleton {
    /// Read the blocks of `source`.
    pub fn parse(format: FormatKind, source: String) -> Skeleton {
        let blocks = format.format().blocks(&source);
        Skeleton {
            format,
            source,
            blocks,
        }
    }

    /// The blocks as paragraphs of segments: each block split by
    /// `segmenter`, never inside a pair of inline codes. A segment's span is
    /// its range in its block's text; a paragraph's span is its block's.
    pub fn paragraphs(&self, segmenter: &Segmenter) -> Vec<Paragraph> {
        if self.format == FormatKind::Text {
            // As a text read in chunks is segmented.
            return segmenter.paragraphs(&self.source, &mut Default::default());
        }
        let mut id = 0;
        let mut line = 1;
        let mut counted = 0;
        let mut out = Vec::with_capacity(self.blocks.len());
        for (k, block) in self.blocks.iter().enumerate() {
            line += crate::segment::line_breaks(&self.source[counted..block.span.start]);
            counted = block.span.start;
            let ranges = codes::keep_pairs_whole(&block.text, segmenter.split(&block.text));
            let segments = ranges
                .into_iter()
                .enumerate()
                .map(|(i, range)| {
                    id += 1;
                    Segment {
                        id: SegmentId(id),
                        paragraph: k + 1,
                        index: i + 1,
                        line,
                        text: block.text[range.clone()].to_string(),
                        span: range,
                    }
                })
                .collect();
            out.push(Paragraph {
                index: k + 1,
                line,
                span: block.span.clone(),
                segments,
                codes: block.codes.clone(),
            });
        }
        out
    }

    /// The translated document: each block's span replaced by its rendered
    /// translation (`translations[k]` for block `k`, with markers; an empty
    /// one leaves the source), in the target language of `langs`. An inner
    /// block's translation goes into its outer block's code, or into the
    /// source where the outer block has no translation.
    pub fn render(&self, translations: &[String], langs: &Langs) -> String {
        let edits = self
            .rendered(translations)
            .map(|(b, rendered)| (b.span.clone(), rendered))
            .chain(self.format.format().relabel(&self.source, langs, false));
        apply(&self.source, edits)
    }

    /// The blocks that have a translation, each with its translation
    /// rendered in the format (inner blocks' translations in its codes).
    fn rendered<'s>(
        &'s self,
        translations: &'s [String],
    ) -> impl Iterator<Item = (&'s Block, String)> + 's {
        let format = self.format.format();
        self.blocks
            .iter()
            .zip(translations)
            .filter(|(_, t)| !t.trim().is_empty())
            .map(move |(b, t)| (b, format.render(&self.with_inner(b, translations), t)))
    }

    /// `block` with the translations of its inner blocks in its codes.
    fn with_inner<'b>(&self, block: &'b Block, translations: &[String]) -> Cow<'b, Block> {
        if block.inner.is_empty() {
            return Cow::Borrowed(block);
        }
        let format = self.format.format();
        let mut out = block.clone();
        // From the last, so that the ranges before stay right.
        let mut inner: Vec<&Inner> = block.inner.iter().collect();
        inner.sort_by_key(|i| (i.code, std::cmp::Reverse(i.range.start)));
        for i in inner {
            let (Some(inner_block), Some(t), Some(code)) = (
                self.blocks.get(i.block),
                translations.get(i.block),
                out.codes.get_mut(i.code),
            ) else {
                continue;
            };
            if t.trim().is_empty() || code.markup.get(i.range.clone()).is_none() {
                continue;
            }
            code.markup
                .replace_range(i.range.clone(), &format.render(inner_block, t));
        }
        Cow::Owned(out)
    }

    /// The bilingual document: each block followed by its translation, as
    /// the format places it.
    pub fn bilingual(&self, translations: &[String], langs: &Langs) -> String {
        let format = self.format.format();
        let edits = self
            .rendered(translations)
            .map(
                |(b, rendered)| match format.bilingual(&self.source, b, &rendered, langs) {
                    Bilingual::After { at, text } => (at..at, text),
                    Bilingual::Replace(text) => (b.span.clone(), text),
                },
            )
            .chain(format.relabel(&self.source, langs, true));
        apply(&self.source, edits)
    }
}

/// `source` with edits (a span replaced by a text; an empty span is an
/// insertion) applied; edits that overlap an earlier one are left out.
fn apply(source: &str, edits: impl Iterator<Item = (Range<usize>, String)>) -> String {
    let mut edits: Vec<(Range<usize>, String)> = edits.collect();
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(source.len() * 2);
    let mut pos = 0;
    for (range, text) in edits {
        if range.start < pos {
            continue;
        }
        out.push_str(&source[pos..range.start]);
        out.push_str(&text);
        pos = range.end;
    }
    out.push_str(&source[pos..]);
    out
}

/// The text between two segments' translations in the target language:
/// nothing for Chinese and Japanese, a space otherwise.
pub fn joiner(lang: &str) -> &'static str {
    match crate::text::primary_subtag(lang).as_str() {
        "zh" | "ja" => "",
        _ => " ",
    }
}

/// Asserts that `format` reads `source` as blocks of these kinds and texts,
/// in order: for the formats' unit tests.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_blocks(
    format: &dyn InputFormat,
    source: &str,
    expected: &[(BlockKind, &str)],
) {
    let blocks = format.blocks(source);
    let got: Vec<(BlockKind, &str)> = blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
    assert_eq!(got, expected, "{source}");
}
