//! Building Zig programs with the pinned compiler, caches under `target/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::install::run_output;
use crate::{Error, Zig};

/// How to build one executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    /// Zig's `-O` mode. Default `Debug`: Zig's assertions are checked only
    /// in Debug and ReleaseSafe, and are undefined behaviour in ReleaseFast,
    /// so a program that tests behaviour must not be built ReleaseFast.
    pub optimize: &'static str,
    /// More `zig build-exe` arguments, e.g. `-fno-error-tracing`.
    pub extra_args: Vec<String>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            optimize: "Debug",
            extra_args: Vec::new(),
        }
    }
}

impl Zig {
    /// A `zig` command whose local and global caches are under
    /// [`Zig::cache_dir`], so that builds are reused across runs and never
    /// touch the user's `~/.cache/zig`.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(self.exe());
        cmd.env("ZIG_GLOBAL_CACHE_DIR", self.cache_dir().join("global"))
            .env("ZIG_LOCAL_CACHE_DIR", self.cache_dir().join("local"));
        cmd
    }

    /// Builds `source` into the executable `out` (`zig build-exe`), and
    /// returns `out`. Zig's cache makes a rebuild of an unchanged source
    /// fast.
    ///
    /// # Errors
    /// [`Error::Io`] if `out`'s directory cannot be made, [`Error::Command`]
    /// with the compiler's diagnostics if the build fails.
    pub fn build_exe(
        &self, source: &Path, out: &Path, options: &BuildOptions,
    ) -> Result<PathBuf, Error> {
        if let Some(dir) = out.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io("create the output directory", dir))?;
        }
        let mut emit = std::ffi::OsString::from("-femit-bin=");
        emit.push(out);
        let mut cmd = self.command();
        cmd.arg("build-exe")
            .arg(source)
            .arg("-O")
            .arg(options.optimize)
            .args(&options.extra_args)
            .arg(emit);
        run_output("build a Zig program", &mut cmd)?;
        Ok(out.to_path_buf())
    }
}
