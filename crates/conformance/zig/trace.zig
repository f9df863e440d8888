//! The trace of op scripts run against Zig 0.15.1's `std.Io.Writer`: the
//! scripted sink, the writer under test and one function per input line.
//! The Rust executor (crates/conformance/src/exec.rs) prints the same trace
//! for zigio; the two are compared line by line.
//!
//! Two programs use it: `harness.zig` (native, reads a file or stdin, writes
//! stdout) and `lab.zig` (WebAssembly for the book's buffer lab, reads and
//! writes memory). The root file of each provides
//! `pub fn fatal(comptime fmt: []const u8, args: anytype) noreturn`, called
//! for malformed input and for a trace that cannot be written.
//!
//! Input: JSON lines. A line with a "script" field starts a script (its
//! header: "seed", "sink", "buffer", "budget", "fail_after"); every other
//! line is one op of the current script. See
//! crates/conformance/src/script.rs for the format and the meaning of each
//! op.

const std = @import("std");
const root = @import("root");
const Writer = std.Io.Writer;
const Fnv = std.hash.Fnv1a_64;

/// Where the trace goes; the root file sets it before the first line.
pub var out: *Writer = undefined;

/// Trace output must never fail silently: a failed write ends the run with
/// a message, so an incomplete trace cannot look like a pass.
fn emit(comptime fmt: []const u8, args: anytype) void {
    out.print(fmt, args) catch root.fatal("cannot write the trace", .{});
}

const fatal = root.fatal;

/// One JSON line, header or op; absent fields stay null.
const Line = struct {
    script: ?u64 = null,
    seed: ?u64 = null,
    sink: ?[]const u8 = null,
    buffer: ?usize = null,
    /// Bytes the scripted sink accepts per drain call, cyclically; null is
    /// a failing drain.
    budget: ?[]const ?usize = null,
    /// Bytes after which every drain of the scripted sink fails.
    fail_after: ?u64 = null,

    op: ?[]const u8 = null,
    bytes: ?[]const u8 = null,
    data: ?[]const []const u8 = null,
    header: ?[]const u8 = null,
    splat: ?usize = null,
    byte: ?u8 = null,
    n: ?usize = null,
    preserve: ?usize = null,
    capacity: ?usize = null,
    len: ?usize = null,
    limit: ?usize = null,
    rule: ?[]const u8 = null,
};

const OpKind = enum {
    write,
    write_all,
    write_vec,
    write_vec_all,
    write_splat,
    write_splat_all,
    write_splat_header,
    write_byte,
    write_byte_preserve,
    splat_byte,
    splat_byte_all,
    splat_byte_preserve,
    splat_bytes_all,
    flush,
    rebase,
    consume,
    writable_slice,
    skip,
};

const SinkKind = enum { scripted, fixed, allocating, discarding };

/// A sink with a scripted drain: each call accepts budget[k % len] bytes
/// (buffered bytes first, then data, then the pattern `splat` times), or
/// fails when the entry is null or once `fail_after` bytes went through. It records every call in the trace and
/// hashes the accepted bytes.
const Scripted = struct {
    budget: []const ?usize,
    fail_after: ?u64 = null,
    calls: u64 = 0,
    out_len: u64 = 0,
    out_hash: Fnv = .init(),
    writer: Writer,

    fn init(buffer: []u8, budget: []const ?usize, fail_after: ?u64) Scripted {
        return .{
            .budget = budget,
            .fail_after = fail_after,
            .writer = .{ .vtable = &.{ .drain = drain }, .buffer = buffer },
        };
    }

    fn drain(w: *Writer, data: []const []const u8, splat: usize) Writer.Error!usize {
        // On wasm32 a `*Writer` is less aligned than the u64 fields of its parent.
        const s: *Scripted = @alignCast(@fieldParentPtr("writer", w));
        const entry = s.budget[@intCast(s.calls % s.budget.len)];
        s.calls += 1;
        emit("  drain end={d} data=", .{w.end});
        for (data, 0..) |d, i| emit("{s}{d}", .{ if (i == 0) "" else ",", d.len });
        emit(" splat={d}", .{splat});
        const budget = entry orelse {
            emit(" -> fail\n", .{});
            return error.WriteFailed;
        };
        var left = budget;
        if (s.fail_after) |limit| {
            if (s.out_len >= limit) {
                emit(" -> fail\n", .{});
                return error.WriteFailed;
            }
            left = @intCast(@min(left, limit - s.out_len));
        }
        var taken: usize = 0;
        s.take(w.buffered(), &left, &taken);
        for (data[0 .. data.len - 1]) |d| s.take(d, &left, &taken);
        const pattern = data[data.len - 1];
        if (pattern.len != 0) {
            var i: usize = 0;
            while (i < splat and left != 0) : (i += 1) s.take(pattern, &left, &taken);
        }
        const n = w.consume(taken);
        emit(" take={d} -> {d}\n", .{ taken, n });
        return n;
    }

    fn take(s: *Scripted, bytes: []const u8, left: *usize, taken: *usize) void {
        const k = @min(bytes.len, left.*);
        s.out_hash.update(bytes[0..k]);
        s.out_len += k;
        left.* -= k;
        taken.* += k;
    }
};

/// The writer under test, whichever implementation the script names.
const Subject = union(SinkKind) {
    scripted: Scripted,
    fixed: Writer,
    allocating: Writer.Allocating,
    discarding: Writer.Discarding,

    fn writer(s: *Subject) *Writer {
        return switch (s.*) {
            .scripted => |*x| &x.writer,
            .fixed => |*x| x,
            .allocating => |*x| &x.writer,
            .discarding => |*x| &x.writer,
        };
    }
};

/// An op's count as an optional result (void ops have none).
fn some(r: Writer.Error!usize) Writer.Error!?usize {
    return try r;
}

fn hashOf(bytes: []const u8) u64 {
    return Fnv.hash(bytes);
}

/// The buffer state hashes at most this many of the newest buffered bytes:
/// all of them for every sink but a grown allocating writer, whose whole
/// content the script's last line hashes instead.
const state_window = 4096;

fn newest(bytes: []const u8) []const u8 {
    return bytes[bytes.len -| state_window ..];
}

fn need(comptime T: type, v: ?T, comptime field: []const u8, line_no: usize) T {
    return v orelse fatal("line {d}: missing field \"{s}\"", .{ line_no, field });
}

/// The run: the current script's writer and arenas. Feed it every input
/// line with `feed`, then call `closeScript`.
pub const State = struct {
    gpa: std.mem.Allocator,
    // The current script: its header lives in `script_arena`, each op in
    // `op_arena` (reset per op).
    script_arena: std.heap.ArenaAllocator,
    op_arena: std.heap.ArenaAllocator,
    subject: ?Subject = null,
    op_index: usize = 0,

    pub fn init(gpa: std.mem.Allocator) State {
        return .{ .gpa = gpa, .script_arena = .init(gpa), .op_arena = .init(gpa) };
    }

    pub fn deinit(st: *State) void {
        st.closeScript();
        st.script_arena.deinit();
        st.op_arena.deinit();
    }

    /// Ends the current script, if any, with its last line.
    pub fn closeScript(st: *State) void {
        if (st.subject) |*s| {
            finish(s);
            if (s.* == .allocating) s.allocating.deinit();
        }
        st.subject = null;
    }

    /// Runs one input line (`line_no` is 1-based, for messages). Returns
    /// true when the line started a new script, so the caller may flush the
    /// finished one.
    pub fn feed(st: *State, text: []const u8, line_no: usize) !bool {
        if (text.len == 0) return false;
        _ = st.op_arena.reset(.retain_capacity);
        const l = std.json.parseFromSliceLeaky(Line, st.op_arena.allocator(), text, .{}) catch |e|
            fatal("line {d}: invalid JSON for a script line: {t}", .{ line_no, e });
        if (l.script) |id| {
            st.closeScript();
            try st.open(l, id, line_no);
            return true;
        }
        try st.op(l, line_no);
        return false;
    }

    fn open(st: *State, line: Line, id: u64, line_no: usize) !void {
        _ = st.script_arena.reset(.retain_capacity);
        const sa = st.script_arena.allocator();
        const kind_name = need([]const u8, line.sink, "sink", line_no);
        const kind = std.meta.stringToEnum(SinkKind, kind_name) orelse
            fatal("line {d}: unknown sink \"{s}\"", .{ line_no, kind_name });
        const size = need(usize, line.buffer, "buffer", line_no);
        emit("script {d} seed={d} sink={s} buffer={d}\n", .{ id, line.seed orelse 0, kind_name, size });
        st.subject = switch (kind) {
            .scripted => blk: {
                const budget = try sa.dupe(?usize, need([]const ?usize, line.budget, "budget", line_no));
                if (budget.len == 0) fatal("line {d}: empty budget", .{line_no});
                break :blk .{ .scripted = .init(try sa.alloc(u8, size), budget, line.fail_after) };
            },
            .fixed => .{ .fixed = .fixed(try sa.alloc(u8, size)) },
            .allocating => .{ .allocating = try .initCapacity(st.gpa, size) },
            .discarding => .{ .discarding = .init(try sa.alloc(u8, size)) },
        };
        st.op_index = 0;
    }

    fn op(st: *State, line: Line, line_no: usize) !void {
        const s = if (st.subject) |*s| s else fatal("line {d}: op before any script header", .{line_no});
        const op_name = need([]const u8, line.op, "op", line_no);
        const kind = std.meta.stringToEnum(OpKind, op_name) orelse
            fatal("line {d}: unknown op \"{s}\"", .{ line_no, op_name });
        const w = s.writer();
        // Drain lines come first; the op's line closes them.
        const index = st.op_index;
        st.op_index += 1;
        const oa = st.op_arena.allocator();
        const result: Writer.Error!?usize = switch (kind) {
            .write => some(w.write(need([]const u8, line.bytes, "bytes", line_no))),
            .write_all => if (w.writeAll(need([]const u8, line.bytes, "bytes", line_no))) null else |e| e,
            .write_vec => some(w.writeVec(need([]const []const u8, line.data, "data", line_no))),
            .write_vec_all => blk: {
                const data = try oa.dupe([]const u8, need([]const []const u8, line.data, "data", line_no));
                break :blk if (w.writeVecAll(data)) null else |e| e;
            },
            .write_splat => some(w.writeSplat(need([]const []const u8, line.data, "data", line_no), need(usize, line.splat, "splat", line_no))),
            .write_splat_all => blk: {
                const data = try oa.dupe([]const u8, need([]const []const u8, line.data, "data", line_no));
                break :blk if (w.writeSplatAll(data, need(usize, line.splat, "splat", line_no))) null else |e| e;
            },
            .write_splat_header => some(w.writeSplatHeaderLimit(
                need([]const u8, line.header, "header", line_no),
                need([]const []const u8, line.data, "data", line_no),
                need(usize, line.splat, "splat", line_no),
                if (line.limit) |l| .limited(l) else .unlimited,
            )),
            .write_byte => if (w.writeByte(need(u8, line.byte, "byte", line_no))) null else |e| e,
            .write_byte_preserve => if (w.writeBytePreserve(need(usize, line.preserve, "preserve", line_no), need(u8, line.byte, "byte", line_no))) null else |e| e,
            .splat_byte => some(w.splatByte(need(u8, line.byte, "byte", line_no), need(usize, line.n, "n", line_no))),
            .splat_byte_all => if (w.splatByteAll(need(u8, line.byte, "byte", line_no), need(usize, line.n, "n", line_no))) null else |e| e,
            .splat_byte_preserve => if (w.splatBytePreserve(need(usize, line.preserve, "preserve", line_no), need(u8, line.byte, "byte", line_no), need(usize, line.n, "n", line_no))) null else |e| e,
            .splat_bytes_all => if (w.splatBytesAll(need([]const u8, line.bytes, "bytes", line_no), need(usize, line.splat, "splat", line_no))) null else |e| e,
            .flush => if (w.flush()) null else |e| e,
            .rebase => if (w.rebase(need(usize, line.preserve, "preserve", line_no), need(usize, line.capacity, "capacity", line_no))) null else |e| e,
            .consume => w.consume(need(usize, line.n, "n", line_no)),
            .writable_slice => blk: {
                const len = need(usize, line.len, "len", line_no);
                const slice = w.writableSlicePreserve(line.preserve orelse 0, len) catch |e| break :blk e;
                @memset(slice, need(u8, line.byte, "byte", line_no));
                break :blk len;
            },
            .skip => {
                emit("op {d} skip {s}\n", .{ index, need([]const u8, line.rule, "rule", line_no) });
                return;
            },
        };
        if (result) |value| {
            // Ops without a result (writeAll, flush, ...) print a bare "ok".
            if (value) |n| emit("op {d} {s} ok {d}", .{ index, op_name, n }) else emit("op {d} {s} ok", .{ index, op_name });
        } else |_| {
            emit("op {d} {s} fail", .{ index, op_name });
        }
        emit(" end={d} cap={d} buf={x:0>16}\n", .{ w.end, w.buffer.len, hashOf(newest(w.buffered())) });
    }
};

/// The script's last line: what reached the sink.
fn finish(s: *Subject) void {
    switch (s.*) {
        .scripted => |*x| emit("end drains={d} out_len={d} out_hash={x:0>16}\n", .{ x.calls, x.out_len, x.out_hash.final() }),
        .fixed => |*x| emit("end written={d} hash={x:0>16}\n", .{ x.end, hashOf(x.buffered()) }),
        .allocating => |*x| emit("end written={d} hash={x:0>16}\n", .{ x.writer.end, hashOf(x.writer.buffered()) }),
        .discarding => |*x| emit("end count={d}\n", .{x.fullCount()}),
    }
}
