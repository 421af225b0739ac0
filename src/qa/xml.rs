//! A small element tree for the XML readers (TMX, XLIFF 1.2 and 2.0), and
//! the reading of inline content: text, and inline codes named so that a
//! source's and a target's codes can be compared ([`crate::check::tags`]).

use quick_xml::events::{BytesStart, Event};

use super::{QaUnit, read_error};
use crate::error::Result;
use crate::text::{resolve_xml_reference, xml_event};

/// An element: its local name, attributes, children and line.
#[derive(Debug, Clone, Default)]
pub(super) struct Element {
    /// The local name (without a namespace prefix).
    pub name: String,
    /// The attributes, qualified names as written (`xml:lang`).
    pub attributes: Vec<(String, String)>,
    /// Elements and text, in order.
    pub children: Vec<Node>,
    /// The 1-based line of its start tag.
    pub line: usize,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub(super) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The value of the attribute `name` (a qualified name; `lang` also
    /// finds `xml:lang`).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name || k.rsplit(':').next() == Some(name))
            .map(|(_, v)| v.as_str())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Every descendant named `name`, depth first, not looking inside
    /// one that is found.
    pub fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            } else {
                e.find_all(name, out);
            }
        }
    }
}

/// Parse `text` (the file `path`) into its root element, which must be
/// `<name>`: an error asks whether the file is `what` (TMX, XLIFF).
pub(super) fn parse_as(
    path: &std::path::Path,
    text: &str,
    name: &str,
    what: &str,
) -> Result<Element> {
    let root = parse(path, text)?;
    if root.name != name {
        return Err(read_error(
            path,
            root.line,
            format!(
                "the root element is <{}>, not <{name}>; is this {what} file?",
                root.name
            ),
        ));
    }
    Ok(root)
}

/// Parse `text` (the file `path`) into its root element.
pub(super) fn parse(path: &std::path::Path, text: &str) -> Result<Element> {
    let mut reader = quick_xml::Reader::from_str(text);
    let line_at = |pos: u64| crate::text::line_at(text.as_bytes(), pos as usize);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let (pos, event) = xml_event(&mut reader, text, "XML", |line, message| {
            read_error(path, line, message)
        })?;
        let bad = |e: &dyn std::fmt::Display| read_error(path, line_at(pos), e.to_string());
        match event {
            Event::Start(e) => stack.push(start(&e, line_at(pos)).map_err(|e| bad(&e))?),
            Event::Empty(e) => {
                let element = start(&e, line_at(pos)).map_err(|e| bad(&e))?;
                push(&mut stack, Node::Element(element));
            }
            Event::End(_) => {
                let element = stack.pop().filter(|_| !stack.is_empty());
                match element {
                    Some(element) => push(&mut stack, Node::Element(element)),
                    None => return Err(bad(&"unexpected end tag")),
                }
            }
            Event::Text(t) => {
                let t = t.decode().map_err(|e| bad(&e))?;
                push(&mut stack, Node::Text(t.into_owned()));
            }
            Event::CData(t) => {
                push(
                    &mut stack,
                    Node::Text(String::from_utf8_lossy(&t).into_owned()),
                );
            }
            Event::GeneralRef(r) => {
                let text = match resolve_xml_reference(&r) {
                    Some(text) => text,
                    None => format!("&{};", String::from_utf8_lossy(&r)),
                };
                push(&mut stack, Node::Text(text));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(read_error(
            path,
            line_at(text.len() as u64),
            format!(
                "not well-formed XML: <{}> is not closed",
                stack.last().map_or("", |e| e.name.as_str())
            ),
        ));
    }
    let document = stack.pop().unwrap_or_default();
    document
        .elements()
        .next()
        .cloned()
        .ok_or_else(|| read_error(path, 1, "no root element; is this an XML file?".into()))
}

fn start(e: &BytesStart<'_>, line: usize) -> std::result::Result<Element, String> {
    let mut attributes = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let value = a.unescape_value().map_err(|e| e.to_string())?;
        attributes.push((
            String::from_utf8_lossy(a.key.as_ref()).into_owned(),
            value.into_owned(),
        ));
    }
    Ok(Element {
        name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
        attributes,
        children: Vec::new(),
        line,
    })
}

/// Add `node` to the innermost open element; adjacent texts merge.
fn push(stack: &mut [Element], node: Node) {
    let Some(top) = stack.last_mut() else { return };
    if let (Node::Text(t), Some(Node::Text(last))) = (&node, top.children.last_mut()) {
        last.push_str(t);
        return;
    }
    top.children.push(node);
}

/// The text of an inline-content element (a TMX `<seg>`, an XLIFF
/// `<source>` or `<target>`), and its inline codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Inline {
    /// The text, without the codes' native content.
    pub text: String,
    /// Each code, as `<name id="…">`.
    pub codes: Vec<String>,
}

/// The unit `id` at `line`: its source and target texts, and their inline
/// codes when either has any.
pub(super) fn unit(id: String, line: usize, source: Inline, target: Option<Inline>) -> QaUnit {
    let any = !source.codes.is_empty() || target.as_ref().is_some_and(|t| !t.codes.is_empty());
    let codes = any.then(|| {
        (
            source.codes,
            target.as_ref().map(|t| t.codes.clone()).unwrap_or_default(),
        )
    });
    QaUnit {
        id,
        line: Some(line),
        codes,
        source: source.text,
        target: target.map(|t| t.text),
        missing: None,
    }
}

/// Codes whose content is native data, not text: skipped.
const NATIVE: &[&str] = &["bpt", "ept", "ph", "it", "ut", "x", "bx", "ex", "sc", "ec"];
/// Codes whose content is text: read through.
const WRAPPING: &[&str] = &["g", "pc", "hi"];
/// Annotations and markers that are no code: their text is read, the
/// element itself ignored (`<mrk>`, `<sm/>`, `<em/>`); `<sub>` is a
/// sub-flow inside native code and is skipped with it.
const IGNORED: &[&str] = &["mrk", "sm", "em"];

/// Read `element`'s inline content.
pub(super) fn inline(element: &Element) -> Inline {
    let mut out = Inline::default();
    walk(element, &mut out);
    out
}

/// Read `element`'s children into `out`. Where a code that stood between
/// two spaces is left out, one of them goes with it, so that the text has
/// no double space the file has not.
fn walk(element: &Element, out: &mut Inline) {
    let mut after_code = false;
    for child in &element.children {
        match child {
            Node::Text(t) => {
                let t = if after_code && out.text.ends_with(' ') {
                    t.strip_prefix(' ').unwrap_or(t)
                } else {
                    t
                };
                out.text.push_str(t);
                after_code = false;
            }
            Node::Element(e) => {
                let name = e.name.as_str();
                if NATIVE.contains(&name) || WRAPPING.contains(&name) {
                    out.codes.push(code_name(e));
                }
                after_code = NATIVE.contains(&name);
                if WRAPPING.contains(&name) || IGNORED.contains(&name) {
                    walk(e, out);
                }
            }
        }
    }
}

/// `<name id="…">`, with the attribute that identifies the code: `id`
/// (XLIFF), `startRef` (XLIFF 2.0 `<ec>`), `i` (TMX paired codes), `x`.
fn code_name(e: &Element) -> String {
    for key in ["id", "startRef", "i", "x", "rid"] {
        if let Some(v) = e.attribute(key) {
            return format!("<{} {key}=\"{v}\">", e.name);
        }
    }
    format!("<{}>", e.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_codes_and_text() {
        let root = parse(
            std::path::Path::new("t.xml"),
            "<seg>A <bpt i=\"1\">&lt;b&gt;</bpt>bold<ept i=\"1\">&lt;/b&gt;</ept> <ph x=\"2\">{1}</ph>&amp; <hi>hi</hi><g id=\"3\">g</g><x id=\"4\"/></seg>",
        )
        .unwrap();
        let inline = inline(&root);
        assert_eq!(inline.text, "A bold & hig");
        assert_eq!(
            inline.codes,
            [
                "<bpt i=\"1\">",
                "<ept i=\"1\">",
                "<ph x=\"2\">",
                "<hi>",
                "<g id=\"3\">",
                "<x id=\"4\">"
            ]
        );
    }
}
