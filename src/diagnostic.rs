//! `Diagnostic`: the one finding type every stage speaks. It holds only what matching decided
//! (rule, severity, span, text); evidence, notes and positions are looked up at report time, for
//! reported diagnostics only.

use std::ops::Range;

/// One flagged claim in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Index of the rule in the pack.
    pub rule: usize,
    pub severity: crate::rules::Severity,
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
}
