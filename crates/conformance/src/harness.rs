//! The Zig side: `zig/harness.zig`, built once with the pinned Zig, run
//! once per batch of scripts.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pinned_zig::BuildOptions;

use crate::exec::Fnv;
use crate::script::Script;

/// The harness source, compiled into this crate so that its hash names the
/// binary.
const SOURCE: &str = include_str!("../zig/harness.zig");

/// A failure of the Zig side.
#[derive(Debug)]
pub enum HarnessError {
    /// Installing Zig or building the harness failed.
    Zig(pinned_zig::Error),
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
        let work = work_dir();
        let zig = pinned_zig::zig()?;
        let exe = work.join(format!(
            "harness-{:016x}",
            Fnv::hash(format!("{}\n{SOURCE}", pinned_zig::ZIG_0_15_1.version).as_bytes())
        ));
        if !exe.is_file() {
            let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("zig/harness.zig");
            let private = work.join(format!("harness-build-{}", std::process::id()));
            let options = BuildOptions {
                // Error return traces would bury a panic's message under
                // every caught WriteFailed of the run.
                extra_args: vec!["-fno-error-tracing".into()],
                ..BuildOptions::default()
            };
            zig.build_exe(&source, &private, &options)?;
            fs::rename(&private, &exe).map_err(|source| HarnessError::Io {
                step: "move the harness into place",
                path: exe.clone(),
                source,
            })?;
        }
        Ok(Harness { exe, work })
    }

    /// The executable.
    pub fn exe(&self) -> &Path {
        &self.exe
    }

    /// Runs every script in one process. The scripts are written to
    /// `target/conformance/<label>.jsonl`, which is kept for replaying.
    ///
    /// A harness that fails (a Zig panic) still yields the trace it printed
    /// up to the failure, and the failure.
    ///
    /// # Errors
    /// The file cannot be written or the harness cannot be started.
    pub fn run(&self, label: &str, scripts: &[Script]) -> Result<Output, HarnessError> {
        let mut text = String::new();
        for s in scripts {
            s.write_jsonl(&mut text);
        }
        let path = self.work.join(format!("{label}.jsonl"));
        fs::write(&path, text).map_err(|source| HarnessError::Io {
            step: "write the scripts",
            path: path.clone(),
            source,
        })?;
        let out = Command::new(&self.exe)
            .arg(&path)
            .output()
            .map_err(|source| HarnessError::Io {
                step: "run the harness",
                path: self.exe.clone(),
                source,
            })?;
        let failure = (!out.status.success()).then(|| {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let lines: Vec<&str> = stderr.lines().collect();
            let tail = lines[lines.len().saturating_sub(40)..].join("\n");
            format!(
                "the Zig harness failed ({}): `{} {}`\n{tail}",
                out.status,
                self.exe.display(),
                path.display()
            )
        });
        Ok(Output {
            trace: String::from_utf8_lossy(&out.stdout).into_owned(),
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
