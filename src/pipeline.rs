//! The pipeline: read → segment → glossary → translate → check → write.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};

use crate::backend::{Backend, SegmentRequest, TranslateContext};
use crate::check;
use crate::document::{Document, Flag, FlagKind, Origin, Paragraph, Unit};
use crate::error::{Error, ErrorKind, Result};
use crate::glossary::{Glossary, TermReport};
use crate::input::{self, Input, TextSource};
use crate::markup::{FormatKind, Skeleton, codes};
use crate::memory::{FuzzyLookup, Memory, MemoryUse};
use crate::output::{
    AtomicFile, GlossaryInfo, OutputName, Summary, WriteContext, Writer, check_output_dir,
    commit_files, create_files, output_bases, output_paths,
};
use crate::progress::{Progress, Silent};
use crate::segment::{Position, Segmenter};
use crate::translate::{Plan, Slots, TranslateStage};

/// Settings of a pipeline that are not plug-ins.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The source language tag.
    pub source_lang: String,
    /// The target language tag.
    pub target_lang: String,
    /// Where outputs go.
    pub output_dir: PathBuf,
    /// Overwrite existing outputs.
    pub force: bool,
    /// Skip the inputs whose outputs all exist.
    pub skip_existing: bool,
    /// Decode inputs with this encoding instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// How many batches may be in flight at once.
    pub concurrency: usize,
    /// Read every input in this format instead of the one its extension
    /// says.
    pub input_format: Option<FormatKind>,
    /// Show fuzzy matches from the translation memory scoring at least
    /// this many percent, and give the reviewed ones to the backend as
    /// examples; 0 looks none up.
    pub fuzzy: u8,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            source_lang: "zh-CN".to_string(),
            target_lang: "en-US".to_string(),
            output_dir: PathBuf::from("output"),
            force: false,
            skip_existing: false,
            encoding: None,
            concurrency: 4,
            input_format: None,
            fuzzy: crate::memory::fuzzy::DEFAULT_THRESHOLD,
        }
    }
}

/// A configured pipeline. Build it from a [`crate::config::TranslateConfig`],
/// or assemble it by hand (tests inject backends and writers with
/// [`Pipeline::with_backend`] and [`Pipeline::with_writer`]).
pub struct Pipeline {
    progress: Arc<dyn Progress>,
    requests: AtomicUsize,
    /// The request slots (`concurrency` of them) every input's batches
    /// share.
    slots: Arc<Slots>,
    cache: Option<Arc<Memory>>,
    memory_use: MemoryUse,
    /// Fuzzy matching, with the memory's index once it is built.
    fuzzy: FuzzyLookup,
    segmenter: Segmenter,
    glossary: Glossary,
    use_glossary: bool,
    backend: Box<dyn Backend>,
    writers: Vec<Box<dyn Writer>>,
    options: Options,
}

/// What a run did with one input.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileReport {
    /// The input, as named on the command line.
    pub input: String,
    /// The files written.
    pub outputs: Vec<PathBuf>,
    /// The number of paragraphs.
    pub paragraphs: usize,
    /// The number of segments.
    pub segments: usize,
    /// What happened to each glossary term.
    pub terms: TermReport,
    /// Flag counts by kind.
    pub flags: BTreeMap<FlagKind, usize>,
    /// Segments left without a translation: flagged `untranslated` (the
    /// backend gave none, or Han characters are left in it, as when the
    /// source is passed through) or `empty`.
    pub untranslated: usize,
    /// Segments taken from the translation memory (machine or reviewed).
    pub from_memory: usize,
    /// Segments whose translation a person reviewed (taken from the memory).
    pub reviewed: usize,
}

/// What a whole run did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Report {
    /// The inputs that were translated and written.
    pub files: Vec<FileReport>,
    /// The inputs that failed, with why. Nothing was written for them.
    pub failures: Vec<Error>,
    /// The inputs skipped because their outputs all exist
    /// ([`Options::skip_existing`]), as named on the command line.
    pub skipped: Vec<String>,
    /// The inputs not attempted because a fatal backend error (a rejected
    /// key, a program that does not work) stopped the run.
    pub not_run: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Requests sent to the backend: the batches, their retries and
    /// repairs, and requests the backend made of its own accord (DeepL's
    /// glossary set-up).
    pub requests: usize,
}

/// An input translated into its writers' temporary files, not yet moved
/// into place.
struct Translated {
    files: Vec<AtomicFile>,
    report: FileReport,
}

/// What translating one input would take: [`Pipeline::plan`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FilePlan {
    /// The input, as named on the command line.
    pub input: String,
    /// Its segments, those in the translation memory, and the batches for
    /// the rest, over all its chunks.
    pub plan: Plan,
}

/// What a run would send, found without sending or writing anything:
/// [`Pipeline::plan`].
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct PlanReport {
    /// The inputs that could be read and segmented.
    pub files: Vec<FilePlan>,
    /// The inputs that could not, with why.
    pub failures: Vec<Error>,
}

impl Report {
    /// The exit code: 2 when an input failed, 1 when a segment is left
    /// without translation, 0 otherwise.
    pub fn exit_code(&self) -> i32 {
        if !self.failures.is_empty() {
            2
        } else if self.files.iter().any(|f| f.untranslated > 0) {
            1
        } else {
            0
        }
    }
}

impl Pipeline {
    /// A pipeline with the given stages and no writer.
    pub fn new(
        segmenter: Segmenter,
        glossary: Option<Glossary>,
        backend: Box<dyn Backend>,
        options: Options,
    ) -> Self {
        Pipeline {
            progress: Arc::new(Silent),
            requests: AtomicUsize::new(0),
            slots: Arc::new(Slots::new(options.concurrency)),
            cache: None,
            memory_use: MemoryUse::Full,
            fuzzy: FuzzyLookup::new(options.fuzzy),
            segmenter,
            use_glossary: glossary.is_some(),
            glossary: glossary.unwrap_or_default(),
            backend,
            writers: Vec::new(),
            options,
        }
    }

    /// Replace the backend.
    pub fn with_backend(mut self, backend: Box<dyn Backend>) -> Self {
        self.backend = backend;
        self
    }

    /// Report progress to `progress`.
    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// Use a translation memory: look up machine and reviewed translations,
    /// and store machine ones.
    pub fn with_cache(mut self, cache: Memory) -> Self {
        self.cache = Some(Arc::new(cache));
        self.memory_use = MemoryUse::Full;
        self
    }

    /// Use a translation memory the way `memory_use` says.
    pub fn with_memory(mut self, cache: Memory, memory_use: MemoryUse) -> Self {
        self.cache = Some(Arc::new(cache));
        self.memory_use = memory_use;
        self
    }

    /// The translation memory in use, if any.
    pub fn cache(&self) -> Option<&Memory> {
        self.cache.as_deref()
    }

    /// Whether the run stores its machine translations in the memory (and so
    /// can resume where it stopped).
    pub fn stores_translations(&self) -> bool {
        self.cache.is_some() && self.memory_use == MemoryUse::Full
    }

    /// The backend.
    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    /// Add a writer.
    pub fn with_writer(mut self, writer: Box<dyn Writer>) -> Self {
        self.writers.push(writer);
        self
    }

    /// The glossary in use (empty when the run uses none).
    pub fn glossary(&self) -> &Glossary {
        &self.glossary
    }

    /// Read, decode and segment one whole input (in memory; [`Pipeline::run`]
    /// streams instead).
    pub fn segment(&self, input: &Input) -> Result<Document> {
        let format = self.format_of(input);
        input::document(input, self.options.encoding, format, &self.segmenter)
    }

    /// The format `input` is read in: `--input-format`, or its extension's.
    pub fn format_of(&self, input: &Input) -> FormatKind {
        FormatKind::of_input(self.options.input_format, input.path())
    }

    /// The paragraphs of `input`, chunk by chunk: read whole, with its
    /// skeleton, when its format has structure or a writer rebuilds the
    /// document, else streamed.
    fn open(&self, input: &Input) -> Result<(Paragraphs, Option<Arc<Skeleton>>)> {
        let format = self.format_of(input);
        if format == FormatKind::Text && !self.writers.iter().any(|w| w.needs_source()) {
            let source = TextSource::open(input, self.options.encoding)?;
            return Ok((Paragraphs::Stream(source, Position::default()), None));
        }
        let decoded = input::read(input, self.options.encoding)?;
        let skeleton = Arc::new(Skeleton::parse(format, decoded.text));
        let paragraphs = skeleton.paragraphs(&self.segmenter);
        Ok((Paragraphs::Whole(Some(paragraphs)), Some(skeleton)))
    }

    /// Annotate, translate and check a segmented document: one [`Unit`] per
    /// segment, in order, each aligned to its source by id.
    pub async fn translate(&self, doc: &Document) -> Result<Vec<Unit>> {
        self.translate_paragraphs(&doc.source, &doc.paragraphs)
            .await
    }

    /// Annotate, translate and check some paragraphs of the input `source`.
    pub async fn translate_paragraphs(
        &self,
        source: &str,
        paragraphs: &[Paragraph],
    ) -> Result<Vec<Unit>> {
        let ctx =
            TranslateContext::new(&self.options.source_lang, &self.options.target_lang, source);
        let segments = || {
            paragraphs
                .iter()
                .flat_map(|p| p.segments.iter().map(move |s| (p, s)))
        };
        let requests = self.requests(paragraphs);
        let stage = self.stage();
        let result = stage.run(&ctx, &requests).await;
        self.requests.fetch_add(stage.requests(), Ordering::Relaxed);
        let mut translations = result?;
        let mut units = Vec::with_capacity(requests.len());
        for ((paragraph, segment), request) in segments().zip(requests) {
            let translation = translations.remove(&segment.id);
            let repaired = translation.as_ref().is_some_and(|t| t.repaired);
            let origin = translation.as_ref().map_or(Origin::Machine, |t| t.origin);
            let (reply, matches) = translation.map_or((None, Vec::new()), |t| (t.text, t.matches));
            let translated = reply.is_some();
            let mut unit = Unit {
                id: segment.id,
                paragraph: segment.paragraph,
                index: segment.index,
                line: segment.line,
                codes: codes::codes_in(&request.text, &paragraph.codes),
                source: request.text,
                target: reply.map(|t| t.trim().to_string()).unwrap_or_default(),
                // A reviewed translation is a person's, not the backend's.
                backend: if origin == Origin::Reviewed {
                    crate::document::REVIEW_BACKEND.to_string()
                } else {
                    self.backend.name().to_string()
                },
                model: if origin == Origin::Reviewed {
                    None
                } else {
                    self.backend.model().map(str::to_string)
                },
                origin,
                terms: request.terms,
                repaired,
                flags: Vec::new(),
                bead: None,
                // Only what the memory had no exact translation of has any.
                matches,
            };
            let codes_repaired = !unit.codes.is_empty() && !unit.target.is_empty() && {
                let fixed = codes::repair(&unit.source, &unit.target);
                unit.target = codes::tidy(&fixed.text);
                fixed.changed
            };
            check::check(&mut unit, &self.glossary, translated);
            if codes_repaired {
                unit.flags.push(Flag {
                    kind: FlagKind::TagMismatch,
                    detail: "inline codes lost, repeated or misnested; put back".to_string(),
                });
            }
            unit.flags
                .extend(self.segmenter.long_segment_flag(&segment.text));
            units.push(unit);
        }
        Ok(units)
    }

    /// Work out what [`Pipeline::run`] would send for `inputs`, without
    /// sending a request or writing a file: each input is read and segmented
    /// chunk by chunk as a run reads it, its segments are looked up in the
    /// translation memory, and the rest are batched as the translate stage
    /// would ([`TranslateStage::plan`]). An input that cannot be read is
    /// reported and skipped.
    pub fn plan(&self, inputs: &[Input]) -> PlanReport {
        let mut report = PlanReport::default();
        for input in inputs {
            match self.plan_one(input) {
                Ok(plan) => report.files.push(FilePlan {
                    input: input.display(),
                    plan,
                }),
                Err(e) => report.failures.push(e),
            }
        }
        report
    }

    fn plan_one(&self, input: &Input) -> Result<Plan> {
        let (mut source, _) = self.open(input)?;
        let ctx = TranslateContext::new(
            &self.options.source_lang,
            &self.options.target_lang,
            &input.display(),
        );
        let stage = self.stage();
        let mut plan = Plan::default();
        let mut count = 0;
        while let Some(paragraphs) = source.next(&self.segmenter)? {
            count += paragraphs.len();
            if !paragraphs.is_empty() {
                plan.add(stage.plan(&ctx, &self.requests(&paragraphs))?);
            }
        }
        if count == 0 {
            return Err(ErrorKind::EmptyInput {
                path: input.path().to_path_buf(),
            }
            .into());
        }
        Ok(plan)
    }

    /// The translate stage of this pipeline.
    fn stage(&self) -> TranslateStage<'_> {
        TranslateStage::new(
            self.backend.as_ref(),
            &self.glossary,
            self.options.concurrency,
        )
        .with_slots(self.slots.clone())
        .with_cache(self.cache.clone())
        .with_memory_use(self.memory_use)
        .with_fuzzy(&self.fuzzy)
        .with_progress(self.progress.as_ref())
    }

    /// The segments of `paragraphs` as the translate stage takes them, with
    /// their glossary terms.
    fn requests(&self, paragraphs: &[Paragraph]) -> Vec<SegmentRequest> {
        paragraphs
            .iter()
            .flat_map(|p| &p.segments)
            .map(|s| SegmentRequest {
                id: s.id,
                text: s.content().to_string(),
                markup: false,
                terms: self.glossary.annotate(s.content()),
                examples: Vec::new(),
            })
            .collect()
    }

    /// Translate every input and write its outputs. An input that fails is
    /// reported and skipped; the others still run, unless the failure is a
    /// fatal backend error (a rejected key), which stops the run. Outputs
    /// are named by [`crate::output::output_bases`]. Existing outputs are an
    /// error before anything is translated, unless `force` is set; with
    /// `skip_existing`, inputs whose outputs all exist are skipped.
    pub async fn run(&self, inputs: &[Input]) -> Result<Report> {
        let start = Instant::now();
        let dir = &self.options.output_dir;
        check_output_dir(dir)?;
        let mut report = Report::default();
        let mut todo = Vec::with_capacity(inputs.len());
        for (input, base) in inputs.iter().zip(output_bases(inputs, dir)?) {
            let name = self.output_name(input);
            let paths = output_paths(&base, &self.writers, &name);
            let existing = paths.iter().find(|p| p.exists());
            if self.options.skip_existing && !paths.is_empty() && paths.iter().all(|p| p.exists()) {
                report.skipped.push(input.display());
                continue;
            }
            if !self.options.force
                && let Some(path) = existing
            {
                return Err(ErrorKind::BatchOutputExists {
                    path: path.clone(),
                    input: self.options.skip_existing.then(|| input.display()),
                }
                .into());
            }
            todo.push((input, paths));
        }
        std::fs::create_dir_all(dir).map_err(|source| ErrorKind::OutputDir {
            path: dir.clone(),
            source,
        })?;
        // Temporary files a killed run left for these outputs.
        let outputs: Vec<PathBuf> = todo.iter().flat_map(|(_, p)| p.iter().cloned()).collect();
        AtomicFile::remove_stale(&outputs);
        // The next inputs are translated while the earlier ones' last batches
        // are in flight (the request slots are shared: `self.slots`), but
        // each input's outputs are moved into place whole and in input
        // order; at most `window` inputs are open at once.
        let count = todo.len();
        let window = 2 * self.options.concurrency.max(1);
        let mut todo = todo.into_iter().enumerate();
        let mut open = FuturesUnordered::new();
        let mut ready: BTreeMap<usize, Result<Translated>> = BTreeMap::new();
        let mut next = 0;
        'run: while next < count {
            while let Some(result) = ready.remove(&next) {
                next += 1;
                match result.and_then(|t| self.commit(t)) {
                    Ok(file) => report.files.push(file),
                    Err(e) => {
                        let fatal = matches!(e.kind(), ErrorKind::BackendFatal { .. });
                        report.failures.push(e);
                        if fatal {
                            // Dropping what is open cancels its requests and
                            // removes its temporary files.
                            report.not_run = count - next;
                            break 'run;
                        }
                    }
                }
            }
            // One input at a time until the backend has answered.
            let window = if self.slots.is_open() { window } else { 1 };
            while open.len() + ready.len() < window
                && let Some((n, (input, paths))) = todo.next()
            {
                open.push(async move { (n, self.run_one(input, paths).await) });
            }
            let opening = async {
                if window == 1 {
                    self.slots.opened().await
                } else {
                    std::future::pending().await
                }
            };
            tokio::select! {
                next = open.next() => match next {
                    Some((n, result)) => {
                        ready.insert(n, result);
                    }
                    None => break,
                },
                () = opening => {}
            }
        }
        report.elapsed = start.elapsed();
        report.requests = self.requests.load(Ordering::Relaxed) + self.backend.setup_requests();
        Ok(report)
    }

    /// Move a translated input's files into place.
    fn commit(&self, translated: Translated) -> Result<FileReport> {
        let Translated { files, mut report } = translated;
        report.outputs = commit_files(files)?;
        self.progress.finished(&report.input, report.segments);
        Ok(report)
    }

    /// Translate one input chunk by chunk, streaming the units into every
    /// writer's temporary file; [`Pipeline::commit`] moves the files into
    /// place once all are complete.
    async fn run_one(&self, input: &Input, paths: Vec<PathBuf>) -> Result<Translated> {
        let (mut source, skeleton) = self.open(input)?;
        let mut ctx = self.write_context(input);
        ctx.skeleton = skeleton;
        let mut files = create_files(&paths)?;
        let paths: Vec<PathBuf> = files.iter().map(|f| f.path().to_path_buf()).collect();
        let write_error = |i: usize| {
            let path = paths[i].clone();
            move |e| Error::write(&path, e)
        };
        let mut summary = Summary::default();
        let mut terms = TermReport::default();
        let mut untranslated = 0;
        let mut from_memory = 0;
        let mut reviewed = 0;
        {
            let mut documents = Vec::with_capacity(files.len());
            for (i, (writer, file)) in self.writers.iter().zip(files.iter_mut()).enumerate() {
                documents.push(writer.start(&ctx, file).map_err(write_error(i))?);
            }
            let mut count = 0;
            while let Some(paragraphs) = source.next(&self.segmenter)? {
                count += paragraphs.len();
                if paragraphs.is_empty() {
                    continue;
                }
                self.progress.found(
                    &input.display(),
                    paragraphs.iter().map(|p| p.segments.len()).sum(),
                );
                let units = self
                    .translate_paragraphs(&input.display(), &paragraphs)
                    .await?;
                summary.add(&units);
                terms.add(&self.glossary, &units);
                untranslated += units
                    .iter()
                    .filter(|u| {
                        u.flags
                            .iter()
                            .any(|f| matches!(f.kind, FlagKind::Untranslated | FlagKind::Empty))
                    })
                    .count();
                from_memory += units.iter().filter(|u| u.origin != Origin::Machine).count();
                reviewed += units
                    .iter()
                    .filter(|u| u.origin == Origin::Reviewed)
                    .count();
                for (i, document) in documents.iter_mut().enumerate() {
                    document.units(&units).map_err(write_error(i))?;
                }
            }
            if count == 0 {
                return Err(ErrorKind::EmptyInput {
                    path: input.path().to_path_buf(),
                }
                .into());
            }
            summary.terms = self.use_glossary.then(|| terms.clone());
            for (i, document) in documents.into_iter().enumerate() {
                document.finish(&summary).map_err(write_error(i))?;
            }
        }
        Ok(Translated {
            files,
            report: FileReport {
                input: input.display(),
                outputs: Vec::new(),
                paragraphs: summary.paragraphs,
                segments: summary.segments,
                terms,
                untranslated,
                from_memory,
                reviewed,
                flags: summary.flags,
            },
        })
    }

    /// What the names of `input`'s outputs depend on.
    pub fn output_name(&self, input: &Input) -> OutputName {
        OutputName {
            input_extension: self.format_of(input).output_extension(input.path()),
            source_lang: self.options.source_lang.clone(),
            target_lang: self.options.target_lang.clone(),
        }
    }

    /// The context writers get for `input`: it is named by its path as
    /// given.
    pub fn write_context(&self, input: &Input) -> WriteContext {
        let mut ctx = WriteContext::new(
            &input.display(),
            &self.options.source_lang,
            &self.options.target_lang,
            self.backend.name(),
        );
        ctx.model = self.backend.model().map(str::to_string);
        if self.use_glossary {
            ctx.glossary = Some(GlossaryInfo::of(&self.glossary));
        }
        ctx
    }
}

/// The pipeline translates the Chinese side for `bitext align --backend`.
#[async_trait::async_trait]
impl crate::align::Translator for Pipeline {
    async fn translate(&self, doc: &Document) -> Result<Vec<String>> {
        Ok(Pipeline::translate(self, doc)
            .await?
            .into_iter()
            .map(|u| u.target)
            .collect())
    }
}

/// The paragraphs of an input as a run takes them.
enum Paragraphs {
    /// Read chunk by chunk.
    Stream(TextSource, Position),
    /// Read whole (and not yet taken).
    Whole(Option<Vec<Paragraph>>),
}

impl Paragraphs {
    /// The next chunk's paragraphs; `None` at the end.
    fn next(&mut self, segmenter: &Segmenter) -> Result<Option<Vec<Paragraph>>> {
        match self {
            Paragraphs::Stream(source, position) => Ok(source
                .next_chunk()?
                .map(|chunk| segmenter.paragraphs(&chunk.text, position))),
            Paragraphs::Whole(paragraphs) => Ok(paragraphs.take()),
        }
    }
}
