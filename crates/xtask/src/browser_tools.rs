//! The npm packages of the browser tests (axe-core, which they load into
//! pages, and Lighthouse, which they run with node), pinned by
//! `tests/browser-tools/package-lock.json` and installed with `npm ci` into
//! `target/browser-tools`: nothing is written into the sources.

use std::fs;
use std::path::Path;

use crate::cmd::{self, Error, Result};
use crate::workspace;

const STEP: &str = "install the browser tests' npm packages";

/// Installs the pinned packages unless `target/browser-tools` already holds
/// exactly them (npm's own record, `node_modules/.package-lock.json`, lists
/// the same packages as the lock file).
pub(crate) fn install() -> Result {
    let root = workspace::root();
    let source = root.join("tests/browser-tools");
    let dest = root.join("target/browser-tools");
    let error =
        |e: std::io::Error, path: &Path| Error::step(STEP, format!("{}: {e}", path.display()));
    fs::create_dir_all(&dest).map_err(|e| error(e, &dest))?;
    for file in ["package.json", "package-lock.json"] {
        fs::copy(source.join(file), dest.join(file)).map_err(|e| error(e, &source.join(file)))?;
    }
    if installed_matches(&dest) {
        return Ok(());
    }
    let mut npm = cmd::command("npm");
    npm.args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dest);
    cmd::run(STEP, &mut npm).map_err(|e| {
        Error::step(
            STEP,
            format!("{e}\n(the browser tests need Node.js's npm: Debian's `npm` package)"),
        )
    })
}

/// Whether the installed packages are those of the lock file.
fn installed_matches(dest: &Path) -> bool {
    let packages = |path: &Path| -> Option<serde_json::Value> {
        let text = fs::read_to_string(path).ok()?;
        let mut json: serde_json::Value = serde_json::from_str(&text).ok()?;
        let mut packages = json.get_mut("packages")?.take();
        // The lock's root entry describes this package, not an install.
        packages.as_object_mut()?.remove("");
        Some(packages)
    };
    let wanted = packages(&dest.join("package-lock.json"));
    wanted.is_some() && wanted == packages(&dest.join("node_modules/.package-lock.json"))
}
