//! The machine formats: SARIF validates against the official SARIF 2.1.0 schema; GitHub
//! annotations, JSON lines and Checkstyle carry every diagnostic with its position.

use crate::harness::{code, run, stdout};

const PAGE: &str = "fixtures/pages/prp-hair-clinic.html";

fn json_count() -> usize {
    let doc: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["check", "--format", "json", PAGE]))).unwrap();
    doc["diagnostics"].as_array().unwrap().len()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    // The official schema, vendored so the test never depends on anything outside the repo.
    let schema_text = include_str!("../schemas/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(schema_text).expect("schema is JSON");
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "fixtures/pages",
        "fixtures/clean",
        "fixtures/repos",
    ]);
    assert_eq!(code(&out), 1);
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "claimlint");
    assert!(run0["tool"]["driver"]["rules"].as_array().unwrap().len() >= 60);
    // Every result points at its rule, directive problems and approvals included.
    for result in run0["results"].as_array().unwrap() {
        let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            run0["tool"]["driver"]["rules"][rule_index]["id"],
            result["ruleId"]
        );
    }
    let results = run0["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "suppression.missing-reason")
    );
    assert!(
        results
            .iter()
            .any(|r| r["properties"]["approval"]["status"] == "approved")
    );
    let result = &run0["results"][0];
    assert!(
        result["properties"]["evidence"]["sources"]
            .as_array()
            .is_some()
    );
    // The validation has teeth: a wrong level is rejected.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn github_annotations_one_per_diagnostic() {
    let out = run(&["check", "--format", "github", PAGE]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), json_count());
    assert!(
        lines[0].starts_with("::error file=fixtures/pages/prp-hair-clinic.html,line="),
        "{}",
        lines[0]
    );
    assert!(
        lines
            .iter()
            .all(|l| l.contains(",title=claimlint ") && l.contains("::"))
    );
}

#[test]
fn json_lines_one_object_per_diagnostic() {
    let out = run(&["check", "--format", "jsonl", PAGE]);
    let text = stdout(&out);
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(objects.len(), json_count());
    assert!(
        objects
            .iter()
            .all(|o| o["rule"].is_string() && o["start"]["offset"].is_u64())
    );
}

#[test]
fn checkstyle_is_well_formed() {
    let out = run(&[
        "check",
        "--format",
        "checkstyle",
        PAGE,
        "fixtures/clean/cosmetic-product.md",
    ]);
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">"
        )
    );
    assert!(text.trim_end().ends_with("</checkstyle>"));
    assert_eq!(text.matches("<error ").count(), json_count());
    assert_eq!(
        text.matches("<file ").count(),
        text.matches("</file>").count()
    );
    assert!(
        !text.contains("\"regrows hair\""),
        "quotes inside attributes are escaped"
    );
}
