//! A limit of 2 cuts the 3-byte header "abc" for an empty 4-byte fixed
//! writer: the request fits, yet Zig 0.15.1 calls drain, and `fixedDrain`
//! reaches `unreachable`.
const std = @import("std");

pub fn main() void {
    var buffer: [4]u8 = undefined;
    var w: std.Io.Writer = .fixed(&buffer);
    if (w.writeSplatHeaderLimit("abc", &.{"xy"}, 1, .limited(2))) |n| {
        std.debug.print("returned {d}, buffered \"{s}\"\n", .{ n, w.buffered() });
    } else |e| std.debug.print("failed: {t}, buffered \"{s}\"\n", .{ e, w.buffered() });
}
