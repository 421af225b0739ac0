//! The `length-ratio` check: a target far longer or shorter than its source
//! predicts (a truncated reply, a reply that answers more than was asked).
//!
//! # The model
//!
//! A length-based model in the manner of Gale & Church (1993), which Wu
//! (1994, *Aligning a parallel English–Chinese corpus statistically with
//! lexical criteria*, ACL) showed to carry over to English–Chinese when
//! lengths are counted in characters. The expected length of the English is
//!
//! ```text
//! E = C × (Han characters outside glossary terms)
//!   + (other non-space characters outside glossary terms: digits, Latin)
//!   + Σ (length of each matched term's glossary target)
//! ```
//!
//! so that a segment full of long official names ("中共中央政治局常委", 9
//! characters, is 84 in English) is not taken for an outlier. The log ratio
//! `ln(L / E)` of the actual length `L` is then compared with its spread,
//! which shrinks with the segment's length as in Gale & Church (variance
//! proportional to length): `σ(n) = S / √n` for `n` Han characters.
//!
//! # Calibration
//!
//! No zh–en corpus is at hand, so the constants come from published
//! statistics and from the reference article with a human translation
//! (`tests/fixtures/review/article.good.jsonl`):
//!
//! - Google's n-gram comparison of 100 million Chinese and English web pages
//!   (Yang et al., *N-gram statistical similarities and differences between
//!   Chinese and English*) finds about 1.5 Chinese characters per English
//!   word; at 6–8 characters per English word with its space in official
//!   prose, that is 4–5.3 English characters per Han character.
//! - On the reference article, outside glossary terms, the human translation
//!   has 5.2 English characters per Han character, and the spread of
//!   `ln(L / E)` is about `0.8 / √n` (0.30 for segments of 5–9 characters,
//!   0.21 for 10–19, 0.17 for 20–39).
//!
//! Hence [`CHARS_PER_HAN`] = 5.0 and [`SPREAD`] = 0.9 (a little wider than
//! measured). A unit is flagged only when it is a far outlier on both
//! counts: more than [`MAX_DEVIATIONS`] spreads from the expected length
//! *and* more than a factor [`MAX_FACTOR`] off; and never when the source has
//! fewer than [`MIN_HAN`] Han characters, where a single idiom can be
//! rendered in one word or in ten. On the human translation of the reference
//! article, the units of 10 or more Han characters are at most 3.1 spreads
//! off, but one is only 0.44 of its expected length (the translator moved
//! part of the clause into the one before): hence both conditions.
//!
//! On a text that played no part in this (`tests/fixtures/review/health.*`,
//! a health article in standard punctuation with a professional
//! translation), the human translation's units are at most 3.5 spreads and
//! a factor 0.62–1.15 off, and no length flag is raised.

use crate::document::TermMatch;
use crate::text::is_han;

/// English characters per Han character outside glossary terms.
pub const CHARS_PER_HAN: f64 = 5.0;
/// The spread of the log length ratio of a segment of one Han character;
/// it shrinks with the square root of the length.
pub const SPREAD: f64 = 0.9;
/// How many spreads from the expected length a unit must be to be flagged.
pub const MAX_DEVIATIONS: f64 = 4.0;
/// How many times longer or shorter than expected a unit must be to be flagged.
pub const MAX_FACTOR: f64 = 2.0;
/// Sources with fewer Han characters are never flagged.
pub const MIN_HAN: usize = 10;

/// The limits a unit must pass to be flagged (`[qa]` in `bitext.toml` may
/// change them for `bitext qa`; `translate` uses the defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// [`MAX_DEVIATIONS`] by default.
    pub max_deviations: f64,
    /// [`MAX_FACTOR`] by default.
    pub max_factor: f64,
    /// [`MIN_HAN`] by default.
    pub min_han: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_deviations: MAX_DEVIATIONS,
            max_factor: MAX_FACTOR,
            min_han: MIN_HAN,
        }
    }
}

/// The target's length against the length its source predicts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LengthRatio {
    /// Han characters in the source.
    pub han: usize,
    /// The expected length of the target, in characters.
    pub expected: f64,
    /// The target's length, in characters.
    pub actual: usize,
    /// `ln(actual / expected)` in spreads: negative when too short.
    pub deviations: f64,
}

impl LengthRatio {
    /// Measure `target` against `source` (whose glossary `terms` have byte
    /// spans in `source`).
    pub fn measure(source: &str, target: &str, terms: &[TermMatch]) -> Self {
        let mut han = 0;
        let mut free_han = 0;
        let mut other = 0;
        for (at, c) in source.char_indices() {
            let in_term = terms.iter().any(|t| t.span.contains(&at));
            if is_han(c) {
                han += 1;
                free_han += usize::from(!in_term);
            } else if !in_term && !c.is_whitespace() && !is_quote_or_stop(c) {
                other += 1;
            }
        }
        let mut seen: Vec<&TermMatch> = Vec::new();
        let mut terms_len = 0;
        for term in terms {
            // Overlapping matches would count twice.
            if seen.iter().any(|s| s.span.end > term.span.start) {
                continue;
            }
            seen.push(term);
            terms_len += term.target.chars().count();
        }
        let expected = (CHARS_PER_HAN * free_han as f64 + other as f64 + terms_len as f64).max(1.0);
        let actual = target.trim().chars().count();
        let spread = SPREAD / (han.max(1) as f64).sqrt();
        LengthRatio {
            han,
            expected,
            actual,
            deviations: (actual.max(1) as f64 / expected).ln() / spread,
        }
    }

    /// Whether this is a far outlier (see the module documentation).
    pub fn is_outlier(&self) -> bool {
        self.is_outlier_with(&Limits::default())
    }

    /// Whether this is a far outlier by the given limits.
    pub fn is_outlier_with(&self, limits: &Limits) -> bool {
        let factor = self.actual.max(1) as f64 / self.expected;
        self.han >= limits.min_han
            && self.deviations.abs() > limits.max_deviations
            && !(1.0 / limits.max_factor..=limits.max_factor).contains(&factor)
    }

    /// The flag detail: "target 12 characters, expected about 130".
    pub fn detail(&self) -> String {
        format!(
            "target {} characters, expected about {} for {} Han characters",
            self.actual,
            self.expected.round(),
            self.han
        )
    }
}

/// Sentence punctuation and quotes, which English writes too (or not): not
/// counted in the expectation.
fn is_quote_or_stop(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | '\''
            | '"'
            | '。'
            | '，'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '…'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossary_targets_count_at_their_length() {
        let glossary = crate::glossary::Glossary::bundled().unwrap();
        let source = "浙江地质七队先进事迹报告团还得到了中共中央政治局常委.";
        let terms = glossary.annotate(source);
        let target = "The exemplary deeds presentation team of the Zhejiang No. 7 Geological \
                      Brigade was also warmly received by the member of the Politburo Standing \
                      Committee";
        let ratio = LengthRatio::measure(source, target, &terms);
        assert!(!ratio.is_outlier(), "{ratio:?}");
        // Without the terms it would look far too long.
        let plain = LengthRatio::measure(source, target, &[]);
        assert!(plain.deviations > ratio.deviations);
    }

    #[test]
    fn truncation_is_an_outlier_and_short_sources_never_are() {
        let source = "国土资源部12336违法线索处理中心发起并联合省市县3000多家12336违法线索处理中心开展联创齐争活动.";
        let ratio = LengthRatio::measure(source, "The Ministry's 12336 centre", &[]);
        assert!(ratio.is_outlier(), "{ratio:?}");
        assert!(ratio.deviations < 0.0);
        let short = LengthRatio::measure("鼓舞了士气.", "x", &[]);
        assert!(!short.is_outlier(), "{short:?}");
        let long = LengthRatio::measure(
            "鼓舞了士气和人心的工作.",
            &"It boosted morale and the spirit of the people. ".repeat(8),
            &[],
        );
        assert!(long.is_outlier(), "{long:?}");
    }
}
