//! The engine of the book's buffer lab: a conformance script (see
//! `conformance::script`) run on zigio, and the stand-alone programs that
//! print the same trace, behind a small C ABI for WebAssembly.
//!
//! The page loads this crate built for `wasm32-unknown-unknown` and the
//! Zig side (`crates/conformance/zig/lab.zig`) built for
//! `wasm32-freestanding`, and runs the reader's script on both. A minimal
//! exported ABI, rather than wasm-bindgen, keeps the build to one `cargo
//! build` with no pinned CLI and the module small: the page only ever
//! passes a string in and reads a string out.
//!
//! ABI (lengths in bytes, pointers into the module's memory):
//! - `lab_alloc(len) -> ptr`: room for an input string (0 if out of memory);
//!   every other call takes ownership of the input and frees it.
//! - `lab_run(ptr, len)`: [`run`] as JSON.
//! - `lab_rust_program(ptr, len)`, `lab_zig_program(ptr, len)`: the programs
//!   of [`conformance::program`], or the parse error as JSON.
//! - `lab_output_ptr()`, `lab_output_len()`: the last call's output.

use std::cell::RefCell;

use conformance::exec;
use conformance::program;
use conformance::rules::Rule;
use conformance::script::{self, Script};
use serde::Serialize;

/// A documented Zig 0.15.1 bug that an op of the script reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The op's index in the script.
    pub op: usize,
    /// The rule's name (`conformance::rules::Rule::name`).
    pub rule: &'static str,
    /// Why Zig and zigio differ there.
    pub reason: &'static str,
}

/// The result of [`run`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The script ran.
    Ran {
        /// zigio's trace, every op executed (`exec::run_flagging`).
        trace: String,
        /// Ops where Zig 0.15.1 has a documented bug.
        flags: Vec<Flag>,
    },
    /// The input is not one valid script.
    Invalid {
        /// What is wrong, with its line.
        error: String,
    },
    /// zigio panicked: an op broke a precondition that zigio documents
    /// (such as `splat_byte_preserve`'s room for its last copies) and the
    /// script format cannot rule out in advance. Written by the panic hook
    /// just before the module traps.
    Panicked {
        /// The panic message.
        message: String,
    },
}

/// Parses `input` as exactly one script.
///
/// # Errors
/// The parse error, or a message when the input holds no script or several.
pub fn parse_one(input: &str) -> Result<Script, String> {
    let mut scripts = script::parse_scripts(input).map_err(|e| e.to_string())?;
    match scripts.len() {
        1 => Ok(scripts.remove(0)),
        0 => Err("no script: the first line must be a header".into()),
        n => Err(format!("{n} scripts: the lab runs one at a time")),
    }
}

/// Runs the script in `input` on zigio.
///
/// # Panics
/// Where zigio panics (see [`Outcome::Panicked`]).
pub fn run(input: &str) -> Outcome {
    match parse_one(input) {
        Ok(script) => {
            let r = exec::run_flagging(&script);
            let flags = r.flagged.iter().map(|&(op, rule)| flag(op, rule)).collect();
            Outcome::Ran {
                trace: r.trace,
                flags,
            }
        }
        Err(error) => Outcome::Invalid { error },
    }
}

fn flag(op: usize, rule: Rule) -> Flag {
    Flag {
        op,
        rule: rule.name(),
        reason: rule.reason(),
    }
}

thread_local! {
    static OUTPUT: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_output(text: String) {
    OUTPUT.with(|o| *o.borrow_mut() = text);
}

/// Takes back the input string allocated by `lab_alloc`.
///
/// # Safety
/// `ptr` and `len` come from one `lab_alloc(len)` call, the bytes are
/// initialised, and the buffer is not used afterwards.
unsafe fn take_input(ptr: *mut u8, len: usize) -> String {
    // SAFETY: the caller passes back the boxed slice `lab_alloc` leaked.
    let bytes = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) }.into_vec();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Makes a panic leave [`Outcome::Panicked`] as the output: on wasm32 a
/// panic aborts (traps), and the page reads the output after the trap.
fn report_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".into());
            let outcome = Outcome::Panicked { message };
            set_output(serde_json::to_string(&outcome).unwrap_or_default());
        }));
    });
}

/// Allocates `len` bytes for an input string.
#[unsafe(no_mangle)]
pub extern "C" fn lab_alloc(len: usize) -> *mut u8 {
    report_panics();
    Box::into_raw(vec![0u8; len].into_boxed_slice()).cast::<u8>()
}

/// Runs the script at `ptr`; the output is [`Outcome`] as JSON.
///
/// # Safety
/// As [`take_input`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lab_run(ptr: *mut u8, len: usize) {
    // SAFETY: forwarded contract.
    let input = unsafe { take_input(ptr, len) };
    set_output(serde_json::to_string(&run(&input)).expect("an outcome serializes"));
}

fn program_output(input: &str, generate: fn(&Script) -> String) -> String {
    match parse_one(input) {
        Ok(script) => generate(&script),
        Err(error) => serde_json::to_string(&Outcome::Invalid { error }).expect("serializes"),
    }
}

/// The Rust program for the script at `ptr` (or the error as JSON).
///
/// # Safety
/// As [`take_input`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lab_rust_program(ptr: *mut u8, len: usize) {
    // SAFETY: forwarded contract.
    let input = unsafe { take_input(ptr, len) };
    set_output(program_output(&input, program::rust));
}

/// The Zig program for the script at `ptr` (or the error as JSON).
///
/// # Safety
/// As [`take_input`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lab_zig_program(ptr: *mut u8, len: usize) {
    // SAFETY: forwarded contract.
    let input = unsafe { take_input(ptr, len) };
    set_output(program_output(&input, program::zig));
}

/// Where the last output starts.
#[unsafe(no_mangle)]
pub extern "C" fn lab_output_ptr() -> *const u8 {
    OUTPUT.with(|o| o.borrow().as_ptr())
}

/// The last output's length.
#[unsafe(no_mangle)]
pub extern "C" fn lab_output_len() -> usize {
    OUTPUT.with(|o| o.borrow().len())
}
