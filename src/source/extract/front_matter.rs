//! Front matter and YAML content: only the copy fields are linted (by default `title`,
//! `description`, `summary`, `excerpt` and a few more, see `DEFAULT_COPY_KEYS`), each as a
//! paragraph of its own; dates, slugs, layouts, tags and the rest are not copy.
//!
//! A YAML block (`---` ... `---`) or a TOML block (`+++` ... `+++`) at the very start of a
//! Markdown file is front matter. The readers here are line-based and deliberately small: they
//! find `key: value` (YAML, at any depth, in list items too) or `key = value` (TOML, in any
//! table) for a copy key and take its string: plain, quoted (escapes decoded, each mapped to its
//! bytes), a block scalar (`|` keeps lines, `>` folds them), or a list of strings. Flow
//! collections, anchors and tags are left alone.

use std::ops::Range;

use super::builder::TextBuilder;

/// The fields linted when the user names none.
pub const DEFAULT_COPY_KEYS: &[&str] = &[
    "title",
    "description",
    "summary",
    "excerpt",
    "subtitle",
    "headline",
    "lead",
    "caption",
    "body",
    "content",
    "text",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Yaml,
    Toml,
}

/// Lints the front matter at the start of the builder's source, if any, and returns where the
/// document body starts (0 when there is no front matter).
pub fn extract_into(b: &mut TextBuilder<'_>, keys: &[String]) -> usize {
    let Some((kind, inner, end)) = detect(b.source()) else {
        return 0;
    };
    match kind {
        Kind::Yaml => yaml_into(b, inner, keys),
        Kind::Toml => toml_into(b, inner, keys),
    }
    end
}

/// The kind of front matter, the range between its fences, and where the body starts.
fn detect(source: &str) -> Option<(Kind, Range<usize>, usize)> {
    let mut lines = lines(source, 0..source.len());
    let (_, first) = lines.next()?;
    let kind = match first.trim_end() {
        "---" => Kind::Yaml,
        "+++" => Kind::Toml,
        _ => return None,
    };
    let inner_start = first.len();
    for (start, line) in lines {
        let fence = line.trim_end();
        let closes = match kind {
            Kind::Yaml => fence == "---" || fence == "...",
            Kind::Toml => fence == "+++",
        };
        if closes {
            return Some((kind, inner_start..start, start + line.len()));
        }
    }
    None
}

/// The lines of `source[range]` with their terminators, and their start offsets.
fn lines(source: &str, range: Range<usize>) -> impl Iterator<Item = (usize, &str)> {
    let base = range.start;
    source
        .get(range)
        .unwrap_or_default()
        .split_inclusive('\n')
        .scan(base, |pos, line| {
            let start = *pos;
            *pos += line.len();
            Some((start, line))
        })
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether `key` (quotes trimmed, any case) is one of the copy keys.
pub fn is_copy_key(key: &str, keys: &[String]) -> bool {
    let key = key.trim().trim_matches(['"', '\'']);
    keys.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// Lints the copy fields of the YAML in `source[range]` (front matter or a whole YAML file).
pub fn yaml_into(b: &mut TextBuilder<'_>, range: Range<usize>, keys: &[String]) {
    let source = b.source();
    let all: Vec<(usize, &str)> = lines(source, range).collect();
    let mut i = 0;
    while i < all.len() {
        let (start, line) = all[i];
        i += 1;
        let indent = indent_of(line);
        // A list item holding a mapping (`- title: x`) reads like the mapping.
        let mut body_at = indent;
        while line[body_at..].starts_with("- ") {
            body_at += 2;
            body_at += indent_of(&line[body_at..]);
        }
        let body = line[body_at..].trim_end();
        if body.starts_with('#') || body.is_empty() {
            continue;
        }
        let Some((key, value_at)) = yaml_key(body) else {
            continue;
        };
        let value_start = start + body_at + value_at;
        let value = body[value_at..].trim_end();
        // The lines after the key that are more indented than it belong to its value. Found
        // only for a value that is read or skipped whole: a key holding a nested mapping is
        // followed into it line by line (looking ahead from every key of a deeply nested
        // document was quadratic: 3,000 levels took 36 s).
        let block_end = || {
            all[i..]
                .iter()
                .position(|(_, l)| !l.trim().is_empty() && indent_of(l) <= indent)
                .map_or(all.len(), |n| i + n)
        };
        let copy = is_copy_key(key, keys);
        let block = value.is_empty() || value.starts_with(['|', '>']);
        if !copy {
            if block && value.starts_with(['|', '>']) {
                i = block_end();
            }
            continue;
        }
        let block_end = block_end();
        b.paragraph_break();
        if block {
            yaml_block(b, &all[i..block_end], value.starts_with('|'));
            i = block_end;
        } else {
            let consumed = yaml_scalar(b, source, value_start, &all[i..block_end]);
            i += consumed;
        }
        b.paragraph_break();
    }
}

/// `key: value` → the key and where the value starts in `body`.
fn yaml_key(body: &str) -> Option<(&str, usize)> {
    let colon = if let Some(quote @ ('"' | '\'')) = body.chars().next() {
        let close = body[1..].find(quote)? + 1;
        close + body[close..].find(':')?
    } else {
        body.match_indices(':')
            .map(|(i, _)| i)
            .find(|&i| body[i + 1..].is_empty() || body[i + 1..].starts_with([' ', '\t']))?
    };
    let key = &body[..colon];
    let rest = &body[colon + 1..];
    let value_at = colon + 1 + (rest.len() - rest.trim_start().len());
    Some((key, value_at))
}

/// A block value: a block scalar (`|` keeps its lines, `>` and a plain multi-line value fold
/// them) or a list of strings.
fn yaml_block(b: &mut TextBuilder<'_>, block: &[(usize, &str)], literal: bool) {
    let source = b.source();
    let content: Vec<&(usize, &str)> = block.iter().filter(|(_, l)| !l.trim().is_empty()).collect();
    let Some(first) = content.first() else {
        return;
    };
    if first.1.trim_start().starts_with("- ") {
        for &&(start, line) in &content {
            let item_at = indent_of(line);
            if let Some(item) = line[item_at..].strip_prefix("- ") {
                let value_at = item_at + 2 + indent_of(item);
                b.line_break();
                yaml_scalar(b, source, start + value_at, &[]);
            }
        }
        return;
    }
    let Some(last) = content.last() else {
        return;
    };
    let range = first.0 + indent_of(first.1)..last.0 + last.1.trim_end().len();
    if literal {
        b.copy(range);
    } else {
        b.copy_inline(range);
    }
}

/// A scalar starting at `at` on its line: quoted (possibly over several lines) or plain (with
/// its more-indented continuation lines in `rest`). Returns how many lines of `rest` it used.
fn yaml_scalar(b: &mut TextBuilder<'_>, source: &str, at: usize, rest: &[(usize, &str)]) -> usize {
    let tail = source.get(at..).unwrap_or_default();
    match tail.chars().next() {
        Some('"') => {
            if let Some((inner, decoded)) = double_quoted(source, at + 1, true) {
                let used = rest.iter().take_while(|(s, _)| *s < inner.end).count();
                b.aligned(inner, &decoded, true, false);
                return used;
            }
            0
        }
        Some('\'') => {
            if let Some((inner, decoded)) = single_quoted(source, at + 1) {
                let used = rest.iter().take_while(|(s, _)| *s < inner.end).count();
                b.aligned(inner, &decoded, true, false);
                return used;
            }
            0
        }
        Some('[' | '{' | '&' | '*' | '!') | None => 0,
        Some(_) => {
            let line = tail.lines().next().unwrap_or_default();
            let mut end = at + strip_comment(line).trim_end().len();
            let mut used = 0;
            for (start, l) in rest {
                if l.trim().is_empty() || yaml_key(l.trim()).is_some() {
                    break;
                }
                end = start + strip_comment(l).trim_end().len();
                used += 1;
            }
            b.copy_inline(at..end);
            used
        }
    }
}

/// A plain scalar without its ` # comment`.
fn strip_comment(line: &str) -> &str {
    match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// A double-quoted string whose content starts at `start`: its content range and decoded
/// value. `fold` joins YAML line breaks into spaces.
fn double_quoted(source: &str, start: usize, fold: bool) -> Option<(Range<usize>, String)> {
    let raw = source.get(start..)?;
    let mut escaped = false;
    for (i, c) in raw.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some((start..start + i, unescape(&raw[..i], fold))),
            _ => {}
        }
    }
    None
}

/// Decodes the escapes of a YAML double-quoted or TOML basic string.
fn unescape(raw: &str, fold: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else { break };
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    ' ' | '/' | '\\' | '"' | '\'' => out.push(e),
                    'x' | 'u' | 'U' => {
                        let width = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = (0..width)
                            .filter_map(|_| chars.next_if(char::is_ascii_hexdigit))
                            .collect();
                        let value = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                        out.push(value.unwrap_or('\u{FFFD}'));
                    }
                    // An escaped line break joins the lines without a space.
                    '\n' | '\r' => while chars.next_if(|w| w.is_whitespace()).is_some() {},
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '\n' | '\r' if fold => {
                while chars.next_if(|w| w.is_whitespace()).is_some() {}
                out.push(' ');
            }
            c => out.push(c),
        }
    }
    out
}

/// A single-quoted YAML string (`''` is a quote) whose content starts at `start`.
fn single_quoted(source: &str, start: usize) -> Option<(Range<usize>, String)> {
    let raw = source.get(start..)?;
    let mut out = String::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' if chars.next_if(|(_, n)| *n == '\'').is_some() => out.push('\''),
            '\'' => return Some((start..start + i, out)),
            '\n' | '\r' => {
                while chars.next_if(|(_, w)| w.is_whitespace()).is_some() {}
                out.push(' ');
            }
            c => out.push(c),
        }
    }
    None
}

/// A line break right after the opening quotes of a multi-line string is not part of it.
fn first_line_break(s: &str) -> usize {
    if s.starts_with("\r\n") {
        2
    } else {
        usize::from(s.starts_with('\n'))
    }
}

/// Lints the copy fields of the TOML in `source[range]`.
fn toml_into(b: &mut TextBuilder<'_>, range: Range<usize>, keys: &[String]) {
    let source = b.source();
    let all: Vec<(usize, &str)> = lines(source, range).collect();
    let mut i = 0;
    while i < all.len() {
        let (start, line) = all[i];
        i += 1;
        let body = line.trim_start();
        let body_at = start + (line.len() - body.len());
        if body.starts_with(['#', '[']) {
            continue;
        }
        let Some(eq) = body.find('=') else { continue };
        let key = body[..eq].trim();
        let key = key.rsplit('.').next().unwrap_or(key);
        if !is_copy_key(key, keys) {
            continue;
        }
        let rest = &body[eq + 1..];
        let value_at = body_at + eq + 1 + (rest.len() - rest.trim_start().len());
        let value = source.get(value_at..).unwrap_or_default();
        let found = if let Some(multi) = value.strip_prefix("\"\"\"") {
            let content = value_at + 3 + first_line_break(multi);
            source
                .get(content..)
                .and_then(|s| s.find("\"\"\""))
                .map(|end| {
                    let inner = content..content + end;
                    let decoded = unescape(&source[inner.clone()], false);
                    (inner, decoded)
                })
        } else if let Some(multi) = value.strip_prefix("'''") {
            let content = value_at + 3 + first_line_break(multi);
            source
                .get(content..)
                .and_then(|s| s.find("'''"))
                .map(|end| {
                    let inner = content..content + end;
                    (inner.clone(), source[inner].to_owned())
                })
        } else if value.starts_with('"') {
            double_quoted(source, value_at + 1, false)
        } else if let Some(literal) = value.strip_prefix('\'') {
            literal
                .find(['\'', '\n'])
                .map(|end| (value_at + 1..value_at + 1 + end, literal[..end].to_owned()))
        } else {
            None
        };
        if let Some((inner, decoded)) = found {
            b.paragraph_break();
            b.aligned(inner.clone(), &decoded, true, false);
            b.paragraph_break();
            while i < all.len() && all[i].0 < inner.end {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_ampersand_in_a_quoted_value_is_itself() {
        // Found by bench/fuzz.sh: `&amp` was read as a character reference, which YAML does not
        // have, and the rest of the value lost its place (the claim got an empty span).
        let doc = "description: \"\n&ampalpea cure\"";
        let e = crate::source::Format::Yaml
            .extract(doc, &crate::source::ReadOptions::default().copy_keys);
        let at = e.text.find("cure").unwrap();
        assert_eq!(e.map.map(at), doc.find("cure").unwrap());
        assert_eq!(e.map.map(at + 4), doc.find("cure").unwrap() + 4);
    }

    #[test]
    fn a_quoted_value_that_starts_on_the_next_line_keeps_its_place() {
        // Found by bench/fuzz.sh: the folded line break was matched on the value's last space,
        // and the whole value mapped to one offset (an empty span).
        let doc = "description: \"\n  薄毛改善 \"";
        let e = crate::source::Format::Yaml
            .extract(doc, &crate::source::ReadOptions::default().copy_keys);
        assert_eq!(e.text.trim(), "薄毛改善");
        let at = e.text.find('薄').unwrap();
        assert_eq!(e.map.map(at), doc.find('薄').unwrap());
        let end = at + "薄毛改善".len();
        assert_eq!(e.map.map(end), doc.rfind(" \"").unwrap());
    }
    use super::*;

    fn keys() -> Vec<String> {
        DEFAULT_COPY_KEYS.iter().map(|k| (*k).to_owned()).collect()
    }

    fn run(source: &str) -> (String, Vec<String>) {
        let mut b = TextBuilder::new(source);
        let body = extract_into(&mut b, &keys());
        let e = b.finish();
        // Every line of the extracted text, with the source it maps to.
        let mut origins = Vec::new();
        let mut pos = 0;
        for line in e.text.split('\n') {
            if !line.is_empty() {
                origins.push(source[e.map.map(pos)..e.map.map(pos + line.len())].to_owned());
            }
            pos += line.len() + 1;
        }
        (source[body..].to_owned(), origins)
    }

    #[test]
    fn yaml_copy_fields_only() {
        let page = "---\ntitle: PRP regrows hair\ndate: 2024-01-01\nslug: cures-everything\n\
            description: \"No side effects \\u2014 \\\"ever\\\"\"\nsummary: 'It''s safe'\n\
            excerpt: >\n  Folded text\n  on two lines\nseo:\n  title: Nested title # comment\n\
            tags:\n  - cures\nlead:\n  - First item\n  - \"Second item\"\nlayout: post\n---\nBody\n";
        let (body, origins) = run(page);
        assert_eq!(body, "Body\n");
        assert_eq!(
            origins,
            [
                "PRP regrows hair",
                "No side effects \\u2014 \\\"ever\\\"",
                "It''s safe",
                "Folded text\n  on two lines",
                "Nested title",
                "First item",
                "Second item",
            ]
        );
    }

    #[test]
    fn toml_copy_fields_only() {
        let page = "+++\ntitle = \"Regrows hair\"\ndate = 2024-01-01\n[seo]\ndescription = 'No side effects'\nsummary = \"\"\"\nLong\nsummary\"\"\"\n+++\nBody\n";
        let (body, origins) = run(page);
        assert_eq!(body, "Body\n");
        assert_eq!(
            origins,
            ["Regrows hair", "No side effects", "Long\nsummary"]
        );
    }

    #[test]
    fn no_front_matter_without_a_closing_fence() {
        let (body, origins) = run("---\ntitle: x\n");
        assert_eq!(body, "---\ntitle: x\n");
        assert!(origins.is_empty());
        let (body, _) = run("Intro\n---\n");
        assert_eq!(body, "Intro\n---\n");
    }
}
