//! `bitext qa`: the check stage run over bilingual files from any tool.
//!
//! A [`Reader`] per format turns a file into [`QaUnit`]s: TMX 1.4 (with
//! inline codes `<bpt>`, `<ept>`, `<ph>`, `<it>`, `<hi>`, `<ut>`), XLIFF 1.2
//! (`<g>`, `<x/>`, `<bx/>`, `<ex/>`, `<mrk>`, `<seg-source>`), XLIFF 2.0,
//! bitext's JSONL and bitext's Markdown review files. [`run`] checks every
//! unit with the same code the translate pipeline uses ([`crate::check`]),
//! then the checks across units of all files
//! ([`crate::check::consistency`]), and returns a [`Report`] that writes
//! itself as text, Markdown or JSON ([`report`]).
//!
//! ```
//! use bitext::qa::{QaConfig, run_texts};
//!
//! let jsonl = r#"{"id": 1, "source": "他说。", "target": "He said  the the"}"#;
//! let report = run_texts(&QaConfig::default(), &[("a.jsonl", jsonl)])?;
//! let checks: Vec<&str> = report.findings.iter().map(|f| f.check.as_str()).collect();
//! assert_eq!(checks, ["end-punctuation", "repeated-word", "double-space"]);
//! # Ok::<(), bitext::Error>(())
//! ```

mod jsonl;
mod markdown;
pub mod report;
mod tmx;
mod xliff;
mod xml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::check::{self, Severity};
use crate::document::FlagKind;
use crate::error::{Error, ErrorKind, FileKind, Result};
use crate::glossary::Glossary;

pub use report::{Finding, Report};

/// One translation unit of a bilingual file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct QaUnit {
    /// Its id in the file (`tuid`, `id`, the JSONL `id`, the Markdown `#`),
    /// or its 1-based position when the file gives none.
    pub id: String,
    /// The 1-based line in the file, where known.
    pub line: Option<usize>,
    /// The source text (inline codes left out).
    pub source: String,
    /// The target text; `None` when the file has no translation for it.
    pub target: Option<String>,
    /// Why there is no target, when the file says (bitext's JSONL: "no
    /// translation from deepl").
    pub missing: Option<String>,
    /// The inline codes of source and target (`<x id="1">`); `None` for a
    /// format without them.
    pub codes: Option<(Vec<String>, Vec<String>)>,
}

/// A bilingual file, read.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct BilingualFile {
    /// The reader's name (`tmx`, `xliff-1.2`, …).
    pub format: &'static str,
    /// The source language the file states.
    pub source_lang: Option<String>,
    /// The target language the file states.
    pub target_lang: Option<String>,
    /// The units, in file order.
    pub units: Vec<QaUnit>,
}

/// What a reader is given (by reference).
#[derive(Debug)]
#[non_exhaustive]
pub struct ReadContext<'a> {
    /// The file, for messages.
    pub path: &'a Path,
    /// Its text (UTF-8, without a byte-order mark).
    pub text: &'a str,
    /// `--source-lang`, if given: picks the source of a TMX unit.
    pub source_lang: Option<&'a str>,
    /// `--target-lang`, if given: picks the target of a TMX unit.
    pub target_lang: Option<&'a str>,
}

/// A reader of one bilingual format.
pub trait Reader: Sync {
    /// The format's name, as reports show it.
    fn name(&self) -> &'static str;
    /// Whether the file looks like this format (by extension and content).
    fn detects(&self, ctx: &ReadContext<'_>) -> bool;
    /// Read the file's units; an error names the file and line.
    fn read(&self, ctx: &ReadContext<'_>) -> Result<BilingualFile>;
}

/// The readers, in the order they are asked.
pub fn readers() -> [&'static dyn Reader; 5] {
    [
        &tmx::Tmx,
        &xliff::Xliff12,
        &xliff::Xliff2,
        &jsonl::Jsonl,
        &markdown::Markdown,
    ]
}

/// When a finding fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// A finding of severity error (the default).
    #[default]
    Error,
    /// Any finding.
    Warning,
    /// Never.
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => true,
            FailOn::Never => false,
        }
    }
}

/// How `bitext qa` runs: the checks, their severities, the glossary and
/// the language pair.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct QaConfig {
    /// Which checks run, with their thresholds.
    pub selection: check::Selection,
    /// Severities that differ from the checks' defaults.
    pub severities: BTreeMap<FlagKind, Severity>,
    /// The glossary; `None` means the bundled one.
    pub glossary: Option<Glossary>,
    /// `--source-lang`.
    pub source_lang: Option<String>,
    /// `--target-lang`.
    pub target_lang: Option<String>,
}

impl Default for QaConfig {
    fn default() -> Self {
        QaConfig {
            selection: check::Selection::all(),
            severities: BTreeMap::new(),
            glossary: None,
            source_lang: None,
            target_lang: None,
        }
    }
}

impl QaConfig {
    /// The severity of findings of `kind`.
    pub fn severity(&self, kind: FlagKind) -> Severity {
        self.severities.get(&kind).copied().unwrap_or_else(|| {
            check::CHECKS
                .iter()
                .find(|c| c.kind == kind)
                .map_or(Severity::Warning, |c| c.severity)
        })
    }

    /// Parse a `--checks` list: check names, `all`, `translate` (the checks
    /// translate runs), and `-name` to leave one out. A list that starts
    /// with `-name` starts from every check.
    pub fn parse_checks(list: &str) -> Result<check::Selection> {
        let items: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let mut selection = if items.first().is_none_or(|i| i.starts_with('-')) {
            check::Selection::all()
        } else {
            check::Selection::only(&[])
        };
        for item in items {
            let (on, name) = match item.strip_prefix('-') {
                Some(name) => (false, name),
                None => (true, item),
            };
            match name {
                "all" => {
                    for c in check::CHECKS {
                        selection.set(c.kind, on);
                    }
                }
                "translate" => {
                    for c in check::CHECKS.iter().filter(|c| c.in_translate) {
                        selection.set(c.kind, on);
                    }
                }
                name => match check::check_info(name) {
                    Some(c) => selection.set(c.kind, on),
                    None => {
                        return Err(ErrorKind::Usage(format!(
                            "--checks: unknown check '{name}'; the checks are all, translate, {}",
                            check::check_names()
                        ))
                        .into());
                    }
                },
            }
        }
        Ok(selection)
    }
}

/// The error of a file that cannot be read, at `line` (0: the whole file).
pub(crate) fn read_error(path: &Path, line: usize, message: String) -> Error {
    Error::in_file(FileKind::Qa, path, line, message)
}

/// Read one bilingual file with the reader its name and content call for.
pub fn read(path: &Path, config: &QaConfig) -> Result<BilingualFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = crate::text::line_at(e.as_bytes(), e.utf8_error().valid_up_to());
        read_error(path, line, "not valid UTF-8; save the file as UTF-8".into())
    })?;
    read_text(path, &text, config)
}

fn read_text(path: &Path, text: &str, config: &QaConfig) -> Result<BilingualFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let ctx = ReadContext {
        path,
        text,
        source_lang: config.source_lang.as_deref(),
        target_lang: config.target_lang.as_deref(),
    };
    let reader = readers()
        .into_iter()
        .find(|r| r.detects(&ctx))
        .ok_or_else(|| {
            read_error(
                path,
                0,
                "not a bilingual file bitext qa reads (TMX, XLIFF 1.2 or 2.0, bitext JSONL or Markdown)"
                    .into(),
            )
        })?;
    let mut file = reader.read(&ctx)?;
    file.format = reader.name();
    Ok(file)
}

/// The file's extension, lowercased.
fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The name of the root element of an XML text, if it is one.
fn xml_root(text: &str) -> Option<&str> {
    let mut rest = text.trim_start();
    loop {
        if let Some(r) = rest
            .strip_prefix("<?")
            .or_else(|| rest.strip_prefix("<!--"))
        {
            let end = if rest.starts_with("<?") { "?>" } else { "-->" };
            rest = r.split_once(end)?.1.trim_start();
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = r.split_once('>')?.1.trim_start();
        } else {
            let r = rest.strip_prefix('<')?;
            let end = r.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
            let name = &r[..end];
            return Some(name.rsplit(':').next().unwrap_or(name));
        }
    }
}

/// Check `files` and report.
pub fn run(config: &QaConfig, files: &[PathBuf]) -> Result<Report> {
    let mut read = Vec::with_capacity(files.len());
    for path in files {
        read.push((path.display().to_string(), self::read(path, config)?));
    }
    check_files(config, read)
}

/// Check files held in memory, `(name, text)`: for tests and the library.
pub fn run_texts(config: &QaConfig, files: &[(&str, &str)]) -> Result<Report> {
    let mut read = Vec::with_capacity(files.len());
    for (name, text) in files {
        read.push((name.to_string(), read_text(Path::new(name), text, config)?));
    }
    check_files(config, read)
}

/// The language pair of the files: flags win where a file states none; a
/// file that states one must agree with the flag and the other files.
fn language_pair(config: &QaConfig, files: &[(String, BilingualFile)]) -> Result<(String, String)> {
    let pick = |flag: &Option<String>,
                stated: &dyn Fn(&BilingualFile) -> Option<&String>,
                option: &str,
                default: &str|
     -> Result<String> {
        let mut chosen: Option<(String, String)> = flag.clone().map(|f| (f, option.to_string()));
        for (name, file) in files {
            let Some(tag) = stated(file) else { continue };
            match &chosen {
                Some((c, from)) if !same_language(c, tag) => {
                    return Err(ErrorKind::Usage(format!(
                        "{name}: the file is in {tag}, but {from} says {c}; check one language pair at a time"
                    ))
                    .into());
                }
                Some(_) => {}
                None => chosen = Some((tag.clone(), name.clone())),
            }
        }
        Ok(chosen.map_or_else(|| default.to_string(), |(c, _)| c))
    };
    let source: &dyn Fn(&BilingualFile) -> Option<&String> = &|f| f.source_lang.as_ref();
    let target: &dyn Fn(&BilingualFile) -> Option<&String> = &|f| f.target_lang.as_ref();
    let [source, target] = [
        (&config.source_lang, source, "--source-lang", "zh-CN"),
        (&config.target_lang, target, "--target-lang", "en-US"),
    ]
    .map(|(flag, stated, option, default)| pick(flag, stated, option, default));
    Ok((source?, target?))
}

/// Whether two language tags name the same language (primary subtag).
fn same_language(a: &str, b: &str) -> bool {
    crate::text::primary_subtag(a) == crate::text::primary_subtag(b)
}

fn check_files(config: &QaConfig, files: Vec<(String, BilingualFile)>) -> Result<Report> {
    let (source_lang, target_lang) = language_pair(config, &files)?;
    let bundled;
    let glossary = match &config.glossary {
        Some(g) => g,
        None => {
            bundled = Glossary::bundled()?;
            &bundled
        }
    };
    let mut report = Report {
        files: files.iter().map(|(n, _)| n.clone()).collect(),
        source_lang,
        target_lang,
        ..Report::default()
    };
    // Every unit, cleaned, for the checks across units.
    let mut all: Vec<(usize, QaUnit)> = Vec::new();
    for (index, (name, file)) in files.into_iter().enumerate() {
        for mut unit in file.units {
            report.units += 1;
            let mut source = std::mem::take(&mut unit.source);
            let mut target = unit.target.clone().unwrap_or_default();
            let mut terms = glossary.annotate(&source);
            let mut flags = check::clean(&mut source, &mut target, &mut terms);
            flags.retain(|f| config.selection.runs(f.kind));
            let mut input = check::Input::new(&source, &target, &terms, glossary);
            let why = unit
                .missing
                .as_deref()
                .unwrap_or("no translation in the file");
            if unit.target.is_none() {
                input = input.missing(why);
            }
            if let Some((s, t)) = &unit.codes {
                input = input.with_codes(s, t);
            }
            flags.extend(check::flags(&input, &config.selection));
            for flag in flags {
                report.findings.push(Finding {
                    file: name.clone(),
                    unit: unit.id.clone(),
                    line: unit.line,
                    source: source.clone(),
                    target: target.clone(),
                    check: flag.kind,
                    severity: config.severity(flag.kind),
                    message: flag.detail,
                });
            }
            unit.source = source;
            if unit.target.is_some() {
                unit.target = Some(target);
            }
            all.push((index, unit));
        }
    }
    let pairs: Vec<(&str, &str)> = all
        .iter()
        .map(|(_, u)| (u.source.as_str(), u.target.as_deref().unwrap_or("")))
        .collect();
    for group in check::consistency::groups(&pairs) {
        if !config.selection.runs(group.kind) {
            continue;
        }
        let first = &all[group.members[0]];
        let place = |&i: &usize| {
            let (file, unit) = &all[i];
            let text = if group.kind == FlagKind::InconsistentTarget {
                unit.target.as_deref().unwrap_or("")
            } else {
                unit.source.as_str()
            };
            format!(
                "{} '{}'",
                unit_place(&report.files[*file], unit),
                text.trim()
            )
        };
        let occurrences: Vec<String> = group.members.iter().map(place).collect();
        let what = if group.kind == FlagKind::InconsistentTarget {
            "translations"
        } else {
            "sources"
        };
        report.findings.push(Finding {
            file: report.files[first.0].clone(),
            unit: first.1.id.clone(),
            line: first.1.line,
            source: first.1.source.clone(),
            target: first.1.target.clone().unwrap_or_default(),
            check: group.kind,
            severity: config.severity(group.kind),
            message: format!(
                "{} different {what} in {} units: {}",
                group.variants,
                group.members.len(),
                occurrences.join("; ")
            ),
        });
    }
    Ok(report)
}

/// Where a unit is: `a.tmx:40 unit 12`.
fn unit_place(file: &str, unit: &QaUnit) -> String {
    match unit.line {
        Some(line) => format!("{file}:{line} unit {}", unit.id),
        None => format!("{file} unit {}", unit.id),
    }
}
