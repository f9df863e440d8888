//! [`Error`]: what went wrong in a run, a render or a worker, naming the
//! file, line, process or value at fault.

use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

/// A failed step of the runner, the renderer or a worker.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory that cannot be created, read, written or
    /// removed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done: "create", "read", "write", "remove".
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The book's results file cannot be read: no run has saved it yet.
    #[error("cannot read {}: {source} (run `cargo xtask bench` first)", path.display())]
    NoResults {
        /// The results file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// Results that are not the JSON of [`crate::results::Results`].
    #[error("{origin}: not benchmark results: {source}")]
    Json {
        /// Where the text came from.
        origin: String,
        /// serde's error, with its line and column.
        #[source]
        source: serde_json::Error,
    },
    /// Text that is not what it should be: an strace summary, or results of
    /// another schema.
    #[error("{origin}{}: {message}", line.map_or_else(String::new, |n| format!(":{n}")))]
    Parse {
        /// Where the text came from.
        origin: String,
        /// The line at fault (1-based), if it is one line.
        line: Option<usize>,
        /// What is wrong with it.
        message: String,
    },
    /// A process that could not be started, pinned, read or waited for, or
    /// whose output file is missing; or a worker that cannot use its own
    /// standard output or error.
    #[error("{who}: {action}: {source}")]
    Process {
        /// The case or command, e.g. "zigio small write".
        who: String,
        /// What could not be done, e.g. "cannot wait for it".
        action: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A process that exited with a failure.
    #[error("{who} failed ({status}):\n{stderr}")]
    Failed {
        /// The case or command.
        who: String,
        /// Its exit status.
        status: ExitStatus,
        /// Its standard error, without trailing white space.
        stderr: String,
    },
    /// A process that ran but reported or wrote something other than its
    /// workload asks for.
    #[error("{who}: {message}")]
    Output {
        /// The case, e.g. "zigio small write".
        who: String,
        /// What is wrong, with the numbers.
        message: String,
    },
    /// Installing or running the pinned Zig failed.
    #[error(transparent)]
    Zig(#[from] pinned_zig::Error),
    /// plotters failed to draw a chart.
    #[error("drawing a chart failed: {0}")]
    Chart(String),
    /// Another run holds the lock on the output directory.
    #[error("another benchmark run holds {} ({source}); wait for it to finish", path.display())]
    Busy {
        /// The lock file.
        path: PathBuf,
        /// Why the lock was not taken.
        #[source]
        source: std::fs::TryLockError,
    },
    /// A complete run on a working tree with uncommitted changes.
    #[error(
        "the working tree has uncommitted changes, so the recorded data would not say what ran:\n  {}\n\
         commit or stash them, or run `cargo xtask bench --allow-dirty` (the page then shows it)",
        listed(changes)
    )]
    Dirty {
        /// `git status --porcelain` lines.
        changes: Vec<String>,
    },
    /// A bad command line or job: the message names the argument.
    #[error("{0}")]
    Usage(String),
    /// A workload or variant that a worker's implementation does not have.
    #[error("{imp} has no variant `{variant}` of workload `{workload}`")]
    Unsupported {
        /// The implementation: "zigio" or "std".
        imp: &'static str,
        /// The job's workload.
        workload: String,
        /// The job's variant.
        variant: String,
    },
    /// A write, copy or read through the implementation a worker measures
    /// that failed.
    #[error("{imp} {what} failed{}", source.as_ref().map_or_else(String::new, |e| format!(": {e}")))]
    Write {
        /// The implementation: "zigio" or "std".
        imp: &'static str,
        /// What failed, e.g. "write", "copy", "read of SRC".
        what: String,
        /// The OS error: std's, or the one zigio's file sink or source
        /// recorded behind its `WriteFailed` or `ReadFailed` (none for a
        /// writer without a file).
        #[source]
        source: Option<io::Error>,
    },
}

/// The first 8 of `changes`, one a line, and how many more there are.
fn listed(changes: &[String]) -> String {
    let shown: Vec<&str> = changes.iter().take(8).map(String::as_str).collect();
    let more = changes.len().saturating_sub(shown.len());
    let mut s = shown.join("\n  ");
    if more > 0 {
        s.push_str(&format!("\n  ... and {more} more"));
    }
    s
}

impl Error {
    /// An [`Error::Io`] maker for `map_err`: `action` on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }

    /// An [`Error::Process`] maker for `map_err`: `who` could not do
    /// `action`.
    pub fn process(who: &str, action: impl Into<String>) -> impl FnOnce(io::Error) -> Error {
        let who = who.to_string();
        let action = action.into();
        move |source| Error::Process {
            who,
            action,
            source,
        }
    }

    /// An [`Error::Output`] of `who`.
    pub fn output(who: &str, message: impl Into<String>) -> Error {
        Error::Output {
            who: who.to_string(),
            message: message.into(),
        }
    }
}
