//! Precision and recall on the labelled corpus in fixtures/corpus (see `claimlint eval`):
//! the claim/none decision at warning level must reach 0.95 both ways, and no category may fall
//! far behind. The rule pack was tuned against this corpus, so these figures are an upper bound
//! on unseen copy; the test guards them against regressions.

use claimlint::engine::Engine;
use claimlint::eval;
use claimlint::rules::{self, Severity};

#[test]
fn corpus_precision_and_recall_meet_the_thresholds() {
    let engine = Engine::new(rules::load_embedded().expect("pack loads")).expect("compiles");
    let corpus = eval::default_corpus(&crate::harness::root());
    // Our own items only: the world corpus (items with a source) is measured by its own test.
    let examples: Vec<_> = eval::read_corpus(&[corpus])
        .expect("the corpus parses")
        .into_iter()
        .filter(|e| e.source.is_none())
        .collect();
    assert!(
        examples.len() >= 500,
        "the corpus has {} sentences",
        examples.len()
    );
    let hard_negatives = examples
        .iter()
        .filter(|e| !e.claim && e.file.contains("hard-negatives"))
        .count();
    assert!(hard_negatives >= 100);
    let report = eval::evaluate(&engine, &examples, Severity::Warning);
    let (p, r) = (report.overall.precision(), report.overall.recall());
    assert!(p >= 0.95 && r >= 0.95, "precision {p:.3}, recall {r:.3}");
    for (category, counts) in &report.by_category {
        assert!(
            counts.precision() >= 0.90 && counts.recall() >= 0.80,
            "{category}: precision {:.3}, recall {:.3}",
            counts.precision(),
            counts.recall()
        );
    }
}

/// The world corpus (fixtures/corpus/world): text none of us wrote, split by document. The
/// figures asked for in issue 16 (recall 0.92, precision 0.95 on the test split) are not met;
/// these floors are the figures measured when the corpus landed, so a change that loses ground
/// on copy nobody here wrote fails. Raise them as the rules improve; never edit a test item.
#[test]
fn world_corpus_is_split_by_document_and_holds_its_ground() {
    use std::collections::HashMap;
    let engine = Engine::new(rules::load_embedded().expect("pack loads")).expect("compiles");
    let world = crate::harness::root().join("fixtures/corpus/world");
    let examples = eval::read_corpus(&[world]).expect("the world corpus parses");
    assert!(examples.len() >= 1500, "{} items", examples.len());
    let japanese = examples
        .iter()
        .filter(|e| e.language() == eval::Language::Ja)
        .count();
    assert!(japanese >= 300, "{japanese} Japanese items");
    let mut split_of: HashMap<&str, eval::Split> = HashMap::new();
    for e in &examples {
        let source = e
            .source
            .as_deref()
            .expect("every world item names its document");
        let split = e.split().expect("a split");
        assert_eq!(*split_of.entry(source).or_insert(split), split, "{source}");
    }
    let test = eval::select(examples, Some(eval::Split::Test), None);
    let report = eval::evaluate(&engine, &test, Severity::Warning);
    let (p, r) = (report.overall.precision(), report.overall.recall());
    assert!(
        p >= 0.70 && r >= 0.46,
        "test split: precision {p:.3}, recall {r:.3}"
    );
}
