//! The chunked transfer coding: Zig's `chunkedDrain` and
//! `endChunkedUnflushed` (`http.zig:847-880`, `994-1034`).

use super::{BodyError, Header};
use zigio::{Buffer, DynWriter, Limit, count_splat};

/// Largest chunk a chunk header can announce: eight hex digits
/// (`max_chunk_len`, `http.zig:748-755`).
pub const MAX_CHUNK_LEN: u64 = 0xffff_ffff;

/// Length of a chunk header: eight hex digits and CRLF.
pub const CHUNK_HEADER_LEN: usize = 10;

/// The largest chunk this platform can announce: the chunk's data must be
/// expressible as a [`Limit`] other than `UNLIMITED` (`usize::MAX`).
pub(super) fn max_chunk() -> u64 {
    MAX_CHUNK_LEN.min(usize::MAX as u64 - 1)
}

/// `len` as Zig writes it: fixed-width, zero-padded, lowercase hex, then CRLF.
///
/// # Panics
/// If `len` exceeds [`MAX_CHUNK_LEN`] (callers clamp it first).
pub(super) fn chunk_header(len: u64) -> [u8; CHUNK_HEADER_LEN] {
    assert!(
        len <= MAX_CHUNK_LEN,
        "chunk of {len} bytes exceeds 8 hex digits"
    );
    let mut header = *b"00000000\r\n";
    let mut rest = len;
    for digit in header[..8].iter_mut().rev() {
        *digit = b"0123456789abcdef"[(rest % 16) as usize];
        rest /= 16;
    }
    header
}

/// One drain of a chunked body: Zig's `chunkedDrain` (`http.zig:994-1019`).
///
/// `chunk_len` is the state: 0 when no chunk is open, otherwise the data
/// bytes the open chunk still needs plus 2 for the CRLF that ends it.
///
/// - No chunk open: open one sized to everything pending (`buf.end()` plus
///   `data` with its splat), clamped to [`MAX_CHUNK_LEN`]: header
///   `XXXXXXXX\r\n`.
/// - Chunk complete (`chunk_len == 2`): write its CRLF now (lazily, so that
///   `end` can follow it directly with the last chunk), then open the next.
/// - Chunk open: forward buffered bytes and data, at most the bytes the chunk
///   still needs. Our `write_splat_header_limit` enforces that limit for
///   every piece, so unlike Zig 0.15.1 a chunk can never overrun its header.
/// - A chunk this drain opened is finished by this drain: it forwards
///   again (from where the output stopped) until the chunk has every byte
///   it announced. The announced bytes include the caller's `data`, which
///   a drain may take only in part (a single-shot `write` returns the
///   count); a chunk left open on them would owe bytes that the caller
///   never sends again, and the body could not end. (Zig 0.15.1 returns
///   after one forward, with the chunk open.)
///
/// One deliberate difference: Zig opens a chunk even when nothing is
/// pending, and a zero-length chunk is the *last* chunk, which would end the
/// body early. Here a drain with nothing pending writes no header.
pub(super) fn drain(
    out: &mut DynWriter<'_>, chunk_len: &mut u64, buf: &mut Buffer<'_>, data: &[&[u8]],
    splat: usize,
) -> Result<usize, BodyError> {
    loop {
        match *chunk_len {
            0 => {
                let pending = (buf.end() as u64).saturating_add(count_splat(data, splat) as u64);
                if pending == 0 {
                    return Ok(buf.consume(0));
                }
                let len = pending.min(max_chunk());
                out.write_all(&chunk_header(len))
                    .map_err(|_| BodyError::Downstream)?;
                *chunk_len = len + 2;
            }
            1 => unreachable!("a chunk received more data than its header announced"),
            2 => {
                out.write_all(b"\r\n").map_err(|_| BodyError::Downstream)?;
                *chunk_len = 0;
            }
            _ => {
                let mut taken = 0;
                while *chunk_len > 2 {
                    let owed = usize::try_from(*chunk_len - 2)
                        .expect("chunk lengths are clamped to usize");
                    let n = if taken == 0 {
                        out.write_splat_header_limit(
                            buf.buffered(),
                            data,
                            splat,
                            Limit::limited(owed),
                        )
                    } else {
                        if count_splat(data, splat) == taken && buf.end() == 0 {
                            // Only an open chunk that an earlier call
                            // announced is left: later bytes finish it.
                            break;
                        }
                        let (rest, splat) = data_after(data, splat, taken);
                        out.write_splat_header_limit(
                            buf.buffered(),
                            &rest,
                            splat,
                            Limit::limited(owed),
                        )
                    }
                    .map_err(|_| BodyError::Downstream)?;
                    *chunk_len -= n as u64;
                    taken += buf.consume(n);
                }
                return Ok(taken);
            }
        }
    }
}

/// The pieces of `data` (last one repeated `splat` times) after the first
/// `skip` bytes, as drain data: the last piece returned is the pattern,
/// with the splat returned (an empty pattern when no repetition is left).
fn data_after<'d>(data: &[&'d [u8]], splat: usize, mut skip: usize) -> (Vec<&'d [u8]>, usize) {
    let (pattern, rest) = data.split_last().expect("drain data is never empty");
    let mut pieces = Vec::new();
    for piece in rest {
        if skip >= piece.len() {
            skip -= piece.len();
        } else {
            pieces.push(&piece[skip..]);
            skip = 0;
        }
    }
    let (whole, part) = match pattern.len() {
        0 => (splat, 0),
        len => (skip / len, skip % len),
    };
    let left = splat.saturating_sub(whole);
    if left == 0 {
        pieces.push(&[]);
        return (pieces, 0);
    }
    if part > 0 {
        pieces.push(&pattern[part..]);
        pieces.push(pattern);
        return (pieces, left - 1);
    }
    pieces.push(pattern);
    (pieces, left)
}

/// The end of a chunked body after its buffer was flushed: Zig's
/// `endChunkedUnflushed` (`http.zig:847-880`): the CRLF of the last chunk if
/// it is pending, the last chunk `0\r\n`, the trailers, and the final CRLF.
/// Nothing is flushed.
///
/// # Errors
/// [`BodyError::ChunkUnfinished`] if a chunk is still owed data (Zig
/// reaches `unreachable`); [`BodyError::Downstream`] if `out` fails.
pub(super) fn finish(
    out: &mut DynWriter<'_>, chunk_len: u64, trailers: &[Header<'_>],
) -> Result<(), BodyError> {
    match chunk_len {
        0 => {}
        2 => out.write_all(b"\r\n").map_err(|_| BodyError::Downstream)?,
        open => {
            return Err(BodyError::ChunkUnfinished {
                owed: open.saturating_sub(2),
            });
        }
    }
    let mut write = || -> Result<(), zigio::WriteFailed> {
        out.write_all(b"0\r\n")?;
        for t in trailers {
            out.write_vec_all(&mut [t.name.as_bytes(), b": ", t.value.as_bytes(), b"\r\n"])?;
        }
        out.write_all(b"\r\n")
    };
    write().map_err(|_| BodyError::Downstream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_eight_lowercase_hex_digits() {
        assert_eq!(&chunk_header(0), b"00000000\r\n");
        assert_eq!(&chunk_header(0xabc), b"00000abc\r\n");
        assert_eq!(&chunk_header(MAX_CHUNK_LEN), b"ffffffff\r\n");
    }
}
