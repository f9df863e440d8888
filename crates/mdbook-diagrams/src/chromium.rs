//! Drawing diagrams with mermaid in headless Chromium, with a cache.
//!
//! One Chromium run draws every diagram not in the cache: a generated page
//! loads `mermaid.min.js`, renders each source in each theme with
//! `mermaid.render`, and writes the results as JSON into a `<script>`
//! element; `--dump-dom` prints the page once its scripts are done
//! (`--virtual-time-budget` lets the promises finish first).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use wait_timeout::ChildExt;

use crate::{Drawing, THEMES};

/// How long one Chromium run may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The names tried for Chromium when `CHROMIUM` is not set.
const CHROMIUM_NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome"];

/// Why diagrams cannot be drawn here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

/// Draws diagrams with one `mermaid.min.js` and one Chromium.
#[derive(Debug, Clone)]
pub struct Renderer {
    chromium: PathBuf,
    mermaid: PathBuf,
    /// A hash of `mermaid.min.js`: a new mermaid (or a new drawing script)
    /// draws everything again.
    mermaid_hash: Vec<u8>,
    cache: PathBuf,
}

/// A diagram mermaid could not draw: its index in the request and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawError {
    /// Index into the sources given to [`Renderer::draw`]; `None` when the
    /// whole run failed.
    pub index: Option<usize>,
    /// mermaid's or Chromium's message.
    pub message: String,
}

/// One result of the drawing page.
#[derive(Deserialize)]
struct Drawn {
    index: usize,
    theme: String,
    svg: Option<String>,
    error: Option<String>,
}

impl Renderer {
    /// A renderer using `mermaid` (the script) and the Chromium named by
    /// `CHROMIUM` or found on `PATH`, caching under `cache`.
    ///
    /// # Errors
    /// When the script cannot be read or no Chromium is found.
    pub fn new(mermaid: &Path, cache: &Path) -> Result<Renderer, Unavailable> {
        let script = fs::read(mermaid).map_err(|e| {
            Unavailable(format!(
                "cannot read {} ({e}); `cargo xtask setup` writes it",
                mermaid.display()
            ))
        })?;
        let chromium = find_chromium().ok_or_else(|| {
            Unavailable(format!(
                "no Chromium ({} on PATH, or CHROMIUM=/path)",
                CHROMIUM_NAMES.join(", ")
            ))
        })?;
        Ok(Renderer {
            chromium,
            mermaid: mermaid.to_path_buf(),
            mermaid_hash: Sha256::digest(&script).to_vec(),
            cache: cache.to_path_buf(),
        })
    }

    /// The name a diagram's drawings are cached and identified under.
    pub fn key(&self, source_html: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(&self.mermaid_hash);
        // How they are drawn (themes, options) is part of what they are.
        hash.update(DRAW.as_bytes());
        hash.update(source_html.as_bytes());
        let hex: String = hash.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("mermaid-{hex}")
    }

    fn cached(&self, key: &str) -> Option<Drawing> {
        let read = |theme: &str| fs::read_to_string(self.cache.join(format!("{key}-{theme}.svg")));
        Some(Drawing {
            svgs: [read(THEMES[0]).ok()?, read(THEMES[1]).ok()?],
        })
    }

    /// Draws each source (HTML-escaped, as mdbook-mermaid writes it), from
    /// the cache where it can.
    ///
    /// # Errors
    /// Every diagram mermaid could not draw, or why the run failed.
    pub fn draw(&self, sources: &[String]) -> Result<Vec<Drawing>, Vec<DrawError>> {
        let keys: Vec<String> = sources.iter().map(|s| self.key(s)).collect();
        let missing: Vec<usize> = (0..sources.len())
            .filter(|&i| self.cached(&keys[i]).is_none())
            .collect();
        if !missing.is_empty() {
            self.run(&missing, sources, &keys)?;
        }
        keys.iter()
            .map(|key| {
                self.cached(key).ok_or_else(|| {
                    vec![DrawError {
                        index: None,
                        message: format!("{key} is not in {}", self.cache.display()),
                    }]
                })
            })
            .collect()
    }

    /// Draws `missing` (indices into `sources`) in one Chromium run and
    /// caches the drawings.
    fn run(
        &self, missing: &[usize], sources: &[String], keys: &[String],
    ) -> Result<(), Vec<DrawError>> {
        let whole = |message: String| {
            vec![DrawError {
                index: None,
                message,
            }]
        };
        fs::create_dir_all(&self.cache)
            .map_err(|e| whole(format!("cannot create {}: {e}", self.cache.display())))?;
        let page = self.cache.join(format!("draw-{}.html", std::process::id()));
        let profile = self.cache.join(format!("profile-{}", std::process::id()));
        fs::write(&page, self.page(missing, sources, keys))
            .map_err(|e| whole(format!("cannot write {}: {e}", page.display())))?;
        let dom = self.dump_dom(&page, &profile);
        let _ = fs::remove_file(&page);
        let _ = fs::remove_dir_all(&profile);
        let drawn = parse_results(&dom.map_err(whole)?).map_err(whole)?;
        let mut errors = Vec::new();
        for result in drawn {
            let index = missing.get(result.index).copied();
            match (result.svg, index) {
                (Some(svg), Some(i)) => {
                    let path = self.cache.join(format!("{}-{}.svg", keys[i], result.theme));
                    if let Err(e) = fs::write(&path, svg) {
                        errors.push(DrawError {
                            index,
                            message: format!("cannot write {}: {e}", path.display()),
                        });
                    }
                }
                (svg, _) => errors.push(DrawError {
                    index,
                    message: result.error.unwrap_or_else(|| match svg {
                        Some(_) => "a drawing for no diagram".into(),
                        None => "mermaid returned no drawing".into(),
                    }),
                }),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The page that draws `missing`: each source in a `<pre>` (the browser
    /// unescapes it), drawn under the ids `KEY-THEME`.
    fn page(&self, missing: &[usize], sources: &[String], keys: &[String]) -> String {
        let mut html = format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><script src=\"{}\"></script></head><body>\n",
            file_url(&self.mermaid)
        );
        for (n, &i) in missing.iter().enumerate() {
            html.push_str(&format!(
                "<pre class=\"source\" data-index=\"{n}\" data-key=\"{}\">{}</pre>\n",
                keys[i], sources[i]
            ));
        }
        html.push_str(&format!(
            "<script>\nconst THEMES = {};\n{DRAW}</script></body></html>\n",
            serde_json::json!(THEMES)
        ));
        html
    }

    fn dump_dom(&self, page: &Path, profile: &Path) -> Result<String, String> {
        let mut child = Command::new(&self.chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--allow-file-access-from-files",
                "--virtual-time-budget=60000",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--dump-dom")
            .arg(file_url(page))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.chromium.display()))?;
        // The page is small; Chromium's chatter on stderr is read after.
        let mut out = String::new();
        let stdout = child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut s) = stdout {
                let _ = s.read_to_string(&mut text);
            }
            text
        });
        let status = match child.wait_timeout(TIMEOUT) {
            Ok(Some(status)) => status,
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} did not finish within {} s",
                    self.chromium.display(),
                    TIMEOUT.as_secs()
                ));
            }
            Err(e) => return Err(format!("waiting for {}: {e}", self.chromium.display())),
        };
        out.push_str(&reader.join().unwrap_or_default());
        if !status.success() {
            let mut err = String::new();
            if let Some(mut s) = child.stderr.take() {
                let _ = s.read_to_string(&mut err);
            }
            return Err(format!(
                "{} failed ({status}): {}",
                self.chromium.display(),
                err.trim()
            ));
        }
        Ok(out)
    }
}

/// The drawing page's script: results go to `<script id="drawn">` as JSON,
/// with `<` escaped so that no drawing can close the element.
const DRAW: &str = r#"(async () => {
    const results = [];
    for (const theme of THEMES) {
        // mermaid's dark theme puts edge labels (#ccc) on #585858, 4.3:1;
        // a darker ground gives them the 4.5:1 of body text.
        const themeVariables = theme === 'dark' ? { edgeLabelBackground: '#404040' } : {};
        mermaid.initialize({ startOnLoad: false, theme, themeVariables });
        for (const pre of document.querySelectorAll('pre.source')) {
            const index = Number(pre.dataset.index);
            try {
                const { svg } = await mermaid.render(`${pre.dataset.key}-${theme}`, pre.textContent);
                results.push({ index, theme, svg });
            } catch (e) {
                results.push({ index, theme, error: String((e && e.message) || e) });
            }
        }
    }
    const out = document.createElement('script');
    out.type = 'application/json';
    out.id = 'drawn';
    out.textContent = JSON.stringify(results).replace(/</g, '\\u003c');
    document.body.appendChild(out);
})();
"#;

/// The results in a dumped DOM.
fn parse_results(dom: &str) -> Result<Vec<Drawn>, String> {
    const START: &str = "<script type=\"application/json\" id=\"drawn\">";
    let json = dom
        .split_once(START)
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(json, _)| json)
        .ok_or_else(|| {
            let start: String = dom.chars().take(300).collect();
            format!("Chromium's page did not finish drawing (mermaid did not load?); it printed: {start}")
        })?;
    serde_json::from_str(json).map_err(|e| format!("the drawing page's results: {e}"))
}

fn file_url(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", absolute.display())
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .flat_map(|dir| CHROMIUM_NAMES.iter().map(move |name| dir.join(name)))
        .find(|path| path.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_read_from_the_dumped_dom() {
        let dom = "<html><body><pre>x</pre><script type=\"application/json\" id=\"drawn\">\
                   [{\"index\":0,\"theme\":\"dark\",\"svg\":\"\\u003csvg>\"}]</script></body></html>";
        let drawn = parse_results(dom).unwrap();
        assert_eq!(drawn[0].svg.as_deref(), Some("<svg>"));
        assert_eq!(drawn[0].theme, "dark");
        let err = parse_results("<html><body></body></html>").err().unwrap();
        assert!(err.contains("did not finish drawing"), "{err}");
    }
}
