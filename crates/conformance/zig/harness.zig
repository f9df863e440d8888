//! Executes op scripts against Zig 0.15.1's `std.Io.Writer` and prints a
//! canonical trace (`trace.zig`). The Rust executor
//! (crates/conformance/src/exec.rs) prints the same trace for zigio; the
//! two are compared line by line.
//!
//! Usage: harness <scripts.jsonl | ->
//!
//! With `-` the scripts are read from stdin as they arrive, so the caller
//! can run zigio on the next script while Zig runs this one.
//!
//! Build it in Debug: Zig's assertions are undefined behaviour in
//! ReleaseFast, and a script that trips one must crash, not diverge.

const std = @import("std");
const trace = @import("trace.zig");

/// On a panic (a Zig assertion), print the trace so far before the
/// message, so that the comparison shows where the two sides parted.
pub const panic = std.debug.FullPanic(flushThenPanic);

fn flushThenPanic(msg: []const u8, first_trace_addr: ?usize) noreturn {
    stdout_writer.interface.flush() catch {};
    std.debug.defaultPanic(msg, first_trace_addr);
}

var out_buffer: [1 << 16]u8 = undefined;
var stdout_writer: std.fs.File.Writer = undefined;

/// Malformed input or an unwritable trace: a message and exit status 2.
pub fn fatal(comptime fmt: []const u8, args: anytype) noreturn {
    std.debug.print("harness: " ++ fmt ++ "\n", args);
    std.process.exit(2);
}

fn flush() void {
    trace.out.flush() catch fatal("cannot write the trace to stdout", .{});
}

pub fn main() !void {
    var gpa_state: std.heap.DebugAllocator(.{}) = .init;
    defer _ = gpa_state.deinit();
    const gpa = gpa_state.allocator();

    stdout_writer = std.fs.File.stdout().writerStreaming(&out_buffer);
    trace.out = &stdout_writer.interface;

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

    var state: trace.State = .init(gpa);
    defer state.deinit();
    var line_no: usize = 0;
    while (true) {
        const text = input.takeDelimiterExclusive('\n') catch |e| switch (e) {
            error.EndOfStream => break,
            error.StreamTooLong => fatal("line {d}: longer than {d} bytes", .{ line_no + 1, in_buffer.len }),
            error.ReadFailed => fatal("line {d}: cannot read the scripts: {t}", .{ line_no + 1, file_reader.err.? }),
        };
        line_no += 1;
        // Whole scripts reach the reader as soon as they are done.
        if (try state.feed(text, line_no)) flush();
    }
    state.closeScript();
    flush();
}
