//! Judging a claim: which product it is about, which evidence applies, and how severe it is.
//!
//! - `ProductType` is what the user says the copy sells (`--product`): the law draws its lines
//!   by product type (a cosmetic may only claim appearance).
//! - Product classes (conditioned media, exosomes, growth factors, PRP, ...) are detected from the
//!   copy itself and choose the evidence entry of each rule.

pub mod classes;

use std::fmt;

use clap::ValueEnum;
use serde::Serialize;

use crate::rules::{Level, Rule, Severity};

/// What kind of product the copy sells, as the user declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductType {
    /// A cosmetic: only appearance claims are lawful.
    Cosmetic,
    /// A clinic or service advertising treatments.
    Clinic,
    /// A food supplement.
    Supplement,
    /// A medical device.
    Device,
    /// A licensed medicine.
    Drug,
}

impl ProductType {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductType::Cosmetic => "cosmetic",
            ProductType::Clinic => "clinic",
            ProductType::Supplement => "supplement",
            ProductType::Device => "device",
            ProductType::Drug => "drug",
        }
    }
}

impl fmt::Display for ProductType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of document a file is, as the user declares it (`--genre`, `genre` in
/// `claimlint.toml`, per path in `[[overrides]]`). Marketing copy is the default; in the other
/// genres the text describes, studies or judges claims rather than making them, so every claim
/// is reported at info, with a note saying why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Genre {
    /// Copy that sells: clinic pages, product pages, ads (the default).
    Marketing,
    /// Articles, encyclopedias, news and explainers that sell nothing.
    Editorial,
    /// Papers, abstracts and study reports.
    Research,
    /// Regulators' letters, rulings, guidance and warnings.
    Regulatory,
}

impl Genre {
    pub fn as_str(self) -> &'static str {
        match self {
            Genre::Marketing => "marketing",
            Genre::Editorial => "editorial",
            Genre::Research => "research",
            Genre::Regulatory => "regulatory",
        }
    }

    /// Whether claims in a document of this genre are the writer's own promises.
    pub fn sells(self) -> bool {
        self == Genre::Marketing
    }
}

impl fmt::Display for Genre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The severity of a rule's claim for a declared product type, where the law draws the line by
/// product (see the README, "Severity"):
///
/// - cosmetic: a cosmetic may only claim appearance, so every efficacy claim beyond appearance
///   wording (structure/function or disease) is an error; appearance wording (rules whose default
///   is info) stays info;
/// - drug: a licensed medicine may make the claims on its label, so efficacy claims are warnings
///   (check them against the label) rather than errors;
/// - clinic, supplement, device, or nothing declared: the rule's default.
///
/// Marketing assertions (safety, superiority, proof, approval, outcome) keep their default for
/// every product type.
pub fn severity_for_product(rule: &Rule, product: Option<ProductType>) -> Severity {
    if rule.category.is_assertion() {
        return rule.severity;
    }
    match product {
        Some(ProductType::Cosmetic) if rule.severity == Severity::Info => Severity::Info,
        Some(ProductType::Cosmetic) => Severity::Error,
        Some(ProductType::Drug) => rule.severity.min(Severity::Warning),
        _ => rule.severity,
    }
}

/// The lowest severity the evidence allows: a claim that good evidence or an authority
/// contradicts (X) is an error whatever its wording; a claim with no human evidence at all (E)
/// is at least a warning.
pub fn evidence_floor(level: Level) -> Severity {
    match level {
        Level::X => Severity::Error,
        Level::E => Severity::Warning,
        _ => Severity::Info,
    }
}
