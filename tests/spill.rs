//! A large briefing is not held in memory: its pages' texts are read again
//! when their bodies are rendered (`briefing::parse::parse_holding`), and
//! the bodies wait for their templates in a temporary file
//! (`briefing::bodies`). The output must be the same, byte for byte, as
//! when everything is held. Forced here on small briefings (holding 0
//! bytes) that have everything a body can hold: figures, numbered charts
//! and tables, references, table links, three languages.

mod common;
use common::{repo, tree};

fn build(root: &std::path::Path, out: &std::path::Path, spill_above: usize) {
    let options = briefing::BuildOptions {
        root: root.to_path_buf(),
        output: out.to_path_buf(),
        base_url: None,
        drafts: false,
        strict: false,
        pdf: false,
        spill_above,
        verbose: false,
        delete_existing_output: false,
    };
    if let Err(e) = briefing::build(&options) {
        panic!("{}: {e}", root.display());
    }
}

#[test]
fn spilled_bodies_build_the_same_site_as_held_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = repo().join("tests/fixtures/valid");
    let mut roots = vec![repo()];
    for e in std::fs::read_dir(&fixtures).unwrap() {
        roots.push(e.unwrap().path().join("in"));
    }
    for (n, root) in roots.iter().enumerate() {
        let held = tmp.path().join(format!("held-{n}"));
        let spilled = tmp.path().join(format!("spilled-{n}"));
        build(root, &held, usize::MAX);
        build(root, &spilled, 0);
        let (held, spilled) = (tree(&held), tree(&spilled));
        assert!(held.len() > 3, "{}", root.display());
        assert_eq!(
            held.keys().collect::<Vec<_>>(),
            spilled.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &held {
            assert!(
                spilled[path] == *bytes,
                "{}: {path} differs",
                root.display()
            );
        }
    }
}
