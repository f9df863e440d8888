//! The op-script format: JSON lines that both executors read.
//!
//! A file holds one or more scripts. Each script is a header line followed
//! by its ops, one JSON object per line:
//!
//! ```text
//! {"script":3,"seed":17,"sink":"scripted","buffer":7,"budget":[3,0,null,16]}
//! {"op":"write_all","bytes":"hello, world"}
//! {"op":"write_splat","data":["ab","-"],"splat":4}
//! {"op":"rebase","preserve":2,"capacity":5}
//! {"op":"flush"}
//! ```
//!
//! The header names the implementation under test (`sink`), its buffer
//! capacity, and for the `scripted` sink the acceptance budget: drain call
//! number `k` (counting from 0 over the whole script) accepts at most
//! `budget[k % budget.len()]` bytes, buffered bytes first; `null` makes
//! that call fail; with `"fail_after":K` every drain fails once K bytes
//! went through. Each op is one call on the writer, named after the Zig
//! function it exercises (see [`Op`]). Byte strings are JSON strings of
//! ASCII text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The writer implementation a script runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SinkKind {
    /// A custom writer whose drain accepts a scripted number of bytes per
    /// call or fails; every drain call is traced.
    Scripted,
    /// `Writer.fixed` / `Writer::fixed`.
    Fixed,
    /// `Writer.Allocating.initCapacity(buffer)` /
    /// `Writer::allocating_with_capacity`.
    Allocating,
    /// `Writer.Discarding.init` / `Writer::discarding`.
    Discarding,
}

impl SinkKind {
    /// Every kind, in a fixed order.
    pub const ALL: [SinkKind; 4] = [
        SinkKind::Scripted,
        SinkKind::Fixed,
        SinkKind::Allocating,
        SinkKind::Discarding,
    ];

    /// The name used in scripts and traces.
    pub fn name(self) -> &'static str {
        match self {
            SinkKind::Scripted => "scripted",
            SinkKind::Fixed => "fixed",
            SinkKind::Allocating => "allocating",
            SinkKind::Discarding => "discarding",
        }
    }
}

/// A script's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The script's number within its file (unique per run).
    pub script: u64,
    /// The generator seed that produced it (0 for hand-written scripts).
    pub seed: u64,
    /// The implementation under test.
    pub sink: SinkKind,
    /// Buffer capacity in bytes.
    pub buffer: usize,
    /// Per-drain acceptance, cyclic; `None` is a failing drain. Required
    /// (non-empty, not all zeros) for the scripted sink, ignored otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budget: Vec<Option<usize>>,
    /// For the scripted sink: once this many bytes went through, every
    /// drain fails (a drain that would cross it takes only the bytes up to
    /// it). `None`: the budget alone decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_after: Option<u64>,
}

/// One call on the writer. Each variant names the Zig function (in
/// `Io/Writer.zig`) and the zigio method it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// `write` / `Writer::write`.
    Write {
        /// The bytes.
        bytes: String,
    },
    /// `writeAll` / `write_all`.
    WriteAll {
        /// The bytes.
        bytes: String,
    },
    /// `writeVec` / `write_vec` (non-empty `data`).
    WriteVec {
        /// The slices.
        data: Vec<String>,
    },
    /// `writeVecAll` / `write_vec_all`.
    WriteVecAll {
        /// The slices.
        data: Vec<String>,
    },
    /// `writeSplat` / `write_splat` (non-empty `data`).
    WriteSplat {
        /// The slices; the last one is the pattern.
        data: Vec<String>,
        /// How many times the pattern is written.
        splat: usize,
    },
    /// `writeSplatAll` / `write_splat_all`.
    WriteSplatAll {
        /// The slices; the last one is the pattern.
        data: Vec<String>,
        /// How many times the pattern is written.
        splat: usize,
    },
    /// `writeSplatHeaderLimit` / `write_splat_header_limit`.
    WriteSplatHeader {
        /// The header.
        header: String,
        /// The slices; the last one is the pattern (non-empty list).
        data: Vec<String>,
        /// How many times the pattern is written.
        splat: usize,
        /// The limit; absent means unlimited.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<usize>,
    },
    /// `writeByte` / `write_byte`.
    WriteByte {
        /// The byte.
        byte: u8,
    },
    /// `writeBytePreserve` / `write_byte_preserve`.
    WriteBytePreserve {
        /// Newest buffered bytes to keep.
        preserve: usize,
        /// The byte.
        byte: u8,
    },
    /// `splatByte` / `splat_byte`.
    SplatByte {
        /// The byte.
        byte: u8,
        /// How many copies.
        n: usize,
    },
    /// `splatByteAll` / `splat_byte_all`.
    SplatByteAll {
        /// The byte.
        byte: u8,
        /// How many copies.
        n: usize,
    },
    /// `splatBytePreserve` / `splat_byte_preserve`.
    SplatBytePreserve {
        /// Newest buffered bytes to keep.
        preserve: usize,
        /// The byte.
        byte: u8,
        /// How many copies.
        n: usize,
    },
    /// `splatBytesAll` / `splat_bytes_all` (non-empty `bytes`).
    SplatBytesAll {
        /// The pattern.
        bytes: String,
        /// How many copies.
        splat: usize,
    },
    /// `flush` / `flush`.
    Flush,
    /// `rebase` / `rebase`.
    Rebase {
        /// Newest buffered bytes to keep.
        preserve: usize,
        /// Unused capacity wanted.
        capacity: usize,
    },
    /// `consume` / `consume`.
    Consume {
        /// Bytes accepted, as a drain would report them.
        n: usize,
    },
    /// `writableSlicePreserve` / `writable_slice_preserve`, then the slice
    /// is filled with `byte`.
    WritableSlice {
        /// Length of the slice.
        len: usize,
        /// Newest buffered bytes to keep if room must be made.
        #[serde(default)]
        preserve: usize,
        /// What the slice is filled with.
        byte: u8,
    },
    /// Not executed on either side: the op at this index matched an
    /// exclusion rule ([`crate::rules`]).
    Skip {
        /// The rule's name.
        rule: String,
    },
}

impl Op {
    /// The op's name as scripts and traces write it.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Write { .. } => "write",
            Op::WriteAll { .. } => "write_all",
            Op::WriteVec { .. } => "write_vec",
            Op::WriteVecAll { .. } => "write_vec_all",
            Op::WriteSplat { .. } => "write_splat",
            Op::WriteSplatAll { .. } => "write_splat_all",
            Op::WriteSplatHeader { .. } => "write_splat_header",
            Op::WriteByte { .. } => "write_byte",
            Op::WriteBytePreserve { .. } => "write_byte_preserve",
            Op::SplatByte { .. } => "splat_byte",
            Op::SplatByteAll { .. } => "splat_byte_all",
            Op::SplatBytePreserve { .. } => "splat_byte_preserve",
            Op::SplatBytesAll { .. } => "splat_bytes_all",
            Op::Flush => "flush",
            Op::Rebase { .. } => "rebase",
            Op::Consume { .. } => "consume",
            Op::WritableSlice { .. } => "writable_slice",
            Op::Skip { .. } => "skip",
        }
    }
}

/// A header and its ops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The first line.
    pub header: Header,
    /// The ops, in order.
    pub ops: Vec<Op>,
}

impl Script {
    /// The script as JSON lines, each ending in `\n`.
    pub fn to_jsonl(&self) -> String {
        let mut out = String::new();
        self.write_jsonl(&mut out);
        out
    }

    /// Appends the script's JSON lines to `out`.
    pub fn write_jsonl(&self, out: &mut String) {
        out.push_str(&serde_json::to_string(&self.header).expect("a header always serializes"));
        out.push('\n');
        for op in &self.ops {
            out.push_str(&serde_json::to_string(op).expect("an op always serializes"));
            out.push('\n');
        }
    }
}

/// A line of a script file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Reads every script of a JSON-lines file. Blank lines are ignored.
///
/// # Errors
/// The first line that is not valid JSON, not a known header or op, an op
/// before any header, or a header whose values the executors cannot run
/// (see [`validate`]).
pub fn parse_scripts(text: &str) -> Result<Vec<Script>, ParseError> {
    let mut scripts: Vec<Script> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| ParseError {
            line: line_no,
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| err(format!("invalid JSON: {e}")))?;
        if value.get("script").is_some() {
            let header: Header = serde_json::from_value(value)
                .map_err(|e| err(format!("invalid script header: {e}")))?;
            validate_header(&header).map_err(err)?;
            scripts.push(Script {
                header,
                ops: Vec::new(),
            });
        } else {
            let op: Op =
                serde_json::from_value(value).map_err(|e| err(format!("invalid op: {e}")))?;
            let script = scripts
                .last_mut()
                .ok_or_else(|| err("op before any script header".into()))?;
            validate_op(&op, &script.header).map_err(err)?;
            script.ops.push(op);
        }
    }
    Ok(scripts)
}

/// Checks that a header can be executed.
///
/// # Errors
/// A scripted sink with an empty budget, or one whose entries are all 0
/// (every flush and `write_all` would loop forever, on both sides).
pub fn validate_header(h: &Header) -> Result<(), String> {
    if h.sink == SinkKind::Scripted {
        if h.budget.is_empty() {
            return Err("a scripted sink needs a non-empty \"budget\"".into());
        }
        if h.budget.iter().all(|b| *b == Some(0)) {
            return Err("a budget of only zeros never makes progress".into());
        }
    }
    Ok(())
}

/// Checks the preconditions that Zig asserts (and zigio panics on), so that
/// a script never reaches undefined behaviour on the Zig side.
///
/// # Errors
/// Which precondition the op breaks, with its values.
pub fn validate_op(op: &Op, h: &Header) -> Result<(), String> {
    let cap = h.buffer;
    // Allocating grows on rebase; every other sink needs the room to exist
    // (`defaultRebase` asserts `buffer.len - preserve >= minimum_len`).
    let grows = h.sink == SinkKind::Allocating;
    let room = |preserve: usize, len: usize, what: &str| {
        if grows || preserve.checked_add(len).is_some_and(|t| t <= cap) {
            Ok(())
        } else {
            Err(format!(
                "{what}: preserve {preserve} + {len} exceeds the buffer ({cap})"
            ))
        }
    };
    match op {
        Op::WriteVec { data } | Op::WriteSplat { data, .. } | Op::WriteSplatHeader { data, .. }
            if data.is_empty() =>
        {
            Err(format!("{}: \"data\" must not be empty", op.name()))
        }
        Op::SplatBytesAll { bytes, .. } if bytes.is_empty() => {
            Err("splat_bytes_all: \"bytes\" must not be empty".into())
        }
        Op::Rebase { preserve, capacity } => room(*preserve, *capacity, "rebase"),
        Op::WritableSlice { len, preserve, .. } => room(*preserve, *len, "writable_slice"),
        Op::WriteBytePreserve { preserve, .. } => room(*preserve, 1, "write_byte_preserve"),
        Op::SplatBytePreserve { preserve, .. } if !grows && *preserve > cap => Err(format!(
            "splat_byte_preserve: preserve {preserve} exceeds the buffer ({cap})"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_round_trip_through_json_lines() {
        let script = Script {
            header: Header {
                script: 1,
                seed: 9,
                sink: SinkKind::Scripted,
                buffer: 7,
                budget: vec![Some(3), Some(0), None],
                fail_after: None,
            },
            ops: vec![
                Op::WriteAll {
                    bytes: "a \"quoted\" \\ text".into(),
                },
                Op::WriteSplatHeader {
                    header: "H".into(),
                    data: vec!["ab".into(), "".into()],
                    splat: 2,
                    limit: Some(3),
                },
                Op::WritableSlice {
                    len: 2,
                    preserve: 1,
                    byte: b'x',
                },
                Op::Flush,
            ],
        };
        let text = script.to_jsonl();
        assert!(text.starts_with(
            "{\"script\":1,\"seed\":9,\"sink\":\"scripted\",\"buffer\":7,\"budget\":[3,0,null]}\n"
        ));
        assert_eq!(parse_scripts(&text).unwrap(), vec![script]);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let head = "{\"script\":1,\"seed\":0,\"sink\":\"fixed\",\"buffer\":4}\n";
        let e = parse_scripts(&format!("{head}{{\"op\":\"wirte\"}}\n")).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("unknown variant `wirte`"), "{e}");

        let e = parse_scripts("{\"op\":\"flush\"}\n").unwrap_err();
        assert_eq!(e.to_string(), "line 1: op before any script header");

        let e = parse_scripts(&format!(
            "{head}{{\"op\":\"rebase\",\"preserve\":3,\"capacity\":2}}\n"
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2: rebase: preserve 3 + 2 exceeds the buffer (4)"
        );

        let e = parse_scripts(
            "{\"script\":1,\"seed\":0,\"sink\":\"scripted\",\"buffer\":4,\"budget\":[0,0]}\n",
        )
        .unwrap_err();
        assert!(e.message.contains("only zeros"), "{e}");
    }
}
