//! `send_file` of a body writer: Zig's `noneSendFile`,
//! `contentLengthSendFile`, `chunkedSendFile` and `elidingSendFile`
//! (`http.zig:913-992`). File bytes go to the protocol output with its own
//! `send_file_header`, so a connection writer over a socket can use
//! `sendfile`.

use super::chunked::{chunk_header, max_chunk};
use super::{BodyError, State};
use zigio::fs::FileSource;
use zigio::{Buffer, DynWriter, Limit, ReadError, SendFileError};

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

/// Most bytes one `send_file` reads itself into an open chunk when the
/// protocol output cannot send files.
const CHUNK_READ_BLOCK: usize = 4096;

/// One `send_file` through the body's framing: the buffered bytes, then at
/// most `limit` bytes of `file`. Returns the number of file bytes taken.
///
/// Content-length and chunked framing need the number of file bytes ahead
/// of time (to check the length, or to write the chunk header before the
/// bytes). Only an end known for certain counts
/// ([`FileSource::reliable_size`]: `/proc` files report 0 bytes and `/sys`
/// files 4096, whatever they hold); otherwise the result is
/// `Unimplemented`, with nothing sent, and the caller's read loop goes
/// through `drain`, which frames exactly the bytes read.
///
/// - After the end, `Ended`, whatever the framing or eliding.
/// - A content-length body refuses a send that would exceed its length,
///   whole, as its drain does, and never asks the protocol output for
///   more file bytes than the length has left: a file that grew after its
///   size was taken cannot put more than the length on the wire.
/// - A chunked body whose chunk is open finishes it even when the protocol
///   output has no `send_file` (`Unimplemented` there): it reads at most
///   [`CHUNK_READ_BLOCK`] bytes itself and writes them, so `Unimplemented`
///   here always means that nothing was sent.
pub(super) fn send_file(
    out: &mut DynWriter<'_>, state: &mut State, eliding: bool, buf: &mut Buffer<'_>,
    file: &mut FileSource<'_>, limit: Limit,
) -> Result<usize, Fail> {
    if *state == State::End {
        return Err(Fail::Body(BodyError::Ended));
    }
    if limit == Limit::NOTHING {
        return Ok(0);
    }
    // The file bytes this call could move, if the file's end is known.
    let part = file
        .reliable_size()
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
        State::ContentLength {
            declared,
            remaining,
        } => {
            // Checked above: the buffered bytes fit in what is left.
            let room = *remaining - buf.end() as u64;
            let file_limit = limit.min(Limit::limited64(room));
            let n = out
                .send_file_header(buf.buffered(), file, file_limit)
                .map_err(forward)?;
            if n as u64 > *remaining {
                return Err(Fail::Body(BodyError::ContentLengthExceeded {
                    declared: *declared,
                    sent: *declared - *remaining,
                    offered: n as u64,
                }));
            }
            *remaining -= n as u64;
            Ok(buf.consume(n))
        }
        State::Chunked { chunk_len } => {
            // A chunk this call opens is finished by this call: its header
            // announced file bytes, and a caller that stops after one
            // `send_file` must still be able to end the body.
            let mut opened = false;
            loop {
                match *chunk_len {
                    0 => {
                        let part = known(part)?;
                        let len = (buf.end() as u64 + part).min(max_chunk());
                        out.write_all(&chunk_header(len))
                            .map_err(|_| Fail::Body(BodyError::Downstream))?;
                        *chunk_len = len + 2;
                        opened = true;
                    }
                    1 => unreachable!("a chunk received more data than its header announced"),
                    2 => {
                        out.write_all(b"\r\n")
                            .map_err(|_| Fail::Body(BodyError::Downstream))?;
                        *chunk_len = 0;
                    }
                    _ => return fill_chunk(out, chunk_len, opened, buf, file, limit),
                }
            }
        }
    }
}

/// Sends the open chunk's bytes: the buffered bytes, then the file's, with
/// the protocol output's `send_file_header` or, when it has none, a read
/// of our own ([`read_into_chunk`]). With `finish`, until the chunk has
/// them all (or the file ends early: it shrank, and the chunk stays open);
/// otherwise once. Returns the number of file bytes taken.
fn fill_chunk(
    out: &mut DynWriter<'_>, chunk_len: &mut u64, finish: bool, buf: &mut Buffer<'_>,
    file: &mut FileSource<'_>, limit: Limit,
) -> Result<usize, Fail> {
    let mut taken = 0;
    while *chunk_len > 2 {
        let owed = *chunk_len - 2;
        let end = buf.end() as u64;
        let result = if end >= owed {
            // The buffered bytes alone finish the chunk.
            out.write(&buf.buffered()[..owed as usize])
                .map_err(|_| Fail::Body(BodyError::Downstream))
        } else {
            let left = Limit::limited(limit.get() - taken);
            let file_limit = left.min(Limit::limited64(owed - end));
            match out.send_file_header(buf.buffered(), file, file_limit) {
                Err(SendFileError::Unimplemented) => read_into_chunk(out, file, file_limit),
                other => other.map_err(forward),
            }
        };
        let n = match result {
            Ok(n) => n,
            // What was sent stands; the next call meets the end or error.
            Err(Fail::Pass(_)) if taken > 0 => break,
            Err(e) => return Err(e),
        };
        *chunk_len -= n as u64;
        taken += buf.consume(n);
        if !finish {
            break;
        }
    }
    Ok(taken)
}

/// The open chunk's bytes when the protocol output cannot send files and
/// nothing is buffered: one read of at most `limit` bytes (and at most
/// [`CHUNK_READ_BLOCK`]) into a stack block, written whole. Returns the
/// number of bytes read and written.
fn read_into_chunk(
    out: &mut DynWriter<'_>, file: &mut FileSource<'_>, limit: Limit,
) -> Result<usize, Fail> {
    let mut block = [0u8; CHUNK_READ_BLOCK];
    let dest = limit.slice(&mut block);
    let n = match file.read(dest) {
        Ok(n) => n,
        Err(ReadError::EndOfStream) => return Err(Fail::Pass(SendFileError::EndOfStream)),
        Err(ReadError::ReadFailed) => return Err(Fail::Pass(SendFileError::ReadFailed)),
    };
    out.write_all(&block[..n])
        .map_err(|_| Fail::Body(BodyError::Downstream))?;
    Ok(n)
}
