//! The real pinned Zig: installed (or reused) in `target/zig-0.15.1`,
//! reports 0.15.1, carries the standard library the book cites, and builds
//! and runs a Debug program whose safety check fires.

use std::fs;

use pinned_zig::{BuildOptions, ZIG_0_15_1, zig};

#[test]
fn the_pinned_compiler_builds_debug_programs_with_safety_checks() {
    let zig = zig().unwrap_or_else(|e| panic!("{e}"));
    let version = zig.command().arg("version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        ZIG_0_15_1.version
    );
    let writer = fs::read_to_string(zig.std_dir().join("Io/Writer.zig")).unwrap();
    assert_eq!(
        writer.lines().count(),
        2769,
        "Writer.zig of 0.15.1 has 2769 lines"
    );

    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("overflow.zig");
    fs::write(
        &src,
        "const std = @import(\"std\");\n\
         pub fn main() void {\n\
         \x20   var x: u8 = 255;\n\
         \x20   _ = &x;\n\
         \x20   std.debug.print(\"{d}\\n\", .{x + 1});\n\
         }\n",
    )
    .unwrap();
    let exe = zig
        .build_exe(&src, &dir.path().join("overflow"), &BuildOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(exe).output().unwrap();
    assert!(!out.status.success(), "Debug must trap the overflow");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("integer overflow"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
