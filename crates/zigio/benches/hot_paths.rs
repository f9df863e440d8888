//! Criterion micro-benchmarks of the writer's hot paths, each through the
//! concrete type (`Writer<Discarding>`, `Writer<Allocating>`) and through
//! the non-generic interface (`&mut DynWriter`), so that the cost of the
//! interface shows next to the path itself.
//!
//! - `fitting_write`: `write_all` of 16 bytes that fit (no drain);
//! - `draining_write`: 16-byte `write_all`s through a 4096-byte buffer,
//!   one drain per 256 writes;
//! - `vectored_drain`: 16 + 10,000 bytes, where the 10,000 do not fit and
//!   go to drain together with the buffered bytes (`write_vec_all`);
//! - `splat`: 64 KiB of one byte, `splat_byte_all` vs 4 KiB `write_all`s,
//!   into a discarding and into an allocating writer;
//! - `rebase`: `write_byte_preserve` with a full buffer, keeping the newest
//!   64 bytes.
//!
//! The side-by-side harness (`cargo xtask bench`) compares the same paths
//! with std's `BufWriter` and Zig 0.15.1 on whole workloads.
//!
//! The dyn variants receive the writer through `black_box`, so the compiler
//! cannot see the concrete type and drains really go through the vtable,
//! as when the writer comes from another crate.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use zigio::{Discarding, DynWriter, Sink, WriteFailed, Writer};

const RECORD: &[u8; 16] = b"0123456789abcdef";

/// Runs `f` on the writer as its concrete type and as `&mut DynWriter`.
fn both<S: Sink + 'static>(
    c: &mut Criterion, group: &str, bytes: u64, mut make: impl FnMut() -> Writer<'static, S>,
    f: fn(&mut Writer<'_, S>) -> Result<(), WriteFailed>,
    f_dyn: fn(&mut DynWriter<'static>) -> Result<(), WriteFailed>,
) {
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(bytes));
    let mut w = make();
    g.bench_function(BenchmarkId::new("concrete", bytes), |b| {
        b.iter(|| f(black_box(&mut w)).unwrap())
    });
    let mut w = make();
    g.bench_function(BenchmarkId::new("dyn", bytes), |b| {
        b.iter(|| f_dyn(black_box(w.as_dyn())).unwrap())
    });
    g.finish();
}

/// A discarding writer with an owned 4096-byte buffer.
fn discarding() -> Writer<'static, Discarding> {
    Writer::new(zigio::Buffer::with_capacity(4096), Discarding::default())
}

/// 256 fitting 16-byte writes, then the buffer is emptied without a drain
/// (`consume_all`), so that only the fitting path is measured.
fn fitting<S: Sink + ?Sized>(w: &mut Writer<'_, S>) -> Result<(), WriteFailed> {
    for _ in 0..256 {
        w.write_all(black_box::<&[u8; 16]>(RECORD))?;
    }
    w.consume_all();
    Ok(())
}

/// 4096 16-byte writes through a 4096-byte buffer: 16 drains.
fn draining<S: Sink + ?Sized>(w: &mut Writer<'_, S>) -> Result<(), WriteFailed> {
    for _ in 0..4096 {
        w.write_all(black_box::<&[u8; 16]>(RECORD))?;
    }
    Ok(())
}

static BIG: [u8; 10_000] = [0x5a; 10_000];

/// 16 pairs of 16 + 10,000 bytes: each pair is one drain of the buffered
/// 16 bytes and the 10,000 together.
fn vectored<S: Sink + ?Sized>(w: &mut Writer<'_, S>) -> Result<(), WriteFailed> {
    for _ in 0..16 {
        let mut pair: [&[u8]; 2] = [black_box::<&[u8; 16]>(RECORD), black_box(&BIG)];
        w.write_vec_all(&mut pair)?;
    }
    Ok(())
}

const SPLAT: usize = 64 << 10;

fn splat_one<S: Sink + ?Sized>(w: &mut Writer<'_, S>) -> Result<(), WriteFailed> {
    w.splat_byte_all(0, black_box(SPLAT))
}

fn splat_loop<S: Sink + ?Sized>(w: &mut Writer<'_, S>) -> Result<(), WriteFailed> {
    let block = [0u8; 4096];
    for _ in 0..SPLAT / 4096 {
        w.write_all(black_box::<&[u8; 4096]>(&block))?;
    }
    Ok(())
}

/// 4096 single bytes written with `write_byte_preserve(64, ..)`: once the
/// buffer is full, each byte rebases (drains all but the newest 64).
fn rebase<S: Sink + ?Sized>(w: &mut Writer<'_, S>) -> Result<(), WriteFailed> {
    for i in 0..4096u32 {
        w.write_byte_preserve(64, black_box(i as u8))?;
    }
    Ok(())
}

fn hot_paths(c: &mut Criterion) {
    both(c, "fitting_write", 256 * 16, discarding, fitting, fitting);
    both(
        c,
        "draining_write",
        4096 * 16,
        discarding,
        draining,
        draining,
    );
    both(
        c,
        "vectored_drain",
        16 * 10_016,
        discarding,
        vectored,
        vectored,
    );
    both(
        c,
        "splat/discarding_one_splat",
        SPLAT as u64,
        discarding,
        splat_one,
        splat_one,
    );
    both(
        c,
        "splat/discarding_4k_writes",
        SPLAT as u64,
        discarding,
        splat_loop,
        splat_loop,
    );
    // A fresh allocating writer per iteration: the growth is part of it.
    let mut g = c.benchmark_group("splat/allocating");
    g.throughput(Throughput::Bytes(SPLAT as u64));
    g.bench_function("one_splat", |b| {
        b.iter(|| {
            let mut w = Writer::allocating();
            splat_one(&mut w).unwrap();
            black_box(w.into_vec())
        })
    });
    g.bench_function("4k_writes", |b| {
        b.iter(|| {
            let mut w = Writer::allocating();
            splat_loop(&mut w).unwrap();
            black_box(w.into_vec())
        })
    });
    // The baseline: filling a `Vec` with `resize(n, 0)`.
    #[allow(clippy::slow_vector_initialization)]
    g.bench_function("vec_resize", |b| {
        b.iter(|| {
            let mut v: Vec<u8> = Vec::new();
            v.resize(black_box(SPLAT), 0);
            black_box(v)
        })
    });
    g.finish();
    both(c, "rebase", 4096, discarding, rebase, rebase);
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
