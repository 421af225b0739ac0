//! The head of the page: the policy, the style, the summary, the
//! alignment path and the tools; and the start of the script's data.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::row::{explanation, write_script_json};
use super::{Bead, CSS, JS, csp_hash, escape, text};
use crate::input::Input;
use crate::output::{GlossaryInfo, Summary, WriteContext, safe_component};

/// What the head is made from.
pub(super) struct Page<'a> {
    pub(super) ctx: &'a WriteContext,
    pub(super) summary: &'a Summary,
    pub(super) origins: &'a BTreeMap<&'static str, usize>,
    pub(super) beads: &'a [Bead],
    pub(super) doc_id: &'a str,
}

impl Page<'_> {
    /// The backend as the outputs name it: `name (model)`.
    fn backend(&self) -> String {
        match &self.ctx.model {
            Some(model) => format!("{} ({model})", self.ctx.backend),
            None => self.ctx.backend.clone(),
        }
    }

    /// The glossary as the XLIFF file notes name it.
    fn glossary(&self) -> Option<String> {
        self.ctx.glossary.as_ref().map(GlossaryInfo::label)
    }

    /// Everything before the first paragraph.
    pub(super) fn write_head(&self, out: &mut dyn Write) -> io::Result<()> {
        let ctx = self.ctx;
        let summary = self.summary;
        writeln!(out, "<!DOCTYPE html>")?;
        writeln!(out, "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
        writeln!(
            out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src {}; style-src {}; img-src data:; base-uri 'none'; form-action 'none'\">",
            csp_hash(JS),
            csp_hash(CSS)
        )?;
        writeln!(
            out,
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"bitext\">"
        )?;
        out.write_all(b"<title>Review: ")?;
        text(out, &ctx.source_name)?;
        writeln!(out, "</title>\n<style>{CSS}</style>\n</head>\n<body>")?;
        writeln!(
            out,
            "<a class=\"skip\" href=\"#doc\">Skip to the segments</a>\n<header class=\"summary\">"
        )?;
        out.write_all(b"<h1>Review: ")?;
        text(out, &ctx.source_name)?;
        writeln!(out, "</h1>\n<dl>")?;
        self.item(
            out,
            "Languages",
            &format!("{} → {}", ctx.source_lang, ctx.target_lang),
        )?;
        self.item(
            out,
            "Segments",
            &format!(
                "{} in {}",
                summary.segments,
                crate::text::count(summary.paragraphs, "paragraph", "paragraphs")
            ),
        )?;
        self.item(out, "Backend", &self.backend())?;
        let glossary = summary.glossary_line(ctx.glossary.as_ref());
        self.item(out, "Glossary", &glossary)?;
        let origins: Vec<String> = self
            .origins
            .iter()
            .map(|(o, n)| format!("{o} {n}"))
            .collect();
        self.item(out, "Origins", &origins.join(", "))?;
        self.item(out, "Reviewed", &summary.reviewed.to_string())?;
        writeln!(out, "<dt>Flags</dt><dd>")?;
        if summary.flags.is_empty() {
            out.write_all(b"none")?;
        }
        for (kind, n) in &summary.flags {
            write!(
                out,
                "<span class=\"badge flag tipped\" tabindex=\"0\">⚠ {kind} {n}<span class=\"tip\" role=\"tooltip\">"
            )?;
            text(out, explanation(*kind))?;
            out.write_all(b"</span></span> ")?;
        }
        writeln!(out, "</dd>\n</dl>")?;
        self.write_path(out)?;
        self.write_terms(out)?;
        writeln!(out, "</header>")?;
        self.write_tools(out)?;
        writeln!(out, "<main id=\"doc\" tabindex=\"-1\">")
    }

    fn item(&self, out: &mut dyn Write, name: &str, value: &str) -> io::Result<()> {
        write!(out, "<dt>{name}</dt><dd>")?;
        text(out, value)?;
        writeln!(out, "</dd>")
    }

    /// For aligned output: the alignment path, Chinese sentence index
    /// across, English down, with each flagged bead in red and a link to it.
    fn write_path(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.beads.is_empty() {
            return Ok(());
        }
        let zh: usize = self.beads.iter().map(|b| b.zh).sum::<usize>().max(1);
        let en: usize = self.beads.iter().map(|b| b.en).sum::<usize>().max(1);
        writeln!(
            out,
            "<figure class=\"path\"><svg viewBox=\"0 0 {zh} {en}\" preserveAspectRatio=\"none\" role=\"img\" aria-labelledby=\"path-title\"><title id=\"path-title\">Alignment path: {zh} Chinese sentences across, {en} English sentences down; flagged beads in red</title>"
        )?;
        writeln!(
            out,
            "<line class=\"diag\" x1=\"0\" y1=\"0\" x2=\"{zh}\" y2=\"{en}\" vector-effect=\"non-scaling-stroke\"/>"
        )?;
        let (mut x, mut y) = (0, 0);
        out.write_all(
            b"<polyline class=\"walk\" vector-effect=\"non-scaling-stroke\" points=\"0,0",
        )?;
        for bead in self.beads {
            x += bead.zh;
            y += bead.en;
            write!(out, " {x},{y}")?;
        }
        writeln!(out, "\"/>")?;
        let (mut x, mut y) = (0, 0);
        for bead in self.beads {
            let (x0, y0) = (x, y);
            x += bead.zh;
            y += bead.en;
            if bead.flagged {
                // A bead with no sentence on one side is a flat step: draw
                // it at least a little long so it shows.
                writeln!(
                    out,
                    "<a href=\"#s{id}\"><title>Segment {id}: {zh}–{en}</title><line class=\"bad\" x1=\"{x0}\" y1=\"{y0}\" x2=\"{x}\" y2=\"{y}\" vector-effect=\"non-scaling-stroke\"/></a>",
                    id = bead.id,
                    zh = bead.zh,
                    en = bead.en
                )?;
            }
        }
        writeln!(
            out,
            "</svg><figcaption>Alignment path: Chinese sentences across, English down. A straight diagonal is a steady 1–1 alignment; a bend is where one side runs ahead (a merge, a split, an omission). Red: flagged beads (links).</figcaption></figure>"
        )
    }

    /// The terminology report, folded.
    fn write_terms(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some(report) = self.summary.terms.as_ref().filter(|r| !r.terms.is_empty()) else {
            return Ok(());
        };
        writeln!(
            out,
            "<details class=\"terms\"><summary>Terminology: {} occurrences, {} rendered ({} after a repair), {} missed</summary>",
            report.occurrences(),
            report.rendered(),
            report.repaired(),
            report.missed()
        )?;
        writeln!(
            out,
            "<table><thead><tr><th scope=\"col\">Term</th><th scope=\"col\">Required rendering</th><th scope=\"col\">Occurrences</th><th scope=\"col\">Missed in</th></tr></thead><tbody>"
        )?;
        for t in &report.terms {
            out.write_all(b"<tr><td>")?;
            text(out, &t.source)?;
            out.write_all(b"</td><td>")?;
            text(out, &t.target)?;
            write!(out, "</td><td>{}</td><td>", t.occurrences)?;
            for (i, id) in t.missed_in.iter().enumerate() {
                let sep = if i > 0 { ", " } else { "" };
                write!(out, "{sep}<a href=\"#s{id}\">{id}</a>")?;
            }
            writeln!(out, "</td></tr>")?;
        }
        writeln!(out, "</tbody></table></details>")
    }

    /// The tools, hidden until the script shows them.
    fn write_tools(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "<div class=\"tools\" id=\"tools\" role=\"region\" aria-label=\"Filter, navigate, edit and export\" hidden>\n<div class=\"filters\" role=\"search\">"
        )?;
        writeln!(
            out,
            "<label>Flag <select id=\"f-flag\"><option value=\"\">all segments</option><option value=\"*\">any flag</option><option value=\"-\">no flag</option>"
        )?;
        for (kind, n) in &self.summary.flags {
            writeln!(out, "<option value=\"{kind}\">{kind} ({n})</option>")?;
        }
        writeln!(out, "</select></label>")?;
        writeln!(
            out,
            "<label>Term <select id=\"f-term\"><option value=\"\">any</option>"
        )?;
        if let Some(report) = &self.summary.terms {
            for t in &report.terms {
                let source = escape(&t.source);
                write!(out, "<option value=\"{source}\">{source} → ")?;
                text(out, &t.target)?;
                writeln!(out, " ({})</option>", t.occurrences)?;
            }
        }
        writeln!(out, "</select></label>")?;
        writeln!(
            out,
            "<label>Origin <select id=\"f-origin\"><option value=\"\">any</option>"
        )?;
        for (origin, n) in self.origins {
            writeln!(out, "<option value=\"{origin}\">{origin} ({n})</option>")?;
        }
        writeln!(
            out,
            "<option value=\"edited\">edited here</option></select></label>"
        )?;
        writeln!(
            out,
            "<label>Text <input id=\"f-text\" type=\"search\" placeholder=\"source, translation or #id\" autocomplete=\"off\"></label>\n<output id=\"shown\" aria-live=\"polite\"></output>\n</div>"
        )?;
        writeln!(
            out,
            "<div class=\"actions\"><button type=\"button\" id=\"prev\" aria-keyshortcuts=\"p\">↑ Previous flagged <kbd>p</kbd></button><button type=\"button\" id=\"next\" aria-keyshortcuts=\"n\">↓ Next flagged <kbd>n</kbd></button>\n<span id=\"edited\" class=\"counter\" role=\"status\" aria-live=\"polite\">0 edited</span>\n<button type=\"button\" id=\"export\" class=\"primary\">Export edits</button><button type=\"button\" id=\"discard\">Discard edits</button></div>"
        )?;
        writeln!(
            out,
            "<p class=\"help\" id=\"help\">Keys: <kbd>n</kbd>/<kbd>p</kbd> next/previous flagged segment, <kbd>j</kbd>/<kbd>k</kbd> next/previous segment, <kbd>Enter</kbd> edit the translation (<kbd>Enter</kbd> keeps it, <kbd>Esc</kbd> cancels), <kbd>/</kbd> search. Edits stay in this browser until exported; import the export with <code>bitext import</code>.</p>\n<p id=\"status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>\n</div>"
        )
    }

    /// The start of the script's data, up to the opening of its units
    /// array.
    pub(super) fn write_data_start(&self, out: &mut dyn Write) -> io::Result<()> {
        let ctx = self.ctx;
        // The name the outputs got (without a mirrored folder), for the
        // export's file name.
        let input = match ctx.source_name.as_str() {
            "-" => Input::Stdin,
            name => Input::File(name.into()),
        };
        let stem = safe_component(&input.stem());
        let doc = serde_json::json!({
            "id": self.doc_id,
            "name": ctx.source_name,
            "stem": stem,
            "srcLang": ctx.source_lang,
            "trgLang": ctx.target_lang,
            "backend": self.backend(),
            "glossary": self.glossary(),
        });
        out.write_all(b"<script type=\"application/json\" id=\"data\">{\"doc\":")?;
        write_script_json(out, &doc.to_string())?;
        writeln!(out, ",\"units\":[")
    }
}
