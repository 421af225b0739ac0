//! TMX 1.4 (LISA OSCAR), valid against the TMX 1.4 DTD.
//!
//! No `<!DOCTYPE>` is written: a reference to `tmx14.dtd` makes tools look
//! for that file beside the output, and validation passes the DTD explicitly
//! (`xmllint --dtdvalid tmx14.dtd`).

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{WriteContext, Writer};
use crate::document::Unit;

/// Writes a TMX 1.4 document: a full header, then one `<tu>` per unit with a
/// stable `tuid` (the segment id), `<prop>`s for paragraph, backend, model,
/// origin, glossary terms and flags, and one `<tuv>` per language (the target
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

    fn write(&self, ctx: &WriteContext, units: &[Unit], out: &mut dyn Write) -> io::Result<()> {
        let mut w = quick_xml::Writer::new_with_indent(out, b' ', 2);
        let mut ev = |e: Event<'_>| w.write_event(e).map_err(io::Error::other);
        ev(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        ev(Event::Start(
            BytesStart::new("tmx").with_attributes([("version", "1.4")]),
        ))?;
        ev(Event::Start(BytesStart::new("header").with_attributes([
            ("creationtool", "bitext"),
            ("creationtoolversion", env!("CARGO_PKG_VERSION")),
            ("segtype", "sentence"),
            ("o-tmf", "bitext"),
            ("adminlang", "en-US"),
            ("srclang", ctx.source_lang.as_str()),
            ("datatype", "plaintext"),
        ])))?;
        prop(&mut ev, "x-source-file", &ctx.source_name)?;
        prop(&mut ev, "x-backend", &ctx.backend)?;
        if let Some(glossary) = &ctx.glossary {
            prop(&mut ev, "x-glossary", &glossary.names.join(", "))?;
            prop(&mut ev, "x-glossary-id", &glossary.id)?;
        }
        ev(Event::End(BytesEnd::new("header")))?;
        ev(Event::Start(BytesStart::new("body")))?;
        for unit in units {
            let tuid = unit.id.to_string();
            ev(Event::Start(
                BytesStart::new("tu").with_attributes([("tuid", tuid.as_str())]),
            ))?;
            prop(&mut ev, "x-paragraph", &unit.paragraph.to_string())?;
            prop(&mut ev, "x-backend", &unit.backend)?;
            if let Some(model) = &unit.model {
                prop(&mut ev, "x-model", model)?;
            }
            prop(&mut ev, "x-origin", &unit.origin.to_string())?;
            for term in &unit.terms {
                prop(
                    &mut ev,
                    "x-glossary-term",
                    &format!("{} = {}", term.source, term.target),
                )?;
            }
            for flag in &unit.flags {
                prop(&mut ev, "x-flag", &flag.to_string())?;
            }
            tuv(&mut ev, &ctx.source_lang, &unit.source)?;
            if !unit.target.is_empty() {
                tuv(&mut ev, &ctx.target_lang, &unit.target)?;
            }
            ev(Event::End(BytesEnd::new("tu")))?;
        }
        ev(Event::End(BytesEnd::new("body")))?;
        ev(Event::End(BytesEnd::new("tmx")))?;
        drop(ev);
        w.into_inner().write_all(b"\n")
    }
}

fn prop<F>(ev: &mut F, kind: &str, value: &str) -> io::Result<()>
where
    F: FnMut(Event<'_>) -> io::Result<()>,
{
    ev(Event::Start(
        BytesStart::new("prop").with_attributes([("type", kind)]),
    ))?;
    ev(Event::Text(BytesText::new(value)))?;
    ev(Event::End(BytesEnd::new("prop")))
}

fn tuv<F>(ev: &mut F, lang: &str, text: &str) -> io::Result<()>
where
    F: FnMut(Event<'_>) -> io::Result<()>,
{
    ev(Event::Start(
        BytesStart::new("tuv").with_attributes([("xml:lang", lang)]),
    ))?;
    ev(Event::Start(BytesStart::new("seg")))?;
    ev(Event::Text(BytesText::new(text)))?;
    ev(Event::End(BytesEnd::new("seg")))?;
    ev(Event::End(BytesEnd::new("tuv")))
}
