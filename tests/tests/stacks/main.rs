//! The runs behind the chapter "Thread Spawn and Stacks": its programs,
//! taken from the page (the block after `<!-- trace: NAME -->`), run under
//! `strace -f`, with the trace checked against what the page says
//! `std.Thread.spawn` (Zig 0.15.1, Linux without libc) and Rust's
//! `thread::Builder` (glibc) do:
//!
//! - Zig's spawn reserves one `PROT_NONE` mapping (guard page, stack, TLS
//!   and `Instance`), opens all of it but the guard with one `mprotect`,
//!   `clone`s with pointers into it, and `join` unmaps it;
//! - a thread whose frame is larger than its stack faults in its guard
//!   page (`SEGV_ACCERR`), and the child process dies by `SIGSEGV`;
//! - a detached thread unmaps its own stack and exits;
//! - Rust's `stack_size` gets a glibc stack of the same shape, plus an
//!   alternate signal stack, and its overflow becomes `SIGABRT`.
//!
//! Each test also renders the trace as a table in `book/data/thread-spawn/`,
//! which the chapter includes: the page's figures come from the run. A
//! table that differs from the run fails the test with a diff;
//! `BOOK_RECORD=1` rewrites the tables from the run instead.

mod layout;
mod strace;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use layout::{Mapping, Render};
use strace::{Call, Event, Run};

/// The chapter, relative to the repository root.
const CHAPTER: &str = "book/thread-spawn-and-stacks.md";
/// Where its generated tables go.
const DATA_DIR: &str = "book/data/thread-spawn";

use book_tests::repo_root;
use conformance::exec::fnv1a;

/// A program of the chapter and the output block after it.
struct Program {
    line: usize,
    source: String,
    expected: String,
}

/// The code block right after `<!-- trace: NAME -->` in the chapter.
fn traced_block(name: &str) -> Program {
    let text = std::fs::read_to_string(repo_root().join(CHAPTER)).expect("read the chapter");
    let blocks = book_model::code::code_blocks(&text);
    let wanted = format!("trace: {name}");
    let i = blocks
        .iter()
        .position(|b| {
            b.comment_before
                .as_deref()
                .is_some_and(|c| c.contains(&wanted))
        })
        .unwrap_or_else(|| panic!("{CHAPTER}: no code block after `<!-- {wanted} -->`"));
    let expected = blocks
        .get(i + 1)
        .filter(|b| b.follows_previous && b.tokens().first() == Some(&"text"))
        .unwrap_or_else(|| {
            panic!(
                "{CHAPTER}:{}: no ```text block after the program",
                blocks[i].line
            )
        })
        .content
        .clone();
    Program {
        line: blocks[i].line,
        source: blocks[i].content.clone(),
        expected,
    }
}

/// The directory for this test's builds and traces, under `target/`.
fn work_dir() -> PathBuf {
    let dir = pinned_zig::workspace_target_dir().join("stacks");
    std::fs::create_dir_all(&dir).expect("create target/stacks");
    dir
}

/// Builds a Zig program of the chapter (Debug, the pinned 0.15.1), cached
/// by a hash of its source.
fn build_zig(name: &str, program: &Program) -> PathBuf {
    let dir = work_dir();
    let exe = dir.join(format!("{name}-{:016x}", fnv1a(program.source.as_bytes())));
    if !exe.is_file() {
        let zig = pinned_zig::zig().unwrap_or_else(|e| panic!("{e}"));
        let src = exe.with_extension("zig");
        std::fs::write(&src, &program.source).expect("write the Zig source");
        // A private name, renamed into place, so that concurrent runs never
        // see a half-written executable.
        let private = exe.with_extension(std::process::id().to_string());
        zig.build_exe(&src, &private, &pinned_zig::BuildOptions::default())
            .unwrap_or_else(|e| panic!("{CHAPTER}:{}: {e}", program.line));
        std::fs::rename(&private, &exe).expect("move the executable into place");
    }
    exe
}

/// The system's page size, from `getconf`.
fn page_size() -> u64 {
    static PAGE: OnceLock<u64> = OnceLock::new();
    *PAGE.get_or_init(|| {
        let out = Command::new("getconf")
            .arg("PAGESIZE")
            .output()
            .expect("run getconf");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("getconf PAGESIZE prints a number")
    })
}

/// Runs `exe` under strace and checks that it printed the page's output.
fn traced(name: &str, exe: &Path, program: &Program) -> Run {
    let run = strace::trace(exe, &[], &work_dir().join(format!("{name}.trace")))
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert!(
        run.output.status.success() && stdout == program.expected,
        "{CHAPTER}:{}: under strace the program printed\n{stdout}\nand ended with {}; the page says\n{}\nstderr:\n{}",
        program.line,
        run.output.status,
        program.expected,
        String::from_utf8_lossy(&run.output.stderr)
    );
    run
}

/// Compares a generated table with the committed one, or records it.
fn check_table(file: &str, rendered: &str) {
    let path = repo_root().join(DATA_DIR).join(file);
    if std::env::var_os("BOOK_RECORD").is_some() {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create the data dir");
        std::fs::write(&path, rendered).expect("write the table");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != rendered {
        let diff = similar::TextDiff::from_lines(committed.as_str(), rendered)
            .unified_diff()
            .header("committed", "this run")
            .to_string();
        panic!(
            "{DATA_DIR}/{file} differs from this run's trace; if the change is expected, \
             rewrite it with `BOOK_RECORD=1 cargo test -p book-tests --test stacks`:\n{diff}"
        );
    }
}

fn calls(run: &Run) -> impl Iterator<Item = (usize, &Call)> {
    run.events.iter().enumerate().filter_map(|(i, e)| match e {
        Event::Call(c) => Some((i, c)),
        _ => None,
    })
}

/// The stack mapping a thread spawn reserves: the first anonymous
/// `PROT_NONE` mapping of `pid`, and the `mprotect` that opens it.
fn reserved_stack(run: &Run, pid: u32, page: u64) -> (Mapping, usize) {
    let (i, mmap) = calls(run)
        .find(|(_, c)| {
            c.pid == pid
                && c.name == "mmap"
                && c.args.get(2).map(String::as_str) == Some("PROT_NONE")
                && c.args.get(3).is_some_and(|f| f.contains("MAP_ANONYMOUS"))
        })
        .unwrap_or_else(|| {
            panic!(
                "thread {pid} reserved no PROT_NONE mapping:\n{:#?}",
                run.events
            )
        });
    let map = Mapping {
        start: mmap.ret_number().expect("mmap returns an address"),
        len: mmap.number(1).expect("mmap's length"),
    };
    assert_eq!(
        map.len % page,
        0,
        "the mapping is a whole number of pages: {mmap:?}"
    );
    let (j, protect) = calls(run)
        .filter(|(j, _)| *j > i)
        .find(|(_, c)| c.pid == pid && c.name == "mprotect")
        .unwrap_or_else(|| panic!("no mprotect after {mmap:?}"));
    assert_eq!(
        (
            protect.number(0),
            protect.number(1),
            protect.args[2].as_str(),
            protect.ret.as_str()
        ),
        (
            Some(map.start + page),
            Some(map.len - page),
            "PROT_READ|PROT_WRITE",
            "0"
        ),
        "the mprotect opens everything but the first page: {protect:?}"
    );
    (map, j)
}

/// The first call named `name` by `pid` after event `after`.
fn next_call<'a>(run: &'a Run, after: usize, pid: u32, name: &str) -> (usize, &'a Call) {
    calls(run)
        .filter(|(j, _)| *j > after)
        .find(|(_, c)| c.pid == pid && c.name == name)
        .unwrap_or_else(|| panic!("no {name} by {pid} after event {after}:\n{:#?}", run.events))
}

/// The thread or process an event belongs to.
fn pid_of(e: &Event) -> u32 {
    match e {
        Event::Call(c) => c.pid,
        Event::Signal { pid, .. } | Event::Exit { pid, .. } => *pid,
    }
}

/// The events of `pid`, in order.
fn of(run: &Run, pid: u32) -> impl Iterator<Item = &Event> {
    run.events.iter().filter(move |e| pid_of(e) == pid)
}

/// The events of any of `pids`, in order.
fn of_any<'a>(run: &'a Run, pids: &'a [u32]) -> impl Iterator<Item = &'a Event> {
    run.events.iter().filter(move |e| pids.contains(&pid_of(e)))
}

fn first_pid(run: &Run) -> u32 {
    match &run.events[0] {
        Event::Call(c) => c.pid,
        other => panic!("the trace starts with {other:?}"),
    }
}

/// The stack size a program printed in a line `...: N bytes`.
fn printed_number(stdout: &str, label: &str) -> u64 {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the program printed no `{label}` line:\n{stdout}"))
}

/// Checks a Zig `clone` against the layout of `LinuxThreadImpl.spawn`:
/// the stack top is one guard page plus the page-rounded stack, the x86-64
/// wrapper stores one word below it, and the TLS and child-tid pointers
/// lie above it in the mapping. Returns the new thread's id.
fn check_zig_clone(clone: &Call, map: &Mapping, stack_size: u64, page: u64) -> u32 {
    let stack_offset = page + stack_size.max(page).div_ceil(page) * page;
    let field = |k: &str| {
        clone
            .field(k)
            .and_then(|v| strace::number(&v))
            .unwrap_or_else(|| panic!("clone has no `{k}`: {clone:?}"))
    };
    assert_eq!(
        field("child_stack"),
        map.start + stack_offset - 8,
        "clone's stack pointer is the stack top minus the word the wrapper stores: {clone:?}"
    );
    for k in ["tls", "child_tidptr"] {
        let at = field(k);
        assert!(
            at >= map.start + stack_offset && at < map.end(),
            "clone's {k} lies above the stack, inside the mapping: {clone:?}"
        );
    }
    clone.ret_number().expect("clone returns the thread id") as u32
}

#[test]
fn zig_spawn_maps_guard_stack_tls_and_instance_then_join_unmaps() {
    let program = traced_block("zig-spawn");
    let exe = build_zig("zig-spawn", &program);
    let run = traced("zig-spawn", &exe, &program);
    let page = page_size();
    let stdout = String::from_utf8_lossy(&run.output.stdout).into_owned();
    let stack_size = printed_number(&stdout, "stack_size asked for: ");
    let main = first_pid(&run);

    let (map, after) = reserved_stack(&run, main, page);
    assert!(
        map.len > page + stack_size,
        "room for guard, stack and more: {map:?}"
    );
    let (c, clone) = next_call(&run, after, main, "clone");
    let tid = check_zig_clone(clone, &map, stack_size, page);
    let exited = run
        .events
        .iter()
        .position(|e| matches!(e, Event::Exit { pid, .. } if *pid == tid))
        .expect("the thread exits");
    let (u, unmap) = next_call(&run, c, main, "munmap");
    assert!(u > exited, "join unmaps after the thread exited");
    assert_eq!(
        (unmap.number(0), unmap.number(1)),
        (Some(map.start), Some(map.len)),
        "join unmaps exactly the mapping"
    );

    let stack_top = page + stack_size.div_ceil(page) * page;
    let mut table = Render::new(&map, &[(main, "main"), (tid, "new thread")]);
    table.header(
        "Thread",
        "Event, with `B` the start of the mapping and `T` the new thread",
    );
    for e in of_any(&run, &[main, tid]) {
        if let Event::Call(c) = e {
            if !["mmap", "mprotect", "clone", "munmap", "exit"].contains(&c.name.as_str()) {
                continue;
            }
            // Only the calls on the stack mapping, and the thread's exit.
            if c.name != "exit" && !table.touches(c) {
                continue;
            }
        }
        table.event(e);
    }
    table.note(&format!(
        "Layout: guard page `[B, B+{page})`; stack `[B+{page}, B+{stack_top})`, {} bytes; TLS and `Instance` `[B+{stack_top}, B+{})`, {} bytes.",
        stack_top - page,
        map.len,
        map.len - stack_top
    ));
    check_table("zig-spawn.md", &table.finish());
}

/// How many times the guard-page program may run before its trace shows
/// the spawning `clone` return (see the test).
const GUARD_ATTEMPTS: usize = 5;

/// The guard-page program's child process, its thread's stack mapping, and
/// the `clone` that started the thread.
fn guard_clone(run: &Run, page: u64) -> (u32, Mapping, &Call) {
    let parent = first_pid(run);
    let child = calls(run)
        .find(|(_, c)| c.name == "execve" && c.pid != parent)
        .map(|(_, c)| c.pid)
        .expect("the program runs a child process");
    let (map, after) = reserved_stack(run, child, page);
    let (_, clone) = next_call(run, after, child, "clone");
    (child, map, clone)
}

#[test]
fn zig_guard_page_fault_kills_the_child_with_sigsegv() {
    let program = traced_block("zig-guard");
    let exe = build_zig("zig-guard", &program);
    let page = page_size();
    // The child's thread overflows at once, by design, and its fault can
    // kill the process while the spawning thread is still inside `clone`:
    // strace then shows that clone with no result and without the
    // arguments it prints on return (`tls`, `child_tidptr`). Such a trace
    // shows nothing of the layout, so the program runs again.
    let run = (0..GUARD_ATTEMPTS)
        .map(|_| traced("zig-guard", &exe, &program))
        .find(|run| guard_clone(run, page).2.ret != "?")
        .unwrap_or_else(|| {
            panic!(
                "in {GUARD_ATTEMPTS} runs the process never came back from clone before the fault"
            )
        });
    let (child, map, clone) = guard_clone(&run, page);
    let tid = check_zig_clone(clone, &map, 64 * 1024, page);

    let signals: Vec<&Event> = of(&run, tid)
        .filter(|e| matches!(e, Event::Signal { .. }))
        .collect();
    let Some(Event::Signal { name, fields, .. }) = signals.first() else {
        panic!("the child's thread got no signal:\n{:#?}", run.events)
    };
    let field = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
    assert_eq!(
        (name.as_str(), field("si_code")),
        ("SIGSEGV", Some("SEGV_ACCERR")),
        "an access error first"
    );
    let addr = field("si_addr")
        .and_then(strace::number)
        .expect("a fault address");
    assert!(
        (map.start..map.start + page).contains(&addr),
        "the fault is in the guard page [{:#x}, {:#x}): {addr:#x}",
        map.start,
        map.start + page
    );
    let killed = |pid: u32| {
        of(&run, pid).any(|e| matches!(e, Event::Exit { text, .. } if text == "killed by SIGSEGV"))
    };
    assert!(
        killed(tid) && killed(child),
        "the child dies by SIGSEGV:\n{:#?}",
        run.events
    );

    let mut table = Render::new(&map, &[(child, "child"), (tid, "child's thread")]);
    table.header(
        "Thread",
        "Event, with `B` the start of the child thread's mapping and `T` the thread",
    );
    for e in of_any(&run, &[child, tid]) {
        match e {
            Event::Call(c)
                if ["mmap", "mprotect", "clone"].contains(&c.name.as_str()) && table.touches(c) =>
            {
                table.event(e)
            }
            Event::Signal { .. } | Event::Exit { .. } => table.event(e),
            _ => {}
        }
    }
    table.note(&format!(
        "The first fault, at `B+{}`, is inside the guard page `[B, B+{page})`.",
        addr - map.start
    ));
    check_table("zig-guard.md", &table.finish());
}

#[test]
fn zig_detached_thread_unmaps_its_own_stack() {
    let program = traced_block("zig-detach");
    let exe = build_zig("zig-detach", &program);
    let run = traced("zig-detach", &exe, &program);
    let page = page_size();
    let main = first_pid(&run);
    let (map, after) = reserved_stack(&run, main, page);
    let (_, clone) = next_call(&run, after, main, "clone");
    let tid = check_zig_clone(clone, &map, 64 * 1024, page);
    let unmaps: Vec<&Call> = calls(&run)
        .map(|(_, c)| c)
        .filter(|c| c.name == "munmap" && c.number(0) == Some(map.start))
        .collect();
    assert_eq!(unmaps.len(), 1, "the mapping is unmapped once: {unmaps:?}");
    assert_eq!(
        (unmaps[0].pid, unmaps[0].number(1)),
        (tid, Some(map.len)),
        "by the thread itself, whole"
    );
    let (u, _) = calls(&run)
        .find(|(_, c)| c.name == "munmap" && c.pid == tid)
        .expect("found above");
    let (_, exit) = next_call(&run, u, tid, "exit");
    assert_eq!(exit.ret, "?", "exit does not return");

    let mut table = Render::new(&map, &[(main, "main"), (tid, "detached thread")]);
    table.header(
        "Thread",
        "Event, with `B` the start of the mapping and `T` the thread",
    );
    for e in of_any(&run, &[main, tid]) {
        match e {
            Event::Call(c) if c.name == "exit" || (c.name != "exit_group" && table.touches(c)) => {
                table.event(e)
            }
            Event::Exit { pid, .. } if *pid == tid => table.event(e),
            _ => {}
        }
    }
    check_table("zig-detach.md", &table.finish());
}

/// The visible lines of a Rust block: what the copy button copies.
fn copied(program: &Program) -> String {
    let mut text: String = book_model::code::rust_lines(&program.source, program.line + 1)
        .into_iter()
        .filter(|l| !l.hidden)
        .map(|l| l.text + "\n")
        .collect();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The source of the `thread_stack` binary without its leading `//!` lines.
fn binary_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/thread_stack.rs");
    let text = std::fs::read_to_string(&path).expect("read src/bin/thread_stack.rs");
    text.lines()
        .skip_while(|l| l.starts_with("//!"))
        .skip_while(|l| l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn rust_traced_binary_is_the_pages_program() {
    let program = traced_block("rust-stack");
    let page = copied(&program);
    let bin = binary_source();
    if page != bin {
        let diff = similar::TextDiff::from_lines(&page, &bin)
            .unified_diff()
            .header(CHAPTER, "tests/src/bin/thread_stack.rs")
            .to_string();
        panic!(
            "{CHAPTER}:{}: the traced binary must be the page's program, as copied:\n{diff}",
            program.line
        );
    }
}

#[test]
fn rust_stack_size_maps_a_glibc_stack_with_a_guard_and_a_signal_stack() {
    let program = traced_block("rust-stack");
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_thread_stack"));
    let run = traced("rust-stack", &exe, &program);
    let page = page_size();
    let parent = first_pid(&run);
    let stack_size = 64 * 1024;

    let (map, after) = reserved_stack(&run, parent, page);
    assert!(
        map.len >= stack_size + page,
        "the guard comes on top of the stack: {map:?}"
    );
    let (_, clone) = next_call(&run, after, parent, "clone3");
    let stack = clone.field("stack").and_then(|v| strace::number(&v));
    assert_eq!(
        stack,
        Some(map.start),
        "clone3's stack is the mapping: {clone:?}"
    );
    let tid = clone.ret_number().expect("clone3 returns the thread id") as u32;

    // The thread's alternate signal stack: a small mapping whose first
    // page is made PROT_NONE, then sigaltstack on the rest.
    let (s, sigmap) = calls(&run)
        .find(|(_, c)| {
            c.pid == tid
                && c.name == "mmap"
                && c.args.get(3).is_some_and(|f| f.contains("MAP_STACK"))
        })
        .expect("the thread maps a signal stack");
    let alt = Mapping {
        start: sigmap.ret_number().expect("an address"),
        len: sigmap.number(1).expect("a length"),
    };
    let (g, guard) = next_call(&run, s, tid, "mprotect");
    assert_eq!(
        (guard.number(0), guard.number(1), guard.args[2].as_str()),
        (Some(alt.start), Some(page), "PROT_NONE"),
        "the signal stack has a guard page: {guard:?}"
    );
    let (_, altstack) = next_call(&run, g, tid, "sigaltstack");
    assert!(
        altstack.args[0].contains(&format!("ss_sp={:#x}", alt.start + page)),
        "sigaltstack uses the rest: {altstack:?}"
    );
    let stack_unmapped = calls(&run).any(|(_, c)| {
        c.name == "munmap" && (c.pid == parent || c.pid == tid) && c.number(0) == Some(map.start)
    });

    // The child that overflows.
    let child = calls(&run)
        .find(|(_, c)| c.name == "execve" && c.pid != parent)
        .map(|(_, c)| c.pid)
        .expect("the program runs a child");
    let (child_map, child_after) = reserved_stack(&run, child, page);
    let (_, child_clone) = next_call(&run, child_after, child, "clone3");
    let child_tid = child_clone.ret_number().expect("a thread id") as u32;
    let signals: Vec<(&str, Option<&str>, Option<u64>)> = of(&run, child_tid)
        .filter_map(|e| match e {
            Event::Signal { name, fields, .. } => {
                let f = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
                Some((
                    name.as_str(),
                    f("si_code"),
                    f("si_addr").and_then(strace::number),
                ))
            }
            _ => None,
        })
        .collect();
    let (name, code, addr) = signals
        .first()
        .copied()
        .expect("the child's thread gets a signal");
    assert_eq!(
        (name, code),
        ("SIGSEGV", Some("SEGV_ACCERR")),
        "{signals:?}"
    );
    let addr = addr.expect("a fault address");
    let in_guard = (child_map.start..child_map.start + page).contains(&addr);
    assert!(
        in_guard,
        "the fault is in the child's guard page: {addr:#x}, {child_map:?}"
    );
    assert!(
        signals.iter().any(|s| s.0 == "SIGABRT"),
        "then Rust aborts: {signals:?}"
    );
    let killed = of(&run, child)
        .any(|e| matches!(e, Event::Exit { text, .. } if text == "killed by SIGABRT"));
    assert!(killed, "the child dies by SIGABRT");

    let mut table = Render::new(&map, &[(parent, "main"), (tid, "small")]);
    table.alias(&alt, "A");
    // Rust sizes the signal stack from the CPU's signal frame
    // (max(SIGSTKSZ, AT_MINSIGSTKSZ)), which differs between machines.
    table.length_alias(alt.len, "S+4096");
    table.length_alias(alt.len - page, "S");
    table.header(
        "Thread",
        "Event, with `B` the start of the stack mapping, `A` of the signal stack and `S` its size after the guard page (it depends on the CPU), `T` the thread",
    );
    for e in of_any(&run, &[parent, tid]) {
        if let Event::Call(c) = e {
            let on_stack =
                ["mmap", "mprotect", "munmap"].contains(&c.name.as_str()) && table.touches(c);
            let signal_stack =
                c.pid == tid && c.name == "sigaltstack" && c.args[0].starts_with("{ss_sp=0x");
            if on_stack || signal_stack {
                table.event(e);
            } else if c.name == "clone3"
                && c.pid == parent
                && c.ret_number() == Some(u64::from(tid))
            {
                // Its stack_size and tls depend on glibc and on the Rust
                // toolchain's TLS; the page shows the stack and the flags.
                table.row(
                    c.pid,
                    &format!(
                        "`clone3({{flags={}, stack=B, …}}) = T`",
                        clone.field("flags").unwrap_or_default()
                    ),
                );
            }
        }
    }
    table.note(&format!(
        "Stack unmapped before the process exits: {}. In the child that overflows, the thread's first signal is `SIGSEGV` (`{}`) {} its guard page, then `SIGABRT`; the child is killed by `SIGABRT`.",
        if stack_unmapped { "yes" } else { "no" },
        code.unwrap_or_default(),
        if in_guard { "inside" } else { "outside" },
    ));
    check_table("rust-spawn.md", &table.finish());
}
