//! Building the [`Book`] from the raw data file: every id resolved, every
//! unit, period and date read, every mistake a located diagnostic. One
//! file per kind of entry: figures, tables and events, charts; and the
//! relation engine that derives and checks figures.

mod chart;
mod figure;
mod relations;
mod table;
#[cfg(test)]
mod tests;

use toml::Spanned;

use crate::diagnostic::{Diagnostic, Location};
use crate::figures::format::{Locale, Num};
use crate::figures::interval::Interval;
use crate::figures::units::Units;
use crate::figures::*;
use crate::load::SourceFile;

/// Builds the model from the raw file. Returns what could be built and
/// every problem found; the caller stops on errors.
pub fn build(file: Option<&SourceFile>, raw: RawData, language: &str) -> (Book, Vec<Diagnostic>) {
    let mut b = Builder {
        file,
        diagnostics: Vec::new(),
        inputs_failed: false,
        mismatched: Vec::new(),
        lines: std::cell::OnceCell::new(),
    };
    let book = b.book(raw, language);
    (book, b.diagnostics)
}

/// A relation as declared, before its inputs are resolved.
struct Pending {
    kind: RelationKind,
    inputs: Spanned<Vec<Spanned<String>>>,
    decimals: Option<usize>,
}

struct Builder<'f> {
    file: Option<&'f SourceFile>,
    diagnostics: Vec<Diagnostic>,
    /// Whether the relation being computed has an input with an error of
    /// its own, which explains any mismatch.
    inputs_failed: bool,
    /// Figures whose units a relation found at odds: reported there, so a
    /// chart of them is not reported again.
    mismatched: Vec<usize>,
    /// The data file's lines, indexed on the first place asked for: every
    /// entry keeps its place, so this keeps N entries linear.
    lines: std::cell::OnceCell<crate::line_index::LineIndex>,
}

impl Builder<'_> {
    fn at<T>(&self, s: &Spanned<T>) -> Location {
        self.at_span(s.span())
    }

    fn at_span(&self, span: std::ops::Range<usize>) -> Location {
        match self.file {
            Some(f) => {
                let lines = self
                    .lines
                    .get_or_init(|| crate::line_index::LineIndex::new(&f.text));
                Location::in_indexed(f.path.clone(), &f.text, lines, span)
            }
            None => Location::at("content/data.toml", 1, 1),
        }
    }

    fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn book(&mut self, raw: RawData, language: &str) -> Book {
        let mut book = Book {
            locale: Locale::for_language(language),
            units: Units::new(
                raw.units.iter().map(|(k, v)| (k.as_str(), v)),
                raw.settings.currency,
            ),
            stale_after_months: raw.settings.stale_after_months.unwrap_or(24),
            ..Book::default()
        };
        self.check_extra(&raw.extra);
        for (i, (id, s)) in raw.sources.iter().enumerate() {
            book.source_ids.insert(id.get_ref().clone(), i);
            let src = self.source(id, s, i + 1);
            book.sources.push(src);
        }
        for (i, id) in raw.figures.keys().enumerate() {
            book.figure_ids.insert(id.get_ref().clone(), i);
        }
        for (i, id) in raw.tables.keys().enumerate() {
            book.table_ids.insert(id.get_ref().clone(), i);
        }
        let mut figures = Vec::with_capacity(raw.figures.len());
        let mut relations = Vec::with_capacity(raw.figures.len());
        for (i, (id, f)) in raw.figures.iter().enumerate() {
            let errors = self.error_count();
            let (figure, relation) = self.figure(&book, id, f);
            if self.error_count() > errors {
                book.failed.figures.insert(i);
            }
            figures.push(figure);
            relations.push(relation);
        }
        book.figures = figures;
        self.relations(&mut book, relations);
        book.failed.figures.extend(self.mismatched.drain(..));
        for (i, f) in book.figures.iter().enumerate() {
            if matches!(f.value, Value::Unknown) {
                book.failed.figures.insert(i);
            }
        }
        let mut events: Vec<Event> = raw
            .events
            .iter()
            .filter_map(|(id, e)| self.event(&book, id, e))
            .collect();
        // By last possible day; of events that may end on the same day, the
        // dated ones first: "before 2024" comes after "2023", not above it.
        events.sort_by(|a, b| {
            let key = |e: &Event| e.period_span.map(|s| (s.end, s.start.is_none(), s.start));
            key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
        });
        for (i, e) in events.iter().enumerate() {
            book.event_ids.insert(e.id.clone(), i);
        }
        book.events = events;
        book.tables = raw
            .tables
            .iter()
            .map(|(id, t)| self.table(&book, id, t))
            .collect();
        book.key_figures = raw
            .key_figures
            .iter()
            .filter_map(|k| self.reference(&book, Kind::Figure, k))
            .collect();
        let mut charts = Vec::new();
        for (id, c) in &raw.charts {
            match self.chart(&book, id, c) {
                Some(chart) => charts.push(chart),
                None => {
                    book.failed.charts.insert(id.get_ref().clone());
                }
            }
        }
        for (i, c) in charts.iter().enumerate() {
            book.chart_ids.insert(c.id.clone(), i);
        }
        book.charts = charts;
        book.failed.any = self.error_count() > 0;
        book
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    fn reference(&mut self, book: &Book, kind: Kind, id: &Spanned<String>) -> Option<usize> {
        let found = book.find(kind, id.get_ref());
        if found.is_none() {
            let d = book.unknown(kind, id.get_ref(), self.at(id));
            self.error(d);
        }
        found
    }

    fn date(&mut self, v: &Spanned<toml::Value>, key: &str) -> String {
        match crate::parse::parse_date(v.get_ref()) {
            Ok(d) => d,
            Err(found) => {
                let d = Diagnostic::error("bad-date", format!("`{key}` is not a date"))
                    .at(self.at(v))
                    .expected(format!("a date such as 2024-01-24; found {found}"))
                    .hint(format!("write `{key} = 2024-01-24`"));
                self.error(d);
                String::new()
            }
        }
    }

    /// A source's `url`, unless it would run code when followed.
    fn source_url(&mut self, url: &Spanned<String>) -> Option<String> {
        match crate::urls::dangerous_scheme(url.get_ref(), false) {
            None => Some(url.get_ref().clone()),
            Some(scheme) => {
                let d = Diagnostic::error("unsafe-url", format!(
                    "a source's `url` is a `{scheme}` URL, which would run code in readers' browsers"
                ))
                .at(self.at(url))
                .expected("the `https://` address where the source can be read")
                .hint("leave `url` out if the source is not online");
                self.error(d);
                None
            }
        }
    }

    /// Free-form `[extra]` strings that are dangerous URLs.
    fn check_extra(&mut self, extra: &toml::Table) {
        let Some(file) = self.file else {
            return;
        };
        for (key, value, scheme) in crate::urls::dangerous_values(extra) {
            let region = file.text.find("[extra").unwrap_or(0)..file.text.len();
            let d = crate::urls::dangerous_value_diagnostic(
                &file.path, &file.text, region, &key, &value, scheme,
            );
            self.error(d);
        }
    }

    fn source(&mut self, id: &Spanned<String>, s: &Spanned<RawSource>, number: usize) -> Source {
        let raw = s.get_ref();
        Source {
            id: id.get_ref().clone(),
            number,
            title: raw.title.clone(),
            author: raw.author.clone(),
            publisher: raw.publisher.clone(),
            date: self.date(&raw.date, "date"),
            url: raw.url.as_ref().and_then(|u| self.source_url(u)),
            accessed: raw.accessed.as_ref().map(|a| self.date(a, "accessed")),
            at: self.at(id),
        }
    }

    /// A written number: its value, its decimals as written, and what it
    /// could stand for.
    fn number(
        &mut self,
        v: &Spanned<toml::Value>,
        key: &str,
        precision: Option<f64>,
    ) -> Option<(Num, Estimate)> {
        let value = match v.get_ref() {
            toml::Value::Integer(i) => *i as f64,
            toml::Value::Float(x) if x.is_finite() => *x,
            other => {
                let d = Diagnostic::error("not-a-number", format!("`{key}` is not a number"))
                    .at(self.at(v))
                    .expected(format!("a number such as 2.57; found a {}", other.type_str()))
                    .hint("write the number without quotes, units or separators; the unit goes in `unit`, the scale in `scale`");
                self.error(d);
                return None;
            }
        };
        let literal = self
            .file
            .map(|f| f.text[v.span()].trim().to_string())
            .unwrap_or_default();
        let decimals = written_decimals(&literal);
        let bounds = match precision {
            Some(p) => Interval::plus_minus(value, p),
            None => Interval::rounded(value, decimals),
        };
        Some((
            Num { value, decimals },
            Estimate {
                nominal: value,
                bounds,
            },
        ))
    }
}
