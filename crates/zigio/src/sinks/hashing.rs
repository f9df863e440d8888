//! `Hashed` and `Hashing`: Zig's `Writer.Hashed` (`Writer.zig:2377-2459`)
//! and `Writer.Hashing` (`Writer.zig:2461-2505`), generic over RustCrypto's
//! [`digest::Update`].

use crate::{Buffer, DynWriter, Sink, WriteFailed, Writer, count_splat};
use digest::Update;

/// A pass-through sink: forwards everything to another writer in one call
/// per drain and hashes exactly the bytes that writer accepted, in order.
///
/// If the downstream writer takes only part, only that part is hashed and
/// the rest stays buffered here, so the hash always equals the hash of the
/// bytes downstream received. The downstream writer is best unbuffered or
/// lightly buffered: every drain here is a write there.
pub struct Hashed<'o, 'b, H> {
    out: &'o mut DynWriter<'b>,
    /// The running hash of the bytes accepted downstream.
    pub hasher: H,
}

impl<'a, 'o, 'b, H: Update> Writer<'a, Hashed<'o, 'b, H>> {
    /// A writer that stages bytes in `buffer` and forwards them to `out`,
    /// feeding `hasher` with what `out` accepts.
    pub fn hashed(out: &'o mut DynWriter<'b>, hasher: H, buffer: impl Into<Buffer<'a>>) -> Self {
        Writer::new(buffer, Hashed { out, hasher })
    }
}

impl<'b, H> Hashed<'_, 'b, H> {
    /// The downstream writer.
    pub fn out(&mut self) -> &mut DynWriter<'b> {
        self.out
    }
}

impl<H: Update> Sink for Hashed<'_, '_, H> {
    fn drain(
        &mut self,
        buf: &mut Buffer<'_>,
        data: &[&[u8]],
        splat: usize,
    ) -> Result<usize, WriteFailed> {
        let end = buf.end();
        let accepted = self.out.write_splat_header(buf.buffered(), data, splat)?;
        if accepted < end {
            self.hasher.update(&buf.buffered()[..accepted]);
            return Ok(buf.consume(accepted));
        }
        self.hasher.update(buf.buffered());
        let n = buf.consume(accepted);
        let (pattern, rest) = data.split_last().expect("drain data is never empty");
        let mut remaining = n;
        for slice in rest {
            if remaining <= slice.len() {
                self.hasher.update(&slice[..remaining]);
                return Ok(n);
            }
            remaining -= slice.len();
            self.hasher.update(slice);
        }
        hash_repeated(&mut self.hasher, pattern, remaining);
        Ok(n)
    }
}

/// A terminal sink that hashes everything and keeps nothing.
pub struct Hashing<H> {
    /// The running hash of every byte drained.
    pub hasher: H,
}

impl<'a, H: Update> Writer<'a, Hashing<H>> {
    /// A writer that stages bytes in `buffer` and hashes them when drained.
    /// Flush before reading the hash.
    pub fn hashing(hasher: H, buffer: impl Into<Buffer<'a>>) -> Self {
        Writer::new(buffer, Hashing { hasher })
    }
}

impl<H: Update> Sink for Hashing<H> {
    fn drain(
        &mut self,
        buf: &mut Buffer<'_>,
        data: &[&[u8]],
        splat: usize,
    ) -> Result<usize, WriteFailed> {
        self.hasher.update(buf.buffered());
        buf.consume_all();
        let (pattern, rest) = data.split_last().expect("drain data is never empty");
        for slice in rest {
            self.hasher.update(slice);
        }
        hash_repeated(
            &mut self.hasher,
            pattern,
            pattern.len().saturating_mul(splat),
        );
        Ok(count_splat(data, splat))
    }
}

/// Feeds `len` bytes of `pattern` repeated to `hasher`. A one-byte pattern
/// goes through a 64-byte block, as in Zig.
fn hash_repeated<H: Update>(hasher: &mut H, pattern: &[u8], mut len: usize) {
    match pattern.len() {
        0 => debug_assert_eq!(len, 0),
        1 => {
            let block = [pattern[0]; 64];
            while len > 0 {
                let n = len.min(block.len());
                hasher.update(&block[..n]);
                len -= n;
            }
        }
        _ => {
            while len > 0 {
                let n = len.min(pattern.len());
                hasher.update(&pattern[..n]);
                len -= n;
            }
        }
    }
}
