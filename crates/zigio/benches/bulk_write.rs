//! A 1 MiB `write_all` into a fixed writer over 1 MiB of storage, against a
//! plain `copy_from_slice` of the same bytes into the same kind of storage.
//!
//! The write fits, so it is the writer's fast path: a bounds check and one
//! copy. Target: at least 80% of the `copy_from_slice`
//! throughput. Run:
//! `cargo bench -p zigio --bench bulk_write -- --warm-up-time 1 --measurement-time 3`.
//!
//! After criterion's report, the bench prints the ratio from an interleaved
//! measurement (fastest of many alternating trials), which is less
//! sensitive to the load of a shared machine than two consecutive groups.

// criterion_group!/criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group};
use std::hint::black_box;
use std::time::{Duration, Instant};
use zigio::Writer;

const SIZE: usize = 1 << 20;

fn bulk_write(c: &mut Criterion) {
    let source: Vec<u8> = (0..SIZE).map(|i| (i * 31 + i / 4096) as u8).collect();
    let mut g = c.benchmark_group("write_all_1MiB_fixed");
    g.throughput(Throughput::Bytes(SIZE as u64));

    let mut storage = vec![0u8; SIZE];
    g.bench_function("copy_from_slice", |b| {
        b.iter(|| {
            black_box(&mut storage[..]).copy_from_slice(black_box(&source));
        })
    });
    assert_eq!(storage, source);

    let mut storage = vec![0u8; SIZE];
    let mut w = Writer::fixed(&mut storage[..]);
    g.bench_function("fixed_write_all", |b| {
        b.iter(|| {
            let w = black_box(&mut w);
            // Empty the buffer without a drain: the fixed writer's storage
            // is its destination, so this is "start over".
            w.consume_all();
            w.write_all(black_box(&source)).unwrap();
        })
    });
    assert_eq!(w.buffered(), &source[..]);
    g.finish();
}

/// The fastest of `trials` alternating rounds of `copy_from_slice` and the
/// fixed writer's `write_all`.
fn interleaved(trials: usize) -> [Duration; 2] {
    let source = vec![0x5au8; SIZE];
    let mut plain = vec![0u8; SIZE];
    let mut storage = vec![0u8; SIZE];
    let mut w = Writer::fixed(&mut storage[..]);
    let mut best = [Duration::MAX; 2];
    for t in 0..trials {
        for k in 0..2 {
            let which = (t + k) % 2;
            let start = Instant::now();
            if which == 0 {
                black_box(&mut plain[..]).copy_from_slice(black_box(&source));
            } else {
                let w = black_box(&mut w);
                w.consume_all();
                w.write_all(black_box(&source)).unwrap();
            }
            best[which] = best[which].min(start.elapsed());
        }
    }
    best
}

criterion_group!(benches, bulk_write);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Only when benchmarking, not in `cargo test --benches` smoke runs.
    if std::env::args().any(|a| a == "--bench") {
        let [copy, write] = interleaved(500);
        let gib = |t: Duration| SIZE as f64 / t.as_secs_f64() / (1u64 << 30) as f64;
        println!(
            "interleaved, fastest of 500 trials of 1 MiB: copy_from_slice {:.1} GiB/s, \
             fixed write_all {:.1} GiB/s; write_all/copy throughput {:.3}",
            gib(copy),
            gib(write),
            copy.as_secs_f64() / write.as_secs_f64(),
        );
    }
}
