//! `IoSource`: any `std::io::Read` behind the reader interface.

use super::{ReadBuffer, ReadError, Reader, Source, StreamError};
use crate::{DynWriter, Limit};
use std::io::{self, IoSliceMut};

/// A source that reads from a `std::io::Read`. Reads are vectored where the
/// reader supports it: the caller's slices and the reader's buffer in one
/// `read_vectored` call.
///
/// The interface reports only `ReadFailed`; the `io::Error` behind it is
/// kept in [`err`](IoSource::err). `ErrorKind::Interrupted` is retried. A
/// read of 0 bytes into non-empty destinations is end of stream.
#[derive(Debug)]
pub struct IoSource<R> {
    /// The origin of the bytes.
    pub inner: R,
    /// The error behind the last `ReadFailed`, if any.
    pub err: Option<io::Error>,
}

impl<'a, R: io::Read> Reader<'a, IoSource<R>> {
    /// A reader that buffers in `buffer` the bytes of `inner`.
    pub fn from_io(inner: R, buffer: impl Into<ReadBuffer<'a>>) -> Self {
        Reader::new(buffer, IoSource { inner, err: None })
    }
}

impl<R: io::Read> IoSource<R> {
    /// One `read_vectored`, with `Interrupted` retried and 0 bytes reported
    /// as end of stream.
    fn read_some(&mut self, iov: &mut [IoSliceMut<'_>]) -> Result<usize, ReadError> {
        loop {
            match self.inner.read_vectored(iov) {
                Ok(0) => return Err(ReadError::EndOfStream),
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.err = Some(e);
                    return Err(ReadError::ReadFailed);
                }
            }
        }
    }
}

impl<R: io::Read> Source for IoSource<R> {
    fn stream(
        &mut self, _buf: &mut ReadBuffer<'_>, w: &mut DynWriter<'_>, limit: Limit,
    ) -> Result<usize, StreamError> {
        super::read_into_writer(w, limit, |dest| {
            self.read_some(&mut [IoSliceMut::new(dest)])
        })
    }

    fn read_vec(
        &mut self, buf: &mut ReadBuffer<'_>, data: &mut [&mut [u8]],
    ) -> Result<usize, ReadError> {
        super::read_vectored_into(buf, data, |iov| self.read_some(iov))
    }
}
