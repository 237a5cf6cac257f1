//! The value axis: which values it spans, its round ticks, and how a
//! figure's value is put on it.
//!
//! Bars grow from zero, so a bar chart's axis always includes zero, whatever
//! the signs of the data: negative values go below (or left of) a zero
//! baseline. Ticks are round numbers (multiples of 1, 2, 2.5 or 5 times a
//! power of ten), 3 to 8 of them, covering every value.

use super::Chart;
use crate::figures::format::{Style, unit_header};
use crate::figures::{Book, Figure, Value};

/// The factor that converts figure `f` into `unit`, the axis unit, or why not.
pub fn axis_factor(book: &Book, f: &Figure, unit: Option<&str>) -> Result<f64, String> {
    let scale = f.scale.map_or(1.0, crate::figures::units::Scale::factor);
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
pub fn ends(book: &Book, f: usize, unit: Option<&str>, axis_scale: f64) -> (f64, f64) {
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

/// A value axis: its ticks, from the lowest to the highest.
#[derive(Debug, Clone)]
pub struct Axis {
    /// The ticks, ascending; the first and last are the axis' ends.
    pub ticks: Vec<f64>,
    /// Decimals that write every tick exactly.
    pub decimals: usize,
}

impl Axis {
    /// An axis covering `lo..=hi` and zero.
    pub fn from_zero(lo: f64, hi: f64) -> Axis {
        Axis::covering(lo.min(0.0), hi.max(0.0))
    }

    /// An axis covering `lo..=hi`.
    pub fn covering(lo: f64, hi: f64) -> Axis {
        let (lo, hi) = (finite(lo), finite(hi));
        let ticks = ticks(lo, hi);
        let decimals = tick_decimals(&ticks);
        Axis { ticks, decimals }
    }

    /// The lowest tick.
    pub fn lo(&self) -> f64 {
        self.ticks.first().copied().unwrap_or(0.0)
    }

    /// The highest tick.
    pub fn hi(&self) -> f64 {
        self.ticks.last().copied().unwrap_or(1.0)
    }

    /// Where `v` is along the axis, from 0 (lowest tick) to 1 (highest).
    pub fn frac(&self, v: f64) -> f64 {
        let span = self.hi() - self.lo();
        if span > 0.0 {
            (finite(v) - self.lo()) / span
        } else {
            0.0
        }
    }

    /// The tick labels, in the briefing's number format.
    pub fn labels(&self, book: &Book) -> Vec<(f64, String)> {
        self.ticks
            .iter()
            .map(|&t| {
                (
                    t,
                    crate::figures::format::number(t, self.decimals, false, &book.locale),
                )
            })
            .collect()
    }
}

/// Infinite or missing values are drawn at zero (the builder refuses them;
/// this keeps a drawing finite whatever it is given).
fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// The axis unit's scale, so that ticks read in the figures' own scale
/// ("2 million tonnes" on an axis in million tonnes).
pub fn axis_scale(book: &Book, chart: &Chart) -> (f64, Option<crate::figures::units::Scale>) {
    let first = chart.figures().first().map(|&f| &book.figures[f]);
    match first.and_then(|f| f.scale) {
        Some(s) => (s.factor(), Some(s)),
        None => (1.0, None),
    }
}

/// The value axis' title: its label and unit.
pub fn axis_title(book: &Book, chart: &Chart) -> String {
    let unit = chart.unit.as_deref().and_then(|u| book.units.get(u));
    let (_, scale) = axis_scale(book, chart);
    let u = unit_header(unit, scale, &book.locale).replace('\u{a0}', " ");
    match (&chart.y_label, u.is_empty()) {
        (Some(l), false) => format!("{l}{}", book.locale.bracketed(&u)),
        (Some(l), true) => l.clone(),
        (None, false) => u,
        (None, true) => String::new(),
    }
}

/// A figure as its label on the chart.
pub fn value_label(book: &Book, f: usize) -> String {
    book.format(&book.figures[f], Style::Short)
}
