//! `IoSink`: any `std::io::Write` behind the writer interface.

use crate::vectored::{MAX_IOVECS, SPLAT_BLOCK, gather};
use crate::{Buffer, Sink, WriteFailed, Writer};
use std::io::{self, IoSlice};

/// A sink that drains into a `std::io::Write` with one `write_vectored` call
/// per drain: the buffered bytes, the data pieces and the pattern copies go
/// out together, so a write that does not fit costs one call, not two.
///
/// The interface reports only [`WriteFailed`]; the `io::Error` behind it is
/// kept in [`err`](IoSink::err), like Zig's `File.Writer.err`.
/// `ErrorKind::Interrupted` is retried. A write of 0 bytes is recorded as
/// `ErrorKind::WriteZero`.
#[derive(Debug)]
pub struct IoSink<W> {
    /// The destination.
    pub inner: W,
    /// The error behind the last `WriteFailed`, if any.
    pub err: Option<io::Error>,
}

impl<'a, W: io::Write> Writer<'a, IoSink<W>> {
    /// A writer that stages bytes in `buffer` and drains them into `inner`.
    pub fn from_io(inner: W, buffer: impl Into<Buffer<'a>>) -> Self {
        Writer::new(buffer, IoSink { inner, err: None })
    }
}

impl<W: io::Write> IoSink<W> {
    fn fail(&mut self, e: io::Error) -> WriteFailed {
        self.err = Some(e);
        WriteFailed
    }
}

impl<W: io::Write> Sink for IoSink<W> {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let mut block = [0; SPLAT_BLOCK];
        let mut iov = [IoSlice::new(&[]); MAX_IOVECS];
        let n = gather(&mut iov, buf.buffered(), data, splat, &mut block);
        if n == 0 {
            return Ok(buf.consume(0));
        }
        let written = loop {
            match self.inner.write_vectored(&iov[..n]) {
                Ok(0) => return Err(self.fail(io::ErrorKind::WriteZero.into())),
                Ok(w) => break w,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.fail(e)),
            }
        };
        Ok(buf.consume(written))
    }

    fn flush(&mut self, buf: &mut Buffer<'_>) -> Result<(), WriteFailed> {
        crate::default_flush(self, buf)?;
        self.inner.flush().map_err(|e| self.fail(e))
    }
}
