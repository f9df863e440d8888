//! [`FileSource`]: the state of Zig's `File.Reader` that is not the
//! interface (`fs/File.zig:1109-1549`), and the source behind
//! [`Reader::file`](crate::Reader::file).

use super::{Handle, Mode, SeekError, SizeError};
use crate::reader::{
    ReadBuffer, ReadError, Reader, Source, StreamError, read_into_writer, read_vectored_into,
};
use crate::{DynWriter, Limit, SendFileError};
use rustix::io::Errno;
use std::io::{self, IoSliceMut};

/// A file reader's own state: descriptor, [`Mode`], the true position, the
/// size if known, and the errors it keeps (Zig's `File.Reader` without its
/// `interface`).
///
/// `pos` is where the next read from the descriptor starts. Bytes a reader
/// has buffered come before it: the position the reader's user sees is
/// `pos - buffered_len` ([`Reader::logical_pos`]).
///
/// It is the [`Source`] of a [`FileReader`](super::FileReader), and what a
/// [`Sink::send_file`](crate::Sink::send_file) receives: an implementation
/// reads from `pos()` on and advances it by what it sends.
#[derive(Debug)]
pub struct FileSource<'f> {
    handle: Handle<'f>,
    /// The OS error behind the last `ReadFailed`, if any (Zig's `err`).
    pub err: Option<io::Error>,
    mode: Mode,
    pos: u64,
    /// The end of the file, when known for certain: given, recorded at end
    /// of stream, or from `fstat` for a file with storage.
    size: Option<u64>,
    /// What `fstat` said, when it is not known to be the end (`/proc` and
    /// `/sys` files, fully sparse files).
    stat_size: Option<u64>,
    size_err: Option<SizeError>,
    seek_err: Option<SeekError>,
}

/// Size of the stack block that a streaming discard reads into when the
/// reader has no buffer to lend.
const TRASH_LEN: usize = 512;

impl<'f> FileSource<'f> {
    /// A positional source (`pread` at a tracked position, starting at 0),
    /// Zig's `File.Reader.init`. It switches to streaming by itself if the
    /// descriptor cannot seek.
    pub fn new(handle: impl Into<Handle<'f>>) -> Self {
        FileSource {
            handle: handle.into(),
            err: None,
            mode: Mode::Positional,
            pos: 0,
            size: None,
            stat_size: None,
            size_err: None,
            seek_err: None,
        }
    }

    /// A positional source whose size is already known (`initSize`): no
    /// `fstat` needed.
    pub fn with_size(handle: impl Into<Handle<'f>>, size: Option<u64>) -> Self {
        FileSource {
            size,
            ..FileSource::new(handle)
        }
    }

    /// A streaming source (`read` at the descriptor's offset), Zig's
    /// `initStreaming`: for pipes, sockets and terminals, where positional
    /// reads would fail once. Like Zig, it never tries `lseek` or `fstat`:
    /// skipping reads and discards.
    pub fn streaming(handle: impl Into<Handle<'f>>) -> Self {
        FileSource {
            mode: Mode::Streaming,
            seek_err: Some(SeekError::Os(Errno::SPIPE.raw_os_error())),
            size_err: Some(SizeError::NotAFile),
            ..FileSource::new(handle)
        }
    }

    /// The descriptor.
    pub fn handle(&self) -> &Handle<'f> {
        &self.handle
    }

    /// How bytes are read.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Chooses how bytes are read from now on (for example a `_reading`
    /// mode to avoid `sendfile`).
    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }

    /// The true position: where the next read from the descriptor starts.
    pub fn pos(&self) -> u64 {
        self.pos
    }

    /// The end of the file, if already known for certain (given, recorded
    /// at end of stream, or from an `fstat` that [`reliable_size`]
    /// trusts).
    ///
    /// [`reliable_size`]: Self::reliable_size
    pub fn known_size(&self) -> Option<u64> {
        self.size
    }

    /// The size of the file as the file system reports it, from `fstat` the
    /// first time (Zig's `getSize`, `fs/File.zig:1210-1240`), or the end
    /// recorded at end of stream. A descriptor that is not a regular file
    /// switches the source to streaming, skipping the bytes a positional
    /// reader had moved past (as a failed `pread` does), and reports
    /// [`SizeError::NotAFile`]. Errors are kept and returned again.
    ///
    /// The size may not be where the file ends: `/proc` files report 0 and
    /// `/sys` files 4096 whatever they hold, and a file may grow or shrink.
    /// Code that would stop, skip or announce a length because of it uses
    /// [`reliable_size`](Self::reliable_size).
    ///
    /// # Errors
    /// `NotAFile`, or the OS error of `fstat`.
    pub fn size(&mut self) -> Result<u64, SizeError> {
        if let Some(size) = self.size.or(self.stat_size) {
            return Ok(size);
        }
        if let Some(e) = self.size_err {
            return Err(e);
        }
        match rustix::fs::fstat(&self.handle) {
            Ok(st)
                if rustix::fs::FileType::from_raw_mode(st.st_mode)
                    == rustix::fs::FileType::RegularFile =>
            {
                let size = st.st_size as u64;
                if (size > 0 && st.st_blocks > 0) || (size == 0 && self.is_empty_file()) {
                    self.size = Some(size);
                } else {
                    self.stat_size = Some(size);
                }
                Ok(size)
            }
            Ok(_) => {
                self.size_err = Some(SizeError::NotAFile);
                if self.mode.is_positional() {
                    // Zig switches without skipping, so bytes moved past
                    // with `seek_to` are read after all. A failed skip puts
                    // the source in `Failure` mode: reads then fail.
                    let _ = self.fall_back_to_streaming();
                }
                Err(SizeError::NotAFile)
            }
            Err(e) => {
                let e = SizeError::Os(e.raw_os_error());
                self.size_err = Some(e);
                Err(e)
            }
        }
    }

    /// The end of the file if it is known for certain: calls
    /// [`size`](Self::size), then trusts the result only if it was given
    /// ([`with_size`](Self::with_size)), recorded at end of stream, or
    /// reported by `fstat` for a non-empty file with storage allocated
    /// (`st_blocks > 0`) or for a file of size 0 in which a one-byte
    /// `pread` at offset 0 finds nothing.
    ///
    /// `/proc` and `/sys` files have no storage and report 0 or 4096 bytes
    /// whatever they hold; a fully sparse file is treated the same way,
    /// which costs one read to find its end, never a wrong answer. Code that stops at end of file, skips by seeking, or
    /// announces a length ahead of the bytes uses this; `None` means
    /// "read to find out".
    pub fn reliable_size(&mut self) -> Option<u64> {
        let _ = self.size();
        self.size
    }

    /// Whether a regular file whose size is 0 really holds nothing: one
    /// `pread` of one byte at offset 0, which moves no offset. (`/proc`
    /// files report 0 and hold bytes.)
    fn is_empty_file(&self) -> bool {
        let mut probe = [0u8; 1];
        loop {
            match rustix::io::pread(&self.handle, &mut probe, 0) {
                Ok(n) => return n == 0,
                Err(Errno::INTR) => continue,
                Err(_) => return false,
            }
        }
    }

    /// Whether the true position is at a known end (Zig's `atEnd`). Bytes a
    /// reader buffered are not counted: see [`Reader::at_end`].
    pub fn at_end(&self) -> bool {
        self.size.is_some_and(|size| self.pos >= size)
    }

    /// Records `n` bytes taken from the file by another call than this
    /// source's own reads (`sendfile`, `copy_file_range`).
    pub(crate) fn advance(&mut self, n: usize) {
        self.pos += n as u64;
    }

    /// Records that the file ends at the true position.
    pub(crate) fn record_end(&mut self) {
        self.size = Some(self.pos);
    }

    /// The bookkeeping of one read that returned `n` bytes: 0 is the end
    /// of the file at the true position (recorded as its size), anything
    /// else moves the position.
    fn count_read(&mut self, n: usize) -> Result<usize, ReadError> {
        if n == 0 {
            self.record_end();
            return Err(ReadError::EndOfStream);
        }
        self.advance(n);
        Ok(n)
    }

    /// Keeps `e` in [`err`](Self::err) for the caller and reports the read
    /// as failed.
    fn fail(&mut self, e: Errno) -> ReadError {
        self.err = Some(e.into());
        ReadError::ReadFailed
    }

    /// The kept error of the last failed seek, if any: once set, forward
    /// seeks read and drop bytes instead of calling `lseek`.
    pub fn seek_err(&self) -> Option<SeekError> {
        self.seek_err
    }

    /// One read into `dest` at the true position, in the current mode
    /// (Zig's `read`, `fs/File.zig:1519-1525`). Returns at least one byte,
    /// or 0 when the mode just fell back from positional to streaming.
    ///
    /// # Errors
    /// `EndOfStream` (the size is then recorded), or `ReadFailed` with the
    /// cause in [`err`](Self::err). An empty `dest` reads nothing and
    /// returns `Ok(0)`.
    pub fn read(&mut self, dest: &mut [u8]) -> Result<usize, ReadError> {
        if dest.is_empty() {
            return Ok(0);
        }
        self.read_vectored(&mut [IoSliceMut::new(dest)])
    }

    /// One `preadv` or `readv` into `iov` (non-empty in total), with the
    /// bookkeeping of Zig's `readPositional`/`readStreaming`: `EINTR`
    /// retried, `ESPIPE` switching to streaming (returning 0), 0 bytes
    /// meaning end of stream.
    fn read_vectored(&mut self, iov: &mut [IoSliceMut<'_>]) -> Result<usize, ReadError> {
        loop {
            let result = match self.mode {
                Mode::Positional | Mode::PositionalReading => {
                    rustix::io::preadv(&self.handle, iov, self.pos)
                }
                Mode::Streaming | Mode::StreamingReading => rustix::io::readv(&self.handle, iov),
                Mode::Failure => return Err(ReadError::ReadFailed),
            };
            match result {
                Ok(n) => return self.count_read(n),
                Err(Errno::INTR) => continue,
                Err(Errno::SPIPE) if self.mode.is_positional() => {
                    self.fall_back_to_streaming()?;
                    return Ok(0);
                }
                Err(e) => return Err(self.fail(e)),
            }
        }
    }

    /// The `error.Unseekable` branch of Zig's positional reads
    /// (`fs/File.zig:1484-1495`): become streaming and, if bytes were
    /// already read positionally, skip them on the stream.
    pub(crate) fn fall_back_to_streaming(&mut self) -> Result<(), ReadError> {
        self.mode = self.mode.to_streaming();
        let pos = self.pos;
        if pos != 0 {
            self.pos = 0;
            if self.seek_forward(pos).is_err() {
                self.mode = Mode::Failure;
                return Err(ReadError::ReadFailed);
            }
        }
        Ok(())
    }

    /// Moves the true position to `offset`, ignoring any bytes a reader
    /// buffered (Zig's `seekTo` without the buffer adjustment).
    ///
    /// Meant for code that holds only the source, such as a
    /// [`Sink::send_file`](crate::Sink::send_file) implementation, where no
    /// bytes are buffered; a reader's own [`Reader::seek_to`] also keeps
    /// its buffer consistent. Positional: sets the position. Streaming:
    /// `lseek`, or, forward on a descriptor that cannot seek, reads and
    /// drops the bytes.
    ///
    /// # Errors
    /// The kept [`SeekError`]; in `Failure` mode, the error that caused it.
    pub fn seek_to(&mut self, offset: u64) -> Result<(), SeekError> {
        match self.mode {
            Mode::Positional | Mode::PositionalReading => {
                self.pos = offset;
                Ok(())
            }
            Mode::Streaming | Mode::StreamingReading => {
                if offset >= self.pos {
                    return self.seek_forward(offset - self.pos);
                }
                if let Some(e) = self.seek_err {
                    return Err(e);
                }
                match rustix::fs::seek(&self.handle, rustix::fs::SeekFrom::Start(offset)) {
                    Ok(_) => {
                        self.pos = offset;
                        Ok(())
                    }
                    Err(e) => {
                        let e = SeekError::Os(e.raw_os_error());
                        self.seek_err = Some(e);
                        Err(e)
                    }
                }
            }
            Mode::Failure => Err(self.seek_err.unwrap_or(SeekError::ReadFailed)),
        }
    }

    /// `seek_to(pos + offset)`.
    ///
    /// # Errors
    /// `OutOfRange` if the target is negative or overflows; otherwise as
    /// [`seek_to`](Self::seek_to).
    pub fn seek_by(&mut self, offset: i64) -> Result<(), SeekError> {
        let target = self
            .pos
            .checked_add_signed(offset)
            .ok_or(SeekError::OutOfRange)?;
        self.seek_to(target)
    }

    /// Streaming forward seek by `n` bytes: `lseek(SEEK_CUR)` unless a seek
    /// already failed, else read and drop (`fs/File.zig:1250-1270`).
    fn seek_forward(&mut self, n: u64) -> Result<(), SeekError> {
        if n == 0 {
            return Ok(());
        }
        if self.seek_err.is_none() {
            let step = i64::try_from(n).map_err(|_| SeekError::OutOfRange)?;
            match rustix::fs::seek(&self.handle, rustix::fs::SeekFrom::Current(step)) {
                Ok(_) => {
                    self.pos += n;
                    return Ok(());
                }
                Err(e) => self.seek_err = Some(SeekError::Os(e.raw_os_error())),
            }
        }
        let mut remaining = n;
        let mut trash = [0u8; TRASH_LEN];
        while remaining > 0 {
            let len = remaining.min(TRASH_LEN as u64) as usize;
            match self.read_streaming_into(&mut trash[..len]) {
                Ok(k) => remaining -= k as u64,
                Err(e) => {
                    let e = match e {
                        ReadError::EndOfStream => SeekError::EndOfStream,
                        ReadError::ReadFailed => SeekError::ReadFailed,
                    };
                    self.seek_err = Some(e);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// One read in the current mode, of at most `limit` bytes, dropped:
    /// into the reader's (empty) buffer if it is larger than a stack block.
    fn read_and_drop(
        &mut self, buf: &mut ReadBuffer<'_>, limit: Limit,
    ) -> Result<usize, ReadError> {
        buf.clear();
        let room = buf.unused_capacity_slice();
        let mut trash = [0u8; TRASH_LEN];
        let dest = if room.len() > TRASH_LEN {
            room
        } else {
            &mut trash[..]
        };
        self.read(limit.slice(dest))
    }

    /// One plain `read` at the descriptor's offset (Zig's `readStreaming`).
    fn read_streaming_into(&mut self, dest: &mut [u8]) -> Result<usize, ReadError> {
        loop {
            match rustix::io::read(&self.handle, &mut *dest) {
                Ok(n) => return self.count_read(n),
                Err(Errno::INTR) => continue,
                Err(e) => return Err(self.fail(e)),
            }
        }
    }
}

impl Source for FileSource<'_> {
    /// Zig's `File.Reader.stream` (`fs/File.zig:1244-1270`): in the plain
    /// modes, the writer's [`send_file`](crate::Writer::send_file) (which
    /// falls back to the reading modes for good if the writer cannot);
    /// in the reading modes, one read into the writer's buffer.
    fn stream(
        &mut self, _buf: &mut ReadBuffer<'_>, w: &mut DynWriter<'_>, limit: Limit,
    ) -> Result<usize, StreamError> {
        match self.mode {
            Mode::Positional | Mode::Streaming => match w.send_file(self, limit) {
                Ok(n) => Ok(n),
                Err(SendFileError::Unimplemented) => {
                    self.mode = self.mode.to_reading();
                    Ok(0)
                }
                Err(SendFileError::ReadFailed) => Err(StreamError::ReadFailed),
                Err(SendFileError::WriteFailed) => Err(StreamError::WriteFailed),
                Err(SendFileError::EndOfStream) => Err(StreamError::EndOfStream),
            },
            Mode::PositionalReading | Mode::StreamingReading => {
                read_into_writer(w, limit, |dest| self.read(dest))
            }
            Mode::Failure => Err(StreamError::ReadFailed),
        }
    }

    /// Zig's `File.Reader.readVec` (`fs/File.zig:1272-1375`): one `preadv` or
    /// `readv` into the caller's slices and the reader's buffer (only the
    /// buffer if it still holds bytes).
    fn read_vec(
        &mut self, buf: &mut ReadBuffer<'_>, data: &mut [&mut [u8]],
    ) -> Result<usize, ReadError> {
        if self.mode == Mode::Failure {
            return Err(ReadError::ReadFailed);
        }
        read_vectored_into(buf, data, |iov| self.read_vectored(iov))
    }

    /// Zig's `File.Reader.discard` (`fs/File.zig:1377-1447`): positional
    /// sources move the position within the known size; streaming ones
    /// `lseek` forward within it, or read and drop where seeking or the
    /// size is unavailable.
    ///
    /// Unlike Zig 0.15.1, whose positional and seeking branches return 0
    /// forever at the end of the file (so `discardRemaining` never ends),
    /// nothing left to skip is `EndOfStream`.
    fn discard(&mut self, buf: &mut ReadBuffer<'_>, limit: Limit) -> Result<usize, ReadError> {
        if limit == Limit::NOTHING {
            return Ok(0);
        }
        match self.mode {
            Mode::Positional | Mode::PositionalReading => {
                if self.size().is_err() {
                    // Not a file: `size` made the source streaming.
                    self.mode = self.mode.to_streaming();
                    return Ok(0);
                }
                let Some(size) = self.size else {
                    // A size that may not be the end: read to find out.
                    return self.read_and_drop(buf, limit);
                };
                let delta = limit.min_int64(size.saturating_sub(self.pos));
                if delta == 0 {
                    return Err(ReadError::EndOfStream);
                }
                self.pos += delta as u64;
                Ok(delta)
            }
            Mode::Streaming | Mode::StreamingReading => {
                if self.size_err.is_some() || self.seek_err.is_some() {
                    return self.read_and_drop(buf, limit);
                }
                if self.size().is_err() {
                    return Ok(0);
                }
                let Some(size) = self.size else {
                    return self.read_and_drop(buf, limit);
                };
                let n = limit
                    .min_int64(size.saturating_sub(self.pos))
                    .min(i64::MAX as usize);
                if n == 0 {
                    return Err(ReadError::EndOfStream);
                }
                match rustix::fs::seek(&self.handle, rustix::fs::SeekFrom::Current(n as i64)) {
                    Ok(_) => {
                        self.pos += n as u64;
                        Ok(n)
                    }
                    Err(e) => {
                        self.seek_err = Some(SeekError::Os(e.raw_os_error()));
                        Ok(0)
                    }
                }
            }
            Mode::Failure => Err(ReadError::ReadFailed),
        }
    }
}

impl<'a, 'f> Reader<'a, FileSource<'f>> {
    /// A positional file reader (Zig's `File.reader`): `pread` at a tracked
    /// position from 0, falling back to streaming on a descriptor that
    /// cannot seek.
    pub fn file(handle: impl Into<Handle<'f>>, buffer: impl Into<ReadBuffer<'a>>) -> Self {
        Reader::new(buffer, FileSource::new(handle))
    }

    /// A positional file reader of a file whose size is known
    /// (`initSize`).
    pub fn file_with_size(
        handle: impl Into<Handle<'f>>, buffer: impl Into<ReadBuffer<'a>>, size: Option<u64>,
    ) -> Self {
        Reader::new(buffer, FileSource::with_size(handle, size))
    }

    /// A streaming file reader (Zig's `File.readerStreaming`): `read` at the
    /// descriptor's offset. For pipes, sockets and terminals.
    pub fn file_streaming(
        handle: impl Into<Handle<'f>>, buffer: impl Into<ReadBuffer<'a>>,
    ) -> Self {
        Reader::new(buffer, FileSource::streaming(handle))
    }

    /// The position of the next byte this reader returns: the true position
    /// minus the buffered bytes (Zig's `logicalPos`).
    pub fn logical_pos(&self) -> u64 {
        self.source.pos() - self.buf.buffered_len() as u64
    }

    /// Whether no byte is buffered and the true position is at the known
    /// end of the file.
    pub fn at_end(&self) -> bool {
        self.buf.buffered_len() == 0 && self.source.at_end()
    }

    /// Moves the logical position to `offset`: within the buffered bytes by
    /// tossing, elsewhere by emptying the buffer and moving the true
    /// position (Zig's `seekTo` with `setPosAdjustingBuffer`,
    /// `fs/File.zig:1272-1300`).
    ///
    /// # Errors
    /// As [`FileSource::seek_to`].
    pub fn seek_to(&mut self, offset: u64) -> Result<(), SeekError> {
        let logical = self.logical_pos();
        if offset >= logical && offset <= self.source.pos() {
            self.buf.toss((offset - logical) as usize);
            return Ok(());
        }
        self.buf.clear();
        self.source.seek_to(offset)
    }

    /// Moves the logical position by `offset` bytes.
    ///
    /// Zig's `seekBy` counts from the true position, so that with bytes
    /// buffered `seekBy(0)` skips them; here the offset counts from the
    /// position of the next byte the reader returns.
    ///
    /// # Errors
    /// `OutOfRange` if the target is negative or overflows; otherwise as
    /// [`seek_to`](Self::seek_to).
    pub fn seek_by(&mut self, offset: i64) -> Result<(), SeekError> {
        let target = self
            .logical_pos()
            .checked_add_signed(offset)
            .ok_or(SeekError::OutOfRange)?;
        self.seek_to(target)
    }
}
