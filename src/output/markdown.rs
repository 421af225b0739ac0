//! A Markdown review file that renders on GitHub.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{WriteContext, Writer};
use crate::document::Unit;

/// Writes a title, a short summary (segments, backend, glossary, flags), then
/// one GFM table `| # | 中文 | English | Notes |` per paragraph with one row
/// per unit. Glossary terms are set in bold in the source cell and listed in
/// Notes with their flags. Cell text is escaped so that nothing in it can end
/// a row, start a new one or become HTML.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

impl Writer for Markdown {
    fn name(&self) -> &str {
        "md"
    }

    fn extension(&self) -> &str {
        "md"
    }

    fn write(&self, ctx: &WriteContext, units: &[Unit], out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "# Review: {}", escape(&ctx.source_name))?;
        writeln!(out)?;
        let paragraphs = units.last().map_or(0, |u| u.paragraph);
        writeln!(
            out,
            "- **Languages:** {} → {}",
            escape(&ctx.source_lang),
            escape(&ctx.target_lang)
        )?;
        writeln!(
            out,
            "- **Segments:** {} in {} paragraphs",
            units.len(),
            paragraphs
        )?;
        let model = ctx
            .model
            .as_deref()
            .map(|m| format!(" ({})", escape(m)))
            .unwrap_or_default();
        writeln!(out, "- **Backend:** {}{model}", escape(&ctx.backend))?;
        match &ctx.glossary {
            Some(g) => {
                let hits: usize = units.iter().map(|u| u.terms.len()).sum();
                writeln!(
                    out,
                    "- **Glossary:** {} ({} entries, id {}), {hits} term occurrences",
                    escape(&g.names.join(", ")),
                    g.entries,
                    g.id
                )?;
            }
            None => writeln!(out, "- **Glossary:** none")?,
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for flag in units.iter().flat_map(|u| &u.flags) {
            *counts.entry(flag.kind.as_str()).or_default() += 1;
        }
        if counts.is_empty() {
            writeln!(out, "- **Flags:** none")?;
        } else {
            let list: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
            writeln!(out, "- **Flags:** {}", list.join(", "))?;
        }
        let mut current = 0;
        for unit in units {
            if unit.paragraph != current {
                current = unit.paragraph;
                writeln!(out)?;
                writeln!(out, "## Paragraph {current}")?;
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
        if let Some(report) = ctx.terms.as_ref().filter(|r| !r.terms.is_empty()) {
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
        }
        Ok(())
    }
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

/// Glossary terms (`源 → target`) and flags, separated by `; `.
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
