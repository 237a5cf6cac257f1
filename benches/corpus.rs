//! A synthetic briefing corpus for benchmarks, of the same shape as the
//! shared `gensite.py`: N pages of about 2.6 KB (headings, a table, a footnote,
//! a link, a list) in S sections with `+++` TOML front matter and an
//! `_index.md` per section, with minimal templates for briefing or Hugo, so
//! that both tools build identical content. Deterministic for a given size.

use std::fs;
use std::io;
use std::path::Path;

const WORDS: &[&str] = &[
    "corridor",
    "freight",
    "transit",
    "energy",
    "solar",
    "capacity",
    "trade",
    "export",
    "import",
    "railway",
    "port",
    "investment",
    "partnership",
    "renewable",
    "grid",
    "tonnage",
    "tariff",
    "memorandum",
    "commission",
    "turnover",
    "logistics",
    "pipeline",
    "wind",
    "hydrogen",
    "storage",
    "cooperation",
    "initiative",
    "route",
    "balance",
    "growth",
    "volume",
];

/// Which tool the corpus is for: only the config and templates differ.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tool {
    /// briefing: `templates/`.
    Briefing,
    /// Hugo: `hugo.toml` and `layouts/`.
    Hugo,
}

const BRIEFING_TEMPLATES: &[(&str, &str)] = &[
    (
        "templates/base.html",
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title></head><body>{% block content %}{% endblock %}</body></html>"#,
    ),
    (
        "templates/index.html",
        r#"{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock %}{% block content %}<h1>{{ section.title }}</h1>{{ section.content | safe }}{% endblock %}"#,
    ),
    (
        "templates/section.html",
        r#"{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock %}{% block content %}<h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}"#,
    ),
    (
        "templates/page.html",
        r#"{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}{% block content %}<article><h1>{{ page.title }}</h1>{{ page.content | safe }}</article>{% endblock %}"#,
    ),
];

const HUGO_TEMPLATES: &[(&str, &str)] = &[
    (
        "hugo.toml",
        "baseURL = \"https://example.org/\"\ntitle = \"Bench\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n[markup.goldmark.renderer]\nunsafe = true\n",
    ),
    (
        "layouts/_default/baseof.html",
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ end }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>"#,
    ),
    (
        "layouts/index.html",
        r#"{{ define "title" }}{{ .Title }}{{ end }}{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Sections }}<li>{{ .Title }}</li>{{ end }}</ul>{{ end }}"#,
    ),
    (
        "layouts/_default/list.html",
        r#"{{ define "title" }}{{ .Title }}{{ end }}{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}"#,
    ),
    (
        "layouts/_default/single.html",
        r#"{{ define "title" }}{{ .Title }}{{ end }}{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}"#,
    ),
];

fn sentence(rng: &mut fastrand::Rng, n: Option<usize>) -> String {
    let n = n.unwrap_or_else(|| rng.usize(8..=20));
    let mut w: Vec<String> = (0..n)
        .map(|_| WORDS[rng.usize(..WORDS.len())].to_string())
        .collect();
    let mut first = w[0].chars();
    w[0] = first
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(first)
        .collect();
    if rng.f64() < 0.3 {
        let i = rng.usize(1..n);
        w[i] = format!("**{}**", w[i]);
    }
    if rng.f64() < 0.2 {
        let i = rng.usize(1..n);
        w[i] = format!("*{}*", w[i]);
    }
    w.join(" ") + "."
}

fn page_body(
    rng: &mut fastrand::Rng,
    sec: usize,
    idx: usize,
    sections: usize,
    per: usize,
) -> String {
    let mut out = Vec::new();
    for h in 0..3 {
        let title = sentence(rng, Some(4));
        out.push(format!("## {}\n", &title[..title.len() - 1]));
        for _ in 0..2 {
            let para: Vec<String> = (0..4).map(|_| sentence(rng, None)).collect();
            out.push(para.join(" ") + "\n");
        }
        match h {
            0 => {
                let (os, oi) = (rng.usize(..sections), rng.usize(..per));
                out.push(format!(
                    "See also [related note](../../s{os:02}/p{oi:05}/) and the figure[^{h}].\n"
                ));
                out.push(format!("[^{h}]: Source note {sec}-{idx}-{h}.\n"));
            }
            1 => {
                out.push("| Year | Volume (Mt) | Growth (%) |\n|---|---:|---:|".into());
                for y in 2019..2025 {
                    out.push(format!(
                        "| {y} | {:.2} | {:.1} |",
                        0.5 + rng.f64() * 2.5,
                        -10.0 + rng.f64() * 100.0
                    ));
                }
                out.push(String::new());
            }
            _ => {
                for _ in 0..4 {
                    out.push(format!("- {}", sentence(rng, Some(6))));
                }
                out.push(String::new());
            }
        }
    }
    out.join("\n") + "\n"
}

/// Writes a corpus of `pages` pages in `sections` sections to `out`, which
/// is replaced. Returns the number of pages written.
pub fn write(tool: Tool, pages: usize, sections: usize, out: &Path) -> io::Result<usize> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    let mut rng = fastrand::Rng::with_seed(865);
    let per = (pages / sections).max(1);
    let templates = match tool {
        Tool::Briefing => BRIEFING_TEMPLATES,
        Tool::Hugo => HUGO_TEMPLATES,
    };
    for (rel, text) in templates {
        let p = out.join(rel);
        fs::create_dir_all(p.parent().expect("templates live in folders"))?;
        fs::write(p, format!("{text}\n"))?;
    }
    fs::create_dir_all(out.join("static"))?;
    let content = out.join("content");
    fs::create_dir_all(&content)?;
    fs::write(
        content.join("_index.md"),
        format!(
            "+++\ntitle = \"Bench briefing\"\n+++\n\n{}\n",
            sentence(&mut rng, None)
        ),
    )?;
    let mut n = 0;
    for s in 0..sections {
        let dir = content.join(format!("s{s:02}"));
        fs::create_dir_all(&dir)?;
        fs::write(
            dir.join("_index.md"),
            format!("+++\ntitle = \"Section {s}\"\nsort_by = \"weight\"\n+++\n"),
        )?;
        for i in 0..per {
            if n >= pages {
                break;
            }
            let body = page_body(&mut rng, s, i, sections, per);
            fs::write(
                dir.join(format!("p{i:05}.md")),
                format!(
                    "+++\ntitle = \"Note {s}-{i}\"\ndate = 2024-01-{:02}\nweight = {i}\n+++\n\n{body}",
                    1 + i % 28
                ),
            )?;
            n += 1;
        }
    }
    Ok(n)
}
