//! Programs from scripts: the book's lab turns the reader's script into a
//! stand-alone Rust program (using zigio) and a stand-alone Zig 0.15.1
//! program that print the script's trace, so that a reader can copy a lab
//! run out of the page and run it.
//!
//! The Rust program prints the trace of [`crate::exec::run_flagging`] (every
//! op runs, none is skipped); the Zig program prints what the harness prints
//! for the script. Both are the trace format of [`crate::exec`].

use std::fmt::Write as _;

use crate::script::{Op, Script, SinkKind};

/// A Rust string literal of `bytes` as a byte string: `b"..."`.
fn rust_bytes(s: &str) -> String {
    let mut out = String::from("b\"");
    for b in s.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
    out
}

/// A Zig string literal of `s`.
fn zig_bytes(s: &str) -> String {
    // Zig's escapes for these bytes are the same as Rust's.
    rust_bytes(s)[1..].to_string()
}

fn rust_slices(data: &[String]) -> String {
    let items: Vec<String> = data
        .iter()
        .map(|d| format!("&{}[..]", rust_bytes(d)))
        .collect();
    format!("[{}]", items.join(", "))
}

fn zig_slices(data: &[String]) -> String {
    let items: Vec<String> = data.iter().map(|d| zig_bytes(d)).collect();
    format!("&[_][]const u8{{ {} }}", items.join(", "))
}

/// The Rust expression for one op: a `Result<Option<usize>, WriteFailed>`.
fn rust_op(op: &Op) -> String {
    match op {
        Op::Write { bytes } => format!("w.write({}).map(Some)", rust_bytes(bytes)),
        Op::WriteAll { bytes } => format!("w.write_all({}).map(|()| None)", rust_bytes(bytes)),
        Op::WriteVec { data } => format!("w.write_vec(&{}).map(Some)", rust_slices(data)),
        Op::WriteVecAll { data } => {
            format!("w.write_vec_all(&mut {}).map(|()| None)", rust_slices(data))
        }
        Op::WriteSplat { data, splat } => {
            format!("w.write_splat(&{}, {splat}).map(Some)", rust_slices(data))
        }
        Op::WriteSplatAll { data, splat } => format!(
            "w.write_splat_all(&mut {}, {splat}).map(|()| None)",
            rust_slices(data)
        ),
        Op::WriteSplatHeader {
            header,
            data,
            splat,
            limit,
        } => format!(
            "w.write_splat_header_limit({}, &{}, {splat}, {}).map(Some)",
            rust_bytes(header),
            rust_slices(data),
            limit.map_or("Limit::UNLIMITED".to_string(), |l| format!(
                "Limit::limited({l})"
            ))
        ),
        Op::WriteByte { byte } => format!("w.write_byte({byte}).map(|()| None)"),
        Op::WriteBytePreserve { preserve, byte } => {
            format!("w.write_byte_preserve({preserve}, {byte}).map(|()| None)")
        }
        Op::SplatByte { byte, n } => format!("w.splat_byte({byte}, {n}).map(Some)"),
        Op::SplatByteAll { byte, n } => format!("w.splat_byte_all({byte}, {n}).map(|()| None)"),
        Op::SplatBytePreserve { preserve, byte, n } => {
            format!("w.splat_byte_preserve({preserve}, {byte}, {n}).map(|()| None)")
        }
        Op::SplatBytesAll { bytes, splat } => format!(
            "w.splat_bytes_all({}, {splat}).map(|()| None)",
            rust_bytes(bytes)
        ),
        Op::Flush => "w.flush().map(|()| None)".to_string(),
        Op::Rebase { preserve, capacity } => {
            format!("w.rebase({preserve}, {capacity}).map(|()| None)")
        }
        Op::Consume { n } => format!("Ok(Some(w.consume({n})))"),
        Op::WritableSlice {
            len,
            preserve,
            byte,
        } => format!(
            "w.writable_slice_preserve({preserve}, {len}).map(|s| {{ s.fill({byte}); Some({len}) }})"
        ),
        Op::Skip { rule } => format!("unreachable!(\"skip {rule}\")"),
    }
}

/// The Zig expression for one op: a `Writer.Error!?usize`.
fn zig_op(op: &Op) -> String {
    let done = |call: String| format!("if ({call}) null else |e| e");
    match op {
        Op::Write { bytes } => format!("some(w.write({}))", zig_bytes(bytes)),
        Op::WriteAll { bytes } => done(format!("w.writeAll({})", zig_bytes(bytes))),
        Op::WriteVec { data } => format!("some(w.writeVec({}))", zig_slices(data)),
        Op::WriteVecAll { data } => {
            format!(
                "blk: {{ var d = {}; break :blk {}; }}",
                zig_slices(data).replacen('&', "", 1),
                done("w.writeVecAll(&d)".into())
            )
        }
        Op::WriteSplat { data, splat } => {
            format!("some(w.writeSplat({}, {splat}))", zig_slices(data))
        }
        Op::WriteSplatAll { data, splat } => format!(
            "blk: {{ var d = {}; break :blk {}; }}",
            zig_slices(data).replacen('&', "", 1),
            done(format!("w.writeSplatAll(&d, {splat})"))
        ),
        Op::WriteSplatHeader {
            header,
            data,
            splat,
            limit,
        } => format!(
            "some(w.writeSplatHeaderLimit({}, {}, {splat}, {}))",
            zig_bytes(header),
            zig_slices(data),
            limit.map_or(".unlimited".to_string(), |l| format!(".limited({l})"))
        ),
        Op::WriteByte { byte } => done(format!("w.writeByte({byte})")),
        Op::WriteBytePreserve { preserve, byte } => {
            done(format!("w.writeBytePreserve({preserve}, {byte})"))
        }
        Op::SplatByte { byte, n } => format!("some(w.splatByte({byte}, {n}))"),
        Op::SplatByteAll { byte, n } => done(format!("w.splatByteAll({byte}, {n})")),
        Op::SplatBytePreserve { preserve, byte, n } => {
            done(format!("w.splatBytePreserve({preserve}, {byte}, {n})"))
        }
        Op::SplatBytesAll { bytes, splat } => {
            done(format!("w.splatBytesAll({}, {splat})", zig_bytes(bytes)))
        }
        Op::Flush => done("w.flush()".into()),
        Op::Rebase { preserve, capacity } => done(format!("w.rebase({preserve}, {capacity})")),
        Op::Consume { n } => format!("w.consume({n})"),
        Op::WritableSlice {
            len,
            preserve,
            byte,
        } => format!(
            "blk: {{ const s = w.writableSlicePreserve({preserve}, {len}) catch |e| break :blk e; @memset(s, {byte}); break :blk {len}; }}"
        ),
        Op::Skip { rule } => format!("@compileError(\"skip {rule}\")"),
    }
}

const RUST_COMMON: &str = r#"/// FNV-1a, 64 bits (Zig's std.hash.Fnv1a_64).
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Prints an op's result and the buffer state (a hash of the newest
/// 4096 buffered bytes).
fn report(w: &DynWriter<'_>, index: usize, name: &str, result: Result<Option<usize>, WriteFailed>) {
    match result {
        Ok(Some(n)) => print!("op {index} {name} ok {n}"),
        Ok(None) => print!("op {index} {name} ok"),
        Err(WriteFailed) => print!("op {index} {name} fail"),
    }
    let b = w.buffered();
    println!(" end={} cap={} buf={:016x}", w.end(), w.capacity(), fnv(&b[b.len().saturating_sub(4096)..]));
}
"#;

const RUST_SCRIPTED: &str = r#"
/// A sink whose drain call k accepts at most budget[k % len] bytes
/// (None: the call fails), and fails once fail_after bytes went through.
/// It prints every call.
struct Scripted {
    budget: Vec<Option<usize>>,
    fail_after: Option<u64>,
    calls: u64,
    out_len: u64,
    out_hash: u64,
}

impl Scripted {
    fn take(&mut self, bytes: &[u8], left: &mut usize) {
        let k = bytes.len().min(*left);
        for b in &bytes[..k] {
            self.out_hash = (self.out_hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.out_len += k as u64;
        *left -= k;
    }
}

impl Sink for Scripted {
    fn drain(&mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize) -> Result<usize, WriteFailed> {
        let entry = self.budget[(self.calls % self.budget.len() as u64) as usize];
        self.calls += 1;
        let lens: Vec<String> = data.iter().map(|d| d.len().to_string()).collect();
        print!("  drain end={} data={} splat={splat}", buf.end(), lens.join(","));
        let room = self.fail_after.map(|k| k.saturating_sub(self.out_len));
        let (Some(budget), false) = (entry, room == Some(0)) else {
            println!(" -> fail");
            return Err(WriteFailed);
        };
        let allowed = room.map_or(budget, |r| budget.min(usize::try_from(r).unwrap_or(usize::MAX)));
        let mut left = allowed;
        self.take(buf.buffered(), &mut left);
        let (pattern, rest) = data.split_last().expect("drain data is never empty");
        for d in rest {
            self.take(d, &mut left);
        }
        let mut i = 0;
        while !pattern.is_empty() && i < splat && left != 0 {
            self.take(pattern, &mut left);
            i += 1;
        }
        let taken = allowed - left;
        let n = buf.consume(taken);
        println!(" take={taken} -> {n}");
        Ok(n)
    }
}
"#;

/// A Rust program that runs `script` on zigio and prints its trace (the
/// trace of [`crate::exec::run_flagging`]).
///
/// # Panics
/// If the script holds a `skip` op (the lab's scripts never do).
pub fn rust(script: &Script) -> String {
    let h = &script.header;
    let mut out = format!(
        "//! A buffer-lab script ({} sink, {}-byte buffer) run on zigio; prints its trace.\n\n",
        h.sink.name(),
        h.buffer
    );
    let scripted = h.sink == SinkKind::Scripted;
    let mut names = vec!["DynWriter", "WriteFailed", "Writer"];
    if scripted {
        names.extend(["Buffer", "Sink"]);
    }
    if script
        .ops
        .iter()
        .any(|op| matches!(op, Op::WriteSplatHeader { .. }))
    {
        names.push("Limit");
    }
    names.sort_unstable();
    let _ = writeln!(out, "use zigio::{{{}}};\n", names.join(", "));
    out.push_str(RUST_COMMON);
    if scripted {
        out.push_str(RUST_SCRIPTED);
    }
    out.push_str("\nfn run(w: &mut DynWriter<'_>) {\n");
    for (i, op) in script.ops.iter().enumerate() {
        assert!(!matches!(op, Op::Skip { .. }), "a lab script has no skips");
        let _ = writeln!(out, "    let r = {};", rust_op(op));
        let _ = writeln!(out, "    report(w, {i}, {:?}, r);", op.name());
    }
    out.push_str("}\n\nfn main() {\n");
    let _ = writeln!(
        out,
        "    println!(\"script {} seed={} sink={} buffer={}\");",
        h.script,
        h.seed,
        h.sink.name(),
        h.buffer
    );
    let storage = format!("    let mut storage = vec![0u8; {}];\n", h.buffer);
    match h.sink {
        SinkKind::Scripted => {
            out.push_str(&storage);
            let _ = writeln!(
                out,
                "    let sink = Scripted {{ budget: vec!{:?}, fail_after: {:?}, calls: 0, out_len: 0, out_hash: 0xcbf2_9ce4_8422_2325 }};",
                h.budget, h.fail_after
            );
            out.push_str(
                "    let mut w = Writer::new(&mut storage[..], sink);\n    run(w.as_dyn());\n",
            );
            out.push_str("    let (_, s) = w.into_parts();\n    println!(\"end drains={} out_len={} out_hash={:016x}\", s.calls, s.out_len, s.out_hash);\n");
        }
        SinkKind::Fixed => {
            out.push_str(&storage);
            out.push_str(
                "    let mut w = Writer::fixed(&mut storage[..]);\n    run(w.as_dyn());\n",
            );
            out.push_str(
                "    println!(\"end written={} hash={:016x}\", w.end(), fnv(w.buffered()));\n",
            );
        }
        SinkKind::Allocating => {
            let _ = writeln!(
                out,
                "    let mut w = Writer::allocating_with_capacity({});\n    run(w.as_dyn());",
                h.buffer
            );
            out.push_str("    println!(\"end written={} hash={:016x}\", w.written().len(), fnv(w.written()));\n");
        }
        SinkKind::Discarding => {
            out.push_str(&storage);
            out.push_str(
                "    let mut w = Writer::discarding(&mut storage[..]);\n    run(w.as_dyn());\n",
            );
            out.push_str("    println!(\"end count={}\", w.full_count());\n");
        }
    }
    out.push_str("}\n");
    out
}

const ZIG_PRELUDE: &str = r#"const std = @import("std");
const Writer = std.Io.Writer;
const Fnv = std.hash.Fnv1a_64;

var out_buffer: [4096]u8 = undefined;
var stdout_writer: std.fs.File.Writer = undefined;

fn emit(comptime fmt: []const u8, args: anytype) void {
    stdout_writer.interface.print(fmt, args) catch @panic("cannot write to stdout");
}

/// A sink whose drain call k accepts at most budget[k % len] bytes
/// (null: the call fails), and fails once fail_after bytes went through.
/// It prints every call.
const Scripted = struct {
    budget: []const ?usize,
    fail_after: ?u64,
    calls: u64 = 0,
    out_len: u64 = 0,
    out_hash: Fnv = .init(),
    writer: Writer,

    fn drain(w: *Writer, data: []const []const u8, splat: usize) Writer.Error!usize {
        const s: *Scripted = @alignCast(@fieldParentPtr("writer", w));
        const entry = s.budget[@intCast(s.calls % s.budget.len)];
        s.calls += 1;
        emit("  drain end={d} data=", .{w.end});
        for (data, 0..) |d, i| emit("{s}{d}", .{ if (i == 0) "" else ",", d.len });
        emit(" splat={d}", .{splat});
        var left = entry orelse {
            emit(" -> fail\n", .{});
            return error.WriteFailed;
        };
        if (s.fail_after) |limit| {
            if (s.out_len >= limit) {
                emit(" -> fail\n", .{});
                return error.WriteFailed;
            }
            left = @intCast(@min(left, limit - s.out_len));
        }
        var taken: usize = 0;
        s.take(w.buffered(), &left, &taken);
        for (data[0 .. data.len - 1]) |d| s.take(d, &left, &taken);
        const pattern = data[data.len - 1];
        if (pattern.len != 0) {
            var i: usize = 0;
            while (i < splat and left != 0) : (i += 1) s.take(pattern, &left, &taken);
        }
        const n = w.consume(taken);
        emit(" take={d} -> {d}\n", .{ taken, n });
        return n;
    }

    fn take(s: *Scripted, bytes: []const u8, left: *usize, taken: *usize) void {
        const k = @min(bytes.len, left.*);
        s.out_hash.update(bytes[0..k]);
        s.out_len += k;
        left.* -= k;
        taken.* += k;
    }
};

fn some(r: Writer.Error!usize) Writer.Error!?usize {
    return try r;
}

/// Prints an op's result and the buffer state (a hash of the newest
/// 4096 buffered bytes).
fn report(w: *Writer, index: usize, name: []const u8, result: Writer.Error!?usize) void {
    if (result) |value| {
        if (value) |n| emit("op {d} {s} ok {d}", .{ index, name, n }) else emit("op {d} {s} ok", .{ index, name });
    } else |_| emit("op {d} {s} fail", .{ index, name });
    const b = w.buffered();
    emit(" end={d} cap={d} buf={x:0>16}\n", .{ w.end, w.buffer.len, Fnv.hash(b[b.len -| 4096 ..]) });
}
"#;

/// A Zig 0.15.1 program that runs `script` on `std.Io.Writer` and prints
/// the trace the conformance harness prints for it.
///
/// # Panics
/// If the script holds a `skip` op (the lab's scripts never do).
pub fn zig(script: &Script) -> String {
    let h = &script.header;
    let mut out = format!(
        "//! A buffer-lab script ({} sink, {}-byte buffer) run on Zig 0.15.1's std.Io.Writer; prints its trace.\n\n",
        h.sink.name(),
        h.buffer
    );
    out.push_str(ZIG_PRELUDE);
    out.push_str("\nfn run(w: *Writer) void {\n");
    for (i, op) in script.ops.iter().enumerate() {
        assert!(!matches!(op, Op::Skip { .. }), "a lab script has no skips");
        let _ = writeln!(
            out,
            "    report(w, {i}, \"{}\", {});",
            op.name(),
            zig_op(op)
        );
    }
    out.push_str("}\n\npub fn main() !void {\n");
    out.push_str("    stdout_writer = std.fs.File.stdout().writerStreaming(&out_buffer);\n    defer stdout_writer.interface.flush() catch {};\n");
    let _ = writeln!(
        out,
        "    emit(\"script {} seed={} sink={} buffer={}\\n\", .{{}});",
        h.script,
        h.seed,
        h.sink.name(),
        h.buffer
    );
    let storage = format!("    var storage: [{}]u8 = undefined;\n", h.buffer);
    match h.sink {
        SinkKind::Scripted => {
            out.push_str(&storage);
            let budget: Vec<String> = h
                .budget
                .iter()
                .map(|b| b.map_or("null".to_string(), |n| n.to_string()))
                .collect();
            let _ = writeln!(
                out,
                "    var s: Scripted = .{{ .budget = &[_]?usize{{ {} }}, .fail_after = {}, .writer = .{{ .vtable = &.{{ .drain = Scripted.drain }}, .buffer = &storage }} }};",
                budget.join(", "),
                h.fail_after.map_or("null".to_string(), |k| k.to_string())
            );
            out.push_str("    run(&s.writer);\n    emit(\"end drains={d} out_len={d} out_hash={x:0>16}\\n\", .{ s.calls, s.out_len, s.out_hash.final() });\n");
        }
        SinkKind::Fixed => {
            out.push_str(&storage);
            out.push_str("    var w: Writer = .fixed(&storage);\n    run(&w);\n    emit(\"end written={d} hash={x:0>16}\\n\", .{ w.end, Fnv.hash(w.buffered()) });\n");
        }
        SinkKind::Allocating => {
            let _ = writeln!(
                out,
                "    var gpa_state: std.heap.DebugAllocator(.{{}}) = .init;\n    defer _ = gpa_state.deinit();\n    var a: Writer.Allocating = try .initCapacity(gpa_state.allocator(), {});\n    defer a.deinit();",
                h.buffer
            );
            out.push_str("    run(&a.writer);\n    emit(\"end written={d} hash={x:0>16}\\n\", .{ a.writer.end, Fnv.hash(a.writer.buffered()) });\n");
        }
        SinkKind::Discarding => {
            out.push_str(&storage);
            out.push_str("    var d: Writer.Discarding = .init(&storage);\n    run(&d.writer);\n    emit(\"end count={d}\\n\", .{d.fullCount()});\n");
        }
    }
    out.push_str("}\n");
    out
}
