//! The drain sweep: how large may the data be that zigio's file writer
//! tops its buffer up with, instead of sending buffer and data in one
//! vectored call as Zig does?
//!
//! For each record size, zigio writes the same bytes twice through a
//! 4096-byte buffer, once with every drain topped up (`top-up`: the limit
//! is the buffer's capacity) and once with every drain vectored
//! (`vectored`: the limit is 0, Zig's drain), to `/dev/null` on CPU time
//! and to a pipe on wall-clock time. The ratio top-up / vectored per round,
//! and its median over the rounds, says which drain is faster at that size;
//! [`DrainSweep::largest_top_up_win`] is the size up to which topping up
//! never lost.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::report::median;
use crate::runner::{Programs, rotated, run_timed};
use crate::spec::{self, Clock, Impl, Job, Target};

/// Record sizes of the sweep, from the 16-byte record to three quarters
/// of the buffer.
pub const SIZES: [usize; 7] = [16, 64, 256, 512, 1024, 2048, 3072];

/// Bytes written per repetition at every size (32 MiB, divided by the
/// run's scale).
pub const BYTES: u64 = 32 << 20;

/// The job workload of the sweep's processes.
pub const WORKLOAD: &str = "records";

/// The two drains compared, as the prefixes of the job's variant.
pub const DRAINS: [&str; 2] = ["top-up", "vectored"];

/// The job variant of `drain` at record size `size`, e.g. `top-up-512`.
pub fn variant(drain: &str, size: usize) -> String {
    format!("{drain}-{size}")
}

/// Reads [`variant`]'s names back: the drain and the record size.
pub fn parse_variant(variant: &str) -> Option<(&'static str, usize)> {
    let (drain, size) = variant.rsplit_once('-')?;
    let drain = DRAINS.into_iter().find(|d| *d == drain)?;
    Some((drain, size.parse().ok().filter(|&s| s > 0)?))
}

/// The sweep to one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrainSweep {
    /// Where the bytes went.
    pub target: Target,
    /// Which time was compared.
    pub clock: Clock,
    /// Record sizes, bytes.
    pub sizes: Vec<usize>,
    /// Median over the rounds of the per-round ratio top-up / vectored,
    /// per size.
    pub ratios: Vec<f64>,
    /// The largest size up to which every median ratio is at most 1:
    /// topping up was never slower. `None` if it was slower at the
    /// smallest size.
    pub largest_top_up_win: Option<usize>,
}

/// The largest size of `sizes` up to which every ratio is at most 1.
fn largest_win(sizes: &[usize], ratios: &[f64]) -> Option<usize> {
    sizes
        .iter()
        .zip(ratios)
        .take_while(|(_, r)| **r <= 1.0)
        .last()
        .map(|(s, _)| *s)
}

/// Runs the sweep to `/dev/null` and to a pipe, `rounds` rounds each, the
/// two drains' order rotating from round to round.
///
/// # Errors
/// The first process that fails, with its output.
pub fn run(rounds: u32, scale: u64, p: &Programs) -> Result<Vec<DrainSweep>, Error> {
    let mut out = Vec::new();
    for target in [Target::Null, Target::Pipe] {
        let clock = spec::clock_of(target);
        let mut ratios = Vec::new();
        for size in SIZES {
            let count = BYTES / scale.max(1) / size as u64;
            let bytes = count * size as u64;
            let mut per_round = Vec::new();
            for round in 0..rounds {
                let mut best = [0f64; 2];
                for (i, drain) in rotated(
                    &DRAINS.iter().enumerate().collect::<Vec<_>>(),
                    round as usize,
                ) {
                    let job = Job {
                        workload: WORKLOAD.to_string(),
                        variant: variant(drain, size),
                        target,
                        buf: spec::BUFFER,
                        count,
                        reps: 3,
                        dry: false,
                        files: None,
                    };
                    let t = run_timed(Impl::Zigio, &job, bytes, clock, p)?;
                    best[i] = *t.iter().min().expect("reps >= 1") as f64;
                }
                per_round.push(best[0] / best[1]);
            }
            let ratio = median(&per_round).expect("rounds >= 1");
            eprintln!(
                "drain {} {size:>5} bytes: top-up / vectored {ratio:.3}",
                target.as_str()
            );
            ratios.push(ratio);
        }
        out.push(DrainSweep {
            target,
            clock,
            sizes: SIZES.to_vec(),
            largest_top_up_win: largest_win(&SIZES, &ratios),
            ratios,
        });
    }
    Ok(out)
}

/// The anchor of the sweep's table on the Measurements page.
pub const ANCHOR: &str = "bench-drain";

/// The sweep's table, Markdown: one row per record size, one column per
/// target, under a heading with the id [`ANCHOR`]; `None` when the run
/// made no drain sweep.
pub fn table(sweeps: &[DrainSweep], rounds: u32) -> Option<String> {
    use std::fmt::Write;
    let first = sweeps.first()?;
    let mut p = format!(
        "### Topping up against one vectored call {{#{ANCHOR}}}\n\n\
         zigio's time with every drain topped up divided by its time with every drain \
         vectored, through a {}-byte buffer, median of {rounds} rounds (below 1: topping \
         up was faster).\n\n| Record | Share of the buffer |",
        spec::BUFFER
    );
    for s in sweeps {
        let clock = match s.clock {
            Clock::Cpu => "CPU time",
            Clock::Wall => "wall-clock time",
        };
        let _ = write!(p, " {}, {clock} |", target_name(s.target));
    }
    p.push_str("\n|---:|---:|");
    p.push_str(&"---:|".repeat(sweeps.len()));
    p.push('\n');
    for (i, size) in first.sizes.iter().enumerate() {
        let _ = write!(p, "| {size} B | {} |", share(*size));
        for s in sweeps {
            match s.ratios.get(i) {
                Some(r) => {
                    let _ = write!(p, " {r:.3} |");
                }
                None => p.push_str(" – |"),
            }
        }
        p.push('\n');
    }
    Some(p)
}

/// `size / BUFFER` as a reduced fraction, e.g. `1/8`, `3/4`.
fn share(size: usize) -> String {
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let g = gcd(size, spec::BUFFER).max(1);
    format!("{}/{}", size / g, spec::BUFFER / g)
}

fn target_name(target: Target) -> &'static str {
    match target {
        Target::Null => "/dev/null",
        Target::Pipe => "pipe",
        Target::None => "memory",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// zigio's default limit, an eighth of the buffer, is within the sizes
    /// up to which topping up never lost in the run the book records.
    #[test]
    fn the_recorded_run_justifies_zigios_share() {
        let paths = crate::render::BookPaths::repository();
        let text = std::fs::read_to_string(paths.data()).expect("the recorded run");
        let results = crate::results::Results::from_json(&text, "measurements.json").unwrap();
        let limit = spec::BUFFER / zigio::fs::FileSink::SMALL_DATA_SHARE;
        assert_eq!(results.drain_sweep.len(), 2, "the run has no drain sweep");
        for s in &results.drain_sweep {
            let win = s.largest_top_up_win.unwrap_or(0);
            assert!(
                limit <= win,
                "{}: zigio tops up data of up to {limit} bytes, but topping up lost \
                 above {win} bytes in the recorded run ({:?} at {:?})",
                target_name(s.target),
                s.ratios,
                s.sizes
            );
        }
    }

    #[test]
    fn variants_round_trip() {
        assert_eq!(
            parse_variant(&variant("top-up", 512)),
            Some(("top-up", 512))
        );
        assert_eq!(parse_variant("vectored-16"), Some(("vectored", 16)));
        assert_eq!(parse_variant("vectored-0"), None);
        assert_eq!(parse_variant("sideways-16"), None);
        assert_eq!(parse_variant("top-up"), None);
    }

    #[test]
    fn the_table_has_a_row_per_size_and_a_column_per_target() {
        let sweep = |target, ratios: Vec<f64>| DrainSweep {
            target,
            clock: spec::clock_of(target),
            sizes: vec![16, 3072],
            largest_top_up_win: largest_win(&[16, 3072], &ratios),
            ratios,
        };
        let t = table(
            &[
                sweep(Target::Null, vec![0.9, 1.2]),
                sweep(Target::Pipe, vec![0.8, 1.1]),
            ],
            9,
        )
        .unwrap();
        assert!(t.contains("{#bench-drain}"), "{t}");
        assert!(t.contains("median of 9 rounds"), "{t}");
        assert!(
            t.contains("| /dev/null, CPU time | pipe, wall-clock time |"),
            "{t}"
        );
        assert!(t.contains("| 16 B | 1/256 | 0.900 | 0.800 |"), "{t}");
        assert!(t.contains("| 3072 B | 3/4 | 1.200 | 1.100 |"), "{t}");
        assert_eq!(table(&[], 9), None);
    }

    #[test]
    fn the_win_ends_at_the_first_loss() {
        let sizes = [16, 64, 256, 512];
        assert_eq!(largest_win(&sizes, &[0.9, 1.0, 1.1, 0.8]), Some(64));
        assert_eq!(largest_win(&sizes, &[1.2, 0.9, 0.9, 0.9]), None);
        assert_eq!(largest_win(&sizes, &[0.9; 4]), Some(512));
    }
}
