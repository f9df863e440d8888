//! The book against the real Zig compilers (installed by `pinned-zig` into
//! `target/zig-<version>`):
//! - every citation of Zig's standard library names lines of 0.15.1 that
//!   exist and hold the symbol it is about ([`citations`]);
//! - every ```` ```zig ```` program, on 0.15.1, 0.16.0 and 0.17.1 (or its
//!   port to that release), builds in Debug, runs, and prints its
//!   ```` ```text ```` block; every declared Rust port of a Zig program
//!   prints the same ([`snippets`]);
//! - the buffer lab's Zig programs print the harness's trace ([`lab`]).

use book_model::summary;

mod changes;
mod citations;
mod lab;
mod snippets;

use std::fs;
use std::path::PathBuf;

use rayon::prelude::*;

use book_model::{Diagnostic, report};

use book_tests::repo_root;

/// The chapters `book/SUMMARY.md` lists, as (path shown in messages, text).
/// A missing chapter is the `book` test's to report.
fn chapters() -> Vec<(PathBuf, String)> {
    let root = repo_root();
    let book = root.join("book");
    let summary = fs::read_to_string(book.join("SUMMARY.md")).expect("read book/SUMMARY.md");
    summary::chapter_links(&summary)
        .into_iter()
        .filter_map(|link| {
            let path = book.join(&link.path);
            let text = fs::read_to_string(&path).ok()?;
            Some((PathBuf::from("book").join(&link.path), text))
        })
        .collect()
}

fn zig() -> pinned_zig::Zig {
    pinned_zig::zig().unwrap_or_else(|e| panic!("{e}"))
}

fn fail_on(problems: Vec<Diagnostic>) {
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn citations_name_lines_that_hold_their_symbol() {
    let std_dir = zig().std_dir();
    let mut source = |path: &str| fs::read_to_string(std_dir.join(path)).ok();
    let mut problems = Vec::new();
    let (mut count, mut with_symbol) = (0, 0);
    for (file, text) in chapters() {
        let found = mdbook_vault::extract_citations(&text).citations;
        count += found.len();
        with_symbol += found
            .iter()
            .filter(|c| {
                c.symbol
                    .as_deref()
                    .and_then(citations::identifier)
                    .is_some()
            })
            .count();
        problems.extend(citations::check_chapter(&file, &text, &mut source));
    }
    println!(
        "{count} citations checked against Zig 0.15.1's lib/std, {with_symbol} of them for the symbol they name"
    );
    fail_on(problems);
}

/// Every Zig program on every pinned version: for each version, the port
/// tagged with it, else the 0.15.1 program, printing its expected output.
#[test]
fn zig_snippets_build_run_and_print_their_text_block_on_every_version() {
    let mut problems = Vec::new();
    let mut mirrors = Vec::new();
    let mut groups = Vec::new();
    for (file, text) in chapters() {
        let (found, misplaced) = snippets::groups(&file, &text);
        groups.extend(found);
        problems.extend(misplaced);
        mirrors.extend(snippets::mirrors(&file, &text));
    }
    let ports: usize = groups.iter().map(|g| g.ports.len()).sum();
    println!(
        "{} Zig programs ({} ports to later versions), {} mirror declarations",
        groups.len(),
        ports,
        mirrors.len()
    );
    for pin in pinned_zig::PINS {
        // What each release costs the suite (building, or reusing cached
        // executables, and running), for the CI budget.
        let started = std::time::Instant::now();
        let zig = pinned_zig::ensure(pin).unwrap_or_else(|e| panic!("{e}"));
        let dir = pinned_zig::workspace_target_dir()
            .join("zig-snippets")
            .join(pin.version);
        let before = problems.len();
        // One build at a time leaves all but one core idle: the compiler
        // works mostly on one thread for programs this small.
        let (keep, found): (Vec<String>, Vec<Vec<Diagnostic>>) = groups
            .par_iter()
            .map(|group| {
                let (program, expected) = group.effective(pin.version);
                let problems = snippets::check_snippet(&zig, &dir, program, expected);
                (snippets::cache_name(program), problems)
            })
            .unzip();
        problems.extend(found.into_iter().flatten());
        let failed = problems[before..]
            .iter()
            .map(|p| (p.file.clone(), p.line))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        println!(
            "Zig {}: {} programs built and run, {} failed, {:.1} s",
            pin.version,
            groups.len(),
            failed,
            started.elapsed().as_secs_f64()
        );
        snippets::remove_stale(&dir, &keep);
    }
    problems.extend(snippets::check_mirrors(&mirrors));
    fail_on(problems);
}

#[test]
fn lab_zig_programs_print_the_harness_trace() {
    let (problems, ran) = lab::check(&zig());
    println!("{ran} lab Zig programs built and run");
    assert!(ran >= 6, "only {ran} lab programs ran");
    fail_on(problems);
}
