//! [`ReadBuffer`]: the storage and the two indices that Zig keeps in the
//! reader interface (`buffer: []u8`, `seek: usize`, `end: usize`,
//! `Io/Reader.zig:16-21`).

/// Where a reader's bytes wait to be consumed: storage plus `seek` (bytes at
/// the front already consumed) and `end` (bytes after it are not data).
///
/// `buffered()` is `storage[seek..end]`. Storage is borrowed from the caller,
/// owned, or, for [`Reader::fixed`](crate::Reader::fixed), the read-only
/// bytes being read, which are never written to: such a buffer always has
/// `end == capacity`, so its unused capacity is empty.
///
/// Invariant: `seek <= end <= capacity()`.
#[derive(Debug, Default)]
pub struct ReadBuffer<'a> {
    storage: Storage<'a>,
    seek: usize,
    end: usize,
}

#[derive(Debug)]
enum Storage<'a> {
    /// The contents of a fixed reader: `end == len` always.
    Shared(&'a [u8]),
    Borrowed(&'a mut [u8]),
    Owned(Box<[u8]>),
}

impl Default for Storage<'_> {
    fn default() -> Self {
        Storage::Shared(&[])
    }
}

impl<'a> ReadBuffer<'a> {
    /// A zero-capacity buffer: the reader is unbuffered.
    pub fn empty() -> ReadBuffer<'a> {
        ReadBuffer::default()
    }

    /// Caller storage, holding no bytes yet.
    pub fn borrowed(storage: &'a mut [u8]) -> ReadBuffer<'a> {
        ReadBuffer {
            storage: Storage::Borrowed(storage),
            seek: 0,
            end: 0,
        }
    }

    /// Owned storage of `capacity` bytes, holding no bytes yet.
    pub fn with_capacity(capacity: usize) -> ReadBuffer<'static> {
        ReadBuffer {
            storage: Storage::Owned(vec![0; capacity].into_boxed_slice()),
            seek: 0,
            end: 0,
        }
    }

    /// `contents` as already-buffered bytes that are never overwritten (the
    /// buffer of Zig's `Reader.fixed`).
    pub(crate) fn shared(contents: &'a [u8]) -> ReadBuffer<'a> {
        ReadBuffer {
            storage: Storage::Shared(contents),
            seek: 0,
            end: contents.len(),
        }
    }

    fn as_slice(&self) -> &[u8] {
        match &self.storage {
            Storage::Shared(s) => s,
            Storage::Borrowed(s) => s,
            Storage::Owned(s) => s,
        }
    }

    /// The whole storage, mutably; empty for read-only contents.
    pub(crate) fn storage_mut(&mut self) -> &mut [u8] {
        match &mut self.storage {
            Storage::Shared(_) => &mut [],
            Storage::Borrowed(s) => s,
            Storage::Owned(s) => s,
        }
    }

    /// Total capacity: `buffer.len` in Zig.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.as_slice().len()
    }

    /// Bytes at the front already consumed: Zig's `seek`.
    #[inline]
    pub fn seek(&self) -> usize {
        self.seek
    }

    /// End of the buffered bytes: Zig's `end`.
    #[inline]
    pub fn end(&self) -> usize {
        self.end
    }

    /// The bytes read from the source and not yet consumed:
    /// `buffer[seek..end]` (`Io/Reader.zig:410-412`).
    #[inline]
    pub fn buffered(&self) -> &[u8] {
        &self.as_slice()[self.seek..self.end]
    }

    /// `end - seek` (`Io/Reader.zig:414-416`).
    #[inline]
    pub fn buffered_len(&self) -> usize {
        self.end - self.seek
    }

    /// Consumes `n` buffered bytes (`Io/Reader.zig:487-490`).
    ///
    /// # Panics
    /// If fewer than `n` bytes are buffered.
    #[inline]
    pub fn toss(&mut self, n: usize) {
        assert!(
            n <= self.buffered_len(),
            "toss({n}) with only {} bytes buffered",
            self.buffered_len()
        );
        self.seek += n;
    }

    /// Consumes every buffered byte: `seek = end` (`Io/Reader.zig:493-495`).
    #[inline]
    pub fn toss_all(&mut self) {
        self.seek = self.end;
    }

    /// Consumes `n` buffered bytes and returns them.
    ///
    /// # Panics
    /// If fewer than `n` bytes are buffered.
    #[inline]
    pub fn take(&mut self, n: usize) -> &[u8] {
        let start = self.seek;
        self.toss(n);
        &self.as_slice()[start..start + n]
    }

    /// `buffer[end..]`: where a source stores newly read bytes before
    /// [`advance`](Self::advance). Empty for read-only contents.
    #[inline]
    pub fn unused_capacity_slice(&mut self) -> &mut [u8] {
        let end = self.end;
        match &mut self.storage {
            // `end == len` for shared contents.
            Storage::Shared(_) => &mut [],
            Storage::Borrowed(s) => &mut s[end..],
            Storage::Owned(s) => &mut s[end..],
        }
    }

    /// `capacity - end`.
    #[inline]
    pub fn unused_capacity_len(&self) -> usize {
        self.capacity() - self.end
    }

    /// Marks `n` bytes stored at `buffer[end..]` as buffered: `end += n`.
    ///
    /// # Panics
    /// If `end + n` exceeds the capacity.
    #[inline]
    pub fn advance(&mut self, n: usize) {
        assert!(
            n <= self.unused_capacity_len(),
            "advance({n}) past the read buffer: end {} + {n} > capacity {}",
            self.end,
            self.capacity()
        );
        self.end += n;
    }

    /// Forgets every buffered byte and makes the whole storage unused:
    /// `seek = end = 0`. Read-only contents are dropped (their capacity
    /// becomes 0), since they cannot be overwritten.
    pub fn clear(&mut self) {
        if let Storage::Shared(_) = self.storage {
            self.storage = Storage::Shared(&[]);
        }
        self.seek = 0;
        self.end = 0;
    }

    /// Moves the buffered bytes to the front of the storage (`seek = 0`), the
    /// move of Zig's `defaultRebase` (`Io/Reader.zig:1244-1251`). Read-only
    /// contents are re-sliced instead of moved.
    pub fn compact(&mut self) {
        let (seek, end) = (self.seek, self.end);
        match &mut self.storage {
            Storage::Shared(s) => *s = &s[seek..],
            Storage::Borrowed(s) => s.copy_within(seek..end, 0),
            Storage::Owned(s) => s.copy_within(seek..end, 0),
        }
        self.seek = 0;
        self.end = end - seek;
    }
}

impl<'a> From<&'a mut [u8]> for ReadBuffer<'a> {
    fn from(s: &'a mut [u8]) -> ReadBuffer<'a> {
        ReadBuffer::borrowed(s)
    }
}

impl<'a, const N: usize> From<&'a mut [u8; N]> for ReadBuffer<'a> {
    fn from(s: &'a mut [u8; N]) -> ReadBuffer<'a> {
        ReadBuffer::borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_toss_compact() {
        let mut s = [0u8; 8];
        let mut b = ReadBuffer::borrowed(&mut s);
        b.unused_capacity_slice()[..5].copy_from_slice(b"hello");
        b.advance(5);
        assert_eq!(b.take(2), b"he");
        assert_eq!(b.buffered(), b"llo");
        b.compact();
        assert_eq!((b.seek(), b.end(), b.buffered()), (0, 3, &b"llo"[..]));
        assert_eq!(b.unused_capacity_len(), 5);
        b.clear();
        assert_eq!(b.buffered_len(), 0);
    }

    #[test]
    fn shared_contents_are_never_written() {
        let mut b = ReadBuffer::shared(b"abc");
        assert!(b.unused_capacity_slice().is_empty());
        b.toss(1);
        b.compact();
        assert_eq!(b.buffered(), b"bc");
        assert_eq!(b.capacity(), 2);
        b.clear();
        assert_eq!(b.capacity(), 0);
    }

    #[test]
    #[should_panic(expected = "toss(4) with only 3 bytes buffered")]
    fn toss_too_much_panics() {
        ReadBuffer::shared(b"abc").toss(4);
    }
}
