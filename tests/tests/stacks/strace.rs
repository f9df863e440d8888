//! Runs a program under `strace -f` and parses the trace into system calls,
//! signals and exits, per thread.
//!
//! strace writes one line per event, prefixed by the thread id when it
//! follows several (`-f`). A call that another thread interrupts is split
//! into `name(args <unfinished ...>` and, later, `<... name resumed>rest`;
//! [`parse`] joins the two halves, so every [`Event::Call`] is whole, and
//! puts the call where it started: what the call caused (a new thread's
//! first events) comes after it.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The system calls and signals the thread tests follow.
pub(crate) const CALLS: &str =
    "mmap,mprotect,munmap,clone,clone3,sigaltstack,exit,exit_group,execve";
/// The signals they follow.
pub(crate) const SIGNALS: &str = "SIGSEGV,SIGABRT";

/// One event of a trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// A finished system call.
    Call(Call),
    /// `--- SIGSEGV {si_signo=SIGSEGV, ...} ---`: a signal delivered to `pid`.
    Signal {
        /// The thread that got it.
        pid: u32,
        /// `SIGSEGV`.
        name: String,
        /// The `siginfo` fields, e.g. `si_code` → `SEGV_ACCERR`.
        fields: Vec<(String, String)>,
    },
    /// `+++ exited with 1 +++` or `+++ killed by SIGSEGV +++`.
    Exit {
        /// The thread or process.
        pid: u32,
        /// The text between the `+++` marks.
        text: String,
    },
}

/// A system call with its arguments as strace printed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    /// The calling thread.
    pub pid: u32,
    /// `mmap`.
    pub name: String,
    /// The top-level arguments, split at commas outside brackets.
    pub args: Vec<String>,
    /// What follows `= `: `0x7f…`, `0`, `?`.
    pub ret: String,
}

impl Call {
    /// The value of a `key=value` argument, searched also inside a
    /// top-level `{...}` argument (as `clone3` prints its struct).
    pub(crate) fn field(&self, key: &str) -> Option<String> {
        let prefix = format!("{key}=");
        let inner = |arg: &str| {
            let inner = arg.strip_prefix('{')?.split(" => ").next()?;
            Some(split_top_level(inner.strip_suffix('}').unwrap_or(inner)))
        };
        self.args.iter().find_map(|arg| {
            std::iter::once(arg.clone())
                .chain(inner(arg).unwrap_or_default())
                .find_map(|part| part.strip_prefix(&prefix).map(str::to_string))
        })
    }

    /// Argument `i` as a number (decimal or `0x` hexadecimal).
    pub(crate) fn number(&self, i: usize) -> Option<u64> {
        self.args.get(i).and_then(|a| number(a))
    }

    /// The return value as a number.
    pub(crate) fn ret_number(&self) -> Option<u64> {
        number(&self.ret)
    }
}

/// A number as strace prints it: decimal, or hexadecimal with `0x`.
pub(crate) fn number(text: &str) -> Option<u64> {
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// Splits at commas that are not inside `()`, `[]`, `{}` or a string.
pub(crate) fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    let mut current = String::new();
    for c in text.chars() {
        if in_string {
            current.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

/// Parses strace's output (`-f -o FILE`). Lines it does not understand are
/// returned as errors, with their line number, rather than skipped.
pub(crate) fn parse(text: &str) -> Result<Vec<Event>, String> {
    // `None` holds the place of a call that has started and not resumed.
    let mut events: Vec<Option<Event>> = Vec::new();
    let mut unfinished: HashMap<u32, (usize, String)> = HashMap::new();
    for (n, raw) in text.lines().enumerate() {
        let bad = |why: &str| format!("strace output line {}: {why}: {raw}", n + 1);
        let (pid, rest) = raw
            .trim_start()
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad("no thread id"))?;
        let pid: u32 = pid.parse().map_err(|_| bad("no thread id"))?;
        let rest = rest.trim_start();
        if let Some(body) = rest.strip_prefix("--- ") {
            let body = body
                .strip_suffix(" ---")
                .ok_or_else(|| bad("unterminated signal"))?;
            let (name, info) = body.split_once(' ').unwrap_or((body, "{}"));
            let info = info.trim().trim_start_matches('{').trim_end_matches('}');
            let fields = split_top_level(info)
                .into_iter()
                .filter_map(|f| {
                    f.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                })
                .collect();
            events.push(Some(Event::Signal {
                pid,
                name: name.to_string(),
                fields,
            }));
            continue;
        }
        if let Some(body) = rest.strip_prefix("+++ ") {
            let text = body
                .strip_suffix(" +++")
                .ok_or_else(|| bad("unterminated exit"))?;
            events.push(Some(Event::Exit {
                pid,
                text: text.to_string(),
            }));
            continue;
        }
        if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            unfinished.insert(pid, (events.len(), head.to_string()));
            events.push(None);
            continue;
        }
        let (slot, whole) = if let Some(tail) = rest.strip_prefix("<... ") {
            let (_, tail) = tail
                .split_once(" resumed>")
                .ok_or_else(|| bad("malformed resumption"))?;
            let (slot, head) = unfinished
                .remove(&pid)
                .ok_or_else(|| bad("resumes a call that never started"))?;
            (slot, format!("{head}{tail}"))
        } else {
            events.push(None);
            (events.len() - 1, rest.to_string())
        };
        let call = parse_call(pid, &whole).ok_or_else(|| bad("not a system call"))?;
        events[slot] = Some(Event::Call(call));
    }
    // A call that never resumed (its thread was killed inside it) has no
    // result, and is left out.
    Ok(events.into_iter().flatten().collect())
}

fn parse_call(pid: u32, text: &str) -> Option<Call> {
    let open = text.find('(')?;
    let name = text[..open].to_string();
    // The last ` = ` separates the arguments, which end with `)`, from the
    // result (strace pads short calls with spaces before it); `exit` and
    // `exit_group` end with `= ?`.
    let eq = text.rfind(" = ")?;
    let args = text[..eq].trim_end().strip_suffix(')')?.get(open + 1..)?;
    let args = split_top_level(args);
    let ret = text[eq + 3..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string();
    Some(Call {
        pid,
        name,
        args,
        ret,
    })
}

/// What one traced run produced.
#[derive(Debug)]
pub(crate) struct Run {
    /// The program's own output and status.
    pub output: Output,
    /// The parsed trace.
    pub events: Vec<Event>,
}

/// Runs `exe` with `args` under `strace -f`, tracing [`CALLS`] and
/// [`SIGNALS`], with the trace written to `trace_file`.
pub(crate) fn trace(exe: &Path, args: &[&str], trace_file: &Path) -> Result<Run, String> {
    let output = Command::new("strace")
        .arg("-f")
        .arg("-q")
        .arg("-o")
        .arg(trace_file)
        .args(["-e", &format!("trace={CALLS}")])
        .args(["-e", &format!("signal={SIGNALS}")])
        .arg(exe)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run strace (install Debian's `strace`): {e}"))?;
    let text = std::fs::read_to_string(trace_file).map_err(|e| {
        format!(
            "strace wrote no trace to {}: {e}; its stderr: {}",
            trace_file.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let events = parse(&text)?;
    Ok(Run { output, events })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_unfinished_calls_and_reads_signals_and_exits() {
        let text = "\
5908  clone(child_stack=0x7fa78bd59ff8, flags=CLONE_VM|CLONE_THREAD <unfinished ...>
5909  --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7fa78bd49dd0} ---
5908  <... clone resumed>, parent_tid=[5909], tls=0x7fa78bd5a010) = 5909
5909  +++ killed by SIGSEGV +++
5906  exit_group(0)                     = ?
";
        let events = parse(text).unwrap();
        assert_eq!(events.len(), 4);
        // The clone where it started, before the signal its thread got.
        let Event::Call(clone) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(clone.name, "clone");
        assert_eq!(clone.field("tls").as_deref(), Some("0x7fa78bd5a010"));
        assert_eq!(clone.ret_number(), Some(5909));
        let Event::Signal { pid, fields, .. } = &events[1] else {
            panic!()
        };
        assert_eq!(*pid, 5909);
        assert_eq!(fields[1], ("si_code".into(), "SEGV_ACCERR".into()));
        assert_eq!(
            events[2],
            Event::Exit {
                pid: 5909,
                text: "killed by SIGSEGV".into()
            }
        );
        let Event::Call(exit) = &events[3] else {
            panic!()
        };
        assert_eq!((exit.name.as_str(), exit.ret.as_str()), ("exit_group", "?"));
    }

    #[test]
    fn reads_clone3_struct_fields() {
        let text = "7  clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x10, stack=0x7f00, stack_size=0xff40, tls=0x7f10} => {parent_tid=[8]}, 88) = 8\n";
        let Event::Call(c) = &parse(text).unwrap()[0] else {
            panic!()
        };
        assert_eq!(c.field("stack").as_deref(), Some("0x7f00"));
        assert_eq!(c.field("stack_size").as_deref(), Some("0xff40"));
        assert_eq!(c.number(1), Some(88));
    }

    #[test]
    fn refuses_lines_it_does_not_understand() {
        let err = parse("12  something odd\n").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        assert!(
            parse("5  <... mmap resumed>) = 0\n")
                .unwrap_err()
                .contains("never started")
        );
    }
}
