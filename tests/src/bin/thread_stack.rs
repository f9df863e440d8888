//! The program of "Thread Spawn and Stacks" section 3, as the page's copy
//! button copies it: the `stacks` test runs it under strace and checks
//! that this file and the page's block stay the same program.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::thread;

use zigio::Writer;

const STACK_SIZE: usize = 64 * 1024;

/// Stages `len` bytes in a fixed writer whose buffer is an array on this
/// thread's stack, and reports what happened.
fn stage_on_stack<const N: usize>(len: usize) -> String {
    let mut buf = [0u8; N];
    let mut w = Writer::fixed(&mut buf[..]);
    let report = match w.splat_byte_all(b'x', len) {
        Ok(()) => format!("{N}-byte buffer, {len} bytes: all kept"),
        Err(e) => format!("{N}-byte buffer, {len} bytes: {} kept, then {e:?}", w.end()),
    };
    std::hint::black_box(&buf);
    report
}

fn spawn_small<const N: usize>() -> thread::JoinHandle<String> {
    thread::Builder::new()
        .name("small".into())
        .stack_size(STACK_SIZE)
        .spawn(|| stage_on_stack::<N>(20_000))
        .expect("spawn")
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("overflow") {
        // The child: a 256 KiB array on a 64 KiB stack.
        let report = spawn_small::<{ 256 * 1024 }>().join();
        println!("the child survived: {report:?}");
        return;
    }

    // Too small a writer buffer: the interface reports it.
    println!("{}", spawn_small::<{ 16 * 1024 }>().join().expect("join"));

    // Too small a stack: the guard page reports it, to the whole process.
    let exe = std::env::current_exe().expect("current_exe");
    let child = Command::new(exe)
        .arg("overflow")
        .output()
        .expect("run the child");
    let stderr = String::from_utf8_lossy(&child.stderr);
    // "thread 'small' has overflowed its stack" (newer Rust adds the
    // thread's id after its name).
    let named = stderr
        .lines()
        .any(|l| l.contains("thread 'small'") && l.ends_with("has overflowed its stack"));
    println!(
        "child, 262144-byte array on a {STACK_SIZE}-byte stack: killed by signal {:?}",
        child.status.signal()
    );
    println!("it said thread 'small' overflowed its stack: {named}");
}
