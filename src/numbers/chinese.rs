//! Reading Chinese numbers and dates: [`find_numbers`], [`parse_number`]
//! and [`ChineseNumber::parse`].

use super::{ChineseNumber, NumberKind, NumberMatch, Script};
use crate::text::is_han;

impl ChineseNumber {
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

    /// Multiplies by `10^k`.
    fn times_pow10(self, k: i32) -> Option<Self> {
        Some(ChineseNumber::new(
            self.mantissa,
            self.exponent.checked_add(k)?,
        ))
    }
}

/// Parses a string that is entirely one cardinal number (see
/// [`ChineseNumber::parse`]) and returns its value.
/// For example `1.05亿` → `Some(105000000.0)`, `二十三` → `Some(23.0)`,
/// `统一` → `None`.
pub fn parse_number(s: &str) -> Option<f64> {
    ChineseNumber::parse(s).map(|n| n.value())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::to_english;

    fn en(text: &str) -> Vec<String> {
        find_numbers(text).iter().map(to_english).collect()
    }

    /// Each text has one number, written as given.
    #[track_caller]
    fn finds(cases: &[(&str, &str)]) {
        for &(text, want) in cases {
            assert_eq!(one(text).0, want, "{text}");
        }
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

    /// Arabic numerals (ASCII and full-width), Chinese numerals (with 两,
    /// 〇 and the financial forms), and Arabic numbers with a Chinese
    /// magnitude.
    #[test]
    fn parses_numbers() {
        for (text, want) in [
            // Arabic, Chinese, Arabic with a Chinese magnitude.
            ("348", Some(348.0)),
            ("83.3", Some(83.3)),
            ("5,943", Some(5943.0)),
            ("１２３", Some(123.0)),
            ("１．５", Some(1.5)),
            ("三", Some(3.0)),
            ("十二", Some(12.0)),
            ("二十三", Some(23.0)),
            ("一百零五", Some(105.0)),
            ("两", Some(2.0)),
            ("两万", Some(20000.0)),
            ("三万五千", Some(35000.0)),
            ("一亿二千万", Some(120_000_000.0)),
            ("一万亿", Some(1e12)),
            ("十万", Some(100_000.0)),
            ("一百五", Some(150.0)),
            ("二〇一一", Some(2011.0)),
            ("三点五", Some(3.5)),
            ("壹佰贰拾", Some(120.0)),
            ("1.05亿", Some(105_000_000.0)),
            ("1.2亿", Some(120_000_000.0)),
            ("3.5万", Some(35_000.0)),
            ("5千", Some(5_000.0)),
            ("2万亿", Some(2e12)),
            // Not numbers.
            ("1,2345", None),
            ("12a", None),
            ("", None),
            ("十十", None),
            ("万一", None),
            ("统一", None),
        ] {
            assert_eq!(parse_number(text), want, "{text}");
        }
    }

    #[test]
    fn finds_cardinals_in_text() {
        assert_eq!(
            en("国土资源部共348个基层党组织.5943名党员"),
            ["348", "5,943"]
        );
        for (text, want) in [
            ("投资1.05亿元", ["105 million"]),
            ("来自11家中央媒体", ["11"]),
            ("三个代表", ["three"]),
            ("一批特殊的客人", ["one"]),
            ("二十三个", ["23"]),
            ("一百零五人", ["105"]),
            ("两万人", ["20,000"]),
        ] {
            assert_eq!(en(text), want, "{text}");
        }
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
        finds(&[
            ("千分之五", "0.5%"),
            ("三分之一", "one third"),
            ("三分之二", "two thirds"),
            ("七分之三", "3/7"),
        ]);
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
        finds(&[
            ("2010年4月.按照", "April 2010"),
            ("于4月26日召开", "April 26"),
            ("2010年", "2010"),
            ("二〇一一年四月二十六日", "April 26, 2011"),
            ("今年5月份", "May"),
            ("本月26日", "the 26th"),
        ]);
        // Not years: durations.
        assert_eq!(one("5年").0, "5");
        assert_eq!(one("两年多来").0, "two");
    }

    #[test]
    fn finds_ordinals() {
        finds(&[
            ("第一", "first"),
            ("第三次", "third"),
            ("第十二届", "12th"),
            ("第21名", "21st"),
        ]);
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
}
