//! The pinned tools (mdbook, mdbook-mermaid) and the files they generate.

use std::fs;

use crate::cmd::{self, Error, Result};
use crate::workspace;

/// A tool installed with `cargo install --locked`.
struct Tool {
    /// Crate and binary name.
    name: &'static str,
    /// The pinned version.
    version: &'static str,
}

/// The versions the book is built and tested with.
const TOOLS: &[Tool] = &[
    Tool {
        name: "mdbook",
        version: "0.5.4",
    },
    Tool {
        name: "mdbook-mermaid",
        version: "0.17.1",
    },
];

/// Mermaid's script as `mdbook-mermaid install` writes it, and where the
/// book's diagram loader (assets/mermaid-loader.js) finds it: in the book's
/// sources, which mdBook copies to the site root. Generated, never
/// committed (see .gitignore); without it the book still builds and the
/// loader marks each diagram as not drawn. (`install` also writes
/// `mermaid-init.js`, which the loader replaces.)
const MERMAID_SCRIPT: &str = "mermaid.min.js";
const MERMAID_DEST: &str = "book/mermaid.min.js";

/// Installs what is missing (mdbook, mdbook-mermaid, Zig), generates
/// mermaid's files, builds the book's own preprocessors and the lab's
/// WebAssembly engines.
pub(crate) fn setup() -> Result {
    for tool in TOOLS {
        ensure_installed(tool)?;
    }
    generate_mermaid_files()?;
    install_zig()?;
    build_preprocessors()?;
    crate::lab::build()
}

/// Fetches every pinned Zig (0.15.1, the baseline, and the later releases
/// the book is checked on; PyPI's `ziglang` wheels, sha256-checked) into
/// `target/zig-<version>` unless it is already there. The tests would fetch
/// them on first use anyway; doing it here makes set-up the one place that
/// needs the network, and reports a failed download as a set-up step.
fn install_zig() -> Result {
    for pin in pinned_zig::PINS {
        let zig = pinned_zig::ensure(pin)
            .map_err(|e| Error::step(&format!("install the pinned Zig {}", pin.version), e))?;
        eprintln!("xtask: Zig {} at {}", pin.version, zig.exe().display());
    }
    Ok(())
}

/// The book's own preprocessors, each run by `book.toml` as
/// `cargo run --package <name>`.
const PREPROCESSORS: &[&str] = &[
    "mdbook-vault",
    "mdbook-plots",
    "mdbook-figures",
    "mdbook-diagrams",
];

/// Builds each preprocessor the way `book.toml` runs it (one `--package`
/// at a time, so the same feature selection and no rebuild later), so that
/// the first `mdbook build` or `serve` does not sit silent while cargo
/// compiles it under `--quiet`, and above all so that a preprocessor that
/// does not compile fails here: mdBook itself takes a failed `supports`
/// probe for "does not support this renderer", skips the preprocessor and
/// still writes the book, with raw `[[wiki links]]` in it.
fn build_preprocessors() -> Result {
    for name in PREPROCESSORS {
        cmd::run(
            &format!("build the {name} preprocessor"),
            cmd::command(workspace::cargo()).args(["build", "--package", name]),
        )?;
    }
    Ok(())
}

/// The version a `--version` line reports: its last word, without a `v`
/// (`mdbook v0.5.4`, `mdbook-mermaid 0.17.1`).
fn reported_version(version_output: &str) -> Option<&str> {
    let word = version_output.split_whitespace().last()?;
    Some(word.strip_prefix('v').unwrap_or(word))
}

/// The installed version of `name`, if it runs at all.
fn installed_version(name: &str) -> Option<String> {
    let output = cmd::command(name).arg("--version").output().ok()?;
    if !output.status.success() {
        return None;
    }
    reported_version(&String::from_utf8_lossy(&output.stdout)).map(str::to_string)
}

fn ensure_installed(tool: &Tool) -> Result {
    match installed_version(tool.name) {
        Some(version) if version == tool.version => return Ok(()),
        Some(version) => eprintln!(
            "xtask: {} {version} is installed; the book needs {}",
            tool.name, tool.version
        ),
        None => eprintln!("xtask: {} is not installed", tool.name),
    }
    // --locked: the tool's own Cargo.lock, as its authors tested it.
    cmd::run(
        &format!("install {} {}", tool.name, tool.version),
        cmd::command(workspace::cargo()).args([
            "install",
            "--locked",
            "--version",
            tool.version,
            tool.name,
        ]),
    )?;
    match installed_version(tool.name) {
        Some(version) if version == tool.version => Ok(()),
        other => Err(Error::step(
            &format!("install {}", tool.name),
            format!(
                "after installing, `{} --version` reports {other:?}; is {} first on PATH?",
                tool.name,
                workspace::cargo_bin().display()
            ),
        )),
    }
}

/// Has `mdbook-mermaid install` write its files into a scratch book under
/// `target/`, then copies mermaid's script into the book if it differs. Going
/// through a scratch book keeps `install` from editing our `book.toml`, and
/// comparing contents replaces the files after an upgrade (`install` itself
/// skips files that exist).
fn generate_mermaid_files() -> Result {
    let step = "generate mermaid files";
    let root = workspace::root();
    let scratch = root.join("target/xtask/mermaid");
    let fail = |e: std::io::Error| Error::step(step, e);
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).map_err(fail)?;
    fs::write(scratch.join("book.toml"), "[book]\n").map_err(fail)?;
    cmd::output(
        step,
        cmd::command("mdbook-mermaid")
            .arg("install")
            .arg(&scratch)
            .env("RUST_LOG", "warn"),
    )?;
    let generated = fs::read(scratch.join(MERMAID_SCRIPT)).map_err(fail)?;
    let target = root.join(MERMAID_DEST);
    if fs::read(&target).ok().as_ref() != Some(&generated) {
        fs::write(&target, &generated).map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions_of_both_tools() {
        assert_eq!(reported_version("mdbook v0.5.4\n"), Some("0.5.4"));
        assert_eq!(reported_version("mdbook-mermaid 0.17.1"), Some("0.17.1"));
        assert_eq!(reported_version(""), None);
    }
}
