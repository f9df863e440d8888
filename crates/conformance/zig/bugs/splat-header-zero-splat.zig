//! `writeSplatHeaderLimit("HEAD", &.{"xy"}, 0, .limited(5))` on an
//! unbuffered writer: splat 0 asks for no copy of the pattern, and the limit
//! leaves room for 1 byte of it.
const std = @import("std");
const sink = @import("sink.zig");

pub fn main() void {
    var w = sink.writer(&.{});
    if (w.writeSplatHeaderLimit("HEAD", &.{"xy"}, 0, .limited(5))) |n| {
        std.debug.print("returned {d}, the sink got \"{s}\"\n", .{ n, sink.got() });
    } else |e| std.debug.print("failed: {t}\n", .{e});
}
