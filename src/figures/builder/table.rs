//! Building events and tables: each figure reference resolved, each grid
//! cell checked against its column.

use toml::Spanned;

use super::Builder;
use crate::diagnostic::Diagnostic;
use crate::figures::units::Scale;
use crate::figures::*;

impl Builder<'_> {
    pub(super) fn event(
        &mut self,
        book: &Book,
        id: &Spanned<String>,
        e: &Spanned<RawEvent>,
    ) -> Option<Event> {
        let raw = e.get_ref();
        let source = self.reference(book, Kind::Source, &raw.source)?;
        let period_span = period::parse(raw.period.get_ref());
        if period_span.is_none() {
            let d = Diagnostic::error(
                "unreadable-event-period",
                format!(
                    "period `{}` of event `{}` cannot be read as dates",
                    raw.period.get_ref(),
                    id.get_ref()
                ),
            )
            .at(self.at(&raw.period))
            .expected(format!("a period such as {}", period::FORMS))
            .hint("events are put in date order, so their period must be readable");
            self.error(d);
        }
        Some(Event {
            id: id.get_ref().clone(),
            label: raw.label.clone(),
            period: raw.period.get_ref().clone(),
            period_span,
            source,
            note: raw.note.clone(),
            at: self.at(id),
        })
    }

    pub(super) fn table(
        &mut self,
        book: &Book,
        id: &Spanned<String>,
        t: &Spanned<RawTable>,
    ) -> Table {
        let raw = t.get_ref();
        let at = self.at(id);
        let mut table = Table {
            id: id.get_ref().clone(),
            caption: raw.caption.clone(),
            columns: Vec::new(),
            rows: Vec::new(),
            list: raw.figures.is_some(),
            note: raw.note.clone(),
            at: at.clone(),
        };
        match (&raw.figures, &raw.columns, &raw.rows) {
            (Some(figures), None, None) => {
                table.columns = ["Indicator", "Value", "Period", "Status"]
                    .iter()
                    .map(|l| Column {
                        label: l.to_string(),
                        unit: None,
                        scale: None,
                    })
                    .collect();
                table.rows = figures
                    .iter()
                    .filter_map(|f| self.reference(book, Kind::Figure, f))
                    .map(|f| vec![Cell::Figure(f)])
                    .collect();
            }
            (None, Some(columns), Some(rows)) => {
                table.columns = columns.iter().map(|c| self.column(book, c)).collect();
                for row in rows {
                    if let Some(cells) = self.row(book, &table, row) {
                        table.rows.push(cells);
                    }
                }
            }
            _ => {
                let d = Diagnostic::error(
                    "empty-table",
                    format!(
                        "table `{}` has neither `figures` nor `columns` with `rows`",
                        table.id
                    ),
                )
                .at(at)
                .expected("`figures = [\"id\", …]` (one row per figure), or `columns` and `rows`")
                .hint("see the tables on the manual's Data file page");
                self.error(d);
            }
        }
        table
    }

    /// A grid table's column: its label, unit and scale.
    fn column(&mut self, book: &Book, c: &RawColumn) -> Column {
        let unit = c.unit.as_ref().and_then(|u| {
            if book.units.get(u.get_ref()).is_none() {
                let d =
                    Diagnostic::error("unknown-unit", format!("unknown unit `{}`", u.get_ref()))
                        .at(self.at(u))
                        .expected("a unit id, as for figures");
                self.error(d);
                return None;
            }
            Some(u.get_ref().clone())
        });
        Column {
            label: c.label.clone(),
            unit,
            scale: c.scale.as_ref().and_then(|s| Scale::parse(s.get_ref())),
        }
    }

    /// A grid table's row: one cell per column, or `None` (with an error).
    fn row(
        &mut self,
        book: &Book,
        table: &Table,
        row: &Spanned<Vec<Spanned<toml::Value>>>,
    ) -> Option<Vec<Cell>> {
        if row.get_ref().len() != table.columns.len() {
            let d = Diagnostic::error(
                "row-length",
                format!(
                    "row has {} cells but table `{}` has {} columns",
                    row.get_ref().len(),
                    table.id,
                    table.columns.len()
                ),
            )
            .at(self.at(row))
            .expected(format!("{} cells", table.columns.len()));
            self.error(d);
            return None;
        }
        let cells = row
            .get_ref()
            .iter()
            .enumerate()
            .map(|(k, cell)| {
                self.cell(book, table, k, cell)
                    .unwrap_or(Cell::Text(String::new()))
            })
            .collect();
        Some(cells)
    }

    pub(super) fn cell(
        &mut self,
        book: &Book,
        table: &Table,
        k: usize,
        cell: &Spanned<toml::Value>,
    ) -> Option<Cell> {
        match cell.get_ref() {
            toml::Value::String(s) => Some(Cell::Text(s.clone())),
            toml::Value::Table(t)
                if t.len() == 1 && t.get("fig").is_some_and(toml::Value::is_str) =>
            {
                let id = t["fig"].as_str().unwrap_or_default().to_string();
                let Some(f) = book.find(Kind::Figure, &id) else {
                    let d = book.unknown(Kind::Figure, &id, self.at(cell));
                    self.error(d);
                    return None;
                };
                let fig = &book.figures[f];
                let col = &table.columns[k];
                if col.unit.is_some() && (col.unit != fig.unit || col.scale != fig.scale) {
                    let d = Diagnostic::error(
                        "column-unit",
                        format!(
                            "figure `{id}` is in {}{} but column `{}` is in {}{}",
                            fig.unit.as_deref().unwrap_or("no unit"),
                            fig.scale
                                .map(|s| format!(" ({s:?})").to_lowercase())
                                .unwrap_or_default(),
                            col.label,
                            col.unit.as_deref().unwrap_or("no unit"),
                            col.scale
                                .map(|s| format!(" ({s:?})").to_lowercase())
                                .unwrap_or_default(),
                        ),
                    )
                    .at(self.at(cell))
                    .expected("the column's unit and scale")
                    .hint("one column, one unit: put the figure in a column of its unit");
                    self.error(d);
                }
                Some(Cell::Figure(f))
            }
            other => {
                let d = Diagnostic::error(
                    "bad-cell",
                    "a table cell must be text or `{ fig = \"id\" }`",
                )
                .at(self.at(cell))
                .expected(format!(
                    "a string or `{{ fig = \"id\" }}`; found a {}",
                    other.type_str()
                ))
                .hint("numbers belong in `[figures]`; cells refer to them with `{ fig = \"id\" }`");
                self.error(d);
                None
            }
        }
    }
}
