//! The run: build the Zig program, then rounds of every workload with the
//! implementations alternating, system-call counts under strace, and the
//! buffer sweep.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Instant;

use crate::Error;
use crate::report::{mb_per_s, median, parse_report};
use crate::results::{Raw, Results, SCHEMA, SweepResult, SweepSeries, summarize};
use crate::spec::{self, Case, Clock, Impl, Job, Target, Workload};
use crate::strace::{Syscalls, parse_summary};

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rounds of the main workloads (each case runs once per round).
    pub rounds: u32,
    /// Rounds of the buffer sweep.
    pub sweep_rounds: u32,
    /// Every count is divided by this (1 for real numbers).
    pub scale: u64,
    /// Only these workload ids; all if empty.
    pub only: Vec<String>,
    /// Run the buffer sweep.
    pub sweep: bool,
    /// Count system calls with strace.
    pub strace: bool,
    /// The command line to record in the results.
    pub command: String,
}

/// The programs and files a run uses.
#[derive(Debug, Clone)]
pub struct Programs {
    /// This executable, run as `worker`.
    pub worker: PathBuf,
    /// The Zig program, built ReleaseFast.
    pub zig_bench: PathBuf,
    /// The pinned compiler.
    pub zig: PathBuf,
    /// Where strace summaries go.
    pub strace_dir: PathBuf,
    /// The `copy` workload's source file.
    pub src: PathBuf,
    /// An empty file: the source of `cp`'s dry run.
    pub empty: PathBuf,
    /// The `copy` workload's destination, removed before every process.
    pub dst: PathBuf,
}

/// The directory of this runner's outputs: `target/sidebyside` in the
/// repository (the workspace's `target/`, where the pinned Zig lives too).
pub fn out_dir() -> PathBuf {
    pinned_zig::workspace_target_dir().join("sidebyside")
}

/// Builds the Zig program and lays out the scratch files.
///
/// # Errors
/// A failed Zig install or build (with the compiler's message), or a file
/// that cannot be written.
pub fn prepare(dir: &Path, copy_bytes: u64) -> Result<Programs, Error> {
    let zig = pinned_zig::zig()?;
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("zig")
        .join("bench.zig");
    eprintln!(
        "sidebyside: building {} with Zig 0.15.1 -O ReleaseFast",
        source.display()
    );
    let zig_bench = zig.build_exe(
        &source,
        &dir.join("bench-zig"),
        &pinned_zig::BuildOptions {
            optimize: "ReleaseFast",
            ..Default::default()
        },
    )?;
    let scratch = dir.join("scratch");
    fs::create_dir_all(&scratch).map_err(Error::io("create", &scratch))?;
    let src = scratch.join("copy-src.bin");
    ensure_source_file(&src, copy_bytes)?;
    let empty = scratch.join("empty.bin");
    File::create(&empty).map_err(Error::io("create", &empty))?;
    let strace_dir = dir.join("strace");
    fs::create_dir_all(&strace_dir).map_err(Error::io("create", &strace_dir))?;
    Ok(Programs {
        worker: std::env::current_exe()
            .map_err(Error::process("this runner", "cannot find its executable"))?,
        zig_bench,
        zig: zig.exe(),
        strace_dir,
        src,
        empty,
        dst: scratch.join("copy-dst.bin"),
    })
}

/// Writes `len` pseudo-random bytes (xorshift64, fixed seed) to `path`
/// unless a file of that length is already there. Random bytes, so that no
/// layer can take a shortcut for zeros.
fn ensure_source_file(path: &Path, len: u64) -> Result<(), Error> {
    if fs::metadata(path).is_ok_and(|m| m.len() == len) {
        return Ok(());
    }
    let err = |e: io::Error| Error::io("write", path)(e);
    let mut out = io::BufWriter::new(File::create(path).map_err(err)?);
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut left = len;
    let mut block = [0u8; 1 << 16];
    while left > 0 {
        for chunk in block.chunks_exact_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk.copy_from_slice(&x.to_le_bytes());
        }
        let k = left.min(block.len() as u64) as usize;
        out.write_all(&block[..k]).map_err(err)?;
        left -= k as u64;
    }
    out.flush().map_err(err)
}

/// The (real, not dry) job of `case` in a workload kind, with these
/// parameters.
fn job(
    kind: &str, target: Target, case: &Case, p: &Programs, buf: usize, count: u64, reps: u32,
) -> Job {
    Job {
        workload: kind.to_string(),
        variant: case.variant.to_string(),
        target,
        buf,
        count,
        reps,
        dry: false,
        files: (kind == "copy").then(|| {
            (
                p.src.to_string_lossy().into_owned(),
                p.dst.to_string_lossy().into_owned(),
            )
        }),
    }
}

/// The command that runs `job` for `imp` (not for `cp`).
fn command(imp: Impl, job: &Job, p: &Programs) -> Command {
    let mut cmd = match imp {
        Impl::Zig => Command::new(&p.zig_bench),
        _ => {
            let mut c = Command::new(&p.worker);
            c.arg("worker").arg(imp.as_str());
            c
        }
    };
    cmd.args(job.to_args());
    cmd
}

/// `cp SRC DST`, or `cp EMPTY DST` for a dry run.
fn cp_command(job: &Job, p: &Programs) -> Command {
    let mut cmd = Command::new("cp");
    cmd.arg(if job.dry { &p.empty } else { &p.src }).arg(&p.dst);
    cmd
}

/// The CPUs of a pipe workload's reader and writer: the first two this
/// process may run on, or `None` with fewer. Left to the scheduler, the two
/// sometimes share a CPU and sometimes not, and a pipe's throughput changes
/// severalfold between the two (each write then wakes a reader that is
/// waiting on the same CPU, or on the other one); pinned, every case runs
/// the same way.
fn pipe_cpus() -> Option<(usize, usize)> {
    let set = rustix::thread::sched_getaffinity(None).ok()?;
    let mut cpus = (0..rustix::thread::CpuSet::MAX_CPU).filter(|&c| set.is_set(c));
    Some((cpus.next()?, cpus.next()?))
}

/// Pins process `pid` (this thread for `None`) to `cpu`. A process is
/// pinned right after it starts: its set-up may begin elsewhere, and its
/// first repetition too, which the fastest-of-the-repetitions rule absorbs.
fn pin(pid: Option<u32>, cpu: usize) -> io::Result<()> {
    let mut set = rustix::thread::CpuSet::new();
    set.set(cpu);
    let pid = match pid {
        Some(id) => Some(
            i32::try_from(id)
                .ok()
                .and_then(rustix::process::Pid::from_raw)
                .ok_or_else(|| io::Error::other(format!("process id {id} out of range")))?,
        ),
        None => None,
    };
    rustix::thread::sched_setaffinity(pid, &set).map_err(io::Error::from)
}

/// Runs `cmd`, reading a pipe target to the end, and returns its standard
/// error and the number of bytes read from its standard output. For a pipe
/// the writer and the reader are pinned to two CPUs ([`pipe_cpus`]).
fn run_process(mut cmd: Command, target: Target, who: &str) -> Result<(String, u64), Error> {
    cmd.stdin(Stdio::null()).stderr(Stdio::piped());
    cmd.stdout(if target == Target::Pipe {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().map_err(Error::process(
        who,
        format!("cannot start {:?}", cmd.get_program()),
    ))?;
    let cpus = (target == Target::Pipe).then(pipe_cpus).flatten();
    if let Some((_, writer_cpu)) = cpus {
        pin(Some(child.id()), writer_cpu).map_err(Error::process(
            who,
            format!("cannot pin it to CPU {writer_cpu}"),
        ))?;
    }
    let reader = child.stdout.take().map(|mut out| {
        thread::spawn(move || -> io::Result<u64> {
            if let Some((reader_cpu, _)) = cpus {
                pin(None, reader_cpu)?;
            }
            let mut buf = vec![0u8; 1 << 16];
            let mut total = 0u64;
            loop {
                match out.read(&mut buf) {
                    Ok(0) => return Ok(total),
                    Ok(n) => total += n as u64,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        })
    });
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr)
            .map_err(Error::process(who, "cannot read its standard error"))?;
    }
    let status = child
        .wait()
        .map_err(Error::process(who, "cannot wait for it"))?;
    let piped = match reader {
        Some(h) => h
            .join()
            .map_err(|_| Error::output(who, "the pipe reader panicked"))?
            .map_err(Error::process(who, "cannot read its pipe"))?,
        None => 0,
    };
    if !status.success() {
        return Err(Error::Failed {
            who: who.to_string(),
            status,
            stderr: stderr.trim_end().to_string(),
        });
    }
    Ok((stderr, piped))
}

/// Runs `job` for `imp` once (one process, `job.reps` repetitions) and
/// returns the time of each repetition by `clock`, after checking that it
/// moved `bytes` bytes per repetition. `cp` is timed by this process, on
/// the wall clock only.
pub(crate) fn run_timed(
    imp: Impl, job: &Job, bytes: u64, clock: Clock, p: &Programs,
) -> Result<Vec<u64>, Error> {
    let who = format!("{imp} {} {}", job.workload, job.variant);
    if imp == Impl::Cp {
        if clock != Clock::Wall {
            return Err(Error::output(
                &who,
                "cp can only be timed on the wall clock",
            ));
        }
        let mut times = Vec::new();
        for _ in 0..job.reps {
            remove_dst(p)?;
            let start = Instant::now();
            run_process(cp_command(job, p), Target::None, &who)?;
            times.push(start.elapsed().as_nanos() as u64);
            check_dst(p, bytes, &who)?;
        }
        remove_dst(p)?;
        return Ok(times);
    }
    remove_dst(p)?;
    let (stderr, piped) = run_process(command(imp, job, p), job.target, &who)?;
    let report = parse_report(&stderr, &who)?;
    if report.bytes != bytes {
        return Err(Error::output(
            &who,
            format!(
                "wrote {} bytes per repetition, the workload is {bytes}",
                report.bytes
            ),
        ));
    }
    if job.target == Target::Pipe && piped != bytes * u64::from(job.reps) {
        return Err(Error::output(
            &who,
            format!(
                "the pipe carried {piped} bytes, expected {} x {bytes}",
                job.reps
            ),
        ));
    }
    if job.workload == "copy" {
        check_dst(p, bytes, &who)?;
        remove_dst(p)?;
    }
    if report.ns.len() != job.reps as usize || report.cpu.len() != job.reps as usize {
        return Err(Error::output(
            &who,
            format!(
                "reported {} times for {} repetitions",
                report.ns.len(),
                job.reps
            ),
        ));
    }
    Ok(match clock {
        Clock::Wall => report.ns,
        Clock::Cpu => report.cpu,
    })
}

fn remove_dst(p: &Programs) -> Result<(), Error> {
    match fs::remove_file(&p.dst) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io("remove", &p.dst)(e)),
        _ => Ok(()),
    }
}

fn check_dst(p: &Programs, bytes: u64, who: &str) -> Result<(), Error> {
    let len = fs::metadata(&p.dst)
        .map_err(Error::process(
            who,
            format!("no copy at {}", p.dst.display()),
        ))?
        .len();
    if len != bytes {
        return Err(Error::output(
            who,
            format!("the copy has {len} bytes, the source {bytes}"),
        ));
    }
    Ok(())
}

/// System calls of one repetition of `job` for `imp`: a real run minus a
/// dry run, both under `strace -c -f`.
fn count_syscalls(imp: Impl, job: &Job, p: &Programs, name: &str) -> Result<Syscalls, Error> {
    let mut counts = Vec::new();
    for dry in [false, true] {
        let job = Job {
            reps: 1,
            dry,
            ..job.clone()
        };
        let inner = if imp == Impl::Cp {
            cp_command(&job, p)
        } else {
            command(imp, &job, p)
        };
        let out = p
            .strace_dir
            .join(format!("{name}.{}.txt", if dry { "dry" } else { "real" }));
        let mut cmd = Command::new("strace");
        cmd.arg("-c").arg("-f").arg("-o").arg(&out).arg("--");
        cmd.arg(inner.get_program()).args(inner.get_args());
        remove_dst(p)?;
        run_process(cmd, job.target, &format!("strace of {name}"))?;
        let text = fs::read_to_string(&out).map_err(Error::io("read", &out))?;
        counts.push(parse_summary(&text, &out)?);
    }
    remove_dst(p)?;
    Ok(counts[0].minus(&counts[1]))
}

/// `items` rotated left by `by`: the order of the cases in one round.
pub fn rotated<T: Clone>(items: &[T], by: usize) -> Vec<T> {
    let mut v = items.to_vec();
    if !v.is_empty() {
        let k = by % v.len();
        v.rotate_left(k);
    }
    v
}

/// Runs everything `options` asks for.
///
/// # Errors
/// The first process that fails, with its output, or a setup step.
pub fn run(options: &Options) -> Result<Results, Error> {
    let dir = out_dir();
    let workloads: Vec<Workload> = spec::workloads(options.scale)
        .into_iter()
        .filter(|w| options.only.is_empty() || options.only.iter().any(|o| o == w.id))
        .collect();
    if workloads.is_empty() && !options.sweep {
        return Err(Error::Usage(format!(
            "no workload matches {:?}",
            options.only
        )));
    }
    // Two runs at once would share the scratch files and the Zig program,
    // and measure each other.
    fs::create_dir_all(&dir).map_err(Error::io("create", &dir))?;
    let lock_path = dir.join("run.lock");
    let lock = File::create(&lock_path).map_err(Error::io("create", &lock_path))?;
    lock.try_lock().map_err(|source| Error::Busy {
        path: lock_path.clone(),
        source,
    })?;
    let copy_bytes = spec::COPY_BYTES / options.scale.max(1);
    let p = prepare(&dir, copy_bytes)?;
    let mut raws: Vec<Raw> = vec![Raw::default(); workloads.len()];
    for round in 0..options.rounds {
        for (w, raw) in workloads.iter().zip(&mut raws) {
            let mut line = format!("round {}/{} {:<12}", round + 1, options.rounds, w.id);
            for case in rotated(&w.cases, round as usize) {
                let job = job(w.kind, w.target, &case, &p, spec::BUFFER, w.count, w.reps);
                let times = run_timed(case.imp, &job, w.bytes, w.clock, &p)?;
                let best = *times.iter().min().expect("reps >= 1");
                line.push_str(&format!("  {} {:.2} ms", case.id(), best as f64 / 1e6));
                raw.ns.entry(case.id()).or_default().push(best);
            }
            eprintln!("{line}");
        }
    }
    if options.strace {
        for (w, raw) in workloads.iter().zip(&mut raws) {
            for case in &w.cases {
                let job = job(w.kind, w.target, case, &p, spec::BUFFER, w.count, 1);
                let name = format!("{}.{}.{}", w.id, case.imp, case.variant);
                let calls = count_syscalls(case.imp, &job, &p, &name)?;
                eprintln!(
                    "strace {:<12} {:<28} {:>8} calls: {}",
                    w.id,
                    case.id(),
                    calls.total(),
                    calls
                        .top(3)
                        .iter()
                        .map(|(n, c)| format!("{n} {c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                raw.syscalls.insert(case.id(), calls);
            }
        }
    }
    let (sweep, drain_sweep) = if options.sweep {
        (
            run_sweep(options, &p)?,
            crate::drain::run(options.rounds, options.scale, &p)?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let zig = p.zig.clone();
    Ok(Results {
        schema: SCHEMA,
        measured_at: crate::machine::now_utc(),
        command: options.command.clone(),
        rounds: options.rounds,
        sweep_rounds: if options.sweep {
            options.sweep_rounds
        } else {
            0
        },
        machine: crate::machine::describe(&zig),
        workloads: workloads
            .iter()
            .zip(&raws)
            .map(|(w, raw)| summarize(w, raw))
            .collect(),
        sweep,
        drain_sweep,
    })
}

/// The implementations of the sweep.
const SWEEP_IMPLS: [Impl; 3] = [Impl::Zigio, Impl::Std, Impl::Zig];

fn run_sweep(options: &Options, p: &Programs) -> Result<Vec<SweepResult>, Error> {
    let mut out = Vec::new();
    for (id, title, kind, count, bytes) in spec::sweep_workloads(options.scale) {
        let mut series: Vec<SweepSeries> = SWEEP_IMPLS
            .iter()
            .map(|&imp| SweepSeries {
                imp,
                median_ns: Vec::new(),
                mb_per_s: Vec::new(),
            })
            .collect();
        for &buf in &spec::SWEEP_BUFFERS {
            let mut times: Vec<Vec<f64>> = vec![Vec::new(); SWEEP_IMPLS.len()];
            for round in 0..options.sweep_rounds {
                for (i, imp) in rotated(
                    &SWEEP_IMPLS.iter().copied().enumerate().collect::<Vec<_>>(),
                    round as usize,
                ) {
                    let case = Case {
                        imp,
                        variant: "write",
                        label: "",
                    };
                    let job = job(kind, Target::Null, &case, p, buf, count, 3);
                    let t = run_timed(imp, &job, bytes, Clock::Cpu, p)?;
                    times[i].push(*t.iter().min().expect("reps >= 1") as f64);
                }
            }
            let mut line = format!("sweep {id} buffer {buf:>5}:");
            for (s, t) in series.iter_mut().zip(&times) {
                let m = median(t).unwrap_or(0.0);
                s.median_ns.push(m);
                s.mb_per_s.push(mb_per_s(bytes, m));
                line.push_str(&format!("  {} {:.0} MB/s", s.imp, mb_per_s(bytes, m)));
            }
            eprintln!("{line}");
        }
        out.push(SweepResult {
            id: id.to_string(),
            title: title.to_string(),
            bytes,
            buffers: spec::SWEEP_BUFFERS.to_vec(),
            series,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_rotate_the_order_of_cases() {
        assert_eq!(rotated(&[1, 2, 3], 0), vec![1, 2, 3]);
        assert_eq!(rotated(&[1, 2, 3], 1), vec![2, 3, 1]);
        assert_eq!(rotated(&[1, 2, 3], 4), vec![2, 3, 1]);
        assert!(rotated::<u8>(&[], 3).is_empty());
    }
}
