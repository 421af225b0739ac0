//! The `number-mismatch` check: every number of the source must appear in
//! the English target in an equivalent form.
//!
//! The source's numbers come from [`crate::numbers::find_numbers`], the
//! target's from [`crate::numbers::read_english`]: digits with thousands separators and decimals
//! (`5,943`, `597.42`), scale words (`105 million`, `1.2 billion`), spelled
//! out numbers (`three`, `twenty-one`, `two hundred thousand`, `a dozen`),
//! ordinals (`third`, `26th`), percentages (`83.3%`, `30 percent`) and month
//! names. A source number is satisfied when the target has a number of the
//! same value, or one that rounds it at the precision it is written with
//! (`20 million` for 1,960万, `597` for 597.42), or one within 5% after a
//! hedge (`nearly`, `about`, `more than`, `over`). A percentage may be
//! written without its sign and a cardinal with one (`83.3` ↔ `83.3%`).
//!
//! The check is conservative, since a false flag costs a reviewer's time:
//!
//! - numbers inside a glossary term (`三会一课`, `第七地质大队`, `12336`) are
//!   the glossary's business, not this check's;
//! - a Chinese numeral one (`一批`, `一名`, `第一`) is skipped: English says
//!   "a", "an", "the first" or nothing at all;
//! - a Chinese numeral two is satisfied by "both", "pair", "couple", "twin",
//!   "twice", "double" and "dual" as well;
//! - a fraction (`三分之一`) is satisfied by its denominator's word ("third"),
//!   its value as a decimal or percentage, or its two numbers;
//! - a date needs its year as a number, its month by name (or as a number),
//!   its day as a number.

use std::ops::Range;

use crate::document::TermMatch;
use crate::numbers::{
    EnglishNumber, EnglishNumbers, NumberKind, NumberMatch, Script, find_numbers, read_english,
    to_english,
};

/// The numbers of `source` that `target` lacks, as flag details
/// (`1.05亿 → 105 million`), in source order. `terms` are the glossary
/// terms matched in `source` (byte spans): numbers inside them are skipped.
/// `renderings` are the glossary targets and variants of those terms: where
/// they stand in `target` they render the terms, so their numbers ("Four" in
/// "Three Enters and Four Togethers") cannot stand for another number.
pub fn missing_numbers(
    source: &str,
    target: &str,
    terms: &[TermMatch],
    renderings: &[&str],
) -> Vec<String> {
    let found = find_numbers(source);
    if found.is_empty() {
        return Vec::new();
    }
    let english = read_english(&blank_out(target, renderings));
    found
        .iter()
        .filter(|m| !inside_term(&m.span, terms))
        .filter(|m| !is_chinese_one(m))
        .filter(|m| !copied_in_a_token(source, &m.span, target))
        .filter(|m| !satisfied(m, &english))
        .map(|m| format!("{} → {}", &source[m.span.clone()], to_english(m)))
        .collect()
}

/// Whether the number at `span` of `source` is part of a longer code-like
/// token (`v2.3.1`, `2024-05-01`, `+86-10-1234-5678`, a URL) that the
/// target carries verbatim: such a token is copied, not translated, and
/// its digits need no English reading.
fn copied_in_a_token(source: &str, span: &Range<usize>, target: &str) -> bool {
    let in_token = |c: char| c.is_ascii_alphanumeric() || "._-:/@?&=+%#~".contains(c);
    let start = source[..span.start]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| in_token(c))
        .last()
        .map_or(span.start, |(i, _)| i);
    let end = source[span.end..]
        .char_indices()
        .take_while(|&(_, c)| in_token(c))
        .last()
        .map_or(span.end, |(i, c)| span.end + i + c.len_utf8());
    let token = source[start..end].trim_end_matches(['.', ':', '?', '-']);
    token.len() > span.len() && target.contains(token)
}

/// `text` with every occurrence of `phrases` (ignoring ASCII case) replaced
/// by spaces.
fn blank_out(text: &str, phrases: &[&str]) -> String {
    let lower = text.to_ascii_lowercase();
    let mut blank = vec![false; text.len()];
    for phrase in phrases.iter().filter(|p| !p.is_empty()) {
        let phrase = phrase.to_ascii_lowercase();
        for (at, _) in lower.match_indices(&phrase) {
            blank[at..at + phrase.len()]
                .iter_mut()
                .for_each(|b| *b = true);
        }
    }
    text.char_indices()
        .map(|(at, c)| if blank[at] { ' ' } else { c })
        .collect()
}

fn inside_term(span: &Range<usize>, terms: &[TermMatch]) -> bool {
    terms
        .iter()
        .any(|t| t.span.start <= span.start && span.end <= t.span.end)
}

/// A Chinese numeral one outside a date: English renders it as an article,
/// or not at all.
fn is_chinese_one(m: &NumberMatch) -> bool {
    m.script == Script::Chinese
        && !matches!(m.kind, NumberKind::Date { .. })
        && m.number.as_integer() == Some(1)
}

/// Whether the English numbers render `m`.
fn satisfied(m: &NumberMatch, en: &EnglishNumbers) -> bool {
    let any = |v: f64| en.numbers.iter().any(|n| close(n, v));
    let exact = |v: f64| en.numbers.iter().any(|n| (n.value - v).abs() < 1e-9);
    match m.kind {
        NumberKind::Cardinal | NumberKind::MoreThan | NumberKind::Percent => {
            any(m.value)
                || (m.script == Script::Chinese
                    && m.value == 2.0
                    && en.words.iter().any(|w| {
                        matches!(
                            w.as_str(),
                            "both" | "pair" | "couple" | "twin" | "twice" | "double" | "dual"
                        )
                    }))
        }
        NumberKind::Ordinal => exact(m.value),
        NumberKind::Fraction {
            numerator,
            denominator,
        } => {
            let word = fraction_word(denominator);
            en.words
                .iter()
                .any(|w| word.is_some_and(|(one, many)| w == one || w == many))
                || en.numbers.iter().any(|n| {
                    (n.value - m.value).abs() < 0.01 || (n.value - m.value * 100.0).abs() <= 1.0
                })
                || (exact(numerator as f64) && exact(denominator as f64))
        }
        NumberKind::Date { year, month, day } => {
            year.is_none_or(|y| exact(f64::from(y)))
                && month.is_none_or(|mo| en.months.contains(&mo) || exact(f64::from(mo)))
                && day.is_none_or(|d| exact(f64::from(d)))
        }
    }
}

/// Whether `n` renders the value `v`: the same value, `v` rounded at the
/// precision `n` is written with, or within 5% after a hedge.
fn close(n: &EnglishNumber, v: f64) -> bool {
    let diff = (n.value - v).abs();
    diff <= 1e-9 * v.abs().max(1.0)
        || diff <= n.precision / 2.0 + 1e-9 * n.precision
        || (n.hedged && diff <= 0.05 * v.abs())
}

fn fraction_word(denominator: u64) -> Option<(&'static str, &'static str)> {
    Some(match denominator {
        2 => ("half", "halves"),
        3 => ("third", "thirds"),
        4 => ("quarter", "quarters"),
        5 => ("fifth", "fifths"),
        10 => ("tenth", "tenths"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_inside_a_token_copied_verbatim_are_satisfied() {
        let no_terms: &[crate::document::TermMatch] = &[];
        for (source, target) in [
            ("新版本v2.3.1已发布。", "New version v2.3.1 released."),
            ("电话+86-10-1234-5678。", "Phone +86-10-1234-5678."),
        ] {
            assert_eq!(
                super::missing_numbers(source, target, no_terms, &[]),
                Vec::<String>::new(),
                "{source}"
            );
        }
        // Not copied: the number must still be there.
        assert_eq!(
            super::missing_numbers(
                "新版本v2.3.1已发布。",
                "A new version was released.",
                no_terms,
                &[]
            )
            .len(),
            1
        );
    }

    use super::*;

    fn missing(source: &str, target: &str) -> Vec<String> {
        missing_numbers(source, target, &[], &[])
    }

    #[test]
    fn equivalent_forms_pass() {
        for (source, target) in [
            ("提供1.05亿元资金.", "105 million yuan was provided"),
            ("20余万人饮水问题", "the water of more than 200,000 people"),
            ("20余万人饮水问题", "the water of over 200 thousand people"),
            ("2011年4月26日.", "On April 26, 2011,"),
            ("2011年4月26日.", "On 26 April 2011,"),
            ("2011年4月26日.", "On 2011-04-26,"),
            ("占83.3.", "83.3% of them"),
            ("占83.3%.", "83.3 percent of them"),
            ("已分三批选派", "sent in three batches"),
            ("两篇理论文章", "both theoretical articles"),
            ("投入资金1960万元", "19.6 million yuan"),
            ("投入资金1960万元", "nearly 20 million yuan"),
            ("达597.42公顷", "597 hectares"),
            ("5943名党员", "5943 Party members"),
            ("第四批", "the fourth group"),
            ("第21名", "the 21st"),
            ("三分之一的", "a third of the"),
            ("百分之三十", "30%"),
            ("2011年12月的一天", "One day in December 2011"),
            ("一批特殊的客人", "a group of special guests"),
            ("1100多名师生", "more than 1,100 teachers and students"),
            ("今年5月份", "in May this year"),
            ("提供1.05亿元资金.", "RMB105m was provided"),
            ("提供1.05亿元资金.", "RMB 105 mn was provided"),
            ("投入12亿元", "1.2bn yuan"),
            ("长105米", "105m long"),
        ] {
            assert_eq!(
                missing(source, target),
                Vec::<String>::new(),
                "{source} / {target}"
            );
        }
    }

    #[test]
    fn missing_and_wrong_numbers_are_reported() {
        assert_eq!(
            missing("提供1.05亿元资金.", "1.05 billion yuan was provided"),
            ["1.05亿 → 105 million"]
        );
        assert_eq!(
            missing("2011年4月26日.", "On April 25, 2011,"),
            ["2011年4月26日 → April 26, 2011"]
        );
        assert_eq!(
            missing("2010年4月.", "In March 2010,"),
            ["2010年4月 → April 2010"]
        );
        assert_eq!(
            missing("计划打井111眼.", "The plan was to drill wells."),
            ["111 → 111"]
        );
        assert_eq!(missing("已分三批", "in several batches"), ["三 → three"]);
        assert_eq!(
            missing("帮助113户491名群众", "to help 419 people in 113 households"),
            ["491 → 491"]
        );
        assert_eq!(
            missing("有20多位记者", "21 journalists"),
            ["20多 → more than 20"]
        );
    }

    #[test]
    fn numbers_in_glossary_terms_are_skipped() {
        let glossary = crate::glossary::Glossary::from_tsv_str(
            "t.tsv",
            "source\ttarget\n三会一课\tthree meetings and one lesson\n浙江省第七地质大队\tNo. 7 Brigade\n",
        )
        .unwrap();
        let source = "参加'三会一课'和浙江省第七地质大队的活动";
        let terms = glossary.annotate(source);
        assert!(
            missing_numbers(source, "the Party routine and the brigade", &terms, &[]).is_empty()
        );
    }

    #[test]
    fn numbers_in_glossary_renderings_do_not_count() {
        let source = "第四批'三进四同'干部";
        let target = "the third group of 'Three Enters and Four Togethers' officials";
        assert!(missing(source, target).is_empty());
        assert_eq!(
            missing_numbers(source, target, &[], &["Three Enters and Four Togethers"]),
            ["第四 → fourth"]
        );
    }
}
