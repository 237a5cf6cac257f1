//! `content/data.toml` as written: what serde reads, before any id is
//! resolved or any number checked. Unknown keys are errors
//! (`deny_unknown_fields`), so a typo never passes silently.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use super::units::RawUnit;
use super::*;

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
    /// Words of the data in other languages, `[translations.LANG]`.
    #[serde(default)]
    pub translations: IndexMap<String, super::translations::RawLanguage>,
}

/// `[settings]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    /// A figure whose period ended more than this many months before the
    /// briefing's date is stale (default 24).
    pub stale_after_months: Option<u32>,
    /// How currencies are written everywhere: `symbol` ("$2.57 billion",
    /// the default) or `code` ("USD 2.57 billion").
    #[serde(default)]
    pub currency: super::units::CurrencyStyle,
}

/// `[sources.ID]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Title of the work.
    pub title: String,
    /// Author(s); optional (an institution's report may have none).
    #[serde(default)]
    pub author: String,
    /// Publisher; optional.
    #[serde(default)]
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
