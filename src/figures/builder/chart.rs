//! Checking a chart spec: its kind, its figures for that kind, one unit on
//! its axis, and for a share chart a part that is a part of its total.

use toml::Spanned;

use super::Builder;
use crate::diagnostic::{Diagnostic, Location};
use crate::figures::*;

impl Builder<'_> {
    pub(super) fn chart(
        &mut self,
        book: &Book,
        id: &Spanned<String>,
        c: &Spanned<crate::figures::chart::RawChart>,
    ) -> Option<crate::figures::chart::Chart> {
        use crate::figures::chart::Kind as K;
        let raw = c.get_ref();
        let Some(kind) = K::parse(raw.kind.get_ref()) else {
            let d = Diagnostic::error(format!("unknown chart kind `{}`", raw.kind.get_ref()))
                .at(self.at(&raw.kind))
                .expected(format!("one of {}", K::NAMES))
                .hint("see the README's section on charts");
            self.error(d);
            return None;
        };
        let misfit = |this: &mut Self, at: Location, message: String, expected: &str| {
            let d = Diagnostic::error(message)
                .at(at)
                .expected(expected.to_string())
                .hint("see the README's section on charts for what each kind takes");
            this.error(d);
        };
        let resolve = |this: &mut Self, ids: &[Spanned<String>]| -> Option<Vec<usize>> {
            let found: Vec<Option<usize>> = ids
                .iter()
                .map(|i| this.reference(book, Kind::Figure, i))
                .collect();
            found.into_iter().collect()
        };
        let mut categories: Vec<String> = Vec::new();
        let mut series: Vec<(String, Vec<usize>)> = Vec::new();
        let kind_at = self.at(&raw.kind);
        match kind {
            K::Bar | K::HBar | K::Line => {
                let Some(figs) = &raw.figures else {
                    misfit(
                        self,
                        kind_at,
                        format!(
                            "{} chart `{}` has no `figures`",
                            raw.kind.get_ref(),
                            id.get_ref()
                        ),
                        "`figures = [\"id\", …]`",
                    );
                    return None;
                };
                let list = resolve(self, figs.get_ref())?;
                if kind == K::Line && list.len() < 2 {
                    misfit(
                        self,
                        self.at(figs),
                        format!("line chart `{}` has {} point", id.get_ref(), list.len()),
                        "at least two figures: a line joins points",
                    );
                    return None;
                }
                if list.is_empty() {
                    misfit(
                        self,
                        self.at(figs),
                        format!("chart `{}` has no figures", id.get_ref()),
                        "at least one figure",
                    );
                    return None;
                }
                categories = match &raw.labels {
                    Some(l) if l.len() == list.len() => l.clone(),
                    Some(l) => {
                        misfit(
                            self,
                            self.at(figs),
                            format!(
                                "chart `{}` has {} labels for {} figures",
                                id.get_ref(),
                                l.len(),
                                list.len()
                            ),
                            "one label per figure",
                        );
                        return None;
                    }
                    None => list
                        .iter()
                        .map(|&f| book.figures[f].label.clone())
                        .collect(),
                };
                series.push((raw.title.clone(), list));
            }
            K::Grouped => {
                let Some(ss) = &raw.series else {
                    misfit(
                        self,
                        kind_at,
                        format!("grouped chart `{}` has no `series`", id.get_ref()),
                        "`series = [{ name = \"…\", figures = [\"id\", …] }, …]`",
                    );
                    return None;
                };
                let Some(labels) = &raw.labels else {
                    misfit(
                        self,
                        self.at(ss),
                        format!(
                            "grouped chart `{}` has no `labels` for its groups",
                            id.get_ref()
                        ),
                        "`labels = [\"…\", …]`, one per figure of each series",
                    );
                    return None;
                };
                for s in ss.get_ref() {
                    let list = resolve(self, &s.figures)?;
                    if list.len() != labels.len() {
                        misfit(
                            self,
                            self.at(ss),
                            format!(
                                "series `{}` of chart `{}` has {} figures for {} labels",
                                s.name,
                                id.get_ref(),
                                list.len(),
                                labels.len()
                            ),
                            "one figure per label in every series",
                        );
                        return None;
                    }
                    series.push((s.name.clone(), list));
                }
                categories = labels.clone();
            }
            K::Dumbbell => {
                let Some(pairs) = &raw.pairs else {
                    misfit(
                        self,
                        kind_at,
                        format!("dumbbell chart `{}` has no `pairs`", id.get_ref()),
                        "`pairs = [{ label = \"…\", from = \"id\", to = \"id\" }, …]`",
                    );
                    return None;
                };
                let (mut from, mut to) = (Vec::new(), Vec::new());
                for p in pairs.get_ref() {
                    let (Some(a), Some(b)) = (
                        self.reference(book, Kind::Figure, &p.from),
                        self.reference(book, Kind::Figure, &p.to),
                    ) else {
                        return None;
                    };
                    categories.push(p.label.clone());
                    from.push(a);
                    to.push(b);
                }
                let names = match &raw.labels {
                    Some(l) if l.len() == 2 => (l[0].clone(), l[1].clone()),
                    _ => ("Before".to_string(), "After".to_string()),
                };
                series.push((names.0, from));
                series.push((names.1, to));
            }
            K::Share => {
                let (Some(p), Some(t)) = (&raw.part, &raw.total) else {
                    misfit(
                        self,
                        kind_at,
                        format!("share chart `{}` needs `part` and `total`", id.get_ref()),
                        "`part = \"id\"` and `total = \"id\"`",
                    );
                    return None;
                };
                let (Some(pi), Some(ti)) = (
                    self.reference(book, Kind::Figure, p),
                    self.reference(book, Kind::Figure, t),
                ) else {
                    return None;
                };
                let names = match &raw.labels {
                    Some(l) if l.len() == 2 => (l[0].clone(), l[1].clone()),
                    _ => (
                        book.figures[pi].label.clone(),
                        book.figures[ti].label.clone(),
                    ),
                };
                series.push((names.0, vec![pi]));
                series.push((names.1, vec![ti]));
            }
        }
        let all: Vec<usize> = series.iter().flat_map(|(_, s)| s.iter().copied()).collect();
        if let Some(&bad) = all
            .iter()
            .find(|&&f| !crate::figures::chart::numeric(&book.figures[f]))
        {
            misfit(
                self,
                kind_at,
                format!("figure `{}` has no number to draw", book.figures[bad].id),
                "figures with a value or a range (not a rank)",
            );
            return None;
        }
        let figures_at = raw
            .figures
            .as_ref()
            .map(|f| self.at(f))
            .unwrap_or_else(|| kind_at.clone());
        let unit = match crate::figures::chart::unit_of(book, &all) {
            Ok(u) => u,
            Err(why) => {
                misfit(
                    self,
                    figures_at,
                    format!("chart `{}` mixes units on one axis: {why}", id.get_ref()),
                    "figures in one unit, or in units of one family (kW, MW, GW)",
                );
                return None;
            }
        };
        if kind == K::Share {
            let (p, t) = (all[0], all[1]);
            let k = |f: usize| {
                crate::figures::chart::axis_factor(book, &book.figures[f], unit.as_deref())
                    .unwrap_or(1.0)
            };
            let v = |f: usize| book.figures[f].value.ends().map_or(0.0, |e| e.1.nominal) * k(f);
            if v(p) > v(t) {
                misfit(
                    self,
                    kind_at,
                    format!(
                        "in chart `{}` the part `{}` is larger than the total `{}`",
                        id.get_ref(),
                        book.figures[p].id,
                        book.figures[t].id
                    ),
                    "a part no larger than its total",
                );
                return None;
            }
        }
        let table = raw
            .table
            .as_ref()
            .and_then(|t| self.reference(book, Kind::Table, t));
        Some(crate::figures::chart::Chart {
            id: id.get_ref().clone(),
            kind,
            title: raw.title.clone(),
            categories,
            series,
            unit,
            x_label: raw.x_label.clone(),
            y_label: raw.y_label.clone(),
            note: raw.note.clone(),
            table,
        })
    }
}
