//! The Zig 0.15.1 side of the side-by-side benchmark (`cargo xtask bench`).
//!
//! Built ReleaseFast with the pinned compiler by crates/sidebyside. It runs
//! one workload with `std.Io.Writer`, the same way the Rust worker runs it
//! with zigio and with std's `BufWriter`:
//!
//!     bench WORKLOAD VARIANT TARGET BUF COUNT REPS DRY [SRC DST]
//!
//! and reports on standard error one `ns WALL CPU` line per repetition (the
//! wall-clock and process CPU time of the workload alone, set-up excluded,
//! in nanoseconds) and a final `bytes N` line (what
//! the last repetition wrote, so the runner can check that every
//! implementation did the same work). With DRY=1 it does the setup and no
//! work: the runner subtracts that run's system calls from a real run's.
//!
//! TARGET is `null` (/dev/null), `pipe` (standard output, which the runner
//! makes a pipe and reads), or `none` for in-memory workloads.

const std = @import("std");

const small_record = "0123456789abcdef";
const big_len = 10_000;
const block_len = 4096;

const Args = struct {
    workload: []const u8,
    variant: []const u8,
    target: []const u8,
    buf: usize,
    count: u64,
    reps: u64,
    dry: bool,
    src: []const u8,
    dst: []const u8,
};

/// The integer formatted by the `fmt` workload for index `i`: a splitmix64
/// scramble shifted right by `i % 64`, so that lengths go from 1 to 20
/// digits. The Rust worker computes the same sequence.
fn value(i: u64) u64 {
    var z = i *% 0x9E3779B97F4A7C15;
    z = (z ^ (z >> 30)) *% 0xBF58476D1CE4E5B9;
    z = (z ^ (z >> 27)) *% 0x94D049BB133111EB;
    z ^= z >> 31;
    return z >> @intCast(i & 63);
}

/// The 10,000-byte record of the `mixed` workload: byte `i` is
/// `(i * 31 + 7) mod 256`, as in the Rust worker.
fn bigRecord() [big_len]u8 {
    var r: [big_len]u8 = undefined;
    for (&r, 0..) |*b, i| b.* = @truncate(i *% 31 +% 7);
    return r;
}

fn fail(comptime fmt: []const u8, args: anytype) noreturn {
    std.debug.print("bench.zig: " ++ fmt ++ "\n", args);
    std.process.exit(2);
}

fn eql(a: []const u8, b: []const u8) bool {
    return std.mem.eql(u8, a, b);
}

fn parse(name: []const u8, s: []const u8) u64 {
    return std.fmt.parseInt(u64, s, 10) catch fail("{s} is not a number: `{s}`", .{ name, s });
}

fn openTarget(target: []const u8) std.fs.File {
    if (eql(target, "null"))
        return std.fs.openFileAbsolute("/dev/null", .{ .mode = .write_only }) catch |e|
            fail("cannot open /dev/null: {t}", .{e});
    if (eql(target, "pipe")) return std.fs.File.stdout();
    fail("target `{s}` is not a file target (null or pipe)", .{target});
}

/// Reports the OS error a file writer kept behind `error.WriteFailed`.
fn writeFailed(fw: *std.fs.File.Writer) noreturn {
    if (fw.err) |e| fail("write failed: {t}", .{e});
    fail("write failed", .{});
}

/// The file writer of a `null` or `pipe` target: positional for /dev/null
/// (`File.writer`), streaming for a pipe (`File.writerStreaming`, which
/// skips the `pwritev` that would fail with ESPIPE first).
fn fileWriter(file: std.fs.File, buffer: []u8, target: []const u8) std.fs.File.Writer {
    return if (eql(target, "pipe")) file.writerStreaming(buffer) else file.writer(buffer);
}

fn small(file: std.fs.File, buffer: []u8, target: []const u8, count: u64, dry: bool) u64 {
    var fw = fileWriter(file, buffer, target);
    const w = &fw.interface;
    if (dry) return 0;
    for (0..count) |_| w.writeAll(small_record) catch writeFailed(&fw);
    w.flush() catch writeFailed(&fw);
    return count * small_record.len;
}

fn mixed(file: std.fs.File, buffer: []u8, target: []const u8, count: u64, dry: bool, big: *const [big_len]u8) u64 {
    var fw = fileWriter(file, buffer, target);
    const w = &fw.interface;
    if (dry) return 0;
    for (0..count) |_| {
        w.writeAll(small_record) catch writeFailed(&fw);
        w.writeAll(big) catch writeFailed(&fw);
    }
    w.flush() catch writeFailed(&fw);
    return count * (small_record.len + big_len);
}

fn formatted(buffer: []u8, count: u64, dry: bool) u64 {
    var d = std.Io.Writer.Discarding.init(buffer);
    const w = &d.writer;
    if (dry) return 0;
    for (0..count) |i| w.print("{d}\n", .{value(i)}) catch fail("discarding write failed", .{});
    return d.fullCount();
}

/// `count` zero bytes, as one `splatByteAll` or as 4 KiB `writeAll`s.
fn zeros(w: *std.Io.Writer, variant: []const u8, count: u64) std.Io.Writer.Error!void {
    if (eql(variant, "splat")) return w.splatByteAll(0, count);
    if (!eql(variant, "loop")) fail("splat variant `{s}` is neither splat nor loop", .{variant});
    const block: [block_len]u8 = @splat(0);
    var left = count;
    while (left > 0) {
        const k = @min(left, block_len);
        try w.writeAll(block[0..k]);
        left -= k;
    }
}

fn splatAlloc(variant: []const u8, count: u64, dry: bool) u64 {
    var a = std.Io.Writer.Allocating.init(std.heap.smp_allocator);
    defer a.deinit();
    if (dry) return 0;
    zeros(&a.writer, variant, count) catch fail("allocating write failed", .{});
    const out = a.written();
    // Read the result, so that the work cannot be skipped.
    if (out.len != count or out[out.len - 1] != 0) fail("allocating writer holds {d} bytes", .{out.len});
    return out.len;
}

fn splatFile(file: std.fs.File, buffer: []u8, target: []const u8, variant: []const u8, count: u64, dry: bool) u64 {
    var fw = fileWriter(file, buffer, target);
    const w = &fw.interface;
    if (dry) return 0;
    zeros(w, variant, count) catch writeFailed(&fw);
    w.flush() catch writeFailed(&fw);
    return count;
}

fn copy(args: Args, buffer: []u8) u64 {
    const cwd = std.fs.cwd();
    const src = cwd.openFile(args.src, .{}) catch |e| fail("cannot open {s}: {t}", .{ args.src, e });
    defer src.close();
    const dst = cwd.createFile(args.dst, .{ .truncate = true }) catch |e| fail("cannot create {s}: {t}", .{ args.dst, e });
    defer dst.close();
    if (args.dry) return 0;
    var read_buffer: [block_len]u8 = undefined;
    if (eql(args.variant, "sendfile") or eql(args.variant, "sendfile-streaming")) {
        var fr = src.reader(&read_buffer);
        var fw = if (eql(args.variant, "sendfile")) dst.writer(buffer) else dst.writerStreaming(buffer);
        const n = fw.interface.sendFileAll(&fr, .unlimited) catch |e| switch (e) {
            error.ReadFailed => fail("read failed: {?t}", .{fr.err}),
            error.WriteFailed => writeFailed(&fw),
        };
        fw.interface.flush() catch writeFailed(&fw);
        return n;
    }
    if (!eql(args.variant, "rw")) fail("copy variant `{s}` is not sendfile, sendfile-streaming or rw", .{args.variant});
    var fw = dst.writer(buffer);
    const w = &fw.interface;
    var total: u64 = 0;
    while (true) {
        const n = src.read(&read_buffer) catch |e| fail("read failed: {t}", .{e});
        if (n == 0) break;
        w.writeAll(read_buffer[0..n]) catch writeFailed(&fw);
        total += n;
    }
    w.flush() catch writeFailed(&fw);
    return total;
}

fn runOnce(args: Args, buffer: []u8, file: ?std.fs.File, big: *const [big_len]u8) u64 {
    const w = args.workload;
    if (eql(w, "small")) return small(file.?, buffer, args.target, args.count, args.dry);
    if (eql(w, "mixed")) return mixed(file.?, buffer, args.target, args.count, args.dry, big);
    if (eql(w, "fmt")) return formatted(buffer, args.count, args.dry);
    if (eql(w, "splat-alloc")) return splatAlloc(args.variant, args.count, args.dry);
    if (eql(w, "splat-file")) return splatFile(file.?, buffer, args.target, args.variant, args.count, args.dry);
    if (eql(w, "copy")) return copy(args, buffer);
    fail("unknown workload `{s}`", .{w});
}

/// CPU time of this process (user and system), in nanoseconds.
fn cpuNow() u64 {
    const ts = std.posix.clock_gettime(.PROCESS_CPUTIME_ID) catch |e| fail("no CPU-time clock: {t}", .{e});
    return @as(u64, @intCast(ts.sec)) * std.time.ns_per_s + @as(u64, @intCast(ts.nsec));
}

pub fn main() void {
    const gpa = std.heap.smp_allocator;
    const argv = std.process.argsAlloc(gpa) catch fail("out of memory", .{});
    defer std.process.argsFree(gpa, argv);
    if (argv.len != 8 and argv.len != 10)
        fail("usage: bench WORKLOAD VARIANT TARGET BUF COUNT REPS DRY [SRC DST] (got {d} arguments)", .{argv.len - 1});
    const args: Args = .{
        .workload = argv[1],
        .variant = argv[2],
        .target = argv[3],
        .buf = @intCast(parse("BUF", argv[4])),
        .count = parse("COUNT", argv[5]),
        .reps = parse("REPS", argv[6]),
        .dry = parse("DRY", argv[7]) != 0,
        .src = if (argv.len == 10) argv[8] else "",
        .dst = if (argv.len == 10) argv[9] else "",
    };
    const buffer = gpa.alloc(u8, args.buf) catch fail("cannot allocate a {d}-byte buffer", .{args.buf});
    defer gpa.free(buffer);
    const big = bigRecord();
    const file: ?std.fs.File = if (eql(args.target, "none")) null else openTarget(args.target);
    var bytes: u64 = 0;
    for (0..args.reps) |_| {
        const cpu0 = cpuNow();
        var timer = std.time.Timer.start() catch fail("no monotonic clock", .{});
        bytes = runOnce(args, buffer, file, &big);
        const ns = timer.read();
        const cpu = cpuNow() - cpu0;
        // A dry run prints the same lines, so that subtracting its system
        // calls leaves only the workload's.
        std.debug.print("ns {d} {d}\n", .{ ns, cpu });
    }
    std.debug.print("bytes {d}\n", .{bytes});
}
