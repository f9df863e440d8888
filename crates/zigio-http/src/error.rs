//! [`BodyError`]: why a body writer failed.

use core::fmt;
use zigio::WriteFailed;

/// Why a [`BodyWriter`](super::BodyWriter) failed.
///
/// The writer interface itself only reports [`WriteFailed`]; the body
/// writer keeps the reason, as Zig's `File.Writer` keeps its `err`, and
/// returns it from its own methods (`flush`, `end`, ...).
///
/// Errors after which the bytes on the wire can no longer be framed
/// correctly are sticky: once one is kept, every later drain, flush,
/// `send_file` or end fails with it, and the connection should be closed.
/// These are all but two: [`NotChunked`](BodyError::NotChunked) and
/// [`InvalidTrailer`](BodyError::InvalidTrailer) are found before anything
/// is written, and leave the body writer usable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyError {
    /// A drain would have sent more bytes than the declared `Content-Length`.
    /// Nothing of that drain reached the connection, so the peer sees a
    /// short body (an error it can detect), never a full-length body that
    /// silently differs from what was written.
    ContentLengthExceeded {
        /// The declared length.
        declared: u64,
        /// Bytes sent (or, for an eliding writer, counted) before the refused drain.
        sent: u64,
        /// Bytes the refused drain offered: buffered bytes plus its data.
        offered: u64,
    },
    /// The body ended before `declared` bytes were written.
    ContentLengthShort {
        /// The declared length.
        declared: u64,
        /// Bytes sent (or counted) when the body ended.
        sent: u64,
    },
    /// The chunked body ended inside a chunk whose length was already on
    /// the wire: an earlier single-shot write (`write`, `write_splat`) took
    /// only part of the data it was given and the rest never followed.
    ChunkUnfinished {
        /// Data bytes the open chunk still needed.
        owed: u64,
    },
    /// `end_chunked` was called on a body that is not chunked.
    NotChunked,
    /// A trailer cannot be sent: its name is not an HTTP token or its value
    /// contains CR, LF or NUL (which would inject fields).
    InvalidTrailer {
        /// The offending field name.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A write, flush or end after the body had ended.
    Ended,
    /// The connection's protocol output failed; its own sink holds the cause
    /// (for example [`IoSink::err`](zigio::IoSink::err)).
    Downstream,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::ContentLengthExceeded {
                declared,
                sent,
                offered,
            } => write!(
                f,
                "content-length {declared} exceeded: {sent} bytes sent, a drain of {offered} more was refused"
            ),
            BodyError::ContentLengthShort { declared, sent } => write!(
                f,
                "body ended after {sent} of its declared content-length {declared} bytes"
            ),
            BodyError::ChunkUnfinished { owed } => write!(
                f,
                "chunked body ended with {owed} bytes still owed to an open chunk"
            ),
            BodyError::NotChunked => f.write_str("end_chunked on a body that is not chunked"),
            BodyError::InvalidTrailer { name, reason } => {
                write!(f, "invalid trailer {name:?}: {reason}")
            }
            BodyError::Ended => f.write_str("the body has already ended"),
            BodyError::Downstream => f.write_str("the connection's writer failed"),
        }
    }
}

impl std::error::Error for BodyError {}

impl From<BodyError> for WriteFailed {
    fn from(_: BodyError) -> WriteFailed {
        WriteFailed
    }
}

impl From<BodyError> for std::io::Error {
    fn from(e: BodyError) -> std::io::Error {
        std::io::Error::other(e)
    }
}
