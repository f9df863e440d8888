//! What is measured: the workloads, the implementations that run each one,
//! the ratios reported, and the performance targets the project sets on
//! them (shown on the Measurements page).
//!
//! Every process of the benchmark (the Rust worker, the Zig program) takes
//! the same command line, a [`Job`]:
//!
//! ```text
//! WORKLOAD VARIANT TARGET BUF COUNT REPS DRY [SRC DST]
//! ```
//!
//! so that one description of a case drives all three implementations.

use std::fmt;

use crate::Error;

/// Size of the writers' buffers in every workload but the buffer sweep.
pub const BUFFER: usize = 4096;

/// The 16-byte record of the `small` and `mixed` workloads.
pub const SMALL_RECORD: &[u8; 16] = b"0123456789abcdef";

/// Length of the large record of the `mixed` workload.
pub const BIG_LEN: usize = 10_000;

/// Size of one write in the loops that the splat is compared with, and of
/// the reads of the read/write copy loop.
pub const BLOCK: usize = 4096;

/// Bytes of the file that the `copy` workload copies: 256 MiB.
pub const COPY_BYTES: u64 = 256 << 20;

/// The 10,000-byte record of the `mixed` workload: byte `i` is
/// `(i * 31 + 7) mod 256`, as `bench.zig` computes it.
pub fn big_record() -> Vec<u8> {
    (0..BIG_LEN).map(|i| (i * 31 + 7) as u8).collect()
}

/// The integer formatted by the `fmt` workload for index `i` (the same
/// function as `value` in `bench.zig`): a splitmix64 scramble shifted right
/// by `i % 64`, so that lengths go from 1 to 20 digits.
pub fn value(i: u64) -> u64 {
    let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    z >> (i & 63)
}

/// Who runs a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impl {
    /// zigio through its concrete writer type (`Writer<S>`).
    Zigio,
    /// zigio through the non-generic interface (`&mut DynWriter`).
    ZigioDyn,
    /// Rust's standard library: `BufWriter`, `Vec`, `io::copy`.
    Std,
    /// Zig 0.15.1's `std.Io.Writer`, built ReleaseFast.
    Zig,
    /// GNU coreutils `cp`, the reference for file copies.
    Cp,
}

impl Impl {
    /// The name on the worker's command line and in the results.
    pub fn as_str(self) -> &'static str {
        match self {
            Impl::Zigio => "zigio",
            Impl::ZigioDyn => "zigio-dyn",
            Impl::Std => "std",
            Impl::Zig => "zig",
            Impl::Cp => "cp",
        }
    }

    /// Parses [`as_str`](Self::as_str)'s names.
    pub fn parse(s: &str) -> Option<Impl> {
        [Impl::Zigio, Impl::ZigioDyn, Impl::Std, Impl::Zig, Impl::Cp]
            .into_iter()
            .find(|i| i.as_str() == s)
    }
}

impl fmt::Display for Impl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a workload's bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// `/dev/null`, opened for writing.
    Null,
    /// The process's standard output, which the runner makes a pipe and
    /// reads to the end.
    Pipe,
    /// Memory (discarding or allocating writers) or files named by the job.
    None,
}

impl Target {
    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Null => "null",
            Target::Pipe => "pipe",
            Target::None => "none",
        }
    }

    /// Parses [`as_str`](Self::as_str)'s names.
    pub fn parse(s: &str) -> Option<Target> {
        [Target::Null, Target::Pipe, Target::None]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// One process's work: the command line shared by the Rust worker and the
/// Zig program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// `small`, `mixed`, `fmt`, `splat-alloc`, `splat-file` or `copy`.
    pub workload: String,
    /// Which way of doing the workload, e.g. `write`, `splat`, `loop`.
    pub variant: String,
    /// Where the bytes go.
    pub target: Target,
    /// Buffer size in bytes.
    pub buf: usize,
    /// Operations (writes, pairs, numbers) or bytes (splat), per the
    /// workload.
    pub count: u64,
    /// Repetitions in the process, each timed.
    pub reps: u32,
    /// Do the setup only: the system calls of a dry run are subtracted
    /// from those of a real run.
    pub dry: bool,
    /// Source and destination files of `copy`.
    pub files: Option<(String, String)>,
}

impl Job {
    /// The command-line arguments, in the order [`Job::parse`] reads them.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = vec![
            self.workload.clone(),
            self.variant.clone(),
            self.target.as_str().to_string(),
            self.buf.to_string(),
            self.count.to_string(),
            self.reps.to_string(),
            u8::from(self.dry).to_string(),
        ];
        if let Some((src, dst)) = &self.files {
            args.push(src.clone());
            args.push(dst.clone());
        }
        args
    }

    /// Reads `WORKLOAD VARIANT TARGET BUF COUNT REPS DRY [SRC DST]`.
    ///
    /// # Errors
    /// An [`Error::Usage`] naming the argument that is missing or
    /// malformed.
    pub fn parse(args: &[String]) -> Result<Job, Error> {
        if args.len() != 7 && args.len() != 9 {
            return Err(Error::Usage(format!(
                "expected WORKLOAD VARIANT TARGET BUF COUNT REPS DRY [SRC DST], got {} arguments: {args:?}",
                args.len()
            )));
        }
        let number = |name: &str, s: &str| -> Result<u64, Error> {
            s.parse()
                .map_err(|e| Error::Usage(format!("{name} is not a number: `{s}` ({e})")))
        };
        let too_large = |name: &str, s: &str| Error::Usage(format!("{name} is too large: {s}"));
        let target = Target::parse(&args[2]).ok_or_else(|| {
            Error::Usage(format!(
                "TARGET must be null, pipe or none, not `{}`",
                args[2]
            ))
        })?;
        let buf =
            usize::try_from(number("BUF", &args[3])?).map_err(|_| too_large("BUF", &args[3]))?;
        let reps =
            u32::try_from(number("REPS", &args[5])?).map_err(|_| too_large("REPS", &args[5]))?;
        let dry = match args[6].as_str() {
            "0" => false,
            "1" => true,
            other => return Err(Error::Usage(format!("DRY must be 0 or 1, not `{other}`"))),
        };
        Ok(Job {
            workload: args[0].clone(),
            variant: args[1].clone(),
            target,
            buf,
            count: number("COUNT", &args[4])?,
            reps,
            dry,
            files: (args.len() == 9).then(|| (args[7].clone(), args[8].clone())),
        })
    }
}

/// One implementation doing one variant of a workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Who runs it.
    pub imp: Impl,
    /// The job's variant.
    pub variant: &'static str,
    /// How the page names it, e.g. "zigio, one splat".
    pub label: &'static str,
}

impl Case {
    /// `imp/variant`, the key of the case in the results.
    pub fn id(&self) -> String {
        format!("{}/{}", self.imp, self.variant)
    }
}

/// Which time a workload is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clock {
    /// Wall-clock time: what a pipe's reader or a file copy waits for.
    #[default]
    Wall,
    /// CPU time of the process (user + system): what the work itself
    /// costs, unaffected by other processes taking the CPU on a shared
    /// machine. For workloads that never wait (memory, /dev/null) it is
    /// the wall-clock time of an undisturbed run.
    Cpu,
}

/// Which quantity a target bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Median over rounds of the per-round time ratio.
    Time,
    /// Ratio of system-call counts (one strace run of each case).
    Syscalls,
}

/// A ratio `numerator / denominator` between two cases of a workload, and
/// the performance target on it, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct RatioSpec {
    /// Case id of the numerator.
    pub num: String,
    /// Case id of the denominator.
    pub den: String,
    /// Time or system calls.
    pub measure: Measure,
    /// The ratio must be at most this, when set.
    pub at_most: Option<f64>,
    /// The target in words, as the page states it.
    pub goal: &'static str,
}

/// A workload: what to do, with which cases, and which ratios to report.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Unique id, e.g. `small-pipe`.
    pub id: &'static str,
    /// One line for the page.
    pub title: &'static str,
    /// The job's workload name.
    pub kind: &'static str,
    /// Where the bytes go.
    pub target: Target,
    /// The job's count.
    pub count: u64,
    /// Bytes that one repetition moves (checked against each process).
    pub bytes: u64,
    /// Repetitions per process; the fastest is kept.
    pub reps: u32,
    /// Which time is compared.
    pub clock: Clock,
    /// The implementations and variants that run it.
    pub cases: Vec<Case>,
    /// What is compared.
    pub ratios: Vec<RatioSpec>,
}

fn case(imp: Impl, variant: &'static str, label: &'static str) -> Case {
    Case {
        imp,
        variant,
        label,
    }
}

fn ratio(
    num: &str, den: &str, measure: Measure, at_most: Option<f64>, goal: &'static str,
) -> RatioSpec {
    RatioSpec {
        num: num.to_string(),
        den: den.to_string(),
        measure,
        at_most,
        goal,
    }
}

/// The benchmark's workloads, with their performance targets. `scale` divides
/// every count (1 for the real run; tests and `--quick` use more).
pub fn workloads(scale: u64) -> Vec<Workload> {
    use Impl::*;
    use Measure::*;
    let scale = scale.max(1);
    let writes = 1_000_000 / scale;
    let pairs = 100_000 / scale;
    let numbers = 1_000_000 / scale;
    let zeros = (64 << 20) / scale;
    let pair_bytes = (SMALL_RECORD.len() + BIG_LEN) as u64;
    let small = |id, title, target| Workload {
        id,
        title,
        kind: "small",
        target,
        count: writes,
        bytes: writes * SMALL_RECORD.len() as u64,
        reps: 5,
        clock: clock_of(target),
        cases: vec![
            case(Zigio, "write", "zigio"),
            case(ZigioDyn, "write", "zigio through DynWriter"),
            case(Std, "write", "std BufWriter"),
            case(Zig, "write", "Zig std.Io.Writer"),
        ],
        ratios: vec![
            ratio(
                "zigio/write",
                "std/write",
                Time,
                Some(1.0),
                "at least as fast as std's BufWriter",
            ),
            ratio(
                "zigio/write",
                "zig/write",
                Time,
                Some(1.0),
                "at least as fast as Zig",
            ),
            ratio(
                "zigio-dyn/write",
                "zigio/write",
                Time,
                Some(1.1),
                "non-generic interface within 10% of the concrete type",
            ),
            ratio(
                "zigio/write",
                "std/write",
                Syscalls,
                Some(1.0),
                "no more system calls than BufWriter",
            ),
            ratio("zigio/write", "zig/write", Syscalls, None, ""),
        ],
    };
    let mixed = |id, title, target, time_goal: Option<f64>, goal| Workload {
        id,
        title,
        kind: "mixed",
        target,
        count: pairs,
        bytes: pairs * pair_bytes,
        reps: 3,
        clock: clock_of(target),
        cases: vec![
            case(Zigio, "write", "zigio"),
            case(Std, "write", "std BufWriter"),
            case(Zig, "write", "Zig std.Io.Writer"),
        ],
        ratios: vec![
            ratio("zigio/write", "std/write", Time, time_goal, goal),
            ratio("zigio/write", "zig/write", Time, None, ""),
            ratio(
                "zigio/write",
                "std/write",
                Syscalls,
                Some(0.5),
                "half the system calls of BufWriter",
            ),
            ratio(
                "zigio/write",
                "zig/write",
                Syscalls,
                Some(1.0),
                "no more system calls than Zig",
            ),
        ],
    };
    vec![
        small(
            "small-null",
            "1e6 writes of 16 bytes to /dev/null",
            Target::Null,
        ),
        small(
            "small-pipe",
            "1e6 writes of 16 bytes to a pipe",
            Target::Pipe,
        ),
        mixed(
            "mixed-null",
            "100k pairs of 16 + 10,000 bytes to /dev/null",
            Target::Null,
            None,
            "",
        ),
        mixed(
            "mixed-pipe",
            "100k pairs of 16 + 10,000 bytes to a pipe",
            Target::Pipe,
            Some(1.0 / 1.3),
            "at least 1.3x faster than BufWriter",
        ),
        Workload {
            id: "fmt",
            title: "1e6 formatted u64 (`write!`) into a discarding writer",
            kind: "fmt",
            target: Target::None,
            count: numbers,
            bytes: (0..numbers)
                .map(|i| value(i).to_string().len() as u64 + 1)
                .sum(),
            reps: 5,
            clock: Clock::Cpu,
            cases: vec![
                case(Zigio, "write", "zigio write!"),
                case(ZigioDyn, "write", "zigio write! through DynWriter"),
                case(
                    Std,
                    "write",
                    "std write! into a BufWriter over a counting sink",
                ),
                case(Zig, "write", "Zig print into Writer.Discarding"),
            ],
            ratios: vec![
                ratio("zigio/write", "std/write", Time, None, ""),
                ratio("zigio/write", "zig/write", Time, None, ""),
                ratio(
                    "zigio-dyn/write",
                    "zigio/write",
                    Time,
                    Some(1.1),
                    "non-generic interface within 10% of the concrete type",
                ),
            ],
        },
        Workload {
            id: "splat-alloc",
            title: "64 MiB of zeros into an allocating writer",
            kind: "splat-alloc",
            target: Target::None,
            count: zeros,
            bytes: zeros,
            reps: 3,
            clock: Clock::Cpu,
            cases: vec![
                case(Zigio, "splat", "zigio, one splat"),
                case(Zigio, "loop", "zigio, 4 KiB writes"),
                case(Std, "resize", "std Vec::resize(n, 0)"),
                case(Std, "loop", "std Vec, 4 KiB writes"),
                case(Zig, "splat", "Zig Allocating, one splat"),
                case(Zig, "loop", "Zig Allocating, 4 KiB writes"),
            ],
            ratios: vec![
                ratio(
                    "zigio/splat",
                    "std/resize",
                    Time,
                    Some(2.0),
                    "within 2x of Vec::resize(n, 0)",
                ),
                ratio("zigio/splat", "zigio/loop", Time, None, ""),
                ratio("zigio/splat", "zig/splat", Time, None, ""),
                ratio("zigio/loop", "std/loop", Time, None, ""),
            ],
        },
        Workload {
            id: "splat-null",
            title: "64 MiB of zeros to /dev/null",
            kind: "splat-file",
            target: Target::Null,
            count: zeros,
            bytes: zeros,
            reps: 3,
            clock: Clock::Cpu,
            cases: vec![
                case(Zigio, "splat", "zigio, one splat"),
                case(Zigio, "loop", "zigio, 4 KiB writes"),
                case(Std, "loop", "std BufWriter, 4 KiB writes"),
                case(Std, "repeat", "std io::copy(io::repeat(0).take(n))"),
                case(Zig, "splat", "Zig, one splat"),
                case(Zig, "loop", "Zig, 4 KiB writes"),
            ],
            ratios: vec![
                ratio(
                    "zigio/splat",
                    "zigio/loop",
                    Syscalls,
                    // Both zigio and Zig send at most 16 slices per call, so
                    // against a loop that drains 8 KiB per call the most a
                    // 4 KiB buffer can give is 16 x 4 KiB / 8 KiB = 8x.
                    Some(0.25),
                    "far fewer system calls than the loop (at least 4x)",
                ),
                ratio("zigio/splat", "zig/splat", Syscalls, None, ""),
                ratio("zigio/splat", "zigio/loop", Time, None, ""),
                ratio("zigio/splat", "std/loop", Time, None, ""),
                ratio("zigio/splat", "zig/splat", Time, None, ""),
            ],
        },
        Workload {
            id: "copy",
            title: "file to file copy of 256 MiB",
            kind: "copy",
            target: Target::None,
            count: COPY_BYTES / scale,
            bytes: COPY_BYTES / scale,
            reps: 2,
            clock: Clock::Wall,
            cases: vec![
                case(Zigio, "sendfile", "zigio send_file_all"),
                case(Zigio, "rw", "zigio, read/write loop"),
                case(Std, "copy", "std io::copy"),
                case(Std, "rw", "std BufWriter, read/write loop"),
                case(Zig, "sendfile", "Zig sendFileAll (positional writer)"),
                case(
                    Zig,
                    "sendfile-streaming",
                    "Zig sendFileAll (streaming writer)",
                ),
                case(Zig, "rw", "Zig, read/write loop"),
                case(Cp, "cp", "cp"),
            ],
            ratios: vec![
                ratio(
                    "zigio/sendfile",
                    "cp/cp",
                    Time,
                    Some(1.1),
                    "within 10% of cp",
                ),
                ratio(
                    "zigio/sendfile",
                    "zigio/rw",
                    Time,
                    Some(1.0),
                    "faster than the read/write loop",
                ),
                ratio("zigio/sendfile", "std/copy", Time, None, ""),
                ratio("zigio/sendfile", "zig/sendfile", Time, None, ""),
                ratio("zigio/sendfile", "zigio/rw", Syscalls, None, ""),
            ],
        },
    ]
}

/// The clock of a workload with this target: wall-clock time for a pipe
/// (the writer waits for the reader), CPU time otherwise.
pub fn clock_of(target: Target) -> Clock {
    match target {
        Target::Pipe => Clock::Wall,
        Target::Null | Target::None => Clock::Cpu,
    }
}

/// Buffer sizes of the sweep: 0 to 64 KiB.
pub const SWEEP_BUFFERS: [usize; 8] = [0, 16, 256, 1024, 4096, 8192, 16384, 65536];

/// The workloads of the throughput-versus-buffer-size sweep, smaller than
/// the main ones because an unbuffered writer makes one system call per
/// write: (id, title, job workload, count, bytes per repetition).
pub fn sweep_workloads(scale: u64) -> Vec<(&'static str, &'static str, &'static str, u64, u64)> {
    let scale = scale.max(1);
    let writes = 200_000 / scale;
    let pairs = 20_000 / scale;
    vec![
        (
            "small-null",
            "writes of 16 bytes to /dev/null",
            "small",
            writes,
            writes * SMALL_RECORD.len() as u64,
        ),
        (
            "mixed-null",
            "pairs of 16 + 10,000 bytes to /dev/null",
            "mixed",
            pairs,
            pairs * (SMALL_RECORD.len() + BIG_LEN) as u64,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_round_trips_through_its_command_line() {
        let job = Job {
            workload: "copy".into(),
            variant: "rw".into(),
            target: Target::None,
            buf: 4096,
            count: 7,
            reps: 2,
            dry: true,
            files: Some(("a".into(), "b".into())),
        };
        assert_eq!(Job::parse(&job.to_args()).unwrap(), job);
    }

    #[test]
    fn job_parse_names_the_bad_argument() {
        let args: Vec<String> = ["small", "write", "null", "4k", "1", "1", "0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let err = Job::parse(&args).unwrap_err().to_string();
        assert!(err.contains("BUF is not a number: `4k`"), "{err}");
        let mut args = args;
        args[3] = "4096".into();
        args[2] = "disk".into();
        assert!(
            Job::parse(&args)
                .unwrap_err()
                .to_string()
                .contains("`disk`")
        );
    }

    #[test]
    fn every_ratio_names_cases_of_its_workload() {
        for w in workloads(1) {
            let ids: Vec<String> = w.cases.iter().map(Case::id).collect();
            for r in &w.ratios {
                assert!(ids.contains(&r.num), "{}: {}", w.id, r.num);
                assert!(ids.contains(&r.den), "{}: {}", w.id, r.den);
            }
        }
    }
}
