//! [`Error`]: what went wrong, and in which step.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A failed step of installing or using the pinned Zig. Each variant names
/// the step and the paths it worked on.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file-system operation failed.
    Io {
        /// What was being done, e.g. "create the staging directory".
        step: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// A command could not be started or exited with a failure.
    Command {
        /// What the command was for, e.g. "download the wheel with pip".
        step: &'static str,
        /// The command line, for copying into a shell.
        command: String,
        /// Its exit status, or the error that kept it from starting.
        status: String,
        /// The end of its standard error.
        stderr: String,
    },
    /// pip succeeded but the pinned wheel file is not where it downloaded.
    WheelMissing {
        /// The download directory.
        dir: PathBuf,
        /// The file name that was expected.
        expected: String,
        /// The files that are there instead.
        found: Vec<String>,
    },
    /// The wheel's SHA-256 is not the pinned one.
    HashMismatch {
        /// The wheel file.
        path: PathBuf,
        /// The pinned hash.
        expected: String,
        /// The hash of the file.
        actual: String,
    },
    /// The unpacked compiler does not report the pinned version.
    WrongVersion {
        /// The compiler executable.
        exe: PathBuf,
        /// The pinned version.
        expected: String,
        /// What `zig version` printed.
        actual: String,
    },
    /// A version that is not one of [`crate::PINS`].
    UnknownVersion {
        /// The version asked for.
        version: String,
        /// The pinned versions.
        pinned: Vec<String>,
    },
    /// A pinned compiler is not installed where it should be.
    NotInstalled {
        /// Its version.
        version: String,
        /// Where it should be.
        dir: PathBuf,
        /// The command that installs it.
        command: String,
    },
}

impl Error {
    pub(crate) fn io(
        step: &'static str, path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { step, path, source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { step, path, source } => {
                write!(f, "pinned-zig: cannot {step}: {}: {source}", path.display())
            }
            Error::Command {
                step,
                command,
                status,
                stderr,
            } => {
                write!(f, "pinned-zig: cannot {step}: `{command}` {status}")?;
                if !stderr.trim().is_empty() {
                    write!(f, "\n{}", stderr.trim_end())?;
                }
                Ok(())
            }
            Error::WheelMissing {
                dir,
                expected,
                found,
            } => write!(
                f,
                "pinned-zig: pip finished but {} has no {expected} (found: {})",
                dir.display(),
                if found.is_empty() {
                    "nothing".to_string()
                } else {
                    found.join(", ")
                }
            ),
            Error::HashMismatch {
                path,
                expected,
                actual,
            } => write!(
                f,
                "pinned-zig: wrong SHA-256 for {}: expected {expected}, got {actual}",
                path.display()
            ),
            Error::WrongVersion {
                exe,
                expected,
                actual,
            } => write!(
                f,
                "pinned-zig: {} reports version `{actual}`, expected `{expected}`",
                exe.display()
            ),
            Error::UnknownVersion { version, pinned } => write!(
                f,
                "pinned-zig: Zig {version} is not pinned (pinned: {})",
                pinned.join(", ")
            ),
            Error::NotInstalled {
                version,
                dir,
                command,
            } => write!(
                f,
                "pinned-zig: Zig {version} is not installed in {}; run `{command}` to fetch it",
                dir.display()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
