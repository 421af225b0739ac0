//! Finding numbers in English text: [`find_english_numbers`] and the
//! English number and month word tables.
//!
//! `check::numbers::read_english` is the other English number reader (the QA
//! number check's); merging the two is pending.

use super::{ChineseNumber, NumberKind};
use std::ops::Range;

/// A number found in English text by [`find_english_numbers`].
#[derive(Debug, Clone, PartialEq)]
pub struct EnglishNumber {
    /// Byte range of the number in the searched text, including its
    /// magnitude word (`million`), `%`/`percent`, or the whole date.
    pub span: Range<usize>,
    /// The value, as for [`NumberMatch::value`](super::NumberMatch::value):
    /// the percentage for [`NumberKind::Percent`], the year (else month,
    /// else day) for a date.
    pub value: f64,
    /// What kind of number it is: [`NumberKind::Cardinal`],
    /// [`NumberKind::Percent`], [`NumberKind::Ordinal`] or
    /// [`NumberKind::Date`].
    pub kind: NumberKind,
}

/// Finds the numbers in English text, left to right, non-overlapping, so
/// that they can be compared with those [`find_numbers`](super::find_numbers)
/// finds in Chinese:
///
/// * digits with thousands separators and decimals (`5,943`, `83.3`), and
///   with a magnitude word (`105 million`, `1.2 billion`, `35 thousand`);
/// * number words (`three`, `twenty-five`, `two million`);
/// * percentages (`83.3%`, `30 percent`, `30 per cent`);
/// * ordinals (`third`, `21st`);
/// * dates with a month name (`April 26, 2011`, `26 April 2011`,
///   `April 2011`, `April 26`, `Apr. 26`); a year on its own is a cardinal.
///
/// ```
/// use bitext::numbers::{find_english_numbers, NumberKind};
///
/// let found = find_english_numbers("On April 26, 2011, 105 million yuan (83.3%) went to 348 units.");
/// let values: Vec<f64> = found.iter().map(|n| n.value).collect();
/// assert_eq!(values, [2011.0, 105_000_000.0, 83.3, 348.0]);
/// assert_eq!(found[0].kind, NumberKind::Date { year: Some(2011), month: Some(4), day: Some(26) });
/// ```
pub fn find_english_numbers(text: &str) -> Vec<EnglishNumber> {
    let tokens = english_tokens(text);
    let mut out = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        match english_number_at(text, &tokens, k) {
            Some((n, next)) => {
                out.push(n);
                k = next;
            }
            None => k += 1,
        }
    }
    out
}

/// A token of English text: a word (letters, with inner hyphens or
/// apostrophes), a number (digits with inner `,` and `.`), or one other
/// character that is not white space.
#[derive(Debug, Clone)]
struct EnToken {
    span: Range<usize>,
    kind: EnTokenKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EnTokenKind {
    Word,
    Digits,
    Other,
}

fn english_tokens(text: &str) -> Vec<EnToken> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let start = i;
        if c.is_ascii_digit() {
            i += 1;
            while i < chars.len() {
                let c = chars[i].1;
                let inner = matches!(c, ',' | '.')
                    && chars.get(i + 1).is_some_and(|n| n.1.is_ascii_digit())
                    && chars[i - 1].1.is_ascii_digit();
                if c.is_ascii_digit() || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            // An ordinal suffix: "21st".
            let rest: String = chars[i..].iter().take(2).map(|p| p.1).collect();
            if ["st", "nd", "rd", "th"].contains(&rest.to_ascii_lowercase().as_str())
                && !chars.get(i + 2).is_some_and(|p| p.1.is_alphanumeric())
            {
                i += 2;
            }
            // Digits glued to letters are a name: "3D", "5G".
            let mut kind = EnTokenKind::Digits;
            while chars.get(i).is_some_and(|p| p.1.is_alphanumeric()) {
                kind = EnTokenKind::Word;
                i += 1;
            }
            out.push(EnToken {
                span: byte_at(start)..byte_at(i),
                kind,
            });
        } else if c.is_alphabetic() {
            i += 1;
            while i < chars.len() {
                let c = chars[i].1;
                let inner = matches!(c, '-' | '\'' | '’')
                    && chars.get(i + 1).is_some_and(|n| n.1.is_alphabetic());
                if c.is_alphanumeric() || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(EnToken {
                span: byte_at(start)..byte_at(i),
                kind: EnTokenKind::Word,
            });
        } else {
            i += 1;
            if !c.is_whitespace() {
                out.push(EnToken {
                    span: byte_at(start)..byte_at(i),
                    kind: EnTokenKind::Other,
                });
            }
        }
    }
    out
}

/// English number words zero … nineteen.
pub(crate) const UNIT_WORDS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// English number words twenty, thirty, … ninety.
pub(crate) const TEN_WORDS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// English ordinal words first … twentieth.
pub(crate) const ORDINAL_WORDS: [&str; 20] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

/// English month names, lowercase.
const MONTH_WORDS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a lowercase word names: a full name, a three-letter
/// abbreviation, or `sept`.
pub(crate) fn month_word(lower: &str) -> Option<u8> {
    if let Some(i) = MONTH_WORDS.iter().position(|&m| m == lower) {
        return u8::try_from(i + 1).ok();
    }
    let short = if lower == "sept" { "sep" } else { lower };
    (short.len() == 3)
        .then(|| MONTH_WORDS.iter().position(|m| m.starts_with(short)))
        .flatten()
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// The month a word names: full names, and three-letter abbreviations
/// (and `sept`) when written with a capital. `may` and `march` only with a
/// capital too.
fn month_of(word: &str) -> Option<u8> {
    let lower = word.to_lowercase();
    let capital = word.starts_with(|c: char| c.is_uppercase());
    let month = month_word(&lower)?;
    let full = MONTH_WORDS.contains(&lower.as_str());
    if full {
        // "may" and "march" are also verbs: only with a capital.
        (capital || !matches!(lower.as_str(), "may" | "march")).then_some(month)
    } else {
        // Abbreviations only with a capital.
        capital.then_some(month)
    }
}

fn number_word(word: &str) -> Option<u128> {
    let lower = word.to_lowercase();
    let (head, tail) = match lower.split_once('-') {
        Some((h, t)) => (h.to_string(), Some(t.to_string())),
        None => (lower.clone(), None),
    };
    if let Some(i) = UNIT_WORDS.iter().position(|u| *u == head) {
        return tail.is_none().then_some(i as u128);
    }
    let tens = TEN_WORDS.iter().position(|t| *t == head)? as u128 * 10 + 20;
    match tail {
        None => Some(tens),
        Some(t) => {
            let unit = UNIT_WORDS
                .iter()
                .position(|u| *u == t)
                .filter(|&u| (1..10).contains(&u))?;
            Some(tens + unit as u128)
        }
    }
}

fn ordinal_word(word: &str) -> Option<u128> {
    let lower = word.to_lowercase();
    ORDINAL_WORDS
        .iter()
        .position(|o| *o == lower)
        .map(|i| i as u128 + 1)
}

fn magnitude_word(word: &str) -> Option<i32> {
    match word.to_lowercase().as_str() {
        "hundred" => Some(2),
        "thousand" => Some(3),
        "million" | "millions" | "mln" => Some(6),
        "billion" | "billions" | "bn" => Some(9),
        "trillion" | "trillions" => Some(12),
        _ => None,
    }
}

/// The digits of a token as an exact number (`5,943` → 5943), with its
/// ordinal suffix, if any, removed; and whether it had one.
fn digits_value(token: &str) -> Option<(ChineseNumber, bool)> {
    let lower = token.to_ascii_lowercase();
    let (digits, ordinal) = match lower.strip_suffix(['t', 'd', 'h']) {
        Some(_) if lower.ends_with(|c: char| c.is_ascii_alphabetic()) => {
            (&token[..token.len() - 2], true)
        }
        _ => (token, false),
    };
    let plain: String = digits.chars().filter(|&c| c != ',').collect();
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    if int.is_empty() || frac.contains('.') {
        return None;
    }
    let mantissa: u128 = format!("{int}{frac}").parse().ok()?;
    Some((ChineseNumber::new(mantissa, -(frac.len() as i32)), ordinal))
}

fn english_number_at(text: &str, tokens: &[EnToken], k: usize) -> Option<(EnglishNumber, usize)> {
    let word = |i: usize| tokens.get(i).map(|t| &text[t.span.clone()]);
    let kind = |i: usize| tokens.get(i).map(|t| t.kind);
    let span = |a: usize, b: usize| tokens[a].span.start..tokens[b].span.end;
    let day_of = |i: usize| -> Option<u8> {
        if kind(i)? != EnTokenKind::Digits {
            return None;
        }
        let (n, _) = digits_value(word(i)?)?;
        let d = n.as_integer()?;
        (1..=31).contains(&d).then_some(d as u8)
    };
    let year_of = |i: usize| -> Option<u16> {
        let w = word(i)?;
        if kind(i)? != EnTokenKind::Digits || w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        w.parse().ok()
    };
    let date = |year: Option<u16>, month: Option<u8>, day: Option<u8>, a: usize, b: usize| {
        let value = match (year, month, day) {
            (Some(y), _, _) => f64::from(y),
            (None, Some(m), _) => f64::from(m),
            (None, None, d) => f64::from(d.unwrap_or(0)),
        };
        Some((
            EnglishNumber {
                span: span(a, b),
                value,
                kind: NumberKind::Date { year, month, day },
            },
            b + 1,
        ))
    };
    let w = word(k)?;
    match kind(k)? {
        EnTokenKind::Word => {
            if let Some(month) = month_of(w) {
                // "Apr." → skip the dot.
                let mut at = k + 1;
                if word(at) == Some(".") && w.len() <= 4 {
                    at += 1;
                }
                if let Some(day) = day_of(at) {
                    let comma = usize::from(word(at + 1) == Some(","));
                    if let Some(year) = year_of(at + 1 + comma) {
                        return date(Some(year), Some(month), Some(day), k, at + 1 + comma);
                    }
                    if year_of(at).is_none() {
                        return date(None, Some(month), Some(day), k, at);
                    }
                }
                if let Some(year) = year_of(at) {
                    return date(Some(year), Some(month), None, k, at);
                }
                return None;
            }
            if let Some(n) = ordinal_word(w) {
                return Some((
                    EnglishNumber {
                        span: span(k, k),
                        value: n as f64,
                        kind: NumberKind::Ordinal,
                    },
                    k + 1,
                ));
            }
            let n = number_word(w)?;
            finish_cardinal(text, tokens, k, k, ChineseNumber::from_integer(n))
        }
        EnTokenKind::Digits => {
            // "26 April 2011".
            if let Some(day) = day_of(k)
                && let Some(month) = word(k + 1).and_then(month_of)
            {
                if let Some(year) = year_of(k + 2) {
                    return date(Some(year), Some(month), Some(day), k, k + 2);
                }
                return date(None, Some(month), Some(day), k, k + 1);
            }
            let (n, ordinal) = digits_value(w)?;
            if ordinal {
                return Some((
                    EnglishNumber {
                        span: span(k, k),
                        value: n.value(),
                        kind: NumberKind::Ordinal,
                    },
                    k + 1,
                ));
            }
            finish_cardinal(text, tokens, k, k, n)
        }
        EnTokenKind::Other => None,
    }
}

/// A cardinal from token `a` to `b`, extended by a magnitude word and a
/// percent sign or word.
fn finish_cardinal(
    text: &str,
    tokens: &[EnToken],
    a: usize,
    mut b: usize,
    mut n: ChineseNumber,
) -> Option<(EnglishNumber, usize)> {
    let word = |i: usize| tokens.get(i).map(|t| text[t.span.clone()].to_lowercase());
    while let Some(exp) = word(b + 1).as_deref().and_then(magnitude_word) {
        n = ChineseNumber::new(n.mantissa, n.exponent + exp);
        b += 1;
    }
    let mut kind = NumberKind::Cardinal;
    match word(b + 1).as_deref() {
        Some("%" | "percent") => {
            kind = NumberKind::Percent;
            b += 1;
        }
        Some("per") if word(b + 2).as_deref() == Some("cent") => {
            kind = NumberKind::Percent;
            b += 2;
        }
        _ => {}
    }
    Some((
        EnglishNumber {
            span: tokens[a].span.start..tokens[b].span.end,
            value: n.value(),
            kind,
        },
        b + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::find_numbers;

    fn english(text: &str) -> Vec<(f64, NumberKind)> {
        find_english_numbers(text)
            .into_iter()
            .map(|n| (n.value, n.kind))
            .collect()
    }

    #[test]
    fn english_numbers_match_the_chinese_values() {
        use NumberKind::*;
        assert_eq!(
            english("105 million yuan, 1.2 billion people, 5,943 members and 348 units"),
            [
                (105_000_000.0, Cardinal),
                (1_200_000_000.0, Cardinal),
                (5943.0, Cardinal),
                (348.0, Cardinal)
            ]
        );
        assert_eq!(
            english("83.3% and 30 percent and 12 per cent"),
            [(83.3, Percent), (30.0, Percent), (12.0, Percent)]
        );
        assert_eq!(
            english("the third time, the 21st century, twenty-five cities, three"),
            [
                (3.0, Ordinal),
                (21.0, Ordinal),
                (25.0, Cardinal),
                (3.0, Cardinal)
            ]
        );
        let date = |y, m, d| Date {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(
            english("On April 26, 2011 and 26 April 2011, in April 2010, on Apr. 5, in 2010."),
            [
                (2011.0, date(Some(2011), Some(4), Some(26))),
                (2011.0, date(Some(2011), Some(4), Some(26))),
                (2010.0, date(Some(2010), Some(4), None)),
                (4.0, date(None, Some(4), Some(5))),
                (2010.0, Cardinal)
            ]
        );
        assert_eq!(english("You may march. MP3 players."), []);
        let chinese = find_numbers("1.05亿");
        assert_eq!(english("105 million")[0].0, chinese[0].value);
    }
}
