//! Validated configuration, built from the command-line arguments; it builds
//! the pipeline.

use std::path::PathBuf;

use crate::backend;
use crate::cli::{ReadArgs, TranslateArgs};
use crate::error::{ErrorKind, Result};
use crate::glossary::Glossary;
use crate::input::{self, Input};
use crate::output::Format;
use crate::pipeline::{Options, Pipeline};
use crate::segment::{Punctuation, Segmenter};
use crate::srx::Srx;

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
}

impl ReadConfig {
    /// Validate the reading arguments and expand the inputs.
    pub fn from_args(inputs: &[PathBuf], args: &ReadArgs) -> Result<Self> {
        let encoding = args
            .encoding
            .as_deref()
            .map(input::encoding_for_label)
            .transpose()?;
        Ok(ReadConfig {
            inputs: input::expand(inputs)?,
            punctuation: args.punctuation,
            encoding,
            srx: args.srx.as_deref().map(Srx::from_file).transpose()?,
        })
    }

    /// The segmenter for text in language `lang` (a language tag such as
    /// `zh-CN`): the built-in rules, or the SRX rules that apply to `lang`.
    pub fn segmenter(&self, lang: &str) -> Result<Segmenter> {
        let segmenter = Segmenter::new(self.punctuation);
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
}

impl TranslateConfig {
    /// Validate `bitext translate` arguments.
    pub fn from_args(args: &TranslateArgs) -> Result<Self> {
        if !backend::builtins().iter().any(|b| b.name == args.backend) {
            return Err(ErrorKind::UnknownBackend {
                name: args.backend.clone(),
            }
            .into());
        }
        let glossary = if args.no_glossary {
            GlossaryChoice::None
        } else if args.glossaries.is_empty() {
            GlossaryChoice::Bundled
        } else {
            GlossaryChoice::Files(args.glossaries.clone())
        };
        let mut formats = Vec::new();
        for &f in &args.formats {
            if !formats.contains(&f) {
                formats.push(f);
            }
        }
        let options = Options {
            source_lang: language_tag(&args.source_lang, "--source-lang")?,
            target_lang: language_tag(&args.target_lang, "--target-lang")?,
            output_dir: args.output.clone(),
            force: args.force,
            encoding: None,
        };
        let read = ReadConfig::from_args(&args.inputs, &args.read)?;
        Ok(TranslateConfig {
            options: Options {
                encoding: read.encoding,
                ..options
            },
            read,
            backend: args.backend.clone(),
            glossary,
            formats,
            quiet: args.quiet,
        })
    }

    /// Load the glossary and the backend, and build the pipeline.
    pub fn pipeline(&self) -> Result<Pipeline> {
        let glossary = match &self.glossary {
            GlossaryChoice::Bundled => Some(Glossary::bundled()?),
            GlossaryChoice::Files(paths) => Some(Glossary::load_all(paths)?),
            GlossaryChoice::None => None,
        };
        let backend = backend::build(&self.backend)?;
        let mut pipeline = Pipeline::new(
            self.read.segmenter(&self.options.source_lang)?,
            glossary,
            backend,
            self.options.clone(),
        );
        for format in &self.formats {
            pipeline = pipeline.with_writer(format.writer());
        }
        Ok(pipeline)
    }
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
