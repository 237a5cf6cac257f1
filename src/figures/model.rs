//! The resolved figure model: sources, figures with their values and
//! relations, events, tables and the [`Book`] that holds them, read-only
//! once built. Everything the pages, tables and charts show comes from here.

use std::collections::HashMap;

use super::format::{Amount, Locale, Num, Qualifier, Quantity, Style};
use super::interval::Interval;
use super::units::{Scale, Units};
use super::*;
use crate::diagnostic::{Diagnostic, Location};

/// Where a figure's number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Stated by the source.
    Stated,
    /// A target set by someone.
    Target,
    /// A plan.
    Planned,
    /// Computed from other figures.
    Derived,
}

impl Status {
    pub(crate) fn parse(s: &str) -> Option<Status> {
        match s {
            "stated" => Some(Status::Stated),
            "target" => Some(Status::Target),
            "planned" => Some(Status::Planned),
            "derived" => Some(Status::Derived),
            _ => None,
        }
    }

    /// Its name in the data file.
    pub fn name(self) -> &'static str {
        match self {
            Status::Stated => "stated",
            Status::Target => "target",
            Status::Planned => "planned",
            Status::Derived => "derived",
        }
    }
}

/// How a figure relates to others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// `(to / from − 1) × 100 %`.
    Growth,
    /// `to / from`, as a multiple.
    Multiple,
    /// `part / total × 100 %`.
    Share,
    /// `a + b + …`.
    Sum,
    /// `a − b`.
    Difference,
    /// `end / (1 + growth / 100)`.
    StartFromGrowth,
    /// `end / multiple`.
    StartFromMultiple,
}

impl RelationKind {
    /// Its key in the data file.
    pub fn key(self) -> &'static str {
        match self {
            RelationKind::Growth => "growth",
            RelationKind::Multiple => "multiple",
            RelationKind::Share => "share",
            RelationKind::Sum => "sum",
            RelationKind::Difference => "difference",
            RelationKind::StartFromGrowth => "start_from_growth",
            RelationKind::StartFromMultiple => "start_from_multiple",
        }
    }

    /// What it computes, for messages and descriptions.
    /// The relation in the reader's language, from the briefing's words
    /// (`relation_growth` …), with its inputs formatted.
    pub fn describe_in(self, words: &crate::words::Words, inputs: &[&str]) -> String {
        let i = |k: usize| inputs.get(k).copied().unwrap_or("?");
        let (key, a, b) = match self {
            RelationKind::Growth => ("relation_growth", i(0), i(1)),
            RelationKind::Multiple => ("relation_multiple", i(0), i(1)),
            RelationKind::Share => ("relation_share", i(0), i(1)),
            RelationKind::Sum => ("relation_sum", "", ""),
            RelationKind::Difference => ("relation_difference", i(0), i(1)),
            RelationKind::StartFromGrowth => ("relation_start_from_growth", i(0), i(1)),
            RelationKind::StartFromMultiple => ("relation_start_from_multiple", i(0), i(1)),
        };
        if self == RelationKind::Sum {
            return words.fill(key, &[&inputs.join(words.get("values_separator"))]);
        }
        words.fill(key, &[a, b])
    }

    /// The relation in English, for diagnostics.
    pub fn describe(self, inputs: &[&str]) -> String {
        let i = |k: usize| inputs.get(k).copied().unwrap_or("?");
        match self {
            RelationKind::Growth => format!("growth from {} to {}", i(0), i(1)),
            RelationKind::Multiple => format!("{} as a multiple of {}", i(1), i(0)),
            RelationKind::Share => format!("{} as a share of {}", i(0), i(1)),
            RelationKind::Sum => format!("sum of {}", inputs.join(", ")),
            RelationKind::Difference => format!("{} minus {}", i(0), i(1)),
            RelationKind::StartFromGrowth => format!("{} before growth of {}", i(0), i(1)),
            RelationKind::StartFromMultiple => format!("{} divided by the multiple {}", i(0), i(1)),
        }
    }
}

/// A figure's relation to other figures.
#[derive(Debug, Clone)]
pub struct Relation {
    /// Which relation.
    pub kind: RelationKind,
    /// Indexes of its inputs in [`Book::figures`].
    pub inputs: Vec<usize>,
    /// Where it is declared.
    pub at: Location,
}

/// A number with what it could stand for: the value as written (or
/// computed) and every value it is consistent with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// As written, or computed from values as written.
    pub nominal: f64,
    /// Everything the written number could mean.
    pub bounds: Interval,
}

/// What a figure holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// One number.
    Point {
        /// Display form.
        num: Num,
        /// For checks.
        est: Estimate,
    },
    /// A range.
    Range {
        /// Low end, display form.
        low: Num,
        /// High end, display form.
        high: Num,
        /// Low end, for checks.
        low_est: Estimate,
        /// High end, for checks.
        high_est: Estimate,
    },
    /// A rank.
    Rank {
        /// 1 for the first.
        rank: u32,
        /// What is ranked.
        ranked: String,
    },
    /// Not computed (its inputs had errors).
    Unknown,
}

impl Value {
    /// The low and high estimates of a numeric value (equal for a point).
    pub fn ends(&self) -> Option<(Estimate, Estimate)> {
        match self {
            Value::Point { est, .. } => Some((*est, *est)),
            Value::Range {
                low_est, high_est, ..
            } => Some((*low_est, *high_est)),
            _ => None,
        }
    }
}

/// A source.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its id.
    pub id: String,
    /// 1-based number, in file order, for markers.
    pub number: usize,
    /// Title.
    pub title: String,
    /// Author(s).
    pub author: String,
    /// Publisher.
    pub publisher: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// URL.
    pub url: Option<String>,
    /// When the URL was read.
    pub accessed: Option<String>,
    /// Where it is declared.
    pub at: Location,
}

/// A figure.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Its id.
    pub id: String,
    /// What it is.
    pub label: String,
    /// Its value.
    pub value: Value,
    /// Unit id.
    pub unit: Option<String>,
    /// Scale.
    pub scale: Option<Scale>,
    /// Qualifier.
    pub qualifier: Option<Qualifier>,
    /// Period, as written.
    pub period: String,
    /// Period, as dates.
    pub period_span: Option<period::Span>,
    /// Index into [`Book::sources`].
    pub source: Option<usize>,
    /// Where the number comes from.
    pub status: Status,
    /// A note.
    pub note: Option<String>,
    /// Shown with a sign.
    pub signed: bool,
    /// Its relation to other figures.
    pub relation: Option<Relation>,
    /// Where it is declared.
    pub at: Location,
}

impl Figure {
    /// True when the value is computed rather than stated.
    pub fn implied(&self) -> bool {
        self.status == Status::Derived
    }
}

/// An event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Its id.
    pub id: String,
    /// What happened.
    pub label: String,
    /// When, as written.
    pub period: String,
    /// When, as dates (for order).
    pub period_span: Option<period::Span>,
    /// Index into [`Book::sources`].
    pub source: usize,
    /// A note.
    pub note: Option<String>,
    /// Where it is declared.
    pub at: Location,
}

/// A cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Literal text.
    Text(String),
    /// A figure.
    Figure(usize),
}

/// A column of a grid table.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header.
    pub label: String,
    /// Unit of its figures.
    pub unit: Option<String>,
    /// Scale of its figures.
    pub scale: Option<Scale>,
}

/// A table.
#[derive(Debug, Clone)]
pub struct Table {
    /// Its id.
    pub id: String,
    /// Caption.
    pub caption: String,
    /// Columns (for a list table: Indicator, Value, Period, Status).
    pub columns: Vec<Column>,
    /// Rows of cells; the first cell is the row header.
    pub rows: Vec<Vec<Cell>>,
    /// True for a list table (one figure per row).
    pub list: bool,
    /// A note.
    pub note: Option<String>,
    /// Where it is declared.
    pub at: Location,
}

impl Table {
    /// The figures in the table, in order, each once.
    pub fn figures(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for row in &self.rows {
            for c in row {
                if let Cell::Figure(f) = c
                    && !out.contains(f)
                {
                    out.push(*f);
                }
            }
        }
        out
    }
}

/// The outcome of checking a stated figure against its relation.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// The figure.
    pub figure: usize,
    /// What its inputs give (low and high ends).
    pub computed: (Estimate, Estimate),
    /// Whether the stated value is possible.
    pub consistent: bool,
}

/// The resolved figure model.
#[derive(Debug, Clone)]
pub struct Book {
    /// Number formatting for the briefing's language.
    pub locale: Locale,
    /// The theme's words in the briefing's language.
    pub words: crate::words::Words,
    /// Units.
    pub units: Units,
    /// Sources, in file order.
    pub sources: Vec<Source>,
    /// Figures, in file order.
    pub figures: Vec<Figure>,
    /// Events, by date.
    pub events: Vec<Event>,
    /// Tables, in file order.
    pub tables: Vec<Table>,
    /// Charts, in file order.
    pub charts: Vec<chart::Chart>,
    /// The home page's key figures.
    pub key_figures: Vec<usize>,
    /// Months after which a period is stale.
    pub stale_after_months: u32,
    /// Checks of stated figures against their relations.
    pub checks: Vec<CheckResult>,
    /// What could not be built because of an error already reported: so that
    /// what depends on it is not reported again as a mistake of its own.
    pub failed: Failed,
    pub(crate) figure_ids: HashMap<String, usize>,
    pub(crate) source_ids: HashMap<String, usize>,
    pub(crate) table_ids: HashMap<String, usize>,
    pub(crate) event_ids: HashMap<String, usize>,
    pub(crate) chart_ids: HashMap<String, usize>,
}

/// What an error in the data file left unbuilt.
#[derive(Debug, Clone, Default)]
pub struct Failed {
    /// Whether the data file had any error.
    pub any: bool,
    /// Figures with an error of their own (a value, unit or relation that
    /// could not be read), or computed from one.
    pub figures: std::collections::HashSet<usize>,
    /// Charts whose spec had an error.
    pub charts: std::collections::HashSet<String>,
}

impl Default for Book {
    fn default() -> Self {
        Book {
            locale: Locale::en(),
            words: crate::words::Words::new("en", None),
            units: Units::new([], Default::default()),
            sources: Vec::new(),
            figures: Vec::new(),
            events: Vec::new(),
            tables: Vec::new(),
            charts: Vec::new(),
            key_figures: Vec::new(),
            stale_after_months: 24,
            checks: Vec::new(),
            failed: Failed::default(),
            figure_ids: HashMap::new(),
            source_ids: HashMap::new(),
            table_ids: HashMap::new(),
            event_ids: HashMap::new(),
            chart_ids: HashMap::new(),
        }
    }
}

/// The kinds of thing an id can name, for messages.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A figure.
    Figure,
    /// A source.
    Source,
    /// A table.
    Table,
    /// An event.
    Event,
    /// A chart.
    Chart,
}

impl Kind {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Figure => "figure",
            Kind::Source => "source",
            Kind::Table => "table",
            Kind::Event => "event",
            Kind::Chart => "chart",
        }
    }
}

impl Book {
    /// The index of an id.
    pub fn find(&self, kind: Kind, id: &str) -> Option<usize> {
        self.ids(kind).get(id).copied()
    }

    pub(crate) fn ids(&self, kind: Kind) -> &HashMap<String, usize> {
        match kind {
            Kind::Figure => &self.figure_ids,
            Kind::Source => &self.source_ids,
            Kind::Table => &self.table_ids,
            Kind::Event => &self.event_ids,
            Kind::Chart => &self.chart_ids,
        }
    }

    /// A diagnostic for an unknown id at `at`, suggesting the closest one.
    pub fn unknown(&self, kind: Kind, id: &str, at: Location) -> Diagnostic {
        let noun = kind.noun();
        let mut known: Vec<&str> = self.ids(kind).keys().map(String::as_str).collect();
        known.sort_unstable();
        let d = Diagnostic::error("unknown-id", format!("unknown {noun} `{id}`"))
            .at(at)
            .expected(format!("the id of a {noun} in `content/data.toml`"));
        match crate::diagnostic::suggestion(id, known.iter().copied()) {
            Some(hint) => d.hint(hint),
            None if known.is_empty() => d.hint(format!(
                "no {noun} is defined; add `[{noun}s.{id}]` to `content/data.toml`"
            )),
            None => d.hint(format!("known {noun}s: {}", known.join(", "))),
        }
    }

    /// A figure's value as a formattable quantity.
    pub fn quantity(&self, f: &Figure) -> Quantity<'_> {
        let amount = match &f.value {
            Value::Point { num, .. } => Amount::Point(*num),
            Value::Range { low, high, .. } => Amount::Range(*low, *high),
            Value::Rank { rank, ranked } => Amount::Rank {
                rank: *rank,
                label: ranked.clone(),
            },
            Value::Unknown => Amount::Point(Num {
                value: f64::NAN,
                decimals: 0,
            }),
        };
        Quantity {
            amount,
            unit: f.unit.as_deref().and_then(|u| self.units.get(u)),
            scale: f.scale,
            qualifier: f.qualifier,
            signed: f.signed,
            implied: f.implied(),
        }
    }

    /// A figure written in a style.
    pub fn format(&self, f: &Figure, style: Style) -> String {
        self.quantity(f).format(style, &self.locale)
    }

    /// A value of figure `f`'s unit and scale, written as prose.
    pub fn format_like(&self, f: &Figure, value: f64, decimals: usize, style: Style) -> String {
        let mut q = self.quantity(f);
        q.amount = Amount::Point(Num { value, decimals });
        q.implied = false;
        q.qualifier = None;
        q.format(style, &self.locale)
    }
}

/// Decimals of a number as written in the data file: `2.57` → 2, `2` → 0,
/// `1.5e3` → 0.
pub fn written_decimals(literal: &str) -> usize {
    let mut parts = literal.split(['e', 'E']);
    let mantissa = parts.next().unwrap_or(literal);
    let exponent: i64 = parts
        .next()
        .and_then(|e| e.replace('_', "").parse().ok())
        .unwrap_or(0);
    let fraction = mantissa.split_once('.').map_or(0, |(_, frac)| {
        frac.chars().filter(char::is_ascii_digit).count()
    }) as i64;
    // `3e-6` has six decimals; `1.2e12` none.
    (fraction - exponent).clamp(0, 12) as usize
}

/// Significant figures of a number as written: `2.57` 3, `1400` 2, `0.05` 1.
pub fn significant_digits(n: Num) -> usize {
    let text = format!("{:.*}", n.decimals, n.value.abs());
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if n.decimals == 0 {
        trimmed.trim_end_matches('0')
    } else {
        trimmed
    };
    trimmed.len().max(1)
}

/// A large number without a scale, written in the largest scale it reaches
/// (`1200000000000` USD is USD 1.2 trillion), keeping the digits it was
/// written with. Numbers under a million are left as they are.
pub fn with_scale(value: Value) -> (Value, Option<Scale>) {
    let largest = match &value {
        Value::Point { num, .. } => num.value.abs(),
        Value::Range { low, high, .. } => low.value.abs().max(high.value.abs()),
        _ => 0.0,
    };
    let Some(scale) = [Scale::Trillion, Scale::Billion, Scale::Million]
        .into_iter()
        .find(|s| largest >= s.factor())
    else {
        return (value, None);
    };
    let k = scale.factor();
    let num = |n: Num| {
        let v = n.value / k;
        let magnitude = if v == 0.0 {
            0
        } else {
            v.abs().log10().floor() as i64
        };
        let decimals = (significant_digits(n) as i64 - 1 - magnitude).clamp(0, 12) as usize;
        Num { value: v, decimals }
    };
    let scaled = match value {
        Value::Point { num: n, est } => Value::Point {
            num: num(n),
            est: est.scale(1.0 / k),
        },
        Value::Range {
            low,
            high,
            low_est,
            high_est,
        } => Value::Range {
            low: num(low),
            high: num(high),
            low_est: low_est.scale(1.0 / k),
            high_est: high_est.scale(1.0 / k),
        },
        other => other,
    };
    (scaled, Some(scale))
}

/// The values a qualified statement allows: "over 50" is 50 and up.
pub(crate) fn qualified(bounds: Interval, q: Option<Qualifier>) -> Interval {
    match q {
        None => bounds,
        Some(Qualifier::Over | Qualifier::AtLeast) => Interval::new(bounds.lo, f64::INFINITY),
        Some(Qualifier::Under | Qualifier::UpTo) => Interval::new(f64::NEG_INFINITY, bounds.hi),
        Some(Qualifier::About) => {
            let m = bounds.mid().abs() * 0.1;
            Interval::new(bounds.lo - m, bounds.hi + m)
        }
    }
}

impl Estimate {
    pub(crate) fn exact(v: f64) -> Estimate {
        Estimate {
            nominal: v,
            bounds: Interval::exact(v),
        }
    }

    pub(crate) fn scale(self, k: f64) -> Estimate {
        Estimate {
            nominal: self.nominal * k,
            bounds: self.bounds.scale(k),
        }
    }

    pub(crate) fn add(self, o: Estimate) -> Estimate {
        Estimate {
            nominal: self.nominal + o.nominal,
            bounds: self.bounds.plus(o.bounds),
        }
    }

    pub(crate) fn sub(self, o: Estimate) -> Estimate {
        Estimate {
            nominal: self.nominal - o.nominal,
            bounds: self.bounds.minus(o.bounds),
        }
    }

    pub(crate) fn div(self, o: Estimate) -> Option<Estimate> {
        if o.nominal == 0.0 {
            return None;
        }
        Some(Estimate {
            nominal: self.nominal / o.nominal,
            // Bounds that straddle zero make the quotient unbounded.
            bounds: self
                .bounds
                .divided_by(o.bounds)
                .unwrap_or(Interval::new(f64::NEG_INFINITY, f64::INFINITY)),
        })
    }
}
