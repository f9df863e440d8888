//! The sink the bug programs share: its drain takes everything it is
//! offered (buffered bytes first) and keeps it in `got`.

const std = @import("std");
const Writer = std.Io.Writer;

var got_buf: [256]u8 = undefined;
var got_len: usize = 0;

/// Everything the drain took, in order.
pub fn got() []const u8 {
    return got_buf[0..got_len];
}

fn keep(bytes: []const u8) void {
    @memcpy(got_buf[got_len..][0..bytes.len], bytes);
    got_len += bytes.len;
}

/// A drain that takes all of `w.buffered()`, `data` and the splatted
/// pattern.
pub fn drain(w: *Writer, data: []const []const u8, splat: usize) Writer.Error!usize {
    const buffered = w.end;
    keep(w.buffered());
    var n: usize = 0;
    for (data[0 .. data.len - 1]) |d| {
        keep(d);
        n += d.len;
    }
    for (0..splat) |_| {
        keep(data[data.len - 1]);
        n += data[data.len - 1].len;
    }
    return w.consume(buffered + n);
}

/// A writer over `buffer` that drains into `got`.
pub fn writer(buffer: []u8) Writer {
    return .{ .vtable = &.{ .drain = drain }, .buffer = buffer };
}
