//! ```` ```zig ```` blocks: complete Zig 0.15.1 programs, built in Debug with
//! the pinned compiler and run; the ```` ```text ```` block right after one
//! is its exact standard output.
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
use std::time::{Duration, Instant};

use pinned_zig::{BuildOptions, Zig};

use crate::markdown::{CodeBlock, code_blocks};
use crate::problem::Problem;

/// A Zig program of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZigSnippet {
    /// The chapter.
    pub file: PathBuf,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The program.
    pub source: String,
    /// The text block right after it, if any: its expected stdout.
    pub expected: Option<String>,
}

/// A block declared as one side of a mirror pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorSide {
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

/// The Zig programs of a chapter, and its mirror declarations by name.
pub fn scan(file: &Path, markdown: &str) -> (Vec<ZigSnippet>, Vec<(String, MirrorSide)>) {
    let blocks = code_blocks(markdown);
    let text_after = |i: usize| {
        blocks
            .get(i + 1)
            .filter(|b| b.follows_previous && language(b) == Some("text"))
            .map(|b| b.content.clone())
    };
    let mut snippets = Vec::new();
    let mut mirrors = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let lang = language(block);
        if lang == Some("zig") {
            snippets.push(ZigSnippet {
                file: file.to_path_buf(),
                line: block.line,
                source: block.content.clone(),
                expected: text_after(i),
            });
        }
        if let Some(name) = mirror_name(block) {
            mirrors.push((
                name,
                MirrorSide {
                    file: file.to_path_buf(),
                    line: block.line,
                    language: lang.unwrap_or("").to_string(),
                    expected: text_after(i),
                },
            ));
        }
    }
    (snippets, mirrors)
}

/// Checks that every mirror name has exactly one Zig and one Rust block,
/// each followed by a text block, and that the two texts are equal.
pub fn check_mirrors(mirrors: &[(String, MirrorSide)]) -> Vec<Problem> {
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
            problems.push(Problem::new(
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
                Problem::new(
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
                        problems.push(Problem::new(
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
pub fn cache_name(s: &ZigSnippet) -> String {
    format!("snippet-{:016x}", fnv(s.source.as_bytes()))
}

/// Removes cached snippets (executables and sources) whose names are not in
/// `keep`: programs that were edited or deleted since they were built.
/// Best effort: a file that cannot be removed only costs disk space.
pub fn remove_stale(dir: &Path, keep: &[String]) {
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
pub fn check_snippet(zig: &Zig, dir: &Path, s: &ZigSnippet) -> Vec<Problem> {
    let problem = |message: String| Problem::new(&s.file, s.line, message);
    let name = cache_name(s);
    let exe = dir.join(&name);
    if !exe.is_file() {
        let src = dir.join(format!("{name}.zig"));
        if let Err(e) = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&src, &s.source))
        {
            return vec![problem(format!("cannot write {}: {e}", src.display()))];
        }
        // A private output name, renamed into place: test processes that
        // build the same snippet at once never see a half-written file.
        let private = dir.join(format!("{name}.{}", std::process::id()));
        if let Err(e) = zig.build_exe(&src, &private, &BuildOptions::default()) {
            return vec![
                problem("the Zig program does not compile with Zig 0.15.1".into())
                    .with_detail(compile_detail(&e.to_string(), &src, s)),
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
    match &s.expected {
        Some(expected) if *expected != stdout => problems.push(
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
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > RUN_TIMEOUT => {
                // Only the process this test started.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the Zig program ran longer than {RUN_TIMEOUT:?} and was stopped"
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for {}: {e}", exe.display())),
        }
    }
    child
        .wait_with_output()
        .map_err(|e| format!("cannot read the output of {}: {e}", exe.display()))
}

/// FNV-1a 64: names cached executables by their source.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
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
        let (snippets, mirrors) = scan(Path::new("ch.md"), CHAPTER);
        assert_eq!(snippets.len(), 1);
        assert_eq!(snippets[0].expected.as_deref(), Some("hi\n"));
        assert_eq!(mirrors.len(), 2);
        let p: Vec<String> = check_mirrors(&mirrors)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("ch.md:12: mirror `hello`: the Rust port prints differently from the Zig original at ch.md:2"),
            "{p:?}"
        );
        let same = CHAPTER.replace("hello\n```\n", "hi\n```\n");
        assert!(check_mirrors(&scan(Path::new("ch.md"), &same).1).is_empty());
    }

    #[test]
    fn a_lone_mirror_is_reported() {
        let one = &CHAPTER[..CHAPTER.find("<!-- mirror: hello -->\n```rust").unwrap()];
        let p: Vec<String> = check_mirrors(&scan(Path::new("ch.md"), one).1)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            p,
            ["ch.md:2: mirror `hello` needs one zig and one rust block, found: zig at ch.md:2"]
        );
    }
}
