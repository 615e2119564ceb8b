//! The team workflow on a fixture website repository (`fixtures/repos/clinic-site`), copied to a
//! temporary folder for each test: configuration discovery (a nested config, an override, a
//! file-type mapping, excludes), ignore files, every suppression form, the approved-claims
//! register (approved, edited, expired), baselines, `--output`, and `--changed-since`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::harness::{code, git, root, stderr, stdout};

/// A copy of the fixture repository.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = root().join("fixtures/repos/clinic-site");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("fixture is readable");
        let rel = entry.path().strip_prefix(&from).unwrap();
        let to = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimlint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("claimlint runs")
}

fn json_in(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_in(dir, &all);
    let doc = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("JSON output ({e}); stderr: {}", stderr(&out)));
    (code(&out), doc)
}

/// `path:line rule severity [approval]` for every diagnostic.
fn lines(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let mut line = format!(
                "{}:{} {} {}",
                d["path"].as_str().unwrap().trim_start_matches("./"),
                d["start"]["line"],
                d["rule"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            );
            if let Some(status) = d["approval"]["status"].as_str() {
                line.push_str(&format!(" [{status}]"));
            }
            line
        })
        .collect()
}

fn jurisdictions_of(doc: &Value, path: &str) -> Vec<String> {
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"].as_str().unwrap().ends_with(path))
        .unwrap();
    d["regulatory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["jurisdiction"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_whole_site_with_its_configuration() {
    let dir = site();
    assert!(
        dir.path().join("vendor/widget.html").is_file(),
        "the gitignored vendor/ folder is part of the fixture (committed with git add -f)"
    );
    let (status, doc) = json_in(dir.path(), &["."]);
    assert_eq!(status, 1);
    assert_eq!(
        lines(&doc),
        [
            // Override: disease claims on the blog are warnings.
            "blog/what-is-secretome.md:3 disease.arthritis warning",
            "blog/what-is-secretome.md:5 disease.arthritis warning",
            "blog/what-is-secretome.md:5 hair.regrowth error",
            // [types]: *.njk is read as HTML.
            "layouts/offer.njk:1 skin.wrinkle-erasure error",
            "pages/faq.mdx:8 disease.arthritis error",
            "pages/faq.mdx:8 disease.arthritis error",
            "pages/hair-clinic.md:9 hair.thickening info [approved]",
            "pages/hair-clinic.md:9 outcome.results-claim info [approved]",
            "pages/hair-clinic.md:11 hair.thickening warning [near-miss]",
            "pages/hair-clinic.md:11 outcome.results-claim warning [near-miss]",
            "pages/hair-clinic.md:13 hair.regrowth error",
            "pages/hair-clinic.md:15 skin.wrinkle-reduction warning [expired]",
            "pages/leaflet.txt:6 safety.no-side-effects error",
            "pages/suppressions.html:13 disease.arthritis error",
            "pages/suppressions.html:14 suppression.missing-reason warning",
            "pages/suppressions.html:15 hair.regrowth error",
            "pages/suppressions.html:16 suppression.unknown-rule warning",
            "pages/suppressions.html:17 hair.loss-treatment error",
            "pages/suppressions.html:18 suppression.unused warning",
            // The nested shop/.claimlint.toml: cosmetic, EU only.
            "shop/serum.md:3 hair.regrowth error",
            "shop/serum.md:3 skin.wrinkle-erasure error",
        ]
    );
    // drafts/ is excluded, vendor/ gitignored, legal/ in .claimlintignore: none reported.
    assert_eq!(doc["summary"]["files_checked"], 7);
    assert_eq!(doc["summary"]["suppressed"], 6);
    // One approved sentence, two rules (hair.thickening, outcome.results-claim).
    assert_eq!(doc["summary"]["approved"], 2);
    assert_eq!(jurisdictions_of(&doc, "shop/serum.md"), ["eu"]);
    assert_eq!(jurisdictions_of(&doc, "pages/leaflet.txt"), ["us", "jp"]);

    let (_, all) = json_in(dir.path(), &["--no-ignore", "."]);
    let paths: Vec<String> = lines(&all);
    assert!(paths.iter().any(|l| l.starts_with("vendor/widget.html")));
    assert!(paths.iter().any(|l| l.starts_with("legal/terms.md")));
    assert!(
        !paths.iter().any(|l| l.starts_with("drafts/")),
        "still excluded by the config"
    );
}

#[test]
fn nested_config_fail_on_and_the_command_line_wins() {
    let dir = site();
    std::fs::write(
        dir.path().join("shop/density.md"),
        "The best serum in Europe.\n",
    )
    .unwrap();
    // shop/.claimlint.toml says fail-on = "error"; the claim is a warning.
    let out = run_in(dir.path(), &["check", "shop/density.md"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("warning[superiority.superlative]"));
    let out = run_in(
        dir.path(),
        &["check", "--fail-on", "warning", "shop/density.md"],
    );
    assert_eq!(code(&out), 1);
    // --no-config: the defaults (every jurisdiction).
    let (_, doc) = json_in(dir.path(), &["--no-config", "shop/density.md"]);
    assert!(jurisdictions_of(&doc, "density.md").len() > 1);
    // --config: one file for everything.
    let (_, doc) = json_in(
        dir.path(),
        &["--config", "shop/.claimlint.toml", "pages/leaflet.txt"],
    );
    assert_eq!(jurisdictions_of(&doc, "leaflet.txt"), ["eu"]);
}

#[test]
fn a_named_excluded_file_is_noted_not_checked() {
    let dir = site();
    let out = run_in(dir.path(), &["check", "drafts/new-offer.md"]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("drafts/new-offer.md: excluded by the configuration"));
}

#[test]
fn config_errors_name_file_line_and_column_and_the_rest_goes_on() {
    let dir = site();
    std::fs::write(
        dir.path().join("shop/.claimlint.toml"),
        "jurisdictions = [\"eu\"]\nproduct = \"cosmetics\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("unknown product type `cosmetics`"), "{err}");
    assert!(err.contains("shop/.claimlint.toml:2:11"), "{err}");
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        lines(&doc).iter().any(|l| l.starts_with("pages/")),
        "other files are checked"
    );
    assert!(!lines(&doc).iter().any(|l| l.starts_with("shop/")));
}

#[test]
fn config_command_prints_the_resolved_settings() {
    let dir = site();
    let out = run_in(dir.path(), &["config", "blog/what-is-secretome.md"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let settings: toml::Value = toml::from_str(&text).expect("the output is TOML");
    assert_eq!(settings["product"].as_str(), Some("clinic"));
    assert_eq!(settings["overrides"][0][0].as_str(), Some("blog/**"));
    assert_eq!(settings["rules"]["disease"].as_str(), Some("warning"));
    assert!(text.contains("# from claimlint.toml"), "{text}");
    let shop = stdout(&run_in(dir.path(), &["config", "shop/serum.md"]));
    assert!(shop.contains("product = \"cosmetic\""), "{shop}");
    assert!(shop.contains("shop/.claimlint.toml"), "{shop}");
}

#[test]
fn approvals_do_not_fail_the_run_until_edited_or_expired() {
    let dir = site();
    let page = dir.path().join("pages/approved.md");
    std::fs::write(
        &page,
        "Increases hair density by 18 percent in 24 weeks in our clinical study.\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "pages/approved.md"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("approved: SUB-2026-004"),
        "{}",
        stdout(&out)
    );
    std::fs::write(
        &page,
        "Increases hair density by 30 percent in 24 weeks in our clinical study.\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "pages/approved.md"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("edited since approval SUB-2026-004"));
    std::fs::write(&page, "Reduces wrinkles around the eyes in eight weeks.\n").unwrap();
    let out = run_in(dir.path(), &["check", "pages/approved.md"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("approval SUB-2023-011 expired on 2024-01-15"));
}

#[test]
fn baseline_reports_only_new_findings_and_survives_moved_lines() {
    let dir = site();
    let out = run_in(
        dir.path(),
        &["check", "--write-baseline", "baseline.json", "."],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("to the baseline baseline.json"));
    let (status, doc) = json_in(dir.path(), &["--baseline", "baseline.json", "."]);
    // Approved claims are not recorded (an expired approval must fail again): still at info.
    assert_eq!(
        (status, lines(&doc)),
        (
            0,
            vec![
                "pages/hair-clinic.md:9 hair.thickening info [approved]".to_owned(),
                "pages/hair-clinic.md:9 outcome.results-claim info [approved]".to_owned()
            ]
        )
    );
    assert_eq!(doc["summary"]["baselined"], 19);

    // Move every paragraph of a page down, drop one claim, and add one.
    let page = dir.path().join("pages/hair-clinic.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let edited = text
        .replace(
            "# Scalp Revival Course\n",
            "# Scalp Revival Course\n\nNew intro.\n\n",
        )
        .replace("Our exosome therapy regrows hair on bald patches.\n", "")
        + "\nOur drip cures psoriasis.\n";
    std::fs::write(&page, edited).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(code(&out), 1);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let new: Vec<String> = lines(&doc)
        .into_iter()
        .filter(|l| !l.ends_with("[approved]"))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].starts_with("pages/hair-clinic.md:"), "{new:?}");
    assert!(new[0].contains("disease."), "{new:?}");
    assert_eq!(doc["summary"]["baseline_gone"], 1);
    assert!(
        stderr(&out)
            .contains("baseline entry no longer found: pages/hair-clinic.md:13: hair.regrowth")
    );
}

#[test]
fn output_file_holds_the_report() {
    let dir = site();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "sarif",
            "--output",
            "report.sarif",
            "pages",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.sarif")).unwrap())
            .unwrap();
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run0["results"].as_array().unwrap() {
        let i = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], result["ruleId"]);
    }
    assert!(rules.iter().any(|r| r["id"] == "suppression.unused"));
}

/// A human report written inside the scanned folder quotes every claim: the next run must not
/// check it (it did, and found every claim twice).
#[test]
fn the_runs_own_output_file_is_never_checked() {
    let dir = site();
    let summary = || {
        let out = run_in(
            dir.path(),
            &[
                "check",
                "--color",
                "never",
                "-o",
                "pages/report.txt",
                "pages",
            ],
        );
        let report = std::fs::read_to_string(dir.path().join("pages/report.txt")).unwrap();
        (
            code(&out),
            report.lines().last().unwrap_or_default().to_owned(),
        )
    };
    let first = summary();
    assert_eq!(first.0, 1);
    assert_eq!(summary(), first);
}

/// A copy of the site, committed in a new git repository.
fn committed_site() -> tempfile::TempDir {
    let dir = site();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "site"]);
    dir
}

#[test]
fn changed_since_lints_only_changed_lines() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed; skipping");
        return;
    }
    let dir = committed_site();
    let page: PathBuf = dir.path().join("pages/hair-clinic.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nOur drip cures psoriasis.\n");
    std::fs::write(&page, text).unwrap();
    std::fs::write(dir.path().join("pages/new.md"), "Erases wrinkles.\n").unwrap();
    for flags in [&["--changed-since", "HEAD"][..], &["--diff"][..]] {
        let mut args = flags.to_vec();
        args.push(".");
        let (status, doc) = json_in(dir.path(), &args);
        assert_eq!(status, 1);
        let found = lines(&doc);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("pages/hair-clinic.md:17 disease."),
            "{found:?}"
        );
        assert_eq!(found[1], "pages/new.md:1 skin.wrinkle-erasure error");
    }
    let out = run_in(
        dir.path(),
        &["check", "--changed-since", "no-such-rev", "."],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--changed-since"));
}

/// The `claimlint check` commands of the documented GitHub Actions workflow and the pre-commit
/// hook are valid and do what they say on the fixture site.
#[test]
fn documented_integrations_run() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed; skipping");
        return;
    }
    let dir = committed_site();
    let out = run_in(
        dir.path(),
        &["check", "--write-baseline", "claimlint-baseline.json", "."],
    );
    assert_eq!(code(&out), 0);
    std::fs::write(dir.path().join("pages/new.md"), "Erases wrinkles.\n").unwrap();

    let workflow =
        std::fs::read_to_string(root().join("docs/integrations/github-actions.yml")).unwrap();
    let commands: Vec<String> = workflow
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: claimlint "))
        .map(|c| c.replace("origin/${{ github.base_ref }}", "HEAD"))
        .collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    for command in &commands {
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = run_in(dir.path(), &args);
        assert_eq!(
            code(&out),
            1,
            "`claimlint {command}` finds the new claim: {}",
            stderr(&out)
        );
    }
    let github = stdout(&run_in(
        dir.path(),
        &commands[0].split_whitespace().collect::<Vec<_>>(),
    ));
    assert_eq!(github.lines().count(), 1, "{github}");
    assert!(
        github.starts_with("::error file=pages/new.md,line=1"),
        "{github}"
    );

    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("the hook has an entry");
    let files = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("files: "))
        .expect("the hook names its files");
    for ext in ["md", "markdown", "mdx", "txt", "html", "htm", "xhtml"] {
        let pattern = regex::Regex::new(files).unwrap();
        assert!(pattern.is_match(&format!("page.{ext}")), "{ext}");
    }
    // pre-commit appends the staged file names.
    let mut args: Vec<&str> = entry.split_whitespace().skip(1).collect();
    args.extend(["pages/new.md", "pages/leaflet.txt"]);
    let out = run_in(dir.path(), &args);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("pages/new.md:1:1"));
}

/// The first ```toml block after a README heading.
fn readme_toml(heading: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = &readme[readme.find(heading).expect("the heading")..];
    let start = section.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_owned()
}

#[test]
fn readme_examples_are_valid() {
    let pack = claimlint::rules::load_embedded().unwrap();
    let config = claimlint::config::Config::parse(
        "README.md",
        readme_toml("## Configuration"),
        PathBuf::from("/site"),
        PathBuf::from("/site/claimlint.toml"),
    )
    .unwrap_or_else(|e| panic!("{:?}", e.short()));
    config
        .check_rules(&pack)
        .unwrap_or_else(|e| panic!("{:?}", e.short()));
    // One override for the blog, one declaring the research pages' genre.
    assert_eq!(config.overrides.len(), 2);
    let register = claimlint::policy::approvals::Register::parse(
        "README.md",
        &readme_toml("## Approved claims"),
        &pack,
    )
    .unwrap_or_else(|e| panic!("{:?}", e.short()));
    assert_eq!(register.claims.len(), 1);
}

/// A house rule in a `rule-dirs` folder is added to the embedded pack for the files that
/// configuration governs, and `[rules]` may name it.
#[test]
fn extra_rule_dirs_add_house_rules() {
    let dir = site();
    std::fs::create_dir_all(dir.path().join("house-rules")).unwrap();
    std::fs::write(
        dir.path().join("house-rules/house.toml"),
        r#"
[[rule]]
id = "house.miracle"
category = "outcome"
severity = "warning"
message = "calls the treatment a miracle"
rationale = "House style: no miracle wording."
suggestion = "describe what the treatment involves"
phrases = ["miracle serum"]
[[rule.evidence]]
level = "E"
sources = ["E-30"]
summary = "No evidence supports a miracle."
[[rule.regulatory]]
jurisdiction = "us"
note = "An unsupported outcome claim is deceptive under FTC Act section 5."
refs = ["R-US-40"]
reviewed = "2026-11-22"
[rule.examples]
fire = ["Try our miracle serum.", "The miracle serum is here.", "A miracle serum for you."]
pass = ["Try our serum.", "A serum for dry skin.", "Miracles are rare."]
"#,
    )
    .unwrap();
    let config = std::fs::read_to_string(dir.path().join("claimlint.toml")).unwrap();
    std::fs::write(
        dir.path().join("claimlint.toml"),
        config.replace(
            "[rules]\n",
            "rule-dirs = [\"house-rules\"]\n\n[rules]\n\"house.miracle\" = \"error\"\n",
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("pages/miracle.md"), "Our miracle serum.\n").unwrap();
    let (status, doc) = json_in(dir.path(), &["pages/miracle.md"]);
    assert_eq!(status, 1);
    assert_eq!(lines(&doc), ["pages/miracle.md:1 house.miracle error"]);
    // The shop's own configuration does not add the folder.
    std::fs::write(dir.path().join("shop/miracle.md"), "Our miracle serum.\n").unwrap();
    let (_, doc) = json_in(dir.path(), &["shop/miracle.md"]);
    assert!(lines(&doc).is_empty(), "{:?}", lines(&doc));
}
