//! The relation engine: figures derived from others, and stated figures
//! checked against what their inputs give at the rounding bounds of every
//! number involved, in dependency order (cycles are errors).
//!
//! A derived figure carries what its inputs say: a qualifier ("up to",
//! "over") passes on to it, and it is written with the digits its inputs
//! allow — significant figures for products and quotients (5 and 7 give
//! 70 %, not 71.4 %), decimal places for sums and differences — unless
//! `decimals` says otherwise.

use super::{Builder, Pending};
use crate::diagnostic::Diagnostic;
use crate::figures::format::{Num, Qualifier};
use crate::figures::units::{Dimension, Scale};
use crate::figures::*;

/// What a relation gives: unit, scale, low and high ends.
type Computed = (Option<String>, Option<Scale>, Estimate, Estimate);

/// A relation's inputs, with their low and high ends.
struct Inputs<'b> {
    figures: Vec<&'b Figure>,
    ends: Vec<(Estimate, Estimate)>,
}

impl Inputs<'_> {
    /// Input `k`'s low (`end` 0) or high end, in base units (scale applied).
    fn base(&self, k: usize, end: usize) -> Estimate {
        let (lo, hi) = self.ends[k];
        let e = if end == 0 { lo } else { hi };
        e.scale(self.figures[k].scale.map_or(1.0, Scale::factor))
    }
}

impl Builder<'_> {
    pub(super) fn relations(&mut self, book: &mut Book, pending: Vec<Option<Pending>>) {
        let mut decimals = vec![None; book.figures.len()];
        for (i, p) in pending.into_iter().enumerate() {
            if let Some(p) = p
                && let Some(relation) = self.resolve(book, i, &p)
            {
                decimals[i] = p.decimals;
                book.figures[i].relation = Some(relation);
            }
        }
        let Some(order) = self.topological(book) else {
            return;
        };
        for i in order {
            let Some(rel) = book.figures[i].relation.clone() else {
                continue;
            };
            let Some(computed) = self.compute(book, i, &rel) else {
                continue;
            };
            if book.figures[i].status == Status::Derived {
                derive(book, i, &rel, computed, decimals[i]);
            } else if let Some((slo, shi)) = book.figures[i].value.ends() {
                let (_, _, lo, hi) = computed;
                let consistent = slo.bounds.overlaps(lo.bounds) && shi.bounds.overlaps(hi.bounds);
                book.checks.push(CheckResult {
                    figure: i,
                    computed: (lo, hi),
                    consistent,
                });
            }
        }
    }

    /// Figure `i`'s declared relation with its inputs resolved, if they are
    /// as many as the relation takes and name other figures.
    fn resolve(&mut self, book: &Book, i: usize, p: &Pending) -> Option<Relation> {
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
            let d = Diagnostic::error(
                "relation-inputs",
                format!(
                    "`{}` of figure `{}` has {} inputs",
                    p.kind.key(),
                    book.figures[i].id,
                    ids.len()
                ),
            )
            .at(at)
            .expected(expected)
            .hint("see the list of relations on the manual's Data file page");
            self.error(d);
            return None;
        }
        let mut inputs = Vec::new();
        for id in ids {
            if id.get_ref() == &book.figures[i].id {
                let d = Diagnostic::error(
                    "self-relation",
                    format!("figure `{}` is computed from itself", id.get_ref()),
                )
                .at(self.at(id))
                .expected("the ids of other figures");
                self.error(d);
                continue;
            }
            if let Some(j) = self.reference(book, Kind::Figure, id) {
                inputs.push(j);
            }
        }
        (inputs.len() == ids.len()).then_some(Relation {
            kind: p.kind,
            inputs,
            at,
        })
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
                let d = Diagnostic::error(
                    "relation-cycle",
                    format!(
                        "figures are computed from each other: {}",
                        names.join(" → ")
                    ),
                )
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
    pub(super) fn compute(&mut self, book: &Book, i: usize, rel: &Relation) -> Option<Computed> {
        let inputs = self.inputs(book, rel)?;
        self.inputs_failed = rel.inputs.iter().any(|j| book.failed.figures.contains(j));
        let target = &book.figures[i];
        let (unit, scale, mut out) = match rel.kind {
            RelationKind::Growth | RelationKind::Multiple | RelationKind::Share => {
                self.ratio(target, rel, &inputs)?
            }
            RelationKind::Sum | RelationKind::Difference => self.total(target, rel, &inputs)?,
            RelationKind::StartFromGrowth | RelationKind::StartFromMultiple => {
                self.start_from(book, target, rel, &inputs)?
            }
        };
        if let (Some(declared), Some(computed)) = (&target.unit, &unit)
            && declared != computed
        {
            let what = format!(
                "`{}` declares unit {declared} but {} gives {computed}",
                target.id,
                rel.kind.key()
            );
            self.mismatch(target, rel, what);
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

    /// The inputs' ends; `None` when one has no number (a rank is an error
    /// here; an input that could not be computed was reported already).
    fn inputs<'b>(&mut self, book: &'b Book, rel: &Relation) -> Option<Inputs<'b>> {
        let figures: Vec<&Figure> = rel.inputs.iter().map(|&j| &book.figures[j]).collect();
        let mut ends = Vec::with_capacity(figures.len());
        for f in &figures {
            match f.value.ends() {
                Some(e) => ends.push(e),
                None => {
                    if matches!(f.value, Value::Rank { .. }) {
                        let d = Diagnostic::error(
                            "rank-in-relation",
                            format!(
                                "figure `{}` is a rank and cannot enter `{}`",
                                f.id,
                                rel.kind.key()
                            ),
                        )
                        .at(rel.at.clone())
                        .expected("figures with numbers");
                        self.error(d);
                    }
                    return None;
                }
            }
        }
        Some(Inputs { figures, ends })
    }

    fn mismatch(&mut self, target: &Figure, rel: &Relation, what: String) {
        if self.inputs_failed {
            // An input's own error (an unknown unit, say) explains this.
            return;
        }
        self.mismatched.extend(rel.inputs.iter().copied());
        let d = Diagnostic::error(
            "incompatible-inputs",
            format!("the inputs of `{}` cannot be combined: {what}", target.id),
        )
        .at(rel.at.clone())
        .expected(format!("inputs that fit `{}`", rel.kind.key()))
        .hint("see the list of relations and the units each takes on the manual's Data file page");
        self.error(d);
    }

    /// Whether every input has the first one's unit (an error otherwise).
    fn same_unit(&mut self, target: &Figure, rel: &Relation, inputs: &Inputs<'_>) -> bool {
        let first = inputs.figures[0];
        match inputs.figures.iter().find(|f| f.unit != first.unit) {
            Some(other) => {
                let what = format!(
                    "`{}` is in {} but `{}` is in {}",
                    first.id,
                    first.unit.as_deref().unwrap_or("no unit"),
                    other.id,
                    other.unit.as_deref().unwrap_or("no unit")
                );
                self.mismatch(target, rel, what);
                false
            }
            None => true,
        }
    }

    /// growth, multiple, share: a quotient, in `%` or `×`.
    fn ratio(
        &mut self,
        target: &Figure,
        rel: &Relation,
        inputs: &Inputs<'_>,
    ) -> Option<(Option<String>, Option<Scale>, [Estimate; 2])> {
        if !self.same_unit(target, rel, inputs) {
            return None;
        }
        let (unit, pct) = match rel.kind {
            RelationKind::Multiple => ("×", 1.0),
            _ => ("%", 100.0),
        };
        let share = rel.kind == RelationKind::Share;
        let mut out = [Estimate::exact(0.0); 2];
        for (end, slot) in out.iter_mut().enumerate() {
            let (num, den) = if share {
                (inputs.base(0, end), inputs.base(1, end))
            } else {
                (inputs.base(1, end), inputs.base(0, end))
            };
            if den.nominal < 0.0 {
                let base = &inputs.figures[if share { 1 } else { 0 }].id;
                let what = match rel.kind {
                    RelationKind::Growth => "a growth from a value below zero",
                    RelationKind::Multiple => "a multiple of a value below zero",
                    _ => "a share of a total below zero",
                };
                let why = format!(
                    "`{base}` is below zero, and {what} has no meaning (from −10 to +5 is not −250%)"
                );
                self.mismatch(target, rel, why);
                return None;
            }
            let Some(q) = num.div(den) else {
                let zero = &inputs.figures[if share { 1 } else { 0 }].id;
                self.mismatch(target, rel, format!("`{zero}` is zero"));
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
        Some((Some(unit.to_string()), None, out))
    }

    /// sum, difference: in the first input's unit.
    fn total(
        &mut self,
        target: &Figure,
        rel: &Relation,
        inputs: &Inputs<'_>,
    ) -> Option<(Option<String>, Option<Scale>, [Estimate; 2])> {
        if !self.same_unit(target, rel, inputs) {
            return None;
        }
        let scale = target.scale.or(inputs.figures[0].scale);
        let mut out = [Estimate::exact(0.0); 2];
        for (end, slot) in out.iter_mut().enumerate() {
            let mut acc = inputs.base(0, end);
            for k in 1..inputs.figures.len() {
                acc = if rel.kind == RelationKind::Sum {
                    acc.add(inputs.base(k, end))
                } else {
                    acc.sub(inputs.base(k, end))
                };
            }
            *slot = acc.scale(1.0 / scale.map_or(1.0, Scale::factor));
        }
        Some((inputs.figures[0].unit.clone(), scale, out))
    }

    /// start_from_growth, start_from_multiple: an end value divided back.
    fn start_from(
        &mut self,
        book: &Book,
        target: &Figure,
        rel: &Relation,
        inputs: &Inputs<'_>,
    ) -> Option<(Option<String>, Option<Scale>, [Estimate; 2])> {
        let growth = rel.kind == RelationKind::StartFromGrowth;
        let (want, name) = if growth {
            (Dimension::Percent, "a percentage")
        } else {
            (Dimension::Multiple, "a multiple (unit `×`)")
        };
        let by = inputs.figures[1];
        let dimension = by
            .unit
            .as_deref()
            .and_then(|u| book.units.get(u))
            .map(|u| u.dimension);
        if dimension != Some(want) {
            self.mismatch(target, rel, format!("`{}` must be {name}", by.id));
            return None;
        }
        let scale = target.scale.or(inputs.figures[0].scale);
        let mut out = [Estimate::exact(0.0); 2];
        for (end, slot) in out.iter_mut().enumerate() {
            let e = if end == 0 {
                inputs.ends[1].0
            } else {
                inputs.ends[1].1
            };
            let divisor = if growth {
                let g = e.scale(0.01);
                Estimate {
                    nominal: 1.0 + g.nominal,
                    bounds: g.bounds.shift(1.0),
                }
            } else {
                e
            };
            let Some(q) = inputs.base(0, end).div(divisor) else {
                self.mismatch(target, rel, format!("`{}` makes the divisor zero", by.id));
                return None;
            };
            *slot = q.scale(1.0 / scale.map_or(1.0, Scale::factor));
        }
        Some((inputs.figures[0].unit.clone(), scale, out))
    }
}

/// Gives derived figure `i` its computed value, with the qualifier and the
/// digits its inputs allow.
fn derive(book: &mut Book, i: usize, rel: &Relation, computed: Computed, decimals: Option<usize>) {
    let (unit, scale, lo, hi) = computed;
    let qualifier = inherited_qualifier(book, rel);
    let digits = Digits::of(book, rel);
    let f = &mut book.figures[i];
    if f.unit.is_none() {
        f.unit = unit;
    }
    if f.scale.is_none() {
        f.scale = scale;
    }
    if f.qualifier.is_none() {
        f.qualifier = qualifier;
    }
    let num = |e: Estimate| match decimals {
        Some(d) => Num {
            value: e.nominal,
            decimals: d,
        },
        None => format::trimmed(digits.round_within(e, f.scale)),
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
}

/// Which way a qualifier bounds its number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    Upper,
    Lower,
    Loose,
}

fn bound(q: Qualifier) -> Bound {
    match q {
        Qualifier::Under | Qualifier::UpTo => Bound::Upper,
        Qualifier::Over | Qualifier::AtLeast => Bound::Lower,
        Qualifier::About => Bound::Loose,
    }
}

/// The qualifier a derived figure inherits: a sum of "up to" inputs is "up
/// to" (a difference flips the subtracted one's direction); anything else
/// with a qualified input is "about".
fn inherited_qualifier(book: &Book, rel: &Relation) -> Option<Qualifier> {
    let bounds: Vec<Bound> = rel
        .inputs
        .iter()
        .enumerate()
        .filter_map(|(k, &j)| {
            let b = bound(book.figures[j].qualifier?);
            let flipped = rel.kind == RelationKind::Difference && k > 0;
            Some(match (b, flipped) {
                (Bound::Upper, true) => Bound::Lower,
                (Bound::Lower, true) => Bound::Upper,
                (b, _) => b,
            })
        })
        .collect();
    let first = *bounds.first()?;
    let additive = matches!(rel.kind, RelationKind::Sum | RelationKind::Difference);
    if additive && bounds.iter().all(|&b| b == first) {
        match first {
            Bound::Upper => return Some(Qualifier::UpTo),
            Bound::Lower => return Some(Qualifier::AtLeast),
            Bound::Loose => {}
        }
    }
    Some(Qualifier::About)
}

/// How many digits a derived value deserves, by the rules of measurement:
/// a product or quotient keeps the fewest significant figures of its inputs
/// (5 GW of 7 GW is "70 %", not "71.4 %"; USD 2.57 billion before +47.5 %
/// is "1.74"), a sum or difference the coarsest last digit (1.25 + 0.6 is
/// "1.9").
enum Digits {
    /// Significant figures (products and quotients).
    Significant(usize),
    /// Decimal places in base units, as a power of ten (sums and
    /// differences): the coarsest input's last digit.
    Place(f64),
    /// No written inputs to go by.
    Default,
}

impl Digits {
    fn of(book: &Book, rel: &Relation) -> Digits {
        let nums: Vec<(Num, f64)> = rel
            .inputs
            .iter()
            .flat_map(|&j| {
                let f = &book.figures[j];
                let k = f.scale.map_or(1.0, Scale::factor);
                let nums = match &f.value {
                    Value::Point { num, .. } => vec![*num],
                    Value::Range { low, high, .. } => vec![*low, *high],
                    _ => Vec::new(),
                };
                nums.into_iter().map(move |n| (n, k))
            })
            .collect();
        if nums.is_empty() {
            return Digits::Default;
        }
        match rel.kind {
            RelationKind::Sum | RelationKind::Difference => {
                Digits::Place(nums.iter().map(|(n, k)| place(*n) * k).fold(0.0, f64::max))
            }
            _ => Digits::Significant(
                nums.iter()
                    .map(|(n, _)| significant_digits(*n))
                    .min()
                    .unwrap_or(3),
            ),
        }
    }

    /// `e`'s value (in `scale`) rounded under this rule, with as many more
    /// digits as it takes for the shown value to lie among those the inputs
    /// allow: EUR 6 is 1.5 times EUR 4, not "2" (one significant figure),
    /// which 3.5–4.5 and 5.5–6.5 cannot give (1.22–1.86).
    fn round_within(&self, e: Estimate, scale: Option<Scale>) -> Num {
        let first = self.round(e.nominal, scale, 0);
        if !e.bounds.lo.is_finite() || !e.bounds.hi.is_finite() {
            return first;
        }
        (0..=8)
            .map(|extra| self.round(e.nominal, scale, extra))
            .find(|n| {
                let k = 10f64.powi(n.decimals as i32);
                e.bounds.contains((n.value * k).round() / k)
            })
            .unwrap_or(first)
    }

    /// `value` (in `scale`) rounded under this rule, with `extra` digits
    /// more: 71.43 to one significant figure is 70.
    fn round(&self, value: f64, scale: Option<Scale>, extra: i32) -> Num {
        let magnitude = |v: f64| {
            if v == 0.0 {
                0
            } else {
                v.abs().log10().floor() as i32
            }
        };
        let power = match *self {
            Digits::Default => {
                return Num {
                    value,
                    decimals: format::decimals_for(value),
                };
            }
            Digits::Significant(sf) => magnitude(value) + 1 - sf as i32,
            Digits::Place(step) => {
                let step = step / scale.map_or(1.0, Scale::factor);
                if step > 0.0 {
                    step.log10().round() as i32
                } else {
                    0
                }
            }
        };
        let power = (power - extra).max(-8);
        let unit = 10f64.powi(power);
        let rounded = if power > 0 {
            (value / unit).round() * unit
        } else {
            value
        };
        Num {
            value: rounded,
            decimals: (-power).max(0) as usize,
        }
    }
}

/// The value of the last written digit: `2.57` 0.01, `1400` 100, `18` 1.
fn place(n: Num) -> f64 {
    if n.decimals > 0 {
        return 10f64.powi(-(n.decimals as i32));
    }
    let whole = format!("{:.0}", n.value.abs());
    let zeros = whole.len() - whole.trim_end_matches('0').len();
    if whole == "0" {
        1.0
    } else {
        10f64.powi(zeros as i32)
    }
}
