//! `--format json`: one document, `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//! The schema is documented in the README; later versions only add fields.

use std::io::{self, Write};

use serde::Serialize;

use super::{DiagnosticView, ReportContext, Reporter, Summary};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Collects every diagnostic and writes the document at the end.
#[derive(Debug, Default)]
pub struct JsonReporter {
    diagnostics: Vec<DiagnosticView>,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: &'a [DiagnosticView],
    summary: &'a Summary,
}

impl Reporter for JsonReporter {
    fn file(
        &mut self,
        _out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
    ) -> io::Result<()> {
        self.diagnostics
            .extend(DiagnosticView::all(ctx, file, diagnostics));
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        _ctx: &ReportContext<'_>,
        summary: &Summary,
    ) -> io::Result<()> {
        let doc = Document {
            version: 1,
            diagnostics: &self.diagnostics,
            summary,
        };
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(crate::report::json_io_error)?;
        writeln!(out)
    }
}
