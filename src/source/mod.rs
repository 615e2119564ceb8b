//! Reading what users lint: bytes from disk or standard input, decoded to text with a map back to
//! the original bytes (see `decode`), then handed to a format extractor (see `extract`).
//!
//! Offsets chain back to the truth: normalized text → extracted text (the extractor's map) →
//! decoded text (`decode_map`) → original bytes. Lines and columns are computed from the
//! original file only when a diagnostic is reported (`line_index`).
//!
//! Nothing here panics on user input: binary and oversized files are skipped with a reason,
//! invalid byte sequences are replaced with a notice, and every offset still points into the
//! original bytes.

pub mod decode;
pub mod extract;
pub mod line_index;
pub mod offset_map;
pub mod settings_file;
pub mod walk;

use std::borrow::Cow;
use std::io::Read;
use std::sync::Arc;

pub use encoding_rs::Encoding;
pub use extract::{DEFAULT_COPY_KEYS, Extracted, Format};
pub use line_index::{LineIndex, Position};
pub use offset_map::OffsetMap;

/// How many leading bytes are inspected for NUL bytes when deciding a file is binary.
const BINARY_SNIFF_LEN: usize = 8192;

/// The default largest file that is read (`--max-filesize`, whose default is written again in
/// `cli.rs`; a test checks they agree): an export or product feed of hundreds of megabytes is
/// real, and every long-text path (parallel reading above 32 MB, the Markdown chunker, the
/// parallel normaliser, the checking of long texts in pieces) serves it by default.
pub const DEFAULT_MAX_FILESIZE: u64 = 512 * 1024 * 1024;

/// How inputs are read: the user's overrides and limits.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The format of every input (`--type`), instead of choosing by extension.
    pub format: Option<Format>,
    /// The encoding of every input without a byte-order mark (`--encoding`).
    pub encoding: Option<&'static Encoding>,
    /// Files larger than this many bytes are skipped.
    pub max_filesize: u64,
    /// The keys whose values are copy in front matter, JSON and YAML.
    pub copy_keys: Arc<[String]>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            encoding: None,
            max_filesize: DEFAULT_MAX_FILESIZE,
            copy_keys: DEFAULT_COPY_KEYS.iter().map(|k| (*k).to_owned()).collect(),
        }
    }
}

/// One input, decoded.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user should see it (or the `--stdin-filename`).
    pub name: String,
    /// The original bytes, exactly as read, when they differ from `text` (see `bytes`).
    original: Option<Vec<u8>>,
    /// The encoding the bytes were decoded from.
    pub encoding: &'static Encoding,
    /// The decoded text.
    pub text: String,
    /// Maps offsets of `text` to offsets of `bytes`.
    pub decode_map: OffsetMap,
    /// How the text is extracted for linting.
    pub format: Format,
    /// The keys whose values are copy in front matter, JSON and YAML.
    pub copy_keys: Arc<[String]>,
    /// Things the user should know about this file (for example, lossy decoding).
    pub notices: Vec<String>,
}

/// Why a file was not linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// The file looks binary (it holds NUL bytes and is not UTF-16).
    Binary,
    /// The file is larger than `--max-filesize` (its size, when known, and the limit).
    TooLarge { size: Option<u64>, limit: u64 },
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Binary => f.write_str("binary file skipped"),
            Skip::TooLarge {
                size: Some(size),
                limit,
            } => write!(
                f,
                "file skipped: {size} bytes is over the --max-filesize limit of {limit} bytes"
            ),
            Skip::TooLarge { size: None, limit } => write!(
                f,
                "file skipped: over the --max-filesize limit of {limit} bytes"
            ),
        }
    }
}

/// Reads at most `limit` bytes; `Ok(None)` when there are more.
pub fn read_limited(reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    read_limited_into(reader, limit, Vec::new())
}

/// `read_limited` into `bytes`, whose spare capacity is read into first.
fn read_limited_into(
    reader: impl Read,
    limit: u64,
    mut bytes: Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Files larger than this are read in chunks of `READ_CHUNK` bytes on parallel threads: the
/// copying and the page faults of the new buffer are shared between the cores (big.md, 200 MB,
/// took 120 to 150 ms in one read).
#[cfg(unix)]
const PARALLEL_READ_AFTER: u64 = 32 << 20;
#[cfg(unix)]
const READ_CHUNK: usize = 8 << 20;

/// The `size` bytes of `file`, read `chunk` bytes at a time at their offsets on parallel
/// threads; `None` when the file is no longer `size` bytes long (it is then read as a stream).
#[cfg(unix)]
fn read_in_parallel(
    file: &std::fs::File,
    size: u64,
    chunk: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    use rayon::prelude::*;
    use std::os::unix::fs::FileExt;
    let Ok(len) = usize::try_from(size) else {
        return Ok(None);
    };
    let mut bytes = vec![0u8; len];
    let read = bytes
        .par_chunks_mut(chunk)
        .enumerate()
        .try_for_each(|(k, part)| file.read_exact_at(part, (k * chunk) as u64));
    match read {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    // A file that grew while it was read is read again, as a stream.
    let mut after = [0u8; 1];
    if file.read_at(&mut after, size)? != 0 {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Reads a file, skipping it when it is larger than `limit` (checked before reading).
pub fn read_file(path: &std::path::Path, limit: u64) -> std::io::Result<Result<Vec<u8>, Skip>> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    // A device or FIFO named as an input is read as a stream: its length says nothing.
    let size = meta.len();
    let too_large = Skip::TooLarge {
        size: meta.is_file().then_some(size),
        limit,
    };
    if size > limit {
        return Ok(Err(too_large));
    }
    #[cfg(unix)]
    if size > PARALLEL_READ_AFTER
        && let Some(bytes) = read_in_parallel(&file, size, READ_CHUNK)?
    {
        return Ok(Ok(bytes));
    }
    // Room for the whole file and one byte more: one read fills it and the next finds the end
    // (growing from empty took several reads and copies per file).
    let room = usize::try_from(size).map_or(0, |size| size.saturating_add(1));
    Ok(read_limited_into(file, limit, Vec::with_capacity(room))?.ok_or(too_large))
}

impl SourceFile {
    /// Decodes `bytes` read from `name` as `format`, with default options.
    pub fn decode(name: String, bytes: Vec<u8>, format: Format) -> Result<SourceFile, Skip> {
        let options = ReadOptions {
            format: Some(format),
            ..ReadOptions::default()
        };
        SourceFile::read(name, bytes, format, &options)
    }

    /// Decodes `bytes` read from `name`. `format` is the format chosen by name; `--type` in
    /// the options wins over it.
    pub fn read(
        name: String,
        bytes: Vec<u8>,
        format: Format,
        options: &ReadOptions,
    ) -> Result<SourceFile, Skip> {
        let format = options.format.unwrap_or(format);
        let (encoding, bom) = decode::detect(&bytes, options.encoding, format == Format::Html);
        let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
        let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
        if !utf16 && sniff.contains(&0) {
            return Err(Skip::Binary);
        }
        if encoding == encoding_rs::UTF_8 && bom == 0 {
            // Valid UTF-8 without a BOM: the bytes are the text, kept once.
            match String::from_utf8(bytes) {
                Ok(text) => {
                    let mut decode_map = OffsetMap::identity();
                    decode_map.push(0, 0);
                    return Ok(SourceFile {
                        name,
                        original: None,
                        encoding,
                        text,
                        decode_map,
                        format,
                        copy_keys: options.copy_keys.clone(),
                        notices: Vec::new(),
                    });
                }
                Err(e) => {
                    return Ok(SourceFile::decoded(
                        name,
                        e.into_bytes(),
                        encoding,
                        bom,
                        format,
                        options,
                    ));
                }
            }
        }
        Ok(SourceFile::decoded(
            name, bytes, encoding, bom, format, options,
        ))
    }

    /// A file whose bytes are not its text as they are (another encoding, a BOM, invalid
    /// sequences).
    fn decoded(
        name: String,
        bytes: Vec<u8>,
        encoding: &'static Encoding,
        bom: usize,
        format: Format,
        options: &ReadOptions,
    ) -> SourceFile {
        let decoded = decode::decode(&bytes, bom, encoding);
        let mut notices = Vec::new();
        if let Some(at) = decoded.first_invalid {
            let what = if encoding == encoding_rs::UTF_8 {
                "UTF-8".to_owned()
            } else {
                encoding.name().to_owned()
            };
            notices.push(format!(
                "invalid {what} at byte {at}; invalid sequences were replaced with U+FFFD"
            ));
        }
        SourceFile {
            name,
            original: Some(bytes),
            encoding,
            text: decoded.text,
            decode_map: decoded.map,
            format,
            copy_keys: options.copy_keys.clone(),
            notices,
        }
    }

    /// The original bytes, exactly as read.
    pub fn bytes(&self) -> &[u8] {
        self.original.as_deref().unwrap_or(self.text.as_bytes())
    }

    /// The text to lint and its map back to `text`.
    pub fn extract(&self) -> Extracted<'_> {
        self.format.extract(&self.text, &self.copy_keys)
    }

    /// Whether the text is the bytes themselves (UTF-8, possibly after a BOM), so byte ranges
    /// of the file can be read as UTF-8.
    pub fn is_utf8(&self) -> bool {
        self.encoding == encoding_rs::UTF_8
    }

    /// The original bytes of a range, as text for display, decoded from the file's encoding.
    pub fn original_text(&self, range: std::ops::Range<usize>) -> Cow<'_, str> {
        let end = range.end.min(self.bytes().len());
        let start = range.start.min(end);
        if self.is_utf8() {
            return String::from_utf8_lossy(&self.bytes()[start..end]);
        }
        let from = floor_char_boundary(&self.text, self.decode_map.unmap(start));
        let to = floor_char_boundary(&self.text, self.decode_map.unmap(end)).max(from);
        Cow::Borrowed(&self.text[from..to])
    }

    /// A line index over the original bytes that counts columns in characters of the file's
    /// encoding.
    pub fn line_index(&self) -> LineIndex {
        if self.is_utf8() {
            LineIndex::new(self.bytes())
        } else {
            LineIndex::decoded(&self.text, &self.decode_map)
        }
    }
}

/// The largest character boundary of `text` at or before `offset`.
pub(crate) fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
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

    #[test]
    fn utf16_with_a_bom_is_text_not_binary() {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in "No side effects".encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        let file = SourceFile::decode("x".into(), bytes, Format::Text).unwrap();
        assert_eq!(file.text, "No side effects");
        assert_eq!(file.encoding, encoding_rs::UTF_16BE);
        let side = file.text.find("side").unwrap();
        let start = file.decode_map.map(side);
        let end = file.decode_map.map(side + 4);
        assert_eq!((start, end), (2 + 2 * 3, 2 + 2 * 7));
        assert_eq!(file.original_text(start..end), "side");
        let index = file.line_index();
        assert_eq!(index.position(file.bytes(), start).column, 4);
    }

    #[test]
    fn html_meta_charset_and_the_encoding_option() {
        let (body, _, _) = encoding_rs::SHIFT_JIS.encode("<meta charset=\"shift_jis\"><p>薄毛</p>");
        let file = SourceFile::decode("x".into(), body.into_owned(), Format::Html).unwrap();
        assert_eq!(file.encoding, encoding_rs::SHIFT_JIS);
        assert!(file.text.ends_with("<p>薄毛</p>"));

        let (body, _, _) = encoding_rs::EUC_KR.encode("탈모 치료");
        let options = ReadOptions {
            encoding: Some(encoding_rs::EUC_KR),
            ..ReadOptions::default()
        };
        let file = SourceFile::read("x".into(), body.into_owned(), Format::Text, &options).unwrap();
        assert_eq!(file.text, "탈모 치료");
        assert!(file.notices.is_empty());
    }

    #[test]
    fn the_type_option_wins_over_the_extension() {
        let options = ReadOptions {
            format: Some(Format::Html),
            ..ReadOptions::default()
        };
        let file =
            SourceFile::read("x.txt".into(), b"<b>x</b>".to_vec(), Format::Text, &options).unwrap();
        assert_eq!(file.format, Format::Html);
        assert_eq!(file.extract().text, "x");
    }

    #[test]
    fn size_limit() {
        assert_eq!(
            read_limited(&b"abcd"[..], 4).unwrap(),
            Some(b"abcd".to_vec())
        );
        assert_eq!(read_limited(&b"abcde"[..], 4).unwrap(), None);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "x".repeat(100)).unwrap();
        assert_eq!(
            read_file(&path, 10).unwrap(),
            Err(Skip::TooLarge {
                size: Some(100),
                limit: 10
            })
        );
        assert!(read_file(&path, 100).unwrap().is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_read_in_parallel_chunks_is_the_file() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("export.md");
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("written");
        let file = std::fs::File::open(&path).expect("opens");
        for chunk in [1_000, 4_096, 99_999, 100_000, 1 << 20] {
            let read = read_in_parallel(&file, 100_000, chunk).expect("reads");
            assert_eq!(read.as_deref(), Some(&bytes[..]), "chunks of {chunk}");
        }
        // A file that is not the size it was said to be is left to the streaming read.
        assert_eq!(read_in_parallel(&file, 99_000, 4_096).expect("reads"), None);
        assert_eq!(
            read_in_parallel(&file, 101_000, 4_096).expect("reads"),
            None
        );
    }
}
