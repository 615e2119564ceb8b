//! Measuring claimlint against a labelled corpus: precision and recall by category.
//!
//! A corpus is a set of `.tsv` files, one sentence a line: `label<TAB>category<TAB>text`, where
//! `label` is `claim` or `none` and `category` is a claim category (or `-`). Lines starting with
//! `#` are comments. A sentence is predicted to be a claim when claimlint reports at least one
//! diagnostic at or above the chosen severity; its predicted categories are those diagnostics'
//! categories.
//!
//! Scoring: for the claim/none decision, the usual confusion table. By category: a claim labelled
//! `c` is a true positive for `c` when `c` is among the predicted categories, else a false
//! negative; a `none` sentence with a predicted category `c` is a false positive for `c`. (A claim
//! sentence may hold several claims, so other predicted categories on it are not counted against.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::engine::Engine;
use crate::rules::{Category, Severity};
use crate::source::{Format, SourceFile};

/// One labelled sentence.
#[derive(Debug, Clone)]
pub struct Example {
    pub file: String,
    pub line: usize,
    pub claim: bool,
    pub category: Option<Category>,
    pub text: String,
}

/// A problem reading the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CorpusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Counts for one category or for the claim/none decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// A sentence claimlint got wrong.
#[derive(Debug, Clone)]
pub struct Miss {
    pub example: Example,
    pub predicted: Vec<Category>,
}

/// The result of an evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub overall: Counts,
    pub by_category: BTreeMap<Category, Counts>,
    pub false_negatives: Vec<Miss>,
    pub false_positives: Vec<Miss>,
    pub examples: usize,
}

/// Reads every `.tsv` file under the given paths (sorted).
pub fn read_corpus(paths: &[PathBuf]) -> Result<Vec<Example>, Vec<CorpusError>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            for entry in walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if entry.path().extension().is_some_and(|e| e == "tsv") {
                    files.push(entry.into_path());
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    let mut examples = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let name = file.display().to_string();
        match std::fs::read_to_string(&file) {
            Ok(text) => parse(&name, &text, &mut examples, &mut errors),
            Err(e) => errors.push(CorpusError {
                file: name,
                line: 0,
                message: crate::source::walk::describe_io(&e),
            }),
        }
    }
    if errors.is_empty() {
        Ok(examples)
    } else {
        Err(errors)
    }
}

fn parse(file: &str, text: &str, examples: &mut Vec<Example>, errors: &mut Vec<CorpusError>) {
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut error = |message: String| {
            errors.push(CorpusError {
                file: file.to_owned(),
                line: line_no,
                message,
            })
        };
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        if cols.len() != 3 {
            error("expected `label<TAB>category<TAB>text`".to_owned());
            continue;
        }
        let claim = match cols[0] {
            "claim" => true,
            "none" => false,
            other => {
                error(format!("unknown label `{other}` (claim or none)"));
                continue;
            }
        };
        let category = match cols[1] {
            "-" => None,
            c => match Category::ALL.iter().find(|k| k.as_str() == c) {
                Some(k) => Some(*k),
                None => {
                    error(format!("unknown category `{c}`"));
                    continue;
                }
            },
        };
        if claim && category.is_none() {
            error("a claim needs a category".to_owned());
            continue;
        }
        examples.push(Example {
            file: file.to_owned(),
            line: line_no,
            claim,
            category,
            text: cols[2].to_owned(),
        });
    }
}

/// Runs the engine over every example and scores it.
pub fn evaluate(engine: &Engine, examples: &[Example], threshold: Severity) -> Report {
    let mut report = Report {
        examples: examples.len(),
        ..Report::default()
    };
    for example in examples {
        let predicted = predict(engine, &example.text, threshold);
        let hit = !predicted.is_empty();
        match (example.claim, hit) {
            (true, true) => report.overall.tp += 1,
            (true, false) => report.overall.fn_ += 1,
            (false, true) => report.overall.fp += 1,
            (false, false) => report.overall.tn += 1,
        }
        if let Some(category) = example.category.filter(|_| example.claim) {
            let counts = report.by_category.entry(category).or_default();
            if predicted.contains(&category) {
                counts.tp += 1;
            } else {
                counts.fn_ += 1;
                report.false_negatives.push(Miss {
                    example: example.clone(),
                    predicted: predicted.clone(),
                });
            }
        } else if hit {
            for c in &predicted {
                report.by_category.entry(*c).or_default().fp += 1;
            }
            report.false_positives.push(Miss {
                example: example.clone(),
                predicted,
            });
        }
    }
    report
}

/// The categories claimlint reports for a sentence at or above `threshold`.
pub fn predict(engine: &Engine, text: &str, threshold: Severity) -> Vec<Category> {
    let Ok(file) = SourceFile::decode(String::new(), text.as_bytes().to_vec(), Format::Text) else {
        return Vec::new();
    };
    let mut categories: Vec<Category> = engine
        .check_file(&file)
        .iter()
        .filter(|d| d.severity >= threshold)
        .map(|d| engine.pack().rules[d.rule].category)
        .collect();
    categories.sort();
    categories.dedup();
    categories
}

/// The corpus shipped with the project.
pub fn default_corpus(root: &Path) -> PathBuf {
    root.join("fixtures/corpus")
}
