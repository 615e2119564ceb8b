//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards. Every rule of the pack goes into
//! the tool's rule metadata (description, rationale as help, evidence levels, jurisdictions);
//! each result carries the location (columns in Unicode code points, plus byte offsets), the
//! message, and the evidence, notes and rewording as properties.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{DiagnosticView, ReportContext, Reporter, Summary, json_io_error};
use crate::diagnostic::Diagnostic;
use crate::rules::{Jurisdiction, Level, Severity};
use crate::source::SourceFile;

/// Collects results and writes the log at the end.
#[derive(Debug, Default)]
pub struct SarifReporter {
    results: Vec<Value>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The text of a result: the rule message, the claim, the evidence and the rewording.
pub fn result_text(view: &DiagnosticView) -> String {
    format!(
        "{}: \"{}\". Evidence: {} ({}){}. Consider: \"{}\"",
        view.message,
        view.text.split_whitespace().collect::<Vec<_>>().join(" "),
        view.evidence.label,
        view.evidence.level,
        view.evidence.assumption(),
        view.suggestion
    )
}

impl Reporter for SarifReporter {
    fn file(
        &mut self,
        _out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        for (d, view) in diagnostics
            .iter()
            .zip(DiagnosticView::all(ctx, file, diagnostics))
        {
            self.results.push(json!({
                "ruleId": view.rule,
                "ruleIndex": d.rule,
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
            }));
        }
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        _summary: &Summary,
    ) -> io::Result<()> {
        let rules: Vec<Value> = ctx
            .pack
            .rules
            .iter()
            .map(|r| {
                let levels: Vec<&str> = r.levels().into_iter().map(Level::letter).collect();
                let js: Vec<&str> = r.jurisdictions().into_iter().map(Jurisdiction::as_str).collect();
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
            })
            .collect();
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "claimlint",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &log).map_err(json_io_error)?;
        writeln!(out)
    }
}

/// A relative URI for a path (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
}
