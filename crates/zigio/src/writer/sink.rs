//! [`Sink`]: the four operations that dispatch, Zig's `Writer.VTable`
//! (`Writer.zig:18-87`).

use crate::{Buffer, WriteFailed};
use core::fmt;

/// What a writer does when bytes do not fit in its buffer: the Rust
/// counterpart of Zig's `Writer.VTable`.
///
/// A [`Writer`](crate::Writer) owns a [`Buffer`] and, as its last field, a
/// sink. Every operation that fits in the buffer is a copy done by the
/// writer itself; only these methods are called through the sink, and each
/// receives the writer's buffer by mutable borrow, the way Zig's functions
/// receive `*Writer` and reach their own state with `@fieldParentPtr`.
///
/// The trait is object-safe: `Writer<'a, dyn Sink + 'a>`
/// ([`DynWriter`](crate::DynWriter)) is the non-generic interface.
pub trait Sink {
    /// Sends bytes onward, in this order: the buffered bytes
    /// (`buf.buffered()`), then `data[0]`, ..., `data[n-2]`, then
    /// `data[n-1]` repeated `splat` times (`splat` may be 0).
    ///
    /// Contract, as `Writer.zig:19-44` states it:
    /// - `data` is never empty. Its elements may alias each other but never
    ///   the buffer.
    /// - It is called only when the data could not have been stored in the
    ///   buffer (including zero bytes into a zero-capacity buffer), or from
    ///   [`flush`](Sink::flush) / [`rebase`](Sink::rebase).
    /// - It returns the number of bytes consumed **from `data`**, not
    ///   counting buffered bytes; it updates the buffer itself, usually by
    ///   ending with `Ok(buf.consume(total_accepted))`.
    /// - Partial drains are normal, and `Ok(0)` does not mean end of stream:
    ///   callers such as `write_all` loop. End of stream and every other
    ///   failure is `Err(WriteFailed)`.
    /// - On `Err`, no byte of `data` was taken, so a caller may retry the
    ///   same data after a transient failure (`EAGAIN`) without sending
    ///   anything twice; buffered bytes that did go out before the failure
    ///   are removed from `buf`. The exceptions are sinks whose failure is
    ///   final and which cannot be retried with any effect: a full fixed
    ///   writer keeps the prefix that fit (as in Zig), an allocating writer
    ///   whose allocation failed keeps the pieces it had stored, and an HTTP
    ///   body writer's first error is sticky.
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed>;

    /// Sends every buffered byte; afterwards `buf.end() == 0` unless the
    /// implementation keeps its bytes in the buffer on purpose (fixed and
    /// allocating writers). Later drains remain allowed.
    ///
    /// Default: Zig's `defaultFlush` (`Writer.zig:313-317`): call
    /// `drain(&[b""], 1)` until the buffer is empty. Like Zig, it does not
    /// check for progress: a sink that keeps returning `Ok(0)` without
    /// consuming is polled again.
    fn flush(&mut self, buf: &mut Buffer<'_>) -> Result<(), WriteFailed> {
        default_flush(self, buf)
    }

    /// Makes room for `capacity` more bytes while keeping the newest
    /// `preserve` buffered bytes buffered. Called only when `capacity` bytes
    /// do not already fit.
    ///
    /// Default: Zig's `defaultRebase` (`Writer.zig:341-361`), see
    /// [`default_rebase`].
    fn rebase(
        &mut self, buf: &mut Buffer<'_>, preserve: usize, capacity: usize,
    ) -> Result<(), WriteFailed> {
        default_rebase(self, buf, preserve, capacity)
    }

    /// Sends the buffered bytes, then at most `limit` bytes of `file` from
    /// its position, returning the number of **file** bytes sent: Zig's
    /// `VTable.sendFile` (`Writer.zig:46-68`).
    ///
    /// Contract:
    /// - `file` has no reader-buffered bytes. [`Writer::send_file`] and the
    ///   other entry points send a reader's buffered bytes with `write`
    ///   first, as `Reader.stream` does (`Reader.zig:171-182`); so an
    ///   implementation reads from `file.pos()` and cannot skip or repeat
    ///   bytes a reader had already taken from the file (Zig 0.15.1's
    ///   implementations had to, and two of them got it wrong).
    /// - The result counts file bytes only; buffered bytes are accounted
    ///   through `buf` (usually `consume`). The file position advances by
    ///   exactly the result.
    /// - `Ok(0)` is not end of stream. `Err(EndOfStream)` is: the file has no
    ///   more bytes.
    /// - `Err(Unimplemented)` means "no better way than the caller's own
    ///   read loop" ([`Writer::send_file_reading`]); nothing was sent.
    ///
    /// Default: `Err(Unimplemented)`, Zig's `unimplementedSendFile`
    /// (`Writer.zig:2318-2325`).
    ///
    /// [`Writer::send_file`]: crate::Writer::send_file
    /// [`Writer::send_file_reading`]: crate::Writer::send_file_reading
    #[cfg(all(feature = "os", unix))]
    fn send_file(
        &mut self, buf: &mut Buffer<'_>, file: &mut crate::fs::FileSource<'_>, limit: crate::Limit,
    ) -> Result<usize, SendFileError> {
        let _ = (buf, file, limit);
        Err(SendFileError::Unimplemented)
    }
}

/// Why [`Sink::send_file`] sent nothing: Zig's `Writer.FileError`
/// (`Writer.zig:110-120`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SendFileError {
    /// Reading the file failed; the file reader keeps the cause.
    ReadFailed,
    /// Writing failed; the writer's sink keeps the cause.
    WriteFailed,
    /// The file has no more bytes.
    EndOfStream,
    /// The sink has no way better than a read loop: use
    /// `Writer::send_file_reading`.
    Unimplemented,
}

impl fmt::Display for SendFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SendFileError::ReadFailed => "read failed",
            SendFileError::WriteFailed => "write failed",
            SendFileError::EndOfStream => "end of stream",
            SendFileError::Unimplemented => "send_file is not implemented by this writer",
        })
    }
}

impl std::error::Error for SendFileError {}

impl From<WriteFailed> for SendFileError {
    fn from(_: WriteFailed) -> SendFileError {
        SendFileError::WriteFailed
    }
}

impl From<SendFileError> for std::io::Error {
    fn from(e: SendFileError) -> std::io::Error {
        match e {
            SendFileError::EndOfStream => std::io::Error::new(std::io::ErrorKind::UnexpectedEof, e),
            SendFileError::Unimplemented => std::io::Error::new(std::io::ErrorKind::Unsupported, e),
            _ => std::io::Error::other(e),
        }
    }
}

/// Zig's `defaultFlush`: drain an empty pattern until nothing is buffered.
///
/// # Errors
/// The first error of `drain`.
pub fn default_flush<S: Sink + ?Sized>(
    sink: &mut S, buf: &mut Buffer<'_>,
) -> Result<(), WriteFailed> {
    while buf.end() != 0 {
        sink.drain(buf, &[b""], 1)?;
    }
    Ok(())
}

/// Zig's `defaultRebase`: while fewer than `minimum_len` bytes are free, hide
/// the newest `preserve` buffered bytes from the sink, drain the rest, and
/// move the hidden bytes down behind whatever the sink left buffered.
///
/// Unlike Zig 0.15.1, which restores `end` but skips the move when `drain`
/// fails, the hidden bytes are put back in place on the error path too, so
/// the buffer is consistent after an error even if the sink had consumed
/// part of the buffer before failing.
///
/// # Errors
/// The first error of `drain`; the buffered bytes are then as they were,
/// minus whatever the sink accepted.
///
/// # Panics
/// If `preserve + minimum_len` exceeds the capacity after a drain (Zig
/// asserts the same), or if `drain` of an empty pattern reports consuming
/// data bytes (a broken sink).
pub fn default_rebase<S: Sink + ?Sized>(
    sink: &mut S, buf: &mut Buffer<'_>, preserve: usize, minimum_len: usize,
) -> Result<(), WriteFailed> {
    while buf.unused_capacity_len() < minimum_len {
        let tail = buf.end();
        let head = tail.saturating_sub(preserve);
        let hidden = tail - head;
        buf.set_end(head);
        let result = sink.drain(buf, &[b""], 1);
        let end = buf.end();
        assert!(
            end <= head,
            "drain grew the buffer from {head} to {end} bytes while rebase hid {hidden} bytes"
        );
        buf.as_mut_slice().copy_within(head..tail, end);
        buf.set_end(end + hidden);
        let n = result?;
        assert_eq!(n, 0, "drain(&[b\"\"], 1) reported {n} data bytes consumed");
        let cap = buf.capacity();
        assert!(
            preserve.checked_add(minimum_len).is_some_and(|t| t <= cap),
            "rebase(preserve: {preserve}, minimum_len: {minimum_len}) cannot fit in a buffer of capacity {cap}"
        );
    }
    Ok(())
}
