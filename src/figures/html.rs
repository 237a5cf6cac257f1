//! HTML for figures, tables, timelines and key figures: what shortcodes and
//! template functions insert. Written here, in one place, so that a figure
//! looks the same in prose, in a table and on the home page, and so that
//! every figure carries its source marker.

use super::format::Qualifier;
use super::units::Scale;
use std::fmt::Write;

use serde::Serialize;

use super::format::{Style, unit_header};
use super::{Book, Cell, Figure, Status, Table, Value};
use crate::urls;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// Where figure markers link to: the sources page, seen from the current page.
#[derive(Debug, Clone)]
pub struct Links<'a> {
    /// Output folder of the page being rendered (`""`, `"trade/"`).
    pub page_dir: &'a str,
    /// Output path of the sources page, if the briefing has one.
    pub sources_page: Option<&'a str>,
}

impl Links<'_> {
    fn source_href(&self, source_id: &str) -> Option<String> {
        self.sources_page
            .map(|p| format!("{}#source-{source_id}", urls::relative(self.page_dir, p)))
    }
}

/// What to show of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// The value with its unit and the source marker.
    Full,
    /// The value with its unit, no marker.
    Value,
    /// The label.
    Label,
    /// The period.
    Period,
}

impl Show {
    /// Parses the `show` option.
    pub fn parse(s: &str) -> Option<Show> {
        match s {
            "full" => Some(Show::Full),
            "value" => Some(Show::Value),
            "label" => Some(Show::Label),
            "period" => Some(Show::Period),
            _ => None,
        }
    }

    /// The accepted values.
    pub const NAMES: &'static str = "`full` (default), `value`, `label` or `period`";
}

/// The sources a figure rests on: its own, or its inputs' for a derived one.
pub fn sources_of(book: &Book, f: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![f];
    let mut seen = vec![false; book.figures.len()];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let fig = &book.figures[i];
        if let Some(s) = fig.source {
            if !out.contains(&s) {
                out.push(s);
            }
        } else if let Some(r) = &fig.relation {
            stack.extend(r.inputs.iter().rev());
        }
    }
    out.sort_unstable();
    out
}

/// The marker(s) after a figure: `[1]`, linked to the sources page. A word
/// joiner (U+2060) keeps the first on the figure's line.
pub fn markers(book: &Book, sources: &[usize], links: &Links<'_>) -> String {
    let mut out = String::new();
    if !sources.is_empty() {
        out.push('\u{2060}');
    }
    for &s in sources {
        let src = &book.sources[s];
        let title = escape(&format!(
            "{} {}{}{}",
            book.words.get("source"),
            src.number,
            book.locale.punctuation().colon,
            [
                src.author.as_str(),
                src.publisher.as_str(),
                &human_date(book, &src.date)
            ]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
        ));
        let _ = match links.source_href(&src.id) {
            Some(href) => write!(
                out,
                "<sup class=\"fig-source\"><a href=\"{href}\" title=\"{title}\" aria-label=\"{title}\">[{}]</a></sup>",
                src.number
            ),
            None => write!(
                out,
                "<sup class=\"fig-source\" title=\"{title}\">[{}]</sup>",
                src.number
            ),
        };
    }
    out
}

/// "24 January 2024" from "2024-01-24" (as written if it is not a date).
pub fn human_date(book: &Book, date: &str) -> String {
    book.locale
        .long_date(date)
        .unwrap_or_else(|| date.to_string())
}

/// A figure in running text, as HTML and as plain text.
pub fn figure(
    book: &Book,
    f: usize,
    show: Show,
    style: Style,
    links: &Links<'_>,
) -> (String, String) {
    let fig = &book.figures[f];
    match show {
        Show::Label => (escape(&fig.label), fig.label.clone()),
        Show::Period => (escape(&fig.period), fig.period.clone()),
        Show::Full | Show::Value => {
            let text = book.format(fig, style);
            // Numbers never break ("18–23 days"); a rank is a phrase
            // ("4th-largest trading partner") and wraps like words.
            let class = match (fig.implied(), has_number(fig)) {
                (true, true) => "fig fig-implied",
                (true, false) => "fig fig-words fig-implied",
                (false, true) => "fig",
                (false, false) => "fig fig-words",
            };
            let title = escape(&describe(book, fig));
            let mut html = format!(
                "<span class=\"{class}\" data-figure=\"{}\" title=\"{title}\">{}</span>",
                escape(&fig.id),
                escape(&text)
            );
            if show == Show::Full {
                html.push_str(&markers(book, &sources_of(book, f), links));
            }
            (html, text)
        }
    }
}

/// "Label, period" — and for a derived figure, what it is implied by.
pub fn describe(book: &Book, fig: &Figure) -> String {
    let words = &book.words;
    let s = words.fill("label_period", &[&fig.label, &fig.period]);
    let (true, Some(r)) = (fig.implied(), &fig.relation) else {
        return s;
    };
    let names: Vec<String> = r
        .inputs
        .iter()
        .map(|&i| book.format(&book.figures[i], Style::Prose))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let by = r.kind.describe_in(words, &names);
    words.fill("implied_by", &[&s, &by])
}

fn status_text<'b>(book: &'b Book, fig: &Figure) -> &'b str {
    match fig.status {
        Status::Derived => book.words.get("implied"),
        s => book.words.get(s.name()),
    }
}

fn has_number(fig: &Figure) -> bool {
    matches!(fig.value, Value::Point { .. } | Value::Range { .. })
}

/// A table, with caption, row and column headers, units, its sources and
/// links to its data downloads (`ID.csv` and `ID.json` beside the page).
pub fn table(book: &Book, t: &Table, links: &Links<'_>) -> String {
    let id = escape(&t.id);
    let mut h = String::new();
    let _ = write!(
        h,
        "<figure class=\"data-table\" id=\"table-{id}\">\n<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"caption-{id}\" tabindex=\"0\">\n<table>\n<caption id=\"caption-{id}\">{}{}</caption>\n<thead>\n<tr>",
        crate::numbering::number_mark(crate::numbering::Kind::Table, &id),
        escape(&t.caption)
    );
    let numeric: Vec<bool> = if t.list {
        vec![false, true, false, false]
    } else {
        (0..t.columns.len())
            .map(|k| {
                k > 0
                    && t.rows
                        .iter()
                        .any(|r| matches!(r.get(k), Some(Cell::Figure(f)) if has_number(&book.figures[*f])))
            })
            .collect()
    };
    h.push_str(&header_cells(book, t, &numeric));
    h.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &t.rows {
        h.push_str(&body_row(book, t, row, &numeric));
    }
    h.push_str("</tbody>\n</table>\n</div>\n<figcaption class=\"table-source\">");
    h.push_str(&table_caption(book, t, links));
    h
}

/// The column headers, each with its unit.
fn header_cells(book: &Book, t: &Table, numeric: &[bool]) -> String {
    let mut h = String::new();
    for (k, c) in t.columns.iter().enumerate() {
        let unit = unit_header(
            c.unit.as_deref().and_then(|u| book.units.get(u)),
            c.scale,
            &book.locale,
        );
        // A list table's columns are the theme's own.
        let name = match (t.list, k) {
            (true, 0..=3) => book
                .words
                .get(["indicator", "value", "period", "status"][k]),
            _ => c.label.as_str(),
        };
        let label = if unit.is_empty() {
            escape(name)
        } else {
            format!(
                "{} <span class=\"unit\">({})</span>",
                escape(name),
                escape(&unit)
            )
        };
        let class = if numeric[k] { " class=\"num\"" } else { "" };
        let _ = write!(h, "<th scope=\"col\"{class}>{label}</th>");
    }
    h
}

/// One row: its header and its cells, figures in their short form.
fn body_row(book: &Book, t: &Table, row: &[Cell], numeric: &[bool]) -> String {
    let mut h = String::new();
    h.push_str("<tr>");
    if t.list {
        let Some(Cell::Figure(f)) = row.first() else {
            return String::new();
        };
        let fig = &book.figures[*f];
        // A rank is words ("4th-largest trading partner"): right-aligned
        // like the numbers, but free to wrap.
        let class = match (fig.implied(), has_number(fig)) {
            (true, true) => "num fig-implied",
            (true, false) => "num words fig-implied",
            (false, true) => "num",
            (false, false) => "num words",
        };
        let _ = write!(
            h,
            "<th scope=\"row\">{}</th><td class=\"{class}\" data-figure=\"{}\">{}</td><td>{}</td><td>{}</td>",
            escape(&fig.label),
            escape(&fig.id),
            escape(&book.format(fig, Style::Short)),
            escape(&fig.period),
            status_text(book, fig)
        );
    } else {
        for (k, cell) in row.iter().enumerate() {
            let content = match cell {
                Cell::Text(s) => escape(s),
                Cell::Figure(f) => {
                    let fig = &book.figures[*f];
                    let style = if t.columns[k].unit.is_some() {
                        Style::Bare
                    } else {
                        Style::Short
                    };
                    let mut text = book.format(fig, style);
                    if fig.implied() && style == Style::Bare {
                        text.insert_str(0, "≈\u{a0}");
                    }
                    format!(
                        "<span data-figure=\"{}\" title=\"{}\">{}</span>",
                        escape(&fig.id),
                        escape(&describe(book, fig)),
                        escape(&text)
                    )
                }
            };
            if k == 0 {
                let _ = write!(h, "<th scope=\"row\">{content}</th>");
            } else {
                let words = matches!(cell, Cell::Figure(f) if !has_number(&book.figures[*f]));
                let class = match (numeric[k], words) {
                    (true, true) => " class=\"num words\"",
                    (true, false) => " class=\"num\"",
                    (false, _) => "",
                };
                let _ = write!(h, "<td{class}>{content}</td>");
            }
        }
    }
    h.push_str("</tr>\n");
    h
}

/// Under the table: its sources, what ≈ means, its notes and the figures'
/// notes, and the links to its data.
fn table_caption(book: &Book, t: &Table, links: &Links<'_>) -> String {
    let id = escape(&t.id);
    let mut h = String::new();
    let mut sources: Vec<usize> = t
        .figures()
        .into_iter()
        .flat_map(|f| sources_of(book, f))
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let p = book.locale.punctuation();
    h.push_str(&sources_label(book, sources.len()));
    for (n, &s) in sources.iter().enumerate() {
        if n > 0 {
            h.push_str(p.semicolon);
        }
        h.push_str(&source_citation(book, s, links));
    }
    h.push_str(p.full_stop);
    if t.figures().iter().any(|&f| book.figures[f].implied()) {
        h.push_str(p.gap);
        h.push_str(book.words.get("implied_marks"));
    }
    if let Some(note) = &t.note {
        let _ = write!(h, "{}{}", p.gap, escape(note));
    }
    let notes = figure_notes(book, &t.figures());
    if !notes.is_empty() {
        let _ = write!(
            h,
            "{}<span class=\"figure-notes\">{}</span>",
            p.gap,
            escape(&notes)
        );
    }
    let _ = write!(
        h,
        "{}<span class=\"downloads\">{}<a href=\"{id}.csv\" download>CSV</a> · <a href=\"{id}.json\" download>JSON</a></span></figcaption>\n</figure>\n",
        p.gap,
        label(book, "download_the_data")
    );
    h
}

/// A word of the theme followed by a colon, as the language writes it
/// ("Source: ", "来源：").
pub fn label(book: &Book, key: &str) -> String {
    format!("{}{}", book.words.get(key), book.locale.punctuation().colon)
}

/// "Source: " or "Sources: " before `n` citations.
pub fn sources_label(book: &Book, n: usize) -> String {
    label(book, if n > 1 { "sources" } else { "source" })
}

/// The notes of the given figures, each once, as "Notes: Label: note."
/// (empty when none has a note), as plain text: shown wherever the figures
/// are, so that what the data file says about a number reaches the reader.
pub fn figure_notes(book: &Book, figures: &[usize]) -> String {
    let p = book.locale.punctuation();
    let mut seen = Vec::new();
    let notes: Vec<String> = figures
        .iter()
        .filter_map(|&f| {
            let fig = &book.figures[f];
            let note = fig.note.as_deref()?;
            if seen.contains(&f) {
                return None;
            }
            seen.push(f);
            let note = note.trim_end().trim_end_matches(['.', '。']);
            Some(format!("{}{}{note}", fig.label, p.colon))
        })
        .collect();
    match notes.len() {
        0 => String::new(),
        1 => p.sentence(&format!("{}{}", label(book, "note"), notes[0])),
        _ => p.sentence(&format!(
            "{}{}",
            label(book, "notes"),
            notes.join(p.semicolon)
        )),
    }
}

/// "Seymur Mammadov, “Title”, China Daily, 24 January 2024" in a markup
/// language: `text` escapes text for it, `emphasis` sets the publisher.
/// Author and publisher are optional: an institution's report may name
/// only itself once, or nobody.
pub fn citation(
    book: &Book,
    src: &super::model::Source,
    text: impl Fn(&str) -> String,
    emphasis: impl Fn(&str) -> String,
) -> String {
    let mut parts = Vec::new();
    if !src.author.is_empty() {
        parts.push(text(&src.author));
    }
    parts.push(format!("“{}”", text(&src.title)));
    if !src.publisher.is_empty() && src.publisher != src.author {
        parts.push(emphasis(&src.publisher));
    }
    parts.push(text(&human_date(book, &src.date)));
    parts.join(", ")
}

/// "Seymur Mammadov, “Title”, China Daily, 24 January 2024", linked to the
/// sources page.
pub fn source_citation(book: &Book, s: usize, links: &Links<'_>) -> String {
    let src = &book.sources[s];
    let text = citation(book, src, escape, |p| format!("<i>{}</i>", escape(p)));
    match links.source_href(&src.id) {
        Some(href) => format!("<a href=\"{href}\">[{}]</a> {text}", src.number),
        None => format!("[{}] {text}", src.number),
    }
}

/// The events, in date order.
pub fn timeline(book: &Book, links: &Links<'_>) -> String {
    let mut h = String::from("<ol class=\"timeline\">\n");
    for e in &book.events {
        let _ = write!(
            h,
            "<li id=\"event-{}\"><span class=\"when\">{}</span> <span class=\"what\">{}</span>{}",
            escape(&e.id),
            escape(&e.period),
            escape(&e.label),
            markers(book, &[e.source], links)
        );
        if let Some(note) = &e.note {
            let _ = write!(h, " <span class=\"note\">{}</span>", escape(note));
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ol>\n");
    h
}

/// The home page's key figures: value, label, period and source of each.
pub fn key_figures(book: &Book, links: &Links<'_>) -> String {
    if book.key_figures.is_empty() {
        return String::new();
    }
    let title = escape(book.words.get("key_figures"));
    let mut h =
        format!("<section class=\"key-figures\" aria-label=\"{title}\">\n<h2>{title}</h2>\n<ul>\n");
    for &f in &book.key_figures {
        let fig = &book.figures[f];
        let (value, _) = figure(book, f, Show::Value, Style::Prose, links);
        let sources: Vec<String> = sources_of(book, f)
            .into_iter()
            .map(|s| {
                let src = &book.sources[s];
                let by = [&src.publisher, &src.author, &src.title]
                    .into_iter()
                    .find(|p| !p.is_empty())
                    .map_or(String::new(), |p| escape(p));
                let name = format!("{by}, {}", escape(&human_date(book, &src.date)));
                match links.source_href(&src.id) {
                    Some(href) => format!("<a href=\"{href}\">{name}</a>"),
                    None => name,
                }
            })
            .collect();
        let note = fig
            .note
            .as_deref()
            .map(|n| format!(" <span class=\"kf-note\">{}</span>", escape(n)))
            .unwrap_or_default();
        // On a phone the source is the short marker prose uses ([1]), so
        // that the block leaves room on the first screen; the stylesheet
        // shows one of the two.
        let marker = markers(book, &sources_of(book, f), links);
        let _ = writeln!(
            h,
            "<li class=\"key-figure\"><span class=\"kf-value\">{value}<span class=\"kf-marker\">{marker}</span></span> <span class=\"kf-label\">{}</span> <span class=\"kf-meta\">{}<span class=\"kf-source\"> · {}{}</span></span>{note}</li>",
            escape(&fig.label),
            escape(&fig.period),
            label(book, "source"),
            sources.join("; ")
        );
    }
    h.push_str("</ul>\n</section>\n");
    h
}

/// One record of a table's data download, with its numbers as `N`: the
/// written number ([`Num`](super::format::Num)), then text for CSV (as
/// written: `2.50`, `109`) or a JSON number.
#[derive(Debug, Serialize)]
pub struct Record<'a, N> {
    /// Row header.
    pub row: String,
    /// Column header.
    pub column: &'a str,
    /// Figure id.
    pub figure: &'a str,
    /// Figure label.
    pub label: &'a str,
    /// The value (or `null`).
    pub value: Option<N>,
    /// Low end of a range.
    pub low: Option<N>,
    /// High end of a range.
    pub high: Option<N>,
    /// Rank.
    pub rank: Option<u32>,
    /// Qualifier ("over" …).
    pub qualifier: Option<&'static str>,
    /// Unit id.
    pub unit: Option<&'a str>,
    /// Scale word.
    pub scale: Option<&'static str>,
    /// Period.
    pub period: &'a str,
    /// stated, target, planned or derived.
    pub status: &'static str,
    /// Source ids, `;`-separated.
    pub source: String,
    /// Source titles, `;`-separated.
    pub source_title: String,
}

impl<'a, N> Record<'a, N> {
    /// The same record with its numbers written another way.
    fn map<M>(self, f: impl Fn(N) -> M) -> Record<'a, M> {
        Record {
            row: self.row,
            column: self.column,
            figure: self.figure,
            label: self.label,
            value: self.value.map(&f),
            low: self.low.map(&f),
            high: self.high.map(&f),
            rank: self.rank,
            qualifier: self.qualifier,
            unit: self.unit,
            scale: self.scale,
            period: self.period,
            status: self.status,
            source: self.source,
            source_title: self.source_title,
        }
    }
}

/// A number as its text, with the decimals it was written (or derived) with.
fn written_text(n: super::format::Num) -> String {
    format!("{:.*}", n.decimals, n.value)
}

/// A number as a JSON number: whole numbers without `.0`.
fn written_json(n: super::format::Num) -> serde_json::Value {
    let text = written_text(n);
    match text.parse::<i64>() {
        Ok(i) => serde_json::Value::from(i),
        Err(_) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
    }
}

/// The records of a table's data download: one per figure cell.
pub fn records<'a>(book: &'a Book, t: &'a Table) -> Vec<Record<'a, super::format::Num>> {
    let mut out = Vec::new();
    for row in &t.rows {
        let row_label = match row.first() {
            Some(Cell::Text(s)) => s.clone(),
            Some(Cell::Figure(f)) => book.figures[*f].label.clone(),
            None => String::new(),
        };
        for (k, cell) in row.iter().enumerate() {
            let Cell::Figure(f) = cell else { continue };
            let fig = &book.figures[*f];
            let column = if t.list {
                "Value"
            } else {
                t.columns[k].label.as_str()
            };
            let (value, low, high, rank) = match &fig.value {
                Value::Point { num, .. } => (Some(*num), None, None, None),
                Value::Range { low, high, .. } => (None, Some(*low), Some(*high), None),
                Value::Rank { rank, .. } => (None, None, None, Some(*rank)),
                Value::Unknown => (None, None, None, None),
            };
            let sources = sources_of(book, *f);
            out.push(Record {
                row: row_label.clone(),
                column,
                figure: &fig.id,
                label: &fig.label,
                value,
                low,
                high,
                rank,
                qualifier: fig.qualifier.map(Qualifier::name),
                unit: fig.unit.as_deref(),
                scale: fig.scale.map(Scale::name),
                period: &fig.period,
                status: fig.status.name(),
                source: sources
                    .iter()
                    .map(|&s| book.sources[s].id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                source_title: sources
                    .iter()
                    .map(|&s| book.sources[s].title.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            });
        }
    }
    out
}

/// A table's data as CSV.
pub fn csv(book: &Book, t: &Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in records(book, t) {
        w.serialize(r.map(written_text))
            .expect("records serialize to CSV");
    }
    String::from_utf8(w.into_inner().expect("writing to memory cannot fail"))
        .expect("CSV of UTF-8 text is UTF-8")
}

/// A table's data as JSON.
pub fn json(book: &Book, t: &Table) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        table: &'a str,
        caption: &'a str,
        records: Vec<Record<'a, serde_json::Value>>,
    }
    let doc = Doc {
        table: &t.id,
        caption: &t.caption,
        records: records(book, t)
            .into_iter()
            .map(|r| r.map(written_json))
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("records serialize to JSON");
    s.push('\n');
    s
}
