//! Units a figure can be measured in: how each is written in prose and in
//! tables, and which can be compared or combined.
//!
//! The list is data, not code paths: a briefing extends it in
//! `content/data.toml` under `[units.ID]`.

use std::collections::BTreeMap;

/// What a unit measures, which decides how relations may combine it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Money in one currency.
    Currency,
    /// A physical or counted quantity (tonnes, days, watts …).
    Quantity,
    /// A percentage.
    Percent,
    /// Percentage points.
    Points,
    /// A multiple ("2.5×").
    Multiple,
}

/// One unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its id in the data file (`USD`, `t`, `days`).
    pub id: String,
    /// What it measures.
    pub dimension: Dimension,
    /// Prose, singular and plural ("tonne", "tonnes"); for currencies, the code.
    pub singular: String,
    /// Prose, plural.
    pub plural: String,
    /// Tables: the short form ("t", "days", "$").
    pub short: String,
    /// The short form goes before the number (`$2.57 bn`).
    pub short_before: bool,
    /// The prose form goes before the number (`USD 2.57 billion`).
    pub prose_before: bool,
    /// The short form takes SI prefixes for scales (`Mt`, `GWh`).
    pub si: bool,
    /// No space between number and short form (`2.5×`).
    pub tight: bool,
    /// Units it converts to: a family name and the factor to the family's
    /// base (`MW` is `("W", 1e6)`), so that a chart can put MW and GW on one axis.
    pub family: Option<(&'static str, f64)>,
}

impl Unit {
    fn new(id: &str, dimension: Dimension, singular: &str, plural: &str, short: &str) -> Unit {
        Unit {
            id: id.into(),
            dimension,
            singular: singular.into(),
            plural: plural.into(),
            short: short.into(),
            short_before: false,
            prose_before: false,
            si: false,
            tight: false,
            family: None,
        }
    }

    fn in_family(mut self, family: &'static str, factor: f64) -> Unit {
        self.family = Some((family, factor));
        self
    }

    /// The factor from `self` to `other`, when both are of one family.
    pub fn factor_to(&self, other: &Unit) -> Option<f64> {
        if self.id == other.id {
            return Some(1.0);
        }
        match (self.family, other.family) {
            (Some((a, fa)), Some((b, fb))) if a == b => Some(fa / fb),
            _ => None,
        }
    }

    fn currency(code: &str, symbol: &str) -> Unit {
        Unit {
            short_before: true,
            prose_before: true,
            tight: true,
            ..Unit::new(code, Dimension::Currency, code, code, symbol)
        }
    }

    fn si(mut self) -> Unit {
        self.si = true;
        self
    }
}

/// The units briefing knows without being told.
pub fn builtin() -> Vec<Unit> {
    use Dimension::*;
    vec![
        Unit::currency("USD", "$"),
        Unit::currency("EUR", "€"),
        Unit::currency("CNY", "CN¥"),
        Unit::currency("AZN", "₼"),
        Unit::currency("GBP", "£"),
        Unit::new("t", Quantity, "tonne", "tonnes", "t").si(),
        Unit::new("TEU", Quantity, "TEU", "TEU", "TEU"),
        Unit::new("km", Quantity, "kilometre", "kilometres", "km"),
        Unit::new("days", Quantity, "day", "days", "days"),
        Unit::new("hours", Quantity, "hour", "hours", "h"),
        Unit::new("years", Quantity, "year", "years", "years"),
        Unit::new("W", Quantity, "watt", "watts", "W")
            .si()
            .in_family("W", 1.0),
        Unit::new("kW", Quantity, "kW", "kW", "kW").in_family("W", 1e3),
        Unit::new("MW", Quantity, "MW", "MW", "MW").in_family("W", 1e6),
        Unit::new("GW", Quantity, "GW", "GW", "GW").in_family("W", 1e9),
        Unit::new("Wh", Quantity, "watt-hour", "watt-hours", "Wh")
            .si()
            .in_family("Wh", 1.0),
        Unit::new("MWh", Quantity, "MWh", "MWh", "MWh").in_family("Wh", 1e6),
        Unit::new("GWh", Quantity, "GWh", "GWh", "GWh").in_family("Wh", 1e9),
        Unit::new("TWh", Quantity, "TWh", "TWh", "TWh").in_family("Wh", 1e12),
        Unit::new(
            "bcm",
            Quantity,
            "billion cubic metres",
            "billion cubic metres",
            "bcm",
        ),
        Unit::new("people", Quantity, "person", "people", "people"),
        Unit::new("projects", Quantity, "project", "projects", "projects"),
        Unit::new("%", Percent, "%", "%", "%"),
        Unit::new("pp", Points, "percentage point", "percentage points", "pp"),
        Unit {
            tight: true,
            ..Unit::new("×", Multiple, "×", "×", "×")
        },
    ]
}

/// A unit declared in the data file, `[units.ID]`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnit {
    /// What it measures: currency, quantity, percent, points or multiple.
    pub dimension: Dimension,
    /// Prose, singular.
    pub singular: String,
    /// Prose, plural (defaults to the singular).
    pub plural: Option<String>,
    /// Tables (defaults to the id).
    pub short: Option<String>,
    /// Short form before the number, as currency symbols are.
    #[serde(default)]
    pub before: bool,
}

/// How every currency is written, in prose, tables and charts alike: the
/// house style of a briefing (`[settings] currency`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CurrencyStyle {
    /// The symbol before the number: "$2.57 billion", "$2.57 bn".
    #[default]
    Symbol,
    /// The ISO code before the number: "USD 2.57 billion", "USD 2.57 bn".
    Code,
}

impl Unit {
    /// The unit written in `style`, if it is a currency.
    pub fn in_currency_style(mut self, style: CurrencyStyle) -> Unit {
        if self.dimension != Dimension::Currency {
            return self;
        }
        match style {
            CurrencyStyle::Symbol => {
                self.singular = self.short.clone();
                self.plural = self.short.clone();
                self.prose_before = self.short_before;
            }
            CurrencyStyle::Code => {
                self.short = self.singular.clone();
                self.short_before = self.prose_before;
                self.tight = false;
            }
        }
        self
    }
}

/// All the units of a briefing: the built-in ones and its own.
#[derive(Debug, Clone)]
pub struct Units {
    by_id: BTreeMap<String, Unit>,
}

impl Units {
    /// The built-in units plus `extra` (which may replace built-in ones),
    /// currencies written in `style`.
    pub fn new<'a>(
        extra: impl IntoIterator<Item = (&'a str, &'a RawUnit)>,
        style: CurrencyStyle,
    ) -> Units {
        let mut by_id: BTreeMap<String, Unit> =
            builtin().into_iter().map(|u| (u.id.clone(), u)).collect();
        for (id, raw) in extra {
            let short = raw.short.clone().unwrap_or_else(|| id.to_string());
            let unit = Unit {
                id: id.to_string(),
                dimension: raw.dimension,
                plural: raw.plural.clone().unwrap_or_else(|| raw.singular.clone()),
                singular: raw.singular.clone(),
                short,
                short_before: raw.before,
                prose_before: raw.dimension == Dimension::Currency,
                si: false,
                tight: raw.before,
                family: None,
            };
            by_id.insert(id.to_string(), unit);
        }
        for unit in by_id.values_mut() {
            *unit = unit.clone().in_currency_style(style);
        }
        Units { by_id }
    }

    /// Writes unit `id` with a translation's words, where given; a
    /// currency keeps its symbol or code, the house style of every language.
    pub fn translate(
        &mut self,
        id: &str,
        singular: Option<&str>,
        plural: Option<&str>,
        short: Option<&str>,
    ) {
        let Some(u) = self.by_id.get_mut(id) else {
            return;
        };
        if let Some(s) = singular {
            u.singular = s.to_string();
            u.plural = plural.unwrap_or(s).to_string();
        }
        if let Some(s) = short {
            u.short = s.to_string();
        }
    }

    /// The unit with this id.
    pub fn get(&self, id: &str) -> Option<&Unit> {
        self.by_id.get(id)
    }

    /// All unit ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }
}

/// A power-of-ten scale written as a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// ×10³.
    Thousand,
    /// ×10⁶.
    Million,
    /// ×10⁹.
    Billion,
    /// ×10¹².
    Trillion,
}

impl Scale {
    /// Parses `thousand`, `million`, `billion` or `trillion`.
    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "thousand" => Some(Scale::Thousand),
            "million" => Some(Scale::Million),
            "billion" => Some(Scale::Billion),
            "trillion" => Some(Scale::Trillion),
            _ => None,
        }
    }

    /// The factor it stands for.
    pub fn factor(self) -> f64 {
        match self {
            Scale::Thousand => 1e3,
            Scale::Million => 1e6,
            Scale::Billion => 1e9,
            Scale::Trillion => 1e12,
        }
    }

    /// The power of ten it stands for.
    pub fn exponent(self) -> u8 {
        match self {
            Scale::Thousand => 3,
            Scale::Million => 6,
            Scale::Billion => 9,
            Scale::Trillion => 12,
        }
    }

    /// Its name in the data file.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Thousand => "thousand",
            Scale::Million => "million",
            Scale::Billion => "billion",
            Scale::Trillion => "trillion",
        }
    }

    /// The SI prefix for units that take one (`k`, `M`, `G`, `T`).
    pub fn si_prefix(self) -> &'static str {
        match self {
            Scale::Thousand => "k",
            Scale::Million => "M",
            Scale::Billion => "G",
            Scale::Trillion => "T",
        }
    }

    /// The names a scale may be written with.
    pub const NAMES: &'static [&'static str] = &["thousand", "million", "billion", "trillion"];
}
