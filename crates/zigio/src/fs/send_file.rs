//! `FileSink::send_file`: Zig's `File.Writer.sendFile`
//! (`fs/File.zig:1779-2054`) on Linux, without its three `[bug?]`s.
//!
//! Order of attempts, as in Zig: `sendfile` when the writer is streaming,
//! then `copy_file_range`, then `Unimplemented` (the caller reads and
//! writes). A call that the kernel refuses for this pair of descriptors
//! (`EINVAL`, `EXDEV`, `EOPNOTSUPP`, `ENOSYS`, ...) is remembered in the
//! sink and not tried again.
//!
//! What differs from Zig 0.15.1:
//! - The length given to `copy_file_range` is clamped to [`MAX_COUNT`]
//!   like `sendfile`'s; Zig passes the raw limit, so `Limit::UNLIMITED`
//!   fails with `EOVERFLOW` and every copy falls back to `pread`/`pwritev`.
//! - Bytes a reader buffered never reach this code
//!   ([`Sink::send_file`](crate::Sink::send_file)'s contract), so there is
//!   no `sendFileBuffered` and no seek after it (Zig seeks to `pos + n`
//!   instead of the logical position and skips input).
//! - Write-side failures of `sendfile`/`copy_file_range` (`EAGAIN`, `EPIPE`,
//!   `ENOSPC`, `EDQUOT`, `EFBIG`, `ECONNRESET`) are reported at once as
//!   `WriteFailed` with the cause in `err`, as `drain` does, instead of
//!   disabling the call for good: a full non-blocking socket keeps using
//!   `sendfile` once it drains. (`EAGAIN` from a non-blocking *input* is
//!   reported the same way.)
//! - A positional reader whose size `fstat` cannot tell still uses its
//!   offset (Zig returns 0 from every call, forever).

use super::{FileSink, FileSource, Mode};
use crate::{Buffer, Limit, SendFileError, Sink};
use rustix::io::Errno;

/// Most bytes one `sendfile` or `copy_file_range` call is asked to move:
/// Linux moves at most this many (`MAX_RW_COUNT`) and `sendfile` fails with
/// `EINVAL` beyond it on some kernels (`fs/File.zig:1932`).
pub const MAX_COUNT: usize = 0x7fff_f000;

/// The length passed to one `copy_file_range`/`sendfile` call for `limit`:
/// at most [`MAX_COUNT`], so that `Limit::UNLIMITED` is not `EOVERFLOW`.
pub fn clamp_len(limit: Limit) -> usize {
    limit.min_int(MAX_COUNT)
}

#[cfg(any(target_os = "linux", target_os = "android"))]
/// Errors that belong to the destination: reported as `WriteFailed` with
/// the cause kept, not taken as "this call cannot copy these descriptors".
fn is_write_side(e: Errno) -> bool {
    matches!(
        e,
        Errno::AGAIN | Errno::PIPE | Errno::NOSPC | Errno::DQUOT | Errno::FBIG | Errno::CONNRESET
    )
}

pub(super) fn send_file(
    w: &mut FileSink<'_>, buf: &mut Buffer<'_>, file: &mut FileSource<'_>, limit: Limit,
) -> Result<usize, SendFileError> {
    if limit == Limit::NOTHING {
        return Ok(0);
    }
    if file.mode() == Mode::Failure {
        return Err(SendFileError::ReadFailed);
    }
    if w.mode() == Mode::Failure {
        return Err(SendFileError::WriteFailed);
    }
    if file.known_size().is_some_and(|size| file.pos() >= size) {
        return Err(SendFileError::EndOfStream);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let plain = |m: Mode| matches!(m, Mode::Positional | Mode::Streaming);
        if w.mode() == Mode::Streaming
            && w.sendfile_err.is_none()
            && plain(file.mode())
            && let Some(n) = try_sendfile(w, buf, file, limit)?
        {
            return Ok(n);
        }
        if w.copy_file_range_err.is_none()
            && plain(w.mode())
            && plain(file.mode())
            && let Some(n) = try_copy_file_range(w, buf, file, limit)?
        {
            return Ok(n);
        }
    }
    Err(SendFileError::Unimplemented)
}

#[cfg(any(target_os = "linux", target_os = "android"))]
/// One `sendfile` (Linux has no header vectors: buffered bytes are flushed
/// first). `Ok(None)`: `sendfile` cannot serve these descriptors.
fn try_sendfile(
    w: &mut FileSink<'_>, buf: &mut Buffer<'_>, file: &mut FileSource<'_>, limit: Limit,
) -> Result<Option<usize>, SendFileError> {
    w.flush(buf)?;
    loop {
        let positional = match file.mode() {
            Mode::Positional => true,
            Mode::Streaming => false,
            _ => return Ok(None),
        };
        let count = if positional {
            match file.size() {
                // `size` found a pipe or socket and made the reader streaming.
                Err(_) if file.mode() != Mode::Positional => continue,
                // Only an end known for certain bounds the count: a `/proc`
                // file reports size 0 and has content.
                _ => match file.known_size() {
                    Some(size) => limit
                        .min_int64(size.saturating_sub(file.pos()))
                        .min(MAX_COUNT),
                    None => clamp_len(limit),
                },
            }
        } else {
            clamp_len(limit)
        };
        if count == 0 {
            return Err(SendFileError::EndOfStream);
        }
        let mut offset = file.pos();
        let result = rustix::fs::sendfile(
            &w.handle,
            file.handle(),
            positional.then_some(&mut offset),
            count,
        );
        match result {
            // A positional file whose end is not known for certain (a
            // pseudo-file) may send nothing and still hold bytes: let the
            // caller read to find out.
            Ok(0) if positional && file.known_size().is_none() => return Ok(None),
            Ok(0) => {
                file.record_end();
                return Err(SendFileError::EndOfStream);
            }
            Ok(n) => {
                file.advance(n);
                w.pos += n as u64;
                return Ok(Some(n));
            }
            Err(Errno::INTR) => continue,
            Err(Errno::SPIPE) if positional => file.fall_back_to_streaming()?,
            Err(e) if is_write_side(e) => return Err(w.fail(e.into()).into()),
            Err(e) => {
                w.sendfile_err = Some(e);
                return Ok(None);
            }
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
/// One `copy_file_range`, with offsets for the positional sides and the
/// length clamped. `Ok(None)`: it cannot serve these descriptors.
fn try_copy_file_range(
    w: &mut FileSink<'_>, buf: &mut Buffer<'_>, file: &mut FileSource<'_>, limit: Limit,
) -> Result<Option<usize>, SendFileError> {
    w.flush(buf)?;
    loop {
        let in_positional = file.mode() == Mode::Positional;
        let out_positional = w.mode() == Mode::Positional;
        let mut off_in = file.pos();
        let mut off_out = w.pos;
        let result = rustix::fs::copy_file_range(
            file.handle(),
            in_positional.then_some(&mut off_in),
            &w.handle,
            out_positional.then_some(&mut off_out),
            clamp_len(limit),
        );
        match result {
            Ok(0) => {
                // Pseudo-files copy nothing whatever they hold, and their
                // size says nothing: unless a positional source's end is
                // known for certain, let the caller read to find out. (A
                // streaming source never asks `fstat`; it ends here.)
                let end = if in_positional {
                    file.reliable_size()
                } else {
                    file.known_size()
                };
                if (in_positional && end.is_none()) || end.is_some_and(|size| file.pos() < size) {
                    return Ok(None);
                }
                file.record_end();
                return Err(SendFileError::EndOfStream);
            }
            Ok(n) => {
                file.advance(n);
                w.pos += n as u64;
                return Ok(Some(n));
            }
            Err(Errno::INTR) => continue,
            Err(e) if is_write_side(e) => return Err(w.fail(e.into()).into()),
            Err(e) => {
                w.copy_file_range_err = Some(e);
                return Ok(None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_length_is_clamped() {
        assert_eq!(clamp_len(Limit::UNLIMITED), 0x7fff_f000);
        assert_eq!(clamp_len(Limit::limited(usize::MAX - 1)), 0x7fff_f000);
        assert_eq!(clamp_len(Limit::limited(10)), 10);
    }
}
