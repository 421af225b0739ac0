//! The subcommands: each turns its arguments into a configuration, runs the
//! library, and prints what a person needs to see.

use std::io::{self, Write};

use crate::backend;
use crate::cli::{Cli, Command, SegmentArgs, SegmentFormat, TranslateArgs};
use crate::config::{ReadConfig, TranslateConfig};
use crate::error::{Error, Result};
use crate::input;
use crate::pipeline::Report;

/// Run a parsed command line; returns the process exit code. Errors that
/// stop the whole run are returned; an input that fails in a batch is
/// printed and counted in the exit code.
pub async fn run(cli: Cli) -> Result<i32> {
    let result = match cli.command {
        Command::Translate(args) => translate(&args).await,
        Command::Segment(args) => segment(&args),
        Command::Backends => backends(),
    };
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(0),
        other => other,
    }
}

async fn translate(args: &TranslateArgs) -> Result<i32> {
    let config = TranslateConfig::from_args(args)?;
    let pipeline = config.pipeline()?;
    let report = pipeline.run(&config.read.inputs).await?;
    for failure in &report.failures {
        eprintln!("error: {failure}");
    }
    if !config.quiet {
        print_summary(&report, pipeline.glossary().names(), &config.backend)
            .map_err(|e| Error::write(std::path::Path::new("-"), e))?;
    }
    Ok(report.exit_code())
}

fn print_summary(report: &Report, glossary: &[String], backend: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let segments: usize = report.files.iter().map(|f| f.segments).sum();
    let paragraphs: usize = report.files.iter().map(|f| f.paragraphs).sum();
    let hits: usize = report.files.iter().map(|f| f.term_hits).sum();
    let files = report.files.len();
    writeln!(
        out,
        "Translated {files} file{} ({paragraphs} paragraphs, {segments} segments) with {backend} in {:.2} s",
        if files == 1 { "" } else { "s" },
        report.elapsed.as_secs_f64()
    )?;
    if glossary.is_empty() {
        writeln!(out, "  glossary: none")?;
    } else {
        writeln!(
            out,
            "  glossary: {}, {hits} term occurrences",
            glossary.join(", ")
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
        writeln!(out, "  … and {} more files", files - SHOWN)?;
    }
    let untranslated: usize = report.files.iter().map(|f| f.untranslated).sum();
    if untranslated > 0 {
        writeln!(
            out,
            "  {untranslated} segments have no translation (flagged untranslated)"
        )?;
    }
    if !report.failures.is_empty() {
        writeln!(
            out,
            "  {} input(s) failed; see the errors above",
            report.failures.len()
        )?;
    }
    Ok(())
}

fn segment(args: &SegmentArgs) -> Result<i32> {
    let config = ReadConfig::from_args(&args.inputs, &args.read)?;
    let segmenter = config.segmenter("zh-CN")?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let stdout = std::path::Path::new("-");
    let many = config.inputs.len() > 1;
    let mut failed = false;
    for (n, input) in config.inputs.iter().enumerate() {
        let decoded = match input::read(input, config.encoding) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                continue;
            }
        };
        let doc = segmenter.document(&input.display(), decoded.encoding, &decoded.text);
        let result = match args.format {
            SegmentFormat::Text => (|| {
                if many {
                    writeln!(
                        out,
                        "{}==> {} <==",
                        if n > 0 { "\n" } else { "" },
                        input.display()
                    )?;
                }
                for (i, paragraph) in doc.paragraphs.iter().enumerate() {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    for s in &paragraph.segments {
                        writeln!(out, "{}", s.text)?;
                    }
                }
                Ok(())
            })(),
            SegmentFormat::Jsonl => doc.segments().try_for_each(|s| {
                let line = serde_json::json!({
                    "file": doc.source,
                    "id": s.id,
                    "paragraph": s.paragraph,
                    "index": s.index,
                    "line": s.line,
                    "start": s.span.start,
                    "end": s.span.end,
                    "text": s.text,
                });
                writeln!(out, "{line}")
            }),
        };
        result.map_err(|e| Error::write(stdout, e))?;
    }
    out.flush().map_err(|e| Error::write(stdout, e))?;
    Ok(if failed { 2 } else { 0 })
}

fn backends() -> Result<i32> {
    let mut out = io::stdout().lock();
    let stdout = std::path::Path::new("-");
    for info in backend::builtins() {
        let caps = info.capabilities;
        writeln!(
            out,
            "{}\n  {}\n  needs: {}\n  glossary: {}\n  batches: up to {} segments, {} characters{}",
            info.name,
            info.summary,
            info.needs,
            match caps.terms {
                backend::TermSupport::Native => "native (the backend renders the terms)",
                backend::TermSupport::Prompt =>
                    "as constraints in the prompt, checked and repaired",
                backend::TermSupport::Placeholder =>
                    "via placeholders restored to the glossary target",
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
