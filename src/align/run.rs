//! `bitext align` end to end: read both texts, segment, align, write.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{AlignOptions, EnglishSplitter, Lexicon, align, units};
use crate::document::{Document, FlagKind, Paragraph};
use crate::error::{Error, ErrorKind, Result};
use crate::glossary::Glossary;
use crate::input::{self, Input};
use crate::markup::{FormatKind, Skeleton, codes};
use crate::output::{
    AtomicFile, GlossaryInfo, WriteContext, Writer, check_output_dir, commit_files, create_files,
    output_bases, output_paths, write_document,
};
use crate::segment::Segmenter;

/// What an alignment run did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AlignReport {
    /// The files written.
    pub outputs: Vec<PathBuf>,
    /// Chinese segments.
    pub zh_segments: usize,
    /// English sentences.
    pub en_sentences: usize,
    /// Bead counts by type (`1-1`, `2-1`, …).
    pub beads: BTreeMap<String, usize>,
    /// Flag counts by kind.
    pub flags: BTreeMap<FlagKind, usize>,
    /// Wall time.
    pub elapsed: Duration,
}

/// A translation of the Chinese side, used as extra evidence (`--backend`).
/// The pipeline implements it; the aligner only asks for the translations.
#[async_trait::async_trait]
pub trait Translator: Send + Sync {
    /// One translation per segment of `doc`, in order (empty where there
    /// is none).
    async fn translate(&self, doc: &Document) -> Result<Vec<String>>;
}

/// `bitext align`, built by [`crate::config::AlignConfig::aligner`] as the
/// [`crate::Pipeline`] is built by the translate configuration: read both
/// texts, segment, align and write.
#[non_exhaustive]
pub struct Aligner {
    /// The Chinese text.
    pub zh: Input,
    /// Its English translation.
    pub en: Input,
    /// The forced input encoding, if any.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Segments the Chinese side.
    pub segmenter: Segmenter,
    /// The glossary whose terms count as evidence, and that outputs name.
    pub glossary: Option<Glossary>,
    /// The dictionary evidence (with the glossary's terms).
    pub lexicon: Lexicon,
    /// A backend's translation of the Chinese side, as more evidence.
    pub translator: Option<Box<dyn Translator>>,
    /// The backend name the outputs record (`align`, `align+deepl`).
    pub backend_name: String,
    /// Alignment options (paragraphs, the low-confidence threshold).
    pub options: AlignOptions,
    /// The folder the outputs go in.
    pub output_dir: PathBuf,
    /// Overwrite existing outputs.
    pub force: bool,
    /// One writer per output format.
    pub writers: Vec<Box<dyn Writer>>,
    /// The source language tag.
    pub source_lang: String,
    /// The target language tag.
    pub target_lang: String,
    /// The format both texts are read in, instead of their extensions'.
    pub input_format: Option<FormatKind>,
}

impl Aligner {
    /// The format `input` is read in: `--input-format`, or its extension's.
    fn format_of(&self, input: &Input) -> FormatKind {
        self.input_format
            .unwrap_or_else(|| FormatKind::of_path(input.path()))
    }

    /// Align the two texts and write the outputs. Nothing is written unless
    /// both texts can be read and every output can be.
    pub async fn run(&self) -> Result<AlignReport> {
        let start = Instant::now();
        let dir = &self.output_dir;
        check_output_dir(dir)?;
        let base = output_bases(std::slice::from_ref(&self.zh), dir)?.pop();
        let paths = output_paths(
            &base.unwrap_or_else(|| dir.join("output")),
            &self.writers,
            &Default::default(),
        );
        if !self.force
            && let Some(path) = paths.iter().find(|p| p.exists())
        {
            return Err(ErrorKind::OutputExists { path: path.clone() }.into());
        }
        let zh_text = input::read(&self.zh, self.encoding)?;
        let en_text = input::read(&self.en, self.encoding)?;
        let zh = match self.format_of(&self.zh) {
            FormatKind::Text => {
                self.segmenter
                    .document(&self.zh.display(), zh_text.encoding, &zh_text.text)
            }
            format => Document {
                source: self.zh.display(),
                encoding: zh_text.encoding.to_string(),
                paragraphs: without_codes(
                    Skeleton::parse(format, zh_text.text).paragraphs(&self.segmenter),
                ),
            },
        };
        let en = match self.format_of(&self.en) {
            FormatKind::Text => {
                EnglishSplitter.document(&self.en.display(), en_text.encoding, &en_text.text)
            }
            format => english_blocks(&self.en.display(), en_text.encoding, format, &en_text.text),
        };
        let mut options = self.options.clone();
        if let Some(translator) = &self.translator {
            options.translations = Some(translator.translate(&zh).await?);
        }
        let beads = align(&zh, &en, &self.lexicon, &options);
        let units = units(&zh, &en, &beads, options.low_confidence, &self.backend_name);

        let mut ctx = WriteContext::new(
            &self.zh.display(),
            &self.source_lang,
            &self.target_lang,
            &self.backend_name,
        );
        ctx.glossary = self.glossary.as_ref().map(GlossaryInfo::of);
        AtomicFile::remove_stale(&paths);
        let mut files = create_files(&paths)?;
        for ((writer, file), path) in self.writers.iter().zip(&mut files).zip(&paths) {
            write_document(writer.as_ref(), &ctx, &units, None, file)
                .map_err(|e| Error::write(path, e))?;
        }
        let outputs = commit_files(files)?;
        let mut report = AlignReport {
            outputs,
            zh_segments: zh.segment_count(),
            en_sentences: en.segment_count(),
            beads: BTreeMap::new(),
            flags: BTreeMap::new(),
            elapsed: Duration::ZERO,
        };
        for bead in &beads {
            *report.beads.entry(bead.kind()).or_insert(0) += 1;
        }
        for flag in units.iter().flat_map(|u| &u.flags) {
            *report.flags.entry(flag.kind).or_insert(0) += 1;
        }
        report.elapsed = start.elapsed();
        Ok(report)
    }
}

/// Paragraphs of a document with markup as alignment takes them: the
/// segments' text without inline-code markers (alignment outputs carry no
/// codes).
fn without_codes(mut paragraphs: Vec<Paragraph>) -> Vec<Paragraph> {
    for segment in paragraphs.iter_mut().flat_map(|p| p.segments.iter_mut()) {
        segment.text = codes::strip(&segment.text);
    }
    paragraphs
}

/// The English side of a document with markup: each translatable block
/// (heading, paragraph, list item, cell) a paragraph, split into sentences,
/// without inline-code markers. Spans are within the block's text.
fn english_blocks(source: &str, encoding: &str, format: FormatKind, text: &str) -> Document {
    let mut paragraphs = Vec::new();
    let mut id = 0u32;
    let mut counted = 0;
    let mut line = 1;
    for block in format.format().blocks(text) {
        line += crate::segment::line_breaks(&text[counted..block.span.start]);
        counted = block.span.start;
        let plain = codes::strip(&block.text);
        if plain.trim().is_empty() {
            continue;
        }
        let index = paragraphs.len() + 1;
        // Spans within the block's text.
        let mut paragraph = EnglishSplitter.paragraph(&plain, 0, index, line, &mut id);
        paragraph.span = block.span.clone();
        paragraphs.push(paragraph);
    }
    Document {
        source: source.to_string(),
        encoding: encoding.to_string(),
        paragraphs,
    }
}
