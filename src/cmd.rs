//! The subcommands: each turns its arguments into a configuration, runs the
//! library, and prints what a person needs to see.

mod glossary_extract;

use std::io::{self, Write};

use crate::backend;
use crate::cache::Cache;
use crate::cli::{
    AlignArgs, CheckFormat, Cli, Command, ExportFormat, ExportTmArgs, GlossaryCommand,
    GlossaryFiles, ImportArgs, SegmentArgs, SegmentFormat, TmFormat, TranslateArgs,
};
use crate::config::{
    AlignConfig, CacheChoice, GlossaryChoice, ReadConfig, TranslateConfig, language_tag,
};
use crate::error::{Error, Result};
use crate::input;
use crate::output::AtomicFile;
use crate::pipeline::{PlanReport, Report};
use crate::review::{ImportPlan, Reference, ReviewFile};
use crate::segment::{Position, Segmenter};
use crate::text::count;

/// Run a parsed command line; returns the process exit code. Errors that
/// stop the whole run are returned; an input that fails in a batch is
/// printed and counted in the exit code.
pub async fn run(cli: Cli) -> Result<i32> {
    let result = match cli.command {
        Command::Translate(args) => translate(&args).await,
        Command::Align(args) => align(&args).await,
        Command::Segment(args) => segment(&args),
        Command::Backends => backends(),
        Command::Glossary(GlossaryCommand::Extract(args)) => glossary_extract::run(&args).await,
        Command::Glossary(command) => glossary(&command),
        Command::Import(args) => import(&args),
        Command::ExportTm(args) => export_tm(&args),
    };
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(0),
        other => other,
    }
}

async fn translate(args: &TranslateArgs) -> Result<i32> {
    let config = TranslateConfig::from_args(args)?;
    for warning in &config.warnings {
        eprintln!("warning: {warning}");
    }
    let mut pipeline = config.pipeline()?;
    if config.dry_run {
        if let Some(cache) = pipeline.cache().filter(|c| c.is_repaired_copy()) {
            eprintln!("note: {}", repaired_copy_note(cache));
        }
        let plan = pipeline.plan(&config.read.inputs);
        for failure in &plan.failures {
            eprintln!("error: {failure}");
        }
        print_plan(&plan, pipeline.backend(), config.options.concurrency)
            .map_err(|e| Error::write(std::path::Path::new("-"), e))?;
        return Ok(if plan.failures.is_empty() { 0 } else { 2 });
    }
    if !config.quiet {
        pipeline = pipeline.with_progress(std::sync::Arc::new(crate::progress::Stderr::new()));
    }
    // Ctrl-C drops the run: requests in flight are cancelled, temporary
    // outputs removed, and what was translated stays in the translation memory.
    let report = tokio::select! {
        report = pipeline.run(&config.read.inputs) => report?,
        _ = tokio::signal::ctrl_c() => {
            let memory = pipeline
                .cache()
                .filter(|_| pipeline.stores_translations())
                .map(|c| format!("; the translation memory {} keeps what was translated, so the same command resumes", c.path().display()))
                .unwrap_or_default();
            eprintln!("bitext: interrupted; the input in progress was not written{memory}");
            return Ok(130);
        }
    };
    for failure in &report.failures {
        eprintln!("error: {failure}");
    }
    // Nothing translated: the errors above say it all, or else that every
    // input was skipped.
    if !config.quiet && !report.files.is_empty() {
        print_summary(&report, pipeline.glossary().names(), &config.backend)
            .map_err(stdout_error)?;
    } else if !config.quiet && report.failures.is_empty() {
        println!(
            "Nothing to translate: skipped {} whose outputs all exist (--skip-existing)",
            count(report.skipped.len(), "file", "files")
        );
    }
    Ok(report.exit_code())
}

async fn align(args: &AlignArgs) -> Result<i32> {
    let config = AlignConfig::from_args(args)?;
    for warning in &config.warnings {
        eprintln!("warning: {warning}");
    }
    let report = crate::align::run(&config).await?;
    if !config.quiet {
        let mut out = io::stdout().lock();
        let beads: Vec<String> = report
            .beads
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let flags: Vec<String> = report
            .flags
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let outputs: Vec<String> = report
            .outputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        writeln!(
            out,
            "Aligned {} with {} in {:.2} s\n  beads: {}\n  flags: {}\n  {} + {} → {}",
            count(report.zh_segments, "Chinese segment", "Chinese segments"),
            count(report.en_sentences, "English sentence", "English sentences"),
            report.elapsed.as_secs_f64(),
            beads.join(", "),
            if flags.is_empty() {
                "none".to_string()
            } else {
                flags.join(", ")
            },
            config.zh.display(),
            config.en.display(),
            outputs.join(", ")
        )
        .map_err(stdout_error)?;
    }
    Ok(0)
}

fn print_summary(report: &Report, glossary: &[String], backend: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let segments: usize = report.files.iter().map(|f| f.segments).sum();
    let paragraphs: usize = report.files.iter().map(|f| f.paragraphs).sum();
    let hits: usize = report.files.iter().map(|f| f.terms.occurrences()).sum();
    let rendered: usize = report.files.iter().map(|f| f.terms.rendered()).sum();
    let repaired: usize = report.files.iter().map(|f| f.terms.repaired()).sum();
    let files = report.files.len();
    writeln!(
        out,
        "Translated {} ({}, {}) with {backend} in {:.2} s",
        count(files, "file", "files"),
        count(paragraphs, "paragraph", "paragraphs"),
        count(segments, "segment", "segments"),
        report.elapsed.as_secs_f64()
    )?;
    let from_memory: usize = report.files.iter().map(|f| f.from_memory).sum();
    let reviewed: usize = report.files.iter().map(|f| f.reviewed).sum();
    let reviewed = if reviewed > 0 {
        format!(" ({reviewed} reviewed)")
    } else {
        String::new()
    };
    writeln!(
        out,
        "  requests: {}, from translation memory: {}{reviewed}",
        report.requests,
        count(from_memory, "segment", "segments")
    )?;
    if glossary.is_empty() {
        writeln!(out, "  glossary: none")?;
    } else {
        writeln!(
            out,
            "  glossary: {}, {}, {rendered} rendered ({repaired} after repair), {} missed",
            glossary.join(", "),
            count(hits, "term occurrence", "term occurrences"),
            hits - rendered
        )?;
    }
    let mut flags = std::collections::BTreeMap::new();
    for (kind, n) in report.files.iter().flat_map(|f| &f.flags) {
        *flags.entry(*kind).or_insert(0) += n;
    }
    if flags.is_empty() {
        writeln!(out, "  flags: none")?;
    } else {
        let list: Vec<String> = flags.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(out, "  flags: {}", list.join(", "))?;
    }
    const SHOWN: usize = 12;
    for file in report.files.iter().take(SHOWN) {
        let outputs: Vec<String> = file
            .outputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        writeln!(out, "  {} → {}", file.input, outputs.join(", "))?;
    }
    if files > SHOWN {
        writeln!(
            out,
            "  … and {} more",
            count(files - SHOWN, "file", "files")
        )?;
    }
    if !report.skipped.is_empty() {
        writeln!(
            out,
            "  skipped: {} whose outputs all exist (--skip-existing)",
            count(report.skipped.len(), "file", "files")
        )?;
    }
    let untranslated: usize = report.files.iter().map(|f| f.untranslated).sum();
    if untranslated > 0 {
        let empty = flags.contains_key(&crate::document::FlagKind::Empty);
        writeln!(
            out,
            "  {} no translation (flagged untranslated{}); exit code 1",
            count(untranslated, "segment has", "segments have"),
            if empty { " or empty" } else { "" }
        )?;
    }
    if !report.failures.is_empty() {
        writeln!(
            out,
            "  {} failed; see the {} above",
            count(report.failures.len(), "input", "inputs"),
            if report.failures.len() == 1 {
                "error"
            } else {
                "errors"
            }
        )?;
    }
    if report.not_run > 0 {
        writeln!(
            out,
            "  the run stopped at the backend error above: {} not translated",
            count(report.not_run, "more input", "more inputs")
        )?;
    }
    Ok(())
}

/// What `--dry-run` prints: per input and in total, the segments, those in
/// the translation memory, the requests and the characters to send, then the
/// estimated cost.
fn print_plan(
    report: &PlanReport,
    backend: &dyn backend::Backend,
    concurrency: usize,
) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let caps = backend.capabilities();
    writeln!(
        out,
        "Dry run with {}: nothing sent, nothing written",
        backend.name()
    )?;
    let line = |segments: usize, memory: usize, requests: usize, chars: usize| {
        let counted = |n: usize, one: &str, many: &str| {
            format!("{} {}", thousands(n), if n == 1 { one } else { many })
        };
        format!(
            "{}, {} in translation memory, {}, {}",
            counted(segments, "segment", "segments"),
            thousands(memory),
            counted(requests, "request", "requests"),
            counted(chars, "character", "characters")
        )
    };
    const SHOWN: usize = 12;
    for file in report.files.iter().take(SHOWN) {
        let plan = &file.plan;
        writeln!(
            out,
            "  {}: {}",
            file.input,
            line(
                plan.segments,
                plan.from_memory,
                plan.requests(),
                plan.characters
            )
        )?;
    }
    let files = report.files.len();
    if files > SHOWN {
        writeln!(
            out,
            "  … and {} more",
            count(files - SHOWN, "file", "files")
        )?;
    }
    let sum = |f: fn(&crate::translate::Plan) -> usize| -> usize {
        report.files.iter().map(|file| f(&file.plan)).sum()
    };
    let chars = sum(|p| p.characters);
    writeln!(
        out,
        "  total, {}: {}",
        count(files, "file", "files"),
        line(
            sum(|p| p.segments),
            sum(|p| p.from_memory),
            sum(|p| p.requests()),
            chars
        )
    )?;
    writeln!(
        out,
        "  batches: up to {} segments and {} characters, {concurrency} in flight",
        thousands(caps.max_batch),
        thousands(caps.max_chars)
    )?;
    let price = backend.price();
    match (&price, price.estimate(chars)) {
        (backend::Price::PerMillionChars { amount, terms, .. }, Some((currency, cost))) => {
            let cost = if cost > 0.0 && cost < 0.01 {
                format!("less than {currency}0.01")
            } else {
                format!("{currency}{cost:.2}")
            };
            writeln!(
                out,
                "  estimated cost: {cost} ({} characters at {currency}{amount:.2} per million: {terms})",
                thousands(chars)
            )
        }
        (backend::Price::Free(why), _) => writeln!(out, "  estimated cost: none ({why})"),
        (backend::Price::Unknown(why), _) => writeln!(out, "  estimated cost: unknown ({why})"),
        (_, None) => writeln!(out, "  estimated cost: unknown"),
    }
}

/// `n` with a comma between each group of three digits.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn segment(args: &SegmentArgs) -> Result<i32> {
    let config = ReadConfig::from_args(&args.inputs, &args.read)?;
    let lang = language_tag(&args.source_lang, "--source-lang")?;
    let segmenter = config.segmenter(&lang)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let many = config.inputs.len() > 1;
    let mut failed = false;
    for (n, input) in config.inputs.iter().enumerate() {
        if many && args.format == SegmentFormat::Text {
            let gap = if n > 0 { "\n" } else { "" };
            writeln!(out, "{gap}==> {} <==", input.display()).map_err(stdout_error)?;
        }
        if let Err(e) = print_segments(&segmenter, input, &config, args.format, &mut out) {
            if is_broken_pipe(&e) {
                return Err(e);
            }
            eprintln!("error: {e}");
            failed = true;
        }
    }
    out.flush().map_err(stdout_error)?;
    Ok(if failed { 2 } else { 0 })
}

/// Stream the segments of one input to `out`.
fn print_segments(
    segmenter: &Segmenter,
    input: &input::Input,
    config: &ReadConfig,
    format: SegmentFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let mut source = input::TextSource::open(input, config.encoding)?;
    let mut position = Position::default();
    let name = input.display();
    while let Some(chunk) = source.next_chunk()? {
        for paragraph in segmenter.paragraphs(&chunk.text, &mut position) {
            match format {
                SegmentFormat::Text => {
                    if paragraph.index > 1 {
                        writeln!(out).map_err(stdout_error)?;
                    }
                    for s in &paragraph.segments {
                        writeln!(out, "{}", s.text).map_err(stdout_error)?;
                        if let Some(flag) = segmenter.long_segment_flag(&s.text) {
                            eprintln!("warning: {name}:{}: segment {}: {flag}", s.line, s.id);
                        }
                    }
                }
                SegmentFormat::Jsonl => {
                    for s in &paragraph.segments {
                        let line = serde_json::json!({
                            "file": name,
                            "id": s.id,
                            "paragraph": s.paragraph,
                            "index": s.index,
                            "line": s.line,
                            "start": s.span.start,
                            "end": s.span.end,
                            "text": s.text,
                            "flags": segmenter.long_segment_flag(&s.text).into_iter().collect::<Vec<_>>(),
                        });
                        writeln!(out, "{line}").map_err(stdout_error)?;
                    }
                }
            }
        }
    }
    if position.paragraphs == 0 {
        return Err(crate::ErrorKind::EmptyInput {
            path: input.path().to_path_buf(),
        }
        .into());
    }
    Ok(())
}

fn stdout_error(e: io::Error) -> Error {
    Error::write(std::path::Path::new("-"), e)
}

fn backends() -> Result<i32> {
    let mut out = io::stdout().lock();
    let stdout = std::path::Path::new("-");
    for info in backend::builtins() {
        let caps = info.capabilities;
        writeln!(
            out,
            "{}\n  {}\n  needs: {}\n  glossary: {}\n  languages: {}\n  batches: up to {} segments, {} characters{}",
            info.name,
            info.summary,
            info.needs,
            info.glossary,
            match caps.languages {
                backend::Languages::Any => "any pair the service (or program) translates".to_string(),
                backend::Languages::Only { source, target } =>
                    format!("{} into {} only", source.join(", "), target.join(", ")),
            },
            caps.max_batch,
            caps.max_chars,
            if caps.network {
                ", network"
            } else {
                ", offline"
            }
        )
        .map_err(|e| Error::write(stdout, e))?;
    }
    Ok(0)
}

fn is_broken_pipe(error: &Error) -> bool {
    match error.kind() {
        crate::ErrorKind::Write { source, .. } => source.kind() == io::ErrorKind::BrokenPipe,
        _ => false,
    }
}

fn glossary(command: &GlossaryCommand) -> Result<i32> {
    let stdout = std::path::Path::new("-");
    match command {
        GlossaryCommand::Check(args) => {
            let files = &args.files;
            let (source_lang, target_lang) = languages(files)?;
            let glossary = GlossaryChoice::from_files(&files.glossaries)
                .load(&source_lang, &target_lang)?
                .unwrap_or_default();
            let read = ReadConfig::from_args(&args.inputs, &args.read)?;
            let segmenter = read.segmenter(&source_lang)?;
            let mut documents = Vec::new();
            for input in &read.inputs {
                let decoded = input::read(input, read.encoding)?;
                let doc = segmenter.document(&input.display(), decoded.encoding, &decoded.text);
                documents.push(glossary.annotate_document(&doc));
            }
            let mut out = io::stdout().lock();
            let written = match args.format {
                CheckFormat::Text => (|| {
                    writeln!(
                        out,
                        "{}: {} entries, id {}",
                        glossary.names().join(", "),
                        glossary.len(),
                        glossary.id()
                    )?;
                    for doc in &documents {
                        write!(out, "{doc}")?;
                        let matches: usize = doc.segments.iter().map(|s| s.terms.len()).sum();
                        let terms: std::collections::HashSet<usize> = doc
                            .segments
                            .iter()
                            .flat_map(|s| s.terms.iter().map(|t| t.term_id))
                            .collect();
                        writeln!(
                            out,
                            "{}: {} of {} in {}",
                            doc.source,
                            count(matches, "match", "matches"),
                            count(terms.len(), "term", "terms"),
                            count(doc.segments.len(), "segment", "segments")
                        )?;
                    }
                    Ok(())
                })(),
                CheckFormat::Json => {
                    let value = serde_json::json!({
                        "glossary": {
                            "files": glossary.names(),
                            "entries": glossary.len(),
                            "id": glossary.id(),
                        },
                        "documents": documents,
                    });
                    serde_json::to_writer_pretty(&mut out, &value)
                        .map_err(io::Error::from)
                        .and_then(|()| writeln!(out))
                }
            };
            written.map_err(|e| Error::write(stdout, e))?;
            Ok(0)
        }
        GlossaryCommand::Extract(args) => {
            // Asynchronous (it may call a backend): dispatched by `run`.
            Err(crate::ErrorKind::Usage(format!(
                "internal: glossary extract of {} inputs reached the synchronous glossary commands",
                args.inputs.len()
            ))
            .into())
        }
        GlossaryCommand::Export(args) => {
            let (source_lang, target_lang) = languages(&args.files)?;
            let glossary = GlossaryChoice::from_files(&args.files.glossaries)
                .load(&source_lang, &target_lang)?
                .unwrap_or_default();
            let mut buffer = Vec::new();
            match args.format {
                ExportFormat::Tsv => glossary.write_tsv(&mut buffer),
                ExportFormat::Tbx => glossary.write_tbx(&source_lang, &target_lang, &mut buffer),
            }
            .map_err(|e| Error::write(stdout, e))?;
            match &args.output {
                Some(path) => {
                    let mut file = AtomicFile::create(path)?;
                    file.write_all(&buffer).map_err(|e| Error::write(path, e))?;
                    file.commit()?;
                }
                None => io::stdout()
                    .lock()
                    .write_all(&buffer)
                    .map_err(|e| Error::write(stdout, e))?,
            }
            Ok(0)
        }
    }
}

/// The translation memory `bitext import` and `bitext export-tm` work on:
/// `--cache FILE`, or the default one `translate` uses.
fn memory_path(cache: Option<&std::path::Path>) -> Result<std::path::PathBuf> {
    CacheChoice::from_args(cache, false).path().ok_or_else(|| {
        crate::ErrorKind::Usage(
            "there is no user cache directory for the default translation memory; pass --cache FILE"
                .into(),
        )
        .into()
    })
}

fn import(args: &ImportArgs) -> Result<i32> {
    let flag = |tag: &Option<String>, option: &str| {
        tag.as_deref().map(|t| language_tag(t, option)).transpose()
    };
    let source_flag = flag(&args.source_lang, "--source-lang")?;
    let target_flag = flag(&args.target_lang, "--target-lang")?;
    let path = memory_path(args.cache.as_deref())?;
    let cache = Cache::open(&path)?;
    let (mut imported, mut unchanged, mut rejected, mut failed) = (0, 0, 0, 0);
    for file in &args.files {
        let result = (|| {
            let review = ReviewFile::read(file)?;
            let source_lang = pick_language(
                file,
                review.source_lang.as_deref(),
                source_flag.as_deref(),
                "--source-lang",
                "zh-CN",
            )?;
            let target_lang = pick_language(
                file,
                review.target_lang.as_deref(),
                target_flag.as_deref(),
                "--target-lang",
                "en-US",
            )?;
            let reference = match Reference::beside(file) {
                Some(jsonl) => Reference::from_jsonl(&jsonl)?,
                None => Reference::from_memory(&cache, &source_lang, &target_lang)?,
            };
            let plan = ImportPlan::new(&review, &reference);
            let stored = plan.store(&cache, &source_lang, &target_lang)?;
            Ok::<_, Error>((review, reference, plan, stored))
        })();
        match result {
            Ok((review, reference, plan, stored)) => {
                for r in &plan.rejected {
                    let place = match r.line {
                        Some(line) => format!("{}:{line}", file.display()),
                        None => file.display().to_string(),
                    };
                    let id = r.id.map(|id| format!("segment {id}: ")).unwrap_or_default();
                    eprintln!("rejected: {place}: {id}{}", r.reason);
                }
                println!(
                    "{}: {} {} {} compared with {}: {stored} changed, {} unchanged, {} rejected",
                    file.display(),
                    review.rows.len() + review.rejected.len(),
                    review.format,
                    if review.rows.len() + review.rejected.len() == 1 {
                        "row"
                    } else {
                        "rows"
                    },
                    reference.name(),
                    plan.unchanged,
                    plan.rejected.len()
                );
                imported += stored;
                unchanged += plan.unchanged;
                rejected += plan.rejected.len();
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
            }
        }
    }
    println!(
        "imported {}, {unchanged} unchanged, {rejected} rejected",
        count(imported, "reviewed translation", "reviewed translations")
    );
    println!("  translation memory: {}", path.display());
    Ok(if failed > 0 {
        2
    } else if rejected > 0 {
        1
    } else {
        0
    })
}

/// The language of a reviewed file: the one it states (which a flag must
/// agree with), else the flag, else the default.
fn pick_language(
    file: &std::path::Path,
    stated: Option<&str>,
    flag: Option<&str>,
    option: &str,
    default: &str,
) -> Result<String> {
    let stated = stated.map(|t| language_tag(t, option)).transpose()?;
    match (stated, flag) {
        (Some(stated), Some(flag)) if stated != flag => Err(crate::ErrorKind::Usage(format!(
            "{}: the file is in {stated}, but {option} says {flag}; drop {option} or import the right file",
            file.display()
        ))
        .into()),
        (Some(stated), _) => Ok(stated),
        (None, Some(flag)) => Ok(flag.to_string()),
        (None, None) => Ok(default.to_string()),
    }
}

fn export_tm(args: &ExportTmArgs) -> Result<i32> {
    if args.backend.as_deref() == Some(backend::dictionary::NAME) {
        return Err(crate::ErrorKind::Usage(
            "--backend dictionary: the offline dictionary's word-by-word glosses are not translations, and are never stored or exported".into(),
        )
        .into());
    }
    let path = memory_path(args.cache.as_deref())?;
    // Read without writing: the memory may be in use by a run, or need a
    // repair that the next run makes.
    let Some(cache) = Cache::open_for_reading(&path)? else {
        return Err(crate::ErrorKind::Usage(format!(
            "{}: no translation memory there yet; translate with a caching backend, import a reviewed file, or pass --cache FILE",
            path.display()
        ))
        .into());
    };
    if cache.is_repaired_copy() {
        eprintln!("note: {}", repaired_copy_note(&cache));
    }
    let filter = crate::output::MemoryFilter::default()
        .reviewed_only(args.reviewed_only)
        .backend(args.backend.clone())
        .all(args.all);
    let counts = match (args.format, &args.output) {
        (TmFormat::Tmx, Some(output)) => {
            AtomicFile::remove_stale(std::slice::from_ref(output));
            let mut file = AtomicFile::create(output)?;
            let counts = crate::output::write_memory(&cache, &filter, &mut file, output)?;
            file.commit()?;
            counts
        }
        (TmFormat::Tmx, None) => {
            let stdout = std::path::Path::new("-");
            let mut out = io::BufWriter::new(io::stdout().lock());
            let counts = crate::output::write_memory(&cache, &filter, &mut out, stdout)?;
            out.flush().map_err(|e| Error::write(stdout, e))?;
            counts
        }
    };
    let mut notes = Vec::new();
    if counts.left_out > 0 {
        notes.push(format!(
            "{} left out{}",
            counts.left_out,
            if args.all {
                " by the filters"
            } else {
                " (filtered, or another translation of the same source)"
            }
        ));
    }
    if counts.glosses > 0 {
        notes.push(format!(
            "{} skipped (not translations)",
            count(counts.glosses, "dictionary gloss", "dictionary glosses")
        ));
    }
    eprintln!(
        "exported {} ({} machine, {} reviewed){} from {}",
        count(
            counts.machine + counts.reviewed,
            "translation",
            "translations"
        ),
        counts.machine,
        counts.reviewed,
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        },
        path.display()
    );
    Ok(0)
}

/// What a reader says when the memory it read needed a repair.
fn repaired_copy_note(cache: &Cache) -> String {
    format!(
        "the translation memory {} needs a repair (a run writing it was stopped, e.g. by kill -9); \
         read from a copy repaired in memory, and the file left unchanged (the next translate run repairs it)",
        cache.path().display()
    )
}

fn languages(files: &GlossaryFiles) -> Result<(String, String)> {
    Ok((
        language_tag(&files.source_lang, "--source-lang")?,
        language_tag(&files.target_lang, "--target-lang")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_grouped_by_commas() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (5903, "5,903"),
            (1234567, "1,234,567"),
        ];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
    }
}
