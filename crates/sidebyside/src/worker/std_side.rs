//! The workloads through Rust's standard library: `BufWriter` with a buffer
//! of the job's size, `Vec` for the allocating workload, `io::copy` for
//! files.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};

use super::{Setup, bytes_of, copy_files, target_file, unknown_variant};
use crate::Error;
use crate::spec::{BLOCK, Job, SMALL_RECORD, value};

/// An [`Error::Write`] maker for `map_err`: std's `what` failed with `e`.
fn failed(what: &'static str) -> impl Fn(io::Error) -> Error + Copy {
    move |e| Error::Write {
        imp: "std",
        what: what.to_string(),
        source: Some(e),
    }
}

/// Runs one repetition of `job`.
pub(super) fn run(job: &Job, setup: &mut Setup) -> Result<u64, Error> {
    let io_error = failed("write");
    match (job.workload.as_str(), job.variant.as_str()) {
        ("small" | "mixed", "write") => {
            let file = target_file(job, &setup.file)?;
            let mut w = BufWriter::with_capacity(job.buf, file);
            if job.dry {
                return Ok(0);
            }
            let big = setup.big.as_slice();
            if job.workload == "small" {
                small(&mut w, job.count)
            } else {
                mixed(&mut w, job.count, big)
            }
            .map_err(io_error)?;
            Ok(bytes_of(job, big))
        }
        ("fmt", "write") => {
            let mut w = BufWriter::with_capacity(job.buf, Counting::default());
            if job.dry {
                return Ok(0);
            }
            formatted(&mut w, job.count).map_err(io_error)?;
            w.flush().map_err(io_error)?;
            Ok(w.get_ref().count)
        }
        ("splat-alloc", "resize") => {
            if job.dry {
                return Ok(0);
            }
            // The reference case is `resize(n, 0)` itself, not `vec![0; n]`
            // (which gets zeroed pages from calloc and writes nothing).
            #[allow(clippy::slow_vector_initialization)]
            let v = {
                let mut v: Vec<u8> = Vec::new();
                v.resize(to_usize(job.count)?, 0);
                v
            };
            super::zigio_side::check_zeros("std", &v, job.count)
        }
        ("splat-alloc", "loop") => {
            if job.dry {
                return Ok(0);
            }
            let mut v: Vec<u8> = Vec::new();
            zeros_loop(&mut v, job.count).map_err(io_error)?;
            super::zigio_side::check_zeros("std", &v, job.count)
        }
        ("splat-file", "loop" | "repeat") => {
            let file = target_file(job, &setup.file)?;
            let mut w = BufWriter::with_capacity(job.buf, file);
            if job.dry {
                return Ok(0);
            }
            if job.variant == "loop" {
                zeros_loop(&mut w, job.count).map_err(io_error)?;
            } else {
                io::copy(&mut io::repeat(0).take(job.count), &mut w).map_err(io_error)?;
            }
            w.flush().map_err(io_error)?;
            Ok(job.count)
        }
        ("copy", "copy" | "rw") => copy(job),
        _ => Err(unknown_variant(job, "std")),
    }
}

/// `io::Sink` that counts, so that the formatted output's length can be
/// checked against the other implementations.
#[derive(Default)]
struct Counting {
    count: u64,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.count += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn to_usize(n: u64) -> Result<usize, Error> {
    usize::try_from(n).map_err(|_| Error::Usage(format!("COUNT {n} does not fit in usize")))
}

#[inline(never)]
fn small<W: Write>(w: &mut BufWriter<W>, count: u64) -> io::Result<()> {
    for _ in 0..count {
        w.write_all(SMALL_RECORD)?;
    }
    w.flush()
}

#[inline(never)]
fn mixed<W: Write>(w: &mut BufWriter<W>, count: u64, big: &[u8]) -> io::Result<()> {
    for _ in 0..count {
        w.write_all(SMALL_RECORD)?;
        w.write_all(big)?;
    }
    w.flush()
}

#[inline(never)]
fn formatted<W: Write>(w: &mut BufWriter<W>, count: u64) -> io::Result<()> {
    for i in 0..count {
        writeln!(w, "{}", value(i))?;
    }
    Ok(())
}

fn zeros_loop(w: &mut impl Write, count: u64) -> io::Result<()> {
    let block = [0u8; BLOCK];
    let mut left = count;
    while left > 0 {
        let k = left.min(BLOCK as u64) as usize;
        w.write_all(&block[..k])?;
        left -= k as u64;
    }
    Ok(())
}

fn copy(job: &Job) -> Result<u64, Error> {
    let (src_path, dst_path) = copy_files(job)?;
    let mut src = File::open(src_path).map_err(Error::io("open", src_path))?;
    let dst = File::create(dst_path).map_err(Error::io("create", dst_path))?;
    if job.dry {
        return Ok(0);
    }
    let io_error = failed("copy");
    if job.variant == "copy" {
        let mut dst = dst;
        return io::copy(&mut src, &mut dst).map_err(io_error);
    }
    let mut w = BufWriter::with_capacity(job.buf, dst);
    let mut chunk = [0u8; BLOCK];
    let mut total = 0u64;
    loop {
        let n = src.read(&mut chunk).map_err(io_error)?;
        if n == 0 {
            break;
        }
        w.write_all(&chunk[..n]).map_err(io_error)?;
        total += n as u64;
    }
    w.flush().map_err(io_error)?;
    Ok(total)
}
