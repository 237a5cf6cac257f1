//! Rebuilding after an edit of `content/data.toml`, for `briefing serve`.
//!
//! The data file is what analysts edit most, and a figure usually shows on a
//! few pages. This module finds what an edit changed (figures written
//! differently, tables and charts of them, events) and which pages show it:
//! pages whose text shows a changed item through a shortcode get their
//! Markdown rendered again; pages whose template calls the figure functions
//! (`key_figures()`, `sources()` …) only their template. An edit that changes
//! what the site is built around (an id added or removed, a source, a unit,
//! the key figures) is left to a full build.

use std::collections::HashSet;

use crate::figures::format::Style;
use crate::figures::{Book, html};
use crate::markdown::Use;
use crate::model::{EntryId, Site};

/// What an edit of the data file changed, by index into the new book.
#[derive(Debug, Default)]
pub struct Changed {
    /// Figures written differently anywhere (prose, table, description).
    pub figures: HashSet<usize>,
    /// Tables with a changed figure or definition.
    pub tables: HashSet<usize>,
    /// Charts with a changed figure or definition.
    pub charts: HashSet<usize>,
    /// Whether any event changed.
    pub events: bool,
}

impl Changed {
    /// Whether nothing a reader sees changed (a comment, a blank line).
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty() && self.tables.is_empty() && self.charts.is_empty() && !self.events
    }

    /// Whether the text of an entry with these uses shows a changed item.
    pub fn shown_by(&self, uses: &[Use]) -> bool {
        uses.iter().any(|u| match *u {
            Use::Figure(f) => self.figures.contains(&f),
            Use::Table(t) => self.tables.contains(&t),
            Use::Chart(c) => self.charts.contains(&c),
            Use::Event(_) => self.events,
        })
    }
}

/// What `new` writes differently from `old`; `None` when the edit changed
/// what the site is built around, which only a full build redoes.
pub fn changed(old: &Book, new: &Book) -> Option<Changed> {
    fn ids(b: &Book) -> [Vec<&str>; 4] {
        [
            b.figures.iter().map(|f| f.id.as_str()).collect(),
            b.tables.iter().map(|t| t.id.as_str()).collect(),
            b.charts.iter().map(|c| c.id.as_str()).collect(),
            b.events.iter().map(|e| e.id.as_str()).collect(),
        ]
    }
    let frame = |b: &Book| format!("{:?}{:?}{:?}", b.sources, b.units, b.key_figures);
    if ids(old) != ids(new) || frame(old) != frame(new) || old.locale != new.locale {
        return None;
    }
    // Everything a figure is written as: its fields, both forms, and the
    // description that names its inputs ("implied by $2.57 billion …").
    let shown = |b: &Book, f: usize| {
        let fig = &b.figures[f];
        let (prose, short) = (b.format(fig, Style::Prose), b.format(fig, Style::Short));
        format!("{fig:?}\0{prose}\0{short}\0{}", html::describe(b, fig))
    };
    let figures: HashSet<usize> = (0..new.figures.len())
        .filter(|&f| shown(old, f) != shown(new, f))
        .collect();
    // A chart links to its table by caption, and both are drawn from their
    // definitions: a change to any definition redraws them all.
    let layout = |b: &Book| format!("{:?}{:?}", b.tables, b.charts);
    let redraw = layout(old) != layout(new);
    let touches = |members: Vec<usize>| redraw || members.iter().any(|f| figures.contains(f));
    let tables = (0..new.tables.len())
        .filter(|&t| touches(new.tables[t].figures()))
        .collect();
    let charts = (0..new.charts.len())
        .filter(|&c| touches(new.charts[c].figures()))
        .collect();
    let events = format!("{:?}", old.events) != format!("{:?}", new.events);
    Some(Changed {
        figures,
        tables,
        charts,
        events,
    })
}

/// Calls that read the figure book or the data table from a template.
const DATA_CALLS: &[&str] = &[
    "fig(",
    "figure(",
    "key_figures(",
    "timeline(",
    "sources(",
    "chart(",
    "data.",
    "data[",
    "| num",
    "|num",
];

/// Templates that read the data, by name; `None` when one of them is
/// included or extended by others (a partial, `base.html`) or is a
/// site-wide file, so that any page may show the data.
pub fn data_templates(templates: &[(String, &str)]) -> Option<HashSet<String>> {
    let mut reading = HashSet::new();
    for (name, text) in templates {
        if !DATA_CALLS.iter().any(|c| text.contains(c)) {
            continue;
        }
        let used_by_others = templates
            .iter()
            .any(|(other, t)| other != name && pulls_in(t, name));
        if used_by_others || crate::theme::SITE_FILES.contains(&name.as_str()) {
            return None;
        }
        reading.insert(name.clone());
    }
    Some(reading)
}

/// Whether template text `t` extends, includes or imports template `name`.
fn pulls_in(t: &str, name: &str) -> bool {
    ['"', '\''].iter().any(|q| {
        let quoted = format!("{q}{name}{q}");
        t.match_indices(&quoted).any(|(at, _)| {
            let before = t[..at].trim_end();
            ["extends", "include", "import"]
                .iter()
                .any(|k| before.ends_with(k))
        })
    })
}

/// The entries to render again: those whose text shows a changed item
/// (their Markdown first), and those whose template reads the data.
pub fn affected(
    site: &Site,
    changed: &Changed,
    reading: &HashSet<String>,
) -> (Vec<EntryId>, Vec<EntryId>) {
    let mut bodies = Vec::new();
    let mut templates = Vec::new();
    for id in site.entry_ids() {
        let e = site.entry(id);
        if changed.shown_by(&e.uses) {
            bodies.push(id);
        } else if reading.contains(&e.template.name) {
            templates.push(id);
        }
    }
    (bodies, templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_that_read_the_data_are_found_and_partials_are_everywhere() {
        let leaf = [
            (
                "page.html".to_string(),
                "{% extends \"base.html\" %}{{ page.content }}",
            ),
            (
                "index.html".to_string(),
                "{% extends \"base.html\" %}{{ key_figures() }}",
            ),
            (
                "base.html".to_string(),
                "<html>{% block content %}{% endblock %}",
            ),
        ];
        let found = data_templates(&leaf).unwrap();
        assert_eq!(found, HashSet::from(["index.html".to_string()]));
        let linked = [
            (
                "base.html".to_string(),
                "<a href=\"{{ get_url(path=\"index.html\") }}\">",
            ),
            (
                "index.html".to_string(),
                "{% extends 'base.html' %}{{ sources() }}",
            ),
        ];
        assert!(data_templates(&linked).is_some());
        let partial = [
            ("page.html".to_string(), "{% include \"partials/f.html\" %}"),
            ("partials/f.html".to_string(), "{{ fig(id=\"x\") }}"),
        ];
        assert!(data_templates(&partial).is_none());
        let feed = [("atom.xml".to_string(), "{{ data.extra.x }}")];
        assert!(data_templates(&feed).is_none());
    }
}
