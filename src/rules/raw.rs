//! `Raw*`: serde mirrors of the rule-pack TOML files, exactly as written, with source spans kept
//! for every value a later validation step may need to point at. Unknown keys are errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::model::{Category, Jurisdiction, Level, ProductClass, Route, Severity};

/// One TOML file of the pack. Every table is optional, so any file may hold any kind of entry;
/// by convention `evidence.toml`, `regulations.toml` and `lexicons.toml` hold the shared tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    pub evidence: Vec<Spanned<RawEvidence>>,
    #[serde(default)]
    pub regulation: Vec<Spanned<RawRegulation>>,
    #[serde(default)]
    pub lexicon: BTreeMap<String, Spanned<RawLexicon>>,
    pub context: Option<Spanned<RawContext>>,
    /// Cue terms that say which product class the copy is about.
    #[serde(default)]
    pub classes: BTreeMap<ProductClass, Spanned<RawLexicon>>,
    /// Cue terms that say how the product is given.
    #[serde(default)]
    pub routes: BTreeMap<Route, Spanned<RawLexicon>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub rationale: String,
    pub suggestion: String,
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub exceptions: Vec<Spanned<String>>,
    pub composite: Option<Spanned<RawComposite>>,
    #[serde(default)]
    pub evidence: Vec<Spanned<RawRuleEvidence>>,
    #[serde(default)]
    pub regulatory: Vec<Spanned<RawNote>>,
    pub examples: Option<Spanned<RawExamples>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComposite {
    pub actions: Vec<Spanned<String>>,
    pub targets: Vec<Spanned<String>>,
    pub max_gap: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRuleEvidence {
    pub class: Option<ProductClass>,
    pub level: Level,
    pub sources: Vec<Spanned<String>>,
    pub summary: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNote {
    pub jurisdiction: Jurisdiction,
    pub note: String,
    pub refs: Vec<Spanned<String>>,
    pub reviewed: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExamples {
    #[serde(default)]
    pub fire: Vec<Spanned<String>>,
    #[serde(default)]
    pub pass: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvidence {
    pub id: Spanned<String>,
    pub authors: Option<String>,
    pub title: String,
    pub journal: Option<String>,
    pub year: Option<u16>,
    pub study_type: String,
    pub size: Option<String>,
    pub pmid: Option<Spanned<String>>,
    pub doi: Option<Spanned<String>>,
    pub pmcid: Option<Spanned<String>>,
    pub nct: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub other_urls: Vec<Spanned<String>>,
    pub finding: String,
    pub grade: Level,
    pub verification: Verification,
    pub reviewed: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegulation {
    pub id: Spanned<String>,
    pub jurisdiction: Jurisdiction,
    pub instrument: String,
    pub title: String,
    pub url: Spanned<String>,
    #[serde(default)]
    pub other_urls: Vec<Spanned<String>>,
    pub summary: String,
    pub verification: Verification,
    pub reviewed: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLexicon {
    pub terms: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContext {
    #[serde(default)]
    pub negators: Vec<Spanned<String>>,
    #[serde(default)]
    pub neutral: Vec<Spanned<String>>,
    #[serde(default)]
    pub descriptive_subjects: Vec<Spanned<String>>,
    #[serde(default)]
    pub customer_cues: Vec<Spanned<String>>,
    #[serde(default)]
    pub cautions: Vec<Spanned<String>>,
    #[serde(default)]
    pub reported: Vec<Spanned<String>>,
    #[serde(default)]
    pub hedges: Vec<Spanned<String>>,
    #[serde(default)]
    pub attributions: Vec<Spanned<String>>,
    #[serde(default)]
    pub compound_heads: Vec<Spanned<String>>,
}

/// How a source was verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// The identifier and the source itself were seen.
    Primary,
    /// The source was seen only through a secondary description.
    Secondary,
}
