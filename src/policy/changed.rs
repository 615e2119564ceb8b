//! `--changed-since REV` (and `--diff`, which is `--changed-since HEAD`): only the lines changed
//! since a git revision are linted, for pull requests.
//!
//! The changed lines come from `git diff --unified=0 REV` (the working tree against REV, staged
//! or not); files git does not track yet (and does not ignore) count as changed everywhere.
//! Files without changes are not read at all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The lines changed in each file.
#[derive(Debug, Default)]
pub struct ChangedLines {
    /// Absolute path → changed 1-based line ranges (inclusive start, exclusive end); `None`
    /// when the whole file is new.
    files: HashMap<PathBuf, Option<Vec<(usize, usize)>>>,
}

impl ChangedLines {
    /// Asks git for the lines changed since `rev` in the repository holding the working folder.
    pub fn since(rev: &str) -> Result<ChangedLines, String> {
        let root = git(&["rev-parse", "--show-toplevel"])?;
        let root = PathBuf::from(String::from_utf8_lossy(&root).trim_end_matches('\n'));
        // `core.quotePath=false`: names with non-ASCII letters are printed as they are; names
        // with control characters, quotes or backslashes are still quoted (see `unquote`).
        let diff = git(&[
            "-c",
            "core.quotePath=false",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-renames",
            "--unified=0",
            rev,
            "--",
        ])?;
        let mut changed = parse_diff(&diff, &root);
        let untracked = git(&[
            "ls-files",
            "-z",
            "--others",
            "--exclude-standard",
            "--full-name",
        ])?;
        for name in untracked.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            changed
                .files
                .insert(root.join(path_of(name.to_vec())), None);
        }
        Ok(changed)
    }

    /// Whether any line of `path` changed.
    pub fn touches(&self, path: &Path) -> bool {
        absolute(path).is_some_and(|p| self.files.contains_key(&p))
    }

    /// Whether 1-based `line` of `path` changed.
    pub fn contains(&self, path: &Path, line: usize) -> bool {
        match absolute(path).and_then(|p| self.files.get(&p)) {
            Some(None) => true,
            Some(Some(ranges)) => ranges.iter().any(|&(a, b)| a <= line && line < b),
            None => false,
        }
    }
}

fn absolute(path: &Path) -> Option<PathBuf> {
    // git reports real paths; resolve symlinked folders the same way.
    std::fs::canonicalize(path)
        .ok()
        .or_else(|| std::path::absolute(path).ok())
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {}: {}", args.join(" "), stderr.trim()));
    }
    Ok(output.stdout)
}

/// Parses `git diff --unified=0` output: the new-side line ranges of each file's hunks.
fn parse_diff(diff: &[u8], root: &Path) -> ChangedLines {
    let mut changed = ChangedLines::default();
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut current: Option<PathBuf> = None;
    for line in diff.split(|&b| b == b'\n') {
        if let Some(path) = line.strip_prefix(b"+++ ") {
            current = unquote(path)
                .strip_prefix(b"b/")
                .map(|p| canonical_root.join(path_of(p.to_vec())));
            if let Some(p) = &current {
                changed.files.entry(p.clone()).or_insert(Some(Vec::new()));
            }
        } else if let Some(hunk) = line.strip_prefix(b"@@ ") {
            let Some(path) = &current else { continue };
            let hunk = String::from_utf8_lossy(hunk);
            let Some(new) = hunk.split(' ').find_map(|part| part.strip_prefix('+')) else {
                continue;
            };
            let mut numbers = new.splitn(2, ',');
            let start: usize = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let count: usize = numbers
                .next()
                .map_or(Some(1), |n| n.parse().ok())
                .unwrap_or(0);
            if count > 0
                && let Some(Some(ranges)) = changed.files.get_mut(path)
            {
                ranges.push((start, start + count));
            }
        }
    }
    changed
}

/// A file name as git prints it in a diff header: as is (git ends a name holding a space with a
/// tab), or in double quotes with C escapes (`\n`, `\"`, `\\`, `\303\251` for bytes).
fn unquote(name: &[u8]) -> Vec<u8> {
    let Some(inner) = name.strip_prefix(b"\"").and_then(|n| n.strip_suffix(b"\"")) else {
        return name.strip_suffix(b"\t").unwrap_or(name).to_vec();
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut k = 0;
    while k < inner.len() {
        let b = inner[k];
        k += 1;
        if b != b'\\' || k == inner.len() {
            out.push(b);
            continue;
        }
        let e = inner[k];
        k += 1;
        out.push(match e {
            b'a' => 0x07,
            b'b' => 0x08,
            b't' => b'\t',
            b'n' => b'\n',
            b'v' => 0x0b,
            b'f' => 0x0c,
            b'r' => b'\r',
            b'0'..=b'7' => {
                // Up to three octal digits: one byte.
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match inner.get(k) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            k += 1;
                        }
                        _ => break,
                    }
                }
                value as u8
            }
            other => other,
        });
    }
    out
}

/// The path a file name's bytes stand for.
fn path_of(bytes: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_new_side_lines() {
        let diff = "diff --git a/p.md b/p.md\n--- a/p.md\n+++ b/p.md\n@@ -3 +3 @@\n-x\n+y\n@@ -10,0 +11,2 @@\n+a\n+b\n@@ -20,2 +21,0 @@\n-c\n-d\n";
        let root = PathBuf::from("/repo-that-does-not-exist");
        let changed = parse_diff(diff.as_bytes(), &root);
        let ranges = changed
            .files
            .get(&root.join("p.md"))
            .unwrap()
            .as_ref()
            .unwrap();
        assert_eq!(ranges, &[(3, 4), (11, 13)]);
    }

    #[test]
    fn quoted_names_are_unquoted_to_their_bytes() {
        assert_eq!(unquote(b"b/plain.md"), b"b/plain.md");
        assert_eq!(unquote(b"b/a b.md\t"), b"b/a b.md");
        assert_eq!(
            unquote(br#""b/\350\226\204\346\257\233.md""#),
            "b/薄毛.md".as_bytes()
        );
        assert_eq!(
            unquote(br#""b/new\nline \"q\" \\.md""#),
            b"b/new\nline \"q\" \\.md"
        );
        let diff = "+++ \"b/\\350\\226\\204.md\"\n@@ -0,0 +1 @@\n+x\n";
        let root = PathBuf::from("/repo-that-does-not-exist");
        let changed = parse_diff(diff.as_bytes(), &root);
        assert!(changed.files.contains_key(&root.join("\u{8584}.md")));
    }
}
