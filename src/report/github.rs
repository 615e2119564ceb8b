//! `--format github`: GitHub Actions workflow commands, so findings appear as annotations on pull
//! requests (`::error file=...,line=...,col=...,title=...::message`).

use std::io::{self, Write};

use super::{DiagnosticView, ReportContext, Reporter, Summary, sarif::result_text};
use crate::diagnostic::{Diagnostic, Problem};
use crate::rules::Severity;
use crate::source::SourceFile;

#[derive(Debug, Default)]
pub struct GithubReporter;

/// Escapes a workflow-command message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A path as GitHub matches it against the repository: without a leading `./`.
fn repo_relative(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

/// Escapes a workflow-command property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for GithubReporter {
    fn file(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
    ) -> io::Result<()> {
        DiagnosticView::each(ctx, file, diagnostics, problems, |view| {
            let command = match view.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(repo_relative(&view.path)),
                view.start.line,
                view.start.column,
                view.end.line,
                view.end.column,
                escape_property(&format!("claimlint {}", view.rule)),
                escape_data(&result_text(&view))
            )?;
            Ok(())
        })?;
        Ok(())
    }

    fn finish(
        &mut self,
        _out: &mut dyn Write,
        _ctx: &ReportContext<'_>,
        _summary: &Summary,
    ) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(escape_data("50% off\nnow"), "50%25 off%0Anow");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
