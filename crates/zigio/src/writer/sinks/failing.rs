//! `Failing`: Zig's `Writer.failing` (`Writer.zig:138-145`).

use crate::{Buffer, Sink, WriteFailed, Writer};

/// A sink that fails every drain and rebase without touching any state
/// (`failingDrain`/`failingRebase`, `Writer.zig:2215-2234`). Flush is the
/// default, so flushing an empty buffer succeeds.
#[derive(Debug, Default, Clone, Copy)]
pub struct Failing;

impl Writer<'static, Failing> {
    /// An unbuffered writer whose every non-empty write fails.
    pub fn failing() -> Self {
        Writer::new(Buffer::empty(), Failing)
    }
}

impl Sink for Failing {
    fn drain(
        &mut self, _buf: &mut Buffer<'_>, _data: &[&[u8]], _splat: usize,
    ) -> Result<usize, WriteFailed> {
        Err(WriteFailed)
    }

    fn rebase(
        &mut self, _buf: &mut Buffer<'_>, _preserve: usize, _capacity: usize,
    ) -> Result<(), WriteFailed> {
        Err(WriteFailed)
    }
}
