//! File readers over real sources whose size says little: a pipe (no
//! size), a `/proc` file (size 0, with content), a `/sys` file (size 4096,
//! a few bytes), a file that grows after its size was taken, and a plain
//! file, each through every way out of a reader: `stream_remaining` and
//! `send_file_all` into allocating, discarding, hashed, `std::io::Write`,
//! pipe and file writers, `discard_remaining`, and `std::io::Read`. Readers
//! are positional and streaming, with buffers of 0, 7 and 4096 bytes, after
//! a `seek_to` or a `peek` or neither. Every path must deliver the source's
//! bytes from the reader's position, each once.
#![cfg(all(feature = "os", unix, feature = "digest"))]

use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use zigio::fs::FileReader;
use zigio::{Buffer, Limit, ReadBuffer, Reader, Writer};

const PROC_FILE: &str = "/proc/self/mountinfo";
/// `/sys` files that report 4096 bytes and hold a few; the first that
/// exists is used.
const SYS_FILES: [&str; 3] = [
    "/sys/kernel/mm/transparent_hugepage/enabled",
    "/sys/power/state",
    "/sys/kernel/profiling",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Pipe,
    Proc,
    Sys,
    Growing,
    Plain,
}

/// An open source and what a reader of it must deliver from offset 0: at
/// least `min` bytes, and a prefix of `all`.
struct Opened {
    fd: OwnedFd,
    all: Vec<u8>,
    min: usize,
    tmp: Option<tempfile::NamedTempFile>,
}

fn sys_file() -> &'static str {
    SYS_FILES
        .into_iter()
        .find(|p| std::fs::read(p).is_ok_and(|c| !c.is_empty()))
        .expect("these tests need a readable /sys file (looked for the ones in SYS_FILES)")
}

fn content(len: usize, salt: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31) ^ salt)
        .collect()
}

fn open(kind: Kind) -> Opened {
    match kind {
        Kind::Pipe => {
            let all = content(3000, 1);
            Opened {
                fd: zigio_testkit::pipe_holding(&all).into(),
                min: all.len(),
                all,
                tmp: None,
            }
        }
        Kind::Proc | Kind::Sys => {
            let path = if kind == Kind::Proc {
                PROC_FILE
            } else {
                sys_file()
            };
            let all = std::fs::read(path).unwrap();
            Opened {
                fd: File::open(path).unwrap().into(),
                min: all.len(),
                all,
                tmp: None,
            }
        }
        Kind::Growing | Kind::Plain => {
            let first = content(5000, 2);
            let tmp = zigio_testkit::temp_file(&first);
            Opened {
                fd: File::open(tmp.path()).unwrap().into(),
                min: first.len(),
                all: first,
                tmp: Some(tmp),
            }
        }
    }
}

/// Grows the file of a `Growing` source after its size was taken.
fn grow(tmp: &tempfile::NamedTempFile, all: &mut Vec<u8>) {
    let more = content(700, 3);
    OpenOptions::new()
        .append(true)
        .open(tmp.path())
        .unwrap()
        .write_all(&more)
        .unwrap();
    all.extend_from_slice(&more);
}

#[derive(Debug, Clone, Copy)]
enum Path {
    StreamAllocating,
    StreamDiscarding,
    StreamHashed,
    StreamPipe,
    StreamFile,
    SendAllocating,
    SendDiscarding,
    SendHashed,
    SendIo,
    SendPipe,
    SendFile,
    SendFileStreaming,
    Discard,
    IoRead,
}

const PATHS: [Path; 14] = [
    Path::StreamAllocating,
    Path::StreamDiscarding,
    Path::StreamHashed,
    Path::StreamPipe,
    Path::StreamFile,
    Path::SendAllocating,
    Path::SendDiscarding,
    Path::SendHashed,
    Path::SendIo,
    Path::SendPipe,
    Path::SendFile,
    Path::SendFileStreaming,
    Path::Discard,
    Path::IoRead,
];

/// What a path delivered: the bytes (or, for counting paths, their number
/// and a digest when known), and the count it reported.
struct Delivered {
    bytes: Option<Vec<u8>>,
    len: usize,
    reported: usize,
}

fn read_pipe(pr: OwnedFd) -> Vec<u8> {
    let mut v = Vec::new();
    File::from(pr).read_to_end(&mut v).unwrap();
    v
}

fn run(path: Path, r: &mut FileReader<'_, '_>) -> Delivered {
    let full = |bytes: Vec<u8>, reported: usize| Delivered {
        len: bytes.len(),
        bytes: Some(bytes),
        reported,
    };
    match path {
        Path::StreamAllocating | Path::SendAllocating => {
            let mut w = Writer::allocating();
            let n = match path {
                Path::StreamAllocating => r.stream_remaining(&mut w).unwrap(),
                _ => w.send_file_all(r, Limit::UNLIMITED).unwrap(),
            };
            full(w.into_vec(), n)
        }
        Path::StreamDiscarding | Path::SendDiscarding => {
            let mut storage = [0u8; 5];
            let mut w = Writer::discarding(&mut storage[..]);
            let n = match path {
                Path::StreamDiscarding => r.stream_remaining(&mut w).unwrap(),
                _ => w.send_file_all(r, Limit::UNLIMITED).unwrap(),
            };
            Delivered {
                bytes: None,
                len: w.full_count() as usize,
                reported: n,
            }
        }
        Path::StreamHashed | Path::SendHashed => {
            let mut down = Writer::allocating();
            let mut storage = [0u8; 64];
            let mut h = Writer::hashed(&mut down, Sha256::new(), &mut storage[..]);
            let n = match path {
                Path::StreamHashed => r.stream_remaining(&mut h).unwrap(),
                _ => h.send_file_all(r, Limit::UNLIMITED).unwrap(),
            };
            h.flush().unwrap();
            let digest = h.sink.hasher.clone().finalize();
            let bytes = down.into_vec();
            assert_eq!(
                digest,
                Sha256::digest(&bytes),
                "the digest is of the output"
            );
            full(bytes, n)
        }
        Path::SendIo => {
            let mut storage = [0u8; 100];
            let mut w = Writer::from_io(Vec::new(), &mut storage[..]);
            let n = w.send_file_all(r, Limit::UNLIMITED).unwrap();
            w.flush().unwrap();
            full(w.sink.inner, n)
        }
        Path::StreamPipe | Path::SendPipe => {
            let (pr, pw) = rustix::pipe::pipe().unwrap();
            rustix::pipe::fcntl_setpipe_size(&pw, 1 << 16).unwrap();
            let mut storage = [0u8; 32];
            let mut w = Writer::file_streaming(&pw, &mut storage[..]);
            let n = match path {
                Path::StreamPipe => r.stream_remaining(&mut w).unwrap(),
                _ => w.send_file_all(r, Limit::UNLIMITED).unwrap(),
            };
            w.flush().unwrap();
            drop(w);
            drop(pw);
            full(read_pipe(pr), n)
        }
        Path::StreamFile | Path::SendFile | Path::SendFileStreaming => {
            let out = tempfile::NamedTempFile::new().unwrap();
            let file = out.reopen().unwrap();
            let mut storage = [0u8; 32];
            let mut w = match path {
                Path::SendFileStreaming => Writer::file_streaming(&file, &mut storage[..]),
                _ => Writer::file(&file, &mut storage[..]),
            };
            let n = match path {
                Path::StreamFile => r.stream_remaining(&mut w).unwrap(),
                _ => w.send_file_all(r, Limit::UNLIMITED).unwrap(),
            };
            w.finish().unwrap();
            full(std::fs::read(out.path()).unwrap(), n)
        }
        Path::Discard => {
            let n = r.discard_remaining().unwrap();
            Delivered {
                bytes: None,
                len: n,
                reported: n,
            }
        }
        Path::IoRead => {
            let mut v = Vec::new();
            let n = r.adapt_to_io().read_to_end(&mut v).unwrap();
            full(v, n)
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Before {
    Nothing,
    Seek(u64),
    Peek(usize),
}

#[test]
fn every_path_out_of_a_reader_delivers_the_source() {
    let mut cases = 0;
    for kind in [
        Kind::Pipe,
        Kind::Proc,
        Kind::Sys,
        Kind::Growing,
        Kind::Plain,
    ] {
        for streaming in [false, true] {
            for capacity in [0usize, 7, 4096] {
                for before in [Before::Nothing, Before::Seek(3), Before::Peek(2)] {
                    if matches!(before, Before::Peek(_)) && capacity == 0 {
                        continue;
                    }
                    for path in PATHS {
                        let case = format!(
                            "{kind:?}, {}, buffer {capacity}, {before:?}, {path:?}",
                            if streaming { "streaming" } else { "positional" }
                        );
                        let mut opened = open(kind);
                        let mut storage = vec![0u8; capacity];
                        let mut r = if streaming {
                            Reader::file_streaming(&opened.fd, ReadBuffer::borrowed(&mut storage))
                        } else {
                            Reader::file(&opened.fd, ReadBuffer::borrowed(&mut storage))
                        };
                        if kind == Kind::Growing {
                            let _ = r.source.size();
                            grow(opened.tmp.as_ref().unwrap(), &mut opened.all);
                        }
                        let skip = match before {
                            Before::Nothing => 0,
                            Before::Seek(k) => {
                                r.seek_to(k).unwrap_or_else(|e| panic!("{case}: seek: {e}"));
                                k as usize
                            }
                            Before::Peek(k) => {
                                let peeked = r.peek(k).unwrap().to_vec();
                                assert_eq!(peeked, opened.all[..k], "{case}: peek");
                                0
                            }
                        };
                        let got = run(path, &mut r);
                        let (min, all) = (opened.min - skip, &opened.all[skip..]);
                        assert_eq!(got.reported, got.len, "{case}: reported count");
                        assert!(
                            got.len >= min && got.len <= all.len(),
                            "{case}: {} bytes delivered, expected {min} to {}",
                            got.len,
                            all.len()
                        );
                        if let Some(bytes) = &got.bytes {
                            assert!(bytes[..] == all[..bytes.len()], "{case}: bytes differ");
                        }
                        cases += 1;
                    }
                }
            }
        }
    }
    println!("readers over real sources: {cases} cases");
    assert_eq!(cases, 5 * 2 * (3 * 3 - 1) * PATHS.len());
}

/// A `/proc` file peeked into a small reader buffer, sent to an unbuffered
/// writer: the peeked bytes go first, the rest follows, nothing twice.
#[test]
fn an_unbuffered_writer_takes_a_proc_file_whole() {
    let all = std::fs::read(PROC_FILE).unwrap();
    let file = File::open(PROC_FILE).unwrap();
    let mut storage = [0u8; 16];
    let mut r = Reader::file(&file, &mut storage[..]);
    r.peek(5).unwrap();
    let mut w = Writer::from_io(Vec::new(), Buffer::empty());
    assert_eq!(w.send_file_all(&mut r, Limit::UNLIMITED), Ok(all.len()));
    assert_eq!(w.sink.inner, all);
}
