//! The figure model: typed sources, figures, events and tables from
//! `content/data.toml`, with derived figures computed and every relation
//! between figures checked.
//!
//! This is what sets briefing apart: a number is data with a unit, a period
//! and a source, written by one formatter, and checked against the other
//! numbers it is related to. [`RawData`] is the file as serde reads it;
//! [`Book`] is the resolved, read-only model the rest of the build uses.

pub mod chart;
pub mod expand;
pub mod format;
pub mod functions;
pub mod html;
pub mod interval;
pub mod period;
pub mod units;

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Location, closest};
use crate::load::SourceFile;
use format::{Amount, Locale, Num, Qualifier, Quantity, Style};
use interval::Interval;
use units::{Dimension, RawUnit, Scale, Units};

/// Map of ids to entries, in file order, with the id's place in the file.
pub type Entries<T> = IndexMap<Spanned<String>, Spanned<T>>;

/// `content/data.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawData {
    /// Settings of the checks.
    #[serde(default)]
    pub settings: RawSettings,
    /// Units beyond the built-in ones.
    #[serde(default)]
    pub units: IndexMap<String, RawUnit>,
    /// Where the numbers come from.
    #[serde(default)]
    pub sources: Entries<RawSource>,
    /// The numbers.
    #[serde(default)]
    pub figures: Entries<RawFigure>,
    /// Dated milestones.
    #[serde(default)]
    pub events: Entries<RawEvent>,
    /// Tables of figures.
    #[serde(default)]
    pub tables: Entries<RawTable>,
    /// Figures for the home page's key figures block, in order.
    #[serde(default)]
    pub key_figures: Vec<Spanned<String>>,
    /// Charts of figures.
    #[serde(default)]
    pub charts: Entries<chart::RawChart>,
    /// Free-form data for templates (`data.extra`).
    #[serde(default)]
    pub extra: toml::Table,
}

/// `[settings]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    /// A figure whose period ended more than this many months before the
    /// briefing's date is stale (default 24).
    pub stale_after_months: Option<u32>,
}

/// `[sources.ID]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Title of the work.
    pub title: String,
    /// Author(s).
    pub author: String,
    /// Publisher.
    pub publisher: String,
    /// Publication date.
    pub date: Spanned<toml::Value>,
    /// Where to read it.
    pub url: Option<Spanned<String>>,
    /// When the URL was read.
    pub accessed: Option<Spanned<toml::Value>>,
}

/// `[figures.ID]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    /// What the number is.
    pub label: String,
    /// The number.
    pub value: Option<Spanned<toml::Value>>,
    /// The low end of a range.
    pub low: Option<Spanned<toml::Value>>,
    /// The high end of a range.
    pub high: Option<Spanned<toml::Value>>,
    /// A position in a ranking (1 = first).
    pub rank: Option<Spanned<i64>>,
    /// What the rank is of: "largest trading partner".
    pub ranked: Option<String>,
    /// "over", "about", "up to" …
    pub qualifier: Option<Spanned<String>>,
    /// Unit id.
    pub unit: Option<Spanned<String>>,
    /// thousand, million, billion or trillion.
    pub scale: Option<Spanned<String>>,
    /// ± around the value, instead of the rounding of the written number.
    pub precision: Option<Spanned<toml::Value>>,
    /// Decimals to show a derived value with.
    pub decimals: Option<usize>,
    /// The period the number is for.
    pub period: Spanned<String>,
    /// Source id (required unless the figure is derived).
    pub source: Option<Spanned<String>>,
    /// stated, target, planned or derived.
    pub status: Option<Spanned<String>>,
    /// A note shown with the figure.
    pub note: Option<String>,
    /// Show a sign: the number is a change.
    #[serde(default)]
    pub change: bool,
    /// `[from, to]`: percentage change.
    pub growth: Option<Spanned<Vec<Spanned<String>>>>,
    /// `[from, to]`: how many times `to` is `from`.
    pub multiple: Option<Spanned<Vec<Spanned<String>>>>,
    /// `[part, total]`: percentage share.
    pub share: Option<Spanned<Vec<Spanned<String>>>>,
    /// `[a, b, …]`: total.
    pub sum: Option<Spanned<Vec<Spanned<String>>>>,
    /// `[a, b]`: a − b.
    pub difference: Option<Spanned<Vec<Spanned<String>>>>,
    /// `[end, growth]`: the start value implied by an end value and a growth.
    pub start_from_growth: Option<Spanned<Vec<Spanned<String>>>>,
    /// `[end, multiple]`: the start value implied by an end value and a multiple.
    pub start_from_multiple: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[events.ID]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    /// What happened.
    pub label: String,
    /// When, as a period (`2023`, `March 2024`, `before 2024` …).
    pub period: Spanned<String>,
    /// Source id.
    pub source: Spanned<String>,
    /// A note.
    pub note: Option<String>,
}

/// `[tables.ID]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    /// The caption.
    pub caption: String,
    /// A list table: one row per figure.
    pub figures: Option<Vec<Spanned<String>>>,
    /// A grid table: its columns.
    pub columns: Option<Vec<RawColumn>>,
    /// A grid table: its rows; cells are text or `{ fig = "id" }`.
    pub rows: Option<Vec<Spanned<Vec<Spanned<toml::Value>>>>>,
    /// A note under the table.
    pub note: Option<String>,
}

/// A column of a grid table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumn {
    /// Header.
    pub label: String,
    /// The unit of its figures, shown in the header.
    pub unit: Option<Spanned<String>>,
    /// Their scale, shown in the header.
    pub scale: Option<Spanned<String>>,
}

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
    fn parse(s: &str) -> Option<Status> {
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
    figure_ids: HashMap<String, usize>,
    source_ids: HashMap<String, usize>,
    table_ids: HashMap<String, usize>,
    event_ids: HashMap<String, usize>,
    chart_ids: HashMap<String, usize>,
}

impl Default for Book {
    fn default() -> Self {
        Book {
            locale: Locale::en(),
            units: Units::new([]),
            sources: Vec::new(),
            figures: Vec::new(),
            events: Vec::new(),
            tables: Vec::new(),
            charts: Vec::new(),
            key_figures: Vec::new(),
            stale_after_months: 24,
            checks: Vec::new(),
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
    fn noun(self) -> &'static str {
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

    fn ids(&self, kind: Kind) -> &HashMap<String, usize> {
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
        let d = Diagnostic::error(format!("unknown {noun} `{id}`"))
            .at(at)
            .expected(format!("the id of a {noun} in `content/data.toml`"));
        match closest(id, known.iter().copied()) {
            Some(c) => d.hint(format!("did you mean `{c}`?")),
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

/// Builds the model from the raw file. Returns what could be built and
/// every problem found; the caller stops on errors.
pub fn build(file: Option<&SourceFile>, raw: RawData, language: &str) -> (Book, Vec<Diagnostic>) {
    let mut b = Builder {
        file,
        diagnostics: Vec::new(),
    };
    let book = b.book(raw, language);
    (book, b.diagnostics)
}

/// A relation as declared, before its inputs are resolved.
struct Pending {
    kind: RelationKind,
    inputs: Spanned<Vec<Spanned<String>>>,
    decimals: Option<usize>,
}

struct Builder<'f> {
    file: Option<&'f SourceFile>,
    diagnostics: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn at<T>(&self, s: &Spanned<T>) -> Location {
        self.at_span(s.span())
    }

    fn at_span(&self, span: std::ops::Range<usize>) -> Location {
        match self.file {
            Some(f) => Location::in_source(f.path.clone(), &f.text, span),
            None => Location::at("content/data.toml", 1, 1),
        }
    }

    fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn book(&mut self, raw: RawData, language: &str) -> Book {
        let mut book = Book {
            locale: Locale::for_language(language),
            units: Units::new(raw.units.iter().map(|(k, v)| (k.as_str(), v))),
            stale_after_months: raw.settings.stale_after_months.unwrap_or(24),
            ..Book::default()
        };
        self.check_extra(&raw.extra);
        for (i, (id, s)) in raw.sources.iter().enumerate() {
            book.source_ids.insert(id.get_ref().clone(), i);
            let src = self.source(id, s, i + 1);
            book.sources.push(src);
        }
        for (i, id) in raw.figures.keys().enumerate() {
            book.figure_ids.insert(id.get_ref().clone(), i);
        }
        for (i, id) in raw.tables.keys().enumerate() {
            book.table_ids.insert(id.get_ref().clone(), i);
        }
        let mut figures = Vec::with_capacity(raw.figures.len());
        let mut relations = Vec::with_capacity(raw.figures.len());
        for (id, f) in &raw.figures {
            let (figure, relation) = self.figure(&book, id, f);
            figures.push(figure);
            relations.push(relation);
        }
        book.figures = figures;
        self.relations(&mut book, relations);
        let mut events: Vec<Event> = raw
            .events
            .iter()
            .filter_map(|(id, e)| self.event(&book, id, e))
            .collect();
        events.sort_by(|a, b| {
            let key = |e: &Event| e.period_span.map(|s| (s.end, s.start));
            key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
        });
        for (i, e) in events.iter().enumerate() {
            book.event_ids.insert(e.id.clone(), i);
        }
        book.events = events;
        book.tables = raw
            .tables
            .iter()
            .map(|(id, t)| self.table(&book, id, t))
            .collect();
        book.key_figures = raw
            .key_figures
            .iter()
            .filter_map(|k| self.reference(&book, Kind::Figure, k))
            .collect();
        let charts: Vec<chart::Chart> = raw
            .charts
            .iter()
            .filter_map(|(id, c)| self.chart(&book, id, c))
            .collect();
        for (i, c) in charts.iter().enumerate() {
            book.chart_ids.insert(c.id.clone(), i);
        }
        book.charts = charts;
        book
    }

    fn chart(
        &mut self,
        book: &Book,
        id: &Spanned<String>,
        c: &Spanned<chart::RawChart>,
    ) -> Option<chart::Chart> {
        use chart::Kind as K;
        let raw = c.get_ref();
        let Some(kind) = K::parse(raw.kind.get_ref()) else {
            let d = Diagnostic::error(format!("unknown chart kind `{}`", raw.kind.get_ref()))
                .at(self.at(&raw.kind))
                .expected(format!("one of {}", K::NAMES))
                .hint("see the README's section on charts");
            self.error(d);
            return None;
        };
        let misfit = |this: &mut Self, at: Location, message: String, expected: &str| {
            let d = Diagnostic::error(message)
                .at(at)
                .expected(expected.to_string())
                .hint("see the README's section on charts for what each kind takes");
            this.error(d);
        };
        let resolve = |this: &mut Self, ids: &[Spanned<String>]| -> Option<Vec<usize>> {
            let found: Vec<Option<usize>> = ids
                .iter()
                .map(|i| this.reference(book, Kind::Figure, i))
                .collect();
            found.into_iter().collect()
        };
        let mut categories: Vec<String> = Vec::new();
        let mut series: Vec<(String, Vec<usize>)> = Vec::new();
        let kind_at = self.at(&raw.kind);
        match kind {
            K::Bar | K::HBar | K::Line => {
                let Some(figs) = &raw.figures else {
                    misfit(
                        self,
                        kind_at,
                        format!(
                            "{} chart `{}` has no `figures`",
                            raw.kind.get_ref(),
                            id.get_ref()
                        ),
                        "`figures = [\"id\", …]`",
                    );
                    return None;
                };
                let list = resolve(self, figs.get_ref())?;
                if kind == K::Line && list.len() < 2 {
                    misfit(
                        self,
                        self.at(figs),
                        format!("line chart `{}` has {} point", id.get_ref(), list.len()),
                        "at least two figures: a line joins points",
                    );
                    return None;
                }
                if list.is_empty() {
                    misfit(
                        self,
                        self.at(figs),
                        format!("chart `{}` has no figures", id.get_ref()),
                        "at least one figure",
                    );
                    return None;
                }
                categories = match &raw.labels {
                    Some(l) if l.len() == list.len() => l.clone(),
                    Some(l) => {
                        misfit(
                            self,
                            self.at(figs),
                            format!(
                                "chart `{}` has {} labels for {} figures",
                                id.get_ref(),
                                l.len(),
                                list.len()
                            ),
                            "one label per figure",
                        );
                        return None;
                    }
                    None => list
                        .iter()
                        .map(|&f| book.figures[f].label.clone())
                        .collect(),
                };
                series.push((raw.title.clone(), list));
            }
            K::Grouped => {
                let Some(ss) = &raw.series else {
                    misfit(
                        self,
                        kind_at,
                        format!("grouped chart `{}` has no `series`", id.get_ref()),
                        "`series = [{ name = \"…\", figures = [\"id\", …] }, …]`",
                    );
                    return None;
                };
                let Some(labels) = &raw.labels else {
                    misfit(
                        self,
                        self.at(ss),
                        format!(
                            "grouped chart `{}` has no `labels` for its groups",
                            id.get_ref()
                        ),
                        "`labels = [\"…\", …]`, one per figure of each series",
                    );
                    return None;
                };
                for s in ss.get_ref() {
                    let list = resolve(self, &s.figures)?;
                    if list.len() != labels.len() {
                        misfit(
                            self,
                            self.at(ss),
                            format!(
                                "series `{}` of chart `{}` has {} figures for {} labels",
                                s.name,
                                id.get_ref(),
                                list.len(),
                                labels.len()
                            ),
                            "one figure per label in every series",
                        );
                        return None;
                    }
                    series.push((s.name.clone(), list));
                }
                categories = labels.clone();
            }
            K::Dumbbell => {
                let Some(pairs) = &raw.pairs else {
                    misfit(
                        self,
                        kind_at,
                        format!("dumbbell chart `{}` has no `pairs`", id.get_ref()),
                        "`pairs = [{ label = \"…\", from = \"id\", to = \"id\" }, …]`",
                    );
                    return None;
                };
                let (mut from, mut to) = (Vec::new(), Vec::new());
                for p in pairs.get_ref() {
                    let (Some(a), Some(b)) = (
                        self.reference(book, Kind::Figure, &p.from),
                        self.reference(book, Kind::Figure, &p.to),
                    ) else {
                        return None;
                    };
                    categories.push(p.label.clone());
                    from.push(a);
                    to.push(b);
                }
                let names = match &raw.labels {
                    Some(l) if l.len() == 2 => (l[0].clone(), l[1].clone()),
                    _ => ("Before".to_string(), "After".to_string()),
                };
                series.push((names.0, from));
                series.push((names.1, to));
            }
            K::Share => {
                let (Some(p), Some(t)) = (&raw.part, &raw.total) else {
                    misfit(
                        self,
                        kind_at,
                        format!("share chart `{}` needs `part` and `total`", id.get_ref()),
                        "`part = \"id\"` and `total = \"id\"`",
                    );
                    return None;
                };
                let (Some(pi), Some(ti)) = (
                    self.reference(book, Kind::Figure, p),
                    self.reference(book, Kind::Figure, t),
                ) else {
                    return None;
                };
                let names = match &raw.labels {
                    Some(l) if l.len() == 2 => (l[0].clone(), l[1].clone()),
                    _ => (
                        book.figures[pi].label.clone(),
                        book.figures[ti].label.clone(),
                    ),
                };
                series.push((names.0, vec![pi]));
                series.push((names.1, vec![ti]));
            }
        }
        let all: Vec<usize> = series.iter().flat_map(|(_, s)| s.iter().copied()).collect();
        if let Some(&bad) = all.iter().find(|&&f| !chart::numeric(&book.figures[f])) {
            misfit(
                self,
                kind_at,
                format!("figure `{}` has no number to draw", book.figures[bad].id),
                "figures with a value or a range (not a rank)",
            );
            return None;
        }
        let figures_at = raw
            .figures
            .as_ref()
            .map(|f| self.at(f))
            .unwrap_or_else(|| kind_at.clone());
        let unit = match chart::unit_of(book, &all) {
            Ok(u) => u,
            Err(why) => {
                misfit(
                    self,
                    figures_at,
                    format!("chart `{}` mixes units on one axis: {why}", id.get_ref()),
                    "figures in one unit, or in units of one family (kW, MW, GW)",
                );
                return None;
            }
        };
        if kind == K::Share {
            let (p, t) = (all[0], all[1]);
            let k = |f: usize| {
                chart::axis_factor(book, &book.figures[f], unit.as_deref()).unwrap_or(1.0)
            };
            let v = |f: usize| book.figures[f].value.ends().map_or(0.0, |e| e.1.nominal) * k(f);
            if v(p) > v(t) {
                misfit(
                    self,
                    kind_at,
                    format!(
                        "in chart `{}` the part `{}` is larger than the total `{}`",
                        id.get_ref(),
                        book.figures[p].id,
                        book.figures[t].id
                    ),
                    "a part no larger than its total",
                );
                return None;
            }
        }
        let table = raw
            .table
            .as_ref()
            .and_then(|t| self.reference(book, Kind::Table, t));
        Some(chart::Chart {
            id: id.get_ref().clone(),
            kind,
            title: raw.title.clone(),
            categories,
            series,
            unit,
            x_label: raw.x_label.clone(),
            y_label: raw.y_label.clone(),
            note: raw.note.clone(),
            table,
        })
    }

    fn reference(&mut self, book: &Book, kind: Kind, id: &Spanned<String>) -> Option<usize> {
        let found = book.find(kind, id.get_ref());
        if found.is_none() {
            let d = book.unknown(kind, id.get_ref(), self.at(id));
            self.error(d);
        }
        found
    }

    fn date(&mut self, v: &Spanned<toml::Value>, key: &str) -> String {
        match crate::parse::parse_date(v.get_ref()) {
            Ok(d) => d,
            Err(found) => {
                let d = Diagnostic::error(format!("`{key}` is not a date"))
                    .at(self.at(v))
                    .expected(format!("a date such as 2024-01-24; found {found}"))
                    .hint(format!("write `{key} = 2024-01-24`"));
                self.error(d);
                String::new()
            }
        }
    }

    /// A source's `url`, unless it would run code when followed.
    fn source_url(&mut self, url: &Spanned<String>) -> Option<String> {
        match crate::urls::dangerous_scheme(url.get_ref(), false) {
            None => Some(url.get_ref().clone()),
            Some(scheme) => {
                let d = Diagnostic::error(format!(
                    "a source's `url` is a `{scheme}` URL, which would run code in readers' browsers"
                ))
                .at(self.at(url))
                .expected("the `https://` address where the source can be read")
                .hint("leave `url` out if the source is not online");
                self.error(d);
                None
            }
        }
    }

    /// Free-form `[extra]` strings that are dangerous URLs.
    fn check_extra(&mut self, extra: &toml::Table) {
        let Some(file) = self.file else {
            return;
        };
        for (key, value, scheme) in crate::urls::dangerous_values(extra) {
            let region = file.text.find("[extra").unwrap_or(0)..file.text.len();
            let d = crate::urls::dangerous_value_diagnostic(
                &file.path, &file.text, region, &key, &value, scheme,
            );
            self.error(d);
        }
    }

    fn source(&mut self, id: &Spanned<String>, s: &Spanned<RawSource>, number: usize) -> Source {
        let raw = s.get_ref();
        Source {
            id: id.get_ref().clone(),
            number,
            title: raw.title.clone(),
            author: raw.author.clone(),
            publisher: raw.publisher.clone(),
            date: self.date(&raw.date, "date"),
            url: raw.url.as_ref().and_then(|u| self.source_url(u)),
            accessed: raw.accessed.as_ref().map(|a| self.date(a, "accessed")),
            at: self.at(id),
        }
    }

    /// A written number: its value, its decimals as written, and what it
    /// could stand for.
    fn number(
        &mut self,
        v: &Spanned<toml::Value>,
        key: &str,
        precision: Option<f64>,
    ) -> Option<(Num, Estimate)> {
        let value = match v.get_ref() {
            toml::Value::Integer(i) => *i as f64,
            toml::Value::Float(x) if x.is_finite() => *x,
            other => {
                let d = Diagnostic::error(format!("`{key}` is not a number"))
                    .at(self.at(v))
                    .expected(format!("a number such as 2.57; found a {}", other.type_str()))
                    .hint("write the number without quotes, units or separators; the unit goes in `unit`, the scale in `scale`");
                self.error(d);
                return None;
            }
        };
        let literal = self
            .file
            .map(|f| f.text[v.span()].trim().to_string())
            .unwrap_or_default();
        let decimals = written_decimals(&literal);
        let bounds = match precision {
            Some(p) => Interval::plus_minus(value, p),
            None => Interval::rounded(value, decimals),
        };
        Some((
            Num { value, decimals },
            Estimate {
                nominal: value,
                bounds,
            },
        ))
    }

    fn figure(
        &mut self,
        book: &Book,
        id: &Spanned<String>,
        f: &Spanned<RawFigure>,
    ) -> (Figure, Option<Pending>) {
        let raw = f.get_ref();
        let at = self.at(id);
        let unit = raw.unit.as_ref().and_then(|u| {
            if book.units.get(u.get_ref()).is_some() {
                Some(u.get_ref().clone())
            } else {
                let known: Vec<&str> = book.units.ids().collect();
                let d = Diagnostic::error(format!("unknown unit `{}`", u.get_ref()))
                    .at(self.at(u))
                    .expected(format!("one of {}", known.join(", ")));
                let d = match closest(u.get_ref(), known.iter().copied()) {
                    Some(c) => d.hint(format!(
                        "did you mean `{c}`? Other units can be declared under `[units.ID]`"
                    )),
                    None => d.hint(
                        "declare it under `[units.ID]` in `content/data.toml` (see the README)",
                    ),
                };
                self.error(d);
                None
            }
        });
        let scale = raw.scale.as_ref().and_then(|s| {
            let parsed = Scale::parse(s.get_ref());
            if parsed.is_none() {
                let d = Diagnostic::error(format!("unknown scale `{}`", s.get_ref()))
                    .at(self.at(s))
                    .expected(format!("one of {}", Scale::NAMES.join(", ")))
                    .hint("write the number in the scale's units: `value = 2.57` with `scale = \"billion\"`");
                self.error(d);
            }
            parsed
        });
        let qualifier = raw.qualifier.as_ref().and_then(|q| {
            let parsed = Qualifier::parse(q.get_ref());
            if parsed.is_none() {
                let d = Diagnostic::error(format!("unknown qualifier `{}`", q.get_ref()))
                    .at(self.at(q))
                    .expected(format!("one of {}", Qualifier::NAMES.join(", ")));
                self.error(d);
            }
            parsed
        });
        let precision = raw
            .precision
            .as_ref()
            .and_then(|p| self.number(p, "precision", None))
            .map(|(n, _)| n.value);

        // Relations: at most one.
        let declared: Vec<(RelationKind, &Spanned<Vec<Spanned<String>>>)> = [
            (RelationKind::Growth, &raw.growth),
            (RelationKind::Multiple, &raw.multiple),
            (RelationKind::Share, &raw.share),
            (RelationKind::Sum, &raw.sum),
            (RelationKind::Difference, &raw.difference),
            (RelationKind::StartFromGrowth, &raw.start_from_growth),
            (RelationKind::StartFromMultiple, &raw.start_from_multiple),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect();
        if declared.len() > 1 {
            let d = Diagnostic::error(format!("figure `{}` declares {} relations", id.get_ref(), declared.len()))
                .at(self.at(declared[1].1))
                .expected("at most one of growth, multiple, share, sum, difference, start_from_growth, start_from_multiple")
                .hint("declare the other relation on a figure of its own");
            self.error(d);
        }
        let relation = declared.first().map(|(k, v)| (*k, (*v).clone()));

        let mut value = match (&raw.value, &raw.low, &raw.high, &raw.rank) {
            (Some(v), None, None, None) => match self.number(v, "value", precision) {
                Some((num, mut est)) => {
                    est.bounds = qualified(est.bounds, qualifier);
                    Value::Point { num, est }
                }
                None => Value::Unknown,
            },
            (None, Some(lo), Some(hi), None) => {
                match (
                    self.number(lo, "low", precision),
                    self.number(hi, "high", precision),
                ) {
                    (Some((low, low_est)), Some((high, high_est))) => {
                        if low.value > high.value {
                            let d = Diagnostic::error(format!(
                                "range `{}` goes down: low {} is above high {}",
                                id.get_ref(),
                                low.value,
                                high.value
                            ))
                            .at(self.at(lo))
                            .expected("`low` at most `high`")
                            .hint("swap `low` and `high`");
                            self.error(d);
                        }
                        Value::Range {
                            low,
                            high,
                            low_est,
                            high_est,
                        }
                    }
                    _ => Value::Unknown,
                }
            }
            (None, None, None, Some(r)) => {
                if *r.get_ref() < 1 || *r.get_ref() > 10_000 {
                    let d = Diagnostic::error(format!("rank {} is not a position", r.get_ref()))
                        .at(self.at(r))
                        .expected("a whole number from 1 (the first)");
                    self.error(d);
                }
                match &raw.ranked {
                    Some(ranked) => Value::Rank {
                        rank: (*r.get_ref()).clamp(1, 10_000) as u32,
                        ranked: ranked.clone(),
                    },
                    None => {
                        let d = Diagnostic::error(format!("rank of figure `{}` says what is ranked nowhere", id.get_ref()))
                            .at(self.at(r))
                            .expected("`ranked = \"…\"` next to `rank`")
                            .hint("e.g. `rank = 4` with `ranked = \"largest trading partner\"` reads \"4th-largest trading partner\"");
                        self.error(d);
                        Value::Unknown
                    }
                }
            }
            (None, None, None, None) if relation.is_some() => Value::Unknown,
            (None, None, None, None) => {
                let d = Diagnostic::error(format!("figure `{}` has no value", id.get_ref()))
                    .at(at.clone())
                    .expected("`value`, `low` and `high`, `rank`, or a relation such as `growth = [\"a\", \"b\"]`")
                    .hint("a figure states a number, a range or a rank, or is derived from other figures");
                self.error(d);
                Value::Unknown
            }
            _ => {
                let d =
                    Diagnostic::error(format!("figure `{}` mixes kinds of value", id.get_ref()))
                        .at(at.clone())
                        .expected("exactly one of: `value`; `low` with `high`; `rank`")
                        .hint("a range needs both `low` and `high` and no `value`");
                self.error(d);
                Value::Unknown
            }
        };
        if !matches!(value, Value::Rank { .. } | Value::Unknown) && raw.ranked.is_some() {
            let d = Diagnostic::error("`ranked` without `rank`")
                .at(at.clone())
                .expected("`rank = N` with `ranked`");
            self.error(d);
        }
        let stated = raw.value.is_some() || raw.low.is_some() || raw.rank.is_some();
        let status = match &raw.status {
            Some(s) => match Status::parse(s.get_ref()) {
                Some(Status::Derived) if stated => {
                    let d = Diagnostic::error(format!("figure `{}` is marked derived but states a value", id.get_ref()))
                        .at(self.at(s))
                        .expected("`derived` only for figures computed from a relation, without `value`")
                        .hint("remove `status`, or remove the value and declare the relation it is computed by");
                    self.error(d);
                    Status::Stated
                }
                Some(Status::Derived) if relation.is_none() => {
                    let d = Diagnostic::error(format!(
                        "derived figure `{}` has no relation",
                        id.get_ref()
                    ))
                    .at(self.at(s))
                    .expected("a relation such as `growth = [\"from\", \"to\"]`");
                    self.error(d);
                    Status::Derived
                }
                Some(st) => st,
                None => {
                    let d = Diagnostic::error(format!("unknown status `{}`", s.get_ref()))
                        .at(self.at(s))
                        .expected("one of stated, target, planned, derived");
                    self.error(d);
                    Status::Stated
                }
            },
            None if !stated && relation.is_some() => Status::Derived,
            None => Status::Stated,
        };
        if !stated && relation.is_none() {
            value = Value::Unknown;
        }
        let source = match &raw.source {
            Some(s) => self.reference(book, Kind::Source, s),
            None if status == Status::Derived => None,
            None => {
                let d = Diagnostic::error(format!("figure `{}` has no source", id.get_ref()))
                    .at(at.clone())
                    .expected("`source = \"…\"`, the id of a source in `[sources]`")
                    .hint("every stated number needs its source; only derived figures take theirs from their inputs");
                self.error(d);
                None
            }
        };
        let period_span = period::parse(raw.period.get_ref());
        if period_span.is_none() {
            let d = Diagnostic::warning(format!(
                "period `{}` cannot be read as dates",
                raw.period.get_ref()
            ))
            .at(self.at(&raw.period))
            .expected(format!("a period such as {}", period::FORMS))
            .hint("the period is shown as written, but the stale-figure check skips it");
            self.error(d);
        }
        let signed = raw.change
            || relation
                .as_ref()
                .is_some_and(|(k, _)| *k == RelationKind::Growth);
        let figure = Figure {
            id: id.get_ref().clone(),
            label: raw.label.clone(),
            value,
            unit,
            scale,
            qualifier,
            period: raw.period.get_ref().clone(),
            period_span,
            source,
            status,
            note: raw.note.clone(),
            signed,
            relation: None,
            at,
        };
        let pending = relation.map(|(kind, inputs)| Pending {
            kind,
            inputs,
            decimals: raw.decimals,
        });
        (figure, pending)
    }
}

/// Decimals of a number as written in the data file: `2.57` → 2, `2` → 0,
/// `1.5e3` → 0.
pub fn written_decimals(literal: &str) -> usize {
    let mantissa = literal.split(['e', 'E']).next().unwrap_or(literal);
    mantissa.split_once('.').map_or(0, |(_, frac)| {
        frac.chars().filter(char::is_ascii_digit).count()
    })
}

/// The values a qualified statement allows: "over 50" is 50 and up.
fn qualified(bounds: Interval, q: Option<Qualifier>) -> Interval {
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
    fn exact(v: f64) -> Estimate {
        Estimate {
            nominal: v,
            bounds: Interval::exact(v),
        }
    }

    fn scale(self, k: f64) -> Estimate {
        Estimate {
            nominal: self.nominal * k,
            bounds: self.bounds.scale(k),
        }
    }

    fn add(self, o: Estimate) -> Estimate {
        Estimate {
            nominal: self.nominal + o.nominal,
            bounds: self.bounds.plus(o.bounds),
        }
    }

    fn sub(self, o: Estimate) -> Estimate {
        Estimate {
            nominal: self.nominal - o.nominal,
            bounds: self.bounds.minus(o.bounds),
        }
    }

    fn div(self, o: Estimate) -> Option<Estimate> {
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

impl Builder<'_> {
    fn relations(&mut self, book: &mut Book, pending: Vec<Option<Pending>>) {
        // Resolve inputs.
        let mut decimals = vec![None; book.figures.len()];
        for (i, p) in pending.into_iter().enumerate() {
            let Some(p) = p else { continue };
            let at = self.at(&p.inputs);
            let ids = p.inputs.get_ref();
            let arity_ok = match p.kind {
                RelationKind::Sum => ids.len() >= 2,
                _ => ids.len() == 2,
            };
            if !arity_ok {
                let expected = match p.kind {
                    RelationKind::Sum => "at least two figure ids".to_string(),
                    k => format!("two figure ids: {}", k.describe(&["first", "second"])),
                };
                let d = Diagnostic::error(format!(
                    "`{}` of figure `{}` has {} inputs",
                    p.kind.key(),
                    book.figures[i].id,
                    ids.len()
                ))
                .at(at)
                .expected(expected)
                .hint("see the README's list of relations");
                self.error(d);
                continue;
            }
            let mut inputs = Vec::new();
            for id in ids {
                if id.get_ref() == &book.figures[i].id {
                    let d = Diagnostic::error(format!(
                        "figure `{}` is computed from itself",
                        id.get_ref()
                    ))
                    .at(self.at(id))
                    .expected("the ids of other figures");
                    self.error(d);
                    continue;
                }
                if let Some(j) = self.reference(book, Kind::Figure, id) {
                    inputs.push(j);
                }
            }
            if inputs.len() == ids.len() {
                decimals[i] = p.decimals;
                book.figures[i].relation = Some(Relation {
                    kind: p.kind,
                    inputs,
                    at,
                });
            }
        }
        // Compute in dependency order.
        let order = match self.topological(book) {
            Some(o) => o,
            None => return,
        };
        for i in order {
            let Some(rel) = book.figures[i].relation.clone() else {
                continue;
            };
            let Some((unit, scale, lo, hi)) = self.compute(book, i, &rel) else {
                continue;
            };
            let f = &mut book.figures[i];
            if f.status == Status::Derived {
                if f.unit.is_none() {
                    f.unit = unit;
                }
                if f.scale.is_none() {
                    f.scale = scale;
                }
                let num = |e: Estimate| {
                    format::trimmed(Num {
                        value: e.nominal,
                        decimals: decimals[i].unwrap_or_else(|| format::decimals_for(e.nominal)),
                    })
                };
                f.value = if lo == hi {
                    Value::Point {
                        num: num(lo),
                        est: lo,
                    }
                } else {
                    Value::Range {
                        low: num(lo),
                        high: num(hi),
                        low_est: lo,
                        high_est: hi,
                    }
                };
            } else if let Some((slo, shi)) = f.value.ends() {
                let consistent = slo.bounds.overlaps(lo.bounds) && shi.bounds.overlaps(hi.bounds);
                book.checks.push(CheckResult {
                    figure: i,
                    computed: (lo, hi),
                    consistent,
                });
            }
        }
    }

    /// Figure indexes, inputs before the figures computed from them; `None`
    /// (with an error) when relations form a cycle.
    fn topological(&mut self, book: &Book) -> Option<Vec<usize>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        fn visit(
            book: &Book,
            i: usize,
            marks: &mut [Mark],
            order: &mut Vec<usize>,
            path: &mut Vec<usize>,
        ) -> Result<(), Vec<usize>> {
            match marks[i] {
                Mark::Done => return Ok(()),
                Mark::Active => {
                    let start = path.iter().position(|&p| p == i).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(i);
                    return Err(cycle);
                }
                Mark::New => {}
            }
            marks[i] = Mark::Active;
            path.push(i);
            if let Some(r) = &book.figures[i].relation {
                for &j in &r.inputs {
                    visit(book, j, marks, order, path)?;
                }
            }
            path.pop();
            marks[i] = Mark::Done;
            order.push(i);
            Ok(())
        }
        let mut marks = vec![Mark::New; book.figures.len()];
        let mut order = Vec::with_capacity(book.figures.len());
        for i in 0..book.figures.len() {
            if let Err(cycle) = visit(book, i, &mut marks, &mut order, &mut Vec::new()) {
                let names: Vec<&str> = cycle.iter().map(|&c| book.figures[c].id.as_str()).collect();
                let first = cycle[0];
                let at = book.figures[first]
                    .relation
                    .as_ref()
                    .map_or_else(|| book.figures[first].at.clone(), |r| r.at.clone());
                let d = Diagnostic::error(format!(
                    "figures are computed from each other: {}",
                    names.join(" → ")
                ))
                .at(at)
                .expected("relations without a cycle")
                .hint("state one of these figures, or remove one of the relations");
                self.error(d);
                return None;
            }
        }
        Some(order)
    }

    /// Computes figure `i` from its inputs: unit, scale and the low and high
    /// ends, in the figure's unit and scale.
    #[allow(clippy::type_complexity)]
    fn compute(
        &mut self,
        book: &Book,
        i: usize,
        rel: &Relation,
    ) -> Option<(Option<String>, Option<Scale>, Estimate, Estimate)> {
        let inputs: Vec<&Figure> = rel.inputs.iter().map(|&j| &book.figures[j]).collect();
        let target = &book.figures[i];
        let mut ends = Vec::with_capacity(inputs.len());
        for f in &inputs {
            match f.value.ends() {
                Some(e) => ends.push(e),
                // A rank, or an input that could not be computed: reported there.
                None => {
                    if matches!(f.value, Value::Rank { .. }) {
                        let d = Diagnostic::error(format!(
                            "figure `{}` is a rank and cannot enter `{}`",
                            f.id,
                            rel.kind.key()
                        ))
                        .at(rel.at.clone())
                        .expected("figures with numbers");
                        self.error(d);
                    }
                    return None;
                }
            }
        }
        let factor = |f: &Figure| f.scale.map_or(1.0, Scale::factor);
        let dim = |f: &Figure| {
            f.unit
                .as_deref()
                .and_then(|u| book.units.get(u))
                .map(|u| u.dimension)
        };
        let mismatch = |this: &mut Self, what: String| {
            let d = Diagnostic::error(format!(
                "the inputs of `{}` cannot be combined: {what}",
                target.id
            ))
            .at(rel.at.clone())
            .expected(format!("inputs that fit `{}`", rel.kind.key()))
            .hint("see the README's list of relations and the units each takes");
            this.error(d);
        };
        let same_unit = |this: &mut Self| -> bool {
            let u0 = &inputs[0].unit;
            match inputs.iter().find(|f| &f.unit != u0) {
                Some(other) => {
                    mismatch(
                        this,
                        format!(
                            "`{}` is in {} but `{}` is in {}",
                            inputs[0].id,
                            u0.as_deref().unwrap_or("no unit"),
                            other.id,
                            other.unit.as_deref().unwrap_or("no unit")
                        ),
                    );
                    false
                }
                None => true,
            }
        };
        // In base units (scale applied), end by end.
        let base = |k: usize, end: usize| {
            let (lo, hi) = ends[k];
            let e = if end == 0 { lo } else { hi };
            e.scale(factor(inputs[k]))
        };
        let (unit, scale): (Option<String>, Option<Scale>);
        let mut out = [Estimate::exact(0.0); 2];
        match rel.kind {
            RelationKind::Growth | RelationKind::Multiple | RelationKind::Share => {
                if !same_unit(self) {
                    return None;
                }
                let (u, pct) = match rel.kind {
                    RelationKind::Multiple => ("×", 1.0),
                    _ => ("%", 100.0),
                };
                unit = Some(u.to_string());
                scale = None;
                for (end, slot) in out.iter_mut().enumerate() {
                    let (num, den) = match rel.kind {
                        RelationKind::Share => (base(0, end), base(1, end)),
                        _ => (base(1, end), base(0, end)),
                    };
                    let Some(q) = num.div(den) else {
                        mismatch(
                            self,
                            format!(
                                "`{}` is zero",
                                inputs[if rel.kind == RelationKind::Share {
                                    1
                                } else {
                                    0
                                }]
                                .id
                            ),
                        );
                        return None;
                    };
                    let q = if rel.kind == RelationKind::Growth {
                        Estimate {
                            nominal: q.nominal - 1.0,
                            bounds: q.bounds.shift(-1.0),
                        }
                    } else {
                        q
                    };
                    *slot = q.scale(pct);
                }
            }
            RelationKind::Sum | RelationKind::Difference => {
                if !same_unit(self) {
                    return None;
                }
                unit = inputs[0].unit.clone();
                scale = target.scale.or(inputs[0].scale);
                for (end, slot) in out.iter_mut().enumerate() {
                    let mut acc = base(0, end);
                    for k in 1..inputs.len() {
                        acc = if rel.kind == RelationKind::Sum {
                            acc.add(base(k, end))
                        } else {
                            acc.sub(base(k, end))
                        };
                    }
                    *slot = acc.scale(1.0 / scale.map_or(1.0, Scale::factor));
                }
            }
            RelationKind::StartFromGrowth | RelationKind::StartFromMultiple => {
                let (want, name) = if rel.kind == RelationKind::StartFromGrowth {
                    (Dimension::Percent, "a percentage")
                } else {
                    (Dimension::Multiple, "a multiple (unit `×`)")
                };
                if dim(inputs[1]) != Some(want) {
                    mismatch(self, format!("`{}` must be {name}", inputs[1].id));
                    return None;
                }
                unit = inputs[0].unit.clone();
                scale = target.scale.or(inputs[0].scale);
                for (end, slot) in out.iter_mut().enumerate() {
                    let by = ends[1];
                    let by = if end == 0 { by.0 } else { by.1 };
                    let divisor = if rel.kind == RelationKind::StartFromGrowth {
                        let g = by.scale(0.01);
                        Estimate {
                            nominal: 1.0 + g.nominal,
                            bounds: g.bounds.shift(1.0),
                        }
                    } else {
                        by
                    };
                    let Some(q) = base(0, end).div(divisor) else {
                        mismatch(self, format!("`{}` makes the divisor zero", inputs[1].id));
                        return None;
                    };
                    *slot = q.scale(1.0 / scale.map_or(1.0, Scale::factor));
                }
            }
        }
        if let (Some(declared), Some(computed)) = (&target.unit, &unit)
            && declared != computed
        {
            mismatch(
                self,
                format!(
                    "`{}` declares unit {declared} but {} gives {computed}",
                    target.id,
                    rel.kind.key()
                ),
            );
            return None;
        }
        if target.status != Status::Derived
            && target.scale != scale
            && unit.as_deref() != Some("%")
            && unit.as_deref() != Some("×")
        {
            // A stated figure keeps its own scale: compare in it.
            let k = scale.map_or(1.0, Scale::factor) / target.scale.map_or(1.0, Scale::factor);
            out = out.map(|e| e.scale(k));
        }
        Some((unit, scale, out[0], out[1]))
    }

    fn event(&mut self, book: &Book, id: &Spanned<String>, e: &Spanned<RawEvent>) -> Option<Event> {
        let raw = e.get_ref();
        let source = self.reference(book, Kind::Source, &raw.source)?;
        let period_span = period::parse(raw.period.get_ref());
        if period_span.is_none() {
            let d = Diagnostic::error(format!(
                "period `{}` of event `{}` cannot be read as dates",
                raw.period.get_ref(),
                id.get_ref()
            ))
            .at(self.at(&raw.period))
            .expected(format!("a period such as {}", period::FORMS))
            .hint("events are put in date order, so their period must be readable");
            self.error(d);
        }
        Some(Event {
            id: id.get_ref().clone(),
            label: raw.label.clone(),
            period: raw.period.get_ref().clone(),
            period_span,
            source,
            note: raw.note.clone(),
            at: self.at(id),
        })
    }

    fn table(&mut self, book: &Book, id: &Spanned<String>, t: &Spanned<RawTable>) -> Table {
        let raw = t.get_ref();
        let at = self.at(id);
        let mut table = Table {
            id: id.get_ref().clone(),
            caption: raw.caption.clone(),
            columns: Vec::new(),
            rows: Vec::new(),
            list: raw.figures.is_some(),
            note: raw.note.clone(),
            at: at.clone(),
        };
        match (&raw.figures, &raw.columns, &raw.rows) {
            (Some(figures), None, None) => {
                table.columns = ["Indicator", "Value", "Period", "Status"]
                    .iter()
                    .map(|l| Column {
                        label: l.to_string(),
                        unit: None,
                        scale: None,
                    })
                    .collect();
                table.rows = figures
                    .iter()
                    .filter_map(|f| self.reference(book, Kind::Figure, f))
                    .map(|f| vec![Cell::Figure(f)])
                    .collect();
            }
            (None, Some(columns), Some(rows)) => {
                for c in columns {
                    let unit = c.unit.as_ref().and_then(|u| {
                        if book.units.get(u.get_ref()).is_none() {
                            let d = Diagnostic::error(format!("unknown unit `{}`", u.get_ref()))
                                .at(self.at(u))
                                .expected("a unit id, as for figures");
                            self.error(d);
                            return None;
                        }
                        Some(u.get_ref().clone())
                    });
                    let scale = c.scale.as_ref().and_then(|s| Scale::parse(s.get_ref()));
                    table.columns.push(Column {
                        label: c.label.clone(),
                        unit,
                        scale,
                    });
                }
                for row in rows {
                    if row.get_ref().len() != table.columns.len() {
                        let d = Diagnostic::error(format!(
                            "row has {} cells but table `{}` has {} columns",
                            row.get_ref().len(),
                            table.id,
                            table.columns.len()
                        ))
                        .at(self.at(row))
                        .expected(format!("{} cells", table.columns.len()));
                        self.error(d);
                        continue;
                    }
                    let mut cells = Vec::new();
                    for (k, cell) in row.get_ref().iter().enumerate() {
                        match self.cell(book, &table, k, cell) {
                            Some(c) => cells.push(c),
                            None => cells.push(Cell::Text(String::new())),
                        }
                    }
                    table.rows.push(cells);
                }
            }
            _ => {
                let d = Diagnostic::error(format!(
                    "table `{}` has neither `figures` nor `columns` with `rows`",
                    table.id
                ))
                .at(at)
                .expected("`figures = [\"id\", …]` (one row per figure), or `columns` and `rows`")
                .hint("see the README's section on tables");
                self.error(d);
            }
        }
        table
    }

    fn cell(
        &mut self,
        book: &Book,
        table: &Table,
        k: usize,
        cell: &Spanned<toml::Value>,
    ) -> Option<Cell> {
        match cell.get_ref() {
            toml::Value::String(s) => Some(Cell::Text(s.clone())),
            toml::Value::Table(t)
                if t.len() == 1 && t.get("fig").is_some_and(toml::Value::is_str) =>
            {
                let id = t["fig"].as_str().unwrap_or_default().to_string();
                let Some(f) = book.find(Kind::Figure, &id) else {
                    let d = book.unknown(Kind::Figure, &id, self.at(cell));
                    self.error(d);
                    return None;
                };
                let fig = &book.figures[f];
                let col = &table.columns[k];
                if col.unit.is_some() && (col.unit != fig.unit || col.scale != fig.scale) {
                    let d = Diagnostic::error(format!(
                        "figure `{id}` is in {}{} but column `{}` is in {}{}",
                        fig.unit.as_deref().unwrap_or("no unit"),
                        fig.scale
                            .map(|s| format!(" ({s:?})").to_lowercase())
                            .unwrap_or_default(),
                        col.label,
                        col.unit.as_deref().unwrap_or("no unit"),
                        col.scale
                            .map(|s| format!(" ({s:?})").to_lowercase())
                            .unwrap_or_default(),
                    ))
                    .at(self.at(cell))
                    .expected("the column's unit and scale")
                    .hint("one column, one unit: put the figure in a column of its unit");
                    self.error(d);
                }
                Some(Cell::Figure(f))
            }
            other => {
                let d = Diagnostic::error("a table cell must be text or `{ fig = \"id\" }`")
                    .at(self.at(cell))
                    .expected(format!("a string or `{{ fig = \"id\" }}`; found a {}", other.type_str()))
                    .hint("numbers belong in `[figures]`; cells refer to them with `{ fig = \"id\" }`");
                self.error(d);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn book(text: &str) -> (Book, Vec<Diagnostic>) {
        let file = SourceFile {
            path: "content/data.toml".into(),
            text: Arc::from(text),
        };
        let raw: RawData = toml::from_str(text).unwrap();
        build(Some(&file), raw, "en")
    }

    const SOURCE: &str =
        "[sources.s]\ntitle = \"T\"\nauthor = \"A\"\npublisher = \"P\"\ndate = 2024-01-24\n";

    fn errors(ds: &[Diagnostic]) -> Vec<String> {
        ds.iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn written_decimals_come_from_the_literal() {
        assert_eq!(written_decimals("2.57"), 2);
        assert_eq!(written_decimals("2"), 0);
        assert_eq!(written_decimals("2.50"), 2);
        assert_eq!(written_decimals("1.5e3"), 1);
    }

    #[test]
    fn derived_figures_are_computed_and_marked_implied() {
        let (b, ds) = book(&format!(
            "{SOURCE}
[figures.t23]
label = \"x\"
value = 2.57
unit = \"USD\"
scale = \"billion\"
period = \"January–October 2023\"
source = \"s\"
[figures.g]
label = \"g\"
value = 47.5
unit = \"%\"
period = \"2023\"
source = \"s\"
change = true
[figures.t22]
label = \"implied\"
period = \"January–October 2022\"
start_from_growth = [\"t23\", \"g\"]
"
        ));
        assert!(errors(&ds).is_empty(), "{ds:?}");
        let f = &b.figures[2];
        assert_eq!(f.status, Status::Derived);
        assert_eq!(
            b.format(f, Style::Prose),
            "≈\u{a0}USD\u{a0}1.74\u{a0}billion (implied)"
        );
    }

    #[test]
    fn a_contradiction_is_found_and_rounding_is_allowed_for() {
        // 2 Mt against 1.1 Mt, as in the article (units do not matter here).
        let data = |stated: &str| growth_data("1.1", "2", stated);
        let (b, _) = book(&data("88"));
        assert!(
            b.checks[0].consistent,
            "+88 % is possible from 2 and 1.1 with rounding"
        );
        let (b, _) = book(&data("150"));
        assert!(!b.checks[0].consistent, "+150 % is not");
        let (lo, hi) = b.checks[0].computed;
        assert!((lo.nominal - 81.818).abs() < 0.01 && lo == hi);
    }

    #[test]
    fn wrong_inputs_are_located_errors() {
        let (_, ds) = book(&format!(
            "{SOURCE}
[figures.a]
label = \"a\"
value = \"2.57\"
unit = \"dollars\"
period = \"2023\"
source = \"nope\"
[figures.r]
label = \"r\"
low = 23
high = 18
unit = \"days\"
period = \"2023\"
source = \"s\"
[figures.x]
label = \"x\"
period = \"2023\"
growth = [\"a\", \"missing\"]
"
        ));
        let e = errors(&ds);
        assert!(
            e.iter().any(|m| m.contains("`value` is not a number")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains("unknown unit `dollars`")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains("unknown source `nope`")),
            "{e:?}"
        );
        assert!(e.iter().any(|m| m.contains("goes down")), "{e:?}");
        assert!(
            e.iter().any(|m| m.contains("unknown figure `missing`")),
            "{e:?}"
        );
        assert!(
            ds.iter()
                .all(|d| d.location.as_ref().is_some_and(|l| l.line > 1)),
            "{ds:?}"
        );
    }

    fn growth_data(a: &str, b: &str, stated: &str) -> String {
        format!(
            "{SOURCE}
[figures.a]
label = \"a\"
value = {a}
unit = \"t\"
period = \"2022\"
source = \"s\"
[figures.b]
label = \"b\"
value = {b}
unit = \"t\"
period = \"2023\"
source = \"s\"
[figures.g]
label = \"g\"
value = {stated}
unit = \"%\"
period = \"2023\"
source = \"s\"
growth = [\"a\", \"b\"]
"
        )
    }

    proptest::proptest! {
        /// A growth stated exactly as its inputs give it (rounded to any
        /// number of decimals) always passes the check.
        #[test]
        fn an_exactly_computed_value_always_passes(a in 1u32..100_000, b in 1u32..100_000, da in 0usize..3, db in 0usize..3, d in 0usize..4) {
            let a = f64::from(a) / 10f64.powi(da as i32);
            let b = f64::from(b) / 10f64.powi(db as i32);
            let (sa, sb) = (format!("{a:.da$}"), format!("{b:.db$}"));
            let exact = (sb.parse::<f64>().unwrap() / sa.parse::<f64>().unwrap() - 1.0) * 100.0;
            let stated = format!("{exact:.d$}");
            let (book, ds) = book(&growth_data(&sa, &sb, &stated));
            proptest::prop_assert!(errors(&ds).is_empty(), "{ds:?}");
            proptest::prop_assert!(book.checks[0].consistent, "{sa} → {sb} stated {stated}");
        }

        /// A value outside every value the inputs could give always fails.
        #[test]
        fn a_value_outside_the_interval_always_fails(a in 10u32..10_000, b in 10u32..10_000, beyond in 1u32..1000) {
            let (book0, _) = book(&growth_data(&a.to_string(), &b.to_string(), "0"));
            let (_, hi) = book0.checks[0].computed;
            let stated = (hi.bounds.hi + 0.5 + f64::from(beyond)).ceil();
            let (book, _) = book(&growth_data(&a.to_string(), &b.to_string(), &format!("{stated}")));
            proptest::prop_assert!(!book.checks[0].consistent, "{a} → {b} stated {stated} beyond {:?}", hi.bounds);
        }
    }

    #[test]
    fn cycles_and_unit_mismatches() {
        let (_, ds) = book(&format!(
            "{SOURCE}
[figures.a]
label = \"a\"
period = \"2023\"
sum = [\"b\", \"c\"]
[figures.b]
label = \"b\"
period = \"2023\"
sum = [\"a\", \"c\"]
[figures.c]
label = \"c\"
value = 1
unit = \"days\"
period = \"2023\"
source = \"s\"
[figures.d]
label = \"d\"
value = 1
unit = \"GW\"
period = \"2023\"
source = \"s\"
[figures.e]
label = \"e\"
period = \"2023\"
share = [\"c\", \"d\"]
"
        ));
        let e = errors(&ds);
        assert!(
            e.iter().any(|m| m.contains("computed from each other")),
            "{e:?}"
        );
    }
}
