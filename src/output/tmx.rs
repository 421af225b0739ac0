//! TMX 1.4 (LISA OSCAR), valid against the TMX 1.4 DTD.
//!
//! No `<!DOCTYPE>` is written: a reference to `tmx14.dtd` makes tools look
//! for that file beside the output, and validation passes the DTD explicitly
//! (`xmllint --dtdvalid tmx14.dtd`).

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{DocumentWriter, Summary, WriteContext, Writer};
use crate::document::Unit;

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
        let mut xml = Xml(quick_xml::Writer::new_with_indent(out, b' ', 2));
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
        let out = self.xml.0.into_inner();
        out.write_all(b"\n")?;
        out.flush()
    }
}

/// The XML writer, with errors as `io::Error`.
struct Xml<'a>(quick_xml::Writer<&'a mut dyn Write>);

impl Xml<'_> {
    fn event(&mut self, event: Event<'_>) -> io::Result<()> {
        self.0.write_event(event).map_err(io::Error::other)
    }
}

fn prop(ev: &mut Xml<'_>, kind: &str, value: &str) -> io::Result<()> {
    ev.event(Event::Start(
        BytesStart::new("prop").with_attributes([("type", kind)]),
    ))?;
    ev.event(Event::Text(BytesText::new(value)))?;
    ev.event(Event::End(BytesEnd::new("prop")))
}

fn tuv(ev: &mut Xml<'_>, lang: &str, text: &str) -> io::Result<()> {
    ev.event(Event::Start(
        BytesStart::new("tuv").with_attributes([("xml:lang", lang)]),
    ))?;
    ev.event(Event::Start(BytesStart::new("seg")))?;
    ev.event(Event::Text(BytesText::new(text)))?;
    ev.event(Event::End(BytesEnd::new("seg")))?;
    ev.event(Event::End(BytesEnd::new("tuv")))
}
