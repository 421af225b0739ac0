//! The `tag-mismatch` check: the target must carry the source's inline
//! codes (TMX `<bpt>`, `<ept>`, `<ph>`, `<it>`, `<hi>`, `<ut>`; XLIFF `<g>`,
//! `<x/>`, `<bx/>`, `<ex/>`, `<pc>`, `<ph/>`, `<sc/>`, `<ec/>`), each as
//! often, in any order. Readers name each code by its element and id
//! (`<x id="1"/>`), so codes match across source and target.

use std::collections::BTreeMap;

/// What differs between the codes of `source` and `target`, if anything:
/// `missing <x id="1"/>; extra <g id="3">`.
pub fn mismatch(source: &[String], target: &[String]) -> Option<String> {
    let mut balance: BTreeMap<&str, i64> = BTreeMap::new();
    for code in source {
        *balance.entry(code).or_default() += 1;
    }
    for code in target {
        *balance.entry(code).or_default() -= 1;
    }
    let list = |want: fn(i64) -> bool| {
        balance
            .iter()
            .filter(|&(_, &n)| want(n))
            .map(|(c, &n)| {
                if n.abs() > 1 {
                    format!("{c} ×{}", n.abs())
                } else {
                    c.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (missing, extra) = (list(|n| n > 0), list(|n| n < 0));
    match (missing.is_empty(), extra.is_empty()) {
        (true, true) => None,
        (false, true) => Some(format!("missing {missing}")),
        (true, false) => Some(format!("extra {extra}")),
        (false, false) => Some(format!("missing {missing}; extra {extra}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_does_not_matter_count_does() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(mismatch(&s(&["<a>", "<b>"]), &s(&["<b>", "<a>"])), None);
        assert_eq!(
            mismatch(&s(&["<a>", "<b>"]), &s(&["<b>", "<c>"])),
            Some("missing <a>; extra <c>".into())
        );
    }
}
