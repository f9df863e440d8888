//! Hands every chapter that `book/SUMMARY.md` lists to skeptic, which
//! generates one test per ```` ```rust ```` block (see `tests/skeptic.rs`).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use book_model::summary;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let book = manifest_dir.join("../book");
    let summary_path = book.join("SUMMARY.md");
    // A new chapter always comes with a new SUMMARY.md line; skeptic adds
    // rerun-if-changed lines for the chapters themselves.
    println!("cargo::rerun-if-changed={}", summary_path.display());
    let summary = fs::read_to_string(&summary_path).unwrap_or_default();

    let mut chapters = Vec::new();
    for link in summary::chapter_links(&summary) {
        let path = book.join(&link.path);
        if path.is_file() {
            chapters.push(path);
        } else {
            // Not fatal here: the `book` test reports it with its line, and
            // the other tests still run.
            println!(
                "cargo::warning=book/SUMMARY.md:{}: chapter `{}` does not exist",
                link.line,
                link.path.display()
            );
        }
    }

    if chapters.is_empty() {
        // skeptic writes nothing for an empty list; the test file includes
        // the output regardless.
        let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
        write_if_changed(&out.join("skeptic-tests.rs"), "");
    } else {
        skeptic::generate_doc_tests(&chapters);
    }
}

fn write_if_changed(path: &Path, contents: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(contents) {
        fs::write(path, contents).expect("write skeptic-tests.rs");
    }
}
