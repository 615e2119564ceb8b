//! `LineIndex`: turns byte offsets of an original file into 1-based lines and character columns.
//! Built once per reported file, never on the hot path of files without findings.

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
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(bytes: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(bytes).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The byte range of 0-based line `line`, without its line terminator.
    pub fn line_range(&self, bytes: &[u8], line: usize) -> std::ops::Range<usize> {
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
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = String::from_utf8_lossy(&bytes[start..offset])
            .chars()
            .count()
            + 1;
        Position {
            line: line + 1,
            column,
            offset,
        }
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn line_range_drops_crlf() {
        let text = b"one\r\ntwo";
        let index = LineIndex::new(text);
        assert_eq!(index.line_range(text, 0), 0..3);
        assert_eq!(index.line_range(text, 1), 5..8);
    }
}
