//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses some of them

pub mod pdf;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `briefing` binary under test, without colours.
pub fn briefing() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_briefing"));
    c.env("NO_COLOR", "1");
    c
}

/// `briefing build --root ROOT --output OUT`, run to its end.
pub fn build(root: &Path, out: &Path) -> Output {
    build_with(&[], root, out)
}

/// `briefing build ARGS… --root ROOT --output OUT`, run to its end.
pub fn build_with(args: &[&str], root: &Path, out: &Path) -> Output {
    briefing()
        .arg("build")
        .args(args)
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

/// The repository root: the example briefing.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the example briefing in `tmp/site`.
pub fn example_copy(tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    for dir in ["content", "templates", "static"] {
        for e in walkdir::WalkDir::new(repo().join(dir)) {
            let e = e.unwrap();
            let target = site.join(e.path().strip_prefix(repo()).unwrap());
            if e.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::copy(e.path(), &target).unwrap();
            }
        }
    }
    site
}

/// Copies the folder `from` to `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
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

/// A briefing in `tmp/site` made of the given files (path under the site,
/// text).
pub fn site_with(tmp: &Path, files: &[(&str, &str)]) -> PathBuf {
    let site = tmp.join("site");
    for (rel, text) in files {
        let path = site.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    site
}

/// Makes the briefing at `site` one of one language: no `languages` in its
/// home page, no translated files (for tests that add pages or figures and
/// want no warnings about their translations).
#[allow(dead_code)]
pub fn in_one_language(site: &Path) {
    let home = site.join("content/_index.md");
    let text = fs::read_to_string(&home).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("languages ="))
        .collect();
    fs::write(&home, kept.join("\n") + "\n").unwrap();
    for e in walkdir::WalkDir::new(site.join("content")) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy();
        if name.ends_with(".az.md") || name.ends_with(".zh.md") {
            fs::remove_file(e.path()).unwrap();
        }
    }
}
