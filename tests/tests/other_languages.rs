//! The book's programs in other languages, run with the real toolchains:
//! every ```` ```cpp ````, ```` ```java ```` and ```` ```js ```` block of a
//! chapter that `book/SUMMARY.md` lists is a complete program, and the
//! ```` ```text ```` block right after it is its exact standard output.
//!
//! - C++: built with `g++ -std=c++17` (Debian `g++`), then run;
//! - Java: compiled with `javac` and run with `java` (Debian
//!   `default-jdk-headless`); the file is named after the block's
//!   `public class`;
//! - JavaScript: run as an ES module with `node` (Debian `nodejs`), so
//!   top-level `await` and the WHATWG Streams globals are available.
//!
//! A block in another language that is not a program (the Go fragment of
//! Comparative Interface Patterns) has no text block after it and is not
//! run; a cpp/java/js block without one is an error, so a program cannot
//! silently go unchecked. A missing toolchain fails the test and names the
//! package to install.

use book_model::summary;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use book_model::code::code_blocks;
use book_model::{Diagnostic, report};

/// A program of a chapter in another language.
struct Program {
    file: PathBuf,
    line: usize,
    language: String,
    source: String,
    expected: Option<String>,
}

use book_tests::repo_root;

const LANGUAGES: &[&str] = &["cpp", "java", "js"];

/// The cpp/java/js blocks of every chapter, each with the text block right
/// after it.
fn programs() -> Vec<Program> {
    let book = repo_root().join("book");
    let summary = fs::read_to_string(book.join("SUMMARY.md")).expect("read book/SUMMARY.md");
    let mut programs = Vec::new();
    for link in summary::chapter_links(&summary) {
        let Ok(text) = fs::read_to_string(book.join(&link.path)) else {
            continue; // the `book` test reports missing chapters
        };
        let blocks = code_blocks(&text);
        for (i, block) in blocks.iter().enumerate() {
            let language = block.tokens().first().copied().unwrap_or("");
            if !LANGUAGES.contains(&language) {
                continue;
            }
            let expected = blocks
                .get(i + 1)
                .filter(|b| b.follows_previous && b.tokens().first() == Some(&"text"))
                .map(|b| b.content.clone());
            programs.push(Program {
                file: PathBuf::from("book").join(&link.path),
                line: block.line,
                language: language.to_string(),
                source: block.content.clone(),
                expected,
            });
        }
    }
    programs
}

/// Runs `command`, or explains which package provides `tool`.
fn output(
    command: &mut Command, tool: &str, package: &str,
) -> Result<std::process::Output, String> {
    command
        .output()
        .map_err(|e| format!("cannot run `{tool}` ({e}): install Debian's `{package}`"))
}

/// Builds (if needed) and runs one program in `dir`; its stdout, or why not.
fn run(p: &Program, dir: &Path) -> Result<String, String> {
    let failed = |what: &str, o: &std::process::Output| {
        format!(
            "{what} failed ({}):\n{}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let out = match p.language.as_str() {
        "cpp" => {
            let src = dir.join("prog.cpp");
            let exe = dir.join("prog");
            fs::write(&src, &p.source).map_err(|e| e.to_string())?;
            let build = output(
                Command::new("g++")
                    .arg("-std=c++17")
                    .arg(&src)
                    .arg("-o")
                    .arg(&exe),
                "g++",
                "g++",
            )?;
            if !build.status.success() {
                return Err(failed("g++", &build));
            }
            output(&mut Command::new(&exe), "the program", "g++")?
        }
        "java" => {
            let class = p
                .source
                .lines()
                .find_map(|l| l.trim().strip_prefix("public class "))
                .and_then(|rest| rest.split_whitespace().next())
                .ok_or("a Java program needs a `public class`")?
                .to_string();
            let src = dir.join(format!("{class}.java"));
            fs::write(&src, &p.source).map_err(|e| e.to_string())?;
            let build = output(
                Command::new("javac").arg("-d").arg(dir).arg(&src),
                "javac",
                "default-jdk-headless",
            )?;
            if !build.status.success() {
                return Err(failed("javac", &build));
            }
            output(
                Command::new("java").arg("-cp").arg(dir).arg(&class),
                "java",
                "default-jdk-headless",
            )?
        }
        "js" => {
            let src = dir.join("prog.mjs");
            fs::write(&src, &p.source).map_err(|e| e.to_string())?;
            output(Command::new("node").arg(&src), "node", "nodejs")?
        }
        other => return Err(format!("no runner for `{other}`")),
    };
    if !out.status.success() {
        return Err(failed("the program", &out));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("output is not UTF-8: {e}"))
}

#[test]
fn cpp_java_and_js_programs_run_and_print_their_text_block() {
    let programs = programs();
    let scratch = tempfile::Builder::new()
        .prefix("book-other-languages-")
        .tempdir()
        .expect("create a temporary directory");
    let mut problems = Vec::new();
    for (i, p) in programs.iter().enumerate() {
        let problem = |message: String| Diagnostic::new(&p.file, p.line, message);
        let Some(expected) = &p.expected else {
            problems.push(problem(format!(
                "a ```{} block is a program and needs a ```text block with its output right after it",
                p.language
            )));
            continue;
        };
        let dir = scratch.path().join(i.to_string());
        if let Err(e) = fs::create_dir_all(&dir) {
            problems.push(problem(format!("cannot create {}: {e}", dir.display())));
            continue;
        }
        match run(p, &dir) {
            Ok(stdout) if stdout == *expected => {}
            Ok(stdout) => problems.push(
                problem(format!(
                    "the {} program's output differs from the ```text block after it",
                    p.language
                ))
                .with_detail(
                    similar::TextDiff::from_lines(expected.as_str(), stdout.as_str())
                        .unified_diff()
                        .header("book", "run")
                        .to_string(),
                ),
            ),
            Err(e) => problems
                .push(problem(format!("the {} program does not run", p.language)).with_detail(e)),
        }
    }
    let _ = scratch.close();
    println!("{} programs in other languages checked", programs.len());
    assert!(problems.is_empty(), "{}", report(&problems));
    assert!(
        LANGUAGES
            .iter()
            .all(|l| programs.iter().any(|p| p.language == *l)),
        "expected at least one program in each of {LANGUAGES:?}"
    );
}
