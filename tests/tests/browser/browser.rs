//! Debian's headless Chromium, driven over WebDriver by `fantoccini` through
//! Debian's `chromedriver` (the same version as the browser, from the
//! `chromium-driver` package).
//!
//! Each [`Browser`] has its own chromedriver process and a fresh profile
//! directory; dropping it ends both, even when a test panics. Every call has
//! a timeout, so a stuck browser fails the test with the step it was on
//! instead of hanging it.
//!
//! Beyond W3C WebDriver, two chromedriver extensions are used: its logs
//! (`goog:loggingPrefs`: the console as `browser`, DevTools network events
//! as `performance`) and `goog/cdp/execute` for DevTools commands.

use std::env;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value as Json, json};

use crate::network::{self, Request};
use crate::site;

/// The longest any single WebDriver command may take.
pub(crate) const STEP: Duration = Duration::from_secs(30);

/// How long a page may take to settle after its load event (diagrams
/// rendered, fonts loaded, no request in flight).
pub(crate) const SETTLE: Duration = Duration::from_secs(20);

/// The window every page is looked at in: wide enough for mdBook to show
/// its sidebar (it hides it below 1080 px).
const WINDOW: (u32, u32) = (1280, 900);

/// Chromium's flags: headless, no sandbox (CI runs as root), no GPU, no
/// traffic of its own (updates, sync, QUIC probes), `/tmp` instead of a
/// small `/dev/shm` in containers, one pixel per CSS pixel.
/// `--host-resolver-rules` makes every host but 127.0.0.1 unresolvable, so a
/// request that leaves the site fails fast and is reported, never fetched.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--lang=en-US",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];

/// One headless Chromium with its chromedriver.
pub(crate) struct Browser {
    client: Option<Client>,
    driver: Child,
    /// The browser process, from the session's `goog:processID`, ended on
    /// drop if the session could not be closed.
    chrome_pid: Option<u64>,
    profile: PathBuf,
    /// The DevTools id of the tab the session drives, whose network events
    /// are the pages' (the performance log has every tab's).
    target: String,
}

/// A console message or uncaught exception the page produced.
#[derive(Debug, Clone)]
pub(crate) struct ConsoleEntry {
    /// `SEVERE`, `WARNING`, `INFO`, …
    pub level: String,
    /// The message as Chromium logged it (source URL and position first).
    pub message: String,
}

/// What loading a page produced.
#[derive(Debug, Default)]
pub(crate) struct Visit {
    /// Console messages of level `SEVERE`: errors and uncaught exceptions.
    pub console_errors: Vec<ConsoleEntry>,
    /// Every request the page made, in order.
    pub requests: Vec<Request>,
}

fn program(env_name: &str, default: &str) -> PathBuf {
    env::var_os(env_name)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

impl Browser {
    /// Starts chromedriver on an ephemeral port and opens a session with a
    /// fresh profile. `CHROMEDRIVER` and `CHROMIUM` override the Debian
    /// paths `/usr/bin/chromedriver` and `/usr/bin/chromium`.
    pub(crate) async fn launch(name: &str) -> Result<Browser, String> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let chromedriver = program("CHROMEDRIVER", "/usr/bin/chromedriver");
        let chromium = program("CHROMIUM", "/usr/bin/chromium");
        for (path, package) in [(&chromedriver, "chromium-driver"), (&chromium, "chromium")] {
            if !path.is_file() {
                return Err(format!(
                    "{} not found: install Debian's `{package}` package (.ci/run does)",
                    path.display()
                ));
            }
        }
        let profile = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "browser-profile-{name}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&profile);
        fs::create_dir_all(&profile).map_err(|e| format!("{}: {e}", profile.display()))?;

        let mut driver = Command::new(&chromedriver)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", chromedriver.display()))?;
        let port = match driver_port(&mut driver) {
            Ok(port) => port,
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                return Err(e);
            }
        };
        let mut browser = Browser {
            client: None,
            driver,
            chrome_pid: None,
            profile,
            target: String::new(),
        };

        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", browser.profile.display()));
        args.push(format!("--window-size={},{}", WINDOW.0, WINDOW.1));
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false },
            },
        });
        let capabilities: Capabilities = capabilities.as_object().cloned().unwrap_or_default();
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        // chromedriver gives Chromium 60 s to start; a little more here.
        let client = match tokio::time::timeout(
            Duration::from_secs(90),
            builder.connect(&format!("http://127.0.0.1:{port}/")),
        )
        .await
        {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(format!("opening a Chromium session: {e}")),
            Err(_) => return Err("opening a Chromium session: no answer within 90 s".to_string()),
        };
        browser.chrome_pid = client
            .capabilities()
            .and_then(|c| c.get("goog:processID"))
            .and_then(Json::as_u64);
        browser.client = Some(client);
        let timeouts = TimeoutConfiguration::new(
            Some(Duration::from_secs(20)),
            Some(STEP),
            Some(Duration::ZERO),
        );
        browser
            .step("set timeouts", browser.client().update_timeouts(timeouts))
            .await?;
        let info = browser.cdp("Target.getTargetInfo", json!({})).await?;
        browser.target = info["targetInfo"]["targetId"]
            .as_str()
            .ok_or_else(|| format!("Target.getTargetInfo gave no targetId: {info}"))?
            .to_string();
        Ok(browser)
    }

    /// The WebDriver client.
    pub(crate) fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("the session is open until close()")
    }

    /// Runs `fut` (named `what` in errors) with the [`STEP`] timeout.
    pub(crate) async fn step<T, E: std::fmt::Display>(
        &self, what: &str, fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, String> {
        self.step_within(what, STEP, fut).await
    }

    /// Runs `fut` (named `what` in errors) for at most `limit`: for the few
    /// commands that do a page's worth of work (printing it, auditing it).
    pub(crate) async fn step_within<T, E: std::fmt::Display>(
        &self, what: &str, limit: Duration, fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, String> {
        match tokio::time::timeout(limit, fut).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(format!("{what}: {e}")),
            Err(_) => Err(format!("{what}: no answer within {} s", limit.as_secs())),
        }
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page.
    pub(crate) async fn eval(&self, script: &str, args: Vec<Json>) -> Result<Json, String> {
        let what = format!("running script `{}`", first_line(script));
        self.step(&what, self.client().execute(script, args)).await
    }

    /// Opens every `<details>` element of the page's `<main>` (the
    /// exercises' hidden solutions), as a reader does before using what is
    /// inside: a closed one's code blocks and links cannot be clicked.
    pub(crate) async fn open_details(&self) -> Result<(), String> {
        self.eval(
            "document.querySelectorAll('main details').forEach(d => { d.open = true; });",
            vec![],
        )
        .await
        .map(|_| ())
    }

    /// Builds every buffer lab of the page and waits for each one's first
    /// run: the lab builds itself only as it nears the viewport
    /// (`book/lab/lab.js`), so each is scrolled into view in turn; then back
    /// to the top.
    pub(crate) async fn show_labs(&self) -> Result<(), String> {
        let count = self
            .eval(
                "return document.querySelectorAll('.buffer-lab').length",
                vec![],
            )
            .await?;
        for index in 0..count.as_u64().unwrap_or(0) {
            self.eval(
                "document.querySelectorAll('.buffer-lab')[arguments[0]].scrollIntoView()",
                vec![json!(index)],
            )
            .await?;
            self.wait_until(
                &format!("the first run of lab {}", index + 1),
                &format!(
                    "return +document.querySelectorAll('.buffer-lab')[{index}].dataset.runs > 0"
                ),
                SETTLE,
            )
            .await?;
        }
        self.eval("window.scrollTo(0, 0)", vec![]).await.map(|_| ())
    }

    /// Runs an asynchronous `script`, which calls `arguments[arguments.length
    /// - 1]` with its result.
    pub(crate) async fn eval_async(&self, script: &str, args: Vec<Json>) -> Result<Json, String> {
        let what = format!("running async script `{}`", first_line(script));
        self.step(&what, self.client().execute_async(script, args))
            .await
    }

    /// Polls `script` until it returns `true`, for at most `limit`.
    pub(crate) async fn wait_until(
        &self, what: &str, script: &str, limit: Duration,
    ) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if self.eval(script, vec![]).await? == Json::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > limit {
                return Err(format!("{what}: not true within {} s", limit.as_secs()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Finds the first element matching a CSS selector.
    pub(crate) async fn find(&self, css: &str) -> Result<Element, String> {
        self.step(
            &format!("finding `{css}`"),
            self.client().find(Locator::Css(css)),
        )
        .await
    }

    /// The element `script` returns (or `None` for `null`).
    pub(crate) async fn find_by_script(
        &self, what: &str, script: &str, args: Vec<Json>,
    ) -> Result<Option<Element>, String> {
        let value = self.step(what, self.client().execute(script, args)).await?;
        if value.is_null() {
            return Ok(None);
        }
        let id = value
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Json::as_str)
            .ok_or_else(|| format!("{what}: the script returned {value}, not an element"))?;
        Ok(Some(Element::from_element_id(
            self.client().clone(),
            id.to_string().into(),
        )))
    }

    /// Navigates to `url`, as a step named after it.
    pub(crate) async fn goto(&self, url: &str) -> Result<(), String> {
        self.step(&format!("loading {url}"), self.client().goto(url))
            .await
    }

    /// Navigates to `url`, waits until the page has settled, and returns the
    /// console errors and requests of that load.
    pub(crate) async fn visit(&self, url: &str) -> Result<Visit, String> {
        // Whatever earlier pages logged is not this page's.
        self.logs("browser").await?;
        self.logs("performance").await?;
        self.goto(url).await?;
        self.settle(url).await?;
        let visit = self.collect().await?;
        if !visit.requests.iter().any(|r| r.url == url) {
            return Err(format!(
                "Chromium's network log shows no request for {url} itself, so the page's \
                 requests cannot be checked"
            ));
        }
        Ok(visit)
    }

    /// Waits until the current page has settled: loaded, fonts ready, its
    /// code highlighted, every
    /// diagram drawn or failed (or [`SETTLE`] passed: the diagram checks then
    /// name the ones left undrawn), and no new resource for 300 ms.
    pub(crate) async fn settle(&self, what: &str) -> Result<(), String> {
        self.wait_until(
            &format!("{what}: settling (load event, fonts)"),
            "return document.readyState === 'complete' && document.fonts.status === 'loaded'",
            SETTLE,
        )
        .await?;
        // book.js highlights the code blocks a slice at a time after the
        // load event, and marks the end on <html>.
        self.wait_until(
            &format!("{what}: highlighting its code"),
            "return typeof hljs === 'undefined'
                || document.documentElement.hasAttribute('data-highlighted')",
            SETTLE,
        )
        .await?;
        let _undrawn = self
            .wait_until(
                &format!("{what}: drawing its diagrams"),
                "return Array.from(document.querySelectorAll('pre.mermaid')).every(
                    p => p.querySelector('svg') !== null || p.dataset.mermaidError !== undefined)",
                SETTLE,
            )
            .await;
        let started = Instant::now();
        let count = "return performance.getEntriesByType('resource').length";
        let mut last = self.eval(count, vec![]).await?;
        let mut quiet_since = Instant::now();
        while quiet_since.elapsed() < Duration::from_millis(300) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = self.eval(count, vec![]).await?;
            if now != last {
                last = now;
                quiet_since = Instant::now();
            }
            if started.elapsed() > SETTLE {
                return Err(format!(
                    "{what}: requests still starting after {} s",
                    SETTLE.as_secs()
                ));
            }
        }
        Ok(())
    }

    /// The console errors and requests logged since the last collection.
    pub(crate) async fn collect(&self) -> Result<Visit, String> {
        let console_errors = self
            .logs("browser")
            .await?
            .into_iter()
            .filter_map(|entry| {
                Some(ConsoleEntry {
                    level: entry["level"].as_str()?.to_string(),
                    message: entry["message"].as_str()?.to_string(),
                })
            })
            .filter(|entry| entry.level == "SEVERE")
            .collect();
        let requests = network::requests(&self.logs("performance").await?, &self.target);
        Ok(Visit {
            console_errors,
            requests,
        })
    }

    /// Takes (and clears) chromedriver's log of `kind`.
    pub(crate) async fn logs(&self, kind: &str) -> Result<Vec<Json>, String> {
        let value = self
            .session_command(
                &format!("reading the {kind} log"),
                "se/log",
                json!({ "type": kind }),
            )
            .await?;
        match value {
            Json::Array(entries) => Ok(entries),
            other => Err(format!("the {kind} log is not a list: {other}")),
        }
    }

    /// Runs a DevTools command on the current page.
    pub(crate) async fn cdp(&self, command: &str, params: Json) -> Result<Json, String> {
        self.cdp_within(command, params, STEP).await
    }

    /// [`Browser::cdp`] for a command that may take up to `limit`.
    pub(crate) async fn cdp_within(
        &self, command: &str, params: Json, limit: Duration,
    ) -> Result<Json, String> {
        let command = SessionPost {
            path: "goog/cdp/execute".to_string(),
            body: json!({ "cmd": command, "params": params }),
        };
        let what = format!("DevTools command {}", command.body["cmd"]);
        self.step_within(&what, limit, self.client().issue_cmd(command))
            .await
    }

    /// Lets the pages read the clipboard (WebDriver's permissions extension).
    pub(crate) async fn allow_clipboard(&self) -> Result<(), String> {
        for name in ["clipboard-read", "clipboard-write"] {
            self.session_command(
                &format!("granting {name}"),
                "permissions",
                json!({ "descriptor": { "name": name }, "state": "granted" }),
            )
            .await?;
        }
        Ok(())
    }

    async fn session_command(&self, what: &str, path: &str, body: Json) -> Result<Json, String> {
        let command = SessionPost {
            path: path.to_string(),
            body,
        };
        self.step(what, self.client().issue_cmd(command)).await
    }

    /// Moves the mouse over `hover` (revealing what only shows on hover,
    /// like a code block's buttons), then clicks `target`, as a reader would.
    pub(crate) async fn hover_and_click(
        &self, hover: &Element, target: &Element,
    ) -> Result<(), String> {
        let mouse = MouseActions::new("mouse".to_string())
            .then(PointerAction::MoveToElement {
                element: hover.clone(),
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            // The buttons fade in over 0.1 s.
            .pause(Duration::from_millis(120))
            .then(PointerAction::MoveToElement {
                element: target.clone(),
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.step("hover and click", self.client().perform_actions(mouse))
            .await?;
        self.step("releasing the mouse", self.client().release_actions())
            .await
    }

    /// Saves a screenshot of the viewport as `name` (a PNG) in the artifacts
    /// directory, and returns its path.
    pub(crate) async fn screenshot(&self, name: &str) -> Result<PathBuf, String> {
        let png = self
            .step("taking a screenshot", self.client().screenshot())
            .await?;
        save_artifact(name, &png)
    }

    /// Saves a picture of the whole of `element` as `name` (a PNG) in the
    /// artifacts directory, however tall it is. WebDriver's element
    /// screenshot would cut it at the window's edge and paint the sticky
    /// menu bar over it; DevTools can draw past the window instead.
    pub(crate) async fn element_screenshot(
        &self, element: &Element, name: &str,
    ) -> Result<PathBuf, String> {
        let element = serde_json::to_value(element)
            .map_err(|e| format!("passing an element to a script: {e}"))?;
        // At the top, the menu bar is above the content, not over it.
        let clip = self
            .eval(
                "window.scrollTo(0, 0);
                 arguments[0].scrollLeft = 0;
                 const r = arguments[0].getBoundingClientRect();
                 return { x: r.left, y: r.top, width: r.width, height: r.height, scale: 1 };",
                vec![element],
            )
            .await?;
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({ "format": "png", "clip": clip, "captureBeyondViewport": true }),
            )
            .await?;
        let data = shot["data"]
            .as_str()
            .ok_or_else(|| format!("Page.captureScreenshot returned no data for {name}"))?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| format!("Page.captureScreenshot returned bad base64 for {name}: {e}"))?;
        save_artifact(name, &png)
    }

    /// Ends the session (and with it Chromium), then chromedriver.
    pub(crate) async fn close(mut self) {
        if let Some(client) = self.client.take()
            && tokio::time::timeout(Duration::from_secs(15), client.close())
                .await
                .is_ok_and(|r| r.is_ok())
        {
            self.chrome_pid = None;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Only when the session could not be closed: Chromium would outlive
        // its chromedriver otherwise. The pid is the one chromedriver
        // started for this session.
        if let Some(pid) = self.chrome_pid.take() {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = fs::remove_dir_all(&self.profile);
    }
}

/// Reads chromedriver's "started successfully on port N." line.
fn driver_port(driver: &mut Child) -> Result<u16, String> {
    let stdout = driver.stdout.take().ok_or("chromedriver has no stdout")?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.split("on port ").nth(1)
                && line.contains("started successfully")
            {
                let _ = tx.send(rest.trim_end_matches('.').trim().parse::<u16>());
            }
            // Keep reading, so chromedriver never blocks on a full pipe.
        }
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Ok(port)) => Ok(port),
        Ok(Err(e)) => Err(format!("chromedriver printed a bad port: {e}")),
        Err(_) => Err("chromedriver did not report its port within 20 s".to_string()),
    }
}

/// The strings of a JSON array that a page script returned; nothing when
/// `value` is not an array, and other elements are skipped.
pub(crate) fn strings<'a, C: FromIterator<&'a str>>(value: &'a Json) -> C {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect()
}

/// Writes `bytes` as `name` under the artifacts directory.
pub(crate) fn save_artifact(name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = site::artifacts_dir().join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

fn first_line(script: &str) -> &str {
    let line = script.trim().lines().next().unwrap_or_default();
    let end = line.char_indices().nth(60).map_or(line.len(), |(i, _)| i);
    &line[..end]
}

/// A `POST /session/{id}/{path}` command that fantoccini has no method for.
#[derive(Debug)]
struct SessionPost {
    path: String,
    body: Json,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self, base_url: &url::Url, session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
