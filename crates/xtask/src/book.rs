//! mdBook: build, serve, and `mdbook test` made reliable.

use std::fs;
use std::path::{Path, PathBuf};

use cargo_metadata::Message;

use crate::cmd::{self, Error, Result};
use crate::workspace;

/// Where `serve` listens.
const ADDRESS: (&str, &str) = ("127.0.0.1", "3000");

/// The variable that makes mdbook-diagrams fail rather than leave a diagram
/// for the browser to draw: a site built here ships drawings only.
pub(crate) const REQUIRE_DIAGRAMS: (&str, &str) = ("MDBOOK_DIAGRAMS_REQUIRE", "1");

/// `mdbook build` (into `target/book`, per `book.toml`).
pub(crate) fn build() -> Result {
    let (key, value) = REQUIRE_DIAGRAMS;
    cmd::run(
        "mdbook build",
        cmd::command("mdbook").arg("build").env(key, value),
    )
}

/// `mdbook serve` at http://127.0.0.1:3000, rebuilding on changes.
pub(crate) fn serve() -> Result {
    let (host, port) = ADDRESS;
    eprintln!("xtask: serving the book at http://{host}:{port}");
    cmd::run(
        "mdbook serve",
        cmd::command("mdbook").args(["serve", "--hostname", host, "--port", port]),
    )
}

/// `mdbook test`, linked against exactly one build of each crate the
/// snippets use.
///
/// `mdbook test` hands rustdoc `-L <dir>` but no `--extern`, so a snippet can
/// reach a crate only through `extern crate` (every snippet has a hidden
/// `# extern crate zigio;`), and rustdoc fails with E0464 ("multiple
/// candidates") as soon as the directory holds two builds of that crate —
/// which `target/debug/deps` does after `cargo clippy`, a feature change or
/// a dependency update. So the crates are built in their own target
/// directory, and the exact files of this build (from cargo's JSON messages)
/// are copied into a fresh directory that rustdoc gets as its only `-L`.
pub(crate) fn mdbook_test() -> Result {
    let libs = prepare_libraries()?;
    cmd::run(
        "mdbook test",
        cmd::command("mdbook").arg("test").arg("-L").arg(&libs),
    )
}

/// Builds the snippets' crates and returns a directory holding exactly the
/// libraries of that build.
fn prepare_libraries() -> Result<PathBuf> {
    let step = "build the snippets' crates for mdbook test";
    let target_dir = workspace::root().join("target/mdbook-test");
    let crates = workspace::snippet_crates()?;
    let mut build = cmd::command(workspace::cargo());
    build
        .args([
            "build",
            "--message-format=json-render-diagnostics",
            "--target-dir",
        ])
        .arg(&target_dir);
    for name in &crates {
        build.args(["--package", name]);
    }
    // book-tests itself too: a snippet crate that no other selected package
    // depends on normally (sha2) has no resolved features when it is named
    // with --package alone, and cargo panics ("did not find features").
    build.args(["--package", "book-tests"]);
    let output = cmd::output(step, &mut build)?;
    let libraries = library_files(&String::from_utf8_lossy(&output.stdout));
    if libraries.is_empty() {
        return Err(Error::step(step, "cargo reported no library artifacts"));
    }

    let dir = target_dir.join("lib");
    let fail = |e: std::io::Error| Error::step(step, format!("{}: {e}", dir.display()));
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(fail)?;
    }
    fs::create_dir_all(&dir).map_err(fail)?;
    for file in &libraries {
        let name = file.file_name().expect("artifact has a file name");
        link_or_copy(file, &dir.join(name)).map_err(fail)?;
    }
    Ok(dir)
}

/// The library files (`.rlib`, proc-macro `.so`) that cargo's JSON messages
/// report, fresh or rebuilt. Build scripts are left out, and so are `.rmeta`
/// files: for a package named with `--package`, cargo reports the rlib it
/// copied out of `deps/` (`libzigio.rlib`, no hash) next to the hashed
/// `deps/libzigio-<hash>.rmeta`, and rustc takes the two for different
/// crates ("required to be available in rlib format").
fn library_files(json_lines: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for message in Message::parse_stream(json_lines.as_bytes()).flatten() {
        let Message::CompilerArtifact(artifact) = message else {
            continue;
        };
        let kinds = &artifact.target.kind;
        if kinds.iter().any(|k| k == "custom-build" || k == "bin") {
            continue;
        }
        files.extend(
            artifact
                .filenames
                .into_iter()
                .filter(|f| !f.as_str().ends_with(".rmeta"))
                .map(|f| f.into_std_path_buf()),
        );
    }
    files
}

/// Hard-links `from` to `to`, copying where links are not possible.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `compiler-artifact` message as cargo prints it, for a target of
    /// `kind` that produced `filenames`.
    fn artifact(kind: &str, filenames: &[&str]) -> String {
        serde_json::json!({
            "reason": "compiler-artifact",
            "package_id": "path+file:///t#x@0.1.0",
            "manifest_path": "/t/Cargo.toml",
            "target": {
                "kind": [kind],
                "crate_types": [kind],
                "name": "x",
                "src_path": "/t/src/lib.rs",
                "edition": "2024",
                "doc": true,
                "doctest": true,
                "test": true
            },
            "profile": {
                "opt_level": "0",
                "debuginfo": 2,
                "debug_assertions": true,
                "overflow_checks": true,
                "test": false
            },
            "features": [],
            "filenames": filenames,
            "executable": null,
            "fresh": true
        })
        .to_string()
    }

    #[test]
    fn keeps_library_artifacts_and_drops_build_scripts() {
        let json = [
            artifact("custom-build", &["/t/build/x/build-script-build"]),
            artifact(
                "lib",
                &[
                    "/t/debug/deps/libzigio-1.rlib",
                    "/t/debug/deps/libzigio-1.rmeta",
                ],
            ),
            artifact("proc-macro", &["/t/debug/deps/libserde_derive-2.so"]),
            r#"{"reason":"build-finished","success":true}"#.to_string(),
            "not json".to_string(),
        ]
        .join("\n");
        assert_eq!(
            library_files(&json),
            [
                PathBuf::from("/t/debug/deps/libzigio-1.rlib"),
                PathBuf::from("/t/debug/deps/libserde_derive-2.so"),
            ]
        );
    }
}
