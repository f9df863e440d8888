//! The writer side, as [`reader`](crate::reader) is the reader side:
//! [`Writer`], a buffer and a sink in one struct; [`DynWriter`], the same
//! struct with the sink erased, the counterpart of Zig's `*std.Io.Writer`;
//! its [`Buffer`], the [`Sink`] interface (Zig's `VTable`) and its error,
//! and the sinks of Zig's standard library ([`Fixed`], [`Allocating`],
//! [`Discarding`], [`Failing`], [`Hashed`]/[`Hashing`]) with two of this
//! crate's own ([`IoSink`] over any `std::io::Write`, [`Instrumented`],
//! which records every call). The crate root re-exports all of it.

mod buffer;
mod bytes;
mod endian;
mod error;
mod interop;
mod sink;
mod sinks;
mod slices;
mod splat;

pub(crate) use buffer::fill_repeating;
pub use buffer::{Buffer, CACHE_LINE};
pub use endian::{Endian, Int};
pub use error::WriteFailed;
pub use sink::{SendFileError, Sink, default_flush, default_rebase};
pub use sinks::*;

/// A buffered writer: the staged bytes ([`Buffer`]) and, last, the
/// implementation ([`Sink`]) that takes them when they do not fit.
///
/// Because the sink is the last field, `&mut Writer<'a, S>` coerces to
/// `&mut Writer<'a, dyn Sink + 'a>` ([`DynWriter`]): one non-generic type
/// that any function can take, with the buffer still visible in it. Every
/// write that fits is ordinary code on the buffer (no dynamic dispatch);
/// only `drain`, `flush` and `rebase` go through the sink's vtable.
///
/// ```
/// use zigio::{DynWriter, Writer, WriteFailed};
///
/// fn greet(w: &mut DynWriter<'_>) -> Result<(), WriteFailed> {
///     w.write_all(b"hello, ")?;
///     w.write_all(b"world")
/// }
///
/// let mut storage = [0u8; 32];
/// let mut w = Writer::fixed(&mut storage);
/// greet(&mut w).unwrap();
/// assert_eq!(w.buffered(), b"hello, world");
/// ```
pub struct Writer<'a, S: ?Sized> {
    pub(crate) buf: Buffer<'a>,
    /// The implementation. Public so that the owner of a concrete writer
    /// can read its state (counts, kept OS errors, hashes).
    pub sink: S,
}

/// The non-generic writer interface: what Zig calls `*std.Io.Writer`.
pub type DynWriter<'a> = Writer<'a, dyn Sink + 'a>;

impl<'a, S: Sink> Writer<'a, S> {
    /// A writer that stages bytes in `buffer` and drains them into `sink`.
    pub fn new(buffer: impl Into<Buffer<'a>>, sink: S) -> Self {
        Writer {
            buf: buffer.into(),
            sink,
        }
    }

    /// This writer as the non-generic interface. Usually implicit: a
    /// `&mut Writer<S>` coerces to `&mut DynWriter` where one is expected.
    pub fn as_dyn(&mut self) -> &mut DynWriter<'a>
    where
        S: 'a,
    {
        self
    }

    /// The buffer and the sink, taken apart. Buffered bytes are not flushed.
    pub fn into_parts(self) -> (Buffer<'a>, S) {
        (self.buf, self.sink)
    }
}

impl<'a, S: Sink + ?Sized> Writer<'a, S> {
    /// The buffer: storage and `end`.
    #[inline]
    pub fn buffer(&self) -> &Buffer<'a> {
        &self.buf
    }

    /// The buffer and the sink, borrowed separately (a split borrow, as a
    /// sink's own methods receive them).
    pub fn parts_mut(&mut self) -> (&mut Buffer<'a>, &mut S) {
        (&mut self.buf, &mut self.sink)
    }

    /// The bytes not yet drained (`Writer.zig:152-155`).
    #[inline]
    pub fn buffered(&self) -> &[u8] {
        self.buf.buffered()
    }

    /// Number of buffered bytes: Zig's `end` field.
    #[inline]
    pub fn end(&self) -> usize {
        self.buf.end()
    }

    /// Total buffer capacity: Zig's `buffer.len`.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// `buffer[end..]` (`Writer.zig:363-365`).
    #[inline]
    pub fn unused_capacity_slice(&mut self) -> &mut [u8] {
        self.buf.unused_capacity_slice()
    }

    /// `capacity - end` (`Writer.zig:367-369`).
    #[inline]
    pub fn unused_capacity_len(&self) -> usize {
        self.buf.unused_capacity_len()
    }

    /// Marks `n` bytes written into the unused capacity as buffered
    /// (`Writer.zig:439-447`).
    ///
    /// # Panics
    /// If `end + n` exceeds the capacity.
    #[inline]
    pub fn advance(&mut self, n: usize) {
        self.buf.advance(n)
    }

    /// Forgets the newest `n` buffered bytes (`Writer.zig:435-437`).
    ///
    /// # Panics
    /// If `n > end`.
    #[inline]
    pub fn undo(&mut self, n: usize) {
        self.buf.undo(n)
    }

    /// See [`Buffer::consume`] (`Writer.zig:2294-2309`).
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut storage = [0u8; 8];
    /// let mut w = Writer::fixed(&mut storage);
    /// w.write_all(b"abcdef")?;
    /// // A sink that sent 4 bytes removes them; the rest moves to the front.
    /// assert_eq!(w.consume(4), 0);
    /// assert_eq!(w.buffered(), b"ef");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    #[inline]
    pub fn consume(&mut self, n: usize) -> usize {
        self.buf.consume(n)
    }

    /// See [`Buffer::consume_all`] (`Writer.zig:2311-2316`).
    #[inline]
    pub fn consume_all(&mut self) -> usize {
        self.buf.consume_all()
    }

    /// Calls the sink's drain directly: buffered bytes, then `data`, the last
    /// element `splat` times. Returns the number of `data` bytes consumed
    /// (possibly 0).
    ///
    /// Operations call this only when data does not fit; calling it yourself
    /// is allowed (it is how a wrapper forwards), but most code wants
    /// [`write_all`](Self::write_all).
    ///
    /// # Panics
    /// If `data` is empty.
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut storage = [0u8; 16];
    /// let mut w = Writer::fixed(&mut storage);
    /// w.write_all(b"ab")?;
    /// // A fixed writer's drain stores what fits: "c", then "-" three times.
    /// assert_eq!(w.drain(&[b"c", b"-"], 3)?, 4);
    /// assert_eq!(w.buffered(), b"abc---");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    pub fn drain(&mut self, data: &[&[u8]], splat: usize) -> Result<usize, WriteFailed> {
        assert!(!data.is_empty(), "drain: data must not be empty");
        self.sink.drain(&mut self.buf, data, splat)
    }

    /// Sends all buffered bytes through the sink (`Writer.zig:308-311`).
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut out = Vec::new();
    /// let mut storage = [0u8; 64];
    /// let mut w = Writer::from_io(&mut out, &mut storage[..]);
    /// w.write_all(b"buffered until the flush")?;
    /// assert_eq!(w.buffered().len(), 24);
    /// w.flush()?;
    /// assert!(w.buffered().is_empty());
    /// drop(w);
    /// assert_eq!(out, b"buffered until the flush");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    pub fn flush(&mut self) -> Result<(), WriteFailed> {
        self.sink.flush(&mut self.buf)
    }
}

/// Total bytes of `data` with the last element counted `splat` times
/// (`Writer.zig:157-162`), saturating at `usize::MAX`.
///
/// # Panics
/// If `data` is empty.
#[inline]
pub fn count_splat(data: &[&[u8]], splat: usize) -> usize {
    let (pattern, rest) = data
        .split_last()
        .expect("count_splat: data must not be empty");
    let mut total = pattern.len().saturating_mul(splat);
    for d in rest {
        total = total.saturating_add(d.len());
    }
    total
}
