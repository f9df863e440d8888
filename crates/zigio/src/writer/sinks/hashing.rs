//! `Hashed` and `Hashing`: Zig's `Writer.Hashed` (`Writer.zig:2377-2459`)
//! and `Writer.Hashing` (`Writer.zig:2461-2505`), generic over RustCrypto's
//! [`digest::Update`].

use crate::{Buffer, DynWriter, Sink, WriteFailed, Writer, count_splat};
use digest::Update;

/// Most slices one drain hands to the downstream writer.
const FORWARD_VECS: usize = 16;

/// A pass-through sink: forwards everything to another writer in one call
/// per drain and hashes exactly the bytes that writer accepted, in order.
///
/// If the downstream writer takes only part, only that part is hashed and
/// the rest stays buffered here, so the hash always equals the hash of the
/// bytes downstream received. The downstream writer is best unbuffered or
/// lightly buffered: every drain here is a write there.
///
/// # Failures and retries
/// Each drain hands its bytes (this writer's buffered bytes, then the
/// drain's data) to the downstream writer as **one**
/// [`write_splat`](Writer::write_splat): copied whole into the downstream
/// buffer if they all fit there, otherwise offered to the downstream sink
/// in one drain and not copied at all. So when that drain fails, the
/// downstream has taken none of them (the [`Sink::drain`] contract), this
/// writer keeps every one, and a caller that retries after a transient
/// failure (`EAGAIN` from a socket) sends each byte once, with a hash of
/// exactly what arrived.
///
/// Zig 0.15.1's `Hashed.drain` calls `writeSplatHeader`, which first
/// copies the buffered bytes that fit into the downstream buffer and only
/// then drains; when that drain fails the bytes are in both buffers, and
/// the retry sends them twice.
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
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let end = buf.end();
        let accepted = {
            // [buffered, data...], cut to FORWARD_VECS slices (the last
            // slice kept is then an ordinary piece: splat 1).
            let mut vecs: [&[u8]; FORWARD_VECS] = [&[]; FORWARD_VECS];
            let mut len = 0;
            if end > 0 {
                vecs[0] = buf.buffered();
                len = 1;
            }
            let room = FORWARD_VECS - len;
            let (pieces, splat) = if data.len() <= room {
                (data, splat)
            } else {
                (&data[..room], 1)
            };
            vecs[len..len + pieces.len()].copy_from_slice(pieces);
            len += pieces.len();
            self.out.write_splat(&vecs[..len], splat)?
        };
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
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
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
