//! Hostile input, as a contributor to a checked repository could write it or a CI job could
//! meet it: settings files that never end, a closed standard error, file names git quotes,
//! texts built to make one stage slow. Each test failed before its fix.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{code, git, stderr, stdout};

fn claimlint() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimlint"));
    cmd.env_remove("NO_COLOR").stdin(Stdio::null());
    cmd
}

/// The path of every diagnostic of a JSON report, in order.
fn diagnostic_paths(doc: &Value) -> Vec<&str> {
    doc["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| d["path"].as_str().expect("a path"))
        .collect()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    claimlint()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("claimlint runs")
}

/// Runs claimlint, killing it when it outlives `limit` (a hang must fail the test, not the CI
/// job): generous, since the point is "seconds, not forever or 24 GB". Its output goes to
/// files, read once it has exited (a full pipe nobody reads would stall it).
fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let outputs = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (outputs.path().join("out"), outputs.path().join("err"));
    let mut child = claimlint()
        .args(args)
        .current_dir(dir)
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("claimlint runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("claimlint {args:?} ran past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    }
}

#[cfg(unix)]
#[test]
fn settings_files_that_never_end_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.json")).unwrap();
    std::fs::create_dir_all(d.join("site/blog")).unwrap();
    std::fs::write(d.join("site/page.md"), "It regrows hair.\n").unwrap();
    // A nested configuration whose register is a device: read when its folder is walked.
    std::fs::write(
        d.join("site/blog/claimlint.toml"),
        "claims = \"/dev/zero\"\n",
    )
    .unwrap();
    std::fs::write(d.join("site/blog/post.md"), "It regrows hair.\n").unwrap();
    let limit = Duration::from_secs(20);

    let out = run_bounded(d, &["check", "--config", "/dev/zero", "site"], limit);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("/dev/zero") && stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );

    let out = run_bounded(d, &["check", "--baseline", "zero.json", "site"], limit);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("zero.json: not a regular file"),
        "{}",
        stderr(&out)
    );

    // The broken register stops its folder's files; the rest of the site is checked.
    let out = run_bounded(d, &["check", "--format", "json", "site"], limit);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let paths = diagnostic_paths(&doc);
    assert_eq!(paths, ["site/page.md"]);

    // A rule folder whose rule file is a device.
    std::fs::create_dir_all(d.join("rules")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("rules/zero.toml")).unwrap();
    let out = run_bounded(d, &["rules", "--rules", "rules"], limit);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("zero.toml") && stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_device_named_as_input_is_read_as_a_capped_stream() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_bounded(
        dir.path(),
        &["check", "--max-filesize", "1M", "/dev/zero"],
        Duration::from_secs(20),
    );
    let err = stderr(&out);
    assert!(
        err.contains("/dev/zero: file skipped: over the --max-filesize limit of 1048576 bytes"),
        "{err}"
    );
    assert!(!err.contains("0 bytes is over"), "{err}");
}

/// `2>&1 >out.json | true`: standard error is a closed pipe, standard output a file.
#[test]
fn a_closed_standard_error_changes_neither_the_report_nor_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a-latin1.md"), b"Caf\xe9 menu.\n").unwrap();
    std::fs::write(d.join("b-page.md"), "It regrows hair.\n").unwrap();
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out_path = d.join("out.json");
    let status = claimlint()
        .args(["check", "--format", "json", "."])
        .current_dir(d)
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(writer)
        .status()
        .expect("claimlint runs");
    assert_eq!(status.code(), Some(1));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert_eq!(doc["summary"]["files_checked"], 2);
    assert_eq!(doc["diagnostics"][0]["rule"], "hair.regrowth");
}

#[test]
fn changed_files_with_names_git_quotes_are_checked() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let names = ["薄毛.md", "two words.md", "quote\"d.md", "new\nline.md"];
    for name in names {
        std::fs::write(d.join(name), "A calm page.\n").unwrap();
    }
    git(d, &["init", "-q"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "pages"]);
    for name in names {
        std::fs::write(d.join(name), "A calm page.\nIt regrows hair.\n").unwrap();
    }
    std::fs::write(d.join("新.md"), "It regrows hair.\n").unwrap();
    for flags in [&["--changed-since", "HEAD"][..], &["--diff"][..]] {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(flags);
        args.push(".");
        let out = run_in(d, &args);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let mut found: Vec<(String, u64)> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let path = d["path"].as_str().unwrap();
                let name = path.trim_start_matches("./").to_owned();
                (name, d["start"]["line"].as_u64().unwrap())
            })
            .collect();
        found.sort();
        let mut expected: Vec<(String, u64)> = names.iter().map(|n| ((*n).to_owned(), 2)).collect();
        expected.push(("新.md".to_owned(), 1));
        expected.sort();
        assert_eq!(found, expected);
    }
}

/// Texts that once took minutes in one stage: each now takes a fraction of a second (the
/// figures are in `bench/hostile.sh`); the limit only turns a hang into a failure.
#[test]
fn texts_built_to_be_slow_finish() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases = [
        // Composite matching was cubic in the hits of one sentence (60-100 s).
        ("one-sentence.txt", "It cures alopecia, ".repeat(16_000)),
        // No sentence break at all (10.8 s).
        ("no-break.txt", "regrows hair ".repeat(30_000)),
        // An action stem repeated without a break: anchored searches read to its end (33 s).
        ("stem.txt", "boosts".repeat(46_666)),
        // YAML nested 5,000 levels deep: each key looked ahead to the end of its block (36 s
        // at 3,000 levels).
        ("deep.yaml", {
            let mut yaml = String::from("a:\n");
            for level in 1..5_000 {
                yaml.push_str(&"  ".repeat(level));
                yaml.push_str("b:\n");
            }
            yaml.push_str(&"  ".repeat(5_000));
            yaml.push_str("description: It regrows hair.\n");
            yaml
        }),
    ];
    for (name, text) in &cases {
        std::fs::write(d.join(name), text).unwrap();
        let out = run_bounded(
            d,
            &["check", "--format", "json", name],
            Duration::from_secs(30),
        );
        assert!(code(&out) < 2, "{name}: {}", stderr(&out));
    }
    // 100,000 suppressions, each used: every finding was tried against every suppression
    // (25 s).
    let suppressed = "It regrows hair. <!-- claimlint-disable-line hair.regrowth -- approved -->\n";
    std::fs::write(d.join("suppressed.md"), suppressed.repeat(100_000)).unwrap();
    let out = run_bounded(
        d,
        &["check", "--format", "json", "suppressed.md"],
        Duration::from_secs(30),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["summary"]["suppressed"], 100_000);
    // The human format rendered the whole line for each finding on it (34 s).
    std::fs::write(
        d.join("one-line.txt"),
        "Our serum regrows hair. ".repeat(10_000),
    )
    .unwrap();
    let out = run_bounded(
        d,
        &["check", "--color", "never", "one-line.txt"],
        Duration::from_secs(30),
    );
    assert_eq!(code(&out), 1);
}

#[test]
fn a_finding_on_a_long_line_shows_its_neighbourhood_at_its_true_column() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = format!(
        "{}Our serum regrows hair.{}\n",
        "Intro words. ".repeat(100),
        " Closing words.".repeat(100)
    );
    std::fs::write(d.join("long.txt"), text).unwrap();
    let out = run_in(d, &["check", "--color", "never", "long.txt"]);
    let report = stdout(&out);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "error[hair.regrowth]: claims to regrow hair");
    // 1,300 bytes of introduction, then "Our serum ".
    assert_eq!(lines[1], " --> long.txt:1:1311");
    assert_eq!(lines[2], "  |");
    assert!(
        lines[3].starts_with("1 | ...") && lines[3].contains("regrows hair"),
        "{report}"
    );
    let caret = lines[4].find('^').unwrap();
    assert_eq!(&lines[3][caret..caret + 12], "regrows hair", "{report}");
    assert!(lines[3].len() < 400, "{}", lines[3].len());
}

#[test]
fn a_file_name_with_a_line_break_stays_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("new\nline.md"), "It regrows hair.\n").unwrap();
    let out = run_in(d, &["check", "--color", "never", "."]);
    let report = stdout(&out);
    assert!(report.contains(" --> ./new\\nline.md:1:4\n"), "{report}");
}

/// Each pack error was rendered with its whole file (16 s for 5,000 errors in one file); now
/// with the lines of its span.
#[test]
fn a_pack_with_thousands_of_errors_is_reported_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let rule = |i: usize| {
        format!(
            "[[rule]]\nid = \"house.r{i}\"\ncategory = \"disease\"\nseverity = \"error\"\n\
             message = \"m\"\nrationale = \"r\"\nsuggestion = \"s\"\nphrases = [\"cures {i}\"]\n"
        )
    };
    let pack: String = (0..20_000).map(rule).collect();
    std::fs::create_dir(d.join("rules")).unwrap();
    std::fs::write(d.join("rules/house.toml"), pack).unwrap();
    let out = run_bounded(d, &["rules", "--rules", "rules"], Duration::from_secs(30));
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("--> rules/house.toml:"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.contains("house.r19999"));
}

#[test]
fn a_file_over_its_time_limit_is_reported_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let paragraph = "Our serum regrows hair in weeks and cures alopecia. ".repeat(20) + "\n\n";
    std::fs::write(d.join("a-big.md"), paragraph.repeat(2_000)).unwrap();
    std::fs::write(d.join("b-small.md"), "It regrows hair.\n").unwrap();
    // 2 MB cannot be normalized in a millisecond: the budget runs out at a stage boundary.
    let out = run_in(
        d,
        &[
            "check",
            "--format",
            "json",
            "--file-time-limit",
            "0.001",
            ".",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(
            "a-big.md: not checked: it took longer than the limit of 0.001 s for one file"
        ),
        "{}",
        stderr(&out)
    );
    // The run went on to the small file: checked, or (on a machine too loaded to check even it
    // within a millisecond) reported the same way, never silently dropped.
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let small_checked = diagnostic_paths(&doc) == ["./b-small.md"];
    let small_reported = stderr(&out).contains("b-small.md: not checked");
    assert!(small_checked || small_reported, "{}", stderr(&out));
}
