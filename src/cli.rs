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
    /// Segment, apply the glossary, translate and write aligned TMX, Markdown, JSONL and XLIFF.
    #[command(after_help = examples(&[
        "bitext translate article.txt",
        "bitext translate texts/ -o out --formats tmx,xliff --skip-existing",
        "bitext translate article.txt --backend deepl --dry-run",
    ]))]
    Translate(TranslateArgs),
    /// Align a Chinese text with its existing English translation and write aligned TMX, Markdown, JSONL (and XLIFF); the glossary's terms count as translation evidence.
    #[command(after_help = examples(&[
        "bitext align article.zh.txt article.en.txt",
        "bitext align article.zh.txt article.en.txt -o out --formats tmx,xliff",
        "bitext align article.zh.txt article.en.txt --backend openai --min-score 0.5",
    ]))]
    Align(AlignArgs),
    /// Run the segmentation stage alone and print the segments.
    #[command(after_help = examples(&[
        "bitext segment article.txt",
        "bitext segment texts/ --format jsonl --punctuation standard",
        "bitext segment article.txt --srx rules.srx",
    ]))]
    Segment(SegmentArgs),
    /// List the translation backends, what they need and what they support.
    #[command(after_help = examples(&[
        "bitext backends",
        "bitext backends | grep -A5 '^deepl$'",
    ]))]
    Backends,
    /// Validate glossaries, show where their terms match, export them.
    #[command(subcommand, after_help = examples(&[
        "bitext glossary check -g terms.tsv article.txt",
        "bitext glossary export -g terms.tsv --format tbx -o terms.tbx",
    ]))]
    Glossary(GlossaryCommand),
    /// Store the translations a person edited in reviewed Markdown or XLIFF files in the translation memory.
    #[command(after_help = examples(&[
        "bitext import output/article.md",
        "bitext import output/article.xlf --cache tm.redb",
    ]))]
    Import(ImportArgs),
    /// Write the translation memory as one TMX file: one unit per source text, reviewed translations first.
    #[command(after_help = examples(&[
        "bitext export-tm -o memory.tmx",
        "bitext export-tm --reviewed-only --cache tm.redb > reviewed.tmx",
        "bitext export-tm --all --backend deepl -o deepl.tmx",
    ]))]
    ExportTm(ExportTmArgs),
    /// Check bilingual files (TMX, XLIFF 1.2 or 2.0, bitext JSONL or Markdown) with the QA checks; exit 1 on a finding at or above --fail-on.
    #[command(after_help = examples(&[
        "bitext qa output/article.tmx",
        "bitext qa vendor.xlf memory.tmx -g terms.tsv --format md -o qa.md",
        "bitext qa output/*.jsonl --checks all,-double-space --fail-on warning --format json",
    ]))]
    Qa(QaArgs),
}

/// Arguments of `bitext qa`.
#[derive(Debug, Args)]
pub struct QaArgs {
    /// Bilingual files: TMX, XLIFF 1.2 or 2.0, bitext JSONL or Markdown (the inconsistent-* checks compare across all of them).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Glossary file (TSV, CSV or TBX) for glossary-miss and forbidden-term; repeat for several. Default: the bundled glossary.
    #[arg(short, long = "glossary", value_name = "FILE")]
    pub glossaries: Vec<PathBuf>,
    /// The checks to run, comma-separated: names, `all`, `translate` (the ones translate runs), `-name` to leave one out [default: all, or `checks` in the qa table of bitext.toml].
    #[arg(long, value_name = "LIST")]
    pub checks: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = QaFormat::Text)]
    pub format: QaFormat,
    /// Exit 1 when a finding of this severity or above exists [default: error, or `fail_on` in the qa table of bitext.toml].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOnArg>,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The languages of files that do not state theirs.
    #[command(flatten)]
    pub languages: FileLanguageArgs,
    /// A config file with a qa table [default: bitext.toml in the current directory, if any].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `bitext qa` report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QaFormat {
    /// For people: findings grouped by check, with file, line and unit.
    Text,
    /// Markdown, for a pull-request comment.
    Md,
    /// One JSON object: files, units, findings, by_check.
    Json,
}

/// `--fail-on` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// A finding of severity error.
    Error,
    /// Any finding.
    Warning,
    /// Never (exit 0 whatever is found).
    Never,
}

/// Arguments of `bitext import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Reviewed files: Markdown (STEM.md) or XLIFF 2.0 (STEM.xlf) as translate wrote them, with translations edited; the STEM.jsonl beside each tells which rows changed.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The translation memory.
    #[command(flatten)]
    pub memory: MemoryArgs,
    /// The languages of files that do not state theirs.
    #[command(flatten)]
    pub languages: FileLanguageArgs,
}

/// The translation memory a command reads or writes, shared by `import`
/// and `export-tm` (`translate` has its own `--cache`, with `--no-cache`).
#[derive(Debug, Args)]
pub struct MemoryArgs {
    /// Translation memory: a file, or a postgres://USER@HOST:PORT/DB URL shared by many workers (default: bitext/tm.redb in the user's cache directory, as for translate).
    #[arg(long, value_name = "FILE|URL")]
    #[arg(env = "BITEXT_CACHE", hide_env_values = true)]
    pub cache: Option<PathBuf>,
}

/// The languages of bilingual files that do not state theirs, shared by
/// `qa` and `import`.
#[derive(Debug, Args)]
pub struct FileLanguageArgs {
    /// Source language tag of files that do not state one (a file that does must agree) [default: zh-CN].
    #[arg(long, value_name = "TAG")]
    pub source_lang: Option<String>,
    /// Target language tag of files that do not state one (a file that does must agree) [default: en-US].
    #[arg(long, value_name = "TAG")]
    pub target_lang: Option<String>,
}

/// Arguments of `bitext export-tm`.
#[derive(Debug, Args)]
pub struct ExportTmArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TmFormat::Tmx)]
    pub format: TmFormat,
    /// The translation memory.
    #[command(flatten)]
    pub memory: MemoryArgs,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only the translations a person reviewed (stored by `bitext import`).
    #[arg(long, conflicts_with = "backend")]
    pub reviewed_only: bool,
    /// Only the machine translations of this backend (openai, deepl, google, libretranslate, command).
    #[arg(long, value_name = "NAME")]
    pub backend: Option<String>,
    /// Every entry, instead of one unit per source text (the reviewed translation if there is one, else the most recently changed).
    #[arg(long)]
    pub all: bool,
}

/// An "Examples:" section for a subcommand's help, one command a line.
fn examples(commands: &[&str]) -> String {
    let mut text = String::from("Examples:");
    for command in commands {
        text.push_str("\n  ");
        text.push_str(command);
    }
    text
}

/// Translation memory export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TmFormat {
    /// TMX 1.4, one `<tu>` per entry with its status (machine or reviewed).
    Tmx,
}

/// `bitext glossary` subcommands.
#[derive(Debug, Subcommand)]
pub enum GlossaryCommand {
    /// Validate glossaries and print every term match per segment of the inputs.
    #[command(after_help = examples(&[
        "bitext glossary check article.txt",
        "bitext glossary check -g terms.tsv -g names.tbx texts/ --format json",
    ]))]
    Check(GlossaryCheckArgs),
    /// Write the glossary out as TSV or TBX.
    #[command(after_help = examples(&[
        "bitext glossary export",
        "bitext glossary export -g terms.tsv -g names.csv --format tbx -o merged.tbx",
    ]))]
    Export(GlossaryExportArgs),
    /// Propose glossary terms found in Chinese texts, with English from aligned bitext or a backend; the glossary's terms are already known, never proposed.
    #[command(after_help = examples(&[
        "bitext glossary extract reports/ -o proposed.tsv",
        "bitext glossary extract article.txt --aligned output/article.jsonl --top 100",
        "bitext glossary extract texts/ --backend deepl --format tbx -o proposed.tbx",
    ]))]
    Extract(GlossaryExtractArgs),
}

/// Which glossaries a `bitext glossary` command works on.
#[derive(Debug, Args)]
pub struct GlossaryFiles {
    /// Glossary file (TSV, CSV or TBX); repeat for several. Default: the bundled glossary.
    #[arg(short, long = "glossary", value_name = "FILE")]
    pub glossaries: Vec<PathBuf>,
    /// Source language tag (selects TBX terms).
    #[arg(long, default_value = "zh-CN", value_name = "TAG")]
    pub source_lang: String,
    /// Target language tag (selects TBX terms).
    #[arg(long, default_value = "en-US", value_name = "TAG")]
    pub target_lang: String,
}

/// Arguments of `bitext glossary check`.
#[derive(Debug, Args)]
pub struct GlossaryCheckArgs {
    /// The glossaries and their languages.
    #[command(flatten)]
    pub files: GlossaryFiles,
    /// Texts to match the glossary against (files, directories, or -).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// How the inputs are read.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How `bitext glossary check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One line per match: `FILE:SEGMENT [PARAGRAPH.INDEX] @CHAR SOURCE → TARGET`.
    Text,
    /// One JSON document with the glossary and the matches of each input.
    Json,
}

/// Arguments of `bitext glossary export`.
#[derive(Debug, Args)]
pub struct GlossaryExportArgs {
    /// The glossaries and their languages.
    #[command(flatten)]
    pub files: GlossaryFiles,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Tsv)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `bitext glossary extract`.
#[derive(Debug, Args)]
pub struct GlossaryExtractArgs {
    /// Chinese texts to find terms in (files, directories searched for *.txt, or -).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Aligned bitext (JSONL or TMX from bitext translate or align) to find the English of the terms in; repeat for several.
    #[arg(long, value_name = "FILE")]
    pub aligned: Vec<PathBuf>,
    /// Backend that proposes the English of terms the aligned bitext has none for (`bitext backends` lists them).
    #[arg(short, long, value_name = "NAME", default_value = "dictionary")]
    pub backend: String,
    /// The most terms to propose.
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub top: u32,
    /// The fewest occurrences a term needs.
    #[arg(long, value_name = "K", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub min_freq: u32,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Tsv)]
    pub format: ExportFormat,
    /// The glossary of the terms already known: they are marked, and never used to find or rank terms.
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Source language tag (selects TMX and TBX sides).
    #[arg(long, default_value = "zh-CN", value_name = "TAG")]
    pub source_lang: String,
    /// Target language tag (selects TMX and TBX sides).
    #[arg(long, default_value = "en-US", value_name = "TAG")]
    pub target_lang: String,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// How the inputs are read.
    #[command(flatten)]
    pub read: ReadArgs,
    /// How the backend is reached.
    #[command(flatten)]
    pub connect: Box<BackendArgs>,
}

/// Glossary export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Tab-separated values with the full header.
    Tsv,
    /// TBX 2008 (`<martif>`).
    Tbx,
}

/// Arguments of `bitext translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// Input files (.txt text, .md/.markdown Markdown, .html/.htm HTML), directories (searched for them) or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Directory for the outputs: DIR/STEM.tmx, .md, .jsonl, .xlf for a file argument; a directory argument's tree is mirrored (in/sub/a.txt → DIR/sub/a.tmx).
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// Translation backend; `bitext backends` lists them.
    #[arg(short, long, value_name = "NAME", default_value = "dictionary")]
    pub backend: String,
    /// The glossary of the run.
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Skip the inputs whose outputs all exist (to resume a batch); without it (or --force) a batch with existing outputs stops before it starts.
    #[arg(long)]
    pub skip_existing: bool,
    /// Translate only shard I of N (0-based): the inputs whose path (below its directory argument) hashes to I. Adding a file never moves another; outputs go where an unsharded run puts them. E.g. --shard $JOB_COMPLETION_INDEX/8 (Kubernetes) or --shard $SLURM_ARRAY_TASK_ID/8 (Slurm).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::shard::Shard>,
    /// Translation memory: a file, or a postgres://USER@HOST:PORT/DB URL shared by many workers, password from the URL or PGPASSWORD (default: bitext/tm.redb in the user's cache directory; the dictionary backend only takes reviewed translations from it).
    #[arg(
        long,
        value_name = "FILE|URL",
        env = "BITEXT_CACHE",
        hide_env_values = true,
        conflicts_with = "no_cache"
    )]
    pub cache: Option<PathBuf>,
    /// Use no translation memory: translate every segment again.
    #[arg(long)]
    pub no_cache: bool,
    /// Fuzzy matches: for a segment the translation memory has no exact translation of, show its best matches scoring at least PERCENT (character edit distance, numbers and glossary terms normalised) in the outputs, and give the reviewed ones to the backend as examples; 0 turns them off.
    #[arg(long, value_name = "PERCENT", default_value_t = crate::memory::fuzzy::DEFAULT_THRESHOLD, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub fuzzy: u8,
    /// Send nothing and write nothing: print what would be sent (segments, those already in the translation memory, requests, characters) and an estimated cost. Needs no key.
    #[arg(long)]
    pub dry_run: bool,
    /// What translate and align share.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Arguments of `bitext align`.
#[derive(Debug, Args)]
pub struct AlignArgs {
    /// The Chinese text (names the outputs: DIR/STEM.tmx, .md, .jsonl).
    #[arg(value_name = "ZH_FILE")]
    pub zh: PathBuf,
    /// Its English translation.
    #[arg(value_name = "EN_FILE")]
    pub en: PathBuf,
    /// Directory for the outputs.
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// Also translate the Chinese side with this backend and use the translation as evidence (`bitext backends` lists them).
    #[arg(short, long, value_name = "NAME")]
    pub backend: Option<String>,
    /// The glossary of the run.
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// Align sentences as one run even when both texts have paragraphs.
    #[arg(long)]
    pub no_paragraphs: bool,
    /// Flag beads whose score (0–1) is below this for review.
    #[arg(long, value_name = "SCORE", default_value_t = 0.4)]
    pub min_score: f32,
    /// What translate and align share.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The glossary a run uses, shared by `translate`, `align` (which counts
/// its terms as translation evidence) and `glossary extract` (which marks
/// its terms as already known).
#[derive(Debug, Args)]
pub struct GlossaryArgs {
    /// Glossary file (TSV or CSV with a header, or TBX); repeat for several. Default: the bundled glossary.
    #[arg(
        short,
        long = "glossary",
        value_name = "FILE",
        conflicts_with = "no_glossary"
    )]
    pub glossaries: Vec<PathBuf>,
    /// Use no glossary.
    #[arg(long)]
    pub no_glossary: bool,
}

/// The argument groups `translate` and `align` share: languages, writing,
/// reading and the backend connection.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// The language pair.
    #[command(flatten)]
    pub languages: LanguageArgs,
    /// The outputs and how they are written.
    #[command(flatten)]
    pub writing: WriteArgs,
    /// How the inputs are read.
    #[command(flatten)]
    pub read: ReadArgs,
    /// How the backend is reached.
    #[command(flatten)]
    pub connect: Box<BackendArgs>,
}

/// The language pair, shared by `translate` and `align`.
#[derive(Debug, Args)]
pub struct LanguageArgs {
    /// Source language tag (BCP 47, hyphenated).
    #[arg(long, default_value = "zh-CN", value_name = "TAG")]
    pub source_lang: String,
    /// Target language tag (BCP 47, hyphenated).
    #[arg(long, default_value = "en-US", value_name = "TAG")]
    pub target_lang: String,
}

/// What is written and how, shared by `translate` and `align`.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Output formats, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "tmx,md,jsonl,html")]
    pub formats: Vec<Format>,
    /// Overwrite existing outputs.
    #[arg(short, long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
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
    /// Split a segment longer than N characters at its strongest inner boundary (；：， or a space near the middle); one with none is flagged long-segment. 0: no limit.
    #[arg(long, value_name = "N", default_value_t = crate::segment::DEFAULT_MAX_CHARS)]
    pub max_chars: usize,
    /// Read every input in this format instead of the one its extension says (.txt text; .md, .markdown Markdown; .html, .htm HTML).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<crate::markup::FormatKind>,
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
    /// Language tag of the inputs: selects the rules of an --srx file.
    #[arg(long, value_name = "TAG", default_value = "zh-CN")]
    pub source_lang: String,
    /// How the inputs are read.
    #[command(flatten)]
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

/// How to reach and pace the translation backend. Each flag overrides the
/// same key of `[backend.NAME]` in the config file.
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Backend options")]
// The field docs are `--help` text for a terminal, where a URL is plain text.
#[allow(rustdoc::bare_urls)]
pub struct BackendArgs {
    /// The backend server's base URL, for openai (default https://api.openai.com/v1), ollama (default http://127.0.0.1:11434/v1), llamacpp (default http://127.0.0.1:8080/v1), deepl (default https://api.deepl.com, or https://api-free.deepl.com for a key ending in :fx), google (default https://translation.googleapis.com) and libretranslate (default http://localhost:5000).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The model, for openai (default gpt-4o-mini), ollama (default qwen2.5:7b), llamacpp (it names the model served, for the translation memory) and command (passed to the program as "model"); the other backends have none.
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// The program for `--backend command`, with its arguments, as one string.
    #[arg(long, value_name = "PROGRAM ARGS")]
    pub command: Option<String>,
    /// The most requests in flight at once [default: 4].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: Option<u32>,
    /// The most requests per minute [default: no limit].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rpm: Option<u32>,
    /// Seconds one request may take [default: 120].
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,
    /// Allow an http:// base URL on another machine (the text and the key travel unencrypted).
    #[arg(long)]
    pub allow_http: bool,
    /// A system-prompt template for the LLM backends (openai, ollama, llamacpp; passed to command), with the variables {{source_lang}}, {{target_lang}}, {{style}}, {{terms}} and {{examples}}.
    #[arg(long, value_name = "FILE")]
    pub prompt: Option<PathBuf>,
    /// A house style guide given to the LLM backends in the system prompt (and passed to command).
    #[arg(long, value_name = "FILE")]
    pub style: Option<PathBuf>,
    /// How formal the translation should be, for deepl (more and less only for target languages with formality: de, es, fr, it, ja, nl, pl, pt, ru).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub formality: Option<crate::backend::Formality>,
    /// The sampling temperature of the LLM backends (openai, ollama, llamacpp; passed to command), 0 to 2 [default: 0].
    #[arg(long, value_name = "T")]
    pub temperature: Option<f64>,
    /// A config file with [backend.NAME] tables [default: bitext.toml in the current directory, if any].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}
