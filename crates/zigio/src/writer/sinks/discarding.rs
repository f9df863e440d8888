//! `Discarding`: Zig's `Writer.Discarding` (`Writer.zig:2236-2292`).

use crate::{Buffer, Sink, WriteFailed, Writer, count_splat};

/// A sink that drops every byte and counts them.
///
/// The count saturates at `u64::MAX` instead of overflowing: a splat of
/// `usize::MAX` bytes after one buffered byte counts `u64::MAX` (Zig 0.15.1
/// adds with `+=` and overflows: a panic in safe builds, a wrong count in
/// fast ones).
#[derive(Debug, Default, Clone, Copy)]
pub struct Discarding {
    /// Bytes drained so far (buffered bytes not included), saturating at
    /// `u64::MAX`.
    pub count: u64,
}

impl<'a> Writer<'a, Discarding> {
    /// A discarding writer that stages bytes in `buffer` (which may be empty).
    pub fn discarding(buffer: impl Into<Buffer<'a>>) -> Self {
        Writer::new(buffer, Discarding::default())
    }

    /// Every byte written so far, including bytes still buffered
    /// (`fullCount`, `Writer.zig:2253-2256`), saturating at `u64::MAX`.
    pub fn full_count(&self) -> u64 {
        self.sink.count.saturating_add(self.end() as u64)
    }
}

impl Sink for Discarding {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let written = count_splat(data, splat);
        self.count = self
            .count
            .saturating_add(buf.end() as u64)
            .saturating_add(written as u64);
        buf.consume_all();
        Ok(written)
    }

    /// Zig's `Discarding.sendFile` (`Writer.zig:2269-2291`): counts and drops
    /// the buffered bytes, then skips at most `limit` bytes of a file of
    /// known size by moving its position (no read); `Unimplemented` when the
    /// end of the file is not known for certain
    /// ([`FileSource::reliable_size`](crate::fs::FileSource::reliable_size):
    /// Zig skips by a `/proc` file's size 0 or a `/sys` file's 4096) or the
    /// position cannot move: the caller's read loop then counts the bytes.
    /// Bytes a reader had buffered were already counted through `drain`
    /// (see [`Sink::send_file`]), which Zig's version, working from `pos`,
    /// skips.
    #[cfg(all(feature = "os", unix))]
    fn send_file(
        &mut self, buf: &mut Buffer<'_>, file: &mut crate::fs::FileSource<'_>, limit: crate::Limit,
    ) -> Result<usize, crate::SendFileError> {
        use crate::SendFileError;
        self.count = self.count.saturating_add(buf.end() as u64);
        buf.consume_all();
        if limit == crate::Limit::NOTHING {
            return Ok(0);
        }
        let size = file.reliable_size().ok_or(SendFileError::Unimplemented)?;
        let n = limit.min_int64(size.saturating_sub(file.pos()));
        if n == 0 {
            return Err(SendFileError::EndOfStream);
        }
        file.seek_to(file.pos() + n as u64)
            .map_err(|_| SendFileError::Unimplemented)?;
        self.count = self.count.saturating_add(n as u64);
        Ok(n)
    }
}
