//! The workloads through zigio.

use std::fs::File;
use std::io::Read;

use zigio::fs::FileWriter;
use zigio::{DynWriter, Limit, Reader, Sink, TransferError, WriteFailed, Writer};

use super::{Setup, copy_files, target_file, unknown_variant};
use crate::Error;
use crate::spec::{BLOCK, Job, SMALL_RECORD, Target, value};

/// zigio's file writer: positional for a file or /dev/null (Zig's
/// `File.writer`), streaming for a pipe (Zig's `File.writerStreaming`, as
/// zigio's docs advise for stdout), as `bench.zig` does.
fn file_writer<'b, 'f>(file: &'f File, buffer: &'b mut [u8], target: Target) -> FileWriter<'b, 'f> {
    if target == Target::Pipe {
        Writer::file_streaming(file, buffer)
    } else {
        Writer::file(file, buffer)
    }
}

/// A failure of zigio's `what`, with the OS error behind it if there is one.
fn failed(what: impl Into<String>, source: Option<std::io::Error>) -> Error {
    Error::Write {
        imp: "zigio",
        what: what.into(),
        source,
    }
}

/// A `WriteFailed` of a file writer, with the OS error its sink recorded.
fn write_error(w: &mut FileWriter<'_, '_>) -> Error {
    failed("write", w.sink.err.take())
}

/// Runs one repetition of `job`; `through_dyn` sends the loops of the
/// `small`, `mixed` and `fmt` workloads through `&mut DynWriter`.
pub(super) fn run(job: &Job, setup: &mut Setup, through_dyn: bool) -> Result<u64, Error> {
    if through_dyn && !matches!(job.workload.as_str(), "small" | "mixed" | "fmt") {
        return Err(Error::Usage(format!(
            "zigio-dyn runs small, mixed and fmt only, not `{}`",
            job.workload
        )));
    }
    match job.workload.as_str() {
        "small" | "mixed" => {
            if job.variant != "write" {
                return Err(unknown_variant(job, "zigio"));
            }
            let file = target_file(job, &setup.file)?;
            let mut w = file_writer(file, &mut setup.buffer, job.target);
            if job.dry {
                return Ok(0);
            }
            let big = setup.big.as_slice();
            let result = match (job.workload.as_str(), through_dyn) {
                ("small", false) => small(&mut w, job.count),
                ("small", true) => small(as_opaque_dyn(&mut w), job.count),
                (_, false) => mixed(&mut w, job.count, big),
                (_, true) => mixed(as_opaque_dyn(&mut w), job.count, big),
            };
            result.map_err(|_| write_error(&mut w))?;
            Ok(super::bytes_of(job, big))
        }
        "fmt" => {
            if job.variant != "write" {
                return Err(unknown_variant(job, "zigio"));
            }
            let mut w = Writer::discarding(&mut setup.buffer[..]);
            if job.dry {
                return Ok(0);
            }
            let result = if through_dyn {
                formatted(as_opaque_dyn(&mut w), job.count)
            } else {
                formatted(&mut w, job.count)
            };
            result.map_err(|_| failed("formatting into a discarding writer", None))?;
            Ok(w.full_count())
        }
        "splat-alloc" => {
            let mut w = Writer::allocating();
            if job.dry {
                return Ok(0);
            }
            zeros(&mut w, &job.variant, job.count)
                .ok_or_else(|| unknown_variant(job, "zigio"))?
                .map_err(|_| failed("growth of the allocating writer", None))?;
            check_zeros("zigio", w.written(), job.count)
        }
        "splat-file" => {
            let file = target_file(job, &setup.file)?;
            let mut w = file_writer(file, &mut setup.buffer, job.target);
            if job.dry {
                return Ok(0);
            }
            zeros(&mut w, &job.variant, job.count)
                .ok_or_else(|| unknown_variant(job, "zigio"))?
                .and_then(|()| w.flush())
                .map_err(|_| write_error(&mut w))?;
            Ok(job.count)
        }
        "copy" => copy(job, setup),
        crate::drain::WORKLOAD => records(job, setup),
        _ => Err(unknown_variant(job, "zigio")),
    }
}

/// The drain sweep's job: `count` records of the variant's size, cut from
/// the large record, with every drain topped up (`top-up-SIZE`: the limit is
/// the buffer's capacity) or vectored (`vectored-SIZE`: Zig's drain).
fn records(job: &Job, setup: &mut Setup) -> Result<u64, Error> {
    let (drain, size) =
        crate::drain::parse_variant(&job.variant).ok_or_else(|| unknown_variant(job, "zigio"))?;
    let record = setup.big.get(..size).ok_or_else(|| {
        Error::Usage(format!(
            "records of {size} bytes are longer than the {}-byte record they are cut from",
            setup.big.len()
        ))
    })?;
    let file = target_file(job, &setup.file)?;
    let mut w = file_writer(file, &mut setup.buffer, job.target);
    let limit = if drain == "top-up" { job.buf } else { 0 };
    w.sink.set_top_up_limit(Some(limit));
    if job.dry {
        return Ok(0);
    }
    write_records(&mut w, record, job.count).map_err(|_| write_error(&mut w))?;
    Ok(job.count * size as u64)
}

#[inline(never)]
fn write_records<S: Sink + ?Sized>(
    w: &mut Writer<'_, S>, record: &[u8], count: u64,
) -> Result<(), WriteFailed> {
    for _ in 0..count {
        w.write_all(record)?;
    }
    w.flush()
}

/// A `&mut DynWriter` that the optimiser cannot trace back to its concrete
/// type, so that drains really go through the vtable, as they do when the
/// writer comes from another crate or a function that takes the interface.
fn as_opaque_dyn<'w, 'a, S: Sink + 'a>(w: &'w mut Writer<'a, S>) -> &'w mut DynWriter<'a> {
    std::hint::black_box(w.as_dyn())
}

#[inline(never)]
fn small<S: Sink + ?Sized>(w: &mut Writer<'_, S>, count: u64) -> Result<(), WriteFailed> {
    for _ in 0..count {
        w.write_all(SMALL_RECORD)?;
    }
    w.flush()
}

#[inline(never)]
fn mixed<S: Sink + ?Sized>(
    w: &mut Writer<'_, S>, count: u64, big: &[u8],
) -> Result<(), WriteFailed> {
    for _ in 0..count {
        w.write_all(SMALL_RECORD)?;
        w.write_all(big)?;
    }
    w.flush()
}

#[inline(never)]
fn formatted<S: Sink + ?Sized>(w: &mut Writer<'_, S>, count: u64) -> std::fmt::Result {
    use std::fmt::Write;
    for i in 0..count {
        writeln!(w, "{}", value(i))?;
    }
    Ok(())
}

/// `count` zero bytes as one `splat_byte_all` (`splat`) or as 4 KiB
/// `write_all`s (`loop`); `None` for another variant.
fn zeros<S: Sink + ?Sized>(
    w: &mut Writer<'_, S>, variant: &str, count: u64,
) -> Option<Result<(), WriteFailed>> {
    let count = usize::try_from(count).ok()?;
    match variant {
        "splat" => Some(w.splat_byte_all(0, count)),
        "loop" => {
            let block = [0u8; BLOCK];
            let mut left = count;
            while left > 0 {
                let k = left.min(BLOCK);
                if let Err(e) = w.write_all(&block[..k]) {
                    return Some(Err(e));
                }
                left -= k;
            }
            Some(Ok(()))
        }
        _ => None,
    }
}

/// Reads the result of a zero-filling workload, so that it cannot be
/// optimised away, and checks it.
pub(super) fn check_zeros(imp: &str, out: &[u8], count: u64) -> Result<u64, Error> {
    let ok = out.len() as u64 == count && out.last().is_none_or(|&b| b == 0);
    if !ok {
        return Err(Error::output(
            imp,
            format!(
                "expected {count} zero bytes, the writer holds {}",
                out.len()
            ),
        ));
    }
    Ok(out.len() as u64)
}

fn copy(job: &Job, setup: &mut Setup) -> Result<u64, Error> {
    let (src_path, dst_path) = copy_files(job)?;
    let mut src = File::open(src_path).map_err(Error::io("open", src_path))?;
    let dst = File::create(dst_path).map_err(Error::io("create", dst_path))?;
    let mut w = file_writer(&dst, &mut setup.buffer, Target::None);
    if job.dry {
        return Ok(0);
    }
    match job.variant.as_str() {
        "sendfile" => {
            let mut read_buffer = [0u8; BLOCK];
            let mut r = Reader::file(&src, &mut read_buffer[..]);
            let n = w
                .send_file_all(&mut r, Limit::UNLIMITED)
                .map_err(|e| match e {
                    TransferError::WriteFailed => write_error(&mut w),
                    TransferError::ReadFailed => {
                        failed(format!("read of {src_path}"), r.source.err.take())
                    }
                })?;
            w.flush().map_err(|_| write_error(&mut w))?;
            Ok(n as u64)
        }
        "rw" => {
            let mut chunk = [0u8; BLOCK];
            let mut total = 0u64;
            loop {
                let n = src.read(&mut chunk).map_err(Error::io("read", src_path))?;
                if n == 0 {
                    break;
                }
                w.write_all(&chunk[..n]).map_err(|_| write_error(&mut w))?;
                total += n as u64;
            }
            w.flush().map_err(|_| write_error(&mut w))?;
            Ok(total)
        }
        _ => Err(unknown_variant(job, "zigio")),
    }
}
