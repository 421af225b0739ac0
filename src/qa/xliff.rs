//! XLIFF 1.2 and 2.0 from any tool.
//!
//! XLIFF 1.2: one unit per `<trans-unit>` (in `<body>` or nested
//! `<group>`s), or, when it has a `<seg-source>` with `<mrk mtype="seg">`
//! segments, one per segment, its target the `<mrk>` of the same `mid` in
//! `<target>`. Units marked `translate="no"`, and a PO header that
//! translate-toolkit's po2xliff made a unit, are left out. XLIFF 2.0: one
//! unit per `<segment>` of each `<unit>`. Inline codes: `<g>`, `<x/>`,
//! `<bx/>`, `<ex/>`, `<bpt>`, `<ept>`, `<ph>`, `<it>` (1.2); `<pc>`, `<ph/>`,
//! `<sc/>`, `<ec/>` (2.0). `<mrk>` is an annotation, not a code. An empty
//! target whose state is `new`, `needs-translation` or `initial` is no
//! translation (`untranslated`), not an `empty` one.

use super::xml::{self, Element};
use super::{BilingualFile, ReadContext, Reader, extension, read_error, xml_root};
use crate::error::Result;

/// The XLIFF 1.2 reader (and 1.0, 1.1).
pub(super) struct Xliff12;
/// The XLIFF 2.0 reader (and 2.1).
pub(super) struct Xliff2;

/// The XLIFF version of `ctx`'s text, from the root's `version` attribute
/// or namespace, if it is an XLIFF file.
fn version(ctx: &ReadContext<'_>) -> Option<u8> {
    let is_xliff = xml_root(ctx.text) == Some("xliff")
        || matches!(extension(ctx.path).as_str(), "xlf" | "xliff" | "sdlxliff");
    if !is_xliff {
        return None;
    }
    let tag = ctx.text.find("<xliff").map_or("", |at| {
        let rest = &ctx.text[at..];
        &rest[..rest.find('>').unwrap_or(rest.len())]
    });
    let two = ["version=\"2", "version='2", "xliff:document:2"];
    Some(if two.iter().any(|v| tag.contains(v)) {
        2
    } else {
        1
    })
}

fn root(ctx: &ReadContext<'_>) -> Result<Element> {
    xml::parse_as(ctx.path, ctx.text, "xliff", "an XLIFF")
}

impl Reader for Xliff12 {
    fn name(&self) -> &'static str {
        "xliff-1.2"
    }

    fn detects(&self, ctx: &ReadContext<'_>) -> bool {
        version(ctx) == Some(1)
    }

    fn read(&self, ctx: &ReadContext<'_>) -> Result<BilingualFile> {
        let root = root(ctx)?;
        let mut file = BilingualFile::default();
        let files: Vec<&Element> = root.elements().filter(|e| e.name == "file").collect();
        if files.is_empty() {
            return Err(read_error(
                ctx.path,
                root.line,
                "no <file> element; is this XLIFF 1.2?".into(),
            ));
        }
        for f in files {
            if file.source_lang.is_none() {
                file.source_lang = f.attribute("source-language").map(str::to_string);
            }
            if file.target_lang.is_none() {
                file.target_lang = f.attribute("target-language").map(str::to_string);
            }
            let mut units = Vec::new();
            f.find_all("trans-unit", &mut units);
            for (n, tu) in units.into_iter().enumerate() {
                // A PO file's header, as po2xliff writes it, is no text.
                let header = tu.attribute("restype") == Some("x-gettext-domain-header");
                if tu.attribute("translate") == Some("no") || header {
                    continue;
                }
                let id = tu
                    .attribute("id")
                    .map_or_else(|| (n + 1).to_string(), str::to_string);
                let source = tu.child("source").ok_or_else(|| {
                    read_error(
                        ctx.path,
                        tu.line,
                        format!("trans-unit '{id}' has no <source>"),
                    )
                })?;
                let target = tu.child("target").filter(|t| !is_untranslated(t, tu));
                let marks = tu.child("seg-source").map(segments).unwrap_or_default();
                if marks.is_empty() {
                    let (source, target) = (xml::inline(source), target.map(xml::inline));
                    file.units.push(xml::unit(id, tu.line, source, target));
                    continue;
                }
                let targets = target.map(segments).unwrap_or_default();
                for (mid, segment) in &marks {
                    let source = xml::inline(segment);
                    let target = targets
                        .iter()
                        .find(|(m, _)| m == mid)
                        .map(|(_, t)| xml::inline(t));
                    file.units.push(xml::unit(
                        format!("{id}#{mid}"),
                        segment.line,
                        source,
                        target,
                    ));
                }
            }
        }
        Ok(file)
    }
}

/// Whether an empty `target` says it is no translation yet: its state (or
/// its segment's, in XLIFF 2.0) is `new`, `needs-translation` or `initial`.
fn is_untranslated(target: &Element, unit: &Element) -> bool {
    let empty = xml::inline(target).text.trim().is_empty();
    let state = target
        .attribute("state")
        .or_else(|| unit.attribute("state"));
    empty && matches!(state, Some("new" | "needs-translation" | "initial"))
}

/// The `<mrk mtype="seg">` segments of a `<seg-source>` or `<target>`, by
/// `mid`.
fn segments(element: &Element) -> Vec<(String, &Element)> {
    let mut marks = Vec::new();
    element.find_all("mrk", &mut marks);
    marks
        .into_iter()
        .filter(|m| m.attribute("mtype") == Some("seg"))
        .map(|m| (m.attribute("mid").unwrap_or("").to_string(), m))
        .collect()
}

impl Reader for Xliff2 {
    fn name(&self) -> &'static str {
        "xliff-2.0"
    }

    fn detects(&self, ctx: &ReadContext<'_>) -> bool {
        version(ctx) == Some(2)
    }

    fn read(&self, ctx: &ReadContext<'_>) -> Result<BilingualFile> {
        let root = root(ctx)?;
        let mut file = BilingualFile {
            source_lang: root.attribute("srcLang").map(str::to_string),
            target_lang: root.attribute("trgLang").map(str::to_string),
            ..BilingualFile::default()
        };
        let mut units = Vec::new();
        root.find_all("unit", &mut units);
        for (n, unit) in units.into_iter().enumerate() {
            if unit.attribute("translate") == Some("no") {
                continue;
            }
            let id = unit
                .attribute("id")
                .map_or_else(|| (n + 1).to_string(), str::to_string);
            let segments: Vec<&Element> = unit.elements().filter(|e| e.name == "segment").collect();
            for (i, segment) in segments.iter().enumerate() {
                let source = segment.child("source").ok_or_else(|| {
                    read_error(
                        ctx.path,
                        segment.line,
                        format!("unit '{id}' has a <segment> without <source>"),
                    )
                })?;
                let source = xml::inline(source);
                let target = segment
                    .child("target")
                    .filter(|t| !is_untranslated(t, segment))
                    .map(xml::inline);
                let seg_id = match segment.attribute("id") {
                    Some(s) if segments.len() > 1 => format!("{id}#{s}"),
                    _ if segments.len() > 1 => format!("{id}#{}", i + 1),
                    _ => id.clone(),
                };
                file.units
                    .push(xml::unit(seg_id, segment.line, source, target));
            }
        }
        Ok(file)
    }
}
