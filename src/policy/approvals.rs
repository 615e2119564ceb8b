//! The approved-claims register: wording a compliance reviewer approved, with the
//! substantiation on file.
//!
//! ```toml
//! [[claim]]
//! wording = "Visibly reduces the look of fine lines in 8 weeks"
//! rule = "aging.wrinkles"
//! product = "cosmetic"            # optional: only when the copy sells this type of product
//! jurisdictions = ["us", "eu"]     # the approval covers these markets
//! reference = "SUB-2026-014"       # the substantiation file
//! approver = "M. Rossi, Regulatory Affairs"
//! date = "2026-03-02"
//! expires = "2027-03-01"           # optional
//! ```
//!
//! A claim of `rule` whose sentence contains the approved wording (compared after the engine's
//! normalization: case, quotes, white space) is approved: reported at info as "approved: REF",
//! never failing the run. An expired approval, or one that does not cover every selected
//! jurisdiction or the product type, leaves the claim at its severity with a note saying so. A
//! sentence that is close to an approved wording (edited since approval) keeps its severity and
//! says which approval it drifted from.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::sentences;
use crate::diagnostic::{Approval, Diagnostic};
use crate::judge::ProductType;
use crate::rules::{ErrorSubject, Jurisdiction, PackError, PackErrors, RulePack, Severity};

/// How alike a sentence and an approved wording must be to count as an edited approval.
const NEAR_MISS: f64 = 0.8;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegister {
    #[serde(default)]
    claim: Vec<Spanned<RawClaim>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    wording: Spanned<String>,
    rule: Spanned<String>,
    product: Option<Spanned<String>>,
    jurisdictions: Spanned<Vec<Spanned<String>>>,
    reference: String,
    approver: String,
    date: Spanned<String>,
    expires: Option<Spanned<String>>,
}

/// One approved claim.
#[derive(Debug, Clone)]
pub struct ApprovedClaim {
    /// The wording as approved, normalized.
    pub wording: String,
    /// The wording as written in the register.
    pub written: String,
    pub rule: String,
    pub product: Option<ProductType>,
    pub jurisdictions: Vec<Jurisdiction>,
    pub reference: String,
    pub approver: String,
    pub date: String,
    pub expires: Option<jiff::civil::Date>,
}

/// A loaded register.
#[derive(Debug, Clone, Default)]
pub struct Register {
    pub claims: Vec<ApprovedClaim>,
}

impl Register {
    /// Reads and validates a register against the pack's rules.
    pub fn load(path: &Path, pack: &RulePack) -> Result<Register, PackErrors> {
        let name = path.display().to_string();
        match crate::source::settings_file::read_text(path) {
            Ok(text) => Register::parse(&name, &text, pack),
            Err(message) => Err(errors(
                &name,
                String::new(),
                vec![(None, message, String::new())],
            )),
        }
    }

    pub fn parse(name: &str, text: &str, pack: &RulePack) -> Result<Register, PackErrors> {
        let raw: RawRegister = toml::from_str(text).map_err(|e| {
            errors(
                name,
                text.to_owned(),
                vec![(e.span(), e.message().to_owned(), String::new())],
            )
        })?;
        let mut problems: Vec<(Option<Range<usize>>, String, String)> = Vec::new();
        let mut claims = Vec::new();
        for entry in &raw.claim {
            let c = entry.get_ref();
            if pack.rule(c.rule.get_ref()).is_none() {
                problems.push((
                    Some(c.rule.span()),
                    format!("unknown rule `{}`", c.rule.get_ref()),
                    "not a rule id of the pack".to_owned(),
                ));
            }
            let product = c.product.as_ref().and_then(|p| {
                let parsed = crate::config::parse_product(p.get_ref());
                if parsed.is_none() {
                    problems.push((
                        Some(p.span()),
                        format!("unknown product type `{}`", p.get_ref()),
                        "expected one of: cosmetic, clinic, supplement, device, drug".to_owned(),
                    ));
                }
                parsed
            });
            let mut jurisdictions = Vec::new();
            for j in c.jurisdictions.get_ref() {
                match Jurisdiction::parse(j.get_ref()) {
                    Some(j) => jurisdictions.push(j),
                    None => problems.push((
                        Some(j.span()),
                        format!("unknown jurisdiction `{}`", j.get_ref()),
                        "expected one of: us, eu, uk, jp, kr, cn, au".to_owned(),
                    )),
                }
            }
            if jurisdictions.is_empty() && c.jurisdictions.get_ref().is_empty() {
                problems.push((
                    Some(c.jurisdictions.span()),
                    "an approval covers at least one jurisdiction".to_owned(),
                    "empty list".to_owned(),
                ));
            }
            let mut date = |d: &Spanned<String>| -> Option<jiff::civil::Date> {
                let parsed = d.get_ref().parse::<jiff::civil::Date>().ok();
                if parsed.is_none() {
                    problems.push((
                        Some(d.span()),
                        format!("invalid date `{}`", d.get_ref()),
                        "expected YYYY-MM-DD".to_owned(),
                    ));
                }
                parsed
            };
            date(&c.date);
            let expires = c.expires.as_ref().and_then(&mut date);
            let wording = sentences::normalize_phrase(c.wording.get_ref());
            if wording.is_empty() {
                problems.push((
                    Some(c.wording.span()),
                    "empty wording".to_owned(),
                    "the approved text".to_owned(),
                ));
            }
            claims.push(ApprovedClaim {
                wording,
                written: c.wording.get_ref().trim().to_owned(),
                rule: c.rule.get_ref().clone(),
                product,
                jurisdictions,
                reference: c.reference.clone(),
                approver: c.approver.clone(),
                date: c.date.get_ref().clone(),
                expires,
            });
        }
        if problems.is_empty() {
            Ok(Register { claims })
        } else {
            Err(errors(name, text.to_owned(), problems))
        }
    }

    /// Marks the diagnostics the register covers, lowering approved ones to info. `product` and
    /// `jurisdictions` are those the file is checked for; `today` decides expiry.
    pub fn apply(
        &self,
        pack: &RulePack,
        diagnostics: &mut [Diagnostic],
        sentences: &[String],
        product: Option<ProductType>,
        jurisdictions: &[Jurisdiction],
        today: jiff::civil::Date,
    ) {
        for (d, sentence) in diagnostics.iter_mut().zip(sentences) {
            let rule = &pack.rules[d.rule].id;
            let claim_text = sentences::normalize_phrase(&d.text);
            let candidates = self.claims.iter().filter(|c| &c.rule == rule);
            let mut best_near: Option<(f64, &ApprovedClaim)> = None;
            let mut verdict = None;
            for c in candidates {
                if sentence.contains(&c.wording) && c.wording.contains(&claim_text) {
                    verdict = Some(c.judge(product, jurisdictions, today));
                    if verdict.as_ref().is_some_and(Approval::is_approved) {
                        break;
                    }
                    continue;
                }
                let score = similarity(sentence, &c.wording);
                if score >= NEAR_MISS && best_near.is_none_or(|(s, _)| score > s) {
                    best_near = Some((score, c));
                }
            }
            let verdict = verdict.or_else(|| {
                best_near.map(|(score, c)| Approval::NearMiss {
                    reference: c.reference.clone(),
                    approved: c.written.clone(),
                    similarity: (score * 100.0).floor() as u8,
                })
            });
            if let Some(v) = verdict {
                if v.is_approved() {
                    d.severity = Severity::Info;
                }
                d.approval = Some(v);
            }
        }
    }
}

impl ApprovedClaim {
    fn judge(
        &self,
        product: Option<ProductType>,
        jurisdictions: &[Jurisdiction],
        today: jiff::civil::Date,
    ) -> Approval {
        if let Some(expires) = self.expires
            && expires < today
        {
            return Approval::Expired {
                reference: self.reference.clone(),
                expired: expires.to_string(),
            };
        }
        let product_ok = match (self.product, product) {
            (Some(approved), Some(checked)) => approved == checked,
            (Some(_), None) => false,
            (None, _) => true,
        };
        if !product_ok
            || jurisdictions
                .iter()
                .any(|j| !self.jurisdictions.contains(j))
        {
            return Approval::NotForJurisdictions {
                reference: self.reference.clone(),
                approved_for: self.jurisdictions.clone(),
            };
        }
        Approval::Approved {
            reference: self.reference.clone(),
            approver: self.approver.clone(),
            date: self.date.clone(),
            expires: self.expires.map(|e| e.to_string()),
        }
    }
}

/// How alike a sentence is to an approved wording: the best normalized Levenshtein similarity
/// between the wording and any run of the sentence's words about as long as it.
fn similarity(sentence: &str, wording: &str) -> f64 {
    let words: Vec<&str> = sentence.split(' ').collect();
    let n = wording.split(' ').count();
    let mut best = strsim::normalized_levenshtein(sentence, wording);
    for len in n.saturating_sub(2).max(1)..=n + 2 {
        for window in words.windows(len.min(words.len())) {
            best = best.max(strsim::normalized_levenshtein(&window.join(" "), wording));
        }
    }
    best
}

fn errors(
    name: &str,
    text: String,
    problems: Vec<(Option<Range<usize>>, String, String)>,
) -> PackErrors {
    let mut all = PackErrors {
        subject: ErrorSubject::Claims,
        errors: problems
            .into_iter()
            .map(|(span, message, label)| PackError {
                file: name.to_owned(),
                span,
                message,
                label,
            })
            .collect(),
        ..PackErrors::default()
    };
    all.sources.insert(name.to_owned(), text);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::source::{Format, SourceFile};

    const REGISTER: &str = r#"
[[claim]]
wording = "Regrows hair in 12 weeks"
rule = "hair.regrowth"
jurisdictions = ["us"]
reference = "SUB-1"
approver = "A. Reviewer"
date = "2026-01-10"

[[claim]]
wording = "No side effects were reported in our 40-person study"
rule = "safety.no-side-effects"
jurisdictions = ["us"]
reference = "SUB-2"
approver = "A. Reviewer"
date = "2020-01-10"
expires = "2021-01-10"
"#;

    fn check(
        text: &str,
        jurisdictions: &[Jurisdiction],
    ) -> Vec<(String, Severity, Option<Approval>)> {
        let engine = Engine::new(crate::rules::load_embedded().unwrap()).unwrap();
        let register = Register::parse("claims.toml", REGISTER, engine.pack()).unwrap();
        let file =
            SourceFile::decode("a.md".into(), text.as_bytes().to_vec(), Format::Markdown).unwrap();
        let mut diagnostics = engine.check_file(&file);
        let sentences = sentences::of(&file, &diagnostics);
        let today = "2026-11-22".parse().unwrap();
        register.apply(
            engine.pack(),
            &mut diagnostics,
            &sentences,
            None,
            jurisdictions,
            today,
        );
        diagnostics
            .into_iter()
            .map(|d| {
                (
                    engine.pack().rules[d.rule].id.clone(),
                    d.severity,
                    d.approval,
                )
            })
            .collect()
    }

    #[test]
    fn approved_edited_expired_and_other_markets() {
        let found = check("Our serum regrows hair in 12 weeks.\n", &[Jurisdiction::Us]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, Severity::Info);
        assert!(
            matches!(&found[0].2, Some(Approval::Approved { reference, .. }) if reference == "SUB-1")
        );

        let found = check("Our serum regrows hair in 10 weeks.\n", &[Jurisdiction::Us]);
        assert!(found[0].1 > Severity::Info);
        assert!(
            matches!(&found[0].2, Some(Approval::NearMiss { reference, .. }) if reference == "SUB-1")
        );

        let found = check(
            "No side effects were reported in our 40-person study.\n",
            &[Jurisdiction::Us],
        );
        assert!(found[0].1 > Severity::Info);
        assert!(
            matches!(&found[0].2, Some(Approval::Expired { expired, .. }) if expired == "2021-01-10")
        );

        let found = check(
            "Our serum regrows hair in 12 weeks.\n",
            &[Jurisdiction::Us, Jurisdiction::Jp],
        );
        assert!(matches!(
            &found[0].2,
            Some(Approval::NotForJurisdictions { .. })
        ));

        let found = check("Regrows hair fast, guaranteed.\n", &[Jurisdiction::Us]);
        assert!(found.iter().all(|f| f.2.is_none()));
    }

    #[test]
    fn register_errors_point_at_the_value() {
        let pack = crate::rules::load_embedded().unwrap();
        let bad = "[[claim]]\nwording = \"x\"\nrule = \"hair.regrow\"\njurisdictions = [\"us\"]\nreference = \"R\"\napprover = \"A\"\ndate = \"2026-13-01\"\n";
        let errors = Register::parse("claims.toml", bad, &pack).unwrap_err();
        assert_eq!(
            errors.short(),
            [
                "claims.toml:3:8: unknown rule `hair.regrow`",
                "claims.toml:7:8: invalid date `2026-13-01`",
            ]
        );
    }
}
