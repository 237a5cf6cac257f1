//! Translated words in the data file: labels, periods, notes, captions,
//! titles, category labels, event texts and unit names per language, under
//! `[translations.LANG.…]`, beside the numbers they describe:
//!
//! ```toml
//! [translations.zh.figures.trade_turnover_2023]
//! label = "中阿贸易额"
//! period = "2023年1月至10月"
//! ```
//!
//! A language's edition takes its words from here, the briefing's own
//! language where a word is missing: the numbers are never translated, they
//! are formatted. `check` reports each missing word (an error with
//! `--strict`), and an id that names nothing is an error where it is written.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use super::{Book, Cell, Kind, Value};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::SourceFile;

/// `[translations.LANG]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    #[serde(default)]
    figures: IndexMap<Spanned<String>, FigureText>,
    #[serde(default)]
    tables: IndexMap<Spanned<String>, TableText>,
    #[serde(default)]
    charts: IndexMap<Spanned<String>, ChartText>,
    #[serde(default)]
    events: IndexMap<Spanned<String>, EventText>,
    #[serde(default)]
    units: IndexMap<Spanned<String>, UnitText>,
}

/// The words of a figure.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureText {
    label: Option<String>,
    period: Option<String>,
    note: Option<String>,
    /// What a rank is of: "大贸易伙伴".
    ranked: Option<String>,
}

/// The words of a table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableText {
    caption: Option<String>,
    note: Option<String>,
    /// Column headers, in order.
    columns: Option<Vec<String>>,
    /// Row headers written as text, in order.
    rows: Option<Vec<String>>,
}

/// The words of a chart.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartText {
    title: Option<String>,
    note: Option<String>,
    labels: Option<Vec<String>>,
    /// Series names (legend), in order.
    series: Option<Vec<String>>,
    x_label: Option<String>,
    y_label: Option<String>,
}

/// The words of an event.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventText {
    label: Option<String>,
    period: Option<String>,
    note: Option<String>,
}

/// The words of a unit.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitText {
    singular: Option<String>,
    plural: Option<String>,
    short: Option<String>,
}

/// Puts the words of `language` into `book`; returns errors for ids that
/// name nothing and a warning for each word left in the briefing's own
/// language.
pub fn apply(
    book: &mut Book,
    language: &str,
    raw: Option<&RawLanguage>,
    file: Option<&SourceFile>,
) -> Vec<Diagnostic> {
    let lines = std::cell::OnceCell::new();
    let at = |span: std::ops::Range<usize>| match file {
        Some(f) => {
            let lines = lines.get_or_init(|| crate::line_index::LineIndex::new(&f.text));
            Location::in_indexed(f.path.clone(), &f.text, lines, span)
        }
        None => Location::at("content/data.toml", 1, 1),
    };
    let empty = RawLanguage::default();
    let raw = raw.unwrap_or(&empty);
    let mut out = Vec::new();
    let mut unknown = |kind: Kind, id: &Spanned<String>, book: &Book| {
        out.push(book.unknown(kind, id.get_ref(), at(id.span())));
    };
    let mut figures = vec![None; book.figures.len()];
    for (id, t) in &raw.figures {
        match book.figure_ids.get(id.get_ref()) {
            Some(&i) => figures[i] = Some(t),
            None => unknown(Kind::Figure, id, book),
        }
    }
    let mut missing = Vec::new();
    let locale = book.locale.clone();
    // A period not translated is written in the language where its form
    // is known (`January–October 2023` → `2023年1月至10月`).
    let period = |own: Option<&String>, original: &mut String| match own {
        Some(p) => *original = p.clone(),
        None => {
            if let Some(p) = super::period_text::localize(original, &locale) {
                *original = p;
            }
        }
    };
    for (f, t) in book.figures.iter_mut().zip(figures) {
        match t.and_then(|t| t.label.as_ref()) {
            Some(l) => f.label = l.clone(),
            None => missing.push(("figure", f.id.clone(), f.at.clone())),
        }
        period(t.and_then(|t| t.period.as_ref()), &mut f.period);
        if let Some(t) = t {
            f.note = t.note.clone().or(f.note.take());
            if let (Some(r), Value::Rank { ranked, .. }) = (&t.ranked, &mut f.value) {
                *ranked = r.clone();
            }
        }
    }
    for (id, t) in &raw.tables {
        match book.table_ids.get(id.get_ref()).copied() {
            Some(i) => {
                let table = &mut book.tables[i];
                table.caption = t
                    .caption
                    .clone()
                    .unwrap_or(std::mem::take(&mut table.caption));
                table.note = t.note.clone().or(table.note.take());
                for (c, l) in table.columns.iter_mut().zip(t.columns.iter().flatten()) {
                    c.label = l.clone();
                }
                let mut rows = t.rows.iter().flatten();
                for row in &mut table.rows {
                    if let Some(Cell::Text(text)) = row.first_mut()
                        && let Some(l) = rows.next()
                    {
                        *text = l.clone();
                    }
                }
            }
            None => unknown(Kind::Table, id, book),
        }
    }
    for (id, t) in &raw.charts {
        match book.chart_ids.get(id.get_ref()).copied() {
            Some(i) => {
                let chart = &mut book.charts[i];
                chart.title = t.title.clone().unwrap_or(std::mem::take(&mut chart.title));
                chart.note = t.note.clone().or(chart.note.take());
                chart.x_label = t.x_label.clone().or(chart.x_label.take());
                chart.y_label = t.y_label.clone().or(chart.y_label.take());
                if let Some(labels) = &t.labels
                    && labels.len() == chart.categories.len()
                {
                    chart.categories = labels.clone();
                }
                for (s, name) in chart.series.iter_mut().zip(t.series.iter().flatten()) {
                    s.0 = name.clone();
                }
            }
            // Left unbuilt by an error of its own, reported already.
            None if book.failed.charts.contains(id.get_ref()) => {}
            None => unknown(Kind::Chart, id, book),
        }
    }
    let mut events = vec![None; book.events.len()];
    for (id, t) in &raw.events {
        match book.event_ids.get(id.get_ref()).copied() {
            Some(i) => events[i] = Some(t),
            None => unknown(Kind::Event, id, book),
        }
    }
    for (event, t) in book.events.iter_mut().zip(events) {
        period(t.and_then(|t| t.period.as_ref()), &mut event.period);
        if let Some(t) = t {
            event.label = t.label.clone().unwrap_or(std::mem::take(&mut event.label));
            event.note = t.note.clone().or(event.note.take());
        }
    }
    for (id, t) in &raw.units {
        book.units.translate(
            id.get_ref(),
            t.singular.as_deref(),
            t.plural.as_deref(),
            t.short.as_deref(),
        );
    }
    for (kind, id, at) in missing {
        out.push(
            Diagnostic::warning(
                "missing-label",
                format!("the {kind} `{id}` has no `{language}` label"),
            )
            .at(at)
            .expected(format!(
                "`label = \"…\"` under `[translations.{language}.figures.{id}]`"
            ))
            .hint("the page shows the label in the briefing's own language until it is translated"),
        );
    }
    out
}
