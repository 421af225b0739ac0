//! Reading numbers in English text: [`read_english`] and the English number
//! and month word tables.
//!
//! One reader serves both callers: the QA number check compares every
//! number it finds (with its precision and whether a hedge precedes it)
//! and the month names and words with a source's numbers; the aligner keys
//! sentences by the quantities and whole dates
//! ([`EnglishNumbers::quantities_and_dates`]).

use super::NumberKind;
use std::ops::Range;

/// A number written in English text.
#[derive(Debug, Clone, PartialEq)]
pub struct EnglishNumber {
    /// Byte range of the number in the read text, including its scale word
    /// (`million`) and `%`/`percent`, or the whole date.
    pub span: Range<usize>,
    /// Its value: for a percentage, the percentage (83.3 for `83.3%`); for
    /// a date, the year (else month, else day), as for
    /// [`NumberMatch::value`](super::NumberMatch::value).
    pub value: f64,
    /// What kind of number it is: [`NumberKind::Cardinal`],
    /// [`NumberKind::Percent`], [`NumberKind::Ordinal`] or, in
    /// [`EnglishNumbers::dates`] only, [`NumberKind::Date`].
    pub kind: NumberKind,
    /// The unit of its last written digit: 1 for `597`, 0.01 for `597.42`,
    /// 1,000,000 for `20 million`.
    pub precision: f64,
    /// Whether it follows a hedge such as "nearly", "about" or "more than".
    pub hedged: bool,
    /// Whether it is glued to letters (`MP3`, `3D`, `105m`) or part of a
    /// hyphenated word (`one-off`, `third-generation`, `one's`): a name or
    /// code as often as a quantity.
    pub glued: bool,
}

impl EnglishNumber {
    /// Whether it is followed by `%` or "percent".
    pub fn percent(&self) -> bool {
        self.kind == NumberKind::Percent
    }
}

/// What [`read_english`] finds in a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnglishNumbers {
    /// Every number, in order, dates' days and years included; digits with
    /// an abbreviated scale (`105m`) count twice, scaled and as written.
    pub numbers: Vec<EnglishNumber>,
    /// The dates written with a month name (`April 26, 2011`,
    /// `26 April 2011`, `April 2011`, `Apr. 26`), in order, of kind
    /// [`NumberKind::Date`].
    pub dates: Vec<EnglishNumber>,
    /// The months named with a capital (1–12), in order.
    pub months: Vec<u8>,
    /// Every word, lowercased, in order.
    pub words: Vec<String>,
}

impl EnglishNumbers {
    /// The dates and the numbers outside them that are not glued to
    /// letters, in text order: what the aligner compares with the numbers
    /// [`find_numbers`](super::find_numbers) finds in Chinese.
    pub fn quantities_and_dates(&self) -> Vec<&EnglishNumber> {
        let in_date = |n: &EnglishNumber| {
            self.dates
                .iter()
                .any(|d| d.span.start <= n.span.start && n.span.end <= d.span.end)
        };
        let mut out: Vec<&EnglishNumber> = self
            .numbers
            .iter()
            .filter(|n| !n.glued && !in_date(n))
            .chain(&self.dates)
            .collect();
        out.sort_by_key(|n| n.span.start);
        out
    }
}

/// Reads the numbers, dates, month names and words of an English text:
///
/// * digits with thousands separators and decimals (`5,943`, `597.42`),
///   with a scale word or abbreviation (`105 million`, `1.2bn`, `35k`);
/// * spelled-out numbers (`three`, `twenty-one`, `two hundred and five`,
///   `a thousand`, `a dozen`);
/// * percentages (`83.3%`, `30 percent`, `30 per cent`);
/// * ordinals (`third`, `21st`);
/// * dates with a month name (`April 26, 2011`, `26 April 2011`,
///   `April 2011`, `April 26`, `Apr. 26`); a year on its own is a cardinal.
///
/// ```
/// use bitext::numbers::{read_english, NumberKind};
///
/// let read = read_english("On April 26, 2011, 105 million yuan (83.3%) went to 348 units.");
/// let values: Vec<f64> = read.numbers.iter().map(|n| n.value).collect();
/// assert_eq!(values, [26.0, 2011.0, 105_000_000.0, 83.3, 348.0]);
/// assert_eq!(read.dates[0].kind, NumberKind::Date { year: Some(2011), month: Some(4), day: Some(26) });
/// assert_eq!(read.months, [4]);
/// ```
pub fn read_english(text: &str) -> EnglishNumbers {
    let tokens = tokenize(text);
    let mut out = EnglishNumbers::default();
    let (mut i, mut date_end) = (0, 0);
    while i < tokens.len() {
        let start = tokens[i].span.start;
        if start >= date_end
            && let Some(date) = date_at(text, &tokens, i)
        {
            date_end = date.span.end;
            out.dates.push(date);
        }
        let number =
            |value: f64, precision: f64, kind: NumberKind, end: usize, glued: bool| EnglishNumber {
                span: start..end,
                value,
                kind,
                precision,
                hedged: hedged(&tokens, i),
                glued,
            };
        match &tokens[i].kind {
            TokenKind::Number {
                value,
                precision,
                ordinal,
                abbreviated,
                glued,
            } => {
                if let Some(scale) = abbreviated {
                    let end = tokens[i].span.end;
                    out.numbers.push(number(
                        value * scale,
                        precision * scale,
                        NumberKind::Cardinal,
                        end,
                        *glued,
                    ));
                }
                let (mut value, mut precision) = (*value, *precision);
                let mut j = i + 1;
                if !ordinal {
                    while let Some(scale) = tokens.get(j).and_then(Token::word).and_then(scale) {
                        value *= scale;
                        precision *= scale;
                        j += 1;
                    }
                }
                let (percent, after) = percent_sign(&tokens, j);
                let kind = if percent {
                    NumberKind::Percent
                } else if *ordinal {
                    NumberKind::Ordinal
                } else {
                    NumberKind::Cardinal
                };
                let end = tokens[after - 1].span.end;
                out.numbers
                    .push(number(value, precision, kind, end, *glued));
                i = after;
            }
            TokenKind::Word { lower, capital } => {
                out.words.push(lower.clone());
                if *capital && let Some(m) = month_word(lower) {
                    out.months.push(m);
                }
                match word_number(&tokens, i) {
                    Some((value, precision, ordinal, end)) => {
                        for t in &tokens[i + 1..end] {
                            if let Some(w) = t.word() {
                                out.words.push(w.to_string());
                            }
                        }
                        let (percent, after) = percent_sign(&tokens, end);
                        let kind = if percent {
                            NumberKind::Percent
                        } else if ordinal {
                            NumberKind::Ordinal
                        } else {
                            NumberKind::Cardinal
                        };
                        let glued = in_compound(text, start..tokens[end - 1].span.end);
                        let end = tokens[after - 1].span.end;
                        out.numbers.push(number(value, precision, kind, end, glued));
                        i = after;
                    }
                    None => i += 1,
                }
            }
            TokenKind::Percent | TokenKind::Break => i += 1,
        }
    }
    out
}

/// English number words zero … nineteen.
const UNIT_WORDS: [&str; 20] = [
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
const TEN_WORDS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// English ordinal words first … twentieth.
const ORDINAL_WORDS: [&str; 20] = [
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
fn month_word(lower: &str) -> Option<u8> {
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
fn month_of(token: &Token) -> Option<u8> {
    let TokenKind::Word { lower, capital } = &token.kind else {
        return None;
    };
    let month = month_word(lower)?;
    if MONTH_WORDS.contains(&lower.as_str()) {
        // "may" and "march" are also verbs: only with a capital.
        (*capital || !matches!(lower.as_str(), "may" | "march")).then_some(month)
    } else {
        // Abbreviations only with a capital.
        capital.then_some(month)
    }
}

/// A date with a month name starting at token `i`: `April 26, 2011`,
/// `26 April 2011`, `April 2011`, `April 26`, `Apr. 26`.
fn date_at(text: &str, tokens: &[Token], i: usize) -> Option<EnglishNumber> {
    let literal = |k: usize| tokens.get(k).map(|t| &text[t.span.clone()]);
    let plain = |k: usize| -> Option<u64> {
        match tokens.get(k)?.kind {
            TokenKind::Number {
                value,
                ordinal,
                abbreviated: None,
                glued: false,
                ..
            } if value.fract() == 0.0 && (ordinal || !literal(k)?.contains(['.', ','])) => {
                Some(value as u64)
            }
            _ => None,
        }
    };
    let day_of = |k: usize| plain(k).filter(|d| (1..=31).contains(d)).map(|d| d as u8);
    let year_of = |k: usize| {
        let w = literal(k)?;
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| plain(k))
            .flatten()
            .map(|y| y as u16)
    };
    let date = |year: Option<u16>, month: Option<u8>, day: Option<u8>, b: usize| {
        let value = match (year, month, day) {
            (Some(y), _, _) => f64::from(y),
            (None, Some(m), _) => f64::from(m),
            (None, None, d) => f64::from(d.unwrap_or(0)),
        };
        Some(EnglishNumber {
            span: tokens[i].span.start..tokens[b].span.end,
            value,
            kind: NumberKind::Date { year, month, day },
            precision: 1.0,
            hedged: false,
            glued: false,
        })
    };
    if let Some(month) = month_of(&tokens[i]) {
        // "Apr." → skip the dot.
        let mut at = i + 1;
        if literal(at) == Some(".") && tokens[i].span.len() <= 4 {
            at += 1;
        }
        if let Some(day) = day_of(at) {
            let comma = usize::from(literal(at + 1) == Some(","));
            if let Some(year) = year_of(at + 1 + comma) {
                return date(Some(year), Some(month), Some(day), at + 1 + comma);
            }
            if year_of(at).is_none() {
                return date(None, Some(month), Some(day), at);
            }
        }
        let year = year_of(at)?;
        return date(Some(year), Some(month), None, at);
    }
    // "26 April 2011".
    let day = day_of(i)?;
    let month = month_of(tokens.get(i + 1)?)?;
    match year_of(i + 2) {
        Some(year) => date(Some(year), Some(month), Some(day), i + 2),
        None => date(None, Some(month), Some(day), i + 1),
    }
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
struct Token {
    /// Byte range in the read text.
    span: Range<usize>,
    kind: TokenKind,
}

#[derive(Debug, Clone, PartialEq)]
enum TokenKind {
    /// Digits: `5,943`, `597.42`, `26th`, `105m`.
    Number {
        value: f64,
        precision: f64,
        ordinal: bool,
        /// The scale of an abbreviation such as `m` or `bn` after the digits.
        abbreviated: Option<f64>,
        /// Letters touch the digits (`MP3`, `3D`, `105m`; not `26th`).
        glued: bool,
    },
    /// A run of ASCII letters.
    Word { lower: String, capital: bool },
    /// `%`.
    Percent,
    /// Punctuation other than hyphens and apostrophes, or non-Latin text:
    /// spelled-out numbers do not continue across it.
    Break,
}

impl Token {
    fn word(&self) -> Option<&str> {
        match &self.kind {
            TokenKind::Word { lower, .. } => Some(lower),
            _ => None,
        }
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let ch = |k: usize| chars.get(k).map(|&(_, c)| c);
    let digit = |k: usize| ch(k).is_some_and(|c| c.is_ascii_digit());
    let letter = |k: usize| ch(k).is_some_and(|c| c.is_ascii_alphabetic());
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let start = i;
        if c.is_ascii_digit() {
            while digit(i) {
                i += 1;
            }
            // Thousands groups: ",ddd" not followed by a fourth digit.
            while ch(i) == Some(',') && (1..=3).all(|k| digit(i + k)) && !digit(i + 4) {
                i += 4;
            }
            let mut decimals = 0;
            if ch(i) == Some('.') && digit(i + 1) {
                i += 1;
                while digit(i) {
                    i += 1;
                    decimals += 1;
                }
            }
            let literal: String = chars[start..i]
                .iter()
                .map(|&(_, c)| c)
                .filter(|&c| c != ',')
                .collect();
            let value = literal.parse::<f64>().unwrap_or(f64::NAN);
            // An ordinal suffix: 26th, 1st, 2nd, 3rd.
            let mut end = i;
            while letter(end) {
                end += 1;
            }
            let suffix: String = chars[i..end]
                .iter()
                .map(|&(_, c)| c)
                .collect::<String>()
                .to_lowercase();
            let ordinal = matches!(suffix.as_str(), "st" | "nd" | "rd" | "th");
            // An abbreviated scale: 105m, 1.2bn, 35k ("105m" may as well be
            // metres: both readings count).
            let abbreviated = match suffix.as_str() {
                "k" => Some(1e3),
                "m" | "mn" | "mln" => Some(1e6),
                "b" | "bn" | "bln" => Some(1e9),
                "tn" | "trn" => Some(1e12),
                _ => None,
            };
            let glued = (start > 0 && ch(start - 1).is_some_and(char::is_alphanumeric))
                || (!ordinal && ch(i).is_some_and(char::is_alphanumeric))
                || (ordinal && ch(end).is_some_and(char::is_alphanumeric));
            if ordinal || abbreviated.is_some() {
                i = end;
            }
            if value.is_finite() {
                tokens.push(Token {
                    span: byte_at(start)..byte_at(i),
                    kind: TokenKind::Number {
                        value,
                        precision: 10f64.powi(-decimals),
                        ordinal,
                        abbreviated,
                        glued,
                    },
                });
            }
        } else if c.is_ascii_alphabetic() {
            while letter(i) {
                i += 1;
            }
            let word: String = chars[start..i].iter().map(|&(_, c)| c).collect();
            tokens.push(Token {
                span: byte_at(start)..byte_at(i),
                kind: TokenKind::Word {
                    lower: word.to_ascii_lowercase(),
                    capital: c.is_ascii_uppercase(),
                },
            });
        } else {
            i += 1;
            let kind = if matches!(c, '%' | '％') {
                Some(TokenKind::Percent)
            } else if !(c.is_whitespace() || matches!(c, '-' | '‐' | '\'' | '’'))
                && tokens.last().map(|t| &t.kind) != Some(&TokenKind::Break)
            {
                Some(TokenKind::Break)
            } else {
                None
            };
            if let Some(kind) = kind {
                tokens.push(Token {
                    span: byte_at(start)..byte_at(i),
                    kind,
                });
            }
        }
    }
    tokens
}

/// Whether the words at `span` are joined by a hyphen or apostrophe to a
/// word outside it: `one-off`, `one's`, `third-generation`.
fn in_compound(text: &str, span: Range<usize>) -> bool {
    let joint = |c: char| matches!(c, '-' | '‐' | '\'' | '’');
    let mut after = text[span.end..].chars();
    let mut before = text[..span.start].chars().rev();
    (after.next().is_some_and(joint) && after.next().is_some_and(|c| c.is_alphabetic()))
        || (before.next().is_some_and(joint) && before.next().is_some_and(|c| c.is_alphabetic()))
}

/// `%`, "percent" or "per cent" at `j`: whether, and the index after it.
fn percent_sign(tokens: &[Token], j: usize) -> (bool, usize) {
    match tokens.get(j) {
        Some(t) if t.kind == TokenKind::Percent => (true, j + 1),
        Some(t) if t.word() == Some("percent") => (true, j + 1),
        Some(t)
            if t.word() == Some("per")
                && tokens.get(j + 1).and_then(Token::word) == Some("cent") =>
        {
            (true, j + 2)
        }
        _ => (false, j),
    }
}

/// Whether the number at `i` follows a hedge word.
fn hedged(tokens: &[Token], i: usize) -> bool {
    let before = |k: usize| i.checked_sub(k).and_then(|j| tokens.get(j)?.word());
    matches!(
        before(1),
        Some(
            "than"
                | "over"
                | "nearly"
                | "almost"
                | "about"
                | "around"
                | "some"
                | "roughly"
                | "approximately"
                | "under"
                | "above"
                | "below"
                | "circa"
                | "least"
        )
    ) || (before(1) == Some("to") && before(2) == Some("close"))
}

fn scale(word: &str) -> Option<f64> {
    Some(match word {
        "hundred" => 1e2,
        "thousand" => 1e3,
        "million" | "millions" | "mn" => 1e6,
        "billion" | "billions" | "bn" => 1e9,
        "trillion" | "trillions" | "tn" => 1e12,
        _ => return None,
    })
}

/// What a word contributes to a spelled-out number.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NumberWord {
    /// zero … nineteen, twenty … ninety.
    Add(f64),
    /// first … twentieth: ends the number.
    Ordinal(f64),
    /// hundred, thousand, million, …
    Scale(f64),
    /// dozen.
    Dozen,
}

fn number_word(word: &str) -> Option<NumberWord> {
    if let Some(n) = UNIT_WORDS.iter().position(|&w| w == word) {
        return Some(NumberWord::Add(n as f64));
    }
    if let Some(n) = TEN_WORDS.iter().position(|&w| w == word) {
        return Some(NumberWord::Add((n as f64 + 2.0) * 10.0));
    }
    if let Some(n) = ORDINAL_WORDS.iter().position(|&w| w == word) {
        return Some(NumberWord::Ordinal(n as f64 + 1.0));
    }
    if word == "dozen" || word == "dozens" {
        return Some(NumberWord::Dozen);
    }
    scale(word).map(NumberWord::Scale)
}

/// A spelled-out number starting at the word token `i` ("three", "twenty
/// one", "two hundred and five", "a thousand", "a dozen", "third"): its
/// value, precision, whether it ends in an ordinal word, and the index
/// after it.
fn word_number(tokens: &[Token], i: usize) -> Option<(f64, f64, bool, usize)> {
    let word_at = |k: usize| tokens.get(k).and_then(Token::word);
    let mut j = i;
    let (mut total, mut current, mut precision) = (0.0, 0.0, 1.0);
    let (mut any, mut ordinal) = (false, false);
    // "a"/"an" counts as one before a scale or "dozen".
    if matches!(word_at(j), Some("a" | "an"))
        && matches!(
            word_at(j + 1).and_then(number_word),
            Some(NumberWord::Scale(_) | NumberWord::Dozen)
        )
    {
        current = 1.0;
        j += 1;
    }
    while let Some(word) = word_at(j) {
        match number_word(word) {
            Some(NumberWord::Add(n)) => current += n,
            Some(NumberWord::Ordinal(n)) => {
                current += n;
                (any, ordinal) = (true, true);
                j += 1;
                break;
            }
            Some(NumberWord::Scale(s)) if s == 100.0 => {
                current = f64::max(current, 1.0) * s;
            }
            Some(NumberWord::Scale(s)) => {
                total += f64::max(current, 1.0) * s;
                current = 0.0;
                precision = s;
            }
            Some(NumberWord::Dozen) => current = f64::max(current, 1.0) * 12.0,
            None if word == "and"
                && any
                && matches!(
                    word_at(j + 1).and_then(number_word),
                    Some(NumberWord::Add(_))
                ) => {}
            None => break,
        }
        any = true;
        j += 1;
    }
    any.then_some((total + current, precision, ordinal, j))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::find_numbers;

    fn values(text: &str) -> Vec<f64> {
        read_english(text).numbers.iter().map(|n| n.value).collect()
    }

    fn aligned(text: &str) -> Vec<(f64, NumberKind)> {
        read_english(text)
            .quantities_and_dates()
            .into_iter()
            .map(|n| (n.value, n.kind))
            .collect()
    }

    #[test]
    fn reads_english_numbers() {
        assert_eq!(values("5,943 Party members"), [5943.0]);
        assert_eq!(values("105 million yuan and 1.2 billion"), [105e6, 1.2e9]);
        assert_eq!(values("597.42 hectares"), [597.42]);
        assert_eq!(values("the 26th, the 90th anniversary"), [26.0, 90.0]);
        assert_eq!(
            values("twenty-one people, two hundred and five"),
            [21.0, 205.0]
        );
        assert_eq!(values("two hundred thousand"), [200_000.0]);
        assert_eq!(values("a thousand, a dozen, third"), [1000.0, 12.0, 3.0]);
        assert_eq!(values("12336 and 3,000 12336"), [12336.0, 3000.0, 12336.0]);
        assert_eq!(values("fell by 1,2345"), [1.0, 2345.0]);
        let en = read_english("83.3% and 30 percent, 5 per cent");
        assert!(en.numbers.iter().all(EnglishNumber::percent));
        assert!(read_english("more than 200,000").numbers[0].hedged);
        assert_eq!(
            read_english("On April 26, 2011 and in Sept. and may").months,
            [4, 9]
        );
    }

    #[test]
    fn quantities_and_dates_match_the_chinese_values() {
        use NumberKind::*;
        assert_eq!(
            aligned("105 million yuan, 1.2 billion people, 5,943 members and 348 units"),
            [
                (105_000_000.0, Cardinal),
                (1_200_000_000.0, Cardinal),
                (5943.0, Cardinal),
                (348.0, Cardinal)
            ]
        );
        assert_eq!(
            aligned("83.3% and 30 percent and 12 per cent"),
            [(83.3, Percent), (30.0, Percent), (12.0, Percent)]
        );
        assert_eq!(
            aligned("the third time, the 21st century, twenty-five cities, three"),
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
            aligned("On April 26, 2011 and 26 April 2011, in April 2010, on Apr. 5, in 2010."),
            [
                (2011.0, date(Some(2011), Some(4), Some(26))),
                (2011.0, date(Some(2011), Some(4), Some(26))),
                (2010.0, date(Some(2010), Some(4), None)),
                (4.0, date(None, Some(4), Some(5))),
                (2010.0, Cardinal)
            ]
        );
        assert_eq!(
            aligned("You may march. MP3 players, 3D, 105m, one's own one-off."),
            []
        );
        let chinese = find_numbers("1.05亿");
        assert_eq!(aligned("105 million")[0].0, chinese[0].value);
    }
}
