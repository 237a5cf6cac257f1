//! The library's error type: what `build` and `check` return when they stop.
//!
//! Mistakes in the user's input are [`Diagnostics`] (located, all of a stage
//! together). The other variants are about the environment: the output folder
//! is unsafe to replace, or the file system failed.

use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostics;

/// Why a build or check stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has errors; each is located and explained.
    #[error("{} found", count(.0.error_count(), "error"))]
    Input(Diagnostics),
    /// `--strict` and the input has warnings.
    #[error("{} with --strict", count(.0.warning_count(), "warning"))]
    Strict(Diagnostics),
    /// The output folder is not one the build may replace.
    #[error("refusing to write to `{}`: {reason}", .path.display())]
    UnsafeOutput {
        /// The output folder as given.
        path: PathBuf,
        /// Why it is refused, and what to do instead.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{action} `{}`", .path.display())]
    Io {
        /// What was being done ("cannot read", "cannot create" …).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }
}

/// "1 error", "2 errors".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
