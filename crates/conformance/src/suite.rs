//! The standard run: which scripts, and how they are compared.

use std::time::{Duration, Instant};

use crate::compare::{Report, Timings, compare_with};
use crate::exec::{self, Run};
use crate::generate::{self, Shape};
use crate::harness::{Harness, HarnessError};
use crate::mutant::Mutant;
use crate::rules::Release;
use crate::script::{Script, SinkKind};

/// The buffer sizes every sink is tested with: unbuffered, one byte, odd,
/// small, medium, and the usual 4096.
pub const BUFFER_SIZES: [usize; 6] = [0, 1, 7, 16, 64, 4096];

/// How many scripts of how many ops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Scripts per buffer size for the scripted sink.
    pub scripted: usize,
    /// Scripts per buffer size for each of fixed, allocating, discarding.
    pub builtin: usize,
    /// Ops per script.
    pub ops: usize,
    /// The first seed; script `i` uses `seed + i`.
    pub seed: u64,
}

/// The plan the tests and the book's numbers use.
pub const STANDARD: Plan = Plan {
    scripted: 20,
    builtin: 3,
    ops: 2000,
    seed: 0x5eed_0000,
};

impl Plan {
    /// The scripts of this plan, numbered from 1.
    pub fn scripts(&self) -> Vec<Script> {
        let mut shapes = Vec::new();
        for buffer in BUFFER_SIZES {
            for _ in 0..self.scripted {
                shapes.push((SinkKind::Scripted, buffer));
            }
        }
        for sink in [SinkKind::Fixed, SinkKind::Allocating, SinkKind::Discarding] {
            for buffer in BUFFER_SIZES {
                for _ in 0..self.builtin {
                    shapes.push((sink, buffer));
                }
            }
        }
        shapes
            .into_iter()
            .enumerate()
            .map(|(i, (sink, buffer))| {
                generate::script(
                    i as u64 + 1,
                    self.seed + i as u64,
                    Shape {
                        sink,
                        buffer,
                        ops: self.ops,
                    },
                )
            })
            .collect()
    }
}

/// Runs `scripts` on zigio (with `mutant`, if any) and on Zig, and compares.
/// Zig runs each script while zigio runs the next. `label` names the
/// scripts file kept in `target/conformance/`.
///
/// # Errors
/// The Zig side could not be built or run.
pub fn run(
    harness: &Harness, label: &str, scripts: &[Script], mutant: Option<Mutant>,
) -> Result<Report, HarnessError> {
    run_release(harness, Release::BASELINE, label, scripts, mutant)
}

/// [`run`] against `harness` built with `release`, with that release's
/// exclusions ([`exec::run_on`]); from 0.16.0 on, an allocating writer's
/// lines may differ in capacity alone (counted in
/// [`Report::capacity_only`]).
///
/// # Errors
/// As [`run`].
pub fn run_release(
    harness: &Harness, release: Release, label: &str, scripts: &[Script], mutant: Option<Mutant>,
) -> Result<Report, HarnessError> {
    let started = Instant::now();
    let mut session = harness.start(label)?;
    let mut runs: Vec<Run> = Vec::with_capacity(scripts.len());
    let mut zigio = Duration::ZERO;
    for script in scripts {
        let t = Instant::now();
        let run = match mutant {
            Some(_) => exec::run(script, mutant),
            None => exec::run_on(script, release),
        };
        zigio += t.elapsed();
        session.send(&run.zig_script)?;
        runs.push(run);
    }
    let out = session.finish()?;
    let total = started.elapsed();
    let t = Instant::now();
    let zig_scripts: Vec<Script> = runs.iter().map(|r| r.zig_script.clone()).collect();
    let mut report = compare_with(
        &out.trace,
        &zig_scripts,
        &runs,
        out.failure,
        release != Release::BASELINE,
    );
    report.timings = Timings {
        zigio,
        both: total,
        compare: t.elapsed(),
    };
    Ok(report)
}
