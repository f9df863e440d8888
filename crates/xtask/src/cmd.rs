//! Running external commands as named steps, so that a failure says which
//! step failed and how to rerun it.

use std::ffi::OsStr;
use std::fmt;
use std::path::Path;
use std::process::{Command, Output};

use crate::workspace;

/// Why a command failed.
#[derive(Debug)]
pub(crate) struct Error {
    message: String,
}

impl Error {
    /// A failure of the step named `step`.
    pub(crate) fn step(step: &str, message: impl fmt::Display) -> Self {
        Error {
            message: format!("step `{step}` failed: {message}"),
        }
    }

    /// Wrong arguments to xtask itself.
    pub(crate) fn usage(message: String) -> Self {
        Error { message }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The result of an xtask step.
pub(crate) type Result<T = ()> = std::result::Result<T, Error>;

/// A command run from the repository root, with cargo's bin directory on
/// `PATH` (so that mdbook finds `mdbook-mermaid` right after installing it).
pub(crate) fn command(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(workspace::root())
        .env("PATH", workspace::path_with_cargo_bin());
    command
}

/// How a command looks on a shell line, for messages.
pub(crate) fn shell_line(command: &Command) -> String {
    // `cargo` rather than the full path of the toolchain's cargo.
    let program = Path::new(command.get_program());
    let mut line = program
        .file_name()
        .unwrap_or(program.as_os_str())
        .to_string_lossy()
        .into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs `command` as step `step`, its output going to the terminal.
pub(crate) fn run(step: &str, command: &mut Command) -> Result {
    let line = shell_line(command);
    eprintln!("xtask: [{step}] {line}");
    let status = command
        .status()
        .map_err(|e| Error::step(step, format!("could not start `{line}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::step(step, format!("`{line}` exited with {status}")))
    }
}

/// Runs `command` as step `step` and returns its captured output; stderr
/// still goes to the terminal.
pub(crate) fn output(step: &str, command: &mut Command) -> Result<Output> {
    let line = shell_line(command);
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| Error::step(step, format!("could not start `{line}`: {e}")))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(Error::step(
            step,
            format!("`{line}` exited with {}", output.status),
        ))
    }
}
