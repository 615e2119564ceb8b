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
    let mut b = TextBuilder::new(source);
    let body_start = front_matter::extract_into(&mut b, keys);
    let body = source.get(body_start..).unwrap_or_default();
    let masked = if mdx {
        Cow::Owned(mask_mdx(body))
    } else {
        Cow::Borrowed(body)
    };
    b.paragraph_break();
    extract_body(&mut b, &masked, body_start);
    b.finish()
}

/// Walks the Markdown events of `body`, which starts at `base` in the builder's source (and,
/// for MDX, has the same length as that part of the source).
fn extract_body(b: &mut TextBuilder<'_>, body: &str, base: usize) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut code = 0usize;
    let mut items = 0usize;
    let mut html_block = false;
    // An inline HTML element whose content is skipped (`<code>` in a paragraph).
    let mut inline_skip: Option<String> = None;
    // Inside an autolink (`<https://...>`), whose text is the URL.
    let mut autolink = false;
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
            Event::Text(text) => b.aligned(range, &text, true),
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
