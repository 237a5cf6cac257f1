//! Stage 1, load: find and read every input file of a site.
//!
//! It walks `content/`, `templates/` and `static/` in sorted order (so that
//! every later stage sees the same order on every machine), reads the data
//! file and templates as UTF-8 and reports the ones that are not, and lists
//! the Markdown files and the files that are only copied. The Markdown files
//! are read by [`crate::parse`], each as it is parsed, so that a large
//! briefing is never held whole in memory; every read goes through the
//! briefing's [`Sandbox`] with [`read_text`].

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Location, finish};
use crate::error::Error;
use crate::sandbox::{Sandbox, SourceFileRef};

/// The name of the data file inside `content/`.
pub const DATA_FILE: &str = "data.toml";

/// A text file read from the site, known by its path relative to the root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators (`content/trade.md`).
    pub path: String,
    /// The file's text.
    pub text: Arc<str>,
}

/// A file that is copied to the output as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to the site root, for messages (`static/logo.svg`).
    pub source: String,
    /// Path relative to the output folder (`logo.svg`).
    pub output: String,
    /// Where to read it: through the briefing's sandbox, never by a path.
    pub file: SourceFileRef,
}

/// Everything a site consists of, read from disk.
#[derive(Debug)]
pub struct Loaded {
    /// The site root, as given.
    pub root: PathBuf,
    /// The only way to read the site's files.
    pub sandbox: Sandbox,
    /// Markdown files under `content/`, sorted by path (`content/trade.md`),
    /// not read yet.
    pub markdown: Vec<String>,
    /// `content/data.toml`, if present.
    pub data: Option<SourceFile>,
    /// The site's own templates, named by their path under `templates/`.
    pub templates: Vec<(String, SourceFile)>,
    /// Files copied as they are: non-Markdown files in `content/`, then `static/`.
    pub assets: Vec<Asset>,
}

/// Reads the site at `root`.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        let d = Diagnostic::error(
            "no-content-folder",
            format!("no `content/` folder in `{}`", root.display()),
        )
        .hint("run briefing from a briefing's root folder, or pass `--root DIR`");
        return Err(Error::Input(crate::diagnostic::Diagnostics(vec![d])));
    }
    let sandbox = Sandbox::open(root).map_err(Error::io("cannot open", root))?;
    let mut diagnostics = Vec::new();

    let mut markdown = Vec::new();
    let mut data_path = None;
    let mut assets = Vec::new();
    let asset = |rel: String, output: &str| Asset {
        output: output.to_string(),
        file: SourceFileRef {
            sandbox: sandbox.clone(),
            path: rel.clone(),
        },
        source: rel,
    };
    let mut linked = HardLinks::default();
    for rel in walk(root, "content", &mut diagnostics, &mut linked)? {
        let under = &rel["content/".len()..];
        if rel.ends_with(".md") {
            markdown.push(rel);
        } else if under == DATA_FILE {
            data_path = Some(rel);
        } else {
            assets.push(asset(rel.clone(), under));
        }
    }
    let mut template_paths = Vec::new();
    if root.join("templates").is_dir() {
        template_paths = walk(root, "templates", &mut diagnostics, &mut linked)?;
    }
    if root.join("static").is_dir() {
        for rel in walk(root, "static", &mut diagnostics, &mut linked)? {
            let output = rel["static/".len()..].to_string();
            if let Some(why) = output.split('/').find_map(crate::urls::reserved) {
                diagnostics.push(reserved_static(&rel, why));
                continue;
            }
            assets.push(asset(rel, &output));
        }
    }

    // Nothing of a file with a name elsewhere is read, not even for an
    // error message.
    let outside = linked.outside();
    for (names, inside) in &outside {
        diagnostics.push(outside_hard_link(&inside[0], *names, inside.len() as u64));
    }
    let refused = |rel: &String| outside.iter().any(|(_, inside)| inside.contains(rel));
    markdown.retain(|rel| !refused(rel));
    template_paths.retain(|rel| !refused(rel));
    assets.retain(|a| !refused(&a.source));
    data_path = data_path.filter(|rel| !refused(rel));

    let read_all = |files: Vec<String>| -> Vec<Result<SourceFile, ReadFailure>> {
        files
            .into_par_iter()
            .map(|path| read_text(&sandbox, path))
            .collect()
    };
    let mut data = None;
    if let Some(path) = data_path {
        match read_text(&sandbox, path) {
            Ok(f) => data = Some(f),
            Err(fail) => fail.report(&mut diagnostics)?,
        }
    }
    let mut templates = Vec::new();
    for r in read_all(template_paths) {
        match r {
            Ok(f) => templates.push((f.path["templates/".len()..].to_string(), f)),
            Err(fail) => fail.report(&mut diagnostics)?,
        }
    }

    let loaded = Loaded {
        root: root.to_path_buf(),
        sandbox,
        markdown,
        data,
        templates,
        assets,
    };
    finish(loaded, diagnostics)
        .map(|(loaded, _)| loaded)
        .map_err(Error::Input)
}

/// Lists the files under `root/dir`, sorted, skipping hidden files and editor
/// backups, as paths relative to root with `/`. Only names are listed here:
/// every file is opened through the [`Sandbox`], which refuses what leads out
/// of the briefing even if the folder changes after this listing.
fn walk(
    root: &Path,
    dir: &str,
    diagnostics: &mut Vec<Diagnostic>,
    linked: &mut HardLinks,
) -> Result<Vec<String>, Error> {
    let mut files = Vec::new();
    // Symbolic links are followed only while they stay inside the briefing:
    // nothing outside it is ever read, copied or served.
    let real_root = fs::canonicalize(root).map_err(Error::io("cannot read", root))?;
    let mut outside: Vec<(PathBuf, PathBuf)> = Vec::new();
    let walker = WalkDir::new(root.join(dir))
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_ignored(dir, e.file_name().to_str()) {
                return false;
            }
            if !e.path_is_symlink() {
                return true;
            }
            match fs::canonicalize(e.path()) {
                Ok(real) if real.starts_with(&real_root) => true,
                Ok(real) => {
                    outside.push((e.path().to_path_buf(), real));
                    false
                }
                Err(_) => true,
            }
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| root.join(dir));
            let source = e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("file system loop"));
            Error::Io {
                action: "cannot read",
                path,
                source,
            }
        })?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .expect("walkdir yields paths under its root");
        if !kind.is_file() {
            // A FIFO would block the read, a device read without end.
            diagnostics.push(special_file(rel, &kind));
            continue;
        }
        let Some(rel_str) = rel.to_str() else {
            diagnostics.push(
                Diagnostic::error(
                    "non-utf8-name",
                    format!("file name is not valid UTF-8: `{}`", rel.display()),
                )
                .hint("rename the file; briefing needs UTF-8 names to build URLs"),
            );
            continue;
        };
        if cfg!(unix) && rel_str.contains('\\') {
            diagnostics.push(backslash_in_name(rel_str));
            continue;
        }
        linked.note(&entry, rel_str);
        files.push(rel_str.replace('\\', "/"));
    }
    for (link, real) in outside {
        let rel = link
            .strip_prefix(root)
            .unwrap_or(&link)
            .to_string_lossy()
            .replace('\\', "/");
        diagnostics.push(
            Diagnostic::error("outside-symlink", format!(
                "`{rel}` is a symbolic link to `{}`, outside the briefing",
                real.display()
            ))
            .expected("files and folders inside the briefing's folder")
            .hint("copy what it points to into the briefing; briefing never reads, copies or serves files outside it"),
        );
    }
    Ok(files)
}

/// Reads one file of the site again (after a save), by its path relative to
/// the root (`content/trade.md`).
pub fn reread(sandbox: &Sandbox, path: &str) -> Result<SourceFile, Error> {
    read_text(sandbox, path.to_string()).map_err(|fail| match fail {
        ReadFailure::Io(e) => e,
        ReadFailure::Input(d) => Error::Input(crate::diagnostic::Diagnostics(vec![d])),
    })
}

/// Whether a file or folder named `name` under the source folder `dir`
/// (`content`, `templates` or `static`) is left out of the site. Editors'
/// swap and backup files and version-control folders never belong to it.
/// Other hidden files are left out of `content/` and `templates/`, but copied
/// from `static/`: that is how a site ships `.nojekyll`, `.htaccess` or
/// `.well-known/`.
pub fn is_ignored(dir: &str, name: Option<&str>) -> bool {
    let Some(n) = name else {
        return false;
    };
    let editor_or_vcs = n.ends_with('~')
        || (n.starts_with('#') && n.ends_with('#'))
        || n.starts_with(".#")
        || [".swp", ".swo", ".swx"]
            .iter()
            .any(|s| n.starts_with('.') && n.ends_with(s))
        || matches!(n, ".git" | ".hg" | ".svn" | ".DS_Store" | "Thumbs.db");
    let hidden = n.starts_with('.') && !(dir == "static" || n == ".well-known");
    editor_or_vcs || hidden
}

/// A file that turned out, when opened, to lead outside the briefing.
/// A source that is no regular file: a FIFO, a socket or a device.
/// The files of the sources that have more than one name (hard links),
/// by file: a name found outside the three folders means the file may be
/// anyone's, such as `/etc/passwd` linked into `static/`.
#[derive(Default)]
struct HardLinks {
    /// (device, inode) → (how many names the file has, the names found).
    files: std::collections::HashMap<(u64, u64), (u64, Vec<String>)>,
}

impl HardLinks {
    /// Records `entry` (at `rel`) if its file has more than one name.
    #[cfg(unix)]
    fn note(&mut self, entry: &walkdir::DirEntry, rel: &str) {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = entry.metadata() else { return };
        if meta.nlink() > 1 {
            let (_, names) = self
                .files
                .entry((meta.dev(), meta.ino()))
                .or_insert_with(|| (meta.nlink(), Vec::new()));
            names.push(rel.to_string());
        }
    }

    /// Systems that cannot tell a file's other names are not asked.
    #[cfg(not(unix))]
    fn note(&mut self, _entry: &walkdir::DirEntry, _rel: &str) {}

    /// Each file with names outside the sources: how many names it has
    /// and the ones inside, sorted.
    fn outside(&self) -> Vec<(u64, Vec<String>)> {
        let mut outside: Vec<(u64, Vec<String>)> = self
            .files
            .values()
            .filter(|(names, found)| (found.len() as u64) < *names)
            .map(|(names, found)| (*names, found.clone()))
            .collect();
        outside.sort_by(|a, b| a.1.cmp(&b.1));
        outside
    }
}

fn outside_hard_link(rel: &str, names: u64, inside: u64) -> Diagnostic {
    let elsewhere = names - inside;
    let others = if elsewhere == 1 { "name" } else { "names" };
    Diagnostic::error(
        "outside-hard-link",
        format!("`{rel}` is a hard link: the same file has {elsewhere} other {others} outside the briefing's `content/`, `templates/` and `static/`"),
    )
    .at(Location::at(rel, 1, 1))
    .expected("files whose every name is inside the briefing's folders")
    .hint("copy the file into the briefing (`cp`, not `ln`); briefing never reads, copies or serves files from outside it")
}

fn special_file(rel: &Path, kind: &fs::FileType) -> Diagnostic {
    use std::os::unix::fs::FileTypeExt;
    let what = if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    };
    let shown = rel.to_string_lossy().replace('\\', "/");
    Diagnostic::error(
        "special-file",
        format!("`{shown}` is {what}, not a file briefing can read"),
    )
    .at(Location::at(shown, 1, 1))
    .expected("a regular file (or a folder)")
    .hint("replace it with an ordinary file, or move it out of the briefing")
}

/// A file whose name holds a backslash: a separator on Windows, so the
/// same briefing would mean another file there, and no URL can carry it.
fn backslash_in_name(rel: &str) -> Diagnostic {
    Diagnostic::error(
        "backslash-in-name",
        format!("`{rel}` has a `\\` in its name"),
    )
    .at(Location::at(rel, 1, 1))
    .expected("a file name without `\\`")
    .hint("rename the file; use `/` between folders, or `-` inside a name")
}

/// A static file whose name the write stage keeps for itself: it would be
/// overwritten by the marker, or dropped with the manifest.
fn reserved_static(rel: &str, why: String) -> Diagnostic {
    Diagnostic::error("reserved-name", format!("`{rel}` can't be copied: {why}"))
        .at(Location::at(rel, 1, 1))
        .expected("a static file of another name")
        .hint(
            "rename it; `.briefing-output` and `.briefing-moving` mark and move the output folder",
        )
}

pub fn escape_diagnostic(path: &str) -> Diagnostic {
    Diagnostic::error("outside-path", format!("`{path}` leads outside the briefing"))
        .at(Location::at(path, 1, 1))
        .expected("files and folders inside the briefing's folder")
        .hint("it is (or passes through) a symbolic link out of the briefing; copy what it points to into the briefing: briefing never reads, copies or serves files outside it")
}

/// A source file over its size limit.
fn too_large(path: &str, limit: u64) -> Diagnostic {
    let mib = limit >> 20;
    let what = if path.ends_with(".md") {
        "a Markdown file"
    } else {
        "a data file or template"
    };
    Diagnostic::error("file-too-large", format!("`{path}` is larger than {mib} MiB"))
        .at(Location::at(path, 1, 1))
        .expected(format!("{what} of at most {mib} MiB"))
        .hint(if path.ends_with(".md") {
            "split it into several pages (a section with one page per chapter); that is also easier to read"
        } else {
            "split the data or the template; a briefing's files are far smaller than this"
        })
}

/// Why [`read_text`] could not read a file.
pub enum ReadFailure {
    /// The file system failed.
    Io(Error),
    /// Not text, or a way out of the briefing: the user's mistake.
    Input(Diagnostic),
}

impl ReadFailure {
    /// Adds the user's mistake to `diagnostics`; a failure of the file
    /// system is returned.
    pub fn report(self, diagnostics: &mut Vec<Diagnostic>) -> Result<(), Error> {
        match self {
            ReadFailure::Io(e) => Err(e),
            ReadFailure::Input(d) => {
                diagnostics.push(d);
                Ok(())
            }
        }
    }
}

/// The largest Markdown file briefing reads. Parsing Markdown costs up to
/// about 55 bytes of memory per byte of input for dense markup (every `*`,
/// `[` or line break is a node of pulldown-cmark's tree: 1 MiB of `*a `
/// takes 47 MiB), so this bounds one page's parse to about 110 MiB. 2 MiB is
/// some 300,000 words.
pub const MAX_MARKDOWN_BYTES: u64 = 2 << 20;

/// The largest data file or template briefing reads.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// Reads the file at `path` (relative to the root) through `sandbox`, as
/// UTF-8 without a byte-order mark, within its size limit.
pub fn read_text(sandbox: &Sandbox, path: String) -> Result<SourceFile, ReadFailure> {
    let limit = if path.ends_with(".md") {
        MAX_MARKDOWN_BYTES
    } else {
        MAX_TEXT_BYTES
    };
    let bytes = sandbox
        .read_at_most(&path, limit)
        .map_err(|e| {
            if crate::sandbox::is_escape(&e) {
                ReadFailure::Input(escape_diagnostic(&path))
            } else {
                ReadFailure::Io(Error::io("cannot read", &path)(e))
            }
        })?
        .ok_or_else(|| ReadFailure::Input(too_large(&path, limit)))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // A byte-order mark is not content.
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(SourceFile {
                path,
                text: Arc::from(text),
            })
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
            let (line, column) = crate::diagnostic::line_column(prefix, prefix.len());
            Err(ReadFailure::Input(
                Diagnostic::error("non-utf8-file", format!("`{path}` is not valid UTF-8"))
                    .at(Location::at(path.clone(), line, column))
                    .expected(format!(
                        "UTF-8 text; found byte 0x{:02x}",
                        e.as_bytes()[valid]
                    ))
                    .hint("save the file as UTF-8 in your editor"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_and_backup_files_are_ignored() {
        for dir in ["content", "templates", "static"] {
            for junk in [
                ".DS_Store",
                "trade.md~",
                "#trade.md#",
                ".trade.md.swp",
                ".git",
                ".#x",
            ] {
                assert!(is_ignored(dir, Some(junk)), "{dir}/{junk}");
            }
            assert!(!is_ignored(dir, Some(".well-known")));
            assert!(!is_ignored(dir, Some("trade.md")));
        }
        // Hidden files are shipped from `static/` only.
        assert!(is_ignored("content", Some(".nojekyll")));
        assert!(!is_ignored("static", Some(".nojekyll")));
        assert!(!is_ignored("static", Some(".htaccess")));
    }

    #[test]
    fn a_markdown_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        let big = "*a ".repeat((MAX_MARKDOWN_BYTES / 3 + 1) as usize);
        fs::write(dir.path().join("content/big.md"), &big).unwrap();
        fs::write(
            dir.path().join("content/fits.md"),
            &big[..MAX_MARKDOWN_BYTES as usize],
        )
        .unwrap();
        let sandbox = Sandbox::open(dir.path()).unwrap();
        let Err(ReadFailure::Input(d)) = read_text(&sandbox, "content/big.md".into()) else {
            panic!("expected a size diagnostic");
        };
        assert!(d.message.contains("larger than 2 MiB"), "{}", d.message);
        assert!(read_text(&sandbox, "content/fits.md".into()).is_ok());
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        fs::write(dir.path().join("content/x.md"), b"ok\nab\xffcd").unwrap();
        let sandbox = Sandbox::open(dir.path()).unwrap();
        let Err(ReadFailure::Input(d)) = read_text(&sandbox, "content/x.md".into()) else {
            panic!("expected a UTF-8 diagnostic");
        };
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
        assert!(d.expected.unwrap().contains("0xff"));
    }
}
