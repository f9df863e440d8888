//! zigio's integration tests, one binary (as mdBook's testsuite is): the
//! writer and reader against real files, pipes, sockets and peers (`fs_*`,
//! `reader_*`, `readers_real`, `http_*`, `tar_peers`), the ports of Zig's own
//! tests and observations of Zig 0.15.1 (`zig_*`), the sinks, misuse panics,
//! property and fuzz tests, and one regression test or more per fixed
//! defect (`regressions`). `common` and `http_support` are their shared
//! helpers. (`tests/fs_syscalls.rs`, which counts system calls under
//! strace, is a program of its own.)

mod common;
#[cfg(all(feature = "os", unix))]
mod http_support;

mod fs_send_file;
mod fs_small_writes;
mod fs_writer;
mod http_partial;
mod http_peers;
mod misuse;
mod properties;
mod reader_delimiter;
mod reader_file;
mod reader_fixed;
mod reader_io;
mod readers_real;
mod rebase_on_error;
mod regressions;
mod retry_fuzz;
mod sinks;
mod tar_peers;
mod zig_observations;
mod zig_writer_tests;
