//! What can't fit a page of the PDF edition, reported as located warnings
//! (errors with `--strict`): a chart so tall that, shrunk to fit the page,
//! its labels would print too small to read, and a table whose narrowest
//! columns (each as wide as its widest figure or word) are wider than the
//! text. The site is not at fault, so it is still built, and the PDF shows
//! the chart small and lets the table run into the margin.
//!
//! Charts are measured here, from their drawing's proportions; tables by
//! Typst while it lays them out (the preamble's `fit-table` leaves a
//! `<briefing-too-wide>` mark), read back from the typeset document.

use std::collections::HashMap;

use typst::foundations::{Label, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::diagnostic::{Diagnostic, Location};
use crate::figures::chart::Chart;
use crate::frontmatter::Paper;

/// The tallest a chart is set, so that it fits on a page with its caption
/// and source (A4 and US Letter alike): a taller one is set narrower.
pub const CHART_MAX_HEIGHT_CM: f64 = 17.0;

/// The page's side margins.
pub const MARGIN_X_CM: f64 = 2.4;

/// The smallest a chart's labels may print, in points.
const SMALLEST_LABEL_PT: f64 = 6.0;

const PT_PER_CM: f64 = 72.0 / 2.54;

/// The width of the text on `paper`, in centimetres.
pub fn text_width_cm(paper: Paper) -> f64 {
    let width = match paper {
        Paper::A4 => 21.0,
        Paper::UsLetter => 21.59,
    };
    width - 2.0 * MARGIN_X_CM
}

/// The size a chart's labels print at, in points, when its drawing (of
/// `aspect` height over width) is set as wide as the text allows and no
/// taller than [`CHART_MAX_HEIGHT_CM`].
pub fn chart_label_pt(aspect: f64, paper: Paper) -> f64 {
    let width_cm = text_width_cm(paper).min(CHART_MAX_HEIGHT_CM / aspect.max(0.01));
    let scale = width_cm * PT_PER_CM / crate::figures::chart::PRINT_WIDTH;
    crate::figures::chart::FONT * scale
}

/// The tallest a chart's drawing for print can be, in pixels, for its
/// labels to print at [`SMALLEST_LABEL_PT`] when set
/// [`CHART_MAX_HEIGHT_CM`] tall.
fn tallest_chart_px() -> f64 {
    crate::figures::chart::FONT * CHART_MAX_HEIGHT_CM * PT_PER_CM / SMALLEST_LABEL_PT
}

/// The warning for a chart too tall to print legibly, if it is.
pub fn chart(chart: &Chart, aspect: f64, paper: Paper) -> Option<Diagnostic> {
    let label = chart_label_pt(aspect, paper);
    if label >= SMALLEST_LABEL_PT {
        return None;
    }
    let drawn = crate::figures::chart::PRINT_WIDTH;
    Some(
        Diagnostic::warning("chart-too-tall", format!(
            "chart `{}` can't fit a page of the PDF edition: it is drawn {:.0} px tall for {:.0} px wide, so set {:.0} cm tall its labels would print at {:.1} pt",
            chart.id,
            drawn * aspect,
            drawn,
            CHART_MAX_HEIGHT_CM,
            label,
        ))
        .at(chart.at.clone())
        .expected(format!(
            "a chart drawn at most {:.0} px tall for {drawn:.0} px wide, whose labels print at {SMALLEST_LABEL_PT} pt or more",
            tallest_chart_px(),
        ))
        .hint("show fewer categories (split the chart in two, or keep the largest and put the rest in a table), or turn the PDF edition off with `[pdf]` `build = false` in `content/_index.md`"),
    )
}

/// A table Typst found wider than the text.
struct TooWide {
    /// The HTML id of its figure (`table-ports`), or empty.
    id: String,
    /// The label key of the page it is on.
    key: String,
    /// Its narrowest width, and the text's, in centimetres.
    need: f64,
    have: f64,
}

/// The warnings for the tables the typeset document marks as too wide:
/// located at the table in the data file, or at the page that has it (a
/// table laid out more than once is marked more than once).
pub fn tables(
    paged: &PagedDocument,
    tables: &HashMap<&str, &Location>,
    pages: &HashMap<String, &str>,
) -> Vec<Diagnostic> {
    let Some(label) = Label::new(PicoStr::intern("briefing-too-wide")) else {
        return Vec::new();
    };
    let marks = paged
        .introspector()
        .query(&typst::foundations::Selector::Label(label));
    marks
        .iter()
        .filter_map(|m| too_wide(&m.to_packed::<MetadataElem>()?.value))
        .map(|t| {
            let table = t.id.strip_prefix("table-").unwrap_or(&t.id);
            let (what, at) = match tables.get(table) {
                Some(at) => (format!("table `{table}`"), (*at).clone()),
                None => {
                    let page = pages.get(&t.key).copied().unwrap_or("content/_index.md");
                    ("a table".to_string(), Location::at(page, 1, 1))
                }
            };
            Diagnostic::warning("table-too-wide", format!(
                "{what} can't fit a page of the PDF edition: its columns need at least {:.1} cm (each as wide as its widest figure or word), and the text is {:.1} cm wide",
                t.need, t.have
            ))
            .at(at)
            .expected(format!("a table whose columns fit in {:.1} cm", t.have))
            .hint("split it into two tables with fewer columns, or shorten its column labels; or turn the PDF edition off with `[pdf]` `build = false` in `content/_index.md`")
        })
        .collect()
}

fn too_wide(value: &Value) -> Option<TooWide> {
    let Value::Dict(d) = value else {
        return None;
    };
    let text = |k: &str| match d.get(k) {
        Ok(Value::Str(s)) => Some(s.as_str().to_string()),
        _ => None,
    };
    let number = |k: &str| match d.get(k) {
        Ok(Value::Float(f)) => Some(*f),
        _ => None,
    };
    Some(TooWide {
        id: text("id")?,
        key: text("key")?,
        need: number("need")?,
        have: number("have")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_as_wide_as_tall_prints_its_labels_at_a_readable_size() {
        let pt = chart_label_pt(1.0, Paper::A4);
        assert!((8.0..9.0).contains(&pt), "{pt}");
        assert!(chart_label_pt(0.5, Paper::UsLetter) > pt);
    }

    #[test]
    fn the_taller_the_chart_the_smaller_its_labels_once_it_reaches_the_page_height() {
        let mut last = f64::INFINITY;
        for tenths in 11..60 {
            let pt = chart_label_pt(f64::from(tenths) / 10.0, Paper::A4);
            assert!(pt < last, "{tenths}: {pt} ≥ {last}");
            last = pt;
        }
        assert!(chart_label_pt(1.5, Paper::A4) >= SMALLEST_LABEL_PT);
        assert!(chart_label_pt(1.6, Paper::A4) < SMALLEST_LABEL_PT);
    }
}
