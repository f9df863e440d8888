//! The whole-book pass: scan every chapter, resolve wiki links against the
//! ids mdBook will generate, splice links in, append backlinks.

use crate::backlinks::{self, Source};
use crate::citation::{self, CitationProblem, CitationScan};
use crate::diagnostic::{Diagnostic, Problem};
use crate::ids::{self, PageIds};
use crate::markdown::{Edit, LineIndex, splice};
use crate::paths::relative_url;
use crate::previews;
use crate::suggest;
use crate::versions;
use crate::wikilink::{self, HeadingIndex, WikiLink, collapse_whitespace, heading_key};
use crate::{Chapter, Options, Output};
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One chapter after scanning.
struct Scanned {
    links: Vec<WikiLink>,
    /// `[[` … `]]` that the parser does not read as a wiki link.
    malformed: Vec<std::ops::Range<usize>>,
    lines: LineIndex,
    citations: CitationScan,
    citation_edits: Vec<Edit>,
    /// Ids of the page as mdBook renders the rewritten chapter.
    page: PageIds,
    /// `page.headings` indexed by text, for resolving links.
    index: HeadingIndex,
    /// For each link: the index of the heading it stands under (or in).
    under: Vec<Option<usize>>,
    /// The first paragraph of the chapter and of each heading.
    texts: previews::Texts,
}

/// A wiki link whose target exists.
#[derive(Clone, Copy)]
struct Resolved {
    chapter: usize,
    heading: Option<usize>,
}

/// Rewrites every chapter of a book (wiki links, citations, backlinks) and
/// collects every error.
///
/// Contract:
/// * pure and deterministic: the result depends only on the arguments;
/// * `Output::chapters[i]` is `chapters[i].content` with only these changes:
///   each resolved wiki link and each linkable citation replaced by a
///   markdown link, and a "Linked from" section appended when other chapters
///   link to chapter `i`; unresolved links are left as written;
/// * ids in the links are those mdBook 0.5.4 gives the rewritten chapters
///   when rendered with `options.markdown`;
/// * never panics, whatever the markdown.
pub fn process(chapters: &[Chapter], options: &Options) -> Output {
    let md = &options.markdown;
    let scanned: Vec<Scanned> = chapters.iter().map(|c| scan(c, options)).collect();

    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, chapter) in chapters.iter().enumerate() {
        by_name
            .entry(collapse_whitespace(&chapter.name))
            .or_default()
            .push(i);
    }

    let suggestions = Suggestions {
        pages: OnceCell::new(),
        headings: (0..chapters.len()).map(|_| OnceCell::new()).collect(),
    };

    let mut diagnostics = Vec::new();
    let mut backlinks: Vec<BTreeSet<(usize, Option<usize>)>> =
        vec![BTreeSet::new(); chapters.len()];
    let mut out = Vec::with_capacity(chapters.len());
    let mut link_previews: Vec<BTreeMap<String, previews::Preview>> =
        Vec::with_capacity(chapters.len());

    for (ci, chapter) in chapters.iter().enumerate() {
        let file = options
            .source_dir
            .join(chapter.source_path.as_ref().unwrap_or(&chapter.path));
        let here = &scanned[ci];
        let mut found = Vec::new();
        let mut shown = BTreeMap::new();
        let mut edits = here.citation_edits.clone();
        if let Some(table) = &options.citation_table {
            version_citations(&file, here, table, &mut edits, &mut found);
        }

        for (li, link) in here.links.iter().enumerate() {
            let problem = |problem, suggestion| Diagnostic {
                file: file.clone(),
                line: link.line,
                target: wikilink::as_written(&chapter.content[link.range.clone()]),
                problem,
                suggestion,
            };
            if link.embed {
                found.push((link.range.start, problem(Problem::UnsupportedEmbed, None)));
                continue;
            }
            let resolved = match resolve(
                link,
                ci,
                chapters,
                &scanned,
                &by_name,
                &suggestions,
                options,
            ) {
                Ok(r) => r,
                Err((p, s)) => {
                    found.push((link.range.start, problem(p, s)));
                    continue;
                }
            };
            let target = &chapters[resolved.chapter];
            let fragment = resolved
                .heading
                .map(|h| scanned[resolved.chapter].page.headings[h].id.as_str());
            let url = relative_url(&chapter.path, &target.path, fragment);
            shown.insert(
                url.clone(),
                preview(
                    &chapters[resolved.chapter],
                    &scanned[resolved.chapter],
                    resolved.heading,
                ),
            );
            edits.push(Edit {
                range: link.range.clone(),
                replacement: link_markdown(&chapter.content, link, &url),
            });
            if resolved.chapter != ci {
                backlinks[resolved.chapter].insert((ci, here.under[li]));
            }
        }

        for range in &here.malformed {
            let diagnostic = Diagnostic {
                file: file.clone(),
                line: here.lines.line(range.start),
                target: wikilink::as_written(&chapter.content[range.clone()]),
                problem: Problem::MalformedWikiLink,
                suggestion: None,
            };
            found.push((range.start, diagnostic));
        }
        for error in &here.citations.errors {
            found.push((error.range.start, citation_diagnostic(&file, error)));
        }
        // In the order they stand in the chapter.
        found.sort_by_key(|(start, _)| *start);
        diagnostics.extend(found.into_iter().map(|(_, d)| d));

        let edits = non_overlapping(edits);
        out.push(splice(&chapter.content, &edits).0);
        link_previews.push(shown);
    }

    for (ci, entries) in backlinks.iter().enumerate() {
        if entries.is_empty() {
            continue;
        }
        let sources = backlink_sources(entries, chapters, &scanned);
        let anchor = backlinks::anchor(&scanned[ci].page.all);
        let mut text = std::mem::take(&mut out[ci]);
        let end_of_chapter = text.len();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let base = text.len();
        text.push_str(&backlinks::render(&chapters[ci].path, &anchor, &sources));
        let appended = ids::headings(&text, md)
            .iter()
            .any(|h| h.explicit_id && h.id == anchor && h.range.start >= base);
        if appended {
            out[ci] = text;
        } else {
            text.truncate(end_of_chapter);
            out[ci] = text;
            let chapter = &chapters[ci];
            diagnostics.push(Diagnostic {
                file: options
                    .source_dir
                    .join(chapter.source_path.as_ref().unwrap_or(&chapter.path)),
                line: scanned[ci].lines.line(chapter.content.len()),
                target: format!("## {}", backlinks::TITLE),
                problem: Problem::BacklinksNotAppended,
                suggestion: None,
            });
        }
    }

    // Last, after the backlinks, whose links are ordinary ones.
    if options.link_previews {
        for (text, shown) in out.iter_mut().zip(&link_previews) {
            text.push_str(&previews::block(shown));
        }
    }

    Output {
        chapters: out,
        diagnostics,
    }
}

/// The preview of a link to `heading` of `chapter` (or to the chapter).
fn preview(chapter: &Chapter, scanned: &Scanned, heading: Option<usize>) -> previews::Preview {
    let (title, text) = match heading {
        Some(h) => (
            collapse_whitespace(&scanned.page.headings[h].text),
            scanned.texts.headings[h].clone(),
        ),
        None => (chapter.name.clone(), scanned.texts.chapter.clone()),
    };
    previews::Preview {
        title,
        text: text.unwrap_or_default(),
    }
}

/// Scans one chapter and computes the ids of its rewritten form.
fn scan(chapter: &Chapter, options: &Options) -> Scanned {
    let md = &options.markdown;
    let text = &chapter.content;
    let links = wikilink::find(text, md);
    let (citations, citation_edits) = citation::scan(text, md);

    // Ids depend only on link text, never on destinations, so the chapter is
    // rewritten with a placeholder destination to learn them before any
    // link is resolved.
    let mut edits: Vec<(Edit, Option<usize>)> = links
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.embed)
        .map(|(i, l)| {
            let edit = Edit {
                range: l.range.clone(),
                replacement: link_markdown(text, l, "#"),
            };
            (edit, Some(i))
        })
        .chain(citation_edits.iter().cloned().map(|e| (e, None)))
        .collect();
    edits.sort_by_key(|(e, _)| (e.range.start, e.range.end));
    let mut kept: Vec<(Edit, Option<usize>)> = Vec::with_capacity(edits.len());
    for (edit, link) in edits {
        if kept
            .last()
            .is_none_or(|(prev, _)| prev.range.end <= edit.range.start)
        {
            kept.push((edit, link));
        }
    }
    let plain: Vec<Edit> = kept.iter().map(|(e, _)| e.clone()).collect();
    let (rewritten, starts) = splice(text, &plain);
    let page = ids::page_ids(&rewritten, md);

    let mut under = vec![None; links.len()];
    for ((_, link), start) in kept.iter().zip(&starts) {
        if let Some(i) = link {
            // Headings are in document order: the last one starting at or
            // before the link.
            let after = page.headings.partition_point(|h| h.range.start <= *start);
            under[*i] = after.checked_sub(1);
        }
    }

    let index = HeadingIndex::new(&page.headings);
    let texts = previews::texts(&rewritten, &page.headings, md);
    Scanned {
        malformed: wikilink::find_malformed(text, md),
        lines: LineIndex::new(text),
        links,
        citations,
        citation_edits,
        page,
        index,
        under,
        texts,
    }
}

/// The markdown link that replaces `link` in `content`.
///
/// After a `]` (a footnote reference `[^n]`, a bracketed word) a plain
/// `[text](url)` would be read as the label of a reference link and turn the
/// bracket before it into text; an empty comment keeps the two apart.
fn link_markdown(content: &str, link: &WikiLink, url: &str) -> String {
    let separator = if content[..link.range.start].ends_with(']') {
        "<!-- -->"
    } else {
        ""
    };
    format!("{separator}[{}]({url})", link.text)
}

type Failure = (Problem, Option<String>);

/// What broken links are compared with for suggestions, each indexed the
/// first time a broken link needs it.
struct Suggestions {
    /// The chapters' titles.
    pages: OnceCell<suggest::Index>,
    /// Per chapter, its headings' texts.
    headings: Vec<OnceCell<suggest::Index>>,
}

fn resolve(
    link: &WikiLink, from: usize, chapters: &[Chapter], scanned: &[Scanned],
    by_name: &HashMap<String, Vec<usize>>, suggestions: &Suggestions, options: &Options,
) -> Result<Resolved, Failure> {
    let chapter = match &link.target.page {
        // `[[#]]`, `[[ ]]`: names nothing.
        None if link.target.headings.is_empty() => return Err((Problem::MissingPage, None)),
        None => from,
        Some(name) => match by_name.get(name).map(Vec::as_slice) {
            Some([one]) => *one,
            Some(_) => return Err((Problem::AmbiguousPage, None)),
            None => {
                let index = suggestions.pages.get_or_init(|| {
                    suggest::Index::new(chapters.iter().map(|c| collapse_whitespace(&c.name)))
                });
                let suggestion = index.closest(name).map(|n| format!("[[{n}]]"));
                return Err((Problem::MissingPage, suggestion));
            }
        },
    };
    if link.target.headings.is_empty() {
        return Ok(Resolved {
            chapter,
            heading: None,
        });
    }
    let page = &scanned[chapter];
    match page.index.resolve(&link.target.headings, &options.markdown) {
        Some(h) => Ok(Resolved {
            chapter,
            heading: Some(h),
        }),
        None => {
            let wanted = link
                .target
                .headings
                .last()
                .map(String::as_str)
                .unwrap_or("");
            let key = heading_key(wanted, &options.markdown);
            let index = suggestions.headings[chapter]
                .get_or_init(|| suggest::Index::new(page.index.texts()));
            let suggestion = index.closest(&key).map(|h| {
                let page = link.target.page.as_deref().unwrap_or("");
                format!("[[{page}#{h}]]")
            });
            Err((Problem::MissingHeading, suggestion))
        }
    }
}

/// Appends each linked citation's per-release elements to its link edit,
/// and reports every citation (linked or not) that the table lacks.
fn version_citations(
    file: &std::path::Path, here: &Scanned, table: &versions::CitationTable, edits: &mut [Edit],
    found: &mut Vec<(usize, Diagnostic)>,
) {
    for c in &here.citations.citations {
        match versions::version_elements(c, table) {
            Ok(html) => {
                // A link edit ends where its code span ends.
                if let Some(edit) = edits
                    .iter_mut()
                    .find(|e| e.range.end == c.range.end && e.replacement.starts_with(['[', '\\']))
                {
                    edit.replacement.push_str(&html);
                }
            }
            Err(missing) => found.push((
                c.range.start,
                Diagnostic {
                    file: file.to_path_buf(),
                    line: c.line,
                    target: format!("`{}`", c.text),
                    problem: Problem::UnrecordedCitation(missing),
                    suggestion: None,
                },
            )),
        }
    }
}

fn citation_diagnostic(file: &std::path::Path, error: &citation::CitationError) -> Diagnostic {
    let (problem, suggestion) = match &error.problem {
        CitationProblem::UnknownFile { file, suggestion } => (
            Problem::UnknownZigFile,
            Some(format!(
                "`{}`",
                error.text.replacen(file.as_str(), suggestion, 1)
            )),
        ),
        CitationProblem::MalformedRange => (Problem::MalformedRange, None),
        CitationProblem::ReversedRange { first, last } => (
            Problem::ReversedRange,
            Some(format!(
                "`{}`",
                error
                    .text
                    .replacen(&format!("{first}-{last}"), &format!("{last}-{first}"), 1)
            )),
        ),
    };
    Diagnostic {
        file: file.to_path_buf(),
        line: error.line,
        target: format!("`{}`", error.text),
        problem,
        suggestion,
    }
}

/// Sorted edits with any edit that overlaps an earlier one dropped, so that
/// [`splice`]'s contract holds whatever the scanners found.
fn non_overlapping(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits {
        if kept
            .last()
            .is_none_or(|prev| prev.range.end <= edit.range.start)
        {
            kept.push(edit);
        }
    }
    kept
}

fn backlink_sources<'a>(
    entries: &BTreeSet<(usize, Option<usize>)>, chapters: &'a [Chapter], scanned: &'a [Scanned],
) -> Vec<Source<'a>> {
    let mut sources: Vec<Source<'a>> = Vec::new();
    for &(from, heading) in entries {
        let chapter = &chapters[from];
        if sources
            .last()
            .is_none_or(|s| s.path != chapter.path.as_path())
        {
            sources.push(Source {
                path: &chapter.path,
                name: &chapter.name,
                headings: Vec::new(),
            });
        }
        let Some(h) = heading.map(|h| &scanned[from].page.headings[h]) else {
            continue;
        };
        let is_title =
            h.level == 1 && collapse_whitespace(&h.text) == collapse_whitespace(&chapter.name);
        if !is_title && let Some(last) = sources.last_mut() {
            last.headings.push((h.id.as_str(), h.text.as_str()));
        }
    }
    sources
}
