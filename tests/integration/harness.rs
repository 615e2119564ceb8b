//! A small harness: run the built binary from the repository root, compare with expected files.
//! Set `CLAIMLINT_BLESS=1` to rewrite expected files after a reviewed change.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `claimlint ARGS` in the repository root with no standard input.
pub fn run(args: &[&str]) -> Output {
    run_with_stdin(args, None)
}

pub fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimlint"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the claimlint binary runs");
    if let Some(bytes) = stdin {
        use std::io::Write;
        // The binary may exit before reading (a broken pack), so a closed pipe is fine.
        let _ = child.stdin.take().expect("stdin is piped").write_all(bytes);
    }
    child.wait_with_output().expect("claimlint finishes")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("claimlint exits with a code")
}

/// Compares `actual` with `tests/expected/NAME`, or writes it when blessing.
pub fn assert_expected(name: &str, actual: &str) {
    let path = root().join("tests/expected").join(name);
    if std::env::var_os("CLAIMLINT_BLESS").is_some() {
        std::fs::write(&path, actual).expect("expected file is writable");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with CLAIMLINT_BLESS=1", path.display()));
    if expected != actual {
        let diff_line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n expected: {:?}\n   actual: {:?}",
            path.display(),
            diff_line + 1,
            expected.lines().nth(diff_line),
            actual.lines().nth(diff_line)
        );
    }
}

/// The files of a fixture folder, sorted, as paths relative to the repository root.
pub fn fixture_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("fixture folder exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .map(|p| relative(&p))
        .collect();
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Runs git in `dir` as a throwaway committer; fails the test if git fails.
pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.email=ci@example.org",
            "-c",
            "user.name=CI",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}
