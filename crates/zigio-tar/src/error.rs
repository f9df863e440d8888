//! [`TarError`]: a failure, with the entry it happened in.

use core::fmt;

/// A tar writer error: what went wrong ([`kind`](TarError::kind)) and in
/// which entry ([`entry`](TarError::entry)).
///
/// A failure after an entry's header was written leaves the archive
/// unusable (the header announced a size that the contents do not match);
/// discard it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarError {
    /// The entry's path as given by the caller, or `None` for the end of
    /// the archive.
    pub entry: Option<String>,
    /// What went wrong.
    pub kind: TarErrorKind,
}

/// What went wrong while writing a tar entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TarErrorKind {
    /// The output writer failed; its own sink keeps the cause.
    Write,
    /// The path (or link target) cannot be stored.
    InvalidPath(&'static str),
    /// A numeric field does not fit its octal field and pax has no record
    /// for it (mode, uid, gid).
    FieldOverflow {
        /// The ustar field.
        field: &'static str,
        /// The value that does not fit.
        value: u64,
    },
    /// The contents did not match the size written in the header.
    SizeMismatch {
        /// The size in the header.
        declared: u64,
        /// The bytes the source actually delivered (for a source with more
        /// bytes than declared: `declared + 1`, as no more were read).
        streamed: u64,
    },
    /// The source of the contents failed, with its description.
    Read(String),
}

impl TarError {
    pub(crate) fn new(entry: &str, kind: TarErrorKind) -> TarError {
        TarError {
            entry: Some(entry.to_owned()),
            kind,
        }
    }
}

impl fmt::Display for TarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(entry) => write!(f, "tar entry {entry:?}: ")?,
            None => f.write_str("end of tar archive: ")?,
        }
        match &self.kind {
            TarErrorKind::Write => f.write_str("the output writer failed"),
            TarErrorKind::InvalidPath(why) => write!(f, "invalid path: {why}"),
            TarErrorKind::FieldOverflow { field, value } => {
                write!(f, "{field} {value:#o} does not fit its octal field")
            }
            TarErrorKind::SizeMismatch { declared, streamed } if streamed > declared => {
                write!(f, "declared {declared} bytes but the source has more")
            }
            TarErrorKind::SizeMismatch { declared, streamed } => write!(
                f,
                "declared {declared} bytes but the source ended after {streamed}"
            ),
            TarErrorKind::Read(why) => write!(f, "reading the contents failed: {why}"),
        }
    }
}

impl std::error::Error for TarError {}

impl From<TarError> for std::io::Error {
    fn from(e: TarError) -> std::io::Error {
        std::io::Error::other(e)
    }
}
