//! Checking a chart spec: its kind, its figures for that kind, one unit on
//! its axis, and for a share chart a part that is a part of its total.

use toml::Spanned;

use super::Builder;
use crate::diagnostic::{Diagnostic, Location};
use crate::figures::chart::{Chart, Kind as K, RawChart, numeric, unit_of};
use crate::figures::*;

/// The categories and series a chart's kind reads from its spec.
type Layout = (Vec<String>, Vec<(String, Vec<usize>)>);

/// A chart being checked: its spec, id and where its kind is written.
struct Spec<'r> {
    raw: &'r RawChart,
    id: &'r str,
    kind_at: Location,
}

impl Builder<'_> {
    /// A chart spec that does not fit its kind.
    fn misfit(&mut self, at: Location, message: String, expected: &str) {
        let d = Diagnostic::error("chart-misfit", message)
            .at(at)
            .expected(expected.to_string())
            .hint("see the manual's Charts page for what each kind takes");
        self.error(d);
    }

    fn figures_of(&mut self, book: &Book, ids: &[Spanned<String>]) -> Option<Vec<usize>> {
        let found: Vec<Option<usize>> = ids
            .iter()
            .map(|i| self.reference(book, Kind::Figure, i))
            .collect();
        found.into_iter().collect()
    }

    pub(super) fn chart(
        &mut self,
        book: &Book,
        id: &Spanned<String>,
        c: &Spanned<RawChart>,
    ) -> Option<Chart> {
        let raw = c.get_ref();
        let Some(kind) = K::parse(raw.kind.get_ref()) else {
            let d = Diagnostic::error(
                "unknown-chart-kind",
                format!("unknown chart kind `{}`", raw.kind.get_ref()),
            )
            .at(self.at(&raw.kind))
            .expected(format!("one of {}", K::NAMES))
            .hint("see the manual's Charts page");
            self.error(d);
            return None;
        };
        let spec = Spec {
            raw,
            id: id.get_ref(),
            kind_at: self.at(&raw.kind),
        };
        let (categories, series) = match kind {
            K::Bar | K::HBar | K::Line => self.one_series(book, &spec, kind)?,
            K::Grouped => self.grouped(book, &spec)?,
            K::Dumbbell => self.pairs(book, &spec)?,
            K::Share => self.part_of_total(book, &spec)?,
        };
        let all: Vec<usize> = series.iter().flat_map(|(_, s)| s.iter().copied()).collect();
        let unit = self.one_axis(book, &spec, &all)?;
        if kind == K::Share {
            self.share_fits(book, &spec, (all[0], all[1]), unit.as_deref())?;
        }
        let table = raw
            .table
            .as_ref()
            .and_then(|t| self.reference(book, Kind::Table, t));
        Some(Chart {
            id: spec.id.to_string(),
            kind,
            title: raw.title.clone(),
            categories,
            series,
            unit,
            x_label: raw.x_label.clone(),
            y_label: raw.y_label.clone(),
            note: raw.note.clone(),
            table,
            at: spec.kind_at,
        })
    }

    /// bar, hbar, line: `figures` (and optional `labels`, one per figure).
    fn one_series(&mut self, book: &Book, spec: &Spec<'_>, kind: K) -> Option<Layout> {
        let (raw, id) = (spec.raw, spec.id);
        let Some(figs) = &raw.figures else {
            let message = format!("{} chart `{id}` has no `figures`", raw.kind.get_ref());
            self.misfit(spec.kind_at.clone(), message, "`figures = [\"id\", …]`");
            return None;
        };
        let list = self.figures_of(book, figs.get_ref())?;
        if kind == K::Line && list.len() < 2 {
            let message = format!("line chart `{id}` has {} point", list.len());
            self.misfit(
                self.at(figs),
                message,
                "at least two figures: a line joins points",
            );
            return None;
        }
        if list.is_empty() {
            let message = format!("chart `{id}` has no figures");
            self.misfit(self.at(figs), message, "at least one figure");
            return None;
        }
        let categories = match &raw.labels {
            Some(l) if l.len() == list.len() => l.clone(),
            Some(l) => {
                let message = format!(
                    "chart `{id}` has {} labels for {} figures",
                    l.len(),
                    list.len()
                );
                self.misfit(self.at(figs), message, "one label per figure");
                return None;
            }
            None => list
                .iter()
                .map(|&f| book.figures[f].label.clone())
                .collect(),
        };
        Some((categories, vec![(raw.title.clone(), list)]))
    }

    /// grouped: `labels` for the groups and `series` of one figure per label.
    fn grouped(&mut self, book: &Book, spec: &Spec<'_>) -> Option<Layout> {
        let (raw, id) = (spec.raw, spec.id);
        let Some(ss) = &raw.series else {
            let message = format!("grouped chart `{id}` has no `series`");
            let expected = "`series = [{ name = \"…\", figures = [\"id\", …] }, …]`";
            self.misfit(spec.kind_at.clone(), message, expected);
            return None;
        };
        let Some(labels) = &raw.labels else {
            let message = format!("grouped chart `{id}` has no `labels` for its groups");
            let expected = "`labels = [\"…\", …]`, one per figure of each series";
            self.misfit(self.at(ss), message, expected);
            return None;
        };
        let mut series = Vec::new();
        for s in ss.get_ref() {
            let list = self.figures_of(book, &s.figures)?;
            if list.len() != labels.len() {
                let message = format!(
                    "series `{}` of chart `{id}` has {} figures for {} labels",
                    s.name,
                    list.len(),
                    labels.len()
                );
                self.misfit(self.at(ss), message, "one figure per label in every series");
                return None;
            }
            series.push((s.name.clone(), list));
        }
        Some((labels.clone(), series))
    }

    /// dumbbell: `pairs` of `from` and `to` figures, with their row labels.
    fn pairs(&mut self, book: &Book, spec: &Spec<'_>) -> Option<Layout> {
        let raw = spec.raw;
        let Some(pairs) = &raw.pairs else {
            let message = format!("dumbbell chart `{}` has no `pairs`", spec.id);
            let expected = "`pairs = [{ label = \"…\", from = \"id\", to = \"id\" }, …]`";
            self.misfit(spec.kind_at.clone(), message, expected);
            return None;
        };
        let (mut categories, mut from, mut to) = (Vec::new(), Vec::new(), Vec::new());
        for p in pairs.get_ref() {
            let a = self.reference(book, Kind::Figure, &p.from);
            let b = self.reference(book, Kind::Figure, &p.to);
            let (Some(a), Some(b)) = (a, b) else {
                return None;
            };
            categories.push(p.label.clone());
            from.push(a);
            to.push(b);
        }
        let (before, after) = match &raw.labels {
            Some(l) if l.len() == 2 => (l[0].clone(), l[1].clone()),
            _ => ("Before".to_string(), "After".to_string()),
        };
        Some((categories, vec![(before, from), (after, to)]))
    }

    /// share: a `part` and its `total`.
    fn part_of_total(&mut self, book: &Book, spec: &Spec<'_>) -> Option<Layout> {
        let raw = spec.raw;
        let (Some(p), Some(t)) = (&raw.part, &raw.total) else {
            let message = format!("share chart `{}` needs `part` and `total`", spec.id);
            let expected = "`part = \"id\"` and `total = \"id\"`";
            self.misfit(spec.kind_at.clone(), message, expected);
            return None;
        };
        let pi = self.reference(book, Kind::Figure, p);
        let ti = self.reference(book, Kind::Figure, t);
        let (Some(pi), Some(ti)) = (pi, ti) else {
            return None;
        };
        let (part, total) = match &raw.labels {
            Some(l) if l.len() == 2 => (l[0].clone(), l[1].clone()),
            _ => (
                book.figures[pi].label.clone(),
                book.figures[ti].label.clone(),
            ),
        };
        Some((Vec::new(), vec![(part, vec![pi]), (total, vec![ti])]))
    }

    /// Every figure a number, all on one axis: the axis' unit.
    fn one_axis(&mut self, book: &Book, spec: &Spec<'_>, all: &[usize]) -> Option<Option<String>> {
        if all.iter().any(|f| book.failed.figures.contains(f)) {
            // A figure's own error is reported; the chart goes unbuilt.
            return None;
        }
        if let Some(&bad) = all.iter().find(|&&f| !numeric(&book.figures[f])) {
            let message = format!("figure `{}` has no number to draw", book.figures[bad].id);
            let expected = "figures with a value or a range (not a rank)";
            self.misfit(spec.kind_at.clone(), message, expected);
            return None;
        }
        match unit_of(book, all) {
            Ok(u) => Some(u),
            Err(why) => {
                let at = spec
                    .raw
                    .figures
                    .as_ref()
                    .map(|f| self.at(f))
                    .unwrap_or_else(|| spec.kind_at.clone());
                let message = format!("chart `{}` mixes units on one axis: {why}", spec.id);
                let expected = "figures in one unit, or in units of one family (kW, MW, GW)";
                self.misfit(at, message, expected);
                None
            }
        }
    }

    /// A share's part is a part: not negative, and no larger than a total
    /// that is more than zero.
    fn share_fits(
        &mut self,
        book: &Book,
        spec: &Spec<'_>,
        (p, t): (usize, usize),
        unit: Option<&str>,
    ) -> Option<()> {
        let value = |f: usize| {
            let k = chart::axis_factor(book, &book.figures[f], unit).unwrap_or(1.0);
            let (lo, hi) = book.figures[f]
                .value
                .ends()
                .map_or((0.0, 0.0), |e| (e.0.nominal, e.1.nominal));
            (lo * k, hi * k)
        };
        let at = |this: &Self, which: &Option<Spanned<String>>| {
            which.as_ref().map_or(spec.kind_at.clone(), |s| this.at(s))
        };
        let (part, total) = (value(p), value(t));
        let (pid, tid) = (&book.figures[p].id, &book.figures[t].id);
        let problem = if part.0 < 0.0 {
            Some((
                at(self, &spec.raw.part),
                format!("the part `{pid}` is negative"),
            ))
        } else if total.1 <= 0.0 {
            let message = format!("the total `{tid}` is not more than zero");
            Some((at(self, &spec.raw.total), message))
        } else if part.1 > total.1 {
            let message = format!("the part `{pid}` is larger than the total `{tid}`");
            Some((at(self, &spec.raw.part), message))
        } else {
            None
        };
        match problem {
            None => Some(()),
            Some((at, what)) => {
                let d = Diagnostic::error("share-chart", format!("in share chart `{}`, {what}", spec.id))
                    .at(at)
                    .expected("a part from zero up to its total, and a total above zero")
                    .hint("a share chart shows a part of a whole; for values that can be negative or exceed a total, use a `bar` or `hbar` chart");
                self.error(d);
                None
            }
        }
    }
}
