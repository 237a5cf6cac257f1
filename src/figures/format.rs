//! The one number formatter: every figure, in prose, tables and charts, is
//! written by this module, so a number looks the same wherever it appears.
//!
//! Nothing here reads the machine's locale. Everything that depends on the
//! language (separators, percent style, scale words, plurals, ordinals,
//! qualifiers) comes from a [`Locale`], which takes it from CLDR.

use super::units::{Dimension, Scale, Unit};

pub use super::locale::{Locale, MINUS, NBSP};

/// The en dash of ranges.
pub const EN_DASH: char = '–';

/// A `YYYY-MM-DD` date (or the date part of a date-time) in a strftime
/// format; "%-d %B %Y" gives "24 January 2024". Independent of the machine's
/// locale and time zone: the date is formatted as written.
pub fn date(value: &str, format: &str) -> Result<String, String> {
    use std::fmt::Write;
    let day = value.get(..10).unwrap_or(value);
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| format!("`{value}` is not a date (expected YYYY-MM-DD)"))?;
    let mut out = String::new();
    write!(out, "{}", date.format(format))
        .map_err(|_| format!("`{format}` is not a valid strftime format"))?;
    Ok(out)
}

/// The long form of a date: "24 January 2024".
pub const LONG_DATE: &str = "%-d %B %Y";

/// How precise a written statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// More than the number.
    Over,
    /// Less than the number.
    Under,
    /// Roughly the number.
    About,
    /// The number or more.
    AtLeast,
    /// The number or less.
    UpTo,
}

impl Qualifier {
    /// Its name in the data file and the downloads ("over").
    pub fn name(self) -> &'static str {
        match self {
            Qualifier::Over => "over",
            Qualifier::Under => "under",
            Qualifier::About => "about",
            Qualifier::AtLeast => "at least",
            Qualifier::UpTo => "up to",
        }
    }

    /// The symbol for the qualifier in tables, the same in every language.
    pub fn symbol(self) -> &'static str {
        match self {
            Qualifier::Over => ">",
            Qualifier::Under => "<",
            Qualifier::About => "~",
            Qualifier::AtLeast => "≥",
            Qualifier::UpTo => "≤",
        }
    }

    /// Parses a qualifier as written in the data file.
    pub fn parse(s: &str) -> Option<Qualifier> {
        match s {
            "over" | "more than" => Some(Qualifier::Over),
            "under" | "less than" => Some(Qualifier::Under),
            "about" | "around" | "nearly" => Some(Qualifier::About),
            "at least" => Some(Qualifier::AtLeast),
            "up to" => Some(Qualifier::UpTo),
            _ => None,
        }
    }

    /// The spellings the data file accepts.
    pub const NAMES: &'static [&'static str] = &[
        "over",
        "more than",
        "under",
        "less than",
        "about",
        "around",
        "nearly",
        "at least",
        "up to",
    ];
}

/// A number with the count of decimals it is written with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    /// The value.
    pub value: f64,
    /// Decimals to show.
    pub decimals: usize,
}

/// What a figure says, ready to format.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    /// One number.
    Point(Num),
    /// A range, low to high.
    Range(Num, Num),
    /// A position in a ranking: `label` is e.g. "largest trading partner".
    Rank {
        /// 1 for the first.
        rank: u32,
        /// What is ranked.
        label: String,
    },
}

/// A figure's value with everything needed to write it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity<'u> {
    /// The number(s) or rank.
    pub amount: Amount,
    /// Its unit, if any.
    pub unit: Option<&'u Unit>,
    /// Its scale word, if any.
    pub scale: Option<Scale>,
    /// "over", "about" …
    pub qualifier: Option<Qualifier>,
    /// Show a sign (+47.5 %): for changes.
    pub signed: bool,
    /// Computed from other figures rather than stated.
    pub implied: bool,
}

/// Where a number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// In running text: words ("USD 2.57 billion").
    Prose,
    /// In a table cell: symbols ("$2.57 bn").
    Short,
    /// The number(s) alone, for a table column that states the unit.
    Bare,
}

/// Writes `value` with `decimals` decimals in the locale's digits and
/// separators, with a typographic minus; `signed` adds `+` to positive
/// numbers.
pub fn number(value: f64, decimals: usize, signed: bool, locale: &Locale) -> String {
    let text = format!("{:.*}", decimals.min(12), value.abs());
    let mut out = sign(value, &text, signed);
    out.push_str(&locale.digits(&text));
    out
}

/// The sign a number is written with: `−` below zero, `+` above it when
/// `signed`, none when it rounds to zero.
fn sign(value: f64, text: &str, signed: bool) -> String {
    let rounded_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    match (rounded_zero, value < 0.0, signed) {
        (true, _, _) => String::new(),
        (false, true, _) => MINUS.to_string(),
        (false, false, true) => "+".to_string(),
        (false, false, false) => String::new(),
    }
}

/// Reads a number written by [`number`] (or typed by a person in the same
/// locale): separators, `+`, `-` or `−`. `None` if it is not one.
pub fn parse_number(text: &str, locale: &Locale) -> Option<f64> {
    let t = text.trim();
    let (negative, rest) = match t.chars().next()? {
        '-' | MINUS => (true, &t[t.chars().next()?.len_utf8()..]),
        '+' => (false, &t[1..]),
        _ => (false, t),
    };
    if rest.is_empty() {
        return None;
    }
    let mut plain = String::with_capacity(rest.len());
    let mut seen_decimal = false;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            plain.push(c);
        } else if c == locale.decimal && !seen_decimal {
            seen_decimal = true;
            plain.push('.');
        } else if c == locale.group && !seen_decimal {
            continue;
        } else {
            return None;
        }
    }
    if !plain.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: f64 = plain.parse().ok()?;
    Some(if negative { -v } else { v })
}

/// Decimals that show `value` to about three significant figures (for
/// computed values, which have no written precision of their own).
pub fn decimals_for(value: f64) -> usize {
    let a = value.abs();
    if a == 0.0 || !a.is_finite() || a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // 0.0123 → 4 decimals: three significant figures.
        ((-a.log10()).floor() as usize + 3).min(8)
    }
}

/// Trims trailing zeros of a computed number's decimals: 0.600 → 0.6.
pub fn trimmed(num: Num) -> Num {
    let mut d = num.decimals;
    while d > 0 {
        let text = format!("{:.*}", d, num.value);
        if text.ends_with('0') {
            d -= 1;
        } else {
            break;
        }
    }
    Num {
        value: num.value,
        decimals: d,
    }
}

impl Quantity<'_> {
    /// Writes the quantity in a style.
    pub fn format(&self, style: Style, locale: &Locale) -> String {
        if let Amount::Rank { rank, label } = &self.amount {
            return if *rank == 1 {
                label.clone()
            } else {
                locale.ranked(*rank, label)
            };
        }
        let mut out = String::new();
        // A qualifier ("up to") already says the number is not exact.
        if self.implied && style != Style::Bare && self.qualifier.is_none() {
            out.push_str(locale.implied());
            out.push(NBSP);
        }
        let long = style == Style::Prose;
        let percent = self.unit.is_some_and(|u| u.dimension == Dimension::Percent);
        let mut number = String::new();
        match (style, self.unit) {
            (Style::Bare, _) | (_, None) => number.push_str(&self.numbers(locale, long)),
            (_, Some(_)) if percent => {
                number.push_str(&percent_of(&self.numbers(locale, long), locale))
            }
            (Style::Prose, Some(u)) => self.prose(&mut number, u, locale),
            (Style::Short, Some(u)) => self.short(&mut number, u, locale),
        }
        match (self.qualifier, style) {
            (Some(q), Style::Prose) => out.push_str(&locale.qualified(q as usize, &number)),
            (Some(q), Style::Short | Style::Bare) => {
                out.push_str(q.symbol());
                out.push(NBSP);
                out.push_str(&number);
            }
            (None, _) => out.push_str(&number),
        }
        if self.implied && style == Style::Prose {
            out.push_str(&locale.implied_note());
        }
        out
    }

    /// The number(s) with their scale word in the language: "2.57 billion"
    /// (prose) or "2.57B" (tables), "25.7亿", "18–23".
    fn numbers(&self, locale: &Locale, long: bool) -> String {
        let (lo, hi) = match &self.amount {
            Amount::Point(n) => (None, *n),
            Amount::Range(lo, hi) => (Some(*lo), *hi),
            Amount::Rank { .. } => return String::new(),
        };
        let Some(scale) = self.scale else {
            return match lo {
                Some(lo) => format!(
                    "{}{EN_DASH}{}",
                    number(lo.value, lo.decimals, self.signed, locale),
                    number(hi.value, hi.decimals, self.signed, locale)
                ),
                None => number(hi.value, hi.decimals, self.signed, locale),
            };
        };
        let own = i32::from(scale.exponent());
        let largest = lo.map_or(hi.value.abs(), |l| l.value.abs().max(hi.value.abs()));
        let magnitude = if largest > 0.0 && largest.is_finite() {
            (largest.log10().floor() as i32 + own).clamp(0, 30) as i16
        } else {
            own as i16
        };
        let exponent = locale.exponent(scale, magnitude, long);
        // The same digits in units of 10^exponent: 2.57 billion is 25.7亿.
        let shift = own - i32::from(exponent);
        let digits = |n: Num| {
            let decimals = (n.decimals as i32 - shift).clamp(0, 12) as usize;
            let text = format!("{:.*}", decimals, n.value.abs() * 10f64.powi(shift));
            (sign(n.value, &text, self.signed), text)
        };
        let (hi_sign, hi_text) = digits(hi);
        let high = format!("{hi_sign}{}", locale.compact(&hi_text, exponent, long));
        match lo {
            Some(lo) => {
                let (lo_sign, lo_text) = digits(lo);
                format!("{lo_sign}{}{EN_DASH}{high}", locale.digits(&lo_text))
            }
            None => high,
        }
    }

    /// Whether a unit word after the number is singular ("1 day").
    fn singular(&self, locale: &Locale) -> bool {
        match (&self.amount, self.scale) {
            (Amount::Point(n), None) => {
                locale.is_singular(&format!("{:.*}", n.decimals.min(12), n.value.abs()))
            }
            _ => false,
        }
    }

    fn prose(&self, out: &mut String, u: &Unit, locale: &Locale) {
        let nums = self.numbers(locale, true);
        if u.prose_before {
            out.push_str(&u.singular);
            if !u.tight {
                out.push(NBSP);
            }
            out.push_str(&nums);
        } else if u.tight {
            out.push_str(&nums);
            out.push_str(&u.singular);
        } else {
            out.push_str(&nums);
            out.push_str(locale.word_gap());
            out.push_str(if self.singular(locale) {
                &u.singular
            } else {
                &u.plural
            });
        }
    }

    fn short(&self, out: &mut String, u: &Unit, locale: &Locale) {
        match self.scale {
            // SI prefixes are the same in every language: 2 Mt, 230 MW.
            Some(s) if u.si && !u.short_before => {
                let plain = Quantity {
                    scale: None,
                    ..self.clone()
                };
                out.push_str(&plain.numbers(locale, false));
                out.push(NBSP);
                out.push_str(s.si_prefix());
                out.push_str(&u.short);
            }
            _ if u.short_before => {
                out.push_str(&u.short);
                if !u.tight {
                    out.push(NBSP);
                }
                out.push_str(&self.numbers(locale, false));
            }
            _ => {
                out.push_str(&self.numbers(locale, false));
                push_unit(out, u, self.singular(locale));
            }
        }
    }
}

/// `numbers` in the language's percent pattern: "47.5%", "47,5%".
pub fn percent_of(numbers: &str, locale: &Locale) -> String {
    let pattern = locale.percent("1");
    match pattern.split_once('1') {
        Some((before, after)) => format!("{before}{numbers}{after}"),
        None => format!("{numbers}%"),
    }
}

/// A unit's short form; for one of a unit whose short form is its plural
/// word ("days"), the singular ("1 day").
fn push_unit(out: &mut String, u: &Unit, one: bool) {
    if !u.tight {
        out.push(NBSP);
    }
    if one && u.short == u.plural {
        out.push_str(&u.singular);
    } else {
        out.push_str(&u.short);
    }
}

/// The unit of a table column or chart axis: "Mt", "$ B", "days", "%".
pub fn unit_header(unit: Option<&Unit>, scale: Option<Scale>, locale: &Locale) -> String {
    // Numbers under a header are in the scale's own units; a language that
    // names other powers of ten says how many of them one unit is ("10亿").
    let word = |s: Scale| {
        let own = s.exponent();
        let e = locale.exponent(s, own as i16, false);
        if e == own {
            locale.scale_word(e, false)
        } else {
            locale.compact(
                &10u64.pow(u32::from(own.saturating_sub(e))).to_string(),
                e,
                false,
            )
        }
    };
    match (unit, scale) {
        (Some(u), Some(s)) if u.si => format!("{}{}", s.si_prefix(), u.short),
        (Some(u), Some(s)) => format!("{}{NBSP}{}", u.short, word(s)),
        (Some(u), None) => u.short.clone(),
        (None, Some(s)) => word(s),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::units::{CurrencyStyle, builtin};
    use proptest::prelude::*;

    fn unit(id: &str) -> Unit {
        styled(id, CurrencyStyle::Symbol)
    }

    fn styled(id: &str, style: CurrencyStyle) -> Unit {
        let unit = builtin().into_iter().find(|u| u.id == id).unwrap();
        unit.in_currency_style(style)
    }

    fn point(v: f64, d: usize) -> Amount {
        Amount::Point(Num {
            value: v,
            decimals: d,
        })
    }

    fn q<'u>(amount: Amount, unit: Option<&'u Unit>, scale: Option<Scale>) -> Quantity<'u> {
        Quantity {
            amount,
            unit,
            scale,
            qualifier: None,
            signed: false,
            implied: false,
        }
    }

    fn s(text: &str) -> String {
        text.replace(' ', "\u{a0}")
    }

    #[test]
    fn numbers_keep_their_written_decimals() {
        let en = Locale::en();
        assert_eq!(number(2.57, 2, false, &en), "2.57");
        assert_eq!(number(0.1 + 0.2, 1, false, &en), "0.3");
        assert_eq!(number(1234567.891, 2, false, &en), "1,234,567.89");
        assert_eq!(number(999.0, 0, false, &en), "999");
        assert_eq!(number(-16.7, 1, false, &en), "−16.7");
        assert_eq!(number(47.5, 1, true, &en), "+47.5");
        assert_eq!(number(-0.0001, 2, true, &en), "0.00");
    }

    #[test]
    fn prose_and_table_forms() {
        let en = Locale::en();
        let usd = unit("USD");
        let pct = unit("%");
        let t = unit("t");
        let days = unit("days");
        let x = unit("×");
        let mw = unit("MW");
        let trade = q(point(2.57, 2), Some(&usd), Some(Scale::Billion));
        assert_eq!(trade.format(Style::Prose, &en), s("$2.57 billion"));
        assert_eq!(trade.format(Style::Short, &en), s("$2.57B"));
        let code = styled("USD", CurrencyStyle::Code);
        let coded = q(point(2.57, 2), Some(&code), Some(Scale::Billion));
        assert_eq!(coded.format(Style::Prose, &en), s("USD 2.57 billion"));
        assert_eq!(coded.format(Style::Short, &en), s("USD 2.57B"));
        let azn = styled("AZN", CurrencyStyle::Symbol);
        let manat = q(point(120.0, 0), Some(&azn), Some(Scale::Million));
        assert_eq!(manat.format(Style::Prose, &en), s("₼120 million"));
        assert_eq!(manat.format(Style::Short, &en), s("₼120M"));
        let mut growth = q(point(47.5, 1), Some(&pct), None);
        growth.signed = true;
        assert_eq!(growth.format(Style::Prose, &en), s("+47.5%"));
        let transit = q(
            Amount::Range(
                Num {
                    value: 18.0,
                    decimals: 0,
                },
                Num {
                    value: 23.0,
                    decimals: 0,
                },
            ),
            Some(&days),
            None,
        );
        assert_eq!(transit.format(Style::Prose, &en), s("18–23 days"));
        assert_eq!(transit.format(Style::Bare, &en), "18–23");
        assert_eq!(
            q(point(2.5, 1), Some(&x), None).format(Style::Prose, &en),
            "2.5×"
        );
        let freight = q(point(2.0, 0), Some(&t), Some(Scale::Million));
        assert_eq!(freight.format(Style::Prose, &en), s("2 million tonnes"));
        assert_eq!(freight.format(Style::Short, &en), s("2 Mt"));
        assert_eq!(
            q(point(230.0, 0), Some(&mw), None).format(Style::Short, &en),
            s("230 MW")
        );
        assert_eq!(
            q(point(1.0, 0), Some(&days), None).format(Style::Prose, &en),
            s("1 day")
        );
        let mut share = q(point(50.0, 0), Some(&pct), None);
        share.qualifier = Some(Qualifier::Over);
        assert_eq!(share.format(Style::Prose, &en), s("over 50%"));
        assert_eq!(share.format(Style::Short, &en), s("> 50%"));
        let mut implied = q(point(1.74, 2), Some(&usd), Some(Scale::Billion));
        implied.implied = true;
        assert_eq!(
            implied.format(Style::Prose, &en),
            s("≈ $1.74 billion") + " (implied)"
        );
        let rank = q(
            Amount::Rank {
                rank: 4,
                label: "largest trading partner".into(),
            },
            None,
            None,
        );
        assert_eq!(
            rank.format(Style::Prose, &en),
            "4th-largest trading partner"
        );
        let first = q(
            Amount::Rank {
                rank: 1,
                label: "largest source of imports".into(),
            },
            None,
            None,
        );
        assert_eq!(first.format(Style::Prose, &en), "largest source of imports");
    }

    #[test]
    fn dates_are_formatted_without_the_locale() {
        assert_eq!(date("2024-01-24", LONG_DATE).unwrap(), "24 January 2024");
        assert_eq!(date("1979-05-27T07:32:00Z", "%Y").unwrap(), "1979");
        assert!(date("soon", "%Y").is_err());
        // An invalid format is an error, not a panic.
        assert!(date("2024-01-24", "%Q").is_err());
    }

    #[test]
    fn ordinals() {
        let en = Locale::en();
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .iter()
            .map(|n| en.ordinal(*n))
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn computed_numbers_get_three_significant_figures() {
        assert_eq!(decimals_for(1.7424), 2);
        assert_eq!(decimals_for(71.428), 1);
        assert_eq!(decimals_for(0.0123), 4);
        assert_eq!(
            trimmed(Num {
                value: 0.6,
                decimals: 3
            })
            .decimals,
            1
        );
        assert_eq!(
            trimmed(Num {
                value: 2.0,
                decimals: 2
            })
            .decimals,
            0
        );
    }

    #[test]
    fn every_kind_of_figure_in_english_azerbaijani_and_chinese() {
        let (en, az, zh) = (
            Locale::en(),
            Locale::for_language("az"),
            Locale::for_language("zh"),
        );
        let usd = unit("USD");
        let pct = unit("%");
        let x = unit("×");
        let trade = q(point(2.57, 2), Some(&usd), Some(Scale::Billion));
        let mut growth = q(point(47.5, 1), Some(&pct), None);
        growth.signed = true;
        let range = q(
            Amount::Range(
                Num {
                    value: 1.2,
                    decimals: 1,
                },
                Num {
                    value: 1.5,
                    decimals: 1,
                },
            ),
            None,
            Some(Scale::Billion),
        );
        let mut over = q(point(50.0, 0), Some(&pct), None);
        over.qualifier = Some(Qualifier::Over);
        let multiple = q(point(2.5, 1), Some(&x), None);
        let rank = q(
            Amount::Rank {
                rank: 4,
                label: "L".into(),
            },
            None,
            None,
        );
        let big = q(point(1234567.5, 1), None, None);
        let cases = [
            (
                &trade,
                Style::Prose,
                ["$2.57 billion", "$2,57 milyard", "$25.7亿"],
            ),
            (&trade, Style::Short, ["$2.57B", "$2,57 mlrd", "$25.7亿"]),
            (&growth, Style::Prose, ["+47.5%", "+47,5%", "+47.5%"]),
            (
                &range,
                Style::Prose,
                ["1.2–1.5 billion", "1,2–1,5 milyard", "12–15亿"],
            ),
            (&over, Style::Prose, ["over 50%", "50%-dən çox", "超过50%"]),
            (&over, Style::Short, ["> 50%", "> 50%", "> 50%"]),
            (&multiple, Style::Prose, ["2.5×", "2,5×", "2.5×"]),
            (&rank, Style::Prose, ["4th-L", "4-cü L", "第4L"]),
            (
                &big,
                Style::Prose,
                ["1,234,567.5", "1.234.567,5", "1,234,567.5"],
            ),
        ];
        for (quantity, style, expected) in cases {
            for (locale, want) in [&en, &az, &zh].into_iter().zip(expected) {
                assert_eq!(
                    quantity.format(style, locale).replace(NBSP, " "),
                    want,
                    "{}",
                    locale.tag
                );
            }
        }
        // Checked against ICU4X itself: the digits and scale words are CLDR's.
        assert_eq!(
            az.compact("2.57", 9, true).replace(NBSP, " "),
            "2,57 milyard"
        );
        assert_eq!(
            unit_header(Some(&usd), Some(Scale::Billion), &zh),
            "$\u{a0}10亿"
        );
    }

    #[test]
    fn unit_headers() {
        let en = Locale::en();
        assert_eq!(
            unit_header(Some(&unit("USD")), Some(Scale::Billion), &en),
            s("$ B")
        );
        let code = styled("USD", CurrencyStyle::Code);
        assert_eq!(
            unit_header(Some(&code), Some(Scale::Billion), &en),
            s("USD B")
        );
        assert_eq!(
            unit_header(Some(&unit("t")), Some(Scale::Million), &en),
            "Mt"
        );
        assert_eq!(unit_header(Some(&unit("days")), None, &en), "days");
    }

    proptest! {
        /// Formatting then parsing gives back the number rounded to the
        /// decimals it was written with.
        #[test]
        fn format_then_parse_round_trips(v in -1e12f64..1e12, d in 0usize..6, signed: bool) {
            let en = Locale::en();
            let text = number(v, d, signed, &en);
            let back = parse_number(&text, &en).expect("a formatted number parses");
            let rounded: f64 = format!("{:.*}", d, v).parse().unwrap();
            prop_assert!((back - rounded).abs() <= rounded.abs() * 1e-15, "{v} → {text} → {back}");
        }

        /// The written decimals are exactly those asked for, whatever the
        /// binary representation of the value.
        #[test]
        fn decimals_are_exact(v in 0f64..1e6, d in 0usize..6) {
            let text = number(v, d, false, &Locale::en());
            let frac = text.split('.').nth(1).map_or(0, str::len);
            prop_assert_eq!(frac, d);
        }

        /// Separators group exactly three digits.
        #[test]
        fn groups_of_three(v in 1000u64..1_000_000_000_000u64) {
            let text = number(v as f64, 0, false, &Locale::en());
            let groups: Vec<&str> = text.split(',').collect();
            prop_assert!(groups[0].len() <= 3 && !groups[0].is_empty());
            for g in &groups[1..] {
                prop_assert_eq!(g.len(), 3);
            }
        }
    }
}
