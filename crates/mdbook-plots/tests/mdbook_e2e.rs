//! End to end through the real `mdbook` v0.5.4 binary: the preprocessor
//! protocol, the figure in the rendered HTML, and a bad directive failing
//! the build with its chapter and line.
//!
//! They need `mdbook` v0.5.4, found through `$MDBOOK`, `PATH` or
//! `~/.cargo/bin`; `cargo xtask setup` installs it (every `cargo xtask`
//! command that tests does so first).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mdbook() -> PathBuf {
    book_model::mdbook::find().unwrap_or_else(|e| panic!("{e}"))
}

/// A one-chapter book at a fresh temporary directory, configured as the
/// project's book.toml configures the preprocessor (but with the built
/// binary as the command).
fn book(name: &str, chapter: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("mdbook-plots-e2e-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("book")).unwrap();
    let toml = format!(
        "[book]\ntitle = \"e2e\"\nsrc = \"book\"\n\n[build]\nbuild-dir = \"out\"\n\n\
         [preprocessor.zigio-plots]\ncommand = \"{}\"\n",
        env!("CARGO_BIN_EXE_mdbook-plots")
    );
    fs::write(root.join("book.toml"), toml).unwrap();
    fs::write(
        root.join("book/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n",
    )
    .unwrap();
    fs::write(root.join("book/page.md"), chapter).unwrap();
    root
}

fn build(root: &Path) -> Output {
    Command::new(mdbook())
        .arg("build")
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn the_rendered_page_holds_the_figure() {
    let root = book(
        "ok",
        "# Page\n\nBefore.\n\n{{#zigio-plot occupancy writes=40}}\n\nAfter.\n",
    );
    let out = build(&root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = fs::read_to_string(root.join("out/page.html")).unwrap();
    let figure = &html[html.find("<figure class=\"zigio-plot\">").expect("figure")..];
    let figure = &figure[..figure.find("</figure>").expect("end of figure")];
    assert!(figure.contains("<svg "));
    assert!(figure.contains("40 <code>write_all</code> calls"));
    assert!(!html.contains("{{#zigio-plot"));
    // The paragraph after the figure is still Markdown, not swallowed by
    // the HTML block.
    assert!(html.contains("<p>After.</p>"));
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn an_unknown_plot_fails_the_build_naming_chapter_and_line() {
    let root = book("bad", "# Page\n\n{{#zigio-plot histogram}}\n");
    let out = build(&root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the build passed:\n{stderr}");
    assert!(
        stderr.contains("book/page.md:3: unknown plot `histogram`"),
        "{stderr}"
    );
    fs::remove_dir_all(&root).unwrap();
}
