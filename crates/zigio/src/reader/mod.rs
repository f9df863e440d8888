//! [`Reader`]: a read buffer and a source in one struct; [`DynReader`]: the
//! same struct with the source erased, the counterpart of Zig's
//! `*std.Io.Reader` (`Io/Reader.zig`).
//!
//! The reader mirrors the writer: Zig's `Writer.end` is the reader's
//! `seek`/`end` pair. Operations that the buffered bytes satisfy (`peek`,
//! `take`, `toss`, `take_byte`, `stream` of buffered bytes) are ordinary
//! code on the buffer; only when the buffer runs dry does a call go through
//! the [`Source`].
//!
//! ```
//! use zigio::{Limit, Reader, Writer};
//!
//! let mut r = Reader::fixed(b"GET /index.html HTTP/1.1\r\n");
//! assert_eq!(r.take(4).unwrap(), b"GET ");
//! assert_eq!(r.peek_byte().unwrap(), b'/');
//!
//! let mut storage = [0u8; 64];
//! let mut w = Writer::fixed(&mut storage);
//! r.stream_exact(&mut w, 11).unwrap();
//! assert_eq!(w.buffered(), b"/index.html");
//! assert_eq!(r.discard(Limit::UNLIMITED).unwrap(), 11);
//! ```
//!
//! # Deliberate differences from Zig 0.15.1
//!
//! - `stream(w, Limit::NOTHING)` returns `Ok(0)` without calling the source.
//! - `discard` that skipped buffered bytes and then meets the end returns
//!   their count; the next call reports the end (Zig loses the count).
//! - Zig's assertions (`toss` past the buffered bytes, `peek` larger than
//!   the buffer, a source returning more than its limit) are panics with a
//!   message.
//! - `Reader` is not itself a `std::io::Read` (its `take` would be shadowed
//!   by `Read::take`); [`Reader::adapt_to_io`] is, like Zig's
//!   `adaptToOldInterface`.

mod buffer;
mod delimiter;
mod error;
mod fixed;
mod io_adapter;
mod limited;
mod source;

pub use buffer::ReadBuffer;
pub use delimiter::DelimiterError;
pub use error::{EndOfStream, ReadError, ReadFailed, StreamError, TransferError};
pub use fixed::{Ending, Failing};
pub use io_adapter::IoSource;
pub use limited::Limited;
pub use source::{Source, default_discard, default_read_vec, default_rebase};

use crate::{DynWriter, Limit};
use std::io::IoSliceMut;

/// Most slices handed to one vectored read by [`Reader::read_vec`]
/// (`max_buffers_len`, `fs/File.zig:1231`).
pub(crate) const MAX_READ_VECS: usize = 16;

/// A buffered reader: the buffered bytes ([`ReadBuffer`]) and, last, the
/// implementation ([`Source`]) that supplies more.
///
/// Because the source is the last field, `&mut Reader<'a, S>` coerces to
/// `&mut Reader<'a, dyn Source + 'a>` ([`DynReader`]), the non-generic
/// interface, with the buffer still an ordinary field.
pub struct Reader<'a, S: ?Sized> {
    pub(crate) buf: ReadBuffer<'a>,
    /// The implementation. Public so that the owner of a concrete reader can
    /// read its state (positions, sizes, kept OS errors).
    pub source: S,
}

/// The non-generic reader interface: what Zig calls `*std.Io.Reader`.
pub type DynReader<'a> = Reader<'a, dyn Source + 'a>;

impl<'a, S: Source> Reader<'a, S> {
    /// A reader that buffers in `buffer` the bytes `source` supplies.
    pub fn new(buffer: impl Into<ReadBuffer<'a>>, source: S) -> Self {
        Reader {
            buf: buffer.into(),
            source,
        }
    }

    /// This reader as the non-generic interface (usually implicit: a
    /// `&mut Reader<S>` coerces to `&mut DynReader` where one is expected).
    pub fn as_dyn(&mut self) -> &mut DynReader<'a>
    where
        S: 'a,
    {
        self
    }

    /// The buffer and the source, taken apart. Buffered bytes stay in the
    /// buffer.
    pub fn into_parts(self) -> (ReadBuffer<'a>, S) {
        (self.buf, self.source)
    }
}

impl<'a, S: Source + ?Sized> Reader<'a, S> {
    /// The buffer: storage, `seek` and `end`.
    #[inline]
    pub fn buffer(&self) -> &ReadBuffer<'a> {
        &self.buf
    }

    /// The buffer and the source, borrowed separately.
    pub fn parts_mut(&mut self) -> (&mut ReadBuffer<'a>, &mut S) {
        (&mut self.buf, &mut self.source)
    }

    /// The bytes read from the source and not consumed yet
    /// (`Io/Reader.zig:410-412`).
    #[inline]
    pub fn buffered(&self) -> &[u8] {
        self.buf.buffered()
    }

    /// `end - seek` (`Io/Reader.zig:414-416`).
    #[inline]
    pub fn buffered_len(&self) -> usize {
        self.buf.buffered_len()
    }

    /// Buffer capacity: Zig's `buffer.len`.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Writes at most `limit` bytes to `w`, returning how many
    /// (`Io/Reader.zig:170-182`).
    ///
    /// If bytes are buffered, they go first and alone: one
    /// [`write`](crate::Writer::write) of the buffered bytes (limited), so
    /// the result may be short. Only when nothing is buffered does the
    /// source's `stream` run. `Ok(0)` does not mean end of stream.
    ///
    /// # Errors
    /// `EndOfStream` when the source has no more bytes; `ReadFailed` or
    /// `WriteFailed` from either side.
    ///
    /// `Limit::NOTHING` returns `Ok(0)` without calling anything (Zig
    /// calls the source, and a fixed reader then reports end of stream
    /// while it still holds bytes).
    ///
    /// # Panics
    /// If the source reports more than `limit` bytes (a broken source).
    ///
    /// ```
    /// use zigio::{Limit, Reader, Writer};
    ///
    /// let mut r = Reader::fixed(b"hello, world");
    /// let mut w = Writer::allocating();
    /// // At most 5 bytes, straight from the reader's buffer to the writer.
    /// assert_eq!(r.stream(w.as_dyn(), Limit::limited(5))?, 5);
    /// assert_eq!(w.written(), b"hello");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stream(&mut self, w: &mut DynWriter<'_>, limit: Limit) -> Result<usize, StreamError> {
        if limit == Limit::NOTHING {
            return Ok(0);
        }
        let chunk = limit.slice_const(self.buf.buffered());
        if !chunk.is_empty() {
            let n = w.write(chunk)?;
            self.buf.toss(n);
            return Ok(n);
        }
        let n = self.source.stream(&mut self.buf, w, limit)?;
        assert!(
            n <= limit.get(),
            "Source::stream returned {n} bytes for {limit:?}"
        );
        Ok(n)
    }

    /// Moves exactly `n` bytes to `w` (`Io/Reader.zig:213-216`).
    ///
    /// # Errors
    /// `EndOfStream` if the stream ends first (the bytes before it have been
    /// written); otherwise as [`stream`](Self::stream).
    ///
    /// ```
    /// use zigio::{Reader, Writer};
    ///
    /// let mut r = Reader::fixed(b"header:body");
    /// let mut w = Writer::allocating();
    /// r.stream_exact(w.as_dyn(), 6)?;
    /// assert_eq!(w.written(), b"header");
    /// // Asking for more than is left is an error; what was there is written.
    /// assert!(r.stream_exact(w.as_dyn(), 10).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stream_exact(&mut self, w: &mut DynWriter<'_>, n: usize) -> Result<(), StreamError> {
        let mut remaining = n;
        while remaining != 0 {
            remaining -= self.stream(w, Limit::limited(remaining))?;
        }
        Ok(())
    }

    /// [`stream_exact`](Self::stream_exact) for a 64-bit count
    /// (`Io/Reader.zig:219-222`).
    ///
    /// # Errors
    /// As `stream_exact`.
    pub fn stream_exact64(&mut self, w: &mut DynWriter<'_>, n: u64) -> Result<(), StreamError> {
        let mut remaining = n;
        while remaining != 0 {
            remaining -= self.stream(w, Limit::limited64(remaining))? as u64;
        }
        Ok(())
    }

    /// Moves every remaining byte to `w`; end of stream is success
    /// (`Io/Reader.zig:254-263`). Returns the number of bytes moved.
    ///
    /// # Errors
    /// `ReadFailed` or `WriteFailed`.
    ///
    /// ```
    /// use zigio::{Reader, Writer};
    ///
    /// let mut storage = [0u8; 4];
    /// let mut r = Reader::from_io(&b"copied to the end"[..], &mut storage[..]);
    /// let mut w = Writer::allocating();
    /// assert_eq!(r.stream_remaining(w.as_dyn())?, 17);
    /// assert_eq!(w.written(), b"copied to the end");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stream_remaining(&mut self, w: &mut DynWriter<'_>) -> Result<usize, TransferError> {
        let mut total = 0usize;
        loop {
            match self.stream(w, Limit::UNLIMITED) {
                Ok(n) => total += n,
                Err(StreamError::EndOfStream) => return Ok(total),
                Err(StreamError::ReadFailed) => return Err(TransferError::ReadFailed),
                Err(StreamError::WriteFailed) => return Err(TransferError::WriteFailed),
            }
        }
    }

    /// Skips at most `limit` bytes, returning how many (`Io/Reader.zig:183-196`).
    ///
    /// Buffered bytes are skipped first; if they cover `limit` the source is
    /// not called. `Ok(0)` does not mean end of stream.
    ///
    /// Unlike Zig 0.15.1, which tosses the buffered bytes and then returns
    /// the source's `EndOfStream`, losing their count, a source that ends
    /// after buffered bytes were skipped yields `Ok(buffered)`; the next call
    /// reports the end.
    ///
    /// # Errors
    /// `EndOfStream` when nothing was skipped because the stream ended;
    /// `ReadFailed`.
    ///
    /// ```
    /// use zigio::{Limit, Reader};
    ///
    /// let mut r = Reader::fixed(b"skip this, keep that");
    /// assert_eq!(r.discard(Limit::limited(11))?, 11);
    /// assert_eq!(r.take(4)?, b"keep");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn discard(&mut self, limit: Limit) -> Result<usize, ReadError> {
        let buffered_len = self.buf.buffered_len();
        let remaining = match limit.to_int() {
            Some(n) if buffered_len >= n => {
                self.buf.toss(n);
                return Ok(n);
            }
            Some(n) => Limit::limited(n - buffered_len),
            None => Limit::UNLIMITED,
        };
        self.buf.toss_all();
        match self.source.discard(&mut self.buf, remaining) {
            Ok(n) => {
                assert!(
                    n <= remaining.get(),
                    "Source::discard returned {n} bytes for {remaining:?}"
                );
                Ok(buffered_len + n)
            }
            Err(ReadError::EndOfStream) if buffered_len > 0 => Ok(buffered_len),
            Err(e) => Err(e),
        }
    }

    /// Skips `n` bytes; returns how many were skipped, fewer than `n` only
    /// if the stream ended (`Io/Reader.zig:573-597`).
    ///
    /// # Errors
    /// `ReadFailed`.
    pub fn discard_short(&mut self, n: usize) -> Result<usize, ReadFailed> {
        let buffered_len = self.buf.buffered_len();
        if n <= buffered_len {
            self.buf.toss(n);
            return Ok(n);
        }
        let mut remaining = n - buffered_len;
        self.buf.toss_all();
        loop {
            match self
                .source
                .discard(&mut self.buf, Limit::limited(remaining))
            {
                Ok(d) => {
                    assert!(
                        d <= remaining,
                        "Source::discard returned {d} bytes for {remaining}"
                    );
                    remaining -= d;
                    if remaining == 0 {
                        return Ok(n);
                    }
                }
                Err(ReadError::EndOfStream) => return Ok(n - remaining),
                Err(ReadError::ReadFailed) => return Err(ReadFailed),
            }
        }
    }

    /// Skips exactly `n` bytes (`Io/Reader.zig:549-551`).
    ///
    /// # Errors
    /// `EndOfStream` if fewer remain (all of them are skipped); `ReadFailed`.
    pub fn discard_all(&mut self, n: usize) -> Result<(), ReadError> {
        if self.discard_short(n)? != n {
            return Err(ReadError::EndOfStream);
        }
        Ok(())
    }

    /// [`discard_all`](Self::discard_all) for a 64-bit count
    /// (`Io/Reader.zig:553-560`).
    ///
    /// # Errors
    /// As `discard_all`.
    pub fn discard_all64(&mut self, n: u64) -> Result<(), ReadError> {
        let mut remaining = n;
        while remaining > 0 {
            let step = usize::try_from(remaining).unwrap_or(usize::MAX);
            self.discard_all(step)?;
            remaining -= step as u64;
        }
        Ok(())
    }

    /// Skips to the end of the stream, returning how many bytes went by
    /// (`Io/Reader.zig:266-275`).
    ///
    /// # Errors
    /// `ReadFailed`.
    pub fn discard_remaining(&mut self) -> Result<usize, ReadFailed> {
        let mut total = self.buf.buffered_len();
        self.buf.toss_all();
        loop {
            match self.source.discard(&mut self.buf, Limit::UNLIMITED) {
                Ok(n) => total += n,
                Err(ReadError::EndOfStream) => return Ok(total),
                Err(ReadError::ReadFailed) => return Err(ReadFailed),
            }
        }
    }

    /// Reads into the slices of `data` in order: buffered bytes first, then
    /// at most one call of the source's `read_vec` for the rest (at most 16
    /// slices of it). Returns the number of bytes written to `data`
    /// (`Io/Reader.zig:350-381`). `Ok(0)` does not mean end of stream.
    ///
    /// # Errors
    /// `EndOfStream` if nothing was read because the stream ended;
    /// `ReadFailed`.
    pub fn read_vec(&mut self, data: &mut [&mut [u8]]) -> Result<usize, ReadError> {
        let mut copied = 0;
        for i in 0..data.len() {
            let contents = &self.buf.buffered()[copied..];
            let slice = &mut *data[i];
            let n = contents.len().min(slice.len());
            slice[..n].copy_from_slice(&contents[..n]);
            copied += n;
            if n == slice.len() {
                continue;
            }
            // Every buffered byte has been copied; the source fills the rest.
            self.buf.toss(copied);
            let (head, rest) = data.split_at_mut(i + 1);
            let mut vecs: [&mut [u8]; MAX_READ_VECS] = Default::default();
            vecs[0] = &mut head[i][n..];
            let mut count = 1;
            for piece in rest.iter_mut().take(MAX_READ_VECS - 1) {
                vecs[count] = &mut piece[..];
                count += 1;
            }
            return match self.source.read_vec(&mut self.buf, &mut vecs[..count]) {
                Ok(m) => Ok(copied + m),
                Err(ReadError::EndOfStream) if copied > 0 => Ok(copied),
                Err(e) => Err(e),
            };
        }
        self.buf.toss(copied);
        Ok(copied)
    }

    /// Fills `dest` completely (`Io/Reader.zig:603-606`).
    ///
    /// # Errors
    /// `EndOfStream` if the stream ends first (the bytes before it are in
    /// `dest` and consumed); `ReadFailed`.
    ///
    /// ```
    /// use zigio::Reader;
    ///
    /// // A read larger than the buffer goes around it.
    /// let mut storage = [0u8; 4];
    /// let mut r = Reader::from_io(&b"0123456789"[..], &mut storage[..]);
    /// let mut out = [0u8; 10];
    /// r.read_slice_all(&mut out)?;
    /// assert_eq!(&out, b"0123456789");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_slice_all(&mut self, dest: &mut [u8]) -> Result<(), ReadError> {
        if self.read_slice_short(dest)? != dest.len() {
            return Err(ReadError::EndOfStream);
        }
        Ok(())
    }

    /// Fills as much of `dest` as the stream has; fewer bytes than
    /// `dest.len()` only at end of stream (`Io/Reader.zig:618-645`).
    ///
    /// # Errors
    /// `ReadFailed`.
    pub fn read_slice_short(&mut self, dest: &mut [u8]) -> Result<usize, ReadFailed> {
        let contents = self.buf.buffered();
        let copied = contents.len().min(dest.len());
        dest[..copied].copy_from_slice(&contents[..copied]);
        self.buf.toss(copied);
        let mut i = copied;
        while i < dest.len() {
            match self.read_vec(&mut [&mut dest[i..]]) {
                Ok(n) => i += n,
                Err(ReadError::EndOfStream) => return Ok(i),
                Err(ReadError::ReadFailed) => return Err(ReadFailed),
            }
        }
        Ok(dest.len())
    }

    /// Makes sure at least `n` bytes are buffered, without consuming them
    /// (`Io/Reader.zig:1009-1034`).
    ///
    /// # Errors
    /// `EndOfStream` if and only if fewer than `n` bytes remain in the
    /// stream; `ReadFailed`.
    ///
    /// # Panics
    /// If `n` exceeds the buffer capacity and the stream does not end
    /// earlier (Zig asserts the same): use `read_slice_all` for large reads.
    ///
    /// ```
    /// use zigio::Reader;
    ///
    /// let mut storage = [0u8; 8];
    /// let mut r = Reader::from_io(&b"0123456789"[..], &mut storage[..]);
    /// r.fill(5)?; // at least 5 bytes buffered, nothing consumed
    /// assert!(r.buffered_len() >= 5);
    /// assert_eq!(&r.buffered()[..5], b"01234");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn fill(&mut self, n: usize) -> Result<(), ReadError> {
        if self.buf.buffered_len() >= n {
            return Ok(());
        }
        self.fill_unbuffered(n)
    }

    fn fill_unbuffered(&mut self, n: usize) -> Result<(), ReadError> {
        self.rebase(n)?;
        while self.buf.buffered_len() < n {
            self.source.read_vec(&mut self.buf, &mut [&mut []])?;
        }
        Ok(())
    }

    /// Does exactly one read from the source into the buffer, which may add
    /// zero bytes (`Io/Reader.zig:1036-1045`).
    ///
    /// # Errors
    /// `EndOfStream`, `ReadFailed`.
    ///
    /// # Panics
    /// If the buffer has no room for one more byte.
    pub fn fill_more(&mut self) -> Result<(), ReadError> {
        self.rebase(self.buf.buffered_len() + 1)?;
        self.source.read_vec(&mut self.buf, &mut [&mut []])?;
        Ok(())
    }

    /// The next `n` bytes, buffering them if needed, without consuming them
    /// (`Io/Reader.zig:453-456`). The slice lives until the next operation.
    ///
    /// # Errors
    /// `EndOfStream` if fewer than `n` bytes remain; `ReadFailed`.
    ///
    /// # Panics
    /// As [`fill`](Self::fill).
    ///
    /// ```
    /// use zigio::Reader;
    ///
    /// let mut r = Reader::fixed(b"GET / HTTP/1.1");
    /// assert_eq!(r.peek(3)?, b"GET"); // looked at, not consumed
    /// assert_eq!(r.take(4)?, b"GET ");
    /// assert_eq!(r.peek(1)?, b"/");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn peek(&mut self, n: usize) -> Result<&[u8], ReadError> {
        self.fill(n)?;
        Ok(&self.buf.buffered()[..n])
    }

    /// Every buffered byte, after making sure at least `n` are buffered
    /// (`Io/Reader.zig:472-475`).
    ///
    /// # Errors
    /// As [`peek`](Self::peek).
    pub fn peek_greedy(&mut self, n: usize) -> Result<&[u8], ReadError> {
        self.fill(n)?;
        Ok(self.buf.buffered())
    }

    /// The next `n` bytes, consumed (`peek` then `toss`,
    /// `Io/Reader.zig:501-505`).
    ///
    /// # Errors
    /// As [`peek`](Self::peek); on error nothing is consumed.
    ///
    /// ```
    /// use zigio::Reader;
    ///
    /// // Through a 4-byte buffer: `take` fills it from the source as needed.
    /// let mut storage = [0u8; 4];
    /// let mut r = Reader::from_io(&b"abcdefgh"[..], &mut storage[..]);
    /// assert_eq!(r.take(3)?, b"abc");
    /// assert_eq!(r.take(4)?, b"defg");
    /// assert!(r.take(2).is_err()); // one byte left: end of stream
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn take(&mut self, n: usize) -> Result<&[u8], ReadError> {
        self.fill(n)?;
        Ok(self.buf.take(n))
    }

    /// The next `N` bytes as an array, consumed (`Io/Reader.zig:518-520`).
    ///
    /// # Errors
    /// As [`take`](Self::take).
    pub fn take_array<const N: usize>(&mut self) -> Result<&[u8; N], ReadError> {
        let bytes = self.take(N)?;
        Ok(bytes.try_into().expect("take(N) returns N bytes"))
    }

    /// The next `N` bytes as an array, not consumed (`Io/Reader.zig:534-536`).
    ///
    /// # Errors
    /// As [`peek`](Self::peek).
    pub fn peek_array<const N: usize>(&mut self) -> Result<&[u8; N], ReadError> {
        let bytes = self.peek(N)?;
        Ok(bytes.try_into().expect("peek(N) returns N bytes"))
    }

    /// Consumes `n` buffered bytes, typically after a `peek`
    /// (`Io/Reader.zig:487-490`).
    ///
    /// # Panics
    /// If fewer than `n` bytes are buffered (Zig asserts the same).
    ///
    /// ```
    /// use zigio::Reader;
    ///
    /// let mut r = Reader::fixed(b"  indented");
    /// let spaces = r.peek_greedy(1)?.iter().take_while(|&&b| b == b' ').count();
    /// r.toss(spaces);
    /// assert_eq!(r.take(8)?, b"indented");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn toss(&mut self, n: usize) {
        self.buf.toss(n)
    }

    /// Consumes every buffered byte (`Io/Reader.zig:493-495`).
    #[inline]
    pub fn toss_buffered(&mut self) {
        self.buf.toss_all()
    }

    /// The next byte, not consumed (`Io/Reader.zig:1047-1059`).
    ///
    /// # Errors
    /// `EndOfStream`, `ReadFailed`.
    ///
    /// # Panics
    /// If the buffer capacity is 0 and the stream has not ended.
    #[inline]
    pub fn peek_byte(&mut self) -> Result<u8, ReadError> {
        if let Some(&b) = self.buf.buffered().first() {
            return Ok(b);
        }
        self.fill(1)?;
        Ok(self.buf.buffered()[0])
    }

    /// The next byte, consumed (`Io/Reader.zig:1061-1066`).
    ///
    /// # Errors
    /// As [`peek_byte`](Self::peek_byte).
    ///
    /// ```
    /// use zigio::Reader;
    ///
    /// let mut r = Reader::fixed(b"\x02ab");
    /// let len = r.take_byte()? as usize; // a length prefix
    /// assert_eq!(r.take(len)?, b"ab");
    /// assert!(r.take_byte().is_err()); // end of stream
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn take_byte(&mut self) -> Result<u8, ReadError> {
        let b = self.peek_byte()?;
        self.buf.toss(1);
        Ok(b)
    }

    /// Makes sure `capacity` bytes can be buffered from the current `seek`
    /// without another rebase (`Io/Reader.zig:1236-1242`): calls the
    /// source's `rebase` only when they cannot.
    ///
    /// # Errors
    /// `EndOfStream` from a source that knows its stream ends earlier.
    pub fn rebase(&mut self, capacity: usize) -> Result<(), EndOfStream> {
        if self.buf.capacity() - self.buf.seek() >= capacity {
            return Ok(());
        }
        self.source.rebase(&mut self.buf, capacity)
    }
}

/// One vectored read into `data` and `buf`, as Zig's sources do it
/// (`File.Reader.readVec`, `fs/File.zig:1272-1375`): `read` gets the
/// slices of [`writable_vectors`] (never an empty list) and returns how many
/// bytes it read into them; the bytes past `data` are added to the buffer.
/// Returns the number of bytes that went to `data`, and `Ok(0)` without
/// calling `read` when there is nowhere to read to.
pub(crate) fn read_vectored_into(
    buf: &mut ReadBuffer<'_>, data: &mut [&mut [u8]],
    read: impl FnOnce(&mut [IoSliceMut<'_>]) -> Result<usize, ReadError>,
) -> Result<usize, ReadError> {
    let mut iov: [IoSliceMut<'_>; MAX_READ_VECS] =
        core::array::from_fn(|_| IoSliceMut::new(&mut []));
    let (count, data_size) = writable_vectors(buf, data, &mut iov);
    if count == 0 {
        return Ok(0);
    }
    let n = read(&mut iov[..count])?;
    Ok(finish_vectored_read(buf, n, data_size))
}

/// The destinations of one vectored read, Zig's `writableVector`
/// (`Io/Reader.zig:1743-1768`): if nothing is buffered, each non-empty slice
/// of `data` and then the whole buffer (emptied: `seek = end = 0`);
/// otherwise only the buffer's unused capacity, after the buffered bytes.
///
/// Returns the number of slices filled in `iov` and the total length of the
/// `data` slices among them. After the read of `n` bytes, bytes past that
/// total belong to the buffer: see [`finish_vectored_read`].
fn writable_vectors<'x>(
    buf: &'x mut ReadBuffer<'_>, data: &'x mut [&mut [u8]],
    iov: &mut [IoSliceMut<'x>; MAX_READ_VECS],
) -> (usize, usize) {
    let mut count = 0;
    let mut data_size = 0;
    if buf.buffered_len() == 0 {
        for piece in data.iter_mut() {
            if count == MAX_READ_VECS {
                return (count, data_size);
            }
            if !piece.is_empty() {
                data_size += piece.len();
                iov[count] = IoSliceMut::new(&mut piece[..]);
                count += 1;
            }
        }
        if count == MAX_READ_VECS {
            return (count, data_size);
        }
        buf.clear();
    }
    let room = buf.unused_capacity_slice();
    if !room.is_empty() {
        iov[count] = IoSliceMut::new(room);
        count += 1;
    }
    (count, data_size)
}

/// The bookkeeping after a vectored read of `n` bytes into the slices of
/// [`writable_vectors`]: bytes past `data_size` went to the buffer. Returns
/// the number of bytes that went to `data`.
fn finish_vectored_read(buf: &mut ReadBuffer<'_>, n: usize, data_size: usize) -> usize {
    if n > data_size {
        buf.advance(n - data_size);
        data_size
    } else {
        n
    }
}

impl<'a, S: Source + ?Sized> Reader<'a, S> {
    /// This reader as a `std::io::Read` (Zig's `adaptToOldInterface`).
    ///
    /// `Reader` does not implement `io::Read` itself: `Read::take(self, u64)`
    /// would shadow [`take`](Self::take) wherever `io::Read` is in scope.
    pub fn adapt_to_io(&mut self) -> IoRead<'_, 'a, S> {
        IoRead(self)
    }
}

/// A [`Reader`] as a `std::io::Read`: buffered bytes first, then one source
/// `read_vec` into the destination. End of stream is `Ok(0)`; `ReadFailed`
/// becomes an `io::Error` of kind `Other` (an OS-backed source keeps the
/// cause). Made by [`Reader::adapt_to_io`].
pub struct IoRead<'r, 'a, S: ?Sized>(&'r mut Reader<'a, S>);

impl<S: Source + ?Sized> std::io::Read for IoRead<'_, '_, S> {
    fn read(&mut self, dest: &mut [u8]) -> std::io::Result<usize> {
        if dest.is_empty() {
            return Ok(0);
        }
        loop {
            match self.0.read_vec(&mut [&mut dest[..]]) {
                Ok(0) => continue,
                Ok(n) => return Ok(n),
                Err(ReadError::EndOfStream) => return Ok(0),
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// One read straight into `w`'s unused capacity (making room for at least
/// one byte first), at most `limit` bytes: the body of Zig's
/// `File.Reader.stream` in its reading modes and of `sendFileReading`
/// (`fs/File.zig:1259-1270`, `Io/Writer.zig:920-926`).
///
/// Zig asserts that the writer has a buffer; here an unbuffered writer gets
/// the bytes through a stack block and `write_all` instead. If that write
/// fails, the bytes read are lost with the writer's `WriteFailed`.
pub(crate) fn read_into_writer<S: crate::Sink + ?Sized>(
    w: &mut crate::Writer<'_, S>, limit: Limit,
    mut read: impl FnMut(&mut [u8]) -> Result<usize, ReadError>,
) -> Result<usize, StreamError> {
    if limit == Limit::NOTHING {
        return Ok(0);
    }
    if w.capacity() > 0 {
        let dest = limit.slice(w.writable_slice_greedy(1)?);
        let n = read(dest)?;
        w.advance(n);
        return Ok(n);
    }
    let mut block = [0u8; 4096];
    let dest = limit.slice(&mut block);
    let n = read(dest)?;
    w.write_all(&dest[..n])?;
    Ok(n)
}
