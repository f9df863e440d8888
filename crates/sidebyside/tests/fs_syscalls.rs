//! System calls of zigio's file writer, counted by `strace -c -f`, against Zig
//! 0.15.1's counts (measured under strace, as recorded in
//! book/data/measurements.json) and std's `BufWriter`.
//!
//! The test binary runs itself under strace with `ZIGIO_SYSCALL_WORKLOAD`
//! set; the child then does nothing but the workload, so every write-family
//! call in strace's summary is the workload's (this target has
//! `harness = false`: no libtest output is counted).
//!
//! Workloads, each to `/dev/null` with a 4096-byte buffer:
//! - `small`: 1,000,000 writes of 16 bytes. Zig 0.15.1: 3,892 `writev`,
//!   each the buffer and the write that did not fit. zigio tops the buffer
//!   up and sends it alone, as `BufWriter` does: no more calls than
//!   `BufWriter`, each a plain `write` (`pwrite64` when positional).
//! - `mixed`: 100,000 pairs of a 16-byte and a 10,000-byte write. Zig
//!   0.15.1: 100,000 `writev`; std's `BufWriter`: 200,000 `write`. zigio:
//!   no more than Zig, half of `BufWriter`'s, each one vectored call.
//! - `splat`: 100 times a 16-byte write and `splat_byte_all(0, 1 MiB)`.
//!   Like Zig, the byte is memset into the buffer's spare capacity and sent
//!   as 16 slices of it: at most 18 `writev` per MiB (each carries at least
//!   15 slices of 4080 bytes), where 256-byte slices would need 256.
//!
//! strace is required: without it the test fails and says so. strace's
//! summary is read by the runner's own parser
//! (`sidebyside::strace::parse_summary`).

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::process::{Command, ExitCode};

use sidebyside::strace::{Syscalls, parse_summary};
use zigio::Writer;
use zigio::fs::FileWriter;

const ENV: &str = "ZIGIO_SYSCALL_WORKLOAD";
const BUFFER: usize = 4096;
const SMALL_WRITES: usize = 1_000_000;
const MIXED_PAIRS: usize = 100_000;
/// Zig 0.15.1's counts for the same workloads.
const ZIG_SMALL: u64 = 3_892;
const ZIG_MIXED: u64 = 100_000;
const SPLATS: usize = 100;
/// `ceil(1 MiB / (15 * 4080))` writes per splat, see the module doc.
const SPLAT_BOUND: u64 = 18 * SPLATS as u64;
/// The write-family system calls that strace may report.
const WRITE_CALLS: [&str; 5] = ["write", "writev", "pwrite64", "pwritev", "pwritev2"];

fn dev_null() -> File {
    OpenOptions::new().write(true).open("/dev/null").unwrap()
}

/// The file writer of a `zigio-*` workload: streaming or positional, as
/// its name says.
fn zigio_writer<'a>(name: &str, out: &'a File, storage: &'a mut [u8]) -> FileWriter<'a, 'a> {
    if name.contains("streaming") {
        Writer::file_streaming(out, storage)
    } else {
        Writer::file(out, storage)
    }
}

/// The child side: runs one workload and exits.
fn run_workload(name: &str) {
    let small = [0x5au8; 16];
    let big = vec![0xa5u8; 10_000];
    let out = dev_null();
    let mut storage = [0u8; BUFFER];
    match name {
        "zigio-streaming-small" | "zigio-positional-small" => {
            let mut w = zigio_writer(name, &out, &mut storage);
            for _ in 0..SMALL_WRITES {
                w.write_all(&small).unwrap();
            }
            w.flush().unwrap();
        }
        "zigio-streaming-mixed" | "zigio-positional-mixed" => {
            let mut w = zigio_writer(name, &out, &mut storage);
            for _ in 0..MIXED_PAIRS {
                w.write_all(&small).unwrap();
                w.write_all(&big).unwrap();
            }
            w.flush().unwrap();
        }
        "zigio-streaming-splat" => {
            let mut w = Writer::file_streaming(&out, &mut storage);
            for _ in 0..SPLATS {
                w.write_all(&small).unwrap();
                w.splat_byte_all(0, 1 << 20).unwrap();
            }
            w.flush().unwrap();
        }
        "bufwriter-small" => {
            let mut w = std::io::BufWriter::with_capacity(BUFFER, out);
            for _ in 0..SMALL_WRITES {
                w.write_all(&small).unwrap();
            }
            w.flush().unwrap();
        }
        "bufwriter-mixed" => {
            let mut w = std::io::BufWriter::with_capacity(BUFFER, out);
            for _ in 0..MIXED_PAIRS {
                w.write_all(&small).unwrap();
                w.write_all(&big).unwrap();
            }
            w.flush().unwrap();
        }
        other => panic!("{ENV}={other}: unknown workload"),
    }
}

/// Runs `workload` in a child under `strace -c -f` and returns the calls of
/// each write-family system call, from strace's summary table (strace
/// traces only [`WRITE_CALLS`], so no other call is counted).
fn count(workload: &str) -> Result<Syscalls, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let summary = tempfile::NamedTempFile::new().map_err(|e| format!("temp file: {e}"))?;
    let status = Command::new("strace")
        .arg("-f")
        .arg("-c")
        .arg("-o")
        .arg(summary.path())
        .arg("-e")
        .arg(format!("trace={}", WRITE_CALLS.join(",")))
        .arg(&exe)
        .env(ENV, workload)
        .status()
        .map_err(|e| {
            format!(
                "cannot run strace ({e}): this test needs it; install it (apt-get install strace; .ci/run does)"
            )
        })?;
    if !status.success() {
        return Err(format!(
            "strace -c -f {} ({workload}) exited with {status}",
            exe.display()
        ));
    }
    let text =
        std::fs::read_to_string(summary.path()).map_err(|e| format!("strace summary: {e}"))?;
    parse_summary(&text, summary.path()).map_err(|e| format!("{e}\nstrace summary was:\n{text}"))
}

/// The checks made so far: how many passed, and what failed.
struct Checks {
    passed: usize,
    failures: Vec<String>,
}

impl Checks {
    /// Records and prints one check of `what`.
    fn check(&mut self, ok: bool, what: String) {
        if ok {
            self.passed += 1;
            println!("ok: {what}");
        } else {
            println!("FAILED: {what}");
            self.failures.push(what);
        }
    }

    /// The `zigio` workload made write calls at all (an empty count would
    /// pass every upper bound).
    fn reached_the_kernel(&mut self, zigio: &str, calls: u64) {
        self.check(
            calls > 0,
            format!("{zigio}: the workload reached the kernel ({calls} calls)"),
        );
    }

    /// Every write call of the `zigio` workload was `call`.
    fn each_write_is(&mut self, zigio: &str, calls: &Syscalls, call: &str) {
        self.check(
            calls.0.keys().all(|name| name == call),
            format!("{zigio}: every write is one {call} ({:?})", calls.0),
        );
    }
}

fn main() -> ExitCode {
    if let Ok(name) = std::env::var(ENV) {
        run_workload(&name);
        return ExitCode::SUCCESS;
    }
    // `cargo test -- --list` and filters are passed through: list nothing
    // special, run everything.
    if std::env::args().any(|a| a == "--list") {
        println!("syscall_counts: test");
        return ExitCode::SUCCESS;
    }
    let mut failures = Vec::new();
    let mut measured = std::collections::BTreeMap::new();
    for workload in [
        "zigio-streaming-small",
        "zigio-positional-small",
        "bufwriter-small",
        "zigio-streaming-mixed",
        "zigio-positional-mixed",
        "bufwriter-mixed",
        "zigio-streaming-splat",
    ] {
        match count(workload) {
            Ok(calls) => {
                println!(
                    "{workload:>24}: {:>7} write calls {:?}",
                    calls.total(),
                    calls.0
                );
                measured.insert(workload, calls);
            }
            Err(e) => {
                println!("{workload}: {e}");
                failures.push(format!("{workload}: {e}"));
            }
        }
    }
    let mut checks = Checks {
        passed: 0,
        failures,
    };
    let get = |w: &str| measured.get(w).map(Syscalls::total);
    // Small writes: no more calls than BufWriter, each a plain write.
    for (zigio, expect_call) in [
        ("zigio-streaming-small", "write"),
        ("zigio-positional-small", "pwrite64"),
    ] {
        let (Some(z), Some(b)) = (get(zigio), get("bufwriter-small")) else {
            continue;
        };
        checks.reached_the_kernel(zigio, z);
        checks.check(
            z <= b,
            format!("{zigio}: {z} write calls <= BufWriter's {b}"),
        );
        checks.check(
            z.abs_diff(ZIG_SMALL) * 100 <= ZIG_SMALL,
            format!("{zigio}: {z} write calls within 1% of Zig 0.15.1's {ZIG_SMALL}"),
        );
        checks.each_write_is(zigio, &measured[zigio], expect_call);
    }
    // Mixed writes: one vectored call per pair, half of BufWriter's.
    for (zigio, expect_call) in [
        ("zigio-streaming-mixed", "writev"),
        ("zigio-positional-mixed", "pwritev"),
    ] {
        let (Some(z), Some(b)) = (get(zigio), get("bufwriter-mixed")) else {
            continue;
        };
        checks.reached_the_kernel(zigio, z);
        checks.check(
            z <= ZIG_MIXED,
            format!("{zigio}: {z} write calls <= Zig 0.15.1's {ZIG_MIXED}"),
        );
        checks.check(
            z * 2 <= b,
            format!("{zigio}: {z} write calls <= half of BufWriter's {b}"),
        );
        checks.each_write_is(zigio, &measured[zigio], expect_call);
    }
    if let Some(z) = get("zigio-streaming-splat") {
        checks.check(
            z > 0 && z <= SPLAT_BOUND,
            format!("zigio-streaming-splat: {z} write calls <= {SPLAT_BOUND}"),
        );
    }
    println!("{} passed, {} failed", checks.passed, checks.failures.len());
    if checks.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
