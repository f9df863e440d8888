//! zigio-http's integration tests, one binary: bodies read by real HTTP
//! clients (`peers`: hyper, curl and a strict raw parser), bodies over
//! outputs that take a few bytes at a time (`partial`), and one regression
//! test or more per fixed defect (`regressions`). `support` is the test
//! server and its clients; the scripted sink and the other test doubles are
//! `zigio-testkit`'s.

#[cfg(all(feature = "os", unix))]
mod support;

mod partial;
mod peers;
mod regressions;
