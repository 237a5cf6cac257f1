//! Line charts: one series over ordered categories (usually periods).
//!
//! With many points, category labels are thinned to every second, third …
//! one so that they never touch, and value labels are placed where they
//! fit, most telling first (the last point, the first, the highest and the
//! lowest), above the point or below it; the rest are left to the table
//! and the chart's description.

use super::axis::{Axis, axis_scale, axis_title, ends, value_label};
use super::bars::finish;
use super::scene::{Anchor, FONT, Item, Label, SMALL, Scene};
use super::text;
use super::{Chart, pattern};
use crate::figures::Book;

/// Draws a line chart `width` px wide.
pub fn draw(book: &Book, chart: &Chart, width: f64) -> Scene {
    let (k, _) = axis_scale(book, chart);
    let unit = chart.unit.as_deref();
    let figs = &chart.series[0].1;
    let vals: Vec<f64> = figs
        .iter()
        .map(|&f| ends(book, f, unit, k))
        .map(|(lo, hi)| (lo + hi) / 2.0)
        .collect();
    let lo = vals.iter().copied().fold(0.0, f64::min);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let axis = Axis::from_zero(lo, hi.max(lo));
    let mut scene = Scene::new(width);
    let title = axis_title(book, chart);
    if !title.is_empty() {
        let title = text::shorten(&title, width - 4.0, SMALL, false);
        scene.label(Label::new(
            2.0,
            SMALL,
            Anchor::Start,
            "c-axis-title",
            &title,
        ));
    }
    let labels: Vec<String> = figs.iter().map(|&f| value_label(book, f)).collect();
    let (top, plot_h) = (FONT + 26.0, 200.0);
    let bottom = top + plot_h;
    let y = |v: f64| bottom - plot_h * axis.frac(v);
    let x0 = value_axis(&mut scene, book, &axis, &y, lo < 0.0);
    // Inset the first and last points so that their labels fit.
    let edge = |i: usize| {
        let v = labels.get(i).map_or(0.0, |l| text::width(l, FONT, true));
        let c = chart
            .categories
            .get(i)
            .map_or(0.0, |c| text::width(c, FONT, false).min(120.0));
        v.max(c) / 2.0 + 4.0
    };
    let (px0, px1) = (x0 + edge(0), width - edge(figs.len().saturating_sub(1)));
    let step = (px1 - px0) / (figs.len().max(2) - 1) as f64;
    let x = |i: usize| {
        if figs.len() == 1 {
            (px0 + px1) / 2.0
        } else {
            px0 + step * i as f64
        }
    };
    let points: Vec<(f64, f64)> = vals
        .iter()
        .enumerate()
        .map(|(i, v)| (x(i), y(*v)))
        .collect();
    scene.items.push(Item::Polyline {
        class: "c-line c-s1",
        points: points.clone(),
    });
    for (i, &f) in figs.iter().enumerate() {
        let class = format!("c-dot c-s1{}", pattern(&book.figures[f]));
        scene.circle(class, points[i], 4.5);
    }
    scene.line("c-axis", (x0, bottom), (width - 2.0, bottom));
    categories(&mut scene, chart, &x, bottom, step);
    for i in label_order(&vals) {
        let (px, py) = points[i];
        scene.place([
            Label::new(px, py - 9.0, Anchor::Middle, "c-value", &labels[i]),
            Label::new(px, py + FONT + 6.0, Anchor::Middle, "c-value", &labels[i]),
        ]);
    }
    finish(&mut scene, chart, width);
    scene
}

/// Gridlines and tick labels of a vertical value axis on the left (and the
/// zero line when values go below it); returns where the plot starts.
fn value_axis(
    scene: &mut Scene,
    book: &Book,
    axis: &Axis,
    y: &dyn Fn(f64) -> f64,
    zero_line: bool,
) -> f64 {
    let ticks = axis.labels(book);
    let tick_w = ticks
        .iter()
        .map(|(_, l)| text::width(l, SMALL, false))
        .fold(0.0, f64::max);
    let (x0, x1) = (tick_w + 10.0, scene.width - 2.0);
    for (t, l) in &ticks {
        scene.line("c-grid", (x0, y(*t)), (x1, y(*t)));
        let tick = Label::new(x0 - 6.0, y(*t) + SMALL * 0.35, Anchor::End, "c-tick", l);
        scene.label(tick);
    }
    if zero_line {
        scene.line("c-axis", (x0, y(0.0)), (x1, y(0.0)));
    }
    x0
}

/// Category labels under the points: every one if they fit, else every
/// second, third … one.
fn categories(scene: &mut Scene, chart: &Chart, x: &dyn Fn(usize) -> f64, bottom: f64, step: f64) {
    let n = chart.categories.len();
    for every in 1..=n.max(1) {
        // Thinned rather than cut: a label is shortened only past 140 px.
        let max = (step * every as f64 - 6.0).min(140.0);
        let wanted: Vec<(usize, String)> = (0..n)
            .filter(|i| i % every == 0)
            .map(|i| (i, text::shorten(&chart.categories[i], 140.0, FONT, false)))
            .collect();
        let last = every == n.max(1);
        if !last
            && wanted
                .iter()
                .any(|(_, c)| text::width(c, FONT, false) > max)
        {
            continue;
        }
        let labels: Vec<Label> = wanted
            .iter()
            .map(|(i, c)| {
                let c = text::shorten(c, max.max(24.0), FONT, false);
                Label::new(x(*i), bottom + 18.0, Anchor::Middle, "c-cat", &c)
            })
            .collect();
        let clear = labels
            .windows(2)
            .all(|w| !w[0].bounds().overlaps(&w[1].bounds(), 6.0))
            && labels.iter().all(|l| scene.fits(l));
        if clear || last {
            for l in labels {
                scene.place([l]);
            }
            return;
        }
    }
}

/// The order in which value labels are placed: last, first, highest,
/// lowest, then the rest from the end.
fn label_order(vals: &[f64]) -> Vec<usize> {
    let n = vals.len();
    if n == 0 {
        return Vec::new();
    }
    let argmax = (0..n).fold(0, |m, i| if vals[i] > vals[m] { i } else { m });
    let argmin = (0..n).fold(0, |m, i| if vals[i] < vals[m] { i } else { m });
    let mut order = vec![n - 1, 0, argmax, argmin];
    order.extend((0..n).rev());
    let mut seen = vec![false; n];
    order.retain(|&i| !std::mem::replace(&mut seen[i], true));
    order
}
