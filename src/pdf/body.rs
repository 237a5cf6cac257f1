//! The pages of the site, as the reader sees them, turned into Typst
//! markup: the `<main>` of each rendered page (its text, key figures,
//! tables, charts, timeline and source lists, from whatever templates the
//! briefing uses) converted element by element. Navigation, download links
//! and the phone-only copies of charts are left out; links between pages
//! become links inside the PDF; every chart is replaced by its drawing for
//! print, from the same chart code.

use crate::script::is_cjk;
use std::cell::RefCell;
use std::collections::HashSet;

use scraper::{ElementRef, Html, Node};

use super::markup::{label_name, string, text};

/// What converting a page needs to know of the rest of the document.
pub struct Context<'a> {
    /// The label prefix of the page (unique in the document).
    pub key: &'a str,
    /// The page's output folder (`"trade/"`), for resolving its links.
    pub page_dir: &'a str,
    /// The label key of a page by its output path (`"trade/index.html"`).
    pub page_key: &'a dyn Fn(&str) -> Option<String>,
    /// Every label defined in the document: links to anything else are
    /// left as text.
    pub labels: &'a HashSet<String>,
    /// The labels this conversion defines, gathered for the next one.
    pub defined: &'a RefCell<HashSet<String>>,
    /// A chart by its id: its drawing for print.
    pub chart: &'a dyn Fn(&str) -> Option<Drawing>,
    /// The site's address, for links to files that are not in the PDF.
    pub base_url: Option<&'a str>,
}

/// A chart's drawing, as a file of the document.
pub struct Drawing {
    /// Its path in the document (`/charts/3.svg`).
    pub path: String,
    /// Its description, the alt text.
    pub alt: String,
    /// Height over width.
    pub aspect: f64,
}

/// The part of a rendered page the PDF shows: its `<main>` (or `<body>`).
pub fn main_of(html: &str) -> &str {
    let inner = |open: &str, close: &str| -> Option<&str> {
        let start = html.find(open)?;
        let start = start + html[start..].find('>')? + 1;
        let end = html.rfind(close)?;
        (end >= start).then(|| &html[start..end])
    };
    inner("<main", "</main>")
        .or_else(|| inner("<body", "</body>"))
        .unwrap_or(html)
}

/// The page's main part as Typst markup.
pub fn convert(cx: &Context<'_>, main: &str) -> String {
    let doc = Html::parse_fragment(main);
    let mut out = String::with_capacity(main.len());
    children(cx, doc.root_element(), &mut out);
    out
}

fn children(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(&text(t)),
            Node::Element(_) => {
                if let Some(e) = ElementRef::wrap(child) {
                    element(cx, e, out);
                }
            }
            _ => {}
        }
    }
}

/// The children of `el` as a separate piece of markup.
fn inner(cx: &Context<'_>, el: ElementRef<'_>) -> String {
    let mut s = String::new();
    children(cx, el, &mut s);
    s.trim().to_string()
}

/// The label of `id` on this page, recorded as defined.
fn label(cx: &Context<'_>, id: &str) -> String {
    let name = label_name(cx.key, id);
    let written = format!("<{name}>");
    cx.defined.borrow_mut().insert(name);
    written
}

fn has_class(el: ElementRef<'_>, class: &str) -> bool {
    el.value().classes().any(|c| c == class)
}

/// Whether the element is not for paper: navigation, forms, downloads,
/// the narrow copy of a chart, things hidden from everyone.
fn skipped(el: ElementRef<'_>) -> bool {
    let v = el.value();
    matches!(
        v.name(),
        "nav" | "script" | "style" | "template" | "noscript" | "button" | "form" | "select"
    ) || v.attr("hidden").is_some()
        || v.attr("aria-hidden") == Some("true")
        || [
            "downloads",
            "c-narrow",
            "skip-link",
            "toc",
            "pager",
            "translation-note",
        ]
        .iter()
        .any(|c| has_class(el, c))
}

/// A `#metadata` anchor for an element's id, so that links to it work.
fn anchor(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    if let Some(id) = el.value().attr("id") {
        out.push_str("#metadata(none) ");
        out.push_str(&label(cx, id));
        out.push(' ');
    }
}

fn block(out: &mut String, markup: &str) {
    out.push_str("\n\n");
    out.push_str(markup);
    out.push_str("\n\n");
}

fn element(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    if skipped(el) {
        return;
    }
    let name = el.value().name();
    // Elements that place their id themselves.
    let placed = matches!(
        name,
        "h1" | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "p"
            | "figure"
            | "table"
            | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "figcaption"
            | "dl"
            | "aside"
            | "details"
            | "summary"
            | "main"
    );
    if !placed {
        anchor(cx, el, out);
    }
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => heading(cx, el, out),
        "p" => paragraph(cx, el, out),
        "ul" | "ol" if has_class(el, "timeline") => timeline(cx, el, out),
        "ul" | "ol" => list(cx, el, out),
        "blockquote" => block(out, &format!("#quote(block: true)[{}]", inner(cx, el))),
        "pre" => {
            let code: String = el.text().collect();
            block(out, &format!("#raw(block: true, {})", string(&code)));
        }
        "code" => {
            let code: String = el.text().collect();
            out.push_str(&format!("#raw({})", string(&code)));
        }
        "figure" if has_class(el, "chart") => chart(cx, el, out),
        "figure" if has_class(el, "data-table") => data_table(cx, el, out),
        "table" => {
            anchor(cx, el, out);
            let id = el.value().attr("id").unwrap_or("");
            block(out, &super::table::table(cx, el, id, false));
        }
        "a" => link(cx, el, out),
        // A figure is never broken over two lines (nor hyphenated), as on
        // the site; ranked phrases ("4th-largest trading partner") may be.
        "span" if has_class(el, "fig") && !has_class(el, "fig-words") => {
            out.push_str(&format!("#box[{}]", inner(cx, el)))
        }
        "span" if has_class(el, "chart-subtitle") => out.push_str(&format!(
            "#linebreak()#text(weight: \"regular\", fill: muted)[{}]",
            inner(cx, el)
        )),
        "em" | "i" | "cite" | "dfn" => wrap(cx, el, out, "emph"),
        "strong" | "b" => wrap(cx, el, out, "strong"),
        "del" | "s" => wrap(cx, el, out, "strike"),
        "sup" => wrap(cx, el, out, "super"),
        "sub" => wrap(cx, el, out, "sub"),
        "br" => out.push_str("#linebreak() "),
        "hr" => block(out, "#line(length: 100%, stroke: 0.4pt + muted)"),
        "img" => {
            if let Some(alt) = el.value().attr("alt").filter(|a| !a.trim().is_empty()) {
                out.push_str(&format!("#emph[{}]", text(alt)));
            }
        }
        // A task list's box, ticked or not.
        "input" if el.value().attr("type") == Some("checkbox") => {
            let ticked = el.value().attr("checked").is_some();
            out.push_str(if ticked { "☑" } else { "☐" });
        }
        "svg" | "input" | "head" | "title" | "meta" | "link" => {}
        "dt" => block(out, &format!("#strong[{}]", inner(cx, el))),
        "dd" => block(out, &format!("#pad(left: 1.2em)[{}]", inner(cx, el))),
        "div" | "section" | "article" | "header" | "footer" | "figure" | "figcaption" | "dl"
        | "aside" | "details" | "summary" | "main" => {
            out.push_str("\n\n");
            anchor(cx, el, out);
            children(cx, el, out);
            out.push_str("\n\n");
        }
        _ => children(cx, el, out),
    }
}

fn wrap(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String, function: &str) {
    let content = inner(cx, el);
    if !content.is_empty() {
        out.push_str(&format!("#{function}[{content}]"));
    }
}

fn heading(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    let level: usize = el.value().name()[1..].parse().unwrap_or(2);
    let content = inner(cx, el);
    if content.is_empty() {
        return;
    }
    let label = el
        .value()
        .attr("id")
        .map_or(String::new(), |id| format!(" {}", label(cx, id)));
    block(out, &format!("#heading(level: {level})[{content}]{label}"));
}

fn paragraph(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    let mut content = String::new();
    anchor(cx, el, &mut content);
    content.push_str(&inner(cx, el));
    if content.trim().is_empty() {
        return;
    }
    let style = if has_class(el, "lede") {
        "lede"
    } else if has_class(el, "chart-caption")
        || has_class(el, "table-source")
        || has_class(el, "byline")
        || has_class(el, "based-on")
    {
        "small"
    } else {
        ""
    };
    if style.is_empty() {
        block(out, &content);
    } else {
        block(out, &format!("#{style}[{content}]"));
    }
}

fn list(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    let ordered = el.value().name() == "ol";
    let items: Vec<String> = el
        .child_elements()
        .filter(|li| li.value().name() == "li" && !skipped(*li))
        .map(|li| {
            let mut item = String::new();
            anchor(cx, li, &mut item);
            item.push_str(&inner(cx, li));
            format!("[{item}]")
        })
        .collect();
    if items.is_empty() {
        return;
    }
    let start = el
        .value()
        .attr("start")
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(String::new(), |n| format!("start: {n}, "));
    let function = if ordered { "enum" } else { "list" };
    block(out, &format!("#{function}({start}{})", items.join(", ")));
}

/// Dated events: the date in a column of its own.
fn timeline(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    let mut cells = Vec::new();
    for li in el.child_elements().filter(|li| li.value().name() == "li") {
        let mut when = String::new();
        let mut what = String::new();
        anchor(cx, li, &mut what);
        for part in li.children() {
            match part.value() {
                Node::Element(_) => {
                    let Some(p) = ElementRef::wrap(part) else {
                        continue;
                    };
                    if has_class(p, "when") {
                        when = inner(cx, p);
                    } else if has_class(p, "note") {
                        what.push_str(&format!(" #small[{}]", inner(cx, p)));
                    } else {
                        element(cx, p, &mut what);
                    }
                }
                Node::Text(t) => what.push_str(&text(t)),
                _ => {}
            }
        }
        cells.push(format!("[#strong[{when}]], [{}]", what.trim()));
    }
    block(
        out,
        &format!(
            "#grid(columns: (7.5em, 1fr), column-gutter: 1em, row-gutter: 0.75em, {})",
            cells.join(", ")
        ),
    );
}

fn link(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    let content = inner(cx, el);
    let href = el.value().attr("href").unwrap_or("");
    match target(cx, href) {
        Some(Target::Label(l)) => out.push_str(&format!("#link(<{l}>)[{content}]")),
        Some(Target::Url(u)) => out.push_str(&format!("#link({})[{content}]", string(&u))),
        None => out.push_str(&content),
    }
}

enum Target {
    /// A place in the document.
    Label(String),
    /// An address outside it.
    Url(String),
}

/// Where a link of the page leads in the PDF.
fn target(cx: &Context<'_>, href: &str) -> Option<Target> {
    if href.is_empty() {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return Some(Target::Url(href.to_string()));
    }
    if crate::urls::dangerous_scheme(href, false).is_some() || lower.contains(':') {
        return None;
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let key = if path.is_empty() {
        cx.key.to_string()
    } else {
        let resolved = crate::urls::resolve(cx.page_dir, path)?;
        let page = if resolved.is_empty() || resolved.ends_with('/') || !resolved.contains('.') {
            crate::urls::index_of(&resolved)
        } else {
            resolved.clone()
        };
        match (cx.page_key)(&page) {
            Some(k) => k,
            // A file of the site (a download): its address when it has one.
            None => {
                return cx.base_url.map(|b| Target::Url(format!("{b}{resolved}")));
            }
        }
    };
    let name = label_name(&key, fragment);
    cx.labels.contains(&name).then_some(Target::Label(name))
}

/// A chart: its drawing for print with its description as alt text, the
/// title as caption (numbered by the site: "Chart 3. …"), and the source
/// line below.
fn chart(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    let id = el.value().attr("id").unwrap_or("");
    let Some(drawing) = id.strip_prefix("chart-").and_then(|c| (cx.chart)(c)) else {
        // Not one of the book's charts: shown as any figure.
        children(cx, el, out);
        return;
    };
    let mut caption = String::new();
    let mut below = String::new();
    for c in el.child_elements() {
        if skipped(c) {
            continue;
        }
        match c.value().name() {
            "figcaption" => caption = inner(cx, c),
            "svg" => {}
            _ => element(cx, c, &mut below),
        }
    }
    let label = label(cx, id);
    block(
        out,
        &format!(
            "#figure(kind: \"chart\", supplement: none, numbering: none, caption: [{caption}], layout(size => image({path}, width: calc.min(size.width, {max:.2}cm), alt: {alt}))) {label}",
            path = string(&drawing.path),
            alt = string(&drawing.alt),
            max = super::fit::CHART_MAX_HEIGHT_CM / drawing.aspect.max(0.01),
        ),
    );
    out.push_str(below.trim());
    out.push_str("\n\n");
}

/// A table of figures with its caption, and its source line below.
fn data_table(cx: &Context<'_>, el: ElementRef<'_>, out: &mut String) {
    let Some(table) = el.select(&super::table::TABLE).next() else {
        children(cx, el, out);
        return;
    };
    let caption = table
        .child_elements()
        .find(|c| c.value().name() == "caption")
        .map(|c| inner(cx, c))
        .unwrap_or_default();
    let id = el.value().attr("id").unwrap_or("");
    let label = match id {
        "" => String::new(),
        id => label(cx, id),
    };
    block(
        out,
        &format!(
            "#figure(kind: table, numbering: none, caption: [{caption}], {}) {label}",
            super::table::table(cx, table, id, true)
        ),
    );
    for c in el.child_elements() {
        if c.value().name() == "figcaption" && !skipped(c) {
            block(out, &format!("#small[{}]", inner(cx, c)));
        }
    }
}

/// Converts a fragment of HTML as part of a page (for the table module).
pub fn cell(cx: &Context<'_>, el: ElementRef<'_>) -> String {
    inner(cx, el)
}

/// The pieces of `el` that no line is broken inside, as markup with the
/// text it shows: each figure whole, each word of other text (broken after
/// a hyphen, dash or slash as Typst breaks it), each Chinese, Japanese or
/// Korean character. The widest of them is the narrowest `el` can be set.
pub fn unbreakable(cx: &Context<'_>, el: ElementRef<'_>) -> Vec<(String, String)> {
    let mut pieces = Vec::new();
    collect_unbreakable(cx, el, &mut pieces);
    pieces
}

fn collect_unbreakable(cx: &Context<'_>, el: ElementRef<'_>, out: &mut Vec<(String, String)>) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.extend(words(t).map(|w| (text(w), w.to_string()))),
            Node::Element(_) => {
                let Some(e) = ElementRef::wrap(child).filter(|e| !skipped(*e)) else {
                    continue;
                };
                if e.value().name() == "span" && has_class(e, "fig") && !has_class(e, "fig-words") {
                    out.push((format!("#box[{}]", inner(cx, e)), e.text().collect()));
                } else {
                    collect_unbreakable(cx, e, out);
                }
            }
            _ => {}
        }
    }
}

/// The words of `t`, each ending where a line may break.
fn words(t: &str) -> impl Iterator<Item = &str> {
    t.split_whitespace().flat_map(|w| {
        w.split_inclusive(|c: char| matches!(c, '-' | '–' | '—' | '/') || is_cjk(c))
            .flat_map(|part| {
                // A wide character stands alone.
                match part.char_indices().last() {
                    Some((i, c)) if is_cjk(c) && i > 0 => vec![&part[..i], &part[i..]],
                    _ => vec![part],
                }
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_one(html: &str) -> String {
        let labels: HashSet<String> = ["home--x", "trade", "trade--t"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let page_key = |p: &str| match p {
            "trade/index.html" => Some("trade".to_string()),
            "index.html" => Some("home".to_string()),
            _ => None,
        };
        let chart = |id: &str| {
            (id == "c").then(|| Drawing {
                path: "/charts/c.svg".to_string(),
                alt: "Bars.".to_string(),
                aspect: 0.5,
            })
        };
        let defined = RefCell::new(HashSet::new());
        let cx = Context {
            key: "home",
            page_dir: "",
            page_key: &page_key,
            labels: &labels,
            defined: &defined,
            chart: &chart,
            base_url: None,
        };
        convert(&cx, html)
    }

    #[test]
    fn a_cell_breaks_between_words_and_after_dashes_but_never_inside_a_figure() {
        let words: Vec<&str> = words("Baku–Tbilisi–Kars  rail/sea route 中国 trade").collect();
        assert_eq!(
            words,
            [
                "Baku–",
                "Tbilisi–",
                "Kars",
                "rail/",
                "sea",
                "route",
                "中",
                "国",
                "trade"
            ]
        );
        let html = Html::parse_fragment(
            r#"<table><tr><td>Whole corridor <span class="fig">18–23 days</span><sup>[1]</sup></td></tr></table>"#,
        );
        let labels = HashSet::new();
        let defined = RefCell::new(HashSet::new());
        let cx = Context {
            key: "home",
            page_dir: "",
            page_key: &|_| None,
            labels: &labels,
            defined: &defined,
            chart: &|_| None,
            base_url: None,
        };
        let td = html
            .select(&scraper::Selector::parse("td").unwrap())
            .next()
            .unwrap();
        let markup: Vec<String> = unbreakable(&cx, td).into_iter().map(|p| p.0).collect();
        assert_eq!(markup, ["Whole", "corridor", "#box[18–23 days]", "\\[1\\]"]);
    }

    #[test]
    fn links_lead_inside_the_document() {
        let t = convert_one(
            r##"<p><a href="trade/index.html">T</a> <a href="trade/index.html#t">t</a> <a href="#x">x</a> <a href="#gone">g</a> <a href="https://e.org/a">e</a> <a href="trade/t.csv">csv</a></p>"##,
        );
        assert!(t.contains("#link(<trade>)[T]"), "{t}");
        assert!(t.contains("#link(<trade--t>)[t]"), "{t}");
        assert!(t.contains("#link(<home--x>)[x]"), "{t}");
        assert!(t.contains(" g "), "a link to nothing is text: {t}");
        assert!(t.contains("#link(\"https://e.org/a\")[e]"), "{t}");
        assert!(t.contains(" csv"), "{t}");
    }

    #[test]
    fn a_task_list_keeps_its_boxes() {
        let t = convert_one(
            r#"<ul><li><input disabled="" type="checkbox"/> open</li><li><input disabled="" type="checkbox" checked=""/> done</li></ul>"#,
        );
        assert!(t.contains("[☐ open]") && t.contains("[☑ done]"), "{t}");
    }

    #[test]
    fn navigation_and_downloads_are_left_out() {
        let t = convert_one(
            r#"<nav class="toc"><p>On this page</p></nav><p>Text <span class="downloads">Download</span></p>"#,
        );
        assert!(!t.contains("On this page"), "{t}");
        assert!(!t.contains("Download"), "{t}");
        assert!(t.contains("Text"), "{t}");
    }

    #[test]
    fn a_chart_becomes_its_drawing_with_alt_text() {
        let t = convert_one(
            r#"<figure class="chart" id="chart-c"><figcaption class="chart-title">Trade</figcaption><svg class="c-wide"></svg><svg class="c-narrow"></svg><p class="chart-caption">Source: x</p></figure>"#,
        );
        assert!(t.contains("#figure(kind: \"chart\", supplement: none, numbering: none, caption: [Trade], layout(size => image(\"/charts/c.svg\", width: calc.min(size.width, 34.00cm), alt: \"Bars.\""), "{t}");
        assert!(t.contains("#small[Source\\: x]"), "{t}");
    }

    #[test]
    fn html_in_text_cannot_become_typst_code() {
        let t = convert_one("<p>#set page(width: 1pt) #read(\"/etc/passwd\")</p>");
        let parsed = typst::syntax::parse(&t);
        assert!(!parsed.diagnosis().errors);
        assert!(
            !parsed
                .children()
                .any(|n| n.kind() == typst::syntax::SyntaxKind::FuncCall
                    || n.kind() == typst::syntax::SyntaxKind::Hash),
            "{t}"
        );
    }
}
