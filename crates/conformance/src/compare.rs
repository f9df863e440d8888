//! Line-by-line comparison of the two traces, and the run's numbers.

use std::fmt;
use std::time::Duration;

use crate::exec::Run;
use crate::rules::Rule;
use crate::script::{Script, SinkKind};

/// The first difference in one script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The script's header line from the trace.
    pub script: String,
    /// The op being executed when the traces diverged, with its JSON, if
    /// any op had started.
    pub op: Option<String>,
    /// 1-based line within the script's trace.
    pub line: usize,
    /// Zig's line (`<missing>` if Zig's trace ended).
    pub zig: String,
    /// zigio's line (`<missing>` if zigio's trace ended).
    pub zigio: String,
    /// The trace lines of the op before the difference, common to both.
    pub context: Vec<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.script)?;
        if let Some(op) = &self.op {
            writeln!(f, "  at {op}")?;
        }
        for c in &self.context {
            writeln!(f, "    {c}")?;
        }
        writeln!(f, "  trace line {}:", self.line)?;
        writeln!(f, "    zig:   {}", self.zig)?;
        write!(f, "    zigio: {}", self.zigio)
    }
}

/// What one comparison covered and found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Scripts compared.
    pub scripts: u64,
    /// Ops executed on both sides and compared.
    pub ops: u64,
    /// Drain calls compared (scripted sinks).
    pub drains: u64,
    /// Trace lines compared.
    pub lines: u64,
    /// Ops excluded, per rule, in [`Rule::ALL`] order.
    pub skipped: Vec<(Rule, u64)>,
    /// Lines of allocating writers that differ only in `cap=`: counted, not
    /// mismatches, when the comparison allows it ([`compare_with`]).
    pub capacity_only: u64,
    /// The first difference of each script that differs.
    pub mismatches: Vec<Mismatch>,
    /// Why the Zig harness stopped early, if it did: only the scripts it
    /// reached were compared.
    pub harness_failure: Option<String>,
    /// How long each side took (not part of the result proper).
    pub timings: Timings,
}

/// Wall-clock time of the phases of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Running every script on zigio (and writing zigio's traces).
    pub zigio: Duration,
    /// Both sides, which run concurrently (Zig one script behind).
    pub both: Duration,
    /// Comparing the traces.
    pub compare: Duration,
}

impl Report {
    /// Whether the traces were identical.
    pub fn is_identical(&self) -> bool {
        self.mismatches.is_empty() && self.harness_failure.is_none()
    }

    /// Ops skipped under `rule`.
    pub fn skipped(&self, rule: Rule) -> u64 {
        self.skipped
            .iter()
            .find(|(r, _)| *r == rule)
            .map_or(0, |(_, n)| *n)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} scripts, {} ops, {} drain calls, {} trace lines compared",
            self.scripts, self.ops, self.drains, self.lines
        )?;
        for (rule, n) in &self.skipped {
            if *n > 0 || rule.is_baseline() {
                write!(f, "; {n} ops excluded by rule {}", rule.name())?;
            }
        }
        if self.capacity_only > 0 {
            write!(
                f,
                "; {} allocating lines differ only in capacity",
                self.capacity_only
            )?;
        }
        write!(f, "; {} scripts differ", self.mismatches.len())?;
        let t = &self.timings;
        write!(
            f,
            " (zigio {:.1?}, zigio and zig together {:.1?}, compare {:.1?})",
            t.zigio, t.both, t.compare
        )?;
        if let Some(failure) = &self.harness_failure {
            write!(f, "\n{failure}")?;
        }
        Ok(())
    }
}

/// Compares Zig's trace of `scripts` (the scripts the harness ran) with
/// zigio's runs of the same scripts. If the harness failed
/// (`harness_failure`), only the scripts its trace reached are compared.
pub fn compare(
    zig_trace: &str, scripts: &[Script], runs: &[Run], harness_failure: Option<String>,
) -> Report {
    compare_with(zig_trace, scripts, runs, harness_failure, false)
}

/// [`compare`], where `capacity_may_differ` lets the op lines of an
/// allocating writer differ in their `cap=` field alone (a release whose
/// allocating writer grows by another rule than 0.15.1's): such lines are
/// counted in [`Report::capacity_only`], every other field must match.
pub fn compare_with(
    zig_trace: &str, scripts: &[Script], runs: &[Run], harness_failure: Option<String>,
    capacity_may_differ: bool,
) -> Report {
    let zig_sections = sections(zig_trace);
    let reached = if harness_failure.is_some() {
        zig_sections.len()
    } else {
        scripts.len()
    };
    let mut report = Report {
        skipped: Rule::ALL.iter().map(|r| (*r, 0)).collect(),
        harness_failure,
        ..Report::default()
    };
    for (i, (script, run)) in scripts.iter().zip(runs).take(reached).enumerate() {
        report.scripts += 1;
        report.ops += run.ops;
        report.drains += run.drains;
        for (rule, n) in &run.skipped {
            if let Some((_, total)) = report.skipped.iter_mut().find(|(r, _)| r == rule) {
                *total += n;
            }
        }
        let zig = zig_sections.get(i).copied().unwrap_or("");
        let zig_lines: Vec<&str> = zig.lines().collect();
        let ours: Vec<&str> = run.trace.lines().collect();
        report.lines += ours.len().max(zig_lines.len()) as u64;
        let mask = capacity_may_differ && script.header.sink == SinkKind::Allocating;
        let (zig_lines, masked) = if mask {
            mask_capacity(&zig_lines, &ours)
        } else {
            (zig_lines.iter().map(|l| l.to_string()).collect(), 0)
        };
        report.capacity_only += masked;
        let zig_lines: Vec<&str> = zig_lines.iter().map(String::as_str).collect();
        if let Some(m) = first_difference(script, &zig_lines, &ours) {
            report.mismatches.push(m);
        }
    }
    report
}

/// Zig's lines with the `cap=` of each op line replaced by zigio's where
/// that is the only difference, and how many were replaced.
fn mask_capacity(zig: &[&str], ours: &[&str]) -> (Vec<String>, u64) {
    let mut n = 0;
    let lines = zig
        .iter()
        .enumerate()
        .map(|(i, z)| match ours.get(i) {
            Some(o) if z != o && without_cap(z) == without_cap(o) => {
                n += 1;
                o.to_string()
            }
            _ => z.to_string(),
        })
        .collect();
    (lines, n)
}

/// An op line without its ` cap=N` field.
fn without_cap(line: &str) -> Option<String> {
    let start = line.find(" cap=")?;
    let rest = &line[start + 5..];
    let stop = rest.find(' ').map_or(line.len(), |k| start + 5 + k);
    Some(format!("{}{}", &line[..start], &line[stop..]))
}

/// Splits a multi-script trace at its `script ` lines.
fn sections(trace: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in trace.split_inclusive('\n') {
        if line.starts_with("script ") {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &s)| &trace[s..starts.get(i + 1).copied().unwrap_or(trace.len())])
        .collect()
}

fn first_difference(script: &Script, zig: &[&str], ours: &[&str]) -> Option<Mismatch> {
    let n = zig.len().max(ours.len());
    // Index of the next op: the lines after an op's line belong to the
    // next op (its drain calls come before its own line).
    let mut next_op = 0;
    let mut op_start = 1;
    for i in 0..n {
        let (a, b) = (zig.get(i).copied(), ours.get(i).copied());
        if a != b {
            let op = script.ops.get(next_op).map(|op| {
                format!(
                    "op {next_op}: {}",
                    serde_json::to_string(op).expect("an op always serializes")
                )
            });
            return Some(Mismatch {
                script: ours.first().or(zig.first()).unwrap_or(&"").to_string(),
                op,
                line: i + 1,
                zig: a.unwrap_or("<missing>").to_string(),
                zigio: b.unwrap_or("<missing>").to_string(),
                context: ours[op_start.min(i)..i]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            });
        }
        if let Some(idx) = b
            .and_then(|l| l.strip_prefix("op "))
            .and_then(|l| l.split(' ').next())
            .and_then(|idx| idx.parse::<usize>().ok())
        {
            next_op = idx + 1;
            op_start = i + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Header, Op, SinkKind};

    fn script() -> Script {
        Script {
            header: Header {
                script: 1,
                seed: 5,
                sink: SinkKind::Fixed,
                buffer: 4,
                budget: vec![],
                fail_after: None,
            },
            ops: vec![Op::Flush, Op::Consume { n: 1 }],
        }
    }

    fn run(trace: &str) -> Run {
        Run {
            trace: trace.to_string(),
            zig_script: script(),
            ops: 2,
            skipped: Vec::new(),
            drains: 0,
            flagged: Vec::new(),
        }
    }

    const TRACE: &str = "script 1 seed=5 sink=fixed buffer=4\nop 0 flush ok end=0 cap=4 buf=0\nop 1 consume ok 1 end=0 cap=4 buf=0\nend written=0 hash=0\n";

    #[test]
    fn identical_traces_compare_equal() {
        let r = compare(TRACE, &[script()], &[run(TRACE)], None);
        assert!(r.is_identical(), "{r}");
        assert_eq!((r.scripts, r.ops, r.lines), (1, 2, 4));
    }

    #[test]
    fn a_difference_names_the_script_the_op_and_both_lines() {
        let ours = TRACE.replace("consume ok 1", "consume ok 0");
        let r = compare(TRACE, &[script()], &[run(&ours)], None);
        assert_eq!(r.mismatches.len(), 1);
        let m = r.mismatches[0].to_string();
        assert!(
            m.starts_with(
                "script 1 seed=5 sink=fixed buffer=4\n  at op 1: {\"op\":\"consume\",\"n\":1}\n"
            ),
            "{m}"
        );
        assert!(m.contains("zig:   op 1 consume ok 1 end=0"), "{m}");
        assert!(m.contains("zigio: op 1 consume ok 0 end=0"), "{m}");
    }

    #[test]
    fn a_truncated_trace_is_a_difference() {
        let zig = &TRACE[..TRACE.find("end written").unwrap()];
        let r = compare(zig, &[script()], &[run(TRACE)], None);
        assert_eq!(r.mismatches[0].zig, "<missing>");
    }
}
