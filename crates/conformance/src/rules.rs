//! Where zigio deliberately differs from Zig 0.15.1: the exclusion rules.
//!
//! zigio fixes three bugs of `writeSplatHeaderLimitFinish`
//! (`Writer.zig:254-291`; the test `the_two_reproductions_are_excluded`
//! replays the first two):
//!
//! - [`Rule::SplatHeaderLimit`]: for each data element Zig subtracts
//!   `@min(header.len, remaining)` from the limit instead of the element's
//!   own length, and hands drain the untruncated element (`Writer.zig:273-274`).
//!   The limit is then not enforced, and the pattern's splat is computed
//!   from a wrong remainder. When the remaining limit is shorter than one
//!   copy of the pattern, Zig offers the pattern zero times and the drain
//!   can make no progress; zigio offers that prefix of it once.
//! - [`Rule::SplatHeaderDivByZero`]: with an empty pattern and `splat != 1`
//!   Zig computes `remaining / pattern.len` (`Writer.zig:288`) and panics.
//! - [`Rule::FixedDrainFits`]: the finish calls drain even when the limited
//!   request fits in the buffer, against the drain contract
//!   (`Writer.zig:19-44`; upstream ziglang/zig#25836). `fixedDrain`
//!   (`Writer.zig:2331-2361`) relies on that contract: for a request that
//!   fits it reaches `unreachable`, fails an assertion, fails an exact fit,
//!   or reports 0 bytes after storing them. zigio's fixed sink stores such a
//!   request and reports it. (Found by this suite.)
//!
//! And one bug of `splatBytePreserve` (`Writer.zig:764-788`):
//!
//! - [`Rule::SplatBytePreserve`]: when the last copies must stay buffered,
//!   Zig moves the newest `preserve` bytes to the front without draining the
//!   older ones, which are lost; zigio rebases instead. Whether an op gets
//!   that far depends on what its drains accept, so the executor first runs
//!   the part both share on a copy of the writer
//!   (`exec::splat_byte_preserve_tail`), then asks
//!   [`splat_byte_preserve_differs`] about the state it reached.
//!
//! For `writeSplatHeaderLimit` an op is excluded only when Zig's behaviour
//! would differ: [`zig_0_15_1_bug`] replays the part of `writeSplatHeaderLimit` that both
//! implementations share (copying whole pieces into the buffer) on the
//! writer's current state, and compares the drain request Zig's finish
//! would make with the one zigio makes. Equal requests mean equal
//! behaviour, so the op runs on both sides; different requests mean the op
//! is replaced by a `skip` on both sides, and the run counts it.

use crate::script::{Op, SinkKind};

/// At most this many slices go to one drain (`Writer.zig:262`).
const VECS: usize = 8;

/// A difference between zigio and a Zig release: a Zig 0.15.1 bug zigio
/// fixes, or a behaviour a later release changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// `writeSplatHeaderLimit`'s drain request ignores the limit for data
    /// elements.
    SplatHeaderLimit,
    /// `writeSplatHeaderLimit` divides by an empty pattern's length.
    SplatHeaderDivByZero,
    /// `writeSplatHeaderLimit` drains a request that fits, which
    /// `fixedDrain` does not handle.
    FixedDrainFits,
    /// `splatBytePreserve` drops older buffered bytes instead of draining
    /// them.
    SplatBytePreserve,
    /// From Zig 0.16.0: `writeSplatHeaderLimit` with `splat` 0 and a limit
    /// shorter than the pattern sends a prefix of the pattern.
    SplatHeaderZeroSplat,
    /// Zig 0.17.1: the rewritten `writeSplatHeaderLimit` buffers what fits
    /// before draining, and drains eight slices at a time.
    SplatHeaderRewritten,
    /// Zig 0.17.1: `splatBytePreserve` rebases with `preserve -| remaining`.
    SplatBytePreserveRebase,
    /// Zig 0.17.1: `writeBytePreserve` rebases with `preserve -| 1`.
    WriteBytePreserveRebase,
}

/// A pinned Zig release the differential run compares zigio with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Release {
    /// Zig 0.15.1, the release zigio ports.
    Zig0151,
    /// Zig 0.16.0.
    Zig0160,
    /// Zig 0.17.1.
    Zig0171,
}

impl Release {
    /// The release zigio ports.
    pub const BASELINE: Release = Release::Zig0151;

    /// Every pinned release, oldest first ([`pinned_zig::PINS`]).
    pub const ALL: [Release; 3] = [Release::Zig0151, Release::Zig0160, Release::Zig0171];

    /// As `zig version` prints it, e.g. `"0.16.0"`.
    pub fn version(self) -> &'static str {
        self.pin().version
    }

    /// The compiler's pin.
    pub fn pin(self) -> pinned_zig::Pin {
        match self {
            Release::Zig0151 => pinned_zig::ZIG_0_15_1,
            Release::Zig0160 => pinned_zig::ZIG_0_16_0,
            Release::Zig0171 => pinned_zig::ZIG_0_17_1,
        }
    }
}

impl Rule {
    /// The Zig 0.15.1 bugs zigio fixes: the rules of the baseline run.
    pub const BASELINE: [Rule; 4] = [
        Rule::SplatHeaderLimit,
        Rule::SplatHeaderDivByZero,
        Rule::FixedDrainFits,
        Rule::SplatBytePreserve,
    ];

    /// Every rule: the baseline's, then the behaviours later releases
    /// changed (see [`crate::later`]).
    pub const ALL: [Rule; 8] = [
        Rule::SplatHeaderLimit,
        Rule::SplatHeaderDivByZero,
        Rule::FixedDrainFits,
        Rule::SplatBytePreserve,
        Rule::SplatHeaderZeroSplat,
        Rule::SplatHeaderRewritten,
        Rule::SplatBytePreserveRebase,
        Rule::WriteBytePreserveRebase,
    ];

    /// Whether this is one of the Zig 0.15.1 bugs ([`Rule::BASELINE`])
    /// rather than a later release's change.
    pub fn is_baseline(self) -> bool {
        Rule::BASELINE.contains(&self)
    }

    /// The name written into scripts and traces.
    pub fn name(self) -> &'static str {
        match self {
            Rule::SplatHeaderLimit => "splat-header-limit",
            Rule::SplatHeaderDivByZero => "splat-header-div-by-zero",
            Rule::FixedDrainFits => "fixed-drain-fits",
            Rule::SplatBytePreserve => "splat-byte-preserve",
            Rule::SplatHeaderZeroSplat => "splat-header-zero-splat",
            Rule::SplatHeaderRewritten => "splat-header-rewritten",
            Rule::SplatBytePreserveRebase => "splat-byte-preserve-rebase",
            Rule::WriteBytePreserveRebase => "write-byte-preserve-rebase",
        }
    }

    /// Why zigio differs, in one sentence.
    pub fn reason(self) -> &'static str {
        match self {
            Rule::SplatHeaderLimit => {
                "Zig 0.15.1 subtracts the header's length instead of each data element's and \
                 passes the element untruncated (Writer.zig:273-274), so the limit is not \
                 enforced, and offers the pattern zero times when the limit is shorter than \
                 one copy; zigio cuts every piece to the limit and offers that prefix once"
            }
            Rule::SplatHeaderDivByZero => {
                "Zig 0.15.1 divides the remaining limit by the pattern length (Writer.zig:288), \
                 which panics for an empty pattern with splat != 1; zigio sends nothing for it"
            }
            Rule::FixedDrainFits => {
                "Zig 0.15.1's writeSplatHeaderLimitFinish calls drain even when the limited \
                 request fits in the buffer (ziglang/zig#25836), and fixedDrain \
                 (Writer.zig:2331-2361) then reaches unreachable, fails an assertion or \
                 misreports; zigio's fixed sink stores the request and reports it"
            }
            Rule::SplatBytePreserve => {
                "Zig 0.15.1's splatBytePreserve (Writer.zig:764-788) moves the newest preserve \
                 bytes to the front without draining the older ones, which are lost; zigio \
                 rebases instead"
            }
            Rule::SplatHeaderZeroSplat => {
                "from Zig 0.16.0, writeSplatHeaderLimitFinish offers a prefix of the pattern \
                 once when the limit left is shorter than the pattern, even when splat is 0; \
                 zigio sends no copy of it"
            }
            Rule::SplatHeaderRewritten => {
                "Zig 0.17.1's writeSplatHeaderLimit buffers a header cut by the limit and every \
                 whole copy of the pattern that fits before it drains, and drains eight slices \
                 at a time; zigio, as 0.15.1, drains the whole request in one call"
            }
            Rule::SplatBytePreserveRebase => {
                "Zig 0.17.1's splatBytePreserve rebases keeping preserve -| remaining bytes \
                 (the copies it writes count as preserved); zigio keeps preserve"
            }
            Rule::WriteBytePreserveRebase => {
                "Zig 0.17.1's writeBytePreserve rebases keeping preserve -| 1 bytes (the new \
                 byte counts as preserved); zigio keeps preserve"
            }
        }
    }
}

/// The lengths of the slices and the splat of one drain call.
type Request = (Vec<usize>, usize);

/// The rule under which `op`, run on a `sink` writer with `end` buffered
/// bytes and `capacity` bytes of buffer, would behave differently in Zig
/// 0.15.1 than in zigio; `None` when it behaves the same.
pub fn zig_0_15_1_bug(op: &Op, sink: SinkKind, end: usize, capacity: usize) -> Option<Rule> {
    let Op::WriteSplatHeader {
        header,
        data,
        splat,
        limit,
    } = op
    else {
        return None;
    };
    let data: Vec<&[u8]> = data.iter().map(|d| d.as_bytes()).collect();
    let room = capacity - end;
    let finish = finish_call(
        header.as_bytes(),
        &data,
        *splat,
        limit.unwrap_or(usize::MAX),
        room,
    )?;
    let (header, data, remaining) = finish;
    let request = zigio_request(header, data, *splat, remaining);
    match zig_request(header, data, *splat, remaining) {
        None => Some(Rule::SplatHeaderDivByZero),
        Some(zig) if zig != request => Some(Rule::SplatHeaderLimit),
        Some(_) if sink == SinkKind::Fixed && fixed_drain_misbehaves(&request, room) => {
            Some(Rule::FixedDrainFits)
        }
        Some(_) => None,
    }
}

/// Whether Zig's `fixedDrain` (`Writer.zig:2331-2361`) handles `request`
/// differently from zigio's fixed sink, with `room` unused bytes. Both copy
/// the non-last slices and fail at the first that does not fit; they part
/// only when everything fits.
pub(crate) fn fixed_drain_misbehaves((lens, splat): &Request, room: usize) -> bool {
    let (pattern, rest) = lens.split_last().expect("a request has a slice");
    let rest_len: usize = rest.iter().sum();
    if rest_len > room {
        return false;
    }
    let room = room - rest_len;
    match pattern {
        // Zig returns 0 after storing the other slices.
        0 => rest_len > 0,
        // Zig asserts `splat >= room`, and fails even an exact fit.
        1 => *splat <= room,
        // Zig's loop ends without failing and reaches `unreachable`.
        p => p.saturating_mul(*splat) <= room,
    }
}

/// The arguments of a `writeSplatHeaderLimitFinish` call: header, data,
/// remaining limit.
type Finish<'d> = (&'d [u8], &'d [&'d [u8]], usize);

/// Whether `splatBytePreserve`'s last step (`Writer.zig:781-787`) behaves
/// differently in Zig and zigio, given the writer's `end` and unused
/// capacity and the copies still to write when it is reached.
///
/// Zig keeps only the newest `preserve` bytes when more are buffered
/// (dropping the rest), then writes the copies with `splatByte`; zigio calls
/// `rebase(preserve, remaining)`, which does nothing when the copies fit.
/// They agree only when nothing would be dropped and the copies fit.
pub fn splat_byte_preserve_differs(
    preserve: usize, end: usize, unused: usize, remaining: usize,
) -> bool {
    preserve < end || unused < remaining
}

/// The first part of `writeSplatHeaderLimit` (`Writer.zig:213-252`), the
/// same in both: which `writeSplatHeaderLimitFinish` call it makes, if any.
fn finish_call<'d>(
    header: &'d [u8], data: &'d [&'d [u8]], splat: usize, mut remaining: usize, mut room: usize,
) -> Option<Finish<'d>> {
    let fits = |len: usize, room: usize, remaining: usize| len <= room && len <= remaining;
    if !fits(header.len(), room, remaining) {
        return Some((header, data, remaining));
    }
    room -= header.len();
    remaining -= header.len();
    let (pattern, rest) = data.split_last().expect("validated: data is not empty");
    for (i, piece) in rest.iter().enumerate() {
        if !fits(piece.len(), room, remaining) {
            return Some((b"", &data[i..], remaining));
        }
        room -= piece.len();
        remaining -= piece.len();
    }
    let splat_len = pattern.len().saturating_mul(splat);
    if !fits(splat_len, room, remaining) {
        return Some((b"", &data[data.len() - 1..], remaining));
    }
    None
}

/// Zig 0.15.1's `writeSplatHeaderLimitFinish`, as written; `None` where it
/// divides by zero.
fn zig_request(header: &[u8], data: &[&[u8]], splat: usize, limit: usize) -> Option<Request> {
    let mut remaining = limit;
    let mut vecs = Vec::new();
    if !header.is_empty() {
        let copy_len = header.len().min(remaining);
        vecs.push(copy_len);
        remaining -= copy_len;
        if remaining == 0 {
            return Some((vecs, 1));
        }
    }
    let (pattern, rest) = data.split_last().expect("validated: data is not empty");
    for piece in rest.iter().filter(|p| !p.is_empty()) {
        // Writer.zig:273-274: the header's length, and the whole piece.
        let copy_len = header.len().min(remaining);
        vecs.push(piece.len());
        remaining -= copy_len;
        if remaining == 0 || vecs.len() == VECS {
            return Some((vecs, 1));
        }
    }
    if splat == 1 {
        vecs.push(remaining.min(pattern.len()));
        return Some((vecs, 1));
    }
    vecs.push(pattern.len());
    let per = remaining.checked_div(pattern.len())?;
    Some((vecs, per.min(splat)))
}

/// zigio's request: every piece cut to the limit, an empty pattern adds
/// nothing, and a limit shorter than one copy of the pattern offers that
/// prefix once (`crates/zigio/src/writer/splat.rs`, `splat_header_finish`).
fn zigio_request(header: &[u8], data: &[&[u8]], splat: usize, limit: usize) -> Request {
    let mut remaining = limit;
    let mut vecs = Vec::new();
    if !header.is_empty() {
        let take = header.len().min(remaining);
        vecs.push(take);
        remaining -= take;
        if remaining == 0 {
            return (vecs, 1);
        }
    }
    let (pattern, rest) = data.split_last().expect("validated: data is not empty");
    for piece in rest.iter().filter(|p| !p.is_empty()) {
        let take = piece.len().min(remaining);
        vecs.push(take);
        remaining -= take;
        if remaining == 0 || vecs.len() == VECS {
            return (vecs, 1);
        }
    }
    if splat == 1 || pattern.is_empty() {
        vecs.push(pattern.len().min(remaining));
        return (vecs, 1);
    }
    let whole = (remaining / pattern.len()).min(splat);
    if whole == 0 && splat > 0 {
        // Less than one copy allowed: that prefix, once.
        vecs.push(remaining.min(pattern.len()));
        return (vecs, 1);
    }
    vecs.push(pattern.len());
    (vecs, whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPTED: SinkKind = SinkKind::Scripted;

    fn op(header: &str, data: &[&str], splat: usize, limit: Option<usize>) -> Op {
        Op::WriteSplatHeader {
            header: header.into(),
            data: data.iter().map(|s| s.to_string()).collect(),
            splat,
            limit,
        }
    }

    #[test]
    fn the_two_reproductions_are_excluded() {
        // Bug (a): limit 5 with data ["0123456789", "x"] on an
        // unbuffered writer sent 11 bytes.
        assert_eq!(
            zig_0_15_1_bug(&op("", &["0123456789", "x"], 1, Some(5)), SCRIPTED, 0, 0),
            Some(Rule::SplatHeaderLimit)
        );
        // Bug (b): `writeSplatHeader("HEADER", &.{"abc", ""}, 2)`
        // on an unbuffered writer divides by zero.
        assert_eq!(
            zig_0_15_1_bug(&op("HEADER", &["abc", ""], 2, None), SCRIPTED, 0, 0),
            Some(Rule::SplatHeaderDivByZero)
        );
    }

    #[test]
    fn a_fitting_request_is_excluded_on_fixed_writers_only() {
        // A full 1-byte fixed writer; the limit leaves room for no copy of
        // the 2-byte pattern, so Zig drains `["xy"]` with splat 0, which
        // fits, and fixedDrain reaches `unreachable` (found by this suite).
        // zigio offers `"x"` once there: the requests already differ.
        let o = op("", &["xy"], 3, Some(1));
        assert_eq!(
            zig_0_15_1_bug(&o, SinkKind::Fixed, 1, 1),
            Some(Rule::SplatHeaderLimit)
        );
        // The limit cuts a 3-byte header to 2 bytes, a request both make
        // and that fits in an empty 4-byte fixed writer.
        let o = op("abc", &["xy"], 1, Some(2));
        assert_eq!(
            zig_0_15_1_bug(&o, SinkKind::Fixed, 0, 4),
            Some(Rule::FixedDrainFits)
        );
        assert_eq!(zig_0_15_1_bug(&o, SCRIPTED, 0, 4), None);
        // A request that does not fit fails the same way in both.
        let o = op("", &["abcdef", "xy"], 2, None);
        assert_eq!(zig_0_15_1_bug(&o, SinkKind::Fixed, 0, 4), None);
    }

    #[test]
    fn splat_byte_preserve_differs_when_bytes_would_be_dropped_or_moved() {
        // Nothing to drop, and the copies fit: the same.
        assert!(!splat_byte_preserve_differs(4, 3, 5, 2));
        // Zig drops the 2 oldest buffered bytes; zigio keeps them.
        assert!(splat_byte_preserve_differs(2, 4, 5, 2));
        // The copies do not fit: zigio rebases, Zig drains as it goes.
        assert!(splat_byte_preserve_differs(4, 3, 1, 2));
    }

    #[test]
    fn ops_that_behave_the_same_are_kept() {
        // Fits in the buffer: no finish call at all.
        assert_eq!(
            zig_0_15_1_bug(&op("H", &["ab", "x"], 3, Some(4)), SCRIPTED, 0, 16),
            None
        );
        // Unlimited with a non-empty pattern: the same request.
        assert_eq!(
            zig_0_15_1_bug(&op("HEAD", &["abc", "xy"], 3, None), SCRIPTED, 0, 2),
            None
        );
        // Empty pattern with splat 1 is fine in Zig too.
        assert_eq!(
            zig_0_15_1_bug(&op("HEAD", &["abc", ""], 1, None), SCRIPTED, 0, 0),
            None
        );
        // A limit that only cuts the header: both cut it the same way.
        assert_eq!(
            zig_0_15_1_bug(&op("HEADER", &["abc", "x"], 1, Some(3)), SCRIPTED, 0, 0),
            None
        );
        // Other ops never match.
        assert_eq!(zig_0_15_1_bug(&Op::Flush, SCRIPTED, 0, 0), None);
    }
}
