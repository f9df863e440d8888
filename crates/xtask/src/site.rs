//! `cargo xtask site`: the book as a static site, a directory of plain files
//! to copy to any static host (GitHub Pages: `.github/workflows/pages.yml`).

use std::fs;
use std::path::{Path, PathBuf};

use crate::cmd::{self, Error, Result};
use crate::workspace;

const STEP: &str = "build the static site";

/// Where the site goes unless `--out` says otherwise.
const DEFAULT_OUT: &str = "target/site";

/// Files a working site must have: the first page, the page static hosts
/// serve for missing ones, the print page, and mermaid (copied from
/// `book/mermaid.min.js`, which `cargo xtask setup` writes).
const REQUIRED: &[&str] = &["index.html", "404.html", "print.html", "mermaid.min.js"];

/// What `site` was asked for.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    /// The output directory (relative paths are from the repository root).
    out: PathBuf,
    /// Replaces book.toml's `site-url`, for a host that serves the site
    /// under another path.
    site_url: Option<String>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        out: PathBuf::from(DEFAULT_OUT),
        site_url: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| Error::usage(format!("site: {name} needs a value")))
        };
        match arg.as_str() {
            "--out" => options.out = PathBuf::from(value("--out")?),
            "--site-url" => {
                let url = value("--site-url")?;
                let is_path = url.starts_with('/');
                let is_url = url.starts_with("https://") || url.starts_with("http://");
                if !(is_path || is_url) || !url.ends_with('/') {
                    return Err(Error::usage(format!(
                        "site: --site-url `{url}` must be a path or an http(s) URL ending in `/`, \
                         e.g. /buffer-scheduling/"
                    )));
                }
                options.site_url = Some(url);
            }
            other => {
                return Err(Error::usage(format!(
                    "site: unknown argument `{other}` (expected --out DIR, --site-url URL)"
                )));
            }
        }
    }
    Ok(options)
}

/// Builds the site with `mdbook build` into the output directory and checks
/// that it is complete and made of plain files. Expects `tools::setup` to
/// have run.
pub(crate) fn site(args: &[String]) -> Result {
    let options = parse(args)?;
    let out = workspace::root().join(&options.out);
    let mut build = cmd::command("mdbook");
    let (key, value) = crate::book::REQUIRE_DIAGRAMS;
    build
        .arg("build")
        .arg("--dest-dir")
        .arg(&out)
        .env(key, value);
    if let Some(url) = &options.site_url {
        // mdBook reads `MDBOOK_OUTPUT__HTML__SITE_URL` as output.html.site-url.
        build.env("MDBOOK_OUTPUT__HTML__SITE_URL", url);
    }
    cmd::run(STEP, &mut build)?;

    let mut files = Vec::new();
    walk(&out, &mut files).map_err(|e| Error::step(STEP, format!("{}: {e}", out.display())))?;
    let links: Vec<String> = files
        .iter()
        .filter(|(_, is_link, _)| *is_link)
        .map(|(path, _, _)| shown(&out, path))
        .collect();
    if !links.is_empty() {
        return Err(Error::step(
            STEP,
            format!(
                "the output holds symbolic links, which a copy to a host may not follow: {}",
                links.join(", ")
            ),
        ));
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|name| !out.join(name).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(Error::step(
            STEP,
            format!("{} lacks {}", out.display(), missing.join(", ")),
        ));
    }
    let bytes: u64 = files.iter().map(|(_, _, len)| len).sum();
    eprintln!(
        "xtask: the site is in {} ({} files, {:.1} MB): copy that directory to any static host",
        out.display(),
        files.len(),
        bytes as f64 / 1e6
    );
    Ok(())
}

/// Every file under `dir`: its path, whether it is a symbolic link, its size.
fn walk(dir: &Path, files: &mut Vec<(PathBuf, bool, u64)>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, files)?;
        } else {
            files.push((path, kind.is_symlink(), entry.metadata()?.len()));
        }
    }
    Ok(())
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_the_output_directory_and_site_url() {
        assert_eq!(
            parse(&args(&[])).unwrap(),
            Options {
                out: PathBuf::from(DEFAULT_OUT),
                site_url: None
            }
        );
        assert_eq!(
            parse(&args(&["--out", "/tmp/s", "--site-url", "/docs/"])).unwrap(),
            Options {
                out: PathBuf::from("/tmp/s"),
                site_url: Some("/docs/".into())
            }
        );
    }

    #[test]
    fn refuses_a_site_url_without_its_final_slash_and_unknown_arguments() {
        assert!(parse(&args(&["--site-url", "/docs"])).is_err());
        assert!(parse(&args(&["--site-url", "docs/"])).is_err());
        assert!(parse(&args(&["--out"])).is_err());
        assert!(parse(&args(&["--fast"])).is_err());
    }
}
