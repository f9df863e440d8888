//! zigio's integration tests, one binary (as mdBook's testsuite is): the
//! writer and reader against real files, pipes and sockets (`fs_*`,
//! `reader_*`, `readers_real`), the ports of Zig's own tests and
//! observations of Zig 0.15.1 (`zig_*`), the sinks, misuse panics, property
//! and fuzz tests, and one regression test or more per fixed defect
//! (`regressions`). Their shared test doubles are the `zigio-testkit`
//! crate, which the tests of `zigio-http` and `zigio-tar` use too. (The test that counts the file
//! writer's system calls under strace is sidebyside's
//! `tests/fs_syscalls.rs`, next to the runner's strace parser.)

mod fs_send_file;
mod fs_small_writes;
mod fs_writer;
#[cfg(feature = "digest")]
mod hashing;
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
mod zig_observations;
mod zig_writer_tests;
