//! The book as its tools see it: what the mdBook preprocessors
//! (`mdbook-vault`, `mdbook-figures`, `mdbook-plots`, `mdbook-diagrams`)
//! and the book's tests share, so that they all read a chapter the way
//! mdBook 0.5.4 renders it and report problems the same way.
//!
//! * [`markdown`]: the parser options mdBook renders with, byte offsets to
//!   line numbers, and the byte ranges of code.
//! * [`summary`]: the chapters `SUMMARY.md` lists.
//! * [`Diagnostic`]: one problem at a chapter's line.
//! * [`preprocessor`]: the command mdBook runs, around any
//!   `mdbook_preprocessor::Preprocessor` (feature `preprocessor`, on by
//!   default; without it the crate needs only pulldown-cmark).
//! * [`mdbook`]: the pinned `mdbook` binary, for end-to-end tests, and
//!   (feature `scratch`) a book in a temporary directory to run it on.

pub mod markdown;
pub mod mdbook;
#[cfg(feature = "preprocessor")]
pub mod preprocessor;
pub mod summary;

pub use markdown::{LineIndex, MarkdownOptions, code_ranges};

use std::fmt;
use std::path::PathBuf;

/// A problem at one line of a chapter: `book/x.md:12: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The chapter, as a path with the book's source directory (e.g.
    /// `book/measurements.md`).
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}
