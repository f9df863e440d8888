//! `{{#figure NAME [OPTION...]}}`: finding the directives of a chapter and
//! replacing them by their numbers.
//!
//! A directive counts in running text only: inside a code span or a code
//! block it is text about the directive and stays as written.

use crate::data::{Figure, Figures, Kind};
use book_model::{LineIndex, code_ranges};
use std::ops::Range;

/// What opens a directive.
pub const OPEN: &str = "{{#figure";
const CLOSE: &str = "}}";

/// How a figure is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Format {
    /// Decimals; the figure's kind decides when `None`.
    pub digits: Option<usize>,
    /// `1 / x` ("N times faster").
    pub inverse: bool,
    /// `x * 100`.
    pub percent: bool,
    /// `(x - 1) * 100` ("34.2% over").
    pub over: bool,
    /// The number links to the table it comes from.
    pub link: bool,
}

/// One directive as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// 1-based line of the chapter.
    pub line: usize,
    /// Byte range of the directive, `{{` to `}}`.
    pub range: Range<usize>,
    /// The figure's name.
    pub name: String,
    /// The options.
    pub format: Format,
}

/// A problem at a line of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every directive of `markdown` outside code, in order, or every problem.
///
/// # Errors
/// A directive not closed on its line, without a name, or with an unknown
/// or malformed option.
pub fn find(markdown: &str) -> Result<Vec<Directive>, Vec<LineError>> {
    let code = code_ranges(markdown);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let lines = LineIndex::new(markdown);
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut search = 0;
    while let Some(at) = markdown[search..].find(OPEN) {
        let start = search + at;
        search = start + OPEN.len();
        if in_code(start) {
            continue;
        }
        let line = lines.line(start);
        let line_end = markdown[start..]
            .find('\n')
            .map_or(markdown.len(), |i| start + i);
        let rest = &markdown[search..line_end];
        let Some(close) = rest.find(CLOSE) else {
            errors.push(LineError {
                line,
                message: format!(
                    "`{OPEN}` is not closed by `{CLOSE}` on the same line: `{}`",
                    markdown[start..line_end].trim()
                ),
            });
            continue;
        };
        let inner = &rest[..close];
        let end = search + close + CLOSE.len();
        match parse(inner) {
            Ok((name, format)) => found.push(Directive {
                line,
                range: start..end,
                name,
                format,
            }),
            Err(message) => errors.push(LineError { line, message }),
        }
        search = end;
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// `NAME option...` → the name and the format.
fn parse(inner: &str) -> Result<(String, Format), String> {
    let mut words = inner.split_whitespace();
    let name = words.next().ok_or_else(|| {
        format!("`{OPEN}}}}}` names no figure; write e.g. `{OPEN} bench.rounds}}}}`")
    })?;
    let mut format = Format::default();
    for word in words {
        match word.split_once('=') {
            None if word == "inverse" => format.inverse = true,
            None if word == "percent" => format.percent = true,
            None if word == "over" => format.over = true,
            None if word == "link" => format.link = true,
            Some(("digits", n)) => {
                format.digits = Some(n.parse().ok().filter(|d| *d <= 9).ok_or_else(|| {
                    format!("`digits={n}` of figure `{name}`: digits is a number from 0 to 9")
                })?);
            }
            _ => {
                return Err(format!(
                    "unknown option `{word}` of figure `{name}`; the options are digits=N, inverse, percent, over, link"
                ));
            }
        }
    }
    if [format.inverse, format.percent, format.over]
        .iter()
        .filter(|b| **b)
        .count()
        > 1
    {
        return Err(format!(
            "figure `{name}`: choose one of inverse, percent and over"
        ));
    }
    Ok((name.to_string(), format))
}

/// The text of `figure` written as `format` says; `page_depth` is how many
/// directories the chapter is below the book's source directory (for the
/// relative link).
pub fn render(figure: &Figure, format: &Format, page_depth: usize) -> String {
    let (value, default_digits) = if format.inverse {
        (1.0 / figure.value, 1)
    } else if format.percent {
        (figure.value * 100.0, 1)
    } else if format.over {
        ((figure.value - 1.0) * 100.0, 1)
    } else {
        (figure.value, figure.kind.default_digits(figure.value))
    };
    let digits = format.digits.unwrap_or(default_digits);
    let separate = matches!(figure.kind, Kind::Count | Kind::Number | Kind::Throughput);
    let text = number(value, digits, separate);
    match (&figure.table, format.link) {
        (Some(table), true) => format!("[{text}]({}{table})", "../".repeat(page_depth)),
        _ => text,
    }
}

/// `value` with `digits` decimals; with `separate`, thousands in the whole
/// part are separated by commas (3,892).
pub fn number(value: f64, digits: usize, separate: bool) -> String {
    let text = format!("{value:.digits$}");
    if !separate {
        return text;
    }
    let (sign, unsigned) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |t| ("-", t));
    let (whole, fraction) = unsigned
        .split_once('.')
        .map_or((unsigned, None), |(w, f)| (w, Some(f)));
    if whole.len() <= 3 {
        return text;
    }
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Replaces every directive of `markdown` by its number.
///
/// # Errors
/// Every malformed directive, and every name that `figures` lacks (with the
/// closest names), at its line.
pub fn expand(
    markdown: &str, figures: &Figures, page_depth: usize,
) -> Result<String, Vec<LineError>> {
    let directives = find(markdown)?;
    let mut out = String::with_capacity(markdown.len());
    let mut copied = 0;
    let mut errors = Vec::new();
    for d in &directives {
        out.push_str(&markdown[copied..d.range.start]);
        match figures.get(&d.name) {
            Some(figure) => out.push_str(&render(figure, &d.format, page_depth)),
            None => errors.push(LineError {
                line: d.line,
                message: format!(
                    "no figure named `{}` in the recorded data; the closest names: {}",
                    d.name,
                    figures
                        .closest(&d.name, 3)
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
        copied = d.range.end;
    }
    out.push_str(&markdown[copied..]);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> Figures {
        let mut f = Figures::default();
        let mut put = |n: &str, value: f64, kind: Kind| {
            f.insert(
                n.to_string(),
                Figure {
                    value,
                    kind,
                    table: Some("measurements.md#bench-small-null".into()),
                },
            )
            .unwrap();
        };
        put(
            "bench.small-null.zigio/write:std/write.time",
            1.3422,
            Kind::Ratio,
        );
        put("bench.small-null.zigio/write.calls", 3892.0, Kind::Count);
        put("bench.small-null.zigio/write.ms", 2.77336, Kind::Millis);
        put(
            "bench.mixed-pipe.zigio/write:std/write.time",
            0.37,
            Kind::Ratio,
        );
        f
    }

    #[test]
    fn directives_become_numbers() {
        let md = "zigio took {{#figure bench.small-null.zigio/write:std/write.time}} of the time \
                  ({{#figure bench.small-null.zigio/write:std/write.time over}}% over), \
                  {{#figure bench.small-null.zigio/write.calls}} calls in \
                  {{#figure bench.small-null.zigio/write.ms digits=1}} ms; \
                  {{#figure bench.mixed-pipe.zigio/write:std/write.time inverse}} times faster, \
                  {{#figure bench.small-null.zigio/write.ms link}}.\n";
        assert_eq!(
            expand(md, &figures(), 0).unwrap(),
            "zigio took 1.342 of the time (34.2% over), 3,892 calls in 2.8 ms; 2.7 times faster, \
             [2.77](measurements.md#bench-small-null).\n"
        );
        let linked = expand(
            "{{#figure bench.small-null.zigio/write.ms link}}",
            &figures(),
            2,
        );
        assert_eq!(
            linked.unwrap(),
            "[2.77](../../measurements.md#bench-small-null)"
        );
    }

    #[test]
    fn code_keeps_the_directive() {
        let md = "Write `{{#figure bench.nope}}`:\n\n```markdown\n{{#figure bench.nope}}\n```\n";
        assert_eq!(expand(md, &figures(), 0).unwrap(), md);
    }

    #[test]
    fn a_missing_name_names_its_line_and_the_closest_names() {
        let md = "a\n\nb {{#figure bench.small-null.zigio/write.m}}\n";
        let errors = expand(md, &figures(), 0).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(
            errors[0]
                .message
                .contains("closest names: `bench.small-null.zigio/write.ms`"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn malformed_directives_are_errors() {
        let md = "{{#figure x\n\n{{#figure }}\n\n{{#figure x digits=a}}\n\n{{#figure x bold}}\n\n{{#figure x over inverse}}\n";
        let errors = find(md).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 3, 5, 7, 9]);
        assert!(errors[0].message.contains("not closed"));
        assert!(errors[1].message.contains("names no figure"));
        assert!(errors[2].message.contains("digits"));
        assert!(errors[3].message.contains("unknown option `bold`"));
        assert!(errors[4].message.contains("choose one"));
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(number(3892.0, 0, true), "3,892");
        assert_eq!(number(1_048_576.0, 0, true), "1,048,576");
        assert_eq!(number(-12345.5, 1, true), "-12,345.5");
        assert_eq!(number(999.0, 0, true), "999");
        assert_eq!(number(3892.0, 0, false), "3892");
    }
}
