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
}
