//! # bitext
//!
//! Turn Chinese articles into aligned Chinese–English bitext for review and
//! for CAT tools.
//!
//! The pipeline has one module per stage, each with a small typed interface:
//!
//! ```text
//! input files ─read/decode─▶ segment ─▶ glossary.annotate ─▶ translate (Backend, memory)
//!            ─▶ check (flags) ─▶ write (Writer: TMX 1.4, Markdown, JSONL, XLIFF 2.0)
//! reviewed Markdown / XLIFF ─import─▶ translation memory (reviewed wins)
//! ```
//!
//! - [`input`] expands directories and decodes files (UTF-8, UTF-16, GBK, …);
//! - [`segment`] splits paragraphs into clauses and sentences on the text's
//!   own punctuation (normalised or standard Chinese), losslessly, or with
//!   the SRX 2.0 rules of [`segment::srx`];
//! - [`glossary`] finds terminology longest-first and checks that
//!   translations render it;
//! - [`backend`] is the plug-in point for translation ([`backend::Backend`]);
//!   the offline default is a CC-CEDICT dictionary gloss, and `openai`,
//!   `deepl`, `google`, `libretranslate` and `command` call real MT over one
//!   shared HTTP transport (`backend::http`), configured by flags and
//!   a config file (`bitext.toml`);
//! - [`translate`] is the translate stage: batches within the backend's
//!   limits, sent concurrently, replies matched by id with split retries,
//!   glossary placeholders and repairs, and each batch journalled in the
//!   memory as it lands;
//! - [`memory`] is the translation memory: machine translations keyed by
//!   backend and glossary, and reviewed translations, which win;
//! - [`check`] puts QA flags on each aligned [`document::Unit`] (numbers,
//!   length, model chatter, Han left, glossary);
//! - [`output`] is the plug-in point for formats ([`output::Writer`]);
//! - [`review`] reads a reviewed Markdown or XLIFF file back and stores the
//!   edited translations in the memory.
//!
//! [`align`] is the other way in (`bitext align`): it aligns a Chinese text
//! with an existing English translation, sentence by sentence, and hands
//! the aligned beads to the same writers.
//!
//! [`Pipeline`] ties them together, reading each input in chunks of whole
//! lines and streaming units into every writer, so memory does not grow with
//! the input; [`config::TranslateConfig`] builds one from command-line
//! arguments, and [`progress`] reports what it does. Translations are aligned to their source
//! segments by id, never by position, and every source segment appears in
//! every output exactly once, in order.
//!
//! ```
//! use bitext::segment::Segmenter;
//!
//! let doc = Segmenter::default().document("-", "UTF-8", "记者们说.'徐绍史部长不避讳敏感问题.'这种务实作风.");
//! let texts: Vec<&str> = doc.segments().map(|s| s.text.as_str()).collect();
//! assert_eq!(texts, ["记者们说.", "'徐绍史部长不避讳敏感问题.'", "这种务实作风."]);
//! ```

pub mod align;
pub mod backend;
pub mod check;
pub mod cli;
mod cmd;
pub mod config;
pub(crate) mod config_file;
pub mod document;
pub mod error;
pub mod glossary;
pub mod input;
pub mod markup;
pub mod memory;
pub mod numbers;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod qa;
pub mod review;
pub mod segment;
pub mod shard;
pub mod text;
pub mod translate;

pub use cmd::run;
pub use error::{Error, ErrorKind, Result};
pub use pipeline::Pipeline;
// `bitext::srx` predates the move of the SRX module under `segment`.
pub use segment::srx;

/// The README's library example (section Glossary), run as a doctest with a
/// glossary file it makes; `tests/testsuite/claims.rs` checks that the
/// README shows the same code (the lines starting with `# ` are hidden).
///
/// ```
/// # let dir = tempfile::tempdir()?;
/// # std::env::set_current_dir(dir.path())?;
/// # std::fs::write("my-glossary.tsv", "source\ttarget\n创先争优\tStrive for Excellence\n")?;
/// use bitext::glossary::Glossary;
/// use bitext::segment::Segmenter;
///
/// // my-glossary.tsv: a header line `source<TAB>target`, then `创先争优<TAB>Strive for Excellence`
/// let glossary = Glossary::load("my-glossary.tsv".as_ref())?;
/// let doc = Segmenter::default().document("a.txt", "UTF-8", "开展创先争优活动.");
/// // One line per match: file:segment [paragraph.index] @character-offset term → target
/// insta::assert_snapshot!(
///     glossary.annotate_document(&doc).to_string(),
///     @"a.txt:1 [1.1] @2 创先争优 → Strive for Excellence"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(doctest)]
pub struct ReadmeLibraryExample;
