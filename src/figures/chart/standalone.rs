//! One chart as a standalone SVG file (`briefing chart`), for slides,
//! documents and READMEs: the wide drawing with its title above, its
//! sources and note below, a background, and the theme's colours (light and
//! dark) embedded.

use std::fmt::Write;

use super::scene::{Anchor, Label};
use super::text::{n, wrap};
use super::{Book, Chart, WIDE, chart_sources, describe, draw};
use crate::figures::html::{self, escape};

/// The theme's chart styles (its colour variables, light and dark, and the
/// chart rules), cut from the stylesheet so that there is one copy of them.
fn chart_styles() -> String {
    let css = crate::theme::ASSETS
        .iter()
        .find(|(name, _)| *name == "style.css")
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_default();
    let between = |start: &str, end: &str| -> String {
        let from = css.find(start).map_or(css.len(), |i| i + start.len());
        let to = css[from..].find(end).map_or(css.len(), |i| from + i);
        css[from..to].trim().to_string()
    };
    format!(
        "{}\n{}",
        between("/* standalone: variables */", "/* standalone: end */"),
        between("/* standalone: chart rules */", "/* standalone: end */")
    )
    .replace(":root", "svg")
}

/// The chart rules with the light theme's colours written out, on a white
/// page: for renderers without CSS variables or media queries (the PDF).
fn print_styles() -> String {
    let css = without_comments(&chart_styles());
    let light = css.split("@media").next().unwrap_or("");
    let mut vars: Vec<(String, String)> = light
        .split(';')
        .filter_map(|decl| {
            let decl = decl.rsplit(['{', '}']).next().unwrap_or(decl).trim();
            let (name, value) = decl.split_once(':')?;
            let name = name.trim();
            name.starts_with("--")
                .then(|| (name.to_string(), value.trim().to_string()))
        })
        .collect();
    // Paper is white.
    for (name, value) in &mut vars {
        if name == "--bg" {
            *value = "#ffffff".to_string();
        }
    }
    // The rules follow the variables; they start with the text colour.
    let rules_start = css.find(".chart-svg text").unwrap_or(0);
    let mut out = css[rules_start..].to_string();
    // Longest names first, so that `--chart-1` never eats `--chart-10`.
    vars.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    for (name, value) in &vars {
        out = out.replace(&format!("var({name})"), value);
    }
    out
}

/// The width charts are drawn at for print, in px. Set across a page's
/// text (about 16 cm), their 13 px labels come out at about 8.5 pt, a
/// caption's size.
pub const PRINT_WIDTH: f64 = 680.0;

/// CSS without its `/* … */` comments.
fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out
}

/// The wide drawing alone, with explicit colours on white and the text in
/// DejaVu Sans (whose widths placed the labels): the chart as the PDF
/// edition prints it, its title and source set by the document.
pub fn for_print(book: &Book, chart: &Chart) -> String {
    let scene = draw(book, chart, PRINT_WIDTH);
    format!(
        "<svg class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">\n<style>\nsvg {{ font-family: \"DejaVu Sans\"; font-size: 13px; }}\n{css}\n</style>\n{body}\n</svg>\n",
        w = n(scene.width),
        h = n(scene.height),
        css = print_styles(),
        body = scene.body(),
    )
}

/// The chart as a standalone SVG file (`briefing chart`): the same drawing
/// as on a page, with its title above, its source below, a background and
/// the theme's colours (light and dark) embedded, for slides, documents and
/// READMEs.
pub fn standalone(book: &Book, chart: &Chart) -> String {
    let scene = draw(book, chart, WIDE);
    let width = WIDE + 16.0;
    let sources: Vec<String> = chart_sources(book, chart)
        .iter()
        .map(|&s| {
            let src = &book.sources[s];
            let mut parts: Vec<&str> = [&src.author, &src.title, &src.publisher]
                .into_iter()
                .map(String::as_str)
                .filter(|t| !t.is_empty())
                .collect();
            let date = html::human_date(book, &src.date);
            parts.push(&date);
            parts.join(", ")
        })
        .collect();
    let mut foot = format!(
        "{}: {}",
        if sources.len() > 1 {
            "Sources"
        } else {
            "Source"
        },
        sources.join("; ")
    );
    if let Some(note) = &chart.note {
        foot.push_str(&format!(". {note}"));
    }
    let notes = html::figure_notes(book, &chart.figures());
    if !notes.is_empty() {
        foot.push_str(&format!(". {notes}"));
    }
    let heading = wrap(&chart.title, WIDE, 15.0 * 1.05, 4);
    let foot = wrap(&foot, WIDE, 12.0, 6);
    let top = 30.0 + 19.0 * (heading.len() as f64 - 1.0);
    let height = (top + scene.height + 8.0 + 15.0 * foot.len() as f64).ceil();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"title desc\">\n<title id=\"title\">{title}</title>\n<desc id=\"desc\">{desc}</desc>\n<style>\nsvg {{ font-family: \"DejaVu Sans\", system-ui, -apple-system, \"Segoe UI\", Roboto, Arial, sans-serif; font-size: 13px; }}\n{css}\n.c-background {{ fill: var(--bg); }}\n.c-heading {{ font-weight: 700; font-size: 15px; }}\n.c-foot {{ fill: var(--muted); font-size: 12px; }}\n</style>\n<rect class=\"c-background\" width=\"100%\" height=\"100%\"/>\n",
        w = n(width),
        h = n(height),
        title = escape(&chart.title),
        desc = escape(&describe(book, chart)),
        css = chart_styles(),
    );
    let mut frame = super::scene::Scene::new(width);
    frame.label(Label::lines(8.0, 20.0, Anchor::Start, "c-heading", heading));
    let foot_y = top + scene.height + 14.0;
    frame.label(Label::lines(8.0, foot_y, Anchor::Start, "c-foot", foot));
    out.push_str(&frame.body());
    let _ = write!(
        out,
        "\n<g transform=\"translate(8 {})\">\n{}\n</g>\n",
        n(top),
        scene.body()
    );
    out.push_str("</svg>\n");
    out
}
