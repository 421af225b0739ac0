//! The write stage's plug-in point: output formats.
//!
//! A [`Writer`] renders a slice of aligned [`Unit`]s; it computes nothing
//! about them. [`Format`] names the built-in writers for `--formats`.

mod atomic;
mod jsonl;
mod markdown;
mod tmx;

use std::io::{self, Write};

pub use atomic::AtomicFile;
pub use jsonl::Jsonl;
pub use markdown::Markdown;
pub use tmx::Tmx;

use crate::document::Unit;
use crate::glossary::TermReport;

/// What a writer may want to know about the run besides the units.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WriteContext {
    /// The input's file name (`article.txt`, or `-` for standard input).
    pub source_name: String,
    /// The source language tag (`zh-CN`).
    pub source_lang: String,
    /// The target language tag (`en-US`).
    pub target_lang: String,
    /// The backend's name.
    pub backend: String,
    /// The backend's model, if it has one.
    pub model: Option<String>,
    /// The glossary files, its entry count and content hash; `None` when the
    /// run used no glossary.
    pub glossary: Option<GlossaryInfo>,
    /// The number of paragraphs in the input.
    pub paragraphs: usize,
    /// The terminology report; `None` when the run used no glossary.
    pub terms: Option<TermReport>,
}

/// What the outputs say about the glossary that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryInfo {
    /// The files it was loaded from.
    pub names: Vec<String>,
    /// The number of entries.
    pub entries: usize,
    /// Its content hash.
    pub id: String,
}

impl WriteContext {
    /// A context for an input named `source_name`, translated by `backend`.
    pub fn new(source_name: &str, source_lang: &str, target_lang: &str, backend: &str) -> Self {
        WriteContext {
            source_name: source_name.to_string(),
            source_lang: source_lang.to_string(),
            target_lang: target_lang.to_string(),
            backend: backend.to_string(),
            model: None,
            glossary: None,
            paragraphs: 0,
            terms: None,
        }
    }
}

/// An output format.
pub trait Writer: Send + Sync {
    /// The format's name, as given to `--formats`.
    fn name(&self) -> &str;

    /// The file extension of its outputs, without the dot.
    fn extension(&self) -> &str;

    /// Render `units` (in source order) to `out`.
    fn write(&self, ctx: &WriteContext, units: &[Unit], out: &mut dyn Write) -> io::Result<()>;
}

/// The built-in output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// TMX 1.4 translation memory.
    Tmx,
    /// A Markdown review file with one GFM table per paragraph.
    Md,
    /// One JSON object per segment.
    Jsonl,
}

impl Format {
    /// The writer for this format.
    pub fn writer(self) -> Box<dyn Writer> {
        match self {
            Format::Tmx => Box::new(Tmx),
            Format::Md => Box::new(Markdown),
            Format::Jsonl => Box::new(Jsonl),
        }
    }
}
