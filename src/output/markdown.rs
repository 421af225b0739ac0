//! A Markdown review file that renders on GitHub.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use super::{DocumentWriter, Summary, WriteContext, Writer};
use crate::document::Unit;
use crate::glossary::TermReport;

/// Writes a title, a short summary (segments, backend, glossary, flags), then
/// one GFM table `| # | 中文 | English | Notes |` per paragraph with one row
/// per unit, and a terminology table at the end. Glossary terms are set in
/// bold in the source cell and listed in Notes with their flags. Cell text is
/// escaped so that nothing in it can end a row, start a new one or become
/// HTML. The tables are written to a temporary file while the units stream
/// in, so that the summary, known only at the end, can come first.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

impl Writer for Markdown {
    fn name(&self) -> &str {
        "md"
    }

    fn extension(&self) -> &str {
        "md"
    }

    fn start<'a>(
        &self,
        ctx: &WriteContext,
        out: &'a mut dyn Write,
    ) -> io::Result<Box<dyn DocumentWriter + 'a>> {
        Ok(Box::new(MarkdownDocument {
            out,
            ctx: ctx.clone(),
            body: BufWriter::new(tempfile::tempfile()?),
            paragraph: 0,
        }))
    }
}

struct MarkdownDocument<'a> {
    out: &'a mut dyn Write,
    ctx: WriteContext,
    body: BufWriter<File>,
    paragraph: usize,
}

impl DocumentWriter for MarkdownDocument<'_> {
    fn units(&mut self, units: &[Unit]) -> io::Result<()> {
        let out = &mut self.body;
        for unit in units {
            if unit.paragraph != self.paragraph {
                self.paragraph = unit.paragraph;
                writeln!(out)?;
                writeln!(out, "## Paragraph {}", unit.paragraph)?;
                writeln!(out)?;
                writeln!(out, "| # | 中文 | English | Notes |")?;
                writeln!(out, "|---:|---|---|---|")?;
            }
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                unit.id,
                source_cell(unit),
                escape(&unit.target),
                notes_cell(unit)
            )?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>, summary: &Summary) -> io::Result<()> {
        let MarkdownDocument { out, ctx, body, .. } = *self;
        write_head(out, &ctx, summary)?;
        let mut body = body.into_inner().map_err(io::IntoInnerError::into_error)?;
        body.seek(SeekFrom::Start(0))?;
        io::copy(&mut body, out)?;
        if let Some(report) = summary.terms.as_ref().filter(|r| !r.terms.is_empty()) {
            write_terms(out, report)?;
        }
        out.flush()
    }
}

fn write_head(out: &mut dyn Write, ctx: &WriteContext, summary: &Summary) -> io::Result<()> {
    writeln!(out, "# Review: {}", escape(&ctx.source_name))?;
    writeln!(out)?;
    writeln!(
        out,
        "- **Languages:** {} → {}",
        escape(&ctx.source_lang),
        escape(&ctx.target_lang)
    )?;
    writeln!(
        out,
        "- **Segments:** {} in {} paragraphs",
        summary.segments, summary.paragraphs
    )?;
    let model = ctx
        .model
        .as_deref()
        .map(|m| format!(" ({})", escape(m)))
        .unwrap_or_default();
    writeln!(out, "- **Backend:** {}{model}", escape(&ctx.backend))?;
    match (&ctx.glossary, &summary.terms) {
        (Some(g), terms) => {
            let hits = terms.as_ref().map_or(0, TermReport::occurrences);
            writeln!(
                out,
                "- **Glossary:** {} ({} entries, id {}), {hits} term occurrences",
                escape(&g.names.join(", ")),
                g.entries,
                g.id
            )?;
        }
        (None, _) => writeln!(out, "- **Glossary:** none")?,
    }
    if summary.flags.is_empty() {
        writeln!(out, "- **Flags:** none")?;
    } else {
        let list: Vec<String> = summary
            .flags
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(out, "- **Flags:** {}", list.join(", "))?;
    }
    Ok(())
}

fn write_terms(out: &mut dyn Write, report: &TermReport) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "## Terminology")?;
    writeln!(out)?;
    writeln!(
        out,
        "{} term occurrences: {} rendered with the glossary target ({} after a repair), {} missed.",
        report.occurrences(),
        report.rendered(),
        report.repaired(),
        report.missed()
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| Term | Target | Occurrences | Rendered | Repaired | Missed | Missed in |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---|")?;
    for t in &report.terms {
        let missed_in: Vec<String> = t.missed_in.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(&t.source),
            escape(&t.target),
            t.occurrences,
            t.rendered,
            t.repaired,
            t.missed,
            missed_in.join(", ")
        )?;
    }
    Ok(())
}

/// The source text, escaped, with glossary terms in bold (adjacent terms
/// share one bold run, since `****` would not render).
fn source_cell(unit: &Unit) -> String {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for term in &unit.terms {
        match runs.last_mut() {
            Some(last) if last.end == term.span.start => last.end = term.span.end,
            _ => runs.push(term.span.clone()),
        }
    }
    let mut cell = String::new();
    let mut pos = 0;
    for run in runs {
        let (Some(before), Some(text)) = (
            unit.source.get(pos..run.start),
            unit.source.get(run.clone()),
        ) else {
            continue;
        };
        cell.push_str(&escape(before));
        cell.push_str("**");
        cell.push_str(&escape(text));
        cell.push_str("**");
        pos = run.end;
    }
    cell.push_str(&escape(unit.source.get(pos..).unwrap_or_default()));
    cell
}

/// Glossary terms (`源 → target`), the alignment bead and flags, separated
/// by `; `.
fn notes_cell(unit: &Unit) -> String {
    let mut notes: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for term in &unit.terms {
        if !seen.contains(&term.term_id) {
            seen.push(term.term_id);
            notes.push(format!(
                "{} → {}",
                escape(&term.source),
                escape(&term.target)
            ));
        }
    }
    if let Some(bead) = &unit.bead {
        notes.push(format!("bead {} ({:.2})", bead.kind, bead.score));
    }
    for flag in &unit.flags {
        notes.push(format!("⚠ {}", escape(&flag.to_string())));
    }
    notes.join("; ")
}

/// Escape text for a GFM table cell: backslash-escape the ASCII punctuation
/// that Markdown gives meaning to, write `<`, `>` and `&` as entities (so no
/// raw HTML and no entity can form), and fold line breaks to spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_cell_breakers() {
        assert_eq!(
            escape("a|b <script> & `x` \\ *y*"),
            "a\\|b &lt;script&gt; &amp; \\`x\\` \\\\ \\*y\\*"
        );
    }
}
