//! The output folder and the briefing's files under accidents and attacks:
//! files swapped for links mid-build, crashes, concurrent builds, and the
//! files of others kept in the output folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{example_copy, tree};

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
    for (path, bytes) in tree(tmp.path()) {
        if path != "passwd" {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("root:x:0:0"),
                "{path}"
            );
        }
    }
}

#[test]
fn regression_a_hard_link_to_a_file_outside_the_briefing_was_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    let secret = tmp.path().join("passwd");
    fs::write(&secret, "root:x:0:0:secret").unwrap();
    fs::hard_link(&secret, root.join("static/passwd.txt")).unwrap();
    let out = tmp.path().join("public");
    let run = build_command(&root, &out).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`static/passwd.txt` is a hard link")
            && stderr.contains("--> static/passwd.txt:1:1"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing was written");
    assert!(!stderr.contains("root:x"), "{stderr}");
    // Two names of one file, both inside the briefing, are fine.
    fs::remove_file(root.join("static/passwd.txt")).unwrap();
    fs::hard_link(
        root.join("static/favicon.svg"),
        root.join("static/icon.svg"),
    )
    .unwrap();
    let run = build_command(&root, &out).arg("--no-pdf").output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        fs::read(out.join("icon.svg")).unwrap(),
        fs::read(out.join("favicon.svg")).unwrap()
    );
}

fn build_command(root: &Path, out: &Path) -> Command {
    let mut c = common::briefing();
    c.args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out);
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

/// A briefing of `pages` small pages in a few sections, big enough that a
/// build takes a while.
fn large_site(tmp: &Path, pages: usize) -> PathBuf {
    let site = tmp.join("site");
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(
        site.join("content/_index.md").tap_parent(),
        // Output safety, not typesetting: no PDF of 1,500 chapters per build.
        "+++\ntitle = \"Large\"\n[pdf]\nbuild = false\n+++\nHome.\n",
    )
    .unwrap();
    for s in 0..5 {
        let dir = site.join(format!("content/s{s}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("_index.md"),
            format!("+++\ntitle = \"S{s}\"\n+++\n"),
        )
        .unwrap();
        for p in 0..pages / 5 {
            let body =
                "Some text with *emphasis* and a [link](https://example.org).\n\n".repeat(20);
            fs::write(
                dir.join(format!("p{p}.md")),
                format!("+++\ntitle = \"Page {p}\"\nweight = {p}\n+++\n## Part\n\n{body}"),
            )
            .unwrap();
        }
    }
    fs::write(site.join("static/.nojekyll"), "").unwrap();
    site
}

trait TapParent {
    fn tap_parent(self) -> Self;
}

impl TapParent for PathBuf {
    /// Creates the path's parent folder.
    fn tap_parent(self) -> Self {
        fs::create_dir_all(self.parent().unwrap()).unwrap();
        self
    }
}

/// The names next to the output folder, once any background removal of an
/// old output has finished (it takes well under the 10 s allowed).
fn settled_names(parent: &Path) -> Vec<String> {
    let start = Instant::now();
    loop {
        let mut names: Vec<String> = fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        if !names.iter().any(|n| n.contains(".briefing-")) || start.elapsed().as_secs() > 10 {
            return names;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Publishing `public/` as a git worktree of `gh-pages` with a custom domain.
fn make_worktree(out: &Path) {
    fs::create_dir_all(out.join(".git/refs/heads")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(out.join("CNAME"), "briefing.example.org\n").unwrap();
}

#[test]
fn regression_rebuilds_deleted_public_git_and_cname() {
    let tmp = tempfile::tempdir().unwrap();
    let site = large_site(tmp.path(), 10);
    let out = tmp.path().join("public");
    make_worktree(&out);
    for _ in 0..3 {
        let o = build_command(&site, &out).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/gh-pages\n"
        );
        assert_eq!(
            fs::read_to_string(out.join("CNAME")).unwrap(),
            "briefing.example.org\n"
        );
        assert!(out.join(".nojekyll").is_file(), "shipped from static/");
        assert!(out.join("index.html").is_file());
    }
    assert_eq!(settled_names(tmp.path()), vec!["public", "site"]);
}

#[test]
fn kill_9_at_any_instant_leaves_a_complete_output_and_the_next_build_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let site = large_site(tmp.path(), 1500);
    let out = tmp.path().join("public");
    make_worktree(&out);
    let start = Instant::now();
    assert!(build_command(&site, &out).status().unwrap().success());
    let took = start.elapsed();
    let complete = tree(&out);
    for i in 0..20u64 {
        let mut child = build_command(&site, &out).spawn().unwrap();
        // Spread the kills over the whole build, swap included.
        let at = took.mul_f64((i as f64 + fastrand::f64()) / 20.0 * 1.2);
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            tree(&out) == complete,
            "kill {i} at {at:?} damaged the output"
        );
    }
    assert!(build_command(&site, &out).status().unwrap().success());
    assert!(tree(&out) == complete);
    assert_eq!(settled_names(tmp.path()), vec!["public", "site"]);
}

#[test]
fn concurrent_builds_to_one_output_both_succeed_one_after_the_other() {
    let tmp = tempfile::tempdir().unwrap();
    let site = large_site(tmp.path(), 300);
    let out = tmp.path().join("public");
    make_worktree(&out);
    assert!(build_command(&site, &out).status().unwrap().success());
    let complete = tree(&out);
    for _ in 0..10 {
        let a = build_command(&site, &out).spawn().unwrap();
        let b = build_command(&site, &out).spawn().unwrap();
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(o.status.success(), "{err}");
            assert!(!err.contains("os error"), "{err}");
        }
        assert!(tree(&out) == complete);
    }
    assert_eq!(settled_names(tmp.path()), vec!["public", "site"]);
}

#[test]
fn output_clashes_fail_check_as_they_fail_build() {
    let site = common::repo().join("tests/fixtures/invalid/output-clashes-with-generated-files/in");
    let o = common::briefing()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("needs a folder of that name for `404.html/index.html`"),
        "{err}"
    );
    assert!(err.contains("would both write `gas/gas.csv`"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}
