//! zigio-tar's integration tests, one binary: archives listed and
//! extracted by GNU tar and read by the `tar` crate (`peers`), and one
//! regression test or more per fixed defect (`regressions`).

mod peers;
mod regressions;
