//! Turning the paths on the command line into the list of files to lint.
//!
//! Folders are walked with the `ignore` crate (ripgrep's walker): hidden files and folders are
//! skipped, and `.gitignore` (also outside a git repository, and in parent folders),
//! `.git/info/exclude` and `.claimlintignore` files are respected unless `ignore` is off
//! (`--no-ignore`). Symlinks are not followed, so loops cannot recur. Which walked files are
//! linted (extension, include and exclude globs) is the caller's decision: every file found is
//! returned, marked as walked. Problems are collected, never fatal: the run goes on.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// The per-folder ignore file of claimlint (gitignore syntax).
pub const IGNORE_FILE: &str = ".claimlintignore";

/// One input to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// Standard input, shown under this name.
    Stdin(String),
    /// A file; `walked` is true when it was found by walking a folder, false when named.
    File { path: PathBuf, walked: bool },
}

/// A path that could not be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// How folders are walked.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    /// Respect `.gitignore`, `.git/info/exclude` and `.claimlintignore`.
    pub ignore_files: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions { ignore_files: true }
    }
}

/// Expands command-line paths into inputs, sorted by path, and the errors met on the way.
pub fn collect_inputs(
    paths: &[PathBuf],
    stdin_name: &str,
    options: WalkOptions,
) -> (Vec<Input>, Vec<WalkError>) {
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
            Ok(meta) if meta.is_dir() => walk_dir(path, options, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input::File {
                path: path.clone(),
                walked: false,
            }),
        }
    }
    inputs.sort();
    // A file both named and found by walking is a named file.
    inputs.dedup_by(|later, earlier| match (later, earlier) {
        (Input::File { path: a, .. }, Input::File { path: b, .. }) => a == b,
        (a, b) => a == b,
    });
    (inputs, errors)
}

fn walk_dir(
    root: &Path,
    options: WalkOptions,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<WalkError>,
) {
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(false)
        .hidden(true)
        .git_ignore(options.ignore_files)
        .git_exclude(options.ignore_files)
        .parents(options.ignore_files)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b));
    if options.ignore_files {
        builder.add_custom_ignore_filename(IGNORE_FILE);
    }
    let walker = builder.build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let Some(file_type) = entry.file_type() else {
                    continue;
                };
                if file_type.is_file() {
                    inputs.push(Input::File {
                        path: entry.into_path(),
                        walked: true,
                    });
                } else if file_type.is_symlink() {
                    // A symlink to a file is linted like the file; a broken one is an error.
                    match std::fs::metadata(entry.path()) {
                        Ok(meta) if meta.is_file() => inputs.push(Input::File {
                            path: entry.into_path(),
                            walked: true,
                        }),
                        Ok(_) => {}
                        Err(err) => errors.push(WalkError {
                            path: entry.path().display().to_string(),
                            message: describe_io(&err),
                        }),
                    }
                }
            }
            Err(err) => errors.push(walk_error(root, &err)),
        }
    }
}

fn walk_error(root: &Path, err: &ignore::Error) -> WalkError {
    use ignore::Error;
    match err {
        Error::WithPath { path, err } => WalkError {
            path: path.display().to_string(),
            message: match err.as_ref() {
                Error::Io(io) => describe_io(io),
                other => other.to_string(),
            },
        },
        Error::WithDepth { err, .. } | Error::WithLineNumber { err, .. } => walk_error(root, err),
        Error::Io(io) => WalkError {
            path: root.display().to_string(),
            message: describe_io(io),
        },
        other => WalkError {
            path: root.display().to_string(),
            message: other.to_string(),
        },
    }
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

    fn names(inputs: &[Input]) -> Vec<String> {
        inputs
            .iter()
            .map(|i| match i {
                Input::File { path, .. } => path
                    .iter()
                    .skip_while(|c| *c != "root")
                    .skip(1)
                    .map(|c| c.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
                Input::Stdin(_) => "-".into(),
            })
            .collect()
    }

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        for (name, text) in [
            (".git/page.md", "x"),
            (".hidden.md", "x"),
            ("b.md", "x"),
            ("a.html", "x"),
            ("image.png", "x"),
            (".gitignore", "node_modules/\n"),
            ("node_modules/pkg/readme.md", "x"),
            (".claimlintignore", "legal/\n"),
            ("legal/terms.md", "x"),
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn walks_files_skipping_hidden_and_ignored() {
        let dir = tree();
        let root = dir.path().join("root");
        let (inputs, errors) =
            collect_inputs(std::slice::from_ref(&root), "-", WalkOptions::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(names(&inputs), ["a.html", "b.md", "image.png"]);
        assert!(matches!(inputs[0], Input::File { walked: true, .. }));

        let no_ignore = WalkOptions {
            ignore_files: false,
        };
        let (inputs, _) = collect_inputs(std::slice::from_ref(&root), "-", no_ignore);
        assert_eq!(
            names(&inputs),
            [
                "a.html",
                "b.md",
                "image.png",
                "legal/terms.md",
                "node_modules/pkg/readme.md"
            ]
        );

        // A named file is taken even when ignored, and is marked as named.
        let named = root.join("legal/terms.md");
        let (inputs, _) = collect_inputs(&[named, root], "-", WalkOptions::default());
        assert_eq!(
            names(&inputs),
            ["a.html", "b.md", "image.png", "legal/terms.md"]
        );
        assert!(matches!(inputs[3], Input::File { walked: false, .. }));
    }

    #[test]
    fn missing_path_is_an_error_not_a_panic() {
        let (inputs, errors) = collect_inputs(
            &[PathBuf::from("/no/such/dir")],
            "-",
            WalkOptions::default(),
        );
        assert!(inputs.is_empty());
        assert_eq!(errors[0].message, "no such file or directory");
    }
}
