//! The little world Typst typesets the PDF edition in: one generated source
//! file, the charts as SVG files in memory, and the fonts of
//! [`super::fonts`]. Nothing is read from disk here: every file a document
//! can name is one this module was handed, so a briefing's text can never
//! make Typst read anything else.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::Fonts;

/// The generated document and the files it includes.
pub struct Document {
    /// The main source.
    source: Source,
    /// Other files by path (`/charts/trade.svg`).
    files: HashMap<FileId, Bytes>,
    /// The date Typst's `datetime.today()` answers (the briefing's date).
    today: Option<Datetime>,
}

/// The path of a file in the document's virtual root.
fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl Document {
    /// A document of `markup`, with `files` (path, contents) it may include.
    pub fn new(markup: String, files: Vec<(String, Vec<u8>)>, today: Option<Datetime>) -> Self {
        let main = file_id("/main.typ").expect("a valid path");
        let files = files
            .into_iter()
            .filter_map(|(path, bytes)| Some((file_id(&path)?, Bytes::new(bytes))))
            .collect();
        Document {
            source: Source::new(main, markup),
            files,
            today,
        }
    }

    /// The generated markup.
    pub fn text(&self) -> &str {
        self.source.text()
    }
}

/// A [`Document`] with the standard library and fonts: what Typst compiles.
pub struct Typesetting<'a> {
    /// The document.
    pub document: &'a Document,
    /// The fonts.
    pub fonts: &'a Fonts,
    /// Typst's standard library.
    pub library: &'a LazyHash<Library>,
}

/// Typst's standard library, built once per process.
pub fn library() -> &'static LazyHash<Library> {
    static LIBRARY: std::sync::OnceLock<LazyHash<Library>> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

impl World for Typesetting<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.document.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.document.source.id() {
            Ok(self.document.source.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.document.source.id() {
            return Ok(Bytes::from_string(self.document.source.text().to_string()));
        }
        self.document
            .files
            .get(&id)
            .cloned()
            .ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.document.today
    }
}
