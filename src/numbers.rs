//! Chinese number handling: parsing, finding and English formatting.
//!
//! This module understands the number notations found in mainland Chinese
//! news text:
//!
//! * Arabic numerals, half- or full-width (`348`, `１２３`), with decimals
//!   (`83.3`, `１．５`) and ASCII thousands separators (`5,943`);
//! * Chinese numerals (`三`, `十二`, `二十三`, `一百零五`, `两万`, `一亿二千万`),
//!   including financial forms (`壹贰叁`) and positional years (`二〇一一`);
//! * magnitude suffixes on Arabic numbers (`1.05亿`, `3.5万`, `5千`);
//! * approximations with `余`/`多` (`20余万` = "more than 200,000",
//!   `20多位` = "more than 20");
//! * percentages (`83.3%`, `百分之三十`), fractions (`三分之一`),
//!   ordinals (`第三`, `第12`);
//! * dates (`2011年4月26日`, `2011年4月`, `4月26日`, `2010年`).
//!
//! [`find_numbers`] locates them in running text, [`to_english`] renders a
//! match the way an English news text would write it.
//!
//! # Formatting conventions
//!
//! * Thousands separators are **always** used from 1,000 upwards
//!   (`5943` → "5,943"), except in years (`2011`).
//! * Whole numbers of at least one million that are a round number of
//!   millions, billions or trillions (up to three decimals) are written with
//!   the word: `105000000` / `1.05亿` → "105 million", `12亿` → "1.2 billion".
//!   Other large numbers are written in full (`1234567` → "1,234,567").
//! * Small whole numbers (zero to ten) written with Chinese numerals are
//!   spelled out ("three"); Arabic numerals stay digits ("3").
//! * Decimals keep the digits written in the source (`1.50` → "1.50").
//!
//! Chinese numerals are matched conservatively so that words which merely
//! contain a numeral character (`统一`, `一般`, `万一`, `千万`, `十分`) are not
//! reported: a lone numeral character counts only when a classifier, a
//! magnitude, `余`/`多`, a date unit or `第` makes it a number.

use crate::text::is_han;
use std::ops::Range;

/// An exact decimal number, `mantissa × 10^exponent`, as parsed from Chinese
/// or Arabic notation.
///
/// Keeping the value exact (rather than as `f64`) lets `1.05亿` format as
/// "105 million" without rounding noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChineseNumber {
    mantissa: u128,
    exponent: i32,
}

impl ChineseNumber {
    /// Builds the number `mantissa × 10^exponent`.
    pub fn new(mantissa: u128, exponent: i32) -> Self {
        ChineseNumber { mantissa, exponent }
    }

    /// Builds a whole number.
    pub fn from_integer(n: u128) -> Self {
        ChineseNumber::new(n, 0)
    }

    /// Parses a string that is entirely one cardinal number: Arabic (with
    /// decimals, full-width digits and thousands separators), Chinese
    /// numerals, or either followed by magnitude characters (`1.05亿`,
    /// `3.5万`, `两千万`). Returns `None` for anything else, including
    /// percentages and dates (use [`find_numbers`] for those).
    /// For example `一百零五` → 105, `1.05亿` → 105,000,000.
    pub fn parse(s: &str) -> Option<Self> {
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        if chars.is_empty() {
            return None;
        }
        let (n, end) = if is_arabic_digit(chars[0].1) {
            let (n, end) = scan_arabic(&chars, 0)?;
            // Optional magnitude suffix.
            let (mult, end2) = scan_magnitudes(&chars, end);
            (n.times_pow10(mult)?, end2)
        } else {
            let (n, end, _) = scan_chinese(&chars, 0, true)?;
            (n, end)
        };
        (end == chars.len()).then_some(n)
    }

    /// The value as a floating-point number.
    pub fn value(&self) -> f64 {
        let m = self.mantissa as f64;
        if self.exponent >= 0 {
            m * 10f64.powi(self.exponent)
        } else {
            m / 10f64.powi(-self.exponent)
        }
    }

    /// The value as a whole number, if it is one (and fits).
    pub fn as_integer(&self) -> Option<u128> {
        if self.exponent >= 0 {
            let p = 10u128.checked_pow(u32::try_from(self.exponent).ok()?)?;
            self.mantissa.checked_mul(p)
        } else {
            let p = 10u128.checked_pow(u32::try_from(-self.exponent).ok()?)?;
            self.mantissa.is_multiple_of(p).then_some(self.mantissa / p)
        }
    }

    /// Formats the number for English text (see the module documentation for
    /// the conventions): "5,943", "105 million", "35,000", "83.3".
    pub fn to_english(&self) -> String {
        let n = self.normalized();
        // Large round numbers: "105 million", "1.2 billion".
        for (exp, word) in [(12, "trillion"), (9, "billion"), (6, "million")] {
            if n.integer_digits() > exp {
                let scaled = ChineseNumber::new(n.mantissa, n.exponent - exp);
                if scaled.fraction_digits() <= 3 {
                    return format!("{} {word}", scaled.plain(true));
                }
                break;
            }
        }
        self.plain(true)
    }

    /// Multiplies by `10^k`.
    fn times_pow10(self, k: i32) -> Option<Self> {
        Some(ChineseNumber::new(
            self.mantissa,
            self.exponent.checked_add(k)?,
        ))
    }

    /// Removes trailing zeros from the mantissa.
    fn normalized(&self) -> Self {
        let mut n = *self;
        if n.mantissa == 0 {
            return ChineseNumber::new(0, 0);
        }
        while n.mantissa.is_multiple_of(10) {
            n.mantissa /= 10;
            n.exponent += 1;
        }
        n
    }

    /// Number of digits after the decimal point as written.
    fn fraction_digits(&self) -> usize {
        if self.exponent >= 0 {
            0
        } else {
            usize::try_from(-self.exponent).unwrap_or(usize::MAX)
        }
    }

    /// Number of digits before the decimal point (at least 1).
    fn integer_digits(&self) -> i32 {
        let len = i32::try_from(self.mantissa.to_string().len()).unwrap_or(i32::MAX);
        (len + self.exponent).max(1)
    }

    /// Plain decimal notation, optionally with thousands separators.
    fn plain(&self, separators: bool) -> String {
        let digits = self.mantissa.to_string();
        let (int_part, frac_part) = if self.exponent >= 0 {
            let zeros = usize::try_from(self.exponent).unwrap_or(0);
            (format!("{digits}{}", "0".repeat(zeros)), String::new())
        } else {
            let frac = self.fraction_digits();
            let padded = if digits.len() <= frac {
                format!("{}{digits}", "0".repeat(frac + 1 - digits.len()))
            } else {
                digits
            };
            let split = padded.len() - frac;
            (padded[..split].to_string(), padded[split..].to_string())
        };
        let int_part = if separators {
            group_thousands(&int_part)
        } else {
            int_part
        };
        if frac_part.is_empty() {
            int_part
        } else {
            format!("{int_part}.{frac_part}")
        }
    }
}

/// Parses a string that is entirely one cardinal number (see
/// [`ChineseNumber::parse`]) and returns its value.
/// For example `1.05亿` → `Some(105000000.0)`, `二十三` → `Some(23.0)`,
/// `统一` → `None`.
pub fn parse_number(s: &str) -> Option<f64> {
    ChineseNumber::parse(s).map(|n| n.value())
}

/// Which digits a number was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Arabic digits, half- or full-width (`348`, `１２３`), possibly with a
    /// Chinese magnitude suffix (`1.05亿`).
    Arabic,
    /// Chinese numeral characters only (`三`, `二十三`, `二〇一一`).
    Chinese,
}

/// What kind of number a [`NumberMatch`] is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberKind {
    /// A plain quantity: `348`, `三`, `1.05亿`.
    Cardinal,
    /// A lower bound written with `余` or `多`: `20余万` ("more than
    /// 200,000"), `20多` ("more than 20"). The value is the bound.
    MoreThan,
    /// A percentage: `83.3%`, `百分之三十`. The value is the percentage
    /// (83.3, not 0.833).
    Percent,
    /// A fraction `X分之Y` ("Y out of X"): `三分之一`. The value is the
    /// quotient.
    Fraction {
        /// The part (`一` in `三分之一`).
        numerator: u64,
        /// The whole (`三` in `三分之一`).
        denominator: u64,
    },
    /// An ordinal with `第`: `第三`, `第12`. The span includes `第`.
    Ordinal,
    /// A calendar date or part of one: `2011年4月26日`, `2011年4月`,
    /// `4月26日`, `2010年` (year only), `4月` (month only). The span
    /// includes the date characters (`年`, `月`, `日`/`号`, and `份` after
    /// a month). The value is the year if present, else the month, else the
    /// day.
    Date {
        /// Year, if written (four digits).
        year: Option<u16>,
        /// Month 1–12, if written.
        month: Option<u8>,
        /// Day of the month 1–31, if written.
        day: Option<u8>,
    },
}

/// A number found in Chinese text by [`find_numbers`].
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMatch {
    /// Byte range of the number in the searched text, including its
    /// `余`/`多`, `%`, `百分之`, `第` or date characters.
    pub span: Range<usize>,
    /// The value (see [`NumberKind`] for what it means per kind).
    pub value: f64,
    /// What kind of number it is.
    pub kind: NumberKind,
    /// The exact value, for formatting.
    pub number: ChineseNumber,
    /// Which digits it was written with.
    pub script: Script,
}

/// Finds the numbers in Chinese text, left to right, non-overlapping.
///
/// See the module documentation for what is recognised. Chinese numerals
/// are matched conservatively: `统一`, `一般`, `之一`, `万一`, `千万` and the
/// like yield nothing, while `三个`, `一批`, `两万`, `二十三`, `第一` do.
/// For example `共348个基层党组织.5943名党员` yields 348 and 5,943 (the
/// classifiers `个`/`名` are not part of the spans).
pub fn find_numbers(text: &str) -> Vec<NumberMatch> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match match_at(&chars, i) {
            Some((end, value, kind, number, script)) => {
                out.push(NumberMatch {
                    span: byte_at(i)..byte_at(end),
                    value,
                    kind,
                    number,
                    script,
                });
                i = end;
            }
            None => {
                // Skip the rest of a run of digits or Latin letters so that
                // "MP3" or "G20" do not yield a number in the middle.
                if chars[i].1.is_ascii_alphanumeric() || is_arabic_digit(chars[i].1) {
                    while i < chars.len()
                        && (chars[i].1.is_ascii_alphanumeric() || is_arabic_digit(chars[i].1))
                    {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
        }
    }
    out
}

/// Formats a match for English text: "105 million", "more than 200,000",
/// "April 26, 2011", "April 2011", "83.3%", "5,943", "third", "one third".
///
/// A bare day (`26日`) becomes "the 26th"; a bare year "2010".
pub fn to_english(m: &NumberMatch) -> String {
    match m.kind {
        NumberKind::Cardinal => cardinal_english(m),
        NumberKind::MoreThan => format!("more than {}", cardinal_english(m)),
        NumberKind::Percent => format!("{}%", m.number.plain(true)),
        NumberKind::Fraction {
            numerator,
            denominator,
        } => fraction_english(numerator, denominator),
        NumberKind::Ordinal => match m.number.as_integer() {
            Some(n) => ordinal_english(n),
            None => m.number.plain(true),
        },
        NumberKind::Date { year, month, day } => date_english(year, month, day),
    }
}

/// English ordinal: "first" … "tenth", then "11th", "21st", "102nd".
pub fn ordinal_english(n: u128) -> String {
    const WORDS: [&str; 11] = [
        "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
        "ninth", "tenth",
    ];
    if let Some(w) = usize::try_from(n).ok().and_then(|i| WORDS.get(i)) {
        return (*w).to_string();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// English name of a month 1–12.
pub fn month_name(month: u8) -> Option<&'static str> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    MONTHS.get(usize::from(month).checked_sub(1)?).copied()
}

fn cardinal_english(m: &NumberMatch) -> String {
    if m.script == Script::Chinese
        && let Some(n) = m.number.as_integer()
        && let Some(w) = small_number_word(n)
    {
        return w.to_string();
    }
    m.number.to_english()
}

/// "zero" … "ten" for small whole numbers.
fn small_number_word(n: u128) -> Option<&'static str> {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS.get(usize::try_from(n).ok()?).copied()
}

fn fraction_english(numerator: u64, denominator: u64) -> String {
    let name = match denominator {
        2 => Some(("half", "halves")),
        3 => Some(("third", "thirds")),
        4 => Some(("quarter", "quarters")),
        5 => Some(("fifth", "fifths")),
        10 => Some(("tenth", "tenths")),
        _ => None,
    };
    match (name, small_number_word(u128::from(numerator))) {
        (Some((one, _)), Some(_)) if numerator == 1 => format!("one {one}"),
        (Some((_, many)), Some(w)) if numerator > 1 && numerator < denominator => {
            format!("{w} {many}")
        }
        _ => format!("{numerator}/{denominator}"),
    }
}

fn date_english(year: Option<u16>, month: Option<u8>, day: Option<u8>) -> String {
    let month = month.and_then(month_name);
    match (year, month, day) {
        (Some(y), Some(m), Some(d)) => format!("{m} {d}, {y}"),
        (Some(y), Some(m), None) => format!("{m} {y}"),
        (None, Some(m), Some(d)) => format!("{m} {d}"),
        (None, Some(m), None) => m.to_string(),
        (Some(y), None, _) => y.to_string(),
        (None, None, Some(d)) => format!("the {}", ordinal_english(u128::from(d))),
        (None, None, None) => String::new(),
    }
}

/// Inserts thousands separators into a string of ASCII digits.
fn group_thousands(digits: &str) -> String {
    crate::text::group_thousands(digits)
}

// ---------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------

type Found = (usize, f64, NumberKind, ChineseNumber, Script);

fn is_arabic_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn arabic_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        _ => None,
    }
}

/// Value of a Chinese digit character (not units).
fn chinese_digit(c: char) -> Option<u8> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '贰' | '两' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Power of ten of a Chinese unit character.
fn chinese_unit(c: char) -> Option<i32> {
    Some(match c {
        '十' | '拾' => 1,
        '百' | '佰' => 2,
        '千' | '仟' => 3,
        '万' | '萬' => 4,
        '亿' | '億' => 8,
        _ => return None,
    })
}

/// Characters that, after a number, make it a quantity: classifiers and
/// measure units. Used to accept a lone numeral character (`三个`, `一批`).
fn is_classifier(c: char) -> bool {
    "个名位家项条种批次年月日天岁人件张本座辆台架层份类组届期轮场篇支队块元米吨斤亩倍周级段句席例笔封首幅棵颗门间栋套双户所股只头匹艘枚"
        .contains(c)
}

/// Units of two characters whose first is no classifier (`六公里`,
/// `两小时`): they make a lone numeral a number too.
fn is_two_char_unit(a: char, b: char) -> bool {
    matches!(
        (a, b),
        ('公', '里' | '斤' | '顷' | '分')
            | ('小', '时')
            | ('分', '钟')
            | ('平', '方')
            | ('千', '米' | '克')
    )
}

/// Characters after which a lone `一` is part of a word, not a number
/// (`统一`, `唯一`, `之一`, `同一`, `逐一` …).
fn forms_word_with_yi(prev: char) -> bool {
    "统唯之万同专划单纯均归合如逐择其整另第".contains(prev)
}

/// Measurement units starting with 千/百 that must not be read as
/// magnitudes (`5千米` is 5 km, `5千克` 5 kg).
fn is_metric_after_kilo(c: char) -> bool {
    "米克瓦焦帕伏赫卡字".contains(c)
}

/// Scans Arabic digits (with thousands separators and decimals) starting at
/// `i`. Returns the number and the index after it.
fn scan_arabic(chars: &[(usize, char)], i: usize) -> Option<(ChineseNumber, usize)> {
    let mut mantissa: u128 = 0;
    let mut exponent: i32 = 0;
    let mut j = i;
    let mut group_len = 0usize;
    let mut seen_sep = false;
    let push = |m: u128, d: u8| m.checked_mul(10)?.checked_add(u128::from(d));
    while j < chars.len() {
        let c = chars[j].1;
        if let Some(d) = arabic_value(c) {
            mantissa = push(mantissa, d)?;
            group_len += 1;
            j += 1;
        } else if c == ','
            && !(seen_sep && group_len != 3)
            && (seen_sep || group_len <= 3)
            && (1..=3).all(|k| chars.get(j + k).is_some_and(|&(_, c)| c.is_ascii_digit()))
            && !chars.get(j + 4).is_some_and(|&(_, c)| c.is_ascii_digit())
        {
            seen_sep = true;
            group_len = 0;
            j += 1;
        } else {
            break;
        }
    }
    if j == i || (seen_sep && group_len != 3) {
        return None;
    }
    // Decimal part.
    if let Some(&(_, c)) = chars.get(j)
        && (c == '.' || c == '．')
        && chars.get(j + 1).is_some_and(|&(_, c)| is_arabic_digit(c))
    {
        j += 1;
        while let Some(d) = chars.get(j).and_then(|&(_, c)| arabic_value(c)) {
            mantissa = push(mantissa, d)?;
            exponent -= 1;
            j += 1;
        }
    }
    Some((ChineseNumber::new(mantissa, exponent), j))
}

/// Scans magnitude characters after an Arabic number (`万`, `亿`, and `千`/
/// `百` unless a metric unit follows), greedily. Returns the total power of ten and the
/// index after the magnitudes.
fn scan_magnitudes(chars: &[(usize, char)], mut j: usize) -> (i32, usize) {
    let mut total = 0;
    while let Some(&(_, c)) = chars.get(j) {
        let p = match c {
            '万' | '萬' => 4,
            '亿' | '億' => 8,
            '千' | '仟' | '百' | '佰' => {
                if chars
                    .get(j + 1)
                    .is_some_and(|&(_, n)| is_metric_after_kilo(n))
                {
                    break;
                }
                if c == '千' || c == '仟' { 3 } else { 2 }
            }
            _ => break,
        };
        total += p;
        j += 1;
    }
    (total, j)
}

/// Scans a Chinese numeral starting at `i`. With `allow_positional`, a
/// positional digit string (`二〇一一`) is accepted too. Returns the number,
/// the index after it and whether it used unit characters.
fn scan_chinese(
    chars: &[(usize, char)],
    i: usize,
    allow_positional: bool,
) -> Option<(ChineseNumber, usize, bool)> {
    // Find the extent of the numeral characters.
    let mut j = i;
    while let Some(&(_, c)) = chars.get(j) {
        if chinese_digit(c).is_some() || chinese_unit(c).is_some() {
            j += 1;
        } else {
            break;
        }
    }
    if j == i {
        return None;
    }
    let run: Vec<char> = chars[i..j].iter().map(|&(_, c)| c).collect();
    // Must start with a digit or 十 (so 万一, 千万, 百万 are not numbers).
    let first = run[0];
    if chinese_digit(first).is_none() && first != '十' && first != '拾' {
        return None;
    }
    let has_units = run.iter().any(|&c| chinese_unit(c).is_some());
    let (n, end) = if !has_units {
        if run.len() == 1 {
            (u128::from(chinese_digit(first)?), j)
        } else {
            if !allow_positional || run.contains(&'两') {
                return None;
            }
            let mut m: u128 = 0;
            for &c in &run {
                m = m
                    .checked_mul(10)?
                    .checked_add(u128::from(chinese_digit(c)?))?;
            }
            (m, j)
        }
    } else {
        // Unit-based numeral: take the longest well-formed prefix.
        (1..=run.len())
            .rev()
            .find_map(|end| eval_chinese(&run[..end]).map(|n| (n, i + end)))?
    };
    // Decimal with 点: 三点五 (but not 一点 "a bit", 八点五十 "8:50").
    let mut end = end;
    let mut number = ChineseNumber::from_integer(n);
    if chars.get(end).is_some_and(|&(_, c)| c == '点') {
        let mut k = end + 1;
        let mut m = n;
        let mut exp = 0;
        while let Some(&(_, c)) = chars.get(k) {
            let Some(d) = chinese_digit(c).filter(|_| c != '两') else {
                break;
            };
            m = m.checked_mul(10)?.checked_add(u128::from(d))?;
            exp -= 1;
            k += 1;
        }
        let unit_follows = chars
            .get(k)
            .is_some_and(|&(_, c)| chinese_unit(c).is_some());
        if exp < 0 && !unit_follows {
            number = ChineseNumber::new(m, exp);
            end = k;
        }
    }
    Some((number, end, has_units))
}

/// Evaluates a Chinese numeral made of digits and units. Returns `None` if
/// it is malformed (`十十`, `五五十`).
fn eval_chinese(run: &[char]) -> Option<u128> {
    let mut total: u128 = 0; // completed 亿 groups
    let mut section: u128 = 0; // completed part below 亿 (may include 万)
    let mut small: u128 = 0; // part below 万
    let mut digit: Option<u128> = None;
    let mut last_unit: i32 = 9;
    let mut last_small_unit: i32 = 5;
    let mut saw_zero = false;
    for (idx, &c) in run.iter().enumerate() {
        if let Some(d) = chinese_digit(c) {
            if digit.is_some() {
                return None; // two digits in a row
            }
            if d == 0 {
                saw_zero = true;
                continue;
            }
            digit = Some(u128::from(d));
        } else if let Some(p) = chinese_unit(c) {
            match p {
                1..=3 => {
                    if p >= last_small_unit {
                        return None;
                    }
                    let d = match digit {
                        Some(d) => d,
                        None if p == 1 && idx == 0 => 1,
                        None if p == 1 && small == 0 && section + total > 0 => 1,
                        None => return None,
                    };
                    small += d * 10u128.pow(p as u32);
                    last_small_unit = p;
                    digit = None;
                    saw_zero = false;
                }
                4 => {
                    if last_unit <= 4 {
                        return None;
                    }
                    let part = small + digit.unwrap_or(0);
                    if part == 0 {
                        return None;
                    }
                    section += part * 10_000;
                    small = 0;
                    digit = None;
                    last_unit = 4;
                    last_small_unit = 5;
                    saw_zero = false;
                }
                _ => {
                    let part = section + small + digit.unwrap_or(0);
                    if part == 0 {
                        return None;
                    }
                    total = (total + part).checked_mul(100_000_000)?;
                    section = 0;
                    small = 0;
                    digit = None;
                    last_unit = 8;
                    last_small_unit = 5;
                    saw_zero = false;
                }
            }
        } else {
            return None;
        }
    }
    // Trailing digit. Colloquial abbreviation 一百五 = 150, 三万五 = 35000.
    if let Some(d) = digit {
        let scale = if saw_zero || last_small_unit == 5 && last_unit == 9 {
            1
        } else if (2..=3).contains(&last_small_unit) {
            10u128.pow(last_small_unit as u32 - 1)
        } else if last_small_unit == 5 && last_unit == 4 {
            1000
        } else if last_small_unit == 5 && last_unit == 8 {
            10_000_000
        } else {
            1
        };
        small += d * scale;
    }
    Some(total + section + small)
}

/// Scans an integer (Arabic or Chinese) for a date slot. Returns value,
/// index after it, number of characters and script.
fn scan_int(chars: &[(usize, char)], i: usize) -> Option<(u128, usize, usize, Script)> {
    let c = chars.get(i)?.1;
    if is_arabic_digit(c) {
        let mut j = i;
        let mut v: u128 = 0;
        while let Some(d) = chars.get(j).and_then(|&(_, c)| arabic_value(c)) {
            v = v.checked_mul(10)?.checked_add(u128::from(d))?;
            j += 1;
        }
        Some((v, j, j - i, Script::Arabic))
    } else {
        let (n, j, _) = scan_chinese(chars, i, true)?;
        Some((n.as_integer()?, j, j - i, Script::Chinese))
    }
}

/// Tries to read a date starting at `i`.
fn match_date(chars: &[(usize, char)], i: usize) -> Option<Found> {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let (v1, j1, len1, script) = scan_int(chars, i)?;
    let mut year = None;
    let mut month = None;
    let mut day = None;
    let mut j = j1;
    let mut next = Some((v1, j1));
    if at(j1) == Some('年') {
        if len1 != 4 || !(1000..=2999).contains(&v1) {
            return None;
        }
        year = u16::try_from(v1).ok();
        j = j1 + 1;
        next = scan_int(chars, j).map(|(v, e, _, _)| (v, e));
    }
    if let Some((v, e)) = next
        && at(e) == Some('月')
        && (1..=12).contains(&v)
        && (year.is_none() || e > j)
    {
        month = u8::try_from(v).ok();
        j = e + 1;
        if at(j) == Some('份') {
            j += 1;
        }
        next = scan_int(chars, j).map(|(v, e, _, _)| (v, e));
    } else if year.is_none() {
        // Day alone: "26日".
        if let Some((v, e)) = next
            && matches!(at(e), Some('日' | '号'))
            && (1..=31).contains(&v)
            && script == Script::Arabic
        {
            let d = u8::try_from(v).ok();
            return Some(date_found(e + 1, None, None, d, script));
        }
        return None;
    }
    if month.is_some()
        && let Some((v, e)) = next
        && matches!(at(e), Some('日' | '号'))
        && (1..=31).contains(&v)
    {
        day = u8::try_from(v).ok();
        j = e + 1;
    }
    Some(date_found(j, year, month, day, script))
}

fn date_found(
    end: usize,
    year: Option<u16>,
    month: Option<u8>,
    day: Option<u8>,
    script: Script,
) -> Found {
    let v = year
        .map(u128::from)
        .or(month.map(u128::from))
        .or(day.map(u128::from))
        .unwrap_or(0);
    let n = ChineseNumber::from_integer(v);
    (
        end,
        n.value(),
        NumberKind::Date { year, month, day },
        n,
        script,
    )
}

/// Tries to read any number starting at char index `i`.
fn match_at(chars: &[(usize, char)], i: usize) -> Option<Found> {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let c = at(i)?;
    let prev = i.checked_sub(1).and_then(at);

    // Ordinal: 第 + number.
    if c == '第' {
        let (n, end, script) = match at(i + 1) {
            Some(d) if is_arabic_digit(d) => {
                let (n, e) = scan_arabic(chars, i + 1)?;
                (n, e, Script::Arabic)
            }
            Some(_) => {
                let (n, e, _) = scan_chinese(chars, i + 1, false)?;
                (n, e, Script::Chinese)
            }
            None => return None,
        };
        n.as_integer()?;
        return Some((end, n.value(), NumberKind::Ordinal, n, script));
    }

    // Percent / fraction: 百分之X, 千分之X, X分之Y.
    if c == '百' || c == '千' {
        if at(i + 1) == Some('分') && at(i + 2) == Some('之') {
            let (n, end, script) = scan_any_number(chars, i + 3)?;
            let n = if c == '千' { n.times_pow10(-1)? } else { n };
            return Some((end, n.value(), NumberKind::Percent, n, script));
        }
        return None;
    }

    let starts_number = is_arabic_digit(c) || chinese_digit(c).is_some() || c == '十' || c == '拾';
    if !starts_number {
        return None;
    }
    if is_arabic_digit(c) && prev.is_some_and(|p| p.is_ascii_alphabetic()) {
        return None;
    }
    if c == '一' && prev.is_some_and(forms_word_with_yi) {
        return None;
    }

    if let Some(found) = match_date(chars, i) {
        return Some(found);
    }

    // Fraction X分之Y.
    if let Some((den, e, _)) = scan_whole(chars, i)
        && at(e) == Some('分')
        && at(e + 1) == Some('之')
        && let Some((num, end, script)) = scan_any_number(chars, e + 2)
        && let (Some(d), Some(nu)) = (den.as_integer(), num.as_integer())
        && d > 0
        && let (Ok(d), Ok(nu)) = (u64::try_from(d), u64::try_from(nu))
    {
        let q = nu as f64 / d as f64;
        return Some((
            end,
            q,
            NumberKind::Fraction {
                numerator: nu,
                denominator: d,
            },
            num,
            script,
        ));
    }

    let (mut n, mut j, script, lone_char) = if is_arabic_digit(c) {
        let (n, j) = scan_arabic(chars, i)?;
        (n, j, Script::Arabic, false)
    } else {
        let (n, j, _) = scan_chinese(chars, i, false)?;
        (n, j, Script::Chinese, j == i + 1)
    };

    // Percent sign.
    if matches!(at(j), Some('%' | '％')) {
        return Some((j + 1, n.value(), NumberKind::Percent, n, script));
    }

    // 余/多 approximations, then magnitudes.
    let mut kind = NumberKind::Cardinal;
    let mut k = j;
    if matches!(at(k), Some('余' | '多')) {
        k += 1;
    }
    let (mag, after_mag) = if script == Script::Arabic {
        scan_magnitudes(chars, k)
    } else if matches!(at(k), Some('万' | '亿')) && k > j {
        // 二十余万
        scan_magnitudes(chars, k)
    } else {
        (0, k)
    };
    if mag > 0 {
        n = n.times_pow10(mag)?;
        if k > j {
            kind = NumberKind::MoreThan;
        }
        j = after_mag;
    } else if k > j {
        // 多/余 without magnitude: accept before a classifier or at a
        // boundary ("20多位", "100多.").
        let next = at(k);
        if next.is_none_or(|c| is_classifier(c) || !is_han(c)) {
            kind = NumberKind::MoreThan;
            j = k;
        }
    }

    // A lone Chinese numeral character needs a reason to be a number.
    if lone_char && j == i + 1 {
        let next = at(j);
        let unit = next
            .zip(at(j + 1))
            .is_some_and(|(a, b)| is_two_char_unit(a, b));
        if !next.is_some_and(is_classifier) && !unit {
            return None;
        }
        // 一起/一道/一下 etc. are not in the classifier list; 一些 neither.
    }
    Some((j, n.value(), kind, n, script))
}

/// A whole number in either script, no magnitude suffix (for fractions).
fn scan_whole(chars: &[(usize, char)], i: usize) -> Option<(ChineseNumber, usize, Script)> {
    let c = chars.get(i)?.1;
    if is_arabic_digit(c) {
        let (n, e) = scan_arabic(chars, i)?;
        Some((n, e, Script::Arabic))
    } else {
        let (n, e, _) = scan_chinese(chars, i, false)?;
        Some((n, e, Script::Chinese))
    }
}

/// Any number in either script (for the parts after 分之).
fn scan_any_number(chars: &[(usize, char)], i: usize) -> Option<(ChineseNumber, usize, Script)> {
    let c = chars.get(i)?.1;
    if is_arabic_digit(c) {
        let (n, e) = scan_arabic(chars, i)?;
        let (mag, e2) = scan_magnitudes(chars, e);
        Some((n.times_pow10(mag)?, e2, Script::Arabic))
    } else {
        let (n, e, _) = scan_chinese(chars, i, false)?;
        Some((n, e, Script::Chinese))
    }
}

/// A number found in English text by [`find_english_numbers`].
#[derive(Debug, Clone, PartialEq)]
pub struct EnglishNumber {
    /// Byte range of the number in the searched text, including its
    /// magnitude word (`million`), `%`/`percent`, or the whole date.
    pub span: Range<usize>,
    /// The value, as for [`NumberMatch::value`]: the percentage for
    /// [`NumberKind::Percent`], the year (else month, else day) for a date.
    pub value: f64,
    /// What kind of number it is: [`NumberKind::Cardinal`],
    /// [`NumberKind::Percent`], [`NumberKind::Ordinal`] or
    /// [`NumberKind::Date`].
    pub kind: NumberKind,
}

/// Finds the numbers in English text, left to right, non-overlapping, so
/// that they can be compared with those [`find_numbers`] finds in Chinese:
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

    fn en(text: &str) -> Vec<String> {
        find_numbers(text).iter().map(to_english).collect()
    }

    fn one(text: &str) -> (String, NumberMatch) {
        let found = find_numbers(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        (to_english(&found[0]), found[0].clone())
    }

    #[test]
    fn lone_numeral_before_a_two_character_unit() {
        assert_eq!(en("周长约六公里"), ["six"]);
        assert_eq!(en("两小时内"), ["two"]);
        assert_eq!(en("三分钟"), ["three"]);
        // Still no number without a unit.
        assert!(en("六公").is_empty());
    }

    #[test]
    fn parses_arabic() {
        assert_eq!(parse_number("348"), Some(348.0));
        assert_eq!(parse_number("83.3"), Some(83.3));
        assert_eq!(parse_number("5,943"), Some(5943.0));
        assert_eq!(parse_number("１２３"), Some(123.0));
        assert_eq!(parse_number("１．５"), Some(1.5));
        assert_eq!(parse_number("1,2345"), None);
        assert_eq!(parse_number("12a"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn parses_chinese() {
        assert_eq!(parse_number("三"), Some(3.0));
        assert_eq!(parse_number("十二"), Some(12.0));
        assert_eq!(parse_number("二十三"), Some(23.0));
        assert_eq!(parse_number("一百零五"), Some(105.0));
        assert_eq!(parse_number("两"), Some(2.0));
        assert_eq!(parse_number("两万"), Some(20000.0));
        assert_eq!(parse_number("三万五千"), Some(35000.0));
        assert_eq!(parse_number("一亿二千万"), Some(120_000_000.0));
        assert_eq!(parse_number("一万亿"), Some(1e12));
        assert_eq!(parse_number("十万"), Some(100_000.0));
        assert_eq!(parse_number("一百五"), Some(150.0));
        assert_eq!(parse_number("二〇一一"), Some(2011.0));
        assert_eq!(parse_number("三点五"), Some(3.5));
        assert_eq!(parse_number("壹佰贰拾"), Some(120.0));
        assert_eq!(parse_number("十十"), None);
        assert_eq!(parse_number("万一"), None);
        assert_eq!(parse_number("统一"), None);
    }

    #[test]
    fn parses_magnitudes() {
        assert_eq!(parse_number("1.05亿"), Some(105_000_000.0));
        assert_eq!(parse_number("1.2亿"), Some(120_000_000.0));
        assert_eq!(parse_number("3.5万"), Some(35_000.0));
        assert_eq!(parse_number("5千"), Some(5_000.0));
        assert_eq!(parse_number("2万亿"), Some(2e12));
    }

    #[test]
    fn formats_cardinals() {
        let f = |s: &str| ChineseNumber::parse(s).map(|n| n.to_english());
        assert_eq!(f("105000000").as_deref(), Some("105 million"));
        assert_eq!(f("1.05亿").as_deref(), Some("105 million"));
        assert_eq!(f("1.2亿").as_deref(), Some("120 million"));
        assert_eq!(f("12亿").as_deref(), Some("1.2 billion"));
        assert_eq!(f("3.5万").as_deref(), Some("35,000"));
        assert_eq!(f("348").as_deref(), Some("348"));
        assert_eq!(f("5943").as_deref(), Some("5,943"));
        assert_eq!(f("1234567").as_deref(), Some("1,234,567"));
        assert_eq!(f("3500000").as_deref(), Some("3.5 million"));
        assert_eq!(f("1.50").as_deref(), Some("1.50"));
        assert_eq!(f("0.05").as_deref(), Some("0.05"));
        assert_eq!(f("12345.67").as_deref(), Some("12,345.67"));
    }

    #[test]
    fn finds_cardinals_in_text() {
        assert_eq!(
            en("国土资源部共348个基层党组织.5943名党员"),
            ["348", "5,943"]
        );
        assert_eq!(en("投资1.05亿元"), ["105 million"]);
        assert_eq!(en("来自11家中央媒体"), ["11"]);
        assert_eq!(en("三个代表"), ["three"]);
        assert_eq!(en("一批特殊的客人"), ["one"]);
        assert_eq!(en("二十三个"), ["23"]);
        assert_eq!(en("一百零五人"), ["105"]);
        assert_eq!(en("两万人"), ["20,000"]);
    }

    #[test]
    fn ignores_words_containing_numerals() {
        for text in [
            "统一部署",
            "一般化",
            "其中之一",
            "万一",
            "千万不要",
            "十分重要",
            "一起",
            "一些",
            "一一对应",
            "进一步",
            "同一名称",
            "MP3播放器",
            "五一",
        ] {
            assert!(
                find_numbers(text).is_empty(),
                "{text}: {:?}",
                find_numbers(text)
            );
        }
    }

    #[test]
    fn finds_approximations() {
        let (s, m) = one("20余万人");
        assert_eq!(s, "more than 200,000");
        assert_eq!(m.kind, NumberKind::MoreThan);
        assert_eq!(m.value, 200_000.0);
        assert_eq!(one("20多位记者").0, "more than 20");
        assert_eq!(one("20多位记者").1.span, 0..5);
        assert_eq!(one("二十余万").0, "more than 200,000");
        assert_eq!(one("三百多名").0, "more than 300");
    }

    #[test]
    fn finds_percentages_and_fractions() {
        let (s, m) = one("比例为83.3%.");
        assert_eq!(s, "83.3%");
        assert_eq!(m.kind, NumberKind::Percent);
        assert_eq!(m.value, 83.3);
        assert_eq!(one("增长１５％").0, "15%");
        let (s, m) = one("百分之三十的");
        assert_eq!(s, "30%");
        assert_eq!(m.span, 0.."百分之三十".len());
        assert_eq!(one("千分之五").0, "0.5%");
        assert_eq!(one("三分之一").0, "one third");
        assert_eq!(one("三分之二").0, "two thirds");
        assert_eq!(one("七分之三").0, "3/7");
    }

    #[test]
    fn finds_dates() {
        let (s, m) = one("2011年4月26日.国土资源部");
        assert_eq!(s, "April 26, 2011");
        assert_eq!(m.span, 0.."2011年4月26日".len());
        assert_eq!(
            m.kind,
            NumberKind::Date {
                year: Some(2011),
                month: Some(4),
                day: Some(26)
            }
        );
        assert_eq!(one("2010年4月.按照").0, "April 2010");
        assert_eq!(one("于4月26日召开").0, "April 26");
        assert_eq!(one("2010年").0, "2010");
        assert_eq!(one("二〇一一年四月二十六日").0, "April 26, 2011");
        assert_eq!(one("今年5月份").0, "May");
        assert_eq!(one("本月26日").0, "the 26th");
        // Not years: durations.
        assert_eq!(one("5年").0, "5");
        assert_eq!(one("两年多来").0, "two");
    }

    #[test]
    fn finds_ordinals() {
        assert_eq!(one("第一").0, "first");
        assert_eq!(one("第三次").0, "third");
        assert_eq!(one("第十二届").0, "12th");
        assert_eq!(one("第21名").0, "21st");
        assert_eq!(one("第一").1.kind, NumberKind::Ordinal);
    }

    #[test]
    fn spans_are_byte_ranges() {
        let text = "共有5943名党员";
        let m = &find_numbers(text)[0];
        assert_eq!(&text[m.span.clone()], "5943");
        let text = "有1,234人";
        assert_eq!(&text[find_numbers(text)[0].span.clone()], "1,234");
        let text = "第12届";
        assert_eq!(&text[find_numbers(text)[0].span.clone()], "第12");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            "第",
            "百分之",
            "分之一",
            "1.",
            "1,",
            "9".repeat(60).as_str(),
            "年月日",
            "亿万",
            "零",
        ] {
            let _ = find_numbers(text);
            let _ = parse_number(text);
        }
    }

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
