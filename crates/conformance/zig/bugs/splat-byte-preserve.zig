//! A full 8-byte buffer holding "abcdefgh", then
//! `splatBytePreserve(4, '-', 2)`: the two copies must stay buffered with
//! the newest 4 bytes. Zig 0.15.1 moves "efgh" to the front without
//! draining "abcd", which is lost.
const std = @import("std");
const sink = @import("sink.zig");

pub fn main() void {
    var buffer: [8]u8 = undefined;
    var w = sink.writer(&buffer);
    w.writeAll("abcdefgh") catch unreachable;
    if (w.splatBytePreserve(4, '-', 2)) |_| {
        std.debug.print("the sink got \"{s}\", buffered \"{s}\"\n", .{ sink.got(), w.buffered() });
    } else |e| std.debug.print("failed: {t}\n", .{e});
}
