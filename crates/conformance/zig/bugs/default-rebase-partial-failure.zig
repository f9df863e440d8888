//! `rebase(4, 4)` on a full 8-byte buffer "abcdefgh" whose drain sends 3
//! bytes and fails: Zig 0.15.1's `defaultRebase` restores `end` but never
//! moves the hidden bytes back, so stale bytes reappear.
const std = @import("std");
const Writer = std.Io.Writer;

fn breakingDrain(w: *Writer, data: []const []const u8, splat: usize) Writer.Error!usize {
    _ = data;
    _ = splat;
    _ = w.consume(3);
    return error.WriteFailed;
}

pub fn main() void {
    var storage: [8]u8 = undefined;
    var w: Writer = .{ .buffer = &storage, .vtable = &.{ .drain = breakingDrain } };
    w.writeAll("abcdefgh") catch unreachable;
    if (w.rebase(4, 4)) |_| {
        std.debug.print("ok, buffered \"{s}\"\n", .{w.buffered()});
    } else |e| std.debug.print("{t}, buffered \"{s}\"\n", .{ e, w.buffered() });
}
