//! `Ending` and `Failing`: the sources of Zig's `Reader.fixed` and
//! `Reader.failing` (`Io/Reader.zig:134-167`, `1569-1605`).

use super::{EndOfStream, ReadBuffer, ReadError, Reader, StreamError};
use crate::{DynWriter, Limit};

use super::Source;

/// The source of a reader whose buffer holds the whole stream: every call
/// reports end of stream (`endingStream`, `endingDiscard`, `endingReadVec`,
/// `endingRebase`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Ending;

impl<'a> Reader<'a, Ending> {
    /// A reader of `contents`, then end of stream (`Io/Reader.zig:154-168`).
    ///
    /// The contents are the buffer: `peek` and `take` return slices of them
    /// without copying, and no byte of them is ever written to.
    pub fn fixed(contents: &'a [u8]) -> Self {
        Reader::new(super::ReadBuffer::shared(contents), Ending)
    }
}

impl Source for Ending {
    fn stream(
        &mut self, _buf: &mut ReadBuffer<'_>, _w: &mut DynWriter<'_>, _limit: Limit,
    ) -> Result<usize, StreamError> {
        Err(StreamError::EndOfStream)
    }

    fn discard(&mut self, _buf: &mut ReadBuffer<'_>, _limit: Limit) -> Result<usize, ReadError> {
        Err(ReadError::EndOfStream)
    }

    fn read_vec(
        &mut self, _buf: &mut ReadBuffer<'_>, _data: &mut [&mut [u8]],
    ) -> Result<usize, ReadError> {
        Err(ReadError::EndOfStream)
    }

    fn rebase(&mut self, _buf: &mut ReadBuffer<'_>, _capacity: usize) -> Result<(), EndOfStream> {
        Err(EndOfStream)
    }
}

/// The source of a reader that fails every read (`failingStream`,
/// `failingDiscard`; `readVec` and `rebase` are the defaults, as in Zig).
#[derive(Debug, Default, Clone, Copy)]
pub struct Failing;

impl Reader<'static, Failing> {
    /// An unbuffered reader whose every read fails with `ReadFailed`
    /// (`Io/Reader.zig:134-143`).
    pub fn failing() -> Self {
        Reader::new(ReadBuffer::empty(), Failing)
    }
}

impl Source for Failing {
    fn stream(
        &mut self, _buf: &mut ReadBuffer<'_>, _w: &mut DynWriter<'_>, _limit: Limit,
    ) -> Result<usize, StreamError> {
        Err(StreamError::ReadFailed)
    }

    fn discard(&mut self, _buf: &mut ReadBuffer<'_>, _limit: Limit) -> Result<usize, ReadError> {
        Err(ReadError::ReadFailed)
    }
}
