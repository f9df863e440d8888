//! The file writer's drain of small data: the buffer is topped up from the
//! data and sent alone (one plain write), the drain returns the data bytes
//! it took into the buffer, and a failed write takes nothing. Larger data
//! keeps the one vectored call of the buffer and the data.
#![cfg(all(feature = "os", unix))]

use std::fs::File;
use std::io::Read;
use std::thread;
use zigio::Writer;
use zigio::fs::FileSink;
use zigio_testkit::pipe;

fn read_now(r: &mut File, n: usize) -> Vec<u8> {
    let mut got = vec![0u8; n];
    r.read_exact(&mut got).unwrap();
    got
}

#[test]
fn small_data_tops_the_buffer_up_and_is_taken() {
    let (mut r, wr) = pipe();
    let mut storage = [0u8; 64];
    let mut w = Writer::file_streaming(&wr, &mut storage);
    let head = [b'h'; 60];
    w.write_all(&head).unwrap();
    // 3 + 2 * 2 = 7 bytes, at most 64 / 8: four fit behind the 60 buffered.
    const { assert!(7 <= 64 / FileSink::SMALL_DATA_SHARE) };
    let taken = w.drain(&[b"abc", b"de"], 2).unwrap();
    assert_eq!(taken, 4, "the drain took what topped the buffer up");
    assert_eq!(w.end(), 0, "the full buffer went out");
    let mut want = head.to_vec();
    want.extend_from_slice(b"abcd");
    assert_eq!(read_now(&mut r, 64), want);
    assert_eq!(w.sink.pos(), 64);
}

#[test]
fn data_larger_than_the_share_is_sent_with_the_buffer() {
    let (mut r, wr) = pipe();
    let mut storage = [0u8; 64];
    let mut w = Writer::file_streaming(&wr, &mut storage);
    w.write_all(&[b'h'; 60]).unwrap();
    let data = [b'd'; 9];
    const { assert!(9 > 64 / FileSink::SMALL_DATA_SHARE) };
    assert_eq!(w.drain(&[&data], 1).unwrap(), 9, "one call took all of it");
    assert_eq!(w.end(), 0);
    let got = read_now(&mut r, 69);
    assert_eq!(&got[..60], &[b'h'; 60]);
    assert_eq!(&got[60..], &data);
}

#[test]
fn a_failed_small_drain_takes_nothing() {
    let (r, wr) = pipe();
    drop(r);
    let mut storage = [0u8; 64];
    let mut w = Writer::file_streaming(&wr, &mut storage);
    w.write_all(&[b'h'; 60]).unwrap();
    assert!(w.drain(&[b"abcdef"], 1).is_err());
    assert_eq!(
        w.buffered(),
        &[b'h'; 60],
        "the data did not stay in the buffer"
    );
    let err = w.sink.err.as_ref().expect("the OS error is kept");
    assert_eq!(
        err.raw_os_error(),
        Some(rustix::io::Errno::PIPE.raw_os_error())
    );
}

#[test]
fn writes_of_every_small_size_arrive_in_order() {
    // Sizes around the share (4096 / 8 = 512) and the buffer, positional
    // into a file and streaming into a pipe read by another thread.
    let mut want = Vec::new();
    let mut sizes = Vec::new();
    for size in (1..=700)
        .step_by(7)
        .chain([511, 512, 513, 4095, 4096, 4097])
    {
        sizes.push(size);
        want.extend((0..size).map(|i| (i * 7 + size) as u8));
    }
    let write = |w: &mut zigio::DynWriter<'_>| {
        for &size in &sizes {
            let chunk: Vec<u8> = (0..size).map(|i| (i * 7 + size) as u8).collect();
            w.write_all(&chunk).unwrap();
        }
        w.flush().unwrap();
    };

    let tmp = tempfile::NamedTempFile::new().unwrap();
    let file = tmp.reopen().unwrap();
    let mut storage = [0u8; 4096];
    let mut w = Writer::file(&file, &mut storage);
    write(w.as_dyn());
    assert!(std::fs::read(tmp.path()).unwrap() == want);

    let (mut r, wr) = pipe();
    let reader = thread::spawn(move || {
        let mut got = Vec::new();
        r.read_to_end(&mut got).unwrap();
        got
    });
    {
        let mut storage = [0u8; 4096];
        let mut w = Writer::file_streaming(&wr, &mut storage);
        write(w.as_dyn());
    }
    drop(wr);
    assert!(reader.join().unwrap() == want);
}

#[test]
fn a_top_up_limit_of_zero_is_zigs_drain() {
    let (mut r, wr) = pipe();
    let mut storage = [0u8; 64];
    let mut w = Writer::file_streaming(&wr, &mut storage);
    w.sink.set_top_up_limit(Some(0));
    assert_eq!(w.sink.top_up_limit(64), 0);
    w.write_all(&[b'h'; 60]).unwrap();
    // 7 bytes would be topped up by default; now one call takes them all.
    assert_eq!(w.drain(&[b"abc", b"de"], 2).unwrap(), 7);
    assert_eq!(w.end(), 0);
    let mut want = vec![b'h'; 60];
    want.extend_from_slice(b"abcdede");
    assert_eq!(read_now(&mut r, 67), want);
}

#[test]
fn a_top_up_limit_above_the_share_tops_up_larger_data() {
    let (mut r, wr) = pipe();
    let mut storage = [0u8; 64];
    let mut w = Writer::file_streaming(&wr, &mut storage);
    assert_eq!(w.sink.top_up_limit(64), 64 / FileSink::SMALL_DATA_SHARE);
    w.sink.set_top_up_limit(Some(64));
    w.write_all(&[b'h'; 60]).unwrap();
    // 9 bytes are more than the default share: by default they would go
    // out with the buffer; with the limit raised, four top it up.
    let data = [b'd'; 9];
    assert_eq!(w.drain(&[&data], 1).unwrap(), 4);
    assert_eq!(w.end(), 0);
    let mut want = vec![b'h'; 60];
    want.extend_from_slice(&data[..4]);
    assert_eq!(read_now(&mut r, 64), want);
    w.sink.set_top_up_limit(None);
    assert_eq!(w.sink.top_up_limit(64), 64 / FileSink::SMALL_DATA_SHARE);
}
