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

// One file per job: `chinese` reads Chinese numbers and dates, `format`
// writes them in English, `english` reads numbers in English text. The
// shared types stay here.
mod chinese;
mod english;
mod format;

pub use chinese::{find_numbers, parse_number};
pub use english::{EnglishNumber, EnglishNumbers, read_english};
pub use format::{month_name, ordinal_english, to_english};

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
