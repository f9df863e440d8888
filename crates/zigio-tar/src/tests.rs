//! Archive layout against an in-memory writer; tests against GNU tar and
//! the `tar` crate are in `tests/it/peers.rs`.

use super::*;
use zigio::Writer;

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
    for capacity in [100, 0] {
        let mut storage = vec![0u8; capacity];
        let mut out = Writer::allocating();
        {
            let mut io_out = Writer::from_io(&mut out, &mut storage[..]);
            let mut tar = TarWriter::new(&mut io_out);
            tar.write_file_io(
                "f",
                content.len() as u64,
                &mut &content[..],
                Options::default(),
            )
            .unwrap();
            // Unbuffered, every byte is out already: no flush.
            if capacity > 0 {
                io_out.flush().unwrap();
            }
        }
        assert_eq!(out.written(), reference.written(), "capacity {capacity}");
    }
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

fn bytes_archive(path: &str, content: &[u8], options: Options) -> Vec<u8> {
    let mut out = Writer::allocating();
    TarWriter::new(&mut out)
        .write_file_bytes(path, content, options)
        .unwrap();
    out.into_vec()
}

#[test]
fn reader_stream_matches_bytes_and_reports_a_short_source() {
    let content: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
    let options = Options::new(0o600, 42);
    let mut out = Writer::allocating();
    let mut reader = zigio::Reader::fixed(&content);
    TarWriter::new(&mut out)
        .write_file_stream("s", content.len() as u64, &mut reader, options)
        .unwrap();
    assert_eq!(out.written(), bytes_archive("s", &content, options));

    let mut out = Writer::allocating();
    let mut reader = zigio::Reader::fixed(&content[..100]);
    let err = TarWriter::new(&mut out)
        .write_file_stream("short", 512, &mut reader, options)
        .unwrap_err();
    assert_eq!(err.entry.as_deref(), Some("short"));
    assert_eq!(
        err.kind,
        TarErrorKind::SizeMismatch {
            declared: 512,
            streamed: 100
        }
    );
}

#[cfg(all(feature = "os", unix))]
mod files {
    use super::*;
    use std::io::Write;
    use zigio::Reader;

    /// A temporary file holding `content`, removed when dropped.
    struct TempFile(tempfile::NamedTempFile);

    impl TempFile {
        fn new(tag: &str, content: &[u8]) -> TempFile {
            let mut file = tempfile::Builder::new()
                .prefix(&format!("zigio-tar-unit-{tag}-"))
                .tempfile()
                .unwrap();
            file.write_all(content).unwrap();
            TempFile(file)
        }
    }

    #[test]
    fn file_reader_contents_go_through_send_file_all() {
        let content: Vec<u8> = (0..70_000u32).map(|i| (i % 253) as u8).collect();
        let src = TempFile::new("src", &content);
        let options = Options::new(0o640, 1_600_000_000);
        let expected = bytes_archive("f", &content, options);

        // Into a file writer: the contents go by copy_file_range/sendfile.
        let dst = TempFile::new("dst", b"");
        {
            let input = std::fs::File::open(&src.0).unwrap();
            let output = std::fs::File::create(&dst.0).unwrap();
            let (mut rbuf, mut wbuf) = ([0u8; 1000], [0u8; 4096]);
            let mut reader = Reader::file(&input, &mut rbuf[..]);
            // Buffered bytes of the reader must go first, not be skipped.
            assert_eq!(reader.peek(10).unwrap(), &content[..10]);
            let mut w = Writer::file(&output, &mut wbuf[..]);
            TarWriter::new(&mut w)
                .write_file("f", &mut reader, options)
                .unwrap();
            w.finish().unwrap();
        }
        assert_eq!(std::fs::read(&dst.0).unwrap(), expected);

        // Into an in-memory writer, from the middle of the file: the rest
        // is archived.
        let input = std::fs::File::open(&src.0).unwrap();
        let mut rbuf = [0u8; 256];
        let mut reader = Reader::file(&input, &mut rbuf[..]);
        reader.discard_all(300).unwrap();
        let mut out = Writer::allocating();
        TarWriter::new(&mut out)
            .write_file("g", &mut reader, options)
            .unwrap();
        assert_eq!(out.written(), bytes_archive("g", &content[300..], options));
    }

    #[test]
    fn a_file_that_shrank_is_a_size_mismatch() {
        let src = TempFile::new("shrink", &[5; 2000]);
        let input = std::fs::File::open(&src.0).unwrap();
        let mut reader = Reader::file(&input, zigio::reader::ReadBuffer::empty());
        reader.source.size().unwrap(); // size taken: 2000
        std::fs::OpenOptions::new()
            .write(true)
            .open(&src.0)
            .unwrap()
            .set_len(1500)
            .unwrap();
        let mut out = Writer::allocating();
        let err = TarWriter::new(&mut out)
            .write_file("shrank", &mut reader, Options::default())
            .unwrap_err();
        assert_eq!(err.entry.as_deref(), Some("shrank"));
        assert_eq!(
            err.kind,
            TarErrorKind::SizeMismatch {
                declared: 2000,
                streamed: 1500
            }
        );
    }

    #[test]
    fn options_from_metadata() {
        let src = TempFile::new("meta", b"x");
        std::fs::set_permissions(&src.0, std::os::unix::fs::PermissionsExt::from_mode(0o604))
            .unwrap();
        let meta = std::fs::metadata(&src.0).unwrap();
        let o = Options::from_metadata(&meta);
        assert_eq!(o.mode, Some(0o604));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(o.mtime <= now && o.mtime + 600 > now, "{o:?}");
    }
}
