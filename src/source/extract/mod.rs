//! Format extraction: from a decoded file to the text that is linted, plus a map back.
//!
//! Each format has an extractor that walks the document in order and hands its copy to one
//! `TextBuilder`, which writes the text and its `OffsetMap`. The text's lines mirror the
//! document's blocks: a list item, table cell or heading ends a line, a paragraph ends with a
//! blank line, and inline markup (`<b>`, `**`, links) breaks nothing. Plain text is linted as
//! it is, with an identity map.

mod builder;
pub mod entities;
pub mod front_matter;
pub mod html;
pub mod json;
pub mod markdown;

use std::borrow::Cow;
use std::path::Path;

pub use builder::{Markup, TextBuilder};
pub use front_matter::DEFAULT_COPY_KEYS;

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
    Mdx,
    Html,
    Json,
    Yaml,
}

/// Extensions linted when walking a directory. JSON and YAML files are linted when named on
/// the command line (or with `--type`), not found by walking, since most of them in a site's
/// folder are configuration, not copy.
pub const DEFAULT_EXTENSIONS: &[&str] = &["md", "markdown", "mdx", "txt", "html", "htm", "xhtml"];

impl Format {
    /// The format for a path, by extension; unknown extensions read as plain text.
    pub fn from_path(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("md" | "markdown" | "mdown" | "mkd") => Format::Markdown,
            Some("mdx") => Format::Mdx,
            Some("html" | "htm" | "xhtml") => Format::Html,
            Some("json") => Format::Json,
            Some("yaml" | "yml") => Format::Yaml,
            _ => Format::Text,
        }
    }

    /// Extracts the text to lint; `keys` are the copy keys of front matter, JSON and YAML.
    pub fn extract<'a>(self, text: &'a str, keys: &[String]) -> Extracted<'a> {
        match self {
            Format::Text => Extracted {
                text: Cow::Borrowed(text),
                map: OffsetMap::identity(),
            },
            Format::Markdown => markdown::extract(text, false, keys),
            Format::Mdx => markdown::extract(text, true, keys),
            Format::Html => html::extract(text),
            Format::Json => {
                let mut b = TextBuilder::new(text);
                json::extract_into(&mut b, keys);
                b.finish()
            }
            Format::Yaml => {
                let mut b = TextBuilder::new(text);
                front_matter::yaml_into(&mut b, 0..text.len(), keys);
                b.finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        for (name, format) in [
            ("a.md", Format::Markdown),
            ("a.MDX", Format::Mdx),
            ("a.htm", Format::Html),
            ("a.json", Format::Json),
            ("a.yml", Format::Yaml),
            ("a.txt", Format::Text),
            ("README", Format::Text),
        ] {
            assert_eq!(Format::from_path(Path::new(name)), format, "{name}");
        }
    }

    #[test]
    fn yaml_files_lint_copy_keys() {
        let keys = vec!["body".to_owned()];
        let source = "title: x\nbody: |\n  Regrows hair.\n  No side effects.\n";
        let e = Format::Yaml.extract(source, &keys);
        assert_eq!(e.text, "Regrows hair.\n  No side effects.");
    }
}
