//! What a benchmark process prints on standard error, and the statistics
//! the runner draws from it.

use crate::Error;

/// One process's report: the time of each repetition and the bytes the
/// last one moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Wall-clock nanoseconds per repetition, in order.
    pub ns: Vec<u64>,
    /// Process CPU nanoseconds (user + system) per repetition.
    pub cpu: Vec<u64>,
    /// Bytes written by the last repetition.
    pub bytes: u64,
}

/// Parses `ns WALL CPU` lines followed by one `bytes N` line, as both the
/// Rust worker and `bench.zig` print them.
///
/// # Errors
/// An [`Error::Output`] quoting `who` and the first line that is not part
/// of a report (for example a panic message), or a missing `bytes` line.
pub fn parse_report(text: &str, who: &str) -> Result<Report, Error> {
    let mut ns = Vec::new();
    let mut cpu = Vec::new();
    let mut bytes = None;
    for (i, line) in text.lines().enumerate() {
        let bad = || Error::output(who, format!("line {} of its report: `{line}`", i + 1));
        let fields: Vec<&str> = line.split(' ').collect();
        let numbers: Vec<u64> = fields[1..]
            .iter()
            .map(|f| f.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        match (fields[0], numbers.as_slice()) {
            ("ns", &[wall, c]) if bytes.is_none() => {
                ns.push(wall);
                cpu.push(c);
            }
            ("bytes", &[n]) if bytes.is_none() => bytes = Some(n),
            _ => return Err(bad()),
        }
    }
    let bytes = bytes
        .ok_or_else(|| Error::output(who, format!("no `bytes` line in its report: `{text}`")))?;
    Ok(Report { ns, cpu, bytes })
}

/// The median of `values` (the mean of the two middle values for an even
/// count); `None` for no values or any NaN.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// Throughput in MB/s (10^6 bytes per second) of `bytes` in `ns`.
pub fn mb_per_s(bytes: u64, ns: f64) -> f64 {
    if ns <= 0.0 {
        return 0.0;
    }
    bytes as f64 / ns * 1e3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times_and_bytes() {
        let r = parse_report(
            "ns 3888861 3800000\nns 3888239 3700000\nbytes 16000000\n",
            "zig",
        )
        .unwrap();
        assert_eq!(r.ns, vec![3888861, 3888239]);
        assert_eq!(r.cpu, vec![3800000, 3700000]);
        assert_eq!(r.bytes, 16000000);
    }

    #[test]
    fn a_panic_or_a_missing_total_is_an_error_naming_the_process() {
        let err = parse_report(
            "ns 5 4\nthread 'main' panicked at src/x.rs:1\n",
            "zigio small",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "zigio small: line 2 of its report: `thread 'main' panicked at src/x.rs:1`"
        );
        assert!(
            parse_report("ns 5 4\n", "std")
                .unwrap_err()
                .to_string()
                .contains("no `bytes` line")
        );
        assert!(parse_report("bytes 1\nns 5 4\n", "std").is_err());
        // A time line without its CPU time.
        assert!(parse_report("ns 5\nbytes 1\n", "std").is_err());
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[1.0, f64::NAN]), None);
        assert_eq!(mb_per_s(16_000_000, 4e6), 4000.0);
    }
}
