//! Executes op scripts against `std.Io.Writer` and prints a canonical
//! trace (`trace.zig`). The Rust executor
//! (crates/conformance/src/exec.rs) prints the same trace for zigio; the
//! two are compared line by line.
//!
//! Usage: harness <scripts.jsonl | ->
//!
//! With `-` the scripts are read from stdin as they arrive, so the caller
//! can run zigio on the next script while Zig runs this one.
//!
//! One source for every pinned Zig: from 0.16.0 on, files are `std.Io.File`
//! and take an `Io`, which `main` receives in `std.process.Init` along with
//! the arguments (`std.process.argsAlloc` is gone); `new_io` selects that
//! side at compile time, and the side not selected is never analysed.
//!
//! Build it in Debug: Zig's assertions are undefined behaviour in
//! ReleaseFast, and a script that trips one must crash, not diverge.

const std = @import("std");
const builtin = @import("builtin");
const trace = @import("trace.zig");

/// Whether this Zig has the 0.16.0 file API (`std.Io.File`, `main(init)`).
const new_io = builtin.zig_version.order(.{ .major = 0, .minor = 16, .patch = 0 }) != .lt;
const File = if (new_io) std.Io.File else std.fs.File;

/// On a panic (a Zig assertion), print the trace so far before the
/// message, so that the comparison shows where the two sides parted.
pub const panic = std.debug.FullPanic(flushThenPanic);

fn flushThenPanic(msg: []const u8, first_trace_addr: ?usize) noreturn {
    stdout_writer.interface.flush() catch {};
    std.debug.defaultPanic(msg, first_trace_addr);
}

var out_buffer: [1 << 16]u8 = undefined;
var stdout_writer: File.Writer = undefined;

/// Malformed input or an unwritable trace: a message and exit status 2.
pub fn fatal(comptime fmt: []const u8, args: anytype) noreturn {
    std.debug.print("harness: " ++ fmt ++ "\n", args);
    std.process.exit(2);
}

fn flush() void {
    trace.out.flush() catch fatal("cannot write the trace to stdout", .{});
}

pub const main = if (new_io) mainInit else mainPlain;

/// 0.15.1: the process's arguments and files need no `Io`.
fn mainPlain() !void {
    var gpa_state: std.heap.DebugAllocator(.{}) = .init;
    defer _ = gpa_state.deinit();
    const gpa = gpa_state.allocator();
    stdout_writer = File.stdout().writerStreaming(&out_buffer);
    const args = try std.process.argsAlloc(gpa);
    defer std.process.argsFree(gpa, args);
    const path = scriptsPath(args);
    const file = if (std.mem.eql(u8, path, "-"))
        File.stdin()
    else
        std.fs.cwd().openFile(path, .{}) catch |e| fatal("cannot open {s}: {t}", .{ path, e });
    const in_buffer = try gpa.alloc(u8, in_len);
    defer gpa.free(in_buffer);
    var file_reader = file.readerStreaming(in_buffer);
    try run(gpa, &file_reader);
}

/// 0.16.0 and later: `main` receives the arguments and an `Io`, through
/// which every file operation goes.
fn mainInit(init: std.process.Init) !void {
    const io = init.io;
    const gpa = init.gpa;
    stdout_writer = File.stdout().writerStreaming(io, &out_buffer);
    const args = try init.minimal.args.toSlice(init.arena.allocator());
    const path = scriptsPath(args);
    const file = if (std.mem.eql(u8, path, "-"))
        File.stdin()
    else
        std.Io.Dir.cwd().openFile(io, path, .{}) catch |e| fatal("cannot open {s}: {t}", .{ path, e });
    const in_buffer = try gpa.alloc(u8, in_len);
    defer gpa.free(in_buffer);
    var file_reader = file.readerStreaming(io, in_buffer);
    try run(gpa, &file_reader);
}

/// A line is at most one op or header; 1 MiB is far more than the
/// generator ever writes, and a longer line is reported, not truncated.
const in_len = 1 << 20;

fn scriptsPath(args: anytype) []const u8 {
    if (args.len != 2) fatal("usage: harness <scripts.jsonl | ->", .{});
    return args[1];
}

fn run(gpa: std.mem.Allocator, file_reader: *File.Reader) !void {
    trace.out = &stdout_writer.interface;
    const input = &file_reader.interface;
    var state: trace.State = .init(gpa);
    defer state.deinit();
    var line_no: usize = 0;
    while (true) {
        const text = nextLine(input) catch |e| switch (e) {
            error.StreamTooLong => fatal("line {d}: longer than {d} bytes", .{ line_no + 1, in_len }),
            error.ReadFailed => fatal("line {d}: cannot read the scripts: {t}", .{ line_no + 1, file_reader.err.? }),
        } orelse break;
        line_no += 1;
        // Whole scripts reach the reader as soon as they are done.
        if (try state.feed(text, line_no)) flush();
    }
    state.closeScript();
    flush();
}

/// The next line without its newline; null at the end of the input.
/// 0.15.1's `takeDelimiterExclusive` steps past the delimiter; from 0.16.0
/// on it stops before it (and would return the same empty line forever),
/// and `takeDelimiter` is the call that steps past it.
fn nextLine(input: *std.Io.Reader) error{ ReadFailed, StreamTooLong }!?[]u8 {
    if (new_io) return input.takeDelimiter('\n');
    return input.takeDelimiterExclusive('\n') catch |e| switch (e) {
        error.EndOfStream => null,
        else => |other| other,
    };
}
