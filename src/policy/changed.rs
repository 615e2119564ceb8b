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
        let root = PathBuf::from(root.trim());
        let diff = git(&[
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-renames",
            "--unified=0",
            rev,
            "--",
        ])?;
        let mut changed = parse_diff(&diff, &root);
        let untracked = git(&["ls-files", "--others", "--exclude-standard", "--full-name"])?;
        for line in untracked.lines().filter(|l| !l.is_empty()) {
            changed.files.insert(root.join(line), None);
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

fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {}: {}", args.join(" "), stderr.trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Parses `git diff --unified=0` output: the new-side line ranges of each file's hunks.
fn parse_diff(diff: &str, root: &Path) -> ChangedLines {
    let mut changed = ChangedLines::default();
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut current: Option<PathBuf> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = path
                .strip_prefix("b/")
                .map(|p| canonical_root.join(unquote(p)));
            if let Some(p) = &current {
                changed.files.entry(p.clone()).or_insert(Some(Vec::new()));
            }
        } else if let Some(hunk) = line.strip_prefix("@@ ") {
            let Some(path) = &current else { continue };
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

/// A path as git prints it, without the quotes it adds around unusual names.
fn unquote(path: &str) -> String {
    path.trim_end_matches('\t')
        .strip_prefix('"')
        .and_then(|p| p.strip_suffix('"'))
        .unwrap_or(path)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_new_side_lines() {
        let diff = "diff --git a/p.md b/p.md\n--- a/p.md\n+++ b/p.md\n@@ -3 +3 @@\n-x\n+y\n@@ -10,0 +11,2 @@\n+a\n+b\n@@ -20,2 +21,0 @@\n-c\n-d\n";
        let root = PathBuf::from("/repo-that-does-not-exist");
        let changed = parse_diff(diff, &root);
        let ranges = changed
            .files
            .get(&root.join("p.md"))
            .unwrap()
            .as_ref()
            .unwrap();
        assert_eq!(ranges, &[(3, 4), (11, 13)]);
    }
}
