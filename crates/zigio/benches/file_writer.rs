//! Throughput of the file writer against `std::io::BufWriter<File>`, both
//! with a 4096-byte buffer, to `/dev/null` and to a pipe drained by a
//! thread, for the two workloads of `crates/sidebyside/tests/fs_syscalls.rs`:
//! - `small`: 1,000,000 writes of 16 bytes (16 MB per iteration);
//! - `mixed`: pairs of a 16-byte and a 10,000-byte write, 10,000 pairs per
//!   iteration (a tenth of the syscall test's 100,000, to keep a sample
//!   short: 100 MB per iteration).
//!
//! The system calls of the same workloads are counted by sidebyside's
//! `fs_syscalls` test (strace). Run: `cargo bench -p zigio --bench file_writer`.
#![cfg(all(feature = "os", unix))]
// criterion_group!/criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write as _};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use zigio::Writer;

const BUFFER: usize = 4096;
const SMALL_WRITES: usize = 1_000_000;
const MIXED_PAIRS: usize = 10_000;

#[derive(Clone, Copy)]
enum Workload {
    Small,
    Mixed,
}

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::Small => "small_16B_x1e6",
            Workload::Mixed => "mixed_16B+10000B_x1e4",
        }
    }

    fn bytes(self) -> u64 {
        match self {
            Workload::Small => (SMALL_WRITES * 16) as u64,
            Workload::Mixed => (MIXED_PAIRS * 10_016) as u64,
        }
    }
}

/// The workload against any `write_all`.
fn run(workload: Workload, mut write_all: impl FnMut(&[u8])) {
    let small = [0x5au8; 16];
    match workload {
        Workload::Small => {
            for _ in 0..SMALL_WRITES {
                write_all(&small);
            }
        }
        Workload::Mixed => {
            let big = [0xa5u8; 10_000];
            for _ in 0..MIXED_PAIRS {
                write_all(&small);
                write_all(&big);
            }
        }
    }
}

/// A destination: `/dev/null`, or the write end of a pipe whose read end a
/// thread empties until the write end closes.
struct Sink {
    file: File,
    drainer: Option<JoinHandle<u64>>,
}

fn dev_null() -> Sink {
    Sink {
        file: OpenOptions::new().write(true).open("/dev/null").unwrap(),
        drainer: None,
    }
}

fn pipe() -> Sink {
    let (r, w) = rustix::pipe::pipe().unwrap();
    let drainer = thread::spawn(move || {
        let mut r = File::from(r);
        let mut chunk = vec![0u8; 1 << 16];
        let mut total = 0u64;
        loop {
            match r.read(&mut chunk) {
                Ok(0) => return total,
                Ok(n) => total += n as u64,
                Err(e) => panic!("pipe drain failed: {e}"),
            }
        }
    });
    Sink {
        file: File::from(w),
        drainer: Some(drainer),
    }
}

impl Sink {
    fn finish(self) {
        drop(self.file);
        if let Some(d) = self.drainer {
            assert!(d.join().unwrap() > 0);
        }
    }
}

fn bench(c: &mut Criterion) {
    for workload in [Workload::Small, Workload::Mixed] {
        let mut group = c.benchmark_group(workload.name());
        group
            .throughput(Throughput::Bytes(workload.bytes()))
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        for (dest, make) in [("dev_null", dev_null as fn() -> Sink), ("pipe", pipe)] {
            let sink = make();
            group.bench_function(BenchmarkId::new("zigio_FileWriter", dest), |b| {
                let mut storage = [0u8; BUFFER];
                let mut w = Writer::file_streaming(&sink.file, &mut storage);
                b.iter(|| {
                    run(workload, |bytes| w.write_all(bytes).unwrap());
                    w.flush().unwrap();
                });
            });
            group.bench_function(BenchmarkId::new("std_BufWriter", dest), |b| {
                let mut w = BufWriter::with_capacity(BUFFER, &sink.file);
                b.iter(|| {
                    run(workload, |bytes| w.write_all(bytes).unwrap());
                    w.flush().unwrap();
                });
            });
            sink.finish();
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
