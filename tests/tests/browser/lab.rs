//! The buffer lab (book/lab/lab.js) in the real browser: for its presets
//! and for seeded random scripts, the traces the page shows for zigio and
//! for Zig 0.15.1 (both compiled to WebAssembly) equal the native runs of
//! the same script: zigio's executor natively, and the conformance
//! harness built natively by the pinned Zig for x86-linux, which has
//! wasm32's word size and cache line (see `Harness::build_wasm32_twin`).
//!
//! zigio, like Zig, grows an allocating writer by the target's cache line,
//! so for allocating scripts whose buffer grows, zigio's wasm trace is the
//! one Zig's twin prints, not the x86_64 one: those are compared with the
//! twin's trace when no op reaches a Zig bug. Documented Zig bugs are
//! flagged on the ops that reach them; the copy-out programs are the
//! generator's; changing a control rewrites the script and reruns it.

use std::fs;
use std::process::Command;
use std::time::Duration;

use conformance::exec;
use conformance::generate::{self, Rng, Shape};
use conformance::harness::{Harness, work_dir};
use conformance::program;
use conformance::script::{Script, SinkKind, parse_scripts};
use serde_json::{Value as Json, json};

use crate::Problems;
use crate::browser::Browser;
use crate::site::{Site, repo_root};

/// The chapter with the lab.
const PAGE: &str = "buffer-scheduling.html";

/// How many random scripts, of how many ops each.
const RANDOM_SCRIPTS: usize = 100;
const RANDOM_OPS: usize = 40;

/// The share of scripts (in percent) whose zigio trace may go unchecked:
/// allocating scripts that both grow the buffer and reach a Zig bug have no
/// native reference on wasm32 (about one in ten of the seeded ones). More
/// than this means the comparison lost its reach.
const MAX_UNCHECKED_PERCENT: usize = 15;

/// How long one run of the lab may take.
const RUN_LIMIT: Duration = Duration::from_secs(20);

/// Puts `arguments[0]` into the lab's script box as a reader typing would
/// (an `input` event), and returns the run counter before it.
const SET_SCRIPT: &str = "const lab = document.querySelector('.buffer-lab');
const box = lab.querySelector('textarea');
const before = +lab.dataset.runs;
box.value = arguments[0];
box.dispatchEvent(new Event('input', { bubbles: true }));
return before;";

/// What the lab shows: both traces, the flags, the state, the programs.
const READ_VIEW: &str = "const lab = document.querySelector('.buffer-lab');
const text = (css) => lab.querySelector(css).textContent;
return {
  runs: +lab.dataset.runs,
  state: lab.dataset.state || '',
  status: text('.lab-status'),
  script: lab.querySelector('textarea').value,
  zigio: text('pre[data-engine=\"zigio\"]'),
  zig: text('pre[data-engine=\"zig\"]'),
  rust_program: text('.lab-program[data-lang=\"rust\"] code'),
  zig_program: text('.lab-program[data-lang=\"zig\"] code'),
  flags: [...lab.querySelectorAll('.lab-flags li')].map((li) => li.dataset.rule),
  marks: lab.querySelectorAll('mark').length,
};";

/// Zig's trace of `script`, from the native harness. After a Zig panic the
/// trace stops where the harness stopped.
fn native_zig(harness: &Harness, script: &Script, name: &str) -> Result<String, String> {
    let path = work_dir().join(format!("lab-{name}.jsonl"));
    fs::write(&path, script.to_jsonl()).map_err(|e| format!("{}: {e}", path.display()))?;
    let out = Command::new(harness.exe())
        .arg(&path)
        .output()
        .map_err(|e| format!("{}: {e}", harness.exe().display()))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Seeded random scripts over every sink, small buffers, and for the
/// scripted sink sometimes a byte count after which it fails.
fn random_scripts() -> Vec<Script> {
    let mut rng = Rng::new(0x1ab_5eed);
    (0..RANDOM_SCRIPTS)
        .map(|i| {
            let sink = SinkKind::ALL[rng.upto(SinkKind::ALL.len() - 1)];
            let buffer = [0, 1, 3, 7, 16, 64][rng.upto(5)];
            let shape = Shape {
                sink,
                buffer,
                ops: RANDOM_OPS,
            };
            let mut script = generate::script(1, 0x1ab_0000 + i as u64, shape);
            if sink == SinkKind::Scripted && rng.chance(40) {
                script.header.fail_after = Some(rng.upto(300) as u64);
            }
            script
        })
        .collect()
}

async fn run_script(browser: &Browser, text: &str) -> Result<Json, String> {
    let before = browser.eval(SET_SCRIPT, vec![json!(text)]).await?;
    let before = before.as_u64().unwrap_or(0);
    browser
        .wait_until(
            "the lab to finish a run",
            &format!("return +document.querySelector('.buffer-lab').dataset.runs > {before};"),
            RUN_LIMIT,
        )
        .await?;
    browser.eval(READ_VIEW, vec![]).await
}

/// The first line where the page's trace and the native one differ.
fn first_difference(page: &str, native: &str) -> Option<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (page.lines().collect(), native.lines().collect());
    (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .map(|i| {
            format!(
                "line {}: page `{}`, native `{}`",
                i + 1,
                a.get(i).unwrap_or(&"(none)"),
                b.get(i).unwrap_or(&"(none)")
            )
        })
}

/// Compares what the lab showed for `script` with the native runs.
fn compare(
    view: &Json, script: &Script, zig_trace: &str, at: &str, problems: &mut Problems,
    unchecked: &mut usize,
) -> usize {
    let shown = |k: &str| view[k].as_str().unwrap_or_default().to_string();
    // zigio panics where it documents a precondition the script format
    // cannot rule out in advance (splat_byte_preserve's room for its last
    // copies); the page must say so, with the message.
    let native = match std::panic::catch_unwind(|| exec::run_flagging(script)) {
        Ok(run) => run,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default();
            if !shown("zigio").is_empty()
                || !shown("status").contains(&format!("zigio panicked: {message}"))
            {
                problems.add(
                    PAGE,
                    format!(
                        "{at}: zigio panics natively ({message}) but the page shows `{}`",
                        shown("status")
                    ),
                );
            }
            return usize::from(shown("zig") != zig_trace);
        }
    };
    // What zigio must show: its native trace, except that an allocating
    // writer grows by the target's cache line (64 bytes on wasm32, 128 on
    // x86_64); there Zig's twin prints what zigio on wasm32 must print,
    // unless an op reaches a Zig bug (then the two differ by design, and
    // the trace is not checked).
    let expected = if script.header.sink != SinkKind::Allocating {
        Some(native.trace.as_str())
    } else if native.flagged.is_empty() {
        Some(zig_trace)
    } else {
        None
    };
    match expected.map(|e| first_difference(&shown("zigio"), e)) {
        Some(Some(d)) => problems.add(
            PAGE,
            format!("{at}: the zigio trace shown differs from zigio's native run: {d}"),
        ),
        Some(None) => {}
        None => *unchecked += 1,
    }
    if let Some(d) = first_difference(&shown("zig"), zig_trace) {
        problems.add(
            PAGE,
            format!("{at}: the Zig trace shown differs from the native Zig harness: {d}"),
        );
    }
    // Flags are judged on zigio's state; a grown allocating writer's state
    // differs between the targets, so there only the page's zigio trace
    // (unchecked above) knows which ops reach a bug.
    if expected.is_some() {
        let flags: Vec<&str> = view["flags"]
            .as_array()
            .map(|a| a.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        let expected: Vec<&str> = native.flagged.iter().map(|(_, r)| r.name()).collect();
        if flags != expected {
            problems.add(
                PAGE,
                format!("{at}: flags shown {flags:?}, expected {expected:?}"),
            );
        }
    }
    let agree = shown("zigio") == shown("zig");
    let state = view["state"].as_str().unwrap_or_default();
    let marks = view["marks"].as_u64().unwrap_or(0);
    if state != if agree { "agree" } else { "diverge" } || (marks == 0) != agree {
        problems.add(
            PAGE,
            format!(
                "{at}: state `{state}` with {marks} marked lines, but the traces agree: {agree}"
            ),
        );
    }
    if shown("rust_program") != program::rust(script)
        || shown("zig_program") != program::zig(script)
    {
        problems.add(
            PAGE,
            format!("{at}: the copy-out programs are not the generator's"),
        );
    }
    usize::from(!agree)
}

/// The whole check (see the module docs).
pub(crate) async fn check(
    browser: &Browser, site: &Site, problems: &mut Problems,
) -> Result<(), String> {
    for engine in ["zigio.wasm", "zig.wasm"] {
        if !site.dir.join("lab").join(engine).is_file() {
            return Err(format!(
                "the site has no lab/{engine}: `cargo xtask setup` builds the lab's engines into book/lab/"
            ));
        }
    }
    let harness = Harness::build_wasm32_twin().map_err(|e| e.to_string())?;
    let url = site.server.url(PAGE);
    browser.goto(&url).await?;
    browser
        .eval(
            "document.querySelector('.buffer-lab')?.scrollIntoView()",
            vec![],
        )
        .await?;
    browser
        .wait_until(
            "the lab's first run",
            "return +document.querySelector('.buffer-lab')?.dataset.runs > 0;",
            RUN_LIMIT,
        )
        .await?;

    let presets_dir = repo_root().join("book/lab/presets");
    let mut presets: Vec<_> = fs::read_dir(&presets_dir)
        .map_err(|e| format!("{}: {e}", presets_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    presets.sort();
    let mut bug_flagged = false;
    let mut unchecked = 0;
    for path in &presets {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let script = parse_scripts(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .remove(0);
        let view = run_script(browser, &text).await?;
        let zig_trace = native_zig(&harness, &script, &name)?;
        compare(
            &view,
            &script,
            &zig_trace,
            &format!("preset {name}"),
            problems,
            &mut unchecked,
        );
        bug_flagged |= view["flags"].as_array().is_some_and(|f| !f.is_empty());
    }
    if !bug_flagged {
        problems.add(
            PAGE,
            "no preset reaches a documented Zig bug, so the flags are untested",
        );
    }

    let mut diverged = 0;
    for (i, script) in random_scripts().iter().enumerate() {
        let view = run_script(browser, &script.to_jsonl()).await?;
        let zig_trace = native_zig(&harness, script, &format!("random-{i}"))?;
        diverged += compare(
            &view,
            script,
            &zig_trace,
            &format!("random script {i}"),
            problems,
            &mut unchecked,
        );
    }
    eprintln!(
        "lab: {} presets and {RANDOM_SCRIPTS} random scripts; {diverged} show diverging traces; \
         {unchecked} allocating scripts reach a Zig bug and a growth, so zigio's trace is unchecked",
        presets.len()
    );
    let scripts = presets.len() + RANDOM_SCRIPTS;
    if unchecked * 100 > scripts * MAX_UNCHECKED_PERCENT {
        problems.add(
            PAGE,
            format!(
                "{unchecked} of {scripts} scripts left zigio's trace unchecked \
                 (at most {MAX_UNCHECKED_PERCENT}% may)"
            ),
        );
    }

    // A control rewrites the script's header and reruns it.
    let drains = fs::read_to_string(presets_dir.join("drains.jsonl"))
        .map_err(|e| format!("drains.jsonl: {e}"))?;
    let before = run_script(browser, &drains).await?;
    browser
        .eval(
            "const box = document.querySelector('.buffer-lab input[name=buffer]');
box.value = '32'; box.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await?;
    let runs = before["runs"].as_u64().unwrap_or(0);
    browser
        .wait_until(
            "a rerun after changing the buffer capacity",
            &format!("return +document.querySelector('.buffer-lab').dataset.runs > {runs};"),
            RUN_LIMIT,
        )
        .await?;
    let after = browser.eval(READ_VIEW, vec![]).await?;
    let script = after["script"].as_str().unwrap_or_default();
    match parse_scripts(script) {
        Ok(s) if s.len() == 1 && s[0].header.buffer == 32 => {
            let first = after["zigio"]
                .as_str()
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or("");
            if !first.ends_with("buffer=32") {
                problems.add(
                    PAGE,
                    format!("after setting the capacity to 32 the trace starts `{first}`"),
                );
            }
        }
        other => problems.add(
            PAGE,
            format!("setting the capacity to 32 did not make a 32-byte script: {other:?}"),
        ),
    }
    let main_lab = browser
        .find(".buffer-lab[data-preset=back-pressure], .buffer-lab[data-preset=drains]")
        .await?;
    let shot = browser.element_screenshot(&main_lab, "lab.png").await?;
    eprintln!("lab: screenshot {}", shot.display());
    Ok(())
}
