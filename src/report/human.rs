//! `--format human`: rustc-style diagnostics through annotate-snippets, then a summary line.
//!
//! ```text
//! error[hair.regrowth]: claims to regrow hair
//!  --> page.md:3:11
//!   |
//! 3 | Our serum regrows hair in eight weeks.
//!   |           ^^^^^^^^^^^^ hair-growth claim
//!   |
//!   = evidence: LOW (C) — ... [E-01 Chien WY et al. (2024), PMID 37983981]
//!   = us: ... [R-US-05]
//!   = help: consider: "..."
//! ```

use std::collections::HashMap;
use std::io::{self, Write};

use annotate_snippets::{Annotation, AnnotationKind, Level, Renderer, Snippet};

use super::{DiagnosticView, Finding, ReportContext, Reporter, Summary, in_order};
use crate::diagnostic::{Diagnostic, Problem};
use crate::rules::{Citation, Severity};
use crate::source::{LineIndex, SourceFile};

use std::borrow::Cow;
use std::ops::Range;

/// Renders each diagnostic as it comes.
pub struct HumanReporter {
    renderer: Renderer,
    /// Note texts already wrapped: the same evidence, notes and suggestion recur with every
    /// claim of a rule, and optimal-fit wrapping costs more than rendering.
    wrapped: HashMap<String, String>,
}

/// Wrapped note texts remembered at most (a run has far fewer distinct ones).
const WRAPPED_CACHE: usize = 4096;

impl HumanReporter {
    pub fn new(color: bool) -> Self {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        HumanReporter {
            renderer: renderer.term_width(100),
            wrapped: HashMap::new(),
        }
    }

    /// Renders a claim with its evidence, notes and suggestion.
    fn claim(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        index: &LineIndex,
        diagnostic: &Diagnostic,
    ) -> io::Result<()> {
        let view = DiagnosticView::new(ctx, file, index, diagnostic);
        let rule = &ctx.pack.rules[diagnostic.rule];
        let (first_line, window, span) = window(file, index, &diagnostic.span);
        let label = format!("{} claim", rule.category);
        let class = view.evidence.as_ref().and_then(|e| e.class);
        let assumption = view
            .evidence
            .as_ref()
            .map(|e| e.assumption())
            .unwrap_or_default();
        let evidence = rule.evidence_for(class);
        let cites: Vec<String> = evidence
            .sources
            .iter()
            .map(|&s| short_cite(ctx.pack.cite(s)))
            .collect();
        let mut notes = Vec::new();
        if let Some(approval) = &view.approval {
            notes.push(
                Level::NOTE
                    .with_name("approval")
                    .message(cached(&mut self.wrapped, &approval.describe())),
            );
        }
        notes.extend([Level::NOTE.with_name("evidence").message(cached(
            &mut self.wrapped,
            &format!(
                "{} ({}){} — {} [{}]",
                evidence.level.label(),
                evidence.level.letter(),
                assumption,
                evidence.summary,
                cites.join("; ")
            ),
        ))]);
        if let Some(lead) = &view.listed_after {
            notes.push(Level::NOTE.message(format!(
                "listed after \"{lead}\": every condition in the list is claimed"
            )));
        }
        if let Some(hedge) = &view.hedge {
            notes.push(Level::NOTE.message(cached(&mut self.wrapped, &format!(
                "hedged (\"{hedge}\"): still a claim; regulators judge the net impression, and a hedge does not make an unsupported claim acceptable"
            ))));
        }
        if view.preclinical {
            const PRECLINICAL: &str = "attributed to animal or laboratory studies: such \
                results do not substantiate a claim about people";
            notes.push(Level::NOTE.message(cached(&mut self.wrapped, PRECLINICAL)));
        }
        match view.context {
            Some(crate::engine::ClaimContext::Descriptive) => notes.push(Level::NOTE.message(
                "the sentence describes how cells or ingredients work and addresses no customer or product; reported at info",
            )),
            Some(crate::engine::ClaimContext::Cautionary) => notes.push(Level::NOTE.message(
                "the sentence is a caution or disclosure, not a promise; reported at info",
            )),
            Some(crate::engine::ClaimContext::Genre) => notes.push(Level::NOTE.message(
                "the file is declared editorial, research or regulatory (`genre`), not marketing; reported at info",
            )),
            Some(crate::engine::ClaimContext::Reported) => notes.push(Level::NOTE.message(
                "the sentence reports, alleges or studies a claim (a third party's voice), it does not make it; reported at info",
            )),
            None => {}
        }
        for note in &view.regulatory {
            notes.push(
                Level::NOTE
                    .with_name(note.jurisdiction.as_str())
                    .message(cached(
                        &mut self.wrapped,
                        &format!("{} [{}]", note.note, note.refs.join(", ")),
                    )),
            );
        }
        notes.push(Level::HELP.message(cached(
            &mut self.wrapped,
            &format!("consider: \"{}\"", rule.suggestion),
        )));
        let report = &[level(diagnostic.severity)
            .primary_title(rule.message.as_str())
            .id(rule.id.as_str())
            .element(located(file, first_line, &window, span, &label))
            .elements(notes)];
        writeln!(out, "{}\n", self.renderer.render(report))?;
        Ok(())
    }

    /// Renders a problem with a claimlint directive.
    fn problem(
        &mut self,
        out: &mut dyn Write,
        file: &SourceFile,
        index: &LineIndex,
        problem: &Problem,
    ) -> io::Result<()> {
        let (first_line, window, span) = window(file, index, &problem.span);
        let report = &[level(problem.severity)
            .primary_title(problem.message.as_str())
            .id(problem.code.id())
            .element(located(file, first_line, &window, span, "directive"))
            .element(Level::HELP.message(cached(&mut self.wrapped, problem.code.help())))];
        writeln!(out, "{}\n", self.renderer.render(report))
    }
}

/// The lines a span covers, decoded in the file's own encoding (so spans fall on character
/// boundaries), with the 0-based first line and the span rebased onto them.
fn window<'a>(
    file: &'a SourceFile,
    index: &LineIndex,
    span: &Range<usize>,
) -> (usize, Cow<'a, str>, Range<usize>) {
    let first_line = index.line_of(span.start);
    let last_line = index.line_of(span.end.saturating_sub(1).max(span.start));
    let window_start = index.line_range(file.bytes(), first_line).start;
    let window_end = index
        .line_range(file.bytes(), last_line)
        .end
        .max(span.end.min(file.bytes().len()));
    let window = file.original_text(window_start..window_end);
    let rel_start = file.original_text(window_start..span.start).len();
    let rel_end = rel_start
        + file
            .original_text(span.start..span.end.min(window_end))
            .len();
    (first_line, window, rel_start..rel_end)
}

/// The snippet of a finding: the window of lines with the span underlined and labelled.
fn located<'a>(
    file: &'a SourceFile,
    first_line: usize,
    window: &'a str,
    span: Range<usize>,
    label: &'a str,
) -> Snippet<'a, Annotation<'a>> {
    Snippet::source(window)
        .line_start(first_line + 1)
        .path(file.name.as_str())
        .annotation(AnnotationKind::Primary.span(span).label(label))
}

/// Width of note text, so notes stay readable in a terminal.
const NOTE_WIDTH: usize = 96;

/// Wraps note text; annotate-snippets indents the continuation lines under the note.
fn wrap(text: &str) -> String {
    // Never split ids ("R-US-05"), DOIs or URLs at their hyphens.
    let options = textwrap::Options::new(NOTE_WIDTH)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, options)
}

/// `wrap`, remembered.
fn cached(wrapped: &mut HashMap<String, String>, text: &str) -> String {
    if let Some(done) = wrapped.get(text) {
        return done.clone();
    }
    let done = wrap(text);
    if wrapped.len() >= WRAPPED_CACHE {
        wrapped.clear();
    }
    wrapped.insert(text.to_owned(), done.clone());
    done
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// A short citation for one line: first author, year and the first identifier.
fn short_cite(c: Citation<'_>) -> String {
    match c {
        Citation::Evidence(e) => {
            let who = match (&e.authors, e.year) {
                (Some(a), Some(y)) => {
                    let first = a.split(',').next().unwrap_or(a).trim();
                    format!(
                        "{first}{} ({y})",
                        if a.contains(',') { " et al." } else { "" }
                    )
                }
                (None, Some(y)) => format!("{} ({y})", e.journal.as_deref().unwrap_or(&e.title)),
                _ => e.journal.clone().unwrap_or_else(|| e.title.clone()),
            };
            let id = e
                .pmid
                .as_ref()
                .map(|p| format!("PMID {p}"))
                .or_else(|| e.doi.as_ref().map(|d| format!("doi:{d}")))
                .or_else(|| e.pmcid.clone())
                .or_else(|| e.nct.clone())
                .or_else(|| e.url.clone())
                .unwrap_or_default();
            format!("{} {who}, {id}", e.id)
        }
        Citation::Regulation(r) => format!("{} {}", r.id, r.instrument),
    }
}

impl Reporter for HumanReporter {
    fn file(
        &mut self,
        out: &mut dyn Write,
        ctx: &ReportContext<'_>,
        file: &SourceFile,
        diagnostics: &[Diagnostic],
        problems: &[Problem],
    ) -> io::Result<()> {
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
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut line = format!(
            "checked {}: {}, {}, {}",
            plural(summary.files_checked, "file"),
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.infos, "info")
        );
        if summary.files_skipped > 0 {
            line.push_str(&format!(
                "; {} skipped",
                plural(summary.files_skipped, "file")
            ));
        }
        if summary.read_errors > 0 {
            line.push_str(&format!(
                "; {} could not be read",
                plural(summary.read_errors, "path")
            ));
        }
        writeln!(out, "{line}")
    }
}
