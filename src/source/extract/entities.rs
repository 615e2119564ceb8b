//! HTML character references (`&amp;`, `&#233;`, `&#x2014;`, legacy `&copy` without a
//! semicolon), decoded the way the WHATWG tokenizer does, one reference at a time so each
//! decoded character maps to the whole reference in the source.
//!
//! The named references are the 2,231 of the HTML standard, from the `entities` crate.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use super::builder::TextBuilder;

/// The longest reference name, with its semicolon (`CounterClockwiseContourIntegral;`).
const MAX_NAME: usize = 32;

fn names() -> &'static HashMap<&'static str, &'static str> {
    static NAMES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        entities::ENTITIES
            .iter()
            .map(|e| (e.entity.trim_start_matches('&'), e.characters))
            .collect()
    })
}

/// The character reference at the start of `s` (which starts with `&`): what it decodes to
/// and how many bytes it takes, or `None` when the `&` is a literal ampersand.
pub fn char_ref(s: &str, in_attribute: bool) -> Option<(String, usize)> {
    let rest = s.strip_prefix('&')?;
    if let Some(num) = rest.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(d) => (true, d),
            None => (false, num),
        };
        let len = digits
            .bytes()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if len == 0 {
            return None;
        }
        let value =
            u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let semicolon = usize::from(digits[len..].starts_with(';'));
        let consumed = 2 + usize::from(hex) + len + semicolon;
        return Some((numeric(value).to_string(), consumed));
    }
    let name_len = rest
        .bytes()
        .take_while(u8::is_ascii_alphanumeric)
        .count()
        .min(MAX_NAME);
    if name_len == 0 {
        return None;
    }
    let with_semicolon = usize::from(rest[name_len..].starts_with(';'));
    let table = names();
    // The longest name that is a reference wins (`&notit;` is `¬it;`).
    for len in (1..=name_len + with_semicolon).rev() {
        let Some(candidate) = rest.get(..len) else {
            continue;
        };
        if let Some(chars) = table.get(candidate) {
            if !candidate.ends_with(';') && in_attribute {
                let next = rest[len..].bytes().next();
                if next.is_some_and(|b| b == b'=' || b.is_ascii_alphanumeric()) {
                    return None;
                }
            }
            return Some(((*chars).to_owned(), 1 + len));
        }
    }
    None
}

/// The character a numeric reference stands for, with the standard's replacements.
fn numeric(value: u32) -> char {
    // Code points 0x80-0x9F are read as Windows-1252, as browsers do.
    const C1: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let value = match value {
        0x80..=0x9F => C1[(value - 0x80) as usize],
        v => v,
    };
    match value {
        0 => '\u{FFFD}',
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// Writes `source[range]`, raw HTML text or an attribute value, to the builder with its
/// references decoded: literal runs are copied (line breaks read as spaces) and each reference
/// is one replacement.
pub fn decode_into(b: &mut TextBuilder<'_>, range: Range<usize>, in_attribute: bool) {
    let Some(raw) = b.source().get(range.clone()) else {
        return;
    };
    let mut literal = 0;
    let mut pos = 0;
    while let Some(amp) = raw[pos..].find('&') {
        let at = pos + amp;
        match char_ref(&raw[at..], in_attribute) {
            Some((text, len)) => {
                b.copy_inline(range.start + literal..range.start + at);
                b.replace(range.start + at..range.start + at + len, &text);
                pos = at + len;
                literal = pos;
            }
            None => pos = at + 1,
        }
    }
    b.copy_inline(range.start + literal..range.end);
}

/// Decodes every reference of `raw` (for attribute values that are only read, not linted).
pub fn decode(raw: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pos = 0;
    while let Some(amp) = raw[pos..].find('&') {
        let at = pos + amp;
        out.push_str(&raw[pos..at]);
        match char_ref(&raw[at..], in_attribute) {
            Some((text, len)) => {
                out.push_str(&text);
                pos = at + len;
            }
            None => {
                out.push('&');
                pos = at + 1;
            }
        }
    }
    out.push_str(&raw[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_numeric_and_legacy_references() {
        assert_eq!(char_ref("&amp; x", false), Some(("&".into(), 5)));
        assert_eq!(char_ref("&copy 2024", false), Some(("©".into(), 5)));
        assert_eq!(char_ref("&#233;", false), Some(("é".into(), 6)));
        assert_eq!(char_ref("&#x2014x", false), Some(("—".into(), 7)));
        assert_eq!(char_ref("&#150;", false), Some(("–".into(), 6)));
        assert_eq!(char_ref("&#0;", false), Some(("\u{FFFD}".into(), 4)));
        assert_eq!(
            char_ref("&#99999999999;", false),
            Some(("\u{FFFD}".into(), 14))
        );
        assert_eq!(char_ref("&notit;", false), Some(("¬".into(), 4)));
        assert_eq!(char_ref("& b", false), None);
        assert_eq!(char_ref("&nosuch;", false), None);
        assert_eq!(char_ref("&#;", false), None);
    }

    #[test]
    fn legacy_references_in_attributes_need_a_semicolon_before_letters() {
        assert_eq!(char_ref("&copy=1", true), None);
        assert_eq!(char_ref("&copyx", true), None);
        assert_eq!(char_ref("&copy x", true), Some(("©".into(), 5)));
    }

    #[test]
    fn decode_whole_strings() {
        assert_eq!(
            decode("Tom &amp; Jerry &lt;3 & co", false),
            "Tom & Jerry <3 & co"
        );
    }
}
