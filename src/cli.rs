//! Command-line arguments, as clap parses them. [`crate::config`] turns them
//! into a validated configuration.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;
use crate::segment::Punctuation;

/// Turn Chinese articles into aligned Chinese–English bitext.
#[derive(Debug, Parser)]
#[command(name = "bitext", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Segment, apply the glossary, translate and write aligned TMX, Markdown and JSONL.
    Translate(TranslateArgs),
    /// Run the segmentation stage alone and print the segments.
    Segment(SegmentArgs),
    /// List the translation backends, what they need and what they support.
    Backends,
}

/// Arguments of `bitext translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// Text files, directories (searched for *.txt) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Directory for the outputs (STEM.tmx, STEM.md, STEM.jsonl).
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// Translation backend; `bitext backends` lists them.
    #[arg(short, long, value_name = "NAME", default_value = "dictionary")]
    pub backend: String,
    /// Glossary file (TSV or CSV with a header); repeat for several. Default: the bundled glossary.
    #[arg(
        short,
        long = "glossary",
        value_name = "FILE",
        conflicts_with = "no_glossary"
    )]
    pub glossaries: Vec<PathBuf>,
    /// Apply no glossary.
    #[arg(long)]
    pub no_glossary: bool,
    /// Output formats, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "tmx,md,jsonl")]
    pub formats: Vec<Format>,
    /// Source language tag (BCP 47, hyphenated).
    #[arg(long, default_value = "zh-CN", value_name = "TAG")]
    pub source_lang: String,
    /// Target language tag (BCP 47, hyphenated).
    #[arg(long, default_value = "en-US", value_name = "TAG")]
    pub target_lang: String,
    /// Overwrite existing outputs.
    #[arg(short, long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub read: ReadArgs,
}

/// How inputs are read and segmented.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Punctuation convention of the input: normalized (ASCII `.` for 。，、), standard, or auto per paragraph.
    #[arg(long, value_enum, default_value_t = Punctuation::Auto)]
    pub punctuation: Punctuation,
    /// Input encoding (utf-8, gbk, gb18030, big5, utf-16le, …); detected when not given.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Segment with the rules of this SRX 2.0 file (as OmegaT and Okapi use) instead of the built-in rules.
    #[arg(long, value_name = "FILE", conflicts_with = "punctuation")]
    pub srx: Option<PathBuf>,
}

/// Arguments of `bitext segment`.
#[derive(Debug, Args)]
pub struct SegmentArgs {
    /// Text files, directories (searched for *.txt) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SegmentFormat::Text)]
    pub format: SegmentFormat,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub read: ReadArgs,
}

/// How `bitext segment` prints segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SegmentFormat {
    /// One segment per line, a blank line between paragraphs.
    Text,
    /// One JSON object per segment.
    Jsonl,
}
