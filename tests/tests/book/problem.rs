//! A problem found in the book, reported as `file:line: message` so that
//! editors and terminals can jump to it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One thing wrong with the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The file, as shown to the reader (relative to the repository root).
    pub file: PathBuf,
    /// 1-based line in `file`.
    pub line: usize,
    /// One line saying what is wrong.
    pub message: String,
    /// More lines (a diff, compiler output), printed below the message.
    pub detail: Option<String>,
}

impl Problem {
    /// A problem without detail lines.
    pub(crate) fn new(file: &Path, line: usize, message: impl Into<String>) -> Self {
        Problem {
            file: file.to_path_buf(),
            line,
            message: message.into(),
            detail: None,
        }
    }

    /// Adds detail lines below the message.
    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)?;
        if let Some(detail) = &self.detail {
            for line in detail.lines() {
                write!(f, "\n    {line}")?;
            }
        }
        Ok(())
    }
}

/// Formats problems for a failing test's panic message.
pub(crate) fn report(problems: &[Problem]) -> String {
    let mut text = format!("{} problem(s) in the book:\n", problems.len());
    for problem in problems {
        text.push_str(&format!("\n{problem}\n"));
    }
    text
}
