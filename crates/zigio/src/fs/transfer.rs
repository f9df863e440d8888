//! Moving file bytes through any writer: Zig's `Writer.sendFile`,
//! `sendFileHeader`, `sendFileReading`, `sendFileAll` and
//! `sendFileReadingAll` (`Io/Writer.zig:882-971`), and [`FileInput`], what
//! they read from.
//!
//! Every entry point sends the bytes a reader has already buffered first,
//! with the writer's ordinary `write`/`drain`, and tosses exactly the bytes
//! taken; only then does it hand the file to the sink's `send_file`. This is
//! what `Reader.stream` does (`Io/Reader.zig:171-182`), and it keeps two
//! reader-buffer bugs of Zig 0.15.1 out by construction:
//! no sink sees buffered bytes, so none can skip them (Zig's
//! `sendFileBuffered` seeks to `pos + n`) and the read fallback cannot read
//! past them (Zig's `sendFileReading` reads at `pos`).

use super::FileSource;
use crate::reader::{Reader, StreamError, TransferError, read_into_writer};
use crate::{Limit, SendFileError, Sink, WriteFailed, Writer};

/// What `send_file` reads from: a [`FileReader`](super::FileReader), whose
/// buffered bytes go first, or a bare [`FileSource`] (no buffered bytes),
/// which is what a sink's own `send_file` holds when it forwards to another
/// writer.
pub trait FileInput<'f> {
    /// Bytes taken from the file but not yet consumed.
    fn buffered(&self) -> &[u8];
    /// Consumes `n` of the buffered bytes.
    ///
    /// # Panics
    /// If fewer than `n` are buffered.
    fn toss(&mut self, n: usize);
    /// The file state: descriptor, mode, true position.
    fn source(&mut self) -> &mut FileSource<'f>;
}

impl<'f> FileInput<'f> for FileSource<'f> {
    fn buffered(&self) -> &[u8] {
        &[]
    }

    fn toss(&mut self, n: usize) {
        assert_eq!(n, 0, "toss({n}) on a file source, which buffers nothing");
    }

    fn source(&mut self) -> &mut FileSource<'f> {
        self
    }
}

impl<'f> FileInput<'f> for Reader<'_, FileSource<'f>> {
    fn buffered(&self) -> &[u8] {
        self.buf.buffered()
    }

    fn toss(&mut self, n: usize) {
        self.buf.toss(n);
    }

    fn source(&mut self) -> &mut FileSource<'f> {
        &mut self.source
    }
}

impl<S: Sink + ?Sized> Writer<'_, S> {
    /// Sends at most `limit` bytes of `input` (Zig's `sendFile`,
    /// `Io/Writer.zig:882-897`): if the input has buffered bytes, one
    /// [`write`](Self::write) of them (limited), and nothing else;
    /// otherwise the sink's [`send_file`](Sink::send_file), which also
    /// sends this writer's buffered bytes. Returns the number of input bytes
    /// taken; `Ok(0)` is not end of stream. Calls the sink even if the
    /// bytes would fit in the buffer.
    ///
    /// # Errors
    /// `EndOfStream` when the file has no more bytes; `Unimplemented` when
    /// the sink has no better way than a read loop
    /// ([`send_file_reading`](Self::send_file_reading)); `ReadFailed`,
    /// `WriteFailed`.
    pub fn send_file<'f>(
        &mut self, input: &mut impl FileInput<'f>, limit: Limit,
    ) -> Result<usize, SendFileError> {
        if let Some(n) = self.write_input_buffered(input, limit)? {
            return Ok(n);
        }
        self.sink.send_file(&mut self.buf, input.source(), limit)
    }

    /// Sends `header`, then at most `limit` bytes of `input`; returns how
    /// many bytes of both were taken (Zig's `sendFileHeader`,
    /// `Io/Writer.zig:899-918`). `limit` applies to the input only.
    ///
    /// If the header fits in the buffer it is buffered and
    /// [`send_file`](Self::send_file) runs; otherwise one drain carries the
    /// buffered bytes, the header and the input's buffered bytes.
    ///
    /// Unlike Zig 0.15.1, an error of the file part after the header was
    /// buffered is not returned: the header's length is, and the next call
    /// (without the header) meets the error. Zig returns the error, so a
    /// caller such as an HTTP body writer keeps the header bytes that were
    /// in fact taken and sends them twice.
    ///
    /// # Errors
    /// As `send_file`, when no header byte was taken.
    pub fn send_file_header<'f>(
        &mut self, header: &[u8], input: &mut impl FileInput<'f>, limit: Limit,
    ) -> Result<usize, SendFileError> {
        if header.len() <= self.unused_capacity_len() {
            // Fits: `write` copies it and never drains.
            self.write(header)?;
            return match self.send_file(input, limit) {
                Ok(n) => Ok(header.len() + n),
                Err(_) if !header.is_empty() => Ok(header.len()),
                Err(e) => Err(e),
            };
        }
        let buffered = limit.slice_const(input.buffered());
        let n = self.drain(&[header, buffered], 1)?;
        input.toss(n.saturating_sub(header.len()));
        Ok(n)
    }

    /// Writes (one `write`, so at most one drain) the bytes `input` has
    /// already buffered, cut to `limit`, and tosses what was taken. `None`
    /// when it has none: then the file itself is next. Sending these first
    /// is what keeps the reader-buffer bugs of Zig 0.15.1 out.
    fn write_input_buffered<'f>(
        &mut self, input: &mut impl FileInput<'f>, limit: Limit,
    ) -> Result<Option<usize>, WriteFailed> {
        let buffered = limit.slice_const(input.buffered());
        if buffered.is_empty() {
            return Ok(None);
        }
        let n = self.write(buffered)?;
        input.toss(n);
        Ok(Some(n))
    }

    /// One read of at most `limit` bytes of `input` straight into this
    /// writer's buffer (Zig's `sendFileReading`, `Io/Writer.zig:920-926`),
    /// after the input's buffered bytes: if it has any, one `write` of them
    /// and nothing else. Returns the number of input bytes taken.
    ///
    /// Zig 0.15.1 reads at the file's true position and so drops the bytes
    /// a reader had buffered; here they are sent first.
    ///
    /// # Errors
    /// `EndOfStream`, `ReadFailed`, `WriteFailed`.
    pub fn send_file_reading<'f>(
        &mut self, input: &mut impl FileInput<'f>, limit: Limit,
    ) -> Result<usize, StreamError> {
        if let Some(n) = self.write_input_buffered(input, limit)? {
            return Ok(n);
        }
        let file = input.source();
        read_into_writer(self, limit, |dest| file.read(dest))
    }

    /// Sends `limit` bytes of `input`, or all of it if it ends first, and
    /// returns how many (Zig's `sendFileAll`, `Io/Writer.zig:928-954`).
    /// Loops on [`send_file`](Self::send_file); on `Unimplemented` it puts
    /// the input in a `_reading` mode and finishes with
    /// [`send_file_reading_all`](Self::send_file_reading_all). The caller
    /// flushes.
    ///
    /// Zig asserts that the writer has a buffer; an unbuffered writer works
    /// here (the read fallback goes through a stack block).
    ///
    /// # Errors
    /// `ReadFailed`, `WriteFailed`.
    pub fn send_file_all<'f>(
        &mut self, input: &mut impl FileInput<'f>, limit: Limit,
    ) -> Result<usize, TransferError> {
        up_to(limit, |left| match self.send_file(input, left) {
            Ok(n) => Ok(Step::Moved(n)),
            Err(SendFileError::EndOfStream) => Ok(Step::Ended),
            Err(SendFileError::Unimplemented) => {
                let file = input.source();
                file.set_mode(file.mode().to_reading());
                let n = self.send_file_reading_all(input, left)?;
                Ok(Step::Finished(n))
            }
            Err(SendFileError::ReadFailed) => Err(TransferError::ReadFailed),
            Err(SendFileError::WriteFailed) => Err(TransferError::WriteFailed),
        })
    }

    /// Sends `limit` bytes of `input`, or all of it if it ends first, by
    /// reading into this writer's buffer (Zig's `sendFileReadingAll`,
    /// `Io/Writer.zig:956-971`). Returns how many.
    ///
    /// # Errors
    /// `ReadFailed`, `WriteFailed`.
    pub fn send_file_reading_all<'f>(
        &mut self, input: &mut impl FileInput<'f>, limit: Limit,
    ) -> Result<usize, TransferError> {
        up_to(limit, |left| match self.send_file_reading(input, left) {
            Ok(n) => Ok(Step::Moved(n)),
            Err(StreamError::EndOfStream) => Ok(Step::Ended),
            Err(StreamError::ReadFailed) => Err(TransferError::ReadFailed),
            Err(StreamError::WriteFailed) => Err(TransferError::WriteFailed),
        })
    }
}

/// What one step of an `_all` loop did.
enum Step {
    /// Moved this many bytes; the loop goes on while the limit allows.
    Moved(usize),
    /// Moved this many bytes, and the loop is over (it handed the rest to
    /// another loop).
    Finished(usize),
    /// The input ended.
    Ended,
}

/// The loop of `sendFileAll` and `sendFileReadingAll`: calls `step` with
/// what is left of `limit` until the limit is used up or a step ends the
/// loop, and returns the bytes moved in all.
fn up_to(
    limit: Limit, mut step: impl FnMut(Limit) -> Result<Step, TransferError>,
) -> Result<usize, TransferError> {
    let mut remaining = limit.get();
    while remaining > 0 {
        match step(Limit::limited(remaining))? {
            Step::Moved(n) => remaining -= n,
            Step::Finished(n) => {
                remaining -= n;
                break;
            }
            Step::Ended => break,
        }
    }
    Ok(limit.get() - remaining)
}
