//! Checks of the book as a whole, over every chapter that `book/SUMMARY.md`
//! lists:
//! - every listed chapter exists;
//! - every code block follows the fence policy ([`fences`]);
//! - every Rust snippet, as its copy button copies it, compiles in a fresh
//!   crate, runs, and prints exactly its ```` ```text ```` block
//!   ([`copy_check`]); so do the buffer lab's Rust programs
//!   ([`lab_programs`]).
//!
//! The same checks run against the broken books in `tests/fixtures/`, to show
//! that each kind of mistake fails with its file and line.
//!
//! (skeptic's tests, which compile the snippets with their hidden lines, are
//! in `tests/skeptic.rs`.)

mod copy_check;
mod fences;
mod lab_programs;
mod snippets;

use book_model::summary;

use std::fs;
use std::path::{Path, PathBuf};

use book_model::{Diagnostic, report};
use copy_check::SnippetCrate;

use book_tests::repo_root;

/// A chapter's path for messages and its text.
struct Chapter {
    file: PathBuf,
    markdown: String,
}

/// Reads the chapters that `book_dir/SUMMARY.md` lists; a listed chapter
/// that is missing is a problem at its `SUMMARY.md` line.
fn load_chapters(book_dir: &Path) -> (Vec<Chapter>, Vec<Diagnostic>) {
    let root = repo_root();
    let shown = |path: &Path| path.strip_prefix(&root).unwrap_or(path).to_path_buf();
    let summary_path = book_dir.join("SUMMARY.md");
    let summary = fs::read_to_string(&summary_path)
        .unwrap_or_else(|e| panic!("read {}: {e}", summary_path.display()));
    let mut chapters = Vec::new();
    let mut problems = Vec::new();
    for link in summary::chapter_links(&summary) {
        let path = book_dir.join(&link.path);
        match fs::read_to_string(&path) {
            Ok(markdown) => chapters.push(Chapter {
                file: shown(&path),
                markdown,
            }),
            Err(e) => problems.push(Diagnostic::new(
                &shown(&summary_path),
                link.line,
                format!("chapter `{}` cannot be read: {e}", link.path.display()),
            )),
        }
    }
    (chapters, problems)
}

/// The crates snippets may use, as identifiers.
fn snippet_dependencies() -> Vec<copy_check::Dependency> {
    copy_check::dependencies_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
}

fn fence_problems(chapters: &[Chapter]) -> Vec<Diagnostic> {
    let crates: Vec<String> = snippet_dependencies().into_iter().map(|d| d.name).collect();
    chapters
        .iter()
        .flat_map(|c| fences::check_chapter(&c.file, &c.markdown, &crates))
        .collect()
}

/// Runs the copy check over `chapters` in a generated crate named `name`.
fn copy_problems(chapters: &[Chapter], name: &str) -> Vec<Diagnostic> {
    let snippets: Vec<_> = chapters
        .iter()
        .flat_map(|c| snippets::snippets(&c.file, &c.markdown))
        .collect();
    // Under target/ (CARGO_TARGET_TMPDIR is target/tmp), kept between runs
    // so that cargo only rebuilds the snippets that changed.
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snippets");
    let krate = SnippetCrate {
        dir: work.join(name),
        target_dir: work.join("target"),
        dependencies: snippet_dependencies(),
        lockfile: Some(repo_root().join("Cargo.lock")),
    };
    krate.check(&snippets)
}

fn assert_no_problems(problems: &[Diagnostic]) {
    assert!(problems.is_empty(), "{}", report(problems));
}

#[test]
fn book_summary_lists_only_existing_chapters() {
    let (chapters, problems) = load_chapters(&repo_root().join("book"));
    assert_no_problems(&problems);
    assert!(!chapters.is_empty(), "book/SUMMARY.md lists no chapter");
}

#[test]
fn book_code_blocks_follow_the_fence_policy() {
    let (chapters, _) = load_chapters(&repo_root().join("book"));
    assert_no_problems(&fence_problems(&chapters));
}

#[test]
fn book_snippets_as_copied_compile_run_and_print_their_output() {
    let (chapters, _) = load_chapters(&repo_root().join("book"));
    assert_no_problems(&copy_problems(&chapters, "book"));
}

#[test]
fn lab_programs_as_copied_compile_run_and_print_their_trace() {
    let snippets = lab_programs::snippets(&repo_root());
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snippets");
    let krate = SnippetCrate {
        dir: work.join("lab"),
        target_dir: work.join("target"),
        dependencies: snippet_dependencies(),
        lockfile: Some(repo_root().join("Cargo.lock")),
    };
    println!("{} lab programs", snippets.len());
    assert_no_problems(&krate.check(&snippets));
}

/// Runs every check on `tests/fixtures/<name>` and compares the report with
/// `expected.txt` there: each of its lines must occur in the report, and an
/// empty `expected.txt` means no problem at all.
fn check_fixture(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let (chapters, mut problems) = load_chapters(&dir);
    problems.extend(fence_problems(&chapters));
    problems.extend(copy_problems(&chapters, &format!("fixture-{name}")));
    let got = report(&problems);
    let expected = fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
    if expected.is_empty() {
        assert_no_problems(&problems);
    }
    for line in expected {
        assert!(
            got.contains(line),
            "fixture {name}: expected the report to contain\n  {line}\ngot:\n{got}"
        );
    }
}

#[test]
fn fixture_good_book_passes() {
    check_fixture("good");
}

#[test]
fn fixture_missing_chapter_names_the_summary_line() {
    check_fixture("missing-chapter");
}

#[test]
fn fixture_stale_output_shows_a_diff() {
    check_fixture("stale-output");
}

#[test]
fn fixture_compile_error_names_the_chapter_line() {
    check_fixture("compile-error");
}

#[test]
fn fixture_fence_attributes_are_refused() {
    check_fixture("fence-attributes");
}

#[test]
fn fixture_hidden_main_is_not_copied() {
    check_fixture("hidden-main");
}

#[test]
fn fixture_printing_needs_an_output_block() {
    check_fixture("prints-without-output");
}
