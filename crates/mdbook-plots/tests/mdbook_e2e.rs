//! End to end through the real `mdbook` v0.5.4 binary: the preprocessor
//! protocol, the figure in the rendered HTML, and a bad directive failing
//! the build with its chapter and line.
//!
//! They need `mdbook` v0.5.4, found through `$MDBOOK`, `PATH` or
//! `~/.cargo/bin`; `cargo xtask setup` installs it (every `cargo xtask`
//! command that tests does so first).

use std::fs;

use book_model::mdbook::ScratchBook;

/// A one-chapter book in a fresh temporary directory, configured as the
/// project's book.toml configures the preprocessor (but with the built
/// binary as the command).
fn book(name: &str, chapter: &str) -> ScratchBook {
    let toml = format!(
        "[preprocessor.zigio-plots]\ncommand = \"{}\"\n",
        env!("CARGO_BIN_EXE_mdbook-plots")
    );
    ScratchBook::new(
        &format!("mdbook-plots-e2e-{name}-"),
        &toml,
        &[("page.md", "Page", chapter)],
    )
}

#[test]
fn the_rendered_page_holds_the_figure() {
    let book = book(
        "ok",
        "# Page\n\nBefore.\n\n{{#zigio-plot occupancy writes=40}}\n\nAfter.\n",
    );
    let out = book.build();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = fs::read_to_string(book.root().join("out/page.html")).unwrap();
    let figure = &html[html.find("<figure class=\"zigio-plot\">").expect("figure")..];
    let figure = &figure[..figure.find("</figure>").expect("end of figure")];
    assert!(figure.contains("<svg "));
    assert!(figure.contains("40 <code>write_all</code> calls"));
    assert!(!html.contains("{{#zigio-plot"));
    // The paragraph after the figure is still Markdown, not swallowed by
    // the HTML block.
    assert!(html.contains("<p>After.</p>"));
}

#[test]
fn an_unknown_plot_fails_the_build_naming_chapter_and_line() {
    let out = book("bad", "# Page\n\n{{#zigio-plot histogram}}\n").build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the build passed:\n{stderr}");
    assert!(
        stderr.contains("book/page.md:3: unknown plot `histogram`"),
        "{stderr}"
    );
}
