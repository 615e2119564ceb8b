//! The same sentence on a PRP page, an exosome page and a plain cosmetic page gets the evidence
//! of its product class, and the diagnostic says which class it assumed.

use crate::harness::{run, stdout};

fn evidence(page: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(page);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&run(&args))).expect("JSON");
    let d = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "hair.regrowth")
        .unwrap_or_else(|| panic!("no hair.regrowth on {page}"))
        .clone();
    assert_eq!(d["text"], "regrows hair");
    d["evidence"].clone()
}

#[test]
fn prp_page_gets_prp_evidence() {
    let e = evidence("fixtures/classes/prp-hair-page.md", &[]);
    assert_eq!(e["class"], "prp");
    assert_eq!(e["class_source"], "document");
    assert_eq!(e["level"], "C");
    let ids: Vec<&str> = e["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"E-09"), "{ids:?}");
}

#[test]
fn exosome_page_gets_exosome_evidence_and_route() {
    let e = evidence("fixtures/classes/exosome-hair-page.md", &[]);
    assert_eq!(e["class"], "exosome");
    assert_eq!(e["level"], "D");
    assert_eq!(e["route"], "microneedling");
}

#[test]
fn plain_cosmetic_page_gets_no_evidence_as_a_cosmetic() {
    // Nothing in the copy names a class: generic evidence, unless the user declares a cosmetic.
    let e = evidence("fixtures/classes/cosmetic-hair-page.md", &[]);
    assert_eq!(e["class"], serde_json::Value::Null);
    let e = evidence(
        "fixtures/classes/cosmetic-hair-page.md",
        &["--product", "cosmetic"],
    );
    assert_eq!(e["class"], "cosmetic");
    assert_eq!(e["class_source"], "declared");
    assert_eq!(e["level"], "E");
}

#[test]
fn human_output_names_the_assumed_class() {
    let out = run(&[
        "check",
        "--color",
        "never",
        "fixtures/classes/exosome-hair-page.md",
    ]);
    // Notes are wrapped; compare with the wrapping undone.
    let text = stdout(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("= evidence: VERY LOW (D) for exosomes / extracellular vesicles (the product class this page names most; route: microneedling)"),
        "{text}"
    );
}
