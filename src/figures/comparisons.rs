//! Honest comparisons: figures set side by side (the bars or points of one
//! chart series, the cells of one table column) should cover periods of the
//! same length and run in time order. A full year beside nine months, or
//! 2021 after 2023, makes a reader see growth that is not there; `check`
//! warns about both, naming the figures and their periods.

use crate::diagnostic::{Diagnostic, Location};
use crate::figures::chart::Kind;
use crate::figures::period::Span;
use crate::figures::{Book, Cell};

/// Warnings for every chart series and table column that compares unlike
/// periods or runs out of time order.
pub fn check(book: &Book) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for chart in &book.charts {
        if matches!(chart.kind, Kind::Dumbbell | Kind::Share) {
            continue; // before/after and part/total differ by design
        }
        for (_, figures) in &chart.series {
            let what = format!("chart `{}`", chart.id);
            out.extend(compare(book, figures, &what, &chart.at));
        }
    }
    for table in book.tables.iter().filter(|t| !t.list) {
        for k in 1..table.columns.len() {
            let figures: Vec<usize> = table
                .rows
                .iter()
                .filter_map(|r| match r.get(k) {
                    Some(Cell::Figure(f)) => Some(*f),
                    _ => None,
                })
                .collect();
            let what = format!(
                "column `{}` of table `{}`",
                table.columns[k].label, table.id
            );
            out.extend(compare(book, &figures, &what, &table.at));
        }
    }
    out
}

/// Days a period covers, when it is a stretch of time with a start ("2022",
/// "January–September 2023"), not a moment or a deadline ("as of January
/// 2024", "by 2030", "before 2024"), whose length means nothing.
fn days(text: &str, span: &Span) -> Option<i64> {
    let t = text.trim().to_lowercase();
    if ["as of", "by ", "before ", "until ", "since "]
        .iter()
        .any(|p| t.starts_with(p))
    {
        return None;
    }
    span.start.map(|s| (span.end - s).num_days() + 1)
}

fn compare(book: &Book, figures: &[usize], what: &str, at: &Location) -> Option<Diagnostic> {
    let spans: Vec<(usize, Span)> = figures
        .iter()
        .filter_map(|&f| book.figures[f].period_span.map(|s| (f, s)))
        .collect();
    let describe = |f: usize| {
        let fig = &book.figures[f];
        format!("`{}` ({})", fig.id, fig.period)
    };
    let lengths: Vec<(usize, i64)> = spans
        .iter()
        .filter_map(|(f, s)| Some((*f, days(&book.figures[*f].period, s)?)))
        .collect();
    let shortest = lengths.iter().min_by_key(|(_, d)| *d);
    let longest = lengths.iter().max_by_key(|(_, d)| *d);
    if let (Some(&(a, da)), Some(&(b, db))) = (shortest, longest)
        && db as f64 > da as f64 * 1.15
    {
        return Some(
            Diagnostic::warning("unequal-periods", format!(
                "{what} sets side by side periods of different length: {} beside {}",
                describe(b),
                describe(a)
            ))
            .at(at.clone())
            .expected("figures of periods of the same length (years with years, nine months with nine months)")
            .hint("draw the full years and the part-year figures in charts (or columns) of their own, so that no one reads growth into the difference"),
        );
    }
    // Time order matters where time is what varies: every figure of its own
    // period (a chart of 2021, 2022, 2023; not of three targets "by 2030").
    let mut periods: Vec<&str> = spans
        .iter()
        .map(|(f, _)| book.figures[*f].period.as_str())
        .collect();
    periods.sort_unstable();
    periods.dedup();
    if periods.len() < spans.len() || spans.len() < 2 {
        return None;
    }
    let out_of_order = spans.windows(2).find(|w| w[1].1.end < w[0].1.end);
    out_of_order.map(|w| {
        Diagnostic::warning(
            "time-order",
            format!(
                "{what} runs out of time order: {} comes after {}",
                describe(w[1].0),
                describe(w[0].0)
            ),
        )
        .at(at.clone())
        .expected("figures in time order, earliest first")
        .hint("list the figures from the earliest period to the latest")
    })
}
