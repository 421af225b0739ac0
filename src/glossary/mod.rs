//! The glossary stage: load terminology, find its terms in segments, and check
//! that translations render them.
//!
//! A glossary is a UTF-8 TSV or CSV file with a header row, or a TBX file
//! (see [`tbx`](self#tbx)). Columns, by name, in any order: `source` and
//! `target` (required), `variants` (other accepted renderings, separated by
//! `;`), `note`, `case_sensitive` and `do_not_translate` (`true`/`false`,
//! `yes`/`no`, `1`/`0`), and `forbidden` (renderings the target must not
//! use, separated by `;`; `bitext qa` flags them `forbidden-term`). Terms are found longest-leftmost, so `创先争优` wins
//! over `争优` inside it, and never across segments (each segment is matched
//! on its own).
//!
//! # TBX
//!
//! Files ending in `.tbx` (or XML files whose root is `<tbx>` or `<martif>`)
//! are read as TBX v3 / TBX-Basic or TBX 2008; see [`Glossary::load_all_with`].
//!
//! ```
//! use bitext::glossary::Glossary;
//!
//! let glossary = Glossary::from_tsv_str(
//!     "example.tsv",
//!     "source\ttarget\n创先争优\tStrive for Excellence\n争优\tstrive\n",
//! )?;
//! let terms = glossary.annotate("开展创先争优活动");
//! assert_eq!(terms.len(), 1);
//! assert_eq!(terms[0].target, "Strive for Excellence");
//! # Ok::<(), bitext::Error>(())
//! ```

pub mod extract;
pub mod placeholder;
mod report;
mod tbx;

pub use report::{TermReport, TermRow};

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::document::{Document, SegmentId, TermMatch};
use crate::error::{Error, ErrorKind, FileKind, Result};
use crate::text::{Fnv1a, line_at, primary_subtag};

/// The glossary shipped with bitext (`glossary/glossary.tsv`), built into the binary.
pub const BUNDLED: &str = include_str!("../../glossary/glossary.tsv");

/// The name the bundled glossary's entries go by in messages
/// (`bundled:glossary.tsv:LINE`). In outputs it is named with its id as
/// well, `bundled:glossary.tsv@` and the first 8 digits of
/// [`Glossary::id`]: it is no file on the user's machine, and the id says
/// which version of it a run used.
pub const BUNDLED_NAME: &str = "bundled:glossary.tsv";

/// One glossary entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// The source term.
    pub source: String,
    /// The prescribed target.
    pub target: String,
    /// Other accepted target renderings.
    pub variants: Vec<String>,
    /// A note for translators and reviewers.
    pub note: String,
    /// Whether the target must match with its case.
    pub case_sensitive: bool,
    /// Whether the term stays as it is in the target.
    pub do_not_translate: bool,
    /// Renderings the target must not use (`bitext qa`'s `forbidden-term`).
    pub forbidden: Vec<String>,
    /// The file and line the entry came from.
    pub origin: String,
}

/// A loaded glossary: entries and the automaton that finds them.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    entries: Vec<Entry>,
    names: Vec<String>,
    matcher: Option<AhoCorasick>,
    hash: u64,
}

impl Glossary {
    /// A glossary with no entries.
    pub fn empty() -> Self {
        Glossary::default()
    }

    /// The glossary shipped with bitext, named `bundled:glossary.tsv@ID`
    /// (see [`BUNDLED_NAME`]).
    pub fn bundled() -> Result<Self> {
        let mut glossary = Glossary::from_tsv_str(BUNDLED_NAME, BUNDLED)?;
        glossary.names = vec![format!("{BUNDLED_NAME}@{}", &glossary.id()[..8])];
        Ok(glossary)
    }

    /// Load one glossary file (`.tsv`, `.csv`; anything else is read as TSV).
    pub fn load(path: &Path) -> Result<Self> {
        Glossary::load_all(std::slice::from_ref(&path.to_path_buf()))
    }

    /// Load and merge several glossary files (TBX entries from `zh` to `en`).
    /// A source term defined twice with different targets is an error naming
    /// both places; nothing is loaded from a set with any error.
    pub fn load_all(paths: &[PathBuf]) -> Result<Self> {
        Glossary::load_all_with(paths, "zh-CN", "en-US")
    }

    /// Like [`Glossary::load_all`], taking TBX entries from the languages of
    /// `source_lang` to `target_lang` (matched on their primary subtag: a
    /// `zh-CN` run reads TBX `zh`, `zh-CN` and `zh-Hans` terms).
    pub fn load_all_with(paths: &[PathBuf], source_lang: &str, target_lang: &str) -> Result<Self> {
        let mut entries = Vec::new();
        let mut names = Vec::new();
        for path in paths {
            let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
            let text = std::str::from_utf8(&bytes).map_err(|e| {
                let line = line_at(&bytes, e.valid_up_to());
                glossary_error(path, line, "not valid UTF-8; save the glossary as UTF-8")
            })?;
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let head = text.trim_start_matches('\u{feff}').trim_start();
            if ext == "tbx"
                || (head.starts_with('<') && (head.contains("<martif") || head.contains("<tbx")))
            {
                entries.extend(tbx::parse(
                    path,
                    text,
                    &primary_subtag(source_lang),
                    &primary_subtag(target_lang),
                )?);
            } else {
                entries.extend(parse(path, text, if ext == "csv" { b',' } else { b'\t' })?);
            }
            names.push(path.display().to_string());
        }
        Glossary::from_entries(names, entries)
    }

    /// Parse a TSV glossary held in memory; `name` stands for its file in messages.
    pub fn from_tsv_str(name: &str, text: &str) -> Result<Self> {
        let entries = parse(Path::new(name), text, b'\t')?;
        Glossary::from_entries(vec![name.to_string()], entries)
    }

    fn from_entries(names: Vec<String>, entries: Vec<Entry>) -> Result<Self> {
        let mut unique: Vec<Entry> = Vec::with_capacity(entries.len());
        let mut seen = std::collections::HashMap::new();
        for entry in entries {
            match seen.get(&entry.source) {
                Some(&i) => {
                    let first: &Entry = &unique[i];
                    if first.target != entry.target {
                        let (path, line) = split_origin(&entry.origin);
                        return Err(glossary_error(
                            Path::new(path),
                            line,
                            &format!(
                                "'{}' is already defined as '{}' at {}; keep one target and list the other under variants",
                                entry.source, first.target, first.origin
                            ),
                        ));
                    }
                }
                None => {
                    seen.insert(entry.source.clone(), unique.len());
                    unique.push(entry);
                }
            }
        }
        let matcher = if unique.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(unique.iter().map(|e| e.source.as_str()))
                    .map_err(|e| Error::from(ErrorKind::Usage(format!("glossary: {e}"))))?,
            )
        };
        let mut hash = Fnv1a::default();
        for e in &unique {
            for field in [&e.source, &e.target, &e.variants.join(";")] {
                hash.write(field.as_bytes());
                hash.write(&[0]);
            }
            hash.write(&[u8::from(e.case_sensitive), u8::from(e.do_not_translate)]);
            // Only when there are any, so that older glossaries keep their id.
            if !e.forbidden.is_empty() {
                hash.write(e.forbidden.join(";").as_bytes());
                hash.write(&[1]);
            }
        }
        Ok(Glossary {
            entries: unique,
            names,
            matcher,
            hash: hash.finish(),
        })
    }

    /// The entries, in the order they were loaded.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the glossary has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The files the glossary was loaded from.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// A content hash that identifies this glossary's terms (16 hex digits).
    pub fn id(&self) -> String {
        format!("{:016x}", self.hash)
    }

    /// Find the glossary terms in `text`, longest-leftmost, without overlaps.
    pub fn annotate(&self, text: &str) -> Vec<TermMatch> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        matcher
            .find_iter(text)
            .map(|m| {
                let entry = &self.entries[m.pattern().as_usize()];
                TermMatch {
                    term_id: m.pattern().as_usize(),
                    source: entry.source.clone(),
                    target: entry.target.clone(),
                    span: m.range(),
                }
            })
            .collect()
    }

    /// Whether `translation` renders the matched term: its target, or one of
    /// its variants, appears (ignoring case unless the entry is
    /// case-sensitive, white space runs, curly against straight quotes, and a
    /// leading article: "two dilemmas" renders "the two dilemmas").
    pub fn is_rendered(&self, term: &TermMatch, translation: &str) -> bool {
        let Some(entry) = self.entries.get(term.term_id) else {
            return false;
        };
        let haystack = normalize(translation, entry.case_sensitive);
        std::iter::once(&entry.target)
            .chain(&entry.variants)
            .any(|t| {
                let needle = normalize(t, entry.case_sensitive);
                let needle = strip_article(&needle);
                !needle.is_empty() && haystack.contains(needle)
            })
    }

    /// The first rendering the glossary forbids for the matched term that
    /// `translation` uses, as a whole word or phrase (folded like
    /// [`Glossary::is_rendered`]).
    pub fn forbidden_in<'a>(&'a self, term: &TermMatch, translation: &str) -> Option<&'a str> {
        let entry = self.entries.get(term.term_id)?;
        let haystack = normalize(translation, entry.case_sensitive);
        entry.forbidden.iter().map(String::as_str).find(|bad| {
            let needle = normalize(bad, entry.case_sensitive);
            !needle.is_empty()
                && haystack.match_indices(&needle).any(|(at, _)| {
                    let before = haystack[..at].chars().next_back();
                    let after = haystack[at + needle.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                })
        })
    }

    /// The terms found in each segment of `doc`, in a stable form for review
    /// and snapshot tests (`Display` is one line per match; it also serialises).
    pub fn annotate_document(&self, doc: &Document) -> Annotations {
        let segments = doc
            .segments()
            .filter_map(|s| {
                let terms = self.annotate(s.content());
                (!terms.is_empty()).then(|| SegmentTerms {
                    id: s.id,
                    paragraph: s.paragraph,
                    index: s.index,
                    text: s.content().to_string(),
                    terms,
                })
            })
            .collect();
        Annotations {
            source: doc.source.clone(),
            segments,
        }
    }

    /// Write the glossary as TSV with the full header.
    pub fn write_tsv(&self, out: &mut dyn Write) -> io::Result<()> {
        // The forbidden column only when an entry has one, so that the
        // export of an older glossary stays as it was.
        let forbidden = self.entries.iter().any(|e| !e.forbidden.is_empty());
        write!(
            out,
            "source\ttarget\tvariants\tnote\tcase_sensitive\tdo_not_translate"
        )?;
        writeln!(out, "{}", if forbidden { "\tforbidden" } else { "" })?;
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        for e in &self.entries {
            write!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                clean(&e.source),
                clean(&e.target),
                clean(&e.variants.join(";")),
                clean(&e.note),
                e.case_sensitive,
                e.do_not_translate
            )?;
            if forbidden {
                write!(out, "\t{}", clean(&e.forbidden.join(";")))?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    /// Write the glossary as TBX 2008 (`<martif>`), readable by
    /// translate-toolkit and CAT tools.
    pub fn write_tbx(
        &self,
        source_lang: &str,
        target_lang: &str,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        tbx::write(&self.entries, source_lang, target_lang, out)
    }
}

/// The glossary terms found in a document's segments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Annotations {
    /// The document's source name.
    pub source: String,
    /// The segments with at least one term, in order.
    pub segments: Vec<SegmentTerms>,
}

/// The glossary terms found in one segment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SegmentTerms {
    /// The segment's id.
    pub id: SegmentId,
    /// 1-based paragraph.
    pub paragraph: usize,
    /// 1-based index within the paragraph.
    pub index: usize,
    /// The segment's text.
    pub text: String,
    /// The terms, in order.
    pub terms: Vec<TermMatch>,
}

impl fmt::Display for Annotations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.segments {
            for t in &s.terms {
                let chars = s.text[..t.span.start].chars().count();
                writeln!(
                    f,
                    "{}:{} [{}.{}] @{} {} → {}",
                    self.source, s.id, s.paragraph, s.index, chars, t.source, t.target
                )?;
            }
        }
        Ok(())
    }
}

/// `needle` without a leading English article.
fn strip_article(needle: &str) -> &str {
    for article in ["the ", "a ", "an "] {
        if let Some(rest) = needle.strip_prefix(article)
            && !rest.is_empty()
        {
            return rest;
        }
    }
    needle
}

/// Fold what a glossary check must not be fooled by: case (unless
/// case-sensitive), runs of white space, and curly against straight quotes.
fn normalize(text: &str, case_sensitive: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if case_sensitive {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn parse(path: &Path, text: &str, delimiter: u8) -> Result<Vec<Entry>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(delimiter == b',')
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| csv_error(path, &e))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect::<Vec<_>>();
    let column = |name: &str| header.iter().position(|h| h == name);
    const KNOWN: &[&str] = &[
        "source",
        "target",
        "variants",
        "note",
        "case_sensitive",
        "do_not_translate",
        "forbidden",
    ];
    if let Some(unknown) = header.iter().find(|h| !KNOWN.contains(&h.as_str())) {
        return Err(glossary_error(
            path,
            1,
            &format!(
                "unknown column '{unknown}'; the columns are {}",
                KNOWN.join(", ")
            ),
        ));
    }
    let (Some(source_col), Some(target_col)) = (column("source"), column("target")) else {
        return Err(glossary_error(
            path,
            1,
            "the header must name the columns 'source' and 'target'",
        ));
    };
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let flag = |name: &str| -> Result<bool> {
            match field(column(name)).to_ascii_lowercase().as_str() {
                "" | "false" | "no" | "0" => Ok(false),
                "true" | "yes" | "1" => Ok(true),
                other => Err(glossary_error(
                    path,
                    line,
                    &format!("{name} is '{other}'; write true or false"),
                )),
            }
        };
        let source = field(Some(source_col));
        let target = field(Some(target_col));
        if source.is_empty() {
            return Err(glossary_error(
                path,
                line,
                "empty source; fill it in or delete the row",
            ));
        }
        let do_not_translate = flag("do_not_translate")?;
        if target.is_empty() && !do_not_translate {
            return Err(glossary_error(
                path,
                line,
                &format!("'{source}' has an empty target; fill it in or delete the row"),
            ));
        }
        entries.push(Entry {
            source: source.to_string(),
            target: if target.is_empty() { source } else { target }.to_string(),
            variants: list(field(column("variants"))),
            note: field(column("note")).to_string(),
            case_sensitive: flag("case_sensitive")?,
            do_not_translate,
            forbidden: list(field(column("forbidden"))),
            origin: format!("{}:{line}", path.display()),
        });
    }
    Ok(entries)
}

/// A `;`-separated cell (`variants`, `forbidden`) as its non-empty items.
fn list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

fn split_origin(origin: &str) -> (&str, usize) {
    match origin.rsplit_once(':') {
        Some((path, line)) => (path, line.parse().unwrap_or(0)),
        None => (origin, 0),
    }
}

fn csv_error(path: &Path, error: &csv::Error) -> Error {
    let line = error.position().map_or(0, |p| p.line() as usize);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{len} columns where the header has {expected_len}; check for a missing or extra tab"
        ),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8; save the glossary as UTF-8".to_string(),
        _ => error.to_string(),
    };
    glossary_error(path, line, &message)
}

pub(crate) fn glossary_error(path: &Path, line: usize, message: &str) -> Error {
    Error::in_file(FileKind::Glossary, path, line, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary(text: &str) -> Result<Glossary> {
        Glossary::from_tsv_str("g.tsv", text)
    }

    #[test]
    fn longest_match_wins() {
        let g =
            glossary("source\ttarget\n争优\tstrive\n创先争优\tStrive for Excellence\n").unwrap();
        let found: Vec<_> = g
            .annotate("创先争优和争优")
            .into_iter()
            .map(|m| m.target)
            .collect();
        assert_eq!(found, ["Strive for Excellence", "strive"]);
    }

    #[test]
    fn rendered_ignores_case_and_accepts_variants() {
        let g =
            glossary("source\ttarget\tvariants\n国土资源部\tMinistry of Land and Resources\tMLR\n")
                .unwrap();
        let m = &g.annotate("国土资源部")[0];
        assert!(g.is_rendered(m, "the ministry of land  and resources said"));
        assert!(g.is_rendered(m, "The MLR said"));
        assert!(!g.is_rendered(m, "The ministry said"));
    }

    #[test]
    fn forbidden_renderings_from_tsv_and_tbx() {
        let g = glossary(
            "source\ttarget\tforbidden\n国土资源部\tMinistry of Land and Resources\tLand Ministry; MLRs\n",
        )
        .unwrap();
        let m = &g.annotate("国土资源部")[0];
        assert_eq!(
            g.forbidden_in(m, "The land ministry said"),
            Some("Land Ministry")
        );
        assert_eq!(g.forbidden_in(m, "The Mainland Ministry said"), None);
        assert_eq!(g.forbidden_in(m, "the MLRs"), Some("MLRs"));
        // TBX: exported with a deprecated status, read back as forbidden.
        let mut tbx = Vec::new();
        g.write_tbx("zh", "en", &mut tbx).unwrap();
        let tbx = String::from_utf8(tbx).unwrap();
        assert!(tbx.contains("deprecatedTerm-admn-sts"), "{tbx}");
        let entries = tbx::parse(Path::new("g.tbx"), &tbx, "zh", "en").unwrap();
        assert_eq!(entries[0].target, "Ministry of Land and Resources");
        assert!(entries[0].variants.is_empty());
        assert_eq!(entries[0].forbidden, ["Land Ministry", "MLRs"]);
        // An older glossary keeps its id: forbidden only counts when present.
        let plain =
            glossary("source\ttarget\n国土资源部\tMinistry of Land and Resources\n").unwrap();
        let empty =
            glossary("source\ttarget\tforbidden\n国土资源部\tMinistry of Land and Resources\t\n")
                .unwrap();
        assert_eq!(plain.id(), empty.id());
        assert_ne!(plain.id(), g.id());
    }

    #[test]
    fn errors_name_file_and_line() {
        for (text, message) in [
            (
                "source\ttarget\na\tb\n\tc\n",
                "g.tsv:3: empty source; fill it in or delete the row",
            ),
            (
                "source\ttarget\na\tb\tc\n",
                "g.tsv:2: 3 columns where the header has 2; check for a missing or extra tab",
            ),
            (
                "source\ttarget\na\tb\na\tc\n",
                "g.tsv:3: 'a' is already defined as 'b' at g.tsv:2; keep one target and list the other under variants",
            ),
        ] {
            assert_eq!(glossary(text).unwrap_err().to_string(), message);
        }
        let err = glossary("source\tziel\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("g.tsv:1: unknown column 'ziel'")
        );
    }
}
