//! Markdown and MDX, read with pulldown-cmark (CommonMark plus tables, footnotes,
//! strikethrough and task lists), whose offset iterator gives every event its source range.
//!
//! - Linted: paragraphs, headings, list items, table cells, block quotes, footnotes, link text,
//!   image alt text (a line of its own), HTML blocks and inline HTML (read as HTML), and the copy
//!   fields of YAML or TOML front matter (see `front_matter`).
//! - Skipped: fenced and indented code, inline code, link and image URLs and titles, HTML
//!   comments, and in MDX the `import`/`export` blocks, JSX tags and `{expressions}`.
//! - Blocks end lines (list items, table cells, hard breaks) or paragraphs (everything else);
//!   emphasis, links and soft line breaks do not break a sentence.

use std::borrow::Cow;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::builder::{Markup, TextBuilder};
use super::{Extracted, front_matter, html};

/// Extracts a Markdown (or, with `mdx`, an MDX) document; `keys` are the front-matter fields
/// that are copy.
pub fn extract(source: &str, mdx: bool, keys: &[String]) -> Extracted<'static> {
    extract_in_chunks(source, mdx, keys, CHUNK_LEN)
}

/// `extract`, parsing parts of about `chunk_len` bytes at a time.
fn extract_in_chunks(
    source: &str,
    mdx: bool,
    keys: &[String],
    chunk_len: usize,
) -> Extracted<'static> {
    let mut b = TextBuilder::new(source);
    let body_start = front_matter::extract_into(&mut b, keys);
    let body = source.get(body_start..).unwrap_or_default();
    let masked = if mdx {
        Cow::Owned(mask_mdx(body))
    } else {
        Cow::Borrowed(body)
    };
    b.paragraph_break();
    let mut state = BodyState::default();
    // A long document is parsed a block group at a time: the parser holds a tree of what it
    // parses, which for a whole export is larger than the export. The groups are parsed in
    // parallel, sixteen per thread at a time, each as if nothing were open before it; a group
    // that follows an open element (`<code>` left open in a paragraph) or that the builder
    // cannot append exactly is parsed again here, in order. The groups are found as they are
    // needed: the next few while the last few are appended.
    // The threads wait for the slowest part of each round, about half a part's time: the
    // more parts a round has, the fewer rounds wait. Rounds of 8 parts of 4 MB took big.md
    // 2.23-2.30 s; rounds of 32 parts of 1 MB (the same text at once) 2.10-2.19 s.
    let window = 16 * rayon::current_num_threads().max(1);
    let mut chunker = Chunker::new(&masked, chunk_len);
    let mut group = chunker.next_parts(window);
    if group.len() > 1 {
        // Room for the whole text at once: growing it would copy what is already there.
        b.reserve(masked.len());
    }
    while !group.is_empty() {
        let parsed: Vec<(TextBuilder<'_>, BodyState)> = if group.len() > 1 {
            use rayon::prelude::*;
            group
                .par_iter()
                .map(|chunk| {
                    let mut part = TextBuilder::new(source);
                    let mut end = BodyState::default();
                    let text = &masked[chunk.clone()];
                    extract_body(&mut part, text, body_start + chunk.start, &mut end);
                    (part, end)
                })
                .collect()
        } else {
            Vec::new()
        };
        let append = || {
            let mut parsed = parsed.into_iter();
            for chunk in &group {
                let own = parsed.next();
                if let Some((part, end)) = own
                    && state == BodyState::default()
                    && b.append_part(part).is_ok()
                {
                    state = end;
                    continue;
                }
                let text = &masked[chunk.clone()];
                extract_body(&mut b, text, body_start + chunk.start, &mut state);
            }
        };
        // The next group is found while this one is appended (in order, on one thread).
        group = if chunker.is_done() {
            append();
            Vec::new()
        } else {
            rayon::join(|| chunker.next_parts(window), append).0
        };
    }
    b.finish()
}

/// About how long a part of a long document parsed at once is.
const CHUNK_LEN: usize = 1 << 20;

/// What the walk over the events carries from one part of a document to the next.
#[derive(Debug, Default, PartialEq)]
struct BodyState {
    code: usize,
    items: usize,
    html_block: bool,
    /// An inline HTML element whose content is skipped (`<code>` in a paragraph).
    inline_skip: Option<String>,
    /// Inside an autolink (`<https://...>`), whose text is the URL.
    autolink: bool,
}

/// Every part `Chunker` finds in a body.
#[cfg(test)]
fn top_level_chunks(body: &str, len: usize) -> Vec<std::ops::Range<usize>> {
    let mut chunker = Chunker::new(body, len);
    let mut out = Vec::new();
    while !chunker.is_done() {
        out.extend(chunker.next_parts(usize::MAX));
    }
    out
}

/// Splits a Markdown body into parts of about `len` bytes that parse as they do in the whole
/// body, a few parts at a time: each part ends after a blank line where the next line starts a
/// new top-level block (it begins at the margin, and not with a list marker, `>`, `|` or `<`),
/// outside fenced code and outside HTML blocks that run past blank lines (`<script>`, `<pre>`,
/// `<style>`, `<textarea>`, comments, processing instructions, declarations, CDATA). A body with
/// a link reference definition (`[label]: url`, which any part may use) is never split.
struct Chunker<'a> {
    body: &'a str,
    len: usize,
    /// Where the part being found starts, and where the next line starts.
    start: usize,
    at: usize,
    /// The closing fence or end marker of the block we are in, if any.
    open: Option<Closer>,
    previous_blank: bool,
    /// The whole body is one part: it is short, or has a link reference definition.
    whole: bool,
    done: bool,
}

impl<'a> Chunker<'a> {
    fn new(body: &'a str, len: usize) -> Chunker<'a> {
        let bytes = body.as_bytes();
        let whole = bytes.len() <= len.saturating_mul(2) || has_reference_definition(bytes);
        Chunker {
            body,
            len,
            start: 0,
            at: 0,
            open: None,
            previous_blank: false,
            whole,
            done: false,
        }
    }

    fn is_done(&self) -> bool {
        self.done
    }

    /// The next `n` parts (fewer at the end of the body, none once it is reached).
    fn next_parts(&mut self, n: usize) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        if self.done || n == 0 {
            return out;
        }
        let body = self.body;
        let bytes = body.as_bytes();
        if self.whole {
            self.done = true;
            out.push(0..body.len());
            return out;
        }
        while self.at < bytes.len() {
            let at = self.at;
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k + 1);
            let line = &body[at..end];
            let blank = line.trim().is_empty();
            match &self.open {
                Some(closer) => {
                    if closer.closes(line) {
                        self.open = None;
                    }
                }
                None => {
                    if self.previous_blank
                        && at - self.start >= self.len
                        && starts_top_level_block(line)
                    {
                        out.push(self.start..at);
                        self.start = at;
                    }
                    self.open = Closer::opened_by(line);
                }
            }
            self.previous_blank = blank && self.open.is_none();
            self.at = end;
            if out.len() == n {
                return out;
            }
        }
        out.push(self.start..bytes.len());
        self.done = true;
        out
    }
}

/// How a block that may hold blank lines ends.
#[derive(Debug)]
enum Closer {
    /// A fence of at least this many of this character, alone on its line.
    Fence(u8, usize),
    /// A line holding this text (case-insensitive for tag names).
    Marker(&'static str),
}

impl Closer {
    fn opened_by(line: &str) -> Option<Closer> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            return None;
        }
        let rest = &line[indent..];
        // Every opener starts with one of these (most lines start with none).
        if !matches!(rest.as_bytes().first(), Some(b'`' | b'~' | b'<')) {
            return None;
        }
        for fence in [b'`', b'~'] {
            let n = rest.bytes().take_while(|&b| b == fence).count();
            if n >= 3 {
                return Some(Closer::Fence(fence, n));
            }
        }
        let lower = rest
            .get(..rest.len().min(12))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let marker = [
            ("<script", "</script>"),
            ("<pre", "</pre>"),
            ("<style", "</style>"),
            ("<textarea", "</textarea>"),
            ("<!--", "-->"),
            ("<?", "?>"),
            ("<![cdata[", "]]>"),
            ("<!", ">"),
        ]
        .into_iter()
        .find(|(open, _)| lower.starts_with(open))
        .map(|(_, close)| close)?;
        // A block that ends on its own first line holds no blank line.
        let after_open = &rest[rest.len().min(2)..];
        if after_open.to_ascii_lowercase().contains(marker) {
            None
        } else {
            Some(Closer::Marker(marker))
        }
    }

    fn closes(&self, line: &str) -> bool {
        match *self {
            Closer::Fence(fence, n) => {
                // A closing fence is indented at most three spaces (deeper, it is content).
                let indent = line.len() - line.trim_start_matches(' ').len();
                let trimmed = line.trim();
                indent <= 3 && trimmed.len() >= n && trimmed.bytes().all(|b| b == fence)
            }
            Closer::Marker(marker) => line.to_ascii_lowercase().contains(marker),
        }
    }
}

/// Whether a line after a blank line begins a top-level block no earlier block continues into.
fn starts_top_level_block(line: &str) -> bool {
    match line.as_bytes().first() {
        None => false,
        Some(b) if b.is_ascii_whitespace() || b.is_ascii_digit() => false,
        Some(b'-' | b'*' | b'+' | b'>' | b'|' | b'<' | b'[') => false,
        Some(_) => true,
    }
}

/// Whether some line looks like a link reference definition (`[label]:` at the margin, or up
/// to three spaces in), conservatively.
fn has_reference_definition(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"]:").any(|k| {
        let line_start = memchr::memrchr(b'\n', &bytes[..k]).map_or(0, |n| n + 1);
        let line = &bytes[line_start..k];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        indent <= 3 && line.get(indent) == Some(&b'[')
    })
}

/// Walks the Markdown events of `body`, which starts at `base` in the builder's source (and,
/// for MDX, has the same length as that part of the source).
fn extract_body(b: &mut TextBuilder<'_>, body: &str, base: usize, state: &mut BodyState) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let BodyState {
        mut code,
        mut items,
        mut html_block,
        mut inline_skip,
        mut autolink,
    } = std::mem::take(state);
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + base..range.end + base;
        let in_list = items > 0;
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                code += 1;
                b.paragraph_break();
            }
            Event::End(TagEnd::CodeBlock) => {
                code = code.saturating_sub(1);
                b.paragraph_break();
            }
            _ if code > 0 => {}
            Event::Start(Tag::HtmlBlock) => {
                html_block = true;
                b.paragraph_break();
                html::extract_into(b, range);
                b.paragraph_break();
            }
            Event::End(TagEnd::HtmlBlock) => html_block = false,
            Event::Html(_) if html_block => {}
            Event::Html(raw) | Event::InlineHtml(raw) => {
                if let Some((name, closing)) = html::skipped_element(&raw) {
                    match (&inline_skip, closing) {
                        (None, false) => inline_skip = Some(name),
                        (Some(open), true) if *open == name => inline_skip = None,
                        _ => {}
                    }
                } else if inline_skip.is_none() {
                    html::extract_into(b, range);
                }
            }
            _ if inline_skip.is_some() => {}
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => autolink = true,
            Event::End(TagEnd::Link) if autolink => autolink = false,
            Event::Text(_) if autolink => {}
            Event::Text(text) => b.aligned(range, &text, true, true),
            Event::SoftBreak => b.copy_inline(range),
            Event::HardBreak => b.line_break(),
            Event::Rule => b.paragraph_break(),
            Event::Start(tag) => match tag {
                Tag::Item => {
                    items += 1;
                    b.line_break();
                }
                Tag::List(_) if in_list => b.line_break(),
                Tag::Image { .. } => b.line_break(),
                Tag::TableCell | Tag::TableRow | Tag::TableHead => b.line_break(),
                Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } => {
                    b.skipped(Markup::Opening);
                }
                Tag::Paragraph if in_list => {}
                Tag::MetadataBlock(_) => code += 1,
                _ => b.paragraph_break(),
            },
            Event::End(tag) => match tag {
                TagEnd::Item => {
                    items = items.saturating_sub(1);
                    b.line_break();
                }
                TagEnd::List(_) if in_list => b.line_break(),
                TagEnd::Paragraph if in_list => b.line_break(),
                TagEnd::Image => b.line_break(),
                TagEnd::TableCell | TagEnd::TableRow | TagEnd::TableHead => b.line_break(),
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                    b.skipped(Markup::Closing);
                }
                TagEnd::MetadataBlock(_) => code = code.saturating_sub(1),
                _ => b.paragraph_break(),
            },
            // Inline code, math, footnote references and task markers are not copy.
            _ => {}
        }
    }
    *state = BodyState {
        code,
        items,
        html_block,
        inline_skip,
        autolink,
    };
}

/// MDX: blanks the lines that are JavaScript rather than Markdown (ESM `import`/`export`
/// blocks up to the next blank line, JSX tags that start a line, `{expressions}`), keeping
/// every byte offset and line break.
pub fn mask_mdx(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut esm = false;
    let mut open_tag = false;
    let mut braces = 0i64;
    let mut fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let content = line.trim();
        // Code fences keep their content (code is skipped anyway, and never JSX).
        if let Some(marker) = fence {
            if content.starts_with(marker) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        let mask = if esm {
            esm = !content.is_empty();
            esm
        } else if open_tag {
            open_tag = !content.ends_with('>');
            true
        } else if braces > 0 || content.starts_with('{') {
            braces = (braces + brace_balance(content)).max(0);
            true
        } else if line.starts_with("import ") || line.starts_with("export ") {
            esm = true;
            true
        } else if content.starts_with("```") || content.starts_with("~~~") {
            fence = content.get(..3);
            false
        } else if is_jsx_line(content) {
            open_tag = !content.ends_with('>');
            true
        } else {
            false
        };
        if mask {
            for c in line.chars() {
                match c {
                    '\n' | '\r' => out.push(c),
                    // A multi-byte character becomes as many spaces as it had bytes.
                    c => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
                }
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A line that is a JSX tag: `<Component`, `</Component`, `<>` or `</>`.
fn is_jsx_line(content: &str) -> bool {
    let rest = content
        .strip_prefix("</")
        .or_else(|| content.strip_prefix('<'));
    match rest {
        Some(rest) => rest.starts_with('>') || rest.starts_with(|c: char| c.is_ascii_uppercase()),
        None => false,
    }
}

fn brace_balance(line: &str) -> i64 {
    line.chars().fold(0, |n, c| match c {
        '{' => n + 1,
        '}' => n - 1,
        _ => n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str) -> String {
        extract(source, false, &[]).text.into_owned()
    }

    fn origin<'a>(source: &'a str, mdx: bool, needle: &str) -> &'a str {
        let e = extract(source, mdx, &[]);
        let start = e.text.find(needle).expect("needle in text");
        &source[e.map.map(start)..e.map.map(start + needle.len())]
    }

    /// A page with every block that may hold blank lines or continue after one.
    const PAGE: &str = "---\ntitle: Hair\n---\n# Our clinic\n\nIt regrows hair.\n\n\
        ```\nfenced code\n    ```\n\nstill code: cures cancer\n```\n\nAfter the fence.\n\n\
        <!-- a comment\n\nstill a comment: no side effects\n-->\n\nAfter the comment.\n\n\
        - one item\n\n- a loose item\n\n  continued in the item\n\nA paragraph <code>open\n\n\
        Next paragraph.\n\n> quoted\n\n> quoted again\n\n| a | b |\n|---|---|\n| c | d |\n\n\
        <script>\nlet x = 1;\n\nvar y = 'regrows hair';\n</script>\n\n    indented code\n\n\
        Last paragraph.\n";

    #[test]
    fn a_document_parsed_in_parts_reads_as_a_whole() {
        let long = PAGE.repeat(40);
        let whole = extract_in_chunks(&long, false, &[], usize::MAX);
        for chunk_len in [1, 7, 100, 1000] {
            let parts = top_level_chunks(&long, chunk_len);
            assert!(parts.len() > 10, "{} parts of {chunk_len}", parts.len());
            let chunked = extract_in_chunks(&long, false, &[], chunk_len);
            assert_eq!(chunked.text, whole.text, "parts of {chunk_len}");
            assert_eq!(chunked.map, whole.map, "parts of {chunk_len}");
            let mdx = extract_in_chunks(&long, true, &[], chunk_len);
            assert_eq!(
                mdx.text,
                extract_in_chunks(&long, true, &[], usize::MAX).text
            );
        }
    }

    #[test]
    fn parts_found_a_few_at_a_time_are_the_parts() {
        let long = PAGE.repeat(40);
        let all = top_level_chunks(&long, 100);
        assert!(all.len() > 20);
        for n in [1, 3, 8] {
            let mut chunker = Chunker::new(&long, 100);
            let mut found = Vec::new();
            while !chunker.is_done() {
                let next = chunker.next_parts(n);
                assert!(!next.is_empty() && next.len() <= n);
                found.extend(next);
            }
            assert_eq!(found, all, "{n} at a time");
            assert!(chunker.next_parts(n).is_empty());
        }
    }

    #[test]
    fn parts_never_start_inside_a_block() {
        let long = PAGE.repeat(10);
        for part in top_level_chunks(&long, 1) {
            let first = long[part].lines().next().unwrap_or_default().to_owned();
            for inside in ["still", "let x", "var y", "continued", "quoted again"] {
                assert!(!first.contains(inside), "a part starts at {first:?}");
            }
        }
        // A reference definition anywhere keeps the document whole.
        let refs = format!("{}[label]: https://example.org\n", PAGE.repeat(10));
        assert_eq!(top_level_chunks(&refs, 1).len(), 1);
    }

    #[test]
    fn emphasis_and_links_do_not_break_a_claim() {
        let page = "Our PRP re**grows** hair and has [no side](/safety) effects.\n";
        assert_eq!(text(page), "Our PRP regrows hair and has no side effects.");
        assert_eq!(origin(page, false, "regrows hair"), "re**grows** hair");
        assert_eq!(
            origin(page, false, "no side effects"),
            "no side](/safety) effects"
        );
        let wrapped = "It *cures everything*.\n";
        assert_eq!(
            origin(wrapped, false, "cures everything"),
            "cures everything"
        );
    }

    #[test]
    fn code_urls_and_comments_are_skipped() {
        let page = "Intro.\n\n```\ncures everything\n```\n\n    cures everything\n\n\
            See `cures everything` and [the page](https://x.test/cures-everything) <https://x.test/cures>.\n\n\
            <!-- cures everything -->\n\nEnd.\n";
        assert_eq!(text(page), "Intro.\n\nSee  and the page .\n\nEnd.");
    }

    #[test]
    fn blocks_become_lines_and_paragraphs() {
        let page = "# Benefits\n\nIt improves the following:\n\n- thinning hair\n- fatigue\n\n\
            | a | b |\n|---|---|\n| c | d |\n\n> quoted\n\n![alt text](x.png)\n";
        assert_eq!(
            text(page),
            "Benefits\n\nIt improves the following:\n\nthinning hair\nfatigue\n\na\nb\nc\nd\n\nquoted\n\nalt text"
        );
    }

    #[test]
    fn soft_breaks_join_hard_breaks_split() {
        assert_eq!(text("one\ntwo  \nthree\n"), "one two\nthree");
        assert_eq!(text("one\r\ntwo\r\n"), "one  two");
    }

    #[test]
    fn escapes_and_entities_map_to_their_source() {
        let page = "No side\\-effects &amp; no downtime\n";
        assert_eq!(text(page), "No side-effects & no downtime");
        assert_eq!(origin(page, false, "-effects &"), "\\-effects &amp;");
    }

    #[test]
    fn html_in_markdown_is_read_as_html() {
        let page = "<div class=\"hero\">\n<p>Regrows <b>hair</b></p>\n<script>cures()</script>\n</div>\n\nText <span title=\"Tip\">here</span> <code>x</code>.\n";
        assert_eq!(text(page), "Regrows hair\n\nText \nTip\nhere .");
        assert_eq!(origin(page, false, "Regrows hair"), "Regrows <b>hair");
    }

    #[test]
    fn mdx_skips_esm_jsx_and_expressions() {
        let page = "import Hero from './hero'\nexport const meta = {\n  title: 'cures everything',\n}\n\n\
            <Hero title=\"cures everything\" />\n\n<Callout\n  kind=\"cures\"\n>\n\nInside the callout.\n\n</Callout>\n\n\
            {/* cures everything */}\n\nBody text.\n";
        let e = extract(page, true, &[]);
        assert_eq!(e.text, "Inside the callout.\n\nBody text.");
        assert_eq!(origin(page, true, "Body text."), "Body text.");
        let masked = mask_mdx("<Hero é />\nok\n");
        assert_eq!(masked.len(), "<Hero é />\nok\n".len());
        assert!(masked.ends_with("\nok\n"));
    }
}
