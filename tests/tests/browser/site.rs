//! The site under test: the book built from the working tree by
//! `mdbook build` (once per test process), its pages as found on disk, and
//! the servers that serve it (as they are, and gzipped).
//!
//! Setting `BOOK_SITE_DIR` to an already built site (e.g. `target/site` from
//! `cargo xtask site`, or an older build to compare page weights) tests that
//! directory instead of building.

use std::env;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

use crate::server::{Encoding, Server};
use wait_timeout::ChildExt;

/// How long `mdbook build` may take. Generous: on a cold target directory
/// it compiles the book's preprocessors (`cargo run` in `book.toml`).
const BUILD_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// The built and served book.
pub(crate) struct Site {
    /// The build output.
    pub dir: PathBuf,
    /// Every `.html` file of the output, relative to `dir`, with `/`.
    pub pages: Vec<String>,
    /// The server, serving `dir` under the path of `site-url`, files as
    /// they are.
    pub server: Server,
    /// The same files from a second server that gzips what compresses, as
    /// a static host serves readers.
    pub gzip_server: Server,
}

/// The site, built and served on first use. Every test of the process
/// shares it; a build failure fails each test with the build's output.
pub(crate) fn site() -> &'static Site {
    static SITE: OnceLock<Result<Site, String>> = OnceLock::new();
    match SITE.get_or_init(prepare) {
        Ok(site) => site,
        Err(message) => panic!("{message}"),
    }
}

pub(crate) use book_tests::repo_root;

/// Cargo's target directory for this build (`CARGO_TARGET_TMPDIR` is its
/// `tmp/`), where the artifacts of these tests go.
pub(crate) fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_path_buf()
}

/// Where screenshots and the other artifacts of these tests are written.
pub(crate) fn artifacts_dir() -> PathBuf {
    target_dir().join("browser-screenshots")
}

fn prepare() -> Result<Site, String> {
    let dir = match env::var_os("BOOK_SITE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-site");
            build(&dir)?;
            dir
        }
    };
    let mut pages = Vec::new();
    collect_pages(&dir, &dir, &mut pages)
        .map_err(|e| format!("listing the pages of {}: {e}", dir.display()))?;
    pages.sort();
    if pages.is_empty() {
        return Err(format!("{} holds no .html page", dir.display()));
    }
    // Artifacts of an earlier run would pass for this run's.
    let artifacts = artifacts_dir();
    if artifacts.exists() {
        fs::remove_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    }
    let prefix = site_path(&dir)?;
    let start = |encoding| {
        Server::start(dir.clone(), &prefix, encoding)
            .map_err(|e| format!("starting the HTTP server on 127.0.0.1: {e}"))
    };
    let server = start(Encoding::Identity)?;
    let gzip_server = start(Encoding::Gzip)?;
    Ok(Site {
        dir,
        pages,
        server,
        gzip_server,
    })
}

/// `mdbook build -d DIR` from the repository root, with cargo's bin
/// directory on `PATH` and the diagrams required, as `cargo xtask` has it.
fn build(dir: &Path) -> Result<(), String> {
    let root = repo_root();
    let mut child = Command::new("mdbook")
        .arg("build")
        .arg("--dest-dir")
        .arg(dir)
        .current_dir(&root)
        .env("PATH", book_model::mdbook::path_with_cargo_bin())
        // As `cargo xtask build` and `site`: every diagram drawn at build
        // time, or the build fails.
        .env("MDBOOK_DIAGRAMS_REQUIRE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "could not run `mdbook build`: {e}; `cargo xtask setup` installs mdbook 0.5.4 \
                 and generates mermaid's files"
            )
        })?;
    // Drain both pipes while waiting, so a chatty build cannot block.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let Some(status) = child
        .wait_timeout(BUILD_TIMEOUT)
        .map_err(|e| e.to_string())?
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "`mdbook build` did not finish within {} s",
            BUILD_TIMEOUT.as_secs()
        ));
    };
    let output = format!(
        "{}{}",
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default()
    );
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`mdbook build --dest-dir {}` failed ({status}):\n{output}",
            dir.display()
        ))
    }
}

fn collect_pages(root: &Path, dir: &Path, pages: &mut Vec<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_pages(root, &path, pages)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            pages.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// The path the site is served under: the path of `site-url`, which mdBook
/// writes as the `<base href>` of `404.html` (the only page that needs it);
/// `/` when there is none.
fn site_path(dir: &Path) -> Result<String, String> {
    let file = dir.join("404.html");
    let Ok(html) = fs::read_to_string(&file) else {
        return Ok("/".to_string());
    };
    let Some(start) = html.find("<base href=\"") else {
        return Ok("/".to_string());
    };
    let rest = &html[start + "<base href=\"".len()..];
    let href = &rest[..rest.find('"').unwrap_or(0)];
    // site-url may be absolute (`https://host/path/`) or a path.
    let path = match href.find("://") {
        Some(scheme_end) => {
            let after = &href[scheme_end + 3..];
            &after[after.find('/').unwrap_or(after.len())..]
        }
        None => href,
    };
    if path.starts_with('/') && path.ends_with('/') {
        Ok(path.to_string())
    } else {
        Err(format!(
            "{}: <base href=\"{href}\"> (from book.toml's site-url) must be a path or URL \
             ending in `/`",
            file.display()
        ))
    }
}
