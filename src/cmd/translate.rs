//! `bitext translate`: run the pipeline over the inputs and print the summary, or the plan of a dry run.

use std::io::{self, Write};

use super::{repaired_copy_note, stdout_error, thousands};
use crate::backend;
use crate::cli::TranslateArgs;
use crate::config::TranslateConfig;
use crate::error::{Error, Result};
use crate::pipeline::{PlanReport, Report};
use crate::text::count;

pub(super) async fn translate(args: &TranslateArgs) -> Result<i32> {
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
    list_files(&mut out, &report.files, |file| {
        let outputs: Vec<String> = file
            .outputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        format!("{} → {}", file.input, outputs.join(", "))
    })?;
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

/// Print one line for each of the first dozen `files`, then how many more
/// there are.
fn list_files<T>(out: &mut impl Write, files: &[T], line: impl Fn(&T) -> String) -> io::Result<()> {
    const SHOWN: usize = 12;
    for file in files.iter().take(SHOWN) {
        writeln!(out, "  {}", line(file))?;
    }
    if files.len() > SHOWN {
        let more = count(files.len() - SHOWN, "file", "files");
        writeln!(out, "  … and {more} more")?;
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
    let mut with = backend.name().to_string();
    match (backend.model(), backend.address()) {
        (Some(model), Some(address)) => with.push_str(&format!(" ({model} at {address})")),
        (None, Some(address)) => with.push_str(&format!(" (at {address})")),
        _ => {}
    }
    writeln!(out, "Dry run with {with}: nothing sent, nothing written")?;
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
    list_files(&mut out, &report.files, |file| {
        let plan = &file.plan;
        let counts = line(
            plan.segments,
            plan.from_memory,
            plan.requests(),
            plan.characters,
        );
        format!("{}: {counts}", file.input)
    })?;
    let files = report.files.len();
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
    let prompts = report.files.iter().filter_map(|f| f.plan.prompt);
    let (mut characters, mut tokens, mut replies, mut any) = (0, 0, 0, false);
    for p in prompts {
        (characters, tokens, replies, any) = (
            characters + p.characters,
            tokens + p.tokens,
            replies + p.reply_tokens,
            true,
        );
    }
    if any {
        writeln!(
            out,
            "  tokens: about {} sent ({} characters of prompts, {:.1} per character translated), about {} in replies (estimated without a tokenizer)",
            thousands(tokens),
            thousands(characters),
            characters as f64 / chars.max(1) as f64,
            thousands(replies)
        )?;
    }
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
