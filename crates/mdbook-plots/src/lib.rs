//! An mdBook preprocessor that draws the book's measured plots at build time.
//!
//! A chapter line that holds only
//!
//! ```text
//! {{#zigio-plot occupancy}}
//! ```
//!
//! is replaced by an inline SVG figure. The figure is not drawn by hand and
//! not stored: each build runs the experiment through the real `zigio`
//! writers, records it with zigio's `Instrumented` decorator, and plots
//! that trace with plotters' SVG backend. The caption's numbers come from
//! the same trace.
//!
//! # Plots
//! * `occupancy` ([`experiment::Occupancy`]): `buffered().len()` after each
//!   of `writes` `write_all` calls of random sizes into a `buffer`-byte
//!   buffer, over a sink that takes everything and over one that takes
//!   `throttle` bytes per drain; dots mark the writes that drained.
//!   Arguments (all optional, `key=value`): `buffer` (64), `writes` (200),
//!   `seed` (42), `max-write` (48), `throttle` (16).
//!
//! An unknown plot name, an unknown argument or a bad value is an error
//! that names the chapter and line; it fails the build.
//!
//! # Configuration
//! ```toml
//! [preprocessor.zigio-plots]
//! command = "cargo run --quiet --package mdbook-plots --"
//! ```

pub mod directive;
pub mod experiment;
pub mod plot;
pub mod preprocessor;
mod render;

pub use directive::{Directive, DirectiveError};
pub use render::{PLOTS, render};

use std::path::Path;

pub use book_model::Diagnostic;

/// Replaces every plot directive of one chapter by its figure.
///
/// `file` only names the chapter in diagnostics.
///
/// # Errors
/// Every problem in the chapter (malformed or unknown directives, bad
/// arguments, failed experiments), each at its line.
pub fn process_chapter(file: &Path, markdown: &str) -> Result<String, Vec<Diagnostic>> {
    let at = |line: usize, message: String| Diagnostic::new(file, line, message);
    let directives = directive::find(markdown).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| at(e.line, e.message))
            .collect::<Vec<_>>()
    })?;
    let mut out = String::with_capacity(markdown.len());
    let mut copied = 0;
    let mut problems = Vec::new();
    for d in &directives {
        out.push_str(&markdown[copied..d.range.start]);
        match render(d) {
            Ok(html) => out.push_str(&html),
            Err(message) => problems.push(at(d.line, message)),
        }
        copied = d.range.end;
    }
    out.push_str(&markdown[copied..]);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
