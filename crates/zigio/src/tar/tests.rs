//! Archive layout against an in-memory writer; tests against GNU tar and
//! the `tar` crate are in `tests/tar_*.rs`.

use super::*;
use crate::Writer;

fn field(block: &[u8], offset: usize, len: usize) -> &[u8] {
    let f = &block[offset..offset + len];
    let end = f.iter().position(|&b| b == 0).unwrap_or(len);
    &f[..end]
}

#[test]
fn contents_are_padded_to_blocks() {
    let mut out = Writer::allocating();
    let mut tar = TarWriter::new(&mut out);
    tar.write_file_bytes("a", &[7; 513], Options::default())
        .unwrap();
    tar.write_file_bytes("b", &[], Options::default()).unwrap();
    tar.write_file_bytes("c", &[9; 512], Options::default())
        .unwrap();
    tar.finish().unwrap();
    let w = out.written();
    // a: header + 2 blocks; b: header; c: header + 1 block; end: 2 blocks.
    assert_eq!(w.len(), (1 + 2 + 1 + 1 + 1 + 2) * 512);
    assert_eq!(&w[512..1025], &[7; 513][..]);
    assert!(w[1025..1536].iter().all(|&b| b == 0));
    assert_eq!(field(&w[1536..], 0, 100), b"b");
    assert_eq!(field(&w[1536..], 124, 12), b"00000000000");
    assert!(w[w.len() - 1024..].iter().all(|&b| b == 0));
}

#[test]
fn long_paths_get_a_pax_record() {
    let long = format!("{}/{}", "d".repeat(200), "f".repeat(60));
    let mut out = Writer::allocating();
    let mut tar = TarWriter::new(&mut out);
    tar.write_file_bytes(&long, b"x", Options::default())
        .unwrap();
    let w = out.written();
    assert_eq!(w[156], b'x');
    assert_eq!(
        field(w, 0, 100),
        format!("PaxHeaders/{}", "f".repeat(60)).as_bytes()
    );
    let size = std::str::from_utf8(field(w, 124, 12)).unwrap();
    let records = &w[512..512 + usize::from_str_radix(size, 8).unwrap()];
    let expected = format!("{} path={long}\n", long.len() + 10);
    assert_eq!(records, expected.as_bytes());
    assert_eq!(w[1024 + 156], b'0');
}

#[test]
fn split_paths_use_the_prefix_field() {
    let path = format!("{}/{}", "p".repeat(120), "n".repeat(20));
    let mut out = Writer::allocating();
    let mut tar = TarWriter::new(&mut out);
    tar.write_dir(&path, Options::default()).unwrap();
    let w = out.written();
    assert_eq!(w.len(), 512, "no extended header");
    assert_eq!(w[156], b'5');
    assert_eq!(field(w, 345, 155), "p".repeat(120).as_bytes());
    assert_eq!(field(w, 0, 100), format!("{}/", "n".repeat(20)).as_bytes());
    assert_eq!(field(w, 100, 8), b"0000775");
}

#[test]
fn short_reader_is_a_size_mismatch_naming_the_entry() {
    let mut out = Writer::allocating();
    let mut tar = TarWriter::new(&mut out);
    let err = tar
        .write_file_io("data.bin", 10, &mut &b"1234567"[..], Options::default())
        .unwrap_err();
    assert_eq!(err.entry.as_deref(), Some("data.bin"));
    assert_eq!(
        err.kind,
        TarErrorKind::SizeMismatch {
            declared: 10,
            streamed: 7
        }
    );
    assert_eq!(
        err.to_string(),
        "tar entry \"data.bin\": declared 10 bytes but the source ended after 7"
    );
}

#[test]
fn io_reader_streams_into_the_buffer_or_through_scratch() {
    let content: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    // A buffered output (read straight into its writable slice) and an
    // unbuffered one (through a stack block) give the same archive.
    let mut reference = Writer::allocating();
    TarWriter::new(&mut reference)
        .write_file_bytes("f", &content, Options::default())
        .unwrap();
    let mut storage = [0u8; 100];
    let mut a = Writer::allocating();
    {
        let mut io_out = Writer::from_io(&mut a, &mut storage[..]);
        let mut tar = TarWriter::new(&mut io_out);
        tar.write_file_io(
            "f",
            content.len() as u64,
            &mut &content[..],
            Options::default(),
        )
        .unwrap();
        io_out.flush().unwrap();
    }
    assert_eq!(a.written(), reference.written());
    let mut b = Writer::allocating();
    {
        let mut io_out = Writer::from_io(&mut b, crate::Buffer::empty());
        let mut tar = TarWriter::new(&mut io_out);
        tar.write_file_io(
            "f",
            content.len() as u64,
            &mut &content[..],
            Options::default(),
        )
        .unwrap();
    }
    assert_eq!(b.written(), reference.written());
}

#[test]
fn bad_input_is_reported_with_the_entry() {
    let mut out = Writer::allocating();
    let mut tar = TarWriter::new(&mut out);
    let cases = [
        tar.write_file_bytes("", b"", Options::default()),
        tar.write_file_bytes("a\0b", b"", Options::default()),
        tar.write_file_bytes("dir/", b"", Options::default()),
        tar.write_file_bytes("m", b"", Options::new(0o1000_0000, 0)),
        tar.write_symlink("l", "", Options::default()),
    ];
    for (result, entry) in cases.into_iter().zip(["", "a\0b", "dir/", "m", "l"]) {
        assert_eq!(result.unwrap_err().entry.as_deref(), Some(entry));
    }
    assert_eq!(out.written(), b"", "nothing written for rejected entries");
}

#[test]
fn output_failure_names_the_entry() {
    let mut storage = [0u8; 600];
    let mut out = Writer::fixed(&mut storage);
    let mut tar = TarWriter::new(&mut out);
    let err = tar
        .write_file_bytes("big", &[1; 100], Options::default())
        .unwrap_err();
    assert_eq!(err.entry.as_deref(), Some("big"));
    assert_eq!(err.kind, TarErrorKind::Write);
}

#[test]
fn large_values_move_to_pax_records() {
    let mut out = Writer::allocating();
    let mut tar = TarWriter::new(&mut out);
    let far_future = 0o777_7777_7777 + 1;
    tar.write_dir("d", Options::new(0o755, far_future)).unwrap();
    let w = out.written();
    assert_eq!(w[156], b'x');
    assert_eq!(&w[512..532], b"20 mtime=8589934592\n");
}
