//! Executes op scripts against Zig 0.15.1's `std.Io.Writer` and prints a
//! canonical trace. The Rust executor (crates/conformance/src/exec.rs)
//! prints the same trace for zigio; the two are compared line by line.
//!
//! Usage: harness <scripts.jsonl | ->
//!
//! With `-` the scripts are read from stdin as they arrive, so the caller
//! can run zigio on the next script while Zig runs this one.
//!
//! Input: JSON lines. A line with a "script" field starts a script (its
//! header: "seed", "sink", "buffer", "budget"); every other line is one op
//! of the current script. See crates/conformance/src/script.rs for the
//! format and the meaning of each op.
//!
//! Build it in Debug: Zig's assertions are undefined behaviour in
//! ReleaseFast, and a script that trips one must crash, not diverge.

const std = @import("std");
const Writer = std.Io.Writer;
const Fnv = std.hash.Fnv1a_64;

/// One JSON line, header or op; absent fields stay null.
const Line = struct {
    script: ?u64 = null,
    seed: ?u64 = null,
    sink: ?[]const u8 = null,
    buffer: ?usize = null,
    /// Bytes the scripted sink accepts per drain call, cyclically; null is
    /// a failing drain.
    budget: ?[]const ?usize = null,

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

/// On a panic (a Zig assertion), print the trace so far before the
/// message, so that the comparison shows where the two sides parted.
pub const panic = std.debug.FullPanic(flushThenPanic);

fn flushThenPanic(msg: []const u8, first_trace_addr: ?usize) noreturn {
    out().flush() catch {};
    std.debug.defaultPanic(msg, first_trace_addr);
}

var out_buffer: [1 << 16]u8 = undefined;
var stdout_writer: std.fs.File.Writer = undefined;

fn out() *Writer {
    return &stdout_writer.interface;
}

/// Trace output must never fail silently: a failed write to stdout ends the
/// run with a message, so an incomplete trace cannot look like a pass.
fn emit(comptime fmt: []const u8, args: anytype) void {
    out().print(fmt, args) catch fatal("cannot write the trace to stdout", .{});
}

fn fatal(comptime fmt: []const u8, args: anytype) noreturn {
    std.debug.print("harness: " ++ fmt ++ "\n", args);
    std.process.exit(2);
}

/// A sink with a scripted drain: each call accepts budget[k % len] bytes
/// (buffered bytes first, then data, then the pattern `splat` times), or
/// fails when the entry is null. It records every call in the trace and
/// hashes the accepted bytes.
const Scripted = struct {
    budget: []const ?usize,
    calls: u64 = 0,
    out_len: u64 = 0,
    out_hash: Fnv = .init(),
    writer: Writer,

    fn init(buffer: []u8, budget: []const ?usize) Scripted {
        return .{
            .budget = budget,
            .writer = .{ .vtable = &.{ .drain = drain }, .buffer = buffer },
        };
    }

    fn drain(w: *Writer, data: []const []const u8, splat: usize) Writer.Error!usize {
        const s: *Scripted = @fieldParentPtr("writer", w);
        const entry = s.budget[s.calls % s.budget.len];
        s.calls += 1;
        emit("  drain end={d} data=", .{w.end});
        for (data, 0..) |d, i| emit("{s}{d}", .{ if (i == 0) "" else ",", d.len });
        emit(" splat={d}", .{splat});
        const budget = entry orelse {
            emit(" -> fail\n", .{});
            return error.WriteFailed;
        };
        var left = budget;
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

pub fn main() !void {
    var gpa_state: std.heap.DebugAllocator(.{}) = .init;
    defer _ = gpa_state.deinit();
    const gpa = gpa_state.allocator();

    stdout_writer = std.fs.File.stdout().writerStreaming(&out_buffer);

    const args = try std.process.argsAlloc(gpa);
    defer std.process.argsFree(gpa, args);
    if (args.len != 2) fatal("usage: harness <scripts.jsonl | ->", .{});
    const file = if (std.mem.eql(u8, args[1], "-"))
        std.fs.File.stdin()
    else
        std.fs.cwd().openFile(args[1], .{}) catch |e| fatal("cannot open {s}: {t}", .{ args[1], e });
    // A line is at most one op or header; 1 MiB is far more than the
    // generator ever writes, and a longer line is reported, not truncated.
    const in_buffer = try gpa.alloc(u8, 1 << 20);
    defer gpa.free(in_buffer);
    var file_reader = file.readerStreaming(in_buffer);
    const input = &file_reader.interface;

    // The current script: its header lives in `script_arena`, each op in
    // `op_arena` (reset per op).
    var script_arena: std.heap.ArenaAllocator = .init(gpa);
    defer script_arena.deinit();
    var op_arena: std.heap.ArenaAllocator = .init(gpa);
    defer op_arena.deinit();

    var subject: ?Subject = null;
    var op_index: usize = 0;
    var line_no: usize = 0;
    while (true) {
        const text = input.takeDelimiterExclusive('\n') catch |e| switch (e) {
            error.EndOfStream => break,
            error.StreamTooLong => fatal("line {d}: longer than {d} bytes", .{ line_no + 1, in_buffer.len }),
            error.ReadFailed => fatal("line {d}: cannot read the scripts: {t}", .{ line_no + 1, file_reader.err.? }),
        };
        line_no += 1;
        if (text.len == 0) continue;
        _ = op_arena.reset(.retain_capacity);
        const line = std.json.parseFromSliceLeaky(Line, op_arena.allocator(), text, .{}) catch |e|
            fatal("line {d}: invalid JSON for a script line: {t}", .{ line_no, e });

        if (line.script) |id| {
            if (subject) |*s| {
                finish(s);
                // Whole scripts reach the reader as soon as they are done.
                out().flush() catch fatal("cannot write the trace to stdout", .{});
            }
            if (subject) |*s| if (s.* == .allocating) s.allocating.deinit();
            subject = null;
            _ = script_arena.reset(.retain_capacity);
            const sa = script_arena.allocator();
            const kind_name = need([]const u8, line.sink, "sink", line_no);
            const kind = std.meta.stringToEnum(SinkKind, kind_name) orelse
                fatal("line {d}: unknown sink \"{s}\"", .{ line_no, kind_name });
            const size = need(usize, line.buffer, "buffer", line_no);
            emit("script {d} seed={d} sink={s} buffer={d}\n", .{ id, line.seed orelse 0, kind_name, size });
            subject = switch (kind) {
                .scripted => blk: {
                    const budget = try sa.dupe(?usize, need([]const ?usize, line.budget, "budget", line_no));
                    if (budget.len == 0) fatal("line {d}: empty budget", .{line_no});
                    break :blk .{ .scripted = .init(try sa.alloc(u8, size), budget) };
                },
                .fixed => .{ .fixed = .fixed(try sa.alloc(u8, size)) },
                .allocating => .{ .allocating = try .initCapacity(gpa, size) },
                .discarding => .{ .discarding = .init(try sa.alloc(u8, size)) },
            };
            op_index = 0;
            continue;
        }

        const s = if (subject) |*s| s else fatal("line {d}: op before any script header", .{line_no});
        const op_name = need([]const u8, line.op, "op", line_no);
        const kind = std.meta.stringToEnum(OpKind, op_name) orelse
            fatal("line {d}: unknown op \"{s}\"", .{ line_no, op_name });
        const w = s.writer();
        // Drain lines come first; the op's line closes them.
        const index = op_index;
        op_index += 1;
        const oa = op_arena.allocator();
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
                continue;
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
    if (subject) |*s| {
        finish(s);
        if (s.* == .allocating) s.allocating.deinit();
    }
    out().flush() catch fatal("cannot write the trace to stdout", .{});
}

/// The script's last line: what reached the sink.
fn finish(s: *Subject) void {
    switch (s.*) {
        .scripted => |*x| emit("end drains={d} out_len={d} out_hash={x:0>16}\n", .{ x.calls, x.out_len, x.out_hash.final() }),
        .fixed => |*x| emit("end written={d} hash={x:0>16}\n", .{ x.end, hashOf(x.buffered()) }),
        .allocating => |*x| emit("end written={d} hash={x:0>16}\n", .{ x.writer.end, hashOf(x.writer.buffered()) }),
        .discarding => |*x| emit("end count={d}\n", .{x.fullCount()}),
    }
}
