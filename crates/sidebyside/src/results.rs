//! The results of a run, as saved to JSON and rendered into the book.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::report::{mb_per_s, median};
use crate::spec::{Clock, Impl, Measure, Workload};
use crate::strace::Syscalls;

/// Version of this file format; [`Results`] with another one are refused.
pub const SCHEMA: u32 = 1;

/// Everything one `cargo xtask bench` run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// [`SCHEMA`].
    pub schema: u32,
    /// When the run ended, UTC, `YYYY-MM-DD HH:MM:SS UTC`.
    pub measured_at: String,
    /// The command that produced it.
    pub command: String,
    /// Rounds of the main workloads.
    pub rounds: u32,
    /// Rounds of the buffer sweep.
    pub sweep_rounds: u32,
    /// The machine and the versions of everything measured.
    pub machine: Machine,
    /// One entry per workload, in the order they ran.
    pub workloads: Vec<WorkloadResult>,
    /// Throughput against buffer size.
    pub sweep: Vec<SweepResult>,
    /// The file writer's two drains against the size of the data (empty in
    /// a run without the sweeps, and in runs recorded before it existed).
    #[serde(default)]
    pub drain_sweep: Vec<crate::drain::DrainSweep>,
}

/// The machine and the tools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// CPU model (`/proc/cpuinfo`).
    pub cpu: String,
    /// Logical CPUs available to the run.
    pub cores: usize,
    /// Memory (`/proc/meminfo`).
    pub memory: String,
    /// Operating system and kernel.
    pub os: String,
    /// `rustc --version`.
    pub rustc: String,
    /// `zig version` of the pinned compiler, and the optimisation mode.
    pub zig: String,
    /// `strace -V`, first line.
    pub strace: String,
    /// `cp --version`, first line.
    pub cp: String,
    /// `git describe --always --dirty` of the repository when measured
    /// (`-dirty`: the working tree had uncommitted changes).
    #[serde(default)]
    pub revision: String,
}

/// One workload's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadResult {
    /// The workload's id.
    pub id: String,
    /// Its one-line description.
    pub title: String,
    /// Writers' buffer size.
    pub buffer: usize,
    /// Bytes one repetition moves.
    pub bytes: u64,
    /// Repetitions per process (the fastest counts).
    pub reps: u32,
    /// The time compared: wall-clock or process CPU time.
    #[serde(default)]
    pub clock: Clock,
    /// Per case: times and system calls.
    pub cases: Vec<CaseResult>,
    /// The comparisons.
    pub ratios: Vec<RatioResult>,
}

/// One case's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// `imp/variant`.
    pub id: String,
    /// Who ran it.
    pub imp: Impl,
    /// Which variant.
    pub variant: String,
    /// How the page names it.
    pub label: String,
    /// Per round, the fastest repetition by the workload's clock, in
    /// nanoseconds.
    pub ns: Vec<u64>,
    /// Median of `ns`; `None` if the case did not run.
    pub median_ns: Option<f64>,
    /// `bytes / median_ns`, in MB/s.
    pub mb_per_s: Option<f64>,
    /// System calls of one repetition (real run minus dry run), if strace
    /// ran.
    pub syscalls: Option<Syscalls>,
}

/// One comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatioResult {
    /// Numerator case id.
    pub num: String,
    /// Denominator case id.
    pub den: String,
    /// Time or system calls.
    pub measure: Measure,
    /// Per round ratios of times (empty for system calls).
    pub per_round: Vec<f64>,
    /// The median of `per_round`, or the ratio of system-call totals;
    /// `None` when the denominator is 0 or was not measured.
    pub value: Option<f64>,
    /// The performance target on this ratio (see `spec::workloads`), if any.
    pub at_most: Option<f64>,
    /// The bound in words.
    pub goal: String,
    /// Whether `value <= at_most`; `None` without a bound or a value.
    pub met: Option<bool>,
}

/// Throughput against buffer size for one workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// Workload id.
    pub id: String,
    /// Description.
    pub title: String,
    /// Bytes per repetition.
    pub bytes: u64,
    /// Buffer sizes, in bytes.
    pub buffers: Vec<usize>,
    /// One line per implementation.
    pub series: Vec<SweepSeries>,
}

/// One implementation across buffer sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSeries {
    /// Who.
    pub imp: Impl,
    /// Median CPU time per buffer size, nanoseconds.
    pub median_ns: Vec<f64>,
    /// Throughput per buffer size, MB/s.
    pub mb_per_s: Vec<f64>,
}

/// Raw numbers of one workload, before statistics.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    /// Case id → per-round fastest time.
    pub ns: BTreeMap<String, Vec<u64>>,
    /// Case id → system calls.
    pub syscalls: BTreeMap<String, Syscalls>,
}

/// Medians, throughputs and ratios of one workload from its raw numbers.
pub fn summarize(w: &Workload, raw: &Raw) -> WorkloadResult {
    let cases: Vec<CaseResult> = w
        .cases
        .iter()
        .map(|c| {
            let id = c.id();
            let ns = raw.ns.get(&id).cloned().unwrap_or_default();
            let times: Vec<f64> = ns.iter().map(|&n| n as f64).collect();
            let median_ns = median(&times);
            CaseResult {
                imp: c.imp,
                variant: c.variant.to_string(),
                label: c.label.to_string(),
                mb_per_s: median_ns.map(|t| mb_per_s(w.bytes, t)),
                median_ns,
                ns,
                syscalls: raw.syscalls.get(&id).cloned(),
                id,
            }
        })
        .collect();
    let ratios = w
        .ratios
        .iter()
        .map(|r| {
            let (per_round, value) = match r.measure {
                Measure::Time => {
                    let num = raw.ns.get(&r.num).cloned().unwrap_or_default();
                    let den = raw.ns.get(&r.den).cloned().unwrap_or_default();
                    let per: Vec<f64> = num
                        .iter()
                        .zip(&den)
                        .filter(|(_, d)| **d > 0)
                        .map(|(&n, &d)| n as f64 / d as f64)
                        .collect();
                    let value = median(&per);
                    (per, value)
                }
                Measure::Syscalls => {
                    let n = raw.syscalls.get(&r.num).map(Syscalls::total);
                    let d = raw.syscalls.get(&r.den).map(Syscalls::total);
                    let value = match (n, d) {
                        (Some(n), Some(d)) if d > 0 => Some(n as f64 / d as f64),
                        _ => None,
                    };
                    (Vec::new(), value)
                }
            };
            RatioResult {
                num: r.num.clone(),
                den: r.den.clone(),
                measure: r.measure,
                per_round,
                value,
                at_most: r.at_most,
                goal: r.goal.to_string(),
                met: match (value, r.at_most) {
                    (Some(v), Some(max)) => Some(v <= max),
                    _ => None,
                },
            }
        })
        .collect();
    WorkloadResult {
        id: w.id.to_string(),
        title: w.title.to_string(),
        buffer: crate::spec::BUFFER,
        bytes: w.bytes,
        reps: w.reps,
        clock: w.clock,
        cases,
        ratios,
    }
}

impl Results {
    /// Reads results saved by [`Results::to_json`].
    ///
    /// # Errors
    /// [`Error::Json`] for malformed JSON (with serde's line and column),
    /// [`Error::Parse`] for another schema.
    pub fn from_json(text: &str, origin: &str) -> Result<Results, Error> {
        let r: Results = serde_json::from_str(text).map_err(|source| Error::Json {
            origin: origin.to_string(),
            source,
        })?;
        if r.schema != SCHEMA {
            return Err(Error::Parse {
                origin: origin.to_string(),
                line: None,
                message: format!(
                    "results of schema {}, this runner reads schema {SCHEMA}",
                    r.schema
                ),
            });
        }
        Ok(r)
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("results are plain data");
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::workloads;

    #[test]
    fn ratios_are_medians_of_per_round_ratios_and_checked_against_targets() {
        let w = workloads(1)
            .into_iter()
            .find(|w| w.id == "mixed-pipe")
            .unwrap();
        let mut raw = Raw::default();
        raw.ns.insert("zigio/write".into(), vec![70, 80, 75]);
        raw.ns.insert("std/write".into(), vec![100, 100, 50]);
        raw.ns.insert("zig/write".into(), vec![70, 80, 75]);
        let sys = |n: u64| Syscalls([("writev".to_string(), n)].into_iter().collect());
        raw.syscalls.insert("zigio/write".into(), sys(100_000));
        raw.syscalls.insert("std/write".into(), sys(200_000));
        raw.syscalls.insert("zig/write".into(), sys(100_000));
        let r = summarize(&w, &raw);
        let time = &r.ratios[0];
        assert_eq!(time.per_round, vec![0.7, 0.8, 1.5]);
        assert_eq!(time.value, Some(0.8));
        // 0.8 > 1/1.3: the 1.3x target is missed.
        assert_eq!(time.met, Some(false));
        let sys = &r.ratios[2];
        assert_eq!(sys.value, Some(0.5));
        assert_eq!(sys.met, Some(true));
        assert_eq!(r.cases[0].median_ns, Some(75.0));
    }

    #[test]
    fn json_round_trip_and_schema_check() {
        let w = workloads(1).into_iter().next().unwrap();
        let results = Results {
            schema: SCHEMA,
            measured_at: "2025-01-01 00:00:00 UTC".into(),
            command: "cargo xtask bench".into(),
            rounds: 1,
            sweep_rounds: 1,
            machine: Machine {
                cpu: "cpu".into(),
                cores: 2,
                memory: "1 GiB".into(),
                os: "linux".into(),
                rustc: "rustc".into(),
                zig: "0.15.1".into(),
                strace: "6.1".into(),
                cp: "9.1".into(),
                revision: "abc1234".into(),
            },
            workloads: vec![summarize(&w, &Raw::default())],
            sweep: vec![],
            drain_sweep: vec![],
        };
        let back = Results::from_json(&results.to_json(), "mem").unwrap();
        assert_eq!(back, results);
        let bad = results.to_json().replace("\"schema\": 1", "\"schema\": 9");
        assert!(
            Results::from_json(&bad, "old.json")
                .unwrap_err()
                .to_string()
                .contains("schema 9")
        );
    }
}
