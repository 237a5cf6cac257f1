//! HTML tables as Typst tables: header rows repeated on every page the
//! table runs over, numeric columns aligned right (the site's `num`
//! class), cells spanning columns kept, and columns sized as a browser
//! sizes them (never narrower than a figure), by the preamble's
//! `fit-table`, which also finds the tables that can't fit the page.

use std::sync::LazyLock;

use scraper::{ElementRef, Selector};

use super::body::{Context, cell, unbreakable};
use super::markup::string;

/// Finds a table in a figure.
pub static TABLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("table").expect("a valid selector"));

/// One row: its cells, whether in the header.
struct Row {
    header: bool,
    cells: Vec<Cell>,
}

struct Cell {
    markup: String,
    /// What no line is broken inside: the narrowest the cell can be.
    pieces: Vec<String>,
    numeric: bool,
    span: usize,
}

fn rows(cx: &Context<'_>, table: ElementRef<'_>) -> Vec<Row> {
    let mut out = Vec::new();
    let mut push_rows = |group: ElementRef<'_>, header: bool| {
        for tr in group.child_elements().filter(|e| e.value().name() == "tr") {
            let cells = tr
                .child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(|c| Cell {
                    markup: cell(cx, c),
                    pieces: unbreakable(cx, c),
                    numeric: c.value().classes().any(|k| k == "num"),
                    span: c
                        .value()
                        .attr("colspan")
                        .and_then(|s| s.parse().ok())
                        .filter(|&n: &usize| (1..=1000).contains(&n))
                        .unwrap_or(1),
                })
                .collect();
            out.push(Row { header, cells });
        }
    };
    push_rows(table, false);
    for group in table.child_elements() {
        match group.value().name() {
            "thead" => push_rows(group, true),
            "tbody" | "tfoot" => push_rows(group, false),
            _ => {}
        }
    }
    // `thead` may come after rows written straight into the table; the
    // header goes first.
    out.sort_by_key(|r| !r.header);
    out
}

/// The table as a call of the preamble's `fit-table` (without `#` when
/// `in_code`, for a figure's body); `id` names it when it is too wide.
pub fn table(cx: &Context<'_>, el: ElementRef<'_>, id: &str, in_code: bool) -> String {
    let rows = rows(cx, el);
    let columns = rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.span).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (numeric, pieces, naturals) = columns_of(&rows, columns);
    let align: Vec<&str> = numeric
        .iter()
        .map(|&n| if n { "right" } else { "left" })
        .collect();
    let cells = |r: &Row| -> Vec<String> {
        r.cells
            .iter()
            .map(|c| {
                if c.span > 1 {
                    format!("table.cell(colspan: {})[{}]", c.span, c.markup)
                } else {
                    format!("[{}]", c.markup)
                }
            })
            .collect()
    };
    let header: Vec<String> = rows.iter().filter(|r| r.header).flat_map(cells).collect();
    let body: Vec<String> = rows.iter().filter(|r| !r.header).flat_map(cells).collect();
    let mut args = vec![
        string(id),
        string(cx.key),
        array(pieces.into_iter().map(array).collect()),
        array(naturals.into_iter().map(array).collect()),
        format!(
            "align: {}",
            array(align.into_iter().map(String::from).collect())
        ),
    ];
    if !header.is_empty() {
        args.push(format!("table.header(repeat: true, {})", header.join(", ")));
    }
    args.extend(body);
    let hash = if in_code { "" } else { "#" };
    format!("{hash}fit-table({})", args.join(", "))
}

/// Per column: whether it is numeric (its body cells say so), the pieces
/// no line is broken inside, and each cell on one line. Cells spanning
/// columns count for none.
type Columns = (Vec<bool>, Vec<Vec<String>>, Vec<Vec<String>>);

fn columns_of(rows: &[Row], columns: usize) -> Columns {
    let mut numeric = vec![false; columns];
    let mut pieces = vec![Vec::new(); columns];
    let mut naturals = vec![Vec::new(); columns];
    for r in rows {
        let mut col = 0;
        for c in &r.cells {
            if col >= columns {
                break;
            }
            numeric[col] |= c.numeric && !r.header;
            if c.span == 1 {
                // The header row is bold.
                let styled = |m: &str| match r.header {
                    true => format!("[#strong[{m}]]"),
                    false => format!("[{m}]"),
                };
                pieces[col].extend(c.pieces.iter().map(|p| styled(p)));
                naturals[col].push(styled(&c.markup));
            }
            col += c.span;
        }
    }
    (numeric, pieces, naturals)
}

/// A Typst array of `items` (Typst code).
fn array(items: Vec<String>) -> String {
    match items.len() {
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}
