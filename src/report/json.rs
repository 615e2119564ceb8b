//! `--format json`: one document, `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//! The schema is documented in the README; later versions only add fields.
//!
//! The document is written as files are reported (the same bytes `serde_json`'s pretty printer
//! gives for the whole document), so memory does not grow with the number of diagnostics.

use std::io::{self, Write};

use serde::Serialize;

use super::{DiagnosticView, ReportContext, Reporter, Summary, json_io_error};
use crate::diagnostic::{Diagnostic, Problem};
use crate::source::SourceFile;

/// Streams the document.
#[derive(Debug, Default)]
pub struct JsonReporter {
    /// The opening was written.
    started: bool,
    /// At least one diagnostic was written.
    any: bool,
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

/// Pretty JSON of `value`, every line after the first indented by `indent` spaces.
fn indented(value: &impl Serialize, indent: usize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value).map_err(json_io_error)?;
    let pad = " ".repeat(indent);
    Ok(text.replace('\n', &format!("\n{pad}")))
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
        for view in DiagnosticView::all(ctx, file, diagnostics, problems) {
            let separator = if self.any { "," } else { "" };
            self.any = true;
            write!(out, "{separator}\n    {}", indented(&view, 4)?)?;
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
        writeln!(out, ",\n  \"summary\": {}\n}}", indented(summary, 2)?)
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
