//! [`SplitMix64`]: Zig's `std.Random.SplitMix64` (`lib/std/Random/SplitMix64.zig`),
//! the seeded generator the book's workloads draw their write sizes from.
//!
//! It is not part of the I/O interface. It is here so that a Rust program
//! and its Zig original can produce the same sequence of writes from the
//! same seed without either of them carrying its own copy of the generator.

/// Sebastiano Vigna's SplitMix64: 64 bits of state, advanced by a constant
/// and mixed on every call, so the whole sequence is fixed by the seed.
///
/// The same algorithm, with the same constants, as Zig's
/// `std.Random.SplitMix64` (unchanged in 0.15.1, 0.16.0 and 0.17.1).
///
/// ```
/// use zigio::random::SplitMix64;
///
/// let mut rng = SplitMix64::init(42);
/// assert_eq!(rng.next(), 13679457532755275413);
/// assert_eq!(rng.next(), 2949826092126892291);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    /// The state, Zig's field `s`.
    pub s: u64,
}

impl SplitMix64 {
    /// A generator whose state is `seed`, as Zig's `init`.
    pub const fn init(seed: u64) -> SplitMix64 {
        SplitMix64 { s: seed }
    }

    /// The next 64 bits, as Zig's `next`.
    // Zig's name; the generator never ends, so it is not an `Iterator`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.s = self.s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn the_sequence_is_fixed_by_the_seed() {
        let mut a = SplitMix64::init(7);
        let mut b = SplitMix64::init(7);
        for _ in 0..100 {
            assert_eq!(a.next(), b.next());
        }
        assert_ne!(SplitMix64::init(7).next(), SplitMix64::init(8).next());
    }

    #[test]
    fn the_third_value_for_seed_42() {
        let mut rng = SplitMix64::init(42);
        rng.next();
        rng.next();
        assert_eq!(rng.next(), 5139283748462763858);
    }
}
