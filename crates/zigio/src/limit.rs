//! [`Limit`]: how many bytes an operation may move, Zig's `std.Io.Limit`
//! (`Io.zig:12-80`).

use core::fmt;

/// An upper bound on the number of bytes an operation may transfer.
///
/// Zig encodes it as `enum(usize) { nothing = 0, unlimited = maxInt(usize), _ }`;
/// the port keeps that encoding, so `Limit::limited(usize::MAX)` *is*
/// [`Limit::UNLIMITED`], exactly as in Zig.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Limit(usize);

impl Limit {
    /// Zero bytes may move.
    pub const NOTHING: Limit = Limit(0);
    /// No bound: `usize::MAX`.
    pub const UNLIMITED: Limit = Limit(usize::MAX);

    /// At most `n` bytes. `usize::MAX` means unlimited.
    pub const fn limited(n: usize) -> Limit {
        Limit(n)
    }

    /// At most `n` bytes, saturating to unlimited when `n` exceeds `usize`.
    pub const fn limited64(n: u64) -> Limit {
        if n > usize::MAX as u64 {
            Limit::UNLIMITED
        } else {
            Limit(n as usize)
        }
    }

    /// The total length of `data`, as a limit.
    pub fn count_vec(data: &[&[u8]]) -> Limit {
        Limit(data.iter().map(|d| d.len()).sum())
    }

    /// The smaller of two limits.
    pub fn min(self, other: Limit) -> Limit {
        Limit(self.0.min(other.0))
    }

    /// `min(n, limit)`.
    pub const fn min_int(self, n: usize) -> usize {
        if n < self.0 { n } else { self.0 }
    }

    /// `min(n, limit)` for a 64-bit count.
    pub fn min_int64(self, n: u64) -> usize {
        n.min(self.0 as u64) as usize
    }

    /// The prefix of `s` that the limit allows.
    pub fn slice(self, s: &mut [u8]) -> &mut [u8] {
        let n = self.min_int(s.len());
        &mut s[..n]
    }

    /// The prefix of `s` that the limit allows.
    pub fn slice_const(self, s: &[u8]) -> &[u8] {
        &s[..self.min_int(s.len())]
    }

    /// The number of bytes, or `None` for [`Limit::UNLIMITED`].
    pub const fn to_int(self) -> Option<usize> {
        if self.0 == usize::MAX {
            None
        } else {
            Some(self.0)
        }
    }

    /// The raw value: the byte count, `usize::MAX` for unlimited.
    pub const fn get(self) -> usize {
        self.0
    }

    /// The prefix of `buf` of length `min(limit + 1, buf.len())`: one byte more
    /// than the limit, so that a reader can tell "limit reached" from "end of
    /// stream".
    ///
    /// # Panics
    /// If `buf` is empty (Zig asserts the same).
    pub fn slice1(self, buf: &mut [u8]) -> &mut [u8] {
        assert!(!buf.is_empty(), "Limit::slice1 needs a non-empty buffer");
        let n = self.0.saturating_add(1).min(buf.len());
        &mut buf[..n]
    }

    /// Whether any byte may move.
    pub const fn nonzero(self) -> bool {
        self.0 > 0
    }

    /// The limit left after moving `amount` bytes, or `None` if `amount`
    /// exceeds it. Unlimited stays unlimited.
    pub const fn subtract(self, amount: usize) -> Option<Limit> {
        if self.0 == usize::MAX {
            Some(Limit::UNLIMITED)
        } else if amount > self.0 {
            None
        } else {
            Some(Limit(self.0 - amount))
        }
    }
}

impl fmt::Debug for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("Limit::NOTHING"),
            usize::MAX => f.write_str("Limit::UNLIMITED"),
            n => write!(f, "Limit::limited({n})"),
        }
    }
}

impl From<usize> for Limit {
    fn from(n: usize) -> Limit {
        Limit(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_matches_zig() {
        assert_eq!(Limit::limited(usize::MAX), Limit::UNLIMITED);
        assert_eq!(Limit::limited(0), Limit::NOTHING);
        assert_eq!(Limit::limited64(u64::MAX), Limit::UNLIMITED);
        assert_eq!(Limit::limited64(7), Limit::limited(7));
        assert_eq!(Limit::UNLIMITED.to_int(), None);
        assert_eq!(Limit::limited(9).to_int(), Some(9));
    }

    #[test]
    fn helpers() {
        let l = Limit::limited(3);
        assert_eq!(l.min_int(10), 3);
        assert_eq!(l.min_int(2), 2);
        assert_eq!(l.min_int64(1 << 40), 3);
        assert_eq!(l.slice_const(b"hello"), b"hel");
        let mut buf = [0u8; 8];
        assert_eq!(l.slice(&mut buf).len(), 3);
        assert_eq!(l.slice1(&mut buf).len(), 4);
        assert_eq!(Limit::UNLIMITED.slice1(&mut buf).len(), 8);
        assert_eq!(Limit::count_vec(&[b"ab", b"cde"]), Limit::limited(5));
        assert_eq!(l.min(Limit::limited(2)), Limit::limited(2));
        assert!(l.nonzero());
        assert!(!Limit::NOTHING.nonzero());
        assert_eq!(l.subtract(2), Some(Limit::limited(1)));
        assert_eq!(l.subtract(4), None);
        assert_eq!(Limit::UNLIMITED.subtract(4), Some(Limit::UNLIMITED));
        assert_eq!(format!("{:?}", l), "Limit::limited(3)");
    }

    #[test]
    #[should_panic(expected = "non-empty buffer")]
    fn slice1_rejects_empty() {
        Limit::limited(1).slice1(&mut []);
    }
}
