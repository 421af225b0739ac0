//! A small wrapper around quick-xml's writer, shared by the XML formats.

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{DocumentWriter, Started, Summary, WriteContext, Writer};
use crate::document::{CodeKind, InlineCode, Unit};
use crate::markup::codes::{Piece, pieces};

/// An indenting XML writer whose errors are `io::Error`s.
pub(crate) struct Xml<'a>(pub(crate) quick_xml::Writer<&'a mut dyn Write>);

impl<'a> Xml<'a> {
    /// A writer indenting by two spaces.
    pub(crate) fn new(out: &'a mut dyn Write) -> Self {
        Xml(quick_xml::Writer::new_with_indent(out, b' ', 2))
    }

    /// `<name>content</name>`, where `content` is a text with the markers
    /// of `codes`, each written as `code` makes it (escaped XML); without
    /// codes, as [`Xml::text_element`].
    pub(crate) fn inline_element(
        &mut self,
        name: &str,
        text: &str,
        codes: &[InlineCode],
        code: impl Fn(CodeKind, u32, &str) -> String,
    ) -> io::Result<()> {
        if codes.is_empty() {
            return self.text_element(name, [], text);
        }
        let mut inner = String::with_capacity(text.len() + 64);
        for piece in pieces(text) {
            match piece {
                Piece::Text(t) => inner.push_str(&quick_xml::escape::escape(t)),
                Piece::Code(kind, id) => {
                    match codes.iter().find(|c| c.id == id && c.kind == kind) {
                        Some(c) => inner.push_str(&code(kind, id, &c.markup)),
                        None => inner.push_str(&quick_xml::escape::escape(
                            crate::markup::codes::marker(kind, id),
                        )),
                    }
                }
            }
        }
        self.event(Event::Start(BytesStart::new(name)))?;
        // Mixed content: written as it is, never indented.
        self.event(Event::Text(BytesText::from_escaped(inner)))?;
        self.event(Event::End(BytesEnd::new(name)))
    }

    /// Write one event.
    pub(crate) fn event(&mut self, event: Event<'_>) -> io::Result<()> {
        self.0.write_event(event).map_err(io::Error::other)
    }

    /// `<name attrs…>text</name>`.
    pub(crate) fn text_element<'b>(
        &mut self,
        name: &str,
        attributes: impl IntoIterator<Item = (&'b str, &'b str)>,
        text: &str,
    ) -> io::Result<()> {
        self.event(Event::Start(
            BytesStart::new(name).with_attributes(attributes),
        ))?;
        self.event(Event::Text(BytesText::new(text)))?;
        self.event(Event::End(BytesEnd::new(name)))
    }

    /// End the document with a newline and flush.
    pub(crate) fn finish(self) -> io::Result<()> {
        let out = self.0.into_inner();
        out.write_all(b"\n")?;
        out.flush()
    }
}

/// An XML output format (TMX, XLIFF): its head, one unit, and the elements
/// the head leaves open. Every such format is a [`Writer`].
pub(crate) trait XmlFormat: Send + Sync + 'static {
    /// The format's name, as given to `--formats`.
    const NAME: &'static str;
    /// The extension of its files.
    const EXTENSION: &'static str;
    /// The elements the head opens, outermost first; closed at the end.
    const OPEN: &'static [&'static str];

    /// Write the head, after the XML declaration.
    fn head(ctx: &WriteContext, xml: &mut Xml<'_>) -> io::Result<()>;

    /// Write one unit.
    fn unit(ctx: &WriteContext, xml: &mut Xml<'_>, unit: &Unit) -> io::Result<()>;
}

impl<F: XmlFormat> Writer for F {
    fn name(&self) -> &str {
        F::NAME
    }

    fn extension(&self) -> &str {
        F::EXTENSION
    }

    fn start<'a>(&self, ctx: &WriteContext, out: &'a mut dyn Write) -> Started<'a> {
        let mut xml = Xml::new(out);
        xml.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        F::head(ctx, &mut xml)?;
        Ok(Box::new(XmlDocument::<F> {
            xml,
            ctx: ctx.clone(),
            format: std::marker::PhantomData,
        }))
    }
}

/// A document of an [`XmlFormat`] being written.
struct XmlDocument<'a, F> {
    xml: Xml<'a>,
    ctx: WriteContext,
    format: std::marker::PhantomData<F>,
}

impl<F: XmlFormat> DocumentWriter for XmlDocument<'_, F> {
    fn units(&mut self, units: &[Unit]) -> io::Result<()> {
        for unit in units {
            F::unit(&self.ctx, &mut self.xml, unit)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, _summary: &Summary) -> io::Result<()> {
        for name in F::OPEN.iter().rev() {
            self.xml.event(Event::End(BytesEnd::new(*name)))?;
        }
        self.xml.finish()
    }
}
