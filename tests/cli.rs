//! The `briefing` binary as a user runs it: the example briefing, output
//! safety, reproducibility and the command-line flags.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

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

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    files
}

/// A copy of the example briefing in a temporary folder.
fn example_copy(tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    for dir in ["content", "templates", "static"] {
        for e in walkdir::WalkDir::new(repo().join(dir)) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(repo()).unwrap();
            let target = site.join(rel);
            if e.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::copy(e.path(), &target).unwrap();
            }
        }
    }
    site
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
    // The table cells rendered from content/data.toml.
    for cell in [
        ">2.57<",
        ">47.5<",
        ">4th largest<",
        ">largest<",
        ">over 50<",
        ">18–23<",
        ">14–18<",
        ">6<",
        ">5<",
        ">2<",
        ">1.1<",
        ">88<",
        ">1.5<",
        ">2.5<",
        ">230<",
        ">7<",
    ] {
        assert!(
            html.contains(&format!("<td class=\"num\">{}", &cell[1..])),
            "no table cell {cell}"
        );
    }
    for unit in ["USD billion", "t million", "days", "MW", "GW", "×"] {
        assert!(html.contains(unit), "no unit {unit}");
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
            "templates/sources.html",
            "{{ page.title }}",
            "{{ page.title }",
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
        assert_eq!(o.status.code(), Some(1), "{} was accepted", out.display());
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
        assert_eq!(o.status.code(), Some(1), "--output {arg}: {}", stderr(&o));
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
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("content")).unwrap();
    fs::write(site.join("content/_index.md"), "+++\ntitle = \"T\"\n+++\n").unwrap();
    fs::write(
        site.join("content/evil.md"),
        "+++\npath = \"../../../pwned\"\n+++\n",
    )
    .unwrap();
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
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("content/later")).unwrap();
    fs::write(site.join("content/_index.md"), "+++\ntitle = \"T\"\n+++\n").unwrap();
    fs::write(
        site.join("content/wip.md"),
        "+++\ntitle = \"WIP\"\ndraft = true\n+++\n",
    )
    .unwrap();
    fs::write(
        site.join("content/later/_index.md"),
        "+++\ntitle = \"Later\"\ndraft = true\n+++\n",
    )
    .unwrap();
    fs::write(
        site.join("content/later/inside.md"),
        "+++\ntitle = \"Inside\"\n+++\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    assert!(build(&site, &out).status.success());
    assert!(!out.join("wip").exists());
    assert!(
        !out.join("later").exists(),
        "a draft section hides its pages"
    );
    let o = briefing()
        .args(["build", "--drafts", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("wip/index.html").exists());
    assert!(out.join("later/inside/index.html").exists());
}

#[test]
fn base_url_gives_canonical_links_and_internal_links_stay_relative() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = briefing()
        .args(["build", "--base-url", "https://user.example/repo", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let trade = fs::read_to_string(out.join("trade/index.html")).unwrap();
    assert!(trade.contains("<link rel=\"canonical\" href=\"https://user.example/repo/trade/\">"));
    // Every other URL in the page is relative.
    for attr in trade.split(['"']).filter(|s| s.starts_with("http")) {
        assert_eq!(
            attr, "https://user.example/repo/trade/",
            "absolute URL in the page"
        );
    }
    assert!(trade.contains("href=\"../style.css\""));

    let o = briefing()
        .args(["build", "--base-url", "user.example", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
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
