//! Download, check, unpack and stamp the wheel, once, under a lock.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::{Error, Pin, Zig, exe_in};

/// Name of the file, inside an install, written last to mark it complete.
const STAMP: &str = ".pinned-zig-stamp";

/// Environment variable naming a local copy of the wheel to install instead
/// of downloading it (its hash is still checked).
pub(crate) const WHEEL_ENV: &str = "PINNED_ZIG_WHEEL";

/// Where the wheel comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `python -m pip download --no-deps <name>==<version> --only-binary=:all:
    /// --platform <tag>`.
    Pip,
    /// A wheel file already on disk.
    Wheel(PathBuf),
}

/// Installs one [`Pin`] into one directory.
#[derive(Debug, Clone)]
pub struct Installer {
    pin: Pin,
    dir: PathBuf,
    source: Source,
    python: OsString,
}

impl Installer {
    /// An installer of `pin` into `dir` that downloads with `python3 -m pip`,
    /// or takes the wheel named by `PINNED_ZIG_WHEEL` when that is set.
    pub fn new(pin: Pin, dir: impl Into<PathBuf>) -> Installer {
        let source = match std::env::var_os(WHEEL_ENV) {
            Some(path) if !path.is_empty() => Source::Wheel(PathBuf::from(path)),
            _ => Source::Pip,
        };
        Installer {
            pin,
            dir: dir.into(),
            source,
            python: OsString::from("python3"),
        }
    }

    /// Takes the wheel from `source` instead.
    pub fn source(mut self, source: Source) -> Installer {
        self.source = source;
        self
    }

    /// Runs pip and `zipfile` with this Python interpreter (default
    /// `python3`).
    pub fn python(mut self, python: impl Into<OsString>) -> Installer {
        self.python = python.into();
        self
    }

    /// The install directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The installed Zig, installing it first unless a complete install is
    /// already there. Safe to call from several processes at once: the
    /// first installs, the others wait on the lock and then reuse it.
    ///
    /// # Errors
    /// The first failed step; nothing is left in `dir` in that case.
    pub fn ensure(&self) -> Result<Zig, Error> {
        if self.is_installed() {
            return Ok(self.zig());
        }
        let parent = self.parent();
        fs::create_dir_all(&parent).map_err(Error::io("create the cache directory", &parent))?;
        let lock_path = self.sibling("lock");
        let lock =
            File::create(&lock_path).map_err(Error::io("create the lock file", &lock_path))?;
        lock.lock()
            .map_err(Error::io("lock the lock file", &lock_path))?;
        // Another process may have installed it while this one waited.
        let result = if self.is_installed() {
            Ok(())
        } else {
            self.install()
        };
        // Dropping the file unlocks it; an explicit unlock reports nothing
        // more useful.
        drop(lock);
        result.map(|()| self.zig())
    }

    pub(crate) fn zig(&self) -> Zig {
        let mut cache = self.dir.as_os_str().to_owned();
        cache.push("-cache");
        Zig {
            version: self.pin.version,
            root: self.dir.clone(),
            cache: PathBuf::from(cache),
        }
    }

    fn parent(&self) -> PathBuf {
        match self.dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// `<dir>.<suffix>`, next to the install directory.
    fn sibling(&self, suffix: &str) -> PathBuf {
        let mut s = self.dir.as_os_str().to_owned();
        s.push(".");
        s.push(suffix);
        PathBuf::from(s)
    }

    fn stamp_text(&self) -> String {
        format!(
            "{}\nsha256 {}\nversion {}\n",
            self.pin.wheel_file, self.pin.sha256, self.pin.version
        )
    }

    pub(crate) fn is_installed(&self) -> bool {
        fs::read_to_string(self.dir.join(STAMP)).is_ok_and(|s| s == self.stamp_text())
            && exe_in(&self.dir).is_file()
    }

    fn install(&self) -> Result<(), Error> {
        let staging = self.sibling(&format!("staging-{}", std::process::id()));
        remove_dir_if_present(&staging)?;
        fs::create_dir_all(&staging)
            .map_err(Error::io("create the staging directory", &staging))?;
        let result = self.install_via(&staging);
        // On success the tree was renamed away; on failure nothing of it may
        // be mistaken for an install.
        let cleanup = remove_dir_if_present(&staging);
        result.and(cleanup)
    }

    fn install_via(&self, staging: &Path) -> Result<(), Error> {
        let wheel = match &self.source {
            Source::Wheel(path) => path.clone(),
            Source::Pip => self.download(&staging.join("download"))?,
        };
        verify_sha256(&wheel, self.pin.sha256)?;
        let tree = staging.join("tree");
        self.unpack(&wheel, &tree)?;
        let exe = exe_in(&tree);
        make_executable(&exe)?;
        self.check_version(&exe)?;
        let stamp = tree.join(STAMP);
        fs::write(&stamp, self.stamp_text()).map_err(Error::io("write the stamp", &stamp))?;
        // An incomplete or outdated install is in the way of the rename.
        remove_dir_if_present(&self.dir)?;
        fs::rename(&tree, &self.dir).map_err(Error::io("move the install into place", &self.dir))
    }

    fn download(&self, dir: &Path) -> Result<PathBuf, Error> {
        let mut cmd = Command::new(&self.python);
        cmd.args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:"])
            .arg("--platform")
            .arg(self.pin.platform)
            .arg("--dest")
            .arg(dir)
            .arg(format!("ziglang=={}", self.pin.version));
        run("download the wheel with pip", &mut cmd)?;
        let wheel = dir.join(self.pin.wheel_file);
        if wheel.is_file() {
            return Ok(wheel);
        }
        let found = fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        Err(Error::WheelMissing {
            dir: dir.to_path_buf(),
            expected: self.pin.wheel_file.to_string(),
            found,
        })
    }

    fn unpack(&self, wheel: &Path, dest: &Path) -> Result<(), Error> {
        let mut cmd = Command::new(&self.python);
        cmd.args(["-m", "zipfile", "-e"]).arg(wheel).arg(dest);
        run("unpack the wheel with Python's zipfile", &mut cmd)
    }

    fn check_version(&self, exe: &Path) -> Result<(), Error> {
        let mut cmd = Command::new(exe);
        cmd.arg("version");
        let out = run_output("run `zig version`", &mut cmd)?;
        let actual = String::from_utf8_lossy(&out).trim().to_string();
        if actual != self.pin.version {
            return Err(Error::WrongVersion {
                exe: exe.to_path_buf(),
                expected: self.pin.version.to_string(),
                actual,
            });
        }
        Ok(())
    }
}

/// Checks that the file at `path` has the SHA-256 `expected` (lowercase hex).
///
/// # Errors
/// [`Error::Io`] if it cannot be read, [`Error::HashMismatch`] with both
/// hashes if it differs.
pub(crate) fn verify_sha256(path: &Path, expected: &str) -> Result<(), Error> {
    let mut file = File::open(path).map_err(Error::io("open the wheel", path))?;
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut chunk)
            .map_err(Error::io("read the wheel", path))?;
        if n == 0 {
            break;
        }
        hasher.update(&chunk[..n]);
    }
    let actual: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if actual != expected {
        return Err(Error::HashMismatch {
            path: path.to_path_buf(),
            expected: expected.to_string(),
            actual,
        });
    }
    Ok(())
}

fn make_executable(exe: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(exe).map_err(Error::io("find the zig executable", exe))?;
        let mut perms = meta.permissions();
        perms.set_mode(perms.mode() | 0o755);
        fs::set_permissions(exe, perms).map_err(Error::io("mark zig executable", exe))?;
    }
    #[cfg(not(unix))]
    fs::metadata(exe).map_err(Error::io("find the zig executable", exe))?;
    Ok(())
}

fn remove_dir_if_present(dir: &Path) -> Result<(), Error> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove the directory", dir)(e)),
    }
}

/// Shell-like rendering of a command for error messages.
pub(crate) fn command_line(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn run(step: &'static str, cmd: &mut Command) -> Result<(), Error> {
    run_output(step, cmd).map(drop)
}

/// Runs `cmd` to completion and returns its stdout, or an error with its
/// status and the end of its stderr.
pub(crate) fn run_output(step: &'static str, cmd: &mut Command) -> Result<Vec<u8>, Error> {
    let command = command_line(cmd);
    let fail = |status: String, stderr: &[u8]| Error::Command {
        step,
        command: command.clone(),
        status,
        stderr: tail(stderr),
    };
    match cmd.output() {
        Err(e) => Err(fail(format!("could not start: {e}"), b"")),
        Ok(out) if !out.status.success() => {
            Err(fail(format!("failed: {}", out.status), &out.stderr))
        }
        Ok(out) => Ok(out.stdout),
    }
}

/// The last lines of a command's stderr: enough to see why it failed.
pub(crate) fn tail(stderr: &[u8]) -> String {
    const MAX: usize = 4000;
    let text = String::from_utf8_lossy(stderr);
    if text.len() <= MAX {
        return text.into_owned();
    }
    let mut start = text.len() - MAX;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("...{}", &text[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_hash_names_the_file_and_both_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fake.whl");
        fs::write(&path, b"abc").unwrap();
        let expected = "0".repeat(64);
        let err = verify_sha256(&path, &expected).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::HashMismatch { .. }), "{msg}");
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains(&expected), "{msg}");
        // SHA-256("abc"), FIPS 180-2's first example.
        assert!(
            msg.contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            "{msg}"
        );
        verify_sha256(
            &path,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        )
        .unwrap();
    }

    #[test]
    fn long_stderr_keeps_its_end() {
        let long = "x".repeat(5000) + "the reason";
        let t = tail(long.as_bytes());
        assert!(t.starts_with("..."));
        assert!(t.ends_with("the reason"));
        assert!(t.len() < 4100);
    }
}
