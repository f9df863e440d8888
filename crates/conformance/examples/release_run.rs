//! Runs the standard plan against one release: `cargo run -p conformance
//! --example release_run -- 0.16.0`.
use conformance::harness::Harness;
use conformance::rules::Release;
use conformance::suite::{self, STANDARD};

fn main() {
    let version = std::env::args().nth(1).expect("a version");
    let release = *Release::ALL
        .iter()
        .find(|r| r.version() == version)
        .expect("a pinned version");
    let harness = Harness::build_with(release.pin()).unwrap_or_else(|e| panic!("{e}"));
    let report = suite::run_release(
        &harness,
        release,
        &format!("standard-{version}"),
        &STANDARD.scripts(),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    println!("{report}");
    for m in report.mismatches.iter().take(6) {
        println!("{m}\n");
    }
}
