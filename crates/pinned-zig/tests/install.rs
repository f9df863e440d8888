//! The installer against fake wheels: reuse, a wrong hash, a failed
//! download, two installs at once. (The real wheel is installed by
//! `tests/real.rs`.)

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::thread;

use pinned_zig::{Error, Installer, Pin, Source};

/// Builds a wheel-shaped zip whose `ziglang/zig` is a shell script that
/// prints `version`, and returns it with its SHA-256.
fn fake_wheel(dir: &Path, version: &str) -> (PathBuf, String) {
    let tree = dir.join("wheel-tree/ziglang");
    fs::create_dir_all(&tree).unwrap();
    // Not executable in the zip, as in the real wheel: the installer must
    // set the mode.
    fs::write(tree.join("zig"), format!("#!/bin/sh\necho {version}\n")).unwrap();
    let wheel = dir.join("fake.whl");
    let status = Command::new("python3")
        .args(["-m", "zipfile", "-c"])
        .arg(&wheel)
        .arg(&tree)
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new("sha256sum").arg(&wheel).output().unwrap();
    let hash = String::from_utf8(out.stdout).unwrap()[..64].to_string();
    (wheel, hash)
}

fn pin(hash: &str) -> Pin {
    Pin {
        version: "9.9.9",
        wheel_file: "fake.whl",
        sha256: Box::leak(hash.to_string().into_boxed_str()),
        platform: "manylinux_2_12_x86_64",
    }
}

#[test]
fn installs_once_then_reuses_the_stamped_install() {
    let tmp = tempfile::tempdir().unwrap();
    let (wheel, hash) = fake_wheel(tmp.path(), "9.9.9");
    let dir = tmp.path().join("target/zig-9.9.9");
    let installer = Installer::new(pin(&hash), &dir).source(Source::Wheel(wheel.clone()));
    let zig = installer.ensure().unwrap();
    assert_eq!(zig.exe(), dir.join("ziglang/zig"));
    let out = Command::new(zig.exe()).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "9.9.9\n");

    // Reuse: the wheel is gone, so a second install would fail.
    fs::remove_file(&wheel).unwrap();
    assert_eq!(installer.ensure().unwrap(), zig);

    // A damaged install (stamp gone) is not reused.
    fs::remove_file(dir.join(".pinned-zig-stamp")).unwrap();
    let err = installer.ensure().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Io {
                step: "open the wheel",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_wrong_hash_is_an_error_and_installs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (wheel, hash) = fake_wheel(tmp.path(), "9.9.9");
    let dir = tmp.path().join("target/zig-9.9.9");
    let wrong = "f".repeat(64);
    let err = Installer::new(pin(&wrong), &dir)
        .source(Source::Wheel(wheel.clone()))
        .ensure()
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::HashMismatch { .. }), "{msg}");
    assert!(msg.contains(&wrong) && msg.contains(&hash), "{msg}");
    assert!(msg.contains(&wheel.display().to_string()), "{msg}");
    assert!(!dir.exists());
    assert!(!tmp.path().join("target/zig-9.9.9.staging").exists());
}

#[test]
fn a_wrong_version_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (wheel, hash) = fake_wheel(tmp.path(), "0.0.1");
    let dir = tmp.path().join("target/zig-9.9.9");
    let err = Installer::new(pin(&hash), &dir)
        .source(Source::Wheel(wheel))
        .ensure()
        .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("reports version `0.0.1`, expected `9.9.9`"),
        "{err}"
    );
    assert!(!dir.exists());
}

#[test]
fn a_failed_download_names_the_step_and_the_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("target/zig-9.9.9");
    let err = Installer::new(pin(&"0".repeat(64)), &dir)
        .source(Source::Pip)
        .python("/nonexistent/python3")
        .ensure()
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "pinned-zig: cannot download the wheel with pip: `/nonexistent/python3 -m pip download"
        ),
        "{msg}"
    );
    assert!(msg.contains("could not start"), "{msg}");
    assert!(!dir.exists());
}

#[test]
fn concurrent_installs_install_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (wheel, hash) = fake_wheel(tmp.path(), "9.9.9");
    let dir = Arc::new(tmp.path().join("target/zig-9.9.9"));
    let hash = Arc::new(hash);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (dir, hash, wheel) = (dir.clone(), hash.clone(), wheel.clone());
            thread::spawn(move || {
                Installer::new(pin(&hash), dir.as_path())
                    .source(Source::Wheel(wheel))
                    .ensure()
            })
        })
        .collect();
    let zigs: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    assert!(zigs.windows(2).all(|w| w[0] == w[1]));
    let leftovers: Vec<_> = fs::read_dir(tmp.path().join("target"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
