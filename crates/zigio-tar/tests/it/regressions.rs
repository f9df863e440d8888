//! One test per defect of the tar writer found by an adversarial run from
//! outside the other suites, read back by GNU tar and the `tar` crate.
#![cfg(all(feature = "os", unix))]

use zigio::Writer;
use zigio_tar::{Options, TarWriter};
use zigio_testkit::temp_file;

/// A 101-byte absolute path whose only `/` is the first byte: stored as
/// given, as GNU tar and the `tar` crate read it back.
#[test]
fn tar_keeps_a_leading_slash() {
    let path = format!("/abs{}", "q".repeat(97));
    assert_eq!(path.len(), 101);
    let mut out = Writer::allocating();
    let mut tar = TarWriter::new(&mut out);
    tar.write_file_bytes(&path, b"x", Options::new(0o644, 0))
        .unwrap();
    tar.finish().unwrap();
    let mut archive = tar::Archive::new(out.written());
    let names: Vec<Vec<u8>> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path_bytes().into_owned())
        .collect();
    assert_eq!(names, [path.as_bytes()]);
    let tmp = temp_file(out.written());
    let listed = std::process::Command::new("tar")
        .arg("-tf")
        .arg(tmp.path())
        .output()
        .expect("these tests need GNU tar (Debian package `tar`)");
    assert!(listed.status.success(), "tar -tf: {listed:?}");
    assert_eq!(String::from_utf8_lossy(&listed.stdout), format!("{path}\n"));
}
