//! How Zig 0.16.0 and 0.17.1 differ from zigio, op by op: the exclusion
//! decisions of the later releases.
//!
//! [`crate::rules`] models Zig 0.15.1, the release zigio ports. The later
//! releases changed some of the functions those rules are about, and the
//! differential run on them needs the same kind of decision: given an op and
//! the writer's state, does this release behave as zigio does? This module
//! answers it from models of each release's code, written from its
//! `lib/std/Io/Writer.zig`:
//!
//! - `writeSplatHeaderLimit`: 0.16.0 keeps 0.15.1's first part and fixes its
//!   finish (every piece cut to the limit; a limit shorter than the pattern
//!   offers that prefix once), but the new branch also fires for `splat` 0.
//!   0.17.1 rewrote the first part (a header cut by the limit, and every
//!   whole copy of the pattern that fits, go into the buffer before any
//!   drain) and drains eight slices at a time.
//! - `splatBytePreserve` and `writeBytePreserve`: 0.17.1 rebases with
//!   `preserve -| remaining` (the bytes about to be written count as
//!   preserved) where zigio passes `preserve`.
//!
//! Each op is modelled as a [`Plan`]: how many bytes of the op's stream
//! (header, data pieces, pattern copies) go into the buffer, then which drain
//! calls are made, with which slices. Equal plans mean equal traces on the
//! sinks whose drain the trace shows; the differential run checks every
//! model, since a wrong one makes the traces differ.
//!
//! The allocating writer's capacity grows differently from 0.16.0 on (its
//! trace lines are compared without `cap=`, see [`crate::compare`]), so the
//! room Zig has is unknown here; for that sink an op is excluded if the
//! release could differ from zigio at *any* room.

use crate::rules::{self, Release, Rule};
use crate::script::{Op, SinkKind};

/// At most this many slices go to one drain (`Writer.zig:262`).
const VECS: usize = 8;

/// One slice of a drain call: the piece (0 the header, `1 + i` for
/// `data[i]`) and how many of its first bytes.
type Slice = (usize, usize);

/// A drain call: its slices and splat.
type Call = (Vec<Slice>, usize);

/// What one `writeSplatHeaderLimit` does, as far as a sink can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    /// It divides by zero.
    Panics,
    /// It copies `buffered` bytes of its stream into the buffer, then makes
    /// these drain calls (the later ones only if the earlier succeed).
    Runs { buffered: usize, calls: Vec<Call> },
}

/// The model of one release's `writeSplatHeaderLimit`; `Zigio` is the port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    Zigio,
    Zig0151,
    Zig0160,
    Zig0171,
}

/// The op's pieces: lengths of header, data pieces, and the pattern's index.
struct Pieces {
    lens: Vec<usize>,
}

impl Pieces {
    fn pattern(&self) -> (usize, usize) {
        let i = self.lens.len() - 1;
        (i, self.lens[i])
    }
}

/// The rule under which `op`, on a `sink` writer with `end` buffered bytes
/// of `capacity`, behaves differently in `release` than in zigio; `None`
/// when it behaves the same. For the baseline this is
/// [`rules::zig_0_15_1_bug`].
pub fn differs(
    release: Release, op: &Op, sink: SinkKind, end: usize, capacity: usize,
) -> Option<Rule> {
    if release == Release::BASELINE {
        return rules::zig_0_15_1_bug(op, sink, end, capacity);
    }
    match op {
        Op::WriteSplatHeader {
            header,
            data,
            splat,
            limit,
        } => {
            let mut lens = vec![header.len()];
            lens.extend(data.iter().map(String::len));
            let pieces = Pieces { lens };
            let limit = limit.unwrap_or(usize::MAX);
            splat_header(release, sink, &pieces, *splat, limit, capacity - end)
        }
        Op::WriteBytePreserve { preserve, .. } => {
            // 0.17.1 rebases with `preserve -| 1` when the buffer is full.
            let full = end == capacity;
            (release == Release::Zig0171
                && full
                && rebase_keeps_differently(sink, end, *preserve, preserve.saturating_sub(1)))
            .then_some(Rule::WriteBytePreserveRebase)
        }
        _ => None,
    }
}

/// Whether a rebase that keeps `ours` bytes and one that keeps `theirs`
/// leave different traces on `sink` with `end` buffered bytes: where the
/// default rebase runs (scripted, discarding), it hides a different number
/// of bytes from the drain; the fixed writer fails either way, and the
/// allocating writer only grows.
fn rebase_keeps_differently(sink: SinkKind, end: usize, ours: usize, theirs: usize) -> bool {
    matches!(sink, SinkKind::Scripted | SinkKind::Discarding) && end.min(ours) != end.min(theirs)
}

/// The last step of `splatBytePreserve` in `release`, reached with `end`
/// buffered bytes, `unused` capacity and `remaining` copies to write, and
/// the writer's `preserve`: the rule under which it differs from zigio's
/// `rebase(preserve, remaining)`, if it does.
pub fn splat_byte_preserve_tail(
    release: Release, sink: SinkKind, preserve: usize, end: usize, unused: usize, remaining: usize,
) -> Option<Rule> {
    match release {
        // The same code as 0.15.1: the older bytes are dropped.
        Release::Zig0151 | Release::Zig0160 => {
            rules::splat_byte_preserve_differs(preserve, end, unused, remaining)
                .then_some(Rule::SplatBytePreserve)
        }
        // `rebase(preserve -| remaining, remaining)`.
        Release::Zig0171 => {
            rebase_keeps_differently(sink, end, preserve, preserve.saturating_sub(remaining))
                .then_some(Rule::SplatBytePreserveRebase)
        }
    }
}

/// For an allocating writer, whose capacity in a later release zigio does
/// not know: whether `splatBytePreserve` could lose bytes at some capacity
/// (0.16.0 moves the newest `preserve` bytes to the front when its last
/// step is reached with more buffered). 0.17.1 grows instead, as zigio does.
pub fn splat_byte_preserve_allocating(
    release: Release, preserve: usize, end: usize, n: usize,
) -> Option<Rule> {
    let end_at_last_step = end + n.saturating_sub(preserve);
    (release == Release::Zig0160 && preserve < end_at_last_step).then_some(Rule::SplatBytePreserve)
}

fn splat_header(
    release: Release, sink: SinkKind, pieces: &Pieces, splat: usize, limit: usize, room: usize,
) -> Option<Rule> {
    let model = match release {
        Release::Zig0151 => Model::Zig0151,
        Release::Zig0160 => Model::Zig0160,
        Release::Zig0171 => Model::Zig0171,
    };
    if sink == SinkKind::Allocating {
        // Compare what reaches the buffer, at every room Zig might have.
        let ours = appended(
            &plan(Model::Zigio, pieces, splat, limit, room),
            pieces,
            splat,
        );
        return candidate_rooms(pieces, splat, limit)
            .into_iter()
            .find_map(|r| {
                let theirs = plan(model, pieces, splat, limit, r);
                (appended(&theirs, pieces, splat) != ours).then(|| {
                    classify(
                        &theirs,
                        &plan(Model::Zig0151, pieces, splat, limit, r),
                        splat,
                    )
                })
            });
    }
    let ours = plan(Model::Zigio, pieces, splat, limit, room);
    let theirs = plan(model, pieces, splat, limit, room);
    if ours == theirs {
        if let (SinkKind::Fixed, Plan::Runs { buffered, calls }) = (sink, &theirs)
            && let Some((slices, splat)) = calls.first()
        {
            let lens = slices.iter().map(|(_, len)| *len).collect();
            if rules::fixed_drain_misbehaves(&(lens, *splat), room - buffered) {
                return Some(Rule::FixedDrainFits);
            }
        }
        return None;
    }
    Some(classify(
        &theirs,
        &plan(Model::Zig0151, pieces, splat, limit, room),
        splat,
    ))
}

/// Why a later release's plan differs from zigio's: it panics, it is
/// 0.15.1's plan (the old bug), the op's splat is 0 (the new branch of the
/// finish), or the rewritten function buffers and drains differently.
fn classify(theirs: &Plan, baseline: &Plan, splat: usize) -> Rule {
    if *theirs == Plan::Panics {
        Rule::SplatHeaderDivByZero
    } else if theirs == baseline {
        Rule::SplatHeaderLimit
    } else if splat == 0 {
        Rule::SplatHeaderZeroSplat
    } else {
        Rule::SplatHeaderRewritten
    }
}

/// The rooms at which a plan can change: every boundary of the op's
/// stream (header, pieces, the first pattern copies, the limit), each side.
fn candidate_rooms(pieces: &Pieces, splat: usize, limit: usize) -> Vec<usize> {
    let (_, plen) = pieces.pattern();
    let mut sums = vec![0usize];
    let mut s = 0usize;
    for len in &pieces.lens[..pieces.lens.len() - 1] {
        s = s.saturating_add(*len);
        sums.push(s);
    }
    for _ in 0..splat.min(16) {
        s = s.saturating_add(plen);
        sums.push(s);
    }
    sums.push(limit);
    let mut rooms: Vec<usize> = sums
        .iter()
        .flat_map(|s| [s.saturating_sub(1), *s, s.saturating_add(1)])
        .collect();
    rooms.push(usize::MAX / 2);
    rooms.sort_unstable();
    rooms.dedup();
    rooms
}

/// The stream bytes an allocating writer ends up holding, as (piece, len)
/// runs, if the plan runs (its drain takes everything).
fn appended(plan: &Plan, pieces: &Pieces, splat: usize) -> Option<Vec<Slice>> {
    let Plan::Runs { buffered, calls } = plan else {
        return None;
    };
    let mut out = Vec::new();
    // The buffered bytes are a prefix of the stream.
    let mut left = *buffered;
    let (pidx, plen) = pieces.pattern();
    let stream = pieces.lens[..pidx]
        .iter()
        .enumerate()
        .map(|(i, l)| (i, *l))
        .chain(std::iter::repeat_n((pidx, plen), splat));
    for (i, len) in stream {
        if left == 0 {
            break;
        }
        let take = len.min(left);
        push_run(&mut out, (i, take), 1);
        left -= take;
    }
    for (slices, splat) in calls {
        let (last, rest) = slices.split_last().expect("a call has a slice");
        for s in rest {
            push_run(&mut out, *s, 1);
        }
        push_run(&mut out, *last, *splat);
    }
    Some(out)
}

/// Appends `times` copies of `slice`, skipping empty ones, merging nothing:
/// two runs are equal only if they cut the stream alike.
fn push_run(out: &mut Vec<Slice>, slice: Slice, times: usize) {
    if slice.1 == 0 {
        return;
    }
    for _ in 0..times {
        out.push(slice);
    }
}

/// The model's `writeSplatHeaderLimit` on pieces `pieces`, with `room`
/// unused bytes of buffer.
fn plan(model: Model, pieces: &Pieces, splat: usize, limit: usize, mut room: usize) -> Plan {
    let (pidx, plen) = pieces.pattern();
    let hl = pieces.lens[0];
    let rest: Vec<Slice> = (1..pidx).map(|i| (i, pieces.lens[i])).collect();
    let mut remaining = limit;
    let mut buffered = 0;
    let done = |buffered, calls: Option<Vec<Call>>| match calls {
        Some(calls) => Plan::Runs { buffered, calls },
        None => Plan::Panics,
    };
    if model == Model::Zig0171 {
        let copy = hl.min(remaining);
        if room < copy {
            return done(0, finish(model, hl, &rest, (pidx, plen), splat, remaining));
        }
        room -= copy;
        remaining -= copy;
        buffered += copy;
        if remaining != 0 {
            for (k, (_, len)) in rest.iter().enumerate() {
                let copy = (*len).min(remaining);
                if room < copy {
                    let calls = finish(model, 0, &rest[k..], (pidx, plen), splat, remaining);
                    return done(buffered, calls);
                }
                room -= copy;
                remaining -= copy;
                buffered += copy;
            }
        }
        if remaining != 0 {
            for i in 0..splat {
                let copy = plen.min(remaining);
                if copy == 0 {
                    break;
                }
                if room < copy {
                    let calls = finish(model, 0, &[], (pidx, plen), splat - i, remaining);
                    return done(buffered, calls);
                }
                room -= copy;
                remaining -= copy;
                buffered += copy;
            }
        }
        return done(buffered, Some(Vec::new()));
    }
    // zigio, 0.15.1 and 0.16.0 share the first part (`Writer.zig:213-252`).
    let fits = |len: usize, room: usize, remaining: usize| len <= room && len <= remaining;
    if !fits(hl, room, remaining) {
        return done(0, finish(model, hl, &rest, (pidx, plen), splat, remaining));
    }
    room -= hl;
    remaining -= hl;
    buffered += hl;
    for (k, (_, len)) in rest.iter().enumerate() {
        if !fits(*len, room, remaining) {
            let calls = finish(model, 0, &rest[k..], (pidx, plen), splat, remaining);
            return done(buffered, calls);
        }
        room -= len;
        remaining -= len;
        buffered += len;
    }
    let splat_len = plen.saturating_mul(splat);
    if !fits(splat_len, room, remaining) {
        return done(
            buffered,
            finish(model, 0, &[], (pidx, plen), splat, remaining),
        );
    }
    done(buffered + splat_len, Some(Vec::new()))
}

/// The model's `writeSplatHeaderLimitFinish`: its drain calls, `None` where
/// it divides by zero. `hl` is the header's length (0: no header).
fn finish(
    model: Model, hl: usize, rest: &[Slice], (pidx, plen): Slice, splat: usize,
    mut remaining: usize,
) -> Option<Vec<Call>> {
    let mut calls = Vec::new();
    let mut vecs: Vec<Slice> = Vec::new();
    if hl != 0 {
        let take = hl.min(remaining);
        vecs.push((0, take));
        remaining -= take;
        if remaining == 0 {
            calls.push((vecs, 1));
            return Some(calls);
        }
    }
    for &(i, len) in rest.iter().filter(|(_, len)| *len != 0) {
        if model == Model::Zig0151 {
            // `Writer.zig:273-274`: the header's length, and the whole piece.
            vecs.push((i, len));
            remaining -= hl.min(remaining);
        } else {
            let take = len.min(remaining);
            vecs.push((i, take));
            remaining -= take;
        }
        if remaining == 0 {
            calls.push((vecs, 1));
            return Some(calls);
        }
        if vecs.len() == VECS {
            if model != Model::Zig0171 {
                calls.push((vecs, 1));
                return Some(calls);
            }
            // 0.17.1 drains the eight and goes on.
            calls.push((std::mem::take(&mut vecs), 1));
        }
    }
    let once = match model {
        Model::Zigio => splat == 1 || plen == 0,
        Model::Zig0151 => splat == 1,
        Model::Zig0160 | Model::Zig0171 => splat == 1 || remaining < plen,
    };
    if once {
        vecs.push((pidx, remaining.min(plen)));
        calls.push((vecs, 1));
        return Some(calls);
    }
    let whole = (remaining.checked_div(plen)?).min(splat);
    if model == Model::Zigio && whole == 0 && splat > 0 {
        vecs.push((pidx, remaining.min(plen)));
        calls.push((vecs, 1));
        return Some(calls);
    }
    vecs.push((pidx, plen));
    calls.push((vecs, whole));
    Some(calls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(header: usize, data: &[usize]) -> Pieces {
        let mut lens = vec![header];
        lens.extend(data);
        Pieces { lens }
    }

    #[test]
    fn the_models_agree_with_zigio_on_an_unlimited_request() {
        let p = pieces(4, &[3, 2]);
        let ours = plan(Model::Zigio, &p, 3, usize::MAX, 2);
        for m in [Model::Zig0151, Model::Zig0160] {
            assert_eq!(plan(m, &p, 3, usize::MAX, 2), ours, "{m:?}");
        }
    }

    #[test]
    fn zero_splat_sends_a_prefix_from_0_16_0_on() {
        // Header does not fit; limit 5 leaves 1 byte for a 2-byte pattern.
        let p = pieces(4, &[2]);
        let ours = plan(Model::Zigio, &p, 0, 5, 0);
        let theirs = plan(Model::Zig0160, &p, 0, 5, 0);
        assert_eq!(
            theirs,
            Plan::Runs {
                buffered: 0,
                calls: vec![(vec![(0, 4), (1, 1)], 1)]
            }
        );
        assert_ne!(theirs, ours);
        assert_eq!(
            classify(&theirs, &plan(Model::Zig0151, &p, 0, 5, 0), 0),
            Rule::SplatHeaderZeroSplat
        );
    }

    #[test]
    fn an_empty_pattern_still_divides_by_zero() {
        let p = pieces(6, &[3, 0]);
        for m in [Model::Zig0151, Model::Zig0160, Model::Zig0171] {
            assert_eq!(plan(m, &p, 2, usize::MAX, 0), Plan::Panics, "{m:?}");
        }
        assert_ne!(plan(Model::Zigio, &p, 2, usize::MAX, 0), Plan::Panics);
    }

    #[test]
    fn the_0_17_1_rewrite_buffers_a_header_cut_by_the_limit() {
        let p = pieces(3, &[2]);
        assert_eq!(
            plan(Model::Zig0171, &p, 1, 2, 4),
            Plan::Runs {
                buffered: 2,
                calls: vec![]
            }
        );
        assert_eq!(
            plan(Model::Zigio, &p, 1, 2, 4),
            Plan::Runs {
                buffered: 0,
                calls: vec![(vec![(0, 2)], 1)]
            }
        );
    }
}
