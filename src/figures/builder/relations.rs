//! The relation engine: figures derived from others, and stated figures
//! checked against what their inputs give at the rounding bounds of every
//! number involved, in dependency order (cycles are errors).

use super::{Builder, Pending};
use crate::diagnostic::Diagnostic;
use crate::figures::format::Num;
use crate::figures::units::{Dimension, Scale};
use crate::figures::*;

impl Builder<'_> {
    pub(super) fn relations(&mut self, book: &mut Book, pending: Vec<Option<Pending>>) {
        // Resolve inputs.
        let mut decimals = vec![None; book.figures.len()];
        for (i, p) in pending.into_iter().enumerate() {
            let Some(p) = p else { continue };
            let at = self.at(&p.inputs);
            let ids = p.inputs.get_ref();
            let arity_ok = match p.kind {
                RelationKind::Sum => ids.len() >= 2,
                _ => ids.len() == 2,
            };
            if !arity_ok {
                let expected = match p.kind {
                    RelationKind::Sum => "at least two figure ids".to_string(),
                    k => format!("two figure ids: {}", k.describe(&["first", "second"])),
                };
                let d = Diagnostic::error(format!(
                    "`{}` of figure `{}` has {} inputs",
                    p.kind.key(),
                    book.figures[i].id,
                    ids.len()
                ))
                .at(at)
                .expected(expected)
                .hint("see the README's list of relations");
                self.error(d);
                continue;
            }
            let mut inputs = Vec::new();
            for id in ids {
                if id.get_ref() == &book.figures[i].id {
                    let d = Diagnostic::error(format!(
                        "figure `{}` is computed from itself",
                        id.get_ref()
                    ))
                    .at(self.at(id))
                    .expected("the ids of other figures");
                    self.error(d);
                    continue;
                }
                if let Some(j) = self.reference(book, Kind::Figure, id) {
                    inputs.push(j);
                }
            }
            if inputs.len() == ids.len() {
                decimals[i] = p.decimals;
                book.figures[i].relation = Some(Relation {
                    kind: p.kind,
                    inputs,
                    at,
                });
            }
        }
        // Compute in dependency order.
        let order = match self.topological(book) {
            Some(o) => o,
            None => return,
        };
        for i in order {
            let Some(rel) = book.figures[i].relation.clone() else {
                continue;
            };
            let Some((unit, scale, lo, hi)) = self.compute(book, i, &rel) else {
                continue;
            };
            let f = &mut book.figures[i];
            if f.status == Status::Derived {
                if f.unit.is_none() {
                    f.unit = unit;
                }
                if f.scale.is_none() {
                    f.scale = scale;
                }
                let num = |e: Estimate| {
                    format::trimmed(Num {
                        value: e.nominal,
                        decimals: decimals[i].unwrap_or_else(|| format::decimals_for(e.nominal)),
                    })
                };
                f.value = if lo == hi {
                    Value::Point {
                        num: num(lo),
                        est: lo,
                    }
                } else {
                    Value::Range {
                        low: num(lo),
                        high: num(hi),
                        low_est: lo,
                        high_est: hi,
                    }
                };
            } else if let Some((slo, shi)) = f.value.ends() {
                let consistent = slo.bounds.overlaps(lo.bounds) && shi.bounds.overlaps(hi.bounds);
                book.checks.push(CheckResult {
                    figure: i,
                    computed: (lo, hi),
                    consistent,
                });
            }
        }
    }

    /// Figure indexes, inputs before the figures computed from them; `None`
    /// (with an error) when relations form a cycle.
    pub(super) fn topological(&mut self, book: &Book) -> Option<Vec<usize>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        fn visit(
            book: &Book,
            i: usize,
            marks: &mut [Mark],
            order: &mut Vec<usize>,
            path: &mut Vec<usize>,
        ) -> Result<(), Vec<usize>> {
            match marks[i] {
                Mark::Done => return Ok(()),
                Mark::Active => {
                    let start = path.iter().position(|&p| p == i).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(i);
                    return Err(cycle);
                }
                Mark::New => {}
            }
            marks[i] = Mark::Active;
            path.push(i);
            if let Some(r) = &book.figures[i].relation {
                for &j in &r.inputs {
                    visit(book, j, marks, order, path)?;
                }
            }
            path.pop();
            marks[i] = Mark::Done;
            order.push(i);
            Ok(())
        }
        let mut marks = vec![Mark::New; book.figures.len()];
        let mut order = Vec::with_capacity(book.figures.len());
        for i in 0..book.figures.len() {
            if let Err(cycle) = visit(book, i, &mut marks, &mut order, &mut Vec::new()) {
                let names: Vec<&str> = cycle.iter().map(|&c| book.figures[c].id.as_str()).collect();
                let first = cycle[0];
                let at = book.figures[first]
                    .relation
                    .as_ref()
                    .map_or_else(|| book.figures[first].at.clone(), |r| r.at.clone());
                let d = Diagnostic::error(format!(
                    "figures are computed from each other: {}",
                    names.join(" → ")
                ))
                .at(at)
                .expected("relations without a cycle")
                .hint("state one of these figures, or remove one of the relations");
                self.error(d);
                return None;
            }
        }
        Some(order)
    }

    /// Computes figure `i` from its inputs: unit, scale and the low and high
    /// ends, in the figure's unit and scale.
    #[allow(clippy::type_complexity)]
    pub(super) fn compute(
        &mut self,
        book: &Book,
        i: usize,
        rel: &Relation,
    ) -> Option<(Option<String>, Option<Scale>, Estimate, Estimate)> {
        let inputs: Vec<&Figure> = rel.inputs.iter().map(|&j| &book.figures[j]).collect();
        let target = &book.figures[i];
        let mut ends = Vec::with_capacity(inputs.len());
        for f in &inputs {
            match f.value.ends() {
                Some(e) => ends.push(e),
                // A rank, or an input that could not be computed: reported there.
                None => {
                    if matches!(f.value, Value::Rank { .. }) {
                        let d = Diagnostic::error(format!(
                            "figure `{}` is a rank and cannot enter `{}`",
                            f.id,
                            rel.kind.key()
                        ))
                        .at(rel.at.clone())
                        .expected("figures with numbers");
                        self.error(d);
                    }
                    return None;
                }
            }
        }
        let factor = |f: &Figure| f.scale.map_or(1.0, Scale::factor);
        let dim = |f: &Figure| {
            f.unit
                .as_deref()
                .and_then(|u| book.units.get(u))
                .map(|u| u.dimension)
        };
        let mismatch = |this: &mut Self, what: String| {
            let d = Diagnostic::error(format!(
                "the inputs of `{}` cannot be combined: {what}",
                target.id
            ))
            .at(rel.at.clone())
            .expected(format!("inputs that fit `{}`", rel.kind.key()))
            .hint("see the README's list of relations and the units each takes");
            this.error(d);
        };
        let same_unit = |this: &mut Self| -> bool {
            let u0 = &inputs[0].unit;
            match inputs.iter().find(|f| &f.unit != u0) {
                Some(other) => {
                    mismatch(
                        this,
                        format!(
                            "`{}` is in {} but `{}` is in {}",
                            inputs[0].id,
                            u0.as_deref().unwrap_or("no unit"),
                            other.id,
                            other.unit.as_deref().unwrap_or("no unit")
                        ),
                    );
                    false
                }
                None => true,
            }
        };
        // In base units (scale applied), end by end.
        let base = |k: usize, end: usize| {
            let (lo, hi) = ends[k];
            let e = if end == 0 { lo } else { hi };
            e.scale(factor(inputs[k]))
        };
        let (unit, scale): (Option<String>, Option<Scale>);
        let mut out = [Estimate::exact(0.0); 2];
        match rel.kind {
            RelationKind::Growth | RelationKind::Multiple | RelationKind::Share => {
                if !same_unit(self) {
                    return None;
                }
                let (u, pct) = match rel.kind {
                    RelationKind::Multiple => ("×", 1.0),
                    _ => ("%", 100.0),
                };
                unit = Some(u.to_string());
                scale = None;
                for (end, slot) in out.iter_mut().enumerate() {
                    let (num, den) = match rel.kind {
                        RelationKind::Share => (base(0, end), base(1, end)),
                        _ => (base(1, end), base(0, end)),
                    };
                    let Some(q) = num.div(den) else {
                        mismatch(
                            self,
                            format!(
                                "`{}` is zero",
                                inputs[if rel.kind == RelationKind::Share {
                                    1
                                } else {
                                    0
                                }]
                                .id
                            ),
                        );
                        return None;
                    };
                    let q = if rel.kind == RelationKind::Growth {
                        Estimate {
                            nominal: q.nominal - 1.0,
                            bounds: q.bounds.shift(-1.0),
                        }
                    } else {
                        q
                    };
                    *slot = q.scale(pct);
                }
            }
            RelationKind::Sum | RelationKind::Difference => {
                if !same_unit(self) {
                    return None;
                }
                unit = inputs[0].unit.clone();
                scale = target.scale.or(inputs[0].scale);
                for (end, slot) in out.iter_mut().enumerate() {
                    let mut acc = base(0, end);
                    for k in 1..inputs.len() {
                        acc = if rel.kind == RelationKind::Sum {
                            acc.add(base(k, end))
                        } else {
                            acc.sub(base(k, end))
                        };
                    }
                    *slot = acc.scale(1.0 / scale.map_or(1.0, Scale::factor));
                }
            }
            RelationKind::StartFromGrowth | RelationKind::StartFromMultiple => {
                let (want, name) = if rel.kind == RelationKind::StartFromGrowth {
                    (Dimension::Percent, "a percentage")
                } else {
                    (Dimension::Multiple, "a multiple (unit `×`)")
                };
                if dim(inputs[1]) != Some(want) {
                    mismatch(self, format!("`{}` must be {name}", inputs[1].id));
                    return None;
                }
                unit = inputs[0].unit.clone();
                scale = target.scale.or(inputs[0].scale);
                for (end, slot) in out.iter_mut().enumerate() {
                    let by = ends[1];
                    let by = if end == 0 { by.0 } else { by.1 };
                    let divisor = if rel.kind == RelationKind::StartFromGrowth {
                        let g = by.scale(0.01);
                        Estimate {
                            nominal: 1.0 + g.nominal,
                            bounds: g.bounds.shift(1.0),
                        }
                    } else {
                        by
                    };
                    let Some(q) = base(0, end).div(divisor) else {
                        mismatch(self, format!("`{}` makes the divisor zero", inputs[1].id));
                        return None;
                    };
                    *slot = q.scale(1.0 / scale.map_or(1.0, Scale::factor));
                }
            }
        }
        if let (Some(declared), Some(computed)) = (&target.unit, &unit)
            && declared != computed
        {
            mismatch(
                self,
                format!(
                    "`{}` declares unit {declared} but {} gives {computed}",
                    target.id,
                    rel.kind.key()
                ),
            );
            return None;
        }
        if target.status != Status::Derived
            && target.scale != scale
            && unit.as_deref() != Some("%")
            && unit.as_deref() != Some("×")
        {
            // A stated figure keeps its own scale: compare in it.
            let k = scale.map_or(1.0, Scale::factor) / target.scale.map_or(1.0, Scale::factor);
            out = out.map(|e| e.scale(k));
        }
        Some((unit, scale, out[0], out[1]))
    }
}
