//! `Discarding`: Zig's `Writer.Discarding` (`Writer.zig:2236-2292`).

use crate::{Buffer, Sink, WriteFailed, Writer, count_splat};

/// A sink that drops every byte and counts them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Discarding {
    /// Bytes drained so far (buffered bytes not included).
    pub count: u64,
}

impl<'a> Writer<'a, Discarding> {
    /// A discarding writer that stages bytes in `buffer` (which may be empty).
    pub fn discarding(buffer: impl Into<Buffer<'a>>) -> Self {
        Writer::new(buffer, Discarding::default())
    }

    /// Every byte written so far, including bytes still buffered
    /// (`fullCount`, `Writer.zig:2253-2256`).
    pub fn full_count(&self) -> u64 {
        self.sink.count + self.end() as u64
    }
}

impl Sink for Discarding {
    fn drain(
        &mut self,
        buf: &mut Buffer<'_>,
        data: &[&[u8]],
        splat: usize,
    ) -> Result<usize, WriteFailed> {
        let written = count_splat(data, splat);
        self.count += (buf.end() + written) as u64;
        buf.consume_all();
        Ok(written)
    }

    /// Zig's `Discarding.sendFile` (`Writer.zig:2269-2291`): counts and drops
    /// the buffered bytes, then skips at most `limit` bytes of a file of
    /// known size by moving its position (no read); `Unimplemented` when the
    /// size is unknown or the position cannot move. Bytes a reader had
    /// buffered were already counted through `drain` (see
    /// [`Sink::send_file`]), which Zig's version, working from `pos`, skips.
    #[cfg(all(feature = "os", unix))]
    fn send_file(
        &mut self,
        buf: &mut Buffer<'_>,
        file: &mut crate::fs::FileSource<'_>,
        limit: crate::Limit,
    ) -> Result<usize, crate::SendFileError> {
        use crate::SendFileError;
        self.count += buf.end() as u64;
        buf.consume_all();
        if limit == crate::Limit::NOTHING {
            return Ok(0);
        }
        let size = file.size().map_err(|_| SendFileError::Unimplemented)?;
        let n = limit.min_int64(size.saturating_sub(file.pos()));
        if n == 0 {
            return Err(SendFileError::EndOfStream);
        }
        file.seek_to(file.pos() + n as u64)
            .map_err(|_| SendFileError::Unimplemented)?;
        self.count += n as u64;
        Ok(n)
    }
}
