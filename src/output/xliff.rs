//! XLIFF 2.0 (OASIS), valid against the XLIFF 2.0 core schema, for CAT tools
//! and for the review round trip (`bitext import`).

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::xml::Xml;
use super::{DocumentWriter, Summary, WriteContext, Writer};
use crate::document::{Origin, Unit};

/// The XLIFF 2.0 namespace.
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// Writes an XLIFF 2.0 document: `<xliff version="2.0">` with hyphenated
/// `srcLang`/`trgLang`, one `<file>` named after the input (with notes on
/// the backend and glossary), and one `<unit id="N">` per segment, its id
/// the segment id. A unit's `<notes>` (before its segment, as the schema
/// wants) hold its glossary terms (`category="glossary"`) and flags
/// (`category="flag"`); its `<segment state="…">` is `initial` when there is
/// no translation (and then has no `<target>`), `reviewed` for a translation
/// a person reviewed, `translated` otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct Xliff;

impl Writer for Xliff {
    fn name(&self) -> &str {
        "xliff"
    }

    fn extension(&self) -> &str {
        "xlf"
    }

    fn start<'a>(
        &self,
        ctx: &WriteContext,
        out: &'a mut dyn Write,
    ) -> io::Result<Box<dyn DocumentWriter + 'a>> {
        let mut xml = Xml::new(out);
        xml.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
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
            let text = format!(
                "{} ({} entries, id {})",
                glossary.names.join(", "),
                glossary.entries,
                glossary.id
            );
            xml.text_element("note", [("category", "glossary")], &text)?;
        }
        xml.event(Event::End(BytesEnd::new("notes")))?;
        Ok(Box::new(XliffDocument { xml }))
    }
}

struct XliffDocument<'a> {
    xml: Xml<'a>,
}

impl DocumentWriter for XliffDocument<'_> {
    fn units(&mut self, units: &[Unit]) -> io::Result<()> {
        let xml = &mut self.xml;
        for unit in units {
            let id = unit.id.to_string();
            xml.event(Event::Start(
                BytesStart::new("unit").with_attributes([("id", id.as_str())]),
            ))?;
            let mut seen = Vec::new();
            let terms: Vec<String> = unit
                .terms
                .iter()
                .filter(|t| {
                    let new = !seen.contains(&t.term_id);
                    seen.push(t.term_id);
                    new
                })
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
            xml.event(Event::Start(
                BytesStart::new("segment").with_attributes([("state", state(unit))]),
            ))?;
            xml.text_element("source", [], &unit.source)?;
            if !unit.target.is_empty() {
                xml.text_element("target", [], &unit.target)?;
            }
            xml.event(Event::End(BytesEnd::new("segment")))?;
            xml.event(Event::End(BytesEnd::new("unit")))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, _summary: &Summary) -> io::Result<()> {
        self.xml.event(Event::End(BytesEnd::new("file")))?;
        self.xml.event(Event::End(BytesEnd::new("xliff")))?;
        self.xml.finish()
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
