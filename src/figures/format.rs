//! The one number formatter: every figure, in prose, tables and charts, is
//! written by this module, so a number looks the same wherever it appears.
//!
//! Nothing here reads the machine's locale. Everything that depends on the
//! language (separators, scale words, ordinals, qualifiers) is in a
//! [`Locale`] value, so adding `az` or `zh` is adding a constructor, not a
//! rewrite.

use super::units::{Dimension, Scale, Unit};

/// Non-breaking space: between a number and its unit, scale or sign word.
pub const NBSP: char = '\u{a0}';
/// The en dash of ranges.
pub const EN_DASH: char = '–';
/// The typographic minus sign.
pub const MINUS: char = '−';

/// Language-dependent parts of number formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct Locale {
    /// BCP 47 tag.
    pub tag: &'static str,
    /// Decimal separator.
    pub decimal: char,
    /// Thousands separator.
    pub group: char,
    /// Numbers from this absolute value up get thousands separators.
    pub group_from: f64,
    /// Scale words in prose, by [`Scale`] order.
    pub scale_words: [&'static str; 4],
    /// Scale abbreviations in tables.
    pub scale_short: [&'static str; 4],
    /// Prefix for implied (derived) values.
    pub implied: &'static str,
    /// Suffix for implied values in prose.
    pub implied_word: &'static str,
}

impl Locale {
    /// English.
    pub fn en() -> Locale {
        Locale {
            tag: "en",
            decimal: '.',
            group: ',',
            group_from: 1000.0,
            scale_words: ["thousand", "million", "billion", "trillion"],
            scale_short: ["k", "m", "bn", "tn"],
            implied: "≈",
            implied_word: "implied",
        }
    }

    /// The locale for a language tag; English for languages not yet translated.
    pub fn for_language(tag: &str) -> Locale {
        let _ = tag; // Only English so far; other languages add a constructor.
        Locale::en()
    }

    fn scale_word(&self, s: Scale) -> &'static str {
        self.scale_words[s as usize]
    }

    fn scale_abbr(&self, s: Scale) -> &'static str {
        self.scale_short[s as usize]
    }

    /// "1st", "2nd", "4th" …
    pub fn ordinal(&self, n: u32) -> String {
        let suffix = match (n % 10, n % 100) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        format!("{n}{suffix}")
    }

    /// The word for a qualifier in prose.
    pub fn qualifier_word(&self, q: Qualifier) -> &'static str {
        match q {
            Qualifier::Over => "over",
            Qualifier::Under => "under",
            Qualifier::About => "about",
            Qualifier::AtLeast => "at least",
            Qualifier::UpTo => "up to",
        }
    }

    /// The symbol for a qualifier in tables.
    pub fn qualifier_symbol(&self, q: Qualifier) -> &'static str {
        match q {
            Qualifier::Over => ">",
            Qualifier::Under => "<",
            Qualifier::About => "~",
            Qualifier::AtLeast => "≥",
            Qualifier::UpTo => "≤",
        }
    }
}

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

/// Writes `value` with `decimals` decimals, thousands separators and a
/// typographic minus; `signed` adds `+` to positive numbers.
pub fn number(value: f64, decimals: usize, signed: bool, locale: &Locale) -> String {
    let decimals = decimals.min(12);
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let rounded_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::with_capacity(text.len() + 4);
    if value < 0.0 && !rounded_zero {
        out.push(MINUS);
    } else if signed && !rounded_zero {
        out.push('+');
    }
    if value.abs() >= locale.group_from && int.len() > 3 {
        let first = int.len() % 3;
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (i + 3 - first) % 3 == 0 {
                out.push(locale.group);
            }
            out.push(c);
        }
    } else {
        out.push_str(int);
    }
    if let Some(f) = frac {
        out.push(locale.decimal);
        out.push_str(f);
    }
    out
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
                format!("{}-{label}", locale.ordinal(*rank))
            };
        }
        let nums = match &self.amount {
            Amount::Point(n) => number(n.value, n.decimals, self.signed, locale),
            Amount::Range(lo, hi) => format!(
                "{}{EN_DASH}{}",
                number(lo.value, lo.decimals, self.signed, locale),
                number(hi.value, hi.decimals, self.signed, locale)
            ),
            Amount::Rank { .. } => unreachable!("handled above"),
        };
        let mut out = String::new();
        // A qualifier ("up to") already says the number is not exact.
        if self.implied && style != Style::Bare && self.qualifier.is_none() {
            out.push_str(locale.implied);
            out.push(NBSP);
        }
        if let Some(q) = self.qualifier {
            match style {
                Style::Prose => {
                    out.push_str(locale.qualifier_word(q));
                    out.push(NBSP);
                }
                Style::Short | Style::Bare => {
                    out.push_str(locale.qualifier_symbol(q));
                    out.push(NBSP);
                }
            }
        }
        match style {
            Style::Bare => {
                out.push_str(&nums);
                if let Some(s) = self.scale {
                    out.push(NBSP);
                    out.push_str(locale.scale_abbr(s));
                }
            }
            Style::Prose => self.prose(&mut out, &nums, locale),
            Style::Short => self.short(&mut out, &nums, locale),
        }
        out
    }

    fn is_one(&self) -> bool {
        matches!(self.amount, Amount::Point(n) if n.value == 1.0) && self.scale.is_none()
    }

    fn prose(&self, out: &mut String, nums: &str, locale: &Locale) {
        let unit_word = self.unit.map(|u| {
            if self.is_one() {
                &u.singular
            } else {
                &u.plural
            }
        });
        match self.unit {
            Some(u) if u.prose_before => {
                out.push_str(&u.singular);
                if !u.tight {
                    out.push(NBSP);
                }
                out.push_str(nums);
                if let Some(s) = self.scale {
                    out.push(NBSP);
                    out.push_str(locale.scale_word(s));
                }
            }
            Some(u) if u.tight => {
                out.push_str(nums);
                if let Some(s) = self.scale {
                    out.push(NBSP);
                    out.push_str(locale.scale_word(s));
                }
                out.push_str(&u.singular);
            }
            _ => {
                out.push_str(nums);
                if let Some(s) = self.scale {
                    out.push(NBSP);
                    out.push_str(locale.scale_word(s));
                }
                if let Some(w) = unit_word {
                    out.push(NBSP);
                    out.push_str(w);
                }
            }
        }
        if self.implied {
            out.push(' ');
            out.push('(');
            out.push_str(locale.implied_word);
            out.push(')');
        }
    }

    fn short(&self, out: &mut String, nums: &str, locale: &Locale) {
        match self.unit {
            Some(u) if u.short_before => {
                out.push_str(&u.short);
                if !u.tight {
                    out.push(NBSP);
                }
                out.push_str(nums);
                if let Some(s) = self.scale {
                    out.push(NBSP);
                    out.push_str(locale.scale_abbr(s));
                }
            }
            Some(u) => {
                out.push_str(nums);
                match self.scale {
                    Some(s) if u.si => {
                        out.push(NBSP);
                        out.push_str(s.si_prefix());
                        out.push_str(&u.short);
                    }
                    Some(s) => {
                        out.push(NBSP);
                        out.push_str(locale.scale_abbr(s));
                        push_unit(out, u, false);
                    }
                    None => push_unit(out, u, self.is_one()),
                }
            }
            None => {
                out.push_str(nums);
                if let Some(s) = self.scale {
                    out.push(NBSP);
                    out.push_str(locale.scale_abbr(s));
                }
            }
        }
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

/// How a unit is named in a column header: "USD bn", "Mt", "days".
pub fn unit_header(unit: Option<&Unit>, scale: Option<Scale>, locale: &Locale) -> String {
    match (unit, scale) {
        (Some(u), Some(s)) if u.si => format!("{}{}", s.si_prefix(), u.short),
        (Some(u), Some(s)) if u.dimension == Dimension::Currency => {
            format!("{}{NBSP}{}", u.short, locale.scale_abbr(s))
        }
        (Some(u), Some(s)) => format!("{}{NBSP}{}", locale.scale_abbr(s), u.short),
        (Some(u), None) => u.short.clone(),
        (None, Some(s)) => locale.scale_word(s).to_string(),
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
        assert_eq!(trade.format(Style::Short, &en), s("$2.57 bn"));
        let code = styled("USD", CurrencyStyle::Code);
        let coded = q(point(2.57, 2), Some(&code), Some(Scale::Billion));
        assert_eq!(coded.format(Style::Prose, &en), s("USD 2.57 billion"));
        assert_eq!(coded.format(Style::Short, &en), s("USD 2.57 bn"));
        let azn = styled("AZN", CurrencyStyle::Symbol);
        let manat = q(point(120.0, 0), Some(&azn), Some(Scale::Million));
        assert_eq!(manat.format(Style::Prose, &en), s("₼120 million"));
        assert_eq!(manat.format(Style::Short, &en), s("₼120 m"));
        let mut growth = q(point(47.5, 1), Some(&pct), None);
        growth.signed = true;
        assert_eq!(growth.format(Style::Prose, &en), s("+47.5 %"));
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
        assert_eq!(share.format(Style::Prose, &en), s("over 50 %"));
        assert_eq!(share.format(Style::Short, &en), s("> 50 %"));
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
    fn unit_headers() {
        let en = Locale::en();
        assert_eq!(
            unit_header(Some(&unit("USD")), Some(Scale::Billion), &en),
            s("$ bn")
        );
        let code = styled("USD", CurrencyStyle::Code);
        assert_eq!(
            unit_header(Some(&code), Some(Scale::Billion), &en),
            s("USD bn")
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
