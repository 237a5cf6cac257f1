//! Translations that cannot drift from their original: what `check` (and
//! every build) says when a translated page shows a different set of
//! figures, tables, charts or events than the page it translates, has fewer
//! headings, or when a page exists in one language only. The numbers
//! themselves cannot drift: every edition formats the same data file.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location};
use crate::figures::Book;
use crate::markdown::Use;
use crate::model::{Entry, Site};

/// The warnings about translations of `sites` (the briefing's own language
/// first).
pub fn check(sites: &[Site]) -> Vec<Diagnostic> {
    let Some(own) = sites.first() else {
        return Vec::new();
    };
    let editions = &own.editions;
    let mut out = Vec::new();
    let mut keys: Vec<_> = editions.pages().collect();
    keys.sort_by(|a, b| a.0.cmp(b.0));
    for (key, outputs) in keys {
        let entry = |i: usize| {
            let out = outputs.get(i)?.as_deref()?;
            sites[i].entries().find(|e| e.output() == out)
        };
        let original = entry(0);
        for (i, site) in sites.iter().enumerate().skip(1) {
            let language = site.edition.as_deref().unwrap_or_default();
            match (original, entry(i)) {
                (Some(o), Some(t)) => {
                    out.extend(compare(&own.figures, o, &site.figures, t, language))
                }
                (Some(o), None) => out.push(
                    Diagnostic::warning(
                        "missing-translation",
                        format!("`{}` has no `{language}` translation", o.source),
                    )
                    .at(Location::at(o.source.clone(), 1, 1))
                    .expected(format!("a file `{}`", translated_name(key, language)))
                    .hint(format!(
                        "the `{language}` edition leaves this page out until it is translated"
                    )),
                ),
                (None, Some(t)) => out.push(
                    Diagnostic::warning(
                        "orphan-translation",
                        format!("`{}` translates a page that does not exist", t.source),
                    )
                    .at(Location::at(t.source.clone(), 1, 1))
                    .expected(format!("an original `{key}`"))
                    .hint("rename the file after the page it translates, or write the original"),
                ),
                (None, None) => {}
            }
        }
    }
    out
}

/// `content/trade.md` in `az`: `content/trade.az.md`.
fn translated_name(key: &str, language: &str) -> String {
    match key.strip_suffix(".md") {
        Some(base) => format!("{base}.{language}.md"),
        None => key.to_string(),
    }
}

/// What a translation shows differently from its original.
fn compare(own: &Book, o: &Entry, book: &Book, t: &Entry, language: &str) -> Vec<Diagnostic> {
    let shown = |b: &Book, e: &Entry| -> BTreeSet<String> {
        e.uses
            .iter()
            .map(|u| match *u {
                Use::Figure(f) => format!("figure `{}`", b.figures[f].id),
                Use::Table(x) => format!("table `{}`", b.tables[x].id),
                Use::Chart(c) => format!("chart `{}`", b.charts[c].id),
                Use::Event(e) => format!("event `{}`", b.events[e].id),
            })
            .collect()
    };
    let (in_original, in_translation) = (shown(own, o), shown(book, t));
    let at = Location::at(t.source.clone(), 1, 1);
    let mut out = Vec::new();
    for missing in in_original.difference(&in_translation) {
        out.push(
            Diagnostic::warning(
                "translation-lacks-figure",
                format!(
                    "`{}` does not show {missing}, which `{}` shows",
                    t.source, o.source
                ),
            )
            .at(at.clone())
            .expected(format!(
                "the same figures, tables and charts as the original, in `{language}`"
            ))
            .hint("add its shortcode to the translation, or take it out of the original"),
        );
    }
    for extra in in_translation.difference(&in_original) {
        out.push(
            Diagnostic::warning(
                "translation-adds-figure",
                format!(
                    "`{}` shows {extra}, which `{}` does not",
                    t.source, o.source
                ),
            )
            .at(at.clone())
            .expected("the same figures, tables and charts as the original")
            .hint("add it to the original too, or take it out of the translation"),
        );
    }
    let (ho, ht) = (o.toc.len(), t.toc.len());
    if ht < ho {
        out.push(
            Diagnostic::warning(
                "translation-headings",
                format!("`{}` has {ht} headings, `{}` has {ho}", t.source, o.source),
            )
            .at(at)
            .expected("a heading for each of the original's")
            .hint("a section of the original is missing from the translation"),
        );
    }
    out
}
