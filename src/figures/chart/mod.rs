//! Charts drawn at build time: accessible, responsive SVG from the same
//! figures as the prose and the tables, with no JavaScript.
//!
//! A chart spec in `content/data.toml` names its figures; the builder checks
//! that they fit the kind of chart (numbers, one unit per axis, enough
//! points), and this module draws it: each kind into a [`scene::Scene`] of
//! marks and measured labels (value axis in [`axis`], text metrics in
//! [`text`]), which becomes SVG. Values are labelled directly with the one
//! formatter, colours come from CSS custom properties, and planned, target
//! and implied values have shapes of their own, so that colour is never the
//! only carrier of meaning. Every chart is drawn twice, for wide and for
//! narrow screens, so that its text is never smaller than 12 px on a phone.
//! The output is the same bytes on every build.

pub mod axis;
mod bars;
mod dumbbell;
#[cfg(test)]
mod geometry;
mod line;
pub mod scene;
mod share;
mod standalone;
pub mod text;

use std::fmt::Write;

use serde::Deserialize;
use toml::Spanned;

use super::format::Style;
use super::html::{self, Links, escape};
use super::{Book, Figure, Status, Value};
pub use axis::{axis_factor, ticks};
pub use scene::FONT;
pub use standalone::{PRINT_WIDTH, for_print, standalone};

/// The width of the drawing for wide screens, in px.
pub const WIDE: f64 = 480.0;
/// The width of the drawing for screens under 34em (544 px), in px: drawn
/// at about its own size on a 360 px phone, so 12 px text stays 12 px.
pub const NARROW: f64 = 320.0;

/// `[charts.ID]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChart {
    /// bar, hbar, grouped, line, dumbbell or share.
    pub kind: Spanned<String>,
    /// The title.
    pub title: String,
    /// bar, hbar, line: the figures, in order.
    pub figures: Option<Spanned<Vec<Spanned<String>>>>,
    /// Category labels instead of the figures' labels (bar, hbar, line, grouped).
    pub labels: Option<Vec<String>>,
    /// grouped: the series.
    pub series: Option<Spanned<Vec<RawSeries>>>,
    /// dumbbell: before → after pairs.
    pub pairs: Option<Spanned<Vec<RawPair>>>,
    /// share: the part…
    pub part: Option<Spanned<String>>,
    /// …of the total.
    pub total: Option<Spanned<String>>,
    /// Label of the category axis.
    pub x_label: Option<String>,
    /// Label of the value axis (the unit is added).
    pub y_label: Option<String>,
    /// A note under the chart.
    pub note: Option<String>,
    /// The table with the same figures, linked under the chart.
    pub table: Option<Spanned<String>>,
}

/// A series of a grouped bar chart.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeries {
    /// Its name, in the legend.
    pub name: String,
    /// One figure per category.
    pub figures: Vec<Spanned<String>>,
}

/// A before → after pair of a dumbbell chart.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPair {
    /// Row label.
    pub label: String,
    /// Figure before.
    pub from: Spanned<String>,
    /// Figure after.
    pub to: Spanned<String>,
}

/// The kinds of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Vertical bars.
    Bar,
    /// Horizontal bars.
    HBar,
    /// Vertical bars in groups, one per series.
    Grouped,
    /// A line over points.
    Line,
    /// Before → after, with ranges.
    Dumbbell,
    /// A part of a total, as one stacked bar.
    Share,
}

impl Kind {
    /// Parses a kind name.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "bar" => Some(Kind::Bar),
            "hbar" => Some(Kind::HBar),
            "grouped" => Some(Kind::Grouped),
            "line" => Some(Kind::Line),
            "dumbbell" | "range" => Some(Kind::Dumbbell),
            "share" | "stacked" => Some(Kind::Share),
            _ => None,
        }
    }

    /// The accepted names.
    pub const NAMES: &'static str =
        "bar, hbar, grouped, line, dumbbell (or range), share (or stacked)";

    /// The key of what the chart is called in its description
    /// ([`crate::words`]).
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Bar => "bar_chart",
            Kind::HBar => "hbar_chart",
            Kind::Grouped => "grouped_chart",
            Kind::Line => "line_chart",
            Kind::Dumbbell => "dumbbell_chart",
            Kind::Share => "share_chart",
        }
    }
}

/// A checked chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// Title.
    pub title: String,
    /// Category labels (bar, hbar, line, grouped, dumbbell rows).
    pub categories: Vec<String>,
    /// Series of figure indexes: one for bar, hbar and line; several for
    /// grouped; two (before, after) for dumbbell; two (part, total) for share.
    pub series: Vec<(String, Vec<usize>)>,
    /// The unit of the value axis.
    pub unit: Option<String>,
    /// Category axis label.
    pub x_label: Option<String>,
    /// Value axis label.
    pub y_label: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// The linked table.
    pub table: Option<usize>,
    /// Where it is declared (its `kind`).
    pub at: crate::diagnostic::Location,
}

impl Chart {
    /// Every figure the chart shows, each once.
    pub fn figures(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for (_, s) in &self.series {
            for &f in s {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
        out
    }
}

/// The pattern class for a figure: planned, target and implied values are
/// hatched, so that they differ from stated ones without colour.
pub fn pattern(fig: &Figure) -> &'static str {
    match fig.status {
        Status::Stated => "",
        Status::Derived => " c-implied",
        Status::Target | Status::Planned => " c-future",
    }
}

/// A short description of what the chart shows and its key values, for
/// `<desc>` (what a screen reader announces after the title).
pub fn describe(book: &Book, chart: &Chart) -> String {
    let labelled = |label: &str, value: &str| book.words.fill("label_value", &[label, value]);
    let prose = |f: usize| {
        book.format(&book.figures[f], Style::Prose)
            .replace('\u{a0}', " ")
    };
    let mut parts: Vec<String> = Vec::new();
    match chart.kind {
        Kind::Bar | Kind::HBar | Kind::Line => {
            for (c, &f) in chart.categories.iter().zip(&chart.series[0].1) {
                parts.push(labelled(c, &prose(f)));
            }
        }
        Kind::Grouped => {
            for (ci, c) in chart.categories.iter().enumerate() {
                let vals: Vec<String> = chart
                    .series
                    .iter()
                    .filter_map(|(name, s)| s.get(ci).map(|&f| format!("{name} {}", prose(f))))
                    .collect();
                parts.push(labelled(c, &vals.join(", ")));
            }
        }
        Kind::Dumbbell => {
            for (i, c) in chart.categories.iter().enumerate() {
                let (from, to) = (prose(chart.series[0].1[i]), prose(chart.series[1].1[i]));
                let change = book.words.fill("from_to", &[&from, &to]);
                parts.push(labelled(c, &change));
            }
        }
        Kind::Share => {
            let (p, t) = (chart.series[0].1[0], chart.series[1].1[0]);
            let percent = share::percent_text(book, chart).replace('\u{a0}', " ");
            parts.push(
                book.words
                    .fill("part_of", &[&prose(p), &prose(t), &percent]),
            );
        }
    }
    // The title is announced just before: the description says what kind of
    // chart it is and its values, punctuated as the language is.
    let words = &book.words;
    let parts = parts.join(words.get("values_separator"));
    words.fill("chart_described", &[words.get(chart.kind.noun()), &parts])
}

/// Draws `chart` `width` px wide.
pub fn draw(book: &Book, chart: &Chart, width: f64) -> scene::Scene {
    match chart.kind {
        Kind::HBar => bars::draw(book, chart, width, true),
        Kind::Bar | Kind::Grouped => bars::draw(book, chart, width, false),
        Kind::Line => line::draw(book, chart, width),
        Kind::Dumbbell => dumbbell::draw(book, chart, width),
        Kind::Share => share::draw(book, chart, width),
    }
}

/// The sources of a chart's figures, each once, in source order.
fn chart_sources(book: &Book, chart: &Chart) -> Vec<usize> {
    let mut sources: Vec<usize> = chart
        .figures()
        .into_iter()
        .flat_map(|f| html::sources_of(book, f))
        .collect();
    sources.sort_unstable();
    sources.dedup();
    sources
}

/// One drawing as an inline SVG, for wide or narrow screens.
fn inline_svg(book: &Book, chart: &Chart, width: f64, variant: &str) -> String {
    let scene = draw(book, chart, width);
    let id = escape(&chart.id);
    format!(
        "<svg class=\"chart-svg c-{variant}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"chart-{id}-{variant}-title chart-{id}-{variant}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"chart-{id}-{variant}-title\">{}</title>\n<desc id=\"chart-{id}-{variant}-desc\">{}</desc>\n{}\n</svg>\n",
        text::n(scene.width),
        text::n(scene.height),
        escape(&chart.title),
        escape(&describe(book, chart)),
        scene.body(),
    )
}

/// The line under a chart's title: its unit and the periods it shows
/// ("Mt · 2021, 2022 and 2023"), so that the title says what, this line how
/// much and when.
pub fn subtitle(book: &Book, chart: &Chart) -> String {
    let mut periods: Vec<&str> = Vec::new();
    for f in chart.figures() {
        let p = book.figures[f].period.as_str();
        if !p.is_empty() && !periods.contains(&p) {
            periods.push(p);
        }
    }
    let when = match periods.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        few if few.len() <= 4 => book.locale.and_list(few),
        [first, .., last] => book.words.fill("range_to", &[first, last]),
    };
    let unit = axis::axis_title(book, chart);
    [unit, when]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The chart as a figure: its title, the drawing for wide and for narrow
/// screens (the stylesheet shows one), then its source, notes, and links
/// to the table and the data.
pub fn html(book: &Book, chart: &Chart, links: &Links<'_>) -> String {
    let id = escape(&chart.id);
    let mut h = String::new();
    let _ = write!(
        h,
        "<figure class=\"chart\" id=\"chart-{id}\">\n<figcaption class=\"chart-title\">{}{}<span class=\"chart-subtitle\">{}</span></figcaption>\n{}{}<p class=\"chart-caption\">",
        crate::numbering::number_mark(crate::numbering::Kind::Chart, &id),
        escape(&chart.title),
        escape(&subtitle(book, chart)),
        inline_svg(book, chart, WIDE, "wide"),
        inline_svg(book, chart, NARROW, "narrow"),
    );
    let sources = chart_sources(book, chart);
    h.push_str(&html::sources_label(book, sources.len()));
    let cites: Vec<String> = sources
        .iter()
        .map(|&s| html::source_citation(book, s, links))
        .collect();
    let p = book.locale.punctuation();
    h.push_str(&cites.join(p.semicolon));
    h.push_str(p.full_stop);
    let statuses: Vec<Status> = chart
        .figures()
        .iter()
        .map(|&f| book.figures[f].status)
        .collect();
    if statuses
        .iter()
        .any(|s| matches!(s, Status::Planned | Status::Target))
    {
        h.push_str(p.gap);
        h.push_str(book.words.get("pale_planned"));
    }
    if statuses.contains(&Status::Derived) {
        h.push_str(p.gap);
        h.push_str(book.words.get("dotted_implied"));
    }
    if let Some(note) = &chart.note {
        let _ = write!(h, "{}{}", p.gap, escape(note));
    }
    let notes = html::figure_notes(book, &chart.figures());
    if !notes.is_empty() {
        let _ = write!(
            h,
            "{}<span class=\"figure-notes\">{}</span>",
            p.gap,
            escape(&notes)
        );
    }
    let _ = write!(h, "{}<span class=\"downloads\">", p.gap);
    if let Some(t) = chart.table {
        // Where the table is shown is known only once every page is
        // rendered: a placeholder, filled in by `resolve_table_links`.
        let table = &book.tables[t];
        let _ = write!(
            h,
            "{TABLE_LINK}{}{TABLE_LINK_END}{}<a href=\"{TABLE_HREF}\">{}</a>{}{}{TABLE_LINK_END}",
            table.id,
            html::label(book, "the_figures_as_a_table"),
            escape(&table.caption),
            p.full_stop,
            p.gap,
        );
    }
    let csv = crate::urls::relative(links.page_dir, &csv_path(chart));
    let _ = write!(
        h,
        "{}<a href=\"{}\" download>CSV</a></span></p>\n</figure>\n",
        html::label(book, "download_the_data"),
        escape(&csv)
    );
    h
}

/// Opens the link under a chart to its table: the table's id follows, then
/// [`TABLE_LINK_END`], the sentence with [`TABLE_HREF`] in it, and another
/// [`TABLE_LINK_END`]. Private-use characters, which no text contains.
pub const TABLE_LINK: char = '\u{E010}';
/// Ends a part of a table link placeholder.
pub const TABLE_LINK_END: char = '\u{E011}';
/// Stands for the link's address in the sentence.
pub const TABLE_HREF: char = '\u{E012}';

/// Fills in the links from charts to their tables in `html`, a page in
/// folder `page_dir`: to the table on this page, or on the page that shows
/// it (`table_pages`: table id → that page's output path); the sentence is
/// left out when no page shows the table.
pub fn resolve_table_links(
    html: &str,
    page_dir: &str,
    table_pages: &std::collections::HashMap<String, String>,
) -> Option<String> {
    if !crate::numbering::may_hold_marks(html) || !html.contains(TABLE_LINK) {
        return None;
    }
    let here = crate::urls::index_of(page_dir);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(TABLE_LINK) {
        out.push_str(&rest[..i]);
        let after = &rest[i + TABLE_LINK.len_utf8()..];
        let Some(j) = after.find(TABLE_LINK_END) else {
            break;
        };
        let id = &after[..j];
        let sentence_start = j + TABLE_LINK_END.len_utf8();
        let Some(k) = after[sentence_start..].find(TABLE_LINK_END) else {
            break;
        };
        let sentence = &after[sentence_start..sentence_start + k];
        if let Some(page) = table_pages.get(id) {
            let href = if *page == here {
                format!("#table-{}", escape(id))
            } else {
                format!(
                    "{}#table-{}",
                    crate::urls::relative(page_dir, page),
                    escape(id)
                )
            };
            out.push_str(&sentence.replace(TABLE_HREF, &href));
        }
        rest = &after[sentence_start + k + TABLE_LINK_END.len_utf8()..];
    }
    out.push_str(rest);
    Some(out)
}

/// Where a chart's data is written: one place for the site, so that a chart
/// drawn by a template links to it as well as one drawn by a shortcode.
pub fn csv_path(chart: &Chart) -> String {
    format!("charts/{}.csv", chart.id)
}

/// The chart's data as CSV, one record per figure.
pub fn csv(book: &Book, chart: &Chart) -> String {
    let table = super::Table {
        id: chart.id.clone(),
        caption: chart.title.clone(),
        columns: std::iter::once(super::Column {
            label: chart
                .x_label
                .clone()
                .unwrap_or_else(|| book.words.get("category").to_string()),
            unit: None,
            scale: None,
        })
        .chain(chart.series.iter().map(|(name, _)| super::Column {
            label: name.clone(),
            unit: None,
            scale: None,
        }))
        .collect(),
        rows: (0..chart.series.iter().map(|(_, s)| s.len()).max().unwrap_or(0))
            .map(|i| {
                let label = chart.categories.get(i).cloned().unwrap_or_default();
                std::iter::once(super::Cell::Text(label))
                    .chain(chart.series.iter().map(|(_, s)| {
                        s.get(i).map_or(super::Cell::Text(String::new()), |&f| {
                            super::Cell::Figure(f)
                        })
                    }))
                    .collect()
            })
            .collect(),
        list: false,
        note: None,
        at: crate::diagnostic::Location::at("content/data.toml", 1, 1),
    };
    html::csv(book, &table)
}

/// The unit of a chart's value axis (the first figure's), or why the figures
/// cannot share one axis.
pub fn unit_of(book: &Book, figs: &[usize]) -> Result<Option<String>, String> {
    let first = figs.first().map(|&f| &book.figures[f]);
    let unit = first.and_then(|f| f.unit.clone());
    for &f in figs {
        axis_factor(book, &book.figures[f], unit.as_deref())?;
    }
    Ok(unit)
}

/// Whether a figure can be drawn.
pub fn numeric(f: &Figure) -> bool {
    matches!(f.value, Value::Point { .. } | Value::Range { .. })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ticks_for_the_articles_numbers() {
        assert_eq!(ticks(0.0, 2.57), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.0, 23.0), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(ticks(0.0, 7.0), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(0.0, 0.0), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }

    const DATA: &str = r#"
[sources.s]
title = "T"
author = "A"
publisher = "P"
date = 2024-01-24

[figures.a]
label = "Alpha"
value = 2.57
unit = "USD"
scale = "billion"
period = "2023"
source = "s"

[figures.b]
label = "Beta"
value = 1.1
unit = "USD"
scale = "billion"
period = "2022"
source = "s"

[figures.c]
label = "Gamma, implied"
period = "2021"
difference = ["a", "b"]

[figures.r1]
label = "Range before"
low = 18
high = 23
unit = "days"
period = "2023"
source = "s"

[figures.r2]
label = "Range after"
low = 14
high = 18
unit = "days"
period = "2024"
source = "s"
status = "planned"

[figures.p1]
label = "Point before"
value = 6
unit = "days"
period = "2023"
source = "s"

[figures.p2]
label = "Point after"
value = 5
unit = "days"
period = "2024"
source = "s"
status = "planned"

[figures.mw]
label = "Plant"
value = 230
unit = "MW"
period = "2024"
source = "s"

[figures.gw]
label = "Target"
value = 7
unit = "GW"
period = "by 2030"
source = "s"
status = "target"

[figures.part]
label = "Export"
value = 5
unit = "GW"
period = "by 2030"
source = "s"
status = "target"

[charts.bar]
kind = "bar"
title = "Bars"
figures = ["b", "a", "c"]

[charts.hbar]
kind = "hbar"
title = "Mixed power units"
figures = ["gw", "part", "mw"]

[charts.grouped]
kind = "grouped"
title = "Groups"
labels = ["Corridor", "Kazakhstan"]
series = [{ name = "Before", figures = ["r1", "p1"] }, { name = "After", figures = ["r2", "p2"] }]

[charts.line]
kind = "line"
title = "A line"
figures = ["b", "a"]
labels = ["2022", "2023"]

[charts.dumbbell]
kind = "dumbbell"
title = "Before and after"
pairs = [{ label = "Corridor", from = "r1", to = "r2" }, { label = "Within Kazakhstan", from = "p1", to = "p2" }]

[charts.share]
kind = "share"
title = "Part of a total"
part = "part"
total = "gw"
"#;

    fn book() -> Book {
        let file = crate::load::SourceFile {
            path: "content/data.toml".into(),
            text: std::sync::Arc::from(DATA),
        };
        let (book, ds) = super::super::build(Some(&file), toml::from_str(DATA).unwrap(), "en");
        assert!(ds.iter().all(|d| !d.is_error()), "{ds:?}");
        book
    }

    /// Regression: the Chinese and Azerbaijani editions' chart subtitles
    /// joined periods with the English "and", and descriptions were
    /// punctuated in English ("条形图. a: 1; b: 2.").
    #[test]
    fn descriptions_and_subtitles_are_punctuated_and_listed_in_the_language() {
        let file = crate::load::SourceFile {
            path: "content/data.toml".into(),
            text: std::sync::Arc::from(DATA),
        };
        let (mut zh, _) = super::super::build(Some(&file), toml::from_str(DATA).unwrap(), "zh");
        let (mut az, _) = super::super::build(Some(&file), toml::from_str(DATA).unwrap(), "az");
        // The model stage gives each edition its theme's words.
        zh.words = crate::words::Words::new("zh", None);
        az.words = crate::words::Words::new("az", None);
        let (en, _) = super::super::build(Some(&file), toml::from_str(DATA).unwrap(), "en");
        let chart = |b: &Book| b.charts.iter().find(|c| c.id == "bar").unwrap().clone();
        let d = describe(&zh, &chart(&zh));
        assert!(d.starts_with("柱状图。") && d.ends_with('。'), "{d}");
        assert!(
            d.contains('：') && d.contains('；') && !d.contains(": "),
            "{d}"
        );
        assert!(
            subtitle(&zh, &chart(&zh)).ends_with("2022、2023和2021"),
            "{}",
            subtitle(&zh, &chart(&zh))
        );
        assert!(subtitle(&az, &chart(&az)).ends_with("2022, 2023 və 2021"));
        assert!(subtitle(&en, &chart(&en)).ends_with("2022, 2023, and 2021"));
        let d = describe(&en, &chart(&en));
        assert!(
            d.starts_with("Bar chart. ") && d.contains("; ") && d.ends_with('.'),
            "{d}"
        );
    }

    /// One SVG snapshot per kind of chart; the output is deterministic, so a
    /// change in any byte is a change in the drawing.
    #[test]
    fn every_kind_of_chart_draws_the_same_svg() {
        let book = book();
        let links = Links {
            page_dir: "page/",
            sources_page: Some("sources/index.html"),
        };
        for chart in &book.charts {
            let svg = html(&book, chart, &links);
            assert!(svg.contains("role=\"img\""), "{svg}");
            for variant in ["wide", "narrow"] {
                let title = format!("<title id=\"chart-{}-{variant}-title\">", chart.id);
                assert!(svg.contains(&title), "{svg}");
            }
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            insta::assert_snapshot!(format!("chart-{}", chart.id), svg);
        }
    }

    /// Regression: a comment with a colon before `--chart-1` once kept the
    /// first series' colour a CSS variable, which the PDF's SVG renderer
    /// does not know: the bars printed black.
    #[test]
    fn charts_for_print_have_every_colour_written_out() {
        let book = book();
        for chart in &book.charts {
            let svg = for_print(&book, chart);
            assert!(!svg.contains("var("), "{svg}");
            assert!(!svg.contains("@media"), "{svg}");
            assert!(svg.contains(".c-s1 { fill: #0072b2"), "{svg}");
        }
    }

    #[test]
    fn a_standalone_chart_carries_its_styles_title_and_source() {
        let book = book();
        let chart = &book.charts[4];
        let svg = standalone(&book, chart);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        // The drawing is the page's, moved under the heading.
        let page = html(
            &book,
            chart,
            &Links {
                page_dir: "",
                sources_page: None,
            },
        );
        let body = &draw(&book, chart, WIDE).body();
        assert!(page.contains(body.as_str()) && svg.contains(body.as_str()));
        // The theme's colours, light and dark, and its chart rules.
        assert!(svg.contains("--chart-1: #0072b2") && svg.contains("--chart-1: #56b4e9"));
        assert!(svg.contains("prefers-color-scheme: dark") && svg.contains(".c-from {"));
        assert!(!svg.contains(".site-header") && !svg.contains(":root"));
        assert!(svg.contains("<desc id=\"desc\">Dumbbell chart."));
        assert!(svg.contains(">Source: "), "{svg}");
        insta::assert_snapshot!("standalone-chart", svg);
    }

    #[test]
    fn descriptions_name_the_key_values() {
        let book = book();
        let d = describe(&book, &book.charts[4]);
        assert_eq!(
            d,
            "Dumbbell chart. Corridor: from 18–23 days to 14–18 days; Within Kazakhstan: from 6 days to 5 days."
        );
        let d = describe(&book, &book.charts[5]);
        // 5 and 7 allow anything from 60 to 85 %: no more digits than that.
        assert!(d.contains("5 GW of 7 GW (≈ 70%, implied)"), "{d}");
    }

    proptest! {
        /// Ticks cover the data, are round numbers, and number 3 to 8.
        #[test]
        fn ticks_cover_are_round_and_few(lo in -1e6f64..1e6, width in 0f64..1e6) {
            let hi = lo + width;
            let t = ticks(lo, hi);
            prop_assert!((3..=8).contains(&t.len()), "{lo}..{hi}: {t:?}");
            prop_assert!(t[0] <= lo + 1e-9 * lo.abs().max(1.0) && *t.last().unwrap() >= hi - 1e-9 * hi.abs().max(1.0), "{lo}..{hi}: {t:?}");
            let step = t[1] - t[0];
            let mag = 10f64.powf(step.log10().floor());
            let m = step / mag;
            prop_assert!([1.0, 2.0, 2.5, 5.0, 10.0].iter().any(|r| (m - r).abs() < 1e-6), "step {step}");
            for w in t.windows(2) {
                prop_assert!(((w[1] - w[0]) - step).abs() <= step * 1e-6);
            }
            for v in &t {
                let k = v / step;
                prop_assert!((k - k.round()).abs() < 1e-6, "{v} is not a multiple of {step}");
            }
        }
    }
}
