//! A static file server on 127.0.0.1, serving the built book the way a
//! static host (GitHub Pages) does: files under a path prefix, `index.html`
//! for a directory, and the book's `404.html` with status 404 for anything
//! else.
//!
//! It is deliberately small and blocking (a thread per connection, HTTP/1.1
//! keep-alive, `GET` and `HEAD` only). It serves in one of two ways
//! ([`Encoding`]): files as they are, so that the transfer sizes the
//! browser reports are the files' own sizes plus headers (the page-weight
//! test); or gzipped when the browser accepts it and the type compresses,
//! as a static host serves them to readers (the Lighthouse test, whose
//! scores depend on what crosses the network). Like GitHub Pages it lets
//! browsers cache files for ten minutes, so a test that opens a page many
//! times does not fetch every file each time.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;

/// How long a kept-alive connection may sit idle before its thread ends.
const IDLE: Duration = Duration::from_secs(5);

/// The longest request head accepted; a browser's is far shorter.
const MAX_HEAD: usize = 16 * 1024;

/// How a [`Server`] sends files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Every file as it is on disk.
    Identity,
    /// Text, scripts, JSON, SVG and WebAssembly gzipped for a browser that
    /// accepts gzip (`Content-Encoding: gzip`, `Vary: Accept-Encoding`);
    /// images and fonts, compressed already, as they are.
    Gzip,
}

/// A running server. Its accept thread lives as long as the test process.
pub(crate) struct Server {
    addr: SocketAddr,
    prefix: String,
}

impl Server {
    /// Serves `root` under `prefix` (which starts and ends with `/`) on an
    /// ephemeral port of 127.0.0.1, with `encoding`.
    pub(crate) fn start(root: PathBuf, prefix: &str, encoding: Encoding) -> io::Result<Server> {
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "prefix `{prefix}` must start and end with `/`"
        );
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let site = Arc::new(Root {
            dir: root,
            prefix: prefix.to_string(),
            encoding,
        });
        thread::Builder::new()
            .name("book-server".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let site = Arc::clone(&site);
                    // A failed connection only affects that request, which
                    // the browser then reports as failed.
                    let _ =
                        thread::Builder::new()
                            .name("book-connection".into())
                            .spawn(move || {
                                let _ = serve_connection(stream, &site);
                            });
                }
            })?;
        Ok(Server {
            addr,
            prefix: prefix.to_string(),
        })
    }

    /// `http://127.0.0.1:PORT`, the origin every request must stay on.
    pub(crate) fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The absolute URL of `path`, a path relative to the site's root
    /// (`print.html`, `` for the root itself).
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}{}", self.origin(), self.prefix, path)
    }
}

/// What is served: a directory under a URL prefix.
struct Root {
    dir: PathBuf,
    prefix: String,
    encoding: Encoding,
}

/// A parsed request line and the headers this server looks at.
struct Request {
    method: String,
    target: String,
    close: bool,
    /// Whether `Accept-Encoding` lists gzip.
    gzip: bool,
}

fn serve_connection(stream: TcpStream, site: &Root) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    stream.set_write_timeout(Some(IDLE))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let Some(request) = read_request(&mut reader)? else {
            return Ok(());
        };
        let (status, content_type, mut body) = respond(site, &request);
        let mut encoding = "";
        if site.encoding == Encoding::Gzip && compresses(content_type) {
            // The response differs with the request's Accept-Encoding.
            encoding = "Vary: Accept-Encoding\r\n";
            if request.gzip {
                body = gzip(&body)?;
                encoding = "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n";
            }
        }
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             {encoding}Cache-Control: max-age=600\r\nConnection: {}\r\n\r\n",
            reason(status),
            body.len(),
            if request.close { "close" } else { "keep-alive" },
        );
        writer.write_all(head.as_bytes())?;
        if request.method != "HEAD" {
            writer.write_all(&body)?;
        }
        writer.flush()?;
        if request.close {
            return Ok(());
        }
    }
}

/// Reads one request head; `None` when the client closed the connection or
/// stayed idle. Request bodies are not expected (only `GET`/`HEAD`).
fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let mut line = String::new();
        let n = match reader.read_line(&mut line) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(None);
        }
        total += n;
        if total > MAX_HEAD {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request head too long",
            ));
        }
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            if lines.is_empty() {
                continue; // a stray CRLF between requests
            }
            break;
        }
        lines.push(line);
    }
    let mut words = lines[0].split_whitespace();
    let method = words.next().unwrap_or_default().to_string();
    let target = words.next().unwrap_or_default().to_string();
    let header = |wanted: &str, has: &dyn Fn(&str) -> bool| {
        lines[1..].iter().any(|h| {
            h.split_once(':').is_some_and(|(name, value)| {
                name.trim().eq_ignore_ascii_case(wanted) && has(value.trim())
            })
        })
    };
    let close = header("connection", &|v| v.eq_ignore_ascii_case("close"));
    let gzip = header("accept-encoding", &accepts_gzip);
    Ok(Some(Request {
        method,
        target,
        close,
        gzip,
    }))
}

/// Status, content type and body for `request`.
fn respond(site: &Root, request: &Request) -> (u16, &'static str, Vec<u8>) {
    if request.method != "GET" && request.method != "HEAD" {
        return (405, "text/plain", b"only GET and HEAD\n".to_vec());
    }
    if let Some(file) = resolve(site, &request.target)
        && let Ok(body) = fs::read(&file)
    {
        return (200, content_type(&file), body);
    }
    // A static host answers a missing page with the site's 404 page.
    match fs::read(site.dir.join("404.html")) {
        Ok(body) => (404, "text/html; charset=utf-8", body),
        Err(_) => (404, "text/plain", b"not found\n".to_vec()),
    }
}

/// The file a request target names: under the prefix, percent-decoded,
/// without `..`, a directory meaning its `index.html`.
fn resolve(site: &Root, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let rest = path.strip_prefix(&site.prefix).or_else(|| {
        // The prefix without its slash (`/book`) is the directory itself.
        (path == site.prefix.trim_end_matches('/')).then_some("")
    })?;
    let decoded = percent_decode(rest)?;
    let relative = Path::new(&decoded);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = site.dir.join(relative);
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// `%XX` decoding; `None` for a malformed escape or non-UTF-8 result.
fn percent_decode(text: &str) -> Option<String> {
    // percent-encoding keeps a `%` without two hex digits as it is; a path
    // with one is not a file this server serves.
    let bytes = text.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Whether an `Accept-Encoding` value accepts gzip: listed, and not with
/// `q=0`.
fn accepts_gzip(value: &str) -> bool {
    value.split(',').any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        name.eq_ignore_ascii_case("gzip") && !refused
    })
}

/// Whether a response of `content_type` is worth compressing: text,
/// scripts, JSON, SVG and WebAssembly, which static hosts compress; not
/// images or fonts, whose formats are compressed already.
fn compresses(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || ["application/json", "image/svg+xml", "application/wasm"]
            .iter()
            .any(|t| content_type.starts_with(t))
}

fn gzip(body: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 3), Compression::default());
    encoder.write_all(body)?;
    encoder.finish()
}

fn content_type(file: &Path) -> &'static str {
    let types: BTreeMap<&str, &str> = [
        ("html", "text/html; charset=utf-8"),
        ("css", "text/css; charset=utf-8"),
        ("js", "text/javascript; charset=utf-8"),
        ("json", "application/json"),
        ("wasm", "application/wasm"),
        ("svg", "image/svg+xml"),
        ("png", "image/png"),
        ("woff2", "font/woff2"),
        ("woff", "font/woff"),
        ("ttf", "font/ttf"),
        ("txt", "text/plain; charset=utf-8"),
    ]
    .into_iter()
    .collect();
    file.extension()
        .and_then(|e| e.to_str())
        .and_then(|e| types.get(e).copied())
        .unwrap_or("application/octet-stream")
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes_and_refuses_bad_ones() {
        assert_eq!(percent_decode("a%20b.html").as_deref(), Some("a b.html"));
        assert_eq!(percent_decode("%E2%80%93").as_deref(), Some("–"));
        assert_eq!(percent_decode("bad%2"), None);
        assert_eq!(percent_decode("bad%zz"), None);
    }

    #[test]
    fn resolves_only_inside_the_prefix_and_the_directory() {
        let scratch = tempfile::Builder::new()
            .prefix("book-server-test-")
            .tempdir()
            .unwrap();
        let dir = scratch.path().to_path_buf();
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("page.html"), "p").unwrap();
        fs::write(dir.join("sub/index.html"), "i").unwrap();
        let site = Root {
            dir: dir.clone(),
            prefix: "/book/".into(),
            encoding: Encoding::Identity,
        };
        assert_eq!(
            resolve(&site, "/book/page.html?x=1#y"),
            Some(dir.join("page.html"))
        );
        assert_eq!(
            resolve(&site, "/book/sub/"),
            Some(dir.join("sub/index.html"))
        );
        assert_eq!(resolve(&site, "/page.html"), None);
        assert_eq!(resolve(&site, "/book/../book/page.html"), None);
        assert_eq!(resolve(&site, "/book/missing.html"), None);
        scratch.close().unwrap();
    }

    #[test]
    fn gzips_what_compresses_for_browsers_that_accept_it() {
        assert!(accepts_gzip("gzip, deflate, br, zstd"));
        assert!(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(!accepts_gzip("gzip;q=0, br"));
        assert!(!accepts_gzip("identity"));
        assert!(compresses("text/html; charset=utf-8"));
        assert!(compresses("application/wasm"));
        assert!(!compresses("font/woff2"));
        assert!(!compresses("image/png"));
        let text = "a page a page a page a page a page a page".repeat(100);
        let packed = gzip(text.as_bytes()).unwrap();
        assert!(packed.len() < text.len() / 10);
        let mut unpacked = String::new();
        io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&packed[..]),
            &mut unpacked,
        )
        .unwrap();
        assert_eq!(unpacked, text);
    }
}
