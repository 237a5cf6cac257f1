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
                    diagnostic(Diagnostic::warning("root-absolute-link", format!("root-absolute link `{l}` on `{page}`")), from, page)
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
                    diagnostic(Diagnostic::error("broken-link", format!("broken link on `{page}`: `{l}`")), from, page)
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
                let d = diagnostic(
                    Diagnostic::error("broken-anchor", format!("broken anchor on `{page}`: `{l}`")),
                    from,
                    page,
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
    report
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
