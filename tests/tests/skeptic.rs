//! skeptic's tests: one test per ```` ```rust ```` block of every chapter
//! that `book/SUMMARY.md` lists, compiled with its hidden lines and linked
//! against this package's dependencies (`zigio`), then run. `build.rs`
//! generates them; a test is named after its chapter and line, e.g.
//! `introduction_line_12`.

include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));
