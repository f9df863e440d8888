//! A test HTTP/1.1 server whose responses are written through
//! `zigio_http::BodyWriter`, and the clients that read them: hyper,
//! curl, and a raw socket with a strict parser.
//!
//! Everything runs on 127.0.0.1 and is bounded: the server accepts a fixed
//! number of connections with a deadline, and every socket has timeouts.

#![allow(dead_code)] // each test binary uses a subset

pub(crate) use zigio_testkit::noise;

use http_body_util::BodyExt;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use zigio::{Buffer, DynWriter, Limit, Reader, Writer};
use zigio_http::{BodyError, BodyWriter, Framing, Header};

pub(crate) const TIMEOUT: Duration = Duration::from_secs(30);

/// One write the server makes through the body writer.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// `write_all` of these bytes.
    Write(Vec<u8>),
    /// `write_splat_all(&mut [head, pattern], count)`.
    Splat {
        head: Vec<u8>,
        pattern: Vec<u8>,
        count: usize,
    },
    /// `splat_byte_all(byte, n)`.
    SplatByte(u8, usize),
    /// `BodyWriter::flush`.
    Flush,
    /// These bytes, put in a file and sent with `send_file_all` from a
    /// file reader.
    SendFile(Vec<u8>),
}

impl Op {
    /// The bytes this op adds to the body.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        match self {
            Op::Write(b) => b.clone(),
            Op::Splat {
                head,
                pattern,
                count,
            } => {
                let mut v = head.clone();
                for _ in 0..*count {
                    v.extend_from_slice(pattern);
                }
                v
            }
            Op::SplatByte(b, n) => vec![*b; *n],
            Op::Flush => Vec::new(),
            Op::SendFile(b) => b.clone(),
        }
    }
}

/// The whole body a list of ops writes.
pub(crate) fn body_of(ops: &[Op]) -> Vec<u8> {
    ops.iter().flat_map(Op::bytes).collect()
}

/// What the server should send for one connection.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub framing: Framing,
    /// Writes into the body writer.
    pub ops: Vec<Op>,
    /// Trailers, sent with `end_chunked` (chunked only).
    pub trailers: Vec<(String, String)>,
    /// Capacity of the body writer's own buffer (0: unbuffered).
    pub body_buffer: usize,
    /// Capacity of the connection writer's buffer.
    pub conn_buffer: usize,
    /// Most bytes one `write` on the socket may take (0: no cap), so that
    /// the connection writer's drains are partial and the body writer must
    /// continue chunks across calls. Ignored with `socket_sink`.
    pub max_write: usize,
    /// Write the connection with a `zigio` file writer over the socket
    /// (whose `send_file` uses `sendfile`) instead of a `std::io::Write`
    /// adapter (which has no `send_file`: files are read and written).
    pub socket_sink: bool,
}

impl Response {
    /// A response without trailers, over an uncapped socket written
    /// through a `std::io::Write` adapter.
    pub(crate) fn new(
        framing: Framing, ops: Vec<Op>, body_buffer: usize, conn_buffer: usize,
    ) -> Response {
        Response {
            framing,
            ops,
            trailers: Vec::new(),
            body_buffer,
            conn_buffer,
            max_write: 0,
            socket_sink: false,
        }
    }
}

/// A socket whose writes take at most `max` bytes each.
struct Capped<'s> {
    stream: &'s mut TcpStream,
    max: usize,
}

impl Write for Capped<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = if self.max == 0 {
            buf.len()
        } else {
            buf.len().min(self.max)
        };
        self.stream.write(&buf[..n])
    }

    fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
        if self.max == 0 {
            return self.stream.write_vectored(bufs);
        }
        let first = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &b[..]);
        self.write(first)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

/// The request line the server saw and what ending the body returned.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub method: String,
    /// The first error of any write, or of `end`/`end_chunked`.
    pub result: Result<(), BodyError>,
}

/// A server that answers `connections` connections, each with `response`,
/// then stops.
pub(crate) struct Server {
    pub addr: SocketAddr,
    handle: JoinHandle<Vec<Outcome>>,
}

impl Server {
    pub(crate) fn start(connections: usize, response: Response) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let handle = thread::spawn(move || {
            let deadline = Instant::now() + TIMEOUT;
            let mut workers = Vec::new();
            while workers.len() < connections {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let response = response.clone();
                        workers.push(thread::spawn(move || serve_one(stream, &response)));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        assert!(
                            Instant::now() < deadline,
                            "server: only {} of {connections} clients connected within {TIMEOUT:?}",
                            workers.len()
                        );
                        thread::sleep(Duration::from_millis(2));
                    }
                    Err(e) => panic!("server: accept failed: {e}"),
                }
            }
            workers
                .into_iter()
                .map(|w| w.join().expect("server worker panicked"))
                .collect()
        });
        Server { addr, handle }
    }

    /// The outcomes, in accept order.
    pub(crate) fn join(self) -> Vec<Outcome> {
        self.handle.join().expect("server thread panicked")
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

/// Reads one request head (ignores any body) and returns its method.
fn read_request(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("server: reading the request");
        assert!(
            n == 1,
            "server: client closed before the end of its request"
        );
        head.push(byte[0]);
        assert!(head.len() < 16 * 1024, "server: request head too large");
    }
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut req = httparse::Request::new(&mut headers);
    let status = req.parse(&head).expect("server: malformed request");
    assert!(status.is_complete());
    req.method.unwrap().to_owned()
}

fn serve_one(mut stream: TcpStream, response: &Response) -> Outcome {
    stream.set_nonblocking(false).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    let method = read_request(&mut stream);
    let eliding = method == "HEAD";

    let mut conn_storage = vec![0u8; response.conn_buffer];
    let result = if response.socket_sink {
        let mut conn = Writer::file_streaming(&stream, &mut conn_storage[..]);
        let result = respond(&mut conn, response, eliding);
        let _ = conn.flush();
        result
    } else {
        let capped = Capped {
            stream: &mut stream,
            max: response.max_write,
        };
        let mut conn = Writer::from_io(capped, &mut conn_storage[..]);
        let result = respond(&mut conn, response, eliding);
        // Whatever happened, the connection ends here; flush what is
        // buffered (the body writer never let its framing be violated).
        let _ = conn.flush();
        result
    };
    let _ = stream.shutdown(Shutdown::Write);
    // Let the client read everything before the socket is dropped: wait
    // for its close, boundedly.
    let mut sink = [0u8; 1024];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    Outcome { method, result }
}

/// Writes the head and the body to `conn`.
fn respond(conn: &mut DynWriter<'_>, response: &Response, eliding: bool) -> Result<(), BodyError> {
    let mut head = String::from("HTTP/1.1 200 OK\r\nconnection: close\r\n");
    match response.framing {
        Framing::ContentLength(n) => head += &format!("content-length: {n}\r\n"),
        Framing::Chunked => {
            head += "transfer-encoding: chunked\r\n";
            if !response.trailers.is_empty() {
                let names: Vec<&str> = response.trailers.iter().map(|t| t.0.as_str()).collect();
                head += &format!("trailer: {}\r\n", names.join(", "));
            }
        }
        Framing::None => {}
    }
    head += "\r\n";
    conn.write_all(head.as_bytes())
        .expect("server: writing the head");

    let mut body_storage = vec![0u8; response.body_buffer];
    let buffer = Buffer::borrowed(&mut body_storage[..]);
    let mut body = if eliding {
        BodyWriter::eliding(conn, buffer, response.framing)
    } else {
        BodyWriter::new(conn, buffer, response.framing)
    };
    write_body(&mut body, response)
}

fn write_body(body: &mut BodyWriter<'_, '_, '_>, response: &Response) -> Result<(), BodyError> {
    let err = |body: &BodyWriter<'_, '_, '_>| body.error().cloned().unwrap();
    for op in &response.ops {
        let r = match op {
            Op::Write(bytes) => body.writer.write_all(bytes),
            Op::Splat {
                head,
                pattern,
                count,
            } => body
                .writer
                .write_splat_all(&mut [head.as_slice(), pattern.as_slice()], *count),
            Op::SplatByte(b, n) => body.writer.splat_byte_all(*b, *n),
            Op::Flush => body.flush().map_err(|_| zigio::WriteFailed),
            Op::SendFile(bytes) => {
                let dir = scratch_dir("send-file");
                let path = dir.path().join("content");
                std::fs::write(&path, bytes).unwrap();
                let file = std::fs::File::open(&path).unwrap();
                let mut storage = [0u8; 300];
                let mut reader = Reader::file(&file, &mut storage[..]);
                match body.writer.send_file_all(&mut reader, Limit::UNLIMITED) {
                    Ok(n) => {
                        assert_eq!(n, bytes.len(), "server: send_file_all sent {n} bytes");
                        Ok(())
                    }
                    Err(e) => {
                        assert!(body.error().is_some(), "server: send_file_all: {e:?}");
                        Err(zigio::WriteFailed)
                    }
                }
            }
        };
        if r.is_err() {
            return Err(err(body));
        }
    }
    if response.framing == Framing::Chunked {
        let trailers: Vec<Header<'_>> = response
            .trailers
            .iter()
            .map(|(n, v)| Header::new(n, v))
            .collect();
        body.end_chunked(&trailers)
    } else {
        body.end()
    }
}

/// A response as a client saw it.
#[derive(Debug, Default)]
pub(crate) struct Received {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub trailers: Vec<(String, String)>,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// GET or HEAD with hyper's HTTP/1 client. `Err` carries hyper's error
/// text (e.g. for a body shorter than its content length).
pub(crate) fn hyper_request(addr: SocketAddr, method: &str) -> Result<Received, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        let io = hyper_util::rt::TokioIo::new(stream);
        let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| e.to_string())?;
        let driver = tokio::spawn(conn);
        let req = hyper::Request::builder()
            .method(method)
            .uri("/")
            .header("host", addr.to_string())
            .header("te", "trailers")
            .body(http_body_util::Empty::<hyper::body::Bytes>::new())
            .unwrap();
        let response = sender.send_request(req).await.map_err(|e| e.to_string())?;
        let mut received = Received {
            status: response.status().as_u16(),
            headers: response
                .headers()
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
                .collect(),
            ..Received::default()
        };
        let mut body = response.into_body();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| format!("{e}: {:?}", std::error::Error::source(&e)))?;
            match frame.into_data() {
                Ok(data) => received.body.extend_from_slice(&data),
                Err(frame) => {
                    if let Ok(trailers) = frame.into_trailers() {
                        for (n, v) in &trailers {
                            received
                                .trailers
                                .push((n.to_string(), v.to_str().unwrap().to_owned()));
                        }
                    }
                }
            }
        }
        drop(sender);
        let _ = tokio::time::timeout(TIMEOUT, driver).await;
        Ok(received)
    })
}

/// A fresh directory under the system temp dir, removed on drop.
fn scratch_dir(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("zigio-{tag}-"))
        .tempdir()
        .expect("creating a scratch directory")
}

/// The outcome of running curl.
#[derive(Debug)]
pub(crate) struct Curl {
    /// curl's exit code (0 success, 18 "partial file").
    pub code: i32,
    pub stderr: String,
    /// The response head as curl wrote it with `-D`.
    pub head: String,
    /// The body as curl wrote it with `-o` (decoded unless `--raw`).
    pub body: Vec<u8>,
}

/// Runs curl with `args` against `url`, writing the head and the body to
/// temporary files. Panics with a clear message if curl is not installed.
pub(crate) fn curl(url: &str, args: &[&str]) -> Curl {
    let dir = scratch_dir("curl");
    let head = dir.path().join("head");
    let body = dir.path().join("body");
    let output = Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "30", "-D"])
        .arg(&head)
        .arg("-o")
        .arg(&body)
        .args(args)
        .arg(url)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `curl` ({e}): these tests need the curl program (Debian package `curl`)"
            )
        });
    Curl {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        head: std::fs::read_to_string(&head).unwrap_or_default(),
        body: std::fs::read(&body).unwrap_or_default(),
    }
}

/// Sends a request over a plain socket and returns the status code, the
/// headers and every byte after the head, unparsed, read until the server
/// closes.
pub(crate) fn raw_request(addr: SocketAddr, method: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "{method} / HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut wire = Vec::new();
    stream.read_to_end(&mut wire).expect("reading the response");
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut resp = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(head_len) = resp.parse(&wire).expect("malformed response head")
    else {
        panic!(
            "incomplete response head: {:?}",
            String::from_utf8_lossy(&wire)
        );
    };
    let headers = resp
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8(h.value.to_vec()).unwrap(),
            )
        })
        .collect();
    (resp.code.unwrap(), headers, wire[head_len..].to_vec())
}

/// A chunked body, decoded strictly by the rules of this crate's writer:
/// every chunk-size line is exactly eight lowercase hex digits and CRLF,
/// no chunk is empty, each chunk's data is exactly its size and is followed
/// by CRLF; the last chunk is `0\r\n`, then trailer lines, then CRLF, and
/// nothing follows.
#[derive(Debug, PartialEq)]
pub(crate) struct Dechunked {
    pub body: Vec<u8>,
    pub chunk_sizes: Vec<usize>,
    pub trailers: Vec<(String, String)>,
}

pub(crate) fn dechunk_strict(wire: &[u8]) -> Result<Dechunked, String> {
    let mut rest = wire;
    let mut out = Dechunked {
        body: Vec::new(),
        chunk_sizes: Vec::new(),
        trailers: Vec::new(),
    };
    let at = |rest: &[u8]| wire.len() - rest.len();
    loop {
        if let Some(after) = rest.strip_prefix(b"0\r\n") {
            rest = after;
            break;
        }
        if rest.len() < 10 {
            return Err(format!("truncated chunk-size line at byte {}", at(rest)));
        }
        let (line, after) = rest.split_at(10);
        let digits = &line[..8];
        if &line[8..] != b"\r\n"
            || !digits
                .iter()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(format!(
                "chunk-size line {:?} at byte {} is not 8 lowercase hex digits and CRLF",
                String::from_utf8_lossy(line),
                at(rest)
            ));
        }
        let size = usize::from_str_radix(std::str::from_utf8(digits).unwrap(), 16).unwrap();
        if size == 0 {
            return Err(format!("empty chunk before the last at byte {}", at(rest)));
        }
        if after.len() < size + 2 {
            return Err(format!(
                "chunk of {size} bytes truncated at byte {}",
                at(rest)
            ));
        }
        if &after[size..size + 2] != b"\r\n" {
            return Err(format!(
                "chunk of {size} bytes not followed by CRLF at byte {}",
                at(rest)
            ));
        }
        out.body.extend_from_slice(&after[..size]);
        out.chunk_sizes.push(size);
        rest = &after[size + 2..];
    }
    loop {
        let Some(end) = rest.windows(2).position(|w| w == b"\r\n") else {
            return Err("trailer section not terminated by CRLF".into());
        };
        let line = &rest[..end];
        rest = &rest[end + 2..];
        if line.is_empty() {
            break;
        }
        let line = std::str::from_utf8(line).map_err(|e| e.to_string())?;
        let (name, value) = line
            .split_once(": ")
            .ok_or_else(|| format!("malformed trailer line {line:?}"))?;
        out.trailers.push((name.to_owned(), value.to_owned()));
    }
    if !rest.is_empty() {
        return Err(format!(
            "{} bytes after the end of the chunked body",
            rest.len()
        ));
    }
    Ok(out)
}
