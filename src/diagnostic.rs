//! `Diagnostic`: the one finding type every stage speaks. It holds only what matching decided
//! (rule, severity, span, text); evidence, notes and positions are looked up at report time, for
//! reported diagnostics only.
//!
//! `Problem` is a finding about the copy's claimlint directives rather than about a claim (a
//! suppression without a reason, naming an unknown rule, or suppressing nothing).

use std::ops::Range;

use serde::Serialize;

use crate::rules::Severity;

/// One flagged claim in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Index of the rule in the pack.
    pub rule: usize,
    pub severity: Severity,
    /// Byte range in the original file, end exclusive.
    pub span: Range<usize>,
    /// The original text of the span.
    pub text: String,
    /// For a condition listed after a lead-in: the lead-in's action term.
    pub listed_after: Option<String>,
    /// Sentence context that lowered the severity, if any.
    pub context: Option<crate::engine::ClaimContext>,
    /// The product class (and where it came from) and route the claim is assumed to be about.
    pub assumed: crate::judge::classes::Assumed,
    /// The hedge in the wording ("may help"), if any.
    pub hedge: Option<String>,
    /// The sentence attributes the result to animal or laboratory work.
    pub preclinical: bool,
    /// What the approved-claims register says about this claim, if anything.
    pub approval: Option<Approval>,
}

/// What the approved-claims register says about a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Approval {
    /// The wording was approved: reported at info, never fails the run.
    Approved {
        reference: String,
        approver: String,
        date: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        expires: Option<String>,
    },
    /// The sentence is close to an approved wording but not the same: edited since approval.
    NearMiss {
        reference: String,
        approved: String,
        /// How alike the two are, in percent.
        similarity: u8,
    },
    /// The wording was approved, but the approval has expired.
    Expired { reference: String, expired: String },
    /// The wording was approved for other jurisdictions than the ones selected.
    NotForJurisdictions {
        reference: String,
        approved_for: Vec<crate::rules::Jurisdiction>,
    },
}

impl Approval {
    /// Whether the claim counts as approved (and so cannot fail the run).
    pub fn is_approved(&self) -> bool {
        matches!(self, Approval::Approved { .. })
    }

    /// One line for human output.
    pub fn describe(&self) -> String {
        match self {
            Approval::Approved {
                reference,
                approver,
                date,
                expires,
            } => {
                let until = expires
                    .as_ref()
                    .map(|e| format!(", valid until {e}"))
                    .unwrap_or_default();
                format!("approved: {reference} (by {approver} on {date}{until})")
            }
            Approval::NearMiss {
                reference,
                approved,
                similarity,
            } => format!(
                "edited since approval {reference}: the approved wording is \"{approved}\" ({similarity}% alike); get the new wording approved"
            ),
            Approval::Expired { reference, expired } => {
                format!("approval {reference} expired on {expired}; renew it or change the wording")
            }
            Approval::NotForJurisdictions {
                reference,
                approved_for,
            } => {
                let list: Vec<&str> = approved_for.iter().map(|j| j.as_str()).collect();
                format!(
                    "approval {reference} covers {} only, not every selected jurisdiction",
                    list.join(", ")
                )
            }
        }
    }
}

/// What is wrong with a claimlint directive in the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ProblemCode {
    /// A suppression without `-- reason`.
    MissingReason,
    /// A suppression naming no rule of the pack.
    UnknownRule,
    /// A suppression that suppressed nothing.
    Unused,
    /// A directive claimlint cannot read.
    Malformed,
}

impl ProblemCode {
    pub const ALL: [ProblemCode; 4] = [
        ProblemCode::MissingReason,
        ProblemCode::UnknownRule,
        ProblemCode::Unused,
        ProblemCode::Malformed,
    ];

    /// The id shown where a rule id is shown.
    pub fn id(self) -> &'static str {
        match self {
            ProblemCode::MissingReason => "suppression.missing-reason",
            ProblemCode::UnknownRule => "suppression.unknown-rule",
            ProblemCode::Unused => "suppression.unused",
            ProblemCode::Malformed => "suppression.malformed",
        }
    }

    /// What the problem is, in general.
    pub fn description(self) -> &'static str {
        match self {
            ProblemCode::MissingReason => {
                "a suppression must say why, after `--`; without a reason it suppresses nothing"
            }
            ProblemCode::UnknownRule => "a suppression names a rule the pack does not have",
            ProblemCode::Unused => "a suppression that suppresses no diagnostic",
            ProblemCode::Malformed => "a claimlint directive that cannot be read",
        }
    }

    /// How to fix it.
    pub fn help(self) -> &'static str {
        match self {
            ProblemCode::MissingReason => {
                "write the reason after the rules: `claimlint-disable-next-line RULE -- approved by legal, ref 2024-17`"
            }
            ProblemCode::UnknownRule => {
                "use a rule id from `claimlint rules` (or a category), separated by commas"
            }
            ProblemCode::Unused => "remove the suppression, or fix the rule id it names",
            ProblemCode::Malformed => {
                "the forms are `claimlint-disable-next-line`, `claimlint-disable-line`, `claimlint-disable` and `claimlint-enable`, followed by rule ids and `-- reason`"
            }
        }
    }
}

/// A finding about a directive in the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: ProblemCode,
    pub severity: Severity,
    /// Byte range of the directive in the original file.
    pub span: Range<usize>,
    pub message: String,
}
