//! Fixture sites, built with the real binary.
//!
//! - `tests/fixtures/valid/NAME/in/` is a site; `out/` is its expected output,
//!   compared file by file and byte for byte. Run with `BRIEFING_BLESS=1` to
//!   rewrite `out/` after an intended change, then review the diff.
//! - `tests/fixtures/invalid/NAME/in/` is a site that must fail; its stderr is
//!   compared with an insta snapshot in `tests/fixtures/snapshots/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::build;

fn fixtures(kind: &str) -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind);
    let mut out: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}

/// The built-in stylesheet: not repeated in every fixture's expected output.
const THEME_CSS: &[u8] = include_bytes!("../src/theme/static/style.css");

/// Every file under `dir`, by relative path, except the built-in stylesheet
/// when it is written unchanged (a site's own `static/style.css` is kept).
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
                .replace('\\', "/");
            let bytes = fs::read(e.path()).unwrap();
            if rel == "style.css" && bytes == THEME_CSS {
                continue;
            }
            // A PDF edition is stored as what it is: its text is compared
            // with the pages by the CLI tests, which read it with poppler.
            let bytes = if rel.ends_with(".pdf") && !dir.ends_with("out") {
                pdf_summary(&bytes).into_bytes()
            } else {
                bytes
            };
            files.insert(rel, bytes);
        }
    }
    files
}

/// What the fixtures keep of a PDF: that it is a whole one.
fn pdf_summary(bytes: &[u8]) -> String {
    let whole = bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF");
    format!("a whole PDF document: {whole}\n")
}

#[test]
fn valid_fixtures_build_to_their_expected_output() {
    let bless = std::env::var_os("BRIEFING_BLESS").is_some();
    for (name, dir) in fixtures("valid") {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let result = build(&dir.join("in"), &out);
        assert!(
            result.status.success(),
            "fixture `{name}` failed:\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
        let expected_dir = dir.join("out");
        if bless {
            let _ = fs::remove_dir_all(&expected_dir);
            for (rel, bytes) in tree(&out) {
                let p = expected_dir.join(rel);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(p, bytes).unwrap();
            }
            continue;
        }
        let actual = tree(&out);
        let expected = tree(&expected_dir);
        assert_eq!(
            actual.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "fixture `{name}`: the set of output files differs"
        );
        for (rel, bytes) in &expected {
            let got = &actual[rel];
            if got != bytes {
                panic!(
                    "fixture `{name}`: `{rel}` differs\n--- expected\n{}\n--- actual\n{}",
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(got)
                );
            }
        }
    }
}

#[test]
fn invalid_fixtures_fail_with_their_diagnostics() {
    for (name, dir) in fixtures("invalid") {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let result = build(&dir.join("in"), &out);
        let stderr = String::from_utf8_lossy(&result.stderr)
            .replace(&dir.join("in").display().to_string(), "[SITE]");
        assert_eq!(
            result.status.code(),
            Some(1),
            "fixture `{name}` should fail:\n{stderr}"
        );
        assert!(
            !out.exists(),
            "fixture `{name}`: a failed build wrote output"
        );
        assert!(
            !stderr.contains("panicked"),
            "fixture `{name}` panicked:\n{stderr}"
        );
        insta::with_settings!({
            snapshot_path => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name.as_str(), stderr);
        });
    }
}
