//! Differential conformance: zigio against Zig 0.15.1's `std.Io.Writer`.
//!
//! The book claims that zigio behaves as Zig does. This crate checks it with
//! the real compiler:
//!
//! 1. [`script`]: an op-script format (JSON lines): a header naming the
//!    writer implementation, its buffer size and, for the scripted sink, a
//!    cyclic per-drain acceptance budget (including 0 and failure), then
//!    the ops (`write`, `write_all`, `write_vec(_all)`, `write_splat(_all)`,
//!    `write_splat_header`, `write_byte(_preserve)`, `splat_byte(_all,
//!    _preserve)`, `splat_bytes_all`, `flush`, `rebase`, `consume`,
//!    `writable_slice`).
//! 2. [`generate`]: seeded random scripts.
//! 3. [`exec`]: runs a script against zigio and prints a canonical trace:
//!    every drain call (entry `end`, data lengths, splat, bytes taken,
//!    result), every op's result and buffer state, the output hash.
//! 4. `zig/harness.zig` ([`harness`]): the same trace from Zig, one
//!    process for all scripts, built once in Debug with [`pinned_zig`].
//! 5. [`compare`]: line-by-line comparison, with the first difference of
//!    each script reported by seed, op and both lines.
//! 6. [`rules`]: where zigio deliberately fixes a Zig 0.15.1 bug, the op
//!    is excluded by rule (on both sides, counted), never by hand.
//!    [`later`] does the same for Zig 0.16.0 and 0.17.1, whose harness
//!    is built from the same source: an op is excluded on a release where
//!    that release behaves differently from zigio.
//! 7. [`mutant`]: broken sinks that the comparison must catch.
//!
//! 8. [`program`]: stand-alone Rust and Zig programs that print a
//!    script's trace, the book's lab's copy-out.
//!
//! [`suite`] ties them together; `tests/conformance.rs` runs it.

pub mod bugs;
pub mod compare;
pub mod exec;
pub mod generate;
pub mod harness;
pub mod later;
pub mod mutant;
pub mod program;
pub mod rules;
pub mod script;
pub mod suite;
