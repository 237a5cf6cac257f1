//! Dumbbell charts: each row a change from one value (or range) to another.
//!
//! The "from" and "to" marks sit in lanes of their own, just above and just
//! below the row's line, so two ranges that touch or overlap stay two
//! shapes. Planned and target values are hollow, whether points or ranges:
//! one style for one meaning. Value labels go above their mark, or below it
//! when they would touch the other label; a label that fits nowhere is left
//! to the table and the description.

use super::axis::{Axis, axis_scale, axis_title, ends, value_label};
use super::bars::{finish, ticks_below, under};
use super::scene::{Anchor, FONT, LEADING, Label, Scene};
use super::text::{self, wrap};
use super::{Chart, pattern};
use crate::figures::Book;

/// Half the height of a lane.
const LANE: f64 = 5.0;

/// Draws a dumbbell chart `width` px wide.
pub fn draw(book: &Book, chart: &Chart, width: f64) -> Scene {
    let (k, _) = axis_scale(book, chart);
    let unit = chart.unit.as_deref();
    let (from, to) = (&chart.series[0].1, &chart.series[1].1);
    let all: Vec<(f64, f64)> = from
        .iter()
        .chain(to)
        .map(|&f| ends(book, f, unit, k))
        .collect();
    let axis = Axis::from_zero(
        all.iter().map(|e| e.0).fold(0.0, f64::min),
        all.iter().map(|e| e.1).fold(0.0, f64::max),
    );
    let half_label = from
        .iter()
        .chain(to)
        .map(|&f| text::width(&value_label(book, f), FONT, true) / 2.0)
        .fold(0.0, f64::max);
    let label_w = text::label_column(&chart.categories, width, 0.35, 14.0 + 2.0 * half_label);
    let cats: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|c| wrap(c, label_w, FONT, 3))
        .collect();
    let mut scene = Scene::new(width);
    let top = legend(&mut scene, chart, width);
    let x0 = label_w + 10.0;
    let margin = if 2.0 * half_label > width * 0.4 {
        8.0
    } else {
        half_label.max(6.0) + 2.0
    };
    let (px0, px1) = (x0 + margin, width - margin);
    let x = |v: f64| px0 + (px1 - px0) * axis.frac(v);
    let heights: Vec<f64> = cats
        .iter()
        .map(|l| (l.len() as f64 * FONT * LEADING).max(2.0 * (FONT + 2.0) + 4.0 * LANE) + 14.0)
        .collect();
    let bottom = top + heights.iter().sum::<f64>();
    let ticks = axis.labels(book);
    for (t, _) in &ticks {
        scene.line("c-grid", (x(*t), top), (x(*t), bottom));
    }
    let mut centres = Vec::new();
    let mut yc = top;
    for (i, h) in heights.iter().enumerate() {
        let c = yc + h / 2.0;
        let ly = c + FONT * 0.35 - (cats[i].len() as f64 - 1.0) * FONT * LEADING / 2.0;
        scene.label(Label::lines(
            label_w + 4.0,
            ly,
            Anchor::End,
            "c-cat",
            cats[i].clone(),
        ));
        centres.push(c);
        yc += h;
    }
    for (i, &c) in centres.iter().enumerate() {
        row(
            &mut scene,
            book,
            (from[i], to[i]),
            (all[i], all[from.len() + i]),
            c,
            &x,
        );
    }
    ticks_below(&mut scene, &ticks, &x, bottom);
    under(&mut scene, &axis_title(book, chart), (px0 + px1) / 2.0);
    finish(&mut scene, chart, width);
    scene
}

/// One row: the link, the two marks in their lanes, and their labels.
fn row(
    scene: &mut Scene,
    book: &Book,
    (f_from, f_to): (usize, usize),
    (a, b): ((f64, f64), (f64, f64)),
    c: f64,
    x: &dyn Fn(f64) -> f64,
) {
    let (am, bm) = ((a.0 + a.1) / 2.0, (b.0 + b.1) / 2.0);
    scene.line("c-link", (x(am), c), (x(bm), c));
    for (e, class, f, lane) in [(a, "c-from", f_from, -1.0), (b, "c-to", f_to, 1.0)] {
        let style = format!("{class}{}", pattern(&book.figures[f]));
        let ly = c + lane * LANE;
        if e.0 != e.1 {
            scene.rect(
                format!("c-band {style}"),
                (x(e.0), ly - LANE + 1.0),
                (x(e.1), ly + LANE - 1.0),
                LANE - 1.0,
            );
        } else {
            scene.circle(format!("c-dot {style}"), (x(e.0), ly), LANE + 0.5);
        }
    }
    let above = c - 2.0 * LANE - 5.0;
    let below = c + 2.0 * LANE + FONT + 1.0;
    // Each label beside its own lane: "from" above the row, "to" below it;
    // the other side when that is taken.
    let (to_label, from_label) = (value_label(book, f_to), value_label(book, f_from));
    scene.place([
        Label::new(x(am), above, Anchor::Middle, "c-value", &from_label),
        Label::new(x(am), below, Anchor::Middle, "c-value", &from_label),
    ]);
    scene.place([
        Label::new(x(bm), below, Anchor::Middle, "c-value", &to_label),
        Label::new(x(bm), above, Anchor::Middle, "c-value", &to_label),
    ]);
}

/// Shapes and words, not colour alone; returns the legend's height.
fn legend(scene: &mut Scene, chart: &Chart, width: f64) -> f64 {
    let (mut x, mut y) = (6.0, 10.0);
    for (class, name) in [("c-from", &chart.series[0].0), ("c-to", &chart.series[1].0)] {
        let name = text::shorten(name, width - 24.0, FONT, false);
        let w = 16.0 + text::width(&name, FONT, false) + 20.0;
        if x > 6.0 && x + w > width {
            x = 6.0;
            y += FONT * LEADING + 6.0;
        }
        scene.circle(format!("c-dot {class}"), (x, y), 5.5);
        scene.label(Label::new(
            x + 12.0,
            y + FONT * 0.35,
            Anchor::Start,
            "c-legend",
            &name,
        ));
        x += w;
    }
    y + FONT + 8.0
}
