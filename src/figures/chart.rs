//! Charts drawn at build time: accessible, responsive SVG from the same
//! figures as the prose and the tables, with no JavaScript.
//!
//! A chart spec in `content/data.toml` names its figures; this module checks
//! that they fit the kind of chart (numbers, one unit per axis, enough
//! points), then draws the SVG: ticks at round numbers, values labelled
//! directly with the one formatter, colours from CSS custom properties, and
//! patterns for planned, target and implied values so that colour is never
//! the only carrier of meaning. The output is the same bytes on every build.

use std::fmt::Write;

use serde::Deserialize;
use toml::Spanned;

use super::format::{Style, unit_header};
use super::html::{self, Links, escape};
use super::{Book, Figure, Status, Value};

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

    fn noun(self) -> &'static str {
        match self {
            Kind::Bar => "Bar chart",
            Kind::HBar => "Horizontal bar chart",
            Kind::Grouped => "Grouped bar chart",
            Kind::Line => "Line chart",
            Kind::Dumbbell => "Dumbbell chart",
            Kind::Share => "Stacked bar",
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

/// The factor that converts figure `f` into `unit`, the axis unit, or why not.
pub fn axis_factor(book: &Book, f: &Figure, unit: Option<&str>) -> Result<f64, String> {
    let scale = f.scale.map_or(1.0, super::units::Scale::factor);
    match (f.unit.as_deref(), unit) {
        (None, None) => Ok(scale),
        (Some(a), Some(b)) => {
            let (ua, ub) = (book.units.get(a), book.units.get(b));
            match (ua, ub) {
                (Some(ua), Some(ub)) => ua
                    .factor_to(ub)
                    .map(|k| k * scale)
                    .ok_or_else(|| format!("`{}` is in {a}, the axis in {b}", f.id)),
                _ => Err(format!("`{}` has an unknown unit", f.id)),
            }
        }
        (a, b) => Err(format!(
            "`{}` is in {}, the axis in {}",
            f.id,
            a.unwrap_or("no unit"),
            b.unwrap_or("no unit")
        )),
    }
}

/// A figure's low and high values in axis units (equal for a point).
fn ends(book: &Book, f: usize, unit: Option<&str>, axis_scale: f64) -> (f64, f64) {
    let fig = &book.figures[f];
    let k = axis_factor(book, fig, unit).unwrap_or(1.0) / axis_scale;
    match &fig.value {
        Value::Point { num, .. } => (num.value * k, num.value * k),
        Value::Range { low, high, .. } => (low.value * k, high.value * k),
        _ => (0.0, 0.0),
    }
}

/// Round tick values covering `lo..=hi`: 3 to 8 of them, each a multiple of
/// 1, 2, 2.5 or 5 times a power of ten.
pub fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON * hi.abs().max(1.0) {
        if hi == 0.0 {
            (0.0, 1.0)
        } else {
            (lo.min(0.0), hi.max(0.0) + hi.abs() * 0.5)
        }
    } else {
        (lo, hi)
    };
    let span = hi - lo;
    // Candidate steps around 3 to 8 ticks; the best wastes least of the axis
    // beyond the data, with a small preference for about five ticks.
    let mut best: Option<(f64, f64, usize)> = None;
    for target in 3usize..=8 {
        let raw = span / (target as f64 - 1.0);
        let mag = 10f64.powf(raw.log10().floor());
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
            let step = m * mag;
            let first = (lo / step).floor() * step;
            let last = (hi / step).ceil() * step;
            let n = ((last - first) / step).round() as usize + 1;
            if (3..=8).contains(&n) {
                let score = ((last - first) - span) / span + 0.1 * n.abs_diff(5) as f64;
                if best.is_none_or(|(_, s, _)| score < s - 1e-12) {
                    best = Some((step, score, n));
                }
            }
        }
    }
    let (step, _, n) = best.unwrap_or((span / 4.0, 0.0, 5));
    let first = (lo / step).floor() * step;
    (0..n)
        .map(|i| {
            let v = first + step * i as f64;
            // Clean binary noise: 0.30000000000000004 → 0.3.
            let digits = (-(step.log10().floor()) as i32 + 2).clamp(0, 12);
            let p = 10f64.powi(digits);
            (v * p).round() / p
        })
        .collect()
}

/// Decimals that write every tick of a step exactly.
fn tick_decimals(ticks: &[f64]) -> usize {
    (0..=6)
        .find(|&d| {
            ticks
                .iter()
                .all(|t| (format!("{t:.d$}").parse::<f64>().unwrap_or(*t) - t).abs() < 1e-9)
        })
        .unwrap_or(2)
}

/// Approximate width of text in the chart font, in px.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// Breaks `s` into lines of at most `max` px.
fn wrap(s: &str, max: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The pattern class for a figure: planned, target and implied values are
/// hatched, so that they differ from stated ones without colour.
fn pattern(fig: &Figure) -> &'static str {
    match fig.status {
        Status::Stated => "",
        Status::Derived => " c-implied",
        Status::Target | Status::Planned => " c-future",
    }
}

const W: f64 = 480.0;
const FONT: f64 = 13.0;

struct Svg {
    body: String,
    height: f64,
}

/// A line from `a` to `b`.
fn segment(out: &mut String, class: &str, a: (f64, f64), b: (f64, f64)) {
    let _ = write!(
        out,
        "<line class=\"{class}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>",
        n(a.0),
        n(b.0),
        n(a.1),
        n(b.1)
    );
}

/// Horizontal gridlines with tick labels on the left, for a vertical value axis.
fn vgrid(out: &mut String, book: &Book, ticks: &[f64], y: &dyn Fn(f64) -> f64, x0: f64, x1: f64) {
    let d = tick_decimals(ticks);
    for &t in ticks {
        let yt = y(t);
        segment(out, "c-grid", (x0, yt), (x1, yt));
        text(
            out,
            x0 - 6.0,
            yt + FONT * 0.35,
            "end",
            "c-tick",
            &super::format::number(t, d, false, &book.locale),
        );
    }
}

/// The value axis title under a horizontal plot; returns the height it adds.
fn bottom_title(
    out: &mut String,
    book: &Book,
    chart: &Chart,
    x0: f64,
    x1: f64,
    bottom: f64,
) -> f64 {
    let title = axis_title(book, chart);
    if title.is_empty() {
        return 0.0;
    }
    text(
        out,
        (x0 + x1) / 2.0,
        bottom + 38.0,
        "middle",
        "c-axis-title",
        &title,
    );
    18.0
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, content: &str) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" class=\"{class}\">{}</text>",
        n(x),
        n(y),
        escape(content)
    );
}

fn lines(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, parts: &[String]) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" class=\"{class}\">",
        n(x),
        n(y)
    );
    for (i, p) in parts.iter().enumerate() {
        let dy = if i == 0 {
            "0".to_string()
        } else {
            n(FONT * 1.2)
        };
        let _ = write!(
            out,
            "<tspan x=\"{}\" dy=\"{dy}\">{}</tspan>",
            n(x),
            escape(p)
        );
    }
    out.push_str("</text>");
}

/// The axis unit's scale, so that ticks read in the figures' own scale
/// ("2 million tonnes" on an axis in million tonnes).
fn axis_scale(book: &Book, chart: &Chart) -> (f64, Option<super::units::Scale>) {
    let first = chart.figures().first().map(|&f| &book.figures[f]);
    match first.and_then(|f| f.scale) {
        Some(s) => (s.factor(), Some(s)),
        None => (1.0, None),
    }
}

fn axis_title(book: &Book, chart: &Chart) -> String {
    let unit = chart.unit.as_deref().and_then(|u| book.units.get(u));
    let (_, scale) = axis_scale(book, chart);
    let u = unit_header(unit, scale, &book.locale).replace('\u{a0}', " ");
    match (&chart.y_label, u.is_empty()) {
        (Some(l), false) => format!("{l} ({u})"),
        (Some(l), true) => l.clone(),
        (None, false) => u,
        (None, true) => String::new(),
    }
}

fn value_label(book: &Book, f: usize) -> String {
    book.format(&book.figures[f], Style::Short)
}

/// Horizontal value axis with gridlines, from `x0` to `x1`, under the plot.
fn hgrid(
    out: &mut String,
    book: &Book,
    ticks: &[f64],
    x: &dyn Fn(f64) -> f64,
    top: f64,
    bottom: f64,
) {
    let d = tick_decimals(ticks);
    for &t in ticks {
        let xt = x(t);
        segment(out, "c-grid", (xt, top), (xt, bottom));
        text(
            out,
            xt,
            bottom + 16.0,
            "middle",
            "c-tick",
            &super::format::number(t, d, false, &book.locale),
        );
    }
}

/// Row labels on the left of a horizontal chart: the width they take (at
/// most `max`) and each label wrapped to it.
fn row_labels(chart: &Chart, max: f64) -> (f64, Vec<Vec<String>>) {
    let widest = chart
        .categories
        .iter()
        .map(|c| text_width(c, FONT))
        .fold(0.0, f64::max);
    // Estimated widths run short for digits and capitals: room to spare, so
    // that a label never runs off the left edge.
    let width = max.min(widest * 1.12 + 8.0);
    let wrapped = chart
        .categories
        .iter()
        .map(|c| wrap(c, width - 8.0, FONT))
        .collect();
    (width, wrapped)
}

fn hbar(book: &Book, chart: &Chart) -> Svg {
    let figs = &chart.series[0].1;
    let (k, _) = axis_scale(book, chart);
    let unit = chart.unit.as_deref();
    let (label_w, wrapped) = row_labels(chart, W * 0.38);
    let row = wrapped.iter().map(|w| w.len()).max().unwrap_or(1).max(1) as f64 * FONT * 1.2 + 18.0;
    let values: Vec<(f64, f64)> = figs.iter().map(|&f| ends(book, f, unit, k)).collect();
    let max = values.iter().map(|v| v.1).fold(0.0, f64::max);
    let ts = ticks(0.0, max);
    let top = 12.0;
    let x0 = label_w + 4.0;
    let longest_value = figs
        .iter()
        .map(|&f| text_width(&value_label(book, f), FONT))
        .fold(0.0, f64::max);
    let x1 = W - longest_value - 12.0;
    let tmax = *ts.last().unwrap_or(&1.0);
    let x = |v: f64| x0 + (x1 - x0) * (v / tmax);
    let bottom = top + row * figs.len() as f64;
    let mut out = String::new();
    hgrid(&mut out, book, &ts, &x, top, bottom);
    for (i, &f) in figs.iter().enumerate() {
        let y = top + row * i as f64;
        let (lo, hi) = values[i];
        let bar_h = row - 14.0;
        let class = format!("c-bar c-s1{}", pattern(&book.figures[f]));
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            n(x0),
            n(y + 7.0),
            n((x(hi) - x0).max(1.0)),
            n(bar_h)
        );
        if lo != hi {
            let _ = write!(
                out,
                "<rect class=\"c-range\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                n(x(lo)),
                n(y + 7.0),
                n(x(hi) - x(lo)),
                n(bar_h)
            );
        }
        let lines_y = y + row / 2.0 + FONT * 0.35 - (wrapped[i].len() as f64 - 1.0) * FONT * 0.6;
        lines(&mut out, x0 - 8.0, lines_y, "end", "c-cat", &wrapped[i]);
        text(
            &mut out,
            x(hi) + 6.0,
            y + row / 2.0 + FONT * 0.35,
            "start",
            "c-value",
            &value_label(book, f),
        );
    }
    segment(&mut out, "c-axis", (x0, top), (x0, bottom));
    let height = bottom + 24.0 + bottom_title(&mut out, book, chart, x0, x1, bottom);
    Svg { body: out, height }
}

/// Vertical bars, single or grouped.
fn vbar(book: &Book, chart: &Chart) -> Svg {
    let (k, _) = axis_scale(book, chart);
    let unit = chart.unit.as_deref();
    let nseries = chart.series.len();
    let ncat = chart.categories.len().max(1);
    let all: Vec<(f64, f64)> = chart
        .series
        .iter()
        .flat_map(|(_, s)| s.iter().map(|&f| ends(book, f, unit, k)))
        .collect();
    let max = all.iter().map(|v| v.1).fold(0.0, f64::max);
    let ts = ticks(0.0, max);
    let tmax = *ts.last().unwrap_or(&1.0);
    let d = tick_decimals(&ts);
    let tick_w = ts
        .iter()
        .map(|t| text_width(&super::format::number(*t, d, false, &book.locale), FONT))
        .fold(0.0, f64::max);
    let x0 = tick_w + 14.0;
    let x1 = W - 8.0;
    let legend_h = if nseries > 1 { 26.0 } else { 0.0 };
    let top = 14.0 + legend_h + FONT;
    let plot_h = 220.0;
    let bottom = top + plot_h;
    let y = |v: f64| bottom - plot_h * (v / tmax);
    let band = (x1 - x0) / ncat as f64;
    let cat_lines: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|c| wrap(c, band - 6.0, FONT))
        .collect();
    let mut out = String::new();
    if nseries > 1 {
        let mut lx = x0;
        for (si, (name, _)) in chart.series.iter().enumerate() {
            let _ = write!(
                out,
                "<rect class=\"c-bar c-s{}\" x=\"{}\" y=\"4\" width=\"14\" height=\"14\"/>",
                si + 1,
                n(lx)
            );
            text(&mut out, lx + 20.0, 16.0, "start", "c-legend", name);
            lx += 20.0 + text_width(name, FONT) + 18.0;
        }
    }
    vgrid(&mut out, book, &ts, &y, x0, x1);
    let gap = band * 0.2;
    let bar_w = (band - gap) / nseries as f64;
    for (ci, lines_) in cat_lines.iter().enumerate() {
        for (si, (_, s)) in chart.series.iter().enumerate() {
            let Some(&f) = s.get(ci) else { continue };
            let (lo, hi) = ends(book, f, unit, k);
            let bx = x0 + band * ci as f64 + gap / 2.0 + bar_w * si as f64;
            let class = format!("c-bar c-s{}{}", si + 1, pattern(&book.figures[f]));
            let _ = write!(
                out,
                "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                n(bx + 1.0),
                n(y(hi)),
                n(bar_w - 2.0),
                n((bottom - y(hi)).max(1.0))
            );
            if lo != hi {
                let _ = write!(
                    out,
                    "<rect class=\"c-range\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    n(bx + 1.0),
                    n(y(hi)),
                    n(bar_w - 2.0),
                    n(y(lo) - y(hi))
                );
            }
            text(
                &mut out,
                bx + bar_w / 2.0,
                y(hi) - 5.0,
                "middle",
                "c-value",
                &value_label(book, f),
            );
        }
        lines(
            &mut out,
            x0 + band * (ci as f64 + 0.5),
            bottom + 18.0,
            "middle",
            "c-cat",
            lines_,
        );
    }
    segment(&mut out, "c-axis", (x0, bottom), (x1, bottom));
    let max_lines = cat_lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let mut height = bottom + 18.0 + max_lines * FONT * 1.2 + 6.0;
    let title = axis_title(book, chart);
    if !title.is_empty() {
        text(
            &mut out,
            x0,
            legend_h + 12.0,
            "start",
            "c-axis-title",
            &title,
        );
    }
    if let Some(xl) = &chart.x_label {
        text(
            &mut out,
            (x0 + x1) / 2.0,
            height + 8.0,
            "middle",
            "c-axis-title",
            xl,
        );
        height += 20.0;
    }
    Svg { body: out, height }
}

fn line(book: &Book, chart: &Chart) -> Svg {
    let (k, _) = axis_scale(book, chart);
    let unit = chart.unit.as_deref();
    let figs = &chart.series[0].1;
    let vals: Vec<f64> = figs
        .iter()
        .map(|&f| ends(book, f, unit, k))
        .map(|(lo, hi)| (lo + hi) / 2.0)
        .collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min).min(0.0);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ts = ticks(lo, hi);
    let (tmin, tmax) = (ts[0], *ts.last().unwrap_or(&1.0));
    let d = tick_decimals(&ts);
    let tick_w = ts
        .iter()
        .map(|t| text_width(&super::format::number(*t, d, false, &book.locale), FONT))
        .fold(0.0, f64::max);
    let x0 = tick_w + 14.0;
    let x1 = W - 40.0;
    let top = 14.0 + FONT;
    let plot_h = 220.0;
    let bottom = top + plot_h;
    let y = |v: f64| bottom - plot_h * ((v - tmin) / (tmax - tmin));
    // Inset the first and last points so that their labels fit.
    let pad = figs
        .iter()
        .map(|&f| text_width(&value_label(book, f), FONT))
        .chain(chart.categories.iter().map(|c| text_width(c, FONT)))
        .fold(0.0, f64::max)
        / 2.0
        + 6.0;
    let (px0, px1) = (x0 + pad, x1 - pad);
    let step = (px1 - px0) / (figs.len().max(2) - 1) as f64;
    let x = |i: usize| px0 + step * i as f64;
    let mut out = String::new();
    vgrid(&mut out, book, &ts, &y, x0, x1);
    let points: Vec<String> = vals
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{},{}", n(x(i)), n(y(*v))))
        .collect();
    let _ = write!(
        out,
        "<polyline class=\"c-line c-s1\" points=\"{}\"/>",
        points.join(" ")
    );
    let cat_lines: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|c| wrap(c, step.max(60.0) - 6.0, FONT))
        .collect();
    for (i, &f) in figs.iter().enumerate() {
        let class = format!("c-dot c-s1{}", pattern(&book.figures[f]));
        let _ = write!(
            out,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"5\"/>",
            n(x(i)),
            n(y(vals[i]))
        );
        text(
            &mut out,
            x(i),
            y(vals[i]) - 10.0,
            "middle",
            "c-value",
            &value_label(book, f),
        );
        lines(
            &mut out,
            x(i),
            bottom + 18.0,
            "middle",
            "c-cat",
            &cat_lines[i],
        );
    }
    segment(&mut out, "c-axis", (x0, bottom), (x1, bottom));
    let title = axis_title(book, chart);
    if !title.is_empty() {
        text(&mut out, x0, 12.0, "start", "c-axis-title", &title);
    }
    let max_lines = cat_lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
    Svg {
        body: out,
        height: bottom + 18.0 + max_lines * FONT * 1.2 + 6.0,
    }
}

fn dumbbell(book: &Book, chart: &Chart) -> Svg {
    let (k, _) = axis_scale(book, chart);
    let unit = chart.unit.as_deref();
    let (from, to) = (&chart.series[0].1, &chart.series[1].1);
    let (label_w, wrapped) = row_labels(chart, W * 0.3);
    let max = from
        .iter()
        .chain(to)
        .map(|&f| ends(book, f, unit, k).1)
        .fold(0.0, f64::max);
    let ts = ticks(0.0, max);
    let tmax = *ts.last().unwrap_or(&1.0);
    let legend_h = 26.0;
    let top = legend_h + 8.0;
    let row = 46.0;
    let x0 = label_w + 4.0;
    // Room on the right for the larger value's label.
    let widest = from
        .iter()
        .chain(to)
        .map(|&f| text_width(&value_label(book, f), FONT))
        .fold(0.0, f64::max);
    let x1 = W - widest - 20.0;
    let x = |v: f64| x0 + (x1 - x0) * (v / tmax);
    let bottom = top + row * from.len() as f64;
    let mut out = String::new();
    // Legend: shape and words, not colour alone.
    let _ = write!(
        out,
        "<circle class=\"c-dot c-from\" cx=\"{}\" cy=\"11\" r=\"6\"/>",
        n(x0 + 6.0)
    );
    text(
        &mut out,
        x0 + 18.0,
        15.0,
        "start",
        "c-legend",
        &chart.series[0].0,
    );
    let lx = x0 + 18.0 + text_width(&chart.series[0].0, FONT) + 24.0;
    let _ = write!(
        out,
        "<circle class=\"c-dot c-to\" cx=\"{}\" cy=\"11\" r=\"6\"/>",
        n(lx)
    );
    text(
        &mut out,
        lx + 12.0,
        15.0,
        "start",
        "c-legend",
        &chart.series[1].0,
    );
    hgrid(&mut out, book, &ts, &x, top, bottom);
    for i in 0..from.len() {
        let yc = top + row * i as f64 + row / 2.0;
        let (a, b) = (ends(book, from[i], unit, k), ends(book, to[i], unit, k));
        let (am, bm) = ((a.0 + a.1) / 2.0, (b.0 + b.1) / 2.0);
        segment(&mut out, "c-link", (x(am), yc), (x(bm), yc));
        for (e, class, f) in [(a, "c-from", from[i]), (b, "c-to", to[i])] {
            if e.0 != e.1 {
                let _ = write!(
                    out,
                    "<rect class=\"c-band {class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\" rx=\"6\"/>",
                    n(x(e.0) - 6.0),
                    n(yc - 6.0),
                    n(x(e.1) - x(e.0) + 12.0)
                );
            } else {
                let _ = write!(
                    out,
                    "<circle class=\"c-dot {class}{}\" cx=\"{}\" cy=\"{}\" r=\"6\"/>",
                    pattern(&book.figures[f]),
                    n(x(e.0)),
                    n(yc)
                );
            }
        }
        // Values above their ends; when the two would touch, the smaller one
        // goes below, so labels never overlap each other or the row label.
        let (left, right) = if am <= bm {
            ((a, from[i]), (b, to[i]))
        } else {
            ((b, to[i]), (a, from[i]))
        };
        let (lt, rt) = (value_label(book, left.1), value_label(book, right.1));
        let (lw, rw) = (text_width(&lt, FONT), text_width(&rt, FONT));
        let lc = ((x(left.0.0) + x(left.0.1)) / 2.0).max(x0 + lw / 2.0);
        let rc = ((x(right.0.0) + x(right.0.1)) / 2.0).min(W - rw / 2.0 - 2.0);
        let clash = lc + lw / 2.0 + 6.0 > rc - rw / 2.0;
        text(
            &mut out,
            lc,
            if clash { yc + 21.0 } else { yc - 11.0 },
            "middle",
            "c-value",
            &lt,
        );
        text(&mut out, rc, yc - 11.0, "middle", "c-value", &rt);
        let ly = yc + FONT * 0.35 - (wrapped[i].len() as f64 - 1.0) * FONT * 0.6;
        lines(&mut out, x0 - 8.0, ly, "end", "c-cat", &wrapped[i]);
    }
    let height = bottom + 24.0 + bottom_title(&mut out, book, chart, x0, x1, bottom);
    Svg { body: out, height }
}

fn share(book: &Book, chart: &Chart) -> Svg {
    let (k, _) = axis_scale(book, chart);
    let unit = chart.unit.as_deref();
    let (part, total) = (chart.series[0].1[0], chart.series[1].1[0]);
    let p = ends(book, part, unit, k).1;
    let t = ends(book, total, unit, k).1.max(f64::MIN_POSITIVE);
    let (x0, x1) = (8.0, W - 8.0);
    let top = 30.0;
    let h = 40.0;
    let xp = x0 + (x1 - x0) * (p / t).clamp(0.0, 1.0);
    let mut out = String::new();
    let part_label = format!("{}: {}", chart.series[0].0, value_label(book, part));
    let total_label = format!("{}: {}", chart.series[1].0, value_label(book, total));
    text(&mut out, x0, 20.0, "start", "c-legend", &part_label);
    text(&mut out, x1, 20.0, "end", "c-legend", &total_label);
    let _ = write!(
        out,
        "<rect class=\"c-bar c-rest{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        pattern(&book.figures[total]),
        n(x0),
        n(top),
        n(x1 - x0),
        n(h)
    );
    let _ = write!(
        out,
        "<rect class=\"c-bar c-s1{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        pattern(&book.figures[part]),
        n(x0),
        n(top),
        n(xp - x0),
        n(h)
    );
    let pct = super::format::number(100.0 * p / t, 1, false, &book.locale);
    text(
        &mut out,
        x0 + 8.0,
        top + h / 2.0 + FONT * 0.35,
        "start",
        "c-inside",
        &format!("{pct}\u{a0}%"),
    );
    Svg {
        body: out,
        height: top + h + 12.0,
    }
}

/// A short description of what the chart shows and its key values, for
/// `<desc>` (what a screen reader announces after the title).
pub fn describe(book: &Book, chart: &Chart) -> String {
    let prose = |f: usize| {
        book.format(&book.figures[f], Style::Prose)
            .replace('\u{a0}', " ")
    };
    let mut parts: Vec<String> = Vec::new();
    match chart.kind {
        Kind::Bar | Kind::HBar | Kind::Line => {
            for (c, &f) in chart.categories.iter().zip(&chart.series[0].1) {
                parts.push(format!("{c}: {}", prose(f)));
            }
        }
        Kind::Grouped => {
            for (ci, c) in chart.categories.iter().enumerate() {
                let vals: Vec<String> = chart
                    .series
                    .iter()
                    .filter_map(|(name, s)| s.get(ci).map(|&f| format!("{name} {}", prose(f))))
                    .collect();
                parts.push(format!("{c}: {}", vals.join(", ")));
            }
        }
        Kind::Dumbbell => {
            for (i, c) in chart.categories.iter().enumerate() {
                parts.push(format!(
                    "{c}: from {} to {}",
                    prose(chart.series[0].1[i]),
                    prose(chart.series[1].1[i])
                ));
            }
        }
        Kind::Share => {
            let (p, t) = (chart.series[0].1[0], chart.series[1].1[0]);
            let unit = chart.unit.as_deref();
            let (k, _) = axis_scale(book, chart);
            let ratio = ends(book, p, unit, k).1 / ends(book, t, unit, k).1.max(f64::MIN_POSITIVE);
            parts.push(format!(
                "{} of {} ({} %)",
                prose(p),
                prose(t),
                super::format::number(ratio * 100.0, 1, false, &book.locale)
            ));
        }
    }
    // The title is announced just before: the description says what kind of
    // chart it is and its values.
    format!("{}. {}.", chart.kind.noun(), parts.join("; "))
}

fn draw(book: &Book, chart: &Chart) -> Svg {
    match chart.kind {
        Kind::HBar => hbar(book, chart),
        Kind::Bar | Kind::Grouped => vbar(book, chart),
        Kind::Line => line(book, chart),
        Kind::Dumbbell => dumbbell(book, chart),
        Kind::Share => share(book, chart),
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

/// The theme's chart styles (its colour variables, light and dark, and the
/// chart rules), cut from the stylesheet so that there is one copy of them.
fn chart_styles() -> String {
    let css = crate::theme::ASSETS
        .iter()
        .find(|(name, _)| *name == "style.css")
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_default();
    let between = |start: &str, end: &str| -> String {
        let from = css.find(start).map_or(css.len(), |i| i + start.len());
        let to = css[from..].find(end).map_or(css.len(), |i| from + i);
        css[from..to].trim().to_string()
    };
    format!(
        "{}\n{}",
        between("/* standalone: variables */", "/* standalone: end */"),
        between("/* standalone: chart rules */", "/* standalone: end */")
    )
    .replace(":root", "svg")
}

/// The chart as a standalone SVG file (`briefing chart`): the same drawing
/// as on a page, with its title above, its source below, a background and
/// the theme's colours (light and dark) embedded, for slides, documents and
/// READMEs.
pub fn standalone(book: &Book, chart: &Chart) -> String {
    let svg = draw(book, chart);
    let top = 30.0;
    let sources: Vec<String> = chart_sources(book, chart)
        .iter()
        .map(|&s| {
            let src = &book.sources[s];
            [
                src.author.as_str(),
                src.title.as_str(),
                src.publisher.as_str(),
            ]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
                + &format!(", {}", html::human_date(&src.date))
        })
        .collect();
    let mut foot = format!(
        "{}: {}",
        if sources.len() > 1 {
            "Sources"
        } else {
            "Source"
        },
        sources.join("; ")
    );
    if let Some(note) = &chart.note {
        foot.push_str(&format!(". {note}"));
    }
    let heading = wrap(&chart.title, W - 16.0, 15.0 * 1.05);
    let foot = wrap(&foot, W - 16.0, 11.0);
    let top = top + 19.0 * (heading.len() as f64 - 1.0);
    let height = (top + svg.height + 8.0 + 14.0 * foot.len() as f64).ceil();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"title desc\">\n<title id=\"title\">{title}</title>\n<desc id=\"desc\">{desc}</desc>\n<style>\nsvg {{ font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, Arial, sans-serif; font-size: 13px; }}\n{css}\n.c-background {{ fill: var(--bg); }}\n.c-heading {{ font-weight: 700; font-size: 15px; }}\n.c-foot {{ fill: var(--muted); font-size: 11px; }}\n</style>\n<rect class=\"c-background\" width=\"100%\" height=\"100%\"/>\n",
        w = n(W),
        h = n(height),
        title = escape(&chart.title),
        desc = escape(&describe(book, chart)),
        css = chart_styles(),
    );
    for (i, l) in heading.iter().enumerate() {
        text(
            &mut out,
            8.0,
            20.0 + 19.0 * i as f64,
            "start",
            "c-heading",
            l,
        );
    }
    let _ = write!(
        out,
        "<g transform=\"translate(0 {})\">\n{}\n</g>\n",
        n(top),
        svg.body
    );
    for (i, l) in foot.iter().enumerate() {
        let y = top + svg.height + 12.0 + 14.0 * i as f64;
        text(&mut out, 8.0, y, "start", "c-foot", l);
    }
    out.push_str("</svg>\n");
    out
}

/// The chart as a figure: SVG with title and description, then its source,
/// note, and links to the table and the data.
pub fn html(book: &Book, chart: &Chart, links: &Links<'_>) -> String {
    let svg = draw(book, chart);
    let id = escape(&chart.id);
    let mut h = String::new();
    let _ = write!(
        h,
        "<figure class=\"chart\" id=\"chart-{id}\">\n<svg class=\"chart-svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"chart-{id}-title chart-{id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"chart-{id}-title\">{}</title>\n<desc id=\"chart-{id}-desc\">{}</desc>\n{}\n</svg>\n<figcaption class=\"chart-caption\"><span class=\"chart-title\">{}</span>",
        n(W),
        n(svg.height.ceil()),
        escape(&chart.title),
        escape(&describe(book, chart)),
        svg.body,
        escape(&chart.title)
    );
    let sources = chart_sources(book, chart);
    h.push_str(if sources.len() > 1 {
        " Sources: "
    } else {
        " Source: "
    });
    let cites: Vec<String> = sources
        .iter()
        .map(|&s| html::source_citation(book, s, links))
        .collect();
    h.push_str(&cites.join("; "));
    h.push('.');
    let statuses: Vec<Status> = chart
        .figures()
        .iter()
        .map(|&f| book.figures[f].status)
        .collect();
    if statuses
        .iter()
        .any(|s| matches!(s, Status::Planned | Status::Target))
    {
        h.push_str(" Dashed outline: planned or target values.");
    }
    if statuses.contains(&Status::Derived) {
        h.push_str(" Dotted outline: values implied by other figures.");
    }
    if let Some(note) = &chart.note {
        let _ = write!(h, " {}", escape(note));
    }
    h.push_str(" <span class=\"downloads\">");
    if let Some(t) = chart.table {
        let table = &book.tables[t];
        let _ = write!(
            h,
            "The figures as a table: <a href=\"#table-{}\">{}</a>. ",
            escape(&table.id),
            escape(&table.caption)
        );
    }
    let csv = crate::urls::relative(links.page_dir, &csv_path(chart));
    let _ = write!(
        h,
        "Download the data: <a href=\"{}\" download>CSV</a></span></figcaption>\n</figure>\n",
        escape(&csv)
    );
    h
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
            label: chart.x_label.clone().unwrap_or_else(|| "Category".into()),
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
            assert!(svg.contains(&format!("<title id=\"chart-{}-title\">", chart.id)));
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            insta::assert_snapshot!(format!("chart-{}", chart.id), svg);
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
        let body = &draw(&book, chart).body;
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
        assert!(d.contains("5 GW of 7 GW (71.4 %)"), "{d}");
    }

    #[test]
    fn labels_wrap_to_a_width() {
        let w = wrap(
            "Middle Corridor freight in the first nine months of 2023",
            120.0,
            13.0,
        );
        assert!(w.len() > 1);
        assert!(
            w.iter()
                .all(|l| text_width(l, 13.0) <= 120.0 || !l.contains(' '))
        );
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
