//! `Fixed`: Zig's `Writer.fixed` (`Writer.zig:122-132`, `fixedDrain`
//! `Writer.zig:2327-2361`).

use crate::writer::fill_repeating;
use crate::{Buffer, Sink, WriteFailed, Writer};

/// The sink of a writer over caller storage that is never drained: the
/// buffer *is* the destination.
///
/// When a write does not fit, drain fills the buffer to capacity with the
/// prefix of the write that fits and fails, so after `WriteFailed` the
/// buffer holds exactly the bytes that fit ("Hello worl" of "Hello world"
/// in 10 bytes). Flush does nothing (the bytes stay readable through
/// [`Writer::buffered`]); rebase fails.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fixed;

impl<'a> Writer<'a, Fixed> {
    /// A writer whose destination is `storage` itself: a stack array, a
    /// slice of a larger buffer.
    pub fn fixed(storage: impl Into<Buffer<'a>>) -> Self {
        Writer::new(storage, Fixed)
    }
}

impl Sink for Fixed {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let Some((pattern, rest)) = data.split_last() else {
            return Ok(0);
        };
        let mut taken = 0;
        for bytes in rest {
            let room = buf.unused_capacity_slice();
            let n = bytes.len().min(room.len());
            room[..n].copy_from_slice(&bytes[..n]);
            buf.advance(n);
            if n < bytes.len() {
                return Err(WriteFailed);
            }
            taken += n;
        }
        // Zig asserts that the write did not fit; a direct call whose data
        // does fit is simply stored.
        if !pattern.is_empty() {
            let total = pattern.len().saturating_mul(splat);
            let room = buf.unused_capacity_slice();
            let fill = total.min(room.len());
            fill_repeating(&mut room[..fill], pattern);
            buf.advance(fill);
            if fill < total {
                return Err(WriteFailed);
            }
            taken += total;
        }
        Ok(taken)
    }

    fn flush(&mut self, _buf: &mut Buffer<'_>) -> Result<(), WriteFailed> {
        Ok(())
    }

    fn rebase(
        &mut self, _buf: &mut Buffer<'_>, _preserve: usize, _capacity: usize,
    ) -> Result<(), WriteFailed> {
        Err(WriteFailed)
    }
}
