//! Reading what users lint: bytes from disk or standard input, decoded to text with a map back to
//! the original bytes, then handed to a format extractor (see `extract`).
//!
//! Nothing here panics on user input: binary files are skipped with a reason, invalid UTF-8 is
//! decoded lossily with a notice, and every offset still points into the original bytes.

pub mod extract;
pub mod line_index;
pub mod offset_map;
pub mod walk;

use std::borrow::Cow;

pub use extract::{Extracted, Format};
pub use line_index::{LineIndex, Position};
pub use offset_map::OffsetMap;

/// How many leading bytes are inspected for NUL bytes when deciding a file is binary.
const BINARY_SNIFF_LEN: usize = 8192;

/// One input, decoded.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user should see it (or the `--stdin-filename`).
    pub name: String,
    /// The original bytes, exactly as read.
    pub bytes: Vec<u8>,
    /// The decoded text.
    pub text: String,
    /// Maps offsets of `text` to offsets of `bytes`.
    pub decode_map: OffsetMap,
    /// How the text is extracted for linting.
    pub format: Format,
    /// Things the user should know about this file (for example, lossy decoding).
    pub notices: Vec<String>,
}

/// Why a file was not linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// The file looks binary (it holds NUL bytes).
    Binary,
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Binary => f.write_str("binary file skipped"),
        }
    }
}

impl SourceFile {
    /// Decodes `bytes` read from `name`.
    pub fn decode(name: String, bytes: Vec<u8>, format: Format) -> Result<SourceFile, Skip> {
        let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
        if sniff.contains(&0) {
            return Err(Skip::Binary);
        }
        let mut notices = Vec::new();
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let (text, decode_map) = match std::str::from_utf8(&bytes[bom..]) {
            Ok(text) => {
                let mut map = OffsetMap::identity();
                map.push(0, bom);
                (text.to_owned(), map)
            }
            Err(_) => {
                let (text, map, first_bad) = decode_lossy(&bytes, bom);
                notices.push(format!(
                    "invalid UTF-8 at byte {first_bad}; invalid sequences were replaced with U+FFFD"
                ));
                (text, map)
            }
        };
        Ok(SourceFile {
            name,
            bytes,
            text,
            decode_map,
            format,
            notices,
        })
    }

    /// The text to lint and its map back to `text`.
    pub fn extract(&self) -> Extracted<'_> {
        self.format.extract(&self.text)
    }

    /// The original bytes of a range, as text for display.
    pub fn original_text(&self, range: std::ops::Range<usize>) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes[range])
    }
}

/// Decodes UTF-8 lossily from `start`, recording where replacements shift offsets.
/// Returns the text, its map, and the offset of the first invalid byte.
fn decode_lossy(bytes: &[u8], start: usize) -> (String, OffsetMap, usize) {
    let mut text = String::with_capacity(bytes.len());
    let mut map = OffsetMap::identity();
    map.push(0, start);
    let mut pos = start;
    let mut first_bad = None;
    while pos < bytes.len() {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(rest) => {
                text.push_str(rest);
                break;
            }
            Err(err) => {
                let valid = err.valid_up_to();
                // SAFETY-free: the prefix was just validated by from_utf8.
                text.push_str(std::str::from_utf8(&bytes[pos..pos + valid]).unwrap_or_default());
                pos += valid;
                first_bad.get_or_insert(pos);
                let bad = err.error_len().unwrap_or(bytes.len() - pos);
                text.push('\u{FFFD}');
                pos += bad;
                map.push(text.len(), pos);
            }
        }
    }
    (text, map, first_bad.unwrap_or(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_mean_binary() {
        let err = SourceFile::decode("x".into(), b"ab\0cd".to_vec(), Format::Text).unwrap_err();
        assert_eq!(err, Skip::Binary);
    }

    #[test]
    fn bom_is_stripped_and_offsets_keep_pointing_at_bytes() {
        let file =
            SourceFile::decode("x".into(), b"\xEF\xBB\xBFcure".to_vec(), Format::Text).unwrap();
        assert_eq!(file.text, "cure");
        assert_eq!(file.decode_map.map(0), 3);
        assert!(file.notices.is_empty());
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_notice() {
        let file =
            SourceFile::decode("x".into(), b"ab\xFF\xFEcure".to_vec(), Format::Text).unwrap();
        assert_eq!(file.text, "ab\u{FFFD}\u{FFFD}cure");
        let cure = file.text.find("cure").unwrap();
        assert_eq!(file.decode_map.map(cure), 4);
        assert_eq!(file.notices.len(), 1);
        assert!(file.notices[0].contains("byte 2"));
    }
}
