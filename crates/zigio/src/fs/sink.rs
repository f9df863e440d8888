//! [`FileSink`]: Zig's `File.Writer` (`fs/File.zig:1551-2098`), the sink of
//! [`Writer::file`](crate::Writer::file).

use super::{EndError, Handle, Mode, SeekError, WriterSeekError};
use crate::vectored::{MAX_IOVECS, SPLAT_BLOCK, gather};
use crate::{Buffer, Sink, WriteFailed, Writer};
use rustix::io::Errno;
use std::io::{self, IoSlice};

/// A sink that drains into a file descriptor (a regular file, a pipe, a
/// socket, a terminal, `/dev/null`): Zig's `File.Writer`.
///
/// Every drain is **one** system call. When the data is small (at most an
/// eighth of the buffer's capacity, see [`FileSink::SMALL_DATA_SHARE`]) and
/// bytes are buffered, the buffer is topped up from the data and sent
/// alone, as one plain `pwrite` (positional) or `write` (streaming), and
/// the rest of the data is left to the caller's loop, which buffers it:
/// small writes cost what they cost through `BufWriter`, a full buffer per
/// call. Otherwise the call is vectored, as in Zig's `File.Writer`: the
/// buffered bytes, the data slices and the splat (at most 16 slices, see
/// [`gather`]) in one `pwritev` or `writev`, so that large data never costs
/// a second call. A short write is accounted exactly: the bytes written
/// leave the buffer (`consume`), the rest stays buffered or
/// unsent, and the caller's loop (`write_all`) sends them later. `EINTR` is
/// retried. A positional writer on a descriptor that cannot seek (`ESPIPE`:
/// pipes, sockets, terminals) switches to streaming and writes in the same
/// drain.
///
/// The interface reports only [`WriteFailed`]; the OS error behind it is
/// kept in [`err`](FileSink::err), like Zig's `File.Writer.err`: `EPIPE`,
/// `ENOSPC`, `EAGAIN` (a non-blocking descriptor that is full), ...
///
/// [`Sink::send_file`] uses `sendfile` (streaming writer) or
/// `copy_file_range` (positional writer, or when `sendfile` cannot)
/// where the kernel can, and otherwise reports `Unimplemented` so that the
/// caller falls back to reading and writing.
#[derive(Debug)]
pub struct FileSink<'f> {
    pub(super) handle: Handle<'f>,
    /// The OS error behind the last `WriteFailed`, if any (Zig's `err`).
    pub err: Option<io::Error>,
    mode: Mode,
    pub(super) pos: u64,
    pub(super) sendfile_err: Option<Errno>,
    pub(super) copy_file_range_err: Option<Errno>,
    seek_err: Option<SeekError>,
    top_up_limit: Option<usize>,
}

impl<'f> FileSink<'f> {
    /// A sink in the given mode, at position 0.
    ///
    /// A descriptor opened in append mode (`O_APPEND`, found with
    /// `fcntl(F_GETFL)`) gets a streaming sink even when `mode` is
    /// positional: the kernel puts every write at the end of the file
    /// whatever offset `pwritev` names, so a position counted from 0 would
    /// say nothing about where the bytes are, and
    /// [`finish`](Writer::finish) would cut the file at it. (Zig 0.15.1's
    /// `File.writer` stays positional, and its `end` truncates an
    /// append-mode file to the number of bytes just written.)
    pub fn new(handle: impl Into<Handle<'f>>, mode: Mode) -> Self {
        let handle = handle.into();
        let mode = if mode.is_positional() && is_append(&handle) {
            mode.to_streaming()
        } else {
            mode
        };
        FileSink {
            handle,
            err: None,
            mode,
            pos: 0,
            sendfile_err: None,
            copy_file_range_err: None,
            seek_err: None,
            top_up_limit: None,
        }
    }

    /// The descriptor.
    pub fn handle(&self) -> &Handle<'f> {
        &self.handle
    }

    /// How bytes are written.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Chooses how bytes are written from now on (a `_reading` mode avoids
    /// `sendfile` and `copy_file_range`). On an append-mode descriptor a
    /// positional mode still writes at the end (the kernel ignores the
    /// offset), and [`finish`](Writer::finish) never truncates.
    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }

    /// The true position: bytes written to the descriptor so far, plus the
    /// start position. Buffered bytes are not included
    /// ([`Writer::logical_pos`] includes them).
    pub fn pos(&self) -> u64 {
        self.pos
    }

    /// The error that disabled `sendfile` for this sink, if any (Zig's
    /// `sendfile_err`, kept so the call is not tried again).
    pub fn sendfile_err(&self) -> Option<io::Error> {
        self.sendfile_err.map(io::Error::from)
    }

    /// The error that disabled `copy_file_range` for this sink, if any
    /// (Zig's `copy_file_range_err`).
    pub fn copy_file_range_err(&self) -> Option<io::Error> {
        self.copy_file_range_err.map(io::Error::from)
    }

    /// The kept error of a failed seek, if any.
    pub fn seek_err(&self) -> Option<SeekError> {
        self.seek_err
    }

    /// Sets the largest data, in bytes, that a drain tops the buffer up with
    /// and sends as one plain write of the full buffer (see [`FileSink`]).
    /// `None`, the default, is an eighth of the buffer's capacity (see
    /// [`Self::SMALL_DATA_SHARE`]). `Some(0)` makes every drain Zig's:
    /// one vectored call of the buffered bytes and the data, whatever their
    /// size. A limit of the buffer's capacity or more tops up for all data
    /// that fits.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::io::Read;
    /// use zigio::Writer;
    ///
    /// let (mut rx, tx) = std::io::pipe()?;
    /// let mut buf = [0u8; 8];
    /// let mut w = Writer::file_streaming(&tx, &mut buf[..]);
    /// w.sink.set_top_up_limit(Some(0));
    /// w.write_all(b"buffered")?; // fills the buffer
    /// w.write_all(b"!")?; // drains: Zig's one call of 8 + 1 bytes
    /// let mut got = [0u8; 16];
    /// assert_eq!(rx.read(&mut got)?, 9);
    /// assert_eq!(w.buffered(), b"");
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_top_up_limit(&mut self, limit: Option<usize>) {
        self.top_up_limit = limit;
    }

    /// The largest data a drain tops a buffer of `capacity` bytes up with
    /// (see [`set_top_up_limit`](Self::set_top_up_limit)).
    pub fn top_up_limit(&self, capacity: usize) -> usize {
        self.top_up_limit
            .unwrap_or(capacity / Self::SMALL_DATA_SHARE)
    }

    /// One `pwritev` (positional) or `writev` (streaming) of `iov`, non-empty
    /// in total; a single slice is one plain `pwrite` or `write`, which the
    /// kernel serves without importing a vector. Returns the number of bytes
    /// written, at least 1, after adding them to `pos`.
    pub(super) fn write_vectored(&mut self, iov: &[IoSlice<'_>]) -> Result<usize, WriteFailed> {
        loop {
            let result = match self.mode {
                Mode::Positional | Mode::PositionalReading => match iov {
                    [one] => rustix::io::pwrite(&self.handle, one, self.pos),
                    _ => rustix::io::pwritev(&self.handle, iov, self.pos),
                },
                Mode::Streaming | Mode::StreamingReading => match iov {
                    [one] => rustix::io::write(&self.handle, one),
                    _ => rustix::io::writev(&self.handle, iov),
                },
                Mode::Failure => return Err(WriteFailed),
            };
            match result {
                // Zig would return `consume(0)` and let `write_all` spin; a
                // descriptor that takes nothing is an error.
                Ok(0) => return Err(self.fail(io::ErrorKind::WriteZero.into())),
                Ok(n) => {
                    self.pos += n as u64;
                    return Ok(n);
                }
                Err(Errno::INTR) => continue,
                Err(Errno::SPIPE) if self.mode.is_positional() => {
                    // Zig returns 0 here and lets the caller's loop retry;
                    // retrying at once saves the caller a round.
                    self.fall_back_to_streaming()?;
                }
                Err(e) => return Err(self.fail(e.into())),
            }
        }
    }

    /// The `error.Unseekable` branch of Zig's positional drain
    /// (`fs/File.zig:1755-1766`): become streaming and, if bytes were written
    /// positionally before, move the descriptor's offset there.
    fn fall_back_to_streaming(&mut self) -> Result<(), WriteFailed> {
        self.mode = self.mode.to_streaming();
        let pos = self.pos;
        if pos != 0
            && let Err(e) = rustix::fs::seek(&self.handle, rustix::fs::SeekFrom::Start(pos))
        {
            self.seek_err = Some(SeekError::Os(e.raw_os_error()));
            self.mode = Mode::Failure;
            return Err(self.fail(e.into()));
        }
        Ok(())
    }

    pub(super) fn fail(&mut self, e: io::Error) -> WriteFailed {
        self.err = Some(e);
        WriteFailed
    }
}

/// Whether `fd` was opened in append mode (`O_APPEND`). A descriptor whose
/// flags cannot be read is taken as not appending.
fn is_append(fd: &Handle<'_>) -> bool {
    rustix::fs::fcntl_getfl(fd).is_ok_and(|flags| flags.contains(rustix::fs::OFlags::APPEND))
}

impl FileSink<'_> {
    /// The drain of a one-byte pattern repeated more times than
    /// [`gather`]'s block holds: like Zig (`fs/File.zig:1717-1740`), the
    /// byte is memset into the writer's own unused capacity (bytes past
    /// `end` are scratch space) and the splat is sent as up to 16 slices of
    /// that block, so `splat_byte_all(0, 1 << 20)` with a 4096-byte buffer
    /// is 17 `writev`s instead of 256.
    fn drain_wide_splat(
        &mut self, buf: &mut Buffer<'_>, rest: &[&[u8]], byte: u8, splat: usize,
    ) -> Result<usize, WriteFailed> {
        let end = buf.end();
        let (buffered, spare) = buf.as_mut_slice().split_at_mut(end);
        let block_len = spare.len().min(splat);
        spare[..block_len].fill(byte);
        let block: &[u8] = &spare[..block_len];
        let mut iov = [IoSlice::new(&[]); MAX_IOVECS];
        let mut count = 0;
        for piece in core::iter::once(&&*buffered).chain(rest) {
            if !piece.is_empty() && count < MAX_IOVECS {
                iov[count] = IoSlice::new(piece);
                count += 1;
            }
        }
        let mut left = splat;
        while left > 0 && count < MAX_IOVECS {
            let k = left.min(block_len);
            iov[count] = IoSlice::new(&block[..k]);
            count += 1;
            left -= k;
        }
        let written = self.write_vectored(&iov[..count])?;
        Ok(buf.consume(written))
    }
}

impl FileSink<'_> {
    /// The largest data, as a share `1 / SMALL_DATA_SHARE` of the buffer's
    /// capacity, that a drain tops the buffer up with and sends as one plain
    /// write of the buffer (see [`FileSink`]).
    ///
    /// Topping up sends a full buffer per call, where the vectored call would
    /// send the buffer and the data together: for writes of `d` bytes and a
    /// buffer of `c`, up to `d / c` more calls, here at most 1 in 8 (a
    /// million 16-byte writes take `BufWriter`'s 3,907 calls instead of
    /// Zig's 3,892). In exchange every call is a plain write, which the
    /// kernel serves without importing a vector, and to a pipe every call
    /// fills whole pages.
    ///
    /// The share was chosen by measurement: the drain sweep of
    /// `cargo xtask bench` (on the book's Measurements page) times both
    /// drains for records up to three quarters of a 4096-byte buffer, to
    /// `/dev/null` and to a pipe. Above some size the extra calls, each one
    /// waking a pipe's reader, cost more than the vectors save; the share
    /// stays below the size up to which topping up never lost, which the
    /// book's tests check against the recorded run.
    pub const SMALL_DATA_SHARE: usize = 8;

    /// The small-data drain (see [`Self::SMALL_DATA_SHARE`]): tops the
    /// buffer up with the first bytes of `data` and the splat, sends it alone
    /// with one plain write, and returns the data bytes it took into the
    /// buffer (sent, or still buffered after a short write). `None` when
    /// the data is not small or nothing is buffered: the vectored drain
    /// applies.
    fn drain_small(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Option<Result<usize, WriteFailed>> {
        let (pattern, rest) = data.split_last().expect("drain data is never empty");
        let total = rest
            .iter()
            .try_fold(0usize, |n, piece| n.checked_add(piece.len()))?
            .checked_add(pattern.len().checked_mul(splat)?)?;
        if buf.end() == 0 || total > self.top_up_limit(buf.capacity()) {
            return None;
        }
        let spare = buf.unused_capacity_slice();
        let mut taken = 0;
        // An empty pattern adds nothing however often it repeats.
        let repeats = if pattern.is_empty() { 0 } else { splat };
        let pieces = rest.iter().chain(core::iter::repeat_n(pattern, repeats));
        for piece in pieces {
            let k = piece.len().min(spare.len() - taken);
            spare[taken..taken + k].copy_from_slice(&piece[..k]);
            taken += k;
            if taken == spare.len() {
                break;
            }
        }
        buf.advance(taken);
        match self.write_vectored(&[IoSlice::new(buf.buffered())]) {
            Ok(written) => {
                buf.consume(written);
                Some(Ok(taken))
            }
            Err(e) => {
                // Nothing of `data` was taken after all.
                buf.undo(taken);
                Some(Err(e))
            }
        }
    }
}

impl Sink for FileSink<'_> {
    /// Zig's `File.Writer.drain` (`fs/File.zig:1630-1777`, POSIX path): one
    /// vectored call of the buffered bytes, `data` and the splat, then
    /// `consume` of what the OS took; small data is sent by topping up the
    /// buffer instead (see [`FileSink::SMALL_DATA_SHARE`]).
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let (pattern, rest) = data.split_last().expect("drain data is never empty");
        if pattern.len() == 1 && splat > SPLAT_BLOCK && buf.unused_capacity_len() > SPLAT_BLOCK {
            return self.drain_wide_splat(buf, rest, pattern[0], splat);
        }
        if let Some(taken) = self.drain_small(buf, data, splat) {
            return taken;
        }
        let mut block = [0u8; SPLAT_BLOCK];
        let mut iov = [IoSlice::new(&[]); MAX_IOVECS];
        let count = gather(&mut iov, buf.buffered(), data, splat, &mut block);
        if count == 0 {
            return Ok(0);
        }
        let written = self.write_vectored(&iov[..count])?;
        Ok(buf.consume(written))
    }

    fn send_file(
        &mut self, buf: &mut Buffer<'_>, file: &mut super::FileSource<'_>, limit: crate::Limit,
    ) -> Result<usize, crate::SendFileError> {
        super::send_file::send_file(self, buf, file, limit)
    }
}

impl<'a, 'f> Writer<'a, FileSink<'f>> {
    /// A positional file writer (Zig's `File.writer`): `pwritev` at a tracked
    /// position from 0, which leaves the descriptor's offset alone. On a
    /// descriptor that cannot seek it switches to streaming by itself
    /// (after one failed `pwritev`).
    ///
    /// For stdout or stderr use [`file_streaming`](Self::file_streaming):
    /// redirected to a regular file, a positional writer would write at
    /// offset 0 over what is there.
    pub fn file(handle: impl Into<Handle<'f>>, buffer: impl Into<Buffer<'a>>) -> Self {
        Writer::new(buffer, FileSink::new(handle, Mode::Positional))
    }

    /// A streaming file writer (Zig's `File.writerStreaming`): `writev` at
    /// the descriptor's offset. For pipes, sockets, terminals, stdout.
    pub fn file_streaming(handle: impl Into<Handle<'f>>, buffer: impl Into<Buffer<'a>>) -> Self {
        Writer::new(buffer, FileSink::new(handle, Mode::Streaming))
    }

    /// The position of the next byte written: the sink's position plus the
    /// buffered bytes.
    pub fn logical_pos(&self) -> u64 {
        self.sink.pos() + self.end() as u64
    }

    /// Flushes, then moves the position to `offset` (Zig's
    /// `File.Writer.seekTo`, `fs/File.zig:2056-2071`). Positional: sets the
    /// position. Streaming: `lseek`.
    ///
    /// Zig 0.15.1 does not flush first, so bytes buffered before the seek
    /// land at the new position (ziglang/zig#25080); here they land where
    /// they were written.
    ///
    /// # Errors
    /// [`WriterSeekError::WriteFailed`] if the flush failed (the cause is in
    /// `sink.err`), [`WriterSeekError::Seek`] if the seek failed.
    pub fn seek_to(&mut self, offset: u64) -> Result<(), WriterSeekError> {
        self.flush().map_err(|_| WriterSeekError::WriteFailed)?;
        let sink = &mut self.sink;
        match sink.mode {
            Mode::Positional | Mode::PositionalReading => {
                sink.pos = offset;
                Ok(())
            }
            Mode::Streaming | Mode::StreamingReading => {
                if let Some(e) = sink.seek_err {
                    return Err(WriterSeekError::Seek(e));
                }
                match rustix::fs::seek(&sink.handle, rustix::fs::SeekFrom::Start(offset)) {
                    Ok(_) => {
                        sink.pos = offset;
                        Ok(())
                    }
                    Err(e) => {
                        let e = SeekError::Os(e.raw_os_error());
                        sink.seek_err = Some(e);
                        Err(WriterSeekError::Seek(e))
                    }
                }
            }
            Mode::Failure => Err(WriterSeekError::Seek(
                sink.seek_err.unwrap_or(SeekError::ReadFailed),
            )),
        }
    }

    /// Flushes, then in positional modes truncates the file at the position
    /// (Zig's `File.Writer.end`, `fs/File.zig:2075-2097`, renamed because
    /// [`Writer::end`] is Zig's `end` field, the buffered count): what was there
    /// beyond the written bytes is removed. A descriptor that cannot be
    /// resized (`EINVAL`: `/dev/null`, a pipe) is left as it is; streaming
    /// writers only flush, and so does a writer whose descriptor is in
    /// append mode, whatever its mode (its bytes went to the end of the
    /// file: Zig 0.15.1 truncates such a file to the bytes just written).
    ///
    /// ```
    /// use std::io::Write;
    /// use zigio::Writer;
    ///
    /// let mut tmp = tempfile::NamedTempFile::new()?;
    /// tmp.write_all(b"ORIGINAL-")?;
    /// let file = std::fs::OpenOptions::new().append(true).open(tmp.path())?;
    /// let mut storage = [0u8; 16];
    /// let mut w = Writer::file(&file, &mut storage[..]);
    /// w.write_all(b"new")?;
    /// w.finish()?;
    /// assert_eq!(std::fs::read(tmp.path())?, b"ORIGINAL-new");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`EndError::WriteFailed`] if the flush failed (the cause is in
    /// `sink.err`), [`EndError::SetLen`] if `ftruncate` failed.
    pub fn finish(&mut self) -> Result<(), EndError> {
        self.flush()?;
        if self.sink.mode.is_positional() && !is_append(&self.sink.handle) {
            match rustix::fs::ftruncate(&self.sink.handle, self.sink.pos) {
                Ok(()) | Err(Errno::INVAL) => {}
                Err(e) => return Err(EndError::SetLen(e.into())),
            }
        }
        Ok(())
    }
}
