//! `bitext align` end to end: read both texts, segment, align, write.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{AlignOptions, EnglishSplitter, Lexicon, align, units};
use crate::backend::{self, BackendSettings};
use crate::config::AlignConfig;
use crate::document::FlagKind;
use crate::error::{Error, ErrorKind, Result};
use crate::input;
use crate::output::{
    AtomicFile, GlossaryInfo, WriteContext, output_bases, output_path, write_document,
};
use crate::pipeline::{Options, Pipeline};

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

/// Align the two texts of `config` and write the outputs. Nothing is
/// written unless both texts can be read and every output can be.
pub async fn run(config: &AlignConfig) -> Result<AlignReport> {
    let start = Instant::now();
    let dir = &config.output_dir;
    if dir.exists() && !dir.is_dir() {
        return Err(ErrorKind::OutputNotDir { path: dir.clone() }.into());
    }
    let base = output_bases(std::slice::from_ref(&config.zh), dir)?
        .pop()
        .unwrap_or_else(|| dir.join("output"));
    let paths: Vec<PathBuf> = config
        .formats
        .iter()
        .map(|f| output_path(&base, f.writer().extension()))
        .collect();
    if !config.force
        && let Some(path) = paths.iter().find(|p| p.exists())
    {
        return Err(ErrorKind::OutputExists { path: path.clone() }.into());
    }
    let zh_text = input::read(&config.zh, config.read.encoding)?;
    let en_text = input::read(&config.en, config.read.encoding)?;
    let segmenter = config.read.segmenter(&config.source_lang)?;
    let zh = segmenter.document(&config.zh.display(), zh_text.encoding, &zh_text.text);
    let en = EnglishSplitter.document(&config.en.display(), en_text.encoding, &en_text.text);
    let glossary = config
        .glossary
        .load(&config.source_lang, &config.target_lang)?;
    let mut options = AlignOptions {
        paragraphs: config.paragraphs,
        low_confidence: config.min_score,
        ..AlignOptions::default()
    };
    let mut backend_name = "align".to_string();
    if let Some(name) = &config.backend {
        let settings = BackendSettings {
            glossary: glossary.clone().map(Arc::new),
            ..config.backend_settings.clone()
        };
        let backend = backend::build(name, &settings)?;
        backend_name = format!("align+{name}");
        let pipeline_options = Options {
            source_lang: config.source_lang.clone(),
            target_lang: config.target_lang.clone(),
            concurrency: settings.concurrency,
            ..Options::default()
        };
        let pipeline = Pipeline::new(segmenter, glossary.clone(), backend, pipeline_options);
        let translated = pipeline.translate(&zh).await?;
        options.translations = Some(translated.into_iter().map(|u| u.target).collect());
    }
    let mut lexicon = Lexicon::load();
    if let Some(g) = glossary.clone() {
        lexicon = lexicon.with_glossary(g);
    }
    let beads = align(&zh, &en, &lexicon, &options);
    let units = units(&zh, &en, &beads, options.low_confidence, &backend_name);

    std::fs::create_dir_all(dir).map_err(|source| ErrorKind::OutputDir {
        path: dir.clone(),
        source,
    })?;
    let mut ctx = WriteContext::new(
        &config.zh.display(),
        &config.source_lang,
        &config.target_lang,
        &backend_name,
    );
    ctx.glossary = glossary.as_ref().map(|g| GlossaryInfo {
        names: g.names().to_vec(),
        entries: g.len(),
        id: g.id(),
    });
    let mut files = Vec::new();
    for (format, path) in config.formats.iter().zip(&paths) {
        let mut file = AtomicFile::create(path)?;
        write_document(format.writer().as_ref(), &ctx, &units, None, &mut file)
            .map_err(|e| Error::write(path, e))?;
        files.push(file);
    }
    let outputs = files
        .into_iter()
        .map(AtomicFile::commit)
        .collect::<Result<Vec<_>>>()?;
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
