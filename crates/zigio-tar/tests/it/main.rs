//! zigio-tar's integration tests, one binary: archives listed and
//! extracted by GNU tar and read by the `tar` crate (`peers`), and one
//! regression test or more per fixed defect (`regressions`).

// zigio's test helpers (temporary files and the noise generator among
// them), included rather than copied: one definition for all the crates.
#[path = "../../../zigio/tests/it/common/mod.rs"]
mod common;

mod peers;
mod regressions;
