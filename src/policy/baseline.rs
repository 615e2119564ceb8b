//! Baselines: adopt claimlint on an existing site without fixing everything first.
//!
//! `--write-baseline FILE` records today's findings; `--baseline FILE` then reports only
//! findings that are not in it, and lists the entries that no longer occur. A finding is keyed
//! by its path, rule, claim text and the sentence it stands in (normalized), never by its line:
//! moving a paragraph, or editing another one, does not make a recorded finding new. Two equal
//! findings in one file are two entries, matched one for one.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The file format version.
const VERSION: u32 = 1;

/// Fields this version does not know are ignored, so that a baseline written by a newer
/// claimlint of the same format version is still read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    /// The claim, normalized.
    pub claim: String,
    /// The sentence the claim stands in, normalized.
    pub sentence: String,
    /// The line it was on when recorded (for people; not part of the key).
    pub line: usize,
}

impl Entry {
    fn key(&self) -> (&str, &str, &str, &str) {
        (&self.path, &self.rule, &self.claim, &self.sentence)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline, consumed as findings are matched.
#[derive(Debug, Default)]
pub struct Baseline {
    /// Key → the entries with that key not matched yet.
    remaining: BTreeMap<(String, String, String, String), Vec<Entry>>,
}

/// A path as stored in a baseline: `/` separators, no leading `./`.
pub fn stored_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut p = path.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.to_owned()
}

impl Baseline {
    /// Reads a baseline file; errors name the file and, for bad JSON, the line and column.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::source::settings_file::read_text(path)
            .map_err(|message| format!("{}: {message}", path.display()))?;
        let file: File = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: invalid baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if file.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (this claimlint writes version {VERSION})",
                path.display(),
                file.version
            ));
        }
        let mut remaining: BTreeMap<_, Vec<Entry>> = BTreeMap::new();
        for entry in file.findings {
            let key = owned(entry.key());
            remaining.entry(key).or_default().push(entry);
        }
        Ok(Baseline { remaining })
    }

    /// Whether the finding is in the baseline (and, if so, uses up its entry).
    pub fn take(&mut self, entry: &Entry) -> bool {
        match self.remaining.get_mut(&owned(entry.key())) {
            Some(list) if !list.is_empty() => {
                list.pop();
                true
            }
            _ => false,
        }
    }

    /// The entries no finding matched, in path order.
    pub fn unmatched(self) -> Vec<Entry> {
        let mut left: Vec<Entry> = self.remaining.into_values().flatten().collect();
        left.sort();
        left
    }
}

fn owned((a, b, c, d): (&str, &str, &str, &str)) -> (String, String, String, String) {
    (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned())
}

/// Writes a baseline of `entries` to `path`.
pub fn write(path: &Path, mut entries: Vec<Entry>) -> std::io::Result<()> {
    entries.sort();
    let file = File {
        version: VERSION,
        findings: entries,
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(line: usize, sentence: &str) -> Entry {
        Entry {
            path: "a.md".into(),
            rule: "hair.regrowth".into(),
            claim: "regrows hair".into(),
            sentence: sentence.into(),
            line,
        }
    }

    #[test]
    fn round_trip_matches_by_content_not_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        write(
            &path,
            vec![
                entry(3, "it regrows hair"),
                entry(9, "it regrows hair"),
                entry(12, "gone"),
            ],
        )
        .unwrap();
        let mut baseline = Baseline::load(&path).unwrap();
        assert!(baseline.take(&entry(40, "it regrows hair")));
        assert!(baseline.take(&entry(41, "it regrows hair")));
        assert!(
            !baseline.take(&entry(42, "it regrows hair")),
            "only two were recorded"
        );
        assert!(!baseline.take(&entry(3, "it regrows hair fast")));
        let left = baseline.unmatched();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].sentence, "gone");
        assert_eq!(stored_path("./site\\a.md"), "site/a.md");
    }

    #[test]
    fn bad_files_are_errors_with_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, "{\"version\": 1,\n \"findings\": [}").unwrap();
        let err = Baseline::load(&path).unwrap_err();
        assert!(err.contains("b.json:2:"), "{err}");
        std::fs::write(&path, "{\"version\": 9, \"findings\": []}").unwrap();
        assert!(Baseline::load(&path).unwrap_err().contains("version 9"));
    }

    #[test]
    fn a_newer_writers_extra_fields_and_a_byte_order_mark_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(
            &path,
            "\u{feff}{\"version\": 1, \"tool\": \"claimlint 9\", \"findings\": [{\"path\": \"a.md\",\
             \"rule\": \"hair.regrowth\", \"claim\": \"regrows hair\", \"sentence\": \"gone\",\
             \"line\": 12, \"fingerprint\": \"x\"}]}",
        )
        .unwrap();
        let mut baseline = Baseline::load(&path).unwrap();
        assert!(baseline.take(&entry(1, "gone")));
    }
}
