//! Errors of the file reader and writer that are kept and returned again
//! (Zig's `seek_err`, `size_err`), and of the file writer's `finish`.
//!
//! Zig's error values are copyable, so a failed `stat` or `lseek` is
//! remembered and returned again without another system call. `io::Error`
//! is not `Copy`; these types keep the raw OS error code instead and turn
//! it into an `io::Error` on demand.

use core::fmt;
use std::io;

/// Why the position of a file reader or writer could not be moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeekError {
    /// `lseek` failed with this OS error code (`ESPIPE`: the descriptor
    /// cannot seek).
    Os(i32),
    /// Seeking forward fell back to reading, and the stream ended first; the
    /// position is at the end.
    EndOfStream,
    /// Seeking forward fell back to reading, which failed.
    ReadFailed,
    /// The target position is negative or does not fit in 64 bits.
    OutOfRange,
}

impl SeekError {
    /// The error as an `io::Error` (kind `UnexpectedEof` for
    /// `EndOfStream`, `InvalidInput` for `OutOfRange`).
    pub fn to_io_error(self) -> io::Error {
        match self {
            SeekError::Os(code) => io::Error::from_raw_os_error(code),
            SeekError::EndOfStream => io::Error::new(io::ErrorKind::UnexpectedEof, self),
            SeekError::ReadFailed => io::Error::other(self),
            SeekError::OutOfRange => io::Error::new(io::ErrorKind::InvalidInput, self),
        }
    }
}

impl fmt::Display for SeekError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeekError::Os(code) => {
                write!(f, "seek failed: {}", io::Error::from_raw_os_error(*code))
            }
            SeekError::EndOfStream => f.write_str("seek failed: end of stream while skipping"),
            SeekError::ReadFailed => f.write_str("seek failed: read failed while skipping"),
            SeekError::OutOfRange => f.write_str("seek failed: position out of range"),
        }
    }
}

impl std::error::Error for SeekError {}

impl From<SeekError> for io::Error {
    fn from(e: SeekError) -> io::Error {
        e.to_io_error()
    }
}

/// Why the size of a file reader's file is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SizeError {
    /// The descriptor is not a regular file (pipe, socket, terminal,
    /// device): Zig's `error.Streaming`.
    NotAFile,
    /// `fstat` failed with this OS error code.
    Os(i32),
}

impl fmt::Display for SizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SizeError::NotAFile => f.write_str("size unknown: not a regular file"),
            SizeError::Os(code) => {
                write!(f, "fstat failed: {}", io::Error::from_raw_os_error(*code))
            }
        }
    }
}

impl std::error::Error for SizeError {}

impl From<SizeError> for io::Error {
    fn from(e: SizeError) -> io::Error {
        match e {
            SizeError::NotAFile => io::Error::new(io::ErrorKind::Unsupported, e),
            SizeError::Os(code) => io::Error::from_raw_os_error(code),
        }
    }
}

/// Why a file writer's `finish` (Zig's `File.Writer.end`) failed: Zig's
/// `File.Writer.EndError`.
#[derive(Debug)]
pub enum EndError {
    /// Flushing failed; the OS error is in the sink's `err`.
    WriteFailed,
    /// Truncating the file at the written position failed.
    SetLen(io::Error),
}

impl fmt::Display for EndError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndError::WriteFailed => f.write_str("flush failed"),
            EndError::SetLen(e) => write!(f, "truncating the file failed: {e}"),
        }
    }
}

impl std::error::Error for EndError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EndError::WriteFailed => None,
            EndError::SetLen(e) => Some(e),
        }
    }
}

impl From<crate::WriteFailed> for EndError {
    fn from(_: crate::WriteFailed) -> EndError {
        EndError::WriteFailed
    }
}

/// Why a file writer's `seek_to` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriterSeekError {
    /// Flushing the buffered bytes first failed; the OS error is in the
    /// sink's `err`.
    WriteFailed,
    /// Moving the position failed.
    Seek(SeekError),
}

impl fmt::Display for WriterSeekError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriterSeekError::WriteFailed => f.write_str("flush before seek failed"),
            WriterSeekError::Seek(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for WriterSeekError {}
