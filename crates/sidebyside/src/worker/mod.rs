//! The Rust side of a case: `sidebyside worker IMPL JOB...` runs one
//! [`Job`] with zigio (concrete or through `DynWriter`) or with std, and
//! reports like the Zig program does, on standard error: one `ns WALL CPU`
//! line per repetition (wall-clock and process CPU nanoseconds), then
//! `bytes N`.
//!
//! The runner starts a fresh process per case, so that each implementation
//! starts from the same state (no allocator or page-cache warmth carried
//! over from another implementation) and so that `strace -c -f` counts one
//! implementation's system calls only.

mod std_side;
mod zigio_side;

use std::fs::File;
use std::io::Write;
use std::os::fd::AsFd;
use std::time::Instant;

use crate::Error;
use crate::spec::{Impl, Job, Target};

/// Everything a repetition needs besides the job itself, prepared before
/// the clock starts.
pub struct Setup {
    /// The writers' buffer (zigio borrows it; std's `BufWriter` allocates
    /// its own of the same size).
    pub buffer: Vec<u8>,
    /// The output file of `null` and `pipe` targets.
    pub file: Option<File>,
    /// The `mixed` workload's large record.
    pub big: Vec<u8>,
}

/// Runs `args` (`IMPL WORKLOAD VARIANT TARGET BUF COUNT REPS DRY [SRC DST]`)
/// and prints the report to standard error.
///
/// # Errors
/// A bad command line, a workload or variant this implementation does not
/// have, or a failed write, read or open (with its OS error).
pub fn main(args: &[String]) -> Result<(), Error> {
    let (imp, rest) = args
        .split_first()
        .ok_or_else(|| Error::Usage("worker: missing IMPL".to_string()))?;
    let imp =
        Impl::parse(imp).ok_or_else(|| Error::Usage(format!("worker: unknown IMPL `{imp}`")))?;
    let job = Job::parse(rest)?;
    let mut setup = Setup {
        buffer: vec![0; job.buf],
        file: open_target(job.target)?,
        big: crate::spec::big_record(),
    };
    let mut report = String::new();
    let mut bytes = 0;
    for _ in 0..job.reps {
        let cpu0 = cpu_now()?;
        let start = Instant::now();
        bytes = match imp {
            Impl::Zigio => zigio_side::run(&job, &mut setup, false)?,
            Impl::ZigioDyn => zigio_side::run(&job, &mut setup, true)?,
            Impl::Std => std_side::run(&job, &mut setup)?,
            Impl::Zig | Impl::Cp => {
                return Err(Error::Usage(format!(
                    "worker: `{imp}` is not a Rust implementation"
                )));
            }
        };
        let ns = start.elapsed().as_nanos();
        let cpu = cpu_now()?.saturating_sub(cpu0);
        // A dry run prints the same lines, so that subtracting its system
        // calls leaves only the workload's.
        report.push_str(&format!("ns {ns} {cpu}\n"));
    }
    report.push_str(&format!("bytes {bytes}\n"));
    std::io::stderr()
        .write_all(report.as_bytes())
        .map_err(Error::process("worker", "cannot write the report"))
}

/// CPU time of this process (user and system), in nanoseconds: unlike
/// wall-clock time, it does not run on while other processes of a shared
/// machine have the CPU.
fn cpu_now() -> Result<u128, Error> {
    let ts = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    let negative = |_| Error::output("worker", "negative CPU time");
    let secs = u128::try_from(ts.tv_sec).map_err(negative)?;
    let nanos = u128::try_from(ts.tv_nsec).map_err(negative)?;
    Ok(secs * 1_000_000_000 + nanos)
}

fn open_target(target: Target) -> Result<Option<File>, Error> {
    match target {
        Target::Null => File::options()
            .write(true)
            .open("/dev/null")
            .map(Some)
            .map_err(Error::io("open", "/dev/null")),
        // A `File` on a duplicate of descriptor 1: unlike `io::Stdout` it
        // has no lock and no line buffering of its own.
        Target::Pipe => std::io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .map(|fd| Some(File::from(fd)))
            .map_err(Error::process("worker", "cannot duplicate standard output")),
        Target::None => Ok(None),
    }
}

/// The output file of a `null` or `pipe` job.
fn target_file<'s>(job: &Job, file: &'s Option<File>) -> Result<&'s File, Error> {
    file.as_ref().ok_or_else(|| {
        Error::Usage(format!(
            "workload `{}` needs a null or pipe target, not `{}`",
            job.workload,
            job.target.as_str()
        ))
    })
}

/// Bytes that one repetition of a `small` or `mixed` job writes.
fn bytes_of(job: &Job, big: &[u8]) -> u64 {
    let per_op = match job.workload.as_str() {
        "small" => crate::spec::SMALL_RECORD.len(),
        _ => crate::spec::SMALL_RECORD.len() + big.len(),
    };
    job.count * per_op as u64
}

/// The source and destination paths of a `copy` job.
fn copy_files(job: &Job) -> Result<(&str, &str), Error> {
    job.files
        .as_ref()
        .map(|(s, d)| (s.as_str(), d.as_str()))
        .ok_or_else(|| Error::Usage("copy needs SRC and DST".to_string()))
}

fn unknown_variant(job: &Job, imp: &'static str) -> Error {
    Error::Unsupported {
        imp,
        workload: job.workload.clone(),
        variant: job.variant.clone(),
    }
}
