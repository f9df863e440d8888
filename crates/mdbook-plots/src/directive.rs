//! Finding `{{#zigio-plot NAME key=value ...}}` directives in a chapter.
//!
//! A directive is recognised in running text only: inside a code span or a
//! code block it is text about the directive, and stays as written (so a
//! chapter can show how to use it). It must stand alone on its line, because
//! it becomes a block of HTML.

use book_model::{LineIndex, code_ranges};
use std::ops::Range;

/// What opens a directive.
pub const OPEN: &str = "{{#zigio-plot";
const CLOSE: &str = "}}";

/// One directive as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// 1-based line of the chapter.
    pub line: usize,
    /// Byte range of the whole line (without its newline), which the
    /// replacement takes over.
    pub range: Range<usize>,
    /// The plot's name, e.g. `occupancy`.
    pub name: String,
    /// `key=value` arguments, in order.
    pub args: Vec<(String, String)>,
}

/// A directive that cannot be used, at its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveError {
    /// 1-based line of the chapter.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every directive of `markdown` outside code, in order, or every problem.
pub fn find(markdown: &str) -> Result<Vec<Directive>, Vec<DirectiveError>> {
    let code = code_ranges(markdown);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let lines = LineIndex::new(markdown);
    let mut directives = Vec::new();
    let mut errors = Vec::new();
    let mut search = 0;
    while let Some(found) = markdown[search..].find(OPEN) {
        let start = search + found;
        search = start + OPEN.len();
        if in_code(start) {
            continue;
        }
        let line = lines.line(start);
        let line_start = markdown[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = markdown[start..]
            .find('\n')
            .map_or(markdown.len(), |i| start + i);
        let text = &markdown[line_start..line_end];
        let error = |message: String| DirectiveError { line, message };
        let rest = &markdown[search..line_end];
        let Some(close) = rest.find(CLOSE) else {
            errors.push(error(format!(
                "`{OPEN}` is not closed by `{CLOSE}` on the same line: `{}`",
                text.trim()
            )));
            continue;
        };
        let inner = &rest[..close];
        let after = &rest[close + CLOSE.len()..];
        if !markdown[line_start..start].trim().is_empty() || !after.trim().is_empty() {
            errors.push(error(format!(
                "a plot directive must stand alone on its line (it becomes a block of HTML): `{}`",
                text.trim()
            )));
            continue;
        }
        match parse(inner) {
            Ok((name, args)) => directives.push(Directive {
                line,
                range: line_start..line_end,
                name,
                args,
            }),
            Err(message) => errors.push(error(message)),
        }
    }
    if errors.is_empty() {
        Ok(directives)
    } else {
        Err(errors)
    }
}

/// `NAME key=value ...` → the name and the arguments.
fn parse(inner: &str) -> Result<(String, Vec<(String, String)>), String> {
    let mut words = inner.split_whitespace();
    let name = words
        .next()
        .ok_or_else(|| format!("`{OPEN}}}}}` names no plot; write e.g. `{OPEN} occupancy}}}}`"))?;
    let mut args = Vec::new();
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(format!(
                "argument `{word}` of plot `{name}` is not of the form key=value"
            ));
        };
        if key.is_empty() || value.is_empty() {
            return Err(format!(
                "argument `{word}` of plot `{name}` needs both a key and a value"
            ));
        }
        args.push((key.to_string(), value.to_string()));
    }
    Ok((name.to_string(), args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_directive_with_arguments() {
        let md = "# T\n\ntext\n\n{{#zigio-plot occupancy buffer=32 seed=7}}\n\nmore\n";
        let found = find(md).unwrap();
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(d.line, 5);
        assert_eq!(d.name, "occupancy");
        assert_eq!(
            d.args,
            [
                ("buffer".to_string(), "32".to_string()),
                ("seed".to_string(), "7".to_string())
            ]
        );
        assert_eq!(
            &md[d.range.clone()],
            "{{#zigio-plot occupancy buffer=32 seed=7}}"
        );
    }

    #[test]
    fn code_is_left_alone() {
        let md = "Write `{{#zigio-plot occupancy}}` in a chapter:\n\n```markdown\n{{#zigio-plot nope}}\n```\n";
        assert_eq!(find(md).unwrap(), []);
    }

    #[test]
    fn problems_name_their_line() {
        let md = "a\n\n{{#zigio-plot occupancy\n\nsee {{#zigio-plot occupancy}} here\n\n{{#zigio-plot occupancy buffer}}\n\n{{#zigio-plot }}\n";
        let errors = find(md).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 5, 7, 9]);
        assert!(errors[0].message.contains("not closed"));
        assert!(errors[1].message.contains("stand alone"));
        assert!(errors[2].message.contains("key=value"));
        assert!(errors[3].message.contains("names no plot"));
    }
}
