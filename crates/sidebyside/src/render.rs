//! The book's "Measurements" page, generated from saved results.
//!
//! `render` writes `book/measurements.md` and its charts under
//! `book/images/measurements/` from `book/data/measurements.json`. The
//! analysis of missed targets is written by hand in
//! `book/data/measurements-notes.md`, whose first line names the run it
//! was written for; the page includes it and says so when it is older than
//! the numbers.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::charts;
use crate::results::{CaseResult, RatioResult, Results, WorkloadResult};
use crate::spec::{Clock, Measure};

/// Where the page and its inputs live.
#[derive(Debug, Clone)]
pub struct BookPaths {
    /// The book's source directory (`book/`).
    pub book: PathBuf,
}

impl BookPaths {
    /// The repository's `book/`.
    pub fn repository() -> BookPaths {
        BookPaths {
            book: Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("..")
                .join("book"),
        }
    }

    /// `book/data/measurements.json`: the results the page shows.
    pub fn data(&self) -> PathBuf {
        self.book.join("data").join("measurements.json")
    }

    /// `book/data/measurements-notes.md`: the hand-written analysis.
    pub fn notes(&self) -> PathBuf {
        self.book.join("data").join("measurements-notes.md")
    }

    /// `book/measurements.md`.
    pub fn page(&self) -> PathBuf {
        self.book.join("measurements.md")
    }

    /// `book/images/measurements/`.
    pub fn images(&self) -> PathBuf {
        self.book.join("images").join("measurements")
    }
}

/// The first line of the notes file: `measured_at: <time>`.
const NOTES_HEADER: &str = "measured_at:";

/// Writes the page and its charts from `paths.data()`.
///
/// # Errors
/// Unreadable or malformed results or notes (naming the file), or a file
/// that cannot be written.
pub fn render(paths: &BookPaths) -> Result<(), String> {
    let data = paths.data();
    let text = fs::read_to_string(&data).map_err(|e| {
        format!(
            "cannot read {}: {e} (run `cargo xtask bench` first)",
            data.display()
        )
    })?;
    let results = Results::from_json(&text, &data.display().to_string())?;
    let notes = match fs::read_to_string(paths.notes()) {
        Ok(t) => Some(parse_notes(&t, &paths.notes())?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", paths.notes().display())),
    };
    let images = paths.images();
    fs::create_dir_all(&images).map_err(|e| format!("cannot create {}: {e}", images.display()))?;
    let mut charts_written = vec![
        ("ratios.svg".to_string(), charts::ratios_svg(&results)?),
        ("syscalls.svg".to_string(), charts::syscalls_svg(&results)?),
    ];
    for s in &results.sweep {
        charts_written.push((format!("sweep-{}.svg", s.id), charts::sweep_svg(s)?));
    }
    for (name, svg) in &charts_written {
        let path = images.join(name);
        fs::write(&path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let page = page(&results, notes.as_ref());
    fs::write(paths.page(), page)
        .map_err(|e| format!("cannot write {}: {e}", paths.page().display()))
}

/// The hand-written notes: the run they were written for, and their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notes {
    /// The `measured_at` of the run the notes discuss.
    pub measured_at: String,
    /// The Markdown after the header line.
    pub text: String,
}

/// Reads a notes file: a `measured_at: ...` line, then Markdown.
///
/// # Errors
/// A first line that is not the header, naming the file.
pub fn parse_notes(text: &str, origin: &Path) -> Result<Notes, String> {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let measured_at = first
        .strip_prefix(NOTES_HEADER)
        .ok_or_else(|| {
            format!(
                "{}:1: expected `{NOTES_HEADER} <time of the run the notes discuss>`, found `{first}`",
                origin.display()
            )
        })?
        .trim()
        .to_string();
    Ok(Notes {
        measured_at,
        text: rest.trim().to_string(),
    })
}

fn case<'w>(w: &'w WorkloadResult, id: &str) -> Option<&'w CaseResult> {
    w.cases.iter().find(|c| c.id == id)
}

fn label(w: &WorkloadResult, id: &str) -> String {
    case(w, id).map_or_else(|| id.to_string(), |c| c.label.clone())
}

fn ms(ns: Option<f64>) -> String {
    ns.map_or_else(|| "not run".to_string(), |ns| format!("{:.2} ms", ns / 1e6))
}

fn ratio_value(r: &RatioResult) -> String {
    r.value
        .map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

/// How far a missed target is off, in words: "4.0% over" for a time ratio
/// bound by 1, "1.12 against at most 1.10".
fn miss(r: &RatioResult) -> Option<String> {
    let (v, max) = (r.value?, r.at_most?);
    (v > max).then(|| {
        format!(
            "{v:.3} against at most {max:.3} ({:.1}% over)",
            (v / max - 1.0) * 100.0
        )
    })
}

fn verdict(r: &RatioResult) -> &'static str {
    match r.met {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "",
    }
}

/// The page's Markdown.
pub fn page(results: &Results, notes: Option<&Notes>) -> String {
    let m = &results.machine;
    let mut p = String::new();
    let _ = writeln!(
        p,
        "<!-- Generated by `cargo xtask bench` (or `cargo xtask bench --render`) from \
         book/data/measurements.json: edit crates/sidebyside/src/render.rs or \
         book/data/measurements-notes.md, not this file. -->\n"
    );
    p.push_str("# Measurements\n\n");
    p.push_str(
        "The book's thesis is that buffers decide when bytes move. This page puts numbers \
         on it: the same workloads, in one run, through `zigio`, Rust's `std::io::BufWriter` \
         (and `Vec`, `io::copy`) and Zig 0.15.1's `std.Io.Writer` built ReleaseFast, with \
         the system calls each one makes.\n\n",
    );
    let _ = writeln!(
        p,
        "**Measured {}** with `{}`.\n",
        results.measured_at, results.command
    );
    p.push_str("| | |\n|---|---|\n");
    let _ = writeln!(p, "| CPU | {} ({} logical CPUs) |", m.cpu, m.cores);
    let _ = writeln!(p, "| Memory | {} |", m.memory);
    let _ = writeln!(p, "| System | {} |", m.os);
    let _ = writeln!(p, "| Rust | {} |", m.rustc);
    let _ = writeln!(p, "| Zig | {} |", m.zig);
    let _ = writeln!(p, "| strace | {} |", m.strace);
    let _ = writeln!(p, "| cp | {} |", m.cp);
    if !m.revision.is_empty() {
        let _ = writeln!(p, "| Source | git {} |", m.revision);
    }
    p.push('\n');

    p.push_str("## How the numbers are made\n\n");
    let _ = writeln!(
        p,
        "- Every case runs in a process of its own: the Rust worker \
         (`crates/sidebyside`) for zigio and std, the Zig program \
         (`crates/sidebyside/zig/bench.zig`) for Zig, `cp` itself for `cp`. A process \
         repeats its workload a few times and reports the fastest repetition, timed \
         around the workload alone (set-up and process start excluded; for `cp`, \
         the whole command).\n\
         - {} rounds; in each, the cases of a workload run one after another in an order \
         that rotates from round to round. A ratio is computed per round, and the table \
         shows its **median over the rounds**. Below 1, the first implementation named \
         is faster.\n\
         - Workloads that never wait (memory, `/dev/null`) are compared on the \
         process's **CPU time** (user + system, `CLOCK_PROCESS_CPUTIME_ID`), which \
         other processes of a shared machine cannot inflate; pipes and file copies on \
         **wall-clock time**, because waiting for the reader or the disk is part of \
         what they cost. Each workload's section says which.\n\
         - System calls: each case once more under `strace -c -f`, one repetition, minus \
         a *dry* run of the same process that does the set-up and no work, so that \
         process start-up, dynamic linking and allocator set-up cancel out.\n\
         - Buffers are 4096 bytes except in the buffer sweep. The machine is shared: the \
         rounds and medians are there because single timings on it vary.",
        results.rounds
    );
    p.push('\n');

    p.push_str("## Targets\n\n");
    p.push_str("| Workload | Comparison | Measure | Median ratio | Target | |\n|---|---|---|---:|---|---|\n");
    for w in &results.workloads {
        for r in w.ratios.iter().filter(|r| r.at_most.is_some()) {
            let _ = writeln!(
                p,
                "| {} | {} / {} | {} | {} | {} (ratio at most {:.3}) | {} |",
                w.id,
                label(w, &r.num),
                label(w, &r.den),
                measure_name(r.measure),
                ratio_value(r),
                r.goal,
                r.at_most.unwrap_or_default(),
                verdict(r)
            );
        }
    }
    p.push('\n');
    let misses: Vec<String> = results
        .workloads
        .iter()
        .flat_map(|w| {
            w.ratios.iter().filter_map(move |r| {
                miss(r).map(|how| {
                    format!(
                        "- {}: {} / {} ({}): {how}.",
                        w.id,
                        label(w, &r.num),
                        label(w, &r.den),
                        measure_name(r.measure)
                    )
                })
            })
        })
        .collect();
    if misses.is_empty() {
        p.push_str("Every target was met in this run.\n\n");
    } else {
        p.push_str("Missed in this run (see the notes at the end for why):\n\n");
        for line in misses {
            p.push_str(&line);
            p.push('\n');
        }
        p.push('\n');
    }

    p.push_str("## Ratios\n\n![Median time ratios](images/measurements/ratios.svg)\n\n");

    for w in &results.workloads {
        let _ = writeln!(p, "## {}\n", capitalise(&w.title));
        let _ = writeln!(
            p,
            "Workload `{}`: {} bytes per repetition, {} repetitions per process, \
             compared on {}.\n",
            w.id,
            w.bytes,
            w.reps,
            match w.clock {
                Clock::Wall => "wall-clock time",
                Clock::Cpu => "CPU time",
            }
        );
        p.push_str("| Case | Median time | Throughput | System calls | Most frequent |\n|---|---:|---:|---:|---|\n");
        for c in &w.cases {
            let (total, top) = match &c.syscalls {
                Some(s) => (
                    s.total().to_string(),
                    s.top(3)
                        .iter()
                        .map(|(n, k)| format!("{n} {k}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                None => ("not counted".to_string(), String::new()),
            };
            let _ = writeln!(
                p,
                "| {} | {} | {} | {} | {} |",
                c.label,
                ms(c.median_ns),
                c.mb_per_s
                    .map_or_else(String::new, |v| format!("{v:.0} MB/s")),
                total,
                top
            );
        }
        p.push('\n');
        p.push_str("| Ratio | Measure | Median | Per round |\n|---|---|---:|---|\n");
        for r in &w.ratios {
            let rounds = r
                .per_round
                .iter()
                .map(|v| format!("{v:.3}"))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                p,
                "| {} / {} | {} | {} | {} |",
                label(w, &r.num),
                label(w, &r.den),
                measure_name(r.measure),
                ratio_value(r),
                rounds
            );
        }
        p.push('\n');
    }

    p.push_str("## System calls\n\n![System calls per case](images/measurements/syscalls.svg)\n\n");

    if !results.sweep.is_empty() {
        p.push_str("## Throughput against buffer size\n\n");
        let _ = writeln!(
            p,
            "The same writes with buffers from 0 (every write is a system call) to 64 KiB, \
             {} rounds, median of each process's fastest of 3 repetitions, on CPU time.\n",
            results.sweep_rounds
        );
        for s in &results.sweep {
            let _ = writeln!(
                p,
                "![Throughput: {}](images/measurements/sweep-{}.svg)\n",
                s.title, s.id
            );
            p.push_str("| Buffer |");
            for series in &s.series {
                let _ = write!(p, " {} |", series.imp);
            }
            p.push_str("\n|---:|");
            for _ in &s.series {
                p.push_str("---:|");
            }
            p.push('\n');
            for (i, b) in s.buffers.iter().enumerate() {
                let _ = write!(p, "| {} |", charts::size_label(*b));
                for series in &s.series {
                    let v = series.mb_per_s.get(i).copied().unwrap_or(0.0);
                    let _ = write!(p, " {v:.0} MB/s |");
                }
                p.push('\n');
            }
            p.push('\n');
        }
    }

    p.push_str("## Notes on this run\n\n");
    match notes {
        Some(n) if n.measured_at == results.measured_at => {
            p.push_str(&n.text);
            p.push_str("\n\n");
        }
        Some(n) => {
            let _ = writeln!(
                p,
                "*These notes were written for the run of {}; the numbers above are from \
                 the run of {}. Where they disagree, the numbers are right.*\n",
                n.measured_at, results.measured_at
            );
            p.push_str(&n.text);
            p.push_str("\n\n");
        }
        None => p.push_str("No notes were written for this run.\n\n"),
    }

    p.push_str("## Measuring again\n\n");
    p.push_str(
        "```console\n\
         cargo xtask bench            # measure (about ten minutes) and regenerate this page\n\
         cargo xtask bench --render   # regenerate this page from book/data/measurements.json\n\
         cargo xtask bench --quick    # a small, fast run that leaves the book alone\n\
         cargo bench -p zigio         # criterion micro-benchmarks of the hot paths\n\
         ```\n\n\
         The run needs `strace`. Its raw results stay in `target/sidebyside/` \
         (`results-<time>.json` and the strace summaries of every case).\n",
    );
    p
}

fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::Time => "time",
        Measure::Syscalls => "system calls",
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Machine, Raw, SCHEMA, summarize};
    use crate::spec::workloads;
    use crate::strace::Syscalls;

    fn sample() -> Results {
        let w = workloads(1)
            .into_iter()
            .find(|w| w.id == "small-null")
            .unwrap();
        let mut raw = Raw::default();
        raw.ns.insert("zigio/write".into(), vec![100, 110]);
        raw.ns.insert("zigio-dyn/write".into(), vec![100, 110]);
        raw.ns.insert("std/write".into(), vec![100, 100]);
        raw.ns.insert("zig/write".into(), vec![120, 120]);
        raw.syscalls.insert(
            "zigio/write".into(),
            Syscalls([("writev".to_string(), 3907)].into_iter().collect()),
        );
        Results {
            schema: SCHEMA,
            measured_at: "2025-06-01 10:00:00 UTC".into(),
            command: "cargo xtask bench".into(),
            rounds: 2,
            sweep_rounds: 0,
            machine: Machine {
                cpu: "AMD EPYC".into(),
                cores: 2,
                memory: "23.4 GiB".into(),
                os: "Debian".into(),
                rustc: "rustc 1.95.0".into(),
                zig: "0.15.1".into(),
                strace: "strace 6.1".into(),
                cp: "cp 9.1".into(),
                revision: "abc1234-dirty".into(),
            },
            workloads: vec![summarize(&w, &raw)],
            sweep: vec![],
        }
    }

    #[test]
    fn page_states_when_and_what_and_reports_misses_by_how_much() {
        let page = page(&sample(), None);
        assert!(page.contains("**Measured 2025-06-01 10:00:00 UTC** with `cargo xtask bench`"));
        assert!(page.contains("| CPU | AMD EPYC (2 logical CPUs) |"));
        // zigio/std = 1.05 median (1.0, 1.1): missed by 5%.
        assert!(
            page.contains("- small-null: zigio / std BufWriter (time): 1.050 against at most 1.000 (5.0% over)."),
            "{page}"
        );
        assert!(page.contains("| zigio | 0.00 ms | "), "{page}");
        assert!(page.contains("writev 3907"));
        assert!(page.contains("No notes were written for this run."));
    }

    #[test]
    fn notes_of_another_run_are_marked_as_such() {
        let notes = parse_notes(
            "measured_at: 2024-01-01 00:00:00 UTC\nWhy.\n",
            Path::new("n.md"),
        )
        .unwrap();
        let page = page(&sample(), Some(&notes));
        assert!(page.contains("written for the run of 2024-01-01 00:00:00 UTC"));
        assert!(page.contains("Why."));
        let same = Notes {
            measured_at: "2025-06-01 10:00:00 UTC".into(),
            text: "Why.".into(),
        };
        assert!(!super::page(&sample(), Some(&same)).contains("written for the run of"));
        let err = parse_notes("# Notes\n", Path::new("n.md")).unwrap_err();
        assert!(err.starts_with("n.md:1: expected `measured_at:"), "{err}");
    }

    #[test]
    fn charts_are_svg_with_the_labels() {
        let r = sample();
        let svg = charts::ratios_svg(&r).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("small-null: zigio/write / std/write"));
        let svg = charts::syscalls_svg(&r).unwrap();
        assert!(svg.contains("3907"));
    }
}
