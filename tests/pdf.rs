//! The PDF edition, read back with poppler's tools (`pdftotext`, `pdfinfo`,
//! `pdffonts`; `.ci/run` installs them): every figure the site shows is in
//! the PDF's text exactly as the HTML writes it, in every language; the
//! document is tagged, titled, in its language, with every font embedded;
//! `briefing pdf` writes it alone; a briefing can turn it off; and a PDF
//! that can't be typeset fails the build with the old output untouched.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use assert_cmd::prelude::*;

fn briefing() -> Command {
    let mut c = Command::cargo_bin("briefing").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    briefing()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

/// Runs a poppler tool; fails the test if it is missing.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("`{tool}` (poppler-utils) is needed: {e}"));
    assert!(out.status.success(), "{tool} failed on {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs of white space (line breaks, no-break and thin spaces included)
/// as one space; word joiners and soft hyphens dropped.
fn squeeze(s: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in s.chars() {
        if matches!(c, '\u{2060}' | '\u{ad}' | '\u{200b}') {
            continue;
        }
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// The figures a built page shows: the text of each element with a
/// `data-figure` attribute in its `<main>`.
fn figures_on(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("main [data-figure]").unwrap();
    doc.select(&selector)
        .map(|e| squeeze(&e.text().collect::<String>()))
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn every_figure_of_the_site_is_in_the_pdf_as_the_html_writes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = build(&common::repo(), &out);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    for (prefix, title_word) in [
        ("", "Azerbaijan"),
        ("az/", "Azərbaycan"),
        ("zh/", "阿塞拜疆"),
    ] {
        let pdf = out.join(format!("{prefix}briefing.pdf"));
        // `-raw`: in the order the text is drawn, gaps as they are set.
        let text = squeeze(&poppler("pdftotext", &["-raw"], &pdf));
        assert!(text.contains(title_word), "{prefix}: {text:.300}");
        let mut checked = 0;
        for page in walkdir::WalkDir::new(out.join(prefix)) {
            let page = page.unwrap();
            let rel = page
                .path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            // Each language's own pages.
            let own = rel.ends_with("index.html")
                && (prefix.is_empty() && !rel.starts_with("az/") && !rel.starts_with("zh/")
                    || !prefix.is_empty() && rel.starts_with(prefix));
            if !own {
                continue;
            }
            for figure in figures_on(&fs::read_to_string(page.path()).unwrap()) {
                assert!(
                    text.contains(&figure),
                    "{rel}: `{figure}` is not in {prefix}briefing.pdf"
                );
                checked += 1;
            }
        }
        assert!(checked > 40, "{prefix}: only {checked} figures compared");
    }
}

#[test]
fn the_pdf_is_tagged_titled_in_its_language_with_every_font_embedded() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&common::repo(), &out).status.success());
    for (prefix, language, title) in [
        ("", "en", "Azerbaijan and China in numbers"),
        ("zh/", "zh", "数说阿塞拜疆与中国"),
    ] {
        let pdf = out.join(format!("{prefix}briefing.pdf"));
        let info = poppler("pdfinfo", &[], &pdf);
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(
            info.contains(&format!("Title:           {title}")),
            "{info}"
        );
        assert!(
            info.contains("Page size:       595.276 x 841.89 pts (A4)"),
            "{info}"
        );
        assert!(
            info.contains("CreationDate:    Wed Jan 24 00:00:00 2024"),
            "{info}"
        );
        let bytes = fs::read(&pdf).unwrap();
        let lang = format!("/Lang({language})");
        assert!(
            bytes.windows(lang.len()).any(|w| w == lang.as_bytes()),
            "no {lang}"
        );
        let fonts = poppler("pdffonts", &[], &pdf);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() >= 3, "{fonts}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name, type…, encoding, emb, sub, uni, object, generation.
            let emb = cols[cols.len() - 5];
            assert_eq!(emb, "yes", "a font is not embedded: {row}");
        }
    }
}

#[test]
fn the_pdf_has_a_contents_page_and_bookmarks_for_every_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&common::repo(), &out).status.success());
    let pdf = out.join("briefing.pdf");
    let text = poppler("pdftotext", &["-f", "2", "-l", "2"], &pdf);
    for chapter in [
        "Contents",
        "Trade",
        "Transport corridors",
        "Renewable energy",
        "Sources",
    ] {
        assert!(text.contains(chapter), "contents lack {chapter}: {text}");
    }
    // Page numbers "n / N" in the footer.
    let pages: usize = poppler("pdfinfo", &[], &pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:")?.trim().parse().ok())
        .unwrap();
    assert!(text.contains(&format!("2 / {pages}")), "{text}");
    // Headings are bookmarks (the outline), one per page of the site.
    let bytes = fs::read(&pdf).unwrap();
    assert!(bytes.windows(9).any(|w| w == b"/Outlines"), "no bookmarks");
}

#[test]
fn briefing_pdf_writes_one_edition_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("zh.pdf");
    let out = briefing()
        .args(["pdf", "--language", "zh", "--root"])
        .arg(common::repo())
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = poppler("pdfinfo", &[], &file);
    assert!(info.contains("数说阿塞拜疆与中国"), "{info}");
    let unknown = briefing()
        .args(["pdf", "--language", "fr", "--root"])
        .arg(common::repo())
        .arg("-o")
        .arg(tmp.path().join("fr.pdf"))
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.contains("no `fr` edition") && err.contains("en, az, zh"),
        "{err}"
    );
    assert!(!tmp.path().join("fr.pdf").exists());
}

#[test]
fn a_briefing_can_turn_the_pdf_off_and_letter_paper_on() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::example_copy(tmp.path());
    let index = site.join("content/_index.md");
    let text = fs::read_to_string(&index).unwrap();
    // `[pdf]` comes after the top-level keys: at the end of the front matter.
    let close = text[3..].find("+++").unwrap() + 3;
    let front = |table: &str| format!("{}{table}\n{}", &text[..close], &text[close..]);
    fs::write(&index, front("[pdf]\npaper = \"us-letter\"")).unwrap();
    let out = tmp.path().join("letter");
    let result = build(&site, &out);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let info = poppler("pdfinfo", &[], &out.join("briefing.pdf"));
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    assert!(
        fs::read_to_string(out.join("trade/index.html"))
            .unwrap()
            .contains("../briefing.pdf")
    );

    fs::write(&index, front("[pdf]\nbuild = false")).unwrap();
    let out = tmp.path().join("off");
    assert!(build(&site, &out).status.success());
    assert!(!out.join("briefing.pdf").exists());
    assert!(!out.join("zh/briefing.pdf").exists());
    let page = fs::read_to_string(out.join("trade/index.html")).unwrap();
    assert!(
        !page.contains("briefing.pdf"),
        "a link to a PDF that isn't there"
    );

    fs::write(&index, front("[pdf]\npaper = \"a3\"")).unwrap();
    let bad = build(&site, &tmp.path().join("bad"));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/_index.md") && err.contains("a3"),
        "{err}"
    );
}

#[test]
fn a_pdf_that_cannot_be_typeset_fails_the_build_and_keeps_the_old_output() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::example_copy(tmp.path());
    let out = tmp.path().join("public");
    assert!(build(&site, &out).status.success());
    let before = fs::read(out.join("briefing.pdf")).unwrap();
    // Old Hungarian: no shipped font, nor any font of a usual system.
    let page = site.join("content/trade.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\n\nA word in Old Hungarian: 𐲀𐲁.\n")).unwrap();
    let result = build(&site, &out);
    let err = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("no font for `𐲀` (U+10C80)"), "{err}");
    assert!(err.contains("build = false"), "{err}");
    assert_eq!(fs::read(out.join("briefing.pdf")).unwrap(), before);
    assert!(
        !fs::read_to_string(out.join("trade/index.html"))
            .unwrap()
            .contains("𐲀")
    );
}
