//! The Zig side: `zig/harness.zig`, built once per pinned Zig (one source
//! for every release, switched at compile time), run once per batch of
//! scripts.

use std::fmt;
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread::{self, JoinHandle};

use pinned_zig::BuildOptions;

use crate::exec::fnv1a;
use crate::script::Script;

/// The harness source (its entry point and the trace code it shares with
/// the book's lab), compiled into this crate so that its hash names the
/// binary.
const SOURCE: &str = concat!(
    include_str!("../zig/harness.zig"),
    include_str!("../zig/trace.zig")
);

/// A failure of the Zig side.
#[derive(Debug)]
pub enum HarnessError {
    /// Installing or finding Zig failed.
    Zig(pinned_zig::Error),
    /// Compiling the harness with one release failed.
    Build {
        /// The release, e.g. `"0.16.0"`.
        version: &'static str,
        /// The compiler's diagnostics.
        source: pinned_zig::Error,
    },
    /// A file could not be written or read.
    Io {
        /// What was being done.
        step: &'static str,
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HarnessError::Zig(e) => write!(f, "{e}"),
            HarnessError::Build { version, source } => write!(
                f,
                "conformance: cannot build crates/conformance/zig/harness.zig with Zig {version}: {source}"
            ),
            HarnessError::Io { step, path, source } => {
                write!(
                    f,
                    "conformance: cannot {step}: {}: {source}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for HarnessError {}

impl From<pinned_zig::Error> for HarnessError {
    fn from(e: pinned_zig::Error) -> Self {
        HarnessError::Zig(e)
    }
}

/// The built harness executable.
#[derive(Debug, Clone)]
pub struct Harness {
    exe: PathBuf,
    work: PathBuf,
    version: &'static str,
}

/// Removes harness binaries built from older sources. Best effort: a file
/// that cannot be removed only costs disk space.
fn remove_stale_harnesses(work: &Path, current: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(work) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let built = name
            .strip_prefix("harness-")
            .and_then(|h| h.strip_prefix(prefix))
            .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if built && entry.path() != current {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// `target/conformance`: the harness binary and the scripts of the last run.
pub fn work_dir() -> PathBuf {
    pinned_zig::workspace_target_dir().join("conformance")
}

impl Harness {
    /// Installs the pinned Zig if needed and builds the harness in Debug
    /// (Zig's assertions are undefined behaviour in ReleaseFast) into
    /// `target/conformance/harness-<hash of its source>`. An existing binary
    /// for the same source is reused without calling Zig; concurrent
    /// builders each build to a private name and rename into place.
    ///
    /// # Errors
    /// Installing Zig or compiling the harness failed.
    pub fn build() -> Result<Harness, HarnessError> {
        Harness::build_for(pinned_zig::ZIG_0_15_1, None)
    }

    /// [`Harness::build`] with the compiler of `pin`, e.g. Zig 0.16.0, into
    /// `target/conformance/harness-<version>-<hash>`. Installs nothing: the
    /// later releases come from `cargo xtask setup` (or
    /// [`pinned_zig::ensure`]).
    ///
    /// # Errors
    /// `pin` is not installed, or compiling the harness failed.
    pub fn build_with(pin: pinned_zig::Pin) -> Result<Harness, HarnessError> {
        Harness::build_for(pin, None)
    }

    /// [`Harness::build`] for the book's lab: the harness for `x86-linux`,
    /// a target with what the lab's wasm32 engine has (a 32-bit `usize`
    /// and a 64-byte `std.atomic.cache_line`, so the allocating writer
    /// grows alike), run natively through the kernel's 32-bit support.
    ///
    /// # Errors
    /// As [`Harness::build`].
    pub fn build_wasm32_twin() -> Result<Harness, HarnessError> {
        Harness::build_for(pinned_zig::ZIG_0_15_1, Some("x86-linux"))
    }

    fn build_for(pin: pinned_zig::Pin, target: Option<&str>) -> Result<Harness, HarnessError> {
        let work = work_dir();
        let baseline = pin == pinned_zig::ZIG_0_15_1;
        let zig = if baseline {
            pinned_zig::zig()?
        } else {
            pinned_zig::installed(pin)?
        };
        // The baseline keeps its old names, which the book and the lab cite.
        let mut prefix = target.map_or(String::new(), |t| format!("{t}-"));
        if !baseline {
            prefix.push_str(&format!("{}-", pin.version));
        }
        let exe = work.join(format!(
            "harness-{prefix}{:016x}",
            fnv1a(format!("{}\n{SOURCE}", pin.version).as_bytes())
        ));
        if !exe.is_file() {
            let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("zig/harness.zig");
            // Private per process and release: several builds may run at once.
            let private = work.join(format!(
                "harness-build-{prefix}{}-{}",
                pin.version,
                std::process::id()
            ));
            // Error return traces would bury a panic's message under
            // every caught WriteFailed of the run.
            let mut extra_args = vec!["-fno-error-tracing".to_string()];
            if let Some(t) = target {
                extra_args.extend(["-target".to_string(), t.to_string()]);
            }
            let options = BuildOptions {
                extra_args,
                ..BuildOptions::default()
            };
            zig.build_exe(&source, &private, &options)
                .map_err(|e| HarnessError::Build {
                    version: pin.version,
                    source: e,
                })?;
            fs::rename(&private, &exe).map_err(|source| HarnessError::Io {
                step: "move the harness into place",
                path: exe.clone(),
                source,
            })?;
            remove_stale_harnesses(&work, &exe, &prefix);
        }
        Ok(Harness {
            exe,
            work,
            version: pin.version,
        })
    }

    /// The Zig release it was built with, e.g. `"0.15.1"`.
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// The executable.
    pub fn exe(&self) -> &Path {
        &self.exe
    }

    /// Starts the harness on stdin. Scripts sent to the returned
    /// [`Session`] run as they arrive, while the caller prepares the next;
    /// they are also written to `target/conformance/<label>.jsonl`, kept for
    /// replaying (`harness <file>`).
    ///
    /// # Errors
    /// The file cannot be created or the harness cannot be started.
    pub fn start(&self, label: &str) -> Result<Session, HarnessError> {
        let path = self.work.join(format!("{label}.jsonl"));
        let io = |step| {
            let path = path.clone();
            move |source| HarnessError::Io { step, path, source }
        };
        let kept = BufWriter::new(File::create(&path).map_err(io("create the scripts file"))?);
        let mut child = Command::new(&self.exe)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| HarnessError::Io {
                step: "start the harness",
                path: self.exe.clone(),
                source,
            })?;
        let stdin = child.stdin.take().map(BufWriter::new);
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        // Both pipes are drained concurrently, so the harness never blocks
        // on a full pipe while this side blocks on its stdin.
        let out_reader = thread::spawn(move || {
            let mut s = Vec::new();
            stdout.read_to_end(&mut s).map(|_| s)
        });
        let err_reader = thread::spawn(move || {
            let mut s = Vec::new();
            stderr.read_to_end(&mut s).map(|_| s)
        });
        Ok(Session {
            child,
            stdin,
            kept,
            path,
            exe: self.exe.clone(),
            version: self.version,
            out_reader,
            err_reader,
            line: String::new(),
        })
    }
}

/// A running harness (see [`Harness::start`]).
#[derive(Debug)]
pub struct Session {
    child: Child,
    /// `None` once the harness stopped reading (it failed).
    stdin: Option<BufWriter<ChildStdin>>,
    kept: BufWriter<File>,
    path: PathBuf,
    exe: PathBuf,
    version: &'static str,
    out_reader: JoinHandle<std::io::Result<Vec<u8>>>,
    err_reader: JoinHandle<std::io::Result<Vec<u8>>>,
    line: String,
}

impl Session {
    /// Sends one script. If the harness has stopped (a Zig panic), the
    /// script is only kept in the file; [`Session::finish`] reports why.
    ///
    /// # Errors
    /// The scripts file cannot be written.
    pub fn send(&mut self, script: &Script) -> Result<(), HarnessError> {
        self.line.clear();
        script.write_jsonl(&mut self.line);
        self.kept
            .write_all(self.line.as_bytes())
            .map_err(|source| HarnessError::Io {
                step: "write the scripts file",
                path: self.path.clone(),
                source,
            })?;
        if let Some(stdin) = &mut self.stdin
            && stdin.write_all(self.line.as_bytes()).is_err()
        {
            // A broken pipe: the harness exited; its status says why.
            self.stdin = None;
        }
        Ok(())
    }

    /// Closes the harness's input, waits for it, and returns what it
    /// printed.
    ///
    /// # Errors
    /// The scripts file cannot be completed, or the harness's output cannot
    /// be read.
    pub fn finish(mut self) -> Result<Output, HarnessError> {
        let io = |step: &'static str, path: &Path| {
            let path = path.to_path_buf();
            move |source| HarnessError::Io { step, path, source }
        };
        self.kept
            .flush()
            .map_err(io("write the scripts file", &self.path))?;
        if let Some(mut stdin) = self.stdin.take() {
            // A failed flush means the harness already exited.
            let _ = stdin.flush();
        }
        let status = self
            .child
            .wait()
            .map_err(io("wait for the harness", &self.exe))?;
        let join = |h: JoinHandle<std::io::Result<Vec<u8>>>| {
            h.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("reader thread panicked")))
        };
        let stdout = join(self.out_reader).map_err(io("read the harness's output", &self.exe))?;
        let stderr = join(self.err_reader).map_err(io("read the harness's errors", &self.exe))?;
        let failure = (!status.success()).then(|| {
            let stderr = String::from_utf8_lossy(&stderr);
            let lines: Vec<&str> = stderr.lines().collect();
            let tail = lines[lines.len().saturating_sub(40)..].join("\n");
            format!(
                "the Zig {} harness failed ({status}); replay: `{} {}`\n{tail}",
                self.version,
                self.exe.display(),
                self.path.display()
            )
        });
        Ok(Output {
            trace: String::from_utf8_lossy(&stdout).into_owned(),
            failure,
        })
    }
}

/// What the harness printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The trace (up to the failure, if any).
    pub trace: String,
    /// Why the harness stopped early: exit status, command, end of stderr.
    pub failure: Option<String>,
}
