//! The book as its tools see it: what the mdBook preprocessors
//! (`mdbook-vault`, `mdbook-figures`, `mdbook-plots`, `mdbook-diagrams`)
//! and the book's tests share, so that they all read a chapter the way
//! mdBook 0.5.4 renders it and report problems the same way.
//!
//! * [`markdown`]: the parser options mdBook renders with, byte offsets to
//!   line numbers, and the byte ranges of code.
//! * [`code`]: a chapter's code blocks as mdBook renders them, and the
//!   lines of a Rust block that mdBook hides.
//! * [`summary`]: the chapters `SUMMARY.md` lists.
//! * [`Diagnostic`]: one problem at a line of a file, and [`report`] for a
//!   list of them.
//! * [`preprocessor`]: the command mdBook runs, around any
//!   `mdbook_preprocessor::Preprocessor` (feature `preprocessor`, on by
//!   default; without it the crate needs only pulldown-cmark).
//! * [`mdbook`]: the pinned `mdbook` binary, for end-to-end tests, and
//!   (feature `scratch`) a book in a temporary directory to run it on.

pub mod code;
pub mod markdown;
pub mod mdbook;
#[cfg(feature = "preprocessor")]
pub mod preprocessor;
pub mod summary;

pub use markdown::{LineIndex, MarkdownOptions, code_ranges};

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem at one line of a file: `book/x.md:12: message`, then any
/// detail lines (a diff, compiler output) indented below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as shown to the reader: a chapter with the book's source
    /// directory (e.g. `book/measurements.md`), or another file relative to
    /// the repository root.
    pub file: PathBuf,
    /// 1-based line (0 when the problem is the file as a whole).
    pub line: usize,
    /// One line saying what is wrong.
    pub message: String,
    /// More lines, printed below the message.
    pub detail: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without detail lines.
    pub fn new(file: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            line,
            message: message.into(),
            detail: None,
        }
    }

    /// Adds detail lines below the message.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Diagnostic {
        self.detail = Some(detail.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)?;
        for line in self.detail.iter().flat_map(|d| d.lines()) {
            write!(f, "\n    {line}")?;
        }
        Ok(())
    }
}

/// `problems` for a failing test's message: their count, then each one
/// after a blank line.
pub fn report(problems: &[Diagnostic]) -> String {
    let mut text = format!("{} problem(s) in the book:\n", problems.len());
    for problem in problems {
        text.push_str(&format!("\n{problem}\n"));
    }
    text
}
