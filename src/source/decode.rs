//! Decoding: from the original bytes to text, with a map from every text offset back to the
//! bytes it came from, built while decoding (never by re-encoding or searching).
//!
//! The encoding is, in order: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE); the `--encoding`
//! flag; for HTML, a `<meta charset>` (or `http-equiv` content type) in the first 1024 bytes;
//! otherwise UTF-8. Invalid sequences become U+FFFD and the first one is reported.
//! UTF-8 and UTF-16 are decoded here; every other encoding (Shift_JIS, EUC-JP, EUC-KR,
//! GB18030, Big5, Windows-1252, ...) by encoding_rs, one sequence at a time so each character
//! maps to its own bytes.

use std::sync::OnceLock;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use regex::bytes::Regex;

use super::OffsetMap;

/// How far into an HTML file a `<meta charset>` is looked for (as browsers do).
const META_PRESCAN_LEN: usize = 1024;

/// A decoded text and its map back to the original bytes.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub map: OffsetMap,
    /// The byte offset of the first invalid sequence, if any was replaced.
    pub first_invalid: Option<usize>,
}

/// The encoding of `bytes` and the length of its byte-order mark.
pub fn detect(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
    html: bool,
) -> (&'static Encoding, usize) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return (encoding, bom);
    }
    if let Some(encoding) = declared {
        return (encoding, 0);
    }
    if html && let Some(encoding) = meta_charset(bytes) {
        return (encoding, 0);
    }
    (UTF_8, 0)
}

/// The encoding an HTML page declares in its first 1024 bytes. A page cannot declare UTF-16
/// this way (it would have needed a BOM), so such a declaration means UTF-8, as in browsers.
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static META: OnceLock<Option<Regex>> = OnceLock::new();
    let re = META
        .get_or_init(|| {
            Regex::new(r#"(?i-u)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.()+-]+)"#).ok()
        })
        .as_ref()?;
    let head = &bytes[..bytes.len().min(META_PRESCAN_LEN)];
    let label = re.captures(head)?.get(1)?.as_bytes();
    let encoding = Encoding::for_label(label)?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    })
}

/// Decodes `bytes[start..]` (`start` skips a byte-order mark) from `encoding`.
pub fn decode(bytes: &[u8], start: usize, encoding: &'static Encoding) -> Decoded {
    let start = start.min(bytes.len());
    if encoding == UTF_8 {
        decode_utf8(bytes, start)
    } else if encoding == UTF_16LE || encoding == UTF_16BE {
        decode_utf16(bytes, start, encoding == UTF_16BE)
    } else {
        decode_legacy(bytes, start, encoding)
    }
}

fn decode_utf8(bytes: &[u8], start: usize) -> Decoded {
    let mut map = OffsetMap::identity();
    map.push(0, start);
    if let Ok(text) = std::str::from_utf8(&bytes[start..]) {
        return Decoded {
            text: text.to_owned(),
            map,
            first_invalid: None,
        };
    }
    let mut text = String::with_capacity(bytes.len());
    let mut pos = start;
    let mut first_invalid = None;
    while pos < bytes.len() {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(rest) => {
                text.push_str(rest);
                break;
            }
            Err(err) => {
                let valid = err.valid_up_to();
                text.push_str(std::str::from_utf8(&bytes[pos..pos + valid]).unwrap_or_default());
                pos += valid;
                first_invalid.get_or_insert(pos);
                let bad = err.error_len().unwrap_or(bytes.len() - pos);
                map.push(text.len(), pos);
                text.push('\u{FFFD}');
                pos += bad;
                map.push(text.len(), pos);
            }
        }
    }
    Decoded {
        text,
        map,
        first_invalid,
    }
}

fn decode_utf16(bytes: &[u8], start: usize, big_endian: bool) -> Decoded {
    let body = &bytes[start..];
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(body.len());
    let mut map = OffsetMap::identity();
    let mut pos = start;
    let mut first_invalid = None;
    for unit in char::decode_utf16(units) {
        let (c, len) = match unit {
            Ok(c) => (c, 2 * c.len_utf16()),
            Err(_) => {
                first_invalid.get_or_insert(pos);
                ('\u{FFFD}', 2)
            }
        };
        map.push(text.len(), pos);
        text.push(c);
        pos += len;
    }
    if pos < bytes.len() {
        // An odd trailing byte.
        first_invalid.get_or_insert(pos);
        map.push(text.len(), pos);
        text.push('\u{FFFD}');
        pos = bytes.len();
    }
    map.push(text.len(), pos);
    Decoded {
        text,
        map,
        first_invalid,
    }
}

fn decode_legacy(bytes: &[u8], start: usize, encoding: &'static Encoding) -> Decoded {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let mut map = OffsetMap::identity();
    map.push(0, start);
    let ascii_runs = encoding.is_ascii_compatible();
    let mut first_invalid = None;
    // Where the bytes the decoder holds (a sequence not yet complete) start.
    let mut pending = start;
    let mut pos = start;
    while pos < bytes.len() {
        // A run of ASCII bytes while the decoder holds nothing decodes to itself.
        let run = if ascii_runs && pending == pos {
            bytes[pos..].iter().take_while(|b| b.is_ascii()).count()
        } else {
            0
        };
        let len = run.max(1);
        let before = text.len();
        let (had_errors, read) = feed(&mut decoder, &bytes[pos..pos + len], &mut text, false);
        if had_errors {
            first_invalid.get_or_insert(pending);
        }
        pos += read.max(1);
        if text.len() > before {
            let in_step = run > 0 && text.as_bytes()[before..] == bytes[pos - read..pos];
            record(&mut map, &text, before, pending, pos, in_step);
            pending = pos;
        }
    }
    let before = text.len();
    let (had_errors, _) = feed(&mut decoder, &[], &mut text, true);
    if had_errors {
        first_invalid.get_or_insert(pending);
    }
    if text.len() > before {
        record(&mut map, &text, before, pending, bytes.len(), false);
    }
    map.push(text.len(), bytes.len());
    Decoded {
        text,
        map,
        first_invalid,
    }
}

/// Feeds `src` to the decoder, appending what it writes to `dst`. Returns whether a sequence
/// was replaced and how many bytes were read. Decodes through a small buffer: encoding_rs
/// initializes the whole spare capacity of a `String` target on every call, which would make
/// one call per character quadratic.
fn feed(
    decoder: &mut encoding_rs::Decoder,
    src: &[u8],
    dst: &mut String,
    last: bool,
) -> (bool, usize) {
    let mut buf = [0u8; 256];
    let mut read_total = 0;
    let mut errors = false;
    loop {
        let Ok(out) = std::str::from_utf8_mut(&mut buf) else {
            return (errors, read_total);
        };
        let (result, read, written, had_errors) =
            decoder.decode_to_str(&src[read_total..], out, last);
        dst.push_str(&out[..written]);
        read_total += read;
        errors |= had_errors;
        if result == encoding_rs::CoderResult::InputEmpty {
            return (errors, read_total);
        }
    }
}

/// Records the text `text[from..]`, decoded from `bytes[origin..origin_end]`: in step (ASCII),
/// or as one unit whose inner positions map to its end.
fn record(
    map: &mut OffsetMap,
    text: &str,
    from: usize,
    origin: usize,
    origin_end: usize,
    in_step: bool,
) {
    map.push(from, origin);
    if in_step {
        return;
    }
    for (i, _) in text[from..].char_indices().skip(1) {
        map.push(from + i, origin_end);
    }
    map.push(text.len(), origin_end);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_map(bytes: &[u8], d: &Decoded) {
        let mut last = 0;
        for (i, _) in d
            .text
            .char_indices()
            .chain(std::iter::once((d.text.len(), ' ')))
        {
            let o = d.map.map(i);
            assert!(o >= last && o <= bytes.len(), "offset {i} -> {o}");
            last = o;
        }
    }

    #[test]
    fn boms_pick_the_encoding() {
        assert_eq!(detect(b"\xEF\xBB\xBFx", None, false), (UTF_8, 3));
        assert_eq!(detect(b"\xFF\xFEx\0", None, false), (UTF_16LE, 2));
        assert_eq!(detect(b"\xFE\xFF\0x", Some(UTF_8), false), (UTF_16BE, 2));
        assert_eq!(
            detect(b"abc", Some(encoding_rs::SHIFT_JIS), true).0,
            encoding_rs::SHIFT_JIS
        );
    }

    #[test]
    fn meta_charset_in_both_forms() {
        let page = b"<html><head><meta charset=\"Shift_JIS\">";
        assert_eq!(meta_charset(page), Some(encoding_rs::SHIFT_JIS));
        let page = b"<META http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\">";
        assert_eq!(meta_charset(page), Some(encoding_rs::EUC_KR));
        assert_eq!(meta_charset(b"<meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(meta_charset(b"<meta charset=nonsense>"), None);
        assert_eq!(meta_charset(b"<p>charset=sjis</p>"), None);
    }

    #[test]
    fn utf16_maps_each_character_to_its_units() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "a薄\u{1F600}b".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let d = decode(&bytes, 2, UTF_16LE);
        assert_eq!(d.text, "a薄\u{1F600}b");
        assert_eq!(d.map.map(0), 2);
        assert_eq!(d.map.map(1), 4);
        assert_eq!(d.map.map(4), 6);
        assert_eq!(d.map.map(8), 10);
        assert_eq!(d.map.map(9), 12);
        assert!(d.first_invalid.is_none());
        check_map(&bytes, &d);
    }

    #[test]
    fn shift_jis_maps_each_character_to_its_bytes() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("PRPで薄毛を改善 ok");
        let d = decode(&bytes, 0, encoding_rs::SHIFT_JIS);
        assert_eq!(d.text, "PRPで薄毛を改善 ok");
        let kaizen = d.text.find("改善").unwrap();
        // "PRP" (3 bytes) then five two-byte characters.
        assert_eq!(d.map.map(kaizen), 3 + 2 * 4);
        assert_eq!(d.map.map(kaizen + "改善".len()), 3 + 2 * 6);
        assert_eq!(d.map.map(d.text.len()), bytes.len());
        check_map(&bytes, &d);
    }

    #[test]
    fn invalid_sequences_are_replaced_and_reported() {
        // A Shift_JIS lead byte followed by an ASCII byte that cannot trail it.
        let bytes = b"ab\x82\x20cd\x82";
        let d = decode(bytes, 0, encoding_rs::SHIFT_JIS);
        assert!(d.text.starts_with("ab\u{FFFD}"));
        assert!(d.text.ends_with('\u{FFFD}'));
        assert_eq!(d.first_invalid, Some(2));
        check_map(bytes, &d);
        let d = decode(b"\xFF\xFEa\0\x00\xD8b\0x", 2, UTF_16LE);
        assert_eq!(d.text, "a\u{FFFD}b\u{FFFD}");
        assert_eq!(d.first_invalid, Some(4));
    }

    #[test]
    fn every_legacy_encoding_keeps_the_map_ordered() {
        let sample = "Café — 薄毛 탈모 脱发 ok";
        for encoding in [
            encoding_rs::SHIFT_JIS,
            encoding_rs::EUC_JP,
            encoding_rs::ISO_2022_JP,
            encoding_rs::EUC_KR,
            encoding_rs::GB18030,
            encoding_rs::BIG5,
            encoding_rs::WINDOWS_1252,
        ] {
            let (bytes, _, _) = encoding.encode(sample);
            let d = decode(&bytes, 0, encoding);
            check_map(&bytes, &d);
            let ok = d.text.find("ok").unwrap();
            assert_eq!(
                &bytes[d.map.map(ok)..d.map.map(ok + 2)],
                b"ok",
                "{}",
                encoding.name()
            );
        }
    }
}
