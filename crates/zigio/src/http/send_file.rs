//! `send_file` of a body writer: Zig's `noneSendFile`,
//! `contentLengthSendFile`, `chunkedSendFile` and `elidingSendFile`
//! (`http.zig:913-992`). File bytes go to the protocol output with its own
//! `send_file_header`, so a connection writer over a socket can use
//! `sendfile`.

use super::chunked::{chunk_header, max_chunk};
use super::{BodyError, State};
use crate::fs::FileSource;
use crate::{Buffer, DynWriter, Limit, SendFileError};

/// Why a body writer's `send_file` sent nothing.
pub(super) enum Fail {
    /// Not the body's fault (end of file, read failure, no better way than
    /// reading): reported as is, the body writer stays usable.
    Pass(SendFileError),
    /// The body is broken: recorded as the sticky error.
    Body(BodyError),
}

fn forward(e: SendFileError) -> Fail {
    match e {
        SendFileError::WriteFailed => Fail::Body(BodyError::Downstream),
        other => Fail::Pass(other),
    }
}

/// One `send_file` through the body's framing: the buffered bytes, then at
/// most `limit` bytes of `file`. Returns the number of file bytes taken.
///
/// Content-length and chunked framing need the number of file bytes ahead
/// of time (to check the length, or to write the chunk header before the
/// bytes): when `fstat` cannot tell it, the result is `Unimplemented`, and
/// the caller's read loop goes through `drain` instead. A content-length
/// body refuses a send that would exceed its length, whole, as its drain
/// does.
pub(super) fn send_file(
    out: &mut DynWriter<'_>,
    state: &mut State,
    eliding: bool,
    buf: &mut Buffer<'_>,
    file: &mut FileSource<'_>,
    limit: Limit,
) -> Result<usize, Fail> {
    if limit == Limit::NOTHING {
        return Ok(0);
    }
    // The file bytes this call could move, if the file's size is known.
    let part = file
        .size()
        .ok()
        .map(|size| limit.min_int64(size.saturating_sub(file.pos())) as u64);
    let known = |part: Option<u64>| match part {
        None => Err(Fail::Pass(SendFileError::Unimplemented)),
        Some(0) => Err(Fail::Pass(SendFileError::EndOfStream)),
        Some(n) => Ok(n),
    };
    if let State::ContentLength {
        declared,
        remaining,
    } = state
    {
        let part = known(part)?;
        let offered = buf.end() as u64 + part;
        if offered > *remaining {
            return Err(Fail::Body(BodyError::ContentLengthExceeded {
                declared: *declared,
                sent: *declared - *remaining,
                offered,
            }));
        }
    }
    if eliding {
        // Zig's `elidingSendFile`: drop the buffered bytes, skip the file's.
        let part = known(part)?;
        let step = i64::try_from(part).map_err(|_| Fail::Pass(SendFileError::Unimplemented))?;
        file.seek_by(step)
            .map_err(|_| Fail::Pass(SendFileError::Unimplemented))?;
        if let State::ContentLength { remaining, .. } = state {
            *remaining -= buf.end() as u64 + part;
        }
        buf.consume_all();
        return Ok(part as usize);
    }
    match state {
        State::End => Err(Fail::Body(BodyError::Ended)),
        State::None => {
            let n = out
                .send_file_header(buf.buffered(), file, limit)
                .map_err(forward)?;
            Ok(buf.consume(n))
        }
        State::ContentLength { remaining, .. } => {
            let n = out
                .send_file_header(buf.buffered(), file, limit)
                .map_err(forward)?;
            *remaining -= n as u64;
            Ok(buf.consume(n))
        }
        State::Chunked { chunk_len } => loop {
            match *chunk_len {
                0 => {
                    let part = known(part)?;
                    let len = (buf.end() as u64 + part).min(max_chunk());
                    out.write_all(&chunk_header(len))
                        .map_err(|_| Fail::Body(BodyError::Downstream))?;
                    *chunk_len = len + 2;
                }
                1 => unreachable!("a chunk received more data than its header announced"),
                2 => {
                    out.write_all(b"\r\n")
                        .map_err(|_| Fail::Body(BodyError::Downstream))?;
                    *chunk_len = 0;
                }
                open => {
                    let owed = open - 2;
                    let end = buf.end() as u64;
                    let n = if end >= owed {
                        // The buffered bytes alone finish the chunk.
                        let owed = owed as usize;
                        out.write(&buf.buffered()[..owed])
                            .map_err(|_| Fail::Body(BodyError::Downstream))?
                    } else {
                        let file_limit = limit.min(Limit::limited64(owed - end));
                        out.send_file_header(buf.buffered(), file, file_limit)
                            .map_err(forward)?
                    };
                    *chunk_len -= n as u64;
                    return Ok(buf.consume(n));
                }
            }
        },
    }
}
