//! Formatting numbers and dates for English text: [`to_english`],
//! [`ChineseNumber::to_english`], [`ordinal_english`], [`month_name`].

use super::{ChineseNumber, NumberKind, NumberMatch, Script};

impl ChineseNumber {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_cardinals() {
        let f = |s: &str| ChineseNumber::parse(s).map(|n| n.to_english());
        for (number, english) in [
            ("105000000", "105 million"),
            ("1.05亿", "105 million"),
            ("1.2亿", "120 million"),
            ("12亿", "1.2 billion"),
            ("3.5万", "35,000"),
            ("348", "348"),
            ("5943", "5,943"),
            ("1234567", "1,234,567"),
            ("3500000", "3.5 million"),
            ("1.50", "1.50"),
            ("0.05", "0.05"),
            ("12345.67", "12,345.67"),
        ] {
            assert_eq!(f(number).as_deref(), Some(english), "{number}");
        }
    }
}
