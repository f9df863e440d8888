//! The Zig bugs the book documents, each as a small program run on every
//! pinned release: its status there comes from what it prints.
//!
//! Each [`Bug`] has a Zig program (`zig/bugs/<name>.zig`, one source for
//! every release: it only uses `std.Io.Writer` and `std.debug.print`) and
//! the same steps on zigio ([`Bug::zigio`]), printing the same line. A run
//! ([`observe`]) gives what the release printed, or `panic: <message>` when
//! it panicked. Then ([`status`]):
//!
//! - **present**: the release prints what Zig 0.15.1 prints, and 0.15.1
//!   differs from zigio (zigio fixes it);
//! - **fixed**: the release prints what zigio prints;
//! - **changed**: it prints something else, neither 0.15.1's nor zigio's;
//! - **absent**: 0.15.1 prints what zigio prints (a behaviour that only a
//!   later release changed).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use pinned_zig::{BuildOptions, Zig};
use zigio::{Buffer, Limit, Sink, WriteFailed, Writer};

/// One documented bug and its program.
#[derive(Debug, Clone, Copy)]
pub struct Bug {
    /// Its name: the exclusion rule's where there is one, and the program's
    /// file name.
    pub name: &'static str,
    /// The function, as the book's table names it.
    pub function: &'static str,
    /// What the program does, in one line.
    pub scenario: &'static str,
    /// The same steps on zigio, printing the same line.
    pub zigio: fn() -> String,
    /// Whether Zig 0.15.1 has it (false: a later release brought it).
    pub in_baseline: bool,
}

/// Every bug with a program, in the book's order.
pub const BUGS: [Bug; 6] = [
    Bug {
        name: "splat-header-limit",
        function: "writeSplatHeaderLimit",
        scenario: "limit 5, data \"0123456789\", \"x\", unbuffered",
        zigio: splat_header_limit,
        in_baseline: true,
    },
    Bug {
        name: "splat-header-div-by-zero",
        function: "writeSplatHeader",
        scenario: "header \"HEADER\", data \"abc\", \"\" (an empty pattern), splat 2",
        zigio: splat_header_div_by_zero,
        in_baseline: true,
    },
    Bug {
        name: "fixed-drain-fits",
        function: "writeSplatHeaderLimit, fixedDrain",
        scenario: "limit 2 cuts header \"abc\" for an empty 4-byte fixed writer",
        zigio: fixed_drain_fits,
        in_baseline: true,
    },
    Bug {
        name: "splat-byte-preserve",
        function: "splatBytePreserve",
        scenario: "buffer full with \"abcdefgh\", then 2 copies of '-' keeping 4 bytes",
        zigio: splat_byte_preserve,
        in_baseline: true,
    },
    Bug {
        name: "default-rebase-partial-failure",
        function: "defaultRebase",
        scenario: "rebase(4, 4) of \"abcdefgh\", the drain sends 3 bytes and fails",
        zigio: default_rebase_partial_failure,
        in_baseline: true,
    },
    Bug {
        name: "splat-header-zero-splat",
        function: "writeSplatHeaderLimit",
        scenario: "header \"HEAD\", pattern \"xy\", splat 0, limit 5, unbuffered",
        zigio: splat_header_zero_splat,
        in_baseline: false,
    },
];

/// A bug's status on one release (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// As in Zig 0.15.1.
    Present,
    /// As in zigio.
    Fixed,
    /// Neither: what it prints now.
    Changed(String),
    /// 0.15.1 already behaves as zigio.
    Absent,
}

impl Status {
    /// The word the data file and the book use.
    pub fn word(&self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::Fixed => "fixed",
            Status::Changed(_) => "changed",
            Status::Absent => "absent",
        }
    }
}

/// The status of a release that printed `observed`, where 0.15.1 printed
/// `baseline` and zigio prints `zigio`.
pub fn status(observed: &str, baseline: &str, zigio: &str) -> Status {
    if baseline == zigio {
        if observed == zigio {
            Status::Absent
        } else {
            Status::Changed(observed.to_string())
        }
    } else if observed == baseline {
        Status::Present
    } else if observed == zigio {
        Status::Fixed
    } else {
        Status::Changed(observed.to_string())
    }
}

/// The program's source file.
pub fn source(bug: &Bug) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("zig/bugs")
        .join(format!("{}.zig", bug.name))
}

/// Builds `bug`'s program with `zig` (Debug, so that its safety checks
/// panic) and runs it: its one line, or `panic: <message>`.
///
/// # Errors
/// The build failed, or the program printed nothing recognisable; the
/// message names the file, the release and what it printed.
pub fn observe(bug: &Bug, zig: &Zig) -> Result<String, String> {
    let src = source(bug);
    let exe =
        crate::harness::work_dir()
            .join("bugs")
            .join(format!("{}-{}", bug.name, zig.version()));
    let options = BuildOptions {
        extra_args: vec!["-fno-error-tracing".to_string()],
        ..BuildOptions::default()
    };
    zig.build_exe(&src, &exe, &options)
        .map_err(|e| format!("{}: Zig {}: {e}", src.display(), zig.version()))?;
    let out = Command::new(&exe)
        .output()
        .map_err(|e| format!("{}: cannot run: {e}", exe.display()))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or("");
    let line = match first.split_once(" panic: ") {
        Some((thread, msg)) if thread.starts_with("thread ") => format!("panic: {msg}"),
        _ if out.status.success() => first.to_string(),
        _ => {
            return Err(format!(
                "{}: Zig {} ended with {} and printed:\n{stderr}",
                src.display(),
                zig.version(),
                out.status
            ));
        }
    };
    if line.is_empty() {
        return Err(format!(
            "{}: Zig {} printed nothing",
            src.display(),
            zig.version()
        ));
    }
    Ok(line)
}

/// The bug programs' sink: takes everything, keeps it.
#[derive(Debug, Default, Clone)]
struct Keep(Rc<RefCell<Vec<u8>>>);

impl Sink for Keep {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let mut got = self.0.borrow_mut();
        got.extend_from_slice(buf.buffered());
        let (pattern, rest) = data.split_last().expect("data is never empty");
        let mut n = 0;
        for d in rest {
            got.extend_from_slice(d);
            n += d.len();
        }
        for _ in 0..splat {
            got.extend_from_slice(pattern);
            n += pattern.len();
        }
        let total = buf.end() + n;
        Ok(buf.consume(total))
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn returned(r: Result<usize, WriteFailed>, got: &Keep) -> String {
    match r {
        Ok(n) => format!("returned {n}, the sink got \"{}\"", text(&got.0.borrow())),
        Err(WriteFailed) => "failed: WriteFailed".to_string(),
    }
}

fn splat_header_limit() -> String {
    let keep = Keep::default();
    let mut w = Writer::new(&mut [][..], keep.clone());
    let r = w.write_splat_header_limit(b"", &[b"0123456789", b"x"], 1, Limit::limited(5));
    returned(r, &keep)
}

fn splat_header_div_by_zero() -> String {
    let keep = Keep::default();
    let mut w = Writer::new(&mut [][..], keep.clone());
    let r = w.write_splat_header(b"HEADER", &[b"abc", b""], 2);
    returned(r, &keep)
}

fn splat_header_zero_splat() -> String {
    let keep = Keep::default();
    let mut w = Writer::new(&mut [][..], keep.clone());
    let r = w.write_splat_header_limit(b"HEAD", &[b"xy"], 0, Limit::limited(5));
    returned(r, &keep)
}

fn fixed_drain_fits() -> String {
    let mut buffer = [0u8; 4];
    let mut w = Writer::fixed(&mut buffer);
    match w.write_splat_header_limit(b"abc", &[b"xy"], 1, Limit::limited(2)) {
        Ok(n) => format!("returned {n}, buffered \"{}\"", text(w.buffered())),
        Err(WriteFailed) => format!("failed: WriteFailed, buffered \"{}\"", text(w.buffered())),
    }
}

fn splat_byte_preserve() -> String {
    let keep = Keep::default();
    let mut buffer = [0u8; 8];
    let mut w = Writer::new(&mut buffer, keep.clone());
    w.write_all(b"abcdefgh").expect("fits");
    match w.splat_byte_preserve(4, b'-', 2) {
        Ok(()) => format!(
            "the sink got \"{}\", buffered \"{}\"",
            text(&keep.0.borrow()),
            text(w.buffered())
        ),
        Err(WriteFailed) => "failed: WriteFailed".to_string(),
    }
}

/// Sends 3 bytes, then fails.
struct Breaking;

impl Sink for Breaking {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, _data: &[&[u8]], _splat: usize,
    ) -> Result<usize, WriteFailed> {
        buf.consume(3);
        Err(WriteFailed)
    }
}

fn default_rebase_partial_failure() -> String {
    let mut storage = [0u8; 8];
    let mut w = Writer::new(&mut storage, Breaking);
    w.write_all(b"abcdefgh").expect("fits");
    let r = w.rebase(4, 4);
    let buffered = text(w.buffered());
    match r {
        Ok(()) => format!("ok, buffered \"{buffered}\""),
        Err(WriteFailed) => format!("WriteFailed, buffered \"{buffered}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_from_the_three_outputs() {
        assert_eq!(status("a", "a", "b"), Status::Present);
        assert_eq!(status("b", "a", "b"), Status::Fixed);
        assert_eq!(status("c", "a", "b"), Status::Changed("c".into()));
        assert_eq!(status("b", "b", "b"), Status::Absent);
        assert_eq!(status("c", "b", "b"), Status::Changed("c".into()));
    }

    #[test]
    fn zigio_prints_the_fixed_behaviour() {
        assert_eq!(splat_header_limit(), "returned 5, the sink got \"01234\"");
        assert_eq!(fixed_drain_fits(), "returned 2, buffered \"ab\"");
    }
}
