//! The error type of the writer interface.

use core::fmt;

/// The only error the writer interface reports: Zig's `error.WriteFailed`.
///
/// Like Zig, the interface does not say *why*: an implementation that talks
/// to the OS keeps the cause in its own state (Zig's `File.Writer.err`), where
/// the caller that owns the concrete writer can read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WriteFailed;

impl fmt::Display for WriteFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("write failed")
    }
}

impl std::error::Error for WriteFailed {}

impl From<WriteFailed> for std::io::Error {
    fn from(_: WriteFailed) -> std::io::Error {
        std::io::Error::other(WriteFailed)
    }
}

impl From<WriteFailed> for fmt::Error {
    fn from(_: WriteFailed) -> fmt::Error {
        fmt::Error
    }
}
