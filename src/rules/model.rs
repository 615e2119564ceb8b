//! The validated rule pack: rules, evidence, regulations and context cues, with every reference
//! resolved to an index. This is what the engine compiles and what reporters read from.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use super::raw::Verification;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of claim a rule flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    HairGrowth,
    Wrinkles,
    Firmness,
    SkinTone,
    AntiAging,
    Regeneration,
    WoundHealing,
    Disease,
    Pain,
    Immune,
    Wellbeing,
    AntiInflammatory,
    Safety,
    Superiority,
    Proof,
    Approval,
    Outcome,
}

impl Category {
    pub const ALL: [Category; 17] = [
        Category::HairGrowth,
        Category::Wrinkles,
        Category::Firmness,
        Category::SkinTone,
        Category::AntiAging,
        Category::Regeneration,
        Category::WoundHealing,
        Category::Disease,
        Category::Pain,
        Category::Immune,
        Category::Wellbeing,
        Category::AntiInflammatory,
        Category::Safety,
        Category::Superiority,
        Category::Proof,
        Category::Approval,
        Category::Outcome,
    ];

    /// Marketing assertions (safety, superiority, proof, approval, outcome) rather than
    /// efficacy: no sentence context makes them harmless.
    pub fn is_assertion(self) -> bool {
        matches!(
            self,
            Category::Safety
                | Category::Superiority
                | Category::Proof
                | Category::Approval
                | Category::Outcome
        )
    }

    /// Claims about how the body works (regeneration, healing, inflammation, immunity, collagen,
    /// pain) rather than an outcome for the reader: in a sentence that describes cells or
    /// molecules, these read as science, not as a promise.
    pub fn is_mechanism(self) -> bool {
        matches!(
            self,
            Category::Regeneration
                | Category::WoundHealing
                | Category::AntiInflammatory
                | Category::Immune
                | Category::Firmness
                | Category::Pain
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Category::HairGrowth => "hair-growth",
            Category::Wrinkles => "wrinkles",
            Category::Firmness => "firmness",
            Category::SkinTone => "skin-tone",
            Category::AntiAging => "anti-aging",
            Category::Regeneration => "regeneration",
            Category::WoundHealing => "wound-healing",
            Category::Disease => "disease",
            Category::Pain => "pain",
            Category::Immune => "immune",
            Category::Wellbeing => "wellbeing",
            Category::AntiInflammatory => "anti-inflammatory",
            Category::Safety => "safety",
            Category::Superiority => "superiority",
            Category::Proof => "proof",
            Category::Approval => "approval",
            Category::Outcome => "outcome",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Evidence level, after GRADE / Oxford CEBM (see the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Level {
    A,
    B,
    C,
    D,
    E,
    X,
}

impl Level {
    pub fn letter(self) -> &'static str {
        match self {
            Level::A => "A",
            Level::B => "B",
            Level::C => "C",
            Level::D => "D",
            Level::E => "E",
            Level::X => "X",
        }
    }

    /// The word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Level::A => "HIGH",
            Level::B => "MODERATE",
            Level::C => "LOW",
            Level::D => "VERY LOW",
            Level::E => "NONE",
            Level::X => "CONTRADICTED",
        }
    }

    /// What the level means, in terms of study types.
    pub fn meaning(self) -> &'static str {
        match self {
            Level::A => {
                "consistent systematic reviews of good RCTs, or regulatory approval, for this product class, route and use"
            }
            Level::B => "systematic reviews of RCTs with limitations, or one adequate RCT",
            Level::C => "small, split-face or co-intervention RCTs, or conflicting RCTs",
            Level::D => {
                "uncontrolled human data (open-label, case series) or only indirect evidence"
            }
            Level::E => "no human evidence found (animal or in-vitro work at most)",
            Level::X => {
                "good trials found no benefit, documented harms contradict it, or an authority says nothing is approved"
            }
        }
    }
}

/// A jurisdiction with regulatory notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Jurisdiction {
    Us,
    Eu,
    Uk,
    Jp,
    Kr,
    Cn,
    Au,
}

impl Jurisdiction {
    pub const ALL: [Jurisdiction; 7] = [
        Jurisdiction::Us,
        Jurisdiction::Eu,
        Jurisdiction::Uk,
        Jurisdiction::Jp,
        Jurisdiction::Kr,
        Jurisdiction::Cn,
        Jurisdiction::Au,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Jurisdiction::Us => "us",
            Jurisdiction::Eu => "eu",
            Jurisdiction::Uk => "uk",
            Jurisdiction::Jp => "jp",
            Jurisdiction::Kr => "kr",
            Jurisdiction::Cn => "cn",
            Jurisdiction::Au => "au",
        }
    }

    pub fn parse(s: &str) -> Option<Jurisdiction> {
        Jurisdiction::ALL
            .into_iter()
            .find(|j| j.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind of product the evidence for a claim depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProductClass {
    ConditionedMedia,
    Exosome,
    GrowthFactor,
    Prp,
    StemCellCosmetic,
    Cosmetic,
}

impl ProductClass {
    pub const ALL: [ProductClass; 6] = [
        ProductClass::ConditionedMedia,
        ProductClass::Exosome,
        ProductClass::GrowthFactor,
        ProductClass::Prp,
        ProductClass::StemCellCosmetic,
        ProductClass::Cosmetic,
    ];

    /// A phrase for notes: "exosome products".
    pub fn describe(self) -> &'static str {
        match self {
            ProductClass::ConditionedMedia => {
                "stem-cell culture supernatant / conditioned media / secretome"
            }
            ProductClass::Exosome => "exosomes / extracellular vesicles",
            ProductClass::GrowthFactor => "growth-factor products",
            ProductClass::Prp => "PRP (platelet-rich plasma)",
            ProductClass::StemCellCosmetic => "stem-cell cosmetics",
            ProductClass::Cosmetic => "a plain cosmetic",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProductClass::ConditionedMedia => "conditioned-media",
            ProductClass::Exosome => "exosome",
            ProductClass::GrowthFactor => "growth-factor",
            ProductClass::Prp => "prp",
            ProductClass::StemCellCosmetic => "stem-cell-cosmetic",
            ProductClass::Cosmetic => "cosmetic",
        }
    }
}

/// How a product is given, when the copy says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Route {
    Topical,
    Microneedling,
    Intradermal,
    IvDrip,
    Intranasal,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Topical => "topical",
            Route::Microneedling => "microneedling",
            Route::Intradermal => "intradermal injection",
            Route::IvDrip => "IV drip",
            Route::Intranasal => "intranasal",
        }
    }
}

/// Cue terms for product classes and routes.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Cues {
    pub classes: Vec<(ProductClass, Vec<String>)>,
    pub routes: Vec<(Route, Vec<String>)>,
}

/// A reference from a rule to a source: a study or a regulatory instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceRef {
    Evidence(usize),
    Regulation(usize),
}

/// The pack: everything `claimlint` knows.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RulePack {
    pub rules: Vec<Rule>,
    pub evidence: Vec<Evidence>,
    pub regulations: Vec<Regulation>,
    pub context: Context,
    pub cues: Cues,
    pub(crate) rule_index: HashMap<String, usize>,
}

impl RulePack {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rule_index.get(id).map(|&i| &self.rules[i])
    }

    /// Every jurisdiction some rule has a note for, in canonical order.
    pub fn jurisdictions(&self) -> Vec<Jurisdiction> {
        Jurisdiction::ALL
            .into_iter()
            .filter(|j| {
                self.rules
                    .iter()
                    .any(|r| r.regulatory.iter().any(|n| n.jurisdiction == *j))
            })
            .collect()
    }

    /// A one-line citation of a source, with its identifier.
    pub fn cite(&self, source: SourceRef) -> Citation<'_> {
        match source {
            SourceRef::Evidence(i) => Citation::Evidence(&self.evidence[i]),
            SourceRef::Regulation(i) => Citation::Regulation(&self.regulations[i]),
        }
    }
}

/// A cited source, study or regulation.
#[derive(Debug, Clone, Copy)]
pub enum Citation<'a> {
    Evidence(&'a Evidence),
    Regulation(&'a Regulation),
}

impl Citation<'_> {
    pub fn id(&self) -> &str {
        match self {
            Citation::Evidence(e) => &e.id,
            Citation::Regulation(r) => &r.id,
        }
    }

    /// A short human citation: authors, year, title, journal and identifiers.
    pub fn text(&self) -> String {
        match self {
            Citation::Evidence(e) => e.citation(),
            Citation::Regulation(r) => format!("{}: {}", r.instrument, r.title),
        }
    }

    /// The best URL to reach the source.
    pub fn url(&self) -> Option<String> {
        match self {
            Citation::Evidence(e) => e.url(),
            Citation::Regulation(r) => Some(r.url.clone()),
        }
    }
}

/// Context cues used by the engine.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Context {
    /// Words that negate a claim just after them.
    pub negators: Vec<String>,
    /// Wording that holds a negator word but does not negate.
    pub neutral: Vec<String>,
    /// Subjects of scientific description ("cytokines", "growth factors").
    pub descriptive_subjects: Vec<String>,
    /// Words that address a customer or a product ("your", "our", "treatment").
    pub customer_cues: Vec<String>,
    /// Words that mark a caution or disclosure ("exaggeration", "beware").
    pub cautions: Vec<String>,
    /// Words that mark a third party reporting, alleging or studying claims ("the complaint
    /// alleged", "the authors conclude", 措置命令).
    pub reported: Vec<String>,
    /// Words that hedge a claim ("may help", "is expected to").
    pub hedges: Vec<String>,
    /// Words that attribute a result to animal or laboratory work ("in animal studies").
    pub attributions: Vec<String>,
    /// Japanese (or Chinese) nouns that, written straight after a term, make it part of a longer
    /// name: 育毛 in 育毛剤 (a product category) or 育毛外来 (a clinic department).
    pub compound_heads: Vec<String>,
}

/// One rule, validated.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub rationale: String,
    pub suggestion: String,
    /// Literal phrases, after `@lexicon` and `~` expansion.
    pub phrases: Vec<String>,
    /// Literal phrases as written in the pack (for documentation).
    pub phrases_written: Vec<String>,
    /// Regexes, validated (parsed) while loading; the engine parses them again and compiles
    /// each the first time a text needs it.
    pub patterns: Vec<String>,
    pub exceptions: Vec<String>,
    pub composite: Option<Composite>,
    pub evidence: Vec<RuleEvidence>,
    pub regulatory: Vec<Note>,
    pub examples: Examples,
    /// The pack file the rule came from.
    pub file: String,
}

impl Rule {
    /// The evidence entry for a product class, or the generic one.
    pub fn evidence_for(&self, class: Option<ProductClass>) -> &RuleEvidence {
        class
            .and_then(|c| self.evidence.iter().find(|e| e.class == Some(c)))
            .or_else(|| self.evidence.iter().find(|e| e.class.is_none()))
            .unwrap_or(&self.evidence[0])
    }

    /// Every level this rule's evidence takes, lowest letter first.
    pub fn levels(&self) -> Vec<Level> {
        let mut levels: Vec<Level> = self.evidence.iter().map(|e| e.level).collect();
        levels.sort();
        levels.dedup();
        levels
    }

    pub fn jurisdictions(&self) -> Vec<Jurisdiction> {
        let mut js: Vec<Jurisdiction> = self.regulatory.iter().map(|n| n.jurisdiction).collect();
        js.sort();
        js.dedup();
        js
    }
}

/// An action lexicon meeting a target lexicon.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Composite {
    pub actions: Vec<String>,
    pub targets: Vec<String>,
    /// Written forms, for documentation.
    pub actions_written: Vec<String>,
    pub targets_written: Vec<String>,
    pub max_gap: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleEvidence {
    pub class: Option<ProductClass>,
    pub level: Level,
    pub sources: Vec<SourceRef>,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Note {
    pub jurisdiction: Jurisdiction,
    pub note: String,
    pub refs: Vec<usize>,
    /// When the note was last reviewed (YYYY-MM-DD).
    pub reviewed: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Examples {
    pub fire: Vec<String>,
    pub pass: Vec<String>,
}

/// A study or authority statement.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evidence {
    pub id: String,
    pub authors: Option<String>,
    pub title: String,
    pub journal: Option<String>,
    pub year: Option<u16>,
    pub study_type: String,
    pub size: Option<String>,
    pub pmid: Option<String>,
    pub doi: Option<String>,
    pub pmcid: Option<String>,
    pub nct: Option<String>,
    pub url: Option<String>,
    pub finding: String,
    pub grade: Level,
    pub verification: Verification,
    pub reviewed: String,
}

impl Evidence {
    pub fn citation(&self) -> String {
        let mut parts = Vec::new();
        let lead = match (&self.authors, self.year) {
            (Some(a), Some(y)) => format!("{} ({y})", first_author(a)),
            (Some(a), None) => first_author(a),
            (None, Some(y)) => format!("({y})"),
            (None, None) => String::new(),
        };
        if !lead.is_empty() {
            parts.push(lead);
        }
        parts.push(self.title.clone());
        if let Some(j) = &self.journal {
            parts.push(j.clone());
        }
        let mut ids = Vec::new();
        if let Some(p) = &self.pmid {
            ids.push(format!("PMID {p}"));
        }
        if let Some(d) = &self.doi {
            ids.push(format!("doi:{d}"));
        }
        if let Some(p) = &self.pmcid {
            ids.push(p.clone());
        }
        if let Some(n) = &self.nct {
            ids.push(n.clone());
        }
        if ids.is_empty()
            && let Some(u) = &self.url
        {
            ids.push(u.clone());
        }
        parts.push(ids.join(", "));
        parts.join(". ")
    }

    pub fn url(&self) -> Option<String> {
        if let Some(u) = &self.url {
            return Some(u.clone());
        }
        if let Some(d) = &self.doi {
            return Some(format!("https://doi.org/{d}"));
        }
        if let Some(p) = &self.pmid {
            return Some(format!("https://pubmed.ncbi.nlm.nih.gov/{p}/"));
        }
        if let Some(p) = &self.pmcid {
            return Some(format!("https://pmc.ncbi.nlm.nih.gov/articles/{p}/"));
        }
        self.nct
            .as_ref()
            .map(|n| format!("https://clinicaltrials.gov/study/{n}"))
    }
}

fn first_author(authors: &str) -> String {
    let first = authors.split(',').next().unwrap_or(authors).trim();
    if authors.contains(',') {
        format!("{first} et al.")
    } else {
        first.to_owned()
    }
}

/// A statute, article, guidance, notice or ruling.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Regulation {
    pub id: String,
    pub jurisdiction: Jurisdiction,
    pub instrument: String,
    pub title: String,
    pub url: String,
    pub summary: String,
    pub verification: Verification,
    pub reviewed: String,
}
