//! `writeSplatHeaderLimit` with limit 5 and data "0123456789", "x" on an
//! unbuffered writer: Zig 0.15.1 subtracts the header's length (0) for each
//! data piece and sends the piece whole, so the limit is not enforced.
const std = @import("std");
const sink = @import("sink.zig");

pub fn main() void {
    var w = sink.writer(&.{});
    if (w.writeSplatHeaderLimit("", &.{ "0123456789", "x" }, 1, .limited(5))) |n| {
        std.debug.print("returned {d}, the sink got \"{s}\"\n", .{ n, sink.got() });
    } else |e| std.debug.print("failed: {t}\n", .{e});
}
