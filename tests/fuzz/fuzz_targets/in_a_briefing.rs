//! What the whole-pipeline targets share: a copy of the ferry briefing in a
//! temporary folder, made once per fuzzing process, into which each input
//! is written as one file before `check` and a build run on it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The copy's root (kept for the life of the process).
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("briefing-fuzz-{}", std::process::id()));
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/valid/ferry-briefing/in");
        copy(&from, &root);
        root
    })
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Writes `bytes` as the briefing's `file`, then checks and builds it
/// (without the PDF, which `typeset` adds): nothing may panic, and every
/// error must have a place.
pub fn run(file: &str, bytes: &[u8], typeset: bool) {
    let root = site();
    let target = root.join(file);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, bytes).unwrap();
    let checked = briefing::check(&briefing::CheckOptions {
        root: root.to_path_buf(),
        drafts: false,
        strict: false,
        external: false,
    })
    .err();
    let built = briefing::build(&briefing::BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: None,
        drafts: false,
        strict: false,
        pdf: false,
        spill_above: usize::MAX,
        verbose: false,
        delete_existing_output: false,
    })
    .err();
    let pdf = typeset
        .then(|| briefing::pdf_bytes(root, &Default::default(), None).err())
        .flatten();
    for error in [checked, built, pdf].into_iter().flatten() {
        if let briefing::Error::Input(found) = error {
            for d in &found.0 {
                assert!(d.location.is_some(), "an error without a place: {}", d.render(false));
            }
        }
    }
}
