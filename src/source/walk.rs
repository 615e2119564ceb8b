//! Turning the paths on the command line into the list of files to lint.
//!
//! Directories are walked with walkdir (no symlink following, so loops cannot recur), hidden
//! directories are skipped, and only files with a lintable extension are taken. Files named
//! explicitly are always taken. Problems are collected, never fatal: the run goes on.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::extract::DEFAULT_EXTENSIONS;

/// One input to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// Standard input, shown under this name.
    Stdin(String),
    File(PathBuf),
}

/// A path that could not be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// Expands command-line paths into inputs, sorted by path, and the errors met on the way.
pub fn collect_inputs(paths: &[PathBuf], stdin_name: &str) -> (Vec<Input>, Vec<WalkError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin(stdin_name.to_owned()));
            continue;
        }
        match std::fs::metadata(path) {
            Err(err) => errors.push(WalkError {
                path: path.display().to_string(),
                message: describe_io(&err),
            }),
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    inputs.sort();
    inputs.dedup();
    (inputs, errors)
}

fn walk_dir(root: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<WalkError>) {
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_file() && has_lintable_extension(entry.path()) {
                    inputs.push(Input::File(entry.into_path()));
                } else if entry.path_is_symlink() && has_lintable_extension(entry.path()) {
                    // A symlink to a file is linted like the file; a broken one is an error.
                    match std::fs::metadata(entry.path()) {
                        Ok(meta) if meta.is_file() => inputs.push(Input::File(entry.into_path())),
                        Ok(_) => {}
                        Err(err) => errors.push(WalkError {
                            path: entry.path().display().to_string(),
                            message: describe_io(&err),
                        }),
                    }
                }
            }
            Err(err) => errors.push(WalkError {
                path: err
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string()),
                message: err.io_error().map_or_else(|| err.to_string(), describe_io),
            }),
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn has_lintable_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DEFAULT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A short, user-facing description of an I/O error.
pub fn describe_io(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_lintable_files_and_skips_hidden_dirs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/page.md"), "x").unwrap();
        std::fs::write(dir.path().join("b.md"), "x").unwrap();
        std::fs::write(dir.path().join("a.html"), "x").unwrap();
        std::fs::write(dir.path().join("image.png"), "x").unwrap();
        let (inputs, errors) = collect_inputs(&[dir.path().to_path_buf()], "-");
        assert!(errors.is_empty());
        let names: Vec<_> = inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p.file_name().unwrap().to_string_lossy().into_owned(),
                Input::Stdin(_) => "-".into(),
            })
            .collect();
        assert_eq!(names, ["a.html", "b.md"]);
    }

    #[test]
    fn missing_path_is_an_error_not_a_panic() {
        let (inputs, errors) = collect_inputs(&[PathBuf::from("/no/such/dir")], "-");
        assert!(inputs.is_empty());
        assert_eq!(errors[0].message, "no such file or directory");
    }
}
