//! JSON content files (a CMS export, a page's `content.json`): the string values under copy
//! keys are linted, each as a paragraph; a string counts when any key on its path is a copy key
//! (`"description": {"en": "...", "ja": "..."}` lints both). Keys, numbers and every other
//! string are not copy.
//!
//! A small scanner rather than serde_json, because it must know where every string is. Broken
//! JSON ends the scan where it breaks; what came before is still linted.

use super::builder::TextBuilder;
use super::front_matter::is_copy_key;

#[derive(Debug)]
struct Frame {
    object: bool,
    /// Everything inside is copy (a copy key is on the path).
    copy: bool,
    /// In an object: a key is expected next.
    expecting_key: bool,
    /// In an object: the current key is a copy key.
    key_copy: bool,
}

/// Lints the copy strings of a JSON document.
pub fn extract_into(b: &mut TextBuilder<'_>, keys: &[String]) {
    let source = b.source();
    let bytes = source.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let value_copy = stack
            .last()
            .is_some_and(|f| f.copy || (f.object && f.key_copy));
        match bytes[pos] {
            b'{' | b'[' => {
                stack.push(Frame {
                    object: bytes[pos] == b'{',
                    copy: value_copy,
                    expecting_key: bytes[pos] == b'{',
                    key_copy: false,
                });
                pos += 1;
            }
            b'}' | b']' => {
                stack.pop();
                pos += 1;
            }
            b',' => {
                if let Some(top) = stack.last_mut().filter(|f| f.object) {
                    top.expecting_key = true;
                    top.key_copy = false;
                }
                pos += 1;
            }
            b':' => {
                if let Some(top) = stack.last_mut() {
                    top.expecting_key = false;
                }
                pos += 1;
            }
            b'"' => {
                let Some((end, decoded)) = string(source, pos + 1) else {
                    return;
                };
                let inner = pos + 1..end;
                match stack.last_mut() {
                    Some(top) if top.object && top.expecting_key => {
                        top.key_copy = is_copy_key(&decoded, keys);
                    }
                    _ if value_copy && !decoded.trim().is_empty() => {
                        b.paragraph_break();
                        b.aligned(inner, &decoded, true, false);
                        b.paragraph_break();
                    }
                    _ => {}
                }
                pos = end + 1;
            }
            _ => pos += 1,
        }
    }
}

/// The string whose content starts at `start`: where its closing quote is, and its value.
fn string(source: &str, start: usize) -> Option<(usize, String)> {
    let raw = source.get(start..)?;
    let mut out = String::new();
    let mut chars = raw.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((start + i, out)),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{C}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let unit = hex4(&mut chars);
                        let c = match unit {
                            Some(high @ 0xD800..=0xDBFF) => {
                                // A surrogate pair is two escapes.
                                let rest = chars.as_str();
                                let low = rest
                                    .strip_prefix("\\u")
                                    .and_then(|r| r.get(..4))
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                                    .filter(|l| (0xDC00..=0xDFFF).contains(l));
                                match low {
                                    Some(low) => {
                                        for _ in 0..6 {
                                            chars.next();
                                        }
                                        char::from_u32(
                                            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00),
                                        )
                                    }
                                    None => None,
                                }
                            }
                            Some(unit) => char::from_u32(unit),
                            None => None,
                        };
                        out.push(c.unwrap_or('\u{FFFD}'));
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    None
}

fn hex4(chars: &mut std::str::CharIndices<'_>) -> Option<u32> {
    let hex = chars.as_str().get(..4)?;
    let value = u32::from_str_radix(hex, 16).ok()?;
    for _ in 0..4 {
        chars.next();
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str) -> Vec<String> {
        let keys: Vec<String> = ["title", "body", "description"]
            .iter()
            .map(|k| (*k).to_owned())
            .collect();
        let mut b = TextBuilder::new(source);
        extract_into(&mut b, &keys);
        let e = b.finish();
        let mut origins = Vec::new();
        let mut pos = 0;
        for line in e.text.split('\n') {
            if !line.is_empty() {
                origins.push(source[e.map.map(pos)..e.map.map(pos + line.len())].to_owned());
            }
            pos += line.len() + 1;
        }
        origins
    }

    #[test]
    fn strings_under_copy_keys_only() {
        let doc = r#"{"slug": "cures-everything", "title": "Regrows hair",
            "meta": {"description": "No side\u2014effects \"ever\""},
            "body": ["First", {"en": "Second"}], "count": 3, "tags": ["cures"]}"#;
        assert_eq!(
            run(doc),
            [
                "Regrows hair",
                r#"No side\u2014effects \"ever\""#,
                "First",
                "Second"
            ]
        );
    }

    #[test]
    fn broken_json_stops_without_panicking() {
        for doc in [
            "{\"title\": \"abc",
            "{\"title\": \"a\\",
            "[[[",
            "\"\\u12",
            "}}]]",
        ] {
            let _ = run(doc);
        }
        assert_eq!(run("{\"title\": \"ok\", \"body\": \"unterminated"), ["ok"]);
    }
}
