//! Building one figure: its value, range or rank, unit and scale, period,
//! status, source and relation, each checked where it is written.

use toml::Spanned;

use super::{Builder, Pending};
use crate::diagnostic::{Diagnostic, closest};
use crate::figures::format::Qualifier;
use crate::figures::units::{Dimension, Scale};
use crate::figures::*;

impl Builder<'_> {
    pub(super) fn figure(
        &mut self,
        book: &Book,
        id: &Spanned<String>,
        f: &Spanned<RawFigure>,
    ) -> (Figure, Option<Pending>) {
        let raw = f.get_ref();
        let at = self.at(id);
        let unit = self.unit_of(book, raw);
        let scale = self.scale_of(raw);
        let qualifier = self.qualifier_of(raw);
        let precision = raw
            .precision
            .as_ref()
            .and_then(|p| self.number(p, "precision", None))
            .map(|(n, _)| n.value);
        let relation = self.relation_of(id, raw);
        let mut value = self.value_of(id, raw, precision, qualifier, relation.is_some());
        let mut scale = scale;
        let scalable = unit
            .as_deref()
            .and_then(|u| book.units.get(u))
            .is_none_or(|u| matches!(u.dimension, Dimension::Currency | Dimension::Quantity));
        if scale.is_none() && scalable {
            (value, scale) = with_scale(value);
        }
        if !matches!(value, Value::Rank { .. } | Value::Unknown) && raw.ranked.is_some() {
            let d = Diagnostic::error("ranked-without-rank", "`ranked` without `rank`")
                .at(at.clone())
                .expected("`rank = N` with `ranked`");
            self.error(d);
        }
        let stated = raw.value.is_some() || raw.low.is_some() || raw.rank.is_some();
        let status = self.status_of(id, raw, stated, relation.is_some());
        if !stated && relation.is_none() {
            value = Value::Unknown;
        }
        let source = self.source_of(book, id, raw, status);
        let period_span = self.period_of(raw);
        let signed = raw.change
            || relation
                .as_ref()
                .is_some_and(|(k, _)| *k == RelationKind::Growth);
        let figure = Figure {
            id: id.get_ref().clone(),
            label: raw.label.clone(),
            value,
            unit,
            scale,
            qualifier,
            period: raw.period.get_ref().clone(),
            period_span,
            source,
            status,
            note: raw.note.clone(),
            signed,
            relation: None,
            at,
        };
        let pending = relation.map(|(kind, inputs)| Pending {
            kind,
            inputs,
            decimals: raw.decimals,
        });
        (figure, pending)
    }

    /// The figure's unit, if it is a known one.
    fn unit_of(&mut self, book: &Book, raw: &RawFigure) -> Option<String> {
        raw.unit.as_ref().and_then(|u| {
            if book.units.get(u.get_ref()).is_some() {
                Some(u.get_ref().clone())
            } else {
                let known: Vec<&str> = book.units.ids().collect();
                let d = Diagnostic::error("unknown-unit", format!("unknown unit `{}`", u.get_ref()))
                    .at(self.at(u))
                    .expected(format!("one of {}", known.join(", ")));
                let d = match (unit_and_scale(book, u.get_ref()), closest(u.get_ref(), known.iter().copied())) {
                    (Some((unit, scale)), _) => d.hint(format!(
                        "the scale goes in a key of its own: `unit = \"{unit}\"` with `scale = \"{scale}\"`"
                    )),
                    (None, Some(c)) => d.hint(format!(
                        "did you mean `{c}`? Other units can be declared under `[units.ID]`"
                    )),
                    (None, None) => d.hint(
                        "declare it under `[units.ID]` in `content/data.toml` (see the manual's Data file page)",
                    ),
                };
                self.error(d);
                None
            }
        })
    }

    /// The figure's scale word.
    fn scale_of(&mut self, raw: &RawFigure) -> Option<Scale> {
        raw.scale.as_ref().and_then(|s| {
            let parsed = Scale::parse(s.get_ref());
            if parsed.is_none() {
                let d = Diagnostic::error("unknown-scale", format!("unknown scale `{}`", s.get_ref()))
                    .at(self.at(s))
                    .expected(format!("one of {}", Scale::NAMES.join(", ")))
                    .hint("write the number in the scale's units: `value = 2.57` with `scale = \"billion\"`");
                self.error(d);
            }
            parsed
        })
    }

    /// The figure's qualifier (over, under, about …).
    fn qualifier_of(&mut self, raw: &RawFigure) -> Option<Qualifier> {
        raw.qualifier.as_ref().and_then(|q| {
            let parsed = Qualifier::parse(q.get_ref());
            if parsed.is_none() {
                let d = Diagnostic::error(
                    "unknown-qualifier",
                    format!("unknown qualifier `{}`", q.get_ref()),
                )
                .at(self.at(q))
                .expected(format!("one of {}", Qualifier::NAMES.join(", ")));
                self.error(d);
            }
            parsed
        })
    }

    /// The relation the figure declares, at most one.
    fn relation_of(
        &mut self,
        id: &Spanned<String>,
        raw: &RawFigure,
    ) -> Option<(RelationKind, Spanned<Vec<Spanned<String>>>)> {
        let declared: Vec<(RelationKind, &Spanned<Vec<Spanned<String>>>)> = [
            (RelationKind::Growth, &raw.growth),
            (RelationKind::Multiple, &raw.multiple),
            (RelationKind::Share, &raw.share),
            (RelationKind::Sum, &raw.sum),
            (RelationKind::Difference, &raw.difference),
            (RelationKind::StartFromGrowth, &raw.start_from_growth),
            (RelationKind::StartFromMultiple, &raw.start_from_multiple),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect();
        if declared.len() > 1 {
            let d = Diagnostic::error("several-relations", format!("figure `{}` declares {} relations", id.get_ref(), declared.len()))
                .at(self.at(declared[1].1))
                .expected("at most one of growth, multiple, share, sum, difference, start_from_growth, start_from_multiple")
                .hint("declare the other relation on a figure of its own");
            self.error(d);
        }
        declared.first().map(|(k, v)| (*k, (*v).clone()))
    }

    /// What the figure states: a value, a range or a rank.
    fn value_of(
        &mut self,
        id: &Spanned<String>,
        raw: &RawFigure,
        precision: Option<f64>,
        qualifier: Option<Qualifier>,
        has_relation: bool,
    ) -> Value {
        let at = self.at(id);
        match (&raw.value, &raw.low, &raw.high, &raw.rank) {
            (Some(v), None, None, None) => match self.number(v, "value", precision) {
                Some((num, mut est)) => {
                    est.bounds = qualified(est.bounds, qualifier);
                    Value::Point { num, est }
                }
                None => Value::Unknown,
            },
            (None, Some(lo), Some(hi), None) => self.range(id, (lo, hi), precision),
            (None, None, None, Some(r)) => self.rank(id, raw, r),
            (None, None, None, None) if has_relation => Value::Unknown,
            (None, None, None, None) => {
                let d = Diagnostic::error("no-value", format!("figure `{}` has no value", id.get_ref()))
                    .at(at.clone())
                    .expected("`value`, `low` and `high`, `rank`, or a relation such as `growth = [\"a\", \"b\"]`")
                    .hint("a figure states a number, a range or a rank, or is derived from other figures");
                self.error(d);
                Value::Unknown
            }
            _ => {
                let hint = match (&raw.value, &raw.low, &raw.high, &raw.rank) {
                    (Some(_), _, _, Some(_)) => {
                        "a figure is a number (`value`) or a position (`rank` with `ranked`), not both: keep one"
                    }
                    (Some(_), _, _, _) => {
                        "a range is written with `low` and `high` and no `value`: remove `value`, or `low` and `high`"
                    }
                    (None, Some(_), None, _) => "a range needs `high` as well as `low`",
                    (None, None, Some(_), _) => "a range needs `low` as well as `high`",
                    _ => {
                        "a figure is a number (`value`), a range (`low` and `high`) or a position (`rank`): keep one"
                    }
                };
                let d = Diagnostic::error(
                    "mixed-value",
                    format!("figure `{}` mixes kinds of value", id.get_ref()),
                )
                .at(at.clone())
                .expected("exactly one of: `value`; `low` with `high`; `rank`")
                .hint(hint);
                self.error(d);
                Value::Unknown
            }
        }
    }

    /// `low` and `high`.
    fn range(
        &mut self,
        id: &Spanned<String>,
        (lo, hi): (&Spanned<toml::Value>, &Spanned<toml::Value>),
        precision: Option<f64>,
    ) -> Value {
        let low = self.number(lo, "low", precision);
        let high = self.number(hi, "high", precision);
        let (Some((low, low_est)), Some((high, high_est))) = (low, high) else {
            return Value::Unknown;
        };
        if low.value > high.value {
            let d = Diagnostic::error(
                "range-goes-down",
                format!(
                    "range `{}` goes down: low {} is above high {}",
                    id.get_ref(),
                    low.value,
                    high.value
                ),
            )
            .at(self.at(lo))
            .expected("`low` at most `high`")
            .hint("swap `low` and `high`");
            self.error(d);
        }
        Value::Range {
            low,
            high,
            low_est,
            high_est,
        }
    }

    /// `rank` with `ranked`.
    fn rank(&mut self, id: &Spanned<String>, raw: &RawFigure, r: &Spanned<i64>) -> Value {
        if *r.get_ref() < 1 || *r.get_ref() > 10_000 {
            let d = Diagnostic::error(
                "bad-rank",
                format!("rank {} is not a position", r.get_ref()),
            )
            .at(self.at(r))
            .expected("a whole number from 1 (the first)");
            self.error(d);
        }
        match &raw.ranked {
            Some(ranked) => Value::Rank {
                rank: (*r.get_ref()).clamp(1, 10_000) as u32,
                ranked: ranked.clone(),
            },
            None => {
                let d = Diagnostic::error("rank-without-ranked", format!("rank of figure `{}` says what is ranked nowhere", id.get_ref()))
                    .at(self.at(r))
                    .expected("`ranked = \"…\"` next to `rank`")
                    .hint("e.g. `rank = 4` with `ranked = \"largest trading partner\"` reads \"4th-largest trading partner\"");
                self.error(d);
                Value::Unknown
            }
        }
    }

    /// How sure the figure is: stated, target, planned or derived.
    fn status_of(
        &mut self,
        id: &Spanned<String>,
        raw: &RawFigure,
        stated: bool,
        has_relation: bool,
    ) -> Status {
        match &raw.status {
            Some(s) => match Status::parse(s.get_ref()) {
                Some(Status::Derived) if stated => {
                    let d = Diagnostic::error("derived-with-value", format!("figure `{}` is marked derived but states a value", id.get_ref()))
                        .at(self.at(s))
                        .expected("`derived` only for figures computed from a relation, without `value`")
                        .hint("remove `status`, or remove the value and declare the relation it is computed by");
                    self.error(d);
                    Status::Stated
                }
                Some(Status::Derived) if !has_relation => {
                    let d = Diagnostic::error(
                        "derived-without-relation",
                        format!("derived figure `{}` has no relation", id.get_ref()),
                    )
                    .at(self.at(s))
                    .expected("a relation such as `growth = [\"from\", \"to\"]`");
                    self.error(d);
                    Status::Derived
                }
                Some(st) => st,
                None => {
                    let d = Diagnostic::error(
                        "unknown-status",
                        format!("unknown status `{}`", s.get_ref()),
                    )
                    .at(self.at(s))
                    .expected("one of stated, target, planned, derived");
                    self.error(d);
                    Status::Stated
                }
            },
            None if !stated && has_relation => Status::Derived,
            None => Status::Stated,
        }
    }

    /// The figure's source, required unless it is derived.
    fn source_of(
        &mut self,
        book: &Book,
        id: &Spanned<String>,
        raw: &RawFigure,
        status: Status,
    ) -> Option<usize> {
        let at = self.at(id);
        match &raw.source {
            Some(s) => self.reference(book, Kind::Source, s),
            None if status == Status::Derived => None,
            None => {
                let d = Diagnostic::error("no-source", format!("figure `{}` has no source", id.get_ref()))
                    .at(at.clone())
                    .expected("`source = \"…\"`, the id of a source in `[sources]`")
                    .hint("every stated number needs its source; only derived figures take theirs from their inputs");
                self.error(d);
                None
            }
        }
    }

    /// The figure's period read as dates, with a warning if it cannot be.
    fn period_of(&mut self, raw: &RawFigure) -> Option<period::Span> {
        let period_span = period::parse(raw.period.get_ref());
        if period_span.is_none() {
            let d = Diagnostic::warning(
                "unreadable-period",
                format!("period `{}` cannot be read as dates", raw.period.get_ref()),
            )
            .at(self.at(&raw.period))
            .expected(format!("a period such as {}", period::FORMS))
            .hint("the period is shown as written, but the stale-figure check skips it");
            self.error(d);
        }
        period_span
    }
}

/// A unit written with a scale in it (`USD bn`, `billion USD`, `Mt`): the
/// unit and the scale word it stands for.
fn unit_and_scale(book: &Book, written: &str) -> Option<(String, &'static str)> {
    let scale_word = |w: &str| match w.to_lowercase().trim_end_matches('.') {
        "k" | "thousand" | "thousands" => Some("thousand"),
        "m" | "mn" | "mln" | "million" | "millions" => Some("million"),
        "b" | "bn" | "bln" | "billion" | "billions" => Some("billion"),
        "t" | "tn" | "trillion" | "trillions" => Some("trillion"),
        _ => None,
    };
    let words: Vec<&str> = written.split_whitespace().collect();
    if let [a, b] = words[..] {
        for (unit, scale) in [(a, b), (b, a)] {
            if book.units.get(unit).is_some()
                && let Some(s) = scale_word(scale)
            {
                return Some((unit.to_string(), s));
            }
        }
    }
    // SI-prefixed forms of tonnes: kt, Mt, Gt.
    let prefixed = match written {
        "kt" => Some("thousand"),
        "Mt" => Some("million"),
        "Gt" => Some("billion"),
        _ => None,
    };
    prefixed.map(|s| ("t".to_string(), s))
}
