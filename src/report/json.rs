//! `--format json`: one document, `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//! The schema is documented in the README; later versions only add fields.
//!
//! The document is written as files are reported (the same bytes `serde_json`'s pretty printer
//! gives for the whole document), so memory does not grow with the number of diagnostics. The
//! evidence, notes and suggestion of a claim depend only on its rule, product class, route and
//! the selected jurisdictions: each such block is serialized once and reused, so a report of
//! many diagnostics costs little more than copying them out.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{
    DiagnosticView, EvidenceView, Finding, NoteView, ReportContext, Reporter, Summary, in_order,
    json_io_error,
};
use crate::diagnostic::{Approval, Diagnostic, Problem};
use crate::engine::ClaimContext;
use crate::judge::classes::ClassSource;
use crate::rules::{Jurisdiction, ProductClass, Route, Severity};
use crate::source::{LineIndex, Position, SourceFile};

/// What the shared block of a claim depends on: the pack (by address), the rule, the assumed
/// class and its source, the route and the jurisdictions.
type SharedKey = (
    usize,
    usize,
    Option<(ProductClass, u8)>,
    Option<Route>,
    Vec<Jurisdiction>,
);

/// Streams the document.
#[derive(Debug, Default)]
pub struct JsonReporter {
    /// The opening was written.
    started: bool,
    /// At least one diagnostic was written.
    any: bool,
    /// Serialized evidence, notes and suggestion, ready to splice.
    shared: HashMap<SharedKey, String>,
}

/// The fields of a claim before the shared block, in the order of `DiagnosticView`.
#[derive(Serialize)]
struct Head<'a> {
    rule: &'a str,
    category: &'a str,
    severity: Severity,
    path: &'a str,
    start: Position,
    end: Position,
    text: &'a str,
    message: &'a str,
}

/// The block shared by every claim of one rule, class, route and set of jurisdictions.
#[derive(Serialize)]
struct Shared<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a EvidenceView>,
    regulatory: &'a [NoteView],
    suggestion: &'a str,
}

/// The fields after it.
#[derive(Serialize)]
struct Extra<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    approval: Option<&'a Approval>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listed_after: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<ClaimContext>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hedge: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    preclinical: bool,
}

/// The fields of a pretty-printed object, without its braces, indented for a diagnostic in the
/// document's array (six spaces); empty for an empty object.
fn fields(value: &impl Serialize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value).map_err(json_io_error)?;
    let inner: Vec<&str> = text.lines().collect();
    if inner.len() <= 2 {
        return Ok(String::new());
    }
    let mut out = String::with_capacity(text.len() + 4 * inner.len());
    for (i, line) in inner[1..inner.len() - 1].iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    Ok(out)
}

fn source_code(source: ClassSource) -> u8 {
    match source {
        ClassSource::Sentence => 0,
        ClassSource::Document => 1,
        ClassSource::Declared => 2,
    }
}

impl JsonReporter {
    /// Writes one claim: its own fields, the cached shared block, its extra fields.
    fn claim(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        index: &LineIndex,
        d: &Diagnostic,
    ) -> io::Result<()> {
        let rule = &ctx.pack.rules[d.rule];
        let head = Head {
            rule: &rule.id,
            category: rule.category.as_str(),
            severity: d.severity,
            path: &file.name,
            start: index.position(file.bytes(), d.span.start),
            end: index.position(file.bytes(), d.span.end),
            text: &d.text,
            message: &rule.message,
        };
        let key: SharedKey = (
            std::ptr::from_ref(ctx.pack) as usize,
            d.rule,
            d.assumed.class.map(|(c, s)| (c, source_code(s))),
            d.assumed.route,
            ctx.jurisdictions.to_vec(),
        );
        let shared = match self.shared.get(&key) {
            Some(shared) => shared,
            None => {
                let view = DiagnosticView::new(ctx, file, index, d);
                let block = fields(&Shared {
                    evidence: view.evidence.as_ref(),
                    regulatory: &view.regulatory,
                    suggestion: &view.suggestion,
                })?;
                self.shared.entry(key).or_insert(block)
            }
        };
        let extra = fields(&Extra {
            approval: d.approval.as_ref(),
            listed_after: d.listed_after.as_deref(),
            context: d.context,
            hedge: d.hedge.as_deref(),
            preclinical: d.preclinical,
        })?;
        let separator = if self.any { "," } else { "" };
        self.any = true;
        write!(out, "{separator}\n    {{\n{},\n{shared}", fields(&head)?)?;
        if !extra.is_empty() {
            write!(out, ",\n{extra}")?;
        }
        write!(out, "\n    }}")
    }
}

impl JsonReporter {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(out, "{{\n  \"version\": 1,\n  \"diagnostics\": [")?;
        }
        Ok(())
    }
}

impl JsonReporter {
    fn problem(
        &mut self,
        out: &mut dyn Write,
        file: &SourceFile,
        index: &LineIndex,
        p: &Problem,
    ) -> io::Result<()> {
        let separator = if self.any { "," } else { "" };
        self.any = true;
        let view = DiagnosticView::problem(file, index, p);
        write!(out, "{separator}\n    {}", super::indented(&view, 4)?)
    }
}

impl Reporter for JsonReporter {
    fn file(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
    ) -> io::Result<()> {
        self.start(out)?;
        if diagnostics.is_empty() && problems.is_empty() {
            return Ok(());
        }
        let index = file.line_index();
        for finding in in_order(diagnostics, problems) {
            match finding {
                Finding::Claim(d) => self.claim(out, ctx, file, &index, d)?,
                Finding::Problem(p) => self.problem(out, file, &index, p)?,
            }
        }
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        _ctx: &ReportContext<'_>,
        summary: &Summary,
    ) -> io::Result<()> {
        self.start(out)?;
        if self.any {
            write!(out, "\n  ]")?;
        } else {
            write!(out, "]")?;
        }
        writeln!(
            out,
            ",\n  \"summary\": {}\n}}",
            super::indented(summary, 2)?
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_the_same_bytes_as_the_pretty_printer() {
        let summary = Summary {
            files_checked: 2,
            ..Summary::default()
        };
        let expected = serde_json::to_string_pretty(&serde_json::json!({
            "version": 1,
            "diagnostics": [],
            "summary": summary,
        }))
        .unwrap();
        let pack = crate::rules::load_embedded().unwrap();
        let ctx = ReportContext {
            pack: &pack,
            jurisdictions: &[],
        };
        let mut out = Vec::new();
        JsonReporter::default()
            .finish(&mut out, &ctx, &summary)
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{expected}\n"));
    }
}
