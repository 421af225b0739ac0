//! The checks across units: `inconsistent-target` (one source translated in
//! different ways) and `inconsistent-source` (one translation given to
//! different sources). Each group is reported once, with every occurrence.
//!
//! Texts are compared after folding what is no inconsistency: white space
//! runs, case, and the end punctuation of the target (a clause of the
//! normalised reference text may end in `.` where the same clause elsewhere
//! ends in `,`). Units without a translation, and sources without a Han
//! character or a letter (numbers, punctuation) are left out.

use std::collections::BTreeMap;

use crate::document::FlagKind;

/// A group of units that disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `InconsistentTarget` or `InconsistentSource`.
    pub kind: FlagKind,
    /// The indices (into the slice given) of every occurrence, in order.
    pub members: Vec<usize>,
    /// How many different texts the other side has.
    pub variants: usize,
}

/// The inconsistent groups among `pairs` (source, target), targets first.
pub fn groups(pairs: &[(&str, &str)]) -> Vec<Group> {
    let keys: Vec<Option<(String, String)>> = pairs
        .iter()
        .map(|&(s, t)| {
            let counts = s.chars().any(|c| c.is_alphabetic());
            (counts && !t.trim().is_empty()).then(|| (fold(s, false), fold(t, true)))
        })
        .collect();
    let mut out = Vec::new();
    for (kind, by_source) in [
        (FlagKind::InconsistentTarget, true),
        (FlagKind::InconsistentSource, false),
    ] {
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, key) in keys.iter().enumerate() {
            if let Some((s, t)) = key {
                by_key
                    .entry(if by_source { s } else { t })
                    .or_default()
                    .push(i);
            }
        }
        for members in by_key.into_values() {
            let mut others: Vec<&str> = members
                .iter()
                .filter_map(|&i| keys[i].as_ref())
                .map(|(s, t)| if by_source { t.as_str() } else { s.as_str() })
                .collect();
            others.sort_unstable();
            others.dedup();
            if others.len() > 1 {
                out.push(Group {
                    kind,
                    members,
                    variants: others.len(),
                });
            }
        }
    }
    out.sort_by_key(|g| (g.kind, g.members[0]));
    out
}

/// `text` with white space runs as one space, lowercased; for a target,
/// without its end punctuation.
fn fold(text: &str, target: bool) -> String {
    let mut text = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if target {
        let end = text.trim_end_matches(['.', ',', ';', ':', '!', '?']).len();
        text.truncate(end);
    } else {
        let end = text
            .trim_end_matches(['.', ',', ';', ':', '。', '，', '；', '：'])
            .len();
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_group_per_disagreement() {
        let pairs = [
            ("国土资源部", "Ministry of Land and Resources"),
            ("国土资源部.", "ministry of land and resources,"),
            ("国土资源部", "Land Ministry"),
            ("部长", "the Minister"),
            ("部委", "the Minister"),
            ("2011", "2011"),
            ("2011", "2012"),
        ];
        let g = groups(&pairs);
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g[0].kind, FlagKind::InconsistentTarget);
        assert_eq!(g[0].members, [0, 1, 2]);
        assert_eq!(g[0].variants, 2);
        assert_eq!(g[1].members, [3, 4]);
    }
}
