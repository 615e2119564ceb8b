//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards. Every rule of the pack goes into
//! the tool's rule metadata (description, rationale as help, evidence levels, jurisdictions);
//! each result carries the location (columns in Unicode code points, plus byte offsets), the
//! message, and the evidence, notes and rewording as properties.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{DiagnosticView, ReportContext, Reporter, Summary};
use crate::diagnostic::{Diagnostic, Problem, ProblemCode};
use crate::rules::{Jurisdiction, Level, Severity};
use crate::source::SourceFile;

/// Streams the log: the results as files are reported, the tool and its rules at the end (key
/// order carries no meaning in SARIF). The tool's rules are the base pack's, then any rule of an
/// extra pack (`rule-dirs` in a configuration) and the directive problems met, in the order
/// first met; each result points at its rule by index.
#[derive(Debug, Default)]
pub struct SarifReporter {
    started: bool,
    any: bool,
    rules: Vec<Value>,
    index: std::collections::HashMap<String, usize>,
}

const HEADER: &str = "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The text of a result: the rule message, the claim, the evidence, the approval and the
/// rewording.
pub fn result_text(view: &DiagnosticView) -> String {
    let text = view.text.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(evidence) = &view.evidence else {
        return format!("{}: \"{text}\". {}", view.message, view.suggestion);
    };
    let approval = view
        .approval
        .as_ref()
        .map(|a| format!(" {}.", a.describe()))
        .unwrap_or_default();
    format!(
        "{}: \"{text}\". Evidence: {} ({}){}.{approval} Consider: \"{}\"",
        view.message,
        evidence.label,
        evidence.level,
        evidence.assumption(),
        view.suggestion
    )
}

fn rule_descriptor(r: &crate::rules::Rule) -> Value {
    let levels: Vec<&str> = r.levels().into_iter().map(Level::letter).collect();
    let js: Vec<&str> = r
        .jurisdictions()
        .into_iter()
        .map(Jurisdiction::as_str)
        .collect();
    json!({
        "id": r.id,
        "name": r.id,
        "shortDescription": { "text": r.message },
        "fullDescription": { "text": r.rationale },
        "help": {
            "text": format!("{} Consider: \"{}\". Run `claimlint explain {}` for the evidence and the notes per jurisdiction.", r.rationale, r.suggestion, r.id),
        },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "category": r.category.as_str(),
            "evidenceLevels": levels,
            "jurisdictions": js,
            "tags": [r.category.as_str()],
        }
    })
}

fn problem_descriptor(code: ProblemCode) -> Value {
    json!({
        "id": code.id(),
        "name": code.id(),
        "shortDescription": { "text": code.description() },
        "help": { "text": code.help() },
        "defaultConfiguration": { "level": "warning" },
        "properties": { "category": "suppression", "tags": ["suppression"] }
    })
}

impl SarifReporter {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            out.write_all(HEADER.as_bytes())?;
        }
        Ok(())
    }

    /// Puts the base pack's rules first, once.
    fn seed(&mut self, pack: &crate::rules::RulePack) {
        if self.rules.is_empty() {
            for r in &pack.rules {
                self.index.insert(r.id.clone(), self.rules.len());
                self.rules.push(rule_descriptor(r));
            }
        }
    }

    /// The index of a rule id, adding its descriptor when first met.
    fn rule_index(&mut self, id: &str, descriptor: impl FnOnce() -> Value) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        self.index.insert(id.to_owned(), self.rules.len());
        self.rules.push(descriptor());
        self.rules.len() - 1
    }
}

impl Reporter for SarifReporter {
    fn file(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
    ) -> io::Result<()> {
        self.seed(ctx.pack);
        self.start(out)?;
        DiagnosticView::each(ctx, file, diagnostics, problems, |view| {
            let index = self.rule_index(&view.rule, || {
                match ProblemCode::ALL.into_iter().find(|c| c.id() == view.rule) {
                    Some(code) => problem_descriptor(code),
                    None => ctx
                        .pack
                        .rule(&view.rule)
                        .map(rule_descriptor)
                        .unwrap_or_else(|| json!({ "id": view.rule })),
                }
            });
            let mut result = json!({
                "ruleId": view.rule,
                "ruleIndex": index,
                "level": level(view.severity),
                "message": { "text": result_text(&view) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&view.path) },
                        "region": {
                            "startLine": view.start.line,
                            "startColumn": view.start.column,
                            "endLine": view.end.line,
                            "endColumn": view.end.column,
                            "byteOffset": view.start.offset,
                            "byteLength": view.end.offset - view.start.offset,
                            "snippet": { "text": view.text },
                        }
                    }
                }],
                "properties": {
                    "category": view.category,
                    "evidence": view.evidence,
                    "regulatory": view.regulatory,
                    "suggestion": view.suggestion,
                }
            });
            if let Some(approval) = &view.approval {
                result["properties"]["approval"] = json!(approval);
            }
            let separator = if self.any { "," } else { "" };
            self.any = true;
            write!(out, "{separator}\n        {}", super::indented(&result, 8)?)?;
            Ok(())
        })?;
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        _summary: &Summary,
    ) -> io::Result<()> {
        self.seed(ctx.pack);
        self.start(out)?;
        let rules = std::mem::take(&mut self.rules);
        let tool = json!({
            "driver": {
                "name": "claimlint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        });
        let close = if self.any { "\n      ]" } else { "]" };
        writeln!(
            out,
            "{close},\n      \"tool\": {}\n    }}\n  ]\n}}",
            super::indented(&tool, 6)?
        )
    }
}

/// A relative URI for a path (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut p = path.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.replace('%', "%25").replace(' ', "%20")
}
