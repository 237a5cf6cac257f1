//! HTML tables as Typst tables: header rows repeated on every page the
//! table runs over, numeric columns aligned right (the site's `num`
//! class), cells spanning columns kept.

use std::sync::LazyLock;

use scraper::{ElementRef, Selector};

use super::body::{Context, cell};

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

/// The table as a Typst `table(…)` call (without `#` when `in_code`, for
/// a figure's body).
pub fn table(cx: &Context<'_>, el: ElementRef<'_>, in_code: Option<()>) -> String {
    let rows = rows(cx, el);
    let columns = rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.span).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    // A column is numeric when its body cells say so.
    let mut numeric = vec![false; columns];
    for r in rows.iter().filter(|r| !r.header) {
        let mut col = 0;
        for c in &r.cells {
            if c.numeric && col < columns {
                numeric[col] = true;
            }
            col += c.span;
        }
    }
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
        format!("columns: {columns}"),
        format!("align: ({},)", align.join(", ")),
    ];
    if !header.is_empty() {
        args.push(format!("table.header(repeat: true, {})", header.join(", ")));
    }
    args.extend(body);
    let hash = if in_code.is_some() { "" } else { "#" };
    format!("{hash}table({})", args.join(", "))
}
