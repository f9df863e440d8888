//! The cost of the non-generic interface on the path that matters most:
//! 16-byte `write_all`s into a 4096-byte buffer over a discarding sink.
//!
//! Three ways to run the same loop of 4096 writes (64 KiB, 16 drains):
//! - `concrete`: a function that takes `&mut Writer<Discarding>`;
//! - `dyn`: a function that takes `&mut DynWriter`, compiled without
//!   knowing the sink (`#[inline(never)]`, and the reference passes through
//!   `black_box`, so the compiler cannot devirtualize the drains);
//! - `std_bufwriter`: the same loop over `std::io::BufWriter` (capacity
//!   4096) around `std::io::sink()`.
//!
//! Targets: `dyn` within 10% of `concrete`, and at least as fast
//! as `std_bufwriter`. Run:
//! `cargo bench -p zigio --bench small_writes -- --warm-up-time 1 --measurement-time 3`.
//!
//! After criterion's report, the bench prints the ratios from a second,
//! interleaved measurement: many short trials of the three loops in
//! rotating order, keeping each loop's fastest trial. On a shared machine
//! the load changes between criterion's consecutive groups; a short trial
//! that was not preempted is the closest thing to the loop's real cost,
//! and interleaving exposes all three to the same conditions.

// criterion_group!/criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group};
use std::hint::black_box;
use std::io::{BufWriter, Write as _};
use std::time::{Duration, Instant};
use zigio::{Discarding, DynWriter, Writer};

const RECORD: &[u8; 16] = b"0123456789abcdef";
const WRITES: usize = 4096;
const CAPACITY: usize = 4096;

#[inline(never)]
fn concrete(w: &mut Writer<'_, Discarding>) {
    for _ in 0..WRITES {
        w.write_all(black_box(RECORD)).unwrap();
    }
}

#[inline(never)]
fn dynamic(w: &mut DynWriter<'_>) {
    for _ in 0..WRITES {
        w.write_all(black_box(RECORD)).unwrap();
    }
}

#[inline(never)]
fn std_bufwriter(w: &mut BufWriter<std::io::Sink>) {
    for _ in 0..WRITES {
        w.write_all(black_box(RECORD)).unwrap();
    }
}

fn small_writes(c: &mut Criterion) {
    let mut g = c.benchmark_group("write_all_16B_into_4096B");
    g.throughput(Throughput::Bytes((WRITES * RECORD.len()) as u64));

    let mut storage = [0u8; CAPACITY];
    let mut w = Writer::discarding(&mut storage);
    g.bench_function("concrete", |b| b.iter(|| concrete(black_box(&mut w))));
    assert!(w.full_count() > 0);

    let mut storage = [0u8; CAPACITY];
    let mut w = Writer::discarding(&mut storage);
    g.bench_function("dyn", |b| {
        b.iter(|| dynamic(black_box(w.as_dyn())));
    });
    assert!(w.full_count() > 0);

    let mut w = BufWriter::with_capacity(CAPACITY, std::io::sink());
    g.bench_function("std_bufwriter", |b| {
        b.iter(|| std_bufwriter(black_box(&mut w)))
    });
    g.finish();
}

/// The fastest of `trials` rounds of each loop, rounds interleaved.
fn interleaved(trials: usize) -> [Duration; 3] {
    let mut s1 = [0u8; CAPACITY];
    let mut s2 = [0u8; CAPACITY];
    let mut concrete_w = Writer::discarding(&mut s1);
    let mut dyn_w = Writer::discarding(&mut s2);
    let mut std_w = BufWriter::with_capacity(CAPACITY, std::io::sink());
    let mut best = [Duration::MAX; 3];
    for t in 0..trials {
        for k in 0..3 {
            let which = (t + k) % 3;
            let start = Instant::now();
            match which {
                0 => concrete(black_box(&mut concrete_w)),
                1 => dynamic(black_box(dyn_w.as_dyn())),
                _ => std_bufwriter(black_box(&mut std_w)),
            }
            best[which] = best[which].min(start.elapsed());
        }
    }
    best
}

criterion_group!(benches, small_writes);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Only when benchmarking (`cargo bench`), not when `cargo test
    // --benches` runs each bench once as a smoke test.
    if std::env::args().any(|a| a == "--bench") {
        let [c, d, s] = interleaved(3000);
        let per_write = |t: Duration| t.as_secs_f64() * 1e9 / WRITES as f64;
        println!(
            "interleaved, fastest of 3000 trials of {WRITES} writes: \
             concrete {:.2} ns/write, dyn {:.2} ns/write, std_bufwriter {:.2} ns/write; \
             dyn/concrete {:.3}, dyn/std_bufwriter {:.3}",
            per_write(c),
            per_write(d),
            per_write(s),
            d.as_secs_f64() / c.as_secs_f64(),
            d.as_secs_f64() / s.as_secs_f64(),
        );
    }
}
