//! System-call counts from `strace -c -f`.
//!
//! A case is run twice under strace: once for real (one repetition) and
//! once dry (the same setup, no work). The difference, per system call, is
//! what the workload itself asked of the kernel: process start-up, dynamic
//! linking and the allocator's set-up cancel out, and so do the report
//! lines a process prints.

use std::collections::BTreeMap;
use std::path::Path;

use crate::Error;

/// Calls per system call name.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Syscalls(pub BTreeMap<String, u64>);

impl Syscalls {
    /// All calls.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    /// Calls of `name`, 0 if none.
    pub fn get(&self, name: &str) -> u64 {
        self.0.get(name).copied().unwrap_or(0)
    }

    /// `self - baseline` per name, dropping names that did not increase.
    pub fn minus(&self, baseline: &Syscalls) -> Syscalls {
        Syscalls(
            self.0
                .iter()
                .filter_map(|(name, &n)| {
                    let d = n.saturating_sub(baseline.get(name));
                    (d > 0).then(|| (name.clone(), d))
                })
                .collect(),
        )
    }

    /// The names with the most calls first (ties by name), as
    /// `name count` pairs.
    pub fn top(&self, n: usize) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = self.0.iter().map(|(k, &c)| (k.as_str(), c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }
}

/// Parses the summary table that `strace -c` writes:
///
/// ```text
/// % time     seconds  usecs/call     calls    errors syscall
/// ------ ----------- ----------- --------- --------- ----------------
///  99.62    0.012345           3      3906           pwritev
/// ...
/// 100.00    0.012392           3      3950        10 total
/// ```
///
/// Calls that failed are counted too (they are system calls all the same).
/// The `total` line is checked against the sum of the rows.
///
/// # Errors
/// An [`Error::Parse`] naming the line (1-based) that is neither a header,
/// a rule, a row nor the total, or a total that does not match the rows.
pub fn parse_summary(text: &str, origin: &Path) -> Result<Syscalls, Error> {
    let mut calls = BTreeMap::new();
    let mut total = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('%') || trimmed.starts_with('-') {
            continue;
        }
        let bad = || Error::Parse {
            origin: origin.display().to_string(),
            line: Some(i + 1),
            message: format!("not a row of strace's summary: `{line}`"),
        };
        let fields: Vec<&str> = trimmed.split_whitespace().collect();
        // % time, seconds, usecs/call, calls, [errors,] name
        if !(fields.len() == 5 || fields.len() == 6) || fields[0].parse::<f64>().is_err() {
            return Err(bad());
        }
        let count: u64 = fields[3].parse().map_err(|_| bad())?;
        if fields.len() == 6 {
            fields[4].parse::<u64>().map_err(|_| bad())?;
        }
        let name = fields[fields.len() - 1];
        if name == "total" {
            total = Some(count);
        } else {
            *calls.entry(name.to_string()).or_insert(0) += count;
        }
    }
    let syscalls = Syscalls(calls);
    let message = match total {
        Some(t) if t == syscalls.total() => return Ok(syscalls),
        Some(t) => format!(
            "strace's total says {t} calls, its rows add up to {}",
            syscalls.total()
        ),
        None => "no `total` line: is this the output of `strace -c`?".to_string(),
    };
    Err(Error::Parse {
        origin: origin.display().to_string(),
        line: None,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZIG_SMALL: &str = "\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 97.10    0.005012           1      3892           pwritev
  1.20    0.000062          31         2           writev
  0.50    0.000026           8         3           mmap
  0.40    0.000021          21         1         1 access
------ ----------- ----------- --------- --------- ----------------
100.00    0.005121           1      3898         1 total
";

    #[test]
    fn parses_rows_with_and_without_errors() {
        let s = parse_summary(ZIG_SMALL, Path::new("zig.strace")).unwrap();
        assert_eq!(s.get("pwritev"), 3892);
        assert_eq!(s.get("access"), 1);
        assert_eq!(s.get("read"), 0);
        assert_eq!(s.total(), 3898);
        assert_eq!(s.top(2), vec![("pwritev", 3892), ("mmap", 3)]);
    }

    #[test]
    fn a_dry_run_is_subtracted_per_name() {
        let real = parse_summary(ZIG_SMALL, Path::new("real")).unwrap();
        let dry = Syscalls(
            [("writev", 1), ("mmap", 3), ("access", 1), ("openat", 1)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        );
        let delta = real.minus(&dry);
        assert_eq!(delta.total(), 3893);
        assert_eq!(delta.get("writev"), 1);
        assert_eq!(delta.get("mmap"), 0);
        assert!(!delta.0.contains_key("openat"));
    }

    #[test]
    fn rejects_other_text_with_file_and_line() {
        let err =
            parse_summary("% time\nstrace: exec: No such file\n", Path::new("x.txt")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.txt:2: not a row of strace's summary: `strace: exec: No such file`"
        );
        let err = parse_summary(&ZIG_SMALL.replace("3898", "3899"), Path::new("t"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("total says 3899"), "{err}");
        assert!(
            parse_summary("", Path::new("e"))
                .unwrap_err()
                .to_string()
                .contains("no `total`")
        );
    }
}
