//! The buffer lab's copy-out on the Zig side: the Zig program the lab
//! offers for a script (`conformance::program::zig`) builds with the pinned
//! Zig 0.15.1 and prints what the conformance harness prints for the
//! script, for the lab's presets and seeded random scripts that do not
//! reach a Zig panic.

use std::fs;
use std::process::Command;

use conformance::generate::{self, Rng, Shape};
use conformance::harness::{Harness, work_dir};
use conformance::script::{Script, SinkKind, parse_scripts};
use pinned_zig::BuildOptions;

use book_model::Diagnostic;

const RANDOM_SCRIPTS: usize = 6;
const RANDOM_OPS: usize = 30;

/// The harness's trace of `script`, or `None` when the harness did not
/// finish (a Zig panic: the lab shows those, a program cannot print them).
fn harness_trace(harness: &Harness, script: &Script, name: &str) -> Option<String> {
    let path = work_dir().join(format!("lab-program-{name}.jsonl"));
    fs::write(&path, script.to_jsonl()).expect("write the script");
    let out = Command::new(harness.exe())
        .arg(&path)
        .output()
        .expect("run the harness");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn scripts() -> Vec<(String, Script)> {
    let root = crate::repo_root();
    let dir = root.join("book/lab/presets");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    let mut all: Vec<(String, Script)> = files
        .iter()
        .map(|path| {
            let text =
                fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let script = parse_scripts(&text)
                .unwrap_or_else(|e| panic!("{}:{e}", path.display()))
                .remove(0);
            (
                format!(
                    "book/lab/presets/{}",
                    path.file_name().unwrap().to_string_lossy()
                ),
                script,
            )
        })
        .collect();
    let mut rng = Rng::new(0x2199_0007);
    for i in 0..RANDOM_SCRIPTS {
        let sink = SinkKind::ALL[i % SinkKind::ALL.len()];
        let buffer = [0, 1, 7, 16, 64][rng.upto(4)];
        let mut script = generate::script(
            1,
            0x2190_0000 + i as u64,
            Shape {
                sink,
                buffer,
                ops: RANDOM_OPS,
            },
        );
        if sink == SinkKind::Scripted && rng.chance(50) {
            script.header.fail_after = Some(rng.upto(200) as u64);
        }
        all.push((format!("lab random script {i}"), script));
    }
    all
}

/// Builds and runs each lab program; returns the problems and how many
/// programs ran.
pub(crate) fn check(zig: &pinned_zig::Zig) -> (Vec<Diagnostic>, usize) {
    let harness = Harness::build().unwrap_or_else(|e| panic!("{e}"));
    let dir = pinned_zig::workspace_target_dir().join("lab-programs");
    let mut problems = Vec::new();
    let mut ran = 0;
    for (i, (name, script)) in scripts().iter().enumerate() {
        let Some(expected) = harness_trace(&harness, script, &i.to_string()) else {
            continue;
        };
        let source = dir.join(format!("program-{i}.zig"));
        fs::create_dir_all(&dir).expect("create target/lab-programs");
        fs::write(&source, conformance::program::zig(script)).expect("write the program");
        let exe = dir.join(format!("program-{i}"));
        if let Err(e) = zig.build_exe(&source, &exe, &BuildOptions::default()) {
            problems.push(Diagnostic::new(
                std::path::Path::new(name),
                1,
                format!("the lab's Zig program does not build: {e}"),
            ));
            continue;
        }
        let out = Command::new(&exe).output().expect("run the program");
        ran += 1;
        let got = String::from_utf8_lossy(&out.stdout);
        if got != expected {
            let line = got
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .map_or(0, |l| l + 1);
            problems.push(Diagnostic::new(
                std::path::Path::new(name),
                1,
                format!("the lab's Zig program prints another trace than the harness (first difference at line {line}; program in {})", source.display()),
            ));
        }
    }
    (problems, ran)
}
