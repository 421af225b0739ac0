//! What `bitext qa` found, written for people (text), for a pull request
//! comment (Markdown) and for machines (JSON).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::check::{CHECKS, Severity};
use crate::document::FlagKind;

/// One finding: a check that fired on a unit (or, for the checks across
/// units, on the first unit of a group, the message listing every one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file, as given.
    pub file: String,
    /// The unit's id in the file.
    pub unit: String,
    /// The unit's line in the file, where known.
    pub line: Option<usize>,
    /// The unit's source text.
    pub source: String,
    /// The unit's target text.
    pub target: String,
    /// The check.
    pub check: FlagKind,
    /// Its severity.
    pub severity: Severity,
    /// What exactly it found.
    pub message: String,
}

/// The result of a `bitext qa` run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The files checked, as given.
    pub files: Vec<String>,
    /// The language pair.
    pub source_lang: String,
    /// The language pair.
    pub target_lang: String,
    /// How many units they hold.
    pub units: usize,
    /// The findings, unit by unit, then the checks across units.
    pub findings: Vec<Finding>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    unit: &'a str,
    source: &'a str,
    target: &'a str,
    check: &'a str,
    severity: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: &'a [String],
    units: usize,
    findings: Vec<JsonFinding<'a>>,
    by_check: BTreeMap<&'a str, usize>,
}

impl Report {
    /// How many findings each check made (only the checks that made some).
    pub fn by_check(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for f in &self.findings {
            *counts.entry(f.check.as_str()).or_default() += 1;
        }
        counts
    }

    /// The highest severity among the findings.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// The findings grouped by check, in the order of [`CHECKS`].
    fn grouped(&self) -> Vec<(FlagKind, Vec<&Finding>)> {
        CHECKS
            .iter()
            .map(|c| {
                let found: Vec<&Finding> =
                    self.findings.iter().filter(|f| f.check == c.kind).collect();
                (c.kind, found)
            })
            .filter(|(_, found)| !found.is_empty())
            .collect()
    }

    fn summary(&self) -> String {
        let errors = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let warnings = self.findings.len() - errors;
        format!(
            "{} in {}, checked {} → {}: {}, {}",
            crate::text::count(self.units, "unit", "units"),
            crate::text::count(self.files.len(), "file", "files"),
            self.source_lang,
            self.target_lang,
            crate::text::count(errors, "error", "errors"),
            crate::text::count(warnings, "warning", "warnings")
        )
    }

    /// Write the report for people: findings grouped by check, each with
    /// file, line and unit, then a summary line.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        for (kind, found) in self.grouped() {
            let info = crate::check::check_info(kind.as_str());
            writeln!(
                out,
                "{} ({}, {}): {}",
                kind,
                found[0].severity.as_str(),
                found.len(),
                info.map_or("", |i| i.explanation)
            )?;
            for f in found {
                let place = match f.line {
                    Some(line) => format!("{}:{line}", f.file),
                    None => f.file.clone(),
                };
                let message = if f.message.is_empty() {
                    String::new()
                } else {
                    format!(": {}", f.message)
                };
                writeln!(out, "  {place}: unit {}{message}", f.unit)?;
                if !matches!(
                    kind,
                    FlagKind::InconsistentTarget | FlagKind::InconsistentSource
                ) {
                    writeln!(out, "    source: {}", one_line(&f.source))?;
                    writeln!(out, "    target: {}", one_line(&f.target))?;
                }
            }
            writeln!(out)?;
        }
        writeln!(out, "{}", self.summary())
    }

    /// Write the report as Markdown, for a pull-request comment.
    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "## bitext qa\n\n{}\n", self.summary())?;
        let grouped = self.grouped();
        if grouped.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "| check | severity | findings | what it finds |\n|---|---|---:|---|"
        )?;
        for (kind, found) in &grouped {
            let info = crate::check::check_info(kind.as_str());
            writeln!(
                out,
                "| `{kind}` | {} | {} | {} |",
                found[0].severity.as_str(),
                found.len(),
                cell(info.map_or("", |i| i.explanation))
            )?;
        }
        for (kind, found) in &grouped {
            writeln!(
                out,
                "\n### `{kind}`\n\n| file | unit | message | source | target |\n|---|---|---|---|---|"
            )?;
            for f in found {
                let place = match f.line {
                    Some(line) => format!("{}:{line}", f.file),
                    None => f.file.clone(),
                };
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    cell(&place),
                    cell(&f.unit),
                    cell(&f.message),
                    cell(&f.source),
                    cell(&f.target)
                )?;
            }
        }
        Ok(())
    }

    /// Write the report as one JSON object: `files`, `units`, `findings`
    /// (`file`, `unit`, `source`, `target`, `check`, `severity`,
    /// `message`) and `by_check`.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let report = JsonReport {
            files: &self.files,
            units: self.units,
            findings: self
                .findings
                .iter()
                .map(|f| JsonFinding {
                    file: &f.file,
                    unit: &f.unit,
                    source: &f.source,
                    target: &f.target,
                    check: f.check.as_str(),
                    severity: f.severity.as_str(),
                    message: &f.message,
                })
                .collect(),
            by_check: self.by_check(),
        };
        serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
        writeln!(out)
    }
}

/// `text` on one line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// `text` safe in a Markdown table cell.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}
