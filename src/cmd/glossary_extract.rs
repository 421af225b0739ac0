//! `bitext glossary extract`: propose glossary terms found in Chinese texts.

use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use crate::backend::dictionary::{self, Dictionary, gloss::Glosser};
use crate::backend::{self, TranslateContext};
use crate::cli::{ExportFormat, GlossaryExtractArgs};
use crate::config::{
    GlossaryChoice, ReadConfig, backend_settings, builtin, check_languages, language_tag,
};
use crate::error::{Error, Result};
use crate::glossary::extract::{
    self, Corpus, ExtractOptions, Format, TargetOrigin, mark_known, propose_with_backend,
    read_aligned, render_from_aligned,
};
use crate::output::AtomicFile;

/// Run `bitext glossary extract`: everything is read, ranked and translated
/// before anything is written.
pub(super) async fn run(args: &GlossaryExtractArgs) -> Result<i32> {
    let start = Instant::now();
    let source_lang = language_tag(&args.source_lang, "--source-lang")?;
    let target_lang = language_tag(&args.target_lang, "--target-lang")?;
    let info = builtin(&args.backend)?;
    check_languages(&info, &source_lang, &target_lang)?;
    let (settings, warnings) = backend_settings(&info, &args.connect)?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let read = ReadConfig::from_args(&args.inputs, &args.read, None)?;
    let segmenter = read.segmenter(&source_lang)?;
    let known = GlossaryChoice::from_args(&args.glossary.glossaries, args.glossary.no_glossary)
        .load(&source_lang, &target_lang)?;
    let mut pairs = Vec::new();
    for path in &args.aligned {
        pairs.extend(read_aligned(path, &source_lang, &target_lang)?);
    }
    // Open the output first, so that a bad path fails before the work.
    let mut file = args.output.as_deref().map(AtomicFile::create).transpose()?;

    let dictionary = (args.backend == dictionary::NAME).then(Dictionary::load);
    let loaded;
    let glosser = match &dictionary {
        Some(d) => d.glosser(),
        None => {
            loaded = Glosser::load();
            &loaded
        }
    };
    let mut corpus = Corpus::new();
    for input in &read.inputs {
        let format = read.format_of(input);
        corpus.read(input, read.encoding, format, &segmenter, glosser.jieba())?;
    }
    let options = ExtractOptions::new(args.top as usize, args.min_freq);
    let mut candidates = extract::extract(&corpus, glosser, &options);
    let from_aligned = render_from_aligned(&mut candidates, &pairs);
    let mut machine = 0;
    if candidates.iter().any(|c| c.target.is_none()) {
        let ctx = TranslateContext::new(&source_lang, &target_lang, "glossary extract");
        machine = match &dictionary {
            Some(d) => propose_with_backend(&mut candidates, d, &ctx).await?,
            None => {
                let backend = backend::build(&args.backend, &settings)?;
                propose_with_backend(&mut candidates, backend.as_ref(), &ctx).await?
            }
        };
    }
    if let Some(glossary) = &known {
        mark_known(&mut candidates, glossary);
    }

    let format = match args.format {
        ExportFormat::Tsv => Format::Tsv,
        ExportFormat::Tbx => Format::Tbx,
    };
    let stdout = Path::new("-");
    match (&mut file, &args.output) {
        (Some(out), Some(path)) => {
            extract::write(&candidates, format, &source_lang, &target_lang, out)
                .map_err(|e| Error::write(path, e))?;
        }
        _ => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            extract::write(&candidates, format, &source_lang, &target_lang, &mut out)
                .and_then(|()| out.flush())
                .map_err(|e| Error::write(stdout, e))?;
        }
    }
    if let Some(file) = file {
        file.commit()?;
    }
    if !args.quiet {
        let written = candidates.iter().filter(|c| c.target.is_some()).count();
        let known_count = candidates.iter().filter(|c| c.known.is_some()).count();
        let backend_name = candidates
            .iter()
            .find_map(|c| match c.target.as_ref().map(|t| &t.origin) {
                Some(TargetOrigin::Machine { backend }) => Some(backend.as_str()),
                _ => None,
            })
            .unwrap_or(&args.backend);
        let files = read.inputs.len();
        eprintln!(
            "Extracted {} terms from {files} file{} ({} Han characters, {} clauses) in {:.2} s",
            candidates.len(),
            if files == 1 { "" } else { "s" },
            super::thousands(corpus.han_chars()),
            super::thousands(corpus.clauses()),
            start.elapsed().as_secs_f64()
        );
        eprintln!(
            "  targets: {from_aligned} from aligned text ({} pairs), {machine} machine proposals ({backend_name}), {} none (left out)",
            super::thousands(pairs.len()),
            candidates.len() - written
        );
        if let Some(glossary) = &known {
            eprintln!(
                "  already in {}: {known_count} (marked in the note)",
                glossary.names().join(", ")
            );
        }
        if let Some(path) = &args.output {
            eprintln!("  {written} entries → {}", path.display());
        }
    }
    Ok(0)
}
