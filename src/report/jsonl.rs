//! `--format jsonl`: one diagnostic per line, the same object as in `--format json`, for
//! pipelines and data tools. No summary line.

use std::io::{self, Write};

use super::{DiagnosticView, ReportContext, Reporter, Summary, json_io_error};
use crate::diagnostic::{Diagnostic, Problem};
use crate::source::SourceFile;

#[derive(Debug, Default)]
pub struct JsonLinesReporter;

impl Reporter for JsonLinesReporter {
    fn file(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
    ) -> io::Result<()> {
        DiagnosticView::each(ctx, file, diagnostics, problems, |view| {
            serde_json::to_writer(&mut *out, &view).map_err(json_io_error)?;
            writeln!(out)?;
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
