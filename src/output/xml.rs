//! A small wrapper around quick-xml's writer, shared by the XML formats.

use std::io::{self, Write};

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

/// An indenting XML writer whose errors are `io::Error`s.
pub(crate) struct Xml<'a>(pub(crate) quick_xml::Writer<&'a mut dyn Write>);

impl<'a> Xml<'a> {
    /// A writer indenting by two spaces.
    pub(crate) fn new(out: &'a mut dyn Write) -> Self {
        Xml(quick_xml::Writer::new_with_indent(out, b' ', 2))
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
