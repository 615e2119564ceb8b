//! HTML: the visible text of a page, plus the copy that lives in attributes and the head.
//!
//! html5gum, a WHATWG tokenizer, gives every token its byte span (switching to raw text inside
//! `script`, `style` and friends as a browser would); the text between tags is then decoded
//! here, reference by reference, so each character maps back to its own bytes.
//!
//! - Linted: text nodes, `<title>`, `alt`, `title` and `aria-label` attributes, and the
//!   `content` of `<meta name="description">`, `og:title`, `og:description` and their
//!   `twitter:` twins. Each attribute is a line of its own.
//! - Skipped: `script`, `style`, `template`, `noscript`, `code`, `pre`, `svg`, `math`,
//!   `iframe`, `textarea`, `object`, `kbd`, `samp` with everything inside them, comments,
//!   doctypes and every other attribute.
//! - Block elements (`p`, `li`, `td`, `h1`..`h6`, `div`, `br`, ...) end lines or paragraphs;
//!   inline elements (`b`, `span`, `a`, ...) break nothing, so `re<b>grows</b> hair` reads
//!   `regrows hair`.

use std::ops::Range;

use html5gum::{DefaultEmitter, Emitter, ForwardingEmitter, StartTag, Token, Tokenizer};

use super::Extracted;
use super::builder::{Markup, TextBuilder};
use super::entities;

/// Elements whose content is never copy.
const SKIPPED: &[&[u8]] = &[
    b"script",
    b"style",
    b"template",
    b"noscript",
    b"code",
    b"pre",
    b"svg",
    b"math",
    b"iframe",
    b"textarea",
    b"object",
    b"kbd",
    b"samp",
];

/// Elements that start and end a paragraph.
const PARAGRAPHS: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"details",
    b"dialog",
    b"dl",
    b"fieldset",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"header",
    b"hgroup",
    b"hr",
    b"html",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"search",
    b"section",
    b"table",
    b"title",
    b"ul",
];

/// Elements that start and end a line.
const LINES: &[&[u8]] = &[
    b"br",
    b"caption",
    b"center",
    b"dd",
    b"div",
    b"dt",
    b"figcaption",
    b"legend",
    b"li",
    b"optgroup",
    b"option",
    b"summary",
    b"tbody",
    b"td",
    b"tfoot",
    b"th",
    b"thead",
    b"tr",
];

/// Attributes whose value is copy, on any element.
const COPY_ATTRIBUTES: &[&[u8]] = &[b"alt", b"title", b"aria-label"];

/// `<meta name=...>` / `<meta property=...>` values whose `content` is copy.
const COPY_META: &[&str] = &[
    "description",
    "og:title",
    "og:description",
    "twitter:title",
    "twitter:description",
];

/// html5gum's default emitter, without parse errors: none is read here, and without them the
/// tokenizer no longer checks every character of a page for one (a fifth of the time HTML
/// extraction took on the bench's site tree).
struct Quiet(DefaultEmitter<usize>);

impl ForwardingEmitter for Quiet {
    type Token = Token<usize>;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }
}

/// Extracts an HTML document.
pub fn extract(source: &str) -> Extracted<'static> {
    let mut builder = TextBuilder::new(source);
    extract_into(&mut builder, 0..source.len());
    builder.finish()
}

/// Extracts the HTML in `source[range]` into a builder over the whole source (an HTML block
/// inside Markdown, or a whole page).
pub fn extract_into(b: &mut TextBuilder<'_>, range: Range<usize>) {
    let Some(html) = b.source().get(range.clone()) else {
        return;
    };
    let base = range.start;
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let emitter = Quiet(emitter);
    // The element being skipped and how deeply it is nested in itself.
    let mut skipping: Option<(Vec<u8>, usize)> = None;
    for Ok(token) in Tokenizer::new_with_emitter(html, emitter) {
        match token {
            Token::StartTag(tag) => {
                if let Some((name, depth)) = &mut skipping {
                    if tag.name.0 == *name && !tag.self_closing {
                        *depth += 1;
                    }
                    continue;
                }
                let name = tag.name.0.as_slice();
                if SKIPPED.contains(&name) {
                    if !tag.self_closing {
                        skipping = Some((name.to_vec(), 1));
                    }
                    block_edge(b, name);
                    continue;
                }
                block_edge(b, name);
                attributes(b, html, base, &tag);
                if !is_block(name) {
                    b.skipped(Markup::Opening);
                }
            }
            Token::EndTag(tag) => {
                if let Some((name, depth)) = &mut skipping {
                    if tag.name.0 == *name {
                        *depth -= 1;
                        if *depth == 0 {
                            block_edge(b, name);
                            skipping = None;
                        }
                    }
                    continue;
                }
                let name = tag.name.0.as_slice();
                if is_block(name) {
                    block_edge(b, name);
                } else {
                    b.skipped(Markup::Closing);
                }
            }
            Token::String(text) if skipping.is_none() => {
                entities::decode_into(b, base + text.span.start..base + text.span.end, false);
            }
            _ => {}
        }
    }
}

/// For the source of one tag (`<code>`, `</pre>`), the name of the skipped element it opens or
/// closes (and whether it closes it); `None` for any other tag.
pub fn skipped_element(raw: &str) -> Option<(String, bool)> {
    let rest = raw.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let name = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if !SKIPPED.contains(&name.as_bytes()) || (!closing && raw.trim_end().ends_with("/>")) {
        return None;
    }
    Some((name, closing))
}

fn is_block(name: &[u8]) -> bool {
    PARAGRAPHS.contains(&name) || LINES.contains(&name)
}

/// The break a block element's start or end tag makes.
fn block_edge(b: &mut TextBuilder<'_>, name: &[u8]) {
    if PARAGRAPHS.contains(&name) {
        b.paragraph_break();
    } else if LINES.contains(&name) {
        b.line_break();
    }
}

/// Writes the copy attributes of a start tag, each on a line of its own, in source order.
fn attributes(b: &mut TextBuilder<'_>, html: &str, base: usize, tag: &StartTag<usize>) {
    let meta_copy = tag.name.0 == b"meta"
        && [&b"name"[..], b"property"].iter().any(|key| {
            tag.attributes.get(*key).is_some_and(|v| {
                let v = String::from_utf8_lossy(&v.value.0).to_ascii_lowercase();
                COPY_META.contains(&v.trim())
            })
        });
    let mut copy: Vec<(Range<usize>, &[u8])> = tag
        .attributes
        .iter()
        .filter(|(name, _)| {
            COPY_ATTRIBUTES.contains(&name.0.as_slice()) || (meta_copy && name.0 == b"content")
        })
        .filter(|(_, value)| !String::from_utf8_lossy(&value.value.0).trim().is_empty())
        .map(|(_, value)| (value.span.start..value.span.end, value.value.0.as_slice()))
        .collect();
    copy.sort_by_key(|(span, _)| span.start);
    for (span, value) in copy {
        let Some(raw) = html.get(span.clone()) else {
            continue;
        };
        let value = String::from_utf8_lossy(value);
        if meta_copy {
            b.paragraph_break();
        } else {
            b.line_break();
        }
        match value_range(raw) {
            Some(v) if entities::decode(&raw[v.clone()], true) == value => {
                entities::decode_into(
                    b,
                    base + span.start + v.start..base + span.start + v.end,
                    true,
                );
            }
            // The tokenizer read the value differently: it stands for the whole attribute.
            _ => b.replace(base + span.start..base + span.end, &value),
        }
        if meta_copy {
            b.paragraph_break();
        } else {
            b.line_break();
        }
    }
}

/// The value's range inside an attribute's source (`name = "value"`, `name='value'`,
/// `name=value`).
fn value_range(raw: &str) -> Option<Range<usize>> {
    let eq = raw.find('=')?;
    let after = eq + 1;
    let rest = &raw[after..];
    let start = after + (rest.len() - rest.trim_start_matches(is_html_space).len());
    let rest = &raw[start..];
    match rest.chars().next()? {
        quote @ ('"' | '\'') => {
            let body = &rest[1..];
            let end = body.find(quote).unwrap_or(body.len());
            Some(start + 1..start + 1 + end)
        }
        _ => {
            let end = rest
                .find(|c: char| is_html_space(c) || c == '>')
                .unwrap_or(rest.len());
            Some(start..start + end)
        }
    }
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str) -> String {
        extract(source).text.into_owned()
    }

    /// The source of the first occurrence of `needle` in the extracted text.
    fn origin<'a>(source: &'a str, needle: &str) -> &'a str {
        let e = extract(source);
        let start = e.text.find(needle).expect("needle in text");
        &source[e.map.map(start)..e.map.map(start + needle.len())]
    }

    #[test]
    fn inline_markup_does_not_break_a_claim() {
        let page = "<p>Our PRP re<b>grows</b> hair and has <span>no side</span> effects.</p>";
        assert_eq!(text(page), "Our PRP regrows hair and has no side effects.");
        assert_eq!(origin(page, "regrows hair"), "re<b>grows</b> hair");
        assert_eq!(origin(page, "no side effects"), "no side</span> effects");
        assert_eq!(origin(page, "grows"), "grows");
    }

    #[test]
    fn claims_wrapped_in_tags_select_only_their_text() {
        let page = "<p>It <strong>cures everything</strong>.</p>";
        assert_eq!(origin(page, "cures everything"), "cures everything");
    }

    #[test]
    fn blocks_end_lines_and_paragraphs() {
        let page = "<h1>Title</h1><p>One<br>two</p><ul><li>a</li><li>b</li></ul><table><tr><td>c</td><td>d</td></tr></table>";
        assert_eq!(text(page), "Title\n\nOne\ntwo\n\na\nb\n\nc\nd");
    }

    #[test]
    fn scripts_styles_code_and_comments_are_skipped() {
        let page = "<p>Safe.</p><script>var x = '<p>cures everything</p>';</script>\
            <style>p::after { content: 'cures' }</style><!-- cures everything -->\
            <pre>cures</pre><p>Use <code>cures()</code> now</p><template><p>cures</p></template>\
            <noscript>cures</noscript><svg><text>cures</text></svg><p>End.</p>";
        assert_eq!(text(page), "Safe.\n\nUse  now\n\nEnd.");
    }

    #[test]
    fn nested_skipped_elements_end_at_their_own_close() {
        let page = "<svg><svg></svg><text>cures</text></svg>after";
        assert_eq!(text(page), "after");
    }

    #[test]
    fn entities_decode_and_map_to_their_bytes() {
        let page = "<p>Caf&eacute; &amp; clinic&nbsp;&#8212; no&#32;side effects</p>";
        assert_eq!(text(page), "Café & clinic\u{a0}— no side effects");
        assert_eq!(origin(page, "Café"), "Caf&eacute;");
        assert_eq!(origin(page, "no side effects"), "no&#32;side effects");
    }

    #[test]
    fn copy_attributes_and_head_metadata() {
        let page = r#"<html><head><title>PRP &amp; hair</title>
            <meta name="description" content="Regrows hair fast">
            <meta property="og:title" content='Best clinic'>
            <meta name="viewport" content="width=device-width">
            <link rel="stylesheet" href="cures.css"></head>
            <body><img src="cures.png" alt="Before and after"><a href="/cures" title="Book now">Go</a>
            <button aria-label="No downtime">x</button></body></html>"#;
        let t = text(page);
        let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "PRP & hair",
                "Regrows hair fast",
                "Best clinic",
                "Before and after",
                "Book now",
                "Go",
                "No downtime",
                "x"
            ]
        );
        assert_eq!(origin(page, "Regrows hair"), "Regrows hair");
        assert_eq!(origin(page, "Best clinic"), "Best clinic");
        assert_eq!(origin(page, "Book now"), "Book now");
    }

    #[test]
    fn attribute_values_in_every_quoting() {
        assert_eq!(value_range("alt=\"a b\""), Some(5..8));
        assert_eq!(value_range("alt = 'a'"), Some(7..8));
        assert_eq!(value_range("alt=ab>"), Some(4..6));
        assert_eq!(value_range("alt"), None);
    }

    #[test]
    fn broken_html_does_not_panic() {
        for page in [
            "<",
            "</",
            "<p",
            "<!--",
            "<script>",
            "&",
            "&#",
            "<a alt=\"",
            "<p>\u{0}x",
            "<br/></br>",
            "<img alt=&amp>",
            "</code></code>",
            "<svg/>after",
        ] {
            let e = extract(page);
            assert!(e.map.map(e.text.len()) <= page.len());
        }
        assert_eq!(text("<svg/>after"), "after");
    }
}
