//! Share charts: a part of a total, as one stacked bar.
//!
//! The share is computed, so it is written as an implied value ("≈") with
//! only the digits its inputs allow: "5" and "7" each stand for a range
//! (4.5–5.5, 6.5–7.5), so their share is anything from 60 to 85 %, and is
//! written "≈ 70 %", not "71.4 %". The builder refuses a negative part, a
//! total that is not positive, and a part larger than its total.

use super::Chart;
use super::axis::{axis_factor, value_label};
use super::bars::finish;
use super::pattern;
use super::scene::{Anchor, FONT, LEADING, Label, Scene};
use super::text::wrap;
use crate::figures::{Book, Figure};

/// The share of `part` in `total`, in percent: its nominal value and the
/// interval its inputs allow.
pub fn percent(book: &Book, chart: &Chart) -> (f64, f64, f64) {
    let (part, total) = (
        &book.figures[chart.series[0].1[0]],
        &book.figures[chart.series[1].1[0]],
    );
    let unit = chart.unit.as_deref();
    let bounds = |f: &Figure| {
        let k = axis_factor(book, f, unit).unwrap_or(1.0);
        f.value.ends().map_or((0.0, 0.0, 0.0), |(lo, hi)| {
            (
                lo.bounds.lo * k,
                (lo.nominal + hi.nominal) / 2.0 * k,
                hi.bounds.hi * k,
            )
        })
    };
    let (p_lo, p, p_hi) = bounds(part);
    let (t_lo, t, t_hi) = bounds(total);
    let pct = |a: f64, b: f64| if b > 0.0 { 100.0 * a / b } else { 0.0 };
    (pct(p_lo, t_hi), pct(p, t), pct(p_hi, t_lo).min(100.0))
}

/// The share written with the digits its inputs allow: rounded to the
/// largest power of ten no bigger than half the interval's width.
pub fn percent_text(book: &Book, chart: &Chart) -> String {
    let (lo, nominal, hi) = percent(book, chart);
    let half = ((hi - lo) / 2.0).max(1e-9);
    let step = 10f64.powf(half.log10().floor()).clamp(0.1, 10.0);
    let decimals = if step < 1.0 { 1 } else { 0 };
    let rounded = (nominal / step).round() * step;
    let number = crate::figures::format::number(rounded, decimals, false, &book.locale);
    format!(
        "{}\u{a0}{}",
        book.locale.implied(),
        crate::figures::format::percent_of(&number, &book.locale)
    )
}

/// Draws a share chart `width` px wide.
pub fn draw(book: &Book, chart: &Chart, width: f64) -> Scene {
    let (part, total) = (chart.series[0].1[0], chart.series[1].1[0]);
    let (_, nominal, _) = percent(book, chart);
    let mut scene = Scene::new(width);
    let legend = |name: &str, f: usize| {
        wrap(
            &format!("{name}: {}", value_label(book, f)),
            width - 6.0,
            FONT,
            3,
        )
    };
    let part_lines = legend(&chart.series[0].0, part);
    let total_lines = legend(&chart.series[1].0, total);
    let mut y = FONT;
    scene.label(Label::lines(
        2.0,
        y,
        Anchor::Start,
        "c-legend",
        part_lines.clone(),
    ));
    y += part_lines.len() as f64 * FONT * LEADING + 4.0;
    scene.label(Label::lines(
        2.0,
        y,
        Anchor::Start,
        "c-legend",
        total_lines.clone(),
    ));
    y += (total_lines.len() as f64 - 1.0) * FONT * LEADING + 12.0;
    let (x0, x1, h) = (2.0, width - 2.0, 40.0);
    let xp = x0 + (x1 - x0) * (nominal / 100.0).clamp(0.0, 1.0);
    scene.rect(
        format!("c-bar c-rest{}", pattern(&book.figures[total])),
        (x0, y),
        (x1, y + h),
        0.0,
    );
    scene.rect(
        format!("c-bar c-s1{}", pattern(&book.figures[part])),
        (x0, y),
        (xp, y + h),
        0.0,
    );
    scene.label(Label::new(
        x0 + 8.0,
        y + h / 2.0 + FONT * 0.35,
        Anchor::Start,
        "c-inside",
        &percent_text(book, chart),
    ));
    finish(&mut scene, chart, width);
    scene
}
