//! The buffer lab's copy-out: the Rust program the lab offers for a script
//! (`conformance::program::rust`), as a reader copies it, compiles against
//! zigio in a fresh crate and prints the trace zigio's executor prints for
//! the script, for the lab's presets and seeded random scripts.

use std::fs;
use std::path::{Path, PathBuf};

use conformance::exec;
use conformance::generate::{self, Rng, Shape};
use conformance::script::{Script, SinkKind, parse_scripts};

use crate::snippets::{Mode, Output, Snippet};
use book_model::code::ShownLine;

/// Random scripts besides the presets, and their length.
const RANDOM_SCRIPTS: usize = 12;
const RANDOM_OPS: usize = 30;

/// The lab's presets (`book/lab/presets/*.jsonl`), by file.
pub(crate) fn presets(root: &Path) -> Vec<(PathBuf, Script)> {
    let dir = root.join("book/lab/presets");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text =
                fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut scripts =
                parse_scripts(&text).unwrap_or_else(|e| panic!("{}:{e}", path.display()));
            assert_eq!(
                scripts.len(),
                1,
                "{}: a preset is one script",
                path.display()
            );
            (
                path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
                scripts.remove(0),
            )
        })
        .collect()
}

/// Seeded random scripts on every sink whose zigio run does not panic (a
/// documented precondition of `splat_byte_preserve` that scripts can
/// break; the lab reports such a panic instead of a program's output).
pub(crate) fn random_scripts() -> Vec<Script> {
    let mut rng = Rng::new(0xc09e_0007);
    let mut scripts = Vec::new();
    let mut seed = 0xc0_0000;
    while scripts.len() < RANDOM_SCRIPTS {
        seed += 1;
        let sink = SinkKind::ALL[scripts.len() % SinkKind::ALL.len()];
        let buffer = [0, 1, 7, 16, 64][rng.upto(4)];
        let mut script = generate::script(
            1,
            seed,
            Shape {
                sink,
                buffer,
                ops: RANDOM_OPS,
            },
        );
        if sink == SinkKind::Scripted && rng.chance(50) {
            script.header.fail_after = Some(rng.upto(200) as u64);
        }
        if std::panic::catch_unwind(|| exec::run_flagging(&script)).is_ok() {
            scripts.push(script);
        }
    }
    scripts
}

/// The lab's Rust program for `script` as a snippet whose output block is
/// zigio's trace.
fn snippet(name: &Path, script: &Script) -> Snippet {
    let program = conformance::program::rust(script);
    let lines = program
        .lines()
        .enumerate()
        .map(|(i, text)| ShownLine {
            line: i + 1,
            text: text.to_string(),
            hidden: false,
        })
        .collect();
    Snippet {
        file: name.to_path_buf(),
        line: 1,
        mode: Mode::Run,
        lines,
        output: Some(Output {
            line: 1,
            text: exec::run_flagging(script).trace,
        }),
    }
}

/// Every program the check compiles.
pub(crate) fn snippets(root: &Path) -> Vec<Snippet> {
    let mut all: Vec<Snippet> = presets(root).iter().map(|(p, s)| snippet(p, s)).collect();
    for (i, script) in random_scripts().iter().enumerate() {
        all.push(snippet(Path::new(&format!("lab-random-{i}")), script));
    }
    all
}
