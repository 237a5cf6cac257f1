//! Links and anchors of the built site, checked in memory by `briefing check`.
//!
//! Every internal `href` and `src` of every page — from Markdown, from
//! shortcodes and from templates alike — must lead to a file of the output,
//! and every `#fragment` to an element with that id. Checking the rendered
//! HTML (with lol_html's streaming parser) rather than the sources is what
//! catches anchors that templates produce and links a template builds wrong.

use std::collections::{BTreeMap, HashMap, HashSet};

use lol_html::{HtmlRewriter, Settings, element};
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::render::{Contents, Output};
use crate::urls;

/// What the link check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Broken links and anchors (errors) and links that break under a
    /// subpath (warnings).
    pub diagnostics: Vec<Diagnostic>,
    /// External URLs, each with the pages that use it.
    pub external: BTreeMap<String, Vec<String>>,
    /// Internal links checked.
    pub checked: usize,
}

/// The ids and links of one page.
#[derive(Debug, Default)]
struct Scan {
    ids: HashSet<String>,
    /// Ids that appear more than once on the page.
    repeated: Vec<String>,
    links: Vec<String>,
}

fn scan(html: &str) -> Scan {
    let mut scan = Scan::default();
    let mut ids = Vec::new();
    let mut links = Vec::new();
    {
        let settings = Settings::new()
            .append_element_content_handler(element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.push(id);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("[href], [src]", |el| {
                for attr in ["href", "src"] {
                    if let Some(v) = el.get_attribute(attr) {
                        links.push(v);
                    }
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // The HTML is ours and in memory: the parser cannot fail on input
        // it is given whole; a failure would only lose this page's links.
        let _ = rewriter.write(html.as_bytes());
        let _ = rewriter.end();
    }
    for id in ids.into_iter().map(|s| decode(&s)) {
        if !scan.ids.insert(id.clone()) && !scan.repeated.contains(&id) {
            scan.repeated.push(id);
        }
    }
    scan.links = links.into_iter().map(|s| decode(&s)).collect();
    scan
}

/// The ids of a page's elements.
pub fn ids_of(html: &str) -> HashSet<String> {
    scan(html).ids
}

/// Markdown links whose `#fragment` names no element of the page they point
/// at, located at the link, with the closest id suggested. `ids` holds the
/// ids of every page an anchor points at.
pub fn check_anchors(
    anchors: &[&crate::markdown::Anchor],
    ids: &HashMap<String, HashSet<String>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in anchors {
        let Some(page_ids) = ids.get(&a.page) else {
            continue;
        };
        if page_ids.contains(&a.fragment) {
            continue;
        }
        let mut known: Vec<&str> = page_ids.iter().map(String::as_str).collect();
        known.sort_unstable();
        let d = Diagnostic::error(
            "broken-anchor",
            format!("broken anchor: `#{}` is not on `{}`", a.fragment, a.page),
        )
        .at(a.at.clone())
        .expected(format!("the id of a heading or block on `{}`", a.page));
        out.push(match crate::diagnostic::closest(&a.fragment, known.iter().copied()) {
            Some(c) => d.hint(format!("did you mean `#{c}`?")),
            None => d.hint("heading ids are the headings' text in lower case with dashes, letters of every script kept: `## Trade flows` is `#trade-flows`"),
        });
    }
    out
}

/// The character references our HTML writers produce in attributes.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Checks every link of every page in `output`.
pub fn check(
    output: &Output,
    site: &Site,
    template_anchors: &[crate::markdown::Anchor],
    elsewhere: &HashSet<String>,
) -> Report {
    // Markdown links with fragments, and templates' `get_url("@/…#…")`, are
    // checked (and located) on their own.
    let markdown: HashSet<(&str, &str, &str)> = site
        .entries()
        .flat_map(|e| &e.anchors)
        .map(|a| (a.from.as_str(), a.page.as_str(), a.fragment.as_str()))
        .collect();
    let templated: HashSet<(&str, &str)> = template_anchors
        .iter()
        .map(|a| (a.page.as_str(), a.fragment.as_str()))
        .collect();
    // Files of the other editions of the briefing exist too.
    let files: HashSet<&str> = output
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(elsewhere.iter().map(String::as_str))
        .collect();
    let scans: HashMap<&str, Scan> = output
        .files
        .par_iter()
        .filter_map(|f| match &f.contents {
            Contents::Text(html) if f.path.ends_with(".html") => {
                Some((f.path.as_str(), scan(html)))
            }
            _ => None,
        })
        .collect();
    let sources: HashMap<String, &str> = site
        .entries()
        .map(|e| (e.output(), e.source.as_str()))
        .collect();
    let written = Written {
        site,
        texts: std::cell::RefCell::new(HashMap::new()),
    };
    let mut report = Report::default();
    let mut pages: Vec<&&str> = scans.keys().collect();
    pages.sort();
    for page in pages {
        let scan = &scans[*page];
        let dir = page.rfind('/').map_or("", |i| &page[..=i]);
        let from = sources.get(*page).copied();
        for id in &scan.repeated {
            let d = Diagnostic::error("duplicate-id", format!("the id `{id}` appears more than once on `{page}`"))
                .expected(format!("each id once per page, so that a link to `#{id}` and screen readers' labels find one element"))
                .hint("two headings with the same explicit `{#id}`, or a block shown twice (a table, chart or key figures in both the text and a template)");
            report.diagnostics.push(diagnostic(d, from, page));
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for link in &scan.links {
            if !seen.insert(link.as_str()) {
                continue;
            }
            let l = link.trim();
            if l.is_empty() {
                continue;
            }
            let lower = l.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") || l.starts_with("//")
            {
                report
                    .external
                    .entry(l.to_string())
                    .or_default()
                    .push(page.to_string());
                continue;
            }
            if urls::is_external_or_fragment(l) && !l.starts_with('#') && !l.starts_with('/') {
                // mailto:, tel:, data: …
                continue;
            }
            report.checked += 1;
            // A host serves `404.html` at whatever address was missing, at
            // any depth: there only the root is a known place.
            if l.starts_with('/') && *page == "404.html" {
                continue;
            }
            if l.starts_with('/') {
                report.diagnostics.push(
                    written.place(Diagnostic::warning("root-absolute-link", format!("root-absolute link `{l}` on `{page}`")), from, page, l)
                        .expected("a relative link, which works under any subpath and from disk")
                        .hint("in templates, write `{{ get_url(path=\"…\") }}`; in Markdown, link to the source file"),
                );
                continue;
            }
            let (path, fragment) = match l.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (l, None),
            };
            let path = path.split('?').next().unwrap_or(path);
            let target = if path.is_empty() {
                Some(page.to_string())
            } else {
                urls::resolve(dir, path).map(|t| {
                    let index = if t.is_empty() {
                        "index.html".to_string()
                    } else {
                        format!("{t}/index.html")
                    };
                    let folder = t.is_empty()
                        || path.ends_with('/')
                        || (!files.contains(t.as_str()) && files.contains(index.as_str()));
                    if folder { index } else { t }
                })
            };
            let Some(target) = target.filter(|t| files.contains(t.as_str())) else {
                report.diagnostics.push(
                    written.place(Diagnostic::error("broken-link", format!("broken link on `{page}`: `{l}`")), from, page, l)
                        .expected("a file of the built site")
                        .hint("link to pages by their source file (`[Trade](trade.md)`), or with `get_url(path=\"@/trade.md\")` in templates"),
                );
                continue;
            };
            if let Some(frag) = fragment.filter(|f| !f.is_empty())
                && !markdown.contains(&(*page, target.as_str(), frag))
                && !templated.contains(&(target.as_str(), frag))
                && let Some(target_scan) = scans.get(target.as_str())
                && !target_scan.ids.contains(frag)
            {
                let mut known: Vec<&str> = target_scan.ids.iter().map(String::as_str).collect();
                known.sort_unstable();
                let d = written
                    .place(
                        Diagnostic::error(
                            "broken-anchor",
                            format!("broken anchor on `{page}`: `{l}`"),
                        ),
                        from,
                        page,
                        l,
                    )
                    .expected(format!("an element with id `{frag}` on `{target}`"));
                let d = match crate::diagnostic::closest(frag, known.iter().copied()) {
                    Some(c) => d.hint(format!("did you mean `#{c}`?")),
                    None => d.hint("heading ids are the headings' text in lower case with dashes: `## Trade flows` is `#trade-flows`"),
                };
                report.diagnostics.push(d);
            }
        }
    }
    report.diagnostics = once_per_place(report.diagnostics);
    report
}

/// One diagnostic per place in the sources: a broken link in a template is
/// on every page, but it is one mistake. The first is kept, with a note of
/// how many pages have it.
fn once_per_place(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut first: HashMap<(&'static str, String, usize, usize), (usize, usize)> = HashMap::new();
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let place = d
            .location
            .as_ref()
            .filter(|at| at.snippet.is_some())
            .map(|at| (d.code, at.path.clone(), at.line, at.column));
        match place.as_ref().and_then(|p| first.get_mut(p)) {
            Some((_, more)) => *more += 1,
            None => {
                if let Some(p) = place {
                    first.insert(p, (kept.len(), 0));
                }
                kept.push(d);
            }
        }
    }
    for (i, more) in first.into_values() {
        if more > 0 {
            let pages = if more == 1 { "page" } else { "pages" };
            let d = &mut kept[i];
            let also = format!("the same link is on {more} other {pages}");
            let hint = match d.hint.as_deref() {
                Some(h) => format!("{h}; {also}"),
                None => also,
            };
            d.hint = Some(hint.into_boxed_str());
        }
    }
    kept
}

/// Where a link of the built HTML was written, for its diagnostic: the
/// Markdown's own links are located when they are rendered, so a link found
/// broken here was written as raw HTML in the page's source, or by a
/// template. Both are read again only when a link is found broken.
struct Written<'s> {
    site: &'s Site,
    /// Sources read again, by path.
    texts: std::cell::RefCell<HashMap<String, Option<std::sync::Arc<str>>>>,
}

impl Written<'_> {
    /// `d` placed where `link` is written: in the page's source `from`, or
    /// else in a template of the briefing; else at the page's first line.
    fn place(&self, d: Diagnostic, from: Option<&str>, page: &str, link: &str) -> Diagnostic {
        let in_source = from.and_then(|source| {
            let text = self.text_of(source)?;
            let at = find_link(&text, link)?;
            Some(Location::in_source(source, &text, at..at + link.len()))
        });
        let in_template = || {
            self.site.templates.iter().find_map(|(_, file)| {
                let at = find_link(&file.text, link)?;
                Some(Location::in_source(
                    file.path.clone(),
                    &file.text,
                    at..at + link.len(),
                ))
            })
        };
        match in_source.or_else(in_template) {
            Some(at) => match from {
                Some(_) => d.at(at),
                None => d
                    .at(at)
                    .note(format!("on `{page}`"), Location::at(page.to_string(), 1, 1)),
            },
            None => diagnostic(d, from, page),
        }
    }

    fn text_of(&self, source: &str) -> Option<std::sync::Arc<str>> {
        let mut texts = self.texts.borrow_mut();
        texts
            .entry(source.to_string())
            .or_insert_with(|| {
                let sandbox = crate::sandbox::Sandbox::open(&self.site.root).ok()?;
                Some(crate::load::reread(&sandbox, source).ok()?.text)
            })
            .clone()
    }
}

/// The byte offset of `link` as an attribute's value in `text` (quoted or
/// not), or anywhere in it.
fn find_link(text: &str, link: &str) -> Option<usize> {
    ["\"", "'", "="]
        .iter()
        .find_map(|q| text.find(&format!("{q}{link}")).map(|i| i + q.len()))
        .or_else(|| text.find(link))
}

fn diagnostic(d: Diagnostic, from: Option<&str>, page: &str) -> Diagnostic {
    match from {
        Some(source) => d.at(Location::at(source.to_string(), 1, 1)),
        None => d.note(format!("on `{page}`"), Location::at(page.to_string(), 1, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_links_are_found() {
        let s = scan(
            "<h2 id=\"a\">A</h2><a href=\"../b/index.html#c\">x</a><img src=\"m.png\"><p id='q&amp;r'>",
        );
        assert!(s.ids.contains("a") && s.ids.contains("q&r"));
        assert_eq!(s.links, vec!["../b/index.html#c", "m.png"]);
    }
}
