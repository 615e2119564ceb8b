//! Measuring claimlint against a labelled corpus: precision and recall by category.
//!
//! A corpus is a set of `.tsv` files, one sentence a line: `label<TAB>category<TAB>text`, where
//! `label` is `claim` or `none` and `category` is a claim category (or `-`). Lines starting with
//! `#` are comments. A line drawn from a public document (`fixtures/corpus/world`) has two more
//! columns before the text, `genre<TAB>source`, and belongs to the `dev` or `test` split of its
//! document (see [`Split::of`]). A sentence is predicted to be a claim when claimlint reports at least one
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
    /// The kind of document (world corpus only): clinic, product, research, ...
    pub genre: Option<String>,
    /// The public address of the document the item was drawn from (world corpus only).
    pub source: Option<String>,
    pub text: String,
}

impl Example {
    /// The language of the item, read from its text: Japanese when it holds kana or kanji.
    pub fn language(&self) -> Language {
        if self.text.chars().any(is_japanese) {
            Language::Ja
        } else {
            Language::En
        }
    }

    /// The split of the item's document; `None` for items we wrote ourselves.
    pub fn split(&self) -> Option<Split> {
        self.source.as_deref().map(Split::of)
    }
}

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}')
}

/// The language of a corpus item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Language {
    En,
    Ja,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ja => "ja",
        }
    }
}

/// Which half of the world corpus an item's document belongs to: rules are tuned on `dev` and
/// only measured on `test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Split {
    /// The documents rules are tuned on (about 70 %).
    Dev,
    /// The documents only measured (about 30 %).
    Test,
}

impl Split {
    /// The split of a document, fixed by its address: `test` when the FNV-1a 64-bit hash of the
    /// address modulo 10 is below 3 (about 30 % of documents), otherwise `dev`. Every item of a
    /// document lands in the same split, and adding documents never moves an old one.
    pub fn of(source: &str) -> Split {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in source.trim().bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        if hash % 10 < 3 {
            Split::Test
        } else {
            Split::Dev
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
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
    /// The claim/none decision by language.
    pub by_language: BTreeMap<Language, Counts>,
    /// The claim/none decision by genre (world corpus items only).
    pub by_genre: BTreeMap<String, Counts>,
    /// How many distinct documents the items were drawn from.
    pub documents: usize,
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
        let cols: Vec<&str> = line.split('\t').collect();
        let (genre, source, text) = match cols.len() {
            3 => (None, None, cols[2]),
            5 => {
                if !cols[3].starts_with("http://") && !cols[3].starts_with("https://") {
                    error(format!(
                        "the source `{}` is not an http(s) address",
                        cols[3]
                    ));
                    continue;
                }
                (Some(cols[2].to_owned()), Some(cols[3].to_owned()), cols[4])
            }
            n => {
                error(format!(
                    "expected `label<TAB>category<TAB>text` or \
                     `label<TAB>category<TAB>genre<TAB>source<TAB>text`, found {n} columns"
                ));
                continue;
            }
        };
        if text.trim().is_empty() {
            error("the text is empty".to_owned());
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
        if !claim && category.is_some() {
            error("a `none` item takes `-` as its category".to_owned());
            continue;
        }
        examples.push(Example {
            file: file.to_owned(),
            line: line_no,
            claim,
            category,
            genre,
            source,
            text: text.to_owned(),
        });
    }
}

/// Runs the engine over every example and scores it.
pub fn evaluate(engine: &Engine, examples: &[Example], threshold: Severity) -> Report {
    let documents: std::collections::BTreeSet<&str> = examples
        .iter()
        .filter_map(|e| e.source.as_deref())
        .collect();
    let mut report = Report {
        examples: examples.len(),
        documents: documents.len(),
        ..Report::default()
    };
    for example in examples {
        let predicted = predict(engine, &example.text, threshold);
        let hit = !predicted.is_empty();
        let tally = |counts: &mut Counts| match (example.claim, hit) {
            (true, true) => counts.tp += 1,
            (true, false) => counts.fn_ += 1,
            (false, true) => counts.fp += 1,
            (false, false) => counts.tn += 1,
        };
        tally(&mut report.overall);
        tally(report.by_language.entry(example.language()).or_default());
        if let Some(genre) = &example.genre {
            tally(report.by_genre.entry(genre.clone()).or_default());
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

/// The items of one split and language: `split` keeps only items drawn from documents of that
/// split (our own items have none); `language` keeps one language.
pub fn select(
    examples: Vec<Example>,
    split: Option<Split>,
    language: Option<Language>,
) -> Vec<Example> {
    examples
        .into_iter()
        .filter(|e| split.is_none_or(|s| e.split() == Some(s)))
        .filter(|e| language.is_none_or(|l| e.language() == l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Vec<Example>, Vec<CorpusError>) {
        let (mut examples, mut errors) = (Vec::new(), Vec::new());
        parse("t.tsv", text, &mut examples, &mut errors);
        (examples, errors)
    }

    #[test]
    fn three_and_five_column_lines_parse() {
        let (examples, errors) = parsed(
            "# comment\n\
             claim\tsafety\tNo side effects.\n\
             none\t-\tclinic\thttps://example.org/a\t副作用があります。\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[0].source, None);
        assert_eq!(examples[0].language(), Language::En);
        assert_eq!(examples[1].genre.as_deref(), Some("clinic"));
        assert_eq!(examples[1].source.as_deref(), Some("https://example.org/a"));
        assert_eq!(examples[1].language(), Language::Ja);
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let (_, errors) = parsed(
            "claim\tsafety\tclinic\tNo side effects.\n\
             none\tsafety\tclinic\thttps://x.org\tfine\n\
             claim\t-\tclinic\thttps://x.org\tcures\n\
             none\t-\tclinic\texample.org\ttext\n",
        );
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3, 4], "{errors:?}");
    }

    #[test]
    fn a_document_never_straddles_the_splits() {
        // The hash is fixed: these values pin it, so a change to it (which would move documents
        // between the splits) fails here.
        assert_eq!(
            Split::of("https://example.org/a"),
            Split::of(" https://example.org/a ")
        );
        let sources: Vec<String> = (0..1000)
            .map(|i| format!("https://example.org/{i}"))
            .collect();
        let test = sources
            .iter()
            .filter(|s| Split::of(s) == Split::Test)
            .count();
        assert!((250..350).contains(&test), "{test} of 1000 in test");
        let (examples, _) = parsed(
            "claim\tsafety\tclinic\thttps://example.org/1\tSafe.\n\
             none\t-\tclinic\thttps://example.org/1\tPrices.\n",
        );
        assert_eq!(examples[0].split(), examples[1].split());
    }

    #[test]
    fn select_keeps_one_split_and_language() {
        let (examples, _) = parsed(
            "claim\tsafety\tNo side effects.\n\
             claim\tsafety\tclinic\thttps://example.org/1\tSafe.\n\
             claim\tsafety\tclinic\thttps://example.org/1\t安全です。\n",
        );
        let split = examples[1].split();
        let kept = select(examples.clone(), split, Some(Language::Ja));
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].text, "安全です。");
        assert_eq!(select(examples, None, None).len(), 3);
    }
}
