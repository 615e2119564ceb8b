//! Reporters: one file per output format behind the `Reporter` trait. The library never prints;
//! reporters write to the writer they are given.
//!
//! `DiagnosticView` is the full, serializable payload of one diagnostic (rule, category, span,
//! evidence with sources, notes per selected jurisdiction, suggestion). It is built only for
//! diagnostics that are reported, and every format renders from it.

pub mod checkstyle;
pub mod docs;
pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod sarif;

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Approval, Diagnostic, Problem};
use crate::judge::classes::ClassSource;
use crate::rules::{Jurisdiction, ProductClass, RulePack, Severity};
use crate::source::{LineIndex, Position, SourceFile};

/// A file name as printed on a line of text output: control characters (a newline in a name
/// would break the `-->` line, or forge one) are written as escapes, like `\n`.
pub fn printable_name(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Turns a serde_json error into an I/O error, keeping the kind (a closed pipe stays one).
pub fn json_io_error(err: serde_json::Error) -> io::Error {
    match err.io_error_kind() {
        Some(kind) => io::Error::new(kind, err),
        None => io::Error::other(err),
    }
}

/// Pretty JSON of `value`, every line after the first indented by `indent` spaces (for
/// streaming a document one part at a time).
pub fn indented(value: &impl Serialize, indent: usize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value).map_err(json_io_error)?;
    let pad = " ".repeat(indent);
    Ok(text.replace('\n', &format!("\n{pad}")))
}

/// What every reporter needs besides the diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    pub pack: &'a RulePack,
    pub jurisdictions: &'a [Jurisdiction],
}

/// Counts for the end of a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub files_checked: usize,
    pub files_skipped: usize,
    pub read_errors: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Diagnostics silenced by inline suppressions.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: usize,
    /// Claims the approved-claims register approved (counted among the infos).
    #[serde(skip_serializing_if = "is_zero")]
    pub approved: usize,
    /// Findings left out because the baseline has them.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
    /// Baseline entries that no longer occur.
    #[serde(skip_serializing_if = "is_zero")]
    pub baseline_gone: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    pub fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
}

/// An output format.
pub trait Reporter {
    /// Reports the diagnostics of one file (called once per checked file, in path order).
    fn file(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
    ) -> io::Result<()>;

    /// Ends the report.
    fn finish(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        summary: &Summary,
    ) -> io::Result<()>;
}

/// The full payload of one diagnostic.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticView {
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub path: String,
    pub start: Position,
    pub end: Position,
    pub text: String,
    pub message: String,
    /// The evidence for the claim (absent for a problem with a directive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceView>,
    pub regulatory: Vec<NoteView>,
    pub suggestion: String,
    /// What the approved-claims register says about the claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// For a condition listed after a lead-in, the lead-in's action term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_after: Option<String>,
    /// `descriptive`, `cautionary` or `reported` when the sentence lowered the severity; `genre`
    /// when the file's declared genre did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<crate::engine::ClaimContext>,
    /// The hedge in the wording ("may help"): still a claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hedge: Option<String>,
    /// True when the sentence attributes the result to animal or laboratory work.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub preclinical: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub level: String,
    pub label: String,
    /// The product class whose evidence this is (`null`: no class detected, generic evidence).
    pub class: Option<ProductClass>,
    /// Where the class came from: `sentence`, `document` or `declared` (`--product cosmetic`).
    pub class_source: Option<ClassSource>,
    /// The route of administration the copy names, if any.
    pub route: Option<String>,
    pub summary: String,
    pub sources: Vec<SourceView>,
}

impl EvidenceView {
    /// "for exosomes / extracellular vesicles (named in this sentence; IV drip)", or "" when no
    /// class was detected.
    pub fn assumption(&self) -> String {
        let route = self.route.as_deref();
        match (self.class, self.class_source) {
            (Some(class), Some(source)) => {
                let from = match source {
                    ClassSource::Sentence => "named in this sentence",
                    ClassSource::Document => "the product class this page names most",
                    ClassSource::Declared => "declared with --product cosmetic",
                };
                match route {
                    Some(r) => format!(" for {} ({from}; route: {r})", class.describe()),
                    None => format!(" for {} ({from})", class.describe()),
                }
            }
            _ => match route {
                Some(r) => format!(" (no product class named; route: {r})"),
                None => " (no product class named: generic evidence)".to_owned(),
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub id: String,
    pub citation: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    pub jurisdiction: Jurisdiction,
    pub note: String,
    pub refs: Vec<String>,
}

/// One thing to report about a file.
pub enum Finding<'a> {
    Claim(&'a Diagnostic),
    Problem(&'a Problem),
}

/// A file's claims and problems in order of position, a claim before a problem at the same
/// offset (every reporter writes them in this order).
pub fn in_order<'a>(
    diagnostics: &'a [Diagnostic],
    problems: &'a [Problem],
) -> impl Iterator<Item = Finding<'a>> {
    let mut problems: Vec<&Problem> = problems.iter().collect();
    problems.sort_by_key(|p| p.span.start);
    let mut problems = problems.into_iter().peekable();
    let mut claims = diagnostics.iter().peekable();
    std::iter::from_fn(move || match (claims.peek(), problems.peek()) {
        (Some(d), Some(p)) if p.span.start < d.span.start => problems.next().map(Finding::Problem),
        (Some(_), _) => claims.next().map(Finding::Claim),
        (None, _) => problems.next().map(Finding::Problem),
    })
}

impl DiagnosticView {
    /// Calls `f` with the view of each of one file's diagnostics and problems, in order of
    /// position (see `in_order`), one at a time: a file with many findings never has all its
    /// views in memory. One line index serves them all.
    pub fn each(
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
        mut f: impl FnMut(DiagnosticView) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if diagnostics.is_empty() && problems.is_empty() {
            return Ok(());
        }
        let index = file.line_index();
        for finding in in_order(diagnostics, problems) {
            f(match finding {
                Finding::Claim(d) => Self::new(ctx, file, &index, d),
                Finding::Problem(p) => Self::problem(file, &index, p),
            })?;
        }
        Ok(())
    }

    /// The view of a problem with a directive.
    pub fn problem(file: &SourceFile, index: &LineIndex, problem: &Problem) -> DiagnosticView {
        DiagnosticView {
            rule: problem.code.id().to_owned(),
            category: "suppression".to_owned(),
            severity: problem.severity,
            path: file.name.clone(),
            start: index.position(file.bytes(), problem.span.start),
            end: index.position(file.bytes(), problem.span.end),
            text: file.original_text(problem.span.clone()).into_owned(),
            message: problem.message.clone(),
            evidence: None,
            regulatory: Vec::new(),
            suggestion: problem.code.help().to_owned(),
            approval: None,
            listed_after: None,
            context: None,
            hedge: None,
            preclinical: false,
        }
    }

    pub fn new(
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        index: &LineIndex,
        diagnostic: &Diagnostic,
    ) -> DiagnosticView {
        let rule = &ctx.pack.rules[diagnostic.rule];
        let class = diagnostic.assumed.class.map(|(c, _)| c);
        let evidence = rule.evidence_for(class);
        // The class is reported only when the rule has evidence for it.
        let (class, class_source) = match (evidence.class, diagnostic.assumed.class) {
            (Some(c), Some((_, source))) => (Some(c), Some(source)),
            _ => (None, None),
        };
        let sources = evidence
            .sources
            .iter()
            .map(|&s| {
                let c = ctx.pack.cite(s);
                SourceView {
                    id: c.id().to_owned(),
                    citation: c.text(),
                    url: c.url(),
                }
            })
            .collect();
        let regulatory = rule
            .regulatory
            .iter()
            .filter(|n| ctx.jurisdictions.contains(&n.jurisdiction))
            .map(|n| NoteView {
                jurisdiction: n.jurisdiction,
                note: n.note.clone(),
                refs: n
                    .refs
                    .iter()
                    .map(|&r| ctx.pack.regulations[r].id.clone())
                    .collect(),
            })
            .collect();
        DiagnosticView {
            rule: rule.id.clone(),
            category: rule.category.as_str().to_owned(),
            severity: diagnostic.severity,
            path: file.name.clone(),
            start: index.position(file.bytes(), diagnostic.span.start),
            end: index.position(file.bytes(), diagnostic.span.end),
            text: diagnostic.text.clone(),
            message: rule.message.clone(),
            evidence: Some(EvidenceView {
                level: evidence.level.letter().to_owned(),
                label: evidence.level.label().to_owned(),
                class,
                class_source,
                route: diagnostic.assumed.route.map(|r| r.as_str().to_owned()),
                summary: evidence.summary.clone(),
                sources,
            }),
            regulatory,
            suggestion: rule.suggestion.clone(),
            approval: diagnostic.approval.clone(),
            listed_after: diagnostic.listed_after.clone(),
            context: diagnostic.context,
            hedge: diagnostic.hedge.clone(),
            preclinical: diagnostic.preclinical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::printable_name;

    #[test]
    fn control_characters_in_names_are_escaped() {
        assert_eq!(printable_name("a b/薄毛.md"), "a b/薄毛.md");
        assert_eq!(printable_name("new\nline\t.md"), "new\\nline\\t.md");
        assert_eq!(printable_name("bell\u{7}.md"), "bell\\u{7}.md");
    }
}
