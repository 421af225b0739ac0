//! The write stage's plug-in point: output formats.
//!
//! A [`Writer`] renders aligned [`Unit`]s and computes nothing about them.
//! It writes a document as a stream: [`Writer::start`] writes the head and
//! returns a [`DocumentWriter`], which takes the units in order, chunk by
//! chunk, and at [`DocumentWriter::finish`] gets the [`Summary`] of the
//! document; so a large input never has to be held in memory whole.
//! [`write_document`] does all three for units already in memory. [`Format`]
//! names the built-in writers for `--formats`: TMX 1.4, Markdown, JSONL,
//! XLIFF 2.0, an HTML review page, and the translated and bilingual documents. [`output_bases`] decides where each input's outputs go.

mod atomic;
mod document;
mod html;
mod jsonl;
pub mod markdown;
mod tmx;
pub mod xliff;
pub(crate) mod xml;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use atomic::AtomicFile;
pub use document::Doc;
pub use html::Html;
pub use jsonl::Jsonl;
pub use markdown::Markdown;
pub use tmx::{MemoryCounts, MemoryFilter, Tmx, write_memory};
pub use xliff::Xliff;

use crate::document::{FlagKind, Unit};
use crate::error::{ErrorKind, Result};
use crate::glossary::TermReport;
use crate::input::Input;

/// What a writer may want to know about the run before the units.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WriteContext {
    /// The input's path as given (`in/sub/article.txt`, or `-` for standard
    /// input).
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
    /// The input with its translatable blocks, for the writers that rebuild
    /// the document ([`Writer::needs_source`]); `None` for an input
    /// streamed in chunks.
    pub skeleton: Option<std::sync::Arc<crate::markup::Skeleton>>,
}

/// What the name of an output may depend on besides its input's base
/// ([`Writer::file_extension`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OutputName {
    /// The extension of a translated document of the input (`md`, `txt`).
    pub input_extension: String,
    /// The source language tag.
    pub source_lang: String,
    /// The target language tag.
    pub target_lang: String,
}

impl Default for OutputName {
    fn default() -> Self {
        OutputName {
            input_extension: "txt".to_string(),
            source_lang: "zh-CN".to_string(),
            target_lang: "en-US".to_string(),
        }
    }
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

impl GlossaryInfo {
    /// What the outputs say of `glossary`.
    pub fn of(glossary: &crate::glossary::Glossary) -> Self {
        GlossaryInfo {
            names: glossary.names().to_vec(),
            entries: glossary.len(),
            id: glossary.id(),
        }
    }

    /// Its size and id as the outputs give them after its names:
    /// `1 entry, id 8d472f8d1e39ef00`.
    pub fn size_and_id(&self) -> String {
        let entries = crate::text::count(self.entries, "entry", "entries");
        format!("{entries}, id {}", self.id)
    }

    /// How the outputs name it: `terms.tsv (1 entry, id 8d472f8d1e39ef00)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.names.join(", "), self.size_and_id())
    }
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
            skeleton: None,
        }
    }
}

/// What is known of a document once all its units are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Paragraphs.
    pub paragraphs: usize,
    /// Segments (units).
    pub segments: usize,
    /// Flag counts by kind.
    pub flags: BTreeMap<FlagKind, usize>,
    /// Units whose translation a person reviewed.
    pub reviewed: usize,
    /// The terminology report; `None` when the run used no glossary.
    pub terms: Option<TermReport>,
}

impl Summary {
    /// The glossary line of a summary: `terms.tsv (1 entry, id …), 3 term
    /// occurrences`, or `none` without a glossary.
    pub fn glossary_line(&self, glossary: Option<&GlossaryInfo>) -> String {
        match glossary {
            Some(g) => {
                let hits = self.terms.as_ref().map_or(0, TermReport::occurrences);
                let hits = crate::text::count(hits, "term occurrence", "term occurrences");
                format!("{}, {hits}", g.label())
            }
            None => "none".to_string(),
        }
    }

    /// Count in the next units.
    pub fn add(&mut self, units: &[Unit]) {
        self.segments += units.len();
        if let Some(last) = units.last() {
            self.paragraphs = self.paragraphs.max(last.paragraph);
        }
        for flag in units.iter().flat_map(|u| &u.flags) {
            *self.flags.entry(flag.kind).or_insert(0) += 1;
        }
        self.reviewed += units
            .iter()
            .filter(|u| u.origin == crate::document::Origin::Reviewed)
            .count();
    }
}

/// An output format.
pub trait Writer: Send + Sync {
    /// The format's name, as given to `--formats`.
    fn name(&self) -> &str;

    /// The file extension of its outputs, without the dot: its name unless
    /// the writer says otherwise.
    fn extension(&self) -> &str {
        self.name()
    }

    /// The extension of the output for an input named so
    /// ([`Writer::extension`] unless the writer says otherwise:
    /// `en.md` for a translated Markdown document).
    fn file_extension(&self, name: &OutputName) -> String {
        let _ = name;
        self.extension().to_string()
    }

    /// Whether the writer needs the input's [`WriteContext::skeleton`]
    /// (the whole input is then read before it is translated).
    fn needs_source(&self) -> bool {
        false
    }

    /// Begin a document: write its head to `out` and return the writer that
    /// takes its units.
    fn start<'a>(&self, ctx: &WriteContext, out: &'a mut dyn Write) -> Started<'a>;
}

/// What [`Writer::start`] returns: the writer of the document's units.
pub type Started<'a> = io::Result<Box<dyn DocumentWriter + 'a>>;

/// A document being written by a [`Writer`].
pub trait DocumentWriter {
    /// Write the next units, in source order.
    fn units(&mut self, units: &[Unit]) -> io::Result<()>;

    /// Write the end of the document.
    fn finish(self: Box<Self>, summary: &Summary) -> io::Result<()>;
}

/// Write a whole document of `units` with `writer`; `terms` is the
/// terminology report, if a glossary was used.
pub fn write_document(
    writer: &dyn Writer,
    ctx: &WriteContext,
    units: &[Unit],
    terms: Option<TermReport>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut summary = Summary::default();
    summary.add(units);
    summary.terms = terms;
    let mut document = writer.start(ctx, out)?;
    document.units(units)?;
    document.finish(&summary)
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
    /// XLIFF 2.0, for CAT tools and `bitext import`.
    Xliff,
    /// A self-contained HTML page to review, edit and export in a browser.
    Html,
    /// The translated document, in the input's format (`STEM.en.md`).
    Doc,
    /// The source document with each block followed by its translation
    /// (`STEM.zh-en.md`).
    Bilingual,
}

impl Format {
    /// The writer for this format.
    pub fn writer(self) -> Box<dyn Writer> {
        match self {
            Format::Tmx => Box::new(Tmx),
            Format::Md => Box::new(Markdown),
            Format::Jsonl => Box::new(Jsonl),
            Format::Xliff => Box::new(Xliff),
            Format::Html => Box::new(Html),
            Format::Doc => Box::new(Doc::TRANSLATED),
            Format::Bilingual => Box::new(Doc::BILINGUAL),
        }
    }
}

/// Where the outputs of each input go, without extension: `dir/STEM` for a
/// file named on the command line (`stdin` for standard input), and the
/// directory's tree mirrored for a file found in a directory argument
/// (`in/sub/deeper/a.txt` → `dir/sub/deeper/a`). A name depends on its input
/// alone, so adding an input never renames another's outputs; two inputs
/// that would get the same name are an error that names both.
pub fn output_bases(inputs: &[Input], dir: &Path) -> Result<Vec<PathBuf>> {
    let mut taken: HashMap<PathBuf, &Input> = HashMap::with_capacity(inputs.len());
    let mut bases = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut base = dir.to_path_buf();
        for folder in input.subfolders() {
            base.push(safe_component(&folder));
        }
        base.push(safe_component(&input.stem()));
        if let Some(first) = taken.insert(base.clone(), input) {
            let hint = if first.is_argument() && input.is_argument() {
                "rename one, or pass their folder as a directory argument (its tree is mirrored under -o)"
            } else {
                "rename one, or translate them in separate runs with different -o folders"
            };
            return Err(ErrorKind::Usage(format!(
                "{} and {} would both be written as {}.*; {hint}",
                first.display(),
                input.display(),
                base.display()
            ))
            .into());
        }
        bases.push(base);
    }
    Ok(bases)
}

/// One output path per writer, each [`output_path`] of `base`.
pub fn output_paths(base: &Path, writers: &[Box<dyn Writer>], name: &OutputName) -> Vec<PathBuf> {
    writers
        .iter()
        .map(|w| output_path(base, &w.file_extension(name)))
        .collect()
}

/// Refuse an output folder that is a file (`-o FILE`).
pub fn check_output_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(ErrorKind::OutputNotDir {
            path: dir.to_path_buf(),
        }
        .into());
    }
    Ok(())
}

/// One atomic file per path, creating the folders they go in (a directory
/// argument's tree is mirrored under the output folder). Nothing is in
/// place until [`commit_files`].
pub fn create_files(paths: &[PathBuf]) -> Result<Vec<AtomicFile>> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        if let Some(folder) = path.parent()
            && !folder.as_os_str().is_empty()
        {
            std::fs::create_dir_all(folder).map_err(|source| ErrorKind::OutputDir {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        files.push(AtomicFile::create(path)?);
    }
    Ok(files)
}

/// Move every file of one input into place, once all are complete.
pub fn commit_files(files: Vec<AtomicFile>) -> Result<Vec<PathBuf>> {
    files.into_iter().map(AtomicFile::commit).collect()
}

/// The output file `base.EXTENSION` (`out/a.b` → `out/a.b.tmx`: the stem
/// may hold dots).
pub fn output_path(base: &Path, extension: &str) -> PathBuf {
    let mut path = base.as_os_str().to_os_string();
    path.push(".");
    path.push(extension);
    PathBuf::from(path)
}

/// Keep a name to one safe path component.
pub(crate) fn safe_component(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('.').to_string();
    if cleaned.is_empty() || Path::new(&cleaned).components().count() != 1 {
        "output".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str, dir: &str) -> Input {
        Input::Found {
            path: PathBuf::from(path),
            dir: PathBuf::from(dir),
        }
    }

    #[test]
    fn bases_mirror_directories_and_name_files_by_stem() {
        let inputs = [
            found("in/sub/deeper/a.txt", "in"),
            found("in/a.txt", "in"),
            Input::File(PathBuf::from("texts/b.v2.txt")),
            Input::Stdin,
        ];
        let bases = output_bases(&inputs, Path::new("out")).unwrap();
        assert_eq!(
            bases,
            ["out/sub/deeper/a", "out/a", "out/b.v2", "out/stdin"].map(PathBuf::from)
        );
        assert_eq!(output_path(&bases[2], "tmx"), PathBuf::from("out/b.v2.tmx"));
    }

    #[test]
    fn two_inputs_with_one_name_are_refused() {
        let err = output_bases(
            &[
                Input::File(PathBuf::from("a/x.txt")),
                Input::File(PathBuf::from("b/x.txt")),
            ],
            Path::new("out"),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a/x.txt and b/x.txt would both be written as out/x.*; "),
            "{err}"
        );
    }
}
