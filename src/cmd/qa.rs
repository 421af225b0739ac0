//! `bitext qa`: check bilingual files and report, as text, Markdown or JSON.

use std::io::Write;

use crate::check::{self, Severity};
use crate::cli::{FailOnArg, QaArgs, QaFormat};
use crate::config::file_languages;
use crate::config_file::ConfigFile;
use crate::error::{Error, Result};
use crate::glossary::Glossary;
use crate::output::AtomicFile;
use crate::qa::{self, FailOn, QaConfig};

pub(super) fn qa(args: &QaArgs) -> Result<i32> {
    let (config, fail_on) = qa_config(args)?;
    let report = qa::run(&config, &args.files)?;
    let mut text = Vec::new();
    let written = match args.format {
        QaFormat::Text => report.write_text(&mut text),
        QaFormat::Md => report.write_markdown(&mut text),
        QaFormat::Json => report.write_json(&mut text),
    };
    written.map_err(super::stdout_error)?;
    match &args.output {
        Some(path) => {
            // Whole or not at all: a gate must not read half a report.
            let mut file = AtomicFile::create(path)?;
            file.write_all(&text).map_err(|e| Error::write(path, e))?;
            file.commit()?;
        }
        None => std::io::stdout()
            .write_all(&text)
            .map_err(super::stdout_error)?,
    }
    let failed = report.findings.iter().any(|f| fail_on.fails(f.severity));
    Ok(i32::from(failed))
}

/// The configuration of a run: `[qa]` of the config file, overridden by
/// the flags.
fn qa_config(args: &QaArgs) -> Result<(QaConfig, FailOn)> {
    let file = ConfigFile::discover(args.config.as_deref())?;
    for warning in file.iter().flat_map(|f| &f.warnings) {
        eprintln!("warning: {warning}");
    }
    let table = file.as_ref().and_then(|f| f.qa.as_ref()).map(|(t, _)| t);
    let mut config = QaConfig::default();
    let checks = args
        .checks
        .clone()
        .or_else(|| table.and_then(|t| t.checks.as_ref()).map(|c| c.join(",")));
    if let Some(list) = checks {
        config.selection = QaConfig::parse_checks(&list)?;
    }
    let mut fail_on = FailOn::Error;
    if let Some(table) = table {
        for (name, value) in &table.severity {
            let Some(info) = check::check_info(name) else {
                continue;
            };
            match value.as_str() {
                "off" => config.selection.set(info.kind, false),
                "error" => {
                    config.severities.insert(info.kind, Severity::Error);
                }
                _ => {
                    config.severities.insert(info.kind, Severity::Warning);
                }
            }
        }
        let limits = &mut config.selection.length;
        limits.max_factor = table.length_max_factor.unwrap_or(limits.max_factor);
        limits.max_deviations = table.length_max_deviations.unwrap_or(limits.max_deviations);
        limits.min_han = table.length_min_han.unwrap_or(limits.min_han);
        fail_on = match table.fail_on.as_deref() {
            Some("warning") => FailOn::Warning,
            Some("never") => FailOn::Never,
            _ => FailOn::Error,
        };
    }
    if let Some(arg) = args.fail_on {
        fail_on = match arg {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Never => FailOn::Never,
        };
    }
    (config.source_lang, config.target_lang) = file_languages(&args.languages)?;
    if !args.glossaries.is_empty() {
        config.glossary = Some(Glossary::load_all_with(
            &args.glossaries,
            config.source_lang.as_deref().unwrap_or("zh-CN"),
            config.target_lang.as_deref().unwrap_or("en-US"),
        )?);
    }
    Ok((config, fail_on))
}
