//! One briefing in several languages over one data file.
//!
//! `content/_index.md` names the other languages (`languages = ["az",
//! "zh"]`); a translation is a file of the same name with the language
//! before `.md` (`trade.az.md`, `_index.az.md`), as in Zola. Each language
//! is an edition: a [`Site`] of its own, built by the same model stage from
//! its files and the one data file, with its numbers written for its
//! language, under its own prefix (`az/`). The briefing's own language is
//! at the root and alone writes the copied files and the site-wide ones.
//! [`Editions`] tells every page where its translations are.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::frontmatter::HomeFront;
use crate::model::{self, ModelOptions, Site};
use crate::parse::{Data, Document, Front, Parsed};

/// The editions of a briefing and which pages translate each other.
#[derive(Debug, Default)]
pub struct Editions {
    /// Language codes, the briefing's own first.
    pub languages: Vec<String>,
    /// Output paths by translation key (the source path without a
    /// language, `content/trade.md`), one per language, `None` where the
    /// page is not translated.
    pages: HashMap<String, Vec<Option<String>>>,
    /// Translation key by output path.
    keys: HashMap<String, String>,
}

impl Editions {
    /// The page at output path `out` in every language that has it:
    /// (language, output path), the briefing's own language first.
    pub fn of(&self, out: &str) -> Vec<(&str, &str)> {
        let Some(outs) = self.keys.get(out).and_then(|k| self.pages.get(k)) else {
            return Vec::new();
        };
        self.languages
            .iter()
            .zip(outs)
            .filter_map(|(l, o)| o.as_deref().map(|o| (l.as_str(), o)))
            .collect()
    }

    /// Pages by translation key, for the checks that compare translations.
    pub fn pages(&self) -> impl Iterator<Item = (&str, &[Option<String>])> {
        self.pages.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

/// The translation key of a source path in `edition`: `content/trade.az.md`
/// is `content/trade.md`.
pub fn key(source: &str, edition: Option<&str>) -> String {
    match edition.and_then(|l| source.strip_suffix(&format!(".{l}.md"))) {
        Some(base) => format!("{base}.md"),
        None => source.to_string(),
    }
}

/// The language of a translated file among `languages`, from its name.
fn language_of<'l>(path: &str, languages: &'l [String]) -> Option<&'l str> {
    let stem = path.strip_suffix(".md")?;
    let (_, code) = stem.rsplit_once('.')?;
    languages.iter().find(|l| *l == code).map(String::as_str)
}

/// Builds every edition of the parsed briefing: the sites, the briefing's
/// own language first. Errors of all editions are reported together.
pub fn build(parsed: Parsed, options: &ModelOptions) -> Result<Vec<Site>, Error> {
    let home = parsed
        .documents
        .iter()
        .find(|d| d.file.path == "content/_index.md")
        .and_then(|d| match &d.front {
            Front::Home(h) => Some((d, h.as_ref())),
            _ => None,
        });
    let Some((home_doc, front)) = home else {
        if let Some(d) = translated_home_alone(&parsed.documents) {
            return Err(Error::Input(Diagnostics(vec![d])));
        }
        return Ok(vec![model::build(parsed, options)?]);
    };
    let (languages, mut errors) = declared(home_doc, front);
    let own_language = front
        .language
        .as_ref()
        .map_or("en", |l| l.get_ref().as_str());
    let stray = undeclared(&parsed.documents, own_language, &languages);
    if front.languages.is_empty() {
        let mut site = model::build(parsed, options)?;
        site.notes.extend(stray);
        return Ok(vec![site]);
    }
    let base_url = options
        .base_url
        .clone()
        .or_else(|| front.base_url.as_ref().map(|b| b.get_ref().clone()));
    let mut missing: Vec<Diagnostic> = languages
        .iter()
        .map(|l| missing_home(home_doc, front, l))
        .collect();
    let Parsed {
        root,
        sandbox,
        documents,
        data,
        templates,
        assets,
    } = parsed;
    // Most documents are in the briefing's own language (slot 0).
    let mut by_language: Vec<Vec<Document>> = (0..=languages.len())
        .map(|slot| match slot {
            0 => Vec::with_capacity(documents.len()),
            _ => Vec::new(),
        })
        .collect();
    for doc in documents {
        let slot = language_of(&doc.file.path, &languages)
            .and_then(|l| languages.iter().position(|x| x == l))
            .map_or(0, |i| i + 1);
        by_language[slot].push(doc);
    }
    let mut parts = by_language.into_iter();
    let mut sites = Vec::new();
    let data_file = data.file.clone();
    let own = Parsed {
        root: root.clone(),
        sandbox: sandbox.clone(),
        documents: parts.next().unwrap_or_default(),
        data,
        templates: templates.clone(),
        assets,
    };
    let mut results = vec![model::build(own, options)];
    for ((l, documents), missing) in languages.iter().zip(parts).zip(missing.drain(..)) {
        if !documents.iter().any(|d| matches!(d.front, Front::Home(_))) {
            errors.push(missing);
            continue;
        }
        let edition = Parsed {
            root: root.clone(),
            sandbox: sandbox.clone(),
            documents,
            data: reparse(data_file.as_ref()),
            templates: templates.clone(),
            assets: Vec::new(),
        };
        let options = ModelOptions {
            edition: Some(l.clone()),
            base_url: base_url.clone(),
            ..options.clone()
        };
        results.push(model::build(edition, &options));
    }
    for r in results {
        match r {
            Ok(site) => sites.push(site),
            Err(Error::Input(ds)) => errors.extend(ds.0),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(Diagnostics(errors).sorted()));
    }
    sites[0].notes.extend(stray);
    // Every language follows the briefing's own `[pdf]` settings.
    let own_pdf = sites[0].meta.pdf.clone();
    for site in sites.iter_mut().skip(1) {
        let language = site.edition.clone().unwrap_or_default();
        site.meta.pdf = own_pdf.as_ref().map(|p| model::PdfEdition {
            path: format!("{language}/{}", model::PDF_FILE),
            paper: p.paper,
        });
    }
    let own_language = sites[0].meta.language.clone();
    let editions = Arc::new(index(&sites, own_language));
    for site in &mut sites {
        site.editions = Arc::clone(&editions);
    }
    Ok(sites)
}

/// Warnings for files named like a translation into a language the
/// briefing does not declare (`ports.fr.md`): each is built as a page of its
/// own in the briefing's language, which is rarely what was meant.
fn undeclared(documents: &[Document], own: &str, languages: &[String]) -> Vec<Diagnostic> {
    documents
        .iter()
        .filter_map(|d| {
            let stem = d.file.path.strip_suffix(".md")?;
            let (base, code) = stem.rsplit_once('.')?;
            let looks_like_one = (2..=3).contains(&code.len())
                && code.chars().all(|c| c.is_ascii_lowercase())
                && !base.ends_with('/');
            let known = code == own || languages.iter().any(|l| l == code);
            (looks_like_one && !known).then(|| {
                Diagnostic::warning("undeclared-language", format!(
                    "`{}` is named like a translation into `{code}`, which the briefing does not declare: it is built as a page of its own",
                    d.file.path
                ))
                .at(crate::diagnostic::Location::at(d.file.path.clone(), 1, 1))
                .expected(format!(
                    "`{code}` in `languages = [...]` in `content/_index.md`, or a name without `.{code}`"
                ))
                .hint(format!(
                    "to translate the briefing into `{code}`, add it to `languages` and write `content/_index.{code}.md`"
                ))
            })
        })
        .collect()
}

/// The declared languages that are language codes, once each, and the
/// errors for the others.
fn declared(home: &Document, front: &HomeFront) -> (Vec<String>, Vec<Diagnostic>) {
    let own = front
        .language
        .as_ref()
        .map_or("en", |l| l.get_ref().as_str());
    let mut languages: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for l in &front.languages {
        let code = l.get_ref();
        if !model::is_language_code(code) || code == own || languages.contains(code) {
            errors.push(
                Diagnostic::error("bad-language", format!("`{code}` cannot be a language of this briefing"))
                    .at(home.front_location(l))
                    .expected(format!(
                        "a lowercase language code other than the briefing's own `{own}`, listed once (`az`, `zh`)"
                    ))
                    .hint("`languages` lists the other languages; translated files are named `trade.az.md`"),
            );
        } else {
            languages.push(code.clone());
        }
    }
    (languages, errors)
}

/// Translations of the home page without the home page itself (deleted,
/// or renamed): the one mistake, rather than the clash of the translations
/// that would each become the home page.
fn translated_home_alone(documents: &[Document]) -> Option<Diagnostic> {
    let translations: Vec<&str> = documents
        .iter()
        .map(|d| d.file.path.as_str())
        .filter(|p| {
            p.strip_prefix("content/_index.")
                .and_then(|rest| rest.strip_suffix(".md"))
                .is_some_and(|code| !code.is_empty() && !code.contains('/'))
        })
        .collect();
    let first = *translations.first()?;
    let named = translations
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(
        Diagnostic::error(
            "translated-home-alone",
            format!(
                "`content/_index.md` is missing, but {named} {} it",
                if translations.len() == 1 { "translates" } else { "translate" }
            ),
        )
        .at(crate::diagnostic::Location::at(first, 1, 1))
        .expected("the home page `content/_index.md`, in the briefing's own language, beside its translations")
        .hint("restore `content/_index.md` (it names the languages), or delete the translations too"),
    )
}

fn missing_home(home: &Document, front: &HomeFront, l: &str) -> Diagnostic {
    let at = front
        .languages
        .iter()
        .find(|x| x.get_ref() == l)
        .map(|x| home.front_location(x));
    let d = Diagnostic::error("edition-without-home", format!("the `{l}` edition has no home page"))
        .expected(format!("a file `content/_index.{l}.md` with the title in `{l}`"))
        .hint(format!(
            "translate `content/_index.md` into `content/_index.{l}.md`, or take `{l}` out of `languages`"
        ));
    match at {
        Some(at) => d.at(at),
        None => d,
    }
}

/// The data file parsed again for another edition (each edition's model
/// takes its own typed copy).
fn reparse(file: Option<&crate::load::SourceFile>) -> Data {
    match file {
        Some(file) => crate::parse::parse_data(file.clone()).unwrap_or_default(),
        None => Data::default(),
    }
}

/// Which output path each page has in each language.
fn index(sites: &[Site], own: String) -> Editions {
    let mut editions = Editions {
        languages: std::iter::once(own)
            .chain(sites[1..].iter().filter_map(|s| s.edition.clone()))
            .collect(),
        ..Editions::default()
    };
    let n = sites.len();
    for (i, site) in sites.iter().enumerate() {
        for e in site.entries() {
            let k = key(&e.source, site.edition.as_deref());
            let out = e.output();
            editions
                .pages
                .entry(k.clone())
                .or_insert_with(|| vec![None; n])[i] = Some(out.clone());
            editions.keys.insert(out, k);
        }
    }
    editions
}
