//! The `forbidden-term` check's second half: a rendering the glossary
//! forbids for a term of the source stands in the target. (Its first half,
//! a `do_not_translate` term missing from the target, is found with the
//! glossary misses in [`super::flags`].)
//!
//! A glossary marks renderings forbidden in its `forbidden` column (TSV,
//! CSV: `;`-separated) or, in TBX, with the administrative status
//! `deprecatedTerm-admn-sts` or `supersededTerm-admn-sts` on a target term.

use crate::document::TermMatch;
use crate::glossary::Glossary;

/// The forbidden renderings of `terms` found in `target`, as flag details.
pub fn forbidden_used(glossary: &Glossary, terms: &[TermMatch], target: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for term in terms {
        let Some(entry) = glossary.entries().get(term.term_id) else {
            continue;
        };
        if let Some(bad) = glossary.forbidden_in(term, target) {
            let detail = format!(
                "'{bad}' is forbidden for {}; use '{}'",
                entry.source, entry.target
            );
            if !found.contains(&detail) {
                found.push(detail);
            }
        }
    }
    found
}
