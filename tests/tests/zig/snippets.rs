//! ```` ```zig ```` blocks: complete Zig 0.15.1 programs, built in Debug with
//! the pinned compiler and run; the ```` ```text ```` block right after one
//! is its exact standard output.
//!
//! Later releases: a block tagged `zig,zig-0.16.0,zig-0.17.1`, after a
//! program's output, is its port to those releases, with its own output
//! block; a ```` ```text,zig-0.17.1 ```` block right after an output block
//! is what the same program prints on that release. A program and its
//! ports form a [`Group`]; on each pinned release the test runs the port
//! tagged with it, or else the 0.15.1 program.
//!
//! Mirrors: a Zig program and its Rust port are declared a pair by an HTML
//! comment on the line before each block, `<!-- mirror: NAME -->`; both
//! must be followed by a text block, and the two texts must be equal. (The
//! Rust text is checked against the Rust program's output by the copy check
//! and skeptic; the Zig text here; equal texts make equal outputs.) A
//! comment, not a fence attribute: the book's fence policy refuses unknown
//! attributes on Rust blocks, while a comment is invisible to mdBook,
//! skeptic and rustdoc alike.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wait_timeout::ChildExt;

use pinned_zig::{BuildOptions, Zig};

use book_model::Diagnostic;
use book_model::code::{CodeBlock, code_blocks};
use conformance::exec::fnv1a;

/// A Zig program of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ZigSnippet {
    /// The chapter.
    pub file: PathBuf,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The program.
    pub source: String,
    /// The text block right after it, if any: its expected stdout.
    pub expected: Option<String>,
    /// The later versions this block is the port for (`zig,zig-0.16.0`);
    /// empty for the 0.15.1 program, the baseline.
    pub versions: Vec<String>,
    /// Output-only variants: a ```` ```text,zig-0.17.1 ```` block after the
    /// output block gives what the program prints on that version.
    pub outputs: Vec<(String, String)>,
}

/// A baseline Zig program and its ports to later versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// The 0.15.1 program, which stands for every version without a port.
    pub baseline: ZigSnippet,
    /// Ports, each tagged with the versions it is for.
    pub ports: Vec<ZigSnippet>,
}

impl Group {
    /// The program `version` runs, and what it must print.
    pub(crate) fn effective(&self, version: &str) -> (&ZigSnippet, Option<&str>) {
        let program = self
            .ports
            .iter()
            .find(|p| p.versions.iter().any(|v| v == version))
            .unwrap_or(&self.baseline);
        let expected = program
            .outputs
            .iter()
            .find(|(v, _)| v == version)
            .map(|(_, text)| text.as_str())
            .or(program.expected.as_deref());
        (program, expected)
    }
}

/// The version tags of a block's info string (`zig-0.16.0` gives
/// `0.16.0`), checked against the pinned versions later than the baseline.
fn version_tags(file: &Path, block: &CodeBlock, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut tags = Vec::new();
    for token in block.tokens().iter().skip(1) {
        let Some(version) = token.strip_prefix("zig-") else {
            continue;
        };
        let later = pinned_zig::PINS[1..].iter().any(|p| p.version == version);
        if !later {
            let pinned: Vec<&str> = pinned_zig::PINS[1..].iter().map(|p| p.version).collect();
            problems.push(Diagnostic::new(
                file,
                block.line,
                format!(
                    "`{token}` names no later pinned Zig (ports and output variants are for {})",
                    pinned.join(", ")
                ),
            ));
        } else if tags.iter().any(|t| t == version) {
            problems.push(Diagnostic::new(
                file,
                block.line,
                format!("`{token}` is named twice"),
            ));
        } else {
            tags.push(version.to_string());
        }
    }
    tags
}

/// The chapter's Zig programs as groups (a baseline and its ports), with
/// every misplaced or ill-tagged block reported.
pub(crate) fn groups(file: &Path, markdown: &str) -> (Vec<Group>, Vec<Diagnostic>) {
    let blocks = code_blocks(markdown);
    let mut groups: Vec<Group> = Vec::new();
    let mut problems = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        i += 1;
        if language(block) != Some("zig") {
            continue;
        }
        let versions = version_tags(file, block, &mut problems);
        let mut snippet = ZigSnippet {
            file: file.to_path_buf(),
            line: block.line,
            source: block.content.clone(),
            expected: None,
            versions,
            outputs: Vec::new(),
        };
        // The output block, then the output-only variants, each directly
        // after the one before.
        while let Some(next) = blocks.get(i).filter(|b| b.follows_previous) {
            if language(next) != Some("text") {
                break;
            }
            let tags = version_tags(file, next, &mut problems);
            match (tags.is_empty(), snippet.expected.is_none()) {
                (true, true) => snippet.expected = Some(next.content.clone()),
                (false, false) => {
                    for v in tags {
                        if snippet.outputs.iter().any(|(o, _)| *o == v) {
                            problems.push(Diagnostic::new(
                                file,
                                next.line,
                                format!("a second output for Zig {v}"),
                            ));
                        } else {
                            snippet.outputs.push((v, next.content.clone()));
                        }
                    }
                }
                (false, true) => problems.push(Diagnostic::new(
                    file,
                    next.line,
                    "an output variant must follow the program's own ```text block",
                )),
                (true, false) => break,
            }
            i += 1;
        }
        if snippet.versions.is_empty() {
            groups.push(Group {
                baseline: snippet,
                ports: Vec::new(),
            });
            continue;
        }
        let Some(group) = groups.last_mut() else {
            problems.push(Diagnostic::new(
                file,
                snippet.line,
                "a port needs the 0.15.1 program (an untagged ```zig block) before it",
            ));
            continue;
        };
        if snippet.expected.is_none() {
            problems.push(Diagnostic::new(
                file,
                snippet.line,
                "a port needs its own ```text block right after it",
            ));
        }
        for v in &snippet.versions {
            if let Some(other) = group.ports.iter().find(|p| p.versions.contains(v)) {
                problems.push(Diagnostic::new(
                    file,
                    snippet.line,
                    format!("Zig {v} already has the port at line {}", other.line),
                ));
            }
        }
        group.ports.push(snippet);
    }
    (groups, problems)
}

/// A block declared as one side of a mirror pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MirrorSide {
    /// The chapter.
    pub file: PathBuf,
    /// 1-based line of the block's fence.
    pub line: usize,
    /// `zig` or `rust`.
    pub language: String,
    /// The text block right after it.
    pub expected: Option<String>,
}

fn language(block: &CodeBlock) -> Option<&str> {
    block.tokens().first().copied()
}

/// The mirror name declared in the comment before `block`, if any.
fn mirror_name(block: &CodeBlock) -> Option<String> {
    let comment = block.comment_before.as_deref()?.trim();
    let body = comment.strip_prefix("<!--")?.strip_suffix("-->")?;
    body.lines()
        .find_map(|l| l.trim().strip_prefix("mirror:"))
        .map(|n| n.trim().to_string())
}

/// The mirror declarations of a chapter, by name (the programs themselves
/// are read by [`groups`]).
pub(crate) fn mirrors(file: &Path, markdown: &str) -> Vec<(String, MirrorSide)> {
    let blocks = code_blocks(markdown);
    let text_after = |i: usize| {
        blocks
            .get(i + 1)
            .filter(|b| b.follows_previous && language(b) == Some("text"))
            .map(|b| b.content.clone())
    };
    blocks
        .iter()
        .enumerate()
        .filter_map(|(i, block)| {
            let name = mirror_name(block)?;
            let side = MirrorSide {
                file: file.to_path_buf(),
                line: block.line,
                language: language(block).unwrap_or("").to_string(),
                expected: text_after(i),
            };
            Some((name, side))
        })
        .collect()
}

/// Checks that every mirror name has exactly one Zig and one Rust block,
/// each followed by a text block, and that the two texts are equal.
pub(crate) fn check_mirrors(mirrors: &[(String, MirrorSide)]) -> Vec<Diagnostic> {
    let mut by_name: BTreeMap<&str, Vec<&MirrorSide>> = BTreeMap::new();
    for (name, side) in mirrors {
        by_name.entry(name).or_default().push(side);
    }
    let mut problems = Vec::new();
    for (name, sides) in by_name {
        let first = sides[0];
        let of = |lang: &str| sides.iter().filter(|s| s.language == lang).count();
        if sides.len() != 2 || of("zig") != 1 || of("rust") != 1 {
            let found: Vec<String> = sides
                .iter()
                .map(|s| format!("{} at {}:{}", s.language, s.file.display(), s.line))
                .collect();
            problems.push(Diagnostic::new(
                &first.file,
                first.line,
                format!(
                    "mirror `{name}` needs one zig and one rust block, found: {}",
                    found.join(", ")
                ),
            ));
            continue;
        }
        let zig = sides.iter().find(|s| s.language == "zig").expect("counted");
        let rust = sides
            .iter()
            .find(|s| s.language == "rust")
            .expect("counted");
        match (&zig.expected, &rust.expected) {
            (Some(z), Some(r)) if z == r => {}
            (Some(z), Some(r)) => problems.push(
                Diagnostic::new(
                    &rust.file,
                    rust.line,
                    format!(
                        "mirror `{name}`: the Rust port prints differently from the Zig original at {}:{}",
                        zig.file.display(),
                        zig.line
                    ),
                )
                .with_detail(diff(z, r)),
            ),
            _ => {
                for side in [zig, rust] {
                    if side.expected.is_none() {
                        problems.push(Diagnostic::new(
                            &side.file,
                            side.line,
                            format!(
                                "mirror `{name}`: the {} block has no ```text block right after it",
                                side.language
                            ),
                        ));
                    }
                }
            }
        }
    }
    problems
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .header("zig", "rust")
        .to_string()
}

/// The file name under which a snippet's executable is cached: a hash of
/// its source.
pub(crate) fn cache_name(s: &ZigSnippet) -> String {
    format!("snippet-{:016x}", fnv1a(s.source.as_bytes()))
}

/// Removes cached snippets (executables and sources) whose names are not in
/// `keep`: programs that were edited or deleted since they were built.
/// Best effort: a file that cannot be removed only costs disk space.
pub(crate) fn remove_stale(dir: &Path, keep: &[String]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = name.strip_suffix(".zig").unwrap_or(&name);
        // Private build outputs of a concurrent run (`<name>.<pid>`) are
        // that run's to rename.
        if name.starts_with("snippet-") && !stem.contains('.') && !keep.iter().any(|k| k == stem) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// How long one snippet may run.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// Builds (or reuses) and runs one snippet, comparing its stdout with its
/// text block. Executables are cached under `dir` by a hash of the source,
/// so an unchanged snippet is not rebuilt.
pub(crate) fn check_snippet(
    zig: &Zig, dir: &Path, s: &ZigSnippet, expected: Option<&str>,
) -> Vec<Diagnostic> {
    let version = zig.version();
    let problem =
        |message: String| Diagnostic::new(&s.file, s.line, format!("Zig {version}: {message}"));
    let name = cache_name(s);
    let exe = dir.join(&name);
    if !exe.is_file() {
        let src = dir.join(format!("{name}.zig"));
        if let Err(e) = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&src, &s.source))
        {
            return vec![problem(format!("cannot write {}: {e}", src.display()))];
        }
        // A private output name, renamed into place: test processes and
        // threads that build the same snippet at once never see a
        // half-written file.
        static BUILDS: AtomicUsize = AtomicUsize::new(0);
        let build = BUILDS.fetch_add(1, Ordering::Relaxed);
        let private = dir.join(format!("{name}.{}.{build}", std::process::id()));
        if let Err(e) = zig.build_exe(&src, &private, &BuildOptions::default()) {
            return vec![
                problem("the Zig program does not compile".into()).with_detail(compile_detail(
                    &e.to_string(),
                    &src,
                    s,
                )),
            ];
        }
        if let Err(e) = std::fs::rename(&private, &exe) {
            return vec![problem(format!("cannot move {}: {e}", private.display()))];
        }
    }
    let output = match run_with_timeout(&exe) {
        Ok(o) => o,
        Err(e) => return vec![problem(e)],
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut problems = Vec::new();
    if !output.status.success() {
        problems.push(
            problem(format!("the Zig program failed ({})", output.status))
                .with_detail(String::from_utf8_lossy(&output.stderr).into_owned()),
        );
    }
    match expected {
        Some(expected) if *expected != *stdout => problems.push(
            problem("the Zig program's output differs from the ```text block after it".into())
                .with_detail(diff_output(expected, &stdout)),
        ),
        None if !stdout.is_empty() => problems.push(
            problem("the Zig program prints but no ```text block follows it".into())
                .with_detail(stdout.into_owned()),
        ),
        _ => {}
    }
    problems
}

fn diff_output(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .header("book", "zig run")
        .to_string()
}

/// The compiler's message with the temporary file's locations turned into
/// chapter lines (the program starts on the line after the fence).
fn compile_detail(message: &str, src: &Path, s: &ZigSnippet) -> String {
    let prefix = format!("{}:", src.display());
    message
        .lines()
        .map(|l| match l.strip_prefix(&prefix) {
            Some(rest) => {
                let (line, tail) = rest.split_once(':').unwrap_or((rest, ""));
                match line.parse::<usize>() {
                    Ok(n) => format!("{}:{}:{tail}", s.file.display(), s.line + n),
                    Err(_) => l.to_string(),
                }
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run_with_timeout(exe: &Path) -> Result<std::process::Output, String> {
    let mut child = Command::new(exe)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let finished = child
        .wait_timeout(RUN_TIMEOUT)
        .map_err(|e| format!("cannot wait for {}: {e}", exe.display()))?;
    if finished.is_none() {
        // Only the process this test started.
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "the Zig program ran longer than {RUN_TIMEOUT:?} and was stopped"
        ));
    }
    child
        .wait_with_output()
        .map_err(|e| format!("cannot read the output of {}: {e}", exe.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = "\
<!-- mirror: hello -->
```zig
const std = @import(\"std\");
pub fn main() !void {}
```

```text
hi
```

<!-- mirror: hello -->
```rust
fn main() { println!(\"hi\"); }
```

```text
hello
```
";

    #[test]
    fn mirrors_are_paired_by_name_and_compared() {
        let (programs, _) = groups(Path::new("ch.md"), CHAPTER);
        let declared = mirrors(Path::new("ch.md"), CHAPTER);
        assert_eq!(programs.len(), 1);
        assert_eq!(programs[0].baseline.expected.as_deref(), Some("hi\n"));
        assert_eq!(declared.len(), 2);
        let p: Vec<String> = check_mirrors(&declared)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("ch.md:12: mirror `hello`: the Rust port prints differently from the Zig original at ch.md:2"),
            "{p:?}"
        );
        let same = CHAPTER.replace("hello\n```\n", "hi\n```\n");
        assert!(check_mirrors(&mirrors(Path::new("ch.md"), &same)).is_empty());
    }

    #[test]
    fn a_lone_mirror_is_reported() {
        let one = &CHAPTER[..CHAPTER.find("<!-- mirror: hello -->\n```rust").unwrap()];
        let p: Vec<String> = check_mirrors(&mirrors(Path::new("ch.md"), one))
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            p,
            ["ch.md:2: mirror `hello` needs one zig and one rust block, found: zig at ch.md:2"]
        );
    }

    const PORTED: &str = "\
```zig
base
```

```text
old
```

```zig,zig-0.16.0,zig-0.17.1
port
```

```text
new
```

```text,zig-0.17.1
newer
```
";

    fn problems_of(markdown: &str) -> Vec<String> {
        groups(Path::new("ch.md"), markdown)
            .1
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn each_version_runs_its_port_and_expects_its_output() {
        let (found, problems) = groups(Path::new("ch.md"), PORTED);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found.len(), 1);
        let run = |v: &str| {
            let (p, e) = found[0].effective(v);
            (
                p.source.trim().to_string(),
                e.map(str::trim).map(String::from),
            )
        };
        assert_eq!(run("0.15.1"), ("base".into(), Some("old".into())));
        assert_eq!(run("0.16.0"), ("port".into(), Some("new".into())));
        assert_eq!(run("0.17.1"), ("port".into(), Some("newer".into())));
        // The port belongs to the baseline's group, not a program of its own.
        assert_eq!(found[0].ports.len(), 1);
    }

    #[test]
    fn ill_placed_and_ill_tagged_blocks_are_reported_with_their_line() {
        let orphan = "```zig,zig-0.16.0\nport\n```\n\n```text\nx\n```\n";
        assert_eq!(
            problems_of(orphan),
            ["ch.md:1: a port needs the 0.15.1 program (an untagged ```zig block) before it"]
        );
        let unpinned = PORTED.replace("zig,zig-0.16.0,zig-0.17.1", "zig,zig-0.15.1,zig-0.18.0");
        let p = problems_of(&unpinned);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("ch.md:9: `zig-0.15.1` names no later pinned Zig"),
            "{p:?}"
        );
        assert!(p[1].contains("`zig-0.18.0`"), "{p:?}");
        let twice = format!("{PORTED}\n```zig,zig-0.16.0\nagain\n```\n\n```text\nx\n```\n");
        assert_eq!(
            problems_of(&twice),
            ["ch.md:21: Zig 0.16.0 already has the port at line 9"]
        );
        let silent = PORTED.replace("```text\nnew\n```\n\n```text,zig-0.17.1\nnewer\n```\n", "");
        assert_eq!(
            problems_of(&silent),
            ["ch.md:9: a port needs its own ```text block right after it"]
        );
        let lone_variant = "```zig\nbase\n```\n\n```text,zig-0.17.1\nx\n```\n";
        assert_eq!(
            problems_of(lone_variant),
            ["ch.md:5: an output variant must follow the program's own ```text block"]
        );
    }
}
