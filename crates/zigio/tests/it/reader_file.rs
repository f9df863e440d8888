//! The file reader over regular files and pipes: positional and streaming,
//! size known or not, the fallback from positional to streaming on a pipe,
//! and peek/take/toss/discard/stream/stream_exact with limits, end of
//! stream told apart from a reached limit.
#![cfg(all(feature = "os", unix))]

use std::fs::File;
use tempfile::NamedTempFile;
use zigio::fs::{Mode, SeekError};
use zigio::{Limit, ReadError, ReadFailed, Reader, StreamError, Writer};

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 17 + i / 509) as u8).collect()
}

/// A regular file holding `len` bytes of [`pattern`], and those bytes.
fn source(len: usize) -> (NamedTempFile, Vec<u8>) {
    let data = pattern(len);
    (zigio_testkit::temp_file(&data), data)
}

fn fd_offset(f: &File) -> u64 {
    rustix::fs::seek(f, rustix::fs::SeekFrom::Current(0)).unwrap()
}

#[test]
fn positional_peek_take_toss_and_the_end() {
    let (src, data) = source(10_000);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 64];
    let mut r = Reader::file(&f, &mut buf);
    assert_eq!(r.peek(10).unwrap(), &data[..10]);
    assert_eq!(r.buffered_len(), 64, "one preadv filled the whole buffer");
    assert_eq!((r.source.pos(), r.logical_pos()), (64, 0));
    assert_eq!(r.take(60).unwrap(), &data[..60]);
    // 4 buffered, 20 wanted: rebase moves them to the front, one more read.
    assert_eq!(r.take(20).unwrap(), &data[60..80]);
    r.toss(5);
    assert_eq!(r.take_byte().unwrap(), data[85]);
    assert_eq!(r.logical_pos(), 86);
    assert_eq!(fd_offset(&f), 0, "positional reads leave the offset alone");
    // Discard within the size: the position moves without reading.
    assert_eq!(r.discard(Limit::limited(9000)).unwrap(), 9000);
    assert_eq!(r.logical_pos(), 9086);
    let mut tail = [0u8; 914];
    r.read_slice_all(&mut tail).unwrap();
    assert!(tail[..] == data[9086..]);
    assert!(r.at_end());
    assert_eq!(r.take_byte(), Err(ReadError::EndOfStream));
    assert_eq!(r.peek(1), Err(ReadError::EndOfStream));
    assert_eq!(r.discard(Limit::limited(1)), Err(ReadError::EndOfStream));
}

#[test]
fn peek_near_the_end_is_end_of_stream_but_keeps_the_bytes() {
    let (src, data) = source(100);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 64];
    let mut r = Reader::file(&f, &mut buf);
    r.discard_all(90).unwrap();
    assert_eq!(r.peek(20), Err(ReadError::EndOfStream));
    assert_eq!(r.peek_greedy(1).unwrap(), &data[90..]);
    assert_eq!(r.source.known_size(), Some(100));
}

#[test]
fn discard_remaining_ends_on_a_positional_reader() {
    // Zig 0.15.1's positional File.Reader.discard returns 0 forever at the
    // end of the file, so discardRemaining never returns.
    let (src, _) = source(5000);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 128];
    let mut r = Reader::file(&f, &mut buf);
    r.take(100).unwrap();
    assert_eq!(r.discard_remaining(), Ok(4900));
    assert_eq!(r.discard_remaining(), Ok(0));
    let mut r = Reader::file(&f, &mut buf);
    assert_eq!(r.discard_short(6000), Ok(5000));
}

#[test]
fn streaming_discard_seeks_when_it_can_and_reads_when_it_cannot() {
    let (src, data) = source(50_000);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 256];
    // A positional reader turned streaming may lseek (size known, no
    // kept seek error).
    let mut r = Reader::file(&f, &mut buf);
    r.source.set_mode(Mode::Streaming);
    assert_eq!(r.take(10).unwrap(), &data[..10]);
    assert_eq!(r.discard(Limit::limited(30_000)).unwrap(), 30_000);
    assert_eq!(fd_offset(&f), 30_010, "moved with lseek, not read");
    assert_eq!(r.take(10).unwrap(), &data[30_010..30_020]);
    assert_eq!(r.discard_remaining(), Ok(50_000 - 30_020));

    // Zig's initStreaming never seeks: it reads and drops.
    let f = File::open(src.path()).unwrap();
    let mut r = Reader::file_streaming(&f, &mut buf);
    assert_eq!(r.discard_short(40_000), Ok(40_000));
    assert_eq!(r.take(5).unwrap(), &data[40_000..40_005]);
    assert_eq!(r.discard_remaining(), Ok(50_000 - 40_005));
    assert_eq!(r.source.known_size(), Some(50_000), "the end was recorded");
}

#[test]
fn known_size_saves_the_stat_and_limits_discard() {
    let (src, data) = source(1000);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 16];
    // A size smaller than the file: the reader believes it.
    let mut r = Reader::file_with_size(&f, &mut buf, Some(600));
    assert_eq!(r.discard(Limit::UNLIMITED).unwrap(), 600);
    assert_eq!(r.discard(Limit::UNLIMITED), Err(ReadError::EndOfStream));
    // Reads are not bounded by it (Zig's are not either).
    assert_eq!(r.take(4).unwrap(), &data[600..604]);
}

#[test]
fn stream_with_limits_and_stream_exact() {
    let (src, data) = source(20_000);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 100];
    let mut r = Reader::file(&f, &mut buf);
    r.peek(1).unwrap();
    let mut a = Writer::allocating();
    // Buffered bytes first and alone, limited.
    assert_eq!(r.stream(&mut a, Limit::limited(30)).unwrap(), 30);
    assert_eq!(r.stream(&mut a, Limit::UNLIMITED).unwrap(), 70);
    // Then the source, through the writer's send_file.
    r.stream_exact(&mut a, 10_000).unwrap();
    assert!(a.written() == &data[..10_100]);
    assert_eq!(r.stream_remaining(&mut a).unwrap(), 9_900);
    assert!(a.written() == &data[..]);
    assert_eq!(
        r.stream(&mut a, Limit::limited(5)),
        Err(StreamError::EndOfStream)
    );
    assert_eq!(r.stream_exact(&mut a, 1), Err(StreamError::EndOfStream));
}

#[test]
fn stream_into_a_fixed_writer_falls_back_to_reading_for_good() {
    let (src, data) = source(3000);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 100];
    let mut r = Reader::file(&f, &mut buf);
    let mut storage = [0u8; 2500];
    let mut w = Writer::fixed(&mut storage);
    // A fixed writer has no send_file: the first stream switches the reader
    // to its reading mode (Zig does the same) and returns 0.
    r.stream_exact(&mut w, 2500).unwrap();
    assert_eq!(r.source.mode(), Mode::PositionalReading);
    assert!(w.buffered() == &data[..2500]);
    assert_eq!(
        r.stream(&mut w, Limit::limited(10)),
        Err(StreamError::WriteFailed)
    );
}

#[test]
fn read_vec_reads_into_slices_and_the_buffer_in_one_call() {
    let (src, data) = source(10_000);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 512];
    let mut r = Reader::file(&f, &mut buf);
    let (mut a, mut b) = ([0u8; 1000], [0u8; 2000]);
    // Nothing buffered: one preadv fills a, b and then the buffer.
    assert_eq!(r.read_vec(&mut [&mut a, &mut b]).unwrap(), 3000);
    assert!(a[..] == data[..1000] && b[..] == data[1000..3000]);
    assert_eq!(r.buffered(), &data[3000..3512]);
    let mut rest = vec![0u8; 7000];
    r.read_slice_all(&mut rest).unwrap();
    assert!(rest == data[3000..]);
    assert_eq!(r.read_slice_all(&mut [0u8; 1]), Err(ReadError::EndOfStream));
}

#[test]
fn positional_reader_on_a_pipe_becomes_streaming() {
    let data = pattern(200_000);
    let (pr, feeder) = zigio_testkit::fed_pipe(&data);
    let mut buf = [0u8; 4096];
    let mut r = Reader::file(&pr, &mut buf);
    assert_eq!(r.take(3).unwrap(), &data[..3]);
    assert_eq!(r.source.mode(), Mode::Streaming, "ESPIPE switched it");
    assert!(r.source.err.is_none(), "the fallback is not an error");
    let mut got = data[..3].to_vec();
    let mut chunk = [0u8; 777];
    loop {
        let n = r.read_slice_short(&mut chunk).unwrap();
        got.extend_from_slice(&chunk[..n]);
        if n < chunk.len() {
            break;
        }
    }
    feeder.join().unwrap();
    assert!(got == data);
    assert_eq!(
        r.source.known_size(),
        Some(200_000),
        "end recorded at the end"
    );
    // Unknown size: a pipe cannot be discarded by seeking.
    assert_eq!(r.discard(Limit::limited(1)), Err(ReadError::EndOfStream));
}

#[test]
fn streaming_pipe_discard_reads_and_drops() {
    let data = pattern(100_000);
    let (pr, feeder) = zigio_testkit::fed_pipe(&data);
    let mut buf = [0u8; 1024];
    let mut r = Reader::file_streaming(&pr, &mut buf);
    r.discard_all(60_001).unwrap();
    assert_eq!(r.take(4).unwrap(), &data[60_001..60_005]);
    assert_eq!(r.discard_remaining(), Ok(100_000 - 60_005));
    feeder.join().unwrap();
}

#[test]
fn seek_within_and_outside_the_buffer() {
    let (src, data) = source(8000);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 1000];
    let mut r = Reader::file(&f, &mut buf);
    r.peek(1).unwrap();
    // Within the buffered bytes: a toss, no read.
    r.seek_to(400).unwrap();
    assert_eq!((r.logical_pos(), r.buffered_len()), (400, 600));
    r.seek_by(-100).unwrap();
    assert_eq!(r.logical_pos(), 300, "backwards leaves the buffer");
    assert_eq!(r.buffered_len(), 0);
    assert_eq!(r.take(10).unwrap(), &data[300..310]);
    // Zig's seekBy counts from the true position; here from the logical one.
    r.seek_by(0).unwrap();
    assert_eq!(r.logical_pos(), 310);
    assert_eq!(r.take(1).unwrap(), &data[310..311]);
    assert_eq!(r.seek_by(-1_000_000), Err(SeekError::OutOfRange));
    // Streaming: lseek.
    let f2 = File::open(src.path()).unwrap();
    let mut buf2 = [0u8; 100];
    let mut s = Reader::file(&f2, &mut buf2);
    s.source.set_mode(Mode::Streaming);
    s.seek_to(5000).unwrap();
    assert_eq!(s.take(3).unwrap(), &data[5000..5003]);
    s.seek_to(10).unwrap();
    assert_eq!(s.take(3).unwrap(), &data[10..13]);
}

#[test]
fn read_failure_keeps_the_os_error() {
    let tmp = NamedTempFile::new().unwrap();
    let write_only = std::fs::OpenOptions::new()
        .write(true)
        .open(tmp.path())
        .unwrap();
    let mut buf = [0u8; 16];
    let mut r = Reader::file(&write_only, &mut buf);
    assert_eq!(r.take_byte(), Err(ReadError::ReadFailed));
    let err = r.source.err.as_ref().expect("kept");
    assert_eq!(
        err.raw_os_error(),
        Some(rustix::io::Errno::BADF.raw_os_error())
    );
    assert_eq!(r.discard_short(0), Ok(0));
    let mut r = Reader::file_streaming(&write_only, &mut buf);
    assert_eq!(r.discard_remaining(), Err(ReadFailed));
}

#[test]
fn io_read_adapter_over_a_file() {
    use std::io::Read;
    let (src, data) = source(12_345);
    let f = File::open(src.path()).unwrap();
    let mut buf = [0u8; 1000];
    let mut r = Reader::file(&f, &mut buf);
    let mut got = Vec::new();
    r.adapt_to_io().read_to_end(&mut got).unwrap();
    assert!(got == data);
}
