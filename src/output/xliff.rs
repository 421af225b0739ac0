//! XLIFF 2.0 (OASIS), valid against the XLIFF 2.0 core schema, for CAT tools
//! and for the review round trip (`bitext import`).

use std::io;

use quick_xml::events::{BytesEnd, BytesStart, Event};

use super::WriteContext;
use super::xml::{Xml, XmlFormat};
use crate::document::{CodeKind, Origin, Unit};

/// The XLIFF 2.0 namespace.
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// Writes an XLIFF 2.0 document: `<xliff version="2.0">` with hyphenated
/// `srcLang`/`trgLang`, one `<file>` named after the input (with notes on
/// the backend and glossary), and one `<unit id="N">` per segment, its id
/// the segment id. A unit's `<notes>` (before its segment, as the schema
/// wants) hold its glossary terms (`category="glossary"`) and flags
/// (`category="flag"`); its `<segment state="…">` is `initial` when there is
/// no translation (and then has no `<target>`), `reviewed` for a translation
/// a person reviewed, `translated` otherwise. Fuzzy matches from the
/// translation memory go first in the unit as translation candidates
/// (`<mtc:matches>`, see [`MATCHES_NAMESPACE`]), referring to the segment
/// (`id="s1"`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Xliff;

impl XmlFormat for Xliff {
    const NAME: &'static str = "xliff";
    const EXTENSION: &'static str = "xlf";
    const OPEN: &'static [&'static str] = &["xliff", "file"];

    fn head(ctx: &WriteContext, xml: &mut Xml<'_>) -> io::Result<()> {
        xml.event(Event::Start(BytesStart::new("xliff").with_attributes([
            ("xmlns", NAMESPACE),
            ("version", "2.0"),
            ("srcLang", ctx.source_lang.as_str()),
            ("trgLang", ctx.target_lang.as_str()),
        ])))?;
        xml.event(Event::Start(BytesStart::new("file").with_attributes([
            ("id", "f1"),
            ("original", ctx.source_name.as_str()),
        ])))?;
        xml.event(Event::Start(BytesStart::new("notes")))?;
        let backend = match &ctx.model {
            Some(model) => format!("{} ({model})", ctx.backend),
            None => ctx.backend.clone(),
        };
        xml.text_element("note", [("category", "backend")], &backend)?;
        if let Some(glossary) = &ctx.glossary {
            xml.text_element("note", [("category", "glossary")], &glossary.label())?;
        }
        xml.event(Event::End(BytesEnd::new("notes")))?;
        Ok(())
    }

    fn unit(_ctx: &WriteContext, xml: &mut Xml<'_>, unit: &Unit) -> io::Result<()> {
        let id = unit.id.to_string();
        xml.event(Event::Start(
            BytesStart::new("unit").with_attributes([("id", id.as_str())]),
        ))?;
        write_matches(xml, unit)?;
        let terms: Vec<String> = unit
            .distinct_terms()
            .map(|t| format!("{} = {}", t.source, t.target))
            .collect();
        if !terms.is_empty() || !unit.flags.is_empty() {
            xml.event(Event::Start(BytesStart::new("notes")))?;
            for term in &terms {
                xml.text_element(
                    "note",
                    [("category", "glossary"), ("appliesTo", "source")],
                    term,
                )?;
            }
            for flag in &unit.flags {
                let applies = if flag.kind.is_about_source() {
                    "source"
                } else {
                    "target"
                };
                xml.text_element(
                    "note",
                    [("category", "flag"), ("appliesTo", applies)],
                    &flag.to_string(),
                )?;
            }
            xml.event(Event::End(BytesEnd::new("notes")))?;
        }
        if !unit.codes.is_empty() {
            xml.event(Event::Start(BytesStart::new("originalData")))?;
            for code in &unit.codes {
                xml.text_element(
                    "data",
                    [("id", data_id(code.kind, code.id).as_str())],
                    &code.markup,
                )?;
            }
            xml.event(Event::End(BytesEnd::new("originalData")))?;
        }
        let mut segment = BytesStart::new("segment");
        if !unit.matches.is_empty() {
            segment.push_attribute(("id", SEGMENT_ID));
        }
        segment.push_attribute(("state", state(unit)));
        xml.event(Event::Start(segment))?;
        xml.inline_element("source", &unit.source, &unit.codes, inline_code)?;
        if !unit.target.is_empty() {
            xml.inline_element("target", &unit.target, &unit.codes, inline_code)?;
        }
        xml.event(Event::End(BytesEnd::new("segment")))?;
        xml.event(Event::End(BytesEnd::new("unit")))?;
        Ok(())
    }
}

/// The namespace of XLIFF 2.0's translation-candidates module.
pub const MATCHES_NAMESPACE: &str = "urn:oasis:names:tc:xliff:matches:2.0";

/// The id of a unit's one segment when translation candidates refer to it.
const SEGMENT_ID: &str = "s1";

/// A unit's fuzzy matches as XLIFF 2.0 translation candidates: one
/// `<mtc:matches>` (first in the unit, as the schema wants), a
/// `<mtc:match type="tm" similarity="87" origin="reviewed" ref="#s1">` per
/// match with its `<source>` and `<target>`.
fn write_matches(xml: &mut Xml<'_>, unit: &Unit) -> io::Result<()> {
    if unit.matches.is_empty() {
        return Ok(());
    }
    xml.event(Event::Start(
        BytesStart::new("mtc:matches").with_attributes([("xmlns:mtc", MATCHES_NAMESPACE)]),
    ))?;
    let reference = format!("#{SEGMENT_ID}");
    for m in &unit.matches {
        let similarity = m.score.to_string();
        let origin = m.origin.to_string();
        xml.event(Event::Start(BytesStart::new("mtc:match").with_attributes(
            [
                ("ref", reference.as_str()),
                ("type", "tm"),
                ("similarity", similarity.as_str()),
                ("origin", origin.as_str()),
            ],
        )))?;
        xml.text_element("source", [], &m.source)?;
        xml.text_element("target", [], &m.target)?;
        xml.event(Event::End(BytesEnd::new("mtc:match")))?;
    }
    xml.event(Event::End(BytesEnd::new("mtc:matches")))
}

/// The id of a code's `<data>` in `<originalData>`: `d1o`, `d1c`, `d2`.
pub fn data_id(kind: CodeKind, id: u32) -> String {
    match kind {
        CodeKind::Open => format!("d{id}o"),
        CodeKind::Close => format!("d{id}c"),
        CodeKind::Standalone => format!("d{id}"),
    }
}

/// An inline code as XLIFF 2.0: a pair as `<pc>` (its markup by reference),
/// a standalone code as `<ph/>`.
fn inline_code(kind: CodeKind, id: u32, _markup: &str) -> String {
    match kind {
        CodeKind::Open => format!(
            "<pc id=\"{id}\" dataRefStart=\"{}\" dataRefEnd=\"{}\">",
            data_id(CodeKind::Open, id),
            data_id(CodeKind::Close, id)
        ),
        CodeKind::Close => "</pc>".to_string(),
        CodeKind::Standalone => format!(
            "<ph id=\"{id}\" dataRef=\"{}\"/>",
            data_id(CodeKind::Standalone, id)
        ),
    }
}

/// The XLIFF segment state of a unit.
fn state(unit: &Unit) -> &'static str {
    if unit.target.is_empty() {
        "initial"
    } else if unit.origin == Origin::Reviewed {
        "reviewed"
    } else {
        "translated"
    }
}
