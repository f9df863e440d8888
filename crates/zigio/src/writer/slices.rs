//! Writing straight into the buffer: writable slices and rebase
//! (`Writer.zig:333-433`).

use super::Writer;
use crate::{Sink, WriteFailed};

impl<S: Sink + ?Sized> Writer<'_, S> {
    /// Makes room for `unused_capacity_len` more bytes, keeping the newest
    /// `preserve` buffered bytes buffered (`Writer.zig:333-339`). Returns at
    /// once if the room is already there; otherwise calls the sink's
    /// [`rebase`](Sink::rebase).
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut storage = [0u8; 8];
    /// let mut w = Writer::fixed(&mut storage);
    /// w.write_all(b"abcdef")?;
    /// // Room for 2 more bytes is there already: nothing happens.
    /// w.rebase(2, 2)?;
    /// // Room for 4 is not, and a fixed writer cannot drain.
    /// assert!(w.rebase(2, 4).is_err());
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    #[inline]
    pub fn rebase(
        &mut self, preserve: usize, unused_capacity_len: usize,
    ) -> Result<(), WriteFailed> {
        if self.buf.unused_capacity_len() >= unused_capacity_len {
            return Ok(());
        }
        self.sink
            .rebase(&mut self.buf, preserve, unused_capacity_len)
    }

    /// The whole unused capacity, at least `minimum_len` bytes long, without
    /// advancing `end` (`Writer.zig:389-396`). Write into it, then call
    /// [`advance`](Self::advance) with the number of bytes written.
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut storage = [0u8; 16];
    /// let mut w = Writer::fixed(&mut storage);
    /// let room = w.writable_slice_greedy(4)?;
    /// assert_eq!(room.len(), 16); // all of the unused capacity
    /// room[..2].copy_from_slice(b"ok");
    /// w.advance(2); // only what was written counts
    /// assert_eq!(w.buffered(), b"ok");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    pub fn writable_slice_greedy(&mut self, minimum_len: usize) -> Result<&mut [u8], WriteFailed> {
        self.writable_slice_greedy_preserve(0, minimum_len)
    }

    /// Like [`writable_slice_greedy`](Self::writable_slice_greedy), keeping
    /// the newest `preserve` bytes buffered if the sink has to make room
    /// (`Writer.zig:398-415`).
    ///
    /// # Panics
    /// If the sink's rebase returns without making the room (a broken sink),
    /// or if `preserve + minimum_len` exceeds a buffer that cannot grow (Zig
    /// asserts the same).
    pub fn writable_slice_greedy_preserve(
        &mut self, preserve: usize, minimum_len: usize,
    ) -> Result<&mut [u8], WriteFailed> {
        if self.buf.unused_capacity_len() < minimum_len {
            self.sink.rebase(&mut self.buf, preserve, minimum_len)?;
            assert!(
                self.buf.unused_capacity_len() >= minimum_len,
                "rebase(preserve: {preserve}, minimum_len: {minimum_len}) left only {} free bytes",
                self.buf.unused_capacity_len()
            );
        }
        Ok(self.buf.unused_capacity_slice())
    }

    /// Exactly `len` bytes of the buffer to write into; `end` is advanced
    /// past them (`Writer.zig:380-387`). On a fixed writer without room this
    /// fails (its rebase fails).
    ///
    /// ```
    /// use zigio::Writer;
    ///
    /// let mut w = Writer::allocating();
    /// // Format straight into the buffer, then keep the bytes.
    /// let slice = w.writable_slice(3)?;
    /// slice.copy_from_slice(b"xyz");
    /// assert_eq!(w.written(), b"xyz");
    /// # Ok::<(), zigio::WriteFailed>(())
    /// ```
    pub fn writable_slice(&mut self, len: usize) -> Result<&mut [u8], WriteFailed> {
        self.writable_slice_preserve(0, len)
    }

    /// Like [`writable_slice`](Self::writable_slice), keeping the newest
    /// `preserve` bytes buffered if the sink has to make room
    /// (`Writer.zig:417-429`).
    pub fn writable_slice_preserve(
        &mut self, preserve: usize, len: usize,
    ) -> Result<&mut [u8], WriteFailed> {
        self.writable_slice_greedy_preserve(preserve, len)?;
        let start = self.buf.end();
        self.buf.advance(len);
        Ok(&mut self.buf.as_mut_slice()[start..start + len])
    }

    /// A fixed-size array in the buffer; `end` is advanced past it
    /// (`Writer.zig:371-378`).
    pub fn writable_array<const N: usize>(&mut self) -> Result<&mut [u8; N], WriteFailed> {
        let slice = self.writable_slice(N)?;
        Ok(slice.try_into().expect("writable_slice returned N bytes"))
    }

    /// Makes sure `n` bytes fit without a drain (`Writer.zig:431-433`).
    pub fn ensure_unused_capacity(&mut self, n: usize) -> Result<(), WriteFailed> {
        self.writable_slice_greedy(n).map(|_| ())
    }
}
