//! Seeded random scripts.
//!
//! The same seed always gives the same script (the generator is Zig's
//! SplitMix64, [`zigio::random::SplitMix64`]).
//! Sizes are drawn relative to the buffer so that every buffer size sees
//! writes that fit, writes that just miss, and writes far larger than the
//! buffer; the scripted sink's budget mixes 0 (no progress), failure,
//! small partial drains and drains that take everything.
//!
//! Every op respects the preconditions Zig asserts
//! ([`crate::script::validate_op`]), so no script reaches undefined
//! behaviour on the Zig side.

use zigio::random::SplitMix64;

use crate::script::{Header, Op, Script, SinkKind};

/// A seeded generator: Zig's SplitMix64, with the draws scripts need.
#[derive(Debug, Clone)]
pub struct Rng(SplitMix64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(SplitMix64::init(seed))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next()
    }

    /// Uniform in `0..=max`.
    pub fn upto(&mut self, max: usize) -> usize {
        (self.next_u64() % (max as u64 + 1)) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The implementation under test.
    pub sink: SinkKind,
    /// Buffer capacity.
    pub buffer: usize,
    /// Number of ops.
    pub ops: usize,
}

/// The script for `seed` and `shape`, numbered `id`.
pub fn script(id: u64, seed: u64, shape: Shape) -> Script {
    let mut rng = Rng::new(seed ^ (shape.buffer as u64).wrapping_mul(0x9e37_79b9));
    let budget = if shape.sink == SinkKind::Scripted {
        budget(&mut rng)
    } else {
        Vec::new()
    };
    let mut g = Gen {
        rng,
        cap: shape.buffer,
        grows: shape.sink == SinkKind::Allocating,
        next_char: 0,
    };
    let ops = (0..shape.ops).map(|_| g.op()).collect();
    Script {
        header: Header {
            script: id,
            seed,
            sink: shape.sink,
            buffer: shape.buffer,
            budget,
            fail_after: None,
        },
        ops,
    }
}

/// 1 to 6 entries: 0, failure, 1..=8, 9..=64, 65..=5000 or "everything";
/// never all zeros.
fn budget(rng: &mut Rng) -> Vec<Option<usize>> {
    let len = 1 + rng.upto(5);
    let mut budget: Vec<Option<usize>> = (0..len)
        .map(|_| match rng.upto(9) {
            0 | 1 => Some(0),
            2 => None,
            3..=5 => Some(1 + rng.upto(7)),
            6 | 7 => Some(9 + rng.upto(55)),
            8 => Some(65 + rng.upto(4935)),
            _ => Some(1 << 20),
        })
        .collect();
    if budget.iter().all(|b| *b == Some(0)) {
        budget[0] = Some(1 + rng.upto(15));
    }
    budget
}

struct Gen {
    rng: Rng,
    cap: usize,
    grows: bool,
    /// Bytes are a running sequence of printable ASCII, so that a drain
    /// that takes the wrong bytes changes the output hash.
    next_char: u8,
}

impl Gen {
    /// A length: usually small, sometimes up to a few hundred bytes,
    /// sometimes around the buffer's size, rarely beyond it. (Large
    /// buffers get long writes rarely, to keep scripts small.)
    fn len(&mut self) -> usize {
        let cap = self.cap;
        match self.rng.upto(99) {
            0..=4 => 0,
            5..=69 => 1 + self.rng.upto(15),
            70..=89 => self.rng.upto((cap + 8).min(256)),
            90..=97 if cap <= 64 => cap.saturating_sub(4) + self.rng.upto(8),
            90..=97 => self.rng.upto(cap.min(1024)),
            _ => cap + self.rng.upto(cap.min(512) + 40),
        }
    }

    fn bytes(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| {
                // ' ' ..= '~', including '"' and '\\' (JSON escapes).
                let c = b' ' + self.next_char % 95;
                self.next_char = self
                    .next_char
                    .wrapping_add(1 + (self.rng.next_u64() % 3) as u8);
                c as char
            })
            .collect()
    }

    fn some_bytes(&mut self) -> String {
        let n = self.len();
        self.bytes(n)
    }

    fn data(&mut self) -> Vec<String> {
        let n = 1 + self.rng.upto(4);
        (0..n)
            .map(|_| {
                if self.rng.chance(15) {
                    String::new()
                } else {
                    let n = self.len() / 2;
                    self.bytes(n)
                }
            })
            .collect()
    }

    fn splat(&mut self) -> usize {
        if self.rng.chance(90) {
            self.rng.upto(6)
        } else {
            self.rng.upto(40)
        }
    }

    fn byte(&mut self) -> u8 {
        b'a' + self.rng.upto(25) as u8
    }

    /// `(preserve, len)` with `preserve + len <= cap`, unless the buffer
    /// grows (then anything moderate).
    fn preserve_and_len(&mut self) -> (usize, usize) {
        if self.grows {
            let p = self.rng.upto(self.cap + 20);
            let l = self.rng.upto(self.cap + 100);
            return (p, l);
        }
        let total = self.rng.upto(self.cap);
        let p = self.rng.upto(total);
        (p, total - p)
    }

    fn op(&mut self) -> Op {
        match self.rng.upto(99) {
            0..=11 => Op::Write {
                bytes: self.some_bytes(),
            },
            12..=25 => Op::WriteAll {
                bytes: self.some_bytes(),
            },
            26..=31 => Op::WriteVec { data: self.data() },
            32..=39 => Op::WriteVecAll { data: self.data() },
            40..=44 => Op::WriteSplat {
                data: self.data(),
                splat: self.splat(),
            },
            45..=51 => Op::WriteSplatAll {
                data: self.data(),
                splat: self.splat(),
            },
            52..=57 => {
                let header_len = self.rng.upto(20);
                Op::WriteSplatHeader {
                    header: self.bytes(header_len),
                    data: self.data(),
                    splat: self.splat(),
                    limit: if self.rng.chance(50) {
                        None
                    } else {
                        Some(self.rng.upto(self.cap + 40))
                    },
                }
            }
            58..=63 => Op::WriteByte { byte: self.byte() },
            64..=66 if self.cap > 0 || self.grows => {
                let preserve = if self.grows {
                    self.rng.upto(self.cap + 8)
                } else {
                    self.rng.upto(self.cap - 1)
                };
                Op::WriteBytePreserve {
                    preserve,
                    byte: self.byte(),
                }
            }
            67..=69 => Op::SplatByte {
                byte: self.byte(),
                n: self.len(),
            },
            70..=74 => Op::SplatByteAll {
                byte: self.byte(),
                n: self.len(),
            },
            75..=77 => Op::SplatBytePreserve {
                preserve: if self.grows {
                    self.rng.upto(self.cap + 8)
                } else {
                    self.rng.upto(self.cap)
                },
                byte: self.byte(),
                n: self.len(),
            },
            78..=80 => {
                let n = 1 + self.rng.upto(7);
                Op::SplatBytesAll {
                    bytes: self.bytes(n),
                    splat: self.splat(),
                }
            }
            81..=86 => Op::Flush,
            87..=91 => {
                let (preserve, capacity) = self.preserve_and_len();
                Op::Rebase { preserve, capacity }
            }
            92..=94 => Op::Consume {
                n: self.rng.upto(self.cap + 3),
            },
            _ => {
                let (preserve, len) = self.preserve_and_len();
                Op::WritableSlice {
                    len,
                    preserve,
                    byte: self.byte(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::validate_op;

    #[test]
    fn the_same_seed_gives_the_same_script() {
        let shape = Shape {
            sink: SinkKind::Scripted,
            buffer: 7,
            ops: 300,
        };
        assert_eq!(script(1, 42, shape), script(1, 42, shape));
        assert_ne!(script(1, 42, shape).ops, script(1, 43, shape).ops);
    }

    #[test]
    fn every_generated_op_is_valid_for_every_shape() {
        for sink in SinkKind::ALL {
            for buffer in [0, 1, 7, 16, 64, 4096] {
                let s = script(
                    0,
                    7,
                    Shape {
                        sink,
                        buffer,
                        ops: 2000,
                    },
                );
                for op in &s.ops {
                    validate_op(op, &s.header).unwrap_or_else(|e| panic!("{sink:?} {buffer}: {e}"));
                }
                crate::script::validate_header(&s.header).unwrap();
            }
        }
    }
}
