//! The error types of the reader interface: Zig's `Reader.Error`,
//! `StreamError`, `StreamRemainingError`, `ShortError` and `RebaseError`
//! (`Io/Reader.zig:102-132`).
//!
//! Like the writer's [`WriteFailed`], they say *what* failed, never *why*:
//! an OS-backed reader keeps the cause in its own state (`FileSource::err`).

use crate::WriteFailed;
use core::fmt;

/// Reading failed, or the stream ended before the request was met: Zig's
/// `Reader.Error` (`Io/Reader.zig:112-116`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadError {
    /// The source failed; see the source for the cause.
    ReadFailed,
    /// The stream has no more bytes (or fewer than were required).
    EndOfStream,
}

/// A failure while moving bytes from a reader to a writer: Zig's
/// `Reader.StreamError` (`Io/Reader.zig:102-110`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamError {
    /// The reader's source failed.
    ReadFailed,
    /// The writer failed.
    WriteFailed,
    /// The reader's stream ended. Never originates from the writer.
    EndOfStream,
}

/// A failure of an operation that treats end of stream as success: Zig's
/// `StreamRemainingError` and `Writer.FileAllError` (`Io/Reader.zig:118-123`,
/// `Io/Writer.zig:94-99`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferError {
    /// The reader's source failed.
    ReadFailed,
    /// The writer failed.
    WriteFailed,
}

/// The source failed: Zig's `ShortError` (`Io/Reader.zig:125-128`), the
/// error of operations that report end of stream as a short count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReadFailed;

/// The stream ends before the requested capacity could be buffered: Zig's
/// `RebaseError` (`Io/Reader.zig:130-132`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EndOfStream;

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReadError::ReadFailed => "read failed",
            ReadError::EndOfStream => "end of stream",
        })
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StreamError::ReadFailed => "read failed",
            StreamError::WriteFailed => "write failed",
            StreamError::EndOfStream => "end of stream",
        })
    }
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransferError::ReadFailed => "read failed",
            TransferError::WriteFailed => "write failed",
        })
    }
}

impl fmt::Display for ReadFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("read failed")
    }
}

impl fmt::Display for EndOfStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("end of stream")
    }
}

impl std::error::Error for ReadError {}
impl std::error::Error for StreamError {}
impl std::error::Error for TransferError {}
impl std::error::Error for ReadFailed {}
impl std::error::Error for EndOfStream {}

impl From<EndOfStream> for ReadError {
    fn from(_: EndOfStream) -> ReadError {
        ReadError::EndOfStream
    }
}

impl From<ReadFailed> for ReadError {
    fn from(_: ReadFailed) -> ReadError {
        ReadError::ReadFailed
    }
}

impl From<ReadError> for StreamError {
    fn from(e: ReadError) -> StreamError {
        match e {
            ReadError::ReadFailed => StreamError::ReadFailed,
            ReadError::EndOfStream => StreamError::EndOfStream,
        }
    }
}

impl From<EndOfStream> for StreamError {
    fn from(_: EndOfStream) -> StreamError {
        StreamError::EndOfStream
    }
}

impl From<WriteFailed> for StreamError {
    fn from(_: WriteFailed) -> StreamError {
        StreamError::WriteFailed
    }
}

impl From<WriteFailed> for TransferError {
    fn from(_: WriteFailed) -> TransferError {
        TransferError::WriteFailed
    }
}

impl From<ReadFailed> for TransferError {
    fn from(_: ReadFailed) -> TransferError {
        TransferError::ReadFailed
    }
}

impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> std::io::Error {
        match e {
            ReadError::ReadFailed => std::io::Error::other(e),
            ReadError::EndOfStream => std::io::Error::new(std::io::ErrorKind::UnexpectedEof, e),
        }
    }
}

impl From<StreamError> for std::io::Error {
    fn from(e: StreamError) -> std::io::Error {
        match e {
            StreamError::EndOfStream => std::io::Error::new(std::io::ErrorKind::UnexpectedEof, e),
            _ => std::io::Error::other(e),
        }
    }
}

impl From<TransferError> for std::io::Error {
    fn from(e: TransferError) -> std::io::Error {
        std::io::Error::other(e)
    }
}

impl From<ReadError> for crate::SendFileError {
    fn from(e: ReadError) -> crate::SendFileError {
        match e {
            ReadError::ReadFailed => crate::SendFileError::ReadFailed,
            ReadError::EndOfStream => crate::SendFileError::EndOfStream,
        }
    }
}

impl From<StreamError> for crate::SendFileError {
    fn from(e: StreamError) -> crate::SendFileError {
        match e {
            StreamError::ReadFailed => crate::SendFileError::ReadFailed,
            StreamError::WriteFailed => crate::SendFileError::WriteFailed,
            StreamError::EndOfStream => crate::SendFileError::EndOfStream,
        }
    }
}
