//! Side by side: zigio, Rust's `std::io::BufWriter` and Zig 0.15.1's
//! `std.Io.Writer` on the same workloads, in one run.
//!
//! `cargo xtask bench` runs [`runner::run`]: it builds `zig/bench.zig`
//! ReleaseFast with the pinned compiler, runs every [`spec::Workload`] in
//! rounds with the implementations alternating (each case a process of its
//! own: this crate's binary as `worker` for zigio and std, the Zig program
//! for Zig), counts each case's system calls with `strace -c -f`, sweeps
//! buffer sizes from 0 to 64 KiB and the size of data the file writer
//! tops its buffer up with ([`drain`]), and saves [`results::Results`] as JSON
//! under `target/sidebyside/` and in `book/data/measurements.json`, from
//! which [`render::render`] writes the tables and SVG charts that the
//! book's "Measurements" page includes (the page's prose quotes the same
//! data through `{{#figure ...}}`).

pub mod charts;
pub mod drain;
pub mod error;
pub mod machine;
pub mod render;
pub mod report;
pub mod results;
pub mod runner;
pub mod spec;
pub mod strace;
pub mod worker;

pub use error::Error;
