//! Stage 4, check: findings about the whole site that no single file shows.
//!
//! The model is complete here, so this stage can compare every output path
//! with every other (two sources writing one file is an error naming both),
//! and check the briefing's numbers against each other: stated values their
//! inputs cannot give, unused figures and sources, stale figures, and numbers
//! typed into prose. It only reads the [`Site`] and returns diagnostics.

use std::fmt::Write;

use crate::diagnostic::Diagnostic;
use crate::error::count;
use crate::figures::format::Style;
use crate::figures::{Book, Estimate, Status, period};
use crate::markdown::Use;
use crate::model::Site;

/// Runs every check and returns all findings, errors and warnings.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut out = crate::outputs::clashes(site, &crate::outputs::plan(site));
    out.extend(site.notes.iter().cloned());
    // The numbers are the same in every language: checked once.
    if site.edition.is_some() {
        return out;
    }
    out.extend(contradictions(&site.figures));
    out.extend(unused(site));
    out.extend(stale(site));
    out.extend(crate::figures::comparisons::check(&site.figures));
    out
}

/// A range of what inputs give, as the figure would write it.
fn computed_text(book: &Book, f: usize, (lo, hi): (Estimate, Estimate)) -> String {
    let fig = &book.figures[f];
    let write = |e: Estimate| {
        let d = |v: f64| crate::figures::format::decimals_for(v).max(1);
        let bound = |v: f64| {
            if v.is_finite() {
                book.format_like(fig, v, d(v), Style::Prose)
            } else {
                "unbounded".into()
            }
        };
        (bound(e.bounds.lo), bound(e.bounds.hi), e.nominal)
    };
    let (a, b, n) = write(lo);
    let nominal = book.format_like(
        fig,
        n,
        crate::figures::format::decimals_for(n),
        Style::Prose,
    );
    if lo == hi {
        format!("{a} to {b} (exactly {nominal} from the values as written)")
    } else {
        let (c, d, m) = write(hi);
        let nominal_hi = book.format_like(
            fig,
            m,
            crate::figures::format::decimals_for(m),
            Style::Prose,
        );
        format!(
            "{a} to {b} at the low end and {c} to {d} at the high end (exactly {nominal} and {nominal_hi} as written)"
        )
    }
}

/// Stated figures that their declared inputs cannot give, even at the
/// rounding bounds of every number involved.
fn contradictions(book: &Book) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in book.checks.iter().filter(|c| !c.consistent) {
        let fig = &book.figures[c.figure];
        let Some(rel) = &fig.relation else { continue };
        let names: Vec<&str> = rel
            .inputs
            .iter()
            .map(|&i| book.figures[i].id.as_str())
            .collect();
        let mut d = Diagnostic::warning(
            "contradiction",
            format!(
                "`{}` states {}, but {} gives {}",
                fig.id,
                book.format(fig, Style::Prose),
                rel.kind.describe(&names),
                computed_text(book, c.figure, c.computed)
            ),
        )
        .at(fig.at.clone())
        .expected("a value its inputs can give, allowing for how each number is rounded")
        .note(
            format!("the relation is declared here: `{}`", rel.kind.key()),
            rel.at.clone(),
        );
        for &i in &rel.inputs {
            let input = &book.figures[i];
            d = d.note(
                format!(
                    "input `{}` is {}",
                    input.id,
                    book.format(input, Style::Prose)
                ),
                input.at.clone(),
            );
        }
        d = d.hint("one of these numbers is wrong, or the relation is; give a number a `precision` if it is rounded more than its digits say");
        out.push(d);
    }
    out
}

/// Figures no page shows and sources nothing cites.
fn unused(site: &Site) -> Vec<Diagnostic> {
    let book = &site.figures;
    let mut used = vec![false; book.figures.len()];
    let mut stack: Vec<usize> = book.key_figures.clone();
    for e in site.entries() {
        for u in &e.uses {
            match *u {
                Use::Figure(f) => stack.push(f),
                Use::Table(t) => stack.extend(book.tables[t].figures()),
                Use::Chart(c) => stack.extend(book.charts[c].figures()),
                Use::Event(_) => {}
            }
        }
    }
    while let Some(f) = stack.pop() {
        if std::mem::replace(&mut used[f], true) {
            continue;
        }
        if let Some(r) = &book.figures[f].relation {
            stack.extend(&r.inputs);
        }
    }
    let mut cited = vec![false; book.sources.len()];
    for f in &book.figures {
        if let Some(s) = f.source {
            cited[s] = true;
        }
    }
    for e in &book.events {
        cited[e.source] = true;
    }
    let mut out = Vec::new();
    for (f, fig) in book.figures.iter().enumerate() {
        if !used[f] {
            out.push(
                Diagnostic::warning(
                    "unused-figure",
                    format!("figure `{}` is not shown anywhere", fig.id),
                )
                .at(fig.at.clone())
                .expected(
                    "a `{{ fig(id=\"…\") }}`, a table, a key figure or a relation that uses it",
                )
                .hint(format!(
                    "show it with `{{{{ fig(id=\"{}\") }}}}`, or remove it",
                    fig.id
                )),
            );
        }
    }
    for (s, src) in book.sources.iter().enumerate() {
        if !cited[s] {
            out.push(
                Diagnostic::warning(
                    "unused-source",
                    format!("source `{}` is not cited by any figure or event", src.id),
                )
                .at(src.at.clone())
                .expected("`source = \"…\"` on a figure or event")
                .hint("cite it from the figures it supports, or remove it"),
            );
        }
    }
    out
}

/// Stated figures whose period ended long before the briefing's date.
fn stale(site: &Site) -> Vec<Diagnostic> {
    let book = &site.figures;
    let Some(date) =
        site.meta.date.as_deref().and_then(|d| {
            chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()
        })
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for fig in &book.figures {
        if fig.status != Status::Stated {
            continue;
        }
        let Some(span) = fig.period_span else {
            continue;
        };
        let age = period::months_between(span.end, date);
        if age > book.stale_after_months as i32 {
            out.push(
                Diagnostic::warning("stale-figure", format!(
                    "figure `{}` is stale: its period ({}) ended {age} months before the briefing's date ({date})",
                    fig.id, fig.period
                ))
                .at(fig.at.clone())
                .expected(format!("a period ending at most {} months before the briefing", book.stale_after_months))
                .hint("update the figure, or raise `stale_after_months` under `[settings]` in `content/data.toml`"),
            );
        }
    }
    out
}

/// What `briefing check` prints about the data: every relation, checked or
/// computed, with its numbers.
pub fn report(site: &Site) -> String {
    let book = &site.figures;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}, {}, {}, {}, {}",
        count(book.figures.len(), "figure"),
        count(book.sources.len(), "source"),
        count(book.events.len(), "event"),
        count(book.tables.len(), "table"),
        count(book.charts.len(), "chart")
    );
    for (i, fig) in book.figures.iter().enumerate() {
        let Some(rel) = &fig.relation else { continue };
        let names: Vec<&str> = rel
            .inputs
            .iter()
            .map(|&j| book.figures[j].id.as_str())
            .collect();
        let inputs: Vec<String> = rel
            .inputs
            .iter()
            .map(|&j| book.format(&book.figures[j], Style::Prose))
            .collect();
        let value = book.format(fig, Style::Prose).replace('\u{a0}', " ");
        if fig.status == Status::Derived {
            let _ = writeln!(
                out,
                "  derived  {}: {value} = {} of {}",
                fig.id,
                rel.kind.key(),
                inputs.join(" and ").replace('\u{a0}', " ")
            );
        } else if let Some(c) = book.checks.iter().find(|c| c.figure == i) {
            let mark = if c.consistent { "ok      " } else { "CONFLICT" };
            let _ = writeln!(
                out,
                "  {mark} {}: states {value}; {} gives {}",
                fig.id,
                rel.kind.describe(&names),
                computed_text(book, i, c.computed).replace('\u{a0}', " ")
            );
        }
    }
    out
}
