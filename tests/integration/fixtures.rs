//! The binary on the fixture pages: full human and JSON output compared with expected files;
//! clean pages give nothing.

use crate::harness::{assert_expected, code, fixture_files, run, stdout};

fn expected_name(path: &str, ext: &str) -> String {
    let stem = path.rsplit('/').next().unwrap_or(path);
    format!("{stem}.{ext}")
}

#[test]
fn pages_give_the_expected_human_output() {
    let pages = fixture_files("fixtures/pages");
    assert!(pages.len() >= 6, "fixture pages are missing");
    for page in pages {
        let out = run(&["check", "--color", "never", &page]);
        assert_eq!(code(&out), 1, "{page} has claims, so the exit code is 1");
        assert_expected(&expected_name(&page, "human"), &stdout(&out));
    }
}

#[test]
fn pages_give_the_expected_json_output() {
    for page in fixture_files("fixtures/pages") {
        let out = run(&["check", "--format", "json", &page]);
        assert_eq!(code(&out), 1);
        let text = stdout(&out);
        let doc: serde_json::Value = serde_json::from_str(&text).expect("output is JSON");
        assert_eq!(doc["version"], 1);
        for d in doc["diagnostics"].as_array().expect("diagnostics array") {
            // Every diagnostic carries evidence with a source and at least one note.
            assert!(
                !d["evidence"]["sources"].as_array().unwrap().is_empty(),
                "{d}"
            );
            assert!(!d["regulatory"].as_array().unwrap().is_empty(), "{d}");
            assert!(!d["suggestion"].as_str().unwrap().is_empty());
        }
        assert_expected(&expected_name(&page, "json"), &text);
    }
}

#[test]
fn json_offsets_select_exactly_the_claim_text() {
    for page in fixture_files("fixtures/pages") {
        let bytes = std::fs::read(crate::harness::root().join(&page)).unwrap();
        let out = run(&["check", "--format", "json", &page]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        for d in doc["diagnostics"].as_array().unwrap() {
            let start = d["start"]["offset"].as_u64().unwrap() as usize;
            let end = d["end"]["offset"].as_u64().unwrap() as usize;
            assert!(start < end && end <= bytes.len());
            assert_eq!(
                String::from_utf8_lossy(&bytes[start..end]),
                d["text"].as_str().unwrap(),
                "{page}: offsets and text disagree"
            );
            // The line and column agree with the offset.
            let line = d["start"]["line"].as_u64().unwrap() as usize;
            let column = d["start"]["column"].as_u64().unwrap() as usize;
            let before = String::from_utf8_lossy(&bytes[..start]);
            assert_eq!(before.matches('\n').count() + 1, line);
            assert_eq!(
                before.rsplit('\n').next().unwrap().chars().count() + 1,
                column
            );
        }
    }
}

#[test]
fn clean_pages_give_no_diagnostic() {
    let clean = fixture_files("fixtures/clean");
    assert!(clean.len() >= 4);
    for page in clean {
        let out = run(&["check", "--format", "json", &page]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            doc["diagnostics"].as_array().unwrap().len(),
            0,
            "{page} should be clean: {}",
            doc["diagnostics"]
        );
        assert_eq!(code(&out), 0);
    }
}
