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
