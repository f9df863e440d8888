//! `writeSplatHeader("HEADER", &.{ "abc", "" }, 2)` on an unbuffered
//! writer: Zig 0.15.1 divides the remaining limit by the empty pattern's
//! length.
const std = @import("std");
const sink = @import("sink.zig");

pub fn main() void {
    var w = sink.writer(&.{});
    if (w.writeSplatHeader("HEADER", &.{ "abc", "" }, 2)) |n| {
        std.debug.print("returned {d}, the sink got \"{s}\"\n", .{ n, sink.got() });
    } else |e| std.debug.print("failed: {t}\n", .{e});
}
