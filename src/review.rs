//! The review round trip: read a reviewed file, find the translations a
//! person changed, and keep them in the translation memory as reviewed
//! translations (`bitext import`), which the next `bitext translate` of the
//! same source segments uses verbatim, sends to no backend and marks
//! reviewed in every output.
//!
//! # What is read
//!
//! - A **Markdown** review file as bitext writes it ([`crate::output::Markdown`]),
//!   with English cells edited: every table headed `| # | 中文 | English |
//!   Notes |` is read; the `#` cell is the segment id, the source cell is
//!   read back without its bold glossary terms, cells are unescaped with
//!   [`crate::output::markdown::unescape`], and Notes are ignored. The
//!   languages come from the file's `Languages:` line.
//! - An **XLIFF 2.0** file as bitext writes it ([`crate::output::Xliff`]) and
//!   CAT tools save it: each `<unit id>` with one `<segment>`, its
//!   `<source>` and `<target>` (text, `<mrk>`/`<pc>` contents and `<cp>`;
//!   other inline codes are refused). The languages come from
//!   `srcLang`/`trgLang`.
//!
//! # Which translations changed
//!
//! The Markdown holds the edited translation but not the one it replaced, so
//! each row is compared with a [`Reference`]:
//!
//! 1. the **JSONL beside the file** (same folder and stem: `output/article.md`
//!    → `output/article.jsonl`), written by the same `translate` run. It
//!    knows every segment by id with its source and translation, so a row
//!    whose source cell was changed, a row added or a row deleted is
//!    reported rather than guessed at;
//! 2. failing that, the **translation memory**: a row is unchanged when its
//!    translation is one the memory holds for its source. A row whose source
//!    the memory does not know is reported, since there is nothing to tell
//!    an edit from an untouched machine translation (rows added or deleted
//!    cannot be detected this way).
//!
//! The JSONL is preferred because it is exactly what the reviewer was given,
//! whatever backend made it and whether or not that backend used the memory
//! (the offline dictionary does not).
//!
//! Reviewed translations are keyed by language pair and source text alone
//! ([`MemoryKey::reviewed`]), so they apply to every identical source segment,
//! in this text or another, whatever the backend and glossary.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

use crate::document::CodeKind;
use crate::error::{Error, FileKind, Result};
use crate::markup::codes::marker;
use crate::memory::{Memory, MemoryKey, StoredTranslation};
use crate::output::markdown::{strip_bold, unescape};
use crate::text::resolve_xml_reference as resolve_reference;

pub use crate::document::REVIEW_BACKEND;

/// The header of the Markdown segment tables.
const TABLE_HEADER: [&str; 4] = ["#", "中文", "English", "Notes"];

/// The kinds of reviewed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFormat {
    /// A bitext Markdown review file.
    Markdown,
    /// An XLIFF 2.0 file.
    Xliff,
}

impl fmt::Display for ReviewFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReviewFormat::Markdown => "Markdown",
            ReviewFormat::Xliff => "XLIFF",
        })
    }
}

/// One reviewed segment: a table row or an XLIFF unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// The 1-based line of the row (or of the `<unit>` element).
    pub line: usize,
    /// The segment id.
    pub id: u32,
    /// The source text, as in the file.
    pub source: String,
    /// The translation, as the reviewer left it (surrounding white space removed).
    pub target: String,
}

/// A row or segment that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The 1-based line of the row in the reviewed file; `None` for a
    /// segment missing from it.
    pub line: Option<usize>,
    /// The segment id, when known.
    pub id: Option<u32>,
    /// Why, and what to do.
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.id) {
            (Some(line), Some(id)) => write!(f, "line {line}: segment {id}: {}", self.reason),
            (Some(line), None) => write!(f, "line {line}: {}", self.reason),
            (None, Some(id)) => write!(f, "segment {id}: {}", self.reason),
            (None, None) => f.write_str(&self.reason),
        }
    }
}

/// A reviewed file, read.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReviewFile {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: ReviewFormat,
    /// The input it was made from, as the file names it.
    pub source_name: Option<String>,
    /// The source language tag the file states.
    pub source_lang: Option<String>,
    /// The target language tag the file states.
    pub target_lang: Option<String>,
    /// The segments read, in file order.
    pub rows: Vec<ReviewRow>,
    /// Rows that could not be read.
    pub rejected: Vec<Rejection>,
}

impl ReviewFile {
    /// Read a reviewed file: XLIFF when it ends in `.xlf`, `.xliff` or
    /// `.xml` or starts like XML, Markdown otherwise.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            review_error(
                path,
                0,
                "not UTF-8; bitext writes UTF-8, so save the file as UTF-8",
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if matches!(extension.as_str(), "xlf" | "xliff" | "xml")
            || text.trim_start().starts_with('<')
        {
            Self::parse_xliff(path, text)
        } else {
            Self::parse_markdown(path, text)
        }
    }

    /// Read a Markdown review file's segment tables.
    pub fn parse_markdown(path: &Path, text: &str) -> Result<Self> {
        let mut file = ReviewFile {
            path: path.to_path_buf(),
            format: ReviewFormat::Markdown,
            source_name: None,
            source_lang: None,
            target_lang: None,
            rows: Vec::new(),
            rejected: Vec::new(),
        };
        let mut tables = 0;
        let mut in_table = false;
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim();
            let number = i + 1;
            i += 1;
            if let Some(name) = line.strip_prefix("# Review: ").filter(|_| tables == 0) {
                file.source_name = Some(unescape(name.trim()));
                continue;
            }
            if let Some(pair) = line
                .strip_prefix("- **Languages:** ")
                .filter(|_| tables == 0)
            {
                if let Some((source, target)) = pair.split_once('→') {
                    file.source_lang = Some(unescape(source.trim()));
                    file.target_lang = Some(unescape(target.trim()));
                }
                continue;
            }
            if !line.starts_with('|') {
                in_table = false;
                continue;
            }
            let cells = split_row(line);
            if !in_table {
                // A table starts: a header row, then its delimiter row.
                let header: Vec<String> = cells.iter().map(|c| unescape(c.trim())).collect();
                if header == TABLE_HEADER && lines.get(i).is_some_and(|l| is_delimiter(l)) {
                    in_table = true;
                    tables += 1;
                    i += 1;
                }
                continue;
            }
            let reject = |reason: String| Rejection {
                line: Some(number),
                id: cells.first().and_then(|c| c.trim().parse().ok()),
                reason,
            };
            if cells.len() != 4 {
                file.rejected.push(reject(format!(
                    "the row has {} cells, not 4 (# | 中文 | English | Notes); write a '|' inside a cell as \\|",
                    cells.len()
                )));
                continue;
            }
            let Ok(id) = cells[0].trim().parse::<u32>() else {
                file.rejected.push(reject(format!(
                    "the # cell '{}' is not a segment number; leave it as bitext wrote it",
                    cells[0].trim()
                )));
                continue;
            };
            file.rows.push(ReviewRow {
                line: number,
                id,
                source: unescape(&strip_bold(cells[1].trim())),
                target: unescape(cells[2].trim()).trim().to_string(),
            });
        }
        if tables == 0 {
            return Err(review_error(
                path,
                0,
                "no segment table (| # | 中文 | English | Notes |) found; import a Markdown file that bitext translate wrote",
            ));
        }
        Ok(file)
    }

    /// Read an XLIFF 2.0 file's units.
    pub fn parse_xliff(path: &Path, text: &str) -> Result<Self> {
        let mut file = ReviewFile {
            path: path.to_path_buf(),
            format: ReviewFormat::Xliff,
            source_name: None,
            source_lang: None,
            target_lang: None,
            rows: Vec::new(),
            rejected: Vec::new(),
        };
        let line_at = |offset: u64| {
            crate::text::line_at(
                text.as_bytes(),
                usize::try_from(offset).unwrap_or(usize::MAX),
            )
        };
        let mut reader = quick_xml::Reader::from_str(text);
        let mut unit: Option<XliffUnit> = None;
        // Which text the events go to: source or target of the current segment.
        let mut into: Option<bool> = None;
        // Inside a <segment> (a translation candidate's <source> and
        // <target>, in <mtc:matches>, are not the unit's).
        let mut in_segment = false;
        let mut saw_root = false;
        let mut depth = 0usize;
        loop {
            let offset = reader.buffer_position();
            let event = reader.read_event().map_err(|e| {
                review_error(path, line_at(offset), &format!("not well-formed XML: {e}"))
            })?;
            match &event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::Eof if depth > 0 => {
                    return Err(review_error(
                        path,
                        line_at(offset),
                        "not well-formed XML: the file ends inside an element (cut short?)",
                    ));
                }
                _ => {}
            }
            let empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.local_name();
                    let attr = |key: &str| {
                        e.try_get_attribute(key)
                            .ok()
                            .flatten()
                            .and_then(|a| a.unescape_value().ok())
                            .map(|v| v.into_owned())
                    };
                    match name.as_ref() {
                        b"xliff" => {
                            saw_root = true;
                            let version = attr("version").unwrap_or_default();
                            if !version.starts_with('2') {
                                return Err(review_error(
                                    path,
                                    line_at(offset),
                                    &format!(
                                        "XLIFF version '{version}' is not 2.x; export XLIFF 2.0 (bitext translate --formats xliff)"
                                    ),
                                ));
                            }
                            file.source_lang = attr("srcLang");
                            file.target_lang = attr("trgLang");
                        }
                        b"file" if file.source_name.is_none() => {
                            file.source_name = attr("original")
                        }
                        b"unit" => {
                            unit = Some(XliffUnit {
                                line: line_at(offset),
                                id: attr("id").unwrap_or_default(),
                                ..XliffUnit::default()
                            });
                        }
                        b"segment" => {
                            in_segment = !empty;
                            if let Some(u) = unit.as_mut() {
                                u.segments += 1;
                            }
                        }
                        b"source" if unit.is_some() && in_segment => into = Some(false),
                        b"target" if unit.is_some() && in_segment => {
                            into = Some(true);
                            if let Some(u) = unit.as_mut() {
                                u.target.get_or_insert_with(String::new);
                            }
                        }
                        b"cp" => {
                            if let (Some(u), Some(side)) = (unit.as_mut(), into) {
                                let code =
                                    attr("hex").and_then(|h| u32::from_str_radix(&h, 16).ok());
                                match code.and_then(char::from_u32) {
                                    Some(c) => u.push(side, &c.to_string()),
                                    None => {
                                        u.problem = Some("a <cp> without a valid hex code".into())
                                    }
                                }
                            }
                        }
                        b"pc" | b"ph" if into.is_some() => {
                            // Inline codes come back as the markers bitext wrote them from.
                            if let (Some(u), Some(side)) = (unit.as_mut(), into) {
                                match attr("id").and_then(|id| id.parse::<u32>().ok()) {
                                    Some(id) if name.as_ref() == b"ph" => {
                                        u.push(side, &marker(CodeKind::Standalone, id));
                                    }
                                    Some(id) if empty => {
                                        u.push(side, &marker(CodeKind::Open, id));
                                        u.push(side, &marker(CodeKind::Close, id));
                                    }
                                    Some(id) => {
                                        u.open.push(id);
                                        u.push(side, &marker(CodeKind::Open, id));
                                    }
                                    None => {
                                        u.problem = Some(
                                            "an inline code without a numeric id; keep the codes bitext wrote".into(),
                                        )
                                    }
                                }
                            }
                        }
                        b"mrk" | b"pc" => {}
                        other if into.is_some() => {
                            if let Some(u) = unit.as_mut() {
                                u.problem = Some(format!(
                                    "inline code <{}> in the text; bitext imports plain text",
                                    String::from_utf8_lossy(other)
                                ));
                            }
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    if let (Some(u), Some(side)) = (unit.as_mut(), into) {
                        let text = t.decode().map_err(|e| {
                            review_error(path, line_at(offset), &format!("bad text: {e}"))
                        })?;
                        u.push(side, &text);
                    }
                }
                Event::CData(t) => {
                    if let (Some(u), Some(side)) = (unit.as_mut(), into) {
                        u.push(side, &String::from_utf8_lossy(&t));
                    }
                }
                Event::GeneralRef(r) => {
                    if let (Some(u), Some(side)) = (unit.as_mut(), into) {
                        match resolve_reference(&r) {
                            Some(text) => u.push(side, &text),
                            None => {
                                let name = String::from_utf8_lossy(&r);
                                return Err(review_error(
                                    path,
                                    line_at(offset),
                                    &format!("unknown entity &{name};"),
                                ));
                            }
                        }
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"source" | b"target" => into = None,
                    b"segment" => in_segment = false,
                    b"pc" => {
                        if let (Some(u), Some(side)) = (unit.as_mut(), into)
                            && let Some(id) = u.open.pop()
                        {
                            u.push(side, &marker(CodeKind::Close, id));
                        }
                    }
                    b"unit" => {
                        if let Some(u) = unit.take() {
                            file.add_unit(u);
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_root {
            return Err(review_error(
                path,
                0,
                "no <xliff> element; import an XLIFF 2.0 file (bitext translate --formats xliff)",
            ));
        }
        Ok(file)
    }

    fn add_unit(&mut self, unit: XliffUnit) {
        let reject = |reason: String| Rejection {
            line: Some(unit.line),
            id: unit.id.parse().ok(),
            reason,
        };
        let Ok(id) = unit.id.parse::<u32>() else {
            self.rejected.push(reject(format!(
                "unit id '{}' is not a segment number; keep the ids bitext wrote",
                unit.id
            )));
            return;
        };
        if unit.segments != 1 {
            self.rejected.push(reject(format!(
                "the unit has {} segments; bitext writes one per unit, so do not split or join segments",
                unit.segments
            )));
            return;
        }
        if let Some(problem) = unit.problem {
            self.rejected.push(reject(problem));
            return;
        }
        self.rows.push(ReviewRow {
            line: unit.line,
            id,
            source: unit.source.trim().to_string(),
            target: unit.target.unwrap_or_default().trim().to_string(),
        });
    }
}

#[derive(Debug, Default)]
struct XliffUnit {
    line: usize,
    id: String,
    segments: usize,
    source: String,
    target: Option<String>,
    problem: Option<String>,
    /// The ids of the `<pc>` elements open.
    open: Vec<u32>,
}

impl XliffUnit {
    fn push(&mut self, target: bool, text: &str) {
        if target {
            self.target.get_or_insert_with(String::new).push_str(text);
        } else {
            self.source.push_str(text);
        }
    }
}

/// Split a table row into its cells at the `|` that are not escaped; the
/// leading and trailing pipes of the row are not cell separators.
fn split_row(line: &str) -> Vec<String> {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let mut cells = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let cell = cells.last_mut().expect("one cell");
                cell.push(c);
                if let Some(next) = chars.next() {
                    cell.push(next);
                }
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().expect("one cell").push(c),
        }
    }
    // The trailing pipe leaves an empty last cell.
    if cells.len() > 1 && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells
}

/// A GFM table delimiter row: `|---:|---|`.
fn is_delimiter(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|')
        && line.contains('-')
        && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// What reviewed rows are compared with to tell which were edited (see the
/// module documentation).
#[derive(Debug, Clone)]
pub struct Reference {
    name: String,
    kind: ReferenceKind,
}

#[derive(Debug, Clone)]
enum ReferenceKind {
    /// Segments by id: source and translation.
    Segments(BTreeMap<u32, (String, String)>),
    /// Translations in the memory by source text.
    Memory(HashMap<String, Vec<String>>),
}

impl Reference {
    /// The JSONL written beside a reviewed file (same folder and stem), if
    /// there is one; for the export of a review page (`STEM.review.xlf`),
    /// `STEM.review.jsonl` or else `STEM.jsonl`.
    pub fn beside(review: &Path) -> Option<PathBuf> {
        let jsonl = review.with_extension("jsonl");
        let page = review
            .file_stem()
            .and_then(|stem| stem.to_str())
            .and_then(|stem| stem.strip_suffix(".review"))
            .map(|stem| review.with_file_name(format!("{stem}.jsonl")));
        std::iter::once(jsonl)
            .chain(page)
            .find(|jsonl| jsonl != review && jsonl.is_file())
    }

    /// The segments of a JSONL file bitext wrote (`id`, `source`, `target`).
    pub fn from_jsonl(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        let mut segments = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |what: &str| {
                review_error(
                    path,
                    n + 1,
                    &format!("{what}; this JSONL was not written by bitext translate"),
                )
            };
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| bad(&format!("not JSON ({e})")))?;
            let id = value["id"]
                .as_u64()
                .and_then(|id| u32::try_from(id).ok())
                .ok_or_else(|| bad("no segment id"))?;
            let source = value["source"].as_str().ok_or_else(|| bad("no source"))?;
            let target = value["target"].as_str().ok_or_else(|| bad("no target"))?;
            segments.insert(id, (source.to_string(), target.to_string()));
        }
        Ok(Reference {
            name: path.display().to_string(),
            kind: ReferenceKind::Segments(segments),
        })
    }

    /// The translations (machine and reviewed) the memory holds from
    /// `source_lang` to `target_lang`.
    pub fn from_memory(cache: &Memory, source_lang: &str, target_lang: &str) -> Result<Self> {
        let mut by_source: HashMap<String, Vec<String>> = HashMap::new();
        cache.for_each(|entry| {
            if entry.source_lang == source_lang && entry.target_lang == target_lang {
                by_source
                    .entry(entry.source)
                    .or_default()
                    .push(entry.translation.text);
            }
            Ok(())
        })?;
        Ok(Reference {
            name: format!("the translation memory {}", cache.path().display()),
            kind: ReferenceKind::Memory(by_source),
        })
    }

    /// What the reference is, for messages: a file name or the memory.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What importing a reviewed file would do.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ImportPlan {
    /// The rows whose translation was edited, to be stored.
    pub changed: Vec<ReviewRow>,
    /// Rows left as they were.
    pub unchanged: usize,
    /// Rows (and missing segments) that cannot be imported, in file order.
    pub rejected: Vec<Rejection>,
}

impl ImportPlan {
    /// Compare the rows of `file` with `reference`.
    pub fn new(file: &ReviewFile, reference: &Reference) -> Self {
        let mut plan = ImportPlan {
            rejected: file.rejected.clone(),
            ..ImportPlan::default()
        };
        let source_label = match file.format {
            ReviewFormat::Markdown => "中文 cell",
            ReviewFormat::Xliff => "<source>",
        };
        let mut seen: BTreeMap<u32, usize> = BTreeMap::new();
        // Edited translations by source, to catch contradicting edits.
        let mut edits: HashMap<&str, (u32, &str)> = HashMap::new();
        for row in &file.rows {
            let reject = |reason: String| Rejection {
                line: Some(row.line),
                id: Some(row.id),
                reason,
            };
            if let Some(first) = seen.insert(row.id, row.line) {
                plan.rejected.push(reject(format!(
                    "segment {} appears twice (first at line {first}); remove the added row",
                    row.id
                )));
                continue;
            }
            let unchanged = match &reference.kind {
                ReferenceKind::Segments(segments) => {
                    let Some((source, target)) = segments.get(&row.id) else {
                        plan.rejected.push(reject(format!(
                            "no segment {} in {} (an added row, or a file of another source); rows cannot be added",
                            row.id, reference.name
                        )));
                        continue;
                    };
                    if row.source.trim() != source.trim() {
                        plan.rejected.push(reject(format!(
                            "the {source_label} differs from segment {}'s source in {} ('{}'): edit only the translation; a file of another source cannot be imported against it",
                            row.id,
                            reference.name,
                            abbreviate(source)
                        )));
                        continue;
                    }
                    row.target == as_read(file.format, target)
                }
                ReferenceKind::Memory(by_source) => {
                    let Some(known) = by_source.get(row.source.trim()) else {
                        plan.rejected.push(reject(format!(
                            "cannot tell whether it was edited: there is no JSONL beside the file and {} has no translation of its source; keep the JSONL that translate wrote beside the file",
                            reference.name
                        )));
                        continue;
                    };
                    known.iter().any(|t| as_read(file.format, t) == row.target)
                }
            };
            if unchanged {
                plan.unchanged += 1;
                continue;
            }
            if row.target.is_empty() {
                plan.rejected.push(reject(
                    "the translation is empty; write one, or leave the row as it was".into(),
                ));
                continue;
            }
            match edits.get(row.source.as_str()) {
                Some(&(other, text)) if text != row.target => {
                    plan.rejected.push(reject(format!(
                        "segment {other} has the same source and was edited differently; the memory keeps one reviewed translation per source, so make them agree"
                    )));
                    continue;
                }
                _ => {
                    edits.insert(&row.source, (row.id, &row.target));
                }
            }
            plan.changed.push(row.clone());
        }
        if let ReferenceKind::Segments(segments) = &reference.kind {
            for id in segments.keys().filter(|id| !seen.contains_key(id)) {
                plan.rejected.push(Rejection {
                    line: None,
                    id: Some(*id),
                    reason: format!(
                        "in {} but not in the reviewed file (a deleted row); nothing imported for it",
                        reference.name
                    ),
                });
            }
        }
        plan.rejected
            .sort_by_key(|r| (r.line.is_none(), r.line, r.id));
        plan
    }

    /// Store the changed translations in `cache` as reviewed translations
    /// from `source_lang` to `target_lang`; returns how many were stored.
    pub fn store(&self, cache: &Memory, source_lang: &str, target_lang: &str) -> Result<usize> {
        let items: Vec<(MemoryKey, StoredTranslation)> = self
            .changed
            .iter()
            .map(|row| {
                (
                    MemoryKey::reviewed(source_lang, target_lang, row.source.trim()),
                    StoredTranslation {
                        text: row.target.clone(),
                        backend: REVIEW_BACKEND.to_string(),
                        model: None,
                        repaired: false,
                    },
                )
            })
            .collect();
        if !items.is_empty() {
            cache.put_reviewed(&items)?;
        }
        Ok(items.len())
    }
}

/// A translation as it reads back from a file of `format`: the Markdown
/// writer folds line breaks to spaces, so a translation with a line break
/// is not taken for an edit.
fn as_read(format: ReviewFormat, text: &str) -> String {
    match format {
        ReviewFormat::Markdown => text.replace(['\n', '\r'], " ").trim().to_string(),
        ReviewFormat::Xliff => text.trim().to_string(),
    }
}

fn abbreviate(text: &str) -> String {
    const MAX: usize = 24;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

fn review_error(path: &Path, line: usize, message: &str) -> Error {
    Error::in_file(FileKind::Review, path, line, message)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn changed_ids(plan: &ImportPlan) -> BTreeSet<u32> {
        plan.changed.iter().map(|r| r.id).collect()
    }

    fn reference(segments: &[(u32, &str, &str)]) -> Reference {
        Reference {
            name: "a.jsonl".into(),
            kind: ReferenceKind::Segments(
                segments
                    .iter()
                    .map(|&(id, s, t)| (id, (s.to_string(), t.to_string())))
                    .collect(),
            ),
        }
    }

    const MD: &str = "# Review: a.txt\n\n- **Languages:** zh-CN → en-US\n\n## Paragraph 1\n\n| # | 中文 | English | Notes |\n|---:|---|---|---|\n| 1 | 开展**创先争优**活动. | Launch the campaign. | 创先争优 → Strive for Excellence |\n| 2 | 他说\\|好. | He said \\| good. |  |\n| 3 | 三. | Three. |  |\n\n## Terminology\n\n| Term | Target | Occurrences |\n|---|---|---:|\n| 创先争优 | Strive | 1 |\n";

    #[test]
    fn the_reference_of_a_review_page_export_is_the_runs_jsonl() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("a.b.review.xlf");
        assert_eq!(Reference::beside(&export), None);
        std::fs::write(dir.path().join("a.b.jsonl"), "").unwrap();
        assert_eq!(
            Reference::beside(&export),
            Some(dir.path().join("a.b.jsonl"))
        );
        std::fs::write(dir.path().join("a.b.review.jsonl"), "").unwrap();
        assert_eq!(
            Reference::beside(&export),
            Some(dir.path().join("a.b.review.jsonl"))
        );
        assert_eq!(
            Reference::beside(&dir.path().join("a.b.xlf")),
            Some(dir.path().join("a.b.jsonl"))
        );
    }

    #[test]
    fn reads_markdown_rows() {
        let file = ReviewFile::parse_markdown(Path::new("a.md"), MD).unwrap();
        assert_eq!(file.source_name.as_deref(), Some("a.txt"));
        assert_eq!(file.source_lang.as_deref(), Some("zh-CN"));
        assert_eq!(file.target_lang.as_deref(), Some("en-US"));
        assert_eq!(
            file.rows,
            [
                ReviewRow {
                    line: 9,
                    id: 1,
                    source: "开展创先争优活动.".into(),
                    target: "Launch the campaign.".into()
                },
                ReviewRow {
                    line: 10,
                    id: 2,
                    source: "他说|好.".into(),
                    target: "He said | good.".into()
                },
                ReviewRow {
                    line: 11,
                    id: 3,
                    source: "三.".into(),
                    target: "Three.".into()
                },
            ]
        );
        assert!(file.rejected.is_empty());
    }

    #[test]
    fn plans_changes_and_reports_what_cannot_be_matched() {
        let text = MD
            .replace("Launch the campaign.", "Launch the Strive for Excellence campaign.")
            .replace("| 3 | 三. | Three. |  |", "| 3 | 四. | Four. |  |\n| 9 | 新. | New. |  |\n| 1 | x | y | |\n| z | a | b | c |\n| 5 | a | b | c | d |");
        let file = ReviewFile::parse_markdown(Path::new("a.md"), &text).unwrap();
        let reference = reference(&[
            (1, "开展创先争优活动.", "Launch the campaign."),
            (2, "他说|好.", "He said | good."),
            (3, "三.", "Three."),
            (4, "四.", "Four."),
        ]);
        let plan = ImportPlan::new(&file, &reference);
        assert_eq!(changed_ids(&plan), BTreeSet::from([1]));
        assert_eq!(plan.unchanged, 1);
        let reasons: Vec<String> = plan.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(reasons.len(), 6, "{reasons:#?}");
        assert!(
            reasons[0].starts_with("line 11: segment 3: the 中文 cell differs"),
            "{reasons:#?}"
        );
        assert!(reasons[1].starts_with("line 12: segment 9: no segment 9 in a.jsonl"));
        assert!(
            reasons[2].starts_with("line 13: segment 1: segment 1 appears twice (first at line 9)")
        );
        assert!(reasons[3].starts_with("line 14: the # cell 'z' is not a segment number"));
        assert!(reasons[4].starts_with("line 15: segment 5: the row has 5 cells"));
        assert!(reasons[5].starts_with("segment 4: in a.jsonl but not in the reviewed file"));
    }

    #[test]
    fn line_breaks_folded_by_the_writer_are_no_edit() {
        let file = ReviewFile::parse_markdown(Path::new("a.md"), MD).unwrap();
        let reference = reference(&[
            (1, "开展创先争优活动.", "Launch the\ncampaign."),
            (2, "他说|好.", "He said | good."),
            (3, "三.", "Three.\r"),
        ]);
        let plan = ImportPlan::new(&file, &reference);
        assert!(plan.changed.is_empty(), "{plan:?}");
        assert_eq!(plan.unchanged, 3);
    }

    #[test]
    fn reads_xliff_units() {
        let xliff = r#"<?xml version="1.0"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" trgLang="en-GB">
  <file id="f1" original="a.txt">
    <unit id="1"><notes><note>x</note></notes><segment state="reviewed"><source>他说&lt;好&gt;.</source><target>He <mrk id="m1" type="comment">said</mrk> &lt;good&gt;<cp hex="0021"/></target></segment></unit>
    <unit id="2"><segment><source>甲.</source></segment><segment><source>乙.</source></segment></unit>
    <unit id="3"><segment><source>丙.</source><target>C <ph id="p1"/></target></segment></unit>
    <unit id="u4"><segment><source>丁.</source><target>D</target></segment></unit>
    <unit id="5"><segment><source>戊.</source></segment></unit>
  </file>
</xliff>"#;
        let file = ReviewFile::parse_xliff(Path::new("a.xlf"), xliff).unwrap();
        assert_eq!(file.target_lang.as_deref(), Some("en-GB"));
        assert_eq!(file.source_name.as_deref(), Some("a.txt"));
        assert_eq!(
            file.rows,
            [
                ReviewRow {
                    line: 4,
                    id: 1,
                    source: "他说<好>.".into(),
                    target: "He said <good>!".into()
                },
                ReviewRow {
                    line: 8,
                    id: 5,
                    source: "戊.".into(),
                    target: String::new()
                },
            ]
        );
        let reasons: Vec<String> = file.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(reasons.len(), 3);
        assert!(reasons[0].starts_with("line 5: segment 2: the unit has 2 segments"));
        assert!(reasons[1].starts_with("line 6: segment 3: an inline code without a numeric id"));
        assert!(reasons[2].starts_with("line 7: unit id 'u4'"));
        let err = ReviewFile::parse_xliff(
            Path::new("old.xlf"),
            r#"<xliff version="1.2"><file/></xliff>"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("not 2.x"), "{err}");
    }
}
