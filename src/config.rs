//! Validated configuration, built from the command-line arguments; it builds
//! the pipeline.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::align::{AlignOptions, Aligner, Lexicon, Translator};
use crate::backend::{self, ApiKey, BackendInfo, BackendSettings, Formality, Languages};
use crate::cli::{AlignArgs, BackendArgs, FileLanguageArgs, ReadArgs, TranslateArgs};
use crate::config_file::ConfigFile;
use crate::error::{ErrorKind, Result};
use crate::glossary::Glossary;
use crate::input::{self, Input};
use crate::memory::{Location, Memory, MemoryUse, PgLocation};
use crate::output::Format;
use crate::pipeline::{Options, Pipeline};
use crate::segment::srx::Srx;
use crate::segment::{Punctuation, Segmenter};

/// Where the glossary comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlossaryChoice {
    /// The glossary shipped with bitext.
    Bundled,
    /// These files, merged.
    Files(Vec<PathBuf>),
    /// No glossary.
    None,
}

/// Which translation memory a run uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoryChoice {
    /// The default file in the user's cache directory. `translate` keeps
    /// machine translations there for every backend but the offline
    /// dictionary (which is cheaper to run than to look up, and whose gloss
    /// is no translation to keep); with that backend it only takes reviewed
    /// translations from it, if it exists.
    Default,
    /// This file, used the same way.
    File(PathBuf),
    /// This PostgreSQL database, shared by any number of workers, used the
    /// same way.
    Postgres(Box<PgLocation>),
    /// None.
    None,
}

impl MemoryChoice {
    /// The choice for `--cache FILE|URL` (or `BITEXT_CACHE`) and
    /// `--no-cache`; a malformed `postgres://` URL is an error.
    pub fn from_args(cache: Option<&std::path::Path>, no_cache: bool) -> Result<Self> {
        Ok(match (cache, no_cache) {
            (_, true) => MemoryChoice::None,
            (Some(value), false) => match Location::parse(value)? {
                Location::File(path) => MemoryChoice::File(path),
                Location::Postgres(pg) => MemoryChoice::Postgres(pg),
            },
            (None, false) => MemoryChoice::Default,
        })
    }

    /// Where the memory lives: `--cache FILE|URL`, or the default file in
    /// the user's cache directory; `None` for `--no-cache` (or when there is
    /// no cache directory).
    pub fn location(&self) -> Option<Location> {
        match self {
            MemoryChoice::Default => Memory::default_path().map(Location::File),
            MemoryChoice::File(path) => Some(Location::File(path.clone())),
            MemoryChoice::Postgres(pg) => Some(Location::Postgres(pg.clone())),
            MemoryChoice::None => None,
        }
    }

    /// The memory a `translate` run with `backend` opens, and how it uses it:
    /// fully for every backend but the offline dictionary; for that one
    /// (whose word-by-word gloss is no translation to keep) only for
    /// reviewed translations, and only if the file exists, whether it is the
    /// default one or given with `--cache`: the dictionary creates no file
    /// and stores nothing.
    pub fn for_backend(&self, backend: &str) -> Option<(Location, MemoryUse)> {
        let location = self.location()?;
        if backend == backend::dictionary::NAME {
            let exists = match &location {
                Location::File(path) => path.exists(),
                Location::Postgres(_) => true,
            };
            return exists.then_some((location, MemoryUse::ReviewedOnly));
        }
        Some((location, MemoryUse::Full))
    }
}

/// How inputs are read and segmented.
#[derive(Debug, Clone)]
pub struct ReadConfig {
    /// The inputs, with directories expanded.
    pub inputs: Vec<Input>,
    /// The punctuation convention.
    pub punctuation: Punctuation,
    /// The forced encoding, if any.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// SRX rules that replace the built-in segmentation rules, if any.
    pub srx: Option<Srx>,
    /// The segment length limit in characters (0: none).
    pub max_chars: usize,
    /// The format every input is read in, instead of its extension's.
    pub input_format: Option<crate::markup::FormatKind>,
}

impl ReadConfig {
    /// Validate the reading arguments and expand the inputs; a directory
    /// walk passes over the folder `skip` (the output folder).
    pub fn from_args(inputs: &[PathBuf], args: &ReadArgs, skip: Option<&Path>) -> Result<Self> {
        let encoding = args
            .encoding
            .as_deref()
            .map(input::encoding_for_label)
            .transpose()?;
        Ok(ReadConfig {
            inputs: input::expand(inputs, skip)?,
            punctuation: args.punctuation,
            encoding,
            srx: args.srx.as_deref().map(Srx::from_file).transpose()?,
            max_chars: args.max_chars,
            input_format: args.input_format,
        })
    }

    /// The format `input` is read in: `--input-format`, or its extension's.
    pub fn format_of(&self, input: &Input) -> crate::markup::FormatKind {
        crate::markup::FormatKind::of_input(self.input_format, input.path())
    }

    /// The segmenter for text in language `lang` (a language tag such as
    /// `zh-CN`): the built-in rules, or the SRX rules that apply to `lang`.
    pub fn segmenter(&self, lang: &str) -> Result<Segmenter> {
        let segmenter = Segmenter::new(self.punctuation).with_max_chars(self.max_chars);
        match &self.srx {
            Some(srx) => Ok(segmenter.with_srx(srx.rules_for(lang)?)),
            None => Ok(segmenter),
        }
    }
}

/// The validated configuration of `bitext translate`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TranslateConfig {
    /// Inputs and how to read them.
    pub read: ReadConfig,
    /// The backend's name.
    pub backend: String,
    /// The glossary.
    pub glossary: GlossaryChoice,
    /// The output formats, without repeats, in the order given.
    pub formats: Vec<Format>,
    /// Pipeline options.
    pub options: Options,
    /// Print nothing but errors.
    pub quiet: bool,
    /// The translation memory.
    pub cache: MemoryChoice,
    /// How to reach the backend: the config file's `[backend.NAME]`
    /// overridden by the command line. The glossary is added by
    /// [`TranslateConfig::pipeline`].
    pub backend_settings: BackendSettings,
    /// Warnings to show the user (from the config file).
    pub warnings: Vec<String>,
    /// Plan only (`--dry-run`): the pipeline is built to send nothing and
    /// write nothing; see [`TranslateConfig::pipeline`].
    pub dry_run: bool,
}

impl TranslateConfig {
    /// Validate `bitext translate` arguments.
    pub fn from_args(args: &TranslateArgs) -> Result<Self> {
        let info = builtin(&args.backend)?;
        let glossary =
            GlossaryChoice::from_args(&args.glossary.glossaries, args.glossary.no_glossary);
        let formats = unique_formats(&args.common.writing.formats);
        let options = Options {
            source_lang: language_tag(&args.common.languages.source_lang, "--source-lang")?,
            target_lang: language_tag(&args.common.languages.target_lang, "--target-lang")?,
            output_dir: args.output.clone(),
            force: args.common.writing.force,
            skip_existing: args.skip_existing,
            encoding: None,
            concurrency: 4,
            input_format: None,
            fuzzy: args.fuzzy,
        };
        check_languages(&info, &options.source_lang, &options.target_lang)?;
        let mut read =
            ReadConfig::from_args(&args.inputs, &args.common.read, Some(&options.output_dir))?;
        if let Some(shard) = args.shard {
            // Outputs that would collide in the unsharded run are refused
            // here too, though they may fall in different shards.
            crate::output::output_bases(&read.inputs, &options.output_dir)?;
            read.inputs = shard.select(std::mem::take(&mut read.inputs));
        }
        let (backend_settings, warnings) = backend_settings(&info, &args.common.connect)?;
        check_formality(&backend_settings, &options.target_lang)?;
        Ok(TranslateConfig {
            options: Options {
                encoding: read.encoding,
                input_format: read.input_format,
                concurrency: backend_settings.concurrency,
                ..options
            },
            read,
            backend: args.backend.clone(),
            glossary,
            formats,
            quiet: args.common.writing.quiet,
            cache: MemoryChoice::from_args(args.cache.as_deref(), args.no_cache)?,
            backend_settings,
            warnings,
            dry_run: args.dry_run,
        })
    }

    /// Load the glossary and the backend, and build the pipeline.
    ///
    /// For a dry run, a backend whose key is missing gets an empty stand-in
    /// (it sends nothing, so it needs none), and the translation memory is
    /// opened for lookups only ([`Memory::open_for_reading`]): a missing one
    /// is not created, and one that needs a repair is not changed.
    pub fn pipeline(&self) -> Result<Pipeline> {
        let glossary = self
            .glossary
            .load(&self.options.source_lang, &self.options.target_lang)?;
        let mut settings = BackendSettings {
            glossary: glossary.clone().map(Arc::new),
            ..self.backend_settings.clone()
        };
        if self.dry_run
            && let Some(var) = backend::key_var(&self.backend)
            && settings.key(var).is_none()
        {
            settings.api_key = Some(ApiKey::new("", "--dry-run"));
        }
        let backend = backend::build(&self.backend, &settings)?;
        let mut pipeline = Pipeline::new(
            self.read.segmenter(&self.options.source_lang)?,
            glossary,
            backend,
            self.options.clone(),
        );
        if let Some((location, memory_use)) = self.cache.for_backend(&self.backend) {
            // A dry run only reads the memory, creates none, and repairs
            // none (a file a killed run left is read from a repaired copy);
            // nor does the dictionary create or migrate a database.
            let read_only = self.dry_run
                || (memory_use == MemoryUse::ReviewedOnly
                    && matches!(location, Location::Postgres(_)));
            let cache = if read_only {
                Memory::open_at_for_reading(&location)?
            } else {
                Some(Memory::open_at(&location)?)
            };
            if let Some(cache) = cache {
                pipeline = pipeline.with_memory(cache, memory_use);
            }
        }
        for format in &self.formats {
            pipeline = pipeline.with_writer(format.writer());
        }
        Ok(pipeline)
    }
}

/// The validated configuration of `bitext align`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AlignConfig {
    /// The Chinese text.
    pub zh: Input,
    /// Its English translation.
    pub en: Input,
    /// How the texts are read, and how the Chinese one is segmented.
    pub read: ReadConfig,
    /// Where the outputs go.
    pub output_dir: PathBuf,
    /// Overwrite existing outputs.
    pub force: bool,
    /// Print nothing but errors.
    pub quiet: bool,
    /// The output formats, without repeats, in the order given.
    pub formats: Vec<Format>,
    /// The glossary whose terms count as evidence.
    pub glossary: GlossaryChoice,
    /// A backend that translates the Chinese side as extra evidence.
    pub backend: Option<String>,
    /// How to reach that backend.
    pub backend_settings: BackendSettings,
    /// Align paragraphs first when both texts have them.
    pub paragraphs: bool,
    /// Beads scoring below this are flagged for review.
    pub min_score: f32,
    /// The source language tag.
    pub source_lang: String,
    /// The target language tag.
    pub target_lang: String,
    /// Warnings to show the user (from the config file).
    pub warnings: Vec<String>,
}

impl AlignConfig {
    /// Validate `bitext align` arguments.
    pub fn from_args(args: &AlignArgs) -> Result<Self> {
        let info = args.backend.as_deref().map(builtin).transpose()?;
        let source_lang = language_tag(&args.common.languages.source_lang, "--source-lang")?;
        let target_lang = language_tag(&args.common.languages.target_lang, "--target-lang")?;
        let (backend_settings, warnings) = match &info {
            Some(info) => {
                check_languages(info, &source_lang, &target_lang)?;
                let (settings, warnings) = backend_settings(info, &args.common.connect)?;
                check_formality(&settings, &target_lang)?;
                (settings, warnings)
            }
            None => {
                if let Some(model) = &args.common.connect.model {
                    return Err(ErrorKind::Usage(format!(
                        "--model {model}: bitext align uses a backend only with --backend; add one or drop --model"
                    ))
                    .into());
                }
                let c = &args.common.connect;
                if c.prompt.is_some()
                    || c.style.is_some()
                    || c.temperature.is_some()
                    || c.formality.is_some()
                {
                    return Err(ErrorKind::Usage(
                        "--prompt, --style, --temperature and --formality are for the backend: bitext align uses one only with --backend; add one or drop them"
                            .to_string(),
                    )
                    .into());
                }
                (BackendSettings::default(), Vec::new())
            }
        };
        if !(0.0..=1.0).contains(&args.min_score) {
            return Err(ErrorKind::Usage(format!(
                "--min-score {} is not a score; give one between 0 and 1",
                args.min_score
            ))
            .into());
        }
        let mut read =
            ReadConfig::from_args(&[args.zh.clone(), args.en.clone()], &args.common.read, None)?;
        if read.inputs.len() != 2 {
            let message = if read.inputs.iter().all(Input::is_argument) {
                // Two file arguments read once: the same file.
                format!(
                    "{} and {} are the same file; give the Chinese text and its English translation",
                    args.zh.display(),
                    args.en.display()
                )
            } else {
                "bitext align takes two text files, ZH_FILE and EN_FILE, not directories"
                    .to_string()
            };
            return Err(ErrorKind::Usage(message).into());
        }
        let en = read.inputs.pop().unwrap_or(Input::Stdin);
        let zh = read.inputs.pop().unwrap_or(Input::Stdin);
        if zh == Input::Stdin && en == Input::Stdin {
            return Err(ErrorKind::Usage(
                "only one of ZH_FILE and EN_FILE can be - (standard input)".to_string(),
            )
            .into());
        }
        let formats = unique_formats(&args.common.writing.formats);
        Ok(AlignConfig {
            zh,
            en,
            read,
            output_dir: args.output.clone(),
            force: args.common.writing.force,
            quiet: args.common.writing.quiet,
            formats,
            glossary: GlossaryChoice::from_args(
                &args.glossary.glossaries,
                args.glossary.no_glossary,
            ),
            backend: args.backend.clone(),
            backend_settings,
            paragraphs: !args.no_paragraphs,
            min_score: args.min_score,
            source_lang,
            target_lang,
            warnings,
        })
    }
}

impl AlignConfig {
    /// Build the aligner: the segmenter, the glossary, the dictionary
    /// evidence and, with `--backend`, the pipeline that translates the
    /// Chinese side as more evidence.
    pub fn aligner(&self) -> Result<Aligner> {
        let segmenter = self.read.segmenter(&self.source_lang)?;
        let glossary = self.glossary.load(&self.source_lang, &self.target_lang)?;
        let mut translator: Option<Box<dyn Translator>> = None;
        let mut backend_name = "align".to_string();
        if let Some(name) = &self.backend {
            let settings = BackendSettings {
                glossary: glossary.clone().map(Arc::new),
                ..self.backend_settings.clone()
            };
            let backend = backend::build(name, &settings)?;
            backend_name = format!("align+{name}");
            let options = Options {
                source_lang: self.source_lang.clone(),
                target_lang: self.target_lang.clone(),
                concurrency: settings.concurrency,
                ..Options::default()
            };
            translator = Some(Box::new(Pipeline::new(
                segmenter.clone(),
                glossary.clone(),
                backend,
                options,
            )));
        }
        let mut lexicon = Lexicon::load();
        if let Some(g) = glossary.clone() {
            lexicon = lexicon.with_glossary(g);
        }
        Ok(Aligner {
            zh: self.zh.clone(),
            en: self.en.clone(),
            encoding: self.read.encoding,
            segmenter,
            glossary,
            lexicon,
            translator,
            backend_name,
            options: AlignOptions {
                paragraphs: self.paragraphs,
                low_confidence: self.min_score,
                ..AlignOptions::default()
            },
            output_dir: self.output_dir.clone(),
            force: self.force,
            writers: self.formats.iter().map(|f| f.writer()).collect(),
            source_lang: self.source_lang.clone(),
            target_lang: self.target_lang.clone(),
            input_format: self.read.input_format,
        })
    }
}

/// The `--formats` given, each once, in the order given.
fn unique_formats(given: &[Format]) -> Vec<Format> {
    let mut formats = Vec::with_capacity(given.len());
    for &f in given {
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    formats
}

impl GlossaryChoice {
    /// The choice for `--glossary FILE...` and `--no-glossary`.
    pub fn from_args(files: &[PathBuf], none: bool) -> Self {
        if none {
            GlossaryChoice::None
        } else {
            GlossaryChoice::from_files(files)
        }
    }

    /// The choice for a list of `--glossary` files: the bundled glossary when
    /// there are none.
    pub fn from_files(files: &[PathBuf]) -> Self {
        if files.is_empty() {
            GlossaryChoice::Bundled
        } else {
            GlossaryChoice::Files(files.to_vec())
        }
    }

    /// Load the chosen glossary; TBX terms are taken from `source_lang` to
    /// `target_lang`. `None` when no glossary is to be used.
    pub fn load(&self, source_lang: &str, target_lang: &str) -> Result<Option<Glossary>> {
        Ok(match self {
            GlossaryChoice::Bundled => Some(Glossary::bundled()?),
            GlossaryChoice::Files(paths) => {
                Some(Glossary::load_all_with(paths, source_lang, target_lang)?)
            }
            GlossaryChoice::None => None,
        })
    }
}

/// The built-in backend `name`, or the error that names none.
pub(crate) fn builtin(name: &str) -> Result<BackendInfo> {
    backend::builtin(name).ok_or_else(|| {
        ErrorKind::UnknownBackend {
            name: name.to_string(),
        }
        .into()
    })
}

/// Refuse a language pair the backend cannot translate, naming the
/// backends that can.
pub(crate) fn check_languages(
    info: &BackendInfo,
    source_lang: &str,
    target_lang: &str,
) -> Result<()> {
    let languages = info.capabilities.languages;
    if languages.translates(source_lang, target_lang) {
        return Ok(());
    }
    let Languages::Only { source, target } = languages else {
        return Ok(());
    };
    let (option, tag, direction) = if languages.reads(source_lang) {
        ("--target-lang", target_lang, "into")
    } else {
        ("--source-lang", source_lang, "from")
    };
    let others: Vec<&str> = backend::builtins()
        .into_iter()
        .filter(|b| {
            b.capabilities
                .languages
                .translates(source_lang, target_lang)
        })
        .map(|b| b.name)
        .collect();
    let language = crate::text::primary_subtag(tag);
    let hint = if others.is_empty() {
        "no built-in backend does; use --backend command with your own program".to_string()
    } else {
        format!(
            "pick a backend that translates {direction} {language} ({})",
            others.join(", ")
        )
    };
    Err(ErrorKind::Usage(format!(
        "{option} {tag}: the {} backend translates {} into {} only; {hint}",
        info.name,
        source.join(", "),
        target.join(", "),
    ))
    .into())
}

/// The settings of the backend `info`: defaults, then `[backend.NAME]` of
/// the config file (`--config`, or `bitext.toml` here), then the flags.
/// Settings the backend has no use for are refused: `--model` for a backend
/// without models.
pub(crate) fn backend_settings(
    info: &BackendInfo,
    args: &BackendArgs,
) -> Result<(BackendSettings, Vec<String>)> {
    let name = info.name;
    let mut settings = BackendSettings::default();
    let mut warnings = Vec::new();
    if let Some(file) = ConfigFile::discover(args.config.as_deref())? {
        file.apply(name, &mut settings)?;
        warnings = file.warnings;
    }
    if let Some(v) = &args.base_url {
        settings.base_url = Some(v.clone());
    }
    if let Some(v) = &args.model {
        if !info.capabilities.models {
            return Err(ErrorKind::Usage(format!(
                "--model {v}: the {name} backend has no model to choose; drop --model ({} take one)",
                backend::model_backends()
            ))
            .into());
        }
        settings.model = Some(v.clone());
    }
    if let Some(v) = &args.command {
        settings.command = Some(backend::command::split_command_line(v)?);
    }
    if let Some(v) = args.concurrency {
        settings.concurrency = v as usize;
    }
    if let Some(v) = args.rpm {
        settings.requests_per_minute = Some(v);
    }
    if let Some(v) = args.timeout {
        settings.timeout = Duration::from_secs(v);
    }
    if args.allow_http {
        settings.allow_http = true;
    }
    model_controls(info, args, &mut settings)?;
    Ok((settings, warnings))
}

/// Apply `--prompt`, `--style`, `--temperature` and `--formality`, refusing
/// each for a backend that cannot take it.
fn model_controls(
    info: &BackendInfo,
    args: &BackendArgs,
    settings: &mut BackendSettings,
) -> Result<()> {
    let caps = info.capabilities;
    let refuse = |flag: &str, why: &str, test: fn(&backend::Capabilities) -> bool| -> Result<()> {
        let others = backend::backends_that(test);
        let take = if others.contains(' ') {
            "take"
        } else {
            "takes"
        };
        Err(ErrorKind::Usage(format!(
            "{flag}: the {} backend {why}; drop {flag} ({others} {take} it)",
            info.name
        ))
        .into())
    };
    if let Some(path) = &args.prompt {
        if !caps.prompt {
            refuse("--prompt", "takes no prompt", |c| c.prompt)?;
        }
        settings.prompt.template = Some(backend::PromptTemplate::load(path)?);
    }
    if let Some(path) = &args.style {
        if !caps.prompt {
            refuse("--style", "takes no style guide", |c| c.prompt)?;
        }
        settings.prompt.style = Some(backend::StyleGuide::load(path)?);
    }
    if let Some(t) = args.temperature {
        if !caps.temperature {
            refuse("--temperature", "has no temperature", |c| c.temperature)?;
        }
        if !(0.0..=2.0).contains(&t) {
            return Err(ErrorKind::Usage(format!(
                "--temperature {t}: give one from 0 (the most likely words) to 2"
            ))
            .into());
        }
        settings.temperature = Some(t);
    }
    if let Some(f) = args.formality {
        if !caps.formality {
            refuse("--formality", "cannot set formality", |c| c.formality)?;
        }
        settings.formality = Some(f);
    }
    Ok(())
}

/// Refuse a formality the target language cannot have: DeepL fails every
/// request with `more` or `less` into a language without formality, so say
/// so before sending any.
pub(crate) fn check_formality(settings: &BackendSettings, target_lang: &str) -> Result<()> {
    match settings.formality {
        Some(f @ (Formality::More | Formality::Less))
            if !backend::deepl::has_formality(target_lang) =>
        {
            Err(ErrorKind::Usage(format!(
                "--formality {}: DeepL sets formality only for {} targets, not {target_lang}; \
                 use prefer-{} (applied where the language has it) or drop --formality",
                f.name(),
                backend::deepl::FORMALITY_LANGUAGES.join(", "),
                f.name()
            ))
            .into())
        }
        _ => Ok(()),
    }
}

/// `--source-lang` and `--target-lang` of `qa` and `import`, checked
/// ([`language_tag`]); `None` where not given.
pub fn file_languages(args: &FileLanguageArgs) -> Result<(Option<String>, Option<String>)> {
    let flag = |tag: &Option<String>, option: &str| {
        tag.as_deref().map(|t| language_tag(t, option)).transpose()
    };
    Ok((
        flag(&args.source_lang, "--source-lang")?,
        flag(&args.target_lang, "--target-lang")?,
    ))
}

/// Check a BCP 47 language tag and write it hyphenated: `zh_CN` becomes
/// `zh-CN` (OmegaT imports nothing from a TMX tagged `zh_CN`).
pub fn language_tag(tag: &str, option: &str) -> Result<String> {
    let tag = tag.trim().replace('_', "-");
    let valid = !tag.is_empty()
        && tag.split('-').enumerate().all(|(i, part)| {
            let len_ok = if i == 0 {
                (2..=3).contains(&part.len())
            } else {
                (1..=8).contains(&part.len())
            };
            len_ok && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if valid {
        Ok(tag)
    } else {
        Err(ErrorKind::Usage(format!(
            "{option} '{tag}' is not a language tag; write one like zh-CN or en-US"
        ))
        .into())
    }
}
