//! The book's buffer lab runs this in the reader's browser: the trace of an
//! op script against Zig 0.15.1's `std.Io.Writer` (`trace.zig`, the same
//! code as the native conformance harness), built for wasm32-freestanding.
//!
//! ABI (all lengths in bytes, pointers into this module's memory):
//! - `lab_alloc(len) -> ptr`: room for the input; 0 when out of memory.
//! - `lab_run(ptr, len) -> status`: runs the JSON-lines scripts at `ptr`
//!   and frees them. 0: done; 1: out of memory. Malformed input and Zig
//!   panics (an assertion or a safety check, where a Debug build would
//!   crash) end the call with a trap instead; `lab_trap_kind()` then says
//!   which: 1 malformed, 2 panic.
//! - `lab_output_ptr()`, `lab_output_len()`: the trace (after a panic, the
//!   trace up to the panicking op).
//! - `lab_message_ptr()`, `lab_message_len()`: for status 1 and 2, the
//!   message.
//!
//! After a panic the module's state is unknown: the caller instantiates a
//! fresh module for the next run.

const std = @import("std");
const trace = @import("trace.zig");

const gpa = std.heap.wasm_allocator;

var output: std.Io.Writer.Allocating = .init(gpa);
var message_buffer: [1024]u8 = undefined;
var message: []const u8 = "";

/// Whether the last trap came from `fatal` (malformed input) rather than a
/// panic.
var malformed = false;

/// A malformed script: record the message and stop the run. WebAssembly
/// cannot unwind, so this ends the call with a trap; the caller then asks
/// `lab_trap_kind`.
pub fn fatal(comptime fmt: []const u8, args: anytype) noreturn {
    message = std.fmt.bufPrint(&message_buffer, fmt, args) catch "message too long";
    malformed = true;
    @trap();
}

/// A Zig assertion or safety check: record its message, then trap.
pub const panic = std.debug.FullPanic(recordPanic);

fn recordPanic(msg: []const u8, _: ?usize) noreturn {
    message = std.fmt.bufPrint(&message_buffer, "{s}", .{msg}) catch msg;
    @trap();
}

export fn lab_alloc(len: usize) usize {
    const bytes = gpa.alloc(u8, len) catch return 0;
    return @intFromPtr(bytes.ptr);
}

export fn lab_run(ptr: [*]u8, len: usize) u32 {
    const input = ptr[0..len];
    defer gpa.free(input);
    output.clearRetainingCapacity();
    message = "";
    malformed = false;
    trace.out = &output.writer;
    var state: trace.State = .init(gpa);
    defer state.deinit();
    var lines = std.mem.splitScalar(u8, input, '\n');
    var line_no: usize = 0;
    while (lines.next()) |text| {
        line_no += 1;
        _ = state.feed(text, line_no) catch |e| {
            message = std.fmt.bufPrint(&message_buffer, "line {d}: {t}", .{ line_no, e }) catch "out of memory";
            return 1;
        };
    }
    return 0;
}

/// 1 when the last trap was malformed input, 2 when it was a panic; the
/// caller asks after catching the trap.
export fn lab_trap_kind() u32 {
    return if (malformed) 1 else 2;
}

export fn lab_output_ptr() usize {
    return @intFromPtr(output.writer.buffer.ptr);
}

export fn lab_output_len() usize {
    return output.writer.end;
}

export fn lab_message_ptr() usize {
    return @intFromPtr(message.ptr);
}

export fn lab_message_len() usize {
    return message.len;
}
