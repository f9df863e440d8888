//! Gathering a drain's bytes into one vectored system call.

use std::io::IoSlice;

/// Most slices handed to one vectored write, as Zig's `File.Writer`
/// (`max_buffers_len`, `fs/File.zig:1585`).
pub const MAX_IOVECS: usize = 16;

/// Size of the block that a one-byte pattern is expanded into.
pub const SPLAT_BLOCK: usize = 256;

/// The slices of one drain in order: the buffered bytes, each non-empty
/// data piece, then the pattern `splat` times, stopping at
/// [`MAX_IOVECS`] slices, the way `File.Writer.drain` builds its iovecs
/// (`fs/File.zig:1691-1776`). A one-byte pattern repeated is expanded
/// into `block` and sent as slices of it, so a splat of a million zero
/// bytes is a handful of slices, not a million.
///
/// Returns the number of slices filled in `iov`. Bytes that did not fit
/// in the slices are simply not offered: the vectored call will be short,
/// and the caller's loop sends them later.
pub fn gather<'x>(
    iov: &mut [IoSlice<'x>; MAX_IOVECS], buffered: &'x [u8], data: &[&'x [u8]], splat: usize,
    block: &'x mut [u8; SPLAT_BLOCK],
) -> usize {
    let (pattern, rest) = data.split_last().expect("drain data is never empty");
    let mut n = 0;
    let mut add = |s: &'x [u8]| {
        if !s.is_empty() && n < MAX_IOVECS {
            iov[n] = IoSlice::new(s);
            n += 1;
        }
        n < MAX_IOVECS
    };
    add(buffered);
    for piece in rest {
        add(piece);
    }
    match (pattern.len(), splat) {
        (0, _) | (_, 0) => {}
        (1, s) if s > 1 => {
            block.fill(pattern[0]);
            let block: &'x [u8] = block;
            let mut left = s;
            while left > 0 {
                let k = left.min(SPLAT_BLOCK);
                left -= k;
                if !add(&block[..k]) {
                    break;
                }
            }
        }
        (_, s) => {
            for _ in 0..s {
                if !add(pattern) {
                    break;
                }
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(buffered: &[u8], data: &[&[u8]], splat: usize) -> Vec<u8> {
        let mut iov = [IoSlice::new(&[]); MAX_IOVECS];
        let mut block = [0; SPLAT_BLOCK];
        let n = gather(&mut iov, buffered, data, splat, &mut block);
        iov[..n].iter().flat_map(|s| s.iter().copied()).collect()
    }

    #[test]
    fn order_and_splat() {
        assert_eq!(collect(b"ab", &[b"c", b"", b"de"], 3), b"abcdedede");
        assert_eq!(collect(b"", &[b"x"], 0), b"");
        assert_eq!(collect(b"", &[b"0"], 600), vec![b'0'; 600]);
    }

    #[test]
    fn stops_at_the_iovec_limit() {
        let got = collect(b"", &[b"ab"], 100);
        assert_eq!(got.len(), 2 * MAX_IOVECS);
        let got = collect(b"", &[b"z"], 1 << 20);
        assert_eq!(got.len(), SPLAT_BLOCK * MAX_IOVECS);
    }
}
