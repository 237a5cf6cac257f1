//! Bar charts: vertical, horizontal and grouped, for any signs.
//!
//! Bars grow from a zero baseline inside the axis: negative values go below
//! (or left of) it, so a chart of losses, or of growth rates on both sides
//! of zero, shows every value. Vertical bars are drawn only when every
//! category label fits under its bar (wrapped to three lines at most) and
//! every value label above it; otherwise the same chart is drawn with
//! horizontal bars, whose labels have a column of their own and whose value
//! labels get room reserved at both ends of the axis.

use super::axis::{Axis, axis_scale, axis_title, ends, value_label};
use super::scene::{Anchor, FONT, LEADING, Label, SMALL, Scene};
use super::text::{self, wrap};
use super::{Chart, pattern};
use crate::figures::Book;

/// One bar: which figure, its series, and its ends on the axis.
struct Bar {
    figure: usize,
    series: usize,
    lo: f64,
    hi: f64,
    label: String,
}

impl Bar {
    /// The end the bar reaches from zero: the high end of a positive value,
    /// the low end of a negative one.
    fn end(&self) -> f64 {
        if self.hi > 0.0 || self.lo >= 0.0 {
            self.hi
        } else {
            self.lo
        }
    }
}

/// Every bar by category, in series order.
fn bars(book: &Book, chart: &Chart) -> Vec<Vec<Bar>> {
    let (k, _) = axis_scale(book, chart);
    let unit = chart.unit.as_deref();
    let ncat = chart.series.iter().map(|(_, s)| s.len()).max().unwrap_or(0);
    (0..ncat)
        .map(|ci| {
            chart
                .series
                .iter()
                .enumerate()
                .filter_map(|(si, (_, s))| {
                    let &f = s.get(ci)?;
                    let (lo, hi) = ends(book, f, unit, k);
                    Some(Bar {
                        figure: f,
                        series: si,
                        lo,
                        hi,
                        label: value_label(book, f),
                    })
                })
                .collect()
        })
        .collect()
}

fn axis_of(rows: &[Vec<Bar>]) -> Axis {
    let all = rows.iter().flatten();
    let lo = all.clone().map(|b| b.lo).fold(0.0, f64::min);
    let hi = all.map(|b| b.hi).fold(0.0, f64::max);
    Axis::from_zero(lo, hi)
}

fn bar_class(book: &Book, b: &Bar) -> String {
    format!(
        "c-bar c-s{}{}",
        b.series % 4 + 1,
        pattern(&book.figures[b.figure])
    )
}

/// The legend of a chart with several series, wrapped to `width`; returns
/// its height.
fn legend(scene: &mut Scene, chart: &Chart, width: f64) -> f64 {
    if chart.series.len() < 2 {
        return 0.0;
    }
    let (mut x, mut y) = (2.0, 4.0);
    for (si, (name, _)) in chart.series.iter().enumerate() {
        let name = text::shorten(name, width - 20.0, FONT, false);
        let w = 18.0 + text::width(&name, FONT, false) + 16.0;
        if x > 2.0 && x + w > width {
            x = 2.0;
            y += FONT * LEADING + 6.0;
        }
        scene.rect(
            format!("c-bar c-s{}", si % 4 + 1),
            (x + 1.0, y),
            (x + 13.0, y + 12.0),
            0.0,
        );
        scene.label(Label::new(
            x + 18.0,
            y + 11.0,
            Anchor::Start,
            "c-legend",
            &name,
        ));
        x += w;
    }
    y + FONT * LEADING + 8.0
}

/// A bar, vertical or horizontal, or grouped chart, in the orientation that
/// fits `width`.
pub fn draw(book: &Book, chart: &Chart, width: f64, horizontal: bool) -> Scene {
    let rows = bars(book, chart);
    if !horizontal && let Some(scene) = vertical(book, chart, &rows, width) {
        return scene;
    }
    horizontal_bars(book, chart, &rows, width)
}

/// Where vertical bars go: the value axis on the left, one band per
/// category, one slot per series within it.
struct Columns {
    axis: super::axis::Axis,
    ticks: Vec<(f64, String)>,
    x0: f64,
    x1: f64,
    band: f64,
    slot: f64,
    cats: Vec<Vec<String>>,
}

impl Columns {
    /// The layout, or `None` when a category label would have to be cut or
    /// a value label would be wider than its bar's share of the band.
    fn fit(book: &Book, chart: &Chart, rows: &[Vec<Bar>], width: f64) -> Option<Columns> {
        let nser = chart.series.len().max(1) as f64;
        let axis = axis_of(rows);
        let ticks = axis.labels(book);
        let tick_w = ticks
            .iter()
            .map(|(_, l)| text::width(l, SMALL, false))
            .fold(0.0, f64::max);
        let (x0, x1) = (tick_w + 10.0, width - 2.0);
        let band = (x1 - x0) / rows.len().max(1) as f64;
        let slot = band * 0.8 / nser;
        let widest_value = rows
            .iter()
            .flatten()
            .map(|b| text::width(&b.label, FONT, true))
            .fold(0.0, f64::max);
        if slot < 10.0 || widest_value > band / nser - 2.0 {
            return None;
        }
        let cats: Vec<Vec<String>> = chart
            .categories
            .iter()
            .map(|c| wrap(c, band - 4.0, FONT, 3))
            .collect();
        let whole = |c: &String, l: &Vec<String>| {
            l.join(" ") == c.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        if !chart.categories.iter().zip(&cats).all(|(c, l)| whole(c, l)) {
            return None;
        }
        Some(Columns {
            axis,
            ticks,
            x0,
            x1,
            band,
            slot,
            cats,
        })
    }

    /// The left edge of bar `b` of category `ci`.
    fn bar_x(&self, ci: usize, b: &Bar) -> f64 {
        self.x0 + self.band * ci as f64 + self.band * 0.1 + self.slot * b.series as f64
    }
}

/// Vertical bars, or `None` when a category or value label would not fit.
fn vertical(book: &Book, chart: &Chart, rows: &[Vec<Bar>], width: f64) -> Option<Scene> {
    let c = Columns::fit(book, chart, rows, width)?;
    let mut scene = Scene::new(width);
    let legend_h = legend(&mut scene, chart, width);
    let title = axis_title(book, chart);
    let top = legend_h + if title.is_empty() { 8.0 } else { FONT + 12.0 };
    if !title.is_empty() {
        let at = legend_h + SMALL;
        scene.label(Label::new(2.0, at, Anchor::Start, "c-axis-title", &title));
    }
    // Value labels sit above positive bars and below negative ones: room is
    // kept for them beyond the axis' ends.
    let room = FONT + 6.0;
    let plot_h = 200.0;
    let py1 = top + room + plot_h;
    let y = |v: f64| py1 - plot_h * c.axis.frac(v);
    for (t, label) in &c.ticks {
        scene.line("c-grid", (c.x0, y(*t)), (c.x1, y(*t)));
        let tick = Label::new(
            c.x0 - 6.0,
            y(*t) + SMALL * 0.35,
            Anchor::End,
            "c-tick",
            label,
        );
        scene.label(tick);
    }
    for (ci, row) in rows.iter().enumerate() {
        for b in row {
            let bx = c.bar_x(ci, b);
            let (left, right) = (bx + 1.0, bx + c.slot - 1.0);
            scene.rect(bar_class(book, b), (left, y(0.0)), (right, y(b.end())), 0.0);
            if b.lo != b.hi {
                scene.rect("c-range", (left, y(b.lo)), (right, y(b.hi)), 0.0);
            }
        }
    }
    scene.line("c-axis", (c.x0, y(0.0)), (c.x1, y(0.0)));
    let has_neg = rows.iter().flatten().any(|b| b.end() < 0.0);
    let bottom = py1 + if has_neg { room } else { 0.0 };
    for (ci, lines) in c.cats.iter().enumerate() {
        let cx = c.x0 + c.band * (ci as f64 + 0.5);
        let label = Label::lines(cx, bottom + 18.0, Anchor::Middle, "c-cat", lines.clone());
        scene.label(label);
    }
    for (ci, row) in rows.iter().enumerate() {
        for b in row {
            let cx = c.bar_x(ci, b) + c.slot / 2.0;
            let at = if b.end() < 0.0 {
                y(b.end()) + FONT + 2.0
            } else {
                y(b.end()) - 5.0
            };
            scene.place([Label::new(cx, at, Anchor::Middle, "c-value", &b.label)]);
        }
    }
    finish(&mut scene, chart, width);
    Some(scene)
}

/// The widths of a horizontal bar chart: the label column, and the room
/// kept on each side of the plot for value labels.
struct Widths {
    label: f64,
    neg_room: f64,
    pos_room: f64,
}

impl Widths {
    fn of(chart: &Chart, rows: &[Vec<Bar>], width: f64) -> Widths {
        let room = |neg: bool| {
            rows.iter()
                .flatten()
                .filter(|b| (b.end() < 0.0) == neg)
                .map(|b| text::width(&b.label, FONT, true) + 8.0)
                .fold(0.0, f64::max)
        };
        let (mut neg_room, mut pos_room) = (room(true), room(false));
        if neg_room + pos_room > width * 0.5 {
            // Value labels too wide to keep room for: they go where they
            // fit, or are left to the table and the description.
            (neg_room, pos_room) = (0.0, 0.0);
        }
        let reserved = 10.0 + neg_room + pos_room;
        let label = text::label_column(&chart.categories, width, 0.4, reserved);
        Widths {
            label,
            neg_room,
            pos_room,
        }
    }
}

/// Horizontal bars: a label column on the left, one row per category with a
/// bar per series, value labels at the bars' ends.
fn horizontal_bars(book: &Book, chart: &Chart, rows: &[Vec<Bar>], width: f64) -> Scene {
    let nser = chart.series.len().max(1) as f64;
    let axis = axis_of(rows);
    let w = Widths::of(chart, rows, width);
    let cats: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|c| wrap(c, w.label, FONT, 3))
        .collect();
    let mut scene = Scene::new(width);
    let top = legend(&mut scene, chart, width) + 4.0;
    let (px0, px1) = (w.label + 10.0 + w.neg_room, width - w.pos_room);
    let x = |v: f64| px0 + (px1 - px0) * axis.frac(v);
    let bar_h = if nser > 1.0 { 14.0 } else { 18.0 };
    let heights: Vec<f64> = cats
        .iter()
        .map(|l| (l.len() as f64 * FONT * LEADING).max(nser * (bar_h + 2.0)) + 12.0)
        .collect();
    let bottom = top + heights.iter().sum::<f64>();
    let ticks = axis.labels(book);
    for (t, _) in &ticks {
        scene.line("c-grid", (x(*t), top), (x(*t), bottom));
    }
    let mut y = top;
    let mut centres = Vec::new();
    for (ci, row) in rows.iter().enumerate() {
        let first = y + (heights[ci] - (nser * (bar_h + 2.0) - 2.0)) / 2.0;
        for b in row {
            let by = first + b.series as f64 * (bar_h + 2.0);
            scene.rect(
                bar_class(book, b),
                (x(0.0), by),
                (x(b.end()), by + bar_h),
                0.0,
            );
            if b.lo != b.hi {
                scene.rect("c-range", (x(b.lo), by), (x(b.hi), by + bar_h), 0.0);
            }
            centres.push((by + bar_h / 2.0, b));
        }
        let lines = cats[ci].len() as f64;
        let ly = y + heights[ci] / 2.0 + FONT * 0.35 - (lines - 1.0) * FONT * LEADING / 2.0;
        let label = Label::lines(w.label + 4.0, ly, Anchor::End, "c-cat", cats[ci].clone());
        scene.label(label);
        y += heights[ci];
    }
    scene.line("c-axis", (x(0.0), top), (x(0.0), bottom));
    for (cy, b) in centres {
        let (ex, base) = (x(b.end()), cy + FONT * 0.35);
        let outside = if b.end() < 0.0 {
            Label::new(ex - 4.0, base, Anchor::End, "c-value", &b.label)
        } else {
            Label::new(ex + 4.0, base, Anchor::Start, "c-value", &b.label)
        };
        scene.place([outside]);
    }
    ticks_below(&mut scene, &ticks, &x, bottom);
    under(&mut scene, &axis_title(book, chart), (px0 + px1) / 2.0);
    finish(&mut scene, chart, width);
    scene
}

/// A title centred at `x` under everything drawn, kept inside the width.
pub fn under(scene: &mut Scene, title: &str, x: f64) {
    if title.is_empty() {
        return;
    }
    let title = text::shorten(title, scene.width - 4.0, SMALL, false);
    let half = text::width(&title, SMALL, false) / 2.0;
    let x = x.clamp(half + 1.0, (scene.width - half - 1.0).max(half + 1.0));
    let b = scene.bottom();
    scene.label(Label::new(
        x,
        b + SMALL + 6.0,
        Anchor::Middle,
        "c-axis-title",
        &title,
    ));
}

/// Tick labels under a horizontal axis; every other one (or fewer) when
/// they would touch.
pub fn ticks_below(
    scene: &mut Scene,
    labels: &[(f64, String)],
    x: &dyn Fn(f64) -> f64,
    bottom: f64,
) {
    for every in 1..=labels.len().max(1) {
        let chosen: Vec<Label> = labels
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(_, (t, l))| Label::new(x(*t), bottom + 16.0, Anchor::Middle, "c-tick", l))
            .collect();
        let clear = chosen
            .windows(2)
            .all(|w| !w[0].bounds().overlaps(&w[1].bounds(), 4.0))
            && chosen.iter().all(|l| scene.fits(l));
        if clear || every == labels.len() {
            for l in chosen {
                scene.place([l]);
            }
            return;
        }
    }
}

/// The x-axis label under the plot, and the scene's height.
pub fn finish(scene: &mut Scene, chart: &Chart, width: f64) {
    if let Some(xl) = &chart.x_label {
        under(scene, xl, width / 2.0);
    }
    scene.height = (scene.bottom() + 4.0).ceil();
}
