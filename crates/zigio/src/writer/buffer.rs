//! [`Buffer`]: the storage and the fill index that Zig keeps in the interface
//! (`buffer: []u8` and `end: usize`, `Writer.zig:12-16`).

use crate::WriteFailed;

/// Where a writer's bytes are staged: a slice of storage plus `end`, the
/// number of bytes at its front that are buffered and not yet drained.
///
/// Storage is either borrowed from the caller (a stack array, a slice of a
/// larger allocation: Zig's `.fixed` and `File.Writer` buffers) or owned and
/// able to grow (Zig's `Allocating`). Both kinds share this one type, so the
/// fast paths of every writer are the same code.
///
/// Invariant: `end() <= capacity()`. Bytes past `end` are unspecified: an
/// implementation may use them as scratch space.
#[derive(Debug)]
pub struct Buffer<'a> {
    storage: Storage<'a>,
    end: usize,
}

#[derive(Debug)]
enum Storage<'a> {
    Borrowed(&'a mut [u8]),
    /// `vec.len()` is the capacity; every byte is initialised.
    Owned(Vec<u8>),
}

impl<'a> Buffer<'a> {
    /// An empty, borrowed buffer: every write reaches `drain` (unbuffered).
    pub fn empty() -> Buffer<'a> {
        Buffer::borrowed(&mut [])
    }

    /// Caller-provided storage, initially holding no buffered bytes.
    pub fn borrowed(storage: &'a mut [u8]) -> Buffer<'a> {
        Buffer {
            storage: Storage::Borrowed(storage),
            end: 0,
        }
    }

    /// Owned, zero-filled storage of exactly `capacity` bytes, nothing
    /// buffered.
    pub fn with_capacity(capacity: usize) -> Buffer<'static> {
        Buffer {
            storage: Storage::Owned(vec![0; capacity]),
            end: 0,
        }
    }

    /// Owned storage whose first `vec.len()` bytes are already buffered
    /// (Zig's `Allocating.fromArrayList`): they count as written and will be
    /// drained like any other buffered bytes. For empty storage of a given
    /// size use [`Buffer::with_capacity`]. (There is deliberately no
    /// `From<Vec<u8>>`: whether a vector's contents are data or scratch
    /// space must be said.) The
    /// vector's spare capacity becomes unused capacity (zero-filled).
    pub fn owned(mut vec: Vec<u8>) -> Buffer<'static> {
        let end = vec.len();
        vec.resize(vec.capacity(), 0);
        Buffer {
            storage: Storage::Owned(vec),
            end,
        }
    }

    /// Total capacity: `buffer.len` in Zig.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.as_slice().len()
    }

    /// Number of buffered bytes: `end` in Zig.
    #[inline]
    pub fn end(&self) -> usize {
        self.end
    }

    /// Whether the storage is owned and can grow.
    pub fn is_growable(&self) -> bool {
        matches!(self.storage, Storage::Owned(_))
    }

    /// The whole storage, buffered bytes and unused capacity.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match &self.storage {
            Storage::Borrowed(s) => s,
            Storage::Owned(v) => v,
        }
    }

    /// The whole storage, mutably.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        match &mut self.storage {
            Storage::Borrowed(s) => s,
            Storage::Owned(v) => v,
        }
    }

    /// The bytes not yet drained: `buffer[0..end]` (`Writer.zig:152-155`).
    #[inline]
    pub fn buffered(&self) -> &[u8] {
        &self.as_slice()[..self.end]
    }

    /// The buffered bytes, mutably (for implementations that transform them
    /// in place before draining).
    pub fn buffered_mut(&mut self) -> &mut [u8] {
        let end = self.end;
        &mut self.as_mut_slice()[..end]
    }

    /// `buffer[end..]`: where the next bytes go.
    #[inline]
    pub fn unused_capacity_slice(&mut self) -> &mut [u8] {
        let end = self.end;
        &mut self.as_mut_slice()[end..]
    }

    /// `capacity - end`.
    #[inline]
    pub fn unused_capacity_len(&self) -> usize {
        self.capacity() - self.end
    }

    /// Marks `n` more bytes of the unused capacity as buffered, after the
    /// caller has written them (`Writer.zig:439-447`).
    ///
    /// # Panics
    /// If `end + n` would exceed the capacity.
    #[inline]
    pub fn advance(&mut self, n: usize) {
        let new_end = self.end.checked_add(n);
        match new_end {
            Some(e) if e <= self.capacity() => self.end = e,
            _ => panic!(
                "advance({n}) past the buffer: end {} + {n} > capacity {}",
                self.end,
                self.capacity()
            ),
        }
    }

    /// Forgets the newest `n` buffered bytes (`Writer.zig:435-437`).
    ///
    /// # Panics
    /// If `n > end`.
    #[inline]
    pub fn undo(&mut self, n: usize) {
        assert!(
            n <= self.end,
            "undo({n}) with only {} bytes buffered",
            self.end
        );
        self.end -= n;
    }

    /// Bookkeeping for a drain that accepted `n` bytes in total, buffered
    /// bytes first (`Writer.zig:2294-2309`).
    ///
    /// If `n < end`, the unaccepted buffered bytes move to the front, `end`
    /// shrinks by `n`, and the result is 0: no bytes of the drain's `data`
    /// were taken. Otherwise the buffer empties and the result is
    /// `n - end`, the number of `data` bytes accepted. `return
    /// Ok(buf.consume(n))` is therefore the correct end of a drain.
    #[inline]
    pub fn consume(&mut self, n: usize) -> usize {
        let end = self.end;
        if n < end {
            self.as_mut_slice().copy_within(n..end, 0);
            self.end = end - n;
            0
        } else {
            self.end = 0;
            n - end
        }
    }

    /// Empties the buffer and returns 0: `consume(end)` (`Writer.zig:2311-2316`).
    #[inline]
    pub fn consume_all(&mut self) -> usize {
        self.end = 0;
        0
    }

    /// Grows owned storage to at least `total` bytes of capacity with the
    /// growth policy of Zig's `ArrayList` (`array_list.zig:1410-1417`): the
    /// capacity repeatedly becomes `c + c/2 + L` until it is large enough,
    /// where `L` is the target's [`CACHE_LINE`] (128 on x86_64).
    /// Buffered bytes are kept.
    ///
    /// # Errors
    /// [`WriteFailed`] if the storage is borrowed (it cannot grow), if `total`
    /// overflows, or if the allocation fails.
    pub fn ensure_total_capacity(&mut self, total: usize) -> Result<(), WriteFailed> {
        let Storage::Owned(vec) = &mut self.storage else {
            return if total <= self.capacity() {
                Ok(())
            } else {
                Err(WriteFailed)
            };
        };
        if vec.len() >= total {
            return Ok(());
        }
        let new_cap = grow_capacity(vec.len(), total);
        vec.try_reserve_exact(new_cap - vec.len())
            .map_err(|_| WriteFailed)?;
        vec.resize(new_cap, 0);
        Ok(())
    }

    /// [`ensure_total_capacity`](Self::ensure_total_capacity)`(end + n)`.
    ///
    /// # Errors
    /// As `ensure_total_capacity`.
    pub fn ensure_unused_capacity(&mut self, n: usize) -> Result<(), WriteFailed> {
        let total = self.end.checked_add(n).ok_or(WriteFailed)?;
        self.ensure_total_capacity(total)
    }

    /// Sets `end` (the owner of growable storage uses it to truncate what was
    /// written).
    ///
    /// # Panics
    /// If `end` exceeds the capacity.
    pub fn set_end(&mut self, end: usize) {
        assert!(
            end <= self.capacity(),
            "set_end({end}) past capacity {}",
            self.capacity()
        );
        self.end = end;
    }

    /// Sets `end` where the caller has just checked it against the capacity.
    #[inline]
    pub(crate) fn set_end_unchecked(&mut self, end: usize) {
        debug_assert!(end <= self.capacity());
        self.end = end;
    }

    /// Takes the owned storage out, truncated to the buffered bytes, leaving
    /// an empty owned buffer. Borrowed storage is copied.
    pub fn take_vec(&mut self) -> Vec<u8> {
        let end = self.end;
        self.end = 0;
        match &mut self.storage {
            Storage::Owned(v) => {
                let mut v = core::mem::take(v);
                v.truncate(end);
                v
            }
            Storage::Borrowed(s) => s[..end].to_vec(),
        }
    }
}

/// Fills `dst` with `pattern` repeated, the last copy cut short if `dst`'s
/// length is not a multiple of the pattern's. A one-byte pattern is a
/// `fill` (one memset, not a copy per byte).
pub(crate) fn fill_repeating(dst: &mut [u8], pattern: &[u8]) {
    match pattern {
        [] => debug_assert!(dst.is_empty(), "an empty pattern fills nothing"),
        [byte] => dst.fill(*byte),
        _ => {
            for chunk in dst.chunks_mut(pattern.len()) {
                chunk.copy_from_slice(&pattern[..chunk.len()]);
            }
        }
    }
}

/// Zig's `std.atomic.cache_line` for the target being compiled for
/// (`cacheLineForCpu`, `atomic.zig:404-452`): 128 bytes on x86_64, aarch64
/// and powerpc64, 32 on arm, mips and sparc, 256 on s390x, 64 elsewhere
/// (wasm32, x86, riscv64 among them).
pub const CACHE_LINE: usize = if cfg!(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "powerpc64"
)) {
    128
} else if cfg!(any(
    target_arch = "arm",
    target_arch = "mips",
    target_arch = "mips64",
    target_arch = "sparc",
    target_arch = "sparc64"
)) {
    32
} else if cfg!(target_arch = "s390x") {
    256
} else {
    64
};

/// Zig's `ArrayList(u8)` growth (`array_list.zig:1406-1417`): from
/// `current`, add `current/2 + init_capacity` until the result reaches
/// `minimum` (saturating), where `init_capacity` is the target's
/// [`CACHE_LINE`] (a byte list's `cache_line / @sizeOf(u8)`). On x86_64 that
/// is `current/2 + 128`.
pub(crate) fn grow_capacity(current: usize, minimum: usize) -> usize {
    const INIT_CAPACITY: usize = CACHE_LINE;
    let mut new = current;
    loop {
        new = new.saturating_add(new / 2 + INIT_CAPACITY);
        if new >= minimum {
            return new;
        }
    }
}

impl<'a> From<&'a mut [u8]> for Buffer<'a> {
    fn from(s: &'a mut [u8]) -> Buffer<'a> {
        Buffer::borrowed(s)
    }
}

impl<'a, const N: usize> From<&'a mut [u8; N]> for Buffer<'a> {
    fn from(s: &'a mut [u8; N]) -> Buffer<'a> {
        Buffer::borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consume_partial_keeps_the_rest_in_front() {
        let mut storage = *b"abcdef__";
        let mut b = Buffer::borrowed(&mut storage);
        b.advance(6);
        assert_eq!(b.consume(2), 0);
        assert_eq!(b.buffered(), b"cdef");
        assert_eq!(b.consume(4 + 3), 3);
        assert_eq!(b.end(), 0);
        assert_eq!(b.consume_all(), 0);
    }

    #[test]
    fn growth_matches_zig_array_list() {
        // Observed in Zig 0.15.1 from initCapacity(64).
        let mut caps = vec![64];
        while *caps.last().unwrap() < 12044 {
            let c = *caps.last().unwrap();
            caps.push(grow_capacity(c, c + 1));
        }
        assert_eq!(
            caps,
            [64, 224, 464, 824, 1364, 2174, 3389, 5211, 7944, 12044]
        );
    }

    #[test]
    fn borrowed_storage_does_not_grow() {
        let mut s = [0u8; 4];
        let mut b = Buffer::borrowed(&mut s);
        assert!(b.ensure_total_capacity(4).is_ok());
        assert_eq!(b.ensure_total_capacity(5), Err(WriteFailed));
    }

    #[test]
    #[should_panic(expected = "advance(3) past the buffer")]
    fn advance_past_capacity_panics() {
        let mut s = [0u8; 2];
        Buffer::borrowed(&mut s).advance(3);
    }

    #[test]
    #[should_panic(expected = "undo(1) with only 0 bytes")]
    fn undo_too_much_panics() {
        Buffer::empty().undo(1);
    }
}
