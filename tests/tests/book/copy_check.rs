//! The copy check: what a reader gets from a snippet's copy button must
//! compile as a program of a fresh crate that depends on the book's crates,
//! and must print what the page says it prints.
//!
//! All snippets become binaries (`src/bin/*.rs`) of one generated crate,
//! built by one `cargo build`. The crate and its target directory live under
//! `target/` and are reused between runs: a binary is named after its
//! chapter and a hash of its copied text, and a file is only written when its
//! contents change, so after editing one chapter cargo rebuilds just the
//! snippets that changed.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;
use wait_timeout::ChildExt;

use cargo_metadata::diagnostic::{Diagnostic as RustcDiagnostic, DiagnosticLevel};
use cargo_metadata::{DependencyKind, Message, MetadataCommand};
use similar::TextDiff;

use crate::snippets::{Mode, Snippet};
use book_model::Diagnostic;
use conformance::exec::fnv1a;

/// How long one snippet may run.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A dependency of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dependency {
    /// The name snippets use (`zigio`, `zigio_http`), also its key in the
    /// generated `Cargo.toml`.
    pub name: String,
    /// Its `Cargo.toml` value, e.g. `{ path = "/…/crates/zigio" }`.
    pub spec: String,
}

/// Where the generated crate lives.
#[derive(Debug, Clone)]
pub(crate) struct SnippetCrate {
    /// The crate's directory (its `Cargo.toml`, `src/bin/`).
    pub dir: PathBuf,
    /// Its target directory; can be shared between several generated crates.
    pub target_dir: PathBuf,
    /// The dependencies every snippet gets.
    pub dependencies: Vec<Dependency>,
    /// A `Cargo.lock` to start from, so snippets build against the versions
    /// the workspace has locked.
    pub lockfile: Option<PathBuf>,
}

/// Reads the normal dependencies of the package at `manifest` (the
/// `book-tests` package), which by convention are the crates snippets may use.
pub(crate) fn dependencies_of(manifest: &Path) -> Vec<Dependency> {
    let metadata = MetadataCommand::new()
        .manifest_path(manifest)
        .no_deps()
        .exec()
        .unwrap_or_else(|e| panic!("cargo metadata failed: {e}"));
    let manifest = fs::canonicalize(manifest).expect("manifest path");
    let package = metadata
        .packages
        .iter()
        .find(|p| fs::canonicalize(&p.manifest_path).is_ok_and(|m| m == manifest))
        .expect("the manifest's package in cargo metadata");
    package
        .dependencies
        .iter()
        .filter(|d| d.kind == DependencyKind::Normal)
        .map(|d| {
            let package = d.name.clone();
            // The key is the name snippets use, a Rust identifier: a package
            // named with a hyphen (`zigio-http`) is then named by `package`.
            let name = d.rename.as_ref().unwrap_or(&package).replace('-', "_");
            let mut fields = Vec::new();
            if name != package {
                fields.push(format!("package = {package:?}"));
            }
            match &d.path {
                Some(path) => fields.push(format!("path = {:?}", path.as_str())),
                None => fields.push(format!("version = {:?}", d.req.to_string())),
            }
            if !d.uses_default_features {
                fields.push("default-features = false".into());
            }
            let features: Vec<String> = d.features.iter().map(|f| format!("{f:?}")).collect();
            if !features.is_empty() {
                fields.push(format!("features = [{}]", features.join(", ")));
            }
            Dependency {
                name,
                spec: format!("{{ {} }}", fields.join(", ")),
            }
        })
        .collect()
}

/// The binary name of a snippet: its chapter and a hash of its copied text.
fn binary_name(snippet: &Snippet) -> String {
    let chapter: String = snippet
        .file
        .with_extension("")
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    // FNV-1a, unlike `DefaultHasher`, is specified: names survive toolchain
    // updates.
    format!(
        "{chapter}_{:012x}",
        fnv1a(snippet.copied_text().as_bytes()) >> 16
    )
}

/// Writes `contents` to `path` unless it already holds exactly that, so that
/// unchanged files keep their modification time and cargo sees them fresh.
fn write_if_changed(path: &Path, contents: &str) {
    if fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return;
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create directory");
    }
    fs::write(path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

impl SnippetCrate {
    /// Runs the copy check over `snippets` and returns what is wrong.
    pub(crate) fn check(&self, snippets: &[Snippet]) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        // Snippets with the same chapter and text are the same program.
        let mut by_name: BTreeMap<String, Vec<&Snippet>> = BTreeMap::new();
        for snippet in snippets.iter().filter(|s| s.mode != Mode::Ignore) {
            by_name
                .entry(binary_name(snippet))
                .or_default()
                .push(snippet);
        }
        self.write_crate(&by_name);
        let (executables, build_problems) = self.build(&by_name);
        problems.extend(build_problems);
        for (name, group) in &by_name {
            let Some(executable) = executables.get(name) else {
                continue;
            };
            for snippet in group {
                problems.extend(self.run(name, executable, snippet));
            }
        }
        problems
    }

    fn write_crate(&self, by_name: &BTreeMap<String, Vec<&Snippet>>) {
        let mut manifest = String::from(
            "# Generated by tests/tests/book/copy_check.rs: one binary per book snippet,\n\
             # holding what the snippet's copy button copies. Do not edit.\n\
             [package]\n\
             name = \"book-snippets\"\n\
             version = \"0.0.0\"\n\
             edition = \"2024\"\n\
             publish = false\n\n\
             [dependencies]\n",
        );
        for dependency in &self.dependencies {
            manifest.push_str(&format!("{} = {}\n", dependency.name, dependency.spec));
        }
        // An empty workspace table keeps cargo from treating the crate as a
        // stray member of the repository's workspace above it.
        manifest.push_str("\n[workspace]\n");
        write_if_changed(&self.dir.join("Cargo.toml"), &manifest);

        if let Some(lockfile) = &self.lockfile {
            // Start from the workspace's lock whenever it changes; cargo then
            // prunes it to this crate's graph.
            let locked = fs::read_to_string(lockfile).unwrap_or_default();
            let seen = self.dir.join("Cargo.lock.workspace");
            if fs::read_to_string(&seen).ok() != Some(locked.clone()) {
                fs::write(self.dir.join("Cargo.lock"), &locked).expect("write Cargo.lock");
                fs::write(&seen, &locked).expect("write Cargo.lock.workspace");
            }
        }

        let bin_dir = self.dir.join("src/bin");
        fs::create_dir_all(&bin_dir).expect("create src/bin");
        for (name, group) in by_name {
            write_if_changed(&bin_dir.join(format!("{name}.rs")), &group[0].copied_text());
        }
        // Snippets that no longer exist must not be built.
        for entry in fs::read_dir(&bin_dir).expect("read src/bin").flatten() {
            let path = entry.path();
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            if !by_name.contains_key(stem) {
                fs::remove_file(&path).expect("remove stale snippet");
            }
        }
    }

    /// Builds every binary with one cargo invocation; returns the executables
    /// by binary name, and the snippets that failed to compile.
    fn build(
        &self, by_name: &BTreeMap<String, Vec<&Snippet>>,
    ) -> (HashMap<String, PathBuf>, Vec<Diagnostic>) {
        let mut executables = HashMap::new();
        let mut problems = Vec::new();
        if by_name.is_empty() {
            return (executables, problems);
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .current_dir(&self.dir)
            .args(["build", "--bins", "--keep-going", "--message-format=json"])
            .arg("--target-dir")
            .arg(&self.target_dir)
            // The test runs inside `cargo test`; settings meant for the
            // workspace build must not leak into this one.
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .stdin(Stdio::null())
            .output()
            .expect("failed to run cargo build for the snippets");

        let mut errors: BTreeMap<String, Vec<RustcDiagnostic>> = BTreeMap::new();
        let mut rebuilt = 0;
        for message in Message::parse_stream(out.stdout.as_slice()).flatten() {
            match message {
                Message::CompilerArtifact(artifact) => {
                    if let Some(exe) = artifact.executable {
                        rebuilt += usize::from(!artifact.fresh);
                        executables.insert(artifact.target.name, exe.into_std_path_buf());
                    }
                }
                Message::CompilerMessage(message)
                    if message.message.level == DiagnosticLevel::Error =>
                {
                    errors
                        .entry(message.target.name)
                        .or_default()
                        .push(message.message);
                }
                _ => {}
            }
        }

        // Shown with `--nocapture`: how much of the work was incremental.
        eprintln!(
            "copy check ({}): {} snippet binaries, {rebuilt} rebuilt",
            self.dir.display(),
            by_name.len()
        );
        for (name, group) in by_name {
            if executables.contains_key(name) {
                continue;
            }
            for snippet in group {
                problems.push(compile_problem(
                    snippet,
                    errors.get(name),
                    name,
                    &out.stderr,
                ));
            }
        }
        (executables, problems)
    }

    /// Runs one snippet's executable and compares its output with the page.
    fn run(&self, name: &str, executable: &Path, snippet: &Snippet) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let problem = |line: usize, message: String| Diagnostic::new(&snippet.file, line, message);
        if snippet.mode == Mode::NoRun {
            if let Some(output) = &snippet.output {
                problems.push(problem(
                    output.line,
                    "a ```text block follows a no_run snippet, so nothing checks it".into(),
                ));
            }
            return problems;
        }

        // Each snippet runs in an empty directory of its own, so snippets
        // that write files cannot see each other's leftovers.
        let run_dir = self.dir.join("run").join(name);
        let _ = fs::remove_dir_all(&run_dir);
        fs::create_dir_all(&run_dir).expect("create run directory");
        let result = run_with_timeout(executable, &run_dir);
        let Ok((success, stdout, stderr)) = result else {
            problems.push(problem(
                snippet.line,
                format!("the snippet did not finish within {} s", TIMEOUT.as_secs()),
            ));
            return problems;
        };

        match (snippet.mode, success) {
            (Mode::ShouldPanic, true) => problems.push(problem(
                snippet.line,
                "the snippet is marked should_panic but exited successfully".into(),
            )),
            (Mode::Run, false) => problems.push(
                problem(snippet.line, "the snippet failed when run".into()).with_detail(stderr),
            ),
            _ => {}
        }
        match &snippet.output {
            Some(output) if output.text != stdout => {
                let expected = format!("{}:{} (```text)", snippet.file.display(), output.line);
                let actual = format!("stdout of {}:{}", snippet.file.display(), snippet.line);
                let diff = TextDiff::from_lines(&output.text, &stdout)
                    .unified_diff()
                    .header(&expected, &actual)
                    .to_string();
                problems.push(
                    problem(
                        snippet.line,
                        format!(
                            "the snippet's output differs from the ```text block at line {}",
                            output.line
                        ),
                    )
                    .with_detail(diff),
                );
            }
            None if !stdout.is_empty() => problems.push(
                problem(
                    snippet.line,
                    "the snippet prints, but no ```text block with its output follows it".into(),
                )
                .with_detail(format!("it printed:\n{stdout}")),
            ),
            _ => {}
        }
        problems
    }
}

/// Describes why a snippet failed to compile, with the compiler's errors
/// pointed at chapter lines.
fn compile_problem(
    snippet: &Snippet, errors: Option<&Vec<RustcDiagnostic>>, name: &str, cargo_stderr: &[u8],
) -> Diagnostic {
    let mut detail = String::new();
    let mut main_missing = !snippet.copied_text().contains("fn main");
    for error in errors.into_iter().flatten() {
        if let Some(span) = error.spans.iter().find(|s| s.is_primary) {
            detail.push_str(&format!(
                "{}:{}: ",
                snippet.file.display(),
                snippet.chapter_line_of_copied(span.line_start)
            ));
        }
        main_missing |= error.code.as_ref().is_some_and(|c| c.code == "E0601");
        detail.push_str(error.rendered.as_deref().unwrap_or_default());
        detail.push('\n');
    }
    if detail.is_empty() {
        // No diagnostics for this binary: cargo itself failed (a manifest or
        // dependency problem); its own output says why.
        detail = String::from_utf8_lossy(cargo_stderr).into_owned();
    }
    let mut message = format!(
        "the snippet, as the copy button copies it, does not compile in a fresh crate \
         (src/bin/{name}.rs)"
    );
    if main_missing {
        message.push_str(": its visible lines need a `fn main`");
    }
    Diagnostic::new(&snippet.file, snippet.line, message).with_detail(detail)
}

/// Runs `executable` in `dir` with no input. Returns whether it succeeded,
/// its stdout and its stderr, or `Err` if it ran out of time (it is killed).
fn run_with_timeout(executable: &Path, dir: &Path) -> Result<(bool, String, String), ()> {
    let mut child = Command::new(executable)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {}: {e}", executable.display()));
    // Read both pipes while waiting, or a chatty snippet would block on a
    // full pipe and look like a hang.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let Some(status) = child.wait_timeout(TIMEOUT).expect("wait for snippet") else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(());
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok((status.success(), stdout, stderr))
}
