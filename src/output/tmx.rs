//! TMX 1.4 (LISA OSCAR), valid against the TMX 1.4 DTD.
//!
//! No `<!DOCTYPE>` is written: a reference to `tmx14.dtd` makes tools look
//! for that file beside the output, and validation passes the DTD explicitly
//! (`xmllint --dtdvalid tmx14.dtd`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::Path;
use std::time::SystemTime;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::WriteContext;
use super::xml::{Xml, XmlFormat};
use crate::document::{CodeKind, InlineCode, Origin, Unit};
use crate::memory::MemoryEntry;

/// Writes a TMX 1.4 document: a full header, then one `<tu>` per unit with a
/// stable `tuid` (the segment id), `<prop>`s for paragraph, backend, model,
/// origin, glossary terms, alignment bead (type and score), flags and fuzzy
/// matches from the translation memory (`x-fuzzy`: `87% (reviewed): 源 →
/// target`), and one `<tuv>` per language (the target
/// one only when there is a translation). The header carries no creation
/// date, so the same inputs give byte-identical files.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tmx;

/// The `<tmx>` element's version attribute.
const VERSION: (&str, &str) = ("version", "1.4");

/// The `<header>` element of bitext's TMX files (outputs and memory
/// exports): no creation date, so the same inputs give the same file.
fn header(srclang: &str) -> BytesStart<'_> {
    BytesStart::new("header").with_attributes([
        ("creationtool", "bitext"),
        ("creationtoolversion", env!("CARGO_PKG_VERSION")),
        ("segtype", "sentence"),
        ("o-tmf", "bitext"),
        ("adminlang", "en-US"),
        ("srclang", srclang),
        ("datatype", "plaintext"),
    ])
}

impl XmlFormat for Tmx {
    const NAME: &'static str = "tmx";
    const EXTENSION: &'static str = "tmx";
    const OPEN: &'static [&'static str] = &["tmx", "body"];

    fn head(ctx: &WriteContext, ev: &mut Xml<'_>) -> io::Result<()> {
        ev.event(Event::Start(
            BytesStart::new("tmx").with_attributes([VERSION]),
        ))?;
        ev.event(Event::Start(header(&ctx.source_lang)))?;
        prop(ev, "x-source-file", &ctx.source_name)?;
        prop(ev, "x-backend", &ctx.backend)?;
        if let Some(glossary) = &ctx.glossary {
            prop(ev, "x-glossary", &glossary.names.join(", "))?;
            prop(ev, "x-glossary-id", &glossary.id)?;
        }
        ev.event(Event::End(BytesEnd::new("header")))?;
        ev.event(Event::Start(BytesStart::new("body")))?;
        Ok(())
    }

    fn unit(ctx: &WriteContext, ev: &mut Xml<'_>, unit: &Unit) -> io::Result<()> {
        let tuid = unit.id.to_string();
        ev.event(Event::Start(
            BytesStart::new("tu").with_attributes([("tuid", tuid.as_str())]),
        ))?;
        prop(ev, "x-paragraph", &unit.paragraph.to_string())?;
        prop(ev, "x-backend", &unit.backend)?;
        if let Some(model) = &unit.model {
            prop(ev, "x-model", model)?;
        }
        prop(ev, "x-origin", &unit.origin.to_string())?;
        for term in &unit.terms {
            prop(
                ev,
                "x-glossary-term",
                &format!("{} = {}", term.source, term.target),
            )?;
        }
        if let Some(bead) = &unit.bead {
            prop(ev, "x-bead", &bead.kind)?;
            prop(ev, "x-bead-score", &format!("{:.3}", bead.score))?;
        }
        for flag in &unit.flags {
            prop(ev, "x-flag", &flag.to_string())?;
        }
        for m in &unit.matches {
            let fuzzy = format!("{}% ({}): {} → {}", m.score, m.origin, m.source, m.target);
            prop(ev, "x-fuzzy", &fuzzy)?;
        }
        tuv_with_codes(ev, &ctx.source_lang, &unit.source, &unit.codes)?;
        if !unit.target.is_empty() {
            tuv_with_codes(ev, &ctx.target_lang, &unit.target, &unit.codes)?;
        }
        ev.event(Event::End(BytesEnd::new("tu")))?;
        Ok(())
    }
}

/// `<prop type="kind">value</prop>`.
pub(crate) fn prop(ev: &mut Xml<'_>, kind: &str, value: &str) -> io::Result<()> {
    ev.text_element("prop", [("type", kind)], value)
}

/// `<tuv xml:lang="lang"><seg>text</seg></tuv>`.
pub(crate) fn tuv(ev: &mut Xml<'_>, lang: &str, text: &str) -> io::Result<()> {
    ev.event(Event::Start(
        BytesStart::new("tuv").with_attributes([("xml:lang", lang)]),
    ))?;
    ev.text_element("seg", [], text)?;
    ev.event(Event::End(BytesEnd::new("tuv")))
}

/// `<tuv xml:lang="lang"><seg>…</seg></tuv>` with the inline codes of
/// `text` as TMX 1.4 `<bpt>`/`<ept>` (paired by `i`) and `<ph>`, their
/// original markup escaped inside, `x` matching source and target.
fn tuv_with_codes(
    ev: &mut Xml<'_>,
    lang: &str,
    text: &str,
    codes: &[InlineCode],
) -> io::Result<()> {
    ev.event(Event::Start(
        BytesStart::new("tuv").with_attributes([("xml:lang", lang)]),
    ))?;
    ev.inline_element("seg", text, codes, |kind, id, markup| {
        let markup = quick_xml::escape::escape(markup);
        match kind {
            CodeKind::Open => format!("<bpt i=\"{id}\" x=\"{id}\">{markup}</bpt>"),
            CodeKind::Close => format!("<ept i=\"{id}\">{markup}</ept>"),
            CodeKind::Standalone => format!("<ph x=\"{id}\">{markup}</ph>"),
        }
    })?;
    ev.event(Event::End(BytesEnd::new("tuv")))
}

/// Which entries of the translation memory [`write_memory`] writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemoryFilter {
    /// Only reviewed translations.
    pub reviewed_only: bool,
    /// Only machine translations made by this backend.
    pub backend: Option<String>,
    /// Every entry, instead of one per source text.
    pub all: bool,
}

impl MemoryFilter {
    /// Every entry that passes the other filters (`--all`).
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Only reviewed translations (`--reviewed-only`).
    pub fn reviewed_only(mut self, reviewed_only: bool) -> Self {
        self.reviewed_only = reviewed_only;
        self
    }

    /// Only machine translations made by `backend` (`--backend NAME`).
    pub fn backend(mut self, backend: Option<String>) -> Self {
        self.backend = backend;
        self
    }

    /// Whether `entry` passes the filters.
    fn keeps(&self, entry: &MemoryEntry) -> bool {
        if self.reviewed_only && entry.origin != Origin::Reviewed {
            return false;
        }
        match &self.backend {
            Some(backend) => {
                entry.origin != Origin::Reviewed && entry.translation.backend == *backend
            }
            None => true,
        }
    }
}

/// What [`write_memory`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoryCounts {
    /// Machine translations.
    pub machine: usize,
    /// Reviewed translations.
    pub reviewed: usize,
    /// Entries left out by the filters, or because another entry of the
    /// same source was written instead.
    pub left_out: usize,
    /// Word-by-word glosses of the offline dictionary that an older bitext
    /// stored as translations: never written.
    pub glosses: usize,
}

/// Write the translation memory as one TMX 1.4 document, valid against the
/// DTD. By default one `<tu>` per source text (and language pair): the
/// reviewed translation if there is one, else the most recently changed
/// machine one; [`MemoryFilter`] keeps every entry, or only the reviewed
/// ones, or only those of one backend. Each `<tu>` carries the entry's
/// `creationdate` and `changedate` (TMX's `YYYYMMDDThhmmssZ`, for entries
/// that recorded them), `<prop>`s for its status (`x-status`: `machine` or
/// `reviewed`), backend, model, the backend fingerprint and glossary terms a
/// machine translation is keyed by, and a `<tuv>` per language. Glosses of
/// the offline dictionary are never written: they are no translations. The
/// header's `srclang` is the source language of what is written, or `*all*`
/// when it holds several. `entries` are a memory's entries (e.g.
/// [`crate::memory::Memory::entries`]); `name` names `out` in error messages.
pub fn write_memory(
    entries: impl IntoIterator<Item = MemoryEntry>,
    filter: &MemoryFilter,
    out: &mut dyn Write,
    name: &Path,
) -> crate::Result<MemoryCounts> {
    let mut counts = MemoryCounts::default();
    let entries = entries.into_iter().filter(|entry| {
        if entry.origin != Origin::Reviewed
            && entry.translation.backend == crate::backend::dictionary::NAME
        {
            counts.glosses += 1;
            false
        } else if filter.keeps(entry) {
            true
        } else {
            counts.left_out += 1;
            false
        }
    });
    let mut entries: Vec<MemoryEntry> = entries.collect();
    if !filter.all {
        let before = entries.len();
        entries = one_per_source(entries);
        counts.left_out += before - entries.len();
    }
    let mut source_langs: BTreeSet<&str> = entries.iter().map(|e| e.source_lang.as_str()).collect();
    let srclang = match source_langs.len() {
        1 => source_langs.pop_first().unwrap_or_default(),
        _ => "*all*",
    };
    let io = |e: io::Error| crate::Error::write(name, e);
    let mut xml = Xml::new(out);
    let ev = &mut xml;
    ev.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io)?;
    ev.event(Event::Start(
        BytesStart::new("tmx").with_attributes([VERSION]),
    ))
    .map_err(io)?;
    ev.event(Event::Empty(header(srclang))).map_err(io)?;
    ev.event(Event::Start(BytesStart::new("body")))
        .map_err(io)?;
    for entry in &entries {
        memory_unit(ev, entry).map_err(io)?;
        match entry.origin {
            Origin::Reviewed => counts.reviewed += 1,
            _ => counts.machine += 1,
        }
    }
    ev.event(Event::End(BytesEnd::new("body"))).map_err(io)?;
    ev.event(Event::End(BytesEnd::new("tmx"))).map_err(io)?;
    xml.finish().map_err(io)?;
    Ok(counts)
}

/// One `<tu>` of [`write_memory`].
fn memory_unit(ev: &mut Xml<'_>, entry: &MemoryEntry) -> io::Result<()> {
    let created = entry.created.map(tmx_date);
    let changed = entry.changed.map(tmx_date);
    let dates = [("creationdate", &created), ("changedate", &changed)]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)));
    ev.event(Event::Start(BytesStart::new("tu").with_attributes(dates)))?;
    prop(ev, "x-status", &entry.origin.to_string())?;
    prop(ev, "x-backend", &entry.translation.backend)?;
    if let Some(model) = &entry.translation.model {
        prop(ev, "x-model", model)?;
    }
    if let Some(fingerprint) = &entry.fingerprint {
        prop(ev, "x-fingerprint", fingerprint)?;
    }
    if let Some(terms) = entry.terms.as_ref().filter(|t| !t.is_empty()) {
        prop(ev, "x-glossary-terms", terms)?;
    }
    if entry.translation.repaired {
        prop(ev, "x-repaired", "true")?;
    }
    tuv(ev, &entry.source_lang, &clean(&entry.source))?;
    tuv(ev, &entry.target_lang, &clean(&entry.translation.text))?;
    ev.event(Event::End(BytesEnd::new("tu")))
}

/// One entry per language pair and source text, in that order: the
/// reviewed one if there is one, else the most recently changed (an entry
/// without a date counts as the oldest).
fn one_per_source(entries: Vec<MemoryEntry>) -> Vec<MemoryEntry> {
    let mut best: BTreeMap<(String, String, String), MemoryEntry> = BTreeMap::new();
    for entry in entries {
        let key = (
            entry.source_lang.clone(),
            entry.target_lang.clone(),
            entry.source.clone(),
        );
        let rank = |e: &MemoryEntry| (e.origin == Origin::Reviewed, e.changed);
        match best.get(&key) {
            Some(kept) if rank(kept) >= rank(&entry) => {}
            _ => {
                best.insert(key, entry);
            }
        }
    }
    best.into_values().collect()
}

/// A time in TMX's date format, `YYYYMMDDThhmmssZ` (UTC).
pub(crate) fn tmx_date(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date `days` days after 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// The text without what XML 1.0 cannot carry (the memory keeps source
/// texts as they were sent, before the check stage cleaned them).
fn clean(text: &str) -> String {
    let mut text = text.to_string();
    crate::text::remove_xml_forbidden(&mut text);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_in_tmx_form() {
        let at = |secs: u64| tmx_date(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "19700101T000000Z");
        // 2024-02-29 23:59:59 UTC, a leap day.
        assert_eq!(at(1_709_251_199), "20240229T235959Z");
        // 2000-03-01 00:00:00 UTC, after a century leap day.
        assert_eq!(at(951_868_800), "20000301T000000Z");
        // 2038-01-19 03:14:08 UTC, past 32-bit seconds.
        assert_eq!(at(2_147_483_648), "20380119T031408Z");
    }
}
