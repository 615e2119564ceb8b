//! `LineIndex`: turns byte offsets of an original file into 1-based lines and character columns.
//! Built once per reported file, never on the hot path of files without findings.
//!
//! For a UTF-8 file the bytes are enough. For any other encoding (UTF-16, Shift_JIS, ...) the
//! index keeps the decoded text and its map: lines are found in the text, and a column counts
//! the characters of the text before the offset, so both are right whatever the encoding.

use super::OffsetMap;

/// A 1-based line and column (counted in characters), plus the byte offset it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// Start offsets of every line of a byte buffer.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offsets in the original file.
    starts: Vec<usize>,
    /// For a file that is not UTF-8: its decoded text, the map back to the bytes, and the
    /// line starts in the text.
    decoded: Option<Decoded>,
    /// For valid UTF-8: the number of characters before every `BLOCK`-th byte, so a column on a
    /// very long line costs at most one block of counting, not the whole line. Counted the first
    /// time a column on a long line is asked for (`None` inside: the bytes are not valid UTF-8).
    char_marks: std::sync::OnceLock<Option<Vec<usize>>>,
    /// Every byte is ASCII: a column is a byte difference.
    ascii: bool,
}

/// A file longer than this has its line breaks found in chunks of this many bytes, on
/// parallel threads (big.md, 200 MB: 33-41 ms against about 60 ms on one thread).
const PARALLEL_CHUNK: usize = 8 << 20;

/// Bytes between two character-count marks.
const BLOCK: usize = 512;
/// A column further than this into its line is counted from the marks.
const LONG_LINE: usize = 4 * BLOCK;

/// Characters in valid UTF-8 bytes: every byte that is not a continuation byte.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
}

#[derive(Debug, Clone)]
struct Decoded {
    text: String,
    map: OffsetMap,
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of a UTF-8 file. For a `SourceFile`, use `SourceFile::line_index`, which
    /// picks this or `decoded` by the file's encoding.
    pub fn new(bytes: &[u8]) -> Self {
        Self::new_in_chunks(bytes, PARALLEL_CHUNK)
    }

    /// `new`, chunk by chunk of `chunk` bytes on parallel threads when there are several.
    fn new_in_chunks(bytes: &[u8], chunk: usize) -> Self {
        use rayon::prelude::*;
        let mut starts = vec![0];
        let ascii = if bytes.len() <= chunk {
            starts.extend(memchr_newlines(bytes).map(|i| i + 1));
            bytes.is_ascii()
        } else {
            let parts: Vec<(Vec<usize>, bool)> = bytes
                .par_chunks(chunk)
                .enumerate()
                .map(|(k, part)| {
                    let base = k * chunk;
                    let starts = memchr_newlines(part).map(|i| base + i + 1).collect();
                    (starts, part.is_ascii())
                })
                .collect();
            starts.reserve(parts.iter().map(|(s, _)| s.len()).sum());
            for (part, _) in &parts {
                starts.extend_from_slice(part);
            }
            parts.iter().all(|&(_, ascii)| ascii)
        };
        LineIndex {
            starts,
            decoded: None,
            char_marks: std::sync::OnceLock::new(),
            ascii,
        }
    }

    /// The index of a file decoded from another encoding into `text`, with `map` from text
    /// offsets to the original bytes.
    pub fn decoded(text: &str, map: &OffsetMap) -> Self {
        let mut text_starts = vec![0];
        text_starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        // The line starts in the bytes: where the text after each line break came from.
        let mut starts: Vec<usize> = text_starts.iter().map(|&s| map.map(s)).collect();
        starts[0] = 0;
        LineIndex {
            starts,
            decoded: Some(Decoded {
                text: text.to_owned(),
                map: map.clone(),
                starts: text_starts,
            }),
            char_marks: std::sync::OnceLock::new(),
            ascii: false,
        }
    }

    /// The 0-based line holding `offset`.
    /// How many lines there are (a text ending with a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The byte range of 0-based line `line`, without its line terminator.
    pub fn line_range(&self, bytes: &[u8], line: usize) -> std::ops::Range<usize> {
        let line = line.min(self.starts.len() - 1);
        if let Some(d) = &self.decoded {
            let start = d.starts[line];
            let mut end = d.starts.get(line + 1).map_or(d.text.len(), |next| next - 1);
            if end > start && d.text.as_bytes().get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            let start = if line == 0 { 0 } else { d.map.map(start) };
            return start..d.map.map(end).max(start);
        }
        let start = self.starts[line];
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(bytes.len(), |next| next - 1);
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The position of a byte offset in `bytes`.
    pub fn position(&self, bytes: &[u8], offset: usize) -> Position {
        let offset = offset.min(bytes.len());
        if let Some(d) = &self.decoded {
            let at = super::floor_char_boundary(&d.text, d.map.unmap(offset));
            let line = match d.starts.binary_search(&at) {
                Ok(i) => i,
                Err(i) => i - 1,
            };
            let column = d.text[d.starts[line]..at].chars().count() + 1;
            return Position {
                line: line + 1,
                column,
                offset,
            };
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let lossy = || {
            String::from_utf8_lossy(&bytes[start..offset])
                .chars()
                .count()
                + 1
        };
        let column = if self.ascii {
            offset - start + 1
        } else if offset - start <= LONG_LINE {
            lossy()
        } else {
            match self.char_marks.get_or_init(|| char_marks(bytes)) {
                Some(marks) => {
                    let before =
                        |at: usize| marks[at / BLOCK] + count_chars(&bytes[at / BLOCK * BLOCK..at]);
                    before(offset) - before(start) + 1
                }
                None => lossy(),
            }
        };
        Position {
            line: line + 1,
            column,
            offset,
        }
    }
}

/// The character-count marks of valid UTF-8 bytes (see `LineIndex::char_marks`).
fn char_marks(bytes: &[u8]) -> Option<Vec<usize>> {
    std::str::from_utf8(bytes).ok()?;
    let mut marks = Vec::with_capacity(bytes.len() / BLOCK + 1);
    let mut total = 0;
    for chunk in bytes.chunks(BLOCK) {
        marks.push(total);
        total += count_chars(chunk);
    }
    marks.push(total);
    Some(marks)
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_give_the_index_of_the_whole() {
        let text = "ab\ncd\n\n\néf\ng\n".repeat(7);
        let whole = LineIndex::new_in_chunks(text.as_bytes(), usize::MAX);
        assert!(!whole.ascii && whole.starts.len() > 30);
        for chunk in [1, 2, 3, 5, 16] {
            let parts = LineIndex::new_in_chunks(text.as_bytes(), chunk);
            assert_eq!(
                (&parts.starts, parts.ascii),
                (&whole.starts, whole.ascii),
                "{chunk}"
            );
        }
        let ascii = LineIndex::new_in_chunks(b"a\nb\n\nc", 2);
        assert_eq!((ascii.starts, ascii.ascii), (vec![0, 2, 4, 5], true));
    }

    #[test]
    fn positions_count_characters() {
        let text = "héllo\nwörld cure\n".as_bytes();
        let index = LineIndex::new(text);
        let cure = text.windows(4).position(|w| w == b"cure").unwrap();
        let pos = index.position(text, cure);
        assert_eq!((pos.line, pos.column), (2, 7));
        assert_eq!(index.position(text, 0).column, 1);
    }

    #[test]
    fn decoded_files_count_lines_and_columns_in_their_text() {
        // UTF-16LE: "ab\n薄毛 cure" — two bytes per character after a BOM.
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "ab\r\n薄毛 cure".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let decoded = crate::source::decode::decode(&bytes, 2, encoding_rs::UTF_16LE);
        let index = LineIndex::decoded(&decoded.text, &decoded.map);
        let cure = decoded.map.map(decoded.text.find("cure").unwrap());
        assert_eq!(cure, 2 + 2 * 7);
        let pos = index.position(&bytes, cure);
        assert_eq!((pos.line, pos.column, pos.offset), (2, 4, cure));
        assert_eq!(index.line_of(cure), 1);
        assert_eq!(index.line_range(&bytes, 0), 0..6);
        assert_eq!(index.line_range(&bytes, 1), 10..bytes.len());
    }

    #[test]
    fn columns_on_long_lines_count_characters_from_the_marks() {
        // One line of 3,000 "é" (6,000 bytes), then "cure": far past LONG_LINE.
        let mut text = "x\n".to_owned();
        text.push_str(&"é".repeat(3000));
        text.push_str(" cure");
        let bytes = text.as_bytes();
        let index = LineIndex::new(bytes);
        let cure = text.find("cure").unwrap();
        let pos = index.position(bytes, cure);
        assert_eq!((pos.line, pos.column), (2, 3002));
        assert!(index.char_marks.get().is_some_and(Option::is_some));
        // Near the start of the line, no marks are needed.
        let short = LineIndex::new(bytes);
        assert_eq!(short.position(bytes, 2 + 2 * 10).column, 11);
        assert!(short.char_marks.get().is_none());
        // Invalid UTF-8 on a long line: replacement characters count once each.
        let mut invalid = vec![b'a'; 3000];
        invalid.extend([0xFF, 0xFE, b'b']);
        let index = LineIndex::new(&invalid);
        assert_eq!(index.position(&invalid, 3002).column, 3003);
    }

    #[test]
    fn line_range_drops_crlf() {
        let text = b"one\r\ntwo";
        let index = LineIndex::new(text);
        assert_eq!(index.line_range(text, 0), 0..3);
        assert_eq!(index.line_range(text, 1), 5..8);
    }
}
