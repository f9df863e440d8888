//! The zigio executor: runs a script against zigio and prints the same
//! canonical trace as `zig/harness.zig` prints for Zig.
//!
//! Trace format (one script):
//!
//! ```text
//! script 3 seed=17 sink=scripted buffer=7
//!   drain end=7 data=12 splat=1 take=3 -> 0
//!   drain end=4 data=12 splat=1 -> fail
//! op 0 write_all fail end=4 cap=7 buf=<fnv-1a-64 of the newest <=4096 buffered bytes>
//! op 1 skip splat-header-limit
//! end drains=2 out_len=3 out_hash=<fnv-1a-64 of every accepted byte>
//! ```
//!
//! Each drain call of the scripted sink is a line that shows `end` at
//! entry, the lengths of `data`, `splat`, how many bytes it accepted and
//! what it returned. The op's own line follows its drain calls: `ok
//! [result]` or `fail`, then the buffer state. The last line is what reached
//! the sink (for fixed and allocating writers, what they hold; for
//! discarding, its count).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::hash::Hasher;
use std::rc::Rc;

use fnv::FnvHasher;
use zigio::{Buffer, DynWriter, Limit, Sink, WriteFailed, Writer};

use crate::later;
use crate::mutant::Mutant;
use crate::rules::{Release, Rule};
use crate::script::{Op, Script, SinkKind};

/// FNV-1a, 64 bits, of `bytes`: Zig's `std.hash.Fnv1a_64`, so both sides
/// hash alike.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = FnvHasher::default();
    h.write(bytes);
    h.finish()
}

/// What the scripted sink records, shared with the executor that writes the
/// op lines around its drain lines.
#[derive(Default)]
struct Recorder {
    trace: String,
    calls: u64,
    out_len: u64,
    out_hash: FnvHasher,
}

// By hand: `FnvHasher` has no `Debug`; the hash so far is what matters.
impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("calls", &self.calls)
            .field("out_len", &self.out_len)
            .field("out_hash", &format_args!("{:016x}", self.out_hash.finish()))
            .finish_non_exhaustive()
    }
}

/// The scripted sink: drain call `k` accepts up to `budget[k % len]` bytes
/// (buffered bytes first, then `data`, then the pattern `splat` times), or
/// fails for `None`; once `fail_after` bytes went through, it fails. flush and rebase are the trait's defaults, i.e. Zig's
/// `defaultFlush` and `defaultRebase` as zigio ports them.
#[derive(Debug)]
pub struct Scripted {
    budget: Vec<Option<usize>>,
    fail_after: Option<u64>,
    rec: Rc<RefCell<Recorder>>,
}

impl Sink for Scripted {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let mut rec = self.rec.borrow_mut();
        let entry = self.budget[(rec.calls % self.budget.len() as u64) as usize];
        rec.calls += 1;
        let lens: Vec<String> = data.iter().map(|d| d.len().to_string()).collect();
        let _ = write!(
            rec.trace,
            "  drain end={} data={} splat={splat}",
            buf.end(),
            lens.join(",")
        );
        let Some(budget) = entry else {
            rec.trace.push_str(" -> fail\n");
            return Err(WriteFailed);
        };
        let mut left = budget;
        if let Some(limit) = self.fail_after {
            let Some(room) = limit.checked_sub(rec.out_len).filter(|r| *r > 0) else {
                rec.trace.push_str(" -> fail\n");
                return Err(WriteFailed);
            };
            left = left.min(usize::try_from(room).unwrap_or(usize::MAX));
        }
        let allowed = left;
        take(&mut rec, buf.buffered(), &mut left);
        let (pattern, rest) = data.split_last().expect("drain data is never empty");
        for d in rest {
            take(&mut rec, d, &mut left);
        }
        if !pattern.is_empty() {
            let mut i = 0;
            while i < splat && left != 0 {
                take(&mut rec, pattern, &mut left);
                i += 1;
            }
        }
        let taken = allowed - left;
        let n = buf.consume(taken);
        let _ = writeln!(rec.trace, " take={taken} -> {n}");
        Ok(n)
    }
}

/// Accepts up to `left` bytes of `bytes`, in order.
fn take(rec: &mut Recorder, bytes: &[u8], left: &mut usize) {
    let k = bytes.len().min(*left);
    rec.out_hash.write(&bytes[..k]);
    rec.out_len += k as u64;
    *left -= k;
}

/// Counts of one executed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The trace.
    pub trace: String,
    /// The script as the Zig harness must run it: the same ops, with those
    /// that an exclusion rule matched replaced by `skip`.
    pub zig_script: Script,
    /// Ops executed (not skipped).
    pub ops: u64,
    /// Ops skipped, per rule.
    pub skipped: Vec<(Rule, u64)>,
    /// Drain calls of the scripted sink.
    pub drains: u64,
    /// For [`run_flagging`]: the ops (by index) on which Zig 0.15.1 would
    /// behave differently, and the rule that says why. Empty for [`run`].
    pub flagged: Vec<(usize, Rule)>,
}

/// Runs `script` against zigio (optionally with a deliberately broken sink,
/// see [`Mutant`]) and returns its trace.
///
/// # Panics
/// If an op breaks a precondition that [`crate::script::validate_op`]
/// rejects (zigio panics where Zig asserts).
pub fn run(script: &Script, mutant: Option<Mutant>) -> Run {
    execute(script, mutant, false, Release::BASELINE)
}

/// [`run`] with the exclusions of `release`: the ops skipped are those on
/// which that Zig release behaves differently from zigio
/// ([`later::differs`]).
///
/// # Panics
/// As [`run`].
pub fn run_on(script: &Script, release: Release) -> Run {
    execute(script, None, false, release)
}

/// Runs every op of `script` against zigio, including those on which Zig
/// 0.15.1 has a documented bug: they are flagged in [`Run::flagged`], not
/// skipped. The book's lab shows this trace next to Zig's, so that a reader
/// sees both behaviours.
///
/// # Panics
/// As [`run`].
pub fn run_flagging(script: &Script) -> Run {
    execute(script, None, true, Release::BASELINE)
}

fn execute(script: &Script, mutant: Option<Mutant>, flag_only: bool, release: Release) -> Run {
    let h = &script.header;
    let rec = Rc::new(RefCell::new(Recorder::default()));
    let _ = writeln!(
        rec.borrow_mut().trace,
        "script {} seed={} sink={} buffer={}",
        h.script,
        h.seed,
        h.sink.name(),
        h.buffer
    );
    let mut storage = vec![0u8; h.buffer];
    let mut state = Exec {
        budget: h.budget.clone(),
        fail_after: h.fail_after,
        flag_only,
        release,
        flagged: Vec::new(),
        rec: rec.clone(),
        zig_ops: Vec::with_capacity(script.ops.len()),
        ops: 0,
        skipped: Vec::new(),
    };
    let end_line = match h.sink {
        SinkKind::Scripted => {
            let scripted = Scripted {
                budget: h.budget.clone(),
                fail_after: h.fail_after,
                rec: rec.clone(),
            };
            match mutant {
                None => state.all(
                    &mut Writer::new(&mut storage[..], scripted),
                    h.sink,
                    &script.ops,
                ),
                Some(m) => state.all(
                    &mut Writer::new(&mut storage[..], m.wrap(scripted)),
                    h.sink,
                    &script.ops,
                ),
            }
            let r = rec.borrow();
            format!(
                "end drains={} out_len={} out_hash={:016x}\n",
                r.calls,
                r.out_len,
                r.out_hash.finish()
            )
        }
        SinkKind::Fixed => {
            let mut w = Writer::fixed(&mut storage[..]);
            state.all(&mut w, h.sink, &script.ops);
            written_line(w.buffered())
        }
        SinkKind::Allocating => {
            let mut w = Writer::allocating_with_capacity(h.buffer);
            state.all(&mut w, h.sink, &script.ops);
            written_line(w.written())
        }
        SinkKind::Discarding => {
            let mut w = Writer::discarding(&mut storage[..]);
            state.all(&mut w, h.sink, &script.ops);
            format!("end count={}\n", w.full_count())
        }
    };
    let mut rec = rec.borrow_mut();
    rec.trace.push_str(&end_line);
    Run {
        trace: std::mem::take(&mut rec.trace),
        zig_script: Script {
            header: h.clone(),
            ops: state.zig_ops,
        },
        ops: state.ops,
        skipped: state.skipped,
        drains: rec.calls,
        flagged: state.flagged,
    }
}

/// The buffer state hashes at most this many of the newest buffered bytes:
/// all of them for every sink but a grown allocating writer, whose whole
/// content the script's last line hashes instead (hashing it after every op
/// would make a script quadratic).
const STATE_WINDOW: usize = 4096;

fn newest(bytes: &[u8]) -> &[u8] {
    &bytes[bytes.len().saturating_sub(STATE_WINDOW)..]
}

fn written_line(bytes: &[u8]) -> String {
    format!("end written={} hash={:016x}\n", bytes.len(), fnv1a(bytes))
}

struct Exec {
    budget: Vec<Option<usize>>,
    fail_after: Option<u64>,
    /// Run the ops a rule matches (recording them in `flagged`) instead of
    /// skipping them.
    flag_only: bool,
    /// Whose exclusions apply.
    release: Release,
    flagged: Vec<(usize, Rule)>,
    rec: Rc<RefCell<Recorder>>,
    zig_ops: Vec<Op>,
    ops: u64,
    skipped: Vec<(Rule, u64)>,
}

impl Exec {
    fn all(&mut self, w: &mut DynWriter<'_>, sink: SinkKind, ops: &[Op]) {
        for (i, op) in ops.iter().enumerate() {
            self.one(w, sink, i, op);
        }
    }

    fn one(&mut self, w: &mut DynWriter<'_>, sink: SinkKind, index: usize, op: &Op) {
        if self.flag_only && !matches!(op, Op::Skip { .. }) {
            if let Some(r) = self.zig_0_15_1_bug(w, sink, op) {
                self.flagged.push((index, r));
            }
            self.execute(w, index, op);
            return;
        }
        let rule = match op {
            Op::Skip { rule } => Some(rule.clone()),
            _ => self.zig_0_15_1_bug(w, sink, op).map(|r| {
                match self.skipped.iter_mut().find(|(x, _)| *x == r) {
                    Some((_, n)) => *n += 1,
                    None => self.skipped.push((r, 1)),
                }
                r.name().to_string()
            }),
        };
        if let Some(rule) = rule {
            let _ = writeln!(self.rec.borrow_mut().trace, "op {index} skip {rule}");
            self.zig_ops.push(Op::Skip { rule });
            return;
        }
        self.execute(w, index, op);
    }

    fn execute(&mut self, w: &mut DynWriter<'_>, index: usize, op: &Op) {
        self.zig_ops.push(op.clone());
        self.ops += 1;
        // Drain lines come first; the op's line closes them.
        let result = apply(w, op);
        let mut rec = self.rec.borrow_mut();
        let name = op.name();
        let _ = match result {
            Ok(Some(n)) => write!(rec.trace, "op {index} {name} ok {n}"),
            Ok(None) => write!(rec.trace, "op {index} {name} ok"),
            Err(WriteFailed) => write!(rec.trace, "op {index} {name} fail"),
        };
        let _ = writeln!(
            rec.trace,
            " end={} cap={} buf={:016x}",
            w.end(),
            w.capacity(),
            fnv1a(newest(w.buffered()))
        );
    }
}

impl Exec {
    /// [`later::differs`] for this run's release, and for
    /// `splat_byte_preserve` the rule applied to the state its shared first
    /// part reaches.
    fn zig_0_15_1_bug(&self, w: &DynWriter<'_>, sink: SinkKind, op: &Op) -> Option<Rule> {
        if let Op::SplatBytePreserve { preserve, byte, n } = op {
            if sink == SinkKind::Allocating && self.release != Release::BASELINE {
                // Zig's capacity is not zigio's: judged for any capacity.
                return later::splat_byte_preserve_allocating(self.release, *preserve, w.end(), *n);
            }
            let tail = splat_byte_preserve_tail(w, sink, self.fork(), *preserve, *byte, *n)?;
            let (end, unused, remaining) = tail;
            return later::splat_byte_preserve_tail(
                self.release,
                sink,
                *preserve,
                end,
                unused,
                remaining,
            );
        }
        later::differs(self.release, op, sink, w.end(), w.capacity())
    }

    /// A scripted sink that continues this run's budget and byte count, with
    /// a trace of its own.
    fn fork(&self) -> Scripted {
        let rec = self.rec.borrow();
        Scripted {
            budget: self.budget.clone(),
            fail_after: self.fail_after,
            rec: Rc::new(RefCell::new(Recorder {
                calls: rec.calls,
                out_len: rec.out_len,
                ..Recorder::default()
            })),
        }
    }
}

/// Runs the part of `splatBytePreserve` that Zig and zigio share
/// (`Writer.zig:765-780`: the fast path, then `splatByte` while more than
/// `preserve` copies are left) on a copy of the writer, and returns `end`,
/// the unused capacity and the copies left if the op reaches its last step;
/// `None` if it returns or fails before. The copy has the same buffer, and
/// a scripted sink continues as `fork` (the same budget and byte count), so
/// its drains accept what the real ones will; its trace is discarded.
fn splat_byte_preserve_tail(
    w: &DynWriter<'_>, sink: SinkKind, fork: Scripted, preserve: usize, byte: u8, n: usize,
) -> Option<(usize, usize, usize)> {
    fn shared_part(
        w: &mut DynWriter<'_>, preserve: usize, byte: u8, n: usize,
    ) -> Option<(usize, usize, usize)> {
        if n <= w.unused_capacity_len() {
            return None;
        }
        let mut remaining = n;
        while remaining > preserve {
            remaining -= w.splat_byte(byte, remaining - preserve).ok()?;
            if remaining <= w.unused_capacity_len() {
                return None;
            }
        }
        Some((w.end(), w.unused_capacity_len(), remaining))
    }
    let mut storage = vec![0u8; w.capacity()];
    storage[..w.end()].copy_from_slice(w.buffered());
    let end = w.end();
    match sink {
        SinkKind::Scripted => {
            let mut c = Writer::new(&mut storage[..], fork);
            c.advance(end);
            shared_part(&mut c, preserve, byte, n)
        }
        SinkKind::Fixed => {
            let mut c = Writer::fixed(&mut storage[..]);
            c.advance(end);
            shared_part(&mut c, preserve, byte, n)
        }
        SinkKind::Discarding => {
            let mut c = Writer::discarding(&mut storage[..]);
            c.advance(end);
            shared_part(&mut c, preserve, byte, n)
        }
        SinkKind::Allocating => {
            let mut c = Writer::allocating_with_capacity(w.capacity());
            c.write_all(w.buffered()).ok()?;
            shared_part(&mut c, preserve, byte, n)
        }
    }
}

/// Runs one op on the writer; `Some(n)` for ops that return a count.
fn apply(w: &mut DynWriter<'_>, op: &Op) -> Result<Option<usize>, WriteFailed> {
    fn slices(data: &[String]) -> Vec<&[u8]> {
        data.iter().map(|d| d.as_bytes()).collect()
    }
    Ok(match op {
        Op::Write { bytes } => Some(w.write(bytes.as_bytes())?),
        Op::WriteAll { bytes } => w.write_all(bytes.as_bytes()).map(|()| None)?,
        Op::WriteVec { data } => Some(w.write_vec(&slices(data))?),
        Op::WriteVecAll { data } => w.write_vec_all(&mut slices(data)).map(|()| None)?,
        Op::WriteSplat { data, splat } => Some(w.write_splat(&slices(data), *splat)?),
        Op::WriteSplatAll { data, splat } => w
            .write_splat_all(&mut slices(data), *splat)
            .map(|()| None)?,
        Op::WriteSplatHeader {
            header,
            data,
            splat,
            limit,
        } => Some(w.write_splat_header_limit(
            header.as_bytes(),
            &slices(data),
            *splat,
            limit.map_or(Limit::UNLIMITED, Limit::limited),
        )?),
        Op::WriteByte { byte } => w.write_byte(*byte).map(|()| None)?,
        Op::WriteBytePreserve { preserve, byte } => {
            w.write_byte_preserve(*preserve, *byte).map(|()| None)?
        }
        Op::SplatByte { byte, n } => Some(w.splat_byte(*byte, *n)?),
        Op::SplatByteAll { byte, n } => w.splat_byte_all(*byte, *n).map(|()| None)?,
        Op::SplatBytePreserve { preserve, byte, n } => {
            w.splat_byte_preserve(*preserve, *byte, *n).map(|()| None)?
        }
        Op::SplatBytesAll { bytes, splat } => {
            w.splat_bytes_all(bytes.as_bytes(), *splat).map(|()| None)?
        }
        Op::Flush => w.flush().map(|()| None)?,
        Op::Rebase { preserve, capacity } => w.rebase(*preserve, *capacity).map(|()| None)?,
        Op::Consume { n } => Some(w.consume(*n)),
        Op::WritableSlice {
            len,
            preserve,
            byte,
        } => {
            w.writable_slice_preserve(*preserve, *len)?.fill(*byte);
            Some(*len)
        }
        Op::Skip { .. } => unreachable!("skips are handled by the caller"),
    })
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    /// The vectors of Zig's own test of `std.hash.Fnv1a_64`
    /// (`lib/std/hash/fnv.zig`): the Zig harness and this executor hash alike.
    #[test]
    fn fnv1a_matches_zigs_fnv1a_64() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
