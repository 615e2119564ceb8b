//! `--format checkstyle`: Checkstyle XML, which many CI systems read.

use std::io::{self, Write};

use super::{DiagnosticView, ReportContext, Reporter, Summary, sarif::result_text};
use crate::diagnostic::{Diagnostic, Problem};
use crate::source::SourceFile;

#[derive(Debug, Default)]
pub struct CheckstyleReporter {
    started: bool,
}

/// Escapes text for an XML attribute.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

impl CheckstyleReporter {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
            writeln!(out, "<checkstyle version=\"4.3\">")?;
        }
        Ok(())
    }
}

impl Reporter for CheckstyleReporter {
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
        writeln!(out, "  <file name=\"{}\">", escape(&file.name))?;
        DiagnosticView::each(ctx, file, diagnostics, problems, |view| {
            writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"claimlint.{}\"/>",
                view.start.line,
                view.start.column,
                view.severity,
                escape(&result_text(&view)),
                escape(&view.rule)
            )?;
            Ok(())
        })?;
        writeln!(out, "  </file>")
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        _ctx: &ReportContext<'_>,
        _summary: &Summary,
    ) -> io::Result<()> {
        self.start(out)?;
        writeln!(out, "</checkstyle>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\"\n"), "a&lt;b &amp; &quot;c&quot;&#10;");
    }
}
