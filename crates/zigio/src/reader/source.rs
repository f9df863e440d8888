//! [`Source`]: the operations of a reader that dispatch, Zig's
//! `Reader.VTable` (`Io/Reader.zig:23-100`), and their defaults.

use super::{EndOfStream, ReadBuffer, ReadError, StreamError};
use crate::{Buffer, DynWriter, Limit, Writer};

/// Where a reader's bytes come from when its buffer does not have them: the
/// Rust counterpart of Zig's `Reader.VTable`.
///
/// A [`Reader`](crate::Reader) owns a [`ReadBuffer`] and, as its last field,
/// a source. Every operation that the buffered bytes can satisfy is done by
/// the reader itself; only these methods are called through the source, and
/// each receives the reader's buffer by mutable borrow, the way Zig's
/// functions receive `*Reader` and reach their own state with
/// `@fieldParentPtr`.
///
/// The trait is object-safe: `Reader<'a, dyn Source + 'a>`
/// ([`DynReader`](crate::DynReader)) is the non-generic interface.
pub trait Source {
    /// Writes bytes from the source's logical position to `w`: at most
    /// `limit` bytes, returning how many (`Io/Reader.zig:24-46`).
    ///
    /// Contract:
    /// - The result is at most `limit`; `Ok(0)` does not mean end of stream
    ///   (that is `Err(StreamError::EndOfStream)`).
    /// - The source's position moves forward by exactly the result.
    /// - Bytes already in `buf` are ignored: this is called when the buffer
    ///   is empty, or when the caller wants more bytes after them. New
    ///   bytes go to `w`; an implementation may instead (or also) store
    ///   bytes in `buf`, advancing its `end`, if that is simpler.
    /// - Implementations may return short counts to keep their logic simple
    ///   (for example one system call per call).
    fn stream(
        &mut self, buf: &mut ReadBuffer<'_>, w: &mut DynWriter<'_>, limit: Limit,
    ) -> Result<usize, StreamError>;

    /// Skips at most `limit` bytes from the source's position without
    /// providing them; returns how many (`Io/Reader.zig:48-65`).
    ///
    /// Contract: called only when `buf` holds no bytes; `Ok(0)` does not
    /// mean end of stream; the position moves by exactly the result.
    ///
    /// Default: Zig's `defaultDiscard` (`Io/Reader.zig:198-211`), see
    /// [`default_discard`].
    fn discard(&mut self, buf: &mut ReadBuffer<'_>, limit: Limit) -> Result<usize, ReadError> {
        default_discard(self, buf, limit)
    }

    /// Reads into `data`, in order, returning the number of bytes written to
    /// `data` (`Io/Reader.zig:67-86`).
    ///
    /// Contract:
    /// - `data` is not empty. `data[0]` may be empty, in which case the
    ///   implementation must read into `buf` instead.
    /// - An implementation may ignore `data` and read into `buf` (advancing
    ///   its `end`), returning 0: `Ok(0)` does not mean end of stream.
    /// - The position moves by the bytes written to `data` and `buf`.
    ///
    /// Default: Zig's `defaultReadVec` (`Io/Reader.zig:383-408`), see
    /// [`default_read_vec`].
    fn read_vec(
        &mut self, buf: &mut ReadBuffer<'_>, data: &mut [&mut [u8]],
    ) -> Result<usize, ReadError> {
        default_read_vec(self, buf, data)
    }

    /// Makes room so that `capacity` bytes can be buffered from `seek` on,
    /// keeping the buffered bytes (`Io/Reader.zig:88-99`).
    ///
    /// Contract: called only when `capacity > buf.capacity() - buf.seek()`;
    /// `Err(EndOfStream)` if the stream ends within `capacity` bytes and
    /// the implementation knows it.
    ///
    /// Default: Zig's `defaultRebase`, see [`default_rebase`].
    fn rebase(&mut self, buf: &mut ReadBuffer<'_>, capacity: usize) -> Result<(), EndOfStream> {
        default_rebase(buf, capacity);
        Ok(())
    }
}

/// Zig's `defaultDiscard`: stream into a [`Discarding`](crate::Discarding)
/// writer that borrows the reader's storage as its buffer, and report how
/// many bytes went by.
///
/// The source's `stream` receives an empty stand-in buffer for the call
/// (the real storage is lent to the discarding writer); `buf` is empty
/// afterwards.
///
/// # Errors
/// The source's `ReadFailed` or `EndOfStream`.
///
/// # Panics
/// If `buf` holds bytes (the contract says it does not), or if the source
/// streams more than `limit` bytes.
pub fn default_discard<S: Source + ?Sized>(
    source: &mut S, buf: &mut ReadBuffer<'_>, limit: Limit,
) -> Result<usize, ReadError> {
    assert_eq!(
        buf.buffered_len(),
        0,
        "Source::discard called with bytes still buffered"
    );
    buf.clear();
    let mut storage = core::mem::take(buf);
    let result = {
        let mut d = Writer::discarding(Buffer::borrowed(storage.storage_mut()));
        source.stream(buf, &mut d, limit)
    };
    *buf = storage;
    buf.clear();
    let n = match result {
        Ok(n) => n,
        Err(StreamError::ReadFailed) => return Err(ReadError::ReadFailed),
        Err(StreamError::EndOfStream) => return Err(ReadError::EndOfStream),
        Err(StreamError::WriteFailed) => unreachable!("a discarding writer never fails"),
    };
    assert!(
        n <= limit.get(),
        "Source::stream returned {n} bytes for {limit:?}"
    );
    Ok(n)
}

/// Zig's `defaultReadVec`: stream into a fixed writer over `data[0]` if it
/// is at least as large as the buffer's unused capacity (returning the
/// count), otherwise over the buffer's unused capacity (advancing `end` and
/// returning 0).
///
/// In the second case the source's `stream` receives an empty stand-in
/// buffer, because the real storage is the writer's destination.
///
/// # Errors
/// The source's `ReadFailed` or `EndOfStream`.
///
/// # Panics
/// If `data` is empty, or if the source streams more than it was allowed.
pub fn default_read_vec<S: Source + ?Sized>(
    source: &mut S, buf: &mut ReadBuffer<'_>, data: &mut [&mut [u8]],
) -> Result<usize, ReadError> {
    let first = data
        .first_mut()
        .expect("Source::read_vec: data must not be empty");
    if first.len() >= buf.unused_capacity_len() {
        let room = first.len();
        let mut w = Writer::fixed(Buffer::borrowed(&mut first[..]));
        let n = fixed_stream(source, buf, &mut w, room)?;
        return Ok(n);
    }
    let mut storage = core::mem::take(buf);
    let result = {
        let room = storage.unused_capacity_slice();
        let len = room.len();
        let mut w = Writer::fixed(Buffer::borrowed(room));
        fixed_stream(source, buf, &mut w, len)
    };
    *buf = storage;
    buf.advance(result?);
    Ok(0)
}

/// `source.stream` into a fixed writer of `room` bytes, limited to `room`.
fn fixed_stream<S: Source + ?Sized>(
    source: &mut S, buf: &mut ReadBuffer<'_>, w: &mut DynWriter<'_>, room: usize,
) -> Result<usize, ReadError> {
    match source.stream(buf, w, Limit::limited(room)) {
        Ok(n) => {
            assert!(
                n <= room && n <= w.end(),
                "Source::stream reported {n} bytes into a fixed writer holding {} of {room}",
                w.end()
            );
            Ok(n)
        }
        Err(StreamError::ReadFailed) => Err(ReadError::ReadFailed),
        Err(StreamError::EndOfStream) => Err(ReadError::EndOfStream),
        Err(StreamError::WriteFailed) => {
            unreachable!("a fixed writer limited to its room never fails")
        }
    }
}

/// Zig's `defaultRebase` (`Io/Reader.zig:1244-1251`): move the buffered
/// bytes to the front.
///
/// # Panics
/// If `capacity` exceeds the buffer's capacity (Zig asserts the same):
/// a `peek(n)` needs a buffer of at least `n` bytes.
pub fn default_rebase(buf: &mut ReadBuffer<'_>, capacity: usize) {
    buf.compact();
    assert!(
        capacity <= buf.capacity(),
        "reader rebase: {capacity} bytes cannot be buffered in a buffer of capacity {}",
        buf.capacity()
    );
}
