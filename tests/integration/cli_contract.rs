//! The CLI contract: exit codes, standard input, bad input and malformed packs. Each bad input
//! gets a clear message naming the file (and position), the run goes on, nothing panics.

use std::path::Path;

use crate::harness::{code, run, run_with_stdin, stderr, stdout};

/// Evidence, regulations and context for the test packs (shared with bench/hostile.py).
const SOURCES: &str = include_str!("../../fixtures/packs/test-sources.toml");

const RULES: &str = r#"
[[rule]]
id = "test.cure"
category = "disease"
severity = "error"
message = "claims to cure"
rationale = "r"
suggestion = "say what it does"
phrases = ["cures everything"]
[[rule.evidence]]
level = "X"
sources = ["E-T"]
summary = "nothing supports it"
[[rule.regulatory]]
jurisdiction = "us"
note = "a US note"
refs = ["R-T"]
reviewed = "2026-11-22"
[[rule.regulatory]]
jurisdiction = "uk"
note = "a UK note"
refs = ["R-T2"]
reviewed = "2026-11-22"
[rule.examples]
fire = ["It cures everything."]
pass = ["It does not cure everything."]

[[rule]]
id = "test.best"
category = "superiority"
severity = "warning"
message = "claims to be the best"
rationale = "r"
suggestion = "say what is different"
phrases = ["the best"]
[[rule.evidence]]
level = "E"
sources = ["E-T"]
summary = "no comparison"
[[rule.regulatory]]
jurisdiction = "us"
note = "a US note"
refs = ["R-T"]
reviewed = "2026-11-22"
[rule.examples]
fire = ["We are the best."]
pass = ["We are good."]
"#;

fn pack(dir: &Path, rules: &str) -> String {
    std::fs::write(dir.join("sources.toml"), SOURCES).unwrap();
    std::fs::write(dir.join("rules.toml"), rules).unwrap();
    dir.display().to_string()
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let rules = pack(dir.path(), RULES);
    let page = dir.path().join("page.md");
    std::fs::write(&page, "We are the best clinic.\n").unwrap();
    let page = page.display().to_string();
    // The exit status of `check --rules RULES FLAGS... PAGE`.
    let status = |flags: &[&str]| {
        let mut args = vec!["check", "--rules", &rules];
        args.extend_from_slice(flags);
        args.push(&page);
        code(&run(&args))
    };
    assert_eq!(status(&[]), 1);
    assert_eq!(status(&["--fail-on", "error"]), 0);
    assert_eq!(status(&["--fail-on", "info"]), 1);
    // `warn` is `warning`; --exit-zero keeps findings from failing the run, not tool errors.
    assert_eq!(status(&["--fail-on", "warn"]), 1);
    let out = run(&["check", "--rules", &rules, "--exit-zero", &page]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("warning[test.best]"));
    assert_eq!(status(&["--exit-zero", "no/such.md"]), 2);
    std::fs::write(dir.path().join("page.md"), "We are a clinic.\n").unwrap();
    assert_eq!(code(&run(&["check", "--rules", &rules, &page])), 0);
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["check", "--no-such-flag"]);
    assert_eq!(code(&out), 2);
    let out = run(&["check", "--jurisdiction", "xx", "fixtures"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown jurisdiction `xx`"));
    assert_eq!(code(&run(&["--help"])), 0);
}

#[test]
fn missing_path_is_reported_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let rules = pack(dir.path(), RULES);
    let page = dir.path().join("page.txt");
    std::fs::write(&page, "It cures everything.").unwrap();
    let out = run(&[
        "check",
        "--rules",
        &rules,
        "no/such/file.md",
        &page.display().to_string(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("error: no/such/file.md: no such file or directory"));
    assert!(stdout(&out).contains("error[test.cure]: claims to cure"));
}

#[test]
fn binary_empty_and_invalid_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let rules = pack(dir.path(), RULES);
    std::fs::write(
        dir.path().join("a-binary.txt"),
        b"PNG\0\x01\x02cures everything",
    )
    .unwrap();
    std::fs::write(dir.path().join("b-empty.md"), b"").unwrap();
    std::fs::write(
        dir.path().join("c-latin1.txt"),
        b"Caf\xe9 \xff: it cures everything.",
    )
    .unwrap();
    let out = run(&[
        "check",
        "--rules",
        &rules,
        "--format",
        "json",
        &dir.path().display().to_string(),
    ]);
    let err = stderr(&out);
    assert!(err.contains("a-binary.txt: binary file skipped"), "{err}");
    assert!(err.contains("b-empty.md: empty file"), "{err}");
    assert!(
        err.contains("c-latin1.txt: invalid UTF-8 at byte 3"),
        "{err}"
    );
    assert_eq!(code(&out), 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["text"], "cures everything");
    // Offsets are bytes of the original file, whatever the replacement characters.
    assert_eq!(d["start"]["offset"], 11);
    assert_eq!(d["end"]["offset"], 27);
    assert_eq!(doc["summary"]["files_checked"], 2);
    assert_eq!(doc["summary"]["files_skipped"], 1);
}

#[test]
fn stdin_is_named_by_stdin_filename() {
    let dir = tempfile::tempdir().unwrap();
    let rules = pack(dir.path(), RULES);
    let out = run_with_stdin(
        &[
            "check",
            "--rules",
            &rules,
            "--color",
            "never",
            "--stdin-filename",
            "draft.md",
            "-",
        ],
        Some(b"Honestly, it cures everything.\n"),
    );
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("--> draft.md:1:14"), "{text}");
}

#[test]
fn jurisdiction_selects_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let rules = pack(dir.path(), RULES);
    let out = run_with_stdin(
        &[
            "check",
            "--rules",
            &rules,
            "--format",
            "json",
            "--jurisdiction",
            "uk",
            "-",
        ],
        Some(b"It cures everything."),
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let notes = doc["diagnostics"][0]["regulatory"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["jurisdiction"], "uk");
    assert_eq!(notes[0]["refs"][0], "R-T2");
}

#[test]
fn human_output_is_rustc_style() {
    let dir = tempfile::tempdir().unwrap();
    let rules = pack(dir.path(), RULES);
    let out = run_with_stdin(
        &[
            "check",
            "--rules",
            &rules,
            "--color",
            "never",
            "--stdin-filename",
            "p.txt",
            "-",
        ],
        Some(b"Line one.\nOur drip cures everything.\n"),
    );
    let expected = "\
error[test.cure]: claims to cure
 --> p.txt:2:10
  |
2 | Our drip cures everything.
  |          ^^^^^^^^^^^^^^^^ disease claim
  |
  = evidence: CONTRADICTED (X) (no product class named: generic evidence) — nothing supports it [E-T A test
              source, https://example.org/t]
  = us: a US note [R-T]
  = uk: a UK note [R-T2]
  = help: consider: \"say what it does\"

checked 1 file: 1 error, 0 warnings, 0 infos
";
    assert_eq!(stdout(&out), expected);
}

fn pack_error(rules: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let dir_name = pack(dir.path(), rules);
    let out = run_with_stdin(&["check", "--rules", &dir_name, "-"], Some(b"x"));
    (code(&out), stderr(&out).replace(&dir_name, "PACK"))
}

#[test]
fn malformed_toml_names_file_line_and_column() {
    let (status, err) = pack_error("[[rule]]\nid = \"a.b\nseverity = 1\n");
    assert_eq!(status, 2);
    assert!(err.contains("--> PACK/rules.toml:2:"), "{err}");
    assert!(err.contains("nothing was checked"));
}

#[test]
fn unknown_reference_is_an_error_at_its_position() {
    let (status, err) = pack_error(&RULES.replacen("refs = [\"R-T\"]", "refs = [\"R-NOPE\"]", 1));
    assert_eq!(status, 2);
    assert!(
        err.contains("unknown regulation `R-NOPE` in rule `test.cure`"),
        "{err}"
    );
    assert!(err.contains("--> PACK/rules.toml:17:9"), "{err}");
}

#[test]
fn a_regex_too_large_to_compile_is_an_error_at_load_not_a_panic() {
    let huge = RULES.replacen(
        "phrases = [\"the best\"]",
        "patterns = ['the (?:\\pL{100}){200} best']",
        1,
    );
    let (status, err) = pack_error(&huge);
    assert_eq!(status, 2, "{err}");
    assert!(
        err.contains("regex in rule `test.best` cannot be compiled"),
        "{err}"
    );
    assert!(err.contains("--> PACK/rules.toml:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn invalid_regex_duplicate_id_and_missing_examples_are_errors() {
    let bad_regex = RULES.replacen("phrases = [\"the best\"]", "patterns = ['(unclosed']", 1);
    let (status, err) = pack_error(&bad_regex);
    assert_eq!(status, 2);
    assert!(err.contains("invalid regex in rule `test.best`"), "{err}");

    let duplicate = RULES.replacen("id = \"test.best\"", "id = \"test.cure\"", 1);
    let (status, err) = pack_error(&duplicate);
    assert_eq!(status, 2);
    assert!(err.contains("duplicate rule id `test.cure`"), "{err}");

    let no_examples = RULES.replacen(
        "[rule.examples]\nfire = [\"We are the best.\"]\npass = [\"We are good.\"]\n",
        "",
        1,
    );
    let (status, err) = pack_error(&no_examples);
    assert_eq!(status, 2);
    assert!(err.contains("rule `test.best` has no examples"), "{err}");

    let unknown_key = RULES.replacen(
        "message = \"claims to cure\"",
        "message = \"m\"\nmesage = \"typo\"",
        1,
    );
    let (status, err) = pack_error(&unknown_key);
    assert_eq!(status, 2);
    assert!(err.contains("unknown field `mesage`"), "{err}");
}

#[test]
fn stale_after_lists_old_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let old = SOURCES.replacen("reviewed = \"2026-11-22\"", "reviewed = \"2019-01-01\"", 1);
    std::fs::write(dir.path().join("sources.toml"), old).unwrap();
    std::fs::write(dir.path().join("rules.toml"), RULES).unwrap();
    let rules = dir.path().display().to_string();
    let out = run(&["rules", "--rules", &rules, "--stale-after", "365d"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("2019-01-01  evidence E-T"), "{text}");
    assert!(
        text.contains("1 entry last reviewed more than 365 days ago"),
        "{text}"
    );
    let out = run(&["rules", "--rules", &rules, "--stale-after", "100y"]);
    assert_eq!(code(&out), 0);
    let out = run(&["rules", "--rules", &rules, "--stale-after", "soon"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn product_type_changes_severity_where_the_law_does() {
    let input =
        b"The serum reduces wrinkles. It reduces the appearance of fine lines. No side effects.";
    let severities = |product: &str| -> Vec<(String, String)> {
        let out = run_with_stdin(
            &["check", "--format", "json", "--product", product, "-"],
            Some(input),
        );
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_owned(),
                    d["severity"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pair = |r: &str, s: &str| (r.to_owned(), s.to_owned());
    assert_eq!(
        severities("cosmetic"),
        [
            pair("skin.wrinkle-reduction", "error"),
            pair("skin.wrinkle-appearance", "info"),
            pair("safety.no-side-effects", "error")
        ]
    );
    assert_eq!(
        severities("drug"),
        [
            pair("skin.wrinkle-reduction", "warning"),
            pair("skin.wrinkle-appearance", "info"),
            pair("safety.no-side-effects", "error")
        ]
    );
}

#[test]
fn rules_and_explain_commands() {
    let dir = tempfile::tempdir().unwrap();
    let rules = pack(dir.path(), RULES);
    let out = run(&["rules", "--rules", &rules, "--format", "json"]);
    assert_eq!(code(&out), 0);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list[0]["id"], "test.cure");
    assert_eq!(list[0]["levels"][0], "X");
    assert_eq!(list[0]["jurisdictions"], serde_json::json!(["us", "uk"]));

    let out = run(&["explain", "--rules", &rules, "test.cure"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    for section in [
        "Why it matters",
        "What it matches",
        "Evidence",
        "Regulatory notes",
        "Suggested rewording",
        "Examples that are flagged",
    ] {
        assert!(text.contains(section), "missing {section}:\n{text}");
    }
    assert!(text.contains("E-T A test source"));

    let out = run(&["explain", "--rules", &rules, "test.nope"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no rule `test.nope`"));
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let one = run(&["check", "--format", "json", "--threads", "1", "fixtures"]);
    let four = run(&["check", "--format", "json", "--threads", "4", "fixtures"]);
    assert_eq!(code(&one), 1);
    assert_eq!(stdout(&one), stdout(&four));
}

/// `--genre research`: the same page's claims are described, not made, so every one is info,
/// says why, and the run does not fail.
#[test]
fn a_genre_that_sells_nothing_reports_claims_at_info() {
    use crate::harness::{code, run, stdout};
    let page = "fixtures/pages/supernatant-clinic.md";
    let selling = run(&["check", "--format", "json", page]);
    assert_eq!(code(&selling), 1);
    let out = run(&["check", "--format", "json", "--genre", "research", page]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        assert_eq!(d["severity"], "info", "{d}");
        assert_eq!(d["context"], "genre", "{d}");
    }
}

#[test]
fn a_rule_that_misses_its_own_example_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    // The firing example says "cures it all", which the phrase does not match.
    let broken = RULES.replace(
        r#"fire = ["It cures everything."]"#,
        r#"fire = ["It cures everything.", "It cures it all."]"#,
    );
    let rules = pack(dir.path(), &broken);
    let page = dir.path().join("page.txt");
    std::fs::write(&page, "It cures everything.").unwrap();
    let out = run(&["check", "--rules", &rules, &page.display().to_string()]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("rules.toml")
            && err.contains("rule `test.cure` does not fire on its example \"It cures it all.\""),
        "{err}"
    );
    // `rules --test` reports every rule like a test runner.
    let out = run(&["rules", "--test", "--rules", &rules]);
    assert_eq!(code(&out), 1);
    let report = stdout(&out);
    assert!(
        report.contains("rule test.cure (3 examples) ... FAILED"),
        "{report}"
    );
    assert!(
        report.contains("rule test.best (2 examples) ... ok"),
        "{report}"
    );
    assert!(
        report.contains("example result: FAILED. 4 passed; 1 failed"),
        "{report}"
    );
    let out = run(&["rules", "--test"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("example result: ok."));
}

#[test]
fn empty_packs_and_absurd_settings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = run(&["rules", "--rules", &empty.display().to_string()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("holds no .toml files"),
        "{}",
        stderr(&out)
    );
    // Files that are all empty: no rules.
    let blank = dir.path().join("blank");
    std::fs::create_dir(&blank).unwrap();
    std::fs::write(blank.join("a.toml"), "").unwrap();
    std::fs::write(blank.join("b.toml"), "# nothing\n").unwrap();
    let out = run(&["rules", "--rules", &blank.display().to_string()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("the pack defines no rules"),
        "{}",
        stderr(&out)
    );
    // A configuration's rule-dirs naming a folder without rule files.
    let site = dir.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("page.md"), "It regrows hair.\n").unwrap();
    for rule_dirs in ["empty", "/"] {
        std::fs::write(
            site.join("claimlint.toml"),
            format!(
                "rule-dirs = [{:?}]\n",
                if rule_dirs == "/" {
                    "/".to_owned()
                } else {
                    empty.display().to_string()
                }
            ),
        )
        .unwrap();
        let out = run(&["check", &site.display().to_string()]);
        assert_eq!(code(&out), 2, "{rule_dirs}");
        assert!(
            stderr(&out).contains("holds no .toml files"),
            "{}",
            stderr(&out)
        );
    }
    for threads in ["0", "20000", "many"] {
        let out = run(&["check", "--threads", threads, "fixtures"]);
        assert_eq!(code(&out), 2, "--threads {threads}");
        assert!(stderr(&out).contains("--threads"), "{}", stderr(&out));
    }
}
