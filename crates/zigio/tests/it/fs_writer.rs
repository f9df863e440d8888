//! The file writer against real peers: a regular file, a pipe, a TCP socket
//! on 127.0.0.1, `/dev/full`, a closed pipe and a full non-blocking pipe.
//! Output is compared byte for byte with what an allocating writer produces
//! from the same operations; errors are checked through the kept OS error.
#![cfg(all(feature = "os", unix))]

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write as _};
use std::os::fd::OwnedFd;
use zigio::fs::Mode;
use zigio::{Buffer, DynWriter, WriteFailed, Writer};
use zigio_testkit::{self, pipe, read_to_end_in_thread};

/// A mix of every kind of write: small writes that stay buffered, writes
/// larger than the buffer, vectors, splats of one and many bytes, formatted
/// text. Returns nothing; the bytes are the result.
fn workload(w: &mut DynWriter<'_>) -> Result<(), WriteFailed> {
    for i in 0..2000u32 {
        w.write_all(&i.to_le_bytes())?;
        if i % 97 == 0 {
            w.write_all(&pattern(10_000 + i as usize))?;
        }
        if i % 131 == 0 {
            w.write_vec_all(&mut [b"vec:", &pattern(300), b";"])?;
        }
        if i % 173 == 0 {
            w.splat_byte_all(b'z', 5000)?;
            w.splat_bytes_all(b"ab", 3001)?;
        }
        if i % 211 == 0 {
            w.print(format_args!("line {i} of {}\n", 2000))?;
        }
    }
    Ok(())
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + i / 251) as u8).collect()
}

fn expected() -> Vec<u8> {
    let mut w = Writer::allocating();
    workload(&mut w).unwrap();
    w.into_vec()
}

#[test]
fn regular_file_positional_is_byte_exact_and_truncated_by_finish() {
    let tmp = tempfile::NamedTempFile::new().unwrap();
    let want = expected();
    // Longer junk first: `finish` must cut it at the written position.
    std::fs::write(tmp.path(), vec![b'#'; want.len() + 12345]).unwrap();
    let file = OpenOptions::new().write(true).open(tmp.path()).unwrap();
    let mut buf = [0u8; 4096];
    let mut w = Writer::file(&file, &mut buf);
    workload(&mut w).unwrap();
    w.finish().unwrap();
    assert_eq!(w.sink.mode(), Mode::Positional);
    assert_eq!(w.sink.pos(), want.len() as u64);
    assert!(w.sink.err.is_none());
    // pwritev leaves the descriptor's own offset alone.
    assert_eq!(
        rustix::fs::seek(&file, rustix::fs::SeekFrom::Current(0)).unwrap(),
        0
    );
    assert!(std::fs::read(tmp.path()).unwrap() == want);
}

#[test]
fn wide_splats_are_byte_exact() {
    // A one-byte splat longer than gather's block goes through the writer's
    // spare capacity (Zig's splat buffer); bytes around it stay in order.
    let tmp = tempfile::NamedTempFile::new().unwrap();
    let file = tmp.reopen().unwrap();
    let mut buf = [0u8; 4096];
    let mut w = Writer::file(&file, &mut buf);
    let mut want = Vec::new();
    for (i, n) in [300usize, 4096, 5000, 70_000, 1 << 20]
        .into_iter()
        .enumerate()
    {
        let head = pattern(100 + i * 1000);
        w.write_all(&head).unwrap();
        w.splat_byte_all(i as u8 + 1, n).unwrap();
        w.write_splat_all(&mut [b"<", b"x"], n).unwrap();
        want.extend_from_slice(&head);
        want.extend(std::iter::repeat_n(i as u8 + 1, n));
        want.push(b'<');
        want.extend(std::iter::repeat_n(b'x', n));
    }
    w.finish().unwrap();
    assert!(std::fs::read(tmp.path()).unwrap() == want);
}

#[test]
fn regular_file_streaming_moves_the_offset() {
    let tmp = tempfile::NamedTempFile::new().unwrap();
    let want = expected();
    let file = tmp.reopen().unwrap();
    let mut buf = vec![0u8; 1000];
    let mut w = Writer::file_streaming(&file, &mut buf[..]);
    workload(&mut w).unwrap();
    w.finish().unwrap();
    assert_eq!(w.sink.mode(), Mode::Streaming);
    assert_eq!(
        rustix::fs::seek(&file, rustix::fs::SeekFrom::Current(0)).unwrap(),
        want.len() as u64
    );
    assert!(std::fs::read(tmp.path()).unwrap() == want);
}

#[test]
fn seek_to_flushes_first() {
    let tmp = tempfile::NamedTempFile::new().unwrap();
    let file = tmp.reopen().unwrap();
    let mut buf = [0u8; 64];
    let mut w = Writer::file(&file, &mut buf);
    w.write_all(b"hello").unwrap();
    assert_eq!(w.logical_pos(), 5);
    w.seek_to(0).unwrap();
    w.write_all(b"J").unwrap();
    w.seek_to(5).unwrap();
    w.write_all(b"!").unwrap();
    w.finish().unwrap();
    assert_eq!(std::fs::read(tmp.path()).unwrap(), b"Jello!");
}

#[test]
fn positional_writer_on_a_pipe_falls_back_to_streaming() {
    let (r, wr) = pipe();
    let reader = read_to_end_in_thread(r);
    let want = expected();
    let mut buf = [0u8; 4096];
    let mut w = Writer::file(&wr, &mut buf);
    assert_eq!(w.sink.mode(), Mode::Positional);
    workload(&mut w).unwrap();
    w.flush().unwrap();
    assert_eq!(w.sink.mode(), Mode::Streaming, "ESPIPE switched it");
    assert!(w.sink.err.is_none(), "the fallback is not an error");
    assert_eq!(w.sink.pos(), want.len() as u64);
    drop(w);
    drop(wr);
    assert!(reader.join().unwrap() == want);
}

#[test]
fn tcp_socket_on_loopback_is_byte_exact() {
    let (stream, peer) = zigio_testkit::loopback_peer();
    let want = expected();
    let mut buf = [0u8; 4096];
    let mut w = Writer::file(&stream, &mut buf);
    workload(&mut w).unwrap();
    w.flush().unwrap();
    assert_eq!(w.sink.mode(), Mode::Streaming);
    drop(w);
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    assert!(peer.join().unwrap() == want);
}

#[test]
fn dev_full_reports_enospc_and_claims_nothing_unwritten() {
    let full = OpenOptions::new().write(true).open("/dev/full").unwrap();
    let mut buf = [0u8; 4096];
    let mut w = Writer::file(&full, &mut buf);
    let a = pattern(3000);
    w.write_all(&a).unwrap();
    assert_eq!(w.end(), 3000, "fits: buffered, no system call yet");
    // Does not fit: one pwritev of 3000 buffered + 3000 new bytes fails.
    assert_eq!(w.write(&pattern(3000)), Err(WriteFailed));
    let err = w.sink.err.take().expect("the OS error is kept");
    assert_eq!(
        err.raw_os_error(),
        Some(rustix::io::Errno::NOSPC.raw_os_error())
    );
    assert_eq!(err.kind(), ErrorKind::StorageFull);
    assert_eq!(w.sink.pos(), 0, "nothing was written");
    assert_eq!(w.buffered(), &a[..], "the buffered bytes are still there");
    assert_eq!(w.flush(), Err(WriteFailed));
    assert_eq!(w.buffered(), &a[..]);
    assert!(w.sink.err.is_some());
}

#[test]
fn closed_pipe_reports_epipe() {
    // Rust's runtime ignores SIGPIPE in every executable, the test harness
    // included; otherwise this process would die at the first write.
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let ignored = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .map(|hex| u64::from_str_radix(hex.trim(), 16).unwrap())
        .unwrap();
    assert_ne!(ignored & (1 << (13 - 1)), 0, "SIGPIPE (13) must be ignored");

    let (r, wr) = pipe();
    drop(r);
    let mut buf = [0u8; 16];
    let mut w = Writer::file_streaming(&wr, &mut buf);
    w.write_all(b"0123456789").unwrap();
    assert_eq!(w.flush(), Err(WriteFailed));
    let err = w.sink.err.as_ref().unwrap();
    assert_eq!(err.kind(), ErrorKind::BrokenPipe);
    assert_eq!(w.buffered(), b"0123456789");
    assert_eq!(w.sink.pos(), 0);
}

/// Reads whatever the non-blocking pipe holds, until `EAGAIN`.
fn read_available(r: &OwnedFd, into: &mut Vec<u8>) {
    let mut chunk = [0u8; 8192];
    loop {
        match rustix::io::read(r, &mut chunk) {
            Ok(0) => return,
            Ok(n) => into.extend_from_slice(&chunk[..n]),
            Err(rustix::io::Errno::AGAIN) => return,
            Err(e) => panic!("read from the pipe failed: {e}"),
        }
    }
}

#[test]
fn full_nonblocking_pipe_keeps_eagain_and_the_accounting() {
    let (r, wr) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::NONBLOCK).unwrap();
    let data = pattern(1 << 20);
    let mut buf = [0u8; 4096];
    let mut w = Writer::file_streaming(&wr, &mut buf);
    let mut accepted = 0;
    let mut got = Vec::new();
    let mut eagain_seen = 0;
    // Write 1000-byte pieces; each time the pipe fills, check the books,
    // then let the reader take some and go on.
    while accepted < data.len() {
        let piece = &data[accepted..(accepted + 1000).min(data.len())];
        match w.write(piece) {
            Ok(n) => accepted += n,
            Err(WriteFailed) => {
                let err = w.sink.err.take().expect("kept");
                assert_eq!(err.kind(), ErrorKind::WouldBlock);
                eagain_seen += 1;
                read_available(&r, &mut got);
                // What the writer reported written is in the pipe, exactly;
                // what it accepted and did not write is still buffered.
                assert_eq!(got.len() as u64, w.sink.pos());
                assert_eq!(got.len() + w.end(), accepted);
                assert!(got[..] == data[..got.len()]);
                assert!(w.buffered() == &data[got.len()..accepted]);
            }
        }
    }
    loop {
        match w.flush() {
            Ok(()) => break,
            Err(WriteFailed) => {
                assert_eq!(w.sink.err.take().unwrap().kind(), ErrorKind::WouldBlock);
                read_available(&r, &mut got);
            }
        }
    }
    read_available(&r, &mut got);
    assert!(eagain_seen > 0, "1 MiB into a 64 KiB pipe must fill it");
    assert_eq!(got.len(), data.len());
    assert!(got == data);
}

#[test]
fn owned_handles_close_on_drop() {
    let (r, wr) = pipe();
    let reader = read_to_end_in_thread(r);
    // An owned buffer of 128 bytes, nothing buffered yet.
    let mut w = Writer::file_streaming(wr, Buffer::with_capacity(128));
    assert_eq!(w.end(), 0);
    w.write_all(b"owned").unwrap();
    w.flush().unwrap();
    drop(w); // closes the write end: the reader sees end of stream
    assert_eq!(reader.join().unwrap(), b"owned");
}

#[test]
fn stdout_like_streaming_writer_through_io_write() {
    let (r, wr) = pipe();
    let reader = read_to_end_in_thread(r);
    {
        let mut buf = [0u8; 32];
        let mut w = Writer::file_streaming(&wr, &mut buf);
        writeln!(w, "{} + {} = {}", 2, 2, 4).unwrap();
        std::io::Write::flush(&mut w).unwrap();
    }
    drop(wr);
    assert_eq!(reader.join().unwrap(), b"2 + 2 = 4\n");
}
