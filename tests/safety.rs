//! The output folder and the briefing's files under accidents and attacks:
//! files swapped for links mid-build, crashes, concurrent builds, and the
//! files of others kept in the output folder.

use std::fs;
use std::path::Path;

mod common;
use common::example_copy;

/// Every file under `dir`, with its bytes, for comparing trees.
fn contents_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect();
    all.sort();
    all
}

#[test]
fn a_copied_file_swapped_for_a_link_between_listing_and_copying_is_not_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    let secret = tmp.path().join("passwd");
    fs::write(&secret, "root:x:0:0:secret").unwrap();
    let options = briefing::model::ModelOptions::default();
    let (site, _) = briefing::prepare(&root, &options).unwrap();
    let templates = briefing::render::compile(&site).unwrap();
    // The race: the file was listed as a file; now it is a link out.
    fs::remove_file(root.join("static/favicon.svg")).unwrap();
    std::os::unix::fs::symlink(&secret, root.join("static/favicon.svg")).unwrap();
    let out = tmp.path().join("public");
    let result = briefing::write::write_with(&out, |emit| templates.render_each(&site, emit));
    let message = format!("{:?}", result.unwrap_err());
    assert!(message.contains("outside the briefing"), "{message}");
    assert!(!out.exists(), "a failed build writes no output");
    for (path, bytes) in contents_under(tmp.path()) {
        if path != "passwd" {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("root:x:0:0"),
                "{path}"
            );
        }
    }
}
