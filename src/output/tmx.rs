//! TMX 1.4 (LISA OSCAR), valid against the TMX 1.4 DTD.
//!
//! No `<!DOCTYPE>` is written: a reference to `tmx14.dtd` makes tools look
//! for that file beside the output, and validation passes the DTD explicitly
//! (`xmllint --dtdvalid tmx14.dtd`).

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::Path;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::xml::Xml;
use super::{DocumentWriter, Summary, WriteContext, Writer};
use crate::cache::Cache;
use crate::document::{Origin, Unit};

/// Writes a TMX 1.4 document: a full header, then one `<tu>` per unit with a
/// stable `tuid` (the segment id), `<prop>`s for paragraph, backend, model,
/// origin, glossary terms, alignment bead (type and score) and flags, and one `<tuv>` per language (the target
/// one only when there is a translation). The header carries no creation
/// date, so the same inputs give byte-identical files.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tmx;

impl Writer for Tmx {
    fn name(&self) -> &str {
        "tmx"
    }

    fn extension(&self) -> &str {
        "tmx"
    }

    fn start<'a>(
        &self,
        ctx: &WriteContext,
        out: &'a mut dyn Write,
    ) -> io::Result<Box<dyn DocumentWriter + 'a>> {
        let mut xml = Xml::new(out);
        let ev = &mut xml;
        ev.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        ev.event(Event::Start(
            BytesStart::new("tmx").with_attributes([("version", "1.4")]),
        ))?;
        ev.event(Event::Start(BytesStart::new("header").with_attributes([
            ("creationtool", "bitext"),
            ("creationtoolversion", env!("CARGO_PKG_VERSION")),
            ("segtype", "sentence"),
            ("o-tmf", "bitext"),
            ("adminlang", "en-US"),
            ("srclang", ctx.source_lang.as_str()),
            ("datatype", "plaintext"),
        ])))?;
        prop(ev, "x-source-file", &ctx.source_name)?;
        prop(ev, "x-backend", &ctx.backend)?;
        if let Some(glossary) = &ctx.glossary {
            prop(ev, "x-glossary", &glossary.names.join(", "))?;
            prop(ev, "x-glossary-id", &glossary.id)?;
        }
        ev.event(Event::End(BytesEnd::new("header")))?;
        ev.event(Event::Start(BytesStart::new("body")))?;
        Ok(Box::new(TmxDocument {
            xml,
            source_lang: ctx.source_lang.clone(),
            target_lang: ctx.target_lang.clone(),
        }))
    }
}

struct TmxDocument<'a> {
    xml: Xml<'a>,
    source_lang: String,
    target_lang: String,
}

impl DocumentWriter for TmxDocument<'_> {
    fn units(&mut self, units: &[Unit]) -> io::Result<()> {
        let ev = &mut self.xml;
        for unit in units {
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
            tuv(ev, &self.source_lang, &unit.source)?;
            if !unit.target.is_empty() {
                tuv(ev, &self.target_lang, &unit.target)?;
            }
            ev.event(Event::End(BytesEnd::new("tu")))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, _summary: &Summary) -> io::Result<()> {
        self.xml.event(Event::End(BytesEnd::new("body")))?;
        self.xml.event(Event::End(BytesEnd::new("tmx")))?;
        self.xml.finish()
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

/// What [`write_memory`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoryCounts {
    /// Machine translations.
    pub machine: usize,
    /// Reviewed translations.
    pub reviewed: usize,
}

/// Write the whole translation memory as one TMX 1.4 document, valid against
/// the DTD: one `<tu>` per entry (machine translations first, then reviewed
/// ones, each in key order) with `<prop>`s for its status (`x-status`:
/// `machine` or `reviewed`), backend, model, the backend fingerprint and
/// glossary terms a machine translation is keyed by, and a `<tuv>` per
/// language. The header's `srclang` is the memory's source language, or
/// `*all*` when it holds several. `name` names `out` in error messages.
pub fn write_memory(
    cache: &Cache,
    out: &mut dyn Write,
    name: &Path,
) -> crate::Result<MemoryCounts> {
    let mut source_langs = BTreeSet::new();
    cache.for_each(|entry| {
        source_langs.insert(entry.source_lang);
        Ok(())
    })?;
    let srclang = match source_langs.len() {
        1 => source_langs.pop_first().unwrap_or_default(),
        _ => "*all*".to_string(),
    };
    let io = |e: io::Error| crate::Error::write(name, e);
    let mut xml = Xml::new(out);
    let ev = &mut xml;
    ev.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io)?;
    ev.event(Event::Start(
        BytesStart::new("tmx").with_attributes([("version", "1.4")]),
    ))
    .map_err(io)?;
    ev.event(Event::Empty(BytesStart::new("header").with_attributes([
        ("creationtool", "bitext"),
        ("creationtoolversion", env!("CARGO_PKG_VERSION")),
        ("segtype", "sentence"),
        ("o-tmf", "bitext"),
        ("adminlang", "en-US"),
        ("srclang", srclang.as_str()),
        ("datatype", "plaintext"),
    ])))
    .map_err(io)?;
    ev.event(Event::Start(BytesStart::new("body")))
        .map_err(io)?;
    let mut counts = MemoryCounts::default();
    cache.for_each(|entry| {
        let write = |ev: &mut Xml<'_>| -> io::Result<()> {
            ev.event(Event::Start(BytesStart::new("tu")))?;
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
        };
        write(ev).map_err(io)?;
        match entry.origin {
            Origin::Reviewed => counts.reviewed += 1,
            _ => counts.machine += 1,
        }
        Ok(())
    })?;
    ev.event(Event::End(BytesEnd::new("body"))).map_err(io)?;
    ev.event(Event::End(BytesEnd::new("tmx"))).map_err(io)?;
    xml.finish().map_err(io)?;
    Ok(counts)
}

/// The text without what XML 1.0 cannot carry (the memory keeps source
/// texts as they were sent, before the check stage cleaned them).
fn clean(text: &str) -> String {
    let mut text = text.to_string();
    crate::check::remove_forbidden(&mut text);
    text
}
