//! Integers and slices of integers in a chosen byte order
//! (`Writer.zig:831-880`).

use super::Writer;
use crate::{Sink, WriteFailed};

/// Byte order for [`Writer::write_int`] and [`Writer::write_slice_endian`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endian {
    /// Least significant byte first.
    Little,
    /// Most significant byte first.
    Big,
}

impl Endian {
    /// The byte order of the target.
    pub const NATIVE: Endian = if cfg!(target_endian = "little") {
        Endian::Little
    } else {
        Endian::Big
    };
}

/// A primitive integer that can be written in either byte order.
pub trait Int: Copy + sealed::Sealed {
    /// Width in bytes.
    const SIZE: usize;
    /// Calls `f` with the integer's bytes in the given order.
    fn with_bytes<R>(self, endian: Endian, f: impl FnOnce(&[u8]) -> R) -> R;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! impl_int {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Int for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            #[inline]
            fn with_bytes<R>(self, endian: Endian, f: impl FnOnce(&[u8]) -> R) -> R {
                match endian {
                    Endian::Little => f(&self.to_le_bytes()),
                    Endian::Big => f(&self.to_be_bytes()),
                }
            }
        }
    )*};
}
impl_int!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

impl<S: Sink + ?Sized> Writer<'_, S> {
    /// Writes `value` in the given byte order (`Writer.zig:831-836`).
    #[inline]
    pub fn write_int<T: Int>(&mut self, value: T, endian: Endian) -> Result<(), WriteFailed> {
        value.with_bytes(endian, |b| self.write_all(b))
    }

    /// Writes each element of `slice` in the given byte order
    /// (`Writer.zig:861-880`).
    ///
    /// Zig writes a native-order slice with a single `writeAll` of its
    /// memory; safe Rust cannot view `&[u16]` as bytes without a crate for
    /// it, so this writes element by element in both orders, as Zig's
    /// `writeSliceSwap` does. The bytes are the same; only the split into
    /// drain calls can differ when the buffer fills mid-slice.
    pub fn write_slice_endian<T: Int>(
        &mut self, slice: &[T], endian: Endian,
    ) -> Result<(), WriteFailed> {
        for &v in slice {
            self.write_int(v, endian)?;
        }
        Ok(())
    }
}
