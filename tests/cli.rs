//! The `briefing` binary as a user runs it: the example briefing, output
//! safety, reproducibility and the command-line flags.

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{briefing, build, example_copy, repo, site_with, tree};

/// `briefing build` with extra arguments, the example as root.
fn build_example_with(args: &[&str], out: &Path) -> std::process::Output {
    briefing()
        .arg("build")
        .args(args)
        .arg("--root")
        .arg(repo())
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_example_builds_with_every_figure_and_without_the_unrelated_paragraph() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = tree(&out);
    for page in [
        "index.html",
        "trade/index.html",
        "transport/index.html",
        "energy/index.html",
        "sources/index.html",
    ] {
        assert!(files.contains_key(page), "missing {page}");
    }
    let html: String = files
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .collect();
    // Every figure of the article, formatted by the one formatter.
    for figure in [
        "$2.57 billion",
        "+47.5%",
        "4th-largest trading partner",
        "largest source of imports",
        "over 50%",
        "18–23 days",
        "14–18 days",
        "6 days",
        "5 days",
        "2 million tonnes",
        "1.1 million tonnes",
        "+88%",
        "1.5 million tonnes",
        "2.5×",
        "230 MW",
        "7 GW",
        "5 GW",
        // Implied by the article's own numbers.
        "≈ $1.74 billion",
        "≈ 0.6 million tonnes",
        // 5 and 7 GW are one significant figure each: so is their share.
        "≈ 70%",
    ] {
        // Numbers and units are joined by non-breaking spaces; rank words are not.
        let written = if figure.contains("largest") {
            figure.to_string()
        } else {
            figure.replace(' ', "\u{a0}")
        };
        assert!(html.contains(&written), "missing figure {figure}");
    }
    // Tables in short form.
    for cell in ["$2.57B", "2\u{a0}Mt", "&gt;\u{a0}50%"] {
        assert!(html.contains(cell), "missing table cell {cell}");
    }
    for words in [
        "Middle Corridor",
        "Baku–Tbilisi–Kars",
        "Alat International Sea Port",
        "Eastern Zangazur",
        "Zangazur Energy Transport Corridor",
        "Garadagh",
        "China Gezhouba Group",
        "memorandum of understanding",
        "Trans-Caspian International Transport Route",
    ] {
        assert!(html.contains(words), "missing {words}");
    }
    // At least four charts, each drawn for wide and narrow screens with its
    // title, description and data.
    let charts = html.matches("<svg class=\"chart-svg c-wide\"").count();
    assert!(charts >= 4, "{charts} charts");
    assert_eq!(
        html.matches("<svg class=\"chart-svg c-narrow\"").count(),
        charts
    );
    for id in ["trade", "transit", "freight", "renewables"] {
        for variant in ["wide", "narrow"] {
            assert!(
                html.contains(&format!("<title id=\"chart-{id}-{variant}-title\">")),
                "chart {id} ({variant})"
            );
        }
        assert!(
            files.contains_key(&format!("charts/{id}.csv")),
            "charts/{id}.csv"
        );
    }
    let lower = html.to_lowercase();
    for noise in [
        "artillery",
        "live-fire",
        "defense ministry",
        "baku tribune",
        "rocket",
    ] {
        assert!(
            !lower.contains(noise),
            "the unrelated paragraph leaked: {noise}"
        );
    }
    assert!(
        !lower.contains("<script"),
        "the built site must not use JavaScript"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(build(&repo(), &a).status.success());
    assert!(build(&repo(), &b).status.success());
    assert_eq!(tree(&a), tree(&b));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let out = tmp.path().join("public");
    assert!(build(&site, &out).status.success());
    let before = tree(&out);

    for (file, from, to) in [
        ("content/trade.md", "title = \"Trade\"", "titel = \"Trade\""),
        ("content/data.toml", "[tables.energy]", "[tables.energy"),
        (
            "templates/partials/footer.html",
            "{{ config.title }}",
            "{{ config.title }",
        ),
    ] {
        let path = site.join(file);
        let good = fs::read_to_string(&path).unwrap();
        fs::write(&path, good.replacen(from, to, 1)).unwrap();
        let o = build(&site, &out);
        assert_eq!(o.status.code(), Some(1), "breaking {file} should fail");
        assert!(
            stderr(&o).contains(&format!("--> {file}:")),
            "{file}: {}",
            stderr(&o)
        );
        assert_eq!(tree(&out), before, "breaking {file} changed the output");
        fs::write(&path, good).unwrap();
    }
    // No staging folder is left next to the output.
    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn output_folders_that_hold_other_things_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let foreign = tmp.path().join("foreign");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("thesis.docx"), "years of work").unwrap();
    let before_site = tree(&site);

    for (out, why) in [
        (site.clone(), "site root itself"),
        (site.join("."), "site root itself"),
        (site.join(".."), "contains the site root"),
        (tmp.path().to_path_buf(), "contains the site root"),
        (site.join("content/public"), "inside the site's `content/`"),
        (foreign.clone(), "not empty and was not created by briefing"),
    ] {
        let o = build(&site, &out);
        // A folder briefing refuses is a mistake in the command line: 2.
        assert_eq!(o.status.code(), Some(2), "{} was accepted", out.display());
        assert!(stderr(&o).contains("refusing to write"), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(why),
            "{}: {}",
            out.display(),
            stderr(&o)
        );
    }
    assert_eq!(tree(&site), before_site, "a refused build changed the site");
    assert_eq!(
        fs::read_to_string(foreign.join("thesis.docx")).unwrap(),
        "years of work"
    );

    // `--output .` and `--output ..` as typed, from inside the site.
    for arg in [".", ".."] {
        let o = briefing()
            .current_dir(&site)
            .args(["build", "--output", arg])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "--output {arg}: {}", stderr(&o));
    }
    assert_eq!(tree(&site), before_site);
}

#[test]
fn an_empty_folder_and_our_own_output_are_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("empty");
    fs::create_dir(&out).unwrap();
    assert!(build(&repo(), &out).status.success());
    assert!(out.join(".briefing-output").is_file());
    assert!(
        build(&repo(), &out).status.success(),
        "rebuilding our own output"
    );
}

#[test]
fn output_of_a_deleted_source_disappears() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let out = tmp.path().join("public");
    assert!(build(&site, &out).status.success());
    assert!(out.join("energy/index.html").exists());
    fs::remove_file(site.join("content/energy.md")).unwrap();
    fs::write(
        site.join("content/trade.md"),
        fs::read_to_string(site.join("content/trade.md"))
            .unwrap()
            .replace("(energy.md)", "(transport.md)"),
    )
    .unwrap();
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("energy").exists());
}

#[test]
fn a_path_that_climbs_out_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(
        tmp.path(),
        &[
            ("content/_index.md", "+++\ntitle = \"T\"\n+++\n"),
            ("content/evil.md", "+++\npath = \"../../../pwned\"\n+++\n"),
        ],
    );
    let out = tmp.path().join("public");
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("content/evil.md:2:8"), "{}", stderr(&o));
    assert!(!out.exists());
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("site")]);
}

#[test]
fn drafts_only_with_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(
        tmp.path(),
        &[
            ("content/_index.md", "+++\ntitle = \"T\"\n+++\n"),
            (
                "content/wip.md",
                "+++\ntitle = \"WIP\"\ndraft = true\n+++\n",
            ),
            (
                "content/later/_index.md",
                "+++\ntitle = \"Later\"\ndraft = true\n+++\n",
            ),
            ("content/later/inside.md", "+++\ntitle = \"Inside\"\n+++\n"),
        ],
    );
    let out = tmp.path().join("public");
    assert!(build(&site, &out).status.success());
    assert!(!out.join("wip").exists());
    assert!(
        !out.join("later").exists(),
        "a draft section hides its pages"
    );
    let o = common::build_with(&["--drafts"], &site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("wip/index.html").exists());
    assert!(out.join("later/inside/index.html").exists());
}

#[test]
fn base_url_gives_canonical_links_and_internal_links_stay_relative() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build_example_with(&["--base-url", "https://user.example/repo"], &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let trade = fs::read_to_string(out.join("trade/index.html")).unwrap();
    assert!(trade.contains("<link rel=\"canonical\" href=\"https://user.example/repo/trade/\">"));
    // Every other URL in the page is relative, but for the addresses of
    // its translations for search engines (`hreflang`, absolute as they
    // expect).
    for lang in ["az", "zh"] {
        let alternate = format!(
            "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://user.example/repo/{lang}/trade/\">"
        );
        assert!(trade.contains(&alternate), "{trade}");
    }
    let links: Vec<&str> = trade.lines().filter(|l| !l.contains("hreflang=")).collect();
    for attr in links
        .join("\n")
        .split(['"'])
        .filter(|s| s.starts_with("http") && *s != "http://www.w3.org/2000/svg")
        .map(str::to_string)
        .collect::<Vec<_>>()
    {
        assert_eq!(
            attr, "https://user.example/repo/trade/",
            "absolute URL in the page"
        );
    }
    assert!(trade.contains("href=\"../style.css\""));

    let o = common::build_with(&["--base-url", "user.example"], &repo(), &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a usable base URL"));
}

#[test]
fn a_site_without_content_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let o = build(tmp.path(), &tmp.path().join("public"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no `content/` folder"),
        "{}",
        stderr(&o)
    );
}

/// The Markdown bodies of the example, with shortcodes removed.
fn example_prose() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in fs::read_dir(repo().join("content")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "md") {
            let text = fs::read_to_string(&path).unwrap();
            let body = text.splitn(3, "+++").nth(2).unwrap().to_string();
            let mut prose = String::new();
            let mut rest = body.as_str();
            while let Some(i) = rest.find("{{") {
                prose.push_str(&rest[..i]);
                rest = &rest[i + rest[i..].find("}}").unwrap() + 2..];
            }
            prose.push_str(rest);
            out.push((path.display().to_string(), prose));
        }
    }
    out
}

#[test]
fn no_number_is_typed_into_the_examples_prose() {
    for (path, prose) in example_prose() {
        let digits: Vec<&str> = prose
            .lines()
            .filter(|l| l.chars().any(|c| c.is_ascii_digit()))
            .collect();
        assert!(digits.is_empty(), "{path} types numbers: {digits:?}");
    }
}

#[test]
fn check_reports_the_articles_relations_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let o = briefing()
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("ok       freight_growth_9m_2023: states +88%"),
        "{out}"
    );
    assert!(
        out.contains("derived  trade_turnover_2022: ≈ $1.74 billion"),
        "{out}"
    );
    assert!(!site.join("public").exists(), "check wrote output");
}

#[test]
fn an_injected_contradiction_fails_check_strict_with_its_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let data = site.join("content/data.toml");
    let text = fs::read_to_string(&data).unwrap();
    fs::write(&data, text.replace("value = 88\n", "value = 150\n")).unwrap();
    let o = briefing()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "a contradiction is a warning without --strict"
    );
    let o = briefing()
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("`freight_growth_9m_2023` states +150%"),
        "{err}"
    );
    assert!(err.contains("+30.4% to +138.1%"), "{err}");
    assert!(err.contains("content/data.toml:"), "{err}");
    // And build --strict refuses to write.
    let out = tmp.path().join("public");
    let o = common::build_with(&["--strict"], &site, &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn table_downloads_parse_and_match_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&repo(), &out).status.success());
    let mut csv = csv::Reader::from_path(out.join("trade/trade.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    let headers = csv.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("figure")], "trade_turnover_2023");
    assert_eq!(&rows[0][col("value")], "2.57");
    assert_eq!(&rows[0][col("unit")], "USD");
    assert_eq!(&rows[0][col("scale")], "billion");
    assert_eq!(&rows[0][col("period")], "January–October 2023");
    assert_eq!(&rows[0][col("source")], "mammadov_2024");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("transport/transit.json")).unwrap())
            .unwrap();
    let records = json["records"].as_array().unwrap();
    assert_eq!(records.len(), 6, "two routes by three figures");
    assert_eq!(records[0]["low"], 18.0);
    assert_eq!(records[0]["high"], 23.0);
    assert_eq!(records[0]["unit"], "days");
    // The page links to both.
    let page = fs::read_to_string(out.join("trade/index.html")).unwrap();
    assert!(page.contains("href=\"trade.csv\"") && page.contains("href=\"trade.json\""));
}

#[test]
fn check_finds_broken_links_and_anchors_in_the_built_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("content")).unwrap();
    fs::create_dir_all(site.join("templates/partials")).unwrap();
    fs::write(site.join("content/_index.md"), "+++\ntitle = \"T\"\n+++\nSee [energy](energy.md#solar), [the plan](energy.md#the-plan) and [a typo](energy.md#the-plam).\n").unwrap();
    fs::write(
        site.join("content/energy.md"),
        "+++\ntitle = \"Energy\"\n+++\n## The plan\n",
    )
    .unwrap();
    // A template that links to a page that does not exist.
    fs::write(
        site.join("templates/partials/footer.html"),
        "<footer><a href=\"{{ get_url(path=\"missing/index.html\") }}\">x</a></footer>",
    )
    .unwrap();
    let o = briefing()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // Markdown anchors are located at the link itself.
    assert!(
        err.contains(
            "broken anchor: `#solar` is not on `energy/index.html`\n --> content/_index.md:4:5"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "broken anchor: `#the-plam` is not on `energy/index.html`\n --> content/_index.md:4:67"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `#the-plan`?"), "{err}");
    // And `build` fails on them too, writing nothing.
    let out = tmp.path().join("public");
    let b = build(&site, &out);
    assert_eq!(b.status.code(), Some(1));
    assert!(
        stderr(&b).contains("broken anchor: `#solar`"),
        "{}",
        stderr(&b)
    );
    assert!(!out.exists());
    assert!(
        err.contains("broken link on `energy/index.html`: `../missing/index.html`"),
        "{err}"
    );
    assert!(
        err.contains("--> content/energy.md"),
        "the source file is named: {err}"
    );
    assert!(
        !err.contains("`#the-plan` is not"),
        "a valid anchor is not reported: {err}"
    );
    // Regression: `check` writes nothing, and said "nothing was written" as
    // if it had tried to.
    assert!(
        err.contains("errors found\n") && !err.contains("nothing was written"),
        "{err}"
    );
}

/// Regression: chart captions linked to `chart-ID.csv` beside the page while
/// the data is written to `charts/ID.csv`; the link check caught it.
#[test]
fn chart_data_links_lead_to_the_chart_data() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&repo(), &out).status.success());
    let page = fs::read_to_string(out.join("transport/index.html")).unwrap();
    assert!(page.contains("href=\"../charts/transit.csv\""), "{page}");
    assert!(out.join("charts/transit.csv").is_file());
    let o = briefing()
        .args(["check", "--root"])
        .arg(repo())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn publishing_files_use_absolute_urls_only_with_a_base_url() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build_example_with(&["--base-url", "https://user.example/repo"], &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://user.example/repo/trade/</loc>"),
        "{sitemap}"
    );
    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://user.example/repo/sitemap.xml"),
        "{robots}"
    );
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        atom.contains("<updated>2024-01-24T00:00:00Z</updated>"),
        "{atom}"
    );
    assert!(atom.contains("<link rel=\"self\" href=\"https://user.example/repo/atom.xml\"/>"));
    let not_found = fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("<base href=\"https://user.example/repo/\">"),
        "the 404 page works at any depth"
    );
    assert!(
        not_found.contains("<link rel=\"stylesheet\" href=\"style.css\">")
            && !not_found.contains("<style>")
    );
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("<html lang=\"en\">"));
    assert!(home.contains("<meta property=\"og:title\""));
    assert!(home.contains("<meta property=\"og:url\" content=\"https://user.example/repo/\">"));

    let plain = tmp.path().join("plain");
    assert!(build(&repo(), &plain).status.success());
    let sitemap = fs::read_to_string(plain.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("<loc>http"), "{sitemap}");
    assert!(sitemap.contains("<loc>trade/</loc>"), "{sitemap}");
    // Without a base URL the 404 page holds its stylesheet and links to
    // the host's root: a static host serves it at any depth.
    let not_found = fs::read_to_string(plain.join("404.html")).unwrap();
    assert!(!not_found.contains("<base"));
    assert!(not_found.contains("<style>") && not_found.contains(".site-header {"));
    assert!(!not_found.contains("rel=\"stylesheet\"") && not_found.contains("href=\"/\""));
    assert!(
        !fs::read_to_string(plain.join("index.html"))
            .unwrap()
            .contains("og:url")
    );
}

#[test]
fn init_scaffolds_a_briefing_that_passes_check_and_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let o = briefing().arg("init").arg(&dir).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = briefing()
        .args(["check", "--strict", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "the scaffold passes check --strict: {}",
        stderr(&o)
    );
    assert!(build(&dir, &dir.join("public")).status.success());
    assert!(dir.join("public/findings/index.html").is_file());
    let before = tree(&dir.join("content"));
    let o = briefing().arg("init").arg(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    assert_eq!(
        tree(&dir.join("content")),
        before,
        "a refused init changes nothing"
    );
}

#[test]
fn a_symlink_out_of_the_briefing_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("content")).unwrap();
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(site.join("content/_index.md"), "+++\ntitle = \"T\"\n+++\n").unwrap();
    fs::create_dir_all(tmp.path().join("private")).unwrap();
    fs::write(tmp.path().join("private/secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("private"), site.join("static/private")).unwrap();
    // A link that stays inside is followed.
    std::os::unix::fs::symlink(site.join("content/_index.md"), site.join("static/home.md"))
        .unwrap();
    let out = tmp.path().join("public");
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("`static/private` is a symbolic link to"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    fs::remove_file(site.join("static/private")).unwrap();
    assert!(build(&site, &out).status.success());
    assert!(out.join("home.md").is_file());
}

#[test]
fn chart_draws_one_chart_as_a_standalone_svg() {
    let tmp = tempfile::tempdir().unwrap();
    let out = briefing()
        .args(["chart", "transit", "--root"])
        .arg(repo())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.starts_with("<svg ") && svg.contains("<title id=\"title\">Middle Corridor"));
    // Written to a file: the same bytes.
    let file = tmp.path().join("transit.svg");
    let o = briefing()
        .args(["chart", "transit", "--root"])
        .arg(repo())
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&file).unwrap(), svg);
    // A mistyped id: the closest one suggested, nothing written.
    let missing = tmp.path().join("none.svg");
    let o = briefing()
        .args(["chart", "tranzit", "--root"])
        .arg(repo())
        .arg("-o")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean `transit`?"),
        "{}",
        stderr(&o)
    );
    assert!(!missing.exists());
}

#[test]
fn regression_a_table_shown_twice_gave_a_page_duplicate_ids_and_check_passed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = "[sources.s]\ntitle = \"T\"\nauthor = \"A\"\npublisher = \"P\"\ndate = 2024-01-24\n\
                [figures.a]\nlabel = \"A\"\nvalue = 1\nperiod = \"2023\"\nsource = \"s\"\n\
                [tables.t]\ncaption = \"T\"\nfigures = [\"a\"]\n";
    let site = site_with(
        tmp.path(),
        &[
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
            (
                "content/p.md",
                "+++\ntitle = \"P\"\n+++\n{{ table(id=\"t\") }}\n\nAgain:\n\n{{ table(id=\"t\") }}\n",
            ),
            ("content/data.toml", data),
        ],
    );
    let o = briefing()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the id `table-t` appears more than once on `p/index.html`"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--> content/p.md"), "{}", stderr(&o));
}

#[test]
fn regression_numbers_in_code_blocks_were_warned_about_as_typed_into_prose() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(
        tmp.path(),
        &[
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
            (
                "content/code.md",
                "+++\ntitle = \"Code\"\n+++\n```rust\nlet r = 43 % 5; // 12 km\n```\n\n    indented: 7 km\n\nIn the prose: 12 km.\n",
            ),
        ],
    );
    let o = briefing()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(
        err.matches("number typed into the prose").count(),
        1,
        "{err}"
    );
    assert!(err.contains("content/code.md:10:"), "{err}");
}

#[test]
fn regression_the_freight_chart_set_a_year_beside_nine_months_and_check_said_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let fig = |id: &str, value: &str, period: &str| {
        format!(
            "[figures.{id}]\nlabel = \"{id}\"\nvalue = {value}\nunit = \"t\"\nscale = \"million\"\nperiod = \"{period}\"\nsource = \"s\"\n"
        )
    };
    let data = format!(
        "[sources.s]\ntitle = \"T\"\nauthor = \"A\"\npublisher = \"P\"\ndate = 2024-01-24\n{}{}{}{}\
         [charts.mixed]\nkind = \"bar\"\ntitle = \"Mixed\"\nfigures = [\"y2022\", \"m2023\"]\n\
         [charts.backwards]\nkind = \"line\"\ntitle = \"Backwards\"\nfigures = [\"y2022\", \"y2021\"]\n\
         [charts.fine]\nkind = \"bar\"\ntitle = \"Fine\"\nfigures = [\"m2022\", \"m2023\"]\n",
        fig("y2021", "0.6", "2021"),
        fig("y2022", "1.5", "2022"),
        fig("m2022", "1.1", "January–September 2022"),
        fig("m2023", "2", "January–September 2023"),
    );
    let site = site_with(
        tmp.path(),
        &[
            (
                "content/_index.md",
                "+++\ntitle = \"Home\"\n+++\n{{ chart(id=\"mixed\") }}\n{{ chart(id=\"backwards\") }}\n{{ chart(id=\"fine\") }}\n",
            ),
            ("content/data.toml", &data),
        ],
    );
    let o = briefing()
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("chart `mixed` sets side by side periods of different length: `y2022` (2022) beside `m2023` (January–September 2023)"), "{err}");
    assert!(
        err.contains(
            "chart `backwards` runs out of time order: `y2021` (2021) comes after `y2022` (2022)"
        ),
        "{err}"
    );
    assert!(!err.contains("chart `fine`"), "{err}");
}

#[test]
fn regression_a_page_template_without_a_content_block_broke_the_sources_page() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_tree(
        &repo().join("tests/fixtures/valid/ferry-briefing/in"),
        &site,
    );
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(build(&site, &a).status.success());
    // The theme's templates copied out change nothing until edited.
    let o = briefing()
        .args(["templates", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("templates/page.html").is_file());
    assert!(site.join("templates/partials/footer.html").is_file());
    assert!(build(&site, &b).status.success());
    assert!(tree(&a) == tree(&b), "copied templates changed the output");
    // A page.html of one's own without a content block.
    fs::write(
        site.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block title %}{{ page.title }}{% endblock title %}",
    )
    .unwrap();
    let o = build(&site, &b);
    assert!(o.status.success(), "{}", stderr(&o));
    let sources = fs::read_to_string(b.join("sources/index.html")).unwrap();
    assert!(sources.contains("Annual report 2023"), "{sources}");
    // Copying again keeps the edited file.
    let o = briefing()
        .args(["templates", "page.html", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(stderr(&o).contains("kept"), "{}", stderr(&o));
    assert!(
        fs::read_to_string(site.join("templates/page.html"))
            .unwrap()
            .starts_with("{% extends")
    );
}

#[test]
fn regression_a_chart_linked_to_its_table_on_another_page_with_a_broken_anchor() {
    let tmp = tempfile::tempdir().unwrap();
    let data = "[sources.s]\ntitle = \"T\"\ndate = 2024-01-24\n\
                [figures.a]\nlabel = \"A\"\nvalue = 1\nperiod = \"2023\"\nsource = \"s\"\n\
                [tables.t]\ncaption = \"The table\"\nfigures = [\"a\"]\n\
                [tables.u]\ncaption = \"Nowhere\"\nfigures = [\"a\"]\n\
                [charts.c]\nkind = \"bar\"\ntitle = \"C\"\nfigures = [\"a\"]\ntable = \"t\"\n\
                [charts.d]\nkind = \"bar\"\ntitle = \"D\"\nfigures = [\"a\"]\ntable = \"u\"\n";
    let site = site_with(
        tmp.path(),
        &[
            (
                "content/_index.md",
                "+++\ntitle = \"Home\"\n+++\n{{ chart(id=\"c\") }}\n\n{{ chart(id=\"d\") }}\n",
            ),
            (
                "content/tables.md",
                "+++\ntitle = \"Tables\"\n+++\n{{ table(id=\"t\") }}\n",
            ),
            ("content/data.toml", data),
        ],
    );
    let out = tmp.path().join("public");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains(
            "The figures as a table: <a href=\"tables/index.html#table-t\">The table</a>"
        ),
        "{home}"
    );
    // No page shows table `u`: no link to it.
    assert!(!home.contains("Nowhere"), "{home}");
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(['\u{E010}', '\u{E011}', '\u{E012}']),
            "placeholder left in {path}"
        );
    }
    let o = briefing()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Runs `briefing check` on a copy of the `languages` fixture after `edit`.
fn check_languages_after(edit: impl Fn(&Path)) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_tree(&repo().join("tests/fixtures/valid/languages/in"), &site);
    edit(&site);
    let o = briefing()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    stderr(&o) + &String::from_utf8_lossy(&o.stdout)
}

#[test]
fn check_reports_translations_that_drift_from_their_original() {
    let edit = |site: &Path, file: &str, from: &str, to: &str| {
        let path = site.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // A figure removed from one translated page, a table from another.
    let out = check_languages_after(|s| {
        edit(
            s,
            "content/_index.zh.md",
            "{{ fig(id=\"alat_cargo\") }}",
            "115万吨",
        );
        edit(s, "content/ports.az.md", "{{ table(id=\"ports\") }}", "");
    });
    assert!(
        out.contains("`content/_index.zh.md` does not show figure `alat_cargo`, which `content/_index.md` shows"),
        "{out}"
    );
    assert!(
        out.contains(
            "`content/ports.az.md` does not show table `ports`, which `content/ports.md` shows"
        ),
        "{out}"
    );
    // A label translation deleted.
    let out =
        check_languages_after(|s| edit(s, "content/data.toml", "label = \"阿拉特港收入\"\n", ""));
    assert!(
        out.contains("the figure `alat_revenue` has no `zh` label"),
        "{out}"
    );
    assert!(out.contains("content/data.toml:"), "{out}");
    // A number typed into the Chinese prose.
    let out = check_languages_after(|s| {
        edit(
            s,
            "content/ports.zh.md",
            "{{ fig(id=\"alat_revenue\") }}",
            "25.7亿美元",
        )
    });
    assert!(
        out.contains("number typed into the prose: `25.7亿`"),
        "{out}"
    );
    assert!(out.contains("content/ports.zh.md:"), "{out}");
    // The fixture as it is: only the untranslated page.
    let out = check_languages_after(|_| {});
    assert!(
        out.contains("`content/method.md` has no `az` translation"),
        "{out}"
    );
    assert!(!out.contains("does not show"), "{out}");
}

#[test]
fn each_language_is_built_under_its_prefix_with_its_own_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&repo().join("tests/fixtures/valid/languages/in"), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    assert!(read("ports/index.html").contains("$2.57\u{a0}billion"));
    assert!(read("az/ports/index.html").contains("$2,57\u{a0}milyard"));
    assert!(read("zh/ports/index.html").contains("$25.7亿"));
    assert!(read("zh/index.html").contains("115万吨"));
    assert!(read("zh/index.html").contains("<html lang=\"zh\">"));
    assert!(read("az/index.html").contains("1 mart 2024"));
    // Alternates on every translated page, and a switcher that leads to the
    // same page in the other languages.
    let zh = read("zh/ports/index.html");
    for (lang, href) in [
        ("en", "../../ports/index.html"),
        ("az", "../../az/ports/index.html"),
    ] {
        assert!(
            zh.contains(&format!("hreflang=\"{lang}\" href=\"{href}\"")),
            "{zh}"
        );
    }
    // Shared files once, at the root.
    assert!(out.join("style.css").exists() && !out.join("zh/style.css").exists());
    assert!(!out.join("zh/method/index.html").exists());
}

#[test]
fn a_file_named_like_a_translation_into_an_undeclared_language_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(
        tmp.path(),
        &[
            ("content/_index.md", "+++\ntitle = \"Ports\"\n+++\nHello.\n"),
            ("content/ports.md", "+++\ntitle = \"Ports\"\n+++\nPorts.\n"),
            (
                "content/ports.fr.md",
                "+++\ntitle = \"Les ports\"\n+++\nPorts.\n",
            ),
            (
                "content/report.2023.md",
                "+++\ntitle = \"2023\"\n+++\nA year.\n",
            ),
        ],
    );
    let out = tmp.path().join("public");
    let o = build(&site, &out);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: `content/ports.fr.md` is named like a translation into `fr`")
            && err.contains("--> content/ports.fr.md:1:1")
            && err.contains("`content/_index.fr.md`"),
        "{err}"
    );
    // Not a language code: no warning.
    assert!(!err.contains("report.2023"), "{err}");
    let strict = common::build_with(&["--strict"], &site, &out);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}

/// Regression: a figure value that was not a number left its chart unbuilt,
/// and each translation of the chart's words then said `unknown chart`:
/// one mistake, three errors.
#[test]
fn regression_a_broken_figure_gave_unknown_chart_errors_from_every_translation() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let data = site.join("content/data.toml");
    let text = fs::read_to_string(&data).unwrap();
    fs::write(&data, text.replacen("value = 2.57", "value = \"2.57x\"", 1)).unwrap();
    let o = build(&site, &tmp.path().join("public"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("`value` is not a number"), "{err}");
    assert_eq!(
        err.matches("\nerror: ").count() + usize::from(err.starts_with("error: ")),
        2,
        "{err}"
    );
    assert!(err.contains("1 error found"), "{err}");
}

#[test]
fn regression_chinese_captions_and_tooltips_were_punctuated_in_english() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build_example_with(&["--no-pdf"], &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    for p in [
        "zh/trade/index.html",
        "zh/transport/index.html",
        "zh/energy/index.html",
    ] {
        let html = page(p);
        // Numbers before captions and in references: 图1, 表2.
        assert!(
            html.contains("fig-number\">图1</span>") || html.contains("fig-number\">图"),
            "{p}"
        );
        assert!(
            !html.contains("fig-number\">图 ") && !html.contains("fig-number\">表 "),
            "{p}"
        );
        // A source's date ends its sentence with 。, and a tooltip's colon is full-width.
        assert!(
            !html.contains("日. ") && !html.contains("日.<"),
            "{p}: an English full stop"
        );
        assert!(!html.contains("来源 1: "), "{p}: an English colon");
        assert!(html.contains("来源 1："), "{p}");
        assert!(!html.contains("。."), "{p}: two full stops");
    }
    for p in ["zh/trade/index.html", "az/trade/index.html"] {
        let html = page(p);
        assert!(!html.contains("implied by"), "{p}: English in a tooltip");
    }
    assert!(page("zh/trade/index.html").contains("；由$25.7亿按+47.5%的增长推算"));
    assert!(page("trade/index.html").contains("2022; implied by $2.57"));
}

#[test]
fn regression_the_feed_listed_every_dated_page_not_the_20_newest() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = vec![(
        "content/_index.md".to_string(),
        "+++\ntitle = \"Dated\"\nupdated = 2025-01-01\n+++\n".to_string(),
    )];
    for day in 1..=28 {
        files.push((
            format!("content/note-{day:02}.md"),
            format!("+++\ntitle = \"Note {day}\"\ndate = 2024-02-{day:02}\n+++\nText.\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = site_with(tmp.path(), &refs);
    let out = tmp.path().join("public");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let feed = fs::read_to_string(out.join("atom.xml")).unwrap();
    let titles: Vec<&str> = feed
        .split("<entry>\n<title>")
        .skip(1)
        .map(|e| e.split('<').next().unwrap())
        .collect();
    // The briefing itself, then its 20 newest pages, newest first.
    let mut expected = vec!["Dated".to_string()];
    expected.extend((9..=28).rev().map(|d| format!("Note {d}")));
    assert_eq!(titles, expected);
    // Every page is still in the sitemap.
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert_eq!(sitemap.matches("<url>").count(), 29);
}

/// The example with one figure's id mistyped in a page.
fn one_mistake(tmp: &Path) -> PathBuf {
    let site = example_copy(tmp);
    let page = site.join("content/trade.md");
    let text = fs::read_to_string(&page).unwrap();
    let broken = text.replacen(
        "fig(id=\"trade_turnover_2023\")",
        "fig(id=\"trade_turnover_2032\")",
        1,
    );
    assert_ne!(text, broken);
    fs::write(&page, broken).unwrap();
    site
}

#[test]
fn exit_codes_tell_a_mistake_in_the_briefing_from_a_mistake_in_the_command() {
    let tmp = tempfile::tempdir().unwrap();
    let site = one_mistake(tmp.path());
    let o = briefing()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = briefing()
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = briefing()
        .args(["check", "--root"])
        .arg(tmp.path().join("nowhere"))
        .output()
        .unwrap();
    assert!(matches!(o.status.code(), Some(1 | 2)), "{}", stderr(&o));
    // A port in use: the system, not the briefing.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = briefing()
        .args(["serve", "--port", &port, "--root"])
        .arg(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn check_format_json_prints_one_parsable_object_per_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    let site = one_mistake(tmp.path());
    let o = briefing()
        .args(["check", "--format", "json", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(objects.len(), 1, "{stdout}");
    let d = &objects[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "unknown-id");
    assert_eq!(d["file"], "content/trade.md");
    assert!(d["line"].as_u64().unwrap() > 1 && d["column"].as_u64().unwrap() > 1);
    assert!(d["end"]["column"].as_u64() > d["column"].as_u64());
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("trade_turnover_2032")
    );
    // The human summary stays on standard error.
    assert!(stderr(&o).contains("1 error found"), "{}", stderr(&o));
}

#[test]
fn check_format_github_prints_workflow_annotations() {
    let tmp = tempfile::tempdir().unwrap();
    let site = one_mistake(tmp.path());
    let o = briefing()
        .args(["check", "--format", "github", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with("::error file=content/trade.md,line="),
        "{stdout}"
    );
    assert!(stdout.contains("title=briefing unknown-id::"), "{stdout}");
}

#[test]
fn quiet_prints_only_findings_and_color_always_colours_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = briefing()
        .args(["build", "-q", "--no-pdf", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(stderr(&o), "", "-q says nothing when all went well");
    let site = one_mistake(tmp.path());
    let coloured = briefing()
        .args(["check", "--color", "always", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        stderr(&coloured).contains("\u{1b}["),
        "{}",
        stderr(&coloured)
    );
    let plain = briefing()
        .args(["check", "--color", "never", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(!stderr(&plain).contains('\u{1b}'));
}

#[test]
fn verbose_build_prints_the_relations_and_init_says_how_to_serve() {
    let tmp = tempfile::tempdir().unwrap();
    let o = briefing()
        .args(["build", "-v", "--no-pdf", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(tmp.path().join("public"))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("derived  trade_turnover_2022"),
        "{}",
        stderr(&o)
    );
    let dir = tmp.path().join("new");
    let o = briefing().arg("init").arg(&dir).output().unwrap();
    let said = stderr(&o);
    assert!(said.contains("content/data.toml"), "{said}");
    assert!(said.contains("briefing serve --root"), "{said}");
    assert!(said.contains("the manual"), "{said}");
}

/// Every code a diagnostic can have is listed on the manual's Errors page.
#[test]
fn every_diagnostic_code_is_in_the_manual() {
    let manual = fs::read_to_string(repo().join("docs/content/errors.md")).unwrap();
    let mut codes = std::collections::BTreeSet::new();
    for file in walkdir::WalkDir::new(repo().join("src")) {
        let file = file.unwrap();
        if file.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(file.path()).unwrap();
        for pattern in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (at, _) in text.match_indices(pattern) {
                let rest = text[at + pattern.len()..].trim_start();
                if let Some(code) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
                    codes.insert(code.to_string());
                }
            }
        }
    }
    assert!(codes.len() > 50, "{codes:?}");
    for code in codes.iter().filter(|c| *c != "x") {
        assert!(
            manual.contains(&format!("| `{code}` |")),
            "`{code}` is not on docs/content/errors.md"
        );
    }
}

/// The bug: a shortcode longer than 65,535 bytes panicked the build (and
/// `serve`) in `format!`'s width.
#[test]
fn a_shortcode_longer_than_65535_bytes_is_a_located_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let page = format!(
        "+++\ntitle = \"Home\"\n+++\nSee {{{{ fig(id=\"{}\") }}}}.\n",
        "a".repeat(70_000)
    );
    let site = site_with(tmp.path(), &[("content/_index.md", &page)]);
    let o = build(&site, &tmp.path().join("public"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--> content/_index.md:4:"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        stderr(&o).matches("error:").count(),
        2,
        "one error and the summary"
    );
}

/// The bug: a template holding `{%}` panicked the hint for unclosed tags.
#[test]
fn a_template_holding_an_empty_tag_is_a_located_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let site = home_and(tmp.path(), &[("templates/index.html", "<p>{%}</p>\n")]);
    let o = build(&site, &tmp.path().join("public"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("templates/index.html"),
        "{}",
        stderr(&o)
    );
}

/// The bug: a fresh account's home folder holds only dot entries, so
/// `--output ~` was taken for an empty folder, and the next build deleted
/// the files saved there since. Not even `--delete-existing-output` makes
/// it one.
#[test]
fn the_home_folder_and_its_parents_are_never_an_output() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("users/analyst");
    fs::create_dir_all(home.join(".config")).unwrap();
    fs::write(home.join(".profile"), "# a fresh account's\n").unwrap();
    for out in [home.clone(), tmp.path().join("users")] {
        let o = briefing()
            .env("HOME", &home)
            .args(["build", "--no-pdf", "--delete-existing-output", "--root"])
            .arg(repo())
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {}",
            out.display(),
            stderr(&o)
        );
        assert!(stderr(&o).contains("home folder"), "{}", stderr(&o));
    }
    assert!(!home.join("index.html").exists() && home.join(".profile").is_file());
}

/// The manual is a briefing: it passes `check --strict`, so it can't name
/// a page, an anchor or a figure that isn't there.
#[test]
fn the_manual_passes_check_strict() {
    let o = briefing()
        .args(["check", "--strict", "--root"])
        .arg(repo().join("docs"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The ```toml blocks of a page of the manual, in order.
fn manual_examples(page: &str) -> Vec<String> {
    let text = fs::read_to_string(repo().join("docs/content").join(page)).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```toml") => current = Some(String::new()),
            (Some(block), l) if l.starts_with("```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

/// The manual's data file example, and its chart example on top of it, are
/// a data file briefing accepts: they can't drift from the tool.
#[test]
fn the_manuals_data_file_and_chart_examples_build() {
    let data = &manual_examples("data-file.md")[0];
    let charts = &manual_examples("charts.md")[0];
    // What the chart example names and the data file example lacks.
    let prelude = "\n[figures.freight_9m_2022]\nlabel = \"Freight a year earlier\"\nvalue = 1.1\nunit = \"t\"\nscale = \"million\"\nperiod = \"January–September 2022\"\nsource = \"mammadov_2024\"\n\n[tables.freight]\ncaption = \"Freight\"\nfigures = [\"freight_9m_2022\", \"freight_9m_2023\"]\n";
    let home = "+++\ntitle = \"Examples\"\n+++\n{{ chart(id=\"freight\") }}\n";
    for (name, text) in [
        ("data", data.clone()),
        ("charts", format!("{data}{prelude}\n{charts}")),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let site = site_with(
            tmp.path(),
            &[
                (
                    "content/_index.md",
                    if name == "data" {
                        "+++\ntitle = \"Examples\"\n+++\nText.\n"
                    } else {
                        home
                    },
                ),
                ("content/data.toml", &text),
            ],
        );
        let o = briefing()
            .args(["check", "--format", "json", "--root"])
            .arg(&site)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "the manual's {name} example: {out}");
        // Only figures no page shows, which an example can't avoid.
        for line in out.lines() {
            assert!(
                line.contains("\"code\":\"unused-figure\""),
                "the manual's {name} example: {line}"
            );
        }
    }
}

/// The bug: 6,000 nested quotes (12 KB) or 8,000 nested `<span>`s in a page
/// overflowed the PDF stage's stack and aborted the build (and `serve`).
#[test]
fn a_page_nested_thousands_deep_is_a_located_error_not_a_stack_overflow() {
    for (name, body) in [
        ("quotes", format!("{}x\n", "> ".repeat(6000))),
        ("spans", format!("x {}y\n", "<span>".repeat(8000))),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let page = format!("+++\ntitle = \"Home\"\n+++\n{body}");
        let site = site_with(tmp.path(), &[("content/_index.md", &page)]);
        let o = build(&site, &tmp.path().join("public"));
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("nests more than 100 levels deep")
                && stderr(&o).contains("--> content/_index.md:4:"),
            "{name}: {}",
            stderr(&o)
        );
    }
}

/// The bug: a control character written as a TOML escape reached
/// `atom.xml`, the sitemap and the SVG charts raw, which no XML parser
/// accepts.
#[test]
fn control_characters_in_titles_and_labels_never_reach_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    let home = site.join("content/_index.md");
    let text = fs::read_to_string(&home).unwrap().replacen(
        "title = \"Azerbaijan and China in numbers\"",
        "title = \"Azerbaijan\\u0007 and China\\u001b in numbers\"",
        1,
    );
    fs::write(&home, text).unwrap();
    let data = site.join("content/data.toml");
    let text = fs::read_to_string(&data).unwrap();
    let at = text.find("[charts.trade]").unwrap();
    let label = text[at..].find("title = \"").unwrap() + at + "title = \"".len();
    fs::write(
        &data,
        format!("{}\\u0008{}", &text[..label], &text[label..]),
    )
    .unwrap();
    let out = tmp.path().join("public");
    let o = common::build_with(&["--no-pdf"], &site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    for (path, bytes) in tree(&out) {
        if [".html", ".xml", ".svg"].iter().any(|e| path.ends_with(e)) {
            assert!(
                !bytes
                    .iter()
                    .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || b == 0x7f),
                "{path} holds a control character"
            );
        }
    }
    let feed = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        feed.contains("Azerbaijan and China in numbers"),
        "{feed:.500}"
    );
}

/// The bug: `path = ".briefing-output"` passed `check` and failed `build`
/// with "Is a directory"; `static/.briefing-output` was overwritten by the
/// marker and `static/.briefing-moving` dropped without a word.
#[test]
fn names_the_output_folder_keeps_for_itself_are_refused_where_the_user_writes_them() {
    for (file, text, at) in [
        (
            "content/notes.md",
            "+++\ntitle = \"Notes\"\npath = \".briefing-output\"\n+++\nText.\n",
            "--> content/notes.md:3:",
        ),
        (
            "static/.briefing-moving",
            "x",
            "--> static/.briefing-moving:1:1",
        ),
        (
            "static/.briefing-output",
            "x",
            "--> static/.briefing-output:1:1",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let site = home_and(tmp.path(), &[(file, text)]);
        for command in ["check", "build"] {
            let o = briefing()
                .args([command, "--root"])
                .arg(&site)
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(1), "{command} {file}: {}", stderr(&o));
            assert!(
                stderr(&o).contains("a name briefing keeps for itself") && stderr(&o).contains(at),
                "{command} {file}: {}",
                stderr(&o)
            );
        }
    }
}

/// The bugs: a FIFO as `data.toml` gave misleading "unknown figure" errors,
/// a FIFO `templates/page.html` was replaced by the theme's without a word,
/// and `content/img\x.png` failed with a raw "No such file or directory".
#[test]
fn fifos_and_backslashes_among_the_sources_are_refused_by_name() {
    for (path, expected) in [
        (
            "content/data.toml",
            "`content/data.toml` is a named pipe (FIFO)",
        ),
        (
            "templates/page.html",
            "`templates/page.html` is a named pipe (FIFO)",
        ),
        (
            "content/img\\x.png",
            "`content/img\\x.png` has a `\\` in its name",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let site = home_and(tmp.path(), &[]);
        let file = site.join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        if path.contains('\\') {
            fs::write(&file, "png").unwrap();
        } else {
            let made = std::process::Command::new("mkfifo")
                .arg(&file)
                .status()
                .unwrap();
            assert!(made.success());
        }
        let o = briefing()
            .args(["check", "--root"])
            .arg(&site)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{path}: {err}");
        assert!(err.contains(expected), "{path}: {err}");
        assert_eq!(
            err.matches("\nerror").count() + usize::from(err.starts_with("error")),
            2,
            "one error and the summary: {err}"
        );
    }
}

/// A briefing of one home page ("Home", "Text.") and the files `more`.
fn home_and(tmp: &Path, more: &[(&str, &str)]) -> PathBuf {
    let mut files = vec![("content/_index.md", "+++\ntitle = \"Home\"\n+++\nText.\n")];
    files.extend_from_slice(more);
    site_with(tmp, &files)
}

#[test]
fn regression_deleting_the_home_page_of_a_multilingual_briefing_blamed_its_translations() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example_copy(tmp.path());
    fs::remove_file(site.join("content/_index.md")).unwrap();
    let (code, stderr) = check_of(&site);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: `content/_index.md` is missing, but `content/_index.az.md`, `content/_index.zh.md` translate it"),
        "{stderr}"
    );
    assert!(!stderr.contains("would both write"), "{stderr}");
    assert!(stderr.contains("error: 1 error found"), "{stderr}");
}

#[test]
fn regression_a_broken_link_in_raw_html_or_a_template_was_reported_at_line_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = ferry_copy(tmp.path());
    let ports = site.join("content/ports.md");
    let text = fs::read_to_string(&ports).unwrap();
    fs::write(
        &ports,
        format!("{text}\nSee <a href=\"missing.md\">this</a>.\n"),
    )
    .unwrap();
    let lines = text.lines().count() + 2;
    let check = || check_of(&site).1;
    let stderr = check();
    assert!(
        stderr.contains(&format!("--> content/ports.md:{lines}:14")),
        "{stderr}"
    );
    fs::write(&ports, text).unwrap();
    // In a template, it is on every page: one error, at the template's line.
    let footer = site.join("templates/partials/footer.html");
    let mut html = fs::read_to_string(&footer).unwrap();
    html.push_str("<a href=\"nope.html\">n</a>\n");
    fs::write(&footer, &html).unwrap();
    let stderr = check();
    let line = html.lines().count();
    assert!(
        stderr.contains(&format!("--> templates/partials/footer.html:{line}:10")),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error: broken link").count(), 1, "{stderr}");
    assert!(
        stderr.contains("the same link is on 2 other pages"),
        "{stderr}"
    );
}

#[test]
fn regression_a_component_that_calls_itself_was_reported_at_the_page_not_the_template() {
    let tmp = tempfile::tempdir().unwrap();
    let site = ferry_copy(tmp.path());
    let component =
        "{% component box(n) %}\n<div>{{ n }}{{ <box n={n}/> }}</div>\n{% endcomponent box %}\n";
    fs::create_dir_all(site.join("templates/components")).unwrap();
    fs::write(site.join("templates/components/box.html"), component).unwrap();
    fs::write(
        site.join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block content %}{{ <box n={1}/> }}{% endblock content %}\n",
    )
    .unwrap();
    let (code, stderr) = check_of(&site);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("--> templates/components/box.html:2:16"),
        "{stderr}"
    );
    assert!(
        stderr.contains("component `box` calls itself without end"),
        "{stderr}"
    );
}

#[test]
fn a_folder_briefing_did_not_create_is_replaced_only_when_the_user_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let site = ferry_copy(tmp.path());
    let mine = tmp.path().join("mine");
    fs::create_dir_all(mine.join(".git")).unwrap();
    fs::write(mine.join("notes.txt"), "mine").unwrap();
    let run = |more: &[&str]| {
        briefing()
            .args(["build", "--no-pdf", "--root"])
            .arg(&site)
            .arg("--output")
            .arg(&mine)
            .args(more)
            .output()
            .unwrap()
    };
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("pass `--delete-existing-output`"),
        "{}",
        stderr(&refused)
    );
    assert!(mine.join("notes.txt").is_file(), "nothing touched");
    let replaced = run(&["--delete-existing-output"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    assert!(!mine.join("notes.txt").exists() && mine.join("index.html").is_file());
    assert!(mine.join(".git").is_dir(), "dot entries are kept");
}

/// The ferry briefing (written from the manual alone) copied into `tmp`.
fn ferry_copy(tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    common::copy_tree(
        &repo().join("tests/fixtures/valid/ferry-briefing/in"),
        &site,
    );
    site
}

/// `briefing check` of `site`: its exit code and what it printed.
fn check_of(site: &Path) -> (Option<i32>, String) {
    let out = briefing()
        .args(["check", "--root"])
        .arg(site)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
