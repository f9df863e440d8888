//! An mdBook preprocessor that draws the book's diagrams when the book is
//! built, so that no page has to load mermaid (about 2.7 MB of script) to
//! show a handful of static drawings.
//!
//! It runs after mdbook-mermaid, which turns each ```` ```mermaid ```` block
//! into `<pre class="mermaid">source</pre>` for mermaid to draw in the
//! browser. This preprocessor draws those blocks with mermaid itself (the
//! `mermaid.min.js` that `cargo xtask setup` writes into the book's sources)
//! in headless Chromium, once in mermaid's `default` theme and once in its
//! `dark` theme, and writes both drawings into the page:
//!
//! ```html
//! <pre class="mermaid" data-mermaid-drawn="default"><svg id="mermaid-…-default">…</svg
//! ><template data-mermaid-theme="dark"><svg id="mermaid-…-dark">…</svg></template></pre>
//! ```
//!
//! The book's mermaid loader (`assets/mermaid-loader.js`) then only swaps
//! the two as the reader changes mdBook's theme. Drawings are cached under
//! the build directory's parent (`target/diagrams/`), named by a hash of
//! mermaid's script and the diagram's source, so a rebuild draws only what
//! changed.
//!
//! Without Chromium or `mermaid.min.js` the blocks are left as they are (the
//! browser draws them, as under `mdbook serve` before set-up) and a warning
//! says why; with `MDBOOK_DIAGRAMS_REQUIRE=1` in the environment, as
//! `cargo xtask` and the browser tests set it, that is an error. A diagram
//! mermaid cannot draw is always an error naming its chapter and line.
//!
//! # Configuration
//! ```toml
//! [preprocessor.diagrams]
//! command = "cargo run --quiet --package mdbook-diagrams --"
//! after = ["mermaid"]
//! ```

pub mod blocks;
pub mod chromium;
pub mod preprocessor;

/// mermaid's themes the diagrams are drawn in: `default` under mdBook's light
/// themes, `dark` under its dark ones. The first is the one in the page.
pub const THEMES: [&str; 2] = ["default", "dark"];

/// A diagram drawn in each of [`THEMES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    /// The SVG for each theme, in the order of [`THEMES`].
    pub svgs: [String; 2],
}

impl Drawing {
    /// The HTML that replaces the diagram's `<pre class="mermaid">` block:
    /// the first theme's drawing in the `<pre>`, the other in a
    /// `<template>` (inert, and its ids are not in the document).
    pub fn html(&self) -> String {
        let [shown, other] = &self.svgs;
        format!(
            "<pre class=\"mermaid\" data-mermaid-drawn=\"{}\">{shown}<template data-mermaid-theme=\"{}\">{other}</template></pre>",
            THEMES[0], THEMES[1]
        )
    }
}
