//! Format extraction: from a decoded file to the text that is linted, plus a map back.
//!
//! Every format reads as plain text today; Markdown and HTML get real extractors in a later
//! change, behind this same interface (`Format::extract` returns text and an `OffsetMap`).

use std::borrow::Cow;
use std::path::Path;

use super::OffsetMap;

/// The text to lint and its map back to the decoded file text.
#[derive(Debug)]
pub struct Extracted<'a> {
    pub text: Cow<'a, str>,
    pub map: OffsetMap,
}

/// A file format claimlint knows how to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

/// Extensions linted when walking a directory.
pub const DEFAULT_EXTENSIONS: &[&str] = &["md", "markdown", "mdx", "txt", "html", "htm"];

impl Format {
    /// The format for a path, by extension; unknown extensions read as plain text.
    pub fn from_path(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("md" | "markdown" | "mdx") => Format::Markdown,
            Some("html" | "htm") => Format::Html,
            _ => Format::Text,
        }
    }

    /// Extracts the text to lint.
    pub fn extract<'a>(self, text: &'a str) -> Extracted<'a> {
        match self {
            Format::Text | Format::Markdown | Format::Html => Extracted {
                text: Cow::Borrowed(text),
                map: OffsetMap::identity(),
            },
        }
    }
}
