//! The PDF edition, read back with lopdf (`common::pdf`; no system tool is
//! needed): every figure the site shows is in
//! the PDF's text exactly as the HTML writes it, in every language; the
//! document is tagged, titled, in its language, with every font embedded;
//! `briefing pdf` writes it alone; a briefing can turn it off; and a PDF
//! that can't be typeset fails the build with the old output untouched.

mod common;
use common::pdf::Pdf;
use common::{briefing, build};

use std::fs;

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
        // In the order the text is drawn.
        let text = squeeze(&Pdf::open(&pdf).text());
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
        let read = Pdf::open(&pdf);
        assert!(read.tagged(), "{prefix}: not tagged");
        assert_eq!(read.info("Title").as_deref(), Some(title));
        let (w, h) = read.page_size();
        assert!(
            (w - 595.276).abs() < 0.01 && (h - 841.89).abs() < 0.01,
            "A4: {w} × {h}"
        );
        let created = read.info("CreationDate").unwrap_or_default();
        assert!(created.starts_with("D:20240124"), "{created}");
        let bytes = fs::read(&pdf).unwrap();
        let lang = format!("/Lang({language})");
        assert!(
            bytes.windows(lang.len()).any(|w| w == lang.as_bytes()),
            "no {lang}"
        );
        let fonts = read.fonts();
        assert!(fonts.len() >= 3, "{fonts:?}");
        for (name, embedded) in &fonts {
            assert!(embedded, "a font is not embedded: {name}");
        }
        if language == "zh" {
            // The shipped CJK faces, whatever fonts the system has.
            assert!(
                fonts
                    .iter()
                    .any(|(name, _)| name.ends_with("NotoSerifCJKsc-Regular")),
                "{fonts:?}"
            );
        }
    }
}

#[test]
fn the_pdf_has_a_contents_page_and_bookmarks_for_every_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&common::repo(), &out).status.success());
    let pdf = out.join("briefing.pdf");
    let read = Pdf::open(&pdf);
    let text = read.page_text(2);
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
    let pages = read.pages();
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
    let title = Pdf::open(&file).info("Title");
    assert_eq!(title.as_deref(), Some("数说阿塞拜疆与中国"));
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
    let (w, h) = Pdf::open(&out.join("briefing.pdf")).page_size();
    assert_eq!((w.round(), h.round()), (612.0, 792.0), "US letter");
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

/// The bug: a character no font has stopped the whole build, site and
/// all. Now the site and the PDF are written and the character is named at
/// its line; with `--strict` it is an error and nothing is written.
#[test]
fn a_character_no_font_has_is_a_located_warning_and_an_error_with_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::example_copy(tmp.path());
    let out = tmp.path().join("public");
    assert!(build(&site, &out).status.success());
    let before = fs::read(out.join("briefing.pdf")).unwrap();
    // Old Hungarian: no shipped font, nor any font of a usual system.
    let page = site.join("content/trade.md");
    let text = fs::read_to_string(&page).unwrap();
    let written = format!("{text}\n\nA word in Old Hungarian: 𐲀𐲁.\n");
    fs::write(&page, &written).unwrap();
    let line = line_of(&written, "Old Hungarian");

    let strict = common::build_with(&["--strict"], &site, &out);
    let err = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(strict.status.code(), Some(1), "{err}");
    assert!(err.contains("no font for `𐲀` (U+10C80)"), "{err}");
    assert!(
        err.contains(&format!("--> content/trade.md:{line}:26")),
        "{err}"
    );
    assert!(err.contains("build = false"), "{err}");
    assert_eq!(fs::read(out.join("briefing.pdf")).unwrap(), before);

    let result = build(&site, &out);
    let err = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{err}");
    assert_eq!(err.matches("no font for `𐲀` (U+10C80)").count(), 1, "{err}");
    assert!(
        err.contains(&format!("--> content/trade.md:{line}:26")),
        "{err}"
    );
    assert!(
        fs::read_to_string(out.join("trade/index.html"))
            .unwrap()
            .contains("𐲀")
    );
    assert_ne!(fs::read(out.join("briefing.pdf")).unwrap(), before);
    let text = Pdf::open(&out.join("briefing.pdf")).text();
    assert!(
        text.contains("Old Hungarian: \u{FFFD}\u{FFFD}."),
        "{text:.3000}"
    );
}

/// A table of `columns` columns after the route, each `18–23` days, in
/// `rows` rows, as the data file writes it.
fn transit_table(id: &str, columns: usize, rows: usize) -> String {
    let labels: Vec<String> = (0..columns)
        .map(|i| format!("{{ label = \"Before the plan {i}\", unit = \"days\" }}"))
        .collect();
    let cells = vec!["{ fig = \"middle_corridor_transit_before\" }"; columns].join(", ");
    let row = format!("[\"Whole corridor\", {cells}]");
    format!(
        "\n[tables.{id}]\ncaption = \"Transit, {columns} plans\"\ncolumns = [{{ label = \"Route\" }}, {}]\nrows = [\n{}\n]\n",
        labels.join(", "),
        vec![row; rows].join(",\n")
    )
}

/// An hbar chart of `n` categories.
fn tall_chart(n: usize) -> String {
    let mut s = String::new();
    for k in 0..n {
        s.push_str(&format!(
            "\n[figures.item_{k}]\nlabel = \"Item {k}\"\nvalue = {}\nunit = \"days\"\nperiod = \"2023\"\nsource = \"mammadov_2024\"\n",
            k + 1
        ));
    }
    let ids: Vec<String> = (0..n).map(|k| format!("\"item_{k}\"")).collect();
    let labels: Vec<String> = (0..n).map(|k| format!("\"Item {k}\"")).collect();
    s.push_str(&format!(
        "\n[charts.tall]\nkind = \"hbar\"\ntitle = \"Tall\"\nfigures = [{}]\nlabels = [{}]\n",
        ids.join(", "),
        labels.join(", ")
    ));
    s
}

/// The line (1-based) of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn a_table_or_chart_that_cannot_fit_a_page_is_a_located_warning_and_an_error_with_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let site = common::example_copy(tmp.path());
    common::in_one_language(&site);
    let data_path = site.join("content/data.toml");
    let mut data = fs::read_to_string(&data_path).unwrap();
    data.push_str(&transit_table("wide", 14, 3));
    data.push_str(&transit_table("fits", 9, 40));
    data.push_str(&tall_chart(45));
    fs::write(&data_path, &data).unwrap();
    let page = site.join("content/transport.md");
    let text = fs::read_to_string(&page).unwrap().replace(
        "{{ table(id=\"transit\") }}",
        "{{ table(id=\"transit\") }}\n\n{{ table(id=\"wide\") }}\n\n{{ table(id=\"fits\") }}\n\n{{ chart(id=\"tall\") }}",
    );
    fs::write(&page, text).unwrap();
    let out = tmp.path().join("public");

    // Said, located, and the site and its PDF still built.
    let result = build(&site, &out);
    let err = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{err}");
    let table_at = format!("--> content/data.toml:{}:", line_of(&data, "[tables.wide]"));
    let chart_at = format!(
        "--> content/data.toml:{}:",
        line_of(&data, "[charts.tall]") + 1
    );
    assert!(
        err.contains(
            "warning: table `wide` can't fit a page of the PDF edition: its columns need at least"
        ) && err.contains(&table_at),
        "{err}"
    );
    assert!(
        err.contains("warning: chart `tall` can't fit a page of the PDF edition: it is drawn")
            && err.contains("labels would print at")
            && err.contains(&chart_at),
        "{err}"
    );
    // Once each; the table that fits is not mentioned.
    assert_eq!(err.matches("table `wide` can't fit").count(), 1, "{err}");
    assert_eq!(err.matches("chart `tall` can't fit").count(), 1, "{err}");
    assert!(!err.contains("table `fits` can't fit"), "{err}");
    let pdf = out.join("briefing.pdf");
    let before = fs::read(&pdf).unwrap();

    // A table that fits: every figure whole (`18–23`, never `18–` and
    // `23` on two lines), on the table's 40 rows of 9 columns.
    let read = Pdf::open(&pdf);
    let raw = read.text();
    assert!(raw.matches("18–23").count() >= 40 * 9, "{raw:.2000}");

    // A caption is never the last line of a page (its table or chart on
    // the next).
    for n in 2..=read.pages() {
        let lines = read.lines(n);
        let body: Vec<&str> = lines
            .iter()
            .map(|l| l.as_str())
            .filter(|l| !l.trim().is_empty())
            .collect();
        // The last line is the page number.
        let last = body.len().checked_sub(2).map_or("", |i| body[i].trim());
        assert!(
            !(last.starts_with("Table ") || last.starts_with("Chart ")),
            "page {n} ends with the caption `{last}`"
        );
    }

    // With --strict, an error, and nothing written.
    let strict = common::build_with(&["--strict"], &site, &out);
    let err = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(strict.status.code(), Some(1), "{err}");
    assert!(err.contains("chart `tall` can't fit"), "{err}");
    assert_eq!(fs::read(&pdf).unwrap(), before);
}

/// The parts of PDF/UA-1 (ISO 14289-1) a program can check, read with
/// lopdf: veraPDF, which checks them all, is a Java program no registry
/// this project builds from offers, so these are checked here instead.
#[test]
fn the_pdf_meets_the_machine_checkable_rules_of_pdf_ua_1() {
    use lopdf::{Document, Object};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&common::repo(), &out).status.success());
    for (file, lang) in [("briefing.pdf", "en"), ("zh/briefing.pdf", "zh")] {
        let doc = Document::load(out.join(file)).unwrap();
        let catalog = doc.catalog().unwrap();
        let get = |d: &lopdf::Dictionary, k: &[u8]| -> Object {
            let o = d
                .get(k)
                .unwrap_or_else(|_| panic!("{file}: no /{}", String::from_utf8_lossy(k)));
            match o {
                Object::Reference(r) => doc.get_object(*r).unwrap().clone(),
                o => o.clone(),
            }
        };
        // Marked, tagged, in its language, showing its title.
        let mark = get(catalog, b"MarkInfo");
        assert!(get(mark.as_dict().unwrap(), b"Marked").as_bool().unwrap());
        let lang_of = get(catalog, b"Lang");
        assert_eq!(lang_of.as_str().unwrap(), lang.as_bytes(), "{file}");
        let prefs = get(catalog, b"ViewerPreferences");
        assert!(
            get(prefs.as_dict().unwrap(), b"DisplayDocTitle")
                .as_bool()
                .unwrap()
        );
        // Identified as PDF/UA-1 in its XMP metadata, with its title.
        let meta = get(catalog, b"Metadata");
        let xmp = String::from_utf8_lossy(&meta.as_stream().unwrap().content).into_owned();
        assert!(
            xmp.contains("<pdfuaid:part>1</pdfuaid:part>") || xmp.contains("pdfuaid:part=\"1\""),
            "{file}: {xmp}"
        );
        assert!(xmp.contains("dc:title"), "{file}");
        // Every figure in the structure tree has alternative text, and
        // there are figures (the charts).
        let root = get(catalog, b"StructTreeRoot");
        let mut figures = 0;
        let mut stack = vec![get(root.as_dict().unwrap(), b"K")];
        let mut seen = 0;
        while let Some(node) = stack.pop() {
            seen += 1;
            assert!(seen < 1_000_000, "{file}: a cycle in the structure tree");
            let node = match node {
                Object::Reference(r) => doc.get_object(r).unwrap().clone(),
                o => o,
            };
            match node {
                Object::Array(items) => stack.extend(items),
                Object::Dictionary(d) => {
                    if d.get(b"S").and_then(|s| s.as_name()).ok() == Some(b"Figure") {
                        figures += 1;
                        let alt = d.get(b"Alt").and_then(|a| a.as_str()).unwrap_or(b"");
                        assert!(!alt.is_empty(), "{file}: a figure without /Alt");
                    }
                    if let Ok(k) = d.get(b"K") {
                        stack.push(k.clone());
                    }
                }
                _ => {}
            }
        }
        assert!(
            figures >= 5,
            "{file}: {figures} figures in the structure tree"
        );
        // Every page orders its annotations by structure, and every font
        // is embedded.
        for (n, id) in doc.get_pages() {
            let page = doc.get_dictionary(id).unwrap();
            if page.get(b"Annots").is_ok() {
                let tabs = page.get(b"Tabs").and_then(|t| t.as_name()).unwrap_or(b"");
                assert_eq!(
                    tabs, b"S",
                    "{file}: page {n} has annotations and no /Tabs /S"
                );
            }
        }
        for (_, object) in doc.objects.iter() {
            let Ok(d) = object.as_dict() else { continue };
            if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
                assert!(
                    [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                        .iter()
                        .any(|k| d.get(k).is_ok()),
                    "{file}: a font is not embedded"
                );
            }
        }
    }
}
