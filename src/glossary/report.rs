//! The per-run terminology report: for each glossary term found in the
//! source, how often it occurred, how often its target is in the
//! translation, how many of those needed a repair, and where it was missed.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use super::Glossary;
use crate::document::{SegmentId, Unit};

/// The terminology report of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TermReport {
    /// One row per term that occurs, in order of first occurrence.
    pub terms: Vec<TermRow>,
    /// Row index by glossary entry.
    #[serde(skip)]
    rows: HashMap<usize, usize>,
}

/// What happened to one term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermRow {
    /// The source term.
    pub source: String,
    /// Its glossary target.
    pub target: String,
    /// Occurrences in the source.
    pub occurrences: usize,
    /// Occurrences whose segment's translation renders the target (or a variant).
    pub rendered: usize,
    /// Of those, occurrences rendered only after a repair.
    pub repaired: usize,
    /// Occurrences not rendered (their segments are flagged).
    pub missed: usize,
    /// The segments where the term occurs.
    pub segments: Vec<SegmentId>,
    /// The segments where it was missed.
    pub missed_in: Vec<SegmentId>,
}

impl TermReport {
    /// Build the report from checked units; `glossary` is the one that
    /// annotated them.
    pub fn from_units(glossary: &Glossary, units: &[Unit]) -> Self {
        let mut report = TermReport::default();
        report.add(glossary, units);
        report
    }

    /// Count in more units (in source order).
    pub fn add(&mut self, glossary: &Glossary, units: &[Unit]) {
        for unit in units {
            for term in &unit.terms {
                let next = self.terms.len();
                let index = *self.rows.entry(term.term_id).or_insert(next);
                if index == next {
                    self.terms.push(TermRow {
                        source: term.source.clone(),
                        target: term.target.clone(),
                        occurrences: 0,
                        rendered: 0,
                        repaired: 0,
                        missed: 0,
                        segments: Vec::new(),
                        missed_in: Vec::new(),
                    });
                }
                let row = &mut self.terms[index];
                row.occurrences += 1;
                if row.segments.last() != Some(&unit.id) {
                    row.segments.push(unit.id);
                }
                if !unit.target.is_empty() && glossary.is_rendered(term, &unit.target) {
                    row.rendered += 1;
                    if unit.repaired {
                        row.repaired += 1;
                    }
                } else {
                    row.missed += 1;
                    if row.missed_in.last() != Some(&unit.id) {
                        row.missed_in.push(unit.id);
                    }
                }
            }
        }
    }

    /// Total occurrences of glossary terms.
    pub fn occurrences(&self) -> usize {
        self.terms.iter().map(|t| t.occurrences).sum()
    }

    /// Total occurrences rendered with their target.
    pub fn rendered(&self) -> usize {
        self.terms.iter().map(|t| t.rendered).sum()
    }

    /// Total occurrences rendered after a repair.
    pub fn repaired(&self) -> usize {
        self.terms.iter().map(|t| t.repaired).sum()
    }

    /// Total occurrences missed.
    pub fn missed(&self) -> usize {
        self.terms.iter().map(|t| t.missed).sum()
    }
}

impl fmt::Display for TermReport {
    /// One line per term: `source → target: occurrences, rendered, repaired, missed [in …]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for t in &self.terms {
            write!(
                f,
                "{} → {}: {} occurrences, {} rendered ({} repaired), {} missed",
                t.source, t.target, t.occurrences, t.rendered, t.repaired, t.missed
            )?;
            if !t.missed_in.is_empty() {
                let ids: Vec<String> = t.missed_in.iter().map(ToString::to_string).collect();
                write!(f, " in segments {}", ids.join(", "))?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
