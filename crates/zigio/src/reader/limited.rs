//! [`Limited`]: a reader that ends after a number of bytes of another
//! reader, Zig's `std.Io.Reader.Limited` (`Io/Reader/Limited.zig`, made by
//! `Reader.limited`, `Io/Reader.zig:149-151`).

use super::{DynReader, ReadBuffer, ReadError, Reader, Source, StreamError};
use crate::{DynWriter, Limit};

/// The source of a reader that passes on at most `remaining` bytes of
/// another reader and then reports the end of the stream.
///
/// Like Zig's, it implements only `stream` and `discard`; `read_vec` and
/// `rebase` are the defaults. One difference: once the budget is spent it
/// reports the end of the stream itself. Zig's passes the empty limit on to
/// the inner reader, which ends only if the inner reader does; zigio's
/// [`Reader::stream`] returns `Ok(0)` for an empty limit without asking the
/// source, so passing it on would never end.
pub struct Limited<'r, 'b> {
    /// The reader the bytes come from.
    pub unlimited: &'r mut DynReader<'b>,
    /// How many more bytes this reader may pass on.
    pub remaining: Limit,
}

impl<'a, 'r, 'b> Reader<'a, Limited<'r, 'b>> {
    /// A reader that buffers in `buffer` at most `limit` bytes of `inner`,
    /// then ends. Bytes it has not passed on stay in `inner`.
    ///
    /// ```
    /// use zigio::{Limit, Reader, Writer};
    /// let mut source = Reader::fixed(b"hello, world");
    /// let mut buf = [0u8; 4];
    /// let mut first = Reader::limited(&mut source, Limit::limited(5), &mut buf);
    /// let mut w = Writer::allocating();
    /// assert_eq!(first.stream_remaining(&mut w).unwrap(), 5);
    /// assert_eq!(w.written(), b"hello");
    /// assert_eq!(source.buffered(), b", world");
    /// ```
    pub fn limited(
        inner: &'r mut DynReader<'b>, limit: Limit, buffer: impl Into<ReadBuffer<'a>>,
    ) -> Self {
        Reader::new(
            buffer,
            Limited {
                unlimited: inner,
                remaining: limit,
            },
        )
    }
}

impl Source for Limited<'_, '_> {
    /// At most the smaller of `limit` and the remaining budget, from the
    /// inner reader (`Limited.zig:28-34`).
    fn stream(
        &mut self, _buf: &mut ReadBuffer<'_>, w: &mut DynWriter<'_>, limit: Limit,
    ) -> Result<usize, StreamError> {
        if self.remaining == Limit::NOTHING {
            return Err(StreamError::EndOfStream);
        }
        let n = self.unlimited.stream(w, limit.min(self.remaining))?;
        self.remaining = self
            .remaining
            .subtract(n)
            .expect("the inner reader streamed within the limit");
        Ok(n)
    }

    /// Skips at most the smaller of `limit` and the remaining budget in the
    /// inner reader (`Limited.zig:52-58`).
    fn discard(&mut self, _buf: &mut ReadBuffer<'_>, limit: Limit) -> Result<usize, ReadError> {
        if self.remaining == Limit::NOTHING {
            return Err(ReadError::EndOfStream);
        }
        let n = self.unlimited.discard(limit.min(self.remaining))?;
        self.remaining = self
            .remaining
            .subtract(n)
            .expect("the inner reader discarded within the limit");
        Ok(n)
    }
}
